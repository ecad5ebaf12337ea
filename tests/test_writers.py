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
                           "era_label": "令和3年度", "published": "令和4年8月", "organisation": "川崎市"}
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
    assert not list(tmp_path.parent.glob(f".{tmp_path.name}.*.tmp"))


def test_excel_sheets_are_ready_for_analysts(written):
    from openpyxl import load_workbook

    wb = load_workbook(written / "report.xlsx")
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws["A1"].font.b
    ws = wb["成果・活動指標"]
    head = [c.value for c in ws[1]]
    rate, actual, name = head.index("達成率") + 1, head.index("実績") + 1, head.index("指標名") + 1
    row = next(r for r in ws.iter_rows(min_row=2) if r[name - 1].value == "川崎市創業支援事業計画全体での創業実績件数"
               and r[head.index("年度")].value == 2021)
    assert row[actual - 1].value == 183
    assert row[rate - 1].number_format == "0.0%" and 0 < row[rate - 1].value < 10  # a ratio shown as a percent
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(head)).column_letter}{ws.max_row}"


def test_outputs_get_umask_permissions(written):
    import os

    mask = os.umask(0)
    os.umask(mask)
    for f in ("report.json", "report.xlsx", "comments.csv", "comments.parquet"):
        assert (written / f).stat().st_mode & 0o777 == 0o666 & ~mask, f
    assert written.stat().st_mode & 0o777 == 0o777 & ~mask


def test_rewrite_replaces_the_whole_set(portrait, tmp_path):
    out = tmp_path / "r"
    report_io.write_report(portrait, out)
    (out / "stale_extra.csv").write_text("from an older version")
    report_io.write_report(portrait, out)
    assert not (out / "stale_extra.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no temporaries left beside it


def test_clean_stale_removes_old_temporaries_and_restores_an_aside_set(tmp_path):
    import os

    from hokoku.outputs.atomic import clean_stale

    old_tmp = tmp_path / ".x.abcd1234.tmp"
    old_tmp.mkdir()
    (old_tmp / "half.csv").write_text("half")
    fresh = tmp_path / ".y.efgh5678.tmp"  # a run writing right now keeps its temporary
    fresh.write_text("")
    aside = tmp_path / ".z.ijkl9012.tmp.old"  # killed between the two renames: z's old set
    aside.mkdir()
    (aside / "report.json").write_text("{}")
    os.utime(old_tmp, (0, 0))
    clean_stale(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".y.efgh5678.tmp", "z"]
    assert (tmp_path / "z/report.json").read_text() == "{}"


def test_stdout_destination_writes_bytes_to_stdout(capfdbinary):
    from hokoku.outputs.atomic import write_text

    write_text("-", "番号,本文\n")
    assert capfdbinary.readouterr().out == "番号,本文\n".encode()


def test_next_write_removes_a_killed_runs_temporary(tmp_path):
    import os

    from hokoku.outputs.atomic import write_text

    left = tmp_path / ".themes.json.k1ll3d00.tmp"  # what kill -9 during a write leaves
    left.write_text("half")
    os.utime(left, (0, 0))
    write_text(tmp_path / "themes.json", "[]\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["themes.json"]
