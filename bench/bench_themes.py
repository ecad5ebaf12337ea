"""python -m bench.bench_themes: theme classification quality and speed, written to
bench/themes_results.md.

Quality: micro/macro F1 of the classifier and of its `--baseline` (the same term lists as plain
substrings) on FY2021 (all 72, and the 29 held out), on the released FY2023-style 80
(../shared/themes, the development set) and on the own splits of bench/data (see its README: which
were read and tuned on, and the blind split of round themes3 that never was).

A `## Notes` section at the end of the results file is written by hand and kept by each run.

Speed: every FY2021 comment (tests/data/r3_expected.json) and the other evaluation comments,
repeated to a few thousand, model loads (Sudachi, GiNZA) apart: comments per second of wall
time and per CPU second (a busy machine slows the first, hardly the second), and how many
comments needed the GiNZA parse (negation, lone weak term).
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
# ../shared beside the main checkout; a worktree under ../wt/NAME finds it one level further up
RELEASED = next((p / "shared/themes/fy2023_style_gold.csv" for p in (ROOT.parent, ROOT.parent.parent)
                 if (p / "shared/themes").is_dir()), ROOT.parent / "shared/themes/fy2023_style_gold.csv")
SETS = [  # (name, labels CSV, split or "all")
    ("FY2021, all 72", ROOT / "tests/data/themes_labeled.csv", "all"),
    ("FY2021, held out (29)", ROOT / "tests/data/themes_labeled.csv", "heldout"),
    ("released FY2023-style 80 (development)", RELEASED, "all"),
    ("own FY2025-style split (56; development since round themes3)", ROOT / "bench/data/themes_fy2025_heldout.csv", "all"),
    ("own FY2026-style split (58; development since round themes3)", ROOT / "bench/data/themes_fy2026_heldout.csv", "all"),
    ("own FY2026-style fresh split (50; development since round themes3)", ROOT / "bench/data/themes_fy2026_fresh.csv", "all"),
    ("own FY2026-style blind split (65; held out, never tuned on)", ROOT / "bench/data/themes_fy2026_blind.csv", "all"),
    ("own FY2025-style probe (40, development)", ROOT / "bench/data/themes_fy2025_dev.csv", "all"),
    ("own FY2026-style probe (70, development)", ROOT / "bench/data/themes_fy2026_probe.csv", "all"),
]
OUT = ROOT / "bench" / "themes_results.md"
NOTES = "## Notes"  # heading of the hand-written part of OUT, which a run keeps


def corpus() -> list[str]:
    from hokoku.extract.model import Report, iter_comments

    d = json.loads((ROOT / "tests/data/r3_expected.json").read_text(encoding="utf-8"))
    d["source"] = {"file": "r3.pdf", "sha256": "", "pages": 0}
    texts = [c.text for c in iter_comments(Report.from_dict(d))]
    for path in (ROOT / "tests/data/themes_other_year.csv", ROOT / "bench/data/themes_fy2025_heldout.csv",
                 ROOT / "bench/data/themes_fy2026_heldout.csv", ROOT / "bench/data/themes_fy2026_probe.csv",
                 ROOT / "bench/data/themes_fy2026_fresh.csv", ROOT / "bench/data/themes_fy2026_blind.csv", RELEASED):
        if path.exists():
            with path.open(encoding="utf-8", newline="") as f:
                texts += [r["text"] for r in csv.DictReader(f)]
    return texts * REPEAT


def quality() -> list[str]:
    """Markdown rows: set, n, classifier micro/macro F1 (P, R), baseline micro/macro F1, gain."""
    from hokoku.nlp import classify_texts, load_taxonomy
    from hokoku.nlp.evaluate import read_labels, score

    tax = load_taxonomy()
    ids = [t.id for t in tax.themes]
    rows = []
    for name, path, split in SETS:
        if not path.exists():
            continue
        items = [i for i in read_labels(path) if split == "all" or i.split == split]
        texts = [i.text for i in items]
        ours = score(items, [set(r.themes) for r in classify_texts(texts, tax)], ids)
        base = score(items, [set(r.themes) for r in classify_texts(texts, tax, baseline=True)], ids)
        p, r = ours.micro_precision, ours.micro_recall
        rows.append(f"| {name} | {ours.micro_f1:.3f} / {ours.macro_f1:.3f} (P {p:.2f}, R {r:.2f}) | "
                    f"{base.micro_f1:.3f} / {base.macro_f1:.3f} | {ours.micro_f1 - base.micro_f1:+.3f} |")
    return rows


def speed() -> list[str]:
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
    t, cpu = time.perf_counter(), time.process_time()
    clf.classify(texts)
    rate, cpu_rate = len(texts) / (time.perf_counter() - t), len(texts) / (time.process_time() - cpu)
    parsed = clf.parsed
    t = time.perf_counter()
    for text in texts:
        clf._lexical(text)
    lexical = len(texts) / (time.perf_counter() - t)
    return [
        f"cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f} (other work on the machine slows GiNZA most)",
        f"model load: Sudachi {sudachi_s:.2f} s, GiNZA (ja_ginza) {ginza_s:.2f} s",
        f"classification: **{rate:.0f} comments/s** of wall time, {cpu_rate:.0f} per CPU second, over {len(texts)} "
        f"comments (target ≥ {TARGET}/s); GiNZA parse for {parsed} of them ({parsed / len(texts):.0%})",
        f"lexical and clause layer alone (Sudachi): {lexical:.0f} comments/s",
    ]


def kept_notes() -> str:
    """The hand-written part of the results file (from its NOTES heading on), kept across runs:
    what a score means that the numbers cannot say (which split was scored when)."""
    old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    return old[old.index(NOTES):] if NOTES in old else ""


def main() -> int:
    timings = speed()  # first: the model loads are timed in a fresh process
    lines = ["# hokoku themes: quality and speed (`python -m bench.bench_themes`)", "",
             "| set | classifier micro / macro F1 | `--baseline` micro / macro F1 | micro gain |", "|---|---|---|---|",
             *quality(), "", *[f"- {s}" for s in timings]]
    notes = kept_notes()
    text = "\n".join(lines) + "\n" + ("\n" + notes if notes else "")
    print(text)
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
