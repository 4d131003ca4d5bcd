"""Table models of the lists: visits (lazy, by id and page), problems and service targets.

The visit model follows Anki's browser model: the worker thread computes the ordered list of
matching ids (cheap even for 100,000 visits); `data()` fetches the rows of a page of 100 ids the
first time one of them is shown, through the read-only connection, and caches them by id.
Only the newest query's result is applied: a new keystroke interrupts the search still running for
the previous one (a read-only query, see TaskRunner.interrupt_reads) and queued stale queries are
skipped, so typing fast never builds a queue.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from commissioner_app.collation import zh_key
from commissioner_app.domain import (
    PROBLEM_STATUSES,
    SERVICE_TYPES,
    TARGET_TYPES,
    URGENCIES,
    Visit,
    field_label,
)
from commissioner_app.i18n import Message
from commissioner_app.ops import OpChanges
from commissioner_app.reference import english_names, shown_name
from commissioner_app.store import RECORD_STATES, Store, VisitQuery, record_state
from sync.errors import rejection_reason
from ui.context import AppContext
from ui.tasks import Operation

log = logging.getLogger("commissioner.ui.models")

_Index = QModelIndex | QPersistentModelIndex

PAGE = 100
CACHE_LIMIT = 20000  # rows kept by id before the cache is emptied (about 20 MB)

# Colours of the record states: calm for done, warm for "needs something", red for trouble.
STATE_COLOURS = {
    "draft": "#6b7280",
    "queued": "#b45309",
    "synced": "#047857",
    "conflict": "#b91c1c",
    "rejected": "#b91c1c",
    "pending": "#1d4ed8",
    "approved": "#047857",
    "returned": "#c2410c",
}

ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2


def reference_names(context: AppContext) -> dict[str, dict[str, str]]:
    """The reference data's English names, read once and again after any change (a sync or the
    bureau's reference view may have changed the reference data; the table is small)."""
    names: dict[str, dict[str, str]] | None = getattr(context, "_english_names", None)
    if names is None:
        names = english_names(context.reader)
        if not getattr(context, "_english_names_watched", False):
            context._english_names_watched = True  # type: ignore[attr-defined]
            context.operation_did_execute.connect(lambda _changes: setattr(context, "_english_names", None))
        context._english_names = names  # type: ignore[attr-defined]
    return names


def shown_reference(context: AppContext, kind: str, name_zh: str) -> str:
    """A stored (Chinese) county, town or industry name in the user's language where possible."""
    if context.language != "en" or not name_zh:
        return name_zh
    return shown_name(reference_names(context), kind, name_zh, context.language)


def shown_region(context: AppContext, row: dict[str, Any]) -> str:
    parts = (
        shown_reference(context, "county", row.get("county") or ""),
        shown_reference(context, "town", row.get("town") or ""),
        row.get("village") or "",
    )
    return " ".join(p for p in parts if p)


def state_label(state: str, language: str) -> str:
    message = RECORD_STATES.get(state)
    return message.text(language) if message else state


def state_tooltip(row: dict[str, Any], language: str) -> str | None:
    """A returned record shows the reviewer's opinion; a rejected one the server's reason."""
    state = row.get("state", "")
    if state == "returned" and row.get("review_opinion"):
        return QCoreApplication.translate("models", "退回意见：{0}").format(row["review_opinion"])
    if state == "rejected" and row.get("sync_error"):
        reason = rejection_reason(row["sync_error"])  # kept as JSON {"zh", "en"} by the sync engine
        text = reason.text(language) if reason else row["sync_error"]
        return QCoreApplication.translate("models", "服务器拒绝：{0}").format(text)
    if state == "conflict":
        return QCoreApplication.translate("models", "本机修改与服务器版本冲突，需要处理")
    return None


@dataclass(frozen=True)
class Column:
    key: str
    context: str  # translation context
    text: Any  # the Chinese title (a str), marked with QT_TRANSLATE_NOOP (which PySide6 types as object)
    sort_key: str | None = None  # a VisitQuery.order_by value, or a row key for in-memory lists
    align_right: bool = False
    label: Message | None = None  # a field's label as the domain defines it, instead of `text`

    def title(self) -> str:
        if self.label is not None:
            return self.label.text()
        return QCoreApplication.translate(self.context, str(self.text))


