"""pipeline/cache.py in process: a document's key, the result files a run writes (`part`), what a cache folder
reads back (facts, typed rows, label/value rows), what makes its last run usable, and what `save` keeps, joins
and removes. Cache folders and result files are made in tmp_path; broken, foreign and outdated entries by hand;
every expected value is written by hand from the input."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pytest
from pyarrow import parquet

from pipeline import cache
from pipeline.cache import Facts

LABELS = pa.schema([("label", pa.string()), ("value", pa.string())])
FACT_COLUMNS = [
    "key",
    "path",
    "groups",
    "listing",
    "unreadable",
    "notes",
    "drift",
    "label_rows",
    "unknown_labels",
    "label_rejects",
]


def facts(key: str, **given) -> Facts:
    fields = {
        "path": f"2024/html/{key}.html",
        "groups": (f"group-{key}",),
        "listing": False,
        "unreadable": None,
        "notes": (),
        "drift": (),
    }
    fields.update(given)
    return Facts(key, **fields)


def label_rows(key: str, count: int) -> list[dict[str, str]]:
    return [{"label": f"{key} label {n}", "value": f"{key} value {n}"} for n in range(count)]


def write_part(folder: Path, name: str, documents: list[tuple[Facts, dict, int]]) -> list[Facts]:
    """A result file as parse.py writes it: ROW_GROUP documents a row group, each with its typed rows (plain
    data) and `count` label/value rows."""
    with cache.part(folder, name) as written:
        for at in range(0, len(documents), cache.ROW_GROUP):
            group = documents[at : at + cache.ROW_GROUP]
            rows = [row for item, _, count in group for row in label_rows(item.key, count)]
            table = pa.Table.from_pylist(rows, schema=LABELS)
            lists = cache.label_lists(table, [count for _, _, count in group])
            written.write([item for item, _, _ in group], [json.dumps(result) for _, result, _ in group], lists)
    return written.facts


def write_state(folder: Path, files: list[str], **given) -> None:
    state = {
        "format": 3,
        "code": cache.code_version(),
        "raw": str(folder.parent / "raw"),
        "out": str(folder.parent / "out"),
        "files": files,
        "documents": {},
        "collisions": {},
        "renamed": {},
        "tables": [],
        "entangled": False,
    }
    state.update(given)
    (folder / "state.json").write_text(json.dumps(state))


def simple(keys: list[str], counts: dict[str, int] | None = None) -> list[tuple[Facts, dict, int]]:
    return [(facts(key), {"credentials": [], "of": key}, (counts or {}).get(key, 1)) for key in keys]


def a_cache(folder: Path) -> None:
    """Two result files: documents-1 (a, b) and documents-4 (c, a listing with notes and drift), and a state."""
    write_part(folder, "documents-1.parquet", simple(["a", "b"], {"a": 2, "b": 0}))
    listing = facts(
        "c",
        path="2023/pdf/list.pdf",
        groups=("g1", "g2"),
        listing=True,
        unreadable="cut short",
        notes=("n1", "n2"),
        drift=("Odd label",),
        label_rows=3,
        unknown_labels=True,
        label_rejects='[{"why":"x"}]',
    )
    write_part(folder, "documents-4.parquet", [(listing, {"credentials": [{"id": "C1"}]}, 3)])
    write_state(folder, ["documents-1.parquet", "documents-4.parquet"])


# --- a document's key: its bytes and every manifest fact ------------------------------------------------------

REF = {
    "rel_path": "2024/html/a.html",
    "kind": "html",
    "folder_year": "2024-2025",
    "url": "https://example.org/a?id=7",
    "cred_id": 1041,
    "course_id": None,
    "origin": "manifest",
}


def test_a_document_key_is_its_manifest_facts_and_sha256_as_compact_json():
    key = cache.document_key(SimpleNamespace(**REF), "ab12")
    assert key == '["2024/html/a.html","html","2024-2025","https://example.org/a?id=7",1041,null,"manifest","ab12"]'


@pytest.mark.parametrize(
    "field, other",
    [
        ("rel_path", "2024/html/b.html"),
        ("kind", "text"),
        ("folder_year", "2023-2024"),
        ("url", "https://example.org/a?id=8"),
        ("cred_id", 1042),
        ("course_id", 77),
        ("origin", "listing"),
    ],
)
def test_a_change_of_any_manifest_fact_makes_another_key(field, other):
    before = cache.document_key(SimpleNamespace(**REF), "ab12")
    after = cache.document_key(SimpleNamespace(**{**REF, field: other}), "ab12")
    assert before != after


def test_a_change_of_the_bytes_makes_another_key():
    ref = SimpleNamespace(**REF)
    assert cache.document_key(ref, "ab12") != cache.document_key(ref, "ab13")


def test_facts_of_a_document_without_label_rows_default_to_none_known_and_no_rejects():
    item = Facts("k", "p", (), False, None, (), ())
    assert (item.label_rows, item.unknown_labels, item.label_rejects) == (0, False, "[]")


# --- result file names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "present, first",
    [
        ([], "documents-1.parquet"),
        (["documents-3.parquet", "documents-12.parquet"], "documents-13.parquet"),
        (["documents-12.parquet", "documents-3.parquet"], "documents-13.parquet"),
        (["documents-0.parquet"], "documents-1.parquet"),
        # not result files: their numbers are not counted
        (
            ["documents-x.parquet", "documents-40.parquet.bak", "notes-99.parquet", "documents-.parquet"],
            "documents-1.parquet",
        ),
        (["documents-5.parquet", "documents-99.parquet.tmp"], "documents-6.parquet"),
    ],
)
def test_a_new_result_file_takes_the_number_after_the_highest_in_the_folder(tmp_path, present, first):
    for name in present:
        (tmp_path / name).write_bytes(b"")
    store = cache.Store(tmp_path)
    number = int(first.removeprefix("documents-").removesuffix(".parquet"))
    assert [store.next_file(), store.next_file()] == [first, f"documents-{number + 1}.parquet"]


def test_a_cache_folder_not_made_yet_starts_at_one_and_holds_nothing(tmp_path):
    store = cache.Store(tmp_path / "none")
    assert store.next_file() == "documents-1.parquet"
    assert (store.state, store.facts, store.parsed) == ({}, {}, set())


def test_positions_rank_the_files_listed_then_those_written_by_their_order_not_their_numbers(tmp_path):
    write_part(tmp_path, "documents-7.parquet", simple(["old1", "old2"]))
    write_state(tmp_path, ["documents-7.parquet"])
    store = cache.Store(tmp_path)
    store.add("documents-9.parquet", [facts(f"a{n:02}") for n in range(66)])
    store.add("documents-8.parquet", [facts("b0")])
    positions = store.positions()
    assert [positions[key] for key in ("old1", "old2", "a00", "a63", "a64", "a65", "b0")] == [
        (0, 0),
        (0, 0),
        (1, 0),
        (1, 0),
        (1, 1),
        (1, 1),
        (2, 0),
    ]
    assert len(positions) == 2 + 66 + 1


@pytest.mark.parametrize(
    "name, number",
    [
        ("documents-7.parquet", 7),
        ("documents-120.parquet", 120),
        ("documents-x.parquet", 0),
        ("documents-.parquet", 0),
        # numbered from 10**9 on (none a run writes): left out of the count, or every next name would be too long
        ("documents-999999999.parquet", 999_999_999),
        ("documents-1000000000.parquet", 0),
        ("documents-" + "9" * 236 + ".parquet", 0),
    ],
)
def test_a_result_file_number_is_read_from_its_name_or_zero(name, number):
    assert cache._number(name) == number


# --- label_lists and Part: the result file as written ---------------------------------------------------------


def test_label_rows_are_cut_into_one_list_per_document_by_their_counts():
    rows = pa.Table.from_pylist(
        [{"label": "A", "value": "1"}, {"label": "B", "value": "2"}, {"label": "C", "value": "3"}], schema=LABELS
    )
    lists = cache.label_lists(rows, [2, 0, 1])
    assert lists.type == pa.list_(pa.struct([("label", pa.string()), ("value", pa.string())]))
    assert lists.to_pylist() == [
        [{"label": "A", "value": "1"}, {"label": "B", "value": "2"}],
        [],
        [{"label": "C", "value": "3"}],
    ]


def test_label_rows_in_several_chunks_are_cut_the_same():
    first = pa.Table.from_pylist([{"label": "A", "value": "1"}], schema=LABELS)
    second = pa.Table.from_pylist([{"label": "B", "value": "2"}, {"label": "C", "value": "3"}], schema=LABELS)
    lists = cache.label_lists(pa.concat_tables([first, second]), [1, 2])
    assert lists.to_pylist() == [
        [{"label": "A", "value": "1"}],
        [{"label": "B", "value": "2"}, {"label": "C", "value": "3"}],
    ]


def test_documents_without_label_rows_get_empty_lists_of_the_rows_type():
    lists = cache.label_lists(LABELS.empty_table(), [0, 0])
    assert lists.type == pa.list_(pa.struct([("label", pa.string()), ("value", pa.string())]))
    assert lists.to_pylist() == [[], []]


def test_a_part_holds_each_document_facts_typed_rows_and_label_rows_a_row_group_a_write(tmp_path):
    first = facts("a", groups=("g1", "g2"), notes=("n",), label_rows=2)
    second = facts("b", listing=True, unreadable="gone", drift=("Odd",), unknown_labels=True, label_rejects="[1]")
    third = facts("c")
    with cache.part(tmp_path, "documents-1.parquet") as written:
        rows = pa.Table.from_pylist([{"label": "L", "value": "V"}, {"label": "M", "value": "W"}], schema=LABELS)
        written.write([first, second], ['{"x":1}', '{"x":2}'], cache.label_lists(rows, [2, 0]))
        assert not (tmp_path / "documents-1.parquet").exists()  # appears whole, at the end
        written.write([third], ['{"x":3}'], cache.label_lists(LABELS.empty_table(), [0]))
        assert written.facts == [first, second, third]
    file = parquet.ParquetFile(tmp_path / "documents-1.parquet")
    assert file.num_row_groups == 2
    assert file.schema_arrow.names == [*FACT_COLUMNS, "result", "labels"]
    assert file.read().to_pylist() == [
        {
            "key": "a",
            "path": "2024/html/a.html",
            "groups": ["g1", "g2"],
            "listing": False,
            "unreadable": None,
            "notes": ["n"],
            "drift": [],
            "label_rows": 2,
            "unknown_labels": False,
            "label_rejects": "[]",
            "result": '{"x":1}',
            "labels": [{"label": "L", "value": "V"}, {"label": "M", "value": "W"}],
        },
        {
            "key": "b",
            "path": "2024/html/b.html",
            "groups": ["group-b"],
            "listing": True,
            "unreadable": "gone",
            "notes": [],
            "drift": ["Odd"],
            "label_rows": 0,
            "unknown_labels": True,
            "label_rejects": "[1]",
            "result": '{"x":2}',
            "labels": [],
        },
        {
            "key": "c",
            "path": "2024/html/c.html",
            "groups": ["group-c"],
            "listing": False,
            "unreadable": None,
            "notes": [],
            "drift": [],
            "label_rows": 0,
            "unknown_labels": False,
            "label_rejects": "[]",
            "result": '{"x":3}',
            "labels": [],
        },
    ]


def test_a_part_whose_writing_fails_leaves_no_file(tmp_path):
    with pytest.raises(RuntimeError), cache.part(tmp_path, "documents-2.parquet") as written:
        written.write([facts("a")], ["{}"], cache.label_lists(LABELS.empty_table(), [0]))
        raise RuntimeError("a worker stopped")
    assert sorted(path.name for path in tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "documents, texts", [(["a", "b"], ["{}"]), (["a"], ["{}", "{}"])], ids=["more facts", "more typed rows"]
)
def test_a_part_whose_facts_and_typed_rows_do_not_pair_up_is_refused_and_left_unwritten(tmp_path, documents, texts):
    # a document's facts are never written beside another's typed rows, nor one of them dropped
    lists = cache.label_lists(LABELS.empty_table(), [0] * len(documents))
    with pytest.raises(ValueError, match=r"^zip\(\) argument 2 is (shorter|longer) than argument 1$"):
        with cache.part(tmp_path, "documents-2.parquet") as written:
            written.write([facts(key) for key in documents], texts, lists)
    assert names(tmp_path) == []


def test_a_file_not_named_as_ours_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match=r"^not a cache file name: '\.\./documents-1\.parquet'$"):
        cache.Store(tmp_path)._index("../documents-1.parquet")


# --- what a cache folder reads back ---------------------------------------------------------------------------


def test_a_cache_folder_reads_back_every_document_facts_as_written(tmp_path):
    a_cache(tmp_path)
    store = cache.Store(tmp_path)
    assert store.facts == {
        "a": Facts("a", "2024/html/a.html", ("group-a",), False, None, (), ()),
        "b": Facts("b", "2024/html/b.html", ("group-b",), False, None, (), ()),
        "c": Facts(
            "c",
            "2023/pdf/list.pdf",
            ("g1", "g2"),
            True,
            "cut short",
            ("n1", "n2"),
            ("Odd label",),
            3,
            True,
            '[{"why":"x"}]',
        ),
    }
    assert all(isinstance(item.groups, tuple) and isinstance(item.notes, tuple) for item in store.facts.values())
    assert isinstance(store.facts["c"].drift, tuple)
    assert ("a" in store, "c" in store, "z" in store) == (True, True, False)
    assert store.state["files"] == ["documents-1.parquet", "documents-4.parquet"]
    assert store.parsed == set()  # read, not parsed in this run
    assert store.next_file() == "documents-5.parquet"


def test_a_document_is_found_in_its_file_and_row_group(tmp_path):
    keys = [f"k{n:03}" for n in range(130)]
    write_part(tmp_path, "documents-2.parquet", simple(keys))
    write_state(tmp_path, ["documents-2.parquet"])
    where = cache.Store(tmp_path)._where
    assert [where["k000"], where["k063"], where["k064"], where["k127"], where["k128"], where["k129"]] == [
        ("documents-2.parquet", 0),
        ("documents-2.parquet", 0),
        ("documents-2.parquet", 1),
        ("documents-2.parquet", 1),
        ("documents-2.parquet", 2),
        ("documents-2.parquet", 2),
    ]


def test_a_result_file_of_an_older_writer_with_nulls_and_narrower_types_reads_back(tmp_path):
    # written by hand: listing and unknown_labels null, label_rows as int32, columns in another order
    table = pa.table(
        {
            "result": ["{}"],
            "key": ["a"],
            "path": ["p"],
            "groups": pa.array([["g"]], pa.list_(pa.string())),
            "listing": pa.array([None], pa.bool_()),
            "unreadable": pa.array([None], pa.string()),
            "notes": pa.array([[]], pa.list_(pa.string())),
            "drift": pa.array([[]], pa.list_(pa.string())),
            "label_rows": pa.array([4], pa.int32()),
            "unknown_labels": pa.array([False], pa.bool_()),
            "label_rejects": ["[]"],
        }
    )
    parquet.write_table(table, tmp_path / "documents-1.parquet")
    write_state(tmp_path, ["documents-1.parquet"])
    store = cache.Store(tmp_path)
    assert store.facts == {"a": Facts("a", "p", ("g",), False, None, (), (), 4, False, "[]")}
    assert store.facts["a"].listing is False


def damage(folder: Path, name: str) -> None:
    (folder / name).write_bytes(b"PAR1 not a parquet file at all")


def foreign_file(folder: Path, name: str) -> None:
    parquet.write_table(pa.table({"key": ["a"], "other": [1]}), folder / name)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda folder: (folder / "state.json").unlink(), id="no state"),
        pytest.param(lambda folder: (folder / "state.json").write_bytes(b'{"format": 3,'), id="state not json"),
        pytest.param(lambda folder: (folder / "state.json").write_bytes(b"[3]"), id="state not an object"),
        pytest.param(
            lambda folder: write_state(folder, ["documents-1.parquet", "documents-4.parquet"], format=2),
            id="older format",
        ),
        pytest.param(
            lambda folder: write_state(folder, ["documents-1.parquet", "documents-4.parquet"], code="0" * 64),
            id="older code",
        ),
        pytest.param(
            lambda folder: write_state(folder, ["documents-1.parquet", "documents-9.parquet"]), id="file missing"
        ),
        pytest.param(lambda folder: damage(folder, "documents-4.parquet"), id="second file damaged"),
        pytest.param(lambda folder: damage(folder, "documents-1.parquet"), id="first file damaged"),
        pytest.param(lambda folder: foreign_file(folder, "documents-4.parquet"), id="second file foreign"),
        pytest.param(
            lambda folder: (
                (folder / "documents-1.parquet").rename(folder / "notes.parquet"),
                write_state(folder, ["notes.parquet", "documents-4.parquet"]),
            ),
            id="a file not named as ours",
        ),
        pytest.param(
            lambda folder: (
                (folder / "documents-1.parquet").rename(folder.parent / "documents-1.parquet"),
                write_state(folder, ["../documents-1.parquet", "documents-4.parquet"]),
            ),
            id="a file outside the folder",
        ),
        pytest.param(
            lambda folder: (
                (folder / "documents-1.parquet").rename(folder / "documents-1.parquet.bak"),
                write_state(folder, ["documents-1.parquet.bak", "documents-4.parquet"]),
            ),
            id="a name with more after ours",
        ),
    ],
)
def test_a_broken_foreign_or_outdated_cache_is_read_as_an_empty_one(tmp_path, spoil):
    folder = tmp_path / "cache"
    a_cache(folder)
    spoil(folder)
    store = cache.Store(folder)
    assert (store.state, store.facts, store._where) == ({}, {}, {})
    assert "a" not in store
    assert store.last_run(tmp_path / "raw", tmp_path / "out") is None


def test_a_state_without_its_format_or_files_is_read_as_an_empty_cache(tmp_path):
    a_cache(tmp_path)
    state = json.loads((tmp_path / "state.json").read_text())
    for left_out in ["format", "code", "files"]:
        (tmp_path / "state.json").write_text(json.dumps({k: v for k, v in state.items() if k != left_out}))
        store = cache.Store(tmp_path)
        assert (store.state, store.facts) == ({}, {}), left_out


def test_documents_added_in_this_run_are_found_by_their_position_in_row_groups_of_64(tmp_path):
    store = cache.Store(tmp_path)
    added = [facts(f"k{n}") for n in range(130)]
    store.add("documents-1.parquet", added)
    store.add("documents-2.parquet", [facts("z")])
    assert store.facts["k5"] == facts("k5")
    assert [store._where[key] for key in ["k0", "k63", "k64", "k127", "k128", "k129", "z"]] == [
        ("documents-1.parquet", 0),
        ("documents-1.parquet", 0),
        ("documents-1.parquet", 1),
        ("documents-1.parquet", 1),
        ("documents-1.parquet", 2),
        ("documents-1.parquet", 2),
        ("documents-2.parquet", 0),
    ]
    assert store.parsed == {f"k{n}" for n in range(130)} | {"z"}
    assert store._new == ["documents-1.parquet", "documents-2.parquet"]
    assert "k129" in store


# --- typed rows and label/value rows read back ----------------------------------------------------------------


def test_the_typed_rows_of_the_keys_asked_are_read_back_with_their_facts(tmp_path):
    a_cache(tmp_path)
    store = cache.Store(tmp_path)
    found = store.results(["c", "a"])
    assert sorted(found) == ["a", "c"]
    assert found["a"] == cache.Stored(facts("a"), {"credentials": [], "of": "a"})
    assert found["c"].result == {"credentials": [{"id": "C1"}]}
    assert found["c"].facts.path == "2023/pdf/list.pdf"
    assert store.results([]) == {}


class Reads:
    """pyarrow's ParquetFile, recording the row groups and the columns read."""

    def __init__(self, monkeypatch):
        self.log: list[tuple[str, object]] = []
        self.columns: list[object] = []
        original = parquet.ParquetFile
        log, columns = self.log, self.columns

        class Spy(original):
            def read_row_groups(self, groups, *args, **kwargs):
                log.append((Path(self._path).name, list(groups)))
                columns.append(kwargs.get("columns"))
                return super().read_row_groups(groups, *args, **kwargs)

            def read_row_group(self, group, *args, **kwargs):
                log.append((Path(self._path).name, group))
                columns.append(kwargs.get("columns"))
                return super().read_row_group(group, *args, **kwargs)

            def __init__(self, source, *args, **kwargs):
                self._path = source
                super().__init__(source, *args, **kwargs)

        monkeypatch.setattr(parquet, "ParquetFile", Spy)


