"""hokoku themes: classify every verification comment by theme, with evidence and its clause."""
from __future__ import annotations

import logging

import sys
from pathlib import Path

log = logging.getLogger("hokoku")
NAME = "themes"
HELP = "classify verification comments (Check items and article opinions) by theme; JSON or CSV"


def add_arguments(p) -> None:
    p.add_argument("reports", nargs="+", metavar="REPORT.json", help="report.json files from hokoku ingest")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.json or OUT.csv")
    p.add_argument("--format", choices=["json", "csv"], help="override the format implied by OUT's suffix")
    p.add_argument("--taxonomy", metavar="FILE", help="theme taxonomy TOML (default: the packaged nlp/themes.toml)")
    p.add_argument("--baseline", action="store_true", help="plain keyword matching only (for comparison)")
    p.add_argument("--overrides", metavar="CSV", help="corrections kept by a person: コメントID (id), テーマ (theme), "
                                                     "修正 (op: + or −); applied on every run and marked in the outputs")
    p.add_argument("--kwic", metavar="THEME", help="also print a KWIC concordance of a theme's evidence to stdout, "
                                                 "then its words that did not count, marked ×, with the reason "
                                                 "(theme id or Japanese label: succession = 事業承継)")
    p.add_argument("--unmatched", action="store_true", help="also list words of comments with no theme or only weak "
                   "signals, ranked by closeness to each theme, with the clause they came from and the taxonomy terms "
                   "inside them (suggestions for the taxonomy), to stdout")
    p.add_argument("--unmatched-csv", metavar="FILE", help="the same suggestions written to a CSV file")
    p.add_argument("--khcoder", metavar="FILE", help="also write a KH Coder input (.csv or .xlsx): text plus 年度, "
                                                   "事業名, 条 as external variables and one column per theme")
    p.add_argument("--matrix", metavar="FILE", help="also write a document × theme 0/1 matrix (.csv or .xlsx)")
    p.add_argument("--db", metavar="DB", help="also store the themes in this DuckDB corpus (reports added by ingest --db)")


def load_reports(paths: list[str]):
    """(source name, Report) per path; Report.load gives the one-line error for a bad file.
    The name is the file name, or the path as given when file names repeat (ingest writes
    every report as DIR/report.json), so each record's source still names one report."""
    from hokoku.extract.model import Report

    names = [Path(p).name for p in paths]
    return [(n if names.count(n) == 1 else str(p), Report.load(p)) for n, p in zip(names, paths)]


def run(args) -> int:
    from tqdm import tqdm

    from hokoku.nlp import classify_reports, load_taxonomy
    from hokoku.nlp.overrides import apply, read_corrections
    from hokoku.outputs import themes_io

    from hokoku.cli import check_output

    args.format = args.format or check_output(args.output, ("json", "csv"), "-o")
    if args.matrix:
        check_output(args.matrix, ("csv", "xlsx"), "--matrix")
    tax = load_taxonomy(args.taxonomy)
    ids, labels = [t.id for t in tax.themes], tax.labels()
    kwic = tax.resolve(args.kwic) if args.kwic else None
    reports = load_reports(args.reports)
    corrections = read_corrections(args.overrides, labels) if args.overrides else []
    bar = tqdm(desc="themes", unit="comment", file=sys.stderr, disable=not sys.stderr.isatty())

    def progress(done, total):
        bar.total = total
        bar.n = done
        bar.refresh()

    records = classify_reports(reports, tax, baseline=args.baseline, progress=progress)
    bar.close()
    for c in apply(records, corrections):
        log.warning(f"hokoku themes: {args.overrides}: row {c.row}: no comment {c.comment!r} in these reports (ignored)")
    out = themes_io.write_records(records, args.output, labels, args.format)
    if args.matrix:
        themes_io.write_matrix(records, args.matrix, ids)
    if args.khcoder:
        themes_io.write_khcoder(records, args.khcoder, ids, labels)
    if kwic:
        print("\n".join(themes_io.kwic_lines(records, kwic)))
    if args.unmatched or args.unmatched_csv:
        _unmatched(records, tax, args.unmatched, args.unmatched_csv)
    if args.db:
        from hokoku.outputs.corpus import add_themes

        shas = {name: rep.source.sha256 for name, rep in reports}
        n = add_themes(args.db, [r.to_dict() for r in records], {k: v for k, v in shas.items() if v})
        log.info(f"hokoku themes: {n} theme assignments stored in {args.db}")
    counts = {t: sum(t in r.themes for r in records) for t in ids}
    top = ", ".join(f"{labels[t]} {n}" for t, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n)
    fixed = sum(bool(r.overrides) for r in records)
    note = f"; {fixed} corrected by {args.overrides}" if args.overrides else ""
    log.info(f"hokoku themes: {len(records)} comments → {out} ({top}{note})")
    return 0


def _unmatched(records, tax, to_stdout: bool, csv_path: str | None) -> None:
    from hokoku.nlp.unmatched import suggest
    from hokoku.outputs import themes_io
    from hokoku.outputs.atomic import write_with
    from hokoku.outputs.xlsx import write_csv

    df = themes_io.suggestions_frame(suggest(records, tax), tax.labels())
    if to_stdout:
        print(df.to_string(index=False) if len(df) else themes_io.NOTHING_UNMATCHED)
    if csv_path:
        write_with(Path(csv_path), lambda tmp: write_csv(df, tmp))
        log.info(f"hokoku themes: {len(df)} suggestions → {csv_path}")
