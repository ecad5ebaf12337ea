"""The 【要記入】/【要修正】/【要確認】 places of a rendered draft, found in the document itself.

Counting in the .docx rather than in the renderer keeps a user's template honest: whatever
marks it prints are the ones counted, listed in the questionnaire and filled. A mark belongs
to the last project or chapter whose name stood alone in a paragraph before it; its section
is the nearest heading, the caption before its table, its row label and column header
(a 【要確認】 note's section is 読み取りの確認, its reference the warning it carries).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from . import labels as L
from .context import UNSTORABLE

NUMBER = re.compile(r"^-?[0-9０-９][0-9０-９,，.．]*$")


@dataclass
class MarkPlace:
    bucket: str  # project name, chapter title or L.FRONT_MATTER
    section: str
    mark: str  # L.MARK, L.REVISE or L.CONFIRM
    paragraph: Paragraph
    cell: _Cell | None = None
    reference: str = ""  # last year's value, for the questionnaire
    number: bool = False  # a number is expected (KPI cell)
    key: str = ""  # stable id within the bucket: section and occurrence

    @property
    def text_without_mark(self) -> str:
        return strip_marks(self.cell.text if self.cell is not None else self.paragraph.text)


def strip_marks(text: str) -> str:
    for m in L.MARKS:
        text = text.replace(m, "")
    return text.replace(L.SEEDED, "").strip()


def _is_heading(p: Paragraph) -> bool:
    ppr = p._p.pPr
    style = p.style.name if p.style is not None else ""
    return style.startswith("Heading") or (ppr is not None and ppr.find(qn("w:outlineLvl")) is not None)


def _cells(table: Table) -> Iterator[tuple[int, int, _Cell]]:
    seen = set()  # a merged cell appears once per grid column it spans; the set keeps its element alive
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row.cells):
            if cell._tc not in seen:
                seen.add(cell._tc)
                yield i, j, cell


def _neighbour(table: Table, i: int, j: int) -> str:
    """Last year's value of a table mark: the cell to its left, else to its right."""
    cells = table.rows[i].cells
    for k in (j - 1, j + 1):
        if 0 <= k < len(cells) and cells[k]._tc is not cells[j]._tc:
            return strip_marks(cells[k].text)
    return ""


def scan(doc, names: set[str]) -> list[MarkPlace]:
    """Every mark of `doc` in reading order; `names` are the project and chapter names."""
    places: list[MarkPlace] = []
    state = {"bucket": L.FRONT_MATTER, "heading": "", "caption": ""}

    def visit(p: Paragraph, cell: _Cell | None = None, section: str = "", table=None, ij=(0, 0)) -> None:
        text = p.text
        if text.strip() in names:
            state["bucket"] = text.strip()
        if cell is None and text.strip():
            if _is_heading(p):
                state["heading"], state["caption"] = text.strip(), ""
            elif not any(m in text for m in L.MARKS):
                state["caption"] = text.strip()
        for mark in L.MARKS:
            for _ in range(text.count(mark)):
                ref = _neighbour(table, *ij) if table is not None else ""
                if mark == L.CONFIRM:
                    section, ref = L.CONFIRM_SECTION, strip_marks(text)
                places.append(MarkPlace(state["bucket"], section or state["heading"], mark, p, cell, ref,
                                        number=table is not None and mark == L.MARK and bool(NUMBER.match(ref) or ref == L.NO_VALUE)))

    body = doc.element.body
    for el in body.iterchildren():
        if el.tag == qn("w:p"):
            visit(Paragraph(el, doc._body))
        elif el.tag == qn("w:tbl"):
            table = Table(el, doc._body)
            header = [c.text.strip() for c in table.rows[0].cells] if table.rows else []
            for i, j, cell in _cells(table):
                row_label = table.rows[i].cells[0].text.strip() if j else ""
                parts = [state["heading"], state["caption"], row_label, header[j] if i and j < len(header) else ""]
                section = L.Q_SECTION_SEP.join(dict.fromkeys(strip_marks(x) for x in parts if strip_marks(x)))
                for p in cell.paragraphs:
                    visit(p, cell, section, table, (i, j))
    _keys(places)
    return places


def _keys(places: list[MarkPlace]) -> None:
    """key = section, the first words of the marked text and the occurrence: stable when other marks are filled."""
    seen: dict[tuple[str, str], int] = {}
    for m in places:
        base = f"{m.section}|{m.mark}|{m.text_without_mark[:30]}"
        n = seen.get((m.bucket, base), 0)
        seen[(m.bucket, base)] = n + 1
        m.key = f"{base}#{n}"


def add_references(places: list[MarkPlace], report) -> None:
    """Give paragraph marks last year's text of their section, from the report's projects."""
    projects = {p.name: p for p in report.projects}
    for m in places:
        p = projects.get(m.bucket)
        if m.reference or p is None:
            if m.mark == L.REVISE and not m.reference:
                m.reference = m.text_without_mark
            continue
        field = next((f for word, f in L.REFERENCE_FIELDS if word in m.section), None)
        items = getattr(p, field, []) if field else []
        m.reference = UNSTORABLE.sub("\ufffd", "\n".join(str(x if isinstance(x, str) else x.text) for x in items))
        if m.mark == L.REVISE and not m.reference:
            m.reference = m.text_without_mark


def counts(places: list[MarkPlace]) -> dict[str, int]:
    """Bucket → number of marks of any kind."""
    out: dict[str, int] = {}
    for m in places:
        out[m.bucket] = out.get(m.bucket, 0) + 1
    return out


def kind_counts(places: list[MarkPlace]) -> dict[str, dict[str, int]]:
    """Bucket → mark → number, every kind present (0 when none)."""
    out: dict[str, dict[str, int]] = {}
    for m in places:
        out.setdefault(m.bucket, dict.fromkeys(L.MARKS, 0))[m.mark] += 1
    return out


def kind_totals(places: list[MarkPlace]) -> dict[str, int]:
    """Mark → number in the whole draft, for the summary line."""
    out = dict.fromkeys(L.MARKS, 0)
    for m in places:
        out[m.mark] += 1
    return out


def summary_line(places: list[MarkPlace]) -> str:
    """「【要記入】 192、【要修正】 40、【要確認】 1」: each kind of mark counted."""
    return L.LIST_SEP.join(f"{mark} {n}" for mark, n in kind_totals(places).items())


def _width(text: str) -> int:
    """Terminal columns of `text` (full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def marks_table(marks: dict[str, dict[str, int]]) -> str:
    """Plain-text table (project, marks of each kind, all marks) with the totals, for stderr."""
    def row(name: str, by_kind: dict[str, int]) -> list[str]:
        return [name, *(str(by_kind.get(k, 0)) for k in L.MARKS), str(sum(by_kind.values()))]

    totals = {k: sum(b.get(k, 0) for b in marks.values()) for k in L.MARKS}
    rows = [list(L.MARKS_TABLE_HEAD), *(row(name, b) for name, b in marks.items()), row(L.MARKS_TABLE_TOTAL, totals)]
    widths = [max(_width(r[j]) for r in rows) for j in range(len(rows[0]))]
    return "\n".join("  " + f"{r[0]}{' ' * (widths[0] - _width(r[0]))}"
                      + "".join(f"  {' ' * (w - _width(c))}{c}" for c, w in zip(r[1:], widths[1:])) for r in rows)
