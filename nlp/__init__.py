"""nlp: classify council verification comments by theme (GiNZA), with evidence.

Entry points: `classify_reports` (report.json dicts → contract records) and
`classify_texts` (plain strings).
"""
from __future__ import annotations

from .classifier import Classifier, Result
from .taxonomy import Taxonomy, load_taxonomy

__all__ = ["classify_reports", "classify_texts", "comments_of", "load_taxonomy", "Taxonomy", "Result"]


def comments_of(source: str, report: dict) -> list[dict]:
    """Every verification comment of a report.json: project Check items, then article opinions."""
    fy = (report.get("report") or {}).get("fiscal_year")
    out = []
    for p in report.get("projects", []):
        for c in p.get("check", []):
            out.append({"fiscal_year": fy, "source": source, "project": p.get("name"), "article": p.get("article"),
                        "kind": "check", "no": c.get("no"), "text": c.get("text", "")})
    for op in report.get("article_opinions", []):
        for i, text in enumerate(op.get("opinions", []), start=1):
            out.append({"fiscal_year": fy, "source": source, "project": None, "article": op.get("article"),
                        "kind": "article_opinion", "no": i, "text": text})
    return out


def classify_texts(texts: list[str], taxonomy: Taxonomy | None = None, baseline: bool = False, progress=None) -> list[Result]:
    return Classifier(taxonomy or load_taxonomy(), baseline=baseline).classify(texts, progress=progress)


def classify_reports(reports: list[tuple[str, dict]], taxonomy: Taxonomy | None = None, baseline: bool = False,
                     progress=None) -> list[dict]:
    """Contract records (see spec "Themes output") for every comment of every report."""
    records = [c for source, rep in reports for c in comments_of(source, rep)]
    results = classify_texts([r["text"] for r in records], taxonomy, baseline, progress)
    for rec, res in zip(records, results):
        rec["themes"] = res.themes
        rec["evidence"] = res.evidence
        rec["scores"] = {k: v for k, v in res.scores.items()}
    return records
