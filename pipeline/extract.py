"""The extract job: raw/ -> documents -> blocks -> rows -> validated tables -> files."""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import parquet

from pipeline import files, stamp
from pipeline.cache import KEY, Facts, LastRun, Store, Stored, document_key
from pipeline.files import UsageError
from pipeline.read import documents
from pipeline.read.blocks import Page
from pipeline.read.documents import DocumentError, DocumentRef
from pipeline.read.html import parse_html
from pipeline.read.text import parse_text
from pipeline.tables import build, rows, validate
from pipeline.tables.build import TABLES
from pipeline.tables.export import write_tables

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


@dataclass
class Result:
    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]


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
        if typed.name_mismatch:
            result.notes.append(
                f"block {number}: Credential Name {typed.name_mismatch!r} differs from title "
                f"{typed.credential['credential_name']!r}"
            )
        result.credentials.append(typed)
    return result


def _parse(document: documents.Document) -> tuple[Page | None, PdfContent | None]:
    if document.ref.kind == "html":
        return parse_html(document.text), None
    if document.ref.kind == "text":
        return parse_text(document.text), None
    from pipeline.read.pdf import parse_pdf  # PDFium and pdfplumber are loaded only when there is a PDF

    content = parse_pdf(document.data)
    return content.page, content


def _why_no_block(page: Page) -> str:
    if not page.school_year:
        return "no credential block and no school year heading (not a directory page?)"
    if page.title_fragment:
        return f"cut inside the title of its first credential ({page.title_fragment!r}); no credential block"
    return "no credential block (cut before the first block, or an error page)"


def extract(
    raw_root: Path,
    out: Path,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
) -> Result:
    """Run the whole job; raises UsageError when there is nothing to extract.

    With `cache_dir`, documents unchanged since the last run (same bytes, same
    pipeline code) are not parsed again, and when the last run's outputs are
    still there as it wrote them, only the credentials and documents a change
    touches are merged and validated again (`tables.build`). Documents are
    parsed on `workers` processes (default: one) when there are enough of them.
    """
    with _fewer_collections():
        return _extract(raw_root, out, progress, cache_dir, workers)


@contextmanager
def _fewer_collections():
    """Python's cyclic garbage collector, run less often: a run makes millions of small objects that live
    until it ends and hold no cycles, and the collector walked them over and over (10% of a cold run)."""
    threshold = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _extract(raw_root: Path, out: Path, progress, cache_dir: Path | None, workers: int | None) -> Result:
    if not raw_root.is_dir():
        raise UsageError(f"no raw folder at {raw_root}")
    files.check_output(out, raw_root)
    inventory = documents.scan(raw_root)
    if not inventory.refs:
        raise UsageError(f"no documents under {raw_root} (expected {raw_root}/<school_year>/<kind>/<file>)")
    report = progress or (lambda message: None)
    store = Store(cache_dir)
    keys, parsed, misses = _keys_and_misses(inventory.refs, store, stamp.known_hashes(cache_dir, raw_root, out))
    report(f"{len(keys)} documents: {len(keys) - len(parsed) - len(misses)} unchanged (cached), {len(misses)} to parse")
    labels = _LabelRows()
    new_facts = {}
    for key, result in itertools.chain(list(parsed.items()), _parse_all(misses, workers, report)):
        parsed[key], new_facts[key] = result, _facts(key, result)
        labels.add(key, result)
    facts = {path: new_facts[key] if key in new_facts else store.facts[key] for path, key in keys.items()}
    last = store.last_run(raw_root, out) if stamp.outputs_unchanged(cache_dir, raw_root, out) else None
    new_labels = labels.table()
    job = _incremental(last, keys, facts, store, parsed, new_labels, out) if last else None
    job = job or _whole(keys, store, parsed, new_labels, {ref.rel_path: ref for ref in inventory.refs})
    summary = _summary(job.tables, job.collisions, facts)
    summary["skipped"] = inventory.skipped
    summary["manifest_problems"] = inventory.manifest_problems
    tables = {name: build.untagged(data) for name, data in job.tables.items()}
    write_tables(tables, out, summary)
    summary["cached_documents"] = len(keys) - len(parsed)
    summary["rebuilt"] = job.scope
    tags = {name: build.tags_table(data) for name, data in job.tables.items()}
    new = {key: Stored(new_facts.get(key) or _facts(key, result), result.text()) for key, result in parsed.items()}
    store.save(new, job.new_labels, keys, raw_root, out, tags, job.collisions, job.entangled)
    if cache_dir is not None:
        stamp.record(cache_dir, raw_root, out, {path: json.loads(key)[-1] for path, key in keys.items()})
    return Result(tables, summary)


