"""Pass 1: find the units of the document before filing anything.

Units are the verified projects (検証対象事業), the その他の事業 projects and the chapters outside
them (はじめに … 参考). A verified project opens at the first of its opening labels (a
「事務事業名」 cell, 施策における目標, or 事業計画 when no goal is printed); its name is the
title printed just before (or the cell beside 事務事業名). A project whose title and goal are
repeated at the top of every page is one project: consecutive openings with the same name
merge. The report's own project list (施策一覧) and table of contents (目次) serve as the
gazetteer of names and chapter titles.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .blocks import Block, Label, TableBlock, overprinted
from .normalize import NOTE_MARK, normalize_text, strip_bullet
from .paragraphs import Para
from .patterns import Patterns
from .settings import ExtractSettings
from .toc import TocEntry, read_toc

# Opening labels of a verified project, in printed order; a label opens a new project when
# one of the same or a later rank was already seen in the current one.
OPENING_RANK = {"name": 0, "goal": 1, "plan": 2}
# Section labels that belong to a project's body (after its opening labels).
BODY_KEYS = {"activities", "indicators", "supplement", "do", "results", "program", "achievements",
             "challenges", "check", "action", "next_plan"}
_TOC_SUB = re.compile(r"^[（(][0-9]{1,2}[)）]")
_NAME_JUNK = re.compile(r"[\s\u3000]|[（(]※?[0-9]*[)）]$")
CIRCLED_START = re.compile(r"^[\u2460-\u2473]")


@dataclass
class Unit:
    """A project's extent in the block stream and where its own title stands."""

    name: str
    kind: str  # verified | other
    start: int  # index of the first block that belongs to the project (its title)
    end: int = 0  # index after its last block
    title: list[int] = field(default_factory=list)  # block indices of the title
    repeats: list[tuple[int, int]] = field(default_factory=list)  # (start, body) of repeated headers
    article: int | None = None
    anchor: int = 0  # index of the opening label / table


@dataclass
class ChapterUnit:
    title: str
    start: int
    end: int
    position: str
    repeats: list[int] = field(default_factory=list)  # blocks printing its title again (a running header)


@dataclass
class Segments:
    units: list[Unit]
    chapters: list[ChapterUnit]
    toc_pages: set[int] = field(default_factory=set)  # PDF pages of the 目次 (its entries name articles too)


def name_key(text: str) -> str:
    """A project name for comparison: normalised, without spaces, markers, trailing notes."""
    t = strip_bullet(normalize_text(text))  # 「■ …事業」: the mark a title is printed with
    t = "".join(ch for ch in t if not CIRCLED_START.match(ch))
    return _NAME_JUNK.sub("", _NAME_JUNK.sub("", t))


