"""Committed renderings made with system tools (text browsers, a browser's print), read without the tools.

tools/make_rendering_fixtures.py writes them to tests/fixtures/renderings/ with `index.json`: for each
file, the page it renders, its family, its kind and its choices. Tests read the files; they never run
the tools.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "renderings"
INDEX = FOLDER / "index.json"


@dataclass(frozen=True)
class Fixture:
    name: str
    page: str
    family: str  # w3m | lynx | chromium
    kind: str  # text | pdf
    extension: str
    dimensions: dict[str, str]
    source_sha256: str  # of the HTML it was made from: a fixture whose source changed is stale

    @property
    def data(self) -> bytes:
        return (FOLDER / self.name).read_bytes()


@cache
def index() -> dict[str, Fixture]:
    if not INDEX.exists():
        return {}
    entries = json.loads(INDEX.read_text(encoding="utf-8"))
    return {entry["name"]: Fixture(**entry) for entry in entries}


def load(name: str) -> Fixture:
    return index()[name]


def family_of(name: str | None) -> str:
    return index()[name].family if name else "fixture"
