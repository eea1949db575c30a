"""pipeline/files.py in process: atomic writes, what a cache folder may hold, the copies a killed run leaves,
opening only regular files, walking a tree without recursion. Trees are made in tmp_path; every expected value
is written by hand."""

from __future__ import annotations

import os
import stat
import sys

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
    assert files._writer_alive(str(os.getppid())) is True
    assert files._writer_alive("4194304") is False  # above Linux's pid_max: no such process
    assert files._writer_alive("1") is True  # init: alive, and not ours to signal (EPERM) unless root


@pytest.mark.skipif(sys.platform != "linux", reason="FIFOs and /dev as on Linux")
def test_only_a_regular_file_is_opened_and_anything_else_says_what_it_is(tmp_path):
    (tmp_path / "page.html").write_bytes(b"<p>x</p>")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "page.html")
    with files.open_regular(tmp_path / "link") as handle:  # a link to a file is followed
        assert handle.read() == b"<p>x</p>"
    for path, kind in ((tmp_path / "pipe", "a FIFO"), (tmp_path / "folder", "a folder"), ("/dev/null", "a device")):
        with pytest.raises(OSError, match=f"^\\[Errno 22\\] {kind}, not a regular file: "):
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
