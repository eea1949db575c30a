"""The extract job: raw/ -> documents -> per-document results -> tables -> files, and what it keeps.

Documents come from `read.documents`, are parsed by `parse`, become tables
in `rebuild` (all of them, or only what changed since the last run), and are
written by `tables.export`; `cache` and `stamp` keep what the next run needs.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from pyarrow import parquet

from pipeline import files, history, patterns, stamp
from pipeline.cache import BrokenPart, Facts, Store, document_key
from pipeline.compare import changes
from pipeline.files import UsageError
from pipeline.memory import give_back
from pipeline.parse import DocumentResult, Miss, keyed_read, parse_all, write_results
from pipeline.read import documents
from pipeline.rebuild import Job, incremental, label_batches, summary_of, whole
from pipeline.tables import build, coverage
from pipeline.tables.export import write_tables
from pipeline.tables.validate import as_frame
from pipeline.workers import run_processes
from schemas.tables import SCHEMAS


@dataclass
class Result:
    tables: Mapping[str, pd.DataFrame]
    summary: dict[str, Any]


def extract(
    raw_root: Path,
    out: Path,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    seen: stamp.Look | None = None,
) -> Result:
    """Run the whole job; raises UsageError when there is nothing to extract.

    With `cache_dir`, documents unchanged since the last run (same bytes, same
    pipeline code) are not parsed again, and when the last run's outputs are
    still there as it wrote them, only the credentials and documents a change
    touches are merged and validated again (`rebuild`). Documents are parsed
    on `workers` processes (default: one per core) when there are enough of
    them. `seen` is the command line's look at raw/ and the stamp, just made.
    """
    with _run_settings(), _owned(raw_root, out, cache_dir):
        return _extract(raw_root, out, progress, cache_dir, workers, seen)


@contextmanager
def _owned(raw_root: Path, out: Path, cache_dir: Path | None):
    """The folders a run writes, checked and then locked (the output first, then the cache: one order for all).

    Refused at once, before anything is written, when unsafe or when another
    run holds either. Under the locks, what killed runs left is cleaned.
    """
    if not raw_root.is_dir():
        raise UsageError(f"no raw folder at {raw_root}")
    files.check_output(out, raw_root)
    if cache_dir is not None:
        files.check_cache(cache_dir, raw_root, out)
    with ExitStack() as held:
        held.enter_context(files.locked(files.output_lock(out), f"--out {out}"))
        if cache_dir is not None:
            held.enter_context(files.locked(cache_dir / files.CACHE_LOCK, f"--cache {cache_dir}"))
            files.clean_cache(cache_dir)
        yield


@contextmanager
def _run_settings():
    """Python's cyclic garbage collector run less often, and Arrow on the system allocator, for the run.

    A run makes millions of small objects that live until it ends and hold
    no cycles, and the collector walked them over and over (10% of a cold
    run). Arrow's default allocator (mimalloc) stalled now and then for 0.1
    to 0.2 s on a large copy; on the system allocator a one-page-changed
    re-run of 9,000 pages took a median 1.41 s instead of 1.74 s, and cold
    runs the same.
    """
    threshold, pool = gc.get_threshold(), pa.default_memory_pool()
    gc.set_threshold(50_000, 20, 20)
    pa.set_memory_pool(pa.system_memory_pool())
    _large_blocks_mapped()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        pa.set_memory_pool(pool)


_MMAP_THRESHOLD, _MAPPED_FROM = -3, 256 * 1024  # glibc's mallopt parameter, and bytes


def _large_blocks_mapped() -> None:
    """Blocks of 256 KB and more (Arrow's columns, pandas' arrays) mapped on their own, so that freeing one
    gives its memory back at once. By default glibc raises that threshold to the largest block freed so far
    and keeps later blocks in its heap, where what a set of groups or a written table left free stayed with
    the process: a cold run of 27,000 documents peaked at 441 MB without this, 400 MB with it."""
    try:
        ctypes.CDLL(None).mallopt(_MMAP_THRESHOLD, _MAPPED_FROM)
    except (OSError, AttributeError):  # not glibc: its own policy
        pass


def _extract(
    raw_root: Path, out: Path, progress, cache_dir: Path | None, asked: int | None, seen: stamp.Look | None
) -> Result:
    report = progress or (lambda message: None)
    workers = run_processes(asked)
    with _store(cache_dir) as store:
        plan = _plan(raw_root, out, cache_dir, seen, store)
        report(f"{len(plan.inventory.refs)} documents: {plan.cached} unchanged (cached), {len(plan.misses)} to parse")
        write_results(store, plan.unreadable)
        parse_all(plan.misses, store, workers, report)
        _moved_while_parsed(plan, store)
        broken_here = 0  # files this run wrote that broke (each older file breaks once at most: it is forgotten)
        while True:
            try:
                outputs, summary = _built_and_written(plan, store, raw_root, out, workers, report)
                break
            except BrokenPart as broken:
                broken_here += store.wrote(broken.name)
                if broken_here > _BROKEN_HERE_AT_MOST:
                    raise _not_kept(store, broken) from broken
                _parse_again(plan, store, broken, workers, report)
    if cache_dir is not None:
        args = (cache_dir, raw_root, out, plan.tree, plan.hashes, plan.untrusted)
        _kept_for_next_run(lambda: stamp.record(*args), report)
    return Result(outputs, summary)


def _kept_for_next_run(keep: Callable[[], None], report: Callable[[str], None]) -> None:
    """What the cache keeps for the next run is written once the outputs are: failing to write it (a full disk, a
    folder where its file goes) costs the next run time, never this run its outputs. Said, and the run goes on."""
    try:
        keep()
    except OSError as error:
        where = error.filename or "the cache"
        report(f"warning: {where}: {error.strerror or error}; not kept for the next run, which reads more again")


_BROKEN_HERE_AT_MOST = 3  # files this run wrote that may break (their documents parsed again) before it stops


def _not_kept(store: Store, broken: BrokenPart) -> OSError:
    """A cache folder whose files break as soon as they are written (a failing disk, another program writing
    there): the run stops naming the folder rather than parse the same documents for ever."""
    why = f"{broken}: {_BROKEN_HERE_AT_MOST + 1} files this run wrote there broke; the folder does not keep them"
    return OSError(errno.EIO, why, str(store.folder))


def _built_and_written(
    plan: _Plan, store: Store, raw_root: Path, out: Path, workers: int, report: Callable[[str], None]
) -> tuple[_Outputs, dict[str, Any]]:
    """The tables built (only what changed, when it can), written to `out`, and the cache's state saved."""
    job = _build(plan, store, raw_root, out, workers)
    facts = {path: store.facts[key] for path, key in plan.keys.items()}
    summary = summary_of(job.tables, job.collisions, facts)
    summary["skipped"] = plan.inventory.skipped
    summary["manifest_problems"] = plan.inventory.manifest_problems
    tables = {name: build.untagged(data) for name, data in job.tables.items()}
    refs = plan.inventory.refs
    urls = {ref.rel_path: ref.url for ref in refs if ref.url}
    _derive(tables, summary, raw_root, facts, urls, job.touched)
    tags = {name: build.tags_table(data) for name, data in job.tables.items()}
    job.tables.clear()  # each table is let go once written (`release`): label_values is written last
    outputs = _Outputs(list(tables), out)
    write_tables(tables, out, summary, {"label_values": label_batches(job, plan.keys, store)}, release=True)
    summary["cached_documents"] = len(plan.keys) - len(store.parsed)
    summary["rebuilt"] = job.scope
    saved = (plan.keys, raw_root, out, tags, job.collisions, job.renamed, job.entangled)
    _kept_for_next_run(lambda: store.save(*saved), report)
    return outputs, summary


