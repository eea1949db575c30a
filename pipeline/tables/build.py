"""Per-document rows -> validated tables whose rows say what they depend on.

Every output row is tagged with the document (`_doc`) and the group (`_group`)
it depends on. A group is one school year's credentials that share a slug as
found on the page, before any collision renames them: merging and collision
renaming never look beyond one group, so a row of `credentials`, of a child
table or of `conflicts` depends on its group alone; a `course_credentials` row
on its document. A reject takes its row's tags. So `build` over some groups and
documents gives exactly the rows a build over everything gives for them, and
`assemble` puts the parts together: an incremental run rebuilds only what a
changed document touches.

A `label_values` row depends on its document alone, but for its slug, which a
collision may rename: it is validated where its document is parsed
(`validated_labels`), kept in the cache, and written from there, document
after document, with the slugs the collisions gave (`renamed_labels`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.site import FIELDS
from pipeline.tables import merge, validate
from pipeline.tables.merge import SlugCollision
from pipeline.tables.rows import CredentialRows
from schemas.tables import CHILD_TABLES, DERIVED, KEYS, SCHEMAS

DOC, GROUP = "_doc", "_group"
TAGS = (DOC, GROUP)
ROW = "_row"  # a label/value row's number among those validated together
TAG_DTYPE = pd.StringDtype("pyarrow")
TABLES = tuple(name for name in SCHEMAS if name not in DERIVED)  # built from documents (the others from these)
# Merged from typed rows and kept between runs by their tags; label_values is written from every document's own
# validated rows (`validated_labels`), renamed as the collisions say.
TYPED = tuple(name for name in TABLES if name != "label_values")
_SEPARATOR = "\x1f"


def group_of(school_year: str | None, slug: str | None) -> str | None:
    """The group a row with this school year and slug (as found, before any renaming) belongs to.

    A school year is `YYYY-YYYY` or None and a slug holds no control character, so the text is unambiguous.
    """
    return None if slug is None else f"{school_year or ''}{_SEPARATOR}{slug}"


def group_of_rows(credential: CredentialRows) -> str:
    return group_of(credential.credential["school_year"], credential.credential["credential_slug"])


def label_groups(labels: pa.Table) -> pa.ChunkedArray:
    """Each label/value row's group (its block's credential as found), as `group_of` writes it."""
    return pc.binary_join_element_wise(pc.fill_null(labels["school_year"], ""), labels["credential_slug"], _SEPARATOR)


def label_table(documents: Iterable[dict[str, list]]) -> pa.Table:
    """Documents' label/value columns (`rows.label_value_columns`) as one table of `label_values`' columns."""
    documents = [columns for columns in documents if columns]
    schema = validate.table_schema("label_values")
    return pa.table(
        {
            field.name: pa.array(list(chain.from_iterable(c[field.name] for c in documents)), field.type)
            for field in schema
        },
        schema=schema,
    )


def groups_of(credentials: list[CredentialRows]) -> set[str]:
    return {group_of_rows(credential) for credential in credentials}


def validated_labels(labels: pa.Table) -> tuple[pd.DataFrame, list[dict]]:
    """Label/value rows validated (their validity depends on their document alone, never on a collision's
    renaming): the valid rows, their index the row's number, and the rejects, each with its row's number (ROW)
    and tags."""
    tags = pa.table(
        {DOC: labels["source_path"], GROUP: label_groups(labels), ROW: pa.array(range(labels.num_rows), pa.int64())}
    )
    valid, rejects = validate.validate("label_values", validate.as_frame(labels), carry=validate.as_frame(tags))
    for reject in rejects:
        for tag in TAGS:
            reject[tag] = None if reject[tag] is pd.NA else reject[tag]
        reject[ROW] = int(reject[ROW])
    return valid, rejects


Renamed = dict[str, dict[str, str]]  # group -> {`path<US>block` of a block a collision renamed: its new slug}


@dataclass
class Built:
    tables: dict[str, pd.DataFrame]  # valid rows and rejects, tagged, in no particular order
    collisions: dict[str, list[str]]  # group -> its collision notes
    entangled: bool  # a renamed slug is another group's own slug: the two groups were merged as one
    renamed: Renamed  # the blocks whose slug a collision changed, by group
    written: dict[tuple, str] = field(default_factory=dict)  # (school_year, slug as written) -> its group


def build(
    credentials: list[CredentialRows],
    course_credentials: list[dict[str, Any]],
    labels: Callable[[], Iterable[pa.Table]],
) -> Built:
    """Merge and validate: every table's valid rows and its rejects, each tagged. `labels` gives the validated
    label/value rows of the same documents, read only when a reject wants its page's text."""
    separated, collisions = merge.separate_slugs(credentials)
    group: dict[tuple, str] = {}  # (school_year, slug as written) -> group
    renamed: Renamed = {}
    entangled = False
    for found, written in zip(credentials, separated, strict=True):
        key = (found.credential["school_year"], written.credential["credential_slug"])
        entangled |= group.setdefault(key, group_of_rows(found)) != group_of_rows(found)
        if found is not written:
            block = f"{found.source.path}{_SEPARATOR}{found.block}"
            renamed.setdefault(group_of_rows(found), {})[block] = written.credential["credential_slug"]
    merged = merge.merge(separated)
    tagged_rows = {
        "credentials": _by_group(merged.credentials, group),
        **{table: _by_group(merged.children[table], group) for table in CHILD_TABLES},
        "course_credentials": [{**row, DOC: row["source_path"], GROUP: None} for row in course_credentials],
        "conflicts": _by_group(merged.conflicts, group),
    }
    tables: dict[str, pd.DataFrame] = {}
    rejects: list[dict] = []
    for name, rows in tagged_rows.items():
        rows, number_rejects = validate.screen_numbers(name, rows, carry=TAGS)
        data = validate.frame(name, rows)
        tags = pd.DataFrame({tag: [row[tag] for row in rows] for tag in TAGS}, index=data.index, dtype=TAG_DTYPE)
        tables[name], table_rejects = _validated(name, data, tags)
        rejects.extend(number_rejects + table_rejects)
    for name in CHILD_TABLES:
        children = tables[name]
        kept, orphans = validate.drop_orphans(name, children, tables["credentials"], carry=children[list(TAGS)])
        tables[name] = kept
        rejects.extend(orphans)
    _add_page_texts(rejects, labels, renamed)
    tables["rejects"] = rejects_frame(rejects)
    return Built(tables, _notes(collisions), entangled, renamed, group)


