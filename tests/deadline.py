"""A test, or a block of one, that must end in time: past it, the test fails (SIGALRM, raised in pytest's own
thread) instead of waiting on, so a slip that makes something wait forever is a failure in seconds, not a run
stopped by mutmut's or CI's timeout minutes later."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


class StillRunning(BaseException):
    """Not an Exception: no containment in the code under test may catch it."""


@contextmanager
def fails_after(seconds: int) -> Iterator[None]:
    def hung(signum, frame):
        raise StillRunning(f"still running after {seconds} s: something waits forever")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
