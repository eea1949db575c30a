"""validated tables -> files: CSV and Parquet, replaced atomically."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow import csv, parquet

from .files import replace_folder


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
        for name, data in tables.items():
            table = pa.Table.from_pandas(data, preserve_index=False)
            csv.write_csv(table, staging / "csv" / f"{name}.csv", csv.WriteOptions(quoting_style="needed"))
            parquet.write_table(table, staging / "parquet" / f"{name}.parquet")
        if summary is not None:
            (staging / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")

    replace_folder(out, fill)