def test_only_the_row_groups_holding_the_keys_asked_are_read(tmp_path, monkeypatch):
    keys = [f"k{n:03}" for n in range(200)]
    write_part(tmp_path, "documents-1.parquet", simple(keys))
    write_state(tmp_path, ["documents-1.parquet"])
    store = cache.Store(tmp_path)
    reads = Reads(monkeypatch)
    found = store.results(["k150", "k001", "k199", "k002"])
    assert reads.log == [("documents-1.parquet", [0, 2, 3])]
    assert {key: stored.result["of"] for key, stored in found.items()} == {
        "k150": "k150",
        "k001": "k001",
        "k199": "k199",
        "k002": "k002",
    }


def test_label_rows_are_given_in_the_schema_asked_for(tmp_path):
    a_cache(tmp_path)
    wide = pa.schema([("label", pa.large_string()), ("value", pa.large_string())])
    (table,) = cache.Store(tmp_path).label_batches(["a"], wide, 10)
    assert table.schema == wide
    assert table.to_pylist() == label_rows("a", 2)


def test_label_batches_follow_the_keys_order_and_end_a_batch_once_it_has_the_rows_asked(tmp_path):
    a_cache(tmp_path)
    store = cache.Store(tmp_path)
    # c: 3 rows, b: none, a: 2
    batches = list(store.label_batches(["c", "b", "a"], LABELS, 4))
    assert [batch.to_pylist() for batch in batches] == [label_rows("c", 3) + label_rows("a", 2)]
    batches = list(store.label_batches(["a", "b", "c"], LABELS, 2))
    assert [batch.to_pylist() for batch in batches] == [label_rows("a", 2), label_rows("c", 3)]
    batches = list(store.label_batches(["c", "a"], LABELS, 3))
    assert [batch.to_pylist() for batch in batches] == [label_rows("c", 3), label_rows("a", 2)]
    assert all(batch.schema == LABELS for batch in batches)
    assert all(batch["label"].num_chunks == 1 for batch in batches)


