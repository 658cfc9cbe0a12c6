"""The stochastic part: sales, failures, claims, repairs, stock. Parts, units and days; no money."""
