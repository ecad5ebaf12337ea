"""Japanese strings of `hokoku trends` (the HTML view and the charts), in one place."""
from __future__ import annotations

PAGE_TITLE = "検証意見のテーマ分析"

# Template labels: the HTML template reads these as `L.<key>`.
VIEW = {
    "years_range": "{first}〜{last}",
    "sources": "対象の報告書",
    "nav_overview": "概要",
    "nav_comments": "検証意見一覧",
    "nav_projects": "事業別",
    "overview": "テーマの推移",
    "shares": "テーマ別の検証意見の割合（年度別）",
    "shares_note": "棒の長さはその年度の検証意見に占める割合。カーソルを合わせると件数が出ます。",
    "residuals": "テーマ × 年度の調整済み残差",
    "residuals_note": "色の範囲は ±3 で固定（青：期待より少ない、赤：期待より多い）。"
                      "★ は |残差| ≥ 1.96（5% 水準で有意）のセル。",
    "residual_marker": "★",
    "theme": "テーマ",
    "comments": "検証意見一覧",
    "filter_themes": "テーマ",
    "all": "すべて",
    "year": "年度",
    "article": "条",
    "project": "事業",
    "search": "キーワード検索",
    "search_hint": "全角・半角、大文字・小文字を区別しません",
    "shown": "件を表示（全 {total} 件）",
    "col_year": "年度",
    "col_where": "事業・条",
    "col_kind": "区分",
    "col_no": "番号",
    "col_text": "検証意見",
    "col_themes": "テーマ",
    "col_source": "出典",
    "page": "{page}頁",
    "no_page": "頁不明",
    "clause": "根拠の節",
    "not_counted": "数えなかった語",
    "projects": "事業別：検証意見と対応",
    "check": "検証意見",
    "action": "対応",
    "no_action": "（対応の記載なし）",
    "recurring": "繰り返し指摘されたテーマ",
    "responded": "対応あり",
    "not_responded": "対応なし",
    "kpi": "成果・活動指標",
    "kpi_target": "目標",
    "kpi_actual": "実績",
    "kpi_rate": "達成率",
    "no_js": "グラフの表示には JavaScript が必要です（表は JavaScript なしでも読めます）。",
    "article_label": "第{article}条",
    "no_comments": "該当する検証意見はありません。",
}

KIND = {"check": "検証意見", "article_opinion": "条文意見"}

# χ² of the theme × year table, said in words.
CHI2_SIGNIFICANT = "年度によるテーマの偏りは有意である（χ² = {chi2:.1f}、自由度 {dof}、{p}）"
CHI2_NOT_SIGNIFICANT = "年度による偏りは有意ではない（χ² = {chi2:.1f}、自由度 {dof}、{p}）"
CHI2_NOT_TESTED = "年度が 2 つ以上、テーマが 2 つ以上ないため、年度による偏りは検定していません。"

# Charts (PNG/SVG and the interactive ones).
CHART_SHARES = VIEW["shares"]
CHART_COOCCURRENCE = "テーマの共起（同じ意見で挙がった件数）"
CHART_RESIDUALS = "テーマ × 年度の調整済み残差（±3 固定、★ は絶対値 1.96 以上）"
AXIS_SHARE = "意見に占める割合"
AXIS_YEAR = "年度"
HOVER_SHARE = "%{x}<br>%{y}<br>割合 %{customdata[1]}<br>件数 %{customdata[0]} / %{customdata[2]}件"
KPI_TRACE_TARGET = "目標"
KPI_TRACE_ACTUAL = "実績"
FONT_MISSING = ("IPAex ゴシック（Debian パッケージ fonts-ipaexfont）が見つかりません。グラフの日本語が"
                "豆腐（□）になります。`sudo apt-get install fonts-ipaexfont` で入れてください。")

# Command messages.
PDF_NOT_FOUND = "{file}: PDF not found beside the report or in --pdf-dir; page links assume it sits beside index.html"
