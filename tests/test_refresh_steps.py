"""pipeline/refresh.py in process (issue 22): each step with plain data and folders in tmp_path, and the whole
refresh against a stand-in site on 127.0.0.1 (`tools.demo_site`), never the internet.

tests/test_refresh.py runs the `refresh` command in a subprocess (mutmut cannot see into it, and it takes
seconds a test); these call the module's functions. Every expected value is written by hand from the input:
the pages served, the folders made, the facts given.
"""

from __future__ import annotations

import json
import locale
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline import refresh
from pipeline.extract import Result, extract
from pipeline.fetch import crawl
from pipeline.fetch.http import HostUnreachable
from pipeline.files import UnsafeOutput, UsageError
from tools.demo_site import START, Site, SiteServer

YEAR = "2024-2025"
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)  # the refresh's clock
WHEN_TEXT = "2026-01-02T03:04:05Z"  # its refreshed_at
EPOCH = "1767225600"  # SOURCE_DATE_EPOCH for the refresh's extraction: data as of 2026-01-01T00:00:00Z
FETCHED = "2025-08-01T09:00:00Z"  # when the pages already in raw/ were fetched
LIVE = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id="
HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
NAMES = {1: "Alpha Welding", 2: "Bravo Nursing", 3: "Charlie Coding"}


def page(year: str, name: str, passing: str = "70% or higher") -> bytes:
    rows = [
        ("Credential Name", name),
        ("Credential Lifespan", "3 years"),
        ("Exam Passing Requirement", passing),
        ("Directory Notes", "None"),
    ]
    cells = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    body = f"<h2>{year} Credential Information</h2><h3>{name}</h3><table>{cells}</table>"
    return f"<html><body>{body}</body></html>".encode()


def write_year(raw: Path, year: str, etags: dict[int, str] | None = None) -> None:
    """raw/<year>/ with the three credentials at 70%, fetched from the directory at FETCHED, origin `sample`."""
    rows = []
    for number, name in NAMES.items():
        path = raw / year / "html" / f"credential_{number}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page(year, name))
        etag = (etags or {}).get(number, "")
        rows.append(f"html/credential_{number}.html,{LIVE}{number},{FETCHED},200,text/html,,{etag},,sample\n")
    (raw / year / "manifest.csv").write_text(HEADER + "".join(rows))


def settings(base_url: str, raw: Path, **extra: Any) -> crawl.Settings:
    return crawl.Settings(year=YEAR, base_url=base_url, raw=raw, rate=1000, retries=0, **extra)


def cred_url(base_url: str, number: int) -> str:
    return f"{base_url}credential_info.php?choice=credential&cred_id={number}"


# --- the verdict and the last line -------------------------------------------------------------------


@pytest.mark.parametrize(
    "failed, coverage, problems",
    [
        ({}, {"incomplete_because": []}, []),
        ({"u1": "HTTP 500"}, {"incomplete_because": []}, ["1 page failed (u1)"]),
        ({"u1": "a", "u2": "b"}, {"incomplete_because": []}, ["2 pages failed (u1, u2)"]),
        ({"u1": "a", "u2": "b", "u3": "c"}, {"incomplete_because": []}, ["3 pages failed (u1, u2, u3)"]),
        (
            {"u1": "a", "u2": "b", "u3": "c", "u4": "d"},
            {"incomplete_because": []},
            ["4 pages failed (u1, u2, u3 and 1 more)"],
        ),
        (
            {"u1": "a", "u2": "b", "u3": "c", "u4": "d", "u5": "e"},
            {"incomplete_because": []},
            ["5 pages failed (u1, u2, u3 and 2 more)"],
        ),
        ({}, None, ["no credential of 2024-2025 was read"]),
        ({"u1": "a"}, None, ["1 page failed (u1)", "no credential of 2024-2025 was read"]),
        ({}, {"incomplete_because": ["1 of 3 credentials cut"]}, ["2024-2025 is incomplete (1 of 3 credentials cut)"]),
        (
            {"u9": "x"},
            {"incomplete_because": ["1 of 3 credentials cut", "1 page failed in its last refresh"]},
            [
                "1 page failed (u9)",
                "2024-2025 is incomplete (1 of 3 credentials cut, 1 page failed in its last refresh)",
            ],
        ),
    ],
)
def test_the_verdict_names_failed_pages_up_to_three_and_why_the_year_is_incomplete(failed, coverage, problems):
    assert refresh._verdict(YEAR, failed, coverage) == {"problems": problems}


@pytest.mark.parametrize(
    "year, code, problems, comparison, line",
    [
        (
            "2024-2025",
            0,
            [],
            None,
            "refresh 2024-2025: complete (exit 0): every page came home; this refresh: nothing to compare "
            "(no previous outputs)",
        ),
        (
            "2025-2026",
            0,
            [],
            {"counts": {"added": 1, "removed": 2, "renamed": 3, "changed": 4}},
            "refresh 2025-2026: complete (exit 0): every page came home; this refresh: 1 added, 2 removed, "
            "3 renamed, 4 changed",
        ),
        (
            "2024-2025",
            1,
            ["1 page failed (u1)", "2024-2025 is incomplete (1 page failed in its last refresh)"],
            {"counts": {"added": 0, "removed": 5, "renamed": 0, "changed": 7}},
            "refresh 2024-2025: INCOMPLETE (exit 1): 1 page failed (u1); 2024-2025 is incomplete (1 page failed in "
            "its last refresh); this refresh: 0 added, 5 removed, 0 renamed, 7 changed",
        ),
        (
            "2024-2025",
            1,
            ["no credential of 2024-2025 was read"],
            None,
            "refresh 2024-2025: INCOMPLETE (exit 1): no credential of 2024-2025 was read; this refresh: nothing to "
            "compare (no previous outputs)",
        ),
    ],
)
def test_the_last_line_says_complete_or_incomplete_why_and_what_this_refresh_changed(
    year, code, problems, comparison, line
):
    assert refresh._last_line(year, code, {"problems": problems}, comparison) == line