def rejects_frame(rejects: list[dict]) -> pd.DataFrame:
    data = validate.frame("rejects", rejects)
    return data.assign(**{tag: pd.Series([r[tag] for r in rejects], dtype=TAG_DTYPE) for tag in TAGS})


# (table, column) -> the label whose value the column is read from; a child table's columns all come from one label.
_LABEL_OF = {
    ("credentials" if column not in CHILD_TABLES else column, None if column in CHILD_TABLES else column): entry.text
    for entry in FIELDS
    for column in entry.columns
}


_PAGE_TEXT_COLUMNS = ("source_path", "school_year", "credential_slug", "label", "value")


def _add_page_texts(rejects: list[dict], batches: Callable[[], Iterable[pa.Table]], renamed: Renamed) -> None:
    """Each reject of a value read from a label gets the page's own text for it (`1700/1000`, not 170.0).

    The label's value on the reject's own page, else on another copy of the credential in its school year:
    read from the valid label/value rows, with the slugs the collisions gave.
    """
    wanted = {}
    for reject in rejects:
        label = _LABEL_OF.get((reject["table"], reject["column"])) or _LABEL_OF.get((reject["table"], None))
        parts = (reject.get("key") or "").split("/")
        reject["page_text"] = None
        if label and len(parts) > 1 and reject["table"] in ("credentials", *CHILD_TABLES):
            wanted[id(reject)] = (reject, parts[0], parts[1], label)
    if not wanted:
        return
    chosen = pa.array(sorted({label for *_, label in wanted.values()}), pa.string())
    texts: dict[tuple, str] = {}
    for batch in batches():
        found = renamed_labels(batch.filter(pc.is_in(batch["label"], chosen)), renamed)
        for path, year, slug, label, value in zip(
            *(found[column].to_pylist() for column in _PAGE_TEXT_COLUMNS), strict=True
        ):
            if value is not None:
                texts.setdefault((path, slug, label), value)
                texts.setdefault((year, slug, label), value)
    for reject, year, slug, label in wanted.values():
        reject["page_text"] = texts.get((reject.get("source_path"), slug, label)) or texts.get((year, slug, label))


def _notes(collisions: list[SlugCollision]) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = {}
    for collision in collisions:
        notes.setdefault(group_of(collision.school_year, collision.slug), []).append(collision.note())
    return notes


