"""validated tables + what raw/ records about its years -> `coverage`: what each school year holds.

A year is complete as far as can be told when it has credentials, none of them is cut (its best copy
stops before Directory Notes) and its last refresh, if one is recorded, fetched every page. `diff` and
`report` say "not in this copy" rather than "removed" for a credential missing from an incomplete year.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.history import YearRecord
from pipeline.tables import validate

NO_ROW = "no manifest row"  # a credential whose best copy has no manifest row: its origin is unknown


def coverage(
    tables: dict[str, pd.DataFrame], documents: Counter, records: dict[str, YearRecord]
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """The coverage table, and the same per year for the summary (with the failed pages named)."""
    credentials = tables["credentials"]
    year_of = pa.array(credentials["school_year"], pa.string())
    totals = _counts(year_of)
    cut = _counts(pc.filter(year_of, pc.invert(pa.array(credentials["complete"], pa.bool_()))))
    origin_of = pc.fill_null(pa.array(credentials["source_origin"], pa.string()), NO_ROW)
    by_origin = _counts(pc.binary_join_element_wise(year_of, origin_of, "\x1f"))
    listed = set(_counts(pa.array(tables["course_credentials"]["school_year"], pa.string())))
    rows, summary = [], {}
    for year in sorted({*totals, *documents}):
        record = records.get(year, YearRecord())
        last = record.refreshes[-1] if record.refreshes else None
        origins = {key.partition("\x1f")[2]: count for key, count in by_origin.items() if key.startswith(f"{year}\x1f")}
        row = {
            "school_year": year,
            "documents": documents.get(year, 0),
            "credentials": totals.get(year, 0),
            "cut": cut.get(year, 0),
            "listing": year in listed,
            "origins": "; ".join(f"{origin} {count}" for origin, count in sorted(origins.items())) or None,
            "fetched_from": min(record.fetched) if record.fetched else None,
            "fetched_until": max(record.fetched) if record.fetched else None,
            "refreshed_at": last["refreshed_at"] if last else None,
            "failed": len(last["failed"]) if last else None,
        }
        why = incomplete_because(row)
        row["complete"] = not why
        rows.append(row)
        summary[year] = {**row, "failed_pages": dict(last["failed"]) if last else {}, "incomplete_because": why}
    return validate.frame("coverage", rows), summary


def _counts(values: pa.Array) -> dict[str, int]:
    """Each non-null value and how many times it occurs (Arrow: no Python call per row)."""
    counted = pc.value_counts(pc.drop_null(values))
    return dict(zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True))


def incomplete_because(row: dict[str, Any]) -> list[str]:
    """Why a year's coverage row is incomplete; empty when it is complete as far as can be told."""
    why = []
    if not row.get("credentials"):
        why.append("no credential read")
    if row.get("cut"):
        why.append(f"{row['cut']} of {row['credentials']} credentials cut")
    if row.get("failed"):
        why.append(f"{row['failed']} {'page' if row['failed'] == 1 else 'pages'} failed in its last refresh")
    return why