@pytest.mark.parametrize(
    "order, expected",
    [
        # one file's three row groups: the file opened once for all of them
        ([f"k{n:03}" for n in range(130)], [1]),
        # five files: the fifth opened closes the first, which is opened again for its document
        (["f2", "f3", "f4", "f5", "f6", "f2"], [2, 3, 4, 5, 6, 2]),
        # six files: the first closed since, opened again
        (["f2", "f3", "f4", "f5", "f6", "f7", "f2"], [2, 3, 4, 5, 6, 7, 2]),
        # four files kept open: f2's row group no longer held (four others read since), its file still open
        (["f2", "k000", "k064", "k128", "f3", "f4", "f2"], [2, 1, 3, 4]),
    ],
)
def test_label_batches_keep_at_most_four_files_open(tmp_path, monkeypatch, order, expected):
    """A file is opened once for all its row groups (not once per row group), and files opened for label rows
    are kept open up to four (_HELD_GROUPS), never more: a file met again after four others is opened again;
    after three others it is still open."""
    write_part(tmp_path, "documents-1.parquet", simple([f"k{n:03}" for n in range(130)]))  # 3 row groups
    for number in range(2, 8):
        write_part(tmp_path, f"documents-{number}.parquet", simple([f"f{number}"]))
    write_state(tmp_path, [f"documents-{number}.parquet" for number in range(1, 8)])
    store = cache.Store(tmp_path)
    opened = []
    real = cache._parquet_file
    monkeypatch.setattr(cache, "_parquet_file", lambda folder, name: opened.append(name) or real(folder, name))
    assert sum(batch.num_rows for batch in store.label_batches(order, LABELS, 1000)) == len(order)
    assert opened == [f"documents-{number}.parquet" for number in expected]


