"""Charts as PNG with Japanese labels (IPAex Gothic via japanize-matplotlib: no tofu)."""
from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import japanize_matplotlib  # noqa: E402,F401  (sets a Japanese font)
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .atomic import write_with  # noqa: E402

TITLE_YEAR = "テーマ別の検証意見の割合（年度別）"
TITLE_CO = "テーマの共起（同じ意見で挙がった件数）"
TITLE_RESID = "テーマ × 年度の調整済み残差（絶対値 1.96 以上で有意）"
AXIS_SHARE = "意見に占める割合"
AXIS_YEAR = "年度"


def _save(fig, path: Path) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = buf.getvalue()
    write_with(path, lambda tmp: tmp.write_bytes(data))
    return data


def theme_year_chart(theme_year: pd.DataFrame, path: Path) -> bytes:
    pivot = theme_year.pivot_table(index="label", columns="fiscal_year", values="share", fill_value=0)
    pivot = pivot.loc[pivot.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(pivot) + 1.5))
    pivot.plot.barh(ax=ax, width=0.8)
    ax.set_title(TITLE_YEAR)
    ax.set_xlabel(AXIS_SHARE)
    ax.set_ylabel("")
    ax.legend(title=AXIS_YEAR)
    return _save(fig, path)


def heatmap(frame: pd.DataFrame, title: str, path: Path, center_zero: bool = False) -> bytes:
    fig, ax = plt.subplots(figsize=(0.5 * frame.shape[1] + 3, 0.45 * frame.shape[0] + 1.5))
    vmax = float(abs(frame.values).max()) or 1.0
    im = ax.imshow(frame.values, cmap="RdBu_r" if center_zero else "Blues",
                   vmin=-vmax if center_zero else 0, vmax=vmax)
    ax.set_xticks(range(frame.shape[1]), [str(c) for c in frame.columns], rotation=60, ha="right")
    ax.set_yticks(range(frame.shape[0]), [str(i) for i in frame.index])
    for i in range(frame.shape[0]):
        for j in range(frame.shape[1]):
            v = frame.values[i, j]
            ax.text(j, i, f"{v:.1f}" if center_zero else f"{int(v)}", ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, shrink=0.7)
    ax.set_title(title)
    return _save(fig, path)
