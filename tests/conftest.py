"""Shared test fixtures: parsed reports are cached per session (parsing takes seconds)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


@lru_cache(maxsize=None)
def parsed_report(name: str):
    from hokoku.extract import parse_report

    return parse_report(FIXTURES / f"{name}.pdf")


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((ROOT / "tests/data/r3_expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def portrait():
    return parsed_report("r3_portrait")


@pytest.fixture(scope="session", autouse=True)
def ingest_outputs_fit_the_schema(tmp_path_factory):
    """Issue 23: every report.json an ingest run of this session wrote (a folder holding its
    report.xlsx too: the set write_report swaps in) validates against the published schema."""
    yield
    import jsonschema

    schema = json.loads((ROOT / "extract/report.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    written = [f for f in tmp_path_factory.getbasetemp().rglob("report.json") if (f.parent / "report.xlsx").exists()]
    bad = [f"{f}: {e.json_path}: {e.message}" for f in written
           for e in validator.iter_errors(json.loads(f.read_text(encoding="utf-8")))]
    assert not bad, "\n".join(bad[:20])
