"""The outputs' schema version, derived from the table schemas so that it cannot be forgotten.

It changes when a table, a column, a column's type or required-ness, or a
key changes, and only then (descriptions and checks are not the shape of the
data). Extract writes it into every Parquet file's metadata (`nccte:schema`);
`diff` and `check` name both versions when two outputs differ in it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from schemas.tables import KEYS, SCHEMAS

METADATA_KEY = b"nccte:schema"  # the Parquet metadata that holds it


@cache
def schema_version() -> str:
    """The outputs' schema version (computed once: the models do not change while the program runs)."""
    return version_of(SCHEMAS, KEYS)


def version_of(schemas: Mapping[str, Any], keys: Mapping[str, tuple[str, ...]]) -> str:
    """Twelve hex digits of the sha256 of every table's columns (name, type, required) and key."""
    shape = {
        name: {
            "columns": [
                [column, str(spec.dtype), not spec.nullable] for column, spec in model.to_schema().columns.items()
            ],
            "key": list(keys[name]),
        }
        for name, model in schemas.items()
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:12]
