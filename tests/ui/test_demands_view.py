"""The bureau's demand form on a field laptop's screen (1366×768 at 150 %: the view gets about
730×400 of it): the form scrolls, and its 发布需求 button stays in sight."""

from __future__ import annotations

from contextlib import contextmanager

from commissioner_app.store import Store
from tests.ui.manager_support import log_in_as, wait
from ui.context import AppContext
from ui.views.demands import DemandsView


@contextmanager
def bureau_view(tmp_path, qtbot, role="bureau", size=(1366, 700), demands=()):
    """The demands view of a `role` account's store holding `demands`, shown at `size`: (store,
    context, view), closed afterwards."""
    from commissioner_app.demands import publish

    store = Store.open(tmp_path / role)
    log_in_as(store, role, None)
    for demand in demands:
        publish(store, demand)
    ctx = AppContext(store, language="zh_CN")
    view = DemandsView(ctx)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    view.load()
    wait(ctx)
    try:
        yield store, ctx, view
    finally:
        view.close()
        ctx.close()
        store.close()


def test_the_publish_button_is_in_sight_on_a_small_screen(tmp_path, qtbot, qapp):
    with bureau_view(tmp_path, qtbot, size=(730, 400)) as (store, ctx, view):
        qtbot.waitExposed(view)
        assert view.bureau_panel.isVisible()
        assert not view.publish_button.visibleRegion().isEmpty(), "the button is scrolled out of sight"
        # And it publishes from there: an empty title is refused with a message, nothing is saved.
        view.publish_button.click()
        assert view.message.text() and store.db.execute("SELECT count(*) FROM demands").fetchone()[0] == 0


def progress_row(view, title: str) -> list[str]:
    table = view.progress_table
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == title:
            return [table.item(row, c).text() for c in range(table.columnCount())]
    raise AssertionError(f"{title} is not in the list")


def test_the_bureau_corrects_a_published_demand_in_the_form(tmp_path, qtbot, qapp):
    """A published demand could not be changed: a typo or a wrong place stayed for every commissioner."""
    with bureau_view(tmp_path, qtbot) as (store, ctx, view):
        view.title_edit.setText("柑桔黄龙病防控")
        view.description_edit.setPlainText("果园发现疑似病株")
        view.industry.setCurrentIndex(1)
        view.county.setCurrentIndex(1)
        view.town.setCurrentIndex(1)
        industry, county, town = (
            view.industry.currentData(),
            view.county.currentData(),
            view.town.currentData(),
        )
        view.publish_button.click()
        wait(ctx)
        wait(ctx)
        assert not view.edit_button.isEnabled()  # nothing chosen yet
        view.select_progress(view.progress_rows[0]["id"])
        assert view.edit_button.isEnabled() and view.close_button.isEnabled()
        assert not view.reopen_button.isEnabled()
        view.edit_button.click()
        assert view.title_edit.text() == "柑桔黄龙病防控"
        assert view.description_edit.toPlainText() == "果园发现疑似病株"
        assert view.form_box.title() == "修改需求" and view.publish_button.text() == "保存修改"
        assert (view.industry.currentData(), view.county.currentData(), view.town.currentData()) == (
            industry,
            county,
            town,
        )
        # In English the same items, by their English names.
        ctx.set_language("en")
        assert view.industry.currentData() == industry and view.town.currentData() == town
        ctx.set_language("zh_CN")
        view.title_edit.setText("柑橘黄龙病绿色防控")
        view.target_edit.setText("双水镇柑橘合作社")
        view.publish_button.click()
        wait(ctx)
        wait(ctx)
        assert "已修改“柑橘黄龙病绿色防控”" in view.message.text()
        ctx.set_language("en")  # the message of the act is not left in Chinese
        assert view.message.text() == ""
        ctx.set_language("zh_CN")
        assert progress_row(view, "柑橘黄龙病绿色防控")[4] == "待揭榜"
        rows = store.db.execute("SELECT title, target_name, status FROM demands").fetchall()
        assert rows == [("柑橘黄龙病绿色防控", "双水镇柑橘合作社", "published")]  # changed, not added
        assert view.publish_button.text() == "发布需求" and view.title_edit.text() == ""
        assert not view.cancel_edit_button.isVisible()
        # Nothing of it stays for the next new demand: neither its industry nor its place.
        assert (view.industry.currentText(), view.county.currentIndex(), view.town.currentText()) == (
            "",
            0,
            "",
        )


