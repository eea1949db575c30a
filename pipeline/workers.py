"""Worker processes that never outlive the run that started them.

A pool's workers are forked children of the run. When the run is killed
(`kill -9`, the OOM killer), nothing tells them: they would go on parsing,
holding memory and a copy of the run's lock descriptors. `start` is every
pool's initializer: on Linux the kernel kills the worker when its parent dies
(`PR_SET_PDEATHSIG`); elsewhere a thread watches the parent. Either way the
worker first closes the run's locks, so that a lock dies with the run.
`pool` is how every step makes its pool, and `run_processes` how many
processes a run works on.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from pipeline import files

_PR_SET_PDEATHSIG = 1
_WATCH_EVERY = 0.5  # seconds


def run_processes(asked: int | None) -> int:
    """The processes a run works on: as many as asked, else one per core this process may use. Counted by loky
    (what joblib counts with): the machine's cores, bounded by the process's CPU affinity (`taskset`) and a
    container's CPU quota, so a two-CPU container on a 64-core host runs two processes, not 64 that each hold a
    parser's memory."""
    if asked:
        return asked
    limit = os.environ.get(_LIMIT)
    if limit is not None:
        try:
            int(limit)  # as loky reads it: set and empty is no number either
        except ValueError:
            why = f"{_LIMIT}={limit!r} is not a whole number (it bounds --workers' default)"
            raise files.UsageError(why) from None
    from loky.backend.context import cpu_count  # imported only when the cores are counted: about 0.05 s

    return cpu_count()


_LIMIT = "LOKY_MAX_CPU_COUNT"  # loky's own bound on the cores it counts


@contextlib.contextmanager
def pool(processes: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `processes` children forked from this run, each started by `start`. Forked whatever start method
    the program set: a child inherits what the run loaded (modules, the PDF worker's library) and what a step
    leaves it in a global, and shares those pages until it writes them. While the pool lives the run's objects
    are frozen: the collector in a child would touch, and so copy, every object it inherits."""
    gc.freeze()
    try:
        fork = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(processes, fork, initializer=start, initargs=(os.getpid(),)) as executor:
            yield executor
    finally:
        gc.unfreeze()


def start(parent: int) -> None:
    """Pool initializer: `parent` is the run's pid, as the run saw it when it made the pool."""
    files.forget_locks()
    if not (sys.platform.startswith("linux") and _kill_me_with_my_parent()):
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _kill_me_with_my_parent() -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH_EVERY)
    os._exit(1)
