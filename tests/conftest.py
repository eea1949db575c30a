from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "real"
REPO = Path(__file__).resolve().parents[1]
SEED = REAL / "seed_credential_1118.txt"


def _children_run_the_original_code_in_mutmut_stats() -> None:
    """Under mutmut (MUTANT_UNDER_TEST in the environment), a child process started during the stats pass runs
    the original code: its trampoline would otherwise record its hits through mutmut's config(), which a child
    started from another folder (a tmp folder, as the CLI tests do) cannot find, and which would be lost anyway
    (the stats live in the parent's memory). During a mutant's run the child keeps the mutant's name, so a test
    of the CLI in a subprocess still kills a mutant. `env` is always passed by keyword in these tests."""
    original = subprocess.Popen.__init__

    def started(self: subprocess.Popen, *args: object, **kwargs: object) -> None:
        if os.environ.get("MUTANT_UNDER_TEST") == "stats":
            kwargs["env"] = {**(kwargs.get("env") or os.environ), "MUTANT_UNDER_TEST": ""}
        original(self, *args, **kwargs)

    subprocess.Popen.__init__ = started


if "MUTANT_UNDER_TEST" in os.environ:
    _children_run_the_original_code_in_mutmut_stats()


def wait_out_the_clock_tick(root: Path) -> None:
    """Sleep until every file under `root` was last changed a clock tick before now.

    A run does not stamp a file changed within a tick of its start by its stat (it could change again without
    the stat moving), so a test whose premise is "the first run stamped these files by their stat" waits first:
    a run can start within 0.1 s of the files a fixture just wrote. The tick is the file system's: 0.1 s
    with a margin, 2 s where ctimes are whole seconds."""
    changes = [
        when(os.path.join(folder, name)).st_ctime_ns
        for folder, folders, names in os.walk(root)
        for name in folders + names
        for when in (os.lstat, os.stat)  # a link, and what it points to
        if when is os.lstat or os.path.exists(os.path.join(folder, name))
    ]
    if not changes:
        return
    tick = 2.5e9 if any(ctime % 10**9 == 0 for ctime in changes) else 0.3e9
    time.sleep(max(0.0, (max(changes) + tick - time.time_ns()) / 1e9))


def real_text(name: str) -> str:
    return (REAL / name).read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scraper obeys the environment's proxies; the tests' servers on 127.0.0.1 are reached directly
    on any machine (a test that wants a proxy sets one)."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of the committed raw/ snapshot."""
    target = tmp_path / "raw"
    shutil.copytree(REPO / "raw", target)
    return target
