"""The held-out Typst family (fixtures/typst/, fixtures/render_typst.py): the report typeset by
another program in looks nobody developing the extractor has studied — numbered section labels,
years as KPI rows, Check | Action tables across pages, two B5 columns, a SYNTHETIC FY2022 year.

Each rendering is read and scored with tests/scoring.py against the truth its manifest names,
and held to the level it reaches today (tests/data/typst_floors.json, written by
`python -m tests.zoo_scores --only typst/ --write-floors`). The floors measure generality: do
not tune the extractor to these files; raise the floors when it improves on them. The other
tests check the family is what it claims: its truth is the one the seed gives for that year,
its Typst source prints every text of that truth, its PDFs show their variations.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

import pdfplumber
import pytest

import scoring
from conftest import FIXTURES, ROOT

TYPST = FIXTURES / "typst"
MANIFEST = json.loads((TYPST / "manifest.json").read_text(encoding="utf-8"))
FLOORS = json.loads((ROOT / "tests" / "data" / "typst_floors.json").read_text(encoding="utf-8"))
# A label each variant prints in its own style, on its first project's pages.
LABELS = {"typst_a4": "(2) 事業計画 [P]", "typst_b5_two_col": "2. 計画（Plan）", "typst_years_rows": "２．事業計画"}
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def truth(name: str) -> dict:
    return json.loads((ROOT / MANIFEST[name]["truth"]).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def parsed(name: str):
    from hokoku.extract import parse_report

    return parse_report(TYPST / MANIFEST[name]["file"])


@pytest.mark.slow  # three whole parses: make test-slow (CI)
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_rendering_is_read_field_by_field(name):
    from hokoku.extract.errors import HokokuError

    try:
        report = parsed(name)
    except HokokuError as e:
        pytest.fail(f"not read at all: {e}")
    floors = FLOORS[f"typst/{MANIFEST[name]['file']}"]
    metrics = scoring.score(truth(name), report.to_dict())
    assert {m.label for m in metrics} == set(floors)
    low = [m for m in metrics if m.value < floors[m.label]]
    assert not low, f"{name}: " + "; ".join(
        f"{m.label} {m.value:.1f}% < {floors[m.label]}% ({m.detail}; e.g. {m.misses[:2]})" for m in low)


@pytest.mark.slow  # three whole parses: make test-slow (CI)
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_report_year_is_the_renderings(name):
    assert parsed(name).to_dict()["report"]["fiscal_year"] == MANIFEST[name]["fiscal_year"]


def _seed_doc(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from fixtures.seed import DEFAULT_SEED, parse_seed

    seeds = [DEFAULT_SEED, *sorted((ROOT.parent.parent / "shared" / "seeds").glob("000_*.txt"))]
    seed = next((s for s in seeds if s.exists()), None)
    if seed is None:
        pytest.skip(f"the seed text is not beside this checkout ({DEFAULT_SEED})")
    return parse_seed(seed)


def test_truth_is_the_seeds_and_the_source_prints_all_of_it(monkeypatch):
    """The manifest's truth is what the seed gives for the variant's year, and the generated Typst
    source holds every name, Check/Action, goal, plan, next-plan and opinion text of it (as
    string literals, quirks undone by NFKC), so a low score is the extractor's, not the fixture's."""
    doc = _seed_doc(monkeypatch)
    from fixtures.render_typst import VARIANTS, source, variant_doc
    from fixtures.seed import expected_report

    for name, look in VARIANTS.items():
        year = variant_doc(doc, look)
        want = truth(name)
        assert expected_report(year) == want, name
        printed = scoring.norm("".join(s.replace('\\"', '"') for s in LITERAL.findall(source(year, look)))
                               .replace("\u2ed1", "長"))
        texts = [t for p in want["projects"]
                 for t in [p["name"], p["goal"], *p["plan"], *p["next_plan"], *(i["text"] for i in p["check"] + p["action"])] if t]
        texts += [o for a in want["article_opinions"] for o in a["opinions"]]
        missing = [t[:40] for t in texts if scoring.norm(t) not in printed]
        assert not missing, f"{name}: {missing[:3]}"


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_pdf_shows_its_variation(name):
    """Page count as the manifest says; the first project's printed pages (pages.json) carry its
    name, its numbered label and, for the years-as-rows variant, a KPI table headed 年度 with one
    year per row; the page footer numbers them from the page map's first numbered page."""
    entry = MANIFEST[name]
    meta = json.loads((TYPST / f"{name}.pages.json").read_text(encoding="utf-8"))
    first_name = truth(name)["projects"][0]["name"]
    printed = meta["projects"][first_name]
    with pdfplumber.open(TYPST / entry["file"]) as pdf:
        assert len(pdf.pages) == entry["pages"]
        pages = [pdf.pages[p + meta["first_numbered_pdf_page"] - 2] for p in printed]
        text = "\n".join(p.extract_text() or "" for p in pages)
        last_line = (pages[0].extract_text() or "").strip().splitlines()[-1]
    flat = unicodedata.normalize("NFKC", text).replace(" ", "")
    assert first_name in flat
    assert LABELS[name] in text
    assert str(printed[0]) in last_line
    if entry["look"]["kpi"] == "year_rows":
        assert re.search(r"年度\s*目標\s*\(件\)\s*実績\s*\(件\)\n2021年度\s*[（(]R3[)）]", text)


def test_new_looks_print_the_seed_in_their_layout(monkeypatch, tmp_path):
    """A look drawn with the newer options (「事業名：」 band, No. | Check | Action rows, one
    その他 grid, ○ opinions, 「目標（件）」) prints the seed's texts in that layout: the name after
    its prefix, the first Check beside the Action answering it on one line, the grid's header
    on each of its pages."""
    pytest.importorskip("typst")
    from dataclasses import replace

    doc = _seed_doc(monkeypatch)
    from fixtures import render_typst as rt
    from fixtures.seed import expected_report

    look = replace(rt.VARIANTS["typst_a4"], name="new_look", name_look="prefixed", check_action="paired",
                   other="one_grid", opinions="lists", opinion_mark="○", kpi_unit="label")
    meta = rt.render(doc, look, tmp_path)
    want = expected_report(doc)
    first, others = want["projects"][0], [p["name"] for p in want["projects"] if p["kind"] == "other"]

    def at(name: str) -> list[int]:  # a project's pages, 0-based PDF indices
        return [n + meta["first_numbered_pdf_page"] - 2 for n in meta["projects"][name]]

    with pdfplumber.open(tmp_path / "new_look.pdf") as pdf:  # up to the first project, and the grid
        read = list(range(at(first["name"])[-1] + 1)) + list(range(at(others[0])[0], at(others[-1])[-1] + 1))
        pages = {k: _flat(pdf.pages[k].extract_text() or "") for k in read}
    text = "\n".join(pages.values())
    assert _flat("事業名：" + first["name"]) in pages[at(first["name"])[0]]
    check = first["check"][0]
    action = next(a for a in first["action"] if check["no"] in a["answers"])
    assert any(_flat(check["text"])[:8] in line and _flat(action["text"])[:8] in line for line in text.splitlines())
    assert _flat("○" + want["article_opinions"][0]["opinions"][0])[:12] in text
    assert "目標(件)" in text
    grid_head = _flat("条文事務事業名" + doc.projects[-1].sections[1].heading)
    assert sum(grid_head in pages[k] for k in range(at(others[0])[0], at(others[-1])[-1] + 1)) >= 2


def _flat(s: str) -> str:
    return unicodedata.normalize("NFKC", s).replace(" ", "")