def test_the_last_line_with_previous_outputs_kept_but_nothing_extracted_says_so():
    problems = {"problems": ["no credential of 2024-2025 was read"]}
    assert refresh._last_line(YEAR, 1, problems, None, True) == (
        "refresh 2024-2025: INCOMPLETE (exit 1): no credential of 2024-2025 was read; this refresh: nothing to "
        "compare (nothing was extracted)"
    )
    assert refresh._last_line(YEAR, 0, {"problems": []}, {"counts": dict.fromkeys(COUNTED, 2)}, True) == (
        "refresh 2024-2025: complete (exit 0): every page came home; this refresh: 2 added, 2 removed, 2 renamed, "
        "2 changed"
    )


COUNTED = ("added", "removed", "renamed", "changed")


# --- what the year's record keeps and the report's extract facts --------------------------------------


def test_a_change_row_is_recorded_without_its_year_and_times_which_are_the_records():
    row = {
        "school_year": "2024-2025",
        "credential_slug": "alpha-welding",
        "cred_id": 1,
        "credential_name": "Alpha Welding",
        "between": "refreshes",
        "since": "2025-08-01T09:00:00Z",
        "until": "2026-01-02T03:04:05Z",
        "table": "credentials",
        "column": "passing_requirement_text",
        "old": "70% or higher",
        "new": "80% or higher",
        "kind": "changed",
    }
    assert refresh._recorded(row) == {
        "credential_slug": "alpha-welding",
        "cred_id": 1,
        "credential_name": "Alpha Welding",
        "table": "credentials",
        "column": "passing_requirement_text",
        "old": "70% or higher",
        "new": "80% or higher",
        "kind": "changed",
    }


def test_the_extract_facts_are_the_summarys_headline_with_drift_labels_counted():
    summary = {
        "extracted_at": "2026-01-01T00:00:00Z",
        "documents": 12,
        "credentials": 10,
        "rejects": 2,
        "conflicts": 3,
        "origins": {"live": 7, "archive": 3},
        "unreadable": {"2024-2025/pdf/credentials_by_course.pdf": "corrupt PDF"},
        "drift_labels": {"Exam Fee": 4, "Vendor Site": 1},
        "rows": {"credentials": 10},  # not a headline fact
        "notes": {},
    }
    assert refresh._extract_facts(Result(tables={}, summary=summary)) == {
        "extracted_at": "2026-01-01T00:00:00Z",
        "documents": 12,
        "credentials": 10,
        "rejects": 2,
        "conflicts": 3,
        "origins": {"live": 7, "archive": 3},
        "unreadable": {"2024-2025/pdf/credentials_by_course.pdf": "corrupt PDF"},
        "drift_labels": 2,
    }


def test_the_extract_facts_of_no_extraction_are_none_and_a_missing_fact_is_null():
    assert refresh._extract_facts(None) is None
    assert refresh._extract_facts(Result(tables={}, summary={"credentials": 4})) == {
        "extracted_at": None,
        "documents": None,
        "credentials": 4,
        "rejects": None,
        "conflicts": None,
        "origins": None,
        "unreadable": None,
        "drift_labels": 0,
    }


# --- the previous outputs, kept ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "summary, since",
    [
        (b'{"extracted_at": "2025-08-01T09:00:00Z", "credentials": 3}', "2025-08-01T09:00:00Z"),
        (b'{"credentials": 3}', None),  # an output from before extracted_at
        (b"not json", None),
        (b'["extracted_at"]', None),  # JSON, but not an object
        (b'{"extracted_at": "caf\xe9"}', None),  # not UTF-8
        (None, None),  # no summary.json
    ],
)
def test_since_is_the_kept_summarys_extracted_at_or_none_when_it_cannot_be_read(tmp_path, summary, since):
    if summary is not None:
        (tmp_path / "summary.json").write_bytes(summary)
    assert refresh._extracted_at(tmp_path) == since


def test_the_kept_summary_is_read_as_utf8_whatever_the_locale(tmp_path):
    (tmp_path / "summary.json").write_bytes('{"extracted_at": "2025-08-01T09:00:00Z", "notes": "café"}'.encode())
    held = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # the locale's encoding is ASCII
    try:
        since = refresh._extracted_at(tmp_path)
    finally:
        locale.setlocale(locale.LC_CTYPE, held)
    assert since == "2025-08-01T09:00:00Z"


def test_since_is_none_without_previous_outputs():
    assert refresh._extracted_at(None) is None


def _outputs(out: Path) -> None:
    """An output folder as extract leaves it, by hand: tables, summary, CSV, report."""
    (out / "parquet").mkdir(parents=True)
    (out / "parquet" / "credentials.parquet").write_bytes(b"credentials table")
    (out / "parquet" / "coverage.parquet").write_bytes(b"coverage table")
    (out / "csv").mkdir()
    (out / "csv" / "credentials.csv").write_bytes(b"credential_slug\n")
    (out / "summary.json").write_bytes(b'{"extracted_at": "2025-08-01T09:00:00Z"}')
    (out / "report.html").write_bytes(b"<html></html>")
    (out / ".nccte-extract").write_bytes(b"extract's output\n")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


KEPT = {
    ".nccte-refresh-previous": b"The outputs before the last refresh, kept to compare; replaced by the next.\n",
    "parquet/coverage.parquet": b"coverage table",
    "parquet/credentials.parquet": b"credentials table",
    "summary.json": b'{"extracted_at": "2025-08-01T09:00:00Z"}',
}