def _parse_again(plan: _Plan, store: Store, broken: BrokenPart, workers: int, report) -> None:
    """A cache file that no longer reads back costs only time: the documents it held are parsed again from raw/,
    and the outputs built and written again (a failed write never touched `out`)."""
    forgotten = store.forget(broken.name)
    refs = {ref.rel_path: ref for ref in plan.inventory.refs}
    plan.misses = [(key, refs[path]) for path, key in plan.keys.items() if key in forgotten]
    if not plan.misses:
        raise broken  # a file no document of this run is read from is never read: cannot happen
    report(f"{broken}: its {len(plan.misses)} documents are parsed again")
    parse_all(plan.misses, store, workers, report)
    _moved_while_parsed(plan, store)


class _Outputs(Mapping[str, pd.DataFrame]):
    """The run's tables, each read back from the output the first time it is asked for (each was let go
    once written). Iterating, `dict(...)` and `.items()` see every table the run held, as when they were
    held; label_values, streamed from the cache a batch at a time and never held whole, is read only when
    asked for by name."""

    def __init__(self, names: list[str], out: Path) -> None:
        self.names = names
        self.out = out
        self._read: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.names and name not in SCHEMAS:
            raise KeyError(name)
        if name not in self._read:
            self._read[name] = as_frame(parquet.read_table(self.out / "parquet" / f"{name}.parquet"))
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


