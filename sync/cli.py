"""Sync subcommands: login, logout, sync, conflicts.

Exit codes of `commissioner sync`: 0 all done; 1 done, but records need attention (conflicts or
rejections); 3 offline; 4 not logged in, login expired, or a plain-http server not allowed at
login; 5 refused by the server; 6 this version is too old for the server; 7 server failure;
8 this computer's disk is full; 9 the local database is in use by another program (locked);
10 the server's disk is full; 130 cancelled.
"""

from __future__ import annotations

import argparse
import gc
import getpass
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO

from commissioner_app.cli import data_dir_of, t
from commissioner_app.cli.core import KIND_LABELS, open_store
from commissioner_app.domain import ACCOUNT_ROLES, short_id
from commissioner_app.errors import CommissionerError, DatabaseFullError, DatabaseLockedError, StoreError
from commissioner_app.i18n import Message
from commissioner_app.store import Store
from sync import session
from sync.client import is_secure, normalise_url, require_secure
from sync.conflicts import display_value, list_conflicts, resolve
from sync.credentials import FILE_WARNING, NO_KEYRING, keyring_available
from sync.engine import SyncEngine, SyncProgress
from sync.errors import (
    INSECURE_WARNING,
    AuthExpiredError,
    ConflictError,
    DataDirectoryTakenError,
    InsecureServerError,
    OfflineError,
    PasswordChangeRequiredError,
    ProtocolTooOldError,
    RefusedError,
    ServerError,
    ServerFullError,
    SyncBusyError,
    SyncError,
)
from sync.ops import keep_report

EXIT_ATTENTION = 1
EXIT_DISK_FULL = 8
EXIT_LOCKED = 9
EXIT_SERVER_FULL = 10
EXIT_CODES: dict[type[SyncError], int] = {
    OfflineError: 3,
    AuthExpiredError: 4,
    InsecureServerError: 4,
    RefusedError: 5,
    ConflictError: 5,
    ProtocolTooOldError: 6,
    ServerFullError: EXIT_SERVER_FULL,  # before ServerError, of which it is one
    SyncBusyError: EXIT_LOCKED,
    ServerError: 7,
}
STORE_EXIT_CODES: dict[type[StoreError], int] = {
    DatabaseFullError: EXIT_DISK_FULL,
    DatabaseLockedError: EXIT_LOCKED,
}


