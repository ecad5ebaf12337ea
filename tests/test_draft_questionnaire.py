"""The 所管課照会 round trip: draft → workbook → answers with real values → --fill → the values in the right cells."""
from __future__ import annotations

import json

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from hokoku.cli import main as hokoku_main

from test_draft import draft_report

PROJECT = "起業化総合支援事業"
ANSWER_DO = "K-NICで起業や経営に関する相談に対応し、イベントを開催した。"


@pytest.fixture()
def drafted(tmp_path, capsys):
    src = tmp_path / "report.json"
    src.write_text(json.dumps(draft_report().to_dict(), ensure_ascii=False), encoding="utf-8")
    out, q = tmp_path / "draft.docx", tmp_path / "q.xlsx"
    assert hokoku_main(["draft", str(src), "-o", str(out), "--questionnaire", str(q)]) == 0
    capsys.readouterr()
    return src, out, q


def rows(ws) -> dict[str, list]:
    """項目 → the row's cells (the first with that section), from the table under the header row."""
    out: dict[str, list] = {}
    for row in ws.iter_rows(min_row=4):
        if row[1].value:
            out.setdefault(row[1].value, list(row))
    return out


def test_workbook_lists_every_mark_per_project_with_last_years_value(drafted):
    _, out, q = drafted
    wb = load_workbook(q)
    assert wb["_hokoku"].sheet_state == "hidden"
    ws = wb[PROJECT]
    assert [c.value for c in ws[3]][:5] == ["番号", "項目", "前年度の値（参考）", "回答", "記入欄の種類"]
    listed = rows(ws)
    target = listed["主な成果・活動指標 ／ ○川崎市創業支援事業計画全体での創業実績件数 ／ 目標 (件) ／ R4 (2022) 年度"]
    assert target[2].value == "100" and target[3].value is None and target[4].value == "数値"
    check = listed["主な検証意見 Check"]
    assert check[2].value.startswith("K-NICにおいて創業者の支援") and check[4].value == "文章"
    numbered = {dv.sqref.__str__() for dv in ws.data_validations.dataValidation if dv.type == "decimal"}
    assert numbered == {"D4 D5 D6 D7 D8 D9"}  # the six KPI cells, nothing else
    n_marks = sum(1 for s in wb.sheetnames if s != "_hokoku" for r in wb[s].iter_rows(min_row=4) if r[0].value)
    doc_xml = "".join(p.text for p in Document(str(out)).paragraphs) + "".join(
        c.text for t in Document(str(out)).tables for r in t.rows for c in dict.fromkeys(r.cells))
    assert n_marks == 223 == doc_xml.count("【要記入】") + doc_xml.count("【要修正】")


def test_filled_answers_land_in_the_right_cells_and_marks_drop(drafted, capsys):
    src, out, q = drafted
    wb = load_workbook(q)
    ws = wb[PROJECT]
    listed = rows(ws)
    listed["主な成果・活動指標 ／ ○川崎市創業支援事業計画全体での創業実績件数 ／ 目標 (件) ／ R4 (2022) 年度"][3].value = 105
    listed["主な成果・活動指標 ／ ○川崎市創業支援事業計画全体での創業実績件数 ／ 実績 (件) ／ R4 (2022) 年度"][3].value = 176
    listed["事業の実施状況 Do"][3].value = ANSWER_DO
    listed["主な検証意見 Check"][3].value = "=HYPERLINK(\"http://x.example\")"  # an answer is text, never a formula
    intro = rows(wb["1 はじめに"])["1 はじめに"]
    intro[3].value = "川崎市の中小企業は、事業所数の99.0%を占めます。"
    wb.save(q)

    assert hokoku_main(["draft", str(src), "-o", str(out), "--fill", str(q)]) == 0
    err = capsys.readouterr().err
    assert "5 answers" in err
    lines = err.splitlines()
    assert next(x for x in lines if x.strip().startswith(PROJECT)).split()[-1] == "6"  # 10 − 4
    assert next(x for x in lines if x.strip().startswith("1 はじめに")).split()[-1] == "1"
    assert lines[-1].split() == ["合計", "190", "28", "0", str(223 - 5)]

    doc = Document(str(out))
    kpi = next(t for t in doc.tables if t.cell(0, 1).text == "R3 (2021) 年度")
    assert [kpi.cell(1, 2).text, kpi.cell(2, 2).text] == ["105", "176"]
    run = next(r for r in kpi.cell(1, 2).paragraphs[0].runs if r.text == "105")
    assert run.font.highlight_color is None
    texts = [p.text for p in doc.paragraphs]
    do = texts.index("事業の実施状況 Do")
    assert texts[do + 2] == ANSWER_DO
    assert texts[texts.index("主な検証意見 Check") + 1] == "=HYPERLINK(\"http://x.example\")"
    assert "川崎市の中小企業は、事業所数の99.0%を占めます。" in texts
    second = [t for t in doc.tables if t.cell(0, 1).text == "R3 (2021) 年度"][1]
    assert second.cell(1, 2).text == "【要記入】"  # unanswered: still marked

    # a second round with the same workbook finds nothing more to fill and keeps the answers
    assert hokoku_main(["draft", str(src), "-o", str(out), "--fill", str(q)]) == 0
    assert "0 answers" in capsys.readouterr().err
    assert Document(str(out)).tables[kpi_index(doc, kpi)].cell(1, 2).text == "105"


