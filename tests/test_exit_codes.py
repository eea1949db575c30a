"""One table of exit codes for every command (issue 20): 0 ok, 1 invalid or changed, 2 stale, 3 usage error,
130 interrupted. Each code is pinned through the command line, where users meet it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import exits
from tests.conftest import REPO
from tests.test_bad_input import page

COMMANDS = ("extract", "scrape", "diff", "check", "report", "refresh")


def _cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A raw/ of one good page and its extract output."""
    root = tmp_path_factory.mktemp("small")
    (root / "raw" / "2024-2025" / "text").mkdir(parents=True)
    (root / "raw" / "2024-2025" / "text" / "credential_1.txt").write_bytes(page("Alpha", "Credential Lifespan3 years"))
    assert _cli("extract", "--raw", "raw", "--out", "extracted", "--no-cache", cwd=root).returncode == 0
    return root


def test_the_readme_table_is_the_one_the_code_has():
    readme = (REPO / "README.md").read_text()
    start = readme.index("-->", readme.index("<!-- exits:start")) + len("-->\n")
    assert readme[start : readme.index("<!-- exits:end -->")] == exits.markdown(), "run: python -m pipeline.exits"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_commands_help_shows_the_table(command):
    done = _cli(command, "--help")
    assert done.returncode == 0
    table = done.stdout[done.stdout.index("exit codes:") :]
    assert [line.split(":")[0].split() for line in table.splitlines()[1:]] == [
        ["0", "ok"],
        ["1", "invalid", "or", "changed"],
        ["2", "stale"],
        ["3", "usage", "error"],
        ["130", "interrupted"],
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["extract", "--workers", "0"],  # argparse's own refusal
        ["extract", "--no-such-flag"],
        ["diff"],  # a missing argument
        ["check", "--format", "xml"],
        ["scrape", "--year", "2024-2026"],  # the command's own refusal
        ["report", "--out", "no-such-folder"],
        ["refresh"],
        ["refresh", "--year", "2024", "--raw", "raw"],
        ["no-such-command"],
    ],
)
def test_a_usage_error_exits_3_argparse_included(args, tmp_path):
    done = _cli(*args, cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert done.stderr.strip().splitlines()[-1].split(":")[0] in ("error", "nccte", f"nccte {args[0]}")


def test_extract_exits_0_when_it_wrote_and_3_when_there_is_nothing_to_read(small, tmp_path):
    assert _cli("extract", "--raw", "raw", "--out", str(tmp_path / "o"), "--no-cache", cwd=small).returncode == 0
    (tmp_path / "raw" / "2024-2025").mkdir(parents=True)
    done = _cli("extract", "--raw", "raw", "--out", "o", cwd=tmp_path)
    assert (
        done.returncode == 3
        and done.stderr == "error: no documents under raw (expected raw/<school_year>/<kind>/<file>)\n"
    )


def test_diff_exits_1_on_changes_with_exit_code_and_on_an_unreadable_output(small, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(small / "extracted", other)
    assert _cli("diff", "extracted", str(other), "--exit-code", cwd=small).returncode == 0
    (other / "parquet" / "credentials.parquet").write_bytes(b"garbage")
    assert _cli("diff", "extracted", str(other), cwd=small).returncode == 1
    assert _cli("diff", "extracted", str(tmp_path), cwd=small).returncode == 3  # not an extract output


def test_check_exits_0_current_1_invalid_2_stale_3_usage(small, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(small, repo)
    assert _cli("check", cwd=repo).returncode == 0
    pages = repo / "raw" / "2024-2025" / "text"
    (pages / "credential_1.txt").write_bytes(page("Alpha", "Credential Lifespan5 years"))
    assert _cli("check", cwd=repo).returncode == 2
    (pages / "credential_2.txt").write_bytes(page("Bravo", "Exam Passing Requirement900 out of 500"))
    assert _cli("check", cwd=repo).returncode == 1
    assert _cli("check", "--baseline", "nowhere", cwd=repo).returncode == 3


def test_scrape_exits_1_when_the_host_cannot_be_reached(tmp_path):
    done = _cli("scrape", "--year", "2024-2025", "--base-url", "http://127.0.0.1:9/nccte-cms/", cwd=tmp_path)
    assert done.returncode == 1 and "cannot reach 127.0.0.1:9" in done.stderr


def test_a_command_interrupted_by_ctrl_c_exits_130(tmp_path):
    """A refresh against a server that never answers, interrupted as a person does (SIGINT)."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()  # accepts connections, never answers
    port = listener.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "refresh",
            "--year",
            "2024-2025",
            "--timeout",
            "60",
            "--base-url",
            f"http://127.0.0.1:{port}/nccte-cms/",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"},  # SIGABRT prints its stack
        # A terminal's foreground job gets Ctrl-C; a suite started in the background (`cmd &` in a script, CI
        # runners) ignores SIGINT, and an ignored signal stays ignored across exec: this child would never see it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until it is waiting on the server
            try:
                listener.settimeout(0.2)
                connection, _ = listener.accept()
                break
            except TimeoutError:
                continue
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            # CPython runs a signal's handler between calls: a Ctrl-C that lands just before the blocking read
            # starts waits for that read's --timeout. A person presses Ctrl-C again; the second lands in the read.
            process.send_signal(signal.SIGINT)
            try:
                _, err = process.communicate(timeout=45)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGABRT)  # where it hangs, for the failure's message
                _, err = process.communicate(timeout=30)
    finally:
        listener.close()
    assert process.returncode == 130, err[:4000]  # faulthandler prints the most recent call first
    assert err.strip().splitlines()[-1].startswith("interrupted: refresh stopped")
