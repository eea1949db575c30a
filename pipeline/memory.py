"""Memory a run let go of, given back to the system."""

from __future__ import annotations

import ctypes


def give_back() -> None:
    """Memory freed since the last call returned to the system. glibc keeps freed memory for reuse otherwise, and
    a run's size would be that of its largest moment plus what was scattered."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