def register(sub: Any) -> None:
    p = sub.add_parser("login", help=t("登录同步服务器", "log in to the sync server"))
    p.add_argument("--server", required=True, help=t("服务器网址", "server URL"))
    p.add_argument("--user", required=True, help=t("用户名", "username"))
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=t("从标准输入读取密码", "read the password from standard input"),
    )
    p.add_argument(
        "--insecure",
        action="store_true",
        help=t(
            "允许以不加密的 http 连接非本机服务器（仅用于测试服务器；密码和凭据将以明文传输）",
            "allow plain http to a server that is not this computer (test servers only: the password "
            "and token travel in clear text)",
        ),
    )
    p.add_argument(
        "--token-file",
        action="store_true",
        help=t(
            "没有系统密钥环时，将凭据保存在仅本账户可读的文件中（安全性较低）",
            "without a system keyring, keep the token in a file readable only by you (less safe)",
        ),
    )
    p.add_argument(
        "--bind",
        action="store_true",
        help=t(
            "把本机离线填写、尚未同步的资料和记录并入该账户（该账户在服务器上已有记录时）",
            "bind the profile and records typed offline here (never synced) to the account, "
            "when the account already has records on the server",
        ),
    )
    p.add_argument(
        "--ca-file",
        metavar="PEM",
        help=t(
            "科技局自己的 CA 证书文件（PEM）；用它而不是系统证书库验证服务器，本次登录后的每次同步都使用",
            "the bureau's own CA certificate (PEM): the server's certificate is checked against it "
            "instead of the system's, for this login and every sync after it",
        ),
    )
    p.set_defaults(func=cmd_login)

    p = sub.add_parser("logout", help=t("退出登录并撤销凭据", "log out and revoke the token"))
    p.set_defaults(func=cmd_logout)

    p = sub.add_parser("sync", help=t("与服务器同步", "sync with the server"))
    p.add_argument("--quiet", action="store_true", help=t("不显示进度", "no progress lines"))
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=60.0,
        help=t("每个请求的超时（秒）", "timeout of each request (s)"),
    )
    p.add_argument("--json", action="store_true", help=t("以 JSON 输出结果", "print the result as JSON"))
    p.add_argument(
        "--batch-size",
        type=int,
        default=500,
        help=t("每批发送的记录数（网络差时可调小）", "records per push batch (smaller on a weak link)"),
    )
    p.add_argument(
        "--page-size",
        type=int,
        default=2000,
        help=t("每页接收的记录数（网络差时可调小）", "records per pull page (smaller on a weak link)"),
    )
    p.set_defaults(func=cmd_sync, exit_at_once=True)

    p = sub.add_parser("conflicts", help=t("列出并处理同步冲突", "list and resolve sync conflicts"))
    p.add_argument(
        "--resolve", type=int, metavar="ID", help=t("要处理的冲突编号", "number of the conflict to resolve")
    )
    p.add_argument(
        "--keep",
        choices=["local", "server"],
        help=t("保留本机或服务器的值", "keep the local or the server's value"),
    )
    p.add_argument("--json", action="store_true", help=t("以 JSON 输出", "print JSON"))
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser(
        "publish",
        help=t(
            "发布年度考核正式结果（市科技局；先同步，发布后再同步）",
            "publish the year's official assessment results (bureau; sync before and after)",
        ),
    )
    p.add_argument("--year", type=int, required=True, help=t("考核年度", "assessment year"))
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser(
        "deactivate",
        help=t(
            "停用科技特派员（市科技局；保留其服务期间的考核）",
            "deactivate a commissioner (bureau; they stay in the periods they served)",
        ),
    )
    p.add_argument("commissioner_id", metavar="ID", help=t("特派员编号", "the commissioner's id"))
    p.add_argument(
        "--on", required=True, help=t("最后服务日期 YYYY-MM-DD", "last day of service, YYYY-MM-DD")
    )
    p.add_argument("--reason", required=True, help=t("停用原因", "why"))
    p.set_defaults(func=cmd_deactivate)

    p = sub.add_parser("roster", help=t("科技特派员名册（市科技局）", "the commissioners' roster (bureau)"))
    roster = p.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    p = roster.add_parser(
        "import",
        help=t(
            "从 Excel 名册创建账号并生成账号通知（先用 --dry-run 检查）",
            "create accounts from the Excel roster and write the account slips (check with --dry-run first)",
        ),
    )
    p.add_argument("file", metavar="FILE.xlsx", help=t("名册文件", "the roster file"))
    p.add_argument(
        "--dry-run",
        action="store_true",
        help=t("只检查并列出问题，不写入任何内容", "only check and list the problems; write nothing"),
    )
    p.add_argument(
        "--slips",
        metavar="DIR",
        help=t("账号通知（PDF 和 Excel）保存到的文件夹", "the folder for the account slips (PDF and Excel)"),
    )
    p.set_defaults(func=cmd_roster_import)


