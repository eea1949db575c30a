"""PDFs read in a process of their own, so that an abort, a crash, an allocation failure or a hang costs one
document, never the run.

PDFium is C++: a PDF that drives it out of memory aborts its process
(SIGABRT), which no `except` can catch. So PDFs are read by a worker forked
from the process that meets them, its address space limited to MAX_MEMORY
more than it was born with (an allocation past it fails inside the worker),
its CPU time bounded as a backstop, and the parent waits at most MAX_SECONDS
for each document before it kills the worker. A dead or killed worker is that
document's cause; the next PDF forks a new one.

Within a `session` (one run's parsing) a worker lives on and reads one PDF
after another, so the normal case pays one fork per run and process, not one
per document; outside a session each PDF gets a worker of its own. Forked, not
spawned: it starts in milliseconds with the parent's modules (and, in tests,
its monkeypatches) already loaded.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import pickle
import resource
import select
import signal
import struct
import time
from collections.abc import Iterator

from pipeline.read.documents import DocumentError
from pipeline.read.pdf import PdfContent, parse_pdf
from pipeline.workers import start

MAX_MEMORY = 1024 * 2**20  # bytes of address space a worker may add to what it was born with
MAX_SECONDS = 120  # per document; a printed page takes well under a second, a long listing a few
_HEADER = struct.Struct("<Q")
_CHUNK = 1 << 20

_session: dict[int, Worker] | None = None  # process id -> its long-lived worker, while a session is open


class Worker:
    """One forked process reading PDFs one at a time; forked again after it dies."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.requests = self.replies = -1

    def read(self, data: bytes) -> PdfContent:
        """The PDF read in the worker; raises DocumentError with the cause when it cannot be read, crashed the
        worker, or took too long."""
        if self.pid is None:
            self._fork()
        try:
            self._write(_HEADER.pack(len(data)) + data)
            outcome, value, retired = pickle.loads(self._reply(time.monotonic() + MAX_SECONDS))
        except _Dead as dead:
            raise DocumentError(dead.cause) from None
        if retired:
            self.close()
        if outcome == "raise":
            raise value
        return value

    def close(self) -> None:
        if self.pid is None:
            return
        os.close(self.requests)
        os.close(self.replies)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.pid = None

    def _fork(self) -> None:
        requests_in, requests_out = os.pipe()
        replies_in, replies_out = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            os.close(requests_out)
            os.close(replies_in)
            _serve(requests_in, replies_out, parent)
        os.close(requests_in)
        os.close(replies_out)
        self.pid, self.requests, self.replies = pid, requests_out, replies_in

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self.requests, view[:_CHUNK]) :]
        except BrokenPipeError:
            raise _Dead(self._death()) from None

    def _reply(self, deadline: float) -> bytes:
        header = self._receive(_HEADER.size, deadline)
        return self._receive(_HEADER.unpack(header)[0], deadline)

    def _receive(self, size: int, deadline: float) -> bytes:
        parts, left = [], size
        while left:
            remaining = deadline - time.monotonic()
            waiting = select.poll()
            waiting.register(self.replies, select.POLLIN)
            if remaining <= 0 or not waiting.poll(remaining * 1000):
                self.close()
                raise _Dead(f"took over {MAX_SECONDS} s to read; stopped")
            part = os.read(self.replies, min(left, _CHUNK))
            if not part:
                raise _Dead(self._death())
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    def _death(self) -> str:
        """Why the worker died, as the document's cause."""
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        os.close(self.requests)
        os.close(self.replies)
        if os.WIFSIGNALED(status):
            name = signal.Signals(os.WTERMSIG(status)).name
            if name == "SIGXCPU":
                return f"took over {2 * MAX_SECONDS} s of processor time to read; stopped"
            return (
                f"the PDF reader crashed ({name}): out of its {MAX_MEMORY // 2**20} MB of memory, "
                "or a PDF PDFium cannot read; not read"
            )
        return f"the PDF reader stopped (exit code {os.WEXITSTATUS(status)}); not read"


