"""pipeline/compare/diff.py: what changed between two outputs (or two school years of one), in process.

Every output here is written by hand (a few credentials, their child rows, as Parquet files the way an older or
newer writer could have written them), and every expected report is written by hand from those rows: which
credential was added, removed, renamed, which value and which child row changed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from pyarrow import parquet

from pipeline.compare import diff

SCHEMA_KEY = b"nccte:schema"

TYPES = {
    "credentials": {
        "school_year": pa.large_string(),
        "cred_id": pa.int64(),
        "credential_slug": pa.large_string(),
        "credential_name": pa.large_string(),
        "is_draft": pa.bool_(),
        "exam_minutes": pa.int64(),
        "passing_score_percent": pa.float64(),
        "retake_policy": pa.large_string(),
        "complete": pa.bool_(),
        "source_url": pa.large_string(),
        "source_sha256": pa.large_string(),
    },
    "credential_courses": {
        "school_year": pa.large_string(),
        "credential_slug": pa.large_string(),
        "course_code": pa.large_string(),
        "course_title": pa.large_string(),
        "source_path": pa.large_string(),
    },
    "credential_pathways": {
        "school_year": pa.large_string(),
        "credential_slug": pa.large_string(),
        "pathway_name": pa.large_string(),
        "pathway_code": pa.large_string(),
    },
    "credential_soc_codes": {
        "school_year": pa.large_string(),
        "credential_slug": pa.large_string(),
        "soc_code": pa.large_string(),
        "soc_title": pa.large_string(),
    },
    "instructor_training_costs": {
        "school_year": pa.large_string(),
        "credential_slug": pa.large_string(),
        "option": pa.int64(),
        "amount_usd": pa.float64(),
        "condition": pa.large_string(),
    },
}
CHILDREN = ("credential_courses", "credential_pathways", "credential_soc_codes", "instructor_training_costs")


def cred(year, cred_id, slug, name, **values):
    row = {"school_year": year, "cred_id": cred_id, "credential_slug": slug, "credential_name": name}
    defaults = {"is_draft": False, "exam_minutes": 60, "passing_score_percent": 70.0, "complete": True}
    defaults |= {"retake_policy": None, "source_url": f"https://example.org/{slug}", "source_sha256": "aa"}
    return row | defaults | values


def write(out: Path, tables: dict, version: str | None = "3", types: dict | None = None, pandas_meta=False) -> Path:
    """Write an output's parquet/ by hand: every table (credentials and its four children), rows as given.

    `types` overrides a table's column types ({table: {column: type or None (left out)}}); `pandas_meta` writes
    the frame through pandas with nullable dtypes, as the extractor does (read back as Arrow-typed columns)."""
    folder = out / "parquet"
    folder.mkdir(parents=True)
    for name in ("credentials", *CHILDREN):
        if name not in tables:
            continue
        columns = {**TYPES[name], **(types or {}).get(name, {})}
        schema = pa.schema([(column, kind) for column, kind in columns.items() if kind is not None])
        rows = [{column: row.get(column) for column in schema.names} for row in tables[name]]
        table = pa.Table.from_pylist(rows, schema=schema)
        if pandas_meta:
            table = pa.Table.from_pandas(table.to_pandas(types_mapper=_nullable), preserve_index=False)
        if version is not None:
            table = table.replace_schema_metadata({**(table.schema.metadata or {}), SCHEMA_KEY: version.encode()})
        parquet.write_table(table, folder / f"{name}.parquet")
    return out


def _nullable(kind):
    return {
        pa.large_string(): pd.StringDtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }.get(kind)


def output(out: Path, credentials, children=None, **kwargs) -> Path:
    return write(out, {"credentials": credentials, **{name: [] for name in CHILDREN}, **(children or {})}, **kwargs)


def ident(year, cred_id, slug, name):
    return {"school_year": year, "cred_id": cred_id, "credential_slug": slug, "credential_name": name}


Y = "2024-2025"
WELD = cred(Y, 101, "welding-basics", "Welding Basics")
CNA = cred(Y, 102, "cna", "Certified Nursing Assistant", exam_minutes=90)
EXCEL = cred(Y, 103, "excel", "Microsoft Excel")
OSHA = cred(Y, 104, "osha-10", "OSHA 10-Hour General Industry")
CNA_ID = ident(Y, 102, "cna", "Certified Nursing Assistant")


def counts(**given):
    zero = dict.fromkeys(("added", "removed", "renamed", "changed", "values", "child_rows", "schema"), 0)
    return zero | {"not_in_this_copy": 0, "not_in_old_copy": 0, "unseen": 0} | given


# --- reading an output ---------------------------------------------------------------------------------------


def test_an_output_without_a_parquet_folder_is_refused_naming_the_folder(tmp_path):
    with pytest.raises(diff.DiffError) as raised:
        diff.read_output(tmp_path)
    assert str(raised.value) == f"{tmp_path}: no parquet/ folder (not an extract output?)"
    assert not isinstance(raised.value, diff.UnreadableOutput)


@pytest.mark.parametrize(
    "content, detail",
    [
        (b"", "Parquet file size is 0 bytes"),
        (b"PAR1 this is no parquet file at all, only its first magic bytes", "magic bytes not found"),
    ],
)
def test_a_file_that_is_not_parquet_is_unreadable_naming_the_file_and_the_cause_on_one_line(tmp_path, content, detail):
    output(tmp_path, [WELD])
    bad = tmp_path / "parquet" / "credential_courses.parquet"
    bad.write_bytes(content)
    with pytest.raises(diff.UnreadableOutput) as raised:
        diff.read_output(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{bad} cannot be read (ArrowInvalid: Could not open Parquet input source ")
    assert detail in message and message.endswith(")") and "\n" not in message


def test_a_missing_or_keyless_table_is_listed_as_unusable_and_the_rest_is_read(tmp_path):
    write(
        tmp_path,
        {"credentials": [WELD], "credential_courses": [], "credential_soc_codes": [], "instructor_training_costs": []},
        types={"credential_courses": {"credential_slug": None, "course_code": None}},
    )
    found = diff.read_output(tmp_path)
    courses = tmp_path / "parquet" / "credential_courses.parquet"
    assert found.unusable == {
        "credential_courses": f"{courses} is not an extract table of this kind (no credential_slug, course_code "
        "column)",
        "credential_pathways": f"{tmp_path}: missing credential_pathways",
    }
    assert sorted(found.tables) == [
        "credential_courses",
        "credential_soc_codes",
        "credentials",
        "instructor_training_costs",
    ]
    assert found.tables["credentials"]["credential_name"].tolist() == ["Welding Basics"]
    with pytest.raises(diff.DiffError) as raised:
        diff.load_tables(tmp_path)
    assert str(raised.value) == found.unusable["credential_courses"]


def test_load_tables_reads_the_tables_asked_for(tmp_path):
    output(tmp_path, [WELD, CNA])
    tables = diff.load_tables(tmp_path, ["credentials"])
    assert list(tables) == ["credentials"]
    assert tables["credentials"]["credential_slug"].tolist() == ["welding-basics", "cna"]


def test_a_credentials_table_without_a_credential_name_is_not_an_extract_table(tmp_path):
    write(tmp_path, {"credentials": [WELD]}, types={"credentials": {"credential_name": None}})
    path = tmp_path / "parquet" / "credentials.parquet"
    found = diff.read_output(tmp_path, ["credentials"])
    assert found.unusable == {"credentials": f"{path} is not an extract table of this kind (no credential_name column)"}


def test_column_types_are_named_as_the_contract_names_them(tmp_path):
    types = {"retake_policy": pa.string(), "exam_minutes": pa.int32(), "passing_score_percent": pa.float32()}
    write(
        tmp_path,
        {"credentials": [WELD | {"source_sha256": None}]},
        types={"credentials": types | {"source_sha256": pa.date32()}},
    )
    found = diff.read_output(tmp_path, ["credentials"])
    assert found.types == {
        "credentials": {
            "school_year": "str",
            "cred_id": "Int64",
            "credential_slug": "str",
            "credential_name": "str",
            "is_draft": "boolean",
            "exam_minutes": "Int64",
            "passing_score_percent": "Float64",
            "retake_policy": "str",
            "complete": "boolean",
            "source_url": "str",
            "source_sha256": "date32[day]",
        }
    }


@pytest.mark.parametrize(
    "versions, recorded",
    [
        (["3", "3"], "3"),
        ([None, None], None),
        (["2", "3"], "mixed: 2, 3"),
        (["3", None], "mixed: 3, unknown"),
    ],
)
def test_the_schema_version_is_the_one_every_file_records_or_mixed(tmp_path, versions, recorded):
    write(tmp_path / "a", {"credentials": [WELD]}, version=versions[0])
    write(tmp_path / "b", {"credential_courses": []}, version=versions[1])
    (tmp_path / "a" / "parquet" / "credential_courses.parquet").write_bytes(
        (tmp_path / "b" / "parquet" / "credential_courses.parquet").read_bytes()
    )
    assert diff.read_output(tmp_path / "a", ["credentials", "credential_courses"]).schema_version == recorded


@pytest.mark.parametrize(
    "description",
    [
        {"index_columns": [], "columns": [{"name": "exam_minutes", "pandas_type": "nope", "numpy_type": "nope"}]},
        {"index_columns": ["__index_level_0__"], "columns": []},  # an index column the file does not have
        {"index_columns": [], "columns": [], "column_indexes": [{"name": None, "pandas_type": "x", "numpy_type": "x"}]},
    ],
    ids=["a-column-type-unknown", "an-index-not-there", "a-column-index-type-unknown"],
)
def test_a_table_whose_pandas_description_does_not_fit_is_read_by_its_arrow_types(tmp_path, description):
    """A writer of another schema: the pandas description in its file does not fit its data."""
    table = pa.Table.from_pylist([{k: WELD[k] for k in TYPES["credentials"]}], pa.schema(TYPES["credentials"].items()))
    folder = tmp_path / "parquet"
    folder.mkdir()
    meta = {b"pandas": json.dumps(description).encode()}
    parquet.write_table(table.replace_schema_metadata(meta), folder / "credentials.parquet")
    frame = diff.read_output(tmp_path, ["credentials"]).tables["credentials"]
    assert str(frame["credential_name"].dtype) == "string"
    assert str(frame["exam_minutes"].dtype) == "Int64"
    assert str(frame["passing_score_percent"].dtype) == "Float64"
    assert str(frame["complete"].dtype) == "boolean"
    assert str(frame["source_sha256"].dtype) == "string"
    assert frame.loc[0, "credential_name"] == "Welding Basics" and frame.loc[0, "exam_minutes"] == 60
    assert list(frame.columns) == list(TYPES["credentials"]) and frame.index.tolist() == [0]


def test_a_table_of_another_kind_is_read_without_key_columns(tmp_path):
    output(tmp_path, [WELD])
    coverage(tmp_path, [{"school_year": Y, "credentials": 1, "complete": True}])
    found = diff.read_output(tmp_path, ["credentials", "coverage"])
    assert found.unusable == {}
    assert found.tables["coverage"]["credentials"].tolist() == [1]


def test_a_long_reader_error_is_cut_at_200_characters(tmp_path):
    deep = tmp_path / ("d" * 150)
    output(deep, [WELD])
    bad = deep / "parquet" / "credential_courses.parquet"
    bad.write_bytes(b"")
    cause = f"Could not open Parquet input source '{bad}': Parquet file size is 0 bytes"
    assert len(cause) > 200
    with pytest.raises(diff.UnreadableOutput) as raised:
        diff.read_output(deep)
    assert str(raised.value) == f"{bad} cannot be read (ArrowInvalid: {cause[:200]})"


def test_a_reader_error_without_a_message_says_no_detail(tmp_path, monkeypatch):
    output(tmp_path, [WELD])

    def refused(path, *args, **kwargs):
        raise PermissionError()

    monkeypatch.setattr(parquet, "read_table", refused)
    with pytest.raises(diff.UnreadableOutput) as raised:
        diff.read_output(tmp_path)
    path = tmp_path / "parquet" / "credentials.parquet"
    assert str(raised.value) == f"{path} cannot be read (PermissionError: no detail)"


# --- which credentials pair up ----------------------------------------------------------------------------------


@pytest.fixture(params=[False, True], ids=["plain-columns", "nullable-columns"])
def pandas_meta(request):
    return request.param


def test_added_removed_renamed_and_changed_credentials_are_each_reported_once(tmp_path, pandas_meta):
    old = output(tmp_path / "old", [WELD, CNA, EXCEL], pandas_meta=pandas_meta)
    renamed = cred(Y, 101, "welding-fundamentals", "Welding Fundamentals")
    changed = CNA | {"exam_minutes": 120, "source_url": "https://example.org/new-place", "source_sha256": "bb"}
    new = output(tmp_path / "new", [renamed, changed, OSHA], pandas_meta=pandas_meta)
    report = diff.diff_outputs(old, new)
    assert report == {
        "old": str(old),
        "new": str(new),
        "counts": counts(added=1, removed=1, renamed=1, changed=1, values=1),
        "added": [ident(Y, 104, "osha-10", "OSHA 10-Hour General Industry")],
        "removed": [ident(Y, 103, "excel", "Microsoft Excel")],
        "renamed": [
            ident(Y, 101, "welding-fundamentals", "Welding Fundamentals")
            | {"old_slug": "welding-basics", "old_name": "Welding Basics"}
        ],
        "changed": [
            ident(Y, 102, "cna", "Certified Nursing Assistant")
            | {"columns": [{"column": "exam_minutes", "old": 90, "new": 120}], "children": {}}
        ],
        "not_in_this_copy": [],
        "not_in_old_copy": [],
        "incomplete": {"old": {}, "new": {}},
        "schema": {},
    }
    assert diff.has_changes(report)


def test_two_credentials_that_swapped_slugs_are_two_renames_matched_on_cred_id(tmp_path):
    old = output(tmp_path / "old", [cred(Y, 1, "a-slug", "Alpha"), cred(Y, 2, "b-slug", "Beta")])
    new = output(tmp_path / "new", [cred(Y, 1, "b-slug", "Alpha"), cred(Y, 2, "a-slug", "Beta")])
    report = diff.diff_outputs(old, new)
    assert report["renamed"] == [
        ident(Y, 1, "b-slug", "Alpha") | {"old_slug": "a-slug", "old_name": "Alpha"},
        ident(Y, 2, "a-slug", "Beta") | {"old_slug": "b-slug", "old_name": "Beta"},
    ]
    assert report["counts"] == counts(renamed=2)


def test_a_name_change_under_the_same_slug_is_a_rename(tmp_path):
    old = output(tmp_path / "old", [cred(Y, 1, "a-slug", "Alpha")])
    new = output(tmp_path / "new", [cred(Y, 1, "a-slug", "Alpha Level 1")])
    assert diff.diff_outputs(old, new)["renamed"] == [
        ident(Y, 1, "a-slug", "Alpha Level 1") | {"old_slug": "a-slug", "old_name": "Alpha"}
    ]


def test_a_credential_without_a_cred_id_on_either_side_is_matched_on_its_slug(tmp_path):
    old = output(tmp_path / "old", [cred(Y, None, "cna", "CNA", exam_minutes=90), cred(Y, 7, "excel", "Excel")])
    new = output(tmp_path / "new", [cred(Y, 102, "cna", "CNA", exam_minutes=95), cred(Y, None, "excel", "Excel")])
    report = diff.diff_outputs(old, new)
    assert report["counts"] == counts(changed=1, values=1)
    assert report["changed"] == [
        ident(Y, 102, "cna", "CNA") | {"columns": [{"column": "exam_minutes", "old": 90, "new": 95}], "children": {}}
    ]


def test_a_cred_id_that_changed_under_the_same_slug_is_the_same_credential(tmp_path):
    old = output(tmp_path / "old", [cred(Y, 5, "cna", "CNA")])
    new = output(tmp_path / "new", [cred(Y, 6, "cna", "CNA")])
    assert diff.diff_outputs(old, new)["counts"] == counts()


def test_outputs_pair_credentials_only_within_one_school_year(tmp_path):
    old = output(tmp_path / "old", [cred("2023-2024", 1, "cna", "CNA")])
    new = output(tmp_path / "new", [cred("2024-2025", 1, "cna", "CNA")])
    report = diff.diff_outputs(old, new)
    assert report["removed"] == [ident("2023-2024", 1, "cna", "CNA")]
    assert report["added"] == [ident("2024-2025", 1, "cna", "CNA")]
    assert report["counts"] == counts(added=1, removed=1)


def test_two_new_rows_with_one_cred_id_pair_the_first_and_add_the_second(tmp_path):
    old = output(tmp_path / "old", [cred(Y, 5, "first", "First")])
    new = output(tmp_path / "new", [cred(Y, 5, "first", "First"), cred(Y, 5, "second", "Second")])
    report = diff.diff_outputs(old, new)
    assert report["added"] == [ident(Y, 5, "second", "Second")]
    assert report["counts"] == counts(added=1)


def test_two_school_years_of_one_output_pair_credentials_across_the_years(tmp_path):
    out = output(
        tmp_path,
        [
            cred("2023-2024", 1, "cna", "CNA", exam_minutes=90),
            cred("2023-2024", 2, "excel", "Excel"),
            cred("2024-2025", 1, "cna", "CNA", exam_minutes=100),
            cred("2024-2025", 3, "osha-10", "OSHA 10"),
        ],
    )
    report = diff.diff_years(out, "2023-2024", "2024-2025")
    assert report["old"] == "2023-2024" and report["new"] == "2024-2025"
    assert report["changed"] == [
        ident("2024-2025", 1, "cna", "CNA")
        | {"columns": [{"column": "exam_minutes", "old": 90, "new": 100}], "children": {}}
    ]
    assert report["removed"] == [ident("2023-2024", 2, "excel", "Excel")]
    assert report["added"] == [ident("2024-2025", 3, "osha-10", "OSHA 10")]


def test_a_school_year_the_output_does_not_have_is_refused_naming_the_years_it_has(tmp_path):
    out = output(tmp_path, [cred("2024-2025", 1, "cna", "CNA"), cred("2023-2024", 2, "excel", "Excel")])
    for asked in (("2022-2023", "2024-2025"), ("2024-2025", "2022-2023")):
        with pytest.raises(diff.DiffError) as raised:
            diff.diff_years(out, *asked)
        assert str(raised.value) == f"{out}: no credentials for school year 2022-2023 (has 2023-2024, 2024-2025)"


def test_a_row_without_a_school_year_is_in_no_year_and_an_unknown_year_is_still_refused_by_name(tmp_path):
    """Another writer's file with a credential whose school year is missing: the years it has are the others."""
    out = output(tmp_path, [cred(None, 1, "cna", "CNA"), cred(Y, 2, "excel", "Excel")])
    with pytest.raises(diff.DiffError) as raised:
        diff.diff_years(out, "2022-2023", Y)
    assert str(raised.value) == f"{out}: no credentials for school year 2022-2023 (has 2024-2025)"


