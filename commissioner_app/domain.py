"""Plain domain records of the commissioner programme and their validation.

Each record class knows its table (`__table__`). Sync metadata (rev, server_seq, dirty, ...) is kept
by the store, not here. `validate()` returns every problem at once, each in Chinese and English.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import threading
import time
import unicodedata
import uuid
from dataclasses import Field, dataclass, field, fields
from datetime import date, datetime
from typing import Any, ClassVar

from commissioner_app.credit_code import credit_code_problem
from commissioner_app.i18n import Message
from commissioner_app.paths import resources_dir

_ids_lock = threading.Lock()
_last_id_time = [0, 0]  # the milliseconds and the counter of the last id made in this process


def uuid7(milliseconds: int, counter: int, random_bits: int) -> str:
    """A UUID of version 7 (RFC 9562): 48 bits of Unix time in milliseconds, 12 of a counter within
    the millisecond, 62 random."""
    value = (milliseconds & (1 << 48) - 1) << 80 | 0x7 << 76 | (counter & 0xFFF) << 64
    return str(uuid.UUID(int=value | 0b10 << 62 | random_bits & (1 << 62) - 1))


def new_id() -> str:
    """A new record's id: a UUID of version 7, so that ids made one after another sort in the order
    they were made. A day's records, and a sync's batch of them, are then written next to each other
    in every index on their id, here and at the central store; random ids (version 4, which older
    records keep) land anywhere, and each insert rewrote a page of the index of its own.

    Unique without the clock: 62 random bits from the system's source (processes forked from one
    another do not share them). Ordered even when the laptop's clock is set back: the time never
    goes below that of the last id made here; within a millisecond, a counter (started at a
    random point of its lower half) orders them."""
    now = time.time_ns() // 1_000_000
    with _ids_lock:
        last, counter = _last_id_time
        if now > last:
            last, counter = now, secrets.randbits(11)
        elif counter < 0xFFF:
            counter += 1
        else:
            last, counter = last + 1, secrets.randbits(11)  # 4,096 in a millisecond: borrow the next
        _last_id_time[:] = [last, counter]
    return uuid7(last, counter, secrets.randbits(62))


def short_id(record_id: str) -> str:
    """Eight characters that tell a record from others, to show it by or name a file after. An id
    made by new_id begins with the time, the same for every record made in the same minute (a
    roster's people, a morning's visits): its last eight characters, which are random. Other ids
    (random throughout: version 4, which older records keep) show their first eight, as before."""
    if len(record_id) == 36 and record_id[8] == "-" and record_id[14] == "7":
        return record_id[-8:]
    return record_id[:8]


def id_excerpt(record_id: str) -> str:
    """short_id with an ellipsis where the rest of the id was left out ("…9d78c7e1", "aef3c3b9…")."""
    short = short_id(record_id)
    if short == record_id:
        return short
    return f"…{short}" if record_id.endswith(short) else f"{short}…"


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def shown_time(iso: str | None) -> str:
    """A stored moment (ISO 8601 with its offset) as this computer shows the time: "2026-05-01 09:02";
    "" for none, and the text itself when it is not such a moment."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return moment.strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Issue:
    """One validation problem: the field it concerns, its label and the message."""

    field: str
    label: Message
    message: Message

    def __str__(self) -> str:
        return f"{self.label}：{self.message}"


# --- what a field is called ----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldLabel:
    """What forms, lists, exports and documents call a field, defined once on the field itself.

    `name` (培训人次 / People trained), `unit` (期, 万元 / 10k yuan; None for a plain count) and
    `short`, a compact heading for narrow tables (效益(万元) / Benefit; an empty side: the name's).
    """

    name: Message
    unit: Message | None = None
    short: Message | None = None

    @property
    def heading(self) -> Message:
        """The name with its unit, as forms and exports show it: 举办培训班（期） / Training sessions."""
        if self.unit is None:
            return self.name
        en = f"{self.name.en} ({self.unit.en})" if self.unit.en else self.name.en
        return Message(f"{self.name.zh}（{self.unit.zh}）", en)

    @property
    def compact(self) -> Message:
        if self.short is None:
            return self.heading
        return Message(self.short.zh or self.heading.zh, self.short.en or self.heading.en)


def labelled(
    zh: str,
    en: str,
    *,
    unit: tuple[str, str] | None = None,
    short: tuple[str, str] | None = None,
    counter: bool = False,
    **field_arguments: Any,
) -> Any:
    """A dataclass field that carries its label (and unit) as metadata; `counter`: one of the
    visit's outcome counts (DOMAIN.md), in the order forms and documents show them."""
    label = FieldLabel(Message(zh, en), Message(*unit) if unit else None, Message(*short) if short else None)
    return field(metadata={"label": label, "counter": counter}, **field_arguments)


def field_label(record: type, name: str) -> FieldLabel:
    """The label of `record`'s field `name` (KeyError if the field has none)."""
    for f in fields(record):
        if f.name == name and "label" in f.metadata:
            label: FieldLabel = f.metadata["label"]
            return label
    raise KeyError(f"{record.__name__}.{name} has no label")


def labelled_fields(record: type) -> list[Field[Any]]:
    return [f for f in fields(record) if "label" in f.metadata]


# --- codes with their labels -------------------------------------------------------------------


def _load_codes(filename: str) -> dict[str, Message]:
    """Service and target types ship as data in resources/reference (the bureau may relabel them)."""
    data = json.loads((resources_dir() / "reference" / filename).read_text(encoding="utf-8"))
    return {item["code"]: Message(item["name_zh"], item["name_en"]) for item in data["items"]}


SERVICE_TYPES: dict[str, Message] = _load_codes("service_types.json")

TARGET_TYPES: dict[str, Message] = _load_codes("target_types.json")

PROBLEM_STATUSES: dict[str, Message] = {
    "open": Message("待解决", "Open"),
    "in_progress": Message("解决中", "In progress"),
    "solved": Message("已解决", "Solved"),
    "referred": Message("已转交", "Referred"),
    "unresolved": Message("暂无法解决", "Cannot be solved for now"),
}

