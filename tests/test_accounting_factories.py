"""The event-log factories of ``factories.py`` keep their promises."""

from __future__ import annotations

import numpy as np

from factories import random_log
from warrantysim.sim.eventlog import ScrapReason


def test_random_logs_issue_only_what_was_received() -> None:
    for seed in range(20):
        log, _ = random_log(seed)
        received = np.bincount(log.purchases.part, log.purchases.qty, minlength=log.n_parts)
        issued = np.bincount(log.claims.part, minlength=log.n_parts)
        assert np.all(issued <= received)
        assert np.all(log.claims.serve_day >= log.claims.claim_day)
        end = log.scrap.reason == ScrapReason.END_OF_HORIZON
        assert np.all(log.scrap.qty[end] >= 0)
