"""Sync subcommands: login, logout, sync, conflicts.

Exit codes of `commissioner sync`: 0 all done; 1 done, but records need attention (conflicts or
rejections); 3 offline; 4 not logged in or login expired; 5 refused by the server; 6 this version
is too old for the server; 7 server failure; 130 cancelled.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import threading
from typing import Any

from commissioner_app.cli import data_dir_of, t
from commissioner_app.cli.core import KIND_LABELS, open_store
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.store import Store
from sync import session
from sync.conflicts import display_value, list_conflicts, resolve
from sync.credentials import FILE_WARNING, NO_KEYRING, keyring_available
from sync.engine import SyncEngine, SyncProgress
from sync.errors import (
    AuthExpiredError,
    ConflictError,
    OfflineError,
    ProtocolTooOldError,
    RefusedError,
    ServerError,
    SyncError,
)

EXIT_ATTENTION = 1
EXIT_CODES: dict[type[SyncError], int] = {
    OfflineError: 3,
    AuthExpiredError: 4,
    RefusedError: 5,
    ConflictError: 5,
    ProtocolTooOldError: 6,
    ServerError: 7,
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
        "--token-file",
        action="store_true",
        help=t(
            "没有系统密钥环时，将凭据保存在仅本账户可读的文件中（安全性较低）",
            "without a system keyring, keep the token in a file readable only by you (less safe)",
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
        "--timeout", type=float, default=60.0, help=t("每个请求的超时（秒）", "timeout of each request (s)")
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
    p.set_defaults(func=cmd_sync)

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


def cmd_login(args: argparse.Namespace) -> int:
    store = open_store(args, must_exist=False)
    if not args.token_file and not keyring_available():
        raise CommissionerError(NO_KEYRING)
    if args.ca_file:
        session.read_ca_file(args.ca_file)  # a wrong file is said before the password is asked
    if args.password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(t("密码：", "Password: "))
    if not password:
        raise CommissionerError(Message("未输入密码", "No password given"))
    user, storage = session.login(
        store, args.server, args.user, password, use_file=args.token_file, ca_file=args.ca_file
    )
    print(
        t(
            f"已登录：{user.get('display_name') or user['username']}（{user['role']}）",
            f"Logged in as {user.get('display_name') or user['username']} ({user['role']})",
        )
    )
    if storage == "file":
        print(FILE_WARNING.text(), file=sys.stderr)
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    store = open_store(args)
    session.logout(store)
    print(t("已退出登录", "Logged out"))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    store = open_store(args)
    client = session.open_client(store, read_timeout=args.timeout)
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
            amount = f"{p.done // 1024}/{p.total // 1024} KB"
        print(f"{p.label.text()} {amount}" if p.phase != "done" else p.label.text(), flush=True)

    cancel = threading.Event()
    try:
        report = engine.sync(progress=progress, cancel=cancel)
    except SyncError as exc:
        print(t("同步失败：", "Sync failed: ") + exc.text(), file=sys.stderr)
        return next((code for cls, code in EXIT_CODES.items() if isinstance(exc, cls)), 5)
    except KeyboardInterrupt:
        print(t("已取消；已完成的部分已保存", "Cancelled; what was done is saved"), file=sys.stderr)
        return 130
    if args.json:
        json.dump(
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
            },
            sys.stdout,
            ensure_ascii=False,
        )
        print()
    else:
        print(report.summary().text())
        for problem in report.problems:
            print(problem.text(), file=sys.stderr)
    open_conflicts = len(list_conflicts(store))
    rejected = _rejected_count(store)
    if open_conflicts or rejected:
        if not args.json:
            print(
                t(
                    f"需要处理：冲突 {open_conflicts} 处（commissioner conflicts），被拒绝的记录 {rejected} 条",
                    f"Needs attention: {open_conflicts} conflicts (commissioner conflicts), {rejected} rejected records",
                ),
                file=sys.stderr,
            )
        return EXIT_ATTENTION
    return 0


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


def _rejected_count(store: Store) -> int:
    from commissioner_app.schema import SYNCED_TABLES

    return sum(
        store.db.execute(
            f"SELECT count(*) FROM {tb} WHERE sync_error IS NOT NULL AND deleted = 0"
        ).fetchone()[0]
        for tb in SYNCED_TABLES
    )


__all__ = ["register", "data_dir_of"]
