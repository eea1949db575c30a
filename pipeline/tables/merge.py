"""Typed rows from several sources -> one row per (school_year, credential_slug).

Sources rank: final over draft, complete over cut, then html > pdf > text,
then a credential's own page (its cred_id known) over a course page, then
path, so the result never depends on reading order. Each column takes
the best-ranked non-null value; a different non-null value from another source
is listed in `conflicts`, never silently dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.tables.rows import CredentialRows
from schemas.tables import CHILD_TABLES, PROVENANCE

_FORMAT_RANK = {"html": 0, "pdf": 1, "text": 2}


@dataclass
class Merged:
    credentials: list[dict[str, Any]] = field(default_factory=list)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in CHILD_TABLES})
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def source_rank(rows: CredentialRows) -> tuple:
    row = rows.credential
    return (
        bool(row["is_draft"]),
        not row["complete"],
        _FORMAT_RANK[row["source_format"]],  # html, pdf or text: every source has one
        row["cred_id"] is None,
        row["source_path"],
    )


@dataclass(frozen=True)
class SlugCollision:
    """Credentials with different cred_ids whose names give one slug in one school year."""

    school_year: str | None
    slug: str
    cred_ids: tuple[int, ...]

    def note(self) -> str:
        ids = ", ".join(str(cred_id) for cred_id in self.cred_ids)
        return (
            f"{self.school_year} {self.slug}: credentials with different cred_ids ({ids}) share this slug; "
            f"each is written as {self.slug}-<cred_id>"
        )


def separate_slugs(all_rows: list[CredentialRows]) -> tuple[list[CredentialRows], list[SlugCollision]]:
    """Give `<slug>-<cred_id>` to credentials that share a slug but not a cred_id (CONTRACT section 5).

    A source without a cred_id (a course page) joins the one whose name it
    carries exactly; when no single one has that name it keeps the plain slug.
    """
    groups: dict[tuple, list[CredentialRows]] = defaultdict(list)
    for rows in all_rows:
        groups[(rows.credential["school_year"], rows.credential["credential_slug"])].append(rows)
    collisions = []
    new_slug: dict[int, str] = {}
    for (year, slug), group in groups.items():
        ids = sorted({r.credential["cred_id"] for r in group if r.credential["cred_id"] is not None})
        if len(ids) < 2:
            continue
        collisions.append(SlugCollision(year, slug, tuple(ids)))
        by_name: dict[str, set[int]] = defaultdict(set)
        for rows in group:
            if rows.credential["cred_id"] is not None:
                by_name[rows.credential["credential_name"]].add(rows.credential["cred_id"])
        for rows in group:
            cred_id = rows.credential["cred_id"]
            named = by_name.get(rows.credential["credential_name"], set())
            if cred_id is None and len(named) == 1:
                cred_id = next(iter(named))
            if cred_id is not None:
                new_slug[id(rows)] = f"{slug}-{cred_id}"
    return [_with_slug(rows, new_slug[id(rows)]) if id(rows) in new_slug else rows for rows in all_rows], collisions


def _with_slug(rows: CredentialRows, slug: str) -> CredentialRows:
    children = {
        table: [{**child, "credential_slug": slug} for child in items] for table, items in rows.children.items()
    }
    return replace(rows, credential={**rows.credential, "credential_slug": slug}, children=children)


def merge(all_rows: list[CredentialRows]) -> Merged:
    groups: dict[tuple, list[CredentialRows]] = defaultdict(list)
    for rows in all_rows:
        groups[(rows.credential["school_year"], rows.credential["credential_slug"])].append(rows)
    merged = Merged()
    for key in sorted(groups, key=lambda k: (str(k[0]), str(k[1]))):
        ranked = sorted(groups[key], key=source_rank)
        row, conflicts = _merge_columns(ranked)
        merged.credentials.append(row)
        merged.conflicts.extend(conflicts)
        for table in CHILD_TABLES:
            merged.children[table].extend(next((r.children[table] for r in ranked if r.children[table]), []))
    return merged


def _merge_columns(ranked: list[CredentialRows]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One credential row from its ranked sources, and the conflicts between them."""
    best = ranked[0].credential
    result = dict(best)
    conflicts: list[dict[str, Any]] = []
    for column in best:
        if column in PROVENANCE:
            continue
        chosen_from = ranked[0] if best[column] is not None else None
        for other in ranked[1:]:
            value = other.credential[column]
            if value is None:
                continue
            if chosen_from is None:
                result[column], chosen_from = value, other
            elif value != result[column] and not _explained_by_cut(other, value, result[column]):
                conflicts.append(
                    {
                        "school_year": best["school_year"],
                        "credential_slug": best["credential_slug"],
                        "column": column,
                        "chosen": str(result[column]),
                        "other": str(value),
                        "chosen_source": chosen_from.credential["source_path"],
                        "other_source": other.credential["source_path"],
                    }
                )
    return result, conflicts


def _explained_by_cut(other: CredentialRows, value: Any, chosen: Any) -> bool:
    """A cut source's value that is the start of the chosen one differs only by the cut."""
    return not other.credential["complete"] and isinstance(value, str) and str(chosen).startswith(value)
