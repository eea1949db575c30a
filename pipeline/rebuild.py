"""per-document results -> tagged, sorted tables: everything, or only what a change touches.

A whole build merges and validates every document's rows. An incremental
one starts from the last run's outputs and their tags (`tables.build`):
it keeps every row that depends on no changed document and no touched group,
and builds the rest from the changed documents and the other documents of
the touched groups. Whatever it cannot serve exactly (a listing changed, too
many documents, keys that would meet, entangled groups, outputs that do not
read back) goes to a whole build.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import parquet

from pipeline.cache import BrokenPart, Facts, LastRun, Store
from pipeline.compare import changes
from pipeline.memory import give_back
from pipeline.tables import build, validate
from pipeline.tables.build import TABLES, TYPED
from pipeline.tables.stored import Typed, from_stored
from pipeline.workers import pool


@dataclass
class Job:
    tables: dict[str, pd.DataFrame]  # tagged, sorted (label_values apart: `label_batches`)
    collisions: dict[str, list[str]]  # group -> notes
    entangled: bool
    scope: str  # what was merged and validated again
    renamed: build.Renamed  # every block a collision renamed, by group
    touched: changes.Touched | None = None  # what an incremental run rebuilt (the changes table needs no more)


def whole(keys: dict[str, str], store: Store, workers: int = 1) -> Job:
    """Merge and validate everything (a first run, or one an incremental run cannot serve), a set of groups at a
    time, on `workers` processes: every output row depends on its group alone (or, for a listing's rows, on its
    document), so a process holds only one set's typed rows at once, and the sets' rows are sorted together at
    the end.

    A cached result that does not read back (a damaged cache file) raises
    `BrokenPart`: the run parses its documents again and builds again. When
    two sets meet (a collision's renamed slug is another group's own slug),
    everything is built at once, as the meeting groups must merge.
    """
    written: list[pa.Table] = []  # each set's (school_year, slug as written, group)
    collisions: dict[str, list[str]] = {}
    renamed: build.Renamed = {}
    with _Spilled() as parts:  # each set's tables, on disk until all are built
        sets = [(number, {path: keys[path] for path in paths}, groups) for number, (paths, groups) in
                enumerate(_sets(keys, store))]  # fmt: skip
        entangled = False
        # closed on leaving: the sets given out are waited for, before anything is built at once
        with contextlib.closing(_built_sets(sets, store, parts, workers)) as built_sets:
            for found in built_sets:
                if found.broken is not None:
                    raise BrokenPart(found.broken)
                if found.entangled:
                    entangled = True
                    break
                written.append(found.written)
                collisions.update(found.collisions)
                renamed.update(found.renamed)
        if entangled or _meet(written):
            return _whole_at_once(keys, store)
        tables = {}
        for name in TYPED:  # put in order as Arrow, so that `assemble` finds them in order and copies nothing
            data = parts.read(name)
            tables[name] = validate.as_frame(data.take(build.order_of(name, data)))
            del data
            give_back()
    tables["rejects"] = _with_label_rejects(tables["rejects"], keys.values(), store)
    return Job(build.assemble({}, tables), collisions, False, "everything", renamed)


@dataclass
class _SetBuilt:
    """What building a set of groups gives back (its tables are in the spill folder): or the cache file that did
    not read back."""

    written: pa.Table | None = None
    collisions: dict[str, list[str]] = field(default_factory=dict)
    renamed: build.Renamed = field(default_factory=dict)
    entangled: bool = False
    broken: str | None = None


Task = tuple[int, dict[str, str], set[str] | None]  # a set's number, its documents (path -> key), its groups
_BUILDING: dict[str, Any] = {}  # the store and the spill folder of the build under way, which a forked process inherits


def _built_sets(sets: list[Task], store: Store, parts: _Spilled, workers: int) -> Iterator[_SetBuilt]:
    """Each set built (`_build_set`), in order: with two workers or more and two sets or more, here and on a pool
    of `workers - 1` forked processes at once (`_here_and_pooled`); else here, one after the other."""
    _BUILDING.update(store=store, parts=parts)
    try:
        if workers < 2 or len(sets) < 2:
            yield from map(_build_set, sets)
        else:
            yield from _here_and_pooled(sets, workers - 1)
    finally:
        _BUILDING.clear()


def _here_and_pooled(sets: list[Task], processes: int) -> Iterator[_SetBuilt]:
    """The pool takes the sets from the first on, at most `_AHEAD` each of its processes at a time; while the
    next set's result is not back, this process builds the last set not yet given out. So `processes + 1` sets
    are built at once, while the memory of only `processes` more: a pool of two, with this process waiting,
    peaked 40 MB higher (each forked process copies what it touches of the run's own objects). A process that
    dies (killed, out of memory) breaks the pool: the sets not returned are built here. No set is cancelled: on
    Python 3.11 a pool that breaks with a cancelled set pending fails in its own thread, before it stops its
    other processes; a build that stops (an entangled set, a broken cache file) waits for the few given out."""
    here: dict[int, _SetBuilt] = {}
    returned = 0
    try:
        with pool(processes) as executor:
            pooled: dict[int, Future] = {}
            first, last = 0, len(sets) - 1  # the next set for the pool, the next for this process
            for number in range(len(sets)):
                while True:
                    while first <= last and len(pooled) < processes * _AHEAD:
                        pooled[first] = executor.submit(_build_set, sets[first])
                        first += 1
                    if number not in pooled or pooled[number].done() or first > last:
                        break
                    here[last] = _build_set(sets[last])
                    last -= 1
                yield here.pop(number) if number in here else pooled.pop(number).result()
                returned += 1
    except BrokenProcessPool:
        for number in range(returned, len(sets)):
            yield here.pop(number) if number in here else _build_set(sets[number])


_AHEAD = 2  # sets given out to each pool process at a time: one it builds, one that waits


def _build_set(task: Task) -> _SetBuilt:
    """One set's documents merged and validated (for no group, the listings' rows), its tables spilled."""
    number, wanted, groups = task
    store, parts = _BUILDING["store"], _BUILDING["parts"]
    try:
        typed = _typed(list(wanted.values()), store)
        if groups is None:
            credentials, listing = [], [row for item in typed for row in item.course_credentials]
        else:
            credentials = [c for item in typed for c in item.credentials if build.group_of_rows(c) in groups]
            listing = []
        del typed
        built = build.build(credentials, listing, lambda: store.label_batches(list(wanted.values()), _LABELS, _BATCH))
    except BrokenPart as broken:
        return _SetBuilt(broken=broken.name)
    del credentials, listing
    if built.entangled:
        return _SetBuilt(entangled=True)
    parts.add(number, built.tables)
    found = _SetBuilt(_written(built.written), built.collisions, built.renamed)
    del built
    give_back()
    return found


class _Spilled:
    """Tables built a set of groups at a time, each set's tables written to Arrow files of their own in a
    temporary folder (by the process that built it), and each table read back whole (memory-mapped), every
    set's rows in the sets' order, once all are built.

    Held in memory instead, a cold run of 27,000 documents grew by twice what the tables hold: each set's
    columns are small allocations, scattered among what building the next set frees, so the process could
    give little of it back."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="nccte-sets-")

    def __enter__(self) -> _Spilled:
        return self

    def __exit__(self, *exc) -> None:
        self._folder.cleanup()

    def add(self, number: int, tables: dict[str, pd.DataFrame]) -> None:
        """Set `number`'s tables (a set built again, after its process died, replaces what it wrote)."""
        for name, data in tables.items():
            table = pa.Table.from_pandas(data, preserve_index=False)
            with pa.ipc.new_file(self._path(number, name), table.schema) as writer:
                writer.write_table(table)

    def read(self, name: str) -> pa.Table:
        """The table's rows, every set's in the sets' order, as the first set's types (in files the process
        maps, not holds)."""
        files = Path(self._folder.name).glob(f"*-{name}.arrow")
        numbered = [(int(path.name.partition("-")[0]), path) for path in files]
        tables = [pa.ipc.open_file(pa.memory_map(str(path))).read_all() for _, path in sorted(numbered)]
        return pa.concat_tables([table.cast(tables[0].schema) for table in tables])

    def _path(self, number: int, name: str) -> Path:
        return Path(self._folder.name) / f"{number}-{name}.arrow"


