"""Flat tables of a report (`Report.to_frames()`): one DataFrame per table, stable ASCII column names."""
from __future__ import annotations

import pandas as pd

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Report

LIST_SEP = "\n"  # list fields (plan items …) joined one per line: readable in an Excel cell
NUM_SEP = ","  # number lists (answers, pages): "1,2,3"


def _page(item) -> int | None:
    return item.provenance.page if item.provenance else None


def flat_tables(report: Report) -> dict[str, pd.DataFrame]:
    """projects, indicators, comments, actions, article_opinions as DataFrames (nullable dtypes)."""
    fy = report.report.fiscal_year
    src = report.source.file
    projects, indicators, comments, actions, opinions = [], [], [], [], []
    for n, p in enumerate(report.projects, start=1):
        projects.append({
            "fiscal_year": fy, "project_no": n, "name": p.name, "article": p.article, "kind": p.kind,
            "pages": NUM_SEP.join(map(str, p.pages)), "goal": p.goal,
            "plan": LIST_SEP.join(p.plan), "activities": LIST_SEP.join(p.activities),
            "results": LIST_SEP.join(p.results), "achievements": LIST_SEP.join(p.achievements),
            "challenges": LIST_SEP.join(p.challenges), "next_plan": LIST_SEP.join(p.next_plan),
            "n_check": len(p.check), "n_action": len(p.action), "page": _page(p), "source": src,
        })
        for ind in p.indicators:
            for v in ind.values:
                rate = (v.actual / v.target) if isinstance(v.actual, (int, float)) and v.target else None
                indicators.append({
                    "fiscal_year": fy, "project": p.name, "article": p.article, "indicator": ind.name,
                    "unit": ind.unit, "reference": ind.reference, "year": v.fiscal_year,
                    "target": v.target, "actual": v.actual, "target_text": v.target_text,
                    "actual_text": v.actual_text, "achievement_rate": round(rate, 4) if rate is not None else None,
                    "page": v.provenance.page if v.provenance else _page(ind), "source": src,
                })
        for c in p.check:
            comments.append({"fiscal_year": fy, "project": p.name, "article": p.article, "no": c.no,
                             "text": c.text, "page": _page(c), "source": src})
        for a in p.action:
            actions.append({"fiscal_year": fy, "project": p.name, "article": p.article, "no": a.no,
                            "answers": NUM_SEP.join(map(str, a.answers)), "text": a.text, "page": _page(a),
                            "source": src})
    for op in report.article_opinions:
        for i, text in enumerate(op.opinions, start=1):
            opinions.append({"fiscal_year": fy, "article": op.article, "policy": op.policy, "no": i,
                             "text": text, "page": _page(op), "source": src})
    frames = {
        "projects": projects, "indicators": indicators, "comments": comments,
        "actions": actions, "article_opinions": opinions,
    }
    columns = {
        "projects": ["fiscal_year", "project_no", "name", "article", "kind", "pages", "goal", "plan", "activities",
                     "results", "achievements", "challenges", "next_plan", "n_check", "n_action", "page", "source"],
        "indicators": ["fiscal_year", "project", "article", "indicator", "unit", "reference", "year", "target",
                       "actual", "target_text", "actual_text", "achievement_rate", "page", "source"],
        "comments": ["fiscal_year", "project", "article", "no", "text", "page", "source"],
        "actions": ["fiscal_year", "project", "article", "no", "answers", "text", "page", "source"],
        "article_opinions": ["fiscal_year", "article", "policy", "no", "text", "page", "source"],
    }
    out = {}
    for name, rows in frames.items():
        df = pd.DataFrame(rows, columns=columns[name])
        for col in ("article", "page", "fiscal_year", "no", "year"):
            if col in df:
                df[col] = df[col].astype("Int64")
        for col in ("target", "actual", "achievement_rate"):
            if col in df:
                df[col] = df[col].astype("Float64")
        out[name] = df
    return out
