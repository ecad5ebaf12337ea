"""Static charts: Japanese font without japanize-matplotlib, PNG + SVG, fixed residual scale."""
from __future__ import annotations

import glob
import logging
import warnings

import pandas as pd
import pytest

from hokoku.outputs import charts

HAVE_IPAEX = any(glob.glob(p, recursive=True) for p in charts.FONT_GLOBS)


@pytest.fixture
def fresh_font_state():
    charts.use_japanese_font.cache_clear()
    yield
    charts.use_japanese_font.cache_clear()


def _theme_year() -> pd.DataFrame:
    return pd.DataFrame({"fiscal_year": [2020, 2020, 2021, 2021], "theme": ["dx", "succession"] * 2,
                         "label": ["DX・デジタル化", "事業承継"] * 2, "share": [0.25, 0.1, 0.3, 0.05]})


@pytest.mark.skipif(not HAVE_IPAEX, reason="fonts-ipaexfont not installed (make system-deps)")
def test_japanese_labels_render_with_ipaex_in_png_and_svg(tmp_path, fresh_font_state):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (tofu) would be a UserWarning
        out = charts.theme_year_chart(_theme_year(), tmp_path / "theme_year")
    assert charts.use_japanese_font() is True
    assert (tmp_path / "theme_year.png").read_bytes()[:4] == b"\x89PNG" == out["png"][:4]
    assert b"<svg" in (tmp_path / "theme_year.svg").read_bytes()[:500]


def test_missing_font_gives_one_warning_naming_the_package(tmp_path, monkeypatch, caplog, fresh_font_state):
    monkeypatch.setattr(charts, "FONT_GLOBS", [str(tmp_path / "nowhere" / "ipaexg.ttf")])
    with caplog.at_level(logging.WARNING, logger="hokoku"):
        assert charts.use_japanese_font() is False
        assert charts.use_japanese_font() is False
    msgs = [r.getMessage() for r in caplog.records]
    assert len(msgs) == 1 and "fonts-ipaexfont" in msgs[0]


def test_residual_colour_scale_is_symmetric_and_fixed_at_3():
    assert charts.residual_colour(0) == charts.residual_colour(0.0)
    assert charts.residual_colour(3) == charts.residual_colour(10)  # clipped at the end of the scale
    assert charts.residual_colour(0.6) != charts.residual_colour(3)  # 0.6 is not stretched to the end
    r, g, b = (int(charts.residual_colour(3)[i:i + 2], 16) for i in (1, 3, 5))
    assert r > 100 and b < 60  # +3: saturated red
    r, g, b = (int(charts.residual_colour(-3)[i:i + 2], 16) for i in (1, 3, 5))
    assert b > 90 and r < 30  # -3: saturated blue
