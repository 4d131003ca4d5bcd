"""Documents and exports: `commissioner report visit|annual|team|city` and `commissioner export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from commissioner_app.cli import EXIT_PROBLEMS_FOUND, data_dir_of, t
from commissioner_app.errors import CommissionerError, NotFoundError
from commissioner_app.i18n import Message
from commissioner_app.store import Store


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help=t(
            "生成 PDF 文档（服务记录单、年度考核表、汇总）",
            "make PDF documents (service sheet, annual record, summaries)",
        ),
    )
    kinds = p.add_subparsers(dest="report_kind", metavar="KIND")
    kinds.required = True

    k = kinds.add_parser(
        "visit",
        help=t(
            "一次服务的服务记录单（一页，供服务对象签字盖章）",
            "the service sheet of one visit (one page, to be signed)",
        ),
    )
    k.add_argument(
        "visit_id",
        metavar="ID",
        help=t("服务记录的编号（单上的记录编号亦可）", "the visit's id, or the number on its sheet"),
    )
    k.add_argument("--out", type=Path, required=True, help=t("输出 PDF 文件", "output PDF file"))
    k.set_defaults(func=cmd_visit)

    k = kinds.add_parser("annual", help=t("年度服务记录及考核表", "annual service record and assessment"))
    k.add_argument("--year", type=_year, required=True, help=t("考核年度", "assessment year"))
    who = k.add_mutually_exclusive_group()
    who.add_argument(
        "--commissioner",
        metavar="ID",
        help=t(
            "特派员编号，或年度服务记录文件名中的编号（默认：本机用户）",
            "commissioner id, or the number in an annual record's file name (default: this computer's user)",
        ),
    )
    who.add_argument(
        "--all",
        action="store_true",
        help=t(
            "所有特派员，每人一个 PDF，--out 为文件夹", "every commissioner, one PDF each; --out is a folder"
        ),
    )
    k.add_argument(
        "--out",
        type=Path,
        required=True,
        help=t("输出 PDF 文件（--all 时为文件夹）", "output PDF file (a folder with --all)"),
    )
    k.add_argument(
        "--workers",
        type=_workers,
        default=None,
        help=t(
            "--all 时同时生成的进程数（默认：人数多时每个处理器核心一个，最多 2 个）",
            "with --all, processes writing at once (default: one per core for a large batch, at most 2)",
        ),
    )
    _basis_option(k)
    k.set_defaults(func=cmd_annual)

    k = kinds.add_parser("team", help=t("科技特派团汇总", "team summary"))
    _basis_option(k)
    k.add_argument(
        "--team",
        metavar="ID",
        help=t(
            "特派团编号（默认：本机用户所在特派团）", "team id (default: the team of this computer's user)"
        ),
    )
    k.add_argument("--year", type=_year, required=True, help=t("年度", "year"))
    k.add_argument("--out", type=Path, required=True, help=t("输出 PDF 文件", "output PDF file"))
    k.set_defaults(func=cmd_team)

    k = kinds.add_parser("workstation", help=t("工作站汇总", "workstation summary"))
    _basis_option(k)
    k.add_argument(
        "--workstation",
        metavar="ID",
        help=t("工作站编号（默认：本机用户所在工作站）", "workstation id (default: this computer's user's)"),
    )
    k.add_argument("--year", type=_year, required=True, help=t("年度", "year"))
    k.add_argument("--out", type=Path, required=True, help=t("输出 PDF 文件", "output PDF file"))
    k.set_defaults(func=cmd_workstation)

    k = kinds.add_parser("city", help=t("全市汇总（分县、分产业）", "city summary by county and industry"))
    _basis_option(k)
    k.add_argument("--year", type=_year, required=True, help=t("年度", "year"))
    k.add_argument("--out", type=Path, required=True, help=t("输出 PDF 文件", "output PDF file"))
    k.set_defaults(func=cmd_city)

    k = kinds.add_parser("exemplars", help=t("年度先进典型名单", "the year's commendation list of exemplars"))
    k.add_argument("--year", type=_year, required=True, help=t("年度", "year"))
    k.add_argument("--out", type=Path, required=True, help=t("输出 PDF 文件", "output PDF file"))
    k.set_defaults(func=cmd_exemplars)

    p = sub.add_parser(
        "export",
        help=t(
            "导出 Excel 或 CSV（服务记录、技术难题、解决方案、服务对象、考核结果、揭榜项目、成果转化）",
            "export Excel or CSV (visits, problems, solutions, targets, assessment, projects, achievements)",
        ),
        description=t(
            "xlsx：一个工作簿，每类数据一个工作表。csv：--out 为文件夹，每类数据一个文件"
            "（visits.csv、problems.csv、solutions.csv、targets.csv、assessment.csv、team_assessment.csv、"
            "workstation_assessment.csv、projects.csv、achievements.csv），UTF-8 带 BOM。",
            "xlsx: one workbook with a sheet per kind. csv: --out is a folder with one file per kind "
            "(visits.csv, problems.csv, solutions.csv, targets.csv, assessment.csv, team_assessment.csv, "
            "workstation_assessment.csv, projects.csv, achievements.csv), UTF-8 with BOM.",
        ),
    )
    p.add_argument("--format", choices=["xlsx", "csv"], default="xlsx", help=t("格式", "format"))
    _basis_option(p)
    p.add_argument("--year", type=_year, required=True, help=t("年度", "year"))
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        help=t("输出文件（xlsx）或文件夹（csv）", "output file (xlsx) or folder (csv)"),
    )
    p.set_defaults(func=cmd_export)


BASIS_HELP = (
    "计入考核的服务记录：auto（默认：审核启用后仅计审核通过的，否则计全部已完成的）、approved（审核通过）、"
    "synced（已同步）、complete（已完成，非草稿）；文档上会注明统计口径",
    "which visits count: auto (default: approved ones once review is in use, else every completed "
    "one), approved, synced, complete (not a draft); documents say which",
)


def _basis_option(parser: Any) -> None:
    parser.add_argument(
        "--basis", choices=["auto", "approved", "synced", "complete"], default="auto", help=t(*BASIS_HELP)
    )


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            t(f"年度应为四位数字：{text}", f"a year is four digits: {text}")
        ) from None
    if not 2000 <= value <= 2100:
        raise argparse.ArgumentTypeError(t(f"年度不正确：{text}", f"not a valid year: {text}"))
    return value


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(t(f"进程数应为 1 到 64：{text}", f"processes are 1 to 64: {text}"))
    return value


def _open(args: argparse.Namespace) -> Store:
    return Store.open(data_dir_of(args))


def _check_pdf_target(out: Path) -> None:
    if out.is_dir():
        raise CommissionerError(
            Message(f"{out} 是文件夹，请给出 PDF 文件名", f"{out} is a folder; give a PDF file name")
        )
    if not out.parent.exists():
        raise CommissionerError(
            Message(f"文件夹 {out.parent} 不存在", f"The folder {out.parent} does not exist")
        )


def _say(zh: str, en: str) -> None:
    print(t(zh, en))


def by_number(store: Store, table: str, given: str) -> str:
    """The id of the record of `table` named by its id or by the short number the application shows
    for it (记录编号 on a visit sheet, the part of a file name: domain.short_id); `given` unchanged
    when no record or several have that number (the caller then says it is not found)."""
    given = given.strip()
    if len(given) != 8 or store.db.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", [given]).fetchone():
        return given
    found = store.ids_by_number(table, given)
    if len(found) == 1:
        return found[0]
    if (
        not found
        and store.db.conn.execute(
            f"SELECT 1 FROM {table} WHERE substr(id, 1, 8) = ? AND length(id) = 36 LIMIT 1", [given]
        ).fetchone()
    ):
        # The start of a whole id (an export lists whole ids under 记录编号): the minute the record
        # was made, which every record of that minute shares.
        raise NotFoundError(
            Message(
                f"找不到记录编号为 {given} 的记录：{given} 是记录 ID 的开头（同一分钟内建立的记录都相同）。"
                "请输入记录 ID 的最后 8 位（即服务记录单上的记录编号），或完整的记录 ID。",
                f"No record numbered {given}: {given} is the start of a record id (the same for every "
                "record made in that minute). Type the last 8 characters of the id (the number on the "
                "service sheet), or the whole id.",
            )
        )
    return given


def cmd_visit(args: argparse.Namespace) -> int:
    from commissioner_app.reports.visit_sheet import visit_sheet

    _check_pdf_target(args.out)
    store = _open(args)
    pages = visit_sheet(store, by_number(store, "visits", args.visit_id), args.out)
    _say(f"已生成服务记录单 {args.out}（{pages} 页）", f"Wrote the service sheet {args.out} ({pages} page)")
    return 0


def cmd_annual(args: argparse.Namespace) -> int:
    from commissioner_app.assessment import Period, assess
    from commissioner_app.reports.annual import annual_record
    from commissioner_app.reports.batch import annual_records

    store = _open(args)
    a = assess(store, period=Period.year(args.year), basis=args.basis)
    if args.all:
        if args.out.exists() and not args.out.is_dir():
            raise CommissionerError(
                Message(
                    f"{args.out} 不是文件夹（--all 时 --out 为文件夹）",
                    f"{args.out} is not a folder (--out is a folder with --all)",
                )
            )

        def progress(done: int, total: int, name: str) -> None:
            print(f"\r{done}/{total} {name}    ", end="", file=sys.stderr, flush=True)

        result = annual_records(
            store, args.year, args.out, assessment=a, progress=progress, workers=args.workers
        )
        print(file=sys.stderr)
        _say(
            f"已生成 {len(result.written)} 份年度服务记录，保存在 {args.out}",
            f"Wrote {len(result.written)} annual records into {args.out}",
        )
        failed = result.failure_message(shown=len(result.failed))
        if failed is not None:
            print(failed.text(), file=sys.stderr)
            return EXIT_PROBLEMS_FOUND
        return 0
    _check_pdf_target(args.out)
    cid = by_number(store, "commissioners", args.commissioner) if args.commissioner else None
    cid = cid or store.get_meta("self_commissioner_id")
    if not cid:
        raise CommissionerError(
            Message(
                "请用 --commissioner 指定特派员，或用 --all 生成全部",
                "Name a commissioner with --commissioner, or use --all",
            )
        )
    if a.member(cid) is None:
        raise CommissionerError(Message(f"找不到科技特派员 {cid}", f"No commissioner {cid}"))
    pages = annual_record(store, cid, args.year, args.out, assessment=a)
    _say(
        f"已生成年度服务记录 {args.out}（{pages} 页）", f"Wrote the annual record {args.out} ({pages} pages)"
    )
    return 0


def _group(args: argparse.Namespace, kind: str, given: str | None) -> int:
    from commissioner_app.assessment import Period, Scope, assess
    from commissioner_app.reports.summary import group_summary

    _check_pdf_target(args.out)
    store = _open(args)
    table = {"team": "teams", "workstation": "workstations"}[kind]
    key = given
    if not key:
        me = store.profile()
        key = getattr(me, f"{kind}_id", None) if me else None
        if not key:
            raise CommissionerError(Message(f"请用 --{kind} 指定编号", f"Name one with --{kind} ID"))
    row = store.row(table, key)
    if row is None or row["deleted"]:
        raise CommissionerError(
            Message(f"找不到{'科技特派团' if kind == 'team' else '工作站'} {key}", f"No {kind} {key}")
        )
    a = assess(store, Scope(kind, key), Period.year(args.year), basis=args.basis)
    a.scope_name = row["name"]
    pages = group_summary(store, a, args.out)
    _say(f"已生成汇总 {args.out}（{pages} 页）", f"Wrote the summary {args.out} ({pages} pages)")
    return 0


def cmd_team(args: argparse.Namespace) -> int:
    return _group(args, "team", args.team)


def cmd_workstation(args: argparse.Namespace) -> int:
    return _group(args, "workstation", args.workstation)


def cmd_city(args: argparse.Namespace) -> int:
    from commissioner_app.assessment import Period, assess
    from commissioner_app.reports.summary import city_summary

    _check_pdf_target(args.out)
    store = _open(args)
    pages = city_summary(store, assess(store, period=Period.year(args.year), basis=args.basis), args.out)
    _say(f"已生成全市汇总 {args.out}（{pages} 页）", f"Wrote the city summary {args.out} ({pages} pages)")
    return 0


def cmd_exemplars(args: argparse.Namespace) -> int:
    from commissioner_app.reports.groups import exemplars_list

    _check_pdf_target(args.out)
    pages = exemplars_list(_open(args), args.year, args.out)
    _say(
        f"已生成先进典型名单 {args.out}（{pages} 页）",
        f"Wrote the commendation list {args.out} ({pages} pages)",
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from commissioner_app.assessment import Period, assess
    from commissioner_app.exports import export_csv, export_xlsx, sheets

    store = _open(args)
    a = assess(store, period=Period.year(args.year), basis=args.basis)
    if args.format == "xlsx":
        if args.out.is_dir():
            raise CommissionerError(
                Message(
                    f"{args.out} 是文件夹，请给出 .xlsx 文件名",
                    f"{args.out} is a folder; give an .xlsx file name",
                )
            )
        if not args.out.parent.is_dir():
            raise CommissionerError(
                Message(f"文件夹 {args.out.parent} 不存在", f"The folder {args.out.parent} does not exist")
            )
        counts = export_xlsx(store, args.year, args.out, assessment=a)
        titles = {sheet.name: sheet.title for sheet in sheets(store, a)}  # as the workbook names them

        def title(name: str) -> Message:
            return titles.get(name, Message(name, name))

        _say(
            f"已导出 {args.out}：" + "，".join(f"{title(k).zh} {v} 行" for k, v in counts.items()),
            f"Exported {args.out}: " + ", ".join(f"{title(k).en} {v} rows" for k, v in counts.items()),
        )
        return 0
    if args.out.exists() and not args.out.is_dir():
        raise CommissionerError(
            Message(
                f"{args.out} 不是文件夹（csv 格式时 --out 为文件夹）",
                f"{args.out} is not a folder (--out is a folder for csv)",
            )
        )
    files = export_csv(store, args.year, args.out, assessment=a)
    _say(f"已导出 {len(files)} 个 CSV 文件到 {args.out}", f"Exported {len(files)} CSV files into {args.out}")
    return 0
