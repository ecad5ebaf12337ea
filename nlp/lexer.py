"""Sudachi tokens for the lexical and clause layers (fast; no GiNZA parse).

Each comment is cleaned without changing its length (so every offset still points into the
original text), split into pieces Sudachi accepts, and tokenised in mode C; each C token is
also split into its mode-A parts. Terms then match whole tokens, never a piece of a word.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

MAX_CHARS = 8000  # Sudachi refuses more than 49149 UTF-8 bytes; 8000 chars stay far below
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CUT = re.compile(r"[。！？!?\n]")


class POS:
    """Sudachi part-of-speech names (UniDic levels) the layers above test for."""

    NOUN, VERB, ADJ, ADV = "名詞", "動詞", "形容詞", "副詞"
    PARTICLE, AUX, SYMBOL = "助詞", "助動詞", "補助記号"
    PREFIX, SUFFIX, SPACE = "接頭辞", "接尾辞", "空白"
    VERBAL_NOUN, NUMERAL, PRONOUN = "サ変可能", "数詞", "代名詞"
    GENITIVE = "の"  # the particle linking nouns: 業務の効率化


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    surface: str
    norm: str  # Sudachi's normalised form, casefolded: 結びつけ → 結び付ける, まちづくり → 町作り
    pos: str  # first level of the part of speech: 名詞, 動詞, 助詞, …
    pos3: str  # third level: サ変可能 for verbal nouns (周知, 連携), 一般, …
    synonyms: tuple[int, ...] = ()  # Sudachi synonym groups (補助金 and 助成金 share one)


@dataclass(frozen=True)
class Tokens:
    c: tuple[Token, ...]  # mode C (longest units: 事業承継施策 may stay whole)
    a: tuple[Token, ...]  # mode A (shortest units)

    def boundaries(self) -> set[int]:
        return {t.start for t in self.a} | {t.end for t in self.a}


def encodable(text: str) -> str:
    """Same-length text every writer can encode: lone surrogates → U+FFFD, control characters
    (NUL …) → space."""
    return _UNSAFE.sub(lambda m: " " if m.group() < "\ud800" else "\ufffd", text)


def clean(text: str) -> str:
    """Same-length text Sudachi can read: encodable and width-folded (ＳＤＧｓ→SDGs), so
    offsets stay valid."""
    text = encodable(text)
    out = []
    for c in text:
        n = unicodedata.normalize("NFKC", c)
        out.append(n if len(n) == 1 else c)
    return "".join(out)


def pieces(text: str, limit: int = MAX_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) cuts of a long text at sentence ends where possible; nothing is dropped."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        ends = [m.end() for m in _CUT.finditer(window)]
        cut = start + (ends[-1] if ends and ends[-1] > limit // 2 else limit)
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


@lru_cache(maxsize=1)
def _tokenizer():
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").create(mode=SplitMode.C), SplitMode.A


def _token(m, offset: int) -> Token:
    pos = m.part_of_speech()
    return Token(offset + m.begin(), offset + m.end(), m.surface(), m.normalized_form().casefold(), pos[0], pos[2],
                 tuple(m.synonym_group_ids()))


def tokenize(text: str) -> Tokens:
    """Mode C and mode A tokens of an already cleaned text."""
    tok, mode_a = _tokenizer()
    c: list[Token] = []
    a: list[Token] = []
    for offset, piece in pieces(text):
        for m in tok.tokenize(piece):
            t = _token(m, offset)
            if t.pos == POS.SPACE:
                continue
            c.append(t)
            parts = m.split(mode_a)
            a.extend([_token(p, offset) for p in parts] if len(parts) > 1 else [t])
    return Tokens(tuple(c), tuple(a))


def synonym_groups(term: str) -> tuple[int, ...]:
    """The Sudachi synonym groups of a one-word term (mode C); none for a phrase."""
    toks = tokenize(clean(term)).c
    return toks[0].synonyms if len(toks) == 1 else ()


def pattern(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A term as normalised-token sequences (mode C, mode A) to look for in a text."""
    toks = tokenize(clean(term))
    return tuple(t.norm for t in toks.c), tuple(t.norm for t in toks.a)
