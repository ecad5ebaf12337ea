"""Japanese labels of theme ids for the follow-up box (records are read with ThemeRecord.load_all).

The draft does not import nlp (spaCy): labels come from hokoku.nlp's themes.toml read with
tomllib when the file is there; otherwise the theme ids are shown as they are.
"""
from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

TAXONOMY = Path(str(resources.files("hokoku.nlp").joinpath("themes.toml")))


def theme_labels(taxonomy: Path = TAXONOMY) -> dict[str, str]:
    """Theme id → Japanese label from the taxonomy file, or {} when it is absent or unreadable."""
    try:
        data = tomllib.loads(taxonomy.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {t["id"]: t.get("label", t["id"]) for t in data.get("theme", []) if "id" in t}
