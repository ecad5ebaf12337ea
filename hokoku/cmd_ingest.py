"""hokoku ingest: parse report PDFs into report.json, CSV, Parquet and Excel."""
from __future__ import annotations

import hashlib
import logging
import os
import sys
import traceback
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from hokoku.extract.errors import HokokuError

NAME = "ingest"
HELP = ("parse report PDFs (or every PDF in a folder) into OUTDIR/<stem>/ (report.json, CSV, Parquet, report.xlsx); "
        "two inputs with the same stem go to <stem>-<hash>/")
HASH_LEN = 6

log = logging.getLogger("hokoku.ingest")


def add_arguments(p) -> None:
    p.add_argument("pdfs", nargs="+", metavar="REPORT.pdf", help="report PDFs to parse, or folders (every *.pdf in them)")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder; each report goes to OUTDIR/<stem>/")
    p.add_argument("-j", "--jobs", type=int, default=None, help="parallel workers (default: cores): one per file, or one file's pages in parallel")
    p.add_argument("--ocr", choices=("auto", "force", "off"), default="auto",
                   help="read pages that have no text layer (scans) by OCR: auto (default), force (every page), off")
    p.add_argument("--db", metavar="DB", help="also add each parsed report to this DuckDB corpus (e.g. hokoku.duckdb)")


@dataclass(frozen=True)
class Job:
    pdf: str
    outdir: str
    ocr: str = "auto"


@dataclass(frozen=True)
class Result:
    pdf: str
    error: str | None
    files: tuple[str, ...]
    summary: str = ""  # what was read: listed projects found, Check / Action items, KPI values, warnings
    warnings: tuple[str, ...] = ()  # the self-check warnings, one line each (`-v` lists them)
    ocr_pages: int = 0


def expand_inputs(args: list[str]) -> list[str]:
    """Files as given; a folder stands for the PDFs directly inside it (sorted). Duplicates go."""
    out: list[str] = []
    for a in args:
        p = Path(a)
        if p.is_dir():
            pdfs = sorted(str(x) for x in p.iterdir() if x.suffix.lower() == ".pdf" and x.is_file())
            if not pdfs:
                raise HokokuError(f"{a}: folder has no PDF files")
            out += pdfs
        else:
            out.append(a)
    seen: set[Path] = set()
    unique = []
    for pdf in out:
        key = Path(pdf).resolve()
        if key not in seen:
            seen.add(key)
            unique.append(pdf)
    return unique


def output_folders(pdfs: list[str], outdir: str) -> list[Job]:
    """OUTDIR/<stem> per input; inputs sharing a stem get <stem>-<short hash of their full path>,
    so no report silently replaces another."""
    by_stem: dict[str, list[str]] = defaultdict(list)
    for pdf in pdfs:
        by_stem[Path(pdf).stem].append(pdf)
    jobs = []
    for pdf in pdfs:
        stem = Path(pdf).stem
        name = stem
        if len(by_stem[stem]) > 1:
            name = f"{stem}-{hashlib.sha256(str(Path(pdf).resolve()).encode()).hexdigest()[:HASH_LEN]}"
        jobs.append(Job(pdf, str(Path(outdir) / name)))
    for stem, group in by_stem.items():
        if len(group) > 1:
            log.warning("hokoku ingest: %d inputs are named %s.pdf (%s); each goes to %s-<hash>/",
                        len(group), stem, ", ".join(group), stem)
    return jobs


def _one(job: Job, debug: bool, page_jobs: int = 1, bar: bool = False) -> Result:
    """Parse and write one report in a worker (its pages in `page_jobs` processes), with a
    progress bar over its pages when `bar` (one file read in the foreground: a scan takes seconds a page)."""
    from tqdm import tqdm

    from hokoku.extract import ExtractSettings, read_report
    from hokoku.extract.settings import OcrSettings
    from hokoku.outputs.report_io import write_report

    pages = tqdm(unit="page", desc=Path(job.pdf).name, leave=False, disable=not (bar and sys.stderr.isatty()))

    def progress(done: int, total: int) -> None:
        pages.total = total
        pages.update(done - pages.n)

    try:
        report, tally = read_report(job.pdf, ExtractSettings(ocr=OcrSettings(mode=job.ocr)), progress, jobs=page_jobs)
        files = write_report(report, job.outdir)
        return Result(job.pdf, None, tuple(str(f) for f in files), tally.line(), warning_lines(report),
                      len(report.source.ocr_pages))
    except HokokuError as e:
        return Result(job.pdf, str(e), ())
    except Exception as e:  # never lose the other files to one bad input
        detail = traceback.format_exc() if debug else f"{type(e).__name__}: {e}"
        return Result(job.pdf, f"{job.pdf}: unexpected error while parsing ({detail.strip()})", ())
    finally:
        pages.close()


def warning_lines(report) -> tuple[str, ...]:
    """The report's self-check warnings as lines: `p.PAGE [code] message`, report-level first."""
    ws = [*report.warnings, *(w for p in report.projects for w in p.warnings)]
    return tuple(f"{'p.' + str(w.page) if w.page else '-'} [{w.code}] {w.message}" for w in ws)


def run(args) -> int:
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    from hokoku.outputs.atomic import STDOUT, clean_stale

    if args.output == STDOUT:
        raise HokokuError("-o -: ingest writes a folder of files per report, it cannot write to standard output")
    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise HokokuError(f"-o {args.output}: exists and is not a folder")
    pdfs = expand_inputs([str(p) for p in args.pdfs])
    jobs = [Job(j.pdf, j.outdir, getattr(args, "ocr", "auto")) for j in output_folders(pdfs, args.output)]
    clean_stale(args.output)
    debug = getattr(args, "debug", False)
    workers = max(1, min(args.jobs or os.cpu_count() or 1, len(jobs)))
    results: list[Result] = []
    bar = tqdm(total=len(jobs), unit="file", desc="ingest", disable=not sys.stderr.isatty())  # logs get the per-file lines

    def finished(r: Result) -> None:
        """One line per file as soon as it is done (readable in logs without a TTY)."""
        results.append(r)
        if r.error:
            log.error("hokoku ingest: error: %s", r.error)
        else:
            read = f" ({r.ocr_pages} page(s) read by OCR)" if r.ocr_pages else ""
            log.info("hokoku ingest: %s → %s/: %s%s", r.pdf, Path(r.files[-1]).parent, r.summary, read)
            for line in r.warnings:
                log.debug("  %s", line)
        bar.update(1)

    with logging_redirect_tqdm():
        if workers == 1:
            # one file (or one worker): the cores lay out its pages in parallel instead
            page_jobs = max(1, args.jobs or os.cpu_count() or 1) if len(jobs) == 1 else 1
            for job in jobs:
                finished(_one(job, debug, page_jobs, bar=True))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(_one, job, debug) for job in jobs]
                for fut in as_completed(futures):
                    finished(fut.result())
    bar.close()
    failed = [r for r in results if r.error]
    ok = sorted((r for r in results if not r.error), key=lambda r: r.pdf)
    try:
        if args.db:
            from hokoku.outputs.corpus import add_report_files

            for r, state in zip(ok, add_report_files(args.db, [r.files[-1] for r in ok])):
                log.info("hokoku ingest: %s: %s in %s", r.pdf, state, args.db)
    finally:  # the summary line is printed even when the database step fails
        ocr = sum(r.ocr_pages for r in ok)
        log.log(logging.WARNING if failed else logging.INFO, "hokoku ingest: %d parsed, %d failed%s", len(ok), len(failed),
                f", {ocr} page(s) read by OCR" if ocr else "")
    return 0 if not failed else 1
