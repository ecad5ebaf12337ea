"""Why pieces a page or panel break cut apart were joined, split or dropped: one logger, one line
per decision (`hokoku debug --trace` prints them), so a user asking "why did this row end up in
that table?" reads the rule that did it."""
from __future__ import annotations

import logging

log = logging.getLogger("hokoku.extract.stitch")


def decided(page: int, rule: str, what: str, why: str) -> None:
    """Log one decision: the page it concerns, the rule's name, what it did, and why."""
    if log.isEnabledFor(logging.DEBUG):
        log.debug("p%d %s: %s — %s", page, rule, what, why)


def snippet(text: str, n: int = 20) -> str:
    """The first `n` characters of a text, on one line, for a trace line."""
    t = " ".join(text.split())
    return f"「{t[:n]}…」" if len(t) > n else f"「{t}」"
