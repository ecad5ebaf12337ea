"""The theme taxonomy: a TOML data file users edit (themes, terms, rules, verb frames, clause
markers), loaded and checked."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from hokoku.extract.errors import HokokuError

from .clauses import Markers


class TaxonomyError(HokokuError):
    """The taxonomy file cannot be used; the message says where."""


@dataclass(frozen=True)
class Settings:
    strong_weight: float = 0.9
    weak_weight: float = 0.35
    frame_weight: float = 0.9
    threshold: float = 0.5
    background_factor: float = 0.55  # a term only in a background clause counts this much
    argument_weight: float = 0.6  # a weak term the request's predicate takes as its argument
    cue_window: int = 2  # bunsetsu between a weak term and a cue of its sense
    negators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sense:
    """When one of a theme's terms means the theme, decided by the words around it.

    `other`: patterns (regular expressions) covering the term where it means something else
    (立地する企業 = where a firm is, not siting): such a hit does not count, and says why.
    `cues`: patterns near the term that confirm the theme's sense (改修費の補助, 費用面の支援):
    a weak term with a cue counts on its own, like a strong one.
    `to`: the theme the other sense belongs to, when it is one (企業と学生をつなぐ is job
    matching: talent, not collaboration): the words `other` covered count for it instead."""

    term: str
    other: tuple[re.Pattern, ...] = ()
    cues: tuple[re.Pattern, ...] = ()
    reason: str = ""
    to: str = ""


@dataclass(frozen=True)
class PhraseFrame:
    """A request frame of several parts: one of `words` (a verb, verbal noun or adverb) in the
    main clause together with one of `with_` in the same clause: 企業同士が一緒に備える; or with
    `before`, patterns one of which must match the clause's text just before the word (ending
    there): 「と[^、。]{1,20}が$」 for two named parties as the subject, 「農家と食品メーカーが一緒に」."""

    words: tuple[str, ...]
    with_: tuple[str, ...]
    before: tuple[re.Pattern, ...] = ()


@dataclass
class Theme:
    id: str
    label: str
    definition: str = ""
    terms: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    rules: list["Rule"] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)
    reason_weak: list[str] = field(default_factory=list)
    not_in: list[re.Pattern] = field(default_factory=list)
    seeds: list[str] = field(default_factory=list)
    senses: dict[str, list[Sense]] = field(default_factory=dict)  # term → how its sense is decided
    phrase_frames: list[PhraseFrame] = field(default_factory=list)


@dataclass
class Taxonomy:
    themes: list[Theme]
    settings: Settings
    source: str
    markers: Markers = field(default_factory=Markers)
    ignore: tuple[str, ...] = ()  # words --unmatched never suggests
    synonyms_exclude: tuple[str, ...] = ()  # strong terms whose Sudachi synonym group is too wide to follow

    def labels(self) -> dict[str, str]:
        return {t.id: t.label for t in self.themes}

    def resolve(self, name: str) -> str:
        """A theme id from its id or its Japanese label (whole, or one part of a 「・」 label):
        succession, 事業承継, DX and デジタル化 all name a theme."""
        key = name.strip().casefold()
        for t in self.themes:
            if key == t.id.casefold() or key == t.label.casefold() or key in t.label.casefold().split("・"):
                return t.id
        choices = ", ".join(f"{t.id} ({t.label})" for t in self.themes)
        raise TaxonomyError(f"no theme {name!r} in {self.source} (themes: {choices})")


# ------------------------------------------------------------------ rules
# expr := or ; or := and ('|' and)* ; and := unary ('&' unary)* ;
# unary := '!' unary | '(' expr ')' | near(term, term, N) | term

_TOKEN = re.compile(r"\s*(near\(|[()&|!,]|[^\s()&|!,]+)")


@dataclass(frozen=True)
class Rule:
    """A parsed coding rule; `eval(has, near)` with callbacks for term presence and proximity."""

    text: str
    tree: tuple

    def terms(self) -> list[str]:
        out: list[str] = []

        def walk(node):
            if node[0] == "term":
                out.append(node[1])
            elif node[0] == "near":
                out.extend(node[1:3])
            else:
                for child in node[1:]:
                    walk(child)

        walk(self.tree)
        return out

    def eval(self, has, near) -> bool:
        def ev(node) -> bool:
            kind = node[0]
            if kind == "term":
                return has(node[1])
            if kind == "near":
                return near(node[1], node[2], node[3])
            if kind == "not":
                return not ev(node[1])
            if kind == "and":
                return all(ev(c) for c in node[1:])
            return any(ev(c) for c in node[1:])

        return ev(self.tree)


def parse_rule(text: str) -> Rule:
    tokens = [t for t in _TOKEN.findall(text) if t.strip()]
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take(expected=None):
        nonlocal pos
        tok = peek()
        if tok is None or (expected and tok != expected):
            raise TaxonomyError(f"rule {text!r}: expected {expected or 'a term'} at token {pos + 1}")
        pos += 1
        return tok

    def expr():
        node = ["or", conj()]
        while peek() == "|":
            take("|")
            node.append(conj())
        return tuple(node) if len(node) > 2 else node[1]

    def conj():
        node = ["and", unary()]
        while peek() == "&":
            take("&")
            node.append(unary())
        return tuple(node) if len(node) > 2 else node[1]

    def unary():
        tok = peek()
        if tok == "!":
            take("!")
            return ("not", unary())
        if tok == "(":
            take("(")
            node = expr()
            take(")")
            return node
        if tok == "near(":
            take("near(")
            a = take()
            take(",")
            b = take()
            take(",")
            n = take()
            take(")")
            if not n.isdigit():
                raise TaxonomyError(f"rule {text!r}: near() needs a whole number of bunsetsu, got {n!r}")
            return ("near", a, b, int(n))
        if tok in (None, ")", "&", "|", ","):
            raise TaxonomyError(f"rule {text!r}: expected a term at token {pos + 1}")
        return ("term", take())

    tree = expr()
    if peek() is not None:
        raise TaxonomyError(f"rule {text!r}: unexpected {peek()!r}")
    return Rule(text=text, tree=tree)


# ------------------------------------------------------------------ loading


WORD_LISTS = ("terms", "weak", "frames", "reason_weak", "rules", "not_in", "seeds")


def _patterns(items: list[str], path: Path, theme: str, key: str) -> list[re.Pattern]:
    try:
        return [re.compile(p) for p in items]
    except re.error as e:
        raise TaxonomyError(f"{path}: theme {theme!r}: bad {key} pattern ({e})") from None


def _strings(table: dict, key: str, path: Path, where: str) -> list[str]:
    words = table.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise TaxonomyError(f"{path}: {where}: {key} must be a list of non-empty strings")
    return list(words)


def _senses(t: dict, path: Path) -> dict[str, list[Sense]]:
    """[[theme.sense]] tables: term (one or a list), other, cues, reason, to; each term must be
    one of the theme's terms or weak terms (`to` is checked once all themes are read)."""
    out: dict[str, list[Sense]] = {}
    for i, sense in enumerate(t.get("sense", []), start=1):
        where = f"theme {t['id']!r} sense #{i}"
        terms = sense.get("term")
        terms = [terms] if isinstance(terms, str) else terms
        if not isinstance(terms, list) or not terms:
            raise TaxonomyError(f"{path}: {where}: needs a term")
        other = _patterns(_strings(sense, "other", path, where), path, t["id"], "sense other")
        cues = _patterns(_strings(sense, "cues", path, where), path, t["id"], "sense cues")
        for term in terms:
            if term not in (*t.get("terms", []), *t.get("weak", [])):
                raise TaxonomyError(f"{path}: {where}: term {term!r} is not one of the theme's terms or weak terms")
            out.setdefault(term, []).append(Sense(term, tuple(other), tuple(cues), str(sense.get("reason", "")),
                                                  str(sense.get("to", ""))))
    return out


