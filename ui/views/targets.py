"""服务对象: the service target list with type and county filters."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from commissioner_app.domain import TARGET_TYPES
from commissioner_app.reference import reference
from ui.context import AppContext
from ui.models import TargetTableModel
from ui.views.common import fill_code_combo, fill_reference_combo
from ui.views.record_list import RecordListView


class TargetsView(RecordListView):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(
            context,
            TargetTableModel(context),
            sort=(3, Qt.SortOrder.AscendingOrder),
            widths=(76, 300, 120, 220, 110, 90, 130, 80),
            stretch=1,
            texts=(1, 2, 3, 4, 5),  # name, type, region, industry, contact
            parent=parent,
        )
        self.type_label, self.type = self.add_filter()
        self.county_label, self.county = self.add_filter()
        self.retranslate()

    def _samples(self) -> dict[int, str]:
        """The state, the phone number and the count of visits whole."""
        return {**super()._samples(), 6: "138 0000 0000", 7: "999"}

    def filters(self) -> dict[str, str]:
        return {"type": self.type.currentData() or "", "county": self.county.currentData() or ""}

    def retranslate_filters(self, language: str) -> None:
        self.search_box.setPlaceholderText(self.tr("搜索服务对象：名称、地区、联系人…（Ctrl+F）"))
        self.type_label.setText(self.tr("类型"))
        fill_code_combo(
            self.type, [(c, m.text(language)) for c, m in TARGET_TYPES.items()], self.tr("全部类型")
        )
        self.county_label.setText(self.tr("区县"))
        fill_reference_combo(
            self.county, reference(self.context.reader, "county"), language, self.tr("全部区县")
        )

    def count_text(self, count: int | None) -> str:
        if count is None:
            return self.tr("正在加载服务对象…")
        return self.tr("共 {0} 个服务对象；双击或按回车键查看服务历史").format(f"{count:,}")

    def open_record(self, record_id: str) -> None:
        """The target's page: its service history across the team, with an edit button."""
        from ui.views.target_page import open_target_page

        open_target_page(self, self.context, record_id)
