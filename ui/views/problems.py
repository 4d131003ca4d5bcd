"""技术难题: the problem list with status and industry filters."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from commissioner_app.domain import PROBLEM_STATUSES
from commissioner_app.reference import reference
from ui.context import AppContext
from ui.models import ProblemTableModel
from ui.views.common import fill_code_combo, fill_reference_combo
from ui.views.record_list import RecordListView


class ProblemsView(RecordListView):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(
            context,
            ProblemTableModel(context),
            sort=(6, Qt.SortOrder.DescendingOrder),
            widths=(76, 330, 90, 80, 110, 260, 100, 80),
            stretch=1,
            texts=(1, 4, 5),  # title, industry, target
            parent=parent,
        )
        self.status_label, self.status = self.add_filter()
        self.industry_label, self.industry = self.add_filter()
        self.retranslate()

    def filters(self) -> dict[str, str]:
        return {"status": self.status.currentData() or "", "industry": self.industry.currentData() or ""}

    def retranslate_filters(self, language: str) -> None:
        self.search_box.setPlaceholderText(self.tr("搜索技术难题：标题、描述…（Ctrl+F）"))
        self.status_label.setText(self.tr("进展"))
        fill_code_combo(
            self.status, [(c, m.text(language)) for c, m in PROBLEM_STATUSES.items()], self.tr("全部")
        )
        self.industry_label.setText(self.tr("产业"))
        fill_reference_combo(
            self.industry, reference(self.context.reader, "industry"), language, self.tr("全部产业")
        )

    def count_text(self, count: int | None) -> str:
        if count is None:
            return self.tr("正在加载技术难题…")
        return self.tr("共 {0} 个技术难题；双击或按回车键查看详情").format(f"{count:,}")

    def open_record(self, record_id: str) -> None:
        from ui.main_window import editors

        module = editors()
        if module is not None:
            module.open_problem_dialog(self, self.context, record_id)
