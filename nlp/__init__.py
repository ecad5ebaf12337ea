"""nlp: classify council verification comments by theme, with evidence and clause roles.

Entry points: `classify_reports` (Reports → ThemeRecords) and `classify_texts` (plain strings).
"""
from __future__ import annotations

from typing import Any

from hokoku.extract.model import Report, ThemeRecord, iter_comments

from .classifier import Classifier, Result
from .lexer import encodable
from .taxonomy import Taxonomy, load_taxonomy

__all__ = ["classify_reports", "classify_texts", "load_taxonomy", "Taxonomy", "Result"]


def classify_texts(texts: list[str], taxonomy: Taxonomy | None = None, baseline: bool = False, progress=None) -> list[Result]:
    return Classifier(taxonomy or load_taxonomy(), baseline=baseline).classify(texts, progress=progress)


def classify_reports(reports: list[tuple[str, Report | dict[str, Any]]], taxonomy: Taxonomy | None = None,
                     baseline: bool = False, progress=None) -> list[ThemeRecord]:
    """One ThemeRecord (contract "Themes output") per comment of every report, in order; texts
    are made encodable (lone surrogates, NUL) so every writer can save them. A report may also
    be given as its report.json object (read through the model)."""
    records: list[ThemeRecord] = []
    for source, rep in reports:
        report = rep if isinstance(rep, Report) else Report.from_dict(rep)
        for c in iter_comments(report):
            records.append(ThemeRecord(fiscal_year=report.report.fiscal_year, source=source, project=c.project,
                                       article=c.article, kind=c.kind, no=c.no, text=encodable(c.text),
                                       page=c.provenance.page if c.provenance else None))
    results = classify_texts([r.text for r in records], taxonomy, baseline, progress)
    for rec, res in zip(records, results):
        rec.themes = res.themes
        rec.evidence = res.evidence
        rec.scores = res.scores
        rec.detail = res.detail()
    return records
