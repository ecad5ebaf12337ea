"""The Word draft of FY2022 from the FY2021 ground truth: content, chapters, marks, the report's look in the XML."""
from __future__ import annotations

import json
import unicodedata
import zipfile
from pathlib import Path

import pytest
from docx import Document

from hokoku.cli import main as hokoku_main
from hokoku.extract.model import Chapter, Report, Table
from hokoku.outputs.draft import build_draft
from hokoku.outputs.draft.template import DEFAULT_TEMPLATE

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Sentences of the report's はじめに: one stating the report's year (changes next year), one a fact of the past.
INTRO_FIGURE = "本報告書は、条例の規定に基づき、令和3（2021）年度の中小企業活性化施策の実施状況及び検証結果を取りまとめたものです。"
INTRO_PLAIN = "本市においては、この要望書の趣旨を踏まえ、平成27（2015）年12月に条例を制定したものです。"


def draft_report() -> Report:
    """r3_expected.json as a Report, with the city and a front and a back chapter as extraction gives them."""
    d = json.loads((ROOT / "tests/data/r3_expected.json").read_text(encoding="utf-8"))
    d["source"] = {"file": "r3_expected.json", "sha256": "r3", "pages": 82}
    r = Report.from_dict(d)
    r.report.organisation = "川崎市"
    r.chapters = [
        Chapter("1 はじめに", [INTRO_FIGURE, INTRO_PLAIN], [Table("市内の事業所", ["区分", "事業所数"], [["中小企業", "40,000"]])], [3]),
        Chapter("（参考）川崎市中小企業活性化のための成長戦略に関する条例", ["（目的）この条例は、中小企業の活性化に関し、基本理念を定める。"],
                pages=[73], position="back"),
    ]
    return r


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft") / "draft.docx"
    summary = build_draft(draft_report(), out)
    return out, summary, Document(str(out))


