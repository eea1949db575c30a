"""Per-document results kept between runs, so unchanged documents are not parsed again.

A result is reused when the document's bytes (sha256), its place and manifest
facts, and the pipeline's own code are all unchanged. Any change to a file of
the `pipeline` package or `schemas` makes a new code version and empties the
cache. Validation and export always run over the whole dataset. The cache is
JSON (plain data that the caller rebuilds), never a pickle: a cache file can
never run code, and a foreign or broken one only costs time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pipeline.files import write_atomic

CACHE_FILE = "documents.json"


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the pipeline's source code: a change of code invalidates every cached result."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted([*root.rglob("*.py"), *(root.parent / "schemas").rglob("*.py")]):
        digest.update(path.relative_to(root.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def document_key(ref: Any, sha256: str) -> tuple:
    return (ref.rel_path, ref.kind, ref.folder_year, ref.url, ref.cred_id, ref.course_id, ref.origin, sha256)


Result = TypeVar("Result")


class ResultCache:
    def __init__(self, folder: Path | None) -> None:
        self.path = folder / CACHE_FILE if folder else None
        self.entries: dict[str, Any] = {}
        self.hits = 0
        if self.path and self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            stored = json.loads(self.path.read_bytes())
            version, entries = stored["version"], stored["entries"]
        except Exception:  # noqa: BLE001 - a broken or foreign cache is only a slower run
            return
        if version == code_version() and isinstance(entries, dict):
            self.entries = entries

    def get(self, key: tuple, rebuild: Callable[[Any], Result]) -> Result | None:
        """The cached result rebuilt from its plain data, or None; an entry that does not rebuild is a miss."""
        found = self.entries.get(_text(key))
        if found is None:
            return None
        try:
            result = rebuild(found)
        except Exception:  # noqa: BLE001 - an entry of another shape (a foreign cache) is only a miss
            return None
        self.hits += 1
        return result

    def save(self, results: dict[tuple, Any]) -> None:
        """Keep exactly this run's results, as plain data (documents gone from raw/ drop out)."""
        if self.path:
            entries = {_text(key): plain for key, plain in results.items()}
            data = json.dumps({"version": code_version(), "entries": entries}, separators=(",", ":"))
            write_atomic(self.path, data.encode("utf-8"))

    def __len__(self) -> int:
        return len(self.entries)


def _text(key: tuple) -> str:
    return json.dumps(key, separators=(",", ":"))
