"""Validated tables -> what changed: between two outputs, or two school years of one.

Credentials match on cred_id, else on slug; a matched pair whose slug differs
is a rename. Comparison is on typed values and ignores provenance, so a
whitespace or markup change in raw/ is not a change.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from schemas.tables import CHILD_MATCH, IDENTITY, PROVENANCE

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
    """One side of a comparison: credential rows, and child rows by (school_year, slug)."""

    label: str
    credentials: pd.DataFrame
    children: dict[str, dict[tuple, list[dict[str, Any]]]]
    columns: dict[str, list[str]]  # child table -> its columns


def load_tables(out: Path, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The output's tables (default: credentials and its children), read from Parquet; DiffError names a bad file."""
    folder = out / "parquet"
    if not folder.is_dir():
        raise DiffError(f"{out}: no parquet/ folder (not an extract output?)")
    names = names or ["credentials", *CHILD_MATCH]
    missing = [name for name in names if not (folder / f"{name}.parquet").exists()]
    if missing:
        raise DiffError(f"{out}: missing {', '.join(missing)}")
    tables = {}
    for name in names:
        try:
            tables[name] = pd.read_parquet(folder / f"{name}.parquet")
        except Exception as error:
            raise UnreadableOutput(
                f"{folder / name}.parquet cannot be read ({type(error).__name__}: "
                f"{str(error).splitlines()[0][:200] if str(error) else 'no detail'})"
            ) from error
        keyed = name == "credentials" or name in CHILD_MATCH
        if keyed and not {"school_year", "credential_slug"} <= set(tables[name].columns):
            raise DiffError(f"{folder / name}.parquet is not an extract table (no school_year/credential_slug)")
    return tables


def side(tables: dict[str, pd.DataFrame], label: str, year: str | None = None) -> Side:
    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["school_year"] == year] if year else frame

    return Side(
        label,
        pick(tables["credentials"]),
        {name: _grouped(pick(tables[name])) for name in CHILD_MATCH},
        {name: list(tables[name].columns) for name in CHILD_MATCH},
    )


def _grouped(frame: pd.DataFrame) -> dict[tuple, list[dict[str, Any]]]:
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for row in _records(frame):
        groups.setdefault((row["school_year"], row["credential_slug"]), []).append(row)
    return groups


def diff_outputs(old: Path, new: Path) -> dict[str, Any]:
    return compare(side(load_tables(old), str(old)), side(load_tables(new), str(new)), by_year=True)


def diff_years(out: Path, old_year: str, new_year: str) -> dict[str, Any]:
    tables = load_tables(out)
    years = set(tables["credentials"]["school_year"])
    for year in (old_year, new_year):
        if year not in years:
            raise DiffError(f"{out}: no credentials for school year {year} (has {', '.join(sorted(years))})")
    return compare(side(tables, old_year, old_year), side(tables, new_year, new_year), by_year=False)


# --- comparison -------------------------------------------------------------------------


def compare(old: Side, new: Side, by_year: bool) -> dict[str, Any]:
    """The report: credentials added, removed, renamed and changed (columns and child rows)."""
    old_rows = _records(old.credentials)
    new_rows = _records(new.credentials)
    pairs, removed, added = _match(old_rows, new_rows, by_year)
    report: dict[str, Any] = {
        "old": old.label,
        "new": new.label,
        "counts": {},
        "added": [],
        "removed": [],
        "renamed": [],
        "changed": [],
        "schema": _schema_changes(old, new),
    }
    shared = set(old.credentials.columns) & set(new.credentials.columns)
    report["added"] = [_identity(row) for row in added]
    report["removed"] = [_identity(row) for row in removed]
    for before, after in pairs:
        if any(before[key] != after[key] for key in ("credential_slug", "credential_name")):
            report["renamed"].append(
                {**_identity(after), "old_slug": before["credential_slug"], "old_name": before["credential_name"]}
            )
        columns = _changed_columns(before, after, shared)
        children = {name: change for name in CHILD_MATCH if (change := _child_changes(name, old, new, before, after))}
        if columns or children:
            report["changed"].append({**_identity(after), "columns": columns, "children": children})
    report["counts"] = {kind: len(report[kind]) for kind in ("added", "removed", "renamed", "changed")}
    report["counts"]["values"] = sum(len(change["columns"]) for change in report["changed"])
    report["counts"]["child_rows"] = sum(
        len(rows) for change in report["changed"] for kinds in change["children"].values() for rows in kinds.values()
    )
    report["counts"]["schema"] = sum(
        len(columns) for change in report["schema"].values() for columns in change.values()
    )
    return report