def _field_column(key: str, record: type, compact: bool = False) -> Column:
    """A column of a numeric field, headed with the domain's label (and unit)."""
    label = field_label(record, key)
    return Column(key, "", "", key, True, label.compact if compact else label.heading)


def stars(satisfaction: Any) -> str:
    """A satisfaction of 1 to 5 as five stars, filled as many; "" when not rated (a blank rating is
    not a zero: five empty stars would read as the worst mark)."""
    if satisfaction not in (1, 2, 3, 4, 5):
        return ""
    return "★" * int(satisfaction) + "☆" * (5 - int(satisfaction))


def owner_name(row: dict[str, Any]) -> str:
    """Whose a visit is, as a list shows it: the commissioner's name, or a word that their profile is
    not here (an account made without one, whose holder skipped it at first start: no name reaches
    the manager) rather than a blank a reviewer cannot read."""
    name = str(row.get("commissioner_name") or "")
    if name or not row.get("commissioner_id"):
        return name
    return QCoreApplication.translate("models", "（未填个人资料）")


def _visit_columns() -> list[Column]:
    return [
        Column("state", "VisitTableModel", QT_TRANSLATE_NOOP("VisitTableModel", "状态"), "state"),
        Column(
            "visit_date", "VisitTableModel", QT_TRANSLATE_NOOP("VisitTableModel", "服务日期"), "visit_date"
        ),
        Column("time", "VisitTableModel", QT_TRANSLATE_NOOP("VisitTableModel", "时间")),
        Column(
            "target_name", "VisitTableModel", QT_TRANSLATE_NOOP("VisitTableModel", "服务对象"), "target_name"
        ),
        Column("region", "VisitTableModel", QT_TRANSLATE_NOOP("VisitTableModel", "地区"), "county"),
        Column("industry", "VisitTableModel", QT_TRANSLATE_NOOP("VisitTableModel", "产业"), "industry"),
        Column("service_types", "VisitTableModel", QT_TRANSLATE_NOOP("VisitTableModel", "服务类型")),
        _field_column("people_trained", Visit),
        _field_column("economic_benefit", Visit, compact=True),
        # Whose visit: shown where the list holds others' visits too (a manager's, the bureau's).
        Column(
            "commissioner_name",
            "VisitTableModel",
            QT_TRANSLATE_NOOP("VisitTableModel", "科技特派员"),
            "commissioner_name",
        ),
    ]