def _by_group(rows: list[dict[str, Any]], group: dict[tuple, str]) -> list[dict[str, Any]]:
    return [{**row, DOC: None, GROUP: group[(row["school_year"], row["credential_slug"])]} for row in rows]


def _validated(name: str, data: pd.DataFrame, tags: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    valid, rejects = validate.validate(name, data, carry=tags)
    kept = tags if len(valid) == len(tags) else tags.loc[valid.index]  # no row dropped: no copy
    return valid.assign(**{tag: kept[tag] for tag in TAGS}), rejects


def renamed_labels(labels: pa.Table, renamed: Renamed) -> pa.Table:
    """Label/value rows, each following its credential's slug when a collision renamed it."""
    blocks = {block: slug for group in renamed.values() for block, slug in group.items()}
    if not blocks or not labels.num_rows:
        return labels
    keys = pc.binary_join_element_wise(labels["source_path"], pc.cast(labels["block"], pa.string()), _SEPARATOR)
    slugs = pc.take(pa.array(list(blocks.values()), pa.string()), pc.index_in(keys, value_set=pa.array(list(blocks))))
    position = labels.schema.get_field_index("credential_slug")
    return labels.set_column(position, "credential_slug", pc.coalesce(slugs, labels["credential_slug"]))


def assemble(kept: dict[str, pd.DataFrame], built: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame] | None:
    """The rows kept from the last run and the rows just built, sorted by key, tags still on.

    None when a built row's key is also a kept row's: then which one a whole
    build keeps depends on the rest, and the caller builds everything.
    """
    tables = {}
    for name in TYPED:
        parts = [data for data in (kept.get(name), built[name]) if data is not None and len(data)]
        data = pd.concat(parts, ignore_index=True) if len(parts) > 1 else (parts or [built[name]])[0]
        keys = _key_columns(name, data)
        order = _order(keys)
        if len(parts) > 1 and name != "rejects" and _repeats(keys.take(order)):
            return None
        tables[name] = _in_order(data, order)
    return tables


FEW_RUNS = 256  # runs of consecutive rows, below which a table is put in order by slices, not copied


def _in_order(data: pd.DataFrame, order: pa.Array) -> pd.DataFrame:
    """data.take(order); by slices when the order is a few runs of consecutive rows (the kept rows, in order
    already, with the built ones between them): slices of Arrow columns are not copied."""
    if len(order) < 2:
        return data.reset_index(drop=True)
    order = order.cast(pa.int64())  # sort_indices gives uint64: a step back would wrap around
    starts = [0, *pc.indices_nonzero(pc.not_equal(pc.pairwise_diff(order), 1)).to_pylist()]
    if len(starts) > FEW_RUNS:
        return data.take(order.to_numpy()).reset_index(drop=True)
    if len(starts) == 1:
        return data.reset_index(drop=True)  # one run: in order already (rows mostly come in path order)
    first, ends = order.to_numpy()[starts], [*starts[1:], len(order)]
    parts = [data.iloc[row : row + end - start] for row, start, end in zip(first, starts, ends, strict=True)]
    return pd.concat(parts, ignore_index=True)


def order_of(name: str, data: pa.Table) -> pa.Array:
    """The order `assemble` puts a table's rows in, of an Arrow table."""
    return _order(data.select([column for column in KEYS[name] if column in data.column_names]))


def _key_columns(name: str, data: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(data[[column for column in KEYS[name] if column in data]], preserve_index=False)


def _order(keys: pa.Table) -> pa.Array:
    """Rows by key, nulls first, ties in their order (an Arrow sort: pandas factorises every text key first)."""
    return pc.sort_indices(keys, sort_keys=[(key, "ascending", "at_start") for key in keys.column_names])


def _repeats(keys: pa.Table) -> bool:
    """Whether two neighbouring rows of sorted keys are equal (keys are never null in a valid table)."""
    if keys.num_rows < 2:
        return False
    same = None
    for column in keys.columns:
        equal = pc.equal(column.slice(1), column.slice(0, keys.num_rows - 1))
        same = equal if same is None else pc.and_(same, equal)
    return bool(pc.any(same).as_py())


def untagged(data: pd.DataFrame) -> pd.DataFrame:
    return data.drop(columns=[tag for tag in TAGS if tag in data])


def tags_table(data: pd.DataFrame) -> pa.Table:
    """A tagged table's tags, as text columns in its row order."""
    return pa.table({tag: pa.Array.from_pandas(data[tag], type=pa.string()) for tag in TAGS})
