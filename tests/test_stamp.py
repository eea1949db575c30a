"""Nothing changed, nothing done (issue 13): a re-run with the same inputs, code and outputs stops at once."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import stamp
from tests.conftest import REPO, wait_out_the_clock_tick
from tests.test_bad_input import page

NOTHING = "nothing changed since the last run"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    text = tmp_path / "raw" / "2024-2025" / "text"
    text.mkdir(parents=True)
    (text / "credential_1.txt").write_bytes(page("Certified Production Technician"))
    (text / "credential_2.txt").write_bytes(page("ServSafe Food Handler"))
    wait_out_the_clock_tick(tmp_path / "raw")
    return tmp_path


def _run(home: Path, *extra: str) -> subprocess.CompletedProcess:
    program = (
        "import sys; from pipeline import cli; code = cli.main(sys.argv[1:]); "
        "print('pandas imported' if 'pandas' in sys.modules else 'pandas not imported'); sys.exit(code)"
    )
    return subprocess.run(
        [sys.executable, "-c", program, "extract", "--raw", "raw", "--out", "out", "--cache", "cache", *extra],
        cwd=home,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )


def _outputs(home: Path) -> dict[str, int]:
    return {p.relative_to(home).as_posix(): p.stat().st_mtime_ns for p in (home / "out").rglob("*") if p.is_file()}


def test_a_rerun_with_nothing_changed_does_nothing_and_loads_no_pandas(home):
    first = _run(home)
    assert first.returncode == 0 and NOTHING not in first.stdout
    before = _outputs(home)
    second = _run(home)
    assert second.returncode == 0
    assert second.stdout.splitlines() == [
        f"{NOTHING} (2 files under raw, same code): out is current; nothing was done (--no-cache runs it all again)",
        "pandas not imported",
    ]
    assert _outputs(home) == before


def test_a_file_touched_but_not_changed_is_still_unchanged(home):
    _run(home)
    page_file = home / "raw" / "2024-2025" / "text" / "credential_1.txt"
    os.utime(page_file, ns=(page_file.stat().st_atime_ns, page_file.stat().st_mtime_ns + 10**9))
    assert NOTHING in _run(home).stdout


def _edit_stamp(home: Path, edit) -> None:
    path = home / "cache" / stamp.STAMP_FILE
    kept = json.loads(path.read_text(encoding="utf-8"))
    edit(kept)
    path.write_text(json.dumps(kept), encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        lambda home: (home / "raw" / "2024-2025" / "text" / "credential_2.txt").write_bytes(page("ServSafe Manager")),
        lambda home: (home / "raw" / "2024-2025" / "text" / "credential_3.txt").write_bytes(page("BLS Provider")),
        lambda home: (home / "raw" / "2024-2025" / "text" / "credential_2.txt").unlink(),
        lambda home: (home / "out" / "csv" / "credentials.csv").write_text("edited by hand\n"),
        lambda home: (home / "out" / "csv" / "credentials.csv").unlink(),
        lambda home: (home / "cache" / stamp.STAMP_FILE).write_text("{not json"),
        lambda home: (home / "cache" / stamp.STAMP_FILE).write_text(json.dumps(["another", "shape"])),
        lambda home: _edit_stamp(home, lambda kept: kept.pop("code")),
        lambda home: _edit_stamp(home, lambda kept: kept["outputs"].update({"csv/credentials.csv": 5})),
    ],
    ids=[
        "page edited",
        "page added",
        "page removed",
        "output edited",
        "output removed",
        "stamp corrupt",
        "stamp of another shape",
        "stamp without its code version",
        "stamp with an output of another shape",
    ],
)
def test_any_change_to_inputs_outputs_or_stamp_runs_again(home, change):
    _run(home)
    change(home)
    done = _run(home)
    assert done.returncode == 0 and NOTHING not in done.stdout and "documents read:" in done.stdout


def test_a_change_of_code_runs_again(home, monkeypatch):
    _run(home)
    assert stamp.unchanged(home / "cache", home / "raw", home / "out") == 2
    monkeypatch.setattr(stamp, "_code_version", lambda: "another version")
    assert stamp.unchanged(home / "cache", home / "raw", home / "out") is None


def test_no_cache_always_runs(home):
    _run(home)
    assert NOTHING not in _run(home, "--no-cache").stdout


def test_a_link_to_a_folder_is_not_walked_for_the_stamp(home, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_text("kept elsewhere\n")
    (home / "raw" / "2024-2025" / "text" / "elsewhere").symlink_to(outside)  # extract skips it: not an input
    wait_out_the_clock_tick(home / "raw")
    assert _run(home).returncode == 0
    (outside / "notes.txt").write_text("changed elsewhere\n")
    # the two pages and the link itself; not what it points to
    assert _run(home).stdout.splitlines()[0] == (
        f"{NOTHING} (3 files under raw, same code): out is current; nothing was done (--no-cache runs it all again)"
    )


# --- the stamp's rules, in process: a small raw/ and out/ made here, stamps written and compared ------------------

ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2's "abc"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
YEAR_TEXT = "2024-2025/text"
SECOND = 10**9
WHEN = 1_700_000_000 * SECOND  # a whole second, for the clock-tick rules


def _stat(path: Path) -> tuple[int, int, int, int]:
    """What os.lstat says of the file: size, mtime, ctime, inode."""
    info = os.lstat(path)
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def folders(tmp_path: Path, monkeypatch) -> tuple[Path, Path, Path]:
    """raw/ with a manifest and two pages, out/ with two outputs and report's page, an empty cache; code "v1"."""
    raw, out, cache = tmp_path / "raw", tmp_path / "out", tmp_path / "cache"
    _write(raw / "2024-2025" / "manifest.csv", b"abc")
    _write(raw / YEAR_TEXT / "credential_1.txt", b"page one\n")
    _write(raw / YEAR_TEXT / "credential_2.txt", b"page two\n")
    _write(out / "csv" / "credentials.csv", b"credential_name\nOne\nTwo\n")
    _write(out / "summary.json", b"{}")
    _write(out / "report.html", b"<html></html>")
    cache.mkdir()
    monkeypatch.setattr(stamp, "_code_version", lambda: "v1")
    return raw, out, cache