class VisitTableModel(QAbstractTableModel):
    """All visits matching a `VisitQuery`, loaded lazily."""

    loading = Signal()
    first_page = Signal(int)  # the first rows are shown; the full list and count follow
    loaded = Signal(int)  # number of matching visits

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self.columns = _visit_columns()
        self.query = VisitQuery()
        self._ids: list[str] = []
        self._cache: dict[str, dict[str, Any]] = {}
        self._generation = 0
        self.has_loaded = False
        self.refreshing = False  # the running load is a refresh of the same query
        context.operation_did_execute.connect(self._on_records_changed)

    # --- loading ---------------------------------------------------------------------------------

    def set_query(self, query: VisitQuery) -> None:
        """Show the visits matching `query` (computed on the worker thread)."""
        self.query = query
        self.reload()

    def reload(self, refresh: bool = False) -> None:
        """Start the newest query; a search still running for an older one is interrupted.

        The first page comes first (a LIMIT query that stops early, a few ms) so rows show at once,
        then the complete id list for the scroll bar and the count. A `refresh` (same query, records
        changed) loads the complete list only, so the view can keep its place in it."""
        self._generation += 1
        generation = self._generation
        query = replace(self.query)
        self.refreshing = refresh
        self.context.tasks.interrupt_reads()
        self.loading.emit()

        def current() -> bool:
            return generation == self._generation

        if not refresh:
            Operation(
                self,
                lambda store: store.list_visits(query, limit=PAGE) if current() else None,
                lambda rows: self._apply_first_page(generation, rows),
            ).failure(lambda error: self._failed(generation, error)).interruptible().run_in_background()
        Operation(
            self,
            lambda store: store.visit_ids(query) if current() else None,
            lambda ids: self._apply(generation, ids),
        ).failure(lambda error: self._failed(generation, error)).interruptible().run_in_background()

    def _apply_first_page(self, generation: int, rows: list[dict[str, Any]] | None) -> None:
        if rows is None or generation != self._generation:
            return
        self.beginResetModel()
        self._ids = [row["id"] for row in rows]
        self._cache.update((row["id"], row) for row in rows)
        self.endResetModel()
        self.first_page.emit(len(rows))

    def _apply(self, generation: int, ids: list[str] | None) -> None:
        if ids is None or generation != self._generation:
            return
        self.beginResetModel()
        self._ids = ids
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        self.endResetModel()
        self.has_loaded = True
        self.loaded.emit(len(ids))

    def _failed(self, generation: int, error: BaseException) -> None:
        if isinstance(error, sqlite3.OperationalError) and "interrupt" in str(error):
            if generation == self._generation:
                self.reload(refresh=self.has_loaded)  # interrupted by someone else: try again
            return  # else a newer query took over
        if generation != self._generation:
            return
        from ui.tasks import show_error

        show_error(None, error)

    def _on_records_changed(self, changes: OpChanges) -> None:
        if changes.touches("visits", "service_targets"):
            self._cache.clear()
            if self.has_loaded:
                self.reload(refresh=True)

    # --- rows ------------------------------------------------------------------------------------

    def visit_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, visit_id: str) -> int:
        try:
            return self._ids.index(visit_id)
        except ValueError:
            return -1

    def row_data(self, row: int) -> dict[str, Any]:
        visit_id = self._ids[row]
        found = self._cache.get(visit_id)
        if found is None:
            self._fetch_page(row)
            found = self._cache.get(visit_id)
        return found or {}

    def _fetch_page(self, row: int) -> None:
        start = row - row % PAGE
        wanted = [i for i in self._ids[start : start + PAGE] if i not in self._cache]
        try:
            rows = self.context.reader.visit_rows(wanted)
        except sqlite3.Error:
            # E.g. the disk went away: the rows show "…" and are tried again when next painted.
            log.exception("could not read visit rows")
            return
        for visit_id in wanted:
            # A visit deleted since the ids were read shows as an empty row until the next reload.
            self._cache[visit_id] = rows.get(visit_id, {})

    # --- QAbstractTableModel ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title()
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.TextAlignmentRole,
            STATE_ROLE,
        ):
            return None
        row = self.row_data(index.row())
        if not row:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        lang = self.context.language
        if role == STATE_ROLE:
            return row["state"]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.key == "state":
                return QBrush(QColor(STATE_COLOURS.get(row["state"], "#000000")))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.key == "state":
                return state_tooltip(row, lang)
            if column.key in ("target_name", "service_types", "region"):
                return self._display(column.key, row, lang)
            return None
        return self._display(column.key, row, lang)

    def _display(self, key: str, row: dict[str, Any], lang: str) -> str:
        if key == "state":
            return state_label(row["state"], lang)
        if key == "time":
            return f"{row['start_time']}–{row['end_time']}" if row["start_time"] else ""
        if key == "region":
            return shown_region(self.context, row)
        if key == "industry":
            return shown_reference(self.context, "industry", row["industry"] or "")
        if key == "service_types":
            return (", " if lang == "en" else "、").join(
                SERVICE_TYPES[c].text(lang) if c in SERVICE_TYPES else c for c in row["service_types"]
            )
        if key == "economic_benefit":
            value = row["economic_benefit"] or 0
            return f"{value:,.2f}" if value else ""
        if key == "people_trained":
            return str(row["people_trained"] or "") if row["people_trained"] else ""
        if key == "commissioner_name":
            return owner_name(row)
        value = row.get(key)
        return "" if value is None else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if not self.has_loaded and self._generation == 0:
            # Setting up the header before the first load: remember the order, load nothing yet.
            self.query = replace(self.query, order_by=key, descending=descending)
            return
        if key == self.query.order_by and descending == self.query.descending:
            return
        self.set_query(replace(self.query, order_by=key, descending=descending))

    def sort_column(self) -> int:
        for i, column in enumerate(self.columns):
            if column.sort_key == self.query.order_by:
                return i
        return 1

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))


