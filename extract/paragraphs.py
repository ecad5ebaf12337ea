"""Lines → paragraphs: join wrapped lines (also across page breaks), keep items apart.

A Japanese paragraph wraps at the column's right edge, so a line that stops
short ends its paragraph; a line opening with a bullet, a circled number or a
bracket starts a new one; headings are always paragraphs of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .geometry import Line, TableRegion
from .normalize import NOTE_MARK, join_lines
from .patterns import CLOSE_BRACKETS, LINE_MARKERS, NO_LINE_START, OPEN_BRACKETS, SENTENCE_END, WORD_DOT, Patterns
from .settings import ExtractSettings
from .trace import decided, snippet


@dataclass
class Para:
    lines: list[Line]
    heading: str | None = None  # section key when the paragraph is a heading
    joined: str | None = None  # the text when already joined (a table cell's paragraph)

    @property
    def text(self) -> str:
        return self.joined if self.joined is not None else join_lines([ln.text for ln in self.lines])

    @property
    def raw(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def bbox(self) -> list[float]:
        first = [ln for ln in self.lines if ln.page == self.page]
        return [round(v, 1) for v in (min(ln.x0 for ln in first), min(ln.top for ln in first),
                                      max(ln.x1 for ln in first), max(ln.bottom for ln in first))]

    @property
    def size(self) -> float:
        return self.lines[0].size

    @property
    def heavy(self) -> bool:
        return self.lines[0].heavy


def starts_item(text: str) -> bool:
    return bool(LINE_MARKERS.match(text.lstrip()))


_LEADING_WORD = re.compile(r"^[「『（(]?[!-~０-９（）［］]+")
ASCII_WIDTH = 0.6  # rough width of an ASCII glyph, in font sizes


def _leading_word_width(ln: Line) -> float:
    """Estimated width of the unbreakable run (ASCII word, number with brackets) opening the
    line: a line wrapped before a run that did not fit stops short of the edge yet continues."""
    m = _LEADING_WORD.match(ln.text)
    if not m:
        return 0.0
    return sum(ASCII_WIDTH if c < "\u0080" else 1.0 for c in m.group()) * ln.size


def opening_width(ln: Line) -> float:
    """Estimated width of what the line opens with that the wrap could not have left on the
    line above: an unbreakable run, or the first character with the punctuation after it that
    may not open a line (「し、」)."""
    word = _leading_word_width(ln)
    if word:
        return word
    text = ln.text.lstrip()
    n = 1
    while n < len(text) and text[n] in NO_LINE_START:
        n += 1
    return n * ln.size


def _sentence_ended_short(prev: Line, cur: Line, right: float, s: ExtractSettings) -> bool:
    """`prev` closes a sentence and `cur` would have had room to open on it: a paragraph ended."""
    return (prev.text.rstrip().endswith(SENTENCE_END)
            and right - prev.x1 > opening_width(cur) + s.sentence_fit_tol * prev.size)


def line_pitch(stream: list, s: ExtractSettings) -> dict[float | None, float]:
    """The usual gap between consecutive lines of a paragraph (points), per font size and for
    the whole document (key None): measured after lines that fill their column, which surely
    go on in the next line. A document's gap between short paragraphs or list items may be
    narrower than its leading, so the most frequent gap of all lines need not be the pitch."""
    gaps: dict[float | None, dict[float, int]] = {}
    prev = None
    for it in stream:
        if isinstance(it, Line) and isinstance(prev, Line) and it.page == prev.page and it.column == prev.column \
                and abs(it.size - prev.size) < s.pitch_size_tol_pt and prev.col_right - prev.x1 <= s.line_end_slack * prev.size:
            g = round((it.top - prev.bottom) * 2) / 2
            if 0 <= g < s.pitch_max_gap * it.size:
                for key in (round(it.size, 1), None):
                    seen = gaps.setdefault(key, {})
                    seen[g] = seen.get(g, 0) + 1
        prev = it
    return {key: max(seen, key=seen.get) for key, seen in gaps.items()}


def _continues(prev: Line, cur: Line, same_page: bool, s: ExtractSettings,
               pitch: dict[float | None, float] | None = None) -> bool:
    if starts_item(cur.text):
        return False
    if abs(prev.size - cur.size) > s.same_size_tol or prev.heavy != cur.heavy:
        return False
    room = prev.col_right - prev.x1
    if room > s.line_end_slack * prev.size and room > _leading_word_width(cur) + s.line_end_slack * prev.size \
            and not _opens_bracket(prev.text):
        return False  # the previous line stopped short, not for want of room: its paragraph ended
    if same_page:
        if prev.column != cur.column:
            return False
        gap = cur.top - prev.bottom
        known = pitch or {}
        usual = known.get(round(cur.size, 1), known.get(None, s.para_gap * cur.size))
        return -s.para_overlap * cur.size <= gap <= min(s.para_gap * cur.size, usual + s.para_gap_extra * cur.size)
    return True


def _opens_bracket(text: str) -> bool:
    """The text opens a bracket it does not close (a note wrapped in a narrow column, 「（…に
    向けたイベントの」 over 「活動回数）」): the line after it goes on with it."""
    return sum(text.count(c) for c in OPEN_BRACKETS) > sum(text.count(c) for c in CLOSE_BRACKETS)


def _row_at(lines: list[Line], i: int) -> list[Line]:
    """lines[i] and the lines after it printed on the same row (same page, overlapping heights)."""
    first = lines[i]
    row = [first]
    for ln in lines[i + 1:]:
        if ln.page != first.page or not (ln.top < first.bottom and ln.bottom > first.top):
            break
        row.append(ln)
    return row


def side_by_side(lines: list[Line], s: ExtractSettings) -> tuple[list[Line], set[int]]:
    """Items printed side by side (「・A  ・B」 on one row, naming two tables), each wrapping
    in its own column: the lines put column by column, and the ids of the lines that go on
    the item above them. Other lines keep their order."""
    out: list[Line] = []
    joined: set[int] = set()
    i = 0
    while i < len(lines):
        row = _row_at(lines, i)
        i += len(row)
        if len(row) <= 1 or not all(starts_item(ln.text) for ln in row) \
                or any(b.x0 <= a.x1 for a, b in zip(row, row[1:])):
            out += row
            continue
        cols = [[ln] for ln in row]
        starts = [ln.x0 - ln.size for ln in row]
        while i < len(lines):
            nxt = _row_at(lines, i)
            bottom = max(c[-1].bottom for c in cols)
            if nxt[0].page != row[0].page or nxt[0].top - bottom > s.para_gap * nxt[0].size \
                    or any(starts_item(ln.text) and not ln.text.lstrip().startswith(NOTE_MARK) for ln in nxt):
                break  # (a ※ note under an item wraps with it in its column)
            ks = [max((k for k, x in enumerate(starts) if x <= ln.x0), default=None) for ln in nxt]
            if None in ks or any(k + 1 < len(starts) and ln.x1 > starts[k + 1] for k, ln in zip(ks, nxt)):
                break
            for k, ln in zip(ks, nxt):
                cols[k].append(ln)
                joined.add(id(ln))
            i += len(nxt)
        out += [ln for c in cols for ln in c]
    return out, joined


def _join_wrapped_labels(stream: list, pats: Patterns, s: ExtractSettings) -> list:
    """A label wrapped in its own narrow column (「令和4年度の実施」 over 「計画」) beside its
    content: the line under it that starts at the same left edge, and completes the label,
    joins the label, so the line reads 「令和4年度の実施計画 ・…」."""
    out: list = []
    skip = False
    for a, b in zip(stream, [*stream[1:], None]):
        if skip:  # the label's second half, joined to the line before
            skip = False
            continue
        out.append(a)
        if not (isinstance(a, Line) and isinstance(b, Line)) or a.page != b.page:
            continue
        head, _, rest = a.text.partition(" ")
        if (rest and abs(a.x0 - b.x0) <= s.label_wrap_tol and len(b.text) <= s.label_wrap_chars
                and not pats.heading(head) and pats.heading(head + b.text)):
            out[-1] = replace(a, text=f"{head}{b.text} {rest}")
            skip = True
    return out


def build_paragraphs(
    stream: list[Line | TableRegion | None], pats: Patterns, s: ExtractSettings
) -> list[Para | TableRegion]:
    """`stream` holds every page's items in reading order, with None between pages."""
    out: list[Para | TableRegion] = []
    prev: Line | None = None
    page_break = False
    pitch = line_pitch(stream, s)
    stream, joined = _side_by_side_runs(_join_wrapped_labels(stream, pats, s), s)
    for it in stream:
        if it is None:
            page_break = True
            continue
        if isinstance(it, TableRegion):
            out.append(it)
            prev = None
            page_break = False
            continue
        if pats.is_tag_only(it.text):
            continue  # a PDCA badge printed on its own
        if prev is not None and prev.column == "left" and it.column == "right" and it.top < prev.top:
            page_break = True  # the text flows on at the top of the right panel
        key = pats.heading(it.text)
        cur_para = out[-1] if out and isinstance(out[-1], Para) else None
        if (
            key is None
            and prev is not None
            and cur_para is not None
            and cur_para.heading is None
            and (id(it) in joined or (_continues(prev, it, not page_break, s, pitch)
                                      and pats.split_label(it.text) is None))  # a label opens a paragraph
        ):
            if page_break:
                decided(it.page, "paragraph-continues", f"{snippet(it.text)} goes on with the paragraph before the break",
                        "it continues the last line's column and indent, and opens with no label")
            cur_para.lines.append(it)
        else:
            out.append(Para([it], heading=key))
        prev = it if key is None else None
        page_break = False
    return out


