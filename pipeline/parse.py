"""documents -> per-document results in the cache: each document parsed and typed, on workers when there are many.

`read_document` never raises: whatever goes wrong is that document's cause.
The process that parses a document writes its result to the cache itself
(`cache.part`: typed rows, label/value rows as Arrow columns); the run gets
back only the file's name and each document's facts, never its rows.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from pipeline.cache import ROW_GROUP, Facts, Store, document_key, label_lists, part
from pipeline.read import documents
from pipeline.read.blocks import Page
from pipeline.read.documents import DocumentError, DocumentRef
from pipeline.read.html import parse_html
from pipeline.read.text import parse_text
from pipeline.tables import build, rows, validate
from pipeline.tables.stored import Typed, stored_text
from pipeline.workers import pool

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

    def text(self) -> str:
        """The typed rows as JSON text for the cache (the label/value rows are kept as a table beside them)."""
        return stored_text(Typed(self.credentials, self.course_credentials))


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
            result.notes.append(f"block {number} has no name (no Credential Name value, no title); its pairs are kept")
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


_TITLE_AT_MOST = 200  # characters of a title: a longer loose line is no title cut short (a page not read)


def _why_no_block(page: Page) -> str:
    if not page.school_year:
        return "no credential block and no school year heading (not a directory page?)"
    if page.title_fragment and len(page.title_fragment) <= _TITLE_AT_MOST:
        return f"cut inside the title of its first credential ({page.title_fragment!r}); no credential block"
    return "no credential block (cut before the first block, or an error page)"


def _facts_before_labels(key: str, result: DocumentResult) -> Facts:
    """A document's facts but those of its label/value rows, which come when they are validated."""
    columns = result.label_values
    drift = tuple(
        raw for raw, label in zip(columns.get("label_raw", ()), columns.get("label", ()), strict=True) if label is None
    )
    groups = tuple(sorted(build.groups_of(result.credentials)))
    return Facts(
        key, result.path, groups, bool(result.course_credentials), result.unreadable, tuple(result.notes), drift
    )


ValidLabels = tuple[int, bool, str]  # a document's valid label/value rows, whether one has no label, its rejects


def validated_labels(per_document: list[dict[str, list]]) -> tuple[pa.Table, list[int], list[ValidLabels]]:
    """Documents' label/value columns validated together (a row's validity depends on its document alone):
    the valid rows in order, how many each document keeps, and each one's facts about them."""
    data = build.label_table(per_document)
    sizes = [len(columns.get("position", ())) for columns in per_document]
    valid, rejects = build.validated_labels(data)
    owner = pd.Series(range(len(per_document))).repeat(sizes).to_list()  # each row's document
    kept = pd.Series([owner[row] for row in valid.index], dtype="int64")
    counts = kept.value_counts().reindex(range(len(per_document)), fill_value=0).to_list()
    unknown = set(kept[valid["label"].isna().to_list()].to_list())
    found: list[list[dict]] = [[] for _ in per_document]
    for reject in rejects:
        found[owner[reject.pop(build.ROW)]].append(reject)
    facts = [
        (count, number in unknown, json.dumps(items, separators=(",", ":")))
        for number, (count, items) in enumerate(zip(counts, found, strict=True))
    ]
    return validate.as_table("label_values", valid), counts, facts


_PARALLEL_FROM = 200  # documents; below this, starting processes costs more than it saves
_TASKS_PER_WORKER = 3  # parts a worker writes: few files, yet a slow part does not leave a worker idle long
_PART = 512  # documents at most in a part: what a worker holds before it writes them


Miss = tuple[str | None, DocumentRef]  # a document to parse: its cache key as planned (None: not read), where it is


def parse_all(misses: list[Miss], store: Store, workers: int, report: Callable[[str], None]) -> None:
    """Parse every miss into result files of the store, on `workers` processes when there are enough of them to
    pay for starting. PDFs are read in a worker process that lives while the run
    reads them (see `_pooled` for a pool's). Each part's facts are added to the store as it comes back."""
    progress = _Progress(len(misses), report)
    pooled = workers > 1 and len(misses) >= _PARALLEL_FROM
    with _pdf_session(any(ref.kind == "pdf" for _, ref in misses)):
        for name, facts in _pooled(misses, store, workers) if pooled else _parts_here(misses, store):
            store.add(name, facts)
            progress.done(len(facts))