@contextmanager
def _store(cache_dir: Path | None):
    """The run's cache; without one, a temporary folder the parsing processes write their results to."""
    if cache_dir is not None:
        yield Store(cache_dir)
        return
    with tempfile.TemporaryDirectory(prefix="nccte-extract-") as folder:
        yield Store(Path(folder))


def _build(plan: _Plan, store: Store, raw_root: Path, out: Path, workers: int) -> Job:
    """Only what changed since the last run, when its outputs are there as it wrote them; else everything (on
    `workers` processes)."""
    facts = {path: store.facts[key] for path, key in plan.keys.items()}
    last = store.last_run(raw_root, out) if stamp.outputs_unchanged(plan.stamp, out) else None
    job = incremental(last, plan.keys, facts, store, out) if last else None
    return job or whole(plan.keys, store, workers)


def _derive(
    tables: dict[str, pd.DataFrame],
    summary: dict[str, Any],
    raw_root: Path,
    facts: dict[str, Facts],
    urls: dict[str, str],
    touched: changes.Touched | None = None,
) -> None:
    """Add the tables made from the others and from what raw/ records about its years (coverage, changes),
    and what they tell to the summary: each year's coverage, the data's date, credentials by origin, and the
    URL of every file a reject, a drift label, a conflict or an unreadable document names (report links them)."""
    records = history.read(raw_root)
    folders = Counter(path.partition("/")[0] for path in facts)
    documents = Counter({year: count for year, count in folders.items() if patterns.SCHOOL_YEAR.match(year)})
    tables["coverage"], summary["coverage"] = coverage.coverage(tables, documents, records)
    tables["changes"] = changes.table(tables, records, touched)
    give_back()  # what comparing the years took, before the tables are written
    summary["rows"].update(coverage=len(tables["coverage"]), changes=len(tables["changes"]))
    summary["extracted_at"] = history.extracted_at(records)
    origins = tables["credentials"]["source_origin"].fillna(coverage.NO_ROW)
    summary["origins"] = {origin: int(count) for origin, count in sorted(origins.value_counts().items())}
    named = {
        *tables["rejects"]["source_path"].dropna(),
        *(path for path, item in facts.items() if item.unknown_labels),
        *tables["conflicts"]["chosen_source"],
        *tables["conflicts"]["other_source"],
        *summary["unreadable"],
    }
    summary["source_urls"] = {path: urls[path] for path in sorted(named) if path in urls}
    for year, record in records.items():
        if record.problems:
            summary["notes"][f"{year}/{history.RECORD_NAME}"] = record.problems


