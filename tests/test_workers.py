"""Workers never outlive the run that started them (pipeline/workers.py), watched from outside.

A pool is made as every step makes it (`workers.pool`), or a run is forked here and forks its worker,
which calls `workers.start` as a pool's initializer does; the run is then killed (`kill -9`) and the worker must
end with it. The kernel's answer is read back with `prctl(PR_GET_PDEATHSIG)`, the worker's descriptors from
/proc/self/fd: Linux only. Every wait is bounded (60 s) only so that a worker that outlives its run fails the
test instead of hanging it.
"""

from __future__ import annotations

import ctypes
import gc
import os
import select
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline import files, workers

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path("/proc/self/fd").is_dir(), reason="prctl and /proc: Linux"
)

WAIT = 60  # seconds: only a worker that outlives its run takes this long
_PR_SET_PDEATHSIG, _PR_GET_PDEATHSIG = 1, 2  # <linux/prctl.h>


def _death_signal() -> int:
    """The signal the kernel sends this process when its parent dies (0: none), as prctl reads it back."""
    found = ctypes.c_int(-1)
    assert ctypes.CDLL(None, use_errno=True).prctl(_PR_GET_PDEATHSIG, ctypes.byref(found), 0, 0, 0) == 0
    return found.value


def _open_files() -> set[str]:
    """What this process's descriptors point to."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass  # the descriptor listdir itself used
    return found


@pytest.fixture
def no_death_signal_after():
    """This process's death signal put back to none after the test (`workers.start` is run in pytest's process)."""
    yield
    assert ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, 0, 0, 0, 0) == 0


def test_the_initializer_asks_the_kernel_to_kill_its_process_with_its_parent_and_starts_no_thread(
    no_death_signal_after,
):
    assert _death_signal() == 0
    threads = set(threading.enumerate())
    workers.start(os.getppid())  # its parent is the parent it was told of: it goes on
    assert _death_signal() == signal.SIGKILL
    assert set(threading.enumerate()) == threads


def _worker_state() -> tuple[int, list[str], set[str]]:
    """Run in a pool's worker: its death signal, its threads' names, the files it holds open."""
    return _death_signal(), sorted(thread.name for thread in threading.enumerate()), _open_files()


_START = workers.start  # what each pool process runs first, kept here: tests put another in its place


def _as_on_another_system(parent: int) -> None:
    """A pool initializer: `workers.start` on a system that is not Linux (no prctl to ask)."""
    sys.platform = "darwin"
    _START(parent)


def _pool_state(tmp_path: Path) -> tuple[int, list[str], bool]:
    """A pool made as every step makes it (`workers.pool`), while this process holds a run's lock: what its
    worker says of itself, and whether the run's lock file is among the files the worker holds open. The pool
    must shut down (waited for on a thread, so that a worker that does not end fails the test)."""
    lock = tmp_path / ".lock-extract-out"
    with files.locked(lock, "a test run"):
        made = workers.pool(1)
        pool = made.__enter__()
        signal_, threads, opened = pool.submit(_worker_state).result(timeout=WAIT)
        ended = threading.Thread(target=pool.shutdown, daemon=True)
        ended.start()
        ended.join(WAIT)
        stuck = [process.pid for process in (pool._processes or {}).values() if process.is_alive()]
        for pid in stuck:
            os.kill(pid, signal.SIGKILL)
        made.__exit__(None, None, None)
    assert not ended.is_alive() and not stuck, "the pool's worker did not end when its work was done"
    return signal_, threads, str(lock) in opened


def test_a_pools_worker_asks_the_kernel_to_kill_it_with_the_run_and_lets_go_of_the_runs_lock(tmp_path):
    assert _pool_state(tmp_path) == (signal.SIGKILL, ["MainThread"], False)


def test_where_the_kernel_cannot_be_asked_a_thread_watches_the_run_and_the_worker_still_ends(tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "_kill_me_with_my_parent", lambda: False)  # inherited by the forked worker
    assert _pool_state(tmp_path) == (0, ["MainThread", "parent-watch"], False)


def test_on_another_system_a_thread_watches_the_run_and_prctl_is_not_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "start", _as_on_another_system)
    assert _pool_state(tmp_path) == (0, ["MainThread", "parent-watch"], False)


_INHERITED = {"mark": "as imported"}  # set by a test before its pool forks: a forked process sees what it set


def _pool_process_facts() -> tuple[int, str, int]:
    return os.getpid(), _INHERITED["mark"], gc.get_freeze_count()


@pytest.mark.parametrize("method", ["spawn", "forkserver", "fork"])
def test_a_pool_forks_this_run_whatever_the_start_method_and_freezes_its_objects_while_it_lives(monkeypatch, method):
    """Rule: a pool's processes are forked from the run (they inherit what it set, here a module global), whatever
    start method the program set; while the pool lives the run's objects are frozen (the collector in a forked
    process would copy them), and thawed once it is gone."""
    import multiprocessing

    monkeypatch.setitem(_INHERITED, "mark", "set by the run")
    default = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method(method, force=True)
    try:
        assert gc.get_freeze_count() == 0
        with workers.pool(1) as pool:
            frozen_here = gc.get_freeze_count()
            pid, mark, _ = pool.submit(_pool_process_facts).result(timeout=WAIT)
    finally:
        multiprocessing.set_start_method(default, force=True)
    assert pid != os.getpid() and mark == "set by the run"
    assert frozen_here > 1000 and gc.get_freeze_count() == 0


_COUNTED: dict = {}  # where `_counted` writes (set by the test before its pool forks)


def _counted(parent: int) -> None:
    """A pool initializer: `workers.start`, after writing "<this pid> <the run's pid>" to a file."""
    with open(_COUNTED["file"], "a") as handle:
        handle.write(f"{os.getpid()} {parent}\n")
    _START(parent)


@pytest.mark.parametrize("processes", [1, 3])
def test_a_pool_has_the_processes_asked_each_started_as_a_worker_of_this_run(tmp_path, monkeypatch, processes):
    """Rule: a pool of n processes forks n (not one per core: the cores said here are 5), each started by
    `workers.start` with this run's pid. A forked pool starts all its processes with its first task."""
    monkeypatch.setitem(_COUNTED, "file", tmp_path / "started")
    monkeypatch.setattr(workers, "start", _counted)
    monkeypatch.setattr(os, "cpu_count", lambda: 5)
    with workers.pool(processes) as pool:
        pool.submit(os.getpid).result(timeout=WAIT)
    started = [line.split() for line in (tmp_path / "started").read_text().splitlines()]
    assert len(started) == processes
    assert {parent for _, parent in started} == {str(os.getpid())}
    assert len({pid for pid, _ in started}) == processes and str(os.getpid()) not in {pid for pid, _ in started}


