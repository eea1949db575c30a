"""Coverage, changes, the data's date and the reject's own text (issue 20), on pages written by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.compare import diff
from schemas.tables import SCHEMAS
from tests.conftest import REPO

EXTRACTED = REPO / "extracted"
HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"


def _page(year: str, name: str, *pairs: str, cut: bool = False) -> bytes:
    """A glued-text page: heading, title, label+value lines, Directory Notes unless it is cut."""
    lines = [f"Credential Name{name}", *pairs] + ([] if cut else ["Directory NotesNone"])
    return (f"{year} Credential Information\n\n{name}\n\n" + "\n".join(lines)).encode()


def _raw(root: Path, pages: dict[str, bytes], fetched: dict[str, str] | None = None) -> Path:
    raw = root / "raw"
    for rel, data in pages.items():
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_bytes(data)
    for year, when in (fetched or {}).items():
        rows = [f"{p.split('/', 1)[1]},,{when},200,,,,,sample\n" for p in pages if p.startswith(year)]
        (raw / year / "manifest.csv").write_text(HEADER + "".join(rows))
    return raw


def _extract(raw: Path, out: Path, *extra: str) -> dict:
    assert cli.main(["extract", "--raw", str(raw), "--out", str(out), "--no-cache", *extra]) == 0
    return json.loads((out / "summary.json").read_text())


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / "parquet" / f"{name}.parquet")


# --- the committed data ------------------------------------------------------------------------


def test_the_committed_coverage_says_what_each_year_holds():
    coverage = _table(EXTRACTED, "coverage").set_index("school_year")
    SCHEMAS["coverage"].validate(coverage.reset_index())
    # raw/README.md: 2023-2024 has 37 files (24 credentials, the listing), 2024-2025 29 (25), 2025-2026
    # three cut archive copies; every manifest row was written on 2026-11-20 at noon.
    assert coverage[["documents", "credentials", "cut", "listing", "origins", "complete"]].to_dict("index") == {
        "2023-2024": {
            "documents": 37,
            "credentials": 24,
            "cut": 0,
            "listing": True,
            "origins": "sample 24",
            "complete": True,
        },
        "2024-2025": {
            "documents": 29,
            "credentials": 25,
            "cut": 0,
            "listing": False,
            "origins": "sample 25",
            "complete": True,
        },
        "2025-2026": {
            "documents": 3,
            "credentials": 3,
            "cut": 3,
            "listing": False,
            "origins": "archive 3",
            "complete": False,
        },
    }
    assert set(coverage["fetched_until"]) == {"2026-11-20T12:00:00Z"} and coverage["failed"].isna().all()


def test_the_committed_changes_are_the_year_over_year_changes_row_by_row():
    changes = _table(EXTRACTED, "changes")
    SCHEMAS["changes"].validate(changes)
    years = changes[changes["school_year"] == "2024-2025"]
    kinds = years.groupby(["table", "kind"]).size().to_dict()
    # README: 2 added, 1 removed, 1 renamed; ServSafe's 4 values; 3 course/SOC rows; 2 costs whose amount changed.
    assert kinds == {
        ("credentials", "added"): 2,
        ("credentials", "removed"): 1,
        ("credentials", "renamed"): 1,
        ("credentials", "changed"): 4,
        ("credential_courses", "added"): 1,
        ("credential_courses", "removed"): 1,
        ("credential_soc_codes", "added"): 1,
        ("instructor_training_costs", "changed"): 2,
    }
    cost = years[(years["table"] == "instructor_training_costs") & years["old"].str.contains("1525")]
    assert cost[["credential_slug", "old", "new", "since", "until"]].values.tolist() == [
        [
            "certified-production-technician-cpt-maintenance-awareness",
            "amount_usd=1525.0, condition=with an online webinar",
            "amount_usd=1575.0, condition=with an online webinar",
            "2023-2024",
            "2024-2025",
        ]
    ]
    later = changes[changes["school_year"] == "2025-2026"]
    assert "removed" not in set(later["kind"]) and (later["kind"] == "not in this copy").sum() == 22


def test_the_committed_data_package_says_when_where_from_and_on_what_terms():
    package = json.loads((EXTRACTED / "datapackage.json").read_text())
    assert package["created"] == "2026-11-20T12:00:00Z"
    assert package["sources"][0]["path"] == "https://center.ncsu.edu/nccte-cms/credential_info.php"
    assert "public records" in package["licenses"][0]["title"].lower()
    summary = json.loads((EXTRACTED / "summary.json").read_text())
    assert summary["extracted_at"] == "2026-11-20T12:00:00Z"
    assert summary["origins"] == {"archive": 3, "sample": 49}


# --- the data's date -----------------------------------------------------------------------------


def test_extracted_at_is_the_latest_fetch_whatever_its_time_zone(tmp_path):
    raw = _raw(
        tmp_path,
        {
            "2023-2024/text/credential_1.txt": _page("2023-2024", "Alpha"),
            "2024-2025/text/credential_1.txt": _page("2024-2025", "Alpha"),
        },
        {"2023-2024": "2025-08-01T09:00:00Z", "2024-2025": "2025-08-01T07:30:00-04:00"},
    )
    summary = _extract(raw, tmp_path / "out")
    assert summary["extracted_at"] == "2025-08-01T11:30:00Z"
    assert json.loads((tmp_path / "out" / "datapackage.json").read_text())["created"] == "2025-08-01T11:30:00Z"
    coverage = _table(tmp_path / "out", "coverage").set_index("school_year")
    assert coverage.loc["2024-2025", "fetched_from"] == "2025-08-01T11:30:00Z"


def test_without_a_fetch_date_there_is_no_date_and_source_date_epoch_sets_one(tmp_path, monkeypatch):
    raw = _raw(tmp_path, {"2024-2025/text/credential_1.txt": _page("2024-2025", "Alpha")})
    assert _extract(raw, tmp_path / "a")["extracted_at"] is None
    assert "created" not in json.loads((tmp_path / "a" / "datapackage.json").read_text())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1754038800")
    assert _extract(raw, tmp_path / "b")["extracted_at"] == "2025-08-01T09:00:00Z"


def test_the_data_date_alone_never_makes_outputs_stale(tmp_path, monkeypatch, capsys):
    raw = _raw(tmp_path, {"2024-2025/text/credential_1.txt": _page("2024-2025", "Alpha")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1754038800")
    _extract(raw, tmp_path / "extracted")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert cli.main(["check", "--raw", str(raw), "--baseline", str(tmp_path / "extracted")]) == 0
    assert "valid, and extracted/ is current" in capsys.readouterr().out


# --- incomplete years and cut pages ------------------------------------------------------------


def test_a_cut_page_is_not_a_change_and_a_credential_missing_from_its_year_is_not_removed(tmp_path):
    raw = _raw(
        tmp_path,
        {
            "2023-2024/text/credential_1.txt": _page(
                "2023-2024", "Alpha", "Credential Lifespan3 years", "Exam Passing Requirement70% or higher"
            ),
            "2023-2024/text/credential_2.txt": _page("2023-2024", "Bravo"),
            "2024-2025/text/credential_1.txt": _page(
                "2024-2025", "Alpha", "Credential Lifespan3 years", "Exam Passing Requirement70% o", cut=True
            ),
        },
    )
    _extract(raw, tmp_path / "out")
    report = diff.diff_years(tmp_path / "out", "2023-2024", "2024-2025")
    assert report["removed"] == [] and [r["credential_name"] for r in report["not_in_this_copy"]] == ["Bravo"]
    assert report["changed"] == []  # `70% o` is the start of `70% or higher`; Directory Notes was never reached
    assert report["counts"]["unseen"] == 2
    assert report["incomplete"] == {"old": {}, "new": {"2024-2025": "1 of 1 credentials cut"}}
    assert not diff.has_changes(report)


def test_a_cost_whose_amount_changed_is_one_change_and_a_new_option_an_addition(tmp_path):
    costs_old = "Cost of Instructor Training$100.00 online"
    costs_new = "Cost of Instructor Training$150.00 online\n$300.00 with a workshop"
    raw = _raw(
        tmp_path,
        {
            "2023-2024/text/credential_1.txt": _page("2023-2024", "Alpha", costs_old),
            "2024-2025/text/credential_1.txt": _page("2024-2025", "Alpha", costs_new),
        },
    )
    _extract(raw, tmp_path / "out")
    (change,) = diff.diff_years(tmp_path / "out", "2023-2024", "2024-2025")["changed"]
    assert change["children"] == {
        "instructor_training_costs": {
            "added": [{"amount_usd": 300.0, "condition": "with a workshop"}],
            "changed": [
                {
                    "old": {"amount_usd": 100.0, "condition": "online"},
                    "new": {"amount_usd": 150.0, "condition": "online"},
                }
            ],
        }
    }


# --- the refresh record in raw/ ---------------------------------------------------------------


GOOD_CHANGE = {
    "credential_slug": "alpha",
    "cred_id": 1,
    "credential_name": "Alpha",
    "table": "credentials",
    "column": "lifespan_text",
    "old": "3 years",
    "new": "5 years",
    "kind": "changed",
}


@pytest.mark.parametrize(
    "record, notes, kept",
    [
        (b"not json", ["not a refresh record (JSONDecodeError); not read"], []),
        (b"[]", ["no `refreshes` list; not read"], []),
        (json.dumps({"refreshes": [{"pages": {}}]}).encode(), ["refresh 1: no refreshed_at time; left out"], []),
        (
            json.dumps(
                {
                    "refreshes": [
                        {
                            "refreshed_at": "2025-09-01T10:00:00Z",
                            "changes": [
                                GOOD_CHANGE,
                                {**GOOD_CHANGE, "credential_slug": "Not A Slug"},
                                {**GOOD_CHANGE, "kind": "exploded"},
                                {**GOOD_CHANGE, "cred_id": 10**30},
                                {**GOOD_CHANGE, "old": ["a list"]},
                                "a string",
                            ],
                        }
                    ]
                }
            ).encode(),
            [
                "refresh 1: change 2: no valid credential_slug; left out",
                "refresh 1: change 3: unknown kind 'exploded'; left out",
                "refresh 1: change 4: cred_id is not a directory id; left out",
                "refresh 1: change 5: a value that is not text; left out",
                "refresh 1: change 6: not an object; left out",
            ],
            [["alpha", "lifespan_text", "3 years", "5 years"]],
        ),
    ],
)
def test_a_refresh_record_that_cannot_be_used_is_a_note_never_a_document_or_an_error(tmp_path, record, notes, kept):
    raw = _raw(tmp_path, {"2024-2025/text/credential_1.txt": _page("2024-2025", "Alpha")})
    (raw / "2024-2025" / "refreshes.json").write_bytes(record)
    summary = _extract(raw, tmp_path / "out")
    assert summary["documents"] == 1 and summary["unreadable"] == {}
    assert summary["notes"] == {"2024-2025/refreshes.json": notes}
    changes = _table(tmp_path / "out", "changes")
    refreshes = changes[changes["between"] == "refreshes"]
    assert refreshes[["credential_slug", "column", "old", "new"]].values.tolist() == kept


@pytest.mark.agreement
def test_an_incremental_run_after_a_refresh_record_changed_equals_a_cold_run(tmp_path):
    raw = _raw(
        tmp_path,
        {"2024-2025/text/credential_1.txt": _page("2024-2025", "Alpha")},
        {"2024-2025": "2025-08-01T09:00:00Z"},
    )
    cache = tmp_path / "cache"
    assert cli.main(["extract", "--raw", str(raw), "--out", str(tmp_path / "warm"), "--cache", str(cache)]) == 0
    record = {
        "refreshes": [
            {
                "refreshed_at": "2025-09-01T10:00:00Z",
                "pages": {"failed": {"https://x/": "HTTP 500"}},
                "changes": [GOOD_CHANGE],
            }
        ]
    }
    (raw / "2024-2025" / "refreshes.json").write_text(json.dumps(record))
    assert cli.main(["extract", "--raw", str(raw), "--out", str(tmp_path / "warm"), "--cache", str(cache)]) == 0
    _extract(raw, tmp_path / "cold")
    for name in ("coverage", "changes", "credentials"):
        assert (tmp_path / "warm" / "csv" / f"{name}.csv").read_bytes() == (
            tmp_path / "cold" / "csv" / f"{name}.csv"
        ).read_bytes()
    coverage = _table(tmp_path / "warm", "coverage").iloc[0]
    assert coverage["failed"] == 1 and coverage["refreshed_at"] == "2025-09-01T10:00:00Z" and not coverage["complete"]


# --- the reject shows the page's text ----------------------------------------------------------


def test_a_rejected_value_shows_the_pages_own_text_beside_what_it_was_read_as(tmp_path):
    raw = _raw(
        tmp_path,
        {
            "2024-2025/text/credential_1.txt": _page(
                "2024-2025",
                "Alpha",
                "Exam Passing Requirement1700/1000",
                "SOC (Standard Occupational Classification) Code(s)Machinists (51-404)",
            )
        },
    )
    _extract(raw, tmp_path / "out")
    rejects = _table(tmp_path / "out", "rejects")
    assert rejects[["table", "column", "failure_case", "page_text"]].values.tolist() == [
        ["credential_soc_codes", "soc_code", "51-404", "Machinists (51-404)"],
        ["credentials", "passing_score_percent", "170.0", "1700/1000"],
    ]


def test_the_committed_rejects_table_has_the_page_text_column():
    assert list(_table(EXTRACTED, "rejects").columns) == [
        "table",
        "key",
        "column",
        "check",
        "failure_case",
        "page_text",
        "source_path",
    ]


def test_a_copy_of_the_committed_outputs_is_unchanged_by_report(tmp_path):
    """report writes report.html only: coverage and changes are extract's."""
    out = tmp_path / "extracted"
    shutil.copytree(EXTRACTED, out)
    before = {p.name: p.read_bytes() for p in (out / "parquet").iterdir()}
    assert cli.main(["report", "--out", str(out)]) == 0
    assert {p.name: p.read_bytes() for p in (out / "parquet").iterdir()} == before


def test_the_page_text_comes_from_the_rejects_own_page_when_copies_disagree(tmp_path):
    draft = _page("2024-2025", "Alpha", "Exam Passing Requirement75% or higher").replace(
        b"Information\n\n", b"Information\n\nWARNING: This information is considered DRAFT until August 22, 2025.\n\n"
    )
    final = _page("2024-2025", "Alpha", "Exam Passing Requirement1700/1000")
    raw = _raw(tmp_path, {"2024-2025/text/a_draft.txt": draft, "2024-2025/text/b_final.txt": final})
    _extract(raw, tmp_path / "out")
    rejects = _table(tmp_path / "out", "rejects")
    assert rejects[["source_path", "failure_case", "page_text"]].values.tolist() == [
        ["2024-2025/text/b_final.txt", "170.0", "1700/1000"]  # the final page's text, not the draft's 75%
    ]
