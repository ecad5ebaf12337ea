"""Word draft of next year's report (FY N+1) from a parsed FY N Report, rendered with docxtpl.

The look lives in a Word template staff own (the default reproduces the printed report);
the content comes from `context.draft_context`. Every place to fill carries a highlighted
【要記入】 (new text), 【要修正】 (last year's text that changes, policy.py) or 【要確認】 (what
extraction was unsure of) mark; the marks are counted in the rendered document, per project
and kind, for the summary on stderr and the 所管課照会 workbook.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment

from hokoku.extract.era import fiscal_year_label
from hokoku.extract.errors import HokokuError
from hokoku.extract.model import Report, ThemeRecord

from ..atomic import write_with
from . import marks as M
from .context import chapter_title, clean, draft_context
from .layout import fit_tables
from .safety import safe_template
from .template import DEFAULT_TEMPLATE

__all__ = ["build_draft", "DraftSummary", "TemplateError", "marks_table", "names_of"]

marks_table = M.marks_table


class TemplateError(HokokuError):
    """A template cannot be rendered; the message names the file and the tag."""


@dataclass
class DraftSummary:
    fiscal_year: int
    marks: dict[str, int] = field(default_factory=dict)  # project or chapter → number of marks
    kinds: dict[str, int] = field(default_factory=dict)  # 【要記入】/【要修正】/【要確認】 → number in the draft

    @property
    def total(self) -> int:
        return sum(self.marks.values())


def names_of(report: Report) -> set[str]:
    """Project and chapter names as the draft prints them: the buckets marks are counted in."""
    fy0 = report.report.fiscal_year or 0
    return {clean(p.name) for p in report.projects} | {chapter_title(c, fy0) for c in report.chapters}


def _describe(e: Exception) -> str:
    """One line naming the tag: jinja's message plus the template line docxtpl reports."""
    msg = str(e).splitlines()[0] if str(e) else type(e).__name__
    ctx = [line.strip() for line in getattr(e, "docx_context", []) if line.strip()]
    where = next((line for line in ctx if "{" in line), "")
    return f"{msg} (in: {where[:120]})" if where else msg


def render(report: Report, template: str | Path | None = None, themes: list[ThemeRecord] | None = None,
           theme_labels: dict[str, str] | None = None):
    """The rendered draft as a python-docx Document (not yet saved)."""
    tpl_path = Path(template) if template else DEFAULT_TEMPLATE
    tpl = DocxTemplate(safe_template(tpl_path))
    env = SandboxedEnvironment(undefined=StrictUndefined)
    try:
        tpl.render(draft_context(report, themes, theme_labels), jinja_env=env, autoescape=True)
    except JinjaTemplateError as e:
        raise TemplateError(f"{tpl_path}: template error: {_describe(e)}") from None
    except (KeyError, ValueError, IndexError) as e:  # docxtpl's own checks (e.g. a tag spanning cells)
        raise TemplateError(f"{tpl_path}: template error: {e}") from None
    doc = tpl.docx
    fit_tables(doc)
    _properties(doc, report)
    return doc


def _properties(doc, report: Report) -> None:
    """Core properties from the report, not python-docx's defaults (creator "python-docx", 2013)."""
    core = doc.core_properties
    info = report.report
    now = datetime.now(timezone.utc).replace(microsecond=0)
    core.title = f"{fiscal_year_label(info.fiscal_year + 1)} {info.title}"
    core.author = core.last_modified_by = info.organisation or ""
    core.created = core.modified = now
    core.revision = 1
    core.comments = ""


def save(doc, out: str | Path) -> None:
    """Write `doc` to `out` atomically (a failed run never leaves half a draft)."""
    buf = io.BytesIO()
    doc.save(buf)
    write_with(out, lambda tmp: tmp.write_bytes(buf.getvalue()))


def summarize(doc, report: Report) -> DraftSummary:
    places = M.scan(doc, names_of(report))
    return DraftSummary(report.report.fiscal_year + 1, M.counts(places), M.kind_totals(places))


def build_draft(report: Report, out: str | Path, template: str | Path | None = None,
                themes: list[ThemeRecord] | None = None, theme_labels: dict[str, str] | None = None) -> DraftSummary:
    """Write the FY N+1 draft of `report` to `out` (.docx), atomically; the marks per project."""
    doc = render(report, template, themes, theme_labels)
    save(doc, out)
    return summarize(Document(str(out)), report)
