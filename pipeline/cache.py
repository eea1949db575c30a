"""What an extract keeps between runs, in its cache folder, so a re-run costs what changed.

- `documents-<n>.parquet`: per-document results, one row each, keyed by the
  document's bytes (sha256), place and manifest facts. Beside the key, what a
  run needs of every document without reading its rows: its path, the groups
  its credentials belong to, whether it is a listing, its problems and drift
  labels; then its typed rows as JSON text (`result`) and its label/value rows
  (`labels`, a list of rows). Each is written by the process that parsed its
  documents (`Part`), a row group at a time; the parent only lists them, and
  joins the small ones when there are too many.
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
import itertools
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import parquet

from pipeline.files import RESULT_FILE, STATE_FILE, TAGS_FILE, atomic_file, open_regular, require_regular, write_atomic

_FORMAT = 3
# Result files: past this many, the smallest become one (all are rewritten as one only when most of what the
# older files hold is stale). A cold run of 27,000 documents writes about 60.
_KEEP_FILES = 64
ROW_GROUP = 64  # documents per Parquet row group: a run reads the row groups of the documents it needs

_FACTS = pa.schema(
    [
        ("key", pa.string()),
        ("path", pa.string()),
        ("groups", pa.list_(pa.string())),
        ("listing", pa.bool_()),
        ("unreadable", pa.string()),
        ("notes", pa.list_(pa.string())),
        ("drift", pa.list_(pa.string())),
        ("label_rows", pa.int64()),
        ("unknown_labels", pa.bool_()),
        ("label_rejects", pa.string()),
    ]
)
_RESULTS = pa.schema([*_FACTS, ("result", pa.string())])


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


@dataclass(frozen=True, slots=True)  # slots: a run holds one for every document
class Facts:
    """What a run needs of every document without reading its rows."""

    key: str
    path: str
    groups: tuple[str, ...]
    listing: bool
    unreadable: str | None
    notes: tuple[str, ...]
    drift: tuple[str, ...]  # labels no field names, as written
    label_rows: int = 0  # label/value rows that passed validation
    unknown_labels: bool = False  # one of them has no canonical label
    label_rejects: str = "[]"  # the label/value rows' rejects, as JSON text (validated where the document was parsed)


@dataclass
class Stored:
    """One document's result as kept: its facts and its typed rows as plain data (label/value rows are apart)."""

    facts: Facts
    result: dict[str, Any] | str  # as plain data, or already as JSON text


