"""`coverage`: what each school year holds, from the validated tables and what raw/ records about its years.
The tables, documents and records are written by hand, and so is every expected row."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from pipeline.history import YearRecord
from pipeline.tables.coverage import coverage


def _credentials(*rows: tuple[str, bool, str | None]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["school_year", "complete", "source_origin"])


def _listing(*years: str) -> pd.DataFrame:
    return pd.DataFrame({"school_year": list(years)})


def test_each_year_s_counts_origins_listing_fetches_and_last_refresh():
    tables = {
        "credentials": _credentials(
            ("2023-2024", True, "live"),
            ("2023-2024", False, "archive"),
            ("2023-2024", True, "live"),
            ("2023-2024", True, None),  # no manifest row
            ("2024-2025", True, "mirror"),
        ),
        "course_credentials": _listing("2024-2025", "2024-2025"),
    }
    documents = Counter({"2023-2024": 6, "2024-2025": 1, "2025-2026": 2})  # 2025-2026: pages, no credential
    records = {
        "2024-2025": YearRecord(
            fetched=["2024-09-02T10:00:00Z", "2024-08-30T09:00:00Z", "2024-09-01T08:00:00Z"],
            refreshes=[
                {"refreshed_at": "2024-09-01T00:00:00Z", "failed": {"a": "timeout", "b": "404"}},
                {"refreshed_at": "2024-10-01T00:00:00Z", "failed": {"c": "timeout"}},  # the last one counts
            ],
        ),
        "2025-2026": YearRecord(refreshes=[{"refreshed_at": "2025-09-01T00:00:00Z", "failed": {}}]),
    }
    table, summary = coverage(tables, documents, records)
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    assert rows == [
        {
            "school_year": "2023-2024",
            "documents": 6,
            "credentials": 4,
            "cut": 1,
            "listing": False,
            "origins": "archive 1; live 2; no manifest row 1",
            "fetched_from": None,
            "fetched_until": None,
            "refreshed_at": None,
            "failed": None,
            "complete": False,
        },
        {
            "school_year": "2024-2025",
            "documents": 1,
            "credentials": 1,
            "cut": 0,
            "listing": True,
            "origins": "mirror 1",
            "fetched_from": "2024-08-30T09:00:00Z",
            "fetched_until": "2024-09-02T10:00:00Z",
            "refreshed_at": "2024-10-01T00:00:00Z",
            "failed": 1,
            "complete": False,
        },
        {
            "school_year": "2025-2026",
            "documents": 2,
            "credentials": 0,
            "cut": 0,
            "listing": False,
            "origins": None,
            "fetched_from": None,
            "fetched_until": None,
            "refreshed_at": "2025-09-01T00:00:00Z",
            "failed": 0,
            "complete": False,
        },
    ]
    assert summary["2023-2024"]["incomplete_because"] == ["1 of 4 credentials cut"]
    assert summary["2023-2024"]["failed_pages"] == {}
    assert summary["2024-2025"]["incomplete_because"] == ["1 page failed in its last refresh"]
    assert summary["2024-2025"]["failed_pages"] == {"c": "timeout"}
    assert summary["2025-2026"]["incomplete_because"] == ["no credential read"]
    assert summary["2025-2026"]["credentials"] == 0 and summary["2025-2026"]["complete"] is False


def test_a_year_with_credentials_none_cut_and_no_failed_page_is_complete():
    tables = {"credentials": _credentials(("2024-2025", True, "live")), "course_credentials": _listing()}
    table, summary = coverage(tables, Counter({"2024-2025": 1}), {})
    assert table["complete"].tolist() == [True]
    assert summary["2024-2025"]["incomplete_because"] == []
    assert summary["2024-2025"]["failed_pages"] == {}


def test_a_year_with_credentials_and_no_document_counted_is_still_a_row():
    tables = {"credentials": _credentials(("2022-2023", True, "live")), "course_credentials": _listing()}
    table, _ = coverage(tables, Counter(), {})
    assert table[["school_year", "documents", "credentials"]].values.tolist() == [["2022-2023", 0, 1]]
