"""The fixture PDFs are what they claim: Japanese report text on the right pages, quirks present."""
from __future__ import annotations

import json

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import FIXTURES


def _project_page_text(layout: str, project: str) -> str:
    meta = json.loads((FIXTURES / f"{layout}.pages.json").read_text(encoding="utf-8"))
    printed = meta["projects"][project]
    first = meta["first_numbered_pdf_page"]
    with pdfplumber.open(FIXTURES / f"{layout}.pdf") as pdf:
        return "".join((pdf.pages[p + first - 2].extract_text() or "") for p in printed)


@pytest.mark.parametrize("layout", ["r3_portrait", "r3_word", "r3_landscape"])
def test_known_phrases_on_the_project_pages(layout):
    text = "".join(_project_page_text(layout, "起業化総合支援事業").split())
    assert "Kawasaki-NEDOInnovationCenter" in text
    assert "主な検証意見" in text and "Check" in text
    assert "K-NICにおいて創業者の支援を行っていることから" in text


def _text(name: str) -> str:
    with pdfplumber.open(FIXTURES / f"{name}.pdf") as pdf:
        return "".join((p.extract_text() or "") for p in pdf.pages)


def test_fixtures_carry_pdf_maker_quirks():
    portrait = _text("r3_portrait")
    assert any(c in portrait for c in "０１２３４５６７８９")  # full-width digits
    assert "①" in portrait and "○" in portrait
    landscape = _text("r3_landscape")  # embedded TrueType subset keeps what was typed
    assert "⼩" in landscape and "⻑" in landscape  # radical look-alikes (NFKC fixes only the first)


def test_word_fixture_embeds_truetype_subsets():
    reader = PdfReader(FIXTURES / "r3_word.pdf")
    fonts = set()
    for page in reader.pages[10:12]:
        for f in page["/Resources"]["/Font"].values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("+IPAex" in f for f in fonts), fonts


def test_ground_truth_shape(expected):
    verified = [p for p in expected["projects"] if p["kind"] == "verified"]
    assert len(verified) == 19
    assert sorted({p["article"] for p in verified}) == list(range(12, 20))
    assert [o["article"] for o in expected["article_opinions"]] == list(range(12, 20))
    kigyo = verified[0]
    assert kigyo["name"] == "起業化総合支援事業"
    assert kigyo["check"][0]["text"].startswith("K-NICにおいて創業者の支援を行っていることから")
    kpi = kigyo["indicators"][0]
    assert kpi["name"] == "川崎市創業支援事業計画全体での創業実績件数"
    assert kpi["values"][1] == {"fiscal_year": 2021, "target": 100, "actual": 183, "target_text": "100", "actual_text": "183"}
    seisan = next(p for p in verified if p["name"] == "生産性向上推進事業")
    assert seisan["action"][0]["answers"] == [1, 2, 3]
    inland = next(p for p in verified if p["name"].endswith("内陸部操業環境保全対策事業"))
    assert inland["article"] == 15


def test_edge_cases_have_the_property_they_claim():
    edge = FIXTURES / "edge"
    assert PdfReader(edge / "encrypted.pdf").is_encrypted
    with pdfplumber.open(edge / "image_only.pdf") as pdf:
        assert not pdf.pages[0].chars and pdf.pages[0].images
    assert not (edge / "not_a_pdf.pdf").read_bytes().startswith(b"%PDF")
    assert (edge / "truncated.pdf").stat().st_size < (edge / "excerpt_3p.pdf").stat().st_size
    with pdfplumber.open(edge / "excerpt_3p.pdf") as pdf:
        assert len(pdf.pages) == 4  # cover + the three pages of one project
