"""Spreadsheet writers for Excel users: document text stays text, sheets are ready to filter.

Council comments and report text are data, never formulas. In XLSX every string cell is
written with the string data type (a leading = + - @ tab or CR cannot make a formula or a
link); in CSV (which Excel opens by double-click) such a cell gets a leading apostrophe,
OWASP's recommendation — Parquet and JSON keep the text unchanged for analysis.
Every sheet gets a bold frozen header, an autofilter and column widths.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

CSV_ENCODING = "utf-8-sig"  # BOM: Excel opens Japanese CSV correctly
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_ESCAPE = "'"
PERCENT_FORMAT = "0.0%"
HEADER_FILL = "DDE6F0"
# XML 1.0 forbids these; openpyxl raises on them (a NUL in a comment must not abort a run).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class SheetLayout:
    """How columns look: by column header as written (after renaming to Japanese labels)."""

    wrap: frozenset[str] = field(default_factory=frozenset)
    """Long-text columns: wrapped, top-aligned, fixed width."""
    percent: frozenset[str] = field(default_factory=frozenset)
    """Ratio columns (2.1158 → 211.6%)."""
    max_width: float = 60
    wrap_width: float = 50
    min_width: float = 6


def formula_like(s: str) -> bool:
    """True for text a spreadsheet would read as a formula (a plain number like -5 is not)."""
    return len(s) > 1 and s.startswith(FORMULA_START) and not _NUMBER.fullmatch(s)


def clean_cell_text(s: str) -> str:
    """Replace characters XLSX cannot hold (control characters, lone surrogates) with U+FFFD."""
    return _ILLEGAL.sub("\ufffd", s)


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose formula-like text cells start with an apostrophe (numbers untouched)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: CSV_ESCAPE + v if isinstance(v, str) and formula_like(v) else v)
    return out


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """CSV for Excel: BOM, no index, formula-like text escaped."""
    csv_safe(df).to_csv(path, index=False, encoding=CSV_ENCODING)


def display_width(s: str) -> int:
    """Columns a string takes in a spreadsheet: full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cell_value(v: object) -> object:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar → Python
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    if isinstance(v, (list, tuple)):
        v = ",".join(str(x) for x in v)
    if isinstance(v, (int, float, bool)):
        return v
    return clean_cell_text(str(v))


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame], layout: SheetLayout | None = None) -> None:
    """One sheet per frame (key = sheet name, column headers as they should read)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    lay = layout or SheetLayout()
    wb = Workbook()
    wb.remove(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    top_wrap = Alignment(wrap_text=True, vertical="top")
    for name, df in sheets.items():
        ws = wb.create_sheet(title=clean_cell_text(name)[:31])
        headers = [str(c) for c in df.columns]
        widths = [display_width(h) for h in headers]
        for j, h in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=j, value=clean_cell_text(h))
            cell.data_type = "s"
            cell.font, cell.fill = bold, fill
        for i, row in enumerate(df.itertuples(index=False, name=None), start=2):
            for j, raw in enumerate(row, start=1):
                v = _cell_value(raw)
                if v is None:
                    continue
                cell = ws.cell(row=i, column=j, value=v)
                h = headers[j - 1]
                if isinstance(v, str):
                    cell.data_type = "s"  # text, never a formula
                    if i < 202:
                        widths[j - 1] = max(widths[j - 1], max(display_width(x) for x in v.split("\n")))
                    if h in lay.wrap:
                        cell.alignment = top_wrap
                elif h in lay.percent and isinstance(v, (int, float)):
                    cell.number_format = PERCENT_FORMAT
                    widths[j - 1] = max(widths[j - 1], 8)
                else:
                    widths[j - 1] = max(widths[j - 1], len(str(v)))
        for j, h in enumerate(headers, start=1):
            w = lay.wrap_width if h in lay.wrap else min(lay.max_width, max(lay.min_width, widths[j - 1] * 1.1 + 2))
            ws.column_dimensions[get_column_letter(j)].width = w
        ws.freeze_panes = "A2"
        if headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(df) + 1)}"
    if not wb.sheetnames:
        wb.create_sheet()
    wb.save(path)


def label_set(columns: Iterable[str], labels: Mapping[str, str]) -> frozenset[str]:
    """Column ids → the Japanese headers they are written under."""
    return frozenset(labels.get(c, c) for c in columns)
