"""The HTML → Chromium rendering of the FY2021 report (shared/acceptance, drawn by other people):
PDCA letters as badges, the goal in a framed box beside its badge, KPI grids without rules
two to a row under ■ captions with descriptions and 区分/単位 columns."""
from __future__ import annotations

import pytest

from conftest import ROOT
from hokoku.extract import parse_report

PORTRAIT = ROOT.parent / "shared" / "acceptance" / "fy2021_web_portrait.pdf"


@pytest.fixture(scope="module")
def report():
    if not PORTRAIT.exists():
        pytest.skip("shared/acceptance is not beside this checkout")
    return parse_report(PORTRAIT)


def _project(report, name: str):
    return next(p for p in report.projects if p.name == name)


def test_goal_box_wrapped_beside_its_badge(report):
    """The goal box wraps to two lines beside its badge: the name is the title above it and
    the goal is whole."""
    p = _project(report, "生産性向上推進事業")
    assert p.goal == "市内中小企業の技術を活かして事業展開できる環境を整備することで、経営を改善し、成長を促進させる"
    assert p.indicators[0].name == "先端設備等導入計画の認定件数"
    assert [(v.fiscal_year, v.target, v.actual) for v in p.indicators[0].values] == [(2020, 100, 59), (2021, 100, 47)]


def test_kpi_name_over_a_description_wrapped_in_two(report):
    """p49: 「■ イベント事業等への支援件数」 over a two-line description in smaller type; the
    name is the captioned line, not the description's last line."""
    p = _project(report, "商業振興関連事業 ③地域連携事業")
    ind = p.indicators[0]
    assert ind.name == "イベント事業等への支援件数"
    assert [(v.fiscal_year, v.target, v.actual) for v in ind.values] == [(2020, 25, 2), (2021, 25, 11)]


def test_chapters_in_printed_order(report):
    titles = [(c.position, c.title) for c in report.chapters]
    assert [t for pos, t in titles if pos == "front"][:3] == ["1はじめに", "2市内産業の現状", "3中小企業活性化施策の検証体制等"]
    assert titles[-1] == ("back", "（参考）川崎市中小企業活性化のための成長戦略に関する条例")


def test_article_cell_merged_over_two_opinion_rows(report):
    """p16: each row's borders are drawn apart, so the article column's rule stops at every row
    and starts again; it runs on, and 第14条 (centred in its merged cell, in the lower row)
    holds both rows' opinions — the upper row's two were filed under 第13条."""
    ops = {a.article: a.opinions for a in report.article_opinions}
    assert [o[:12] for o in ops[13]] == ["知財活用のすそ野を広げる", "また、オンラインを活用す"]
    assert [o[:12] for o in ops[14]] == ["KBICに量子コンピュー", "また、量子コンピューター", "成長した企業の移転候補地", "若者は危機感を持ってSD"]
