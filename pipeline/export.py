"""validated tables -> files: CSV and Parquet, replaced atomically."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow import csv, parquet


def write_tables(tables: dict[str, pd.DataFrame], out: Path, summary: dict | None = None) -> None:
    """Write `<out>/csv/<table>.csv` and `<out>/parquet/<table>.parquet`.

    CSV: UTF-8, a header row, strings quoted, null as an empty field (an empty
    string is `""`), booleans `true`/`false`.

    Everything is written into a sibling temporary folder first, then swapped
    in; if anything fails, the previous `<out>` is left as it was.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".tmp-{out.name}-", dir=out.parent))
    try:
        (staging / "csv").mkdir()
        (staging / "parquet").mkdir()
        for name, data in tables.items():
            table = pa.Table.from_pandas(data, preserve_index=False)
            csv.write_csv(table, staging / "csv" / f"{name}.csv", csv.WriteOptions(quoting_style="needed"))
            parquet.write_table(table, staging / "parquet" / f"{name}.parquet")
        if summary is not None:
            (staging / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_in(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    retired = out.with_name(f".old-{out.name}-{os.getpid()}")
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(retired, out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old bytes or the new ones, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
