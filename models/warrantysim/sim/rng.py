"""Named random streams: common random numbers across scenarios.

Replication ``r`` of a run seeded ``s`` owns the root ``SeedSequence([s, r])``; each stochastic
process draws from its own child, keyed by a stable hash of its name ("life/ssd", "demand", ...).
A lever that does not touch a process therefore cannot move that process's draws, whatever else
changes (other parts added, stock levels, accounting), which is what paired comparisons rely on.

Callers ask for a stream by function (``streams.life("ssd")``), never by spelling its name: a
misspelt name would silently start a fresh stream and break the pairing, a misspelt method fails.
The names hashed are the ones used before these functions existed, so results did not move.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """A stable 32-bit key for a stream name (``hash()`` is salted per process; crc32 is not)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """The generators of one replication, one per named process, each fresh on every call."""

    def __init__(self, seed: int, replication: int = 0) -> None:
        if seed < 0 or replication < 0:
            raise ValueError(f"seed and replication must be >= 0, got {seed} and {replication}")
        self.seed = seed
        self.replication = replication

    # -- sales -------------------------------------------------------------------------------
    def demand(self) -> np.random.Generator:
        """Monthly units sold around the plan."""
        return self._get("demand")

    def sales_timing(self) -> np.random.Generator:
        """Each unit's sale day inside its month."""
        return self._get("sales/timing")

    # -- failures (sim/failures.py) ------------------------------------------------------------
    def life(self, part: str) -> np.random.Generator:
        """Lives of a part's positions and of their replacements."""
        return self._get(f"life/{part}")

    def defect(self, part: str) -> np.random.Generator:
        """Which positions carry an early defect."""
        return self._get(f"defect/{part}")

    def screen(self, part: str) -> np.random.Generator:
        """Which early defects screening catches."""
        return self._get(f"screen/{part}")

    def fault(self, part: str) -> np.random.Generator:
        """Which claims are the supplier's fault."""
        return self._get(f"fault/{part}")

    def life_parameters(self, part: str) -> np.random.Generator:
        """This replication's draw of a part's life parameters (``parameter_uncertainty``)."""
        return self._get(f"life-parameters/{part}")

    # -- service (sim/stock.py, sim/service.py) --------------------------------------------------
    def refurbish(self, part: str) -> np.random.Generator:
        """Which returned parts refurbishment recovers (one draw per claim, in claim order)."""
        return self._get(f"refurbish/{part}")

    def lead_time(self, part: str) -> np.random.Generator:
        """A part's supplier lead times, one draw per order in the order placed."""
        return self._get(f"lead_time/{part}")

    def no_fault_found(self, part: str) -> np.random.Generator:
        """Which claims of a part are diagnosed as no fault found (one draw per claim)."""
        return self._get(f"no_fault_found/{part}")

    def repair(self) -> np.random.Generator:
        """Repair times at the repair centre, one draw per repair started."""
        return self._get("repair")

    def _get(self, name: str) -> np.random.Generator:
        """A fresh generator for ``name``: the same name always starts from the same state."""
        sequence = np.random.SeedSequence([self.seed, self.replication, stream_key(name)])
        return np.random.Generator(np.random.PCG64(sequence))
