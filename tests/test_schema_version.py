"""schemas/version.py: the schema version is the shape of the tables, and only their shape.

Expected values: the sha256 of the JSON written by hand below, computed here with hashlib (not by the module).
"""

from __future__ import annotations

import hashlib

import pandera.pandas as pa
import pytest
from pandera.typing import Series

from schemas.tables import KEYS, SCHEMAS
from schemas.version import schema_version, version_of


class _Table(pa.DataFrameModel):  # numpy types: their names (`int64`, `float64`) are numpy's, stable
    a: Series[int] = pa.Field(nullable=False, description="A")
    b: Series[float] = pa.Field(nullable=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def test_the_version_is_the_sha256_of_each_tables_columns_types_required_ness_and_key_in_sorted_json():
    shape = '{"t": {"columns": [["a", "int64", true], ["b", "float64", false]], "key": ["a"]}}'
    assert version_of({"t": _Table}, {"t": ("a",)}) == _digest(shape)


def test_tables_are_written_in_sorted_order_whatever_the_order_given():
    shape = (
        '{"t": {"columns": [["a", "int64", true], ["b", "float64", false]], "key": ["a"]}, '
        '"u": {"columns": [["a", "int64", true], ["b", "float64", false]], "key": ["b", "a"]}}'
    )
    assert version_of({"u": _Table, "t": _Table}, {"t": ("a",), "u": ("b", "a")}) == _digest(shape)


class _Described(pa.DataFrameModel):  # the same shape, other descriptions and checks
    a: Series[int] = pa.Field(nullable=False, description="another", ge=3)
    b: Series[float] = pa.Field(nullable=True, le=0.5)


class _Required(pa.DataFrameModel):
    a: Series[int] = pa.Field(nullable=False)
    b: Series[float] = pa.Field(nullable=False)


class _Typed(pa.DataFrameModel):
    a: Series[int] = pa.Field(nullable=False)
    b: Series[int] = pa.Field(nullable=True)


@pytest.mark.parametrize(
    "model, key, same",
    [
        (_Described, ("a",), True),  # descriptions and checks are not the shape
        (_Required, ("a",), False),  # a column made required
        (_Typed, ("a",), False),  # a column's type
        (_Table, ("a", "b"), False),  # the key
    ],
)
def test_the_version_changes_with_the_shape_and_only_with_it(model, key, same):
    assert (version_of({"t": model}, {"t": key}) == version_of({"t": _Table}, {"t": ("a",)})) is same


def test_the_outputs_version_is_that_of_the_contracts_tables_and_twelve_hex_digits():
    assert schema_version() == version_of(SCHEMAS, KEYS)
    assert len(schema_version()) == 12 and int(schema_version(), 16) >= 0
