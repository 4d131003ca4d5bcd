"""审核: the team's records waiting for review, with the visit, its evidence and the commissioner's
history at hand; approve (several at once) or return with an opinion. Decisions are Review records
made locally and synced like any other (commissioner_app.review.decide)."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QUrl,
)
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.domain import (
    CONFIRMATION_DECISIONS,
    LABELS,
    PROBLEM_STATUSES,
    REVIEW_STATUSES,
    SERVICE_TYPES,
    VISIT_COUNTERS,
    Commissioner,
    Visit,
    field_label,
)
from commissioner_app.ops import OpChanges
from commissioner_app.ops.review import ReviewQueue, decide_visits, review_details, review_queue_now
from ui.context import AppContext
from ui.evidence_files import fetch_record_previews, open_full, open_named_copy
from ui.models import owner_name, shown_reference, stars
from ui.plain_text import plain_label
from ui.roles import reviewer, watcher
from ui.tasks import Operation, error_text
from ui.views.common import ColumnFitter, heading, make_table, until_synced
from ui.views.history import RecordHistoryDialog

EDITED_COLOUR = "#b45309"
QUEUE_WIDTHS = (86, 76, 130, 96, 200, 112, 96, 100)  # on a wide window; logical pixels
QUEUE_TEXTS = (1, 2, 3, 4, 6)  # commissioner, target, place, content, checks: shrink when narrow
# Hidden in this order when even the headers do not fit; the details pane shows them for the
# chosen visit, and each row's tooltip for the others.
QUEUE_OPTIONAL = (3, 5, 7)

_Index = QModelIndex | QPersistentModelIndex


class QueueModel(QAbstractTableModel):
    """The review queue (at most a few thousand rows, all in memory)."""

    KEYS = (
        "visit_date",
        "commissioner_name",
        "target_name",
        "place",
        "content",
        "evidence",
        "checks",
        "note",
    )

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def titles(self) -> list[str]:
        return [
            self.tr("服务日期"),
            self.tr("科技特派员"),
            self.tr("服务对象"),
            self.tr("地点"),
            self.tr("服务内容"),
            self.tr("佐证"),
            self.tr("核验提示"),
            self.tr("备注"),
        ]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.KEYS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.titles()[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = self.KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(key, row)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("content", "target_name", "evidence", "note"):
            return self.display(key, row) or None
        if role == Qt.ItemDataRole.ToolTipRole and key == "checks":
            lang = self.context.language
            return "\n".join(w.message.text(lang) for w in row["checks"]) or None
        if role == Qt.ItemDataRole.ForegroundRole and key == "checks" and row["checks"]:
            return QBrush(QColor(EDITED_COLOUR))
        if role == Qt.ItemDataRole.ForegroundRole and key == "note" and row["was_approved"]:
            return QBrush(QColor(EDITED_COLOUR))
        return None

    def display(self, key: str, row: dict[str, Any]) -> str:
        if key == "place":
            return f"{row['county'] or ''}{row['town'] or ''}"
        if key == "content":
            return " ".join((row["content"] or "").split())
        if key == "evidence":
            # What proves the visit: not the contact person or satisfaction the commissioner typed.
            parts = []
            if row["attachments"]:
                parts.append(self.tr("照片{0}张").format(row["attachments"]))
            if row["has_sheet"]:
                parts.append(self.tr("签字单"))
            if row["party_decision"] == "confirmed":
                parts.append(self.tr("对方已确认"))
            elif row["party_decision"]:
                parts.append(self.tr("对方有异议"))
            return " · ".join(parts) or self.tr("无")
        if key == "checks":
            lang = self.context.language
            titles = dict.fromkeys(w.title.text(lang) for w in row["checks"])
            return ("⚠ " + ", ".join(titles)) if titles else ""
        if key == "note":
            return self.tr("批准后又修改") if row["was_approved"] else ""
        if key == "commissioner_name":
            return owner_name(row)
        return str(row.get(key) or "")

    def visit_id(self, row: int) -> str:
        return str(self.rows[row]["id"])


class ReviewView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.reviewer: Commissioner | None = None
        self.has_loaded = False
        self.details: dict[str, Any] = {}
        self._shown_id = ""
        # The opinion typed for a selection stays with it: selecting other visits shows theirs (or
        # none), so an opinion meant for one visit is never sent with another; going back finds it.
        self._opinions: dict[frozenset[str], str] = {}
        self._opinion_for: frozenset[str] = frozenset()
        self._loading = False
        self._load_again = False
        self._read_up_to: int | None = None  # how far the laptop had pulled when the queue was read
        self._decided_at = 0  # the queue row of the visits just decided: the next one is shown there
        self.title = heading("", self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("hint")
        self.count_label.setWordWrap(True)  # the English sentences are long for a 911-pixel screen
        self.refresh_button = QPushButton(self)
        self.refresh_button.clicked.connect(self.refresh)
        # The chosen visit's revisions on the server: who changed which field, when.
        self.history_button = QPushButton(self)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.model = QueueModel(context, self)
        self.table = make_table(self)
        self.table.setSortingEnabled(False)  # newest first, as the reviewer works through it
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setModel(self.model)
        # The content takes what is left, so the evidence and note columns stay in sight at 1366 pixels.
        # Beside the details on a field laptop at 150 % the eight columns do not fit: the place and
        # the evidence, which the details show too, give way first (see ColumnFitter).
        self.columns = ColumnFitter(
            self.table, QUEUE_WIDTHS, 4, QUEUE_TEXTS, self._samples, optional=QUEUE_OPTIONAL
        )
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        # A preview opens the full file (downloaded first when it is someone else's) in the system's viewer.
        self.detail.anchorClicked.connect(self._link_clicked)
        self._previews_asked: set[str] = set()
        self.detail.setMinimumWidth(280)  # with the list beside it within 911 pixels (150 %), in English
        self.opinion_label = QLabel(self)
        # Wraps: beside a county bureau's wider rail, in English, one line would not fit 911 pixels.
        self.opinion_label.setWordWrap(True)
        self.opinion = QPlainTextEdit(self)
        self.opinion.setFixedHeight(64)
        self.message = plain_label(QLabel(self))
        self.message.setWordWrap(True)
        self.sheet_box = QCheckBox(self)
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("primary")
        self.return_button = QPushButton(self)
        self.approve_button.clicked.connect(self.approve_selected)
        self.return_button.clicked.connect(self.return_selected)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.refresh_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.opinion_label)
        left_layout.addWidget(self.opinion)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sheet_box)
        buttons.addStretch(1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)
        left_layout.addLayout(buttons)
        # Under the buttons, the pane's whole width: beside them, at 150 % a message wrapped into a
        # narrow column (one character a line in English) and squeezed the queue to three rows.
        left_layout.addWidget(self.message)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        history_row = QHBoxLayout()
        history_row.addStretch(1)
        history_row.addWidget(self.history_button)
        right_layout.addLayout(history_row)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 480])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.retranslate()
        self._update_buttons()
        context.operation_did_execute.connect(self._records_changed)
        watcher(context).role_changed.connect(self._role_changed)  # (a bound method: see MainWindow)

    # --- loading ---------------------------------------------------------------------------------

    def load(self) -> None:
        if not self.has_loaded:
            self.refresh()

    def refresh(self) -> None:
        self.reviewer = reviewer(self.context)
        who = self.reviewer
        if who is None:
            self.model.set_rows([])
            self.has_loaded = True
            self._show_count()
            return
        if self._loading:  # one load at a time; a change meanwhile loads once more afterwards
            self._load_again = True
            return
        self._loading = True
        Operation(self, lambda store: review_queue_now(store, who), self._show_queue).failure(
            self._load_failed
        ).with_progress(self.tr("正在加载待审核记录…")).run_in_background()

    def _load_failed(self, error: BaseException) -> None:
        self._loading = False
        self._say(error_text(error), error=True)

    def _role_changed(self, _role: str) -> None:
        self.refresh()

    def _records_changed(self, changes: OpChanges) -> None:
        if self.has_loaded and changes.touches(
            "visits", "reviews", "commissioners", "attachments", "confirmations", "problems", "solutions"
        ):
            self.refresh()

    def _show_queue(self, queue: ReviewQueue) -> None:
        self._loading = False
        if self._load_again:
            self._load_again = False
            self.refresh()
            return
        rows = queue.rows
        self._read_up_to = queue.read_up_to  # what the decisions are of (see _decide)
        selected = set(self.selected_ids())
        current = self._shown_id
        self.model.set_rows(rows)
        self.has_loaded = True
        self.table.selectionModel().blockSignals(True)
        self.select_ids(list(selected))
        if not self.selected_ids() and rows:
            # The visit shown, else the one that took the place of those just decided (the reviewer
            # goes on down the queue, not back to its top).
            place = min(self._decided_at, len(rows) - 1)
            keep = next((i for i, item in enumerate(rows) if item["id"] == current), place)
            self.table.selectRow(keep)
        self._decided_at = 0
        self.table.selectionModel().blockSignals(False)
        self.table.viewport().update()
        self._show_count()
        self._selection_changed(force=True)  # the shown visit may have changed too

    def show_history(self) -> RecordHistoryDialog | None:
        """The chosen visit's history dialog (shown, not modal); None without exactly one chosen."""
        ids = self.selected_ids()
        if len(ids) != 1:
            return None
        dialog = RecordHistoryDialog(self.context, "visits", ids[0], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _show_count(self) -> None:
        if self.reviewer is None:
            self.count_label.setText(self.tr("审核供工作站站长或团长使用：请在“同步”页面用站长账户登录。"))
        elif not self.has_loaded:
            self.count_label.setText(self.tr("正在加载…"))
        elif not self.model.rows:
            self.count_label.setText(self.tr("没有待审核的服务记录。"))
        else:
            edited = sum(1 for r in self.model.rows if r["was_approved"])
            text = self.tr(
                "待审核 {0} 条，按服务日期从新到旧排列；按住 Ctrl 或 Shift 可选择多条一起通过。"
            ).format(f"{len(self.model.rows):,}")
            if edited:
                text += self.tr("其中 {0} 条批准后又被修改。").format(edited)
            self.count_label.setText(text)

    def _samples(self) -> dict[int, str]:
        """What the date, evidence and note columns must show whole."""
        # (A visit with a signed sheet too shows it shortened, whole in its tooltip.)
        evidence = self.tr("照片{0}张").format(12) + " · " + self.tr("对方已确认")
        return {0: "2026-12-05", 5: evidence, 7: self.tr("批准后又修改")}

    # --- selection and details -------------------------------------------------------------------

    def _selected_rows(self) -> list[dict[str, Any]]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r] for r in rows if r < len(self.model.rows)]

    def selected_ids(self) -> list[str]:
        return [str(row["id"]) for row in self._selected_rows()]

    def select_ids(self, ids: list[str]) -> None:
        """Select these visits (keyboard users and tests)."""
        wanted = set(ids)
        chosen = QItemSelection()
        for row, item in enumerate(self.model.rows):
            if item["id"] in wanted:
                chosen.select(self.model.index(row, 0), self.model.index(row, len(QueueModel.KEYS) - 1))
        # One selection change, not one per row: each change loads the shown visit's details.
        self.table.selectionModel().select(
            chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def _selection_changed(self, force: bool = False) -> None:
        self._update_buttons()
        current = self.table.currentIndex()
        ids = self.selected_ids()
        self._swap_opinion(frozenset(ids))
        visit_id = ""
        if current.isValid() and self.model.visit_id(current.row()) in ids:
            visit_id = self.model.visit_id(current.row())
        elif ids:
            visit_id = ids[0]
        if not visit_id:
            self._shown_id = ""
            self.details = {}
            self.detail.setHtml(self._empty_html())
            return
        if visit_id == self._shown_id and not force:
            return  # shown already, or on its way
        self._shown_id = visit_id
        Operation(
            self,
            lambda store: review_details(store, visit_id),
            lambda details: self._show_details(visit_id, details),
        ).run_in_background()

    def _swap_opinion(self, selection: frozenset[str]) -> None:
        if selection == self._opinion_for:
            return
        typed = self.opinion.toPlainText()
        if typed.strip():
            self._opinions[self._opinion_for] = typed
        else:
            self._opinions.pop(self._opinion_for, None)
        self._opinion_for = selection
        self.opinion.setPlainText(self._opinions.pop(selection, ""))

    def _show_details(self, visit_id: str, details: dict[str, Any]) -> None:
        if visit_id != self._shown_id:
            return  # the selection moved on meanwhile
        self.details = details
        self.detail.setHtml(self.details_html(details) if details else self._empty_html())
        files = [*details.get("photos", []), details.get("sheet") or {}] if details else []
        if visit_id not in self._previews_asked and any(
            f.get("sha256") and not f["thumbnail"] and not f["have_full"] for f in files
        ):
            # No preview yet (the bureau's computer, or before the sync that brings them): ask now.
            self._previews_asked.add(visit_id)
            fetch_record_previews(self.context.tasks, "visits", visit_id, lambda _n: self._reload_details())

    def _reload_details(self) -> None:
        self._selection_changed(force=True)

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == "evidence":
            sha = url.path()
            name = self._file_name(sha)
            open_full(
                self,
                self.context.tasks,
                sha,
                lambda text: self._say(text, error=True),
                lambda _path: self._open_copy(sha, name),
            )
        else:
            QDesktopServices.openUrl(url)

    def _file_name(self, sha256: str) -> str:
        """The name the file had when it was attached: the viewer knows its type by it."""
        for item in [*self.details.get("photos", []), self.details.get("sheet") or {}]:
            if item.get("sha256") == sha256 and item.get("original_name"):
                return str(item["original_name"])
        return ""

    def _open_copy(self, sha256: str, name: str) -> None:
        problem = open_named_copy(self.context.reader, sha256, name)
        if problem:
            self._say(problem, error=True)

    def _empty_html(self) -> str:
        text = self.tr("选择一条记录查看详情。")
        return f"<p style='color:#6b7280'>{html.escape(text)}</p>"

    def _update_buttons(self) -> None:
        n = len(self.selected_ids())
        # A signed sheet can be accepted only on a visit that has one (the core and the server
        # ignore the tick for the others): the box is offered when a selected visit has one.
        sheets = any(row.get("has_sheet") for row in self._selected_rows())
        self.sheet_box.setEnabled(sheets)
        if not sheets:
            self.sheet_box.setChecked(False)
        self.approve_button.setEnabled(n > 0 and self.reviewer is not None)
        self.history_button.setEnabled(n == 1)
        self.return_button.setEnabled(n > 0 and self.reviewer is not None)
        self.approve_button.setText(self.tr("通过所选（{0} 条）").format(n) if n > 1 else self.tr("通过"))
        self.return_button.setText(self.tr("退回所选（{0} 条）").format(n) if n > 1 else self.tr("退回修改"))

    def details_html(self, d: dict[str, Any]) -> str:
        lang = self.context.language
        v = d["visit"]
        e = html.escape
        out: list[str] = []
        separator = ", " if lang == "en" else "、"
        t = {
            "target": self.tr("服务对象"),
            "place": self.tr("地点"),
            "industry": self.tr("产业"),
            "types": self.tr("服务类型"),
            "item": self.tr("项目"),
            "then": self.tr("批准时"),
            "now": self.tr("现在"),
            "no_problems": self.tr("本次服务没有记录技术难题。"),
            "no_photos": self.tr("没有照片。"),
            # What the commissioner typed in (a contact person, a satisfaction): no proof by itself,
            # and not to be read as the served party's own answer ("party").
            "confirmed": self.tr("特派员填写的现场确认"),
            "party": self.tr("服务对象本人扫码确认"),
            "satisfaction": self.tr("满意度"),
            "unconfirmed": self.tr("服务对象尚未确认。"),
            "not_rated": self.tr("未评价"),
            "year_record": self.tr("近一年：已通过 {0} 条，已退回 {1} 条，待审核 {2} 条"),
            "open_photo": self.tr("点击照片可查看原图。"),
            "blank": self.tr("未填写"),
        }

        english = lang == "en"
        co = ": " if english else "："  # the templates' punctuation, by language
        gap = "&nbsp;&nbsp; " if english else "　"

        def bracket(text: str) -> str:
            return f" ({text})" if english else f"（{text}）"

        def stars_of(value: Any) -> str:
            return stars(value) or t["not_rated"]

        def filled(text: str) -> str:
            # A field the commissioner left empty says so: a label followed by nothing read as a gap
            # in the page, not as something missing from the record.
            return e(text) if text.strip() else f"<span style='color:#888'>{e(t['blank'])}</span>"

        def section(title: str) -> None:
            out.append(f"<h3 style='margin:10px 0 4px 0; color:#1f3a5f'>{e(title)}</h3>")

        out.append(f"<h2 style='margin:0'>{e(owner_name(v))}{gap}{e(v['visit_date'] or '')}</h2>")
        time_part = f"{v['start_time']}–{v['end_time']}" if v["start_time"] else ""
        industry = shown_reference(self.context, "industry", v["industry"] or "")
        place = (v["county"] or "") + (v["town"] or "") + (v["village"] or "")
        types_text = separator.join(
            SERVICE_TYPES[c].text(lang) if c in SERVICE_TYPES else c for c in v["service_types"]
        )
        out.append(
            f"<p style='margin:2px 0'>{e(t['target'])}{co}{filled(v['target_name'] or '')}{gap}"
            f"{e(time_part)}<br>{e(t['place'])}{co}{filled(place)}"
            f"{gap}{e(t['industry'])}{co}{filled(industry)}<br>{e(t['types'])}{co}"
            f"{filled(types_text)}"
            "</p>"
        )
        if d["changes"]:
            section(self.tr("批准后修改的内容"))
            out.append("<table cellspacing='0' cellpadding='3' border='1' style='border-color:#e5c07b'>")
            out.append(f"<tr><th>{e(t['item'])}</th><th>{e(t['then'])}</th><th>{e(t['now'])}</th></tr>")
            for field, (old, new) in d["changes"].items():
                label = LABELS.get(field) or VISIT_COUNTERS.get(field)
                name = label.text(lang) if label else field
                out.append(
                    f"<tr><td>{e(name)}</td><td>{e(_short(old))}</td><td><b>{e(_short(new))}</b></td></tr>"
                )
            out.append("</table>")
        if d.get("checks"):
            section(self.tr("核验提示（仅供参考，不影响审核）"))
            for w in d["checks"]:
                out.append(
                    f"<p style='margin:2px 0; color:{EDITED_COLOUR}'>⚠ <b>{e(w.title.text(lang))}</b>{co}"
                    f"{e(w.message.text(lang))}</p>"
                )
        # The proof first: the photos and the signed sheet are what a reviewer checks.
        section(self.tr("佐证材料"))
        if d["photos"]:
            cells = [self._file_cell(photo, photo["original_name"] or photo["kind"]) for photo in d["photos"]]
            out.append("<p>" + "&nbsp;".join(cells) + "</p>")
            out.append(f"<p style='margin:0; color:#6b7280'>{e(t['open_photo'])}</p>")
        else:
            out.append(f"<p style='margin:2px 0; color:#b91c1c'>{e(t['no_photos'])}</p>")
        if d.get("sheet"):
            section(self.tr("签字确认单"))
            out.append("<p>" + self._file_cell(d["sheet"], self.tr("签字确认单")) + "</p>")
        section(self.tr("服务内容"))
        out.append(f"<p style='margin:2px 0'>{e(v['content'] or '').replace(chr(10), '<br>')}</p>")
        counters = [(m.text(lang), v[k]) for k, m in VISIT_COUNTERS.items() if v.get(k)]
        if v.get("economic_benefit"):
            counters.append(
                (field_label(Visit, "economic_benefit").heading.text(lang), v["economic_benefit"])
            )
        if counters:
            out.append(
                "<p style='margin:2px 0'>"
                + gap.join(f"{e(name)}{co}<b>{value:g}</b>" for name, value in counters)
                + "</p>"
            )
        section(self.tr("技术难题与解决方案"))
        if not d["problems"]:
            out.append(f"<p style='margin:2px 0'>{e(t['no_problems'])}</p>")
        for p in d["problems"]:
            elsewhere = ""
            if p.get("raised_elsewhere"):
                # Raised before or elsewhere, solved on this visit: it counts through this approval.
                # Its state too: marked solved after an approval, it is what sent the visit back.
                state = PROBLEM_STATUSES.get(p.get("status") or "")
                note = self.tr("（{0} 提出，本次服务给出解决方案；{1}）").format(
                    p["raised_on"] or "", state.text(lang) if state else p.get("status") or ""
                )
                elsewhere = f" <span style='color:#b45309'>{e(note)}</span>"
            title = f"<b>{e(p['title'])}</b>{elsewhere}"
            out.append(f"<p style='margin:2px 0'>{title}{co}{e(p['description'] or '')}</p>")
            for s in p["solutions"]:
                out.append(
                    f"<p style='margin:0 0 2px 16px'>→ {e(s['description'] or '')}"
                    f"{bracket(e(s['technology'])) if s['technology'] else ''}</p>"
                )
        c = d.get("confirmation")
        if c:
            verdict = CONFIRMATION_DECISIONS.get(c["decision"], CONFIRMATION_DECISIONS["confirmed"]).text(
                lang
            )
            colour = "#15803d" if c["decision"] == "confirmed" else "#b91c1c"
            party_stars = stars_of(c["satisfaction"])
            out.append(
                f"<p style='margin:2px 0; color:{colour}'><b>{e(t['party'])}</b>{co}"
                f"{e(verdict)}{gap}{e(t['satisfaction'])} {e(party_stars)}{gap}{e(c['name'] or '')}"
                f"{bracket(e(c['role'])) if c['role'] else ''}"
                f"{gap + e(c['comment']) if c['comment'] else ''}</p>"
            )
        satisfaction = v["confirm_satisfaction"]
        if v["confirm_contact"] or satisfaction or v["confirm_remark"]:
            typed_stars = stars_of(satisfaction)
            out.append(
                f"<p style='margin:2px 0'>{e(t['confirmed'])}{co}{e(v['confirm_contact'] or '')}{gap}"
                f"{e(t['satisfaction'])} {e(typed_stars)}"
                f"{gap + e(v['confirm_remark']) if v['confirm_remark'] else ''}</p>"
            )
        elif not c:
            out.append(f"<p style='margin:2px 0; color:#b91c1c'>{e(t['unconfirmed'])}</p>")
        if d["reviews"]:
            section(self.tr("本记录的审核经过"))
            for decision, opinion, who, at in d["reviews"]:
                word = self.tr("已通过") if decision == "approved" else self.tr("已退回")
                when = e((at or "").replace("T", " ")[:16])
                out.append(
                    f"<p style='margin:0'>{when}{gap}{e(who or '')}{gap}{e(word)}"
                    f"{co + e(opinion) if opinion else ''}</p>"
                )
        section(self.tr("{0}的服务情况").format(owner_name(v)))
        r = d["record"]
        out.append(
            f"<p style='margin:2px 0'>"
            f"{e(t['year_record'].format(r['approved'], r['returned'], r['pending']))}</p>"
        )
        if d["recent"]:
            out.append("<table cellspacing='0' cellpadding='2'>")
            for item in d["recent"]:
                status = REVIEW_STATUSES.get(item["review_status"] or "")
                out.append(
                    f"<tr><td>{e(item['visit_date'] or '')}</td><td>{e(item['target_name'] or '')}</td>"
                    f"<td>{e(' '.join((item['content'] or '').split()))}</td>"
                    f"<td style='color:#4b5563'>{e(status.text(lang) if status else '')}</td></tr>"
                )
            out.append("</table>")
        return "".join(out)

    def _file_cell(self, item: dict[str, Any], name: str) -> str:
        """A preview that opens the full file; without a preview, the name and "not yet downloaded"."""
        e = html.escape
        link = f"evidence:{item['sha256']}" if item.get("sha256") else ""
        if item["thumbnail"]:
            url = QUrl.fromLocalFile(item["thumbnail"]).toString()
            return f"<a href='{e(link)}'><img src='{e(url)}' height='90'></a>"
        note = "" if item.get("have_full") else "（" + self.tr("尚未下载") + "）"
        return f"<a href='{e(link)}' style='color:#4b5563'>[{e(name)}{e(note)}]</a>" if link else e(name)

    # --- decisions -------------------------------------------------------------------------------

    def approve_selected(self) -> None:
        self._decide("approved")

    def return_selected(self) -> None:
        if not self.opinion.toPlainText().strip():
            self._say(self.tr("退回时必须填写审核意见，说明需要修改或补充什么。"), error=True)
            self.opinion.setFocus()
            return
        self._decide("returned")

    def _decide(self, decision: str) -> None:
        ids = self.selected_ids()
        who = self.reviewer
        if not ids or who is None:
            return
        opinion = self.opinion.toPlainText().strip()
        sheet = self.sheet_box.isChecked()
        rows = [i for i, item in enumerate(self.model.rows) if item["id"] in set(ids)]
        self._decided_at = min(rows) if rows else 0
        self.approve_button.setEnabled(False)
        self.return_button.setEnabled(False)
        # The approval is of the queue and the details as shown (the older of the two when a sync
        # reloaded one and not yet the other): evidence a sync brought since is caught by the server
        # (it refuses, and the record comes back to review).
        read = [self._read_up_to, self.details.get("read_up_to") if self.details else None]
        shown = min((r for r in read if r is not None), default=None)
        Operation(
            self,
            lambda store: decide_visits(
                store, ids, decision, who, opinion, sheet_accepted=sheet, read_up_to=shown
            ),
            lambda done: self._decided(decision, len(done.value)),
        ).failure(self._failed).with_progress(self.tr("正在保存审核结果…")).run_in_background()

    def _decided(self, decision: str, n: int) -> None:
        self.opinion.clear()
        self.sheet_box.setChecked(False)
        if decision == "approved":
            self._say(self.tr("已通过 {0} 条记录，下次同步时发送。").format(n))
            until_synced(self.context, self.message)
        else:
            self._say(self.tr("已退回 {0} 条记录，特派员同步后会看到您的意见。").format(n))
        self.table.clearSelection()  # their review state changed: the queue reloads from the broadcast

    def _failed(self, error: BaseException) -> None:
        self._say(error_text(error), error=True)
        self._update_buttons()

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b91c1c;" if error else "color: #166534;")
        self.message.setText(text)

    # --- language --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("审核"))
        self.refresh_button.setText(self.tr("刷新"))
        self.history_button.setText(self.tr("历史"))
        self.history_button.setToolTip(self.tr("查看所选服务记录在服务器上的修改历史"))
        self.opinion_label.setText(self.tr("审核意见（退回时必填，特派员同步后可见）"))
        self.opinion.setPlaceholderText(self.tr("例如：请补充现场照片和服务对象签字确认单。"))
        self.sheet_box.setText(self.tr("签字确认单已核验"))
        self.sheet_box.setToolTip(
            self.tr("勾选后，通过的记录中签字确认单上的满意度计入考核（服务对象扫码自评优先）。")
        )
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(QueueModel.KEYS) - 1)
        self.columns.refit()  # the headers' widths change with the language
        self._update_buttons()
        self._show_count()
        if self.details:
            self.detail.setHtml(self.details_html(self.details))
        else:
            self.detail.setHtml(self._empty_html())


def _short(value: Any, limit: int = 60) -> str:
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
