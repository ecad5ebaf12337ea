"""The spreadsheet-printed fixtures (fixtures/calc/, issue 10): Excel evaluation sheets printed by
LibreOffice Calc. First what the PDFs are (text layer, print setup, variations), then their parse
against the FY2021 ground truth — which fails until the extractor reads spreadsheet layouts."""
from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache

import pdfplumber
import pytest
from openpyxl import load_workbook

from conftest import FIXTURES
from hokoku.extract.normalize import normalize_text
from hokoku.outputs.soffice import find_soffice

CALC = FIXTURES / "calc"
VARIANTS = ["r3_calc_portrait", "r3_calc_landscape", "r3_calc_stacked", "r3_calc_named"]
LABEL_FILL = (0.851, 0.886, 0.953)  # render_calc.LABEL_FILL, D9E2F3
SWITCHES = {"orientation": {"portrait", "landscape"}, "labels": {"bracket", "tag_first"},
            "years": {"short", "era", "western"}, "unit_column": {True, False},
            "check_action": {"side_by_side", "stacked"}, "kpi_name": {"lines", "name_row"},
            "others_title": {"sheet", "grid"}}  # render_calc.OPTION_CHOICES


@lru_cache(maxsize=None)
def _pages(name: str) -> tuple[str, ...]:
    with pdfplumber.open(CALC / f"{name}.pdf") as pdf:
        return tuple(page.extract_text() or "" for page in pdf.pages)


def _meta(name: str) -> dict:
    return json.loads((CALC / f"{name}.pages.json").read_text(encoding="utf-8"))


def _project_text(name: str, project: str) -> str:
    meta = _meta(name)
    first = meta["first_numbered_pdf_page"]
    return "\n".join(_pages(name)[n + first - 2] for n in meta["projects"][project])


def _flat(text: str) -> str:
    return normalize_text(text).replace(" ", "")


@pytest.mark.parametrize("name", VARIANTS)
def test_text_layer_carries_the_seed_values(name):
    """A KPI's 2021 actual on the indicator's own line (or its 実績 row), a Check item's text,
    and the label beside its content on one text line."""
    text = _project_text(name, "起業化総合支援事業")
    lines = [_flat(ln) for ln in text.splitlines()]
    indicator = "川崎市創業支援事業計画全体での創業"
    k = next(i for i, ln in enumerate(lines) if indicator in ln)
    if _meta(name)["options"]["unit_column"]:  # 指標名 | 単位 | R2 目標 実績 | R3 目標 実績
        assert lines[k].endswith("件95201100183"), lines[k]
    elif _meta(name)["options"]["kpi_name"] == "name_row":  # 指標名 | name, 区分 | 単位 | years, 目標 | 件 …
        assert lines[k].startswith("指標名") and lines[k + 1].startswith("区分単位"), lines[k:k + 2]
        assert lines[k + 3].endswith("実績件201183"), lines[k:k + 4]
    else:  # the printed grid under the name: years, 目標 (件), 実績 (件)
        assert lines[k + 3].endswith("実績(件)201183"), lines[k:k + 4]
    assert any("①K-NICにおいて創業者の支援を" in ln for ln in lines)
    assert any(ln.startswith("施策における目標次代を支える産業を創出するため") for ln in lines)
    assert len(_pages(name)) >= 40


@pytest.mark.parametrize("name", VARIANTS)
def test_every_page_of_a_project_repeats_its_header_rows(name):
    """Print titles: 事務事業名 / 条文 / 施策 on each page of the sheet; pages listed in 施策一覧."""
    meta = _meta(name)
    pages = meta["projects"]["生産性向上推進事業"]
    assert len(pages) >= 2
    for n in pages:
        page = _flat(_pages(name)[n + meta["first_numbered_pdf_page"] - 2])
        assert "事務事業名" in page and "生産性向上推進事業" in page and "15条" in page
    listing = _flat(_pages(name)[meta["first_numbered_pdf_page"] - 1])
    assert f"生産性向上推進事業{pages[0]}-{pages[-1]}" in listing


def test_variants_cover_every_switch():
    """Between them the committed PDFs show every value of every switch of render_calc."""
    options = [_meta(name)["options"] for name in VARIANTS]
    for key, values in SWITCHES.items():
        assert {o[key] for o in options} == values, key
    portrait, landscape, stacked, named = (_flat("".join(_pages(n))) for n in VARIANTS)
    assert "R3年度(2021)" in portrait and "事業計画（Plan）" in portrait and "単位" in portrait
    assert "Plan事業計画" in landscape and "令和2年度令和3年度" in landscape
    assert "2020年度2021年度" in stacked and "検証・改善" not in stacked
    assert "指標名かわさき起業家オーディション等の開催回数" in named and "指標名" not in landscape
    assert "その他の事業（第12条から第18条）" in named and "条文事業名令和3年度の実績" in named


