"""What a claim costs in SimPy, written three ways: the measurement behind sim/service.py's style.

The same service in each: claims arrive at given days, take a part from a ``simpy.Container``
(refilled by one-for-one orders after a fixed lead time), then hold one of c technicians
(``simpy.Resource``) for an exponential repair time.

* ``process``: a SimPy process per claim (a generator: start event, a resume per yield);
* ``callbacks``: each step a callback on the event before it, as in sim/service.py;
* ``callbacks, no technicians``: the callbacks without the repair centre (the baseline's case).

    python benchmarks/bench_claim_styles.py [--claims 100000]

Prints CPU µs per claim (median of 3) and events per claim; nothing passes or fails.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Generator
from functools import partial

import numpy as np
import simpy

from warrantysim.sim.clock import Clock

LEAD_DAYS, TECHNICIANS, STOCK = 10.0, 4, 60


def inputs(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    rate = 5.0  # claims a day; utilisation 5 × 0.6 / 4 = 0.75
    return np.cumsum(rng.exponential(1 / rate, n)), rng.exponential(0.6, n)


def by_process(arrivals: np.ndarray, repairs: np.ndarray) -> int:
    env = Clock()
    store = simpy.Container(env, init=STOCK)
    technicians = simpy.Resource(env, TECHNICIANS)

    def order() -> Generator[simpy.Event, None, None]:
        yield env.timeout(LEAD_DAYS)
        yield store.put(1)

    def claim(i: int) -> Generator[simpy.Event, object, None]:
        yield store.get(1)
        env.process(order())
        with technicians.request() as request:
            yield request
            yield env.timeout(repairs[i])

    def source() -> Generator[simpy.Event, None, None]:
        for i, day in enumerate(arrivals):
            yield env.timeout(day - env.now)
            env.process(claim(i))

    env.process(source())
    env.run()
    return env.events_scheduled


def by_callbacks(arrivals: np.ndarray, repairs: np.ndarray, technicians_on: bool = True) -> int:
    env = Clock()
    store = simpy.Container(env, init=STOCK)
    technicians = simpy.Resource(env, TECHNICIANS)

    def arrive(i: int, _: simpy.Event) -> None:
        if i + 1 < len(arrivals):
            env.call_at(float(arrivals[i + 1]), partial(arrive, i + 1))
        env.call_at(env.now + LEAD_DAYS, receive)
        store.get(1).callbacks.append(partial(issued, i))

    def receive(_: simpy.Event) -> None:
        store.put(1)

    def issued(i: int, _: simpy.Event) -> None:
        if technicians_on:
            technicians.request().callbacks.append(partial(start, i))

    def start(i: int, request: simpy.Event) -> None:
        env.call_at(env.now + float(repairs[i]), partial(finish, request))

    def finish(request: simpy.Event, _: simpy.Event) -> None:
        technicians.release(request)  # type: ignore[arg-type]

    env.call_at(float(arrivals[0]), partial(arrive, 0))
    env.run()
    return env.events_scheduled


def cpu_us_per_claim(run: Callable[[], int], n: int) -> tuple[float, float]:
    times, events = [], 0
    for _ in range(3):
        start = time.process_time()
        events = run()
        times.append(time.process_time() - start)
    return 1e6 * statistics.median(times) / n, events / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    n = parser.parse_args().claims
    arrivals, repairs = inputs(n)
    styles = {
        "process per claim": lambda: by_process(arrivals, repairs),
        "callbacks (sim/service.py)": lambda: by_callbacks(arrivals, repairs),
        "callbacks, no technicians": lambda: by_callbacks(arrivals, repairs, technicians_on=False),
    }
    print(f"{n:,} claims, {TECHNICIANS} technicians, utilisation 0.75\n")
    print("| style | CPU µs / claim | events / claim |")
    print("|---|---|---|")
    for name, run in styles.items():
        us, events = cpu_us_per_claim(run, n)
        print(f"| {name} | {us:.1f} | {events:.1f} |")


if __name__ == "__main__":
    main()