@pytest.mark.parametrize(
    "counts, rows, sizes",
    [
        ([1, 1, 1], 2, [2, 1]),  # rows add up across documents
        ([2, 1, 1, 1], 2, [2, 2, 1]),  # a new batch starts from none
        ([1, 3, 1], 3, [4, 1]),
        ([0, 0, 2], 1, [2]),
    ],
)
def test_a_label_batch_ends_once_its_documents_rows_add_up_to_the_rows_asked(tmp_path, counts, rows, sizes):
    keys = [f"d{n}" for n in range(len(counts))]
    write_part(tmp_path, "documents-1.parquet", simple(keys, dict(zip(keys, counts, strict=True))))
    write_state(tmp_path, ["documents-1.parquet"])
    batches = list(cache.Store(tmp_path).label_batches(keys, LABELS, rows))
    assert [batch.num_rows for batch in batches] == sizes
    assert [row for batch in batches for row in batch.to_pylist()] == [
        row for key, count in zip(keys, counts, strict=True) for row in label_rows(key, count)
    ]


def test_label_batches_end_with_the_documents_left_even_without_rows(tmp_path):
    a_cache(tmp_path)
    store = cache.Store(tmp_path)
    batches = list(store.label_batches(["a", "b"], LABELS, 2))
    assert [batch.num_rows for batch in batches] == [2, 0]
    assert batches[1].schema == LABELS
    assert list(store.label_batches([], LABELS, 2)) == []


def test_label_batches_keep_four_row_groups_read_and_read_again_the_first_one_dropped(tmp_path, monkeypatch):
    keys = [f"k{n:03}" for n in range(5 * 64)]
    write_part(tmp_path, "documents-1.parquet", simple(keys))
    write_state(tmp_path, ["documents-1.parquet"])
    store = cache.Store(tmp_path)
    reads = Reads(monkeypatch)
    # one document of each of the five row groups, then of groups 1 (dropped for group 4) and 3 (still held)
    order = ["k000", "k064", "k128", "k192", "k256", "k001", "k193", "k065"]
    rows = [row for batch in store.label_batches(order, LABELS, 1000) for row in batch.to_pylist()]
    assert rows == [row for key in order for row in label_rows(key, 1)]
    assert [group for _, group in reads.log] == [0, 1, 2, 3, 4, 0, 1]


# --- the last run, when usable --------------------------------------------------------------------------------


def saved(folder: Path, raw: Path, out: Path, entangled: bool = False) -> None:
    """A cache of two documents as a run saves it, with the tags of two tables and a collision."""
    store = cache.Store(folder)
    store.add(store.next_file(), write_part(folder, "documents-1.parquet", simple(["a", "b"])))
    tags = {
        "credentials": pa.table({"document": ["x/a.html", "x/b.html"], "group": ["g1", "g2"]}),
        "courses": pa.table({"document": ["x/a.html"], "group": ["g1"]}),
    }
    store.save(
        {"x/a.html": "a", "x/b.html": "b"},
        raw,
        out,
        tags,
        {"g1": ["two blocks"]},
        {"g1": {"Block A": "block-a"}},
        entangled,
    )


