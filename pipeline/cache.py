"""Per-document results kept between runs, so unchanged documents are not parsed again.

A result is reused when the document's bytes (sha256), its place and manifest
facts, and the pipeline's own code are all unchanged. Any change to a file of
the `pipeline` package or `schemas` makes a new code version and empties the
cache. Validation and export always run over the whole dataset.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.files import write_atomic

CACHE_FILE = "documents.pickle"


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


class ResultCache:
    def __init__(self, folder: Path | None) -> None:
        self.path = folder / CACHE_FILE if folder else None
        self.entries: dict[tuple, Any] = {}
        self.hits = 0
        if self.path and self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            with self.path.open("rb") as handle:
                version, entries = pickle.load(handle)
        except Exception:  # noqa: BLE001 - a broken or foreign cache is only a slower run
            return
        if version == code_version() and isinstance(entries, dict):
            self.entries = entries

    def get(self, key: tuple, expected: type) -> Any | None:
        """The cached result, or None; an entry that is not an `expected` (a foreign cache) is a miss."""
        found = self.entries.get(key)
        if not isinstance(found, expected):
            return None
        self.hits += 1
        return found

    def save(self, results: dict[tuple, Any]) -> None:
        """Keep exactly this run's results (documents gone from raw/ drop out)."""
        if self.path:
            write_atomic(self.path, pickle.dumps((code_version(), results), protocol=pickle.HIGHEST_PROTOCOL))