def _written(written: dict[tuple, str]) -> pa.Table:
    years, slugs = zip(*written, strict=True) if written else ((), ())
    return pa.table(
        {
            "school_year": pa.array(years, pa.string()),
            "slug": pa.array(slugs, pa.string()),
            "group": pa.array(list(written.values()), pa.string()),
        }
    )


def _meet(written: list[pa.Table]) -> bool:
    """Whether a school year and slug as written is two sets' (a collision renamed a credential to another
    group's own slug): those groups merge, and only a build of everything at once merges them."""
    counted = pa.concat_tables(written).group_by(["school_year", "slug"]).aggregate([("group", "count_distinct")])
    return bool(pc.any(pc.greater(counted["group_count_distinct"], 1)).as_py() or False)


def _whole_at_once(keys: dict[str, str], store: Store) -> Job:
    typed = _typed(list(keys.values()), store)
    built = build.build(
        [credential for item in typed for credential in item.credentials],
        [row for item in typed for row in item.course_credentials],
        lambda: store.label_batches(list(keys.values()), _LABELS, _BATCH),
    )
    built.tables["rejects"] = _with_label_rejects(built.tables["rejects"], keys.values(), store)
    tables = build.assemble({}, built.tables)
    return Job(tables, built.collisions, built.entangled, "everything", built.renamed)


