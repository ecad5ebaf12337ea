"""Multi-label theme classifier: Sudachi tokens and clause roles, with evidence and scores.

Signals per theme, each with a weight from the taxonomy settings:
  strong term  — one is enough, matched on whole tokens (matcher.py), longest match first
  weak term    — needs company (two weak terms, or one the request's predicate takes as argument)
  rule         — a coding rule (and/or/not/near) that holds
  frame        — the request clause's verb (or verbal noun) is one of the theme's frame words:
                 「周知してほしい」「呼びかけるべき」「共同で取り組む」
A term only in a background clause (〜ことから、〜を背景に、) counts `background_factor` times
its weight. Score = 1 − Π(1 − weight) over distinct words. The GiNZA dependency parse runs only
for comments whose decision needs it: a negator word (…は不要) or a lone weak term in the request.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import pipeline
from .clauses import BACKGROUND, MAIN, REQUEST, Clause, Segmenter, role_at, sentences
from .lexer import MAX_CHARS, POS, Tokens, clean, tokenize
from .matcher import Lexicon, Match, TermIndex, TextIndex, longest_first
from .taxonomy import Taxonomy, Theme

_ASCII = re.compile(r"^[A-Za-z0-9&+.\-]+$")
ARGUMENT_DEPS = {"obj", "obl", "nsubj", "iobj"}  # a weak term the request's predicate takes
LINK_DEPS = {"nmod", "compound", "flat"}  # …of… / compound links on the way up to that argument
ARGUMENT_STEPS = 3
CHUNK = 256  # comments read, parsed where needed and decided together (steady progress)


@dataclass
class Hit:
    theme: str
    kind: str  # strong | weak | rule | frame
    start: int
    end: int
    text: str
    weight: float
    clause: str = ""  # background | purpose | request | statement
    clause_text: str = ""


@dataclass
class Result:
    text: str
    themes: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)

    def detail(self) -> dict[str, list[dict]]:
        """Per assigned theme: each evidence word with its signal kind and clause."""
        return {t: [{"text": h.text, "kind": h.kind, "clause": h.clause, "clause_text": h.clause_text}
                    for h in self.hits if h.theme == t] for t in self.themes}


def _term_regex(term: str) -> re.Pattern:
    """Baseline only: a plain substring (ASCII terms as whole words)."""
    t = re.escape(clean(term))
    if _ASCII.match(term):
        return re.compile(rf"(?<![A-Za-z]){t}(?![A-Za-z])", 0 if len(term) <= 3 else re.IGNORECASE)
    return re.compile(t)


def bunsetsu_starts(toks: Tokens) -> list[int]:
    """Approximate 文節 starts from mode-C tokens: a content word after a function word or a
    predicate opens a new one (compound nouns stay together)."""
    starts, prev = [], None
    for t in toks.c:
        if prev is None or (t.pos not in (POS.PARTICLE, POS.AUX, POS.SYMBOL, POS.SUFFIX)
                            and prev.pos in (POS.PARTICLE, POS.AUX, POS.SYMBOL, POS.VERB, POS.ADJ, POS.ADV)):
            starts.append(t.start)
        prev = t
    return starts


@dataclass
class _Comment:
    """One comment between the lexical pass and the decision."""

    original: str
    text: str
    index: TextIndex
    clauses: list[Clause]
    sentences: list[tuple[int, int]]
    hits: list[Hit] = field(default_factory=list)


class Classifier:
    def __init__(self, taxonomy: Taxonomy, baseline: bool = False):
        self.tax = taxonomy
        self.baseline = baseline
        self.s = taxonomy.settings
        self.terms = TermIndex()
        self.segmenter = Segmenter(taxonomy.markers)
        entries: dict[str, list[tuple[str, str]]] = {}
        for t in taxonomy.themes:
            for kind, terms in (("strong", t.terms), ("weak", t.weak)):
                for term in terms:
                    entries.setdefault(term, []).append((t.id, kind))
        self.lexicon = Lexicon(entries)
        self.reason_weak = {t.id: set(t.reason_weak) for t in taxonomy.themes}
        self.parsed = 0  # comments of the last classify() that needed the GiNZA parse

    # ------------------------------------------------------------ lexical layer

    def _hit(self, c: _Comment, theme: str, kind: str, a: int, b: int, weight: float) -> Hit:
        cl = role_at(c.clauses, a)
        role = cl.role if cl else ""
        factor = self.s.background_factor if role == BACKGROUND else 1.0
        return Hit(theme, kind, a, b, c.original[a:b], round(weight * factor, 3), role,
                   c.original[cl.start:cl.end].strip() if cl else "")

    def _term_hit(self, c: _Comment, m: Match) -> Hit:
        """A strong term the theme lists as `reason_weak` is only weak in a background clause:
        a shortage given as the reason (人手不足を背景に、…) is not what the comment asks for."""
        h = self._hit(c, m.theme, m.kind, m.start, m.end, self.s.strong_weight if m.kind == "strong" else self.s.weak_weight)
        if m.kind == "strong" and h.clause == BACKGROUND and m.term in self.reason_weak[m.theme]:
            h.kind, h.weight = "weak", round(self.s.weak_weight * self.s.background_factor, 3)
        return h

    @staticmethod
    def _blocked(theme: Theme, text: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for rx in theme.not_in for m in rx.finditer(text)]

    def _lexical(self, original: str) -> _Comment:
        text = clean(original)
        index = TextIndex(text, tokenize(text))
        c = _Comment(original, text, index, self.segmenter.segment(text, index.bounds), sentences(text))
        blocked = {t.id: self._blocked(t, text) for t in self.tax.themes}

        def free(theme: str, a: int, b: int) -> bool:
            return not any(x <= a and b <= y for x, y in blocked[theme])

        found = [Match(theme, kind, term, a, b)
                 for term, a, b in self.lexicon.matches(index)
                 for theme, kind in self.lexicon.entries[term] if free(theme, a, b)]
        c.hits = [self._term_hit(c, m) for m in longest_first(found)]
        starts = bunsetsu_starts(index.toks)
        for t in self.tax.themes:
            c.hits += self._rule_hits(c, t, starts, free)
            c.hits += self._frame_hits(c, t, free)
        return c

    def _rule_hits(self, c: _Comment, theme: Theme, starts: list[int], free) -> list[Hit]:
        out: list[Hit] = []
        for rule in theme.rules:
            found: dict[str, list[tuple[int, int]]] = {}

            def spans(term: str):
                if term not in found:
                    found[term] = [sp for sp in self.terms.find(term, c.index) if free(theme.id, *sp)]
                return found[term]

            def bunsetsu(pos: int) -> int:
                return sum(1 for s in starts if s <= pos)

            def near(a: str, b: str, n: int) -> bool:
                return any(abs(bunsetsu(x[0]) - bunsetsu(y[0])) <= n for x in spans(a) for y in spans(b))

            if rule.eval(lambda term: bool(spans(term)), near):
                out += [self._hit(c, theme.id, "rule", a, b, self.s.strong_weight)
                        for term in rule.terms() for a, b in spans(term)]
        return out

    def _frame_hits(self, c: _Comment, theme: Theme, free) -> list[Hit]:
        """Frame words where the main clause uses them as its predicate."""
        out: list[Hit] = []
        for word in theme.frames:
            for a, b in self.terms.find(word, c.index):
                cl = role_at(c.clauses, a)
                if cl is None or cl.role not in MAIN or not free(theme.id, a, b) or not self._predicate(c.index, a, b):
                    continue
                out.append(self._hit(c, theme.id, "frame", a, b, self.s.frame_weight))
        return out

    @staticmethod
    def _predicate(index: TextIndex, a: int, b: int) -> bool:
        """A verb, or a verbal noun (サ変可能) — not the same word as a plain noun's modifier."""
        toks = [t for t in index.toks.c if a <= t.start < b] or [t for t in index.toks.a if a <= t.start < b]
        if len(toks) > 1:
            return True  # a multi-word frame (共同で, 協力を得る) is specific enough
        return bool(toks) and (toks[0].pos == POS.VERB or toks[0].pos3 == POS.VERBAL_NOUN)

    # ------------------------------------------------------------ decisions needing GiNZA

    def _needs_parse(self, c: _Comment) -> set[tuple[int, int]]:
        """Spans whose decision needs the dependency parse: a sentence with a negator after a
        hit, or the request clause holding a lone weak term (it runs to the sentence end and
        holds the predicate; parsing it alone is cheaper). Most comments need none."""
        want: set[tuple[int, int]] = set()
        for a, b in c.sentences:
            if b - a > MAX_CHARS:  # too long for one GiNZA doc: the lexical decision stands
                continue
            hits = [h for h in c.hits if a <= h.start < b]
            lone = [h for t in self.tax.themes for h in self._lone_weak(c, t.id) if a <= h.start < b]
            negator = any(c.text.find(n, a, b) > min((h.start for h in hits), default=b) for n in self.s.negators)
            if negator:
                want.add((a, b))
            elif lone:
                want.add((min(cl.start for h in lone if (cl := role_at(c.clauses, h.start))), b))
        return want

    def _lone_weak(self, c: _Comment, theme: str) -> list[Hit]:
        """Weak hits in the request clause of a theme that has nothing else."""
        mine = [h for h in c.hits if h.theme == theme]
        if not mine or any(h.kind != "weak" for h in mine) or len({h.text for h in mine}) > 1:
            return []
        return [h for h in mine if h.clause == REQUEST and self._nominal(c.index, h)]

    @staticmethod
    def _nominal(index: TextIndex, h: Hit) -> bool:
        """Could the word be an argument at all? Not when it is a verb or adjective, or a noun
        used as a predicate (研修する, 育成だ): then the parse is not worth running."""
        toks = index.toks.c
        i = next((k for k, t in enumerate(toks) if t.start <= h.start < t.end), None)
        if i is None or toks[i].pos in (POS.VERB, POS.ADJ):
            return False
        while i + 1 < len(toks) and (toks[i + 1].pos in (POS.NOUN, POS.SUFFIX) or toks[i + 1].surface == POS.GENITIVE):
            i += 1
        return i + 1 >= len(toks) or toks[i + 1].pos not in (POS.VERB, POS.AUX)

    @staticmethod
    def _token(doc, pos: int):
        span = doc.char_span(pos, pos + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def _negated(self, doc, pos: int) -> bool:
        """Does the dependency tree put this word under a predicate saying it is not needed?"""
        tok = self._token(doc, pos)
        text = doc.text
        for _ in range(4):
            if tok is None:
                return False
            if any(text.startswith(n, tok.idx) for n in self.s.negators):
                return True
            if tok.head is tok:
                return False
            tok = tok.head
        return False

    def _argument(self, doc, pos: int) -> bool:
        """Is the word an argument (object, subject, oblique) of its sentence's main predicate?"""
        tok = self._token(doc, pos)
        for _ in range(ARGUMENT_STEPS):
            if tok is None or tok.head is tok:
                return False
            if tok.dep_ in ARGUMENT_DEPS and tok.head.dep_ == "ROOT":
                return True
            if tok.dep_ not in LINK_DEPS:
                return False
            tok = tok.head
        return False

    def _resolve(self, c: _Comment, a: int, b: int, doc) -> None:
        """Apply one sentence's parse: drop negated hits, promote a lone weak term the request
        takes as its argument."""
        lone = {id(h) for t in self.tax.themes for h in self._lone_weak(c, t.id)}
        kept = []
        for h in c.hits:
            if a <= h.start < b and self._negated(doc, h.start - a):
                continue
            if id(h) in lone and a <= h.start < b and self._argument(doc, h.start - a):
                h.kind, h.weight = "weak+argument", self.s.argument_weight
            kept.append(h)
        c.hits = kept

    # ------------------------------------------------------------ scoring

    @staticmethod
    def _distinct(hits: list[Hit]) -> list[Hit]:
        """One signal per word: overlapping spans and repeats of a surface count once, at the
        highest weight."""
        out: list[Hit] = []
        for h in sorted(hits, key=lambda h: (-h.weight, h.start)):
            if not any(o.start < h.end and h.start < o.end or o.text == h.text for o in out):
                out.append(h)
        return sorted(out, key=lambda h: h.start)

    def _decide(self, original: str, hits: list[Hit]) -> Result:
        res = Result(text=original)
        for theme in self.tax.themes:
            distinct = self._distinct([h for h in hits if h.theme == theme.id])
            if not distinct:
                continue
            miss = 1.0
            for h in distinct:
                miss *= 1 - h.weight
            score = round(1 - miss, 3)
            res.scores[theme.id] = score
            res.hits.extend(distinct)
            if score >= self.s.threshold:
                res.themes.append(theme.id)
                ev: list[str] = []
                for h in distinct:
                    if h.text and h.text not in ev and not any(h.text in e for e in ev):
                        ev = [e for e in ev if e not in h.text] + [h.text]
                res.evidence[theme.id] = ev
        return res

    def _baseline(self, original: str) -> Result:
        text = clean(original)
        hits = [Hit(t.id, "strong", m.start(), m.end(), original[m.start():m.end()], self.s.strong_weight)
                for t in self.tax.themes for term in (*t.terms, *t.weak) for m in _term_regex(term).finditer(text)]
        return self._decide(original, hits)

    # ------------------------------------------------------------ public

    def classify(self, texts: list[str], progress=None) -> list[Result]:
        """Results in order; `progress(done, total)` after each chunk of comments."""
        if self.baseline:
            return [self._baseline(t) for t in texts]
        results: list[Result] = []
        self.parsed = 0  # comments that needed GiNZA (bench, logs)
        for start in range(0, len(texts), CHUNK):
            comments = [self._lexical(t) for t in texts[start:start + CHUNK]]
            todo = [(c, a, b) for c in comments for a, b in sorted(self._needs_parse(c))]
            self.parsed += len({id(c) for c, _, _ in todo})
            docs = pipeline.parse([c.text[a:b] for c, a, b in todo]) if todo else []  # no model load if none
            for (c, a, b), doc in zip(todo, docs):
                self._resolve(c, a, b, doc)
            results += [self._decide(c.original, c.hits) for c in comments]
            if progress:
                progress(len(results), len(texts))
        return results
