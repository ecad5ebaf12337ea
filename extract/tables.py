"""Table layer: join tables continued across pages, read cells, classify, parse KPI tables."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .era import to_western
from .geometry import Cell, TableRegion
from .model import Indicator, IndicatorValue, Provenance, Table
from .normalize import normalize_text, strip_bullet
from .paragraphs import cell_paragraphs, opening_width, starts_item
from .patterns import HANGING_PUNCT, Patterns
from .settings import ExtractSettings


@dataclass
class Grid:
    """A logical table (possibly spanning pages): cells as paragraph lists, merged cells filled."""

    rows: list[list[list[str]]]
    regions: list[TableRegion]
    cells: list[list[Cell | None]] = field(default_factory=list)

    @property
    def page(self) -> int:
        return self.regions[0].page

    @property
    def bbox(self) -> list[float]:
        return [round(v, 1) for v in self.regions[0].bbox]

    def text_rows(self) -> list[list[str]]:
        return [["\n".join(c) for c in r] for r in self.rows]

    def quality(self) -> float:
        """Share of non-empty cells times column consistency (1.0 = every row as wide as the widest)."""
        if not self.rows:
            return 0.0
        width = max(len(r) for r in self.rows)
        filled = sum(1 for r in self.rows for c in r if c) / max(1, sum(len(r) for r in self.rows))
        consistent = sum(1 for r in self.rows if len(r) == width) / len(self.rows)
        return round(filled * consistent, 3)


def _same_columns(a: TableRegion, b: TableRegion, s: ExtractSettings) -> bool:
    ea = [x - a.bbox[0] for x in a.col_edges()]  # relative: a table may go on in another panel
    eb = [x - b.bbox[0] for x in b.col_edges()]
    return len(ea) == len(eb) and all(abs(x - y) <= s.continuation_x_tol for x, y in zip(ea, eb))


def _row_text(row: list[Cell | None]) -> list[str]:
    """A row's cell texts for telling a header repeated on the next page, spaces aside (a scan
    read by OCR may space 「R2 (2020)」 on one page and 「R2(2020)」 on the next)."""
    return ["".join(normalize_text(c.text).split()) if c else "" for c in row]


def to_grid(regions: list[TableRegion], s: ExtractSettings, pats: Patterns) -> Grid:
    rows: list[list[Cell | None]] = []
    for n, reg in enumerate(regions):
        body = reg.rows
        k = 0
        while n and k < len(body) and k < len(rows) and _row_text(body[k]) == _row_text(rows[k]):
            k += 1  # header rows repeated on the new page
        body = body[k:]
        # a header row printed again on the new page was printed whole: it is no cut row (a
        # grid whose header alone stood at the foot of the page before)
        if n and len(rows) > k and body and _is_split_row(rows[-1], body[0], s, pats):
            rows[-1] = _merge_rows(rows[-1], body[0])
            body = body[1:]
        rows.extend(body)
    grid_rows: list[list[list[str]]] = []
    for r in rows:
        grid_rows.append([cell_paragraphs(c.lines, s) if c else [] for c in r])
    _fill_merged(rows, grid_rows)
    return Grid(rows=grid_rows, regions=regions, cells=rows)


def _is_split_row(last: list[Cell | None], row: list[Cell | None], s: ExtractSettings, pats: Patterns) -> bool:
    """The first row on a new page continues the last row of the previous page when its cells'
    text runs on from the cells above (`_runs_on`) and none of them opens anew, or when its
    first cell is empty and none opens anew. A row whose first cell is a section label, or a
    short key of its own (「16条」, 「目標」), is a row of its own."""
    if not row:
        return False
    key_above, key_below = (last[0].text if last and last[0] else ""), (row[0].text if row[0] else "")
    if key_below and pats.heading(normalize_text(key_below)):
        return False
    if key_below and len(key_below) <= s.row_key_chars and (not key_above or len(key_above) <= s.row_key_chars):
        return False
    verdicts = [_runs_on(above, below, s) for above, below in zip(last, row)
                if above is not None and above.lines and below is not None and below.lines]
    if False in verdicts:
        return False
    keyless = (row[0] is None or not row[0].lines) and bool(key_above)
    return True in verdicts or (keyless and any(c and c.lines for c in row[1:]))


def _runs_on(above: Cell, below: Cell, s: ExtractSettings) -> bool | None:
    """Whether `below` goes on with the text of `above` (True), opens anew (False) or cannot be
    told (None). It goes on where the cell above ended on a line as wide as the column's text
    (the widest line of either piece) but for what `below` opens with (the wrap could not have
    left that there) and `below` opens no item; it opens anew where that line ended shorter (in
    a narrow name column one character short is a name that ended). A `below` opening an item
    (a break between two items looks the same), two one-line pieces (no edge to judge by) and a
    cell printed again (its first line repeated: a key over the break) tell nothing."""
    first, end = below.lines[0].text, above.lines[-1]
    if first == above.lines[0].text:
        return None
    if starts_item(first):
        return None  # (a break between two items of one cell looks the same)
    if len(above.lines) == 1 and len(below.lines) == 1:
        return None
    edge = _text_edge([*above.lines, *below.lines])
    return edge - end.x1 < opening_width(below.lines[0]) - s.cut_fit_tol * end.size



def _text_edge(lines: list) -> float:
    """The right edge of a column's text: its widest line, but for a line whose closing
    punctuation hangs past the edge (Typst's overhang), when another line marks it."""
    flush = [ln.x1 for ln in lines if not ln.text.rstrip().endswith(HANGING_PUNCT)]
    return max(flush or [ln.x1 for ln in lines])


def _merge_rows(a: list[Cell | None], b: list[Cell | None]) -> list[Cell | None]:
    merged: list[Cell | None] = []
    for ca, cb in zip(a, b):
        if ca is None:
            merged.append(cb)
        elif cb is None:
            merged.append(ca)
        else:
            merged.append(ca.then(cb))
    return merged


def _fill_merged(cells: list[list[Cell | None]], grid: list[list[list[str]]]) -> None:
    """A vertically merged cell (pdfplumber gives None below it) repeats its value down."""
    for j in range(max((len(r) for r in grid), default=0)):
        above: list[str] = []
        for i, r in enumerate(cells):
            if j >= len(r):
                continue
            if r[j] is None and i:
                grid[i][j] = above
            else:
                above = grid[i][j]


# ---------------------------------------------------------------- classify

HEADER_ROWS = 3  # a title row and a note row may stand above the header


def classify(grid: Grid, pats: Patterns) -> str:
    """kpi | article_opinions | project_list | overview | other — by a header row whose cells
    name the columns (a row of labels down the first column is a project's header block)."""
    if _kpi_layout(grid, pats):
        return "kpi"
    t = pats.tables
    for r in grid.rows[:HEADER_ROWS]:
        cells = [" ".join(c) for c in r if c]
        if len(cells) <= 1:
            continue

        def has(words: list[str], cells=cells) -> int | None:
            return next((k for k, c in enumerate(cells) if any(w in c for w in words)), None)

        art = has(t["article_column"])
        if art is not None and has(t["article_opinions"]) not in (None, art):
            return "article_opinions"
        if overview_header(r, pats):
            return "overview"  # (with a name column it lists several その他の事業)
        if art is not None and has(t["project_list"]) not in (None, art):
            return "project_list"
    return "other"


def overview_header(row: list[list[str]], pats: Patterns) -> bool:
    """A header row with a 概要 column and another 実績 column (an その他の事業 table)."""
    cells = [" ".join(c) for c in row if c]
    t = pats.tables

    def col(words: list[str]) -> int | None:
        return next((k for k, c in enumerate(cells) if any(w in c for w in words)), None)

    ov = col(t["overview"])
    return ov is not None and col(t["overview_results"]) not in (None, ov)


def year_of(text: str, pats: Patterns) -> int | None:
    """The western fiscal year a KPI column heading names (「R2 (2020) 年度」 → 2020), or None."""
    m = pats.kpi_year.search(normalize_text(text))
    if not m:
        return None
    if m.group("western"):
        return int(m.group("western"))
    if m.group("plain"):
        return int(m.group("plain"))
    era = {"R": "令和", "H": "平成"}.get(m.group("era"), m.group("era"))
    y = m.group("eyear")
    return to_western(era, 1 if y == "元" else int(y))


def _kpi_layout(grid: Grid, pats: Patterns) -> tuple[str, int] | None:
    """('rows', header_row) when years run across and 目標/実績 down; ('cols', …) when transposed."""
    for i, r in enumerate(grid.rows[:3]):
        texts = ["\n".join(c) for c in r]
        years = [year_of(t, pats) for t in texts[1:]]
        labels = [normalize_text("\n".join(rr[0])) if rr else "" for rr in grid.rows[i + 1:]]
        if years and any(years) and labels and all(
            pats.kpi_target.search(lb) or pats.kpi_actual.search(lb) for lb in labels if lb
        ) and any(labels):
            return ("rows", i)
        if texts and any(pats.kpi_target.search(normalize_text(t)) or pats.kpi_actual.search(normalize_text(t)) for t in texts[1:]):
            col_years = [year_of("\n".join(rr[0]), pats) if rr else None for rr in grid.rows[i + 1:]]
            if col_years and all(col_years):
                return ("cols", i)
    m = _kpi_matrix(grid, pats)
    return ("matrix", m[1]) if m else None


def _kpi_matrix(grid: Grid, pats: Patterns) -> tuple[int, int] | None:
    """(year row, 目標/実績 row) of a table with one indicator per row under a two-level
    header — fiscal years, each over a 目標 and a 実績 column (evaluation sheets)."""
    for i in range(min(HEADER_ROWS, len(grid.rows) - 2)):
        years = [year_of("\n".join(c), pats) for c in grid.rows[i]]
        kinds = [kpi_row_kind("\n".join(c), pats) for c in grid.rows[i + 1]]
        if any(years) and sum(1 for k in kinds if k) > 1:
            return i, i + 1
    return None


def kpi_row_kind(text: str, pats: Patterns) -> str | None:
    """"target" for a 目標 label, "actual" for 実績, else None."""
    t = normalize_text(text)
    if pats.kpi_target.search(t):
        return "target"
    if pats.kpi_actual.search(t):
        return "actual"
    return None


def parse_number(text: str, pats: Patterns) -> float | int | None:
    t = normalize_text(text).replace(",", "").replace("，", "")
    if t in pats.null_values:
        return None
    t = pats.kpi_value_remark.sub("", t)  # 「12（新規8件・変更4件）」: the number; *_text keeps all
    m = re.fullmatch(r"([-−]?[0-9]+(?:\.[0-9]+)?)\s*(?:[%％件回人社者団体校か所ヵ所箇所]*)", t)
    if not m:
        return None
    v = float(m.group(1).replace("−", "-"))
    return int(v) if v.is_integer() and "." not in m.group(1) else v


def parse_kpis(grid: Grid, name: str, pats: Patterns, reference: bool = False) -> list[Indicator]:
    """A KPI table → its indicators: one (named `name`) for a table of one indicator, one per
    row for an evaluation sheet's indicator matrix."""
    orient, h = _kpi_layout(grid, pats)  # type: ignore[misc]
    if orient == "matrix":
        return _parse_matrix(grid, h, pats, reference)
    return [parse_kpi(grid, name, pats, reference)]


def _parse_matrix(grid: Grid, kind_row: int, pats: Patterns, reference: bool) -> list[Indicator]:
    year_row = kind_row - 1
    heads = ["\n".join(c) for c in grid.rows[year_row]]
    years: list[int | None] = []
    for j, cell in enumerate(grid.cells[year_row]):  # a year heads its merged columns
        y = year_of(heads[j], pats) if cell is not None else None
        years.append(y if cell is not None else (years[-1] if years else None))
    kinds = [kpi_row_kind("\n".join(c), pats) for c in grid.rows[kind_row]]
    unit_cols = [j for j, t in enumerate(heads) if pats.kpi_unit_header.match(normalize_text(t))]
    value_cols = [j for j in range(len(kinds)) if kinds[j] and j < len(years) and years[j]]
    body = grid.rows[kind_row + 1:]
    name_col = next((j for j in range(len(heads)) if j not in unit_cols and j not in value_cols
                     and any(j < len(r) and r[j] for r in body)), 0)
    out: list[Indicator] = []
    for i in range(kind_row + 1, len(grid.rows)):
        row, cells = grid.rows[i], grid.cells[i]
        name = normalize_text(strip_bullet(" ".join(row[name_col]))) if name_col < len(row) else ""
        if not name or grid.cells[i][name_col] is None:
            continue
        entries: dict[int, IndicatorValue] = {}
        for j in value_cols:
            if j >= len(row):
                continue
            text = normalize_text(" ".join(row[j]))
            cell = cells[j]
            v = entries.setdefault(years[j], IndicatorValue(fiscal_year=years[j]))  # type: ignore[arg-type]
            if kinds[j] == "target":
                v.target, v.target_text = parse_number(text, pats), text
            else:
                v.actual, v.actual_text = parse_number(text, pats), text
            if v.provenance is None and cell is not None:
                v.provenance = Provenance(page=cell.lines[0].page if cell.lines else grid.page,
                                          bbox=[round(x, 1) for x in cell.bbox], raw=cell.text)
        unit = normalize_text(" ".join(row[unit_cols[0]])) if unit_cols and unit_cols[0] < len(row) else None
        out.append(Indicator(name=pats.kpi_name_note.sub("", name), unit=unit or None,
                             values=[entries[y] for y in sorted(entries)], reference=reference,
                             provenance=Provenance(page=grid.page, bbox=grid.bbox, raw=None)))
    return out


def parse_kpi(grid: Grid, name: str, pats: Patterns, reference: bool = False) -> Indicator:
    """A KPI table of one indicator → Indicator with one value per fiscal year (target/actual
    kept as text too)."""
    orient, h = _kpi_layout(grid, pats)  # type: ignore[misc]
    entries: dict[int, IndicatorValue] = {}
    unit: str | None = None

    def put(year: int, label: str, text: str, cell: Cell | None) -> None:
        nonlocal unit
        mu = pats.kpi_unit.search(label)
        if mu and unit is None:
            unit = mu.group("unit").strip()
        v = entries.setdefault(year, IndicatorValue(fiscal_year=year))
        text = normalize_text(text)
        prov = Provenance(page=cell.lines[0].page if cell and cell.lines else grid.page,
                          bbox=[round(x, 1) for x in cell.bbox] if cell else None,
                          raw=cell.text if cell else None)
        if pats.kpi_target.search(label):
            v.target, v.target_text = parse_number(text, pats), text
        elif pats.kpi_actual.search(label):
            v.actual, v.actual_text = parse_number(text, pats), text
        v.provenance = v.provenance or prov

    header = ["\n".join(c) for c in grid.rows[h]]
    unit_cols = {j for j, t in enumerate(header) if pats.kpi_unit_header.match(normalize_text(t))}
    for i, r in enumerate(grid.rows[h + 1:], start=h + 1):
        label = normalize_text("\n".join(r[0])) if r else ""
        for j, cell_text in enumerate(r[1:], start=1):
            text = "\n".join(cell_text)
            if j in unit_cols:
                unit = unit or normalize_text(text) or None
                continue
            cell = grid.cells[i][j] if j < len(grid.cells[i]) else None
            if orient == "rows":
                year = year_of(header[j], pats) if j < len(header) else None
                if year:
                    put(year, label, text, cell)
            else:
                year = year_of(label, pats)
                if year and j < len(header):
                    put(year, normalize_text(header[j]), text, cell)
    if not name and h > 0:  # the table's own title row: a name label's cell beside it, or all of it
        name = next((n for r in grid.rows[:h] if (n := pats.kpi_name_of(["\n".join(c) for c in r]))), None) \
            or normalize_text(strip_bullet(" ".join(t for c in grid.rows[0] for t in c)))
    return Indicator(
        name=pats.kpi_name_note.sub("", name),
        unit=unit,
        values=[entries[y] for y in sorted(entries)],
        reference=reference,
        provenance=Provenance(page=grid.page, bbox=grid.bbox, raw=None),
    )


def to_table(grid: Grid, title: str | None, kind: str) -> Table:
    rows = grid.text_rows()
    return Table(
        title=title,
        header=rows[0] if rows else [],
        rows=rows[1:],
        kind=kind,
        quality=grid.quality(),
        provenance=Provenance(page=grid.page, bbox=grid.bbox, raw=None),
    )

