"""pipeline/tables/stored.py: a document's typed rows as the JSON text the cache keeps, and read back.

The JSON below is written by hand from the rows given (field by field, in the dataclasses' order), never
produced by pipeline code; reading it back must give those same rows.
"""

from __future__ import annotations

import json

import pytest

from pipeline.tables.rows import CredentialRows, Source
from pipeline.tables.stored import Typed, from_stored, stored_text

SOURCE = Source("2024-2025/html/credential_5.html", "https://x.example/c?cred_id=5", "ab" * 32, "html", "2024-2025",
                False, 5, "live")  # fmt: skip
WELDING = CredentialRows(
    {"credential_slug": "welding-basics", "credential_name": "Welding Basics", "lifespan_years": 3.0},
    {"credential_courses": [{"course_code": "IC61"}]},
    SOURCE,
    "Welding Basics (NEW)",
    2,
)
LISTED = {"course_code": "CD11", "credential_slug": "adobe-certified-professional", "federal_reporting": None}

TEXT = (
    '{"credentials":[{"credential":{"credential_slug":"welding-basics","credential_name":"Welding Basics",'
    '"lifespan_years":3.0},"children":{"credential_courses":[{"course_code":"IC61"}]},'
    '"source":{"path":"2024-2025/html/credential_5.html","url":"https://x.example/c?cred_id=5",'
    f'"sha256":"{"ab" * 32}","format":"html","school_year":"2024-2025","is_draft":false,"cred_id":5,'
    '"origin":"live"},"title_mismatch":"Welding Basics (NEW)","block":2}],'
    '"course_credentials":[{"course_code":"CD11","credential_slug":"adobe-certified-professional",'
    '"federal_reporting":null}]}'
)


def test_typed_rows_are_kept_as_compact_json_every_field_in_its_order():
    assert stored_text(Typed([WELDING], [LISTED])) == TEXT


def test_the_kept_json_reads_back_as_the_rows_it_was_written_from():
    back = from_stored(json.loads(TEXT))
    assert back == Typed([WELDING], [LISTED])
    assert isinstance(back.credentials[0].source, Source)


def test_a_document_without_rows_is_kept_as_two_empty_lists_and_reads_back_so():
    assert stored_text(Typed([], [])) == '{"credentials":[],"course_credentials":[]}'
    assert from_stored({"credentials": [], "course_credentials": []}) == ([], [])


@pytest.mark.parametrize(
    "plain",
    [
        {"credentials": []},  # no listing rows key
        {"course_credentials": []},  # no credentials key
        {"credentials": [{"credential": {}, "source": {"path": "p"}}], "course_credentials": []},  # a source cut
        {"credentials": [{"credential": {}, "colour": 1, "source": json.loads(TEXT)["credentials"][0]["source"]}],
         "course_credentials": []},  # a field no row has
    ],
)  # fmt: skip
def test_kept_data_of_another_shape_raises(plain):
    with pytest.raises((KeyError, TypeError)):
        from_stored(plain)
