"""Self-check warnings (extract/reconcile.py): each check on a small report with one known
defect (names and texts from the FY2021 report), and the landscape fixture read without any."""
from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from conftest import ROOT, parsed_report
from hokoku.extract.model import (ActionItem, CheckItem, Indicator, IndicatorValue, Project, Provenance,
                                  Report, ReportInfo, Source, Table)
from hokoku.extract.patterns import load_patterns
from hokoku.extract.reconcile import Evidence, label_fragment, reconcile
from hokoku.extract.settings import ExtractSettings

PATS, S = load_patterns(), ExtractSettings()
KNIC = "起業化総合支援事業"
WELFARE = "ウェルフェアイノベーション推進事業"
IP = "知的財産戦略の推進"
# (article, names, printed pages) as the project list (施策一覧) of the FY2021 report gives them
LISTING = [(12, [KNIC], (15, 16)), (12, [WELFARE], (17, 18)), (13, [IP], (19, 20))]
PRINTED = {n + 3: n for n in range(1, 30)}  # PDF page 18 is printed page 15 …


def project(name: str, pages: list[int], checks: int = 2, actions: int | None = None) -> Project:
    """A verified project read right: goal, plan, Check items ①… each answered by its Action."""
    page = pages[0] + 3
    return Project(name=name, pages=pages, goal="次代を支える産業を創出するため、市内での起業を盛んにする",
                   plan=["起業家支援拠点「K-NIC」の運営を行う。"], provenance=Provenance(page=page),
                   check=[CheckItem(no=n, text=f"K-NICの取組{n}を幅広く発信していくべきである。", provenance=Provenance(page=page))
                          for n in range(1, checks + 1)],
                   action=[ActionItem(no=n, answers=[n], text=f"イベントの告知等{n}を様々な媒体を活用し展開していく。",
                                      provenance=Provenance(page=page + 1)) for n in range(1, (actions or checks) + 1)])


def kpi(name: str, *years: int) -> Indicator:
    return Indicator(name=name, unit="件", values=[IndicatorValue(fiscal_year=y, target=95, actual=201, target_text="95",
                                                                   actual_text="201") for y in years])


def report(*projects: Project) -> Report:
    return Report(source=Source(file="r.pdf", sha256="", pages=30),
                  report=ReportInfo(title="令和３年度 中小企業活性化施策実施状況報告書", fiscal_year=2021, era_label="令和3年度"),
                  projects=list(projects))


def evidence(**kw) -> Evidence:
    return Evidence(listing=kw.pop("listing", LISTING), list_pages={3}, printed=PRINTED, **kw)


def codes(r: Report) -> list[tuple[str, str | None, int | None]]:
    """(code, project, page) of every warning, report-level first."""
    return [(w.code, w.project, w.page) for w in (*r.warnings, *(w for p in r.projects for w in p.warnings))]


def clean() -> list[Project]:
    return [project(KNIC, [15, 16]), project(WELFARE, [17, 18]), project(IP, [19, 20])]


def test_a_report_read_right_has_no_warnings():
    r = report(*clean())
    tally = reconcile(r, evidence(), PATS, S)
    assert codes(r) == []
    assert tally.line() == "3/3 listed projects, 6 Check / 6 Action, 0 KPI values, 0 warnings"
    assert reconcile(report(*clean()), evidence(listing=[]), PATS, S).line() == \
        "3 projects (no project list), 6 Check / 6 Action, 0 KPI values, 0 warnings"


def test_a_dropped_listed_project_is_named_on_the_report():
    r = report(*clean()[:2])
    tally = reconcile(r, evidence(), PATS, S)
    # printed page 19, where the list says it starts, is PDF page 22
    assert codes(r) == [("listed_project_not_found", IP, 22)]
    assert r.warnings[0].message == f"「{IP}」は施策一覧（19～20頁）に掲載されていますが、本文で見つかりませんでした。"
    assert (tally.listed, tally.found, tally.warnings) == (3, 2, 1)


def test_a_merged_project_may_be_missing_unless_its_whole_stretch_is():
    merged = LISTING[:2] + [(13, ["先端産業等立地促進事業（※3）"], (19, 20))]
    r = report(*clean()[:2])
    reconcile(r, evidence(listing=merged), PATS, S)
    assert codes(r) == []
    r = report(clean()[0])
    reconcile(r, evidence(listing=merged), PATS, S)
    assert codes(r) == [("listed_project_not_found", WELFARE, 20), ("listed_project_not_found", "先端産業等立地促進事業", 22)]


def test_the_project_a_note_under_the_list_merged_an_entry_into_is_expected_too():
    note = {3: [KNIC, WELFARE, IP, "※4 担い手育成・多様な連携推進事業に統合"]}
    r = report(*clean())
    tally = reconcile(r, evidence(lines=note), PATS, S)
    assert codes(r) == [("listed_project_not_found", "担い手育成・多様な連携推進事業", 3)]
    assert (tally.listed, tally.found) == (4, 3)


