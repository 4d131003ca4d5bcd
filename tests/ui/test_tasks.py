import threading

import pytest

from commissioner_app.errors import DatabaseLockedError
from commissioner_app.i18n import Message
from commissioner_app.ops import OpChanges
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


def test_what_an_operation_changed_is_announced_once_after_its_own_callback(context, qtbot):  # noqa: F811
    from commissioner_app.domain import ServiceTarget
    from commissioner_app.ops.targets import save_target

    events = []
    context.operation_did_execute.connect(lambda changes: events.append(("announced", changes)))
    target = ServiceTarget(type="cooperative", name="桥美村陈皮合作社")
    with qtbot.waitSignal(context.tasks.idle, timeout=5000):
        Operation(
            None, lambda store: save_target(store, target), lambda _done: events.append("saved")
        ).run_in_background()
        Operation(None, lambda store: store.count_visits()).run_in_background()  # a read changes nothing
    assert events[0] == "saved"
    assert [e for e in events[1:]] == [("announced", OpChanges.of("service_targets"))]
    assert context.reader.get(ServiceTarget, target.id) is not None


def test_a_failed_operation_announces_what_it_did_change(context, qtbot):  # noqa: F811
    """A sync that fails half way still changed records: the lists must show them."""
    announced = []
    context.operation_did_execute.connect(announced.append)

    def op(_store):
        error = RuntimeError("network gone")
        error.changes = OpChanges.of("visits")  # type: ignore[attr-defined]
        raise error

    with qtbot.waitSignal(context.tasks.idle, timeout=5000):
        Operation(None, op).failure(lambda _e: None).run_in_background()
    assert announced == [OpChanges.of("visits")]


def test_network_lane_runs_beside_a_busy_database_worker(context, qtbot):  # noqa: F811
    """A network job has its own connection and thread: a long database operation does not hold it up."""
    release = threading.Event()
    seen = {}

    def long_database_work(_store):
        seen["released"] = release.wait(5)  # False if the network job had to wait for this one

    def network_job(store):
        seen["thread"] = threading.current_thread().name
        seen["separate"] = store is not context.store
        release.set()  # only reached while the database worker is still busy
        return store.waiting_to_sync()

    Operation(None, long_database_work).run_in_background()
    done = []
    assert context.tasks.submit_network(network_job, lambda result, error: done.append((result, error)))
    assert context.tasks.wait_idle(10000)
    assert done == [(0, None)]
    assert seen["released"] and seen["separate"] and seen["thread"].startswith("network")


def test_progress_from_a_worker_reaches_the_gui_thread_latest_first(context, qtbot):  # noqa: F811
    gui = threading.get_ident()
    shown = []
    report = context.tasks.progress_reporter(lambda value: shown.append((value, threading.get_ident())))

    def job():
        for n in range(50):
            report(n)
        return "done"

    finished = []
    context.tasks.submit_network(job, lambda result, _error: finished.append(result), own_store=False)
    assert context.tasks.wait_idle(10000)
    assert finished == ["done"]
    assert shown and shown[-1][0] == 49  # the latest is always shown; older ones may be skipped
    assert all(thread == gui for _value, thread in shown)
    assert [v for v, _t in shown] == sorted(v for v, _t in shown)


class _Sentinel:
    """Stands for a Qt object a job's closure holds (a progress dialog, a view): where it is freed."""

    def __init__(self, freed: list[str]) -> None:
        self.freed = freed

    def __del__(self) -> None:
        self.freed.append(threading.current_thread().name)


def test_what_a_job_holds_is_freed_on_the_gui_thread_never_on_a_worker(context, qtbot, tmp_path):  # noqa: F811
    # The last reference to a Qt object dropped on a worker thread destroys it there, which crashed
    # the application (a segmentation fault in a test run, after a download's progress dialog).
    freed: list[str] = []
    errors: list[BaseException | None] = []

    def submit(fail: bool) -> None:
        held = _Sentinel(freed)

        def job(_store):
            assert held is not None
            if fail:
                raise ValueError("the job failed")
            return 1

        context.tasks.submit(job, lambda _result, error: errors.append(error))

    for fail in (False, True):
        submit(fail)
        assert context.tasks.wait_idle(5000)
        for _ in range(20):  # the worker has long finished with its job by now
            qtbot.wait(10)
    assert isinstance(errors[1], ValueError) and errors[0] is None
    assert freed == [threading.main_thread().name] * 2


def test_a_callback_that_fails_does_not_strand_the_results_behind_it(context, qtbot):  # noqa: F811
    """Two operations answered in one delivery: the first's callback raised (a defect of that
    callback), and the second's answer stayed queued until some later operation woke the GUI again;
    waiting for the application to be idle (a test, exit) waited its whole timeout."""
    both_done = threading.Event()
    seen = []

    def fails(_result):
        raise RuntimeError("a callback's own defect")

    Operation(None, lambda store: 1, fails).run_in_background()
    Operation(None, lambda store: both_done.set() or 2, seen.append).run_in_background()
    assert both_done.wait(5)
    for _ in range(500):  # both answers queued before the GUI thread looks (white box: the queue)
        if context.tasks._results.qsize() == 2:
            break
        threading.Event().wait(0.01)
    with qtbot.captureExceptions() as raised:
        assert context.tasks.wait_idle(3000)
    assert seen == [2]
    assert [str(e[1]) for e in raised] == ["a callback's own defect"]


def test_not_being_logged_in_is_said_as_the_application_is_used(qapp) -> None:
    """A cold try: 修改历史… before any login said to run `commissioner login --server 网址 --user
    用户名`, a command line the desktop's user never sees; the application's words point to its 同步
    page."""
    from sync.errors import NotLoggedInError
    from ui.tasks import error_text

    text = error_text(NotLoggedInError())
    assert "commissioner login" not in text and "同步" in text and "登录" in text
