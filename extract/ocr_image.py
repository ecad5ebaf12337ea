"""A scanned page as an image: rendered, straightened, and its ruling lines found.

A scan's table rules are pixels, not PDF lines, so the table finder would see no grid:
long thin dark runs are found by morphological opening (OpenCV) and returned as pdfplumber
line objects; wide dark bars (white-on-dark headings) as filled rects, as a born-digital PDF
draws them. Deskewing first keeps a rule one line and a text line one row.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .settings import OcrSettings

POINTS_PER_INCH = 72.0
INK = 255.0  # the value of a dark pixel in an `ink` mask
THROUGH_BAR = "ocr_through_bar"  # marks a column rule run up through a header bar (ocr.py drops one that cuts text)


@dataclass(frozen=True)
class PageImage:
    """A page's greyscale pixels and the scale from pixels to PDF points."""

    pixels: np.ndarray
    dpi: float

    @property
    def pt(self) -> float:
        """Points per pixel."""
        return POINTS_PER_INCH / self.dpi


def render(page, s: OcrSettings) -> PageImage:
    """The page rendered in greyscale at the resolution of its largest image (clamped to the
    settings' range), so a 200-dpi scan is read at 200 dpi rather than resampled."""
    dpi = s.default_dpi
    if page.images:
        im = max(page.images, key=lambda i: float(i["width"]) * float(i["height"]))
        src_w = (im.get("srcsize") or (0, 0))[0]
        if src_w and float(im["width"]) > 0:
            dpi = src_w / float(im["width"]) * POINTS_PER_INCH
    dpi = min(max(dpi, s.min_dpi), s.max_dpi)
    pixels = np.asarray(page.to_image(resolution=dpi).original.convert("L"))
    return PageImage(pixels.copy(), dpi)


