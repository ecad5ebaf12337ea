"""Field-by-field score of a report.json against a ground truth (the acceptance metrics).

    python -m tests.scoring REPORT.json [--truth TRUTH.json] [-v]

Seven metrics, each 0–100 (the same definitions as the acceptance scorer, so a zoo PDF and
the acceptance PDF are judged alike):
  project names F1 (verified, other) · Check items F1 · Action items F1 · KPI value accuracy ·
  article opinion F1 · share of the verified projects' goal/plan/next_plan items found.
Texts are compared after removing leading bullets/circled numbers, NFKC and all whitespace,
with difflib's ratio (autojunk off). A Check/Action item may sit on any sub-project of the
same group (a group's Check block is printed on its last sub-project); one found on the
right project wins over one on a sibling. Indicator names match at ratio >= 0.8 or when one
contains the other; a value is right when target and actual are both equal.
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRUTH = Path(__file__).resolve().parent / "data" / "r3_expected.json"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
LEADING_MARKS = frozenset("-・･○●◯◆◇■□▪▫•※*＊◎" + CIRCLED)
TEXT_MATCH = 0.9  # item, name and opinion texts
INDICATOR_MATCH = 0.8
INDICATOR_CONTAINED = 0.95  # a name inside the other (>= 6 chars) counts as this ratio
MIN_CONTAINED = 6
MIN_GROUP_PREFIX = 4
DRAFT_FIELDS = ("goal", "plan", "next_plan")


# ---------------------------------------------------------------- text


def _lstrip_marks(s: str) -> str:
    i = 0
    while i < len(s) and (s[i] in LEADING_MARKS or s[i].isspace()):
        i += 1
    return s[i:]


def norm(s: Any) -> str:
    """Comparison form: marks stripped before NFKC too (NFKC turns ① into 1), no whitespace."""
    if s is None:
        return ""
    s = _lstrip_marks(unicodedata.normalize("NFKC", _lstrip_marks(str(s))))
    return re.sub(r"\s+", "", s)


def norm_name(s: str) -> str:
    return norm("".join(ch for ch in s or "" if ch not in CIRCLED))


def name_forms(s: str) -> set[str]:
    """A name and, if it ends in a parenthesis, the name without it."""
    n = norm_name(s)
    m = re.fullmatch(r"(.+?)\([^()]*\)", n)
    return {n, m.group(1)} if m else {n}


def similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def indicator_similarity(a: str, b: str) -> float:
    def clean(s: str) -> str:
        return re.sub(r"^\(?参考\)?[:：]?", "", norm(s).replace("【", "").replace("】", ""))

    a, b = clean(a), clean(b)
    r = similarity(a, b)
    short, long_ = sorted((a, b), key=len)
    return max(r, INDICATOR_CONTAINED) if len(short) >= MIN_CONTAINED and short in long_ else r


def as_int(v: Any) -> int | None:
    """An item number or year as printed: 3, "3", "③", "第12条"."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else None
    if isinstance(v, str):
        t = unicodedata.normalize("NFKC", v).strip()
        if t[:1] and t[0] in CIRCLED:
            return CIRCLED.index(t[0]) + 1
        m = re.search(r"\d+", t)
        return int(m.group()) if m else None
    return None


def as_number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(unicodedata.normalize("NFKC", v).replace(",", "").strip())
        except ValueError:
            return None
    return None


def same_number(a: Any, b: Any) -> bool:
    x, y = as_number(a), as_number(b)
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))


def f1(hits: int, n_truth: int, n_pred: int) -> float:
    if n_truth + n_pred == 0:
        return 100.0
    return 200.0 * hits / (n_truth + n_pred)


def listed(x: Any) -> list:
    return x if isinstance(x, list) else []


# ---------------------------------------------------------------- matching


def match_names(truth: list[str], pred: list[str]) -> dict[int, int]:
    """One-to-one {pred index: truth index}: equal names (or equal without a trailing
    parenthesis) first, in prediction order; then the most similar pairs >= TEXT_MATCH."""
    out: dict[int, int] = {}
    taken: set[int] = set()
    t_forms = [name_forms(t) for t in truth]
    for i, p in enumerate(pred):
        forms = name_forms(p)
        j = next((j for j, t in enumerate(t_forms) if j not in taken and forms & t), None)
        if j is not None:
            out[i] = j
            taken.add(j)
    pairs = sorted(((similarity(norm_name(p), norm_name(t)), i, j) for i, p in enumerate(pred) if i not in out
                    for j, t in enumerate(truth) if j not in taken), reverse=True)
    for r, i, j in pairs:
        if r >= TEXT_MATCH and i not in out and j not in taken:
            out[i] = j
            taken.add(j)
    return out


def group_of(name: str) -> str:
    """The group a printed name belongs to: the part before the sub-project marker."""
    name = name or ""
    return name.split(" ")[0] if " " in name.strip() else name


