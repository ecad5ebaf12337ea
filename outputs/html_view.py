"""One self-contained HTML file for analysts: charts, a filterable comment table with theme chips
and highlighted evidence, and per-project Check → Action pairs across years. Works offline
(inline CSS/JS, charts embedded as base64 PNG, no CDN)."""
from __future__ import annotations

import base64
import html
from pathlib import Path

from .atomic import write_text
from .project_match import ProjectMatcher

PAGE_TITLE = "検証意見のテーマ分析"
CSS = """
body{font-family:"IPAexGothic","Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #1f4e79;padding-bottom:4px;margin-top:32px}
.charts img{max-width:100%;margin:8px 0;border:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#dde6f0;position:sticky;top:0}.chip{display:inline-block;background:#1f4e79;color:#fff;border-radius:10px;
padding:1px 8px;margin:1px;font-size:11px}mark{background:#ffe58a}.filters{margin:8px 0}.filters *{margin-right:8px}
.pair{margin:4px 0 10px 12px}.check{background:#f4f7fb;padding:4px}.action{padding:4px 4px 4px 20px;color:#245}
.noanswer{color:#a00}
"""
JS = """
function applyFilters(){
  const q=document.getElementById('q').value.trim();
  const th=document.getElementById('theme').value;
  const fy=document.getElementById('year').value;
  let n=0;
  document.querySelectorAll('#comments tbody tr').forEach(tr=>{
    const ok=(!q||tr.dataset.text.includes(q))&&(!th||tr.dataset.themes.split(' ').includes(th))&&(!fy||tr.dataset.year===fy);
    tr.style.display=ok?'':'none'; if(ok)n++;
  });
  document.getElementById('count').textContent=n;
}
document.addEventListener('DOMContentLoaded',()=>{
  ['q','theme','year'].forEach(id=>document.getElementById(id).addEventListener('input',applyFilters));
  applyFilters();
  document.body.dataset.ready='1';
});
"""
LABELS = {"year": "年度", "where": "事業 / 条", "kind": "区分", "no": "番号", "text": "検証意見", "themes": "テーマ",
          "all_themes": "すべてのテーマ", "all_years": "すべての年度", "search": "キーワード", "shown": "件表示",
          "charts": "グラフ", "comments": "検証意見一覧", "projects": "事業別：検証意見と対応",
          "check": "検証意見", "action": "対応", "no_action": "（対応の記載なし）",
          "chi2": "テーマ × 年度のカイ二乗検定: χ² = {chi2}, 自由度 {dof}, p = {p}"}
KIND = {"check": "事業の検証意見", "article_opinion": "条文ごとの意見"}


def _highlight(text: str, words: list[str]) -> str:
    out = html.escape(text)
    for w in sorted(set(words), key=len, reverse=True):
        out = out.replace(html.escape(w), f"<mark>{html.escape(w)}</mark>")
    return out


def render(records: list[dict], reports: list[dict], labels: dict[str, str], charts: dict[str, bytes],
           chi2: dict, matcher: ProjectMatcher) -> str:
    years = sorted({r["fiscal_year"] for r in records})
    rows = []
    for r in records:
        where = r["project"] or f"{r['article']}条"
        chips = "".join(f'<span class="chip">{html.escape(labels.get(t, t))}</span>' for t in r["themes"])
        words = [w for ws in r["evidence"].values() for w in ws]
        rows.append(
            f'<tr data-year="{r["fiscal_year"]}" data-themes="{" ".join(r["themes"])}" data-text="{html.escape(r["text"])}">'
            f'<td>{r["fiscal_year"]}</td><td>{html.escape(where)}</td><td>{KIND.get(r["kind"], r["kind"])}</td>'
            f'<td>{r["no"]}</td><td>{_highlight(r["text"], words)}</td><td>{chips}</td></tr>')
    theme_opts = "".join(f'<option value="{t}">{html.escape(l)}</option>' for t, l in labels.items())
    year_opts = "".join(f'<option value="{y}">{y}</option>' for y in years)
    imgs = "".join(f'<img alt="{html.escape(name)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'
                   for name, png in charts.items())
    by_theme = {(r["fiscal_year"], r["project"], r["no"]): r for r in records if r["kind"] == "check"}
    projects: dict[str, list] = {}
    for rep in sorted(reports, key=lambda r: r["report"]["fiscal_year"]):
        fy = rep["report"]["fiscal_year"]
        for p in rep["projects"]:
            if p.get("check"):
                projects.setdefault(matcher.canonical(p["name"]), []).append((fy, p))
    sections = []
    for canon, entries in projects.items():
        parts = [f"<h3>{html.escape(canon)}</h3>"]
        for fy, p in entries:
            for c in p["check"]:
                rec = by_theme.get((fy, p["name"], c["no"]))
                chips = "".join(f'<span class="chip">{html.escape(labels.get(t, t))}</span>' for t in (rec or {}).get("themes", []))
                acts = [a for a in p.get("action", []) if c["no"] in a.get("answers", [a["no"]])]
                act_html = "".join(f'<div class="action">→ {html.escape(a["text"])}</div>' for a in acts) or \
                    f'<div class="action noanswer">{LABELS["no_action"]}</div>'
                parts.append(f'<div class="pair"><div class="check">{fy}年度 {LABELS["check"]}{c["no"]}: '
                             f'{html.escape(c["text"])} {chips}</div>{act_html}</div>')
        sections.append("".join(parts))
    chi = LABELS["chi2"].format(**chi2) if chi2 else ""
    return f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{PAGE_TITLE}</title><style>{CSS}</style></head>
<body><h1>{PAGE_TITLE}（{years[0] if years else ""}–{years[-1] if years else ""}年度）</h1>
<p>{chi}</p>
<h2>{LABELS["charts"]}</h2><div class="charts">{imgs}</div>
<h2>{LABELS["comments"]}</h2>
<div class="filters"><label>{LABELS["search"]} <input id="q" type="search"></label>
<select id="theme"><option value="">{LABELS["all_themes"]}</option>{theme_opts}</select>
<select id="year"><option value="">{LABELS["all_years"]}</option>{year_opts}</select>
<span id="count"></span>{LABELS["shown"]}</div>
<table id="comments"><thead><tr><th>{LABELS["year"]}</th><th>{LABELS["where"]}</th><th>{LABELS["kind"]}</th>
<th>{LABELS["no"]}</th><th>{LABELS["text"]}</th><th>{LABELS["themes"]}</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table>
<h2>{LABELS["projects"]}</h2>
{"".join(sections)}
<script>{JS}</script></body></html>
"""


def write(path: Path, page: str) -> Path:
    write_text(path, page)
    return path
