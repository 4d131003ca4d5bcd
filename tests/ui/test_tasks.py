import threading

import pytest

from commissioner_app.errors import DatabaseLockedError
from commissioner_app.i18n import Message
from tests.ui.frame_fixtures import context  # noqa: F401
from ui.tasks import Operation


def test_operation_runs_off_the_gui_thread_and_answers_on_it(context, qtbot):  # noqa: F811
    gui = threading.get_ident()
    seen = {}

    def op(store):
        seen["worker"] = threading.get_ident()
        return store.waiting_to_sync()

    def success(count):
        seen["callback"] = threading.get_ident()
        seen["count"] = count

    with qtbot.waitSignal(context.tasks.idle, timeout=5000):
        Operation(None, op, success).run_in_background()
    assert seen["worker"] != gui
    assert seen["callback"] == gui
    assert seen["count"] == 0


def test_operations_run_one_after_another_in_order(context, qtbot):  # noqa: F811
    order = []
    active = []

    def op(n):
        def run(_store):
            active.append(n)
            assert len(active) == 1, "two operations used the store at once"
            order.append(n)
            active.remove(n)
            return n

        return run

    with qtbot.waitSignal(context.tasks.idle, timeout=5000):
        for n in range(20):
            Operation(None, op(n)).run_in_background()
    assert order == list(range(20))


def test_failure_reaches_the_failure_callback(context, qtbot):  # noqa: F811
    errors = []

    def op(_store):
        raise DatabaseLockedError(Message("数据库正被占用", "locked"))

    with qtbot.waitSignal(context.tasks.idle, timeout=5000):
        Operation(None, op, lambda _r: pytest.fail("success after a failure")).failure(
            errors.append
        ).run_in_background()
    assert isinstance(errors[0], DatabaseLockedError)
    assert errors[0].text("zh_CN") == "数据库正被占用"


def test_progress_label_is_announced_while_running(context, qtbot):  # noqa: F811
    labels = []
    context.tasks.busy_changed.connect(lambda label: labels.append(label))
    with qtbot.waitSignal(context.tasks.idle, timeout=5000):
        Operation(None, lambda store: None).with_progress("正在保存…").run_in_background()
    assert labels == ["正在保存…", ""]
