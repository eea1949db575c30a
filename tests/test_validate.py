"""pandera really fails on bad rows: a bad value is nulled, a bad key drops its row, each listed in rejects."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.tables.validate import frame, validate

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
