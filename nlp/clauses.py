"""Clause roles: which part of a comment gives the background and which part asks for something.

A sentence is cut after each clause marker that ends a clause (the marker followed by 「、」):
reason markers (〜ことから、〜を背景に、〜により、…) open a *background* clause, purpose
markers (〜よう、〜ため、〜に向けて、…) a *purpose* clause. What follows the last cut is the
main clause: a *request* when the sentence ends in a request cue (〜てほしい, 〜べき, 〜必要,
〜ではないか, 〜検討を…), else a *statement*. A short request that names nothing of its own
(「今後も続けてほしい」「対象を広げてほしい」「その立ち上げを支援してほしい」: a `bare` cue) asks
for what the clause before it described, so that clause is the request's *subject*, not its
background. The markers are data (themes.toml [clauses]).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BACKGROUND, PURPOSE, REQUEST, STATEMENT, SUBJECT = "background", "purpose", "request", "statement", "subject"
MAIN = (REQUEST, STATEMENT, SUBJECT)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?\n]*")
_COMMA = "、，,"
REQUEST_TAIL = 16  # characters at a sentence end searched for a request cue
BARE_MAX = 18  # a request clause this short with a `bare` cue names nothing of its own


@dataclass(frozen=True)
class Markers:
    background: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    request: tuple[str, ...] = ()
    carriers: tuple[str, ...] = ()  # predicates whose object is what is asked for: 〜を後押し, 〜につなげる
    carrier_heads: tuple[str, ...] = ()  # general nouns between such an object and its particle: 研修制度を
    bare: tuple[str, ...] = ()  # a short request asking to go on with what was said before: 今後も続けて


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    role: str


def _marker_regex(markers: Markers) -> re.Pattern | None:
    pairs = [(m, BACKGROUND) for m in markers.background] + [(m, PURPOSE) for m in markers.purpose]
    if not pairs:
        return None
    alts = sorted(pairs, key=lambda p: -len(p[0]))  # longest first: 「ているため」 before 「ため」
    return re.compile("|".join(f"(?P<{role[0]}{i}>{re.escape(m)})[{_COMMA}]" for i, (m, role) in enumerate(alts)))


class Segmenter:
    def __init__(self, markers: Markers):
        self.markers = markers
        self._rx = _marker_regex(markers)

    def _is_request(self, sentence: str) -> bool:
        tail = sentence.rstrip("。！？!? \n")[-REQUEST_TAIL:]
        return any(cue in tail for cue in self.markers.request)

    def segment(self, text: str, boundaries: set[int]) -> list[Clause]:
        """Clauses covering the text in order; a marker counts only at token boundaries."""
        out: list[Clause] = []
        for s in _SENTENCE.finditer(text):
            start = s.start()
            if self._rx is not None:
                for m in self._rx.finditer(text, s.start(), s.end()):
                    name = m.lastgroup or ""
                    a, b = m.span(name)
                    if a not in boundaries or b not in boundaries:
                        continue
                    out.append(Clause(start, m.end(), BACKGROUND if name[0] == "b" else PURPOSE))
                    start = m.end()
            if start < s.end():
                out.append(Clause(start, s.end(), REQUEST if self._is_request(s.group()) else STATEMENT))
        return out

    def subjects(self, clauses: list[Clause], text: str, names) -> list[Clause]:
        """A bare request (今後も続けてほしい: short, a `bare` cue, and `names(start, end)` false —
        no word of any theme in it) takes the background clause just before it as its subject."""
        out = list(clauses)
        for i in range(1, len(out)):
            last, prev = out[i], out[i - 1]
            if (last.role == REQUEST and prev.role == BACKGROUND and prev.end == last.start
                    and len(text[last.start:last.end].strip()) <= BARE_MAX
                    and any(cue in text[last.start:last.end] for cue in self.markers.bare)
                    and not names(last.start, last.end)):
                out[i - 1] = Clause(prev.start, prev.end, SUBJECT)
        return out


def sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENTENCE.finditer(text)]


def role_at(clauses: list[Clause], pos: int) -> Clause | None:
    return next((c for c in clauses if c.start <= pos < c.end), None)