def test_an_output_with_no_credential_says_it_has_none(tmp_path):
    """An output of a listing alone (no credential page read): `has none`, not an empty list."""
    out = output(tmp_path, [cred(None, 1, "cna", "CNA")])
    with pytest.raises(diff.DiffError) as raised:
        diff.diff_years(out, "2023-2024", Y)
    assert str(raised.value) == f"{out}: no credentials for school year 2023-2024 (has none)"


# --- which values are compared -----------------------------------------------------------------------------------


def test_provenance_is_not_a_change_and_a_draft_turning_final_is(tmp_path, pandas_meta):
    old = output(tmp_path / "old", [CNA | {"is_draft": True}, EXCEL], pandas_meta=pandas_meta)
    moved = {"source_url": "https://example.org/elsewhere", "source_sha256": "ff", "complete": True}
    new = output(tmp_path / "new", [CNA | moved, EXCEL | moved], pandas_meta=pandas_meta)
    report = diff.diff_outputs(old, new)
    assert report["changed"] == [
        ident(Y, 102, "cna", "Certified Nursing Assistant")
        | {"columns": [{"column": "is_draft", "old": True, "new": False}], "children": {}}
    ]
    assert report["counts"] == counts(changed=1, values=1)


def test_a_value_missing_on_both_sides_is_no_change_and_a_value_that_appears_is(tmp_path, pandas_meta):
    old = output(tmp_path / "old", [CNA | {"passing_score_percent": None}, EXCEL], pandas_meta=pandas_meta)
    new = output(
        tmp_path / "new",
        [CNA | {"passing_score_percent": None}, EXCEL | {"retake_policy": "One retake after 24 hours."}],
        pandas_meta=pandas_meta,
    )
    report = diff.diff_outputs(old, new)
    assert report["changed"] == [
        ident(Y, 103, "excel", "Microsoft Excel")
        | {"columns": [{"column": "retake_policy", "old": None, "new": "One retake after 24 hours."}], "children": {}}
    ]


