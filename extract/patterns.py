"""Heading and label patterns, loaded from headings.toml (data, not code)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .normalize import normalize_text

LINE_MARKERS = re.compile(
    r"^(?:[・･\-‐−－○◯●◎■□◆◇▪▫•※\u2460-\u2473\u3251-\u325f]"
    r"|[（(][0-9一二三四五六七八九十]{1,2}[)）]|[【〈<＜]|[0-9]{1,2}[.．]\s)"
)

SENTENCE_END = ("。", "！", "？")  # what closes a Japanese sentence
OPEN_BRACKETS, CLOSE_BRACKETS = "（(「『【〔", "）)」』】〕"  # a text opening more than it closes goes on
HANGING_PUNCT = ("、", "。", "，", "．")  # punctuation a typesetter may hang past the column's edge
WORD_DOT = "・"  # 中黒: a bullet at an item's start, or the dot between two words (「機械・施設」)
NO_LINE_START = "、。，．）」』】〕〉》・ー！？：；ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞ"
"""Characters a line may not open with (kinsoku): a wrap carries the character before them over too."""

# An English tag in brackets after or before a label: 「事業計画（Plan）」, 「【Check】主な検証意見」.
_BRACKETED_TAG = re.compile(r"[（(［\[【〔〈<＜]([A-Za-z][A-Za-z・/&]*)[）)］\]】〕〉>＞]")
_TAG_DECOR = re.compile(r"[（(［\[【〔〈<＜）)］\]】〕〉>＞]")  # the brackets a tag may stand in
_TAG_JOINERS = "・/&:："  # what joins two tags, or a tag to its label
MAX_LABEL_WORDS = 4  # a label printed with spaces: 「事業計画 Plan」, 「P 事業計画」, 「Check 主な 検証意見」


@dataclass(frozen=True)
class Patterns:
    sections: dict[str, re.Pattern]
    tags: dict[str, set[str]]
    numbered: dict[str, re.Pattern]  # cores that are a label only after a numbering (「1. 目標」)
    all_tags: frozenset[str]
    article: re.Pattern
    article_cell: re.Pattern
    article_override: re.Pattern
    article_lead: re.Pattern
    reference: re.Pattern
    kpi_target: re.Pattern
    kpi_actual: re.Pattern
    kpi_unit: re.Pattern
    kpi_year: re.Pattern
    kpi_name_note: re.Pattern
    kpi_name_label: re.Pattern
    kpi_unit_header: re.Pattern
    title_number: re.Pattern
    toc_heading: re.Pattern
    numbering: re.Pattern
    continued: re.Pattern
    heading_mark: re.Pattern  # a mark before a heading: 「▼ 12条 …」
    enclosed: re.Pattern  # a label set in brackets: 「【事業計画】」, 「〈事業計画〉 Plan」
    enclosed_within: re.Pattern  # the same, anywhere in a text (the pattern without its anchor)
    kpi_value_remark: re.Pattern
    null_values: frozenset[str]
    tables: dict[str, list[str]]
    title_words: list[str]
    published: re.Pattern
    fiscal_year: re.Pattern
    organisation: re.Pattern
    mark: re.Pattern
    label_words: tuple[str, ...] = ()  # the section labels printed as plain words (「検証・改善」)
    merged_into: re.Pattern = re.compile(r"(?!)")  # a project list's note naming a merge target

    def article_heading(self, text: str) -> int | None:
        """The article number of a heading line 「第12条　（施策の名）」, else None."""
        m = self.article.match(re.sub(r"\s+", " ", text))
        return int(m.group("no")) if m and not LINE_MARKERS.match(text) else None

    def reference_name(self, text: str) -> str | None:
        """The indicator's name in a 参考 title (「【参考：…件数】」, 「【参考】…件数」), else None."""
        m = self.reference.match(text.strip())
        return next((v for v in m.groupdict().values() if v), None) if m else None

    def kpi_name_of(self, cells: list[str]) -> str | None:
        """The indicator's name a row of cells gives by a name label (「指標名 | …の開催回数」 or
        「指標名：…」 in one cell): the first cell with text after the label; None when the row
        does not open with such a label or names nothing."""
        filled = [t for t in (normalize_text(c).strip() for c in cells) if t]
        if not filled:
            return None
        head = re.sub(r"\s+", "", filled[0])
        if self.kpi_name_label.fullmatch(head):
            rest = [t for t in filled[1:] if re.sub(r"\s+", "", t) != head]
            return rest[0] if rest else None
        m = re.match(rf"(?:{self.kpi_name_label.pattern})\s*[:：]\s*(?P<name>\S.*)$", filled[0])
        return m.group("name").strip() if m else None

    def is_mark(self, text: str) -> bool:
        """A draft's placeholder (【要記入】) standing alone: not content."""
        return bool(self.mark.match(re.sub(r"\s+", "", normalize_text(text))))

    def heading(self, text: str) -> str | None:
        """The section key a line announces, or None. Tags may precede or follow the core; a
        numbering or bullet may open it (「(2) 事業計画 [P]」), a mark that it goes on after a page
        break may close it (「検証・改善（続き）」)."""
        t = re.sub(r"\s+", "", normalize_text(text))
        if (c := self.continued.search(t)) and c.start() > 0:
            t = t[: c.start()]
        t = _BRACKETED_TAG.sub(r"\1", t)
        key = self._heading(t, self.sections)
        if key is None and (m := self.numbering.match(t)) and m.end() < len(t):
            t = t[m.end():]
            key = self._heading(t, self.sections) or self._heading(t, self.numbered)
        if key is None and (m := self.enclosed.match(t)):  # set off by brackets as by a number
            t = m.group("label") + t[m.end():]
            key = self._heading(t, self.sections) or self._heading(t, self.numbered)
        return key

    def _heading(self, t: str, sections: dict[str, re.Pattern]) -> str | None:
        for key, rx in sections.items():
            if rx.fullmatch(t):
                return key
            tags = self.tags.get(key, ())
            # a badge before, a tag after, or both: 「P 事業計画」「事業計画 Plan」「P 事業計画（Plan）」;
            # a badge and a tag both before: 「P Plan 事業計画」
            heads = [t]
            for _ in range(2):
                heads += [h[len(a):].lstrip(":：・") for h in heads for a in tags if h.startswith(a)]
            for h in heads:
                if rx.fullmatch(h) or any(h.endswith(b) and rx.fullmatch(h[: -len(b)].rstrip(":：・")) for b in tags):
                    return key
        return None

    def split_label(self, text: str) -> tuple[str, str] | None:
        """(key, rest) when a line opens with a section label and goes on with its content
        (「施策における目標　次代を支える…」); the label must be set off by a space."""
        parts = re.split(r"(\s+)", text.strip())
        best = None
        for k in range(1, min(len(parts) // 2, MAX_LABEL_WORDS) + 1):
            head = "".join(parts[: 2 * k - 1])
            rest = "".join(parts[2 * k:])
            key = self.heading(head)
            if key and rest.strip():
                best = (key, rest)
        return best

    def is_number_head(self, text: str) -> bool:
        """A column head over item numbers (「No.」, 「番号」)."""
        return re.sub(r"\s+", "", normalize_text(text)) in self.tables.get("number_column", ())

    def is_tag_only(self, text: str) -> bool:
        """A line that is only a tag (a badge printed on its own, 「（Plan）」), or a piece of one
        wrapped off its label in a narrow column (「（Check・」 over 「Action）」), or tags joined
        (「[C・A]」: the badge of a section that holds two)."""
        t = _TAG_DECOR.sub("", re.sub(r"\s+", "", normalize_text(text))).strip(_TAG_JOINERS)
        return all(x in self.all_tags for x in re.split(f"[{re.escape(_TAG_JOINERS)}]", t))


def load_patterns(path: str | Path | None = None) -> Patterns:
    if path is None:
        return _default_patterns()
    return _compile(tomllib.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _default_patterns() -> Patterns:
    data = resources.files("hokoku.extract").joinpath("headings.toml").read_text(encoding="utf-8")
    return _compile(tomllib.loads(data))


def _compile(d: dict) -> Patterns:
    ph = d.get("placeholders", {})

    def expand(rx: str) -> str:
        for k, v in ph.items():
            rx = rx.replace("{" + k + "}", v)
        return rx

    def alternatives(cores: list[str]) -> re.Pattern:
        return re.compile("|".join(f"(?:{expand(c)})" for c in cores))

    sections = {k: alternatives(v["core"]) for k, v in d["sections"].items()}
    numbered = {k: alternatives(v["numbered"]) for k, v in d["sections"].items() if v.get("numbered")}
    tags = {k: set(v.get("tag", [])) for k, v in d["sections"].items()}
    # longest tags first so 'Plan' is tried before 'P'
    tags = {k: sorted(v, key=len, reverse=True) for k, v in tags.items()}
    k = d["kpi"]
    return Patterns(
        sections=sections,
        tags=tags,
        numbered=numbered,
        all_tags=frozenset(t for v in tags.values() for t in v),
        article=re.compile(d["article"]["pattern"]),
        article_cell=re.compile(d["article"]["cell"]),
        article_override=re.compile(d["article"]["override"]),
        article_lead=re.compile(d["article"].get("lead", r"(?!)")),
        reference=re.compile(d["reference"]["pattern"]),
        kpi_target=re.compile(k["target"]),
        kpi_actual=re.compile(k["actual"]),
        kpi_unit=re.compile(k["unit"]),
        kpi_year=re.compile(k["year"]),
        kpi_name_note=re.compile(k.get("name_note", r"(?!)")),
        kpi_name_label=re.compile("|".join(f"(?:{x})" for x in k.get("name_label", [])) or r"(?!)"),
        kpi_unit_header=re.compile(k.get("unit_header", r"(?!)")),
        title_number=re.compile(d.get("title", {}).get("number", r"(?!)")),
        toc_heading=re.compile(d.get("toc", {}).get("heading", r"(?!)")),
        numbering=re.compile(d.get("numbering", {}).get("prefix", r"(?!)")),
        continued=re.compile(d.get("numbering", {}).get("continued", r"(?!)")),
        enclosed=re.compile(d.get("numbering", {}).get("enclosed", r"(?!)")),
        enclosed_within=re.compile(d.get("numbering", {}).get("enclosed", r"(?!)").removeprefix("^")),
        heading_mark=re.compile(d.get("numbering", {}).get("mark", r"(?!)")),
        kpi_value_remark=re.compile(k.get("value_remark", r"(?!)")),
        null_values=frozenset(k["null_values"]),
        tables={"overview_name": d["tables"].get("project_list", []), **d["tables"]},
        title_words=d["report"]["title_words"],
        published=re.compile(d["report"]["published"]),
        fiscal_year=re.compile(d["report"]["fiscal_year"]),
        organisation=re.compile(d["report"].get("organisation", r"(?!)")),
        mark=re.compile(d.get("marks", {}).get("pattern", r"(?!)")),
        label_words=tuple(c for v in d["sections"].values() for c in v["core"] if c == re.escape(c)),
        merged_into=re.compile(d.get("listing", {}).get("merged_into", r"(?!)")),
    )
