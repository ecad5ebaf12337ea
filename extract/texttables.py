"""KPI grids printed without rules: found from the words' positions alone.

Zebra-striped tables, tables drawn with a rule or two, and HTML tables without borders leave
no grid for the ruled-table finder. A KPI grid is still recognisable by its content: a row of
fiscal-year headings (「R2 (2020) 年度」「令和2年度」「2020年度」) followed by rows that open
with 目標 / 実績. Rows are clustered by height, cells by horizontal gaps, and each value is
put under the year heading it lines up with. Two grids side by side are told apart where
the years start over.
"""
from __future__ import annotations

from dataclasses import dataclass

from .geometry import Cell, CharIndex, Line, TableRegion, middle
from .normalize import normalize_chars, normalize_text
from .paragraphs import starts_item
from .patterns import Patterns
from .settings import ExtractSettings
from .tables import kpi_row_kind, year_of


@dataclass
class _Cell:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Row:
    lines: list[Line]
    cells: list[_Cell]

    @property
    def top(self) -> float:
        return min(ln.top for ln in self.lines)

    @property
    def bottom(self) -> float:
        return max(ln.bottom for ln in self.lines)

    @property
    def size(self) -> float:
        return max(ln.size for ln in self.lines)


def _rows(lines: list[Line], chars: CharIndex, s: ExtractSettings) -> list[_Row]:
    """Lines of one height form a row; its chars split into cells at wide gaps."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (ln.top + ln.bottom) / 2):
        mid = (ln.top + ln.bottom) / 2
        if rows and abs(mid - middle(rows[-1][0].top, rows[-1][0].bottom)) <= s.line_overlap * ln.size:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    out = []
    for group in rows:
        # each line's own chars: a taller line in the other panel must not draw in the row below
        own = {id(c): c for ln in group for c in chars.within((ln.x0 - 1, ln.top - 1, ln.x1 + 1, ln.bottom + 1))}
        cs = sorted((c for c in own.values() if c["text"].strip()), key=lambda c: c["x0"])
        cells: list[_Cell] = []
        for c in cs:
            size = c.get("size", 10)
            if cells and c["x0"] - cells[-1].x1 <= s.text_cell_gap * size:
                last = cells[-1]
                last.text += c["text"]
                last.x1, last.top, last.bottom = max(last.x1, c["x1"]), min(last.top, c["top"]), max(last.bottom, c["bottom"])
            else:
                cells.append(_Cell(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], size))
        for cell in cells:
            cell.text = normalize_chars(cell.text)
        out.append(_Row(group, cells))
    return out


def _join_stacked_labels(rows: list[_Row], pats: Patterns, s: ExtractSettings) -> None:
    """A 目標/実績 label wrapped a character a line in its narrow column (「目」 over 「標」, a
    centred value's line between them) is one label: the lower part joins the upper cell,
    which then spans both lines."""
    for i, upper in enumerate(rows):
        for c in upper.cells:
            if kpi_row_kind(c.text, pats) or len(c.text) >= s.unit_chars:
                continue
            for lower in rows[i + 1:]:
                if lower.top - c.bottom > s.text_wrap_gap * lower.size:
                    break
                below = next((d for d in lower.cells if d.x0 < c.x1 and d.x1 > c.x0 and d.top >= c.bottom - 1), None)
                if below is None:
                    continue
                if len(c.text) + len(below.text) <= s.unit_chars and kpi_row_kind(c.text + below.text, pats):
                    c.text += below.text
                    c.x1, c.bottom = max(c.x1, below.x1), below.bottom
                    lower.cells.remove(below)
                break


def _heading_year(text: str, pats: Patterns, s: ExtractSettings) -> int | None:
    """The year a KPI column heading names; a long text naming a year (the other panel's line,
    「令和4年度以降の対応」) is no heading."""
    return year_of(text, pats) if len(normalize_text(text)) <= s.year_heading_chars else None


def _groups(header: _Row, pats: Patterns, s: ExtractSettings, read: set[int]) -> list[list[_Cell]]:
    """The year cells of a header row, one list per grid (years start over for the next);
    cells in `read` (ids) are a wrapped line of a grid's heading already read."""
    groups: list[list[_Cell]] = []
    last = None
    for cell in header.cells:
        y = _heading_year(cell.text, pats, s) if id(cell) not in read else None
        if y is None:
            continue
        if last is None or y <= last:
            groups.append([])
        groups[-1].append(cell)
        last = y
    return groups


def text_kpi_tables(lines: list[Line], chars: CharIndex, page_no: int, pats: Patterns,
                    s: ExtractSettings) -> tuple[list[TableRegion], set[int]]:
    """KPI grids among a page's flow lines, and the ids of the lines they take."""
    rows = _rows(lines, chars, s)
    _join_stacked_labels(rows, pats, s)
    regions: list[TableRegion] = []
    used: set[int] = set()
    read: set[int] = set()  # cells of the grids found
    for i, header in enumerate(rows):
        groups = _groups(header, pats, s, read)
        left = float("-inf")
        for g in groups:
            head = _heading(rows, i, g, left, pats, s)
            region, taken = _grid(rows, head, g, left, page_no, pats, s)
            if region is None:
                region, taken = _heading_only(rows, head, g, page_no, pats, s)
            if region is not None:
                regions.append(region)
                x0, _, x1, _ = region.bbox
                for row in taken:
                    used.update(id(ln) for ln in row.lines if ln.x0 >= x0 - 1 and ln.x1 <= x1 + 1)
                    read.update(id(c) for c in row.cells if x0 - 1 <= c.cx <= x1 + 1)
            left = g[-1].x1
    regions += _orphans(rows, used, page_no, pats, s)
    return regions, used


def _figure_run(cells: list[_Cell], s: ExtractSettings) -> list[_Cell]:
    """A label and the figures after it, up to the first cell that is not one (text of the
    other panel printed on the same line)."""
    for k, c in enumerate(cells[1:], start=1):
        if not _is_figure(c) and len(c.text.strip()) > s.unit_chars:
            return cells[:k]
    return cells


def _is_figure(c: _Cell) -> bool:
    """A cell that opens with a number (「1,500」「91%」「-3」), not text naming one."""
    t = c.text.strip()
    return bool(t) and (t[0].isdigit() or (t[0] in "-−△▲" and t[1:2].isdigit()))


def _figures(cells: list[_Cell], s: ExtractSettings) -> bool:
    """Cells of a 目標/実績 row after its label: figures, and perhaps a short unit (回, 件)."""
    numbers = [c for c in cells if _is_figure(c)]
    return bool(numbers) and all(c in numbers or len(c.text.strip()) <= s.unit_chars for c in cells)


def _last_in_column(rows: list[_Row], last: _Row, cells: list[_Cell]) -> bool:
    """Nothing is printed below the row `last` within the width of `cells` (the other panel
    may go on)."""
    x0, x1 = min(c.x0 for c in cells), max(c.x1 for c in cells)
    return not any(c.x1 > x0 and c.x0 < x1 for r in rows if r.top > last.bottom for c in r.cells)


def _with_centred_figures(row: _Row, below: list[_Row], pats: Patterns, s: ExtractSettings) -> _Row:
    """A row holding a 目標/実績 label and no figures, with the row right under it when that
    one holds only figures right of the label, overlapping its line: a label wrapped onto a
    second line (「実績」 over 「(人)」) whose values are centred between its lines."""
    labels = [c for c in row.cells if kpi_row_kind(c.text, pats)]
    if not labels or any(_is_figure(c) for c in row.cells) or not below:
        return row
    nxt = below[0]
    if nxt.top >= row.bottom or not _figures(nxt.cells, s) or min(c.x0 for c in nxt.cells) <= labels[0].x1:
        return row
    return _Row(lines=row.lines + nxt.lines, cells=sorted(row.cells + nxt.cells, key=lambda c: c.x0))


def _bare_heading(cells: list[_Cell], pats: Patterns, s: ExtractSettings) -> bool:
    """Nothing but short year headings (and a 単位 heading): a KPI grid's heading, not a
    sentence or a label that names a year (「令和4年度以降の対応」)."""
    texts = [normalize_text(c.text) for c in cells]
    years = [t for t in texts if year_of(t, pats) is not None]
    return (len(years) > 1 and all(_heading_year(t, pats, s) is not None for t in years)
            and all(t in years or pats.kpi_unit_header.match(t) for t in texts))


def _orphans(rows: list[_Row], used: set[int], page_no: int, pats: Patterns, s: ExtractSettings) -> list[TableRegion]:
    """目標/実績 rows with no year heading above: the rest of a grid cut by a page or panel
    break, marked to join the grid before it. Grids side by side give one piece each (a row
    is cut at each 目標/実績 label); rows stacked under one another (目標 then 実績, the break
    fell after the heading) are one piece."""
    out: list[TableRegion] = []
    for i, row in enumerate(rows):
        if any(id(ln) in used for ln in row.lines):
            continue
        row = _with_centred_figures(row, rows[i + 1:i + 2], pats, s)
        starts = [k for k, c in enumerate(row.cells) if kpi_row_kind(c.text, pats)]
        pieces = [_figure_run(row.cells[a:b], s) for a, b in zip(starts, starts[1:] + [len(row.cells)])]
        pieces = [cs for cs in pieces if _figures(cs[1:], s)]
        for cs in pieces:
            cs, wraps = _with_wraps(cs, rows[i + 1:], pats, s)
            x0, x1 = cs[0].x0, max(c.x1 for c in cs)
            cells: list[Cell | None] = [_cell(c, page_no) for c in cs]
            above = next((t for t in out if abs(t.x0 - x0) <= cs[0].size and len(t.rows[-1]) == len(cells)
                          and 0 <= row.top - t.bottom <= s.text_row_gap * cs[0].size), None)
            if above is not None:
                above.rows.append(cells)
                above.bbox = (min(above.bbox[0], x0), above.bbox[1], max(above.bbox[2], x1), row.bottom)
            else:
                out.append(TableRegion(page=page_no, bbox=(x0, row.top, x1, max(c.bottom for c in cs)), rows=[cells],
                                       continues=True))
            used.update(id(ln) for r in [row, *wraps] for ln in r.lines if ln.x0 >= x0 - 1 and ln.x1 <= x1 + 1)
    return out


def _with_wraps(cs: list[_Cell], below: list[_Row], pats: Patterns, s: ExtractSettings) -> tuple[list[_Cell], list[_Row]]:
    """A cut-off row's cells with the lines they wrapped onto (「(人)」 under 「実績」, 「000）」
    under 「1,200,000（40,」): rows tight below with text only under the row's cells; a unit
    centred lower than the label, between it and the figures, makes a cell of its own. Returns
    the cells joined and the rows taken."""
    cols = [[c] for c in cs]
    x0, x1 = cs[0].x0, cs[-1].x1 + cs[-1].size
    bottom = max(c.bottom for c in cs)
    taken: list[_Row] = []
    for r in below:
        inside = [c for c in r.cells if c.x1 > x0 and c.x0 < x1]
        if not inside:
            continue
        if r.top - bottom > s.text_wrap_gap * r.size or any(
                kpi_row_kind(c.text, pats) or len(normalize_text(c.text)) > s.year_heading_chars or starts_item(c.text)
                or sum(1 for col in cols if c.x1 > col[0].x0 and c.x0 < col[0].x1) > 1 for c in inside):
            break  # a label, an item (「○…」), or text across the columns (the next grid's name): not a wrapped line
        for c in inside:  # (a unit cell inserted for one cell is a column the next may stand over)
            over = [col for col in cols if c.x1 > col[0].x0 and c.x0 < col[0].x1]
            if not over and len(cols) > 1 and cols[0][0].x1 <= c.x0 and c.x1 <= cols[1][0].x0:
                cols.insert(1, [c])  # between the label and the first figure: a unit column's cell
            else:
                min(cols, key=lambda col: _distance(c, col[0])).append(c)
        bottom = r.bottom
        taken.append(r)
    return [_joined(col) for col in cols], taken


@dataclass
class _Heading:
    """A grid's heading: its columns (a 単位 column first, when printed), each with the lines
    its heading wrapped into, and the rows it takes."""
    cols: list[list[_Cell]]
    rows: list[_Row]
    next: int  # the index of the first row after it

    @property
    def cells(self) -> list[_Cell]:
        return [_joined(c) for c in self.cols]


def _heading(rows: list[_Row], i: int, years: list[_Cell], left: float, pats: Patterns,
             s: ExtractSettings) -> _Heading:
    """The heading of the grid whose year cells `years` stand in row i. A heading may wrap
    (「R2 (2020) 年」 over 「度」); headings are centred, so a one-line heading beside a wrapped
    one stands between its lines, and the wrapped one has lines above and below row i. Short
    lines tight above and below over a year column join it; those left of the first year
    column make the 単位 heading when they read so."""
    first = years[0].x0
    reach0 = max(left, first - s.text_label_room * years[0].size)
    right = years[-1].x1 + s.text_cell_gap * years[-1].size
    cols = [[c] for c in years]
    side = [c for c in rows[i].cells if reach0 < c.cx and c.x1 <= first]
    found: list[tuple[_Row, list[tuple[list[_Cell], _Cell]], list[_Cell]]] = []  # row, over a year, aside

    def wrap(row: _Row, edge: _Row) -> bool:
        cells = [c for c in row.cells if reach0 < c.cx < right]
        if not cells:
            return True  # the other panel's line: look on
        gap = row.top - edge.bottom if row.top >= edge.top else edge.top - row.bottom
        if gap > s.text_wrap_gap * row.size or any(kpi_row_kind(c.text, pats) for c in cells):
            return False
        over, aside = [], []
        for c in cells:
            under = [col for col in cols if c.x1 > col[0].x0 and c.x0 < col[0].x1]
            if c.x1 <= first:
                # left of the years: the 単位 heading's lines stand over one another; other
                # text there is a grid beside this one, printed at another height
                stack = side + [a for f in found for a in f[2]]
                if not (_is_figure(c) or _heading_year(c.text, pats, s)) \
                        and (not stack or any(c.x1 > a.x0 and c.x0 < a.x1 for a in stack)):
                    aside.append(c)
            elif len(under) == 1 and under[0][0].x0 - c.size <= c.x0 and c.x1 <= under[0][0].x1 + c.size \
                    and not _is_figure(c) and len(normalize_text(c.text)) <= s.year_heading_chars:
                over.append((under[0], c))
            else:
                return False
        if not (over or aside):
            return False
        found.append((row, over, aside))
        return True

    k = i - 1
    while k >= 0 and wrap(rows[k], found[-1][0] if found else rows[i]):
        k -= 1
    j = i + 1
    while j < len(rows) and wrap(rows[j], max([rows[i], *(f[0] for f in found)], key=lambda r: r.bottom)):
        j += 1
    side += [c for f in found for c in f[2]]
    unit = _joined(side) if side else None
    if unit is None or not pats.kpi_unit_header.match(normalize_text(unit.text)):
        side = []  # lines beside the years that do not read 単位: a name's last line, not the heading's
        found = [f for f in found if f[1] or f[0].bottom > rows[i].top]
    for _, over, _ in found:
        for col, c in over:
            col.append(c)
    if side:
        cols.insert(0, side)
    return _Heading(cols, sorted([rows[i], *(f[0] for f in found)], key=lambda r: r.top), j)


def _heading_only(rows: list[_Row], head: _Heading, years: list[_Cell], page_no: int, pats: Patterns,
                  s: ExtractSettings) -> tuple[TableRegion | None, list[_Row]]:
    """A grid's heading alone, ending its column: a grid cut by a page or panel break (its
    目標/実績 rows follow on the next page or panel). None when the heading is not bare (a
    sentence naming years) or text goes on below it."""
    cells = head.cells
    if not (_bare_heading(cells, pats, s) and _last_in_column(rows, head.rows[-1], cells)):
        return None, []
    right = years[-1].x1 + s.text_cell_gap * years[-1].size
    bbox = (cells[0].x0, head.rows[0].top, right, head.rows[-1].bottom)
    return TableRegion(page=page_no, bbox=bbox, rows=[[_cell(None, page_no)] + [_cell(c, page_no) for c in cells]]), head.rows


def _grid(rows: list[_Row], head: _Heading, years: list[_Cell], left: float, page_no: int,
          pats: Patterns, s: ExtractSettings) -> tuple[TableRegion | None, list[_Row]]:
    """The grid under the heading `head` of the year cells `years` (right of `left`), and the
    rows it takes. Cells may wrap: a heading's 「度」, a label's 「(件)」 or a value's remark on a
    line of its own. Each 目標/実績 label (with the lines under it) is a band; a value goes to
    the band its middle falls in (cells are centred or top-aligned) and to the column it
    lines up with."""
    size = years[0].size
    first = years[0].x0
    right = years[-1].x1 + s.text_col_reach * size
    far = years[-1].x1 + _column_reach(years, s)  # figures may be set flush right in wide columns
    reach0 = max(left, first - s.text_label_room * size)
    cols = head.cells
    unit = cols[0] if len(cols) > len(years) else None  # the 単位 column: its cells are no label's lines
    body = _body(rows, head.next, years, reach0, (right, far), head.rows[-1].bottom, pats, s)
    labels = [c for r in body for c in r.cells
              if reach0 < c.cx and c.x1 <= first + 1 and kpi_row_kind(c.text, pats)]
    if not labels:
        return None, []
    # the label column nearest the years: a grid beside this one, printed a little lower,
    # may put its own 目標/実績 labels on these rows further left
    col_x1 = max(c.x1 for c in labels)
    labels = [c for c in labels if col_x1 - c.x1 <= s.label_column_tol * c.size]
    label_x0 = min(c.x0 for c in labels)
    bands: list[list[_Cell]] = [[c] for c in sorted(labels, key=lambda c: c.top)]
    values: list[_Cell] = []
    for c in sorted((c for r in body for c in r.cells if label_x0 - size <= c.cx and _in_reach(c, right, far)), key=lambda c: c.top):
        if any(c is b[0] for b in bands) or (c.x1 > first and kpi_row_kind(c.text, pats)):
            continue  # a label of this grid, or of the grid beside it
        if c.x1 <= first + 1 and not _is_figure(c) and not (unit and c.x1 > unit.x0 and c.x0 < unit.x1):
            band = next((b for b in reversed(bands) if b[0].top <= c.top), None)
            if band is not None and c.top - band[-1].bottom <= s.text_wrap_gap * c.size:
                band.append(c)  # the label's wrapped line (「(件)」)
            continue
        values.append(c)
    out_rows: list[list[Cell | None]] = [[_cell(None, page_no)] + [_cell(c, page_no) for c in cols]]
    cells_at: dict[tuple[int, int], list[_Cell]] = {}
    for c in values:
        k = min(range(len(cols)), key=lambda k: _distance(c, cols[k]))
        if _distance(c, cols[k]) > max(far - years[-1].x1 if _is_figure(c) else 0.0, s.text_col_reach * c.size):
            continue
        mid = (c.top + c.bottom) / 2
        b = min(range(len(bands)), key=lambda b: _band_distance(mid, bands[b]))
        cells_at.setdefault((b, k), []).append(c)
    for b, band in enumerate(bands):
        out_rows.append([_cell(_joined(band), page_no)]
                        + [_cell(_joined(cells_at[(b, k)]) if (b, k) in cells_at else None, page_no)
                           for k in range(len(cols))])
    bottom = max(c.bottom for c in [*labels, *values, *cols])
    x0 = min(label_x0, cols[0].x0)
    x1 = max(right, *(c.x1 for c in values))  # a wide value may stand out past its heading
    return TableRegion(page=page_no, bbox=(x0, head.rows[0].top, x1, bottom), rows=out_rows), head.rows + body


def _body(rows: list[_Row], j: int, years: list[_Cell], reach0: float, reach: tuple[float, float], bottom: float,
          pats: Patterns, s: ExtractSettings) -> list[_Row]:
    """The rows of a grid's 目標/実績 bands after its heading: rows with a label, and rows
    tight under them with figures or short wrapped lines. A row of text across the columns,
    or another grid's year headings, ends the grid; rows with nothing in reach are the other
    panel's."""
    body: list[_Row] = []
    first = years[0].x0
    while j < len(rows):
        row = rows[j]
        # figures left of the years are a grid beside this one, printed at another height
        cells = [c for c in row.cells if reach0 < c.cx and _in_reach(c, *reach) and (c.x1 > first or not _is_figure(c))]
        j += 1
        if not cells:
            continue
        gap = row.top - bottom
        if gap > s.text_row_gap * row.size:
            break
        in_cols = [c for c in cells if c.x1 > first]
        if any(_heading_year(c.text, pats, s) is not None and not _is_figure(c) for c in in_cols):
            break  # the next grid's headings
        has_label = any(kpi_row_kind(c.text, pats) and c.x1 <= first + 1 for c in cells)
        wrapped = gap <= s.text_wrap_gap * row.size and all(
            _is_figure(c) or (len(normalize_text(c.text)) <= s.year_heading_chars and not starts_item(c.text))
            for c in in_cols)  # an item (「○…」, the next grid's name) is no wrapped line
        if not has_label and not (body and wrapped):
            break
        body.append(row)
        bottom = row.bottom
    return body


def _band_distance(mid: float, band: list[_Cell]) -> float:
    """0 when `mid` falls within the band's lines, else how far outside."""
    top, bottom = band[0].top, max(c.bottom for c in band)
    return 0.0 if top <= mid <= bottom else min(abs(mid - top), abs(mid - bottom))


def _joined(cells: list[_Cell]) -> _Cell:
    """Wrapped lines of one cell, read top to bottom, as one cell."""
    cells = sorted(cells, key=lambda c: (c.top, c.x0))
    return _Cell("".join(c.text for c in cells), min(c.x0 for c in cells), max(c.x1 for c in cells),
                 cells[0].top, max(c.bottom for c in cells), cells[0].size)


def _in_reach(c: _Cell, right: float, far: float) -> bool:
    """Within the grid's right edge: any cell whose middle is left of `right`, and a figure
    starting left of `far` (set flush right in a wide column; text there is the next panel's)."""
    return c.cx < right or (_is_figure(c) and c.x0 < far)


def _column_reach(years: list[_Cell], s: ExtractSettings) -> float:
    """How far right of its heading a value may stand: a few characters, or in wide columns
    (headings far apart) up to the share `text_col_pitch_share` of the distance between
    headings, where a value set flush right in its column still stands nearer its own."""
    pitch = (years[-1].cx - years[0].cx) / (len(years) - 1) if len(years) > 1 else 0.0
    return max(s.text_col_reach * years[0].size, s.text_col_pitch_share * pitch)


def _distance(c: _Cell, col: _Cell) -> float:
    """0 when the cell overlaps the column's heading, else the gap between them."""
    if c.x1 >= col.x0 and c.x0 <= col.x1:
        return 0.0
    return min(abs(c.x0 - col.x1), abs(col.x0 - c.x1))


def _cell(c: _Cell | None, page_no: int) -> Cell:
    if c is None:
        return Cell(bbox=(0, 0, 0, 0), lines=[])
    ln = Line(text=c.text, x0=c.x0, top=c.top, x1=c.x1, bottom=c.bottom, size=c.size, heavy=False,
              page=page_no, col_left=c.x0, col_right=c.x1, column="cell")
    return Cell(bbox=(c.x0, c.top, c.x1, c.bottom), lines=[ln])


def attach_headers(regions: list[TableRegion], lines: list[Line], chars: CharIndex, pats: Patterns,
                   s: ExtractSettings) -> set[int]:
    """A ruled KPI grid whose year headings are printed above its rules (only the 目標/実績
    rows boxed): the heading line just above becomes its first row. Returns the ids of the
    lines taken."""
    used: set[int] = set()
    rows = _rows(lines, chars, s) if regions and lines else []
    for region in regions:
        first = [r[0] for r in region.rows if r and r[0] is not None]
        if not first or not all(c.lines and kpi_row_kind(c.text, pats) for c in first):
            continue
        x0, top, x1, _ = region.bbox
        width = max(len(r) for r in region.rows)
        need = min(2, width - 1)  # a year over each value column (a running header's 「令和3年度」 is not one)
        above = [r for r in rows if r.bottom <= top + 1 and top - r.bottom <= s.text_row_gap * r.size
                 and sum(1 for c in r.cells if x0 - 1 <= c.cx <= x1 + 1 and year_of(c.text, pats)) >= need]
        if not above:
            continue
        head = _heading_stack(max(above, key=lambda r: r.bottom), rows, region, s)
        row: list[Cell | None] = []
        for cell in region.rows[0]:
            if cell is None:
                row.append(None)
                continue
            cx0, _, cx1, _ = cell.bbox
            hits = [c for r in head for c in r.cells if cx0 - 1 <= c.cx <= cx1 + 1]
            row.append(_cell(_joined(hits) if hits else None, region.page))
        region.rows.insert(0, row)
        region.bbox = (x0, min(top, head[0].top), x1, region.bbox[3])
        used.update(id(ln) for r in head for ln in r.lines if ln.x0 >= x0 - 1 and ln.x1 <= x1 + 1)
    return used


def _heading_stack(head: _Row, rows: list[_Row], region: TableRegion, s: ExtractSettings) -> list[_Row]:
    """The heading row and the rows just above and below it (down to the rules) that hold the
    other lines of its wrapped headings (「R2年」「度」 over 「(2020)」, 「単」 over 「位」, 「2020」
    over 「年度」): each of their cells within one column of the grid. Top to bottom."""
    x0, top, x1, _ = region.bbox
    cols = [c.bbox for c in region.rows[0] if c is not None]
    stack = [head]

    def wrapped(r: _Row, gap: float) -> bool | None:
        """None: nothing of r over the grid; else whether r holds wrapped heading lines."""
        cells = [c for c in r.cells if c.x1 > x0 and c.x0 < x1]
        if not cells:
            return None
        return gap <= s.text_wrap_gap * r.size and all(
            sum(1 for left, _, right, _ in cols if c.x1 > left + 1 and c.x0 < right - 1) == 1 for c in cells)

    for r in sorted((r for r in rows if middle(r.top, r.bottom) > head.bottom and r.bottom <= top + 1), key=lambda r: r.top):
        ok = wrapped(r, r.top - stack[-1].bottom)
        if ok is False:
            break
        if ok:
            stack.append(r)
    for r in sorted((r for r in rows if middle(r.top, r.bottom) < head.top), key=lambda r: -r.bottom):
        ok = wrapped(r, stack[0].top - r.bottom)
        if ok is False:
            break
        if ok:
            stack.insert(0, r)
    return stack
