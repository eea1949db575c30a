"""documents -> per-document results: each document parsed and typed, on workers when there are many.

`read_document` never raises: whatever goes wrong is that document's cause.
A result's label/value rows are columns, moved into one Arrow table as
results come in (`LabelRows`).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from pipeline.cache import KEY, Facts, Stored
from pipeline.read import documents
from pipeline.read.blocks import Page
from pipeline.read.documents import DocumentError, DocumentRef
from pipeline.read.html import parse_html
from pipeline.read.text import parse_text
from pipeline.tables import build, rows
from pipeline.workers import start

if TYPE_CHECKING:
    from pipeline.read.pdf import PdfContent


@dataclass
class DocumentResult:
    """What one document gives: typed rows, label/value rows and what went wrong."""

    path: str
    credentials: list[rows.CredentialRows] = field(default_factory=list)
    label_values: dict[str, list] = field(default_factory=dict)  # columns (rows.label_value_columns)
    course_credentials: list[dict[str, Any]] = field(default_factory=list)
    unreadable: str | None = None  # the cause, when the document gave nothing
    notes: list[str] = field(default_factory=list)

    encoded: str | None = None  # to_plain() as JSON text, made where the document was parsed (a worker)

    def text(self) -> str:
        """The typed rows as JSON text for the cache."""
        return self.encoded or json.dumps(self.to_plain(), separators=(",", ":"))

    def to_plain(self) -> dict[str, Any]:
        """The typed rows as plain data (JSON) for the cache; the label/value rows are kept as a table beside them.

        Shallow, since it is serialised at once (asdict deep-copies every row).
        """
        credentials = [{**_shallow(rows_), "source": _shallow(rows_.source)} for rows_ in self.credentials]
        return {"credentials": credentials, "course_credentials": self.course_credentials}

    @classmethod
    def from_stored(cls, stored: Stored) -> DocumentResult:
        """The result as the cache keeps it; raises on data of another shape."""
        credentials = [
            rows.CredentialRows(**{**item, "source": rows.Source(**item["source"])})
            for item in stored.result["credentials"]
        ]
        facts = stored.facts
        return cls(
            facts.path,
            credentials,
            {},
            list(stored.result["course_credentials"]),
            facts.unreadable,
            list(facts.notes),
        )


def _shallow(instance: Any) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in _field_names(type(instance))}


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(kind))


_MAX_CAUSE = 300  # characters of an unexpected error's message shown as the cause


def read_document(ref: DocumentRef, data: bytes | None = None) -> DocumentResult:
    """Load, parse and type one document. Never raises: whatever goes wrong is that document's cause."""
    try:
        return _read_document(ref, data)
    except DocumentError as error:
        return DocumentResult(ref.rel_path, unreadable=str(error))
    except Exception as error:  # noqa: BLE001 - the one place where an unforeseen failure is contained
        message = str(error)[:_MAX_CAUSE]
        return DocumentResult(ref.rel_path, unreadable=f"cannot be read ({type(error).__name__}: {message})")


def _read_document(ref: DocumentRef, data: bytes | None) -> DocumentResult:
    result = DocumentResult(ref.rel_path)
    document = documents.load(ref, data)
    page, pdf = _parse(document)
    if pdf is not None and pdf.url:
        ref = documents.named_by_printed_url(ref, pdf.url)
    if pdf is not None and page is None:
        result.course_credentials = rows.listing_rows(pdf.listing, pdf.listing_year or ref.folder_year, ref.rel_path)
        if not result.course_credentials:
            result.unreadable = "Credentials by Course listing with no rows"
        return result
    school_year, note = documents.school_year_of(ref, page.school_year)
    if note:
        result.notes.append(note)
    if not page.blocks:
        result.unreadable = _why_no_block(page)
        return result
    cred_id = ref.cred_id if len(page.blocks) == 1 else None
    source = rows.Source(
        ref.rel_path, ref.url, document.sha256, ref.kind, school_year, page.is_draft, cred_id, ref.origin
    )
    for number, block in enumerate(page.blocks, start=1):
        typed = rows.credential_rows(block, source, number)
        slug = typed.credential["credential_slug"] if typed else None
        for column, values in rows.label_value_columns(block, number, source, slug).items():
            result.label_values.setdefault(column, []).extend(values)
        if typed is None:
            result.notes.append(f"block {number} has no name (cut inside its title); its pairs are kept")
            continue
        if typed.title_mismatch:
            result.notes.append(rows.title_mismatch_note(typed))
        result.credentials.append(typed)
    return result


def _parse(document: documents.Document) -> tuple[Page | None, PdfContent | None]:
    if document.ref.kind == "html":
        return parse_html(document.text), None
    if document.ref.kind == "text":
        return parse_text(document.text), None
    from pipeline.read.pdf_worker import read_pdf  # PDFium and pdfplumber are loaded only when there is a PDF

    content = read_pdf(document.data)  # in a process of its own: a crash or a hang costs this document only
    return content.page, content


