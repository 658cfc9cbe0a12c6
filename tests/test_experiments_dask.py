"""A real Dask cluster on loopback (a scheduler and two worker processes) gives the same
numbers, bit for bit, as the serial executor and as local processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from warrantysim import experiments as ex
from warrantysim.experiments.spec import load_sweep_spec
from warrantysim.experiments.store import ResultsStore, Table

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
SPEC = f"""
kind: sweep
scenario: {BASELINE}
set: {{product.units_per_month: 300, product.sales_months: 12, product.warranty_months: 12,
       simulation.horizon_months: 24}}
design: lhs
samples: 6
replications: 2
seed: 21
parameters:
  parts.battery.life.scale_months: {{range: [0.7, 1.3], relative: true}}
  parts.ssd.stocking.level: {{range: [1, 12], integer: true}}
  accounting.spares_treatment: {{values: [capitalise, expense_on_purchase, accrue_per_unit]}}
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=":0",
    )  # fmt: skip
    yield cluster
    cluster.close()


def test_dask_cluster_equals_serial(tmp_path: Path, cluster: distributed.LocalCluster) -> None:
    spec_path = tmp_path / "sweep.yaml"
    spec_path.write_text(SPEC, encoding="utf-8")
    spec = load_sweep_spec(spec_path)
    address = cluster.scheduler_address
    assert address.startswith("tcp://127.0.0.1:")
    on_dask = ex.sweep(spec, cluster=address, chunk_runs=1, progress="quiet", out=tmp_path / "dask")
    serial = ex.sweep(spec, executor="serial", progress="quiet")
    assert len(on_dask.kpis) == 12
    for table in Table:
        pd.testing.assert_frame_equal(
            ex.load_results(tmp_path / "dask", table),
            getattr(serial, table.value),
            check_exact=True,
        )
    log = ResultsStore(tmp_path / "dask").runlog()
    assert len({entry["pid"] for entry in log}) == 1  # the client stores every chunk
    assert len({entry["worker_pid"] for entry in log}) == 2  # both Dask workers computed some
