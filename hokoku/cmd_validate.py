"""hokoku validate: check report.json files against the report model (the schema `hokoku schema` prints)."""
from __future__ import annotations

import logging

NAME = "validate"
HELP = ("check report.json files against the report model (hokoku schema): one line per problem naming "
        "the file, exit 1 when any file has one; -q prints the problems only")

log = logging.getLogger("hokoku")


def add_arguments(p) -> None:
    p.add_argument("reports", nargs="+", metavar="REPORT.json", help="report.json files to check")


def run(args) -> int:
    """Each file read as every command reads it (Report.load), so "ok" means themes, draft and
    trends accept it; the problems are the lines of its InputError, each naming the file."""
    from hokoku.extract.errors import InputError
    from hokoku.extract.model import Report

    bad = 0
    for path in args.reports:
        try:
            report = Report.load(path)
        except InputError as e:
            bad += 1
            for line in str(e).splitlines():
                log.error("hokoku validate: error: %s", line)
        else:
            n = len(report.projects)
            log.info("hokoku validate: %s: ok (%d project%s)", path, n, "" if n == 1 else "s")
    if len(args.reports) > 1:
        log.info("hokoku validate: %d ok, %d with problems", len(args.reports) - bad, bad)
    return 1 if bad else 0
