"""Preview a generated PDF before saving it.

PySide6-Essentials has no QtPdf, so the pages are rendered to images with poppler's pdftoppm
(installed with the application's PDF tools); without pdftoppm the PDF opens in the system's viewer
from a temporary file and the save dialog follows.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui import screen_fit
from ui.views.common import with_suffix

log = logging.getLogger("commissioner.ui.pdf_preview")

PREVIEW_DPI = 80
# A long annual record shows its first pages (pdftoppm takes about 0.4 s a page of Chinese text);
# the saved file has them all.
MAX_PREVIEW_PAGES = 6


def render_pages(
    pdf: bytes, dpi: int = PREVIEW_DPI, last_page: int = MAX_PREVIEW_PAGES
) -> list[bytes] | None:
    """The pages as PNG images, or None when pdftoppm is not installed (runs in the background)."""
    command = shutil.which("pdftoppm")
    if command is None:
        return None
    with tempfile.TemporaryDirectory(prefix="preview-") as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(
            [command, "-png", "-r", str(dpi), "-l", str(last_page), str(source), str(Path(folder) / "page")],
            capture_output=True,
            timeout=120,
        )
        if result.returncode != 0:
            log.warning("pdftoppm failed: %s", result.stderr.decode(errors="replace")[-500:])
            return None
        return [p.read_bytes() for p in sorted(Path(folder).glob("page*.png"))]


class PdfPreviewDialog(QDialog):
    # The pages' scroll area (replaces QWidget.scroll(), which the dialog does not use).
    scroll: QScrollArea  # type: ignore[assignment]
    """The rendered pages, scrolled, with 保存… and 关闭."""

    saved = Signal(str)

    def __init__(self, pdf: bytes, pages: list[bytes], suggested_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.pdf = pdf
        self.pages = pages
        self.suggested_name = suggested_name
        self.setWindowTitle(self.tr("打印预览"))
        screen_fit.fit_dialog(self, (760, 700))
        self.note = QLabel(self)
        self.note.setObjectName("hint")
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        body = QWidget(self.scroll)
        column = QVBoxLayout(body)
        self.page_labels: list[QLabel] = []
        for png in pages:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            label = QLabel(body)
            label.setPixmap(pixmap)
            label.setStyleSheet("border: 1px solid #c0c8d2; background: white;")
            column.addWidget(label)
            self.page_labels.append(label)
        column.addStretch(1)
        self.scroll.setWidget(body)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            self.tr("保存为 PDF…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = self.buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(lambda: self.save())  # not clicked(bool) as the path
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.buttons)
        shown = len(pages)
        self.note.setText(
            self.tr("预览：{0} 页。确认无误后保存，再用 PDF 阅读器打印。").format(shown)
            if shown < MAX_PREVIEW_PAGES
            else self.tr("预览前 {0} 页；保存的文件包含全部页面。").format(shown)
        )

    def save(self, path: str | None = None) -> bool:
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, self.tr("保存 PDF"), self.suggested_name, self.tr("PDF 文件 (*.pdf)")
            )
            if path:
                chosen = with_suffix(self, path, ".pdf")  # asks before replacing a file the name gets
                path = str(chosen) if chosen is not None else ""
        if not path:
            return False
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as exc:
            QMessageBox.warning(
                self, self.tr("无法保存"), self.tr("无法保存到 {0}：{1}").format(path, exc.strerror or exc)
            )
            return False
        self.saved.emit(path)
        self.accept()
        return True


def show_preview(
    parent: QWidget, pdf: bytes, pages: list[bytes] | None, suggested_name: str
) -> QDialog | None:
    """The preview dialog (non-modal), or the system viewer and a save dialog without pdftoppm."""
    if pages:
        dialog = PdfPreviewDialog(pdf, pages, suggested_name, parent)
        dialog.show()
        return dialog
    folder = Path(tempfile.mkdtemp(prefix="commissioner-preview-"))
    temporary = folder / Path(suggested_name).name
    temporary.write_bytes(pdf)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(temporary)))
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("PdfPreviewDialog", "保存 PDF"),
        suggested_name,
        QCoreApplication.translate("PdfPreviewDialog", "PDF 文件 (*.pdf)"),
    )
    if path:
        Path(path).write_bytes(pdf)
    return None
