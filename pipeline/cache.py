"""What an extract keeps between runs, in its cache folder, so a re-run costs what changed.

- `documents-<n>.parquet`: per-document results, one row each, keyed by the
  document's bytes (sha256), place and manifest facts. Beside the key, what a
  run needs of every document without reading its rows: its path, the groups
  its credentials belong to, whether it is a listing, its problems and drift
  labels; then its typed rows as JSON text (`result`). A run appends the
  results it parsed as a new file; a whole build writes them all as one.
- `documents-<n>-labels.parquet`: the same documents' label/value rows, as a table.
- `tags.parquet`: for each row of the last run's output tables, table after
  table, the document and group it depends on (`tables.build`).
- `state.json`: the code version, the raw and output folders, each
  document's key at the last run, the collisions per group, the files above.

Every file is plain data (Parquet, JSON), never a pickle: a cache file can
never run code, and a foreign, broken or outdated one only costs time. Any
change to a file of the `pipeline` package or `schemas` makes a new code
version, and nothing of an older one is used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import parquet

from pipeline.files import RESULT_FILE, STATE_FILE, TAGS_FILE, write_atomic

_FORMAT = 2
# Result files: past this many, the files after the first become one (the first, large one is rewritten only
# when most of what the files hold is stale).
_KEEP_FILES = 8
_ROW_GROUP = 64  # documents per Parquet row group: a run reads the row groups of the documents it needs

_FACTS = pa.schema(
    [
        ("key", pa.string()),
        ("path", pa.string()),
        ("groups", pa.list_(pa.string())),
        ("listing", pa.bool_()),
        ("unreadable", pa.string()),
        ("notes", pa.list_(pa.string())),
        ("drift", pa.list_(pa.string())),
    ]
)
_RESULTS = pa.schema([*_FACTS, ("result", pa.string())])
KEY = "_key"  # the document key of a label/value row


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the pipeline's source code: a change of code invalidates every cached result."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted([*root.rglob("*.py"), *(root.parent / "schemas").rglob("*.py")]):
        digest.update(path.relative_to(root.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def document_key(ref: Any, sha256: str) -> str:
    fields = (ref.rel_path, ref.kind, ref.folder_year, ref.url, ref.cred_id, ref.course_id, ref.origin, sha256)
    return json.dumps(fields, separators=(",", ":"))


@dataclass(frozen=True)
class Facts:
    """What a run needs of every document without reading its rows."""

    key: str
    path: str
    groups: tuple[str, ...]
    listing: bool
    unreadable: str | None
    notes: tuple[str, ...]
    drift: tuple[str, ...]


@dataclass
class Stored:
    """One document's result as kept: its facts and its typed rows as plain data (label/value rows are apart)."""

    facts: Facts
    result: dict[str, Any] | str  # as plain data, or already as JSON text


@dataclass
class LastRun:
    """What the last run left, when it is usable for an incremental run."""

    documents: dict[str, str]  # path -> key
    collisions: dict[str, list[str]]  # group -> notes
    tags: dict[str, pa.Table]  # table -> its rows' tags, in the output's row order


