"""Bad input: one clear line naming the file and the problem."""
from __future__ import annotations

import copy
import json

import pytest

from conftest import FIXTURES
from hokoku.extract import parse_report
from hokoku.extract.errors import InputError
from hokoku.extract.model import Report
from hokoku.extract.inputcheck import garbled_pages

EDGE = FIXTURES / "edge"


@pytest.mark.parametrize("name, words", [
    ("not_a_pdf.pdf", "not a PDF"),
    ("encrypted.pdf", "encrypted"),
    ("truncated.pdf", "truncated or corrupt"),
    ("not_a_report.pdf", "not a report of this kind"),
])
def test_bad_input_is_one_clear_line(name, words):
    with pytest.raises(InputError) as e:
        parse_report(EDGE / name)
    msg = str(e.value)
    assert msg.startswith(str(EDGE / name)) and words in msg and "\n" not in msg


def test_image_only_pdf_with_ocr_off_is_one_clear_line():
    from hokoku.extract import ExtractSettings
    from hokoku.extract.settings import OcrSettings

    with pytest.raises(InputError) as e:
        parse_report(EDGE / "image_only.pdf", ExtractSettings(ocr=OcrSettings(mode="off")))
    msg = str(e.value)
    assert msg.startswith(str(EDGE / "image_only.pdf")) and "OCR is off" in msg and "\n" not in msg


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        parse_report(tmp_path / "nope.pdf")


def test_zip_named_pdf_says_what_it_looks_like(tmp_path):
    f = tmp_path / "report.pdf"
    f.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(InputError, match="ZIP"):
        parse_report(f)


def test_garbled_text_is_detected():
    good = "令和3年度の実績として、起業家支援拠点を運営した。" * 5
    cid = "(cid:12)(cid:34)(cid:56)" * 20
    pua = "\ue001\ue002\ue003" * 30
    assert garbled_pages([good, cid, pua]) == [(2, "(cid:N) glyphs without Unicode"), (3, "private-use characters")]


def test_excerpt_parses_to_one_project():
    r = parse_report(EDGE / "excerpt_3p.pdf")
    assert [p.name for p in r.projects] == ["起業化総合支援事業"]
    assert r.report.fiscal_year == 2021


def test_pdf_without_pages(tmp_path):
    from pypdf import PdfWriter

    f = tmp_path / "empty.pdf"
    with f.open("wb") as out:
        PdfWriter().write(out)
    with pytest.raises(InputError, match="no pages"):
        parse_report(f)


def test_text_in_other_scripts_is_garbled_but_short_pages_are_not_judged():
    cyrillic = "Отчёт о состоянии малого бизнеса " * 5
    assert garbled_pages([cyrillic, "(cid:1)"]) == [(1, "mostly neither Japanese nor ASCII")]


# --- report.json read back (Report.load): one line per problem, text cleaned -------------------

@pytest.fixture(scope="module")
def excerpt_dict(tmp_path_factory):
    from hokoku.outputs.report_io import report_json

    return json.loads(report_json(parse_report(EDGE / "excerpt_3p.pdf")))


def _load(tmp_path, obj, raw: bytes | None = None):
    f = tmp_path / "report.json"
    f.write_bytes(raw if raw is not None else json.dumps(obj).encode())
    return f, Report.load(f)


def test_report_load_round_trip(excerpt_dict, tmp_path):
    _, r = _load(tmp_path, excerpt_dict)
    assert r.projects[0].name == "起業化総合支援事業" and r.report.fiscal_year == 2021
    assert r.projects[0].check[0].text.startswith("K-NICにおいて創業者の支援")


def test_report_load_lists_every_problem_one_line_each(excerpt_dict, tmp_path):
    bad = copy.deepcopy(excerpt_dict)
    bad["report"]["fiscal_year"] = "2021"
    bad["projects"][0]["name"] = None
    bad["projects"][0]["check"][0]["no"] = "1"
    bad["projects"][0]["indicators"][0]["values"][0]["target"] = "多数"
    del bad["source"]["sha256"]
    with pytest.raises(InputError) as e:
        _load(tmp_path, bad)
    f = tmp_path / "report.json"
    assert str(e.value).splitlines() == [
        f"{f}: source.sha256: missing",
        f"{f}: report.fiscal_year: expected an integer or null, got text",
        f"{f}: projects[0].name: expected text, got null",
        f"{f}: projects[0].indicators[0].values[0].target: expected a number or null, got text",
        f"{f}: projects[0].check[0].no: expected an integer, got text",
    ]


