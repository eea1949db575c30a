"""File helpers shared by every step: atomic writes and the one safe way to replace an output folder.

`extract` replaces only a folder that an earlier `extract` wrote: it leaves
`MARKER` there, and refuses anything else (CONTRACT section 6). The new output
is built in a sibling staging folder and swapped in, so a failed run leaves the
previous output as it was. Staging and retired copies are named with
`STAGING_PREFIX` / `RETIRED_PREFIX` and the writer's pid; one left behind by a
killed run is removed (or, when the output itself is gone, put back) by the
next run.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pipeline.terminal import printable

MARKER = ".nccte-extract"
MARKER_TEXT = (
    "This folder was written by `python -m pipeline extract`.\n"
    "extract replaces a folder only while this file is in it; delete it to protect the folder.\n"
)
REPORT_NAME = "report.html"  # written into an output folder by `report`, from extract's outputs
# What extract and report put in an output folder; anything else there is the user's.
OUTPUT_NAMES = frozenset({MARKER, "csv", "parquet", "summary.json", "datapackage.json", REPORT_NAME})
# What extract keeps in its cache folder (`cache`, `stamp`); `documents.json` is an earlier format's.
STAMP_FILE = "stamp.json"
STATE_FILE = "state.json"
TAGS_FILE = "tags.parquet"
CACHE_LOCK = "extract.lock"  # held by the run that uses the cache
RESULT_FILE = re.compile(r"documents-\d+\.parquet")
_CACHE_NAMES = frozenset({STAMP_FILE, STATE_FILE, TAGS_FILE, CACHE_LOCK, "documents.json"})
STAGING_PREFIX = ".tmp-extract-"
RETIRED_PREFIX = ".old-extract-"
LOCK_PREFIX = ".lock-extract-"  # beside an output folder: `.lock-extract-extracted`, held by its writer


class UsageError(Exception):
    """Input a command cannot start from (no raw folder, no documents, a bad argument); the message says why.

    The message names paths as given: any control character in one is shown escaped, never sent to the terminal.
    """

    def __str__(self) -> str:
        return printable(super().__str__())


class UnsafeOutput(UsageError):
    """An output folder extract must not replace; the message is the one-line reason."""


class Busy(UsageError):
    """A folder another process is writing (or, for a reader, is being written); the message names it."""


def write_atomic(path: Path, data: bytes | Callable[[Path], None]) -> None:
    """Write a file so that readers see the old bytes or the new ones, never a part.

    `data` is the bytes, or a function that writes the file at the path it is given (a large file,
    written piece by piece, need not be held whole in memory).
    """
    with atomic_file(path) as temp:
        if isinstance(data, bytes):
            temp.write_bytes(data)
        else:
            data(temp)


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A new empty file beside `path` for the block to write; it replaces `path` when the block ends, and is
    removed if the block raises: readers see the old bytes or the new ones, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temp)
        # mkstemp makes the file private (0600); keep the old file's mode, or what the umask gives a new one, and
        # always the owner's read and write: an unreadable file written again would stay unreadable for ever.
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
        os.chmod(temp, mode | stat.S_IRUSR | stat.S_IWUSR)
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        if error.errno is None:  # no cause to carry over: rebuilt, it would read `[Errno None] None`
            raise
        raise OSError(error.errno, error.strerror, str(path)) from error  # the file meant, not the temporary one
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def check_output(out: Path, raw: Path) -> None:
    """Raise UnsafeOutput unless `out` is new, empty, or an earlier extract's output away from `raw`."""
    target, raw_root = out.resolve(), raw.resolve()
    if target == raw_root:
        raise UnsafeOutput(f"--out {out} is the raw folder; extract never writes there")
    if raw_root.is_relative_to(target):
        raise UnsafeOutput(f"--out {out} contains the raw folder {raw}; choose a folder of its own")
    if target.is_relative_to(raw_root):
        raise UnsafeOutput(f"--out {out} is inside the raw folder {raw}; it would be read as raw input")
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"--out {out} is an existing file, not a folder")
    if target.is_dir():
        _check_replaceable(out, target)
    else:
        _check_writable(out, _existing_parent(target))


def check_cache(cache: Path, raw: Path, out: Path) -> None:
    """Raise UnsafeOutput unless `cache` is new, empty, or holds only what extract keeps there, away from
    `raw` and `out`: extract writes, replaces and removes files in it."""
    target = cache.resolve()
    for flag, folder in (("--raw", raw), ("--out", out)):
        other = folder.resolve()
        if target == other or target.is_relative_to(other) or other.is_relative_to(target):
            raise UnsafeOutput(f"--cache {cache} overlaps {flag} {folder}; choose a folder of its own")
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"--cache {cache} is an existing file, not a folder")
    if target.is_dir():
        foreign = {entry.name for entry in target.iterdir() if not _in_cache(entry.name)}
        if foreign:
            raise UnsafeOutput(
                f"--cache {cache} holds files extract did not write ({_first(foreign)}); choose a new or empty folder"
            )
    _check_writable(cache, target if target.is_dir() else _existing_parent(target), "--cache")