@dataclass
class Metric:
    label: str
    value: float
    detail: str
    misses: list[str] = field(default_factory=list)


@dataclass
class Placement:
    """Where each predicted project lands in the truth: its project (if matched) and group."""

    project: list[str | None]
    group: list[str | None]


def place_projects(truth: list[dict], pred: list[dict]) -> Placement:
    t_names = [p["name"] for p in truth]
    groups = {norm_name(group_of(n)): group_of(n) for n in t_names}
    names = [str(p.get("name", "")) for p in pred]
    matched = match_names(t_names, names)
    project: list[str | None] = []
    group: list[str | None] = []
    for i, name in enumerate(names):
        if i in matched:
            project.append(t_names[matched[i]])
            group.append(group_of(t_names[matched[i]]))
            continue
        n = norm_name(name)
        g = groups.get(n) or next((raw for gn, raw in groups.items() if len(gn) >= MIN_GROUP_PREFIX and n.startswith(gn)), None)
        project.append(None)
        group.append(g)
    return Placement(project, group)


# ---------------------------------------------------------------- metrics


def names_metric(truth: list[dict], pred: list[dict], kind: str) -> Metric:
    def unique(projects: list[dict]) -> list[str]:
        return sorted({norm_name(str(p.get("name", ""))): str(p.get("name", ""))
                       for p in projects if p.get("kind") == kind and p.get("name")}.values())

    t, p = unique(truth), unique(pred)
    m = match_names(t, p)
    misses = ([f"missing: {t[j]}" for j in range(len(t)) if j not in set(m.values())]
              + [f"extra:   {p[i]}" for i in range(len(p)) if i not in m])
    return Metric(f"project names ({kind}) F1", f1(len(m), len(t), len(p)), f"tp {len(m)}, truth {len(t)}, pred {len(p)}", misses)


def items_metric(truth: list[dict], pred: list[dict], where: Placement, key: str, label: str) -> Metric:
    wanted = [(p["name"], group_of(p["name"]), it["no"], it["text"]) for p in truth for it in p.get(key, [])]
    found: dict[tuple, dict] = {}  # one entry per (group, project, text); the numbers it was given
    for i, p in enumerate(pred):
        for it in listed(p.get(key)):
            if isinstance(it, dict):
                no, text = as_int(it.get("no")), it.get("text")
            elif isinstance(it, str):
                no, text = None, it
            else:
                continue
            e = found.setdefault((where.group[i], where.project[i], norm(text)),
                                 {"nos": set(), "project": where.project[i], "group": where.group[i], "text": norm(text), "raw": text})
            if no is not None:
                e["nos"].add(no)
    cands = list(found.values())
    used: set[int] = set()
    misses = []
    for name, grp, no, raw in wanted:
        text = norm(raw)
        best, best_key = None, None
        for k, e in enumerate(cands):
            if k in used or e["group"] is None or e["group"] != grp or (e["nos"] and no not in e["nos"]):
                continue
            r = similarity(text, e["text"])
            if r >= TEXT_MATCH and (best_key is None or (e["project"] == name, r) > best_key):
                best, best_key = k, (e["project"] == name, r)
        if best is None:
            misses.append(f"{name} {key} {no}: {raw[:60]}")
        else:
            used.add(best)
    misses += [f"extra: {str(cands[k]['raw'])[:60]}" for k in range(len(cands)) if k not in used]
    hits = len(used)
    return Metric(label, f1(hits, len(wanted), len(cands)), f"tp {hits}, truth {len(wanted)}, pred {len(cands)}", misses)


def indicators_metric(truth: list[dict], pred: list[dict], where: Placement) -> Metric:
    total = ok = 0
    misses = []
    for tp in truth:
        inds = tp.get("indicators", [])
        if not inds:
            continue
        name, grp = tp["name"], group_of(tp["name"])
        cands = [(where.project[i] == name, pi) for i, p in enumerate(pred) if where.group[i] == grp
                 for pi in listed(p.get("indicators")) if isinstance(pi, dict)]
        pairs = sorted(((same, s, a, b) for a, ti in enumerate(inds) for b, (same, pi) in enumerate(cands)
                        if (s := indicator_similarity(ti["name"], str(pi.get("name", "")))) >= INDICATOR_MATCH), reverse=True)
        assign: dict[int, int] = {}
        for same, s, a, b in pairs:
            if a not in assign and b not in assign.values():
                assign[a] = b
        for a, ti in enumerate(inds):
            years: dict[int, dict] = {}
            if a in assign:
                for v in listed(cands[assign[a]][1].get("values")):
                    if isinstance(v, dict) and (fy := as_int(v.get("fiscal_year"))) is not None:
                        years.setdefault(fy, v)
            for tv in ti["values"]:
                total += 1
                pv = years.get(tv["fiscal_year"])
                if pv is not None and same_number(tv["target"], pv.get("target")) and same_number(tv["actual"], pv.get("actual")):
                    ok += 1
                    continue
                why = ("indicator not found" if a not in assign else "year missing" if pv is None
                       else f"target {pv.get('target')!r} actual {pv.get('actual')!r}")
                misses.append(f"{name} / {ti['name']} {tv['fiscal_year']}: want {tv['target']!r}/{tv['actual']!r}, {why}")
    return Metric("indicator values accuracy", 100.0 * ok / total if total else 100.0, f"{ok}/{total}", misses)


