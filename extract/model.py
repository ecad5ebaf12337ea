"""The report model: typed dataclasses mirroring report.json (shared/spec/contract.md).

Everything downstream (nlp, outputs) takes these objects, never raw JSON dicts:
`Report.load()` / `Report.to_dict()` / `Report.from_dict()` are the only place the
report.json shape is spelled out, and `ThemeRecord` the same for theme results.

The dataclasses are the schema. pydantic reads JSON into them (`TypeAdapter`) and writes the
published JSON Schema (`report_schema()`, `hokoku schema`) from them; constructing an object in
code does not validate (the parser builds them field by field). Types follow JSON, strictly:
true/false is not a number, an integer is a number, "12" is not 12. A field the model does not
know is kept in the object's `extra` and written back by `to_dict()`.
"""
from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BeforeValidator, ConfigDict, GetCoreSchemaHandler, Strict, TypeAdapter, ValidationError
from pydantic_core import core_schema

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1
SCHEMA_ID = "https://hokoku.invalid/report.schema.json"
"""The `$id` of the published schema (a name, not a download: the schema ships in the package)."""

log = logging.getLogger(__name__)

# JSON's scalar types, strictly: no true/false for a number, no "12" for 12 (pydantic's lax
# mode would convert both). A float field takes an integer, as JSON numbers do.
Int = Annotated[int, Strict()]
Float = Annotated[float, Strict()]
Number = Float | Int  # keeps an integer an integer (95 is written back as 95, not 95.0)
Str = Annotated[str, Strict()]
Bool = Annotated[bool, Strict()]


def _blank_as_empty(v: Any) -> Any:
    return "" if v is None else v


PrintedText = Annotated[Str, BeforeValidator(_blank_as_empty, json_schema_input_type=str | None)]
"""A `*_text` field: what was printed. Where nothing was, a file may hold null or "" (contract);
both are read as "" so code needs no None check, and hokoku writes ""."""


