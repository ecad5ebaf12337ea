"""The Calc evaluation-sheet rendering of the FY2021 report (shared/acceptance, drawn by other
people): Check | Action rows cut by a page break, the label column printed again with 「（続き）」,
and the sheet's print-title row repeated as the first ruled row of every page."""
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
