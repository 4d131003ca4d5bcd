"""Bilingual messages for the core.

The core does not use Qt's translation system; every message a user may see is kept in Chinese
(the default) and English, and the caller picks the language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SUPPORTED = ("zh_CN", "en")
_language = "zh_CN"


def set_language(language: str) -> None:
    global _language
    _language = "en" if language.lower().startswith("en") else "zh_CN"


def language() -> str:
    return _language


def language_from_env() -> str:
    """The language asked for by COMMISSIONER_LANG, else Chinese (the product's default)."""
    value = os.environ.get("COMMISSIONER_LANG", "")
    return "en" if value.lower().startswith("en") else "zh_CN"


@dataclass(frozen=True)
class Message:
    zh: str
    en: str

    def text(self, lang: str | None = None) -> str:
        return self.en if (lang or _language) == "en" else self.zh

    def __str__(self) -> str:
        return self.text()

    def format(self, **kwargs: object) -> Message:
        return Message(self.zh.format(**kwargs), self.en.format(**kwargs))
