"""The classifier reads the sentence: whole tokens, clause roles, verb frames; other years' comments.

Scores are measured on tests/data/themes_other_year.csv: 86 comments written in a later year's
style (インボイス, 生成AI, GX, BCP, 賃上げ …), labelled against shared/spec/themes.md before the
classifier was changed. Its `heldout` split (44) was never looked at while tuning.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from hokoku.nlp import classify_texts, load_taxonomy
from hokoku.nlp.clauses import BACKGROUND, PURPOSE, REQUEST, STATEMENT, Segmenter
from hokoku.nlp.evaluate import read_labels, score
from hokoku.nlp.lexer import MAX_CHARS, clean, pieces, tokenize
from hokoku.nlp.taxonomy import TaxonomyError

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def one(text, tax):
    return classify_texts([text], tax)[0]


# ------------------------------------------------------------------ tokens, not substrings

@pytest.mark.parametrize("text, not_theme", [
    ("市内企業のエコシステムを形成するため、大学や金融機関との連携を一層進めるべきである。", "sdgs"),
    ("クラウドファンディングを活用した資金調達の手法について、創業間もない事業者に情報提供してはどうか。", "dx"),
    ("クラウドファンディングを活用した資金調達の手法について、創業間もない事業者に情報提供してはどうか。", "procurement"),
    ("本市の交通の便が良い立地を生かし、首都圏の百貨店バイヤーとの商談会を開催してはどうか。", "location"),
])
def test_a_term_inside_a_longer_word_or_in_another_sense_does_not_fire(text, not_theme, tax):
    assert not_theme not in one(text, tax).themes


def test_longest_match_claims_the_span_for_its_theme(tax):
    r = one("クラウドファンディングを活用した資金調達の手法について、創業間もない事業者に情報提供してはどうか。", tax)
    assert set(r.themes) == {"finance", "startup", "outreach"}
    assert r.evidence["finance"] == ["クラウドファンディング", "資金調達"]


def test_inflected_and_variant_spellings_match_the_dictionary_form(tax):
    r = one("廃業を検討している経営者と、事業を引き継ぎたい若手起業家を結び付ける仕組みを強化してほしい。", tax)
    assert {"succession", "startup", "collaboration"} <= set(r.themes)
    assert "結び付ける" in r.evidence["collaboration"]


# ------------------------------------------------------------------ clause roles

def test_clauses_of_a_comment(tax):
    text = "人手不足を背景に、外国人材の受入れを検討する企業が増えていることから、受入れ体制づくりの相談窓口を設けてほしい。"
    seg = Segmenter(tax.markers)
    clauses = seg.segment(text, tokenize(text).boundaries())
    assert [(text[c.start:c.end], c.role) for c in clauses] == [
        ("人手不足を背景に、", BACKGROUND),
        ("外国人材の受入れを検討する企業が増えていることから、", BACKGROUND),
        ("受入れ体制づくりの相談窓口を設けてほしい。", REQUEST),
    ]
    clauses = seg.segment("事業承継を考える経営者が早めに相談できるよう、金融機関と協力して進めてほしい。後継者は少ない。",
                          tokenize("事業承継を考える経営者が早めに相談できるよう、金融機関と協力して進めてほしい。後継者は少ない。").boundaries())
    assert [c.role for c in clauses] == [PURPOSE, REQUEST, STATEMENT]


def test_a_shortage_given_only_as_the_reason_is_not_the_theme(tax):
    r = one("人手不足を背景に、省力化設備の導入を支援すべきである。", tax)
    assert "talent" not in r.themes and "productivity" in r.themes
    assert r.scores["talent"] < tax.settings.threshold
    hit = next(h for h in r.hits if h.theme == "talent")
    assert (hit.text, hit.clause) == ("人手不足", BACKGROUND)


def test_evidence_says_the_clause(tax):
    r = one("生成AIを業務に取り入れる中小企業はまだ少ないことから、活用事例を紹介するセミナーを開催してはどうか。", tax)
    detail = r.detail()["dx"]
    assert detail == [{"text": "生成AI", "kind": "strong", "clause": BACKGROUND,
                       "clause_text": "生成AIを業務に取り入れる中小企業はまだ少ないことから、"}]


# ------------------------------------------------------------------ verb frames

@pytest.mark.parametrize("text, theme, word", [
    ("脱炭素経営に取り組む中小企業の事例集を作成し、広く知らせることが重要である。", "outreach", "知らせる"),
    ("生成AIの業務活用について、先行する市内企業の事例を広く伝えるべきである。", "outreach", "伝える"),
    ("地域の祭りやイベントの担い手が高齢化していることから、若い世代の参加を呼びかけるべきである。", "outreach", "呼びかける"),
    ("原材料価格の高騰が続くことから、取引先への価格転嫁が進むよう、商工会議所と共同で取り組むことが望ましい。", "collaboration", "共同で"),
    ("若手社員の早期離職を防ぐため、企業同士が合同で研修を行う取組を支援してほしい。", "collaboration", "合同で"),
])
def test_the_request_verb_carries_the_theme(text, theme, word, tax):
    r = one(text, tax)
    assert theme in r.themes
    assert any(h.kind == "frame" and h.text == word and h.clause == REQUEST for h in r.hits if h.theme == theme)


def test_a_frame_word_in_a_purpose_clause_is_not_the_request(tax):
    r = one("ものづくり企業の技術を次の世代に伝えるため、熟練技能者から若手への技能継承を支援してほしい。", tax)
    assert "outreach" not in r.themes


def test_frames_are_taxonomy_data(tmp_path, tax):
    # the frame 働きかける and the term 働きかけ (a stem, which also matches 働きかける)
    text = Path(tax.source).read_text(encoding="utf-8").replace('"働きかける", ', '', 1).replace('"働きかけ", ', '', 1)
    f = tmp_path / "themes.toml"
    f.write_text(text, encoding="utf-8")
    comment = "海外の見本市への参加を市内の中小企業に働きかけるべきである。"
    assert "outreach" in one(comment, tax).themes
    assert "outreach" not in one(comment, load_taxonomy(f)).themes  # 働きかけ(る) is a word nowhere else


def test_a_word_list_given_as_a_string_is_a_clear_error(tmp_path, tax):
    text = Path(tax.source).read_text(encoding="utf-8") + '[[theme]]\nid = "bcp"\nlabel = "BCP"\nframes = "備える"\n'
    f = tmp_path / "themes.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match="theme 'bcp': frames must be a list of non-empty strings"):
        load_taxonomy(f)


# ------------------------------------------------------------------ text that must not crash

def test_surrogates_nul_and_very_long_comments(tax):
    long = ("事業承継の相談体制を強化すべきである。" * 1000) + "デジタル化を進めてほしい。"
    assert len(long) > 16000
    texts = ["DXを\ud800進める\x00べきである。", long]
    r1, r2 = classify_texts(texts, tax)
    assert r1.themes == ["dx"] and r1.text == texts[0]
    assert {"succession", "dx"} <= set(r2.themes)  # the end of a long comment is read too
    assert len(pieces(clean(long))) > 1 and all(len(p) <= MAX_CHARS for _, p in pieces(clean(long)))


# ------------------------------------------------------------------ scores

def _scores(items, tax):
    ids = [t.id for t in tax.themes]
    ours = score(items, [set(r.themes) for r in classify_texts([i.text for i in items], tax)], ids)
    base = score(items, [set(r.themes) for r in classify_texts([i.text for i in items], tax, baseline=True)], ids)
    return ours, base


def test_other_year_heldout_beats_the_keyword_baseline(tax):
    items = [i for i in read_labels(DATA / "themes_other_year.csv") if i.split == "heldout"]
    assert len(items) == 44
    ours, base = _scores(items, tax)
    assert ours.micro_f1 >= 0.9 and ours.macro_f1 >= 0.88  # reached: 0.974 / 0.967 (baseline 0.872 / 0.885)
    assert ours.micro_f1 > base.micro_f1 + 0.08


def test_other_year_set_is_large_enough_and_labelled_with_known_themes(tax):
    items = read_labels(DATA / "themes_other_year.csv")
    ids = {t.id for t in tax.themes}
    assert len(items) >= 80 and {i.split for i in items} == {"tuning", "heldout"}
    assert all(i.gold <= ids for i in items)


def test_eval_themes_reports_both_and_errors_in_one_line(tmp_path, capsys):
    from hokoku.cli import main as hokoku_main

    assert hokoku_main(["eval-themes", str(DATA / "themes_other_year.csv"), "--split", "tuning"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("42 comments") and "baseline F1" in out
    micro = next(line.split() for line in out.splitlines() if line.startswith("micro F1"))
    assert float(micro[2]) >= 0.95 and float(micro[3]) < float(micro[2])  # classifier, then baseline
    bad = tmp_path / "labels.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert hokoku_main(["eval-themes", str(bad)]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs columns text, themes" in err