def ink(pixels: np.ndarray) -> np.ndarray:
    """Dark pixels as 255 (Otsu's threshold copes with uneven exposure well enough for rules)."""
    _, ink = cv2.threshold(pixels, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def rule_ink(pixels: np.ndarray, dark: np.ndarray, pt: float, s: OcrSettings) -> np.ndarray:
    """Dark pixels and faint thin ones: a pixel `rule_contrast` grey levels darker than the
    paper around it (a median over `rule_background_pt`, which a thin line does not move) is ink.
    Table rules are often printed grey and thin, and after blur fall above Otsu's threshold."""
    k = max(3, int(s.rule_background_pt / pt) | 1)
    paper = cv2.medianBlur(pixels, k)
    faint = cv2.subtract(paper, pixels) >= s.rule_contrast
    return np.where(faint, np.uint8(255), dark)


def skew_angle(pixels: np.ndarray, s: OcrSettings) -> float:
    """The skew in degrees: the rotation whose row profile of ink is sharpest (text lines and
    rules then fall on whole rows). Searched on a reduced copy."""
    scale = s.skew_probe_width / pixels.shape[1]
    small = ink(cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    h, w = small.shape
    best, best_score = 0.0, -1.0
    steps = int(round(s.skew_max_deg / s.skew_step_deg))
    for k in range(-steps, steps + 1):
        angle = k * s.skew_step_deg
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rows = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def deskew(img: PageImage, s: OcrSettings) -> tuple[PageImage, float]:
    """The page turned straight, and the angle it was turned by."""
    angle = skew_angle(img.pixels, s)
    if angle == 0.0:
        return img, 0.0
    h, w = img.pixels.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turned = cv2.warpAffine(img.pixels, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
    return PageImage(turned, img.dpi), angle


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [tuple(int(v) for v in stats[i, :4]) for i in range(1, n)]


def _runs(ink: np.ndarray, length_px: int, horizontal: bool) -> np.ndarray:
    shape = (length_px, 1) if horizontal else (1, length_px)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))


def ruling_objects(img: PageImage, height_pt: float, s: OcrSettings) -> tuple[list[dict], list[dict]]:
    """Ruling lines (pdfplumber "line" objects, zero thickness along the rule's middle) and
    dark bars (filled "rect" objects) found in the page image, in PDF points."""
    dark = ink(img.pixels)
    pt = img.pt
    bars = _solid_bars(dark, pt, s)
    bars += [b for b in _filled_bars(dark, pt, s) if not any(_overlap(b, o) for o in bars)]
    rects = [_rect(x0, top, x1, bottom, height_pt) for x0, top, x1, bottom in bars]
    for x0, top, x1, bottom in bars:  # a bar is no rule, nor are the dark gaps between its white letters
        dark[int(top / pt):int(bottom / pt) + 1, int(x0 / pt):int(x1 / pt) + 1] = 0
    lines = _rules(dark, pt, height_pt, s)
    faint = _rules(rule_ink(img.pixels, dark, pt, s), pt, height_pt, s)  # (the dark rules keep their own ends)
    lines += [ln for ln in faint if not any(_collinear(ln, o, s.bar_join_tol_pt) for o in lines)]
    lines += _shaded_cell_rules(lines, rects, height_pt, s)
    lines += _cell_rules(dark, lines, pt, height_pt, s)
    return lines + _header_bar_rules(lines, rects, height_pt, s), rects


def _rules(mask: np.ndarray, pt: float, height_pt: float, s: OcrSettings) -> list[dict]:
    """Long thin runs of `mask` as line objects along their middles."""
    lines: list[dict] = []
    for horizontal, min_len in ((True, s.rule_min_h_pt), (False, s.rule_min_v_pt)):
        for x, y, w, h in _components(_runs(mask, max(2, int(min_len / pt)), horizontal)):
            if (h if horizontal else w) * pt > s.rule_max_thickness_pt:
                continue
            x0, top, x1, bottom = x * pt, y * pt, (x + w) * pt, (y + h) * pt
            if horizontal:
                lines.append(_line(x0, (top + bottom) / 2, x1, (top + bottom) / 2, height_pt))
            else:
                lines.append(_line((x0 + x1) / 2, top, (x0 + x1) / 2, bottom, height_pt))
    return lines


def _collinear(a: dict, b: dict, tol: float) -> bool:
    """Two rules of one orientation on one line (within `tol`) whose extents overlap."""
    if (a["top"] == a["bottom"]) != (b["top"] == b["bottom"]):
        return False
    if a["top"] == a["bottom"]:
        return abs(a["top"] - b["top"]) <= tol and a["x0"] < b["x1"] and b["x0"] < a["x1"]
    return abs(a["x0"] - b["x0"]) <= tol and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    ax0, atop, ax1, abottom = a
    bx0, btop, bx1, bbottom = b
    return ax0 < bx1 and bx0 < ax1 and atop < bbottom and btop < abottom


def _solid_bars(dark: np.ndarray, pt: float, s: OcrSettings) -> list[tuple[float, float, float, float]]:
    """Wide dark bars (a heading band): horizontal runs longer than a rule, stacked at least a
    bar's height."""
    out = []
    for x, y, w, h in _components(_runs(dark, max(2, int(s.rule_min_h_pt / pt)), horizontal=True)):
        if h * pt >= s.bar_min_height_pt:
            out.append((x * pt, y * pt, (x + w) * pt, (y + h) * pt))
    return out


def _filled_bars(dark: np.ndarray, pt: float, s: OcrSettings) -> list[tuple[float, float, float, float]]:
    """Dark bars with white letters on them (a label cell printed white on dark): the letters'
    white shapes, enclosed by the bar, are filled in, and what stays solid over a bar's least
    width and height is a bar. Black text on white keeps its gaps open to the paper."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_not(dark), connectivity=4)
    hole = s.bar_hole_max_pt / pt
    small = (stats[:, cv2.CC_STAT_WIDTH] <= hole) & (stats[:, cv2.CC_STAT_HEIGHT] <= hole)
    filled = np.where(small[labels], np.uint8(255), dark)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(2, int(s.bar_min_width_pt / pt)),
                                                         max(2, int(s.bar_min_height_pt / pt))))
    solid = cv2.morphologyEx(filled, cv2.MORPH_OPEN, kernel)
    return [(x * pt, y * pt, (x + w) * pt, (y + h) * pt) for x, y, w, h in _components(solid)]


def _shaded_cell_rules(lines: list[dict], rects: list[dict], height: float, s: OcrSettings) -> list[dict]:
    """A bar between two horizontal rules that run on beside it is a shaded cell of a ruled
    row (a label cell): its four sides are rules, as a born-digital table draws them."""
    flat = [ln for ln in lines if ln["top"] == ln["bottom"]]
    tol = s.bar_join_tol_pt

    def meets(y: float, r: dict) -> bool:
        return any(abs(ln["top"] - y) <= tol and ln["x0"] <= r["x1"] + tol and r["x0"] - tol <= ln["x1"] for ln in flat)
    out: list[dict] = []
    for r in rects:
        if meets(r["top"], r) and meets(r["bottom"], r):
            out += [_line(r["x0"], y, r["x1"], y, height) for y in (r["top"], r["bottom"])]
            out += [_line(x, r["top"], x, r["bottom"], height) for x in (r["x0"], r["x1"])]
    return out


def _cell_rules(dark: np.ndarray, lines: list[dict], pt: float, height: float, s: OcrSettings) -> list[dict]:
    """Column rules of one short row (a table's header row under a spanning row) are shorter
    than any rule found alone, and would leave the row one cell: a short vertical run is a rule
    when both its ends meet a horizontal rule running across it (a glyph stroke stands off the
    cell's borders by the cell's padding)."""
    flat = [ln for ln in lines if ln["top"] == ln["bottom"]]
    upright = [ln for ln in lines if ln["x0"] == ln["x1"]]
    tol, near = s.bar_join_tol_pt, s.cell_rule_tol_pt
    out: list[dict] = []
    for x, y, w, h in _components(_runs(dark, max(2, int(s.cell_rule_min_pt / pt)), horizontal=False)):
        if w * pt > s.rule_max_thickness_pt:
            continue
        mid, top, bottom = (x + w / 2) * pt, y * pt, (y + h) * pt
        if any(abs(ln["x0"] - mid) <= tol and ln["top"] - tol <= top and bottom <= ln["bottom"] + tol for ln in upright):
            continue  # (part of a rule found already)

        def meets(end: float) -> bool:
            return any(abs(ln["top"] - end) <= near and ln["x0"] - tol <= mid <= ln["x1"] + tol for ln in flat)
        if meets(top) and meets(bottom):
            out.append(_line(mid, top, mid, bottom, height))
    return out


def _header_bar_rules(lines: list[dict], rects: list[dict], height: float, s: OcrSettings) -> list[dict]:
    """A dark bar on top of a ruled table is its shaded header row: the bar's top and bottom
    become rules, and the table's column rules that stop at the bar run on up through it (a
    scan shows the header's borders only as the bar's edges). So do column rules that start
    at a rule across the table within `header_gap_max_pt` below the bar: under the header a
    row spanning every column (「検証対象事業」) stays one cell."""
    out: list[dict] = []
    tol = s.bar_join_tol_pt
    flat = [ln for ln in lines if ln["top"] == ln["bottom"]]

    def spans(y: float, r: dict) -> bool:  # a rule across the bar's width at y (a row of its table)
        return any(abs(ln["top"] - y) <= tol and ln["x0"] <= r["x0"] + tol and r["x1"] - tol <= ln["x1"] for ln in flat)
    for r in rects:
        below = [ln for ln in lines if ln["x0"] == ln["x1"] and r["x0"] - tol <= ln["x0"] <= r["x1"] + tol
                 and (abs(ln["top"] - r["bottom"]) <= tol
                      or (0 < ln["top"] - r["bottom"] <= s.header_gap_max_pt and spans(ln["top"], r)))]
        if not below:
            continue
        out += [_line(r["x0"], y, r["x1"], y, height) for y in (r["top"], r["bottom"])]
        out += [{**_line(ln["x0"], r["top"], ln["x0"], r["bottom"], height), THROUGH_BAR: True} for ln in below]
    return out


def _line(x0: float, top: float, x1: float, bottom: float, height: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "y0": height - bottom, "y1": height - top, "width": x1 - x0, "height": bottom - top,
            "linewidth": 1.0, "stroke": True, "fill": False, "pts": [(x0, top), (x1, bottom)],
            "stroking_color": (0,), "non_stroking_color": (0,)}


def _rect(x0: float, top: float, x1: float, bottom: float, height: float) -> dict:
    return {"object_type": "rect", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "y0": height - bottom, "y1": height - top, "width": x1 - x0, "height": bottom - top,
            "linewidth": 0.0, "stroke": False, "fill": True,
            "stroking_color": None, "non_stroking_color": (0.3,)}


def dropped_mark(dark: np.ndarray, box_px: tuple[float, float, float, float], first_x0: float, floor: float,
                 s: OcrSettings):
    """The bullet the engine left out before a line (it drops ○, ● and ※; the detector's box
    often still holds it): the glyph-sized blot nearest left of the first glyph read, told
    apart by how much of its box it fills and by its centre. Thin rules and specks are not blots,
    nor is text read left of `floor` (the end of the text read before it on the row), nor ink
    that runs out of the line's box above or below (the rounded end of a label badge beside it)."""
    from .ocr_engine import Glyph

    top, bottom = int(round(box_px[1])), int(round(box_px[3]))
    h = bottom - top
    right = int(first_x0) - 1
    left = max(0, int(floor) + 1, right - int(s.mark_reach * h))
    if h <= 0 or right <= left:
        return None
    patch = dark[max(0, top):bottom, left:right]
    n, _, stats, _ = cv2.connectedComponentsWithStats(patch, connectivity=8)
    lo, hi = s.mark_min_size * h, s.mark_max_size * h
    boxes = [tuple(int(v) for v in stats[i, :4]) for i in range(1, n)]
    ph = patch.shape[0]
    blots = [(x, y, w, bh) for x, y, w, bh in boxes if lo <= w <= hi and lo <= bh <= hi
             and y > 0 and y + bh < ph]  # one cut by the line's box is part of something larger (a badge's edge)
    if not blots:
        return None
    x, y, w, bh = max(blots, key=lambda b: b[0])
    blot = patch[y:y + bh, x:x + w]
    fill = float(blot.mean()) / INK
    centre = blot[bh // 3:bh - bh // 3, w // 3:w - w // 3]
    mark = "●" if fill >= s.mark_solid_fill else ("○" if centre.mean() / INK < s.mark_hollow_centre else "※")
    return Glyph(mark, (float(left + x), float(top), float(left + x + w), float(bottom)), 1.0)


def ink_density(dark: np.ndarray, box_px: tuple[float, float, float, float]) -> float:
    """Share of dark pixels (`ink`) in a box: bold type inks more of its box than regular type."""
    x0, top, x1, bottom = (int(round(v)) for v in box_px)
    patch = dark[max(0, top):max(top + 1, bottom), max(0, x0):max(x0 + 1, x1)]
    return float(patch.mean()) / INK if patch.size else 0.0

