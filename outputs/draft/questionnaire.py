"""The 所管課照会 round trip: every mark of a draft to an Excel workbook, and the answers back.

`write_questionnaire` lists each project's (and chapter's) marks on its own sheet: section,
last year's value for reference, an empty answer column (number validation where a KPI
figure is expected; 確認 rows for the 【要確認】 notes). `fill` merges a filled workbook into the
draft: each answered mark is replaced by the answer (a 【要修正】 replaces the text it marked,
an answered 【要確認】 note is removed), unanswered marks stay.
A hidden sheet ties the workbook to its report and each row to its mark's key, so a foreign
or stale workbook is refused with one line instead of filling the wrong places.
"""
from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from hokoku.extract.errors import InputError
from hokoku.extract.model import Report

from ..atomic import write_with
from . import labels as L
from .context import UNSTORABLE
from .marks import MarkPlace

META_SHEET = "_hokoku"
META_KIND = "hokoku-questionnaire"
KEY_COLUMN = 6  # hidden: the mark's key in its bucket
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
WIDTHS = (6, 48, 48, 40, 10)
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")


@dataclass
class FillResult:
    filled: int
    open: dict[str, int]  # bucket → marks still open


def _text_cell(ws, row: int, col: int, value: str):
    """A string cell that stays a string (a leading = + - @ is text, not a formula)."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    cell.data_type = "s"
    return cell


def _sheet_names(buckets: list[str]) -> dict[str, str]:
    """Excel sheet names (≤ 31 characters, no []:*?/\\), unique."""
    out: dict[str, str] = {}
    used: set[str] = {META_SHEET}
    for b in buckets:
        base = SHEET_NAME_BAD.sub("_", b)[:28] or "_"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base[:26]}_{n}"
        used.add(name)
        out[b] = name
    return out


def write_questionnaire(places: list[MarkPlace], report: Report, path: str | Path) -> int:
    """Write the workbook; returns the number of places listed."""
    wb = Workbook()
    wb.remove(wb.active)
    buckets = list(dict.fromkeys(m.bucket for m in places))
    names = _sheet_names(buckets)
    for bucket in buckets:
        ws = wb.create_sheet(names[bucket])
        _text_cell(ws, 1, 1, bucket).font = Font(bold=True, size=12)
        _text_cell(ws, 2, 1, L.Q_INSTRUCTIONS.format(mark=L.MARK, confirm=L.CONFIRM))
        for col, (head, width) in enumerate(zip(L.Q_HEAD, WIDTHS), start=1):
            c = _text_cell(ws, 3, col, head)
            c.font, c.fill = Font(bold=True), HEAD_FILL
            ws.column_dimensions[c.column_letter].width = width
        numbers = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15",
                                 allow_blank=True, showErrorMessage=True, error=L.Q_NUMBER_ERROR)
        ws.add_data_validation(numbers)
        for n, m in enumerate((m for m in places if m.bucket == bucket), start=1):
            row = 3 + n
            ws.cell(row=row, column=1, value=n)
            _text_cell(ws, row, 2, m.section)
            _text_cell(ws, row, 3, m.reference)
            answer = ws.cell(row=row, column=4)
            _text_cell(ws, row, 5, L.Q_KIND_CONFIRM if m.mark == L.CONFIRM else L.Q_KIND_NUMBER if m.number else L.Q_KIND_TEXT)
            _text_cell(ws, row, KEY_COLUMN, m.key)
            if m.number:
                numbers.add(answer)
            for col in (2, 3, 4):
                ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["F"].hidden = True
        ws.freeze_panes = "A4"
    meta = wb.create_sheet(META_SHEET)
    _text_cell(meta, 1, 1, json.dumps({"kind": META_KIND, "fiscal_year": report.report.fiscal_year + 1,
                                       "source": report.source.sha256 or report.source.file, "sheets": names},
                                      ensure_ascii=False))
    meta.sheet_state = "hidden"
    write_with(path, lambda tmp: wb.save(tmp))
    return len(places)


def read_answers(path: str | Path, report: Report) -> dict[tuple[str, str], str | float]:
    """(bucket, key) → answer, for the rows that have one; InputError (one line) for a foreign workbook."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "file not found")
    try:
        wb = load_workbook(path, data_only=True)  # a formula's value as Excel last computed it
        raw = load_workbook(path)  # and its text when never computed (written by a script): still an answer
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise InputError(str(path), f"not an Excel workbook ({type(e).__name__})") from None
    if META_SHEET not in wb.sheetnames:
        raise InputError(str(path), "not a hokoku questionnaire (no hidden _hokoku sheet); write one with hokoku draft --questionnaire")
    try:
        meta = json.loads(str(wb[META_SHEET].cell(row=1, column=1).value))
    except (json.JSONDecodeError, TypeError):
        meta = {}
    if not isinstance(meta, dict) or meta.get("kind") != META_KIND:
        raise InputError(str(path), "not a hokoku questionnaire (its _hokoku sheet is not ours)")
    if meta.get("fiscal_year") != report.report.fiscal_year + 1 or meta.get("source") != (report.source.sha256 or report.source.file):
        raise InputError(str(path), f"questionnaire belongs to another report (FY{meta.get('fiscal_year')}, {meta.get('source')})")
    answers: dict[tuple[str, str], str | float] = {}
    for bucket, sheet in (meta.get("sheets") or {}).items():
        if sheet not in wb.sheetnames:
            raise InputError(str(path), f"sheet {sheet!r} is missing")
        for row, raw_row in zip(wb[sheet].iter_rows(min_row=4, values_only=True), raw[sheet].iter_rows(min_row=4, values_only=True)):
            if len(row) < KEY_COLUMN or row[KEY_COLUMN - 1] is None:
                continue
            value = row[3] if row[3] is not None else raw_row[3]
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            answers[(bucket, str(row[KEY_COLUMN - 1]))] = value
    return answers


