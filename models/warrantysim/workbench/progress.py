"""A progress bar for experiments run from a notebook: runs done, runs per second, ETA."""

from __future__ import annotations

from typing import Any

from warrantysim.experiments.progress import Meter


class WidgetProgress(Meter):
    """An ipywidgets bar and label, shown in the notebook cell that runs the experiment."""

    def __init__(self) -> None:
        super().__init__()
        import ipywidgets as widgets
        from IPython.display import display

        self._bar: Any = widgets.IntProgress(min=0, max=1, description="runs")
        self._label: Any = widgets.Label()
        display(widgets.HBox([self._bar, self._label]))

    def start(self, total_runs: int, done_runs: int = 0) -> None:
        super().start(total_runs, done_runs)
        self._bar.max = max(total_runs, 1)
        self._update()

    def advance(self, runs: int) -> None:
        super().advance(runs)
        self._update()

    def close(self) -> None:
        self._update()
        self._bar.bar_style = "success" if self.done >= self.total else "warning"

    def _update(self) -> None:
        self._bar.value = self.done
        self._label.value = self.describe()
