"""No input file can stop the run, take unbounded time or unbounded memory (issue 18: PDFs and files).

Each attack is a real file in a temporary raw/ beside a good page, run
through the command line (`cli.main`, or `python -m pipeline` where memory is
measured): exit 0, the attack named by path with its cause (written here by
hand), the good page still extracted, nothing outside the output touched
(`test_bad_input.extract` checks the last three). Where a guard is removed or
a crash planted (`monkeypatch`), it is to prove the next line of defence: the
process a PDF is read in.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import cli, patterns
from pipeline.read import documents, pdf_budget, pdf_worker
from pipeline.tables import normalize
from tests import hostile_pdfs as hostile
from tests.conftest import REPO
from tests.test_bad_input import HEADER, extract, page, rejects, table
from tests.test_bad_input import raw as raw  # the fixture, shared

GiB = 1024
BOMB = "compressed streams inflate past 128 MB (a zip bomb?); not read"
PDF = "2024-2025/pdf/credential_2.pdf"


def _put_pdf(raw: Path, data: bytes, name: str = "credential_2.pdf") -> None:
    folder = raw / "2024-2025" / "pdf"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)


def _run(raw: Path, capsys, *extra: str) -> tuple[str, dict]:
    """The CLI, for a test that changes raw/ itself (so `extract`'s check that nothing changed cannot hold)."""
    code = cli.main(["extract", "--raw", str(raw), "--out", str(raw.parent / "out"), *extra])
    output = capsys.readouterr()
    assert code == 0, output.err
    return output.out, json.loads((raw.parent / "out" / "summary.json").read_text())


def _lines(out: str, prefix: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(prefix)]


# --- PDFs: every filter chain is budgeted, before any library inflates it ------------------------

PDF_ATTACKS = {
    "[/FlateDecode /FlateDecode]: 4 KB to 1 GiB": (
        lambda: hostile.bomb_with_filters([b"FlateDecode", b"FlateDecode"], hostile.flate_twice(GiB)),
        BOMB,
    ),
    "ASCIIHex then Flate": (
        lambda: hostile.bomb_with_filters(
            [b"ASCIIHexDecode", b"FlateDecode"], hostile.hex_of(hostile.deflate_bomb(GiB))
        ),
        BOMB,
    ),
    "ASCII85 then Flate": (
        lambda: hostile.bomb_with_filters(
            [b"ASCII85Decode", b"FlateDecode"], hostile.ascii85_of(hostile.deflate_bomb(GiB))
        ),
        BOMB,
    ),
    "LZW: 790 KB to 1 GiB (aborted the whole run before)": (
        lambda: hostile.bomb_with_filters([b"LZWDecode"], hostile.lzw_bomb(GiB)),
        BOMB,
    ),
    "Flate then RunLength": (
        lambda: hostile.bomb_with_filters(
            [b"FlateDecode", b"RunLengthDecode"], zlib.compress(hostile.run_length_bomb(GiB), 9)
        ),
        BOMB,
    ),
    "an Identity crypt filter before a 1 GiB Flate chain": (
        lambda: hostile.bomb_with_filters(
            [b"Crypt", b"FlateDecode", b"FlateDecode"],
            hostile.flate_twice(GiB),
            b"/DecodeParms [<< /Type /CryptFilterDecodeParms /Name /Identity >> null null]",
        ),
        BOMB,
    ),
    "filter names in #xx escapes and short forms": (
        lambda: hostile.bomb_with_filters([b"Fl#61te#44ecode", b"Fl"], hostile.flate_twice(GiB)),
        BOMB,
    ),
    "a PNG predictor whose rows take 16 GB": (
        lambda: hostile.bomb_with_filters(
            [b"FlateDecode"],
            zlib.compress(hostile.TEXT),
            b"/DecodeParms << /Predictor 12 /Columns 1000000000 /Colors 4 /BitsPerComponent 16 >>",
        ),
        BOMB,
    ),
    "a 1 GiB Flate chain encrypted, with no password needed to open it": (
        lambda: hostile.encrypted_one_page(b"/Filter [/FlateDecode /FlateDecode]", hostile.flate_twice(GiB)),
        "encrypted PDF (no password needed, but its streams cannot be checked before reading); not read",
    ),
    "35,000 Flate stream dictionaries and no end": (
        lambda: hostile.filtered_stream_tokens(1, b"FlateDecode"),
        "over 20000 compressed streams; not read",
    ),
    "one page listed 200,000 times": (lambda: hostile.repeated_page(200_000), "200000 pages, over 500; not read"),
    "10,000 pages": (lambda: hostile.many_pages(10_000), "10000 pages, over 500; not read"),
    "1 MB of `stream` keywords and nothing else": (
        lambda: hostile.stream_tokens(1),
        "corrupt PDF: Failed to load document (PDFium: Data format error).",
    ),
    "an object stream claiming 2,000,000,000 objects": (
        lambda: hostile.object_stream_claiming(2_000_000_000),
        "PDF has no text layer (a scan?); OCR is out of scope; skipped",
    ),
    "two xref sections whose /Prev point at each other": (
        lambda: hostile.xref_in_circles(),
        "no credential block and no school year heading (not a directory page?)",
    ),
}


@pytest.mark.parametrize("attack", PDF_ATTACKS)
def test_a_hostile_pdf_is_one_unreadable_document(raw, capsys, attack):
    build, cause = PDF_ATTACKS[attack]
    _put_pdf(raw, build())
    out, summary = extract(raw, capsys)
    assert summary["unreadable"] == {PDF: cause}
    assert _lines(out, "unreadable:") == [f"unreadable: {PDF}: {cause}"]


def test_the_stream_check_is_linear_in_stream_keywords():
    """1 MB of `stream` keywords took 40 s, 4 MB 200 s; now both are one pass (bounded here only to prove no
    hang: linear code takes well under a second)."""
    for megabytes in (1, 4):
        data = hostile.stream_tokens(megabytes)
        started = time.monotonic()
        assert pdf_budget.check(data, 128 * 2**20, 20_000) == 0
        assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    "filters, data, inflated",
    [
        ([b"FlateDecode"], zlib.compress(b"BT (a) Tj ET " * 1000), 13_000),
        (  # the first stage gives the inner stream (its size is zlib's), the second 9,000 bytes
            [b"FlateDecode", b"FlateDecode"],
            zlib.compress(zlib.compress(b"0 0 0 RG " * 1000)),
            9000 + len(zlib.compress(b"0 0 0 RG " * 1000)),
        ),
        ([b"ASCIIHexDecode"], b"42 54 2>", 3),  # `BT` and a cut `2`, read as a last byte
        ([b"ASCII85Decode"], b"5sdp~>", 3),  # `ABC`
        ([b"ASCII85Decode"], b"zz~>", 8),
        ([b"RunLengthDecode"], bytes([2]) + b"abc" + bytes([254, 0x78, 128]), 3 + 3),
        ([b"LZWDecode"], hostile.lzw_bomb(1)[:40], None),  # counted, whatever a cut gives
        ([b"DCTDecode"], b"\xff\xd8 not counted: an image codec", 0),
        ([b"FlateDecode", b"DCTDecode"], zlib.compress(b"x" * 5000), 5000),
    ],
)
def test_each_stage_counts_what_it_produces(filters, data, inflated):
    """Hand-counted sizes of small streams: the budget counts every stage of a chain, and stops at an image
    codec, which reading text never decodes."""
    counted = pdf_budget.check(hostile.bomb_with_filters(filters, data), 128 * 2**20, 20_000)
    assert counted == inflated if inflated is not None else counted > 0


