"""hokoku draft: Word draft of next year's report from a parsed report."""
from __future__ import annotations

import json
import sys
from pathlib import Path

NAME = "draft"
HELP = "write the Word draft (.docx) of next year's report from a report.json"


def add_arguments(p) -> None:
    p.add_argument("report", metavar="REPORT.json", help="report.json from hokoku ingest")
    p.add_argument("-o", "--output", required=True, metavar="DRAFT.docx")
    p.add_argument("--template", metavar="TEMPLATE.docx", help="Word template with the same style names as the default")
    p.add_argument("--with-themes", metavar="THEMES.json", help="annotate last year's Check items with their themes (hokoku themes output)")
    p.add_argument("--pdf", action="store_true", help="also convert the draft to PDF with LibreOffice")


def run(args) -> int:
    from hokoku.extract.errors import InputError
    from hokoku.outputs.draft import build_draft, marks_table

    try:
        report = json.loads(Path(args.report).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(args.report, "file not found") from None
    except json.JSONDecodeError as e:
        raise InputError(args.report, f"not a report.json ({e})") from None
    if not (report.get("report") or {}).get("fiscal_year"):
        raise InputError(args.report, "the report's fiscal year is unknown, so the next year cannot be drafted")
    themes = labels = None
    if args.with_themes:
        from hokoku.outputs.draft.themes import load_theme_records, theme_labels

        themes, labels = load_theme_records(args.with_themes), theme_labels()
    summary = build_draft(report, args.output, args.template, themes, labels)
    print(f"hokoku draft: FY{summary.fiscal_year} draft → {args.output}; places to fill (【要記入】/【要修正】):",
          file=sys.stderr)
    print(marks_table(summary), file=sys.stderr)
    if args.pdf:
        from hokoku.outputs.soffice import convert

        pdf = convert(args.output, Path(args.output).parent)
        print(f"hokoku draft: PDF → {pdf}", file=sys.stderr)
    return 0
