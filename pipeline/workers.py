"""Worker processes that never outlive the run that started them.

A pool's workers are forked children of the run. When the run is killed
(`kill -9`, the OOM killer), nothing tells them: they would go on parsing,
holding memory and a copy of the run's lock descriptors. `start` is every
pool's initializer: on Linux the kernel kills the worker when its parent dies
(`PR_SET_PDEATHSIG`); elsewhere a thread watches the parent. Either way the
worker first closes the run's locks, so that a lock dies with the run.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

from pipeline import files

_PR_SET_PDEATHSIG = 1
_WATCH_EVERY = 0.5  # seconds


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