def test_nan_read_from_a_plain_float_column_is_a_missing_value(tmp_path):
    """A float column without nullable dtypes comes back from pandas as NaN: NaN on both sides is no change."""
    old = output(tmp_path / "old", [CNA | {"passing_score_percent": float("nan")}])
    new = output(tmp_path / "new", [CNA | {"passing_score_percent": None}])
    assert diff.diff_outputs(old, new)["counts"] == counts()


def test_records_give_plain_python_values_and_none_for_every_missing_value():
    frame = pd.DataFrame(
        {"n": pd.array([1, None], dtype="Int64"), "x": [1.5, float("nan")], "s": ["a", None], "b": [True, False]}
    )
    assert diff._records(frame) == [
        {"n": 1, "x": 1.5, "s": "a", "b": True},
        {"n": None, "x": None, "s": None, "b": False},
    ]
    assert [type(value) for value in diff._records(frame)[0].values()] == [int, float, str, bool]
    typed = pd.DataFrame({"x": pd.array([2.5, None], dtype="Float64"), "s": pd.array(["z", None], dtype="string")})
    assert diff._records(typed) == [{"x": 2.5, "s": "z"}, {"x": None, "s": None}]
    nan = pa.table({"x": pa.array([float("nan"), 1.0])}).to_pandas(types_mapper={pa.float64(): pd.Float64Dtype()}.get)
    assert diff._records(nan) == [{"x": None}, {"x": 1.0}]
    picked = typed.iloc[[1, 0, 1]]  # rows picked from a table (one school year): their index is no column
    assert diff._records(picked) == [{"x": None, "s": None}, {"x": 2.5, "s": "z"}, {"x": None, "s": None}]
    twice = pd.DataFrame([[1, 2]], columns=["a", "a"]).astype("Int64")
    assert not diff._arrow_typed(twice)
    assert not diff._arrow_typed(pd.DataFrame({0: pd.array([1], dtype="Int64")}))
    assert diff._arrow_typed(pd.DataFrame({"a": pd.array([1], dtype="Int64")}))


def test_a_column_only_one_side_has_is_a_schema_difference_not_a_change_of_every_row(tmp_path):
    old = output(tmp_path / "old", [CNA, EXCEL], types={"credentials": {"retake_policy": None}})
    new = output(
        tmp_path / "new", [CNA | {"retake_policy": "Twice."}, EXCEL], types={"credentials": {"exam_minutes": None}}
    )
    report = diff.diff_outputs(old, new)
    assert report["schema"] == {
        "credentials": {"added_columns": ["retake_policy"], "removed_columns": ["exam_minutes"]}
    }
    assert report["changed"] == []
    assert report["counts"] == counts(schema=2)
    assert diff.has_changes(report)


