"""pipeline/memory.py: memory a run let go of is given back to the system, and where that cannot be done (not glibc)
nothing happens."""

from __future__ import annotations

import ctypes
import os
import platform
from pathlib import Path

import pytest

from pipeline import memory

MB = 1 << 20


def _resident() -> int:
    """This process's resident memory in bytes (/proc/self/statm's second field is in pages)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc" or not Path("/proc/self/statm").exists(), reason="glibc on Linux only"
)
def test_memory_freed_under_a_block_still_in_use_is_given_back_to_the_system():
    # 3000 blocks of 16 000 bytes (about 46 MB, each below glibc's mmap threshold, so on the heap), then one more
    # that stays in use above them: freeing the 3000 cannot shrink the heap, and glibc keeps their pages.
    blocks = [bytearray(16000) for _ in range(3000)]
    kept = bytearray(16000)
    del blocks
    held = _resident()
    memory.give_back()
    assert held - _resident() > 30 * MB
    assert len(kept) == 16000


class _NoTrim:
    """A C library without malloc_trim (musl, macOS's libSystem)."""


def test_a_c_library_without_malloc_trim_is_left_alone(monkeypatch):
    monkeypatch.setattr(ctypes, "CDLL", lambda name: _NoTrim())
    assert memory.give_back() is None


def test_a_process_whose_c_library_cannot_be_opened_goes_on(monkeypatch):
    def refuse(name):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", refuse)
    assert memory.give_back() is None
