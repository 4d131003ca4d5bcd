"""What the logged-in user's role adds to the window: the review and team views for a workstation
manager / team leader, the bureau's views for the bureau, the assessment for everyone.

The role comes from the account this data directory syncs with (meta "sync_user", written by
sync.session.login); without a login the user is a commissioner. A role view is added to the rail
the first time the role needs it and hidden (not destroyed) when a later login has another role.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from commissioner_app.domain import Commissioner
from commissioner_app.ops.session import ROLES, session_role, session_user
from commissioner_app.review import CountyReviewer

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.main_window import MainWindow

log = logging.getLogger("commissioner.ui.roles")

ALL = ROLES


def user_info(context: AppContext) -> dict[str, Any] | None:
    return session_user(context.reader)


def current_role(context: AppContext) -> str:
    """ "commissioner", "manager", "bureau" or "county"; "commissioner" when not logged in."""
    return session_role(context.reader)


def records_visits(context: AppContext) -> bool:
    """Whether this account records visits: a commissioner's or a manager's (the central store takes
    no visit from the bureau or a county bureau, whose laptop kept one it could never send)."""
    return current_role(context) in ("commissioner", "manager")


def reviewer(context: AppContext) -> Commissioner | None:
    """The logged-in manager as a reviewer: their commissioner record, with the team and workstation
    the server gave the account (the server decides what a manager may review); None for other roles."""
    info = user_info(context) or {}
    if info.get("role") == "county":
        # The server records a county bureau's decisions under its account id.
        return CountyReviewer(
            id=str(info.get("id") or ""), name=info.get("display_name") or info.get("username") or ""
        )
    if info.get("role") != "manager":
        return None
    commissioner_id = info.get("commissioner_id") or ""
    record = context.reader.get(Commissioner, commissioner_id) if commissioner_id else None
    if record is None:
        record = Commissioner(
            id=commissioner_id or f"user-{info.get('id', '')}",
            name=info.get("display_name") or info.get("username") or "",
            username=info.get("username") or "",
        )
    record.team_id = info.get("team_id") or record.team_id
    record.workstation_id = info.get("workstation_id") or record.workstation_id
    return record


@dataclass(frozen=True)
class RoleView:
    key: str
    module: str  # imported when the view is first needed, so the start stays fast
    widget_class: str
    title: Callable[[], str]
    roles: tuple[str, ...]
    county_title: Callable[[], str] | None = None  # its title for a county bureau, when not the city's


# The views roles add, in rail order (before 同步). Append a line for a new view.
ROLE_VIEWS: list[RoleView] = [
    RoleView(
        "review",
        "ui.views.review",
        "ReviewView",
        lambda: QCoreApplication.translate("roles", "审核"),
        ("manager", "county"),
    ),
    RoleView(
        "team", "ui.views.team", "TeamView", lambda: QCoreApplication.translate("roles", "团队"), ("manager",)
    ),
    RoleView(
        "assessment",
        "ui.views.assessment",
        "AssessmentView",
        lambda: QCoreApplication.translate("roles", "考核"),
        ALL,
    ),
    RoleView(
        "city",
        "ui.views.city",
        "CityView",
        lambda: QCoreApplication.translate("roles", "全市概况"),
        ("bureau", "county"),  # a county bureau: its county's (the server sends only those)
        lambda: QCoreApplication.translate("roles", "县域概况"),
    ),
    RoleView(
        "assessment_run",
        "ui.views.assessment_run",
        "AssessmentRunView",
        lambda: QCoreApplication.translate("roles", "年度考核"),
        ("bureau", "county"),
    ),
    RoleView(
        "group_assessment",
        "ui.views.group_assessment",
        "GroupAssessmentView",
        lambda: QCoreApplication.translate("roles", "团队考核"),
        ("manager",),  # the bureau's is a tab of 年度考核
    ),
    RoleView(
        "reference",
        "ui.views.reference",
        "ReferenceView",
        lambda: QCoreApplication.translate("roles", "基础数据"),
        ("bureau",),
    ),
    RoleView(
        "organisation",
        "ui.views.organisation",
        "OrganisationView",
        lambda: QCoreApplication.translate("roles", "组织与账号"),
        ("bureau",),
    ),
    RoleView(
        "audit",
        "ui.views.audit",
        "AuditView",
        lambda: QCoreApplication.translate("roles", "操作日志"),
        ("bureau", "county"),
    ),
    RoleView(
        "demands",
        "ui.views.demands",
        "DemandsView",
        lambda: QCoreApplication.translate("roles", "技术需求"),
        ALL,
    ),
    RoleView(
        "projects",
        "ui.views.projects",
        "ProjectsView",
        lambda: QCoreApplication.translate("roles", "揭榜与成果"),
        ALL,
    ),
]


class RoleWatcher(QObject):
    """Notices a change of role (a login with another account) and tells the views."""

    role_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self.role = current_role(context)
        # A login writes the meta table; the sync view then reports changed records.
        context.operation_did_execute.connect(lambda _changes: self.check())

    def check(self) -> None:
        role = current_role(self.context)
        if role != self.role:
            log.info("role changed from %s to %s", self.role, role)
            self.role = role
            self.role_changed.emit(role)


def watcher(context: AppContext) -> RoleWatcher:
    """The context's one RoleWatcher (made on first use)."""
    found = getattr(context, "_role_watcher", None)
    if found is None:
        found = RoleWatcher(context, context)
        context._role_watcher = found  # type: ignore[attr-defined]
    return found


def add_role_views(window: MainWindow) -> None:
    """Called once by the main window after its standard views (at each change of role after, its
    _role_changed applies the new role's)."""
    apply_role_views(window, watcher(window.context).role)


def apply_role_views(window: MainWindow, role: str) -> None:
    for position, spec in enumerate(ROLE_VIEWS):
        wanted = role in spec.roles
        if wanted and spec.key not in window.views:
            module = importlib.import_module(spec.module)
            widget = getattr(module, spec.widget_class)(window.context, window)
            # The rail keeps ROLE_VIEWS' order whichever role added a view first, so that the
            # order (and Ctrl+1…9) is the same after a login as after a restart.
            later = [s.key for s in ROLE_VIEWS[position + 1 :] if s.key in window.views]
            window.add_view(spec.key, widget, _title(window, spec), before=later[0] if later else "sync")
    for spec in ROLE_VIEWS:
        if spec.key in window.views:
            window.set_view_hidden(spec.key, role not in spec.roles)
    window.retranslate()  # a title that depends on the role (全市概况 / 县域概况)


def _title(window: MainWindow, spec: RoleView) -> Callable[[], str]:
    county_title = spec.county_title
    if county_title is None:
        return spec.title
    return lambda: county_title() if current_role(window.context) == "county" else spec.title()