def _side_by_side_runs(stream: list, s: ExtractSettings) -> tuple[list, set[int]]:
    """`side_by_side` over each run of lines between tables and page breaks."""
    out: list = []
    joined: set[int] = set()
    run: list[Line] = []
    for it in [*stream, None]:
        if isinstance(it, Line):
            run.append(it)
            continue
        lines, ids = side_by_side(run, s)
        out += lines
        joined |= ids
        run = []
        out.append(it)
    return out[:-1], joined


def cell_line_groups(lines: list[Line], s: ExtractSettings) -> list[list[Line]]:
    """The lines of each paragraph inside one table cell (bullets and wrapped lines): a line goes
    on where the one before it filled the cell, or opened a bracket it did not close (a wrap
    before 「下、GIC）」 that the typesetter kept whole)."""
    if not lines:
        return []
    lines, joined = side_by_side(lines, s)
    rights = _full_line_ends(lines, s)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if a.page == b.page and b.top >= a.bottom - 1]
    pitch = min(gaps) if gaps else 0.0
    paras: list[list[Line]] = []
    prev: Line | None = None
    for ln in lines:
        right = rights[round(prev.col_left)] if prev is not None else 0.0
        if prev is not None and (id(ln) in joined or (
            (not starts_item(ln.text) or _wrapped_word_dot(prev, ln, right, s))
            and (prev.x1 >= right - s.line_end_slack * prev.size - _leading_word_width(ln) or _opens_bracket(prev.text))
            and not _sentence_ended_short(prev, ln, right, s)
            and abs(prev.size - ln.size) <= s.same_size_tol
            and (ln.page != prev.page or ln.top - prev.bottom <= pitch + s.cell_para_gap * ln.size)
        )):
            paras[-1].append(ln)
        else:
            paras.append([ln])
        prev = ln
    return [p for p in paras if join_lines([ln.text for ln in p])]