def _in_cache(name: str) -> bool:
    """A file extract keeps in a cache folder, or one `write_atomic` was writing when a run was killed."""
    written = _being_written(name)
    return written in _CACHE_NAMES or RESULT_FILE.fullmatch(written) is not None


def _being_written(name: str) -> str:
    """The file a `write_atomic` temporary file stands for (`.state.json.k2x9` -> state.json); else the name."""
    return name[1:].rsplit(".", 1)[0] if name.startswith(".") else name


def _check_replaceable(out: Path, target: Path) -> None:
    names = {entry.name for entry in target.iterdir()}
    if names and MARKER not in names:
        raise UnsafeOutput(
            f"--out {out} holds files that extract did not write ({_first(names)}); "
            f"choose a new or empty folder (an output from before {MARKER} markers: add that file)"
        )
    # `.report.html.k2x9`: a `report` killed while it wrote
    foreign = {name for name in names if name not in OUTPUT_NAMES and _being_written(name) not in OUTPUT_NAMES}
    if foreign:
        raise UnsafeOutput(
            f"--out {out} holds files besides extract's outputs ({_first(foreign)}); "
            "move them away or choose another folder"
        )
    if not _writable(target):
        raise UnsafeOutput(f"--out {out} is read-only")
    _check_writable(out, target.parent)


def _check_writable(out: Path, parent: Path, flag: str = "--out") -> None:
    if not parent.is_dir() or not _writable(parent):
        raise UnsafeOutput(f"{flag} {out}: cannot write in {parent}")


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _writable(folder: Path) -> bool:
    # Root may write anywhere; a folder whose owner write bit is off is still meant read-only.
    return os.access(folder, os.W_OK) and bool(folder.stat().st_mode & stat.S_IWUSR)


def _first(names: set[str]) -> str:
    ordered = sorted(names)
    return printable(ordered[0]) + (f" and {len(ordered) - 1} more" if len(ordered) > 1 else "")


# --- one lock for every writer ---------------------------------------------------------------

_held: dict[Path, int] = {}  # lock file -> descriptor, for the locks this process holds
_ATTEMPTS = 5  # a lock file removed by its last holder between our open and our flock: open the new one
# A lock file is opened neither through a link (it is written: the file a link names could be anyone's) nor
# waiting on a FIFO put in its place.
_NEVER_THROUGH = getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK


def output_lock(out: Path) -> Path:
    """The lock file of an output folder: beside it, since the folder itself is swapped for a new one."""
    target = out.resolve()
    return target.parent / f"{LOCK_PREFIX}{target.name}"


@contextmanager
def locked(lock: Path, what: str) -> Iterator[None]:
    """Hold `lock` (an exclusive `flock`) for a writer of `what`; Busy, at once, when another process holds it.

    Nothing waits: a second writer refuses, naming the holder's pid. The lock
    dies with its holder (the kernel releases it, even after `kill -9`), and
    its file is removed when the holder ends (one left by a killed run is taken
    over by the next).
    """
    lock.parent.mkdir(parents=True, exist_ok=True)
    handle = _acquire(lock, what, fcntl.LOCK_EX)
    try:
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        _held[lock] = handle
        yield
    finally:
        _held.pop(lock, None)
        Path(lock).unlink(missing_ok=True)  # before the lock goes: whoever opened this file will see it is gone
        os.close(handle)  # releases the lock (a worker that inherited it has closed its copy: `forget_locks`)


@contextmanager
def reading(folder: Path, what: str) -> Iterator[None]:
    """For a reader of an output folder: Busy when a writer holds its lock; held (shared) while reading.

    No lock file means no writer; none is made (a reader writes nothing).
    """
    handle = _acquire(output_lock(folder), what, fcntl.LOCK_SH, create=False)
    try:
        yield
    finally:
        if handle is not None:
            os.close(handle)


