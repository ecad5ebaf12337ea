"""Command line: a thin layer over the packages' entry functions.

Each subcommand lives in its own module `hokoku/cmd_*.py` exposing
NAME, HELP, add_arguments(parser) and run(args) -> exit code.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from hokoku.extract.errors import HokokuError

from . import __version__

COMMAND_MODULES = [
    "hokoku.cmd_ingest",
    "hokoku.cmd_themes",
    "hokoku.cmd_draft",
    "hokoku.cmd_trends",
    "hokoku.cmd_eval_themes",
    "hokoku.cmd_export",
    "hokoku.cmd_debug",
]


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="hokoku",
        description="報告 — parse Japanese policy-evaluation report PDFs, classify council comments by theme, draft next year's report.",
    )
    parser.add_argument("--version", action="version", version=f"hokoku {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    runners = {}
    for modname in COMMAND_MODULES:
        mod = importlib.import_module(modname)
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks on errors")
        mod.add_arguments(p)
        runners[mod.NAME] = mod.run
    return parser, runners


def main(argv: list[str] | None = None) -> int:
    parser, runners = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        return runners[args.command](args)
    except HokokuError as e:
        if args.debug:
            raise
        print(f"hokoku {args.command}: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hokoku: interrupted", file=sys.stderr)
        return 130
