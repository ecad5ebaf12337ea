"""ExtractSettings refuses values out of range and cannot be changed once made."""
from __future__ import annotations

import dataclasses

import pytest

from hokoku.extract.settings import ExtractSettings


def test_defaults_are_valid_and_frozen():
    s = ExtractSettings()
    assert s.heavy_line_share == 0.5 and s.gutter_min_page_items == 6
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.para_gap = 2.0


@pytest.mark.parametrize("change, message", [
    ({"text_row_gap": 0}, "text_row_gap must be positive"),
    ({"fallback_char_size_pt": -10}, "fallback_char_size_pt must be positive"),
    ({"heavy_line_share": 1.5}, "heavy_line_share is a share"),
    ({"gutter_search": (0.7, 0.3)}, "gutter_search must be two shares"),
])
def test_out_of_range_is_refused(change, message):
    with pytest.raises(ValueError, match=message):
        ExtractSettings(**change)
