from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "real"
REPO = Path(__file__).resolve().parents[1]
SEED = REAL / "seed_credential_1118.txt"


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
