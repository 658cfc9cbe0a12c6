"""The strategist's dashboard: pick policies, move levers, read profit, book value and service.

Layout: policies and levers on the left, status and KPI tables on top, charts below. A lever change
is applied to the policy chosen under "Edit policy" and recomputed on a worker thread
(:class:`~warrantysim.workbench.engine.Background`); meanwhile the status line says so. Exceptions
inside widget callbacks are swallowed by ipywidgets, so the callbacks are thin and the work is
in :meth:`Dashboard.compute` and :meth:`Dashboard.update`, which tests call directly.
"""

from __future__ import annotations

import html
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import ipywidgets as w

from warrantysim import workload
from warrantysim.report.figures import PolicyResults, figures
from warrantysim.report.i18n import Labels, MoneyUnit
from warrantysim.scenario import Scenario, load_scenario
from warrantysim.workbench import export
from warrantysim.workbench.cards import cards_html, difference_chart
from warrantysim.workbench.editing import (
    MODIFIED_MARK,
    changed_fields,
    changed_levers,
    save_as_scenario,
    set_line,
    shown_name,
)
from warrantysim.workbench.engine import (
    Background,
    Job,
    Outcome,
    Policy,
    ResultsCache,
    compare_streamed,
)
from warrantysim.workbench.files import checked_path, readable_folders
from warrantysim.workbench.layout import (
    BUSY_HTML,
    MAX_REPLICATIONS,
    MIN_REPLICATIONS,
    STALE_CLASS,
    DashboardWidgets,
    resend_state,
)
from warrantysim.workbench.pool import WarmPool
from warrantysim.workbench.urlstate import (
    PageState,
    apply_changes,
    decode,
    encode,
    lever_changes,
)
from warrantysim.workbench.views import differences_html, kpi_html

MAX_POLICIES = 4
WORKBENCH_LABELS = Labels(money_unit=MoneyUnit.WAN)


