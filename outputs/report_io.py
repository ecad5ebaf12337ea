"""Write one parsed report: report.json, flat tables as CSV and Parquet, report.xlsx.

Every file goes through outputs.atomic, so a failure midway leaves the
previous outputs untouched.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from hokoku.extract.model import Report

from .atomic import write_text, write_with
from .labels import COLUMNS, KIND, SHEETS

CSV_ENCODING = "utf-8-sig"  # BOM: Excel opens Japanese CSV correctly
XLSX_MAX_WIDTH = 60
XLSX_WRAP_COLUMNS = {"goal", "plan", "activities", "results", "achievements", "challenges", "next_plan", "text"}


def report_json(report: Report) -> str:
    return json.dumps(report.to_dict(provenance=True), ensure_ascii=False, indent=2) + "\n"


def write_report(report: Report, outdir: str | Path) -> list[Path]:
    """Write all outputs of one report into `outdir`; returns the paths written."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    frames = report.to_frames()
    written: list[Path] = []
    for name, df in frames.items():
        csv = outdir / f"{name}.csv"
        write_with(csv, lambda tmp, df=df: df.to_csv(tmp, index=False, encoding=CSV_ENCODING))
        pq = outdir / f"{name}.parquet"
        write_with(pq, lambda tmp, df=df: df.to_parquet(tmp, index=False))
        written += [csv, pq]
    xlsx = outdir / "report.xlsx"
    write_with(xlsx, lambda tmp: write_xlsx(frames, tmp))
    js = outdir / "report.json"
    write_text(js, report_json(report))  # last: its presence means the set is complete
    return written + [xlsx, js]


def write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table, Japanese sheet names and headers, wrapped long text, frozen header."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in frames.items():
            view = df.copy()
            if "kind" in view:
                view["kind"] = view["kind"].map(KIND).fillna(view["kind"])
            view = view.rename(columns=COLUMNS)
            sheet = SHEETS[name]
            view.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes = "A2"
            for j, col in enumerate(df.columns, start=1):
                letter = get_column_letter(j)
                head = ws.cell(row=1, column=j)
                head.font = Font(bold=True)
                head.fill = PatternFill("solid", fgColor="DDE6F0")
                longest = max([len(str(COLUMNS.get(col, col)))] + [len(str(v)) for v in df[col].head(200) if v is not None])
                ws.column_dimensions[letter].width = min(XLSX_MAX_WIDTH, max(6, longest * 1.6 if col not in XLSX_WRAP_COLUMNS else 50))
                if col in XLSX_WRAP_COLUMNS:
                    for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                        row[0].alignment = Alignment(wrap_text=True, vertical="top")
