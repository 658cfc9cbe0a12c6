"""The strategist's dashboard: pick policies, move levers, read profit, book value and service.

Layout: policies and levers on the left, status and KPI tables on top, charts below. A lever change
is applied to the policy chosen under "Edit policy" and recomputed on a worker thread
(:class:`~warrantysim.workbench.engine.Background`); meanwhile the status line says so. Exceptions
inside widget callbacks are swallowed by ipywidgets, so the callbacks are thin and the work is
in :meth:`Dashboard.compute` and :meth:`Dashboard.update`, which tests call directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as w

from warrantysim.report.figures import PolicyResults
from warrantysim.report.i18n import Labels, MoneyUnit
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.workbench.controls import LeverControls
from warrantysim.workbench.engine import Background, Outcome, Policy, ResultsCache, compare
from warrantysim.workbench.views import ChartsView, differences_html, kpi_html

MAX_POLICIES = 4
WORKBENCH_LABELS = Labels(money_unit=MoneyUnit.WAN)
BUSY_HTML = "<span class='ws-status ws-busy'>⏳ Computing…</span>"
STALE_CLASS = "ws-stale"
# Charts and tables fade while a newer answer is being computed (in JupyterLab and in Voila).
STYLE_HTML = f"<style>.{STALE_CLASS} {{ opacity: 0.45; transition: opacity 0.2s; }}</style>"


class Dashboard:
    """Widgets bound to a set of scenarios; ``widget`` is what the notebook displays."""

    def __init__(
        self,
        scenarios: Mapping[str, Scenario],
        selected: Sequence[str],
        *,
        replications: int = 5,
        seed: int = 2026,
        labels: Labels = WORKBENCH_LABELS,
    ) -> None:
        self.labels = labels
        self.policies = {name: Policy.of(s) for name, s in scenarios.items()}
        self.cache = ResultsCache()
        self.comparison: PolicyResults | None = None
        self.busy = False
        self._build_widgets(list(scenarios), list(selected), replications, seed)
        self.background: Background[PolicyResults] = Background(
            self._done, self._failed, self._set_busy
        )

    # -- widgets -------------------------------------------------------------------------------
    def _build_widgets(self, names: list[str], selected: list[str], reps: int, seed: int) -> None:
        style = {"description_width": "11em"}
        self.select = w.SelectMultiple(
            options=names, value=selected, rows=min(len(names), 9), description="Policies"
        )
        self.edit = w.Dropdown(options=selected, description="Edit policy", style=style)
        self.replications = w.IntSlider(
            value=reps,
            min=2,
            max=100,
            description="Replications",
            style=style,
            continuous_update=False,
        )
        self.seed = w.IntText(value=seed, description="Seed", style=style)
        self.file = w.Text(placeholder="path/to/scenario.yaml", description="Scenario file")
        self.add_file = w.Button(description="Add policy")
        self.levers = LeverControls()
        self.status = w.HTML()
        self.kpis = w.HTML()
        self.differences = w.HTML()
        self.charts = ChartsView()
        self._wire()
        self._show_levers()
        self.widget = self._layout()

    def _wire(self) -> None:
        self.select.observe(lambda _: self._selection_changed(), names="value")
        self.edit.observe(lambda _: self._show_levers(), names="value")
        self.levers.on_change(self._lever_changed)
        self.add_file.on_click(lambda _: self._add_clicked())
        for control in (self.replications, self.seed):
            control.observe(lambda _: self.refresh(), names="value")

    def _layout(self) -> w.Box:
        left = w.VBox(
            [
                self.select,
                w.HBox([self.file, self.add_file]),
                self.edit,
                w.HTML("<b>Levers</b>"),
                *self.levers.widgets,
                self.replications,
                self.seed,
            ],
            layout=w.Layout(min_width="26em"),
        )
        self.results = w.VBox([self.kpis, self.charts.widget, self.differences])
        right = w.VBox([w.HTML(STYLE_HTML), self.status, self.results])
        return w.HBox([left, right], layout=w.Layout(align_items="flex-start"))

    # -- callbacks (thin) ----------------------------------------------------------------------
    def _selection_changed(self) -> None:
        chosen = list(self.select.value)[:MAX_POLICIES]
        if len(chosen) < 1:
            return
        self.edit.options = chosen
        self.refresh()

    def _add_clicked(self) -> None:
        try:
            self.add_scenario_file(self.file.value.strip())
        except Exception as exc:  # shown, not raised: ipywidgets swallows click errors
            self._failed(exc)

    def _show_levers(self) -> None:
        if self.edit.value in self.policies:
            self.levers.set(self.policies[self.edit.value].levers)

    def _lever_changed(self) -> None:
        self.set_levers(self.edit.value, self.levers.get())

    # -- what the callbacks do (testable) ------------------------------------------------------
    def set_levers(self, policy: str, levers: object) -> None:
        """Give ``policy`` new levers and recompute in the background."""
        current = self.policies[policy]
        self.policies[policy] = Policy(current.scenario, levers)  # type: ignore[arg-type]
        self.refresh()

    def add_scenario_file(self, path: str) -> str:
        """Load a scenario file (any path) as one more policy, select it and recompute."""
        scenario = load_scenario(path)
        name = scenario.name
        while name in self.policies:
            name += "+"  # a second file of the same name stays a separate policy
        self.policies[name] = Policy.of(scenario)
        chosen = [*self.selected, name][-MAX_POLICIES:]
        self.select.options = [*self.select.options, name]  # clears the selection
        self.select.value = chosen
        return name

    @property
    def selected(self) -> list[str]:
        return list(self.select.value)[:MAX_POLICIES]

    def compute(self) -> PolicyResults:
        """Simulate the selected policies with the current levers (blocking)."""
        chosen = {name: self.policies[name] for name in self.selected}
        return compare(chosen, int(self.replications.value), int(self.seed.value), self.cache)

    def update(self, comparison: PolicyResults, seconds: float | None = None) -> None:
        """Show ``comparison``: KPI tables, charts, and the time it took."""
        self.comparison = comparison
        self.kpis.value = kpi_html(comparison, self.labels)
        self.differences.value = differences_html(comparison, self.labels)
        self.charts.show(comparison, self.labels)
        took = f" in {seconds:.1f} s" if seconds is not None else ""
        self.status.value = f"<span class='ws-status ws-ready'>✓ Up to date{took}</span>"

    def refresh(self) -> None:
        """Recompute on the worker thread; the newest request wins."""
        self.background.submit(self.compute)

    def wait(self, timeout_s: float | None = None) -> None:
        self.background.wait(timeout_s)

    def _done(self, outcome: Outcome[PolicyResults]) -> None:
        self.update(outcome.value, outcome.seconds)

    def _failed(self, exc: BaseException) -> None:
        message = f"{type(exc).__name__}: {exc}".replace("&", "&amp;").replace("<", "&lt;")
        self.status.value = f"<span class='ws-status ws-error'>⚠ {message}</span>"

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if busy:
            self.status.value = BUSY_HTML
            self.results.add_class(STALE_CLASS)
        else:
            self.results.remove_class(STALE_CLASS)