def cmd_login(args: argparse.Namespace) -> int:
    store = open_store(args, must_exist=False)
    url = normalise_url(args.server)
    if not args.user.strip():
        raise CommissionerError(Message("未输入用户名（--user）", "No user name given (--user)"))
    if not is_secure(url):
        require_secure(url, args.insecure)  # refused before a password is asked for
        print(INSECURE_WARNING.text(), file=sys.stderr)
    if not args.token_file and not keyring_available():
        raise CommissionerError(NO_KEYRING)
    if args.ca_file:
        session.read_ca_file(args.ca_file)  # a wrong file is said before the password is asked
    piped = args.password_stdin or not sys.stdin.isatty()
    if piped:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(t("密码：", "Password: "))
    if not password:
        raise CommissionerError(Message("未输入密码", "No password given"))
    options: dict[str, Any] = {
        "use_file": args.token_file,
        "allow_insecure": args.insecure,
        "bind": args.bind,
        "ca_file": args.ca_file,
    }
    try:
        try:
            user, storage = session.login(store, args.server, args.user, password, **options)
        except PasswordChangeRequiredError as exc:
            # A one-time code from the bureau: the user's own password replaces it (from the next
            # line of standard input, or asked twice), and that logs in.
            print(exc.text(), file=sys.stderr)
            new_password = _new_password(piped)
            user, storage = session.login(
                store, args.server, args.user, password, new_password=new_password, **options
            )
    except DataDirectoryTakenError as exc:
        hint = (
            Message(
                "要并入，请加 --bind 再登录；或用 --data-dir 另选数据目录。",
                "To bind them, log in again with --bind; or choose another data directory with --data-dir.",
            )
            if exc.can_bind
            else Message(
                "请用 --data-dir 为该账户另选数据目录。",
                "Choose another data directory for the account with --data-dir.",
            )
        )
        raise CommissionerError(
            Message(f"{exc.text('zh_CN')}{hint.zh}", f"{exc.text('en')} {hint.en}")
        ) from None
    role = ACCOUNT_ROLES.get(user["role"], Message(str(user["role"]), str(user["role"])))
    print(
        t(
            f"已登录：{user.get('display_name') or user['username']}（{role.zh}）",
            f"Logged in as {user.get('display_name') or user['username']} ({role.en})",
        )
    )
    if storage == "file":
        print(FILE_WARNING.text(), file=sys.stderr)
    return 0


def cmd_roster_import(args: argparse.Namespace) -> int:
    """Exit 0 when imported (or, with --dry-run, when the roster has no errors); 1 when it has errors:
    one line per problem (row, column, what), and nothing written."""
    from pathlib import Path

    from commissioner_app import i18n
    from commissioner_app.roster import problem_line
    from sync import admin_ops

    store = open_store(args)
    path = Path(args.file)
    lang = i18n.language()
    if args.dry_run:
        roster, answer = admin_ops.roster_check(store, path)
        for problem in answer["problems"]:
            print(problem_line(problem, roster.letters, lang))
        errors = int(answer["errors"])
        print(
            t(
                f"共 {answer['rows']} 行，{errors} 处错误；未写入任何内容。",
                f"{answer['rows']} rows, {errors} errors; nothing was written.",
            ),
            file=sys.stderr,
        )
        return EXIT_ATTENTION if errors else 0
    if not args.slips:
        raise CommissionerError(
            Message(
                "导入须用 --slips 指定账号通知的保存文件夹（一次性密码只显示这一次）",
                "An import needs --slips DIR for the account slips (the one-time codes are shown only once)",
            )
        )
    result = admin_ops.roster_import(store, path, Path(args.slips))
    if result["problems"]:
        for problem in result["problems"]:
            print(problem_line(problem, result["letters"], lang))
        print(
            t("名册有错误，未导入任何内容。", "The roster has errors; nothing was imported."), file=sys.stderr
        )
        return EXIT_ATTENTION
    print(
        t(
            f"已创建 {result['imported']} 个账号；账号通知：{result['pdf']}、{result['xlsx']}",
            f"Created {result['imported']} accounts; account slips: {result['pdf']}, {result['xlsx']}",
        )
    )
    return 0


def _new_password(piped: bool) -> str:
    if piped:
        new_password = sys.stdin.readline().rstrip("\r\n")
    else:
        new_password = getpass.getpass(t("新密码：", "New password: "))
        if getpass.getpass(t("再次输入新密码：", "New password again: ")) != new_password:
            raise CommissionerError(Message("两次输入的新密码不一致", "The new passwords differ"))
    if len(new_password) < 8:
        raise CommissionerError(
            Message(
                "新密码至少需要 8 个字符（从标准输入时写在一次性密码的下一行）",
                "The new password needs at least 8 characters (on the line after the code when piped)",
            )
        )
    return new_password


def _bureau(store: Store) -> dict[str, Any]:
    user = session.user_info(store)
    if not user or user.get("role") != "bureau":
        raise CommissionerError(
            Message(
                "只有市科技局账户可以这样做；请先以市科技局账户登录并同步。",
                "Only a bureau account may do this; log in as the bureau and sync first.",
            )
        )
    return user


