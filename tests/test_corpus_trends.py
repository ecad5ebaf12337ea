"""Across years: corpus store, project matching, trends tables, recurring concerns, HTML view."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter

import duckdb
import pytest

from conftest import FIXTURES, ROOT
from hokoku.extract.errors import HokokuError
from hokoku.extract.model import Report, ThemeRecord
from hokoku.nlp import classify_reports, load_taxonomy
from hokoku.outputs import corpus
from hokoku.outputs.project_match import ProjectMatcher
from hokoku.outputs.trends import compute

DATA = ROOT / "tests/data"
YEARS = {"r2": DATA / "r2_synthetic_expected.json", "r3": DATA / "r3_expected.json", "r4": DATA / "r4_synthetic_expected.json"}


def _report_dict(stem: str) -> dict:
    d = json.loads(YEARS[stem].read_text(encoding="utf-8"))
    d["source"] = {"file": f"{stem}.pdf", "sha256": f"sha-{stem}", "pages": 0}
    return d


def _report(stem: str) -> Report:
    return Report.from_dict(_report_dict(stem))


@pytest.fixture(scope="module")
def three():
    dicts = [_report_dict(s) for s in YEARS]
    tax = load_taxonomy()
    found = classify_reports([(f"{s}.json", r) for s, r in zip(YEARS, dicts)], tax)
    records = [r if isinstance(r, ThemeRecord) else ThemeRecord.from_dict(r) for r in found]
    return [Report.from_dict(d) for d in dicts], records, tax.labels()


@pytest.fixture(scope="module")
def trends(three):
    reports, records, labels = three
    return compute(reports, records, labels, ProjectMatcher())


def test_theme_year_counts_match_an_independent_count(three, trends):
    _, records, _ = three
    want = Counter((r.fiscal_year, t) for r in records for t in r.themes)
    table = trends.tables["theme_year"]
    got = {(int(y), t): int(c) for y, t, c in zip(table["fiscal_year"], table["theme"], table["count"]) if c}
    assert got == dict(want)
    totals = Counter(r.fiscal_year for r in records)
    row = table[(table["fiscal_year"] == 2021) & (table["theme"] == "dx")].iloc[0]
    assert row["share"] == round(want[(2021, "dx")] / totals[2021], 4)
    assert set(trends.chi2) == {"chi2", "p", "dof"}


def test_renamed_projects_are_one_project(trends):
    kpi = trends.tables["kpi_series"]
    series = kpi[kpi["indicator"] == "知的財産交流会開催回数"]
    assert series["canonical"].nunique() == 1 and set(series["reported_in"]) == {2020, 2021, 2022}
    hist = trends.tables["project_history"]
    kigyo = hist[hist["project"].str.startswith("起業化総合支援事業")]
    assert kigyo["canonical"].nunique() == 1 and len(kigyo) == 3


def test_planted_recurring_concerns_are_flagged(trends):
    rec = trends.tables["recurring"]
    succ = rec[(rec["canonical"] == "工業振興関連事業 ②内陸部操業環境保全対策事業") & (rec["theme"] == "succession")]
    assert sorted(zip(succ["from_year"], succ["to_year"])) == [(2020, 2021), (2021, 2022)]
    # FY2022's planted succession Check is answered by an Action; FY2021's own ones are too
    assert bool(succ[succ["to_year"] == 2022]["responded"].iloc[0]) is True
    dx = rec[(rec["canonical"] == "生産性向上推進事業") & (rec["theme"] == "dx")]
    assert sorted(zip(dx["from_year"], dx["to_year"])) == [(2020, 2021), (2021, 2022)]
    # FY2022's planted DX Check got no Action: the concern is flagged as not responded
    assert bool(dx[dx["to_year"] == 2022]["responded"].iloc[0]) is False


def test_corpus_is_idempotent_and_replaces_a_corrected_file(tmp_path):
    db = tmp_path / "c.duckdb"
    r3 = _report("r3")
    assert corpus.add_report(db, r3) == "added"
    assert corpus.add_report(db, r3) == "unchanged"
    fixed = _report("r3")
    fixed.source.sha256 = "sha-r3-corrected"
    fixed.projects[0].check[0].text = "訂正後の検証意見"
    assert corpus.add_report(db, fixed) == "replaced"
    con = duckdb.connect(str(db))
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM comments WHERE text = '訂正後の検証意見'").fetchone()[0] == 1
    assert con.execute("SELECT count(DISTINCT sha256) FROM comments").fetchone()[0] == 1
    con.close()
    out = corpus.export(db, tmp_path / "parquet")
    assert {p.name for p in out} >= {"reports.parquet", "comments.parquet", "themes.parquet"}


def test_killed_ingest_leaves_a_consistent_db_and_a_rerun_completes(tmp_path):
    db = tmp_path / "k.duckdb"
    pdfs = [str(FIXTURES / "r2_synthetic.pdf"), str(FIXTURES / "r3_portrait.pdf"), str(FIXTURES / "r4_synthetic.pdf")]
    cmd = [sys.executable, "-m", "hokoku", "ingest", *pdfs, "-o", str(tmp_path / "out"), "--db", str(db), "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (tmp_path / "out" / "r2_synthetic" / "report.json").exists():
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if db.exists():  # whatever was committed is whole
        con = duckdb.connect(str(db))
        for sha, in con.execute("SELECT sha256 FROM reports").fetchall():
            assert con.execute("SELECT count(*) FROM projects WHERE sha256 = ?", [sha]).fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM projects WHERE sha256 NOT IN (SELECT sha256 FROM reports)").fetchone()[0] == 0
        con.close()
    subprocess.run(cmd, check=True, capture_output=True)
    con = duckdb.connect(str(db))
    assert sorted(y for y, in con.execute("SELECT fiscal_year FROM reports").fetchall()) == [2020, 2021, 2022]
    con.close()


def test_trends_command_writes_tables_charts_and_html(tmp_path, three):
    reports, records, _ = three
    paths = []
    for stem, rep in zip(YEARS, reports):
        p = tmp_path / f"{stem}.json"
        p.write_text(json.dumps(rep.to_dict(), ensure_ascii=False), encoding="utf-8")
        paths.append(str(p))
    themes = tmp_path / "themes.json"
    themes.write_text(json.dumps([r.to_dict() for r in records], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "trends"
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    (pdfs / "r3.pdf").write_bytes((FIXTURES / "r3_portrait.pdf").read_bytes())  # r2.pdf, r4.pdf are missing
    r = subprocess.run([sys.executable, "-m", "hokoku", "trends", *paths, "-o", str(out), "--themes", str(themes),
                        "--pdf-dir", str(pdfs)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "r2.pdf: PDF not found" in r.stderr and "r3.pdf: PDF not found" not in r.stderr
    for name in ("theme_year.csv", "theme_year.parquet", "recurring.csv", "kpi_series.csv", "cooccurrence.csv",
                 "theme_year_residuals.csv", "theme_year.png", "theme_year.svg", "residuals.svg", "index.html"):
        assert (out / name).exists(), name
    page = (out / "index.html").read_text(encoding="utf-8")
    # self-contained: no external script, style or image; the only URLs are in plotly.js' own code
    outside_js = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert "http:" not in outside_js and "https:" not in outside_js and "<script src" not in page
    assert "<mark " in page and ">事業承継</mark>" in page
    assert "令和3年度（2021）" in page
    assert 'href="../pdfs/r3.pdf"' in page and 'href="r2.pdf"' in page  # relative to index.html


def test_busy_database_waits_then_names_the_holder_in_one_line(tmp_path):
    """A second process holding the database (a notebook, another ingest): one line, no traceback."""
    db = tmp_path / "busy.duckdb"
    corpus.add_report(db, _report("r3"))
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('ready', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        t0 = time.monotonic()
        with pytest.raises(HokokuError) as e:
            corpus.connect(db, wait=0.6)
        assert time.monotonic() - t0 >= 0.5  # it waited before giving up
        msg = str(e.value)
        assert "\n" not in msg and f"PID {holder.pid}" in msg and "python" in msg and str(db) in msg
        r = subprocess.run([sys.executable, "-m", "hokoku", "export", "--db", str(db), "-o", str(tmp_path / "pq")],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert r.stderr.strip().count("\n") == 0 and "in use by" in r.stderr
    finally:
        holder.kill()
        holder.wait()
    assert corpus.add_report(db, _report("r2")) == "added"  # released: works again


def test_export_to_a_folder_with_a_quote_in_its_name(tmp_path):
    db = tmp_path / "q.duckdb"
    corpus.add_report(db, _report("r3"))
    out = tmp_path / "dir'q"
    paths = corpus.export(db, out)
    got = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(out / "comments.parquet")]).fetchone()[0]
    r3 = _report("r3")
    assert got == sum(len(p.check) for p in r3.projects) + sum(len(o.opinions) for o in r3.article_opinions)
    assert {p.name for p in paths} == {f"{t}.parquet" for t in corpus.TABLES}
    assert not list(out.glob(".*.tmp"))
