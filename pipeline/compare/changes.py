"""validated tables + refresh records -> `changes`: one row per typed change, for analysts to query.

Between consecutive school years of the output (the same comparison as `diff --years`, coverage-aware),
and what each refresh of a year changed against the outputs it replaced (kept in raw/<year>/refreshes.json
by `refresh`, so a fresh extraction gives the same rows).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pandas as pd

from pipeline.compare import diff
from pipeline.history import YearRecord
from pipeline.tables import validate
from schemas.tables import KEYS

YEARS, REFRESHES = "school years", "refreshes"
_KIND = {"not_in_this_copy": "not in this copy", "not_in_old_copy": "not in the old copy"}


def table(tables: dict[str, pd.DataFrame], records: dict[str, YearRecord]) -> pd.DataFrame:
    """The changes table, sorted by its key (`tables` must hold `coverage`)."""
    years = sorted(tables["credentials"]["school_year"].dropna().unique().tolist())
    rows = []
    for old, new in pairwise(years):
        report = diff.compare(diff.side(tables, old, old), diff.side(tables, new, new), by_year=False)
        rows += rows_of(report, YEARS, old, new)
    for year, record in sorted(records.items()):
        for refresh in record.refreshes:
            rows += [
                {**change, "school_year": year, "between": REFRESHES, "since": refresh["since"]}
                | {"until": refresh["refreshed_at"]}
                for change in refresh["changes"]
            ]
    data = validate.frame("changes", rows)
    if len(data) < 2:
        return data
    return data.sort_values(list(KEYS["changes"]), na_position="first", kind="stable").reset_index(drop=True)


def rows_of(report: dict[str, Any], between: str, since: str | None, until: str | None) -> list[dict[str, Any]]:
    """A diff report as change rows: every credential added, removed, renamed, missing from an incomplete
    copy, every value and child row changed. Values as the CSV writes them; a child row as `column=value, ...`.
    """
    where = {"between": between, "since": since, "until": until}
    rows = []
    for kind in ("added", "removed", "not_in_this_copy", "not_in_old_copy"):
        gone = kind in ("removed", "not_in_this_copy")
        for item in report[kind]:
            name = item["credential_name"]
            rows.append(
                _row(
                    item,
                    where,
                    "credentials",
                    None,
                    name if gone else None,
                    None if gone else name,
                    _KIND.get(kind, kind),
                )
            )
    for item in report["renamed"]:
        rows.append(
            _row(item, where, "credentials", "credential_name", item["old_name"], item["credential_name"], "renamed")
        )
    for item in report["changed"]:
        for change in item["columns"]:
            old, new = diff.as_csv(change["old"]) or None, diff.as_csv(change["new"]) or None
            rows.append(_row(item, where, "credentials", change["column"], old, new, "changed"))
        for name, kinds in item["children"].items():
            for kind, entries in kinds.items():
                for entry in entries:
                    old = diff.row_text(entry["old"] if kind == "changed" else entry) if kind != "added" else None
                    new = diff.row_text(entry["new"] if kind == "changed" else entry) if kind != "removed" else None
                    rows.append(_row(item, where, name, None, old, new, kind))
    return rows


def _row(item, where, table_name, column, old, new, kind) -> dict[str, Any]:
    return {
        "school_year": where["until"] if where["between"] == YEARS else item["school_year"],
        "credential_slug": item["credential_slug"],
        "cred_id": item["cred_id"],
        "credential_name": item["credential_name"],
        **where,
        "table": table_name,
        "column": column,
        "old": old,
        "new": new,
        "kind": kind,
    }
