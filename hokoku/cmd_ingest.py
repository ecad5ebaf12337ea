"""hokoku ingest: parse report PDFs into report.json, CSV, Parquet and Excel."""
from __future__ import annotations

import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

NAME = "ingest"
HELP = "parse report PDFs into OUTDIR/<stem>/ (report.json, CSV, Parquet, report.xlsx)"


def add_arguments(p) -> None:
    p.add_argument("pdfs", nargs="+", metavar="REPORT.pdf", help="report PDFs to parse")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder; each report goes to OUTDIR/<stem>/")
    p.add_argument("-j", "--jobs", type=int, default=None, help="parallel workers (default: cores, at most one per file)")
    p.add_argument("--db", metavar="DB", help="also add each parsed report to this DuckDB corpus (e.g. hokoku.duckdb)")


def _one(pdf: str, outdir: str, debug: bool) -> tuple[str, str | None, list[str]]:
    """Parse and write one report in a worker; returns (pdf, error line or None, files)."""
    from hokoku.extract import parse_report
    from hokoku.extract.errors import HokokuError
    from hokoku.outputs.report_io import write_report

    try:
        report = parse_report(pdf)
        files = write_report(report, Path(outdir) / Path(pdf).stem)
        return pdf, None, [str(f) for f in files]
    except HokokuError as e:
        return pdf, str(e), []
    except Exception as e:  # never lose the other files to one bad input
        detail = traceback.format_exc() if debug else f"{type(e).__name__}: {e}"
        return pdf, f"{pdf}: unexpected error while parsing ({detail.strip()})", []


def run(args) -> int:
    from tqdm import tqdm

    pdfs = [str(p) for p in args.pdfs]
    debug = getattr(args, "debug", False)
    jobs = max(1, min(args.jobs or os.cpu_count() or 1, len(pdfs)))
    results: list[tuple[str, str | None, list[str]]] = []
    bar = tqdm(total=len(pdfs), unit="file", desc="ingest", file=sys.stderr, disable=not sys.stderr.isatty())  # logs get the per-file lines

    def finished(result: tuple[str, str | None, list[str]]) -> None:
        """One stderr line per file as soon as it is done (readable in logs without a TTY)."""
        results.append(result)
        pdf, err, files = result
        bar.write(f"hokoku ingest: error: {err}" if err else f"hokoku ingest: {pdf} → {Path(files[-1]).parent}/",
                  file=sys.stderr)
        bar.update(1)

    if jobs == 1:
        for pdf in pdfs:
            finished(_one(pdf, args.output, debug))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_one, pdf, args.output, debug) for pdf in pdfs]
            for fut in as_completed(futures):
                finished(fut.result())
    bar.close()
    failed = [(pdf, err) for pdf, err, _ in results if err]
    ok = [(pdf, files) for pdf, err, files in results if not err]
    if args.db:
        from hokoku.outputs.corpus import add_report_files

        for (pdf, files), state in zip(sorted(ok), add_report_files(args.db, [files[-1] for _, files in sorted(ok)])):
            print(f"hokoku ingest: {pdf}: {state} in {args.db}", file=sys.stderr)
    print(f"hokoku ingest: {len(ok)} parsed, {len(failed)} failed", file=sys.stderr)
    return 0 if not failed else 1
