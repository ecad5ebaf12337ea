"""Multi-label theme classifier over GiNZA docs, with evidence spans and scores.

Signals per theme, each with a weight from the taxonomy settings:
  strong term  — surface (width/case-normalised) or GiNZA lemma/normalised form
  weak term    — needs company (two weak, or weak + vector)
  rule         — a coding rule (and/or/not/near) that holds
  vector       — a bunsetsu whose ja_ginza vector is close to one of the theme's seed phrases
A hit is dropped when it lies in a `not_in` context (another sense of the word) or when the
dependency tree shows the comment calls it unnecessary. Score = 1 − Π(1 − weight).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from . import pipeline
from .taxonomy import Taxonomy, Theme

_ASCII = re.compile(r"^[A-Za-z0-9&+.\-]+$")
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}  # words that carry meaning for vector similarity
GENERIC = {"こと", "もの", "ため", "よう", "する", "ある", "いる", "なる", "できる", "思う", "考える", "必要", "重要", "取組"}


def content_vector(tokens) -> np.ndarray | None:
    """Mean unit vector of the content words (function words would make everything similar)."""
    vecs = [t.vector for t in tokens
            if t.pos_ in CONTENT_POS and t.lemma_ not in GENERIC and len(t.text) >= 2 and t.has_vector]
    vecs = [v / np.linalg.norm(v) for v in vecs if np.linalg.norm(v)]
    if not vecs:
        return None
    v = np.mean(vecs, axis=0)
    return v / np.linalg.norm(v)


@dataclass
class Hit:
    theme: str
    kind: str  # strong | weak | rule | vector
    start: int
    end: int
    text: str
    weight: float


@dataclass
class Result:
    text: str
    themes: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)


def fold(text: str) -> str:
    """Width-fold one char at a time (offsets stay valid): ＳＤＧｓ→SDGs, ＩＴ→IT."""
    out = []
    for c in text:
        n = unicodedata.normalize("NFKC", c)
        out.append(n if len(n) == 1 else c)
    return "".join(out)


def _term_regex(term: str) -> re.Pattern:
    t = re.escape(fold(term))
    if _ASCII.match(term):  # whole ASCII words only: IT is not ITEM, EC is not ECO
        flags = 0 if len(term) <= 3 else re.IGNORECASE
        return re.compile(rf"(?<![A-Za-z]){t}(?![A-Za-z])", flags)
    return re.compile(t)


class Classifier:
    def __init__(self, taxonomy: Taxonomy, baseline: bool = False):
        self.tax = taxonomy
        self.baseline = baseline
        self.s = taxonomy.settings
        self._rx: dict[str, re.Pattern] = {}
        self._seed_vectors: dict[str, list[np.ndarray]] | None = None

    # ------------------------------------------------------------ helpers

    def _regex(self, term: str) -> re.Pattern:
        if term not in self._rx:
            self._rx[term] = _term_regex(term)
        return self._rx[term]

    def _find(self, term: str, text: str, doc) -> list[tuple[int, int]]:
        """Spans where a term occurs: in the text, or as a token lemma / normalised form."""
        spans = [(m.start(), m.end()) for m in self._regex(term).finditer(text)]
        if doc is not None and not self.baseline:
            for tok in doc.user_data["lemma_index"].get(term, ()):
                if not any(a <= tok.idx < b for a, b in spans):
                    spans.append((tok.idx, tok.idx + len(tok.text)))
        return spans

    @staticmethod
    def _prepare(doc) -> list[tuple[int, int, str, np.ndarray | None]]:
        """Per-doc indexes built once: lemma/normalised form → tokens; bunsetsu with vectors."""
        from ginza import bunsetu_spans

        index: dict[str, list] = {}
        for tok in doc:
            index.setdefault(tok.lemma_, []).append(tok)
            if tok.norm_ != tok.lemma_:
                index.setdefault(tok.norm_, []).append(tok)
        doc.user_data["lemma_index"] = index
        return [(sp.start_char, sp.end_char, sp.text, content_vector(sp)) for sp in bunsetu_spans(doc)]

    def _seed_vecs(self) -> dict[str, list[np.ndarray]]:
        if self._seed_vectors is None:
            self._seed_vectors = {}
            themes = [t for t in self.tax.themes if t.seeds]
            phrases = [p for t in themes for p in t.seeds]
            docs = pipeline.parse(phrases) if phrases else []
            k = 0
            for t in themes:
                vecs = []
                for _ in t.seeds:
                    v = content_vector(docs[k])
                    k += 1
                    if v is not None:
                        vecs.append(v)
                self._seed_vectors[t.id] = vecs
        return self._seed_vectors

    def _negated(self, doc, start: int) -> bool:
        """Does the dependency tree put this hit under a predicate saying it is not needed?"""
        if doc is None or not self.s.negators:
            return False
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        tok = span[0] if span is not None and len(span) else None
        steps = 0
        while tok is not None and steps < 4:
            window = doc.text[tok.idx: tok.idx + 8]
            if any(window.startswith(n) for n in self.s.negators):
                return True
            if tok.head is tok:
                break
            tok = tok.head
            steps += 1
        return False

    # ------------------------------------------------------------ one theme

    def _theme_hits(self, theme: Theme, text: str, doc, bunsetsu) -> list[Hit]:
        s = self.s
        hits: list[Hit] = []
        blocked = [(m.start(), m.end()) for rx in theme.not_in for m in rx.finditer(text)] if not self.baseline else []

        def ok(a: int, b: int) -> bool:
            return not any(x <= a and b <= y for x, y in blocked) and (self.baseline or not self._negated(doc, a))

        groups = [("strong", theme.terms, s.strong_weight), ("weak", theme.weak, s.weak_weight)]
        for kind, terms, weight in groups:
            for term in terms:
                for a, b in self._find(term, text, doc):
                    if ok(a, b):
                        hits.append(Hit(theme.id, "strong" if self.baseline else kind, a, b, text[a:b],
                                        s.strong_weight if self.baseline else weight))
        if self.baseline:
            return hits
        for rule in theme.rules:
            found: dict[str, list[tuple[int, int]]] = {}

            def spans(term: str):
                if term not in found:
                    found[term] = [sp for sp in self._find(term, text, doc) if ok(*sp)]
                return found[term]

            def index(pos: int) -> int:
                return next((i for i, (a, b, _, _) in enumerate(bunsetsu) if a <= pos < b), -1)

            def near(a: str, b: str, n: int) -> bool:
                return any(abs(index(x[0]) - index(y[0])) <= n for x in spans(a) for y in spans(b))

            if rule.eval(lambda t: bool(spans(t)), near):
                for term in rule.terms():
                    for a, b in spans(term):
                        hits.append(Hit(theme.id, "rule", a, b, text[a:b], s.strong_weight))
        seeds = self._seed_vecs().get(theme.id, [])
        if seeds and doc is not None:
            best: tuple[float, int, int] | None = None
            for a, b, btext, v in bunsetsu:
                if len(btext) < s.vector_min_chars or v is None:
                    continue
                sim = max(float(v @ sv) for sv in seeds)
                if sim >= s.vector_threshold and ok(a, b) and (best is None or sim > best[0]):
                    best = (sim, a, b)
            if best:  # one vector hit at most: supporting evidence, never enough alone
                hits.append(Hit(theme.id, "vector", best[1], best[2], text[best[1]:best[2]], s.vector_weight))
        return hits

    @staticmethod
    def _distinct(hits: list[Hit]) -> dict[tuple[int, int], Hit]:
        """One signal per word: overlapping spans (補助/補助金) and repeats of the same surface
        count once, at the highest weight."""
        out: dict[tuple[int, int], Hit] = {}
        for h in sorted(hits, key=lambda h: (-h.weight, h.start)):
            if any(o.start < h.end and h.start < o.end or o.text == h.text for o in out.values()):
                continue
            out[(h.start, h.end)] = h
        return out

    # ------------------------------------------------------------ public

    def classify(self, texts: list[str], progress=None) -> list[Result]:
        folded = [fold(t) for t in texts]
        docs = [None] * len(texts) if self.baseline else pipeline.parse(folded)
        results = []
        for i, (text, doc) in enumerate(zip(folded, docs)):
            bunsetsu = self._prepare(doc) if doc is not None else []
            res = Result(text=texts[i])
            for theme in self.tax.themes:
                hits = self._theme_hits(theme, text, doc, bunsetsu)
                if not hits:
                    continue
                distinct = self._distinct(hits)
                miss = 1.0
                for h in distinct.values():
                    miss *= 1 - h.weight
                score = round(1 - miss, 3)
                res.scores[theme.id] = score
                res.hits.extend(distinct.values())
                if score >= self.s.threshold:
                    res.themes.append(theme.id)
                    ordered = sorted(distinct.values(), key=lambda h: h.start)
                    ev: list[str] = []
                    for h in ordered:
                        surface = texts[i][h.start:h.end]  # as printed in the comment
                        if surface and surface not in ev and not any(surface in e for e in ev):
                            ev = [e for e in ev if e not in surface] + [surface]
                    res.evidence[theme.id] = ev
            results.append(res)
            if progress:
                progress(i + 1, len(texts))
        return results
