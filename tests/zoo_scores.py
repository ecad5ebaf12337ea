"""Scores of every zoo, spreadsheet, Typst and fpdf2 rendering, as a table; `--write-floors` records them.

    python -m tests.zoo_scores [--jobs N] [--only PREFIX] [--write-floors]

The floors files hold, per rendering and metric, the level the extractor reaches now less a
small margin: tests/data/zoo_floors.json for the zoo and the spreadsheet prints (tests/test_zoo.py),
tests/data/typst_floors.json for the held-out Typst family (tests/test_typst.py),
tests/data/fpdf_floors.json for the held-out fpdf2 family (tests/test_fpdf.py); a test fails
when a rendering falls below its floor. `--only typst/` scores (and with `--write-floors`
rewrites the floors of) the renderings whose name under fixtures/ starts with the prefix; the
other entries of a floors file are kept. Raise the floors after an improvement, never lower
them to hide a regression.
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
TYPST = FIXTURES / "typst"
TYPST_FLOORS = ROOT / "tests" / "data" / "typst_floors.json"
FPDF = FIXTURES / "fpdf"
FPDF_FLOORS = ROOT / "tests" / "data" / "fpdf_floors.json"
HELD_OUT = {TYPST: TYPST_FLOORS, FPDF: FPDF_FLOORS}  # families whose manifest names each rendering's truth
FPDF_DEV = FIXTURES / "fpdf_dev"  # fpdf2 looks developed on (not held out); its manifest names the truth too
TRUTH = ROOT / "tests" / "data" / "r3_expected.json"
MARGIN = 1.0  # points below today's level: room for harmless changes in tie-breaking


def manifest(folder: Path) -> dict[str, dict]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def renderings() -> list[Path]:
    out = []
    for folder in (FIXTURES / "zoo", FIXTURES / "zoo" / "heldout", FIXTURES / "zoo" / "v1", TYPST, FPDF, FPDF_DEV):
        out += [folder / e["file"] for e in manifest(folder).values()]
    return out + sorted((FIXTURES / "calc").glob("*.pdf"))


def key(pdf: Path) -> str:
    """A rendering's name in the floors files: its path under fixtures/ (the sets share file names)."""
    return pdf.relative_to(FIXTURES).as_posix()


def truth_path(pdf: Path) -> Path:
    """The ground truth a rendering is scored against: the Typst and fpdf2 manifests name it (a
    variant of each prints a synthetic year); every other rendering is the FY2021 content."""
    if pdf.parent in HELD_OUT or pdf.parent == FPDF_DEV:
        return ROOT / next(e["truth"] for e in manifest(pdf.parent).values() if e["file"] == pdf.name)
    return TRUTH


def floors_path(name: str) -> Path:
    return next((f for d, f in HELD_OUT.items() if name.startswith(d.name + "/")), FLOORS)


def _score(pdf: Path) -> tuple[str, dict[str, float]]:
    """(the rendering's name, as the floors files name it; its metrics). A held-out rendering the
    extractor refuses as not a report is scored as an empty report (all 0) rather than stopping
    the table; any other rendering's refusal still raises."""
    from hokoku.extract import parse_report
    from hokoku.extract.errors import InputError

    truth = json.loads(truth_path(pdf).read_text(encoding="utf-8"))
    try:
        pred = parse_report(pdf).to_dict()
    except InputError:
        if pdf.parent not in HELD_OUT:
            raise
        pred = {}
    metrics = scoring.score(truth, pred)
    return key(pdf), {m.label: m.value for m in metrics}


def write_floors(results: dict[str, dict[str, float]]) -> None:
    """Today's levels less the margin, merged into each family's floors file."""
    for path in sorted({floors_path(name) for name in results}):
        floors = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        floors.update({name: {k: max(0.0, math.floor(v - MARGIN)) if v < 100 else 100.0 for k, v in values.items()}
                       for name, values in results.items() if floors_path(name) == path})
        path.write_text(json.dumps(floors, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default="", metavar="PREFIX", help="renderings whose name under fixtures/ starts so")
    ap.add_argument("--write-floors", action="store_true")
    args = ap.parse_args(argv)
    todo = [pdf for pdf in renderings() if key(pdf).startswith(args.only)]
    if not todo:
        ap.error(f"no rendering starts with {args.only!r}")
    with ProcessPoolExecutor(args.jobs) as ex:
        results = dict(ex.map(_score, todo))
    labels = list(next(iter(results.values())))
    print("| rendering | " + " | ".join(labels) + " | mean |")
    print("|---" * (len(labels) + 2) + "|")
    for name, values in results.items():
        cells = [f"{values[k]:.1f}" for k in labels]
        print(f"| {name} | " + " | ".join(cells) + f" | {sum(values.values()) / len(values):.1f} |")
    if args.write_floors:
        write_floors(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
