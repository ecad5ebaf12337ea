"""Find taxonomy terms as whole tokens, and let the longest match claim its span.

A term matches where its normalised tokens (Sudachi mode C, or mode A) occur in the comment's
token sequence, or where its surface starts and ends on token boundaries. So 結びつけ finds
結び付ける, 事業承継 finds 事業承継施策, but エコ never fires inside エコシステム. Across all
themes the longest match wins a span: 資金調達 (finance) keeps 調達 (procurement) out of it.
A word in the Sudachi synonym group of a one-word term given to the lexicon matches that term
(起業家 for アントレプレナー), unless the word is a term itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexer import POS, Token, Tokens, clean, pattern, synonym_groups


@dataclass(frozen=True)
class Match:
    theme: str
    kind: str  # strong | weak
    term: str
    start: int
    end: int


class TextIndex:
    """Per-comment lookups built once: first normalised token → positions, token boundaries."""

    def __init__(self, text: str, toks: Tokens):
        self.text = text
        self.toks = toks
        self.bounds = toks.boundaries()
        # inside a verb or adjective after its first letter: a term written as a stem ends there
        # (情報が届 in 情報が届く, 市外へ移 in 市外へ移る, 自社を変え in 自社を変える)
        self.stem_ends = {p for t in toks.a if t.pos in (POS.VERB, POS.ADJ) for p in range(t.start + 1, t.end)}
        self._first = (self._by_norm(toks.c), self._by_norm(toks.a))
        self.first_c, self.first_a = self._first

    @staticmethod
    def _by_norm(seq: tuple[Token, ...]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, t in enumerate(seq):
            out.setdefault(t.norm, []).append(i)
        return out

    def ends_word(self, a: int, b: int) -> bool:
        """A surface from a to b is a word of the text: on token boundaries, or ending inside
        an inflected verb or adjective (a stem)."""
        return a in self.bounds and (b in self.bounds or b in self.stem_ends)

    def find(self, term: str, pat: tuple[tuple[str, ...], tuple[str, ...]]) -> list[tuple[int, int]]:
        spans: set[tuple[int, int]] = set()
        for seq, first, norms in ((self.toks.c, self._first[0], pat[0]), (self.toks.a, self._first[1], pat[1])):
            if not norms:
                continue
            for i in first.get(norms[0], ()):
                j = i + len(norms)
                if j <= len(seq) and all(seq[i + k].norm == n for k, n in enumerate(norms)):
                    spans.add((seq[i].start, seq[j - 1].end))
        start = 0
        while (i := self.text.find(term, start)) >= 0:
            if self.ends_word(i, i + len(term)):
                spans.add((i, i + len(term)))
            start = i + 1
        return sorted(spans)


class Lexicon:
    """Every strong/weak term of a taxonomy, looked up from the comment's tokens (one pass over
    the tokens instead of one search per term) plus one regex pass for the surface fallback."""

    def __init__(self, entries: dict[str, list[tuple[str, str]]], synonyms: tuple[str, ...] = ()):
        self.entries = entries  # term → [(theme id, kind)]
        self._groups: dict[int, list[str]] = {}  # Sudachi synonym group → one-word terms in it
        for term in synonyms:
            for g in synonym_groups(term):
                self._groups.setdefault(g, []).append(term)
        self._first: tuple[dict[str, list], dict[str, list]] = ({}, {})
        for term in entries:
            for first, norms in zip(self._first, pattern(term)):
                if norms:
                    first.setdefault(norms[0], []).append((term, norms))
        folded = sorted({clean(t) for t in entries}, key=len, reverse=True)
        self._surface = {clean(t): t for t in entries}
        self._rx = re.compile("(?=(" + "|".join(re.escape(t) for t in folded) + "))") if folded else None

    def matches(self, index: TextIndex) -> list[tuple[str, int, int]]:
        """(term, start, end) of every term occurrence on token boundaries."""
        found: set[tuple[str, int, int]] = set()
        for seq, first in zip((index.toks.c, index.toks.a), self._first):
            for i, tok in enumerate(seq):
                for term, norms in first.get(tok.norm, ()):
                    j = i + len(norms)
                    if j <= len(seq) and all(seq[i + k].norm == n for k, n in enumerate(norms)):
                        found.add((term, tok.start, seq[j - 1].end))
        direct = {(a, b) for _, a, b in found}
        for tok in index.toks.c:  # a word of the same synonym group as a one-word term (貸付 for 融資);
            if (tok.start, tok.end) in direct:  # a word that is a term itself is decided as that term
                continue
            for g in tok.synonyms:
                found.update((term, tok.start, tok.end) for term in self._groups.get(g, ()))
        if self._rx is not None:
            for m in self._rx.finditer(index.text):
                a, b = m.start(1), m.end(1)
                if index.ends_word(a, b):
                    found.add((self._surface[m.group(1)], a, b))
        return sorted(found, key=lambda f: (f[1], f[2]))

    def inside(self, index: TextIndex) -> list[tuple[str, int, int, str]]:
        """(term, start, end, word) where a term's letters occur inside a longer word (エコ in
        エコシステム) and no token match covers them: the baseline would count these."""
        if self._rx is None:
            return []
        out = []
        for m in self._rx.finditer(index.text):
            a, b = m.start(1), m.end(1)
            if index.ends_word(a, b):
                continue
            word = next((t for t in index.toks.c if t.start <= a < t.end), None)
            if word is not None:
                out.append((self._surface[m.group(1)], a, b, index.text[word.start:max(word.end, b)]))
        return out


class TermIndex:
    """Token patterns of single terms (frames, rule terms), computed once per taxonomy."""

    def __init__(self):
        self._patterns: dict[str, tuple[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {}

    def find(self, term: str, index: TextIndex) -> list[tuple[int, int]]:
        if term not in self._patterns:
            self._patterns[term] = (clean(term), pattern(term))
        surface, (c, a) = self._patterns[term]
        if (c and c[0] in index.first_c) or (a and a[0] in index.first_a) or surface in index.text:
            return index.find(surface, (c, a))
        return []  # most words of most rules and frames are not in a comment: no search at all


def longest_first(matches: list[Match]) -> list[Match]:
    """Keep a match unless a longer one (of any theme) overlaps it; equal spans are shared."""
    kept: list[Match] = []
    for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start)):
        if all(k.end <= m.start or m.end <= k.start or (k.start, k.end) == (m.start, m.end) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