@dataclass
class _Plan:
    """What a run must do: every document and its cache key, those to parse, and what the stamp needs."""

    inventory: documents.Inventory
    stamp: dict | None  # the last run's stamp
    tree: stamp.Tree  # raw/ as walked before anything was read
    keys: dict[str, str] = field(default_factory=dict)  # path -> the document's cache key
    hashes: dict[str, str] = field(default_factory=dict)  # path -> the sha256 its key holds (for the stamp)
    unreadable: list[tuple[str, DocumentResult]] = field(default_factory=list)  # documents that cannot be read
    misses: list[Miss] = field(default_factory=list)  # documents not in the cache (read again where parsed)
    untrusted: set[str] = field(default_factory=set)  # paths whose read failed for a cause that may pass
    cached: int = 0  # documents whose results the cache has


def _plan(raw_root: Path, out: Path, cache_dir: Path | None, seen: stamp.Look | None, store: Store) -> _Plan:
    """What changed since the stamp: every document's key, and the documents the cache does not have."""
    if cache_dir is None:
        stamped, tree = None, stamp.Tree({})  # nothing to compare with, nothing to stamp
    elif seen is None:
        stamped, tree = stamp.last(cache_dir, raw_root, out), stamp.inputs(raw_root)
    else:
        stamped, tree = seen.stamp, seen.tree  # the command line's look, just before
    inventory = documents.scan(raw_root)
    if not inventory.refs:
        raise UsageError(f"no documents under {raw_root} (expected {raw_root}/<school_year>/<kind>/<file>)")
    plan = _Plan(inventory, stamped, tree)
    _keys_and_misses(plan, store, stamp.known_hashes(stamped, tree))
    return plan


def _keys_and_misses(plan: _Plan, store: Store, known: dict[str, str]) -> None:
    """Each document's cache key and hash (for the stamp); the results of those that cannot be read; the rest
    not in the cache.

    A file whose stat is as the last run stamped it is not read again: its
    stamped hash gives its key. A file that cannot be read has its cause for a
    hash: its result is kept, and it is read again once it changes. When the
    cache holds nothing (a cold run), no hash can find a result: nothing is
    read here, each document is keyed where it is parsed.
    """
    if not store.facts:
        plan.misses = [(None, ref) for ref in plan.inventory.refs]
        return
    for ref in plan.inventory.refs:
        sha256 = known.get(ref.rel_path)
        key = document_key(ref, sha256) if sha256 else None
        if key is not None and key in store:
            plan.keys[ref.rel_path], plan.hashes[ref.rel_path] = key, sha256
            plan.cached += 1
            continue
        key, digest, data = keyed_read(ref)
        plan.keys[ref.rel_path], plan.hashes[ref.rel_path] = key, digest
        if isinstance(data, str):  # its read failed: `data` is the cause
            plan.unreadable.append((key, DocumentResult(ref.rel_path, unreadable=data)))
            if documents.may_pass(digest):
                plan.untrusted.add(ref.rel_path)
        elif key not in store:
            plan.misses.append((key, ref))
        else:
            plan.cached += 1


def _moved_while_parsed(plan: _Plan, store: Store) -> None:
    """A document is read again where it is parsed (the parent holds no document's bytes): one that changed since
    it was planned is keyed by what was parsed, and stamped untrusted (the next run reads it again); one not read
    when planned is keyed by what was parsed, and stamped untrusted when its read failed for a cause that may pass."""
    parsed = {store.facts[key].path: key for key in store.parsed}
    for planned, ref in plan.misses:
        key = parsed.get(ref.rel_path, planned)
        plan.keys[ref.rel_path] = key  # the facts' own string: the run holds one copy of each key, not two
        if key != planned:
            plan.hashes[ref.rel_path] = digest = json.loads(key)[-1]
            if planned is not None or documents.may_pass(digest):
                plan.untrusted.add(ref.rel_path)
    plan.misses.clear()
