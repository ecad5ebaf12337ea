"""The report's table of contents (目次): its entries with their page and indent.

Entries are printed as 「1 はじめに……1」 with leaders, or as a title and a page number set
flush right at the same height with nothing between (two segments of one row). The entries at
the leftmost indent are the chapters; the indented ones are sections and projects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Block
from .geometry import Line
from .normalize import normalize_text
from .paragraphs import Para
from .patterns import Patterns
from .settings import ExtractSettings

LEADERS = re.compile(r"[.．·・…‥─—-]{3,}")
LEADERS_END = re.compile(r"\s*[.．·・…‥─—-]{3,}\s*$")  # leaders before a page number set apart
ENTRY = re.compile(r"^(?P<title>.+?)\s*(?:[.．·・…‥─—-]{3,}|\s{2,})\s*(?P<page>[0-9]{1,3})$")
PAGE_NO = re.compile(r"^[0-9]{1,3}$")


@dataclass(frozen=True)
class TocEntry:
    title: str
    page: int  # the printed page number
    x0: float  # left edge, for the indent level
    read_on: int  # the PDF page (from 1) the entry was read on
    top_level: bool = False


def _lines(blocks: list[Block]) -> list[Line]:
    """The paragraphs' lines: entries printed full width to their page number run on into one
    paragraph (「1 はじめに……1」 over 「2 市内産業の現状……2」), so each line is read on its own."""
    return [ln for b in blocks if isinstance(b, Para) for ln in b.lines]


def toc_pages(blocks: list[Block], pats: Patterns) -> set[int]:
    """PDF pages of the 目次: the page under its heading, however decorated (「― 目次 ―」); its
    entries may go on overleaf, which `read_toc` follows while the next page still holds entries."""
    return {b.page for b in blocks if isinstance(b, Para) and pats.toc_heading.match(re.sub(r"[\W_]+", "", b.text))}


def _entries_on(blocks: list[Block], s: ExtractSettings) -> list[TocEntry]:
    out: list[TocEntry] = []
    lines = _lines(blocks)
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if PAGE_NO.match(text):
            continue
        m = ENTRY.match(text)
        if m:
            out.append(TocEntry(normalize_text(m.group("title")), int(m.group("page")), ln.x0, ln.page))
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and nxt.page == ln.page and PAGE_NO.match(nxt.text.strip()) \
                and abs(nxt.top - ln.top) <= s.toc_row_tol_pt and nxt.x0 > ln.x1:
            out.append(TocEntry(normalize_text(LEADERS_END.sub("", text)), int(nxt.text.strip()), ln.x0, ln.page))
    return out


def read_toc(blocks: list[Block], pats: Patterns, s: ExtractSettings) -> tuple[list[TocEntry], set[int]]:
    """The 目次 entries (top-level ones marked) and the pages they were read from. Without a
    目次 heading, lines with leaders anywhere are entries (a contents page without a title)."""
    pages = toc_pages(blocks, pats)
    if not pages:
        entries = [TocEntry(normalize_text(m.group("title")), int(m.group("page")), ln.x0, ln.page)
                   for ln in _lines(blocks) if LEADERS.search(ln.text) and (m := ENTRY.match(ln.text.strip()))]
        return _levels(entries, s), {e.read_on for e in entries}
    entries: list[TocEntry] = []
    page = min(pages)
    while True:
        found = _entries_on([b for b in blocks if b.page == page], s)
        if not found:
            break
        entries += found
        pages.add(page)
        page += 1
    return _levels(entries, s), pages


def _levels(entries: list[TocEntry], s: ExtractSettings) -> list[TocEntry]:
    if not entries:
        return []
    left = min(e.x0 for e in entries)
    return [TocEntry(e.title, e.page, e.x0, e.read_on, e.x0 - left <= s.toc_level_tol_pt) for e in entries]