class BrokenPart(Exception):
    """A result file that no longer reads back (damaged, or replaced, since the run listed it):
    its documents are parsed again (a broken cache costs only time)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"cache file {name} does not read back")
        self.name = name


@dataclass
class LastRun:
    """What the last run left, when it is usable for an incremental run."""

    documents: dict[str, str]  # path -> key
    collisions: dict[str, list[str]]  # group -> notes
    tags: dict[str, pa.Table]  # table -> its rows' tags, in the output's row order
    renamed: dict[str, dict[str, str]]  # group -> the blocks a collision renamed, and their slugs


class Store:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state: dict[str, Any] = {}
        self.facts: dict[str, Facts] = {}
        self._where: dict[str, tuple[str, int]] = {}  # key -> (file, row group)
        self.parsed: set[str] = set()  # keys of the documents parsed in this run
        self._new: list[str] = []  # the files this run's parsing wrote
        self._numbers = itertools.count(1 + max([_number(name) for name in _result_files(folder)] + [0]))
        self._load()

    def forget(self, name: str) -> set[str]:
        """Leave a result file out (`BrokenPart`): the keys of the documents it held, to be parsed again. The
        file is no longer listed, so `save` removes it."""
        keys = {key for key, (file, _) in self._where.items() if file == name}
        for key in keys:
            del self._where[key], self.facts[key]
            self.parsed.discard(key)
        return keys

    def wrote(self, name: str) -> bool:
        """Whether this run's parsing wrote the result file."""
        return name in self._new

    def positions(self) -> dict[str, tuple[int, int]]:
        """Where each key's rows are stored: the file's rank (files listed, then those this run wrote) and the row
        group. Documents read in this order are read from few row groups at a time."""
        rank = {name: number for number, name in enumerate(dict.fromkeys(name for name, _ in self._where.values()))}
        return {key: (rank[name], group) for key, (name, group) in self._where.items()}

    def next_file(self) -> str:
        """A result file name no file of the folder has, for a part about to be written."""
        return f"documents-{next(self._numbers)}.parquet"

    def add(self, name: str, facts: list[Facts]) -> None:
        """A part written in this run (by `Part`), with the facts of its documents in their order."""
        for position, item in enumerate(facts):
            self.facts[item.key] = item
            self._where[item.key] = (name, position // ROW_GROUP)
            self.parsed.add(item.key)
        self._new.append(name)

    def _load(self) -> None:
        try:
            with open_regular(self.folder / STATE_FILE) as handle:
                state = json.loads(handle.read())
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
        file = _parquet_file(self.folder, name)
        groups = [group for group in range(file.num_row_groups) for _ in range(file.metadata.row_group(group).num_rows)]
        table = file.read(columns=_FACTS.names).cast(_FACTS)
        rows = zip(*(table[column].to_pylist() for column in _FACTS.names), strict=True)  # faster than per row
        for group, (key, path, groups_, listing, unreadable, notes, drift, count, unknown, rejects) in zip(
            groups, rows, strict=True
        ):
            found = (tuple(groups_), bool(listing), unreadable, tuple(notes), tuple(drift))
            self.facts[key] = Facts(key, path, *found, count, unknown, rejects)
            self._where[key] = (name, group)

    def __contains__(self, key: str) -> bool:
        return key in self.facts

    def last_run(self, raw: Path, out: Path) -> LastRun | None:
        """The last run's documents and tags, if it wrote `out` from `raw` with this code and nothing entangled."""
        try:
            return self._last_run(raw, out)
        except Exception:  # noqa: BLE001 - tags missing or broken, a state of another shape: a whole build
            return None

    def _last_run(self, raw: Path, out: Path) -> LastRun | None:
        state = self.state
        if not state or state["entangled"] or (state["raw"], state["out"]) != (str(raw.resolve()), str(out.resolve())):
            return None
        tags = _split_tags(_parquet_file(self.folder, TAGS_FILE).read(), state["tables"])
        if any(key not in self.facts for key in state["documents"].values()):
            return None
        collisions = {group: list(notes) for group, notes in state["collisions"].items()}
        return LastRun(dict(state["documents"]), collisions, tags, dict(state["renamed"]))

    def results(self, keys: Iterable[str]) -> dict[str, Stored]:
        """The stored typed rows of these keys. Only the row groups holding them are read; a file that does not
        read back, or no longer holds a key it held, raises BrokenPart (its documents are parsed again)."""
        keys = list(keys)
        found: dict[str, Stored] = {}
        for table in self._read(keys, ["key", "result"]):
            for key, text in zip(table["key"].to_pylist(), table["result"].to_pylist(), strict=True):
                found[key] = Stored(self.facts[key], json.loads(text))
        for key in keys:
            if key not in found:
                raise BrokenPart(self._where[key][0])
        return found

    def label_batches(self, keys: list[str], label_schema: pa.Schema, rows: int) -> Iterator[pa.Table]:
        """The label/value rows of these keys, document after document in their order, in tables of about
        `rows` rows: only a few row groups are held at a time."""
        held: dict[tuple[str, int], tuple[dict[str, int], pa.ChunkedArray]] = {}
        opened: dict[str, parquet.ParquetFile] = {}  # files opened once, not once per row group read
        batch: list[pa.Array] = []
        count = 0
        for key in keys:
            where = self._where[key]
            if where not in held:
                if len(held) >= _HELD_GROUPS:
                    held.pop(next(iter(held)))
                read = _label_group(self.folder, *where, opened)
                held[where] = ({k: row for row, k in enumerate(read["key"].to_pylist())}, read["labels"])
            index, lists = held[where]
            if key not in index:  # the file was replaced since it was listed
                raise BrokenPart(where[0])
            document = lists[index[key]].values
            batch.append(document)
            count += len(document)
            if count >= rows:
                yield _struct_table(batch, label_schema)
                batch, count = [], 0
        if batch:
            yield _struct_table(batch, label_schema)

    def _read(self, keys: Iterable[str], columns: list[str]) -> Iterator[pa.Table]:
        wanted: dict[str, dict[int, list[str]]] = {}
        for key in keys:
            name, group = self._where[key]
            wanted.setdefault(name, {}).setdefault(group, []).append(key)
        for name, groups in wanted.items():
            chosen = [key for group in groups.values() for key in group]
            try:
                read = _parquet_file(self.folder, name).read_row_groups(sorted(groups), columns=columns)
                read.select(columns)  # a column gone: its keys are missing, which `results` names
            except Exception:  # noqa: BLE001 - a broken file: its keys are missing, which `results` names
                continue
            yield read.filter(pc.is_in(read["key"], pa.array(chosen, pa.string())))

    def save(
        self,
        live: dict[str, str],
        raw: Path,
        out: Path,
        tags: dict[str, pa.Table],
        collisions: dict[str, list[str]],
        renamed: dict[str, dict[str, str]],
        entangled: bool,
    ) -> None:
        """Keep the list of result files that hold live documents, the tags of the outputs and the state.

        `live` maps each document's path to its key. Files no live document is
        read from are dropped; when most of what the older files hold is stale,
        their live results are copied into one file; past _KEEP_FILES files, the
        smallest are joined into one.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        live_keys = set(live.values())
        used = {self._where[key][0] for key in live_keys if key in self._where}
        older = [name for name in self.state.get("files", []) if name in used and name not in self._new]
        files = [*older, *(name for name in self._new if name in used)]
        if older and self._mostly_stale(older, live_keys):
            files = [self._copy(older, live_keys), *files[len(older) :]]
        if len(files) > _KEEP_FILES:
            sizes = {name: sum(1 for where in self._where.values() if where[0] == name) for name in files}
            smallest = sorted(files, key=lambda name: sizes[name])[: len(files) - _KEEP_FILES + 1]
            files = [name for name in files if name not in smallest] + [self._copy(smallest, live_keys)]
        write_atomic(
            self.folder / TAGS_FILE, partial(parquet.write_table, _joined_tags(tags), write_page_checksum=True)
        )
        state = {
            "format": _FORMAT,
            "code": code_version(),
            "raw": str(raw.resolve()),
            "out": str(out.resolve()),
            "files": files,
            "documents": live,
            "collisions": collisions,
            "renamed": renamed,
            "tables": [[name, table.num_rows] for name, table in tags.items()],  # in the order of tags.parquet
            "entangled": entangled,
        }
        write_atomic(self.folder / STATE_FILE, json.dumps(state, sort_keys=True).encode("utf-8"))
        self._remove_unlisted(files)

    def _mostly_stale(self, files: list[str], live_keys: set[str]) -> bool:
        """Whether most results kept in the files are of documents no longer there as they were."""
        return sum(1 for name, _ in self._where.values() if name in files) > 2 * len(live_keys)

    def _copy(self, files: list[str], live_keys: set[str]) -> str:
        """One new file of the live results the files hold, copied a file at a time (Arrow, no Python rows)."""
        name = self.next_file()

        def write(path: Path) -> None:
            with parquet.ParquetWriter(path, _stored_schema(self.folder, files[0]), write_page_checksum=True) as writer:
                for old in files:
                    table = _live_rows(self.folder, old, live_keys)
                    writer.write_table(table.cast(writer.schema), row_group_size=ROW_GROUP)

        write_atomic(self.folder / name, write)
        return name

    def _remove_unlisted(self, files: list[str]) -> None:
        """Result files no longer listed (compacted away); nothing else in the folder is touched."""
        for path in self.folder.glob("documents-*.parquet"):
            if RESULT_FILE.fullmatch(path.name) and path.name not in files and not path.is_dir():
                path.unlink(missing_ok=True)  # a folder of that name is none of ours: left as it is


@contextmanager
def part(folder: Path, name: str) -> Iterator[Part]:
    """One result file, written by the process that parsed its documents, a row group at a time as they are
    parsed, so that the process holds one row group's documents, not the part's. The file appears whole when
    the block ends, or not at all."""
    with atomic_file(folder / name) as path:
        written = Part(path)
        try:
            yield written
        finally:
            written.close()


class Part:
    """A result file being written (`part`); `facts` holds the facts of every document written so far."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._writer: parquet.ParquetWriter | None = None
        self.facts: list[Facts] = []

    def write(self, facts: list[Facts], results: list[str], labels: pa.ListArray) -> None:
        """A row group: at most ROW_GROUP documents' facts, typed rows as JSON text and validated label/value rows."""
        if self._writer is None:
            schema = _RESULTS.append(pa.field("labels", labels.type))
            self._writer = parquet.ParquetWriter(self._path, schema, write_page_checksum=True)
        rows = [{**_plain_facts(item), "result": text} for item, text in zip(facts, results, strict=True)]
        self._writer.write_table(pa.Table.from_pylist(rows, schema=_RESULTS).append_column("labels", labels))
        self.facts.extend(facts)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def label_lists(rows: pa.Table, counts: list[int]) -> pa.ListArray:
    """Label/value rows as one list of rows per document, `counts` rows each, in order."""
    offsets = [0]
    for count in counts:
        offsets.append(offsets[-1] + count)
    struct = rows.to_struct_array().combine_chunks() if rows.num_rows else pa.array([], pa.struct(list(rows.schema)))
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), struct, type=pa.list_(pa.struct(list(rows.schema))))