class Segmenter:
    def __init__(self, blocks: list[Block], pats: Patterns, s: ExtractSettings, body_size: float):
        self.blocks, self.pats, self.s, self.body = blocks, pats, s, body_size

    # ---------------------------------------------------------------- helpers

    def article_of(self, b: Block) -> int | None:
        return self.pats.article_heading(b.text) if isinstance(b, Para) else None

    def titleish(self, b: Block, gazetteer: set[str]) -> bool:
        """A short line in heavier or larger type (or a name the report lists) — a title."""
        if not isinstance(b, Para) or self.article_of(b) is not None:
            return False
        t = b.text
        if not t or len(t) > self.s.title_max_chars or (strip_bullet(t) != t and not CIRCLED_START.match(t)):
            return False
        if name_key(t) in gazetteer:
            return True
        big = b.size >= self.body + self.s.title_size_delta
        if len(b.lines) > (self.s.title_max_lines if big else 1):
            return False
        return big or b.heavy

    # ---------------------------------------------------------------- gazetteer

    def gazetteer(self) -> set[str]:
        """Project names the report lists (施策一覧), for recognising titles."""
        names: set[str] = set()
        for b in self.blocks:
            if isinstance(b, TableBlock) and b.kind == "project_list":
                for row in b.grid.rows:
                    for cell in row:
                        for t in cell:
                            k = name_key(self.pats.article_override.sub("", t))
                            if len(k) >= self.s.listed_name_min_chars and not re.fullmatch(r"[0-9\-～~・,]+", k):
                                names.add(k)
        return names

    # ---------------------------------------------------------------- main

    def run(self) -> Segments:
        blocks = self.blocks
        gaz = self.gazetteer()
        articles = {i: a for i, b in enumerate(blocks) if (a := self.article_of(b)) is not None}
        other_start = back_start = None
        seen_opening = False
        for i, b in enumerate(blocks):
            if isinstance(b, Label):
                if b.key in OPENING_RANK:
                    seen_opening = True
                if b.key == "other_part" and seen_opening and other_start is None:
                    other_start = i
                if b.key == "appendix" and seen_opening and back_start is None:
                    back_start = i
        verified_end = other_start if other_start is not None else (back_start if back_start is not None else len(blocks))
        units = self._verified(0, verified_end, gaz)
        if other_start is not None:
            units += self._others(other_start + 1, back_start if back_start is not None else len(blocks), gaz)
        heads = sorted(articles.items())
        for u in units:
            prior = [a for i, a in heads if i < u.anchor]
            own = getattr(blocks[u.anchor], "article", None)
            if own is None:
                own = u.article  # read where its rows go on
            u.article = own if own is not None else (prior[-1] if prior else None)
        toc, pages = read_toc(blocks, self.pats, self.s)
        return Segments(units=units, chapters=self._chapters(units, toc, pages, back_start), toc_pages=pages)

    def _verified(self, lo: int, hi: int, gaz: set[str]) -> list[Unit]:
        blocks = self.blocks
        openings: list[tuple[int, str]] = []  # (index of the opening label, its key)
        seen: set[str] = set()
        last_rank = -1
        for i in range(lo, hi):
            b = blocks[i]
            if not isinstance(b, Label):
                continue
            if b.key in OPENING_RANK:
                rank = OPENING_RANK[b.key]
                if not openings or rank <= last_rank or seen & BODY_KEYS:
                    openings.append((i, b.key))
                    seen = set()
                last_rank = rank
                seen.add(b.key)
            elif b.key in BODY_KEYS:
                seen.add(b.key)
        units: list[Unit] = []
        floor = lo
        for i, key in openings:
            title, name = self._title(i, key, floor, gaz)
            start = title[0] if title else i
            prev = units[-1] if units else None
            if prev is not None and name and name_key(name) == name_key(prev.name):
                prev.repeats.append((start, self._after_repeat(i)))
            elif prev is not None and not name and not title:
                pass  # an opening label with no title of its own: the same project goes on
            else:
                if prev is not None:
                    prev.end = start
                units.append(Unit(name=name, kind="verified", start=start, title=title, anchor=i))
            floor = i + 1
        if units:
            units[-1].end = hi
        return units

    def _after_repeat(self, i: int) -> int:
        """Index after a repeated header's opening label and the content repeated with it."""
        b = self.blocks[i]
        value = i + 1 < len(self.blocks) and isinstance(self.blocks[i + 1], Para)
        # a goal or name label is repeated with its text (the paragraph right after it)
        return i + 2 if isinstance(b, Label) and b.key in ("goal", "name") and value else i + 1

    def _title(self, i: int, key: str, floor: int, gaz: set[str]) -> tuple[list[int], str]:
        """Title block indices and the name for the opening label at i."""
        blocks = self.blocks
        if key == "name":
            j = i + 1
            if j < len(blocks) and isinstance(blocks[j], Para):
                return [i, j], normalize_text(blocks[j].text)
            return [i], ""
        title: list[int] = []
        j = i - 1
        while j >= floor and isinstance(blocks[j], Para) and blocks[j].text.startswith(NOTE_MARK):
            j -= 1  # a note printed between a title and its content
        while j >= floor and len(title) < self.s.title_max_blocks:
            b = blocks[j]
            if isinstance(b, Label) and b.key in ("article_label", "policy_label"):
                j -= 1
                continue
            if not self.titleish(b, gaz):
                break
            if title and abs(b.size - blocks[title[0]].size) > self.s.same_size_tol and not CIRCLED_START.match(blocks[title[0]].text):
                break
            title.insert(0, j)
            j -= 1
        if not title and j >= floor and isinstance(blocks[j], Para) and self.article_of(blocks[j]) is None \
                and len(blocks[j].lines) == 1 and len(blocks[j].text) <= self.s.title_max_chars:
            title = [j]
        name = self._title_name(title)
        if gaz and not self.listed(name, gaz):
            listed = self._listed_title(i, floor, gaz)
            if listed:
                return listed, self._title_name(listed)
        return title, name

    def _title_name(self, title: list[int]) -> str:
        """The name title blocks print, without a numbering, mark or name label before it."""
        return self.pats.title_number.sub("", normalize_text(" ".join(self.blocks[k].text for k in title)))

    def listed(self, name: str, gaz: set[str]) -> bool:
        """The report's project list names `name`: as one entry, or as a group and one of its
        sub-projects (「…関連事業 ①…事業」)."""
        key = name_key(name)
        return key in gaz or any(key.startswith(g) and key[len(g):] in gaz for g in gaz if len(g) < len(key))

    def _listed_title(self, i: int, floor: int, gaz: set[str]) -> list[int]:
        """The nearest title before the opening label at i that the project list names (one
        block, or a group's name and the sub-project's on the next line), when typography picked
        a line the list does not know: the list is the authority for names."""
        for j in range(i - 1, max(floor, i - self.s.listed_title_search) - 1, -1):
            for span in ([j - 1, j], [j]):
                if span[0] < floor or not all(isinstance(self.blocks[k], Para) for k in span):
                    continue
                if self.listed(" ".join(self.blocks[k].text for k in span), gaz):
                    return span
        return []

    def _others(self, lo: int, hi: int, gaz: set[str]) -> list[Unit]:
        """その他の事業: each 概要/実績 table (or pair of labels) under its title."""
        blocks = self.blocks
        units: list[Unit] = []
        seen: set[str] = set()
        floor = lo
        for i in range(lo, hi):
            b = blocks[i]
            opens = False
            if isinstance(b, TableBlock) and b.kind == "overview":
                opens = True
            elif isinstance(b, Label) and b.key in ("next_plan", "results"):
                opens = not units or b.key in seen or self._has_title_between(floor, i, gaz)
                seen.add(b.key)
            if not opens:
                continue
            if getattr(b, "continues", False) and units:
                if not units[-1].name and b.name:  # its cut-off name printed over the header
                    units[-1].name = b.name
                if units[-1].article is None:  # (and its article cell, cut off as well)
                    units[-1].article = b.article
                floor = i + 1
                continue  # the previous project's rows after a page break: already in its range
            title, name = self._title(i, "overview", floor, gaz)
            own = self._own_name(b)
            if own:
                name = own
            start = title[0] if title else i
            prev = units[-1] if units else None
            unnamed = getattr(b, "unnamed", False)
            if prev is not None and not unnamed and (not name or name_key(name) == name_key(prev.name)) \
                    and not self._article_between(prev.anchor, start):
                if title:  # the name printed again above the continuation: skipped, the table read
                    prev.repeats.append((start, start + len(title)))
            else:
                if prev is not None:
                    prev.end = start
                units.append(Unit(name="" if unnamed else name, kind="other", start=i if unnamed else start,
                                  title=[] if unnamed else title, anchor=i))
            seen = {b.key} if isinstance(b, Label) else set()
            floor = i + 1
        if units:
            units[-1].end = hi
        for u in units:
            if not u.name:
                self._name_from_outside(u)
            self._cell_spill(u)
        return units

    def _name_from_outside(self, u: Unit) -> None:
        """A project whose name cell a page break cut off: its name is printed outside the
        table (the merged cell's text centred over the break) — the first short lines in its
        range, one under the other, that are not an article cell (「16条」) or a note, in the
        table's name column when it has one. Those lines are no content."""
        column = self._columns(u).get("name")
        picked: list[int] = []
        for k in range(u.anchor + 1, u.end):
            b = self.blocks[k]
            name_like = isinstance(b, Para) and len(b.lines) == 1 and len(b.text) <= self.s.title_max_chars
            t = re.sub(r"\s+", "", normalize_text(b.text)) if name_like else ""
            if not name_like or t.startswith(NOTE_MARK) or self.pats.article_cell.match(t) \
                    or not _in_column(b, column) or (picked and not self._stacked(self.blocks[picked[-1]], b)):
                if picked:
                    break
                continue
            picked.append(k)
        if picked:
            u.name = normalize_text(" ".join(self.blocks[k].text for k in picked))
            u.repeats.append((picked[0], picked[-1] + 1))

    def _columns(self, u: Unit) -> dict[str, tuple[float, float]]:
        """x-ranges of the name and article columns of the table listing several projects that
        `u` was cut out of (by its header row's words), when it is one."""
        b = self.blocks[u.anchor]
        if not isinstance(b, TableBlock) or not b.grid.cells:
            return {}
        words = {"name": self.pats.tables["overview_name"], "article": self.pats.tables["article_column"]}
        out: dict[str, tuple[float, float]] = {}
        for c in b.grid.cells[0]:
            text = normalize_text(c.text) if c is not None and c.lines else ""
            for key, ws in words.items():
                if text and key not in out and any(overprinted(w, text) for w in ws):  # (a cut name printed over it)
                    out[key] = (c.bbox[0], c.bbox[2])
        return out

    def _cell_spill(self, u: Unit) -> None:
        """Lines outside the table in its article or name column are those cells' text (「15条」
        and the policy under it, the name and its ※ note) that a page break pushed past the
        table (a merged cell's text is centred on its whole range): no content."""
        columns = self._columns(u).values()
        for k in range(u.anchor + 1, u.end):
            if isinstance(self.blocks[k], Para) and any(_in_column(self.blocks[k], c) for c in columns):
                u.repeats.append((k, k + 1))

    def _stacked(self, up: Para, b: Para) -> bool:
        """b is the next line of the text `up` ends (a cell's text wrapped): same page, right under it."""
        a, n = up.lines[-1], b.lines[0]
        return a.page == n.page and 0 <= n.top - a.bottom <= self.s.para_gap * n.size

    def _has_title_between(self, lo: int, hi: int, gaz: set[str]) -> bool:
        return any(self.titleish(self.blocks[k], gaz) for k in range(lo, hi))

    def _article_between(self, lo: int, hi: int) -> bool:
        return any(self.article_of(self.blocks[k]) is not None for k in range(lo, hi))

    def _own_name(self, b: Block) -> str | None:
        """An overview table's own name row (one merged cell above the 概要 header)."""
        if not isinstance(b, TableBlock):
            return None
        if b.name:
            return b.name
        rows = b.grid.rows
        words = self.pats.tables["overview"]
        for k, r in enumerate(rows[:3]):
            if any(w in " ".join(" ".join(c) for c in r) for w in words):
                for above in rows[:k]:  # a name row; a ※ note row is passed over
                    cand = [c for c in above if c]
                    if len(cand) == 1 and not " ".join(cand[0]).startswith(NOTE_MARK):
                        return normalize_text(" ".join(cand[0]))
                return None
        return None

    def _chapters(self, units: list[Unit], toc: list[TocEntry], toc_pages: set[int],
                  back_start: int | None) -> list[ChapterUnit]:
        """Front matter before the first project and the appendix after the last one, split
        at chapter headings: the 目次's top-level entries, else numbered heavy headings. The
        目次 itself (which names them all) is no heading."""
        blocks = self.blocks
        first = min((u.start for u in units), default=len(blocks))
        titles = {name_key(e.title) for e in toc
                  if e.top_level and not _TOC_SUB.match(e.title) and not self.pats.article.match(e.title)}
        out: list[ChapterUnit] = []

        def is_heading(b: Block) -> str | None:
            if b.page in toc_pages:
                return None
            if isinstance(b, Label) and b.key == "appendix":
                return b.text
            if isinstance(b, Para) and len(b.text) <= self.s.title_max_chars:
                key = name_key(b.text)
                if titles and (key in titles or any(difflib.SequenceMatcher(None, key, t).ratio() >= self.s.toc_match
                                                    for t in titles)):
                    return b.text  # (the 目次 may word a year differently: 令和3年度 / 令和3（2021）年度)
                if not titles and (b.heavy or b.size >= self.body + self.s.title_size_delta) \
                        and re.match(r"^[0-9]{1,2}\s", b.text):
                    return b.text
            return None

        ranges = [(0, first, "front")]
        if back_start is not None:
            ranges.append((back_start, len(blocks), "back"))
        for lo, hi, pos in ranges:
            cur: ChapterUnit | None = None
            for i in range(lo, hi):
                h = is_heading(blocks[i])
                if h and cur and name_key(h) == name_key(cur.title):
                    cur.repeats.append(i)  # the chapter's title at the top of its next page: it goes on
                    continue
                if h and not (cur and cur.start == i):
                    if cur:
                        cur.end = i
                    cur = ChapterUnit(title=normalize_text(h), start=i, end=hi, position=pos)
                    out.append(cur)
        return out


def _in_column(b: Block, column: tuple[float, float] | None) -> bool:
    """The block's middle stands within the column's x-range (any block when no column is known)."""
    if column is None or not b.bbox:
        return column is None
    mid = (b.bbox[0] + b.bbox[2]) / 2
    return column[0] <= mid <= column[1]
