"""A read-only table model over plain rows (lists of values), sortable by any column.

The bureau's tables use it instead of QTableWidget items: one model reset instead of a Qt call per
cell, which keeps a table of thousands of rows quick to fill."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from commissioner_app.collation import zh_key

KEY_ROLE = Qt.ItemDataRole.UserRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list[Any]] = []
        self.keys: list[Any] = []

    def set_headers(self, headers: list[str]) -> None:
        if len(headers) != len(self.headers):  # the column count changes: views must learn it
            self.beginResetModel()
            self.headers = headers
            self.endResetModel()
        else:
            self.headers = headers
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(len(headers) - 1, 0))

    def set_rows(self, rows: list[list[Any]], keys: list[Any] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.keys = keys if keys is not None else [None] * len(rows)
        self.endResetModel()

    def key(self, row: int) -> Any:
        return self.keys[row] if 0 <= row < len(self.keys) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's name and default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        value = self.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if isinstance(value, float):
                return f"{value:g}"
            return value if isinstance(value, int) else str(value or "")
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return _RIGHT
        if role == KEY_ROLE:
            return self.keys[index.row()]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.rows or not 0 <= column < len(self.headers):
            return  # (-1: no column chosen, the rows in the order they were given)
        self.layoutAboutToBeChanged.emit()
        pairs = list(zip(self.rows, self.keys, strict=True))

        def sort_value(value: Any) -> tuple[bool, Any]:
            if isinstance(value, str):
                return True, zh_key(value)  # names in pinyin order, as Chinese readers look for them
            return False, value if value is not None else ""

        pairs.sort(key=lambda p: sort_value(p[0][column]), reverse=order == Qt.SortOrder.DescendingOrder)
        self.rows = [p[0] for p in pairs]
        self.keys = [p[1] for p in pairs]
        self.layoutChanged.emit()
