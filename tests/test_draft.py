"""The Word draft of FY2022 from the FY2021 ground truth: content, marks, template rules, round trip."""
from __future__ import annotations

import json
import unicodedata
import zipfile

import pytest
from docx import Document
from docx.shared import RGBColor

from hokoku.extract.errors import HokokuError, InputError
from hokoku.cli import main as hokoku_main
from hokoku.outputs.draft import build_draft
from hokoku.outputs.draft.template import DEFAULT_TEMPLATE, TemplateError, set_east_asian
from hokoku.outputs.soffice import find_soffice


def report(expected):
    r = dict(expected)
    r["source"] = {"file": "r3_expected.json", "sha256": "", "pages": 0}
    return r


@pytest.fixture(scope="module")
def draft(expected, tmp_path_factory):
    out = tmp_path_factory.mktemp("draft") / "draft.docx"
    summary = build_draft(report(expected), out)
    return out, summary, Document(str(out))


def xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_years_advanced_and_no_leftover_current_year(draft):
    path, summary, doc = draft
    assert summary.fiscal_year == 2022
    text = xml(path)
    assert "令和4年度" in text and "令和5年8月" in text
    assert "令和5年度以降の対応" in text and "令和5年度の実施計画" in text
    # 令和3年度 never labels the current year: no title, heading or running header names it
    labels = [p.text for p in doc.paragraphs if p.style.name in ("Title", "Heading 1", "Heading 2", "Heading 3")]
    labels += [p.text for p in doc.sections[0].header.paragraphs]
    assert labels and not [t for t in labels if "令和3年度" in t and "前年度" not in t]
    assert "令和4年度以降の対応" not in text and "令和4年度の実施計画" not in text


def test_every_project_in_order_with_article(draft, expected):
    _, _, doc = draft
    headings = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    names = [p["name"] for p in expected["projects"] if p["kind"] == "verified"]
    positions = [headings.index(n) for n in names]
    assert positions == sorted(positions)
    assert headings.index("第12条 創業、経営の革新等の促進") < headings.index("起業化総合支援事業")
    assert headings.index("第19条 受注機会の増大等") < headings.index("受注機会の増大等")


def test_kpi_tables_have_last_year_and_marked_new_year(draft):
    _, _, doc = draft
    kpis = [t for t in doc.tables if t.cell(0, 1).text == "R3 (2021) 年度"]
    first = kpis[0]
    assert first.cell(0, 2).text == "R4 (2022) 年度"
    assert [first.cell(1, 1).text, first.cell(2, 1).text] == ["100", "183"]
    assert first.cell(1, 2).text == first.cell(2, 2).text == "【要記入】"
    assert len(kpis) == sum(1 for p in draft[2].paragraphs if p.text.startswith("○"))


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
    path, summary, doc = draft
    assert summary.marks["起業化総合支援事業"] == 6 + 4  # 3 KPI tables × 2 cells, Do, Check, Action, next plan
    assert summary.total == xml(path).count("【要記入】") + xml(path).count("【要修正】") - 1  # minus the note line


def test_other_projects_seeded_from_last_years_overview(draft):
    _, _, doc = draft
    t = next(t for t in doc.tables if t.cell(0, 0).text == "医工連携等推進事業")
    assert t.cell(1, 0).text == "令和5年度の概要" and t.cell(1, 1).text == "令和4年度の実績"
    assert t.cell(2, 0).text == "【要記入】"
    assert "【要修正】" in t.cell(2, 1).text and "ものづくり企業等の医療分野への参入" in t.cell(2, 1).text


def test_template_without_required_style_fails_clearly(expected, tmp_path):
    bare = tmp_path / "bare.docx"
    Document().save(bare)
    with pytest.raises(TemplateError, match="KPI Table"):
        build_draft(report(expected), tmp_path / "x.docx", template=bare)


def test_template_not_a_docx_fails_clearly(expected, tmp_path):
    bad = tmp_path / "notes.docx"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match="notes.docx: not a Word .docx file"):
        build_draft(report(expected), tmp_path / "x.docx", template=bad)
    with pytest.raises(InputError, match="template file not found"):
        build_draft(report(expected), tmp_path / "x.docx", template=tmp_path / "missing.docx")


def test_user_template_changes_look_not_content(expected, draft, tmp_path):
    doc = Document(str(DEFAULT_TEMPLATE))
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].font.color.rgb = RGBColor(0x80, 0x00, 0x00)
        set_east_asian(doc.styles[name], "MS Gothic")
    tpl = tmp_path / "mine.docx"
    doc.save(tpl)
    out = tmp_path / "mine_draft.docx"
    build_draft(report(expected), out, template=tpl)
    mine = Document(str(out))
    assert [p.text for p in mine.paragraphs] == [p.text for p in draft[2].paragraphs]
    assert mine.styles["Heading 2"].font.color.rgb == RGBColor(0x80, 0x00, 0x00)


