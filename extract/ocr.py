"""Pages with no text layer, read by OCR into the records the text-layer path reads.

The seam is the pdfplumber page itself: a scanned page's objects are replaced by chars
(boxes, a type size from the line height, a bold font name for heavily inked lines) and
by the ruling lines and dark bars found in the image, so layout, tables, structure and the
self-check run unchanged. The scan image itself is not kept as a page object (the figure
filter would drop every line drawn on it). What was read by OCR is returned per page
(`OcrPage`): its lines' boxes and confidences for provenance, and the numbers repaired.
"""
from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from .settings import OCR_MODES, OcrSettings

if TYPE_CHECKING:  # the OpenCV and onnxruntime modules load only when a page is read by OCR
    from .ocr_engine import Glyph, TextLine
    from .ocr_image import PageImage

BBox = tuple[float, float, float, float]
MODES = OCR_MODES
REGULAR_FONT = "OCR-Regular"
BOLD_FONT = "OCR-Bold"
MARKS = "○●※・◯◎■□◆◇"
_FULL_WIDTH = ("W", "F")  # East Asian widths of a glyph one em wide  # a line opening with one of these read has no bullet dropped


@dataclass
class OcrPage:
    """What OCR read on one page (page index from 1), in PDF points."""

    page: int
    engine: str = ""
    skew_deg: float = 0.0
    lines: list[tuple[BBox, float]] = field(default_factory=list)
    """Each text line's box and the engine's confidence in it."""
    repaired: list[tuple[BBox, str]] = field(default_factory=list)
    """Boxes of numbers whose characters were repaired, with the text after repair."""
    labels: list[tuple[str, str]] = field(default_factory=list)
    """Label lines read as a heading label they nearly spell (text read, label)."""


def needs_ocr(page, s: OcrSettings) -> bool:
    """Whether this page is read by OCR: `force`, or in `auto` a page without text that shows an image."""
    if s.mode == "force":
        return True
    if s.mode == "off":
        return False
    visible = sum(1 for c in page.chars if c["text"].strip())
    return visible < s.min_text_chars and bool(page.images)


def ocr_page(page, page_no: int, s: OcrSettings) -> OcrPage:
    """Read the page image and put the records read in place of the page's own objects."""
    from .ocr_engine import ENGINE, read_image
    from .ocr_image import deskew, render, ruling_objects

    img, angle = deskew(render(page, s), s)
    height = float(page.height)
    lines, rects = ruling_objects(img, height, s)
    text_lines = read_image(img.pixels, s.threads, s.det_max_side)
    info = OcrPage(page=page_no, engine=ENGINE, skew_deg=angle)
    chars = _chars(text_lines, img, height, s, info)
    lines = _without_glyph_strokes(lines, [b for b, _ in info.lines], s.stroke_tol_pt)
    lines = _without_bar_rules_through_text(lines, [b for b, _ in info.lines], s.stroke_tol_pt)
    for obj in (*chars, *lines, *rects):
        obj["page_number"] = page.page_number
    page._objects = {"char": chars, "line": lines, "rect": rects}
    return info


def _chars(text_lines: list[TextLine], img: PageImage, height: float, s: OcrSettings, info: OcrPage) -> list[dict]:
    """pdfplumber-like char dicts of every cleaned glyph; records line confidences and repairs."""
    from .ocr_clean import clean_line
    from .ocr_image import dropped_mark, ink, ink_density

    dark = ink(img.pixels)
    density = [ink_density(dark, t.box) for t in text_lines]
    median = statistics.median(density) if density else 0.0
    pt = img.pt
    sizes = _snapped_sizes([_type_size(t, pt, s) for t in text_lines], [len(t.glyphs) for t in text_lines], s.size_snap)
    chars: list[dict] = []
    text_lines = _wrapped_labels(text_lines, s, info)
    for t, d, size in zip(text_lines, density, sizes):
        mark = dropped_mark(dark, t.box, t.glyphs[0].box[0], _left_reach(t, text_lines), s) \
            if t.glyphs and t.glyphs[0].text not in MARKS else None
        glyphs, repaired = clean_line(((mark,) if mark else ()) + t.glyphs)
        if not glyphs:
            continue
        glyphs = _relabelled(glyphs, s, info)
        top, bottom = t.box[1] * pt, t.box[3] * pt
        font = BOLD_FONT if median and d >= s.heavy_ink_ratio * median else REGULAR_FONT
        line_chars = [_char(g, top, bottom, size, font, pt, height) for g in glyphs]
        _glue(line_chars, s.glue_gap * size)
        chars += line_chars
        box = (line_chars[0]["x0"], top, line_chars[-1]["x1"], bottom)
        info.lines.append((box, t.conf))
        if repaired:
            info.repaired.append((box, "".join(g.text for g in glyphs)))
    return chars


