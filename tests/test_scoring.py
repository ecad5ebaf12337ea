"""The field scorer (tests/scoring.py): exact values on edited copies of the truth, and the same
numbers as the acceptance scorer where shared/acceptance/ is laid beside the clone."""
from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import pytest

import scoring

ACCEPTANCE = Path(__file__).resolve().parents[2] / "shared" / "acceptance"


@pytest.fixture(scope="module")
def truth(expected) -> dict:
    return expected


def values(truth: dict, pred: dict) -> dict[str, float]:
    return {m.label: round(m.value, 2) for m in scoring.score(truth, pred)}


def test_truth_scores_100_and_nothing_scores_0(truth):
    assert set(values(truth, truth).values()) == {100.0}
    assert set(values(truth, {"projects": [], "article_opinions": []}).values()) == {0.0}
    assert set(values(truth, "not a report").values()) == {0.0}


def test_one_check_dropped_costs_exactly_its_share(truth):
    pred = copy.deepcopy(truth)
    n = sum(len(p["check"]) for p in truth["projects"])
    first = next(p for p in pred["projects"] if p["check"])
    dropped = first["check"].pop(0)
    got = values(truth, pred)
    assert got["Check items F1"] == round(200 * (n - 1) / (2 * n - 1), 2)
    assert got["Action items F1"] == 100.0
    lines = scoring.report_lines(scoring.score(truth, pred), verbose=True)
    assert any(dropped["text"][:30] in line for line in lines)


def test_kpi_value_must_match_target_and_actual(truth):
    pred = copy.deepcopy(truth)
    total = sum(len(i["values"]) for p in truth["projects"] for i in p["indicators"])
    v = pred["projects"][0]["indicators"][0]["values"][1]  # 起業化総合支援事業, 創業実績件数, 2021
    assert (v["fiscal_year"], v["actual"]) == (2021, 183)
    v["actual"] = 184
    assert values(truth, pred)["indicator values accuracy"] == round(100 * (total - 1) / total, 2)
    v["actual"] = "183"  # a number printed as text still counts
    assert values(truth, pred)["indicator values accuracy"] == 100.0


def test_printing_differences_do_not_count(truth):
    """Full-width text, circled numbers as 'no', bullets and 第N条 are the same fields."""
    pred = copy.deepcopy(truth)
    fullwidth = {c: c + 0xFEE0 for c in range(0x30, 0x3A)}
    for p in pred["projects"]:
        p["name"] = p["name"].replace(" ", "\u3000")
        for it in p["check"]:
            it["no"] = scoring.CIRCLED[it["no"] - 1]
            it["text"] = "○" + it["text"].translate(fullwidth)
    for a in pred["article_opinions"]:
        a["article"] = f"第{a['article']}条"
    assert set(values(truth, pred).values()) == {100.0}


def test_check_on_a_sibling_sub_project_counts(truth):
    pred = copy.deepcopy(truth)
    by_name = {p["name"]: p for p in pred["projects"]}
    first = by_name["工業振興関連事業 ①ものづくり中小企業経営支援事業"]
    second = by_name["工業振興関連事業 ②内陸部操業環境保全対策事業"]
    first["check"], second["check"] = second["check"], first["check"]
    assert values(truth, pred)["Check items F1"] == 100.0


def test_cli_prints_every_metric(tmp_path, truth, capsys):
    report = tmp_path / "report.json"
    report.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    assert scoring.main([str(report)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 8 and out[-1] == "extraction score: 100.0% (mean of metrics)"
    assert scoring.main([str(tmp_path / "missing.json")]) == 2


@pytest.mark.skipif(not (ACCEPTANCE / "score.py").exists(), reason="shared/acceptance/ not laid beside the clone")
def test_same_numbers_as_the_acceptance_scorer():
    spec = importlib.util.spec_from_file_location("acceptance_score", ACCEPTANCE / "score.py")
    acc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(acc)
    truth = json.loads((ACCEPTANCE / "truth.json").read_text(encoding="utf-8"))
    ours = json.loads(scoring.TRUTH.read_text(encoding="utf-8"))
    for pred in (truth, acc.restyled(truth), acc.damaged(truth), ours, {"projects": []}):
        theirs, _ = acc.score(truth, pred)
        theirs.append(("goal/plan/next_plan items", acc.sections_info(truth, pred)[0], ""))
        assert [round(v, 6) for _, v, _ in theirs] == [round(m.value, 6) for m in scoring.score(truth, pred)]
