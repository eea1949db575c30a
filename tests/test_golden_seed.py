"""The seed page (cred_id 1118, 2023-2024, glued rendering) gives exactly what its text states."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.extract import extract
from tests.conftest import SEED

URL = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id=1118"
SLUG = "certified-production-technician-cpt-maintenance-awareness"

EXPECTED_CREDENTIAL = {
    "school_year": "2023-2024",
    "cred_id": 1118,
    "credential_slug": SLUG,
    "credential_name": "Certified Production Technician (CPT) - Maintenance Awareness",
    "is_draft": False,
    "vendor_name": "MSSC",
    "vendor_url": "http://www.msscusa.org/certification/production-certification-cpt",
    "vendor_emails": None,
    "vendor_phones": None,
    "implementation_year": None,
    "auto_collect": False,
    "diploma_endorsement": True,
    "validation_artifact": "Copy of Certificate",
    "lead_consultant_name": "David Barbour",
    "lead_consultant_email": "david.barbour@dpi.nc.gov",
    "instructor_training": "required",
    "instructor_training_note": "Certification and teacher certification. Email Info@msscusa.org for instructions "
    "and to get started.",
    "instructor_training_cost_note": "Email Info@msscusa.org for instructions and to get started.",
    "voucher_expiration": "Lifetime on vouchers until assigned to a student, and then six months.",
    "lifespan_years": 5.0,
    "lifespan_lifetime": False,
    "lifespan_text": "5 years",
    "renewal_options": "N/A Recertification is required (retake test).",
    "articulation": False,
    "articulation_note": None,
    "sequencing": True,
    "sequencing_note": "The Manufacturing Skill Standards Council (MSSC) provides training and exams for stackable "
    "certifications and is an integral part of numerous certification pathways.",
    "employer_transferability": True,
    "employer_transferability_note": None,
    "delivery_format": "On-line and Paper/pencil",
    "delivery_online": True,
    "delivery_paper": True,
    "delivery_performance": False,
    "proctored": True,
    "test_site_requirements": "Schools must become approved MSSC Testing Centers. Email Info@msscusa.org for "
    "instructions and to get started.",
    "testing_environment_requirements": "Provided during proctor training.",
    "proctor_requirements": "Certified Proctor (not the certified instructor). Email Info@msscusa.org for "
    "instructions and to get started.",
    "exam_minutes": 90,
    "exam_time_text": "90 minutes",
    "passing_score_percent": 73.0,
    "passing_requirement_text": "73% or higher",
    "retakes_allowed": True,
    "retake_policy": "After a 15-day waiting period then three attempts.",
    "accommodations_available": True,
    "accommodations_url": "https://www.msscusa.org/wp-content/uploads/2021/02/"
    "CPT-Candidate-Handbook_v15-Online-12.2020-1.pdf",
    "multilingual": True,
    "languages": "English; Spanish",
    "directory_notes": "Select Certifications, then select the student to see certifications. Print this page for "
    "each student for verification of credentials. Print student's certificate from "
    '"Candidates" page: https://login.msscusa.org/login',
    "source_format": "text",
    "complete": True,
    "source_path": "2023-2024/text/credential_1118.txt",
    "source_url": URL,
}


@pytest.fixture(scope="module")
def seed_tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    root = tmp_path_factory.mktemp("seed")
    raw = root / "raw" / "2023-2024"
    (raw / "text").mkdir(parents=True)
    (raw / "text" / "credential_1118.txt").write_bytes(SEED.read_bytes())
    (raw / "manifest.csv").write_text(
        "path,url,fetched_at,status,content_type,sha256,etag,last_modified\n"
        f"text/credential_1118.txt,{URL},2026-11-20T12:00:00Z,200,text/plain,,,\n"
    )
    extract(root / "raw", root / "out")
    return {p.stem: pd.read_parquet(p) for p in (root / "out" / "parquet").glob("*.parquet")}


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _records(frame: pd.DataFrame, drop=("source_path",)) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items() if k not in drop} for row in frame.to_dict("records")]


@pytest.mark.parametrize("column", list(EXPECTED_CREDENTIAL))
def test_seed_credential_column(seed_tables, column):
    credentials = seed_tables["credentials"]
    assert len(credentials) == 1
    assert _plain(credentials.iloc[0][column]) == EXPECTED_CREDENTIAL[column]


def test_seed_sha256_is_the_file_hash(seed_tables):
    import hashlib

    assert seed_tables["credentials"].iloc[0]["source_sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()


def test_seed_soc_codes(seed_tables):
    assert _records(seed_tables["credential_soc_codes"]) == [
        {
            "school_year": "2023-2024",
            "credential_slug": SLUG,
            "soc_code": "17-3023",
            "soc_title": "Electrical and Electronic Engineering Technologists and Technicians",
        },
        {
            "school_year": "2023-2024",
            "credential_slug": SLUG,
            "soc_code": "17-3026",
            "soc_title": "Industrial Engineering Technologists and Technicians",
        },
        {
            "school_year": "2023-2024",
            "credential_slug": SLUG,
            "soc_code": "17-3027",
            "soc_title": "Mechanical Engineering Technologists and Technicians",
        },
        {
            "school_year": "2023-2024",
            "credential_slug": SLUG,
            "soc_code": "17-3029",
            "soc_title": "Engineering Technologists and Technicians, Except Drafters, All Other",
        },
    ]


def test_seed_costs(seed_tables):
    assert _records(seed_tables["instructor_training_costs"]) == [
        {
            "school_year": "2023-2024",
            "credential_slug": SLUG,
            "option": 1,
            "amount_usd": 1525.0,
            "condition": "with an online webinar",
        },
        {
            "school_year": "2023-2024",
            "credential_slug": SLUG,
            "option": 2,
            "amount_usd": 625.0,
            "condition": "with no webinar",
        },
    ]


def test_seed_course_with_pol_note(seed_tables):
    assert _records(seed_tables["credential_courses"]) == [
        {
            "school_year": "2023-2024",
            "credential_slug": SLUG,
            "course_code": "IM11",
            "course_title": "Advanced Manufacturing I",
            "lco": False,
            "credential_as_pol": True,
            "pol_note": "CPT Safety AND CPT Maintenance Awareness MUST PASS BOTH",
            "diploma_endorsement": None,
        },
    ]


def test_seed_lco_pathway(seed_tables):
    assert _records(seed_tables["credential_pathways"]) == [
        {
            "school_year": "2023-2024",
            "credential_slug": SLUG,
            "pathway_name": "Advanced Manufacturing",
            "pathway_code": "ADMA",
            "lco": True,
        },
    ]


def test_seed_label_values_keep_every_pair_in_order(seed_tables):
    pairs = seed_tables["label_values"]
    assert list(pairs["position"]) == list(range(1, 30))
    assert pairs["label"].iloc[0] == "Credential Name"
    assert pairs["label"].iloc[-1] == "Directory Notes"
    assert pairs["label"].isna().sum() == 0
    cost = pairs.loc[pairs["label"] == "Cost of Instructor Training", "value"].item()
    assert cost == (
        "$1,525.00\nwith an online webinar\n\n$625.00\nwith no webinar\n\n"
        "Email Info@msscusa.org for instructions and to get started."
    )


def test_seed_has_no_rejects_conflicts_or_drift(seed_tables):
    assert seed_tables["rejects"].empty
    assert seed_tables["conflicts"].empty
