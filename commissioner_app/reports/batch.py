"""Annual records of every commissioner into a folder, with progress and cancel (for the GUI's
background task and the CLI). The city assessment is computed once; each document is written and
dropped before the next, so memory stays flat however many commissioners there are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from commissioner_app.assessment import Assessment, Period, assess
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.reports.annual import write_annual_record
from commissioner_app.store import Store

log = logging.getLogger("commissioner.reports")

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class BatchResult:
    folder: Path
    written: list[Path] = field(default_factory=list)
    total: int = 0
    cancelled: bool = False


def annual_file_name(year: int, name: str, commissioner_id: str) -> str:
    """A file name safe on Windows too; the id part keeps two people of the same name apart."""
    safe = _UNSAFE.sub("_", name).strip("_.") or "commissioner"
    return f"{year}年度服务记录_{safe}_{commissioner_id[:8]}.pdf"


def annual_records(
    store: Store,
    year: int,
    folder: Path,
    *,
    assessment: Assessment | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchResult:
    """Write every commissioner's annual record into `folder`; progress(done, total, name) after each."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommissionerError(Message(f"无法创建文件夹 {folder}：{exc.strerror or exc}",
                                        f"Cannot create the folder {folder}: {exc.strerror or exc}")) from None
    a = assessment or assess(store, period=Period.year(year))
    members = sorted(a.members, key=lambda m: (m.county, m.team_name, m.name, m.commissioner_id))
    result = BatchResult(folder, total=len(members))
    for i, m in enumerate(members):
        if cancelled is not None and cancelled():
            result.cancelled = True
            log.info("annual records cancelled after %d of %d", i, len(members))
            break
        path = folder / annual_file_name(year, m.name, m.commissioner_id)
        tmp = path.with_suffix(".pdf.part")
        write_annual_record(store, a, m, tmp)
        tmp.replace(path)  # a cancelled or failed run leaves no half-written PDF under the real name
        result.written.append(path)
        if progress is not None:
            progress(i + 1, len(members), m.name)
    return result
