"""--pdf through LibreOffice: the table of contents filled with page numbers, real properties, and no soffice left behind."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from hokoku.extract.errors import HokokuError
from hokoku.outputs.draft import build_draft
from hokoku.outputs.draft.template import DEFAULT_TEMPLATE
from hokoku.outputs.soffice import PROFILE_PREFIX, clean_stale_profiles, find_soffice, uno_python

from test_draft import draft_report



def profiles(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}{pid}_*"))


def soffice_pids(marker: str, also: str = "") -> list[int]:
    """Processes whose command line names `marker` (a profile path of one hokoku process) and `also`."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmdline = (d / "cmdline").read_bytes().decode(errors="replace")
                if marker in cmdline and also in cmdline:
                    out.append(int(d.name))
            except OSError:
                continue
    return out


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    if find_soffice() is None or uno_python() is None:
        pytest.skip("LibreOffice (soffice, python3-uno) not installed")
    from hokoku.outputs.soffice import to_pdf

    d = tmp_path_factory.mktemp("pdf")
    build_draft(draft_report(), d / "draft.docx")
    return to_pdf(d / "draft.docx", d / "draft.pdf")


@pytest.mark.soffice
def test_toc_is_filled_with_the_pages_headings_land_on(pdf):
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    toc = pages[1]
    entries = dict(re.findall(r"^(\S[^\n.]*?)\s*\.{3,}\s*(\d+)\s*$", toc, re.M))
    assert "起業化総合支援事業" in entries and "ウェルフェアイノベーション推進事業" in entries
    assert any(k.startswith("第12条") or k.startswith("第 12 条") for k in entries)
    for name in ("起業化総合支援事業", "ウェルフェアイノベーション推進事業", "1 はじめに"):
        landed = next(i for i, text in enumerate(pages[2:], start=3) if name in text)
        assert int(entries[name]) == landed, name  # the footer counts from the cover, as the PDF does
    assert "フィールド更新" not in toc  # the placeholder was replaced


@pytest.mark.soffice
def test_pdf_properties_come_from_the_report(pdf):
    meta = PdfReader(pdf).metadata
    assert meta.title == "令和4年度 中小企業活性化施策実施状況報告書" and meta.author == "川崎市"


@pytest.mark.soffice
def test_no_soffice_or_profile_left_after_a_run(pdf):
    assert profiles(os.getpid()) == []
    assert soffice_pids(f"{PROFILE_PREFIX}{os.getpid()}_") == []


def test_stale_profiles_of_dead_runs_are_removed(tmp_path):
    dead = tmp_path / f"{PROFILE_PREFIX}999999999_abc"
    live = tmp_path / f"{PROFILE_PREFIX}{os.getpid()}_abc"
    dead.mkdir()
    live.mkdir()
    clean_stale_profiles(tmp_path)
    assert not dead.exists() and live.exists()


@pytest.mark.soffice
@pytest.mark.skipif(find_soffice() is None or uno_python() is None, reason="LibreOffice (soffice, python3-uno) not installed")
def test_sigterm_during_pdf_kills_soffice_and_leaves_no_pdf(tmp_path):
    src = tmp_path / "report.json"
    src.write_text(json.dumps(draft_report().to_dict(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "d.docx"
    cmd = [sys.executable, "-m", "hokoku", "draft", str(src), "-o", str(out), "--pdf"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    marker = f"{PROFILE_PREFIX}{proc.pid}_"
    deadline = time.monotonic() + 60
    while not soffice_pids(marker) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert soffice_pids(marker), "soffice never started"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    time.sleep(0.5)
    assert soffice_pids(marker) == [] and profiles(proc.pid) == []
    assert not out.with_suffix(".pdf").exists() and out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.soffice
@pytest.mark.skipif(find_soffice() is None or uno_python() is None or shutil.which("setpriv") is None,
                    reason="LibreOffice (soffice, python3-uno) or setpriv not installed")
def test_kill_9_during_pdf_takes_soffice_down_and_the_next_run_cleans_up(tmp_path):
    src = tmp_path / "report.json"
    src.write_text(json.dumps(draft_report().to_dict(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "d.docx"
    proc = subprocess.Popen([sys.executable, "-m", "hokoku", "draft", str(src), "-o", str(out), "--pdf"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker = f"{PROFILE_PREFIX}{proc.pid}_"
    deadline = time.monotonic() + 60
    while not soffice_pids(marker, "soffice_uno") and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert soffice_pids(marker, "soffice_uno"), "the PDF export never started"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while soffice_pids(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert soffice_pids(marker) == []
    time.sleep(5)  # nothing is left to write the PDF later, here or in the profile
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.docx", "report.json"]
    assert [p for d in profiles(proc.pid) for p in d.rglob("export.pdf")] == []
    clean_stale_profiles()  # what the next run does first
    assert profiles(proc.pid) == []


def test_soffice_missing_is_a_clear_error(tmp_path, monkeypatch):
    from hokoku.outputs.soffice import convert, to_pdf

    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this PATH
    for call in (lambda: convert(DEFAULT_TEMPLATE, tmp_path), lambda: to_pdf(DEFAULT_TEMPLATE, tmp_path / "x.pdf")):
        with pytest.raises(HokokuError, match="LibreOffice \\(soffice\\) is not installed"):
            call()


@pytest.mark.soffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
def test_parallel_conversions_do_not_collide(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from hokoku.outputs.soffice import convert

    srcs = []
    for i in range(2):
        doc = Document()
        doc.add_paragraph(f"並行変換 {i}")
        srcs.append(tmp_path / f"doc{i}.docx")
        doc.save(srcs[-1])
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(lambda s: convert(s, tmp_path / s.stem), srcs))
    assert [PdfReader(p).pages[0].extract_text().strip() for p in pdfs] == ["並行変換 0", "並行変換 1"]


@pytest.mark.soffice
def test_draft_pdf_reads_back_as_next_years_report(pdf, expected):
    """The draft looks enough like the report that hokoku's own reader finds every project again."""
    from hokoku.extract import parse_report

    back = parse_report(pdf)
    verified = [p for p in expected["projects"] if p["kind"] == "verified"]
    got = [p for p in back.projects if p.kind == "verified"]
    assert back.report.fiscal_year == 2022
    assert [(p.name, p.article) for p in got] == [(p["name"], p["article"]) for p in verified]
    assert [[i.name for i in p.indicators] for p in got] == [[i["name"] for i in p["indicators"]] for p in verified]
    others = [(p["name"], p["article"]) for p in expected["projects"] if p["kind"] == "other"]
    assert [(p.name, p.article) for p in back.projects if p.kind == "other"] == others
    # 游明朝 body / 游ゴシック headings are rendered with the IPAex fonts of the same kind
    page = PdfReader(pdf).pages[4]
    fonts = {str(f["/BaseFont"]).split("+")[-1] for f in page["/Resources"]["/Font"].values()}
    assert {"IPAexMincho", "IPAexGothic"} <= fonts