def cmd_deactivate(args: argparse.Namespace) -> int:
    from datetime import date

    from commissioner_app.domain import Commissioner

    store = open_store(args)
    _bureau(store)
    try:
        last_day = date.fromisoformat(args.on)
    except ValueError:
        raise CommissionerError(
            Message(f"日期格式应为 YYYY-MM-DD：{args.on}", f"A date is written YYYY-MM-DD: {args.on}")
        ) from None
    person = store.require(Commissioner, args.commissioner_id)
    person.deactivated_on, person.deactivation_reason = last_day, args.reason.strip()
    store.save(person)
    print(
        t(
            f"已停用 {person.name}（最后服务日期 {last_day}），下次同步时发送。",
            f"Deactivated {person.name} (last day {last_day}); it goes out with the next sync.",
        )
    )
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from commissioner_app.assessment import publish

    store = open_store(args)
    user = _bureau(store)
    if not 2000 <= args.year <= 2100:
        raise CommissionerError(Message(f"年度不正确：{args.year}", f"Not a valid year: {args.year}"))
    n = publish(store, args.year, user.get("display_name") or user["username"])
    print(
        t(
            f"已发布 {args.year} 年度 {n} 名科技特派员的正式考核结果，下次同步时发送。",
            f"Published the {args.year} official results of {n} commissioners; "
            "they go out with the next sync.",
        )
    )
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    store = open_store(args)
    revoked = session.logout(store)
    print(t("已退出登录", "Logged out"))
    if not revoked:
        print(session.NOT_REVOKED.text(), file=sys.stderr)
    waiting = store.waiting_to_sync()
    if waiting:
        # Nothing is lost: they stay on this computer and go with the next sync after a login.
        print(
            t(
                f"本机还有 {waiting} 条记录未同步，仍保存在本机，重新登录后同步即可发送。",
                f"{waiting} records on this computer are not synced yet; they stay here and go with "
                "the next sync after you log in again.",
            ),
            file=sys.stderr,
        )
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        return _sync(args, store)
    finally:
        # Closed here, not left to the end of the process (which a sync skips: cli.run): its
        # write-ahead log is taken up into commissioner.db, so that a copy of that file alone, made
        # right after, holds what the sync wrote.
        store.close()


