"""The installed command: outputs per input, one line per failure, exit codes, clean stdout."""
from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES


def hokoku(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "hokoku", *args], capture_output=True, text=True, cwd=cwd)


def test_ingest_good_and_bad_files(tmp_path):
    good = FIXTURES / "edge/excerpt_3p.pdf"
    bad = FIXTURES / "edge/not_a_pdf.pdf"
    r = hokoku("ingest", str(good), str(bad), "-o", str(tmp_path), "--jobs", "2")
    assert r.returncode == 1
    assert r.stdout == ""
    errors = [ln for ln in r.stderr.splitlines() if "error:" in ln]
    assert errors == [f"hokoku ingest: error: {bad}: not a PDF file (no %PDF header)"]
    assert "1 parsed, 1 failed" in r.stderr and "Traceback" not in r.stderr
    assert f"hokoku ingest: {good} → {tmp_path / 'excerpt_3p'}/" in r.stderr.splitlines()
    out = tmp_path / "excerpt_3p"
    assert {p.name for p in out.iterdir()} >= {"report.json", "report.xlsx", "projects.csv", "indicators.parquet",
                                                "comments.csv", "actions.csv", "article_opinions.csv"}


def test_ingest_single_input_uses_stem_folder(tmp_path):
    r = hokoku("ingest", str(FIXTURES / "edge/excerpt_3p.pdf"), "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "excerpt_3p" / "report.json").exists()


def test_help_describes_commands():
    r = hokoku("--help")
    for cmd in ("ingest", "themes", "draft", "trends", "debug"):
        assert cmd in r.stdout


def test_debug_draws_page(tmp_path):
    out = tmp_path / "p.png"
    r = hokoku("debug", str(FIXTURES / "edge/excerpt_3p.pdf"), "--page", "2", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
