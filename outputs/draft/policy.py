"""The marking policy: which text copied from last year's report gets 【要修正】 in the draft, and why.

A mark must mean "this changes next year", or reviewers learn to skip them. So a text is
marked when it states the report's year, a period ending in it, a date it is "as of", or a
figure tied to a year (a count or amount in a sentence naming a year); a date or a fact of the
past alone is left as printed. The patterns are data (marking.toml); era years go through
extract/era.py, so 令和3年, 令和３（2021）年 and 2021年 are one year.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hokoku.extract.era import ERAS, FIRST_YEAR, to_era, to_western
from hokoku.extract.model import Table

YEAR = "year"  # states the report's year
PERIOD = "period"  # a period that ends in the report's year
AS_OF = "as_of"  # a date the text is as of (名簿（令和4年8月現在）)
FIGURE = "figure"  # a count or amount tied to a year
YEARLY_TABLE = "yearly_table"  # a table of the year's own content (施策一覧, 主な検証意見)


@dataclass(frozen=True)
class YearHit:
    """A year printed in a text: where, and which western year; `era` when printed as an era year."""

    start: int
    end: int
    year: int
    era: str | None


def _number(digits: str) -> int:
    return 1 if digits == FIRST_YEAR else int(unicodedata.normalize("NFKC", digits))


class Policy:
    """marking.toml compiled: `reasons` for a paragraph, `table_reasons` for a table, `advance` for a title."""

    def __init__(self, data: dict):
        eras = "|".join(name for name, _, _ in ERAS)
        y = data["year"]
        self.year = re.compile(f"{y['era'].replace('{era}', eras)}|{y['western']}")
        self.bare = re.compile(y["bare"])
        self.words = tuple(y["words"])
        self.connector = re.compile(data["period"]["connector"])
        self.as_of = re.compile(data["as_of"]["after_year"])
        f = data["figure"]
        self.figure, self.not_after, self.sentence_end = re.compile(f["pattern"]), re.compile(f["not_after"]), re.compile(f["sentence_end"])
        t = data["table"]
        self.statistic_cell, self.number_cell = re.compile(t["statistic_cell"]), re.compile(t["number_cell"])
        self.numeric_share = float(t["numeric_share"])
        self.yearly_kinds = frozenset(t["yearly_kinds"])

    def years(self, text: str) -> list[YearHit]:
        """Every year printed in `text`, in order."""
        out = []
        for m in self.year.finditer(text):
            if m.group("era"):
                out.append(YearHit(m.start(), m.end(), to_western(m.group("era"), _number(m.group("era_year"))), m.group("era")))
            else:
                out.append(YearHit(m.start(), m.end(), _number(m.group("western")), None))
        return out

    def _period_ends(self, text: str, hits: list[YearHit]) -> list[int]:
        """The last year of each period printed (start, connector, end; an end without its era takes the start's)."""
        ends = []
        for i, h in enumerate(hits):
            nxt = hits[i + 1] if i + 1 < len(hits) else None
            if nxt is not None and self.connector.fullmatch(text[h.end:nxt.start]):
                ends.append(nxt.year)
                continue
            gap = self.connector.match(text, h.end)
            bare = self.bare.match(text, gap.end()) if gap and h.era else None
            if bare and (nxt is None or bare.start() < nxt.start):
                ends.append(to_western(h.era, _number(bare.group("bare"))))
        return ends

    def _figures(self, sentence: str) -> bool:
        return any(not self.not_after.match(sentence, m.end()) for m in self.figure.finditer(sentence))

    def reasons(self, text: str, fy0: int) -> set[str]:
        """Why `text` (of the FY `fy0` report) must be revised for next year; empty when it stays as printed."""
        out: set[str] = set()
        hits = self.years(text)
        if any(h.year == fy0 for h in hits) or any(w in text for w in self.words):
            out.add(YEAR)
        if fy0 in self._period_ends(text, hits):
            out.add(PERIOD)
        if any(self.as_of.match(text, h.end) for h in hits):
            out.add(AS_OF)
        start = 0
        for end in [m.end() for m in self.sentence_end.finditer(text)] + [len(text)]:
            sentence = text[start:end]
            if self.year.search(sentence) and self._figures(sentence):
                out.add(FIGURE)
                break
            start = end
        return out

    def table_reasons(self, table: Table, fy0: int) -> set[str]:
        """Why a chapter table must be revised: its cells' reasons, statistics (cells or mostly numbers), or its kind."""
        cells = [table.title or "", *table.header, *(c for row in table.rows for c in row)]
        out = set().union(*(self.reasons(c, fy0) for c in cells))
        body = [c for row in table.rows for c in row if c.strip()]
        numbers = sum(1 for c in body if self.number_cell.match(c))
        if any(self.statistic_cell.match(c) for c in cells) or (body and numbers >= self.numeric_share * len(body)):
            out.add(FIGURE)
        if table.kind in self.yearly_kinds:
            out.add(YEARLY_TABLE)
        return out

    def advance(self, text: str, fy0: int) -> str:
        """The report's year in `text` as next year, in the same form (令和3（2021）年度 → 令和4（2022）年度)."""
        nxt = to_era(fy0 + 1)
        new = {"era": nxt.era, "era_year": FIRST_YEAR if nxt.year == 1 else str(nxt.year), "paren": str(fy0 + 1),
               "western": str(fy0 + 1)}

        def repl(m: re.Match) -> str:
            if self.years(m.group(0))[0].year != fy0:
                return m.group(0)
            spans = sorted((m.span(g), v) for g, v in new.items() if m.group(g))
            out, pos = [], m.start()
            for (a, b), value in spans:
                out += [text[pos:a], value]
                pos = b
            return "".join(out) + text[pos:m.end()]

        return self.year.sub(repl, text)


@cache
def policy() -> Policy:
    """The packaged policy (outputs/draft/marking.toml)."""
    return Policy(tomllib.loads(resources.files("hokoku.outputs.draft").joinpath("marking.toml").read_text(encoding="utf-8")))
