"""validated tables + refresh records -> `changes`: one row per typed change, for analysts to query.

Between consecutive school years of the output (the same comparison as `diff --years`, coverage-aware),
and what each refresh of a year changed against the outputs it replaced (kept in raw/<year>/refreshes.json
by `refresh`, so a fresh extraction gives the same rows).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import parquet

from pipeline.compare import diff
from pipeline.history import YearRecord
from pipeline.tables import validate
from schemas.tables import CHILD_MATCH, KEYS

YEARS, REFRESHES = "school years", "refreshes"
_KIND = {"not_in_this_copy": "not in this copy", "not_in_old_copy": "not in the old copy"}


@dataclass
class Touched:
    """What an incremental run rebuilt: the slugs and cred_ids of its credentials as the last run wrote them and
    as they are now, and the folder of the last run's outputs (still there: tables are written after)."""

    out: Path
    slugs: set[str]
    cred_ids: set[int]


def table(
    tables: dict[str, pd.DataFrame], records: dict[str, YearRecord], touched: Touched | None = None
) -> pd.DataFrame:
    """The changes table, sorted by its key (`tables` must hold `coverage`).

    With `touched`, only the credentials a change can reach are compared again: those that share a slug or a
    cred_id with a rebuilt credential, and so on (credentials are matched on nothing else, so the others pair
    as they did); the last run's rows of the others are kept. Whenever the school years or which of them are
    incomplete changed, or the last run's table does not read back, everything is compared again.
    """
    years = sorted(tables["credentials"]["school_year"].dropna().unique().tolist())
    kept = _kept(tables, years, touched) if touched is not None else None
    if kept is not None:
        kept, tables = kept
    parts = [kept] if kept is not None and len(kept) else []
    for slugs in _apart(tables["credentials"], _COMPARED):
        cut = {**tables, **{name: _with_slugs(tables[name], slugs) for name in ("credentials", *CHILD_MATCH)}}
        rows = []
        for old, new in pairwise(years):
            report = diff.compare(diff.side(cut, old, old), diff.side(cut, new, new), by_year=False)
            rows += rows_of(report, YEARS, old, new)
        parts.append(validate.frame("changes", rows))
    rows = []
    for year, record in sorted(records.items()):
        for refresh in record.refreshes:
            rows += [
                {**change, "school_year": year, "between": REFRESHES, "since": refresh["since"]}
                | {"until": refresh["refreshed_at"]}
                for change in refresh["changes"]
            ]
    parts.append(validate.frame("changes", rows))
    parts = [part for part in parts if len(part)] or parts[-1:]
    data = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    if len(data) < 2:
        return data
    return data.sort_values(list(KEYS["changes"]), na_position="first", kind="stable").reset_index(drop=True)


_COMPARED = 3000  # credentials compared at a time: their rows as Python values are what the comparison holds


def _apart(credentials: pd.DataFrame, size: int) -> Iterator[pa.Array]:
    """The credentials' slugs in sets of about `size` credentials that share no slug and no cred_id with another
    set: credentials are matched on nothing else, so each set compares as it would among all."""
    slugs = pa.array(credentials["credential_slug"], pa.string()).to_pylist()
    cred_ids = pa.array(credentials["cred_id"], pa.int64()).to_pylist()
    root: dict[tuple, tuple] = {}

    def find(item: tuple) -> tuple:
        while root.setdefault(item, item) != item:
            root[item] = root[root[item]]
            item = root[item]
        return item

    for slug, cred_id in zip(slugs, cred_ids, strict=True):
        if cred_id is not None:
            root[find(("slug", slug))] = find(("id", cred_id))
    sets: dict[tuple, list[str]] = {}
    for slug in slugs:
        sets.setdefault(find(("slug", slug)), []).append(slug)
    chosen: list[str] = []
    for members in sets.values():
        chosen += members
        if len(chosen) >= size:
            yield pa.array(sorted(set(chosen)), pa.string())
            chosen = []
    if chosen or not slugs:
        yield pa.array(sorted(set(chosen)), pa.string())


def _kept(
    tables: dict[str, pd.DataFrame], years: list[str], touched: Touched
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]] | None:
    """The last run's rows between school years of the credentials no change can reach, and the tables cut to
    the others; None when everything must be compared again."""
    try:
        last = parquet.read_table(touched.out / "parquet" / "changes.parquet")
        coverage = validate.as_frame(parquet.read_table(touched.out / "parquet" / "coverage.parquet"))
    except Exception:  # noqa: BLE001 - an output that does not read back: everything compared again
        return None
    last_years = sorted(coverage.loc[coverage["credentials"].fillna(0) > 0, "school_year"].tolist())
    if last_years != years or diff.partial_years(coverage) != diff.partial_years(tables["coverage"]):
        return None
    slugs = _reach(tables["credentials"], touched)
    reached = pa.array(sorted(slugs), pa.string())
    keep = pc.and_(pc.equal(last["between"], YEARS), pc.invert(pc.is_in(last["credential_slug"], reached)))
    kept = validate.as_frame(last.filter(pc.fill_null(keep, False)))
    cut = {name: _with_slugs(tables[name], reached) for name in ("credentials", *CHILD_MATCH)}
    return kept, {**tables, **cut}


def _reach(credentials: pd.DataFrame, touched: Touched) -> set[str]:
    """The slugs of every credential that shares a slug or a cred_id with a touched one, transitively."""
    slug = pa.array(credentials["credential_slug"], pa.string())
    cred_id = pa.array(credentials["cred_id"], pa.int64())
    slugs, ids = set(touched.slugs), set(touched.cred_ids)
    while True:
        reached = pc.or_(
            pc.is_in(slug, pa.array(sorted(slugs), pa.string())), pc.is_in(cred_id, pa.array(sorted(ids), pa.int64()))
        )
        more = set(pc.filter(slug, reached).to_pylist()) - {None}
        more_ids = set(pc.drop_null(pc.filter(cred_id, reached)).to_pylist())
        if more <= slugs and more_ids <= ids:
            return slugs
        slugs |= more
        ids |= more_ids


def _with_slugs(data: pd.DataFrame, slugs: pa.Array) -> pd.DataFrame:
    chosen = pc.fill_null(pc.is_in(pa.array(data["credential_slug"], pa.string()), slugs), False)
    return data[chosen.to_numpy(zero_copy_only=False)]


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
