"""Rebuild docs/draft_vs_report_*.png: pages of the default draft beside the same pages of the fixture.

    .venv/bin/hokoku ingest fixtures/r3_portrait.pdf -o out/img
    .venv/bin/python docs/draft_images.py out/img/r3_portrait/report.json 川崎市

The city is given on the command line while extraction does not fill report.organisation yet.
Needs LibreOffice (python3-uno) and poppler-utils (pdftoppm).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from hokoku.extract.model import Report
from hokoku.outputs.draft import build_draft
from hokoku.outputs.soffice import to_pdf

DOCS = Path(__file__).resolve().parent
FIXTURE = DOCS.parent / "fixtures" / "r3_portrait.pdf"
# (image name, draft page, report page)
PAIRS = (("cover", 1, 1), ("toc", 2, 2), ("project", 4, 14), ("check_action", 5, 16))


def page_png(pdf: Path, page: int, out: Path) -> Image.Image:
    stem = out / f"{pdf.stem}_{page}"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}.png").convert("RGB")


def main(report_json: str, organisation: str) -> None:
    report = Report.load(report_json)
    report.report.organisation = organisation
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_draft(report, tmp / "draft.docx")
        pdf = to_pdf(tmp / "draft.docx", tmp / "draft.pdf")
        for name, mine, theirs in PAIRS:
            a, b = page_png(pdf, mine, tmp), page_png(FIXTURE, theirs, tmp)
            b = b.resize((round(b.width * a.height / b.height), a.height))
            both = Image.new("RGB", (a.width + b.width + 20, a.height), "white")
            both.paste(a, (0, 0))
            both.paste(b, (a.width + 20, 0))
            both.save(DOCS / f"draft_vs_report_{name}.png", optimize=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
