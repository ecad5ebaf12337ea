"""The layout zoo (fixtures/zoo/) and the spreadsheet prints (fixtures/calc/): the FY2021 report
in many independent layouts, read field by field with tests/scoring.py against
tests/data/r3_expected.json (the same content in every rendering).

The goal is >= 98 % on every metric for every rendering; it is not reached on all of them yet.
Each rendering is held to the floor it reaches today (tests/data/zoo_floors.json, per metric),
so any regression fails; `python -m tests.zoo_scores` prints the current table. The held-out
set (fixtures/zoo/heldout/) is scored here but was never looked at while developing the
extractor. fixtures/zoo/v1/ keeps the committed seeds as the generator's first version printed
them (before wide tables were fitted to their panel, Chromium shrank whole documents to fit
one): frozen layouts the extractor must keep reading. Parsing all of them takes minutes: three renderings run by default, the rest with
`-m slow` (`make test-all`). The manifest tests check the set is what it claims: every switch
value shown at least twice, and the PDFs carrying the variations their manifest lists.
"""
from __future__ import annotations

import html
import importlib.util
import json
import re
import unicodedata

import pdfplumber
import pytest
from pypdf import PdfReader

import scoring
from conftest import FIXTURES

ZOO = FIXTURES / "zoo"
SETS = {"committed": ZOO, "heldout": ZOO / "heldout", "v1": ZOO / "v1", "calc": ZOO / "calc"}  # calc: when rendered
PASS = 98.0
RADICAL_FORMS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


def _switches():
    spec = importlib.util.spec_from_file_location("zoo_switches", FIXTURES / "zoo_switches.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def manifest(folder) -> dict[str, dict]:
    path = folder / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


FLOORS = json.loads((FIXTURES.parent / "tests" / "data" / "zoo_floors.json").read_text(encoding="utf-8"))
QUICK = {"zoo/zoo_00001.pdf", "zoo/zoo_00007.pdf", "calc/r3_calc_portrait.pdf"}
PDFS = [folder / entry["file"] for folder in SETS.values() for entry in manifest(folder).values()]
PDFS += sorted((FIXTURES / "calc").glob("*.pdf"))


def key(pdf) -> str:
    """A rendering's name in the floors file: its path under fixtures/ (the sets share file names)."""
    return pdf.relative_to(FIXTURES).as_posix()


CASES = [pytest.param(pdf, id=key(pdf), marks=() if key(pdf) in QUICK else pytest.mark.slow) for pdf in PDFS]


@pytest.mark.parametrize("pdf", CASES)
def test_rendering_is_read_field_by_field(pdf, expected):
    from hokoku.extract import parse_report
    from hokoku.extract.errors import HokokuError

    try:
        report = parse_report(pdf)
    except HokokuError as e:
        pytest.fail(f"not read at all: {e}")
    floors = FLOORS[key(pdf)]
    metrics = scoring.score(expected, report.to_dict())
    low = [m for m in metrics if m.value < floors[m.label]]
    assert not low, f"{key(pdf)}: " + "; ".join(
        f"{m.label} {m.value:.1f}% < {floors[m.label]}% ({m.detail}; e.g. {m.misses[:2]})" for m in low)
    assert {m.label for m in metrics} == set(floors)


def test_committed_set_shows_every_switch_value_twice():
    sw = _switches()
    committed, heldout = manifest(SETS["committed"]), manifest(SETS["heldout"])
    assert len(committed) >= 10 and len(heldout) >= 4
    assert not set(committed) & set(heldout)
    for entries in (committed, heldout):
        for seed, entry in entries.items():  # the manifest tells the truth about each seed
            assert entry["switches"] == sw.draw(int(seed))
    seen = sw.coverage([int(s) for s in committed])
    thin = [(k, v) for k, vs in sw.SWITCHES.items() for v in vs if seen[(k, v)] < 2]
    assert not thin, f"switch values shown fewer than twice: {thin}"


@pytest.mark.parametrize("entry", [pytest.param(e, id=seed) for seed, e in manifest(ZOO).items()])
def test_pdf_carries_its_switches(entry):
    """The rendered text layer shows the year-header style, orientation and font kind listed."""
    sw = entry["switches"]
    pdf = ZOO / entry["file"]
    reader = PdfReader(pdf)
    kinds = {str(f.get_object()["/Subtype"]) for p in reader.pages for f in p["/Resources"].get("/Font", {}).values()}
    assert ("/Type3" in kinds) == (sw["font"] == "type3"), kinds
    first = reader.get_destination_page_number(reader.named_destinations["/p1"])  # 起業化総合支援事業's KPIs
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[first]
        assert (page.width > page.height) == (sw["orientation"] == "landscape")
        text = "\n".join(p.extract_text() or "" for p in doc.pages[first:first + 3])
    flat = unicodedata.normalize("NFKC", text).replace(" ", "")
    # a heading's first line (narrow grids wrap the rest: 「R3年度」 over 「(2021)」); the narrowest
    # wrap 「R3 (2021) 年度」 over three lines, which the text layer interleaves with their neighbours'
    year = {"R2 (2020) 年度": r"R3(?:.|\n){0,40}?\(2021\)(?:.|\n){0,40}?年度", "R2年度(2020)": "R3年",
            "令和2年度": "令和3年", "2020年度": "2021年"}[sw["year_header"]]
    assert re.search(year, flat)
    assert RADICAL_FORMS.search(text), "Chromium's ToUnicode maps 小/目/長… to radical forms"


def test_every_rendering_holds_every_truth_text(expected, monkeypatch):
    """Whatever the switches, the HTML printed holds every name, Check/Action, goal, plan,
    result, next-plan and opinion text of the truth (the look-alike ⻑ aside, which NFKC keeps)."""
    monkeypatch.syspath_prepend(str(FIXTURES.parent))
    from fixtures.seed import DEFAULT_SEED, parse_seed

    if not DEFAULT_SEED.exists():
        pytest.skip(f"the seed text is not beside this checkout ({DEFAULT_SEED})")
    from fixtures.zoo import COMMITTED, HELDOUT_SEEDS
    from fixtures.zoo_html import FONT_FILES, ZooHtml
    from fixtures.zoo_switches import draw

    doc = parse_seed()
    wanted = [t for p in expected["projects"]
              for t in [p["name"], p["goal"], *p["plan"], *p["results"], *p["next_plan"],
                        *(i["text"] for i in p["check"] + p["action"])] if t]
    wanted += [o for a in expected["article_opinions"] for o in a["opinions"]]
    for seed in COMMITTED + HELDOUT_SEEDS:
        body = ZooHtml(doc, draw(seed), FONT_FILES["mincho"]).html().split("<body>", 1)[1]
        text = scoring.norm(html.unescape(re.sub(r"<[^>]+>", "", body)).replace("\u2ed1", "長"))
        missing = [t[:40] for t in wanted if scoring.norm(t) not in text]
        assert not missing, f"seed {seed}: {missing[:3]}"
