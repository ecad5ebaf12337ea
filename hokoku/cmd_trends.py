"""hokoku trends: theme trends across reports — tables, charts and an HTML view."""
from __future__ import annotations

import json
import sys
from pathlib import Path

NAME = "trends"
HELP = "theme counts by year, article and project across reports, as tables (CSV/Parquet), charts (PNG) and index.html"


def add_arguments(p) -> None:
    p.add_argument("reports", nargs="+", metavar="REPORT.json", help="report.json files (one per year)")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    p.add_argument("--themes", metavar="THEMES.json", help="theme records from hokoku themes (else the comments are classified now)")
    p.add_argument("--taxonomy", metavar="FILE", help="theme taxonomy TOML")
    p.add_argument("--project-map", metavar="CSV", help="name,canonical mapping to correct project matching across years "
                                                       "(default OUTDIR/project_map.csv, written back with new names)")


def run(args) -> int:
    from hokoku.cmd_themes import load_reports
    from hokoku.nlp import classify_reports, load_taxonomy
    from hokoku.outputs import charts, html_view
    from hokoku.outputs.atomic import write_with
    from hokoku.outputs.project_match import MAP_FILE, ProjectMatcher
    from hokoku.outputs.trends import compute

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    tax = load_taxonomy(args.taxonomy)
    labels = tax.labels()
    loaded = load_reports(args.reports)
    reports = [r for _, r in loaded]
    if args.themes:
        records = json.loads(Path(args.themes).read_text(encoding="utf-8"))
    else:
        print(f"hokoku trends: classifying the comments of {len(reports)} reports …", file=sys.stderr)
        records = classify_reports(loaded, tax)
    matcher = ProjectMatcher.load(args.project_map or out / MAP_FILE)
    trends = compute(reports, records, labels, matcher)
    for name, df in trends.tables.items():
        write_with(out / f"{name}.csv", lambda tmp, df=df: df.to_csv(tmp, index=False, encoding="utf-8-sig"))
        write_with(out / f"{name}.parquet", lambda tmp, df=df: df.astype({c: "string" for c in df.columns if df[c].dtype == object}).to_parquet(tmp, index=False))
    pngs = {"theme_year": charts.theme_year_chart(trends.tables["theme_year"], out / "theme_year.png")}
    co = trends.tables["cooccurrence"].set_index("theme")
    co.index = [labels[t] for t in co.index]
    co.columns = [labels[t] for t in co.columns]
    pngs["cooccurrence"] = charts.heatmap(co, charts.TITLE_CO, out / "cooccurrence.png")
    if "theme_year_residuals" in trends.tables:
        res = trends.tables["theme_year_residuals"].pivot_table(index="label", columns="fiscal_year", values="adjusted_residual")
        pngs["residuals"] = charts.heatmap(res, charts.TITLE_RESID, out / "residuals.png", center_zero=True)
    html_view.write(out / "index.html", html_view.render(records, reports, labels, pngs, trends.chi2, matcher))
    rec = trends.tables["recurring"]
    print(f"hokoku trends: {len(records)} comments, {len(reports)} reports → {out}/ (index.html, "
          f"{len(trends.tables)} tables, {len(pngs)} charts; {len(rec)} recurring concerns)", file=sys.stderr)
    return 0
