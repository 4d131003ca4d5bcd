"""Pieces the list views share: the debounced search box, the table, reference combos."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHelpEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolTip,
    QWidget,
)

from commissioner_app.reference import RefItem

SEARCH_DELAY_MS = 200
# One Chinese character matches too much to be useful and cannot use the trigram index; give
# the user time to type the second one.
SINGLE_CHARACTER_DELAY_MS = 700


class SearchBox(QLineEdit):
    """A search field that reports its text once typing pauses (debounced)."""

    search = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(260)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self.textChanged.connect(self._changed)
        self.returnPressed.connect(self._fire)
        self._last: str | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()  # Esc empties the search; the list comes back after the usual pause
            return
        super().keyPressEvent(event)

    def _changed(self, text: str) -> None:
        stripped = text.strip()
        self._timer.start(SINGLE_CHARACTER_DELAY_MS if len(stripped) == 1 else SEARCH_DELAY_MS)

    def _fire(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        if text != self._last:
            self._last = text
            self.search.emit(text)


def make_table(parent: QWidget) -> QTableView:
    """A read-only, row-selecting, sortable table with fixed row heights (fast for long lists)."""
    table = QTableView(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setSortingEnabled(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(30)
    horizontal = table.horizontalHeader()
    horizontal.setHighlightSections(False)
    horizontal.setStretchLastSection(False)
    horizontal.setSectionsMovable(False)
    return table


def compact(combo: QComboBox, characters: int = 8) -> QComboBox:
    """Size a filter combo for about `characters` characters, not for its longest item (keeps the
    filter row within a 1366-pixel screen in both languages; the popup still shows whole names)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.view().setMinimumWidth(220)
    return combo


HEADER_MARGIN = 10  # around a header's text (Qt's own styles need 4 to 8)
SORT_ARROW = 20  # the sort indicator beside the sorted column's header
CELL_MARGIN = 12  # around a cell's text (Qt's delegate needs 6)


