"""Nothing changed, nothing done: a stamp of everything an extract read and wrote.

After a run, `record` keeps, in the cache folder, every file under raw/ (path,
what `os.lstat` said of it, and the sha256 the run's outputs reflect), the
pipeline's code version, and every file it wrote. Before the next run,
`unchanged` compares the tree with the stamp, so a re-run where nothing
changed stops before pandas is even imported. This module imports only the
standard library and `files`.

What a stat says of a file (`Seen`): size, mtime, ctime and inode, and for a
link the same of the file it points to. ctime moves with every write, chmod,
rename over it and `touch -d`, none of which a user can set back; the inode
changes when a file is replaced. A stat is stamped only when the run observed
it before reading the file and again after writing its outputs, unchanged, and
it is not *racy*: a file changed in the same clock tick as the run started
could change again without its stat moving (as git's racy-clean entries). An
entry stamped without a stat is compared by content next time; one without a
hash (a file that moved while it was read, and whose bytes the run did not
hash) is a change.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.files import REPORT_NAME, STAMP_FILE, open_regular, walk, write_atomic

_VERSION = 2

Seen = tuple[int, ...]  # size, mtime_ns, ctime_ns, inode; a link's own, then its target's
_FINE_TICK = 100_000_000  # ns: a coarse kernel clock lags by a jiffy (at most 10 ms); a margin of ten
_COARSE_TICK = 2_000_000_000  # ns: file systems that keep whole seconds (HFS+, ext3, NFS), or two (FAT)


def _code_version() -> str:
    """The pipeline's source, as cache.code_version hashes it (imported lazily: cache imports nothing heavy)."""
    from pipeline.cache import code_version

    return code_version()


def seen(path: str | Path) -> Seen | None:
    """What a stat says of the file at `path` (a link's and its target's), or None when it is gone."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    own = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    if not stat.S_ISLNK(info.st_mode):
        return own
    try:
        target = os.stat(path)
    except OSError:
        return own  # a link to nothing
    return (*own, target.st_size, target.st_mtime_ns, target.st_ctime_ns, target.st_ino)


def _tree(root: Path) -> dict[str, Seen]:
    """Every file under root (links to folders not followed): relative path -> what its stat says."""
    found = {}
    top = len(str(root)) + 1
    for folder, _, names in walk(root):
        inside = folder[top:].replace(os.sep, "/")
        for name in names:
            info = seen(os.path.join(folder, name))
            if info is not None:
                found[f"{inside}/{name}" if inside else name] = info
    return found


def _outputs(out: Path) -> dict[str, Seen]:
    """Extract's outputs: the folder's files but the report, which `report` writes from them afterwards."""
    return {rel: info for rel, info in _tree(out).items() if rel != REPORT_NAME}


def _sha256(path: str | Path) -> str:
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


@dataclass(frozen=True)
class Tree:
    """raw/ as a walk found it before anything was read, and when the walk began."""

    files: dict[str, Seen]
    started_ns: int = field(default_factory=time.time_ns)


def inputs(raw: Path) -> Tree:
    """Every file under raw/ now. Walked once per run, before any file is read."""
    started = time.time_ns()
    return Tree(_tree(raw), started)


def racy(info: Seen, started_ns: int) -> bool:
    """Whether a change to the file after the run read it could leave its stat as it was.

    A write stamps ctime from the kernel's coarse clock, in the file system's
    granularity: a file whose ctime falls within a tick of the run's start may
    be written again within the same tick. Whole-second ctimes mean a
    file system that keeps seconds.
    """
    changes = info[2::4]  # the ctime of the file, and of a link's target
    tick = _COARSE_TICK if any(ctime % 1_000_000_000 == 0 for ctime in changes) else _FINE_TICK
    return max(changes) >= started_ns - tick


def record(
    cache_dir: Path,
    raw: Path,
    out: Path,
    tree: Tree,
    hashes: dict[str, str] | None = None,
    untrusted: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Stamp this run's inputs and outputs, after the outputs were written.

    `tree` is raw/ as walked before the run read anything; `hashes` the sha256
    each document's results came from (what the outputs reflect); `untrusted`
    the files whose stat must not vouch for them next time (a read that failed
    for a cause that may pass). Every file is looked at again now: a stat that
    moved since the walk, or a racy one, is not stamped; a file the run did not
    hash (the manifest) is hashed now only if its stat did not move.
    """
    hashes = hashes or {}
    entries = {}
    root = str(raw)  # joined as text: a Path object for each of 27,000 files cost a third of stamping them
    for rel, before in tree.files.items():
        path = os.path.join(root, rel)
        steady = seen(path) == before and not racy(before, tree.started_ns)
        digest = hashes.get(rel)
        if digest is None and steady:
            digest = _hash_or_none(path)
        entries[rel] = [list(before) if steady and rel not in untrusted else None, digest]
    stamp = {
        "version": _VERSION,
        "code": _code_version(),
        "raw": str(raw.resolve()),
        "out": str(out.resolve()),
        "inputs": entries,
        "outputs": {rel: list(info) for rel, info in _outputs(out).items()},
    }
    write_atomic(cache_dir / STAMP_FILE, json.dumps(stamp, sort_keys=True).encode("utf-8"))


