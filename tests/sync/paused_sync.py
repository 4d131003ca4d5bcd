"""`commissioner` with the sync stopping at one of its checkpoints, for tests that kill it there.

    python -m tests.sync.paused_sync POINT AFTER MARKER [commissioner arguments...]

The Nth time (AFTER) the sync reaches POINT (one of sync.report.CHECKPOINTS) it writes the file
MARKER and sleeps for a minute, so that the test can kill the process exactly there.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from commissioner_app.cli import main
from sync import report


def pause_at(point: str, after: int, marker: Path, seconds: float = 60) -> Callable[[str], None]:
    if point not in report.CHECKPOINTS:
        raise ValueError(f"no checkpoint {point!r}; there are {report.CHECKPOINTS}")
    hits = 0

    def hook(name: str) -> None:
        nonlocal hits
        if name != point:
            return
        hits += 1
        if hits < after:
            return
        marker.write_text(name)
        time.sleep(seconds)

    return hook


if __name__ == "__main__":
    point, after, marker, *rest = sys.argv[1:]
    report.checkpoint_hook = pause_at(point, int(after), Path(marker))
    raise SystemExit(main(rest))
