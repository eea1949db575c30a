"""label/value blocks -> typed rows: one credential row and its child rows.

A loop over the field map (`site.FIELDS`): each label's value goes through
its normalizer into the columns (or child table) the map names, by name.
Identity and provenance columns come from the block and its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.read.blocks import Block
from pipeline.read.labels import label_text
from pipeline.site import FIELDS
from pipeline.tables import normalize as n
from schemas.tables import CHILD_TABLES

# The fields that feed columns, each with whether its normalizer returns values by name (several columns) or one value.
MAPPED = tuple((entry, n.columns_of(entry.normalize) is not None) for entry in FIELDS if entry.columns)


@dataclass(frozen=True)
class Source:
    """Where a block came from."""

    path: str
    url: str | None
    sha256: str
    format: str  # html | text | pdf
    school_year: str | None
    is_draft: bool
    cred_id: int | None
    origin: str | None = None  # live | archive | sample


@dataclass
class CredentialRows:
    credential: dict[str, Any]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    source: Source | None = None
    title_mismatch: str | None = None  # the block's title line, when it differs from the Credential Name value
    block: int | None = None  # the block's number in its document


def label_value_columns(block: Block, block_number: int, source: Source, slug: str | None) -> dict[str, list]:
    """A block's label/value pairs as columns (one list per column of `label_values`)."""
    count = len(block.pairs)
    return {
        "school_year": [source.school_year] * count,
        "source_path": [source.path] * count,
        "block": [block_number] * count,
        "credential_slug": [slug] * count,
        "label": [label_text(pair.key) if pair.key else None for pair in block.pairs],
        "label_raw": [pair.label_raw for pair in block.pairs],
        "value": [pair.value for pair in block.pairs],
        "position": list(range(1, count + 1)),
    }


def label_value_rows(columns: dict[str, list]) -> list[dict[str, Any]]:
    """The same pairs as one dict per row."""
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def block_name(block: Block) -> str | None:
    """The Credential Name value is the name; the title line only stands in where the block has none, or
    where the page was cut inside the name (CONTRACT section 5: a title may be wrapped, cut, or carry a
    control's or a converter's text; Credential Name is the evidence)."""
    return _stated_name(block) or n.clean_text(block.title)


def _stated_name(block: Block) -> str | None:
    stated, title = n.clean_text(block.value("credential_name")), n.clean_text(block.title)
    last = block.pairs[-1] if block.pairs else None
    cut_inside = last is not None and last.key == "credential_name"
    if stated and title and cut_inside and title.startswith(stated) and title != stated:
        return None  # the page stops inside the name: the title has all of it
    return stated


def title_mismatch(block: Block) -> str | None:
    """The title, when the block has a Credential Name value that it does not spell (whitespace aside)."""
    stated, title = _stated_name(block), n.clean_text(block.title)
    return title if stated and title and title != stated else None


def title_mismatch_note(typed: CredentialRows) -> str:
    return (
        f"block {typed.block}: title {typed.title_mismatch!r} differs from its Credential Name "
        f"{typed.credential['credential_name']!r} (the name)"
    )


def credential_rows(block: Block, source: Source, number: int | None = None) -> CredentialRows | None:
    """Typed rows of one block, field by field (site.FIELDS); None when the block has no name (no Credential Name
    value, and no title to take it from)."""
    name = block_name(block)
    if name is None:
        return None
    slug = n.slugify(name)
    row: dict[str, Any] = {
        "school_year": source.school_year,
        "cred_id": source.cred_id,
        "credential_slug": slug,
        "credential_name": name,
        "is_draft": source.is_draft,
    }
    keys = {"school_year": source.school_year, "credential_slug": slug, "source_path": source.path}
    children: dict[str, list[dict[str, Any]]] = {table: [] for table in CHILD_TABLES}
    for entry, by_name in MAPPED:
        result = entry.normalize(*(block.value(key) for key in (entry.key, *entry.also)))
        values = result if by_name else {entry.columns[0]: result}
        for column in entry.columns:
            value = values[column]
            if column in children:
                children[column] = [{**keys, **item} for item in value]
            else:
                row[column] = value
    row.update(
        {
            "source_format": source.format,
            "complete": block.complete,
            "source_path": source.path,
            "source_url": source.url,
            "source_sha256": source.sha256,
            "source_origin": source.origin,
        }
    )
    return CredentialRows(row, children, source, title_mismatch(block), number)


def listing_rows(listing: list[dict[str, Any]], school_year: str | None, path: str) -> list[dict[str, Any]]:
    """Credentials by Course rows -> course_credentials rows."""
    return [
        {
            "school_year": school_year,
            "course_code": row["course_code"],
            "course_title": n.clean_text(row["course_title"]),
            "credential_name": n.clean_text(row["credential_name"]),
            "credential_slug": n.slugify(row["credential_name"]) if row["credential_name"] else None,
            "federal_reporting": row["federal_reporting"],
            "source_path": path,
        }
        for row in listing
    ]
