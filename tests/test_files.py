"""pipeline/files.py in process: atomic writes, what a cache folder may hold, the copies a killed run leaves,
opening only regular files, walking a tree without recursion. Trees are made in tmp_path; every expected value
is written by hand."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from pipeline import files


@pytest.mark.parametrize(
    "name, kept",
    [
        ("stamp.json", True),
        ("state.json", True),
        ("tags.parquet", True),
        ("extract.lock", True),
        ("documents.json", True),  # an earlier format's
        ("documents-12.parquet", True),
        (".state.json.k2x9_a", True),  # write_atomic's temporary file for state.json
        (".documents-3.parquet.x1", True),
        ("documents-.parquet", False),
        ("documents-12.parquet.bak", False),
        ("notes.txt", False),
        (".notes.txt.k2x9", False),
        ("stamp.json.k2x9", False),  # not hidden: no temporary file of ours
    ],
)
def test_a_cache_folder_holds_only_what_extract_keeps_there_or_was_writing(name, kept):
    assert files._in_cache(name) is kept


@pytest.mark.parametrize(
    "names, shown",
    [({"b.txt"}, "b.txt"), ({"b.txt", "a.txt", "c.txt"}, "a.txt and 2 more"), ({"x\x1by"}, "x\\x1by")],
)
def test_the_first_foreign_file_is_named_in_order_with_how_many_more(names, shown):
    assert files._first(names) == shown


def test_a_file_written_atomically_replaces_the_old_bytes_and_keeps_its_mode(tmp_path):
    path = tmp_path / "deep" / "table.csv"
    files.write_atomic(path, b"old")
    os.chmod(path, 0o640)
    files.write_atomic(path, lambda temp: temp.write_bytes(b"new"))
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["table.csv"]


@pytest.mark.parametrize("old, new", [(0o000, 0o600), (0o400, 0o600), (0o204, 0o604), (0o755, 0o755)])
def test_a_file_written_again_is_always_its_owners_to_read_and_write(tmp_path, old, new):
    """A file made unreadable (mode 000) and written again would stay unreadable for ever: the owner's read and
    write are added to the mode kept."""
    path = tmp_path / "state.json"
    files.write_atomic(path, b"old")
    os.chmod(path, old)
    files.write_atomic(path, b"new")
    assert stat.S_IMODE(path.stat().st_mode) == new


def test_a_write_that_fails_names_the_file_meant_not_the_temporary_one(tmp_path):
    import errno

    def full(temp):
        raise OSError(errno.ENOSPC, "No space left on device", str(temp))

    with pytest.raises(OSError) as raised:
        files.write_atomic(tmp_path / "state.json", full)
    assert (raised.value.errno, raised.value.strerror, raised.value.filename) == (
        errno.ENOSPC,
        "No space left on device",
        str(tmp_path / "state.json"),
    )
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_fails_without_an_errno_keeps_its_message(tmp_path):
    """An OSError with no errno (pyarrow raises them) has nothing to carry over to the file meant: rebuilt, it
    would read `[Errno None] None`. It is raised as it came, and nothing is left behind."""

    def broken(temp):
        raise OSError("Parquet writer: column chunk too large")

    with pytest.raises(OSError) as raised:
        files.write_atomic(tmp_path / "tags.parquet", broken)
    assert str(raised.value) == "Parquet writer: column chunk too large"
    assert list(tmp_path.iterdir()) == []


def test_a_new_file_takes_the_mode_the_umask_gives(tmp_path):
    old = os.umask(0o027)
    try:
        files.write_atomic(tmp_path / "new.csv", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640  # 0o666 less 0o027


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "table.csv"
    path.write_bytes(b"old")

    def fail(temp):
        temp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(path, fail)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_cleaning_a_cache_removes_only_the_temporary_files_of_what_it_keeps(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    for name in ("stamp.json", ".stamp.json.ab12", ".documents-1.parquet.zz", ".notes.txt.ab12", "documents-1.parquet"):
        (cache / name).write_text("x")
    (cache / ".state.json.dir").mkdir()  # a folder is never a temporary file of ours
    (cache / ".tags.parquet.link").symlink_to(tmp_path / "elsewhere")
    removed = files.clean_cache(cache)
    assert sorted(p.name for p in removed) == [".documents-1.parquet.zz", ".stamp.json.ab12"]
    assert sorted(p.name for p in cache.iterdir()) == [
        ".notes.txt.ab12",
        ".state.json.dir",
        ".tags.parquet.link",
        "documents-1.parquet",
        "stamp.json",
    ]
    assert files.clean_cache(tmp_path / "missing") == []


@pytest.mark.parametrize(
    "entries, ours",
    [
        ({files.MARKER: "m", "notes.txt": "x"}, True),  # marked: ours whatever it holds
        ({"csv": None, "summary.json": "{}"}, True),  # killed before the marker: only outputs
        ({}, True),
        ({"csv": None, "notes.txt": "x"}, False),
    ],
    ids=["marked", "outputs only", "empty", "a user's file"],
)
def test_a_copy_is_extract_s_when_it_holds_the_marker_or_nothing_but_outputs(tmp_path, entries, ours):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name, text in entries.items():
        (copy / name).mkdir() if text is None else (copy / name).write_text(text)
    assert files._ours(copy) is ours


def test_a_link_or_a_file_is_never_a_copy_of_ours(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / files.MARKER).write_text("m")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "file").write_text("x")
    assert (files._ours(tmp_path / "real"), files._ours(tmp_path / "link"), files._ours(tmp_path / "file")) == (
        True,
        False,
        False,
    )


def test_a_writer_is_alive_unless_it_is_this_process_or_gone():
    assert files._writer_alive(str(os.getpid())) is False  # our own copies are ours to clean
    assert files._writer_alive("4194304") is False  # above Linux's pid_max: no such process


@pytest.mark.skipif(sys.platform != "linux", reason="FIFOs and /dev as on Linux")
def test_only_a_regular_file_is_opened_and_anything_else_says_what_it_is(tmp_path):
    (tmp_path / "page.html").write_bytes(b"<p>x</p>")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "page.html")
    with files.open_regular(tmp_path / "link") as handle:  # a link to a file is followed
        assert handle.read() == b"<p>x</p>"
    for path, kind in ((tmp_path / "pipe", "a FIFO"), (tmp_path / "folder", "a folder"), ("/dev/null", "a device")):
        with pytest.raises(OSError, match=f"^\\[Errno 22\\] {kind}, not a regular file: '{path}'$"):
            files.open_regular(path)


@pytest.mark.parametrize(
    "mode, kind",
    [
        (stat.S_IFIFO, "a FIFO"),
        (stat.S_IFSOCK, "a socket"),
        (stat.S_IFCHR, "a device"),
        (stat.S_IFBLK, "a device"),
        (stat.S_IFDIR, "a folder"),
        (stat.S_IFLNK, "special"),
    ],
)
def test_a_file_that_is_not_regular_is_named_by_its_kind(mode, kind):
    assert files.file_kind(mode) == kind


def test_a_tree_is_walked_folder_before_its_subfolders_in_listing_order_without_following_links(tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    (tmp_path / "top.txt").write_text("x")
    (tmp_path / "a" / "one.txt").write_text("x")
    (tmp_path / "a" / "deep" / "two.txt").write_text("x")
    (tmp_path / "to_a").symlink_to(tmp_path / "a")  # a link to a folder is a name, not a folder to enter
    walked = [
        (os.path.relpath(folder, tmp_path), sorted(folders), sorted(names))
        for folder, folders, names in files.walk(tmp_path)
    ]
    assert walked[0] == (".", ["a", "b"], ["to_a", "top.txt"])
    assert sorted(walked[1:]) == [("a", ["deep"], ["one.txt"]), ("a/deep", [], ["two.txt"]), ("b", [], [])]
    assert [w[0] for w in walked].index("a") < [w[0] for w in walked].index("a/deep")
    assert list(files.walk(tmp_path / "missing")) == []  # a folder that cannot be listed is left out


@pytest.fixture
def read_only(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)  # the owner's write bit off: read-only, even for root
    yield folder
    folder.chmod(0o755)


def test_a_folder_that_cannot_be_written_in_is_refused_by_name_and_flag(tmp_path, read_only):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    cases = [
        (
            lambda: files.check_output(read_only / "a" / "out", raw),
            f"--out {read_only}/a/out: cannot write in {read_only}",
        ),
        (
            lambda: files.check_cache(read_only / "cache", raw, out),
            f"--cache {read_only}/cache: cannot write in {read_only}",
        ),
    ]
    (read_only.parent / "marked").mkdir()
    for check, message in cases:
        with pytest.raises(files.UnsafeOutput) as refused:
            check()
        assert str(refused.value) == message


def test_an_output_of_ours_in_a_folder_that_cannot_be_written_in_is_refused(tmp_path):
    parent = tmp_path / "parent"
    (parent / "out").mkdir(parents=True)
    (parent / "out" / files.MARKER).write_text("m")
    parent.chmod(0o555)
    try:
        with pytest.raises(files.UnsafeOutput, match=f"^--out {parent}/out: cannot write in {parent}$"):
            files.check_output(parent / "out", tmp_path / "raw")
    finally:
        parent.chmod(0o755)


def test_a_new_cache_folder_in_a_writable_folder_is_accepted(tmp_path):
    files.check_cache(tmp_path / "new" / "cache", tmp_path / "raw", tmp_path / "out")  # nothing raised


def test_an_output_with_a_user_s_file_beside_the_marker_says_to_move_it(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / files.MARKER).write_text("m")
    (out / "notes.txt").write_text("mine")
    with pytest.raises(files.UnsafeOutput) as refused:
        files.check_output(out, tmp_path / "raw")
    assert str(refused.value) == (
        f"--out {out} holds files besides extract's outputs (notes.txt); move them away or choose another folder"
    )


def test_two_foreign_files_are_named_as_the_first_and_one_more():
    assert files._first({"b.txt", "a.txt"}) == "a.txt and 1 more"


def test_a_new_output_folder_is_built_in_a_staging_copy_beside_it_with_the_umask_s_mode(tmp_path):
    out = tmp_path / "a" / "b" / "out"
    seen = []

    def fill(staging):
        seen.append((staging.parent, staging.name))
        (staging / "summary.json").write_text("{}")

    old = os.umask(0o027)
    try:
        files.replace_folder(out, fill)
    finally:
        os.umask(old)
    assert seen[0][0] == out.parent and seen[0][1].startswith(f".tmp-extract-out-{os.getpid()}-")
    assert sorted(p.name for p in out.iterdir()) == [files.MARKER, "summary.json"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o750  # 0o777 less 0o027
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]


def test_the_old_output_is_retired_under_the_staging_copy_s_letters_and_put_back_if_the_swap_fails(
    tmp_path, monkeypatch
):
    import shutil

    out, staging = tmp_path / "out", tmp_path / f".tmp-extract-out-{os.getpid()}-ab_9"
    retired = tmp_path / f".old-extract-out-{os.getpid()}-ab_9"
    out.mkdir()
    (out / "old.txt").write_text("old")
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    real_rmtree = shutil.rmtree
    monkeypatch.setattr(files.shutil, "rmtree", lambda *args, **kwargs: None)  # keep the retired copy to look at
    files._swap_in(staging, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [retired.name, "out"]
    assert [p.name for p in out.iterdir()] == ["new.txt"] and [p.name for p in retired.iterdir()] == ["old.txt"]
    real_rmtree(retired)
    real_replace, calls = os.replace, []

    def second_fails(source, target):
        calls.append(Path(source).name)
        if len(calls) == 2:
            raise OSError("disk gone")
        real_replace(source, target)

    staging.mkdir()
    monkeypatch.setattr(files.os, "replace", second_fails)
    with pytest.raises(OSError, match="disk gone"):
        files._swap_in(staging, out)
    assert calls == ["out", staging.name, retired.name]
    assert [p.name for p in out.iterdir()] == ["new.txt"]  # the output before the failed swap, back in place


def test_a_leftover_that_is_not_ours_does_not_stop_the_cleaning_of_the_next(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    users = tmp_path / ".old-extract-out-1-aa"  # the user's: a file of theirs in it
    users.mkdir()
    (users / "notes.txt").write_text("mine")
    ours = tmp_path / ".old-extract-out-4194304-bb"  # a dead writer's copy
    ours.mkdir()
    (ours / files.MARKER).write_text("m")
    assert files.clean_leftovers(out) == [ours]
    assert users.exists() and not ours.exists()


def test_asking_whether_a_writer_is_alive_sends_it_no_signal(monkeypatch):
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert files._writer_alive(str(child.pid)) is True
        with pytest.raises(subprocess.TimeoutExpired):  # still running: signal 0 only asks
            child.wait(timeout=1)
    finally:
        child.kill()
        child.wait()

    def refused(pid, signal):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "kill", refused)
    assert files._writer_alive("12345") is True  # another user's process: alive


def test_a_folder_that_cannot_be_listed_is_left_out_and_the_walk_goes_on(tmp_path, monkeypatch):
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.txt").write_text("x")
    real_scandir, refused = os.scandir, []

    def scandir(folder):
        if folder != str(tmp_path) and not refused:  # the first subfolder the walk enters cannot be listed
            refused.append(os.path.basename(folder))
            raise PermissionError(13, "Permission denied", folder)
        return real_scandir(folder)

    monkeypatch.setattr(files.os, "scandir", scandir)
    walked = sorted(os.path.relpath(folder, tmp_path) for folder, _, _ in files.walk(tmp_path))
    assert walked == sorted({".", "a", "b", "c"} - set(refused)) and len(walked) == 3


def test_an_output_gone_between_the_two_renames_comes_back_and_the_other_retired_copies_go(tmp_path):
    out = tmp_path / "out"  # gone: a run was killed after retiring it
    for letters in ("aa", "bb"):
        copy = tmp_path / f".old-extract-out-4194304-{letters}"
        copy.mkdir()
        (copy / files.MARKER).write_text(letters)
    assert files.clean_leftovers(out) == [tmp_path / ".old-extract-out-4194304-bb"]
    assert (out / files.MARKER).read_text() == "aa"  # the first, in name order, is put back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _holding(lock: Path, kind: str, text: str):
    """Another process holding `lock` (`flock` of `kind`, EX or SH), the file holding `text`; it says when."""
    import subprocess

    code = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
        f"fcntl.flock(fd, fcntl.LOCK_{kind})\n"
        f"os.pwrite(fd, {text!r}.replace('PID', str(os.getpid())).encode(), 0)\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline() == "held\n"
    return child


@pytest.mark.skipif(sys.platform != "linux", reason="flock as on Linux")
@pytest.mark.parametrize(
    "kind, text, named",
    [("EX", "PID\n", True), ("SH", "4194304\n", False), ("EX", "12ab\n", False), ("EX", "\xff", False)],
    ids=["a writer", "a reader, a past writer's pid", "no pid", "not text"],
)
def test_a_second_writer_refuses_at_once_naming_the_holder_only_when_it_is_a_live_writer(tmp_path, kind, text, named):
    lock = tmp_path / ".lock-extract-extracted"
    child = _holding(lock, kind, text)
    try:
        with pytest.raises(files.Busy) as refused:
            with files.locked(lock, "extracted"):
                pass
        holder = f" (pid {child.pid})" if named else ""
        assert str(refused.value) == (
            f"extracted is in use by another nccte run{holder}; nothing was done (run it again when that one ends)"
        )
    finally:
        child.kill()
        child.wait()
    assert lock.exists()  # the holder's file is not ours to remove


@pytest.mark.skipif(sys.platform != "linux", reason="flock as on Linux")
def test_a_writer_s_lock_file_holds_its_pid_while_it_writes_and_is_gone_after(tmp_path):
    lock = tmp_path / "cache" / "extract.lock"
    old = os.umask(0o022)
    try:
        with files.locked(lock, "the cache"):
            assert lock.read_text() == f"{os.getpid()}\n"
            assert stat.S_IMODE(lock.stat().st_mode) == 0o644  # 0o666 less the umask's 0o022
    finally:
        os.umask(old)
    assert not lock.exists()
    with files.reading(tmp_path / "out", "out"):  # no writer, no lock file: nothing made
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]


@pytest.mark.skipif(sys.platform != "linux", reason="O_NOFOLLOW and FIFOs as on Linux")
@pytest.mark.parametrize("made", ["a link to the user's file", "a link to nothing", "a FIFO", "a folder"])
def test_a_lock_file_that_is_a_link_or_a_fifo_is_refused_naming_it_and_nothing_is_written(tmp_path, made):
    """A lock file is written (its holder's pid): through a link it would overwrite whatever file the link names;
    a FIFO would hold the run for ever. Both are refused at once, naming the lock, and left as they were."""
    lock = tmp_path / "cache" / "extract.lock"
    lock.parent.mkdir()
    mine = tmp_path / "notes.txt"
    mine.write_bytes(b"the user's notes\n")
    if made == "a FIFO":
        os.mkfifo(lock)
    elif made == "a folder":
        lock.mkdir()
    else:
        lock.symlink_to(mine if made == "a link to the user's file" else tmp_path / "nothing")
    kind = made if made in ("a FIFO", "a folder") else "a link"
    with pytest.raises(files.UnsafeOutput, match=f"^--cache cache: its lock file {lock} is {kind}; nothing was done"):
        with files.locked(lock, "--cache cache"):
            pytest.fail("the lock was taken")
    assert mine.read_bytes() == b"the user's notes\n"
    assert lock.is_symlink() or stat.S_ISFIFO(lock.lstat().st_mode) or lock.is_dir()
    assert not (tmp_path / "nothing").exists()


def _stubborn_rmtree(path, ignore_errors=False, **kwargs):
    """shutil.rmtree on a copy that cannot be removed (another process's open file on a network file system)."""
    if not ignore_errors:
        raise OSError(16, "Device or resource busy", str(path))


def test_a_retired_copy_that_cannot_be_removed_does_not_fail_the_swap(tmp_path, monkeypatch):
    out, staging = tmp_path / "out", tmp_path / f".tmp-extract-out-{os.getpid()}-cd_1"
    out.mkdir()
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    monkeypatch.setattr(files.shutil, "rmtree", _stubborn_rmtree)
    files._swap_in(staging, out)  # nothing raised: the new output is in place
    assert [p.name for p in out.iterdir()] == ["new.txt"]


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_run(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    copy = tmp_path / ".tmp-extract-out-4194304-ee"
    copy.mkdir()
    (copy / files.MARKER).write_text("m")
    monkeypatch.setattr(files.shutil, "rmtree", _stubborn_rmtree)
    assert files.clean_leftovers(out) == [copy]  # tried, and listed as removed; the run goes on


def test_a_name_whose_kind_cannot_be_read_is_walked_as_a_name(tmp_path, monkeypatch):
    class Entry:
        def __init__(self, name, error=False):
            self.name, self.error = name, error

        def is_dir(self, follow_symlinks=True):
            if self.error:
                raise PermissionError(13, "Permission denied")
            return False

    monkeypatch.setattr(files.os, "scandir", lambda folder: [Entry("ok.txt"), Entry("odd", error=True)])
    assert list(files.walk(tmp_path)) == [(str(tmp_path), [], ["ok.txt", "odd"])]


def _open_descriptors() -> list[str]:
    return sorted(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/fd as on Linux")
def test_a_lock_the_file_system_refuses_is_that_error_and_leaves_no_descriptor_open(tmp_path, monkeypatch):
    """flock failing otherwise than busy (ENOLCK: a network file system without locks) is raised as it is, the
    descriptor of the lock file closed."""
    import errno

    def refused(handle, kind):
        raise OSError(errno.ENOLCK, "No locks available")

    lock = tmp_path / "cache" / "extract.lock"
    monkeypatch.setattr(files.fcntl, "flock", refused)
    before = _open_descriptors()
    with pytest.raises(OSError) as raised:
        with files.locked(lock, "--cache cache"):
            pytest.fail("the lock was taken")
    assert (type(raised.value), raised.value.errno) == (OSError, errno.ENOLCK)
    assert _open_descriptors() == before


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/fd as on Linux")
def test_a_lock_file_removed_by_its_holder_before_our_flock_is_opened_again(tmp_path, monkeypatch):
    """The holder removes the lock file as it ends, between our open and our flock: the lock taken on that file
    would lock nothing anyone else opens, so the file now there is opened and locked (once here), the first
    descriptor closed."""
    lock = tmp_path / "cache" / "extract.lock"
    real_flock, calls = files.fcntl.flock, []

    def holder_ends_first(handle, kind):
        calls.append(handle)
        if len(calls) == 1:
            lock.unlink()
        return real_flock(handle, kind)

    monkeypatch.setattr(files.fcntl, "flock", holder_ends_first)
    before = _open_descriptors()
    with files.locked(lock, "--cache cache"):
        assert lock.read_text() == f"{os.getpid()}\n"  # the file there now is the one locked and written
        assert os.fstat(files._held[lock]).st_ino == lock.stat().st_ino
        assert len(_open_descriptors()) == len(before) + 1  # the first descriptor closed
    assert len(calls) == 2
    assert _open_descriptors() == before


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/fd as on Linux")
def test_a_lock_file_that_keeps_changing_is_busy_after_five_tries_naming_it(tmp_path, monkeypatch):
    lock = tmp_path / "cache" / "extract.lock"
    real_flock, calls = files.fcntl.flock, []

    def always_removed(handle, kind):
        calls.append(handle)
        lock.unlink()
        return real_flock(handle, kind)

    monkeypatch.setattr(files.fcntl, "flock", always_removed)
    before = _open_descriptors()
    with pytest.raises(files.Busy, match=f"^--cache cache: its lock file {lock} keeps changing; nothing was done$"):
        with files.locked(lock, "--cache cache"):
            pytest.fail("the lock was taken")
    assert len(calls) == 5
    assert _open_descriptors() == before


@pytest.mark.skipif(sys.platform != "linux", reason="fork as on Linux")
def test_a_forked_worker_closes_its_copies_of_the_locks_held(tmp_path):
    """A worker forked while the lock is held closes its copy (`forget_locks`): the lock dies with its holder,
    never outlived by a worker."""
    lock = tmp_path / "cache" / "extract.lock"
    with files.locked(lock, "--cache cache"):
        handle = files._held[lock]
        pid = os.fork()
        if pid == 0:  # the worker: exit codes only, never back into pytest
            code = 2  # forget_locks raised
            try:
                files.forget_locks()
                code = 4 if files._held else 3  # 3: the descriptor still open
                os.fstat(handle)
            except OSError:
                code = 0 if code == 3 else code
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert files._held == {lock: handle}  # the holder's own descriptor and lock are left as they were
        os.fstat(handle)