def _walked(raw: Path, *rels: str) -> stamp.Tree:
    """raw/'s files as os.lstat sees them, walked by a run that began 3 s after the last of them changed."""
    files = {rel: _stat(raw / rel) for rel in rels}
    return stamp.Tree(files, started_ns=max(info[2] for info in files.values()) + 3 * SECOND)


INPUTS = ("2024-2025/manifest.csv", f"{YEAR_TEXT}/credential_1.txt", f"{YEAR_TEXT}/credential_2.txt")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp_file(cache: Path) -> dict:
    return json.loads((cache / stamp.STAMP_FILE).read_text(encoding="utf-8"))


def test_what_a_stat_says_of_a_file_is_its_size_mtime_ctime_and_inode(tmp_path):
    page_file = _write(tmp_path / "page.txt", b"hello")
    os.utime(page_file, ns=(1_600_000_000_000_000_000, 1_600_000_000_123_456_789))
    info = os.lstat(page_file)
    assert stamp.seen(page_file) == (5, 1_600_000_000_123_456_789, info.st_ctime_ns, info.st_ino)
    assert stamp.seen(str(page_file)) == stamp.seen(page_file)


def test_what_a_stat_says_of_a_link_is_the_links_own_then_its_targets(tmp_path):
    target = _write(tmp_path / "page.txt", b"hello world")
    os.utime(target, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_007))
    link = tmp_path / "link.txt"
    link.symlink_to("page.txt")  # a link's own size is the length of what it says: 8
    own, aim = os.lstat(link), os.stat(target)
    assert stamp.seen(link) == (
        *(8, own.st_mtime_ns, own.st_ctime_ns, own.st_ino),
        *(11, 1_600_000_000_000_000_007, aim.st_ctime_ns, aim.st_ino),
    )