# --- PDFs: read in a process of their own ---------------------------------------------------


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(pdf_worker, "MAX_MEMORY", 256 * 2**20)
    monkeypatch.setattr(pdf_worker, "MAX_SECONDS", 10)  # generous for a real page on a loaded machine


def test_a_bomb_the_budget_misses_kills_only_its_reader(raw, capsys, monkeypatch, small_limits):
    """Without the budget (the guard removed), PDFium inflates the LZW bomb until its process is out of
    memory and aborts: before, that was the whole run (exit 134); now it is one document."""
    monkeypatch.setattr(pdf_budget, "check", lambda *args: 0)
    monkeypatch.setattr(pdf_worker, "MAX_SECONDS", 300)  # out of memory first, however slow the machine
    _put_pdf(raw, hostile.bomb_with_filters([b"LZWDecode"], hostile.lzw_bomb(GiB)))
    _put_pdf(raw, (REPO / "raw" / "2023-2024" / "pdf" / "credential_1264.pdf").read_bytes(), "credential_1264.pdf")
    out, summary = extract(raw, capsys)
    assert summary["unreadable"][PDF].startswith("the PDF reader crashed (SIG")
    assert summary["unreadable"][PDF].endswith("out of its 256 MB of memory, or a PDF PDFium cannot read; not read")
    assert "comptia-network" in set(table(raw, "credentials")["credential_slug"])  # read by a new reader


