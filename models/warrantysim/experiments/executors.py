"""Where chunks run: in this process, in local worker processes, or on a Dask cluster.

Each executor receives a :class:`~work.Job` once per worker (a pool initializer; a Dask
``scatter(broadcast=True)``) and then only chunks, and yields each chunk's result as it
finishes. A run's numbers depend only on (scenario, seed, replication), so every executor and
any number of workers give bit-identical results; only the order of arrival differs.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from warrantysim.experiments.errors import ExecutorKind, OptionError
from warrantysim.experiments.store import Chunk
from warrantysim.experiments.work import ChunkResult, Job, run_chunk

IN_FLIGHT_PER_WORKER = 2
"""Chunks queued per worker: enough to keep it busy, few enough to stop quickly on Ctrl-C."""
TICK_SECONDS = 0.2
OWNER_POLL_SECONDS = 0.5
"""Without pidfds, how often a worker checks that the process owning its pool is alive."""
"""While waiting for workers, ``run`` yields ``None`` this often so its caller can stop."""


LOCAL_WORKER_CONFIG = {
    # Dask samples every worker thread's stack each 10 ms for its profiler: CPU and GIL time
    # taken from a deep SimPy/pandas stack. Off for the clusters we start.
    "distributed.worker.profile.enabled": False,
    # Dask's default also sets MALLOC_TRIM_THRESHOLD_, which turns off glibc's dynamic mmap
    # threshold: every large numpy/pandas buffer becomes an mmap/munmap pair. Keep the rest.
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
}
"""Worker settings for ``--cluster local:N`` (benchmarks/README.md, "Experiments")."""


class Executor(Protocol):
    kind: ExecutorKind
    workers: int

    def run(self, job: Job, chunks: Sequence[Chunk]) -> Iterator[ChunkResult | None]:
        """Each chunk's result as it finishes, and ``None`` now and then while waiting."""
        ...

    def close(self) -> None: ...


class SerialExecutor:
    kind = ExecutorKind.SERIAL
    workers = 1

    def run(self, job: Job, chunks: Sequence[Chunk]) -> Iterator[ChunkResult | None]:
        for chunk in chunks:
            yield run_chunk(job, chunk)

    def close(self) -> None:
        pass


_worker_job: Job | None = None


def _install_job(job: Job, owner_pid: int) -> None:
    """Pool initializer: keep the job for this worker's life; leave Ctrl-C to the parent; end
    this worker when the process that owns the pool is gone."""
    global _worker_job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_job = job
    watch_owner(owner_pid)


def watch_owner(owner_pid: int) -> None:
    """Exit as soon as ``owner_pid`` ends, however it ends (``kill -9`` included).

    A pool's workers are the forkserver's children, not the owner's, so no parent-death signal
    reaches them; killed, the owner would leave them (and, through the pipes they hold, the
    forkserver and the resource tracker) blocked forever on a queue nobody writes to. A pidfd
    becomes readable when its process ends; a daemon thread waits on it and ends the worker.
    """
    try:
        pidfd = os.pidfd_open(owner_pid)
    except (OSError, AttributeError):  # the owner is gone already, or no pidfd (not Linux)
        if not _alive(owner_pid):
            os._exit(1)
        threading.Thread(target=_poll_owner, args=(owner_pid,), daemon=True).start()
        return
    threading.Thread(target=_wait_pidfd, args=(pidfd,), daemon=True).start()


def _wait_pidfd(pidfd: int) -> None:
    select.select([pidfd], [], [])
    os._exit(1)  # the owner is gone: nobody will read this worker's results


def _poll_owner(owner_pid: int) -> None:
    while _alive(owner_pid):
        time.sleep(OWNER_POLL_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_installed(chunk: Chunk) -> ChunkResult:
    if _worker_job is None:
        raise RuntimeError("this worker has no job; the pool initializer did not run")
    return run_chunk(_worker_job, chunk)


class ProcessExecutor:
    """A pool of local processes (default: one per core), started once per job."""

    kind = ExecutorKind.PROCESSES

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._pool: cf.ProcessPoolExecutor | None = None
        self._job: Job | None = None

    def run(self, job: Job, chunks: Sequence[Chunk]) -> Iterator[ChunkResult | None]:
        pool = self._pool_for(job)

        def submit(chunk: Chunk) -> cf.Future[ChunkResult]:
            return pool.submit(_run_installed, chunk)

        yield from _windowed(submit, _first_done, chunks, self.workers)

    def close(self) -> None:
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        # shutdown() lets running chunks finish; on Ctrl-C we want the workers gone now, so
        # terminate them (the pool's process table is private, hence the defensive getattr).
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)

    def _pool_for(self, job: Job) -> cf.ProcessPoolExecutor:
        if self._pool is not None and self._job is job:
            return self._pool
        self.close()
        # forkserver: workers fork from a clean, single-threaded server that has imported the
        # package once, which is quick and safe even if this process runs threads (Dask, UI).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["warrantysim.experiments.work", "warrantysim.api"])
        self._pool = cf.ProcessPoolExecutor(
            self.workers,
            mp_context=context,
            initializer=_install_job,
            initargs=(job, os.getpid()),
        )
        self._job = job
        return self._pool


