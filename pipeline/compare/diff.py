"""Validated tables -> what changed: between two outputs, or two school years of one.

Credentials match on cred_id, else on slug; a matched pair whose slug differs
is a rename. Comparison is on typed values and ignores provenance, so a
whitespace or markup change in raw/ is not a change.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import parquet

from pipeline.tables.coverage import incomplete_because
from pipeline.terminal import printable
from schemas.tables import CHILD_MATCH, IDENTITY, PROVENANCE
from schemas.version import METADATA_KEY

# Not compared: identity (it matches rows), provenance, and a cost's option number (its place in the list).
# `is_draft` is compared: a draft turning final is news.
IGNORED = IDENTITY | (PROVENANCE - {"is_draft"}) | {"option"}
MD_ROWS = 40
MD_VALUE = 60  # characters of a value in a Markdown cell
MD_ROW = 240  # characters of a child row (column=value, ...)


class DiffError(Exception):
    """An output folder that cannot be compared."""


class UnreadableOutput(DiffError):
    """An output's file that is there but cannot be read (invalid, not a usage error)."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: credential rows, and child rows by (school_year, slug).

    `types` has every table read, column -> dtype; a table in `unusable` (missing, unreadable as a table
    of credentials, without its key columns) is not compared, for the reason given.
    """

    label: str
    credentials: pd.DataFrame
    children: dict[str, dict[tuple, list[dict[str, Any]]]]
    columns: dict[str, list[str]]  # child table -> its columns
    year: str | None = None  # the one school year of this side; None: every year of an output
    partial: dict[str, str] = field(default_factory=dict)  # school year -> why it is incomplete (coverage)
    types: dict[str, dict[str, str]] = field(default_factory=dict)
    unusable: dict[str, str] = field(default_factory=dict)
    schema_version: str | None = None


@dataclass
class Output:
    """An output's tables as read, the tables that cannot be compared and why, and its schema version."""

    tables: dict[str, pd.DataFrame]
    unusable: dict[str, str]
    schema_version: str | None
    types: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> column -> type, as written


# What a table needs to be compared at all: credentials pair on these, child rows hang off a credential.
_NEEDED = {"credentials": ("school_year", "credential_slug", "credential_name")} | {
    name: ("school_year", "credential_slug", *keys) for name, keys in CHILD_MATCH.items()
}
_NULLABLE = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype()}


def load_tables(out: Path, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The output's tables (default: credentials and its children), read from Parquet; DiffError names a bad file
    or a table without its key columns."""
    read = read_output(out, names)
    if read.unusable:
        raise DiffError(next(iter(read.unusable.values())))
    return read.tables


def read_output(out: Path, names: list[str] | None = None) -> Output:
    """The output's tables; a table that is missing or lacks its key columns is listed as unusable, not raised.

    DiffError: no parquet/ folder, or a file that is not Parquet.
    """
    folder = out / "parquet"
    if not folder.is_dir():
        raise DiffError(f"{out}: no parquet/ folder (not an extract output?)")
    found = Output({}, {}, None)
    versions = set()
    for name in names or ["credentials", *CHILD_MATCH]:
        path = folder / f"{name}.parquet"
        if not path.exists():
            found.unusable[name] = f"{out}: missing {name}"
            continue
        table = _read(path)
        versions.add((table.schema.metadata or {}).get(METADATA_KEY, b"").decode() or None)
        found.types[name] = {column.name: _type_name(column.type) for column in table.schema}
        found.tables[name] = frame = _as_frame(table)
        lacking = [column for column in _NEEDED.get(name, ()) if column not in frame.columns]
        if lacking:
            found.unusable[name] = f"{path} is not an extract table of this kind (no {', '.join(lacking)} column)"
    if len(versions) > 1:  # files of several writers
        found.schema_version = "mixed: " + ", ".join(sorted(version or "unknown" for version in versions))
    elif versions:
        found.schema_version = versions.pop()
    return found


def _read(path: Path) -> pa.Table:
    try:
        return parquet.read_table(path)
    except Exception as error:
        raise UnreadableOutput(
            f"{path} cannot be read ({type(error).__name__}: "
            f"{str(error).splitlines()[0][:200] if str(error) else 'no detail'})"
        ) from error


def _as_frame(table: pa.Table) -> pd.DataFrame:
    """A table as pandas: as its writer described it, or (a writer of another schema whose pandas description
    does not fit the data) by its Arrow types, nullable."""
    try:
        return table.to_pandas()
    except (TypeError, ValueError, KeyError, pa.ArrowException):  # KeyError: an index column it names is not there
        return table.to_pandas(ignore_metadata=True, types_mapper=_mapped)


def _mapped(arrow_type: pa.DataType) -> Any:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.StringDtype()
    return _NULLABLE.get(arrow_type)


def load_coverage(out: Path) -> pd.DataFrame | None:
    """The output's coverage table, or None for an output written before there was one (or a broken one)."""
    try:
        return pd.read_parquet(out / "parquet" / "coverage.parquet")
    except Exception:  # noqa: BLE001 - no coverage known: every year is taken as complete, and the report says so
        return None


def side(tables: dict[str, pd.DataFrame], label: str, year: str | None = None) -> Side:
    return _side(Output(tables, {}, None), label, year, tables.get("coverage"))


def _side(read: Output, label: str, year: str | None = None, coverage: pd.DataFrame | None = None) -> Side:
    tables = read.tables

    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["school_year"] == year] if year else frame

    usable = [name for name in ("credentials", *CHILD_MATCH) if name in tables and name not in read.unusable]
    empty = pd.DataFrame(columns=list(_NEEDED["credentials"]))
    return Side(
        label,
        pick(tables["credentials"]) if "credentials" in usable else empty,
        {name: _grouped(pick(tables[name])) if name in usable else {} for name in CHILD_MATCH},
        {name: list(tables[name].columns) if name in tables else [] for name in CHILD_MATCH},
        year=year,
        partial=partial_years(coverage),
        types=read.types,
        unusable=dict(read.unusable),
        schema_version=read.schema_version,
    )


