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


@dataclass(frozen=True)
class Patterns:
    sections: dict[str, re.Pattern]
    tags: dict[str, set[str]]
    all_tags: frozenset[str]
    article: re.Pattern
    article_cell: re.Pattern
    article_override: re.Pattern
    reference: re.Pattern
    kpi_target: re.Pattern
    kpi_actual: re.Pattern
    kpi_unit: re.Pattern
    kpi_year: re.Pattern
    null_values: frozenset[str]
    tables: dict[str, list[str]]
    title_words: list[str]
    published: re.Pattern
    fiscal_year: re.Pattern

    def heading(self, text: str) -> str | None:
        """The section key a line announces, or None. Tags may precede or follow the core."""
        t = re.sub(r"\s+", "", normalize_text(text))
        for key, rx in self.sections.items():
            if rx.fullmatch(t):
                return key
            for tag in self.tags.get(key, ()):
                if t.startswith(tag) and rx.fullmatch(t[len(tag):].lstrip(":：・")):
                    return key
                if t.endswith(tag) and rx.fullmatch(t[: -len(tag)].rstrip(":：・")):
                    return key
        return None

    def is_tag_only(self, text: str) -> bool:
        return re.sub(r"\s+", "", text) in self.all_tags


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

    sections = {k: re.compile("|".join(f"(?:{expand(c)})" for c in v["core"])) for k, v in d["sections"].items()}
    tags = {k: set(v.get("tag", [])) for k, v in d["sections"].items()}
    # longest tags first so 'Plan' is tried before 'P'
    tags = {k: sorted(v, key=len, reverse=True) for k, v in tags.items()}
    k = d["kpi"]
    return Patterns(
        sections=sections,
        tags=tags,
        all_tags=frozenset(t for v in tags.values() for t in v),
        article=re.compile(d["article"]["pattern"]),
        article_cell=re.compile(d["article"]["cell"]),
        article_override=re.compile(d["article"]["override"]),
        reference=re.compile(d["reference"]["pattern"]),
        kpi_target=re.compile(k["target"]),
        kpi_actual=re.compile(k["actual"]),
        kpi_unit=re.compile(k["unit"]),
        kpi_year=re.compile(k["year"]),
        null_values=frozenset(k["null_values"]),
        tables=d["tables"],
        title_words=d["report"]["title_words"],
        published=re.compile(d["report"]["published"]),
        fiscal_year=re.compile(d["report"]["fiscal_year"]),
    )