def test_a_pool_whose_process_dies_thaws_the_runs_objects_all_the_same():
    from concurrent.futures.process import BrokenProcessPool

    with pytest.raises(BrokenProcessPool), workers.pool(1) as pool:
        pool.submit(os._exit, 9).result(timeout=WAIT)
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("asked", [1, 2, 5])
def test_a_run_works_on_the_processes_asked_whatever_the_cores(monkeypatch, asked):
    monkeypatch.setattr("loky.backend.context.cpu_count", lambda: 64)
    assert workers.run_processes(asked) == asked


def test_not_asked_a_run_works_on_the_cores_loky_counts(monkeypatch):
    monkeypatch.setattr("loky.backend.context.cpu_count", lambda: 3)
    assert workers.run_processes(None) == 3


@pytest.mark.parametrize(("limit", "processes"), [("1", 1), (" 2 ", 2), ("0", 1)])
def test_loky_s_own_bound_on_the_cores_is_honoured(monkeypatch, limit, processes):
    monkeypatch.setenv("LOKY_MAX_CPU_COUNT", limit)
    assert workers.run_processes(None) == min(processes, len(os.sched_getaffinity(0)))


@pytest.mark.parametrize("limit", ["two", ""])
def test_a_bound_on_the_cores_that_is_no_number_stops_the_run_with_one_line_naming_it(tmp_path, limit):
    """Rule: a LOKY_MAX_CPU_COUNT that is not a whole number is a usage error naming it (exit 3), not an internal
    error; with --workers given it is never read."""
    import subprocess

    env = {**os.environ, "LOKY_MAX_CPU_COUNT": limit}
    repo = Path(__file__).resolve().parents[1]
    (tmp_path / "raw" / "2024-2025" / "html").mkdir(parents=True)
    (tmp_path / "raw" / "2024-2025" / "html" / "credential_1.html").write_text(
        "<h1>Welding</h1><table><tr><td>Credential Name</td><td>Welding Basics</td></tr></table>"
    )
    command = [sys.executable, "-m", "pipeline", "extract", "--raw", str(tmp_path / "raw"), "--no-cache"]
    refused = subprocess.run([*command, "--out", str(tmp_path / "a")], env=env, cwd=repo, capture_output=True,
                             text=True, timeout=WAIT)  # fmt: skip
    assert refused.returncode == 3
    assert refused.stderr.strip().splitlines()[-1] == (
        f"error: LOKY_MAX_CPU_COUNT={limit!r} is not a whole number (it bounds --workers' default)"
    )
    given = subprocess.run([*command, "--out", str(tmp_path / "b"), "--workers", "1"], env=env, cwd=repo,
                           capture_output=True, text=True, timeout=WAIT)  # fmt: skip
    assert given.returncode == 0, given.stderr


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two usable CPUs to take one away")
def test_not_asked_a_run_bounded_to_one_cpu_works_on_one_process():
    """Rule: the cores counted are those this process may run on (`taskset -c 0`), not the machine's."""
    import subprocess

    one = min(os.sched_getaffinity(0))
    count = "import os; from pipeline.workers import run_processes; print(os.cpu_count(), run_processes(None))"
    shown = subprocess.run(
        [sys.executable, "-c", count],
        preexec_fn=lambda: os.sched_setaffinity(0, {one}),
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=WAIT,
    ).stdout.split()
    assert int(shown[0]) >= 2 and shown[1] == "1"  # the machine has more: one is usable


