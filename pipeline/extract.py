"""The extract job: raw/ -> documents -> blocks -> rows -> validated tables -> files."""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pipeline import files, stamp
from pipeline.cache import ResultCache, document_key
from pipeline.files import UsageError
from pipeline.read import documents
from pipeline.read.blocks import Page
from pipeline.read.documents import DocumentError, DocumentRef
from pipeline.read.html import parse_html
from pipeline.read.text import parse_text
from pipeline.tables import merge, rows, validate
from pipeline.tables.export import write_tables
from schemas.tables import CHILD_TABLES, KEYS, SCHEMAS

if TYPE_CHECKING:
    from pipeline.read.pdf import PdfContent

TABLES = tuple(SCHEMAS)


@dataclass
class DocumentResult:
    """What one document gives: typed rows, label/value rows and what went wrong."""

    path: str
    credentials: list[rows.CredentialRows] = field(default_factory=list)
    label_values: list[dict[str, Any]] = field(default_factory=list)
    course_credentials: list[dict[str, Any]] = field(default_factory=list)
    unreadable: str | None = None  # the cause, when the document gave nothing
    notes: list[str] = field(default_factory=list)

    def to_plain(self) -> dict[str, Any]:
        """Plain data (JSON) for the cache: shallow, since it is serialised at once (asdict deep-copies every row)."""
        plain = _shallow(self)
        plain["credentials"] = [{**_shallow(rows_), "source": _shallow(rows_.source)} for rows_ in self.credentials]
        return plain

    @classmethod
    def from_plain(cls, plain: dict[str, Any]) -> DocumentResult:
        """The result `to_plain` gave; raises on data of another shape (the cache then counts a miss)."""
        credentials = [
            rows.CredentialRows(**{**item, "source": rows.Source(**item["source"])}) for item in plain["credentials"]
        ]
        return cls(**{**plain, "credentials": credentials})


def _shallow(instance: Any) -> dict[str, Any]:
    return {item.name: getattr(instance, item.name) for item in fields(instance)}


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
        result.label_values.extend(rows.label_value_rows(block, number, source, slug))
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


def build_tables(results: list[DocumentResult]) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Merge, validate and sort every table; the summary counts what happened."""
    found = [typed for result in results for typed in result.credentials]
    all_credentials, collisions = merge.separate_slugs(found)
    merged = merge.merge(all_credentials)
    # A renamed credential's label/value rows follow it, block by block (a course page holds several).
    renamed = {
        (old.credential["school_year"], old.source.path, old.block): new.credential["credential_slug"]
        for old, new in zip(found, all_credentials, strict=True)
        if old is not new
    }
    raw_tables = {
        "credentials": merged.credentials,
        **merged.children,
        "course_credentials": [row for result in results for row in result.course_credentials],
        "label_values": [_renamed(row, renamed) for result in results for row in result.label_values],
        "conflicts": merged.conflicts,
    }
    tables: dict[str, pd.DataFrame] = {}
    rejects: list[dict] = []
    for name, table_rows in raw_tables.items():
        table_rows, number_rejects = validate.screen_numbers(name, table_rows)
        valid, table_rejects = validate.validate(name, validate.frame(name, table_rows))
        tables[name] = valid
        rejects.extend(number_rejects + table_rejects)
    for name in CHILD_TABLES:
        tables[name], orphan_rejects = validate.drop_orphans(name, tables[name], tables["credentials"])
        rejects.extend(orphan_rejects)
    tables["rejects"] = validate.frame("rejects", rejects)
    tables = {name: _sorted(name, tables[name]) for name in TABLES}
    drift = Counter(row["label_raw"] for result in results for row in result.label_values if row["label"] is None)
    summary = {
        "course_cross_check": validate.cross_check_courses(tables["course_credentials"], tables["credential_courses"]),
        "years_without_listing": sorted(
            set(tables["credentials"]["school_year"].dropna())
            - set(tables["course_credentials"]["school_year"].dropna())
        ),
        "documents": len(results),
        "credentials": len(tables["credentials"]),
        "rows": {name: len(data) for name, data in tables.items()},
        "rejects": len(tables["rejects"]),
        "conflicts": len(tables["conflicts"]),
        "slug_collisions": [collision.note() for collision in collisions],
        "drift_labels": dict(sorted(drift.items())),
        "unreadable": {r.path: r.unreadable for r in results if r.unreadable},
        "notes": {r.path: r.notes for r in results if r.notes},
    }
    return tables, summary


def _renamed(row: dict[str, Any], renamed: dict[tuple, str]) -> dict[str, Any]:
    """A label/value row follows its credential's slug when a collision renamed it."""
    slug = renamed.get((row["school_year"], row["source_path"], row["block"]))
    return {**row, "credential_slug": slug} if slug else row


