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

from pipeline.tables.coverage import incomplete_because
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
    year: str | None = None  # the one school year of this side; None: every year of an output
    partial: dict[str, str] = field(default_factory=dict)  # school year -> why it is incomplete (coverage)


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


def load_coverage(out: Path) -> pd.DataFrame | None:
    """The output's coverage table, or None for an output written before there was one (or a broken one)."""
    try:
        return pd.read_parquet(out / "parquet" / "coverage.parquet")
    except Exception:  # noqa: BLE001 - no coverage known: every year is taken as complete, and the report says so
        return None


def side(tables: dict[str, pd.DataFrame], label: str, year: str | None = None) -> Side:
    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["school_year"] == year] if year else frame

    return Side(
        label,
        pick(tables["credentials"]),
        {name: _grouped(pick(tables[name])) for name in CHILD_MATCH},
        {name: list(tables[name].columns) for name in CHILD_MATCH},
        year,
        partial_years(tables.get("coverage")),
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
    sides = [side({**load_tables(out), "coverage": load_coverage(out)}, str(out)) for out in (old, new)]
    return compare(*sides, by_year=True)


def diff_years(out: Path, old_year: str, new_year: str) -> dict[str, Any]:
    tables = {**load_tables(out), "coverage": load_coverage(out)}
    years = set(tables["credentials"]["school_year"])
    for year in (old_year, new_year):
        if year not in years:
            raise DiffError(f"{out}: no credentials for school year {year} (has {', '.join(sorted(years))})")
    return compare(side(tables, old_year, old_year), side(tables, new_year, new_year), by_year=False)


# --- comparison -------------------------------------------------------------------------


CHANGE_COUNTS = ("added", "removed", "renamed", "changed", "values", "child_rows", "schema")


def compare(old: Side, new: Side, by_year: bool) -> dict[str, Any]:
    """The report: credentials added, removed, renamed and changed (columns and child rows).

    A credential missing from an incomplete side (coverage) is `not in this copy` (or `not in the old copy`),
    never removed or added; a value or child row a cut page does not show (null, or the start of the other
    side's value) is not compared, and counted as `unseen`.
    """
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
        "not_in_this_copy": [],
        "not_in_old_copy": [],
        "incomplete": {"old": _compared_partial(old), "new": _compared_partial(new)},
        "schema": _schema_changes(old, new),
    }
    shared = set(old.credentials.columns) & set(new.credentials.columns)
    for row in removed:
        gone = (new.year or row["school_year"]) in new.partial
        report["not_in_this_copy" if gone else "removed"].append(_identity(row))
    for row in added:
        unseen = (old.year or row["school_year"]) in old.partial
        report["not_in_old_copy" if unseen else "added"].append(_identity(row))
    unseen = 0
    for before, after in pairs:
        if any(before[key] != after[key] for key in ("credential_slug", "credential_name")):
            report["renamed"].append(
                {**_identity(after), "old_slug": before["credential_slug"], "old_name": before["credential_name"]}
            )
        cut = (before.get("complete") is False, after.get("complete") is False)
        columns, hidden = _changed_columns(before, after, shared, cut)
        children = {}
        for name in CHILD_MATCH:
            change, hidden_rows = _child_changes(name, old, new, before, after, cut)
            hidden += hidden_rows
            if change:
                children[name] = change
        unseen += hidden
        if columns or children:
            report["changed"].append({**_identity(after), "columns": columns, "children": children})
    counts = {kind: len(report[kind]) for kind in ("added", "removed", "renamed", "changed")}
    counts["values"] = sum(len(change["columns"]) for change in report["changed"])
    counts["child_rows"] = sum(
        len(rows) for change in report["changed"] for kinds in change["children"].values() for rows in kinds.values()
    )
    counts["schema"] = sum(len(columns) for change in report["schema"].values() for columns in change.values())
    counts["not_in_this_copy"] = len(report["not_in_this_copy"])
    counts["not_in_old_copy"] = len(report["not_in_old_copy"])
    counts["unseen"] = unseen
    report["counts"] = counts
    return report


def _compared_partial(one: Side) -> dict[str, str]:
    """The incomplete school years this side brings to the comparison."""
    years = {one.year} if one.year else set(one.credentials["school_year"].dropna()) | set(one.partial)
    return {year: why for year, why in sorted(one.partial.items()) if year in years}


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


def _child_changes(name: str, old: Side, new: Side, before, after, cut: tuple[bool, bool]) -> tuple[dict, int]:
    """A credential's child rows added, removed and changed, and how many differences a cut page explains.

    Costs match on (amount, condition); a cost left over on both sides with the same condition, or else the
    same amount, is one cost that changed, not one removed and one added.
    """
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
        + (f"; {counts['schema']} columns in only one output" if counts["schema"] else "")
        + "".join(
            f"; {counts[kind]} {kind.replace('_', ' ')}"
            for kind in ("not_in_this_copy", "not_in_old_copy")
            if counts[kind]
        ),
        "",
    ]
    lines += incomplete_lines(report)
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