def partial_years(coverage: pd.DataFrame | None) -> dict[str, str]:
    """School years a coverage table says are incomplete, each with why (`3 of 3 credentials cut`)."""
    if coverage is None or "complete" not in coverage:
        return {}
    incomplete = coverage[~coverage["complete"].fillna(True).astype(bool)]
    return {row["school_year"]: ", ".join(incomplete_because(row)) or "incomplete" for row in _records(incomplete)}


def _grouped(frame: pd.DataFrame) -> dict[tuple, list[dict[str, Any]]]:
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for row in _records(frame):
        groups.setdefault((row["school_year"], row["credential_slug"]), []).append(row)
    return groups


def diff_outputs(old: Path, new: Path) -> dict[str, Any]:
    sides = [_side(read_output(out), str(out), coverage=load_coverage(out)) for out in (old, new)]
    return compare(*sides, by_year=True)


def diff_years(out: Path, old_year: str, new_year: str) -> dict[str, Any]:
    tables = {**load_tables(out), "coverage": load_coverage(out)}
    years = set(tables["credentials"]["school_year"].dropna())  # a row without a year (another writer) is in none
    for year in (old_year, new_year):
        if year not in years:
            raise DiffError(f"{out}: no credentials for school year {year} (has {', '.join(sorted(years)) or 'none'})")
    return compare(side(tables, old_year, old_year), side(tables, new_year, new_year), by_year=False)


# --- comparison -------------------------------------------------------------------------


CHANGE_COUNTS = ("added", "removed", "renamed", "changed", "values", "child_rows", "schema")


def compare(old: Side, new: Side, by_year: bool) -> dict[str, Any]:
    """The report: credentials added, removed, renamed and changed (columns and child rows).

    A credential missing from an incomplete side (coverage) is `not in this copy` (or `not in the old copy`),
    never removed or added; a value or child row a cut page does not show (null, or the start of the other
    side's value) is not compared, and counted as `unseen`. Only what both sides can show is compared:
    tables both can read, columns both have with types that compare (a number with a number, text with
    text). The rest is listed under `schema`, with the two schema versions.
    """
    schema = _schema_changes(old, new)
    comparable = _comparable(old, new, schema)
    report: dict[str, Any] = {
        "old": old.label,
        "new": new.label,
        "counts": {},
        "added": [],
        "removed": [],
        "renamed": [],
        "changed": [],
        "not_in_this_copy": [],
        "not_in_old_copy": [],
        "incomplete": {"old": _compared_partial(old), "new": _compared_partial(new)},
        "schema": schema,
    }
    if old.schema_version != new.schema_version:
        report["schema_version"] = {"old": old.schema_version, "new": new.schema_version}
    unseen = _compare_credentials(old, new, by_year, comparable, report) if "credentials" in comparable else 0
    counts = {kind: len(report[kind]) for kind in ("added", "removed", "renamed", "changed")}
    counts["values"] = sum(len(change["columns"]) for change in report["changed"])
    counts["child_rows"] = sum(
        len(rows) for change in report["changed"] for kinds in change["children"].values() for rows in kinds.values()
    )
    counts["schema"] = sum(
        len(change.get("added_columns", []))
        + len(change.get("removed_columns", []))
        + len(change.get("type_changed", []))
        + (1 if "not_compared" in change else 0)
        for change in schema.values()
    )
    counts["not_in_this_copy"] = len(report["not_in_this_copy"])
    counts["not_in_old_copy"] = len(report["not_in_old_copy"])
    counts["unseen"] = unseen
    report["counts"] = counts
    return report


