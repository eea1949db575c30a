"""extract never destroys what it did not write (CONTRACT section 6, issue 9).

Every refusal is checked through the command line: exit code, the one-line
reason, and a snapshot of the whole temporary tree showing nothing changed.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import cli, files
from tests.conftest import REPO, SEED


def _tree(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every path under root with its bytes (None for folders) and permission bits."""
    return {
        path.relative_to(root).as_posix(): (
            path.read_bytes() if path.is_file() else None,
            stat.S_IMODE(path.lstat().st_mode),
        )
        for path in [root, *root.rglob("*")]
    }


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A checkout-like folder: raw/ with one real page, a .git folder and a README."""
    (tmp_path / "raw" / "2023-2024" / "text").mkdir(parents=True)
    (tmp_path / "raw" / "2023-2024" / "text" / "credential_1118.txt").write_bytes(SEED.read_bytes())
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "README.md").write_text("mine\n")
    return tmp_path


def _extract(home: Path, out: str, capsys, raw: str = "raw") -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(home)
    try:
        code = cli.main(["extract", "--raw", raw, "--out", out, "--no-cache"])
    finally:
        os.chdir(cwd)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "out, reason",
    [
        (".", "--out . contains the raw folder raw"),
        ("raw", "--out raw is the raw folder"),
        ("raw/2023-2024", "--out raw/2023-2024 is inside the raw folder raw"),
        ("README.md", "--out README.md is an existing file, not a folder"),
        (".git", "--out .git holds files that extract did not write (HEAD)"),
    ],
)
def test_extract_refuses_an_unsafe_out_and_touches_nothing(home, capsys, out, reason):
    before = _tree(home)
    code, err = _extract(home, out, capsys)
    assert code == 3
    assert err.startswith(f"error: {reason}") and err.count("\n") == 1
    assert _tree(home) == before


@pytest.mark.parametrize(
    "cache, reason",
    [
        (".git", "--cache .git holds files extract did not write (HEAD)"),
        ("raw", "--cache raw overlaps --raw raw"),
        ("raw/2023-2024", "--cache raw/2023-2024 overlaps --raw raw"),
        (".", "--cache . overlaps --raw raw"),
        ("out", "--cache out overlaps --out out"),
        ("out/cache", "--cache out/cache overlaps --out out"),
        ("README.md", "--cache README.md is an existing file, not a folder"),
    ],
)
def test_extract_refuses_an_unsafe_cache_folder_and_touches_nothing(home, capsys, cache, reason):
    """extract writes, replaces and removes files in its cache folder: never in one of the user's."""
    (home / ".git" / "documents-3.parquet").write_text("the user's, though named like a cache file\n")
    before = _tree(home)
    cwd = os.getcwd()
    os.chdir(home)
    try:
        code = cli.main(["extract", "--raw", "raw", "--out", "out", "--cache", cache])
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith(f"error: {reason}") and err.count("\n") == 1
    assert _tree(home) == before


def test_a_cache_folder_of_an_earlier_format_is_used(home, capsys):
    (home / "cache").mkdir()
    (home / "cache" / "documents.json").write_text("{}")  # what the cache was before state.json
    (home / "cache" / ".state.json.k2x9ab").write_text("")  # a write a killed run left
    cwd = os.getcwd()
    os.chdir(home)
    try:
        assert cli.main(["extract", "--raw", "raw", "--out", "out", "--cache", "cache"]) == 0
    finally:
        os.chdir(cwd)
    assert (home / "cache" / "state.json").is_file() and (home / "out" / "csv" / "credentials.csv").is_file()


def test_a_folder_holding_other_files_is_refused_even_beside_a_marker(home, capsys):
    (home / "out").mkdir()
    (home / "out" / files.MARKER).write_text("")
    (home / "out" / "notes.txt").write_text("my notes\n")
    before = _tree(home)
    code, err = _extract(home, "out", capsys)
    assert code == 3 and "holds files besides extract's outputs (notes.txt)" in err
    assert _tree(home) == before


def test_a_read_only_output_folder_is_refused(home, capsys):
    code, _ = _extract(home, "out", capsys)
    assert code == 0
    (home / "out").chmod(0o555)
    before = _tree(home)
    code, err = _extract(home, "out", capsys)
    after = _tree(home)
    (home / "out").chmod(0o755)
    assert code == 3 and err == "error: --out out is read-only\n"
    assert after == before


