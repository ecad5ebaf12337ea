"""hokoku themes: classify every verification comment by theme, with evidence."""
from __future__ import annotations

import json
import sys
from pathlib import Path

NAME = "themes"
HELP = "classify verification comments (Check items and article opinions) by theme; JSON or CSV"


def add_arguments(p) -> None:
    p.add_argument("reports", nargs="+", metavar="REPORT.json", help="report.json files from hokoku ingest")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.json or OUT.csv")
    p.add_argument("--format", choices=["json", "csv"], help="override the format implied by OUT's suffix")
    p.add_argument("--taxonomy", metavar="FILE", help="theme taxonomy TOML (default: the packaged nlp/themes.toml)")
    p.add_argument("--baseline", action="store_true", help="plain keyword matching only (for comparison)")
    p.add_argument("--kwic", metavar="THEME", help="also print a KWIC concordance of THEME's evidence to stdout")
    p.add_argument("--matrix", metavar="FILE", help="also write a document × theme 0/1 matrix (.csv or .xlsx)")
    p.add_argument("--db", metavar="DB", help="also store the themes in this DuckDB corpus (reports added by ingest --db)")


def load_reports(paths: list[str]) -> list[tuple[str, dict]]:
    from hokoku.extract.errors import InputError

    out = []
    for p in paths:
        try:
            out.append((Path(p).name, json.loads(Path(p).read_text(encoding="utf-8"))))
        except FileNotFoundError:
            raise InputError(p, "file not found") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise InputError(p, f"not a report.json ({e})") from None
    return out


def run(args) -> int:
    from tqdm import tqdm

    from hokoku.extract.errors import HokokuError
    from hokoku.nlp import classify_reports, load_taxonomy
    from hokoku.outputs.themes_io import kwic_lines, write_matrix, write_records

    tax = load_taxonomy(args.taxonomy)
    ids = [t.id for t in tax.themes]
    if args.kwic and args.kwic not in ids:
        raise HokokuError(f"--kwic {args.kwic}: no such theme (themes: {', '.join(ids)})")
    reports = load_reports(args.reports)
    bar = tqdm(desc="themes", unit="comment", file=sys.stderr, disable=not sys.stderr.isatty())

    def progress(done, total):
        bar.total = total
        bar.n = done
        bar.refresh()

    records = classify_reports(reports, tax, baseline=args.baseline, progress=progress)
    bar.close()
    out = write_records(records, args.output, tax.labels(), args.format)
    if args.matrix:
        write_matrix(records, args.matrix, ids)
    if args.kwic:
        print("\n".join(kwic_lines(records, args.kwic)))
    if args.db:
        from hokoku.outputs.corpus import add_themes

        shas = {name: (rep.get("source") or {}).get("sha256") for name, rep in reports}
        n = add_themes(args.db, records, {k: v for k, v in shas.items() if v})
        print(f"hokoku themes: {n} theme assignments stored in {args.db}", file=sys.stderr)
    counts = {t: sum(t in r["themes"] for r in records) for t in ids}
    top = ", ".join(f"{tax.labels()[t]} {n}" for t, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n)
    print(f"hokoku themes: {len(records)} comments → {out} ({top})", file=sys.stderr)
    return 0
