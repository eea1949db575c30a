"""validated tables -> files: CSV and Parquet, replaced atomically."""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv, parquet

from pipeline import __version__
from pipeline.files import replace_folder
from pipeline.memory import give_back
from pipeline.tables.validate import as_frame, table_schema
from schemas import datapackage
from schemas.tables import SCHEMAS
from schemas.version import METADATA_KEY, schema_version


def write_tables(
    tables: dict[str, pd.DataFrame],
    out: Path,
    summary: dict | None = None,
    streams: dict[str, Iterable[pa.Table]] | None = None,
    release: bool = False,
) -> None:
    """Write `<out>/csv/<table>.csv` and `<out>/parquet/<table>.parquet`.

    CSV: UTF-8, a header row, strings quoted, null as an empty field (an empty
    string is `""`), booleans `true`/`false`. A table of `streams` comes as
    Arrow tables, in order, and is written as they come: it is never held
    whole (`_write_stream`).

    With `release`, each table leaves `tables` once written, before the streams are (the run holds less).

    Everything is written into a sibling staging folder first, then swapped in
    (`files.replace_folder`); if anything fails, the previous `<out>` is left as it was.
    """
    streams = streams or {}
    names = list(tables)

    def fill(staging: Path) -> None:
        (staging / "csv").mkdir()
        (staging / "parquet").mkdir()
        # Arrow writes without the GIL: the CSV and Parquet files of a table are written side by side, a table at
        # a time (its Arrow copies are held only while it is written).
        with ThreadPoolExecutor(max_workers=2) as writers:
            for name in list(tables):
                data = tables.pop(name) if release else tables[name]
                written = []
                # One chunk a column, however the rows were put together (an incremental run slices kept rows
                # and new ones): where a chunk ends changes the Parquet bytes (see _write_stream).
                table = pa.Table.from_pandas(data, preserve_index=False).combine_chunks()
                options = csv.WriteOptions(quoting_style="needed")
                written.append(
                    writers.submit(
                        csv.write_csv, inert_in_spreadsheets(table), staging / "csv" / f"{name}.csv", options
                    )
                )
                written.append(
                    writers.submit(
                        parquet.write_table, _described(name, table), staging / "parquet" / f"{name}.parquet"
                    )
                )
                for future in written:
                    future.result()
                del data, table
                if release:
                    give_back()  # what the table held, and what writing it took, before the next one
        for name, batches in streams.items():
            _write_stream(name, batches, staging)
        if summary is not None:
            (staging / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
        if {*names, *streams} == set(SCHEMAS):
            package = datapackage.descriptor(__version__, (summary or {}).get("extracted_at"))
            (staging / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n")

    replace_folder(out, fill)


def _write_stream(name: str, batches: Iterable[pa.Table], staging: Path) -> None:
    """One table written as its batches come: CSV rows appended, Parquet row groups of _ROW_GROUP rows.

    The bytes are those `write_table(..., row_group_size=_ROW_GROUP)` writes for the same rows in the same
    chunks: the schema a frame gives, each batch a chunk (the writer checks its dictionary's size where a
    chunk ends, so where the batches end is part of the bytes). One row group's rows are held at most.
    """
    empty = _described(name, pa.Table.from_pandas(as_frame(table_schema(name).empty_table()), preserve_index=False))
    options = csv.WriteOptions(quoting_style="needed")
    with (
        csv.CSVWriter(staging / "csv" / f"{name}.csv", empty.schema, write_options=options) as rows,
        parquet.ParquetWriter(staging / "parquet" / f"{name}.parquet", empty.schema) as groups,
    ):
        held, written = empty, False
        for batch in batches:
            batch = batch.cast(empty.schema)
            rows.write_table(inert_in_spreadsheets(batch))
            held = pa.concat_tables([held, batch])
            while held.num_rows >= _ROW_GROUP:
                groups.write_table(held.slice(0, _ROW_GROUP))
                held, written = held.slice(_ROW_GROUP), True
        if held.num_rows or not written:  # a table with no rows is one empty row group, as write_table writes it
            groups.write_table(held)


# Rows of a streamed table's row group: what the writer holds at a time (about 30 MB of label/value rows). Below
# it a table is one row group, as `write_table` writes it; the Parquet writer's default (1,048,576 rows) held
# 170 MB of label/value rows at 27,000 pages.
_ROW_GROUP = 128 * 1024


# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(...)`, `+cmd|...`, `@SUM`);
# OWASP's advice is a leading `'`. A plain number (`-5`, `+1.5`) is read as a number, and stays as it is. A value
# that already starts with `'` gets one too: one `'` off any value that starts with it gives the value back.
_FORMULA_START = r"^[=+\-@\t\r']"
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def inert_in_spreadsheets(table: pa.Table) -> pa.Table:
    """The table with a `'` before every text value a spreadsheet would read as a formula (CSV only)."""
    return pa.Table.from_arrays([_inert(column) for column in table.columns], schema=table.schema)


def _inert(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    start = pc.match_substring_regex(column, _FORMULA_START)
    if not pc.any(start).as_py():
        return column  # most columns: no value starts like a formula, and the number pattern need not run
    formula = pc.and_(start, pc.invert(pc.match_substring_regex(column, _NUMBER)))
    quote, nothing = pa.scalar("'", column.type), pa.scalar("", column.type)
    return pc.if_else(formula, pc.binary_join_element_wise(quote, column, nothing), column)


def _described(name: str, table: pa.Table) -> pa.Table:
    """The table with its schema's descriptions on each field, required fields non-nullable, and the version.

    Only tables declared in `schemas` are described; any other is written as it is.
    """
    if name not in SCHEMAS:
        return table
    columns = SCHEMAS[name].to_schema().columns
    fields = [
        pa.field(
            field.name,
            field.type,
            nullable=columns[field.name].nullable,
            metadata={"description": columns[field.name].description or ""},
        )
        if field.name in columns
        else field
        for field in table.schema
    ]
    metadata = {
        b"nccte:version": __version__.encode(),
        METADATA_KEY: schema_version().encode(),
        b"nccte:table": name.encode(),
        b"nccte:description": (SCHEMAS[name].__doc__ or "").strip().encode(),
    }
    return table.cast(pa.schema(fields, metadata={**(table.schema.metadata or {}), **metadata}))
