"""The sync protocol shared by the client and the central store (version 1).

The shapes below are the client's; the server's Pydantic models (sync/server/app.py) must agree
with them field by field (tests/sync/test_protocol_shapes.py).

All bodies are JSON (UTF-8), gzip allowed both ways. Every request carries the header
`X-Protocol-Version`; a server that no longer speaks the client's version answers 426 with an
ErrorBody whose `error` is "protocol_too_old". Every error answer is an ErrorBody.

Endpoints (all under /api/v1, all but login need `Authorization: Bearer <token>`):

POST /auth/login        {"username", "password", "device_id"} -> LoginAnswer
POST /auth/logout       -> 204 (revokes the token)
GET  /me                -> UserInfo

POST /sync/push         PushRequest -> PushAnswer
    One transaction per batch on the server. `batch_id` is the idempotency key: a replayed
    batch (same caller, same batch_id) gets the stored answer of the first application and
    changes nothing. Per change: accepted (base_rev == current rev; `fields`, when present, holds
    only what the server set otherwise than sent, e.g. a new visit's review_status), merged (base
    stale but the fields changed on both sides since base_rev do not collide; answer carries the merged
    `fields`), conflict (same field changed on both sides; nothing overwritten on the server; the
    answer lists each conflicting field with base/local/server values and the server's current
    `fields` and `rev`), rejected (with reason; e.g. out of scope, invalid, a field the role may
    not write). A rejection may carry the record as the server keeps it (`fields`, `rev`,
    `server_seq`, `deleted`): a change its sender cannot correct (a demand the bureau closed, or
    a commissioner took up, meanwhile); the client then takes that version in place of its own.
    A conflict is also recorded as a notice (sync/server/notices.py) that pull delivers as table
    "conflicts" (id = the notice's id) to whoever may see the record, so the side whose version
    was kept sees it too; the conflict's ChangeResult names it in `conflict_id`. A change may
    carry `resolves`: [notice id, ...] (the notices its record's resolution settles); when the
    change is accepted or merged the server closes them (status "resolved", with the values
    kept in `chosen`), when it meets a conflict again they are "superseded". Older clients
    ignore `conflict_id` and the "conflicts" rows (an unknown table) and never send `resolves`.
GET  /sync/pull?since=<server_seq>&limit=<n>[&count=true][&skip=<a>-<b>,...]  -> PullAnswer
    Changes the caller may see with server_seq > since, in server order, tombstones included;
    `next_since` is the cursor to store (in the same local transaction as the page).
    `skip` (at most MAX_PULL_SKIP ranges, each a <= b) leaves out the changes numbered in those
    ranges: a client names the server_seq of the versions its own push was just answered with
    (it holds exactly those versions), so its first sync is not sent its own records back. A
    change made by anyone else always has a number of its own, outside them.
    With count=true (a client asks on the first page of a sync) the answer also carries
    `remaining`: how many changes the caller may see after `since`, this page's included, as of
    this answer (null when past the server's cap); a progress bar's total. Without it the key is
    absent: older clients never ask, and a newer client shows an indeterminate bar when it is.
    Reference data travels as table "reference" (id = kind, fields = {"version", "items"}) and
    assessment rules as table "assessment_rules" (id = year, fields = {"year", "toml"}).

GET  /attachments/{sha256}                 -> the bytes (only if the caller may see a record using it)
GET  /attachments/{sha256}/status          -> {"sha256", "complete": bool, "received": int}
PUT  /attachments/{sha256}?offset=<n>      body: raw bytes (a chunk) -> {"received": int, "complete": bool}
    A chunk must start at the server's `received` offset (else 409 "wrong_offset" with the right
    offset in `received`). A chunk for a completed upload changes nothing: {"received", "complete": true}.
POST /attachments/{sha256}/complete {"size": int} -> 201 {"sha256", "size"}
    The server hashes what it received; a mismatch discards the upload: 422 "hash_mismatch".
    size > received: 409 "incomplete" (with `received`), nothing discarded.
    size 0: 422 "empty_attachment" (an empty file is no attachment; no chunk of it can be sent).
GET  /records/{table}/{id}/history         -> [{"rev", "server_seq", "deleted", "fields", "username",
                                               "display_name", "device_id", "at", "client_time"}] (the
                                               audit log; display_name "" for an account removed)
GET  /audit?actor=&action=&subject=&date_from=&date_to=&limit=&offset=
                                           -> {"entries": [{"id", "at", "actor", "actor_role", "action",
                                               "subject", "county", "before", "after"}], "total"}
                                              (bureau: all; county bureau: its county's; others 403)
GET  /audit/export?<the same filters>      -> CSV (UTF-8 with BOM) of the matching entries, raw
                                              (UTC times, codes, JSON), oldest first, at most the
                                              first 100,000; for other tools: the app's export reads
                                              /audit page by page and writes a readable file
GET  /health                               -> {"ok", "protocol_version", "min_protocol_version"}
                                              (no token, no protocol header; also /openapi.json)

Details the server holds to (v1):
- Pushed `fields`: the server drops client bookkeeping keys (id, rev, server_seq, dirty, base_rev,
  deleted, is_draft, has_conflict, sync_error, updated_at, updated_by); any other key that is not a
  domain field of the table, or a value of the wrong type, rejects that change (reason names the
  field). Lists/dicts travel as JSON text, dates as "YYYY-MM-DD".
- A ChangeResult carries `fields` for merged and conflict, and also for accepted when the server
  set a field itself (a new visit's review_status "pending"; a missing commissioner_id; a review's
  reviewer_id/reviewer_name/reviewed_at; a commissioner's own profile team_id/workstation_id/username).
- A conflict may name the pseudo-field "deleted": a delete against a record changed since base_rev,
  or an edit of a record deleted since base_rev.
- Visits: review_status is "pending" when first pushed and again when its commissioner changes an
  approved or returned visit. A review (manager of the visit's team/workstation, or bureau;
  record_table "visits"; not one's own visit; record_rev, when not 0, must equal the visit's rev)
  sets the visit's review_status/review_opinion in a new revision that the commissioner pulls.
  A review's evidence_seq (when not 0) is the change number its reviewer's laptop had pulled up to:
  an approval (a new review, or one sent again, that would make the record approved) is rejected
  when the record's evidence (a visit's problems, solutions, files and confirmation; an
  achievement's files, pointing at it then or now) was written after it, and, when the reviewer's
  laptop had the record's last version, the record is written again unchanged (a new revision, at
  most once a batch) so that their next pull brings it back as it stands. The client withdraws a
  refused review.
- Reference "items": [{"code", "name_zh", "name_en", "parent_code", "sort_order"}].
- Demands are visible to every user (whatever their status); a commissioner may change one only
  to take it up: taken_by = their commissioner_id, status "taken", problem_id.
- Bonuses (bonus_points, 加分项) are for a team or workstation (subject_kind, subject_id). A manager
  may write only those of their own team or workstation, and the server keeps them "pending" (their
  status, review_opinion, reviewed_by, reviewed_at are reset; an approved one cannot be deleted by a
  manager); the bureau approves or rejects (with an opinion), and the server sets reviewed_by and
  reviewed_at. Seen by the bureau and the group's managers. subject and year never change.
- Exemplars (先进典型) are written by the bureau only; a commissioner needs a published
  assessment_results record of that year. The server sets nominated_by / nominated_at. Public.
- `next_since` may be beyond the last change returned (changes the caller may not see are skipped).
- Errors besides those above: 400 "malformed_json", 422 "invalid_request" (with `details`), 401
  "auth_required" (any bad/expired/revoked token) or "login_failed", 429 "too_many_attempts" (with
  Retry-After), 413 "too_large", 400 "protocol_version_missing" / "protocol_too_new", 404 "not_found"
  (also for what the caller may not see).
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

PROTOCOL_VERSION = 1
MIN_PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Protocol-Version"
API_PREFIX = "/api/v1"

MAX_PUSH_CHANGES = 500  # per batch
MAX_PULL_LIMIT = 2000
MAX_PULL_SKIP = 64  # ranges of server_seq a pull may leave out (the echo of the caller's own push)
DEFAULT_PULL_LIMIT = 500
CHUNK_SIZE = 256 * 1024
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024

Role = Literal["commissioner", "manager", "bureau", "county"]
ChangeStatus = Literal["accepted", "merged", "conflict", "rejected"]

# Tables that travel through sync, with who may write them (the server enforces it; reading
# scope: a commissioner sees own records + reference + published demands + own reviews; a manager
# also the records of their team/workstation; the bureau everything).
WRITABLE_BY: dict[str, tuple[str, ...]] = {
    "commissioners": ("commissioner", "manager", "bureau"),  # a commissioner only their own profile
    "teams": ("bureau",),
    "workstations": ("bureau",),
    "service_targets": ("commissioner", "manager", "bureau"),
    "service_agreements": ("commissioner", "manager", "bureau"),
    "visits": ("commissioner", "manager"),
    "problems": ("commissioner", "manager"),
    "solutions": ("commissioner", "manager"),
    "attachments": ("commissioner", "manager", "bureau"),  # the bureau: a project's acceptance evidence
    "reviews": ("manager", "bureau", "county"),  # a county bureau: visits of its county
    # A commissioner (a manager is one too) may only take one up (taken_by, problem_id).
    "demands": ("bureau", "commissioner", "manager"),
    "annual_summaries": ("commissioner", "manager"),
    "assessment_results": ("bureau",),  # the official results the bureau publishes
    "bonus_points": ("manager", "bureau"),  # a manager proposes for their own group; the bureau decides
    "exemplars": ("bureau",),  # 先进典型, named from the published results
    "reference": ("bureau",),
    "assessment_rules": ("bureau",),
    # 揭榜挂帅 (sync/server/projects.py): the bureau publishes, awards and accepts; commissioners apply
    # (the bureau only marks an application awarded or not chosen); the awarded side sets milestones.
    "projects": ("bureau",),
    "project_applications": ("commissioner", "manager", "bureau"),
    "project_milestones": ("commissioner", "manager"),
    "achievements": ("commissioner", "manager"),
}

# The pseudo-table of conflict notices that pull delivers (sync/server/notices.py).
NOTICE_TABLE = "conflicts"

# Fields only the server sets (from reviews); a client's value for them is ignored on push.
SERVER_OWNED_FIELDS: dict[str, tuple[str, ...]] = {
    "visits": ("review_status", "review_opinion", "confirm_sheet_accepted"),
    "achievements": ("review_status", "review_opinion"),
}


class ErrorBody(TypedDict):
    error: str  # machine-readable kind, e.g. "auth_required", "forbidden", "protocol_too_old"
    message_zh: str
    message_en: str


class UserInfo(TypedDict):
    id: str
    username: str
    role: Role
    display_name: str
    commissioner_id: str | None
    team_id: str | None
    workstation_id: str | None
    county: NotRequired[str]  # the account's county (older servers do not send it)


class LoginRequest(TypedDict):
    username: str
    password: str
    device_id: str


class LoginAnswer(TypedDict):
    token: str
    expires_at: str  # ISO 8601, UTC
    user: UserInfo
    # The account owns records besides its profile; absent from older servers (sync/session.py).
    has_records: NotRequired[bool]


class Change(TypedDict):
    table: str
    id: str
    base_rev: int
    deleted: bool
    fields: dict[str, Any]  # the record's domain fields as stored locally (JSON-encoded lists stay strings)
    resolves: NotRequired[list[str]]  # conflict notices this change settles


class PushRequest(TypedDict):
    batch_id: str
    device_id: str
    client_time: str
    changes: list[Change]


class FieldConflict(TypedDict):
    field: str
    base: Any
    local: Any
    server: Any


class ChangeResult(TypedDict, total=False):
    table: str
    id: str
    status: ChangeStatus
    rev: int
    server_seq: int
    fields: dict[str, Any]  # server's resulting version (merged / conflict)
    conflicts: list[FieldConflict]
    reason_zh: str
    reason_en: str
    conflict_id: str  # with a conflict: the notice the server recorded of it


class PushAnswer(TypedDict):
    batch_id: str
    results: list[ChangeResult]
    server_time: str


class PulledChange(TypedDict):
    table: str
    id: str
    rev: int
    server_seq: int
    deleted: bool
    fields: dict[str, Any]


class PullAnswer(TypedDict, total=False):
    changes: list[PulledChange]
    next_since: int
    has_more: bool
    server_time: str
    remaining: int | None  # only when asked with count=true
    # Only with count=true (a sync's first page): the account as it is now (role, commissioner_id,
    # team_id, workstation_id, county, display_name). Older servers leave it out.
    account: dict[str, Any]
    # Only with count=true: which store answers. A backup restored is another store, whose history
    # is unbroken from change number history_from: what a laptop synced with another store after that
    # number may not be in it (sync/recovery.py). Older servers leave it out.
    store: StoreIdentity


class StoreIdentity(TypedDict):
    id: str
    history_from: int


class UploadStatus(TypedDict):
    sha256: str
    complete: bool
    received: int


class ChunkAnswer(TypedDict):
    received: int
    complete: bool


class CompleteRequest(TypedDict):
    size: int


class CompleteAnswer(TypedDict):
    sha256: str
    size: int


# POST /previews (sync/server/previews.py; the bounds in sync/previews.py).
class PreviewRequest(TypedDict):
    hashes: list[str]  # at most 200


class PreviewOut(TypedDict):
    sha256: str
    kind: str  # "image", "pdf" (its first page) or "placeholder"
    jpeg_base64: str


class PreviewAnswer(TypedDict):
    previews: list[PreviewOut]
    unavailable: list[str]  # not visible to the caller, or not stored: the same answer for both