@pytest.mark.parametrize(
    "old_type, new_type, old_value, new_value, compared, changed",
    [
        (pa.int64(), pa.float64(), 90, 90.0, True, []),
        (pa.int64(), pa.float64(), 90, 95.0, True, [{"column": "exam_minutes", "old": 90, "new": 95.0}]),
        (pa.float64(), pa.int64(), 90.0, 95, True, [{"column": "exam_minutes", "old": 90.0, "new": 95}]),
        (pa.null(), pa.int64(), None, 95, True, [{"column": "exam_minutes", "old": None, "new": 95}]),
        (pa.int64(), pa.null(), 90, None, True, [{"column": "exam_minutes", "old": 90, "new": None}]),
        (pa.int64(), pa.large_string(), 90, "90 minutes", False, []),
        (pa.large_string(), pa.bool_(), "yes", True, False, []),
    ],
)
def test_a_column_whose_type_changed_is_compared_only_when_the_two_types_compare(
    tmp_path, old_type, new_type, old_value, new_value, compared, changed
):
    old = output(
        tmp_path / "old", [CNA | {"exam_minutes": old_value}], types={"credentials": {"exam_minutes": old_type}}
    )
    new = output(
        tmp_path / "new", [CNA | {"exam_minutes": new_value}], types={"credentials": {"exam_minutes": new_type}}
    )
    report = diff.diff_outputs(old, new)
    names = {pa.int64(): "Int64", pa.float64(): "Float64", pa.null(): "null", pa.large_string(): "str"}
    names[pa.bool_()] = "boolean"
    item = {"column": "exam_minutes", "old": names[old_type], "new": names[new_type], "compared": compared}
    assert report["schema"] == {"credentials": {"type_changed": [item]}}
    assert [change["columns"] for change in report["changed"]] == ([changed] if changed else [])
    assert report["counts"]["schema"] == 1


def test_a_key_column_of_another_type_leaves_its_table_out_of_the_comparison(tmp_path):
    courses = [{"school_year": Y, "credential_slug": "cna", "course_code": "7", "course_title": "Health Science I"}]
    old = output(tmp_path / "old", [CNA], {"credential_courses": courses})
    renumbered = [courses[0] | {"course_code": 7, "course_title": "Health Science 1"}]
    new = output(
        tmp_path / "new",
        [CNA],
        {"credential_courses": renumbered},
        types={"credential_courses": {"course_code": pa.int64()}},
    )
    report = diff.diff_outputs(old, new)
    assert report["schema"] == {
        "credential_courses": {
            "type_changed": [{"column": "course_code", "old": "str", "new": "Int64", "compared": False}],
            "not_compared": "key columns of another type: course_code",
        }
    }
    assert report["changed"] == []
    assert report["counts"] == counts(schema=2)


def test_a_table_one_side_lacks_is_not_compared_and_the_others_are(tmp_path):
    courses = [{"school_year": Y, "credential_slug": "cna", "course_code": "HU40", "course_title": "Health Science I"}]
    soc = [{"school_year": Y, "credential_slug": "cna", "soc_code": "31-1131", "soc_title": "Nursing Assistants"}]
    old = output(tmp_path / "old", [CNA], {"credential_courses": courses, "credential_soc_codes": soc})
    (old / "parquet" / "credential_courses.parquet").unlink()
    new = output(tmp_path / "new", [CNA], {"credential_courses": [courses[0] | {"course_title": "Changed"}]})
    report = diff.diff_outputs(old, new)
    assert report["schema"] == {"credential_courses": {"not_compared": f"{old}: missing credential_courses"}}
    soc_row = {"soc_code": "31-1131", "soc_title": "Nursing Assistants"}
    assert report["changed"] == [
        ident(Y, 102, "cna", "Certified Nursing Assistant")
        | {"columns": [], "children": {"credential_soc_codes": {"removed": [soc_row]}}}
    ]
    assert report["counts"] == counts(changed=1, child_rows=1, schema=1)


def test_a_credentials_table_one_side_cannot_show_compares_no_credential(tmp_path):
    old = output(tmp_path / "old", [CNA])
    new = output(tmp_path / "new", [OSHA], types={"credentials": {"credential_name": None}})
    report = diff.diff_outputs(old, new)
    path = new / "parquet" / "credentials.parquet"
    assert report["schema"] == {
        "credentials": {
            "removed_columns": ["credential_name"],
            "added_columns": [],
            "not_compared": f"{path} is not an extract table of this kind (no credential_name column)",
        }
    }
    assert report["added"] == report["removed"] == report["changed"] == []
    assert report["counts"] == counts(schema=2)


def test_a_child_table_without_its_key_columns_is_left_out_and_the_credentials_compared(tmp_path):
    old = output(tmp_path / "old", [CNA], {"credential_courses": [course("HU40", "Health Science I")]})
    new = output(
        tmp_path / "new",
        [CNA | {"exam_minutes": 95}],
        {"credential_courses": [course("HU40", "Health Science I")]},
        types={"credential_courses": {"credential_slug": None}},
    )
    report = diff.diff_outputs(old, new)
    path = new / "parquet" / "credential_courses.parquet"
    assert report["schema"] == {
        "credential_courses": {
            "added_columns": [],
            "removed_columns": ["credential_slug"],
            "not_compared": f"{path} is not an extract table of this kind (no credential_slug column)",
        }
    }
    assert report["changed"] == [
        CNA_ID | {"columns": [{"column": "exam_minutes", "old": 90, "new": 95}], "children": {}}
    ]


def test_an_output_without_a_credentials_table_compares_no_credential(tmp_path):
    old = output(tmp_path / "old", [CNA])
    (old / "parquet" / "credentials.parquet").unlink()
    new = output(tmp_path / "new", [CNA, OSHA])
    report = diff.diff_outputs(old, new)
    assert report["schema"] == {"credentials": {"not_compared": f"{old}: missing credentials"}}
    assert report["added"] == [] and report["counts"] == counts(schema=1)


def test_a_child_column_only_one_side_has_is_a_schema_difference_not_a_change_of_every_row(tmp_path):
    old = output(tmp_path / "old", [CNA], {"instructor_training_costs": [cost(1, 10.0, "A"), cost(2, 20.0, "B")]})
    new = output(
        tmp_path / "new",
        [CNA],
        {"instructor_training_costs": [cost(1, 10.0, "A") | {"currency": "USD"}, cost(2, 20.0, "B")]},
        types={"instructor_training_costs": {"currency": pa.large_string()}},
    )
    report = diff.diff_outputs(old, new)
    assert report["schema"] == {"instructor_training_costs": {"added_columns": ["currency"], "removed_columns": []}}
    assert report["changed"] == [] and report["counts"] == counts(schema=1)


def test_the_key_columns_of_another_type_are_each_named(tmp_path):
    courses = [{"school_year": Y, "credential_slug": "cna", "course_code": "7", "course_title": "Health Science I"}]
    old = output(tmp_path / "old", [CNA], {"credential_courses": courses})
    retyped = {"course_code": pa.int64(), "credential_slug": pa.int64()}
    new = output(tmp_path / "new", [CNA], {"credential_courses": []}, types={"credential_courses": retyped})
    report = diff.diff_outputs(old, new)
    assert report["schema"]["credential_courses"]["not_compared"] == (
        "key columns of another type: course_code, credential_slug"
    )


def test_outputs_of_two_schema_versions_say_both(tmp_path):
    old = output(tmp_path / "old", [CNA], version="2")
    new = output(tmp_path / "new", [CNA], version="3")
    assert diff.diff_outputs(old, new)["schema_version"] == {"old": "2", "new": "3"}
    same = output(tmp_path / "same", [CNA], version="2")
    assert "schema_version" not in diff.diff_outputs(old, same)


# --- child rows ---------------------------------------------------------------------------------------------------


def course(code, title, slug="cna", year=Y, path="raw/a.html"):
    return {
        "school_year": year,
        "credential_slug": slug,
        "course_code": code,
        "course_title": title,
        "source_path": path,
    }


def cost(option, amount, condition, slug="cna"):
    return {"school_year": Y, "credential_slug": slug, "option": option, "amount_usd": amount, "condition": condition}


