"""Table column widths from the content, set so Word and LibreOffice both keep them.

docxtpl gives a table whose columns come from a loop ({%tc %}) equal columns, so a 「12条」 key
column takes as much room as the opinions beside it. After rendering, every body table the
template left on autofit gets widths from its text: a column gets what its longest line needs
when everything fits, else a short column keeps its need and the long ones share the rest
(by the square root of their need, so a middle column is not squeezed to a few characters).
Widths go in the grid (w:gridCol, read by LibreOffice) and in every cell (w:tcW, read by Word),
with the layout fixed; number cells are right-aligned.
"""
from __future__ import annotations

import math
import unicodedata

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt, Twips
from docx.table import Table

from .policy import policy

CELL_PADDING = Twips(2 * 108)  # Word's default left + right cell margins
FLOOR = 8  # half-width columns a long column keeps at least (four kanji)
SLACK = 2  # half-width columns added to each need: proportional digits and rounding would wrap 「12条」
TBL_PR_AFTER_W = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
                  "w:tblLook", "w:tblCaption", "w:tblDescription")


def _columns(text: str) -> int:
    """Half-width columns of the longest line of `text` (full-width characters take two)."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in line) for line in text.split("\n")),
               default=0)


def column_widths(cells: list[list[str]], total: Length, font: Length) -> list[Length]:
    """Widths of a table's grid columns (rows of cell texts, one per grid column) filling `total`."""
    n = max((len(r) for r in cells), default=0)
    need = [max((_columns(r[j]) for r in cells if j < len(r)), default=0) + SLACK for j in range(n)]
    unit = font / 2
    room = max(total - n * CELL_PADDING, n) / unit  # half-width columns the text has
    if sum(need) <= room:
        units = [x * room / sum(need) for x in need]
    else:
        floor = [min(x, FLOOR) for x in need]
        weight = [math.sqrt(x - f) for x, f in zip(need, floor)]
        spare = max(room - sum(floor), 0)
        units = [f + spare * w / sum(weight) for f, w in zip(floor, weight)]
    return [Length(round(u * unit + CELL_PADDING)) for u in units]


def set_widths(table: Table, widths: list[Length]) -> None:
    """Fixed column widths: table width, grid columns and each cell (a merged cell: its columns' sum)."""
    table.autofit = False
    tbl = table._tbl
    tbl_w = tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl.tblPr.insert_element_before(tbl_w, *TBL_PR_AFTER_W)
    tbl_w.set(qn("w:w"), str(Length(sum(widths)).twips))
    tbl_w.set(qn("w:type"), "dxa")
    for col, w in zip(tbl.tblGrid.gridCol_lst, widths):
        col.w = w
    for tr in tbl.tr_lst:
        j = 0
        for tc in tr.tc_lst:
            tc.width = Length(sum(widths[j:j + tc.grid_span]))
            j += tc.grid_span


def _grid_texts(table: Table) -> list[list[str]]:
    """Each row's text per grid column; a merged cell counts for none of its columns."""
    rows = []
    for tr in table._tbl.tr_lst:
        row: list[str] = []
        for tc in tr.tc_lst:
            text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
            row += [text] if tc.grid_span == 1 else [""] * tc.grid_span
        rows.append(row)
    return rows


def _is_fixed(table: Table) -> bool:
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    return layout is not None and layout.get(qn("w:type")) == "fixed"


def fit_tables(doc) -> None:
    """Content widths and right-aligned numbers for the body tables the template left on autofit."""
    sec = doc.sections[0]
    total = Length(sec.page_width - sec.left_margin - sec.right_margin)
    normal = doc.styles["Normal"].font.size or Pt(10.5)
    number = policy().number_cell
    for table in doc.tables:
        if _is_fixed(table) or not table.rows:
            continue
        set_widths(table, column_widths(_grid_texts(table), total, normal))
        for row in table.rows:
            for cell in row.cells:
                if number.match(cell.text):
                    for p in cell.paragraphs:
                        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