def test_the_previous_tables_and_summary_are_kept_with_the_marker_and_nothing_else(tmp_path):
    _outputs(tmp_path / "out")
    keep = tmp_path / "cache" / "refresh" / "previous"  # its parents made too
    assert refresh._keep_previous(tmp_path / "out", keep) == keep
    assert _tree(keep) == KEPT
    assert (tmp_path / "out" / "parquet" / "credentials.parquet").read_bytes() == b"credentials table"  # copied


def test_the_last_refreshs_kept_outputs_are_replaced_whole(tmp_path):
    _outputs(tmp_path / "out")
    keep = tmp_path / "keep"
    (keep / "parquet").mkdir(parents=True)
    (keep / ".nccte-refresh-previous").write_bytes(b"kept\n")
    (keep / "parquet" / "old_table.parquet").write_bytes(b"from the refresh before")
    (keep / "summary.json").write_bytes(b"{}")
    assert refresh._keep_previous(tmp_path / "out", keep) == keep
    assert _tree(keep) == KEPT


def test_an_output_without_a_summary_keeps_its_tables(tmp_path):
    _outputs(tmp_path / "out")
    (tmp_path / "out" / "summary.json").unlink()
    assert refresh._keep_previous(tmp_path / "out", tmp_path / "keep") == tmp_path / "keep"
    assert _tree(tmp_path / "keep") == {key: value for key, value in KEPT.items() if key != "summary.json"}


def test_no_previous_outputs_keep_nothing_and_leave_a_foreign_keep_folder_alone(tmp_path):
    (tmp_path / "out" / "parquet").mkdir(parents=True)
    (tmp_path / "out" / "parquet" / "coverage.parquet").write_bytes(b"no credentials table: not an output")
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "notes.txt").write_bytes(b"mine")
    assert refresh._keep_previous(tmp_path / "out", tmp_path / "keep") is None
    assert refresh._keep_previous(tmp_path / "nothing", tmp_path / "new") is None
    assert _tree(tmp_path / "keep") == {"notes.txt": b"mine"} and not (tmp_path / "new").exists()


@pytest.mark.parametrize("foreign", ["a user's file", "a file, not a folder"])
def test_a_keep_folder_a_refresh_did_not_write_is_refused_and_left_as_it_was(tmp_path, foreign):
    _outputs(tmp_path / "out")
    keep = tmp_path / "keep"
    if foreign == "a user's file":
        keep.mkdir()
        (keep / "notes.txt").write_bytes(b"mine")
    else:
        keep.write_bytes(b"mine")
    with pytest.raises(UsageError) as refused:
        refresh._keep_previous(tmp_path / "out", keep)
    assert str(refused.value) == (
        f"--keep {keep} holds files a refresh did not keep there; choose a new or empty folder"
    )
    assert (keep / "notes.txt" if keep.is_dir() else keep).read_bytes() == b"mine"


def test_an_empty_keep_folder_is_used_as_the_message_for_a_foreign_one_says(tmp_path):
    _outputs(tmp_path / "out")
    (tmp_path / "keep").mkdir()
    assert refresh._keep_previous(tmp_path / "out", tmp_path / "keep") == tmp_path / "keep"
    assert _tree(tmp_path / "keep") == KEPT


def test_a_keep_link_to_an_empty_folder_is_refused_not_followed(tmp_path):
    _outputs(tmp_path / "out")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "keep").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UsageError):
        refresh._keep_previous(tmp_path / "out", tmp_path / "keep")
    assert (tmp_path / "keep").is_symlink() and list((tmp_path / "elsewhere").iterdir()) == []


# --- extract, or why not ----------------------------------------------------------------------------


def test_extract_with_no_document_says_why_and_gives_none(tmp_path):
    (tmp_path / "raw").mkdir()
    said: list[str] = []
    assert refresh._extract(tmp_path / "raw", tmp_path / "out", None, said.append) is None
    raw = tmp_path / "raw"
    assert said == [f"extract: no documents under {raw} (expected {raw}/<school_year>/<kind>/<file>)"]


def test_extract_into_an_unsafe_output_is_raised_not_said(tmp_path):
    write_year(tmp_path / "raw", YEAR)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "thesis.docx").write_bytes(b"mine")
    said: list[str] = []
    with pytest.raises(UnsafeOutput):
        refresh._extract(tmp_path / "raw", tmp_path / "out", None, said.append)
    assert said == []


# --- the report -------------------------------------------------------------------------------------

NO_CHANGES = {
    "old": "extracted before this refresh",
    "new": "extracted after it",
    "counts": {
        "added": 0,
        "removed": 0,
        "renamed": 0,
        "changed": 0,
        "values": 0,
        "child_rows": 0,
        "schema": 0,
        "not_in_this_copy": 0,
        "not_in_old_copy": 0,
        "unseen": 0,
    },
    "added": [],
    "removed": [],
    "renamed": [],
    "changed": [],
    "not_in_this_copy": [],
    "not_in_old_copy": [],
    "incomplete": {"old": {}, "new": {}},
    "schema": {},
}

