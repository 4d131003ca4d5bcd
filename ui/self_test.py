"""`--self-test`: prove an installed copy works end to end, then exit 0 (or 1, saying what failed).

Run by the packaging check on the built application (offscreen) and useful to support staff on a
user's machine: it opens a store in a scratch data directory (never the user's data), renders the
main window, writes and reads a record with a photo, and produces a PDF with the bundled font.
"""

from __future__ import annotations

import io
import logging
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QImage, QImageReader, QRawFont
from PySide6.QtWidgets import QApplication

from commissioner_app import __version__
from commissioner_app.domain import short_id
from commissioner_app.paths import font_path, resources_dir

if TYPE_CHECKING:
    from commissioner_app.store import Store

log = logging.getLogger("commissioner.ui.self_test")

SAMPLE_TEXT = "科技特派员服务记录"


class SelfTest:
    def __init__(self, data_dir: Path, out: Callable[[str], None]):
        self.data_dir = data_dir
        self.out = out
        self.failures: list[str] = []
        self.store: Store | None = None
        self.visit_id = ""

    def check(self, name: str, step: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            detail = step()
        except Exception as exc:  # every failure is reported, then the next check runs
            log.error("self-test %s failed", name, exc_info=True)
            self.failures.append(name)
            self.out(f"FAIL {name}: {type(exc).__name__}: {exc}")
            self.out("".join(traceback.format_exception(exc)).rstrip())
            return
        self.out(f"ok   {name}: {detail} ({(time.perf_counter() - started) * 1000:.0f} ms)")

    # --- the checks ------------------------------------------------------------------------------

    def resources(self) -> str:
        root = resources_dir()
        needed = [font_path(), root / "reference" / "regions.json", root / "reference" / "service_types.json"]
        missing = [str(p) for p in needed if not p.is_file()]
        if missing:
            raise FileNotFoundError(", ".join(missing))
        found = [
            f"{len(list((root / d).rglob('*')))} in {d}/"
            for d in ("fonts", "reference", "assessment", "translations", "icons")
            if (root / d).is_dir()
        ]
        return f"{root}: " + ", ".join(found)

    def qt(self) -> str:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
        missing = {"jpeg", "png"} - formats
        if missing:
            raise RuntimeError(f"Qt cannot read {', '.join(sorted(missing))} images")
        return f"platform {app.platformName()}, image formats {', '.join(sorted(formats))}"

    def font(self) -> str:
        from ui.fonts import register_bundled_font

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        family = register_bundled_font(app)
        if not family:
            raise RuntimeError(f"the bundled font {font_path()} did not load")
        # Glyph index 0 is the font's "missing" box. (QFontMetrics.inFont(str) misreports some
        # characters in PySide6; the glyph lookup is what drawing uses.)
        glyphs = QRawFont.fromFont(app.font()).glyphIndexesForString(SAMPLE_TEXT)
        missing = [ch for ch, glyph in zip(SAMPLE_TEXT, glyphs, strict=True) if glyph == 0]
        if missing:
            raise RuntimeError(f"the font {family} has no glyph for {''.join(missing)}")
        return f"{family} draws {SAMPLE_TEXT}"

    def translations(self) -> str:
        from PySide6.QtCore import QTranslator

        from ui import i18n

        names = []
        for name in (i18n.APP_CATALOG, i18n.QT_GAPS):  # the English, and Qt's texts its Chinese lacks
            qm = i18n.TRANSLATIONS_DIR / name
            if not qm.exists():
                raise FileNotFoundError(f"no translation {qm}")
            translator = QTranslator()
            if not translator.load(str(qm)) or translator.isEmpty():
                raise RuntimeError(f"the translation {qm.name} does not load")
            names.append(qm.name)
        return ", ".join(names)

    def open_store(self) -> str:
        from commissioner_app.ops.reference import reference_summary
        from commissioner_app.store import Store

        self.store = store = Store.open(self.data_dir)
        kinds, items = reference_summary(store)
        if not items:
            raise RuntimeError("no reference data was loaded")
        return f"{store.path}, {items} reference items of {kinds} kinds"

    def write_and_read(self) -> str:
        from PIL import Image

        from commissioner_app.attachments import add_attachment, thumbnail_path, verify_blob
        from commissioner_app.domain import ServiceTarget, Visit
        from commissioner_app.ops.targets import save_target
        from commissioner_app.ops.visits import save_visit

        # The same operations the editors run on the executor.
        store = self._store()
        target = save_target(
            store, ServiceTarget(type="cooperative", name="自检苹果专业合作社", county="永和县")
        ).value
        visit = Visit(
            commissioner_id="self-test",
            target_id=target.id,
            visit_date=date.today(),
            start_time="09:00",
            end_time="10:30",
            county="永和县",
            service_types=["guidance"],
            industry="苹果",
            content="自检：指导苹果树修剪和病虫害防治。",
            people_trained=3,
        )
        if not save_visit(store, visit, [], [], draft=False, removed_problems=[], links={}).touches("visits"):
            raise RuntimeError("saving the visit reported no change to the visits")
        photo = self.data_dir / "self-test.jpg"
        Image.new("RGB", (160, 120), (60, 140, 60)).save(photo, "JPEG")
        attachment = add_attachment(store, photo, "visits", visit.id)
        store.close()
        from commissioner_app.store import Store

        self.store = store = Store.open(self.data_dir)
        again = store.require(Visit, visit.id)
        if again.content != visit.content or again.target_id != target.id:
            raise RuntimeError("the visit read back differs from the one written")
        if not any(hit.id == visit.id for hit in store.search("病虫害")):
            raise RuntimeError("full-text search did not find the visit")
        problem = verify_blob(store, attachment.sha256)
        if problem:
            raise RuntimeError(problem.en)
        if not thumbnail_path(store, attachment.sha256).is_file():
            raise RuntimeError("no thumbnail was made for the photo")
        self.visit_id = visit.id
        return f"visit {short_id(visit.id)} with a photo written, read back and found by search"

    def main_window(self) -> str:
        from ui.app import create_main_window, open_context, render_screenshot

        self._store().close()  # the window's context opens the store itself, with its worker thread
        self.store = None
        context = open_context(self.data_dir, None)
        try:
            window = create_main_window(context)
            shot = self.data_dir / "self-test.png"
            render_screenshot(window, "visits", shot)
            window.close()
            window.deleteLater()
        finally:
            context.close()
        from commissioner_app.store import Store

        self.store = Store.open(self.data_dir)
        image = QImage(str(shot))
        if image.isNull() or image.width() < 800:
            raise RuntimeError("the main window rendered to an empty image")
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        if len(colours) < 16:
            raise RuntimeError("the main window rendered blank")
        return f"{type(window).__name__} rendered {image.width()}x{image.height()}, {len(colours)} colours"

    def pdf(self) -> str:
        data, how = _pdf(self._store(), self.visit_id)
        if not data.startswith(b"%PDF") or b"%%EOF" not in data[-64:]:
            raise RuntimeError("the PDF is not complete")
        if b"/FontFile2" not in data:
            raise RuntimeError("the PDF does not embed the bundled TrueType font")
        (self.data_dir / "self-test.pdf").write_bytes(data)
        return f"{how}, {len(data) // 1024} KB, font embedded"

    def _store(self):  # -> Store
        if self.store is None:
            raise RuntimeError("the store did not open")
        return self.store


def _pdf(store, visit_id: str) -> tuple[bytes, str]:
    """The visit's service sheet. A reports module missing from the build fails this check."""
    from commissioner_app.reports.visit_sheet import visit_sheet

    buffer = io.BytesIO()
    pages = visit_sheet(store, visit_id, buffer)
    return buffer.getvalue(), f"service sheet, {pages} page(s)"


def run_self_test(data_dir: Path | str | None = None, out: Callable[[str], None] = print) -> int:
    """Run every check, print what was checked; 0 when all passed, 1 otherwise.

    `data_dir` must be empty or not exist (the self-test never opens a user's real data); without
    it a temporary directory is used and removed afterwards.
    """
    scratch = data_dir is None
    folder = Path(tempfile.mkdtemp(prefix="commissioner-self-test-")) if scratch else Path(data_dir)  # type: ignore[arg-type]
    if not scratch and folder.exists() and any(folder.iterdir()):
        out(f"FAIL the self-test needs an empty data directory; {folder} is not empty")
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    out(
        f"Field Commissioner {__version__} self-test, Python {sys.version.split()[0]}, "
        f"frozen={bool(getattr(sys, 'frozen', False))}"
    )
    test = SelfTest(folder, out)
    try:
        test.check("resources", test.resources)
        test.check("qt", test.qt)
        test.check("font", test.font)
        test.check("translations", test.translations)
        test.check("store", test.open_store)
        test.check("write and read", test.write_and_read)
        test.check("main window", test.main_window)
        test.check("pdf", test.pdf)
    finally:
        if test.store is not None:
            test.store.close()
        if scratch:
            shutil.rmtree(folder, ignore_errors=True)
    if test.failures:
        out(f"self-test FAILED: {', '.join(test.failures)}")
        return 1
    out("self-test passed")
    return 0


if __name__ == "__main__":
    sys.exit(run_self_test())