def _hash_or_none(path: str | Path) -> str | None:
    try:
        return _sha256(path)
    except OSError:
        return None  # unreadable now: no content to vouch for it next time


def last(cache_dir: Path | None, raw: Path, out: Path) -> dict | None:
    """The stamp of the last run from `raw` to `out`, or None (none, of another shape, or of another run)."""
    if cache_dir is None:
        return None
    try:
        with open_regular(cache_dir / STAMP_FILE) as handle:  # a FIFO there would never answer
            stamp = json.loads(handle.read().decode("utf-8"))
        if stamp.get("version") != _VERSION or (stamp["raw"], stamp["out"]) != (str(raw.resolve()), str(out.resolve())):
            return None
        if not isinstance(stamp["code"], str) or not isinstance(stamp["inputs"], dict):
            return None
        outputs = stamp["outputs"]
        if not isinstance(outputs, dict) or not all(isinstance(info, list) for info in outputs.values()):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):  # nested past Python's stack
        return None
    return stamp


def _entry(stamp: dict, rel: str) -> tuple[Seen | None, str | None]:
    """A stamped input's (stat, sha256); (None, None) when it is not there or of another shape."""
    entry = stamp["inputs"].get(rel)
    if not isinstance(entry, list) or len(entry) != 2:
        return None, None
    info, digest = entry
    info = tuple(info) if isinstance(info, list) and all(type(n) is int for n in info) else None
    return info, digest if isinstance(digest, str) else None


def known_hashes(stamp: dict | None, tree: Tree) -> dict[str, str]:
    """Input files whose stat is as stamped -> their stamped sha256 (they need not be read)."""
    if stamp is None:
        return {}
    known = {}
    for rel, info in tree.files.items():
        stamped, digest = _entry(stamp, rel)
        if stamped == info and digest is not None:
            known[rel] = digest
    return known


def outputs_unchanged(stamp: dict | None, out: Path) -> bool:
    """True when `out` holds exactly the files the stamped run wrote there, as it wrote them."""
    return stamp is not None and {rel: tuple(info) for rel, info in stamp["outputs"].items()} == _outputs(out)


@dataclass(frozen=True)
class Look:
    """What a look at raw/ and the stamp found, before any run: an extract that follows reuses it."""

    stamp: dict | None  # the last run's stamp, None when there is none usable
    tree: Tree  # raw/ as it is now
    unchanged: int | None  # the number of input files when nothing changed since the stamp; None when anything did


def look(cache_dir: Path, raw: Path, out: Path) -> Look:
    """Read the stamp and raw/ once: whether nothing changed, and what a run needs of both."""
    stamp, tree = last(cache_dir, raw, out), inputs(raw)
    return Look(stamp, tree, _unchanged(stamp, tree, raw, out))


def unchanged(cache_dir: Path, raw: Path, out: Path) -> int | None:
    """The number of input files when nothing changed since the stamped run; None when anything did."""
    return look(cache_dir, raw, out).unchanged


def _unchanged(stamp: dict | None, tree: Tree, raw: Path, out: Path) -> int | None:
    if stamp is None or not outputs_unchanged(stamp, out):
        return None
    if tree.files.keys() != stamp["inputs"].keys():
        return None
    inputs_ = stamp["inputs"]
    for rel, info in tree.files.items():
        entry = inputs_[rel]
        if type(entry) is list and len(entry) == 2 and entry[0] == list(info):
            continue  # as stamped (the common case, kept short: 9,000 files are looked at before every run)
        stamped, digest = _entry(stamp, rel)
        if stamped == info:
            continue
        if digest is None or (stamped is not None and stamped[0] != info[0]):
            return None  # nothing to compare with, or another size
        if _hash_or_none(raw / rel) != digest:
            return None
    if stamp["code"] != _code_version():
        return None
    return len(tree.files)
