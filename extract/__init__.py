"""extract: report PDF → report model (extract.model.Report).

Entry point: `parse_report(path)`. Layers: layout (pages → lines, tables in
reading order), paragraphs, tables, structure (sections → projects).
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .errors import InputError
from .model import Report, Source
from .settings import ExtractSettings

if TYPE_CHECKING:
    from .reconcile import Tally

__all__ = ["parse_report", "read_report", "ExtractSettings", "Report"]

log = logging.getLogger(__name__)
REPEATED = ("%s: %d project name(s) occur more than once (%s …): the PDF may hold the report more than once; "
            "each occurrence is kept as its own project")
NOT_A_REPORT = "not a report of this kind: no PDCA sections (事業計画 Plan, 主な検証意見 Check …) were found"


def parse_report(
    path: str | Path,
    settings: ExtractSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    patterns_file: str | Path | None = None,
    jobs: int = 1,
) -> Report:
    """Parse one report PDF (pages laid out in `jobs` processes), its self-check warnings
    filed (extract.reconcile). Raises InputError (one line naming the file and the problem)."""
    return read_report(path, settings, progress, patterns_file, jobs)[0]


def read_report(
    path: str | Path,
    settings: ExtractSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    patterns_file: str | Path | None = None,
    jobs: int = 1,
) -> tuple[Report, "Tally"]:
    """`parse_report`, with the tally of what was read (the summary line `hokoku ingest` prints)."""
    from .inputcheck import check_garbled_sample, corrupt, garbled_pages, raise_garbled, reading_pdf, require_text_layer
    from .layout import body_font_size, fewer_collections, layout_document
    from .ocr_repair import repair_report
    from .ocr_report import mark_ocr
    from .patterns import load_patterns
    from .reconcile import Evidence, page_lines, reconcile
    from .structure import build_structure

    s = settings or ExtractSettings()
    pats = load_patterns(patterns_file)
    path = Path(path)
    with reading_pdf(path) as pdf, fewer_collections(s):
        try:
            require_text_layer(pdf, path, ocr=s.ocr.mode != "off")
            if s.check_garbled:
                check_garbled_sample(pdf, path)
            pages = layout_document(pdf, s, progress, pats, jobs=jobs, path=str(path))
        except InputError:
            raise
        except Exception as e:  # a damaged object met while reading pages
            raise corrupt(path, e) from None
        n_pages = len(pdf.pages)
    if s.check_garbled:
        raise_garbled(path, garbled_pages([p.text for p in pages]))
    parsed = build_structure(pages, pats, s, body_font_size(pages))
    if not parsed.projects or not any(p.plan or p.check or p.goal for p in parsed.projects):
        raise InputError(path, not_a_report(parsed, n_pages))
    repeated = _repeated_projects(parsed.projects)
    if repeated:
        log.warning(REPEATED, path, len(repeated), "、".join(repeated[:3]))
    report = Report(
        source=Source(file=path.name, sha256=_sha256(path), pages=n_pages),
        report=parsed.info,
        article_opinions=parsed.article_opinions,
        projects=parsed.projects,
        chapters=parsed.chapters,
    )
    mark_ocr(report, [p.ocr for p in pages if p.ocr], s.ocr)
    repair_report(report, parsed.project_list, pats, s.ocr)
    evidence = Evidence(listing=parsed.project_list, list_pages=parsed.list_pages, lines=page_lines(pages),
                        printed={p.index: p.printed for p in pages})
    return report, reconcile(report, evidence, pats, s)


def not_a_report(parsed, n_pages: int) -> str:
    """What was seen, for a PDF that is not understood: labels, tables, where reading stopped."""
    labels = ", ".join(f"{k}×{n}" for k, n in sorted(parsed.labels_found.items())) or "none"
    return (f"{NOT_A_REPORT} — seen: section labels {labels}; {parsed.tables_found} tables; "
            f"{len(parsed.projects)} project titles; text up to page {parsed.last_page} of {n_pages}")


def _repeated_projects(projects) -> list[str]:
    """Names printed for more than one project unit: a PDF holding the report more than once
    (concatenated files) or a name the extractor could not tell apart."""
    seen: dict[tuple[str, str], int] = {}
    for p in projects:
        seen[(p.kind, p.name)] = seen.get((p.kind, p.name), 0) + 1
    return [name for (_, name), n in seen.items() if n > 1 and name]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
