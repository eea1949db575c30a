"""The outputs' schema version, derived from the table schemas so that it cannot be forgotten.

It changes when a table, a column, a column's type or required-ness, or a
key changes, and only then (descriptions and checks are not the shape of the
data). Extract writes it into every Parquet file's metadata (`nccte:schema`);
`diff` and `check` name both versions when two outputs differ in it.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from schemas.tables import KEYS, SCHEMAS

METADATA_KEY = b"nccte:schema"  # the Parquet metadata that holds it


@cache
def schema_version() -> str:
    """Twelve hex digits of the sha256 of every table's columns (name, type, required) and key."""
    shape = {
        name: {
            "columns": [
                [column, str(spec.dtype), not spec.nullable] for column, spec in model.to_schema().columns.items()
            ],
            "key": list(KEYS[name]),
        }
        for name, model in SCHEMAS.items()
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:12]
