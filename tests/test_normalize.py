from hokoku.extract.era import fiscal_year_label, parse_era_year, shift_era_years, to_era, to_western
from hokoku.extract.normalize import join_lines, normalize_text, split_numbered, strip_bullet


def test_fullwidth_ascii_and_radicals():
    assert normalize_text("ＳＤＧｓと１２３件") == "SDGsと123件"
    assert normalize_text("⼩規模⻑期") == "小規模長期"  # ⼩ by NFKC, ⻑ by table


def test_kept_as_printed():
    assert normalize_text("（K-NIC）①※～") == "（K-NIC）①※～"
    assert normalize_text("2月14日〜2月28日") == "2月14日～2月28日"


def test_spaces_and_line_joins():
    assert join_lines(["研究開発型を中心に、幅広い", "産業分野の起業家"]) == "研究開発型を中心に、幅広い産業分野の起業家"
    assert join_lines(["Kawasaki-NEDO Innovation", "Center (K-NIC)"]) == "Kawasaki-NEDO Innovation Center (K-NIC)"
    assert join_lines(["1,0", "00円"]) == "1,000円"
    assert normalize_text("新川崎・創造のもり推進事業 ①新産業創造支援事業") == "新川崎・創造のもり推進事業 ①新産業創造支援事業"


def test_numbered_items():
    assert split_numbered("①②③様々なツール") == ([1, 2, 3], "様々なツール")
    assert split_numbered("⑥ ⑤同様、シニア") == ([6], "⑤同様、シニア")
    assert split_numbered("⑥⑤同様、シニア") == ([6], "⑤同様、シニア")  # a run counts up: ⑤ opens the text
    assert split_numbered("・本文") == ([], "本文")
    assert strip_bullet("○起業家支援拠点") == "起業家支援拠点"


def test_era_arithmetic():
    assert to_western("令和", 3) == 2021 and to_western("平成", 31) == 2019
    assert to_era(2019).label() == "令和元" and to_era(2018).label() == "平成30"
    assert fiscal_year_label(2022) == "令和4年度"
    assert parse_era_year("令和３年度") == 2021 and parse_era_year("平成元年") == 1989
    assert shift_era_years("平成30年度、令和3年度以降", 1) == "令和元年度、令和4年度以降"
