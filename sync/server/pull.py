"""Pull: the changes a caller may see after a cursor, in server order, tombstones included.

The page is written as JSON straight from the stored field text (no decode and re-encode), so a
bureau's first pull of 100,000 records costs little more than reading them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, literal, not_, select, text, union

from sync.protocol import MAX_PULL_SKIP
from sync.server import timeutil
from sync.server.auth import User
from sync.server.db import reading
from sync.server.scope import visible_branches, visible_clause
from sync.server.tables import counters, records, store_identity

# A count of what a pull has left reads (index entries of) every change after the cursor; past this
# many it stops and says "unknown" (a first pull that large takes minutes: a moving bar is enough).
COUNT_CAP = 200_000
_SKIP_RANGE = re.compile(r"(\d{1,19})-(\d{1,19})")

Ranges = Sequence[tuple[int, int]]


class SkipError(ValueError):
    """What is wrong with a pull's `skip`, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def parse_skip(value: str) -> list[tuple[int, int]]:
    """The `skip` parameter of a pull ("a-b,c-d"): its ranges; SkipError says what is wrong."""
    if not value:
        return []
    parts = value.split(",")
    if len(parts) > MAX_PULL_SKIP:
        raise SkipError(f"最多 {MAX_PULL_SKIP} 个范围", f"at most {MAX_PULL_SKIP} ranges")
    ranges = []
    for part in parts:
        shown = repr(part[:40])
        found = _SKIP_RANGE.fullmatch(part)
        if found is None:
            raise SkipError(f"{shown} 不是 a-b 形式的范围", f"{shown} is not a range a-b")
        low, high = int(found[1]), int(found[2])
        if high > 2**62:
            raise SkipError(
                f"{shown} 超出最大的变更编号 2**62", f"{shown} goes past the largest change number, 2**62"
            )
        if low > high:
            raise SkipError(f"{shown} 的起点大于终点", f"{shown} is not a range a-b with a <= b")
        ranges.append((low, high))
    return ranges


# What a pull's first page says of the account (protocol.PullAnswer.account).
ACCOUNT_KEYS = ("role", "commissioner_id", "team_id", "workstation_id", "county", "display_name")


def pull_page(
    engine: Engine, user: User, since: int, limit: int, count: bool = False, skip: Ranges = ()
) -> str:
    """One PullAnswer as JSON text; with `count`, also `remaining`: how many changes the caller may see
    after `since` up to this answer's snapshot, this page's included (None past COUNT_CAP). Changes
    numbered in a `skip` range are left out (the caller's own push was answered with them)."""
    skip = [(low, high) for low, high in skip if high > since]
    with reading(engine) as conn:
        # Read the counter first: every change numbered up to it is committed (pushes number their
        # changes under the counter's lock), so a short page may move the cursor up to it.
        top: int = conn.execute(select(counters.c.value).where(counters.c.name == "server_seq")).scalar_one()
        if conn.dialect.name == "postgresql" and user.role == "bureau":
            # Read in server_seq order from its index, never "collect every visible row after the
            # cursor, then sort": with statistics lagging behind a table that has just grown (a bulk
            # first push), PostgreSQL chose the latter, and each page sorted all the rest of the
            # table (0.5 s a page at 100,000 records). The index walk costs one pass in all.
            conn.execute(text("SET LOCAL enable_sort = off"))
        # Nothing after the cursor (a sync with nothing to do): no page to look for.
        rows = conn.execute(_page_query(conn, user, since, top, limit, skip)).all() if since < top else []
        remaining = (_count(conn, user, since, top, skip) if since < top else 0) if count else None
        store = (
            conn.execute(select(store_identity.c.id, store_identity.c.history_from)).first()
            if count
            else None
        )
    has_more = len(rows) == limit
    next_since = rows[-1].server_seq if has_more else max(top, since)
    parts = [
        f'{{"table":{json.dumps(r.table_name)},"id":{json.dumps(r.id)},"rev":{r.rev},'
        f'"server_seq":{r.server_seq},"deleted":{"true" if r.deleted else "false"},"fields":{r.fields}}}'
        for r in rows
    ]
    more = "true" if has_more else "false"
    extra = ""
    if count:
        # The first page of a sync says what the account is now (the bureau may have moved it to
        # another team, role or county since it logged in): its laptop then sees its new scope.
        account = {k: getattr(user, k) for k in ACCOUNT_KEYS}
        extra = f',"remaining":{json.dumps(remaining)},"account":{json.dumps(account, ensure_ascii=False)}'
        if store is not None:
            # Which store answers (a restored backup is another): sync/recovery.py.
            extra += f',"store":{{"id":{json.dumps(store.id)},"history_from":{int(store.history_from)}}}'

    return (
        f'{{"changes":[{",".join(parts)}],"next_since":{next_since},"has_more":{more},'
        f'"server_time":{json.dumps(timeutil.now_iso())}{extra}}}'
    )