class ColumnFitter(QObject):
    """A list's columns in its table's width. On a wide window each has the width set for it; on a
    narrow one (a field laptop at 150 %) the columns that show something short (a date, a time, a
    state, a figure) keep what they show whole, and the text columns (`texts`) share the rest in
    proportion, none narrower than its header, so nothing is reached by scrolling sideways.

    When the headers on one line need more than the width (English ones are long), they take two
    lines, broken between words. When even that is too wide, the `optional` columns are hidden, in
    that order, until the rest fits, and shown again once the window is wide enough: what they hold
    is then in each row's tooltip, and the header's tooltip names them (nothing disappears silently).

    Refitted when the table's width changes (a column the user widened stays so until then) and
    when the language does (`refit`). `samples()`: what a short column must show whole, by column
    (its header counts too); a short column without one keeps its set width."""

    def __init__(
        self,
        table: QTableView,
        widths: tuple[int, ...],
        stretch: int,
        texts: tuple[int, ...],
        samples: Callable[[], dict[int, str]] = dict,
        optional: tuple[int, ...] = (),
    ) -> None:
        super().__init__(table)
        self.table, self.widths, self.stretch, self.texts, self.samples = (
            table,
            widths,
            stretch,
            texts,
            samples,
        )
        assert stretch not in optional, "the stretched column is always shown"
        self.optional = optional
        self.hidden: tuple[int, ...] = ()  # the optional columns hidden for want of room
        self.absent: tuple[int, ...] = ()  # columns that have nothing to say here (set_absent)
        self.two_lines = False  # the headers take two lines
        self._width = 0
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width)
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.viewport().installEventFilter(self)
        # The sorted column's header has the arrow to show as well.
        table.horizontalHeader().sortIndicatorChanged.connect(lambda *_a: self.refit())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        elif event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.table.indexAt(event.pos())
            text = self.row_tooltip(index) if self.hidden else self.cut_text(index)
            if text:
                QToolTip.showText(event.globalPos(), text, self.table.viewport())
                return True
        return False

    def cut_text(self, index: QModelIndex) -> str:
        """A cell's text when its column is too narrow to show it whole and it has no tooltip of its
        own ("" otherwise): a shortened name, place or industry can always be read in full."""
        model = self.table.model()
        if model is None or not index.isValid() or model.data(index, Qt.ItemDataRole.ToolTipRole):
            return ""
        text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
        needed = self.table.fontMetrics().horizontalAdvance(text) + CELL_MARGIN
        return text if text and needed > self.table.columnWidth(index.column()) else ""

    def row_tooltip(self, index: QModelIndex) -> str:
        """The cell's own tooltip and, below it, what the hidden columns hold for its row."""
        model = self.table.model()
        if model is None or not index.isValid():
            return ""
        own = model.data(index, Qt.ItemDataRole.ToolTipRole) or self.cut_text(index)
        lines = [str(own)] if own else []
        for column in self.hidden:
            value = model.data(index.siblingAtColumn(column), Qt.ItemDataRole.DisplayRole)
            if value not in (None, ""):
                title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
                lines.append(self.tr("{0}：{1}").format(title, value))
        return "\n".join(lines)

    def refit(self) -> None:
        self._width = 0
        self.fit()

    def set_absent(self, columns: tuple[int, ...]) -> None:
        """Columns not shown at all, whatever the width (a list's owner column on a laptop that
        holds only its own records); their room goes to the others."""
        assert self.stretch not in columns, "the stretched column is always shown"
        if columns != self.absent:
            self.absent = columns
            self.refit()

    def fit(self) -> None:
        width = self.table.viewport().width()
        model = self.table.model()
        if width == self._width or width <= 0 or model is None:
            return
        self._width = width
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        samples = self.samples()
        columns = range(len(self.widths))

        # A header's text needs its margins, and the sorted column room for the arrow besides; a
        # cell's text needs the margins the table draws it within (a little more than Qt's own).
        sorted_column = header.sortIndicatorSection() if header.isSortIndicatorShown() else -1

        def whole(*texts: str, column: int = -1) -> int:
            extra = HEADER_MARGIN + (SORT_ARROW if column == sorted_column else 0)
            return max(metrics.horizontalAdvance(t) for t in texts) + extra

        def cell(text: str) -> int:
            return self.table.fontMetrics().horizontalAdvance(text) + CELL_MARGIN

        def in_two_lines(text: str, column: int) -> int:
            """The header's width broken between words onto two lines, the narrowest such break."""
            words = text.split(" ")
            breaks = [(" ".join(words[:n]), " ".join(words[n:])) for n in range(1, len(words))]
            return min((whole(*lines, column=column) for lines in breaks), default=whole(text, column=column))

        titles = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]

        def needs(floors: list[int], shown: list[int]) -> tuple[int, dict[int, int]]:
            short = {
                c: max(floors[c], cell(samples[c])) if c in samples else max(floors[c], self.widths[c])
                for c in shown
                if c not in self.texts
            }
            return sum(short.values()) + sum(floors[c] for c in shown if c not in short), short

        one_line = [whole(t, column=c) for c, t in enumerate(titles)]
        two_lines = [in_two_lines(t, c) for c, t in enumerate(titles)]
        shown = [c for c in columns if c not in self.absent]
        floors = one_line
        if needs(floors, shown)[0] > width:
            floors = [min(a, b) for a, b in zip(one_line, two_lines, strict=True)]
        hidden: list[int] = []
        for column in self.optional:
            if needs(floors, shown)[0] <= width:
                break
            shown.remove(column)
            hidden.append(column)
        self._show_columns(hidden, titles)
        self.two_lines = floors != one_line
        self._set_header_lines(2 if self.two_lines else 1)
        short = needs(floors, shown)[1]
        shares = self._shares([c for c in shown if c not in short], width - sum(short.values()), floors)
        header.setMinimumSectionSize(min(floors[c] for c in shown))
        for column in shown:
            if column != self.stretch:
                header.resizeSection(column, short.get(column) or shares[column])
        # The stretched column keeps at least its header too (Qt would squeeze it to a sliver).
        rest = width - sum(header.sectionSize(c) for c in shown if c != self.stretch)
        if rest < floors[self.stretch]:
            header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(self.stretch, floors[self.stretch])
        else:
            header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)

    def _shares(self, texts: list[int], room: int, floors: list[int]) -> dict[int, int]:
        """The text columns' widths in `room`: in proportion to their set widths (never more), none
        below its floor; the room the floors take is taken from the others'."""
        shares: dict[int, int] = {}
        rest = list(texts)
        while rest:
            scale = min(1.0, max(room, 0) / max(sum(self.widths[c] for c in rest), 1))
            low = [c for c in rest if self.widths[c] * scale < floors[c]]
            if not low:
                shares.update({c: int(self.widths[c] * scale) for c in rest})
                break
            for column in low:
                shares[column] = floors[column]
                room -= floors[column]
                rest.remove(column)
        return shares

    def _show_columns(self, hidden: list[int], titles: list[str]) -> None:
        for column in range(len(self.widths)):
            self.table.setColumnHidden(column, column in hidden or column in self.absent)
        self.hidden = tuple(hidden)
        header = self.table.horizontalHeader()
        if hidden:
            names = self.tr("、").join(titles[c] for c in hidden)
            header.setToolTip(
                self.tr("窗口较窄，未显示这些列：{0}。加宽窗口即可看到；各行的提示里也有。").format(names)
            )
        else:
            header.setToolTip("")

    def _set_header_lines(self, lines: int) -> None:
        """Headers on one line, or wrapped between words onto two (the header grows to show them)."""
        header = self.table.horizontalHeader()
        alignment = Qt.AlignmentFlag.AlignCenter
        if lines == 2:
            header.setDefaultAlignment(alignment | Qt.TextFlag.TextWordWrap)  # type: ignore[arg-type]
            header.setTextElideMode(Qt.TextElideMode.ElideNone)  # eliding would cut before wrapping
            header.setMinimumHeight(2 * header.fontMetrics().lineSpacing() + 8)
        else:
            header.setDefaultAlignment(alignment)
            header.setTextElideMode(Qt.TextElideMode.ElideRight)
            header.setMinimumHeight(0)