PROBLEM_SOURCES: dict[str, Message] = {
    "visit": Message("走访发现", "Found on a visit"),
    "target_request": Message("服务对象提出", "Requested by the target"),
    "bureau_demand": Message("科技局发布需求（揭榜）", "Bureau demand (open call)"),
}

# The codes are stored (and synced) as they are; what each level is called follows the Chinese
# scale: 一般 (ordinary), 较急 (fairly urgent), 紧急 (urgent).
URGENCIES: dict[str, Message] = {
    "low": Message("一般", "Normal"),
    "normal": Message("较急", "Fairly urgent"),
    "high": Message("紧急", "Urgent"),
}

REVIEW_STATUSES: dict[str, Message] = {
    "": Message("未提交", "Not submitted"),
    "pending": Message("待审核", "Waiting for review"),
    "approved": Message("已通过", "Approved"),
    "returned": Message("已退回", "Returned"),
}

# What an account's role is called (the command line, the audit trail, the roster's slips).
ACCOUNT_ROLES: dict[str, Message] = {
    "commissioner": Message("科技特派员", "commissioner"),
    "manager": Message("团长/站长", "team or workstation manager"),
    "county": Message("县科技局", "county bureau"),
    "bureau": Message("市科技局", "city bureau"),
}

REVIEW_DECISIONS: dict[str, Message] = {
    "approved": Message("通过", "Approve"),
    "returned": Message("退回", "Return"),
}

ATTACHMENT_KINDS: dict[str, Message] = {
    "photo": Message("现场照片", "Site photo"),
    "document": Message("文档", "Document"),
    "confirmation_sheet": Message("服务确认单", "Signed confirmation sheet"),
    "signed_agreement": Message("协议签字盖章件", "Signed agreement"),
}

# The records a file may be attached to (Attachment.owner_table): a visit (site photos, the signed
# confirmation sheet), a service agreement (its signed copy), a 揭榜 project (the bureau's acceptance
# evidence), a project milestone and an achievement (their evidence).
ATTACHMENT_OWNERS: dict[str, Message] = {
    "visits": Message("服务记录", "visit"),
    "service_agreements": Message("服务协议", "service agreement"),
    "projects": Message("揭榜项目", "open-call project"),
    "project_milestones": Message("项目节点", "project milestone"),
    "achievements": Message("成果", "achievement"),
}

AGREEMENT_STATUSES: dict[str, Message] = {
    "draft": Message("草稿", "Draft"),
    "signed": Message("已签订", "Signed"),
    "midterm": Message("中期检查", "Mid-term check"),
    "completed": Message("已完成", "Completed"),
    "terminated": Message("已终止", "Terminated"),
}

LABELS: dict[str, Message] = {
    "subject_id": Message("对象", "Subject"),
    "subject_kind": Message("对象类型", "Kind of subject"),
    "points": Message("加分", "Bonus points"),
    "reason": Message("加分理由", "Reason"),
    "evidence": Message("佐证材料", "Evidence"),
    "review_opinion": Message("审核意见", "Review opinion"),
    "citation": Message("先进事迹", "Citation"),
    "name": Message("名称", "Name"),
    "phone": Message("电话", "Phone"),
    "sending_unit": Message("派出单位", "Sending unit"),
    "type": Message("类型", "Type"),
    "credit_code": Message("统一社会信用代码", "Unified social credit code"),
    "contact_phone": Message("联系电话", "Contact phone"),
    "target_id": Message("服务对象", "Service target"),
    "visit_date": Message("服务日期", "Visit date"),
    "start_time": Message("开始时间", "Start time"),
    "end_time": Message("结束时间", "End time"),
    "service_types": Message("服务类型", "Service types"),
    "content": Message("服务内容", "Service content"),
    "confirm_satisfaction": Message("满意度", "Satisfaction"),
    "title": Message("标题", "Title"),
    "status": Message("状态", "Status"),
    "status_reason": Message("原因说明", "Reason"),
    "source": Message("来源", "Source"),
    "urgency": Message("紧急程度", "Urgency"),
    "description": Message("描述", "Description"),
    "problem_id": Message("技术难题", "Technical problem"),
    "start_date": Message("开始日期", "Start date"),
    "end_date": Message("结束日期", "End date"),
    "decision": Message("审核结论", "Decision"),
    "opinion": Message("审核意见", "Opinion"),
    "record_id": Message("审核对象", "Record under review"),
    "deadline": Message("截止日期", "Deadline"),
    "deactivation_reason": Message("停用原因", "Reason for deactivation"),
    "year": Message("年度", "Year"),
    "budget": Message("经费（万元）", "Budget (10k yuan)"),
    "requirements": Message("揭榜要求", "Requirements"),
    "plan": Message("攻关方案", "Plan"),
    "project_id": Message("揭榜项目", "Open-call project"),
    "due_date": Message("计划完成日期", "Due date"),
    "acceptance": Message("验收结论", "Acceptance"),
    "acceptance_opinion": Message("验收意见", "Acceptance opinion"),
    "awarded_application_id": Message("中榜申请", "Awarded application"),
    "kind": Message("成果类型", "Kind of achievement"),
    "mode": Message("转化方式", "Mode of transfer"),
    "contract_no": Message("技术合同编号", "Technology contract number"),
    "contract_value": Message("合同金额（万元）", "Contract value (10k yuan)"),
    "contract_date": Message("合同日期", "Contract date"),
    "transferor": Message("转让方（许可方）", "Transferor (licensor)"),
    "transferee": Message("受让方（被许可方）", "Transferee (licensee)"),
}

# The longest text one field may hold; the central store refuses longer (sync/server/fields.py).
MAX_TEXT_CHARS = 200_000
# No record of the programme is older (it began in 1999): an earlier date is a mistyped year.
EARLIEST_DATE = date(1999, 1, 1)


