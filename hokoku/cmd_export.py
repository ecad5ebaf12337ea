"""hokoku export: the whole corpus database as Parquet files."""
from __future__ import annotations

import logging

from pathlib import Path

log = logging.getLogger("hokoku")
NAME = "export"
HELP = "write every table of a DuckDB corpus (reports, projects, indicators, comments, actions, themes) as Parquet"


def add_arguments(p) -> None:
    p.add_argument("--db", default="hokoku.duckdb", metavar="DB", help="corpus database (default hokoku.duckdb)")
    p.add_argument("-o", "--output", required=True, metavar="DIR")


def run(args) -> int:
    from hokoku.extract.errors import InputError
    from hokoku.outputs.corpus import export

    if not Path(args.db).exists():
        raise InputError(args.db, "no such corpus database (create it with hokoku ingest … --db)")
    for path in export(args.db, args.output):
        log.info(f"hokoku export: {path}")
    return 0