def _check_targets(themes: list[Theme], path: Path) -> None:
    """A sense's `to` names another theme of the file."""
    ids = {t.id for t in themes}
    for t in themes:
        for sense in (s for senses in t.senses.values() for s in senses):
            if sense.to and (sense.to not in ids or sense.to == t.id):
                raise TaxonomyError(f"{path}: theme {t.id!r} sense of {sense.term!r}: to = {sense.to!r} is not another theme")


def _expand(words: list[str], lists: dict[str, list[str]], path: Path, where: str) -> list[str]:
    """Words with each 「@name」 replaced by the [lists] entry of that name (partners shared by
    several frames)."""
    out: list[str] = []
    for w in words:
        if w.startswith("@"):
            if w[1:] not in lists:
                raise TaxonomyError(f"{path}: {where}: no list {w[1:]!r} in [lists]")
            out += lists[w[1:]]
        else:
            out.append(w)
    return out


def _phrase_frames(t: dict, lists: dict[str, list[str]], path: Path) -> list[PhraseFrame]:
    """[[theme.frame]] tables: words (the frame) and with (a word it needs in the same clause);
    either may name a word list as 「@name」."""
    out = []
    for i, frame in enumerate(t.get("frame", []), start=1):
        where = f"theme {t['id']!r} frame #{i}"
        words = _expand(_strings(frame, "words", path, where), lists, path, where)
        with_ = _expand(_strings(frame, "with", path, where), lists, path, where)
        before = _patterns(_strings(frame, "before", path, where), path, t["id"], "frame before")
        if not words or not (with_ or before):
            raise TaxonomyError(f"{path}: {where}: needs words and with (or before)")
        out.append(PhraseFrame(tuple(words), tuple(with_), tuple(before)))
    return out


