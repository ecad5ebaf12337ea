"""The report model: typed dataclasses mirroring report.json (shared/spec/contract.md).

Everything downstream (nlp, outputs) takes these objects, never raw JSON dicts:
`Report.load()` / `Report.to_dict()` / `Report.from_dict()` are the only place the
report.json shape is spelled out, and `ThemeRecord` the same for theme results.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import logging
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1

log = logging.getLogger(__name__)


@dataclass
class Provenance:
    """Where an item came from: PDF page index from 1, box in PDF points, raw string."""

    page: int
    bbox: list[float] | None = None
    raw: str | None = None


@dataclass
class ReadWarning:
    """Something the reader is unsure of (contract "Warnings"): a stable `code`, one sentence
    for a person, the PDF page index from 1 and the project's printed name where they apply."""

    code: str
    message: str
    page: int | None = None
    project: str | None = None


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
    warnings: list[ReadWarning] = field(default_factory=list)
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
    warnings: list[ReadWarning] = field(default_factory=list)
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
            "warnings": [asdict(w) for w in self.warnings],
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
            warnings=[_build(ReadWarning, w) for w in d.get("warnings") or []],
        )

    @classmethod
    def load(cls, path: str | Path) -> "Report":
        """Read a saved report.json. Raises InputError for a missing, unreadable, invalid or
        other-schema file, one line per problem (`projects[2].check[0].no: expected an integer`).
        Text is cleaned (see `clean_text`), with a warning naming what was replaced."""
        path = Path(path)
        d = _read_json(path, "report.json")
        if not isinstance(d, dict) or "projects" not in d or "report" not in d:
            raise InputError(str(path), "not a hokoku report.json (expected an object with 'report' and 'projects')")
        if d.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
            raise InputError(str(path), f"report.json schema_version {d.get('schema_version')!r} is not supported (expected {SCHEMA_VERSION})")
        _raise_problems(path, validate(cls, d))
        return cls.from_dict(_clean_loaded(path, d))

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
        """Read a themes.json (a list of records); InputError, one line per problem, otherwise."""
        path = Path(path)
        data = _read_json(path, "themes JSON")
        if not isinstance(data, list):
            raise InputError(str(path), "expected a list of theme records (hokoku themes output)")
        _raise_problems(path, [p for i, d in enumerate(data) for p in validate(cls, d, f"[{i}]")])
        return [cls.from_dict(d) for d in _clean_loaded(path, data)]


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
    except RecursionError:
        raise InputError(str(path), f"not a {what} file (JSON nested too deeply)") from None


MAX_PROBLEMS = 10
"""Problems listed for one file; the rest are counted."""
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BROKEN_CHARS = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def clean_text(s: str) -> tuple[str, int]:
    """`s` with NUL and other control characters (not tab/newline/CR) as a space, lone surrogates
    and non-characters as U+FFFD — they crash XLSX/DOCX writers and the tokenizer; returns
    (text, number replaced)."""
    s, n = _CONTROL_CHARS.subn(" ", s)
    s, m = _BROKEN_CHARS.subn(REPLACEMENT, s)
    return s, n + m


def _clean_tree(o: Any, count: list[int]) -> Any:
    if isinstance(o, str):
        s, n = clean_text(o)
        count[0] += n
        return s
    if isinstance(o, dict):
        return {_clean_tree(k, count): _clean_tree(v, count) for k, v in o.items()}
    if isinstance(o, list):
        return [_clean_tree(x, count) for x in o]
    return o


def _clean_loaded(path: Path, data: Any) -> Any:
    count = [0]
    cleaned = _clean_tree(data, count)
    if count[0]:
        log.warning("%s: %d control character(s) or invalid code point(s) in the text replaced "
                    "(control characters by a space, broken characters by U+FFFD)", path, count[0])
    return cleaned


def _raise_problems(path: Path, problems: list[str]) -> None:
    """One InputError listing the problems, one line each (each line names the file)."""
    if not problems:
        return
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"… and {len(problems) - MAX_PROBLEMS} more problems")
    raise InputError(str(path), f"\n{path}: ".join(shown))


_TYPE_NAMES = {type(None): "null", bool: "true/false", int: "an integer", float: "a number", str: "text",
               list: "a list", dict: "an object"}


def _type_name(v: Any) -> str:
    return _TYPE_NAMES.get(type(v), type(v).__name__)


def _expected(tp: Any) -> str:
    if dataclasses.is_dataclass(tp):
        return "an object"
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        names = dict.fromkeys(_expected(a) for a in typing.get_args(tp))
        if "a number" in names:  # an integer is a number too
            names.pop("an integer", None)
        return " or ".join(names)
    return _TYPE_NAMES.get(typing.get_origin(tp) or tp, str(tp))


def _fits_outer(tp: Any, v: Any) -> bool:
    """Is `v` the right kind of container (object, list) for `tp`, whatever is inside?"""
    if dataclasses.is_dataclass(tp):
        return isinstance(v, dict)
    origin = typing.get_origin(tp) or tp
    return isinstance(origin, type) and origin in (list, dict) and isinstance(v, origin)


def _check(tp: Any, v: Any, where: str, problems: list[str]) -> None:
    """Append a problem line unless value `v` fits type annotation `tp`."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(tp)
        for opt in options:
            sub: list[str] = []
            _check(opt, v, where, sub)
            if not sub:
                return
        containers = [o for o in options if _fits_outer(o, v)]
        if len(containers) == 1:  # the right container, wrong inside: say where inside
            _check(containers[0], v, where, problems)
        else:
            problems.append(f"{where}: expected {_expected(tp)}, got {_type_name(v)}")
    elif dataclasses.is_dataclass(tp):
        problems.extend(validate(tp, v, where))
    elif origin in (list, dict):
        if not isinstance(v, origin):
            problems.append(f"{where}: expected {_expected(tp)}, got {_type_name(v)}")
        elif origin is list:
            (item,) = typing.get_args(tp)
            for i, x in enumerate(v):
                _check(item, x, f"{where}[{i}]", problems)
        else:
            _, val = typing.get_args(tp)
            for k, x in v.items():
                _check(val, x, f"{where}.{k}", problems)
    elif not _is_instance(v, tp):
        problems.append(f"{where}: expected {_expected(tp)}, got {_type_name(v)}")


def _is_instance(v: Any, tp: Any) -> bool:
    """isinstance, but true/false is not a number and an integer is a number (JSON)."""
    if tp is type(None):
        return v is None
    if isinstance(v, bool):
        return tp is bool
    if tp is float:
        return isinstance(v, (int, float))
    return isinstance(v, tp)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def validate(cls: type, d: Any, where: str = "") -> list[str]:
    """Problems of raw JSON value `d` read as dataclass `cls`: missing required keys, wrong types.
    The dataclasses are the schema; unknown keys are allowed (contract)."""
    if not isinstance(d, dict):
        return [f"{where or 'top level'}: expected an object, got {_type_name(d)}"]
    hints = _hints(cls)
    problems: list[str] = []
    for f in fields(cls):
        key = f"{where}.{f.name}" if where else f.name
        if f.name not in d:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                problems.append(f"{key}: missing")
        else:
            _check(hints[f.name], d[f.name], key, problems)
    return problems


# Nested types per (class, field) for from_dict.
_NESTED: dict[tuple[type, str], type] = {
    (Project, "indicators"): Indicator,
    (Project, "check"): CheckItem,
    (Project, "action"): ActionItem,
    (Project, "tables"): Table,
    (Project, "warnings"): ReadWarning,
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