class Dashboard(DashboardWidgets):
    """Widgets bound to a set of scenarios; ``widget`` is what the notebook displays."""

    def __init__(
        self,
        scenarios: Mapping[str, Scenario],
        selected: Sequence[str],
        *,
        replications: int = 5,
        seed: int = 2026,
        labels: Labels = WORKBENCH_LABELS,
        sources: Mapping[str, Path] | None = None,
        folders: Sequence[Path] | None = None,
        pool: WarmPool | None = None,
    ) -> None:
        self.labels = labels
        self.folders = list(folders) if folders is not None else readable_folders()
        """Where "Scenario file" may read (``scenarios/`` and the working folder)."""
        self.policies = {name: Policy.of(s) for name, s in scenarios.items()}
        self.sources = dict(sources or {})
        """Each policy's scenario file (what "save as scenario" extends)."""
        self.added: dict[str, str] = {}
        """Policies added from a file on the page → the path as typed (the URL carries it)."""
        self.cache = ResultsCache(pool=pool)
        """Booked replications; with ``pool``, computed in its warm worker processes."""
        self.comparison: PolicyResults | None = None
        self.final_shown = False
        """Whether :attr:`comparison` is a full answer (exports need one)."""
        self.busy = False
        self.preparing: threading.Thread | None = None
        """The thread building the next lever change's chart specs (tests join it)."""
        self.replications_used = replications
        self.seed_used = seed
        """The seed computed with (a refused one is shown, not used)."""
        self._build_widgets(list(scenarios), list(selected), replications, seed)
        self.background: Background[PolicyResults] = Background(
            self._done,
            self._failed,
            self._set_busy,
            self._progress,
            pool.supersede if pool is not None else lambda generation: None,
        )

    # -- widgets -------------------------------------------------------------------------------
    def _wire(self) -> None:
        self.select.observe(lambda _: self._selection_changed(), names="value")
        self.edit.observe(lambda _: self._show_levers(), names="value")
        self.base.observe(lambda _: self._base_changed(), names="value")
        self.levers.on_change(self._lever_changed)
        self.add_file.on_click(lambda _: self._add_clicked())
        self.reset.on_click(lambda _: self.reset_policy(self.edit.value))
        self.save.on_click(lambda _: self._save_clicked())
        self.stop.on_click(lambda _: self.background.cancel())
        self.export_button.on_click(lambda _: self._export_clicked(self.export_charts))
        self.report_button.on_click(lambda _: self._export_clicked(lambda: [self.make_report()]))
        self.replications.observe(lambda _: self._replications_changed(), names="value")
        self.seed.observe(lambda _: self._seed_changed(), names="value")
        self.url.observe(lambda change: self._page_reported(change["new"]), names="query")

    # -- callbacks (thin) ----------------------------------------------------------------------
    def _selection_changed(self) -> None:
        chosen = list(self.select.value)[:MAX_POLICIES]
        if len(chosen) < 1:
            return
        base = self.base.value if self.base.value in chosen else chosen[0]
        self.edit.options = chosen
        self.base.options = chosen
        self.base.value = base
        self.refresh()

    def _add_clicked(self) -> None:
        try:
            self.add_scenario_file(self.file.value.strip())
        except Exception as exc:  # shown, not raised: ipywidgets swallows click errors
            self._failed(exc)

    def _save_clicked(self) -> None:
        try:
            self.save_policy(self.edit.value, self.save_name.value.strip())
        except Exception as exc:  # shown, not raised: ipywidgets swallows click errors
            self.saved.value = f"<span class='ws-problem'>⚠ {_escape(exc)}</span>"

    def _export_clicked(self, files: Callable[[], list[Path]]) -> None:
        try:
            self.exported.value = export.links_html(files(), self.export_root)
        except Exception as exc:  # shown, not raised: ipywidgets swallows click errors
            self.exported.value = f"<span class='ws-problem'>⚠ {_escape(exc)}</span>"

    def _show_levers(self) -> None:
        if self.edit.value in self.policies:
            self.levers.set(self.policies[self.edit.value].levers)
            self._show_modified()

    def _lever_changed(self) -> None:
        if self.levers.problems():
            return  # refused: the message is beside the lever, the policy keeps its levers
        self.set_levers(self.edit.value, self.levers.get())

    def _base_changed(self) -> None:
        self._redraw()
        self.url.state = encode(self.page_state()).lstrip("?")  # a link keeps the base

    def _seed_changed(self) -> None:
        seed = self.seed.value
        valid = 0 <= seed < 2**63
        if self._accepted(seed, valid, self.seed_problem, "a seed is ≥ 0", self.seed_used):
            self.seed_used = seed
            self.refresh()

    def _replications_changed(self) -> None:
        n = self.replications.value
        valid = MIN_REPLICATIONS <= n <= MAX_REPLICATIONS
        rule = f"between {MIN_REPLICATIONS} and {MAX_REPLICATIONS}"
        if self._accepted(n, valid, self.replications_problem, rule, self.replications_used):
            self.replications_used = n
            self.refresh()

    @staticmethod
    def _accepted(value: int, valid: bool, problem: w.HTML, rule: str, used: int) -> bool:
        """Whether a typed setting is taken; if not, why, beside it (the one in use stays)."""
        problem.value = (
            ""
            if valid
            else f"<span class='ws-problem'>⚠ {value} refused: {rule}; still {used}</span>"
        )
        return valid

    # -- what the callbacks do (testable) ------------------------------------------------------
    def set_levers(self, policy: str, levers: object) -> None:
        """Give ``policy`` new levers and recompute in the background."""
        current = self.policies[policy]
        self.policies[policy] = Policy(current.scenario, levers)  # type: ignore[arg-type]
        self._show_modified()
        self.refresh()

    def reset_policy(self, policy: str) -> None:
        """Back to the levers of the policy's file."""
        self.set_levers(policy, Policy.of(self.policies[policy].scenario).levers)
        self._show_levers()

    def save_policy(self, policy: str, name: str) -> Path:
        """Write the edited ``policy`` as ``<folder>/<name>.yaml`` extending its file."""
        if policy not in self.sources:
            raise ValueError(f"{policy} has no scenario file to extend")
        if not name or "/" in name or name.startswith("."):
            raise ValueError(f"expected a file name such as my-policy, got {name!r}")
        target = self.folder / f"{name.removesuffix('.yaml')}.yaml"
        save_as_scenario(self.policies[policy], self.sources[policy], target)
        runs = f"--replications {self.replications_used} --seed {self.seed_used}"
        line = set_line(changed_fields(self.policies[policy]))
        self.saved.value = (
            f"Saved <code>{_escape(target)}</code>: <code>warrantysim run {_escape(target)} "
            f"{runs}</code> gives the numbers shown; without the file: <code>warrantysim run "
            f"{_escape(self.sources[policy])} {_escape(line)} {runs}</code>"
        )
        return target

    def export_charts(self) -> list[Path]:
        """Every chart of the answer shown, as PNG and SVG, in a new export folder."""
        comparison = self._shown_comparison()
        specs = export.view_specs(comparison, self._base_in(comparison), self.labels)
        return export.export_charts(specs, export.export_folder(self.export_root), self.labels)

    def make_report(self) -> Path:
        """The policy report of the answer shown, in a new export folder."""
        comparison = self._shown_comparison()
        folder = export.export_folder(self.export_root)
        return export.make_report(comparison, self._base_in(comparison), folder, self.labels)

    def _shown_comparison(self) -> PolicyResults:
        if self.comparison is None or not self.final_shown:
            raise ValueError("no full answer yet: wait for “Up to date”, then export")
        return self.comparison

    def _base_in(self, comparison: PolicyResults) -> str:
        return self.shown_base if self.shown_base in comparison.policies else comparison.base

    def _show_modified(self) -> None:
        policy = self.policies.get(self.edit.value)
        changes = changed_levers(policy) if policy else {}
        if policy is None or not changes:
            self.modified.value = "<i>As in its file.</i>"
            return
        items = "".join(
            f"<li>{_escape(label)}: {_escape(a)} → {_escape(b)}</li>"
            for k, (before, now) in changes.items()
            for label, a, b in self.levers.describe(k, before, now)
        )
        self.modified.value = (
            f"<b>{_escape(shown_name(self.edit.value, policy))}</b> modified:<ul>{items}</ul>"
        )

    def add_scenario_file(self, path: str) -> str:
        """Load a scenario file as one more policy, select it and recompute. Only files in
        :attr:`folders` are read (:class:`~warrantysim.workbench.files.FileRefused`)."""
        source = checked_path(path, self.folders)
        scenario = load_scenario(source)
        workload.check([scenario], self.replications_used, workload.Limits())
        name = scenario.name
        while name in self.policies:
            name += "+"  # a second file of the same name stays a separate policy
        self.policies[name] = Policy.of(scenario)
        self.sources[name] = Path(source)
        self.added[name] = path
        chosen = [*self.selected, name][-MAX_POLICIES:]
        self.select.options = [*self.select.options, name]  # clears the selection
        self.select.value = chosen
        return name

    @property
    def selected(self) -> list[str]:
        return list(self.select.value)[:MAX_POLICIES]

    @property
    def shown_base(self) -> str:
        """The base policy's name as the comparison shows it (marked if modified)."""
        base = self.base.value if self.base.value in self.selected else self.selected[0]
        return shown_name(base, self.policies[base])

    def _chosen(self) -> dict[str, Policy]:
        return {shown_name(n, self.policies[n]): self.policies[n] for n in self.selected}

    def compute(self, job: Job[PolicyResults] | None = None) -> PolicyResults:
        """Simulate the selected policies with the current levers (blocking); modified policies
        carry :data:`~warrantysim.workbench.editing.MODIFIED_MARK` in their names."""
        job = job or Job(self.background, self.background.generation)
        charts_first = self.comparison is None  # nothing drawn yet: charts from the first round
        return compare_streamed(
            self._chosen(),
            self.replications_used,
            self.seed_used,
            self.cache,
            job,
            charts_first,
        )

    def update(
        self, comparison: PolicyResults, seconds: float | None = None, final: bool = True
    ) -> None:
        """Show ``comparison``: the cards, the spread of differences, KPI tables, charts.

        A partial answer (``final=False``) refreshes the cards only: the KPI table and the
        charts cost about as much as a replication to draw, and the final answer redraws them.
        The page's very first partial answer carries every table and draws the charts too."""
        self.comparison, self.final_shown = comparison, final
        self._redraw(charts=final or not comparison.monthly.empty)
        took = f" in {seconds:.1f} s" if seconds is not None else ""
        if final:
            self.status.value = f"<span class='ws-status ws-ready'>✓ Up to date{took}</span>"
            self._prepare_next_shape()

    def _prepare_next_shape(self) -> None:
        """Build now, while the page is read, the chart specs the next lever change needs.

        The first change of a policy marks its name modified, which changes the shape of
        every chart (legends, colours, titles): building those specs then would cost the
        answer most of a second. The charts are cached by shape only, so this draws nothing.
        """
        c, edited = self.comparison, self.edit.value
        if c is None or c.monthly.empty or edited not in c.policies:
            return  # a partial answer, or the edited policy is already marked
        marked = c.renamed({edited: edited + MODIFIED_MARK})
        base = self._base_in(c)
        base = base + MODIFIED_MARK if base == edited else base
        self.preparing = threading.Thread(
            target=prepare_shapes, args=(marked, base, self.labels), daemon=True
        )
        self.preparing.start()

    def _redraw(self, charts: bool = True) -> None:
        c = self.comparison
        if c is None:
            return
        base = self._base_in(c)
        self.cards.value = cards_html(c, base, self.labels)
        if charts:
            self.kpis.value = kpi_html(c, self.labels)
            self.distribution.show(c, base, self.labels)
            self.differences.value = differences_html(c, self.labels, base)
            self.charts.show(c, base, self.labels)

    def refresh(self) -> None:
        """Recompute on the worker thread; the newest request wins and ends older ones.

        Every change of what is shown passes here, so the address bar follows it too."""
        self.url.state = encode(self.page_state()).lstrip("?")
        self.background.submit(self.compute)

    def page_state(self) -> PageState:
        """What the URL carries: the view, never the token."""
        levers = {
            n: lever_changes(p.levers, Policy.of(p.scenario).levers)
            for n, p in self.policies.items()
            if n in self.selected
        }
        return PageState(
            policies=tuple(self.selected),
            base=self.base.value,
            replications=self.replications_used,
            seed=self.seed_used,
            levers={n: c for n, c in levers.items() if c},
            files=tuple(self.added.values()),
        )

    def _page_reported(self, query: str) -> None:
        """The page is drawn (its JavaScript reports its URL): show the view it asks for, else
        send the shown one again. A kernel that changed its widgets while the page was still
        making them (a preheated kernel computing the page's view as the page loads) may have
        had those updates dropped: ipywidgets drops messages for models a page has not made."""
        state = decode(query)
        if state in (PageState(), self.page_state()):
            resend_state(self.widget)
        else:
            self.restore(state)

    def restore(self, state: PageState) -> None:
        """Show the view a URL describes; names or values it cannot use are left out (a URL
        with no state of its own changes nothing, nor does the view already shown: the page
        reports its URL after the kernel was handed it, and that must not compute it twice)."""
        if state in (PageState(), self.page_state()):
            return
        for path in state.files:
            if path not in self.added.values():
                try:
                    self.add_scenario_file(path)
                except (OSError, ValueError):
                    continue  # gone, or not in a folder the page may read: left out
        for name, changes in state.levers.items():
            if name in self.policies:
                start = Policy.of(self.policies[name].scenario)
                try:
                    self.policies[name] = Policy(
                        start.scenario, apply_changes(start.levers, changes)
                    )
                except (TypeError, ValueError):
                    continue  # a hand-edited link: keep the file's levers
        known = [p for p in state.policies if p in self.policies][:MAX_POLICIES]
        if known:
            self.select.value = known
        if state.base in self.selected:
            self.base.value = state.base
        if state.seed is not None:
            self.seed.value = state.seed
        if state.replications is not None:
            self.replications.value = state.replications
        self._show_levers()
        self.refresh()

    def wait(self, timeout_s: float | None = None) -> None:
        self.background.wait(timeout_s)

    def _done(self, outcome: Outcome[PolicyResults]) -> None:
        self.update(outcome.value, outcome.seconds, outcome.final)

    def _progress(self, done: int, total: int, left_s: float) -> None:
        left = f", about {left_s:.0f} s left" if math.isfinite(left_s) and done < total else ""
        self.status.value = (
            f"<span class='ws-status ws-busy'>⏳ {done} of {total} replications{left}</span>"
        )

    def _failed(self, exc: BaseException) -> None:
        self.status.value = f"<span class='ws-status ws-error'>⚠ {_escape(exc)}</span>"

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if busy:
            self.status.value = BUSY_HTML
            self.results.add_class(STALE_CLASS)
        else:
            self.results.remove_class(STALE_CLASS)
            if not self.status.value.count("✓") and not self.status.value.count("⚠"):
                self.status.value = "<span class='ws-status ws-stopped'>■ Stopped</span>"


def prepare_shapes(comparison: PolicyResults, base: str, labels: Labels) -> None:
    """Every chart spec of ``comparison`` built into the shape cache (its rows thrown away)."""
    for figure in (
        *figures(comparison, labels).values(),
        difference_chart(comparison, base, labels),
    ):
        figure.template()


def _escape(value: object) -> str:
    text = f"{type(value).__name__}: {value}" if isinstance(value, BaseException) else str(value)
    return html.escape(text, quote=True)