COLUMNS = (
    records.c.table_name,
    records.c.id,
    records.c.rev,
    records.c.server_seq,
    records.c.deleted,
    records.c.fields,
)


def _window(since: int, top: int, skip: Ranges) -> list[Any]:
    seq = records.c.server_seq
    return [seq > since, seq <= top, *(not_(seq.between(low, high)) for low, high in skip)]


def _page_query(conn: Any, user: User, since: int, top: int, limit: int, skip: Ranges) -> Any:
    """The next `limit` changes the caller may see after `since`, in server order.

    The bureau sees everything: one walk of the server_seq index. Anyone else sees a sliver of a
    province (a commissioner's 200 records among two million), and one walk of that index would read
    every change after the cursor to find theirs (seconds a page). On PostgreSQL their page is the
    first `limit` of the union of one ordered index range per way of seeing a record (public;
    their own; their team's or workstation's; a county bureau's, its county's), each cut at
    `limit`: the same rows, reading about `limit` entries of each index (indexes
    ix_records_owner_seq, _team_seq, _workstation_seq, _county_seq and the partial
    ix_records_public_seq)."""
    window = _window(since, top, skip)
    if user.role == "bureau" or conn.dialect.name != "postgresql":
        return (
            select(*COLUMNS).where(*window, visible_clause(user)).order_by(records.c.server_seq).limit(limit)
        )
    branches = visible_branches(user)  # the one rule of sync/server/scope.py
    parts = [
        select(*COLUMNS).where(*window, branch).order_by(records.c.server_seq).limit(limit)
        for branch in branches
    ]
    both = union(*parts).subquery()  # UNION: a row seen two ways (own profile, in one's team) once
    return select(*both.c).order_by(both.c.server_seq).limit(limit)


def _count(conn: Any, user: User, since: int, top: int, skip: Ranges) -> int | None:
    """The changes in (since, top] the caller may see: the same filter as the page, never more."""
    visible = (
        select(literal(1))
        .select_from(records)
        .where(*_window(since, top, skip), visible_clause(user))
        .limit(COUNT_CAP + 1)
        .subquery()
    )
    n = int(conn.execute(select(func.count()).select_from(visible)).scalar_one())
    return n if n <= COUNT_CAP else None


# What the history shows of each version besides its rev and fields (which versions_of reads).
HISTORY_COLUMNS = ("server_seq", "deleted", "user_id", "username", "device_id", "at", "client_time")


def record_history(engine: Engine, user: User, table: str, record_id: str) -> list[dict[str, Any]]:
    """Every accepted version of one record (the audit log), if the caller may see the record.

    Each version names its writer as people know them; their login (for a roster account, a mobile
    number) and device only to the bureau, to whoever manages or owns the record, and to the writer
    themselves: a public record (a demand, a milestone) is seen by every user of every county."""
    from sync.server.errors import not_found
    from sync.server.push import version_text, versions_of
    from sync.server.scope import can_see, manages
    from sync.server.tables import revisions, users

    with reading(engine) as conn:
        row = conn.execute(
            select(records).where(records.c.table_name == table, records.c.id == record_id)
        ).first()
        if row is None or not can_see(user, table, row):
            raise not_found()
        # The current version's fields are the record's: read in the same statement as the versions
        # (on PostgreSQL each statement sees what was committed when it began, and a push between
        # two would show its new version with the fields of the one before).
        rows = conn.execute(
            versions_of(
                table, record_id, *(revisions.c[name] for name in HISTORY_COLUMNS), users.c.display_name
            )
            .outerjoin_from(revisions, users, users.c.id == revisions.c.user_id)
            .order_by(revisions.c.rev)
        ).all()
    # A version whose fields are lost (see revision_fields) is left out, as a pruned one is.
    kept = [(r, version_text(r)) for r in rows]
    insider = manages(user, row) or bool(user.commissioner_id and row.owner_id == user.commissioner_id)
    return [
        {
            "rev": r.rev,
            "server_seq": r.server_seq,
            "deleted": bool(r.deleted),
            "fields": json.loads(text),
            "username": r.username if insider or r.user_id == user.id else "",
            "display_name": r.display_name or "",  # as people know the writer (an account removed: "")
            "device_id": r.device_id if insider or r.user_id == user.id else "",
            "at": r.at,
            "client_time": r.client_time,
        }
        for r, text in kept
        if text is not None
    ]
