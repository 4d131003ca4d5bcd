"""The 考核 view: the same numbers as commissioner_app.assessment, the annual summary, previews of
the documents before saving, and a batch of annual records that can be cancelled."""

from __future__ import annotations

import subprocess
import threading
from datetime import date

import pytest

from commissioner_app.assessment import Period, Scope, assess
from commissioner_app.domain import AnnualSummary
from commissioner_app.store import Store
from tests.ui.manager_support import build_team, log_in_as, manager_context, team_data, wait  # noqa: F401
from ui.context import AppContext
from ui.views.assessment import AssessmentView
from ui.views.pdf_preview import PdfPreviewDialog


def open_view(ctx, qtbot) -> AssessmentView:
    view = AssessmentView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    view.load()
    wait(ctx)
    return view


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def commissioner_context(tmp_path, qapp):
    """王芳's own laptop: not logged in, so a commissioner; her profile is the store's."""
    store = Store.open(tmp_path / "wang")
    data = build_team(store)
    wang = data.members["王芳"]
    store.save_profile(wang)
    store.actor = wang.id
    ctx = AppContext(store, language="zh_CN")
    yield ctx, data
    ctx.close()


def shown_table(view: AssessmentView) -> list[list[str]]:
    t = view.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_the_table_shows_the_same_figures_as_the_assessment(commissioner_context, qtbot):
    ctx, data = commissioner_context
    view = open_view(ctx, qtbot)
    wang = data.members["王芳"]
    assert view.who.count() == 1 and view.who.currentData() == wang.id  # a commissioner sees their own
    expected = assess(ctx.store, Scope.commissioner(wang.id), Period.year(date.today().year)).member(wang.id)
    assert expected is not None
    rows = shown_table(view)
    indicator_rows = [r for r in rows if r[1] not in ("小计", "")]
    indicators = [i for p in expected.parts for i in p.indicators]
    assert [r[1] for r in indicator_rows] == [i.label.text("zh_CN") for i in indicators]
    for row, ind in zip(indicator_rows, indicators, strict=True):
        assert float(row[2]) == ind.target
        assert float(row[6]) == round(ind.score, 1)
        if ind.actual is not None:
            assert float(row[3].replace(",", "")) == pytest.approx(ind.actual, abs=0.01)
    subtotals = [float(r[6]) for r in rows if r[1] == "小计"]
    assert subtotals == [round(p.score, 1) for p in expected.parts]
    assert rows[-1][0] == "总分" and float(rows[-1][6]) == round(expected.total, 1)
    assert expected.grade_label.text("zh_CN") in view.result_label.text()
    assert sum(view.chart.values) == expected.figures.visits == 2


def test_a_manager_chooses_among_the_team_and_the_year(manager_context, team_data, qtbot):  # noqa: F811
    view = open_view(manager_context, qtbot)
    names = [view.who.itemText(i).split("（")[0] for i in range(view.who.count())]
    assert sorted(names) == sorted(["林站长", "王芳", "李强", "赵敏"])  # not the other team's member
    li = team_data.members["李强"]
    view.select_commissioner(li.id)
    wait(manager_context)
    expected = assess(manager_context.store, period=Period.year(date.today().year)).member(li.id)
    assert expected is not None and float(shown_table(view)[-1][6]) == round(expected.total, 1)
    assert view.summary_edit.isReadOnly()  # the commissioner writes their own summary
    assert view.batch_button.isVisibleTo(view)

    view.set_year(date.today().year - 1)
    wait(manager_context)
    assert float(shown_table(view)[-1][6]) == 0.0  # no visits that year


def test_summary_written_then_annual_record_previewed_and_saved(commissioner_context, qtbot, tmp_path):
    ctx, data = commissioner_context
    view = open_view(ctx, qtbot)
    assert not view.summary_edit.isReadOnly() and not view.batch_button.isVisibleTo(view)
    view.summary_edit.setPlainText("本年度重点开展陈皮晾晒霉变防控服务。")
    assert view.summary_state.text() == "未保存"
    view.summary_save.click()
    wait(ctx)
    saved = ctx.store.all(AnnualSummary)
    assert [(s.commissioner_id, s.year, s.text) for s in saved] == [
        (data.members["王芳"].id, date.today().year, "本年度重点开展陈皮晾晒霉变防控服务。")
    ]
    assert view.summary_state.text().startswith("已保存")

    view.print_annual_record()  # made on a thread of its own: the store worker stays free for edits
    assert not view.annual_button.isEnabled()
    qtbot.waitUntil(lambda: view.annual_button.isEnabled() and view.document_task is None, timeout=30000)
    dialog = view.preview
    assert isinstance(dialog, PdfPreviewDialog) and dialog.isVisible()
    assert len(dialog.page_labels) >= 1 and not dialog.page_labels[0].pixmap().isNull()
    out = tmp_path / "annual.pdf"
    assert dialog.save(str(out))
    text = pdf_text(out)
    assert "王芳" in text and "本年度重点开展陈皮晾晒霉变防控服务" in text

    visit = data.visits["wang_new"]
    view.preview_visit_sheet(visit.id)
    wait(ctx)
    sheet = view.preview
    assert isinstance(sheet, PdfPreviewDialog) and sheet is not dialog
    sheet_out = tmp_path / "sheet.pdf"
    assert sheet.save(str(sheet_out))
    assert "指导陈皮晾晒" in pdf_text(sheet_out)


