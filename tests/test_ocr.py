"""Issue 21: scanned reports are read by OCR into the same records as the text layer.

Fast tests read the committed 4-page scan (fixtures/edge/scan_4p.pdf: landscape pages 13–15 and
70 at 200 dpi, seed 21) and one scanned insert in the 5-page excerpt; the full scanned
acceptance rendering is a slow test.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from hokoku.extract import parse_report
from hokoku.extract.errors import HokokuError
from hokoku.extract.ocr_clean import clean_line
from hokoku.extract.ocr_engine import Glyph, engine_params
from hokoku.extract.ocr_repair import closest_name, listed_names, repair_number, year_plausible
from hokoku.extract.patterns import load_patterns
from hokoku.extract.settings import OcrSettings

SCAN = FIXTURES / "edge" / "scan_4p.pdf"
NAME = "起業化総合支援事業"


@lru_cache(maxsize=None)
def scanned():
    return parse_report(SCAN)


def _clean(text: str) -> tuple[str, list[int]]:
    glyphs, repaired = clean_line(tuple(Glyph(ch, (k, 0, k + 1, 1), 1.0) for k, ch in enumerate(text)))
    return "".join(g.text for g in glyphs), repaired


@pytest.mark.parametrize("read, printed", [
    ("国立研究開発法人新工ネルギ一·産業技術総合開発機構", "国立研究開発法人新エネルギー・産業技術総合開発機構"),
    ("研究開発型べンチャ一企業", "研究開発型ベンチャー企業"),
    ("O起業家支援拠点「K-NIC」", "○起業家支援拠点「K-NIC」"),
    ("1、455件の起業や経営に関する相談対応", "1,455件の起業や経営に関する相談対応"),
    ("②K-NICのことを知らない既存企業", "②K-NICのことを知らない既存企業"),
    ("工業振興関連事業", "工業振興関連事業"),
    ("第1、2回", "第1、2回"),
    ("5\"", "5"),
    ("○地域とのイベント参加延ベ人数", "○地域とのイベント参加延べ人数"),
    ("目标(回)", "目標(回)"),
])
def test_clean_up_maps_the_engines_confusions(read, printed):
    assert _clean(read)[0] == printed


def test_number_repairs_are_reported():
    assert _clean("実績1O回")[1] == [3]
    assert _clean("実績10回")[1] == []


# the FY2021 report's own project list rows, as the scanned landscape's 施策一覧 reads them
LISTING = [(14, ["新川崎・創造のもり推進事業", "①新産業創造支援事業", "②新川崎・創造のもり推進事業"], (25, 29)),
           (16, ["農業振興関連事業", "多様な連携推進事業"], (50, 52)), (12, ["起業化総合支援事業"], (18, 19))]


def test_a_scanned_name_takes_the_project_lists_reading():
    names = listed_names(LISTING)
    assert "新川崎・創造のもり推進事業 ①新産業創造支援事業" in names
    m = closest_name("新川崎・創造のもり推進事業美 ①新産業創造支援事業", names, 0.85)  # a speck read as 美
    assert m.name == "新川崎・創造のもり推進事業 ①新産業創造支援事業" and 0.95 < m.ratio < 1.0
    assert closest_name("農業振興関連事業多様な連携推進事業", names, 0.85).ratio == 1.0  # spaced otherwise
    assert closest_name("ウェルフェアイノベーション推進事業", names, 0.85) is None  # not listed here: kept


@pytest.mark.parametrize("read, number", [("1O", 10), ("l,455", 1455), ("1、455", 1455), ("7O.5", 70.5),
                                          ("中止", None), ("76.8", 76.8)])
def test_kpi_cells_are_read_as_numbers_once_look_alikes_are_mapped(read, number):
    from hokoku.extract.ocr_clean import confusions

    assert repair_number(read, load_patterns(None), confusions()) == number


def test_kpi_years_far_from_the_fiscal_year_are_doubted():
    s = OcrSettings()
    assert year_plausible(2020, 2021, s) and year_plausible(2022, 2021, s)
    assert not year_plausible(2071, 2021, s) and not year_plausible(2001, 2021, s)


def test_ocr_settings_are_validated():
    with pytest.raises(ValueError, match="mode"):
        OcrSettings(mode="always")
    with pytest.raises(ValueError, match="share"):
        OcrSettings(name_match_min=1.5)


def test_settings_that_would_download_models_are_refused():
    with pytest.raises(HokokuError, match="download"):
        engine_params(1, {"Rec.lang_type": "japan"})
    assert all(Path(v).is_file() for k, v in engine_params(1).items() if k.endswith("model_path"))


def test_scanned_pages_read_into_the_project():
    r = scanned()
    assert r.source.ocr_pages == [1, 2, 3, 4]
    p = next(p for p in r.projects if p.name == NAME)
    assert p.article == 12 and p.goal == "次代を支える産業を創出するため、市内での起業を盛んにする"
    assert [c.no for c in p.check] == [1, 2, 3, 4] and [a.no for a in p.action] == [1, 2, 3, 4]
    assert p.check[0].text.startswith("K-NICにおいて創業者の支援を行っていることから、事業承継の施策と連携し、廃業予定者と開業希望者")
    assert p.action[3].text.startswith("ホームページやSNSを活用した情報発信に努めるとともに、大学へ直接アプローチ")


def test_scanned_kpi_tables_keep_their_grid_and_digits():
    p = next(p for p in scanned().projects if p.name == NAME)
    got = {(i.name, v.fiscal_year): (v.target, v.actual) for i in p.indicators for v in i.values}
    assert got[("川崎市創業支援事業計画全体での創業実績件数", 2020)] == (95, 201)
    assert got[("川崎市創業支援事業計画全体での創業実績件数", 2021)] == (100, 183)
    assert got[("かわさき起業家オーディション等の開催回数", 2021)] == (8, 8)
    assert got[("研究開発型のベンチャー企業等への個別・集中支援の実施件数", 2021)] == (5, 10)  # split over two pages


def test_ocr_values_carry_their_provenance():
    p = next(p for p in scanned().projects if p.name == NAME)
    v = p.indicators[0].values[0]
    assert v.provenance.page == 1 and v.provenance.ocr.engine == "rapidocr"
    assert 0.5 < v.provenance.ocr.confidence <= 1.0
    assert "ocr" in json.dumps(scanned().to_dict()["projects"][0]["indicators"][0]["values"][0]["provenance"])


def test_other_projects_grid_is_read():
    names = [p.name for p in scanned().projects if p.kind == "other"]
    assert names[:2] == ["医工連携等推進事業", "ソーシャルビジネス振興事業"]


def test_text_pages_and_a_scanned_insert_each_read_their_own_way(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from fixtures.scan import Degradation, scan_pdf

    excerpt = FIXTURES / "edge" / "excerpt_3p.pdf"
    mixed = scan_pdf(excerpt, tmp_path / "mixed.pdf", pages=[3], d=Degradation(dpi=150), seed=3, mixed=True)
    r, text = parse_report(mixed), parse_report(excerpt)
    assert r.source.ocr_pages == [3] and not text.source.ocr_pages
    want = {(i.name, v.fiscal_year, v.target, v.actual) for p in text.projects for i in p.indicators for v in i.values}
    got = {(i.name, v.fiscal_year, v.target, v.actual) for p in r.projects for i in p.indicators for v in i.values}
    assert got == want
    assert [c.text for c in r.projects[0].check] == [c.text for c in text.projects[0].check]
    pages = {v.provenance.page: v.provenance.ocr is not None for p in r.projects for i in p.indicators for v in i.values}
    assert pages.get(3) is True and not any(ocr for page, ocr in pages.items() if page != 3)


def test_ingest_says_how_many_pages_were_read_by_ocr(tmp_path):
    out = subprocess.run([sys.executable, "-m", "hokoku", "ingest", str(SCAN), "-o", str(tmp_path), "--jobs", "2"],
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert "4 page(s) read by OCR" in out.stderr
    d = json.loads((tmp_path / "scan_4p" / "report.json").read_text(encoding="utf-8"))
    assert d["source"]["ocr_pages"] == [1, 2, 3, 4]


@pytest.mark.slow
def test_scanned_acceptance_landscape_scores(tmp_path, monkeypatch):
    """The released landscape rendering, scanned at 200 dpi (seed 7), held to the 98 % it reads
    today (98.9 %; the issue's goal is 95 %), its self-check warning on the misread projects."""
    monkeypatch.syspath_prepend(str(ROOT))
    from fixtures.scan import Degradation, scan_pdf

    src = ROOT.parent / "shared" / "acceptance" / "fy2021_word_landscape.pdf"
    if not src.exists():
        pytest.skip("acceptance PDFs not here")
    scan = scan_pdf(src, tmp_path / "fy2021_word_landscape.pdf", d=Degradation(dpi=200), seed=7)
    subprocess.run([sys.executable, "-m", "hokoku", "-q", "ingest", str(scan), "-o", str(tmp_path / "out"), "--jobs", "2"],
                   check=True, cwd=ROOT)
    out = subprocess.run([sys.executable, str(src.parent / "score.py"), "--report",
                          str(tmp_path / "out" / "fy2021_word_landscape" / "report.json")], capture_output=True, text=True)
    last = out.stdout.strip().splitlines()[-1]  # "extraction score: 93.3% (mean of metrics)"
    score = float(re.search(r"([0-9.]+)%", last).group(1))
    assert score >= 98.0, out.stdout
    report = json.loads((tmp_path / "out" / "fy2021_word_landscape" / "report.json").read_text(encoding="utf-8"))
    names = [p["name"] for p in report["projects"]]
    assert names[0] == "起業化総合支援事業"  # its 施策一覧 read as a list: the header row's column rules found
    assert "新川崎・創造のもり推進事業 ①新産業創造支援事業" in names  # repaired from the list


def test_a_label_misread_by_a_character_takes_the_heading_label():
    from hokoku.extract.ocr_labels import repaired_label

    pats, s = load_patterns(None), OcrSettings()
    assert repaired_label("主な成果活動指標", pats, s) == "主な成果・活動指標"  # its ・ dropped
    assert repaired_label("施策における日標", pats, s) == "施策における目標"
    assert repaired_label("主な成果・活動指標", pats, s) is None  # a heading as read
    assert repaired_label("主な成果・活動指標に", pats, s) is None  # the start of a longer text
    assert repaired_label("中小企業活性化施策一覧", pats, s) is None
    assert repaired_label("川崎市創業支援事業計画全体での創業実績件数", pats, s) is None


def test_ocr_warnings_are_worded_for_the_staff_in_japanese():
    from hokoku.extract.reconcile import warn

    low = warn("ocr_low_confidence", NAME, 3, conf="0.52", limit="0.60").message
    assert low.startswith(f"「{NAME}」の3ページ") and "確信度0.52" in low
    assert "「実績10回」に補正" in warn("ocr_number_repaired", NAME, 3, text="実績10回").message
    assert "「主な成果・活動指標」と読み替え" in warn("ocr_label_repaired", None, 9, read="主な成果活動指標",
                                                   label="主な成果・活動指標").message


def test_faint_grey_rules_are_found():
    """A thin grey rule (a table's frame printed light) falls above Otsu's threshold once blurred;
    it is found as darker than the paper around it. Black text beside it keeps Otsu's threshold dark."""
    import numpy as np
    from hokoku.extract.ocr_image import PageImage, ruling_objects

    px = np.full((600, 600), 232, np.uint8)
    px[100:500, 300:302] = 168  # faint vertical rule
    px[100:102, 100:500] = 40  # black horizontal rule
    px[200:230, 50:60] = 20  # black ink so Otsu's threshold sits low
    lines, _ = ruling_objects(PageImage(px, 200.0), 216.0, OcrSettings())
    upright = [ln for ln in lines if ln["x0"] == ln["x1"]]
    assert any(abs(ln["x0"] - 301 * 72 / 200) < 1 and ln["bottom"] - ln["top"] > 100 for ln in upright)


PORTRAIT = ROOT.parent / "shared" / "acceptance" / "fy2021_web_portrait.pdf"


@pytest.mark.skipif(not PORTRAIT.exists(), reason="acceptance PDFs not here")
def test_scanned_portrait_pages_read_the_list_and_a_project(tmp_path, monkeypatch):
    """Two pages of the web portrait scanned: its 施策一覧 (light grey rules, a dark header bar
    over a spanning 検証対象事業 row) is read as one grid, and the project page after it reads
    its name, goal and KPI values."""
    monkeypatch.syspath_prepend(str(ROOT))
    from fixtures.scan import Degradation, scan_pdf

    scan = scan_pdf(PORTRAIT, tmp_path / "portrait_2p.pdf", pages=[14, 18], d=Degradation(dpi=200), seed=7)
    r = parse_report(scan)
    p = next(p for p in r.projects if p.name == NAME)
    assert p.goal == "次代を支える産業を創出するため、市内での起業を盛んにする"
    got = {(i.name, v.fiscal_year): (v.target, v.actual) for i in p.indicators for v in i.values}
    assert got[("川崎市創業支援事業計画全体での創業実績件数", 2021)] == (100, 183)
    assert got[("かわさき起業家オーディション等の開催回数", 2020)] == (8, 8)


@pytest.mark.slow
@pytest.mark.parametrize("stem, floor", [("fy2021_web_portrait", 86.0), ("fy2021_calc_sheets", 95.0)])
def test_scanned_acceptance_portrait_and_calc_score(tmp_path, monkeypatch, stem, floor):
    """The other two released renderings scanned as the landscape is (200 dpi, seed 7), held to
    what they read today (86.3 % and 95.8 %; the issue's goal is 95 %: bench/ocr.md says what
    is still lost)."""
    monkeypatch.syspath_prepend(str(ROOT))
    from fixtures.scan import Degradation, scan_pdf

    src = ROOT.parent / "shared" / "acceptance" / f"{stem}.pdf"
    if not src.exists():
        pytest.skip("acceptance PDFs not here")
    scan = scan_pdf(src, tmp_path / f"{stem}.pdf", d=Degradation(dpi=200), seed=7)
    subprocess.run([sys.executable, "-m", "hokoku", "-q", "ingest", str(scan), "-o", str(tmp_path / "out"), "--jobs", "2"],
                   check=True, cwd=ROOT)
    out = subprocess.run([sys.executable, str(src.parent / "score.py"), "--report",
                          str(tmp_path / "out" / stem / "report.json")], capture_output=True, text=True)
    score = float(re.search(r"([0-9.]+)%", out.stdout.strip().splitlines()[-1]).group(1))
    assert score >= floor, out.stdout


def test_a_rule_run_up_through_a_bar_is_dropped_where_text_on_the_bar_crosses_it():
    """A shaded title row spanning a grid's columns keeps one cell: the column rules the header-bar
    rule runs up through it are dropped where one text line on the bar runs across them."""
    from hokoku.extract.ocr import _without_bar_rules_through_text
    from hokoku.extract.ocr_image import THROUGH_BAR, _line

    title = (40.0, 58.0, 300.0, 74.0)  # one text line on the bar, x 40–300
    crossed = {**_line(103, 55, 103, 77, 800), THROUGH_BAR: True}
    beside = {**_line(544, 55, 544, 77, 800), THROUGH_BAR: True}
    found = _line(103, 77, 103, 480, 800)  # a rule found in the image is never dropped here
    kept = _without_bar_rules_through_text([crossed, beside, found], [title], 1.5)
    assert [(ln["x0"], ln["top"]) for ln in kept] == [(544, 55), (103, 77)]
    assert not any(THROUGH_BAR in ln for ln in kept)
