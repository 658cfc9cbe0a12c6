"""The dashboard's charts: one widget that draws several figures and updates them in place.

``alt.JupyterChart`` embeds its chart anew for every new spec, ships Vega with every chart
(0.9 MB of JavaScript a model, seven models), and its in-place data updates are messages that
a chart not yet embedded misses. :class:`ChartPanel` keeps the whole view in its state
instead: ``specs`` (each figure's Vega-Lite without its rows, :meth:`Figure.template`; a
constant such as a zero rule's data stays in it), ``data`` (each figure's rows by dataset
name), ``order`` and a ``revision`` that moves on every show. Its JavaScript, on each
revision, re-embeds only a chart whose spec changed and sends the new rows into the others
(Vega changesets), reading the state as it is then: a page that draws late, or a revision
that arrives while a chart is being embedded, ends up showing the newest answer, never an
older one. Each chart is a ``div.ws-chart[data-chart=NAME]`` rendered as SVG
(``.vega-embed > svg``); the panel's ``data-revision`` attribute says which revision is drawn.

Vega, Vega-Lite and vega-embed come from vl-convert's bundle (no network), built once per
machine and kept in the user's cache folder: bundling takes seconds.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from warrantysim.atomic import write_text_atomic
from warrantysim.charts_figure import Figure

_JS = """
const OPTIONS = { renderer: "svg", actions: false };

function render({ model, el }) {
  const shown = new Map();  // figure name -> { div, view, spec, rows }
  let chain = Promise.resolve();

  function entry(name) {
    if (!shown.has(name)) {
      const div = document.createElement("div");
      div.className = "ws-chart";
      div.dataset.chart = name;
      shown.set(name, { div, view: null, spec: null, rows: null });
    }
    return shown.get(name);
  }

  function forget(name) {
    const gone = shown.get(name);
    if (gone.view) gone.view.finalize();
    gone.div.remove();
    shown.delete(name);
  }

  async function draw() {
    const revision = model.get("revision");
    const specs = model.get("specs");
    const data = model.get("data");
    const order = model.get("order");
    for (const name of [...shown.keys()]) {
      if (!order.includes(name)) forget(name);
    }
    for (const name of order) {
      const chart = entry(name);
      el.appendChild(chart.div);  // in order (an existing node moves)
      const text = JSON.stringify(specs[name]);
      const rows = data[name] || {};
      if (chart.spec !== text || chart.view === null) {
        if (chart.view) chart.view.finalize();
        chart.view = null;
        const spec = structuredClone(specs[name]);
        spec.datasets = Object.assign(spec.datasets || {}, rows);  // a template's own data stay
        chart.view = (await vegaEmbed(chart.div, spec, OPTIONS)).view;
        chart.spec = text;
      } else if (chart.rows !== rows) {
        for (const [dataset, values] of Object.entries(rows)) {
          chart.view.change(dataset, chart.view.changeset().remove(() => true).insert(values));
        }
        await chart.view.runAsync();
      }
      chart.rows = rows;
    }
    el.dataset.revision = String(revision);
  }

  function redraw() {
    // One draw at a time; each reads the newest state, so queued revisions coalesce.
    chain = chain.then(draw).catch((error) => {
      el.dataset.error = String(error);
      console.error("warrantysim chart panel", error);
    });
  }

  model.on("change:revision", redraw);
  redraw();
  return () => { for (const name of [...shown.keys()]) forget(name); };
}

export default { render };
"""


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "warrantysim"


@lru_cache(maxsize=1)
def bundle() -> str:
    """The panel's JavaScript with Vega bundled in, from the cache folder when it is there."""
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    version = vl_version_for_vl_convert()
    vega = f"{vlc.get_vega_version()} {vlc.get_vega_embed_version()} {version}"
    digest = hashlib.sha256(f"{vega} {_JS}".encode()).hexdigest()[:16]
    cached = _cache_dir() / f"chart-panel-{digest}.js"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    text: str = vlc.javascript_bundle(_JS, vl_version=version)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(cached, text)
    except OSError:
        pass  # a read-only home: bundle again next time, draw now
    return text


class ChartPanel(anywidget.AnyWidget):
    """Figures drawn in order; :meth:`show` sends new specs only where a figure's shape
    changed, and new rows for the rest."""

    specs = traitlets.Dict().tag(sync=True)
    data = traitlets.Dict().tag(sync=True)
    order = traitlets.List(traitlets.Unicode()).tag(sync=True)
    revision = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        ChartPanel._esm = bundle()  # read by AnyWidget.__init__
        super().__init__(**kwargs)

    def show(self, figures: Mapping[str, Figure]) -> None:
        """Draw ``figures`` (in their order), replacing whatever the panel showed."""
        with self.hold_sync():
            # An unchanged spec compares equal and is not sent again.
            self.specs = {name: f.template() for name, f in figures.items()}
            self.data = {name: f.records() for name, f in figures.items()}
            self.order = list(figures)
            self.revision += 1
