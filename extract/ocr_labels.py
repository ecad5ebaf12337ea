"""Labels misread by OCR, matched to the heading patterns (issue 21).

A label line the engine misread by a character or two (「主な成果活動指標」 with its ・ dropped)
matches no heading pattern, so its section would be lost. A short OCR line that is no heading
as read, but within `OcrSettings.label_match_min` (difflib ratio) of a literal label word of
`headings.toml`, takes the label's reading; each repair is reported (`ocr_label_repaired`).
"""
from __future__ import annotations

import difflib
import re
import tomllib
from functools import lru_cache
from importlib import resources

from .normalize import normalize_text
from .patterns import Patterns
from .settings import OcrSettings


@lru_cache(maxsize=1)
def label_words() -> tuple[str, ...]:
    """The literal `core` labels of headings.toml (those that are plain words, not expressions)."""
    data = tomllib.loads(resources.files("hokoku.extract").joinpath("headings.toml").read_text(encoding="utf-8"))
    words = {c for sec in data.get("sections", {}).values() for c in sec.get("core", []) if re.escape(c) == c}
    return tuple(sorted(words))


def repaired_label(text: str, pats: Patterns, s: OcrSettings) -> str | None:
    """The label a misread label line stands for, or None (a heading already, or no label near)."""
    t = re.sub(r"\s+", "", normalize_text(text))
    words = [w for w in label_words() if len(w) >= s.label_min_chars]
    if len(t) < s.label_min_chars or pats.heading(t) or any(w in t for w in words):
        return None  # (a line holding a label and more is a longer text, 「…施策一覧」, not a misread label)
    best, ratio = None, 0.0
    for w in words:
        if abs(len(w) - len(t)) > s.label_max_edits:
            continue
        r = difflib.SequenceMatcher(None, t, w, autojunk=False).ratio()
        if r > ratio:
            best, ratio = w, r
    return best if best and ratio >= s.label_match_min else None
