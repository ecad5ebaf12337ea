"""The data a draft template sees: next year's draft computed from last year's Report.

Years are advanced (FY N → N+1), last year's next-year plan becomes this year's Plan, KPI
rows keep last year's target/actual, Check items come paired with the Actions that
answered them (and their themes when given), and chapters outside the projects are kept
as printed, in the report's order and with its titles (the report's year advanced), with a
【要修正】 flag where the marking policy (policy.py) says they change next year. The report's
warnings go where they concern: a project, a chapter (by page), or the report. Only plain
dicts, lists and strings go to Jinja, all text cleaned of characters Word cannot store.
"""
from __future__ import annotations

import re
from typing import Any

from hokoku.extract.era import fiscal_year_label, shift_era_years, to_era
from hokoku.extract.model import Chapter, Indicator, Project, ReadWarning, Report, Table, ThemeRecord
from hokoku.extract.normalize import CIRCLED

from . import labels as L
from .policy import policy

NUMBER_MARK = {n: c for c, n in CIRCLED.items()}  # 1 → ①, as the report prints item numbers
# Characters XML 1.0 cannot hold (NUL, C0 controls but tab/newline) and lone surrogates.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: Any) -> str:
    """Text Word can store: unstorable characters become U+FFFD, newlines a space."""
    return UNSTORABLE.sub("\ufffd", str(text)).replace("\r\n", " ").replace("\n", " ")


def kpi_year(western: int) -> str:
    era = to_era(western)
    return L.KPI_YEAR.format(short=f"{L.ERA_SHORT.get(era.era, era.era)}{era.year}", western=western)


def confirm_note(w: ReadWarning) -> str:
    """A warning as the draft prints it after 【要確認】: its message and the page it concerns."""
    return clean(w.message + (L.CONFIRM_PAGE.format(page=w.page) if w.page else ""))


class _Warnings:
    """The report's warnings by the place they concern: a project, else a chapter holding their page, else the report."""

    def __init__(self, report: Report):
        names = {p.name for p in report.projects}
        self.projects: dict[str, list[str]] = {}
        for p in report.projects:  # a name printed twice (the report held twice) shares its notes
            self.projects.setdefault(p.name, []).extend(confirm_note(w) for w in p.warnings)
        self.chapters: dict[int, list[str]] = {}
        self.report: list[str] = []
        for w in report.warnings:
            chapter = next((i for i, c in enumerate(report.chapters) if w.page in c.pages), None)
            if w.project in names:
                self.projects[w.project].append(confirm_note(w))
            elif chapter is not None:
                self.chapters.setdefault(chapter, []).append(confirm_note(w))
            else:
                self.report.append(confirm_note(w))


def _chapter_table(t: Table, fy0: int) -> dict | None:
    rows = [[clean(c) for c in r] for r in t.rows]
    header = [clean(h) for h in t.header] or (rows.pop(0) if rows else [])
    if not header:
        return None
    width = len(header)
    rows = [(r + [""] * width)[:width] for r in rows]
    return {"title": clean(t.title or ""), "header": header, "rows": rows, "revise": bool(policy().table_reasons(t, fy0))}


def chapter_title(ch: Chapter, fy0: int) -> str:
    """The chapter's printed title with the report's year advanced (令和3（2021）年度の実施状況 → 令和4（2022）年度…)."""
    return clean(policy().advance(ch.title, fy0))


def _chapter(ch: Chapter, fy0: int, warnings: list[str]) -> dict:
    paragraphs = [clean(p) for p in ch.paragraphs]
    return {"title": chapter_title(ch, fy0),
            "paragraphs": [{"text": p, "revise": bool(policy().reasons(p, fy0))} for p in paragraphs],
            "tables": [t for t in (_chapter_table(t, fy0) for t in ch.tables) if t],
            "warnings": warnings}