def test_the_last_run_is_what_it_saved_for_the_same_raw_and_out(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    saved(tmp_path / "cache", raw, out)
    last = cache.Store(tmp_path / "cache").last_run(raw, out)
    assert last.documents == {"x/a.html": "a", "x/b.html": "b"}
    assert last.collisions == {"g1": ["two blocks"]}
    assert last.renamed == {"g1": {"Block A": "block-a"}}
    assert sorted(last.tags) == ["courses", "credentials"]
    assert last.tags["credentials"].to_pylist() == [
        {"document": "x/a.html", "group": "g1"},
        {"document": "x/b.html", "group": "g2"},
    ]
    assert last.tags["courses"].to_pylist() == [{"document": "x/a.html", "group": "g1"}]


def test_the_last_run_is_found_for_the_same_folders_named_relatively(tmp_path, monkeypatch):
    saved(tmp_path / "cache", tmp_path / "raw", tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    assert cache.Store(Path("cache")).last_run(Path("raw"), Path("out")) is not None


@pytest.mark.parametrize(
    "raw, out", [("raw", "other"), ("other", "out"), ("out", "raw")], ids=["other out", "other raw", "swapped"]
)
def test_the_last_run_of_other_folders_is_not_used(tmp_path, raw, out):
    saved(tmp_path / "cache", tmp_path / "raw", tmp_path / "out")
    assert cache.Store(tmp_path / "cache").last_run(tmp_path / raw, tmp_path / out) is None


def test_an_entangled_last_run_is_not_used(tmp_path):
    saved(tmp_path / "cache", tmp_path / "raw", tmp_path / "out", entangled=True)
    store = cache.Store(tmp_path / "cache")
    assert "a" in store  # its results are still used
    assert store.last_run(tmp_path / "raw", tmp_path / "out") is None


def edit_state(folder: Path, **given) -> None:
    state = json.loads((folder / "state.json").read_text())
    state.update(given)
    (folder / "state.json").write_text(json.dumps(state))


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda folder: (folder / "tags.parquet").unlink(), id="tags missing"),
        pytest.param(lambda folder: damage(folder, "tags.parquet"), id="tags damaged"),
        pytest.param(
            lambda folder: edit_state(folder, tables=[["credentials", 2], ["courses", 2]]), id="one row short"
        ),
        pytest.param(lambda folder: edit_state(folder, tables=[["credentials", 2]]), id="one row more"),
        pytest.param(
            lambda folder: edit_state(folder, documents={"x/a.html": "a", "x/c.html": "c"}), id="a document not kept"
        ),
    ],
)
def test_a_last_run_whose_tags_or_documents_are_not_all_there_is_not_used(tmp_path, spoil):
    raw, out = tmp_path / "raw", tmp_path / "out"
    saved(tmp_path / "cache", raw, out)
    spoil(tmp_path / "cache")
    assert cache.Store(tmp_path / "cache").last_run(raw, out) is None


def without(folder: Path, name: str) -> None:
    state = json.loads((folder / "state.json").read_text())
    del state[name]
    (folder / "state.json").write_text(json.dumps(state))


@pytest.mark.parametrize(
    "spoil",
    [
        *(
            pytest.param(lambda folder, name=name: without(folder, name), id=f"no {name}")
            for name in ["entangled", "raw", "out", "documents", "collisions", "renamed", "tables"]
        ),
        pytest.param(lambda folder: edit_state(folder, documents=["a", "b"]), id="documents a list"),
        pytest.param(lambda folder: edit_state(folder, collisions=["two blocks"]), id="collisions a list"),
        pytest.param(lambda folder: edit_state(folder, renamed=[1, 2]), id="renamed a list"),
        pytest.param(lambda folder: edit_state(folder, tables=7), id="tables a number"),
    ],
)
def test_a_state_of_this_code_but_of_another_shape_gives_no_last_run_and_its_results_still_serve(tmp_path, spoil):
    # CONTRACT: a broken cache only costs time (a state edited by hand stopped extract with a KeyError)
    raw, out = tmp_path / "raw", tmp_path / "out"
    saved(tmp_path / "cache", raw, out)
    spoil(tmp_path / "cache")
    store = cache.Store(tmp_path / "cache")
    assert store.last_run(raw, out) is None
    assert sorted(store.results(["a", "b"])) == ["a", "b"]


def test_tags_are_split_by_the_row_counts_kept_with_them():
    joined = pa.table({"document": ["a", "b", "c", "d"]})
    split = cache._split_tags(joined, [["one", 1], ["none", 0], ["three", 3]])
    assert {name: table["document"].to_pylist() for name, table in split.items()} == {
        "one": ["a"],
        "none": [],
        "three": ["b", "c", "d"],
    }
    assert list(split) == ["one", "none", "three"]
    with pytest.raises(ValueError, match="^tags of another run$"):
        cache._split_tags(joined, [["one", 1], ["three", 2]])


# --- save: the state, the tags, the files kept -----------------------------------------------------------------