def test_a_link_to_nothing_is_seen_as_the_link_alone_and_a_file_gone_is_not_seen(tmp_path):
    link = tmp_path / "dangling.txt"
    link.symlink_to("gone.txt")
    own = os.lstat(link)
    assert stamp.seen(link) == (8, own.st_mtime_ns, own.st_ctime_ns, own.st_ino)
    assert stamp.seen(tmp_path / "gone.txt") is None


def test_the_tree_names_every_file_under_raw_by_its_slash_path_and_does_not_follow_links_to_folders(tmp_path):
    raw = tmp_path / "raw"
    _write(raw / "notes.txt", b"top")
    _write(raw / "2024-2025" / "manifest.csv", b"abc")
    _write(raw / YEAR_TEXT / "credential_1.txt", b"page one\n")
    (raw / "2025-2026" / "empty").mkdir(parents=True)
    _write(tmp_path / "outside" / "elsewhere.txt", b"not raw's")
    (raw / YEAR_TEXT / "linked").symlink_to(tmp_path / "outside")
    (raw / YEAR_TEXT / "dangling.txt").symlink_to(tmp_path / "nowhere")
    walked = stamp.inputs(raw).files
    assert walked.keys() == {
        "notes.txt",
        "2024-2025/manifest.csv",
        f"{YEAR_TEXT}/credential_1.txt",
        f"{YEAR_TEXT}/linked",
        f"{YEAR_TEXT}/dangling.txt",
    }
    assert walked["notes.txt"] == _stat(raw / "notes.txt")
    assert walked[f"{YEAR_TEXT}/credential_1.txt"] == (9, *_stat(raw / YEAR_TEXT / "credential_1.txt")[1:])
    assert walked[f"{YEAR_TEXT}/linked"][4:] == _stat(tmp_path / "outside")  # the link, then the folder it names
    assert stamp.inputs(tmp_path / "no such folder").files == {}


def test_a_walk_is_dated_from_before_it_began(tmp_path, monkeypatch):
    """A file changed while raw/ is walked was changed after the run began: a walk dated from its end could
    take that change for one made a tick before the run."""
    _write(tmp_path / "raw" / "notes.txt", b"top")
    walks, real_walk = [], stamp._tree

    def timed_walk(root):
        walks.append(time.time_ns())  # when the walk began
        return real_walk(root)

    monkeypatch.setattr(stamp, "_tree", timed_walk)
    before = time.time_ns()
    walked = stamp.inputs(tmp_path / "raw")
    after = time.time_ns()
    assert walked.files.keys() == {"notes.txt"}
    assert before <= walked.started_ns <= walks[0] <= after
    assert before <= stamp.Tree({}).started_ns  # a tree made by hand is dated when it is made


def test_the_outputs_are_the_out_folders_files_but_the_report_page_report_writes(folders):
    _, out, _ = folders
    _write(out / "csv" / "report.html", b"a CSV folder's file of that name is extract's")
    assert stamp._outputs(out) == {
        "csv/credentials.csv": _stat(out / "csv" / "credentials.csv"),
        "csv/report.html": _stat(out / "csv" / "report.html"),
        "summary.json": _stat(out / "summary.json"),
    }


