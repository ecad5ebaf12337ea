"""One stream of blocks: paragraphs, section labels and tables, with table cells opened up.

Real renderings put a section label wherever the typesetter liked: a line of its own, the
start of a line with its content after it, a shaded cell with the content in the cell to its
right, or a row of labels heading columns (「主な検証意見 Check | 令和4年度以降の対応 Action」).
This module turns all of them into the same sequence — `Label`, then the content blocks —
so the structure pass reads one stream whatever the layout.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .geometry import Cell, Line, TableRegion
from .normalize import NOTE_MARK, normalize_text
from .paragraphs import Para, cell_line_groups
from .patterns import Patterns
from .settings import ExtractSettings
from .tables import Grid, classify, kpi_row_kind, overview_header, to_grid, year_of
from .trace import decided


# Section labels recognised as one paragraph among others in a cell (a spreadsheet prints a
# label cut by a page break into the next cell); opening labels only ever count as whole cells.
CELL_PARA_LABELS = {"do", "results", "achievements", "challenges", "check", "action", "next_plan"}
# Labels of a project's header block: the next paragraph is their value, not section content.
ONE_SHOT = {"name", "article_label", "policy_label"}
NUMBER_COLUMN = "number"  # the key of a column of item numbers (「No.」 | 主な検証意見 | 対応)


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
    unnamed: bool = False  # a project whose name cell a page break cut off: named outside the table

    @property
    def page(self) -> int:
        return self.grid.page


Block = Para | Label | TableBlock


@dataclass
class ColumnHeads:
    """The labels heading columns (「主な検証意見 | 令和4年度以降の対応」) while the table is still
    read in those columns, carried from one table to the next: a spreadsheet does not print
    the header row again after a page break, so the rows going on on the next page are paired
    with the heads they stand under."""

    labels: list[Label] = field(default_factory=list)
    page: int = 0

    def keys(self) -> set[str]:
        return {lb.key for lb in self.labels}

    def head(self, cell: Cell, s: ExtractSettings) -> Label | None:
        """The head `cell` stands under: most of its width within the head's columns."""
        x0, _, x1, _ = cell.bbox
        width = max(x1 - x0, 1e-6)

        def overlap(lb: Label) -> float:
            return min(x1, lb.bbox[2]) - max(x0, lb.bbox[0])

        best = max(self.labels, key=overlap, default=None)
        if best is None or overlap(best) / width < s.column_head_overlap:
            return None
        return best

    def pairs(self, rows: list[list[Cell | None]], pats: Patterns, s: ExtractSettings) -> bool:
        """Some row holds content cells under two or more different heads."""
        for row in rows:
            heads = {id(h) for c in row if _has_content(c, pats) and (h := self.head(c, s)) is not None}
            if len(heads) > 1:
                return True
        return False