def _children_change(tmp_path, name, old_rows, new_rows, old_cred=CNA, new_cred=CNA):
    old = output(tmp_path / "old", [old_cred], {name: old_rows})
    new = output(tmp_path / "new", [new_cred], {name: new_rows})
    return diff.diff_outputs(old, new)


def test_child_rows_added_removed_and_changed_are_matched_on_their_key(tmp_path, pandas_meta):
    old = output(
        tmp_path / "old",
        [CNA, EXCEL],
        {
            "credential_courses": [
                course("HU40", "Health Science I"),
                course("HU42", "Nursing Fundamentals"),
                course("BM10", "Excel", "excel"),
            ]
        },
        pandas_meta=pandas_meta,
    )
    new = output(
        tmp_path / "new",
        [CNA, EXCEL],
        {
            "credential_courses": [
                course("HU40", "Health Science I", path="raw/b.html"),
                course("HU42", "Nursing Fundamentals (honors)"),
                course("HU43", "Pharmacy Technician"),
                course("BM10", "Excel", "excel"),
            ]
        },
        pandas_meta=pandas_meta,
    )
    report = diff.diff_outputs(old, new)
    row = {}  # a child row as compared: its credential is the change it is listed under
    assert report["changed"] == [
        ident(Y, 102, "cna", "Certified Nursing Assistant")
        | {
            "columns": [],
            "children": {
                "credential_courses": {
                    "added": [row | {"course_code": "HU43", "course_title": "Pharmacy Technician"}],
                    "changed": [
                        {
                            "old": row | {"course_code": "HU42", "course_title": "Nursing Fundamentals"},
                            "new": row | {"course_code": "HU42", "course_title": "Nursing Fundamentals (honors)"},
                        }
                    ],
                }
            },
        }
    ]
    assert report["counts"] == counts(changed=1, child_rows=2)


def test_a_cost_whose_amount_changed_under_the_same_condition_is_one_change(tmp_path):
    report = _children_change(
        tmp_path,
        "instructor_training_costs",
        [cost(1, 1525.0, "with an online webinar"), cost(2, 500.0, "in person")],
        [cost(1, 400.0, "in person, two days"), cost(2, 1575.0, "with an online webinar")],
    )
    row = {}  # a child row as compared: its credential is the change it is listed under
    assert report["changed"][0]["children"] == {
        "instructor_training_costs": {
            "changed": [
                {
                    "old": row | {"amount_usd": 1525.0, "condition": "with an online webinar"},
                    "new": row | {"amount_usd": 1575.0, "condition": "with an online webinar"},
                }
            ],
            "removed": [row | {"amount_usd": 500.0, "condition": "in person"}],
            "added": [row | {"amount_usd": 400.0, "condition": "in person, two days"}],
        }
    }
    assert report["counts"]["child_rows"] == 3


def test_costs_left_over_are_paired_on_their_condition_before_their_amount(tmp_path):
    """Old (100, A), (200, B); new (200, A), (300, C): A changed its amount; B is gone and C is new. Pairing on the
    amount first would call B -> A one cost whose condition changed."""
    report = _children_change(
        tmp_path,
        "instructor_training_costs",
        [cost(1, 100.0, "A"), cost(2, 200.0, "B")],
        [cost(1, 200.0, "A"), cost(2, 300.0, "C")],
    )
    row = {}  # a child row as compared: its credential is the change it is listed under
    assert report["changed"][0]["children"]["instructor_training_costs"] == {
        "changed": [
            {"old": row | {"amount_usd": 100.0, "condition": "A"}, "new": row | {"amount_usd": 200.0, "condition": "A"}}
        ],
        "removed": [row | {"amount_usd": 200.0, "condition": "B"}],
        "added": [row | {"amount_usd": 300.0, "condition": "C"}],
    }


def test_a_cost_whose_condition_changed_for_the_same_amount_is_one_change_and_its_option_is_not_compared(tmp_path):
    report = _children_change(
        tmp_path,
        "instructor_training_costs",
        [cost(1, 500.0, "in person"), cost(2, 75.0, "B")],
        [cost(1, 75.0, "B"), cost(2, 500.0, "in person or online")],
    )
    row = {}  # a child row as compared: its credential is the change it is listed under
    assert report["changed"][0]["children"]["instructor_training_costs"] == {
        "changed": [
            {
                "old": row | {"amount_usd": 500.0, "condition": "in person"},
                "new": row | {"amount_usd": 500.0, "condition": "in person or online"},
            }
        ]
    }


def test_two_costs_left_over_with_one_condition_pair_in_order(tmp_path):
    report = _children_change(
        tmp_path,
        "instructor_training_costs",
        [cost(1, 10.0, "C"), cost(2, 20.0, "C")],
        [cost(1, 11.0, "C"), cost(2, 21.0, "C")],
    )
    row = {"condition": "C"}
    assert report["changed"][0]["children"]["instructor_training_costs"] == {
        "changed": [
            {"old": row | {"amount_usd": 10.0}, "new": row | {"amount_usd": 11.0}},
            {"old": row | {"amount_usd": 20.0}, "new": row | {"amount_usd": 21.0}},
        ]
    }


def test_other_child_tables_do_not_pair_leftover_rows(tmp_path):
    at = {"school_year": Y, "credential_slug": "cna"}
    soc_old, soc_new = {"soc_code": "31-1131", "soc_title": "Nursing Assistants"}, {"soc_code": "31-1132"}
    soc_new["soc_title"] = "Nursing Assistants"
    report = _children_change(tmp_path, "credential_soc_codes", [at | soc_old], [at | soc_new])
    assert report["changed"][0]["children"] == {"credential_soc_codes": {"added": [soc_new], "removed": [soc_old]}}
    old_name, new_name = {"pathway_code": "2035", "pathway_name": "Nursing"}, {"pathway_code": "2035"}
    new_name["pathway_name"] = "Nursing Careers"
    report = _children_change(tmp_path / "p", "credential_pathways", [at | old_name], [at | new_name])
    assert report["changed"][0]["children"] == {
        "credential_pathways": {"changed": [{"old": old_name, "new": new_name}]}
    }


def test_child_rows_follow_their_credential_through_a_rename(tmp_path):
    old_cred, new_cred = cred(Y, 9, "old-slug", "Old"), cred(Y, 9, "new-slug", "Old")
    report = _children_change(
        tmp_path,
        "credential_courses",
        [course("HU40", "Health Science I", "old-slug")],
        [course("HU40", "Health Science I", "new-slug")],
        old_cred,
        new_cred,
    )
    assert report["changed"] == [] and report["counts"] == counts(renamed=1)


# --- incomplete years and cut pages -------------------------------------------------------------------------------


def coverage(out: Path, rows: list[dict]) -> None:
    columns = {"school_year": pa.large_string(), "credentials": pa.int64(), "cut": pa.int64()}
    columns |= {"failed": pa.int64(), "complete": pa.bool_()}
    table = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows], pa.schema(columns.items()))
    parquet.write_table(table, out / "parquet" / "coverage.parquet")


def test_a_credential_missing_from_an_incomplete_new_year_is_not_in_this_copy_never_removed(tmp_path):
    old = output(tmp_path / "old", [WELD, CNA])
    new = output(tmp_path / "new", [WELD])
    coverage(new, [{"school_year": Y, "credentials": 3, "cut": 1, "complete": False}])
    report = diff.diff_outputs(old, new)
    assert report["removed"] == []
    assert report["not_in_this_copy"] == [ident(Y, 102, "cna", "Certified Nursing Assistant")]
    assert report["incomplete"] == {"old": {}, "new": {Y: "1 of 3 credentials cut"}}
    assert report["counts"] == counts(not_in_this_copy=1)
    assert not diff.has_changes(report)


def test_a_credential_missing_from_an_incomplete_old_year_is_not_in_the_old_copy_never_added(tmp_path):
    old = output(tmp_path / "old", [WELD])
    coverage(old, [{"school_year": Y, "credentials": 0, "complete": False}])
    new = output(tmp_path / "new", [WELD, CNA])
    coverage(new, [{"school_year": Y, "credentials": 2, "complete": True}])
    report = diff.diff_outputs(old, new)
    assert report["added"] == []
    assert report["not_in_old_copy"] == [ident(Y, 102, "cna", "Certified Nursing Assistant")]
    assert report["incomplete"] == {"old": {Y: "no credential read"}, "new": {}}
    assert report["counts"] == counts(not_in_old_copy=1)
    assert not diff.has_changes(report)


