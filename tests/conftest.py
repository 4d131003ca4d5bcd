import os

import pytest

from commissioner_app import i18n

# Qt has no screen on CI machines; every Qt test renders offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _core_language_as_it_was():
    """The core's language (commissioner_app/i18n.py) as it was before each test: a test that opens
    the application in English (AppContext installs its language) left every later test of the same
    process reading English messages where they expect the product's default, Chinese."""
    before = i18n.language()
    yield
    i18n.set_language(before)
