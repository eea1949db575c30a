"""validated tables -> files: CSV and Parquet, replaced atomically."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv, parquet

from pipeline import __version__
from pipeline.files import replace_folder
from schemas import datapackage
from schemas.tables import SCHEMAS
from schemas.version import METADATA_KEY, schema_version


def write_tables(tables: dict[str, pd.DataFrame], out: Path, summary: dict | None = None) -> None:
    """Write `<out>/csv/<table>.csv` and `<out>/parquet/<table>.parquet`.

    CSV: UTF-8, a header row, strings quoted, null as an empty field (an empty
    string is `""`), booleans `true`/`false`.

    Everything is written into a sibling staging folder first, then swapped in
    (`files.replace_folder`); if anything fails, the previous `<out>` is left as it was.
    """

    def fill(staging: Path) -> None:
        (staging / "csv").mkdir()
        (staging / "parquet").mkdir()
        # Arrow writes without the GIL: the CSV and Parquet files of a table are written side by side.
        with ThreadPoolExecutor(max_workers=2) as writers:
            written = []
            for name, data in tables.items():
                table = pa.Table.from_pandas(data, preserve_index=False)
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
        if summary is not None:
            (staging / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
        if set(tables) == set(SCHEMAS):
            package = datapackage.descriptor(__version__, (summary or {}).get("extracted_at"))
            (staging / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n")

    replace_folder(out, fill)


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
    formula = pc.and_(
        pc.match_substring_regex(column, _FORMULA_START), pc.invert(pc.match_substring_regex(column, _NUMBER))
    )
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
