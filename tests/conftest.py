from __future__ import annotations

import os
import shutil
import subprocess
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