@pytest.mark.parametrize("raw, words", [
    (b"[]", "not a hokoku report.json"),
    (b"null", "not a hokoku report.json"),
    (b"{}", "not a hokoku report.json"),
    ("{\"report\": \"報告\"}".encode("shift_jis"), "not UTF-8 text"),
    (b"{\"report\": {}, \"projects\": [], \"schema_version\": 9}", "schema_version 9 is not supported"),
    (b"[" * 100000, "nested too deeply"),
    (b"{\"report\": ", "invalid JSON"),
])
def test_report_load_refuses_other_files_in_one_line(tmp_path, raw, words):
    with pytest.raises(InputError) as e:
        _load(tmp_path, None, raw)
    assert words in str(e.value) and "\n" not in str(e.value)


def test_report_load_cleans_text_with_a_warning(excerpt_dict, tmp_path, caplog):
    bad = copy.deepcopy(excerpt_dict)
    bad["projects"][0]["check"][0]["text"] = "前\x00後\ud800。\x07"
    with caplog.at_level("WARNING"):
        _, r = _load(tmp_path, bad)
    assert r.projects[0].check[0].text == "前 後\ufffd。 "
    assert "3 control character(s) or invalid code point(s)" in caplog.text


def test_owner_password_only_pdf_is_read(tmp_path):
    """An owner password restricts editing only; the file opens without a password (issue 14)."""
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(EDGE / "excerpt_3p.pdf"))
    w.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-128")
    f = tmp_path / "owner_only.pdf"
    with f.open("wb") as out:
        w.write(out)
    assert PdfReader(f).is_encrypted
    r = parse_report(f)
    assert [p.name for p in r.projects] == ["起業化総合支援事業"]


def test_sample_pages_spread_over_the_document():
    from hokoku.extract.inputcheck import sample_pages

    assert sample_pages(3) == [0, 1, 2]
    assert sample_pages(82) == [0, 16, 32, 49, 65, 81]


def test_garbled_pdf_is_refused_before_the_full_layout(tmp_path, monkeypatch):
    """Most sampled pages garbled: refused without running the layout of every page."""
    import hokoku.extract.layout as layout

    f = tmp_path / "cid.pdf"
    _text_pdf(f, ["(cid:12)(cid:34)(cid:56)" * 20] * 8)
    monkeypatch.setattr(layout, "layout_document", lambda *a, **k: pytest.fail("full layout ran"))
    with pytest.raises(InputError, match=r"garbled on page\(s\) 1, 2, 4, 5, 7, 8 \(\(cid:N\) glyphs"):
        parse_report(f)


def test_pdfminer_warnings_are_summarised_not_leaked(tmp_path, caplog):
    import logging

    from hokoku.extract.inputcheck import reading_pdf

    f = tmp_path / "x.pdf"
    f.write_bytes((EDGE / "excerpt_3p.pdf").read_bytes())
    with caplog.at_level(logging.WARNING):
        with reading_pdf(f) as pdf:
            for i in range(3):
                logging.getLogger("pdfminer.pdfpage").warning("damaged object %d", i)
            assert len(pdf.pages) == 5
    mine = [r for r in caplog.records if r.name.startswith("pdfminer")]
    assert not mine
    assert [r.getMessage() for r in caplog.records] == [
        f"{f}: the PDF reader reported 3 problem(s) with damaged or unusual objects (first: damaged object 0); "
        "the text read may be incomplete"]


def _text_pdf(path, pages: list[str]) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for text in pages:
        y = 800
        for i in range(0, len(text), 80):
            c.drawString(40, y, text[i:i + 80])
            y -= 14
        c.showPage()
    c.save()
