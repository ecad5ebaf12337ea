"""python -m bench.bench_themes: GiNZA model load time and comments per second after load."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    t = time.perf_counter()
    from hokoku.nlp import classify_texts, comments_of, load_taxonomy, pipeline

    pipeline.load()
    load_s = time.perf_counter() - t
    report = json.loads((ROOT / "tests/data/r3_expected.json").read_text(encoding="utf-8"))
    texts = [c["text"] for c in comments_of("r3", report)] * 10
    tax = load_taxonomy()
    classify_texts(texts[:8], tax)  # warm up (seed vectors, regexes)
    t = time.perf_counter()
    classify_texts(texts, tax)
    rate = len(texts) / (time.perf_counter() - t)
    print(f"cores: {os.cpu_count()}")
    print(f"model load (ja_ginza): {load_s:.2f} s (target ≤ 3 s)")
    print(f"classification: {rate:.0f} comments/s over {len(texts)} comments (target ≥ 200/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