FULL = {
    "year": "2024-2025",
    "refreshed_at": "2026-01-02T03:04:05Z",
    "base_url": "https://center.ncsu.edu/nccte-cms/",
    "origin": "live",
    "since": "2025-08-01T09:00:00Z",
    "pages": {
        "written": 7,
        "unchanged": 5,
        "not_found": 3,
        "discovered": 16,
        "failed": {"https://x.org/a?cred_id=3": "HTTP 500", "https://x.org/b|c": "gave up `x`"},
    },
    "listing": "pdf/credentials_by_course.pdf",
    "out": "extracted",
    "kept": ".cache/refresh/previous",
    "coverage": {
        "complete": False,
        "incomplete_because": ["2 pages failed in its last refresh", "1 of 14 credentials cut"],
        "documents": 15,
        "credentials": 14,
        "cut": 1,
        "listing": True,
        "fetched_from": "2025-08-01T09:00:00Z",
        "fetched_until": "2026-01-02T03:04:00Z",
    },
    "extract": {
        "extracted_at": "2026-01-02T03:04:00Z",
        "documents": 30,
        "credentials": 28,
        "rejects": 3,
        "conflicts": 0,
        "origins": {"live": 14, "sample": 13},
        "unreadable": {"a.pdf": "x", "b.pdf": "y"},
        "drift_labels": 4,
    },
    "changes": NO_CHANGES,
    "year_over_year": {
        "before": "2023-2024",
        "counts": {"added": 1, "removed": 2, "renamed": 6, "changed": 4, "not_in_this_copy": 5},
    },
    "verdict": "refresh 2024-2025: INCOMPLETE (exit 1): the verdict",
}

FULL_MARKDOWN = """## Refresh of 2024-2025, 2026-01-02T03:04:05Z

- base URL: ` https://center.ncsu.edu/nccte-cms/ `, rows marked `live`
- pages: 7 fetched, 5 unchanged (304), 2 failed, 3 not found; 16 discovered
- Credentials by Course listing: ` pdf/credentials_by_course.pdf `
- outputs: ` extracted `; the previous ones are kept in ` .cache/refresh/previous `
- extract: 28 credentials (live 14, sample 13), 3 rejects, 4 drift labels, 2 unreadable documents; data as of \
2026-01-02T03:04:00Z

### Failed pages (2)

| page | cause |
| --- | --- |
| ` https://x.org/a?cred_id=3 ` | ` HTTP 500 ` |
| ` https://x.org/b\\|c ` | `` gave up `x` `` |

### Coverage of 2024-2025

INCOMPLETE: 2 pages failed in its last refresh, 1 of 14 credentials cut. 15 documents, 14 credentials, 1 cut, \
listing read, fetched 2025-08-01T09:00:00Z to 2026-01-02T03:04:00Z.

### What this refresh changed

**extracted before this refresh → extracted after it**: 0 added, 0 removed, 0 renamed, 0 changed (0 values, 0 \
child rows)

No changes.

### 2023-2024 → 2024-2025, year over year

1 added, 2 removed, 6 renamed, 4 changed, 5 not in this copy (`nccte diff extracted --years 2023-2024 2024-2025` \
lists them).

refresh 2024-2025: INCOMPLETE (exit 1): the verdict
"""

SPARSE = {
    "year": "2025-2026",
    "refreshed_at": "2026-09-07T06:00:00Z",
    "base_url": "http://127.0.0.1:8765/nccte-cms/",
    "origin": "mirror",
    "since": None,
    "pages": {"written": 2, "unchanged": 0, "not_found": 0, "discovered": 2, "failed": {}},
    "listing": None,
    "out": "out dir",
    "kept": None,
    "coverage": {
        "complete": True,
        "incomplete_because": [],
        "documents": 2,
        "credentials": 2,
        "cut": 0,
        "listing": False,
        "fetched_from": None,
        "fetched_until": None,
    },
    "extract": {
        "extracted_at": None,
        "documents": 2,
        "credentials": 0,
        "rejects": 0,
        "conflicts": 0,
        "origins": None,
        "unreadable": None,
        "drift_labels": 0,
    },
    "changes": None,
    "year_over_year": {
        "before": "2024-2025",
        "nothing_to_compare": "out dir: no credentials for school year 2024-2025 (has 2025-2026)",
    },
    "verdict": "refresh 2025-2026: complete (exit 0): the verdict",
}

SPARSE_MARKDOWN = """## Refresh of 2025-2026, 2026-09-07T06:00:00Z

- base URL: ` http://127.0.0.1:8765/nccte-cms/ `, rows marked `mirror` (not the directory's own host)
- pages: 2 fetched, 0 unchanged (304), 0 failed, 0 not found; 2 discovered
- Credentials by Course listing: none
- outputs: ` out dir `; none before
- extract: 0 credentials (none), 0 rejects, 0 drift labels, 0 unreadable documents; data as of unknown

### Coverage of 2025-2026

complete. 2 documents, 2 credentials, 0 cut, listing not read, fetched ? to ?.

### What this refresh changed

Nothing to compare: there were no previous outputs (a first refresh).

### 2024-2025 → 2025-2026, year over year

Nothing to compare: ` out dir: no credentials for school year 2024-2025 (has 2025-2026) `.

refresh 2025-2026: complete (exit 0): the verdict
"""

NOTHING = {
    "year": "2024-2025",
    "refreshed_at": "2026-01-02T03:04:05Z",
    "base_url": "http://127.0.0.1:9/nccte-cms/",
    "origin": "mirror",
    "since": None,
    "pages": {"written": 0, "unchanged": 0, "not_found": 0, "discovered": 0, "failed": {"http://127.0.0.1:9/": "no"}},
    "listing": None,
    "out": "extracted",
    "kept": None,
    "coverage": None,
    "extract": None,
    "changes": None,
    "year_over_year": None,
    "verdict": "refresh 2024-2025: INCOMPLETE (exit 1): café",
}

