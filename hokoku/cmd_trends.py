"""hokoku trends (not yet implemented)."""
from __future__ import annotations

import sys

NAME = "trends"
HELP = "trends (not yet implemented)"


def add_arguments(p) -> None:
    p.add_argument("inputs", nargs="*")
    p.add_argument("-o", "--output")


def run(args) -> int:
    print("hokoku trends: not yet implemented", file=sys.stderr)
    return 2
