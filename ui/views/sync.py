"""同步: the server and account, the sync button with progress and cancel, and what the last sync did.

The sync itself runs on a network thread (ui/sync_control.py); this page shows its progress,
what waits to be sent, the last result (sent, received, conflicts, records the server refused
with its reason), a clock warning, and leads to the login dialog and the conflicts view.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.domain import ACCOUNT_ROLES, shown_time
from commissioner_app.i18n import Message
from commissioner_app.store import Store
from sync.engine import CLOCK_SKEW_WARNING, META_LAST_SYNC, PHASES
from sync.ops import META_LAST_REPORT, sendable_counts
from ui.context import AppContext
from ui.plain_text import plain_label, plain_tooltip
from ui.sync_control import Account, SyncController, clock_skew, sync_controller
from ui.sync_display import conflict_records, rejected_records
from ui.tasks import Operation, error_text
from ui.views.common import heading

# The roles as the organisation view names them (commissioner_app.domain.ACCOUNT_ROLES), capitalised.
ROLE_NAMES = {
    code: Message(name.zh, name.en[:1].upper() + name.en[1:]) for code, name in ACCOUNT_ROLES.items()
}
BANNER_WARNING = "background: #fff4ce; color: #5c4400; padding: 8px; border-radius: 4px;"
BANNER_ERROR = "background: #fde2e1; color: #7a1a14; padding: 8px; border-radius: 4px;"
BANNER_OK = "background: #e3f4ea; color: #14532d; padding: 8px; border-radius: 4px;"


def sync_summary(store: Store, language: str) -> dict[str, Any]:
    """Everything the page shows from the database (runs on the store worker)."""
    # What the next sync sends; records held back (a conflict, a rejection) need the user first.
    waiting = sendable_counts(store)
    report = store.get_meta(META_LAST_REPORT)
    total = sum(waiting.values())
    return {
        "total": total,
        "held": store.waiting_to_sync() - total,
        "by_table": waiting,
        "last_sync": store.get_meta(META_LAST_SYNC),
        "report": json.loads(report) if report else None,
        "clock_skew": clock_skew(store),
        "conflicts": len(conflict_records(store)),
        "rejected": rejected_records(store, language),
    }


def card(parent: QWidget) -> QFrame:
    frame = QFrame(parent)
    frame.setObjectName("card")
    return frame


class SyncView(QWidget):
    def __init__(
        self, context: AppContext, parent: QWidget | None = None, controller: SyncController | None = None
    ):
        super().__init__(parent)
        self.context = context
        self.controller = controller or sync_controller(context)
        self.summary: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.phase = ""
        self.title = heading("", self)

        # Server and account.
        self.account_card = card(self)
        self.account_heading = QLabel(self.account_card)
        self.account_heading.setStyleSheet("font-weight: bold;")
        account_form = QFormLayout()
        self.server_label, self.server = QLabel(self), plain_label(QLabel(self))
        self.user_label, self.user = QLabel(self), plain_label(QLabel(self))  # names from the server
        self.server.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.server.setWordWrap(True)
        self.user.setWordWrap(True)
        account_form.addRow(self.server_label, self.server)
        account_form.addRow(self.user_label, self.user)
        self.login_button = QPushButton(self)
        self.login_button.clicked.connect(lambda: self.open_login())
        self.logout_button = QPushButton(self)
        self.logout_button.clicked.connect(self.logout)
        account_buttons = QHBoxLayout()
        account_buttons.addWidget(self.login_button)
        account_buttons.addWidget(self.logout_button)
        account_buttons.addStretch(1)
        account_layout = QVBoxLayout(self.account_card)
        account_layout.addWidget(self.account_heading)
        account_layout.addLayout(account_form)
        account_layout.addLayout(account_buttons)
        account_layout.addStretch(1)

        # The sync itself.
        self.sync_card = card(self)
        self.sync_button = QPushButton(self)
        self.sync_button.setObjectName("primary")
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        self.phase_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress.setMinimumWidth(240)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 4)
        buttons.addWidget(self.phase_label)
        buttons.addStretch(1)
        status_form = QFormLayout()
        self.last_label, self.last = QLabel(self), QLabel(self)
        self.total_label, self.total = QLabel(self), QLabel(self)
        self.total.setWordWrap(True)
        self.reach_label, self.reach = QLabel(self), QLabel(self)
        self.reach.setWordWrap(True)
        status_form.addRow(self.last_label, self.last)
        status_form.addRow(self.total_label, self.total)
        status_form.addRow(self.reach_label, self.reach)
        self.auto = QCheckBox(self)
        self.auto.setChecked(self.controller.auto_sync)
        self.auto.toggled.connect(self.controller.set_auto_sync)
        sync_layout = QVBoxLayout(self.sync_card)
        sync_layout.addLayout(buttons)
        sync_layout.addLayout(status_form)
        sync_layout.addWidget(self.auto)
        sync_layout.addStretch(1)

        # Warnings: a failed sync, a wrong clock.
        self.error_banner = plain_label(QLabel(self))  # may quote the server's reason
        self.error_banner.setWordWrap(True)
        self.error_banner.setStyleSheet(BANNER_ERROR)
        self.error_banner.setVisible(False)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.clock_banner = QLabel(self)
        self.clock_banner.setWordWrap(True)
        self.clock_banner.setStyleSheet(BANNER_WARNING)
        self.clock_banner.setVisible(False)

        # The last result.
        self.result_card = card(self)
        self.result_heading = QLabel(self.result_card)
        self.result_heading.setStyleSheet("font-weight: bold;")
        self.result = plain_label(QLabel(self.result_card))
        self.result.setWordWrap(True)
        self.conflicts_button = QPushButton(self.result_card)
        self.conflicts_button.clicked.connect(self.open_conflicts)
        self.rejected_heading = QLabel(self.result_card)
        self.rejected = QTableWidget(0, 3, self.result_card)
        self.rejected.verticalHeader().setVisible(False)
        self.rejected.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rejected.setWordWrap(False)
        self.rejected.cellDoubleClicked.connect(self._open_rejected)
        # The table takes the room left, and scrolls: its wish for more rows made a short page
        # squeeze the cards above it, whose wrapped lines were then cut.
        self.rejected.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.rejected.setMinimumHeight(self.rejected.fontMetrics().height() * 6)
        header = self.rejected.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        result_layout = QVBoxLayout(self.result_card)
        result_layout.addWidget(self.result_heading)
        result_layout.addWidget(self.result)
        result_layout.addWidget(self.conflicts_button, 0, Qt.AlignmentFlag.AlignLeft)
        result_layout.addWidget(self.rejected_heading)
        result_layout.addWidget(self.rejected, 1)
        self.result_filler = QWidget(self.result_card)  # takes the room while no table is shown
        result_layout.addWidget(self.result_filler, 1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        grid.addWidget(self.account_card, 0, 0)
        grid.addWidget(self.sync_card, 0, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.clock_banner)
        layout.addWidget(self.result_card, 1)

        c = self.controller
        # Bound methods, not lambdas: the controller outlives a page it was built with, and Qt ends
        # a connection to a method when the page goes (a lambda's stayed, and its next signal
        # reached labels already deleted).
        c.account_changed.connect(self._account_changed)
        c.sync_started.connect(self._started)
        c.progress.connect(self._progress)
        c.sync_finished.connect(self._finished)
        c.synced_outside.connect(self._synced_outside)
        c.reachable_changed.connect(self._reachable_changed)
        requested = getattr(parent, "sync_requested", None)  # F5 and the Sync menu of the main window
        if requested is not None:
            requested.connect(self.sync_now)
        context.operation_did_execute.connect(self._records_changed)  # (a bound method: see MainWindow)
        self.retranslate()

    # --- data ------------------------------------------------------------------------------------

    def load(self, force: bool = False) -> None:
        if self.summary is not None and not force:
            return
        language = self.context.language
        Operation(self, lambda store: sync_summary(store, language), self._show).run_in_background()

    def _show(self, summary: dict[str, Any]) -> None:
        self.summary = summary
        self.retranslate()

    # --- actions ---------------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self.controller.syncing:
            return
        if not self.controller.account.logged_in:
            self.open_login(then_sync=True)
            return
        self.controller.start_sync()

    def cancel(self) -> None:
        self.controller.cancel()
        self.cancel_button.setEnabled(False)
        self.phase_label.setText(self.tr("正在取消…已完成的部分会保留"))

    def open_login(self, then_sync: bool = False) -> QWidget:
        from ui.sync_login import LoginDialog

        dialog = LoginDialog(self.context, self, self.controller)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if then_sync:
            dialog.logged_in.connect(lambda _a: self.controller.start_sync())
        self.login_dialog = dialog
        dialog.open()
        return dialog

    def logout(self) -> None:
        self.logout_button.setEnabled(False)
        self.controller.logout(lambda revoked, error: self._logged_out(error, revoked is not False))

    def _logged_out(self, error: BaseException | None, revoked: bool = True) -> None:
        self.logout_button.setEnabled(True)
        self.error = error
        self._show_state()
        if error is None and not revoked:
            # Offline: forgotten here, still good at the server until it expires (session.logout).
            self.error_banner.setText(
                self.tr(
                    "已退出登录，但未能连接服务器，登录凭据未在服务器上撤销：它将在 30 天内自行失效。"
                    "如电脑丢失或被他人使用，请联系科技局管理员停用账号或重置密码。"
                )
            )
            self.error_banner.setVisible(True)

    def _open_rejected(self, row: int, _column: int) -> None:
        """A rejected visit opens in the editor, where the user corrects it as the reason says."""
        rejected = (self.summary or {}).get("rejected") or []
        if not 0 <= row < len(rejected) or rejected[row]["table"] != "visits":
            return
        from ui.main_window import editors

        module = editors()
        if module is not None:
            module.open_visit_editor(self.window(), self.context, rejected[row]["id"])

    def open_conflicts(self) -> QWidget:
        from ui.conflicts_dialog import open_conflicts

        dialog = open_conflicts(self, self.context)
        self.conflicts_dialog = dialog
        return dialog

    # --- progress --------------------------------------------------------------------------------

    def _started(self, automatic: bool) -> None:
        self.error = None
        self.phase = "start"
        self.progress.setRange(0, 0)
        self._show_state()
        self.phase_label.setText(
            self.tr("自动同步：正在连接服务器…") if automatic else self.tr("正在连接服务器…")
        )

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.phase = phase
        label = PHASES[phase].text(self.context.language) if phase in PHASES else phase
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            if phase == "upload":
                self.phase_label.setText(f"{label} {done // 1024:,} / {total // 1024:,} KB")
            else:
                self.phase_label.setText(f"{label} {done:,} / {total:,}")
        else:
            self.progress.setRange(0, 0)  # a pull does not know how much is left
            self.phase_label.setText(self.tr("{0}：已接收 {1} 条").format(label, f"{done:,}"))

    def _finished(self, _result: dict[str, Any] | None, error: BaseException | None) -> None:
        self.error = error
        self.phase = ""
        self._show_state()
        self.load(force=True)

    def _synced_outside(self, completed: bool) -> None:
        """Another process (`commissioner sync`) synced: one that went through is the last sync now,
        and this page's error of an earlier one of its own no longer says how things stand."""
        if completed:
            self.error = None
            self._show_state()

    # --- showing ---------------------------------------------------------------------------------

    def _account_changed(self, _account: object) -> None:
        self._show_account()

    def _reachable_changed(self, _reachable: bool) -> None:
        self._show_state()

    def _show_account(self) -> None:
        a: Account = self.controller.account
        lang = self.context.language
        self.server.setText(a.server_url or self.tr("尚未设置"))
        if not a.username:
            self.user.setText(self.tr("未登录"))
        else:
            role = ROLE_NAMES.get(a.role)
            details = [a.username] if a.display_name != a.username else []
            if role:
                details.append(role.text(lang))
            who = a.display_name
            if details:
                who += f"（{'，'.join(details)}）" if lang != "en" else f" ({', '.join(details)})"
            self.user.setText(who if a.logged_in else self.tr("{0}，已退出登录").format(who))
        self.login_button.setText(self.tr("更换账户…") if a.logged_in else self.tr("登录…"))
        self.logout_button.setVisible(a.logged_in)
        self._show_state()

    def _show_state(self) -> None:
        c = self.controller
        running = c.syncing
        self.sync_button.setEnabled(not running)
        self.login_button.setEnabled(not running)
        self.logout_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        if not running:
            self.phase_label.setText("")
        if not c.account.logged_in:
            self.reach.setText(self.tr("登录后才能同步"))
        elif c.reachable is None:
            self.reach.setText(self.tr("尚未检查"))
        elif c.reachable:
            self.reach.setText(self.tr("可以连接服务器"))
        else:
            self.reach.setText(
                self.tr("暂时无法连接服务器；网络恢复后会自动同步")
                if c.auto_sync
                else self.tr("暂时无法连接服务器")
            )
        if self.error is not None:
            self.error_banner.setText(self.tr("上次同步未完成：{0}").format(error_text(self.error)))
            self.error_banner.setVisible(True)
        else:
            self.error_banner.setVisible(False)

    def _show_summary(self) -> None:
        s = self.summary
        lang = self.context.language
        if s is None:
            for label in (self.last, self.total, self.result):
                label.setText("…")
            return
        self.last.setText(shown_time(s["last_sync"]) or self.tr("从未同步"))
        names = {
            "visits": self.tr("服务记录"),
            "problems": self.tr("技术难题"),
            "solutions": self.tr("解决方案"),
            "service_targets": self.tr("服务对象"),
            "attachments": self.tr("附件"),
            "commissioners": self.tr("个人资料"),
            "service_agreements": self.tr("服务协议"),
        }
        parts = [f"{names[t]} {n:,}" for t, n in s["by_table"].items() if n and t in names]
        others = sum(n for t, n in s["by_table"].items() if t not in names)
        if others:
            parts.append(self.tr("其他 {0}").format(f"{others:,}"))
        total = self.tr("{0} 条").format(f"{s['total']:,}")
        if parts:
            total += f"（{'，'.join(parts)}）" if lang != "en" else f" ({', '.join(parts)})"
        if s["held"]:
            total += "\n" + self.tr("另有 {0} 条因冲突或被拒绝暂不发送，需要您先处理").format(
                f"{s['held']:,}"
            )
        self.total.setText(total)
        skew = s["clock_skew"]
        if skew is not None and abs(skew) > CLOCK_SKEW_WARNING:
            minutes = round(abs(skew) / 60)
            ahead = self.tr("快") if skew > 0 else self.tr("慢")
            self.clock_banner.setText(
                self.tr(
                    "本机时钟比服务器{0}约 {1} 分钟。请校准电脑的日期和时间：同步不受影响，但新记录的时间可能不准。"  # noqa: E501
                ).format(ahead, f"{minutes:,}")
            )
            self.clock_banner.setVisible(True)
        else:
            self.clock_banner.setVisible(False)
        report = s["report"]
        if report is None:
            self.result.setText(self.tr("还没有同步过。"))
        else:
            text = self.tr(
                "发送 {0} 条（其中合并 {1} 条），接收 {2} 条，删除 {3} 条，冲突 {4} 条，被拒绝 {5} 条，"
                "上传附件 {6} 个。"
            ).format(
                *(
                    f"{report[k]:,}"
                    for k in (
                        "pushed",
                        "merged",
                        "pulled",
                        "deleted",
                        "conflicts",
                        "rejected",
                        "attachments_uploaded",
                    )
                )
            )
            if report.get("cancelled"):
                text = self.tr("同步被取消，已完成的部分已保存。") + text
            problems = [
                p.get("en" if lang == "en" else "zh") or p.get("zh", "") for p in report.get("problems", [])
            ]
            self.result.setText("\n".join([text, *problems]))
        conflicts = s["conflicts"]
        self.conflicts_button.setText(self.tr("处理冲突（{0} 条记录）…").format(conflicts))
        self.conflicts_button.setVisible(conflicts > 0)
        rejected = s["rejected"]
        self.rejected_heading.setText(
            self.tr("被服务器拒绝的记录（{0} 条）：请按原因修改后保存，下次同步会再次发送").format(
                len(rejected)
            )
            if rejected
            else self.tr("没有等待修改的被拒记录。")
        )
        self.rejected.setVisible(bool(rejected))
        self.result_filler.setVisible(not rejected)
        self.rejected.setRowCount(len(rejected))
        for r, item in enumerate(rejected):
            for column, key in enumerate(("kind", "caption", "reason")):
                cell = QTableWidgetItem(item[key])
                cell.setToolTip(plain_tooltip(item[key]))
                self.rejected.setItem(r, column, cell)

    def _records_changed(self, _changes: object) -> None:
        if self.summary is not None:
            self.load(force=True)

    def retranslate(self) -> None:
        self.title.setText(self.tr("同步"))
        self.account_heading.setText(self.tr("服务器与账户"))
        self.server_label.setText(self.tr("服务器"))
        self.user_label.setText(self.tr("账户"))
        self.logout_button.setText(self.tr("退出登录"))
        self.sync_button.setText(self.tr("立即同步（F5）"))
        self.cancel_button.setText(self.tr("取消"))
        self.last_label.setText(self.tr("上次同步"))
        self.total_label.setText(self.tr("等待同步"))
        self.reach_label.setText(self.tr("连接状态"))
        self.auto.setText(self.tr("能连接服务器时自动同步（每分钟检查一次）"))
        self.result_heading.setText(self.tr("上次同步的结果"))
        self.rejected.setHorizontalHeaderLabels([self.tr("类型"), self.tr("记录"), self.tr("拒绝原因")])
        self._show_account()
        self._show_summary()

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.summary is not None:
                self.load(force=True)  # the rejected records' kinds and reasons are read in the language
        super().changeEvent(event)