def _holds_projects(ch: Chapter) -> bool:
    """A chapter that lists the projects (施策一覧, 主な検証意見): the projects follow under its heading."""
    return any(t.kind in policy().yearly_kinds for t in ch.tables)


def _indicator(ind: Indicator, fy0: int) -> dict:
    old = next((v for v in ind.values if v.fiscal_year == fy0), None)
    return {"name": clean(ind.name), "unit_suffix": f" ({clean(ind.unit)})" if ind.unit else "",
            "target": clean(old.target_text) if old and old.target_text else L.NO_VALUE,
            "actual": clean(old.actual_text) if old and old.actual_text else L.NO_VALUE}


class _Themes:
    """Theme labels of last year's Check items, by (project, no)."""

    def __init__(self, records: list[ThemeRecord], fy0: int, labels: dict[str, str]):
        self.by_item = {(r.project, r.no): r.themes for r in records
                        if r.kind == "check" and r.fiscal_year in (None, fy0)}
        self.labels = labels

    def of(self, project: str, no: int) -> str:
        return L.LIST_SEP.join(clean(self.labels.get(t, t)) for t in self.by_item.get((project, no), []))


def _project(p: Project, fy0: int, themes: _Themes, warnings: _Warnings) -> dict:
    return {
        "name": clean(p.name), "goal": clean(p.goal) if p.goal else "",
        "warnings": warnings.projects.get(p.name, []),
        "plan": [clean(x) for x in p.next_plan],  # last year's plan for next year is this year's Plan
        "next_plan": [clean(x) for x in p.next_plan],
        "activities": [clean(x) for x in p.activities],
        "indicators": [_indicator(i, fy0) for i in p.indicators if not i.reference],
        "checks": [{"label": f"{NUMBER_MARK.get(c.no, c.no)}{clean(c.text)}", "themes": themes.of(p.name, c.no),
                    "actions": [clean(a.text) for a in p.actions_answering(c.no)]} for c in p.check],
    }


def _grouped(projects: list[Project], policies: dict[int | None, str], fy0: int, themes: _Themes,
             warnings: _Warnings) -> list[dict]:
    """Consecutive projects of one article under one heading, in printed order."""
    groups: list[dict] = []
    for p in projects:
        if not groups or groups[-1]["no"] != p.article:
            groups.append({"no": p.article, "policy": clean(policies.get(p.article, "")), "projects": []})
        groups[-1]["projects"].append(_project(p, fy0, themes, warnings))
    return groups


def draft_context(report: Report, themes: list[ThemeRecord] | None = None,
                  theme_labels: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything the template's tags name, for the FY N+1 draft of FY N `report`."""
    fy0 = report.report.fiscal_year
    fy = fy0 + 1
    tm = _Themes(themes or [], fy0, theme_labels or {})
    policies = {o.article: o.policy for o in report.article_opinions}
    verified = [p for p in report.projects if p.kind == "verified"]
    others = [p for p in report.projects if p.kind == "other"]
    published = report.report.published
    warn = _Warnings(report)
    chapters = [(c, _chapter(c, fy0, warn.chapters.get(i, []))) for i, c in enumerate(report.chapters)]
    front = [c for c in report.chapters if c.position != "back"]
    return {
        "fy_label": fiscal_year_label(fy), "fy0_label": fiscal_year_label(fy0), "fy_next_label": fiscal_year_label(fy + 1),
        "title": clean(report.report.title), "organisation": clean(report.report.organisation or ""),
        "published": clean(shift_era_years(published, 1)) if published else "",
        "kpi_year0": kpi_year(fy0), "kpi_year1": kpi_year(fy),
        "front_chapters": [d for c, d in chapters if c.position != "back"],
        "back_chapters": [d for c, d in chapters if c.position == "back"],
        "projects_chapter": bool(front) and _holds_projects(front[-1]),  # no part heading of our own then
        "report_warnings": warn.report,
        "articles": _grouped(verified, policies, fy0, tm, warn),
        "others": _grouped(others, policies, fy0, tm, warn),
    }