def _format(value: str | float) -> str:
    """An answer as draft text: 12.0 → "12", characters Word cannot store replaced."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return UNSTORABLE.sub("\ufffd", str(value).strip().replace("\r\n", "\n"))


def _set_text(paragraph, text: str) -> None:
    """Replace a paragraph's runs by one run of `text` (line breaks kept), unhighlighted."""
    for r in list(paragraph.runs):
        r._r.getparent().remove(r._r)
    run = paragraph.add_run()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i:
            run.add_break()
        run._r.append(run._r.makeelement(qn("w:t"), {qn("xml:space"): "preserve"}))
        run._r[-1].text = line


def _apply(m: MarkPlace, answer: str) -> None:
    if m.mark == L.CONFIRM:  # confirmed: the note goes; the department's answer stays in the workbook
        m.paragraph._p.getparent().remove(m.paragraph._p)
        return
    if m.mark == L.REVISE and m.cell is not None:  # the answer replaces the whole marked cell
        first, *rest = m.cell.paragraphs
        for p in rest:
            p._p.getparent().remove(p._p)
        _set_text(first, answer)
        return
    run = next((r for r in m.paragraph.runs if m.mark in r.text), None)
    if m.mark == L.REVISE or run is None:  # the answer replaces the marked paragraph
        _set_text(m.paragraph, answer if m.mark == L.REVISE else m.paragraph.text.replace(m.mark, answer, 1))
        return
    run.text = run.text.replace(m.mark, answer, 1)
    run.font.highlight_color = None
    run.bold = None


def fill(places: list[MarkPlace], answers: dict[tuple[str, str], str | float]) -> int:
    """Write the answers into the draft's marks; returns how many were filled."""
    n = 0
    for m in places:
        value = answers.get((m.bucket, m.key))
        if value is None:
            continue
        _apply(m, _format(value))
        n += 1
    return n