def test_a_files_hash_is_the_sha256_of_its_bytes_and_empty_for_what_is_not_a_readable_regular_file(tmp_path):
    assert stamp._sha256(_write(tmp_path / "abc.txt", b"abc")) == ABC_SHA256
    assert stamp._sha256(_write(tmp_path / "empty.txt", b"")) == EMPTY_SHA256
    (tmp_path / "link.txt").symlink_to("abc.txt")
    assert stamp._sha256(tmp_path / "link.txt") == ABC_SHA256  # what it points to
    big = bytes(range(256)) * 12_288  # 3 MiB: read in pieces
    assert stamp._sha256(_write(tmp_path / "big.bin", big)) == hashlib.sha256(big).hexdigest()
    os.mkfifo(tmp_path / "fifo")
    assert stamp._sha256(tmp_path / "fifo") == ""  # not read: a FIFO would block
    assert stamp._sha256(tmp_path / "gone.txt") == ""
    assert stamp._sha256(tmp_path) == ""  # a folder


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux's /proc: a regular file whose read fails")
def test_a_file_whose_read_fails_has_no_hash_to_vouch_for_it():
    with pytest.raises(OSError):
        stamp._sha256(Path("/proc/self/mem"))  # opens, then its first read fails (EIO)
    assert stamp._hash_or_none(Path("/proc/self/mem")) is None


FINE = 1_700_000_000_400_000_000  # ctimes that are not whole seconds: a file system that keeps nanoseconds


@pytest.mark.parametrize(
    ("info", "started_ns", "expected"),
    [
        ((9, 0, FINE, 7), FINE + 100_000_000, True),  # changed exactly a tick (0.1 s) before the run began
        ((9, 0, FINE, 7), FINE + 100_000_001, False),  # a nanosecond more
        ((9, 0, FINE, 7), FINE - 5 * SECOND, True),  # changed after the run began
        ((9, FINE + SECOND, FINE - SECOND, 7), FINE, False),  # the mtime (set in the future) is not what says it
        ((FINE, 0, FINE - SECOND, FINE), FINE, False),  # nor the size nor the inode
        ((9, 0, WHEN, 7), WHEN + 2 * SECOND, True),  # whole seconds: a tick of 2 s
        ((9, 0, WHEN, 7), WHEN + 2 * SECOND + 1, False),
        ((9, 0, WHEN + 1, 7), WHEN + 2 * SECOND, False),  # a nanosecond past a whole second: 0.1 s
        ((8, 0, FINE - SECOND, 3, 9, 0, FINE, 7), FINE + 50_000_000, True),  # a link: its target just changed
        ((8, 0, FINE, 3, 9, 0, FINE - SECOND, 7), FINE + 50_000_000, True),  # the link itself just changed
        ((8, 0, FINE - SECOND, 3, 9, 0, FINE - SECOND, 7), FINE, False),
        ((8, 0, WHEN, 3, 9, 0, WHEN - SECOND + 1, 7), WHEN + SECOND, True),  # one whole-second ctime: 2 s for both
        ((8, 0, WHEN - SECOND + 1, 3, 9, 0, WHEN, 7), WHEN + SECOND, True),
    ],
)
def test_a_stat_changed_within_a_clock_tick_of_the_runs_start_is_racy(info, started_ns, expected):
    assert stamp.racy(info, started_ns) is expected


def test_a_record_stamps_each_input_by_its_stat_and_the_hash_its_outputs_reflect(folders, tmp_path):
    raw, out, cache = folders
    (tmp_path / "raw-link").symlink_to(raw)  # the stamp names the folders as they are, whatever the path given
    walked = _walked(raw, *INPUTS)
    given = {f"{YEAR_TEXT}/credential_1.txt": "hash of page one as read", f"{YEAR_TEXT}/credential_2.txt": "two"}
    stamp.record(cache, tmp_path / "raw-link", out, walked, given)
    assert _stamp_file(cache) == {
        "version": 2,
        "code": "v1",
        "raw": str(raw),
        "out": str(out),
        "inputs": {
            "2024-2025/manifest.csv": [list(_stat(raw / INPUTS[0])), ABC_SHA256],  # not hashed by the run: now
            f"{YEAR_TEXT}/credential_1.txt": [list(_stat(raw / INPUTS[1])), "hash of page one as read"],
            f"{YEAR_TEXT}/credential_2.txt": [list(_stat(raw / INPUTS[2])), "two"],
        },
        "outputs": {
            "csv/credentials.csv": list(_stat(out / "csv" / "credentials.csv")),
            "summary.json": list(_stat(out / "summary.json")),
        },
    }


