"""Windows sized to the screen they open on.

Field laptops are 1366×768 with 125 % or 150 % display scaling: 1093×614 or 911×512 logical pixels,
less the taskbar. Every window asks this module for its size instead of a fixed one: dialogs open
at the smaller of their preferred size and 90 % of the screen's available area (which excludes the
taskbar), and the main window is maximised when the screen is smaller than it would like.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

# What a window manager adds above a window's client area (title bar and borders), in logical
# pixels; not known before the window is first shown, and a maximised window loses it too.
TITLE_BAR = 32
DIALOG_SHARE = 0.9
# Below this available area the main window opens maximised (every pixel counts).
MAIN_WINDOW_PREFERRED = QSize(1440, 860)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The area of the widget's screen (its parent window's before it is shown) that windows may
    use, in logical pixels: the screen less the taskbar and docks."""
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window() if parent is not None else widget).screen()
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (should not happen): a 1366×768 laptop with a taskbar
        return QRect(0, 0, 1366, 728)
    return screen.availableGeometry()


def client_area(widget: QWidget | None = None) -> QSize:
    """The size a maximised window's contents get: the available area less the title bar."""
    area = available_geometry(widget)
    return QSize(area.width(), max(area.height() - TITLE_BAR, 0))


def dialog_size(widget: QWidget | None, preferred: QSize) -> QSize:
    """The smaller of `preferred` and 90 % of the available area (title bar included)."""
    area = available_geometry(widget)
    return QSize(
        min(preferred.width(), int(area.width() * DIALOG_SHARE)),
        min(preferred.height(), int(area.height() * DIALOG_SHARE) - TITLE_BAR),
    )


def fit_dialog(dialog: QWidget, preferred: QSize | tuple[int, int]) -> None:
    """Size a dialog (or any secondary window) for its screen; call it where `resize` was called."""
    if isinstance(preferred, tuple):
        preferred = QSize(*preferred)
    dialog.resize(dialog_size(dialog, preferred))


def wants_maximised(widget: QWidget | None = None) -> bool:
    """True on screens smaller than the main window would like (every field laptop)."""
    area = available_geometry(widget)
    return (
        area.width() < MAIN_WINDOW_PREFERRED.width()
        or area.height() - TITLE_BAR < MAIN_WINDOW_PREFERRED.height()
    )


def main_window_size(widget: QWidget | None = None) -> QSize:
    """The main window's default (unmaximised) size: its preferred size within 90 % of the screen."""
    return dialog_size(widget, MAIN_WINDOW_PREFERRED)


def keep_on_screen(window: QWidget) -> None:
    """Shrink a window whose restored size no longer fits (e.g. saved on a larger monitor)."""
    client = client_area(window)
    if window.width() > client.width() or window.height() > client.height():
        window.resize(min(window.width(), client.width()), min(window.height(), client.height()))


def show_main_window(window: QWidget) -> None:
    """Show the main window: maximised on small screens, else at its (restored or default) size."""
    if wants_maximised(window) and not window.isMaximized():
        window.showMaximized()
    else:
        window.show()


class ScrollPage(QScrollArea):
    """Content that scrolls up and down when the screen is too short for it, never sideways.

    The content gets the page's size, or its minimum height for that width if that is more. (A
    resizable QScrollArea would give content with word-wrapped labels its preferred height instead,
    and scroll where nothing needs to.)"""

    def __init__(self, content: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        super().resizeEvent(event)
        self._fit()

    def minimumSizeHint(self) -> QSize:  # Qt's name
        """As wide as the content needs (it never scrolls sideways), any height."""
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is not None:
            width = content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
            hint.setWidth(max(hint.width(), width))
        return hint

    def _fit(self) -> None:
        content = self.widget()
        if content is None:
            return
        width = max(self.viewport().width(), content.minimumSizeHint().width())
        height = content.minimumSizeHint().height()
        layout = content.layout()
        if layout is not None and layout.hasHeightForWidth():
            height = max(height, layout.minimumHeightForWidth(width))
        content.resize(width, max(height, self.viewport().height()))
        if isinstance(layout, QVBoxLayout) and layout.hasHeightForWidth():
            # A column's minimum for a width leaves out that a word-wrapped part takes its height for
            # that width as its least: laid out, a part beside it got less than its own minimum (the
            # achievement form at 150 %, its buttons' characters cut at the foot).
            content.resize(width, max(content.height(), _column_height(layout, width)))


def _column_height(layout: QVBoxLayout, width: int) -> int:
    """The least height of a column of parts at `width`: a part that wraps its words at its height
    for the width, another at its minimum."""
    margins = layout.contentsMargins()
    inner = width - margins.left() - margins.right()
    parts = [
        item for item in (layout.itemAt(i) for i in range(layout.count())) if item and not item.isEmpty()
    ]
    heights = [p.heightForWidth(inner) if p.hasHeightForWidth() else p.minimumSize().height() for p in parts]
    return margins.top() + margins.bottom() + sum(heights) + max(0, layout.spacing()) * max(0, len(parts) - 1)


def scrolling(content: QWidget, parent: QWidget | None = None) -> ScrollPage:
    """`content` in a frameless page that scrolls up and down: tall forms and panels scroll on a
    small screen instead of pushing the window (and its buttons) past the screen's edge."""
    return ScrollPage(content, parent)
