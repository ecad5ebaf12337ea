"""Rebuild docs/draft_<rendering>_*.png: pages of the default draft beside the source pages they come from.

    .venv/bin/python docs/draft_images.py ../shared/acceptance/fy2021_word_landscape.pdf landscape
    .venv/bin/python docs/draft_images.py ../shared/acceptance/fy2021_web_portrait.pdf portrait

Each released PDF is read (hokoku ingest), drafted and converted to PDF; then the cover, the
table of contents, the first chapter, the chapter with the article-opinion table and the first
project are set beside the source page they were drafted from (found by the headings the draft
prints and the pages the report model gives). Needs LibreOffice (python3-uno) and poppler-utils.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from hokoku.extract import parse_report
from hokoku.outputs.draft import build_draft
from hokoku.outputs.draft.context import chapter_title
from hokoku.outputs.soffice import to_pdf

DOCS = Path(__file__).resolve().parent
DPI = "50"


def page_png(pdf: Path, page: int, out: Path) -> Image.Image:
    stem = out / f"{pdf.stem}_{page}"
    subprocess.run(["pdftoppm", "-r", DPI, "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}.png").convert("RGB")


def page_texts(pdf: Path) -> list[str]:
    """Each page's text without spaces (LibreOffice spaces out digits beside kanji)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", t) for t in text.split("\f")]


def draft_page(texts: list[str], heading: str, after: int = 2) -> int:
    """The first page after the TOC showing `heading` (1-based)."""
    key = re.sub(r"\s+", "", heading)
    return next(i for i, t in enumerate(texts[after:], start=after + 1) if key in t)


def side_by_side(a: Image.Image, b: Image.Image) -> Image.Image:
    b = b.resize((round(b.width * a.height / b.height), a.height))
    both = Image.new("RGB", (a.width + b.width + 16, a.height), "white")
    both.paste(a, (0, 0))
    both.paste(b, (a.width + 16, 0))
    return both.quantize(colors=64)  # small files: the pages are text and a few fills


def main(source: str, name: str) -> None:
    src = Path(source)
    report = parse_report(src)
    fy0 = report.report.fiscal_year
    pairs = [("cover", None, 1), ("toc", None, 2)]
    if report.chapters:
        first = report.chapters[0]
        pairs.append(("chapter", chapter_title(first, fy0), min(first.pages, default=3)))
    opinions = next((c for c in report.chapters if any(t.kind == "article_opinions" for t in c.tables)), None)
    if opinions is not None:
        table = next(t for t in opinions.tables if t.kind == "article_opinions")
        page = table.provenance.page if table.provenance else max(opinions.pages)
        pairs.append(("opinions", table.header[-1], page))
    project = next((p for p in report.projects if p.kind == "verified" and p.pages), None)
    if project is not None:
        pairs.append(("project", project.name, min(project.pages)))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_draft(report, tmp / "draft.docx")
        pdf = to_pdf(tmp / "draft.docx", tmp / "draft.pdf")
        texts = page_texts(pdf)
        for label, heading, theirs in pairs:
            mine = theirs if heading is None else draft_page(texts, heading)
            side_by_side(page_png(pdf, mine, tmp), page_png(src, theirs, tmp)).save(DOCS / f"draft_{name}_{label}.png", optimize=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