def test_an_incomplete_year_on_one_side_leaves_other_years_removed_and_added(tmp_path):
    other = "2023-2024"
    old = output(tmp_path / "old", [cred(other, 1, "a", "A"), WELD])
    new = output(tmp_path / "new", [cred(other, 2, "b", "B")])
    coverage(new, [{"school_year": Y, "credentials": 4, "failed": 2, "complete": False}])
    report = diff.diff_outputs(old, new)
    assert report["removed"] == [ident(other, 1, "a", "A")]
    assert report["added"] == [ident(other, 2, "b", "B")]
    assert report["not_in_this_copy"] == [ident(Y, 101, "welding-basics", "Welding Basics")]
    assert report["incomplete"] == {"old": {}, "new": {Y: "2 pages failed in its last refresh"}}


def test_an_incomplete_year_of_a_one_year_comparison_is_the_compared_year(tmp_path):
    out = output(tmp_path, [cred("2023-2024", 1, "a", "A"), cred("2024-2025", 2, "b", "B")])
    coverage(out, [{"school_year": "2024-2025", "credentials": 1, "failed": 1, "complete": False}])
    report = diff.diff_years(out, "2023-2024", "2024-2025")
    assert report["not_in_this_copy"] == [ident("2023-2024", 1, "a", "A")]
    assert report["not_in_old_copy"] == []
    assert report["added"] == [ident("2024-2025", 2, "b", "B")]
    assert report["incomplete"] == {"old": {}, "new": {"2024-2025": "1 page failed in its last refresh"}}


def test_an_incomplete_year_neither_side_compares_is_not_reported(tmp_path):
    out = output(tmp_path, [cred("2023-2024", 1, "a", "A"), cred("2024-2025", 2, "b", "B")])
    coverage(out, [{"school_year": "2025-2026", "credentials": 0, "complete": False}])
    assert diff.diff_years(out, "2023-2024", "2024-2025")["incomplete"] == {"old": {}, "new": {}}
    old = output(tmp_path / "old", [cred("2023-2024", 1, "a", "A")])
    coverage(old, [{"school_year": "2025-2026", "credentials": 0, "complete": False}])
    assert diff.diff_outputs(old, old)["incomplete"] == {
        "old": {"2025-2026": "no credential read"},
        "new": {"2025-2026": "no credential read"},
    }


@pytest.mark.parametrize(
    "rows, partial",
    [
        ([], {}),
        ([{"school_year": "2023-2024", "credentials": 24, "complete": True}], {}),
        ([{"school_year": "2023-2024", "credentials": 24, "complete": None}], {}),
        (
            [{"school_year": "2025-2026", "credentials": 3, "cut": 3, "complete": False}],
            {"2025-2026": "3 of 3 credentials cut"},
        ),
        (
            [
                {"school_year": "2024-2025", "credentials": 0, "failed": 1, "complete": False},
                {"school_year": "2025-2026", "credentials": 5, "complete": False},
                {"school_year": "2023-2024", "credentials": 5, "complete": True},
            ],
            {"2024-2025": "no credential read, 1 page failed in its last refresh", "2025-2026": "incomplete"},
        ),
    ],
)
def test_the_years_a_coverage_table_calls_incomplete_each_say_why(rows, partial):
    frame = pd.DataFrame(rows, columns=["school_year", "credentials", "cut", "failed", "complete"])
    frame = frame.astype({"credentials": "Int64", "cut": "Int64", "failed": "Int64", "complete": "boolean"})
    assert diff.partial_years(frame) == partial


def test_coverage_unknown_or_without_a_complete_column_calls_no_year_incomplete(tmp_path):
    assert diff.partial_years(None) == {}
    assert diff.partial_years(pd.DataFrame({"school_year": ["2024-2025"], "credentials": [0]})) == {}
    output(tmp_path, [CNA])
    assert diff.load_coverage(tmp_path) is None
    (tmp_path / "parquet" / "coverage.parquet").write_bytes(b"broken")
    assert diff.load_coverage(tmp_path) is None
    coverage(tmp_path, [{"school_year": Y, "credentials": 2, "complete": True}])
    assert diff.load_coverage(tmp_path)["school_year"].tolist() == [Y]


@pytest.mark.parametrize(
    "old_value, new_value, old_complete, new_complete, unseen",
    [
        ("Two retakes.", None, True, False, True),  # the cut new page does not show it
        ("Two retakes within a year.", "Two retakes", True, False, True),  # it shows its start
        (None, "Two retakes.", False, True, True),  # the cut old page did not show it
        ("Two", "Two retakes.", False, True, True),
        ("Two retakes.", "One retake.", True, False, False),  # a different value, not the start
        ("Two retakes.", None, True, True, False),  # nothing cut: a value gone is a change
        ("Two retakes.", None, False, True, False),  # the cut side is the one showing more
        ("Two retakes.", "Two", False, True, False),
    ],
)
def test_a_value_a_cut_page_does_not_show_is_unseen_not_changed(
    tmp_path, old_value, new_value, old_complete, new_complete, unseen
):
    old = output(tmp_path / "old", [CNA | {"retake_policy": old_value, "complete": old_complete}])
    new = output(tmp_path / "new", [CNA | {"retake_policy": new_value, "complete": new_complete}])
    report = diff.diff_outputs(old, new)
    if unseen:
        assert report["changed"] == [] and report["counts"] == counts(unseen=1)
    else:
        assert report["changed"][0]["columns"] == [{"column": "retake_policy", "old": old_value, "new": new_value}]
        assert report["counts"] == counts(changed=1, values=1)


def test_every_value_a_cut_page_does_not_show_is_counted_unseen(tmp_path):
    shown = {"retake_policy": "Two retakes.", "passing_score_percent": 70.0}
    old = output(tmp_path / "old", [CNA | shown, EXCEL | shown])
    cut = {"retake_policy": "Two", "passing_score_percent": None, "complete": False}
    new = output(tmp_path / "new", [CNA | cut, EXCEL | cut | {"retake_policy": "Two retakes."}])
    report = diff.diff_outputs(old, new)
    assert report["changed"] == [] and report["counts"] == counts(unseen=3)


def test_child_rows_a_cut_page_does_not_show_are_unseen_not_removed_or_added(tmp_path):
    rows = [course("HU40", "Health Science I"), course("HU42", "Nursing Fundamentals")]
    cut = CNA | {"complete": False}
    report = _children_change(tmp_path / "a", "credential_courses", rows, rows[:1], CNA, cut)
    assert report["changed"] == [] and report["counts"] == counts(unseen=1)
    report = _children_change(tmp_path / "b", "credential_courses", rows[:1], rows, cut, CNA)
    assert report["changed"] == [] and report["counts"] == counts(unseen=1)
    # the complete side's rows are news: a row the cut old page did not have, removed from the complete new one
    report = _children_change(tmp_path / "c", "credential_courses", rows, rows[:1], cut, CNA)
    assert report["changed"][0]["children"]["credential_courses"] == {
        "removed": [_course_row("HU42", "Nursing Fundamentals")]
    }
    report = _children_change(tmp_path / "d", "credential_courses", rows[:1], rows, CNA, cut)
    assert report["changed"][0]["children"]["credential_courses"] == {
        "added": [_course_row("HU42", "Nursing Fundamentals")]
    }


def _course_row(code, title):
    return {"course_code": code, "course_title": title}


def test_a_child_row_a_cut_page_shows_the_start_of_is_unseen_and_another_is_changed(tmp_path):
    old_rows = [course("HU40", "Health Science I and II"), course("HU42", "Nursing")]
    new_rows = [course("HU40", "Health Science"), course("HU42", "Pharmacy")]
    report = _children_change(tmp_path, "credential_courses", old_rows, new_rows, CNA, CNA | {"complete": False})
    assert report["changed"][0]["children"] == {
        "credential_courses": {
            "changed": [{"old": _course_row("HU42", "Nursing"), "new": _course_row("HU42", "Pharmacy")}]
        }
    }
    assert report["counts"] == counts(changed=1, child_rows=1, unseen=1)


