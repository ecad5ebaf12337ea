"""hokoku draft: Word draft of next year's report from a parsed report, and the 所管課照会 round trip."""
from __future__ import annotations

import logging

from pathlib import Path

log = logging.getLogger("hokoku")
NAME = "draft"
HELP = "write the Word draft (.docx) of next year's report from a report.json"


def add_arguments(p) -> None:
    p.add_argument("report", metavar="REPORT.json", help="report.json from hokoku ingest")
    p.add_argument("-o", "--output", required=True, metavar="DRAFT.docx")
    p.add_argument("--template", metavar="TEMPLATE.docx", help="Word template with docxtpl tags (copy of the default, restyled in Word)")
    p.add_argument("--with-themes", metavar="THEMES.json", help="annotate last year's Check items with their themes (hokoku themes output)")
    p.add_argument("--pdf", action="store_true", help="also write a PDF (LibreOffice) with the table of contents filled")
    p.add_argument("--questionnaire", metavar="Q.xlsx", help="also write the 所管課照会 workbook: every place to fill, one sheet per project")
    p.add_argument("--fill", metavar="Q.xlsx", help="merge a filled 所管課照会 workbook into the draft (the existing DRAFT.docx, or a new one)")


def _suffix(path: str, suffix: str, what: str) -> None:
    from hokoku.extract.errors import InputError

    if Path(path).suffix.lower() != suffix:
        raise InputError(path, f"{what} must be a {suffix} file")


def run(args) -> int:
    from docx import Document

    from hokoku.extract.errors import InputError
    from hokoku.extract.model import Report, ThemeRecord
    from hokoku.outputs.draft import marks as M
    from hokoku.outputs.draft import names_of, render, save

    _suffix(args.output, ".docx", "the draft")
    for opt in (args.questionnaire, args.fill):
        if opt:
            _suffix(opt, ".xlsx", "the questionnaire")
    report = Report.load(args.report)
    if not report.report.fiscal_year:
        raise InputError(args.report, "the report's fiscal year is unknown, so the next year cannot be drafted")
    themes = labels = None
    if args.with_themes:
        from hokoku.outputs.draft.themes import theme_labels

        themes, labels = ThemeRecord.load_all(args.with_themes), theme_labels()
    out = Path(args.output)
    if args.fill and out.is_file():
        try:
            doc = Document(str(out))
        except Exception as e:  # python-docx raises several types for a damaged file
            raise InputError(str(out), f"not a Word .docx file ({type(e).__name__})") from None
    else:
        doc = render(report, args.template, themes, labels)
    names = names_of(report)
    fy = report.report.fiscal_year + 1
    if args.fill:
        from hokoku.outputs.draft.questionnaire import fill, read_answers

        answers = read_answers(args.fill, report)
        n = fill(M.scan(doc, names), answers)
        save(doc, out)
        head = f"hokoku draft: {n} answers from {args.fill} merged → {out}; still open"
    else:
        save(doc, out)
        head = f"hokoku draft: FY{fy} draft → {out}; places to fill"
    places = M.scan(Document(str(out)), names)
    log.info(f"{head}: {M.summary_line(places)}")
    log.info(M.marks_table(M.kind_counts(places)))
    if args.questionnaire:
        from hokoku.outputs.draft.questionnaire import write_questionnaire

        M.add_references(places, report)
        n = write_questionnaire(places, report, args.questionnaire)
        log.info(f"hokoku draft: 所管課照会 workbook with {n} places → {args.questionnaire}")
    if args.pdf:
        from hokoku.outputs.soffice import to_pdf

        pdf = to_pdf(out, out.with_suffix(".pdf"))
        log.info(f"hokoku draft: PDF (table of contents updated) → {pdf}")
    return 0