def test_a_project_read_far_from_its_listed_pages_and_one_not_listed():
    far = project(IP, [40, 41])
    extra = project("まちづくり連動事業", [21, 22])
    r = report(*clean()[:2], far, extra)
    reconcile(r, evidence(lines={3: [KNIC, WELFARE, IP]}), PATS, S)
    assert codes(r) == [("listed_project_elsewhere", IP, 22), ("project_not_listed", "まちづくり連動事業", 24)]


def test_a_check_number_gap_and_a_repeated_action():
    p = project(KNIC, [15, 16], checks=3)
    p.check.pop(1)  # ①③
    p.action[2].no, p.action[2].answers = 2, [2]  # ①②②
    r = report(p, *clean()[1:])
    reconcile(r, evidence(), PATS, S)
    assert codes(r) == [("check_numbers", KNIC, 18), ("action_numbers", KNIC, 19), ("check_unanswered", KNIC, 18),
                        ("action_without_check", KNIC, 18)]
    assert r.projects[0].warnings[0].message == f"「{KNIC}」の主な検証意見（Check）の番号が連続していません（1・3）。"


def test_a_check_left_unanswered():
    r = report(project(KNIC, [15, 16], checks=3, actions=2), *clean()[1:])
    reconcile(r, evidence(), PATS, S)
    assert codes(r) == [("check_unanswered", KNIC, 18)]
    assert "Check 3件、Action 2件" in r.projects[0].warnings[0].message


def test_a_label_run_into_an_action():
    p = project(KNIC, [15, 16])
    p.action[1].text = "作業時間の短縮など、事例集などを活用してPRを実施していく。検証"
    r = report(p, *clean()[1:])
    reconcile(r, evidence(), PATS, S)
    assert codes(r) == [("item_has_label", KNIC, 19)]
    assert "「検証」" in r.projects[0].warnings[0].message


def test_label_fragments():
    assert label_fragment("…PRを実施していく。検証・改善（Check・Action）（続き）", PATS, S) == "（Check・Action）"
    assert label_fragment("…PRを実施していく。検証", PATS, S) == "検証"
    assert label_fragment("主な検証意見 K-NICのことを知らない既存企業はまだ多い。", PATS, S) == "主な検証意見"
    assert label_fragment("K-NICの取組等周知を図る。", PATS, S) is None
    assert label_fragment("入札制度改革の取組状況等を検証していく", PATS, S) is None


def test_an_item_cut_short_and_one_run_on_into_a_print_title():
    ps = [project(KNIC, [15, 16], checks=5), project(WELFARE, [17, 18], checks=5), project(IP, [19, 20], checks=5)]
    for p in ps[1:]:
        p.plan *= 5
    ps[0].plan = ["新たな製品・サービスの創出と、活用による新たな価値の蓄積を進めるため、共創プロジェクトチームづくりや開発",
                  "導入等により、年間30件、KIS理念に沿ったプロジェクト化の支援を行う。",
                  "「KIS」の理念に沿った認証福祉製品の普及を図る。 ※KIS: Kawasaki Innovation Standard"]
    ps[1].action[1].text = "シニア人材の活用支援を行う。令和３年度 事務事業評価シート（中小企業活性化施策実施状況）シートNo. 16"
    r = report(*ps)
    reconcile(r, evidence(), PATS, S)
    assert codes(r) == [("item_unfinished", KNIC, 18), ("item_unfinished", WELFARE, 21)]
    assert "事業計画（Plan）の1番目の項目が文の途中（「…ェクトチームづくりや開発」）で終わって" in r.projects[0].warnings[0].message


def test_text_taken_for_a_project_name():
    """An article's heading over a grid whose header row a break cut off (fpdf2 dev look,
    article_grid) and a grid cell's text were read as その他 projects."""
    heading = Project(name="16条 地域の活性化の促進", kind="other", pages=[20])
    cell = Project(name="(5)観光農園情報発信事業・新型コロナウイルス感染症により、収入が減少した市内観光農園の経営継続を支援する。",
                   kind="other", pages=[20])
    r = report(*clean(), heading, cell, Project(name="医工連携等推進事業", kind="other", pages=[20]))
    reconcile(r, evidence(), PATS, S)
    assert [(w.code, w.project) for p in r.projects[3:] for w in p.warnings if w.code == "name_doubtful"] == [
        ("name_doubtful", heading.name), ("name_doubtful", cell.name)]
    assert "条の見出しの形である" in r.projects[3].warnings[0].message
    assert "文字と長い" in r.projects[4].warnings[0].message


def test_a_kpi_year_missing_and_an_indicator_without_values():
    p = project(KNIC, [15, 16])
    p.indicators = [kpi("川崎市創業支援事業計画全体での創業実績件数", 2020, 2021), kpi("かわさき起業家オーディション等の開催回数", 2020),
                    Indicator(name="研究開発型のベンチャー企業等への個別・集中支援の実施件数", provenance=Provenance(page=18))]
    r = report(p, *clean()[1:])
    reconcile(r, evidence(), PATS, S)
    assert codes(r) == [("indicator_year_missing", KNIC, 18), ("indicator_no_values", KNIC, 18)]
    assert "2021年度の値がありません" in r.projects[0].warnings[0].message


