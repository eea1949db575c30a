"""pipeline/read/pdf_worker.py in-process: the PDF reader's own process (a session's long-lived worker, a
crash or hang costing one document, its limits and restarts).

The reader (`parse_pdf`) is monkeypatched before the worker is forked, so the worker runs the planted one: it
returns its own pid, raises, hangs or kills its process. The worker's side (`_serve`, `_request`, `_write_reply`,
the limits) is also called in pytest's own process, on pipes, with the process-wide calls recorded instead of
made. Every expected value is written by hand. No signal is ever sent to pytest, its parent or pid 1: only to a
worker this file forked (checked before each kill).
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import signal
import struct
import time
from types import SimpleNamespace

import pytest

from pipeline.read import pdf_worker
from pipeline.read.documents import DocumentError

MB = 2**20


def _own_child(pid):
    assert pid not in (None, 0, 1, os.getpid(), os.getppid())
    return pid


def _reaped(pid):
    """The worker is gone and waited for (not a zombie left behind)."""
    _own_child(pid)
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _parse(data):
    """The planted reader: what the bytes say it does; else its own pid and the length it was given."""
    if data == b"raise":
        raise ValueError("bad xref")
    if data == b"memory":
        raise MemoryError
    if data == b"exit 3":
        os._exit(3)
    if data == b"abort":
        os.abort()
    if data == b"kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if data == b"xcpu":
        os.kill(os.getpid(), signal.SIGXCPU)
    if data == b"hang":
        time.sleep(60)
    if data == b"big":
        return b"x" * (3 * MB + 5)
    return (os.getpid(), len(data))


@pytest.fixture(autouse=True)
def signals_only_to_workers(monkeypatch):
    """os.kill refused for pid 0 (the whole process group: under mutmut, the run itself), -1, 1, pytest and its
    parent. A mutant that forks and lets both processes go on as the parent (`if pid == 1`) leaves a copy of
    pytest holding pid 0 as its worker's: that copy ends here, quietly, instead of killing its group."""
    real, me, parent = os.kill, os.getpid(), os.getppid()

    def kill(pid, sig):
        if pid <= 1 or pid == parent or (pid == me and os.getpid() != me):
            if os.getpid() != me:
                os._exit(70)
            raise AssertionError(f"os.kill({pid}, {sig}) refused")
        real(pid, sig)

    monkeypatch.setattr(os, "kill", kill)


@pytest.fixture
def planted(monkeypatch):
    monkeypatch.setattr(pdf_worker, "parse_pdf", _parse)
    monkeypatch.setattr(pdf_worker, "MAX_SECONDS", 5)  # a read here takes milliseconds: a mutant's hang costs 5 s


@pytest.fixture
def worker(planted):
    made = pdf_worker.Worker()
    yield made
    made.close()


# --- the parent's side: a worker reads one PDF after another; its death is the document's cause --------------


def test_a_worker_reads_one_document_after_another_in_one_process(worker):
    """One fork for many documents: the same pid reads both, and each reply is that document's."""
    first_pid, size = worker.read(b"%PDF-1")
    assert size == 6
    assert _own_child(first_pid) == worker.pid
    assert worker.read(b"%PDF-12345") == (first_pid, 10)


def test_documents_and_replies_larger_than_one_chunk_travel_whole(worker):
    """Requests and replies go in 1 MiB chunks both ways: 3 MiB and 5 bytes arrive whole."""
    pid, size = worker.read(b"a" * (3 * MB + 7))
    assert size == 3 * MB + 7
    assert worker.read(b"big") == b"x" * (3 * MB + 5)


def test_a_reader_error_is_raised_in_the_parent_and_the_worker_lives_on(worker):
    pid, _ = worker.read(b"1")
    with pytest.raises(ValueError, match="^bad xref$"):
        worker.read(b"raise")
    assert worker.read(b"22") == (pid, 2)


def test_a_worker_out_of_memory_reports_it_and_is_retired(worker):
    """A MemoryError: the document's cause says so, and the worker is not trusted with the next one."""
    pid, _ = worker.read(b"1")
    with pytest.raises(DocumentError, match="^needs over 1024 MB of memory to read; not read$") as raised:
        worker.read(b"memory")
    assert type(raised.value) is DocumentError
    assert worker.pid is None
    assert _reaped(pid)
    new_pid, _ = worker.read(b"1")
    assert new_pid != pid


