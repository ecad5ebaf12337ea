"""Theme trends across reports: counts, shares, tests, recurring concerns, KPI series.

Takes the typed model (`Report`, `ThemeRecord`) and returns plain tables (DataFrames) that the
CSV/Parquet writers, the charts and the HTML view all read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency

from hokoku.extract.model import Report, ThemeRecord

from . import trends_labels as TL
from .project_match import ProjectMatcher

SIGNIFICANT = 1.96  # |adjusted residual| at the 5 % level
RESIDUAL_SCALE = 3.0  # the colour scale of residual heat maps is fixed at ±3
ALPHA = 0.05


@dataclass
class Trends:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    chi2: dict[str, float] = field(default_factory=dict)

    def chi2_sentence(self) -> str:
        """The χ² result in words, e.g. 「年度による偏りは有意ではない（χ² = 3.2、自由度 4、p = 0.52）」."""
        if not self.chi2:
            return TL.CHI2_NOT_TESTED
        p = self.chi2["p"]
        p_text = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
        template = TL.CHI2_SIGNIFICANT if p < ALPHA else TL.CHI2_NOT_SIGNIFICANT
        return template.format(chi2=self.chi2["chi2"], dof=self.chi2["dof"], p=p_text)


def evidence_items(rec: ThemeRecord) -> list[tuple[str, str, str | None]]:
    """(theme, evidence words, clause or None) of a record. An evidence item is a string, or an
    object with `text` and an optional `clause` (the clause the evidence was found in)."""
    out = []
    for theme, items in (rec.evidence or {}).items():
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict):
                out.append((str(theme), str(item.get("text") or ""), item.get("clause")))
            else:
                out.append((str(theme), str(item), None))
    return [e for e in out if e[1]]


def _records_frame(records: list[ThemeRecord], matcher: ProjectMatcher) -> pd.DataFrame:
    rows = [{"comment_id": i, "fiscal_year": r.fiscal_year, "project": r.project,
             "canonical": matcher.canonical(r.project) if r.project else None,
             "article": r.article, "kind": r.kind, "no": r.no, "text": r.text, "themes": list(r.themes)}
            for i, r in enumerate(records)]
    return pd.DataFrame(rows, columns=["comment_id", "fiscal_year", "project", "canonical", "article", "kind", "no",
                                       "text", "themes"])


def adjusted_residuals(table: np.ndarray) -> np.ndarray:
    """Haberman's adjusted residuals of a contingency table (≈ N(0, 1) under independence)."""
    n = table.sum()
    rows = table.sum(axis=1, keepdims=True)
    cols = table.sum(axis=0, keepdims=True)
    expected = rows @ cols / n
    with np.errstate(divide="ignore", invalid="ignore"):
        res = (table - expected) / np.sqrt(expected * (1 - rows / n) * (1 - cols / n))
    return np.nan_to_num(res)


