"""The 目次 names the chapters: entries with or without leaders, the leftmost indent as chapters,
and the 目次 page itself never a chapter (its 「（参考）…」 line is an entry, not the appendix)."""
from __future__ import annotations

from conftest import parsed_report
from hokoku.extract.geometry import Line
from hokoku.extract.paragraphs import Para
from hokoku.extract.patterns import load_patterns
from hokoku.extract.settings import ExtractSettings
from hokoku.extract.toc import read_toc

FRONT = ["1はじめに", "2市内産業の現状", "3中小企業活性化施策の検証体制等"]


def _seg(text: str, x0: float, top: float, page: int = 2) -> Para:
    return Para(lines=[Line(text, x0, top, x0 + 10 * len(text), top + 10, 10, False, page)])


def test_entries_with_the_page_number_flush_right_and_no_leaders():
    blocks = [_seg("目 次", 260, 77), _seg("1 はじめに", 65, 125), _seg("1", 524, 125),
              _seg("(1) 産業構造", 85, 167), _seg("3", 525, 167),
              _seg("2 市内産業の現状", 65, 185), _seg("3", 524, 185),
              _seg("本文の段落", 65, 80, page=3)]
    entries, pages = read_toc(blocks, load_patterns(), ExtractSettings())
    assert [(e.title, e.page, e.top_level) for e in entries] == [
        ("1はじめに", 1, True), ("(1)産業構造", 3, False), ("2市内産業の現状", 3, True)]
    assert pages == {2}


def test_entries_with_leaders_without_a_heading():
    blocks = [_seg("1 はじめに……………1", 65, 125), _seg("2 市内産業の現状…………3", 65, 145)]
    entries, pages = read_toc(blocks, load_patterns(), ExtractSettings())
    assert [(e.title, e.page) for e in entries] == [("1はじめに", 1), ("2市内産業の現状", 3)]
    assert pages == {2}


def _chapters(report) -> list[tuple[str, str]]:
    return [(c.position, c.title) for c in report.chapters]


def test_own_portrait_fixture_chapters_in_printed_order():
    """r3_portrait's 目次 (「― 目次 ―」, numbers flush right) lists the appendix too; the
    front chapters are はじめに, 市内産業の現状, 検証体制 in that order."""
    got = _chapters(parsed_report("r3_portrait"))
    assert [t for pos, t in got if pos == "front"][:3] == FRONT
    assert [pos for pos, _ in got] == ["front"] * 4 + ["back"]
    assert got[-1][1].endswith("川崎市中小企業活性化のための成長戦略に関する条例")
