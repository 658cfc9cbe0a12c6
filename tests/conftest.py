"""Fixtures every test file may use: a file writer and the command line.

Scenario and event-log factories and the file writer are plain functions in ``factories.py``
(tests call them at collection time, in parametrisations and Hypothesis strategies, where
fixtures cannot go); the fixtures here wrap them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from factories import Cli, Content, write_file

CLI_TIMEOUT_SECONDS = 300
"""Generous: a process start costs about 2 s, and CI shares 2 cores with other workers."""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, Content], Path]:
    """``write(name, content)``: a file (YAML, text or bytes) in this test's temporary folder."""
    return lambda name, content: write_file(tmp_path, name, content)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``warrantysim ARGS...`` in a real process of this Python: its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "warrantysim.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
    )


@pytest.fixture(scope="session")
def cli() -> Cli:
    """``cli(*args, cwd=...)``: see :func:`run_cli`."""
    return run_cli


@pytest.fixture
def cli_here(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``cli_here(*args, cwd=...)``: like ``cli``, but ``warrantysim.cli.main`` in this process.

    No process start (about 2 s each); what a user sees is the same, since ``main`` is what the
    installed command runs. Keep at least one real-process case per error source (``cli``).
    """
    from warrantysim.cli import main

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            status = main([str(arg) for arg in args])
        except SystemExit as stop:  # argparse's own errors end the process
            status = stop.code if isinstance(stop.code, int) else 2
        out = capsys.readouterr()
        return subprocess.CompletedProcess(
            ["warrantysim", *map(str, args)], status, out.out, out.err
        )

    return run


SLOW_MODULES = {
    "test_notebooks.py": "notebooks run in a kernel",
    "test_app_browser.py": "browser against the served app",
    "test_report.py": "browser renders and PDF",
    "test_naive_agreement.py": "naive reference model",
    "test_sim_renewal.py": "theory: renewal function",
    "test_sim_stock_theory.py": "theory: Palm, min/max Markov chain",
    "test_sim_service_theory.py": "theory: Erlang C, priority M/M/c, Palm, METRIC",
    "test_experiments_dask.py": "a real Dask cluster",
    "test_app_security.py": "browser and raw HTTP against the served app",
    "test_app_service.py": "browser against the served app, process trees",
    "test_workbench_pool.py": "warm worker processes",
    "test_cli_language.py": "real runs, compares and sweeps through the CLI",
    "test_results_lock.py": "real sweep processes killed with SIGKILL",
    "test_report_xlsx_names.py": "five real runs and a report",
    "test_hostile_input.py": "Hypothesis over random scenarios, real processes",
    "test_accounting_appraisal.py": "real baseline replications, booked under the cap rules",
    "test_accounting_calibration.py": "real baseline replications at three prices",
    "test_accounting_provision.py": "real replications, provisions reviewed",
    "test_accounting_continuing.py": "a real replication of every shipped scenario, twice",
}
SLOW_FIXTURES = {"two_runs": "three real `warrantysim run` processes"}
SLOW_TESTS = {
    "test_engines_agree_on_random_scenarios",
    "test_last_buy_covers_the_expected_rest_at_its_service_level",
    "test_auto_level_meets_its_target_in_a_steady_fleet",
    "test_invariants",
    "test_common_random_numbers",
    # real processes, replications or Hypothesis over many scenarios: each over ~3 s
    "test_run_writes_every_output_and_no_temporary_files",
    "test_an_unwritable_output_folder_is_a_user_error",
    "test_bad_input_through_the_installed_command",
    "test_good_file_of_the_bad_input_cases_is_valid",
    "test_validate_reports_every_file_and_fails_if_any_fails",
    "test_sigkill_then_resume_equals_an_uninterrupted_run",
    "test_ctrl_c_keeps_finished_chunks_and_says_how_to_resume",
    "test_a_store_refuses_to_mix_experiments",
    "test_random_books_balance_and_lifetime_profit_is_policy_free",
    "test_lifetime_spare_cost_is_what_entered_stock",
    "test_real_books_balance_and_lifetime_profit_is_policy_free",
    "test_precision_adds_replications_until_the_target_is_met",
    "test_common_random_numbers_narrow_the_interval_at_least_threefold",
    "test_cli_compare_prints_paired_differences",
    "test_precision_on_an_unknown_kpi_is_an_error",
    "test_sobol_study_end_to_end_from_the_cli",
    "test_replicate_on_processes_equals_simulate",
    "test_the_report_tables_load_without_the_exporters",
    "test_a_fifo_is_refused_as_a_spec",
    # measured over ~1.7 s each (serial, --durations) when the fast subset passed a minute
    "test_saved_scenario_reproduces_the_edited_policy_through_run",
    "test_run_journal_writes_the_postings_to_parquet",
    "test_same_seed_same_results",
    "test_edited_policy_is_marked_and_reset_restores_it",
    "test_dashboard_shows_cards_first_and_the_difference_spread",
    "test_moving_a_lever_recomputes_that_policy",
    "test_update_shows_what_the_api_gives",
    "test_a_scenario_file_of_the_working_folder_can_join_the_comparison",
    "test_round_trip_holds_for_any_valid_values",
    "test_mixture_matches_reliability_on_likelihood_and_cdf",
    "test_fitted_scenario_runs_and_compares_with_the_status_quo",
    "test_every_scenario_gets_the_same_seed_per_replication",
    "test_resume_recomputes_exactly_the_damaged_chunk",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests in one place (``scripts/check --fast`` leaves them out)."""
    for item in items:
        name = getattr(item, "originalname", item.name)
        uses = set(getattr(item, "fixturenames", ()))
        if item.path.name in SLOW_MODULES or name in SLOW_TESTS or uses & set(SLOW_FIXTURES):
            item.add_marker(pytest.mark.slow)
