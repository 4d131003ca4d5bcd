"""The bureau's administration from the desktop and the command line (Qt-free network operations;
the GUI runs them on the network lane). Each talks to sync/server/admin.py as the logged-in bureau.

The server is the one that decides (role, scope, every value); what comes back is still checked
before it is shown or written to a file: one-time codes and user names must look like them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from commissioner_app.collation import zh_key
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.roster import Roster, read_roster, write_slips_pdf, write_slips_xlsx
from commissioner_app.store import Store
from sync import credentials, session
from sync.errors import RefusedError

CODE_RE = re.compile(r"^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\Z")


def _client(store: Store) -> Any:
    user = session.user_info(store)
    if not user or user.get("role") != "bureau":
        raise CommissionerError(
            Message(
                "只有市科技局账户可以管理账号和名册；请先以市科技局账户登录。",
                "Only a bureau account administers accounts and rosters; log in as the bureau first.",
            )
        )
    return session.open_client(store)


def server_url(store: Store) -> str:
    return store.get_meta(credentials.META_SERVER) or ""


def list_accounts(store: Store) -> list[dict[str, Any]]:
    return list(_client(store).admin("GET", "accounts"))


def create_account(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    answer = dict(_client(store).admin("POST", "accounts", body, once=True))
    _check_code(answer["one_time_code"])
    return answer


def change_account(store: Store, account_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return dict(_client(store).admin("PATCH", f"accounts/{_id(account_id)}", body))


def disable_account(store: Store, account_id: str, reason: str) -> dict[str, Any]:
    return dict(_client(store).admin("POST", f"accounts/{_id(account_id)}/disable", {"reason": reason}))


def enable_account(store: Store, account_id: str) -> dict[str, Any]:
    return dict(_client(store).admin("POST", f"accounts/{_id(account_id)}/enable", {}))


def reset_password(store: Store, account_id: str) -> dict[str, Any]:
    answer = dict(_client(store).admin("POST", f"accounts/{_id(account_id)}/reset-password", {}, once=True))
    _check_code(answer["one_time_code"])
    return answer


def memberships(store: Store, account_id: str) -> list[dict[str, Any]]:
    return list(_client(store).admin("GET", f"accounts/{_id(account_id)}/memberships"))


def put_team(store: Store, team_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return dict(_client(store).admin("PUT", f"teams/{_id(team_id)}", body))


def put_workstation(store: Store, station_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return dict(_client(store).admin("PUT", f"workstations/{_id(station_id)}", body))


def _id(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", value or ""):
        raise CommissionerError(Message("编号无效", "Not a valid id"))
    return value


def _check_code(code: Any) -> None:
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise CommissionerError(
            Message("服务器返回的一次性密码格式不正确", "The server's one-time code does not look like one")
        )


# --- roster ---------------------------------------------------------------------------------------


def roster_check(store: Store, path: Path) -> tuple[Roster, dict[str, Any]]:
    """The dry run: the file's rows and the server's list of problems; nothing is written."""
    roster = read_roster(path)
    client = _client(store)
    return roster, dict(client.admin("POST", "roster/check", {"rows": roster.rows}))


def slip_paths(folder: Path) -> tuple[Path, Path]:
    """Where a batch's slips go: 账号通知.pdf/.xlsx, or the first -2, -3 … pair not there yet. The
    one-time passwords exist nowhere else, so an earlier batch's files are never replaced."""
    n = 1
    while True:
        stem = "账号通知" if n == 1 else f"账号通知-{n}"
        pdf, xlsx = folder / f"{stem}.pdf", folder / f"{stem}.xlsx"
        if not pdf.exists() and not xlsx.exists():
            return pdf, xlsx
        n += 1


def roster_import(store: Store, path: Path, slips_dir: Path) -> dict[str, Any]:
    """Import the roster (all or, when the server finds an error, nothing) and write the account
    slips (账号通知.pdf and 账号通知.xlsx) into `slips_dir`. The answer has `problems` when refused."""
    roster = read_roster(path)
    slips_dir.mkdir(parents=True, exist_ok=True)
    client = _client(store)
    try:
        answer = dict(client.admin("POST", "roster/import", {"rows": roster.rows}, once=True))
    except RefusedError as exc:
        if exc.error == "roster_problems":
            return {"imported": 0, "problems": exc.body.get("problems", []), "letters": roster.letters}
        raise
    accounts = answer["accounts"]
    for a in accounts:
        _check_code(a.get("one_time_code"))
        if not isinstance(a.get("username"), str) or not re.fullmatch(r"[0-9]{11}", a["username"]):
            raise CommissionerError(
                Message("服务器返回的用户名格式不正确", "The server's user names look wrong")
            )
    url = server_url(store)
    pdf, xlsx = slip_paths(slips_dir)
    # The codes exist nowhere else: the spreadsheet first (fast, and enough to hand them out).
    write_slips_xlsx(xlsx, accounts, url)
    write_slips_pdf(pdf, accounts, url, str(answer.get("code_expires_at") or ""))
    return {
        "imported": len(accounts),
        "accounts": accounts,
        "teams_created": answer.get("teams_created", []),
        "workstations_created": answer.get("workstations_created", []),
        "pdf": str(pdf),
        "xlsx": str(xlsx),
        "problems": [],
        "letters": roster.letters,
    }


def local_organisation(store: Store) -> dict[str, Any]:
    """The teams and workstations this computer has pulled, and the counties of the reference data
    (what the bureau's screens offer to choose from)."""
    from commissioner_app.domain import Team, Workstation
    from commissioner_app.reference import reference

    return {
        "teams": sorted(store.all(Team), key=lambda t: zh_key(t.name)),
        "workstations": sorted(store.all(Workstation), key=lambda w: zh_key(w.name)),
        "counties": [c.name_zh for c in reference(store, "county")],
    }
