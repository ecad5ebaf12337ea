"""Precision/recall/F1 per theme, micro and macro F1, confusions, against a labels CSV."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from hokoku.extract.errors import InputError


@dataclass
class Item:
    id: str
    text: str
    gold: set[str]
    split: str


@dataclass
class Scores:
    per_theme: dict[str, dict[str, float]] = field(default_factory=dict)
    micro_f1: float = 0.0
    macro_f1: float = 0.0
    micro_precision: float = 0.0
    micro_recall: float = 0.0
    missed: dict[str, list[str]] = field(default_factory=dict)
    spurious: dict[str, list[str]] = field(default_factory=dict)
    n: int = 0


LABEL_COLUMNS = ("text", "themes")
_SEP = re.compile(r"[;\s]+")


def read_labels(path: str | Path) -> list[Item]:
    """Rows of a labels CSV: text, themes (ids joined by spaces or 「;」), optional id and split.
    Without an id column a row is named by its article, project and number (the released
    FY2023-style set: article,kind,project,no,text,themes,evidence)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text (save the CSV as UTF-8)") from None
    missing = [c for c in LABEL_COLUMNS if rows and c not in rows[0]]
    if missing or not rows:
        raise InputError(str(path), f"needs columns {', '.join(LABEL_COLUMNS)} and at least one row"
                                    + (f" (missing: {', '.join(missing)})" if missing else ""))
    return [Item(_row_id(r, n), r["text"] or "", set(_SEP.split((r["themes"] or "").strip())) - {""}, r.get("split") or "")
            for n, r in enumerate(rows, start=1)]


def _row_id(row: dict[str, str], n: int) -> str:
    if row.get("id"):
        return row["id"]
    where = "-".join(row[k] for k in ("article", "project", "no") if row.get(k))
    return where or str(n)


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(items: list[Item], predicted: list[set[str]], themes: list[str]) -> Scores:
    out = Scores(n=len(items))
    TP = FP = FN = 0
    f1s = []
    for t in themes:
        tp = sum(1 for it, pr in zip(items, predicted) if t in it.gold and t in pr)
        fp = sum(1 for it, pr in zip(items, predicted) if t not in it.gold and t in pr)
        fn = sum(1 for it, pr in zip(items, predicted) if t in it.gold and t not in pr)
        TP, FP, FN = TP + tp, FP + fp, FN + fn
        p, r, f = _f1(tp, fp, fn)
        support = tp + fn
        out.per_theme[t] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": support}
        if support:
            f1s.append(f)
        out.missed[t] = [it.id for it, pr in zip(items, predicted) if t in it.gold and t not in pr]
        out.spurious[t] = [it.id for it, pr in zip(items, predicted) if t not in it.gold and t in pr]
    p, r, f = _f1(TP, FP, FN)
    out.micro_precision, out.micro_recall, out.micro_f1 = round(p, 3), round(r, 3), round(f, 3)
    out.macro_f1 = round(sum(f1s) / len(f1s), 3) if f1s else 0.0
    return out