def _compare_credentials(old: Side, new: Side, by_year: bool, comparable: dict[str, set[str]], report) -> int:
    """Fill the report's credential lists; returns how many differences a cut page explains (unseen)."""
    shared = comparable["credentials"]
    keys = [key for key in ("cred_id", "credential_slug") if key in shared]
    pairs, removed, added = _match(_records(old.credentials), _records(new.credentials), by_year, keys)
    for row in removed:
        gone = (new.year or row["school_year"]) in new.partial
        report["not_in_this_copy" if gone else "removed"].append(_identity(row))
    for row in added:
        unseen = (old.year or row["school_year"]) in old.partial
        report["not_in_old_copy" if unseen else "added"].append(_identity(row))
    unseen = 0
    for before, after in pairs:
        if any(before.get(key) != after.get(key) for key in ("credential_slug", "credential_name")):
            report["renamed"].append(
                {**_identity(after), "old_slug": before["credential_slug"], "old_name": before["credential_name"]}
            )
        cut = (before.get("complete") is False, after.get("complete") is False)
        columns, hidden = _changed_columns(before, after, shared, cut)
        children = {}
        for name in CHILD_MATCH:
            if name not in comparable:
                continue
            change, hidden_rows = _child_changes(name, old, new, before, after, comparable[name], cut)
            hidden += hidden_rows
            if change:
                children[name] = change
        unseen += hidden
        if columns or children:
            report["changed"].append({**_identity(after), "columns": columns, "children": children})
    return unseen


def _compared_partial(one: Side) -> dict[str, str]:
    """The incomplete school years this side brings to the comparison."""
    years = {one.year} if one.year else set(one.credentials["school_year"].dropna()) | set(one.partial)
    return {year: why for year, why in sorted(one.partial.items()) if year in years}


def _schema_changes(old: Side, new: Side) -> dict[str, dict[str, Any]]:
    """Columns present in only one of the two outputs (a schema change, not a change of every row), columns whose
    type differs, and tables one side cannot show (`not_compared`, with the reason)."""
    changes: dict[str, dict[str, Any]] = {}
    for table in ("credentials", *CHILD_MATCH):
        before, after = old.types.get(table, {}), new.types.get(table, {})
        change: dict[str, Any] = {}
        added = [column for column in after if column not in before]
        removed = [column for column in before if column not in after]
        if (added or removed) and before and after:
            change = {"added_columns": added, "removed_columns": removed}
        retyped = [
            {
                "column": column,
                "old": before[column],
                "new": after[column],
                "compared": _compares(before[column], after[column]),
            }
            for column in after
            if column in before and before[column] != after[column]
        ]
        if retyped:
            change["type_changed"] = retyped
        keys = sorted({item["column"] for item in retyped if not item["compared"]} & set(_NEEDED[table]))
        why = old.unusable.get(table) or new.unusable.get(table)
        if why or keys:
            change["not_compared"] = why or f"key columns of another type: {', '.join(keys)}"
        if change:
            changes[table] = change
    return changes


