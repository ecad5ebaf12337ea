"""Draw what the extractor saw on a page (lines, tables, headings, margins) as a PNG.

For users asking "why did this table come out wrong?": the table finder's own
debug view is drawn first, then the layout layer's lines and table regions.
"""
from __future__ import annotations

from pathlib import Path

from .inputcheck import open_pdf
from .geometry import Line, TableRegion
from .layout import layout_document
from .patterns import load_patterns
from .settings import ExtractSettings

COLOURS = {"heading": (220, 40, 40), "line": (40, 90, 220), "margin": (150, 150, 150),
           "table": (0, 160, 80), "image": (230, 150, 0)}


def draw_page(pdf_path: str | Path, page_no: int, out_png: str | Path,
              settings: ExtractSettings | None = None, resolution: int = 100) -> Path:
    """Write a PNG of page `page_no` (from 1) with detected blocks outlined; returns its path."""
    s = settings or ExtractSettings()
    pats = load_patterns()
    with open_pdf(pdf_path) as pdf:
        if not 1 <= page_no <= len(pdf.pages):
            raise ValueError(f"page {page_no} out of range 1–{len(pdf.pages)}")
        layouts = layout_document(pdf, s)
        page = pdf.pages[page_no - 1]
        im = page.to_image(resolution=resolution)
        im.debug_tablefinder(s.table_settings)
        pl = layouts[page_no - 1]
        for it in pl.items:
            if isinstance(it, TableRegion):
                im.draw_rect(it.bbox, stroke=COLOURS["table"], fill=None, stroke_width=3)
            elif isinstance(it, Line):
                kind = "heading" if pats.heading(it.text) else "line"
                im.draw_rect(it.bbox, stroke=COLOURS[kind], fill=None, stroke_width=1)
        for ln in pl.margin_lines:
            im.draw_rect(ln.bbox, stroke=COLOURS["margin"], fill=None, stroke_width=1)
        for bbox in pl.images:
            im.draw_rect(bbox, stroke=COLOURS["image"], fill=None, stroke_width=2)
        out = Path(out_png)
        out.parent.mkdir(parents=True, exist_ok=True)
        im.save(out, format="PNG")
    return out