NOTHING_MARKDOWN = """## Refresh of 2024-2025, 2026-01-02T03:04:05Z

- base URL: ` http://127.0.0.1:9/nccte-cms/ `, rows marked `mirror` (not the directory's own host)
- pages: 0 fetched, 0 unchanged (304), 1 failed, 0 not found; 0 discovered
- Credentials by Course listing: none
- outputs: ` extracted `; none before

### Failed pages (1)

| page | cause |
| --- | --- |
| ` http://127.0.0.1:9/ ` | ` no ` |

### Coverage of 2024-2025

No credential of 2024-2025 was read.

### What this refresh changed

Nothing to compare: there were no previous outputs (a first refresh).

refresh 2024-2025: INCOMPLETE (exit 1): café
"""


@pytest.mark.parametrize(
    "facts, markdown",
    [(FULL, FULL_MARKDOWN), (SPARSE, SPARSE_MARKDOWN), (NOTHING, NOTHING_MARKDOWN)],
    ids=["everything", "a first refresh of a mirror", "nothing came home"],
)
def test_the_report_says_what_came_home_what_failed_the_coverage_and_what_changed(facts, markdown):
    assert refresh.to_markdown(facts) == markdown


def test_a_report_with_previous_outputs_kept_and_nothing_extracted_says_nothing_was_extracted():
    kept = {**NOTHING, "kept": "keep"}
    assert refresh.to_markdown(kept) == NOTHING_MARKDOWN.replace(
        "; none before", "; the previous ones are kept in ` keep `"
    ).replace(
        "Nothing to compare: there were no previous outputs (a first refresh).",
        "Nothing to compare: nothing was extracted.",
    )


NOTHING_JSON = """{
  "base_url": "http://127.0.0.1:9/nccte-cms/",
  "changes": null,
  "coverage": null,
  "extract": null,
  "kept": null,
  "listing": null,
  "origin": "mirror",
  "out": "extracted",
  "pages": {
    "discovered": 0,
    "failed": {
      "http://127.0.0.1:9/": "no"
    },
    "not_found": 0,
    "unchanged": 0,
    "written": 0
  },
  "refreshed_at": "2026-01-02T03:04:05Z",
  "since": null,
  "verdict": "refresh 2024-2025: INCOMPLETE (exit 1): café",
  "year": "2024-2025",
  "year_over_year": null
}
"""


def test_the_reports_are_named_for_the_year_and_day_and_a_second_the_same_day_never_overwrites(tmp_path):
    reports = tmp_path / "reports" / "2026"  # made, with its parent
    first = refresh._write_reports(reports, YEAR, "2026-01-02T03:04:05Z", NOTHING)
    assert first == (reports / "refresh-2024-2025-2026-01-02.md", reports / "refresh-2024-2025-2026-01-02.json")
    assert first[0].read_text(encoding="utf-8") == NOTHING_MARKDOWN
    assert first[1].read_bytes() == NOTHING_JSON.encode("utf-8")  # sorted, indented, UTF-8 as written
    second = refresh._write_reports(reports, YEAR, "2026-01-02T18:00:00Z", NOTHING)
    assert second == (reports / "refresh-2024-2025-2026-01-02-2.md", reports / "refresh-2024-2025-2026-01-02-2.json")
    (reports / "refresh-2024-2025-2026-01-02-2.md").unlink()  # a .json alone still holds its name
    third = refresh._write_reports(reports, YEAR, "2026-01-02T20:00:00Z", NOTHING)
    assert third == (reports / "refresh-2024-2025-2026-01-02-3.md", reports / "refresh-2024-2025-2026-01-02-3.json")
    other_day = refresh._write_reports(reports, YEAR, "2026-01-03T00:00:00Z", NOTHING)
    assert other_day[0] == reports / "refresh-2024-2025-2026-01-03.md"
    assert first[0].read_text(encoding="utf-8") == NOTHING_MARKDOWN  # never overwritten


def test_a_report_md_alone_also_holds_its_name(tmp_path):
    (tmp_path / "refresh-2025-2026-2026-09-07.md").write_text("the user's")
    markdown, data = refresh._write_reports(tmp_path, "2025-2026", "2026-09-07T06:00:00Z", NOTHING)
    assert (markdown.name, data.name) == ("refresh-2025-2026-2026-09-07-2.md", "refresh-2025-2026-2026-09-07-2.json")
    assert (tmp_path / "refresh-2025-2026-2026-09-07.md").read_text() == "the user's"


# --- the whole refresh, against a stand-in on 127.0.0.1 ---------------------------------------------