def _keys_and_misses(
    refs: list[DocumentRef], store: Store, known: dict[str, str]
) -> tuple[dict[str, str], dict[str, DocumentResult], list[tuple[str, DocumentRef, bytes]]]:
    """Each document's cache key; the results of those that cannot be read; the rest not in the cache.

    A file whose size and mtime are as the last run stamped them is not read
    again: its stamped hash gives its key.
    """
    keys: dict[str, str] = {}
    unreadable: dict[str, DocumentResult] = {}
    misses: list[tuple[str, DocumentRef, bytes]] = []
    for ref in refs:
        sha256 = known.get(ref.rel_path)
        key = document_key(ref, sha256) if sha256 else None
        if key is not None and key in store:
            keys[ref.rel_path] = key
            continue
        try:
            data = documents.read_bytes(ref)
        except DocumentError as error:
            keys[ref.rel_path] = key = document_key(ref, f"unreadable: {error}")
            unreadable[key] = DocumentResult(ref.rel_path, unreadable=str(error))
            continue
        keys[ref.rel_path] = key = document_key(ref, hashlib.sha256(data).hexdigest())
        if key not in store:
            misses.append((key, ref, data))
    return keys, unreadable, misses


@dataclass
class _Job:
    tables: dict[str, pd.DataFrame]  # tagged, sorted
    collisions: dict[str, list[str]]  # group -> notes
    entangled: bool
    scope: str  # what was merged and validated again
    new_labels: pa.Table  # the label/value rows of the documents parsed in this run, with their keys


def _whole(
    keys: dict[str, str],
    store: Store,
    parsed: dict[str, DocumentResult],
    new_labels: pa.Table,
    refs: dict[str, DocumentRef],
) -> _Job:
    """Merge and validate everything (a first run, or one an incremental run cannot serve).

    A cached result that does not read back (a damaged cache file) is parsed
    again; a damaged file gives none of its rows, so none is doubled.
    """
    cached = [key for key in dict.fromkeys(keys.values()) if key not in parsed]
    stored, stored_labels = store.load(cached, validate.table_schema("label_values"))
    again = {key: read_document(refs[path]) for path, key in keys.items() if key not in parsed and key not in stored}
    if again:
        new_labels = pa.concat_tables([new_labels, _label_rows(again)])
        parsed.update(again)
    results = [parsed[key] if key in parsed else DocumentResult.from_stored(stored[key]) for key in keys.values()]
    built = build.build(
        [typed for result in results for typed in result.credentials],
        pa.concat_tables([new_labels.drop_columns([KEY]), stored_labels]),
        [row for result in results for row in result.course_credentials],
    )
    tables = build.assemble({}, built.tables)
    return _Job(tables, built.collisions, built.entangled, "everything", new_labels)


_INCREMENTAL_UP_TO = 0.25  # of the documents changed; beyond, a whole build costs about as much