@pytest.mark.parametrize("name", VARIANTS)
def test_workbook_print_setup(name):
    """A4, orientation per options, fit to one page wide, header rows as print titles, merged cells."""
    wb = load_workbook(CALC / f"{name}.xlsx")
    ws = next(w for w in wb.worksheets if w["B2"].value == "事務事業名" or w["A2"].value == "事務事業名")
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == _meta(name)["options"]["orientation"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$3"
    assert ws["I2"].value == "起業化総合支援事業"
    assert len(ws.merged_cells.ranges) > 30
    assert [w.title for w in wb.worksheets][:3] == ["表紙", "施策一覧", "条文ごとの主な検証意見"]
    assert wb.worksheets[-1].title == "その他の事業"


def test_shaded_label_cells_are_painted_as_filled_rectangles():
    """Calc paints the shaded label column as filled rectangles (several label cells of the same
    colour in consecutive rows become one rectangle); cell borders are separate lines."""
    name = "r3_calc_portrait"
    first = _meta(name)["projects"]["起業化総合支援事業"][0] + _meta(name)["first_numbered_pdf_page"] - 2
    with pdfplumber.open(CALC / f"{name}.pdf") as pdf:
        page = pdf.pages[first]
        fills = [r for r in page.rects if r["fill"] and
                 tuple(round(c, 3) for c in r["non_stroking_color"]) == LABEL_FILL]
        words = page.extract_words()
        plan = next(w for w in words if w["text"].startswith("事業計画"))
        goal = next(w for w in words if w["text"].startswith("施策における目標"))
        assert len(page.lines) > 20 and not any(r["stroke"] for r in fills)
    around = [r for r in fills if r["x0"] <= plan["x0"] and r["top"] <= plan["top"] and r["bottom"] >= plan["bottom"]]
    assert len(around) == 1
    assert around[0]["top"] <= goal["top"] and around[0]["bottom"] >= goal["bottom"]  # one rectangle, two label cells


@pytest.mark.slow
@pytest.mark.soffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_generator_renders_a_seeded_workbook(tmp_path):
    """`python -m fixtures.render_calc --seed N` end to end: workbook, PDF and page map."""
    subprocess.run([sys.executable, "-m", "fixtures.render_calc", "--seed", "11", "--out", str(tmp_path)],
                   cwd=FIXTURES.parent, check=True, capture_output=True, timeout=900)
    meta = json.loads((tmp_path / "r3_calc_seed11.pages.json").read_text(encoding="utf-8"))
    assert set(meta["options"]) == set(SWITCHES) and len(meta["projects"]) == 19
    with pdfplumber.open(tmp_path / "r3_calc_seed11.pdf") as pdf:
        first = meta["projects"]["起業化総合支援事業"][0] + meta["first_numbered_pdf_page"] - 2
        page = _flat(pdf.pages[first].extract_text())
    assert "事務事業名" in page and "次代を支える産業を創出するため" in page and "183" in page
    assert (tmp_path / "r3_calc_seed11.xlsx").stat().st_size > 0


# ------------------------------------------------------------------ the parse (issue 10)

EXPECTED = json.loads((FIXTURES.parent / "tests/data/r3_expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=VARIANTS)
def parsed(request) -> tuple[str, dict]:
    """One parse per PDF (a failure is cached by pytest for the module too)."""
    from hokoku.extract import parse_report

    return request.param, parse_report(CALC / f"{request.param}.pdf").to_dict(provenance=False)


def _kpis(p: dict) -> list:
    return [(i["name"], i["unit"], [(v["fiscal_year"], v["target"], v["actual"], v["target_text"], v["actual_text"])
                                    for v in i["values"]]) for i in p["indicators"]]


def test_parse_finds_the_verified_projects_and_their_values(parsed):
    """Field-by-field scores of these PDFs are held in tests/test_zoo.py; here, values."""
    _, got = parsed
    verified = [(p["name"], p["article"]) for p in got["projects"] if p["kind"] == "verified"]
    assert verified == [(p["name"], p["article"]) for p in EXPECTED["projects"] if p["kind"] == "verified"]
    by_name = {p["name"]: p for p in got["projects"]}
    kigyo = by_name["起業化総合支援事業"]
    v2021 = next(v for v in kigyo["indicators"][0]["values"] if v["fiscal_year"] == 2021)
    assert (v2021["target"], v2021["actual"], kigyo["indicators"][0]["unit"]) == (100, 183, "件")
    assert kigyo["goal"] == next(p["goal"] for p in EXPECTED["projects"] if p["name"] == "起業化総合支援事業")
    assert by_name["生産性向上推進事業"]["action"][0]["answers"] == [1, 2, 3]


def test_parse_reads_opinions_and_report(parsed):
    _, got = parsed
    assert {k: got["report"][k] for k in EXPECTED["report"]} == EXPECTED["report"]
    assert [{k: o[k] for k in ("article", "policy", "opinions")} for o in got["article_opinions"]] == \
        EXPECTED["article_opinions"]


# Projects whose Check | Action table a page break cuts (in one rendering or another): rows going
# on under no header, a label printed below the table or into a header cell, a title row between.
CUT_CHECKS = ["商業振興関連事業 ③地域連携事業", "受注機会の増大等", "生産性向上推進事業",
              "工業振興関連事業 ②内陸部操業環境保全対策事業", "商業振興関連事業 ④まちづくり連動事業",
              "海外展開関連事業 ②国際環境産業推進事業", "農業振興関連事業多様な連携推進事業", "起業化総合支援事業"]


def _items(items: list, *keys: str) -> list:
    return [tuple(it[k] for k in keys) + (it["text"][:40],) for it in items]


@pytest.mark.parametrize("project", CUT_CHECKS)
def test_check_and_action_items_across_page_breaks(parsed, project):
    """Every Check item lands in `check` with its number and every Action in `action` with the
    Checks it answers, also where the table goes on past a page break (「②商店街では事業承継が…」
    is ③地域連携事業's Check 2, not an Action)."""
    _, got = parsed
    want = next(p for p in EXPECTED["projects"] if p["name"] == project)
    proj = next(p for p in got["projects"] if p["name"] == project)
    assert _items(proj["check"], "no") == _items(want["check"], "no")
    assert _items(proj["action"], "no", "answers") == _items(want["action"], "no", "answers")


def test_other_projects_named_where_a_page_break_cut_their_name_cell(parsed):
    """その他の事業 whose merged name cell crosses a page break: the name printed outside the table
    (or over the next page's header) still names a project of its own, with its article; an
    article cell printed outside (「16条」) is no project."""
    _, got = parsed
    others = sorted((p["name"], p["article"]) for p in got["projects"] if p["kind"] == "other")
    assert others == sorted((p["name"], p["article"]) for p in EXPECTED["projects"] if p["kind"] == "other")
    skills = next(p for p in got["projects"] if p["name"] == "技能奨励事業")
    want = next(p for p in EXPECTED["projects"] if p["name"] == "技能奨励事業")
    assert (skills["kind"], skills["article"]) == ("other", 17)
    assert skills["results"][:2] == want["results"][:2]


def test_named_grids_read_every_indicator():
    """r3_calc_named: each indicator a 指標名 | name row over its own 区分/単位/year grid, the
    unit in its own column; every indicator of every verified project read by name and value."""
    from hokoku.extract import parse_report

    got = {p["name"]: p for p in parse_report(CALC / "r3_calc_named.pdf").to_dict(provenance=False)["projects"]}
    for want in EXPECTED["projects"]:
        if want["kind"] == "verified":
            assert [(n, vals) for n, _, vals in _kpis(got[want["name"]])] == \
                [(n, vals) for n, _, vals in _kpis(want)], want["name"]
    audition = got["起業化総合支援事業"]["indicators"][1]
    assert (audition["name"], audition["unit"]) == ("かわさき起業家オーディション等の開催回数", "回")
    assert [(v["fiscal_year"], v["target"], v["actual"]) for v in audition["values"]] == [(2020, 8, 8), (2021, 8, 8)]


def test_cells_printed_past_a_break_are_no_content():
    """r3_calc_named: Calc centres a merged cell's text on its whole range, so a page break
    leaves a name (「中小企業融資制度事業」 above the next page's header) or an article with its
    policy (「15条」「経営基盤の強」… under the last row) outside the grid: they name the project
    and give its article, and none of them is read as an item of 概要 or 実績."""
    from hokoku.extract import parse_report

    got = {p["name"]: p for p in parse_report(CALC / "r3_calc_named.pdf").to_dict(provenance=False)["projects"]}
    for name in ("中小企業融資制度事業", "担い手育成・多様な連携推進事業", "産業振興協議会等推進事業", "技能奨励事業"):
        want = next(p for p in EXPECTED["projects"] if p["name"] == name)
        assert (got[name]["kind"], got[name]["article"]) == ("other", want["article"])
        assert got[name]["next_plan"] == want["next_plan"], name
        assert got[name]["results"] == want["results"], name
