"""The yearly loop around the classifier, on the FY2021 comments: per-comment overrides that
survive re-runs, --unmatched suggestions, Japanese at the surface (kwic by label, headers,
KH Coder export), one-line errors for bad inputs."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hokoku.cli import main as hokoku_main
from hokoku.extract.errors import InputError
from hokoku.extract.model import Report
from hokoku.nlp import classify_reports, load_taxonomy
from hokoku.nlp.overrides import apply, comment_id, read_corrections
from hokoku.nlp.taxonomy import TaxonomyError
from hokoku.nlp.unmatched import suggest
from hokoku.outputs import themes_io

SOURCE = {"file": "r3_portrait.pdf", "sha256": "0" * 64, "pages": 86}
FIRST = "2021-C-起業化総合支援事業-1"  # K-NICにおいて創業者の支援を…事業承継の施策と連携し…
COVID_ONLY = "2021-C-工業振興関連事業 ②内陸部操業環境保全対策事業-3"  # …新たな感染症が発生する可能性…


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


@pytest.fixture(scope="module")
def report(expected):
    return Report.from_dict({**expected, "source": SOURCE})


@pytest.fixture(scope="module")
def records(report, tax):
    return classify_reports([("report.json", report)], tax)


@pytest.fixture
def report_file(tmp_path, expected):
    p = tmp_path / "report.json"
    p.write_text(json.dumps({**expected, "source": SOURCE}, ensure_ascii=False), encoding="utf-8")
    return p


def hokoku(*args):
    return subprocess.run([sys.executable, "-m", "hokoku", *map(str, args)], capture_output=True, text=True)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


# ------------------------------------------------------------------ overrides

def test_comment_ids_are_unique_and_readable(records):
    ids = [comment_id(r) for r in records]
    assert len(set(ids)) == len(ids) == 72
    assert ids[0] == FIRST and "2021-A-12-1" in ids


def test_overrides_add_and_remove_by_id_or_label(tmp_path, records, tax):
    recs = [type(r).from_dict(json.loads(json.dumps(r.to_dict()))) for r in records]  # a copy
    first = next(r for r in recs if comment_id(r) == FIRST)
    assert "succession" in first.themes
    f = write_csv(tmp_path / "corrections.csv", [["コメントID", "テーマ", "修正"], [FIRST, "事業承継", "−"],
                                                 [FIRST, "finance", "+"], ["2030-C-ない事業-1", "dx", "+"]])
    unknown = apply(recs, read_corrections(f, tax.labels()))
    assert [u.comment for u in unknown] == ["2030-C-ない事業-1"]
    assert "succession" not in first.themes and "succession" not in first.evidence
    assert "finance" in first.themes and first.overrides == {"succession": "-", "finance": "+"}


@pytest.mark.parametrize("rows, message", [
    ([["id", "theme", "op"], [FIRST, "invoice", "+"]], "row 2: no such theme 'invoice'"),
    ([["id", "theme", "op"], [FIRST, "dx", "?"]], "op must be + or −"),
    ([["comment", "theme", "op"], [FIRST, "dx", "+"]], "needs a column id or コメントID"),
])
def test_bad_corrections_file_is_one_clear_error(tmp_path, rows, message, tax):
    f = write_csv(tmp_path / "c.csv", rows)
    with pytest.raises(InputError, match=re.escape(message)):
        read_corrections(f, tax.labels())


def test_cli_overrides_survive_reruns_and_show_in_outputs(tmp_path, report_file, capsys, records):
    f = write_csv(tmp_path / "corrections.csv", [["id", "theme", "op"], [FIRST, "succession", "-"]])
    outs = []
    for run in ("a", "b"):  # in-process: the second run reuses the loaded models
        assert hokoku_main(["themes", str(report_file), "-o", str(tmp_path / f"{run}.json"), "--overrides", str(f),
                            "--kwic", "事業承継", "--khcoder", str(tmp_path / "kh.csv"), "--format", "json"]) == 0
        outs.append((tmp_path / f"{run}.json").read_text(encoding="utf-8"))
    out, err = capsys.readouterr()
    assert outs[0] == outs[1]
    first = json.loads(outs[0])[0]
    assert "succession" not in first["themes"] and first["overrides"] == {"succession": "-"}
    assert "1 corrected by" in err
    # --kwic by Japanese label: the removed comment's 事業承継 is gone, the others are there
    assert "【事業承継】 が進んでいない状況にあり" in out and "K-NICにおいて" not in out
    kh = (tmp_path / "kh.csv").read_text(encoding="utf-8-sig").splitlines()
    assert kh[0].startswith("テキスト,年度,事業名,条,種別,番号,DX・デジタル化,")
    assert kh[1].startswith("K-NICにおいて創業者の支援を行っていることから") and ",2021,起業化総合支援事業,第12条," in kh[1]


# ------------------------------------------------------------------ Japanese at the surface

def test_kwic_names_a_theme_by_id_or_label(tax, records):
    assert tax.resolve("事業承継") == tax.resolve("succession") == "succession"
    assert tax.resolve("DX") == tax.resolve("デジタル化") == "dx"
    with pytest.raises(TaxonomyError, match="no theme 'インボイス'"):
        tax.resolve("インボイス")
    lines = themes_io.kwic_lines(records, tax.resolve("事業承継"))
    assert any("【廃業】 するケースもあることから" in line for line in lines)


def test_records_csv_has_japanese_headers_and_clauses(tmp_path, records, tax):
    out = themes_io.write_records(records, tmp_path / "t.csv", tax.labels())
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert list(rows[0])[:9] == ["コメントID", "年度", "報告書", "事業名", "条", "種別", "番号", "頁", "意見"]
    assert rows[0]["コメントID"] == FIRST and rows[0]["種別"] == "検証意見(Check)"
    assert "事業承継: 事業承継(要望) / 廃業(要望)" in rows[0]["根拠の節"]
    assert "創業・ベンチャー: 創業(背景・理由) / 開業(要望)" in rows[0]["根拠の節"]


# ------------------------------------------------------------------ --unmatched

def test_unmatched_suggests_words_of_comments_without_a_theme(tmp_path, report, tax):
    """Without the 感染症対応 theme, the comment about a new infectious disease gets no theme;
    its words come back as suggestions, each with the closest themes, the closest first."""
    text = Path(tax.source).read_text(encoding="utf-8")
    f = tmp_path / "no_covid.toml"
    f.write_text(text[:text.index('[[theme]]\nid = "covid"')], encoding="utf-8")
    mine = load_taxonomy(f)
    recs = classify_reports([("report.json", report)], mine)
    assert [comment_id(r) for r in recs if not r.themes] == [COVID_ONLY]
    found = suggest(recs, mine)
    words = {s.word: s for s in found}
    assert {"感染症", "災害"} <= set(words)
    assert words["感染症"].comments == [COVID_ONLY] and words["感染症"].count == 1
    assert not {"こと", "とも"} & set(words)  # function-like nouns are not suggested
    terms = {w for t in mine.themes for w in (*t.terms, *t.weak)}
    assert not terms & set(words)
    best = [s.themes[0][1] for s in found]
    assert best == sorted(best, reverse=True)
    assert all(len(s.themes) == 2 and s.themes[0][0] in mine.labels() for s in found)


# ------------------------------------------------------------------ bad inputs

@pytest.mark.parametrize("content", ["{}", "[]", "{not json", "null"])
def test_bad_report_json_is_a_one_line_error(tmp_path, content):
    p = tmp_path / "report.json"
    p.write_text(content, encoding="utf-8")
    r = hokoku("themes", p, "-o", tmp_path / "t.json")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "report.json" in r.stderr
    assert not (tmp_path / "t.json").exists()


def test_cli_survives_surrogates_nul_and_a_very_long_comment(tmp_path, expected, records):
    d = {**expected, "source": SOURCE}
    hostile = {"no": 1, "text": "DXを\ud800進める\x00べき。" + "事業承継を進めるべきである。" * 1200}
    d["projects"] = [{**expected["projects"][0], "check": [hostile]}, *expected["projects"][1:]]  # the fixture stays as is
    p = tmp_path / "report.json"
    p.write_text(json.dumps(d, ensure_ascii=True), encoding="utf-8")
    assert hokoku_main(["themes", "--unmatched", str(p), "-o", str(tmp_path / "t.csv"),  # --unmatched takes no value
                        "--khcoder", str(tmp_path / "kh.xlsx"), "--matrix", str(tmp_path / "m.xlsx"),
                        "--unmatched-csv", str(tmp_path / "u.csv")]) == 0
    assert (tmp_path / "u.csv").read_text(encoding="utf-8-sig").startswith("語,件数,近いテーマ,類似度,次に近いテーマ")
    first = next(csv.DictReader((tmp_path / "t.csv").open(encoding="utf-8-sig")))
    assert first["意見"].startswith("DXを\ufffd進める べき。") and first["テーマID"] == "dx succession"
    assert (tmp_path / "kh.xlsx").stat().st_size and (tmp_path / "m.xlsx").stat().st_size


def test_reports_with_the_same_file_name_keep_distinct_sources(tmp_path, expected):
    from hokoku.cmd_themes import load_reports

    paths = []
    for year in ("r3", "r4"):
        (tmp_path / year).mkdir()
        paths.append(tmp_path / year / "report.json")
        paths[-1].write_text(json.dumps({**expected, "source": SOURCE}, ensure_ascii=False), encoding="utf-8")
    assert [name for name, _ in load_reports([str(p) for p in paths])] == [str(p) for p in paths]
    assert [name for name, _ in load_reports([str(paths[0])])] == ["report.json"]
