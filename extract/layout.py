"""Layout layer: PDF pages → lines and tables in reading order.

Works from pdfplumber's chars and ruling edges, not from any one file's
coordinates: lines are clustered from chars, a page is split into two panels
when an empty vertical gutter separates its text, running headers/footers are
found by repetition across pages, and printed page numbers are read from the
margins.
"""
from __future__ import annotations

import gc
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pdfplumber

from .geometry import BBox, Cell, CharIndex, Line, PageLayout, TableRegion, middle
from .normalize import ITEM_OPENERS, normalize_chars
from .ocr import needs_ocr, ocr_page
from .settings import ExtractSettings
from .texttables import attach_headers, text_kpi_tables

if TYPE_CHECKING:
    from .patterns import Patterns

_HEAVY_FONT = re.compile(r"Bold|Gothic|Goth|KakuGo|Kaku|Heavy|Black|Demi|Semi|W[5-9]|ゴシック", re.I)
PAGE_NUMBER = re.compile(r"^[-－―‐—–−\s]*(?:P\.?|p\.?|ページ)?\s*([0-9０-９]{1,4})\s*(?:/\s*[0-9]+)?[-－―‐—–−\s]*$")


# ---------------------------------------------------------------- lines


@lru_cache(maxsize=None)
def _is_heavy(fontname: str) -> bool:
    return bool(_HEAVY_FONT.search(fontname or ""))


def chars_to_lines(chars: list[dict], page_no: int, s: ExtractSettings) -> list[Line]:
    """Cluster chars into rows by vertical overlap, then split rows into segments at wide gaps
    and between items printed side by side."""
    chars = [c for c in chars if c.get("upright", True) and c["text"]]
    if not any(c["text"].strip() for c in chars):
        return []
    lines: list[Line] = []
    for row in (r for row in _cluster_rows(chars, s) for r in _unstack(row, s)):
        sizes = [c.get("size", 10) for c in row]
        seg: list[dict] = [row[0]]
        for k in range(1, len(row)):
            prev, c = row[k - 1], row[k]
            size, small = (sizes[k], sizes[k - 1]) if sizes[k] >= sizes[k - 1] else (sizes[k - 1], sizes[k])
            gap = c["x0"] - prev["x1"]
            # a wide gap, a gap where the type size changes (a title beside the other panel), or
            # a gap between two items (「○A  ○B」 naming two tables side by side; a label before
            # its first item, 「主な成果・活動指標 ○A」, stays one line)
            if gap > s.segment_gap * size or (size >= s.segment_size_ratio * small and gap > s.segment_gap * small) \
                    or (gap > s.item_gap * size and c["text"] in ITEM_OPENERS and seg[0]["text"] in ITEM_OPENERS):
                lines.append(_make_line(seg, page_no, s))
                seg = []
            seg.append(c)
        lines.append(_make_line(seg, page_no, s))
    return [ln for ln in lines if ln is not None]


def _unstack(row: list[dict], s: ExtractSettings) -> list[list[dict]]:
    """A row (its chars in x order) that holds two lines one above the other: a tall title in
    one panel overlaps both lines of the other panel, and rows are judged by their last chars.
    Each stretch of the row (split at wide gaps) is clustered again on its own."""
    row.sort(key=lambda c: c["x0"])
    if not any(c["x0"] < prev["x1"] - 1 and min(prev["bottom"], c["bottom"]) - max(prev["top"], c["top"])
               < s.line_overlap * (c["bottom"] - c["top"]) for prev, c in zip(row, row[1:])):
        return [row]
    stretches: list[list[dict]] = [[row[0]]]
    reach = row[0]["x1"]
    for c in row[1:]:
        if c["x0"] - reach > s.segment_gap * c.get("size", s.fallback_char_size_pt):
            stretches.append([])
        stretches[-1].append(c)
        reach = max(reach, c["x1"])
    return [sorted(r, key=lambda c: c["x0"]) for part in stretches for r in _cluster_rows(part, s)]


