"""UTC times as ISO 8601 text: portable across databases and sortable as strings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    # The year written with four digits always (strftime's %Y leaves a year before 1000 short on
    # some C libraries, and the text then sorts wrongly against every other).
    moment = moment.astimezone(UTC)
    return f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S.%fZ")


def now_iso() -> str:
    return iso(now())


def parse(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def later(seconds: float) -> str:
    return iso(now() + timedelta(seconds=seconds))
