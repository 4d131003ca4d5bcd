"""Backup and restore subcommands: `commissioner backup --out FILE`, `commissioner restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from commissioner_app.backup import default_backup_name, make_backup, restore_backup, verify_backup
from commissioner_app.cli import data_dir_of, t
from commissioner_app.cli.core import KIND_LABELS


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backup", help=t("把数据库和附件备份到一个文件", "back up the database and attachments to one file")
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help=t(
            "备份文件（或文件夹）；默认为当前文件夹中带日期的文件",
            "backup file (or folder); default: a dated file in the current folder",
        ),
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help=t(
            "从备份文件恢复（原有数据会保留一份）",
            "restore from a backup file (the current data is kept aside)",
        ),
    )
    p.add_argument("file", type=Path, help=t("备份文件", "backup file"))
    p.add_argument(
        "--check",
        action="store_true",
        help=t(
            "只检查备份文件能否恢复，不做更改", "only check that the file can be restored; change nothing"
        ),
    )
    p.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    out = args.out or Path.cwd() / default_backup_name()
    result = make_backup(data_dir_of(args), out)
    total = sum(result.records.values())
    print(
        t(
            f"已备份：{total} 条记录，{result.attachments} "
            f"个附件文件，{result.size_bytes / 1024 / 1024:.1f} MB",
            f"Backed up {total} records and {result.attachments} attachment files, "
            f"{result.size_bytes / 1024 / 1024:.1f} MB",
        )
    )
    if result.missing_attachments:
        print(
            t(
                f"注意：{len(result.missing_attachments)} 个附件的文件原本就缺失，未能备份（运行 "
                "commissioner check 查看）。",
                f"Note: the files of {len(result.missing_attachments)} attachments were already missing and "
                "are not in the backup (see commissioner check).",
            )
        )
    print(result.path)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if args.check:
        manifest = verify_backup(args.file)
        print(
            t(
                f"备份文件完好：{manifest.get('created_at', '')} 由版本 {manifest.get('app_version', '?')} "
                "生成。",
                f"The backup is intact: made {manifest.get('created_at', '')} by version "
                f"{manifest.get('app_version', '?')}.",
            )
        )
        return 0
    result = restore_backup(args.file, data_dir_of(args))
    print(
        t(
            f"已从 {args.file} 恢复（备份时间 {result.created_at}）到 {result.data_dir}。",
            f"Restored {args.file} (made {result.created_at}) into {result.data_dir}.",
        )
    )
    for table, count in result.records.items():
        if count:
            print(f"  {KIND_LABELS[table].text() if table in KIND_LABELS else table}: {count}")
    if result.previous:
        print(t(f"原有数据已保留在 {result.previous}", f"The previous data was kept in {result.previous}"))
    return 0
