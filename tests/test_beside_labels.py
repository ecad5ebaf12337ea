"""A label printed beside its content (a badge centred on a framed box): the box's first line,
which reads before the badge, is the start of the label's content, never the project's title."""
from __future__ import annotations

from hokoku.extract.beside import labels_before_content
from hokoku.extract.blocks import Label
from hokoku.extract.geometry import Line
from hokoku.extract.paragraphs import Para
from hokoku.extract.settings import ExtractSettings


def _para(text: str, x0: float, top: float, size: float = 10.0) -> Para:
    return Para(lines=[Line(text, x0, top, x0 + size * len(text), top + size, size, False, 1)])


def test_the_line_above_a_badge_joins_the_content_after_it():
    title = _para("製品開発支援事業", 64, 112, 16)
    first = _para("市内企業が新たな製品を開発できる環境を整えることで、", 147, 152)
    badge = Label("goal", 1, [66, 161, 130, 169], "施策における目標")
    rest = _para("売上の拡大を図る", 147, 168)
    out = labels_before_content([title, first, badge, rest], ExtractSettings())
    assert [type(b).__name__ for b in out] == ["Para", "Label", "Para"]
    assert out[2].text == "市内企業が新たな製品を開発できる環境を整えることで、売上の拡大を図る"


def test_a_paragraph_ending_above_the_label_stays_where_it_is():
    """The previous section's last line, printed well above the next label, is not moved."""
    prev = _para("・展示会への出展支援", 147, 120)
    label = Label("activities", 1, [66, 161, 130, 169], "主な取組")
    nxt = _para("・相談窓口の運営", 147, 168)
    out = labels_before_content([prev, label, nxt], ExtractSettings())
    assert out == [prev, label, nxt]


def test_a_sentence_beside_the_badge_is_kept_as_its_own_paragraph():
    first = _para("地域の課題を解決する。", 147, 152)
    badge = Label("goal", 1, [66, 161, 130, 169], "施策における目標")
    rest = _para("新たな事業を生み出す。", 147, 168)
    out = labels_before_content([first, badge, rest], ExtractSettings())
    assert out == [badge, first, rest]


def test_the_project_list_names_the_title_when_typography_picks_another_line():
    """A heavy line between the title and the goal label (a tagline the list does not know):
    the title is the line above it that the 施策一覧 names."""
    from hokoku.extract.patterns import load_patterns
    from hokoku.extract.segment import Segmenter

    title = _para("製品開発支援事業", 64, 100, 16)
    tagline = Para(lines=[Line("ものづくりの未来をひらく", 64, 130, 184, 140, 10, True, 1)])
    goal = Label("goal", 1, [66, 161, 130, 169], "施策における目標")
    text = _para("売上の拡大を図る", 147, 161)
    seg = Segmenter([title, tagline, goal, text], load_patterns(), ExtractSettings(), 10.0)
    assert seg._title(2, "goal", 0, {"製品開発支援事業"}) == ([0], "製品開発支援事業")
    assert seg._title(2, "goal", 0, set())[1] == "ものづくりの未来をひらく"  # no list: typography
