"""Showing texts that users typed or a server sent exactly as they are, never as markup.

Qt guesses: a QLabel (in its default AutoText format) and every tooltip render a text that looks
like HTML as rich text, so a target named `<img src=x><b>粗</b>` would fetch an image and show
bold. Labels that show such texts are made PlainText; tooltips are escaped."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel


def plain_label(label: QLabel) -> QLabel:
    """Make `label` show its text literally; returns it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip text that shows `text` literally (escaped only when Qt would read it as markup)."""
    if not text or not GuiQt.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
