"""Every notebook runs top to bottom (papermill, a real kernel) on small settings.

The notebooks are py:percent sources; each is converted to .ipynb, given small parameters in
its ``parameters`` cell and executed. A failing cell fails the test with the cell's traceback.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"
SMALL = {"product.units_per_month": 1500, "product.sales_months": 12}
TWO = ["status-quo", "supplier-chargeback"]


def _run(name: str, tmp_path: Path, **parameters: object) -> nbformat.NotebookNode:
    source = jupytext.read(NOTEBOOKS / f"{name}.py")
    ipynb, out = tmp_path / f"{name}.ipynb", tmp_path / f"{name}.out.ipynb"
    nbformat.write(source, ipynb)
    papermill.execute_notebook(
        str(ipynb),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOKS),
        progress_bar=False,
    )
    return nbformat.read(out, as_version=4)


def _text(notebook: nbformat.NotebookNode) -> str:
    chunks = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            chunks.append(str(output.get("text", "")))
            chunks.append(str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(chunks)


def _svg_outputs(notebook: nbformat.NotebookNode) -> list[object]:
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    return [o for o in outputs if "image/svg+xml" in o.get("data", {})]


def test_workbench_notebook(tmp_path):
    nb = _run("workbench", tmp_path, POLICIES=TWO, REPLICATIONS=2, OVERRIDES=SMALL, WAIT=True)
    assert "lifetime_profit" in _text(nb)  # the differences table printed after the first answer


def test_policy_proposal_notebook_writes_the_report(tmp_path):
    out = tmp_path / "proposal"
    nb = _run(
        "policy-proposal",
        tmp_path,
        POLICIES=TWO,
        REPLICATIONS=3,
        PRECISION={"lifetime_profit": 0.05},
        MAX_REPLICATIONS=6,
        OVERRIDES=SMALL,
        EXECUTOR="serial",
        OUT_DIR=str(out),
        PDF=False,
        XLSX=True,
        PNG=False,
    )
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "supplier-chargeback" in html
    assert "chartsRendered" in html
    assert (out / "statements.xlsx").stat().st_size > 0
    charts = html.count('<div class="chart" id="chart-')
    assert len(_svg_outputs(nb)) == charts  # the report's charts, shown in the notebook too
    text = _text(nb)
    assert "NPV of cash flows" in text  # the decision sentence
    assert "营业收入" in text  # the CAS income statement


@pytest.mark.slow
def test_sensitivity_notebook(tmp_path):
    nb = _run(
        "sensitivity",
        tmp_path,
        POLICIES=TWO,
        SWEEP_REPLICATIONS=2,
        SOBOL_N=4,
        OVERRIDES=SMALL,
        OUT_DIR=str(tmp_path / "sens"),
        EXECUTOR="serial",
    )
    charts = [
        o for c in nb.cells for o in c.get("outputs", []) if "image/svg+xml" in o.get("data", {})
    ]
    assert len(charts) == 4  # tornado, Sobol, sweep effects, winner map


@pytest.mark.slow
def test_calibration_notebook(tmp_path):
    out = tmp_path / "fitted.yaml"
    nb = _run("calibration", tmp_path, OUT=str(out), REPLICATIONS=2, OVERRIDES=SMALL)
    assert "mixture" in _text(nb)  # the planted early defects are found
    assert "life_uncertainty" in out.read_text(encoding="utf-8")
    assert len(_svg_outputs(nb)) == 2  # probability plot, observed against expected
