"""Annual records of every commissioner into a folder, with progress and cancel (for the GUI's
background task and the CLI). The city assessment is computed once; each document is written and
dropped before the next, so memory stays flat however many commissioners there are.

A large batch is written by a pool of worker processes (one per core, two at most: the documents
are pure Python layout, so threads would not help). Each worker opens the database read-only,
writes its documents straight to disk and hands back only whether it succeeded; the result lists
the files in the same order whatever finished first. A document that cannot be written is
reported (who, and why, in Chinese and English) and the others are still written; if the pool
itself breaks (a worker killed, processes not allowed), the rest is written in this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import sqlite3
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commissioner_app import i18n
from commissioner_app.assessment import Assessment, MemberResult, Period, assess
from commissioner_app.collation import name_key, zh_key
from commissioner_app.domain import short_id
from commissioner_app.errors import CommissionerError, os_reason
from commissioner_app.i18n import Message
from commissioner_app.reports.annual import write_annual_record
from commissioner_app.reports.base import data_state
from commissioner_app.store import Store, database

log = logging.getLogger("commissioner.reports")

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')

# Below this many documents a pool costs more to start (about a second per worker) than it saves.
PARALLEL_FROM = 40
MAX_WORKERS = 2


@dataclass
class BatchFailure:
    """One commissioner whose record could not be written, and why."""

    commissioner_id: str
    name: str
    reason: Message

    @property
    def message(self) -> Message:
        return Message(
            f"{self.name} 的年度服务记录未能生成：{self.reason.zh}",
            f"The annual record of {self.name} was not written: {self.reason.en}",
        )


@dataclass
class BatchResult:
    folder: Path
    written: list[Path] = field(default_factory=list)
    total: int = 0
    cancelled: bool = False
    failed: list[BatchFailure] = field(default_factory=list)

    def failure_message(self, shown: int = 5) -> Message | None:
        """What to tell the user about the records not written (None when all were)."""
        if not self.failed:
            return None
        lines = [f.message for f in self.failed[:shown]]
        more = len(self.failed) - len(lines)
        zh = f"{len(self.failed)} 份年度服务记录未能生成：" + "；".join(m.zh for m in lines)
        en = f"{len(self.failed)} annual records were not written: " + "; ".join(m.en for m in lines)
        if more:
            zh += f"；另有 {more} 份，详见日志"
            en += f"; {more} more in the log"
        return Message(zh, en)


def annual_file_name(year: int, name: str, commissioner_id: str) -> str:
    """A file name safe on Windows too; the id part keeps two people of the same name apart."""
    safe = _UNSAFE.sub("_", name).strip("_.") or "commissioner"
    return f"{year}年度服务记录_{safe}_{short_id(commissioner_id)}.pdf"


def default_workers(documents: int) -> int:
    if documents < PARALLEL_FROM:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def annual_records(
    store: Store,
    year: int,
    folder: Path,
    *,
    assessment: Assessment | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> BatchResult:
    """Write every commissioner's annual record into `folder`; progress(done, total, name) after each.

    `workers`: processes to write with (default: up to two for a large batch, else this process).
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommissionerError(
            Message(
                f"无法创建文件夹 {folder}：{os_reason(exc).zh}",
                f"Cannot create the folder {folder}: {os_reason(exc).en}",
            )
        ) from None
    a = assessment or assess(store, period=Period.year(year))
    members = sorted(
        a.members, key=lambda m: (zh_key(m.county), zh_key(m.team_name), name_key(m.name), m.commissioner_id)
    )
    jobs = [(m, folder / annual_file_name(year, m.name, m.commissioner_id)) for m in members]
    run = _Run(BatchResult(folder, total=len(members)), len(jobs), progress)
    state = data_state(store)  # the same for every document of the batch: read once
    n = default_workers(len(jobs)) if workers is None else max(1, workers)
    left = list(range(len(jobs)))
    if n > 1 and store.path is not None and len(jobs) > 1:
        left = _parallel(store.path, a, jobs, state, n, run, cancelled)
    for i in left:
        if run.result.cancelled or (cancelled is not None and cancelled()):
            run.result.cancelled = True
            break
        m, path = jobs[i]
        run.finished(i, m, path, _write_one(store, a, m, path, state))
    if run.result.cancelled:
        log.info("annual records cancelled after %d of %d", run.done, len(jobs))
    run.result.written = [run.paths[i] for i in sorted(run.paths)]
    run.result.failed = [run.failures[i] for i in sorted(run.failures)]
    return run.result


