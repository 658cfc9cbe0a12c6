"""The dashboard's widgets and their layout (the behaviour is in :mod:`.dashboard`).

Left: policies, base, the edited policy's levers, editing (reset, save) and replications. Right:
the status line with Stop, then the answer first (the policy cards and the spread of the
difference), the KPI table, the charts and the table of every headline difference.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionWidget

from warrantysim.workbench.cards import CARD_STYLE
from warrantysim.workbench.controls import LeverControls
from warrantysim.workbench.files import choices
from warrantysim.workbench.urlstate import UrlState
from warrantysim.workbench.views import ChartsView, DifferenceView

BUSY_HTML = "<span class='ws-status ws-busy'>⏳ Computing…</span>"
STALE_CLASS = "ws-stale"
# Charts and tables fade while a newer answer is being computed (in JupyterLab and in Voila).
STYLE_HTML = (
    f"<style>.{STALE_CLASS} {{ opacity: 0.45; transition: opacity 0.2s; }}"
    f".ws-problem {{ color: #c62828; }}{CARD_STYLE}</style>"
)
MIN_REPLICATIONS, MAX_REPLICATIONS = 2, 200
"""Two replications give the first interval; 200 bound a run to minutes."""


class DashboardWidgets:
    """Builds the widgets; :class:`~warrantysim.workbench.dashboard.Dashboard` wires them."""

    folders: list[Path]

    def _build_widgets(self, names: list[str], selected: list[str], reps: int, seed: int) -> None:
        style = {"description_width": "11em"}
        self.select = w.SelectMultiple(
            options=names,
            value=selected,
            rows=min(len(names), 9),
            description="Policies",
            tooltip="The policies to compare (two to four; Ctrl-click to add one)",
        )
        self.base = w.Dropdown(
            options=selected,
            description="Base",
            style=style,
            tooltip="Every card shows a policy against this one",
        )
        self.edit = w.Dropdown(
            options=selected,
            description="Edit policy",
            style=style,
            tooltip="The policy whose levers are shown below",
        )
        self.replications = w.IntText(
            value=reps,
            description="Replications",
            style=style,
            tooltip=f"Runs per policy with common random numbers ({MIN_REPLICATIONS}-"
            f"{MAX_REPLICATIONS}); more runs, tighter intervals",
        )
        self.replications_problem = w.HTML()
        self.seed = w.IntText(
            value=seed,
            description="Seed",
            style=style,
            tooltip="Random seed shared by every policy (≥ 0)",
        )
        self.seed_problem = w.HTML()
        self.file = w.Combobox(
            options=choices(self.folders),
            placeholder="a .yaml in scenarios/ or the working folder",
            description="Scenario file",
            ensure_option=False,
            tooltip="A scenario file to add as one more policy",
        )
        self.add_file = w.Button(description="Add policy", tooltip="Load the file as a policy")
        self.levers = LeverControls()
        self.modified = w.HTML()
        self.reset = w.Button(description="Reset", tooltip="Back to the levers of the file")
        self.save_name = w.Text(
            placeholder="my-policy",
            description="Save as",
            style=style,
            tooltip="File name (in the working folder) for the edited policy",
        )
        self.save = w.Button(
            description="Save as scenario",
            tooltip="Write a YAML file that extends the policy's file with the changed levers",
        )
        self.saved = w.HTML()
        self.status = w.HTML()
        self.stop = w.Button(description="Stop", tooltip="End the running computation")
        self.export_button = w.Button(
            description="Export charts", tooltip="Every chart shown, as PNG and as SVG files"
        )
        self.report_button = w.Button(
            description="Make report",
            tooltip="The policy report (HTML) of the policies shown, with their levers",
        )
        self.exported = w.HTML()
        """Links to the files the last export or report wrote."""
        self.export_root = Path.cwd()
        """Exports go into ``exports/`` here (the app serves that folder to the page)."""
        self.cards = w.HTML()
        self.distribution = DifferenceView()
        self.kpis = w.HTML()
        self.differences = w.HTML()
        self.charts = ChartsView()
        self.url = UrlState()
        self.folder = Path.cwd()
        """Where "save as scenario" writes."""
        self._wire()
        self._show_levers()
        self.widget = no_null_tooltips(self._layout())

    def _layout(self) -> w.Box:
        editing = [
            self.modified,
            w.HBox([self.reset]),
            w.HBox([self.save_name, self.save]),
            self.saved,
        ]
        left = w.VBox(
            [
                self.select,
                w.HBox([self.file, self.add_file]),
                self.base,
                self.edit,
                w.HTML("<b>Levers</b>"),
                *self.levers.rows,
                *editing,
                w.HBox([self.replications, self.replications_problem]),
                w.HBox([self.seed, self.seed_problem]),
            ],
            layout=w.Layout(min_width="30em"),
        )
        self.results = w.VBox(
            [self.cards, self.distribution.widget, self.kpis, self.charts.widget, self.differences]
        )
        top = w.HBox([self.status, self.stop, self.export_button, self.report_button])
        right = w.VBox([w.HTML(STYLE_HTML), self.url, top, self.exported, self.results])
        return w.HBox([left, right], layout=w.Layout(align_items="flex-start"))

    def _wire(self) -> None:
        raise NotImplementedError

    def _show_levers(self) -> None:
        raise NotImplementedError


def no_null_tooltips(widget: w.Widget) -> w.Widget:
    """Give every labelled widget a tooltip: ipywidgets 8 writes a ``None`` tooltip into the
    label's ``title`` as the text "null" (HTML outputs included); "" shows none."""
    if isinstance(widget, DescriptionWidget) and widget.tooltip is None:
        widget.tooltip = ""
    for child in getattr(widget, "children", ()):
        no_null_tooltips(child)
    return widget