def _parts_here(items: list[Miss], store: Store) -> Iterator[tuple[str, list[Facts]]]:
    for at in range(0, len(items), _PART):
        yield _parse_part((str(store.folder), store.next_file(), items[at : at + _PART]))


def write_results(store: Store, results: list[tuple[str, DocumentResult]]) -> None:
    """Results made in this process (documents that could not be read at all) written as a part of the store."""
    if results:
        name = store.next_file()
        store.add(name, _write(store.folder, name, results))


def _parse_part(task: tuple[str, str, list[Miss]]) -> tuple[str, list[Facts]]:
    """Parse documents and write their results as one part; its name and the documents' facts come back."""
    folder, name, items = task
    return name, _write(Path(folder), name, (_read_keyed(item) for item in items))


def _write(folder: Path, name: str, results: Iterable[tuple[str, DocumentResult]]) -> list[Facts]:
    """Results written as one part, a row group's documents at a time (parsed as they are asked for): a part's
    documents are never held all at once (512 of them held 20 MB more in each worker of a cold run)."""
    with part(folder, name) as written:
        for facts, texts, labels in _row_groups(map(_digested, results)):
            written.write(facts, texts, labels)
    return written.facts


def _batched(items: Iterable, size: int) -> Iterator[tuple]:
    """Items in tuples of `size` (the last may be shorter): itertools.batched, which Python 3.11 lacks."""
    iterator = iter(items)
    while batch := tuple(itertools.islice(iterator, size)):
        yield batch


# Row groups whose label/value rows are validated in one call: pandera's cost is mostly per call (on the bench
# corpus, 0.89 ms a document validated 64 at a time, 0.20 ms 256 at a time), and a document waiting for its
# check is held as its JSON text and label columns only.
_CHECKED_TOGETHER = 4


@dataclass(frozen=True)
class _Digest:
    """A parsed document as its part keeps it, and all of it that is held until its label rows are checked."""

    facts: Facts  # before its label rows are checked
    text: str  # its typed rows as JSON
    label_values: dict[str, list]


def _with_labels(facts: Facts, labels: ValidLabels) -> Facts:
    count, unknown, rejects = labels
    return dataclasses.replace(facts, label_rows=count, unknown_labels=unknown, label_rejects=rejects)


def _digested(item: tuple[str, DocumentResult]) -> _Digest:
    key, result = item
    return _Digest(_facts_before_labels(key, result), result.text(), result.label_values)


def _row_groups(digests: Iterable[_Digest]) -> Iterator[tuple[list[Facts], list[str], pa.ListArray]]:
    """Row groups of ROW_GROUP documents, their label/value rows validated _CHECKED_TOGETHER groups at a time."""
    for batch in _batched(digests, ROW_GROUP * _CHECKED_TOGETHER):
        labels, counts, label_facts = validated_labels([digest.label_values for digest in batch])
        first_row = 0
        for at in range(0, len(batch), ROW_GROUP):
            group, group_counts = batch[at : at + ROW_GROUP], counts[at : at + ROW_GROUP]
            facts = [
                _with_labels(digest.facts, found)
                for digest, found in zip(group, label_facts[at : at + ROW_GROUP], strict=True)
            ]
            rows_here = sum(group_counts)
            yield (
                facts,
                [digest.text for digest in group],
                label_lists(labels.slice(first_row, rows_here), group_counts),
            )
            first_row += rows_here


def keyed_read(ref: DocumentRef) -> tuple[str, str, bytes | str]:
    """A document's cache key, the digest the key holds (its sha256, or the cause its read failed) and its bytes
    (the cause, as shown, when its read failed)."""
    try:
        data = documents.read_bytes(ref)
    except DocumentError as error:
        digest = documents.failure_digest(error)
        return document_key(ref, digest), digest, str(error)
    digest = hashlib.sha256(data).hexdigest()
    return document_key(ref, digest), digest, data


