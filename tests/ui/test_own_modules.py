"""A module of the application that fails to import is an error, never a feature quietly missing."""

from __future__ import annotations

import sys

import pytest


def test_the_editors_failing_to_import_is_an_error(monkeypatch):
    # It used to be logged and answered with "installation incomplete", the editors just gone.
    from ui import main_window

    monkeypatch.setitem(sys.modules, "ui.editors", None)  # importing it now raises ImportError
    with pytest.raises(ImportError):
        main_window.editors()


def test_the_self_test_fails_when_the_reports_module_is_missing(monkeypatch):
    # It used to print a stand-in PDF instead, so a build without the reports passed its self-test.
    from ui import self_test

    monkeypatch.setitem(sys.modules, "commissioner_app.reports.visit_sheet", None)
    with pytest.raises(ImportError):
        self_test._pdf(None, "no-visit")
