"""The report model: typed dataclasses mirroring report.json (shared/spec/contract.md).

Everything downstream (nlp, outputs) takes these objects, never raw JSON dicts:
`Report.load()` / `Report.to_dict()` / `Report.from_dict()` are the only place the
report.json shape is spelled out, and `ThemeRecord` the same for theme results.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1


@dataclass
class Provenance:
    """Where an item came from: PDF page index from 1, box in PDF points, raw string."""

    page: int
    bbox: list[float] | None = None
    raw: str | None = None


@dataclass
class IndicatorValue:
    fiscal_year: int
    target: float | int | None = None
    actual: float | int | None = None
    target_text: str = ""
    actual_text: str = ""
    provenance: Provenance | None = None


@dataclass
class Indicator:
    name: str
    unit: str | None = None
    values: list[IndicatorValue] = field(default_factory=list)
    reference: bool = False  # a 【参考】 table of the same shape
    provenance: Provenance | None = None


@dataclass
class CheckItem:
    no: int
    text: str
    provenance: Provenance | None = None


@dataclass
class ActionItem:
    no: int
    answers: list[int]
    text: str
    provenance: Provenance | None = None


@dataclass
class Table:
    title: str | None
    header: list[str]
    rows: list[list[str]]
    kind: str = "other"  # kpi | article_opinions | overview | other
    quality: float | None = None
    provenance: Provenance | None = None


@dataclass
class Project:
    name: str
    article: int | None = None
    kind: str = "verified"  # verified | other
    pages: list[int] = field(default_factory=list)
    goal: str | None = None
    plan: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    supplement: list[str] = field(default_factory=list)  # 主な成果・活動指標に関する補足事項
    results: list[str] = field(default_factory=list)
    achievements: list[str] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    check: list[CheckItem] = field(default_factory=list)
    action: list[ActionItem] = field(default_factory=list)
    next_plan: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    provenance: Provenance | None = None

    def actions_answering(self, no: int) -> list[ActionItem]:
        """The Action items that answer Check item `no` (an item printed ①②③ answers all three)."""
        return [a for a in self.action if no in (a.answers or [a.no])]


@dataclass
class ArticleOpinion:
    article: int | None
    policy: str
    opinions: list[str] = field(default_factory=list)
    provenance: Provenance | None = None


@dataclass
class Chapter:
    """A chapter outside the projects (はじめに, 市内産業の現状, 検証体制, 参考 …), kept as printed."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    position: str = "front"  # "front" (before the projects) | "back" (after them)
    provenance: Provenance | None = None


@dataclass
class ReportInfo:
    title: str
    fiscal_year: int | None
    era_label: str | None
    published: str | None = None
    organisation: str | None = None  # the publishing city (cover, document properties)


@dataclass
class Source:
    file: str
    sha256: str
    pages: int


@dataclass
class Report:
    source: Source
    report: ReportInfo
    article_opinions: list[ArticleOpinion] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def to_dict(self, provenance: bool = True) -> dict[str, Any]:
        """The report.json object; key order follows the contract."""
        d = {
            "schema_version": self.schema_version,
            "source": asdict(self.source),
            "report": asdict(self.report),
            "article_opinions": [asdict(a) for a in self.article_opinions],
            "projects": [asdict(p) for p in self.projects],
            "chapters": [asdict(c) for c in self.chapters],
        }
        return d if provenance else _strip_provenance(d)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Report":
        """Build a Report from report.json; unknown keys are ignored (contract)."""
        return cls(
            schema_version=d.get("schema_version", SCHEMA_VERSION),
            source=_build(Source, d["source"]),
            report=_build(ReportInfo, d["report"]),
            article_opinions=[_build(ArticleOpinion, a) for a in d.get("article_opinions", [])],
            projects=[_build(Project, p) for p in d.get("projects", [])],
            chapters=[_build(Chapter, c) for c in d.get("chapters", [])],
        )

    @classmethod
    def load(cls, path: str | Path) -> "Report":
        """Read a saved report.json. Raises InputError (one line) for a missing, unreadable,
        invalid or other-schema file."""
        path = Path(path)
        d = _read_json(path, "report.json")
        if not isinstance(d, dict) or "projects" not in d or "report" not in d:
            raise InputError(str(path), "not a hokoku report.json (expected an object with 'report' and 'projects')")
        if d.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
            raise InputError(str(path), f"report.json schema_version {d.get('schema_version')!r} is not supported (expected {SCHEMA_VERSION})")
        try:
            report = cls.from_dict(d)
            _check_types(report)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise InputError(str(path), f"not a valid hokoku report.json ({type(e).__name__}: {e})") from None
        return report

    def to_frames(self) -> dict[str, "pd.DataFrame"]:
        """projects, indicators, comments, actions, article_opinions as pandas DataFrames."""
        from .frames import flat_tables

        return flat_tables(self)