def test_batch_generation_runs_in_the_background_and_can_be_cancelled(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
    tmp_path,
    monkeypatch,
):
    import commissioner_app.reports.batch as batch

    view = open_view(manager_context, qtbot)
    release = threading.Event()
    writing = threading.Event()
    real_write = batch.write_annual_record

    def slow_write(*args, **kwargs):  # the first document waits until the user has pressed cancel
        writing.set()
        release.wait(10)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(batch, "write_annual_record", slow_write)
    folder = tmp_path / "records"
    run = view.start_batch(folder)
    assert (
        run is not None
        and view.batch_panel.bar.isVisibleTo(view)
        and view.batch_panel.cancel_button.isEnabled()
    )
    assert writing.wait(10)
    view.batch_panel.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: view.batch is None, timeout=20000)
    assert not view.batch_panel.bar.isVisibleTo(view)
    written = sorted(folder.glob("*.pdf"))
    total = len(assess(manager_context.store, period=Period.year(date.today().year)).members)
    assert len(written) == 1 < total
    assert not list(folder.glob("*.part"))
    assert f"已取消：已生成 1 份（共 {total} 份）" in view.message.text()

    monkeypatch.setattr(batch, "write_annual_record", real_write)
    view.start_batch(folder)
    qtbot.waitUntil(lambda: view.batch is None, timeout=60000)
    assert len(list(folder.glob("*.pdf"))) == total
    assert f"已生成 {total} 份年度服务记录" in view.message.text()


def test_the_batch_speaks_english(manager_context, team_data, qtbot, tmp_path):  # noqa: F811
    view = open_view(manager_context, qtbot)
    manager_context.set_language("en")
    panel = view.batch_panel
    assert panel.cancel_button.text() == "Cancel"
    shown: list[str] = []
    year = view.chosen_year
    run = view.start_batch(tmp_path / "records")
    assert run is not None and not view.batch_button.isEnabled()
    assert panel.label.text() == f"Writing the annual records of {year}…"
    run.progress.connect(lambda *_: shown.append(panel.label.text()))
    qtbot.waitUntil(lambda: view.batch is None, timeout=60000)
    assert all(text.startswith("Written ") for text in shown)
    total = len(list((tmp_path / "records").glob("*.pdf")))
    assert total > 0 and view.message.text().startswith(f"{total} annual records written, in ")
    assert view.batch_button.isEnabled() and not panel.isVisibleTo(view)


def photo_not_here(store: Store, visit_id: str, sha: str, monkeypatch) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """An approved visit with a photo whose file and preview never reached this computer, and a
    server that has its preview: the hashes each request asked for."""
    import base64
    import io

    from PIL import Image

    import sync.evidence
    from commissioner_app.domain import Attachment
    from sync.previews import make_preview

    store.db.execute("UPDATE visits SET review_status = 'approved' WHERE id = ?", [visit_id])
    store.save(Attachment(sha256=sha, owner_table="visits", owner_id=visit_id, mime="image/jpeg"))
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 90, 160)).save(out, "JPEG")
    preview, _kind = make_preview(out.getvalue())
    asked: list[list[str]] = []

    class Client:
        def previews(self, hashes: list[str]) -> dict:
            asked.append(hashes)
            return {"previews": [{"sha256": sha, "jpeg_base64": base64.b64encode(preview).decode()}]}

    monkeypatch.setattr(sync.evidence, "open_client", lambda _store: Client())
    return asked


