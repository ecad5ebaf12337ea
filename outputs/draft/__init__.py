"""Word draft of next year's report (FY N+1) from a parsed FY N report.json.

Staff finish the draft rather than rewrite it: years are advanced everywhere,
last year's plan becomes this year's Plan, KPI tables keep last year's target
and actual and mark the new year's cells, Do/Check/Action are marked empty
sections, and a box lists last year's Check items with the Actions that
answered them. Every place to fill carries a highlighted 【要記入】 mark.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_COLOR_INDEX, WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from hokoku.extract.era import fiscal_year_label, shift_era_years, to_era
from hokoku.extract.normalize import CIRCLED

from ..atomic import write_with
from . import labels as L
from .template import DEFAULT_TEMPLATE, add_field, add_page_number, ask_update_fields, has_page_field, open_template

__all__ = ["build_draft", "DraftSummary", "marks_table"]

NUMBER_MARK = {n: c for c, n in CIRCLED.items()}  # 1 → ①, as the report prints item numbers


@dataclass
class DraftSummary:
    fiscal_year: int
    marks: dict[str, int] = field(default_factory=dict)  # project → number of 【要記入】 marks

    @property
    def total(self) -> int:
        return sum(self.marks.values())


class _Builder:
    def __init__(self, report: dict, template: Path, themes: list[dict] | None, theme_labels: dict[str, str]):
        self.src = report
        self.fy0 = report["report"]["fiscal_year"]
        self.fy = self.fy0 + 1
        self.doc = open_template(template)
        self._clear_body()
        self.summary = DraftSummary(fiscal_year=self.fy)
        self.current: str | None = None
        self.themes = {(t.get("project"), t.get("no")): t for t in (themes or [])
                       if t.get("kind") == "check" and t.get("fiscal_year") in (None, self.fy0)}
        self.theme_labels = theme_labels

    def _clear_body(self) -> None:
        body = self.doc.element.body
        for el in list(body):
            if el.tag != qn("w:sectPr"):
                body.remove(el)

    # -------------------------------------------------------------- helpers

    def fyl(self, western: int) -> str:
        return fiscal_year_label(western)

    def mark(self, paragraph, text: str = L.MARK) -> None:
        run = paragraph.add_run(text)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        run.bold = True
        if self.current is not None:
            self.summary.marks[self.current] = self.summary.marks.get(self.current, 0) + 1

    def para(self, text: str = "", style: str | None = None, mark: bool = False, container=None):
        p = (container or self.doc).add_paragraph(style=style) if style else (container or self.doc).add_paragraph()
        if text:
            p.add_run(text)
        if mark:
            self.mark(p)
        return p

    def heading(self, text: str, level: int):
        return self.doc.add_heading(text, level=level)

    def items(self, items: list[str]) -> None:
        for it in items:
            self.para(L.BULLET + it)

    # -------------------------------------------------------------- parts

    def front(self) -> None:
        era = self.fyl(self.fy)
        self.doc.add_paragraph(era, style="Title")
        for line in L.TITLE_LINES:
            self.doc.add_paragraph(line, style="Title")
        pub = self.src["report"].get("published")
        p = self.para(shift_era_years(pub, 1) if pub else "")
        if not pub:
            self.mark(p)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.para(L.DRAFT_NOTE.format(mark=L.MARK))
        self.heading(L.TOC_HEADING, 1)
        add_field(self.para(), 'TOC \\o "1-2" \\h \\z \\u', L.TOC_HINT)
        ask_update_fields(self.doc)

    def header_footer(self) -> None:
        sec = self.doc.sections[0]
        hp = sec.header.paragraphs[0] if sec.header.paragraphs else sec.header.add_paragraph()
        hp.text = L.RUNNING_HEADER.format(fy=self.fyl(self.fy))
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if not has_page_field(sec.footer):  # a user template may already number its pages
            add_page_number(sec.footer)

    def kpi_table(self, ind: dict) -> None:
        years = [self.fy0, self.fy]
        unit = ind.get("unit")
        head = [""] + [L.KPI_YEAR.format(short=self._short(y), western=y) for y in years]
        by_year = {v["fiscal_year"]: v for v in ind.get("values", [])}
        t = self.doc.add_table(rows=3, cols=3)
        t.style = self.doc.styles["KPI Table"]
        for j, h in enumerate(head):
            t.cell(0, j).text = h
        for i, (label, key) in enumerate(((L.KPI_ROW_TARGET, "target_text"), (L.KPI_ROW_ACTUAL, "actual_text")), start=1):
            t.cell(i, 0).text = f"{label} ({unit})" if unit else label
            old = by_year.get(self.fy0)
            t.cell(i, 1).text = old[key] if old and old.get(key) else "-"
            cell = t.cell(i, 2)
            cell.text = ""
            self.mark(cell.paragraphs[0])
        for row in t.rows[:-1]:  # Word keeps a table on one page when every row but the last keeps with next
            for cell in row.cells:
                for par in cell.paragraphs:
                    par.paragraph_format.keep_with_next = True
        self.para()

    def _short(self, western: int) -> str:
        era = to_era(western)
        return f"{L.ERA_SHORT.get(era.era, era.era)}{era.year}"

    def follow_up(self, p: dict) -> None:
        self.heading(L.FOLLOW_UP, 3)
        checks = p.get("check", [])
        if not checks:
            self.para(L.NO_CHECK)
            return
        t = self.doc.add_table(rows=1, cols=2)
        t.style = self.doc.styles["KPI Table"]
        a, b = L.FOLLOW_UP_HEAD
        t.cell(0, 0).text = a.format(fy=self.fyl(self.fy0))
        t.cell(0, 1).text = b
        for c in checks:
            row = t.add_row().cells
            row[0].text = f"{NUMBER_MARK.get(c['no'], c['no'])}{c['text']}"
            rec = self.themes.get((p["name"], c["no"]))
            if rec and rec.get("themes"):
                lab = L.LIST_SEP.join(self.theme_labels.get(x, x) for x in rec["themes"])
                row[0].add_paragraph(L.THEMES_PREFIX + lab)
            answers = [x for x in p.get("action", []) if c["no"] in x.get("answers", [x.get("no")])]
            row[1].text = "\n".join(x["text"] for x in answers) if answers else ""
        self.para()

    def project(self, p: dict) -> None:
        self.current = p["name"]
        self.summary.marks.setdefault(p["name"], 0)
        self.heading(p["name"], 2)
        if p.get("goal") is not None:
            self.heading(L.GOAL, 3)
            self.para(p["goal"])
        self.heading(L.PLAN, 3)
        if p.get("next_plan"):
            self.items(p["next_plan"])
        else:
            self.para(mark=True)
        if p.get("activities"):
            self.heading(L.ACTIVITIES, 3)
            self.items(p["activities"])
        if p.get("indicators"):
            self.heading(L.INDICATORS, 3)
            for ind in p["indicators"]:
                self.para(L.INDICATOR_PREFIX + ind["name"]).paragraph_format.keep_with_next = True
                self.kpi_table(ind)
        self.heading(L.DO, 3)
        self.para(L.RESULTS.format(fy=self.fyl(self.fy)))
        self.para(mark=True)
        self.follow_up(p)
        self.heading(L.CHECK, 3)
        self.para(mark=True)
        self.heading(L.ACTION.format(fy=self.fyl(self.fy + 1)), 3)
        self.para(mark=True)
        self.heading(L.NEXT_PLAN.format(fy=self.fyl(self.fy + 1)), 3)
        self.para(mark=True)

    def other(self, projects: list[dict], policies: dict[int, str]) -> None:
        self.heading(L.OTHER_PART, 1)
        article = None
        for p in projects:
            if p.get("article") != article:
                article = p.get("article")
                if article is not None:
                    self.heading(L.OTHER_ARTICLE.format(no=article, policy=policies.get(article, "")), 2)
            self.current = p["name"]
            self.summary.marks.setdefault(p["name"], 0)
            t = self.doc.add_table(rows=3, cols=2)
            t.style = self.doc.styles["KPI Table"]
            name = t.cell(0, 0).merge(t.cell(0, 1))
            name.text = p["name"]
            t.cell(1, 0).text = L.OVERVIEW.format(fy=self.fyl(self.fy + 1))
            t.cell(1, 1).text = L.OVERVIEW_RESULTS.format(fy=self.fyl(self.fy))
            left = t.cell(2, 0)
            left.text = ""
            self.mark(left.paragraphs[0])
            right = t.cell(2, 1)
            right.text = ""
            first = right.paragraphs[0]
            self.mark(first, L.REVISE)
            first.add_run(L.SEEDED)
            for item in p.get("next_plan", []):
                right.add_paragraph(L.BULLET + item)
            self.para()

    def build(self) -> DraftSummary:
        self.header_footer()
        self.front()
        policies = {o["article"]: o["policy"] for o in self.src.get("article_opinions", [])}
        verified = [p for p in self.src["projects"] if p.get("kind") == "verified"]
        others = [p for p in self.src["projects"] if p.get("kind") == "other"]
        self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.heading(L.PART_HEADING.format(fy=self.fyl(self.fy)), 1)
        article = None
        for i, p in enumerate(verified):
            if i:
                self.doc.add_page_break()
            if p.get("article") != article:
                article = p.get("article")
                if article is not None:
                    self.heading(L.ARTICLE_HEADING.format(no=article, policy=policies.get(article, "")), 1)
            self.project(p)
        if others:
            self.doc.add_page_break()
            self.other(others, policies)
        return self.summary


def _width(text: str) -> int:
    """Terminal columns of `text` (full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def marks_table(summary: DraftSummary) -> str:
    """Plain-text table (project, number of 【要記入】/【要修正】 marks) with the total, for stderr."""
    head, count = L.MARKS_TABLE_HEAD
    rows = [(head, count), *((name, str(n)) for name, n in summary.marks.items()), (L.MARKS_TABLE_TOTAL, str(summary.total))]
    left = max(_width(name) for name, _ in rows)
    right = max(_width(n) for _, n in rows)
    return "\n".join(f"  {name}{' ' * (left - _width(name))}  {' ' * (right - _width(n))}{n}" for name, n in rows)


def build_draft(report: dict, out: str | Path, template: str | Path | None = None,
                themes: list[dict] | None = None, theme_labels: dict[str, str] | None = None) -> DraftSummary:
    """Write the FY N+1 draft of `report` (a report.json dict) to `out` (.docx), atomically."""
    tpl = Path(template) if template else DEFAULT_TEMPLATE
    b = _Builder(report, tpl, themes, theme_labels or {})
    summary = b.build()
    write_with(out, lambda tmp: b.doc.save(str(tmp)))
    return summary
