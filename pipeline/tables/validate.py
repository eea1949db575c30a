"""typed rows -> validated tables, with rejects.

Each table is validated lazily against its pandera schema. A failing value is
set to null and listed in `rejects`; a failing key (or required value, or a
duplicate key) leaves its row out, also listed. Nothing disappears silently.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa

from schemas.tables import KEYS, SCHEMAS

_MAX_PASSES = 5


_ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64(), "boolean": pa.bool_()}
_PANDAS_TYPES = {
    pa.string(): pd.StringDtype("pyarrow"),
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


_INT64_RANGE = (-(2**63), 2**63 - 1)
_SHOWN_DIGITS = 40


def screen_numbers(
    table: str, rows: list[dict[str, Any]], carry: tuple[str, ...] = ()
) -> tuple[list[dict[str, Any]], list[dict]]:
    """Reject, before the cast, numbers no column can hold: beyond Int64, infinite or NaN.

    Normalizers pass such numbers on exactly as found (a 24-digit id,
    `99999999999999999999999 minutes`), so validation rejects them visibly;
    the range checks of the schema then judge the numbers that fit. Each
    reject carries the row's `carry` entries.
    """
    schema = SCHEMAS[table].to_schema()
    numeric = {name: _DTYPE_OF.get(str(column.dtype).split("[")[0]) for name, column in schema.columns.items()}
    numeric = {name: kind for name, kind in numeric.items() if kind in _FITS}
    kept: list[dict[str, Any]] = []
    rejects: list[dict] = []
    for row in rows:
        bad = [column for column, kind in numeric.items() if not _FITS[kind](row.get(column))]
        if not bad:
            kept.append(row)
            continue
        row = dict(row)
        for column in bad:
            rejects.append(
                {
                    "table": table,
                    "key": "/".join(str(row.get(c) or "") for c in KEYS[table]),
                    "column": column,
                    "check": _FITS_CHECK[numeric[column]],
                    "failure_case": _shown_number(row[column]),
                    "source_path": row.get("source_path"),
                    **{name: row.get(name) for name in carry},
                }
            )
            row[column] = None
        if not any(column in KEYS[table] or not schema.columns[column].nullable for column in bad):
            kept.append(row)
    return kept, rejects


def _fits_int64(value: Any) -> bool:
    return value is None or (isinstance(value, int) and _INT64_RANGE[0] <= value <= _INT64_RANGE[1])


def _fits_float64(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isfinite(float(value))
    except (OverflowError, TypeError, ValueError):
        return False


_DTYPE_OF = {"Int64": "int", "Float64": "float"}
_FITS = {"int": _fits_int64, "float": _fits_float64}
_FITS_CHECK = {"int": "fits_int64", "float": "finite_number"}


def _shown_number(value: Any) -> str:
    text = str(value)
    if len(text) <= _SHOWN_DIGITS:
        return text
    return f"{text[:_SHOWN_DIGITS]}... ({len(text)} characters)"


@cache
def table_schema(table: str) -> pa.Schema:
    """The table's columns, in order, as Arrow types."""
    schema = SCHEMAS[table].to_schema()
    return pa.schema([(name, _ARROW_TYPES[str(column.dtype).split("[")[0]]) for name, column in schema.columns.items()])