def test_save_writes_the_state_with_sorted_keys_and_every_table_row_count(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    saved(tmp_path / "cache", raw, out)
    text = (tmp_path / "cache" / "state.json").read_text(encoding="utf-8")
    state = json.loads(text)
    assert state == {
        "format": 3,
        "code": cache.code_version(),
        "raw": str(raw),
        "out": str(out),
        "files": ["documents-1.parquet"],
        "documents": {"x/a.html": "a", "x/b.html": "b"},
        "collisions": {"g1": ["two blocks"]},
        "renamed": {"g1": {"Block A": "block-a"}},
        "tables": [["credentials", 2], ["courses", 1]],
        "entangled": False,
    }
    assert list(state) == sorted(state)
    assert text.startswith('{"code": ')
    tags = parquet.read_table(tmp_path / "cache" / "tags.parquet")
    assert tags.to_pylist() == [
        {"document": "x/a.html", "group": "g1"},
        {"document": "x/b.html", "group": "g2"},
        {"document": "x/a.html", "group": "g1"},
    ]


def test_save_keeps_the_folders_resolved(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = cache.Store(Path("cache"))
    store.save({}, Path("raw"), Path("out"), {}, {}, {}, False)
    state = json.loads((tmp_path / "cache" / "state.json").read_text())
    assert (state["raw"], state["out"]) == (str(tmp_path / "raw"), str(tmp_path / "out"))


def test_save_into_a_cache_folder_not_made_yet_makes_it_with_its_parents(tmp_path):
    folder = tmp_path / "new" / "cache"
    cache.Store(folder).save({}, tmp_path, tmp_path, {}, {}, {}, True)
    assert sorted(path.name for path in folder.iterdir()) == ["state.json", "tags.parquet"]
    state = json.loads((folder / "state.json").read_text())
    assert (state["files"], state["tables"], state["entangled"]) == ([], [], True)
    tags = parquet.read_table(folder / "tags.parquet")
    assert (tags.num_columns, tags.num_rows) == (0, 0)
    last = cache.Store(folder).last_run(tmp_path, tmp_path)
    assert last is None  # entangled


def test_a_last_run_without_tables_has_no_tags(tmp_path):
    folder = tmp_path / "cache"
    cache.Store(folder).save({}, tmp_path / "raw", tmp_path / "out", {}, {}, {}, False)
    last = cache.Store(folder).last_run(tmp_path / "raw", tmp_path / "out")
    assert (last.documents, last.collisions, last.tags, last.renamed) == ({}, {}, {}, {})


def test_tags_of_every_table_are_kept_as_text_one_table_after_the_other(tmp_path):
    tags = {
        "first": pa.table({"document": ["a"], "row": pa.array([7], pa.int64())}),
        "second": pa.table({"document": ["b", "c"], "row": pa.array([8, 9], pa.int32())}),
    }
    joined = cache._joined_tags(tags)
    assert joined.schema == pa.schema([("document", pa.string()), ("row", pa.string())])
    assert joined.to_pylist() == [
        {"document": "a", "row": "7"},
        {"document": "b", "row": "8"},
        {"document": "c", "row": "9"},
    ]
    one = cache._joined_tags({"only": pa.table({"document": ["a"]})})
    assert one.to_pylist() == [{"document": "a"}]
    empty = cache._joined_tags({})
    assert (empty.num_columns, empty.num_rows) == (0, 0)


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_a_file_no_live_document_is_read_from_is_dropped_and_removed_and_foreign_files_stay(tmp_path):
    folder = tmp_path / "cache"
    a_cache(folder)
    for name in ["notes.txt", "documents-x.parquet", "documents-7.parquet.bak"]:
        (folder / name).write_text("mine")
    store = cache.Store(folder)
    name = store.next_file()
    store.add(name, write_part(folder, name, simple(["d"])))
    # documents-1 holds a and b (both gone); documents-4 holds c, still there; d is new
    store.save({"2023/pdf/list.pdf": "c", "d.html": "d"}, tmp_path, tmp_path, {}, {}, {}, False)
    state = json.loads((folder / "state.json").read_text())
    assert state["files"] == ["documents-4.parquet", "documents-5.parquet"]
    assert names(folder) == [
        "documents-4.parquet",
        "documents-5.parquet",
        "documents-7.parquet.bak",
        "documents-x.parquet",
        "notes.txt",
        "state.json",
        "tags.parquet",
    ]
    again = cache.Store(folder)
    assert sorted(again.facts) == ["c", "d"]


def test_older_files_are_listed_before_this_run_files_in_their_order(tmp_path):
    folder = tmp_path / "cache"
    write_part(folder, "documents-3.parquet", simple(["c"]))
    write_part(folder, "documents-1.parquet", simple(["a"]))
    write_state(folder, ["documents-3.parquet", "documents-1.parquet"])
    store = cache.Store(folder)
    store.add("documents-9.parquet", write_part(folder, "documents-9.parquet", simple(["z"])))
    store.add("documents-5.parquet", write_part(folder, "documents-5.parquet", simple(["y"])))
    live = {"a": "a", "c": "c", "y": "y", "z": "z"}
    store.save(live, tmp_path, tmp_path, {}, {}, {}, False)
    state = json.loads((folder / "state.json").read_text())
    assert state["files"] == [
        "documents-3.parquet",
        "documents-1.parquet",
        "documents-9.parquet",
        "documents-5.parquet",
    ]
    assert state["documents"] == live


def test_a_file_written_in_this_run_without_live_documents_is_removed(tmp_path):
    folder = tmp_path / "cache"
    store = cache.Store(folder)
    store.add("documents-1.parquet", write_part(folder, "documents-1.parquet", simple(["a"])))
    store.add("documents-2.parquet", write_part(folder, "documents-2.parquet", simple(["b"])))
    store.save({"b.html": "b"}, tmp_path, tmp_path, {}, {}, {}, False)
    assert json.loads((folder / "state.json").read_text())["files"] == ["documents-2.parquet"]
    assert names(folder) == ["documents-2.parquet", "state.json", "tags.parquet"]


def older_run(folder: Path, count: int) -> list[str]:
    keys = [f"k{n:03}" for n in range(count)]
    write_part(folder, "documents-1.parquet", simple(keys, {key: 2 for key in keys}))
    write_state(folder, ["documents-1.parquet"])
    return keys


@pytest.mark.parametrize("live, copied", [(3, True), (4, False)])
def test_older_files_mostly_stale_are_copied_into_one_of_their_live_results(tmp_path, live, copied):
    # documents-1 holds 8 documents: copied when more than twice the live ones are there
    folder = tmp_path / "cache"
    keys = older_run(folder, 8)
    store = cache.Store(folder)
    store.save({key: key for key in keys[:live]}, tmp_path, tmp_path, {}, {}, {}, False)
    files = json.loads((folder / "state.json").read_text())["files"]
    assert files == (["documents-2.parquet"] if copied else ["documents-1.parquet"])
    assert names(folder) == [*files, "state.json", "tags.parquet"]
    kept = parquet.read_table(folder / files[0])
    assert kept["key"].to_pylist() == (keys[:3] if copied else keys)
    again = cache.Store(folder)
    assert sorted(again.facts) == (keys[:3] if copied else keys)
    assert again.results(["k001"])["k001"].result == {"credentials": [], "of": "k001"}
    assert [batch.to_pylist() for batch in again.label_batches(["k002"], LABELS, 10)] == [label_rows("k002", 2)]


def test_this_run_files_are_not_copied_however_stale(tmp_path):
    folder = tmp_path / "cache"
    store = cache.Store(folder)
    keys = [f"k{n}" for n in range(7)]
    store.add("documents-1.parquet", write_part(folder, "documents-1.parquet", simple(keys)))
    store.save({"k0": "k0"}, tmp_path, tmp_path, {}, {}, {}, False)
    assert json.loads((folder / "state.json").read_text())["files"] == ["documents-1.parquet"]


def test_a_copy_keeps_row_groups_of_64_documents_and_the_files_schema(tmp_path):
    folder = tmp_path / "cache"
    keys = older_run(folder, 200)
    store = cache.Store(folder)
    live = keys[10:76]  # 66 of 200
    store.save({key: key for key in live}, tmp_path, tmp_path, {}, {}, {}, False)
    file = parquet.ParquetFile(folder / "documents-2.parquet")
    assert [file.metadata.row_group(group).num_rows for group in range(file.num_row_groups)] == [64, 2]
    assert file.schema_arrow.names == [*FACT_COLUMNS, "result", "labels"]
    assert file.read(columns=["key"])["key"].to_pylist() == live
    again = cache.Store(folder)
    assert again._where["k075"] == ("documents-2.parquet", 1)


def test_an_older_and_a_new_file_mostly_stale_copy_only_the_older(tmp_path):
    folder = tmp_path / "cache"
    keys = older_run(folder, 7)
    store = cache.Store(folder)
    name = store.next_file()
    store.add(name, write_part(folder, name, simple(["n0", "n1"])))
    store.save({"k000": "k000", "n0": "n0", "n1": "n1"}, tmp_path, tmp_path, {}, {}, {}, False)
    # 7 older results for 3 live documents: more than twice as many
    files = json.loads((folder / "state.json").read_text())["files"]
    assert files == ["documents-3.parquet", "documents-2.parquet"]
    assert parquet.read_table(folder / "documents-3.parquet")["key"].to_pylist() == ["k000"]
    assert sorted(cache.Store(folder).facts) == ["k000", "n0", "n1"]
    assert keys[0] == "k000"


def test_past_64_files_the_smallest_are_joined_into_one(tmp_path):
    folder = tmp_path / "cache"
    store = cache.Store(folder)
    sizes = {number: 3 for number in range(1, 67)}
    sizes.update({5: 1, 17: 2, 40: 1})
    live = {}
    for number, size in sizes.items():
        keys = [f"f{number}-{n}" for n in range(size)]
        name = store.next_file()
        assert name == f"documents-{number}.parquet"
        store.add(name, write_part(folder, name, simple(keys)))
        live.update({key: key for key in keys})
    del live["f17-1"]  # still counted in its file's size, not copied
    store.save(live, tmp_path, tmp_path, {}, {}, {}, False)
    files = json.loads((folder / "state.json").read_text())["files"]
    kept = [f"documents-{number}.parquet" for number in range(1, 67) if number not in (5, 17, 40)]
    assert files == [*kept, "documents-67.parquet"]
    assert len(files) == 64
    assert parquet.read_table(folder / "documents-67.parquet")["key"].to_pylist() == ["f5-0", "f40-0", "f17-0"]
    assert names(folder) == sorted([*files, "state.json", "tags.parquet"])
    assert sorted(cache.Store(folder).facts) == sorted(live)


def test_64_files_are_kept_as_they_are(tmp_path):
    folder = tmp_path / "cache"
    store = cache.Store(folder)
    for number in range(1, 65):
        name = store.next_file()
        store.add(name, write_part(folder, name, simple([f"f{number}"])))
    store.save({f"f{n}": f"f{n}" for n in range(1, 65)}, tmp_path, tmp_path, {}, {}, {}, False)
    files = json.loads((folder / "state.json").read_text())["files"]
    assert files == [f"documents-{number}.parquet" for number in range(1, 65)]


def test_typed_rows_and_label_rows_are_read_apart_each_with_the_key_alone(tmp_path, monkeypatch):
    # label/value rows are most of a result file: reading the typed rows never reads them, nor the other way
    a_cache(tmp_path)
    store = cache.Store(tmp_path)
    reads = Reads(monkeypatch)
    assert sorted(store.results(["a", "c"])) == ["a", "c"]
    assert [batch.num_rows for batch in store.label_batches(["a", "c"], LABELS, 10)] == [5]
    assert reads.columns == [
        ["key", "result"],  # documents-1
        ["key", "result"],  # documents-4
        ["key", "labels"],
        ["key", "labels"],
    ]


# --- a result file that no longer reads back: its documents are parsed again (extract), never a crash -------------


def test_a_forgotten_file_gives_back_its_documents_keys_and_serves_none_of_them(tmp_path):
    a_cache(tmp_path)
    store = cache.Store(tmp_path)
    assert store.forget("documents-1.parquet") == {"a", "b"}
    assert ("a" in store, "b" in store, "c" in store) == (False, False, True)
    assert sorted(store.results(["c"])) == ["c"]


def replaced(folder: Path, name: str) -> None:
    """The file holds another result file's documents (copied over it): it reads, without the keys it held."""
    write_part(folder, "other.parquet", simple(["x", "y"], {"x": 1, "y": 1}))
    (folder / "other.parquet").replace(folder / name)


READS = {
    "typed rows": lambda store: store.results(["a", "c"]),
    "label rows": lambda store: list(store.label_batches(["a", "c"], LABELS, 10)),
}


@pytest.mark.parametrize("spoil", [damage, replaced], ids=["damaged", "replaced"])
@pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
def test_rows_that_do_not_read_back_name_their_file_never_left_out(tmp_path, spoil, read):
    a_cache(tmp_path)
    store = cache.Store(tmp_path)
    spoil(tmp_path, "documents-4.parquet")
    with pytest.raises(cache.BrokenPart, match="^cache file documents-4.parquet does not read back$") as raised:
        read(store)
    assert raised.value.name == "documents-4.parquet"


def damage_pages(path: Path, column: str) -> None:
    """0xff over one column's pages: the footer, and so the schema, intact."""
    metadata = parquet.ParquetFile(path).metadata
    data = bytearray(path.read_bytes())
    for group in range(metadata.num_row_groups):
        for number in range(metadata.num_columns):
            chunk = metadata.row_group(group).column(number)
            if chunk.path_in_schema.split(".")[0] == column:
                start = chunk.dictionary_page_offset or chunk.data_page_offset
                data[start : start + chunk.total_compressed_size] = b"\xff" * chunk.total_compressed_size
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda path: damage(path.parent, path.name), id="no longer parquet"),
        pytest.param(lambda path: damage_pages(path, "result"), id="typed rows' pages damaged"),
    ],
)
def test_a_mostly_stale_file_that_does_not_read_back_when_copied_names_itself(tmp_path, spoil):
    write_part(tmp_path, "documents-1.parquet", simple(["a", "b", "c"]))
    write_state(tmp_path, ["documents-1.parquet"])
    store = cache.Store(tmp_path)
    spoil(tmp_path / "documents-1.parquet")  # after it was listed: a (live) and two stale documents
    with pytest.raises(cache.BrokenPart) as raised:
        store.save({"p": "a"}, tmp_path, tmp_path, {}, {}, {}, False)
    assert raised.value.name == "documents-1.parquet"