class _Run:
    """Outcomes as they come in, kept by position so the result's order never depends on timing."""

    def __init__(self, result: BatchResult, total: int, progress: Callable[[int, int, str], None] | None):
        self.result = result
        self.total = total
        self.progress = progress
        self.done = 0
        self.paths: dict[int, Path] = {}
        self.failures: dict[int, BatchFailure] = {}

    def finished(self, i: int, m: MemberResult, path: Path, failure: tuple[Message, str] | None) -> None:
        if failure is None:
            self.paths[i] = path
        else:
            reason, details = failure
            log.error(
                "annual record of %s (%s) not written: %s%s",
                m.name,
                m.commissioner_id,
                reason.en,
                "\n" + details if details else "",
            )
            self.failures[i] = BatchFailure(m.commissioner_id, m.name, reason)
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, m.name)


def _write_one(
    store: Store, a: Assessment, m: MemberResult, path: Path, state: str
) -> tuple[Message, str] | None:
    """Write one record under a temporary name, then rename it; the failure (reason, traceback) if any."""
    tmp = path.with_suffix(".pdf.part")
    try:
        write_annual_record(store, a, m, tmp, data_state_text=state)
        try:
            tmp.replace(path)  # a cancelled or failed run leaves no half-written PDF under the real name
        except OSError as exc:
            raise CommissionerError(
                Message(
                    f"无法保存文件 {path}（是否正在其他程序中打开？）：{os_reason(exc).zh}",
                    f"Cannot save the file {path} (is it open in another program?): {os_reason(exc).en}",
                )
            ) from None
    except CommissionerError as exc:
        _remove(tmp)
        return exc.message, ""
    except Exception as exc:  # one person's bad data must not stop everyone's records
        _remove(tmp)
        return (
            Message(
                f"程序错误（{type(exc).__name__}：{exc}），请联系技术支持",
                f"program error ({type(exc).__name__}: {exc}); please contact support",
            ),
            traceback.format_exc(),
        )
    return None


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _parallel(
    db_path: Path,
    a: Assessment,
    jobs: list[tuple[MemberResult, Path]],
    state: str,
    workers: int,
    run: _Run,
    cancelled: Callable[[], bool] | None,
) -> list[int]:
    """Write the jobs with a process pool; returns the positions still to write here (pool broken)."""
    # spawn, not fork: the GUI calls this from a worker thread, and forking a threaded process is unsafe.
    context = multiprocessing.get_context("spawn")
    in_flight: dict[Future[tuple[Message, str] | None], int] = {}
    next_job = 0
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(str(db_path), a, i18n.language(), state),
        ) as pool:
            while True:
                # A few documents queued per worker keeps both busy and lets a cancel stop soon.
                while next_job < len(jobs) and len(in_flight) < 2 * workers and not run.result.cancelled:
                    if cancelled is not None and cancelled():
                        run.result.cancelled = True
                        break
                    m, path = jobs[next_job]
                    in_flight[pool.submit(_worker_write, m.commissioner_id, str(path))] = next_job
                    next_job += 1
                if run.result.cancelled:
                    for f in in_flight:
                        f.cancel()  # not started yet: dropped; the ones being written are finished
                if not in_flight:
                    break
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for f in sorted(finished, key=in_flight.__getitem__):
                    i = in_flight.pop(f)
                    if f.cancelled():
                        continue
                    m, path = jobs[i]
                    run.finished(i, m, path, f.result())  # BrokenProcessPool is raised here
    except (BrokenProcessPool, OSError) as exc:
        log.warning(
            "annual records: the worker processes stopped (%s); writing the rest in this process", exc
        )
        if run.result.cancelled:
            return []
        return [i for i in range(len(jobs)) if i not in run.paths and i not in run.failures]
    return []


# --- in the worker processes -----------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(db_path: str, a: Assessment, language: str, state: str) -> None:
    i18n.set_language(language)
    # Read-only: the pool only reads, and may never migrate or stamp the user's database.
    conn = sqlite3.connect(Path(db_path).resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
    _worker.update(
        store=Store(database(conn), Path(db_path).parent),
        assessment=a,
        state=state,
        members={m.commissioner_id: m for m in a.members},
    )


def _worker_write(commissioner_id: str, path: str) -> tuple[Message, str] | None:
    a: Assessment = _worker["assessment"]
    m = _worker["members"].get(commissioner_id)
    if m is None:  # cannot happen: the jobs come from this very assessment
        return Message(f"找不到科技特派员 {commissioner_id}", f"No commissioner {commissioner_id}"), ""
    return _write_one(_worker["store"], a, m, Path(path), _worker["state"])