def test_a_first_refresh_fetches_extracts_and_reports_that_there_is_nothing_to_compare(tmp_path, monkeypatch):
    """No previous outputs, no year before: complete, exit 0. A listing link fetched; a base URL without `/`."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = Site({("credential", 1): page(YEAR, "Alpha Welding"), ("credential", 2): page(YEAR, "Bravo Nursing")})
    site.files["/files/listing.pdf"] = (200, b"%PDF-1.4 not a real listing", "application/pdf")
    said: list[str] = []
    raw, out, reports, keep = tmp_path / "raw", tmp_path / "out", tmp_path / "reports", tmp_path / "keep"
    with SiteServer(site) as server:
        base = server.base_url  # http://127.0.0.1:PORT/nccte-cms/
        asked = settings(base.rstrip("/"), raw, listing_url=f"{server.origin}/files/listing.pdf")
        outcome = refresh.refresh(asked, out, reports, keep, None, crawl.Reporter(said.append), lambda: WHEN)
    verdict = (
        "refresh 2024-2025: complete (exit 0): every page came home; this refresh: nothing to compare "
        "(no previous outputs)"
    )
    assert (outcome.code, outcome.year, outcome.verdict) == (0, YEAR, verdict)
    assert outcome.markdown == reports / "refresh-2024-2025-2026-01-02.md"
    assert outcome.json == reports / "refresh-2024-2025-2026-01-02.json"
    assert outcome.scrape_lines[0] == (
        "scrape 2024-2025: 2 written, 0 unchanged (304), 0 not found, 0 failed, 0 already done before a resume; "
        "2 pages discovered"
    )
    assert [line for line in outcome.scrape_lines if line.startswith("error")] == []
    assert "scrape: 2/2 pages, 0 errors" in said  # the crawl's progress, given the Reporter
    assert "3 documents: 0 unchanged (cached), 3 to parse" in said  # extract's progress, through the Reporter
    assert outcome.summary["credentials"] == 2 and outcome.summary["documents"] == 3
    facts = json.loads(outcome.json.read_text(encoding="utf-8"))
    pages = {"written": 2, "unchanged": 0, "not_found": 0, "discovered": 2, "failed": {}}
    assert facts["pages"] == pages
    assert (facts["base_url"], facts["origin"], facts["listing"]) == (base, "mirror", "pdf/credentials_by_course.pdf")
    assert (facts["year"], facts["refreshed_at"], facts["since"]) == (YEAR, "2026-01-02T03:04:05Z", None)
    assert (facts["out"], facts["kept"], facts["changes"], facts["exit"]) == (str(out), None, None, 0)
    assert facts["verdict"] == verdict
    unreadable = facts["extract"].pop("unreadable")
    assert list(unreadable) == ["2024-2025/pdf/credentials_by_course.pdf"]  # the listing: not a real PDF
    assert unreadable["2024-2025/pdf/credentials_by_course.pdf"].startswith("corrupt PDF")
    assert facts["extract"] == {
        "extracted_at": "2026-01-01T00:00:00Z",
        "documents": 3,
        "credentials": 2,
        "rejects": 0,
        "conflicts": 0,
        "origins": {"mirror": 2},
        "drift_labels": 0,
    }
    coverage = facts["coverage"]
    assert {key: coverage[key] for key in ("documents", "credentials", "cut", "failed", "complete")} == {
        "documents": 3,
        "credentials": 2,
        "cut": 0,
        "failed": 0,
        "complete": True,
    }
    assert facts["year_over_year"] == {
        "before": "2023-2024",
        "nothing_to_compare": f"{out}: no credentials for school year 2023-2024 (has 2024-2025)",
    }
    assert outcome.markdown.read_text(encoding="utf-8").endswith(f"\n\n{verdict}\n")
    (record,) = json.loads((raw / YEAR / "refreshes.json").read_text())["refreshes"]
    assert record == {
        "refreshed_at": "2026-01-02T03:04:05Z",
        "base_url": base,
        "origin": "mirror",
        "since": None,
        "pages": pages,
        "listing": "pdf/credentials_by_course.pdf",
        "changes": [],
    }
    assert (out / "report.html").is_file() and not keep.exists()


def _previous(tmp_path: Path, years: tuple[str, ...], etags: dict[int, str] | None = None) -> tuple[Path, Path]:
    """raw/ with the years' three credentials, extracted (in process) into out/ with a cache: the previous outputs."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    for year in years:
        write_year(raw, year, etags if year == YEAR else None)
    extract(raw, out, None, cache_dir=tmp_path / "c")
    return raw, out


