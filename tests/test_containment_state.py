"""Containment, round three: state (issue 18). What a run keeps, locks and prints.

Every attack runs real processes (`python -m pipeline ...`) on real files in a
temporary folder. Where an attack needs a moment inside a run (a file edited
after the tree walk, a run paused while another starts), the process installs
a hook into the pipeline before it starts (`_cli(..., hook=...)`); the hook
only edits files or waits, and the run is otherwise the command users run.
Expected values are the pages' own words, written by hand.
"""

from __future__ import annotations

import csv
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pytest
from pyarrow import parquet

from pipeline import files, stamp
from tests.conftest import REPO, wait_out_the_clock_tick
from tests.test_bad_input import page

YEAR = "2024-2025"
NOTHING = "nothing changed since the last run"
WAIT = 120  # seconds: bounds a hang, never a speed


@pytest.fixture
def home(tmp_path: Path) -> Path:
    text = tmp_path / "raw" / YEAR / "text"
    text.mkdir(parents=True)
    (text / "credential_1.txt").write_bytes(page("Alpha One"))
    (text / "credential_2.txt").write_bytes(page("Bravo Two"))
    wait_out_the_clock_tick(tmp_path / "raw")
    return tmp_path


def _drop_root_privileges() -> None:
    """In the child: as root, lose the power to read any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), for good."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _can_drop_root_privileges() -> bool:
    done = subprocess.run(["/bin/sh", "-c", "exit 0"], preexec_fn=_drop_root_privileges, check=False)
    return done.returncode == 0


HOOKED = """
import os, sys
exec(os.environ["NCCTE_TEST_HOOK"])
from pipeline import cli
sys.exit(cli.command())
"""


def _command(*args: str, hook: str | None = None) -> list[str]:
    return [sys.executable, "-c", HOOKED, *args] if hook else [sys.executable, "-m", "pipeline", *args]


def _env(hook: str | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "NCCTE_TEST_HOOK": hook or ""}


def _cli(home: Path, *args: str, hook: str | None = None, unprivileged: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(*args, hook=hook),
        cwd=home,
        env=_env(hook),
        capture_output=True,
        text=True,
        timeout=WAIT * 2,
        preexec_fn=_drop_root_privileges if unprivileged else None,
    )


def _extract(home: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return _cli(home, "extract", "--raw", "raw", "--out", "out", "--cache", "cache", *extra, **kwargs)


def _names(home: Path) -> set[str]:
    with (home / "out" / "csv" / "credentials.csv").open(newline="", encoding="utf-8") as handle:
        return {row["credential_name"] for row in csv.DictReader(handle)}


def _edit_hook(module: str, function: str, path: Path, data: bytes, keep_mtime: bool = True) -> str:
    """Source of a hook: `pipeline.<module>.<function>` first writes `data` to `path` (once), then does its work."""
    return f"""
import os, importlib
_module = importlib.import_module("pipeline.{module}")
_original = _module.{function}
_done = []
def _hooked(*args, **kwargs):
    if not _done:
        _done.append(1)
        info = os.stat({str(path)!r})
        with open({str(path)!r}, "wb") as handle:
            handle.write({data!r})
        if {keep_mtime!r}:
            os.utime({str(path)!r}, ns=(info.st_atime_ns, info.st_mtime_ns))
    return _original(*args, **kwargs)
_module.{function} = _hooked
"""


# --- 1. the stamp notices what the stat says, all of it ------------------------------------------------------


def test_a_file_made_readable_is_read_again(home):
    if not _can_drop_root_privileges():
        pytest.skip("running as root without the means to drop the power to read any file")
    locked_page = home / "raw" / YEAR / "text" / "credential_2.txt"
    locked_page.chmod(0)
    first = _extract(home, unprivileged=True)
    assert first.returncode == 0, first.stderr
    assert "unreadable: 2024-2025/text/credential_2.txt: cannot read file: Permission denied" in first.stdout
    assert _names(home) == {"Alpha One"}
    locked_page.chmod(0o644)  # size and mtime as they were: only ctime says so
    second = _extract(home, unprivileged=True)
    assert second.returncode == 0 and NOTHING not in second.stdout
    assert "documents read: 2 (0 unreadable" in second.stdout
    assert _names(home) == {"Alpha One", "Bravo Two"}


def test_a_file_made_unreadable_is_reported_by_the_next_run(home):
    if not _can_drop_root_privileges():
        pytest.skip("running as root without the means to drop the power to read any file")
    assert _extract(home, unprivileged=True).returncode == 0
    (home / "raw" / YEAR / "text" / "credential_2.txt").chmod(0)
    second = _extract(home, unprivileged=True)
    assert NOTHING not in second.stdout
    assert "unreadable: 2024-2025/text/credential_2.txt: cannot read file: Permission denied" in second.stdout


def test_a_read_that_failed_for_a_passing_cause_is_tried_again(home):
    """An I/O error (a flaky disk, a network file system) says nothing about the file: its stat vouches for nothing."""
    hook = """