def _cluster_rows(chars: list[dict], s: ExtractSettings) -> list[list[dict]]:
    """Chars (sorted here by height, then x) in rows by vertical overlap."""
    chars.sort(key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"]))
    rows: list[list[dict]] = []
    tops: list[float] = []  # the current row's tops and bottoms; it is judged by its last 8 chars
    bottoms: list[float] = []
    for c in chars:
        top, bottom = c["top"], c["bottom"]
        if rows and _in_row(tops, bottoms, top, bottom, s):
            rows[-1].append(c)
            tops.append(top)
            bottoms.append(bottom)
        else:
            rows.append([c])
            tops, bottoms = [top], [bottom]
    return rows


def _in_row(tops: list[float], bottoms: list[float], top: float, bottom: float, s: ExtractSettings) -> bool:
    """A char of this extent belongs to the row whose chars' extents are `tops`/`bottoms`:
    it overlaps the row's last 8 chars enough."""
    if top == tops[-1] and bottom == bottoms[-1] and bottom > top:
        return True  # the common case: the same extent as the char before
    rtop, rbot = min(tops[-8:]), max(bottoms[-8:])
    overlap = min(rbot, bottom) - max(rtop, top)
    smaller = min(rbot - rtop, bottom - top) or 1.0
    return overlap / smaller >= s.line_overlap


def _make_line(chars: list[dict], page_no: int, s: ExtractSettings) -> Line | None:
    """A line from its chars (in x order); printed spaces are kept, wide gaps become spaces."""
    lo, hi = 0, len(chars)
    while lo < hi and not chars[lo]["text"].strip():
        lo += 1
    while hi > lo and not chars[hi - 1]["text"].strip():
        hi -= 1
    if lo == hi:
        return None
    chars = chars[lo:hi]
    parts: list[str] = [chars[0]["text"]]
    for prev, c in zip(chars, chars[1:]):
        if c["x0"] - prev["x1"] > s.space_gap * c.get("size", s.fallback_char_size_pt):
            parts.append(" ")
        parts.append(c["text"])
    size = Counter(round(c.get("size", s.fallback_char_size_pt), 1) for c in chars).most_common(1)[0][0]
    heavy = sum(_is_heavy(c.get("fontname", "")) for c in chars) > len(chars) * s.heavy_line_share
    return Line(
        text="".join(parts),
        x0=chars[0]["x0"],
        top=min(c["top"] for c in chars),
        x1=max(c["x1"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
        size=size,
        heavy=heavy,
        page=page_no,
    )


# ---------------------------------------------------------------- tables


def _inside(c: dict, bbox: BBox, pad: float = 0.0) -> bool:
    cx = (c["x0"] + c["x1"]) / 2
    cy = (c["top"] + c["bottom"]) / 2
    x0, top, x1, bottom = bbox
    return x0 - pad <= cx <= x1 + pad and top - pad <= cy <= bottom + pad


@dataclass
class _Grid:
    """A table the finder returned, its box and rows worked out once (pdfplumber's `Table`
    computes both again on every access)."""

    bbox: BBox
    rows: list[tuple[BBox, list[BBox | None]]]  # (row box, cell boxes; None under a merged cell)

    @classmethod
    def of(cls, table) -> "_Grid":
        return cls(bbox=table.bbox, rows=[(r.bbox, r.cells) for r in table.rows])

    @property
    def cells(self) -> list[BBox]:
        return [c for _, cells in self.rows for c in cells if c is not None]


def find_table_regions(page, page_no: int, s: ExtractSettings, pats: "Patterns | None" = None,
                       index: CharIndex | None = None) -> list[TableRegion]:
    """Ruled tables (lattice) plus tables drawn with horizontal rules only (`index`: the
    page's chars, when the caller has them indexed already)."""
    if len(page.edges) < s.min_table_edges:
        return []
    index = index or CharIndex(page.chars)
    found = []
    for t in (part for table in page.find_tables(_rule_settings(page, s)) for part in _split_joined(_Grid.of(table), index, s)):
        if not _is_grid(t, s):
            continue
        inner = _inner_tables(page, t, s) if _is_container(t, index, s) else []
        found.extend(inner or [t])
    bboxes = [t.bbox for t in found]
    # a band of rules around ruled tables is a panel's frame, not a table of its own
    regions = [r for r in _rule_tables(page, page_no, bboxes, index, s, pats)
               if not any(_encloses(r.bbox, b, s.enclose_pad_pt) for b in bboxes)]
    top = [t for t in found if not any(o is not t and _encloses(o.bbox, t.bbox, s.nested_table_pad_pt) for o in found)]
    for t in top:
        region = _region(index, page_no, t, [u for u in found if u is not t], s, pats)
        if region:
            regions.append(region)
    regions.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return _drop_nested(regions, s)


def _rule_edges(page, s: ExtractSettings) -> list[dict]:
    """The page's ruling edges. A rule drawn as a thin rectangle is the one edge along its
    middle (`_centre_line`). A filled, unstroked rectangle larger than a rule is a background
    (spreadsheets paint one per row or per block): its sides are not cell borders."""
    edges = []
    for r in page.rects:
        if min(r["width"], r["height"]) <= s.rule_max_thickness:
            if max(r["width"], r["height"]) > s.rule_max_thickness:
                edges.append(_centre_line(r))
        elif r.get("stroke") or not r.get("fill"):
            edges += pdfplumber.utils.rect_to_edges(r)
    edges += [pdfplumber.utils.line_to_edge(ln) for ln in page.lines]
    edges += [e for c in page.curves for e in pdfplumber.utils.curve_to_edges(c)]
    return _without_underlines(edges, s)


def _without_underlines(edges: list[dict], s: ExtractSettings) -> list[dict]:
    """Without the horizontal rules that longer rules a snap apart cover end to end: a label's
    underline printed just above a table. Snapped onto the table's top rule, it would move
    that rule off the table's columns, and the header row would be lost."""
    tol = s.table_settings.get("snap_tolerance", 3)
    flat = [e for e in edges if e["orientation"] == "h"]

    def covered(e: dict) -> bool:
        spans = sorted((f["x0"], f["x1"]) for f in flat if f is not e and 0 < abs(f["top"] - e["top"]) <= tol
                       and _edge_length(f) > _edge_length(e) + tol and f["x1"] > e["x0"] and f["x0"] < e["x1"])
        reach = e["x0"] + tol
        for a, b in spans:
            if a > reach:
                break
            reach = max(reach, b)
        return bool(spans) and reach >= e["x1"] - tol

    return [e for e in edges if e["orientation"] != "h" or not covered(e)]


def _centre_line(r: dict) -> dict:
    """A rule drawn as a thin rectangle, as the one edge along its middle. Its short ends as
    edges would snap column rules near them together (the end of a heading's underline
    beside a nested grid's border pulls that border onto the layout table's separator); its
    two long sides would chain a rule a snap away into their cluster (a table's bottom rule
    and the top rule of a table printed just under it snapped into one)."""
    if r["height"] <= r["width"]:
        y = (r["top"] + r["bottom"]) / 2
        return {**r, "object_type": "rect_edge", "orientation": "h", "top": y, "bottom": y, "height": 0.0,
                "y0": r["y0"] + r["height"] / 2, "y1": r["y0"] + r["height"] / 2}
    x = (r["x0"] + r["x1"]) / 2
    return {**r, "object_type": "rect_edge", "orientation": "v", "x0": x, "x1": x, "width": 0.0}


def _edge_length(e: dict) -> float:
    return e["bottom"] - e["top"] if e["orientation"] == "v" else e["x1"] - e["x0"]


def _rule_settings(page, s: ExtractSettings) -> dict:
    """Table-finder settings over the page's real rules (`_rule_edges`) plus the rules that
    close a table cut by a page break."""
    edges = _rule_edges(page, s)
    edges += [pdfplumber.utils.line_to_edge(r) for r in _closing_rules(page, edges, s)]
    return _explicit_settings(edges, s) or dict(s.table_settings)


def _explicit_settings(edges: list[dict], s: ExtractSettings) -> dict | None:
    """Table-finder settings that take exactly these rules, or None when one direction has
    fewer than two (such rules bound no cell; pdfplumber refuses them)."""
    v = [e for e in edges if e["orientation"] == "v"]
    h = [e for e in edges if e["orientation"] == "h"]
    if len(v) <= 1 or len(h) <= 1:
        return None
    return dict(s.table_settings, vertical_strategy="explicit", horizontal_strategy="explicit",
                explicit_vertical_lines=v, explicit_horizontal_lines=h)


def _text_tables(lines: list[Line], tables: list, chars: list[dict], page_no: int, pats: "Patterns",
                 s: ExtractSettings) -> tuple[list[Line], list]:
    """KPI headings printed above a ruled grid join it; KPI grids printed without rules are
    found from the lines' words. Returns the lines left and the tables."""
    if not any(pats.kpi_year.search(ln.text) for ln in lines):
        return lines, tables  # no fiscal-year heading: no KPI grid to find (the common case)
    index = CharIndex(chars)
    used = attach_headers(tables, lines, index, pats, s)
    lines = [ln for ln in lines if id(ln) not in used]
    found, used = text_kpi_tables(lines, index, page_no, pats, s)
    return [ln for ln in lines if id(ln) not in used], tables + found


def _closing_rules(page, edges: list[dict], s: ExtractSettings) -> list[dict]:
    """Rules that close a table cut open by a page break. Between two column rules that stop
    (or start) at one height, where horizontal rules cover little of that span but do cover
    it at the rules' other end (a cell with a top and no bottom), a rule is drawn across. A
    merged cell beside such a cell is closed too: its column rules, drawn a row at a time,
    run unbroken from the cut to the nearest rule across them."""
    tol = s.table_settings.get("snap_tolerance", 3)
    verticals = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] >= s.open_rule_min]
    horizontals = [e for e in edges if e["orientation"] == "h"]

    def cover(y: float, x0: float, x1: float) -> float:
        """The share of x0..x1 that rules at height y cover in one run from the column rule at
        x0 (a nested grid's border inside the cell, touching neither, does not close it)."""
        spans = sorted((max(h["x0"], x0), min(h["x1"], x1)) for h in horizontals
                       if abs(h["top"] - y) <= tol and h["x1"] > x0 and h["x0"] < x1)
        reach = x0
        for a, b in spans:
            if a > reach + tol:
                break
            reach = max(reach, b)
        return (reach - x0) / max(x1 - x0, 1e-6)

    def reach(x: float, y: float, up: bool) -> float:
        """How far the column rule at `x` runs unbroken from `y`, up or down."""
        for top, bottom in sorted(((e["top"], e["bottom"]) for e in verticals if abs(e["x0"] - x) <= tol),
                                  reverse=up):
            if up and top < y - tol <= bottom + tol:
                y = min(y, top)
            elif not up and top - tol <= y + tol < bottom:
                y = max(y, bottom)
        return y

    def merged(y: float, x0: float, x1: float, up: bool) -> bool:
        """Both column rules stop at `y` and run from it to the nearest rule across them."""
        if any(abs(reach(x, y, not up) - y) > tol for x in (x0, x1)):
            return False
        far = reach(x0, y, up), reach(x1, y, up)
        for other in sorted({h["top"] for h in horizontals if (h["top"] < y - tol if up else h["top"] > y + tol)},
                            reverse=up):
            if cover(other, x0, x1) >= s.open_rule_cover:
                return all(f <= other + tol if up else f >= other - tol for f in far)
        return False

    rules = []
    for (end, y), xs in _rule_ends(verticals, tol).items():
        cols = sorted(xs)
        spans = [(x0, x1) for x0, x1 in zip(cols, cols[1:])
                 if x1 - x0 > tol and cover(y, x0, x1) < s.open_rule_cover]
        cut = {(x0, x1) for x0, x1 in spans
               if abs(xs[x0] - xs[x1]) <= tol and cover(xs[x0], x0, x1) >= s.open_rule_cover}
        rest = [sp for sp in spans if sp not in cut and merged(y, *sp, up=end == "bottom")]
        # a cell whose own rule closes it where the column rules stop (the table's foot, where
        # the break cut the merged cell beside it) closes its merged neighbours too
        closed = {(x0, x1) for x0, x1 in zip(cols, cols[1:]) if x1 - x0 > tol and (x0, x1) not in spans}
        _close_beside(cut, rest, closed, tol)
        rules += [{"object_type": "line", "x0": x0, "x1": x1, "top": float(y), "bottom": float(y),
                   "width": x1 - x0, "height": 0.0} for x0, x1 in sorted(cut)]
    return rules


def _rule_ends(verticals: list[dict], tol: float) -> dict[tuple[str, int], dict[float, float]]:
    """Where column rules stop, by end and height: each one's x and the height of its other end
    (a rule going on in another segment past its end does not stop there)."""
    ends: dict[tuple[str, int], dict[float, float]] = {}
    for e in verticals:
        if not _runs_on(e, "bottom", verticals, tol):
            ends.setdefault(("bottom", round(e["bottom"])), {})[round(e["x0"], 1)] = e["top"]
        if not _runs_on(e, "top", verticals, tol):
            ends.setdefault(("top", round(e["top"])), {})[round(e["x0"], 1)] = e["bottom"]
    return ends


def _close_beside(cut: set[tuple[float, float]], rest: list[tuple[float, float]],
                  closed: set[tuple[float, float]], tol: float) -> None:
    """Adds to `cut` the merged cells of `rest` next to a cut cell, to one closed before them,
    or to a `closed` cell (its own rule at the height the column rules stop): they are cut by
    the same break."""
    closed = cut | closed
    while closed and rest:
        edges_at = {x for sp in closed for x in sp}
        beside = [sp for sp in rest if any(abs(x - e) <= tol for x in sp for e in edges_at)]
        if not beside:
            break
        cut.update(beside)
        closed.update(beside)
        rest = [sp for sp in rest if sp not in beside]


def _runs_on(e: dict, end: str, verticals: list[dict], tol: float) -> bool:
    """The column rule `e` goes on past its `end` in another segment (a renderer that draws
    each row's borders apart): it does not stop there, so no table is cut there."""
    y = e[end]
    other = "top" if end == "bottom" else "bottom"
    return any(v is not e and abs(v["x0"] - e["x0"]) <= tol and abs(v[other] - y) <= tol for v in verticals)


def _region(index: CharIndex, page_no: int, t: _Grid, others: list[_Grid], s: ExtractSettings, pats: "Patterns | None" = None) -> TableRegion | None:
    """A pdfplumber table → TableRegion; tables printed inside one of its cells (HTML and Word
    nest them) become that cell's `tables`, their text kept out of the cell's lines."""
    nested = [u for u in others if _encloses(t.bbox, u.bbox, s.nested_table_pad_pt)]
    direct = [u for u in nested if not any(o is not u and _encloses(o.bbox, u.bbox, s.nested_table_pad_pt) for o in nested)]
    rows: list[list[Cell | None]] = []
    for row_box, boxes in t.rows:
        in_row = index.within(row_box)
        cells: list[Cell | None] = []
        for cb in boxes:
            if cb is None:
                cells.append(None)
                continue
            inside = [u for u in direct if _encloses(cb, u.bbox, 1.0)]
            chars = [c for c in in_row if _inside(c, cb) and not any(_inside(c, u.bbox) for u in inside)]
            lines = chars_to_lines(chars, page_no, s)
            for ln in lines:
                ln.col_left, ln.col_right, ln.column = cb[0], cb[2], "cell"
            tables = [reg for u in inside if (reg := _region(index, page_no, u, [o for o in nested if o is not u], s, pats))]
            if pats is not None and lines:
                lines, tables = _text_tables(lines, tables, chars, page_no, pats, s)
            cells.append(Cell(bbox=cb, lines=lines, tables=tables))
        rows.append(cells)
    if rows and any(c for r in rows for c in r):
        return TableRegion(page=page_no, bbox=t.bbox, rows=rows)
    return None


def _rule_tables(page, page_no: int, taken: list[BBox], index: CharIndex, s: ExtractSettings,
                 pats: "Patterns | None" = None) -> list[TableRegion]:
    """Tables drawn with horizontal rules only. Rules of one extent stacked down the page
    bound row bands; a band holding a single wide text segment (a caption or an indicator
    name between two tables) separates tables; columns come from where the segments of the
    widest row start."""
    groups: dict[tuple[int, int], list[float]] = {}
    pad = s.taken_rule_pad_pt
    for e in page.lines:
        if abs(e["top"] - e["bottom"]) >= 1 or e["x1"] - e["x0"] < s.rule_min_length:
            continue
        if any(x0 - pad <= e["x0"] and e["x1"] <= x1 + pad and top - pad <= e["top"] <= bottom + pad
               for x0, top, x1, bottom in taken):
            continue
        groups.setdefault((round(e["x0"] / 4), round(e["x1"] / 4)), []).append(e["top"])
    out: list[TableRegion] = []
    for (gx0, gx1), tops in groups.items():
        tops = sorted(set(round(t, 1) for t in tops))
        x0, x1 = gx0 * 4 - 2, gx1 * 4 + 2
        bands = []
        for top, bottom in zip(tops, tops[1:]):
            chars = [c for c in index.within((x0, top, x1, bottom))
                     if top < middle(c["top"], c["bottom"]) < bottom]  # a char on a rule belongs to neither band
            bands.append((top, bottom, chars_to_lines(chars, page_no, s)))
        run: list = []
        for band in bands + [None]:
            segs = band[2] if band else []
            if band is None or not segs or _prose_band(segs, x0, x1, index, s):
                if len(run) >= max(s.band_min_rows, s.min_table_rows):
                    table = _bands_to_table(run, x0, x1, page_no, index, s, pats)
                    if table:
                        out.append(table)
                run = []
                continue
            run.append(band)
    return out


def _text_rows(segs: list[Line]) -> list[list[Line]]:
    """A band's text segments grouped by the row they stand on (overlapping heights)."""
    rows: list[list[Line]] = []
    for ln in sorted(segs, key=lambda ln: ln.top):
        if rows and ln.top < max(o.bottom for o in rows[-1]):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def _prose_band(segs: list[Line], x0: float, x1: float, index: CharIndex, s: ExtractSettings) -> bool:
    """A band of one wide text segment per row (a caption, an indicator name, a centred title,
    or paragraphs under a label's rule): it separates tables, it is none itself. A segment set
    in from the rules' left end and parted by a cell gap is cells set close (year heads over an
    empty label cell): a row."""
    rows = _text_rows(segs)
    return all(len(r) == 1 for r in rows) and any(
        r[0].x1 - r[0].x0 > s.band_wide_line_share * (x1 - x0)
        and (r[0].x0 - x0 <= s.band_prose_indent_em * r[0].size or len(_char_runs(r[0], index, s)) <= 1)
        for r in rows)


def _bands_to_table(bands: list, x0: float, x1: float, page_no: int, index: CharIndex,
                    s: ExtractSettings, pats: "Patterns | None" = None) -> TableRegion | None:
    cell_rows = [row for b in bands for row in _text_rows(b[2]) if len(row) > 1 and not _tagged_label(row, pats)]
    if len(cell_rows) < s.band_min_cell_rows:
        return None
    widest = max(cell_rows, key=len)  # columns: segments side by side
    starts = sorted(ln.x0 for ln in widest)
    if len(starts) < s.min_table_cols:
        return None
    bounds = [x0] + [(a + b) / 2 for a, b in zip([ln.x1 for ln in sorted(widest, key=lambda l: l.x0)], starts[1:])] + [x1]
    rows: list[list[Cell | None]] = []
    for top, bottom, segs in bands:
        cells = [Cell(bbox=(bounds[k], top, bounds[k + 1], bottom), lines=[]) for k in range(len(bounds) - 1)]
        for ln, k in (piece for seg in segs for piece in _split_at_bounds(seg, bounds, index, s)):
            if k is None:
                k = max(i for i in range(len(bounds) - 1) if bounds[i] <= ln.x0 + 1) if ln.x0 + 1 >= bounds[0] else 0
            ln.col_left, ln.col_right, ln.column = cells[k].bbox[0], cells[k].bbox[2], "cell"
            cells[k].lines.append(ln)
        rows.append(cells)
    return TableRegion(page=page_no, bbox=(x0, bands[0][0], x1, bands[-1][1]), rows=rows)


def _tagged_label(row: list[Line], pats: "Patterns | None") -> bool:
    """A row of a label and its PDCA tag set apart (「〈事業計画〉 … Plan」): one line, not cells."""
    row = sorted(row, key=lambda ln: ln.x0)
    return pats is not None and all(pats.is_tag_only(ln.text) for ln in row[1:])


def _split_at_bounds(ln: Line, bounds: list[float], index: CharIndex,
                     s: ExtractSettings) -> list[tuple[Line, int | None]]:
    """A band's segment over two or more columns, parted where its chars leave a gap (cells set
    close, 「R2(2020) R3(2021)」): a line per piece, each in the column it overlaps most, the
    next piece in a column right of the last (a head centred over a right-aligned figure may
    overlap the bound)."""
    inner = bounds[1:-1]
    if not any(ln.x0 < b < ln.x1 for b in inner):
        return [(ln, None)]
    groups = _char_runs(ln, index, s)
    if len(groups) <= 1 or len(groups) >= len(bounds):
        return [(ln, None)]
    pieces, last = [], -1
    for chars in groups:
        x0, x1 = chars[0]["x0"], chars[-1]["x1"]
        k = max(range(len(bounds) - 1), key=lambda i: min(x1, bounds[i + 1]) - max(x0, bounds[i]))
        last = min(max(k, last + 1), len(bounds) - 2)
        piece = _piece(chars, ln.page, s)
        if piece is not None:
            pieces.append((piece, last))
    return pieces


def _piece(chars: list[dict], page_no: int, s: ExtractSettings) -> Line | None:
    """A line made of part of another line's chars, its text normalised as the page's lines are."""
    piece = _make_line(chars, page_no, s)
    if piece is not None:
        piece.text = normalize_chars(piece.text)
    return piece


def _char_runs(ln: Line, index: CharIndex, s: ExtractSettings) -> list[list[dict]]:
    """A line's chars in runs parted by gaps of `band_cell_gap_em` or more (cells set close)."""
    runs: list[list[dict]] = []
    for c in _line_chars(ln, index):
        if runs and c["x0"] - runs[-1][-1]["x1"] < s.band_cell_gap_em * min(c["size"], runs[-1][-1]["size"]):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _is_container(t: _Grid, index: CharIndex, s: ExtractSettings) -> bool:
    """A layout table (Word's way of placing panels) whose cells hold nested tables: the
    nested rules cut its rows into many cells, most of them empty."""
    cells = t.cells
    if len(cells) < s.container_min_cells:
        return False
    chars = [c for c in index.within(t.bbox) if c["text"].strip()]
    if len(chars) < len(cells) * (1 - s.container_empty_share):
        return True  # too few chars to fill even the share of cells that would make it a table
    filled = 0
    for row_box, boxes in t.rows:
        in_row = [c for c in index.within(row_box) if c["text"].strip()]
        filled += sum(1 for cb in boxes if cb is not None and any(_inside(c, cb) for c in in_row))
    return filled <= (1 - s.container_empty_share) * len(cells)


def _inner_tables(page, t: _Grid, s: ExtractSettings) -> list[_Grid]:
    """Tables nested in a layout table: found again from the rules strictly inside it,
    without its own border and the separators that run across it."""
    x0, top, x1, bottom = t.bbox
    w, h = x1 - x0, bottom - top
    pad = s.container_pad
    inner_edges = [
        e for e in page.edges
        if e["x0"] >= x0 + pad and e["x1"] <= x1 - pad and e["top"] >= top + pad and e["bottom"] <= bottom - pad
        or (e["orientation"] == "h" and x0 - pad <= e["x0"] and e["x1"] <= x1 + pad and e["x1"] - e["x0"] < s.container_span * w
            and top + pad <= e["top"] <= bottom - pad)
        or (e["orientation"] == "v" and top - pad <= e["top"] and e["bottom"] <= bottom + pad and e["bottom"] - e["top"] < s.container_span * h
            and x0 + pad <= e["x0"] <= x1 - pad)
    ]
    settings = _explicit_settings(inner_edges, s) if len(inner_edges) >= s.min_table_edges else None
    if settings is None:
        return []
    crop = page.crop(t.bbox, strict=False)
    inner = map(_Grid.of, crop.find_tables(settings))
    return [it for it in inner if _is_grid(it, s) and it.bbox != t.bbox]


def _split_joined(t: _Grid, index: CharIndex, s: ExtractSettings) -> list[_Grid]:
    """Tables that only touch, found as one because they share a rule: a table cut by a page
    break whose rows go on right under the table printed first on the next page (a project's
    header printed again), side by side with another such piece perhaps. The table is split
    at a row rule no cell crosses where the cells above and below it span different widths
    and have hardly a column rule in common (`stacked_shared_rules`); a part under another
    is split again at spans of columns holding no text in any row (the gap between pieces
    side by side; a cell the shared rule closes over that gap is none of theirs)."""
    boxes = t.cells
    parts: list[list[tuple[BBox, list[BBox | None]]]] = [[]]
    for row in t.rows:
        if parts[-1] and _stacked_apart(boxes, row[0][1], s):
            parts.append([])
        parts[-1].append(row)
    if len(parts) == 1:
        return [t]
    return [_sub_grid(parts[0])] + [g for rows in parts[1:] for g in _split_beside(rows, index, s)]


def _stacked_apart(boxes: list[BBox], y: float, s: ExtractSettings) -> bool:
    """The cells above and below the row rule at `y` belong to different tables stacked on it:
    no cell crosses it, and the cells on either side span different widths and have hardly a
    column rule in common."""
    tol = s.stacked_rule_tol
    if any(top < y - tol and bottom > y + tol for _, top, _, bottom in boxes):
        return False
    above = _column_rules([c for c in boxes if abs(_bottom(c) - y) <= tol])
    below = _column_rules([c for c in boxes if abs(c[1] - y) <= tol])
    if not above or not below:
        return False
    wider = abs(above[0] - below[0]) > tol or abs(above[-1] - below[-1]) > tol
    if wider:
        return sum(1 for x in above if any(abs(x - z) <= tol for z in below)) <= s.stacked_shared_rules
    # the same outer edges (a snap apart), but not one inner column rule in common: a grid
    # cut off by a break, under the header table printed again just as wide
    inner_above, inner_below = above[1:-1], below[1:-1]
    return bool(inner_above) and len(inner_below) > len(inner_above) \
        and not any(abs(x - z) <= tol for x in inner_above for z in inner_below)


def _column_rules(cells: list[BBox]) -> list[float]:
    """The vertical rules bounding a row of cells, left to right."""
    return sorted({c[0] for c in cells} | {c[2] for c in cells})


def _split_beside(rows: list[tuple[BBox, list[BBox | None]]], index: CharIndex, s: ExtractSettings) -> list[_Grid]:
    """Rows of one or more tables side by side → one grid per table: the tables are parted by
    spans between column rules that no cell crosses and that hold no text in any row."""
    boxes = [c for _, cells in rows for c in cells if c is not None]
    xs = _column_rules(boxes)
    tol = s.stacked_rule_tol
    top, bottom = rows[0][0][1], rows[-1][0][3]
    bounds = [xs[0]]
    for a, b in zip(xs[1:-2], xs[2:-1]):
        crossed = any(x0 < x - tol and x1 > x + tol for x0, _, x1, _ in boxes for x in (a, b))
        if not crossed and b - a > tol and not any(ch["text"].strip() for ch in index.within((a, top, b, bottom))):
            bounds += [a, b]
    bounds.append(xs[-1])
    out = []
    for left, right in zip(bounds[::2], bounds[1::2]):
        part = [(box, [c if c is not None and _between(c, left - tol, right + tol) else None for c in cells])
                for box, cells in rows]
        part = [(box, cells) for box, cells in part if any(cells)]
        if part:
            out.append(_sub_grid(part))
    return out


def _sub_grid(rows: list[tuple[BBox, list[BBox | None]]]) -> _Grid:
    """A grid of some rows and cells of a table: only the columns its cells start in, its box
    and its rows' boxes as wide as its cells."""
    boxes = [c for _, cells in rows for c in cells if c is not None]
    x0, x1 = min(c[0] for c in boxes), max(c[2] for c in boxes)
    cols = sorted({c[0] for c in boxes})
    out = []
    for box, cells in rows:
        starts = {c[0]: c for c in cells if c is not None}
        out.append(((x0, box[1], x1, box[3]), [starts.get(x) for x in cols]))
    return _Grid(bbox=(x0, out[0][0][1], x1, out[-1][0][3]), rows=out)


def _encloses(outer: BBox, inner: BBox, pad: float) -> bool:
    ox0, otop, ox1, obottom = outer
    ix0, itop, ix1, ibottom = inner
    return ox0 - pad <= ix0 and otop - pad <= itop and ix1 <= ox1 + pad and ibottom <= obottom + pad


def _bottom(box: BBox) -> float:
    """The bottom edge of a box."""
    return box[3]


def _between(box: BBox, left: float, right: float) -> bool:
    """The box lies between `left` and `right`, edges included."""
    x0, _, x1, _ = box
    return x0 >= left and x1 <= right


def _is_grid(t: _Grid, s: ExtractSettings) -> bool:
    """A real table has at least two rows and two columns; one-column 'tables' are boxes and
    bands drawn around headings or text, whose text belongs to the flow."""
    return len(t.rows) >= s.min_table_rows and max(len(cells) for _, cells in t.rows) >= s.min_table_cols


def _drop_nested(regions: list[TableRegion], s: ExtractSettings) -> list[TableRegion]:
    out: list[TableRegion] = []
    for r in regions:
        if any(_encloses(o.bbox, r.bbox, s.enclose_pad_pt) for o in out):
            continue
        out.append(r)
    return out


# ---------------------------------------------------------------- columns


def _find_gutter(items: list[Line | TableRegion], width: float, s: ExtractSettings,
                 index: CharIndex | None = None) -> tuple[float, float] | None:
    """An empty vertical band between two panels, or None. Where panels' lines run into each
    other at the same height (a narrow gutter), no band is empty by the lines' boxes; then,
    when both sides hold text of their own, the band is looked for by those lines' chars
    (`index`): the gap between their chars is the gutter."""
    if len(items) < s.gutter_min_page_items:
        return None
    lo, hi = int(width * s.gutter_search[0]), int(width * s.gutter_search[1])
    found = _empty_band(items, width, lo, hi, s, None)
    if found is None and index is not None and _text_both_sides(items, lo, hi, s):
        found = _empty_band(items, width, lo, hi, s, index)
    return found


def _text_both_sides(items: list[Line | TableRegion], lo: int, hi: int, s: ExtractSettings) -> bool:
    """Enough items wholly on each side of the search zone's middle: two panels of text."""
    need, mid = max(s.gutter_min_items, s.gutter_min_share * len(items)), (lo + hi) / 2
    return sum(1 for it in items if it.x1 <= mid) >= need and sum(1 for it in items if it.bbox[0] >= mid) >= need


def _empty_band(items: list[Line | TableRegion], width: float, lo: int, hi: int, s: ExtractSettings,
                index: CharIndex | None) -> tuple[float, float] | None:
    """The widest band in lo..hi that at most `gutter_max_cross` items cover (a line's chars,
    with `index`; else its box), with enough items on each side of it."""
    cover = [0] * (int(width) + 2)
    for it in items:
        x0, _, x1, _ = it.bbox
        if x0 < lo and x1 > hi and (index is None or not isinstance(it, Line)):
            continue  # spans both panels (a title band, a full-width table): a band break, not text
        spans = _char_spans(it, index) if index is not None and isinstance(it, Line) else [(x0, x1)]
        for x in {x for a, b in spans for x in range(max(0, int(a)), min(len(cover), int(b) + 1))}:
            cover[x] += 1
    best: tuple[int, int] | None = None
    start = None
    for x in range(lo, hi + 1):
        if cover[x] <= s.gutter_max_cross:
            start = x if start is None else start
        elif start is not None:
            if best is None or x - start > best[1] - best[0]:
                best = (start, x)
            start = None
    if start is not None and (best is None or hi + 1 - start > best[1] - best[0]):
        best = (start, hi + 1)
    if not best or best[1] - best[0] < s.gutter_min_width:
        return None
    left = sum(1 for it in items if it.x1 <= best[0])
    right = sum(1 for it in items if it.bbox[0] >= best[1])
    n = len(items)
    if min(left, right) < max(s.gutter_min_items, s.gutter_min_share * n):
        return None
    return float(best[0]), float(best[1])


def _char_spans(ln: Line, index: CharIndex) -> list[tuple[float, float]]:
    """The x-extents of a line's printed chars (the gaps between them left open)."""
    return [(c["x0"], c["x1"]) for c in _line_chars(ln, index)]


def _line_chars(ln: Line, index: CharIndex) -> list[dict]:
    """A line's printed chars (spaces aside), left to right."""
    return sorted((c for c in index.within((ln.x0 - 1, ln.top - 1, ln.x1 + 1, ln.bottom + 1))
                   if ln.top <= middle(c["top"], c["bottom"]) <= ln.bottom and c["text"].strip()),
                  key=lambda c: c["x0"])


def reading_order(items: list[Line | TableRegion], gutter: tuple[float, float] | None) -> list[Line | TableRegion]:
    """Single column: top to bottom. Two panels: per horizontal band, left panel then right."""
    items = sorted(items, key=lambda it: (round(it.top, 0), it.x0))
    if not gutter:
        return items
    g0, g1 = gutter
    out: list[Line | TableRegion] = []
    left: list = []
    right: list = []

    def flush() -> None:
        out.extend(left)
        out.extend(right)
        left.clear()
        right.clear()

    mid = (g0 + g1) / 2
    for it in items:
        x0, _, x1, _ = it.bbox
        if x0 < g0 and x1 > g1:  # spans both panels: ends a band
            flush()
            out.append(it)
        elif middle(x0, x1) < mid:
            it.column = "left"
            left.append(it)
        else:
            it.column = "right"
            right.append(it)
    flush()
    return out


# ---------------------------------------------------------------- pages


def layout_page(page, page_no: int, s: ExtractSettings, pats: "Patterns | None" = None) -> PageLayout:
    width, height = float(page.width), float(page.height)
    pl = PageLayout(index=page_no, width=width, height=height)
    if needs_ocr(page, s.ocr):  # a scan: its objects become the chars and rules OCR read
        pl.ocr = ocr_page(page, page_no, s.ocr)
    chars = page.chars
    pl.char_count = len(chars)
    pl.text = "".join(c["text"] for c in chars)
    index = CharIndex(chars)
    tables = find_table_regions(page, page_no, s, pats, index)
    in_tables = {id(c) for t in tables for c in index.within(t.bbox, 1.0)}
    flow_chars = [c for c in chars if id(c) not in in_tables]
    lines = chars_to_lines(flow_chars, page_no, s)
    for ln in lines:
        ln.text = normalize_chars(ln.text)
    if pats is not None:
        lines, tables = _text_tables(lines, tables, flow_chars, page_no, pats, s)
    for t in tables:
        for r in t.rows:
            for c in r:
                for ln in c.lines if c else ():
                    ln.text = normalize_chars(ln.text)
    pl.images = [(im["x0"], im["top"], im["x1"], im["bottom"]) for im in page.images]
    figure = _figure_text(lines, pl.images, s)
    lines = [ln for i, ln in enumerate(lines) if i not in figure]
    zone = s.margin_zone * height
    body: list[Line] = []
    for ln in lines:
        (pl.margin_lines if ln.bottom < zone or ln.top > height - zone else body).append(ln)
    pl.items = [*body, *tables]
    pl.gutter = _find_gutter(pl.items, width, s, index)
    if pl.gutter:  # margin lines too: a panel's first line may lie in the margin zone
        pl.items = [*_split_at_gutter(body, pl.gutter, index, s), *tables]
        pl.margin_lines = _split_at_gutter(pl.margin_lines, pl.gutter, index, s)
    return pl


def _split_at_gutter(lines: list[Line], gutter: tuple[float, float], index: CharIndex,
                     s: ExtractSettings) -> list[Line]:
    """Lines that run across the gutter only because a panel's line ends close to it and the
    other panel's line begins at the same height: split at their widest gap in the gutter."""
    g0, g1 = gutter
    out: list[Line] = []
    for ln in lines:
        if not (ln.x0 < g0 and ln.x1 > g1):
            out.append(ln)
            continue
        chars = _line_chars(ln, index)
        # a gap that reaches over the gutter (a paragraph's short last line beside an indented
        # line leaves a gap wider than the gutter), measured against the smaller of the chars
        # beside it: a panel's title in large type runs up to the gutter beside body text
        gaps = [((c["x0"] - prev["x1"]) / min(prev["size"], c["size"]), k)
                for k, (prev, c) in enumerate(zip(chars, chars[1:]), start=1)
                if prev["x1"] <= g1 + ln.size and c["x0"] >= g0 - ln.size]
        gap, k = max(gaps, default=(0.0, 0))
        if gap < s.gutter_split_gap:
            out.append(ln)  # a title or a line truly across both panels
            continue
        for part in (chars[:k], chars[k:]):
            piece = _piece(part, ln.page, s)
            if piece is not None:
                out.append(piece)
    return out


def order_pages(pages: list[PageLayout], s: ExtractSettings) -> None:
    """Put each page's items in reading order. A page of a two-panel document whose own
    text does not reveal the gutter (one panel nearly empty) uses the document's gutter
    for pages of its width, unless something on it crosses that gutter. In a one-panel
    document (too few pages show a gutter) a page's own gutter is grids and names printed
    side by side, read row by row like the rest."""
    by_width: dict[int, list[tuple[float, float]]] = {}
    for p in pages:
        by_width.setdefault(round(p.width), [])
        if p.gutter:
            by_width[round(p.width)].append(p.gutter)
    same_width = Counter(round(p.width) for p in pages)
    for p in pages:
        gutter = p.gutter
        found = by_width[round(p.width)]
        panels = len(found) >= s.gutter_doc_share * same_width[round(p.width)]
        if not panels:
            gutter = None
        elif gutter is None:
            g0 = statistics.median(g[0] for g in found)
            g1 = statistics.median(g[1] for g in found)
            if not any(it.x0 < g0 and it.x1 > g1 for it in p.items):
                gutter = (g0, g1)
        p.gutter = gutter
        p.items = reading_order(p.items, gutter)


def _figure_text(lines: list[Line], images: list[BBox], s: ExtractSettings) -> set[int]:
    """Indices of lines drawn on an image or forming its caption: short lines centred
    under it, each close below the image or the caption line above."""
    drop: set[int] = set()
    sizes = Counter(ln.size for ln in lines for _ in ln.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    for x0, top, x1, bottom in images:
        centre = (x0 + x1) / 2
        last = bottom
        first = True
        for i, ln in sorted(enumerate(lines), key=lambda t: t[1].top):
            cx = (ln.x0 + ln.x1) / 2
            if ln.top >= top - 1 and ln.bottom <= bottom + 1 and x0 - s.figure_text_pad_pt <= cx <= x1 + s.figure_text_pad_pt:
                drop.add(i)
                continue
            if ln.top < bottom - 1:
                continue
            reach = (s.caption_lines if first else s.caption_gap) * ln.size
            if ln.top - last > reach:
                break
            small = ln.size < body - s.same_size_tol
            if (abs(cx - centre) <= s.caption_centre_tol * ln.size and len(ln.text) <= s.caption_max_chars
                    and (small or ln.x1 - ln.x0 <= s.caption_max_width * (x1 - x0) + s.caption_width_slack * ln.size)):
                drop.add(i)
                last, first = ln.bottom, False
            elif ln.top - last <= reach:
                break
    return drop


def _margin_key(text: str) -> str:
    return re.sub(r"[0-9０-９\s]+", "", text)


def _printed_beside(ln: Line, others: list[Line], s: ExtractSettings) -> bool:
    """The line's words (digits aside) stand at the same place (to `margin_place_tol_pt`) among
    `others`, the margin lines of the pages before and after."""
    key, tol = _margin_key(ln.text), s.margin_place_tol_pt
    return bool(key) and any(_margin_key(o.text) == key and abs(o.x0 - ln.x0) <= tol and abs(o.top - ln.top) <= tol
                             for o in others)


def mark_margins(pages: list[PageLayout], s: ExtractSettings) -> None:
    """Read printed page numbers; find running headers/footers: repeated across pages, or at the
    same place on the page before or after (a header naming the chapter or article)."""
    counts: Counter[str] = Counter()
    for p in pages:
        for key in {_margin_key(ln.text) for ln in p.margin_lines if _margin_key(ln.text)}:
            counts[key] += 1
    need = max(s.repeat_min_pages, int(s.repeat_share * len(pages)))
    for k, p in enumerate(pages):
        numbers = []
        beside = [ln for q in pages[max(0, k - 1):k] + pages[k + 1:k + 2] for ln in q.margin_lines]  # pages before and after
        content: list[Line] = []
        for ln in p.margin_lines:
            m = PAGE_NUMBER.match(ln.text)
            if m:
                numbers.append((ln.top, int(normalize_chars(m.group(1)))))
            elif counts[_margin_key(ln.text)] >= need or len(pages) < s.repeat_min_pages or _printed_beside(ln, beside, s):
                p.running.append(ln.text)  # (a header naming the chapter or article repeats on its own pages only)
            else:
                content.append(ln)  # a margin line that does not repeat is content (e.g. a title near the top)
        if content:  # read in its panel, as the page's own lines are
            p.items = reading_order([*p.items, *content], p.gutter)
        if numbers:
            p.printed = max(numbers)[1]  # the lowest one on the page


def assign_columns(pages: list[PageLayout]) -> None:
    """Each line's column bounds, estimated over the whole document per page width and panel."""
    edges: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for p in pages:
        for it in p.items:
            if isinstance(it, Line):
                edges.setdefault((round(p.width), it.column), []).append((it.x0, it.x1))
    bounds = {}
    for key, xs in edges.items():
        rights = sorted(x1 for _, x1 in xs)
        lefts = sorted(x0 for x0, _ in xs)
        bounds[key] = (lefts[int(len(lefts) * 0.05)], rights[int(len(rights) * 0.95)])
    for p in pages:
        for it in p.items:
            if isinstance(it, Line):
                it.col_left, it.col_right = bounds[(round(p.width), it.column)]


def body_font_size(pages: list[PageLayout]) -> float:
    sizes = [it.size for p in pages for it in p.items if isinstance(it, Line) for _ in it.text]
    return statistics.mode(sizes) if sizes else 10.0


@contextmanager
def fewer_collections(s: ExtractSettings) -> Iterator[None]:
    """Collect garbage less often while pages are parsed (`ExtractSettings.gc_allocations`)."""
    old = gc.get_threshold()
    gc.set_threshold(s.gc_allocations, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def layout_document(pdf: pdfplumber.PDF, s: ExtractSettings, progress=None, pats: "Patterns | None" = None,
                    jobs: int = 1, path: str | None = None) -> list[PageLayout]:
    """Every page laid out, then the document-wide passes (reading order, running headers,
    column bounds). With `jobs` > 1 and the file's `path`, pages are laid out in that many
    processes (each opens the file itself), in chunks so the work spreads evenly."""
    n = len(pdf.pages)
    if jobs > 1 and path and n >= s.parallel_min_pages_per_job * jobs:
        pages = _layout_parallel(path, n, s, pats, jobs, progress)
    else:
        pages = []
        for i, page in enumerate(pdf.pages, start=1):
            pages.append(layout_page(page, i, s, pats))
            page.flush_cache()
            if progress:
                progress(i, n)
    order_pages(pages, s)
    mark_margins(pages, s)
    assign_columns(pages)
    return pages


def _layout_range(path: str, start: int, stop: int, s: ExtractSettings, pats: "Patterns | None") -> list[PageLayout]:
    """Pages start..stop-1 (indices from 0) of the file, laid out in a worker process."""
    with pdfplumber.open(path) as pdf, fewer_collections(s):
        out = []
        for i in range(start, stop):
            page = pdf.pages[i]
            out.append(layout_page(page, i + 1, s, pats))
            page.flush_cache()
        return out


def _layout_parallel(path: str, n: int, s: ExtractSettings, pats, jobs: int, progress) -> list[PageLayout]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    size = max(1, -(-n // (jobs * s.page_chunks_per_job)))
    ranges = [(a, min(n, a + size)) for a in range(0, n, size)]
    done: dict[int, list[PageLayout]] = {}
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        futures = {ex.submit(_layout_range, path, a, b, s, pats): a for a, b in ranges}
        for f in as_completed(futures):
            done[futures[f]] = f.result()
            if progress:
                progress(sum(len(v) for v in done.values()), n)
    return [pl for a, _ in ranges for pl in done[a]]