def compute(reports: list[Report], records: list[ThemeRecord], labels: dict[str, str],
            matcher: ProjectMatcher | None = None) -> Trends:
    matcher = matcher or ProjectMatcher()
    out = Trends()
    df = _records_frame(records, matcher)
    themes = list(labels)
    years = sorted({r.report.fiscal_year for r in reports if r.report.fiscal_year is not None})
    long = df.explode("themes").dropna(subset=["themes"]).rename(columns={"themes": "theme"})

    # theme × year counts and shares (share of that year's comments raising the theme)
    totals = df.groupby("fiscal_year").size()
    ty = long.groupby(["fiscal_year", "theme"]).size().reindex(
        pd.MultiIndex.from_product([years, themes], names=["fiscal_year", "theme"]), fill_value=0)
    theme_year = ty.rename("count").reset_index()
    theme_year["label"] = theme_year["theme"].map(labels)
    theme_year["comments"] = theme_year["fiscal_year"].map(totals).fillna(0).astype(int)
    theme_year["share"] = (theme_year["count"] / theme_year["comments"].where(theme_year["comments"] > 0)).round(4)
    out.tables["theme_year"] = theme_year

    # chi-square on the theme × year table with adjusted residuals (which themes rose or fell)
    cross = ty.unstack("fiscal_year").reindex(themes)
    used = cross[cross.sum(axis=1) > 0]
    if used.shape[0] >= 2 and used.shape[1] >= 2:
        chi2, p, dof, _ = chi2_contingency(used.values)
        out.chi2 = {"chi2": round(float(chi2), 4), "p": round(float(p), 6), "dof": int(dof)}
        res = pd.DataFrame(adjusted_residuals(used.values.astype(float)), index=used.index, columns=used.columns)
        resid = res.stack().rename("adjusted_residual").reset_index()
        resid["count"] = [int(used.loc[t, y]) for t, y in zip(resid["theme"], resid["fiscal_year"])]
        resid["label"] = resid["theme"].map(labels)
        resid["significant"] = resid["adjusted_residual"].abs() >= SIGNIFICANT
        out.tables["theme_year_residuals"] = resid.round({"adjusted_residual": 3})

    # theme × article
    ta = long.groupby(["article", "theme"]).size().rename("count").reset_index()
    ta["label"] = ta["theme"].map(labels)
    out.tables["theme_article"] = ta

    # co-occurrence: comments raising both themes
    co = {(a, b): 0 for a in themes for b in themes}
    for ts in df["themes"]:
        known = sorted(set(ts) & set(themes))
        for a, b in combinations(known, 2):
            co[(a, b)] += 1
            co[(b, a)] += 1
        for a in known:
            co[(a, a)] += 1
    out.tables["cooccurrence"] = pd.DataFrame(
        [[co[(a, b)] for b in themes] for a in themes], index=themes, columns=themes).rename_axis("theme").reset_index()

    # per-project theme history and recurring concerns
    checks = df[df["kind"] == "check"]
    hist = (checks.explode("themes").dropna(subset=["themes"])
            .groupby(["canonical", "fiscal_year"])["themes"].apply(lambda s: " ".join(sorted(set(s))))
            .rename("themes").reset_index())
    names = checks.groupby(["canonical", "fiscal_year"])["project"].first().rename("project").reset_index()
    out.tables["project_history"] = names.merge(hist, on=["canonical", "fiscal_year"], how="left").fillna({"themes": ""})
    out.tables["recurring"] = _recurring(reports, checks, labels, matcher)
    out.tables["kpi_series"] = _kpi_series(reports, matcher)
    return out


def _answered(reports: list[Report], matcher: ProjectMatcher) -> set[tuple[int, str, int]]:
    """(fiscal_year, canonical project, check no) of every Check an Action answers."""
    done = set()
    for rep in reports:
        for p in rep.projects:
            canon = matcher.canonical(p.name)
            for c in p.check:
                if p.actions_answering(c.no):
                    done.add((rep.report.fiscal_year, canon, c.no))
    return done


def _recurring(reports: list[Report], checks: pd.DataFrame, labels: dict[str, str],
               matcher: ProjectMatcher) -> pd.DataFrame:
    """A theme raised for the same project in consecutive years, and whether Actions answered it."""
    answered = _answered(reports, matcher)
    ex = checks.explode("themes").dropna(subset=["themes"])
    rows = []
    for (canon, theme), g in ex.groupby(["canonical", "themes"]):
        years = sorted(set(g["fiscal_year"]))
        for y0, y1 in zip(years, years[1:]):
            if y1 != y0 + 1:
                continue
            later = g[g["fiscal_year"] == y1]
            responded = all((y1, canon, n) in answered for n in later["no"])
            rows.append({"canonical": canon, "theme": theme, "label": labels.get(theme, theme), "from_year": y0,
                         "to_year": y1, "checks": " / ".join(later["text"].str.slice(0, 40)), "responded": responded})
    return pd.DataFrame(rows, columns=["canonical", "theme", "label", "from_year", "to_year", "checks", "responded"])


def _kpi_series(reports: list[Report], matcher: ProjectMatcher) -> pd.DataFrame:
    """One row per project × indicator × year; a later report's figure wins (it reports actuals).
    `page` and `source` say where the winning figure is printed."""
    rows = {}
    for rep in sorted(reports, key=lambda r: r.report.fiscal_year or 0):
        for p in rep.projects:
            canon = matcher.canonical(p.name)
            for ind in p.indicators:
                for v in ind.values:
                    t, a = v.target, v.actual
                    prov = v.provenance or ind.provenance
                    rows[(canon, ind.name, v.fiscal_year)] = {
                        "canonical": canon, "indicator": ind.name, "unit": ind.unit, "year": v.fiscal_year,
                        "target": t, "actual": a,
                        "achievement_rate": round(a / t, 4) if isinstance(a, (int, float)) and t else None,
                        "reported_in": rep.report.fiscal_year, "source": rep.source.file,
                        "page": prov.page if prov else None}
    return pd.DataFrame(list(rows.values()),
                        columns=["canonical", "indicator", "unit", "year", "target", "actual", "achievement_rate",
                                 "reported_in", "source", "page"])