def _read_keyed(item: Miss) -> tuple[str, DocumentResult]:
    """A document read where it is parsed (its bytes never travel), keyed by the bytes read: a file that changed
    since it was planned gets the key of what was parsed (the run sees the key change and stamps it untrusted)."""
    _, ref = item
    key, _, data = keyed_read(ref)
    if isinstance(data, str):
        return key, DocumentResult(ref.rel_path, unreadable=data)
    return key, read_document(ref, data)


@contextlib.contextmanager
def _pdf_session(has_pdf: bool):
    if not has_pdf:
        yield
        return
    from pipeline.read import pdf_worker  # loaded once before any fork, shared, not once per worker

    with pdf_worker.session():
        yield


def _pooled(misses: list[Miss], store: Store, workers: int) -> Iterator[tuple[str, list[Facts]]]:
    """Every miss parsed on a pool of processes, a part per task, in order; the PDFs' parts come last.

    The PDFs are one task, given out first: one pool process reads them through the one PDF worker it forks,
    closed once they are read, while the others parse the rest. So the run has one PDF worker, never one per
    pool process, and no core waits for the PDFs (read first, alone, they left one of two cores idle for a
    fifth of a cold run). A process that dies (killed, out of memory) breaks the pool: the documents of the
    parts not returned are parsed again on a new pool, and the first of them is parsed alone, so that the one
    that kills its process is that document's cause, never the run's; PDFs not returned are read here, once
    the rest are done."""
    pdfs = [item for item in misses if item[1].kind == "pdf"]
    rest = [item for item in misses if item[1].kind != "pdf"]
    done, size = 0, _part_size(len(rest), workers)
    first = True
    while first or done < len(rest):
        left = rest[done:]
        tasks = [(str(store.folder), store.next_file(), left[at : at + size]) for at in range(0, len(left), size)]
        try:
            with pool(workers) as executor:
                read_pdfs = executor.submit(_parse_pdfs, _pdf_task(pdfs, store)) if first and pdfs else None
                first = False
                for name, facts in executor.map(_parse_part, tasks):
                    yield name, facts
                    done += len(facts)
                if read_pdfs is not None:
                    yield from read_pdfs.result()
                    pdfs = []
        except BrokenProcessPool:
            first = False
            if done < len(rest):
                yield _alone(rest[done], store)
                done += 1
                size = max(1, _part_size(len(rest) - done, workers) // 4)
    yield from _parts_here(pdfs, store)


def _pdf_task(pdfs: list[Miss], store: Store) -> tuple[str, list[str], list[Miss]]:
    return str(store.folder), [store.next_file() for _ in range(0, len(pdfs), _PART)], pdfs


def _parse_pdfs(task: tuple[str, list[str], list[Miss]]) -> list[tuple[str, list[Facts]]]:
    """PDFs parsed in a pool process, written as parts of at most _PART; its PDF worker closed once they are
    read (the process goes on with other documents, and must not hold it beside them)."""
    folder, names, items = task
    from pipeline.read import pdf_worker

    try:
        return [
            _parse_part((folder, name, items[at : at + _PART]))
            for name, at in zip(names, range(0, len(items), _PART), strict=True)
        ]
    finally:
        pdf_worker.close_now()


def _part_size(documents: int, workers: int) -> int:
    return max(1, min(_PART, -(-documents // (workers * _TASKS_PER_WORKER))))


_DIED = "the process reading it died (killed, or out of memory); not read"


def _alone(item: Miss, store: Store) -> tuple[str, list[Facts]]:
    """One document parsed on a process of its own: if that process dies too, this document killed it."""
    name = store.next_file()
    try:
        with pool(1) as executor:
            return executor.submit(_parse_part, (str(store.folder), name, [item])).result()
    except BrokenProcessPool:
        key, ref = item
        key = key or keyed_read(ref)[0]
        return name, _write(store.folder, name, [(key, DocumentResult(ref.rel_path, unreadable=_DIED))])


class _Progress:
    def __init__(self, total: int, report: Callable[[str], None]) -> None:
        self.total, self.count, self.report, self.last = total, 0, report, time.monotonic()

    def done(self, count: int) -> None:
        self.count += count
        if time.monotonic() - self.last > 1 or self.count == self.total:
            self.report(f"parsed {self.count}/{self.total} documents")
            self.last = time.monotonic()
