"""pipeline/history.py: what raw/ records about each school year besides its pages (fetch dates, refreshes),
read and written. Every expected value is written by hand from the record's text."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from pipeline import history

HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2025-11-20T10:00:00Z", "2025-11-20T10:00:00Z"),
        ("2025-11-20T12:30:00+02:00", "2025-11-20T10:30:00Z"),
        ("  2025-11-20T10:00:00.987654Z\n", "2025-11-20T10:00:00Z"),
        ("2025-11-20T10:00:00", "2025-11-20T10:00:00Z"),  # no zone: read as UTC
        ("2025-11-20", "2025-11-20T00:00:00Z"),
        ("yesterday", None),
        ("", None),
    ],
)
def test_a_time_is_written_in_utc_to_the_second_and_anything_else_is_none(text, iso):
    assert history.utc_iso(text) == iso


FETCHED = {"2023-2024": history.YearRecord(fetched=["2024-01-05T08:00:00Z", "2024-03-01T09:30:00Z"])}
FETCHED["2024-2025"] = history.YearRecord(fetched=["2024-12-31T23:59:59Z"])


@pytest.mark.parametrize(
    "environ, when",
    [
        ({}, "2024-12-31T23:59:59Z"),  # the latest fetch of any year
        ({"SOURCE_DATE_EPOCH": "0"}, "1970-01-01T00:00:00Z"),
        ({"SOURCE_DATE_EPOCH": " 1700000000 "}, "2023-11-14T22:13:20Z"),
        ({"SOURCE_DATE_EPOCH": "-5"}, "2024-12-31T23:59:59Z"),  # not a count of seconds: ignored
        ({"SOURCE_DATE_EPOCH": "1e9"}, "2024-12-31T23:59:59Z"),
        ({"SOURCE_DATE_EPOCH": "1234567890123"}, "2024-12-31T23:59:59Z"),  # 13 digits: ignored
        ({"SOURCE_DATE_EPOCH": "0000000000060"}, "2024-12-31T23:59:59Z"),  # 13 digits, even a minute: ignored
        ({"SOURCE_DATE_EPOCH": "100000000000"}, "5138-11-16T09:46:40Z"),  # 12 digits: taken
        ({"SOURCE_DATE_EPOCH": "253402300799"}, "9999-12-31T23:59:59Z"),  # the last second of year 9999
        ({"SOURCE_DATE_EPOCH": "253402300800"}, "2024-12-31T23:59:59Z"),  # year 10000 has no date: ignored
        ({"SOURCE_DATE_EPOCH": "999999999999"}, "2024-12-31T23:59:59Z"),  # year 33658: was an internal error
    ],
)
def test_the_data_date_is_source_date_epoch_else_the_latest_fetch(environ, when):
    assert history.extracted_at(FETCHED, environ) == when


def test_without_a_fetch_or_source_date_epoch_the_data_has_no_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert history.extracted_at({"2024-2025": history.YearRecord()}) is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "60")
    assert history.extracted_at({}) == "1970-01-01T00:01:00Z"  # the process's environment when none is given


def test_each_school_year_folder_gives_its_fetch_times_and_nothing_else_is_read(tmp_path):
    (tmp_path / "2024-2025").mkdir()
    (tmp_path / "2024-2025" / "manifest.csv").write_text(
        HEADER
        + "text/credential_1.txt,https://h/1,2025-08-01T09:00:00+01:00,200,,,,,live\n"
        + "text/credential_2.txt,https://h/2,,200,,,,,live\n"
        + "text/credential_3.txt,https://h/3,not a time,200,,,,,live\n"
    )
    (tmp_path / "2023-2024").mkdir()  # no manifest, no record
    (tmp_path / "notes").mkdir()
    (tmp_path / ".cache").mkdir()  # sorts before the years: skipped, not the end of the reading
    (tmp_path / "2022-2023").write_text("a file, not a folder")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "manifest.csv").write_text(HEADER + "a.txt,,2020-01-01T00:00:00Z,200,,,,,\n")
    os.symlink(tmp_path / "elsewhere", tmp_path / "2021-2022")  # a symlinked year is not followed
    records = history.read(tmp_path)
    assert sorted(records) == ["2023-2024", "2024-2025"]
    assert records["2024-2025"] == history.YearRecord(fetched=["2025-08-01T08:00:00Z"])
    assert records["2023-2024"] == history.YearRecord()


CHANGE = {
    "credential_slug": "alpha",
    "cred_id": 7,
    "credential_name": "Alpha",
    "table": "credential_courses",
    "column": None,
    "old": None,
    "new": "course_code=CD12",
    "kind": "added",
    "extra": "dropped",
}


def test_a_refresh_record_keeps_what_extract_uses_and_names_each_change_it_leaves_out(tmp_path):
    record = {
        "refreshes": [
            {
                "refreshed_at": "2025-09-01T12:00:00+02:00",
                "since": "2025-08-01T09:00:00Z",
                "base_url": "https://h/",
                "pages": {"failed": {"https://h/9": 500}, "unchanged": ["https://h/1"]},
                "changes": [
                    CHANGE,
                    {**CHANGE, "table": "bogus"},
                    {**CHANGE, "cred_id": True},
                    {**CHANGE, "cred_id": -1},
                    {**CHANGE, "cred_id": 2**63},
                    {**CHANGE, "cred_id": 2**63 - 1, "column": 5},
                    {**CHANGE, "cred_id": None},
                    {**CHANGE, "cred_id": 0},
                    {**CHANGE, "table": "t" * 50},
                    {**CHANGE, "kind": "k" * 50},
                ],
            },
            {"refreshed_at": "2025-10-01T00:00:00Z", "pages": [], "changes": "none"},
            {"refreshed_at": "soon"},
        ]
    }
    (tmp_path / "2024-2025").mkdir()
    (tmp_path / "2024-2025" / "refreshes.json").write_text(json.dumps(record))
    kept = {key: CHANGE[key] for key in CHANGE if key != "extra"}
    assert history.read(tmp_path)["2024-2025"] == history.YearRecord(
        refreshes=[
            {
                "refreshed_at": "2025-09-01T10:00:00Z",
                "since": "2025-08-01T09:00:00Z",
                "failed": {"https://h/9": "500"},
                "changes": [kept, {**kept, "cred_id": None}, {**kept, "cred_id": 0}],
            },
            {"refreshed_at": "2025-10-01T00:00:00Z", "since": None, "failed": {}, "changes": []},
        ],
        problems=[
            "refresh 1: change 2: unknown table 'bogus'; left out",
            "refresh 1: change 3: cred_id is not a directory id; left out",
            "refresh 1: change 4: cred_id is not a directory id; left out",
            "refresh 1: change 5: cred_id is not a directory id; left out",
            "refresh 1: change 6: a value that is not text; left out",
            f"refresh 1: change 9: unknown table '{'t' * 40}'; left out",
            f"refresh 1: change 10: unknown kind '{'k' * 40}'; left out",
            "refresh 3: no refreshed_at time; left out",
        ],
    )


def test_a_record_over_64_mb_is_not_read(tmp_path):
    (tmp_path / "2024-2025").mkdir()
    with open(tmp_path / "2024-2025" / "refreshes.json", "wb") as handle:
        handle.truncate(64 * 1024 * 1024 + 1)
    assert history.read(tmp_path)["2024-2025"].problems == ["over 64 MB; not read"]


def test_refreshes_are_appended_and_the_last_replaced_each_earlier_one_kept_as_it_was(tmp_path):
    (tmp_path / "2024-2025").mkdir()
    path = tmp_path / "2024-2025" / "refreshes.json"
    history.append(tmp_path, "2024-2025", {"refreshed_at": "1", "note": "café"})
    assert path.read_text(encoding="utf-8") == (
        '{\n "refreshes": [\n  {\n   "note": "café",\n   "refreshed_at": "1"\n  }\n ]\n}\n'
    )
    history.append(tmp_path, "2024-2025", {"refreshed_at": "2"})
    history.append(tmp_path, "2024-2025", {"refreshed_at": "3"})
    history.replace_last(tmp_path, "2024-2025", {"refreshed_at": "3", "done": True})
    assert json.loads(path.read_text())["refreshes"] == [
        {"refreshed_at": "1", "note": "café"},
        {"refreshed_at": "2"},
        {"refreshed_at": "3", "done": True},
    ]
    assert sorted(p.name for p in path.parent.iterdir()) == ["refreshes.json"]


@pytest.mark.parametrize("held", [b"[]", b'{"refreshes": {}}', b"\xff not utf-8"])
def test_a_record_of_the_wrong_shape_is_kept_aside_and_a_new_one_started(tmp_path, held):
    (tmp_path / "2024-2025").mkdir()
    (tmp_path / "2024-2025" / "refreshes.json").write_bytes(held)
    history.append(tmp_path, "2024-2025", {"refreshed_at": "1"})
    (aside,) = (tmp_path / "2024-2025").glob("refreshes.json.unreadable-*")
    assert aside.read_bytes() == held
    assert json.loads((tmp_path / "2024-2025" / "refreshes.json").read_text()) == {"refreshes": [{"refreshed_at": "1"}]}


def test_a_record_of_exactly_64_mb_is_read(tmp_path):
    (tmp_path / "2024-2025").mkdir()
    with open(tmp_path / "2024-2025" / "refreshes.json", "wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # not over the cap: read (and found not to be JSON)
    assert history.read(tmp_path)["2024-2025"].problems == ["not a refresh record (JSONDecodeError); not read"]


@pytest.fixture
def tokyo(monkeypatch):
    """The machine's clock in another time zone (UTC+9): times written must not follow it."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_times_are_utc_whatever_the_machines_time_zone(tokyo):
    assert history.utc_iso("2025-11-20T10:00:00") == "2025-11-20T10:00:00Z"
    assert history.utc_iso("2025-11-20T10:00:00+01:00") == "2025-11-20T09:00:00Z"
    assert history.extracted_at({}, {"SOURCE_DATE_EPOCH": "0"}) == "1970-01-01T00:00:00Z"


def test_a_record_kept_aside_is_named_by_the_utc_time_it_was_set_aside(tmp_path, tokyo):
    (tmp_path / "2024-2025").mkdir()
    (tmp_path / "2024-2025" / "refreshes.json").write_bytes(b"{broken")
    history.append(tmp_path, "2024-2025", {"refreshed_at": "1"})
    (aside,) = (tmp_path / "2024-2025").glob("refreshes.json.unreadable-*")
    named = datetime.strptime(aside.name.rpartition("-")[2], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(named - datetime.now(UTC)) < timedelta(hours=1)  # Tokyo's wall clock is 9 hours off