def test_an_inline_image_bomb_kills_only_its_reader(raw, capsys, small_limits):
    """An inline image inside a content stream names its filter where no budget looks; PDFium inflates it
    to find where it ends, runs out of its process's memory and aborts. No guard removed, nothing planted."""
    _put_pdf(raw, hostile.inline_image_bomb(GiB))
    out, summary = extract(raw, capsys)
    assert summary["unreadable"] == {
        PDF: "the PDF reader crashed (SIGABRT): out of its 256 MB of memory, or a PDF PDFium cannot read; not read"
    }


@pytest.mark.parametrize(
    "planted, cause",
    [
        (
            lambda: os.abort(),
            "the PDF reader crashed (SIGABRT): out of its 256 MB of memory, or a PDF PDFium cannot read",
        ),
        (lambda: os.kill(os.getpid(), signal.SIGKILL), "the PDF reader crashed (SIGKILL): out of its 256 MB"),
        (lambda: time.sleep(600), "took over 10 s to read; stopped"),
        (lambda: bytearray(2**40), "needs over 256 MB of memory to read; not read"),
        (lambda: os._exit(3), "the PDF reader stopped (exit code 3); not read"),
    ],
    ids=["abort", "killed", "hang", "allocation failure", "exit"],
)
def test_a_pdf_reader_that_dies_or_hangs_costs_one_document(raw, capsys, monkeypatch, small_limits, planted, cause):
    from pipeline.read import pdf

    real = pdf._check_openable

    def check(document):
        if len(document) == 1:  # the planted fault: only the one-page PDF
            planted()
        real(document)

    monkeypatch.setattr(pdf, "_check_openable", check)
    _put_pdf(raw, hostile.one_page(hostile.stream(b"", hostile.TEXT)))
    # read before it (credential_1) by the same worker, and after it (credential_3) by a new one
    for number, name in ((1220, "credential_1.pdf"), (1264, "credential_3.pdf")):
        _put_pdf(raw, (REPO / "raw" / "2023-2024" / "pdf" / f"credential_{number}.pdf").read_bytes(), name)
    started = time.monotonic()
    out, summary = extract(raw, capsys)
    assert time.monotonic() - started < 300  # the hang was stopped at 10 s, not waited for
    assert list(summary["unreadable"]) == [PDF]
    assert summary["unreadable"][PDF].startswith(cause)
    assert set(table(raw, "credentials")["credential_slug"]) == {
        "certified-production-technician",
        "adobe-certified-professional-in-visual-design",
        "comptia-network",
    }


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_a_pdf_reader_dies_with_a_killed_extract(tmp_path):
    """`kill -9` of the extract while its PDF reader works: the reader goes too, and the next run is whole."""
    from tests.test_containment_state import _alive, _extract, _start, _wait_for, home  # noqa: F401

    text = tmp_path / "raw" / "2024-2025" / "text"
    text.mkdir(parents=True)
    (text / "credential_1.txt").write_bytes(page("Alpha One"))
    _put_pdf(tmp_path / "raw", (REPO / "raw" / "2023-2024" / "pdf" / "credential_1264.pdf").read_bytes())
    reader, go = tmp_path / "reader", tmp_path / "go"
    hook = f"""
import os, time
from pipeline.read import pdf
_original = pdf._check_openable
def _stuck(document):
    with open({str(reader)!r} + ".part", "w") as part:  # whole when it appears: the test reads it at once
        part.write(str(os.getpid()))
    os.replace({str(reader)!r} + ".part", {str(reader)!r})
    while not os.path.exists({str(go)!r}):
        time.sleep(0.05)
    return _original(document)
pdf._check_openable = _stuck
"""
    run = _start(tmp_path, "extract", "--raw", "raw", "--out", "out", "--cache", "cache", hook=hook)
    _wait_for(reader, run)
    pid = int(reader.read_text())
    assert pid != run.pid
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 60
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(pid)
    go.touch()  # lets an orphan, if any, finish
    assert not alive, "the PDF reader outlived the extract that started it"
    done = _extract(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "credentials: 2" in done.stdout


def test_a_parsing_process_that_dies_costs_one_document_not_the_pool(raw, capsys, monkeypatch):
    """Many documents are parsed on a pool of processes; one that kills its process (here planted: the OOM
    killer's SIGKILL) broke the pool and the run (BrokenProcessPool); now it is that document's cause."""
    from pipeline import parse as job

    real_parse = job.parse_text

    def parse(text):
        if "Killer Credential" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        return real_parse(text)

    monkeypatch.setattr(job, "parse_text", parse)
    monkeypatch.setattr(job, "_PARALLEL_FROM", 1)
    folder = raw / "2024-2025" / "text"
    names = ["Alpha Credential", "Killer Credential", "Gamma Credential", "Delta Credential", "Epsilon Credential"]
    for number, name in enumerate(names, start=2):
        (folder / f"credential_{number}.txt").write_bytes(page(name))
    out, summary = extract(raw, capsys, "--workers", "2")
    cause = "the process reading it died (killed, or out of memory); not read"
    assert summary["unreadable"] == {"2024-2025/text/credential_3.txt": cause}
    slugs = set(table(raw, "credentials")["credential_slug"])
    assert slugs == {
        "certified-production-technician",
        "alpha-credential",
        "gamma-credential",
        "delta-credential",
        "epsilon-credential",
    }


def test_pdfs_read_by_a_pool_process_are_contained_as_when_read_alone(raw, capsys, monkeypatch):
    """With a pool, the PDFs are its first task: one pool process forks the PDF worker and reads them while the
    other parses the pages. A PDF that inflates past the budget costs that document alone: the printed page
    read after it and the pages parsed beside them are all there."""
    import shutil

    from pipeline import parse as job

    monkeypatch.setattr(job, "_PARALLEL_FROM", 1)
    folder = raw / "2024-2025" / "pdf"
    folder.mkdir()
    (folder / "credential_2.pdf").write_bytes(PDF_ATTACKS["[/FlateDecode /FlateDecode]: 4 KB to 1 GiB"][0]())
    shutil.copy(REPO / "raw" / "2023-2024" / "pdf" / "credential_1118.pdf", folder / "credential_3.pdf")
    names = ["Alpha Credential", "Gamma Credential", "Delta Credential", "Epsilon Credential"]
    for number, name in enumerate(names, start=4):
        (raw / "2024-2025" / "text" / f"credential_{number}.txt").write_bytes(page(name))
    out, summary = extract(raw, capsys, "--workers", "2")
    assert summary["unreadable"] == {"2024-2025/pdf/credential_2.pdf": BOMB}
    assert set(table(raw, "credentials")["credential_slug"]) == {
        "certified-production-technician",
        "alpha-credential",
        "gamma-credential",
        "delta-credential",
        "epsilon-credential",
        "certified-production-technician-cpt-maintenance-awareness",  # the printed page's Credential Name
    }


def test_every_pdf_attack_at_once_stays_within_bounded_memory(raw, tmp_path):
    """Through a real process: the extract and every process it starts stay under 1 GiB each (the 1 GiB
    Flate chain alone took 2.2 GB, and 3 GiB aborted the run)."""
    folder = raw / "2024-2025" / "pdf"
    folder.mkdir()
    chosen = ["[/FlateDecode /FlateDecode]: 4 KB to 1 GiB", "LZW: 790 KB to 1 GiB (aborted the whole run before)"]
    for number, attack in enumerate(chosen, start=2):
        (folder / f"credential_{number}.pdf").write_bytes(PDF_ATTACKS[attack][0]())
    (folder / "credential_9.pdf").write_bytes(
        hostile.bomb_with_filters([b"FlateDecode", b"FlateDecode"], hostile.flate_twice(3 * GiB))
    )
    program = (
        "import resource, sys; from pipeline import cli; code = cli.main(sys.argv[1:]); "
        "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, "extract", "--raw", str(raw), "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert _lines(done.stdout, "unreadable:") == [
        f"unreadable: 2024-2025/pdf/credential_{number}.pdf: {BOMB}" for number in (2, 3, 9)
    ]
    own, children = (int(kb) for kb in done.stdout.split("peak ")[-1].split())
    assert own < 1024 * 1024 and children < 1024 * 1024


# --- files under raw/ ------------------------------------------------------------------------


def test_a_link_loop_among_the_files_is_one_skipped_file(raw, capsys):
    text = raw / "2024-2025" / "text"
    (text / "loop.txt").symlink_to("loop.txt")
    (text / "a.txt").symlink_to("b.txt")
    (text / "b.txt").symlink_to("a.txt")
    (text / "credential_5.txt").symlink_to("missing.txt")
    cause = "a link that leads nowhere (a loop, or a missing file); not read"
    for _ in range(2):  # the second run with the cache the first left
        out, summary = extract(raw, capsys, "--cache", str(raw.parent / "cache"))
    assert summary["skipped"] == {
        f"2024-2025/text/{name}": cause for name in ("a.txt", "b.txt", "credential_5.txt", "loop.txt")
    }


def test_check_with_a_link_loop_names_it_in_a_full_report(raw, capsys, tmp_path):
    (raw / "2024-2025" / "text" / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "baseline").mkdir()
    code = cli.main(["check", "--raw", str(raw), "--baseline", str(tmp_path / "baseline")])
    report = capsys.readouterr().out
    assert code == 1
    assert (
        "| ` 2024-2025/text/loop.txt ` | ` a link that leads nowhere (a loop, or a missing file); not read ` |"
        in report
    )


def test_a_folder_nested_1100_deep_is_read(raw, capsys):
    deep = raw / "2024-2025" / "text"
    for _ in range(1100):  # os.makedirs recurses too
        deep = deep / "d"
        deep.mkdir()
    (deep / "credential_5.txt").write_bytes(page("Deep Credential"))
    try:
        _run(raw, capsys, "--cache", str(raw.parent / "cache"))  # pathlib's rglob, in `extract`, recurses
    finally:
        (deep / "credential_5.txt").unlink()
        while deep.name == "d":  # shutil.rmtree, and so pytest's clean-up of old runs, recurses too
            deep.rmdir()
            deep = deep.parent
    credentials = table(raw, "credentials").set_index("credential_slug")
    assert credentials.loc["deep-credential", "source_path"] == "2024-2025/text/" + "d/" * 1100 + "credential_5.txt"


def _unlistable(monkeypatch, folder: Path) -> None:
    real = os.scandir

    def scandir(path="."):  # a folder's fd too (shutil.rmtree lists by fd: a run without a cache removes its own)
        if not isinstance(path, int) and os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_that_cannot_be_read_is_reported_with_its_documents_unread(raw, capsys, monkeypatch):
    hidden = raw / "2024-2025" / "text" / "more"
    hidden.mkdir()
    (hidden / "credential_5.txt").write_bytes(page("Hidden Credential"))
    _unlistable(monkeypatch, hidden)
    out, summary = extract(raw, capsys)
    cause = "cannot read folder (Permission denied); its documents are not read"
    assert summary["skipped"] == {"2024-2025/text/more": cause}
    assert f"skipped: 2024-2025/text/more: {cause}" in out.splitlines()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_a_folder_without_read_permission_is_reported(raw, capsys):
    hidden = raw / "2024-2025" / "text" / "more"
    hidden.mkdir()
    (hidden / "credential_5.txt").write_bytes(page("Hidden Credential"))
    hidden.chmod(0)
    try:
        out, summary = extract(raw, capsys)
    finally:
        hidden.chmod(0o755)
    assert summary["skipped"] == {
        "2024-2025/text/more": "cannot read folder (Permission denied); its documents are not read"
    }


def test_a_fifo_or_a_socket_is_never_opened(raw, capsys, tmp_path, monkeypatch):
    text = raw / "2024-2025" / "text"
    os.mkfifo(text / "credential_6.txt")
    server = socket.socket(socket.AF_UNIX)
    with monkeypatch.context() as here:
        here.chdir(text)  # a socket's path is limited to about 100 bytes
        server.bind("credential_7.txt")
    os.mkfifo(raw / "2024-2025" / "manifest.csv")
    try:
        out, summary = extract(raw, capsys, "--cache", str(tmp_path / "cache"))  # the stamp hashes raw/ too
    finally:
        server.close()
    assert summary["skipped"] == {
        "2024-2025/text/credential_6.txt": "a FIFO, not a regular file; not read",
        "2024-2025/text/credential_7.txt": "a socket, not a regular file; not read",
    }
    assert summary["manifest_problems"] == {"2024-2025/manifest.csv": ["cannot read: a FIFO, not a regular file"]}


def test_a_link_to_a_fifo_inside_raw_is_not_opened(raw, capsys):
    text = raw / "2024-2025" / "text"
    os.mkfifo(text / "pipe")
    (text / "credential_6.txt").symlink_to("pipe")
    out, summary = extract(raw, capsys, "--cache", str(raw.parent / "cache"))
    assert summary["skipped"] == {
        "2024-2025/text/credential_6.txt": "a link to a FIFO, not a regular file; not read",
        "2024-2025/text/pipe": "a FIFO, not a regular file; not read",  # under text/: a document by its place
    }


def test_a_hard_linked_page_is_two_sources_of_one_credential(raw, capsys):
    text = raw / "2024-2025" / "text"
    os.link(text / "credential_1.txt", text / "copy_of_credential_1.txt")
    out, summary = extract(raw, capsys)
    assert summary["credentials"] == 1 and summary["conflicts"] == 0
    assert set(table(raw, "label_values")["source_path"]) == {
        "2024-2025/text/credential_1.txt",
        "2024-2025/text/copy_of_credential_1.txt",
    }


@pytest.mark.parametrize(
    "change, cause",
    [
        (lambda path: path.unlink(), "cannot read file: No such file or directory"),
        (lambda path: (path.unlink(), os.mkfifo(path)), "cannot read file: a FIFO, not a regular file"),
    ],
    ids=["deleted", "replaced by a FIFO"],
)
def test_a_file_that_changes_under_the_run_is_one_unreadable_document(raw, capsys, monkeypatch, change, cause):
    victim = raw / "2024-2025" / "text" / "credential_3.txt"
    victim.write_bytes(page("Vanishing Credential"))
    real_scan = documents.scan

    def scan(root):
        found = real_scan(root)
        change(victim)  # after the file was found, before it is read
        return found

    monkeypatch.setattr(documents, "scan", scan)
    out, summary = _run(raw, capsys, "--cache", str(raw.parent / "cache"))
    assert summary["unreadable"] == {"2024-2025/text/credential_3.txt": cause}


@pytest.mark.parametrize(
    "name, shown",
    [
        (b"credential_\x1b[31mred.txt", "credential_\\x1b[31mred.txt"),  # a terminal escape
        (b"credential_two\nlines.txt", "credential_two\\nlines.txt"),
        (b"credential_back\\slash.txt", "credential_back\\\\slash.txt"),  # so that no two names show alike
        (b"credential_\xe2\x80\xaetxt.exe", "credential_\\u202etxt.exe"),  # right-to-left override
        (b"credential_\xc2\x9b31mred.txt", "credential_\\x9b31mred.txt"),  # a one-byte CSI (C1 control)
        (b"credential_caf\xc3\xa9.txt", "credential_caf\u00e9.txt"),  # printable UTF-8 stays as it is
    ],
)
def test_a_file_name_is_shown_on_one_printable_line(raw, capsys, name, shown):
    with open(os.fsencode(raw / "2024-2025" / "text") + b"/" + name, "wb") as handle:
        handle.write(page("Named Credential"))
    out, summary = extract(raw, capsys)
    path = f"2024-2025/text/{shown}"
    credentials = table(raw, "credentials").set_index("credential_slug")
    assert credentials.loc["named-credential", "source_path"] == path
    assert "\x1b" not in out and "\u202e" not in out


def test_a_manifest_over_64_mb_is_ignored_with_its_reason(raw, capsys):
    row = b"text/credential_9.txt,https://h/x,,200,,,,,\n"
    with open(raw / "2024-2025" / "manifest.csv", "wb") as handle:
        handle.write(HEADER.encode() + row * (65 * 2**20 // len(row)))
    out, summary = extract(raw, capsys)
    assert summary["manifest_problems"] == {"2024-2025/manifest.csv": ["over 64 MB; ignored"]}
    assert "manifest: 2024-2025/manifest.csv: over 64 MB; ignored" in out.splitlines()


# --- decoding by segments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, kind, expected",
    [
        (  # UTF-8 with a stray windows-1252 curly quote pair and an en dash
            "Café, Señor".encode() + b" \x93quoted\x94 \x96 dash",
            "text",
            "Café, Señor “quoted” – dash",
        ),
        (  # a windows-1252 `é` before a letter: not a UTF-8 start, whatever it looks like
            "Señor ".encode() + b"caf\xe9s",
            "text",
            "Señor cafés",
        ),
        (  # declared UTF-8
            b'<meta charset="utf-8"><h2>2024-2025 Credential Information</h2><h3>Twingled Credential</h3><table>'
            b"<tr><td>Credential Name</td><td>Twingled Credential</td></tr>"
            b"<tr><td>Directory Notes</td><td>" + "Señor".encode() + b" \x93quoted\x94</td></tr></table>",
            "html",
            "Señor “quoted”",
        ),
    ],
)
def test_a_utf8_page_with_stray_windows_1252_bytes_keeps_both(raw, capsys, data, kind, expected):
    if kind == "text":
        data = page("Twingled Credential").replace(b"Directory NotesNone", b"Directory Notes" + data)
    folder = raw / "2024-2025" / kind
    folder.mkdir(exist_ok=True)
    (folder / f"credential_5.{'txt' if kind == 'text' else 'html'}").write_bytes(data)
    extract(raw, capsys)
    labels = table(raw, "label_values")
    notes = labels[(labels["credential_slug"] == "twingled-credential") & (labels["label_raw"] == "Directory Notes")]
    assert list(notes["value"]) == [expected]


def test_a_byte_neither_utf8_nor_windows_1252_is_undecodable(raw, capsys):
    (raw / "2024-2025" / "text" / "credential_5.txt").write_bytes(page("Odd").replace(b"None", b"x \x81 y"))
    out, summary = extract(raw, capsys)
    position = page("Odd").index(b"None") + 2
    assert summary["unreadable"] == {
        "2024-2025/text/credential_5.txt": f"undecodable bytes for utf-8 or windows-1252 at byte {position}"
    }


# --- costs: linear, and as before ------------------------------------------------------------


def _opener_start_before(value: str, amount_start: int) -> int:
    """The quadratic version this issue replaced (it copied the value's head for each amount): the oracle for
    ordinary values."""
    head = value[:amount_start].rstrip()
    for connector in patterns.COST_CONNECTORS:
        before = len(head) - len(connector)
        if head.endswith(connector) and (before == 0 or head[before - 1].isspace()):
            return before
    return len(head)


@pytest.mark.parametrize(
    "value, options, note",
    [
        ("$1,525.00", [(1, 1525.0, None)], None),
        (
            "$150.00\nwith workshop\nOR\n$75.00\nonline only",
            [(1, 150.0, "with workshop"), (2, 75.0, "online only")],
            None,
        ),
        ("$150 with workshop or $75 online", [(1, 150.0, "with workshop or $75 online")], None),
        ("$150 with workshop OR $75 online", [(1, 150.0, "with workshop"), (2, 75.0, "online")], None),
        ("Free to members.\n$99.5 otherwise\n\nSee site.", [(1, 99.5, "otherwise")], "Free to members. See site."),
        ("$0.00\nAND\n\t$10 for materials", [(1, 0.0, None), (2, 10.0, "for materials")], None),
        ("N/A", [], "N/A"),
    ],
)
def test_cost_options_written_by_hand(value, options, note):
    found, found_note = normalize.training_costs(value)
    assert [(o.option, o.amount_usd, o.condition) for o in found] == options
    assert found_note == note


COST_PIECES = [
    "$150.00",
    "$1,525",
    "$75",
    " ",
    "\n",
    "\n\n",
    "OR",
    "or",
    "AND",
    "and",
    " with workshop",
    "online only",
    "\t",
]


@settings(max_examples=300, deadline=None)
@given(value=st.lists(st.sampled_from(COST_PIECES), max_size=30).map("".join))
def test_cost_openers_are_found_as_before_on_ordinary_values(value):
    for match in patterns.OPTION_OPENER.finditer(value):
        assert normalize._opener_start(value, match.end()) == _opener_start_before(value, match.end())


class _CountedStr(str):
    """A value that counts the characters every slice of it copies: the work a quadratic walk does shows here
    as a count, not as a time."""

    copied = 0

    def __getitem__(self, key):
        part = str.__getitem__(self, key)
        _CountedStr.copied += len(part)
        return part

    def strip(self, chars=None):  # a stripped value is counted on
        return _CountedStr(str.strip(self, chars))


HOSTILE_COST_PIECES = ["\n$1", " \n$1", "OR $1 ", "$1 OR\n", "\n$", " " * 50 + "\n$2", "AND\n$3\n\n"]


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pieces=st.lists(st.sampled_from(HOSTILE_COST_PIECES), min_size=1, max_size=3).map("".join))
def test_a_1_mb_cost_value_takes_linear_time(pieces):
    """1 MB of amounts took 69 s; linear code takes a few seconds on a loaded machine. The bound only proves
    there is no quadratic walk left; the count below shows where the work went."""
    value = (pieces * (2**20 // len(pieces) + 1))[: 2**20]
    started = time.process_time()
    normalize.training_costs(value)
    assert time.process_time() - started < 60


@pytest.mark.parametrize("piece", HOSTILE_COST_PIECES)
def test_cost_options_copy_each_character_a_bounded_number_of_times(piece):
    """Each amount copied the whole value before it (`value[:start].rstrip()`): 256 KB of amounts copied
    about 10 G characters. Counted, the copies now add up to a few times the value's length."""
    value = _CountedStr((piece * (2**18 // len(piece) + 1))[: 2**18])
    _CountedStr.copied = 0
    normalize.training_costs(value)
    assert _CountedStr.copied <= 4 * len(value)


def _pathways_before(value: str | None) -> list[normalize.Pathway]:
    """The quadratic version (it copied the rest of the value after each code): the oracle for ordinary
    values."""
    text = (value or "").strip()
    leading = text.startswith("^") or "\n^" in text
    result = []
    position = 0
    for match in patterns.PATHWAY_CODE.finditer(text):
        name = text[position : match.start()]
        after = text[match.end() :]
        rest = after.lstrip(" \t")[1:]
        closes = not rest.strip() or rest.startswith("\n")
        trailing = after.lstrip(" \t").startswith("^") and (not leading or closes)
        position = match.end() + (len(after) - len(after.lstrip(" \t")) + 1 if trailing else 0)
        result.append(
            normalize.Pathway(normalize.clean_text(name.replace("^", "")), match.group(1), "^" in name or trailing)
        )
    return result


PATHWAY_PIECES = [
    "^",
    "Digital Media",
    " (DIGM)",
    "(ADMA)",
    " ",
    "\t",
    "\n",
    "\n\n",
    "Information Security (INSE)",
    "^ ",
]


@settings(max_examples=300, deadline=None)
@given(value=st.lists(st.sampled_from(PATHWAY_PIECES), max_size=20).map("".join))
def test_pathways_are_read_as_before_on_ordinary_values(value):
    assert normalize.pathways(value) == _pathways_before(value)


@pytest.mark.parametrize("piece", ["(LCO) ", "(ABCD) ^", "Pathway (ABCD)^\n"])
def test_pathways_copy_each_character_a_bounded_number_of_times(piece):
    """A neighbour of the cost attack: each pathway code copied the rest of the value (512 KB: 2.6 s, 128 KB:
    0.2 s, quadratic)."""
    value = _CountedStr((piece * (2**18 // len(piece) + 1))[: 2**18])
    _CountedStr.copied = 0
    normalize.pathways(value)
    assert _CountedStr.copied <= 4 * len(value)


# --- amounts: a sane range -------------------------------------------------------------------


def test_an_absurd_training_cost_is_a_visible_reject(raw, capsys):
    costs = "Cost of Instructor Training$1e30 per teacher\n$999999999999\n$1,525.00 with a webinar"
    (raw / "2024-2025" / "text" / "credential_9.txt").write_bytes(page("Absurd Cost", costs))
    extract(raw, capsys)
    path = "2024-2025/text/credential_9.txt"
    assert rejects(raw) == [
        ("instructor_training_costs", "amount_usd", "less_than_or_equal_to(100000)", "1e+30", path),
        ("instructor_training_costs", "amount_usd", "less_than_or_equal_to(100000)", "999999999999.0", path),
    ]
    kept = table(raw, "instructor_training_costs")
    assert list(zip(kept["option"], kept["amount_usd"], kept["condition"], strict=True)) == [
        (3, 1525.0, "with a webinar")
    ]


def test_the_absurd_cost_reject_keeps_its_row_keys(raw, capsys):
    (raw / "2024-2025" / "text" / "credential_9.txt").write_bytes(
        page("Absurd Cost", "Cost of Instructor Training$250000.00")
    )
    extract(raw, capsys)
    assert list(table(raw, "rejects")["key"]) == ["2024-2025/absurd-cost/1"]
    assert pd.isna(
        table(raw, "credentials").set_index("credential_slug").loc["absurd-cost", "instructor_training_cost_note"]
    )


def test_a_link_to_a_folder_is_skipped_and_never_walked(raw, capsys, tmp_path):
    text = raw / "2024-2025" / "text"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "credential_9.txt").write_bytes((text / "credential_1.txt").read_bytes())
    (text / "elsewhere").symlink_to(outside)  # a folder outside raw/
    (text / "loop").symlink_to("..")  # a folder above itself: walked, it would never end
    out, summary = extract(raw, capsys)
    cause = "a link to a folder; not followed"
    assert summary["skipped"] == {"2024-2025/text/elsewhere": cause, "2024-2025/text/loop": cause}
    credentials = pd.read_csv(raw.parent / "out" / "csv" / "credentials.csv")
    assert credentials["source_path"].tolist() == ["2024-2025/text/credential_1.txt"]
