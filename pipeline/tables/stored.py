"""typed rows <-> the JSON text the cache keeps of them: one document's credentials (with their child rows and
source) and listing rows, read back as they were written."""

from __future__ import annotations

import json
from dataclasses import fields
from functools import cache
from typing import Any, NamedTuple

from pipeline.tables.rows import CredentialRows, Source


class Typed(NamedTuple):
    """A document's typed rows, as the cache keeps them between runs (`stored_text`, `from_stored`)."""

    credentials: list[CredentialRows]
    course_credentials: list[dict[str, Any]]


def stored_text(typed: Typed) -> str:
    """A document's typed rows as JSON text for the cache. Shallow, since it is serialised at once (asdict
    deep-copies every row)."""
    credentials = [{**_shallow(rows), "source": _shallow(rows.source)} for rows in typed.credentials]
    plain = {"credentials": credentials, "course_credentials": typed.course_credentials}
    return json.dumps(plain, separators=(",", ":"))


def from_stored(plain: dict[str, Any]) -> Typed:
    """A document's typed rows as the cache keeps them (`stored_text`, read back); raises on data of another shape."""
    credentials = [CredentialRows(**{**item, "source": Source(**item["source"])}) for item in plain["credentials"]]
    return Typed(credentials, list(plain["course_credentials"]))


def _shallow(instance: Any) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in _field_names(type(instance))}


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(kind))
