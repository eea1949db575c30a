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

import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import parquet

from pipeline.cache import KEY, Facts, LastRun, Store
from pipeline.parse import DocumentResult, label_rows, read_document
from pipeline.read.documents import DocumentRef
from pipeline.tables import build, validate
from pipeline.tables.build import TABLES


@dataclass
class Job:
    tables: dict[str, pd.DataFrame]  # tagged, sorted
    collisions: dict[str, list[str]]  # group -> notes
    entangled: bool
    scope: str  # what was merged and validated again
    new_labels: pa.Table  # the label/value rows of the documents parsed in this run, with their keys


def whole(
    keys: dict[str, str],
    store: Store,
    parsed: dict[str, DocumentResult],
    new_labels: pa.Table,
    refs: dict[str, DocumentRef],
) -> Job:
    """Merge and validate everything (a first run, or one an incremental run cannot serve).

    A cached result that does not read back (a damaged cache file) is parsed
    again; a damaged file gives none of its rows, so none is doubled.
    """
    cached = [key for key in dict.fromkeys(keys.values()) if key not in parsed]
    stored, stored_labels = store.load(cached, validate.table_schema("label_values"))
    again = {key: read_document(refs[path]) for path, key in keys.items() if key not in parsed and key not in stored}
    if again:
        new_labels = pa.concat_tables([new_labels, label_rows(again)])
        parsed.update(again)
    results = [parsed[key] if key in parsed else DocumentResult.from_stored(stored[key]) for key in keys.values()]
    built = build.build(
        [typed for result in results for typed in result.credentials],
        pa.concat_tables([new_labels.drop_columns([KEY]), stored_labels]),
        [row for result in results for row in result.course_credentials],
    )
    tables = build.assemble({}, built.tables)
    return Job(tables, built.collisions, built.entangled, "everything", new_labels)


_INCREMENTAL_UP_TO = 0.25  # of the documents changed; beyond, a whole build costs about as much


def incremental(
    last: LastRun,
    keys: dict[str, str],
    facts: dict[str, Facts],
    store: Store,
    parsed: dict[str, DocumentResult],
    new_labels: pa.Table,
    out: Path,
) -> Job | None:
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
    return Job(tables, {**collisions, **built.collisions}, False, scope, new_labels)


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
        for tag in build.TAGS:
            data = data.append_column(tag, tags[tag].cast(pa.string()))
        kept[name] = validate.as_frame(_without(data, pc.fill_null(touched, False)))
    return kept if set(kept) == set(TABLES) else None


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
    return {
        "course_cross_check": validate.cross_check_courses(tables["course_credentials"], tables["credential_courses"]),
        "years_without_listing": sorted(
            set(tables["credentials"]["school_year"].dropna().unique())
            - set(tables["course_credentials"]["school_year"].dropna().unique())
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
