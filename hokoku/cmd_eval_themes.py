"""hokoku eval-themes: precision/recall/F1 of the classifier (and the keyword baseline) on labels."""
from __future__ import annotations

NAME = "eval-themes"
HELP = "score the theme classifier against a labelled CSV (id,text,themes,split): per-theme P/R/F1, micro/macro F1"


def add_arguments(p) -> None:
    p.add_argument("labels", metavar="LABELS.csv", help="columns: text, themes (ids joined by spaces or ;), optional id and split")
    p.add_argument("--taxonomy", metavar="FILE", help="theme taxonomy TOML")
    p.add_argument("--split", default="all", help="only rows whose split is this (e.g. heldout, tuning); default all")
    p.add_argument("--unmatched", action="store_true", help="also list words of comments with no theme or only weak "
                   "signals, with the closest themes and the clause they came from (suggestions for the taxonomy)")


def run(args) -> int:
    from hokoku.nlp import classify_texts, load_taxonomy
    from hokoku.nlp.evaluate import read_labels, score

    tax = load_taxonomy(args.taxonomy)
    ids = [t.id for t in tax.themes]
    items = [i for i in read_labels(args.labels) if args.split == "all" or i.split == args.split]
    texts = [i.text for i in items]
    results = classify_texts(texts, tax)
    ours = score(items, [set(r.themes) for r in results], ids)
    base = score(items, [set(r.themes) for r in classify_texts(texts, tax, baseline=True)], ids)
    print(f"{len(items)} comments ({args.labels}, split={args.split})")
    print(f"{'theme':<14}{'support':>8}  {'P':>6}{'R':>6}{'F1':>6}   {'baseline F1':>11}")
    for t in ids:
        a, b = ours.per_theme[t], base.per_theme[t]
        if a["support"] or ours.spurious[t]:
            print(f"{t:<14}{a['support']:>8}  {a['precision']:>6.2f}{a['recall']:>6.2f}{a['f1']:>6.2f}   {b['f1']:>11.2f}")
    print(f"{'micro F1':<14}{'':>8}  {'':>12}{ours.micro_f1:>6.3f}   {base.micro_f1:>11.3f}")
    print(f"{'macro F1':<14}{'':>8}  {'':>12}{ours.macro_f1:>6.3f}   {base.macro_f1:>11.3f}")
    conf = [(t, ours.missed[t], ours.spurious[t]) for t in ids if ours.missed[t] or ours.spurious[t]]
    if conf:
        print("confusions (classifier):")
        for t, missed, spurious in conf:
            if missed:
                print(f"  {t} missed: {', '.join(missed)}")
            if spurious:
                print(f"  {t} spurious: {', '.join(spurious)}")
    if args.unmatched:
        _unmatched(items, results, tax, args.labels)
    return 0


def _unmatched(items, results, tax, source: str) -> None:
    """The --unmatched suggestions for labelled comments, each named by its row id."""
    from hokoku.extract.model import ThemeRecord
    from hokoku.nlp.unmatched import suggest
    from hokoku.outputs import themes_io

    records = [ThemeRecord(fiscal_year=None, source=source, project=i.id, article=None, kind="check", no=0, text=i.text,
                           themes=r.themes, evidence=r.evidence, scores=r.scores, detail=r.detail())
               for i, r in zip(items, results)]
    df = themes_io.suggestions_frame(suggest(records, tax, ident=lambda r: r.project), tax.labels())
    print("suggestions (words of comments with no theme or only weak signals):")
    print(df.to_string(index=False) if len(df) else themes_io.NOTHING_UNMATCHED)