import errno
from pipeline.read import documents
_original = documents.read_bytes
def _flaky(ref):
    if ref.rel_path.endswith("credential_2.txt"):
        raise documents.DocumentError("cannot read file: Input/output error") from OSError(errno.EIO, "I/O error")
    return _original(ref)
documents.read_bytes = _flaky
"""
    first = _extract(home, hook=hook)
    assert "unreadable: 2024-2025/text/credential_2.txt: cannot read file: Input/output error" in first.stdout
    second = _extract(home)
    assert NOTHING not in second.stdout and "documents read: 2 (0 unreadable" in second.stdout
    assert _names(home) == {"Alpha One", "Bravo Two"}


def _same_size_edit(path: Path, data: bytes, mtime_ns: int | None) -> None:
    info = path.stat()
    assert len(data) == info.st_size
    path.write_bytes(data)
    if mtime_ns is not None:
        os.utime(path, ns=(info.st_atime_ns, mtime_ns))


PAGE_1 = Path("raw") / YEAR / "text" / "credential_1.txt"


@pytest.mark.parametrize(
    "change",
    [
        lambda path: _same_size_edit(path, page("Alpha Uno"), path.stat().st_mtime_ns),  # touch -r, rsync -t, cp -p
        lambda path: _same_size_edit(path, page("Alpha Uno"), 10**18),  # touch -d 2001-09-09
        lambda path: _replaced_by_rename(path, page("Alpha Uno")),
    ],
    ids=["edited with its mtime put back", "edited and touched to an old date", "replaced by a rename, same stat"],
)
def test_an_edit_that_keeps_size_and_mtime_is_noticed(home, change):
    assert _extract(home).returncode == 0
    change(home / PAGE_1)
    second = _extract(home)
    assert NOTHING not in second.stdout
    assert _names(home) == {"Alpha Uno", "Bravo Two"}


def _replaced_by_rename(path: Path, data: bytes) -> None:
    """A new file with the same size and mtime moved over the old one (a sync tool's way): only the inode differs."""
    info = path.stat()
    new = path.with_name(".incoming")
    new.write_bytes(data)
    os.utime(new, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(new, path)


def test_an_edit_of_a_linked_page_is_noticed_though_the_link_is_as_it_was(home):
    """raw/ may hold a page as a link to a file elsewhere in raw/: the link's own stat never moves."""
    store = home / "raw" / YEAR / "store"
    store.mkdir()
    (store / "alpha.page").write_bytes(page("Alpha One"))  # not a document itself: no kind, no known extension
    (home / PAGE_1).unlink()
    (home / PAGE_1).symlink_to(Path("..") / "store" / "alpha.page")
    assert _extract(home).returncode == 0 and _names(home) == {"Alpha One", "Bravo Two"}
    target = store / "alpha.page"
    _same_size_edit(target, page("Alpha Uno"), target.stat().st_mtime_ns)
    second = _extract(home)
    assert NOTHING not in second.stdout
    assert _names(home) == {"Alpha Uno", "Bravo Two"}


# --- 2. only a stat seen with the bytes read is stamped -----------------------------------------------------


def test_a_page_edited_after_it_was_read_is_read_again_next_time(home):
    """The edit lands after the run read the page and before it wrote its stamp, mtime put back."""
    hook = _edit_hook("extract", "write_tables", home / PAGE_1, page("Alpha Uno"))
    first = _extract(home, hook=hook)
    assert first.returncode == 0, first.stderr
    assert _names(home) == {"Alpha One", "Bravo Two"}  # what the run read
    second = _extract(home)
    assert NOTHING not in second.stdout
    assert _names(home) == {"Alpha Uno", "Bravo Two"}


def test_a_page_edited_between_the_tree_walk_and_the_read_is_not_stamped_as_walked(home):
    """A second run walks raw/, finds page 1 as stamped (so it takes it from the cache), then page 1 is edited
    (mtime put back) before any file is read."""
    assert _extract(home).returncode == 0
    (home / "raw" / YEAR / "text" / "credential_3.txt").write_bytes(page("Charlie Three"))  # so that it runs
    hook = _edit_hook("read.documents", "scan", home / PAGE_1, page("Alpha Uno"))
    second = _extract(home, hook=hook)
    assert second.returncode == 0, second.stderr
    assert _names(home) == {"Alpha One", "Bravo Two", "Charlie Three"}  # page 1 as walked, from the cache
    third = _extract(home)
    assert NOTHING not in third.stdout
    assert _names(home) == {"Alpha Uno", "Bravo Two", "Charlie Three"}


MANIFEST = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
URL = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id="


def _cred_ids(home: Path) -> dict[str, str]:
    with (home / "out" / "csv" / "credentials.csv").open(newline="", encoding="utf-8") as handle:
        return {row["credential_name"]: row["cred_id"] for row in csv.DictReader(handle)}


def test_a_manifest_edited_during_a_run_is_not_stamped_with_its_new_bytes(home):
    """The run reads the manifest (cred_id 101), which is then edited (102, same size) before the stamp."""
    manifest = home / "raw" / YEAR / "manifest.csv"
    row = "text/credential_1.txt,{url},2024-08-01T00:00:00Z,200,text/plain,,,,sample\n"
    manifest.write_text(MANIFEST + row.format(url=URL + "101"))
    edited = (MANIFEST + row.format(url=URL + "102")).encode()
    first = _extract(home, hook=_edit_hook("extract", "write_tables", manifest, edited, keep_mtime=False))
    assert first.returncode == 0, first.stderr
    assert _cred_ids(home)["Alpha One"] == "101"
    second = _extract(home)
    assert NOTHING not in second.stdout
    assert _cred_ids(home)["Alpha One"] == "102"


def test_a_page_deleted_or_added_during_a_run_is_seen_by_the_next(home):
    text = home / "raw" / YEAR / "text"
    hook = f"""
import os
from pipeline import extract
_original = extract.write_tables
def _hooked(*args, **kwargs):
    os.unlink({str(text / "credential_2.txt")!r})
    with open({str(text / "credential_3.txt")!r}, "wb") as handle:
        handle.write({page("Charlie Three")!r})
    return _original(*args, **kwargs)
extract.write_tables = _hooked
"""
    assert _extract(home, hook=hook).returncode == 0
    assert _names(home) == {"Alpha One", "Bravo Two"}
    second = _extract(home)
    assert NOTHING not in second.stdout
    assert _names(home) == {"Alpha One", "Charlie Three"}


def test_cached_results_damaged_after_the_cache_was_read_are_parsed_again(home):
    """The cache's result files are damaged (overwritten with bytes that are no Parquet) after the run listed
    them and before it builds its tables: the pages they held are parsed again, and every credential and every
    label/value pair is in the outputs, as if the cache had been whole."""
    assert _extract(home).returncode == 0
    (home / "raw" / YEAR / "text" / "credential_3.txt").write_bytes(page("Charlie Three"))  # so that it builds
    hook = f"""
import pathlib
from pipeline import extract
_original, _done = extract.incremental, []
def _hooked(*args, **kwargs):
    for part in pathlib.Path({str(home / "cache")!r}).glob("documents-*.parquet"):
        if not _done:
            part.write_bytes(b"PAR1 damaged on disk PAR1")
    _done.append(True)
    return _original(*args, **kwargs)
extract.incremental = _hooked
"""
    second = _extract(home, hook=hook)
    assert second.returncode == 0, second.stderr
    assert _names(home) == {"Alpha One", "Bravo Two", "Charlie Three"}
    with (home / "out" / "csv" / "label_values.csv").open(newline="", encoding="utf-8") as handle:
        pairs = {(row["source_path"], row["label"], row["value"]) for row in csv.DictReader(handle)}
    for number, name in enumerate(("Alpha One", "Bravo Two", "Charlie Three"), start=1):
        path = f"{YEAR}/text/credential_{number}.txt"
        assert {(path, "Credential Name", name), (path, "Directory Notes", "None")} <= pairs
    third = _extract(home)
    assert third.returncode == 0 and NOTHING in third.stdout


def test_a_stat_taken_in_the_clock_tick_the_run_began_is_not_trusted(home, monkeypatch):
    """A file system that keeps whole seconds (ext3, HFS+, many NFS servers): a file written again within the
    second it was read keeps its stat. Simulated: every stat reports the same second, as such a clock would."""
    second = time.time_ns() // 10**9 * 10**9
    real = stamp.seen

    def coarse(path):
        info = real(path)
        return None if info is None else (info[0], second, second, info[3])

    monkeypatch.setattr(stamp, "seen", coarse)
    (home / "out").mkdir()
    raw, out, cache = home / "raw", home / "out", home / "cache"
    cache.mkdir()
    walked = stamp.Tree(stamp.inputs(raw).files, started_ns=second + 500_000_000)
    hashes = {rel: stamp._sha256(raw / rel) for rel in walked.files}
    stamp.record(cache, raw, out, walked, hashes)
    assert stamp.unchanged(cache, raw, out) == 2
    _same_size_edit(home / PAGE_1, page("Alpha Uno"), None)  # within the same second, on that clock
    assert stamp.unchanged(cache, raw, out) is None
    # The same files stamped by a run that began three seconds after they were written are trusted by their stat.
    later = stamp.Tree(stamp.inputs(raw).files, started_ns=second + 3 * 10**9)
    stamp.record(cache, raw, out, later, {rel: stamp._sha256(raw / rel) for rel in later.files})
    assert stamp.known_hashes(stamp.last(cache, raw, out), later).keys() == later.files.keys()


# --- 3. one lock for every writer ------------------------------------------------------------------------


def _pause_hook(module: str, function: str, ready: Path, go: Path) -> str:
    """Source of a hook: `pipeline.<module>.<function>` says it is there (`ready`), then waits for `go`."""
    return f"""
import importlib, os, time
_module = importlib.import_module("pipeline.{module}")
_original = _module.{function}
def _paused(*args, **kwargs):
    open({str(ready)!r}, "a").close()
    deadline = time.monotonic() + {WAIT}
    while not os.path.exists({str(go)!r}) and time.monotonic() < deadline:
        time.sleep(0.02)
    return _original(*args, **kwargs)
_module.{function} = _paused
"""


def _start(home: Path, *args: str, hook: str) -> subprocess.Popen:
    return subprocess.Popen(
        _command(*args, hook=hook), cwd=home, env=_env(hook), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for(path: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT
    while not path.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert path.exists(), f"the run never reached its pause: {process.communicate()[1] if process.poll() else ''}"


def _snapshot(root: Path) -> dict[str, bytes | None]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
        if path.name not in ("ready", "go")
    }


def test_a_second_writer_of_the_same_out_or_cache_refuses_at_once_and_check_still_ends(home):
    assert _extract(home).returncode == 0
    shutil.copytree(home / "out", home / "other")  # a baseline nobody writes
    (home / "raw" / YEAR / "text" / "credential_3.txt").write_bytes(page("Charlie Three"))
    (home / "link").symlink_to("out")
    ready, go = home / "ready", home / "go"
    first = _start(
        home,
        "extract",
        "--raw",
        "raw",
        "--out",
        "out",
        "--cache",
        "cache",
        hook=_pause_hook("extract", "write_tables", ready, go),
    )
    try:
        _wait_for(ready, first)
        before = _snapshot(home)
        busy = f"is in use by another nccte run (pid {first.pid}); nothing was done (run it again when that one ends)"
        for args, what in [
            (("--out", "out", "--cache", "cache2"), "--out out"),
            (("--out", "link", "--no-cache"), "--out link"),  # the same folder by another name
            (("--out", "out2", "--cache", "cache"), "--cache cache"),
        ]:
            refused = _cli(home, "extract", "--raw", "raw", *args)
            assert (refused.returncode, refused.stderr) == (3, f"error: {what} {busy}\n")
        report = _cli(home, "report", "--out", "out")
        assert (report.returncode, report.stderr) == (3, f"error: --out out {busy}\n")
        checked = _cli(home, "check", "--raw", "raw", "--baseline", "out")
        assert checked.returncode == 3
        assert checked.stdout.startswith(
            "## Credential data check: usage error (exit 3)\n\n- ` --baseline out is in use"
        )
        elsewhere = _cli(home, "check", "--raw", "raw", "--baseline", "other")  # its own extract waits for nobody
        assert elsewhere.returncode == 2 and "1 rows only in the fresh extraction" in elsewhere.stdout
        assert _snapshot(home) == before
    finally:
        go.touch()
        out, err = first.communicate(timeout=WAIT)
    assert first.returncode == 0, err
    assert _names(home) == {"Alpha One", "Bravo Two", "Charlie Three"}
    assert _extract(home, "--no-cache").returncode == 0
    assert sorted(path.name for path in home.iterdir()) == ["cache", "go", "link", "other", "out", "raw", "ready"]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads worker states from /proc")
@pytest.mark.parametrize("kernel", [True, False], ids=["kernel", "watcher"])
def test_workers_die_with_a_killed_extract_and_its_lock_with_them(home, kernel):
    """The kernel kills a worker whose run died; where it cannot be asked (planted), a thread watching the run does."""
    text = home / "raw" / YEAR / "text"
    for number in range(3, 303):  # enough documents for a pool of workers
        (text / f"credential_{number}.txt").write_bytes(page(f"Credential {number}"))
    workers, go = home / "workers", home / "go"
    workers.mkdir()
    hook = "from pipeline import workers\nworkers._kill_me_with_my_parent = lambda: False\n" if not kernel else ""
    hook += f"""
import os, time
from pipeline import parse
_original = parse._read_keyed
def _stuck(item):
    open(os.path.join({str(workers)!r}, str(os.getpid())), "a").close()
    deadline = time.monotonic() + {WAIT * 2}
    while not os.path.exists({str(go)!r}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _original(item)
parse._read_keyed = _stuck
"""
    run = _start(home, "extract", "--raw", "raw", "--out", "out", "--cache", "cache", "--workers", "2", hook=hook)
    deadline = time.monotonic() + WAIT
    while len(list(workers.iterdir())) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    pids = [int(path.name) for path in workers.iterdir()]
    assert len(pids) == 2 and run.pid not in pids
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + WAIT
    while any(map(_alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = [pid for pid in pids if _alive(pid)]
    go.touch()  # lets orphans, if any, finish
    assert orphans == [], "workers outlived the extract that started them"
    done = _extract(home)
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in home.iterdir()) == ["cache", "go", "out", "raw", "workers"]


def test_temporary_files_of_killed_writes_in_the_cache_are_removed_by_the_next_run(home):
    assert _extract(home).returncode == 0
    cache = home / "cache"
    left = [".stamp.json.k2x9ab_c", ".state.json.z81mq0w", ".documents-7.parquet.abc12345", ".tags.parquet.q1"]
    for name in left:
        (cache / name).write_bytes(b"half a file")
    (home / "raw" / YEAR / "text" / "credential_3.txt").write_bytes(page("Charlie Three"))
    assert _extract(home).returncode == 0
    assert not any(name.startswith(".") for name in os.listdir(cache))


def test_a_report_killed_mid_write_does_not_make_the_output_foreign(home):
    assert _extract(home).returncode == 0
    (home / "out" / ".report.html.a1b2c3d4").write_text("<html>half")  # what write_atomic leaves
    (home / "raw" / YEAR / "text" / "credential_3.txt").write_bytes(page("Charlie Three"))
    done = _extract(home)
    assert done.returncode == 0, done.stderr
    assert not (home / "out" / ".report.html.a1b2c3d4").exists()


def test_sigterm_mid_write_keeps_the_old_output_and_the_next_run_leaves_one_clean_output(home):
    assert _extract(home).returncode == 0
    before = _snapshot(home / "out")
    (home / "raw" / YEAR / "text" / "credential_3.txt").write_bytes(page("Charlie Three"))
    ready, go = home / "ready", home / "go"
    hook = _pause_hook("tables.export", "_described", ready, go)  # inside the staging folder, between two files
    run = _start(home, "extract", "--raw", "raw", "--out", "out", "--cache", "cache", hook=hook)
    _wait_for(ready, run)
    run.send_signal(signal.SIGTERM)
    run.wait(timeout=WAIT)
    assert _snapshot(home / "out") == before
    done = _extract(home)
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in home.iterdir()) == ["cache", "out", "raw", "ready"]
    assert _names(home) == {"Alpha One", "Bravo Two", "Charlie Three"}


def test_an_output_whose_marker_was_deleted_is_refused_not_called_current(home):
    assert _extract(home).returncode == 0
    (home / "out" / files.MARKER).unlink()
    again = _extract(home)
    assert again.returncode == 3 and NOTHING not in again.stdout
    assert again.stderr.startswith("error: --out out holds files that extract did not write (csv and 3 more)")


def test_a_read_only_cache_is_refused_with_its_reason_and_nothing_is_touched(home):
    """A cache on a read-only file system (here: a folder without write permission) cannot be kept current."""
    assert _extract(home).returncode == 0
    (home / "raw" / YEAR / "text" / "credential_3.txt").write_bytes(page("Charlie Three"))
    (home / "cache").chmod(0o555)
    before = _snapshot(home)
    try:
        refused = _extract(home)
    finally:
        (home / "cache").chmod(0o755)
    assert refused.returncode == 3
    assert refused.stderr.startswith("error: --cache cache: cannot write in ") and refused.stderr.count("\n") == 1
    assert _snapshot(home) == before


def test_gitignore_covers_a_lock_left_by_a_killed_run():
    name = f"{files.LOCK_PREFIX}extracted"
    done = subprocess.run(["git", "check-ignore", name], cwd=REPO, capture_output=True, text=True)
    assert done.stdout.split() == [name]


# --- 4. a baseline of another schema version -------------------------------------------------------------


def _rewrite(path: Path, change) -> None:
    """Rewrite a Parquet file as another writer would have: its own types and columns, no nccte:schema."""
    table = parquet.read_table(path)
    parquet.write_table(change(table.replace_schema_metadata(None)), path)


def _retyped(table: pa.Table, column: str, arrow_type: pa.DataType) -> pa.Table:
    index = table.schema.get_field_index(column)
    return table.set_column(index, column, table[column].cast(arrow_type))


@pytest.fixture
def older(home: Path) -> Path:
    """A baseline written by another schema: exam_minutes as text, credential_courses without course_code,
    credential_pathways missing; then one value changes in raw/."""
    (home / PAGE_1).write_bytes(
        page("Alpha One", "Course Number and TitleIM11 Advanced Manufacturing I", "Exam Time Allotment90 minutes")
    )
    (home / "raw" / YEAR / "text" / "credential_2.txt").write_bytes(page("Bravo Two", "Credential Lifespan3 years"))
    assert _cli(home, "extract", "--raw", "raw", "--out", "base", "--no-cache").returncode == 0
    parquet_dir = home / "base" / "parquet"
    for path in parquet_dir.iterdir():
        _rewrite(path, lambda table: table)
    _rewrite(parquet_dir / "credentials.parquet", lambda t: _retyped(t, "exam_minutes", pa.string()))
    _rewrite(parquet_dir / "credential_courses.parquet", lambda t: t.drop_columns(["course_code"]))
    (parquet_dir / "credential_pathways.parquet").unlink()
    (home / "raw" / YEAR / "text" / "credential_2.txt").write_bytes(page("Bravo Two", "Credential Lifespan5 years"))
    return home


def test_check_on_a_baseline_of_another_schema_names_both_versions_and_compares_the_rest(older):
    done = _cli(older, "check", "--raw", "raw", "--baseline", "base")
    assert done.returncode == 2, done.stderr
    report = done.stdout
    assert report.startswith("## Credential data check: valid, but extracted/ is stale (exit 2)\n")
    assert re.search(
        r"^- the baseline is schema version unknown \(written before schema versions were recorded\), "
        r"this extraction is [0-9a-f]{12}: only tables and columns both sides have, with types that compare, "
        r"are compared$",
        report,
        re.MULTILINE,
    )
    assert "- credential_courses: not compared (base/parquet/credential_courses.parquet is not an extract table " in (
        report
    )
    assert "- credential_pathways: not compared (base: missing credential_pathways)" in report
    assert "| ` credentials ` | ` exam_minutes ` | type str → Int64, not compared |" in report
    assert "| ` Bravo Two (2024-2025) ` | lifespan_years | ` 3.0 ` | ` 5.0 ` |" in report
    assert "| ` Bravo Two (2024-2025) ` | lifespan_text | ` 3 years ` | ` 5 years ` |" in report
    assert "exam_minutes | " not in report.split("### Changed values")[1]  # not compared, so never "changed"


def test_diff_json_of_outputs_of_two_schema_versions_lists_what_was_not_compared(older):
    assert _cli(older, "extract", "--raw", "raw", "--out", "new", "--no-cache").returncode == 0
    done = _cli(older, "diff", "base", "new", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["schema_version"]["old"] is None and re.fullmatch("[0-9a-f]{12}", report["schema_version"]["new"])
    assert report["schema"]["credentials"] == {
        "type_changed": [{"column": "exam_minutes", "old": "str", "new": "Int64", "compared": False}]
    }
    assert report["schema"]["credential_courses"]["added_columns"] == ["course_code"]
    assert "no course_code column" in report["schema"]["credential_courses"]["not_compared"]
    assert report["schema"]["credential_pathways"] == {"not_compared": "base: missing credential_pathways"}
    assert [(row["credential_name"], [c["column"] for c in row["columns"]]) for row in report["changed"]] == [
        ("Bravo Two", ["lifespan_years", "lifespan_text"])
    ]


def test_a_baseline_without_its_key_column_still_ends_in_a_verdict_with_its_cause(home):
    assert _cli(home, "extract", "--raw", "raw", "--out", "base", "--no-cache").returncode == 0
    _rewrite(home / "base" / "parquet" / "credentials.parquet", lambda t: t.drop_columns(["credential_slug"]))
    done = _cli(home, "check", "--raw", "raw", "--baseline", "base")
    assert done.returncode == 2, done.stderr
    assert "- credentials: not compared (base/parquet/credentials.parquet is not an extract table of this kind " in (
        done.stdout
    )
    assert (
        "| ` parquet/credentials.parquet ` | ` columns differ (only in baseline: none; only in fresh: " in done.stdout
    )


def test_a_baseline_of_a_newer_schema_with_the_same_rows_differs_only_in_its_metadata(home):
    assert _cli(home, "extract", "--raw", "raw", "--out", "base", "--no-cache").returncode == 0
    for path in (home / "base" / "parquet").iterdir():
        table = parquet.read_table(path)
        newer = {**table.schema.metadata, b"nccte:schema": b"0123456789ab"}
        parquet.write_table(table.replace_schema_metadata(newer), path)
    done = _cli(home, "check", "--raw", "raw", "--baseline", "base")
    assert done.returncode == 2
    assert "- the baseline is schema version 0123456789ab, this extraction is " in done.stdout
    assert "| ` parquet/credentials.parquet ` | ` same rows, other metadata (schema version 0123456789ab in the" in (
        done.stdout
    )
    assert "No typed value or child row changed" in done.stdout


def test_a_baseline_whose_pandas_description_does_not_fit_its_data_is_compared_not_a_crash(home):
    """exam_minutes rewritten as text under the pandas description that still says Int64 (a cast by hand)."""
    (home / PAGE_1).write_bytes(page("Alpha One", "Exam Time Allotment90 minutes"))
    assert _cli(home, "extract", "--raw", "raw", "--out", "base", "--no-cache").returncode == 0
    path = home / "base" / "parquet" / "credentials.parquet"
    parquet.write_table(_retyped(parquet.read_table(path), "exam_minutes", pa.string()), path)
    checked = _cli(home, "check", "--raw", "raw", "--baseline", "base")
    assert checked.returncode == 2, checked.stderr
    assert "| ` credentials ` | ` exam_minutes ` | type str → Int64, not compared |" in checked.stdout
    compared = _cli(home, "diff", "base", "base")
    assert compared.returncode == 0 and compared.stdout.endswith("No changes.\n")


# --- 5. what a spreadsheet or a terminal would run -------------------------------------------------------


def _csv_row(home: Path, table: str, **match: str) -> dict[str, str]:
    with (home / "out" / "csv" / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if all(row[key] == value for key, value in match.items())]
    assert len(rows) == 1
    return rows[0]


def test_csv_values_a_spreadsheet_would_run_get_a_quote_and_parquet_keeps_them(home):
    (home / PAGE_1).write_bytes(
        page(
            "Alpha One",
            'Validation Artifact=HYPERLINK("http://evil.example/","Certificate")',
            "Credential Lifespan-5 years",
            "Renewal Options@SUM(1+1)",
            "Exam Voucher Expiration'12 months",
            "Directory Notes+1 919 555 0100",
        ).replace(b"Directory NotesNone\n", b"")
    )
    assert _extract(home).returncode == 0
    row = _csv_row(home, "credentials", credential_name="Alpha One")
    assert row["validation_artifact"] == '\'=HYPERLINK("http://evil.example/","Certificate")'
    assert row["lifespan_text"] == "'-5 years"
    assert row["renewal_options"] == "'@SUM(1+1)"
    assert row["voucher_expiration"] == "''12 months"
    assert row["directory_notes"] == "'+1 919 555 0100"
    assert _csv_row(home, "rejects", column="lifespan_years")["failure_case"] == "-5.0"  # a number stays a number
    assert _csv_row(home, "label_values", label="Renewal Options")["value"] == "'@SUM(1+1)"
    typed = parquet.read_table(home / "out" / "parquet" / "credentials.parquet").to_pylist()
    alpha = next(item for item in typed if item["credential_name"] == "Alpha One")
    assert alpha["validation_artifact"] == '=HYPERLINK("http://evil.example/","Certificate")'
    assert (alpha["lifespan_text"], alpha["renewal_options"]) == ("-5 years", "@SUM(1+1)")
    assert (alpha["voucher_expiration"], alpha["directory_notes"]) == ("'12 months", "+1 919 555 0100")


def test_file_names_and_page_text_reach_the_terminal_with_control_characters_escaped(home):
    text = home / "raw" / YEAR / "text"
    (text / "credential_7\x1b]0;owned\x07.txt").write_bytes(b"")
    (text / "credential_8\nerror: all is well.txt").write_bytes(b"   ")
    done = _extract(home)
    assert done.returncode == 0
    assert "unreadable: 2024-2025/text/credential_7\\x1b]0;owned\\x07.txt: empty file" in done.stdout
    assert "unreadable: 2024-2025/text/credential_8\\nerror: all is well.txt: empty file" in done.stdout
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert not any(line.startswith("error") for line in done.stdout.splitlines())
    checked = _cli(home, "check", "--raw", "raw", "--baseline", "out")
    assert "| ` 2024-2025/text/credential_7\\x1b]0;owned\\x07.txt ` | ` empty file ` |" in checked.stdout
    assert "\x1b" not in checked.stdout and "\x07" not in checked.stdout
    (home / "note\x1b[2J").write_text("a file")
    refused = _cli(home, "extract", "--raw", "raw", "--out", "note\x1b[2J", "--no-cache")
    assert refused.stderr == "error: --out note\\x1b[2J is an existing file, not a folder\n"


def test_report_writes_only_into_an_extract_output(home):
    assert _extract(home).returncode == 0
    shutil.copytree(home / "out", home / "mine")
    (home / "mine" / files.MARKER).unlink()  # a folder of the user's that happens to hold parquet/
    refused = _cli(home, "report", "--out", "mine")
    assert refused.returncode == 3
    assert refused.stderr == (
        "error: --out mine is not an extract output (no .nccte-extract in it); report writes only beside "
        "extract's outputs\n"
    )
    assert not (home / "mine" / files.REPORT_NAME).exists()
    written = _cli(home, "report", "--out", "out")
    assert written.returncode == 0 and (home / "out" / files.REPORT_NAME).is_file()