def frame(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame with the schema's columns, order and nullable dtypes."""
    arrow_schema = table_schema(table)
    try:
        data = pa.Table.from_pylist(rows, schema=arrow_schema)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        data = pa.Table.from_pylist([_as_schema_types(row, arrow_schema) for row in rows], schema=arrow_schema)
    return as_frame(data)


def as_table(table: str, data: pd.DataFrame) -> pa.Table:
    """A frame of the table's columns back as Arrow, with the schema's types (its index dropped)."""
    return pa.Table.from_pandas(data, schema=table_schema(table), preserve_index=False)


def as_frame(data: pa.Table) -> pd.DataFrame:
    """A table read back from Parquet, with the nullable dtypes `frame` gives."""
    return data.to_pandas(types_mapper=_PANDAS_TYPES.get)


def _as_schema_types(row: dict[str, Any], arrow_schema: pa.Schema) -> dict[str, Any]:
    """The slow path, for a value of another type in a text column (it is written as text)."""
    fixed = dict(row)
    for field in arrow_schema:
        value = fixed.get(field.name)
        if field.type == pa.string() and value is not None and not isinstance(value, str):
            fixed[field.name] = str(value)
    return fixed


def validate(
    table: str, data: pd.DataFrame, source_paths: pd.Series | None = None, carry: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, list[dict]]:
    """(valid rows, rejects). `source_paths` aligns with `data` to name each row's file.

    The valid rows keep their index; each reject takes its row's columns of `carry` (aligned with `data`).
    """
    if data.empty:
        return data, []  # no row to fail (frame gave every column its dtype)
    model = SCHEMAS[table]
    schema = model.to_schema()
    if source_paths is None:
        source_paths = data["source_path"] if "source_path" in data else pd.Series([None] * len(data), index=data.index)
    data, rejects = _drop_duplicate_keys(table, data, source_paths, carry)
    for _ in range(_MAX_PASSES):
        try:
            schema.validate(data, lazy=True)
            break
        except pandera.errors.SchemaErrors as errors:
            data, failed = _apply_failures(table, data, errors.failure_cases, source_paths, carry)
            rejects += failed
    else:
        raise RuntimeError(f"{table}: validation did not settle after {_MAX_PASSES} passes")
    return data, rejects


def _drop_duplicate_keys(
    table: str, data: pd.DataFrame, source_paths: pd.Series, carry: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[dict]]:
    """The rows without a repeated key (the first is kept), and a reject for each one left out."""
    key_columns = list(KEYS[table])
    duplicated = data.duplicated(subset=key_columns, keep="first")
    rejects = [
        _reject(
            table, data, index, "/".join(key_columns), "duplicate_key", _key_of(data, table, index), source_paths, carry
        )
        for index in data.index[duplicated]
    ]
    return (data[~duplicated] if duplicated.any() else data), rejects


def _apply_failures(
    table: str, data: pd.DataFrame, failures: pd.DataFrame, source_paths: pd.Series, carry: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[dict]]:
    """Null each failing value, drop each row whose key or required value failed; a reject for each."""
    schema = SCHEMAS[table].to_schema()
    drop: set = set()
    rejects = []
    for failure in failures.itertuples(index=False):
        index, column = failure.index, failure.column
        if index is None or pd.isna(index) or index not in data.index:
            raise RuntimeError(f"{table}: table-level check failed: {failure.check} on {column}")
        required = column in KEYS[table] or not schema.columns[column].nullable
        rejects.append(
            _reject(table, data, index, column, str(failure.check), failure.failure_case, source_paths, carry)
        )
        if required:
            drop.add(index)
        else:
            data.loc[index, column] = pd.NA
    return data.drop(index=list(drop)), rejects


def _reject(table, data, index, column, check, failure_case, source_paths, carry=None) -> dict:
    return {
        **({} if carry is None else carry.loc[index].to_dict()),
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


def drop_orphans(
    table: str, children: pd.DataFrame, credentials: pd.DataFrame, carry: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, list[dict]]:
    """Leave out child rows whose credential row is not there (it failed its own key); list each.

    The rows left keep their index; each reject takes its row's columns of `carry`.
    """
    orphan = ~_keys(children).isin(_keys(credentials))
    rejects = [
        _reject(
            table,
            children,
            index,
            "credential_slug",
            "credential_row_exists",
            children.at[index, "credential_slug"],
            children["source_path"],
            carry,
        )
        for index in children.index[orphan]
    ]
    return children[~orphan], rejects


def _keys(data: pd.DataFrame) -> pd.Index:
    """Each row's (school_year, credential_slug), as an index to match rows of two tables on."""
    return pd.MultiIndex.from_arrays([data["school_year"], data["credential_slug"]])


_PAIR = ("school_year", "course_code", "credential_slug")  # a course/credential pair of one school year


def _lists(data: pd.DataFrame, columns: tuple[str, ...]) -> list[list]:
    """Columns as Python lists: one conversion each, not a Python call per value."""
    return [data[column].tolist() for column in columns]


def cross_check_courses(listing: pd.DataFrame, courses: pd.DataFrame) -> list[str]:
    """Course/credential pairs the Credentials by Course listing and the credential pages disagree on."""
    years = set(listing["school_year"])
    listed = set(zip(*_lists(listing, _PAIR), strict=True))
    on_pages = {key for key in zip(*_lists(courses, _PAIR), strict=True) if key[0] in years}
    return [
        f"{y} {code} / {slug}: in Credentials by Course, not on the credential's page"
        for y, code, slug in sorted(listed - on_pages)
    ] + [
        f"{y} {code} / {slug}: on the credential's page, not in Credentials by Course"
        for y, code, slug in sorted(on_pages - listed)
    ]