def kpi_index(doc, table) -> int:
    return next(i for i, t in enumerate(doc.tables) if t._tbl is table._tbl)


def test_foreign_workbook_is_one_line(drafted, tmp_path, capsys):
    src, out, _ = drafted
    foreign = tmp_path / "budget.xlsx"
    wb = Workbook()
    wb.active["A1"] = "予算"
    wb.save(foreign)
    not_xlsx = tmp_path / "q2.xlsx"
    not_xlsx.write_text("a,b\n", encoding="utf-8")
    for bad, says in ((foreign, "not a hokoku questionnaire"), (not_xlsx, "not an Excel workbook")):
        assert hokoku_main(["draft", str(src), "-o", str(out), "--fill", str(bad)]) == 1
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and bad.name in err and says in err


def test_workbook_of_another_report_is_refused(drafted, tmp_path, capsys):
    _, out, q = drafted
    other = draft_report()
    other.source.sha256 = "another"
    src = tmp_path / "other.json"
    src.write_text(json.dumps(other.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert hokoku_main(["draft", str(src), "-o", str(out), "--fill", str(q)]) == 1
    assert "belongs to another report" in capsys.readouterr().err


def test_unstorable_text_reaches_the_workbook_cleaned(tmp_path, capsys):
    """Report.load cleans text once for every command: a control character becomes a space, a
    lone surrogate U+FFFD; the workbook stores what is left."""
    r = draft_report()
    r.projects[0].check[0].text = "NUL\x00と\ud800サロゲート"
    src = tmp_path / "report.json"
    src.write_text(json.dumps(r.to_dict()), encoding="ascii")  # JSON's "\\ud800" escape: a lone surrogate
    q = tmp_path / "q.xlsx"
    assert hokoku_main(["draft", str(src), "-o", str(tmp_path / "d.docx"), "--questionnaire", str(q)]) == 0
    check = rows(load_workbook(q)[PROJECT])["主な検証意見 Check"]
    assert check[2].value.startswith("NUL と\ufffdサロゲート")


def test_warnings_reach_the_draft_and_the_workbook_and_a_confirmed_one_goes(tmp_path, capsys):
    from hokoku.extract.model import ReadWarning

    report = draft_report()
    project = next(p for p in report.projects if p.name == PROJECT)
    project.warnings = [ReadWarning("kpi_unit_unsure", "「創業実績件数」の単位を読み取れませんでした", 18, PROJECT)]
    report.warnings = [ReadWarning("listed_project_not_found", "「知的財産戦略の推進」 is listed in 施策一覧 but was not found",
                                   3, "知的財産戦略の推進（旧）"),  # no such project: the chapter holding page 3
                       ReadWarning("page_order", "ページの順序を確かめてください")]  # no place: the report
    src = tmp_path / "report.json"
    src.write_text(json.dumps(report.to_dict(), ensure_ascii=False), encoding="utf-8")
    out, q = tmp_path / "draft.docx", tmp_path / "q.xlsx"
    assert hokoku_main(["draft", str(src), "-o", str(out), "--questionnaire", str(q)]) == 0
    assert "【要確認】 3" in capsys.readouterr().err

    texts = [p.text for p in Document(str(out)).paragraphs]
    at = texts.index(PROJECT)
    assert texts[at + 1] == "【要確認】「創業実績件数」の単位を読み取れませんでした（前年度報告書 PDF 18 ページ目）"
    intro = texts.index("1 はじめに")
    assert texts[intro + 1].startswith("【要確認】「知的財産戦略の推進」 is listed in 施策一覧")
    assert texts.index("【要確認】ページの順序を確かめてください") < intro  # report level: after the TOC

    wb = load_workbook(q)
    confirm = [r for r in wb[PROJECT].iter_rows(min_row=4) if r[4].value == "確認"]
    assert len(confirm) == 1 and confirm[0][1].value == "読み取りの確認"
    assert confirm[0][2].value == "「創業実績件数」の単位を読み取れませんでした（前年度報告書 PDF 18 ページ目）"
    assert any(r[4].value == "確認" for r in wb["1 はじめに"].iter_rows(min_row=4))

    confirm[0][3].value = "単位は件で正しい"
    wb.save(q)
    assert hokoku_main(["draft", str(src), "-o", str(out), "--fill", str(q)]) == 0
    assert "【要確認】 2" in capsys.readouterr().err
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert not any("単位を読み取れません" in t for t in texts)  # confirmed: the note is gone
    assert "【要確認】ページの順序を確かめてください" in texts
