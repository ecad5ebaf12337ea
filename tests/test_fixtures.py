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


@pytest.mark.slow  # minutes on a loaded machine: runs in make test-slow (CI)
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
    assert [p["article"] for p in verified] == [12, 12, 13, 14, 14, 14, 15, 15, 16, 16, 16, 16, 16, 16, 17, 17, 18, 18, 19]
    assert [o["article"] for o in expected["article_opinions"]] == list(range(12, 20))
    kigyo = verified[0]
    assert kigyo["name"] == "起業化総合支援事業"
    assert kigyo["check"][0]["text"].startswith("K-NICにおいて創業者の支援を行っていることから")
    kpi = kigyo["indicators"][0]
    assert kpi["name"] == "川崎市創業支援事業計画全体での創業実績件数"
    assert kpi["values"][1] == {"fiscal_year": 2021, "target": 100, "actual": 183, "target_text": "100", "actual_text": "183"}
    seisan = next(p for p in verified if p["name"] == "生産性向上推進事業")
    assert seisan["action"][0]["answers"] == [1, 2, 3]
    fukushi = next(p for p in verified if p["name"].endswith("勤労者福祉対策事業"))
    assert fukushi["action"][5]["no"] == 6 and fukushi["action"][5]["answers"] == [6]
    assert fukushi["action"][5]["text"].startswith("⑤同様")
    kbic = next(p for p in verified if p["name"].endswith("①新産業創造支援事業"))
    event = next(i for i in kbic["indicators"] if i["name"].endswith("イベントの来場者数"))
    assert [(v["target"], v["target_text"], v["actual"], v["actual_text"]) for v in event["values"]] == [
        (1500, "1,500", None, "中止"), (1500, "1500", None, "中止")]
    others = [p for p in expected["projects"] if p["kind"] == "other"]
    assert len(others) == 27 and len({p["name"] for p in others}) == 27  # continued tables merged
    inland = next(p for p in verified if p["name"].endswith("内陸部操業環境保全対策事業"))
    assert inland["article"] == 15


def test_edge_cases_have_the_property_they_claim():
    edge = FIXTURES / "edge"
    assert PdfReader(edge / "encrypted.pdf").is_encrypted
    with pdfplumber.open(edge / "image_only.pdf") as pdf:
        assert not pdf.pages[0].chars and pdf.pages[0].images
    assert not (edge / "not_a_pdf.pdf").read_bytes().startswith(b"%PDF")
    assert (edge / "truncated.pdf").stat().st_size < (edge / "excerpt_3p.pdf").stat().st_size
    with pdfplumber.open(edge / "not_a_report.pdf") as pdf:
        text = pdf.pages[0].extract_text()
        assert "条例" in text and "Check" not in text


def test_excerpt_is_the_cover_and_one_whole_project():
    meta = json.loads((FIXTURES / "r3_portrait.pages.json").read_text(encoding="utf-8"))
    with pdfplumber.open(FIXTURES / "edge" / "excerpt_3p.pdf") as pdf:
        assert len(pdf.pages) == 1 + len(meta["projects"]["起業化総合支援事業"])
        assert "中小企業活性化施策実施状況報告書" in pdf.pages[0].extract_text()
        last = "".join(pdf.pages[-1].extract_text().split())
    assert "令和4年度の実施計画" in last and "アントレプレナーシッププログラム" in last  # the project's end is in


def _page_lines(pdf, i: int) -> list[str]:
    return [ln.replace(" ", "") for ln in (pdf.pages[i].extract_text() or "").splitlines()]


def test_table_split_breaks_tables_across_pages():
    with pdfplumber.open(FIXTURES / "edge" / "table_split.pdf") as pdf:
        pages = [_page_lines(pdf, i) for i in range(len(pdf.pages))]
    # KPI table: header + 目標 at one page's foot, header repeated + 実績 on the next
    k = next(i for i, lines in enumerate(pages) if "目標(件)95100" in lines)
    assert "実績(件)201１８３" in pages[k + 1] and pages[k + 1][1].startswith("R2(2020)年度")
    # 開催回 table: two rows at a page's foot, the other two on the next page without the header
    k = next(i for i, lines in enumerate(pages) if any(ln.startswith("第128回") for ln in lines))
    assert pages[k + 1][1].startswith("第129回") and not any(ln.startswith("開催回") for ln in pages[k + 1])


@pytest.mark.parametrize("layout, low, high", [("r3_portrait", 60, 140), ("r3_word", 50, 140), ("r3_landscape", 40, 120)])
def test_page_count_and_page_map_are_sane(layout, low, high):
    meta = json.loads((FIXTURES / f"{layout}.pages.json").read_text(encoding="utf-8"))
    n = len(PdfReader(FIXTURES / f"{layout}.pdf").pages)
    assert low <= n <= high
    printed = [p for pages in meta["projects"].values() for p in pages]
    assert len(meta["projects"]) == 46 and all(meta["projects"].values())
    assert 1 <= min(printed) and max(printed) + meta["first_numbered_pdf_page"] - 1 <= n


@pytest.mark.parametrize("layout, toc_index", [("r3_portrait", 1), ("r3_word", 1)])
def test_contents_page_numbers_are_where_things_landed(layout, toc_index):
    """Two-pass rendering: the 目次 prints the page the article's first project starts on."""
    projects = json.loads((FIXTURES / f"{layout}.pages.json").read_text(encoding="utf-8"))["projects"]
    with pdfplumber.open(FIXTURES / f"{layout}.pdf") as pdf:
        lines = _page_lines(pdf, toc_index)
    toc = {ln.rstrip("0123456789"): ln[len(ln.rstrip("0123456789")):] for ln in lines}
    assert toc["第12条創業、経営の革新等の促進"] == str(projects["起業化総合支援事業"][0])
    assert toc["第15条経営基盤の強化及び小規模企業者の事情の考慮"] == str(projects["生産性向上推進事業"][0])
    assert toc["その他の事業（第12条から第18条）"] == str(projects["医工連携等推進事業"][0])


def test_project_list_page_column_matches_the_page_map():
    projects = json.loads((FIXTURES / "r3_portrait.pages.json").read_text(encoding="utf-8"))["projects"]
    with pdfplumber.open(FIXTURES / "r3_portrait.pdf") as pdf:
        page = next(p for p in pdf.pages if "図表 中小企業活性化施策一覧" in (p.extract_text() or ""))
        rows = [r for t in page.extract_tables() for r in t]
    row = next(r for r in rows if r[2] == "生産性向上推進事業")
    pages = projects["生産性向上推進事業"]
    assert row[3] == f"{pages[0]}-{pages[-1]}"