def _sorted(name: str, data: pd.DataFrame) -> pd.DataFrame:
    keys = [column for column in KEYS[name] if column in data]
    return data.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)


def extract(
    raw_root: Path,
    out: Path,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
) -> Result:
    """Run the whole job; raises UsageError when there is nothing to extract.

    With `cache_dir`, documents unchanged since the last run (same bytes, same
    pipeline code) are not parsed again. Documents are parsed on `workers`
    processes (default: every core) when there are enough of them to pay.
    """
    if not raw_root.is_dir():
        raise UsageError(f"no raw folder at {raw_root}")
    files.check_output(out, raw_root)
    inventory = documents.scan(raw_root)
    refs = inventory.refs
    if not refs:
        raise UsageError(f"no documents under {raw_root} (expected {raw_root}/<school_year>/<kind>/<file>)")
    report = progress or (lambda message: None)
    cache = ResultCache(cache_dir)
    results: dict[int, DocumentResult] = {}
    keys: dict[int, tuple] = {}
    misses: list[tuple[int, DocumentRef, bytes]] = []
    for index, ref in enumerate(refs):
        try:
            data = documents.read_bytes(ref)
        except DocumentError as error:
            results[index] = DocumentResult(ref.rel_path, unreadable=str(error))
            continue
        keys[index] = cache_key = document_key(ref, hashlib.sha256(data).hexdigest())
        cached = cache.get(cache_key, DocumentResult.from_plain)
        if cached is not None:
            results[index] = cached
        else:
            misses.append((index, ref, data))
    report(f"{len(refs)} documents: {cache.hits} unchanged (cached), {len(misses)} to parse")
    for index, result in _parse_all(misses, workers, report):
        results[index] = result
    ordered = [results[index] for index in range(len(refs))]
    tables, summary = build_tables(ordered)
    summary["skipped"] = inventory.skipped
    summary["manifest_problems"] = inventory.manifest_problems
    summary["cached_documents"] = cache.hits
    write_tables(tables, out, {k: v for k, v in summary.items() if k != "cached_documents"})
    if misses or len(keys) != len(cache):
        cache.save({keys[i]: results[i].to_plain() for i in keys})
    if cache_dir is not None:
        stamp.record(cache_dir, raw_root, out, {refs[i].rel_path: keys[i][-1] for i in keys})
    return Result(tables, summary)


_PARALLEL_FROM = 200  # documents; below this, starting processes costs more than it saves


def _parse_all(misses, workers: int | None, report: Callable[[str], None]):
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(misses) >= _PARALLEL_FROM:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parsed = pool.map(_read_indexed, misses, chunksize=max(1, min(64, len(misses) // (workers * 8))))
            yield from _with_progress(parsed, len(misses), report)
        return
    yield from _with_progress(map(_read_indexed, misses), len(misses), report)


def _with_progress(parsed, total: int, report: Callable[[str], None]):
    last = time.monotonic()
    for done, item in enumerate(parsed, start=1):
        yield item
        if time.monotonic() - last > 1 or done == total:
            report(f"parsed {done}/{total} documents")
            last = time.monotonic()


def _read_indexed(item: tuple[int, DocumentRef, bytes]) -> tuple[int, DocumentResult]:
    index, ref, data = item
    return index, read_document(ref, data)
