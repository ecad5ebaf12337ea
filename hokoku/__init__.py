"""hokoku (報告): structured data from Japanese municipal policy-evaluation reports.

Notebook API:

    from hokoku import parse_report, load_report
    r = parse_report("report.pdf")        # or load_report("out/x/report.json")
    frames = r.to_frames()                # projects, indicators, comments, actions, article_opinions
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.2.0"
__all__ = ["parse_report", "load_report", "__version__"]

if TYPE_CHECKING:
    from hokoku.extract.model import Report


def parse_report(path: str | Path, **kwargs) -> "Report":
    """Parse a report PDF into the typed report model (see hokoku.extract.parse_report)."""
    from hokoku.extract import parse_report as _parse

    return _parse(path, **kwargs)


def load_report(path: str | Path) -> "Report":
    """Read a saved report.json back into the typed report model."""
    from hokoku.extract.model import Report

    return Report.load(path)
