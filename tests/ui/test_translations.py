"""Every GUI string has its English translation."""

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from ui.i18n_build import TRANSLATIONS_DIR, lrelease_command

ROOT = Path(__file__).resolve().parents[2]
# The frame's sources (ui/*.py also holds other features' modules, translated in their own files).
FRAME_SOURCES = sorted(p for p in [*ROOT.glob("ui/*.py"), *ROOT.glob("ui/views/*.py")])


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found[(name, message.findtext("source"))] = message.find("translation")
    return found


def test_every_string_in_every_translation_file_is_translated():
    files = sorted(TRANSLATIONS_DIR.glob("*_en.ts"))
    assert files
    for ts in files:
        for (context, source), translation in messages(ts).items():
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            assert translation.text and translation.get("type") != "unfinished", (
                f"{ts.name}: {context}: {source}"
            )


def test_every_string_of_the_frame_is_translated(tmp_path):
    lupdate = Path(lrelease_command()[0]).with_name(
        Path(lrelease_command()[0]).name.replace("lrelease", "lupdate")
    )
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [str(lupdate), *map(str, FRAME_SOURCES), "-ts", str(fresh)], check=True, capture_output=True
    )
    in_code = set(messages(fresh))
    # Other features keep their strings in their own files (installer_en.ts, editor_en.ts, ...).
    translated = {key for ts in TRANSLATIONS_DIR.glob("*_en.ts") for key, t in messages(ts).items() if t.text}
    assert in_code, "lupdate found no strings"
    missing = in_code - translated
    assert not missing, f"run pyside6-lupdate and ui/translations/fill_en.py; missing: {sorted(missing)}"
