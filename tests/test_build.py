"""pipeline/tables/build.py: typed rows -> tagged, validated tables; kept and built rows put together, in process.

Credentials, label/value rows and kept tables are written by hand here; every expected group, tag, slug,
collision note, page text and row order is written from the rules in the module's docstrings and the contract
(a collision renames to `<slug>-<cred_id>`, rows sorted by key, nulls first), never from pipeline code.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from pipeline.tables import build
from pipeline.tables.rows import CredentialRows, Source
from schemas.tables import CHILD_TABLES

US = "\x1f"  # the separator of a group's school year and slug
Y = "2023-2024"
TEXT = pd.StringDtype("pyarrow")


def _path(number: int, fmt: str = "html") -> str:
    return f"{Y}/{fmt}/credential_{number}.{fmt}"


def _found(number, slug, name, cred_id, *, fmt="html", block=1, children=None, **columns) -> CredentialRows:
    """A credential as read from `credential_<number>.<fmt>`, its child rows (without their join columns)."""
    path = _path(number, fmt)
    credential = {
        "school_year": Y,
        "cred_id": cred_id,
        "credential_slug": slug,
        "credential_name": name,
        "is_draft": False,
        "source_format": fmt,
        "complete": True,
        "source_path": path,
        "source_sha256": "a" * 64,
        **columns,
    }
    rows = {table: [] for table in CHILD_TABLES}
    for table, items in (children or {}).items():
        rows[table] = [{"school_year": Y, "credential_slug": slug, "source_path": path, **item} for item in items]
    return CredentialRows(credential, rows, Source(path, None, "a" * 64, fmt, Y, False, cred_id), None, block)


# label_values' columns, in the contract's order
LABEL_COLUMNS = ["school_year", "source_path", "block", "credential_slug", "label", "label_raw", "value", "position"]
LABELS = pa.schema([(name, pa.int64() if name in ("block", "position") else pa.string()) for name in LABEL_COLUMNS])


def _labels(*rows: tuple) -> pa.Table:
    """label_values rows: (source_path, block, slug, label, value), school year Y."""
    return pa.table(
        {
            "school_year": [Y] * len(rows),
            "source_path": [row[0] for row in rows],
            "block": pa.array([row[1] for row in rows], pa.int64()),
            "credential_slug": [row[2] for row in rows],
            "label": [row[3] for row in rows],
            "label_raw": [row[3] or "Practice Test Provider" for row in rows],
            "value": [row[4] for row in rows],
            "position": pa.array(range(1, len(rows) + 1), pa.int64()),
        },
        schema=LABELS,
    )


def _column(data: pd.DataFrame, name: str) -> list:
    return [None if value is pd.NA else value for value in data[name]]


# --- groups ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "year, slug, group",
    [("2023-2024", "osha-10", f"2023-2024{US}osha-10"), (None, "osha-10", f"{US}osha-10"), ("2023-2024", None, None)],
)
def test_a_group_is_the_school_year_and_the_slug_as_found_and_none_without_a_slug(year, slug, group):
    assert build.group_of(year, slug) == group


def test_label_rows_get_the_group_their_block_s_credential_would():
    labels = pa.table({"school_year": ["2023-2024", None, "2024-2025"], "credential_slug": ["a", "b", None]})
    assert build.label_groups(labels).to_pylist() == [f"2023-2024{US}a", f"{US}b", None]


def test_the_groups_of_credentials_are_their_years_and_slugs_as_found():
    credentials = [_found(1, "a", "A", 1), _found(2, "a", "A", 2), _found(3, "b", "B", 3)]
    assert build.groups_of(credentials) == {f"{Y}{US}a", f"{Y}{US}b"}


# --- label/value rows -----------------------------------------------------------------------------------------


def test_documents_label_columns_become_one_table_in_document_order_with_label_values_types():
    first = {
        "school_year": [Y, Y],
        "source_path": ["p1", "p1"],
        "block": [1, 1],
        "credential_slug": ["a", "a"],
        "label": ["Credential Name", None],
        "label_raw": ["Credential Name", "Practice Test Provider"],
        "value": ["A", "Acme"],
        "position": [1, 2],
    }
    second = {**{name: values[:1] for name, values in first.items()}, "source_path": ["p2"], "value": ["B"]}
    table = build.label_table([first, {}, second])
    assert table.to_pydict() == {
        "school_year": [Y, Y, Y],
        "source_path": ["p1", "p1", "p2"],
        "block": [1, 1, 1],
        "credential_slug": ["a", "a", "a"],
        "label": ["Credential Name", None, "Credential Name"],
        "label_raw": ["Credential Name", "Practice Test Provider", "Credential Name"],
        "value": ["A", "Acme", "B"],
        "position": [1, 2, 1],
    }
    assert [str(t) for t in table.schema.types] == ["string"] * 2 + ["int64"] + ["string"] * 4 + ["int64"]


def test_no_documents_give_an_empty_label_table_with_its_columns():
    table = build.label_table([{}, {}])
    assert table.num_rows == 0
    assert table.column_names == LABEL_COLUMNS


def test_validated_label_rows_keep_their_row_numbers_and_each_reject_its_row_s_tags():
    labels = _labels(
        (_path(1), 1, "a", "Credential Name", "A"),
        (_path(1), 0, "a", "Credential Name", "A"),  # block 0: fails `from 1`
        (_path(2), 1, None, "Credential Name", "B"),  # no slug (a cut title): no group
        (_path(2), 1, None, None, "B"),
    )
    valid, rejects = build.validated_labels(labels)
    assert list(valid.index) == [0, 2, 3]
    assert _column(valid, "source_path") == [_path(1), _path(2), _path(2)]
    assert [(r["check"], r[build.DOC], r[build.GROUP], r[build.ROW]) for r in rejects] == [
        ("greater_than_or_equal_to(1)", _path(1), f"{Y}{US}a", 1)
    ]
    assert type(rejects[0][build.ROW]) is int


def test_a_rejected_label_row_without_a_slug_has_no_group_not_a_missing_value():
    labels = _labels((_path(2), 0, None, "Credential Name", "B"))
    _, rejects = build.validated_labels(labels)
    assert [(r[build.DOC], r[build.GROUP], r[build.ROW]) for r in rejects] == [(_path(2), None, 0)]


# --- build: merge, rename, tag, validate ----------------------------------------------------------------------

SOC = {"soc_code": "47-2061", "soc_title": "Construction Laborers"}


def _collided() -> list[CredentialRows]:
    """Two OSHA 10s with different ids (a collision), one BLS from two copies that disagree on the vendor, and a
    credential whose name is empty (its row and its SOC row go)."""
    return [
        _found(11, "osha-10", "OSHA 10", 11, children={"credential_soc_codes": [SOC]}),
        _found(12, "osha-10", "OSHA 10", 12),
        _found(30, "bls", "BLS", 30, vendor_name="AHA"),
        _found(31, "bls", "BLS", 30, fmt="text", vendor_name="Red Cross"),
        _found(40, "gone", "", 40, children={"credential_soc_codes": [SOC]}),
    ]


LISTING = {
    "school_year": Y,
    "course_code": "IM11",
    "course_title": "Intro",
    "credential_name": "BLS",
    "credential_slug": "bls",
    "source_path": f"{Y}/pdf/listing.pdf",
}


def test_colliding_slugs_are_renamed_and_every_row_is_tagged_with_the_group_it_was_found_in():
    built = build.build(_collided(), [LISTING], lambda: [])
    osha, bls, gone = f"{Y}{US}osha-10", f"{Y}{US}bls", f"{Y}{US}gone"
    credentials = built.tables["credentials"].sort_values("credential_slug")
    assert list(zip(_column(credentials, "credential_slug"), _column(credentials, build.GROUP), strict=True)) == [
        ("bls", bls),
        ("osha-10-11", osha),
        ("osha-10-12", osha),
    ]
    assert _column(credentials, build.DOC) == [None, None, None]
    socs = built.tables["credential_soc_codes"]
    assert [_column(socs, c) for c in ("credential_slug", build.DOC, build.GROUP)] == [["osha-10-11"], [None], [osha]]
    courses = built.tables["course_credentials"]
    assert [_column(courses, c) for c in (build.DOC, build.GROUP)] == [[f"{Y}/pdf/listing.pdf"], [None]]
    conflicts = built.tables["conflicts"]
    assert [_column(conflicts, c) for c in ("column", "chosen", "other", build.GROUP)] == [
        ["vendor_name"],
        ["AHA"],
        ["Red Cross"],
        [bls],
    ]
    assert built.collisions == {
        osha: [
            "2023-2024 osha-10: credentials with different cred_ids (11, 12) share this slug; "
            "each is written as osha-10-<cred_id>"
        ]
    }
    assert built.renamed == {osha: {f"{_path(11)}{US}1": "osha-10-11", f"{_path(12)}{US}1": "osha-10-12"}}
    assert built.entangled is False
    assert built.written == {(Y, "osha-10-11"): osha, (Y, "osha-10-12"): osha, (Y, "bls"): bls, (Y, "gone"): gone}


def test_a_dropped_credential_s_child_rows_are_rejected_with_its_tags_and_every_reject_is_tagged():
    built = build.build(_collided(), [LISTING], lambda: [])
    rejects = built.tables["rejects"].sort_values("check")
    assert [_column(rejects, c) for c in ("table", "key", "check", build.DOC, build.GROUP)] == [
        ["credential_soc_codes", "credentials"],
        [f"{Y}/gone/47-2061", f"{Y}/gone"],
        ["credential_row_exists", "str_length(1, None)"],
        [None, None],
        [f"{Y}{US}gone", f"{Y}{US}gone"],
    ]
    assert "gone" not in _column(built.tables["credential_soc_codes"], "credential_slug")
    assert str(rejects[build.GROUP].dtype) == str(build.TAG_DTYPE)


def test_a_listing_row_s_reject_is_tagged_with_its_document():
    bad = {**LISTING, "course_code": "not a code"}
    built = build.build([], [bad], lambda: [])
    rejects = built.tables["rejects"]
    assert [_column(rejects, c) for c in ("table", "column", build.DOC, build.GROUP)] == [
        ["course_credentials"],
        ["course_code"],
        [f"{Y}/pdf/listing.pdf"],
        [None],
    ]


def test_a_renamed_slug_that_is_another_credential_s_own_slug_entangles_the_two_groups():
    credentials = [
        _found(11, "osha-10", "OSHA 10", 11),
        _found(12, "osha-10", "OSHA 10", 12),
        _found(50, "osha-10-11", "OSHA 10 11", 50),  # its own slug is the first one's new one
        _found(30, "bls", "BLS", 30),
    ]
    assert build.build(credentials, [], lambda: []).entangled is True
    assert build.build(credentials[1:], [], lambda: []).entangled is False


def test_a_number_no_column_holds_is_rejected_with_its_row_s_tags():
    built = build.build([_found(11, "osha-10", "OSHA 10", 11, exam_minutes=10**30)], [], lambda: [])
    rejects = built.tables["rejects"]
    assert [_column(rejects, c) for c in ("check", build.DOC, build.GROUP)] == [
        ["fits_int64"],
        [None],
        [f"{Y}{US}osha-10"],
    ]


# --- the page's own text on a reject --------------------------------------------------------------------------

EXAM = "Exam Time Allotment"


def _page_texts(credentials, batches) -> dict[str, str | None]:
    rejects = build.build(credentials, [], lambda: batches).tables["rejects"]
    return dict(zip(_column(rejects, "key"), _column(rejects, "page_text"), strict=True))


def test_a_rejected_value_gets_its_own_page_s_text_following_the_slug_a_collision_gave():
    credentials = [
        _found(11, "osha-10", "OSHA 10", 11, exam_minutes=0),
        _found(12, "osha-10", "OSHA 10", 12, exam_minutes=0),
    ]
    batches = [
        _labels(
            (_path(11), 1, "osha-10", EXAM, "0 minutes"),
            (_path(12), 1, "osha-10", "Exam Passing Requirement", "70%"),
        ),
        _labels((_path(12), 1, "osha-10", EXAM, "zero minutes")),
    ]
    assert _page_texts(credentials, batches) == {f"{Y}/osha-10-11": "0 minutes", f"{Y}/osha-10-12": "zero minutes"}


def test_a_reject_shows_another_copy_s_text_only_when_its_own_page_has_none():
    credentials = [
        _found(30, "bls", "BLS", 30, exam_minutes=0),
        _found(31, "bls", "BLS", 30, fmt="text", exam_minutes=0),
    ]
    own_first = [_labels((_path(31, "text"), 1, "bls", EXAM, "0 hours"), (_path(30), 1, "bls", EXAM, "0 min"))]
    assert _page_texts(credentials, own_first) == {f"{Y}/bls": "0 min"}
    own_empty = [_labels((_path(30), 1, "bls", EXAM, None), (_path(31, "text"), 1, "bls", EXAM, "0 hours"))]
    assert _page_texts(credentials, own_empty) == {f"{Y}/bls": "0 hours"}
    first_copy_wins = [_labels((_path(32), 1, "bls", EXAM, "0 h"), (_path(31, "text"), 1, "bls", EXAM, "0 hours"))]
    assert _page_texts(credentials, first_copy_wins) == {f"{Y}/bls": "0 h"}


def test_a_child_row_s_reject_gets_its_label_s_text_and_a_row_without_a_label_none():
    soc = {"soc_code": "not a code", "soc_title": "Laborers"}
    credentials = [_found(11, "osha-10", "OSHA 10", 11, children={"credential_soc_codes": [soc]})]
    label = "SOC (Standard Occupational Classification) Code(s)"
    batches = [_labels((_path(11), 1, "osha-10", label, "not a code - Laborers"))]
    rejects = build.build(credentials, [], lambda: batches).tables["rejects"]
    assert _column(rejects, "page_text") == ["not a code - Laborers"]
    gone = [_found(40, "gone", "", 40)]  # credential_name: no label of the field map gives it
    assert _page_texts(gone, [_labels((_path(40), 1, "gone", "Credential Name", ""))]) == {f"{Y}/gone": None}


def test_label_rows_are_read_only_when_a_reject_wants_its_page_s_text():
    def unread():
        raise AssertionError("label rows read with no reject wanting them")

    built = build.build([_found(30, "bls", "BLS", 30)], [LISTING], unread)
    assert len(built.tables["rejects"]) == 0


def test_a_reject_without_a_key_gets_no_page_text():
    rejects = [{"table": "credentials", "key": None, "column": "exam_minutes", "source_path": _path(11)}]
    build._add_page_texts(rejects, lambda: [_labels((_path(11), 1, "x", EXAM, "0"))], {})
    assert rejects[0]["page_text"] is None


# --- label rows follow a renamed slug -------------------------------------------------------------------------


def test_label_rows_of_a_renamed_block_take_its_new_slug_and_the_others_keep_theirs():
    labels = _labels(
        (_path(11), 1, "osha-10", "Credential Name", "OSHA 10"),
        (_path(11), 2, "osha-10", "Credential Name", "OSHA 10"),  # another block of the same page: not renamed
        (_path(12), 1, "osha-10", "Credential Name", "OSHA 10"),
        (_path(13), 1, None, "Credential Name", None),
    )
    renamed = {f"{Y}{US}osha-10": {f"{_path(11)}{US}1": "osha-10-11"}, f"{Y}{US}x": {f"{_path(13)}{US}1": "x-13"}}
    result = build.renamed_labels(labels, renamed)
    assert result["credential_slug"].to_pylist() == ["osha-10-11", "osha-10", "osha-10", "x-13"]
    assert result.column_names == labels.column_names
    assert result.drop_columns(["credential_slug"]).equals(labels.drop_columns(["credential_slug"]))


def test_nothing_renamed_or_no_label_rows_leaves_the_rows_as_they_are():
    labels = _labels((_path(11), 1, "osha-10", "Credential Name", "OSHA 10"))
    assert build.renamed_labels(labels, {}) is labels
    empty = labels.slice(0, 0)
    assert build.renamed_labels(empty, {f"{Y}{US}osha-10": {f"{_path(11)}{US}1": "osha-10-11"}}) is empty


# --- assemble: kept and built rows, in key order --------------------------------------------------------------


def _tables(credentials: list[tuple], rejects: list[tuple] | None = None) -> dict[str, pd.DataFrame]:
    """Every typed table empty but credentials (school_year, credential_slug, cred_id) and rejects (table, key,
    page_text; check `c`)."""
    frames = {name: pd.DataFrame({"school_year": pd.Series([], dtype=TEXT)}) for name in build.TYPED}
    frames["credentials"] = pd.DataFrame(
        {
            "school_year": pd.Series([row[0] for row in credentials], dtype=TEXT),
            "credential_slug": pd.Series([row[1] for row in credentials], dtype=TEXT),
            "cred_id": pd.Series([row[2] for row in credentials], dtype="Int64"),
        }
    )
    rows = rejects or []
    frames["rejects"] = pd.DataFrame(
        {
            "table": pd.Series([row[0] for row in rows], dtype=TEXT),
            "key": pd.Series([row[1] for row in rows], dtype=TEXT),
            "check": pd.Series(["c"] * len(rows), dtype=TEXT),
            "page_text": pd.Series([row[2] for row in rows], dtype=TEXT),
        }
    )
    return frames


def _rows(data: pd.DataFrame) -> list[tuple]:
    return [tuple(None if value is pd.NA else value for value in row) for row in data.itertuples(index=False)]


def test_kept_and_built_rows_are_sorted_by_every_key_column_with_a_fresh_index():
    kept = _tables([("2024-2025", "b", 2), ("2024-2025", "d", 4)])
    built = _tables([("2024-2025", "c", 3), ("2023-2024", "z", 26), ("2024-2025", "a", 1)])
    credentials = build.assemble(kept, built)["credentials"]
    assert _rows(credentials) == [
        ("2023-2024", "z", 26),
        ("2024-2025", "a", 1),
        ("2024-2025", "b", 2),
        ("2024-2025", "c", 3),
        ("2024-2025", "d", 4),
    ]
    assert list(credentials.index) == [0, 1, 2, 3, 4]


def test_a_built_key_that_is_a_kept_key_makes_the_caller_build_everything():
    kept = _tables([("2023-2024", "a", 1), ("2024-2025", "b", 2), ("2024-2025", "z", 9)])
    assert build.assemble(kept, _tables([("2024-2025", "b", 7)])) is None
    assert build.assemble(kept, _tables([("2024-2025", "z", 7)])) is None  # the last key too
    assert build.assemble(kept, _tables([("2023-2024", "b", 7)])) is not None  # one key column equal is no repeat


def test_rejects_kept_and_built_may_share_a_key_and_sort_nulls_first_ties_in_their_order():
    """Every key column of rejects equal: the kept reject, then the built one (page_text is no key column)."""
    kept = _tables([], [("credentials", f"{Y}/b", "kept"), ("credentials", None, "kept, no key")])
    built = _tables([], [("credentials", f"{Y}/b", "built"), ("conflicts", f"{Y}/z", "built, conflicts")])
    rejects = build.assemble(kept, built)["rejects"]
    assert _rows(rejects) == [
        ("conflicts", f"{Y}/z", "c", "built, conflicts"),
        ("credentials", None, "c", "kept, no key"),
        ("credentials", f"{Y}/b", "c", "kept"),
        ("credentials", f"{Y}/b", "c", "built"),
    ]


def test_built_rows_alone_are_sorted_and_an_empty_kept_table_is_no_part():
    built = _tables([("2024-2025", "b", 2), ("2024-2025", "a", 1)])
    for kept in ({}, _tables([])):
        credentials = build.assemble(kept, built)["credentials"]
        assert _rows(credentials) == [("2024-2025", "a", 1), ("2024-2025", "b", 2)]
    empty = build.assemble({}, _tables([]))
    assert all(len(empty[name]) == 0 for name in build.TYPED)
    assert list(empty) == list(build.TYPED)


def test_one_built_row_with_a_kept_row_of_the_same_key_in_one_table_is_a_repeat_even_as_a_single_pair():
    assert build.assemble(_tables([("2024-2025", "a", 1)]), _tables([("2024-2025", "a", 2)])) is None


def _frame(values: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"n": pd.Series(values, dtype="Int64", index=[10 + i for i in range(len(values))])})


@pytest.mark.parametrize(
    "values, order, expected",
    [
        ([5], [0], [5]),
        ([5, 6, 7], [0, 1, 2], [5, 6, 7]),  # one run: in order already
        ([5, 6, 7, 8], [2, 3, 0, 1], [7, 8, 5, 6]),  # two runs
        ([5, 6, 7, 8, 9], [3, 0, 1, 4, 2], [8, 5, 6, 9, 7]),  # a run between single rows
        ([5, 6, 7], [2, 1, 0], [7, 6, 5]),  # every step back
    ],
)
@pytest.mark.parametrize("few_runs", [256, 1])
def test_rows_are_put_in_the_order_given_by_slices_or_by_taking_them(monkeypatch, values, order, expected, few_runs):
    monkeypatch.setattr(build, "FEW_RUNS", few_runs)
    result = build._in_order(_frame(values), pa.array(order, pa.uint64()))
    assert result["n"].to_list() == expected
    assert list(result.index) == list(range(len(values)))


def test_an_empty_table_in_order_is_empty():
    assert len(build._in_order(_frame([]), pa.array([], pa.uint64()))) == 0


def test_the_order_of_an_arrow_table_is_by_its_key_columns_nulls_first():
    data = pa.table(
        {
            "table": ["credentials", "credentials", "conflicts", "credentials"],
            "key": [f"{Y}/b", None, f"{Y}/z", f"{Y}/a"],
            "check": ["c", "c", "c", "c"],
            "failure_case": ["1", "2", "3", "4"],
            "other": ["x", "a", "b", "c"],  # no key column: not used
        }
    )
    assert build.order_of("rejects", data).to_pylist() == [2, 1, 3, 0]


@pytest.mark.parametrize(
    "rows, repeats",
    [
        ([], False),
        ([("a", "b")], False),
        ([("a", "b"), ("a", "b")], True),
        ([("a", "b"), ("a", "c"), ("a", "c")], True),
        ([("a", "b"), ("a", "c"), ("b", "c")], False),
        ([("a", "b"), ("b", "b")], False),
    ],
)
def test_two_neighbouring_rows_repeat_only_when_equal_in_every_key_column(rows, repeats):
    keys = pa.table(
        {"x": [row[0] for row in rows], "y": [row[1] for row in rows]},
        schema=pa.schema([("x", pa.string()), ("y", pa.string())]),
    )
    assert build._repeats(keys) is repeats


# --- tags -----------------------------------------------------------------------------------------------------


def test_untagged_drops_the_tags_and_tags_table_keeps_them_as_text_in_row_order():
    data = pd.DataFrame(
        {
            "credential_slug": pd.Series(["a", "b"], dtype=TEXT),
            build.DOC: pd.Series([None, "p"], dtype=build.TAG_DTYPE),
            build.GROUP: pd.Series([f"{Y}{US}a", None], dtype=build.TAG_DTYPE),
        }
    )
    assert list(build.untagged(data)) == ["credential_slug"]
    assert list(build.untagged(data[["credential_slug"]])) == ["credential_slug"]
    tags = build.tags_table(data)
    assert tags.to_pydict() == {build.DOC: [None, "p"], build.GROUP: [f"{Y}{US}a", None]}
    assert tags.schema.types == [pa.string(), pa.string()]


def test_a_rejects_frame_carries_each_reject_s_tags():
    rejects = [
        {"table": "credentials", "check": "c", build.DOC: None, build.GROUP: f"{Y}{US}a"},
        {"table": "course_credentials", "check": "c", build.DOC: "listing.pdf", build.GROUP: None},
    ]
    data = build.rejects_frame(rejects)
    assert [_column(data, c) for c in ("table", build.DOC, build.GROUP)] == [
        ["credentials", "course_credentials"],
        [None, "listing.pdf"],
        [f"{Y}{US}a", None],
    ]


# --- written for the first mutmut run's survivors (tests/mutants_triage.md) -----------------------------------


@pytest.mark.parametrize(
    "values, order, few_runs",
    [([5], [0], 256), ([5, 6], [0, 1], 256), ([5, 6, 7], [2, 0, 1], 256), ([5, 6, 7], [2, 0, 1], 1)],
    ids=["one row", "one run", "by slices", "by taking"],
)
def test_rows_put_in_order_keep_their_columns_and_nothing_of_their_old_index(monkeypatch, values, order, few_runs):
    monkeypatch.setattr(build, "FEW_RUNS", few_runs)
    result = build._in_order(_frame(values), pa.array(order, pa.uint64()))
    assert list(result.columns) == ["n"]
    assert list(result.index) == list(range(len(values)))


def test_two_rows_are_put_in_order_too():
    assert build._in_order(_frame([5, 6]), pa.array([1, 0], pa.uint64()))["n"].to_list() == [6, 5]


def test_every_built_table_s_tags_are_text_as_the_kept_tables_read_back():
    built = build.build(_collided(), [LISTING], lambda: [])
    dtypes = {(name, tag): data[tag].dtype for name, data in built.tables.items() for tag in (build.DOC, build.GROUP)}
    assert dtypes == {key: TEXT for key in dtypes}
    assert len(dtypes) == 2 * 8  # every table built from documents but label_values, and rejects


def test_a_repeat_among_built_rows_alone_is_no_reason_to_build_everything():
    """None only when a built row's key is also a kept row's; rejects of one row may repeat a key."""
    built = _tables([], [("credentials", f"{Y}/a", "one"), ("credentials", f"{Y}/a", "two")])
    built["credentials"] = _tables([("2024-2025", "a", 1), ("2024-2025", "a", 2)])["credentials"]
    tables = build.assemble({}, built)
    assert tables is not None
    assert _rows(tables["credentials"]) == [("2024-2025", "a", 1), ("2024-2025", "a", 2)]


def test_rows_equal_in_every_key_column_keep_their_order_whatever_their_index():
    built = _tables([], [("credentials", f"{Y}/a", "first"), ("credentials", f"{Y}/a", "second")])
    built["rejects"] = built["rejects"].set_axis([1, 0])
    assert _rows(build.assemble({}, built)["rejects"]) == [
        ("credentials", f"{Y}/a", "c", "first"),
        ("credentials", f"{Y}/a", "c", "second"),
    ]