@dataclass
class CutRows:
    """Rows at a table's foot that no first-column cell covers: the label cell merged down
    over them crossed the page break, and a spreadsheet prints its text centred in the whole
    merged range — below the table, after these rows in reading order. Read after that label."""

    blocks: list[Block] = field(default_factory=list)
    page: int = 0
    content_x0: float = 0.0  # where the rows' content starts: the label stands left of it
    bottom: float = 0.0  # the table's foot: the label stands below it

    def is_their_label(self, b: Block, s: ExtractSettings) -> bool:
        return isinstance(b, Label) and b.page == self.page and b.bbox[0] < self.content_x0 \
            and b.bbox[1] >= self.bottom - s.cell_edge_tol


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
    tables nested in it, in printed order, column by column where tables stand side by side.
    A paragraph that is a label (two labels merged into one cell by a spreadsheet's page
    break) is a label."""
    stacked = _stacked_labels(cell, pats)
    if stacked:
        return stacked
    return [b for lines, tables in _columns_of(cell)
            for b in _column_blocks(Cell(bbox=cell.bbox, lines=lines, tables=tables, parts=cell.parts), pats, s)]


def _column_blocks(column: Cell, pats: Patterns, s: ExtractSettings) -> list[Block]:
    """The paragraphs and tables of one column of a cell, in printed order."""
    paras: list[Block] = [Label(k, p.page, p.bbox, p.text) if (k := pats.heading(p.text)) in CELL_PARA_LABELS else p
                          for p in _cell_paras(column, s)]
    if not column.tables:
        return paras
    # in printed order: piece first (a cell whose row a page or panel break cut holds both parts)
    placed: list[tuple[tuple[int, int, float], list[Block]]] = [
        (column.place(p.page, p.bbox[0], p.bbox[1]), [p]) for p in paras]
    placed += [(column.place(t.page, t.bbox[0], t.bbox[1]), table_blocks([t], pats, s)) for t in column.tables]
    return [b for _, bs in sorted(placed, key=lambda x: x[0]) for b in bs]


def _columns_of(cell: Cell) -> list[tuple[list[Line], list[TableRegion]]]:
    """The cell's lines and nested tables by the columns the tables stand in side by side
    (one column when they do not): a line goes to the column it starts in and wraps at the
    next one, so each column's text (an indicator's name over its grid) is read on its own.
    What stands in an earlier piece of the cell (before a page or panel break) comes first;
    what starts below the tables side by side follows them all, as printed (a name at the
    cell's foot whose grid went on past the break stays last)."""
    def piece(pg: int, x0: float, top: float) -> tuple[int, int]:
        return cell.place(pg, x0, top)[:2]

    edges: list[float] = []  # where each column after the first starts
    where, foot = (0, 0), 0.0  # the piece and bottom of the tables side by side
    tables = sorted(cell.tables, key=lambda t: (*piece(t.page, t.bbox[0], t.bbox[1]), t.bbox[0]))
    for prev, t in zip(tables, tables[1:]):
        (ax0, atop, ax1, abottom), (bx0, btop, _, bbottom) = prev.bbox, t.bbox
        at = piece(t.page, bx0, btop)
        if at == piece(prev.page, ax0, atop) and (not edges or at == where) and bx0 >= ax1 and btop < abottom and atop < bbottom:
            edges.append(ax1)
            where, foot = at, max(foot, abottom, bbottom)
    if not edges:
        return [(cell.lines, cell.tables)]

    def group(pg: int, x0: float, top: float) -> int:
        at = piece(pg, x0, top)
        if at != where:
            return 0 if at < where else len(edges) + 2
        return len(edges) + 2 if top >= foot else 1 + sum(1 for x in edges if x0 >= x)

    columns: list[tuple[list[Line], list[TableRegion]]] = [([], []) for _ in range(len(edges) + 3)]
    for ln in cell.lines:
        columns[group(ln.page, ln.x0, ln.top)][0].append(ln)
    for t in cell.tables:
        columns[group(t.page, t.bbox[0], t.bbox[1])][1].append(t)
    for (lines, _), (right, beside) in zip(columns[1:], columns[2:-1]):
        end = min([ln.x0 for ln in right] + [t.bbox[0] for t in beside])
        lines[:] = [replace(ln, col_right=end) for ln in lines]
    return columns


def _stacked_labels(cell: Cell, pats: Patterns) -> list[Block]:
    """A cell whose every line is a label: a header cell (「条文」) into which a merged label
    cell cut by a page break printed its text. The cut labels come first — they head what
    follows the header — and the cell's own header label last, next to its value."""
    if len(cell.lines) <= 1:
        return []
    keys = [pats.heading(normalize_text(ln.text)) for ln in cell.lines]
    if not all(keys):
        return []
    labels = [Label(k, ln.page, [round(v, 1) for v in ln.bbox], normalize_text(ln.text))
              for k, ln in zip(keys, cell.lines) if k]
    return sorted(labels, key=lambda lb: lb.key in ONE_SHOT)


def _cell_paras(cell: Cell, s: ExtractSettings) -> list[Para]:
    return [Para(lines) for lines in cell_line_groups(cell.lines, s)]


def _cell_label(cell: Cell | None, pats: Patterns) -> str | None:
    if cell is None or not cell.lines:
        return None
    return pats.heading(normalize_text(cell.text))


def open_table(grid: Grid, pats: Patterns, s: ExtractSettings, carry: ColumnHeads | None = None) -> list[Block]:
    """A table holding section labels, read as labels and content in reading order.

    A row whose non-empty cells are all labels heads columns: the cells below it go to the
    label of their column (a merged cell is read once). In a row mixing labels and content, a
    label cell's content is the cells to its right up to the next label. Rows between labels
    that form a KPI grid (or another table) stay tables. `carry` holds the column heads still
    open when the previous table ended (a page break): this table's first rows in those
    columns, under their section's label repeated or under no label, are paired with them."""
    out: list[Block] = []
    columns: dict[int, Label] = {}
    pending: list[int] = []  # row indices of a plain sub-table
    carry = carry if carry is not None else ColumnHeads()
    carried = bool(carry.labels) and 0 <= grid.page - carry.page <= 1

    def flush() -> None:
        out.extend(_pending_blocks(grid, pending, pats, s))
        pending.clear()

    skip_to = 0
    for i, row in enumerate(grid.cells):
        if i < skip_to:
            continue
        keys, filled, labelled = _row_labels(row, pats)
        if len(labelled) > 1 and len(labelled) + len(numbers := _number_heads(row, keys, pats)) == len(filled):
            flush()
            columns, carried = _open_columns(row, keys, labelled, numbers, carry, grid), False
            continue
        if labelled:
            flush()
            columns = {}
            j0 = labelled[0]
            span = _label_span(grid.cells, i, j0)
            header = span == 1 and all(keys[j] in ONE_SHOT for j in labelled)
            if not header:  # (the project's header printed again keeps carried columns open)
                if carried and len(labelled) == 1 and keys[j0] in carry.keys() \
                        and carry.pairs(block := [r[j0 + 1:] for r in grid.cells[i:i + span]], pats, s):
                    out.append(_label(row[j0], keys[j0]))  # the section label printed again
                    out.extend(_under_heads(block, carry, grid, pats, s))
                    skip_to = i + span
                    continue
                carried = False
                carry.labels = []
            if len(labelled) == 1 and span > 1:
                out.append(_label(row[j0], keys[j0]))
                out.extend(_label_block(grid, i, i + span, j0 + 1, pats, s, carry))
                skip_to = i + span
                continue
            out.extend(_labels_and_content(row, filled, keys, pats, s))
            continue
        if columns:
            out.extend(_under_columns(row, filled, columns, pats, s))
            continue
        if carried and carry.pairs([row], pats, s):
            flush()  # the columns' rows went on past the break with no label beside them
            out.extend(_under_heads([row], carry, grid, pats, s))
            continue
        pending.append(i)
    flush()
    return out


def _row_labels(row: list[Cell | None], pats: Patterns) -> tuple[list[str | None], list[int], list[int]]:
    """A row's label key per cell (None for content), and the columns with content and with a label."""
    keys = [_cell_label(c, pats) for c in row]
    filled = [j for j, c in enumerate(row) if _has_content(c, pats)]
    return keys, filled, [j for j in filled if keys[j]]


def _open_columns(row: list[Cell | None], keys: list[str | None], labelled: list[int], numbers: list[int],
                  carry: ColumnHeads, grid: Grid) -> dict[int, Label]:
    """A row of labels only heads columns (beside, maybe, a head over item numbers): their
    labels by column, kept in `carry` too (the columns may go on past a page break)."""
    columns = {j: _label(row[j], keys[j]) for j in labelled}
    columns |= {j: _label(row[j], NUMBER_COLUMN) for j in numbers}
    carry.labels, carry.page = list(columns.values()), grid.regions[-1].page
    return columns


def _pending_blocks(grid: Grid, pending: list[int], pats: Patterns, s: ExtractSettings) -> list[Block]:
    """The rows `pending` of an opened table, between labels: a table of their own (a KPI grid
    or another table), or read cell by cell."""
    if not pending:
        return []
    sub = Grid(rows=[grid.rows[i] for i in pending], regions=grid.regions,
               cells=[grid.cells[i] for i in pending])
    kind = classify(sub, pats)
    if _textless_column(sub.cells, 0):
        # nothing in the label column: the rows go on with the section above (its label, or
        # the project's header printed again, stands over them), read cell by cell but for
        # the KPI grids among them (a name row, then the grid)
        return _rows_with_kpis(sub, pats, s)
    if kind != "other" or (len(pending) > 1 and max(sum(1 for c in r if c) for r in sub.rows) > 1):
        return [TableBlock(sub, kind)]
    return [b for i in pending for cell in grid.cells[i] if cell is not None for b in _cell_blocks(cell, pats, s)]


def _under_heads(rows: list[list[Cell | None]], carry: ColumnHeads, grid: Grid, pats: Patterns,
                 s: ExtractSettings) -> list[Block]:
    """Rows read in the carried columns: each cell under the label it stands under."""
    decided(grid.page, "column-heads-carried", f"{len(rows)} row(s) read under the column heads of the page before",
            "their cells stand under two or more of those heads")
    out: list[Block] = []
    for row in rows:
        out.extend(_headed_cells([(c, carry.head(c, s)) for c in row if _has_content(c, pats)], pats, s))
    carry.page = grid.regions[-1].page
    return out


def _label_span(cells: list[list[Cell | None]], i: int, j0: int) -> int:
    """How many rows from row i the label cell in column j0 heads: it is merged down over the
    rows below it (a cell in a column left of it starts another block)."""
    span = 1
    while i + span < len(cells) and j0 < len(cells[i + span]) and all(c is None for c in cells[i + span][: j0 + 1]):
        span += 1
    return span


def _labels_and_content(row: list[Cell | None], filled: list[int], keys: list[str | None], pats: Patterns,
                        s: ExtractSettings) -> list[Block]:
    """A row mixing labels and content, read left to right: each label, then the cells after it."""
    out: list[Block] = []
    for j in filled:
        if keys[j]:
            out.append(_label(row[j], keys[j]))
        else:
            out.extend(_cell_blocks(row[j], pats, s))
    return out


def _under_columns(row: list[Cell | None], filled: list[int], columns: dict[int, Label], pats: Patterns,
                   s: ExtractSettings) -> list[Block]:
    """A row under a row of column labels: each cell after the label of its column."""
    return _headed_cells([(row[j], _column_label(columns, j)) for j in filled], pats, s)


def _headed_cells(cells: list[tuple[Cell, Label | None]], pats: Patterns, s: ExtractSettings) -> list[Block]:
    """A row's cells, each after the head of its column; a cell under a number head (「①」
    under 「No.」) numbers the item of the next cell."""
    out: list[Block] = []
    number = ""
    for cell, head in cells:
        if head is not None and head.key == NUMBER_COLUMN:
            number += normalize_text(cell.text).strip()
            continue
        if head is not None:
            out.append(head)
        blocks = _cell_blocks(cell, pats, s)
        if number and blocks and isinstance(blocks[0], Para) and blocks[0].lines:
            first = blocks[0].lines[0]
            blocks[0] = Para([replace(first, text=number + first.text), *blocks[0].lines[1:]])
        number = ""
        out.extend(blocks)
    return out


def _number_heads(row: list[Cell | None], keys: list[str | None], pats: Patterns) -> list[int]:
    """The columns of a row of heads that are item-number heads (「No.」)."""
    return [j for j, c in enumerate(row) if c is not None and c.lines and not keys[j] and pats.is_number_head(c.text)]


def _label_block(grid: Grid, r0: int, r1: int, c0: int, pats: Patterns, s: ExtractSettings,
                 carry: ColumnHeads | None = None) -> list[Block]:
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
        return open_table(sub, pats, s, carry)  # sub-labels (②課題) or column heads (Check | Action)
    return _rows_with_kpis(sub, pats, s)


def _rows_with_kpis(grid: Grid, pats: Patterns, s: ExtractSettings) -> list[Block]:
    """Rows read cell by cell, except runs that form a KPI grid (a row of years, then rows
    opening with 目標/実績): those stay tables, named by a name-label row over them (「指標名 |
…の開催回数」), else by the paragraph printed above them. Leading columns
    with no text of their own (a label column left empty, values merged down into it) are
    left out."""
    c0 = 0
    while c0 < max((len(r) for r in grid.cells), default=0) - 1 and _textless_column(grid.cells, c0):
        c0 += 1
    if c0:
        grid = Grid(rows=[r[c0:] for r in grid.rows], regions=grid.regions, cells=[r[c0:] for r in grid.cells])
    out: list[Block] = []
    i = 0
    while i < len(grid.cells):
        name = pats.kpi_name_of(["\n".join(c) for c in grid.rows[i]])
        lo = i + 1  # a name-label row over its grid names it
        j = _kpi_run(grid, lo, pats) if name is not None else None
        if j is None:  # (a row opening with 指標名 may head an indicator matrix itself)
            name, lo, j = None, i, _kpi_run(grid, i, pats)
        if j is not None:
            sub = Grid(rows=grid.rows[lo:j], regions=grid.regions, cells=grid.cells[lo:j])
            out.append(TableBlock(sub, "kpi", name=name))
            i = j
            continue
        out.extend(b for c in grid.cells[i] if c is not None for b in _cell_blocks(c, pats, s))
        i += 1
    return out


def _kpi_run(grid: Grid, i: int, pats: Patterns) -> int | None:
    """The end of the KPI grid opening at row i (a row of years, then rows opening with
    目標/実績), or None when none does."""
    n = len(grid.cells)
    if i >= n or not any(year_of(" ".join(c), pats) for c in grid.rows[i]):
        return None
    j = i + 1
    while j < n and kpi_row_kind(" ".join(next((c for c in grid.rows[j] if c), [])), pats):
        j += 1
    if j == i + 1:
        return None
    sub = Grid(rows=grid.rows[i:j], regions=grid.regions, cells=grid.cells[i:j])
    return j if classify(sub, pats) == "kpi" else None


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


def table_blocks(regions: list[TableRegion], pats: Patterns, s: ExtractSettings,
                 carry: ColumnHeads | None = None, cut: CutRows | None = None) -> list[Block]:
    """A logical table → one TableBlock, or labels and content when it holds section labels.
    `carry`: column heads open at the end of the previous table, updated for the next one;
    `cut` receives the rows at its foot whose label the page break cut off (read by the caller
    after that label)."""
    grid = to_grid(regions, s, pats)
    if not grid.rows:
        return []
    kind = classify(grid, pats)
    if kind == "other":  # rows carried over a break, and the next project's overview under them?
        first, *rest = _split_at_titles(grid, pats, first_kind="other")
        if rest:
            return (open_table(first.grid, pats, s, carry) if has_labels(first.grid, pats) else [first]) + rest
    if kind == "other" and has_labels(grid, pats):
        n = _cut_rows(grid, pats, s) if cut is not None else 0
        if n:
            foot = Grid(rows=grid.rows[-n:], regions=grid.regions, cells=grid.cells[-n:])
            grid = Grid(rows=grid.rows[:-n], regions=grid.regions, cells=grid.cells[:-n])
            out = open_table(grid, pats, s, carry)
            cells = [c for row in foot.cells for c in row if c is not None and _has_text(c)]
            cut.blocks = open_table(foot, pats, s, carry) if has_labels(foot, pats) else \
                [b for c in cells for b in _cell_blocks(c, pats, s)]
            cut.page, cut.content_x0 = grid.page, min(c.bbox[0] for c in cells)
            cut.bottom = max(c.bbox[3] for c in cells)
            decided(grid.page, "rows-cut-from-label", f"{n} row(s) at the table's foot held for the label below it",
                    "no first-column cell covers them: the merged label crossed the break")
            return out
        return open_table(grid, pats, s, carry)
    if carry is not None:
        carry.labels = []  # another table between: the columns closed
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
        return split_overview(grid, pats, s)
    return [TableBlock(grid, kind)]


def _label_column_blank(grid: Grid) -> bool:
    """Two columns, the first (where labels stand) empty on every row."""
    return (all(len(r) == 2 for r in grid.cells) and all(not r[0] or not r[0].lines for r in grid.cells)
            and any(r[1] and r[1].lines for r in grid.cells))


def _cut_rows(grid: Grid, pats: Patterns, s: ExtractSettings) -> int:
    """How many rows at the foot of a table printed in one piece (one region) have no label in
    the first column: an empty first-column cell of their own, or none at all when the cell
    above in that column ends over their top. Rows right under a row of column heads are
    those columns' content; rows right under a header field (事務事業名, 条文, 施策) printed
    again on a new page go on with the section before the break."""
    cells = grid.cells
    if len(grid.regions) != 1:
        return 0
    k = len(cells)
    while k > 0 and cells[k - 1] and (cells[k - 1][0] is None or not _has_text(cells[k - 1][0])):
        k -= 1
    if k == 0 or k == len(cells):
        return 0
    above = cells[k - 1][0]
    if _cell_label(above, pats) in ONE_SHOT:
        return 0  # under the project's header rows printed again: the section above goes on
    for i in range(k, len(cells)):
        row = [c for c in cells[i] if c is not None]
        if cells[i][0] is not None or (row and min(c.top for c in row) >= above.bottom - s.cell_edge_tol):
            if _heads_columns(cells[i - 1], pats):
                return 0
            return len(cells) - i if any(_has_text(c) for r in cells[i:] for c in r[1:] if c) else 0
    return 0


def _heads_columns(row: list[Cell | None], pats: Patterns) -> bool:
    """A row of two or more labels and nothing else (「主な検証意見 | 令和4年度以降の対応」)."""
    filled = [c for c in row if _has_content(c, pats)]
    return len(filled) > 1 and all(_cell_label(c, pats) for c in filled)


def overprinted(word: str, text: str) -> bool:
    """`word` in a header cell, also when a name cut by a page break was printed over it
    (「都市農業価事値務発事信業事名業」: the word's characters in order among the other's)."""
    if word in text:
        return True
    rest = iter(text)
    return all(ch in rest for ch in word)


def _strip_subsequence(text: str, words: list[str]) -> str:
    """The name printed over a header word: the cell's text without the word's characters
    (matched from the right, as the header word ends the cell), or "" for the word alone."""
    for w in words:
        if w in text:
            return text.replace(w, "", 1).strip()
        chars, k = list(text), len(w) - 1
        for i in range(len(chars) - 1, -1, -1):
            if k >= 0 and chars[i] == w[k]:
                chars[i] = ""
                k -= 1
        if k < 0:
            return "".join(chars).strip()
    return ""


def _cut_start(grid: Grid, col: int, header: int, s: ExtractSettings) -> int | None:
    """The first row of the table's foot that no cell in `col` covers (a merged cell cut by
    the page break), or None."""
    i = len(grid.cells)
    while i > header + 2 and _uncovered(grid, i - 1, col, header, s):
        i -= 1
    return i if i < len(grid.cells) else None


def _uncovered(grid: Grid, i: int, col: int, header: int, s: ExtractSettings) -> bool:
    """Row i of a table printed in one piece (one region) has no cell in `col` (None) and the
    cell above in that column, below the header row, ends over its top: the cell that should
    stand there was cut off."""
    if len(grid.regions) != 1 or col >= len(grid.cells[i]) or grid.cells[i][col] is not None:
        return False
    above = next((r[col] for r in reversed(grid.cells[header + 1:i]) if col < len(r) and r[col] is not None), None)
    row = [c for c in grid.cells[i] if c is not None]
    return above is not None and bool(row) and min(c.top for c in row) >= above.bottom - s.cell_edge_tol


def _has_text(c: Cell) -> bool:
    return bool(c.lines or c.tables)


def _textless_column(cells: list[list[Cell | None]], j: int) -> bool:
    """No row has text of its own in column j (its cells are empty, or merged from elsewhere)."""
    return all(j >= len(r) or r[j] is None or not _has_text(r[j]) for r in cells)


def split_overview(grid: Grid, pats: Patterns, s: ExtractSettings) -> list[Block]:
    """An overview table with a name column (事務事業名, 事業名: a spreadsheet's その他の事業
    sheet): one block per project, the header row kept on each; without that column, the
    table as is. A row whose name cell is missing (no cell above covers it: a merged name cell
    cut by the page break) opens a project of its own, `unnamed`. A title row above the header
    that announces the part (「その他の事業（第12条から第18条）」) is its label."""
    t = pats.tables
    for h, row in enumerate(grid.rows[:3]):
        # header cells are short: a long cell (a project's text) is no header, even where its
        # characters happen to hold a header word's in order
        heads = [x if len(x) <= s.title_max_chars else "" for x in (" ".join(c) for c in row)]
        name_col = next((j for j, x in enumerate(heads) if any(overprinted(w, x) for w in t["overview_name"])), None)
        if name_col is None or not any(any(w in x for w in t["overview"]) for x in heads):
            continue
        art_col = next((j for j, x in enumerate(heads) if any(w in x for w in t["article_column"])), None)

        # rows of one cell across the table naming an article (「12条 創業、…」) head the rows
        # under them: no project of their own
        heads_at = {i: n for i in range(h + 1, len(grid.cells)) if (n := _article_row(grid.cells[i], pats)) is not None}

        def article(i: int) -> int | None:
            """The article of row i's 条文 cell (none where a page break cut that cell off too),
            else of the article row over it."""
            if art_col is None:
                return next((heads_at[k] for k in range(i, h, -1) if k in heads_at), None)
            if art_col >= len(grid.rows[i]) or _uncovered(grid, i, art_col, h, s):
                return None
            return _article_in(grid.rows[i][art_col], pats)

        cut = _cut_start(grid, name_col, h, s)
        starts = [i for i in range(h + 1, len(grid.cells)) if i not in heads_at and (i == cut or (
            name_col < len(grid.cells[i]) and grid.cells[i][name_col] is not None and grid.rows[i][name_col]))]
        ends = sorted({*starts, *heads_at, len(grid.cells)})
        out: list[Block] = _part_labels(grid, h, pats)

        def part(a: int, b: int, **kw) -> TableBlock:
            return TableBlock(Grid(rows=[grid.rows[h]] + grid.rows[a:b], regions=grid.regions,
                                   cells=[grid.cells[h]] + grid.cells[a:b]), "overview", **kw)

        if ends[0] > h + 1:  # rows going on from the previous page's project
            over = _strip_subsequence(heads[name_col], t["overview_name"])
            out.append(part(h + 1, ends[0], name=normalize_text(over) or None, article=article(h + 1), continues=True))
        for a in starts:
            name = "" if a == cut else _overview_name(grid.rows[a][name_col], pats)
            out.append(part(a, next(e for e in ends if e > a), name=name or None, article=article(a), unnamed=a == cut))
        return out
    return _split_at_titles(grid, pats)


def _article_row(row: list[Cell | None], pats: Patterns) -> int | None:
    """The article a row of one cell names (「12条 創業、経営の革新等の促進」 across the table)."""
    filled = [c for c in row if c is not None and c.lines]
    if len(filled) != 1 or len(row) <= 1:
        return None
    return pats.article_heading(normalize_text(filled[0].text))


def _part_labels(grid: Grid, h: int, pats: Patterns) -> list[Block]:
    """Labels of the rows above a table's header that announce a part of the report (a title
    row 「その他の事業（…）」 printed in the table): the part opens there."""
    out: list[Block] = []
    for row in grid.cells[:h]:
        for c in row:
            if c is not None and c.lines and pats.heading(normalize_text(c.text)) == "other_part":
                out.append(_label(c, "other_part"))
    return out


def _overview_name(lines: list[str], pats: Patterns) -> str:
    """A project's name from its name cell: the first line(s); a ※ line under it is a note, a
    mark that it goes on (「（続き）」 after a page break: numbering.continued) no part of it."""
    name = normalize_text(" ".join(x for x in lines if not x.startswith(NOTE_MARK)).split(NOTE_MARK)[0])
    return normalize_text(pats.continued.sub("", name)).strip()


def _article_in(lines: list[str], pats: Patterns) -> int | None:
    """The article an article-column cell gives: 「12条」 on a line of its own (the policy under
    it), or opening the cell (「13条連携の促進」, 「14条（続き）」)."""
    for text in lines:
        t = re.sub(r"\s+", "", normalize_text(text))
        m = pats.article_cell.match(t) or pats.article_lead.match(t)
        if m:
            return int(m.group("no"))
    return None


def _split_at_titles(grid: Grid, pats: Patterns, first_kind: str = "overview") -> list[Block]:
    """An overview table holding the next project as well (two tables printed without a gap
    are found as one): a new part at each name row — one merged cell, a ※ note row perhaps
    under it — standing above a 概要/実績 header row. The part before the first name row keeps
    `first_kind`."""
    def single(k: int) -> str | None:
        """The text of row k when it is one merged cell (its printed cells, not the filled-in rows)."""
        filled = [c.text for c in grid.cells[k] if c is not None and c.lines]
        return filled[0] if len(filled) == 1 else None

    starts: list[tuple[int, str]] = []
    for k in range(1, len(grid.rows) - 1):
        name = single(k)
        if name is None or name.startswith(NOTE_MARK) or overview_header(grid.rows[k], pats):
            continue
        noted = k + 2 < len(grid.rows) and (single(k + 1) or "").startswith(NOTE_MARK)  # a ※ row between
        if overview_header(grid.rows[k + 1], pats) or (noted and overview_header(grid.rows[k + 2], pats)):
            starts.append((k, normalize_text(name)))
    if not starts:
        return [TableBlock(grid, first_kind)]
    bounds = [0] + [k for k, _ in starts] + [len(grid.rows)]
    names = [None] + [n for _, n in starts]
    return [TableBlock(Grid(rows=grid.rows[a:b], regions=grid.regions, cells=grid.cells[a:b]),
                       first_kind if a == 0 else "overview", name=n)
            for a, b, n in zip(bounds, bounds[1:], names)]
