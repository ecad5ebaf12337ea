"""Match the same project across years despite renames and sub-project markers.

A name is reduced to a key (no ①② markers, no spaces or brackets, no group prefix
when a sub-project name follows); keys that are close enough (difflib ratio) are the
same project. Staff can pin or correct matches in a mapping CSV (name,canonical):
it is read first and written back with every new name, so corrections persist.
"""
from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from pathlib import Path

MAP_FILE = "project_map.csv"
SIMILARITY = 0.75  # difflib ratio of keys above which two names are one project
MIN_CONTAINED = 5  # a key this long found inside another name counts as the same project
_MARKER = re.compile(r"[\u2460-\u2473]")
_DROP = re.compile(r"[\s・（）()「」【】〔〕\[\]]")


def key(name: str) -> str:
    """'新川崎・創造のもり推進事業 ①新産業創造支援事業' → '新産業創造支援事業' (the sub-project)."""
    m = _MARKER.search(name)
    if m:
        name = name[m.end():]
    return _DROP.sub("", unicodedata.normalize("NFKC", name))


def similar(a: str, b: str) -> float:
    """1.0 when one key contains the other (a renamed project keeps its old name inside), else
    difflib's ratio."""
    ka, kb = key(a), key(b)
    if min(len(ka), len(kb)) >= MIN_CONTAINED and (ka in kb or kb in ka):
        return 1.0
    return difflib.SequenceMatcher(None, ka, kb).ratio()


class ProjectMatcher:
    def __init__(self, mapping: dict[str, str] | None = None, path: Path | None = None):
        self.mapping = dict(mapping or {})
        self.path = path

    @classmethod
    def load(cls, path: str | Path) -> "ProjectMatcher":
        path = Path(path)
        mapping = {}
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as f:
                mapping = {r["name"]: r["canonical"] for r in csv.DictReader(f) if r.get("name")}
        return cls(mapping, path)

    @classmethod
    def for_db(cls, db: str | Path) -> "ProjectMatcher":
        """The mapping file that lives beside a corpus database."""
        return cls.load(Path(db).with_name(MAP_FILE))

    def canonical(self, name: str) -> str:
        if name in self.mapping:
            return self.mapping[name]
        best, best_ratio = None, 0.0
        for known, canon in self.mapping.items():
            ratio = similar(name, known)
            if ratio > best_ratio:
                best, best_ratio = canon, ratio
        canon = best if best is not None and best_ratio >= SIMILARITY else name
        self.mapping[name] = canon
        self.save()
        return canon

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".csv.tmp")
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(["name", "canonical"])
            for n, c in sorted(self.mapping.items()):
                w.writerow([n, c])
        tmp.replace(self.path)
