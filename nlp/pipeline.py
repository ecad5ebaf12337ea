"""The GiNZA pipeline, loaded once per process; batches go through nlp.pipe."""
from __future__ import annotations

import os
from functools import lru_cache

MODEL = "ja_ginza"  # the CNN model shipped inside the ja-ginza PyPI package (no download)
UNUSED = ("ner",)  # named entities are not used by the classifier


@lru_cache(maxsize=1)
def load():
    import spacy

    try:
        return spacy.load(MODEL, exclude=list(UNUSED))
    except OSError as e:
        from hokoku.extract.errors import HokokuError

        raise HokokuError(f"the GiNZA model {MODEL!r} is not installed (pip install ja-ginza): {e}") from None


PARALLEL_MIN_DOCS = 400  # below this, starting worker processes costs more than it saves


def parse(texts: list[str], batch_size: int = 64):
    """Docs for texts, in order; large batches use one process per core."""
    cores = os.cpu_count() or 1
    n_process = min(cores, 4) if len(texts) >= PARALLEL_MIN_DOCS and cores > 1 else 1
    return list(load().pipe(texts, batch_size=batch_size, n_process=n_process))