def _parquet_file(folder: Path, name: str) -> parquet.ParquetFile:
    """A Parquet file of the cache opened to read, its pages' checksums verified (a flipped bit is a broken file,
    never data); what is not a regular file raises at once (a FIFO would never answer)."""
    path = folder / name
    require_regular(os.stat(path).st_mode, path)
    return parquet.ParquetFile(path, page_checksum_verification=True)


def _label_group(folder: Path, name: str, group: int, opened: dict[str, parquet.ParquetFile]) -> pa.Table:
    """A row group's keys and label lists; its file taken from `opened` (at most _HELD_GROUPS kept open)."""
    try:
        if name not in opened:
            if len(opened) >= _HELD_GROUPS:
                opened.pop(next(iter(opened)))
            opened[name] = _parquet_file(folder, name)
        return opened[name].read_row_group(group, columns=["key", "labels"]).select(["key", "labels"])
    except Exception as error:  # any failure to read back is the file's, never the run's
        raise BrokenPart(name) from error


def _live_rows(folder: Path, name: str, live_keys: set[str]) -> pa.Table:
    try:
        table = _parquet_file(folder, name).read()
        return table.filter(pc.is_in(table["key"], pa.array(sorted(live_keys), pa.string())))
    except Exception as error:
        raise BrokenPart(name) from error


def _stored_schema(folder: Path, name: str) -> pa.Schema:
    try:
        return _parquet_file(folder, name).schema_arrow
    except Exception as error:  # any failure to read back is the file's, never the run's
        raise BrokenPart(name) from error


def _result_files(folder: Path) -> list[str]:
    return [path.name for path in folder.glob("documents-*.parquet") if RESULT_FILE.fullmatch(path.name)]


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
        "label_rows": facts.label_rows,
        "unknown_labels": facts.unknown_labels,
        "label_rejects": facts.label_rejects,
    }


_HELD_GROUPS = 4  # row groups `label_batches` keeps read at a time


def _struct_table(documents: list[pa.Array], schema: pa.Schema) -> pa.Table:
    """Documents' label/value rows (struct arrays) as one table of `schema`, in one chunk."""
    return pa.Table.from_struct_array(pa.concat_arrays(documents)).cast(schema)


_NUMBERS_BELOW = 10**9  # a result file numbered beyond (none a run writes) is left out of the count: names stay short


def _number(name: str) -> int:
    try:
        number = int(name.removeprefix("documents-").removesuffix(".parquet"))
    except ValueError:
        return 0
    return number if number < _NUMBERS_BELOW else 0