def test_a_file_that_moved_during_the_run_is_stamped_without_its_stat_and_hashed_only_if_the_run_did(folders):
    raw, out, cache = folders
    walked = _walked(raw, *INPUTS)
    _write(raw / INPUTS[0], b"abcd")  # the manifest, edited after the walk: the run's reading is not known
    _write(raw / INPUTS[1], b"page ONE\n")  # a page, edited (same size) after the run read it
    stamp.record(cache, raw, out, walked, {INPUTS[1]: "hash of page one as read"})
    assert _stamp_file(cache)["inputs"] == {
        INPUTS[0]: [None, None],
        INPUTS[1]: [None, "hash of page one as read"],
        INPUTS[2]: [list(_stat(raw / INPUTS[2])), _sha(b"page two\n")],
    }


def test_a_racy_or_untrusted_file_is_stamped_without_its_stat(folders):
    raw, out, cache = folders
    files = {rel: _stat(raw / rel) for rel in INPUTS}
    page_2 = files[INPUTS[2]][2]
    racy_start = stamp.Tree(files, started_ns=max(page_2, files[INPUTS[0]][2], files[INPUTS[1]][2]) + 1)
    stamp.record(cache, raw, out, racy_start, {INPUTS[1]: "one"})
    assert _stamp_file(cache)["inputs"] == {
        INPUTS[0]: [None, None],  # not hashed: a stat that could move unseen vouches for no bytes read now
        INPUTS[1]: [None, "one"],
        INPUTS[2]: [None, None],
    }
    stamp.record(cache, raw, out, _walked(raw, *INPUTS), {INPUTS[1]: "one"}, untrusted={INPUTS[1], INPUTS[2]})
    assert _stamp_file(cache)["inputs"] == {
        INPUTS[0]: [list(files[INPUTS[0]]), ABC_SHA256],
        INPUTS[1]: [None, "one"],  # a read that failed for a cause that may pass: compared by content next time
        INPUTS[2]: [None, _sha(b"page two\n")],
    }


def test_a_record_without_hashes_hashes_every_steady_file_now(folders):
    raw, out, cache = folders
    stamp.record(cache, raw, out, _walked(raw, *INPUTS))
    assert {rel: digest for rel, (_, digest) in _stamp_file(cache)["inputs"].items()} == {
        INPUTS[0]: ABC_SHA256,
        INPUTS[1]: _sha(b"page one\n"),
        INPUTS[2]: _sha(b"page two\n"),
    }


def _stamp_of(raw: Path, out: Path, /, **changes) -> dict:
    """A stamp as a run from raw to out writes it, by hand, with `changes` to its keys."""
    return {
        "version": 2,
        "code": "v1",
        "raw": str(raw),
        "out": str(out),
        "inputs": {rel: [list(_stat(raw / rel)), "h"] for rel in INPUTS},
        "outputs": {"summary.json": list(_stat(out / "summary.json"))},
        **changes,
    }


