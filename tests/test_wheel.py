"""The wheel users install: one import root, data files included, every command runs from it.

Builds the wheel from a copy of the sources (as a fresh clone would), installs it into a
fresh venv that reaches the dev venv's dependencies through a .pth line (so the editable
install's finder is *not* active and `hokoku` imports from the wheel), then runs every
command once on a fixture. Marked slow (about a minute); `make test` runs it explicitly.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow

SOURCES = ("hokoku", "extract", "nlp", "outputs", "pyproject.toml", "README.md")
PDF = FIXTURES / "edge/excerpt_3p.pdf"


def build_wheel(src: Path, dest: Path) -> Path:
    """Copy the installable sources of `src` and build a wheel of them into `dest`."""
    tree = dest / "src"
    for name in SOURCES:
        p = src / name
        if p.is_dir():
            shutil.copytree(p, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            tree.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, tree / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(tree), "-w", str(dest)],
                   check=True, capture_output=True, text=True)
    (wheel,) = dest.glob("hokoku-*.whl")
    return wheel


def install_in_fresh_venv(wheel: Path, dest: Path) -> Path:
    """A new venv holding only the wheel; dependencies come from the running venv via a .pth line."""
    venv = dest / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin/python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, capture_output=True, text=True)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "_dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(ROOT, tmp)
    return wheel, install_in_fresh_venv(wheel, tmp)


def test_wheel_has_one_import_root_and_the_data_files(wheel_venv):
    wheel, _ = wheel_venv
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"hokoku"}
    for needed in ("hokoku/outputs/draft/__init__.py", "hokoku/outputs/templates/default.docx",
                   "hokoku/extract/headings.toml", "hokoku/extract/report.schema.json", "hokoku/nlp/themes.toml", "hokoku/outputs/xlsx.py"):
        assert needed in names
    assert not [n for n in names if "fixtures" in n or n.startswith("tests/")]


def smoke(venv: Path, work: Path) -> list[tuple[list[str], subprocess.CompletedProcess]]:
    """Every command once, from the installed wheel, on the excerpt fixture."""
    exe = str(venv / "bin/hokoku")
    out = work / "out"
    db = str(out / "corpus.duckdb")
    report = str(out / "excerpt_3p/report.json")
    commands = [
        ["--version"],
        ["ingest", str(PDF), "-o", str(out), "--db", db],
        ["themes", report, "-o", str(out / "themes.json"), "--matrix", str(out / "matrix.xlsx")],
        ["draft", report, "-o", str(out / "draft.docx"), "--with-themes", str(out / "themes.json")],
        ["trends", report, "-o", str(out / "trends"), "--themes", str(out / "themes.json")],
        ["export", "--db", db, "-o", str(out / "export")],
        ["validate", report],
        ["schema"],
        ["eval-themes", str(ROOT / "tests/data/themes_labeled.csv")],
        ["debug", str(PDF), "--page", "2", "-o", str(out / "page2.png")],
    ]
    return [(cmd, subprocess.run([exe, *cmd], capture_output=True, text=True, cwd=work)) for cmd in commands]


def test_every_command_runs_from_the_wheel(wheel_venv, tmp_path):
    _, venv = wheel_venv
    where = subprocess.run([str(venv / "bin/python"), "-c", "import hokoku.outputs.draft as d; print(d.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert where.stdout.strip().startswith(str(venv)), where  # the wheel's copy, not the worktree's
    for cmd, r in smoke(venv, tmp_path):
        assert "Traceback" not in r.stderr and r.returncode == 0, (cmd, r.stderr[-2000:])
    out = tmp_path / "out"
    report = json.loads((out / "excerpt_3p/report.json").read_text(encoding="utf-8"))
    assert report["projects"][0]["name"] == "起業化総合支援事業"
    themes = json.loads((out / "themes.json").read_text(encoding="utf-8"))
    assert themes and themes[0]["project"] == "起業化総合支援事業"
    assert (out / "draft.docx").read_bytes().startswith(b"PK")
    assert (out / "trends/index.html").exists() and (out / "page2.png").read_bytes().startswith(b"\x89PNG")
    assert list((out / "export").glob("*.parquet"))
