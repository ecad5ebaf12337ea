"""Text normalisation shared by extraction, fixtures' ground truth and NLP.

The contract wants text "as printed" except for a few well-defined repairs:
full-width ASCII letters/digits → ASCII (ＳＤＧｓ→SDGs), CJK radical look-alikes
some PDF makers emit (⼩→小 by NFKC, ⻑→長 by table, since NFKC leaves the
CJK Radicals Supplement alone), one wave dash, and no stray spaces next to
Japanese characters. Everything else (（）, ①, ※, ～) is kept as printed.
"""
from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement (U+2E80–U+2EFF) has no NFKC mapping; these are the
# look-alikes seen in Japanese PDFs, mapped to the unified ideograph.
RADICAL_SUPPLEMENT = {
    "⺁": "厂", "⺃": "乚", "⺅": "亻", "⺉": "刂", "⺊": "卜", "⺋": "㔾", "⺌": "⺌",
    "⺍": "⺍", "⺎": "兀", "⺏": "尣", "⺐": "尢", "⺑": "𡯂", "⺒": "巳", "⺓": "幺",
    "⺔": "彑", "⺖": "忄", "⺗": "㣺", "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺜": "日",
    "⺝": "月", "⺞": "歺", "⺟": "母", "⺠": "民", "⺡": "氵", "⺢": "氺", "⺣": "灬",
    "⺤": "爫", "⺥": "爫", "⺦": "丬", "⺧": "牜", "⺨": "犭", "⺩": "王", "⺪": "疋",
    "⺫": "罒", "⺬": "示", "⺭": "礻", "⺮": "⺮", "⺯": "糸", "⺰": "纟", "⺱": "罓",
    "⺲": "罒", "⺳": "网", "⺴": "罓", "⺵": "罓", "⺶": "⺶", "⺷": "⺷", "⺸": "⺸",
    "⺹": "耂", "⺺": "肀", "⺻": "聿", "⺼": "月", "⺽": "臼", "⺾": "艹", "⺿": "艹",
    "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻃": "西", "⻄": "西", "⻅": "见", "⻆": "角",
    "⻇": "⻇", "⻈": "讠", "⻉": "贝", "⻊": "⻊", "⻋": "车", "⻌": "辶", "⻍": "辶",
    "⻎": "辶", "⻏": "阝", "⻐": "钅", "⻑": "長", "⻒": "镸", "⻓": "长", "⻔": "门",
    "⻕": "⻕", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风",
    "⻜": "飞", "⻝": "食", "⻞": "𩙿", "⻟": "飠", "⻠": "饣", "⻡": "⻡", "⻢": "马",
    "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄",
    "⻪": "黾", "⻫": "斉", "⻬": "齐", "⻭": "歯", "⻮": "齿", "⻯": "竜", "⻰": "龙",
    "⻱": "龜", "⻲": "亀", "⻳": "龟",
}

# Dash look-alikes some CID encodings emit, mapped to the dash the author typed.
DASHES = {"\u2012": "\u2013"}  # FIGURE DASH → EN DASH
WAVE_DASHES = "〜～"  # U+301C, U+FF5E: unified to the first variant below
WAVE_DASH = "～"

_FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")
_KANGXI = re.compile(r"[\u2F00-\u2FDF]")
_WAVE = re.compile(f"[{WAVE_DASHES}]")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
# Japanese characters (kana, kanji, CJK punctuation, full-width forms).
JP = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# A space is dropped between two Japanese characters, or between a Japanese character and
# ASCII text (a layout gap, not a printed space); one next to ① or other symbols is kept.
_ASCII = r"!-~"
_SPACE_NEXT_TO_JP = re.compile(rf"(?<=[{JP}])\s+(?=[{JP}{_ASCII}])|(?<=[{_ASCII}])\s+(?=[{JP}])")
_SPACE_IN_BRACKETS = re.compile(r"(?<=[(\[（「『【])\s+|\s+(?=[)\]）」』】])")
# Control and zero-width characters, dropped.
_CONTROL = [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, 0x200B, 0x200C, 0x200D, 0xFEFF]


def _char_repair(c: str) -> str:
    """The repair of one character (the steps in order: full-width, Kangxi, radicals, dashes)."""
    if _FULLWIDTH_ALNUM.fullmatch(c) or _KANGXI.fullmatch(c):
        c = unicodedata.normalize("NFKC", c)
    c = RADICAL_SUPPLEMENT.get(c, c)
    c = WAVE_DASH if _WAVE.fullmatch(c) else c
    return DASHES.get(c, c)


