"""Saying what was read by OCR: provenance, warnings on the projects, the pages.

After the report is built, every item whose provenance lies on an OCR page gets `ocr`
(engine, the least confidence of the OCR lines under its box). A project with an item read
below the confidence threshold, or with a number whose characters were repaired, carries a
warning naming the page (contract "Warnings").
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Iterator

from .model import OcrRead, Project, Provenance, ReadWarning, Report
from .ocr import OcrPage
from .reconcile import warn
from .settings import OcrSettings

LOW_CONFIDENCE = "ocr_low_confidence"  # codes; their messages are data (warnings.toml)
NUMBER_REPAIRED = "ocr_number_repaired"
LABEL_REPAIRED = "ocr_label_repaired"

BBox = tuple[float, float, float, float]


def _provenances(o: object) -> Iterator[Provenance]:
    """Every Provenance inside a model object."""
    if isinstance(o, Provenance):
        yield o
    elif is_dataclass(o) and not isinstance(o, type):
        for f in fields(o):
            yield from _provenances(getattr(o, f.name))
    elif isinstance(o, list):
        for x in o:
            yield from _provenances(x)


def _overlaps(a: BBox, b: BBox) -> bool:
    ax0, atop, ax1, abottom = a
    bx0, btop, bx1, bbottom = b
    return ax0 < bx1 and bx0 < ax1 and atop < bbottom and btop < abottom


def _confidence(prov: Provenance, page: OcrPage) -> float:
    """The least confidence of the page's OCR lines under the item's box (the page's when it has none)."""
    box = tuple(prov.bbox) if prov.bbox else None
    confs = [c for b, c in page.lines if box is None or _overlaps(b, box)]
    return min(confs, default=min((c for _, c in page.lines), default=1.0))


def mark_ocr(report: Report, pages: list[OcrPage], s: OcrSettings) -> None:
    """Mark OCR provenance, add the projects' OCR warnings and list the OCR pages in the source."""
    by_page = {p.page: p for p in pages}
    report.source.ocr_pages = sorted(by_page)
    if not by_page:
        return
    for prov in _provenances(report):
        if prov.page in by_page:
            prov.ocr = OcrRead(engine=by_page[prov.page].engine, confidence=round(_confidence(prov, by_page[prov.page]), 3))
    for project in report.projects:
        project.warnings += _project_warnings(project, by_page, s)
    report.warnings += [warn(LABEL_REPAIRED, None, p.page, read=read, label=label)
                        for p in pages for read, label in p.labels]


def _project_warnings(project: Project, by_page: dict[int, OcrPage], s: OcrSettings) -> list[ReadWarning]:
    """One warning per page and kind: the least confident item, the first repaired number."""
    low: dict[int, float] = {}
    repaired: dict[int, str] = {}
    items = [getattr(project, f.name) for f in fields(project) if f.name not in ("provenance", "warnings")]
    for prov in _provenances(items):
        if prov.ocr is None:
            continue
        if prov.ocr.confidence < s.low_confidence:
            low[prov.page] = min(low.get(prov.page, 1.0), prov.ocr.confidence)
        box = tuple(prov.bbox) if prov.bbox else None
        hit = next((t for b, t in by_page[prov.page].repaired if box and _overlaps(b, box)), None)
        if hit and prov.page not in repaired:
            repaired[prov.page] = hit
    out = [warn(LOW_CONFIDENCE, project.name, pg, conf=f"{c:.2f}", limit=f"{s.low_confidence:.2f}")
           for pg, c in sorted(low.items())]
    out += [warn(NUMBER_REPAIRED, project.name, pg, text=t) for pg, t in sorted(repaired.items())]
    return out