class Store:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.state: dict[str, Any] = {}
        self.facts: dict[str, Facts] = {}
        self._where: dict[str, tuple[str, int]] = {}  # key -> (file, row group)
        if folder is not None:
            self._load()

    def _load(self) -> None:
        try:
            state = json.loads((self.folder / STATE_FILE).read_bytes())
            if state["format"] != _FORMAT or state["code"] != code_version():
                return
            for name in state["files"]:
                self._index(name)
        except Exception:  # noqa: BLE001 - a broken, foreign or outdated cache is only a slower run
            self.facts, self._where = {}, {}
            return
        self.state = state

    def _index(self, name: str) -> None:
        if not RESULT_FILE.fullmatch(name):
            raise ValueError(f"not a cache file name: {name!r}")
        file = parquet.ParquetFile(self.folder / name)
        groups = [group for group in range(file.num_row_groups) for _ in range(file.metadata.row_group(group).num_rows)]
        table = file.read(columns=_FACTS.names).cast(_FACTS)
        rows = zip(*(table[column].to_pylist() for column in _FACTS.names), strict=True)  # faster than per row
        for group, (key, path, groups_, listing, unreadable, notes, drift) in zip(groups, rows, strict=True):
            self.facts[key] = Facts(key, path, tuple(groups_), bool(listing), unreadable, tuple(notes), tuple(drift))
            self._where[key] = (name, group)

    def __contains__(self, key: str) -> bool:
        return key in self.facts

    def last_run(self, raw: Path, out: Path) -> LastRun | None:
        """The last run's documents and tags, if it wrote `out` from `raw` with this code and nothing entangled."""
        state = self.state
        if not state or state["entangled"] or (state["raw"], state["out"]) != (str(raw.resolve()), str(out.resolve())):
            return None
        try:
            tags = _split_tags(parquet.read_table(self.folder / TAGS_FILE), state["tables"])
        except Exception:  # noqa: BLE001 - tags missing or broken: a whole build
            return None
        if any(key not in self.facts for key in state["documents"].values()):
            return None
        return LastRun(dict(state["documents"]), {g: list(n) for g, n in state["collisions"].items()}, tags)

    def load(self, keys: Iterable[str], label_schema: pa.Schema) -> tuple[dict[str, Stored], pa.Table]:
        """The stored results of these keys and their label/value rows (one table of `label_schema`).

        Only the row groups holding these documents are read; a key in a file
        that does not read back is left out of both.
        """
        wanted: dict[str, dict[int, list[str]]] = {}
        for key in keys:
            name, group = self._where[key]
            wanted.setdefault(name, {}).setdefault(group, []).append(key)
        found: dict[str, Stored] = {}
        labels = [label_schema.empty_table()]
        for name, groups in wanted.items():
            try:
                results, rows = self._load_file(name, groups, label_schema)
            except Exception:  # noqa: BLE001 - a broken file: its documents are parsed again
                continue
            found.update(results)
            labels.append(rows)
        return found, pa.concat_tables(labels)

    def _load_file(
        self, name: str, row_groups: dict[int, list[str]], label_schema: pa.Schema
    ) -> tuple[dict[str, Stored], pa.Table]:
        keys = [key for group in row_groups.values() for key in group]
        read = parquet.ParquetFile(self.folder / name).read_row_groups(sorted(row_groups), columns=_STORED)
        read = read.filter(pc.is_in(read["key"], pa.array(keys, pa.string())))
        results = {
            key: Stored(self.facts[key], json.loads(text))
            for key, text in zip(read["key"].to_pylist(), read["result"].to_pylist(), strict=True)
        }
        rows = pa.Table.from_struct_array(read["labels"].combine_chunks().flatten()) if read.num_rows else None
        return results, (rows.cast(label_schema) if rows is not None else label_schema.empty_table())

    def save(
        self,
        results: dict[str, Stored],
        labels: pa.Table,
        live: dict[str, str],
        raw: Path,
        out: Path,
        tags: dict[str, pa.Table],
        collisions: dict[str, list[str]],
        entangled: bool,
    ) -> None:
        """Keep this run's new results and their label/value rows (with KEY), the tags of its outputs and its state.

        `live` maps each document's path to its key.
        """
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        files = [name for name in self.state.get("files", []) if (self.folder / name).exists()]
        live_keys = set(live.values())
        if set(results) >= live_keys or self._mostly_stale(files, live_keys):  # one file of every live result
            files = [self._write_results(results, labels, files, live_keys - set(results))]
        elif len(files) >= _KEEP_FILES:  # the first, large file stays; the small ones after it become one
            files = [files[0], self._write_results(results, labels, files[1:], live_keys - set(results))]
        elif results:
            files = [*files, self._write_results(results, labels, [], set())]
        write_atomic(self.folder / TAGS_FILE, partial(parquet.write_table, _joined_tags(tags)))
        state = {
            "format": _FORMAT,
            "code": code_version(),
            "raw": str(raw.resolve()),
            "out": str(out.resolve()),
            "files": files,
            "documents": live,
            "collisions": collisions,
            "tables": [[name, table.num_rows] for name, table in tags.items()],  # in the order of tags.parquet
            "entangled": entangled,
        }
        write_atomic(self.folder / STATE_FILE, json.dumps(state, sort_keys=True).encode("utf-8"))
        self._remove_unlisted(files)

    def _mostly_stale(self, files: list[str], live_keys: set[str]) -> bool:
        """Whether most results kept in the files are of documents no longer there as they were."""
        return sum(1 for name, _ in self._where.values() if name in files) > 2 * len(live_keys)

    def _write_results(self, results: dict[str, Stored], labels: pa.Table, older: list[str], kept: set[str]) -> str:
        """A new file of these results, and of the `kept` keys' results copied from the `older` files.

        Each document's label/value rows go in a list column beside its
        result, so one row group read gives both. Written a row group at a
        time: the JSON text of every result is never held at once.
        """
        ordered = list(results)
        per_document = _PerDocument(labels, ordered)
        schema = _RESULTS.append(pa.field("labels", per_document.type))

        def write(path: Path) -> None:
            with parquet.ParquetWriter(path, schema) as writer:
                for start in range(0, len(ordered), _ROW_GROUP):
                    keys = ordered[start : start + _ROW_GROUP]
                    rows = [{**_plain_facts(results[k].facts), "result": _text(results[k].result)} for k in keys]
                    table = pa.Table.from_pylist(rows, schema=_RESULTS)
                    writer.write_table(table.append_column("labels", per_document.slice(start, len(keys))))
                for name in older if kept else []:
                    old = parquet.read_table(
                        self.folder / name, columns=schema.names, filters=pc.field("key").isin(kept)
                    )
                    writer.write_table(old.cast(schema), row_group_size=_ROW_GROUP)

        number = 1 + max([_number(name) for name in self.state.get("files", [])] + [0])
        name = f"documents-{number}.parquet"
        write_atomic(self.folder / name, write)
        return name

    def _remove_unlisted(self, files: list[str]) -> None:
        """Result files no longer listed (compacted away); nothing else in the folder is touched."""
        for path in self.folder.glob("documents-*.parquet"):
            if RESULT_FILE.fullmatch(path.name) and path.name not in files:
                path.unlink(missing_ok=True)


