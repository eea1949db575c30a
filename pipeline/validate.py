"""typed rows -> validated tables, with rejects.

Each table is validated lazily against its pandera schema. A failing value is
set to null and listed in `rejects`; a failing key (or required value, or a
duplicate key) leaves its row out, also listed. Nothing disappears silently.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa

from schemas.tables import KEYS, SCHEMAS

_MAX_PASSES = 5


_ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64(), "boolean": pa.bool_()}
_PANDAS_TYPES = {pa.string(): pd.StringDtype("pyarrow"), pa.int64(): pd.Int64Dtype(),
                 pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype()}


def frame(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame with the schema's columns, order and nullable dtypes."""
    schema = SCHEMAS[table].to_schema()
    arrow_schema = pa.schema([(name, _ARROW_TYPES[str(column.dtype).split("[")[0]])
                              for name, column in schema.columns.items()])
    try:
        data = pa.Table.from_pylist(rows, schema=arrow_schema)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        data = pa.Table.from_pylist([_as_schema_types(row, arrow_schema) for row in rows], schema=arrow_schema)
    return data.to_pandas(types_mapper=_PANDAS_TYPES.get)


def _as_schema_types(row: dict[str, Any], arrow_schema: pa.Schema) -> dict[str, Any]:
    """The slow path, for a value of another type in a text column (it is written as text)."""
    fixed = dict(row)
    for field in arrow_schema:
        value = fixed.get(field.name)
        if field.type == pa.string() and value is not None and not isinstance(value, str):
            fixed[field.name] = str(value)
    return fixed


def validate(table: str, data: pd.DataFrame, source_paths: pd.Series | None = None) -> tuple[pd.DataFrame, list[dict]]:
    """(valid rows, rejects). `source_paths` aligns with `data` to name each row's file."""
    model = SCHEMAS[table]
    schema = model.to_schema()
    if source_paths is None:
        source_paths = data["source_path"] if "source_path" in data else pd.Series([None] * len(data), index=data.index)
    rejects: list[dict] = []
    data = _drop_duplicate_keys(table, data, source_paths, rejects)
    for _ in range(_MAX_PASSES):
        try:
            schema.validate(data, lazy=True)
            break
        except pandera.errors.SchemaErrors as errors:
            data = _apply_failures(table, data, errors.failure_cases, source_paths, rejects)
    else:
        raise RuntimeError(f"{table}: validation did not settle after {_MAX_PASSES} passes")
    return data.reset_index(drop=True), rejects


def _drop_duplicate_keys(table, data, source_paths, rejects):
    key_columns = list(KEYS[table])
    duplicated = data.duplicated(subset=key_columns, keep="first")
    for index in data.index[duplicated]:
        rejects.append(_reject(table, data, index, "/".join(key_columns), "duplicate_key",
                               _key_of(data, table, index), source_paths))
    return data[~duplicated]


def _apply_failures(table, data, failures: pd.DataFrame, source_paths, rejects) -> pd.DataFrame:
    schema = SCHEMAS[table].to_schema()
    drop: set = set()
    for failure in failures.itertuples(index=False):
        index, column = failure.index, failure.column
        if index is None or pd.isna(index) or index not in data.index:
            raise RuntimeError(f"{table}: table-level check failed: {failure.check} on {column}")
        required = column in KEYS[table] or not schema.columns[column].nullable
        rejects.append(_reject(table, data, index, column, str(failure.check), failure.failure_case, source_paths))
        if required:
            drop.add(index)
        else:
            data.loc[index, column] = pd.NA
    return data.drop(index=list(drop))


def _reject(table, data, index, column, check, failure_case, source_paths) -> dict:
    return {
        "table": table,
        "key": _key_of(data, table, index),
        "column": column,
        "check": check,
        "failure_case": None if failure_case is None or pd.isna(failure_case) else str(failure_case),
        "source_path": source_paths.get(index),
    }


def _key_of(data: pd.DataFrame, table: str, index) -> str:
    parts = [data.at[index, column] for column in KEYS[table] if column in data]
    return "/".join("" if pd.isna(part) else str(part) for part in parts)


def drop_orphans(table: str, children: pd.DataFrame, credentials: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Leave out child rows whose credential row is not there (it failed its own key); list each."""
    known = set(zip(credentials["school_year"], credentials["credential_slug"]))
    orphan = pd.Series([(y, s) not in known for y, s in zip(children["school_year"], children["credential_slug"])],
                       index=children.index, dtype=bool)
    rejects = [_reject(table, children, index, "credential_slug", "credential_row_exists",
                       children.at[index, "credential_slug"], children["source_path"])
               for index in children.index[orphan]]
    return children[~orphan].reset_index(drop=True), rejects
