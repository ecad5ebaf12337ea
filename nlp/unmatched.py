"""The yearly vocabulary loop: words of comments that got no theme or only weak signals, ranked
by closeness to each theme (ja_ginza word vectors, offline), as suggestions for themes.toml.

Candidates are Sudachi content words and noun compounds (価格転嫁, 電子帳簿保存法) of those
comments, minus the taxonomy's own terms and the [unmatched] ignore list.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from hokoku.extract.model import ThemeRecord

from . import pipeline
from .lexer import POS, Token, clean, tokenize
from .overrides import comment_id
from .taxonomy import Taxonomy

NOUNISH = {POS.NOUN, POS.PREFIX, POS.SUFFIX}
_KANA_ONLY = re.compile(r"^[\u3041-\u309f]+$")  # こと, とも: function-like nouns in hiragana
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


def candidates(toks: tuple[Token, ...]) -> list[str]:
    """Noun compounds (consecutive noun-like tokens) and single content nouns / verbal nouns."""
    out: list[str] = []
    run: list[Token] = []

    def flush():
        if run:
            words = [t.surface for t in run if t.pos == POS.NOUN and t.pos3 not in SKIP_NOUNS]
            out.extend(words)
            if len(run) > 1:
                out.append("".join(t.surface for t in run))
        run.clear()

    for t in toks:
        if t.pos in NOUNISH and t.pos3 not in SKIP_NOUNS:
            run.append(t)
        else:
            flush()
    flush()
    return [w for w in out if len(w) >= MIN_CHARS and not _KANA_ONLY.match(w)]


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


def suggest(records: list[ThemeRecord], tax: Taxonomy, limit: int = 50) -> list[Suggestion]:
    """Words of comments without a theme (or with weak ones only), with their closest themes,
    the closest first."""
    known = {clean(w) for t in tax.themes for w in (*t.terms, *t.weak, *t.frames)} | set(tax.ignore)
    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if not weakly_covered(r):
            continue
        for w in dict.fromkeys(candidates(tokenize(clean(r.text)).c)):
            if w in known:
                continue
            counts[w] += 1
            where[w].append(comment_id(r))
    if not counts:
        return []
    nlp = pipeline.load()
    cents = theme_centroids(tax)
    out = []
    for w, n in counts.items():
        v = _vector(nlp, w)
        sims = sorted(((tid, round(float(v @ c), 3)) for tid, c in cents.items()), key=lambda kv: -kv[1]) if v is not None else []
        out.append(Suggestion(w, n, sims[:TOP_THEMES], where[w][:EXAMPLES]))
    out.sort(key=lambda s: (-(s.themes[0][1] if s.themes else -1.0), -s.count, s.word))
    return out[:limit]
