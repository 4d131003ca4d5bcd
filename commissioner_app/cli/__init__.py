"""The `commissioner` command line: headless, for scripting and support staff.

Each feature area registers its subcommands from its own module (see COMMAND_MODULES), so areas
can grow without touching one another.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from commissioner_app import __version__, i18n
from commissioner_app.errors import CommissionerError
from commissioner_app.logs import configure_logging, current_log_path
from commissioner_app.paths import default_data_dir

log = logging.getLogger("commissioner.cli")

# Modules with a `register(subparsers)` function. All are part of the application: one that fails
# to import is a defect and stops the command (it must not quietly take its commands away).
COMMAND_MODULES = [
    "commissioner_app.cli.core",
    "commissioner_app.cli.reports",
    "sync.cli",
    "commissioner_app.cli.backup",
]

EXIT_USER_ERROR = 2
EXIT_PROBLEMS_FOUND = 1
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE


def t(zh: str, en: str) -> str:
    """Pick the text in the user's language."""
    return en if i18n.language() == "en" else zh


# argparse's own words (its usage line, headings, help of -h and refusals), in Chinese when the
# command speaks Chinese: the rest of a help or a refusal was Chinese, and these stayed English.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示此帮助信息并退出",
    "show program's version number and exit": "显示程序版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少以下参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "须给出参数 %s 之一",
    "ignored explicit argument %r": "忽略了多余的值 %r",
}


@contextmanager
def argparse_language() -> Iterator[None]:
    """argparse's own words in the command's language while the parser is built and used."""
    if i18n.language() == "en":
        yield
        return
    english = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda text: ARGPARSE_ZH.get(text, english(text))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commissioner",
        description=t("科技特派员服务记录（命令行）", "Field Commissioner service records (command line)"),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        # (argparse's default for it is a plain string, never passed through its translation)
        help=argparse._("show program's version number and exit"),  # type: ignore[attr-defined]
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=t(
            "数据目录（默认：系统用户数据目录）",
            "data directory (default: the platform's user data directory)",
        ),
    )
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None, help=t("界面语言", "language"))
    parser.add_argument("-v", "--verbose", action="store_true", help=t("输出调试日志", "log debug output"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def data_dir_of(args: argparse.Namespace) -> Path:
    return args.data_dir or default_data_dir()


def main(argv: Sequence[str] | None = None) -> int:
    return _main(argv)[0]


def run() -> NoReturn:
    """`commissioner` as a process (the installed command, `python -m commissioner_app`).

    A command that says so (`exit_at_once`: the sync, which schedulers run again and again) ends
    the process as soon as its output is flushed, without the interpreter's tear-down: it has
    committed what it wrote, closed its database and joined its threads; freeing every loaded
    module and object one by one took 40-60 ms more, a thirtieth of a large push."""
    code, at_once = _main(None)
    if at_once:
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:  # None: the process was started with it closed
                    stream.flush()
            except BrokenPipeError:  # output piped into `head` and the like
                pass
            except OSError:  # output that could not be written (a full disk), as Python says at exit
                code = code or 120
        logging.shutdown()
        os._exit(code)
    raise SystemExit(code)


def _main(argv: Sequence[str] | None) -> tuple[int, bool]:
    """The command's exit code, and whether its process may end at once (see `run`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language must be known before the parser's help texts are made.
    lang = i18n.language_from_env()
    if "--lang" in argv[:-1]:
        lang = argv[argv.index("--lang") + 1]
    i18n.set_language(lang)
    # The command modules are imported with the garbage collector off: the tens of thousands of
    # objects an import makes (functions, classes, constants) all live as long as the process, and
    # the collections they set off walked them again and again (a seventh of the imports' time, 40
    # ms of a sync's start on this machine in a slow spell). As it was afterwards.
    collecting = gc.isenabled()
    gc.disable()
    with argparse_language():
        try:
            parser = build_parser()
        finally:
            if collecting:
                gc.enable()
        args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    args.log_level = logging.DEBUG if args.verbose else logging.INFO
    if data_dir_of(args).is_dir():
        # A data directory that is not there is not made for a log (a typo in --data-dir would
        # leave an empty one behind): a command that makes it starts the log then (open_store).
        configure_logging(data_dir_of(args), level=args.log_level)
    log.info("command %s", args.command)
    try:
        return int(args.func(args) or 0), bool(getattr(args, "exit_at_once", False))
    except CommissionerError as exc:
        log.info("%s refused: %s", args.command, exc.text("en"))
        print(t("错误：", "Error: ") + exc.text(), file=sys.stderr)
        return EXIT_USER_ERROR, False
    except BrokenPipeError:  # output piped into `head` and the like
        return 0, False
    except KeyboardInterrupt:
        print(t("已取消", "Cancelled"), file=sys.stderr)
        return 130, False
    except Exception:
        # A bug: the traceback goes to stderr and to the log file that support asks for.
        log.exception("%s failed", args.command)
        where = current_log_path()
        if where:
            print(
                t(f"程序出错，详细信息已写入 {where}", f"An internal error occurred; details are in {where}"),
                file=sys.stderr,
            )
        return EXIT_INTERNAL_ERROR, False
