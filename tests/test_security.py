"""Document text is data: injection strings through every spreadsheet/JSON writer and path part.

A council comment such as `=HYPERLINK("http://x.example/","click here")` must reach Excel and
LibreOffice as the text it is, never as a formula or a live link (issue 14, item 1).
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES
from hokoku.extract.errors import HokokuError
from hokoku.extract.model import ThemeRecord
from hokoku.outputs import report_io, themes_io
from hokoku.outputs.soffice import convert, find_soffice
from hokoku.outputs.xlsx import csv_safe, formula_like

LINK = '=HYPERLINK("http://x.example/","click here")'
INJECTIONS = [LINK, "=1+1+1", "+1+2", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0",
              "<script>alert(1)</script>", "'; DROP TABLE reports; --", "a\x00b\x07c"]
# Lone surrogates never reach a writer: Report.load / ThemeRecord.load_all replace them (test_fuzz).
PLAIN = ["-5", "+81", "-", "令和3年度", "1.5e3"]


@pytest.fixture(scope="module")
def poisoned(portrait):
    """The FY2021 report with injection strings in every kind of text field."""
    r = copy.deepcopy(portrait)
    p = r.projects[0]
    p.name = LINK
    p.goal = "=1+1+1"
    p.plan = ["@SUM(1,2)", *p.plan]
    p.check[0].text = LINK
    p.action[0].text = "=1+1+1"
    p.indicators[0].name = "+1+2"
    p.indicators[0].values[0].target_text = "-2+3"
    r.article_opinions[0].opinions[0] = "=cmd|' /C calc'!A0"
    r.projects[1].check[0].text = "a\x00b\x07c"
    r.source.file = "=1+1.pdf"
    return r


@pytest.fixture(scope="module")
def written(poisoned, tmp_path_factory):
    out = tmp_path_factory.mktemp("sec") / "r"
    report_io.write_report(poisoned, out)
    return out


def sheet_xml(xlsx: Path) -> dict[str, str]:
    with zipfile.ZipFile(xlsx) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")}


@pytest.mark.parametrize("s", INJECTIONS[:8])
def test_formula_like_text_is_recognised(s):
    assert formula_like(s)


@pytest.mark.parametrize("s", PLAIN)
def test_numbers_and_plain_text_are_left_alone(s):
    assert not formula_like(s)


def test_report_xlsx_has_no_formula_anywhere(written):
    sheets = sheet_xml(written / "report.xlsx")
    assert len(sheets) == 5
    for name, xml in sheets.items():
        assert "<f>" not in xml and "<f " not in xml, name
    from openpyxl import load_workbook

    wb = load_workbook(written / "report.xlsx")
    cells = {c.value: c.data_type for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    for s in (LINK, "=1+1+1", "+1+2", "-2+3", "=cmd|' /C calc'!A0", "=1+1.pdf"):
        assert cells.get(s) == "s", s
    assert "a\ufffdb\ufffdc" in cells  # NUL and BEL cannot go into XLSX: replaced, not a crash


def test_report_csv_escapes_formulas_and_parquet_json_keep_the_text(written):
    comments = pd.read_csv(written / "comments.csv", encoding="utf-8-sig")
    assert comments["text"].iloc[0] == "'" + LINK
    assert (comments["source"] == "'=1+1.pdf").all()
    actions = pd.read_csv(written / "actions.csv", encoding="utf-8-sig")
    assert actions["text"].iloc[0] == "'=1+1+1"
    pq = pd.read_parquet(written / "comments.parquet")
    assert pq["text"].iloc[0] == LINK
    d = json.loads((written / "report.json").read_text(encoding="utf-8"))
    assert d["projects"][0]["check"][0]["text"] == LINK and d["source"]["file"] == "=1+1.pdf"


def test_csv_escape_leaves_numbers_alone():
    df = pd.DataFrame({"t": ["=1+1", "-5", "本文", None], "n": [-1, 2, 3, 4]})
    out = csv_safe(df)
    assert out["t"].tolist()[:3] == ["'=1+1", "-5", "本文"] and out["n"].tolist() == [-1, 2, 3, 4]


def _records() -> list[dict]:
    base = dict(fiscal_year=2021, source="=1+1.pdf", project=LINK, article=7, kind="check", themes=["dx"],
                evidence={"dx": ["DX"]}, scores={"dx": 1.0}, page=3)
    return [ThemeRecord(no=i, text=t, **base).to_dict() for i, t in enumerate(INJECTIONS, start=1)]


def test_theme_matrix_xlsx_and_csv_keep_text_as_text(tmp_path):
    records = _records()
    xlsx = themes_io.write_matrix(records, tmp_path / "m.xlsx", ["dx", "startup"])
    for name, xml in sheet_xml(xlsx).items():
        assert "<f>" not in xml, name
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:I{len(records) + 1}" and ws["A1"].font.b
    assert ws.column_dimensions["G"].width == 50  # the comment text column is wide and wrapped
    texts = [c.value for c in ws["G"][1:]]
    assert texts[0] == LINK and texts[-1] == "a\ufffdb\ufffdc"
    csv = pd.read_csv(themes_io.write_matrix(records, tmp_path / "m.csv", ["dx"]), encoding="utf-8-sig")
    assert csv["text"].tolist()[:2] == ["'" + LINK, "'=1+1+1"] and csv["project"].iloc[0] == "'" + LINK


@pytest.mark.soffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_reads_the_text_not_a_formula_result(tmp_path):
    xlsx = themes_io.write_matrix(_records()[:3], tmp_path / "m.xlsx", ["dx"])
    try:
        csv = convert(xlsx, tmp_path / "lo", fmt="csv")
    except HokokuError as e:  # soffice without the Calc component (libreoffice-calc-nogui)
        pytest.skip(f"LibreOffice cannot convert spreadsheets here: {e}")
    rows = pd.read_csv(csv, dtype=str)
    assert rows["text"].tolist() == [LINK, "=1+1+1", "+1+2"]  # as written, not 3 or a link
    assert rows["project"].iloc[0] == LINK


def test_hostile_file_and_folder_names_through_ingest(tmp_path):
    """Path parts are data too: quotes, `=`, spaces and Japanese in input and output names."""
    src = tmp_path / "in put's"
    src.mkdir()
    pdf = src / "=1+1 報告'書.pdf"
    pdf.write_bytes((FIXTURES / "edge/excerpt_3p.pdf").read_bytes())
    out = tmp_path / "dir'q \"x\""
    r = subprocess.run([sys.executable, "-m", "hokoku", "ingest", str(src), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    folder = out / "=1+1 報告'書"
    assert json.loads((folder / "report.json").read_text(encoding="utf-8"))["source"]["file"] == "=1+1 報告'書.pdf"
    projects = pd.read_csv(folder / "projects.csv", encoding="utf-8-sig")
    assert projects["source"].iloc[0] == "'=1+1 報告'書.pdf"


def test_messages_cannot_send_escape_sequences_to_the_terminal(tmp_path):
    from hokoku.extract.errors import terminal_safe

    assert terminal_safe("a\x1b[31mred\x07\x00\x90 本文\n") == "a\\x1b[31mred\\x07\\x00\\x90 本文\n"
    name = tmp_path / "x\x1b[2Jy.pdf"  # a file name that would clear the screen
    name.write_bytes(b"not a pdf")
    r = subprocess.run([sys.executable, "-m", "hokoku", "ingest", str(name), "-o", str(tmp_path / "out")],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "\x1b" not in r.stderr and "x\\x1b[2Jy.pdf: not a PDF file" in r.stderr
