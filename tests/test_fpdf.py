"""The held-out fpdf2 family (fixtures/fpdf/, fixtures/render_fpdf.py): the report drawn by a
program no other fixture uses, in looks nobody developing the extractor has studied — badge
labels and a 区分 KPI grid, two landscape panels with 【】 labels and 和暦 KPI heads, and the
SYNTHETIC FY2023 year in a plain look with 〈〉 labels.

Each rendering is read and scored with tests/scoring.py against the truth its manifest names,
and held to the level it reaches today (tests/data/fpdf_floors.json, written by
`python -m tests.zoo_scores --only fpdf/ --write-floors`). A rendering the extractor refuses
(`hokoku ingest` says it is not a report) is scored as an empty report, so its floors are 0 until
the extractor reads it. The floors measure generality: do not tune the extractor to these files;
raise the floors when it improves on them. The other tests check the family is what it claims.
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

FPDF = FIXTURES / "fpdf"
MANIFEST = json.loads((FPDF / "manifest.json").read_text(encoding="utf-8"))
FLOORS = json.loads((ROOT / "tests" / "data" / "fpdf_floors.json").read_text(encoding="utf-8"))
# What each look prints on its first project's first page, as pdfplumber reads it.
SHOWS = {
    "fpdf_a4_badge": [r"\nP 事業計画\n", r"区分 単位 2020年度 2021年度\n目標 件 95 100", r"- 13 -$"],
    "fpdf_landscape_panels": [r"【事業計画】", r"事業名：起業化総合支援事業", r"令和2年度 令和3年度\n目標 \(件\) 95 100", r"\n10$"],
    "fpdf_fy2023_plain": [r"〈事業計画〉 Plan", r"R4 \(2022\) 年度 R5 \(2023\) 年度\n目標 \(件\) 91 119", r"川崎市 12$"],
}
# ... and on its later pages: the Check | Action form and a sub-label.
LATER = {
    "fpdf_a4_badge": [r"C·A\s*検証・改善\n主な検証意見 令和4年度以降の対応\n", r"◎ 令和3年度の実績"],
    "fpdf_landscape_panels": [r"【主な検証意見】", r"【令和4年度以降の対応】", r"■令和3年度の実績"],
    "fpdf_fy2023_plain": [r"〈主な検証意見・令和6年度以降の対応〉", r"主な検証意見 令和6年度以降の対応\n①", r"▽ 令和5年度の実績"],
}


def page_text(page, panels: int) -> str:
    """A page's text; with two panels, the left panel's then the right one's (as a reader reads)."""
    if panels == 1:
        return page.extract_text() or ""
    w = float(page.width)
    return "\n".join(page.crop((x0, 0, x1, float(page.height))).extract_text() or "" for x0, x1 in ((0, w / 2), (w / 2, w)))


