"""Lever widgets: one control per field of :class:`Levers`, read and written as a whole.

Every lever carries its unit in its label and a one-line help as its tooltip (:data:`HELP`);
a value out of range is refused with a message beside the lever (:meth:`LeverControls.problems`)
and changes nothing, rather than being clamped silently.
"""

from __future__ import annotations

import html
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
    "chargeback_shares": "Share of a supplier-fault claim's cost charged back to the supplier",
    "age_writedown_months": "Spares older than this are written down (off = never)",
    "cap_absolute_yuan": "Year-end book value of spares above this is written down "
    "(万元; 0 = no cap)",
    "stocking_multiplier": "Scales every part's stocking level (1 = as planned)",
    "reliability_multiplier": "Scales every part's Weibull life scale (1.2 = lives 20 % longer)",
    "screening_coverage": "Share of early defects found by screening before shipment (0-1)",
    "late_penalty_per_day": "Penalty per day a repair takes beyond the target days (元/day)",
    "technicians": "Technicians at the repair centre (0 = no repair centre: unlimited capacity)",
}
LABELS = {
    "spares_treatment": "Spares cost",
    "pricing_policy": "Pricing",
    "markup": "Markup (share)",
    "include_warranty_cost": "Warranty cost in price",
    "chargeback_shares": "Chargeback (share)",
    "age_writedown_months": "Age write-down",
    "cap_absolute_yuan": "Cap (万元, 0 = none)",
    "stocking_multiplier": "Stocking (×)",
    "reliability_multiplier": "Reliability (×)",
    "screening_coverage": "Screening (share)",
    "late_penalty_per_day": "Late penalty (元/day)",
    "technicians": "Technicians (0 = none)",
}
_CHECKED = ("cap_absolute_yuan", "late_penalty_per_day", "technicians")
MAX_TECHNICIANS = 10_000
MAX_AMOUNT_YUAN = 1e9
"""The schema's plausible bound on an amount (a price at most 1e9 CNY)."""


def tip(lever: str) -> dict[str, str]:
    """Keyword arguments giving a lever its label and its help as tooltip."""
    return {"description": LABELS[lever], "tooltip": HELP[lever]}


VALID: dict[str, tuple[float, float]] = {
    "markup": (0.0, 10.0),
    "chargeback_shares": (0.0, 1.0),
    "stocking_multiplier": (0.05, 10.0),
    "reliability_multiplier": (0.05, 10.0),
    "screening_coverage": (0.0, 1.0),
}
"""The values a slider lever accepts when typed (its slider may show a narrower range)."""


class TypedSlider:
    """A slider with a box for a typed value beside it. The slider's own readout would clamp a
    typed 3.0 to its end (2.0) without a word; the box refuses a value the lever does not
    accept (:data:`VALID`) with a message beside it and changes nothing, and widens the
    slider to a valid value beyond its end."""

    def __init__(self, lever: str, low: float, high: float, step: float) -> None:
        self.lever = lever
        self.valid = VALID[lever]
        self.slider = w.FloatSlider(
            min=low,
            max=high,
            step=step,
            continuous_update=False,
            readout=False,
            style=_STYLE,
            layout=w.Layout(width="19em"),
            **tip(lever),
        )
        self.text = w.FloatText(step=step, tooltip=f"Type a value: {self.valid[0]:g} to "
                                f"{self.valid[1]:g}", layout=w.Layout(width="6em"))  # fmt: skip
        self.message = w.HTML()
        self.box = w.HBox([self.slider, self.text, self.message])
        self.box.add_class("ws-lever")
        self.slider.observe(lambda change: self._show(change["new"]), names="value")
        self.text.observe(lambda change: self._typed(change["new"]), names="value")
        self._show(self.slider.value)

    @property
    def value(self) -> float:
        return float(self.slider.value)

    @value.setter
    def value(self, value: float) -> None:
        _fit(self.slider, value)
        self.slider.value = value

    def _show(self, value: float) -> None:
        self.text.value = round(value, 4)
        self.message.value = ""

    def _typed(self, value: float) -> None:
        if round(value, 4) == round(self.slider.value, 4):
            return  # the box showing the slider's value
        low, high = self.valid
        if not low <= value <= high:  # NaN fails too
            self.message.value = (
                f"<span class='ws-problem'>⚠ {value:g} refused: {low:g} to {high:g}; still "
                f"{self.slider.value:g}</span>"
            )
            return
        self.value = value


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, SparesTreatment):
        return TREATMENT_LABELS[value]
    if isinstance(value, PricingPolicy):
        return value.value.replace("_", " ")
    return f"{value:g}" if isinstance(value, float) else str(value)