def _typed(keys: list[str], store: Store) -> list[Typed]:
    """The documents' typed rows from the cache, in the keys' order (`BrokenPart` when a file does not read back)."""
    stored = store.results(keys)
    return [from_stored(stored[key].result) for key in keys]


_SET_DOCUMENTS = 1500  # documents read for a set of groups: whose typed rows a whole build holds at a time


def _sets(keys: dict[str, str], store: Store) -> Iterator[tuple[list[str], set[str] | None]]:
    """The documents of each set of groups, in the keys' order, and the set; then the documents of no group, with
    None for groups (a listing's rows depend on its document alone).

    A set takes the groups of documents in the order their rows are stored, so that it reads few of the cache's
    row groups: taken in the groups' own order, every set of a cold run read nearly every row group (a run of
    27,000 documents read its typed rows 19 times over)."""
    by_group: dict[str, list[str]] = {}
    rest = []  # listings, and documents with no credential (read too: a damaged cache file raises BrokenPart)
    for path, key in keys.items():
        facts = store.facts[key]
        for group in facts.groups:
            by_group.setdefault(group, []).append(path)
        if not facts.groups:
            rest.append(path)
    order = {path: number for number, path in enumerate(keys)}
    position = store.positions()
    taken: set[str] = set()
    groups: set[str] = set()
    paths: set[str] = set()
    for path in sorted(keys, key=lambda path: position[keys[path]]):
        for group in store.facts[keys[path]].groups:
            if group not in taken:
                taken.add(group)
                groups.add(group)
                paths.update(by_group[group])
        if len(paths) >= _SET_DOCUMENTS:
            yield sorted(paths, key=order.__getitem__), groups
            groups, paths = set(), set()
    if groups or not rest:
        yield sorted(paths, key=order.__getitem__), groups
    if rest:
        yield rest, None


_INCREMENTAL_UP_TO = 0.25  # of the documents changed; beyond, a whole build costs about as much
_LABELS = validate.table_schema("label_values")
# Label/value rows read, renamed and written at a time: whole documents, at least this many rows. Where the
# batches end is part of label_values.parquet's bytes (see export._write_stream): the size the rows were always
# gathered in, so the bytes stay those of earlier versions.
_BATCH = 50_000


def incremental(last: LastRun, keys: dict[str, str], facts: dict[str, Facts], store: Store, out: Path) -> Job | None:
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
    credentials = []
    for key, typed in zip(wanted, _typed(wanted, store), strict=True):
        everything = store.facts[key].path in changed
        credentials += [c for c in typed.credentials if everything or build.group_of_rows(c) in groups]
    kept = _kept_rows(out, last, changed, groups)
    if kept is None:
        return None
    built = build.build(credentials, [], lambda: store.label_batches(wanted, _LABELS, _BATCH))
    built.tables["rejects"] = _with_label_rejects(built.tables["rejects"], keys.values(), store)
    tables = build.assemble(kept, built.tables)
    if tables is None or built.entangled:
        return None
    collisions = {group: notes for group, notes in last.collisions.items() if group not in groups}
    renamed = {group: blocks for group, blocks in last.renamed.items() if group not in groups}
    scope = f"{len(changed)} documents, {len(groups)} credentials"
    touched = _touched(out, last, groups, built.tables["credentials"])
    if touched is None:
        return None
    return Job(tables, {**collisions, **built.collisions}, False, scope, {**renamed, **built.renamed}, touched)


def _touched(out: Path, last: LastRun, groups: set[str], built: pd.DataFrame) -> changes.Touched | None:
    """The slugs and cred_ids of the rebuilt groups' credentials, as the last run wrote them and as built now."""
    try:
        data = parquet.read_table(out / "parquet" / "credentials.parquet", columns=["credential_slug", "cred_id"])
    except Exception:  # noqa: BLE001 - an output that does not read back: a whole build
        return None
    tags = last.tags["credentials"]
    if data.num_rows != tags.num_rows:
        return None
    before = data.filter(pc.fill_null(pc.is_in(tags[build.GROUP], pa.array(sorted(groups), pa.string())), False))
    slugs = {*before["credential_slug"].to_pylist(), *built["credential_slug"].tolist()}
    cred_ids = {*before["cred_id"].to_pylist(), *built["cred_id"].tolist()}
    return changes.Touched(out, {slug for slug in slugs if isinstance(slug, str)}, {i for i in cred_ids if _known(i)})


