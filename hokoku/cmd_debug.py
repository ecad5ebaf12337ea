"""hokoku debug: draw the detected lines, headings and tables of one page as PNG, or (--trace)
list why pieces cut apart by page and panel breaks were joined, split or dropped."""
from __future__ import annotations

import logging

NAME = "debug"
HELP = ("draw what the extractor detected on a page (lines, headings, tables, margins) as a PNG; "
        "--trace: list the joins across page and panel breaks, and why")


def add_arguments(p) -> None:
    p.add_argument("pdf", help="report PDF")
    p.add_argument("--page", type=int, help="PDF page index, from 1 (with --trace: only that page's decisions)")
    p.add_argument("-o", "--output", help="PNG file to write (not with --trace)")
    p.add_argument("--trace", action="store_true",
                   help="parse the whole PDF and print each join, split or drop across a break with its rule and reason")
    p.add_argument("--resolution", type=int, default=100, help="dpi (default 100)")


log = logging.getLogger("hokoku.debug")


def run(args) -> int:
    from hokoku.cli import check_output
    from hokoku.extract.debug import COLOURS, draw_page
    from hokoku.extract.errors import InputError
    from hokoku.extract.inputcheck import open_pdf

    with open_pdf(args.pdf) as pdf:
        n = len(pdf.pages)
    if args.page is not None and not 1 <= args.page <= n:
        raise InputError(args.pdf, f"--page {args.page}: the PDF has pages 1–{n}")
    if args.trace:
        return _trace(args)
    if args.page is None or not args.output:
        raise InputError(args.pdf, "debug draws one page: give --page N and -o FILE.png (or --trace)")
    check_output(args.output, ["png"])
    out = draw_page(args.pdf, args.page, args.output, resolution=args.resolution)
    legend = ", ".join(f"{k}={'#%02x%02x%02x' % v}" for k, v in COLOURS.items())
    log.info("hokoku debug: wrote %s (%s)", out, legend)
    return 0


def _trace(args) -> int:
    """Parse the PDF with the stitching log on and print its decisions (one per line) on stdout."""
    from hokoku.extract import parse_report
    from hokoku.extract.trace import log as stitch_log

    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = Collect(level=logging.DEBUG)
    stitch_log.addHandler(handler)
    stitch_log.setLevel(logging.DEBUG)
    stitch_log.propagate = False  # printed here, once, not again by the console handler
    try:
        parse_report(args.pdf)
    finally:
        stitch_log.removeHandler(handler)
        stitch_log.propagate = True
    prefix = f"p{args.page} " if args.page is not None else ""
    shown = [ln for ln in lines if ln.startswith(prefix)]
    print("\n".join(shown))
    log.info("hokoku debug --trace: %d decision(s)%s", len(shown), f" on page {args.page}" if prefix else "")
    return 0