def test_new_and_empty_folders_are_written_and_marked(home, capsys):
    (home / "empty").mkdir()
    for out in ("empty", "new/deeper"):
        code, _ = _extract(home, out, capsys)
        assert code == 0
        assert sorted(p.name for p in (home / out).iterdir()) == [
            files.MARKER,
            "csv",
            "datapackage.json",
            "parquet",
            "summary.json",
        ]


def test_rerun_replaces_its_own_output_keeps_permissions_and_leaves_no_copy(home, capsys):
    _extract(home, "out", capsys)
    (home / "out").chmod(0o750)
    (home / "out" / "csv" / "stale.csv").write_text("x\n")  # inside extract's own csv/: replaced
    code, _ = _extract(home, "out", capsys)
    assert code == 0
    assert stat.S_IMODE((home / "out").stat().st_mode) == 0o750
    assert not (home / "out" / "csv" / "stale.csv").exists()
    assert sorted(p.name for p in home.iterdir()) == [".git", "README.md", "out", "raw"]


def test_an_interrupted_write_keeps_the_old_output_and_leaves_nothing(home, capsys, monkeypatch):
    _extract(home, "out", capsys)
    before = _tree(home)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("pipeline.tables.export.parquet.write_table", interrupted)
    code, err = _extract(home, "out", capsys)
    assert code == 130
    assert err.splitlines()[-1] == "interrupted: extract stopped; the previous output is unchanged"
    assert _tree(home) == before


def test_copies_left_by_a_killed_run_are_removed_by_the_next_run(home, capsys):
    dead = _dead_pid()
    for prefix in (files.STAGING_PREFIX, files.RETIRED_PREFIX):
        left = home / f"{prefix}out-{dead}-abc123"
        (left / "csv").mkdir(parents=True)
        (left / files.MARKER).write_text("")
    users = home / f"{files.STAGING_PREFIX}out-{dead}-notours"  # holds the user's file: not ours, kept
    users.mkdir()
    (users / "mine.txt").write_text("mine\n")
    (home / f"{files.STAGING_PREFIX}out-{dead}-empty").mkdir()  # killed right after mkdtemp: ours, removed
    _extract(home, "out", capsys)
    assert sorted(p.name for p in home.iterdir()) == [".git", users.name, "README.md", "out", "raw"]


def test_an_output_gone_between_the_two_renames_is_restored(home, capsys):
    _extract(home, "out", capsys)
    retired = home / f"{files.RETIRED_PREFIX}out-{_dead_pid()}-abc123"
    (home / "out").rename(retired)
    assert files.clean_leftovers((home / "out").resolve()) == []
    assert (home / "out" / files.MARKER).exists() and not retired.exists()


def test_kill_9_mid_run_then_a_normal_run_leaves_one_clean_output(home):
    """A real process killed while it writes; the next run cleans up after it."""
    raw = home / "raw" / "2023-2024" / "text"
    for number in range(300):  # enough work to be caught mid-run
        (raw / f"credential_{number}.txt").write_bytes(SEED.read_bytes())
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "extract",
        "--raw",
        "raw",
        "--out",
        "out",
        "--no-cache",
        "--workers",
        "1",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(home.glob(f"{files.STAGING_PREFIX}*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed mid-write"
    assert list(home.glob(f"{files.STAGING_PREFIX}out-*")), "the kill left no staging copy to clean"
    done = subprocess.run(command, cwd=home, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in home.iterdir()) == [".git", "README.md", "out", "raw"]


def test_gitignore_covers_staging_and_retired_copies():
    names = [f"{files.STAGING_PREFIX}extracted-123-abc", f"extracted/../{files.RETIRED_PREFIX}extracted-123-abc"]
    done = subprocess.run(["git", "check-ignore", *names], cwd=REPO, capture_output=True, text=True)
    assert done.stdout.split() == names


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_live_writers_staging_copy_is_left_alone_and_a_dead_ones_removed(tmp_path):
    out = (tmp_path / "out").resolve()
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # another run, still writing
    try:
        live = tmp_path / f"{files.STAGING_PREFIX}out-{writer.pid}-abc123"
        dead = tmp_path / f"{files.STAGING_PREFIX}out-{_dead_pid()}-def456"
        for copy in (live, dead):
            copy.mkdir()
            (copy / files.MARKER).write_text("")
        assert files.clean_leftovers(out) == [dead]
        assert live.is_dir() and not dead.exists()
    finally:
        writer.kill()
        writer.wait()


def test_a_file_written_again_keeps_its_mode(tmp_path):
    path = tmp_path / "history.json"
    path.write_text("{}\n")
    path.chmod(0o640)
    files.write_atomic(path, b'{"refreshes": []}\n')
    assert path.read_bytes() == b'{"refreshes": []}\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
