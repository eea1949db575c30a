"""Nothing changed, nothing done (issue 13): a re-run with the same inputs, code and outputs stops at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    ],
    ids=[
        "page edited",
        "page added",
        "page removed",
        "output edited",
        "output removed",
        "stamp corrupt",
        "stamp of another shape",
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
