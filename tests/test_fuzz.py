"""Damaged inputs never crash with a traceback or hang.

PDFs: a seeded loop of byte flips and cuts. report.json: hypothesis mutates structure and
Unicode and runs themes / draft / trends through the CLI — exit 0, or 1 with one-line errors.
"""
from __future__ import annotations

import contextlib
import functools
import io
import json
import random
import re
import signal
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from hokoku.cli import main
from hokoku.extract import parse_report
from hokoku.extract.errors import InputError

SOURCE = FIXTURES / "edge" / "excerpt_3p.pdf"
PER_CASE_SECONDS = 20


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def mutate(data: bytes, rnd: random.Random) -> bytes:
    b = bytearray(data)
    kind = rnd.choice(["flip", "cut", "splice", "zero"])
    if kind == "flip":
        for _ in range(rnd.randint(1, 40)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
    elif kind == "cut":
        b = b[: rnd.randrange(len(b))]
    elif kind == "splice":
        i, j = sorted(rnd.randrange(len(b)) for _ in range(2))
        b = b[:i] + b[j:] + b[i:j]
    else:
        i = rnd.randrange(len(b))
        b[i: i + rnd.randint(1, 500)] = bytes(min(500, len(b) - i))
    return bytes(b)


def run_cases(tmp_path, budget_seconds: float, seed: int) -> int:
    rnd = random.Random(seed)
    data = SOURCE.read_bytes()
    old = signal.signal(signal.SIGALRM, _alarm)
    n = 0
    start = time.time()
    try:
        while time.time() - start < budget_seconds:
            f = tmp_path / f"case{n}.pdf"
            f.write_bytes(mutate(data, rnd))
            signal.alarm(PER_CASE_SECONDS)
            try:
                parse_report(f)
            except InputError as e:
                assert "\n" not in str(e) and str(f) in str(e)
            except Hang:
                pytest.fail(f"case {n} (seed {seed}) hung for {PER_CASE_SECONDS} s")
            finally:
                signal.alarm(0)
            n += 1
    finally:
        signal.signal(signal.SIGALRM, old)
    return n


def test_fuzz_short(tmp_path):
    assert run_cases(tmp_path, 10, seed=7) > 5


@pytest.mark.slow
def test_fuzz_long(tmp_path):
    assert run_cases(tmp_path, 60, seed=11) > 30


# --- report.json mutated (structure and Unicode) through themes / draft / trends -----------------


_TEXT = st.text(st.one_of(st.characters(), st.characters(categories=["Cs"]), st.sampled_from("\x00\x07\x1b\t\r\n=+-@<&\"'\ufeff")),
                max_size=30)
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(), _TEXT)
_JSON = st.recursive(_LEAF, lambda c: st.lists(c, max_size=3) | st.dictionaries(_TEXT, c, max_size=3), max_leaves=6)
CLI_COMMANDS = {
    "themes": lambda f, out: ["themes", f, "-o", out / "themes.json"],
    "draft": lambda f, out: ["draft", f, "-o", out / "draft.docx"],
    "trends": lambda f, out: ["trends", f, "-o", out / "trends"],
    "validate": lambda f, out: ["validate", f],
}


@functools.lru_cache(maxsize=1)
def _base_report() -> str:
    from hokoku.outputs.report_io import report_json

    return report_json(parse_report(SOURCE))


def _paths(o, prefix=()):
    yield prefix
    if isinstance(o, dict):
        for k, v in o.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(o, list):
        for i, v in enumerate(o):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated_report(draw) -> bytes:
    """The excerpt's report.json with 1–3 nodes replaced, deleted or given hostile text; sometimes
    re-encoded or cut."""
    doc = json.loads(_base_report())
    paths = [p for p in _paths(doc) if p]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        parent = doc
        try:
            for k in path[:-1]:
                parent = parent[k]
            key = path[-1]
            op = draw(st.sampled_from(["replace", "delete", "text"]))
            if op == "delete" and isinstance(parent, dict):
                del parent[key]
            else:
                parent[key] = draw(_TEXT if op == "text" else _JSON)
        except (KeyError, IndexError, TypeError):  # an earlier mutation removed the way there
            continue
    raw = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    form = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "shift_jis", "cut", "top"]))
    if form == "top":
        return json.dumps(draw(_JSON)).encode()
    if form == "cut":
        data = raw.encode("utf-8", "surrogatepass")
        return data[: draw(st.integers(0, len(data)))]
    return raw.encode(form, "surrogatepass" if form == "utf-8" else "replace")


def check_cli_on(command: str, data: bytes) -> int:
    """Run one command in-process on `data` as report.json: exit 0, or 1 with one-line errors only."""
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "report.json"
        f.write_bytes(data)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            rc = main([str(a) for a in CLI_COMMANDS[command](f, Path(d))])  # an escaping exception fails the test
        text = err.getvalue()
        assert rc in (0, 1) and "Traceback" not in text, text
        errors = [ln for ln in text.splitlines() if ": error: " in ln]
        assert (rc == 1) == bool(errors), text
        assert all(ln.startswith(f"hokoku {command}: error: {f}") for ln in errors), text
        return rc


def _fuzz(command: str, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated_report())
    def run(data):
        check_cli_on(command, data)

    run()


@pytest.mark.parametrize("command", CLI_COMMANDS)
def test_mutated_report_json_short(command):
    _fuzz(command, 8)


@pytest.mark.slow
@pytest.mark.parametrize("command", CLI_COMMANDS)
def test_mutated_report_json_long(command):
    _fuzz(command, 150)


@pytest.mark.parametrize("command", CLI_COMMANDS)
@pytest.mark.parametrize("data", [b"{}", b"[]", b"null", "{\"a\": \"報告\"}".encode("shift_jis")])
def test_not_a_report_is_one_error_line(command, data):
    """Issue 14: `themes` exited 0 on `{}`; the others crashed on `[]`."""
    assert check_cli_on(command, data) == 1


def test_damaged_pdfs_through_ingest_print_only_hokoku_lines(tmp_path):
    """pdfminer's own log lines never reach the terminal; each file gets hokoku's lines only."""
    import subprocess
    import sys

    rnd = random.Random(5)
    data = SOURCE.read_bytes()
    src = tmp_path / "in"
    src.mkdir()
    for i in range(40):
        (src / f"case{i:02d}.pdf").write_bytes(mutate(data, rnd))
    r = subprocess.run([sys.executable, "-m", "hokoku", "ingest", str(src), "-o", str(tmp_path / "out"), "-j", "2"],
                       capture_output=True, text=True, timeout=600)
    lines = r.stderr.splitlines()
    assert lines and all(ln.startswith(("hokoku ingest: ", str(src))) for ln in lines), r.stderr
    assert lines[-1].startswith("hokoku ingest: ") and "parsed" in lines[-1] and "Traceback" not in r.stderr
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", r.stderr)  # a NUL from a damaged stream shows as \x00
