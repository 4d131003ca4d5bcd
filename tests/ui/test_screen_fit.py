"""Every view and dialog fits a field laptop's screen: 1366×768 at 125 % and 150 % scaling, 1280×720.

Qt lays windows out in logical pixels; QT_SCALE_FACTOR only changes how many device pixels one
logical pixel takes (fonts are sized in points at a fixed 96 logical dpi), so a 1366×768 screen at
150 % is, for every layout, a 911×512 screen. The tests therefore run Qt's real layouts against the
logical available area each screen leaves (less a 40-pixel taskbar), given to the application through
`ui.screen_fit.available_geometry`, the one place every window asks for its screen. They open every
view of every role and every dialog, and assert that each visible button and input lies inside
the area a maximised window (or the dialog) shows, and that no window needs more than that area.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from commissioner_app.demo import generate_demo
from commissioner_app.store import Store
from tests.ui.manager_support import log_in_as
from ui import screen_fit
from ui.context import AppContext

TASKBAR = 40  # Windows' taskbar, in logical pixels
SCREENS = {
    "1366x768@125%": QRect(0, 0, 1093, 614 - TASKBAR),
    "1366x768@150%": QRect(0, 0, 911, 512 - TASKBAR),
    "1280x720@100%": QRect(0, 0, 1280, 720 - TASKBAR),
}
ROLES = ("commissioner", "manager", "bureau", "county")
INPUTS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
    QAbstractItemView,
)


@pytest.fixture(scope="module")
def fit_data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fit") / "data"
    store = Store.open(folder)
    generate_demo(store, visits=300, seed=11)
    store.close()
    return folder


@pytest.fixture(params=list(SCREENS))
def screen(request, monkeypatch) -> QRect:
    area = SCREENS[request.param]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(area))
    return area


def open_context(fit_data: Path, tmp_path: Path, role: str, language: str = "zh_CN") -> AppContext:
    folder = tmp_path / role
    shutil.copytree(fit_data, folder)
    store = Store.open(folder)
    if role == "manager":
        me = store.profile()
        log_in_as(store, "manager", me, me.team_id if me else None)
    elif role in ("bureau", "county"):
        log_in_as(store, role, None)
    return AppContext(store, language=language)


def discard(*widgets: QWidget) -> None:
    """Delete windows before their context closes (a live editor would still answer the next
    test's language change with a query on a closed store)."""
    for widget in widgets:
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def settle(context: AppContext) -> None:
    for _ in range(3):  # loading one thing may start another
        assert context.tasks.wait_idle(30000)
        QApplication.processEvents()


def _owner(widget: QWidget) -> QWidget:
    """What must be on screen for `widget` to be reachable: the widget itself, or the scroll area
    it lives in (its content is reached by scrolling)."""
    parent = widget.parentWidget()
    while parent is not None:
        if (
            isinstance(parent, QScrollArea)
            and parent.widget() is not None
            and parent.widget().isAncestorOf(widget)
        ):
            return _owner(parent)
        parent = parent.parentWidget()
    return widget


def _clipped_sideways(widget: QWidget, window: QWidget) -> bool:
    """True if a scroll area without a horizontal scroll bar cuts the widget off at its side."""
    parent = widget.parentWidget()
    left = widget.mapTo(window, QPoint(0, 0)).x()
    while parent is not None:
        if (
            isinstance(parent, QScrollArea)
            and parent.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        ):
            viewport = parent.viewport()
            start = viewport.mapTo(window, QPoint(0, 0)).x()
            if left < start or left + widget.width() > start + viewport.width():
                return True
        parent = parent.parentWidget()
    return False


def _part_of_another_input(widget: QWidget, window: QWidget) -> bool:
    """Inner widgets (a spin box's line edit, a table's corner button, a tab bar's scroll buttons)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, (*INPUTS, QTabBar)):
            return True
        parent = parent.parentWidget()
    return False


def off_screen(window: QWidget, visible: QRect) -> list[str]:
    """Visible buttons and inputs of `window` not wholly inside `visible` (window coordinates)."""
    found = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or widget.window() is not window:
            continue
        if not widget.isVisibleTo(window) or _part_of_another_input(widget, window):
            continue
        owner = _owner(widget)
        rect = QRect(owner.mapTo(window, QPoint(0, 0)), owner.size())
        if (
            widget.width() <= 0
            or widget.height() <= 0
            or not visible.contains(rect)
            or _clipped_sideways(widget, window)
        ):
            name = widget.objectName() or type(widget).__name__
            text = widget.text() if isinstance(widget, QAbstractButton) else ""
            found.append(f"{name} {text!r} at {rect.getRect()}")
    return found


def check_window(window: QWidget, visible: QRect, settle_fn: Callable[[], None]) -> list[str]:
    problems = off_screen(window, visible)
    for tabs in window.findChildren(QTabWidget):
        if not tabs.isVisibleTo(window):
            continue
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            settle_fn()
            problems += [f"[{tabs.tabText(index)}] {p}" for p in off_screen(window, visible)]
        tabs.setCurrentIndex(0)
    return sorted(set(problems))


def fits(size: QSize, room: QSize) -> bool:
    return size.width() <= room.width() and size.height() <= room.height()


# --- the main window ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_view_fits_the_screen(fit_data, tmp_path, screen, role, language, qtbot):
    from ui.main_window import MainWindow

    context = open_context(fit_data, tmp_path, role, language)
    window = MainWindow(context)
    try:
        client = QSize(screen.width(), screen.height() - screen_fit.TITLE_BAR)
        assert screen_fit.wants_maximised(window), "a field laptop's screen gets a maximised window"
        # Unmaximised, its default size is within the screen too (not a fixed 1366×768).
        assert fits(window.size(), client), f"opens at {window.size().toTuple()}"
        window.resize(client)  # what maximising does
        window.show()
        settle(context)
        assert fits(window.minimumSizeHint(), client), (
            f"the window needs {window.minimumSizeHint().toTuple()}, the screen has {client.toTuple()}"
        )
        visible = QRect(QPoint(0, 0), client)
        problems = {}
        for row in range(window.rail.count()):
            if window.rail.isRowHidden(row):
                continue
            key = window.rail.item(row).data(0x0100)
            view = window.show_view(key)
            settle(context)
            found = check_window(window, visible, lambda: settle(context))
            # The view fits its page: no part cut off at the side, no scrolling up and down needed.
            page = view.parentWidget().parentWidget()
            assert isinstance(page, QScrollArea)
            if view.minimumSizeHint().width() > page.viewport().width():
                found.append(f"needs {view.minimumSizeHint().width()} px wide, has {page.viewport().width()}")
            if page.verticalScrollBar().maximum() > 0:
                found.append(f"scrolls by {page.verticalScrollBar().maximum()} px in {page.height()}")
            if found:
                problems[key] = found
        assert not problems, f"off screen at {client.toTuple()}: {problems}"
        # The rail shows every view without scrolling, and never needs a horizontal scroll bar.
        assert window.rail.horizontalScrollBar().maximum() == 0
        assert window.rail.verticalScrollBar().maximum() == 0, "the rail scrolls: a view is off screen"
    finally:
        discard(window)
        context.close()


# --- dialogs ------------------------------------------------------------------------------------


def _visit_id(context: AppContext) -> str:
    return context.store.db.execute("SELECT id FROM visits WHERE deleted = 0 LIMIT 1").fetchone()[0]


def _problem_id(context: AppContext) -> str:
    return context.store.db.execute("SELECT id FROM problems WHERE deleted = 0 LIMIT 1").fetchone()[0]


def _target_id(context: AppContext) -> str:
    return context.store.db.execute("SELECT id FROM service_targets WHERE deleted = 0 LIMIT 1").fetchone()[0]


def _agreement_id(context: AppContext) -> str:
    return context.store.db.execute("SELECT id FROM service_agreements WHERE deleted = 0 LIMIT 1").fetchone()[
        0
    ]


def _page_png() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(662, 936, QImage.Format.Format_RGB32)  # an A4 page at the preview's 80 dpi
    image.fill(QColor("white"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def _drafts(context: AppContext) -> list[dict]:
    visit = {"visit_date": "2026-11-30", "start_time": "09:00", "content": "柑橘黄龙病防控指导" * 8}
    return [
        {"visit_id": f"draft-{n}", "saved_at": "2026-12-01T10:00:00", "state": {"visit": visit}}
        for n in range(6)
    ]


def _visit_rows(context: AppContext) -> list[dict]:
    return list(
        context.store.db.query(
            "SELECT v.id, v.visit_date, t.name AS target_name, v.content FROM visits v "
            "JOIN service_targets t ON t.id = v.target_id WHERE v.deleted = 0 LIMIT 40"
        )
    )


def _dialogs() -> dict[str, Callable[[QWidget, AppContext], QWidget]]:
    from ui.conflicts_dialog import ConflictsDialog
    from ui.editors import DraftRecoveryDialog, ProblemDialog, TargetDialog, VisitEditor
    from ui.evidence_files import progress_dialog
    from ui.profile import ProfileDialog
    from ui.sync_login import LoginDialog
    from ui.views.agreements import AgreementDialog
    from ui.views.assessment import VisitPicker
    from ui.views.group_assessment import BonusDialog, ExemplarDialog
    from ui.views.history import RecordHistoryDialog
    from ui.views.organisation import OrganisationView
    from ui.views.pdf_preview import PdfPreviewDialog
    from ui.views.target_page import TargetPageDialog

    return {
        "visit editor (new)": lambda w, c: VisitEditor(w, c, None),
        "visit editor (saved)": lambda w, c: VisitEditor(w, c, _visit_id(c)),
        "problem": lambda w, c: ProblemDialog(w, c, _problem_id(c)),
        "target (new)": lambda w, c: TargetDialog(w, c, None),
        "target (saved)": lambda w, c: TargetDialog(w, c, _target_id(c)),
        "draft recovery": lambda w, c: DraftRecoveryDialog(w, c, _drafts(c), lambda _vid: None),
        "visit picker": lambda w, c: VisitPicker(_visit_rows(c), w),
        "print preview": lambda w, c: PdfPreviewDialog(b"%PDF-1.4", [_page_png()] * 2, "a.pdf", w),
        "login": lambda w, c: LoginDialog(c, w),
        "profile (first start)": lambda w, c: ProfileDialog(c, w, first_start=True),
        "profile": lambda w, c: ProfileDialog(c, w),
        "conflicts": lambda w, c: ConflictsDialog(c, w),
        "new account": lambda w, c: OrganisationView(c, w).new_account(),
        "team": lambda w, c: OrganisationView(c, w).edit_team(None),
        "workstation": lambda w, c: OrganisationView(c, w).edit_station(None),
        "bonus": lambda w, c: BonusDialog(
            w, [("t1", "新会区陈皮产业科技特派团"), ("t2", "台山市鳗鱼产业科技特派团")], "t2"
        ),
        "exemplar": lambda w, c: ExemplarDialog(
            w,
            [
                ("commissioner", "c1", "李明（广东省科学院江门产业技术研究院，优秀）"),
                ("team", "t1", "新会区陈皮产业科技特派团"),
            ],
        ),
        "record history": lambda w, c: RecordHistoryDialog(c, "visits", _visit_id(c), w),
        "evidence download": lambda w, c: progress_dialog(w, "正在下载原图…"),
        "target page": lambda w, c: TargetPageDialog(w, c, _target_id(c)),
        "agreement (new)": lambda w, c: AgreementDialog(w, c, None),
        "agreement (saved)": lambda w, c: AgreementDialog(w, c, _agreement_id(c)),
    }


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("name", list(_dialogs()))
def test_every_dialog_fits_the_screen(fit_data, tmp_path, screen, name, language, qtbot):
    context = open_context(fit_data, tmp_path, "commissioner", language)
    parent = QWidget()
    try:
        dialog = _dialogs()[name](parent, context)
        dialog.show()
        settle(context)
        room = QSize(screen.width(), screen.height() - screen_fit.TITLE_BAR)
        assert fits(dialog.minimumSizeHint(), room), (
            f"{name} needs {dialog.minimumSizeHint().toTuple()}, the screen has {room.toTuple()}"
        )
        assert fits(dialog.size(), room), (
            f"{name} opens at {dialog.size().toTuple()}, more than {room.toTuple()}"
        )
        problems = check_window(dialog, QRect(QPoint(0, 0), dialog.size()), lambda: settle(context))
        assert not problems, f"{name}: off screen at {room.toTuple()}: {problems}"
        # Nothing is reached by scrolling sideways (the English service types did, in four columns).
        for tabs in dialog.findChildren(QTabWidget) or [None]:
            for index in range(tabs.count()) if tabs is not None else [0]:
                if tabs is not None:
                    tabs.setCurrentIndex(index)
                    settle(context)
                sideways = [
                    area.objectName() or type(area.widget()).__name__
                    for area in dialog.findChildren(QScrollArea)
                    if area.isVisible() and area.horizontalScrollBar().maximum() > 0
                ]
                assert not sideways, f"{name}: scrolls sideways at {room.toTuple()}: {sideways}"
        for box in dialog.findChildren(QDialogButtonBox):
            assert _owner(box) is box, f"{name}: the button row scrolls away with the content"
        # An empty field's hint is read whole (the login's CA certificate hint was cut off).
        cut = [
            edit.placeholderText()
            for edit in dialog.findChildren(QLineEdit)
            if edit.isVisible()
            and not edit.text()
            and edit.placeholderText()
            and edit.fontMetrics().horizontalAdvance(edit.placeholderText()) > edit.width() - 8
        ]
        assert not cut, f"{name}: hints cut off at {room.toTuple()}: {cut}"
    finally:
        discard(parent)
        context.close()


def test_a_refused_save_shows_the_field_at_fault_and_says_so_by_the_buttons(
    fit_data, tmp_path, qtbot, monkeypatch
):
    """A cold try at 150 %: an agreement's end date before its start, 保存 pressed with the form
    scrolled down to its attachments: nothing seemed to happen; the message was above, out of
    sight. The form scrolls to the first field at fault, and a line by the buttons says how many."""
    from ui.views.agreements import AgreementDialog

    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(SCREENS["1366x768@150%"]))
    context = open_context(fit_data, tmp_path, "commissioner")
    parent = QWidget()
    try:
        dialog = AgreementDialog(parent, context, None)
        dialog.show()
        settle(context)
        dialog.target.setCurrentIndex(0)
        dialog.end.setDate(dialog.start.date().addDays(-30))
        (area,) = [a for a in dialog.findChildren(QScrollArea) if a.widget() is not None]
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
        assert area.verticalScrollBar().maximum() > 0  # (the form is taller than the dialog here)
        dialog.save()
        qtbot.waitUntil(lambda: dialog.last_save_ok is not None, timeout=5000)
        box = dialog.boxes["end_date"]
        assert box.has_issue(), dialog.summary.text()
        top_left = box.mapTo(area.viewport(), QPoint(0, 0))
        assert area.viewport().rect().contains(QRect(top_left, box.size())), top_left
        assert dialog.summary.isVisible() and "1 处需要修改" in dialog.summary.text()
    finally:
        discard(parent)
        context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_messages_under_the_visit_editors_fields_squeeze_neither_field_nor_message(
    fit_data, tmp_path, screen, language, qtbot
):
    """A cold try at 150 %: with an end time before the start and 1 training held for 0 people, the
    培训人次 spin box shrank to a sliver, its digit cut in half, and the time's message was clipped
    to "结束时间应 / 晚于开始时…"."""
    from PySide6.QtCore import QTime

    from ui.editors import VisitEditor

    context = open_context(fit_data, tmp_path, "commissioner", language)
    parent = QWidget()
    try:
        editor = VisitEditor(parent, context, None)
        editor.show()
        settle(context)
        editor.start_time.setTime(QTime(14, 0))
        editor.end_time.setTime(QTime(10, 0))
        editor.counters["training_sessions"].setValue(1)
        editor.counters["people_trained"].setValue(0)
        editor.save()
        assert context.tasks.wait_idle(10000)
        settle(context)
        shown = {key: box for key, box in editor.boxes.items() if box.has_issue()}
        assert {"end_time", "people_trained"} <= set(shown)
        for key in ("end_time", "people_trained"):
            editor.tabs.setCurrentIndex(editor.tabs.indexOf(_tab_of(editor, shown[key])))
            settle(context)
            box = shown[key]
            field, error = box.field, box.error
            assert field.height() >= field.minimumSizeHint().height(), (key, field.height())
            assert error.height() >= error.heightForWidth(error.width()), (key, error.text(), error.size())
            assert error.width() >= min(error.sizeHint().width(), 200), (key, error.width())
    finally:
        discard(parent)
        context.close()


def _tab_of(editor: QWidget, widget: QWidget) -> QWidget:
    tabs = editor.tabs
    pages = [tabs.widget(i) for i in range(tabs.count())]
    parent = widget
    while parent is not None and parent not in pages:
        parent = parent.parentWidget()
    assert parent is not None
    return parent


def test_typing_an_address_does_not_make_the_login_dialog_jump(fit_data, tmp_path, qtbot, monkeypatch):
    """A cold try at 150 %: typing http://127.0.0.1 showed, at "http://1", the warning for a plain
    address on another computer; the dialog grew to the screen's width and moved, stayed so, and
    the next clicks missed the fields. The warning waits for a pause in the typing, and the dialog
    gives back the room it took for it once it goes."""
    from PySide6.QtTest import QTest

    from ui import sync_login
    from ui.sync_login import LoginDialog

    monkeypatch.setattr(sync_login, "keyring_available", lambda: False)
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(SCREENS["1366x768@150%"]))
    context = open_context(fit_data, tmp_path, "commissioner")
    parent = QWidget()
    try:
        dialog = LoginDialog(context, parent)
        dialog.show()
        settle(context)
        opened = dialog.size()
        dialog.server.clear()
        dialog.server.setFocus()
        for key in "http://127.0.0.1:8765":
            QTest.keyClicks(dialog.server, key)
            assert dialog.size() == opened and not dialog.insecure_note.isVisibleTo(dialog), key
        qtbot.wait(1000)
        assert dialog.size() == opened and not dialog.insecure_note.isVisibleTo(dialog)
        # Another computer over plain http: said once the typing pauses, and the room given back.
        dialog.server.clear()
        QTest.keyClicks(dialog.server, "http://10.0.0.5:8765")
        assert not dialog.insecure_note.isVisibleTo(dialog)
        qtbot.waitUntil(lambda: dialog.insecure_note.isVisibleTo(dialog), timeout=3000)
        dialog.server.clear()
        QTest.keyClicks(dialog.server, "https://kjj.example.gov.cn")
        assert not dialog.insecure_note.isVisibleTo(dialog) and dialog.size() == opened
    finally:
        discard(parent)
        context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_login_dialog_grows_for_its_warnings_and_squeezes_no_field(
    fit_data, tmp_path, screen, language, qtbot, monkeypatch
):
    """On a computer without a keyring, an http:// address elsewhere and a refusal shown, the dialog
    kept the size it opened at: the address, user and password fields were squeezed to slivers and
    the warnings cut off mid-line (a cold try at 150 %)."""
    from ui import sync_login
    from ui.sync_login import LoginDialog

    monkeypatch.setattr(sync_login, "keyring_available", lambda: False)
    context = open_context(fit_data, tmp_path, "commissioner", language)
    parent = QWidget()
    try:
        dialog = LoginDialog(context, parent)
        dialog.show()
        settle(context)
        dialog.use_file.setChecked(True)
        dialog.server.setText("http://192.0.2.1:8765")
        dialog.show_error(dialog.tr("此服务器地址未加密（http://）。") * 3)
        settle(context)
        room = QSize(screen.width(), screen.height() - screen_fit.TITLE_BAR)
        assert fits(dialog.size(), room), (
            f"opens at {dialog.size().toTuple()}, the screen has {room.toTuple()}"
        )
        squeezed = [
            widget.objectName() or type(widget).__name__
            for widget in (dialog.server, dialog.username, dialog.password, dialog.ca_file)
            if widget.height() < widget.minimumSizeHint().height()
        ]
        cut = [
            label.text()[:20]
            for label in (dialog.keyring_note, dialog.insecure_note, dialog.status)
            if label.height() < label.heightForWidth(label.width())
        ]
        assert not squeezed and not cut, f"squeezed {squeezed}, cut {cut}"
        problems = off_screen(dialog, QRect(QPoint(0, 0), dialog.size()))
        assert not problems, problems
    finally:
        discard(parent)
        context.close()


def test_dialogs_open_at_their_preferred_size_on_a_large_screen(monkeypatch, qapp):
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(0, 0, 2560, 1400))
    assert screen_fit.dialog_size(None, QSize(1080, 700)) == QSize(1080, 700)
    assert not screen_fit.wants_maximised(None)
    size = screen_fit.main_window_size(None)
    assert size.width() <= 2560 * 0.9 and size.height() <= 1400 * 0.9


@contextmanager
def view_on(fit_data: Path, tmp_path: Path, screen: QRect, role: str, key: str, language: str = "zh_CN"):
    """One view of a maximised main window on `screen`, loaded; closed afterwards."""
    from ui.main_window import MainWindow

    context = open_context(fit_data, tmp_path, role, language)
    window = MainWindow(context)
    try:
        window.resize(QSize(screen.width(), screen.height() - screen_fit.TITLE_BAR))
        window.show()
        view = window.show_view(key)
        settle(context)
        yield view
    finally:
        discard(window)
        context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_team_members_table_shows_every_header_whole(fit_data, tmp_path, screen, language, qtbot):
    """A manager reads the members table on a field laptop: the sending unit's column was squeezed
    to a sliver at 150 % (its header cut to "出单"), the chart beside it taking the room."""
    with view_on(fit_data, tmp_path, screen, "manager", "team", language) as view:
        header = view.members.horizontalHeader()
        metrics = header.fontMetrics()
        cut = []
        for column in range(view.members.columnCount()):
            text = view.members.horizontalHeaderItem(column).text()
            if header.sectionSize(column) < metrics.horizontalAdvance(text) + 8:
                cut.append(f"{text}: {header.sectionSize(column)} px")
        assert not cut, f"headers cut at {screen.width()} px: {cut}"
        unit = view.members.item(0, 1)
        assert unit is not None and unit.text() and unit.text() in unit.toolTip()  # the whole name on hover


def test_the_assessment_table_shows_every_indicator_whole(fit_data, tmp_path, screen, qtbot):
    """A commissioner reads their score on a field laptop: at 150 % the indicators were cut to
    "服务天数…", "解决技术难…", the part's name taking the room."""
    with view_on(fit_data, tmp_path, screen, "commissioner", "assessment") as view:
        table = view.table
        width = table.horizontalHeader().sectionSize(1)
        metrics = table.fontMetrics()
        cut = [
            table.item(row, 1).text()
            for row in range(table.rowCount())
            if table.item(row, 1) is not None
            and metrics.horizontalAdvance(table.item(row, 1).text()) + 8 > width
        ]
        assert table.rowCount() > 5 and not cut, f"indicators cut at {screen.width()} px ({width} px): {cut}"


@pytest.mark.parametrize(
    "role, key",
    [
        ("commissioner", "visits"),
        ("commissioner", "problems"),
        ("commissioner", "targets"),
        ("manager", "visits"),
    ],
)
def test_the_lists_show_every_column_without_scrolling_sideways(fit_data, tmp_path, screen, role, key, qtbot):
    """The lists on a field laptop: at 150 % their columns were laid out for a wide screen, and the
    visits' 服务类型, 培训人次 and 经济效益 were reached only by scrolling sideways. A manager's visit
    list has one column more (科技特派员: whose visit), a commissioner's hides it."""
    with view_on(fit_data, tmp_path, screen, role, key) as view:
        table = view.table
        header = table.horizontalHeader()
        columns = [c for c in range(table.model().columnCount()) if not table.isColumnHidden(c)]
        total = sum(header.sectionSize(c) for c in columns)
        assert total <= table.viewport().width(), (
            f"{key}: {total} px of columns in {table.viewport().width()} px"
        )
        metrics = header.fontMetrics()
        titles = []
        for column in columns:
            text = table.model().headerData(column, Qt.Orientation.Horizontal)
            titles.append(text)
            assert header.sectionSize(column) >= metrics.horizontalAdvance(text), text
        if key == "visits":
            assert ("科技特派员" in titles) == (role == "manager"), titles
            assert len(columns) == table.model().columnCount() - (role != "manager")


def _sideways(table: QAbstractItemView) -> list[str]:
    """What makes a visible list scroll sideways, or cuts a header of it."""
    from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView

    header: QHeaderView | None = None
    if isinstance(table, QTableView):
        header = table.horizontalHeader()
    elif isinstance(table, QTreeView):
        header = table.header()
    if header is None or header.isHidden() or table.model() is None:
        return []
    found = []
    if table.horizontalScrollBar().maximum() > 0:
        found.append(f"scrolls sideways ({table.horizontalScrollBar().maximum()} steps)")
    metrics = header.fontMetrics()
    wraps = bool(header.defaultAlignment() & Qt.TextFlag.TextWordWrap)
    for column in range(table.model().columnCount()):
        if header.isSectionHidden(column):
            continue
        text = str(table.model().headerData(column, Qt.Orientation.Horizontal) or "")
        needed = metrics.horizontalAdvance(text)
        if wraps:  # broken between words onto two lines, which the header's height must show
            assert header.height() >= 2 * metrics.lineSpacing()
            words = text.split(" ")
            for n in range(1, len(words)):
                lines = (" ".join(words[:n]), " ".join(words[n:]))
                needed = min(needed, max(metrics.horizontalAdvance(line) for line in lines))
        if header.sectionSize(column) < needed + 4:
            found.append(f"header {text!r} cut to {header.sectionSize(column)} px")
    return found


LISTS = ("visits", "problems", "targets", "review")  # the lists fitted by ui.views.common.ColumnFitter


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_no_list_scrolls_sideways_and_every_header_is_whole(
    fit_data, tmp_path, screen, role, language, qtbot
):
    """A list on a field laptop at 150 % shows its columns at once, each header readable: the review
    queue's eight columns beside the visit's details scrolled sideways, and so did the visits and the
    service targets in English, whose headers and values are longer."""
    from ui.main_window import MainWindow

    context = open_context(fit_data, tmp_path, role, language)
    window = MainWindow(context)
    try:
        window.resize(QSize(screen.width(), screen.height() - screen_fit.TITLE_BAR))
        window.show()
        settle(context)
        problems = {}
        for key in LISTS:
            if key not in window.views or window.rail.isRowHidden(window.stack.indexOf(window._pages[key])):
                continue
            view = window.show_view(key)
            settle(context)
            found = _sideways(view.table)
            if found:
                problems[key] = found
        assert not problems, f"at {screen.width()} px: {problems}"
    finally:
        discard(window)
        context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_review_column_hidden_for_room_stays_reachable_and_comes_back(
    fit_data, tmp_path, monkeypatch, language, qtbot
):
    """Beside the details at 150 % the review queue hides the place and the evidence (the details
    show them); the header says so, each row's tooltip still holds them, and a wide window shows
    every column again at its set width."""
    from ui.main_window import MainWindow
    from ui.views.review import QUEUE_WIDTHS

    area = SCREENS["1366x768@150%"]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(area))
    context = open_context(fit_data, tmp_path, "manager", language)
    window = MainWindow(context)
    try:
        window.resize(QSize(area.width(), area.height() - screen_fit.TITLE_BAR))
        window.show()
        view = window.show_view("review")
        settle(context)
        rows = [
            {
                "id": f"v{n}",
                "visit_date": "2026-12-05",
                "commissioner_name": "蔡辉",
                "target_name": "江海区礼乐产业园",
                "county": "江海区",
                "town": "礼乐街道",
                "content": "到江海区礼乐产业园诊断锂电池极片涂布工序",
                "attachments": 3,
                "confirm_contact": 1,
                "confirm_satisfaction": 5,
                "checks": [],
                "was_approved": n == 0,
                "has_sheet": False,
                "party_decision": "confirmed",
            }
            for n in range(3)
        ]
        view.model.set_rows(rows)
        QApplication.processEvents()
        table, fitter = view.table, view.columns
        assert 3 in fitter.hidden and 5 in fitter.hidden
        assert all(table.isColumnHidden(c) for c in fitter.hidden)
        for column in fitter.hidden:
            title = view.model.headerData(column, Qt.Orientation.Horizontal)
            assert title in table.horizontalHeader().toolTip()
        tip = fitter.row_tooltip(view.model.index(0, 0))
        assert "江海区礼乐街道" in tip and view.model.display("evidence", rows[0]) in tip
        assert not _sideways(table)

        window.resize(QSize(1900, 1000))  # a wide screen at 100 %
        QApplication.processEvents()
        assert fitter.hidden == () and not any(table.isColumnHidden(c) for c in range(8))
        assert table.horizontalHeader().toolTip() == ""
        # No hidden column's line: at most the cell's own text, where its column shows it shortened.
        cell = view.model.index(0, 3)
        assert fitter.row_tooltip(cell) in ("", str(view.model.data(cell)))
        for column in (1, 2, 3, 6):  # the texts: their set widths, or their headers' if wider
            assert table.columnWidth(column) >= QUEUE_WIDTHS[column]
        assert table.columnWidth(4) >= QUEUE_WIDTHS[4]  # the content takes the room left
        assert not _sideways(table)
    finally:
        discard(window)
        context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_first_start_offers_the_bureaus_server_before_the_form(tmp_path, screen, language, qtbot):
    """A cold try at 150 %: "连接科技局服务器…" lay below the fold, under a commissioner's form with
    required fields, and a bureau operator filled that form in for themselves (and was then counted
    as a commissioner). The button is in sight when the dialog opens, above the form."""
    from ui.profile import ProfileDialog

    context = AppContext(Store.open(tmp_path / "fresh"), language=language)
    parent = QWidget()
    try:
        dialog = ProfileDialog(context, parent, first_start=True)
        dialog.show()
        settle(context)
        viewport = dialog.page.viewport()
        button = dialog.server_button
        top_left = button.mapTo(viewport, QPoint(0, 0))
        assert viewport.rect().contains(QRect(top_left, button.size())), (top_left, viewport.size())
        assert top_left.y() < dialog.name.mapTo(viewport, QPoint(0, 0)).y()
    finally:
        discard(parent)
        context.close()
