"""The installed command: outputs per input, one line per failure, exit codes, clean stdout."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES
from hokoku.extract import parse_report
from hokoku.outputs.report_io import write_report


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


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The files of an output set that are byte-for-byte reproducible (text formats)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".json", ".csv")}


@pytest.mark.slow  # minutes on a loaded machine: runs in make test-slow (CI)
def test_kill_during_reingest_leaves_the_old_or_the_new_set(tmp_path):
    """kill -9 at moments spread over the write phase: OUT/x/ is always one complete set."""
    old_pdf, new_pdf = FIXTURES / "edge/excerpt_3p.pdf", FIXTURES / "edge/table_split.pdf"
    for name, pdf in (("old", old_pdf), ("new", new_pdf)):
        (tmp_path / name).mkdir()
        shutil.copy(pdf, tmp_path / name / "x.pdf")
        write_report(parse_report(tmp_path / name / "x.pdf"), tmp_path / f"ref_{name}/x")
    ref_old, ref_new = _snapshot(tmp_path / "ref_old/x"), _snapshot(tmp_path / "ref_new/x")
    names = {p.name for p in (tmp_path / "ref_old/x").iterdir()}
    out = tmp_path / "out"
    seen = set()
    for delay in (0.0, 0.02, 0.1):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(tmp_path / "ref_old", out)
        proc = subprocess.Popen([sys.executable, "-m", "hokoku", "ingest", str(tmp_path / "new/x.pdf"), "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while proc.poll() is None and not list(out.glob(".x.*.tmp")) and not list(out.glob("x/.*.tmp")) \
                and time.time() < deadline:
            time.sleep(0.002)  # wait until the new set is being written
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert {p.name for p in (out / "x").iterdir()} == names
        snap = _snapshot(out / "x")
        assert snap in (ref_old, ref_new), f"mixed set after kill at +{delay}s"
        seen.add("old" if snap == ref_old else "new")
    assert "old" in seen  # at least one kill landed while writing
    leftover = list(out.glob(".x.*.tmp"))
    for p in leftover:
        os.utime(p, (0, 0))  # age the temporaries: the next run removes them
    assert hokoku("ingest", str(tmp_path / "new/x.pdf"), "-o", str(out)).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["x"] and _snapshot(out / "x") == ref_new
