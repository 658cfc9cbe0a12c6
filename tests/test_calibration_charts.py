"""The calibration charts rendered for real (Vega-Lite → SVG through vl-convert, the renderer the
README's screenshot uses) and read back: each mark is an SVG path whose ``aria-label`` carries its
data, so the test counts the marks and checks which cells are flagged against the frames."""

from __future__ import annotations

import re

import numpy as np
import pytest

from factories import part, scenario
from warrantysim.calibration import Censoring, fitter
from warrantysim.calibration.diagnostics import cdf_band, probability_points
from warrantysim.calibration.export import simulated_nevada
from warrantysim.calibration.forecast import expected_chart, forecast_returns, monitor
from warrantysim.calibration.nevada import NevadaChart, to_life_data, truncate
from warrantysim.charts_calibration import forecast_view, nevada_residuals, probability_plot

vlc = pytest.importorskip("vl_convert")
WARRANTY = 24
FIT_MONTHS, AHEAD = 18, 6
BAD_LOT = 5
"""Row of the lot whose returns are tripled after the fit (a lot failing faster)."""


def _chart(seed: int = 7) -> NevadaChart:
    world = scenario(
        [part(life={"shape": 2.0, "scale_months": 90.0})],
        product={"sales_months": 18, "units_per_month": 1000, "warranty_months": WARRANTY},
        simulation={"horizon_months": FIT_MONTHS + AHEAD, "replications": 1, "seed": 1},
    )
    return simulated_nevada(world, 5600.0, seed)["ssd"]


def _with_bad_lot(chart: NevadaChart, after: int) -> NevadaChart:
    bad = chart.returns.copy()
    bad[BAD_LOT, after:] = 3 * bad[BAD_LOT, after:] + 10
    return NevadaChart(chart.ship_period, chart.shipped, bad, chart.first_return_period)


def _marks(svg: str, mark: str) -> list[list[str]]:
    """The aria-labels of each mark group of a kind (``symbol``, ``rect``, ``area``, ``line``)."""
    groups = re.findall(rf'<g class="mark-{mark} role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    return [re.findall(r'<path aria-label="([^"]*)"', g) for g in groups]


def _cell(label: str) -> tuple[int, int]:
    """(lot, period) from a label such as 'return period: 21; shipment lot: 4; ...'."""
    fields = dict(part.split(": ", 1) for part in label.split("; "))
    return int(fields["shipment lot"]), int(fields["return period"])


def test_probability_plot_draws_every_point_the_fit_and_its_band():
    chart = _chart()
    data = to_life_data(chart, 1, WARRANTY, Censoring.INTERVAL)
    fit = fitter("weibull").fit(data)
    points = probability_points(data)
    band = cdf_band(fit, np.geomspace(0.3, WARRANTY, 60))
    assert (band["lower"] <= band["cdf"]).all()
    assert (band["cdf"] <= band["upper"]).all()
    svg = vlc.vegalite_to_svg(probability_plot(points, band, "ssd").to_dict())
    (dots,) = _marks(svg, "symbol")
    assert len(dots) == len(points)  # one Kaplan–Meier point per failure age
    assert len(re.findall(r'<g class="mark-area role-mark', svg)) == 1  # the band
    assert len(re.findall(r'<g class="mark-line role-mark', svg)) == 1  # the fitted CDF
    assert ">ssd<" in svg
    # the axis shows F, not ln(−ln(1 − F)): its labels are percentages
    assert re.search(r">\d+(\.\d+)?%<", svg)


def test_nevada_residuals_ring_exactly_the_cells_outside_their_interval():
    chart = _with_bad_lot(_chart(), FIT_MONTHS)
    fit = fitter("weibull").fit(to_life_data(truncate(chart, FIT_MONTHS), 1, WARRANTY,
                                             Censoring.INTERVAL))  # fmt: skip
    cells = expected_chart(fit, chart)
    outside = cells[cells["outside"]]
    assert len(outside) > 0
    svg = vlc.vegalite_to_svg(nevada_residuals(cells, "observed − expected").to_dict())
    (tiles,) = _marks(svg, "rect")
    (rings,) = _marks(svg, "symbol")
    assert len(tiles) == len(cells)
    assert sorted(map(_cell, rings)) == sorted(zip(outside["lot"], outside["period"], strict=True))
    planted = chart.ship_period[BAD_LOT]
    print(
        f"cells outside: {len(outside)} of {len(cells)}, {(outside['lot'] == planted).sum()} "
        "of the planted lot"
    )
    assert (outside["lot"] == planted).sum() >= AHEAD - 1  # the bad lot's late cells stand out


def test_forecast_view_flags_the_lot_that_fails_faster():
    full = _chart()
    history = truncate(full, FIT_MONTHS)
    fit = fitter("weibull").fit(to_life_data(history, 1, WARRANTY, Censoring.INTERVAL))
    view = monitor(forecast_returns(fit, history, AHEAD), _with_bad_lot(full, FIT_MONTHS))
    flagged = view[view["flag"]]
    svg = vlc.vegalite_to_svg(forecast_view(view, "forecast").to_dict())
    symbols = _marks(svg, "symbol")
    # left: the expected line's points and the observed points, one per period; right: flags
    assert len(symbols) == 3
    expected_points, observed_points, flags = symbols
    assert len(expected_points) == AHEAD
    assert len(observed_points) == AHEAD
    assert sorted(map(_cell, flags)) == sorted(zip(flagged["lot"], flagged["period"], strict=True))
    print(f"flagged lot-months: {len(flags)} of {len(view)}")
    assert (flagged["lot"] == full.ship_period[BAD_LOT]).sum() == AHEAD  # all its months
    (tiles,) = _marks(svg, "rect")
    assert len(tiles) == len(view)
    assert (view.groupby("period")["expected"].sum() > 0).all()