@pytest.mark.parametrize(
    "part, whole, shown",
    [
        (None, "anything", True),
        ("abc", "abc", True),
        ("ab", "abc", True),
        ("abc", "ab", False),
        ("xbc", "abc", False),
        (1, 10, False),
        ({"a": "x", "b": None}, {"a": "xyz", "b": "q"}, True),
        ({"a": "y", "b": None}, {"a": "xyz", "b": "q"}, False),
        ({"a": "x"}, "x", False),
        ({"a": "x", "c": "extra"}, {"a": "x"}, True),
    ],
)
def test_a_cut_value_shows_part_of_another_when_it_is_missing_or_its_start(part, whole, shown):
    assert diff._shows_part_of(part, whole) is shown


@pytest.mark.parametrize(
    "kind, value",
    [("added", 1), ("removed", 1), ("renamed", 1), ("changed", 1), ("values", 1), ("child_rows", 1), ("schema", 1)],
)
def test_any_change_counts_as_a_change(kind, value):
    assert diff.has_changes({"counts": {kind: value}})


def test_credentials_not_in_an_incomplete_copy_or_unseen_values_are_no_change():
    assert not diff.has_changes({"counts": counts(not_in_this_copy=2, not_in_old_copy=1, unseen=4)})


# --- the Markdown and JSON reports --------------------------------------------------------------------------------

FULL = {
    "old": "old-out",
    "new": "new-out",
    "counts": counts(added=1, removed=1, renamed=1, changed=1, values=1, child_rows=2, schema=1, not_in_this_copy=1)
    | {"unseen": 2},
    "added": [ident(Y, 104, "osha-10", "OSHA 10-Hour General Industry")],
    "removed": [ident(Y, 103, "excel", "Microsoft Excel")],
    "renamed": [
        ident(Y, 101, "welding-fundamentals", "Welding Fundamentals")
        | {"old_slug": "welding-basics", "old_name": "Welding Basics"}
    ],
    "changed": [
        CNA_ID
        | {
            "columns": [{"column": "exam_minutes", "old": 90, "new": 120}],
            "children": {
                "credential_courses": {"added": [{"course_code": "HU43", "course_title": "Pharmacy Technician"}]},
                "instructor_training_costs": {
                    "changed": [
                        {
                            "old": {"amount_usd": 1525.0, "condition": "with an online webinar"},
                            "new": {"amount_usd": 1575.0, "condition": "with an online webinar"},
                        }
                    ]
                },
            },
        }
    ],
    "not_in_this_copy": [ident(Y, 105, "nccer-core", "NCCER Core")],
    "not_in_old_copy": [],
    "incomplete": {"old": {}, "new": {Y: "1 of 3 credentials cut"}},
    "schema": {"credentials": {"added_columns": ["languages"], "removed_columns": []}},
    "schema_version": {"old": None, "new": "3"},
}


def test_the_markdown_report_lists_each_kind_of_change_in_a_table_of_its_own():
    assert diff.to_markdown(FULL) == "\n".join(
        [
            "**old-out → new-out**: 1 added, 1 removed, 1 renamed, 1 changed (1 values, 2 child rows); "
            "1 schema differences; 1 not in this copy",
            "",
            "old-out is schema version unknown (written before schema versions were recorded), new-out is 3: "
            "only tables and columns both sides have, with types that compare, are compared",
            "",
            "> **2024-2025 is incomplete in ` new-out `** (1 of 3 credentials cut): a credential missing from it is "
            "*not in this copy*, never removed.",
            "> 2 values or child rows not compared: a cut page does not show them.",
            "",
            "### Schema differences (1)",
            "",
            "| table | column | difference |",
            "| --- | --- | --- |",
            "| ` credentials ` | ` languages ` | only in new |",
            "",
            "### Added (1)",
            "",
            "| credential | cred_id |",
            "| --- | --- |",
            "| ` OSHA 10-Hour General Industry (2024-2025) ` | ` 104 ` |",
            "",
            "### Removed (1)",
            "",
            "| credential | cred_id |",
            "| --- | --- |",
            "| ` Microsoft Excel (2024-2025) ` | ` 103 ` |",
            "",
            "### Not in this copy: missing from an incomplete year, not removed (1)",
            "",
            "| credential | cred_id |",
            "| --- | --- |",
            "| ` NCCER Core (2024-2025) ` | ` 105 ` |",
            "",
            "### Renamed (1)",
            "",
            "| cred_id | old name | new name |",
            "| --- | --- | --- |",
            "| ` 101 ` | ` Welding Basics ` | ` Welding Fundamentals ` |",
            "",
            "### Changed values (1)",
            "",
            "| credential | column | old | new |",
            "| --- | --- | --- | --- |",
            "| ` Certified Nursing Assistant (2024-2025) ` | exam_minutes | ` 90 ` | ` 120 ` |",
            "",
            "### Changed child rows (2)",
            "",
            "| credential | table | change | row |",
            "| --- | --- | --- | --- |",
            "| ` Certified Nursing Assistant (2024-2025) ` | credential_courses | added | "
            "` course_code=HU43, course_title=Pharmacy Technician ` |",
            "| ` Certified Nursing Assistant (2024-2025) ` | instructor_training_costs | changed | "
            "` amount_usd: 1525.0 → 1575.0 (condition=with an online webinar) ` |",
            "",
        ]
    )


def test_a_report_without_changes_says_so_and_lists_what_an_incomplete_old_copy_lacks():
    report = FULL | {
        "counts": counts(not_in_old_copy=1),
        "added": [],
        "removed": [],
        "renamed": [],
        "changed": [],
        "not_in_this_copy": [],
        "not_in_old_copy": [ident(Y, 104, "osha-10", "OSHA 10")],
        "incomplete": {"old": {"2023-2024": "no credential read"}, "new": {}},
        "schema": {},
        "old": "2023-2024",
        "new": Y,
    }
    del report["schema_version"]
    assert diff.to_markdown(report) == "\n".join(
        [
            "**2023-2024 → 2024-2025**: 0 added, 0 removed, 0 renamed, 0 changed (0 values, 0 child rows); "
            "1 not in old copy",
            "",
            "> **2023-2024 is incomplete** (no credential read): a credential missing from it is *not in the old "
            "copy*, never added.",
            "",
            "### Not in the old copy: missing from an incomplete year, not added (1)",
            "",
            "| credential | cred_id |",
            "| --- | --- |",
            "| ` OSHA 10 (2024-2025) ` | ` 104 ` |",
            "",
            "No changes.\n",
        ]
    )
    bare = report | {"counts": counts(), "not_in_old_copy": [], "incomplete": {"old": {}, "new": {}}}
    assert (
        diff.to_markdown(bare)
        == "**2023-2024 → 2024-2025**: 0 added, 0 removed, 0 renamed, 0 changed (0 values, 0 child rows)\n\n"
        "No changes.\n"
    )


@pytest.mark.parametrize(
    "incomplete, old, new, lines",
    [
        (
            {"old": {"2025-2026": "3 of 3 credentials cut"}, "new": {"2025-2026": "3 of 3 credentials cut"}},
            "a",
            "b",
            [
                "> **2025-2026 is incomplete on both sides** (3 of 3 credentials cut): a credential missing from it "
                "is *not in this copy* (or *not in the old copy*), never removed or added."
            ],
        ),
        (
            {"old": {"2025-2026": "1 of 3 credentials cut"}, "new": {"2025-2026": "3 of 3 credentials cut"}},
            "a",
            "b",
            [
                "> **2025-2026 is incomplete on both sides** (1 of 3 credentials cut; now 3 of 3 credentials cut): a "
                "credential missing from it is *not in this copy* (or *not in the old copy*), never removed or added."
            ],
        ),
        (
            {"old": {"2025-2026": "no credential read"}, "new": {"2023-2024": "incomplete"}},
            "out/a|b",
            "2023-2024",
            [
                "> **2023-2024 is incomplete** (incomplete): a credential missing from it is *not in this copy*, "
                "never removed.",
                "> **2025-2026 is incomplete in ` out/a\\|b `** (no credential read): a credential missing from it is "
                "*not in the old copy*, never added.",
            ],
        ),
    ],
)
def test_an_incomplete_year_is_said_once_before_any_table(incomplete, old, new, lines):
    report = {"old": old, "new": new, "incomplete": incomplete, "counts": counts()}
    assert diff.incomplete_lines(report) == [*lines, ""]