class RowListModel(QAbstractTableModel):
    """A list loaded whole on the worker thread (problems, service targets), sorted in memory."""

    loading = Signal()
    loaded = Signal(int)
    table = ""
    natural_sort: tuple[str, bool] | None = None  # the order the store returns rows in

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self.columns: list[Column] = []
        self.filters: dict[str, str] = {}
        self.rows: list[dict[str, Any]] = []
        self._sort: tuple[str, bool] | None = None
        self._generation = 0
        self.has_loaded = False
        context.operation_did_execute.connect(self._on_records_changed)

    def fetch(self, store: Store, filters: dict[str, str], limit: int) -> list[dict[str, Any]]:
        raise NotImplementedError

    def display(self, key: str, row: dict[str, Any], lang: str) -> str:
        if key == "region" and "county" in row:
            return shown_region(self.context, row)
        if key in ("industry", "county"):
            return shown_reference(self.context, key, row.get(key) or "")
        value = row.get(key)
        return "" if value is None else str(value)

    def set_filters(self, **filters: str) -> None:
        self.filters = dict(filters)
        self.reload()

    def reload(self) -> None:
        """Load the rows on the worker: the first page at once when the list shows the store's own
        order, then all of them. Queries made stale by newer filters are skipped."""
        self._generation += 1
        generation, filters = self._generation, dict(self.filters)
        self.loading.emit()

        def current() -> bool:
            return generation == self._generation

        if self._sort in (None, self.natural_sort):
            Operation(
                self,
                lambda store: self.fetch(store, filters, PAGE) if current() else None,
                lambda rows: self._apply(generation, rows, complete=False),
            ).failure(lambda error: self._failed(generation, error)).interruptible().run_in_background()
        Operation(
            self,
            lambda store: self.fetch(store, filters, 1_000_000) if current() else None,
            lambda rows: self._apply(generation, rows, complete=True),
        ).failure(lambda error: self._failed(generation, error)).interruptible().run_in_background()

    def _apply(self, generation: int, rows: list[dict[str, Any]] | None, *, complete: bool) -> None:
        if rows is None or generation != self._generation:
            return
        self.beginResetModel()
        self.rows = rows
        self._apply_sort()
        self.endResetModel()
        if complete:
            self.has_loaded = True
            self.loaded.emit(len(rows))

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(error, sqlite3.OperationalError) and "interrupt" in str(error):
            self.reload()  # a search or a save took priority on the worker: load again
            return
        from ui.tasks import show_error

        show_error(None, error)

    def _on_records_changed(self, changes: OpChanges) -> None:
        if changes.touches(self.table) and self.has_loaded:
            self.reload()

    def _apply_sort(self) -> None:
        if self._sort is None:
            return
        key, descending = self._sort

        def sort_value(row: dict[str, Any]) -> tuple[int, Any]:
            value = row.get(key)
            if value in (None, ""):
                return (1, "")
            return (0, zh_key(value)) if isinstance(value, str) else (0, value)  # names by pinyin

        self.rows.sort(key=sort_value, reverse=descending)

    def sort_by(self, key: str | None, descending: bool = False) -> None:
        """Set the order without a header click (None: the order the store gives)."""
        self.layoutAboutToBeChanged.emit()
        self._sort = None if key is None else (key, descending)
        self._apply_sort()
        self.layoutChanged.emit()

    def record_id(self, row: int) -> str | None:
        return self.rows[row]["id"] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title()
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        lang = self.context.language
        if role == ID_ROLE:
            return row["id"]
        if role == STATE_ROLE:
            return row["state"]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(column.key, row, lang)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.key == "state":
                return state_tooltip(row, lang)
            text = self.display(column.key, row, lang)
            return text if len(text) > 12 else None
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "state":
            return QBrush(QColor(STATE_COLOURS.get(row["state"], "#000000")))
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key
        if key is None:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (key, order == Qt.SortOrder.DescendingOrder)
        self._apply_sort()
        self.layoutChanged.emit()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))