@dataclass
class DaskExecutor:
    """A Dask cluster: ``tcp://HOST:PORT`` of a running scheduler, or ``local:N`` processes."""

    address: str
    kind = ExecutorKind.DASK

    def __post_init__(self) -> None:
        import dask
        from distributed import Client, LocalCluster  # optional: only this executor needs it

        self._cluster: Any = None
        if self.address.startswith("local:"):
            n = _local_workers(self.address)
            with dask.config.set(LOCAL_WORKER_CONFIG), _workers_ignore_ctrl_c():
                self._cluster = LocalCluster(
                    n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0"
                )
            self.client = Client(self._cluster)
        else:
            self.client = Client(self.address)
        self.workers = max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))
        self.client.run(_preload)  # every worker imports the model now, all at once
        self._job: Job | None = None
        self._job_future: Any = None

    def run(self, job: Job, chunks: Sequence[Chunk]) -> Iterator[ChunkResult | None]:
        if self._job is not job:
            self._job_future = self.client.scatter(job, broadcast=True, hash=False)
            self._job = job
        submit = _dask_submitter(self.client, self._job_future)
        yield from _windowed(submit, _first_done_dask, chunks, self.workers)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start processes with SIGINT ignored: they inherit it, and Python then installs no
    KeyboardInterrupt handler, so a terminal's Ctrl-C reaches only this process, which stops
    the workers itself (a worker killed by it would fail its chunk with a traceback)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


def _preload() -> None:
    import warrantysim.api  # noqa: F401  (imported for its side effect: a warm worker)


def _dask_submitter(client: Any, job_future: Any) -> Any:
    def submit(chunk: Chunk) -> Any:
        return client.submit(run_chunk, job_future, chunk, pure=False, retries=1)

    return submit


def _windowed(
    submit: Callable[[Chunk], Any],
    first_done: Callable[[set[Any]], tuple[set[Any], set[Any]]],
    chunks: Sequence[Chunk],
    workers: int,
) -> Iterator[ChunkResult | None]:
    """Keep ``workers × IN_FLIGHT_PER_WORKER`` chunks queued; yield results as they finish and
    ``None`` after each ``TICK_SECONDS`` without one."""
    pending_chunks = iter(chunks)
    running = {submit(c) for c in _take(pending_chunks, workers * IN_FLIGHT_PER_WORKER)}
    while running:
        done, running = first_done(running)
        if not done:
            yield None
        for future in done:
            yield future.result()
            running |= {submit(c) for c in _take(pending_chunks, 1)}


def _first_done(running: set[Any]) -> tuple[set[Any], set[Any]]:
    done, not_done = cf.wait(running, timeout=TICK_SECONDS, return_when=cf.FIRST_COMPLETED)
    return set(done), set(not_done)


def _first_done_dask(running: set[Any]) -> tuple[set[Any], set[Any]]:
    from distributed import wait

    try:
        done, not_done = wait(list(running), timeout=TICK_SECONDS, return_when="FIRST_COMPLETED")
    except TimeoutError:
        return set(), running
    return set(done), set(not_done)


def _take(iterator: Iterator[Chunk], n: int) -> list[Chunk]:
    taken = []
    for _ in range(n):
        try:
            taken.append(next(iterator))
        except StopIteration:
            break
    return taken


def _local_workers(address: str) -> int:
    count = address.removeprefix("local:")
    if not (count.isascii() and count.isdigit()) or int(count) < 1:
        raise OptionError(f"--cluster local:N needs a worker count N >= 1, got {address!r}")
    return int(count)


def make_executor(
    kind: ExecutorKind | str = ExecutorKind.PROCESSES,
    workers: int | None = None,
    cluster: str | None = None,
) -> Executor:
    """An executor from the command-line options; ``cluster`` implies Dask."""
    if cluster is not None:
        return DaskExecutor(cluster)
    kind = ExecutorKind(kind)
    if kind is ExecutorKind.SERIAL:
        return SerialExecutor()
    if kind is ExecutorKind.DASK:
        return DaskExecutor(f"local:{workers or os.cpu_count() or 1}")
    return ProcessExecutor(workers)
