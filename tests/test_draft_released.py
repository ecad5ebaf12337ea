"""The draft from each released rendering of the FY2021 report, as staff open it first (issue 24).

Chapters in the report model's order and titles, marks only where text changes next year,
table columns sized from their content, no near-empty pages, and the reader's doubts carried.
"""
from __future__ import annotations

import re
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from hokoku.outputs.draft import build_draft
from hokoku.outputs.soffice import find_soffice, to_pdf

ROOT = Path(__file__).resolve().parents[1]
# Beside the main checkout (../shared) or beside a worktree of it (../../shared).
ACCEPTANCE = next((p for p in (ROOT.parent / "shared" / "acceptance", ROOT.parents[1] / "shared" / "acceptance")
                   if p.is_dir()), None)
RELEASED = [pytest.param("fy2021_word_landscape.pdf", id="landscape"),
            pytest.param("fy2021_web_portrait.pdf", id="portrait")]
REPORT_YEAR = re.compile(r"令和\s*[3３]\s*(?:[（(]\s*2021\s*[）)])?\s*年|2021\s*年")


@lru_cache(maxsize=None)
def _drafted(name: str, out: Path):
    from hokoku.extract import parse_report

    report = parse_report(ACCEPTANCE / name)
    path = out / f"{Path(name).stem}.docx"
    build_draft(report, path)
    return report, path, Document(str(path))


@pytest.fixture(scope="module", params=RELEASED)
def released(request, tmp_path_factory):
    if ACCEPTANCE is None or not (ACCEPTANCE / request.param).is_file():
        pytest.skip("shared/acceptance is not beside this checkout")
    return _drafted(request.param, tmp_path_factory.mktemp("released"))


def _level1(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]


def _chapter_paragraphs(doc, title: str) -> list[str]:
    """Body paragraphs under the Heading 1 `title`, up to the next Heading 1."""
    out, inside = [], False
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == title
        elif inside and p.text.strip():
            out.append(p.text)
    return out


def test_chapters_in_the_models_order_with_its_titles(released):
    report, _, doc = released
    heads = _level1(doc)
    front = [c.title for c in report.chapters if c.position != "back"]
    back = [c.title for c in report.chapters if c.position == "back"]
    assert front[0] == "1はじめに" and back == ["（参考）川崎市中小企業活性化のための成長戦略に関する条例"]
    # the report's year advanced in a title, nothing else changed
    expected_front = [t.replace("令和3（2021）年度", "令和4（2022）年度") for t in front]
    assert "4令和4（2022）年度中小企業活性化施策の実施状況" in expected_front
    assert heads[:len(front)] == expected_front  # front chapters first, as printed
    assert heads[-len(back):] == back  # back chapters last
    first_article = heads.index("第12条 創業、経営の革新等の促進")
    assert first_article == len(front)  # the projects follow the chapter that lists them, no second part heading
    headings2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings2[0] == "起業化総合支援事業"


def test_intro_marks_only_what_changes_next_year(released):
    report, _, doc = released
    paragraphs = _chapter_paragraphs(doc, report.chapters[0].title)
    marked = [p for p in paragraphs if p.startswith("【要修正】")]
    assert len(paragraphs) >= 15 and marked
    assert len(marked) <= 0.4 * len(paragraphs)
    assert sum(1 for p in marked if REPORT_YEAR.search(p)) >= 0.8 * len(marked)
    history = next(p for p in paragraphs if "平成27（2015）年12月" in p)
    assert not history.startswith("【要修正】")  # a fact of the past stays as printed
    assert not any(p.startswith("【要修正】特徴その") for p in paragraphs)


def test_statistics_of_the_city_stay_marked(released):
    _, _, doc = released
    stats = _chapter_paragraphs(doc, "2市内産業の現状")
    census = next(p for p in stats if "事業所数は40,934" in p)
    assert census.startswith("【要修正】")  # a count tied to a year: updated every report


def _width(el) -> int:
    return int(el.get(qn("w:w")))


def test_opinion_column_takes_at_least_half_of_its_table(released):
    _, _, doc = released
    table = next(t for t in doc.tables if "主な検証意見" in t.rows[0].cells[-1].text and t.rows[0].cells[0].text == "条文")
    grid = [_width(c) for c in table._tbl.tblGrid.gridCol_lst]
    assert len(grid) == 3 and grid[2] >= sum(grid) / 2
    assert grid[0] == min(grid)  # 「12条」 is a narrow key column
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    for row in table.rows[:3]:  # Word reads the cells' widths: the same as the grid
        assert [_width(tc.tcPr.find(qn("w:tcW"))) for tc in row._tr.tc_lst] == grid
    assert table.rows[1].cells[0].text in ("12条", "第12条")  # as printed


def test_numbers_in_copied_tables_are_right_aligned(released):
    """Every figure cell (「40,934」, 「12.5%」) of the draft's tables is right-aligned, text cells
    not (a 【要記入】, 「-」 or 「中止」 in a figure's place may be either)."""
    _, _, doc = released
    cells = [c for t in doc.tables for r in t.rows for c in r.cells]
    figures = [c for c in cells if re.fullmatch(r"[0-9][0-9,.]*%?", c.text.strip())]
    words = [c for c in cells if len(c.text.strip()) > 2 and not re.search(r"[0-9]|^【要", c.text.strip())]
    assert figures and words
    assert all(p.alignment == 2 for c in figures for p in c.paragraphs)  # WD_ALIGN_PARAGRAPH.RIGHT
    assert not any(p.alignment == 2 for c in words for p in c.paragraphs)


def _near_empty_pages(pdf: Path) -> list[int]:
    """Pages after the TOC with under 40 characters between the running header and the page number."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    out = []
    for i, page in enumerate(pages[2:], start=3):
        lines = [x.strip() for x in page.splitlines() if x.strip()]
        if sum(len(x.replace(" ", "")) for x in lines[1:-1]) < 40:
            out.append(i)
    return out


@pytest.mark.soffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_at_most_one_near_empty_page_and_the_toc_lists_the_chapters(released, tmp_path):
    report, path, _ = released
    pdf = to_pdf(path, tmp_path / "draft.pdf")
    assert len(_near_empty_pages(pdf)) <= 1
    toc = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    entries = [re.sub(r"\s+", "", x) for x in toc.splitlines()]
    titles = [re.sub(r"\s+", "", c.title.replace("令和3（2021）", "令和4（2022）")) for c in report.chapters
              if c.position != "back"]
    found = [next(i for i, e in enumerate(entries) if e.startswith(t)) for t in titles]
    assert found == sorted(found)  # the TOC lists the front chapters in the report's order
