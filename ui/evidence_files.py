"""Other people's evidence in the GUI: full files downloaded on the network lane before they are
opened or printed (progress, cancel; a cut download resumes, sync/evidence.py), and the previews of a
record that a sync did not bring (the bureau's computer, when it opens a record)."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QProgressDialog, QWidget

from commissioner_app import i18n
from commissioner_app.attachments import blob_path, safe_file_name, verify_blob
from commissioner_app.ops import OpResult
from commissioner_app.store import Store
from sync.errors import AuthExpiredError, OfflineError, SyncCancelledError
from sync.evidence import hashes_of_record, open_files_op, previews_op, record_previews_op
from ui.screen_fit import fit_dialog

log = logging.getLogger("commissioner.ui.evidence")


def not_downloaded_text() -> str:
    return QCoreApplication.translate("EvidenceFiles", "尚未下载：连接服务器后将自动下载。")


_OPEN_FOLDER: list[Path] = []


def _open_folder() -> Path:
    """This process's own folder for the copies it opens: made afresh (readable by this user only),
    so nobody else can have put a file or a link where a copy is written."""
    if not _OPEN_FOLDER or not _OPEN_FOLDER[0].is_dir():
        _OPEN_FOLDER[:] = [Path(tempfile.mkdtemp(prefix="commissioner-open-"))]
    return _OPEN_FOLDER[0]


def open_named_copy(store: Store, sha256: str, original_name: str) -> str:
    """Show a stored file in the system's viewer, through a copy named like the original: the store
    keeps files under their hash, without an extension, and the viewer goes by the name (Windows
    asks how to open the bare file, or fails). "" when the viewer took it; else what went wrong."""
    problem = verify_blob(store, sha256, original_name)
    if problem is not None:
        return problem.text(i18n.language())
    try:
        folder = _open_folder()
        # Only a safe base name: a name from elsewhere never picks the folder or a device.
        copy = folder / f"{sha256[:8]}-{safe_file_name(original_name)}"
        shutil.copyfile(blob_path(store, sha256), copy)
    except OSError as exc:
        text = QCoreApplication.translate("EvidenceFiles", "无法打开附件：%1")
        return text.replace("%1", str(exc.strerror))
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
        return QCoreApplication.translate(
            "EvidenceFiles", "系统中没有可以打开此类文件的程序。文件位于：%1"
        ).replace("%1", str(copy))
    return ""


def progress_dialog(parent: QWidget, label: str) -> QProgressDialog:
    """The download's progress, with 取消 (shown only when it takes a while)."""
    dialog = QProgressDialog(label, QCoreApplication.translate("EvidenceFiles", "取消"), 0, 0, parent)
    dialog.setWindowTitle(QCoreApplication.translate("EvidenceFiles", "下载佐证材料"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # a file already here, or a fast link: no flicker
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    fit_dialog(dialog, (420, 140))
    return dialog


def fetch_files(
    parent: QWidget,
    tasks: Any,
    hashes: list[str],
    done: Callable[[list[str]], None],
    failed: Callable[[str], None],
    label: str = "",
    record: tuple[str, str] | None = None,
) -> QProgressDialog:
    """Make sure these files are on this computer (downloading what is missing on the network
    lane of `tasks`, the application's Executor, with a progress dialog that can cancel), then
    `done(paths)`; `failed(text)` when they could not all be had (offline: they are fetched at the
    next sync). `record`: (table, id) to take the files of that record instead of `hashes`."""
    cancel = threading.Event()
    label = label or QCoreApplication.translate("EvidenceFiles", "正在下载原图…")
    dialog = progress_dialog(parent, label)
    dialog.canceled.connect(cancel.set)
    parent.evidence_progress = dialog  # type: ignore[attr-defined]

    def show(value: tuple[int, int]) -> None:
        received, total = value
        if total > 0:
            dialog.setMaximum(max(1, total // 1024))
        dialog.setValue(min(received // 1024, dialog.maximum()) if dialog.maximum() else 0)
        got = QCoreApplication.translate("EvidenceFiles", "已接收 {0} KB").format(f"{received // 1024:,}")
        dialog.setLabelText(label + "\n" + got)

    report = tasks.progress_reporter(show)

    def job(store: Any) -> OpResult[list[str]]:
        wanted = list(hashes) if record is None else hashes_of_record(store, *record)
        return open_files_op(store, wanted, lambda got, total: report((got, total)), cancel.is_set)

    def finished(result: OpResult[list[str]] | None, error: BaseException | None) -> None:
        _dismiss(dialog)
        if error is None and result is not None:
            done(result.value)
        elif isinstance(error, SyncCancelledError):
            failed(QCoreApplication.translate("EvidenceFiles", "已取消下载；下次打开时从中断处继续。"))
        elif isinstance(error, (OfflineError, AuthExpiredError)):
            failed(not_downloaded_text())
        else:
            from ui.tasks import error_text

            failed(error_text(error) if error is not None else not_downloaded_text())

    if not tasks.submit_network(job, finished):
        failed(not_downloaded_text())
    return dialog


def open_full(
    parent: QWidget,
    tasks: Any,
    sha256: str,
    failed: Callable[[str], None],
    opened: Callable[[str], None],
) -> None:
    """A click on a preview: the full file, downloaded first if needed, then given to `opened`
    (which shows it with open_named_copy)."""
    fetch_files(parent, tasks, [sha256], lambda paths: opened(paths[0]), failed)


def _dismiss(dialog: QProgressDialog) -> None:
    """Take the progress dialog away once the work is done. Not close(): QProgressDialog's
    closeEvent emits `canceled` again, and under load that emission deadlocked inside Qt's
    connection clean-up (seen in a test run: the GUI thread waiting forever in closeEvent)."""
    dialog.reset()  # also stops a pending show (minimumDuration)
    dialog.hide()
    dialog.deleteLater()


def fetch_record_previews(tasks: Any, table: str, record_id: str, arrived: Callable[[int], None]) -> None:
    """The previews of one record's files, when this computer has none (quietly nothing offline)."""

    def finished(result: OpResult[int] | None, error: BaseException | None) -> None:
        if error is None and result is not None and result.value:
            arrived(result.value)

    tasks.submit_network(lambda store: record_previews_op(store, table, record_id), finished)


def fetch_previews_first(
    parent: QWidget,
    tasks: Any,
    hashes_of: Callable[[Any], list[str]],
    then: Callable[[], None],
    label: str,
) -> None:
    """Before a document that shows photos is made: the previews of `hashes_of(store)` that are not
    on this computer (a manager's or the bureau's), fetched on the network lane with the download's
    progress dialog (取消 stops it), then `then()` whatever happened: offline, logged out or
    cancelled, the document shows 尚未下载 for what is missing."""
    cancel = threading.Event()
    dialog = progress_dialog(parent, label)
    dialog.canceled.connect(cancel.set)
    parent.evidence_progress = dialog  # type: ignore[attr-defined]

    def show(value: tuple[int, int]) -> None:
        got, total = value
        dialog.setMaximum(max(1, total))
        dialog.setValue(min(got, dialog.maximum()))
        text = QCoreApplication.translate("EvidenceFiles", "已接收 {0}/{1} 张预览图").format(got, total)
        dialog.setLabelText(label + "\n" + text)

    report = tasks.progress_reporter(show)

    def job(store: Any) -> OpResult[int]:
        return previews_op(store, hashes_of(store), lambda got, total: report((got, total)), cancel.is_set)

    def finished(_result: OpResult[int] | None, error: BaseException | None) -> None:
        _dismiss(dialog)
        if error is not None:
            log.warning("previews before printing: %s", error)
        then()

    if not tasks.submit_network(job, finished):
        _dismiss(dialog)
        then()
