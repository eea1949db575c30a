"""pandera really fails on bad rows: a bad value is nulled, a bad key drops its row, each listed in rejects."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pandera
import pytest
from pandera.engines import pandas_engine

from pipeline.tables.validate import frame, validate
from schemas.tables import Text

BASE = {
    "school_year": "2023-2024",
    "cred_id": 1,
    "credential_slug": "x",
    "credential_name": "X",
    "is_draft": False,
    "source_format": "text",
    "complete": True,
    "source_path": "2023-2024/text/x.txt",
    "source_sha256": "a" * 64,
}


def _credential(**changes):
    return {**BASE, **changes}


@pytest.mark.parametrize(
    "column, bad",
    [
        ("lead_consultant_email", "eli.hamrick@dpi"),
        ("passing_score_percent", 140.0),
        ("vendor_emails", "info@ncrla.org; nope@"),
        ("instructor_training", "mandatory"),
        ("exam_minutes", 0),
        ("vendor_url", "www.example.org"),
    ],
)
def test_bad_value_is_nulled_and_listed(column, bad):
    rows = [_credential(credential_slug="a", **{column: bad}), _credential(credential_slug="b")]
    valid, rejects = validate("credentials", frame("credentials", rows))
    assert list(valid["credential_slug"]) == ["a", "b"]
    assert pd.isna(valid.loc[0, column])
    assert [(r["table"], r["key"], r["column"], r["failure_case"], r["source_path"]) for r in rejects] == [
        ("credentials", "2023-2024/a", column, str(bad), "2023-2024/text/x.txt")
    ]


@pytest.mark.parametrize(
    "changes, column, check",
    [
        ({"school_year": "2023-2025"}, "school_year", "consecutive_school_year"),
        ({"school_year": "2023"}, "school_year", "str_matches"),
        ({"credential_name": None}, "credential_name", "not_nullable"),
        ({"credential_slug": "Not A Slug"}, "credential_slug", "str_matches"),
    ],
)
def test_bad_key_drops_the_row_and_lists_it(changes, column, check):
    rows = [_credential(**{"credential_slug": "a", **changes}), _credential(credential_slug="b")]
    valid, rejects = validate("credentials", frame("credentials", rows))
    assert list(valid["credential_slug"]) == ["b"]
    assert len(rejects) == 1
    assert rejects[0]["column"] == column and rejects[0]["check"].startswith(check)


def test_duplicate_key_keeps_the_first_and_lists_the_rest():
    rows = [_credential(credential_name="First"), _credential(credential_name="Second")]
    valid, rejects = validate("credentials", frame("credentials", rows))
    assert list(valid["credential_name"]) == ["First"]
    assert rejects[0]["check"] == "duplicate_key"


@pytest.mark.parametrize("code", ["43-903", "4-9031", "43-90311"])
def test_malformed_soc_code_drops_the_child_row(code):
    rows = [
        {
            "school_year": "2023-2024",
            "credential_slug": "x",
            "soc_code": code,
            "soc_title": "Desktop Publishers",
            "source_path": "p",
        },
        {
            "school_year": "2023-2024",
            "credential_slug": "x",
            "soc_code": "43-9031",
            "soc_title": "Desktop Publishers",
            "source_path": "p",
        },
    ]
    valid, rejects = validate("credential_soc_codes", frame("credential_soc_codes", rows))
    assert list(valid["soc_code"]) == ["43-9031"]
    assert (rejects[0]["column"], rejects[0]["failure_case"]) == ("soc_code", code)


def test_valid_rows_pass_untouched():
    rows = [_credential(credential_slug="a", passing_score_percent=73.0, lead_consultant_email="a.b@dpi.nc.gov")]
    valid, rejects = validate("credentials", frame("credentials", rows))
    assert rejects == []
    assert valid.loc[0, "passing_score_percent"] == 73.0


def test_child_rows_of_a_dropped_credential_are_listed_not_kept():
    from pipeline.tables.validate import drop_orphans

    credentials = frame("credentials", [_credential(credential_slug="kept")])
    children = frame(
        "credential_soc_codes",
        [
            {
                "school_year": "2023-2024",
                "credential_slug": slug,
                "soc_code": "27-1024",
                "soc_title": "Graphic Designers",
                "source_path": f"{slug}.txt",
            }
            for slug in ("kept", "dropped")
        ],
    )
    valid, rejects = drop_orphans("credential_soc_codes", children, credentials)
    assert list(valid["credential_slug"]) == ["kept"]
    assert rejects == [
        {
            "table": "credential_soc_codes",
            "key": "2023-2024/dropped/27-1024",
            "column": "credential_slug",
            "check": "credential_row_exists",
            "failure_case": "dropped",
            "source_path": "dropped.txt",
        }
    ]


# --- numbers no column can hold, screened before the cast (expected values by hand) ---------------------------

ROW = {"school_year": "2023-2024", "source_path": "p.txt", "page": 7}


def test_numbers_no_column_can_hold_are_rejected_and_nulled_and_the_row_kept_when_the_column_may_be_empty():
    from pipeline.tables.validate import screen_numbers

    rows = [
        {**ROW, "credential_slug": "a", "cred_id": 2**63 - 1, "exam_minutes": -(2**63), "passing_score_percent": 73.5},
        {**ROW, "credential_slug": "b", "cred_id": 2**63},
        {**ROW, "credential_slug": "c", "exam_minutes": -(2**63) - 1},
        {**ROW, "credential_slug": "d", "passing_score_percent": float("inf")},
        {**ROW, "credential_slug": "e", "lifespan_years": float("nan")},
        {**ROW, "credential_slug": "f", "exam_minutes": 10**39},  # 40 digits: shown whole
        {**ROW, "credential_slug": "g", "exam_minutes": 10**40},  # 41 digits: cut at 40
        {**ROW, "credential_slug": "h", "exam_minutes": "90"},  # text is no whole number
        {**ROW, "credential_slug": "i", "passing_score_percent": "1e999"},  # infinite once read
        {**ROW, "credential_slug": "j", "passing_score_percent": "abc"},
        {**ROW, "credential_slug": "k", "lifespan_years": 10**400},  # too large for a float
        {**ROW, "credential_slug": None, "cred_id": -(2**64)},  # a key part missing: nothing in its place
    ]
    kept, rejects = screen_numbers("credentials", rows, carry=("page",))
    assert kept[0] == rows[0]
    assert [row["credential_slug"] for row in kept] == [*"abcdefghijk", None]  # every column may be empty
    assert [(row.get("cred_id"), row.get("exam_minutes"), row.get("passing_score_percent")) for row in kept[1:4]] == [
        (None, None, None),
        (None, None, None),
        (None, None, None),
    ]
    assert kept[1]["credential_slug"] == "b" and "page" in kept[1]
    assert [(r["key"], r["column"], r["check"], r["failure_case"]) for r in rejects] == [
        ("2023-2024/b", "cred_id", "fits_int64", "9223372036854775808"),
        ("2023-2024/c", "exam_minutes", "fits_int64", "-9223372036854775809"),
        ("2023-2024/d", "passing_score_percent", "finite_number", "inf"),
        ("2023-2024/e", "lifespan_years", "finite_number", "nan"),
        ("2023-2024/f", "exam_minutes", "fits_int64", "1" + "0" * 39),
        ("2023-2024/g", "exam_minutes", "fits_int64", "1" + "0" * 39 + "... (41 characters)"),
        ("2023-2024/h", "exam_minutes", "fits_int64", "90"),
        ("2023-2024/i", "passing_score_percent", "finite_number", "1e999"),
        ("2023-2024/j", "passing_score_percent", "finite_number", "abc"),
        ("2023-2024/k", "lifespan_years", "finite_number", "1" + "0" * 39 + "... (401 characters)"),
        ("2023-2024/", "cred_id", "fits_int64", "-18446744073709551616"),
    ]
    assert {(r["table"], r["source_path"], r["page"]) for r in rejects} == {("credentials", "p.txt", 7)}
    assert rows[1]["cred_id"] == 2**63  # the caller's rows are not changed


def test_a_number_no_column_can_hold_in_a_key_or_a_required_column_leaves_its_row_out():
    from pipeline.tables.validate import screen_numbers

    rows = [
        {**ROW, "credential_slug": "x", "option": 1, "amount_usd": float("inf")},  # required amount
        {**ROW, "credential_slug": "x", "option": 2**63, "amount_usd": 10.0},  # key
        {**ROW, "credential_slug": "x", "option": 3, "amount_usd": 25.0},
    ]
    kept, rejects = screen_numbers("instructor_training_costs", rows)
    assert kept == [rows[2]]
    assert [(r["key"], r["column"], r["failure_case"]) for r in rejects] == [
        ("2023-2024/x/1", "amount_usd", "inf"),
        ("2023-2024/x/9223372036854775808", "option", "9223372036854775808"),
    ]
    assert "page" not in rejects[0]  # nothing carried unless asked


def test_a_value_of_another_type_in_a_text_column_is_written_as_text():
    rows = [_credential(credential_slug="a", credential_name=123, vendor_name=4.5)]
    data = frame("credentials", rows)
    assert (data.loc[0, "credential_name"], data.loc[0, "vendor_name"], data.loc[0, "cred_id"]) == ("123", "4.5", 1)
    assert pd.isna(data.loc[0, "lifespan_years"]) and str(data["lifespan_years"].dtype) == "Float64"  # not in the row


def test_an_empty_table_validates_to_itself_with_no_rejects():
    data = frame("credentials", [])
    valid, rejects = validate("credentials", data)
    assert (len(valid), rejects) == (0, [])
    assert list(valid.columns) == list(data.columns)


def test_every_repeat_of_a_key_is_listed_with_its_own_file_and_carried_columns():
    rows = [
        _credential(credential_name="First", source_path="a.txt"),
        _credential(credential_name="Second", source_path="b.txt"),
        _credential(credential_slug="y", credential_name="Other", source_path="y.txt"),
        _credential(credential_name="Third", source_path="c.txt"),
    ]
    data = frame("credentials", rows)
    carry = pd.DataFrame({"page": [1, 2, 3, 4]}, index=data.index)
    valid, rejects = validate("credentials", data, carry=carry)
    assert list(valid["credential_name"]) == ["First", "Other"]
    assert list(valid.index) == [0, 2]  # the valid rows keep their index
    assert rejects == [
        {
            "page": page,
            "table": "credentials",
            "key": "2023-2024/x",
            "column": "school_year/credential_slug",
            "check": "duplicate_key",
            "failure_case": "2023-2024/x",
            "source_path": path,
        }
        for page, path in ((2, "b.txt"), (4, "c.txt"))
    ]


def test_a_reject_names_the_file_given_for_its_row_and_an_empty_key_part_as_nothing():
    rows = [_credential(credential_slug="a", school_year=None), _credential(credential_slug="b", exam_minutes=0)]
    data = frame("credentials", rows)
    paths = pd.Series(["first.html", "second.html"], index=data.index)
    valid, rejects = validate("credentials", data, source_paths=paths)
    assert list(valid["credential_slug"]) == ["b"]
    assert pd.isna(valid.loc[1, "exam_minutes"])
    assert sorted((r["key"], r["column"], r["failure_case"], r["source_path"]) for r in rejects) == [
        ("/a", "school_year", None, "first.html"),
        ("2023-2024/b", "exam_minutes", "0", "second.html"),
    ]


def test_a_frame_without_source_paths_gives_rejects_without_one():
    data = frame("credentials", [_credential(credential_slug="a", exam_minutes=0)]).drop(columns="source_path")
    from pipeline.tables.validate import _apply_failures

    failures = pd.DataFrame([{"index": 0, "column": "exam_minutes", "check": "greater_than(0)", "failure_case": 0}])
    nulled, rejects = _apply_failures("credentials", data, failures, pd.Series([None], index=data.index), None)
    assert pd.isna(nulled.loc[0, "exam_minutes"])
    assert rejects == [
        {
            "table": "credentials",
            "key": "2023-2024/a",
            "column": "exam_minutes",
            "check": "greater_than(0)",
            "failure_case": "0",
            "source_path": None,
        }
    ]


@pytest.mark.parametrize("index", [None, float("nan"), 5])
def test_a_failure_of_no_row_of_the_table_is_an_error_not_a_reject(index):
    from pipeline.tables.validate import _apply_failures

    data = frame("credentials", [_credential(credential_slug="a")])
    failures = pd.DataFrame([{"index": index, "column": "cred_id", "check": "unique", "failure_case": 1}])
    with pytest.raises(RuntimeError, match="credentials: table-level check failed: unique on cred_id"):
        _apply_failures("credentials", data, failures, data["source_path"], None)


def test_courses_the_listing_and_the_pages_disagree_on_are_listed_each_way_in_order():
    from pipeline.tables.validate import cross_check_courses

    listing = pd.DataFrame(
        [
            ("2023-2024", "IM11", "cpt"),
            ("2023-2024", "BM20", "excel"),
            ("2023-2024", "BM10", "word"),
        ],
        columns=["school_year", "course_code", "credential_slug"],
    )
    courses = pd.DataFrame(
        [
            ("2023-2024", "IM11", "cpt"),
            ("2023-2024", "IC21", "osha"),
            ("2023-2024", "AA10", "osha"),
            ("2022-2023", "ZZ99", "old"),  # a year the listing does not cover: not compared
            ("2023-2024", "BM20", "word"),  # the course of another credential: not the same pair
        ],
        columns=["school_year", "course_code", "credential_slug"],
    )
    assert cross_check_courses(listing, courses) == [
        "2023-2024 BM10 / word: in Credentials by Course, not on the credential's page",
        "2023-2024 BM20 / excel: in Credentials by Course, not on the credential's page",
        "2023-2024 AA10 / osha: on the credential's page, not in Credentials by Course",
        "2023-2024 BM20 / word: on the credential's page, not in Credentials by Course",
        "2023-2024 IC21 / osha: on the credential's page, not in Credentials by Course",
    ]


def test_a_table_without_source_paths_gives_rejects_without_one():
    from pipeline.tables.validate import frame as make

    rows = [
        {"school_year": year, "documents": 3, "credentials": 2, "cut": 0, "listing": False, "complete": True}
        for year in ("2022-2023", "2023-2024", "2024-2025")
    ]
    rows[2]["failed"] = -1
    data = make("coverage", rows).iloc[1:]  # an index that is not 0, 1, 2...
    valid, rejects = validate("coverage", data)
    assert list(valid.index) == [1, 2] and pd.isna(valid.loc[2, "failed"])
    assert rejects == [
        {
            "table": "coverage",
            "key": "2024-2025",
            "column": "failed",
            "check": "greater_than_or_equal_to(0)",
            "failure_case": "-1",
            "source_path": None,
        }
    ]


def test_rejects_of_every_kind_and_pass_are_kept_with_their_carried_columns():
    rows = [
        _credential(credential_slug="a", exam_minutes=0, source_path="a.txt"),
        _credential(credential_slug="a", source_path="again.txt"),
        _credential(credential_slug="Bad Slug", source_path="b.txt"),
    ]
    data = frame("credentials", rows)
    carry = pd.DataFrame({"page": [1, 2, 3]}, index=data.index)
    valid, rejects = validate("credentials", data, carry=carry)
    assert list(valid["credential_slug"]) == ["a"]
    assert sorted((r["page"], r["column"], r["check"], r["source_path"]) for r in rejects) == [
        (1, "exam_minutes", "greater_than_or_equal_to(1)", "a.txt"),  # the schema: at least a minute
        (2, "school_year/credential_slug", "duplicate_key", "again.txt"),
        (3, "credential_slug", "str_matches('^[a-z0-9]+(?:-[a-z0-9]+)*$')", "b.txt"),
    ]


def test_orphans_carry_their_columns():
    from pipeline.tables.validate import drop_orphans

    credentials = frame("credentials", [_credential(credential_slug="kept")])
    children = frame(
        "credential_pathways",
        [
            {"school_year": "2023-2024", "credential_slug": "gone", "pathway_code": "MFG", "source_path": "g.txt"},
        ],
    )
    valid, rejects = drop_orphans("credential_pathways", children, credentials, pd.DataFrame({"page": [9]}))
    assert len(valid) == 0
    assert [(r["page"], r["key"], r["failure_case"]) for r in rejects] == [(9, "2023-2024/gone/MFG", "gone")]


def test_a_validation_that_does_not_settle_says_so(monkeypatch):
    from pipeline.tables import validate as module

    monkeypatch.setattr(module, "_MAX_PASSES", 0)
    with pytest.raises(RuntimeError, match=r"^credentials: validation did not settle after 0 passes$"):
        validate("credentials", frame("credentials", [_credential()]))


def test_a_frame_and_an_arrow_table_carry_the_schema_s_types_both_ways():
    import pyarrow as pa

    from pipeline.tables.validate import as_frame, as_table

    data = frame("credentials", [_credential(credential_slug="a"), _credential(credential_slug="b", cred_id=None)])
    table = as_table("credentials", data.iloc[1:])  # its index, 1, is not written
    assert table.column_names == list(data.columns)
    assert "__index_level_0__" not in table.column_names
    assert (table.schema.field("cred_id").type, table.schema.field("credential_name").type) == (pa.int64(), pa.string())
    assert table.column("credential_slug").to_pylist() == ["b"]
    back = as_frame(pa.table({"cred_id": pa.array([1, None], pa.int64()), "ok": pa.array([True, None])}))
    assert (str(back["cred_id"].dtype), str(back["ok"].dtype)) == ("Int64", "boolean")
    assert back.loc[0, "cred_id"] == 1 and pd.isna(back.loc[1, "cred_id"])


def _text_column(dtype) -> pandera.DataFrameSchema:
    return pandera.DataFrameSchema(
        {"a": pandera.Column(dtype, pandera.Check.str_matches("^x"), nullable=True)}, coerce=True, strict=True
    )


@pytest.mark.parametrize(
    "column, failing",
    [
        (pd.Series(["x1", None, "y"], dtype=pd.StringDtype("pyarrow")), [("y", 2)]),
        (pd.Series(["x1", None, "y"], dtype=pd.StringDtype("python")), [("y", 2)]),
        (pd.Series([1, None, 3], dtype="Int64"), [("1", 0), ("3", 2)]),
        (pd.Series([1, None, "x"], dtype=object), [("1", 0)]),
        (pd.Series([True, False], dtype="boolean"), [("True", 0), ("False", 1)]),
    ],
)
def test_a_text_column_fails_as_with_pandas_own_string_dtype(column, failing):
    for dtype in (pandas_engine.STRING(), Text()):
        try:
            valid = _text_column(dtype).validate(pd.DataFrame({"a": column}), lazy=True)
            found = []
        except pandera.errors.SchemaErrors as errors:
            cases = errors.failure_cases
            found = [(str(case), index) for case, index in zip(cases["failure_case"], cases["index"], strict=True)]
            valid = None
        assert found == failing, dtype
        assert valid is None or str(valid["a"].dtype) == "string", dtype


def test_a_column_of_the_text_dtype_is_judged_once_not_value_by_value():
    column = pd.Series(["x", None], dtype=pd.StringDtype("pyarrow"))
    assert Text().check(pandas_engine.Engine.dtype(column.dtype), column) is True
    assert list(pandas_engine.STRING().check(pandas_engine.Engine.dtype(column.dtype), column)) == [True, True]


@pytest.mark.parametrize(
    "column, answer",
    [
        (pd.Series([1, None], dtype="Int64"), False),
        (pd.Series([1.5], dtype="Float64"), False),
        (pd.Series(["x", 1, None], dtype=object), [True, False, True]),
    ],
)
def test_a_column_of_another_dtype_is_judged_as_pandera_judges_it(column, answer):
    for dtype in (pandas_engine.STRING(), Text()):
        found = dtype.check(pandas_engine.Engine.dtype(column.dtype), column)
        assert (found if isinstance(found, bool) else list(found)) == answer, dtype


@pytest.mark.parametrize("dtype", ["no such dtype", pd.PeriodDtype, object()])
def test_a_dtype_pandera_cannot_name_is_not_the_text_dtype(dtype):
    """pandera's engine raises TypeError for these (a name it does not know, a dtype class that needs arguments,
    an object that is no dtype): its STRING answers False, and so does Text, with or without a column of text."""
    with pytest.raises(TypeError):
        pandas_engine.Engine.dtype(dtype)
    for text in (pandas_engine.STRING(), Text()):
        assert text.check(dtype) is False, text
        assert text.check(dtype, pd.Series(["x"], dtype=pd.StringDtype("pyarrow"))) is False, text
