"""Target and problem dialogs, and the attachments widget's messages."""

from __future__ import annotations

import pytest

from commissioner_app.attachments import blob_path
from commissioner_app.credit_code import make_credit_code
from commissioner_app.domain import ServiceTarget, TechnicalProblem
from tests.ui.editor_support import EditorContext, add_target, close_windows, make_photo, save_and_wait
from ui.editors import open_problem_dialog, open_target_dialog
from ui.widgets.attachments import AttachmentsWidget


@pytest.fixture
def context(store):
    return EditorContext(store)


@pytest.fixture(autouse=True)
def _close_windows():
    yield
    close_windows()


def test_target_credit_code_checked_as_typed(qtbot, context, store):
    dialog = open_target_dialog(None, context, None)
    dialog.name.setText("江门市蓬江区示例电子有限公司")
    dialog.region.set_region("蓬江区", "棠下镇", "")
    valid = make_credit_code("91440703", "MA4UQ7K2")
    dialog.credit_code.setText(valid[:-1] + ("0" if valid[-1] != "0" else "1"))
    assert dialog.credit_status.text() == "校验位不正确，请核对是否抄错"
    dialog.credit_code.setText("9144070")
    assert "应为18位" in dialog.credit_status.text()

    # Saving a wrong code is refused with the message next to the field.
    assert not save_and_wait(dialog)
    assert "应为18位" in dialog.boxes["credit_code"].error.text()
    assert "应为18位" not in dialog.credit_status.text()  # said once (a cold try saw it twice)
    assert store.all(ServiceTarget) == []

    dialog.credit_code.setText(valid.lower())
    assert "校验通过" in dialog.credit_status.text()
    with qtbot.waitSignal(dialog.saved, timeout=1000) as saved:
        assert save_and_wait(dialog)
    target = store.get(ServiceTarget, saved.args[0])
    assert target.credit_code == valid and (target.county, target.town) == ("蓬江区", "棠下镇")


def test_problem_marked_solved_without_solution_refused(qtbot, context, store):
    target = add_target(store)
    problem = store.save(TechnicalProblem(title="马冈鹅雏鹅腹泻", target_id=target.id))
    dialog = open_problem_dialog(None, context, problem.id)
    assert dialog.target.text() == target.name
    dialog.status.setCurrentIndex(dialog.status.findData("solved"))
    assert not save_and_wait(dialog)
    assert dialog.boxes["status"].error.text() == "标记为已解决前须至少填写一个解决方案"
    assert store.get(TechnicalProblem, problem.id).status == "open"

    dialog.status.setCurrentIndex(dialog.status.findData("referred"))
    assert not save_and_wait(dialog)
    assert dialog.boxes["status_reason"].error.text() == "转交或暂无法解决时须说明原因"

    # With a solution added here, it may be marked solved.
    dialog.status.setCurrentIndex(dialog.status.findData("solved"))
    dialog.new_solution.setPlainText("调整育雏温度并补充电解多维。")
    dialog.new_technology.setText("育雏温控")
    assert save_and_wait(dialog)
    saved = store.get(TechnicalProblem, problem.id)
    assert saved.status == "solved" and saved.solved_on is not None
    assert [s.technology for s in store.solutions_of_problem(problem.id)] == ["育雏温控"]


def test_missing_or_deleted_attachment_file_gives_a_clear_message(qtbot, store, tmp_path):
    widget = AttachmentsWidget(store, "visits", "v1")
    qtbot.addWidget(widget)
    added = widget.add_files([tmp_path / "不存在.jpg", make_photo(tmp_path / "ok.jpg")])
    assert len(added) == 1 and len(widget.attachments()) == 1
    assert widget.error.text() == "无法添加附件 不存在.jpg：文件不存在或已被移动"
    assert not widget.error.isHidden()

    blob_path(store, added[0].sha256).unlink()
    widget.list.setCurrentRow(0)
    widget.open_current()
    assert "的文件缺失" in widget.error.text()


@pytest.mark.parametrize(
    "name, data, said",
    [
        ("空白.pdf", b"", "无法添加附件 空白.pdf：文件是空的（0 字节），不能作为佐证材料"),
        # Taken before: a generic icon, no preview, and left out of every printed record.
        (
            "现场.jpg",
            b"not a jpeg",
            "无法添加附件 现场.jpg：这不是能打开的图片（文件已损坏，或扩展名与内容不符）",
        ),
    ],
)
def test_a_file_that_cannot_be_evidence_is_refused_and_the_others_are_added(
    qtbot, store, tmp_path, name, data, said
):
    widget = AttachmentsWidget(store, "visits", "v1")
    qtbot.addWidget(widget)
    refused = tmp_path / name
    refused.write_bytes(data)
    added = widget.add_files([refused, make_photo(tmp_path / "ok.jpg")])
    assert [a.original_name for a in added] == ["ok.jpg"] == [a.original_name for a in widget.attachments()]
    assert widget.error.text() == said
    assert not widget.error.isHidden()


def test_attachment_removed_before_save_is_not_written(qtbot, store, tmp_path):
    widget = AttachmentsWidget(store, "visits", "v1")
    qtbot.addWidget(widget)
    widget.add_files(
        [make_photo(tmp_path / "a.jpg"), make_photo(tmp_path / "b.jpg", taken="2026:01:02 08:00:00")]
    )
    widget.list.setCurrentRow(0)
    widget.remove_current()
    widget.commit_to(store, draft=False)  # what the owner's save runs on the executor
    from commissioner_app.attachments import attachments_of

    assert [a.original_name for a in attachments_of(store, "visits", "v1")] == ["b.jpg"]