def test_a_forgotten_document_is_no_longer_one_this_run_parsed(tmp_path):
    store = cache.Store(tmp_path)
    name = store.next_file()
    store.add(name, write_part(tmp_path, name, simple(["a", "b"])))
    assert store.parsed == {"a", "b"}
    assert store.forget(name) == {"a", "b"}
    assert (store.parsed, "a" in store) == (set(), False)


def test_only_the_files_this_runs_parsing_wrote_are_said_to_be_written_by_it(tmp_path):
    # extract counts the broken files it wrote itself (a folder that does not keep them), not the older ones
    a_cache(tmp_path)  # documents-1 and documents-4, an earlier run's
    store = cache.Store(tmp_path)
    name = store.next_file()
    store.add(name, write_part(tmp_path, name, simple(["d"])))
    assert name == "documents-5.parquet"
    written = {file: store.wrote(file) for file in ["documents-1.parquet", "documents-4.parquet", name, "x.parquet"]}
    assert written == {
        "documents-1.parquet": False,
        "documents-4.parquet": False,
        "documents-5.parquet": True,
        "x.parquet": False,
    }


# --- the cache attacked from outside: what is not a regular file, bit rot, a column gone, a folder of our name ----


def test_a_stray_file_of_a_huge_number_is_not_counted_for_the_next_names(tmp_path):
    # documents-<236 digits>.parquet made every next file name too long for the file system
    for name in ["documents-3.parquet", "documents-" + "7" * 236 + ".parquet", "documents-1000000000.parquet"]:
        (tmp_path / name).write_bytes(b"")
    assert cache.Store(tmp_path).next_file() == "documents-4.parquet"