def _known(cred_id) -> bool:
    return cred_id is not None and cred_id is not pd.NA


def _with_label_rejects(rejects: pd.DataFrame, keys: Iterable[str], store: Store) -> pd.DataFrame:
    """The rejects of every document's label/value rows (kept with its facts) beside the others."""
    found = [reject for key in keys for reject in json.loads(store.facts[key].label_rejects)]
    return pd.concat([rejects, build.rejects_frame(found)], ignore_index=True) if found else rejects


def label_batches(job: Job, keys: dict[str, str], store: Store) -> Iterator[pa.Table]:
    """The label_values table: every document's valid rows in key order (path, then block and position, as each
    document keeps them), with the slugs the collisions gave, a batch at a time."""
    ordered = [keys[path] for path in sorted(keys, key=_utf8)]
    for batch in store.label_batches(ordered, _LABELS, _BATCH):
        yield build.renamed_labels(batch, job.renamed)


def _utf8(path: str) -> bytes:
    """A path as Arrow orders text: by its UTF-8 bytes."""
    return path.encode("utf-8", "surrogatepass")


def _kept_rows(out: Path, last: LastRun, changed: set[str], groups: set[str]) -> dict[str, pd.DataFrame] | None:
    """The last run's output rows that depend on nothing changed, tagged; None if the outputs do not read back."""
    kept = {}
    for name, tags in last.tags.items():
        try:
            data = parquet.read_table(out / "parquet" / f"{name}.parquet")
        except Exception:  # noqa: BLE001 - an output that does not read back: a whole build
            return None
        if data.num_rows != tags.num_rows or name not in TYPED:
            return None
        if name == "rejects":  # those of label/value rows are each document's own, read with its facts
            data, tags = _typed_rejects(data, tags)
        touched = pc.or_(
            pc.is_in(tags[build.DOC], pa.array(sorted(changed), pa.string())),
            pc.is_in(tags[build.GROUP], pa.array(sorted(groups), pa.string())),
        )
        for tag in build.TAGS:
            data = data.append_column(tag, tags[tag].cast(pa.string()))
        kept[name] = validate.as_frame(_without(data, pc.fill_null(touched, False)))
    return kept if set(kept) == set(TYPED) else None


def _typed_rejects(data: pa.Table, tags: pa.Table) -> tuple[pa.Table, pa.Table]:
    typed = pc.not_equal(data["table"], "label_values")
    return data.filter(typed), tags.filter(typed)


def _without(data: pa.Table, dropped: pa.ChunkedArray) -> pa.Table:
    """The rows not `dropped`: slices between the dropped ones when they are few (slices are not copied)."""
    rows = pc.indices_nonzero(dropped).to_pylist()
    if len(rows) > build.FEW_RUNS:
        return data.filter(pc.invert(dropped))
    bounds = [-1, *rows, data.num_rows]
    slices = [data.slice(start + 1, end - start - 1) for start, end in itertools.pairwise(bounds) if end - start > 1]
    return pa.concat_tables(slices) if slices else data.slice(0, 0)


def summary_of(tables: dict[str, pd.DataFrame], collisions: dict[str, list[str]], facts: dict[str, Facts]) -> dict:
    drift = Counter(label for item in facts.values() for label in item.drift)
    labels = sum(item.label_rows for item in facts.values())
    rows = {name: labels if name == "label_values" else len(tables[name]) for name in TABLES}
    return {
        "course_cross_check": validate.cross_check_courses(tables["course_credentials"], tables["credential_courses"]),
        "years_without_listing": sorted(
            set(tables["credentials"]["school_year"].dropna().unique())
            - set(tables["course_credentials"]["school_year"].dropna().unique())
        ),
        "documents": len(facts),
        "credentials": len(tables["credentials"]),
        "rows": rows,
        "rejects": len(tables["rejects"]),
        "conflicts": len(tables["conflicts"]),
        "slug_collisions": [note for group in sorted(collisions) for note in collisions[group]],
        "drift_labels": dict(sorted(drift.items())),
        "unreadable": {path: item.unreadable for path, item in facts.items() if item.unreadable},
        "notes": {path: list(item.notes) for path, item in facts.items() if item.notes},
    }
