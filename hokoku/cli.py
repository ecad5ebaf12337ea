"""Command line: a thin layer over the packages' entry functions.

Each subcommand lives in its own module `hokoku/cmd_*.py` exposing
NAME, HELP, add_arguments(parser) and run(args) -> exit code.

Conventions shared by every command:
- messages go to stderr through `logging` (`-v` adds detail, `-q` keeps only warnings
  and errors); results go to the output files, or to stdout with `-o -`;
- an error the user can act on is one line `hokoku CMD: error: …` and exit status 1;
- `check_output(path, formats)` rejects an output suffix that does not match the format
  and `-o -` for formats that cannot go to a terminal (XLSX, DOCX, Parquet, folders).
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Iterable
from pathlib import Path

from hokoku.extract.errors import HokokuError, terminal_safe

from . import __version__

COMMAND_MODULES = [
    "hokoku.cmd_ingest",
    "hokoku.cmd_themes",
    "hokoku.cmd_draft",
    "hokoku.cmd_trends",
    "hokoku.cmd_validate",
    "hokoku.cmd_schema",
    "hokoku.cmd_eval_themes",
    "hokoku.cmd_export",
    "hokoku.cmd_debug",
]

STDOUT = "-"
STDOUT_FORMATS = frozenset({"json", "csv"})
"""Formats that may be written to standard output with `-o -`."""
# Library loggers that speak up on damaged input; their details are summarised by hokoku.
QUIET_LOGGERS = ("pdfminer", "pdfplumber", "fontTools", "matplotlib", "PIL")

log = logging.getLogger("hokoku")


def check_output(path: str, formats: Iterable[str], what: str = "output") -> str:
    """The format of output `path` among `formats` (lower-case suffixes without the dot).

    Raises HokokuError (one line) for `-` with a format that cannot go to stdout, or a
    suffix that is not one of `formats` (`-o x.doc` for a .docx is an error, not a misnamed file)."""
    formats = [f.lower() for f in formats]
    if path == STDOUT:
        usable = [f for f in formats if f in STDOUT_FORMATS]
        if not usable:
            raise HokokuError(f"{what} '-': {'/'.join(formats).upper()} cannot be written to standard output; give a file name")
        return usable[0]
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in formats:
        expected = " or ".join(f".{f}" for f in formats)
        got = f"'.{suffix}'" if suffix else "no suffix"
        raise HokokuError(f"{what} {path}: has {got}, expected {expected}")
    return suffix


class _SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record))


def setup_logging(verbosity: int) -> None:
    """One handler on stderr, plain message lines. -q: warnings and errors only; default: hokoku's
    progress lines; -v: hokoku's details; -vv: also the libraries' debug output."""
    level = logging.WARNING if verbosity < 0 else logging.INFO if verbosity == 0 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SafeFormatter("%(message)s"))
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_hokoku", False):
            root.removeHandler(h)
    handler._hokoku = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("hokoku").setLevel(level)
    for name in QUIET_LOGGERS:  # their messages reach the user only through hokoku's summaries
        logging.getLogger(name).setLevel(logging.DEBUG if verbosity >= 2 else logging.CRITICAL)
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.WARNING if verbosity >= 1 else logging.ERROR)


def _add_common(p: argparse.ArgumentParser, on_command: bool) -> None:
    """--debug/-v/-q, accepted before the command name and (on_command) after it."""
    keep = {"default": argparse.SUPPRESS} if on_command else {}  # do not reset what came before
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors", **keep)
    p.add_argument("-v", "--verbose", action="count", help="more detail on stderr (-vv: library debug output)",
                   **(keep or {"default": 0}))
    p.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors on stderr", **keep)


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="hokoku",
        description="報告 — parse Japanese policy-evaluation report PDFs, classify council comments by theme, draft next year's report.",
        epilog="Outputs: '-o -' writes JSON/CSV to standard output. Messages go to stderr.",
    )
    parser.add_argument("--version", action="version", version=f"hokoku {__version__}")
    _add_common(parser, on_command=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    runners = {}
    for modname in COMMAND_MODULES:
        mod = importlib.import_module(modname)
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        _add_common(p, on_command=True)
        mod.add_arguments(p)
        runners[mod.NAME] = mod.run
    return parser, runners


def main(argv: list[str] | None = None) -> int:
    parser, runners = build_parser()
    args = parser.parse_args(argv)
    setup_logging(-1 if args.quiet else args.verbose)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        return runners[args.command](args)
    except HokokuError as e:
        if args.debug:
            raise
        for line in str(e).splitlines() or [type(e).__name__]:  # one line per problem
            log.error("hokoku %s: error: %s", args.command, line)
        return 1
    except KeyboardInterrupt:
        log.error("hokoku: interrupted")
        return 130
    except BrokenPipeError:  # `hokoku … -o - | head`
        return 0

