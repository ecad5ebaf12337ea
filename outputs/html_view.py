"""The analyst's page: one self-contained, offline HTML file (Plotly's JS inlined from the plotly
package, no CDN) rendered by Jinja2 with autoescaping — every field, numbers and ids included,
goes through that one escaping path. Chart data is embedded as JSON with `tojson` (HTML-safe).

The page shows theme × year shares (hover counts), the residual heat map on a fixed ±3 scale,
a comment table filtered by theme chips, year, article, project and a width/case-folding search,
evidence marked in its theme's colour, and per project the Check → Action pairs across years,
recurring concerns and the KPI series. Every comment and KPI value links to `file.pdf#page=N`.
"""
from __future__ import annotations

import html
import json
import unicodedata
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import jinja2
import pandas as pd

from hokoku.extract.era import fiscal_year_label
from hokoku.extract.model import Report, ThemeRecord, iter_comments

from . import trends_labels as TL
from .atomic import write_text
from .charts import residual_colour
from .project_match import ProjectMatcher
from .themes_io import not_counted, reason_text
from .trends import SIGNIFICANT, Trends, evidence_items

TEMPLATES = "hokoku.outputs.templates_html"
TEMPLATE = "index.html.j2"
# Theme colours (solid for chips, light for evidence marks), by taxonomy order; repeats after 12.
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#393b79", "#637939"]
UNKNOWN_COLOUR = "#999999"
MARK_ALPHA = "40"  # hex alpha appended to a theme colour for its evidence background
MISSING = "—"
BAR_PX = 11  # height of one bar in the shares chart


def fold(text: str) -> str:
    """Search key: NFKC (full/half width) + casefold. The page's JS does the same to the query."""
    return unicodedata.normalize("NFKC", text).casefold()


def year_label(fy: Any) -> str:
    """2021 → '令和3年度（2021）'; anything else is shown as given (escaped by the template)."""
    if isinstance(fy, int) and not isinstance(fy, bool):
        return f"{fiscal_year_label(fy)}（{fy}）"
    return MISSING if fy is None else str(fy)


@dataclass
class ThemeView:
    id: str
    label: str
    colour: str
    count: int = 0


@dataclass
class Segment:
    text: str
    theme: ThemeView | None = None
    clause: str | None = None


@dataclass
class Link:
    href: str  # relative to the HTML, page fragment included
    label: str  # the PDF's file name and the page
    report: str  # the report in full (shown on hover)


@dataclass
class CommentRow:
    year: Any
    year_label: str
    where: str
    project_key: str
    article: Any
    kind: Any
    kind_label: str
    no: Any
    segments: list[Segment]
    themes: list[ThemeView]
    themes_json: str
    fold: str
    link: Link | None
    clauses: list[tuple[ThemeView, str]] = field(default_factory=list)
    not_counted: list[str] = field(default_factory=list)  # 「立地（立地・拠点・施設／別の意味: …）」: did not count, why


@dataclass
class Pair:
    no: int
    segments: list[Segment]
    themes: list[ThemeView]
    link: Link | None
    actions: list[tuple[int, str, Link | None]]


@dataclass
class KpiRow:
    year_label: str
    target: str
    actual: str
    rate: str
    link: Link | None


@dataclass
class KpiView:
    indicator: str
    unit: str
    rows: list[KpiRow]
    chart: dict


@dataclass
class ProjectView:
    anchor: str
    name: str
    years: list[tuple[str, str, list[Pair]]]  # (year label, name as printed, pairs)
    recurring: list[dict]
    kpis: list[KpiView]


@dataclass
class ReportRef:
    """One source report: its label, and the PDF's path relative to the HTML (already URL-quoted)."""

    fiscal_year: Any
    label: str  # the report in full: year, title, file
    file: str
    pdf_href: str

    def link(self, page: int | None) -> Link:
        if page is None:
            return Link(self.pdf_href, f"{self.file} {TL.VIEW['no_page']}", self.label)
        return Link(f"{self.pdf_href}#page={int(page)}", f"{self.file} {TL.VIEW['page'].format(page=page)}", self.label)