def test_a_refresh_over_previous_outputs_records_and_reports_only_its_years_changes(tmp_path, monkeypatch):
    """Alpha's requirement is now 80%, Bravo answers 304, Charlie fails, ids 4 and 5 are not found; raw's
    2023-2024 Bravo was edited by hand since the last extract (75%): both changes are this refresh's diff, only
    2024-2025's is the year's record."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    raw, out = _previous(tmp_path, ("2023-2024", YEAR), etags={2: '"e2"'})
    (raw / "2023-2024" / "html" / "credential_2.html").write_bytes(page("2023-2024", "Bravo Nursing", "75% or higher"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = Site(
        {
            ("credential", 1): page(YEAR, "Alpha Welding", "80% or higher"),
            ("credential", 2): page(YEAR, "Bravo Nursing"),
            ("credential", 3): page(YEAR, "Charlie Coding"),
        }
    )
    site.faults[("credential", 2)] = ["304"]
    site.faults[("credential", 3)] = ["status:500"]
    said: list[str] = []
    reports, keep = tmp_path / "reports", tmp_path / "keep"
    with SiteServer(site) as server:
        base = server.base_url
        outcome = refresh.refresh(
            settings(base, raw, ids="4-5"), out, reports, keep, tmp_path / "c", said.append, lambda: WHEN
        )
    failed = {cred_url(base, 3): "gave up after 1 attempts: HTTP 500"}
    verdict = (
        f"refresh 2024-2025: INCOMPLETE (exit 1): 1 page failed ({cred_url(base, 3)}); 2024-2025 is incomplete "
        "(1 page failed in its last refresh); this refresh: 0 added, 0 removed, 0 renamed, 2 changed"
    )
    assert (outcome.code, outcome.verdict) == (1, verdict)
    assert outcome.scrape_lines[0] == (
        "scrape 2024-2025: 1 written, 1 unchanged (304), 2 not found, 1 failed, 0 already done before a resume; "
        "5 pages discovered"
    )
    assert outcome.scrape_lines[-1] == f"error: {cred_url(base, 3)}: gave up after 1 attempts: HTTP 500"
    # extracted twice: after the scrape (Alpha 2024-2025 and Bravo 2023-2024 changed), then with the record
    assert "6 documents: 4 unchanged (cached), 2 to parse" in said
    assert said[-1] == "6 documents: 6 unchanged (cached), 0 to parse"
    # the changes table: 2023-2024 -> 2024-2025 (Alpha 70 -> 80, Bravo 75 -> 70: two columns each) and the refresh's
    assert outcome.summary["rows"]["changes"] == 6
    changes = pd.read_parquet(out / "parquet" / "changes.parquet")
    mine = changes[changes["between"] == "refreshes"]
    assert mine[["school_year", "credential_slug", "column", "old", "new", "since", "until"]].values.tolist() == [
        [YEAR, "alpha-welding", "passing_requirement_text", "70% or higher", "80% or higher", FETCHED, WHEN_TEXT],
        [YEAR, "alpha-welding", "passing_score_percent", "70.0", "80.0", FETCHED, WHEN_TEXT],
    ]
    recorded = [
        {
            "credential_slug": "alpha-welding",
            "cred_id": 1,
            "credential_name": "Alpha Welding",
            "table": "credentials",
            "column": column,
            "old": old,
            "new": new,
            "kind": "changed",
        }
        for column, old, new in (
            ("passing_score_percent", "70.0", "80.0"),
            ("passing_requirement_text", "70% or higher", "80% or higher"),
        )
    ]
    pages = {"written": 1, "unchanged": 1, "not_found": 2, "discovered": 5, "failed": failed}
    (record,) = json.loads((raw / YEAR / "refreshes.json").read_text())["refreshes"]
    assert record == {
        "refreshed_at": WHEN_TEXT,
        "base_url": base,
        "origin": "mirror",
        "since": FETCHED,
        "pages": pages,
        "listing": None,
        "changes": recorded,
    }
    assert not (raw / "2023-2024" / "refreshes.json").exists()
    facts = json.loads(outcome.json.read_text(encoding="utf-8"))
    assert (facts["since"], facts["kept"], facts["pages"], facts["exit"]) == (FETCHED, str(keep), pages, 1)
    assert facts["extract"]["extracted_at"] == "2026-01-01T00:00:00Z"
    assert facts["extract"]["origins"] == {"mirror": 1, "sample": 5}
    comparison = facts["changes"]
    assert (comparison["old"], comparison["new"]) == (f"{out} before this refresh", f"{out} after it")
    assert [(item["school_year"], item["credential_slug"]) for item in comparison["changed"]] == [
        ("2023-2024", "bravo-nursing"),
        (YEAR, "alpha-welding"),
    ]
    assert facts["coverage"]["incomplete_because"] == ["1 page failed in its last refresh"]
    assert facts["coverage"]["failed_pages"] == failed
    over = facts["year_over_year"]
    assert (over["before"], over["counts"]["changed"], over["counts"]["values"]) == ("2023-2024", 2, 4)
    assert over["incomplete"] == {"old": {}, "new": {YEAR: "1 page failed in its last refresh"}}
    assert set(_tree(keep)) == {".nccte-refresh-previous", "summary.json"} | {
        f"parquet/{path.name}" for path in (out / "parquet").iterdir()
    }
    assert json.loads((keep / "summary.json").read_text())["extracted_at"] == FETCHED  # the previous summary
    assert (out / "report.html").is_file()


def test_a_host_that_cannot_be_reached_is_one_failed_page_and_nothing_is_extracted(tmp_path):
    said: list[str] = []
    raw, out, reports = tmp_path / "raw", tmp_path / "out", tmp_path / "reports"
    base = "http://127.0.0.1:9/nccte-cms/"
    outcome = refresh.refresh(settings(base, raw), out, reports, tmp_path / "keep", None, said.append, lambda: WHEN)
    (cause,) = outcome.scrape_lines
    assert cause.startswith(f"error: {base}: cannot reach 127.0.0.1:9: ")
    assert cause.endswith(" (check --base-url and the network)")
    assert said[-1] == f"extract: no raw folder at {raw}"
    assert (outcome.code, outcome.summary) == (1, None)
    assert outcome.verdict == (
        f"refresh 2024-2025: INCOMPLETE (exit 1): 1 page failed ({base}); no credential of 2024-2025 was read; "
        "this refresh: nothing to compare (no previous outputs)"
    )
    facts = json.loads(outcome.json.read_text(encoding="utf-8"))
    assert facts["pages"] == {
        "written": 0,
        "unchanged": 0,
        "not_found": 0,
        "discovered": 0,
        "failed": {base: cause[len(f"error: {base}: ") :]},
    }
    nothing = (facts["coverage"], facts["extract"], facts["changes"], facts["year_over_year"], facts["listing"])
    assert nothing == (None, None, None, None, None)
    assert not raw.exists() and not out.exists()
    assert sorted(path.name for path in reports.iterdir()) == [
        "refresh-2024-2025-2026-01-02.json",
        "refresh-2024-2025-2026-01-02.md",
    ]


@pytest.fixture
def new_york(monkeypatch):
    """The process's local time zone five hours behind UTC (a POSIX TZ, no zone database), so local time is never
    taken for UTC."""
    monkeypatch.setenv("TZ", "EST+05")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_by_default_the_refresh_is_dated_by_the_utc_clock_and_says_nothing(tmp_path, capsys, new_york):
    before = datetime.now(UTC).replace(microsecond=0)
    outcome = refresh.refresh(settings("http://127.0.0.1:9/nccte-cms/", tmp_path / "raw"), *_folders(tmp_path))
    after = datetime.now(UTC)
    refreshed_at = json.loads(outcome.json.read_text(encoding="utf-8"))["refreshed_at"]
    assert len(refreshed_at) == 20 and refreshed_at.endswith("Z")
    assert before <= datetime.strptime(refreshed_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) <= after
    assert outcome.markdown.name == f"refresh-2024-2025-{refreshed_at[:10]}.md"
    assert capsys.readouterr() == ("", "")


def _folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    return tmp_path / "out", tmp_path / "reports", tmp_path / "keep"


def test_rows_from_the_directorys_own_host_are_marked_live(tmp_path, monkeypatch):
    """The directory itself is never reached from a test: its crawl is replaced by one that cannot reach it."""

    def unreachable(asked: crawl.Settings, progress) -> crawl.Summary:
        raise HostUnreachable("cannot reach center.ncsu.edu (in this test)")

    monkeypatch.setattr(refresh.crawl, "scrape", unreachable)
    base = "https://center.ncsu.edu/nccte-cms/"
    outcome = refresh.refresh(settings(base, tmp_path / "raw"), *_folders(tmp_path), None, now=lambda: WHEN)
    facts = json.loads(outcome.json.read_text(encoding="utf-8"))
    assert (facts["base_url"], facts["origin"]) == (base, "live")
    assert facts["pages"]["failed"] == {
        base: "cannot reach center.ncsu.edu (in this test) (check --base-url and the network)"
    }
    assert f"- base URL: ` {base} `, rows marked `live`\n" in outcome.markdown.read_text(encoding="utf-8")


def test_previous_outputs_with_nothing_extracted_are_not_called_a_first_refresh(tmp_path, monkeypatch):
    """--raw names a new folder by mistake and the host cannot be reached: the outputs there are kept and left
    as they were, and the report says nothing was extracted, not that there were none before."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _, out = _previous(tmp_path, (YEAR,))
    base, raw = "http://127.0.0.1:9/nccte-cms/", tmp_path / "new raw"
    keep = tmp_path / "keep"
    outcome = refresh.refresh(settings(base, raw), out, tmp_path / "reports", keep, None, now=lambda: WHEN)
    assert outcome.verdict == (
        f"refresh 2024-2025: INCOMPLETE (exit 1): 1 page failed ({base}); no credential of 2024-2025 was read; "
        "this refresh: nothing to compare (nothing was extracted)"
    )
    report = outcome.markdown.read_text(encoding="utf-8")
    assert f"- outputs: ` {out} `; the previous ones are kept in ` {keep} `\n" in report
    assert "\n### What this refresh changed\n\nNothing to compare: nothing was extracted.\n\n" in report
    assert "a first refresh" not in report
    assert json.loads((out / "summary.json").read_text())["extracted_at"] == FETCHED  # the outputs left as they were


