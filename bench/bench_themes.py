"""python -m bench.bench_themes: theme classification speed for a report set, model load apart.

The set is every FY2021 comment (tests/data/r3_expected.json) and the other-year evaluation
comments, repeated to a few thousand. Reports model loads (Sudachi, GiNZA) separately, then
comments per second, and how many comments needed the GiNZA parse (negation, lone weak term).
"""
from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 300  # comments per second on 2 cores (issue 11)
REPEAT = 10


def corpus() -> list[str]:
    from hokoku.extract.model import Report, iter_comments

    d = json.loads((ROOT / "tests/data/r3_expected.json").read_text(encoding="utf-8"))
    d["source"] = {"file": "r3.pdf", "sha256": "", "pages": 0}
    texts = [c.text for c in iter_comments(Report.from_dict(d))]
    with (ROOT / "tests/data/themes_other_year.csv").open(encoding="utf-8", newline="") as f:
        texts += [r["text"] for r in csv.DictReader(f)]
    return texts * REPEAT


def main() -> int:
    from hokoku.nlp import lexer, load_taxonomy, pipeline
    from hokoku.nlp.classifier import Classifier

    t = time.perf_counter()
    lexer.tokenize("読み込み")
    sudachi_s = time.perf_counter() - t
    t = time.perf_counter()
    pipeline.load()
    ginza_s = time.perf_counter() - t
    texts = corpus()
    clf = Classifier(load_taxonomy())
    clf.classify(texts[:50])  # warm up: term patterns are tokenised once per taxonomy
    t = time.perf_counter()
    clf.classify(texts)
    rate = len(texts) / (time.perf_counter() - t)
    parsed = clf.parsed
    t = time.perf_counter()
    for text in texts:
        clf._lexical(text)
    lexical = len(texts) / (time.perf_counter() - t)
    print(f"cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} (other work on the machine slows GiNZA most)")
    print(f"model load: Sudachi {sudachi_s:.2f} s, GiNZA (ja_ginza) {ginza_s:.2f} s")
    print(f"classification: {rate:.0f} comments/s over {len(texts)} comments (target ≥ {TARGET}/s); "
          f"GiNZA parse for {parsed} of them ({parsed / len(texts):.0%})")
    print(f"lexical and clause layer alone (Sudachi): {lexical:.0f} comments/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