def widest_value(table: QTableView, column: int, rows: int = 500) -> str:
    """The widest text `column` shows in its first `rows` rows ("" when empty)."""
    model = table.model()
    if model is None:
        return ""
    metrics = table.fontMetrics()
    texts = (str(model.data(model.index(row, column)) or "") for row in range(min(model.rowCount(), rows)))
    return max(texts, key=metrics.horizontalAdvance, default="")


class ContentFitter(ColumnFitter):
    """A ColumnFitter whose short columns, sized by what they show, widen to their set widths when
    the window has room to spare beyond the stretched column's set width (a wide screen)."""

    def fit(self) -> None:
        super().fit()
        header = self.table.horizontalHeader()
        shown = [c for c in range(len(self.widths)) if c != self.stretch and not self.table.isColumnHidden(c)]
        spare = (
            self.table.viewport().width()
            - sum(header.sectionSize(c) for c in shown)
            - self.widths[self.stretch]
        )
        for column in shown:
            more = self.widths[column] - header.sectionSize(column)
            if column not in self.texts and 0 < more <= spare:
                header.resizeSection(column, self.widths[column])
                spare -= more


def fit_by_content(
    table: QTableView,
    widths: tuple[int, ...],
    stretch: int,
    texts: tuple[int, ...],
    fixed: Callable[[], dict[int, str]] = dict,
    optional: tuple[int, ...] = (),
) -> ContentFitter:
    """A ColumnFitter for a small table (a few hundred rows at most) whose short columns (figures,
    names, grades: those not in `texts`) show whole the widest value they hold, and what `fixed` gives
    for them (a date, the longest state); on a wide window, at least their set widths. Call
    `refit()` once the rows change."""

    def samples() -> dict[int, str]:
        found = {c: widest_value(table, c) for c in range(len(widths)) if c not in texts}
        width = table.fontMetrics().horizontalAdvance
        for column, text in fixed().items():
            found[column] = max(text, found.get(column, ""), key=width)
        return found

    return ContentFitter(table, widths, stretch, texts, samples, optional)


def keep_sort_indicator_sortable(table: QTableView) -> None:
    """A click on a column the list cannot sort by leaves the sort indicator where it was."""
    header = table.horizontalHeader()
    state: dict[str, Any] = {"column": header.sortIndicatorSection(), "order": header.sortIndicatorOrder()}

    def changed(column: int, order: Qt.SortOrder) -> None:
        columns = getattr(table.model(), "columns", None)
        if columns and columns[column].sort_key is None:
            header.blockSignals(True)
            header.setSortIndicator(state["column"], state["order"])
            header.blockSignals(False)
        else:
            state["column"], state["order"] = column, order

    header.sortIndicatorChanged.connect(changed)


