"""hokoku schema: print the JSON Schema (2020-12) of report.json, as shipped in the package."""
from __future__ import annotations

import sys

NAME = "schema"
HELP = "print the JSON Schema (2020-12) of report.json to stdout (generated from the report model)"


def add_arguments(p) -> None:
    """No options: the schema goes to stdout (`hokoku schema > report.schema.json`)."""


def run(args) -> int:
    from hokoku.extract.model import shipped_schema

    sys.stdout.write(shipped_schema())
    return 0
