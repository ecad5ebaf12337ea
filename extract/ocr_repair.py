"""Repairs of what OCR read that the report itself confirms, and warnings where it cannot.

After the report is built from scanned pages: a project name that the report's own project
list (施策一覧) prints a little differently is set to the list's reading (the list is the
authority for names; the title and the list are two readings of one string), a KPI cell that
is no number as read but is one once the engine's look-alikes are mapped (O/0, l/1, 、/,) gets
that number, and a KPI year far from the report's fiscal year is doubted. Each repair that is
not an exact confirmation, and each cell still unread, becomes a warning on its project.
Only values read by OCR are touched; names come from the document, never from code.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import IndicatorValue, Project, ReadWarning, Report
from .ocr_clean import Confusions, confusions
from .patterns import Patterns
from .reconcile import warn
from .segment import name_key
from .settings import OcrSettings
from .tables import parse_number

Listing = list[tuple[int, list[str], "tuple[int, int] | None"]]


@dataclass(frozen=True)
class NameMatch:
    """The listed name nearest a name read, and how near (1.0: the same once normalised)."""

    name: str
    ratio: float


def listed_names(listing: Listing) -> list[str]:
    """Every name the project list prints, and each group's name joined to each of its
    sub-projects (「…関連事業」 over 「①…事業」), as a title prints them."""
    out: list[str] = []
    for _, names, _ in listing:
        names = [n for n in names if name_key(n)]
        out += names
        if len(names) > 1:
            out += [f"{names[0]} {sub}" for sub in names[1:]]
    return out


def closest_name(read: str, candidates: Iterable[str], min_ratio: float) -> NameMatch | None:
    """The candidate nearest `read` (compared as name keys), or None below `min_ratio`."""
    key = name_key(read)
    best: NameMatch | None = None
    for c in candidates:
        r = difflib.SequenceMatcher(None, key, name_key(c), autojunk=False).ratio()
        if best is None or r > best.ratio:
            best = NameMatch(c, r)
    return best if best is not None and best.ratio >= min_ratio else None


def number_text(text: str, c: Confusions) -> str:
    """A KPI cell's text with the engine's look-alikes of digits mapped wherever they stand (a
    cell holds one number, so 「O」 there is 0 even at its start), and of the thousands comma
    where exactly three digits follow."""
    t = "".join(c.in_number.get(ch, ch) for ch in text)
    if not c.thousands:
        return t
    return re.sub("[" + re.escape("".join(c.thousands)) + r"](?=[0-9]{3}(?![0-9]))", ",", t)


def repair_number(text: str, pats: Patterns, c: Confusions) -> float | int | None:
    """The number a KPI cell printed, read once its look-alikes are mapped; None when it is none."""
    return parse_number(number_text(text, c), pats)


def year_plausible(year: int, fiscal_year: int | None, s: OcrSettings) -> bool:
    """A KPI year lies within the report's reach: at most `kpi_years_back` before the year the
    report covers, at most `kpi_years_ahead` after it."""
    return fiscal_year is None or fiscal_year - s.kpi_years_back <= year <= fiscal_year + s.kpi_years_ahead


def repair_report(report: Report, listing: Listing, pats: Patterns, s: OcrSettings) -> None:
    """Repair the OCR-read names and KPI cells of every project, filing a warning on the
    project for each repair that is a near match only and each value that stays unread."""
    if not report.source.ocr_pages:
        return
    names = listed_names(listing)
    c = confusions()
    for p in report.projects:
        if p.provenance is not None and p.provenance.ocr is not None and names:
            p.warnings += _repair_name(p, names, s)
        p.warnings += _repair_values(p, report.report.fiscal_year, pats, c, s)


def _repair_name(p: Project, names: list[str], s: OcrSettings) -> list[ReadWarning]:
    """The project's name set to the list's reading; a warning when the two differ."""
    m = closest_name(p.name, names, s.name_match_min)
    if m is None or m.name == p.name:
        return []
    read, p.name = p.name, m.name
    if m.ratio >= s.name_warn_below:
        return []  # the same name spaced otherwise, or a character apart: the list confirms it
    return [warn("ocr_name_repaired", p.name, p.provenance.page if p.provenance else None, read=read,
                 ratio=round(m.ratio, 2))]


def _cells(p: Project) -> Iterable[tuple[str, IndicatorValue, str, str]]:
    for ind in p.indicators:
        for v in ind.values:
            if v.provenance is not None and v.provenance.ocr is not None:
                yield ind.name, v, "target", v.target_text or ""
                yield ind.name, v, "actual", v.actual_text or ""


def _repair_values(p: Project, fiscal_year: int | None, pats: Patterns, c: Confusions,
                   s: OcrSettings) -> list[ReadWarning]:
    """KPI cells read by OCR: a cell that is a number once its look-alikes are mapped gets it;
    one that is still none (and no printed 「中止」 or 「-」) and a year out of reach are warned."""
    out: list[ReadWarning] = []
    doubted: set[int] = set()
    for name, v, side, text in _cells(p):
        page = v.provenance.page if v.provenance else None
        if not year_plausible(v.fiscal_year, fiscal_year, s) and id(v) not in doubted:
            doubted.add(id(v))
            out.append(warn("ocr_year_doubtful", p.name, page, indicator=name, year=v.fiscal_year))
        if getattr(v, side) is not None or text.strip() in pats.null_values:
            continue
        number = repair_number(text, pats, c)
        if number is None:
            out.append(warn("ocr_number_unread", p.name, page, indicator=name, year=v.fiscal_year, text=text))
        else:
            setattr(v, side, number)
            out.append(warn("ocr_kpi_repaired", p.name, page, indicator=name, year=v.fiscal_year, text=text,
                            number=number))
    return out