def _forked(body) -> int:
    """Fork; the child runs `body` and ends there (exit 70 if it raised), never back in pytest."""
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            body()
            code = 0
        finally:
            os._exit(code)
    return pid


def _read(fd: int, until: bytes | None) -> tuple[bytes, bool]:
    """What the pipe gives within WAIT seconds, up to `until` (or to its end): (bytes, whether it was closed)."""
    data, deadline = b"", time.monotonic() + WAIT
    while (until is None or until not in data) and (left := deadline - time.monotonic()) > 0:
        if not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            return data, True
        data += chunk
    return data, False


def _sleep_at_most(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.05)


def _run_and_worker(worker_body, write: int, read: int) -> int:
    """Fork a run that forks its worker (`worker_body(run_pid)`, holding the pipe's write end) and then waits to
    be killed. Returns the run's pid."""

    def run() -> None:
        run_pid = os.getpid()
        _forked(lambda: (os.close(read), worker_body(run_pid)))
        os.close(write)
        os.close(read)
        _sleep_at_most(3 * WAIT)  # longer than the test waits for its end

    return _forked(run)


def _kernel(run_pid: int) -> None:
    pass


def _watcher(run_pid: int) -> None:
    workers._kill_me_with_my_parent = lambda: False  # as on a kernel that refuses: the watching thread


def _elsewhere(run_pid: int) -> None:
    sys.platform = "darwin"


def _no_libc(run_pid: int) -> None:
    def refused(*args, **kwargs):
        raise OSError("no C library to load")

    ctypes.CDLL = refused  # a Linux whose C library cannot be opened: the watching thread


@pytest.mark.parametrize(
    "how", [_kernel, _watcher, _elsewhere, _no_libc], ids=["kernel", "watcher", "another system", "no libc"]
)
def test_a_worker_ends_when_its_run_is_killed(how):
    read, write = os.pipe()

    def worker(run_pid: int) -> None:
        how(run_pid)
        workers.start(run_pid)
        os.write(write, f"{os.getpid()} started\n".encode())
        _sleep_at_most(3 * WAIT)  # longer than the test waits for its end

    run = _run_and_worker(worker, write, read)
    os.close(write)
    try:
        said, _ = _read(read, b"\n")
        assert said.endswith(b" started\n"), said
        os.kill(run, signal.SIGKILL)
        os.waitpid(run, 0)
        rest, closed = _read(read, None)  # the worker's end of the pipe closes when it ends
        if not closed:
            os.kill(int(said.split()[0]), signal.SIGKILL)
        assert closed and rest == b"", "the worker outlived the run that started it"
    finally:
        os.close(read)


def test_a_worker_whose_run_died_before_it_started_ends_at_once():
    """The run is killed between making the pool and its worker's first step: the kernel would never tell."""
    read, write = os.pipe()

    def worker(run_pid: int) -> None:
        os.write(write, b"forked\n")
        deadline = time.monotonic() + WAIT
        while os.getppid() == run_pid and time.monotonic() < deadline:
            time.sleep(0.01)  # until the run is gone
        os.write(write, b"run gone\n")
        workers.start(run_pid)
        os.write(write, b"started anyway\n")

    run = _run_and_worker(worker, write, read)
    os.close(write)
    try:
        assert _read(read, b"\n") == (b"forked\n", False)
        os.kill(run, signal.SIGKILL)
        os.waitpid(run, 0)
        said, closed = _read(read, None)
        assert (said, closed) == (b"run gone\n", True)
    finally:
        os.close(read)


def test_a_worker_told_of_a_run_that_is_not_its_parent_ends_itself_without_raising_into_the_pool():
    """`start` ends the process (os._exit) when its run is gone: an exception would reach the pool, which logs
    "Exception in initializer" with a traceback on the run's terminal."""
    gone = _forked(lambda: None)
    os.waitpid(gone, 0)  # a run that has ended
    worker = _forked(lambda: workers.start(gone))  # this process is its parent, not `gone`
    _, status = os.waitpid(worker, 0)
    assert os.waitstatus_to_exitcode(status) not in (0, 70)  # 0: start returned; 70: start raised
