"""Work on a store connection of its own, and the annual records of everyone in one background run
with its progress row (label, bar, cancel) as both assessment views show it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from commissioner_app.errors import CommissionerError
from commissioner_app.store import Store
from ui.context import AppContext
from ui.tasks import error_text

if TYPE_CHECKING:  # the report modules load reportlab: imported when a document is made, not at start
    from commissioner_app.reports.batch import BatchResult

log = logging.getLogger("commissioner.ui.annual_batch")


class OwnStoreTask(QObject):
    """Work with its own connection on the executor's background lane: a document that takes seconds
    (an annual record of hundreds of visits) or a batch that takes an hour must not hold up the
    database worker, which saves the user's edits. `done(result, error)` is emitted on the GUI thread."""

    done = Signal(object, object)

    def __init__(
        self, context: AppContext, work: Callable[[Store], Any], name: str, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.context = context
        self.work = work
        self.name = name

    def start(self) -> None:
        if self.context.data_dir is None:  # an in-memory store has one connection: use the worker
            self.context.tasks.submit(self.work, self._finished)
        else:
            self.context.tasks.submit_network(self.work, self._finished)

    def _finished(self, result: Any, error: BaseException | None) -> None:
        if error is not None and not isinstance(error, CommissionerError):
            log.error("%s failed", self.name, exc_info=error)
        self.done.emit(result, error)


class BatchRun(OwnStoreTask):
    """Annual records of every commissioner of the store into a folder, with progress and cancel."""

    progress = Signal(int, int, str)
    previews = Signal(int, int)  # photo previews received, of how many (before the records)

    def __init__(self, context: AppContext, year: int, folder: Path, parent: QObject | None = None):
        super().__init__(context, self._records, "annual-records", parent)
        self.year = year
        self.folder = folder
        self._cancel = threading.Event()
        self._report: Callable[[Any], None] = lambda _progress: None
        self._report_previews: Callable[[Any], None] = lambda _progress: None

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self) -> None:
        report = self.context.tasks.progress_reporter(lambda p: self.progress.emit(*p))
        self._report = report  # the worker calls it; the GUI gets the latest on its thread
        self._report_previews = self.context.tasks.progress_reporter(lambda p: self.previews.emit(*p))
        super().start()

    def _records(self, store: Store) -> BatchResult:
        from commissioner_app.assessment import Period, assess
        from commissioner_app.reports.annual_photos import year_photo_hashes
        from commissioner_app.reports.batch import annual_records
        from sync.evidence import previews_op

        report, report_previews = self._report, self._report_previews
        assessment = assess(store, period=Period.year(self.year))
        # A manager's or the bureau's computer: the previews of the records' photos that no sync
        # brought come first (offline or logged out: what is here; the rest prints 尚未下载).
        photos = [
            h for m in assessment.members for h in year_photo_hashes(store, m.commissioner_id, self.year)
        ]
        previews_op(store, photos, lambda got, total: report_previews((got, total)), self._cancel.is_set)
        return annual_records(
            store,
            self.year,
            self.folder,
            assessment=assessment,
            cancelled=self._cancel.is_set,
            progress=lambda done, total, name: report((done, total, name)),
        )


class AnnualBatchPanel(QWidget):
    """The row that shows a batch of annual records running: what is being written, a bar and a
    cancel button; hidden when no batch runs. `button` (the view's, which starts a batch) is off
    while one runs. `finished(text)` says how the run ended."""

    finished = Signal(str)

    def __init__(self, context: AppContext, button: QPushButton, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.button = button
        self.run: BatchRun | None = None
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.setVisible(False)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("取消"))

    def start(self, year: int, folder: Path | None = None) -> BatchRun | None:
        """Write the annual records of `year` into `folder` (asked for if None); None if a batch
        already runs or the user chose no folder."""
        if self.run is not None:
            return None
        if folder is None:
            start = self.context.setting("assessment", "folder", str(Path.home()), str)
            chosen = QFileDialog.getExistingDirectory(self, self.tr("选择保存年度服务记录的文件夹"), start)
            if not chosen:
                return None
            folder = Path(chosen)
        self.context.set_setting("assessment", "folder", str(folder))
        run = BatchRun(self.context, year, folder, self)
        run.progress.connect(self._progress)
        run.previews.connect(self._previews)
        run.done.connect(self._done)
        self.run = run
        self.bar.setRange(0, 0)
        self.label.setText(self.tr("正在生成{0}年度服务记录…").format(year))
        self.cancel_button.setEnabled(True)
        self.setVisible(True)
        self.button.setEnabled(False)
        run.start()
        return run

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("正在取消…（已开始的几份写完后停止）"))

    def _progress(self, done: int, total: int, name: str) -> None:
        if self.run is None or self.run.cancelled:
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.label.setText(self.tr("已生成 {0}/{1}：{2}").format(done, total, name))

    def _previews(self, got: int, total: int) -> None:
        if self.run is None or self.run.cancelled:
            return
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(got)
        self.label.setText(self.tr("正在下载照片预览图 {0}/{1}…").format(got, total))

    def _done(self, result: BatchResult | None, error: BaseException | None) -> None:
        self.run = None
        self.setVisible(False)
        self.button.setEnabled(True)
        if error is not None:
            self.finished.emit(error_text(error))
            return
        assert result is not None
        if result.cancelled:
            text = self.tr("已取消：已生成 {0} 份（共 {1} 份），保存在 {2}").format(
                len(result.written), result.total, result.folder
            )
        else:
            text = self.tr("已生成 {0} 份年度服务记录，保存在 {1}").format(len(result.written), result.folder)
        failed = result.failure_message()
        if failed is not None:  # the others were written; say who was not, and why
            text += "\n" + failed.text(self.context.language)
        self.finished.emit(text)
