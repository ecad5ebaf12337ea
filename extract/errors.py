"""Errors a user can act on: one clear line, no traceback (unless --debug)."""
from __future__ import annotations


class HokokuError(Exception):
    """Base for errors reported to the user as a single line."""


class InputError(HokokuError):
    """A file cannot be used as input; the message names the file and the cause.

    Several problems of one file are separate lines, each starting with the file name."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
