"""hokoku debug: draw the detected lines, headings and tables of one page as PNG."""
from __future__ import annotations

import logging

NAME = "debug"
HELP = "draw what the extractor detected on a page (lines, headings, tables, margins) as a PNG"


def add_arguments(p) -> None:
    p.add_argument("pdf", help="report PDF")
    p.add_argument("--page", type=int, required=True, help="PDF page index, from 1")
    p.add_argument("-o", "--output", required=True, help="PNG file to write")
    p.add_argument("--resolution", type=int, default=100, help="dpi (default 100)")


log = logging.getLogger("hokoku.debug")


def run(args) -> int:
    from hokoku.cli import check_output
    from hokoku.extract.debug import COLOURS, draw_page
    from hokoku.extract.errors import InputError
    from hokoku.extract.inputcheck import open_pdf

    check_output(args.output, ["png"])
    with open_pdf(args.pdf) as pdf:
        n = len(pdf.pages)
    if not 1 <= args.page <= n:
        raise InputError(args.pdf, f"--page {args.page}: the PDF has pages 1–{n}")
    out = draw_page(args.pdf, args.page, args.output, resolution=args.resolution)
    legend = ", ".join(f"{k}={'#%02x%02x%02x' % v}" for k, v in COLOURS.items())
    log.info("hokoku debug: wrote %s (%s)", out, legend)
    return 0
