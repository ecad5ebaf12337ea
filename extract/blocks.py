"""One stream of blocks: paragraphs, section labels and tables, with table cells opened up.

Real renderings put a section label wherever the typesetter liked: a line of its own, the
start of a line with its content after it, a shaded cell with the content in the cell to its
right, or a row of labels heading columns (「主な検証意見 Check | 令和4年度以降の対応 Action」).
This module turns all of them into the same sequence — `Label`, then the content blocks —
so the structure pass reads one stream whatever the layout.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .layout import Cell, Line, TableRegion
from .normalize import NOTE_MARK, normalize_text
from .paragraphs import Para, cell_paragraphs
from .patterns import Patterns
from .settings import ExtractSettings
from .tables import Grid, classify, kpi_row_kind, to_grid, year_of


# Section labels recognised as one paragraph among others in a cell (a spreadsheet prints a
# label cut by a page break into the next cell); opening labels only ever count as whole cells.
CELL_PARA_LABELS = {"do", "results", "achievements", "challenges", "check", "action", "next_plan"}


@dataclass
class Label:
    """A section label (`key` as in headings.toml), wherever it was printed."""

    key: str
    page: int
    bbox: list[float]
    text: str


@dataclass
class TableBlock:
    """A table kept whole: KPI, project list, article opinions, overview or another table.
    An overview cut out of a table listing several projects carries their name and article."""

    grid: Grid
    kind: str
    name: str | None = None
    article: int | None = None
    continues: bool = False  # rows that go on with the previous block's project (a page break)

    @property
    def page(self) -> int:
        return self.grid.page


Block = Para | Label | TableBlock


def split_para(p: Para, pats: Patterns) -> list[Block]:
    """A paragraph that is a label, opens with a label (「施策における目標　次代を…」), or plain."""
    if p.heading:
        return [Label(p.heading, p.page, p.bbox, p.text)]
    first = p.lines[0]
    hit = pats.split_label(first.text)
    if hit is None:
        return [p]
    key, rest = hit
    out: list[Block] = [Label(key, p.page, p.bbox, first.text[: len(first.text) - len(rest)].strip())]
    lines = ([replace(first, text=rest)] if rest.strip() else []) + p.lines[1:]
    if lines:
        out.append(Para(lines))
    return out


def _cell_blocks(cell: Cell, pats: Patterns, s: ExtractSettings) -> list[Block]:
    """Content of one cell: paragraphs (items split at bullets and circled numbers) and the
    tables nested in it, in printed order. A paragraph that is a label (two labels merged into
    one cell by a spreadsheet's page break) is a label."""
    paras: list[Block] = [Label(k, p.page, p.bbox, p.text) if (k := pats.heading(p.text)) in CELL_PARA_LABELS else p
                          for p in _cell_paras(cell, s)]
    if not cell.tables:
        return paras
    # in printed order: page first (a cell whose row a page break cut holds both pages' parts)
    placed: list[tuple[tuple[int, float], list[Block]]] = [((p.page, p.bbox[1]), [p]) for p in paras]
    placed += [((t.page, t.bbox[1]), table_blocks([t], pats, s)) for t in cell.tables]
    return [b for _, bs in sorted(placed, key=lambda x: x[0]) for b in bs]


def _cell_paras(cell: Cell, s: ExtractSettings) -> list[Para]:
    if not cell.lines:
        return []
    out: list[Para] = []
    pos = 0  # cell_paragraphs gives strings: regroup the lines for provenance
    for text in cell_paragraphs(cell.lines, s):
        n = _lines_for(cell.lines[pos:], text)
        lines = cell.lines[pos:pos + n] or cell.lines[-1:]
        pos += n
        out.append(Para(lines, joined=text))
    return out


def _lines_for(lines: list[Line], text: str) -> int:
    """How many of `lines` make up the paragraph `text` (by character count)."""
    target = len(text.replace(" ", ""))
    got = 0
    for i, ln in enumerate(lines, start=1):
        got += len(normalize_text(ln.text).replace(" ", ""))
        if got >= target:
            return i
    return len(lines)


def _cell_label(cell: Cell | None, pats: Patterns) -> str | None:
    if cell is None or not cell.lines:
        return None
    return pats.heading(normalize_text(cell.text))


def open_table(grid: Grid, pats: Patterns, s: ExtractSettings) -> list[Block]:
    """A table holding section labels, read as labels and content in reading order.

    A row whose non-empty cells are all labels heads columns: the cells below it go to the
    label of their column (a merged cell is read once). In a row mixing labels and content, a
    label cell's content is the cells to its right up to the next label. Rows between labels
    that form a KPI grid (or another table) stay tables."""
    out: list[Block] = []
    columns: dict[int, Label] = {}
    pending: list[int] = []  # row indices of a plain sub-table

    def flush() -> None:
        if not pending:
            return
        sub = Grid(rows=[grid.rows[i] for i in pending], regions=grid.regions,
                   cells=[grid.cells[i] for i in pending])
        kind = classify(sub, pats)
        if kind != "other" or (len(pending) > 1 and max(sum(1 for c in r if c) for r in sub.rows) > 1):
            out.append(TableBlock(sub, kind))
        else:
            for i in pending:
                for cell in grid.cells[i]:
                    if cell is not None:
                        out.extend(_cell_blocks(cell, pats, s))
        pending.clear()

    skip_to = 0
    for i, row in enumerate(grid.cells):
        if i < skip_to:
            continue
        keys = [_cell_label(c, pats) for c in row]
        filled = [j for j, c in enumerate(row) if _has_content(c, pats)]
        labelled = [j for j in filled if keys[j]]
        if len(labelled) >= 2 and len(labelled) == len(filled):
            flush()
            columns = {j: _label(row[j], keys[j]) for j in labelled}
            continue
        if labelled:
            flush()
            columns = {}
            j0 = labelled[0]
            span = 1  # a label cell merged down over the rows below it heads a block of them
            while i + span < len(grid.cells) and j0 < len(grid.cells[i + span]) \
                    and all(c is None for c in grid.cells[i + span][: j0 + 1]):
                span += 1  # (a cell in a column left of it starts another block)
            if len(labelled) == 1 and span > 1:
                out.append(_label(row[j0], keys[j0]))
                out.extend(_label_block(grid, i, i + span, j0 + 1, pats, s))
                skip_to = i + span
                continue
            for j in filled:
                if keys[j]:
                    out.append(_label(row[j], keys[j]))
                else:
                    out.extend(_cell_blocks(row[j], pats, s))
            continue
        if columns:
            for j in filled:
                head = _column_label(columns, j)
                if head is not None:
                    out.append(head)
                out.extend(_cell_blocks(row[j], pats, s))
            continue
        pending.append(i)
    flush()
    return out


def _label_block(grid: Grid, r0: int, r1: int, c0: int, pats: Patterns, s: ExtractSettings) -> list[Block]:
    """The rows a merged label cell heads, from column c0 on: a KPI grid stays a table, rows
    with labels of their own are opened the same way, other content is read cell by cell."""
    width = max(len(row) for row in grid.cells[r0:r1])
    while c0 < width - 1 and all(c0 >= len(row) or row[c0] is None for row in grid.cells[r0:r1]):
        c0 += 1  # columns the label cell is merged across
    cells = [row[c0:] for row in grid.cells[r0:r1]]
    sub = Grid(rows=[row[c0:] for row in grid.rows[r0:r1]], regions=grid.regions, cells=cells)
    if classify(sub, pats) == "kpi":
        return [TableBlock(sub, "kpi")]
    if has_labels(sub, pats):
        return open_table(sub, pats, s)  # sub-labels (②課題) or column heads (Check | Action)
    return _rows_with_kpis(sub, pats, s)


def _rows_with_kpis(grid: Grid, pats: Patterns, s: ExtractSettings) -> list[Block]:
    """Rows read cell by cell, except runs that form a KPI grid (a row of years, then rows
    opening with 目標/実績): those stay tables, named by the row above them."""
    out: list[Block] = []
    i = 0
    n = len(grid.cells)
    while i < n:
        years = any(year_of(" ".join(c), pats) for c in grid.rows[i])
        j = i + 1
        while j < n and kpi_row_kind(" ".join(next((c for c in grid.rows[j] if c), [])), pats):
            j += 1
        if years and j > i + 1:
            sub = Grid(rows=grid.rows[i:j], regions=grid.regions, cells=grid.cells[i:j])
            if classify(sub, pats) == "kpi":
                out.append(TableBlock(sub, "kpi"))
                i = j
                continue
        out.extend(b for c in grid.cells[i] if c is not None for b in _cell_blocks(c, pats, s))
        i += 1
    return out


def _has_content(c: Cell | None, pats: Patterns) -> bool:
    """A cell with text or a nested table; a lone PDCA badge (「P」) does not count."""
    if c is None:
        return False
    return bool(c.tables) or (bool(c.lines) and not pats.is_tag_only(c.text))


def _column_label(columns: dict[int, Label], j: int) -> Label | None:
    """The label heading column j (the nearest labelled column at or left of it)."""
    left = [k for k in columns if k <= j]
    return columns[max(left)] if left else None


def _label(cell: Cell, key: str) -> Label:
    page = cell.lines[0].page
    return Label(key, page, [round(v, 1) for v in cell.bbox], normalize_text(cell.text))


def has_labels(grid: Grid, pats: Patterns) -> bool:
    return any(_cell_label(c, pats) for r in grid.cells for c in r)


def table_blocks(regions: list[TableRegion], pats: Patterns, s: ExtractSettings) -> list[Block]:
    """A logical table → one TableBlock, or labels and content when it holds section labels."""
    grid = to_grid(regions, s)
    if not grid.rows:
        return []
    kind = classify(grid, pats)
    if kind == "other":  # rows carried over a break, and the next project's overview under them?
        first, *rest = _split_at_titles(grid, pats, first_kind="other")
        if rest:
            return (open_table(first.grid, pats, s) if has_labels(first.grid, pats) else [first]) + rest
    if kind == "other" and has_labels(grid, pats):
        return open_table(grid, pats, s)
    if kind == "other" and any(c.tables for r in grid.cells for c in r if c):
        # a layout table: its cells' content in reading order
        return [b for r in grid.cells for c in r if c for b in _cell_blocks(c, pats, s)]
    if kind == "other" and not any(c for r in grid.rows for c in r):
        return []  # an empty frame (photos, figures)
    if kind == "other" and _label_column_blank(grid):
        # a label | content table going on after a break: its label cell is left behind, the
        # content continues the section above
        return [b for r in grid.cells for c in r[1:] if c for b in _cell_blocks(c, pats, s)]
    if kind == "overview":
        return split_overview(grid, pats)
    return [TableBlock(grid, kind)]


def _label_column_blank(grid: Grid) -> bool:
    """Two columns, the first (where labels stand) empty on every row."""
    return (all(len(r) == 2 for r in grid.cells) and all(not r[0] or not r[0].lines for r in grid.cells)
            and any(r[1] and r[1].lines for r in grid.cells))


def split_overview(grid: Grid, pats: Patterns) -> list[Block]:
    """An overview table with a 事務事業名 column (a spreadsheet's その他の事業 sheet): one
    block per project, the header row kept on each; without that column, the table as is."""
    t = pats.tables
    for h, row in enumerate(grid.rows[:3]):
        heads = [" ".join(c) for c in row]
        name_col = next((j for j, x in enumerate(heads) if any(w in x for w in t["project_list"])), None)
        if name_col is None or not any(any(w in x for w in t["overview"]) for x in heads):
            continue
        art_col = next((j for j, x in enumerate(heads) if any(w in x for w in t["article_column"])), None)
        starts = [i for i in range(h + 1, len(grid.cells))
                  if name_col < len(grid.cells[i]) and grid.cells[i][name_col] is not None and grid.rows[i][name_col]]
        out: list[Block] = []
        if not starts or starts[0] > h + 1:  # rows going on from the previous page's project
            end = starts[0] if starts else len(grid.cells)
            sub = Grid(rows=[grid.rows[h]] + grid.rows[h + 1:end], regions=grid.regions,
                       cells=[grid.cells[h]] + grid.cells[h + 1:end])
            out.append(TableBlock(sub, "overview", continues=True))
        for a, b in zip(starts, starts[1:] + [len(grid.cells)]):
            sub = Grid(rows=[grid.rows[h]] + grid.rows[a:b], regions=grid.regions, cells=[grid.cells[h]] + grid.cells[a:b])
            name_lines = grid.rows[a][name_col]
            article = None
            if art_col is not None:
                m = pats.article_cell.match(normalize_text("".join(grid.rows[a][art_col])).replace(" ", ""))
                article = int(m.group("no")) if m else None
            # the name cell's first line is the name; a ※ line under it is a note
            name = normalize_text(" ".join(x for x in name_lines if not x.startswith(NOTE_MARK)).split(NOTE_MARK)[0])
            out.append(TableBlock(sub, "overview", name=name or None, article=article))
        return out
    return _split_at_titles(grid, pats)


def _split_at_titles(grid: Grid, pats: Patterns, first_kind: str = "overview") -> list[Block]:
    """An overview table holding the next project as well (two tables printed without a gap
    are found as one): a new part at each name row — one merged cell, a ※ note row perhaps
    under it — standing above a 概要/実績 header row. The part before the first name row keeps
    `first_kind`."""
    t = pats.tables

    def header(row: list[list[str]]) -> bool:
        heads = [" ".join(c) for c in row]
        return any(any(w in x for w in t["overview"]) for x in heads) and any(any(w in x for w in t["overview_results"]) for x in heads)

    def single(k: int) -> str | None:
        """The text of row k when it is one merged cell (its printed cells, not the filled-in rows)."""
        filled = [c.text for c in grid.cells[k] if c is not None and c.lines]
        return filled[0] if len(filled) == 1 else None

    starts: list[tuple[int, str]] = []
    for k in range(1, len(grid.rows) - 1):
        name = single(k)
        if name is None or name.startswith(NOTE_MARK) or header(grid.rows[k]):
            continue
        if header(grid.rows[k + 1]) or (k + 2 < len(grid.rows) and (single(k + 1) or "").startswith(NOTE_MARK)
                                         and header(grid.rows[k + 2])):
            starts.append((k, normalize_text(name)))
    if not starts:
        return [TableBlock(grid, first_kind)]
    bounds = [0] + [k for k, _ in starts] + [len(grid.rows)]
    names = [None] + [n for _, n in starts]
    return [TableBlock(Grid(rows=grid.rows[a:b], regions=grid.regions, cells=grid.cells[a:b]),
                       first_kind if a == 0 else "overview", name=n)
            for a, b, n in zip(bounds, bounds[1:], names)]
