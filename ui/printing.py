"""Printing a visit's service sheet (服务记录单) from wherever the visit is: its editor (打印), the
visit list's context menu, and 文件 → 打印服务记录单… (Ctrl+P: the selected visit, else a searchable
picker). The sheet opens in the preview, which saves the PDF for printing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from commissioner_app.domain import short_id
from commissioner_app.ops.visits import recent_visits
from ui.tasks import Operation, show_error
from ui.views.assessment import VisitPicker, visit_pdf
from ui.views.pdf_preview import show_preview


def print_visit_sheet(parent: QWidget, context: Any, visit_id: str) -> None:
    """Download the visit's photos that are not on this computer (a manager's or the bureau's; with
    progress, cancellable; offline the sheet prints their previews), then make the sheet on the
    store's worker and show its preview (kept as `parent.sheet_preview`)."""
    from ui.evidence_files import fetch_files

    fetch_files(
        parent,
        context.tasks,
        [],
        lambda _paths: _make_sheet(parent, context, visit_id),
        lambda _text: _make_sheet(parent, context, visit_id),
        QCoreApplication.translate("VisitSheet", "正在下载照片原图…"),
        record=("visits", visit_id),
    )


def _make_sheet(parent: QWidget, context: Any, visit_id: str) -> None:
    suggested = QCoreApplication.translate("VisitSheet", "服务记录单_{0}.pdf").format(short_id(visit_id))

    def show(result: tuple[bytes, list[bytes] | None]) -> None:
        pdf, pages = result
        setting = getattr(context, "setting", None)
        folder = setting("assessment", "folder", str(Path.home()), str) if setting else str(Path.home())
        parent.sheet_preview = show_preview(parent, pdf, pages, str(Path(folder) / suggested))  # type: ignore[attr-defined]

    Operation(parent, lambda store: visit_pdf(store, visit_id), show).failure(
        lambda error: show_error(parent, error)
    ).with_progress(QCoreApplication.translate("VisitSheet", "正在生成服务记录单…")).run_in_background()


def pick_and_print(parent: QWidget, context: Any) -> None:
    """The searchable picker of visits; the chosen one's sheet is previewed (`parent.visit_picker`)."""

    def pick(rows: list[dict[str, Any]]) -> None:
        picker = VisitPicker(rows, parent)
        parent.visit_picker = picker  # type: ignore[attr-defined]
        picker.accepted.connect(lambda: _chosen(picker))
        picker.open()

    def _chosen(picker: QDialog) -> None:
        visit_id = picker.chosen()  # type: ignore[attr-defined]
        if visit_id:
            print_visit_sheet(parent, context, visit_id)

    Operation(parent, recent_visits, pick).run_in_background()
