"""Japanese era (和暦) ↔ western year arithmetic, in one place.

Fiscal years (年度) are labelled by the era year in which they start. 2019 is
both 平成31年 (Jan–Apr) and 令和元年 (from 1 May); its fiscal year is printed
令和元年度 in reports from 2020 on, so western→era uses the later era.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# (era name, first western year, first month)
ERAS: list[tuple[str, int, int]] = [
    ("明治", 1868, 1),
    ("大正", 1912, 7),
    ("昭和", 1926, 12),
    ("平成", 1989, 1),
    ("令和", 2019, 5),
]
FIRST_YEAR = "元"
_ERA_NAMES = "|".join(name for name, _, _ in ERAS)
ERA_YEAR_RE = re.compile(rf"({_ERA_NAMES})\s*(元|[0-9０-９]{{1,2}})\s*年")


@dataclass(frozen=True)
class EraYear:
    era: str
    year: int

    def label(self) -> str:
        """'令和4', '令和元' (first year printed as 元)."""
        return f"{self.era}{FIRST_YEAR if self.year == 1 else self.year}"


def to_western(era: str, year: int) -> int:
    """('令和', 3) → 2021; ('平成', 31) → 2019."""
    for name, start, _ in ERAS:
        if name == era:
            return start + year - 1
    raise ValueError(f"unknown era: {era}")


def to_era(western: int) -> EraYear:
    """2021 → 令和3; 2019 → 令和元 (fiscal-year convention: the later era of a changeover year)."""
    for name, start, _ in reversed(ERAS):
        if western >= start:
            return EraYear(name, western - start + 1)
    raise ValueError(f"year before {ERAS[0][1]}: {western}")


def fiscal_year_label(western: int) -> str:
    """2022 → '令和4年度'."""
    return f"{to_era(western).label()}年度"


def year_label(western: int) -> str:
    """2023 → '令和5年'."""
    return f"{to_era(western).label()}年"


def parse_era_year(text: str) -> int | None:
    """First era year in `text` as a western year: '令和３年度' → 2021, '平成元年' → 1989."""
    m = ERA_YEAR_RE.search(text)
    if not m:
        return None
    y = m.group(2)
    year = 1 if y == FIRST_YEAR else int(unicodedata.normalize("NFKC", y))
    return to_western(m.group(1), year)


def shift_era_years(text: str, delta: int) -> str:
    """Advance every era year in `text` by `delta` years ('令和3年度' → '令和4年度')."""

    def repl(m: re.Match) -> str:
        y = m.group(2)
        year = 1 if y == FIRST_YEAR else int(unicodedata.normalize("NFKC", y))
        return f"{to_era(to_western(m.group(1), year) + delta).label()}年"

    return ERA_YEAR_RE.sub(repl, text)
