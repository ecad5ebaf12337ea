"""The GiNZA pipeline, loaded once per process; batches go through nlp.pipe."""
from __future__ import annotations

from functools import lru_cache

MODEL = "ja_ginza"  # the CNN model shipped inside the ja-ginza PyPI package (no download)
UNUSED = ("ner",)  # named entities are not used by the classifier
PARSE_PIPES = ["tok2vec", "parser", "bunsetu_recognizer"]  # dependencies (bunsetu_recognizer sets their final form)


@lru_cache(maxsize=1)
def load():
    import spacy

    try:
        return spacy.load(MODEL, exclude=list(UNUSED))
    except OSError as e:
        from hokoku.extract.errors import HokokuError

        raise HokokuError(f"the GiNZA model {MODEL!r} is not installed (pip install ja-ginza): {e}") from None


def parse(texts: list[str], batch_size: int = 64):
    """Dependency-parsed docs for texts, in order (the morphologizer and compound splitter are
    skipped: their POS output is not used)."""
    nlp = load()
    with nlp.select_pipes(enable=[p for p in PARSE_PIPES if p in nlp.pipe_names]):
        return list(nlp.pipe(texts, batch_size=batch_size))
