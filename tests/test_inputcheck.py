"""Bad input: one clear line naming the file and the problem."""
from __future__ import annotations

import pytest

from conftest import FIXTURES
from hokoku.extract import parse_report
from hokoku.extract.errors import InputError
from hokoku.extract.inputcheck import garbled_pages

EDGE = FIXTURES / "edge"


@pytest.mark.parametrize("name, words", [
    ("not_a_pdf.pdf", "not a PDF"),
    ("encrypted.pdf", "encrypted"),
    ("truncated.pdf", "truncated or corrupt"),
    ("image_only.pdf", "OCR is not performed"),
    ("not_a_report.pdf", "not a report of this kind"),
])
def test_bad_input_is_one_clear_line(name, words):
    with pytest.raises(InputError) as e:
        parse_report(EDGE / name)
    msg = str(e.value)
    assert msg.startswith(str(EDGE / name)) and words in msg and "\n" not in msg


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
