"""Table facts (keys, child tables, how child rows match, identity and provenance columns) are read from the pandera
models in schemas/tables.py, where each is declared once; a fact that names no column stops the code at import."""

from __future__ import annotations

import pandera.pandas as pandera
import pytest

from schemas import tables
from schemas.tables import Str, facts, opt, req


def test_the_facts_read_from_the_models_are_the_tables_own():
    assert tables.KEYS["credentials"] == ("school_year", "credential_slug")
    assert tables.KEYS["course_credentials"] == ("school_year", "course_code", "credential_slug")
    assert tables.KEYS["changes"][:4] == ("between", "school_year", "until", "credential_slug")  # not column order
    assert tables.CHILD_TABLES == (
        "credential_courses",
        "credential_pathways",
        "credential_soc_codes",
        "instructor_training_costs",
    )
    assert tables.CHILD_MATCH == {
        "credential_courses": ("course_code",),
        "credential_pathways": ("pathway_code",),
        "credential_soc_codes": ("soc_code",),
        "instructor_training_costs": ("amount_usd", "condition"),
    }
    assert tables.DERIVED == ("coverage", "changes")
    assert tables.IDENTITY == {"school_year", "cred_id", "credential_slug", "credential_name"}
    assert tables.PROVENANCE == {
        "is_draft",
        "complete",
        "source_format",
        "source_path",
        "source_url",
        "source_sha256",
        "source_origin",
    }


class _Exams(tables._Child):
    class Config:
        metadata = facts(("school_year", "credential_slug", "exam_id"), match=("exam_title",))

    exam_code: Str = req("Exam code")
    title: Str = opt("Exam title")


class _Unkeyed(tables._Base):
    code: Str = req("A code")


class _Orphan(tables._Child):
    class Config:
        metadata = facts(("exam_code",))

    exam_code: Str = req("Exam code")


@pytest.mark.parametrize(
    ("model", "problem"),
    [
        (_Exams, "exams: key names 'exam_id', which is no column"),
        (_Exams, "exams: match names 'exam_title', which is no column"),
        (_Unkeyed, "exams: no facts (`class Config: metadata = facts(key=...)`)"),
        (_Orphan, "exams: its key does not start with school_year, credential_slug"),
    ],
)
def test_a_fact_that_names_no_column_or_a_child_without_the_join_is_found(model, problem):
    assert problem in tables.fact_problems({"exams": model})
    assert tables.fact_problems(tables.SCHEMAS) == []


def test_a_role_marks_a_column_and_nothing_else():
    field = opt("Where the source came from", tables.PROVENANCE_ROLE)
    assert isinstance(field, pandera.Field().__class__) and field.metadata == {"role": "provenance"}
    assert opt("A plain column").metadata is None


def test_every_column_keeps_the_description_its_model_declares():
    # required and optional columns alike: the data dictionary and the datapackage read them from the schema
    credentials = tables.Credentials.to_schema().columns
    assert credentials["credential_slug"].description == "Lowercase ASCII slug of the name; unique per school year"
    assert credentials["vendor_name"].description == "First line of Credential Vendor Info (`MSSC`)"
    assert (credentials["credential_slug"].nullable, credentials["vendor_name"].nullable) == (False, True)
