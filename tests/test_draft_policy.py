"""The marking policy (marking.toml) on sentences of the FY2021 report: what changes next year is marked, history is not."""
from __future__ import annotations

import pytest

from hokoku.outputs.draft.policy import AS_OF, FIGURE, PERIOD, YEAR, policy

FY0 = 2021


@pytest.mark.parametrize("text, reasons", [
    ("本報告書は、条例の規定に基づき、令和3（2021）年度の中小企業活性化施策の実施状況及び検証結果を取りまとめたものです。", {YEAR}),
    ("「かわさき産業振興プラン第2期実行プログラム〈平成30（2018）年度－令和3（2021）年度〉」の最終年度にあたる", {YEAR, PERIOD}),
    ("計画期間は令和元年度から3年度まで", {PERIOD}),  # the end printed without its era
    ("図表「川崎市産業振興協議会」委員名簿（令和4年8月現在）", {AS_OF}),
    ("平成28（2016）年の事業所数は40,934となり、平成26（2014）年から1,682事業所減少（約4%減）しました。", {FIGURE}),
    ("２０２１年度の相談件数は１，２３４件でした。", {YEAR, FIGURE}),  # full-width digits are the same year and figure
])
def test_text_that_changes_next_year_is_marked_with_its_reason(text, reasons):
    assert policy().reasons(text, FY0) == reasons


@pytest.mark.parametrize("text", [
    "本市においては、この要望書の趣旨を踏まえ、平成27（2015）年12月に「川崎市中小企業活性化のための成長戦略に関する条例」を制定したものです。",
    "特徴その1経済界との連携により中小企業の活性化を目指します！",
    "*平成28年経済センサスでの従業者数300人未満の事業所数・従業者数の構成比",  # a threshold, not a statistic
    "川崎市の中小企業は、事業所数の99.1%、従業者数の76.8%など市内の大半を占めています。",  # no year: not tied to one
    "川崎市総合計画第3期実施計画〔計画期間：令和4（2022）年度から令和7（2025）年度〕における位置付け",  # a period ending later
])
def test_dates_and_facts_of_the_past_are_not_marked(text):
    assert policy().reasons(text, FY0) == set()


def test_a_title_gets_next_years_year_in_the_same_form():
    p = policy()
    assert p.advance("4令和3（2021）年度中小企業活性化施策の実施状況", FY0) == "4令和4（2022）年度中小企業活性化施策の実施状況"
    assert p.advance("2021年度の概要（平成27年制定）", FY0) == "2022年度の概要（平成27年制定）"
    assert p.advance("平成30年度の実績", 2018) == "令和元年度の実績"  # across the era change, through extract/era.py
