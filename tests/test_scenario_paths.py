"""The one dotted-path engine: get, set (copy-on-write, schema-checked) and readable names."""

from __future__ import annotations

import copy

import pytest

from warrantysim.scenario.paths import PathError, get_value, readable_path, set_value

RAW = {
    "name": "x",
    "parts": [{"name": "ssd", "life": {"shape": 1.2}}, {"name": "hdd", "life": {"shape": 2.0}}],
}


def test_set_copies_only_the_containers_on_the_way() -> None:
    before = copy.deepcopy(RAW)
    out = set_value(RAW, ("parts", "hdd", "life", "shape"), 3.0)
    assert before == RAW  # the input is never written into
    assert out["parts"][1]["life"]["shape"] == 3.0
    assert out["parts"][0] is RAW["parts"][0]  # untouched items are shared, not copied


def test_set_creates_missing_mappings_and_refuses_unknown_keys() -> None:
    out = set_value(RAW, ("simulation", "horizon_months"), 48)
    assert out["simulation"] == {"horizon_months": 48}
    with pytest.raises(PathError, match="did you mean 'horizon_months'"):
        set_value(RAW, ("simulation", "horizon_month"), 48)


def test_get_and_readable_address_items_by_name_or_index() -> None:
    assert get_value(RAW, ("parts", "ssd", "life", "shape")) == 1.2
    assert get_value(RAW, ("parts", "1", "name")) == "hdd"
    assert readable_path(RAW, ("parts", "1", "life")) == ("parts", "hdd", "life")
    with pytest.raises(PathError, match="no value at 'gpu'"):
        get_value(RAW, ("parts", "gpu"))