class ProblemTableModel(RowListModel):
    table = "problems"
    natural_sort = ("raised_on", True)

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(context, parent)

        self.columns = [
            Column("state", "ProblemTableModel", QT_TRANSLATE_NOOP("ProblemTableModel", "状态"), "state"),
            Column("title", "ProblemTableModel", QT_TRANSLATE_NOOP("ProblemTableModel", "难题"), "title"),
            Column(
                "status", "ProblemTableModel", QT_TRANSLATE_NOOP("ProblemTableModel", "进展"), "status_order"
            ),
            Column(
                "urgency",
                "ProblemTableModel",
                QT_TRANSLATE_NOOP("ProblemTableModel", "紧急程度"),
                "urgency_order",
            ),
            Column(
                "industry", "ProblemTableModel", QT_TRANSLATE_NOOP("ProblemTableModel", "产业"), "industry"
            ),
            Column(
                "target_name",
                "ProblemTableModel",
                QT_TRANSLATE_NOOP("ProblemTableModel", "服务对象"),
                "target_name",
            ),
            Column(
                "raised_on",
                "ProblemTableModel",
                QT_TRANSLATE_NOOP("ProblemTableModel", "提出日期"),
                "raised_on",
            ),
            Column(
                "solutions",
                "ProblemTableModel",
                QT_TRANSLATE_NOOP("ProblemTableModel", "解决方案"),
                "solutions",
                True,
            ),
        ]

    def fetch(self, store: Store, filters: dict[str, str], limit: int) -> list[dict[str, Any]]:
        rows = store.list_problems(
            text=filters.get("text", ""),
            status=filters.get("status") or None,
            industry=filters.get("industry", ""),
            limit=limit,
        )
        statuses, urgencies = list(PROBLEM_STATUSES), list(URGENCIES)
        for row in rows:
            row["state"] = record_state(row["sync_state"])
            row["status_order"] = statuses.index(row["status"]) if row["status"] in statuses else 99
            row["urgency_order"] = urgencies.index(row["urgency"]) if row["urgency"] in urgencies else 99
            row["raised_on"] = str(row["raised_on"] or "")
        return rows

    def display(self, key: str, row: dict[str, Any], lang: str) -> str:
        if key == "state":
            return state_label(row["state"], lang)
        if key == "status":
            label = (
                PROBLEM_STATUSES[row["status"]].text(lang)
                if row["status"] in PROBLEM_STATUSES
                else row["status"]
            )
            return label
        if key == "urgency":
            return URGENCIES[row["urgency"]].text(lang) if row["urgency"] in URGENCIES else row["urgency"]
        return super().display(key, row, lang)


class TargetTableModel(RowListModel):
    table = "service_targets"
    natural_sort = ("region", False)

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(context, parent)

        self.columns = [
            Column("state", "TargetTableModel", QT_TRANSLATE_NOOP("TargetTableModel", "状态"), "state"),
            Column("name", "TargetTableModel", QT_TRANSLATE_NOOP("TargetTableModel", "名称"), "name"),
            Column("type", "TargetTableModel", QT_TRANSLATE_NOOP("TargetTableModel", "类型"), "type"),
            Column("region", "TargetTableModel", QT_TRANSLATE_NOOP("TargetTableModel", "地区"), "region"),
            Column("industry", "TargetTableModel", QT_TRANSLATE_NOOP("TargetTableModel", "产业"), "industry"),
            Column(
                "contact_name",
                "TargetTableModel",
                QT_TRANSLATE_NOOP("TargetTableModel", "联系人"),
                "contact_name",
            ),
            Column("contact_phone", "TargetTableModel", QT_TRANSLATE_NOOP("TargetTableModel", "联系电话")),
            Column(
                "visits",
                "TargetTableModel",
                QT_TRANSLATE_NOOP("TargetTableModel", "服务次数"),
                "visits",
                True,
            ),
        ]

    def fetch(self, store: Store, filters: dict[str, str], limit: int) -> list[dict[str, Any]]:
        rows = store.list_targets(
            text=filters.get("text", ""),
            type=filters.get("type", ""),
            county=filters.get("county", ""),
            limit=limit,
        )
        for row in rows:
            row["state"] = record_state(row["sync_state"])
            row["region"] = " ".join(p for p in (row["county"], row["town"], row["village"]) if p)
        return rows

    def display(self, key: str, row: dict[str, Any], lang: str) -> str:
        if key == "state":
            return state_label(row["state"], lang)
        if key == "type":
            return TARGET_TYPES[row["type"]].text(lang) if row["type"] in TARGET_TYPES else row["type"]
        if key == "visits":
            return str(row["visits"])
        return super().display(key, row, lang)