def xml(path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def body_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_years_advanced_and_no_leftover_current_year(draft):
    path, summary, doc = draft
    assert summary.fiscal_year == 2022
    text = xml(path)
    assert "令和4年度" in text and "令和5年8月" in text
    assert "令和5年度以降の対応" in text and "令和5年度の実施計画" in text
    labels = [p.text for p in doc.paragraphs if p.style.name in ("Title", "Heading 1", "Heading 2", "Heading 3")]
    labels += [p.text for p in doc.sections[0].header.paragraphs]
    assert labels and not [t for t in labels if "令和3年度" in t and "前年度" not in t]
    assert "令和4年度以降の対応" not in text and "{{" not in text and "{%" not in text


def test_cover_is_centred_with_city_and_date(draft):
    _, _, doc = draft
    cover = {p.text: p for p in doc.paragraphs[:30] if p.text}
    assert {"令和4年度", "中小企業活性化施策実施状況報告書", "令和5年8月", "川崎市"} <= set(cover)
    for text in ("令和4年度", "令和5年8月", "川崎市"):
        p = cover[text]
        align = p.alignment if p.alignment is not None else p.style.paragraph_format.alignment
        assert align == 1  # WD_ALIGN_PARAGRAPH.CENTER


def test_every_project_in_order_with_article(draft, expected):
    _, _, doc = draft
    headings = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    names = [p["name"] for p in expected["projects"] if p["kind"] == "verified"]
    positions = [headings.index(n) for n in names]
    assert positions == sorted(positions)
    assert headings.index("第12条 創業、経営の革新等の促進") < headings.index("起業化総合支援事業")
    assert headings.index("第19条 受注機会の増大等") < headings.index("受注機会の増大等")


def test_chapters_front_and_back_with_revise_marks(draft):
    _, summary, doc = draft
    texts = body_texts(doc)
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads.index("1 はじめに") < heads.index("令和4年度中小企業活性化施策の実施状況")
    assert heads[-1] == "（参考）川崎市中小企業活性化のための成長戦略に関する条例"
    assert "【要修正】" + INTRO_FIGURE in texts  # the report's year: to be checked for FY2022
    assert INTRO_PLAIN in texts  # a date of the past: kept as printed, no mark
    table = next(t for t in doc.tables if t.cell(0, 0).text == "区分")
    assert [c.text for c in table.rows[1].cells] == ["中小企業", "40,000"]
    assert summary.marks["1 はじめに"] == 2  # the paragraph and the table of statistics (40,000)


def test_kpi_tables_have_last_year_and_marked_new_year(draft):
    _, _, doc = draft
    kpis = [t for t in doc.tables if t.cell(0, 1).text == "R3 (2021) 年度"]
    first = kpis[0]
    assert first.cell(0, 2).text == "R4 (2022) 年度"
    assert [first.cell(1, 0).text, first.cell(1, 1).text, first.cell(2, 1).text] == ["目標 (件)", "100", "183"]
    assert first.cell(1, 2).text == first.cell(2, 2).text == "【要記入】"
    assert len(kpis) == sum(1 for p in doc.paragraphs if p.text.startswith("○"))


def test_tables_repeat_header_rows_never_split_and_right_align_numbers(draft):
    path, _, doc = draft
    text = xml(path)
    n_rows = text.count("<w:tr>") + text.count("<w:tr ")
    assert text.count("<w:cantSplit/>") == n_rows > 100
    assert text.count("<w:tblHeader/>") >= len(doc.tables)
    first = next(t for t in doc.tables if t.cell(0, 1).text == "R3 (2021) 年度")
    header = first.rows[0]._tr
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    assert header.find(f"{W}tc/{W}tcPr/{W}shd").get(f"{W}fill") == "D9D9D9"
    for i in (1, 2):
        for j in (1, 2):
            assert first.cell(i, j).paragraphs[0].alignment == 2  # RIGHT: "183" lines up with "1,455"
    assert first.cell(1, 0).paragraphs[0].alignment is None


def test_follow_up_box_pairs_checks_with_actions(draft, expected):
    _, _, doc = draft
    boxes = [t for t in doc.tables if t.cell(0, 1).text == "対応"]
    rows = [(r.cells[0].text, r.cells[1].text) for t in boxes for r in t.rows[1:]]
    n_checks = sum(len(p["check"]) for p in expected["projects"] if p["kind"] == "verified")
    assert len(rows) == n_checks
    first = rows[0]
    assert first[0].startswith("①K-NICにおいて創業者の支援") and first[1].startswith("K-NICに係る事業と他事業の連携")
    seisan = next(r for r in rows if r[0].startswith("②生産性向上に関しては"))
    assert seisan[1].startswith("様々なツールの取組事例")  # the Action printed ①②③ answers Check ②


def test_marks_are_counted_per_project(draft):
    path, summary, _ = draft
    assert summary.marks["起業化総合支援事業"] == 6 + 4  # 3 KPI tables × 2 cells, Do, Check, Action, next plan
    assert summary.total == xml(path).count("【要記入】") + xml(path).count("【要修正】")
    marks = [r for r in Document(str(path)).paragraphs[-40:] for r in r.runs if r.text == "【要記入】"]
    assert marks and all(r.font.highlight_color == 7 and r.bold for r in marks)  # 7: WD_COLOR_INDEX.YELLOW


def test_other_projects_seeded_from_last_years_overview(draft):
    _, _, doc = draft
    t = next(t for t in doc.tables if t.cell(0, 0).text == "医工連携等推進事業")
    assert t.cell(1, 0).text == "令和5年度の概要" and t.cell(1, 1).text == "令和4年度の実績"
    assert t.cell(2, 0).text == "【要記入】"
    assert "【要修正】" in t.cell(2, 1).text and "ものづくり企業等の医療分野への参入" in t.cell(2, 1).text


def test_styles_carry_east_asian_fonts_bands_and_compact_spacing():
    doc = Document(str(DEFAULT_TEMPLATE))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    fonts = {name: doc.styles[name].element.rPr.rFonts.get(f"{W}eastAsia") for name in ("Normal", "Heading 1", "Heading 2", "Heading 3")}
    assert fonts == {"Normal": "游明朝", "Heading 1": "游ゴシック", "Heading 2": "游ゴシック", "Heading 3": "游ゴシック"}
    for name in ("Heading 1", "Heading 3"):  # section bands: navy fill, white text
        assert doc.styles[name].element.pPr.find(f"{W}shd").get(f"{W}fill") == "1F3A5F"
        assert str(doc.styles[name].font.color.rgb) == "FFFFFF"
    normal = doc.styles["Normal"].paragraph_format
    assert (normal.space_after.pt, normal.line_spacing) == (0.0, 1.0)
    styles = xml(DEFAULT_TEMPLATE, "word/styles.xml")
    defaults = styles[styles.index("<w:docDefaults>"):styles.index("</w:docDefaults>")]
    assert "w:spacing" not in defaults and 'w:eastAsia="ja-JP"' in defaults


def test_default_template_is_rebuilt_reproducibly(tmp_path):
    from hokoku.outputs.draft.template import build_default_template

    again = build_default_template(tmp_path / "default.docx")
    assert again.read_bytes() == DEFAULT_TEMPLATE.read_bytes()  # the committed file is what the code builds


def test_draft_has_toc_field_page_number_and_real_properties(draft):
    path, _, doc = draft
    footer = xml(path, "word/footer1.xml")
    assert 'TOC \\o "1-2"' in xml(path)
    assert footer.count(">PAGE<") == 1 and xml(path, "word/settings.xml").count("w:updateFields") == 1
    core = doc.core_properties
    assert core.title == "令和4年度 中小企業活性化施策実施状況報告書" and core.author == "川崎市"
    assert core.created.year >= 2025 and core.created.date() == core.modified.date()
    assert "python-docx" not in xml(path, "docProps/core.xml")


def test_unstorable_text_does_not_crash(tmp_path):
    r = draft_report()
    p = r.projects[0]
    p.check[0].text = "壊れた\ud800文字\x00と制御\x07文字"
    p.name = "起業化\udcff支援"
    r.chapters[0].paragraphs.append("NUL\x00入り")
    summary = build_draft(r, tmp_path / "d.docx")
    texts = [c.text for t in Document(str(tmp_path / "d.docx")).tables for c in t.columns[0].cells]
    assert any(t.startswith("①壊れた\ufffd文字\ufffdと制御\ufffd文字") for t in texts)
    assert summary.marks["起業化\ufffd支援"] == 10


def write_report(tmp_path, report: Report) -> Path:
    src = tmp_path / "report.json"
    src.write_text(json.dumps(report.to_dict(), ensure_ascii=False), encoding="utf-8")
    return src


def test_cli_marks_table_on_stderr_and_themes_in_follow_up(tmp_path, capsys):
    src = write_report(tmp_path, draft_report())
    themes = tmp_path / "themes.json"
    rec = {"source": "r3", "project": "起業化総合支援事業", "article": 12, "kind": "check", "no": 1, "text": "…"}
    themes.write_text(json.dumps([{**rec, "fiscal_year": 2021, "themes": ["startup", "collaboration"]},
                                  {**rec, "fiscal_year": 2020, "themes": ["covid"]}],  # other year: ignored
                                 ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "d.docx"
    assert hokoku_main(["draft", str(src), "-o", str(out), "--with-themes", str(themes)]) == 0
    cap = capsys.readouterr()
    assert cap.out == ""
    lines = cap.err.splitlines()
    row = next(x for x in lines if x.strip().startswith("起業化総合支援事業"))
    assert row.split()[-1] == "10"
    assert lines[0].endswith("places to fill: 【要記入】 194、【要修正】 29、【要確認】 0")  # each kind counted
    assert lines[1].split() == ["事業名", "要記入", "要修正", "要確認", "計"]
    assert lines[-1].split() == ["合計", "194", "29", "0", "223"]  # 221 in the projects, 2 in はじめに
    widths = {sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in x) for x in lines[1:]}
    assert len(widths) == 1  # names are padded by display width, so the counts line up
    box = next(t for t in Document(str(out)).tables if t.cell(0, 1).text == "対応")
    assert box.cell(1, 0).paragraphs[-1].text == "テーマ：創業・ベンチャー、連携・マッチング"


@pytest.mark.parametrize("args, message", [
    (["--with-themes", "{themes}"], "themes.json"),
    (["-o", "{tmp}/d.doc"], "d.doc: the draft must be a .docx file"),
    (["--questionnaire", "{tmp}/q.csv"], "q.csv: the questionnaire must be a .xlsx file"),
])
def test_cli_bad_arguments_are_one_line_errors(tmp_path, capsys, args, message):
    src = write_report(tmp_path, draft_report())
    bad = tmp_path / "themes.json"
    bad.write_text("{}", encoding="utf-8")
    argv = ["draft", str(src), "-o", str(tmp_path / "d.docx")] + [a.format(themes=bad, tmp=tmp_path) for a in args]
    assert hokoku_main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and message in err