@pytest.mark.parametrize(
    "text",
    [
        lambda raw, out: "{not json",
        lambda raw, out: b"\xff\xfe not UTF-8",
        lambda raw, out: json.dumps(["another", "shape"]),
        lambda raw, out: json.dumps("a string"),
        lambda raw, out: json.dumps(_stamp_of(raw, out, version=1)),
        lambda raw, out: json.dumps({key: value for key, value in _stamp_of(raw, out).items() if key != "version"}),
        lambda raw, out: json.dumps(_stamp_of(raw, out, raw=str(raw.parent / "other raw"))),
        lambda raw, out: json.dumps(_stamp_of(raw, out, out=str(out.parent / "other out"))),
        lambda raw, out: json.dumps({key: value for key, value in _stamp_of(raw, out).items() if key != "raw"}),
        lambda raw, out: json.dumps({key: value for key, value in _stamp_of(raw, out).items() if key != "out"}),
        lambda raw, out: json.dumps({key: value for key, value in _stamp_of(raw, out).items() if key != "inputs"}),
        lambda raw, out: json.dumps({key: value for key, value in _stamp_of(raw, out).items() if key != "outputs"}),
        lambda raw, out: json.dumps(_stamp_of(raw, out, inputs=[["a", ["b"]]])),
        lambda raw, out: json.dumps(_stamp_of(raw, out, outputs=[["summary.json", [1, 2, 3, 4]]])),
        lambda raw, out: json.dumps({key: value for key, value in _stamp_of(raw, out).items() if key != "code"}),
        lambda raw, out: json.dumps(_stamp_of(raw, out, code=["v1"])),
        lambda raw, out: json.dumps(_stamp_of(raw, out, outputs={"summary.json": 5})),
        lambda raw, out: json.dumps(_stamp_of(raw, out, outputs={"summary.json": None})),
        lambda raw, out: "[" * 100_000 + "]" * 100_000,
    ],
    ids=[
        "not JSON",
        "not UTF-8",
        "a list",
        "a string",
        "an earlier version",
        "no version",
        "another raw",
        "another out",
        "no raw",
        "no out",
        "no inputs",
        "no outputs",
        "inputs a list",
        "outputs a list",
        "no code",
        "code not text",
        "an output a number",
        "an output null",
        "nested past Python's stack",
    ],
)
def test_a_stamp_of_another_run_or_shape_is_no_stamp(folders, text):
    raw, out, cache = folders
    written = text(raw, out)
    (cache / stamp.STAMP_FILE).write_bytes(written if isinstance(written, bytes) else written.encode())
    assert stamp.last(cache, raw, out) is None
    assert stamp.unchanged(cache, raw, out) is None


def test_the_stamp_of_the_same_run_is_read_whatever_path_names_its_folders(folders, tmp_path):
    raw, out, cache = folders
    (cache / stamp.STAMP_FILE).write_text(json.dumps(_stamp_of(raw, out)), encoding="utf-8")
    (tmp_path / "raw-link").symlink_to(raw)
    assert stamp.last(cache, tmp_path / "raw-link", out) == _stamp_of(raw, out)
    assert stamp.last(None, raw, out) is None  # no cache folder: no stamp
    assert stamp.last(tmp_path / "no cache yet", raw, out) is None


@pytest.mark.skipif(sys.platform != "linux", reason="FIFOs as on Linux")
@pytest.mark.parametrize("made", ["a FIFO", "a folder"])
def test_a_stamp_file_that_is_no_regular_file_is_no_stamp_at_once(folders, made):
    """A FIFO in the place of stamp.json would never answer a read (the run hung): it is no stamp, read at once."""
    raw, out, cache = folders
    if made == "a FIFO":
        os.mkfifo(cache / stamp.STAMP_FILE)
    else:
        (cache / stamp.STAMP_FILE).mkdir()
    assert stamp.last(cache, raw, out) is None
    assert stamp.unchanged(cache, raw, out) is None


def test_a_stamped_hash_stands_for_a_file_only_while_its_stat_is_as_stamped():
    stat = [9, 2, 3, 4]
    stamped = {
        "inputs": {
            "same": [stat, "h-same"],
            "moved": [stat, "h-moved"],
            "racy": [None, "h-racy"],
            "unhashed": [stat, None],
            "hash not text": [stat, 5],
            "a bool for an int": [[9, True, 3, 4], "h-bool"],
            "a float for an int": [[9, 2.0, 3, 4], "h-float"],
            "stat not a list": ["9 2 3 4", "h-text"],
            "three items": [stat, "h-three", "more"],
            "one item": [stat],
            "not a list": {"stat": stat, "sha256": "h-dict"},
        }
    }
    now = {rel: (9, 2, 3, 4) for rel in stamped["inputs"]} | {"moved": (9, 2, 3, 5), "new": (9, 2, 3, 4)}
    now["a bool for an int"] = (9, 1, 3, 4)  # True == 1 in Python: only an int is a stamped number
    assert stamp.known_hashes(stamped, stamp.Tree(now)) == {"same": "h-same"}
    assert stamp.known_hashes(None, stamp.Tree(now)) == {}


