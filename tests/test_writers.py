"""report.json and the flat tables carry the real values; writes are atomic."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from hokoku.outputs import report_io


@pytest.fixture(scope="module")
def written(portrait, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    report_io.write_report(portrait, out)
    return out


def test_report_json_follows_the_contract(written):
    d = json.loads((written / "report.json").read_text(encoding="utf-8"))
    assert d["schema_version"] == 1 and d["source"]["file"] == "r3_portrait.pdf" and len(d["source"]["sha256"]) == 64
    assert d["report"] == {"title": "中小企業活性化施策実施状況報告書", "fiscal_year": 2021,
                           "era_label": "令和3年度", "published": "令和4年8月", "organisation": None}
    p = d["projects"][0]
    assert set(p) >= {"name", "article", "kind", "pages", "goal", "plan", "activities", "indicators", "results",
                      "achievements", "challenges", "check", "action", "next_plan", "tables"}
    assert "起業" in (written / "report.json").read_text(encoding="utf-8")  # ensure_ascii=False


def test_indicator_value_in_csv_parquet_and_xlsx(written):
    name = "川崎市創業支援事業計画全体での創業実績件数"
    csv = pd.read_csv(written / "indicators.csv", encoding="utf-8-sig")
    assert (written / "indicators.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    pq = pd.read_parquet(written / "indicators.parquet")
    xl = pd.read_excel(written / "report.xlsx", sheet_name="成果・活動指標")
    for df, ind, year, actual in ((csv, "indicator", "year", "actual"), (pq, "indicator", "year", "actual"),
                                  (xl, "指標名", "年度", "実績")):
        row = df[(df[ind] == name) & (df[year] == 2021)]
        assert float(row[actual].iloc[0]) == 183


def test_comments_and_actions_tables(written):
    comments = pd.read_csv(written / "comments.csv", encoding="utf-8-sig")
    first = comments[comments["project"] == "起業化総合支援事業"].iloc[0]
    assert first["no"] == 1 and first["text"].startswith("K-NICにおいて創業者の支援")
    actions = pd.read_csv(written / "actions.csv", encoding="utf-8-sig")
    seisan = actions[actions["project"] == "生産性向上推進事業"].iloc[0]
    assert seisan["answers"] == "1,2,3"
    sheets = pd.read_excel(written / "report.xlsx", sheet_name=None)
    assert list(sheets) == ["事業一覧", "成果・活動指標", "検証意見", "対応", "条文別検証意見"]


def test_failed_write_leaves_previous_output_intact(portrait, tmp_path, monkeypatch):
    report_io.write_report(portrait, tmp_path)
    before = (tmp_path / "report.xlsx").read_bytes()

    def boom(frames, path):
        path.write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(report_io, "write_xlsx", boom)
    with pytest.raises(OSError):
        report_io.write_report(portrait, tmp_path)
    assert (tmp_path / "report.xlsx").read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))
