"""Named random streams: common random numbers across scenarios.

Replication ``r`` of a run seeded ``s`` owns the root ``SeedSequence([s, r])``; each stochastic
process draws from its own child, keyed by a stable hash of its name ("life/ssd", "demand", ...).
A lever that does not touch a process therefore cannot move that process's draws, whatever else
changes (other parts added, stock levels, accounting), which is what paired comparisons rely on.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """A stable 32-bit key for a stream name (``hash()`` is salted per process; crc32 is not)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """The generators of one replication, made on first use by name."""

    def __init__(self, seed: int, replication: int = 0) -> None:
        if seed < 0 or replication < 0:
            raise ValueError(f"seed and replication must be >= 0, got {seed} and {replication}")
        self.seed = seed
        self.replication = replication

    def get(self, name: str) -> np.random.Generator:
        """A fresh generator for ``name``: the same name always starts from the same state."""
        sequence = np.random.SeedSequence([self.seed, self.replication, stream_key(name)])
        return np.random.Generator(np.random.PCG64(sequence))
