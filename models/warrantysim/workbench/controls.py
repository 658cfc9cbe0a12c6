"""Lever widgets: one control per field of :class:`Levers`, read and written as a whole."""

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


def _slider(description: str, low: float, high: float, step: float) -> w.FloatSlider:
    return w.FloatSlider(
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=False,
        style=_STYLE,
        layout=_LAYOUT,
    )


class LeverControls:
    """The lever widgets of one policy; ``on_change`` fires once per user change."""

    def __init__(self) -> None:
        kw = {"style": _STYLE, "layout": _LAYOUT}
        self.treatment = w.Dropdown(
            options=[(v, k) for k, v in TREATMENT_LABELS.items()], description="Spares cost", **kw
        )
        self.pricing = w.Dropdown(options=list(PricingPolicy), description="Pricing", **kw)
        self.markup = _slider("Markup", 0.0, 1.0, 0.01)
        self.include_warranty = w.Checkbox(
            description="Warranty cost in price",
            indent=True,
            style=_STYLE,
            layout=w.Layout(width="30em"),
        )
        self.chargeback = _slider("Chargeback share", 0.0, 1.0, 0.05)
        self.age_writedown = w.Dropdown(
            options=WRITEDOWN_CHOICES, description="Age write-down", **kw
        )
        self.cap_wan = w.BoundedFloatText(
            min=0.0, max=1e7, step=100.0, description="Cap (万元, 0 = none)", **kw
        )
        self.stocking = _slider("Stocking ×", 0.25, 2.0, 0.05)
        self.reliability = _slider("Reliability ×", 0.5, 2.0, 0.05)
        self.screening = _slider("Screening coverage", 0.0, 1.0, 0.05)
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
