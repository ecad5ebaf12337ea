"""Multi-label theme classifier: Sudachi tokens and clause roles, with evidence and scores.

Signals per theme, each with a weight from the taxonomy settings:
  strong term  — one is enough, matched on whole tokens (matcher.py), longest match first
                 (or a word of its Sudachi synonym group: 起業家 for アントレプレナー; [synonyms])
  weak term    — needs company (two weak terms, or one the request's predicate takes as argument)
  rule         — a coding rule (and/or/not/near) that holds
  frame        — the request clause's verb (or verbal noun) is one of the theme's frame words:
                 「周知してほしい」「呼びかけるべき」「共同で取り組む」, or a frame of several parts
                 (「企業同士が一緒に備える」: one word with another in the same clause)
  weak+cue     — a weak term whose sense a cue near it confirms (改修費の補助): counts alone
  weak+frame   — a weak term that a carrier predicate takes (〜を後押し, 〜につなげる): counts alone
  sense        — a term of another theme in a sense that belongs here (企業と学生をつなぐ: job
                 matching, so talent, not collaboration): the words of that sense count
A term only in a background clause (〜ことから、〜を背景に、) counts `background_factor` times
its weight. Score = 1 − Π(1 − weight) over distinct words. The GiNZA dependency parse runs only
for comments whose decision needs it: a negator word (…は不要) or a lone weak term in the request.

Every word the keyword baseline would match and that does not count says why (`Result.dropped`,
`detail`): another sense (a sense pattern or not_in of the taxonomy), negated, part of a longer
word or of another theme's longer term, only in a background clause, or a weak word alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import pipeline
from .clauses import BACKGROUND, MAIN, PURPOSE, REQUEST, Clause, Segmenter, role_at, sentences
from .lexer import MAX_CHARS, POS, Tokens, clean, pattern, tokenize
from .matcher import Lexicon, Match, TermIndex, TextIndex, longest_first
from .taxonomy import Taxonomy, Theme

_ASCII = re.compile(r"^[A-Za-z0-9&+.\-]+$")
ARGUMENT_DEPS = {"obj", "obl", "nsubj", "iobj"}  # a weak term the request's predicate takes
LINK_DEPS = {"nmod", "compound", "flat"}  # …of… / compound links on the way up to that argument
ARGUMENT_STEPS = 3
CHUNK = 256  # comments read, parsed where needed and decided together (steady progress)
CARRIER_PARTICLES = {"を", "に", "の", "へ"}

# Why a word did not count (detail "reason"); outputs turn these into words people read.
SENSE, NEGATED, PART, BACKGROUND_ONLY, WEAK_ALONE = "sense", "negated", "part", "background", "weak"


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
    term: str = ""  # the taxonomy term it matched (terms only)
    reason: str = ""  # why it did not count (SENSE, NEGATED, …); empty when it counts
    note: str = ""  # the taxonomy's words for the reason, the cue that confirmed a sense, …

    def entry(self) -> dict[str, str]:
        d = {"text": self.text, "kind": self.kind, "clause": self.clause, "clause_text": self.clause_text}
        if self.term and self.term != self.text:
            d["term"] = self.term
        if self.reason:
            d["reason"] = self.reason
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True)
class Other:
    """An occurrence of a term in another sense: why (the taxonomy's words), and the theme it
    belongs to instead with the span of the words that say so (empty when it names none)."""

    why: str
    to: str = ""
    start: int = 0
    end: int = 0


@dataclass
class Result:
    text: str
    themes: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    dropped: list[Hit] = field(default_factory=list)  # words that did not count, each with its reason

    def detail(self) -> dict[str, list[dict]]:
        """Per theme: each word with its signal kind and clause. An assigned theme lists the
        words that counted, then any that did not (with `reason`); a theme that was not
        assigned lists its words, each with the reason it did not count."""
        out: dict[str, list[dict]] = {t: [h.entry() for h in self.hits if h.theme == t] for t in self.themes}
        for h in self.hits:
            if h.theme not in self.themes:
                why = BACKGROUND_ONLY if h.clause == BACKGROUND else WEAK_ALONE
                out.setdefault(h.theme, []).append(Hit(**{**h.__dict__, "reason": why}).entry())
        for h in self.dropped:
            if h.reason != PART or h.theme not in self.themes:
                out.setdefault(h.theme, []).append(h.entry())
        return out


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
    starts: list[int] = field(default_factory=list)  # approximate 文節 starts
    hits: list[Hit] = field(default_factory=list)
    dropped: list[Hit] = field(default_factory=list)
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # rule and frame words found, by word

    def bunsetsu(self, pos: int) -> int:
        return sum(1 for s in self.starts if s <= pos)

    def sentence(self, pos: int) -> tuple[int, int]:
        return next((s for s in self.sentences if s[0] <= pos < s[1]), (0, len(self.text)))


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
        strong = {term for t in taxonomy.themes for term in t.terms} - set(taxonomy.synonyms_exclude)
        weak = {term for t in taxonomy.themes for term in t.weak}
        self.lexicon = Lexicon(entries, tuple(sorted(strong - weak)))  # synonyms of strong terms only
        self.reason_weak = {t.id: set(t.reason_weak) for t in taxonomy.themes}
        self.senses = {t.id: t.senses for t in taxonomy.themes}
        self.labels = taxonomy.labels()
        self.carriers = {n for w in taxonomy.markers.carriers for n in pattern(w)[0][:1]}
        self.carrier_heads = {n for w in taxonomy.markers.carrier_heads for n in pattern(w)[0][:1]}
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
        a shortage given as the reason (人手不足を背景に、…) is not what the comment asks for.
        A weak term counts alone when a sense cue near it confirms it, or when a carrier
        predicate of the main or purpose clause takes it (研修を後押しする)."""
        h = self._hit(c, m.theme, m.kind, m.start, m.end, self.s.strong_weight if m.kind == "strong" else self.s.weak_weight)
        h.term = m.term
        if m.kind == "strong" and h.clause == BACKGROUND and m.term in self.reason_weak[m.theme]:
            h.kind, h.weight = "weak", round(self.s.weak_weight * self.s.background_factor, 3)
        elif m.kind == "weak" and (cue := self._cue(c, m)):
            factor = self.s.background_factor if h.clause == BACKGROUND else 1.0
            h.kind, h.weight, h.note = "weak+cue", round(self.s.strong_weight * factor, 3), cue
        elif m.kind == "weak" and h.clause != BACKGROUND and (carrier := self._carried(c.index, m)):
            h.kind, h.weight, h.note = "weak+frame", self.s.argument_weight, carrier
        return h

    def _cue(self, c: _Comment, m: Match) -> str:
        """The first cue of the term's sense within `cue_window` bunsetsu in its sentence."""
        a, b = c.sentence(m.start)
        here = c.bunsetsu(m.start)
        for rx in (rx for sense in self.senses[m.theme].get(m.term, ()) for rx in sense.cues):
            for cue in rx.finditer(c.text, a, b):
                if abs(c.bunsetsu(cue.start()) - here) <= self.s.cue_window:
                    return c.original[cue.start():cue.end()]
        return ""

    def _carried(self, index: TextIndex, m: Match) -> str:
        """The carrier predicate taking the weak term as its object or goal, if any: the term
        (with suffixes: 見える化), general head nouns (制度, の充実), a particle, the carrier
        (研修を後押しする, 研修制度の充実を後押しする)."""
        toks = index.toks.c
        i = next((k for k, t in enumerate(toks) if t.start < m.end <= t.end), None)
        if i is None or toks[i].end != m.end:
            return ""
        i += 1
        while i < len(toks) and (toks[i].pos == POS.SUFFIX or toks[i].norm in self.carrier_heads
                                 or (toks[i].surface == POS.GENITIVE and i + 1 < len(toks)
                                     and toks[i + 1].norm in self.carrier_heads)):
            i += 1
        if i + 1 < len(toks) and toks[i].surface in CARRIER_PARTICLES and toks[i + 1].norm in self.carriers:
            return index.text[toks[i].start:toks[i + 1].end]
        return ""

    def _other_sense(self, c: _Comment, m: Match, blocked: list[tuple[int, int, str]]) -> Other | None:
        """Why this occurrence is another sense (the taxonomy's words), and the theme and words it
        belongs to instead when the sense names one; None when it is the theme's sense."""
        for x, y, pat in blocked:
            if x <= m.start and m.end <= y:
                return Other(pat)
        for sense in self.senses[m.theme].get(m.term, ()):
            for rx in sense.other:
                if o := next((o for o in rx.finditer(c.text) if o.start() <= m.start and m.end <= o.end()), None):
                    return Other(sense.reason or rx.pattern, sense.to, o.start(), o.end())
        return None

    def _dropped(self, c: _Comment, m: Match, reason: str, note: str) -> Hit:
        h = self._hit(c, m.theme, m.kind, m.start, m.end, 0.0)
        h.reason, h.note = reason, note
        return h

    @staticmethod
    def _blocked(theme: Theme, text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), rx.pattern) for rx in theme.not_in for m in rx.finditer(text)]

    def _lexical(self, original: str) -> _Comment:
        text = clean(original)
        index = TextIndex(text, tokenize(text))
        c = _Comment(original, text, index, self.segmenter.segment(text, index.bounds), sentences(text))
        c.starts = bunsetsu_starts(index.toks)
        blocked = {t.id: self._blocked(t, text) for t in self.tax.themes}

        def free(theme: str, a: int, b: int) -> bool:
            return not any(x <= a and b <= y for x, y, _ in blocked[theme])

        found: list[Match] = []
        other: dict[tuple[str, str], str] = {}  # (theme, term) → why one occurrence is another sense
        covered: list[tuple[str, int, int, str]] = []  # (theme, start, end, why) of the words of another sense
        redirected: list[Hit] = []  # the words of another sense, for the theme that sense belongs to
        matches = [Match(theme, kind, term, a, b) for term, a, b in self.lexicon.matches(index)
                   for theme, kind in self.lexicon.entries[term]]
        c.clauses = self.segmenter.subjects(c.clauses, text, lambda a, b: any(a <= m.start < b for m in matches))
        for m in matches:
            if o := self._other_sense(c, m, blocked[m.theme]):
                other.setdefault((m.theme, m.term), o.why)
                if o.end:
                    covered.append((m.theme, o.start, o.end, o.why))
                if o.to:
                    h = self._hit(c, o.to, "sense", o.start, o.end, self.s.strong_weight)
                    h.term, h.note = m.term, o.why
                    redirected.append(h)
        for m in matches:  # one sense per comment: a repeat of a word in another sense is that sense too,
            why = other.get((m.theme, m.term))  # and so is a shorter term of the theme inside its words (研究 in 研究開発拠点を置く)
            why = why or next((w for t, a, b, w in covered if t == m.theme and a <= m.start and m.end <= b), "")
            found.append(m) if not why else c.dropped.append(self._dropped(c, m, SENSE, why))
        kept = longest_first(found)
        c.hits = [self._term_hit(c, m) for m in kept] + redirected
        c.dropped += self._claimed(c, found, kept)
        c.dropped += [self._dropped(c, Match(theme, kind, term, a, b), PART, word)
                      for term, a, b, word in self.lexicon.inside(index) for theme, kind in self.lexicon.entries[term]]
        for t in self.tax.themes:
            c.hits += self._rule_hits(c, t, c.starts, free)
            c.hits += self._frame_hits(c, t, free)
        return c

    def _claimed(self, c: _Comment, found: list[Match], kept: list[Match]) -> list[Hit]:
        """Matches a longer term of another theme claimed (調達 in 資金調達): part of that term."""
        out = []
        for m in found:
            if m in kept or any(k.theme == m.theme and k.start <= m.start and m.end <= k.end for k in kept):
                continue
            k = next((k for k in kept if k.start < m.end and m.start < k.end), None)
            if k is not None:
                out.append(self._dropped(c, m, PART, f"{k.term}（{self.labels[k.theme]}）"))
        return out

    def _find(self, c: _Comment, word: str) -> list[tuple[int, int]]:
        """Spans of a rule or frame word in the comment, looked up once per comment (several
        rules and frames share words: the partners list, 時間, 改善)."""
        if word not in c.spans:
            c.spans[word] = self.terms.find(word, c.index)
        return c.spans[word]

    def _rule_hits(self, c: _Comment, theme: Theme, starts: list[int], free) -> list[Hit]:
        out: list[Hit] = []
        for rule in theme.rules:
            found: dict[str, list[tuple[int, int]]] = {}

            def spans(term: str):
                if term not in found:
                    found[term] = [sp for sp in self._find(c, term) if free(theme.id, *sp)]
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
            for a, b in self._find(c, word):
                cl = role_at(c.clauses, a)
                if cl is None or cl.role not in MAIN or not free(theme.id, a, b) or not self._predicate(c.index, a, b):
                    continue
                out.append(self._hit(c, theme.id, "frame", a, b, self.s.frame_weight))
        for frame in theme.phrase_frames:
            for word in frame.words:
                for a, b in self._find(c, word):
                    cl = role_at(c.clauses, a)  # a frame of several parts says what is asked in a purpose clause too
                    if cl is None or cl.role not in (*MAIN, PURPOSE) or not free(theme.id, a, b):
                        continue
                    if (any(cl.start <= x < cl.end for w in frame.with_ for x, _ in self._find(c, w))
                            or any(rx.search(c.text, cl.start, a) for rx in frame.before)):
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
        """Weak hits in the request clause of a theme that has nothing else (a weak term whose
        sense has cues is decided by them, not by the parse)."""
        mine = [h for h in c.hits if h.theme == theme]
        if not mine or any(h.kind != "weak" for h in mine) or len({h.text for h in mine}) > 1:
            return []
        cued = {term for term, senses in self.senses[theme].items() if any(s.cues for s in senses)}
        return [h for h in mine if h.clause == REQUEST and h.term not in cued and self._nominal(c.index, h)]

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
                h.reason, h.weight = NEGATED, 0.0
                c.dropped.append(h)
                continue
            if id(h) in lone and a <= h.start < b and self._argument(doc, h.start - a):
                h.kind, h.weight = "weak+argument", self.s.argument_weight
            kept.append(h)
        c.hits = kept

    # ------------------------------------------------------------ scoring

    @staticmethod
    def _distinct(hits: list[Hit]) -> list[Hit]:
        """One signal per word: overlapping spans and repeats of a surface count once, at the
        highest weight (the longer word at equal weight: 呼びかける over its stem 呼びかけ)."""
        out: list[Hit] = []
        for h in sorted(hits, key=lambda h: (-h.weight, h.start - h.end, h.start)):
            if not any(o.start < h.end and h.start < o.end or o.text == h.text for o in out):
                out.append(h)
        return sorted(out, key=lambda h: h.start)

    def _decide(self, original: str, hits: list[Hit], dropped: list[Hit] | None = None) -> Result:
        res = Result(text=original, dropped=list(dropped or []))
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
            results += [self._decide(c.original, c.hits, c.dropped) for c in comments]
            if progress:
                progress(len(results), len(texts))
        return results
