"""An experiment's identity covers the model's code: resuming never mixes runs of older code."""

from __future__ import annotations

from pathlib import Path

import pytest

from warrantysim.experiments import options as options_module
from warrantysim.experiments.compare import _experiment
from warrantysim.experiments.options import RunOptions, model_code_hash
from warrantysim.scenario import load_scenario

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.yaml"


def test_the_fingerprint_changes_with_the_model_code(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario(BASELINE)
    today = _experiment([scenario], 1, 2, {}, 10, RunOptions()).fingerprint
    assert _experiment([scenario], 1, 2, {}, 10, RunOptions()).fingerprint == today
    monkeypatch.setattr(options_module, "model_code_hash", lambda: "another-version")
    assert _experiment([scenario], 1, 2, {}, 10, RunOptions()).fingerprint != today


def test_the_code_hash_reads_the_model_sources() -> None:
    assert len(model_code_hash()) == 16
    root = Path(options_module.__file__).resolve().parents[1]
    for source in options_module.MODEL_SOURCES:
        assert (root / source).exists(), source
