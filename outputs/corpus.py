"""A corpus of reports in an embedded DuckDB database, for analysis across years.

Every row carries the sha256 of the PDF it came from and, where known, the
page. Adding the same file again changes nothing; a different file for the
same fiscal year and title (a corrected PDF) replaces the old rows in one
transaction, so a run killed midway leaves the database as it was.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterable
from pathlib import Path

import duckdb

from hokoku.extract.errors import HokokuError
from hokoku.extract.model import Provenance, Report, ThemeRecord

from .atomic import atomic_path
from .project_match import ProjectMatcher

DEFAULT_DB = "hokoku.duckdb"
BUSY_WAIT = 5.0  # seconds to wait for another program to release the database
BUSY_POLL = 0.25
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
BUSY_MESSAGE = ("{db}: corpus database is in use by {holder}; close it there (in a notebook: con.close()) "
                "or wait for it to finish, then run again")

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


def connect(db: str | Path, wait: float = BUSY_WAIT) -> duckdb.DuckDBPyConnection:
    """Open the corpus (creating its tables). When another process holds it, retry for `wait`
    seconds, then raise HokokuError naming the holder (one line, no traceback)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(db))
            break
        except duckdb.IOException as e:
            m = _LOCK_HOLDER.search(str(e))
            if m is None:
                raise HokokuError(f"{db}: cannot open the corpus database ({str(e).splitlines()[0]})") from None
            if time.monotonic() >= deadline:
                holder = f"{Path(m['program']).name} (PID {m['pid']})"
                raise HokokuError(BUSY_MESSAGE.format(db=db, holder=holder)) from None
            time.sleep(BUSY_POLL)
    con.execute(SCHEMA)
    return con


def _page(prov: Provenance | None) -> int | None:
    return prov.page if prov else None


def add_report(db: str | Path, report: Report, matcher: ProjectMatcher | None = None) -> str:
    """Add one report; returns 'added', 'unchanged' or 'replaced'."""
    matcher = matcher or ProjectMatcher.for_db(db)
    src, info = report.source, report.report
    sha, fy = src.sha256, info.fiscal_year
    con = connect(db)
    in_tx = False
    try:
        if con.execute("SELECT 1 FROM reports WHERE sha256 = ?", [sha]).fetchone():
            return "unchanged"
        con.execute("BEGIN TRANSACTION")
        in_tx = True
        old = [r[0] for r in con.execute("SELECT sha256 FROM reports WHERE fiscal_year = ? AND title = ?",
                                         [fy, info.title]).fetchall()]
        for o in old:
            for t in TABLES:
                con.execute(f"DELETE FROM {t} WHERE sha256 = ?", [o])  # t: a name from TABLES, not input
        con.execute("INSERT INTO reports (sha256, file, fiscal_year, title, era_label, published, pages) VALUES (?,?,?,?,?,?,?)",
                    [sha, src.file, fy, info.title, info.era_label, info.published, src.pages])
        for n, p in enumerate(report.projects, start=1):
            canon = matcher.canonical(p.name)
            con.execute("INSERT INTO projects VALUES (?,?,?,?,?,?,?,?,?)",
                        [sha, fy, n, p.name, canon, p.article, p.kind, ",".join(map(str, p.pages)), _page(p.provenance)])
            for ind in p.indicators:
                for v in ind.values:
                    con.execute("INSERT INTO indicators VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                                [sha, fy, p.name, canon, ind.name, ind.unit, v.fiscal_year, v.target, v.actual,
                                 v.target_text, v.actual_text, _page(v.provenance) or _page(ind.provenance)])
            for c in p.check:
                con.execute("INSERT INTO comments VALUES (?,?,?,?,?,?,?,?,?)",
                            [sha, fy, p.name, canon, p.article, "check", c.no, c.text, _page(c.provenance)])
            for a in p.action:
                con.execute("INSERT INTO actions VALUES (?,?,?,?,?,?,?,?,?)",
                            [sha, fy, p.name, canon, p.article, a.no, ",".join(map(str, a.answers or [a.no])), a.text,
                             _page(a.provenance)])
        for op in report.article_opinions:
            for i, text in enumerate(op.opinions, start=1):
                con.execute("INSERT INTO comments VALUES (?,?,?,?,?,?,?,?,?)",
                            [sha, fy, None, None, op.article, "article_opinion", i, text, _page(op.provenance)])
        con.execute("COMMIT")
        return "replaced" if old else "added"
    except BaseException:
        if in_tx:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def add_report_files(db: str | Path, paths: list[str | Path]) -> list[str]:
    """Add saved report.json files (each read with Report.load: one-line errors)."""
    matcher = ProjectMatcher.for_db(db)
    return [add_report(db, Report.load(p), matcher) for p in paths]


def add_themes(db: str | Path, records: Iterable[ThemeRecord | dict], source_sha: dict[str, str] | None = None) -> int:
    """Store theme records (ThemeRecord, or contract dicts read through ThemeRecord.from_dict);
    each record's `source` names a report.json whose sha256 is looked up by file name in
    `source_sha` (or by fiscal year in the database). Replaces earlier themes."""
    from .trends import evidence_items

    matcher = ProjectMatcher.for_db(db)
    con = connect(db)
    try:
        by_year = dict(con.execute("SELECT fiscal_year, sha256 FROM reports").fetchall())
        rows = []
        for rec in records:
            r = rec if isinstance(rec, ThemeRecord) else ThemeRecord.from_dict(rec)
            sha = (source_sha or {}).get(r.source) or by_year.get(r.fiscal_year)
            if sha is None:
                continue
            canon = matcher.canonical(r.project) if r.project else None
            words = evidence_items(r)
            for t in r.themes:
                rows.append([sha, r.fiscal_year, r.project, canon, r.article, r.kind, r.no, t, r.scores.get(t),
                             " / ".join(w for th, w, _ in words if th == t)])
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
    """Every table as Parquet (for pandas, DuckDB or Spark). Paths go to DuckDB as values
    (relation API), never spliced into SQL, so any folder name works."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    con = connect(db)
    written = []
    try:
        for t in TABLES:
            dest = outdir / f"{t}.parquet"
            with atomic_path(dest) as tmp:
                con.table(t).write_parquet(str(tmp))
            written.append(dest)
    finally:
        con.close()
    return written