def test_a_value_with_a_label_run_into_it_and_a_running_header_for_a_name():
    """A KPI cell whose digits did not read as a number (a label below the grid run into it),
    and an indicator named by an article's heading (a running header) are both warned."""
    p = project(KNIC, [15, 16])
    cut = IndicatorValue(fiscal_year=2020, target=1520000, actual=None, target_text="1,520,000",
                         actual_text="81,0005．主な成果・活動指標に関する補足事項")
    p.indicators = [Indicator(name="「フェスティバルなかわさき」開催時の来場者数", values=[
        cut, IndicatorValue(fiscal_year=2021, target=1520000, actual=90200, target_text="1,520,000", actual_text="90,200")],
        provenance=Provenance(page=18)), kpi("第14条研究及び開発の支援", 2020, 2021)]
    p.indicators[1].provenance = Provenance(page=18)
    r = report(p, *clean()[1:])
    reconcile(r, evidence(), PATS, S)
    assert codes(r) == [("indicator_value_unreadable", KNIC, 18), ("indicator_name_article", KNIC, 18)]
    assert "2020年度の値「81,0005．主な成果」を数値として" in r.projects[0].warnings[0].message


def test_a_header_read_as_every_indicator_name():
    ps = clean()
    for p in ps:
        p.indicators = [kpi("指標名", 2020, 2021)]
    ps[0].indicators.append(kpi("指標名", 2020, 2021))
    r = report(*ps)
    reconcile(r, evidence(), PATS, S)
    assert [c for c, _, _ in codes(r)] == ["indicator_name_shared"] * 3
    assert "指標名「指標名」が3件の事業で" in r.projects[0].warnings[0].message


def test_a_project_without_the_goal_its_peers_have():
    ps = clean() + [project("生産性向上推進事業", [29, 30]), project("まちづくり連動事業", [37, 38])]
    ps[2].goal = None
    listing = LISTING + [(15, ["生産性向上推進事業"], (29, 30)), (16, ["まちづくり連動事業"], (37, 38))]
    r = report(*ps)
    reconcile(r, evidence(listing=listing), PATS, S)
    assert codes(r) == []  # its pages print no 施策における目標 (受注機会の増大等 has none)
    r = report(*ps)
    reconcile(r, evidence(listing=listing, lines={22: ["施策における目標", "知的財産戦略の推進"]}), PATS, S)
    assert codes(r) == [("section_missing", IP, 22)]


def test_a_kpi_grid_read_as_a_plain_table():
    p = project(IP, [19, 20])
    p.tables = [Table(title="【参考：知的財産マッチング成立件数】", header=["", "R2 (2020)年度", "R3 (2021)年度"],
                      rows=[["実績(件)", "2", "3"]], provenance=Provenance(page=23))]
    r = report(*clean()[:2], p)
    reconcile(r, evidence(), PATS, S)
    assert codes(r) == [("kpi_grid_as_table", IP, 23)]


def test_text_no_field_holds():
    lines = {18: ["次代を支える産業を創出するため、市内での起業を盛んにする", "事業計画 起業家支援拠点「K-NIC」の運営を行う。"],
             22: ["施策における目標", "知的財産の活用に向けた支援を行い、知的財産交流会を開催した。" * 4]}
    r = report(*clean())
    reconcile(r, evidence(lines=lines), PATS, S)
    assert codes(r) == [("page_text_unread", IP, 22)]


def test_the_portrait_fixture_reads_without_warnings(portrait):
    assert codes(portrait) == []


def test_the_landscape_fixture_warns_where_its_kpi_grids_were_not_read(expected):
    """Its 参考 tables and grids printed under another grid's rows are read as plain tables
    (54 of its 90 KPI values): each project concerned is warned, and no other."""
    r = parsed_report("r3_landscape")
    want = {p["name"]: len(p["indicators"]) for p in expected["projects"]}
    short = {p.name for p in r.projects if len(p.indicators) < want.get(p.name, 0)}
    assert len(short) == 7
    assert {c for c, _, _ in codes(r)} == {"kpi_grid_as_table"}
    assert {p for _, p, _ in codes(r)} == short


def test_warnings_fit_the_schema(tmp_path):
    r = report(*clean()[:2])
    reconcile(r, evidence(), PATS, S)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(r.to_dict(), ensure_ascii=False), encoding="utf-8")
    back = Report.load(path)
    assert [(w.code, w.project, w.page) for w in back.warnings] == [("listed_project_not_found", IP, 22)]
    schema = json.loads((ROOT / "extract/report.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(r.to_dict())) == []
    done = subprocess.run([sys.executable, "-m", "hokoku", "validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and f"{path}: ok (2 projects)" in done.stderr