class _Dead(Exception):
    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


# --- the worker's side -------------------------------------------------------------------------


def _serve(requests: int, replies: int, parent: int) -> None:
    """Read PDFs until the parent closes the pipe; never returns (and never runs the parent's exit code)."""
    code = 0
    try:
        start(parent)  # the run's locks closed here, and this process dies with its parent
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it closes the pipe
        faulthandler.disable()  # a crash here is reported by the parent, as the document's cause
        gc.freeze()  # the parent's objects: never scanned (nor copied) by this process's collector
        _limit_memory()
        while (data := _request(requests)) is not None:
            _limit_cpu()
            _write_reply(replies, data)
    except BaseException:  # noqa: BLE001 - whatever happens, the worker only exits
        code = 1
    finally:
        os._exit(code)


def _request(fd: int) -> bytes | None:
    header = _read_exactly(fd, _HEADER.size)
    return None if header is None else _read_exactly(fd, _HEADER.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        part = os.read(fd, min(left, _CHUNK))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _write_reply(fd: int, data: bytes) -> None:
    """(outcome, value, retired): the content, or the exception to raise; retired when this worker exits next."""
    try:
        reply = pickle.dumps(("value", parse_pdf(data), False), pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        cause = f"needs over {MAX_MEMORY // 2**20} MB of memory to read; not read"
        _send(fd, pickle.dumps(("raise", DocumentError(cause), True)))
        raise  # a worker that ran out of memory is not trusted with the next document
    except Exception as error:  # noqa: BLE001 - the parent reports it as the document's cause
        try:
            reply = pickle.dumps(("raise", error, False))
            pickle.loads(reply)  # some exceptions pickle but cannot be rebuilt (their __init__ wants more)
        except Exception:  # noqa: BLE001 - an exception that cannot travel: its name and message do
            reply = pickle.dumps(("raise", RuntimeError(f"{type(error).__name__}: {str(error)[:300]}"), False))
    _send(fd, reply)


def _send(fd: int, reply: bytes) -> None:
    view = memoryview(_HEADER.pack(len(reply)) + reply)
    while view:
        view = view[os.write(fd, view[:_CHUNK]) :]


def _limit_memory() -> None:
    """Address space: what the worker was born with (the parent's, shared) plus MAX_MEMORY."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + MAX_MEMORY, resource.getrlimit(resource.RLIMIT_AS)[1]))
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))


def _limit_cpu() -> None:
    """A backstop if the parent is gone and cannot kill it: twice MAX_SECONDS of CPU for this document."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    total = int(used.ru_utime + used.ru_stime) + 2 * MAX_SECONDS
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_CPU, (total, resource.getrlimit(resource.RLIMIT_CPU)[1]))


# --- where the parent's code calls it ----------------------------------------------------------


def read_pdf(data: bytes) -> PdfContent:
    """Read a PDF in a worker process: this process's long-lived one inside a session, else a worker of its
    own. Raises DocumentError with the cause."""
    if _session is not None:
        worker = _session.get(os.getpid())
        if worker is None:
            worker = _session[os.getpid()] = Worker()
        return worker.read(data)
    worker = Worker()
    try:
        return worker.read(data)
    finally:
        worker.close()


def fork_now() -> None:
    """This process's worker of the open session forked now (else at its first PDF)."""
    if _session is not None and os.getpid() not in _session:
        worker = _session[os.getpid()] = Worker()
        worker._fork()


def close_now() -> None:
    """This process's worker of the open session closed now, its memory given back (a later PDF forks another)."""
    if _session is not None and (worker := _session.pop(os.getpid(), None)) is not None:
        worker.close()


@contextlib.contextmanager
def session() -> Iterator[None]:
    """Long-lived workers for the PDFs read inside: one per process that meets a PDF, closed at the end."""
    global _session
    outer, _session = _session, {}
    try:
        yield
    finally:
        workers, _session = _session, outer
        worker = workers.get(os.getpid())
        if worker is not None:
            worker.close()