def test_two_years_incomplete_on_both_sides_are_each_said_then_what_was_unseen():
    both = {"2024-2025": "1 page failed in its last refresh", "2025-2026": "3 of 3 credentials cut"}
    report = {"old": "a", "new": "b", "incomplete": {"old": both, "new": both}, "counts": counts(unseen=2)}
    assert diff.incomplete_lines(report) == [
        "> **2024-2025 is incomplete on both sides** (1 page failed in its last refresh): a credential missing from "
        "it is *not in this copy* (or *not in the old copy*), never removed or added.",
        "> **2025-2026 is incomplete on both sides** (3 of 3 credentials cut): a credential missing from it is *not "
        "in this copy* (or *not in the old copy*), never removed or added.",
        "> 2 values or child rows not compared: a cut page does not show them.",
        "",
    ]


def test_the_headline_counts_credentials_missing_from_either_incomplete_copy():
    report = FULL | {"counts": counts(not_in_this_copy=2, not_in_old_copy=3)}
    assert diff.to_markdown(report).splitlines()[0] == (
        "**old-out → new-out**: 0 added, 0 removed, 0 renamed, 0 changed (0 values, 0 child rows); "
        "2 not in this copy; 3 not in old copy"
    )


def test_no_incomplete_year_and_nothing_unseen_says_nothing_and_unseen_alone_is_said():
    assert diff.incomplete_lines({"old": "a", "new": "b", "counts": counts()}) == []
    assert diff.incomplete_lines({"old": "a", "new": "b", "counts": counts(unseen=1)}) == [
        "> 1 values or child rows not compared: a cut page does not show them.",
        "",
    ]


def test_the_version_line_names_both_versions_with_the_names_given():
    report = {"old": "a", "new": "b", "schema_version": {"old": "2", "new": None}}
    assert diff.version_line(report, "the baseline", "this extraction") == (
        "the baseline is schema version 2, this extraction is unknown (written before schema versions were "
        "recorded): only tables and columns both sides have, with types that compare, are compared"
    )
    assert diff.version_line({"old": "a", "new": "b"}) is None
    assert diff.version_line(report | {"old": "a\x1b[2Jb"}).startswith("a\\x1b[2Jb is schema version 2, b is unknown")


def test_schema_rows_name_each_column_difference_and_each_table_left_out():
    schema = {
        "credentials": {
            "added_columns": ["languages"],
            "removed_columns": ["vendor_phones"],
            "type_changed": [
                {"column": "exam_minutes", "old": "Int64", "new": "Float64", "compared": True},
                {"column": "lifespan_years", "old": "Float64", "new": "str", "compared": False},
            ],
        },
        "credential_courses": {"not_compared": "out/parquet/credential_courses.parquet is not | an extract table"},
    }
    assert diff._schema_rows(schema) == [
        ["` credentials `", "` languages `", "only in new"],
        ["` credentials `", "` vendor_phones `", "only in old"],
        ["` credentials `", "` exam_minutes `", "type Int64 → Float64"],
        ["` credentials `", "` lifespan_years `", "type Float64 → str, not compared"],
        [
            "` credential_courses `",
            "",
            "table not compared: ` out/parquet/credential_courses.parquet is not \\| an extract table `",
        ],
    ]
    long = {"t": {"not_compared": "x" * 250}}
    assert diff._schema_rows(long)[0][2] == "table not compared: ` " + "x" * 199 + "… `"


def test_a_table_shows_forty_rows_and_says_how_many_more_there_are():
    rows = [[str(n)] for n in range(41)]
    lines = diff._table("Added", ["n"], rows)
    assert lines[:4] == ["### Added (41)", "", "| n |", "| --- |"]
    assert lines[4:44] == [f"| {n} |" for n in range(40)]
    assert lines[44:] == ["\n… and 1 more (see `--format json`)", ""]
    assert diff._table("Added", ["n"], rows[:40])[44:] == [""]


@pytest.mark.parametrize(
    "value, limit, cell",
    [
        (None, 120, ""),
        ("", 120, ""),
        ("  \n ", 120, ""),
        ("Welding  Basics\n Level 1", 120, "` Welding Basics Level 1 `"),
        ("a|b", 120, "` a\\|b `"),
        ("use `make run`", 120, "`` use `make run` ``"),
        ("a ``b`` `c`", 120, "``` a ``b`` `c` ```"),
        ("[link](https://x.test) @team <b>", 120, "` [link](https://x.test) @team <b> `"),
        ("red\x1b[31m", 120, "` red\\x1b[31m `"),
        ("abcdef", 6, "` abcdef `"),
        ("abcdefg", 6, "` abcde… `"),
        (1575.0, 120, "` 1575.0 `"),
    ],
)
def test_page_text_is_shown_as_an_inert_code_span(value, limit, cell):
    assert diff.inert(value, limit) == cell


def test_a_long_value_is_cut_at_sixty_characters_in_a_cell_and_a_child_row_at_240():
    assert diff._cell("y" * 61) == "` " + "y" * 59 + "… `"
    assert diff._cell("y" * 60) == "` " + "y" * 60 + " `"
    assert diff._cell(True) == "` true `"
    assert diff._cell(None) == ""
    assert diff.inert("z" * 121) == "` " + "z" * 119 + "… `"
    long_row = {"course_title": "t" * 300}
    changed = [{"credential_name": "N", "school_year": Y, "columns": [], "children": {"c": {"added": [long_row]}}}]
    report = FULL | {"changed": changed}
    row = next(line for line in diff.to_markdown(report).splitlines() if "course_title=" in line)
    assert row == "| ` N (2024-2025) ` | c | added | ` course_title=" + "t" * (239 - len("course_title=")) + "… ` |"


@pytest.mark.parametrize(
    "value, text", [(True, "true"), (False, "false"), (None, ""), (0, "0"), (0.0, "0.0"), ("", ""), ("x", "x")]
)
def test_a_value_is_written_as_the_csv_writes_it(value, text):
    assert diff.as_csv(value) == text


def test_a_child_row_is_its_columns_without_nulls():
    assert diff.row_text({"course_code": "HU40", "course_title": None, "lco": False}) == "course_code=HU40, lco=false"
    assert diff.row_text({"a": None}) == ""


@pytest.mark.parametrize(
    "old, new, text",
    [
        (
            {"amount_usd": 1525.0, "condition": "with an online webinar"},
            {"amount_usd": 1575.0, "condition": "with an online webinar"},
            "amount_usd: 1525.0 → 1575.0 (condition=with an online webinar)",
        ),
        ({"code": "A", "title": None}, {"code": "A", "title": "Nursing"}, "title: (none) → Nursing (code=A)"),
        ({"code": "A", "title": "Nursing"}, {"code": "A", "title": None}, "title: Nursing → (none) (code=A)"),
        ({"a": 1, "b": True}, {"a": 2, "b": False}, "a: 1 → 2; b: true → false"),
        ({"a": 1}, {"a": 2, "b": None}, "a: 1 → 2"),
    ],
)
def test_a_changed_child_row_shows_each_difference_then_what_stayed(old, new, text):
    assert diff.change_text({"old": old, "new": new}) == text


def test_the_json_report_has_sorted_keys_and_text_as_written():
    assert diff.to_json({"b": "Welding → Metal", "a": [1]}) == '{\n  "a": [\n    1\n  ],\n  "b": "Welding → Metal"\n}\n'