def test_the_bureau_closes_a_demand_after_asking_and_publishes_it_again(tmp_path, qtbot, qapp, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    with bureau_view(tmp_path, qtbot) as (store, ctx, view):
        view.title_edit.setText("鱼塘增氧")
        view.description_edit.setPlainText("高温季节鱼塘缺氧")
        view.publish_button.click()
        wait(ctx)
        wait(ctx)
        view.select_progress(view.progress_rows[0]["id"])
        view.close_button.click()  # answered No: nothing changes
        wait(ctx)
        assert "鱼塘增氧" in asked[0] and progress_row(view, "鱼塘增氧")[4] == "待揭榜"
        view.close_button.click()
        wait(ctx)
        wait(ctx)
        assert progress_row(view, "鱼塘增氧")[4] == "已关闭" and "已关闭“鱼塘增氧”" in view.message.text()
        # Still the chosen row after the list was filled again: now it can be published again.
        assert view.reopen_button.isEnabled() and not view.close_button.isEnabled()
        view.reopen_button.click()
        wait(ctx)
        wait(ctx)
        assert progress_row(view, "鱼塘增氧")[4] == "待揭榜" and "已重新发布" in view.message.text()


def test_a_taken_up_demand_offers_no_correction_and_a_refusal_is_said(tmp_path, qtbot, qapp):
    from commissioner_app.demands import publish, take_up
    from commissioner_app.domain import Commissioner, Demand

    with bureau_view(tmp_path, qtbot) as (store, ctx, view):
        demand = publish(store, Demand(title="茶叶加工", description="揉捻机故障"))
        view.refresh()
        wait(ctx)
        view.select_progress(demand.id)
        view.edit_button.click()
        # Meanwhile a commissioner takes it up (a sync brings it in): the correction is refused.
        take_up(store, demand.id, store.save(Commissioner(name="王芳", sending_unit="五邑大学")))
        view.title_edit.setText("茶叶加工设备")
        view.publish_button.click()
        wait(ctx)
        assert "已被揭榜" in view.message.text()
        assert store.db.execute("SELECT title FROM demands").fetchone()[0] == "茶叶加工"
        assert view.cancel_edit_button.isVisible()
        view.cancel_edit_button.click()
        assert view.title_edit.text() == "" and view.publish_button.text() == "发布需求"
        view.refresh()
        wait(ctx)
        view.select_progress(demand.id)
        assert not any(b.isEnabled() for b in (view.edit_button, view.close_button, view.reopen_button))


def test_a_county_bureau_reads_the_demands_and_who_took_them_up(tmp_path, qtbot, qapp):
    """A county bureau got the commissioner's screen: their hint, a 揭榜 button it may not use, and
    no list of who took each demand up."""
    from commissioner_app.domain import Demand

    demand = Demand(title="茶叶加工", description="揉捻机故障")
    with bureau_view(tmp_path, qtbot, role="county", demands=[demand]) as (store, ctx, view):
        assert view.bureau_panel.isVisible() and not view.commissioner_panel.isVisible()
        assert not view.form_column.isVisible() and not view.publish_button.isVisible()
        assert not any(b.isVisible() for b in (view.edit_button, view.close_button, view.reopen_button))
        assert progress_row(view, "茶叶加工")[4] == "待揭榜"
        assert "只读" in view.hint.text()


def test_a_demand_whose_takers_problem_never_came_is_published_again(tmp_path, qtbot, qapp):
    """Taken up naming a problem that never arrived, a demand was locked: nobody could take it up,
    and the bureau could neither close nor reopen it."""
    from commissioner_app.domain import Demand

    with bureau_view(tmp_path, qtbot, demands=[Demand(title="鳗鱼烂鳃病", description="烂鳃")]) as (
        store,
        ctx,
        view,
    ):
        demand_id = view.progress_rows[0]["id"]
        store.db.execute(
            "UPDATE demands SET status = 'taken', taken_by = 'c-x', problem_id = 'gone' WHERE id = ?",
            [demand_id],
        )
        view.refresh()
        wait(ctx)
        assert progress_row(view, "鳗鱼烂鳃病")[6] == "未收到难题"
        view.select_progress(demand_id)
        assert view.reopen_button.isEnabled() and not view.close_button.isEnabled()
        view.reopen_button.click()
        wait(ctx)
        wait(ctx)
        assert progress_row(view, "鳗鱼烂鳃病")[4] == "待揭榜"
        assert "已重新发布" in view.message.text()
