"""Writers for theme records: JSON, CSV (Japanese headers, opens in Excel), document × theme
matrix (ids as headers), KH Coder export, KWIC lines, --unmatched suggestions. The Japanese
words people read in these files are the constants below."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pandas as pd

from hokoku.extract.model import ThemeRecord

from .atomic import write_text, write_with
from .labels import MATRIX_SHEET
from .xlsx import SheetLayout, write_csv, write_workbook

KWIC_WIDTH = 20  # characters of context each side
MATRIX_LAYOUT = SheetLayout(wrap=frozenset({"text"}))

# Column headers (Japanese, as analysts read them) in output order.
COL = {
    "id": "コメントID", "fiscal_year": "年度", "source": "報告書", "project": "事業名", "article": "条",
    "kind": "種別", "no": "番号", "page": "頁", "text": "意見", "themes": "テーマID", "theme_labels": "テーマ",
    "evidence": "根拠語", "clauses": "根拠の節", "not_counted": "数えなかった語", "scores": "スコア",
    "overrides": "手動修正",
}
KIND_LABEL = {"check": "検証意見(Check)", "article_opinion": "条の意見"}
CLAUSE_LABEL = {"background": "背景・理由", "purpose": "目的", "request": "要望", "statement": "叙述", "subject": "要望の対象"}
OVERRIDE_LABEL = {"+": "追加", "-": "削除"}
# Why a word the keyword baseline would count did not count (detail "reason", nlp.classifier).
REASON_LABEL = {"sense": "別の意味", "negated": "否定", "part": "長い語の一部", "background": "背景・理由の節のみ",
                "weak": "弱い語のみ"}
KWIC_NOT_COUNTED = "数えない"
ARTICLE = "第{}条"
KHCODER_TEXT = "テキスト"
SUGGEST_COL = {"word": "語", "count": "件数", "theme": "近いテーマ", "similarity": "類似度", "theme2": "次に近いテーマ",
               "similarity2": "類似度2", "parts": "含む語", "with_themes": "意見の他のテーマ", "clause": "出現した節",
               "role": "節の役割", "comments": "出現コメント"}
NOTHING_UNMATCHED = "（すべての意見にテーマが付きました。提案する語はありません）"


def _where(r: ThemeRecord) -> str:
    return r.project or (ARTICLE.format(r.article) if r.article is not None else "")


def counted(entries: list[dict]) -> list[dict]:
    """Detail entries that counted (the others carry a `reason`)."""
    return [d for d in entries if not d.get("reason")]


def not_counted(r: ThemeRecord) -> list[tuple[str, dict]]:
    """(theme, detail entry) of every word that did not count, in detail order."""
    return [(t, d) for t, ds in r.detail.items() for d in ds if d.get("reason")]


def reason_text(d: dict) -> str:
    """「別の意味: …」: the reason's label, then the taxonomy's words for it when there are any."""
    label = REASON_LABEL.get(d["reason"], d["reason"])
    return f"{label}: {d['note']}" if d.get("note") else label


def to_json(records: list[ThemeRecord]) -> str:
    return json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2) + "\n"


def records_frame(records: list[ThemeRecord], labels: dict[str, str]) -> pd.DataFrame:
    """One row per comment; lists joined readably; Japanese labels beside the theme ids."""
    from hokoku.nlp.overrides import comment_id

    rows = []
    for r in records:
        rows.append({
            COL["id"]: comment_id(r), COL["fiscal_year"]: r.fiscal_year, COL["source"]: r.source,
            COL["project"]: r.project, COL["article"]: r.article, COL["kind"]: KIND_LABEL.get(r.kind, r.kind),
            COL["no"]: r.no, COL["page"]: r.page, COL["text"]: r.text,
            COL["themes"]: " ".join(r.themes),
            COL["theme_labels"]: "、".join(labels.get(t, t) for t in r.themes),
            COL["evidence"]: "; ".join(f"{labels.get(t, t)}: {' / '.join(ev)}" for t, ev in r.evidence.items()),
            COL["clauses"]: "; ".join(
                f"{labels.get(t, t)}: " + " / ".join(f"{d['text']}({CLAUSE_LABEL.get(d['clause'], d['clause'])})"
                                                    for d in counted(ds))
                for t, ds in r.detail.items() if t in r.themes and counted(ds)),
            COL["not_counted"]: "; ".join(f"{labels.get(t, t)}: {d['text']}（{reason_text(d)}）" for t, d in not_counted(r)),
            COL["scores"]: "; ".join(f"{t}={s}" for t, s in sorted(r.scores.items(), key=lambda kv: -kv[1])),
            COL["overrides"]: "; ".join(f"{labels.get(t, t)}: {OVERRIDE_LABEL[op]}" for t, op in r.overrides.items()),
        })
    return pd.DataFrame(rows, columns=list(COL.values()))


def _record(r: ThemeRecord | dict) -> ThemeRecord:
    return r if isinstance(r, ThemeRecord) else ThemeRecord.from_dict(r)


def matrix_frame(records: list[ThemeRecord | dict], theme_ids: list[str]) -> pd.DataFrame:
    """Document × theme 0/1 matrix (for Excel, R, KH Coder); columns keep the ids (scripts key
    on them; the KH Coder export and the records CSV carry the Japanese headers)."""
    meta = ["fiscal_year", "source", "project", "article", "kind", "no", "text"]
    rows = [[getattr(r, k) for k in meta] + [int(t in r.themes) for t in theme_ids] for r in map(_record, records)]
    return pd.DataFrame(rows, columns=meta + theme_ids)


def write_records(records: list[ThemeRecord], out: str | Path, labels: dict[str, str], fmt: str | None = None) -> Path:
    out = Path(out)
    fmt = fmt or ("csv" if out.suffix.lower() == ".csv" else "json")
    if fmt == "csv":
        df = records_frame(records, labels)
        write_with(out, lambda tmp: write_csv(df, tmp))
    else:
        write_text(out, to_json(records))
    return out


def write_matrix(records: list[ThemeRecord | dict], out: str | Path, theme_ids: list[str]) -> Path:
    out = Path(out)
    df = matrix_frame(records, theme_ids)
    if out.suffix.lower() == ".xlsx":
        write_with(out, lambda tmp: write_workbook(tmp, {MATRIX_SHEET: df}, MATRIX_LAYOUT))
    else:
        write_with(out, lambda tmp: write_csv(df, tmp))
    return out


KHCODER_SHEET = "KH Coder"


def khcoder_frame(records: list[ThemeRecord], theme_ids: list[str], labels: dict[str, str]) -> pd.DataFrame:
    """KH Coder input: the text column first, then external variables (年度, 事業名, 条, 種別, 番号)
    and one 0/1 column per theme, so 外部変数 and coding results can be cross-tabulated."""
    rows = [{KHCODER_TEXT: r.text, COL["fiscal_year"]: r.fiscal_year, COL["project"]: r.project or "",
             COL["article"]: ARTICLE.format(r.article) if r.article is not None else "",
             COL["kind"]: KIND_LABEL.get(r.kind, r.kind), COL["no"]: r.no,
             **{labels.get(t, t): int(t in r.themes) for t in theme_ids}} for r in records]
    return pd.DataFrame(rows)


def write_khcoder(records: list[ThemeRecord], out: str | Path, theme_ids: list[str], labels: dict[str, str]) -> Path:
    out = Path(out)
    df = khcoder_frame(records, theme_ids, labels)
    if out.suffix.lower() == ".xlsx":
        write_with(out, lambda tmp: write_workbook(tmp, {KHCODER_SHEET: df}))
    else:
        write_with(out, lambda tmp: write_csv(df, tmp))
    return out


def suggestions_frame(suggestions, labels: dict[str, str]) -> pd.DataFrame:
    """`hokoku themes --unmatched` rows: word, count, closest themes with similarity, the taxonomy
    terms inside it, the themes its comments have, the clause it came from and where."""
    rows = []
    for s in suggestions:
        (t1, s1), (t2, s2) = (list(s.themes) + [("", None), ("", None)])[:2]
        rows.append({SUGGEST_COL["word"]: s.word, SUGGEST_COL["count"]: s.count,
                     SUGGEST_COL["theme"]: labels.get(t1, t1), SUGGEST_COL["similarity"]: s1,
                     SUGGEST_COL["theme2"]: labels.get(t2, t2), SUGGEST_COL["similarity2"]: s2,
                     SUGGEST_COL["parts"]: " / ".join(f"{w}({labels.get(t, t)})" for w, t in s.parts),
                     SUGGEST_COL["with_themes"]: "、".join(labels.get(t, t) for t in s.with_themes),
                     SUGGEST_COL["clause"]: s.clause, SUGGEST_COL["role"]: CLAUSE_LABEL.get(s.role, s.role),
                     SUGGEST_COL["comments"]: " ".join(s.comments)})
    return pd.DataFrame(rows, columns=list(SUGGEST_COL.values()))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _kwic(text: str, i: int, word: str, width: int, where: str, mark: str = "", tail: str = "") -> str:
    left = text[max(0, i - width):i]
    right = text[i + len(word): i + len(word) + width]
    pad = " " * (2 * width - _width(left))
    return f"{pad}{left} {mark}【{word}】 {right}    ({where}){tail}"


def kwic_lines(records: list[ThemeRecord], theme: str, width: int = KWIC_WIDTH) -> list[str]:
    """Concordance lines: every evidence word of `theme` with its left and right context,
    aligned; then every word of the theme that did not count, marked ×, with the reason."""
    lines, dropped = [], []
    for r in records:
        where = f"{_where(r)} {KIND_LABEL.get(r.kind, r.kind)} {r.no}"
        for word in r.evidence.get(theme, []):
            start = 0
            while (i := r.text.find(word, start)) >= 0:
                lines.append(_kwic(r.text, i, word, width, where))
                start = i + len(word)
        for t, d in not_counted(r):
            i = r.text.find(d["text"], max(0, r.text.find(d.get("clause_text") or d["text"])))
            if t == theme and i >= 0:
                dropped.append(_kwic(r.text, i, d["text"], width, where, "×", f" {KWIC_NOT_COUNTED}: {reason_text(d)}"))
    return lines + dropped