def test_photo_dropped_on_the_widget_is_added(qtbot, store, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    widget = AttachmentsWidget(store, "visits", "v1")
    qtbot.addWidget(widget)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(make_photo(tmp_path / "dropped.jpg")))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)
    assert [a.original_name for a in widget.attachments()] == ["dropped.jpg"]
    assert "2026-05-03 10:15:42" in widget.info.text()


def test_target_created_on_the_spot_from_the_visit_editor(qtbot, context, store):
    from ui.editors import open_visit_editor
    from ui.editors.target_dialog import TargetDialog

    editor = open_visit_editor(None, context, None)
    editor.target.search.setText("都斛镇鳗鱼场")
    editor.target.new_button.click()
    dialog = editor.findChild(TargetDialog)
    assert dialog.name.text() == "都斛镇鳗鱼场"  # what was searched for is not typed twice
    dialog.type.setCurrentIndex(dialog.type.findData("large_grower"))
    dialog.region.set_region("台山市", "都斛镇", "")
    assert save_and_wait(dialog)
    target = store.all(ServiceTarget)[0]
    assert editor.target.target_id() == target.id
    assert editor.region.region() == ("台山市", "都斛镇", "")


def test_an_attachment_named_by_someone_else_opens_as_a_safe_copy_in_the_temp_folder(
    qtbot, store, tmp_path, monkeypatch
):
    import stat
    import tempfile

    from PySide6.QtGui import QDesktopServices

    widget = AttachmentsWidget(store, "visits", "v1")
    qtbot.addWidget(widget)
    added = widget.add_files([make_photo(tmp_path / "ok.jpg")])
    # As pulled from a server by an earlier version, which stored names unchecked.
    added[0].original_name = "..\\..\\Startup\\run.bat"
    widget.apply_state(widget.state())
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(temp))
    monkeypatch.setattr("ui.evidence_files._OPEN_FOLDER", [])  # this process's folder, made afresh
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    widget.list.setCurrentRow(0)
    widget.open_current()
    [folder] = temp.glob("commissioner-open-*")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # nobody else can plant a file or a link there
    assert [p.name for p in folder.iterdir()] == [f"{added[0].sha256[:8]}-run.bat"]
    assert opened == [str(folder / f"{added[0].sha256[:8]}-run.bat")]
    assert not list(temp.glob("Startup*")) and not (tmp_path / "Startup").exists()


def test_target_dialog_offers_the_existing_target_for_a_credit_code_in_use(qtbot, context, store):
    code = make_credit_code("91440703", "MA4UQ7K2")
    first = store.save(ServiceTarget(name="江门市示例电子有限公司", type="enterprise", credit_code=code))
    dialog = open_target_dialog(None, context, None)
    dialog.name.setText("示例电子")
    dialog.credit_code.setText(code)
    assert not save_and_wait(dialog)
    assert "已属于服务对象" in dialog.summary.text() and dialog.use_existing.isVisible()
    with qtbot.waitSignal(dialog.saved, timeout=1000) as saved:
        dialog.use_existing.click()
    assert saved.args == [first.id] and len(store.all(ServiceTarget)) == 1


def test_target_dialog_warns_of_a_similar_name_in_the_town_then_saves(qtbot, context, store):
    store.save(
        ServiceTarget(name="会城柑橘农民专业合作社", type="cooperative", county="新会区", town="会城街道")
    )
    dialog = open_target_dialog(None, context, None)
    dialog.type.setCurrentIndex(dialog.type.findData("cooperative"))
    dialog.name.setText("会城 柑橘专业合作社")
    dialog.region.set_region("新会区", "会城街道", "")
    assert not save_and_wait(dialog)
    assert "名称相近" in dialog.summary.text()
    assert save_and_wait(dialog)  # looked at, and it is another one
    assert len(store.all(ServiceTarget)) == 2


def test_the_photo_dialog_opens_where_photos_were_last_taken_from(qtbot, store, tmp_path, monkeypatch):
    """Each 添加附件 opened the dialog in whatever folder the application started in: a
    commissioner went to the camera's folder again for every visit."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QFileDialog

    from ui import folders

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    folders.use(settings)
    card = tmp_path / "DCIM" / "100CANON"
    card.mkdir(parents=True)
    photo = make_photo(card / "IMG_0001.jpg")
    opened = []

    def choose(parent, caption, folder, pattern):
        opened.append(folder)
        return [str(photo)], pattern

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    try:
        first = AttachmentsWidget(store, "visits", "v1")
        qtbot.addWidget(first)
        first.add_button.click()
        assert opened[0] != str(card) and len(first.attachments()) == 1
        later = AttachmentsWidget(store, "visits", "v2")  # the next visit's editor
        qtbot.addWidget(later)
        later.add_button.click()
        assert opened[1] == str(card)
        # Kept in the settings file: the next start of the application opens there too.
        assert QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat).value(
            "folders/photos"
        ) == str(card)
        # Photos dropped onto the list from another folder: the dialog opens there next.
        from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
        from PySide6.QtGui import QDropEvent

        phone = tmp_path / "phone"
        phone.mkdir()
        dropped = make_photo(phone / "IMG_0002.jpg")
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(dropped))])
        drop = QDropEvent(
            QPointF(10, 10),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        later.dropEvent(drop)
        assert len(later.attachments()) == 2
        later.add_button.click()
        assert opened[-1] == str(phone)
        # A folder since removed (the card taken out): the system's Pictures folder or home again.
        folders.use(QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
        folders.remember("photos", tmp_path / "gone" / "x.jpg")
        later.add_button.click()
        assert opened[-1] != str(tmp_path / "gone")
    finally:
        folders.use(None)
