"""Structure layer: paragraphs and tables → projects with their PDCA sections.

The document is read as a stream. A project starts where a goal heading
(施策における目標) appears, or a plan heading after the previous project's plan;
its name is the short title line(s) just before. Sections are attached to
the open project; tables are classified by their header and their shape.
After the その他の事業 heading, each two-column 概要/実績 table (or title plus
概要/実績 headings) is one non-verified project, under the latest article heading.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .layout import Line, PageLayout, TableRegion
from .model import (ActionItem, ArticleOpinion, CheckItem, Project, Provenance,
                    ReportInfo)
from .normalize import normalize_text, split_numbered, strip_bullet
from .paragraphs import Para, build_paragraphs
from .patterns import Patterns
from .settings import ExtractSettings
from .tables import Grid, classify, parse_kpi, to_grid, to_table, _same_columns

# Sections whose paragraphs are plain item lists on the project.
LIST_FIELDS = {
    "plan": "plan",
    "activities": "activities",
    "supplement": "supplement",
    "do": "results",
    "results": "results",
    "achievements": "achievements",
    "challenges": "challenges",
    "next_plan": "next_plan",
}
NOTE_MARK = "※"
# Sections that (re)open a project's later part; a plan heading after these starts a new project.
AFTER_PLAN = {"activities", "indicators", "supplement", "do", "results", "program",
              "achievements", "challenges", "check", "action", "next_plan"}


@dataclass
class Parsed:
    info: ReportInfo
    projects: list[Project]
    article_opinions: list[ArticleOpinion]
    project_list: list[tuple[int, list[str], tuple[int, int] | None]] = field(default_factory=list)
    headings_found: int = 0


def _stream(pages: list[PageLayout], s: ExtractSettings) -> list[Line | TableRegion | list[TableRegion] | None]:
    """All items in reading order, None between pages; a table continued on the next page
    (it opens the page and lines up with the table that closed the previous one) joins it."""
    out: list = []
    for p in pages:
        first = True
        column = None
        for it in p.items:
            if column == "left" and it.column == "right":
                first = True  # the flow goes on at the top of the right panel
            column = it.column
            if isinstance(it, TableRegion):
                last = _last_real(out)
                if first and isinstance(last, list) and last[-1].page in (it.page, it.page - 1) \
                        and _same_columns(last[-1], it, s) and not _starts_new_table(last[0], it):
                    last.append(it)
                else:
                    out.append([it])
            else:
                out.append(it)
            first = False
        out.append(None)
    return out


def _title_row(region: TableRegion) -> str | None:
    """Text of a first row that is one merged cell (a table's own title), else None."""
    row = region.rows[0] if region.rows else []
    cells = [c for c in row if c is not None]  # pdfplumber gives None where a merged cell spans
    return cells[0].text if len(cells) == 1 and len(row) > 1 and cells[0].lines else None


def _starts_new_table(first: TableRegion, nxt: TableRegion) -> bool:
    """A table opening a page with its own, different title row is not a continuation."""
    a, b = _title_row(first), _title_row(nxt)
    return b is not None and a != b


def _last_real(items: list):
    for it in reversed(items):
        if it is not None:
            return it
    return None


class _Builder:
    def __init__(self, pages: list[PageLayout], pats: Patterns, s: ExtractSettings, body_size: float):
        self.pats, self.s, self.body = pats, s, body_size
        self.printed = {p.index: p.printed for p in pages}
        self.projects: list[Project] = []
        self.opinions: list[ArticleOpinion] = []
        self.project_list: list[tuple[int, list[str], tuple[int, int] | None]] = []
        self.article: int | None = None
        self.body_article: dict[int, int] = {}  # project index → article from a body heading
        self.cur: Project | None = None
        self.section: str | None = None
        self.in_other = False
        self.pending_name: tuple[str, bool] | None = None  # (indicator name, is reference)
        self.last_title_line: str | None = None  # ○/【】 line before a table
        self.headings = 0
        self.page_uses: dict[int, Counter] = {}
        self.done = False  # reference material after the projects has begun

    # -------------------------------------------------------------- helpers

    def _article_heading(self, p: Para) -> int | None:
        m = self.pats.article.match(re.sub(r"\s+", " ", p.text))
        return int(m.group("no")) if m and not starts_with_marker(p.text) else None

    def _titleish(self, p: Para) -> bool:
        """One short line, or a title-sized paragraph wrapped over a few lines."""
        if p.heading or self._article_heading(p) is not None:
            return False
        big = p.size >= self.body + self.s.title_size_delta
        if len(p.lines) > (self.s.title_max_lines if big else 1):
            return False
        t = p.text
        if not t or len(t) > self.s.title_max_chars or strip_bullet(t) != t:
            return False
        return big or p.heavy

    def _page_of(self, page: int) -> int:
        return self.printed.get(page) or page

    def _touch(self, page: int) -> None:
        if self.cur is not None:
            pg = self._page_of(page)
            self.page_uses.setdefault(id(self.cur), Counter())[pg] += 1
            if pg not in self.cur.pages:
                self.cur.pages.append(pg)

    def _untouch(self, page: int) -> None:
        """A paragraph taken back from the open project no longer puts it on its page."""
        if self.cur is None:
            return
        pg = self._page_of(page)
        uses = self.page_uses.setdefault(id(self.cur), Counter())
        uses[pg] -= 1
        if uses[pg] <= 0 and pg in self.cur.pages:
            self.cur.pages.remove(pg)

    def _new_project(self, title: list[Para], kind: str) -> Project:
        name = normalize_text(" ".join(p.text for p in title)) if title else ""
        first = title[0] if title else None
        proj = Project(name=name, kind=kind, article=self.article if kind == "other" else None,
                       provenance=Provenance(page=first.page, bbox=first.bbox, raw=" ".join(p.raw for p in title)) if first else None)
        if kind == "verified" and self.article is not None:
            self.body_article[len(self.projects)] = self.article
        self.projects.append(proj)
        self.cur = proj
        self.pending_name = None
        self.last_title_line = None
        for p in title:
            self._touch(p.page)
        return proj

    # -------------------------------------------------------------- main loop

    def run(self, items: list[Para | list[TableRegion]]) -> None:
        i = 0
        while i < len(items):
            it = items[i]
            if isinstance(it, list):
                self._table(it, items, i)
            else:
                self._para(it, items, i)
            i += 1

    def _take_title(self, items: list, i: int) -> list[Para]:
        """Title paragraph(s) just before index i; removed from where they were filed."""
        title: list[Para] = []
        j = i - 1
        while j >= 0 and isinstance(items[j], Para) and items[j].text.startswith(NOTE_MARK):
            j -= 1  # a note printed between a title and its content
        i = j + 1
        while j >= 0 and len(title) < 2:
            p = items[j]
            if not isinstance(p, Para) or not self._titleish(p):
                break
            if title and (abs(p.size - title[0].size) > self.s.same_size_tol):
                break
            title.insert(0, p)
            j -= 1
        if not title and i and isinstance(items[i - 1], Para) and not items[i - 1].heading \
                and self._article_heading(items[i - 1]) is None \
                and len(items[i - 1].lines) == 1 and len(items[i - 1].text) <= self.s.title_max_chars:
            title = [items[i - 1]]
        for p in reversed(title):  # filed last first
            self._unfile(p)
        return title

    def _unfile(self, p: Para) -> None:
        """Remove a paragraph that turned out to be the next project's title from the open project."""
        if self.cur is None:
            return
        self._untouch(p.page)
        t = self._item_text(p)
        for fname in set(LIST_FIELDS.values()):
            lst = getattr(self.cur, fname)
            if lst and lst[-1] == t:
                lst.pop()
                return
        if self.section in ("check", "action"):
            lst = self.cur.check if self.section == "check" else self.cur.action
            if lst and lst[-1].text.endswith(p.text):
                lst[-1].text = lst[-1].text[: -len(p.text)]
        if self.cur.goal == p.text:
            self.cur.goal = None

    @staticmethod
    def _item_text(p: Para) -> str:
        return normalize_text(strip_bullet(p.text))

    def _para(self, p: Para, items: list, i: int) -> None:
        key = p.heading
        text = p.text
        if key is None and self._article_heading(p) is not None:
            self.article = self._article_heading(p)
            return
        if key:
            self.headings += 1
            if key == "appendix":
                self.cur = None
                self.section = None
                self.in_other = False
                self.done = bool(self.projects)
                return
            if self.done:
                return
            if key == "other_part":
                if self.projects:
                    self.in_other = True
                    self.cur = None
                    self.section = None
                return
            if self.in_other:
                if key == "next_plan" or (key == "results" and self.cur is None):
                    title = self._take_title(items, i)
                    name = normalize_text(" ".join(t.text for t in title)) if title else None
                    self._other_project(name, p.page, p.bbox)
                if key in ("next_plan", "results"):
                    self.section = key
                return
            if key == "goal" or (key == "plan" and (self.cur is None or self.section in AFTER_PLAN)):
                self._new_project(self._take_title(items, i), "verified")
            if self.cur is None:
                return
            self.section = key
            self._touch(p.page)
            return
        if self.cur is None:
            return
        self._touch(p.page)
        sec = self.section
        ref = self.pats.reference.match(text)
        if ref:
            self.pending_name = (normalize_text(ref.group("name")), True)
            return
        if sec == "goal":
            self.cur.goal = text if not self.cur.goal else self.cur.goal + text
        elif sec == "indicators":
            self.pending_name = (normalize_text(strip_bullet(text)), False)
        elif sec == "check":
            self._numbered(p, self.cur.check, is_action=False)
        elif sec == "action":
            self._numbered(p, self.cur.action, is_action=True)
        elif sec in LIST_FIELDS:
            t = self._item_text(p)
            if t:
                getattr(self.cur, LIST_FIELDS[sec]).append(t)
                if starts_with_marker(text) or text.startswith("【"):
                    self.last_title_line = t

    def _numbered(self, p: Para, target: list, is_action: bool) -> None:
        nums, body = split_numbered(p.text)
        body = normalize_text(body)
        prov = Provenance(page=p.page, bbox=p.bbox, raw=p.raw)
        if nums:
            if is_action:
                target.append(ActionItem(no=nums[0], answers=nums, text=body, provenance=prov))
            else:
                target.append(CheckItem(no=nums[0], text=body, provenance=prov))
        elif target:
            target[-1].text += body  # a further paragraph of the same item
        elif body:
            n = len(target) + 1
            target.append(ActionItem(no=n, answers=[n], text=body, provenance=prov) if is_action
                          else CheckItem(no=n, text=body, provenance=prov))

    def _table(self, regions: list[TableRegion], items: list, i: int) -> None:
        grid = to_grid(regions, self.s)
        if not grid.rows:
            return
        kind = classify(grid, self.pats)
        if kind == "article_opinions":
            self._article_opinions(grid)
            return
        if kind == "project_list":
            self._project_list(grid)
            return
        if self.in_other and kind == "overview":
            self._overview(grid, items, i)
            return
        if self.cur is None:
            return
        for r in regions:
            self._touch(r.page)
        if kind == "kpi":
            name, ref = self.pending_name or ("", False)
            self.cur.indicators.append(parse_kpi(grid, name, self.pats, reference=ref))
            self.pending_name = None
            return
        self.cur.tables.append(to_table(grid, self.last_title_line, kind))
        self.last_title_line = None

    # -------------------------------------------------------------- special tables

    def _article_no(self, text: str) -> int | None:
        m = self.pats.article_cell.match(re.sub(r"\s+", "", normalize_text(text)))
        return int(m.group("no")) if m else None

    def _article_opinions(self, grid: Grid) -> None:
        for row in grid.rows:
            if len(row) < 3:
                continue
            art = self._article_no("".join(row[0]))
            if art is None:
                continue
            policy = normalize_text("".join(row[1]))
            ops = [normalize_text(strip_bullet(t)) for t in row[-1] if t]
            prev = self.opinions[-1] if self.opinions else None
            if prev and prev.article == art:
                prev.opinions.extend(ops)  # the row continued on the next page
            else:
                self.opinions.append(ArticleOpinion(article=art, policy=policy, opinions=ops,
                                                    provenance=Provenance(page=grid.page, bbox=grid.bbox)))

    def _project_list(self, grid: Grid) -> None:
        for row in grid.rows:
            if not row:
                continue
            art = self._article_no("".join(row[0]))
            if art is None:
                continue
            names = [n for c in row[2:-1] for n in c] if len(row) > 3 else (row[-1] if len(row) > 1 else [])
            pages = _page_range("".join(row[-1])) if len(row) > 3 else None
            self.project_list.append((art, [normalize_text(n) for n in names], pages))

    def _overview(self, grid: Grid, items: list, i: int) -> None:
        """A その他の事業 table: optional name row, a 概要 | 実績 header, content rows."""
        rows = grid.rows
        name = None
        start = 0
        for k, r in enumerate(rows):
            joined = " ".join(" ".join(c) for c in r)
            if any(w in joined for w in self.pats.tables["overview"]):
                start = k + 1
                if k > 0:
                    cand = [c for c in rows[0] if c]
                    if len(cand) == 1:
                        name = normalize_text(" ".join(cand[0]))
                overview_col = next(j for j, c in enumerate(r) if any(w in " ".join(c) for w in self.pats.tables["overview"]))
                break
        else:
            return
        if name is None:
            title = self._take_title(items, i)
            name = normalize_text(" ".join(p.text for p in title)) if title else None
        proj = self._other_project(name, grid.page, grid.bbox)
        for r in grid.regions:
            self._touch(r.page)
        result_col = 1 - overview_col if len(rows[start - 1]) == 2 else len(rows[start - 1]) - 1
        for r in rows[start:]:
            if overview_col < len(r):
                proj.next_plan.extend(normalize_text(strip_bullet(t)) for t in r[overview_col] if t)
            if result_col < len(r):
                proj.results.extend(normalize_text(strip_bullet(t)) for t in r[result_col] if t)

    def _other_project(self, name: str | None, page: int, bbox) -> Project:
        """The open その他の事業 project when this block continues it (same name, or no name
        printed), else a new one."""
        cur = self.cur
        if cur is not None and cur.kind == "other" and cur.article == self.article and (name is None or cur.name == name):
            return cur
        proj = self._new_project([], "other")
        proj.name = name or ""
        proj.provenance = Provenance(page=page, bbox=list(bbox), raw=name)
        return proj


def starts_with_marker(text: str) -> bool:
    return strip_bullet(text) != text


def _page_range(text: str) -> tuple[int, int] | None:
    nums = [int(x) for x in re.findall(r"[0-9]+", normalize_text(text))]
    if not nums:
        return None
    return (min(nums), max(nums))


def assign_articles(b: _Builder) -> None:
    """Verified projects: article from the project-list table (override 「（15条）」 first,
    then printed page range, then name), else from the article heading above them."""
    for idx, proj in enumerate(b.projects):
        if proj.kind != "verified":
            continue
        art = None
        for a, names, _ in b.project_list:
            for n in names:
                m = b.pats.article_override.search(n)
                if m and b.pats.article_override.sub("", n).strip() and b.pats.article_override.sub("", n).strip() in proj.name:
                    art = int(m.group("no"))
        if art is None and idx in b.body_article:
            art = b.body_article[idx]
        if art is None and proj.pages:
            for a, _, rng in b.project_list:
                if rng and rng[0] <= proj.pages[0] <= rng[1]:
                    art = a
                    break
        if art is None:
            for a, names, _ in b.project_list:
                if any(n and (n in proj.name or proj.name.endswith(n)) for n in names):
                    art = a
                    break
        proj.article = art


def read_info(pages: list[PageLayout], pats: Patterns) -> ReportInfo:
    """Title, fiscal year, era label and publication month from the cover page(s)."""
    lines = [normalize_text(it.text) for p in pages[:2] for it in p.items if isinstance(it, Line)]
    lines += [normalize_text(t) for p in pages[:1] for t in p.running]
    title = next((ln for ln in lines if any(w in ln for w in pats.title_words)), "")
    text = "\n".join(lines)
    fy = pats.fiscal_year.search(text)
    pub = pats.published.search(text)
    from .era import parse_era_year

    return ReportInfo(
        title=title,
        fiscal_year=parse_era_year(fy.group("label")) if fy else None,
        era_label=fy.group("label") if fy else None,
        published=pub.group("label") if pub else None,
    )


def build_structure(pages: list[PageLayout], pats: Patterns, s: ExtractSettings, body_size: float) -> Parsed:
    stream = _stream(pages, s)
    flat: list = []
    for it in stream:
        flat.append(it if not isinstance(it, list) else _TableGroup(it))
    paras = build_paragraphs(flat, pats, s)
    items = [it.regions if isinstance(it, _TableGroup) else it for it in paras]
    b = _Builder(pages, pats, s, body_size)
    b.run(items)
    assign_articles(b)
    for proj in b.projects:
        proj.pages.sort()
    return Parsed(info=read_info(pages, pats), projects=b.projects, article_opinions=b.opinions,
                  project_list=b.project_list, headings_found=b.headings)


class _TableGroup(TableRegion):
    """A run of TableRegions forming one logical table, passed through paragraph building."""

    def __init__(self, regions: list[TableRegion]):
        super().__init__(page=regions[0].page, bbox=regions[0].bbox, rows=regions[0].rows, column=regions[0].column)
        self.regions = regions