def default_path() -> Path:
    return Path(str(resources.files("hokoku.nlp").joinpath("themes.toml")))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load the taxonomy (the packaged one by default). Errors name the file and the theme."""
    path = Path(path) if path else default_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: taxonomy file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise TaxonomyError(f"{path}: not valid TOML ({e})") from None
    s = data.get("settings", {})
    settings = Settings(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in s.items() if k in Settings.__dataclass_fields__})
    lists = data.get("lists", {})
    for name in lists:
        _strings(lists, name, path, "[lists]")
    c = data.get("clauses", {})
    markers = Markers(**{k: tuple(c.get(k, ())) for k in Markers.__dataclass_fields__})
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, t in enumerate(data.get("theme", []), start=1):
        if "id" not in t or "label" not in t:
            raise TaxonomyError(f"{path}: theme #{i} needs an id and a label")
        if t["id"] in seen:
            raise TaxonomyError(f"{path}: theme id {t['id']!r} appears twice")
        seen.add(t["id"])
        for key in WORD_LISTS:
            _strings(t, key, path, f"theme {t['id']!r}")
        not_in = _patterns(t.get("not_in", []), path, t["id"], "not_in")
        themes.append(Theme(
            id=t["id"], label=t["label"], definition=t.get("definition", ""),
            terms=list(t.get("terms", [])), weak=list(t.get("weak", [])),
            rules=[parse_rule(r) for r in t.get("rules", [])], frames=list(t.get("frames", [])),
            reason_weak=list(t.get("reason_weak", [])), not_in=not_in,
            seeds=list(t.get("seeds", [])),
            senses=_senses(t, path), phrase_frames=_phrase_frames(t, lists, path),
        ))
    if not themes:
        raise TaxonomyError(f"{path}: no [[theme]] entries")
    _check_targets(themes, path)
    ignore = tuple(data.get("unmatched", {}).get("ignore", ()))
    exclude = tuple(_strings(data.get("synonyms", {}), "exclude", path, "[synonyms]"))
    return Taxonomy(themes=themes, settings=settings, source=str(path), markers=markers, ignore=ignore,
                    synonyms_exclude=exclude)
