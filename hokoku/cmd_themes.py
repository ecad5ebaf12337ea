"""hokoku themes (not yet implemented)."""
from __future__ import annotations

import sys

NAME = "themes"
HELP = "themes (not yet implemented)"


def add_arguments(p) -> None:
    p.add_argument("inputs", nargs="*")
    p.add_argument("-o", "--output")


def run(args) -> int:
    print("hokoku themes: not yet implemented", file=sys.stderr)
    return 2
