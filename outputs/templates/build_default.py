"""Rebuild outputs/templates/default.docx (the draft's default Word template) reproducibly.

Run from the repository root: `.venv/bin/python outputs/templates/build_default.py`.
The template's content (fonts, styles, page setup) is defined in outputs/draft/template.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from outputs.draft.template import build_default_template  # noqa: E402

if __name__ == "__main__":
    print(build_default_template())
