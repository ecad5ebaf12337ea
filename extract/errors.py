"""Errors a user can act on: one clear line, no traceback (unless --debug)."""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Control characters (a damaged file's bytes quoted in a message) shown as \\xNN, so a
    message cannot ring the bell, hide text or send escape sequences to the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class HokokuError(Exception):
    """Base for errors reported to the user as a single line."""


class InputError(HokokuError):
    """A file cannot be used as input; the message names the file and the cause.

    Several problems of one file are separate lines, each starting with the file name."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
