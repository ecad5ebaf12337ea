"""The yearly vocabulary loop: words of comments that got no theme or only weak signals, ranked
by closeness to each theme (ja_ginza word vectors, offline), as suggestions for themes.toml.

Candidates are Sudachi content words and noun compounds (価格転嫁, 電子帳簿保存法, 2024年問題)
of those comments, minus the taxonomy's own terms and the [unmatched] ignore list. Each
suggestion says the clause it came from (and its role: a word only in a background clause may
not be the comment's topic), the taxonomy terms inside a compound (育成就労 holds 就労: talent)
and the themes its comments already have.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from hokoku.extract.model import ThemeRecord

from . import pipeline
from .clauses import Segmenter, role_at
from .lexer import POS, Token, clean, tokenize
from .overrides import comment_id
from .taxonomy import Taxonomy

NOUNISH = {POS.NOUN, POS.PREFIX, POS.SUFFIX}
_KANA_ONLY = re.compile(r"^[\u3041-\u309f]+$")  # こと, とも: function-like nouns in hiragana
_NUMBER = re.compile(r"^[0-9.,]+$")  # a number alone is no word to suggest (inside 2024年問題 it stays)
SKIP_NOUNS = {POS.NUMERAL, POS.PRONOUN}
MIN_CHARS = 2
TOP_THEMES = 2  # closest themes shown per word
EXAMPLES = 3  # comment ids shown per word


@dataclass
class Suggestion:
    word: str
    count: int
    themes: list[tuple[str, float]]  # (theme id, cosine similarity), closest first
    comments: list[str]  # comment ids where it occurs
    clause: str = ""  # the clause of its first occurrence
    role: str = ""  # that clause's role: background | purpose | request | statement
    parts: list[tuple[str, str]] = field(default_factory=list)  # (taxonomy term inside it, theme id)
    with_themes: list[str] = field(default_factory=list)  # themes its comments already have


def candidates(toks: tuple[Token, ...]) -> list[tuple[str, int]]:
    """(word, start) of noun compounds (consecutive noun-like tokens; a number may open or sit
    inside one: 2024年問題) and of single content nouns / verbal nouns."""
    out: list[tuple[str, int]] = []
    run: list[Token] = []

    def flush():
        if run:
            out.extend((t.surface, t.start) for t in run if t.pos == POS.NOUN and t.pos3 not in SKIP_NOUNS)
            if len(run) > 1:
                out.append(("".join(t.surface for t in run), run[0].start))
        run.clear()

    for t in toks:
        if t.pos in NOUNISH and t.pos3 not in SKIP_NOUNS:
            run.append(t)
        else:
            flush()
    flush()
    return [(w, a) for w, a in out if len(w) >= MIN_CHARS and not _KANA_ONLY.match(w) and not _NUMBER.match(w)]


def _vector(nlp, text: str) -> np.ndarray | None:
    vecs = [t.vector / np.linalg.norm(t.vector) for t in nlp.make_doc(text) if t.has_vector and np.linalg.norm(t.vector)]
    if not vecs:
        return None
    v = np.mean(vecs, axis=0)
    return v / np.linalg.norm(v)


def theme_centroids(tax: Taxonomy) -> dict[str, np.ndarray]:
    """One unit vector per theme from its label, terms, frames and seed phrases."""
    nlp = pipeline.load()
    out = {}
    for t in tax.themes:
        vecs = [v for w in (t.label, *t.terms, *t.frames, *t.seeds) if (v := _vector(nlp, w)) is not None]
        if vecs:
            m = np.mean(vecs, axis=0)
            out[t.id] = m / np.linalg.norm(m)
    return out


def weakly_covered(r: ThemeRecord) -> bool:
    """No theme, or only themes resting on weak words (a person may see a term missing)."""
    return all(d.get("kind", "").startswith("weak") for t in r.themes for d in r.detail.get(t, [{}]) if not d.get("reason"))


def _parts(word: str, terms: dict[str, str]) -> list[tuple[str, str]]:
    """Taxonomy terms inside a compound, the longest first, each once."""
    found = sorted(((t, th) for t, th in terms.items() if t in word and t != word), key=lambda p: -len(p[0]))
    out: list[tuple[str, str]] = []
    for t, th in found:
        if not any(t in o for o, _ in out):
            out.append((t, th))
    return out


def suggest(records: list[ThemeRecord], tax: Taxonomy, limit: int = 50, ident=comment_id) -> list[Suggestion]:
    """Words of comments without a theme (or with weak ones only), with their closest themes,
    the closest first; `ident` names a comment (default: the report comment id)."""
    known = {clean(w) for t in tax.themes for w in (*t.terms, *t.weak, *t.frames)} | set(tax.ignore)
    terms = {clean(w): t.id for t in reversed(tax.themes) for w in (*t.terms, *t.weak)}
    seg = Segmenter(tax.markers)
    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = defaultdict(list)
    first: dict[str, tuple[str, str]] = {}
    cothemes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        if not weakly_covered(r):
            continue
        text = clean(r.text)
        toks = tokenize(text)
        clauses = seg.segment(text, toks.boundaries())
        starts: dict[str, int] = {}
        for w, a in candidates(toks.c):
            starts.setdefault(w, a)  # each word once per comment, at its first occurrence
        for w, a in starts.items():
            if w in known:
                continue
            counts[w] += 1
            where[w].append(ident(r))
            cothemes[w].update(r.themes)
            if w not in first and (cl := role_at(clauses, a)) is not None:
                first[w] = (r.text[cl.start:cl.end].strip(), cl.role)
    if not counts:
        return []
    nlp = pipeline.load()
    cents = theme_centroids(tax)
    out = []
    for w, n in counts.items():
        v = _vector(nlp, w)
        sims = sorted(((tid, round(float(v @ c), 3)) for tid, c in cents.items()), key=lambda kv: -kv[1]) if v is not None else []
        clause, role = first.get(w, ("", ""))
        out.append(Suggestion(w, n, sims[:TOP_THEMES], where[w][:EXAMPLES], clause, role, _parts(w, terms),
                              [t for t, _ in cothemes[w].most_common()]))
    out.sort(key=lambda s: (-(s.themes[0][1] if s.themes else -1.0), -s.count, s.word))
    return out[:limit]
