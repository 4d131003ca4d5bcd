"""Evidence attachments of a record: add by file dialog or drag and drop, thumbnails, EXIF, open.

The bytes are copied into the store's content-addressed folder the moment a file is added, so a
file later moved or deleted on the laptop is not lost. The attachment *records* are written with
their owner (`commit`), as drafts while the owner is a draft: nothing is queued for sync before
the record it belongs to.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from commissioner_app import i18n
from commissioner_app.attachments import (
    blob_path,
    prepare_attachment,
    thumbnail_path,
    valid_sha256,
)
from commissioner_app.domain import ATTACHMENT_KINDS, Attachment
from commissioner_app.errors import CommissionerError
from commissioner_app.ops.visits import write_attachments
from commissioner_app.store import Store
from ui import folders
from ui.editors.fields import ErrorLabel
from ui.plain_text import plain_label, plain_tooltip

log = logging.getLogger("commissioner.ui.attachments")

THUMB = 96


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB"


class AttachmentsWidget(QWidget):
    """The attachments of one owner record. `kind` fixes the kind (e.g. the signed confirmation sheet)."""

    changed = Signal()

    def __init__(
        self,
        store: Store,
        owner_table: str,
        owner_id: str,
        parent: QWidget | None = None,
        *,
        kind: str | None = None,
        single: bool = False,
    ):
        super().__init__(parent)
        self._store = store  # the read-only connection: files are found through it
        self._owner_table, self._owner_id = owner_table, owner_id
        self._kind = kind
        self._single = single
        self._items: list[Attachment] = []
        self._saved_ids: set[str] = set()  # records already in the database
        self._removed: list[str] = []
        self.setAcceptDrops(True)

        self.list = QListWidget(self)
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 60, THUMB + 48))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(THUMB + 60)
        if single:
            self.list.setFixedHeight(THUMB + 60)
        self.list.currentRowChanged.connect(self._show_info)
        self.list.itemDoubleClicked.connect(lambda _i: self.open_current())
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_current)
        self.remove_button = QPushButton(self)
        self.remove_button.clicked.connect(self.remove_current)
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #666;")
        self.info = plain_label(QLabel(self))
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = ErrorLabel(self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.info)
        layout.addWidget(self.error)
        self.retranslate()
        self._update_buttons()

    # --- language --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        if self._kind == "confirmation_sheet":
            self.add_button.setText(self.tr("添加签字确认单扫描件…"))
        else:
            self.add_button.setText(self.tr("添加照片或文档…"))
        self.open_button.setText(self.tr("打开"))
        self.remove_button.setText(self.tr("移除"))
        self.hint.setText(self.tr("也可以把文件直接拖到这里"))
        self.list.setAccessibleName(self.tr("附件"))
        self._refresh_items()
        self._show_info(self.list.currentRow())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- contents --------------------------------------------------------------------------------

    def load(self, attachments: list[Attachment]) -> None:
        """Show the attachments already saved for the owner."""
        self._items = list(attachments)
        self._saved_ids = {a.id for a in attachments}
        self._removed = []
        self._refresh_items()
        store = self._store
        if (
            self._owner_id
            and store.data_dir is not None
            and any(
                valid_sha256(a.sha256)
                and not thumbnail_path(store, a.sha256).exists()
                and not blob_path(store, a.sha256).exists()
                for a in self._items
            )
        ):
            # Someone else's files without previews (the bureau opening a record): fetch them.
            from ui.evidence_files import fetch_record_previews
            from ui.tasks import Executor

            try:
                tasks = Executor.current()
            except RuntimeError:  # a widget outside the application (no executor): nothing to fetch with
                return
            fetch_record_previews(tasks, self._owner_table, self._owner_id, lambda _n: self._refresh_items())

    def attachments(self) -> list[Attachment]:
        return list(self._items)

    def set_owner(self, owner_id: str) -> None:
        self._owner_id = owner_id
        for item in self._items:
            item.owner_id = owner_id

    def add_files(self, paths: Sequence[Path | str]) -> list[Attachment]:
        """Add files; a missing or unreadable one is reported under the list, the others still added."""
        added, problems = [], []
        for raw in paths:
            path = Path(raw)
            try:
                if self._kind:
                    kind = self._kind
                else:
                    mime = mimetypes.guess_type(path.name)[0] or ""
                    kind = "photo" if mime.startswith("image/") else "document"
                attachment = prepare_attachment(self._store, path, self._owner_table, self._owner_id, kind)
            except CommissionerError as exc:
                log.info("attachment refused: %s", exc.message.en)
                problems.append(exc.text(i18n.language()))
                continue
            if self._single:
                for old in self._items:
                    self._drop(old)
            self._items.append(attachment)
            added.append(attachment)
        self.error.show_message("\n".join(problems))
        if added:
            self._refresh_items()
            self.list.setCurrentRow(len(self._items) - 1)
            self.changed.emit()
        return added

    def _folder_kind(self) -> str:
        """Which remembered folder this list's files come from: a scanner's, or a camera's."""
        return "sheets" if self._kind == "confirmation_sheet" else "photos"

    def choose_files(self) -> None:
        if self._kind == "confirmation_sheet":
            pattern = self.tr("扫描件 (*.jpg *.jpeg *.png *.pdf);;所有文件 (*)")
        else:
            pattern = self.tr(
                "照片和文档 (*.jpg *.jpeg *.png *.heic *.pdf *.doc *.docx *.xls *.xlsx);;所有文件 (*)"
            )
        kind = self._folder_kind()
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择附件"), folders.start(kind, folders.PICTURES), pattern
        )
        if paths:
            folders.remember(kind, paths[0])
            self.add_files(paths)

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._items):
            self._drop(self._items[row])
            self._refresh_items()
            self.changed.emit()

    def _drop(self, attachment: Attachment) -> None:
        self._items.remove(attachment)
        if attachment.id in self._saved_ids:
            self._removed.append(attachment.id)

    def open_current(self) -> None:
        """Open in the system viewer: a copy named like the original, so the viewer knows its type."""
        row = self.list.currentRow()
        if not 0 <= row < len(self._items):
            return
        attachment = self._items[row]
        if self._not_here(attachment):
            # Someone else's file not downloaded yet: fetched first (progress, cancel), then opened.
            from ui.evidence_files import open_full
            from ui.tasks import Executor

            open_full(
                self,
                Executor.current(),
                attachment.sha256,
                self.error.show_message,
                lambda _path: self._open_local(attachment),
            )
            return
        self._open_local(attachment)

    def _open_local(self, attachment: Attachment) -> None:
        from ui.evidence_files import open_named_copy

        problem = open_named_copy(self._store, attachment.sha256, attachment.original_name)
        if problem:
            self.error.show_message(problem)
        else:
            self.error.clear_message()

    # --- saving with the owner -------------------------------------------------------------------

    def commit_to(self, store: Store, draft: bool) -> None:
        """The same, on a given store (inside a transaction). Touches no widget: runs on the worker."""
        write_attachments(store, self._owner_table, self._owner_id, self._items, self._removed, draft=draft)
        self._saved_ids.update(a.id for a in self._items)
        self._removed = []

    def discard_unsaved(self) -> None:
        """Forget attachments added since the last commit (their bytes stay; they are shared by hash)."""
        self._items = [a for a in self._items if a.id in self._saved_ids]

    def state(self) -> dict[str, Any]:
        return {
            "items": [asdict(a) for a in self._items],
            "removed": list(self._removed),
            "saved": sorted(self._saved_ids),
        }

    def apply_state(self, state: dict[str, Any]) -> None:
        self._items = [Attachment(**item) for item in state.get("items", [])]
        self._removed = list(state.get("removed", []))
        self._saved_ids = set(state.get("saved", []))
        self._refresh_items()

    # --- display ---------------------------------------------------------------------------------

    def _refresh_items(self) -> None:
        current = self.list.currentRow()
        self.list.clear()
        for attachment in self._items:
            item = QListWidgetItem(self._icon(attachment), self._caption(attachment))
            item.setToolTip(plain_tooltip(attachment.original_name))
            self.list.addItem(item)
        if self._items:
            self.list.setCurrentRow(min(max(current, 0), len(self._items) - 1))
        else:
            self._show_info(-1)
        self._update_buttons()

    def _icon(self, attachment: Attachment) -> QIcon:
        thumb = thumbnail_path(self._store, attachment.sha256)
        if thumb.exists():
            pixmap = QPixmap(str(thumb))
            if not pixmap.isNull():
                return QIcon(pixmap)
        return self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def _caption(self, attachment: Attachment) -> str:
        name = attachment.original_name or attachment.sha256[:8]
        if len(name) > 16:
            name = name[:7] + "…" + name[-7:]
        if self._not_here(attachment):
            name += "\n" + self.tr("尚未下载")
        return name

    def _not_here(self, attachment: Attachment) -> bool:
        """A saved attachment whose file is not on this computer (someone else's, not downloaded)."""
        return (
            attachment.id in self._saved_ids
            and self._store.data_dir is not None
            and valid_sha256(attachment.sha256)
            and not blob_path(self._store, attachment.sha256).exists()
        )

    def _show_info(self, row: int) -> None:
        self._update_buttons()
        if not 0 <= row < len(self._items):
            self.info.setText("")
            return
        a = self._items[row]
        kind = ATTACHMENT_KINDS.get(a.kind)
        parts = [
            f"{a.original_name}（{kind.text(i18n.language()) if kind else a.kind}，{_size_text(a.size)}）"
        ]
        if a.taken_at:
            parts.append(self.tr("拍摄时间：%1").replace("%1", a.taken_at.replace("T", " ")))
        if a.gps_lat is not None and a.gps_lon is not None:
            lat = f"{abs(a.gps_lat):.5f}°{'N' if a.gps_lat >= 0 else 'S'}"
            lon = f"{abs(a.gps_lon):.5f}°{'E' if a.gps_lon >= 0 else 'W'}"
            parts.append(self.tr("拍摄地点：%1").replace("%1", f"{lat}, {lon}"))
        elif a.mime.startswith("image/"):
            parts.append(self.tr("照片中没有位置信息"))
        self.info.setText("　".join(parts))

    def _update_buttons(self) -> None:
        has = 0 <= self.list.currentRow() < len(self._items)
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    # --- drag and drop ---------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            if self.add_files(paths):  # the 添加 dialog opens where the dropped files came from
                folders.remember(self._folder_kind(), paths[0])
            event.acceptProposedAction()
