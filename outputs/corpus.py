"""A corpus of reports in an embedded DuckDB database, for analysis across years.

Every row carries the sha256 of the PDF it came from and, where known, the
page. Adding the same file again changes nothing; a different file for the
same fiscal year and title (a corrected PDF) replaces the old rows in one
transaction, so a run killed midway leaves the database as it was.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from .project_match import ProjectMatcher

DEFAULT_DB = "hokoku.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (sha256 VARCHAR PRIMARY KEY, file VARCHAR, fiscal_year INTEGER, title VARCHAR,
    era_label VARCHAR, published VARCHAR, pages INTEGER, added_at TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS projects (sha256 VARCHAR, fiscal_year INTEGER, project_no INTEGER, name VARCHAR,
    canonical VARCHAR, article INTEGER, kind VARCHAR, pages VARCHAR, page INTEGER);
CREATE TABLE IF NOT EXISTS indicators (sha256 VARCHAR, fiscal_year INTEGER, project VARCHAR, canonical VARCHAR,
    indicator VARCHAR, unit VARCHAR, year INTEGER, target DOUBLE, actual DOUBLE, target_text VARCHAR,
    actual_text VARCHAR, page INTEGER);
CREATE TABLE IF NOT EXISTS comments (sha256 VARCHAR, fiscal_year INTEGER, project VARCHAR, canonical VARCHAR,
    article INTEGER, kind VARCHAR, no INTEGER, text VARCHAR, page INTEGER);
CREATE TABLE IF NOT EXISTS actions (sha256 VARCHAR, fiscal_year INTEGER, project VARCHAR, canonical VARCHAR,
    article INTEGER, no INTEGER, answers VARCHAR, text VARCHAR, page INTEGER);
CREATE TABLE IF NOT EXISTS themes (sha256 VARCHAR, fiscal_year INTEGER, project VARCHAR, canonical VARCHAR,
    article INTEGER, kind VARCHAR, no INTEGER, theme VARCHAR, score DOUBLE, evidence VARCHAR);
"""
TABLES = ["reports", "projects", "indicators", "comments", "actions", "themes"]
DATA_TABLES = TABLES[1:]


def connect(db: str | Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(db))
    con.execute(SCHEMA)
    return con


def _page(item: dict) -> int | None:
    return (item.get("provenance") or {}).get("page")


def add_report(db: str | Path, report: dict, matcher: ProjectMatcher | None = None) -> str:
    """Add one report.json dict; returns 'added', 'unchanged' or 'replaced'."""
    matcher = matcher or ProjectMatcher.for_db(db)
    src = report["source"]
    sha, info = src["sha256"], report["report"]
    fy = info.get("fiscal_year")
    con = connect(db)
    in_tx = False
    try:
        if con.execute("SELECT 1 FROM reports WHERE sha256 = ?", [sha]).fetchone():
            return "unchanged"
        con.execute("BEGIN TRANSACTION")
        in_tx = True
        old = [r[0] for r in con.execute("SELECT sha256 FROM reports WHERE fiscal_year = ? AND title = ?",
                                         [fy, info.get("title")]).fetchall()]
        for o in old:
            for t in TABLES:
                con.execute(f"DELETE FROM {t} WHERE sha256 = ?", [o])
        con.execute("INSERT INTO reports (sha256, file, fiscal_year, title, era_label, published, pages) VALUES (?,?,?,?,?,?,?)",
                    [sha, src.get("file"), fy, info.get("title"), info.get("era_label"), info.get("published"), src.get("pages")])
        for n, p in enumerate(report.get("projects", []), start=1):
            canon = matcher.canonical(p["name"])
            con.execute("INSERT INTO projects VALUES (?,?,?,?,?,?,?,?,?)",
                        [sha, fy, n, p["name"], canon, p.get("article"), p.get("kind"),
                         ",".join(map(str, p.get("pages", []))), _page(p)])
            for ind in p.get("indicators", []):
                for v in ind.get("values", []):
                    con.execute("INSERT INTO indicators VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                                [sha, fy, p["name"], canon, ind["name"], ind.get("unit"), v["fiscal_year"],
                                 v.get("target"), v.get("actual"), v.get("target_text"), v.get("actual_text"),
                                 _page(v) or _page(ind)])
            for c in p.get("check", []):
                con.execute("INSERT INTO comments VALUES (?,?,?,?,?,?,?,?,?)",
                            [sha, fy, p["name"], canon, p.get("article"), "check", c["no"], c["text"], _page(c)])
            for a in p.get("action", []):
                con.execute("INSERT INTO actions VALUES (?,?,?,?,?,?,?,?,?)",
                            [sha, fy, p["name"], canon, p.get("article"), a["no"],
                             ",".join(map(str, a.get("answers", [a["no"]]))), a["text"], _page(a)])
        for op in report.get("article_opinions", []):
            for i, text in enumerate(op.get("opinions", []), start=1):
                con.execute("INSERT INTO comments VALUES (?,?,?,?,?,?,?,?,?)",
                            [sha, fy, None, None, op.get("article"), "article_opinion", i, text, _page(op)])
        con.execute("COMMIT")
        return "replaced" if old else "added"
    except BaseException:
        if in_tx:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def add_report_files(db: str | Path, paths: list[str | Path]) -> list[str]:
    matcher = ProjectMatcher.for_db(db)
    return [add_report(db, json.loads(Path(p).read_text(encoding="utf-8")), matcher) for p in paths]


def add_themes(db: str | Path, records: list[dict], source_sha: dict[str, str] | None = None) -> int:
    """Store theme records; each record's `source` names a report.json whose sha256 is looked up
    by file name in `source_sha` (or by fiscal year in the database). Replaces earlier themes."""
    matcher = ProjectMatcher.for_db(db)
    con = connect(db)
    try:
        by_year = dict(con.execute("SELECT fiscal_year, sha256 FROM reports").fetchall())
        rows = []
        for r in records:
            sha = (source_sha or {}).get(r["source"]) or by_year.get(r["fiscal_year"])
            if sha is None:
                continue
            canon = matcher.canonical(r["project"]) if r["project"] else None
            for t in r["themes"]:
                rows.append([sha, r["fiscal_year"], r["project"], canon, r["article"], r["kind"], r["no"], t,
                             r["scores"].get(t), " / ".join(r["evidence"].get(t, []))])
        shas = sorted({row[0] for row in rows})
        con.execute("BEGIN TRANSACTION")
        for sha in shas:
            con.execute("DELETE FROM themes WHERE sha256 = ?", [sha])
        if rows:
            con.executemany("INSERT INTO themes VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        con.execute("COMMIT")
        return len(rows)
    finally:
        con.close()


def export(db: str | Path, outdir: str | Path) -> list[Path]:
    """Every table as Parquet (for pandas, DuckDB or Spark)."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    con = connect(db)
    written = []
    try:
        for t in TABLES:
            dest = outdir / f"{t}.parquet"
            tmp = outdir / f".{t}.parquet.tmp"
            con.execute(f"COPY {t} TO '{tmp}' (FORMAT PARQUET)")
            tmp.replace(dest)
            written.append(dest)
    finally:
        con.close()
    return written
