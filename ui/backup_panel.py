"""数据备份与恢复 in the settings: back up to one file, restore from one, find the log file.

Backing up runs on the store's worker thread (it reads the database through SQLite's backup API,
so the user can keep working). Restoring replaces the database under the running application, so
it verifies the file first (in the background), asks, then closes the store, restores and quits:
the next start opens the restored data.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commissioner_app.backup import (
    BackupResult,
    default_backup_name,
    make_backup,
    restore_backup,
    verify_backup,
)
from commissioner_app.errors import CommissionerError
from commissioner_app.logs import current_log_path, log_path
from ui.context import AppContext
from ui.tasks import Operation, error_text

log = logging.getLogger("commissioner.ui.backup")


class BackupPanel(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.backup_button = QPushButton(self)
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button = QPushButton(self)
        self.restore_button.clicked.connect(self.restore)
        self.log_label = QLabel(self)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_button = QPushButton(self)
        self.log_button.clicked.connect(self.open_log_folder)

        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        log_row = QHBoxLayout()
        log_row.addWidget(self.log_label, 1)
        log_row.addWidget(self.log_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(buttons)
        layout.addLayout(log_row)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setTitle(self.tr("数据备份与恢复"))
        self.explanation.setText(
            self.tr("备份文件包含全部记录和附件照片，可保存到U盘或其他电脑；换电脑或数据损坏时用它恢复。")
        )
        self.backup_button.setText(self.tr("备份到文件…"))
        self.restore_button.setText(self.tr("从备份恢复…"))
        self.log_label.setText(self.tr("日志文件（技术支持可能需要）：{0}").format(self.log_file()))
        self.log_button.setText(self.tr("打开日志文件夹"))

    def log_file(self) -> Path:
        return current_log_path() or log_path(self.context.data_dir or Path.cwd())

    # --- backup ----------------------------------------------------------------------------------

    def back_up(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("备份到文件"),
            str(Path(folder) / default_backup_name()),
            self.tr("备份文件 (*.zip)"),
        )
        if not path:
            return
        data_dir = self.context.data_dir
        if data_dir is None:
            return
        self.backup_button.setEnabled(False)
        Operation(self, lambda _store: make_backup(data_dir, Path(path)), self._backed_up).failure(
            self._failed
        ).with_progress(self.tr("正在备份…")).run_in_background()

    def _backed_up(self, result: BackupResult) -> None:
        self.backup_button.setEnabled(True)
        text = self.tr("已备份 {0} 条记录和 {1} 个附件文件（{2:.1f} MB）到：\n{3}").format(
            sum(result.records.values()), result.attachments, result.size_bytes / 1e6, result.path
        )
        if result.missing_attachments:
            text += "\n\n" + self.tr("注意：{0} 个附件的文件原本就缺失，未能备份。").format(
                len(result.missing_attachments)
            )
        QMessageBox.information(self, self.tr("备份完成"), text)

    def _failed(self, error: BaseException) -> None:
        self.backup_button.setEnabled(True)
        self.restore_button.setEnabled(True)
        if not isinstance(error, CommissionerError):
            log.error("backup or check failed", exc_info=error)
        QMessageBox.warning(self, self.tr("操作未完成"), error_text(error))

    # --- restore ---------------------------------------------------------------------------------

    def restore(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("从备份恢复"), folder, self.tr("备份文件 (*.zip)")
        )
        if not path:
            return
        self.restore_button.setEnabled(False)
        Operation(
            self, lambda _store: verify_backup(Path(path)), lambda m: self._confirm(Path(path), m)
        ).failure(self._failed).with_progress(self.tr("正在检查备份文件…")).run_in_background()

    def _confirm(self, archive: Path, manifest: dict) -> None:
        self.restore_button.setEnabled(True)
        made = str(manifest.get("created_at", ""))
        try:
            made = datetime.fromisoformat(made).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            pass
        records = manifest.get("records", {})
        answer = QMessageBox.question(
            self,
            self.tr("从备份恢复"),
            self.tr(
                "备份文件完好：{0} 备份，含 {1} 条服务记录。\n\n恢复后，当前数据将被替换（当前数据会另存在数据目录的 "  # noqa: E501
                "backups 文件夹中）；程序随后关闭，请重新启动。\n\n确定恢复吗？"
            ).format(made, records.get("visits", 0)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore_now(archive)

    def restore_now(self, archive: Path) -> None:
        """Close the store, restore, tell the user, quit (the next start opens the restored data)."""
        data_dir = self.context.data_dir
        if data_dir is None:
            return
        # Nothing may use the store from here on: the window goes, then every connection closes.
        self.window().hide()
        self.context.close()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = restore_backup(archive, data_dir)
        except CommissionerError as exc:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(
                None, self.tr("恢复未完成"), exc.text() + "\n\n" + self.tr("请重新启动程序。")
            )
        else:
            QGuiApplication.restoreOverrideCursor()
            text = self.tr("已恢复。请重新启动程序。")
            if result.previous:
                text += "\n\n" + self.tr("原有数据已保留在：{0}").format(result.previous)
            QMessageBox.information(None, self.tr("恢复完成"), text)
        QCoreApplication.exit(0)

    # --- log -------------------------------------------------------------------------------------

    def open_log_folder(self) -> None:
        folder = self.log_file().parent
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