def _joined_tags(tags: dict[str, pa.Table]) -> pa.Table:
    """Every table's tags in one table, one after the other (state.json keeps each one's row count)."""
    tables = list(tags.values())
    text = pa.schema([(name, pa.string()) for name in tables[0].column_names]) if tables else pa.schema([])
    return pa.concat_tables([table.cast(text) for table in tables]) if tables else text.empty_table()


def _split_tags(joined: pa.Table, rows: list[list]) -> dict[str, pa.Table]:
    """The joined tags back into one table per output table; raises when the counts do not add up."""
    if sum(count for _, count in rows) != joined.num_rows:
        raise ValueError("tags of another run")
    tags, start = {}, 0
    for name, count in rows:
        tags[name], start = joined.slice(start, count), start + count
    return tags


def _plain_facts(facts: Facts) -> dict[str, Any]:
    return {
        "key": facts.key,
        "path": facts.path,
        "groups": list(facts.groups),
        "listing": facts.listing,
        "unreadable": facts.unreadable,
        "notes": list(facts.notes),
        "drift": list(facts.drift),
    }


_STORED = ["key", "result", "labels"]


class _PerDocument:
    """Label/value rows (with KEY) as one list of rows per document, in the order of `keys`, a slice at a time."""

    def __init__(self, labels: pa.Table, keys: list[str]) -> None:
        position = pc.index_in(labels[KEY], value_set=pa.array(keys, pa.string()))
        if labels.num_rows and pc.min(pc.pairwise_diff(position.combine_chunks())).as_py() < 0:
            labels = labels.take(pc.array_sort_indices(position))  # a stable sort: each document keeps its order
        counts = [0] * len(keys)
        tally = pc.value_counts(position)
        for index, count in zip(tally.field("values").to_pylist(), tally.field("counts").to_pylist(), strict=True):
            counts[index] = count
        self.offsets = [0]
        for count in counts:
            self.offsets.append(self.offsets[-1] + count)
        self.rows = labels.drop_columns([KEY])
        self.type = pa.list_(pa.struct(list(self.rows.schema)))

    def slice(self, start: int, count: int) -> pa.ListArray:
        """The lists of documents start .. start + count (only their rows are copied)."""
        low, high = self.offsets[start], self.offsets[start + count]
        rows = self.rows.slice(low, high - low).to_struct_array()
        values = rows.combine_chunks() if rows.num_chunks else pa.array([], self.type.value_type)
        offsets = pa.array([offset - low for offset in self.offsets[start : start + count + 1]], pa.int32())
        return pa.ListArray.from_arrays(offsets, values, type=self.type)


def _number(name: str) -> int:
    try:
        return int(name.removeprefix("documents-").removesuffix(".parquet"))
    except ValueError:
        return 0


def _text(result: dict[str, Any] | str) -> str:
    """A result as JSON text (a result encoded where it was parsed is already text)."""
    return result if isinstance(result, str) else json.dumps(result, separators=(",", ":"))
