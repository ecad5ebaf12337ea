"""python -m bench: extraction speed vs pdfplumber, peak memory, parallel speed-ups.

By default on the acceptance rendering (../shared/acceptance/fy2021_word_landscape.pdf, a layout
we did not draw) when it is there, else on the portrait fixture. Measures one file's pages laid
out in parallel (`ingest --jobs 2` on one PDF) and several files in parallel.

Writes a Markdown table to stdout and bench/results.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACCEPTANCE = ROOT.parent / "shared" / "acceptance" / "fy2021_word_landscape.pdf"
DEFAULT_PDF = ACCEPTANCE if ACCEPTANCE.exists() else ROOT / "fixtures" / "r3_portrait.pdf"


def _child(code: str) -> tuple[float, float]:
    """Run code in a fresh interpreter; returns (seconds, peak RSS MiB)."""
    script = f"import time,resource\nt=time.perf_counter()\n{code}\nprint(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    secs, rss = out.stdout.split()[-2:]
    return float(secs), float(rss)


def _medians(n: int, *codes: str) -> list[tuple[float, float]]:
    """Each code run n times in turn (so a busy spell on the machine hits them alike): per
    code the median time and the largest peak memory."""
    runs = [[_child(code) for code in codes] for _ in range(max(1, n))]
    return [(statistics.median(r[k][0] for r in runs), max(r[k][1] for r in runs)) for k in range(len(codes))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pdf", default=str(DEFAULT_PDF))
    ap.add_argument("--copies", type=int, default=8, help="files for the parallel run")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each single-file timing (the median is kept)")
    args = ap.parse_args(argv)
    pdf = Path(args.pdf)
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
    (base_s, base_mb), (ours_s, ours_mb) = _medians(
        args.repeat,
        f"import pdfplumber\nwith pdfplumber.open({str(pdf)!r}) as p:\n    [pg.extract_text() for pg in p.pages]",
        f"from hokoku.extract import parse_report\nparse_report({str(pdf)!r})")
    rows = [
        ("pdfplumber extract_text()", f"{pages / base_s:.1f}", f"{base_s:.2f}", f"{base_mb:.0f}"),
        ("hokoku parse_report()", f"{pages / ours_s:.1f}", f"{ours_s:.2f}", f"{ours_mb:.0f}"),
    ]
    one = {}
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in (1, 2):  # one file: its pages in parallel
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "hokoku", "ingest", str(pdf), "-o", str(Path(tmp) / f"one{jobs}"),
                            "--jobs", str(jobs)], check=True, capture_output=True, cwd=ROOT)
            one[jobs] = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(args.copies):
            dst = Path(tmp) / f"copy{i}.pdf"
            shutil.copyfile(pdf, dst)
            files.append(str(dst))
        timing = {}
        for jobs in (1, 2):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "hokoku", "ingest", *files, "-o", str(Path(tmp) / f"out{jobs}"),
                            "--jobs", str(jobs)], check=True, capture_output=True, cwd=ROOT)
            timing[jobs] = time.perf_counter() - t
    lines = [
        f"# hokoku benchmark ({pdf.name}, {pages} pages)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        "| run | pages/s | seconds | peak RSS MiB |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        f"hokoku full parse / pdfplumber bare text extraction: **{ours_s / base_s:.2f}×** the time (target ≤ 1.2×)",
        f"peak memory of one parse: **{ours_mb:.0f} MiB** (target ≤ 400 MB)",
        "",
        f"`hokoku ingest` of {args.copies} copies: --jobs 1 {timing[1]:.1f} s, --jobs 2 {timing[2]:.1f} s, "
        f"speed-up **{timing[1] / timing[2]:.2f}×**",
        f"`hokoku ingest` of the one file (pages in parallel): --jobs 1 {one[1]:.1f} s, --jobs 2 {one[2]:.1f} s, "
        f"speed-up **{one[1] / one[2]:.2f}×**",
        f"load average when done: {os.getloadavg()[0]:.1f} (results from a busy machine understate both speed-ups)",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
