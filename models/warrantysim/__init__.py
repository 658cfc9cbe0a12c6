"""warrantysim: from a part failure to the P&L, under after-sales policies."""

from warrantysim.scenario import Scenario

__version__ = "0.1.0"

__all__ = ["Scenario", "__version__"]