@pytest.mark.parametrize(
    "data, cause",
    [
        (b"exit 3", "the PDF reader stopped (exit code 3); not read"),
        (
            b"abort",
            "the PDF reader crashed (SIGABRT): out of its 1024 MB of memory, or a PDF PDFium cannot read; not read",
        ),
        (
            b"kill",
            "the PDF reader crashed (SIGKILL): out of its 1024 MB of memory, or a PDF PDFium cannot read; not read",
        ),
        (b"xcpu", "took over 10 s of processor time to read; stopped"),
    ],
    ids=["exit", "abort", "killed", "cpu"],
)
def test_a_worker_that_dies_is_its_documents_cause_and_the_next_pdf_forks_another(worker, data, cause):
    pid, _ = worker.read(b"1")
    with pytest.raises(DocumentError) as raised:
        worker.read(data)
    assert str(raised.value) == cause
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert worker.pid is None
    assert _reaped(pid)
    new_pid, size = worker.read(b"333")
    assert (new_pid != pid, size) == (True, 3)


def test_a_worker_dead_before_the_request_is_found_when_writing(worker):
    """The worker killed while idle: the request meets a closed pipe; the cause is its death signal."""
    pid, _ = worker.read(b"1")
    os.kill(_own_child(pid), signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # wait until it is a zombie (its pipe's end closed by the kernel)
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                break
        time.sleep(0.01)
    with pytest.raises(DocumentError) as raised:
        worker.read(b"x" * (2 * MB))
    assert str(raised.value) == (
        "the PDF reader crashed (SIGKILL): out of its 1024 MB of memory, or a PDF PDFium cannot read; not read"
    )
    assert worker.pid is None
    assert _reaped(pid)
    assert worker.read(b"22")[1] == 2


def test_a_worker_past_its_deadline_is_killed_and_the_next_pdf_forks_another(worker, monkeypatch):
    monkeypatch.setattr(pdf_worker, "MAX_SECONDS", 1)
    pid, _ = worker.read(b"1")
    started = time.monotonic()
    with pytest.raises(DocumentError, match=r"^took over 1 s to read; stopped$"):
        worker.read(b"hang")
    assert 0.9 < time.monotonic() - started < 20
    assert worker.pid is None
    assert _reaped(pid)
    new_pid, _ = worker.read(b"1")
    assert new_pid != pid


def test_a_closed_worker_is_killed_and_reaped_and_closing_twice_does_nothing(worker):
    pid, _ = worker.read(b"1")
    worker.close()
    assert worker.pid is None
    assert _reaped(pid)
    worker.close()  # nothing left to close: no error
    assert worker.pid is None


def test_a_worker_already_dead_and_reaped_elsewhere_closes_without_error(worker):
    """Closing a worker that is gone (killed, and waited for by other code): no process to kill or wait for."""
    pid, _ = worker.read(b"1")
    os.kill(_own_child(pid), signal.SIGKILL)
    os.waitpid(pid, 0)
    worker.close()
    assert worker.pid is None


def test_a_worker_never_started_closes_without_error():
    made = pdf_worker.Worker()
    assert (made.pid, made.requests, made.replies) == (None, -1, -1)
    made.close()


def test_a_real_pdf_is_read_in_the_worker():
    """The real reader, forked: a committed one-page fixture reads as in this process."""
    from pathlib import Path

    data = (Path(__file__).parent / "fixtures" / "pdf" / "credential_1301_link.pdf").read_bytes()
    made = pdf_worker.Worker()
    try:
        content = made.read(data)
    finally:
        made.close()
    assert type(content).__name__ == "PdfContent"
    assert (content.page.school_year, content.page.blocks[0].title) == ("2023-2024", "BLS Provider")


# --- read_pdf, sessions, fork_now, close_now ------------------------------------------------------------------


def test_outside_a_session_each_pdf_gets_a_worker_of_its_own_closed_after(planted):
    first, _ = pdf_worker.read_pdf(b"1")
    second, _ = pdf_worker.read_pdf(b"1")
    assert first != second
    assert _reaped(first) and _reaped(second)


def test_outside_a_session_a_failing_pdf_still_closes_its_worker(planted, monkeypatch):
    made = []
    real = pdf_worker.Worker

    def recording():
        made.append(real())
        return made[-1]

    monkeypatch.setattr(pdf_worker, "Worker", recording)
    with pytest.raises(ValueError, match="bad xref"):
        pdf_worker.read_pdf(b"raise")
    assert made[0].pid is None


def test_inside_a_session_one_worker_reads_every_pdf_and_is_closed_at_the_end(planted):
    with pdf_worker.session():
        first, _ = pdf_worker.read_pdf(b"1")
        assert pdf_worker.read_pdf(b"22") == (first, 2)
        assert list(pdf_worker._session) == [os.getpid()]
    assert pdf_worker._session is None
    assert _reaped(first)


def test_a_nested_session_gives_back_the_outer_one(planted):
    with pdf_worker.session():
        outer = pdf_worker._session
        first, _ = pdf_worker.read_pdf(b"1")
        with pdf_worker.session():
            assert pdf_worker._session == {}
            inner, _ = pdf_worker.read_pdf(b"1")
            assert inner != first
        assert pdf_worker._session is outer
        assert _reaped(inner)
        assert pdf_worker.read_pdf(b"1")[0] == first


def test_fork_now_forks_the_sessions_worker_ahead_and_keeps_it(planted):
    with pdf_worker.session():
        pdf_worker.fork_now()
        forked = pdf_worker._session[os.getpid()]
        pid = _own_child(forked.pid)
        pdf_worker.fork_now()  # already there: the same worker
        assert pdf_worker._session[os.getpid()] is forked and forked.pid == pid
        assert pdf_worker.read_pdf(b"1") == (pid, 1)
    assert _reaped(pid)


def test_fork_now_and_close_now_outside_a_session_do_nothing():
    pdf_worker.fork_now()
    pdf_worker.close_now()
    assert pdf_worker._session is None


def test_close_now_closes_the_sessions_worker_and_a_later_pdf_forks_another(planted):
    with pdf_worker.session():
        pdf_worker.close_now()  # none yet: nothing to close
        first, _ = pdf_worker.read_pdf(b"1")
        pdf_worker.close_now()
        assert pdf_worker._session == {}
        assert _reaped(first)
        second, _ = pdf_worker.read_pdf(b"1")
        assert second != first


# --- the worker's side, in this process: requests, replies, limits ----------------------------------------------


@pytest.fixture
def pipe():
    read, write = os.pipe()
    yield read, write
    for fd in (read, write):
        try:
            os.close(fd)
        except OSError:
            pass


def _frame(body):
    return struct.pack("<Q", len(body)) + body


def test_read_exactly_reads_the_size_asked_in_chunks_and_none_at_the_end(pipe, monkeypatch):
    monkeypatch.setattr(pdf_worker, "_CHUNK", 3)
    read, write = pipe
    os.write(write, b"abcdefgh")
    assert pdf_worker._read_exactly(read, 5) == b"abcde"
    assert pdf_worker._read_exactly(read, 2) == b"fg"
    assert pdf_worker._read_exactly(read, 0) == b""
    os.close(write)
    assert pdf_worker._read_exactly(read, 4) is None  # one byte left, then the end


def test_a_request_is_its_length_then_its_bytes_and_none_when_the_parent_closes(pipe):
    read, write = pipe
    os.write(write, _frame(b"%PDF") + _frame(b"") + b"\x05\x00\x00")
    assert pdf_worker._request(read) == b"%PDF"
    assert pdf_worker._request(read) == b""
    os.close(write)
    assert pdf_worker._request(read) is None  # a header cut short


def test_a_request_whose_body_is_cut_short_is_none(pipe):
    read, write = pipe
    os.write(write, _frame(b"%PDF-1.7")[:-3])
    os.close(write)
    assert pdf_worker._request(read) is None


def test_send_frames_the_reply_with_its_length_in_chunks(pipe, monkeypatch):
    monkeypatch.setattr(pdf_worker, "_CHUNK", 2)
    read, write = pipe
    pdf_worker._send(write, b"hello")
    assert os.read(read, 100) == b"\x05\x00\x00\x00\x00\x00\x00\x00hello"


def _reply(read):
    (size,) = struct.unpack("<Q", os.read(read, 8))
    body = b""
    while len(body) < size:
        body += os.read(read, size - len(body))
    return pickle.loads(body)


def test_a_reply_carries_the_content(pipe, planted):
    read, write = pipe
    pdf_worker._write_reply(write, b"abc")
    assert _reply(read) == ("value", (os.getpid(), 3), False)


def test_a_reply_carries_the_readers_exception(pipe, planted):
    read, write = pipe
    pdf_worker._write_reply(write, b"raise")
    outcome, error, retired = _reply(read)
    assert (outcome, type(error), str(error), retired) == ("raise", ValueError, "bad xref", False)


def test_out_of_memory_is_the_documents_cause_and_the_worker_exits_after(pipe, planted):
    read, write = pipe
    with pytest.raises(MemoryError):
        pdf_worker._write_reply(write, b"memory")
    outcome, error, retired = _reply(read)
    assert (outcome, type(error), str(error), retired) == (
        "raise",
        DocumentError,
        "needs over 1024 MB of memory to read; not read",
        True,
    )


class _Picky(Exception):
    def __init__(self, code, text):
        super().__init__(f"{code}: {text}")


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("no")


@pytest.mark.parametrize(
    "error, message",
    [
        (_Picky(7, "odd"), "_Picky: 7: odd"),
        (_Picky(7, "y" * 400), "_Picky: 7: " + "y" * 297),
        (_Unpicklable("gone"), "_Unpicklable: gone"),
    ],
    ids=["cannot be rebuilt", "long message cut at 300", "cannot be pickled"],
)
def test_an_exception_that_cannot_travel_sends_its_name_and_message(pipe, monkeypatch, error, message):
    def failing(data):
        raise error

    monkeypatch.setattr(pdf_worker, "parse_pdf", failing)
    read, write = pipe
    pdf_worker._write_reply(write, b"x")
    outcome, sent, retired = _reply(read)
    assert (outcome, type(sent), str(sent), retired) == ("raise", RuntimeError, message, False)


@pytest.fixture
def limits(monkeypatch):
    """resource.setrlimit recorded, never made: pytest's own limits stay as they are."""
    calls = []
    monkeypatch.setattr(resource, "setrlimit", lambda which, pair: calls.append((which, pair)))
    monkeypatch.setattr(resource, "getrlimit", _hard_limits)
    return calls


def _hard_limits(which):
    """Each limit's own hard value (the one kept); a limit not asked for by name is a TypeError, as in resource."""
    hard = {resource.RLIMIT_AS: 999, resource.RLIMIT_CORE: 888, resource.RLIMIT_CPU: 777}
    if which not in hard:
        raise TypeError(f"getrlimit({which!r})")
    return (11, hard[which])


def _statm(path, encoding):
    if path != "/proc/self/statm":
        raise FileNotFoundError(path)
    return io.TextIOWrapper(io.BytesIO(b"1000 200 30 4 0 5 0\n"), encoding=encoding)  # decoded as open would


def test_memory_is_limited_to_what_the_worker_was_born_with_plus_max_memory(limits, monkeypatch):
    monkeypatch.setattr(pdf_worker, "open", _statm, raising=False)
    monkeypatch.setattr(os, "sysconf", lambda name: 4096 if name == "SC_PAGE_SIZE" else 0)
    pdf_worker._limit_memory()
    assert limits == [
        (resource.RLIMIT_AS, (1000 * 4096 + 1024 * MB, 999)),
        (resource.RLIMIT_CORE, (0, 888)),
    ]


def test_no_core_file_even_when_the_address_space_cannot_be_limited(limits, monkeypatch):
    def missing(path, encoding):
        raise OSError("no /proc")

    monkeypatch.setattr(pdf_worker, "open", missing, raising=False)
    pdf_worker._limit_memory()
    assert limits == [(resource.RLIMIT_CORE, (0, 888))]


@pytest.mark.parametrize("refusal", [ValueError("above the hard limit"), OSError(1, "not permitted")])
def test_a_refused_limit_is_let_go_and_the_next_still_set(monkeypatch, refusal):
    """A limit the system refuses (ValueError or OSError) costs that limit only: the core limit still follows."""
    calls = []

    def refuse(which, pair):
        calls.append(which)
        if which != resource.RLIMIT_CORE:
            raise refusal

    monkeypatch.setattr(resource, "setrlimit", refuse)
    monkeypatch.setattr(resource, "getrlimit", _hard_limits)
    monkeypatch.setattr(pdf_worker, "open", _statm, raising=False)
    pdf_worker._limit_memory()
    pdf_worker._limit_cpu()
    assert calls == [resource.RLIMIT_AS, resource.RLIMIT_CORE, resource.RLIMIT_CPU]


@pytest.mark.parametrize("refusal", [ValueError("bad"), OSError(1, "not permitted")])
def test_a_refused_core_limit_is_let_go(monkeypatch, refusal):
    def refuse(which, pair):
        raise refusal

    monkeypatch.setattr(resource, "setrlimit", refuse)
    monkeypatch.setattr(resource, "getrlimit", _hard_limits)
    monkeypatch.setattr(pdf_worker, "open", _statm, raising=False)
    pdf_worker._limit_memory()


def test_cpu_is_limited_to_what_was_used_plus_twice_max_seconds(limits, monkeypatch):
    monkeypatch.setattr(resource, "getrusage", lambda who: SimpleNamespace(ru_utime=1.6, ru_stime=2.7))
    pdf_worker._limit_cpu()
    assert limits == [(resource.RLIMIT_CPU, (4 + 240, 777))]


def test_cpu_used_is_this_process_own(limits, monkeypatch):
    asked = []
    monkeypatch.setattr(resource, "getrusage", lambda who: asked.append(who) or SimpleNamespace(ru_utime=0, ru_stime=0))
    pdf_worker._limit_cpu()
    assert asked == [resource.RUSAGE_SELF]
    assert limits == [(resource.RLIMIT_CPU, (240, 777))]


class _Exited(BaseException):
    pass


@pytest.fixture
def served(monkeypatch, planted):
    """_serve in this process: what it sets up recorded, its os._exit raised as _Exited(code)."""
    calls = []
    monkeypatch.setattr(pdf_worker, "start", lambda parent: calls.append(("start", parent)))
    monkeypatch.setattr(signal, "signal", lambda which, how: calls.append(("signal", which, how)))
    monkeypatch.setattr(pdf_worker.faulthandler, "disable", lambda: calls.append("faulthandler off"))
    monkeypatch.setattr(pdf_worker.gc, "freeze", lambda: calls.append("gc frozen"))
    monkeypatch.setattr(pdf_worker, "_limit_memory", lambda: calls.append("memory"))
    monkeypatch.setattr(pdf_worker, "_limit_cpu", lambda: calls.append("cpu"))

    def exit_(code):
        raise _Exited(code)

    monkeypatch.setattr(os, "_exit", exit_)
    return calls


def test_a_worker_serves_every_request_until_the_parent_closes_then_exits_0(served):
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    try:
        os.write(requests_write, _frame(b"ab") + _frame(b"raise"))
        os.close(requests_write)
        with pytest.raises(_Exited) as exited:
            pdf_worker._serve(requests_read, replies_write, 4242)
        assert exited.value.args == (0,)
        assert served == [
            ("start", 4242),
            ("signal", signal.SIGINT, signal.SIG_IGN),
            "faulthandler off",
            "gc frozen",
            "memory",
            "cpu",
            "cpu",
        ]
        assert _reply(replies_read) == ("value", (os.getpid(), 2), False)
        assert _reply(replies_read)[:1] == ("raise",)
    finally:
        for fd in (requests_read, replies_read, replies_write):
            os.close(fd)


def test_a_worker_that_fails_exits_1(served):
    requests_read, requests_write = os.pipe()
    replies_read, replies_write = os.pipe()
    try:
        os.write(requests_write, _frame(b"memory"))
        os.close(requests_write)
        with pytest.raises(_Exited) as exited:
            pdf_worker._serve(requests_read, replies_write, 4242)
        assert exited.value.args == (1,)
        assert _reply(replies_read)[2] is True
    finally:
        for fd in (requests_read, replies_read, replies_write):
            os.close(fd)
