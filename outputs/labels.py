"""Japanese labels staff read (Excel headers and sheet names) and how their columns look, in one place."""
from __future__ import annotations

SHEETS = {
    "projects": "事業一覧",
    "indicators": "成果・活動指標",
    "comments": "検証意見",
    "actions": "対応",
    "article_opinions": "条文別検証意見",
}

COLUMNS = {
    "fiscal_year": "報告年度",
    "project_no": "No",
    "project": "事業名",
    "name": "事業名",
    "article": "条",
    "kind": "区分",
    "pages": "頁",
    "goal": "施策における目標",
    "plan": "事業計画",
    "activities": "主な取組",
    "results": "事業の実施状況",
    "achievements": "主な実績・成果",
    "challenges": "課題",
    "next_plan": "次年度の実施計画",
    "n_check": "検証意見数",
    "n_action": "対応数",
    "indicator": "指標名",
    "unit": "単位",
    "reference": "参考指標",
    "year": "年度",
    "target": "目標",
    "actual": "実績",
    "target_text": "目標（表記）",
    "actual_text": "実績（表記）",
    "achievement_rate": "達成率",
    "no": "番号",
    "text": "本文",
    "answers": "対応する検証意見",
    "policy": "施策",
    "page": "PDF頁",
    "source": "元ファイル",
}

MATRIX_SHEET = "文書×テーマ"

KIND = {"verified": "検証対象事業", "other": "その他の事業"}

# Column ids (before renaming) written as wrapped long text / as a percentage in Excel.
WRAP_COLUMNS = ("goal", "plan", "activities", "results", "achievements", "challenges", "next_plan", "text")
PERCENT_COLUMNS = ("achievement_rate",)