def _fit(slider: w.FloatSlider, value: float) -> None:
    """Widen a slider to a value it cannot show (a file's markup of 1.5 on a 0-1 slider):
    clamped, the next change of any lever would simulate the clamped value."""
    if value > slider.max:
        slider.max = value
    if value < slider.min:
        slider.min = value


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
        self.markup = TypedSlider("markup", 0.0, 1.0, 0.01)
        self.include_warranty = w.Checkbox(
            indent=True,
            style=_STYLE,
            layout=w.Layout(width="30em"),
            **tip("include_warranty_cost"),
        )
        self.chargebacks: dict[str, TypedSlider] = {}
        self.chargeback_box = w.VBox()
        self.age_writedown = w.Dropdown(
            options=WRITEDOWN_CHOICES, **tip("age_writedown_months"), **kw
        )
        # A plain FloatText: a bounded one would clamp -500 to 0 ("no cap") without a word.
        self.cap_wan = w.FloatText(step=100.0, **tip("cap_absolute_yuan"), **kw)
        self.stocking = TypedSlider("stocking_multiplier", 0.25, 2.0, 0.05)
        self.reliability = TypedSlider("reliability_multiplier", 0.5, 2.0, 0.05)
        self.screening = TypedSlider("screening_coverage", 0.0, 1.0, 0.05)
        self.late_penalty = w.FloatText(step=5.0, **tip("late_penalty_per_day"), **kw)
        self.technicians = w.IntText(**tip("technicians"), **kw)
        self.messages = {lever: w.HTML() for lever in _CHECKED}
        """Beside each lever whose value may be refused: why."""
        self._silent = False
        self._callbacks: list[Callable[[], None]] = []
        for widget in self.widgets:
            target = widget.slider if isinstance(widget, TypedSlider) else widget
            target.observe(self._changed, names="value")

    @property
    def widgets(self) -> list[w.ValueWidget | TypedSlider]:
        return [
            self.treatment,
            self.pricing,
            self.markup,
            self.include_warranty,
            self.age_writedown,
            self.cap_wan,
            self.stocking,
            self.reliability,
            self.screening,
            self.late_penalty,
            self.technicians,
        ]

    @property
    def rows(self) -> list[w.Widget]:
        """The widgets as laid out: the chargeback per supplier after the pricing levers, and
        each checked lever with its message beside it."""
        checked = {id(self._checked_widget(k)): k for k in _CHECKED}
        out: list[w.Widget] = []
        for x in self.widgets:
            key = checked.get(id(x))
            if isinstance(x, TypedSlider):
                out.append(x.box)
            else:
                out.append(w.HBox([x, self.messages[key]]) if key else x)
            if x is self.include_warranty:
                out.append(self.chargeback_box)
        return out

    @property
    def cap_problem(self) -> w.HTML:
        return self.messages["cap_absolute_yuan"]

    def _checked_widget(self, lever: str) -> w.ValueWidget:
        return {
            "cap_absolute_yuan": self.cap_wan,
            "late_penalty_per_day": self.late_penalty,
            "technicians": self.technicians,
        }[lever]

    def label(self, lever: str) -> str:
        return LABELS.get(lever, lever)

    def describe(self, lever: str, before: object, now: object) -> list[tuple[str, str, str]]:
        """(label, before, now) as the page shows a changed lever: a line per supplier whose
        chargeback moved, the cap in 万元, "none" for no value, options by their labels."""
        if lever == "chargeback_shares":
            old, new = dict(before), dict(now)  # type: ignore[call-overload]
            return [
                (f"{LABELS[lever]}, {n}", _shown(old.get(n)), _shown(v))
                for n, v in new.items()
                if old.get(n) != v
            ]
        if lever == "cap_absolute_yuan":
            wan = [None if v is None else float(v) / WAN_YUAN for v in (before, now)]  # type: ignore[arg-type]
            return [(self.label(lever), _shown(wan[0]), _shown(wan[1]))]
        return [(self.label(lever), _shown(before), _shown(now))]

    def problems(self) -> dict[str, str]:
        """Lever → why its value is refused; shown beside the lever (empty: all valid)."""
        cap, penalty, techs = self.cap_wan.value, self.late_penalty.value, self.technicians.value
        out = {}
        if not 0.0 <= cap * WAN_YUAN <= MAX_AMOUNT_YUAN:  # NaN fails too
            out["cap_absolute_yuan"] = f"⚠ {cap:g} refused: a cap is ≥ 0 万元 (0 = no cap)"
        if not 0.0 <= penalty <= MAX_AMOUNT_YUAN:
            out["late_penalty_per_day"] = f"⚠ {penalty:g} refused: a penalty is ≥ 0 元/day"
        if not 0 <= techs <= MAX_TECHNICIANS:
            out["technicians"] = f"⚠ {techs} refused: 0 to {MAX_TECHNICIANS:,} technicians"
        for lever, message in self.messages.items():
            message.value = f"<span class='ws-problem'>{html.escape(out.get(lever, ''))}</span>"
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
            chargeback_shares=tuple((n, round(x.value, 4)) for n, x in self.chargebacks.items()),
            age_writedown_months=self.age_writedown.value or None,
            cap_absolute_yuan=cap if cap > 0 else None,
            screening_coverage=round(self.screening.value, 4),
            stocking_multiplier=round(self.stocking.value, 4),
            reliability_multiplier=round(self.reliability.value, 4),
            late_penalty_per_day=float(self.late_penalty.value),
            technicians=int(self.technicians.value),
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
        self.markup.value = levers.markup  # a TypedSlider widens to a value beyond its end
        self.include_warranty.value = levers.include_warranty_cost
        self._show_chargebacks(levers.chargeback_shares)
        months = levers.age_writedown_months or 0
        self._ensure_writedown_choice(months)
        self.age_writedown.value = months
        self.cap_wan.value = (levers.cap_absolute_yuan or 0.0) / WAN_YUAN
        self.stocking.value = levers.stocking_multiplier
        self.reliability.value = levers.reliability_multiplier
        self.screening.value = levers.screening_coverage
        self.late_penalty.value = levers.late_penalty_per_day
        self.technicians.value = levers.technicians
        self.problems()

    def _show_chargebacks(self, shares: tuple[tuple[str, float], ...]) -> None:
        """A slider per supplier (rebuilt when the edited policy has other suppliers)."""
        if [n for n, _ in shares] != list(self.chargebacks):
            self.chargebacks = {}
            for name, _ in shares:
                typed = TypedSlider("chargeback_shares", 0.0, 1.0, 0.05)
                typed.slider.description = f"· {name}"
                typed.slider.tooltip = f"{HELP['chargeback_shares']}: {name}"
                typed.slider.observe(self._changed, names="value")
                self.chargebacks[name] = typed
            heading = w.HTML(f"{LABELS['chargeback_shares']}, per supplier", tooltip="")
            self.chargeback_box.children = [heading, *(c.box for c in self.chargebacks.values())]
        for name, share in shares:
            self.chargebacks[name].value = share

    def _ensure_writedown_choice(self, months: int) -> None:
        values = [v for _, v in self.age_writedown.options]
        if months not in values:
            self.age_writedown.options = [*self.age_writedown.options, (f"{months} months", months)]