def test_the_outputs_are_unchanged_only_while_out_holds_exactly_the_stamped_files_as_stamped(folders):
    raw, out, _ = folders
    stamped = {"outputs": {rel: list(_stat(out / rel)) for rel in ("csv/credentials.csv", "summary.json")}}
    assert stamp.outputs_unchanged(stamped, out) is True
    _write(out / "report.html", b"<html>report writes it again</html>")
    assert stamp.outputs_unchanged(stamped, out) is True
    assert stamp.outputs_unchanged(None, out) is False
    _write(out / "csv" / "extra.csv", b"a\n")
    assert stamp.outputs_unchanged(stamped, out) is False
    (out / "csv" / "extra.csv").unlink()
    (out / "summary.json").unlink()
    assert stamp.outputs_unchanged(stamped, out) is False
    _write(out / "summary.json", b"{}")  # the same bytes, written again: another stat
    assert stamp.outputs_unchanged(stamped, out) is False


def _recorded(raw: Path, out: Path, cache: Path, *extra: str) -> None:
    """A run's stamp: every input steady and hashed by the run from the bytes made here."""
    rels = (*INPUTS, *extra)
    stamp.record(cache, raw, out, _walked(raw, *rels), {rel: _sha((raw / rel).read_bytes()) for rel in rels})


def test_nothing_changed_counts_the_input_files(folders):
    raw, out, cache = folders
    _recorded(raw, out, cache)
    assert stamp.unchanged(cache, raw, out) == 3
    seen_now = stamp.look(cache, raw, out)
    assert seen_now.unchanged == 3
    assert seen_now.stamp == _stamp_file(cache)
    assert seen_now.tree.files == {rel: _stat(raw / rel) for rel in INPUTS}


def test_no_stamp_or_another_code_version_is_a_change(folders, monkeypatch):
    raw, out, cache = folders
    assert stamp.unchanged(cache, raw, out) is None
    _recorded(raw, out, cache)
    monkeypatch.setattr(stamp, "_code_version", lambda: "v2")
    assert stamp.unchanged(cache, raw, out) is None


def test_a_file_whose_stat_moved_but_not_its_bytes_is_unchanged(folders):
    raw, out, cache = folders
    _recorded(raw, out, cache)
    page_1 = raw / INPUTS[1]
    os.utime(page_1, ns=(0, page_1.stat().st_mtime_ns + SECOND))  # touched: same bytes
    _write(raw / INPUTS[2], b"page two\n")  # written again with the same bytes
    assert stamp.unchanged(cache, raw, out) == 3


@pytest.mark.parametrize(
    "change",
    [
        lambda raw, out: _write(raw / INPUTS[1], b"page 1!!\n"),  # same size
        lambda raw, out: _write(raw / INPUTS[1], b"page one, longer\n"),
        lambda raw, out: _write(raw / INPUTS[0], b"abd"),  # the manifest, same size
        lambda raw, out: (raw / INPUTS[2]).unlink(),
        lambda raw, out: _write(raw / YEAR_TEXT / "credential_3.txt", b"page three\n"),
        lambda raw, out: _write(out / "csv" / "credentials.csv", b"credential_name\nUno\nTwo\n"),
        lambda raw, out: (out / "summary.json").unlink(),
    ],
    ids=[
        "page edited, same size",
        "page edited",
        "manifest edited",
        "page removed",
        "page added",
        "output edited",
        "output removed",
    ],
)
def test_any_change_to_an_input_or_output_is_a_change(folders, change):
    raw, out, cache = folders
    _recorded(raw, out, cache)
    change(raw, out)
    assert stamp.unchanged(cache, raw, out) is None