def test_a_batch_of_annual_records_fetches_missing_photo_previews_first(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
    tmp_path,
    monkeypatch,
):
    """A manager's computer holds a member's photo record but neither the file nor its preview: the
    batch fetches the preview (with its progress on the panel) before writing, and the record shows it."""
    from commissioner_app.reports.annual_photos import year_photo_hashes
    from commissioner_app.reports.batch import annual_file_name

    visit = team_data.visits["li"]
    sha = "cd" * 32
    asked = photo_not_here(manager_context.store, visit.id, sha, monkeypatch)
    year = date.today().year
    assert sha in year_photo_hashes(manager_context.store, visit.commissioner_id, year)
    view = open_view(manager_context, qtbot)
    labels: list[str] = []
    run = view.start_batch(tmp_path / "records")
    assert run is not None
    run.previews.connect(lambda *_: labels.append(view.batch_panel.label.text()))
    qtbot.waitUntil(lambda: view.batch is None, timeout=60000)
    assert asked == [[sha]]
    assert labels and labels[-1] == "正在下载照片预览图 1/1…"
    li = team_data.members["李强"]
    pdf = tmp_path / "records" / annual_file_name(year, li.name, li.id)
    assert "尚未下载" not in pdf_text(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    assert len([line for line in listing.stdout.splitlines()[2:] if line.strip()]) == 1


def test_batch_says_whose_record_could_not_be_saved(manager_context, team_data, qtbot, tmp_path):  # noqa: F811
    from commissioner_app.reports.batch import annual_file_name

    view = open_view(manager_context, qtbot)
    members = assess(manager_context.store, period=Period.year(date.today().year)).members
    blocked = members[0]
    folder = tmp_path / "records"
    (folder / annual_file_name(date.today().year, blocked.name, blocked.commissioner_id)).mkdir(parents=True)
    view.start_batch(folder)
    qtbot.waitUntil(lambda: view.batch is None, timeout=60000)
    text = view.message.text()
    assert f"已生成 {len(members) - 1} 份年度服务记录" in text
    assert f"{blocked.name} 的年度服务记录未能生成" in text and "无法保存文件" in text


def test_the_member_picker_shows_the_whole_name_not_the_end_of_a_long_unit(
    manager_context,  # noqa: F811
    team_data,  # noqa: F811
    qtbot,
):
    member = team_data.members["王芳"]
    member.name, member.sending_unit = "吕丽志", "华南农业大学资源环境学院土壤与植物营养系"
    manager_context.store.save(member)
    view = open_view(manager_context, qtbot)
    for select in (lambda: view.select_commissioner(member.id), view.refresh):
        select()
        wait(manager_context)
        edit = view.who.lineEdit()
        assert edit.text() == "吕丽志（华南农业大学资源环境学院土壤与植物营养系）"
        assert edit.fontMetrics().horizontalAdvance(edit.text()) > edit.width()  # it does not fit
        assert edit.cursorPosition() == 0  # so the field shows its start: 吕丽志, not 丽志（…）


def test_the_member_picker_shows_a_usual_name_and_unit_whole(manager_context, team_data, qtbot):  # noqa: F811
    """At 12 characters the field cut “吕丽志（华南农业大学）” to “吕丽志（华南农业大学”: the width is
    the chosen name's, up to a cap, and the whole of it is in the tooltip."""
    member = team_data.members["王芳"]
    member.name, member.sending_unit = "吕丽志", "华南农业大学"
    manager_context.store.save(member)
    view = open_view(manager_context, qtbot)
    view.select_commissioner(member.id)
    wait(manager_context)
    edit = view.who.lineEdit()
    assert edit.text() == "吕丽志（华南农业大学）"
    assert edit.fontMetrics().horizontalAdvance(edit.text()) <= edit.width()
    assert view.who.toolTip() == "吕丽志（华南农业大学）"


def test_the_annual_record_fetches_missing_photo_previews_first(
    commissioner_context, qtbot, tmp_path, monkeypatch
):
    """A photo whose file and preview never reached this computer (a manager's or the bureau's): its
    preview is fetched, with the download's progress dialog, before the record is made."""
    import sync.evidence
    from commissioner_app.domain import Attachment
    from sync.errors import OfflineError

    ctx, data = commissioner_context
    visit = data.visits["wang_new"]
    sha = "ef" * 32
    asked = photo_not_here(ctx.store, visit.id, sha, monkeypatch)
    view = open_view(ctx, qtbot)
    view.print_annual_record()
    assert view.evidence_progress is not None  # the download's dialog (shown if it takes a while)
    qtbot.waitUntil(lambda: view.annual_button.isEnabled() and view.document_task is None, timeout=30000)
    assert asked == [[sha]]
    pdf = tmp_path / "annual.pdf"
    assert view.preview.save(str(pdf))
    assert view.message.text() == f"已保存：{pdf}"  # said, as the summaries' buttons say it
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    assert len([line for line in listing.stdout.splitlines()[2:] if line.strip()]) == 1
    assert "尚未下载" not in pdf_text(pdf)

    # Offline: the record is made all the same; a photo whose preview is not here is 尚未下载.
    ctx.store.save(Attachment(sha256="12" * 32, owner_table="visits", owner_id=visit.id, mime="image/jpeg"))

    def offline(_store: object) -> None:
        raise OfflineError("test")

    monkeypatch.setattr(sync.evidence, "open_client", offline)
    view.print_annual_record()
    qtbot.waitUntil(lambda: view.annual_button.isEnabled() and view.document_task is None, timeout=30000)
    assert view.preview.save(str(pdf))
    assert "尚未下载" in pdf_text(pdf) and asked == [[sha]]