# Every repair maps one character to one character (or drops it), so one translate table
# does them all in a single pass over the text.
_CANDIDATES = [chr(cp) for cp in (*range(0xFF10, 0xFF5B), *range(0x2F00, 0x2FE0))]
_REPAIRS: dict[int, str | None] = {ord(c): _char_repair(c) for c in
                                   [*_CANDIDATES, *RADICAL_SUPPLEMENT, *WAVE_DASHES, *DASHES]
                                   if _char_repair(c) != c}
_REPAIRS.update(dict.fromkeys(_CONTROL))


def normalize_chars(s: str) -> str:
    """Repair characters only (no whitespace changes)."""
    return s.translate(_REPAIRS)


def normalize_text(s: str) -> str:
    """Normalise one paragraph: characters repaired, line breaks joined,
    whitespace collapsed, no spaces next to Japanese characters."""
    s = normalize_chars(s)
    s = _SPACES.sub(" ", s.replace("\r", "\n"))
    s = re.sub(r"\s*\n\s*", "\n", s).strip()
    s = _SPACE_NEXT_TO_JP.sub("", s)
    s = _SPACE_IN_BRACKETS.sub("", s)
    s = re.sub(r"(?<=[0-9,.])\n(?=[0-9])", "", s)  # a number wrapped at the line end
    # remaining newlines join ASCII words
    return re.sub(r"\s*\n\s*", " ", s).strip()


def join_lines(lines: list[str]) -> str:
    """Join the printed lines of one paragraph. A line opening with a circled number inside a
    paragraph (a wrapped title such as 「…事業 / ②…事業」) was preceded by a space."""
    text = "\n".join(lines)
    text = re.sub(r"\n(?=[\u2460-\u2473])", " \n", text)
    return normalize_text(text)


NOTE_MARK = "※"  # opens a note printed under a name or a table, not content of its own
NOTE_OPENERS = ("（", "(")  # a line under a name opening in brackets is a note on it
BULLETS = "・･-‐−－○◯●◎■□◆◇▪▫•"
ITEM_MARKS = "○◯●◎■□◆◇▪▫•"  # bullets that never join words (unlike ・ and the dashes)
# marks that open an item printed beside another after a gap (「・A  ・B」): ・ joins words
# (「ナノ・マイクロ」) but never after a gap
ITEM_OPENERS = ITEM_MARKS + "・･"
_BULLET_RE = re.compile(rf"^\s*[{re.escape(BULLETS)}]\s*")

CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}  # ①..⑳
CIRCLED.update({chr(0x3251 + i): i + 21 for i in range(15)})  # ㉑..㉟
_CIRCLED_RUN = re.compile(r"^\s*([" + "".join(CIRCLED) + r"](?:[、・,]?[" + "".join(CIRCLED) + r"])*)\s*")


def strip_bullet(s: str) -> str:
    """Remove one leading bullet mark (・, -, ○, ● …)."""
    return _BULLET_RE.sub("", s, count=1)


def circled_to_int(c: str) -> int | None:
    return CIRCLED.get(c)


def split_numbered(s: str) -> tuple[list[int], str]:
    """'①②③ text' → ([1, 2, 3], 'text'); text without a leading circled number → ([], text).

    A run is circled numbers printed together (①②③, ①・②); '⑥ ⑤同様…' is item 6
    whose text begins with ⑤, so whitespace ends the run, and so does a number not above the
    one before it ('⑥⑤同様…')."""
    s = strip_bullet(s)
    m = _CIRCLED_RUN.match(s)
    if not m:
        return [], s.strip()
    nums = [CIRCLED[c] for c in m.group(1) if c in CIRCLED]
    cut = next((k for k in range(1, len(nums)) if nums[k] <= nums[k - 1]), None)
    if cut is not None:  # 「⑥⑤同様…」: a run counts up; a lower number opens the text
        return nums[:cut], s[m.start(1) + _run_chars(m.group(1), cut):].strip()
    return nums, s[m.end():].strip()


def _run_chars(run: str, n: int) -> int:
    """Characters of `run` (circled numbers and their separators) up to its n-th number."""
    seen = 0
    for k, c in enumerate(run):
        if c in CIRCLED:
            if seen == n:
                return k
            seen += 1
    return len(run)