def fill_reference_combo(combo: QComboBox, items: list[RefItem], language: str, all_label: str) -> None:
    """Items show the name in the user's language; their data is the Chinese name records keep."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_label, "")
    for item in items:
        combo.addItem(item.name(language), item.name_zh)
    index = combo.findData(current) if current else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


def fill_code_combo(combo: QComboBox, labels: list[tuple[str, str]], all_label: str) -> None:
    """A filter combo of (code, label) pairs, keeping the selected code across relabelling."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_label, None)
    for code, label in labels:
        combo.addItem(label, code)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


class YearCombo(QComboBox):
    """The year a view shows: this year and the few before it, newest first."""

    def __init__(self, parent: QWidget | None = None, shown: int = 6):
        super().__init__(parent)
        this_year = date.today().year
        for year in range(this_year, this_year - shown, -1):
            self.addItem(str(year), year)

    def year(self) -> int:
        return int(self.currentData())

    def set_year(self, year: int) -> None:
        """Choose `year`, adding it if it is not among those shown."""
        index = self.findData(year)
        if index < 0:
            self.addItem(str(year), year)
            index = self.count() - 1
        self.setCurrentIndex(index)


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("heading")
    return label


def ask_save_path(parent: QWidget, caption: str, suggested: Path, kind: str, suffix: str) -> Path | None:
    """Where to save a file, asked with the system's dialog; None if cancelled. A name typed without
    the file's extension gets it (a table saved as "考核" would not open in Excel by a double click)."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, str(suggested), kind)
    if not chosen:
        return None
    return with_suffix(parent, chosen, suffix)


def pdf_target(
    parent: QWidget, context: Any, group: str, caption: str, name: str, given: str | None
) -> Path | None:
    """Where a PDF the view makes goes: `given` (a caller's own path), else asked with the save
    dialog in the folder last used for `group`, suggesting `name`; ".pdf" added either way. None:
    cancelled. The caller keeps the folder (`group`/folder) once the file is written there."""
    if given is not None:
        return Path(given if given.lower().endswith(".pdf") else given + ".pdf")
    folder = context.setting(group, "folder", str(Path.home()), str)
    kind = QCoreApplication.translate("SaveDialog", "PDF 文件 (*.pdf)")
    return ask_save_path(parent, caption, Path(folder) / name, kind, ".pdf")


def confirm_deletion(parent: QWidget, title: str, text: str) -> bool:
    """Whether the user confirms a deletion: a warning with 删除 (destructive) and 取消."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    delete = box.addButton(
        QCoreApplication.translate("ConfirmDeletion", "删除"), QMessageBox.ButtonRole.DestructiveRole
    )
    box.addButton(QCoreApplication.translate("ConfirmDeletion", "取消"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is delete


def with_suffix(parent: QWidget, chosen: str, suffix: str) -> Path | None:
    """A save dialog's answer as the file to write: a name typed without the extension gets it, and
    a file of that full name already there is replaced only if the user says so (the dialog asked
    about the name as typed, and "city" replaced city.pdf without a word). None: keep it."""
    path = Path(chosen if chosen.lower().endswith(suffix.lower()) else chosen + suffix)
    if str(path) != chosen and path.exists():
        answer = QMessageBox.question(
            parent,
            QCoreApplication.translate("SaveDialog", "文件已存在"),
            QCoreApplication.translate("SaveDialog", "“{0}”已存在。要替换它吗？").format(path.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    return path


def until_synced(context: Any, label: QLabel) -> None:
    """The label's message tells what the next sync sends (“……，下次同步时送达”): it goes once a
    sync has finished without fault, rather than go on saying the record waits. A sync that was
    already running when it was said may have read the records before the act: the one after it
    counts. Another message said meanwhile is left alone."""
    controller = getattr(context, "sync_controller", None)
    if controller is None:
        return  # no sync runs in this window
    said = label.text()
    running = [bool(controller.syncing)]

    def finished(result: Any, error: BaseException | None) -> None:
        if running[0]:
            running[0] = False
            return
        try:
            current = label.text()
        except RuntimeError:  # the view is gone
            current = None
        if current == said and (error is not None or not result or result.get("cancelled")):
            return  # nothing was sent: still true, until a sync that sends it
        controller.sync_finished.disconnect(finished)
        if current == said:
            label.clear()

    controller.sync_finished.connect(finished)
