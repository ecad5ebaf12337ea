"""Japanese strings of the Word draft and its questionnaire, in one place.

The default template is built from these (staff then change wording and look in Word);
the renderer itself only passes data.
"""
from __future__ import annotations

MARK = "【要記入】"
REVISE = "【要修正】"
CONFIRM = "【要確認】"  # something extraction was unsure of (report.json warnings), to confirm
MARKS = (MARK, REVISE, CONFIRM)
CONFIRM_PAGE = "（前年度報告書 PDF {page} ページ目）"
CONFIRM_SECTION = "読み取りの確認"
ORDINANCE_LINE = "「{organisation}中小企業活性化のための成長戦略に関する条例」に基づく"
DRAFT_NOTE = "（下書き：hokoku により前年度報告書から作成。黄色の記入箇所を記入・修正してください）"
TOC_HEADING = "目　次"
TOC_HINT = "（目次は Word で開いたとき、または PDF 出力時に更新されます。更新されない場合は右クリック →「フィールド更新」）"
PART_HEADING = "{fy}中小企業活性化施策の実施状況"
ARTICLE_HEADING = "第{no}条 {policy}"
GOAL = "施策における目標"
PLAN = "事業計画 Plan"
ACTIVITIES = "主な取組"
INDICATORS = "主な成果・活動指標"
DO = "事業の実施状況 Do"
RESULTS = "{fy}の実績"
CHECK = "主な検証意見 Check"
ACTION = "{fy}以降の対応 Action"
NEXT_PLAN = "{fy}の実施計画"
FOLLOW_UP = "前年度の検証意見と対応"
FOLLOW_UP_HEAD = ("前年度（{fy}）の検証意見", "対応")
THEMES_PREFIX = "テーマ："
NO_CHECK = "（前年度の検証意見はありません）"
KPI_ROW_TARGET = "目標"
KPI_ROW_ACTUAL = "実績"
KPI_YEAR = "{short} ({western}) 年度"
OTHER_PART = "その他の事業"
OTHER_ARTICLE = "{no}条 {policy}"
OVERVIEW = "{fy}の概要"
OVERVIEW_RESULTS = "{fy}の実績"
SEEDED = "前年度の概要から転記。実績に合わせて修正してください"
RUNNING_HEADER = "{fy} 中小企業活性化施策実施状況報告書（下書き）"
ERA_SHORT = {"令和": "R", "平成": "H"}
MARKS_TABLE_HEAD = ("事業名", "要記入", "要修正", "要確認", "計")
MARKS_TABLE_TOTAL = "合計"
FRONT_MATTER = "（表紙・前文）"
BULLET = "・"
INDICATOR_PREFIX = "○"
LIST_SEP = "、"
NO_VALUE = "-"

# Questionnaire (所管課照会) workbook
# A word of a section heading → the Project field holding last year's text for it (first match wins).
REFERENCE_FIELDS = (("Action", "action"), ("Check", "check"), ("Do", "results"), ("Plan", "plan"), ("実施計画", "next_plan"))
Q_HEAD = ("番号", "項目", "前年度の値（参考）", "回答", "記入欄の種類")
Q_KIND_NUMBER = "数値"
Q_KIND_TEXT = "文章"
Q_KIND_CONFIRM = "確認"
Q_INSTRUCTIONS = ("「回答」列に記入してください。空欄の箇所は下書きに{mark}のまま残ります。"
                  "「確認」の行は読み取りの確認です（回答すると下書きの{confirm}の注記が消えます）。")
Q_NUMBER_ERROR = "数値を入力してください"
Q_SECTION_SEP = " ／ "
