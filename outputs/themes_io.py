"""Writers for theme records: JSON, CSV (Excel-friendly), document × theme matrix, KWIC lines."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pandas as pd

from .atomic import write_text, write_with
from .labels import MATRIX_SHEET
from .xlsx import SheetLayout, write_csv, write_workbook

CSV_ENCODING = "utf-8-sig"
KWIC_WIDTH = 20  # characters of context each side
MATRIX_LAYOUT = SheetLayout(wrap=frozenset({"text"}))


def to_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def records_frame(records: list[dict], labels: dict[str, str]) -> pd.DataFrame:
    """One row per comment; lists joined readably; Japanese theme labels beside the ids."""
    rows = []
    for r in records:
        rows.append({
            "fiscal_year": r["fiscal_year"], "source": r["source"], "project": r["project"], "article": r["article"],
            "kind": r["kind"], "no": r["no"], "text": r["text"],
            "themes": " ".join(r["themes"]),
            "theme_labels": "、".join(labels.get(t, t) for t in r["themes"]),
            "evidence": "; ".join(f"{t}: {' / '.join(ev)}" for t, ev in r["evidence"].items()),
            "scores": "; ".join(f"{t}={s}" for t, s in sorted(r["scores"].items(), key=lambda kv: -kv[1])),
        })
    return pd.DataFrame(rows)


def matrix_frame(records: list[dict], theme_ids: list[str]) -> pd.DataFrame:
    """Document × theme 0/1 matrix (for Excel, R, KH Coder)."""
    base = [{"fiscal_year": r["fiscal_year"], "source": r["source"], "project": r["project"], "article": r["article"],
             "kind": r["kind"], "no": r["no"], "text": r["text"], **{t: int(t in r["themes"]) for t in theme_ids}}
            for r in records]
    return pd.DataFrame(base, columns=["fiscal_year", "source", "project", "article", "kind", "no", "text", *theme_ids])


def write_records(records: list[dict], out: str | Path, labels: dict[str, str], fmt: str | None = None) -> Path:
    out = Path(out)
    fmt = fmt or ("csv" if out.suffix.lower() == ".csv" else "json")
    if fmt == "csv":
        df = records_frame(records, labels)
        write_with(out, lambda tmp: df.to_csv(tmp, index=False, encoding=CSV_ENCODING))
    else:
        write_text(out, to_json(records))
    return out


def write_matrix(records: list[dict], out: str | Path, theme_ids: list[str]) -> Path:
    out = Path(out)
    df = matrix_frame(records, theme_ids)
    if out.suffix.lower() == ".xlsx":
        write_with(out, lambda tmp: write_workbook(tmp, {MATRIX_SHEET: df}, MATRIX_LAYOUT))
    else:
        write_with(out, lambda tmp: write_csv(df, tmp))
    return out


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def kwic_lines(records: list[dict], theme: str, width: int = KWIC_WIDTH) -> list[str]:
    """Concordance lines: every evidence word of `theme` with its left and right context, aligned."""
    lines = []
    for r in records:
        for word in r["evidence"].get(theme, []):
            text = r["text"]
            start = 0
            while (i := text.find(word, start)) >= 0:
                left = text[max(0, i - width):i]
                right = text[i + len(word): i + len(word) + width]
                pad = " " * (2 * width - _width(left))
                where = r["project"] or f"{r['article']}条"
                lines.append(f"{pad}{left} 【{word}】 {right}    ({where} {r['kind']} {r['no']})")
                start = i + len(word)
    return lines