class JsonObject:
    """Base of every dataclass read from JSON: keys the model does not know land in `extra`
    (key → JSON value, as read) and `to_dict()` writes them back, so a file corrected by hand or
    written by a newer tool keeps its fields through a hokoku command that saves it again."""

    extra: ClassVar[Mapping[str, Any]] = MappingProxyType({})

    @classmethod
    def __get_pydantic_core_schema__(cls, source: type, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        known = frozenset(f.name for f in fields(source))

        def keep_unknown(value: Any, validate: core_schema.ValidatorFunctionWrapHandler) -> Any:
            obj = validate(value)
            unknown = {k: v for k, v in value.items() if k not in known} if isinstance(value, dict) else {}
            if unknown:
                obj.extra = unknown
            return obj

        inner = handler(source)
        # The class's other uses refer to its schema by `ref`: that must be the wrapped one.
        return core_schema.no_info_wrap_validator_function(keep_unknown, inner, ref=inner.pop("ref", None))


OMIT_EMPTY = {"omit_empty": True}
"""Field metadata: a field added after files were written is left out of report.json while
it is empty (None or []), so a report without scanned pages is written as before."""


@dataclass
class OcrRead(JsonObject):
    """An item read by OCR from a page with no text layer: the engine, and its confidence (0–1)
    in the least certain text line under the item's box."""

    engine: Str
    confidence: Float


@dataclass
class Provenance(JsonObject):
    """Where an item came from: PDF page index from 1, box in PDF points, raw string, and
    `ocr` when the page was a scan read by OCR."""

    page: Int
    bbox: list[Float] | None = None
    raw: Str | None = None
    ocr: OcrRead | None = field(default=None, metadata=OMIT_EMPTY)


@dataclass
class ReadWarning(JsonObject):
    """Something the reader is unsure of (contract "Warnings"): a stable `code`, one sentence
    for a person, the PDF page index from 1 and the project's printed name where they apply."""

    code: Str
    message: Str
    page: Int | None = None
    project: Str | None = None


@dataclass
class IndicatorValue(JsonObject):
    fiscal_year: Int
    target: Number | None = None
    actual: Number | None = None
    target_text: PrintedText = ""
    actual_text: PrintedText = ""
    provenance: Provenance | None = None


@dataclass
class Indicator(JsonObject):
    name: Str
    unit: Str | None = None
    values: list[IndicatorValue] = field(default_factory=list)
    reference: Bool = False  # a 【参考】 table of the same shape
    provenance: Provenance | None = None


@dataclass
class CheckItem(JsonObject):
    no: Int
    text: Str
    provenance: Provenance | None = None


@dataclass
class ActionItem(JsonObject):
    no: Int
    answers: list[Int]
    text: Str
    provenance: Provenance | None = None


@dataclass
class Table(JsonObject):
    title: Str | None
    header: list[Str]
    rows: list[list[Str]]
    kind: Str = "other"  # kpi | article_opinions | overview | other
    quality: Float | None = None
    provenance: Provenance | None = None


@dataclass
class Project(JsonObject):
    name: Str
    article: Int | None = None
    kind: Str = "verified"  # verified | other
    pages: list[Int] = field(default_factory=list)
    goal: Str | None = None
    plan: list[Str] = field(default_factory=list)
    activities: list[Str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    supplement: list[Str] = field(default_factory=list)  # 主な成果・活動指標に関する補足事項
    results: list[Str] = field(default_factory=list)
    achievements: list[Str] = field(default_factory=list)
    challenges: list[Str] = field(default_factory=list)
    check: list[CheckItem] = field(default_factory=list)
    action: list[ActionItem] = field(default_factory=list)
    next_plan: list[Str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)
    provenance: Provenance | None = None

    def actions_answering(self, no: int) -> list[ActionItem]:
        """The Action items that answer Check item `no` (an item printed ①②③ answers all three)."""
        return [a for a in self.action if no in (a.answers or [a.no])]


@dataclass
class ArticleOpinion(JsonObject):
    article: Int | None
    policy: Str
    opinions: list[Str] = field(default_factory=list)
    provenance: Provenance | None = None


@dataclass
class Chapter(JsonObject):
    """A chapter outside the projects (はじめに, 市内産業の現状, 検証体制, 参考 …), kept as printed."""

    title: Str
    paragraphs: list[Str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: list[Int] = field(default_factory=list)
    position: Str = "front"  # "front" (before the projects) | "back" (after them)
    provenance: Provenance | None = None


@dataclass
class ReportInfo(JsonObject):
    title: Str
    fiscal_year: Int | None
    era_label: Str | None
    published: Str | None = None
    organisation: Str | None = None  # the publishing city (cover, document properties)


@dataclass
class Source(JsonObject):
    file: Str
    sha256: Str
    pages: Int
    ocr_pages: list[Int] = field(default_factory=list, metadata=OMIT_EMPTY)
    """Pages (index from 1) that had no text layer and were read by OCR."""


def _what_load_refuses_first(schema: dict[str, Any]) -> None:
    """`Report.load` refuses a file without "projects" or of another schema_version before the
    model reads it (the dataclass has defaults for code that builds a Report): the schema says so."""
    schema["required"] = [*schema["required"], "projects"]
    schema["properties"]["schema_version"]["const"] = SCHEMA_VERSION


@dataclass
class Report(JsonObject):
    """One report.json (contract): the source PDF, the report's cover data, its projects."""

    schema_version: Int = field(default=SCHEMA_VERSION, kw_only=True)  # first in the file
    source: Source
    report: ReportInfo
    article_opinions: list[ArticleOpinion] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)

    __pydantic_config__ = ConfigDict(json_schema_extra=_what_load_refuses_first)

    def to_dict(self, provenance: bool = True) -> dict[str, Any]:
        """The report.json object, keys in the contract's order, unknown fields read kept."""
        d = _to_json(self)
        return d if provenance else _strip_provenance(d)

    @classmethod
    def from_dict(cls, d: Any) -> "Report":
        """Build a Report from a report.json object; ValueError listing the problems, one a line."""
        return _from_json(Report, d)

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
        return _load_as(path, Report, _clean_loaded(path, d))

    def to_frames(self) -> dict[str, "pd.DataFrame"]:
        """projects, indicators, comments, actions, article_opinions as pandas DataFrames."""
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


# Flat tables of a report (`Report.to_frames()`): one DataFrame per table, stable ASCII column names.
LIST_SEP = "\n"  # list fields (plan items …) joined one per line: readable in an Excel cell
NUM_SEP = ","  # number lists (answers, pages): "1,2,3"
FRAME_COLUMNS = {  # each table's columns, in order
    "projects": ["fiscal_year", "project_no", "name", "article", "kind", "pages", "goal", "plan", "activities",
                 "results", "achievements", "challenges", "next_plan", "n_check", "n_action", "page", "source"],
    "indicators": ["fiscal_year", "project", "article", "indicator", "unit", "reference", "year", "target",
                   "actual", "target_text", "actual_text", "achievement_rate", "page", "source"],
    "comments": ["fiscal_year", "project", "article", "no", "text", "page", "source"],
    "actions": ["fiscal_year", "project", "article", "no", "answers", "text", "page", "source"],
    "article_opinions": ["fiscal_year", "article", "policy", "no", "text", "page", "source"],
}


def _page(item) -> int | None:
    return item.provenance.page if item.provenance else None


def flat_tables(report: Report) -> dict[str, pd.DataFrame]:
    """projects, indicators, comments, actions, article_opinions as DataFrames (nullable dtypes)."""
    import pandas as pd

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
    out = {}
    for name, rows in frames.items():
        df = pd.DataFrame(rows, columns=FRAME_COLUMNS[name])
        for col in ("article", "page", "fiscal_year", "no", "year"):
            if col in df:
                df[col] = df[col].astype("Int64")
        for col in ("target", "actual", "achievement_rate"):
            if col in df:
                df[col] = df[col].astype("Float64")
        out[name] = df
    return out


@dataclass
class ThemeRecord(JsonObject):
    """The themes of one comment (`hokoku themes` output, contract "Themes output")."""

    fiscal_year: Int | None
    source: Str
    project: Str | None
    article: Int | None
    kind: Str
    no: Int
    text: Str
    themes: list[Str] = field(default_factory=list)
    evidence: dict[Str, list[Str]] = field(default_factory=dict)
    scores: dict[Str, Float] = field(default_factory=dict)
    page: Int | None = None
    # Optional (nlp): per theme, each evidence word with its signal kind and clause role
    # ({"text", "kind", "clause": background|purpose|request|statement, "clause_text"}).
    detail: dict[Str, list[dict[Str, Str]]] = field(default_factory=dict)
    # Optional (nlp): themes a person added ("+") or removed ("-") via --overrides.
    overrides: dict[Str, Str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return _to_json(self)

    @classmethod
    def from_dict(cls, d: Any) -> "ThemeRecord":
        """Build a record from a themes.json object; ValueError listing the problems otherwise."""
        return _from_json(ThemeRecord, d)

    @classmethod
    def load_all(cls, path: str | Path) -> list["ThemeRecord"]:
        """Read a themes.json (a list of records); InputError, one line per problem, otherwise."""
        path = Path(path)
        data = _read_json(path, "themes JSON")
        if not isinstance(data, list):
            raise InputError(str(path), "expected a list of theme records (hokoku themes output)")
        return _load_as(path, list[ThemeRecord], _clean_loaded(path, data))


@functools.cache
def _adapter(tp: Any) -> TypeAdapter:
    return TypeAdapter(tp)


@functools.cache
def _json_schema(tp: Any) -> dict[str, Any]:
    return _adapter(tp).json_schema()


def report_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of report.json, generated from the dataclasses: what a reader
    accepts (null or "" for `*_text`); fields it does not know are allowed (and kept)."""
    schema = _json_schema(Report)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "hokoku report.json",
        "description": ("A parsed municipal policy-evaluation report (hokoku ingest), schema_version "
                        f"{SCHEMA_VERSION}. Objects may carry fields not listed here; readers ignore them."),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


SCHEMA_FILE = "report.schema.json"
"""The schema as shipped, beside this module (a test checks it equals `schema_json()`)."""


def schema_json() -> str:
    """`report_schema()` as the text of SCHEMA_FILE (regenerate that file with it)."""
    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"


def shipped_schema() -> str:
    """The text of the schema shipped in the package (`hokoku schema`)."""
    from importlib.resources import files

    return (files(__package__) / SCHEMA_FILE).read_text(encoding="utf-8")


def _from_json(tp: Any, data: Any) -> Any:
    try:
        return _adapter(tp).validate_python(data)
    except ValidationError as e:
        raise ValueError("\n".join(_problem_lines(_json_schema(tp), e))) from None


def _load_as(path: Path, tp: Any, data: Any) -> Any:
    """`data` (read from `path`) as `tp`, or InputError with one line per problem."""
    try:
        return _adapter(tp).validate_python(data)
    except ValidationError as e:
        raise _input_error(path, _problem_lines(_json_schema(tp), e)) from None


def _to_json(o: Any) -> Any:
    """The JSON value of a model object: fields in declaration order, then its unknown fields."""
    if is_dataclass(o) and not isinstance(o, type):
        d = {f.name: _to_json(getattr(o, f.name)) for f in fields(o)
             if not (f.metadata.get("omit_empty") and getattr(o, f.name) in (None, []))}
        for k, v in getattr(o, "extra", {}).items():
            d.setdefault(k, _to_json(v))
        return d
    if isinstance(o, list):
        return [_to_json(x) for x in o]
    if isinstance(o, dict):
        return {k: _to_json(v) for k, v in o.items()}
    return o


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


def _input_error(path: Path, problems: list[str]) -> InputError:
    """One InputError listing the problems, one line each (each line names the file); past
    MAX_PROBLEMS the rest are counted."""
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"… and {len(problems) - MAX_PROBLEMS} more problems")
    return InputError(str(path), f"\n{path}: ".join(shown))


_TYPE_NAMES = {type(None): "null", bool: "true/false", int: "an integer", float: "a number", str: "text",
               list: "a list", dict: "an object"}
_SCHEMA_TYPE_NAMES = {"null": "null", "boolean": "true/false", "integer": "an integer", "number": "a number",
                      "string": "text", "array": "a list", "object": "an object"}


def _type_name(v: Any) -> str:
    return _TYPE_NAMES.get(type(v), type(v).__name__)


def _problem_lines(schema: dict[str, Any], error: ValidationError) -> list[str]:
    """pydantic's errors as today's lines: `path: missing` or `path: expected …, got …`, where
    what is expected is read from the JSON Schema at that path (the one schema); a value that
    fits no option of a union is one line, not one per option."""
    lines: list[str] = []
    for e in error.errors(include_url=False):
        path, node = _schema_at(schema, e["loc"])
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "top level"
        if e["type"] == "missing":
            line = f"{where}: missing"
        elif e["type"].endswith("_type"):
            line = f"{where}: expected {_expected(schema, node)}, got {_type_name(e['input'])}"
        else:
            line = f"{where}: {e['msg']}"
        if line not in lines:
            lines.append(line)
    return lines


def _deref(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return schema["$defs"][ref.rsplit("/", 1)[-1]] if ref else node


def _options(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _deref(schema, node)
    return [_deref(schema, o) for o in node.get("anyOf", [node])]


def _schema_at(schema: dict[str, Any], loc: tuple[int | str, ...]) -> tuple[list[int | str], dict[str, Any]]:
    """The JSON path of error location `loc` and the schema node there. pydantic puts the name of
    the union option that failed into `loc` (`target`, `float`); such a name is no key of the data
    and is left out."""
    node, path = schema, []
    for part in loc:
        opts = _options(schema, node)
        if isinstance(part, int):
            inner = next((o["items"] for o in opts if "items" in o), None)
        else:
            inner = next((o["properties"][part] for o in opts if part in o.get("properties", {})), None)
            if inner is None:
                inner = next((o["additionalProperties"] for o in opts if isinstance(o.get("additionalProperties"), dict)), None)
        if inner is not None:
            node = inner
            path.append(part)
    return path, node


def _expected(schema: dict[str, Any], node: dict[str, Any]) -> str:
    names = dict.fromkeys(_SCHEMA_TYPE_NAMES.get(o.get("type", "object"), "a value") for o in _options(schema, node))
    if "a number" in names:  # an integer is a number too
        names.pop("an integer", None)
    return " or ".join(names)


def _strip_provenance(o: Any) -> Any:
    if isinstance(o, dict):
        return {k: _strip_provenance(v) for k, v in o.items() if k not in ("provenance", "quality")}
    if isinstance(o, list):
        return [_strip_provenance(x) for x in o]
    return o