def _schema_changes(old: Side, new: Side) -> dict[str, dict[str, list[str]]]:
    """Columns present in only one of the two outputs: a schema change, not a change of every row."""
    changes = {}
    frames = {
        "credentials": (old.credentials, new.credentials),
        **{name: (old.columns[name], new.columns[name]) for name in CHILD_MATCH},
    }
    for table, (before, after) in frames.items():
        added = [column for column in after if column not in set(before)]
        removed = [column for column in before if column not in set(after)]
        if added or removed:
            changes[table] = {"added_columns": added, "removed_columns": removed}
    return changes


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{key: _plain(value) for key, value in row.items()} for row in frame.to_dict("records")]


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _match(old_rows, new_rows, by_year: bool):
    """Pairs matched on cred_id, then on slug (within a school year when by_year); the rest is removed / added."""
    pairs = []
    for key in ("cred_id", "credential_slug"):
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
        "cred_id": row["cred_id"],
        "credential_slug": row["credential_slug"],
        "credential_name": row["credential_name"],
    }


def _changed_columns(before: dict[str, Any], after: dict[str, Any], shared: set[str]) -> list[dict[str, Any]]:
    return [
        {"column": column, "old": before[column], "new": after[column]}
        for column in after
        if column in shared and column not in IGNORED and before[column] != after[column]
    ]


def _child_changes(name: str, old: Side, new: Side, before, after) -> dict[str, list]:
    shared = set(old.columns[name]) & set(new.columns[name])
    old_children = _children_of(old.children[name], before, name, shared)
    new_children = _children_of(new.children[name], after, name, shared)
    added = [new_children[key] for key in new_children if key not in old_children]
    removed = [old_children[key] for key in old_children if key not in new_children]
    changed = [
        {"old": old_children[key], "new": new_children[key]}
        for key in new_children
        if key in old_children and old_children[key] != new_children[key]
    ]
    return {kind: rows for kind, rows in (("added", added), ("removed", removed), ("changed", changed)) if rows}


def _children_of(groups, credential: dict[str, Any], name: str, shared: set[str]) -> dict[tuple, dict[str, Any]]:
    result = {}
    for row in groups.get((credential["school_year"], credential["credential_slug"]), []):
        comparable = {k: v for k, v in row.items() if k not in IGNORED and k in shared}
        result[tuple(row[k] for k in CHILD_MATCH[name])] = comparable
    return result


def has_changes(report: dict[str, Any]) -> bool:
    return any(report["counts"].values())


# --- formats ------------------------------------------------------------------------------


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_markdown(report: dict[str, Any]) -> str:
    counts = report["counts"]
    lines = [
        f"**{report['old']} → {report['new']}**: {counts['added']} added, {counts['removed']} removed, "
        f"{counts['renamed']} renamed, {counts['changed']} changed ({counts['values']} values, "
        f"{counts['child_rows']} child rows)"
        + (f"; {counts['schema']} columns in only one output" if counts["schema"] else ""),
        "",
    ]
    schema_rows = [
        [table, kind.replace("_columns", ""), column]
        for table, kinds in report["schema"].items()
        for kind, columns in kinds.items()
        for column in columns
    ]
    if schema_rows:
        lines += _table(
            "Schema changes: columns in only one output",
            ["table", "column is", "column"],
            [
                [_cell(table), "only in new" if kind == "added" else "only in old", _cell(column)]
                for table, kind, column in schema_rows
            ],
        )
    if report["added"]:
        lines += _table("Added", ["credential", "cred_id"], [[_name(r), _cell(r["cred_id"])] for r in report["added"]])
    if report["removed"]:
        lines += _table(
            "Removed", ["credential", "cred_id"], [[_name(r), _cell(r["cred_id"])] for r in report["removed"]]
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
        [_name(r), table, kind, _child_text(item)]
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


def _table(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    lines = [f"### {title} ({len(rows)})", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:MD_ROWS]]
    if len(rows) > MD_ROWS:
        lines.append(f"\n… and {len(rows) - MD_ROWS} more (see `--format json`)")
    return lines + [""]


def _name(row: dict[str, Any]) -> str:
    return _cell(f"{row['credential_name']} ({row['school_year']})")


def _child_text(item: dict[str, Any]) -> str:
    if set(item) == {"old", "new"}:
        return _cell(f"{_child_text(item['old'])} → {_child_text(item['new'])}", MD_ROW)
    return _cell(", ".join(f"{key}={_as_csv(value)}" for key, value in item.items() if value is not None), MD_ROW)


def _as_csv(value: Any) -> str:
    """A value as the CSV output writes it (booleans `true`/`false`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _cell(value: Any, limit: int = MD_VALUE) -> str:
    return inert(_as_csv(value), limit)


def inert(value: Any, limit: int = 120) -> str:
    """Page text as a Markdown code span: shown as written, never a link, image, tag or @mention."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
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
