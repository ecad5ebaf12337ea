"""Self-check of a finished report against the document's own redundancy (contract "Warnings").

A report says several things twice: its project list (施策一覧) names every project and the
pages it is printed on, Check and Action items are numbered ①②③ and answer each other, a KPI
grid has a value for each year of its header, every page's text belongs to some section, and
the verified projects all have the same sections. Each check below compares the report read
with one such redundancy and returns a `ReadWarning` where the two disagree — on the project
it concerns, or on the report naming the project when the project was not found. No check
looks at any truth: the warnings say where the reader itself is unsure.

`reconcile()` runs once at the end of extraction; message texts are data (warnings.toml).
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .layout import PageLayout, TableRegion
from .model import Indicator, Project, ReadWarning, Report
from .normalize import NOTE_MARK, NOTE_OPENERS, normalize_text, split_numbered, strip_bullet
from .patterns import CLOSE_BRACKETS, LINE_MARKERS, SENTENCE_END, Patterns
from .segment import name_key
from .settings import ExtractSettings
from .tables import kpi_row_kind, year_of

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"[（(［\[【]([A-Za-z][A-Za-z・/&]*)[）)］\]】]")  # 「（Check・Action）」
_TAG_PARTS = re.compile(r"[・/&]")
_LABEL_MAX_CHARS = 24  # the longest section label with its tags: 「主な成果・活動指標に関する補足事項」
_TAIL_CHARS = 12  # of an item's end, quoted in a message
_DIGIT = re.compile(r"[0-9０-９]")  # a KPI cell with digits that did not read as a number
_YEAR_HEAD_CHARS = len("令和10（2028）年度")  # a year heading alone, not a sentence naming a year
_MERGED_NOTE = re.compile(r"[（(]※[0-9]*[)）]")  # 「…事業（※1）」: folded into another project


@dataclass(frozen=True)
class Listed:
    """One project name of the project list: as printed, its article and printed pages."""

    name: str
    article: int | None
    pages: tuple[int, int] | None
    merged: bool = False  # a ※ note says it was folded into another project


@dataclass
class Evidence:
    """What extraction knows beside the report: the project list's rows (article, names,
    printed page range), the PDF pages it stands on, each PDF page's text lines as laid out
    (table cells included) and each page's printed number."""

    listing: list[tuple[int, list[str], tuple[int, int] | None]] = field(default_factory=list)
    list_pages: set[int] = field(default_factory=set)
    lines: dict[int, list[str]] = field(default_factory=dict)
    printed: dict[int, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """A warning and where it goes: the index of its project in `report.projects`, or None
    for the report's own list."""

    warning: ReadWarning
    project: int | None


@dataclass(frozen=True)
class Tally:
    """What a report holds, for the one-line summary `hokoku ingest` prints per file."""

    listed: int
    found: int
    projects: int
    checks: int
    actions: int
    kpi_values: int
    warnings: int

    def line(self) -> str:
        read = f"{self.found}/{self.listed} listed projects" if self.listed else \
            f"{self.projects} project{'' if self.projects == 1 else 's'} (no project list)"
        return (f"{read}, {self.checks} Check / {self.actions} Action, "
                f"{self.kpi_values} KPI values, {self.warnings} warning{'' if self.warnings == 1 else 's'}")


@lru_cache(maxsize=1)
def _texts() -> dict:
    data = resources.files("hokoku.extract").joinpath("warnings.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


def message(code: str, **fields: object) -> str:
    """The staff message of warning `code`, its fields filled in."""
    return _texts()["messages"][code].format(**fields)


def section_name(key: str) -> str:
    return _texts()["sections"][key]


def warn(code: str, project: str | None, page: int | None, **fields: object) -> ReadWarning:
    return ReadWarning(code=code, message=message(code, project=project, page=page, **fields), page=page,
                       project=project)


# ---------------------------------------------------------------- entry point

def page_lines(pages: list[PageLayout]) -> dict[int, list[str]]:
    """Each page's text lines as laid out, the lines of table cells (and nested tables) included."""
    def cells(t: TableRegion) -> Iterable[str]:
        for row in t.rows:
            for c in row:
                if c is not None:
                    yield from (ln.text for ln in c.lines)
                    for inner in c.tables:
                        yield from cells(inner)

    return {p.index: [x for it in p.items for x in (cells(it) if isinstance(it, TableRegion) else [it.text])]
            for p in pages}


def reconcile(report: Report, ev: Evidence, pats: Patterns, s: ExtractSettings) -> Tally:
    """Run every check and file each warning (project-level on its project, report-level
    otherwise); returns the report's tally."""
    listed = listed_projects(ev, pats)
    findings = [*check_listing(report, listed, ev, s), *check_names(report, pats, s), *check_numbering(report),
                *check_labels(report, pats, s), *check_endings(report, s),
                *check_pairing(report, ev, pats, s), *check_indicators(report, pats, s), *check_sections(report, listed, ev, pats, s), *check_tables(report, pats),
                *check_unread(report, ev, pats, s)]
    for f in findings:
        (report.projects[f.project].warnings if f.project is not None else report.warnings).append(f.warning)
    found = sum(1 for x in listed if not x.merged and _match(x, report.projects) is not None)
    return tally(report, sum(1 for x in listed if not x.merged), found)


def tally(report: Report, listed: int, found: int) -> Tally:
    projects = report.projects
    return Tally(listed=listed, found=found, projects=len(projects), checks=sum(len(p.check) for p in projects),
                 actions=sum(len(p.action) for p in projects),
                 kpi_values=sum(len(i.values) for p in projects for i in p.indicators),
                 warnings=len(report.warnings) + sum(len(p.warnings) for p in projects))


# ---------------------------------------------------------------- the project list

def listed_projects(ev: Evidence, pats: Patterns) -> list[Listed]:
    """The names the project list gives, once each: notes (※…, a line in brackets) left out,
    an article override (「（15条）」) taken off; a name the list marks as merged kept as such,
    and the project a note under the list says it was merged into added."""
    out: list[Listed] = []
    seen: set[str] = set()
    for art, names, pages in ev.listing:
        for raw in names:
            name = pats.article_override.sub("", raw).strip()
            if not name or name.startswith((NOTE_MARK, *NOTE_OPENERS)):
                continue
            merged = bool(_MERGED_NOTE.search(name))
            key = name_key(_MERGED_NOTE.sub("", name))
            if not key or key in seen:
                continue
            seen.add(key)
            out.append(Listed(name=_MERGED_NOTE.sub("", name).strip(), article=art, pages=pages, merged=merged))
    for ln in (ln for pg in sorted(ev.list_pages) for ln in ev.lines.get(pg, [])):
        m = pats.merged_into.match(normalize_text(ln))
        if m and name_key(m.group("name")) not in seen:  # 「※4 …事業に統合」: that project too
            seen.add(name_key(m.group("name")))
            out.append(Listed(name=m.group("name"), article=None, pages=None))
    return out


def _match(x: Listed, projects: list[Project]) -> int | None:
    """The index of the project the listed name stands for: the first whose name holds it
    (a group's name is held by each of its sub-projects' names)."""
    key = name_key(x.name)
    return next((k for k, p in enumerate(projects) if key and key in name_key(p.name)), None)


def _pages(rng: tuple[int, int] | None) -> str:
    if rng is None:
        return ""
    return f"（{rng[0]}頁）" if rng[0] == rng[1] else f"（{rng[0]}～{rng[1]}頁）"


def _pdf_page(printed: int, ev: Evidence) -> int | None:
    return next((i for i, n in sorted(ev.printed.items()) if (n or i) == printed), None)


def check_listing(report: Report, listed: list[Listed], ev: Evidence, s: ExtractSettings) -> list[Finding]:
    """Every listed project found in the body near its listed pages; every body project listed."""
    if not listed:
        return []
    out: list[Finding] = []
    found = [_match(x, report.projects) for x in listed]
    for n, (x, k) in enumerate(zip(listed, found)):
        page = _pdf_page(x.pages[0], ev) if x.pages else min(ev.list_pages, default=None)
        if k is None:
            # a project the list marks as merged into another may be left out of the body; one
            # in a stretch of the list whose every neighbour is missing too is not
            stretch = [found[j] for j in (n - 1, n + 1) if 0 <= j < len(found)]
            if not x.merged or all(j is None for j in stretch):
                out.append(Finding(warn("listed_project_not_found", x.name, page, pages=_pages(x.pages)), None))
            continue
        got = report.projects[k].pages
        if x.pages and got and (got[0] > x.pages[1] + s.listed_page_slack or got[-1] < x.pages[0] - s.listed_page_slack):
            out.append(Finding(warn("listed_project_elsewhere", report.projects[k].name, page, pages=_pages(x.pages),
                                    found=_pages((got[0], got[-1]))), k))
    keys = [name_key(x.name) for x in listed]
    list_text = name_key("".join(ln for pg in ev.list_pages for ln in ev.lines.get(pg, [])))
    covered = {report.projects[k].kind for k in found if k is not None}  # a list of verified projects only
    for k, p in enumerate(report.projects):
        own = name_key(p.name)
        if p.kind in covered and own and not any(key and key in own for key in keys) and own not in list_text:
            out.append(Finding(warn("project_not_listed", p.name, _first_page(p)), k))
    return out


def _first_page(p: Project) -> int | None:
    return p.provenance.page if p.provenance else None


# ---------------------------------------------------------------- Check and Action

def _gaps(numbers: list[int]) -> bool:
    return numbers != list(range(1, len(numbers) + 1))


def _numbers(numbers: Iterable[int]) -> str:
    return "・".join(str(n) for n in numbers)


def check_names(report: Report, pats: Patterns, s: ExtractSettings) -> list[Finding]:
    """A project name that reads as other text: too long, a sentence, or an article's heading
    (its table's rows were filed under it)."""
    reasons = _texts()["name_reasons"]
    out: list[Finding] = []
    for k, p in enumerate(report.projects):
        name = normalize_text(p.name)
        if len(name) > s.name_doubt_chars:
            reason = reasons["long"].format(chars=len(name))
        elif any(e in name for e in SENTENCE_END):
            reason = reasons["sentence"]
        elif pats.article.match(name):
            reason = reasons["article"]
        else:
            continue
        out.append(Finding(warn("name_doubtful", p.name, _first_page(p), reason=reason), k))
    return out


def check_numbering(report: Report) -> list[Finding]:
    """Check items numbered 1, 2, 3 …; the Check numbers the Action items answer likewise."""
    out: list[Finding] = []
    for k, p in enumerate(report.projects):
        checks = [c.no for c in p.check]
        if _gaps(checks):
            out.append(Finding(warn("check_numbers", p.name, p.check[0].provenance.page if p.check[0].provenance else
                                    _first_page(p), numbers=_numbers(checks)), k))
        answers = [n for a in p.action for n in (a.answers or [a.no])]
        if _gaps(answers):
            first = p.action[0].provenance
            out.append(Finding(warn("action_numbers", p.name, first.page if first else _first_page(p),
                                    numbers=_numbers(answers)), k))
    return out


def label_fragment(text: str, pats: Patterns, s: ExtractSettings) -> str | None:
    """The section label (or the start of one) run into an item's text: the words after its
    last sentence (「…していく。検証」), or a label line the item opens with; None when clean."""
    t = _SPACE.sub("", normalize_text(text))
    ends = [t.rfind(e) for e in SENTENCE_END]
    tail = t[max(ends) + 1:] if max(ends) >= 0 else ""
    if s.label_fragment_min_chars <= len(tail) <= s.label_fragment_max_chars and \
            (pats.heading(tail) or any(w.startswith(tail) for w in pats.label_words)):
        return tail
    for m in _TAG.finditer(t):  # a PDCA badge in brackets: 「…していく。検証・改善（Check・Action）」
        if len(m.group(1)) >= s.label_fragment_min_chars and all(x in pats.all_tags for x in _TAG_PARTS.split(m.group(1))):
            return m.group(0)
    head = t[:s.label_fragment_max_chars]
    for w in sorted(pats.label_words, key=len, reverse=True):
        if len(w) >= s.label_fragment_min_chars and head.startswith(w) and pats.heading(w):
            return w
    return enclosed_label(t, pats)


def enclosed_label(text: str, pats: Patterns) -> str | None:
    """A section label set in brackets anywhere in a text (「…盛んにする〈事業計画〉Plan・…」): a
    heading the reader did not see as one, so the next section ran into this one."""
    for m in pats.enclosed_within.finditer(_SPACE.sub("", normalize_text(text))):
        if pats.heading(m.group("label")):
            return m.group(0)
    return None


_PROSE_FIELDS = ("plan", "activities", "supplement", "results", "achievements", "challenges", "next_plan")
"""The list fields whose items are checked for a bracketed label run into them (Check and Action
items are checked for any label, `label_fragment`)."""


def check_labels(report: Report, pats: Patterns, s: ExtractSettings) -> list[Finding]:
    """No item holds a section label: a label that ran into its text. Check and Action items
    are tested for any label word at their ends; the goal and the other prose fields for a
    label set in brackets anywhere."""
    out: list[Finding] = []
    for k, p in enumerate(report.projects):
        for key, items in (("check", p.check), ("action", p.action)):
            for it in items:
                label = label_fragment(it.text, pats, s)
                if label:
                    page = it.provenance.page if it.provenance else _first_page(p)
                    out.append(Finding(warn("item_has_label", p.name, page, section=section_name(key), no=it.no,
                                            label=label), k))
        prose = [("goal", [p.goal or ""])] + [(key, getattr(p, key)) for key in _PROSE_FIELDS]
        for key, texts in prose:
            for no, text in enumerate(texts, 1):
                label = enclosed_label(text, pats)
                if label:
                    out.append(Finding(warn("item_has_label", p.name, _first_page(p), section=section_name(key),
                                            no=no, label=label), k))
    return out


def check_endings(report: Report, s: ExtractSettings) -> list[Finding]:
    """Where (nearly) every item of a field (Check, Action, 事業計画 Plan) ends a sentence, one
    that does not was cut short (a sentence split in two) or ran on into what followed it (a
    sheet's print title)."""
    out: list[Finding] = []
    for key in ("plan", "check", "action"):
        # a project whose items are mostly phrases, not sentences, is printed so (or its
        # section holds what is not its own, which other checks tell)
        items = [(k, no, text, page) for k, p in enumerate(report.projects) if _mostly_sentences(_items(p, key), s)
                 for no, text, page in _items(p, key)]
        if not items or sum(1 for _, _, text, _ in items if _ends_sentence(text)) < s.sentence_end_share * len(items):
            continue
        for k, no, text, page in items:
            if not _ends_sentence(text):
                out.append(Finding(warn("item_unfinished", report.projects[k].name, page, section=section_name(key),
                                        no=no, tail=normalize_text(text)[-_TAIL_CHARS:]), k))
    return out


def _mostly_sentences(items: list[tuple[int, str, int | None]], s: ExtractSettings) -> bool:
    return sum(1 for _, text, _ in items if _ends_sentence(text)) > s.own_sentence_share * len(items)


def _items(p: Project, key: str) -> list[tuple[int, str, int | None]]:
    """(number, text, page) of each item of field `key` of a project."""
    if key == "plan":
        return [(n, t, _first_page(p)) for n, t in enumerate(p.plan, start=1)]
    return [(it.no, it.text, it.provenance.page if it.provenance else _first_page(p)) for it in getattr(p, key)]


def _ends_sentence(text: str) -> bool:
    """The text ends a sentence (a note after it, 「。 ※KIS: …」, and closing brackets aside)."""
    t = normalize_text(text)
    head, mark, _ = t.rpartition(NOTE_MARK)
    if mark and head.rstrip().endswith(SENTENCE_END):
        t = head
    return t.rstrip().rstrip(CLOSE_BRACKETS).endswith(SENTENCE_END)


def check_pairing(report: Report, ev: Evidence, pats: Patterns, s: ExtractSettings) -> list[Finding]:
    """Where the layout pairs them (most projects with Check items have Action items), every
    Check answered by an Action and every Action answering a Check of the same project.
    Elsewhere a project's Checks with no Action at all are unanswered where an Action label
    stands on its pages (the Actions were printed, and not read)."""
    with_check = [p for p in report.projects if p.check]
    paired = bool(with_check) and sum(1 for p in with_check if p.action) >= s.pairing_share * len(with_check)
    out: list[Finding] = []
    for k, p in enumerate(report.projects):
        if not p.check and not p.action:
            continue
        if not paired and (p.action or not _label_printed(p, "action", ev, pats)):
            continue
        counts = {"checks": len(p.check), "actions": len(p.action)}
        unanswered = [c.no for c in p.check if not p.actions_answering(c.no)]
        orphans = sorted({n for a in p.action for n in (a.answers or [a.no])} - {c.no for c in p.check})
        if unanswered:
            out.append(Finding(warn("check_unanswered", p.name, _first_page(p), numbers=_numbers(unanswered),
                                    **counts), k))
        if orphans:
            out.append(Finding(warn("action_without_check", p.name, _first_page(p), numbers=_numbers(orphans),
                                    **counts), k))
    return out


# ---------------------------------------------------------------- KPI grids

def _ind_key(ind: Indicator) -> str:
    return _SPACE.sub("", normalize_text(ind.name))


def check_indicators(report: Report, pats: Patterns, s: ExtractSettings) -> list[Finding]:
    """Each indicator has values, for every year its project's grids print, not both blank,
    each with digits read as a number; its name is its own (not repeated in the project, not
    shared by many projects, not an article's heading: a running header taken for it)."""
    shared = Counter(key for p in report.projects for key in {_ind_key(i) for i in p.indicators})
    common = _common_years(report, s)
    out: list[Finding] = []
    for k, p in enumerate(report.projects):
        years = common | {v.fiscal_year for i in p.indicators for v in i.values}
        names = Counter(_ind_key(i) for i in p.indicators)
        told: set[str] = set()
        for ind in p.indicators:
            key, page = _ind_key(ind), ind.provenance.page if ind.provenance else _first_page(p)
            w = _indicator_warning(p, ind, years, page)
            if w is None and pats.article_heading(ind.name) is not None:
                w = warn("indicator_name_article", p.name, page, indicator=ind.name)
            if w:
                out.append(Finding(w, k))
            if key in told:
                continue
            if shared[key] > s.indicator_name_max_projects:
                out.append(Finding(warn("indicator_name_shared", p.name, page, indicator=ind.name,
                                        count=shared[key]), k))
            elif names[key] > 1:
                out.append(Finding(warn("indicator_name_repeated", p.name, page, indicator=ind.name,
                                        count=names[key]), k))
            if shared[key] > s.indicator_name_max_projects or names[key] > 1:
                told.add(key)
    return out


def _common_years(report: Report, s: ExtractSettings) -> set[int]:
    """The fiscal years (nearly) every indicator of the report has: a grid's header years."""
    inds = [i for p in report.projects for i in p.indicators if not i.reference]
    seen = Counter(y for i in inds for y in {v.fiscal_year for v in i.values})
    return {y for y, n in seen.items() if n >= s.peer_section_share * len(inds)}


def _indicator_warning(p: Project, ind: Indicator, years: set[int], page: int | None) -> ReadWarning | None:
    """The first thing wrong with one indicator's values, or None."""
    if not ind.values:
        return warn("indicator_no_values", p.name, page, indicator=ind.name)
    missing = sorted(years - {v.fiscal_year for v in ind.values})
    if missing:
        return warn("indicator_year_missing", p.name, page, indicator=ind.name, years=_numbers(missing))
    blank = [v.fiscal_year for v in ind.values if not (v.target_text.strip() or v.actual_text.strip())
             and v.target is None and v.actual is None]
    if blank:
        return warn("indicator_value_empty", p.name, page, indicator=ind.name, years=_numbers(blank))
    unread = [(v.fiscal_year, text) for v in ind.values for text, number in
              ((v.target_text, v.target), (v.actual_text, v.actual)) if number is None and _DIGIT.search(text)]
    if unread:
        return warn("indicator_value_unreadable", p.name, page, indicator=ind.name,
                    years=_numbers(y for y, _ in unread), text=unread[0][1][:_TAIL_CHARS])
    return None


# ---------------------------------------------------------------- sections

def _group(name: str) -> str:
    """A sub-project's group (the name before 「 ①…」); a group's Check block is printed on
    its last sub-project."""
    return name.split(" ")[0] if " " in name.strip() else name


# The sections expected of a project of each kind where nearly all its peers have them.
EXPECTED_SECTIONS: dict[str, dict[str, Callable[[Project], bool]]] = {
    "verified": {"goal": lambda p: bool(p.goal), "plan": lambda p: bool(p.plan), "check": lambda p: bool(p.check),
                 "indicators": lambda p: bool(p.indicators), "next_plan": lambda p: bool(p.next_plan)},
    "other": {"next_plan": lambda p: bool(p.next_plan), "results": lambda p: bool(p.results)},
}


def check_sections(report: Report, listed: list[Listed], ev: Evidence, pats: Patterns,
                   s: ExtractSettings) -> list[Finding]:
    """A project lacks a section that its peers (the projects of its kind) have: warned where
    the section's label is printed on the project's pages and `peer_section_share` of the peers
    have it, or even with no label seen (worded in a way the patterns do not know) where
    `peer_section_unlabelled_share` of them have it. A sub-project is not missing Check when
    another of its group has it. Where the report has a project list, its peers are the
    projects it names."""
    named = {k for x in listed if (k := _match(x, report.projects)) is not None}
    out: list[Finding] = []
    for kind, sections in EXPECTED_SECTIONS.items():
        peers_of = [(k, p) for k, p in enumerate(report.projects) if p.kind == kind and (not listed or k in named)]
        for key, test in sections.items():
            have = sum(1 for _, p in peers_of if test(p))
            if not peers_of or have < s.peer_section_share * len(peers_of):
                continue
            unlabelled = have >= s.peer_section_unlabelled_share * len(peers_of)
            for k, p in peers_of:
                if test(p) or not (unlabelled or _label_printed(p, key, ev, pats)) or _group_has(p, key, peers_of):
                    continue
                out.append(Finding(warn("section_missing", p.name, _first_page(p), section=section_name(key),
                                        peers=have), k))
    return out


def _group_has(p: Project, key: str, peers: list[tuple[int, Project]]) -> bool:
    """A sub-project's Check (or next year's plan) printed once for its group, on another of it."""
    group = _group(p.name)
    return key in ("check", "next_plan") and group != p.name and any(
        q is not p and _group(q.name) == group and (q.check if key == "check" else q.next_plan) for _, q in peers)


def _label_printed(p: Project, key: str, ev: Evidence, pats: Patterns) -> bool:
    """Section `key`'s label stands on one of the project's pages (alone, or opening a line)."""
    own = set(p.pages)
    for page, lines in ev.lines.items():
        if (ev.printed.get(page) or page) not in own:
            continue
        for ln in lines:
            split = pats.split_label(ln)
            if pats.heading(ln) == key or (split is not None and split[0] == key):
                return True
    return False


def check_tables(report: Report, pats: Patterns) -> list[Finding]:
    """A project's plain table that has the shape of a KPI grid (fiscal-year columns, 目標 or
    実績 rows) is a grid whose indicator was not read."""
    out: list[Finding] = []
    for k, p in enumerate(report.projects):
        for t in p.tables:
            years = [y for h in t.header if (y := year_of(h, pats)) is not None]
            rows = [r for r in t.rows if r and kpi_row_kind(r[0], pats)]
            if t.kind != "kpi" and len(set(years)) >= 1 and rows:
                page = t.provenance.page if t.provenance else _first_page(p)
                out.append(Finding(warn("kpi_grid_as_table", p.name, page, title=t.title or normalize_text(rows[0][0])), k))
    return out


# ---------------------------------------------------------------- text left over

def _segments(line: str) -> list[str]:
    """A laid-out line as the pieces set off by spaces, marks and bullets taken off."""
    out = []
    for seg in _SPACE.split(normalize_text(line)):
        seg = strip_bullet(seg)
        seg = split_numbered(seg)[1] if LINE_MARKERS.match(seg) else seg
        if seg:
            out.append(seg)
    return out


def _project_text(p: Project) -> str:
    parts = [p.name, p.goal or "", *p.plan, *p.activities, *p.supplement, *p.results, *p.achievements,
             *p.challenges, *p.next_plan, *(c.text for c in p.check), *(a.text for a in p.action)]
    for ind in p.indicators:
        parts += [ind.name, ind.unit or "", *(t for v in ind.values for t in (v.target_text, v.actual_text))]
    parts += [c for t in p.tables for c in [t.title or "", *t.header, *(x for r in t.rows for x in r)]]
    return "\x00".join(_SPACE.sub("", normalize_text(x)) for x in parts if x)


def _boilerplate(ev: Evidence, s: ExtractSettings) -> set[str]:
    """Segments (digits aside) printed on many pages: print titles, sheet headers."""
    seen = Counter(key for lines in ev.lines.values()
                   for key in {re.sub(r"[0-9\s]+", "", seg) for ln in lines for seg in _segments(ln)})
    need = max(s.repeat_min_pages, int(s.repeat_share * len(ev.lines)))
    return {key for key, n in seen.items() if n >= need}


def _unread(seg: str, read: str, pats: Patterns) -> bool:
    """A piece of a page's text that no field holds, nor is it a label; a label or a title's
    numbering printed against its content (「施策における目標魅力と…」, 「Plan事業計画・…」) is
    taken off first: the longest start of the piece that is a label."""
    if seg in read or _labelish(seg, read, pats):
        return False
    rest = pats.title_number.sub("", seg)
    cut = next((n for n in range(min(len(rest), _LABEL_MAX_CHARS), 1, -1) if pats.heading(rest[:n])), 0)
    rest = strip_bullet(rest[cut:])
    return rest == seg or not (rest in read or _labelish(rest, read, pats))


def _labelish(seg: str, read: str, pats: Patterns) -> bool:
    """A piece of a page's text that is no content: a label or tag, a page number, an article
    heading, a KPI grid's year heading or 目標/実績 row label, a 【参考：…】 title of a grid read."""
    if seg.isdigit() or pats.heading(seg) or pats.is_tag_only(seg) or pats.article_heading(seg) is not None:
        return True
    if kpi_row_kind(seg, pats) or (year_of(seg, pats) is not None and len(seg) <= _YEAR_HEAD_CHARS) \
            or pats.kpi_unit.fullmatch(seg) or pats.kpi_unit_header.match(seg):
        return True
    ref = pats.reference.match(seg)
    return bool(ref and _SPACE.sub("", ref.group("name") or ref.group("after") or "") in read)


def check_unread(report: Report, ev: Evidence, pats: Patterns, s: ExtractSettings) -> list[Finding]:
    """Each body page's text is in some field: the share of its characters that none holds
    (labels, tags and text repeated on every page aside) stays under `unread_share_max`."""
    owners: dict[int, list[int]] = {}
    for k, p in enumerate(report.projects):
        for pg in p.pages:
            owners.setdefault(pg, []).append(k)
    texts = {k: _project_text(p) for k, p in enumerate(report.projects)}
    common = _boilerplate(ev, s) | {_SPACE.sub("", normalize_text(o.policy)) for o in report.article_opinions}
    out: list[Finding] = []
    for page, lines in sorted(ev.lines.items()):
        ks = owners.get(ev.printed.get(page) or page, [])
        if not ks:
            continue
        read = "\x00".join(texts[k] for k in ks)
        total = left = 0
        for seg in (seg for ln in lines for seg in _segments(ln)):
            total += len(seg)
            if re.sub(r"[0-9\s]+", "", seg) not in common and _unread(seg, read, pats):
                left += len(seg)
        if left >= s.unread_min_chars and left > s.unread_share_max * total:
            name = report.projects[ks[0]].name if len(ks) == 1 else None
            out.append(Finding(warn("page_text_unread", name, page, share=round(100 * left / total)), None))
    return out