def truth(name: str) -> dict:
    return json.loads((ROOT / MANIFEST[name]["truth"]).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def parsed(name: str) -> dict:
    """The extractor's report.json content; {} when it refuses the file as not a report."""
    from hokoku.extract import parse_report
    from hokoku.extract.errors import InputError

    try:
        return parse_report(FPDF / MANIFEST[name]["file"]).to_dict()
    except InputError:
        return {}


def _seed_doc(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from fixtures.seed import DEFAULT_SEED, parse_seed

    seeds = [DEFAULT_SEED, *sorted((ROOT.parent.parent / "shared" / "seeds").glob("000_*.txt"))]
    seed = next((s for s in seeds if s.exists()), None)
    if seed is None:
        pytest.skip(f"the seed text is not beside this checkout ({DEFAULT_SEED})")
    return parse_seed(seed)


@pytest.mark.slow  # ~10 s a parse, three of them: make test-slow (CI)
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_rendering_is_read_field_by_field(name):
    floors = FLOORS[f"fpdf/{MANIFEST[name]['file']}"]
    metrics = scoring.score(truth(name), parsed(name))
    assert {m.label for m in metrics} == set(floors)
    low = [m for m in metrics if m.value < floors[m.label]]
    assert not low, f"{name}: " + "; ".join(
        f"{m.label} {m.value:.1f}% < {floors[m.label]}% ({m.detail}; e.g. {m.misses[:2]})" for m in low)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_report_year_is_the_renderings(name):
    report = parsed(name)
    if not report and not any(FLOORS[f"fpdf/{MANIFEST[name]['file']}"].values()):
        pytest.skip(f"{name} is refused by the extractor today (floors 0)")
    assert report["report"]["fiscal_year"] == MANIFEST[name]["fiscal_year"]


def test_truth_is_the_seeds_and_every_text_is_drawn(monkeypatch):
    """The manifest's truth is what the seed gives for the look's year (FY2021, or the SYNTHETIC
    FY2023 of synthetic_years.make_year(doc, 2)), and the final pass draws every name, Check/Action,
    goal, plan, next-plan and opinion text of it (whole texts before line breaking, quirks undone
    by NFKC), so a low score is the extractor's, not the fixture's."""
    doc = _seed_doc(monkeypatch)
    from fixtures.render_fpdf import LOOKS, final_pass, look_doc
    from fixtures.seed import expected_report

    assert sorted(LOOKS) == sorted(MANIFEST)
    fy2023 = truth("fpdf_fy2023_plain")
    assert fy2023["report"]["era_label"] == "令和5年度" and MANIFEST["fpdf_fy2023_plain"]["fiscal_year"] == 2023
    names = [p["name"] for p in fy2023["projects"]]
    assert "観光振興・産業観光推進事業" in names and "知的財産戦略推進事業" in names
    assert "ウェルフェアイノベーション推進事業" not in names and "海外展開関連事業 ②国際環境産業推進事業" not in names
    dx = next(p for p in fy2023["projects"] if p["name"] == "生産性向上推進事業")
    assert dx["action"][-1]["text"].startswith("DXの段階に応じて")
    for name, look in LOOKS.items():
        year = look_doc(doc, look)
        want = truth(name)
        assert expected_report(year) == want, name
        drawn = scoring.norm("".join(final_pass(year, look).doc.drawn).replace("\u2ed1", "長"))
        texts = [t for p in want["projects"]
                 for t in [p["name"], p["goal"], *p["plan"], *p["next_plan"], *(i["text"] for i in p["check"] + p["action"])] if t]
        texts += [o for a in want["article_opinions"] for o in a["opinions"]]
        missing = [t[:40] for t in texts if scoring.norm(t) not in drawn]
        assert not missing, f"{name}: {missing[:3]}"


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_pdf_shows_its_variation(name):
    """Page count as the manifest says; the first project's first printed page (pages.json) carries
    its name and the look's label, KPI heads and footer; the 施策一覧 prints each project's first page
    as the page map has it; the quirks reach the text layer."""
    entry = MANIFEST[name]
    from hokoku.extract.normalize import normalize_text

    meta = json.loads((FPDF / f"{name}.pages.json").read_text(encoding="utf-8"))
    printed = {normalize_text(k): v for k, v in meta["projects"].items()}  # the truth's name forms
    want = truth(name)
    first = want["projects"][0]["name"]
    offset = meta["first_numbered_pdf_page"] - 2
    with pdfplumber.open(FPDF / entry["file"]) as pdf:
        assert len(pdf.pages) == entry["pages"]
        panels = entry["look"]["panels"]
        page = page_text(pdf.pages[meta["projects"][first][0] + offset], panels)
        index = next(t for t in (page_text(p, panels) for p in pdf.pages[2:20]) if "事務事業名" in t and "頁" in t)
        whole = "".join(p.extract_text() or "" for p in pdf.pages[meta["projects"][first][0] + offset:][:12])
    assert first in unicodedata.normalize("NFKC", page).replace(" ", "")
    for pattern in SHOWS[name]:
        assert re.search(pattern, page.strip()), f"{name}: {pattern!r} not on page {meta['projects'][first][0]}"
    for pattern in LATER[name]:
        assert re.search(pattern, whole), f"{name}: {pattern!r} not in the first project's pages"
    verified = [p["name"] for p in want["projects"] if p["kind"] == "verified"]
    listed = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(?:1[2-9]条 )?(?:\S+ )?(\S+) (\d+)$", index, re.M)}
    checked = [n for n in verified if n.split(" ")[-1] in listed]
    assert len(checked) >= 10, f"{name}: {sorted(listed)[:5]}"
    for n in checked:
        assert listed[n.split(" ")[-1]] == printed[n][0], n
    assert set(printed) == {p["name"] for p in want["projects"]}
    assert re.search("[０-９]", whole) and ("\u2f29" in whole or "\u2ed1" in whole)


def test_generator_gives_the_committed_pdf(monkeypatch, tmp_path):
    """Deterministic: drawing the A4 look again gives the committed bytes and page map."""
    doc = _seed_doc(monkeypatch)
    from fixtures.render_fpdf import LOOKS, look_doc, render

    look = LOOKS["fpdf_a4_badge"]
    render(look_doc(doc, look), look, tmp_path)
    assert (tmp_path / "fpdf_a4_badge.pdf").read_bytes() == (FPDF / "fpdf_a4_badge.pdf").read_bytes()
    assert (tmp_path / "fpdf_a4_badge.pages.json").read_text() == (FPDF / "fpdf_a4_badge.pages.json").read_text()
