"""scripts/apply_translations.py: English from `Context<TAB>Chinese<TAB>English` lines into the
catalog lupdate made, one English per phrase, in lupdate's own layout."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ui import i18n_build

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "apply_translations.py"

SOURCE = """
from PySide6.QtWidgets import QWidget


class Panel(QWidget):
    def retranslate(self):
        self.tr("保存")
        self.tr("新字符串")
        self.tr("第一行\\n第二行")
        self.tr("引号“{0}”")


class Other(QWidget):
    def retranslate(self):
        self.tr("保存")
        self.tr("已翻译")
"""


def lupdate(catalog: Path) -> None:
    """What `python3 dev.py lupdate` runs, over the small module beside the catalog."""
    command = i18n_build.tool_command("pyside6-lupdate")
    if command is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pyside6-lupdate is missing in CI (it comes with PySide6-Essentials)")
        pytest.skip("pyside6-lupdate not found (it comes with PySide6-Essentials)")
    arguments = i18n_build.lupdate_arguments(catalog, catalog.parent / "src")
    subprocess.run([*command, *arguments], check=True, capture_output=True)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A catalog lupdate made from a small GUI module: every message untranslated."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "panel.py").write_text(SOURCE, encoding="utf-8")
    ts = tmp_path / "app_en.ts"
    lupdate(ts)
    return ts


def run(catalog: Path, tmp_path: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    tsv = tmp_path / f"strings{len(list(tmp_path.glob('*.tsv')))}.tsv"
    tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(tsv), "--catalog", str(catalog)], capture_output=True, text=True
    )


def english(catalog: Path) -> dict[tuple[str, str], tuple[str, str]]:
    found = {}
    for context in ET.parse(catalog).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[(context.findtext("name") or "", message.findtext("source") or "")] = (
                translation.text or "",
                translation.get("type", ""),
            )
    return found


def test_fills_the_messages_lupdate_found_in_its_layout(catalog: Path, tmp_path: Path):
    tricky = 'It\'s <new> & "quoted"\u3000too'
    done = run(
        catalog,
        tmp_path,
        [
            "# ported from a branch",
            "Panel\t保存\tSave",
            f"Panel\t新字符串\t{tricky}",
            "Panel\t第一行\\n第二行\tLine one\\nline two",
            "Panel\t引号“{0}”\tQuoted “{0}”",
            "Other\t已翻译\tDone",
            "Gone\t不存在\tNothing",
        ],
    )
    assert done.returncode == 0, done.stderr
    assert "filled 6" in done.stdout
    assert "不存在" in done.stderr and "not in the catalog" in done.stderr
    assert english(catalog) == {
        ("Panel", "保存"): ("Save", ""),
        ("Panel", "新字符串"): (tricky, ""),
        ("Panel", "第一行\n第二行"): ("Line one\nline two", ""),
        ("Panel", "引号“{0}”"): ("Quoted “{0}”", ""),
        ("Other", "保存"): ("Save", ""),  # the same phrase elsewhere: the same English
        ("Other", "已翻译"): ("Done", ""),
    }
    # lupdate (and so Qt Linguist) would write the very same file.
    filled = catalog.read_bytes()
    lupdate(catalog)
    assert catalog.read_bytes() == filled


def test_never_changes_a_translation_and_keeps_one_english_per_phrase(catalog: Path, tmp_path: Path):
    assert run(catalog, tmp_path, ["Panel\t保存\tSave", "Other\t已翻译\tDone"]).returncode == 1
    done = run(
        catalog,
        tmp_path,
        [
            "Other\t已翻译\tFinished",
            "Panel\t新字符串\tNew",
            "Panel\t第一行\\n第二行\tTwo lines",
            "Panel\t引号“{0}”\tQ",
        ],
    )
    assert done.returncode == 0, done.stderr
    assert "kept the catalog's 'Done'" in done.stderr
    assert english(catalog)[("Other", "已翻译")] == ("Done", "")
    assert english(catalog)[("Other", "保存")] == ("Save", "")


def test_reports_what_is_still_untranslated(catalog: Path, tmp_path: Path):
    done = run(catalog, tmp_path, ["Panel\t保存\tSave"])
    assert done.returncode == 1
    assert "still untranslated" in done.stderr and "新字符串" in done.stderr
    assert english(catalog)[("Panel", "新字符串")] == ("", "unfinished")


def test_a_malformed_line_changes_nothing(catalog: Path, tmp_path: Path):
    before = catalog.read_bytes()
    done = run(catalog, tmp_path, ["Panel\t保存\tSave", "Panel 新字符串 New"])
    assert done.returncode == 2
    assert ":2: expected Context<TAB>Chinese<TAB>English" in done.stderr
    assert catalog.read_bytes() == before
