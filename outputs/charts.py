"""Static charts (PNG and SVG) with Japanese labels, for reports and Word documents.

The Japanese font is IPAex Gothic from the Debian package fonts-ipaexfont, registered with
matplotlib's font manager (no japanize-matplotlib, which needs distutils). Without the font the
charts are still written, with one warning saying what to install.
The residual colour scale (fixed ±3) lives here too, so the PNG and the HTML table agree.
"""
from __future__ import annotations

import glob
import io
import logging
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import colors as mcolors  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from . import trends_labels as TL  # noqa: E402
from .atomic import write_with  # noqa: E402
from .trends import RESIDUAL_SCALE, SIGNIFICANT  # noqa: E402

log = logging.getLogger("hokoku")

FONT_FAMILY = "IPAexGothic"
# Where Debian's fonts-ipaexfont puts the Gothic face (first match wins).
FONT_GLOBS = ["/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
              "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
              "/usr/share/fonts/**/ipaexg.ttf"]
RESIDUAL_CMAP = "RdBu_r"
FORMATS = ("png", "svg")
DPI = 110


@lru_cache(maxsize=1)
def use_japanese_font() -> bool:
    """Register IPAex Gothic with matplotlib once; False (and one warning) when it is missing."""
    for pattern in FONT_GLOBS:
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            font_manager.fontManager.addfont(found[0])
            matplotlib.rcParams["font.family"] = font_manager.FontProperties(fname=found[0]).get_name()
            return True
    log.warning("hokoku trends: %s", TL.FONT_MISSING)
    return False


def residual_colour(r: float) -> str:
    """Hex colour of an adjusted residual on the fixed ±3 scale (beyond ±3 it stays at the end)."""
    norm = mcolors.Normalize(vmin=-RESIDUAL_SCALE, vmax=RESIDUAL_SCALE, clip=True)
    return mcolors.to_hex(matplotlib.colormaps[RESIDUAL_CMAP](norm(r)))


def _save(fig, stem: Path) -> dict[str, bytes]:
    """Write stem.png and stem.svg atomically; returns the bytes by format."""
    out = {}
    for fmt in FORMATS:
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=DPI, bbox_inches="tight")
        data = buf.getvalue()
        write_with(stem.with_suffix(f".{fmt}"), lambda tmp, data=data: tmp.write_bytes(data))
        out[fmt] = data
    plt.close(fig)
    return out


def theme_year_chart(theme_year: pd.DataFrame, stem: Path) -> dict[str, bytes]:
    """Horizontal bars: each theme's share of a year's comments, one bar per year."""
    use_japanese_font()
    pivot = theme_year.pivot_table(index="label", columns="fiscal_year", values="share", fill_value=0)
    pivot = pivot.loc[pivot.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(pivot) + 1.5))
    pivot.plot.barh(ax=ax, width=0.8)
    ax.set_title(TL.CHART_SHARES)
    ax.set_xlabel(TL.AXIS_SHARE)
    ax.set_ylabel("")
    ax.legend(title=TL.AXIS_YEAR)
    return _save(fig, stem)


def count_heatmap(frame: pd.DataFrame, title: str, stem: Path) -> dict[str, bytes]:
    """Counts (e.g. co-occurrence) on a white-to-blue scale from 0 to the largest count."""
    use_japanese_font()
    fig, ax = plt.subplots(figsize=(0.5 * frame.shape[1] + 3, 0.45 * frame.shape[0] + 1.5))
    im = ax.imshow(frame.values, cmap="Blues", vmin=0, vmax=float(frame.values.max()) or 1.0)
    _ticks(ax, frame)
    for i in range(frame.shape[0]):
        for j in range(frame.shape[1]):
            ax.text(j, i, f"{int(frame.values[i, j])}", ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, shrink=0.7)
    ax.set_title(title)
    return _save(fig, stem)


def residual_heatmap(frame: pd.DataFrame, stem: Path) -> dict[str, bytes]:
    """Adjusted residuals on the fixed ±3 scale; |r| ≥ 1.96 marked with ★."""
    use_japanese_font()
    fig, ax = plt.subplots(figsize=(0.7 * frame.shape[1] + 3, 0.45 * frame.shape[0] + 1.5))
    im = ax.imshow(frame.values, cmap=RESIDUAL_CMAP, vmin=-RESIDUAL_SCALE, vmax=RESIDUAL_SCALE)
    _ticks(ax, frame)
    for i in range(frame.shape[0]):
        for j in range(frame.shape[1]):
            v = frame.values[i, j]
            mark = TL.VIEW["residual_marker"] if abs(v) >= SIGNIFICANT else ""
            ax.text(j, i, f"{v:.1f}{mark}", ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, shrink=0.7)
    ax.set_title(TL.CHART_RESIDUALS)
    return _save(fig, stem)


def _ticks(ax, frame: pd.DataFrame) -> None:
    ax.set_xticks(range(frame.shape[1]), [str(c) for c in frame.columns], rotation=60, ha="right")
    ax.set_yticks(range(frame.shape[0]), [str(i) for i in frame.index])
