"""Nothing changed, nothing done: a stamp of everything an extract read and wrote.

After a run, `record` keeps, in the cache folder, every file under raw/ (path,
size, mtime and sha256), the pipeline's code version, and every file it wrote.
Before the next run, `unchanged` compares the tree with the stamp (a file whose
size and mtime match is the same; one whose mtime alone moved is hashed and
compared), so a re-run where nothing changed stops before pandas is even
imported. This module imports only the standard library and `files`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.files import REPORT_NAME, STAMP_FILE, open_regular, walk, write_atomic

_VERSION = 1


def _code_version() -> str:
    """The pipeline's source, as cache.code_version hashes it (imported lazily: cache imports nothing heavy)."""
    from pipeline.cache import code_version

    return code_version()


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root (links not followed): relative path -> (size, mtime in ns)."""
    found = {}
    top = len(str(root)) + 1
    for folder, _, names in walk(root):
        inside = folder[top:].replace(os.sep, "/")
        for name in names:
            try:
                info = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            found[f"{inside}/{name}" if inside else name] = (info.st_size, info.st_mtime_ns)
    return found


def _outputs(out: Path) -> dict[str, tuple[int, int]]:
    """Extract's outputs: the folder's files but the report, which `report` writes from them afterwards."""
    return {rel: info for rel, info in _tree(out).items() if rel != REPORT_NAME}


def _sha256(path: Path) -> str:
    """The file's hash; empty for what is not a readable regular file (a FIFO, a link loop, a file gone)."""
    digest = hashlib.sha256()
    try:
        handle = open_regular(path)
    except OSError:
        return ""
    with handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def inputs(raw: Path) -> dict[str, tuple[int, int]]:
    """Every file under raw/ now: relative path -> (size, mtime in ns). Read once per run, stamped as read."""
    return _tree(raw)


def record(
    cache_dir: Path, raw: Path, out: Path, tree: dict[str, tuple[int, int]], known: dict[str, str] | None = None
) -> None:
    """Stamp this run's inputs (`tree`, as read at its start) and outputs, after the outputs were written.

    `known` hashes need no new read.
    """
    known = known or {}
    stamp = {
        "version": _VERSION,
        "code": _code_version(),
        "raw": str(raw.resolve()),
        "out": str(out.resolve()),
        "inputs": {rel: [size, mtime, known.get(rel) or _sha256(raw / rel)] for rel, (size, mtime) in tree.items()},
        "outputs": {rel: list(info) for rel, info in _outputs(out).items()},
    }
    write_atomic(cache_dir / STAMP_FILE, json.dumps(stamp, sort_keys=True).encode("utf-8"))


def last(cache_dir: Path | None, raw: Path, out: Path) -> dict | None:
    """The stamp of the last run from `raw` to `out`, or None (none, of another shape, or of another run)."""
    if cache_dir is None:
        return None
    try:
        stamp = json.loads((cache_dir / STAMP_FILE).read_text(encoding="utf-8"))
        if stamp.get("version") != _VERSION or (stamp["raw"], stamp["out"]) != (str(raw.resolve()), str(out.resolve())):
            return None
        if not isinstance(stamp["inputs"], dict) or not isinstance(stamp["outputs"], dict):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return stamp


def known_hashes(stamp: dict | None, tree: dict[str, tuple[int, int]]) -> dict[str, str]:
    """Input files whose size and mtime are as stamped -> their stamped sha256 (they need not be read)."""
    if stamp is None:
        return {}
    known = {}
    for rel, info in tree.items():
        stamped = stamp["inputs"].get(rel)
        if isinstance(stamped, list) and len(stamped) == 3 and tuple(stamped[:2]) == info:
            known[rel] = stamped[2]
    return known


def outputs_unchanged(stamp: dict | None, out: Path) -> bool:
    """True when `out` holds exactly the files the stamped run wrote there, as it wrote them."""
    return stamp is not None and {rel: tuple(info) for rel, info in stamp["outputs"].items()} == _outputs(out)


@dataclass(frozen=True)
class Look:
    """What a look at raw/ and the stamp found, before any run: an extract that follows reuses it."""

    stamp: dict | None  # the last run's stamp, None when there is none usable
    tree: dict[str, tuple[int, int]]  # raw/ as it is now
    unchanged: int | None  # the number of input files when nothing changed since the stamp; None when anything did


def look(cache_dir: Path, raw: Path, out: Path) -> Look:
    """Read the stamp and raw/ once: whether nothing changed, and what a run needs of both."""
    stamp, tree = last(cache_dir, raw, out), _tree(raw)
    return Look(stamp, tree, _unchanged(stamp, tree, raw, out))


def unchanged(cache_dir: Path, raw: Path, out: Path) -> int | None:
    """The number of input files when nothing changed since the stamped run; None when anything did."""
    return look(cache_dir, raw, out).unchanged


def _unchanged(stamp: dict | None, tree: dict[str, tuple[int, int]], raw: Path, out: Path) -> int | None:
    if stamp is None or not outputs_unchanged(stamp, out):
        return None
    inputs_ = stamp["inputs"]
    if tree.keys() != inputs_.keys():
        return None
    try:
        for rel, (size, mtime) in tree.items():
            stamped_size, stamped_mtime, stamped_hash = inputs_[rel]
            if size != stamped_size or (mtime != stamped_mtime and _sha256(raw / rel) != stamped_hash):
                return None
    except (OSError, ValueError, TypeError):
        return None  # an entry of another shape: a full run decides
    if stamp["code"] != _code_version():
        return None
    return len(tree)