def _wrapped_word_dot(prev: Line, ln: Line, right: float, s: ExtractSettings) -> bool:
    """`ln` opens with the dot between two words (「機械」 over 「・施設等を…」), not a bullet: the
    line before it is full (to `word_dot_full_em`) and ends neither a sentence nor a bracket."""
    end = prev.text.rstrip()
    return (ln.text.lstrip().startswith(WORD_DOT) and prev.x1 >= right - s.word_dot_full_em * prev.size
            and not end.endswith(SENTENCE_END) and not end.endswith(tuple(CLOSE_BRACKETS)))


def _full_line_ends(lines: list[Line], s: ExtractSettings) -> dict[int, float]:
    """Where a full line of the cell ends, per piece of the cell by its left edge (a cell a
    panel break cut stands in two panels; one a page break cut keeps its edges): its longest
    line, or near its right border when it holds few lines and none reaches it."""
    pieces: dict[int, list[Line]] = {}
    for ln in lines:
        pieces.setdefault(round(ln.col_left), []).append(ln)
    ends = {}
    for key, piece in pieces.items():
        right = max(ln.x1 for ln in piece)
        border = max(ln.col_right for ln in piece)  # the cell's right border, when the lines know it
        if border > right:
            right = max(right, border - s.cell_text_pad * max(ln.size for ln in piece))
        ends[key] = right
    return ends


def cell_paragraphs(lines: list[Line], s: ExtractSettings) -> list[str]:
    """Paragraphs inside one table cell, as text."""
    return [join_lines([ln.text for ln in p]) for p in cell_line_groups(lines, s)]