def test_default_template_page_setup_fonts_and_fields():
    doc = Document(str(DEFAULT_TEMPLATE))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "游明朝"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as z:
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        settings = z.read("word/settings.xml").decode()
    assert "PAGE" in footer and settings.count("w:updateFields") == 1


def test_draft_has_toc_field_one_page_number_and_update_on_open(draft):
    path, _, _ = draft
    with zipfile.ZipFile(path) as z:
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        settings = z.read("word/settings.xml").decode()
    assert 'TOC \\o "1-2"' in xml(path)
    assert footer.count(">PAGE<") == 1 and settings.count("w:updateFields") == 1


def test_cli_marks_table_on_stderr_and_themes_in_follow_up(expected, tmp_path, capsys):
    src = tmp_path / "report.json"
    src.write_text(json.dumps(report(expected), ensure_ascii=False), encoding="utf-8")
    themes = tmp_path / "themes.json"
    themes.write_text(json.dumps([{"fiscal_year": 2021, "project": "起業化総合支援事業", "article": 12,
                                   "kind": "check", "no": 1, "text": "…", "themes": ["startup", "collaboration"]},
                                  {"fiscal_year": 2020, "project": "起業化総合支援事業", "article": 12,  # other year: ignored
                                   "kind": "check", "no": 1, "text": "…", "themes": ["covid"]}],
                                 ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "d.docx"
    assert hokoku_main(["draft", str(src), "-o", str(out), "--with-themes", str(themes)]) == 0
    cap = capsys.readouterr()
    assert cap.out == ""
    lines = cap.err.splitlines()
    row = next(x for x in lines if x.strip().startswith("起業化総合支援事業"))
    assert row.split()[-1] == "10"
    assert lines[-1].split() == ["合計", "221"]
    # names are padded by display width, so the counts line up
    widths = {sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in x) for x in lines[1:]}
    assert len(widths) == 1
    box = next(t for t in Document(str(out)).tables if t.cell(0, 1).text == "対応")
    assert box.cell(1, 0).paragraphs[-1].text == "テーマ：創業・ベンチャー、連携・マッチング"


def test_cli_bad_themes_file_is_one_line_error(expected, tmp_path, capsys):
    src = tmp_path / "report.json"
    src.write_text(json.dumps(report(expected), ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "themes.json"
    bad.write_text("{}", encoding="utf-8")
    assert hokoku_main(["draft", str(src), "-o", str(tmp_path / "d.docx"), "--with-themes", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "themes.json" in err


def test_soffice_missing_is_a_clear_error(tmp_path, monkeypatch):
    from hokoku.outputs.soffice import convert

    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this PATH
    with pytest.raises(HokokuError, match="LibreOffice \\(soffice\\) is not installed"):
        convert(DEFAULT_TEMPLATE, tmp_path)


@pytest.mark.soffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_parallel_conversions_do_not_collide(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from hokoku.outputs.soffice import convert

    srcs = []
    for i in range(2):
        doc = Document(str(DEFAULT_TEMPLATE))
        doc.add_paragraph(f"並行変換 {i}")
        srcs.append(tmp_path / f"doc{i}.docx")
        doc.save(srcs[-1])
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(lambda s: convert(s, tmp_path / s.stem), srcs))
    from pypdf import PdfReader

    assert [PdfReader(p).pages[0].extract_text().strip() for p in pdfs] == ["並行変換 0\n- 1 -", "並行変換 1\n- 1 -"]


@pytest.mark.soffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_round_trip_through_pdf(draft, expected, tmp_path):
    from hokoku.extract import parse_report
    from hokoku.outputs.soffice import convert

    pdf = convert(draft[0], tmp_path)
    back = parse_report(pdf)
    verified = [p for p in expected["projects"] if p["kind"] == "verified"]
    got = [p for p in back.projects if p.kind == "verified"]
    assert [p.name for p in got] == [p["name"] for p in verified]
    assert [[i.name for i in p.indicators] for p in got] == [[i["name"] for i in p["indicators"]] for p in verified]
    assert back.report.fiscal_year == 2022
    assert [p.article for p in got] == [p["article"] for p in verified]
    others = [(p["name"], p["article"]) for p in expected["projects"] if p["kind"] == "other"]
    assert [(p.name, p.article) for p in back.projects if p.kind == "other"] == others
    # 游明朝 body / 游ゴシック headings are rendered with the IPAex fonts of the same kind
    from pypdf import PdfReader

    page = PdfReader(pdf).pages[1]
    fonts = {str(f["/BaseFont"]).split("+")[-1] for f in page["/Resources"]["/Font"].values()}
    assert {"IPAexMincho", "IPAexGothic"} <= fonts
