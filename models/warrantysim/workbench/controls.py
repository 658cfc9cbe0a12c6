"""Lever widgets: one control per field of :class:`Levers`, read and written as a whole.

Every lever carries its unit in its label and a one-line help as its tooltip (:data:`HELP`);
a value out of range is refused with a message beside the lever (:meth:`LeverControls.problems`)
and changes nothing, rather than being clamped silently.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from warrantysim.scenario import PricingPolicy, SparesTreatment
from warrantysim.workbench.levers import Levers

WAN_YUAN = 1e4
_STYLE = {"description_width": "11em"}
_LAYOUT = w.Layout(width="24em")
TREATMENT_LABELS = {
    SparesTreatment.CAPITALISE: "capitalise (inventory)",
    SparesTreatment.EXPENSE_ON_PURCHASE: "expense on purchase",
    SparesTreatment.ACCRUE_PER_UNIT: "accrue per unit sold",
}
# ipywidgets shows a Dropdown whose value is None as an empty box, so "off" is 0 here.
WRITEDOWN_CHOICES: list[tuple[str, int]] = [
    ("off", 0),
    ("24 months", 24),
    ("36 months", 36),
    ("48 months", 48),
]


HELP = {
    "spares_treatment": "How spare parts are booked: as inventory, as expense when bought, "
    "or by an accrual per unit sold",
    "pricing_policy": "How the unit price is set (fixed, or cost plus a markup)",
    "markup": "Cost-plus markup, share of unit cost (0.33 = 33 %)",
    "include_warranty_cost": "Cost-plus pricing counts the expected warranty cost per unit",
    "chargeback_share": "Share of a supplier-fault claim's cost charged back to the supplier "
    "(one share for every supplier)",
    "age_writedown_months": "Spares older than this are written down (off = never)",
    "cap_absolute_yuan": "Year-end book value of spares above this is written down "
    "(万元; 0 = no cap)",
    "stocking_multiplier": "Scales every part's stocking level (1 = as planned)",
    "reliability_multiplier": "Scales every part's Weibull life scale (1.2 = lives 20 % longer)",
    "screening_coverage": "Share of early defects found by screening before shipment (0-1)",
}
LABELS = {
    "spares_treatment": "Spares cost",
    "pricing_policy": "Pricing",
    "markup": "Markup (share)",
    "include_warranty_cost": "Warranty cost in price",
    "chargeback_share": "Chargeback (share)",
    "age_writedown_months": "Age write-down",
    "cap_absolute_yuan": "Cap (万元, 0 = none)",
    "stocking_multiplier": "Stocking (×)",
    "reliability_multiplier": "Reliability (×)",
    "screening_coverage": "Screening (share)",
}


def tip(lever: str) -> dict[str, str]:
    """Keyword arguments giving a lever its label and its help as tooltip."""
    return {"description": LABELS[lever], "tooltip": HELP[lever]}


def _slider(lever: str, low: float, high: float, step: float) -> w.FloatSlider:
    return w.FloatSlider(
        min=low,
        max=high,
        step=step,
        continuous_update=False,
        style=_STYLE,
        layout=_LAYOUT,
        **tip(lever),
    )


class LeverControls:
    """The lever widgets of one policy; ``on_change`` fires once per user change."""

    def __init__(self) -> None:
        kw = {"style": _STYLE, "layout": _LAYOUT}
        self.treatment = w.Dropdown(
            options=[(v, k) for k, v in TREATMENT_LABELS.items()], **tip("spares_treatment"), **kw
        )
        self.pricing = w.Dropdown(
            options=[(p.value.replace("_", " "), p) for p in PricingPolicy],
            **tip("pricing_policy"),
            **kw,
        )
        self.markup = _slider("markup", 0.0, 1.0, 0.01)
        self.include_warranty = w.Checkbox(
            indent=True,
            style=_STYLE,
            layout=w.Layout(width="30em"),
            **tip("include_warranty_cost"),
        )
        self.chargeback = _slider("chargeback_share", 0.0, 1.0, 0.05)
        self.age_writedown = w.Dropdown(
            options=WRITEDOWN_CHOICES, **tip("age_writedown_months"), **kw
        )
        # A plain FloatText: a bounded one would clamp -500 to 0 ("no cap") without a word.
        self.cap_wan = w.FloatText(step=100.0, **tip("cap_absolute_yuan"), **kw)
        self.cap_problem = w.HTML()
        self.stocking = _slider("stocking_multiplier", 0.25, 2.0, 0.05)
        self.reliability = _slider("reliability_multiplier", 0.5, 2.0, 0.05)
        self.screening = _slider("screening_coverage", 0.0, 1.0, 0.05)
        self._silent = False
        self._callbacks: list[Callable[[], None]] = []
        for widget in self.widgets:
            widget.observe(self._changed, names="value")

    @property
    def widgets(self) -> list[w.ValueWidget]:
        return [
            self.treatment,
            self.pricing,
            self.markup,
            self.include_warranty,
            self.chargeback,
            self.age_writedown,
            self.cap_wan,
            self.stocking,
            self.reliability,
            self.screening,
        ]

    @property
    def rows(self) -> list[w.Widget]:
        """The widgets as laid out: the cap with its message beside it."""
        return [w.HBox([x, self.cap_problem]) if x is self.cap_wan else x for x in self.widgets]

    def label(self, lever: str) -> str:
        return LABELS.get(lever, lever)

    def problems(self) -> dict[str, str]:
        """Lever → why its value is refused; shown beside the lever (empty: all valid)."""
        cap = self.cap_wan.value
        out = {}
        if not (cap >= 0.0 and cap < 1e9):  # NaN fails too
            out["cap_absolute_yuan"] = f"⚠ {cap:g} refused: a cap is ≥ 0 万元 (0 = no cap)"
        self.cap_problem.value = (
            f"<span class='ws-problem'>{out.get('cap_absolute_yuan', '')}</span>"
        )
        return out

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self, _change: object) -> None:
        if not self._silent:
            for callback in self._callbacks:
                callback()

    def get(self) -> Levers:
        cap = self.cap_wan.value * WAN_YUAN
        return Levers(
            spares_treatment=self.treatment.value,
            pricing_policy=PricingPolicy(self.pricing.value),
            markup=round(self.markup.value, 4),
            include_warranty_cost=bool(self.include_warranty.value),
            chargeback_share=round(self.chargeback.value, 4),
            age_writedown_months=self.age_writedown.value or None,
            cap_absolute_yuan=cap if cap > 0 else None,
            screening_coverage=round(self.screening.value, 4),
            stocking_multiplier=round(self.stocking.value, 4),
            reliability_multiplier=round(self.reliability.value, 4),
        )

    def set(self, levers: Levers) -> None:
        """Show ``levers`` without firing ``on_change`` (switching the policy being edited)."""
        self._silent = True
        try:
            self._show(levers)
        finally:
            self._silent = False

    def _show(self, levers: Levers) -> None:
        self.treatment.value = levers.spares_treatment
        self.pricing.value = levers.pricing_policy
        self.markup.value = levers.markup
        self.include_warranty.value = levers.include_warranty_cost
        self.chargeback.value = levers.chargeback_share
        months = levers.age_writedown_months or 0
        self._ensure_writedown_choice(months)
        self.age_writedown.value = months
        self.cap_wan.value = (levers.cap_absolute_yuan or 0.0) / WAN_YUAN
        self.stocking.value = levers.stocking_multiplier
        self.reliability.value = levers.reliability_multiplier
        self.screening.value = levers.screening_coverage

    def _ensure_writedown_choice(self, months: int) -> None:
        values = [v for _, v in self.age_writedown.options]
        if months not in values:
            self.age_writedown.options = [*self.age_writedown.options, (f"{months} months", months)]
