"""The report model: typed dataclasses mirroring report.json (shared/spec/contract.md).

Everything downstream (nlp, outputs) reads these objects or the JSON they
serialise to; `Report.to_dict()` / `Report.from_dict()` are the only place the
JSON shape is spelled out.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

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


@dataclass
class ArticleOpinion:
    article: int | None
    policy: str
    opinions: list[str] = field(default_factory=list)
    provenance: Provenance | None = None


@dataclass
class ReportInfo:
    title: str
    fiscal_year: int | None
    era_label: str | None
    published: str | None = None


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
    schema_version: int = SCHEMA_VERSION

    def to_dict(self, provenance: bool = True) -> dict[str, Any]:
        """The report.json object; key order follows the contract."""
        d = {
            "schema_version": self.schema_version,
            "source": asdict(self.source),
            "report": asdict(self.report),
            "article_opinions": [asdict(a) for a in self.article_opinions],
            "projects": [asdict(p) for p in self.projects],
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
        )


# Nested types per (class, field) for from_dict.
_NESTED: dict[tuple[type, str], type] = {
    (Project, "indicators"): Indicator,
    (Project, "check"): CheckItem,
    (Project, "action"): ActionItem,
    (Project, "tables"): Table,
    (Indicator, "values"): IndicatorValue,
}


def _build(cls: type, d: dict[str, Any]) -> Any:
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
