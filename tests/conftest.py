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
