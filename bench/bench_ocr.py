"""python -m bench.bench_ocr: the OCR engines compared on scanned pages (issue 21).

For each page of a born-digital PDF, its scan (fixtures/scan.py, seeded) is read by each
engine; the text is compared with the page's own text layer:
- chars: bag-of-characters F1 (whitespace dropped, NFKC; reading order does not count, since
  the engines and the text layer order two-panel pages differently),
- digits: the text layer's digit runs (KPI figures, years, counts) found in the OCR text,
- CPU s/page of the engine alone on one thread (wall time on this shared machine is noise).
Replaces the table in bench/ocr.md (the notes around it stay).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pdfplumber

from fixtures.scan import Degradation, scan_pages
from hokoku.extract.ocr_clean import clean_line
from hokoku.extract.ocr_engine import read_image
from hokoku.extract.ocr_image import PageImage, deskew
from hokoku.extract.settings import OcrSettings

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"prose": 13, "KPI page": 14, "Check｜Action": 15, "その他 grid": 70}
DIGITS = re.compile(r"\d+(?:,\d{3})*")


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _f1(truth: str, read: str) -> float:
    t, r = Counter(truth), Counter(read)
    hit = sum((t & r).values())
    return 2 * hit / (sum(t.values()) + sum(r.values()) or 1)


def _digits(truth: str, read: str) -> tuple[int, int]:
    want = Counter(DIGITS.findall(truth))
    got = Counter(DIGITS.findall(read))
    return sum((want & got).values()), sum(want.values())


def _rapidocr(pixels: np.ndarray, clean: bool) -> str:
    lines = read_image(pixels, 1)
    if clean:
        return "".join(g.text for t in lines for g in clean_line(t.glyphs)[0])
    return "".join(g.text for t in lines for g in t.glyphs)


def _tesseract(pixels: np.ndarray, _: bool) -> str:
    from PIL import Image

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "p.png"
        Image.fromarray(pixels).save(f)
        out = subprocess.run(["tesseract", str(f), "-", "-l", "jpn", "--psm", "3"], capture_output=True,
                             text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True)
    return out.stdout


ENGINES = {"rapidocr 3.10 (PP-OCRv6 small), raw": (_rapidocr, False),
           "rapidocr 3.10 + hokoku clean-up": (_rapidocr, True),
           "tesseract 5.3 -l jpn psm 3": (_tesseract, False)}


def _cpu(f, *a) -> tuple[object, float]:
    t = time.process_time()
    c0 = os.times()
    r = f(*a)
    c1 = os.times()
    return r, (time.process_time() - t) + (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)


def run(pdf: Path, dpi: int, seed: int) -> str:
    numbers = list(PAGES.values())
    truths = [_norm(pdfplumber.open(pdf).pages[n - 1].extract_text() or "") for n in numbers]
    s = OcrSettings()
    images = [deskew(PageImage(np.asarray(im), dpi), s)[0].pixels for im in scan_pages(pdf, numbers, Degradation(dpi=dpi), seed)]
    read_image(images[0][:64], 1)  # the model loads outside the timing
    rows = [f"| engine | {' | '.join(PAGES)} | CPU s/page |", "|---|" + "---|" * (len(PAGES) + 1)]
    for name, (engine, clean) in ENGINES.items():
        cells, cpu = [], 0.0
        for truth, pixels in zip(truths, images):
            text, t = _cpu(engine, pixels, clean)
            cpu += t
            hit, want = _digits(truth, _norm(text))
            cells.append(f"{_f1(truth, _norm(text)):.3f} · {hit}/{want}")
        rows.append(f"| {name} | {' | '.join(cells)} | {cpu / len(images):.1f} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdf", default=str(ROOT / "fixtures" / "r3_landscape.pdf"))
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--seed", type=int, default=21)
    a = ap.parse_args()
    table = run(Path(a.pdf), a.dpi, a.seed)
    print(table)
    out = ROOT / "bench" / "ocr.md"
    lines = out.read_text(encoding="utf-8").splitlines()
    start = next(k for k, ln in enumerate(lines) if ln.startswith("| engine"))
    stop = next(k for k in range(start, len(lines) + 1) if k == len(lines) or not lines[k].startswith("|"))
    out.write_text("\n".join([*lines[:start], table, *lines[stop:]]) + "\n", encoding="utf-8")

if __name__ == "__main__":
    main()