@pytest.mark.parametrize("made", ["a FIFO", "a folder"])
def test_a_cache_parquet_file_that_is_no_regular_file_raises_at_once_naming_it(tmp_path, made):
    # a FIFO in the place of a result file hung the run: it is refused before it is opened
    path = tmp_path / "documents-1.parquet"
    os.mkfifo(path) if made == "a FIFO" else path.mkdir()
    with pytest.raises(OSError) as raised:
        cache._parquet_file(tmp_path, "documents-1.parquet")
    assert (raised.value.errno, raised.value.strerror, raised.value.filename) == (
        errno.EINVAL,
        f"{made}, not a regular file",
        str(path),
    )


def test_a_fifo_in_the_place_of_a_listed_result_file_is_a_broken_file_not_a_hang(tmp_path):
    a_cache(tmp_path)
    store = cache.Store(tmp_path)
    (tmp_path / "documents-4.parquet").unlink()
    os.mkfifo(tmp_path / "documents-4.parquet")
    for read in READS.values():
        with pytest.raises(cache.BrokenPart, match="^cache file documents-4.parquet does not read back$"):
            read(store)
    assert sorted(store.results(["a"])) == ["a"]  # the other file still serves


@pytest.mark.parametrize("name", ["state.json", "documents-1.parquet"])
def test_a_fifo_in_the_place_of_the_state_or_a_listed_file_reads_as_an_empty_cache(tmp_path, name):
    a_cache(tmp_path)
    (tmp_path / name).unlink()
    os.mkfifo(tmp_path / name)
    store = cache.Store(tmp_path)
    assert (store.state, store.facts, store._where) == ({}, {}, {})


def test_a_fifo_in_the_place_of_the_tags_gives_no_last_run(tmp_path):
    saved(tmp_path / "cache", tmp_path / "raw", tmp_path / "out")
    (tmp_path / "cache" / "tags.parquet").unlink()
    os.mkfifo(tmp_path / "cache" / "tags.parquet")
    assert cache.Store(tmp_path / "cache").last_run(tmp_path / "raw", tmp_path / "out") is None


TAG_TEXT = b"x/b.html"


def rot(path: Path, old: bytes, new: bytes) -> None:
    """A few bytes changed on disk, the file still a readable Parquet file."""
    data = path.read_bytes()
    assert data.count(old) >= 1  # the premise: the value lies in the file as plain bytes (its pages, its statistics)
    path.write_bytes(data.replace(old, new))


def test_a_result_file_with_a_few_bytes_changed_on_disk_is_a_broken_file_never_data(tmp_path):
    # bit rot was served as data: pages are written with checksums, verified on read
    write_part(tmp_path, "documents-1.parquet", [(facts("a"), {"lifespan": "5 years, as page one says"}, 1)])
    write_state(tmp_path, ["documents-1.parquet"])
    store = cache.Store(tmp_path)
    assert store.results(["a"])["a"].result == {"lifespan": "5 years, as page one says"}
    rot(tmp_path / "documents-1.parquet", b"5 years, as page one says", b"9 years, as page one says")
    with pytest.raises(cache.BrokenPart, match="^cache file documents-1.parquet does not read back$"):
        store.results(["a"])


def test_label_rows_with_a_few_bytes_changed_on_disk_are_a_broken_file_never_data(tmp_path):
    write_part(tmp_path, "documents-1.parquet", [(facts("a"), {}, 1)])
    write_state(tmp_path, ["documents-1.parquet"])
    store = cache.Store(tmp_path)
    rot(tmp_path / "documents-1.parquet", b"a value 0", b"a value 9")
    with pytest.raises(cache.BrokenPart, match="^cache file documents-1.parquet does not read back$"):
        list(store.label_batches(["a"], LABELS, 10))


def test_a_copy_of_mostly_stale_files_is_written_with_page_checksums(tmp_path):
    write_part(tmp_path, "documents-1.parquet", [(facts(k), {"of": f"{k} stays"}, 1) for k in ["a", "b", "c"]])
    write_state(tmp_path, ["documents-1.parquet"])
    store = cache.Store(tmp_path)
    store.save({"p": "a"}, tmp_path, tmp_path, {}, {}, {}, False)
    (copy,) = json.loads((tmp_path / "state.json").read_text())["files"]
    assert copy == "documents-2.parquet"
    rot(tmp_path / copy, b"a stays", b"z stays")
    with pytest.raises(cache.BrokenPart, match="^cache file documents-2.parquet does not read back$"):
        cache.Store(tmp_path).results(["a"])


def test_tags_with_a_few_bytes_changed_on_disk_give_no_last_run(tmp_path):
    folder = tmp_path / "cache"
    saved(folder, tmp_path / "raw", tmp_path / "out")
    assert cache.Store(folder).last_run(tmp_path / "raw", tmp_path / "out") is not None
    rot(folder / "tags.parquet", TAG_TEXT, TAG_TEXT.upper())
    assert cache.Store(folder).last_run(tmp_path / "raw", tmp_path / "out") is None


def without_column(path: Path, column: str) -> None:
    table = parquet.read_table(path)
    parquet.write_table(table.drop_columns([column]), path)


@pytest.mark.parametrize(
    "read, column",
    [
        (READS["typed rows"], "result"),
        (READS["typed rows"], "key"),
        (READS["label rows"], "labels"),
        (READS["label rows"], "key"),
    ],
    ids=["typed rows, result", "typed rows, key", "label rows, labels", "label rows, key"],
)
def test_a_result_file_without_one_of_its_columns_is_a_broken_file_not_a_crash(tmp_path, read, column):
    # a result file without its labels column stopped every run with a KeyError
    a_cache(tmp_path)
    store = cache.Store(tmp_path)
    without_column(tmp_path / "documents-4.parquet", column)
    with pytest.raises(cache.BrokenPart, match="^cache file documents-4.parquet does not read back$"):
        read(store)


def test_a_folder_of_a_result_file_name_is_none_of_ours_and_stays(tmp_path):
    folder = tmp_path / "cache"
    a_cache(folder)
    (folder / "documents-2.parquet").mkdir()
    (folder / "documents-2.parquet" / "notes.txt").write_text("mine")
    store = cache.Store(folder)
    store.save({"2023/pdf/list.pdf": "c"}, tmp_path, tmp_path, {}, {}, {}, False)
    assert json.loads((folder / "state.json").read_text())["files"] == ["documents-4.parquet"]
    assert names(folder) == ["documents-2.parquet", "documents-4.parquet", "state.json", "tags.parquet"]
    assert (folder / "documents-2.parquet" / "notes.txt").read_text() == "mine"
