"""hokoku ingest (not yet implemented)."""
from __future__ import annotations

import sys

NAME = "ingest"
HELP = "ingest (not yet implemented)"


def add_arguments(p) -> None:
    p.add_argument("inputs", nargs="*")
    p.add_argument("-o", "--output")


def run(args) -> int:
    print("hokoku ingest: not yet implemented", file=sys.stderr)
    return 2