def _sync(args: argparse.Namespace, store: Store) -> int:
    try:
        client = session.open_client(store, read_timeout=args.timeout)
    except SyncError as exc:  # not logged in here: 4, as for a login that expired
        _say(t("同步失败：", "Sync failed: ") + exc.text(), sys.stderr)
        return _exit_code(exc)
    engine = SyncEngine(store, client, batch_size=max(1, args.batch_size), pull_limit=max(1, args.page_size))
    last: dict[str, Any] = {}

    def progress(p: SyncProgress) -> None:
        if args.quiet or args.json:
            return
        if (
            last.get("phase") == p.phase
            and p.done - last.get("done", 0) < max(1, p.total // 20)
            and p.phase != "done"
        ):
            return
        last.update(phase=p.phase, done=p.done)
        amount = f"{p.done}/{p.total}" if p.total else str(p.done)
        if p.phase == "upload":
            amount = (
                f"{-(-p.done // 1024)}/{-(-p.total // 1024)} KB"  # rounded up: a small file is not "0 KB"
            )
        _say(f"{p.label.text()} {amount}" if p.phase != "done" else p.label.text(), sys.stdout)

    cancel = threading.Event()
    try:
        with _collector_for_sync():
            report = engine.sync(progress=progress, cancel=cancel)
    except SyncError as exc:
        _say(t("同步失败：", "Sync failed: ") + exc.text(), sys.stderr)
        return _exit_code(exc)
    except (DatabaseFullError, DatabaseLockedError) as exc:
        # This computer's side: what was done is saved; the message says what to do.
        _say(t("同步失败：", "Sync failed: ") + exc.text(), sys.stderr)
        return next(code for cls, code in STORE_EXIT_CODES.items() if isinstance(exc, cls))
    except KeyboardInterrupt:
        _say(t("已取消；已完成的部分已保存", "Cancelled; what was done is saved"), sys.stderr)
        return 130
    # The application's sync page shows it too (it notices a sync run outside it: ui/sync_control.py).
    keep_report(store, report, [])
    open_conflicts = len(list_conflicts(store))
    rejected = _rejected_count(store)
    if args.json:
        text = json.dumps(
            {
                "accepted": report.accepted,
                "merged": report.merged,
                "conflicts": report.conflicts,
                "rejected": report.rejected,
                "pulled": report.pulled,
                "kept_local": report.kept_local,
                "deleted": report.deleted,
                "attachments_uploaded": report.attachments_uploaded,
                "bytes_uploaded": report.bytes_uploaded,
                "requests": report.requests,
                "seconds": round(report.seconds, 3),
                "problems": [m.text() for m in report.problems],
                # What waits for a person, this sync's and earlier ones': the open conflicts, and the
                # refused records with the server's reason (the first 200).
                "open_conflicts": open_conflicts,
                "rejected_waiting": rejected,
                "rejected_records": _rejected_list(store),
            },
            ensure_ascii=False,
        )
        _say(text, sys.stdout)
    else:
        _say(report.summary().text(), sys.stdout)
        for problem in report.problems:
            _say(problem.text(), sys.stderr)
    if open_conflicts or rejected:
        if not args.json:
            earlier = rejected - report.rejected
            _say(
                t(
                    f"需要处理：冲突 {open_conflicts} 处（commissioner conflicts），被拒绝的记录 {rejected} "
                    "条" + (f"（其中 {earlier} 条为此前同步被拒绝、尚未修改的）" if earlier > 0 else ""),
                    f"Needs attention: {open_conflicts} conflicts (commissioner conflicts), {rejected} "
                    "rejected records"
                    + (
                        f" ({earlier} of them refused by an earlier sync and not edited since)"
                        if earlier > 0
                        else ""
                    ),
                ),
                sys.stderr,
            )
            _print_rejected(store, rejected)
        return EXIT_ATTENTION
    if report.problems:
        # Said above (a record held back, a clock to set, a change refused): done, but a person must act.
        return EXIT_ATTENTION
    return 0


def _seconds(text: str) -> float:
    """A request timeout: a positive number of seconds (argparse answers a refusal with exit 2)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 3600:  # also refuses nan
        raise argparse.ArgumentTypeError(
            t(
                f"--timeout 应为 0 到 3600 之间的秒数，收到“{text}”",
                f"--timeout must be a number of seconds from 0 to 3600, not '{text}'",
            )
        )
    return value


REJECTED_SHOWN = 10  # refused records named after a sync; the application's sync page lists them all


def _print_rejected(store: Store, total: int) -> None:
    """Name the refused records with the server's reason: they wait until their owner edits them, and
    a count alone does not say which they are."""
    from sync.conflicts import TABLE_LABELS
    from sync.errors import rejection_reason
    from sync.ops import rejected_rows

    for table, row in rejected_rows(store, REJECTED_SHOWN):
        label = TABLE_LABELS.get(table, Message(table, table))
        caption = _caption(row)
        reason = rejection_reason(row.get("sync_error"))
        _say(
            f"  {label.text()} {short_id(str(row['id']))}"
            + (t(f"（{caption}）", f" ({caption})") if caption else "")
            + t("：", ": ")
            + (reason.text() if reason else ""),
            sys.stderr,
        )
    if total > REJECTED_SHOWN:
        _say(
            t(f"  ……另有 {total - REJECTED_SHOWN} 条", f"  … and {total - REJECTED_SHOWN} more"),
            sys.stderr,
        )
    if total:
        _say(
            t(
                "修改这些记录后再同步，即重新发送（应用程序的“同步”页列出全部）。",
                "Edit these records and sync again to send them "
                "(the application's Sync page lists them all).",
            ),
            sys.stderr,
        )


def _exit_code(exc: SyncError) -> int:
    return next((code for cls, code in EXIT_CODES.items() if isinstance(exc, cls)), 5)


def _say(text: str, stream: TextIO | None) -> None:
    """A line of the sync's output, flushed at once (its summary on stdout comes before what stderr
    says after it). A reader that has gone (`commissioner sync | head -1`) does not stop the sync:
    that stream's later lines go nowhere, and the exit code is still the sync's."""
    if stream is None:  # no stdout or stderr at all (started with it closed)
        return
    try:
        print(text, file=stream, flush=True)
    except BrokenPipeError:
        with suppress(OSError, ValueError):
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, stream.fileno())
            os.close(nowhere)


def _rejected_list(store: Store) -> list[dict[str, Any]]:
    from sync.errors import rejection_reason
    from sync.ops import rejected_rows

    listed = []
    for table, row in rejected_rows(store):
        reason = rejection_reason(row.get("sync_error"))
        listed.append(
            {
                "table": table,
                "id": row["id"],
                "reason_zh": reason.zh if reason else "",
                "reason_en": reason.en if reason else "",
            }
        )
    return listed


def _caption(row: dict[str, Any]) -> str:
    """A few words that let the owner recognise a record: its date and its name or title."""
    parts = []
    for column in ("visit_date", "raised_on", "year", "name", "title", "description", "content"):
        value = row.get(column)
        if value not in (None, ""):
            text = " ".join(str(value).split())  # one line, whatever the text held
            parts.append(text if len(text) <= 30 else text[:30] + "…")
        if len(parts) == 2:
            break
    return " · ".join(parts)


def cmd_conflicts(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.resolve is not None:
        if not args.keep:
            raise CommissionerError(
                Message(
                    "请用 --keep local 或 --keep server 指明保留哪一方的值",
                    "Say which value to keep with --keep local or --keep server",
                )
            )
        item = resolve(store, args.resolve, args.keep)
        kept = t("本机", "local") if args.keep == "local" else t("服务器", "server")
        print(
            t(
                f"已处理冲突 {item.id}：{item.field_label.text()} 保留{kept}的值",
                f"Resolved conflict {item.id}: {item.field_label.text()} keeps the {kept} value",
            )
        )
        return 0
    items = list_conflicts(store)
    if args.json:
        json.dump(
            [
                {
                    "id": c.id,
                    "table": c.table,
                    "record_id": c.record_id,
                    "field": c.field,
                    "base": c.base,
                    "local": c.local,
                    "server": c.server,
                    "server_rev": c.server_rev,
                    "origin": c.origin,
                    "other_by": c.other_by,
                }
                for c in items
            ],
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        print()
        return 0
    if not items:
        print(t("没有待处理的冲突", "No conflicts to resolve"))
        return 0
    for c in items:
        print(
            f"[{c.id}] {KIND_LABELS.get(c.table, c.table_label).text()} {c.record_id}  {c.field_label.text()}"
        )
        if c.remote:  # someone else's version against this computer's, which the server kept
            print(
                t(
                    f"    他人的版本（{c.other_by}）与您的冲突；server = 对方的值",
                    f"    someone else's version ({c.other_by}) conflicts with yours; server = theirs",
                )
            )
            print(t("    您的（服务器上）：", "    yours (on the server): ") + display_value(c.local))
            print(t("    对方的（未被接受）：", "    theirs (not accepted): ") + display_value(c.server))
        else:
            print(t("    本机：", "    local:  ") + display_value(c.local))
            print(t("    服务器：", "    server: ") + display_value(c.server))
        print(t("    原值：", "    base:   ") + display_value(c.base))
    print(
        t(
            "处理：commissioner conflicts --resolve 编号 --keep local|server",
            "Resolve with: commissioner conflicts --resolve ID --keep local|server",
        )
    )
    return EXIT_ATTENTION


@contextmanager
def _collector_for_sync() -> Iterator[None]:
    """During a sync, the objects loaded before it (modules, classes) are out of the garbage
    collector's sight, and young collections come after 10,000 kept objects, not 700 (a push batch
    keeps thousands until it is answered), as in the server (server_cli.py): 4-6 % of a large push's
    CPU. As it was afterwards (the command may run inside another program)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _rejected_count(store: Store) -> int:
    from sync.ops import rejected_count

    return rejected_count(store)


__all__ = ["register", "data_dir_of"]