def opinions_metric(truth: dict, pred: dict) -> Metric:
    wanted = [(a["article"], norm(o), o) for a in truth.get("article_opinions", []) for o in a["opinions"]]
    got = []
    for a in listed(pred.get("article_opinions")):
        if not isinstance(a, dict):
            continue
        art = as_int(a.get("article"))
        for o in listed(a.get("opinions")):
            o = o.get("text", "") if isinstance(o, dict) else o
            if isinstance(o, str) and o.strip():
                got.append((art, norm(o), o))
    used: set[int] = set()
    misses = []
    for art, text, raw in wanted:
        scored = [(similarity(text, g), k) for k, (ga, g, _) in enumerate(got) if k not in used and ga == art]
        r, k = max(scored, default=(0.0, None))
        if k is not None and r >= TEXT_MATCH:
            used.add(k)
        else:
            misses.append(f"{art}条: {raw[:60]}")
    misses += [f"extra: {got[k][2][:60]}" for k in range(len(got)) if k not in used]
    return Metric("article opinions F1", f1(len(used), len(wanted), len(got)), f"tp {len(used)}, truth {len(wanted)}, pred {len(got)}", misses)


def draft_fields_metric(truth: list[dict], pred: list[dict]) -> Metric:
    """Share of the verified projects' goal, plan and next_plan items (what a next-year draft
    is built from) contained in, or similar to an item of, the matched project's field."""
    verified = [p for p in truth if p.get("kind") == "verified"]
    m = match_names([p["name"] for p in verified], [str(p.get("name", "")) for p in pred])
    by_truth = {j: pred[i] for i, j in m.items()}
    found = total = 0
    misses = []
    for j, tp in enumerate(verified):
        pp = by_truth.get(j, {})
        for key in DRAFT_FIELDS:
            items = [tp.get(key)] if key == "goal" else listed(tp.get(key))
            got = [norm(x) for x in ([pp.get(key)] if key == "goal" else listed(pp.get(key)))]
            joined = "".join(got)
            for it in items:
                if not it:
                    continue
                total += 1
                t = norm(it)
                if t in joined or any(similarity(t, g) >= TEXT_MATCH for g in got):
                    found += 1
                else:
                    misses.append(f"{tp['name']} {key}: {it[:60]}")
    return Metric("goal/plan/next_plan items", 100.0 * found / total if total else 100.0, f"{found}/{total}", misses)


def score(truth: dict, pred: dict) -> list[Metric]:
    """The seven metrics of `pred` (a report.json object) against `truth`."""
    pred = pred if isinstance(pred, dict) else {}
    t_projects = listed(truth.get("projects"))
    p_projects = [p for p in listed(pred.get("projects")) if isinstance(p, dict)]
    where = place_projects(t_projects, p_projects)
    return [
        names_metric(t_projects, p_projects, "verified"),
        names_metric(t_projects, p_projects, "other"),
        items_metric(t_projects, p_projects, where, "check", "Check items F1"),
        items_metric(t_projects, p_projects, where, "action", "Action items F1"),
        indicators_metric(t_projects, p_projects, where),
        opinions_metric(truth, pred),
        draft_fields_metric(t_projects, p_projects),
    ]


def mean(metrics: list[Metric]) -> float:
    return round(sum(m.value for m in metrics) / len(metrics), 1)


def report_lines(metrics: list[Metric], verbose: bool = False, max_misses: int = 40) -> list[str]:
    lines = []
    for m in metrics:
        lines.append(f"{m.label:28s} {m.value:5.1f}%  ({m.detail})")
        if verbose:
            lines += [f"  - {x}" for x in m.misses[:max_misses]]
            if len(m.misses) > max_misses:
                lines.append(f"  - … {len(m.misses) - max_misses} more")
    lines.append(f"extraction score: {mean(metrics):.1f}% (mean of metrics)")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("report", type=Path, help="a report.json written by hokoku ingest")
    ap.add_argument("--truth", type=Path, default=TRUTH, help=f"ground truth (default {TRUTH.name})")
    ap.add_argument("-v", "--verbose", action="store_true", help="list what was missed or extra")
    args = ap.parse_args(argv)
    try:
        truth = json.loads(args.truth.read_text(encoding="utf-8"))
        pred = json.loads(args.report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"scoring: cannot read {e.filename if isinstance(e, OSError) else args.report}: {e}", file=sys.stderr)
        return 2
    print("\n".join(report_lines(score(truth, pred), args.verbose)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