def test_a_crawl_the_host_stopped_is_a_failed_refresh_recorded_in_the_year(tmp_path, monkeypatch):
    """The host asks for a pause longer than we wait: nothing fetched, the old copies extracted, nothing changed."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    raw, out = _previous(tmp_path, (YEAR,))
    site = Site({("credential", n): page(YEAR, name) for n, name in NAMES.items()})
    site.faults[START] = ["status:429:9999"]
    said: list[str] = []
    with SiteServer(site) as server:
        base = server.base_url
        outcome = refresh.refresh(
            settings(base, raw), out, tmp_path / "reports", tmp_path / "keep", tmp_path / "c", said.append, lambda: WHEN
        )
    (stopped,) = [line for line in outcome.scrape_lines if line.startswith("error:")]
    cause = stopped[len(f"error: {base}: ") :]
    assert cause.startswith(f"crawl stopped: {server.origin} asks for a pause (HTTP 429, Retry-After: 9999)")
    assert cause.endswith("; nothing was fetched; run the same command after that time to resume")
    assert outcome.verdict == (
        f"refresh 2024-2025: INCOMPLETE (exit 1): 1 page failed ({base}); 2024-2025 is incomplete (1 page failed "
        "in its last refresh); this refresh: 0 added, 0 removed, 0 renamed, 0 changed"
    )
    assert [line for line in said if line.startswith("3 documents")] == [
        "3 documents: 3 unchanged (cached), 0 to parse"
    ]
    (record,) = json.loads((raw / YEAR / "refreshes.json").read_text())["refreshes"]
    assert record["pages"] == {"written": 0, "unchanged": 0, "not_found": 0, "discovered": 0, "failed": {base: cause}}
    assert (record["since"], record["changes"]) == (FETCHED, [])


@pytest.mark.parametrize(
    "case",
    [
        "a year whose halves do not follow",
        "an output that is the raw folder",
        "a cache inside the output",
        "a foreign keep folder",
    ],
)
def test_arguments_a_refresh_cannot_start_from_are_refused_before_anything_is_fetched(tmp_path, case):
    raw, out, cache, keep = tmp_path / "raw", tmp_path / "out", None, tmp_path / "keep"
    year = YEAR
    if case == "a year whose halves do not follow":
        year, message = "2024-2026", "--year 2024-2026: the second year must follow the first (2024-2025)"
    elif case == "an output that is the raw folder":
        out, message = raw, f"--out {raw} is the raw folder; extract never writes there"
    elif case == "a cache inside the output":
        cache, message = out / "c", f"--cache {out / 'c'} overlaps --out {out}; choose a folder of its own"
    else:
        _outputs(out)
        keep.mkdir()
        (keep / "notes.txt").write_bytes(b"mine")
        message = f"--keep {keep} holds files a refresh did not keep there; choose a new or empty folder"
    site = Site({("credential", 1): page(YEAR, "Alpha Welding")})
    with SiteServer(site) as server:
        asked = crawl.Settings(year=year, base_url=server.base_url, raw=raw, rate=1000, retries=0)
        with pytest.raises(UsageError) as refused:
            refresh.refresh(asked, out, tmp_path / "reports", keep, cache, lambda message: None, lambda: WHEN)
    assert str(refused.value) == message
    assert site.requests == [] and not raw.exists() and not (tmp_path / "reports").exists()
