"""Structure layer, pass 2: fill each unit found by `segment` with its sections.

Blocks come from `blocks` (paragraphs, labels wherever printed, tables); units (projects,
chapters) from `segment`. Within a project a section cursor, set by each label, decides where
a paragraph, a numbered Check/Action item or a KPI table goes; a project's header repeated on
a later page is skipped and the cursor goes on where it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

from .beside import labels_before_content
from .blocks import ONE_SHOT, Block, ColumnHeads, CutRows, Label, TableBlock, split_para, table_blocks
from .geometry import Cell, Line, PageLayout, TableRegion
from .model import (ActionItem, ArticleOpinion, Chapter, CheckItem, Project, Provenance,
                    ReportInfo)
from .normalize import NOTE_MARK, NOTE_OPENERS, normalize_text, split_numbered, strip_bullet
from .paragraphs import Para, build_paragraphs
from .patterns import LINE_MARKERS, Patterns
from .segment import ChapterUnit, Segmenter, Unit, name_key
from .settings import ExtractSettings
from .tables import Grid, _same_columns, kpi_row_kind, parse_kpis, to_table, year_of
from .trace import decided, snippet

KPI_PIECES = 4  # grids waiting for their 実績 row across a break (side by side: two or more)
# Sections whose paragraphs are plain item lists on the project.
LIST_FIELDS = {
    "plan": "plan",
    "activities": "activities",
    "supplement": "supplement",
    "do": "results",
    "results": "results",
    "achievements": "achievements",
    "challenges": "challenges",
    "next_plan": "next_plan",
}


@dataclass
class Parsed:
    info: ReportInfo
    projects: list[Project]
    article_opinions: list[ArticleOpinion]
    chapters: list[Chapter] = field(default_factory=list)
    project_list: list[tuple[int, list[str], tuple[int, int] | None]] = field(default_factory=list)
    list_pages: set[int] = field(default_factory=set)  # PDF pages the project list is printed on
    labels_found: dict[str, int] = field(default_factory=dict)
    tables_found: int = 0
    last_page: int = 0


def _stream(pages: list[PageLayout], s: ExtractSettings, pats: Patterns) -> list[Line | TableRegion | list[TableRegion] | None]:
    """All items in reading order, None between pages; a table continued on the next page
    (it opens the page and lines up with the table that closed the previous one) joins it.
    KPI rows cut off from a grid are left to `_join_cut_kpis`: the grid that closed the page
    need not be theirs when grids stood side by side."""
    out: list = []
    titles = _print_titles(pages, s, pats)
    for p in pages:
        first = True
        column = None
        for it in p.items:
            if id(it) in titles:
                decided(p.index, "print-title", f"dropped {snippet(it.text)}",  # (only lines are items here)
                        "the same words at the same height open many pages")
                continue
            if isinstance(it, TableRegion) and (it := _without_title_rows(it, titles)) is None:
                continue
            if column == "left" and it.column == "right":
                first = True  # the flow goes on at the top of the right panel
            column = it.column
            if isinstance(it, TableRegion):
                last = _last_real(out)
                if first and isinstance(last, list) and last[-1].page in (it.page, it.page - 1) \
                        and _same_columns(last[-1], it, s) and not _starts_new_table(last[0], it) \
                        and not (_kpi_rows_only(it, pats) and _ends_at_target(last[-1], pats)):
                    decided(it.page, "table-continues", f"the table opening the page joins the one of p{last[-1].page}",
                            "it opens the page, has the same columns and starts no new table")
                    last.append(it)
                else:
                    out.append([it])
            else:
                out.append(it)
            first = False
        out.append(None)
    return _join_cut_kpis(out, pats, s)


def _print_titles(pages: list[PageLayout], s: ExtractSettings, pats: Patterns) -> set[int]:
    """Lines and leading table rows (their ids) with the same words (digits aside) at the same
    height near the top of many pages: a title row printed on every page (a spreadsheet's print
    titles, free or as the sheet's first ruled row), too far down to be a running header, yet no
    content. Section labels are never dropped."""
    need = max(s.repeat_min_pages, int(s.repeat_share * len(pages)))
    found: dict[str, list[tuple[int, float, int]]] = {}
    for p in pages:
        for it in p.items:
            if it.top > s.title_row_zone * p.height:
                continue
            for key, top, ident in _title_candidates(it, s, pats):
                found.setdefault(key, []).append((p.index, top, ident))
    out: set[int] = set()
    for seen in found.values():
        for _, top, ident in seen:
            if len({pg for pg, other, _ in seen if abs(other - top) <= s.title_row_tol}) >= need:
                out.add(ident)
    return out


def _title_candidates(it: Line | TableRegion, s: ExtractSettings, pats: Patterns) -> list[tuple[str, float, int]]:
    """(words, top, id) of a line, or of each of a table's leading rows in the title zone that
    hold no label."""
    def key(texts: list[str]) -> str:
        return re.sub(r"[0-9\s]+", "", normalize_text("".join(texts)))

    if isinstance(it, Line):
        return [] if pats.heading(it.text) or not key([it.text]) else [(key([it.text]), it.top, id(it))]
    out = []
    for row in it.rows:
        cells = [c for c in row if c is not None and c.lines]
        if not cells or any(pats.heading(c.text) for c in cells) or not key([c.text for c in cells]):
            break
        top = min(c.bbox[1] for c in cells)
        if top > it.top + s.title_row_tol and not out:
            break
        out.append((key([c.text for c in cells]), top, id(row)))
    return out


def _without_title_rows(t: TableRegion, titles: set[int]) -> TableRegion | None:
    """The table without its leading print-title rows (None when nothing else is left)."""
    k = 0
    while k < len(t.rows) and id(t.rows[k]) in titles:
        k += 1
    if not k:
        return t
    decided(t.page, "print-title", f"dropped the table's first {k} row(s)",
            "the same words at the same height open many pages")
    rest = t.rows[k:]
    cells = [c for r in rest for c in r if c is not None]
    if not cells:
        return None
    return replace(t, rows=rest, bbox=(t.bbox[0], min(c.bbox[1] for c in cells), t.bbox[2], t.bbox[3]))


@dataclass
class _OpenGrid:
    """A KPI grid that stops at its 目標 row, waiting for the 実績 row cut off by a break."""

    page: int
    bbox: tuple[float, float, float, float]
    width: int  # cells in its last row
    attach: Callable[[TableRegion], None]


def _join_cut_kpis(stream: list, pats: Patterns, s: ExtractSettings) -> list:
    """Pieces of KPI rows cut off by a page or panel break join the grids before them that stop
    at their 目標 row: a run of k pieces (grids side by side) goes, in order, to the last k such
    grids of the page or the one before, when the widths agree. A piece is a text grid marked
    `continues`, or a ruled table of 目標/実績 rows only; the grid it joins may stand in the
    flow or be nested in a cell (a label | content table)."""
    out: list = []
    open_grids: list[_OpenGrid] = []
    batch: list[list[TableRegion]] = []

    def flush() -> None:
        above = [_grid_above(open_grids, b[0], s) for b in batch]
        if all(above):  # on the grids' own page: each piece goes under its own grid
            near = above
        else:
            near = _last_grids(open_grids, batch[0][0].page, len(batch))
            batch[:] = _left_to_right(batch)
        if not _attach(near, [b[0] for b in batch], open_grids):
            out.extend(batch)  # no grid to finish: the rows stay a table of their own
        batch.clear()

    held: list[Line] = []  # lines printed level with the pieces (a heading's line the break carried over)
    for it in stream:
        if isinstance(it, list) and len(it) == 1 and (it[0].continues or _kpi_rows_only(it[0], pats)):
            if batch and _under(batch[-1][0], it[0], s):
                _extend(batch[-1][0], it[0])  # 目標 and 実績 carried over one under the other
            else:
                batch.append(it)
            continue
        if batch and isinstance(it, Line) and _level_with(it, batch):
            held.append(it)
            continue
        if batch and it is not None:
            flush()
            out.extend(held)
            held.clear()
        if isinstance(it, list):
            _take_nested_pieces(it[0], open_grids, pats, s)
            open_grids = (open_grids + _open_grids(it, pats))[-KPI_PIECES:]
        out.append(it)
    if batch:
        flush()
    return out + held


def _take_nested_pieces(table: TableRegion, open_grids: list[_OpenGrid], pats: Patterns, s: ExtractSettings) -> None:
    """KPI rows cut off by a break that a table opening the next page or panel holds first in
    a cell (under the project's header rows printed again; only the heading's wrapped lines,
    「年度」, above them) join the grids that stop at their 目標 row, as pieces in the flow do:
    left to right, to as many grids of this page or the one before, when the widths agree."""
    def first(cell: Cell, t: TableRegion) -> bool:
        return all(len(normalize_text(ln.text)) <= s.year_heading_chars for ln in cell.lines if ln.bottom <= t.bbox[1])

    pieces = sorted(((cell, t) for row in table.rows for cell in row if cell for t in cell.tables[:1]
                     if _kpi_rows_only(t, pats) and first(cell, t)), key=lambda p: p[1].bbox[0])
    if pieces and _attach(_last_grids(open_grids, table.page, len(pieces)), [t for _, t in pieces], open_grids):
        for cell, t in pieces:
            cell.tables.remove(t)


def _last_grids(open_grids: list[_OpenGrid], page: int, k: int) -> list[_OpenGrid]:
    """The last k grids still open on `page` or the page before, left to right."""
    return _left_to_right([g for g in open_grids if g.page in (page, page - 1)][-k:])


def _attach(grids: list[_OpenGrid], pieces: list[TableRegion], open_grids: list[_OpenGrid]) -> bool:
    """Each piece joins the grid paired with it, when there is one grid of its own for each
    and the widths agree; those grids are open no longer. False, and nothing joined, else."""
    if len(grids) != len(pieces) or len(set(map(id, grids))) != len(grids) \
            or any(g.width != len(p.rows[0]) for g, p in zip(grids, pieces)):
        return False
    for g, p in zip(grids, pieces):
        g.attach(p)
        open_grids.remove(g)
        decided(p.page, "kpi-rows-cut", f"{len(p.rows)} KPI row(s) join a grid before the break",
                "the grid stops at its 目標 row and the widths agree")
    return True


def _under(a: TableRegion, b: TableRegion, s: ExtractSettings) -> bool:
    """Piece b stands right under piece a, in the same columns (as many cells, the same span)."""
    return (a.page == b.page and len(a.rows[-1]) == len(b.rows[0]) and b.top >= a.bottom - 1
            and b.top - a.bottom <= b.bottom - b.top
            and min(a.x1, b.x1) - max(a.x0, b.x0)
            >= s.piece_column_overlap * min(a.x1 - a.x0, b.x1 - b.x0))


def _extend(a: TableRegion, b: TableRegion) -> None:
    a.rows += b.rows
    a.bbox = (min(a.bbox[0], b.bbox[0]), a.bbox[1], max(a.bbox[2], b.bbox[2]), b.bbox[3])


def _level_with(line: Line, batch: list[list[TableRegion]]) -> bool:
    """The line stands on the last piece's page between the top and the foot of the pieces."""
    pieces = [b[0] for b in batch if b[0].page == batch[-1][0].page]
    return line.page == pieces[0].page and min(r.top for r in pieces) <= line.top < max(r.bottom for r in pieces)


def _left_to_right(items: list) -> list:
    """Grids (or pieces) of one page that stand side by side, their widths apart, in printed
    order left to right: the taller name of one may push it below the other, so the reading
    order (top first) need not be. Others keep their order."""
    def span(it) -> tuple[int, float, float]:
        r = it[0] if isinstance(it, list) else it
        x0, _, x1, _ = r.bbox
        return r.page, x0, x1

    def beside(a, b) -> bool:
        (page_a, _, right_a), (page_b, left_b, _) = span(a), span(b)
        return page_a == page_b and left_b >= right_a - 1

    ordered = sorted(items, key=lambda it: span(it)[1])
    apart = all(beside(a, b) for a, b in zip(ordered, ordered[1:]))
    return ordered if apart else items


def _grid_above(grids: list[_OpenGrid], piece: TableRegion, s: ExtractSettings) -> _OpenGrid | None:
    """The open grid printed just above the piece on its page, in the same columns."""
    x0, top, x1, _ = piece.bbox
    above = [g for g in grids if g.page == piece.page and _stands_over(g.bbox, x0, top + s.grid_above_tol_pt, x1)]
    return max(above, key=lambda g: g.bbox[3], default=None)


def _stands_over(box: tuple[float, float, float, float], x0: float, y: float, x1: float) -> bool:
    """The box ends above height `y` and overlaps x0..x1 (a grid over a piece)."""
    bx0, _, bx1, bottom = box
    return bottom <= y and bx0 < x1 and x0 < bx1


def _open_grids(grid: list[TableRegion], pats: Patterns) -> list[_OpenGrid]:
    """The grid itself when its last row is a 目標 row, else the tables nested in its last
    region's cells that end so (in printed order)."""
    last = grid[-1]
    if _ends_at_target(last, pats):
        return [_OpenGrid(last.page, last.bbox, len(last.rows[-1]), grid.append)]
    found: list[_OpenGrid] = []
    for row in last.rows:
        for cell in row:
            for k, t in enumerate(cell.tables if cell else ()):
                if _ends_at_target(t, pats):
                    found.append(_OpenGrid(t.page, t.bbox, len(t.rows[-1]), _extend_nested(cell, k)))
    return found


def _extend_nested(cell: Cell, k: int) -> Callable[[TableRegion], None]:
    """Joining a piece to the k-th table nested in `cell`: its rows go on after the table's."""
    def attach(piece: TableRegion) -> None:
        t = cell.tables[k]
        cell.tables[k] = replace(t, rows=t.rows + piece.rows)
    return attach


def _ends_at_target(t: TableRegion, pats: Patterns) -> bool:
    """A grid whose last row is its 目標 row, or that is its year heading alone."""
    last = [c for c in t.rows[-1] if c is not None] if t.rows else []
    if len(t.rows) == 1:
        return sum(1 for c in last if year_of(c.text, pats) is not None) > 1
    return bool(last) and bool(last[0].lines) and kpi_row_kind(last[0].text, pats) == "target"


def _kpi_rows_only(t: TableRegion, pats: Patterns) -> bool:
    """A small table whose every row opens with 目標 or 実績 and holds figures: the rows of a
    KPI grid that went on past a break (no year heading of its own)."""
    for row in t.rows:
        cells = [c for c in row if c is not None]
        if len(cells) <= 1 or not kpi_row_kind(cells[0].text, pats):
            return False
        if not any(ch.isdigit() for c in cells[1:] for ch in c.text):
            return False
    return bool(t.rows) and len(t.rows) <= 2


def _title_row(region: TableRegion) -> str | None:
    """Text of a first row that is one merged cell (a table's own title), else None."""
    row = region.rows[0] if region.rows else []
    cells = [c for c in row if c is not None]  # pdfplumber gives None where a merged cell spans
    return cells[0].text if len(cells) == 1 and len(row) > 1 and cells[0].lines else None


def _starts_new_table(first: TableRegion, nxt: TableRegion) -> bool:
    """A table opening a page with its own, different title row is not a continuation."""
    a, b = _title_row(first), _title_row(nxt)
    return b is not None and a != b


def _last_real(items: list):
    for it in reversed(items):
        if it is not None:
            return it
    return None


class _Filler:
    """Pass 2: the blocks of one unit → a Project's fields."""

    def __init__(self, blocks: list[Block], pats: Patterns, s: ExtractSettings, printed: dict[int, int | None],
                 repeated: set[int] | None = None):
        self.blocks, self.pats, self.s, self.printed = blocks, pats, s, printed
        self.repeated = repeated or set()  # blocks of project headers printed again on a later page
        self.kpi_names: dict[int, tuple[str, bool]] = {}  # KPI table index → (name, is 参考)
        self.kpi_heads: set[int] = set()  # indices of the paragraphs that name them
        for i, b in enumerate(blocks):
            if not (isinstance(b, TableBlock) and b.kind == "kpi"):
                continue
            if b.name is not None:  # named by its own name-label row (「指標名 | …」)
                self.kpi_names[i] = self._kpi_name(b.name)
                continue
            head = self._kpi_head(i)
            if head is not None:
                self.kpi_names[i] = self._kpi_name(blocks[head].text)
                self.kpi_heads.add(head)

    def _kpi_name(self, text: str) -> tuple[str, bool]:
        """(name, is 参考) of an indicator as printed over its grid: 「【参考：…件数】」 is a 参考 one."""
        ref = self.pats.reference_name(text)
        return normalize_text(ref if ref is not None else strip_bullet(text)), ref is not None

    def _kpi_head(self, t: int) -> int | None:
        """The paragraph naming the KPI table at index t: printed above it in the same column
        (tables side by side each have their own), close enough; a description or a ※ note in
        smaller type between them is passed over to the line above."""
        table = self.blocks[t]
        x0, top, x1, _ = table.grid.regions[0].bbox
        page = table.grid.regions[0].page
        chain: list[int] = []
        edge = top
        for j in range(t - 1, max(-1, t - 1 - self.s.kpi_name_search), -1):
            b = self.blocks[j]
            if j in self.repeated or self._header_field(j):
                continue  # the project's header printed again on this page
            if isinstance(b, Label):
                break
            if not isinstance(b, Para) or b.lines[-1].page != page or j in self.kpi_heads:
                continue
            last = b.lines[-1]
            if last.x1 <= x0 or last.x0 >= x1 or last.bottom > edge + 1:
                continue  # beside the table, or below its top
            if edge - last.bottom > self.s.kpi_name_gap * last.size:
                break
            chain.append(j)
            edge = b.lines[0].top
        if not chain:
            return self._name_before_break(t)
        head = chain[self._name_in_chain(chain)]
        if head == chain[-1] and self.blocks[head].text.startswith(NOTE_OPENERS):
            return self._name_past_break(chain[-1], table) or head
        return head

    def _name_in_chain(self, chain: list[int]) -> int:
        """Index in `chain` (paragraphs above a KPI table, nearest first) of its name: walk up
        while the line above names what is below it (a description or note in smaller type, a
        line without the name's bullet); a description wrapped over several paragraphs is
        passed over as one."""
        i = 0
        while True:
            top = i
            while top + 1 < len(chain) and self._one_paragraph(self.blocks[chain[top]], self.blocks[chain[top + 1]]):
                top += 1
            if top + 1 >= len(chain) or not self._names(self.blocks[chain[top + 1]], self.blocks[chain[top]]):
                return i
            i = top + 1

    def _names(self, up: Para, near: Para) -> bool:
        """`up` is a KPI's name over `near`, a description or note on it."""
        up_marked, near_marked = strip_bullet(up.text) != up.text, strip_bullet(near.text) != near.text
        subordinate = (NOTE_MARK in near.text or near.size < up.size - self.s.same_size_tol
                       or near.text.startswith(NOTE_OPENERS) or (up_marked and not near_marked))
        name_like = up_marked or (up.heavy and not near.heavy)
        return subordinate and name_like and not self.pats.heading(up.text)

    def _one_paragraph(self, near: Para, up: Para) -> bool:
        """`up` and `near` are lines of one paragraph cut in two (a description wrapped in a box
        narrower than the column): same type, same left edge, neither opening with a mark."""
        return (abs(up.size - near.size) <= self.s.same_size_tol and up.heavy == near.heavy
                and strip_bullet(up.text) == up.text and strip_bullet(near.text) == near.text
                and NOTE_MARK not in near.text and not near.text.startswith(NOTE_OPENERS)
                and abs(up.lines[0].x0 - near.lines[0].x0) <= self.s.beside_label_align_pt)

    def _name_past_break(self, j: int, table: TableBlock) -> int | None:
        """The name of a KPI whose only line above it is a note in brackets (「（…の活動回数）」):
        the name stands before the page or panel break that came between them."""
        region = table.grid.regions[0]
        k = j - 1
        while k >= 0 and (k in self.repeated or self._header_field(k)):
            k -= 1
        if k < 0 or not self._name_like(k) or k in self.kpi_heads:
            return None
        last = self.blocks[k].lines[-1]
        return k if (last.page, last.column) != (region.page, region.column) else None

    def _name_before_break(self, t: int) -> int | None:
        """The flow broke between name and table (a page or column break): the short line just
        before (the project's header printed again on the new page passed over). Tables side
        by side after the break take, left to right, the names printed side by side before it:
        each the leftmost that no grid took already."""
        first = t
        while first > 0 and self._beside(self.blocks[first - 1], self.blocks[t]):
            first -= 1
        j = first - 1
        while j >= 0 and (j in self.repeated or self._header_field(j) or j in self.kpi_names):
            j -= 1  # (a grid beside them before the break, named already: its name is one of them)
        names: list[int] = []
        while j >= 0 and self._name_like(j) and (not names or abs(self.blocks[j].lines[0].top - self.blocks[names[0]].lines[0].top)
                                                 <= self.s.side_by_side_tol):
            names.append(j)
            j -= 1
        names.sort(key=lambda n: self.blocks[n].lines[0].x0)
        free = [m for m in map(self._over_note, names) if m not in self.kpi_heads]
        return free[0] if free else None

    def _over_note(self, j: int) -> int:
        """Block j, or the name printed right above it when j is a note on it, in brackets or
        after ※ (「・…の回数」 over 「（…の回数）」, 「○…の人数」 over 「※年(1-12月)集計」), or a
        description wrapped under its bullet (「○…の支援件数」 over 「商店街等が実施する…事業数」)."""
        note, up = self.blocks[j], self.blocks[j - 1] if j else None
        if not isinstance(up, Para) or not isinstance(note, Para) or j - 1 in self.kpi_heads or not self._name_like(j - 1):
            return j
        described = len(note.lines) > 1 and self._names(up, note)  # (a one-line name under a heading is a name)
        if not note.text.startswith((*NOTE_OPENERS, NOTE_MARK)) and not described:
            return j
        a, b = up.lines[-1], note.lines[0]
        stacked = a.page == b.page and a.column == b.column and 0 <= b.top - a.bottom <= self.s.kpi_name_gap * b.size
        return j - 1 if stacked else j

    def _beside(self, b: Block, table: TableBlock) -> bool:
        """b is a KPI table printed level with `table` (side by side with it)."""
        if not (isinstance(b, TableBlock) and b.kind == "kpi"):
            return False
        r, q = b.grid.regions[0], table.grid.regions[0]
        return r.page == q.page and abs(r.bbox[1] - q.bbox[1]) <= self.s.side_by_side_tol

    def _name_like(self, j: int) -> bool:
        """Block j could name a KPI: a short line, not a sentence (the names of tables side by
        side are all collected, those already given included)."""
        b = self.blocks[j]
        return isinstance(b, Para) and len(b.text) <= self.s.title_max_chars and not b.text.endswith("。")

    def _header_field(self, j: int) -> bool:
        """Block j is a header label (事務事業名, 条文, 施策) or the value printed after one."""
        b, before = self.blocks[j], self.blocks[j - 1] if j else None
        return any(isinstance(x, Label) and x.key in ONE_SHOT for x in (b, before if isinstance(b, Para) else None))

    def page_of(self, page: int) -> int:
        return self.printed.get(page) or page

    def project(self, u: Unit) -> Project:
        """Unit u read as a project: its blocks in printed order, each into the section its label opened."""
        first = self.blocks[u.title[0]] if u.title else self.blocks[u.anchor]
        raw = " ".join(self.blocks[k].text for k in u.title if isinstance(self.blocks[k], Para)) or None
        name = u.name.split(NOTE_MARK)[0].strip() or u.name  # a ※ note after the name is none of it (raw keeps it)
        proj = Project(name=name, kind=u.kind, article=u.article,
                       provenance=Provenance(page=first.page, bbox=_bbox(first), raw=raw))
        skip = set(u.title)
        resume: dict[int, int] = {start: body for start, body in u.repeats}
        section: str | None = "next_plan" if u.kind == "other" else None
        title_line: str | None = None
        oneshot: str | None = None  # a header label (事務事業名, 条文, 施策) whose value comes next
        pages: list[int] = []
        i = u.start
        while i < u.end:
            if i in resume and i != u.start:
                i = max(resume[i], i + 1)  # a repeated header: the cursor stays where it was
                continue
            b = self.blocks[i]
            i += 1
            if isinstance(b, Para) and self.pats.article_heading(b.text) is not None:
                continue  # the article's heading belongs to no project
            self._on_pages(pages, b)
            if (i - 1) in skip:
                continue
            if isinstance(b, Label):
                if b.key in ONE_SHOT:
                    oneshot = b.key  # its cell beside: the cursor stays where it is
                elif b.key not in ("other_part", "appendix"):
                    section = b.key  # (the 第2期実行プログラム band's own wrapped line is no content)
                continue
            if isinstance(b, TableBlock):
                title_line = self._table(proj, b, i - 1, title_line)
                continue
            text = b.text
            if self.pats.is_mark(text):
                continue
            if oneshot:
                if oneshot == "article_label":
                    m = self.pats.article_cell.match(re.sub(r"\s+", "", normalize_text(text)))
                    if m:
                        proj.article = int(m.group("no"))
                oneshot = None
                continue
            if section is None:
                continue
            if (i - 1) in self.kpi_heads:
                continue  # an indicator's name, read with its table
            section, title_line = self._content(proj, b, text, section, title_line)
        proj.pages = sorted(set(pages))
        _dedupe_actions(proj)
        return proj

    def _content(self, proj: Project, b: Para, text: str, section: str,
                 title_line: str | None) -> tuple[str, str | None]:
        """Paragraph b (its text `text`) read into the project field of `section`. Returns the
        section it leaves open (Check numbering starting over turns to the Actions) and the list
        item a KPI table's title may repeat."""
        if section == "goal":
            t = normalize_text(text)
            if proj.goal is None:
                proj.goal = t
            elif t not in proj.goal:
                proj.goal += t
        elif section == "indicators":
            pass  # lines between KPI tables that name none of them (notes)
        elif section in ("check", "action"):
            if section == "check" and proj.check and not proj.action and split_numbered(text)[0][:1] == [1]:
                section = "action"  # numbering starts over at ①: the Actions, their label lost
            self._numbered(b, proj.check if section == "check" else proj.action, section == "action")
        elif section in LIST_FIELDS:
            t = normalize_text(strip_bullet(text))
            if t:
                getattr(proj, LIST_FIELDS[section]).append(t)
                if strip_bullet(text) != text or text.startswith("【"):
                    title_line = t
        return section, title_line

    def _on_pages(self, pages: list[int], b: Block) -> None:
        """Every page a block is printed on (a table or paragraph may cross a page break)."""
        if isinstance(b, TableBlock):
            found = _table_pages(b)
        elif isinstance(b, Para):
            found = {ln.page for ln in b.lines}
        else:
            found = {b.page}
        pages.extend(self.page_of(pg) for pg in found)

    def _table(self, proj: Project, b: TableBlock, idx: int, title_line: str | None) -> str | None:
        if b.kind == "kpi":
            name, ref = self.kpi_names.get(idx, ("", False))
            proj.indicators.extend(parse_kpis(b.grid, name, self.pats, reference=ref))
            return title_line
        if b.kind in ("article_opinions", "project_list"):
            return title_line
        if proj.kind == "other" and b.kind == "overview":
            _overview_into(proj, b.grid, self.pats)
            return title_line
        proj.tables.append(to_table(b.grid, title_line, b.kind))
        return None

    def _numbered(self, p: Para, target: list, is_action: bool) -> None:
        nums, body = split_numbered(p.text)
        body = normalize_text(body)
        prov = Provenance(page=p.page, bbox=p.bbox, raw=p.raw)
        if nums:
            if is_action:
                target.append(ActionItem(no=nums[0], answers=nums, text=body, provenance=prov))
            else:
                target.append(CheckItem(no=nums[0], text=body, provenance=prov))
        elif target:
            target[-1].text += body  # a further paragraph of the same item
        elif body and not self.pats.is_mark(body):
            n = len(target) + 1
            target.append(ActionItem(no=n, answers=[n], text=body, provenance=prov) if is_action
                          else CheckItem(no=n, text=body, provenance=prov))

    def chapter(self, c: ChapterUnit) -> Chapter:
        ch = Chapter(title=c.title, position=c.position)
        first = self.blocks[c.start]
        ch.provenance = Provenance(page=first.page, bbox=_bbox(first), raw=c.title)
        pages: list[int] = []
        for i in range(c.start + 1, c.end):
            b = self.blocks[i]
            self._on_pages(pages, b)
            if i in c.repeats:
                continue
            if isinstance(b, TableBlock):
                ch.tables.append(to_table(b.grid, None, b.kind))
            else:  # a paragraph, or a label's words (outside a project they are text)
                ch.paragraphs.append(normalize_text(b.text))
        self._on_pages(pages, first)
        ch.pages = sorted(set(pages))
        return ch


def _table_pages(b: TableBlock) -> set[int]:
    """Pages a table is printed on. A project's part of a table listing several (その他の事業)
    keeps the header row from the page the table opened on: its pages are those of its own rows."""
    if b.kind != "overview" or b.name is None:
        return {r.page for r in b.grid.regions}
    found = {ln.page for row in b.grid.cells[1:] for c in row if c is not None for ln in c.lines}
    return found or {r.page for r in b.grid.regions}


def _bbox(b: Block) -> list[float] | None:
    if isinstance(b, TableBlock):
        return b.grid.bbox
    return list(b.bbox) if b.bbox else None


def _dedupe_actions(proj: Project) -> None:
    """An Action cell merged across several Check rows is read once."""
    out: list[ActionItem] = []
    for a in proj.action:
        if out and a.text == out[-1].text and a.no == out[-1].no:
            continue
        out.append(a)
    proj.action = out


def _overview_into(proj: Project, grid: Grid, pats: Patterns) -> None:
    """A その他の事業 table: 概要 | 実績 header (either order), content rows."""
    rows = grid.rows
    words, results = pats.tables["overview"], pats.tables["overview_results"]
    for k, r in enumerate(rows):
        heads = [" ".join(c) for c in r]
        ov = [j for j, h in enumerate(heads) if any(w in h for w in words)]
        if not ov:
            continue
        res = [j for j, h in enumerate(heads) if j not in ov and any(w in h for w in results)]
        for body in rows[k + 1:]:
            for j in ov:
                if j < len(body):
                    proj.next_plan.extend(normalize_text(strip_bullet(t)) for t in body[j] if t)
            for j in res:
                if j < len(body):
                    proj.results.extend(normalize_text(strip_bullet(t)) for t in body[j] if t)
        return


def _article_opinions(blocks: list[Block], pats: Patterns) -> list[ArticleOpinion]:
    """The 条文ごとの主な検証意見 table; a part continued on a later page without its header
    (same columns, rows opening with an article) belongs to it."""
    out: list[ArticleOpinion] = []
    width = None
    for b in blocks:
        if not isinstance(b, TableBlock):
            continue
        if b.kind == "article_opinions":
            width = max(len(r) for r in b.grid.rows)
        elif not (b.kind == "other" and width and max(len(r) for r in b.grid.rows) == width
                  and any(_article_no("".join(r[0]), pats) for r in b.grid.rows if r)):
            continue
        for row in b.grid.rows:
            if len(row) < 3:
                continue
            art = _article_no("".join(row[0]), pats)
            if art is None and out and not "".join(row[0]).strip() and any(row[-1]):
                art = out[-1].article  # the previous article's row went on past the break
            if art is None:
                continue
            policy = normalize_text("".join(row[1]))
            ops = [normalize_text(strip_bullet(t)) for t in row[-1] if t]
            prev = out[-1] if out else None
            if prev and prev.article == art:
                prev.opinions.extend(o for o in ops if o not in prev.opinions)  # row continued
            else:
                out.append(ArticleOpinion(article=art, policy=policy, opinions=ops,
                                          provenance=Provenance(page=b.grid.page, bbox=b.grid.bbox)))
    return out


def _listed_opinions(front: list[Block], pats: Patterns) -> list[ArticleOpinion]:
    """The opinions per article printed as lists before the first project (no table): an
    article heading (「◆ 12条 創業、…の促進」) and the bulleted paragraphs under it, up to the
    first paragraph that is no item — but for one at the top of the next page (its running
    header, where none was recognised as such), which the list goes on past."""
    out: list[ArticleOpinion] = []
    open_list, last_page = False, 0
    for b in front:
        if not isinstance(b, Para):
            continue
        text = normalize_text(b.text)
        bare = strip_bullet(text)
        head = pats.heading_mark.sub("", text)
        m = pats.article.match(re.sub(r"\s+", " ", head)) if not LINE_MARKERS.match(head) else None
        if m and (head != text or pats.article_heading(text) is not None):
            out.append(ArticleOpinion(article=int(m.group("no")), policy=normalize_text(m.group("policy")),
                                      opinions=[], provenance=Provenance(page=b.page, bbox=_bbox(b))))
            open_list, last_page = True, b.page
        elif open_list and bare != text:
            out[-1].opinions.append(bare)
            last_page = b.page
        elif open_list and out[-1].opinions:
            open_list = b.page != last_page  # a new page's furniture: the items may go on under it
            last_page = b.page
    return [o for o in out if o.opinions]


def _article_no(text: str, pats: Patterns) -> int | None:
    m = pats.article_cell.match(re.sub(r"\s+", "", normalize_text(text)))
    return int(m.group("no")) if m else None


def _project_list(blocks: list[Block], pats: Patterns) -> list[tuple[int, list[str], tuple[int, int] | None]]:
    out = []
    art = None
    for b in blocks:
        if not (isinstance(b, TableBlock) and b.kind == "project_list"):
            continue
        for row in b.grid.rows:
            if not row:
                continue
            a = _article_no("".join(row[0]), pats)
            art = a if a is not None else art
            if art is None:
                continue
            names = [n for c in row[2:-1] for n in c] if len(row) > 3 else (row[-1] if len(row) > 1 else [])
            pages = _page_range("".join(row[-1])) if len(row) > 3 else None
            out.append((art, [normalize_text(n) for n in names], pages))
    return out


def _page_range(text: str) -> tuple[int, int] | None:
    nums = [int(x) for x in re.findall(r"[0-9]+", normalize_text(text))]
    if not nums:
        return None
    return (min(nums), max(nums))


def assign_articles(projects: list[Project], listing, pats: Patterns) -> None:
    """A verified project's article: an override in the project list (「…事業（15条）」) wins,
    then the article heading above it, then the list's page ranges and names."""
    for proj in projects:
        if proj.kind != "verified":
            continue
        for _, names, _ in listing:
            for n in names:
                m = pats.article_override.search(n)
                base = pats.article_override.sub("", n).strip() if m else ""
                if m and base and name_key(base) and name_key(base) in name_key(proj.name):
                    proj.article = int(m.group("no"))
        if proj.article is None and proj.pages:
            for a, _, rng in listing:
                if rng and rng[0] <= proj.pages[0] <= rng[1]:
                    proj.article = a
                    break
        if proj.article is None:
            for a, names, _ in listing:
                if any(n and name_key(n) and name_key(n) in name_key(proj.name) for n in names):
                    proj.article = a
                    break


def read_info(pages: list[PageLayout], pats: Patterns) -> ReportInfo:
    """Title, fiscal year, era label and publication month from the cover page(s)."""
    lines = [normalize_text(it.text) for p in pages[:2] for it in p.items if isinstance(it, Line)]
    lines += [normalize_text(t) for p in pages[:1] for t in p.running]
    title = next((ln for ln in lines if any(w in ln for w in pats.title_words)), "")
    text = "\n".join(lines)
    cover = [re.sub(r"\s+", "", normalize_text(it.text)) for p in pages[:1] for it in p.items if isinstance(it, Line)]
    org = next((m.group("org") for ln in cover if (m := pats.organisation.match(ln))), None)
    fy = pats.fiscal_year.search(text)
    pub = pats.published.search(text)
    from .era import parse_era_year

    return ReportInfo(
        title=title,
        fiscal_year=parse_era_year(fy.group("label")) if fy else None,
        era_label=fy.group("label") if fy else None,
        published=pub.group("label") if pub else None,
        organisation=org,
    )


def to_blocks(pages: list[PageLayout], pats: Patterns, s: ExtractSettings) -> list[Block]:
    """Every page's lines and tables in reading order → one stream of blocks."""
    flat: list = []
    for it in _stream(pages, s, pats):
        flat.append(it if not isinstance(it, list) else _TableGroup(it))
    blocks: list[Block] = []
    heads = ColumnHeads()  # columns a table ended in, for the rows going on in the next one
    cut = CutRows()  # rows at a table's foot whose label is printed below it
    for it in build_paragraphs(flat, pats, s):
        if isinstance(it, _TableGroup):
            blocks.extend(cut.blocks)
            cut.blocks = []
            blocks.extend(table_blocks(it.regions, pats, s, heads, cut))
            continue
        new = split_para(it, pats)
        if any(isinstance(b, Label) and b.key not in ONE_SHOT | heads.keys() for b in new):
            heads.labels = []  # another section's label in the flow: the table's columns are closed
        if cut.blocks and new and cut.is_their_label(new[0], s):
            new[1:1] = cut.blocks
        else:
            new[:0] = cut.blocks
        cut.blocks = []
        blocks.extend(new)
    blocks.extend(cut.blocks)
    return labels_before_content(blocks, s)


def build_structure(pages: list[PageLayout], pats: Patterns, s: ExtractSettings, body_size: float) -> Parsed:
    blocks = to_blocks(pages, pats, s)
    seg = Segmenter(blocks, pats, s, body_size).run()
    repeated = {k for u in seg.units for start, body in u.repeats for k in range(start, body)}
    filler = _Filler(blocks, pats, s, {p.index: p.printed for p in pages}, repeated)
    projects = [filler.project(u) for u in seg.units]
    listing = _project_list(blocks, pats)
    assign_articles(projects, listing, pats)
    labels: dict[str, int] = {}
    for b in blocks:
        if isinstance(b, Label):
            labels[b.key] = labels.get(b.key, 0) + 1
    return Parsed(
        info=read_info(pages, pats),
        projects=projects,
        article_opinions=_article_opinions(blocks, pats) or _listed_opinions(
            [b for b in blocks[: seg.units[0].start if seg.units else len(blocks)] if b.page not in seg.toc_pages], pats),
        chapters=[filler.chapter(c) for c in seg.chapters],
        project_list=listing,
        list_pages={r.page for b in blocks if isinstance(b, TableBlock) and b.kind == "project_list" for r in b.grid.regions},
        labels_found=labels,
        tables_found=sum(1 for b in blocks if isinstance(b, TableBlock)),
        last_page=max((b.page for b in blocks), default=0),
    )


class _TableGroup(TableRegion):
    """A run of TableRegions forming one logical table, passed through paragraph building."""

    def __init__(self, regions: list[TableRegion]):
        super().__init__(page=regions[0].page, bbox=regions[0].bbox, rows=regions[0].rows, column=regions[0].column)
        self.regions = regions
