"""Japanese clean-up of what the OCR engine read, one character for one (boxes are kept).

NFKC, then the engine's known confusions (`ocr_confusions.toml`): Chinese forms, kanji read
for katakana inside a katakana run, 一 for ー after katakana, a letter O for the ○ bullet at
a line's start, and look-alikes inside a number (KPI cells: O/0, l/1, 、/,). Number repairs
are reported, so the value can carry a warning.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .ocr_engine import Glyph

CONFUSIONS = Path(__file__).with_name("ocr_confusions.toml")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9]")
_ENCLOSED = re.compile(r"[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")
_LATIN = re.compile(r"[A-Za-z]")
_NUMBER_WITH_STRAYS = re.compile(r"^[^\w]*?(\d[\d,]*)[^\w]*$")
_THOUSANDS = re.compile(r"\d{3}(?!\d)")


@dataclass(frozen=True)
class Confusions:
    chinese: dict[str, str]
    katakana: dict[str, str]
    not_katakana: dict[str, str]
    long_vowel: dict[str, str]
    line_start: dict[str, str]
    in_number: dict[str, str]
    thousands: dict[str, str]
    stray: dict[str, str]


@lru_cache(maxsize=None)
def confusions(path: Path = CONFUSIONS) -> Confusions:
    with path.open("rb") as f:
        d = tomllib.load(f)
    return Confusions(**{k: dict(d.get(k, {})) for k in Confusions.__dataclass_fields__})


def _nfkc(glyphs: tuple[Glyph, ...]) -> list[Glyph]:
    """NFKC per glyph, except circled numbers (①, kept as printed, as the text path keeps them);
    a glyph that expands (㈱ → (株)) shares its box between the results."""
    out: list[Glyph] = []
    for g in glyphs:
        text = g.text if _ENCLOSED.match(g.text) else unicodedata.normalize("NFKC", g.text)
        if len(text) == 1:
            out.append(replace(g, text=text))
            continue
        x0, top, x1, bottom = g.box
        w = (x1 - x0) / max(1, len(text))
        out += [Glyph(ch, (x0 + k * w, top, x0 + (k + 1) * w, bottom), g.conf) for k, ch in enumerate(text)
                if not ch.isspace()]
    return out


def _katakana_fix(text: list[str], k: int, c: Confusions) -> str:
    ch = text[k]
    prev = text[k - 1] if k else ""
    nxt = text[k + 1] if k + 1 < len(text) else ""
    after_kana = bool(_KATAKANA.match(prev))
    if after_kana and ch in c.long_vowel:
        return c.long_vowel[ch]
    if ch in c.katakana and ((after_kana and not _KANJI.match(nxt)) or _KATAKANA.match(nxt)):
        return c.katakana[ch]
    if ch in c.not_katakana and not after_kana and not _KATAKANA.match(nxt):
        return c.not_katakana[ch]
    return ch


def _number_fix(text: list[str], k: int, c: Confusions) -> str:
    """After a digit: a letter look-alike not followed by a Latin letter is a digit (1O回 → 10回);
    a separator look-alike before exactly three digits is the thousands comma (1、455 → 1,455)."""
    ch = text[k]
    prev = text[k - 1] if k else ""
    if not _DIGIT.match(prev):
        return ch
    if ch in c.thousands:
        return c.thousands[ch] if _THOUSANDS.match("".join(text[k + 1:k + 5])) else ch
    nxt = text[k + 1] if k + 1 < len(text) else ""
    if ch in c.in_number and (_DIGIT.match(nxt) or nxt in c.in_number or not _LATIN.match(nxt)):
        return c.in_number[ch]
    return ch


def clean_line(glyphs: tuple[Glyph, ...], c: Confusions | None = None) -> tuple[list[Glyph], list[int]]:
    """The glyphs cleaned, and the indexes of characters changed inside a number."""
    c = c or confusions()
    out = _nfkc(glyphs)
    text = [c.chinese.get(g.text, g.text) for g in out]
    if len(text) > 1 and text[0] in c.line_start and _JAPANESE.match(text[1]):
        text[0] = c.line_start[text[0]]
    repaired: list[int] = []
    for k in range(len(text)):
        text[k] = _katakana_fix(text, k, c)
        fixed = _number_fix(text, k, c)
        if fixed != text[k]:
            text[k] = fixed
            repaired.append(k)
    out = [replace(g, text=t) if t != g.text else g for g, t in zip(out, text)]
    return _strip_stray(out, repaired, c)


def _strip_stray(glyphs: list[Glyph], repaired: list[int], c: Confusions) -> tuple[list[Glyph], list[int]]:
    """A line that is a number apart from stray marks around it (a speck read as 「"」 beside a
    KPI cell's 5) is that number; the repair is reported."""
    text = "".join(g.text for g in glyphs)
    m = _NUMBER_WITH_STRAYS.match(text)
    if not m or m.group(1) == text or not any(ch in c.stray for ch in text):
        return glyphs, repaired
    a, b = m.span(1)
    return glyphs[a:b], [*repaired, a]
