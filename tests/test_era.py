"""Era arithmetic (extract/era.py): the changeover year, 元年, labels and shifts across eras."""
from __future__ import annotations

import pytest

from hokoku.extract.era import EraYear, fiscal_year_label, parse_era_year, shift_era_years, to_era, to_western, year_label


@pytest.mark.parametrize(
    "western, label",
    [(2019, "令和元年度"), (2020, "令和2年度"), (2021, "令和3年度"), (2022, "令和4年度"), (2018, "平成30年度")],
)
def test_fiscal_year_labels(western, label):
    assert fiscal_year_label(western) == label


def test_changeover_year_is_reiwa_gannen_both_ways():
    assert to_era(2019) == EraYear("令和", 1)
    assert to_western("平成", 31) == to_western("令和", 1) == 2019
    assert parse_era_year("平成31年度") == parse_era_year("令和元年度") == 2019


def test_first_year_printed_as_gan():
    assert to_era(2019).label() == "令和元"
    assert year_label(2019) == "令和元年"
    assert to_era(1989).label() == "平成元"


@pytest.mark.parametrize(
    "text, western",
    [("令和３年度", 2021), ("令和 4 年8月", 2022), ("平成元年", 1989), ("第3期 令和2年度", 2020), ("年度のみ", None)],
)
def test_parse_era_year(text, western):
    assert parse_era_year(text) == western


def test_shift_within_and_across_eras():
    assert shift_era_years("令和3年度以降の対応", 1) == "令和4年度以降の対応"
    assert shift_era_years("令和4年8月", 1) == "令和5年8月"
    assert shift_era_years("平成30年度の実績", 1) == "令和元年度の実績"
    assert shift_era_years("平成29年度から平成30年度まで", 2) == "令和元年度から令和2年度まで"
    assert shift_era_years("令和元年度", -1) == "平成30年度"
    assert shift_era_years("令和２年度", 1) == "令和3年度"  # full-width digits read, printed half-width


def test_unknown_era_is_an_error():
    with pytest.raises(ValueError):
        to_western("慶応", 1)
