"""The Calc evaluation-sheet rendering of the FY2021 report (shared/acceptance, drawn by other
people): each KPI as a 指標名 row over its own 区分/単位/year grid, and その他の事業 as one
条文/事業名/実績/概要 grid with the 条文 cell merged down its rows and names printed again with
「（続き）」 after a page break; Check | Action rows cut by a page break, the label column printed
again with 「（続き）」, and the sheet's print-title row repeated as the first ruled row of every page."""
from __future__ import annotations

import pytest

from conftest import ROOT
from hokoku.extract import parse_report
from hokoku.extract.patterns import load_patterns

CALC = ROOT.parent / "shared" / "acceptance" / "fy2021_calc_sheets.pdf"


@pytest.fixture(scope="module")
def report():
    if not CALC.exists():
        pytest.skip("shared/acceptance is not beside this checkout")
    return parse_report(CALC)


def _project(report, name: str):
    return next(p for p in report.projects if p.name == name)


def _values(ind) -> list[tuple]:
    return [(v.fiscal_year, v.target, v.actual) for v in ind.values]


def test_name_label_row_gives_the_indicator_name():
    """The label cell and the cell beside it (any label variant), or the name after a colon."""
    pats = load_patterns(None)
    name = "かわさき起業家オーディション等の開催回数"
    assert pats.kpi_name_of(["", "指標名", name, ""]) == name
    assert pats.kpi_name_of(["成果指標名", "", name]) == name
    assert pats.kpi_name_of([f"指標名：{name}"]) == name
    assert pats.kpi_name_of(["指標名", ""]) is None  # a label naming nothing
    assert pats.kpi_name_of(["目標", "8"]) is None


def test_kpi_named_by_its_name_row(report):
    """p7: three grids under one 主な成果・活動指標 label, each under its own 指標名 row."""
    p = _project(report, "起業化総合支援事業")
    names = [i.name for i in p.indicators]
    assert names == ["川崎市創業支援事業計画全体での創業実績件数", "かわさき起業家オーディション等の開催回数",
                     "研究開発型のベンチャー企業等への個別・集中支援の実施件数"]
    audition = p.indicators[1]
    assert (audition.unit, _values(audition)) == ("回", [(2020, 8, 8), (2021, 8, 8)])
    assert _values(p.indicators[0]) == [(2020, 95, 201), (2021, 100, 183)]


def test_kpi_whose_name_row_is_the_grids_first_row(report):
    """p22: the 指標名 row is read as the grid's own first row; the name is the cell beside the
    label, not the row's text with the policy and sheet number filled into it."""
    p = _project(report, "生産性向上推進事業")
    [ind] = p.indicators
    assert ind.name == "先端設備等導入計画の認定件数"
    assert _values(ind) == [(2020, 100, 59), (2021, 100, 47)]
    assert ind.values[0].actual_text == "59（新規38件・変更21件）"


def test_reference_indicator_in_a_name_cell(report):
    """「【参考】知的財産マッチング成立件数」: a 参考 indicator, named without the mark."""
    ind = next(i for i in _project(report, "知的財産戦略の推進").indicators if "マッチング" in i.name)
    assert (ind.name, ind.reference) == ("知的財産マッチング成立件数", True)
    assert _values(ind) == [(2020, None, 2), (2021, None, 3)]


def test_other_projects_from_the_name_column(report):
    """その他の事業: every row group of the 事業名 column is a project of kind other, with the
    article of its 条文 cell (「12条」 over the policy, 「13条連携の促進」, 「14条（続き）」)."""
    others = [(p.name, p.article) for p in report.projects if p.kind == "other"]
    assert len(others) == 27
    assert others[:6] == [("医工連携等推進事業", 12), ("ソーシャルビジネス振興事業", 12), ("環境調和型産業振興事業", 12),
                          ("クリエイティブ産業活用促進事業", 13), ("産業立地地区活性化推進事業", 14),
                          ("先端産業等立地促進事業", 14)]
    assert others[-1] == ("対内投資促進事業", 18)
    assert not any("続き" in name for name, _ in others)


def test_other_project_going_on_past_a_break_is_one_project(report):
    """技能奨励事業 goes on over the page break with its name printed again 「（続き）」: one
    project, its 実績 and 概要 columns read into results and next_plan."""
    p = _project(report, "技能奨励事業")
    assert (p.kind, p.article) == ("other", 17)
    assert p.results[0] == "(1)川崎市技能職団体連絡協議会活動支援"
    assert any(r.startswith("(9)「かわさきマイスター」による技能奨励") for r in p.results)
    assert p.next_plan[0] == "(1)川崎市技能職団体連絡協議会活動支援"


def test_other_part_ends_the_last_verified_project(report):
    """The grid's title row 「その他の事業（第12条から第18条）」 opens the part: 受注機会の増大等
    stops on its own sheet's pages."""
    p = _project(report, "受注機会の増大等")
    assert p.pages[-1] < _project(report, "医工連携等推進事業").pages[0]
    assert not p.tables or all("事業名" not in " ".join(t.header) for t in p.tables)


def test_label_marked_continued_is_the_label():
    pats = load_patterns(None)
    assert pats.heading("検証・改善（Check・Action）（続き）") == "check"
    assert pats.heading("主な検証意見（続）") == "check"
    assert pats.heading("（続き）") is None  # the mark alone is no label


def test_check_after_a_page_break_stays_a_check(report):
    """p24 opens with the label column printed again (「検証・改善（Check・Action）（続き）」) beside
    the column heads: ⑤ is the fifth Check, not an Action, and no Action ends in 「検証」."""
    p = _project(report, "生産性向上推進事業")
    assert [c.no for c in p.check] == [1, 2, 3, 4, 5]
    assert p.check[4].text.startswith("生産性向上の取組の見える化は重要であるが")
    assert p.check[4].text.endswith("生産性向上のポイントになる。")
    assert [a.answers for a in p.action] == [[1, 2, 3], [4], [5]]
    assert not any(a.text.endswith("検証") for a in p.action)


def test_print_title_row_is_not_content(report):
    """p39's first ruled row 「令和３年度 事務事業評価シート（…） シートNo. 14」 is printed on every
    sheet: it does not end the Action cut off at the foot of p38."""
    p = _project(report, "観光振興事業・産業観光推進事業")
    assert p.action[2].text.endswith("ツアー造成なども検討していく。")
    assert not any("シートNo" in a.text or "シートNo" in c.text for a in p.action for c in p.check)


def test_trace_says_what_was_joined_and_dropped_and_why():
    """`hokoku debug --trace --page 24` lists the decisions taken on p24: the print-title row
    dropped and the sheet's table joined to the one of p23, each with its reason."""
    import subprocess
    import sys

    if not CALC.exists():
        pytest.skip("shared/acceptance is not beside this checkout")
    run = subprocess.run([sys.executable, "-m", "hokoku", "debug", str(CALC), "--trace", "--page", "24"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines == [
        "p24 print-title: dropped the table's first 1 row(s) — the same words at the same height open many pages",
        "p24 table-continues: the table opening the page joins the one of p23 — it opens the page, has the same "
        "columns and starts no new table"]
    assert "2 decision(s) on page 24" in run.stderr