_LIMITED: dict[type, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
# Where a place can be on Earth (a photo's or the laptop's position, in degrees).
COORDINATES = {"gps_lat": 90.0, "gps_lon": 180.0}


def _limited_fields(cls: type) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(text fields, date fields, decimal number fields) of a record class, worked out once per class
    (the central store checks every pushed record). Annotations are strings (postponed evaluation)."""
    found = _LIMITED.get(cls)
    if found is None:
        kinds = [(f.name, str(f.type).replace(" ", "")) for f in fields(cls)]
        texts = tuple(n for n, k in kinds if k in ("str", "str|None"))
        dates = tuple(n for n, k in kinds if k in ("date", "date|None"))
        numbers = tuple(n for n, k in kinds if k in ("float", "float|None"))
        found = _LIMITED[cls] = (texts, dates, numbers)
    return found


def limit_issues(record: object) -> list[Issue]:
    """What every record is held to, whatever its kind: no text over MAX_TEXT_CHARS, no date before
    EARLIEST_DATE, no number that is not one (NaN, infinity), no position off the Earth. The store
    checks it before saving and the central store on every push, so that a record saved here is not
    refused days later at a sync."""
    texts, dates, numbers = _limited_fields(type(record))
    p = _Problems()
    for name in texts:
        value = getattr(record, name)
        if value is not None and len(value) > MAX_TEXT_CHARS:
            p.add(
                name,
                f"文本过长（{len(value):,} 字，上限 {MAX_TEXT_CHARS:,} 字）",
                f"is too long ({len(value):,} characters, at most {MAX_TEXT_CHARS:,})",
            )
    for name in dates:
        value = getattr(record, name)
        if value is not None and value < EARLIEST_DATE:
            p.add(
                name,
                f"日期 {value.isoformat()} 早于 {EARLIEST_DATE.year} 年，请检查年份",
                f"{value.isoformat()} is before {EARLIEST_DATE.year}: check the year",
            )
    for name in numbers:
        value = getattr(record, name)
        if value is None:
            continue
        if not math.isfinite(value):
            p.add(name, "不是有效的数字", "is not a valid number")
        elif name in COORDINATES and abs(value) > COORDINATES[name]:
            bound = COORDINATES[name]
            p.add(
                name,
                f"坐标超出范围（-{bound:g} 到 {bound:g} 度）",
                f"is out of range (-{bound:g} to {bound:g} degrees)",
            )
    return p.items


# The largest value one record may report for a figure. A visit (or one solution) beyond these is a
# typing slip or an attempt to inflate a score; the client and the server refuse it alike.
LIMITS: dict[str, float] = {
    "training_sessions": 50,
    "people_trained": 10_000,
    "techniques_promoted": 100,
    "varieties_introduced": 100,
    "demo_bases": 50,
    "demo_households": 1_000,
    "jobs_created": 10_000,
    "economic_benefit": 100_000,  # 万元 (1 billion yuan) from one visit or one solution
    "budget": 100_000,  # 万元: one 揭榜 project's funding
    "contract_value": 1_000_000,  # 万元 (10 billion yuan): one technology contract
}

# The LIMITS that are sums of money, kept in 万元 (10,000 yuan) as the programme reports them.
IN_10K_YUAN = frozenset({"economic_benefit", "budget", "contract_value"})

_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]\Z")
# A mainland mobile number: 11 digits starting 13–19 (optionally after +86); landlines start with 0.
_MOBILE = re.compile(r"^1[3-9][0-9]{9}\Z")
# The longest name of a party (an enterprise's registered name runs to about 50 characters).
MAX_NAME = 100
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]\Z")


class _Problems:
    """Collects validation issues for one record."""

    def __init__(self, labels: dict[str, Message] | None = None) -> None:
        self.items: list[Issue] = []
        self.labels = labels or {}  # a record's own names for fields (a person's 姓名, not 名称)

    def add(self, field_name: str, zh: str, en: str) -> None:
        label = self.labels.get(field_name) or LABELS.get(field_name, Message(field_name, field_name))
        self.items.append(Issue(field_name, label, Message(zh, en)))

    def required(self, field_name: str, value: object) -> None:
        if value is None or (isinstance(value, (str, list)) and not value):
            self.add(field_name, "必须填写", "is required")

    def code(self, field_name: str, value: str, allowed: dict[str, Message]) -> None:
        if value not in allowed:
            self.add(field_name, f"不是有效的选项：{value}", f"is not a valid choice: {value}")

    def phone(self, field_name: str, value: str) -> None:
        if value and not _PHONE.match(value.strip()):
            self.add(field_name, "电话号码格式不正确", "is not a valid phone number")
            return
        digits = re.sub(r"[\s\-]", "", value.strip())
        if digits.startswith("+86"):
            digits = digits[3:]
        if digits.startswith("1") and not _MOBILE.match(digits):
            self.add(
                field_name,
                "手机号码应为11位数字，以13–19开头",
                "a mobile number has 11 digits and starts with 13–19",
            )

    def not_negative(self, field_name: str, value: float | int | None) -> None:
        if value is not None and value < 0:
            self.add(field_name, "不能为负数", "cannot be negative")

    def in_range(self, field_name: str, value: float | int | None) -> None:
        """Not negative and not above the field's plausible maximum for one record (LIMITS)."""
        if value is None:
            return
        limit = LIMITS.get(field_name)
        if 0 <= value and (limit is None or value <= limit):
            return  # (nearly every value: the central store checks those of every pushed record)
        self.not_negative(field_name, value)
        if limit is not None and value > limit:
            # A sum of money with its unit: 100000 alone read as yuan, not as 万元.
            zh, en = (" 万元", " in 10k yuan") if field_name in IN_10K_YUAN else ("", "")
            self.add(
                field_name,
                f"数值过大（单条记录不超过 {limit:g}{zh}）",
                f"is too large (at most {limit:g}{en} per record)",
            )


@dataclass
class Record:
    """Base of every synced record: a client-made UUID."""

    __table__: ClassVar[str] = ""
    id: str = field(default_factory=new_id)

    def validate(self) -> list[Issue]:
        return []


@dataclass
class Commissioner(Record):
    __table__: ClassVar[str] = "commissioners"
    name: str = ""
    phone: str = ""
    sending_unit: str = ""
    title: str = ""  # 职称
    specialty: str = ""
    industries: list[str] = field(default_factory=list)
    team_id: str | None = None
    workstation_id: str | None = None
    username: str = ""
    gender: str = ""  # 男 / 女, from the bureau's roster (m011)
    # The county (县、市、区) the account serves, set by the server from the account (m019); empty:
    # their team's or workstation's. A roster's commissioner with neither had no county anywhere.
    county: str = ""
    # Set by the bureau only: the last day of service and why. A deactivated commissioner stays in
    # the assessment of every period they served in; nobody can delete their own profile.
    deactivated_on: date | None = None
    deactivation_reason: str = ""

    def validate(self) -> list[Issue]:
        p = _Problems({"name": Message("姓名", "Name")})
        p.required("name", self.name.strip())
        p.required("sending_unit", self.sending_unit.strip())
        p.phone("phone", self.phone)
        if self.deactivated_on and not self.deactivation_reason.strip():
            p.add("deactivation_reason", "停用时须说明原因", "say why the commissioner is deactivated")
        return p.items


@dataclass
class Team(Record):
    __table__: ClassVar[str] = "teams"
    name: str = ""
    county: str = ""
    leader_id: str | None = None
    partner_university: str = ""  # or the sending unit that leads the team
    industry: str = ""  # m011: what the bureau set up the team for
    counties: list[str] = field(default_factory=list)  # m011: the counties it serves

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("name", self.name.strip())
        return p.items


@dataclass
class Workstation(Record):
    __table__: ClassVar[str] = "workstations"
    name: str = ""
    county: str = ""
    town: str = ""
    manager_id: str | None = None
    host_unit: str = ""  # m011: the enterprise or institution that hosts the station

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("name", self.name.strip())
        return p.items


@dataclass
class ServiceTarget(Record):
    __table__: ClassVar[str] = "service_targets"
    type: str = "village"
    name: str = ""
    county: str = ""
    town: str = ""
    village: str = ""
    industry: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    credit_code: str = ""
    address: str = ""
    notes: str = ""
    # Set when this target was found to be a duplicate of another (same credit code, or merged by a
    # manager or the bureau): the id of the one that stays. Its records follow it there.
    merged_into: str = ""

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("name", self.name.strip())
        if len(self.name.strip()) > MAX_NAME:
            p.add("name", f"名称不能超过 {MAX_NAME} 个字", f"the name is at most {MAX_NAME} characters")
        p.code("type", self.type, TARGET_TYPES)
        p.phone("contact_phone", self.contact_phone)
        if self.credit_code.strip():
            problem = credit_code_problem(self.credit_code)
            if problem:
                p.add("credit_code", *problem)
        return p.items


@dataclass
class ServiceAgreement(Record):
    __table__: ClassVar[str] = "service_agreements"
    commissioner_id: str = ""
    target_id: str = ""
    start_date: date | None = None
    end_date: date | None = None
    co_commissioner_ids: list[str] = field(default_factory=list)
    agreed: dict[str, float] = field(default_factory=dict)  # counter name -> agreed target
    notes: str = ""
    status: str = "draft"  # AGREEMENT_STATUSES
    deliverables: str = ""  # agreed results that are no counter, in free text

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("target_id", self.target_id)
        p.code("status", self.status, AGREEMENT_STATUSES)
        p.required("start_date", self.start_date)
        p.required("end_date", self.end_date)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            p.add("end_date", "结束日期早于开始日期", "ends before it starts")
        for key, value in self.agreed.items():
            if value < 0:
                p.add(key, "约定指标不能为负数", "an agreed target cannot be negative")
        return p.items


@dataclass
class Visit(Record):
    """One service event (服务记录)."""

    __table__: ClassVar[str] = "visits"
    commissioner_id: str = ""
    target_id: str | None = None
    visit_date: date | None = None
    start_time: str = ""
    end_time: str = ""
    county: str = ""
    town: str = ""
    village: str = ""
    service_types: list[str] = field(default_factory=list)
    industry: str = ""
    content: str = ""
    # The outcome counts of DOMAIN.md, in the order forms and documents show them.
    training_sessions: int = labelled(
        "举办培训班",
        "Training sessions",
        unit=("期", ""),
        short=("培训班", "Sessions"),
        counter=True,
        default=0,
    )
    people_trained: int = labelled(
        "培训人次", "People trained", short=("", "Trained"), counter=True, default=0
    )
    techniques_promoted: int = labelled(
        "推广新技术", "Techniques promoted", unit=("项", ""), counter=True, default=0
    )
    varieties_introduced: int = labelled(
        "引进推广新品种新产品", "Varieties / products introduced", unit=("个", ""), counter=True, default=0
    )
    demo_bases: int = labelled(
        "建立示范基地", "Demonstration bases", unit=("个", ""), counter=True, default=0
    )
    demo_households: int = labelled(
        "培育示范户", "Demonstration households", unit=("户", ""), counter=True, default=0
    )
    jobs_created: int = labelled("带动就业", "Jobs created", unit=("人", ""), counter=True, default=0)
    economic_benefit: float = labelled(
        "经济效益",
        "Economic benefit",
        unit=("万元", "10k yuan"),
        short=("效益(万元)", "Benefit"),
        default=0.0,
    )
    confirm_contact: str = ""
    confirm_satisfaction: int | None = None  # 1..5
    confirm_remark: str = ""
    confirm_sheet_sha256: str = ""
    review_status: str = ""
    review_opinion: str = ""
    gps_lat: float | None = None
    gps_lon: float | None = None
    # The served party's own confirmation: an unguessable capability made when the visit is saved,
    # printed as a QR code on the visit sheet and registered with the central store at push. The
    # server keeps only its hash; it never travels back to anyone.
    confirm_token: str = ""
    # Set by the server from the reviewer's decision: the signed sheet scan was accepted.
    confirm_sheet_accepted: bool = False
    project_id: str | None = None  # the 揭榜 project this visit serves

    def validate(self, today: date | None = None) -> list[Issue]:
        today = today or date.today()
        p = _Problems()
        p.required("target_id", self.target_id)
        p.required("visit_date", self.visit_date)
        if self.visit_date and self.visit_date > today:
            p.add("visit_date", "不能晚于今天", "cannot be in the future")
        times_ok = True
        for name in ("start_time", "end_time"):
            value = getattr(self, name)
            if not value:
                p.required(name, value)
                times_ok = False
            elif not _TIME.match(value):
                p.add(name, "时间格式应为 时:分，如 09:30", "must be a time like 09:30")
                times_ok = False
        if times_ok and self.end_time <= self.start_time:
            p.add("end_time", "结束时间应晚于开始时间", "must be after the start time")
        p.required("service_types", self.service_types)
        for code in self.service_types:
            p.code("service_types", code, SERVICE_TYPES)
        if len(self.content.strip()) < 5:
            p.add("content", "请填写服务内容（至少5个字）", "describe the service (at least 5 characters)")
        for name in VISIT_COUNTERS:
            p.in_range(name, getattr(self, name))
        p.in_range("economic_benefit", self.economic_benefit)
        if self.training_sessions > 0 and self.people_trained == 0:
            p.add(
                "people_trained",
                "举办了培训班，请填写培训人次",
                "training was held: enter the people trained",
            )
        if self.confirm_satisfaction is not None and not 1 <= self.confirm_satisfaction <= 5:
            p.add("confirm_satisfaction", "满意度应为1到5", "must be from 1 to 5")
        return p.items


# The visit counters (their headings, with units) in the order forms and documents show them.
VISIT_COUNTERS: dict[str, Message] = {
    f.name: f.metadata["label"].heading for f in labelled_fields(Visit) if f.metadata["counter"]
}
LABELS.update({f.name: f.metadata["label"].heading for f in labelled_fields(Visit)})


@dataclass
class TechnicalProblem(Record):
    """A technical problem (技术难题) and its life cycle."""

    __table__: ClassVar[str] = "problems"
    commissioner_id: str = ""
    target_id: str | None = None
    visit_id: str | None = None
    title: str = ""
    description: str = ""
    industry: str = ""
    source: str = "visit"
    demand_id: str | None = None
    urgency: str = "low"  # 一般 until the commissioner says otherwise
    status: str = "open"
    status_reason: str = ""
    raised_on: date | None = None
    solved_on: date | None = None
    project_id: str | None = None  # the 揭榜 project it belongs to

    def validate(self, solution_count: int = 0, today: date | None = None) -> list[Issue]:
        today = today or date.today()
        p = _Problems()
        p.required("title", self.title.strip())
        for name in ("raised_on", "solved_on"):
            when = getattr(self, name)
            if when is not None and when > today:
                p.add(name, "不能晚于今天", "cannot be in the future")
        p.code("status", self.status, PROBLEM_STATUSES)
        p.code("source", self.source, PROBLEM_SOURCES)
        p.code("urgency", self.urgency, URGENCIES)
        if self.status == "solved" and solution_count == 0:
            p.add(
                "status",
                "标记为已解决前须至少填写一个解决方案",
                "a problem is solved only with at least one solution",
            )
        if self.status in ("referred", "unresolved") and not self.status_reason.strip():
            p.add(
                "status_reason", "转交或暂无法解决时须说明原因", "say why it was referred or cannot be solved"
            )
        return p.items


@dataclass
class Solution(Record):
    """A solution (解决方案) given to a problem, usually on a visit."""

    __table__: ClassVar[str] = "solutions"
    problem_id: str = ""
    visit_id: str | None = None
    commissioner_id: str = ""
    description: str = ""
    technology: str = ""
    outcome: str = ""
    economic_benefit: float = field(
        default=0.0, metadata=Visit.__dataclass_fields__["economic_benefit"].metadata
    )
    confirmed: bool = False
    project_id: str | None = None  # the 揭榜 project it belongs to

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("problem_id", self.problem_id)
        if len(self.description.strip()) < 2:
            p.add("description", "请描述解决方案", "describe the solution")
        p.in_range("economic_benefit", self.economic_benefit)
        return p.items


@dataclass
class Attachment(Record):
    """Evidence linked to a record; the bytes live once on disk under their sha256."""

    __table__: ClassVar[str] = "attachments"
    sha256: str = ""
    owner_table: str = ""
    owner_id: str = ""
    kind: str = "photo"
    mime: str = ""
    size: int = 0
    original_name: str = ""
    taken_at: str = ""
    gps_lat: float | None = None
    gps_lon: float | None = None

    def validate(self) -> list[Issue]:
        p = _Problems()
        if self.size < 0:
            p.add("size", "文件大小不能为负数", "cannot be negative")
        name = self.original_name
        if name and (any(c in name for c in "/\\\x00") or not name.strip(". ")):
            p.add("original_name", "文件名不能含路径", "is a file's name, not a path")
        for name, limit in (("gps_lat", 90.0), ("gps_lon", 180.0)):
            value = getattr(self, name)
            if value is not None and not -limit <= value <= limit:
                p.add(name, "不是地球上的位置", "is not a place on earth")
        return p.items


@dataclass
class Review(Record):
    """A reviewer's decision (审核) on a record."""

    __table__: ClassVar[str] = "reviews"
    record_table: str = "visits"
    record_id: str = ""
    record_rev: int = 0
    decision: str = "approved"
    opinion: str = ""
    reviewer_id: str = ""
    reviewer_name: str = ""
    reviewed_at: str = field(default_factory=now_iso)
    sheet_accepted: bool = False  # the reviewer accepts the signed confirmation sheet scan
    # How far the reviewer's laptop had pulled when what they decided on was shown (the server's
    # change number): evidence of the record (its photos, signed sheet, problems, solutions, the
    # served party's answer) written after that is evidence the reviewer never saw, and an approval
    # is refused (0: not said, by older versions).
    evidence_seq: int = 0

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("record_id", self.record_id)
        p.code("decision", self.decision, REVIEW_DECISIONS)
        if self.decision == "returned" and not self.opinion.strip():
            p.add("opinion", "退回时须填写审核意见", "say why the record is returned")
        return p.items


@dataclass
class Demand(Record):
    """A technical demand the bureau publishes for commissioners to take up (揭榜)."""

    __table__: ClassVar[str] = "demands"
    title: str = ""
    description: str = ""
    industry: str = ""
    county: str = ""
    town: str = ""
    target_name: str = ""
    deadline: date | None = None
    status: str = "published"  # published / taken / closed
    published_by: str = ""
    taken_by: str | None = None
    problem_id: str | None = None

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("title", self.title.strip())
        p.required("description", self.description.strip())
        if len(self.target_name.strip()) > MAX_NAME:
            p.add(
                "target_name",
                f"服务对象名称不能超过 {MAX_NAME} 个字",
                f"the served party's name is at most {MAX_NAME} characters",
            )
        return p.items


# The served party's satisfaction, as the visit editor offers it and the printed sheet ticks it.
SATISFACTION_LEVELS: dict[int, Message] = {
    5: Message("非常满意", "Very satisfied"),
    4: Message("满意", "Satisfied"),
    3: Message("一般", "Fair"),
    2: Message("不满意", "Dissatisfied"),
    1: Message("很不满意", "Very dissatisfied"),
}

CONFIRMATION_DECISIONS: dict[str, Message] = {
    "confirmed": Message("情况属实", "Confirmed"),
    "disputed": Message("情况有误", "Something is wrong"),
}


@dataclass
class Confirmation(Record):
    """The served party's own confirmation of a visit (服务对象确认), made on the central store's
    page the visit sheet's QR code leads to; read-only for every application user."""

    __table__: ClassVar[str] = "confirmations"
    visit_id: str = ""
    decision: str = "confirmed"
    satisfaction: int | None = None  # 1..5
    comment: str = ""
    name: str = ""
    role: str = ""
    submitted_at: str = ""

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("visit_id", self.visit_id)
        p.code("decision", self.decision, CONFIRMATION_DECISIONS)
        if self.satisfaction is not None and not 1 <= self.satisfaction <= 5:
            p.add("confirm_satisfaction", "满意度应为1到5", "must be from 1 to 5")
        p.required("name", self.name.strip())
        return p.items


ASSESSMENT_GRADES = ("excellent", "good", "pass", "fail")


@dataclass
class AssessmentResult(Record):
    """A commissioner's official result of a year (正式结果), published by the bureau from the central
    store's complete data; id `<year>:<commissioner id>`. Only the bureau writes it."""

    __table__: ClassVar[str] = "assessment_results"
    year: int = 0
    commissioner_id: str = ""
    total: float = 0.0
    grade: str = "fail"
    grade_uncapped: str = "fail"
    parts: list[dict[str, object]] = field(default_factory=list)  # key, score
    figures: dict[str, object] = field(default_factory=dict)
    rules_title: str = ""
    population: int = 0
    published_at: str = ""
    published_by: str = ""

    def validate(self) -> list[Issue]:
        p = _Problems()
        if not 2000 <= self.year <= 2100:
            p.add("year", "年度不正确", "is not a valid year")
        p.required("commissioner_id", self.commissioner_id)
        for name in ("grade", "grade_uncapped"):
            if getattr(self, name) not in ASSESSMENT_GRADES:
                p.add(name, "等级不正确", "is not a valid grade")
        if not 0 <= self.total <= 100:
            p.add("total", "总分应在0到100之间", "must be from 0 to 100")
        return p.items


@dataclass
class AnnualSummary(Record):
    """The written annual summary (年度工作总结) a commissioner enters for the assessment."""

    __table__: ClassVar[str] = "annual_summaries"
    commissioner_id: str = ""
    year: int = 0
    text: str = ""

    def validate(self) -> list[Issue]:
        p = _Problems()
        if not 2000 <= self.year <= 2100:
            p.add("year", "年度不正确", "is not a valid year")
        return p.items


PROJECT_STATUSES: dict[str, Message] = {
    "published": Message("揭榜中", "Open for applications"),
    "awarded": Message("攻关中", "Awarded, in progress"),
    "accepted": Message("验收通过", "Accepted"),
    "failed": Message("验收未通过", "Failed acceptance"),
    "closed": Message("已撤销", "Withdrawn"),
}

ACCEPTANCE_RESULTS: dict[str, Message] = {
    "": Message("未验收", "Not yet"),
    "passed": Message("通过", "Passed"),
    "failed": Message("不通过", "Failed"),
}

APPLICATION_STATUSES: dict[str, Message] = {
    "submitted": Message("已申请", "Submitted"),
    "awarded": Message("中榜", "Awarded"),
    "not_chosen": Message("未入选", "Not chosen"),
}


@dataclass
class ProjectRecord(Record):
    """A 揭榜挂帅 project: a demand the bureau publishes with a deadline, a budget and requirements,
    awards to one application, and finally accepts (验收) or fails. Only the bureau writes it."""

    __table__: ClassVar[str] = "projects"
    demand_id: str | None = None
    title: str = ""
    description: str = ""
    requirements: str = ""
    industry: str = ""
    county: str = ""
    budget: float = 0.0  # 万元
    deadline: date | None = None  # the last day to apply
    status: str = "published"
    awarded_application_id: str | None = None
    awarded_commissioner_id: str | None = None  # set by the central store from the application
    awarded_team_id: str | None = None
    acceptance: str = ""  # '' / passed / failed
    acceptance_opinion: str = ""
    accepted_on: date | None = None
    published_by: str = ""

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("title", self.title.strip())
        p.required("requirements", self.requirements.strip())
        p.required("deadline", self.deadline)
        p.in_range("budget", self.budget)
        p.code("status", self.status, PROJECT_STATUSES)
        p.code("acceptance", self.acceptance, ACCEPTANCE_RESULTS)
        if self.status in ("awarded", "accepted", "failed") and not self.awarded_application_id:
            p.add("awarded_application_id", "须先选定中榜申请", "an application must be awarded first")
        if self.acceptance and not self.acceptance_opinion.strip():
            p.add("acceptance_opinion", "验收须填写意见", "acceptance needs an opinion")
        if self.acceptance and self.accepted_on is None:
            p.add("acceptance", "验收须填写日期", "acceptance needs a date")
        expected = {"passed": "accepted", "failed": "failed"}.get(self.acceptance)
        if expected and self.status != expected:
            p.add("status", "状态与验收结论不一致", "does not match the acceptance result")
        return p.items


@dataclass
class ProjectApplication(Record):
    """A commissioner's (or, through its member, a team's) application to a 揭榜 project: a short
    plan. One per applicant and project; the bureau sets its status when it awards the project."""

    __table__: ClassVar[str] = "project_applications"
    project_id: str = ""
    commissioner_id: str = ""
    team_id: str | None = None  # applying for the applicant's team (科技特派团)
    plan: str = ""
    status: str = "submitted"
    submitted_on: date | None = None

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("project_id", self.project_id)
        if len(self.plan.strip()) < 10:
            p.add("plan", "请填写攻关方案（至少10个字）", "write the plan (at least 10 characters)")
        p.code("status", self.status, APPLICATION_STATUSES)
        return p.items


@dataclass
class ProjectMilestone(Record):
    """A milestone the awarded side sets for its 揭榜 project, with evidence when done."""

    __table__: ClassVar[str] = "project_milestones"
    project_id: str = ""
    commissioner_id: str = ""
    title: str = ""
    due_date: date | None = None
    done: bool = False
    done_on: date | None = None
    evidence: str = ""  # what shows it is done; files are attachments of the milestone

    def validate(self) -> list[Issue]:
        p = _Problems()
        p.required("project_id", self.project_id)
        p.required("title", self.title.strip())
        p.required("due_date", self.due_date)
        if self.done and not self.evidence.strip():
            p.add("evidence", "完成的节点须说明佐证", "a milestone marked done needs its evidence")
        return p.items


ACHIEVEMENT_KINDS: dict[str, Message] = {
    "technology": Message("技术", "Technology"),
    "variety": Message("品种", "Variety"),
    "product": Message("产品", "Product"),
    "patent": Message("专利", "Patent"),
}

TRANSFER_MODES: dict[str, Message] = {
    "transfer": Message("转让", "Transfer"),
    "license": Message("许可", "Licence"),
}


@dataclass
class Achievement(Record):
    """An achievement transferred or licensed to a served party (成果转化) under a technology
    contract (技术合同). Reviewed like a visit; only approved ones count."""

    __table__: ClassVar[str] = "achievements"
    commissioner_id: str = ""
    title: str = ""
    kind: str = "technology"
    mode: str = "transfer"
    contract_no: str = ""
    contract_value: float = 0.0  # 万元: the 技术交易额 it adds
    contract_date: date | None = None
    transferor: str = ""
    transferee: str = ""
    target_id: str | None = None
    visit_ids: list[str] = field(default_factory=list)
    problem_ids: list[str] = field(default_factory=list)
    project_id: str | None = None
    note: str = ""
    review_status: str = ""
    review_opinion: str = ""

    def validate(self, today: date | None = None) -> list[Issue]:
        p = _Problems()
        p.required("title", self.title.strip())
        p.code("kind", self.kind, ACHIEVEMENT_KINDS)
        p.code("mode", self.mode, TRANSFER_MODES)
        p.required("contract_no", self.contract_no.strip())
        if len(self.contract_no) > 60:
            p.add("contract_no", "合同编号过长", "is too long")
        p.required("contract_date", self.contract_date)
        if self.contract_date and today and self.contract_date > today:
            p.add("contract_date", "不能晚于今天", "cannot be in the future")
        p.in_range("contract_value", self.contract_value)
        p.required("transferor", self.transferor.strip())
        p.required("transferee", self.transferee.strip())
        return p.items


# How a contract number is written differently for the same contract: separators (spaces of every
# kind, dashes and minus signs, _ / . · ~), brackets (〔2026〕, (2026), [2026], 【2026】) and characters
# a copy brings along unseen (zero-width spaces, direction marks, soft hyphens). NFKC makes full-width
# forms plain first.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")
_SEPARATORS = re.compile(r"[\s\-_/.\u00b7\u2010-\u2015\u2043\u2212\u30fb\u30fc\ufe58\ufe63~\uff5e]+")
# Brackets of every kind: the year of 江科合〔2026〕7号 is written (2026), [2026] or without them.
_BRACKETS = re.compile(r"[()\[\]\u3014\u3015\u3010\u3011\u3016\u3017{}<>\u3008\u3009\u300a\u300b]")
_DIGITS = "0123456789"
# 第 before a number and 号 after it (at the end): 江科合〔2026〕第7号 is 江科合〔2026〕7.
_ORDINAL = re.compile(r"第(?=\s*\d)|(?<=\d)\s*号\s*$")


def contract_key(number: str | None) -> str:
    """A technology contract's number as compared: full-width letters and digits as ASCII (NFKC),
    upper case, brackets and separators dropped, except between two groups of digits when one of
    them has only one or two digits: there a run of them is one "-" (it tells 1-07 from 10-7, and
    November's 11-234 from January's 1-1234). Two groups of three digits or more are parts of one
    fixed-width number (2026-007, 440703 000123), written with or without the separator.
    "ＨＴ－２０２６－００７", "ht 2026—007", "HT-2026-007" and "HT2026007" are one contract, and
    江科合〔2026〕7号 is 江科合(2026)第7号; "HT-2026-1-07" and "HT-2026-10-7" are two."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", number or ""))
    text = _ORDINAL.sub("", text)  # 第7号, 7号 and 7 are one number
    key, before = "", 0  # `before`: the digits that end the group before the separator
    for part in _SEPARATORS.split(_BRACKETS.sub(" ", text)):
        if not part:
            continue
        after = len(part) - len(part.lstrip(_DIGITS))
        if key[-1:].isdigit() and after and (before < 3 or after < 3):
            key += "-"
        key += part
        before = len(part) - len(part.rstrip(_DIGITS))
    return key.upper()


# What a bonus (加分项) or an exemplar (先进典型) is about.
GROUP_KINDS: dict[str, Message] = {
    "team": Message("科技特派团", "Team"),
    "workstation": Message("科技特派员工作站", "Workstation"),
}
EXEMPLAR_KINDS: dict[str, Message] = {
    "commissioner": Message("科技特派员", "Commissioner"),
    **GROUP_KINDS,
}
BONUS_STATUSES: dict[str, Message] = {
    "pending": Message("待审核", "Pending"),
    "approved": Message("已通过", "Approved"),
    "rejected": Message("未通过", "Rejected"),
}
MAX_BONUS_POINTS = 20.0  # one bonus item; the rules cap the sum per team or workstation


@dataclass
class BonusPoint(Record):
    """A bonus (加分项) for a team or workstation in a year's assessment: points with a reason and
    evidence, entered by the bureau (or a county's workstation manager for their own group) and
    counted only once the bureau approved it; the rules cap the sum."""

    __table__: ClassVar[str] = "bonus_points"
    year: int = 0
    subject_kind: str = "team"  # GROUP_KINDS
    subject_id: str = ""
    points: float = 0.0
    reason: str = ""
    evidence: str = ""  # what proves it: a document number, an award, a news item
    status: str = "pending"  # BONUS_STATUSES; only the bureau sets approved / rejected
    review_opinion: str = ""
    entered_by: str = ""
    reviewed_by: str = ""
    reviewed_at: str = ""

    def validate(self) -> list[Issue]:
        p = _Problems()
        if not 2000 <= self.year <= 2100:
            p.add("year", "年度不正确", "is not a valid year")
        p.code("subject_kind", self.subject_kind, GROUP_KINDS)
        p.required("subject_id", self.subject_id)
        if not 0 < self.points <= MAX_BONUS_POINTS:
            p.add(
                "points",
                f"加分应大于0且不超过{MAX_BONUS_POINTS:g}分",
                f"must be above 0 and at most {MAX_BONUS_POINTS:g}",
            )
        p.required("reason", self.reason.strip())
        p.required("evidence", self.evidence.strip())
        p.code("status", self.status, BONUS_STATUSES)
        if self.status == "rejected" and not self.review_opinion.strip():
            p.add("review_opinion", "不予通过时须填写意见", "say why it is rejected")
        return p.items


@dataclass
class Exemplar(Record):
    """A 先进典型 the bureau names for a year from the published results, with a citation (事迹)."""

    __table__: ClassVar[str] = "exemplars"
    year: int = 0
    subject_kind: str = "commissioner"  # EXEMPLAR_KINDS
    subject_id: str = ""
    title: str = ""  # the honour, e.g. 优秀科技特派员
    citation: str = ""
    nominated_by: str = ""
    nominated_at: str = ""

    def validate(self) -> list[Issue]:
        p = _Problems()
        if not 2000 <= self.year <= 2100:
            p.add("year", "年度不正确", "is not a valid year")
        p.code("subject_kind", self.subject_kind, EXEMPLAR_KINDS)
        p.required("subject_id", self.subject_id)
        p.required("title", self.title.strip())
        p.required("citation", self.citation.strip())
        return p.items


RECORD_TYPES: tuple[type[Record], ...] = (
    Commissioner,
    Team,
    Workstation,
    ServiceTarget,
    ServiceAgreement,
    Visit,
    TechnicalProblem,
    Solution,
    Attachment,
    Review,
    Demand,
    AnnualSummary,
    Confirmation,
    AssessmentResult,
    ProjectRecord,
    ProjectApplication,
    ProjectMilestone,
    Achievement,
    BonusPoint,
    Exemplar,
)
TABLES: dict[str, type[Record]] = {cls.__table__: cls for cls in RECORD_TYPES}


# What an agreement may set a target for: visits and service days, three counters of a visit (named
# as the visit names them), problems solved.
AGREED_TARGETS: dict[str, Message] = {
    "service_days": Message("服务天数", "Service days"),
    "visits": Message("服务次数", "Visits"),
    **{
        key: field_label(Visit, key).name
        for key in ("training_sessions", "people_trained", "techniques_promoted")
    },
    "problems_solved": Message("解决难题", "Problems solved"),
}


def signed_terms_refusal(signed: ServiceAgreement, after: ServiceAgreement | None) -> Message | None:
    """Why a change of an agreement its parties signed is refused (None when it is not): its agreed
    targets and its period are what the three parties signed, and what the team's 服务协议完成率 is
    measured against. By its owner's hand alone, an agreement of 100 visits cleared of its targets
    and marked 已完成 counted as completed; moved past the year's end, or deleted, it was no longer
    due; pointed at another served party (or joined by a busy colleague) its visits there counted.
    Raising a target, a mid-term check, completing or terminating it stay possible. `after`: None
    when it is deleted."""
    if signed.status == "draft":
        return None
    if after is None:
        return Message(
            "已签订的服务协议不能删除；协议提前终止的，请将状态改为“已终止”",
            "a signed service agreement cannot be deleted; if it ended early, set its status to Terminated",
        )
    if after.status == "draft":
        return Message("已签订的服务协议不能改回草稿", "a signed service agreement cannot go back to draft")
    lowered = [k for k, v in signed.agreed.items() if v > 0 and float(after.agreed.get(k) or 0) < v]
    if lowered:
        names = [AGREED_TARGETS[k] if k in AGREED_TARGETS else Message(k, k) for k in lowered]
        return Message(
            f"已签订的服务协议不能降低或取消约定指标（{'、'.join(n.zh for n in names)}）；"
            "如需调整，请另签新的服务协议",
            f"the agreed targets of a signed service agreement cannot be lowered or removed "
            f"({', '.join(n.en for n in names)}); sign a new agreement to change them",
        )
    if after.target_id != signed.target_id:
        return Message(
            "已签订的服务协议不能更换服务对象；如需服务其他单位，请另签新的服务协议",
            "the served party of a signed service agreement cannot be changed; sign a new agreement "
            "for another one",
        )
    if set(after.co_commissioner_ids) - set(signed.co_commissioner_ids):
        return Message(
            "已签订的服务协议不能增加共同服务的科技特派员；如需调整，请另签新的服务协议",
            "commissioners cannot be added to a signed service agreement; sign a new agreement to "
            "change who serves",
        )
    if (after.start_date, after.end_date) != (signed.start_date, signed.end_date):
        return Message(
            "已签订的服务协议不能更改起止日期；如需延期，请另签新的服务协议",
            "the period of a signed service agreement cannot be changed; sign a new agreement to extend it",
        )
    return None