def _wrapped_labels(text_lines: list[TextLine], s: OcrSettings, info: OcrPage) -> list[TextLine]:
    """A label wrapped in its cell (「主な成果・」 over 「活動指標」) loses the mark at the break: the
    engine drops a ・ ending a line. A line with the line under it (starting within a line's
    height of its left edge, no further below than `label_wrap_gap` × its height) that together
    spell a heading label but for characters at the break gets them back at its end."""
    from .ocr_engine import Glyph, TextLine
    from .ocr_labels import label_words, repaired_label
    from .patterns import load_patterns

    longest = max((len(w) for w in label_words()), default=0)
    out = list(text_lines)
    for k, a in enumerate(out):
        h = a.box[3] - a.box[1]
        text = "".join(g.text for g in a.glyphs)
        below = [b for b in out if b is not a and b.glyphs and 0 < b.box[1] - a.box[1]
                 and b.box[1] - a.box[3] <= s.label_wrap_gap * h and abs(b.box[0] - a.box[0]) <= h]
        if not a.glyphs or len(text) >= longest or not below:
            continue
        b = min(below, key=lambda o: o.box[1])
        rest = "".join(g.text for g in b.glyphs)
        label = repaired_label(text + rest, load_patterns(), s)
        if not label or not (label.startswith(text) and label.endswith(rest)) or len(label) <= len(text) + len(rest):
            continue
        x0, top, x1, bottom = a.glyphs[-1].box
        missing = label[len(text):len(label) - len(rest)]
        added = tuple(Glyph(ch, (x1 + j * (x1 - x0), top, x1 + (j + 1) * (x1 - x0), bottom), a.conf)
                      for j, ch in enumerate(missing))
        out[k] = TextLine(a.glyphs + added, a.box, a.conf)
        info.labels.append((f"{text}／{rest}", label))
    return out


def _relabelled(glyphs: tuple[Glyph, ...], s: OcrSettings, info: OcrPage) -> tuple[Glyph, ...]:
    """The line's glyphs, or the heading label it nearly spells set over the same box (ocr_labels)."""
    from .ocr_engine import Glyph
    from .ocr_labels import repaired_label
    from .patterns import load_patterns

    read = "".join(g.text for g in glyphs)
    label = repaired_label(read, load_patterns(), s)
    if label is None:
        return glyphs
    info.labels.append((read, label))
    x0, top, x1, bottom = glyphs[0].box[0], glyphs[0].box[1], glyphs[-1].box[2], glyphs[-1].box[3]
    w = (x1 - x0) / len(label)
    conf = min(g.conf for g in glyphs)
    return tuple(Glyph(ch, (x0 + k * w, top, x0 + (k + 1) * w, bottom), conf) for k, ch in enumerate(label))


def _left_reach(t: TextLine, text_lines: list[TextLine]) -> float:
    """Where the text read left of this line on its row ends (a dropped bullet lies right of it)."""
    first, _, _, _ = t.glyphs[0].box
    _, top, _, bottom = t.box
    ends = []
    for o in text_lines:
        if o is t or not o.glyphs:
            continue
        _, _, end, _ = o.glyphs[-1].box
        _, o_top, _, o_bottom = o.box
        if end <= first and o_top < bottom and top < o_bottom:  # left of it, on its row
            ends.append(end)
    return max(ends, default=0.0)