def _acquire(lock: Path, what: str, kind: int, create: bool = True) -> int | None:
    """A descriptor of `lock` holding a `flock` of `kind`, on the file the path names once it is held."""
    for _ in range(_ATTEMPTS):
        try:
            flags = os.O_RDWR | os.O_CREAT if create else os.O_RDONLY
            handle = os.open(lock, flags | os.O_CLOEXEC | _NEVER_THROUGH, 0o666 & ~_umask())
        except FileNotFoundError:
            if create:
                raise
            return None
        except OSError as error:
            kind = {errno.ELOOP: "a link", errno.EISDIR: "a folder"}.get(error.errno)
            if kind is None:
                raise
            raise UnsafeOutput(f"{what}: its lock file {lock} is {kind}; nothing was done (remove it)") from None
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            os.close(handle)
            raise UnsafeOutput(f"{what}: its lock file {lock} is {file_kind(mode)}; nothing was done (remove it)")
        try:
            fcntl.flock(handle, kind | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            os.close(handle)
            raise Busy(
                f"{what} is in use by another nccte run{holder}; nothing was done (run it again when that one ends)"
            ) from None
        except BaseException:
            os.close(handle)
            raise
        if _same_file(handle, lock):
            return handle
        os.close(handle)  # its holder removed it as it ended: take the file that is there now
    raise Busy(f"{what}: its lock file {lock} keeps changing; nothing was done")


def _same_file(handle: int, path: Path) -> bool:
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(handle)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def _holder(handle: int) -> str:
    """` (pid N)` of the writer that holds the lock; empty when it is a reader (the pid is a past writer's)."""
    try:
        text = os.pread(handle, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {text})" if text.isdigit() and _writer_alive(text) else ""


def forget_locks() -> None:
    """In a forked worker: close the parent's lock descriptors, so that a lock never outlives its holder."""
    for handle in _held.values():
        try:
            os.close(handle)
        except OSError:
            pass
    _held.clear()


def clean_cache(cache: Path) -> list[Path]:
    """Files `write_atomic` was writing in the cache when a run was killed (`.state.json.k2x9`); hold its lock."""
    removed = []
    for entry in cache.iterdir() if cache.is_dir() else []:
        if entry.name.startswith(".") and _in_cache(entry.name) and entry.is_file() and not entry.is_symlink():
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def replace_folder(out: Path, fill: Callable[[Path], None]) -> None:
    """Build a new `out` with `fill(staging)` and swap it in; on any failure keep the old `out`.

    Call `check_output` first: this replaces whatever is at `out`.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    mode = stat.S_IMODE(out.stat().st_mode) if out.is_dir() else 0o777 & ~_umask()
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{out.name}-{os.getpid()}-", dir=out.parent))
    try:
        (staging / MARKER).write_text(MARKER_TEXT)
        fill(staging)
        os.chmod(staging, mode)
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    retired = out.with_name(f"{RETIRED_PREFIX}{out.name}-{os.getpid()}-{staging.name.rsplit('-', 1)[-1]}")
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(retired, out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def clean_leftovers(out: Path) -> list[Path]:
    """Remove staging and retired copies of `out` left by a killed run; restore `out` if it is gone."""
    removed = []
    for prefix in (RETIRED_PREFIX, STAGING_PREFIX):
        for path in sorted(out.parent.glob(f"{prefix}{out.name}-*")):
            suffix = _COPY_SUFFIX.fullmatch(path.name[len(prefix) + len(out.name) + 1 :])
            if suffix is None or not _ours(path) or _writer_alive(suffix.group(1)):
                continue  # another folder's copy (`out-2`), the user's, or a live writer's
            if prefix == RETIRED_PREFIX and not out.exists():
                os.replace(path, out)  # killed between the two renames: the old output comes back
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _ours(path: Path) -> bool:
    """A copy extract made: it holds the marker, or (killed before writing it) nothing but extract's outputs."""
    if not path.is_dir() or path.is_symlink():
        return False
    return (path / MARKER).is_file() or all(entry.name in OUTPUT_NAMES for entry in path.iterdir())


_COPY_SUFFIX = re.compile(r"(\d+)-[a-z0-9_]+")  # `<pid>-<mkdtemp's random letters>` after `<prefix><name>-`


def _writer_alive(pid: str) -> bool:
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --- reading what raw/ holds ------------------------------------------------------------------

_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, for a cause (`a FIFO`)."""
    return next((name for test, name in _FILE_KINDS if test(mode)), "a folder" if stat.S_ISDIR(mode) else "special")


def require_regular(mode: int, path: str | Path) -> None:
    """Raise OSError naming `path` (`a FIFO, not a regular file`) unless `mode` is a regular file's."""
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, f"{file_kind(mode)}, not a regular file", str(path))


def open_regular(path: str | Path) -> BinaryIO:
    """A regular file opened for reading (links followed), never blocking on what is not one: a FIFO, a socket
    or a device under raw/ raises OSError (`a FIFO, not a regular file`) instead of hanging the run."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(path, flags)
    try:
        require_regular(os.fstat(handle).st_mode, path)
        os.set_blocking(handle, True)
        return os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise


def walk(root: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """As `os.walk(root)` (links not followed, unreadable folders left out), without recursion: a folder
    nested thousands deep is walked like any other."""
    pending = [str(root)]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        folders, names = [], []
        for entry in entries:
            try:
                (folders if entry.is_dir(follow_symlinks=False) else names).append(entry.name)
            except OSError:
                names.append(entry.name)
        yield folder, folders, names
        pending += [os.path.join(folder, name) for name in reversed(folders)]
