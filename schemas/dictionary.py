"""The README's data dictionary, generated from the pandera schemas.

python -m schemas.dictionary          # print it
"""

from __future__ import annotations

from schemas.tables import KEYS, SCHEMAS

_TYPES = {"string": "str", "Int64": "Int64", "Float64": "Float64", "boolean": "boolean"}


def markdown() -> str:
    parts = []
    for table, model in SCHEMAS.items():
        schema = model.to_schema()
        parts.append(f"### {table}\n\nKey: {', '.join(KEYS[table])}.\n")
        parts.append("| column | type | required | checks | description |\n| --- | --- | --- | --- | --- |")
        for name, column in schema.columns.items():
            checks = ", ".join(_check_text(check) for check in column.checks)
            required = "yes" if not column.nullable else ""
            parts.append(f"| {name} | {_type(column.dtype)} | {required} | {checks} | {column.description or ''} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _type(dtype) -> str:
    text = str(dtype)
    return _TYPES.get(text.split("[")[0], text)


def _check_text(check) -> str:
    return f"`{check.error or check.name}`".replace("|", "\\|")


if __name__ == "__main__":
    print(markdown(), end="")
