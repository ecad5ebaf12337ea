"""Per-comment corrections a person keeps beside the reports: comment id, theme, + or −.

The file is applied on every run, so a correction survives re-classification; the records say
which themes came from it (`ThemeRecord.overrides`). Headers may be English or Japanese.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from hokoku.extract.errors import InputError
from hokoku.extract.model import ThemeRecord

KIND_CODE = {"check": "C", "article_opinion": "A"}
ADD, REMOVE = "+", "-"
OPS = {"+": ADD, "＋": ADD, "追加": ADD, "-": REMOVE, "−": REMOVE, "－": REMOVE, "ー": REMOVE, "削除": REMOVE}
COLUMNS = {"id": ("id", "コメントID"), "theme": ("theme", "テーマ"), "op": ("op", "修正")}


def comment_id(r: ThemeRecord) -> str:
    """A stable, readable id: year-kind-where-no, e.g. 2021-C-起業化総合支援事業-1, 2021-A-12-3."""
    where = r.project if r.kind == "check" else r.article
    return f"{r.fiscal_year}-{KIND_CODE.get(r.kind, r.kind)}-{where}-{r.no}"


@dataclass(frozen=True)
class Correction:
    comment: str
    theme: str
    op: str
    row: int


def _column(header: list[str], key: str, path: Path) -> str:
    for name in COLUMNS[key]:
        if name in header:
            return name
    raise InputError(str(path), f"needs a column {' or '.join(COLUMNS[key])} (found: {', '.join(header)})")


def read_corrections(path: str | Path, labels: dict[str, str]) -> list[Correction]:
    """Rows of a corrections CSV; a theme may be given by id or Japanese label."""
    path = Path(path)
    by_label = {label: tid for tid, label in labels.items()}
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
            header = list(rows[0].keys()) if rows else []
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text (save the CSV as UTF-8)") from None
    if not rows:
        return []
    cid, cth, cop = (_column(header, k, path) for k in ("id", "theme", "op"))
    out = []
    for n, row in enumerate(rows, start=2):
        theme = (row.get(cth) or "").strip()
        theme = by_label.get(theme, theme)
        op = OPS.get((row.get(cop) or "").strip())
        if theme not in labels:
            raise InputError(str(path), f"row {n}: no such theme {row.get(cth)!r} (themes: {', '.join(labels)})")
        if op is None:
            raise InputError(str(path), f"row {n}: {cop} must be + or − (got {row.get(cop)!r})")
        out.append(Correction((row.get(cid) or "").strip(), theme, op, n))
    return out


def apply(records: list[ThemeRecord], corrections: list[Correction]) -> list[Correction]:
    """Apply corrections in file order (a later row wins); returns those naming no comment."""
    by_id = {comment_id(r): r for r in records}
    unknown = []
    for c in corrections:
        r = by_id.get(c.comment)
        if r is None:
            unknown.append(c)
            continue
        r.overrides[c.theme] = c.op
        if c.op == ADD and c.theme not in r.themes:
            r.themes.append(c.theme)
        elif c.op == REMOVE and c.theme in r.themes:
            r.themes.remove(c.theme)
            r.evidence.pop(c.theme, None)
            r.detail.pop(c.theme, None)
    return unknown
