"""Theme records (hokoku themes output) for the follow-up box, read as plain JSON.

The draft does not import nlp: labels come from hokoku.nlp's themes.toml read with tomllib when
the file is there; otherwise the theme ids are shown as they are.
"""
from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path

from hokoku.extract.errors import InputError

TAXONOMY = Path(str(resources.files("hokoku.nlp").joinpath("themes.toml")))


def load_theme_records(path: str | Path) -> list[dict]:
    """The records of a themes.json (a JSON list); a clear error otherwise."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except json.JSONDecodeError as e:
        raise InputError(str(path), f"not a themes JSON file ({e})") from None
    if not isinstance(data, list):
        raise InputError(str(path), "expected a list of theme records (hokoku themes output)")
    return data


def theme_labels(taxonomy: Path = TAXONOMY) -> dict[str, str]:
    """Theme id → Japanese label from the taxonomy file, or {} when it is absent or unreadable."""
    try:
        data = tomllib.loads(taxonomy.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {t["id"]: t.get("label", t["id"]) for t in data.get("theme", []) if "id" in t}