def _env() -> jinja2.Environment:
    base = files(TEMPLATES)
    return jinja2.Environment(loader=jinja2.FunctionLoader(lambda name: base.joinpath(name).read_text(encoding="utf-8")),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _asset(name: str) -> str:
    return files(TEMPLATES).joinpath(name).read_text(encoding="utf-8")


def plotly_js() -> str:
    """plotly.min.js as shipped in the plotly wheel, safe to inline in a <script> element."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().replace("</script", "<\\/script")


def _theme_views(labels: dict[str, str], records: list[ThemeRecord]) -> dict[str, ThemeView]:
    views = {t: ThemeView(t, label, PALETTE[i % len(PALETTE)]) for i, (t, label) in enumerate(labels.items())}
    for r in records:
        for t in r.themes:
            views.setdefault(str(t), ThemeView(str(t), str(t), UNKNOWN_COLOUR)).count += 1
    return views


def _segments(text: str, evidence: list[tuple[str, str, str | None]], themes: dict[str, ThemeView]) -> list[Segment]:
    """Split `text` into plain and evidence segments; longer evidence wins where two overlap."""
    owner: list[tuple[str, str | None] | None] = [None] * len(text)
    for theme, word, clause in sorted(evidence, key=lambda e: -len(e[1])):
        start = text.find(word)
        while start >= 0:
            span = range(start, start + len(word))
            if all(owner[i] is None for i in span):
                for i in span:
                    owner[i] = (theme, clause)
            start = text.find(word, start + 1)
    segs: list[Segment] = []
    for ch, own in zip(text, owner):
        theme = themes.get(own[0]) if own else None
        clause = own[1] if own else None
        if segs and segs[-1].theme is theme and segs[-1].clause == clause:
            segs[-1].text += ch
        else:
            segs.append(Segment(ch, theme, clause))
    return segs


def _chart_text(s: str) -> str:
    """Plotly reads a small HTML subset in chart text; document text is given to it as entities."""
    return html.escape(s)


def _number(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return MISSING
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _rate(v: Any) -> str:
    return MISSING if v is None or pd.isna(v) else f"{v:.1%}"


def render(reports: list[Report], records: list[ThemeRecord], labels: dict[str, str], trends: Trends,
           refs: dict[Any, ReportRef], matcher: ProjectMatcher) -> str:
    """The whole page as a string. `refs` maps a fiscal year to its report's label and PDF path."""
    themes = _theme_views(labels, records)
    pages = {(rep.report.fiscal_year, c.kind, c.project, c.article, c.no): c.provenance.page
             for rep in reports for c in iter_comments(rep) if c.provenance}

    def link(fy: Any, page: int | None) -> Link | None:
        ref = refs.get(fy)
        return ref.link(page) if ref else None

    rows, by_check = [], {}
    for r in records:
        evidence = evidence_items(r)
        rec_themes = [themes[str(t)] for t in r.themes]
        where = r.project or (TL.VIEW["article_label"].format(article=r.article) if r.article is not None else MISSING)
        page = r.page if r.page is not None else pages.get((r.fiscal_year, r.kind, r.project, r.article, r.no))
        row = CommentRow(
            year=r.fiscal_year, year_label=year_label(r.fiscal_year), where=str(where),
            project_key=matcher.canonical(r.project) if r.project else "", article=r.article, kind=r.kind,
            kind_label=TL.KIND.get(r.kind, str(r.kind)), no=r.no, segments=_segments(str(r.text), evidence, themes),
            themes=rec_themes, themes_json=json.dumps([t.id for t in rec_themes], ensure_ascii=False),
            fold=fold(f"{r.text} {where}"),
            link=link(r.fiscal_year, page),
            clauses=[(themes[t], c) for t, _, c in evidence if c and t in themes],
            not_counted=[f"{d['text']}（{labels.get(t, t)}／{reason_text(d)}）" for t, d in not_counted(r)])
        rows.append(row)
        if r.kind == "check":
            by_check[(r.fiscal_year, r.project, r.no)] = row

    years = sorted({r.report.fiscal_year for r in reports if r.report.fiscal_year is not None})
    ctx = {
        "L": TL.VIEW,
        "title": TL.PAGE_TITLE,
        "years": [(y, year_label(y)) for y in years],
        "range": TL.VIEW["years_range"].format(first=year_label(years[0]), last=year_label(years[-1])) if years else "",
        "refs": [refs[y] for y in years if y in refs],
        "chi2_sentence": trends.chi2_sentence(),
        "themes": list(themes.values()),
        "rows": rows,
        "articles": sorted({r.article for r in records if isinstance(r.article, int)}),
        "projects": _projects(reports, by_check, themes, trends, matcher, link),
        "residuals": _residual_table(trends, years),
        "charts": {"shares": _shares_chart(trends.tables["theme_year"], themes, years)},
        "css": _asset("view.css"),
        "js": _asset("view.js"),
        "plotly_js": plotly_js(),
    }
    for p in ctx["projects"]:
        for j, k in enumerate(p.kpis):
            ctx["charts"][f"kpi-{p.anchor}-{j}"] = k.chart
    return _env().get_template(TEMPLATE).render(**ctx)


def _shares_chart(theme_year: pd.DataFrame, themes: dict[str, ThemeView], years: list[int]) -> dict:
    """Plotly figure: per year, a horizontal bar per theme (share), hover shows the counts."""
    traces = []
    for y in years:
        sub = theme_year[theme_year["fiscal_year"] == y]
        traces.append({
            "type": "bar", "orientation": "h", "name": year_label(y),
            "x": [float(s) if pd.notna(s) else 0.0 for s in sub["share"]],
            "y": [_chart_text(themes[t].label) for t in sub["theme"]],
            "customdata": [[int(c), f"{(s if pd.notna(s) else 0):.1%}", int(n)]
                           for c, s, n in zip(sub["count"], sub["share"], sub["comments"])],
            "hovertemplate": TL.HOVER_SHARE + "<extra></extra>",
        })
    n = max(len(themes), 1)
    return {"data": traces, "layout": {
        "barmode": "group", "height": 120 + BAR_PX * n * max(len(years), 1),
        "margin": {"l": 150, "r": 20, "t": 10, "b": 40},
        "xaxis": {"title": {"text": TL.AXIS_SHARE}, "tickformat": ".0%"},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "legend": {"orientation": "h", "y": -0.12},
    }}


def _residual_table(trends: Trends, years: list[int]) -> dict | None:
    """Rows of (label, [(value, colour, significant)]) on the fixed ±3 colour scale."""
    resid = trends.tables.get("theme_year_residuals")
    if resid is None or resid.empty:
        return None
    cols = [y for y in years if y in set(resid["fiscal_year"])]
    body = []
    for label, g in resid.groupby("label", sort=False):
        by_year = dict(zip(g["fiscal_year"], zip(g["adjusted_residual"], g["count"])))
        cells = []
        for y in cols:
            r, count = by_year.get(y, (0.0, 0))
            cells.append({"value": f"{r:+.2f}", "count": int(count), "colour": residual_colour(r),
                          "significant": abs(r) >= SIGNIFICANT})
        body.append({"label": label, "cells": cells})
    return {"years": [year_label(y) for y in cols], "rows": body}


def _projects(reports: list[Report], by_check: dict, themes: dict[str, ThemeView], trends: Trends,
              matcher: ProjectMatcher, link) -> list[ProjectView]:
    entries: dict[str, list[tuple[Any, Any]]] = {}
    for rep in sorted(reports, key=lambda r: r.report.fiscal_year or 0):
        for p in rep.projects:
            if p.check or p.indicators:
                entries.setdefault(matcher.canonical(p.name), []).append((rep.report.fiscal_year, p))
    recurring = trends.tables["recurring"]
    kpi = trends.tables["kpi_series"]
    out = []
    for i, (canon, items) in enumerate(entries.items()):
        years = []
        for fy, p in items:
            pairs = []
            for c in p.check:
                row = by_check.get((fy, p.name, c.no))
                acts = [(a.no, a.text, link(fy, a.provenance.page if a.provenance else None))
                        for a in p.actions_answering(c.no)]
                pairs.append(Pair(c.no, row.segments if row else [Segment(c.text)], row.themes if row else [],
                                  row.link if row else link(fy, c.provenance.page if c.provenance else None), acts))
            if pairs:
                years.append((year_label(fy), p.name, pairs))
        rec = recurring[recurring["canonical"] == canon]
        rec_rows = [{"label": r.label, "theme": themes.get(r.theme), "from": year_label(int(r.from_year)),
                     "to": year_label(int(r.to_year)), "responded": bool(r.responded)} for r in rec.itertuples()]
        out.append(ProjectView(f"p{i + 1}", canon, years, rec_rows, _kpis(kpi[kpi["canonical"] == canon], link)))
    return out


def _kpis(kpi: pd.DataFrame, link) -> list[KpiView]:
    out = []
    for (name, unit), g in kpi.groupby(["indicator", kpi["unit"].fillna("")], sort=False):
        g = g.sort_values("year")
        rows = [KpiRow(year_label(int(r.year)), _number(r.target), _number(r.actual), _rate(r.achievement_rate),
                       link(r.reported_in, None if pd.isna(r.page) else int(r.page))) for r in g.itertuples()]
        labels = [year_label(int(y)) for y in g["year"]]
        unit_text = _chart_text(str(unit))

        def series(col: str) -> list:
            return [None if pd.isna(v) else float(v) for v in g[col]]

        rates = [_rate(v) for v in g["achievement_rate"]]
        chart = {"data": [
            {"type": "bar", "name": TL.KPI_TRACE_TARGET, "x": labels, "y": series("target"),
             "hovertemplate": "%{x}<br>" + TL.KPI_TRACE_TARGET + " %{y:,}" + unit_text + "<extra></extra>"},
            {"type": "scatter", "mode": "lines+markers", "name": TL.KPI_TRACE_ACTUAL, "x": labels, "y": series("actual"),
             "customdata": rates,
             "hovertemplate": "%{x}<br>" + TL.KPI_TRACE_ACTUAL + " %{y:,}" + unit_text + "<br>" + TL.VIEW["kpi_rate"]
                              + " %{customdata}<extra></extra>"}],
            "layout": {"height": 220, "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
                       "legend": {"orientation": "h", "y": -0.25}, "yaxis": {"title": {"text": unit_text}}}}
        out.append(KpiView(str(name), str(unit), rows, chart))
    return out


def write(path, page: str):
    write_text(path, page)
    return path
