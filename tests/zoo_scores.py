"""Scores of every zoo and spreadsheet rendering, as a table; `--write-floors` records them.

    python -m tests.zoo_scores [--jobs N] [--write-floors]

The floors file (tests/data/zoo_floors.json) holds, per rendering and metric, the level the
extractor reaches now less a small margin; tests/test_zoo.py fails when a rendering falls
below it. Raise the floors after an improvement, never lower them to hide a regression.
"""
from __future__ import annotations

import argparse
import json
import math
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tests import scoring

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
FLOORS = ROOT / "tests" / "data" / "zoo_floors.json"
TRUTH = ROOT / "tests" / "data" / "r3_expected.json"
MARGIN = 1.0  # points below today's level: room for harmless changes in tie-breaking


def renderings() -> list[Path]:
    out = []
    for folder in (FIXTURES / "zoo", FIXTURES / "zoo" / "heldout", FIXTURES / "zoo" / "v1"):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        out += [folder / e["file"] for e in manifest.values()]
    return out + sorted((FIXTURES / "calc").glob("*.pdf"))


def _score(pdf: Path) -> tuple[str, dict[str, float]]:
    """(the rendering's path under fixtures/, as the floors file names it; its metrics)"""
    from hokoku.extract import parse_report

    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    metrics = scoring.score(truth, parse_report(pdf).to_dict())
    return pdf.relative_to(FIXTURES).as_posix(), {m.label: m.value for m in metrics}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--write-floors", action="store_true")
    args = ap.parse_args(argv)
    with ProcessPoolExecutor(args.jobs) as ex:
        results = dict(ex.map(_score, renderings()))
    labels = list(next(iter(results.values())))
    print("| rendering | " + " | ".join(labels) + " | mean |")
    print("|---" * (len(labels) + 2) + "|")
    for name, values in results.items():
        cells = [f"{values[k]:.1f}" for k in labels]
        print(f"| {name} | " + " | ".join(cells) + f" | {sum(values.values()) / len(values):.1f} |")
    if args.write_floors:
        floors = {name: {k: max(0.0, math.floor(v - MARGIN)) if v < 100 else 100.0 for k, v in values.items()}
                  for name, values in results.items()}
        FLOORS.write_text(json.dumps(floors, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {FLOORS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