@dataclass
class Comment:
    """One verification comment: a project's Check item or an article-level opinion."""

    kind: str  # "check" | "article_opinion"
    no: int
    text: str
    project: str | None
    article: int | None
    provenance: Provenance | None = None


def iter_comments(report: Report) -> Iterator[Comment]:
    """Every verification comment of a report, projects' Check items first, in printed order."""
    for p in report.projects:
        for c in p.check:
            yield Comment("check", c.no, c.text, p.name, p.article, c.provenance)
    for op in report.article_opinions:
        for i, text in enumerate(op.opinions, start=1):
            yield Comment("article_opinion", i, text, None, op.article, op.provenance)


@dataclass
class ThemeRecord:
    """The themes of one comment (`hokoku themes` output, contract "Themes output")."""

    fiscal_year: int | None
    source: str
    project: str | None
    article: int | None
    kind: str
    no: int
    text: str
    themes: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    page: int | None = None
    # Optional (nlp): per theme, each evidence word with its signal kind and clause role
    # ({"text", "kind", "clause": background|purpose|request|statement, "clause_text"}).
    detail: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # Optional (nlp): themes a person added ("+") or removed ("-") via --overrides.
    overrides: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ThemeRecord":
        return _build(cls, d)

    @classmethod
    def load_all(cls, path: str | Path) -> list["ThemeRecord"]:
        """Read a themes.json (a list of records); InputError (one line) otherwise."""
        path = Path(path)
        data = _read_json(path, "themes JSON")
        if not isinstance(data, list):
            raise InputError(str(path), "expected a list of theme records (hokoku themes output)")
        try:
            records = [cls.from_dict(d) for d in data]
            for r in records:
                _require(isinstance(r.text, str) and isinstance(r.themes, list) and isinstance(r.evidence, dict), "themes/evidence")
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise InputError(str(path), f"not a valid themes file ({type(e).__name__}: {e})") from None
        return records


def _read_json(path: Path, what: str) -> Any:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a folder, not a file") from None
    except OSError as e:
        raise InputError(str(path), f"cannot be read ({e.strerror})") from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(str(path), f"not a {what} file (not UTF-8 text)") from None
    except json.JSONDecodeError as e:
        raise InputError(str(path), f"not a {what} file (invalid JSON: {e})") from None


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(f"wrong type for {what}")


def _check_types(r: Report) -> None:
    """Reject a report.json whose fields have the wrong types, before a writer trips over them."""
    _require(r.report.fiscal_year is None or isinstance(r.report.fiscal_year, int), "report.fiscal_year")
    _require(isinstance(r.report.title, str), "report.title")
    for p in r.projects:
        _require(isinstance(p.name, str) and (p.article is None or isinstance(p.article, int)), "project name/article")
        for name in ("plan", "activities", "results", "achievements", "challenges", "next_plan"):
            items = getattr(p, name)
            _require(isinstance(items, list) and all(isinstance(x, str) for x in items), f"project.{name}")
        for c in p.check:
            _require(isinstance(c.no, int) and isinstance(c.text, str), "check item")
        for a in p.action:
            _require(isinstance(a.no, int) and isinstance(a.text, str) and all(isinstance(n, int) for n in a.answers), "action item")
        for ind in p.indicators:
            for v in ind.values:
                _require(isinstance(v.fiscal_year, int), "indicator fiscal_year")
    for op in r.article_opinions:
        _require(isinstance(op.opinions, list) and all(isinstance(x, str) for x in op.opinions), "article opinions")


# Nested types per (class, field) for from_dict.
_NESTED: dict[tuple[type, str], type] = {
    (Project, "indicators"): Indicator,
    (Project, "check"): CheckItem,
    (Project, "action"): ActionItem,
    (Project, "tables"): Table,
    (Chapter, "tables"): Table,
    (Indicator, "values"): IndicatorValue,
}


def _build(cls: type, d: dict[str, Any]) -> Any:
    if not isinstance(d, dict):
        raise TypeError(f"{cls.__name__} must be an object, not {type(d).__name__}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in d:
            continue
        v = d[f.name]
        if f.name == "provenance":
            v = Provenance(**{k: v[k] for k in ("page", "bbox", "raw") if k in v}) if v else None
        elif (cls, f.name) in _NESTED:
            v = [_build(_NESTED[(cls, f.name)], x) for x in v]
        kwargs[f.name] = v
    return cls(**kwargs)


def _strip_provenance(o: Any) -> Any:
    if isinstance(o, dict):
        return {k: _strip_provenance(v) for k, v in o.items() if k not in ("provenance", "quality")}
    if isinstance(o, list):
        return [_strip_provenance(x) for x in o]
    return o
