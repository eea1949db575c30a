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


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of the committed raw/ snapshot."""
    target = tmp_path / "raw"
    shutil.copytree(REPO / "raw", target)
    return target