def _incremental(
    last: LastRun,
    keys: dict[str, str],
    facts: dict[str, Facts],
    store: Store,
    parsed: dict[str, DocumentResult],
    new_labels: pa.Table,
    out: Path,
) -> _Job | None:
    """Rebuild only the groups and documents a change touches; None when a whole build is needed."""
    changed = {path for path, key in keys.items() if last.documents.get(path) != key}
    changed |= set(last.documents) - set(keys)
    if len(changed) > _INCREMENTAL_UP_TO * len(keys):
        return None
    before = [store.facts[last.documents[path]] for path in changed if path in last.documents]
    after = [facts[path] for path in changed if path in keys]
    if any(item.listing for item in before + after):
        return None  # listing rows of two documents can share a key: which one is kept depends on both
    groups = {group for item in before + after for group in item.groups}
    others = [path for path in keys if path not in changed and groups.intersection(facts[path].groups)]
    wanted = [keys[path] for path in sorted([path for path in changed if path in keys] + others)]
    cached = [key for key in wanted if key not in parsed]
    stored, stored_labels = store.load(cached, validate.table_schema("label_values"))
    if any(key not in stored for key in cached):
        return None
    touched = pa.array(sorted(groups), pa.string())
    changed_paths = pa.array(sorted(changed), pa.string())
    stored_labels = stored_labels.filter(
        pc.or_kleene(
            pc.is_in(stored_labels["source_path"], changed_paths), pc.is_in(build.label_groups(stored_labels), touched)
        )
    )
    credentials = []
    for key in wanted:
        result = parsed[key] if key in parsed else DocumentResult.from_stored(stored[key])
        everything = result.path in changed
        credentials += [c for c in result.credentials if everything or build.group_of_rows(c) in groups]
    kept = _kept_rows(out, last, changed, groups)
    if kept is None:
        return None
    built = build.build(credentials, pa.concat_tables([new_labels.drop_columns([KEY]), stored_labels]), [])
    tables = build.assemble(kept, built.tables)
    if tables is None or built.entangled:
        return None
    collisions = {group: notes for group, notes in last.collisions.items() if group not in groups}
    scope = f"{len(changed)} documents, {len(groups)} credentials"
    return _Job(tables, {**collisions, **built.collisions}, False, scope, new_labels)


class _LabelRows:
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


def _label_rows(results: dict[str, DocumentResult]) -> pa.Table:
    rows = _LabelRows()
    for key, result in results.items():
        rows.add(key, result)
    return rows.table()


def _kept_rows(out: Path, last: LastRun, changed: set[str], groups: set[str]) -> dict[str, pd.DataFrame] | None:
    """The last run's output rows that depend on nothing changed, tagged; None if the outputs do not read back."""
    kept = {}
    for name, tags in last.tags.items():
        try:
            data = parquet.read_table(out / "parquet" / f"{name}.parquet")
        except Exception:  # noqa: BLE001 - an output that does not read back: a whole build
            return None
        if data.num_rows != tags.num_rows or name not in TABLES:
            return None
        touched = pc.or_(
            pc.is_in(tags[build.DOC], pa.array(sorted(changed), pa.string())),
            pc.is_in(tags[build.GROUP], pa.array(sorted(groups), pa.string())),
        )
        keep = pc.invert(pc.fill_null(touched, False))
        for tag in build.TAGS:
            data = data.append_column(tag, tags[tag].cast(pa.string()))
        kept[name] = validate.as_frame(data.filter(keep))
    return kept if set(kept) == set(TABLES) else None


def _summary(tables: dict[str, pd.DataFrame], collisions: dict[str, list[str]], facts: dict[str, Facts]) -> dict:
    drift = Counter(label for item in facts.values() for label in item.drift)
    return {
        "course_cross_check": validate.cross_check_courses(tables["course_credentials"], tables["credential_courses"]),
        "years_without_listing": sorted(
            set(tables["credentials"]["school_year"].dropna())
            - set(tables["course_credentials"]["school_year"].dropna())
        ),
        "documents": len(facts),
        "credentials": len(tables["credentials"]),
        "rows": {name: len(data) for name, data in tables.items()},
        "rejects": len(tables["rejects"]),
        "conflicts": len(tables["conflicts"]),
        "slug_collisions": [note for group in sorted(collisions) for note in collisions[group]],
        "drift_labels": dict(sorted(drift.items())),
        "unreadable": {path: item.unreadable for path, item in facts.items() if item.unreadable},
        "notes": {path: list(item.notes) for path, item in facts.items() if item.notes},
    }


def _facts(key: str, result: DocumentResult) -> Facts:
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


_PARALLEL_FROM = 200  # documents; below this, starting processes costs more than it saves


def _parse_all(misses, workers: int | None, report: Callable[[str], None]):
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(misses) >= _PARALLEL_FROM:
        gc.freeze()  # the collector in a forked worker would touch, and so copy, every page it inherits
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                parsed = pool.map(_read_keyed, misses, chunksize=max(1, min(64, len(misses) // (workers * 8))))
                yield from _with_progress(parsed, len(misses), report)
        finally:
            gc.unfreeze()
        return
    yield from _with_progress(map(_read_keyed, misses), len(misses), report)


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