def _why_no_block(page: Page) -> str:
    if not page.school_year:
        return "no credential block and no school year heading (not a directory page?)"
    if page.title_fragment:
        return f"cut inside the title of its first credential ({page.title_fragment!r}); no credential block"
    return "no credential block (cut before the first block, or an error page)"


def facts_of(key: str, result: DocumentResult) -> Facts:
    labels = result.label_values
    return Facts(
        key,
        result.path,
        tuple(sorted(build.groups_of(result.credentials))),
        bool(result.course_credentials),
        result.unreadable,
        tuple(result.notes),
        tuple(
            raw
            for raw, label in zip(labels.get("label_raw", ()), labels.get("label", ()), strict=True)
            if label is None
        ),
    )


class LabelRows:
    """The label/value rows of the documents parsed in this run, each with its document's key.

    Moved from each result into Arrow a batch at a time as results come in:
    as Python lists they were the run's largest objects.
    """

    _BATCH = 50_000  # rows

    def __init__(self) -> None:
        self.columns: list[dict[str, list]] = []
        self.keys: list[str] = []
        self.batches: list[pa.Table] = []

    def add(self, key: str, result: DocumentResult) -> None:
        self.columns.append(result.label_values)
        self.keys += [key] * len(result.label_values.get("position", ()))
        result.label_values = {}
        if len(self.keys) >= self._BATCH:
            self._flush()

    def _flush(self) -> None:
        table = build.label_table(self.columns)
        self.batches.append(table.append_column(KEY, pa.array(self.keys, pa.string())))
        self.columns, self.keys = [], []

    def table(self) -> pa.Table:
        self._flush()
        return pa.concat_tables(self.batches)


def label_rows(results: dict[str, DocumentResult]) -> pa.Table:
    rows = LabelRows()
    for key, result in results.items():
        rows.add(key, result)
    return rows.table()


_PARALLEL_FROM = 200  # documents; below this, starting processes costs more than it saves


def parse_all(misses, workers: int | None, report: Callable[[str], None]):
    """(key, result) of every miss, in order; on `workers` processes (default: one per core) when there are
    enough of them to pay for starting. PDFs are read in worker processes that live as long as the run."""
    workers = workers or os.cpu_count() or 1
    has_pdf = any(ref.kind == "pdf" for _, ref, _ in misses)
    with _pdf_session(has_pdf):
        if workers > 1 and len(misses) >= _PARALLEL_FROM:
            gc.freeze()  # the collector in a forked worker would touch, and so copy, every page it inherits
            try:
                yield from _with_progress(_pooled(misses, workers), len(misses), report)
            finally:
                gc.unfreeze()
            return
        yield from _with_progress(map(_read_keyed, misses), len(misses), report)


@contextlib.contextmanager
def _pdf_session(has_pdf: bool):
    if not has_pdf:
        yield
        return
    from pipeline.read import pdf_worker  # loaded once before any fork, shared, not once per worker

    with pdf_worker.session():
        yield


def _pooled(misses: list, workers: int):
    """Every miss read on a pool of processes, in order. A process that dies (killed, out of memory) breaks
    the pool: the documents it had not returned are read again on a new pool, one per task, and the first of
    them is read alone, so that the one that kills its process is that document's cause, never the run's."""
    done, chunk = 0, max(1, min(64, len(misses) // (workers * 8)))
    while done < len(misses):
        try:
            with ProcessPoolExecutor(max_workers=workers, initializer=start, initargs=(os.getpid(),)) as pool:
                for item in pool.map(_read_keyed, misses[done:], chunksize=chunk):
                    yield item
                    done += 1
        except BrokenProcessPool:
            yield _alone(misses[done])
            done, chunk = done + 1, 1


_DIED = "the process reading it died (killed, or out of memory); not read"


def _alone(item: tuple[str, DocumentRef, bytes]) -> tuple[str, DocumentResult]:
    """One document read on a process of its own: if that process dies too, this document killed it."""
    try:
        with ProcessPoolExecutor(max_workers=1, initializer=start, initargs=(os.getpid(),)) as pool:
            return pool.submit(_read_keyed, item).result()
    except BrokenProcessPool:
        key, ref, _ = item
        return key, DocumentResult(ref.rel_path, unreadable=_DIED)


def _with_progress(parsed, total: int, report: Callable[[str], None]):
    last = time.monotonic()
    for done, item in enumerate(parsed, start=1):
        yield item
        if time.monotonic() - last > 1 or done == total:
            report(f"parsed {done}/{total} documents")
            last = time.monotonic()


def _read_keyed(item: tuple[str, DocumentRef, bytes]) -> tuple[str, DocumentResult]:
    """Read a document, and encode its typed rows for the cache while still on the worker."""
    key, ref, data = item
    result = read_document(ref, data)
    result.encoded = result.text()
    return key, result
