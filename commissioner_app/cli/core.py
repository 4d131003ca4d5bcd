"""Core subcommands: demo, status, search, check."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from typing import Any

from commissioner_app.cli import EXIT_PROBLEMS_FOUND, data_dir_of, t
from commissioner_app.domain import shown_time
from commissioner_app.errors import CommissionerError
from commissioner_app.i18n import Message
from commissioner_app.logs import configure_logging
from commissioner_app.store import SYNC_STATES, Store

KIND_LABELS = {
    "commissioners": Message("科技特派员", "Commissioners"),
    "teams": Message("科技特派团", "Teams"),
    "workstations": Message("工作站", "Workstations"),
    "service_targets": Message("服务对象", "Service targets"),
    "service_agreements": Message("服务协议", "Service agreements"),
    "visits": Message("服务记录", "Visits"),
    "problems": Message("技术难题", "Technical problems"),
    "solutions": Message("解决方案", "Solutions"),
    "attachments": Message("附件", "Attachments"),
    "reviews": Message("审核", "Reviews"),
    "demands": Message("技术需求", "Technical demands"),
    "annual_summaries": Message("年度总结", "Annual summaries"),
    "confirmations": Message("服务对象确认", "Confirmations by the served party"),
    "assessment_results": Message("考核结果", "Assessment results"),
    "projects": Message("揭榜项目", "Open-call projects"),
    "project_applications": Message("揭榜申请", "Applications"),
    "project_milestones": Message("攻关节点", "Milestones"),
    "achievements": Message("成果转化", "Achievements"),
    "bonus_points": Message("加分项", "Bonuses"),
    "exemplars": Message("先进典型", "Exemplars"),
}


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help=t("生成演示数据", "fill the store with demo data"))
    p.add_argument("--visits", type=_non_negative, default=500, help=t("服务记录条数", "number of visits"))
    p.add_argument("--seed", type=int, default=1, help=t("随机种子（相同种子生成相同数据）", "random seed"))
    p.add_argument(
        "--commissioners", type=_positive, default=None, help=t("特派员人数", "number of commissioners")
    )
    p.add_argument(
        "--all-local",
        action="store_true",
        help=t("所有记录均为未同步状态", "leave every record unsynced (for sync trials)"),
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("status", help=t("按类型和同步状态统计记录", "count records by kind and sync state"))
    p.add_argument("--json", action="store_true", help=t("以 JSON 输出", "print JSON"))
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("search", help=t("全文检索", "full-text search"))
    p.add_argument("text", help=t("检索词", "search text"))
    p.add_argument(
        "--limit",
        type=_positive,
        default=20,
        help=t("最多列出的记录数（默认 20）", "list at most this many records (default 20)"),
    )
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("check", help=t("检查数据库和附件的完整性", "check the database and attachments"))
    p.set_defaults(func=cmd_check)


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t(f"不是整数：{text}", f"not a whole number: {text}")) from None
    if value < 0:
        raise argparse.ArgumentTypeError(t("不能为负数", "cannot be negative"))
    return value


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError(t("必须大于0", "must be greater than 0"))
    return value


def open_store(args: argparse.Namespace, *, must_exist: bool = True) -> Store:
    data_dir = data_dir_of(args)
    if must_exist and not (data_dir / "commissioner.db").exists():
        raise CommissionerError(
            Message(
                f"数据目录 {data_dir} 中没有数据库。请先打开桌面程序（commissioner-app）填写个人信息、"
                "完成首次设置（服务记录也在桌面程序中填写），或用 --data-dir 指定已有的数据目录。",
                f"There is no database in {data_dir}. Open the desktop application (commissioner-app) "
                "once to fill in your profile (visits are entered there too), or name an existing data "
                "directory with --data-dir.",
            )
        )
    store = Store.open(data_dir)
    # The log goes with the data (main starts it only for a directory that was already there).
    configure_logging(data_dir, level=getattr(args, "log_level", logging.INFO))
    return store


def cmd_demo(args: argparse.Namespace) -> int:
    from commissioner_app.demo import generate_demo

    store = open_store(args, must_exist=False)
    if store.db.execute("SELECT 1 FROM visits LIMIT 1").fetchone():
        raise CommissionerError(
            Message(
                f"{store.path} 中已有服务记录；演示数据只写入空的数据目录。",
                f"{store.path} already holds visits; demo data goes only into an empty data directory.",
            )
        )
    started = time.perf_counter()
    result = generate_demo(
        store, visits=args.visits, seed=args.seed, commissioners=args.commissioners, all_local=args.all_local
    )
    elapsed = time.perf_counter() - started
    print(
        t(
            f"已生成：特派员 {result.commissioners} 人，服务对象 {result.targets} 个，"
            f"服务记录 {result.visits} 条，技术难题 {result.problems} 个，解决方案 {result.solutions} "
            f"个（{elapsed:.1f} 秒）",
            f"Created {result.commissioners} commissioners, {result.targets} targets, {result.visits} "
            f"visits, {result.problems} problems, {result.solutions} solutions ({elapsed:.1f} s)",
        )
    )
    print(store.path)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    store = open_store(args)
    status = store.status()
    if args.json:
        json.dump(status, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(t("数据库：", "Database: ") + status["path"])
    print(t("大小：", "Size: ") + f"{status['size_bytes'] / 1024 / 1024:.1f} MB")
    print(t("待同步：", "Waiting to sync: ") + str(status["waiting_to_sync"]))
    print(t("上次同步：", "Last sync: ") + (shown_time(status["last_sync"]) or t("从未", "never")))
    for table, per_state in status["counts"].items():
        total = sum(per_state.values())
        if not total:
            continue
        detail = "，".join(f"{SYNC_STATES[s].text()} {n}" for s, n in sorted(per_state.items()))
        print(f"  {KIND_LABELS[table].text()}: {total}  ({detail})")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    store = open_store(args)
    hits = store.search(args.text, limit=args.limit)
    if not hits:
        print(t(f"没有找到“{args.text}”", f"Nothing found for '{args.text}'"))
        return 0
    for hit in hits:
        print(f"[{KIND_LABELS[hit.kind].text()}] {hit.title}  {hit.detail}  ({hit.id})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    store = open_store(args)
    not_downloaded = store.not_downloaded()
    problems = store.check(not_downloaded)
    later = len(not_downloaded)
    if later:
        # Not a fault: files that came by pull are downloaded from the server when they are opened.
        print(
            t(
                f"另有 {later} 个附件的文件尚未下载到本机（在服务器上，打开时自动下载），不算缺失。",
                f"{later} attachments' files are not downloaded to this computer yet (they are on the "
                "server and download when opened); they are not missing.",
            )
        )
    if not problems:
        print(
            t(
                "检查通过：数据库和所有附件完好。",
                "Check passed: the database and all attachments are intact.",
            )
        )
        return 0
    for problem in problems:
        print(problem.text(), file=sys.stderr)
    return EXIT_PROBLEMS_FOUND
