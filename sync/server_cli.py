"""`commissioner-server`: run the central store and manage its users.

    commissioner-server serve [--database URL] [--host H] [--port P] [--data-dir D] [--workers N]
                              [--forwarded-allow-ips IPS] [--ssl-certfile PEM --ssl-keyfile PEM]
    commissioner-server user add NAME --role commissioner|manager|bureau|county [--team T] [--workstation W]
                                       [--county C] [--commissioner-id ID] [--display-name N]
                                       [--password-stdin]
    commissioner-server user disable NAME [--reason R] | enable NAME | list
    commissioner-server user reset-password NAME [--password-stdin]
    commissioner-server seed-demo [--password-stdin]
    commissioner-server prune [--token-days 30] [--upload-days 14] [--batch-days 365] [--revision-days N]
    commissioner-server prune-revisions [--older-than-days 1095] [--dry-run]
    commissioner-server migrate
    commissioner-server backup --out FILE
    commissioner-server restore FILE [--check] [--force]

Passwords are read from standard input (--password-stdin) or prompted without echo; never taken
as an argument, where they would end up in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import gc
import getpass
import json
import logging
import os
import secrets
import sys
import tomllib
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import platformdirs

log = logging.getLogger("sync.server.cli")

APP_NAME = "FieldCommissioner"
EXIT_USER_ERROR = 2
DEMO_NAMESPACE = uuid.UUID("5b0c1a7e-3c1e-4f61-9a57-0d1f2a6b9c01")


def default_data_dir() -> Path:
    override = os.environ.get("COMMISSIONER_SERVER_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "server"


def database_url(args: argparse.Namespace) -> str:
    from sync.server.db import sqlite_url

    url = args.database or os.environ.get("COMMISSIONER_SERVER_DATABASE")
    if not url:
        # (`backup` only reads: a data folder that is not there is not made for it.)
        return sqlite_url(args.data_dir or default_data_dir(), create=args.command != "backup")
    password_file = os.environ.get("COMMISSIONER_SERVER_DATABASE_PASSWORD_FILE")
    if password_file:
        # The password from a file (a container secret, a systemd credential), never in the URL
        # that shows in the process list and the unit file.
        from sqlalchemy.engine import make_url

        from sync.server.db import normalise_url

        try:
            password = Path(password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SystemExit(
                f"error: cannot read the database password file: {exc} / 无法读取数据库密码文件"
            ) from None
        parsed = make_url(normalise_url(url))
        if parsed.password is None:
            url = parsed.set(password=password).render_as_string(hide_password=False)
    return url


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commissioner-server", description="科技特派员中心数据服务 / Field Commissioner central store"
    )
    parser.add_argument(
        "--database",
        help="数据库地址（默认：数据目录中的 SQLite 文件）/ database URL: postgresql://user@host/db "
        "(default: SQLite file in the data directory)",
    )
    parser.add_argument(
        "--data-dir", type=Path, help=f"数据目录 / data directory (default: {default_data_dir()})"
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    # The same options are also accepted after the command (`serve --database URL`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument(
        "--log-level",
        default=argparse.SUPPRESS,
        help=argparse.SUPPRESS,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = sub.add_parser("serve", parents=[common], help="运行 HTTP 服务 / run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="服务进程数（共用数据库）/ server processes (they share the database)",
    )
    serve.add_argument(
        "--db-connections",
        type=int,
        default=int(os.environ.get("COMMISSIONER_SERVER_DB_CONNECTIONS", "40")),
        help="每个进程可占用的数据库连接数 / database connections each process may hold (default 40, one per "
        "request thread); PostgreSQL's max_connections must exceed this times the processes of every machine",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        help="可信反向代理的地址 / addresses of the reverse proxies whose X-Forwarded-For/-Proto headers "
        "are believed (comma-separated; '*' only when nothing else can reach the port; default 127.0.0.1)",
    )
    serve.add_argument(
        "--ssl-certfile",
        type=Path,
        help="直接以此证书提供 HTTPS / serve HTTPS directly with this certificate (PEM)",
    )
    serve.add_argument(
        "--ssl-keyfile", type=Path, help="--ssl-certfile 的私钥 / the private key of --ssl-certfile (PEM)"
    )

    user = sub.add_parser("user", parents=[common], help="管理账号 / manage user accounts")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    add = user_sub.add_parser(
        "add",
        parents=[common],
        help="添加账号（密码从标准输入或提示读取）/ add a user (password from stdin or prompt)",
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["commissioner", "manager", "bureau", "county"])
    add.add_argument("--team")
    add.add_argument("--workstation")
    add.add_argument(
        "--county",
        default="",
        help="账号所属区县（--role county 必填），如 新会区 / the account's county (required for "
        "--role county)",
    )
    add.add_argument(
        "--commissioner-id",
        help="该账号对应的特派员记录 / the commissioner record of this user (default: a new id for "
        "commissioners and managers)",
    )
    add.add_argument("--display-name", default="")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读取密码 / read the password from standard input",
    )
    for action, text in (
        ("disable", "停用账号并结束其会话 / disable a user and end their sessions"),
        ("enable", "启用账号 / enable a user"),
    ):
        p = user_sub.add_parser(action, parents=[common], help=text)
        p.add_argument("name")
        if action == "disable":
            p.add_argument("--reason", default="", help="原因（科技局可见）/ why (shown to the bureau)")
    reset = user_sub.add_parser(
        "reset-password",
        parents=[common],
        help="设置新密码并结束其会话 / set a new password and end the user's sessions",
    )
    reset.add_argument("name")
    reset.add_argument("--password-stdin", action="store_true")
    user_sub.add_parser("list", parents=[common], help="列出账号 / list the users")

    seed = sub.add_parser(
        "seed-demo",
        parents=[common],
        help="添加演示账号、团队和参考数据 / add demo users, teams and reference data",
    )
    seed.add_argument(
        "--password-stdin",
        action="store_true",
        help="所有演示账号共用一个密码，从标准输入读取 / one password for every demo user, from standard "
        "input (default: random, printed)",
    )
    sub.add_parser("migrate", parents=[common], help="升级数据库结构 / bring the database schema up to date")
    backup = sub.add_parser(
        "backup",
        parents=[common],
        help="备份数据（记录、账号、附件）/ write a backup of the store (records, users, attachments)",
    )
    backup.add_argument(
        "--out", type=Path, required=True, help="要写入的备份文件 / the backup file to write (.zip)"
    )
    restore = sub.add_parser(
        "restore",
        parents=[common],
        help="把备份恢复到空库（先停止服务）/ restore a backup into an empty store (stop the server first)",
    )
    restore.add_argument("file", type=Path, help="由 backup 写出的文件 / a file written by `backup`")
    restore.add_argument(
        "--check", action="store_true", help="只检查文件，不作改动 / only verify the file; change nothing"
    )
    restore.add_argument(
        "--force",
        action="store_true",
        help="替换已有数据的库（全部）/ replace a store that already holds data (all of it)",
    )
    prune = sub.add_parser(
        "prune",
        parents=[common],
        help="删除旧会话、废弃的上传和旧的推送应答 / delete old sessions, abandoned uploads and old push "
        "answers",
    )
    prune.add_argument("--token-days", type=int, default=30)
    prune.add_argument("--upload-days", type=int, default=14)
    prune.add_argument("--batch-days", type=int, default=365)
    prune.add_argument(
        "--revision-days",
        type=int,
        help="同时删除早于此天数的记录旧版本 / also delete versions of records older than this many days, as "
        "prune-revisions does "
        "(default: keep every version)",
    )
    from sync.server.maintenance import MIN_REVISION_DAYS, REVISION_DAYS

    revisions = sub.add_parser(
        "prune-revisions",
        parents=[common],
        help="删除记录的旧版本（不删当前版本及保留期内的版本）/ delete old versions of records (never the "
        "current one, nor any within the retention)",
    )
    revisions.add_argument(
        "--older-than-days",
        type=int,
        default=REVISION_DAYS,
        help=f"保留期：期内写入的版本保留 / the retention: versions written within it are kept "
        f"(default {REVISION_DAYS}, "
        f"at least {MIN_REVISION_DAYS})",
    )
    revisions.add_argument(
        "--dry-run", action="store_true", help="只统计将删除的数量 / only count what would be deleted"
    )
    link = sub.add_parser(
        "confirm-link",
        parents=[common],
        help="服务记录的服务对象确认链接 / the served party's confirmation links of a visit",
    )
    link_sub = link.add_subparsers(dest="link_action", metavar="ACTION")
    link_sub.required = True
    revoke = link_sub.add_parser(
        "revoke",
        parents=[common],
        help="作废该服务记录的全部确认链接 / revoke every link of a visit (e.g. a sheet given to the "
        "wrong party)",
    )
    revoke.add_argument("visit_id", metavar="VISIT_ID")
    return parser


def read_password(from_stdin: bool, prompt: str = "Password / 密码: ") -> str:
    from sync.server.auth import UserAdminError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    # With no terminal (a script, a service), getpass warned that it could not hide the typing, read
    # standard input and ended in a traceback.
    nobody_types = UserAdminError(
        "没有可输入密码的终端：请加 --password-stdin，从标准输入给出密码",
        "no terminal to type the password at: add --password-stdin and give it on standard input",
    )
    if not _has_terminal():
        raise nobody_types
    try:
        first = getpass.getpass(prompt)
        again = getpass.getpass("Again / 再次输入: ")
    except EOFError:
        raise nobody_types from None
    if again != first:
        raise SystemExit("passwords differ / 两次输入的密码不一致")
    return first


def _has_terminal() -> bool:
    """Whether getpass has a terminal to read from without echo: the process's own (/dev/tty, even
    with standard input redirected), else standard input when it is one (Windows' console)."""
    if os.name == "posix":
        try:
            os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
            return True
        except OSError:
            pass
    return sys.stdin is not None and sys.stdin.isatty()


def main(argv: Sequence[str] | None = None) -> int:
    from sqlalchemy.exc import OperationalError

    from sync.server.db import StoreAccessError, StoreAddressError, StoreReadError
    from sync.server.migrations import DatabaseTooNew

    try:
        return _main(argv)
    except DatabaseTooNew as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except StoreReadError as exc:
        print(
            f"错误：无法读取中心库（{exc.reason}）。请检查 --database / --data-dir 指向的数据库文件，"
            "并以有权读取它（及其目录、-wal、-shm 文件）的系统账户运行。\n"
            f"error: cannot read the store ({exc.reason}). Check the database file that --database / "
            "--data-dir names, and run as an account that may read it (and its folder, its -wal and "
            "-shm files).",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    except StoreAccessError as exc:
        return _cannot_write(exc.reason)
    except StoreAddressError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OperationalError as exc:
        reason = str(exc.orig)
        if "readonly" not in reason and "read-only" not in reason:
            raise
        return _cannot_write(reason)


def _cannot_write(reason: str) -> int:
    """A store in a read-only folder or of another account: said so, not a traceback."""
    print(
        f"错误：无法写入中心库（{reason}）。请以中心库文件所属的系统账户运行，或修正数据库文件及其"
        "目录（含 -wal、-shm 文件）的属主和权限。\n"
        f"error: cannot write the store ({reason}). Run as the account that owns the store's files, "
        "or correct the owner and permissions of the database file and its folder (and its -wal "
        "and -shm files).",
        file=sys.stderr,
    )
    return EXIT_USER_ERROR


def _main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from sync.server import auth, logs
    from sync.server.db import make_engine
    from sync.server.maintenance import RetentionTooShort
    from sync.server.migrations import migrate

    logs.configure(args.log_level)
    url = database_url(args)
    if args.command == "serve":
        return serve(args, url)
    if args.command in ("backup", "restore"):
        return backup_command(args, url)  # neither migrates: a backup is made before an upgrade
    engine = make_engine(url)
    migrate(engine)
    try:
        if args.command == "user":
            return user_command(args, engine)
        if args.command == "confirm-link":
            from sync.server import confirm

            revoked = confirm.revoke(engine, args.visit_id)
            print(f"revoked {revoked} link(s) of visit {args.visit_id} / 已撤销 {revoked} 个确认链接")
            return 0
        if args.command == "seed-demo":
            return seed_demo(engine, read_password(True) if args.password_stdin else None)
        if args.command == "prune":
            from sync.server.maintenance import prune

            print(
                json.dumps(
                    prune(
                        engine,
                        token_days=args.token_days,
                        upload_days=args.upload_days,
                        batch_days=args.batch_days,
                        revision_days=args.revision_days,
                    )
                )
            )
        if args.command == "prune-revisions":
            return prune_revisions_command(args, engine)
        return 0
    except auth.UserAdminError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return EXIT_USER_ERROR
    except RetentionTooShort as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return EXIT_USER_ERROR


def _group_of(engine: Any, table: str, given: str | None, kind_en: str, kind_zh: str) -> str | None:
    """The id of the team (or workstation) `given` names, by its id or by its name as the bureau
    entered it. One the server has no record of is kept as given, with a warning: the account joins
    the team when the bureau creates one of that name (sync/server/admin.py: adopt_group)."""
    if not given:
        return given
    import json

    from sqlalchemy import select

    from sync.server.db import reading
    from sync.server.tables import records

    with reading(engine) as conn:
        rows = conn.execute(
            select(records.c.id, records.c.fields).where(
                records.c.table_name == table, records.c.deleted.is_(False)
            )
        ).all()
    by_name: dict[str, str] = {}
    for row in rows:
        if row.id == given:
            return given
        name = str((json.loads(row.fields) or {}).get("name") or "")
        by_name.setdefault(name, row.id)
    if given in by_name:
        print(f"{kind_en} {given}: {by_name[given]}", file=sys.stderr)
        return str(by_name[given])
    print(
        f"warning: this server has no {kind_en} with the id or name {given!r} yet; the account is added, "
        f"and joins the {kind_en} once the bureau creates it under that name (组织与账号) / 注意：服务器上"
        f"还没有编号或名称为“{given}”的{kind_zh}；账号已添加，市科技局在“组织与账号”中以此名称建立该{kind_zh}后"
        "即自动加入",
        file=sys.stderr,
    )
    return given


def prune_revisions_command(args: argparse.Namespace, engine: Any) -> int:
    from sync.server.maintenance import prune_revisions

    done = prune_revisions(engine, older_than_days=args.older_than_days, dry_run=args.dry_run)
    size = f"{done.bytes / 1e6:.1f} MB"
    before = done.cutoff[:10]
    if done.dry_run:
        print(
            f"试运行，未删除任何数据：将删除 {done.removed} 个旧版本（约 {size}），{before} 之前写入\n"
            f"dry run, nothing deleted: would remove {done.removed} old versions (about {size}) "
            f"written before {before}"
        )
    else:
        print(
            f"已删除 {done.removed} 个旧版本（约 {size}），{before} 之前写入\n"
            f"removed {done.removed} old versions (about {size}) written before {before}"
        )
    for table, count in sorted(done.by_table.items()):
        print(f"  {table}: {count}")
    if done.kept_for_notices:
        print(
            f"因未处理的冲突而保留 {done.kept_for_notices} 个 / "
            f"kept {done.kept_for_notices} that open conflict notices name"
        )
    if done.removed and not done.dry_run:
        print(
            "数据库会复用释放的空间（VACUUM 可将其还给磁盘） / "
            "the database reuses the space freed (VACUUM returns it to the disk)"
        )
    print(json.dumps(done.as_dict(), ensure_ascii=False))
    return 0


def serve(args: argparse.Namespace, url: str) -> int:
    import uvicorn

    os.environ["COMMISSIONER_SERVER_URL"] = url
    os.environ["COMMISSIONER_SERVER_LOG_LEVEL"] = args.log_level
    if args.db_connections < 1:
        print("error: --db-connections must be at least 1", file=sys.stderr)
        return EXIT_USER_ERROR
    os.environ["COMMISSIONER_SERVER_DB_CONNECTIONS"] = str(args.db_connections)
    from sync.server.db import connections_warning, make_engine
    from sync.server.migrations import migrate

    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("error: give both --ssl-certfile and --ssl-keyfile / 证书与私钥须同时给出", file=sys.stderr)
        return EXIT_USER_ERROR
    engine = make_engine(url)
    migrate(engine)  # once, before the workers start
    warning = connections_warning(engine, args.workers, args.db_connections)
    engine.dispose()
    if warning:
        log.warning("database connections", extra={"warning": warning})
        print(warning, file=sys.stderr)
    log.info(
        "serving",
        extra={
            "host": args.host,
            "port": args.port,
            "workers": args.workers,
            "https": bool(args.ssl_certfile),
            "database": _safe(url),
        },
    )
    tls: dict[str, Any] = {}
    if args.ssl_certfile:
        tls = {"ssl_certfile": str(args.ssl_certfile), "ssl_keyfile": str(args.ssl_keyfile)}
    from sync.server.serving import LockFileError, serving

    try:
        with serving(url):  # a restore refuses a store being served (sync/server/serving.py)
            _run_uvicorn(uvicorn, args, tls)
    except LockFileError as exc:
        print(exc.message(), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:  # (Ctrl-C while it waited for a restore to end: uvicorn takes it after)
        print("已停止 / stopped", file=sys.stderr)
        return 130
    return 0


def _run_uvicorn(uvicorn: Any, args: argparse.Namespace, tls: dict[str, Any]) -> None:
    from sync.server.http_protocol import JsonErrorH11Protocol

    uvicorn.run(
        "sync.server_cli:app_from_env",
        factory=True,
        http=JsonErrorH11Protocol,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        log_config=None,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        **tls,
    )


def backup_command(args: argparse.Namespace, url: str) -> int:
    from sync.server import backup
    from sync.server.db import make_engine

    try:
        if args.command == "restore" and args.check:
            manifest = backup.check(args.file)
            print(f"backup OK / 备份文件完好: {args.file}: {backup.summary(manifest)}")
            return 0
        engine = make_engine(url, read_only=args.command == "backup")
        try:
            if args.command == "backup":
                manifest = backup.backup(engine, args.out)
                size = args.out.stat().st_size / 1e6
                print(f"backup written / 备份完成: {args.out} ({size:.1f} MB): {backup.summary(manifest)}")
            else:
                from sync.server.serving import unused

                with unused(engine, url) as users:  # and no server starts until it is over
                    if users:
                        listed = "\n".join(f"  {u}" for u in users)
                        print(
                            "错误：中心库正在使用中，未做任何更改。"
                            "请先停止所有服务器（commissioner-server serve）"
                            f"并关闭其他连接，再恢复：\n{listed}\n"
                            "error: the store is in use; nothing was changed. Stop every server "
                            "(commissioner-server serve) and close the other connections first, then "
                            "restore.",
                            file=sys.stderr,
                        )
                        return EXIT_USER_ERROR
                    manifest = backup.restore(engine, args.file, force=args.force)
                print(f"restored / 已恢复 into {_safe(url)}: {backup.summary(manifest)}")
        finally:
            engine.dispose()
    except backup.BackupError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as exc:
        print(f"错误：无法读写文件：{exc}\nerror: cannot read or write the file: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    return 0


def _end_with_serve() -> None:
    """In a worker process of `serve --workers N`: stop (as when told to, finishing the requests
    under way) once `serve` has ended. Killed with SIGKILL, it could not stop its workers, which
    went on serving unsupervised and kept the port from a new `serve`."""
    import multiprocessing
    import signal
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:  # (one process: `serve` itself)
        return

    def watch() -> None:
        wait([parent.sentinel])
        log.warning("serve has ended; its worker %s stops", os.getpid())
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="serve-watch", daemon=True).start()


def app_from_env() -> Any:
    """The app for uvicorn workers: the database comes from the environment set by `serve`."""
    from sync.server import logs
    from sync.server.app import create_app, warm_up
    from sync.server.serving import hold_while_alive

    logs.configure(os.environ.get("COMMISSIONER_SERVER_LOG_LEVEL", "INFO"))
    url = os.environ["COMMISSIONER_SERVER_URL"]
    hold_while_alive(url)  # against a restore, should `serve` itself be killed (sync/server/serving.py)
    _end_with_serve()
    app = create_app(url)
    warm_up(app)  # before the freeze below: what it builds lives as long as the process
    # The objects of the loaded server (modules, the app, its routes and schemas) live as long as the
    # process: moved out of the garbage collector's sight, so that its full collections, which a
    # push's many small objects set off, stop walking them again and again.
    gc.collect()
    gc.freeze()
    # A young-generation collection after every 10,000 (not 700) objects made and kept: a push batch
    # keeps a few thousand until it is written, and the default set off about 150 collections per
    # 9,000 pushed records, each walking those objects again (5-9% of a push's CPU). The cycles a
    # request leaves behind are still collected, a little later.
    gc.set_threshold(10_000, *gc.get_threshold()[1:])
    return app


def _safe(url: str) -> str:
    """The store's URL to show an operator: its password hidden, its path as written (SQLAlchemy
    percent-encodes a path's Chinese characters and spaces)."""
    from urllib.parse import unquote

    from sqlalchemy.engine import make_url

    return unquote(make_url(url).render_as_string(hide_password=True))


def user_command(args: argparse.Namespace, engine: Any) -> int:
    from sync.server import audit, auth

    def logged(action: str, name: str, after: Any, **kwargs: Any) -> None:
        # The audit trail keeps what the command line does too (sync/server/audit.py).
        subject = f"users/{auth.normalise_username(name)}"
        audit.record_now(engine, audit.SERVER_CLI, action, subject, None, after, **kwargs)

    if args.user_command == "add":
        commissioner_id = args.commissioner_id
        if args.role == "county" and not args.county.strip():
            raise auth.UserAdminError(
                "县级账号须用 --county 指定所属县（市、区），如 --county 新会区",
                "a county account needs --county (e.g. --county 新会区)",
            )
        if commissioner_id is None and args.role not in ("bureau", "county"):
            commissioner_id = str(uuid.uuid4())
        county = args.county.strip()
        if county:
            from sync.server.db import reading
            from sync.server.scope import known_counties

            with reading(engine) as conn:
                counties = known_counties(conn)
            if county not in counties:
                raise auth.UserAdminError(
                    f"未知的县（市、区）{county}，应为 {'、'.join(counties)} 之一",
                    f"unknown county {county!r}; use one of {'、'.join(counties)}",
                )
        auth.require_name_free(engine, args.name)  # said before a password is asked for
        args.team = _group_of(engine, "teams", args.team, "team", "团队")
        args.workstation = _group_of(engine, "workstations", args.workstation, "workstation", "工作站")
        auth.add_user(
            engine,
            args.name,
            read_password(args.password_stdin),
            args.role,
            display_name=args.display_name,
            team_id=args.team,
            workstation_id=args.workstation,
            commissioner_id=commissioner_id,
            county=county,
        )
        name = auth.normalise_username(args.name)
        account = {
            "role": args.role,
            "team_id": args.team,
            "workstation_id": args.workstation,
            "commissioner_id": commissioner_id,
            "county": county,
        }
        logged("user.create", name, account, county=county)
        where = f", county {county}" if county else ""
        print(
            f"已添加账号 {name} / user {name} added (role {args.role}{where}, commissioner id "
            f"{commissioner_id or '-'})"
        )
    elif args.user_command == "disable":
        auth.disable_user(engine, args.name, args.reason)
        logged("user.disable", args.name, {"disabled": True, "reason": args.reason})
        print(f"已停用账号 {args.name}，其会话已结束 / user {args.name} disabled; their sessions are ended")
    elif args.user_command == "enable":
        auth.enable_user(engine, args.name)
        logged("user.enable", args.name, {"disabled": False})
        print(f"已启用账号 {args.name} / user {args.name} enabled")
    elif args.user_command == "reset-password":
        auth.require_account(engine, args.name)  # said before a password is asked for
        auth.reset_password(engine, args.name, read_password(args.password_stdin))
        logged("user.reset_password", args.name, None)  # never the password
        print(
            f"已更改 {args.name} 的密码，其会话已结束 / password of {args.name} changed; their sessions "
            "are ended"
        )
    elif args.user_command == "list":
        for u in auth.list_users(engine):
            print(json.dumps(u, ensure_ascii=False))
    return 0


def _demo_id(name: str) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, name))


def seed_demo(engine: Any, password: str | None) -> int:
    """Demo accounts (a bureau, a manager, two commissioners in one team) and the reference data."""
    from commissioner_app.paths import resources_dir
    from commissioner_app.reference import KINDS, bundled_reference
    from sync.server import auth, push

    team, station = _demo_id("team"), _demo_id("workstation")
    people = [
        ("bureau", "bureau", "市科技局管理员", None),
        ("manager", "manager", "陈站长", _demo_id("manager")),
        ("zhangsan", "commissioner", "张三", _demo_id("zhangsan")),
        ("lisi", "commissioner", "李四", _demo_id("lisi")),
    ]
    created = []
    existing = {u["username"] for u in auth.list_users(engine)}
    for name, role, display, cid in people:
        if name in existing:
            continue
        secret = password or secrets.token_urlsafe(9)
        auth.add_user(
            engine,
            name,
            secret,
            role,
            display_name=display,
            commissioner_id=cid,
            team_id=team if role != "bureau" else None,
            workstation_id=station if role != "bureau" else None,
        )
        created.append((name, role, secret))
    bureau = next(u for u in auth.list_users(engine) if u["role"] == "bureau")
    user = auth.User(bureau["id"], bureau["username"], "bureau", bureau["display_name"], None, None, None)

    changes: list[dict[str, Any]] = [
        {
            "table": "teams",
            "id": team,
            "base_rev": 0,
            "deleted": False,
            "fields": {
                "name": "新会陈皮产业科技特派团",
                "county": "新会区",
                "leader_id": _demo_id("manager"),
                "partner_university": "五邑大学",
            },
        },
        {
            "table": "workstations",
            "id": station,
            "base_rev": 0,
            "deleted": False,
            "fields": {
                "name": "会城街道科技特派员工作站",
                "county": "新会区",
                "town": "会城街道",
                "manager_id": _demo_id("manager"),
            },
        },
    ]
    for name, _role, display, cid in people:
        if cid:
            changes.append(
                {
                    "table": "commissioners",
                    "id": cid,
                    "base_rev": 0,
                    "deleted": False,
                    "fields": {
                        "name": display,
                        "sending_unit": "五邑大学",
                        "specialty": "柑橘栽培与陈皮加工",
                        "industries": json.dumps(["chenpi"]),
                        "team_id": team,
                        "workstation_id": station,
                        "username": name,
                    },
                }
            )
    items = bundled_reference()
    for kind in KINDS:
        changes.append(
            {
                "table": "reference",
                "id": kind,
                "base_rev": 0,
                "deleted": False,
                "fields": {
                    "version": "bundled",
                    "items": [
                        {
                            "code": i.code,
                            "name_zh": i.name_zh,
                            "name_en": i.name_en,
                            "parent_code": i.parent_code,
                            "sort_order": i.sort_order,
                        }
                        for i in items
                        if i.kind == kind
                    ],
                },
            }
        )
    for path in sorted((resources_dir() / "assessment").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        year = tomllib.loads(text).get("year")
        if not isinstance(year, int) and path.stem.isdigit():
            year = int(path.stem)
        if isinstance(year, int):
            changes.append(
                {
                    "table": "assessment_rules",
                    "id": str(year),
                    "base_rev": 0,
                    "deleted": False,
                    "fields": {"year": year, "toml": text},
                }
            )
    answer = push.push(
        engine,
        user,
        {
            "batch_id": f"seed-demo-{uuid.uuid4()}",
            "device_id": "seed-demo",
            "client_time": "",
            "changes": changes,
        },
    )
    refused = [r for r in answer["results"] if r["status"] not in ("accepted", "merged")]
    for r in refused:
        print(
            f"not stored: {r['table']} {r['id']}: {r.get('reason_en') or r.get('conflicts')}", file=sys.stderr
        )
    print(
        f"demo data: {len(changes) - len(refused)} records (team, workstation, commissioners, reference "
        "data, assessment rules)"
    )
    if created:
        print("demo users (write the passwords down; they are not shown again):")
        for name, role, secret in created:
            print(f"  {name:<10} {role:<13} {'(from stdin)' if password else secret}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
