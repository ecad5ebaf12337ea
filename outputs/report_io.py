"""Write one parsed report: report.json, flat tables as CSV and Parquet, report.xlsx.

The set is written into a temporary sibling folder and swapped into place as a whole
(outputs.atomic.atomic_dir): a failed or killed run leaves the previous set untouched,
and `report.json` present means the set is complete.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from hokoku.extract.model import Report

from .atomic import atomic_dir
from .labels import COLUMNS, KIND, PERCENT_COLUMNS, SHEETS, WRAP_COLUMNS
from .xlsx import SheetLayout, label_set, write_csv, write_workbook

XLSX_LAYOUT = SheetLayout(wrap=label_set(WRAP_COLUMNS, COLUMNS), percent=label_set(PERCENT_COLUMNS, COLUMNS))


def report_json(report: Report) -> str:
    return json.dumps(report.to_dict(provenance=True), ensure_ascii=False, indent=2) + "\n"


def write_report(report: Report, outdir: str | Path) -> list[Path]:
    """Write all outputs of one report as the folder `outdir`; returns the paths written."""
    outdir = Path(outdir)
    frames = report.to_frames()
    names: list[str] = []
    with atomic_dir(outdir) as tmp:
        for name, df in frames.items():
            write_csv(df, tmp / f"{name}.csv")
            df.to_parquet(tmp / f"{name}.parquet", index=False)
            names += [f"{name}.csv", f"{name}.parquet"]
        write_xlsx(frames, tmp / "report.xlsx")
        (tmp / "report.json").write_text(report_json(report), encoding="utf-8")
        names += ["report.xlsx", "report.json"]
    return [outdir / n for n in names]


def write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table: Japanese sheet names and headers, 区分 in Japanese, 達成率 as a percentage."""
    sheets = {}
    for name, df in frames.items():
        view = df.copy()
        if "kind" in view:
            view["kind"] = view["kind"].map(KIND).fillna(view["kind"])
        sheets[SHEETS[name]] = view.rename(columns=COLUMNS)
    write_workbook(path, sheets, XLSX_LAYOUT)
