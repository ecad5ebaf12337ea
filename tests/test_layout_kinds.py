"""Kinds of layout drawn with the Typst renderer's newer options (landscape panels with a
「事業名：」 band, a No. | 主な検証意見 | 対応 table, one その他 grid with article rows) read as
the seed says: the mechanisms (a number column, a name label, article rows in a table, a
panel's first line in the margin zone) rather than any one file."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from hokoku.extract import parse_report
from hokoku.extract.patterns import load_patterns
import scoring
from conftest import ROOT
from test_typst import _seed_doc

PATS = load_patterns()


def test_name_label_and_number_head_are_data():
    """「事業名：」 before a name is no part of it; 「No.」 heads a column of item numbers."""
    assert PATS.title_number.sub("", "事業名：起業化総合支援事業") == "起業化総合支援事業"
    assert PATS.title_number.sub("", "■ 事務事業名: 技能奨励事業") == "技能奨励事業"
    assert PATS.title_number.sub("", "事業承継支援事業") == "事業承継支援事業"
    assert PATS.is_number_head("No.") and PATS.is_number_head("番 号")
    assert not PATS.is_number_head("主な検証意見")


def _read(monkeypatch, tmp_path, **options) -> tuple[dict, dict]:
    pytest.importorskip("typst")
    doc = _seed_doc(monkeypatch)  # (puts the checkout on the path: fixtures/)
    from fixtures import render_typst as rt

    look = replace(rt.VARIANTS["typst_a4"], name="kind", **options)
    rt.render(rt.variant_doc(doc, look), look, tmp_path)
    truth = json.loads((ROOT / rt.TRUTH[look.delta]).read_text(encoding="utf-8"))
    return truth, parse_report(str(tmp_path / "kind.pdf")).to_dict()


def _metrics(truth: dict, read: dict) -> dict[str, float]:
    return {m.label: m.value for m in scoring.score(truth, read)}


@pytest.mark.slow  # a render and a parse: make test-slow (CI)
def test_paired_check_action_table_with_number_column(monkeypatch, tmp_path):
    """Each Check beside the Action answering it, its number in a 「No.」 column: every Check
    and Action of the SYNTHETIC FY2020 year read, numbers and answers as printed."""
    truth, read = _read(monkeypatch, tmp_path, delta=-1, label="angle", check_action="paired", other="one_grid")
    got = {p["name"]: p for p in read["projects"]}
    first = truth["projects"][0]
    assert [(c["no"], c["text"]) for c in got[first["name"]]["check"]] == [(c["no"], c["text"]) for c in first["check"]]
    assert [a["answers"] for a in got[first["name"]]["action"]] == [a["answers"] for a in first["action"]]
    m = _metrics(truth, read)
    assert min(v for k, v in m.items() if k.startswith(("Check", "Action"))) >= 0.99


@pytest.mark.slow
def test_landscape_panels_with_name_band_and_article_rows(monkeypatch, tmp_path):
    """A4 landscape in two panels, names in a 「事業名：…」 band, the その他 table with a row
    per article: names as the project list gives them, no article row taken for a project."""
    truth, read = _read(monkeypatch, tmp_path, delta=1, landscape=True, columns=2, margin_mm=(14, 14), size=8.5,
                        label="bracket", name_look="prefixed", check_action="stacked", opinions="lists",
                        opinion_mark="○", other="row_table")
    names = [p["name"] for p in read["projects"]]
    assert sorted(p["name"] for p in truth["projects"]) == sorted(names)
    assert not any(n.startswith("事業名") or PATS.article_heading(n) is not None for n in names)
    assert min(_metrics(truth, read).values()) >= 0.99
