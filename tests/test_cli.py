"""CLI conventions: --version, -v/-q, `-o -`, output suffixes, folders as input, one line per error."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES
from hokoku import __version__
from hokoku.cli import check_output
from hokoku.extract.errors import HokokuError

EXCERPT = FIXTURES / "edge/excerpt_3p.pdf"


def hokoku(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "hokoku", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def excerpt_json(tmp_path_factory):
    out = tmp_path_factory.mktemp("ingest")
    r = hokoku("ingest", EXCERPT, "-o", out)
    assert r.returncode == 0, r.stderr
    return out / "excerpt_3p/report.json"


def test_version():
    r = hokoku("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"hokoku {__version__}"


def test_quiet_keeps_errors_and_drops_progress(tmp_path):
    loud = hokoku("ingest", EXCERPT, FIXTURES / "edge/not_a_pdf.pdf", "-o", tmp_path)
    quiet = hokoku("-q", "ingest", EXCERPT, FIXTURES / "edge/not_a_pdf.pdf", "-o", tmp_path)
    assert f"hokoku ingest: {EXCERPT} → {tmp_path / 'excerpt_3p'}/" in loud.stderr
    assert quiet.returncode == loud.returncode == 1
    assert quiet.stderr.splitlines() == [
        f"hokoku ingest: error: {FIXTURES / 'edge/not_a_pdf.pdf'}: not a PDF file (no %PDF header)",
        "hokoku ingest: 1 parsed, 1 failed",
    ]


def test_verbose_after_the_command_is_accepted(tmp_path):
    r = hokoku("debug", EXCERPT, "--page", "2", "-o", tmp_path / "p.png", "-v")
    assert r.returncode == 0 and "hokoku debug: wrote" in r.stderr


@pytest.mark.parametrize("path, formats, expected", [
    ("x.json", ["json", "csv"], "json"),
    ("X.CSV", ["json", "csv"], "csv"),
    ("-", ["json", "csv"], "json"),
    ("-", ["csv", "xlsx"], "csv"),
])
def test_check_output_accepts(path, formats, expected):
    assert check_output(path, formats) == expected


@pytest.mark.parametrize("path, formats, words", [
    ("draft.doc", ["docx"], "draft.doc: has '.doc', expected .docx"),
    ("matrix", ["csv", "xlsx"], "has no suffix, expected .csv or .xlsx"),
    ("-", ["docx"], "DOCX cannot be written to standard output"),
])
def test_check_output_refuses(path, formats, words):
    with pytest.raises(HokokuError, match=words):
        check_output(path, formats)


def test_debug_refuses_wrong_suffix_and_stdout(tmp_path):
    r = hokoku("debug", EXCERPT, "--page", "2", "-o", tmp_path / "p.jpg")
    assert r.returncode == 1 and r.stderr.strip() == f"hokoku debug: error: output {tmp_path / 'p.jpg'}: has '.jpg', expected .png"
    assert not (tmp_path / "p.jpg").exists()
    r = hokoku("debug", EXCERPT, "--page", "2", "-o", "-")
    assert r.returncode == 1 and "PNG cannot be written to standard output" in r.stderr and r.stdout == ""


def test_ingest_refuses_stdout():
    r = hokoku("ingest", EXCERPT, "-o", "-")
    assert r.returncode == 1 and "cannot write to standard output" in r.stderr and "Traceback" not in r.stderr


def test_themes_json_to_stdout(excerpt_json):
    r = hokoku("themes", excerpt_json, "-o", "-")
    assert r.returncode == 0, r.stderr
    records = json.loads(r.stdout)
    first = records[0]
    assert first["project"] == "起業化総合支援事業" and first["text"].startswith("K-NICにおいて創業者の支援")


def test_ingest_a_folder_means_every_pdf_in_it(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(EXCERPT, src / "a.pdf")
    shutil.copy(EXCERPT, src / "b.PDF")
    (src / "notes.txt").write_text("not a report")
    r = hokoku("ingest", src, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a", "b"]
    assert "2 parsed, 0 failed" in r.stderr


def test_ingest_an_empty_folder_is_one_line(tmp_path):
    r = hokoku("ingest", tmp_path, "-o", tmp_path / "out")
    assert r.returncode == 1 and r.stderr.strip() == f"hokoku ingest: error: {tmp_path}: folder has no PDF files"


def test_same_stem_from_two_folders_gets_two_output_folders(tmp_path):
    for d, pdf in (("A", EXCERPT), ("B", FIXTURES / "edge/table_split.pdf")):
        (tmp_path / d).mkdir()
        shutil.copy(pdf, tmp_path / d / "x.pdf")
    out = tmp_path / "out"
    r = hokoku("ingest", tmp_path / "A/x.pdf", tmp_path / "B/x.pdf", "-o", out, "--jobs", "2")
    assert "2 inputs are named x.pdf" in r.stderr and str(tmp_path / "A/x.pdf") in r.stderr
    folders = sorted(p.name for p in out.iterdir())
    assert len(folders) == 2 and all(f.startswith("x-") and len(f) == 8 for f in folders), folders
    shas = {json.loads((out / f / "report.json").read_text(encoding="utf-8"))["source"]["sha256"] for f in folders}
    assert len(shas) == 2  # both reports kept, none replaced the other
    again = hokoku("ingest", tmp_path / "A/x.pdf", tmp_path / "B/x.pdf", "-o", out)
    assert sorted(p.name for p in out.iterdir()) == folders, again.stderr  # stable names across runs


def test_debug_page_out_of_range_is_one_line(tmp_path):
    r = hokoku("debug", EXCERPT, "--page", "9", "-o", tmp_path / "p.png")
    assert r.returncode == 1 and r.stderr.strip() == f"hokoku debug: error: {EXCERPT}: --page 9: the PDF has pages 1–5"