def test_a_change_after_a_file_as_stamped_is_still_seen(folders):
    """A file at raw/'s top is walked before those in its folders: one unchanged first does not end the look."""
    raw, out, cache = folders
    _write(raw / "a-note.txt", b"top\n")
    _recorded(raw, out, cache, "a-note.txt")
    assert stamp.unchanged(cache, raw, out) == 4
    _write(raw / INPUTS[1], b"page 1!!\n")
    assert next(iter(stamp.inputs(raw).files)) == "a-note.txt"
    assert stamp.unchanged(cache, raw, out) is None


def test_a_file_stamped_without_its_stat_is_compared_by_content(folders):
    raw, out, cache = folders
    files = {rel: _stat(raw / rel) for rel in INPUTS}
    racy_start = stamp.Tree(files, started_ns=max(info[2] for info in files.values()))
    stamp.record(cache, raw, out, racy_start, {rel: _sha((raw / rel).read_bytes()) for rel in INPUTS[1:]})
    assert stamp.unchanged(cache, raw, out) is None  # the manifest: neither stat nor hash to compare with
    stamp.record(cache, raw, out, racy_start, {rel: _sha((raw / rel).read_bytes()) for rel in INPUTS})
    assert stamp.unchanged(cache, raw, out) == 3  # the same bytes
    _write(raw / INPUTS[2], b"page 2!!\n")
    assert stamp.unchanged(cache, raw, out) is None


def _restamp(cache: Path, rel: str, entry) -> None:
    """The stamp, edited by hand: `rel`'s entry replaced."""
    written = _stamp_file(cache)
    written["inputs"][rel] = entry
    (cache / stamp.STAMP_FILE).write_text(json.dumps(written), encoding="utf-8")


@pytest.mark.parametrize(
    "entry",
    [
        lambda stat, digest: {"stat": stat, "sha256": digest},
        lambda stat, digest: [stat],
        lambda stat, digest: [],
        lambda stat, digest: [stat, digest, "more"],
        lambda stat, digest: [digest, stat],
        lambda stat, digest: "ab",
    ],
    ids=["a dict", "the stat alone", "an empty list", "three items", "hash then stat", "text"],
)
def test_an_input_stamped_in_another_shape_is_a_change_not_a_crash(folders, entry):
    """A stamp edited by hand, or by another program, costs a run: it never passes for "nothing changed"."""
    raw, out, cache = folders
    _recorded(raw, out, cache)
    _restamp(cache, INPUTS[1], entry(list(_stat(raw / INPUTS[1])), _sha(b"page one\n")))
    assert stamp.unchanged(cache, raw, out) is None


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux's /proc: a regular file whose read fails")
def test_a_file_stamped_without_a_hash_is_a_change_even_when_it_cannot_be_read_now(folders):
    raw, out, cache = folders
    (raw / "mem").symlink_to("/proc/self/mem")  # opens, then its first read fails (EIO): no hash now either
    walked = _walked(raw, *INPUTS)
    target = os.stat(raw / "mem")
    walked.files["mem"] = (*_stat(raw / "mem"), target.st_size, target.st_mtime_ns, target.st_ctime_ns, target.st_ino)
    stamp.record(cache, raw, out, walked, {rel: _sha((raw / rel).read_bytes()) for rel in INPUTS})
    assert _stamp_file(cache)["inputs"]["mem"] == [list(walked.files["mem"]), None]  # unreadable: its stat alone
    assert stamp.unchanged(cache, raw, out) == 4
    _restamp(cache, "mem", [None, None])  # as if it moved while the run read it, and the run did not hash it
    assert stamp.unchanged(cache, raw, out) is None
