"""A Frictionless Data Package describing extract's outputs, generated from the pandera schemas.

Every table is two resources, its CSV (`credentials`) and its Parquet file
(`credentials-parquet`), with the same Table Schema: field types, required
fields, descriptions, pattern / enum / range constraints where they map, the
primary key, and foreign keys from the child tables to `credentials`.
"""

from __future__ import annotations

from typing import Any

from schemas.tables import CHILD_TABLES, JOIN, KEYS, SCHEMAS

PROFILE = "tabular-data-package"
_TYPES = {"string": "string", "Int64": "integer", "Float64": "number", "boolean": "boolean"}
# Tables whose key has optional columns (a reject's key or value may be empty): no primary key declared.
_NO_PRIMARY_KEY = frozenset({"rejects", "changes"})
SOURCES = [
    {
        "title": "NC CTE Credential Information directory (NC Office of Career and Technical Education)",
        "path": "https://center.ncsu.edu/nccte-cms/credential_info.php",
    }
]
# The directory states no license; its pages are public records of the State of North Carolina.
LICENSES = [
    {
        "name": "other-open",
        "title": "Public records of the State of North Carolina (N.C.G.S. Chapter 132); the directory states no "
        "license",
        "path": "https://www.ncleg.gov/EnactedLegislation/Statutes/HTML/ByChapter/Chapter_132.html",
    }
]


def descriptor(version: str, created: str | None = None) -> dict[str, Any]:
    """The data package; `created` is when its data is from (summary.json's `extracted_at`), left out when
    unknown."""
    resources = []
    for table in SCHEMAS:
        schema = table_schema(table)
        description = (SCHEMAS[table].__doc__ or "").strip() or None
        for suffix, path, media in (
            ("", f"csv/{table}.csv", "text/csv"),
            ("-parquet", f"parquet/{table}.parquet", "application/vnd.apache.parquet"),
        ):
            resource = {
                "name": f"{table}{suffix}",
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv" if media == "text/csv" else "parquet",
                "mediatype": media,
                "schema": schema,
            }
            if media == "text/csv":
                resource["encoding"] = "utf-8"
            if description:
                resource["description"] = description
            resources.append(resource)
    package = {
        "name": "nccte-credentials",
        "title": "NC CTE Credential Information directory",
        "profile": PROFILE,
        "version": version,
        **({"created": created} if created else {}),
        "sources": SOURCES,
        "licenses": LICENSES,
        "resources": resources,
    }
    return package


def table_schema(table: str) -> dict[str, Any]:
    schema = SCHEMAS[table].to_schema()
    fields = [_field(name, column) for name, column in schema.columns.items()]
    result: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table not in _NO_PRIMARY_KEY:
        result["primaryKey"] = list(KEYS[table])
    if table in CHILD_TABLES:
        result["foreignKeys"] = [{"fields": list(JOIN), "reference": {"resource": "credentials", "fields": list(JOIN)}}]
    return result


def _field(name: str, column) -> dict[str, Any]:
    kind = _TYPES[str(column.dtype).split("[")[0]]
    field: dict[str, Any] = {"name": name, "type": kind, "description": column.description or ""}
    if kind == "boolean":
        field.update(trueValues=["true"], falseValues=["false"])
    constraints: dict[str, Any] = {}
    if not column.nullable:
        constraints["required"] = True
    for check in column.checks:
        statistics = check.statistics or {}
        if check.name == "str_matches":
            constraints["pattern"] = statistics["pattern"].removeprefix("^").removesuffix("$")
        elif check.name == "isin":
            constraints["enum"] = list(statistics["allowed_values"])
        elif check.name == "greater_than_or_equal_to":
            constraints["minimum"] = statistics["min_value"]
        elif check.name == "less_than_or_equal_to":
            constraints["maximum"] = statistics["max_value"]
        elif check.name == "str_length" and statistics.get("min_value"):
            constraints["minLength"] = statistics["min_value"]
    if constraints:
        field["constraints"] = constraints
    return field