def _comparable(old: Side, new: Side, schema: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    """Each table both sides can show -> the columns compared in it (on both sides, of types that compare)."""
    comparable = {}
    for table in ("credentials", *CHILD_MATCH):
        change = schema.get(table, {})
        if "not_compared" in change:
            continue
        differ = {item["column"] for item in change.get("type_changed", []) if not item["compared"]}
        if table == "credentials":
            columns = set(old.credentials.columns) & set(new.credentials.columns)
        else:
            columns = set(old.columns[table]) & set(new.columns[table])
        comparable[table] = columns - differ
    return comparable


def _type_name(arrow_type: pa.DataType) -> str:
    """A column's type as the contract names them (str, Int64, Float64, boolean); another as Arrow names it."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "str"
    if pa.types.is_integer(arrow_type):
        return "Int64"
    if pa.types.is_floating(arrow_type):
        return "Float64"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    return str(arrow_type)


def _kind(type_name: str) -> str:
    """Whether two columns compare: numbers with numbers; a column of nulls only (type `null`) with any."""
    return {"Int64": "number", "Float64": "number", "null": "any"}.get(type_name, type_name)


def _compares(before: str, after: str) -> bool:
    return "any" in (_kind(before), _kind(after)) or _kind(before) == _kind(after)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts of plain values (None for a missing value or NaN)."""
    if _arrow_typed(frame):  # Arrow makes the Python values in C: pandas boxes each value in a call of its own
        table = pa.Table.from_pandas(frame, preserve_index=False)
        return pa.table([_nan_as_null(column) for column in table.columns], names=table.column_names).to_pylist()
    return [{key: _plain(value) for key, value in row.items()} for row in frame.to_dict("records")]


_ARROW_DTYPES = (pd.StringDtype, pd.Int64Dtype, pd.Float64Dtype, pd.BooleanDtype)


def _arrow_typed(frame: pd.DataFrame) -> bool:
    """Whether every column is of a type Arrow gives back as `_plain` values, and every name is unique text."""
    names = list(frame.columns)
    return (
        len(set(names)) == len(names)
        and all(isinstance(name, str) for name in names)
        and all(isinstance(dtype, _ARROW_DTYPES) for dtype in frame.dtypes)
    )


def _nan_as_null(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if not pa.types.is_floating(column.type):
        return column
    return pc.if_else(pc.is_nan(column), pa.scalar(None, column.type), column)


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _match(old_rows, new_rows, by_year: bool, keys: list[str]):
    """Pairs matched on cred_id, then on slug (within a school year when by_year); the rest is removed / added."""
    pairs = []
    for key in keys:
        index: dict[tuple, dict] = {}
        for row in new_rows:
            if row[key] is not None:
                index.setdefault(_match_key(row, key, by_year), row)
        unmatched = []
        for row in old_rows:
            match = index.pop(_match_key(row, key, by_year), None) if row[key] is not None else None
            if match is None:
                unmatched.append(row)
            else:
                pairs.append((row, match))
        taken = {id(after) for _, after in pairs}
        new_rows = [row for row in new_rows if id(row) not in taken]
        old_rows = unmatched
    return pairs, old_rows, new_rows


def _match_key(row: dict[str, Any], key: str, by_year: bool) -> tuple:
    return (row["school_year"] if by_year else None, row[key])


def _identity(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "school_year": row["school_year"],
        "cred_id": row.get("cred_id"),
        "credential_slug": row["credential_slug"],
        "credential_name": row["credential_name"],
    }


def _changed_columns(
    before: dict[str, Any], after: dict[str, Any], shared: set[str], cut: tuple[bool, bool]
) -> tuple[list[dict[str, Any]], int]:
    """The values that changed, and how many differing values a cut page does not show."""
    changes, unseen = [], 0
    for column in after:
        if column not in shared or column in IGNORED or before[column] == after[column]:
            continue
        if _unseen(before[column], after[column], cut):
            unseen += 1
        else:
            changes.append({"column": column, "old": before[column], "new": after[column]})
    return changes, unseen


def _unseen(old: Any, new: Any, cut: tuple[bool, bool]) -> bool:
    """A difference a cut copy explains: its value is missing, or is the start of the other's."""
    return (cut[0] and _shows_part_of(old, new)) or (cut[1] and _shows_part_of(new, old))


def _shows_part_of(part: Any, whole: Any) -> bool:
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(_shows_part_of(part.get(key), whole.get(key)) for key in whole)
    return (
        part is None or part == whole or (isinstance(part, str) and isinstance(whole, str) and whole.startswith(part))
    )


def _child_changes(
    name: str, old: Side, new: Side, before, after, shared: set[str], cut: tuple[bool, bool]
) -> tuple[dict, int]:
    """A credential's child rows added, removed and changed, and how many differences a cut page explains.

    Costs match on (amount, condition); a cost left over on both sides with the same condition, or else the
    same amount, is one cost that changed, not one removed and one added.
    """
    old_children = _children_of(old.children[name], before, name, shared)
    new_children = _children_of(new.children[name], after, name, shared)
    added = [new_children[key] for key in new_children if key not in old_children]
    removed = [old_children[key] for key in old_children if key not in new_children]
    changed = [
        {"old": old_children[key], "new": new_children[key]}
        for key in new_children
        if key in old_children and old_children[key] != new_children[key]
    ]
    if name == "instructor_training_costs":
        for column in ("condition", "amount_usd"):
            changed += _paired(removed, added, column)
    unseen = 0
    if cut[1]:
        unseen, removed = unseen + len(removed), []
    if cut[0]:
        unseen, added = unseen + len(added), []
    kept = [item for item in changed if not _unseen(item["old"], item["new"], cut)]
    unseen += len(changed) - len(kept)
    kinds = (("added", added), ("removed", removed), ("changed", kept))
    return {kind: rows for kind, rows in kinds if rows}, unseen


def _paired(removed: list[dict], added: list[dict], column: str) -> list[dict[str, Any]]:
    """Rows left on both sides that agree on `column`, in order, as changes; they leave both lists."""
    pairs = []
    for old_row in list(removed):
        match = next((row for row in added if row.get(column) == old_row.get(column)), None)
        if match is not None:
            pairs.append({"old": old_row, "new": match})
            removed.remove(old_row)
            added.remove(match)
    return pairs


def _children_of(groups, credential: dict[str, Any], name: str, shared: set[str]) -> dict[tuple, dict[str, Any]]:
    result = {}
    for row in groups.get((credential["school_year"], credential["credential_slug"]), []):
        comparable = {k: v for k, v in row.items() if k not in IGNORED and k in shared}
        result[tuple(row[k] for k in CHILD_MATCH[name])] = comparable
    return result


def has_changes(report: dict[str, Any]) -> bool:
    """Whether anything changed (a credential missing from an incomplete copy is not a change)."""
    return any(report["counts"].get(kind) for kind in CHANGE_COUNTS)


# --- formats ------------------------------------------------------------------------------


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_markdown(report: dict[str, Any]) -> str:
    counts = report["counts"]
    lines = [
        f"**{report['old']} → {report['new']}**: {counts['added']} added, {counts['removed']} removed, "
        f"{counts['renamed']} renamed, {counts['changed']} changed ({counts['values']} values, "
        f"{counts['child_rows']} child rows)"
        + (f"; {counts['schema']} schema differences" if counts["schema"] else "")
        + "".join(
            f"; {counts[kind]} {kind.replace('_', ' ')}"
            for kind in ("not_in_this_copy", "not_in_old_copy")
            if counts[kind]
        ),
        "",
    ]
    versions = version_line(report)
    if versions:
        lines += [versions, ""]
    lines += incomplete_lines(report)
    if report["schema"]:
        lines += _table("Schema differences", ["table", "column", "difference"], _schema_rows(report["schema"]))
    if report["added"]:
        lines += _table("Added", ["credential", "cred_id"], [[_name(r), _cell(r["cred_id"])] for r in report["added"]])
    if report["removed"]:
        lines += _table(
            "Removed", ["credential", "cred_id"], [[_name(r), _cell(r["cred_id"])] for r in report["removed"]]
        )
    for kind, title in (("not_in_this_copy", "Not in this copy"), ("not_in_old_copy", "Not in the old copy")):
        if report[kind]:
            rows = [[_name(r), _cell(r["cred_id"])] for r in report[kind]]
            lines += _table(
                f"{title}: missing from an incomplete year, not {_GONE[kind]}", ["credential", "cred_id"], rows
            )
    if report["renamed"]:
        lines += _table(
            "Renamed",
            ["cred_id", "old name", "new name"],
            [[_cell(r["cred_id"]), _cell(r["old_name"]), _cell(r["credential_name"])] for r in report["renamed"]],
        )
    column_rows = [
        [_name(r), c["column"], _cell(c["old"]), _cell(c["new"])] for r in report["changed"] for c in r["columns"]
    ]
    if column_rows:
        lines += _table("Changed values", ["credential", "column", "old", "new"], column_rows)
    child_rows = [
        [_name(r), table, kind, _cell(change_text(item) if kind == "changed" else row_text(item), MD_ROW)]
        for r in report["changed"]
        for table, kinds in r["children"].items()
        for kind, items in kinds.items()
        for item in items
    ]
    if child_rows:
        lines += _table("Changed child rows", ["credential", "table", "change", "row"], child_rows)
    if not has_changes(report):
        lines.append("No changes.")
    return "\n".join(lines).rstrip() + "\n"


_GONE = {"not_in_this_copy": "removed", "not_in_old_copy": "added"}


def incomplete_lines(report: dict[str, Any]) -> list[str]:
    """What the report says when a side is incomplete, before any table (a year incomplete on both sides once)."""
    incomplete = report.get("incomplete", {})
    old, new = incomplete.get("old", {}), incomplete.get("new", {})
    lines = []
    for year in sorted(set(old) | set(new)):
        if year in old and year in new:
            why = old[year] if old[year] == new[year] else f"{old[year]}; now {new[year]}"
            lines.append(
                f"> **{year} is incomplete on both sides** ({why}): a credential missing from it is *not in this "
                "copy* (or *not in the old copy*), never removed or added."
            )
            continue
        side_name = "new" if year in new else "old"
        where = "" if report[side_name] == year else f" in {inert(report[side_name])}"
        lines.append(
            f"> **{year} is incomplete{where}** ({(new if year in new else old)[year]}): a credential missing from it "
            f"is *not in {'this' if side_name == 'new' else 'the old'} copy*, never "
            f"{'removed' if side_name == 'new' else 'added'}."
        )
    if report["counts"].get("unseen"):
        lines.append(
            f"> {report['counts']['unseen']} values or child rows not compared: a cut page does not show them."
        )
    return [*lines, ""] if lines else []


def version_line(report: dict[str, Any], old_name: str | None = None, new_name: str | None = None) -> str | None:
    """`OLD is schema version X, NEW is Y: ...` when the two differ (an unknown version is an older writer's)."""
    versions = report.get("schema_version")
    if not versions:
        return None
    named = [version or "unknown (written before schema versions were recorded)" for version in versions.values()]
    return printable(
        f"{old_name or report['old']} is schema version {named[0]}, {new_name or report['new']} is {named[1]}: "
        "only tables and columns both sides have, with types that compare, are compared"
    )


def _schema_rows(schema: dict[str, dict[str, Any]]) -> list[list[str]]:
    rows = []
    for table, change in schema.items():
        rows += [[_cell(table), _cell(column), "only in new"] for column in change.get("added_columns", [])]
        rows += [[_cell(table), _cell(column), "only in old"] for column in change.get("removed_columns", [])]
        rows += [
            [
                _cell(table),
                _cell(item["column"]),
                f"type {item['old']} → {item['new']}" + ("" if item["compared"] else ", not compared"),
            ]
            for item in change.get("type_changed", [])
        ]
        if "not_compared" in change:
            rows.append([_cell(table), "", f"table not compared: {_cell(change['not_compared'], 200)}"])
    return rows


def _table(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    lines = [f"### {title} ({len(rows)})", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:MD_ROWS]]
    if len(rows) > MD_ROWS:
        lines.append(f"\n… and {len(rows) - MD_ROWS} more (see `--format json`)")
    return lines + [""]


def _name(row: dict[str, Any]) -> str:
    return _cell(f"{row['credential_name']} ({row['school_year']})")


def row_text(row: dict[str, Any]) -> str:
    """A child row as `column=value, ...` (nulls left out), values as the CSV writes them."""
    return ", ".join(f"{key}={as_csv(value)}" for key, value in row.items() if value is not None)


def change_text(item: dict[str, Any]) -> str:
    """A changed child row: each differing column `old → new`, then what stayed (`amount_usd: 1525.0 → 1575.0
    (condition=with an online webinar)`)."""
    old, new = item["old"], item["new"]
    differ = [key for key in new if old.get(key) != new.get(key)]
    same = row_text({key: value for key, value in new.items() if key not in differ})
    changes = "; ".join(f"{key}: {as_csv(old.get(key)) or '(none)'} → {as_csv(new[key]) or '(none)'}" for key in differ)
    return f"{changes} ({same})" if same else changes


def as_csv(value: Any) -> str:
    """A value as the CSV output writes it (booleans `true`/`false`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _cell(value: Any, limit: int = MD_VALUE) -> str:
    return inert(as_csv(value), limit)


def inert(value: Any, limit: int = 120) -> str:
    """Page text as a Markdown code span: shown as written, never a link, image, tag or @mention."""
    if value is None:
        return ""
    text = printable(" ".join(str(value).split()))  # shown on terminals too: no escape sequence acts
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if not text:
        return ""
    fence = "`" * (_longest_backtick_run(text) + 1)
    return f"{fence} {text} {fence}".replace("|", "\\|")


def _longest_backtick_run(text: str) -> int:
    longest = current = 0
    for character in text:
        current = current + 1 if character == "`" else 0
        longest = max(longest, current)
    return longest