def _type_size(t: TextLine, pt: float, s: OcrSettings) -> float:
    """A line's type size in points: the median step between its full-width glyphs (each is one
    em wide; the steps hold to a pixel, where the detector's box heights vary by a quarter from
    line to line), or, on a line with few of them, a share of its box's height."""
    steps = [(b.box[0] - a.box[0]) * pt for a, b in zip(t.glyphs, t.glyphs[1:])
             if unicodedata.east_asian_width(a.text) in _FULL_WIDTH and unicodedata.east_asian_width(b.text) in _FULL_WIDTH]
    if len(steps) >= s.pitch_min_steps:
        return statistics.median(steps)
    return (t.box[3] - t.box[1]) * pt * s.size_per_box


def _snapped_sizes(sizes: list[float], weights: list[int], snap: float) -> list[float]:
    """Type sizes from line heights vary by a point from line to line (the detector's boxes); a
    text layer gives one size to all body text, and paragraphs are joined on equal sizes. Sizes
    within `snap` (a share) of the page's most used size become that size; headings keep theirs."""
    if not sizes:
        return []
    ordered = sorted(zip(sizes, weights))
    half, seen = sum(weights) / 2, 0
    body = ordered[-1][0]
    for size, w in ordered:
        seen += w
        if seen >= half:
            body = size
            break
    return [round(body, 1) if abs(x - body) <= snap * body else round(x, 1) for x in sizes]


def _without_glyph_strokes(lines: list[dict], boxes: list[BBox], tol: float) -> list[dict]:
    """Rules that lie inside a text line's box are strokes of its glyphs (the long verticals of
    a large title), not table rules: a table's rule runs past the text it borders."""
    def inside(ln: dict) -> bool:
        return any(x0 + tol <= ln["x0"] and ln["x1"] <= x1 - tol and top - tol <= ln["top"] and ln["bottom"] <= bottom + tol
                   for x0, top, x1, bottom in boxes)
    return [ln for ln in lines if not inside(ln)]


def _without_bar_rules_through_text(lines: list[dict], boxes: list[BBox], tol: float) -> list[dict]:
    """A column rule run up through a dark bar is dropped where one text line on the bar runs
    across it: that bar is a title row spanning the columns (「その他の事業（第12条から第18条）」),
    not a header row cut into them."""
    from .ocr_image import THROUGH_BAR

    def cuts(ln: dict) -> bool:
        return any(x0 + tol < ln["x0"] < x1 - tol and ln["top"] - tol <= top and bottom <= ln["bottom"] + tol
                   for x0, top, x1, bottom in boxes)
    return [{k: v for k, v in ln.items() if k != THROUGH_BAR} for ln in lines if not (ln.get(THROUGH_BAR) and cuts(ln))]


def _glue(chars: list[dict], reach: float) -> None:
    """Close the small gaps the engine leaves between the glyph boxes of one text line, as a
    text layer sets them (the layout would read each as a space); printed spaces stay, and so
    do gaps between Latin and Japanese text (「Action 令和4年度」)."""
    for a, b in zip(chars, chars[1:]):
        if a["text"] != " " and b["text"] != " " and a["text"].isascii() == b["text"].isascii() \
                and 0 < b["x0"] - a["x1"] <= reach:
            a["x1"] = b["x0"]
            a["width"] = a["adv"] = a["x1"] - a["x0"]


def _char(g: Glyph, top: float, bottom: float, size: float, font: str, pt: float, height: float) -> dict:
    x0, x1 = g.box[0] * pt, g.box[2] * pt
    return {"object_type": "char", "text": g.text, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": top, "y0": height - bottom, "y1": height - top, "width": x1 - x0,
            "height": bottom - top, "size": size, "fontname": font, "upright": True, "adv": x1 - x0,
            "matrix": (size, 0, 0, size, x0, height - bottom), "ocr_conf": g.conf,
            "stroking_color": None, "non_stroking_color": (0,)}
