"""hokoku trends: theme trends across reports — tables, charts and the analyst's HTML page."""
from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import quote

NAME = "trends"
HELP = ("theme counts by year, article and project across reports, as tables (CSV/Parquet), charts (PNG/SVG) "
        "and an interactive, offline index.html")

log = logging.getLogger("hokoku")


def add_arguments(p) -> None:
    p.add_argument("reports", nargs="+", metavar="REPORT.json", help="report.json files (one per year)")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    p.add_argument("--themes", metavar="THEMES.json", help="theme records from hokoku themes (else the comments are classified now)")
    p.add_argument("--taxonomy", metavar="FILE", help="theme taxonomy TOML")
    p.add_argument("--pdf-dir", metavar="DIR", help="folder holding the reports' PDFs, for the page links "
                                                    "(default: beside each report.json or its parent folder)")
    p.add_argument("--project-map", metavar="CSV", help="name,canonical mapping to correct project matching across years "
                                                       "(default OUTDIR/project_map.csv, written back with new names)")


def find_pdf(file: str, report_json: Path, pdf_dir: str | None) -> Path | None:
    """The report's PDF: in --pdf-dir, beside report.json, or one folder up (ingest's OUT/x/ layout)."""
    places = ([Path(pdf_dir)] if pdf_dir else []) + [report_json.parent, report_json.parent.parent]
    return next((d / file for d in places if (d / file).is_file()), None)


def pdf_href(file: str, report_json: Path, pdf_dir: str | None, out: Path) -> str:
    """URL-quoted path of the PDF relative to OUTDIR (where index.html is)."""
    pdf = find_pdf(file, report_json, pdf_dir)
    if pdf is None:
        from hokoku.outputs.trends_labels import PDF_NOT_FOUND

        log.warning("hokoku trends: %s", PDF_NOT_FOUND.format(file=file))
        return quote(file)
    return quote(Path(os.path.relpath(pdf.resolve(), out.resolve())).as_posix())


def _classify(paths: list[str], reports, tax):
    """Theme records for the reports, classified now (when no --themes file is given)."""
    from hokoku.extract.model import ThemeRecord
    from hokoku.nlp import classify_reports

    log.info("hokoku trends: classifying the comments of %d reports …", len(reports))
    found = classify_reports([(Path(p).name, r.to_dict()) for p, r in zip(paths, reports)], tax)
    return [r if isinstance(r, ThemeRecord) else ThemeRecord.from_dict(r) for r in found]


def run(args) -> int:
    from hokoku.extract.errors import InputError
    from hokoku.extract.model import Report, ThemeRecord
    from hokoku.nlp import load_taxonomy
    from hokoku.outputs import charts, html_view
    from hokoku.outputs.atomic import write_with
    from hokoku.outputs.xlsx import write_csv
    from hokoku.outputs.project_match import MAP_FILE, ProjectMatcher
    from hokoku.outputs import trends_labels as TL
    from hokoku.outputs.trends import compute

    out = Path(args.output)
    tax = load_taxonomy(args.taxonomy)
    labels = tax.labels()
    reports = [Report.load(p) for p in args.reports]
    if args.themes:
        records = ThemeRecord.load_all(args.themes)
        bad = next((r for r in records if not isinstance(r.fiscal_year, int) or isinstance(r.fiscal_year, bool)), None)
        if bad is not None:
            raise InputError(args.themes, f"record {bad.kind} {bad.no!r} has fiscal_year {bad.fiscal_year!r} (expected a year number)")
    else:
        records = _classify(args.reports, reports, tax)
    out.mkdir(parents=True, exist_ok=True)
    matcher = ProjectMatcher.load(args.project_map or out / MAP_FILE)
    trends = compute(reports, records, labels, matcher)
    for name, df in trends.tables.items():
        write_with(out / f"{name}.csv", lambda tmp, df=df: write_csv(df, tmp))
        write_with(out / f"{name}.parquet", lambda tmp, df=df: df.astype(
            {c: "string" for c in df.columns if df[c].dtype == object}).to_parquet(tmp, index=False))

    written = [charts.theme_year_chart(trends.tables["theme_year"], out / "theme_year")]
    co = trends.tables["cooccurrence"].set_index("theme")
    co.index = [labels[t] for t in co.index]
    co.columns = [labels[t] for t in co.columns]
    written.append(charts.count_heatmap(co, TL.CHART_COOCCURRENCE, out / "cooccurrence"))
    if "theme_year_residuals" in trends.tables:
        res = trends.tables["theme_year_residuals"].pivot_table(index="label", columns="fiscal_year",
                                                                values="adjusted_residual", sort=False)
        res.columns = [html_view.year_label(int(y)) for y in res.columns]
        written.append(charts.residual_heatmap(res, out / "residuals"))

    refs = {}
    for path, rep in zip(args.reports, reports):
        fy = rep.report.fiscal_year
        label = f"{html_view.year_label(fy)} {rep.report.title}（{rep.source.file}）"
        refs[fy] = html_view.ReportRef(fy, label, rep.source.file, pdf_href(rep.source.file, Path(path), args.pdf_dir, out))
    page = html_view.render(reports, records, labels, trends, refs, matcher)
    html_view.write(out / "index.html", page)
    log.info("hokoku trends: %d comments, %d reports → %s/ (index.html, %d tables, %d charts as PNG and SVG; "
             "%d recurring concerns)", len(records), len(reports), out, len(trends.tables), len(written),
             len(trends.tables["recurring"]))
    return 0
