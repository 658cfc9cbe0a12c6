"""A preheated kernel's page request: handed over in a private file, never with the token.

Real files and a real second thread (the server's side) against the kernel's waiting side, as
``warrantysim app`` runs them; the served app itself is in ``test_app_security.py``.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from warrantysim.scenario import load_scenario
from warrantysim.workbench import handoff, policy_files
from warrantysim.workbench.urlstate import PageState, encode, request_query

KERNEL = "0b7e2a52-4a8b-4e0c-9d51-1f7a2d3c4b5a"
URL = "http://127.0.0.1:8866/?policies=status-quo&token=s3cret&set.status-quo=%7B%7D"


def test_the_token_never_reaches_the_kernel(tmp_path: Path) -> None:
    given = handoff.give(tmp_path, KERNEL, URL)
    assert given == {
        "QUERY_STRING": "policies=status-quo&set.status-quo=%7B%7D",
        "VOILA_REQUEST_URL": "http://127.0.0.1:8866/?policies=status-quo&set.status-quo=%7B%7D",
    }
    assert "s3cret" not in handoff.request_file(tmp_path, KERNEL).read_text()
    assert handoff.receive(tmp_path, KERNEL) == given
    assert list(tmp_path.iterdir()) == []  # read once, then gone


def test_a_waiting_kernel_gets_the_request_written_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", KERNEL)
    monkeypatch.setenv(handoff.REQUESTS_ENV, str(tmp_path))
    # A preheated kernel's environment from before its page: no request of its own yet. Set
    # first, so the request written into os.environ below is undone after the test too (left
    # in this process, it reached the notebook kernels later tests start: a flaky failure).
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.delenv("QUERY_STRING")
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:8866/?token=older-page")
    server = threading.Timer(0.3, handoff.give, (tmp_path, KERNEL, URL))
    started = time.monotonic()
    server.start()
    try:
        query = request_query()
    finally:
        server.join()
    assert time.monotonic() - started >= 0.3  # it waited for the page, not a guess
    assert query == "policies=status-quo&set.status-quo=%7B%7D"
    assert "token" not in os.environ["QUERY_STRING"] + os.environ["VOILA_REQUEST_URL"]


def test_outside_the_pool_the_request_in_the_environment_loses_its_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "token=s3cret&base=status-quo")
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:8866/?token=s3cret&base=status-quo")
    assert request_query() == "base=status-quo"
    assert os.environ["VOILA_REQUEST_URL"] == "http://127.0.0.1:8866/?base=status-quo"


@pytest.mark.parametrize("kernel_id", ["", "../escape", ".hidden", "a/b"])
def test_a_kernel_id_names_a_file_in_the_folder_only(tmp_path: Path, kernel_id: str) -> None:
    with pytest.raises(ValueError, match="not a kernel id"):
        handoff.request_file(tmp_path, kernel_id)


def test_the_view_already_shown_is_not_computed_again() -> None:
    """The kernel restores the URL it was handed; the page then reports the same URL."""
    from warrantysim.workbench.dashboard import Dashboard

    files = policy_files()
    small = {"product.units_per_month": 1500, "product.sales_months": 12}
    scenarios = {n: load_scenario(files[n], small) for n in ("status-quo", "supplier-chargeback")}
    board = Dashboard(scenarios, ["status-quo"], replications=2, seed=7)
    board.background.cancel()
    state = PageState(policies=("status-quo", "supplier-chargeback"), base="supplier-chargeback")
    board.restore(state)
    board.background.cancel()
    shown = board.background.generation
    board.url.query = encode(board.page_state())  # what the page's JavaScript reports
    assert board.background.generation == shown
    board.url.query = encode(PageState(policies=("supplier-chargeback",)))  # a new view
    board.background.cancel()
    assert board.selected == ["supplier-chargeback"]
    assert board.background.generation > shown
