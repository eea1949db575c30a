"""Every real sample end to end: raw file -> `python -m pipeline extract` -> typed columns and child rows.

The expected values are written by hand from the page text (tests/fixtures/real,
copied verbatim from ../shared/samples), not from any pipeline function: this
is where correctness is proved. Cross-rendering, PDF-vs-HTML and warm-vs-cold
tests elsewhere prove agreement only. The seed's columns are in
test_golden_seed.py.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REAL, REPO

# sample file -> (school year folder, file name in raw/, manifest URL), as the samples' own manifest gives them
SAMPLES = {
    "2025-2026_course_889_credential_1338_acadyear.txt": "2025-2026/text/course_889_credential_1338.txt",
    "2025-2026_credential_2313_table.txt": "2025-2026/text/credential_2313.txt",
    "2025-2026_credential_2316_table.txt": "2025-2026/text/credential_2316_draft.txt",
    "2023-2024_course_62_bp.txt": "2023-2024/text/course_62.txt",
    "2023-2024_course_889_bp.txt": "2023-2024/text/course_889.txt",
    "2023-2024_credential_1264_bp.txt": "2023-2024/text/credential_1264.txt",
    "2024-2025_credential_2109_bp.txt": "2024-2025/text/credential_2109.txt",
    "2025-2026_credential_2616_bp.txt": "2025-2026/text/credential_2616_draft.txt",
}

ARTICULATION_NOTE = (
    "Effective 2025-26 See Statewide Articulation Agreement: https://www.ncperkins.org/course/view.php?id=4"
)

# Every typed column of `credentials` a sample fills, by hand; a column not listed must be null.
CREDENTIALS = {
    "prostart-national-certificate-of-achievement-coa": {
        "school_year": "2025-2026",
        "cred_id": 1338,  # the URL's cred_id (a course page showing one credential)
        "credential_name": "ProStart National Certificate of Achievement (COA)",
        "is_draft": False,
        "vendor_name": "North Carolina Restaurant and Lodging Association",
        "vendor_url": "https://www.ncrla.org/",
        "vendor_emails": "info@ncrla.org",
        "vendor_phones": "919.844.0098",  # not the zip code 27601 nor the street number
        "implementation_year": "Before 2022-2023",
        "auto_collect": False,
        "diploma_endorsement": True,
        "validation_artifact": "Teacher Log OR Transcript from ProStart registry system",
        "lead_consultant_name": "Gwen Turner",
        "lead_consultant_email": "gwen.turner@dpi.nc.gov",
        "instructor_training": "required",
        "instructor_training_note": "Instructors must register and take a survey every year.",
        "voucher_expiration": "None",
        "lifespan_lifetime": True,
        "lifespan_text": "Lifetime",
        "renewal_options": "N/A",
        "articulation": True,
        "articulation_note": ARTICULATION_NOTE,
        "sequencing": True,
        "sequencing_note": "The Certificate of Achievement requires a Level 1 and Level 2 exam as well as 400 work "
        "hours. The Level 1 exam most closely aligns with the FH10 Culinary Arts and Hospitality I, FH11 Culinary Arts "
        "and Hospitality II Applications, FH12 Culinary Arts and Hospitality II Internship. The level 2 exam most "
        "closely aligns with the FH13 Culinary Arts and Hospitality III course.",
        "employer_transferability": True,
        "delivery_format": "On-line and Paper/pencil",
        "delivery_online": True,
        "delivery_paper": True,
        "delivery_performance": False,
        "proctored": True,
        "test_site_requirements": "N/A",
        "testing_environment_requirements": "The location is conducive to exam testing with no distractions, "
        "including having additional",  # cut by the archive: kept as found
        "source_format": "text",
        "complete": False,
    },
    "comptia-a-core-1": {
        "school_year": "2025-2026",
        "cred_id": 2313,
        "credential_name": "CompTIA A+ (Core 1)",
        "is_draft": False,
        # vendor_name: the flattened table lost the line break after "CompTIA"; the text before the first contact is
        # more than four words, so it is left null rather than guessed.
        "vendor_url": "https://www.partners.comptia.org/how-to/purchase-vouchers/us-canada-academy-partners",
        "vendor_emails": "twilde@comptia.org; steven.reinke@pearson.com",
        "vendor_phones": "385.233.5328; 801.787.5615; 612.412.8588",
        "auto_collect": False,
        "diploma_endorsement": True,
        "validation_artifact": "Pearson VUE report OR student certificate",
        "lead_consultant_name": "Brent Curran",
        "lead_consultant_email": "brent.curran@dpi.nc.gov",
        "instructor_training": "recommended",  # Available + Suggested: the stronger wins
        "instructor_training_note": "only",
        "instructor_training_cost_note": "N/A",
        "voucher_expiration": "1 year",
        "lifespan_years": 3.0,
        "lifespan_lifetime": False,
        "lifespan_text": "3 years",
        "renewal_options": "Yes Certification can be renewed by obtaining 20 CEUs with CompTIA's Continuing Education "
        "program OR Can be renewed if student obtains a higher level certification.",
        "articulation": True,
        "articulation_note": ARTICULATION_NOTE,
        "sequencing": True,
        "sequencing_note": "CompTIA A+ (Core 1) is part one of a two-part process to complete A+ Certification. "
        "Students must pass both CompTIA A+ (Core 1) and (Core 2) to earn A+ Certification.",
        "employer_transferability": True,
        "delivery_format": "On-line",
        "delivery_online": True,
        "delivery_paper": False,
        "delivery_performance": False,
        "proctored": True,
        "test_site_requirements": "https://home.pearsonvue.com/Documents/Test-center/pearsonvue_fac",  # cut
        "source_format": "text",
        "complete": False,
    },
    "microsoft-office-specialist-excel": {
        "school_year": "2025-2026",
        "cred_id": 2316,
        "credential_name": "Microsoft Office Specialist Excel",
        "is_draft": True,
        "vendor_emails": "christy.dye@pearson.com; matt.johnson1@pearson.com",
        "vendor_phones": "801.847.3147; 801.772.3254",
        "auto_collect": True,
        "diploma_endorsement": True,
        "validation_artifact": '"Results (264) Plus" report from Certiport OR Copy of certificate',
        "lead_consultant_name": "Elizabeth Matthews",
        "lead_consultant_email": "elizabeth.matthews@dpi.nc.gov",
        "instructor_training": "none",
        "instructor_training_cost_note": "N/A Teachers can receive training for free.",
        "voucher_expiration": "1 year",
        "lifespan_years": 5.0,
        "lifespan_lifetime": False,  # "nor will they expire" is about earlier certificates, not "does not expire"
        "lifespan_text": "5 years Expiration dates will begin appearing on most transcripts on June 18, 2025, with "
        "Cisco following on July 15th, 2025. Test candidates who have earned a certification before this date will "
        "see no change to their current certifications, nor will they expire. After this date, candidates will start "
        "to see expiration information appear on the Certiport website and on their certificates. "
        "https://certiport.pearsonvue.com/Educator-resources/Exam-policies/Certification-expiration",
        "renewal_options": "N/A",
        "articulation": True,
        "articulation_note": ARTICULATION_NOTE,
        "sequencing": False,
        "employer_transferability": True,
        "delivery_format": "On-line",
        "delivery_online": True,
        "delivery_paper": False,
        "delivery_performance": False,
        "proctored": True,
        "test_site_requirements": "To become an approved test site center: http://www.certiport.com/go Most schools "
        "are already approved to be a Certiport Testing Center. For verification of testing center status, call (88",
        "source_format": "text",
        "complete": False,
    },
    "bls-provider": {
        "school_year": "2023-2024",
        "credential_name": "BLS Provider",
        "is_draft": False,
        "vendor_name": "AHA BLS CPR",
        "vendor_url": "https://www.cpr.heart.org/en/cpr",
        "source_format": "text",
        "complete": False,
    },
    "certified-fundamentals-cook-cfc": {
        "school_year": "2023-2024",
        "credential_name": "Certified Fundamentals Cook (CFC)",
        "is_draft": False,
        "vendor_name": "Am",  # cut mid-word by the archive: kept as found
        "source_format": "text",
        "complete": False,
    },
    "comptia-network": {
        "school_year": "2023-2024",
        "cred_id": 1264,
        "credential_name": "CompTIA Network+",
        "is_draft": False,
        "vendor_name": "CompTIA",
        "source_format": "text",
        "complete": False,
    },
    "north-carolina-early-childhood-credential": {
        "school_year": "2024-2025",
        "cred_id": 2109,
        "credential_name": "North Carolina Early Childhood Credential",
        "is_draft": False,
        "source_format": "text",
        "complete": False,
    },
}

CHILDREN = {
    "credential_courses": [
        # (slug, course_code, course_title, lco, credential_as_pol, pol_note, diploma_endorsement)
        ("comptia-a-core-1", "CI01", "Computer Engineering Technology I", False, True, None, True),
        ("comptia-a-core-1", "CL60", "Fundamentals of Information Security I", True, False, None, True),
        ("microsoft-office-specialist-excel", "CC11", "Microsoft Excel", False, False, None, True),
        (
            "prostart-national-certificate-of-achievement-coa",
            "FH13",
            "Culinary Arts and Hospitality III",
            False,
            False,
            None,
            True,
        ),
    ],
    "credential_pathways": [
        # (slug, pathway_name, pathway_code, lco)
        ("comptia-a-core-1", "Computer Engineering", "COEN", False),
        ("comptia-a-core-1", "Information Security", "INSE", True),  # `^` after it
        ("microsoft-office-specialist-excel", "Data Science", "DTSC", False),
        ("microsoft-office-specialist-excel", "Office Administration", "OADM", False),
        ("prostart-national-certificate-of-achievement-coa", "Culinary Arts Applications", "CULA", False),
        ("prostart-national-certificate-of-achievement-coa", "Culinary Arts Internship", "CULI", False),
    ],
    "credential_soc_codes": [
        # (slug, soc_code, soc_title)
        ("comptia-a-core-1", "15-1211", "Computer Systems Analysts"),
        ("comptia-a-core-1", "15-1241", "Computer Network Architects"),
        ("comptia-a-core-1", "17-2061", "Computer Hardware Engineers"),
        ("prostart-national-certificate-of-achievement-coa", "11-9051", "Food Service Managers"),
        ("prostart-national-certificate-of-achievement-coa", "35-1011", "Chefs and Head Cooks"),
    ],
    "instructor_training_costs": [
        # (slug, option, amount_usd, condition): the second $309.00 sits inside a sentence, so it opens no option
        (
            "prostart-national-certificate-of-achievement-coa",
            1,
            309.0,
            "ProStart instructor training is specified by the North Carolina Restaurant Association. "
            "For the Foundation curriculum, the Teacher Resource package is $309.00 per level.",
        ),
    ],
}
CHILD_COLUMNS = {
    "credential_courses": [
        "credential_slug",
        "course_code",
        "course_title",
        "lco",
        "credential_as_pol",
        "pol_note",
        "diploma_endorsement",
    ],
    "credential_pathways": ["credential_slug", "pathway_name", "pathway_code", "lco"],
    "credential_soc_codes": ["credential_slug", "soc_code", "soc_title"],
    "instructor_training_costs": ["credential_slug", "option", "amount_usd", "condition"],
}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("samples")
    with (REAL / "manifest.csv").open(newline="") as handle:
        urls = {row["path"]: row["url"] for row in csv.DictReader(handle)}
    manifests: dict[str, list[str]] = {}
    for sample, rel in SAMPLES.items():
        target = root / "raw" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REAL / sample, target)
        year, path = rel.split("/", 1)
        manifests.setdefault(year, []).append(f"{path},{urls[sample]},,,,,,,archive\n")
    for year, rows in manifests.items():
        (root / "raw" / year / "manifest.csv").write_text(
            "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n" + "".join(rows)
        )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "extract",
            "--raw",
            str(root / "raw"),
            "--out",
            str(root / "out"),
            "--no-cache",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return root / "out", done.stdout


def _parquet(out: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(out / "parquet" / f"{table}.parquet")


def _plain(value):
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else value


@pytest.mark.parametrize("slug", sorted(CREDENTIALS))
def test_every_typed_column_of_each_sample(extracted, slug):
    out, _ = extracted
    credentials = _parquet(out, "credentials").set_index("credential_slug")
    row = {column: _plain(value) for column, value in credentials.loc[slug].items()}
    expected = CREDENTIALS[slug]
    provenance = {"source_path", "source_url", "source_sha256", "source_origin"}
    for column, value in row.items():
        if column not in provenance:
            assert value == expected.get(column), column
    assert row["source_origin"] == "archive"


def test_no_other_credential_and_no_reject(extracted):
    out, _ = extracted
    assert sorted(_parquet(out, "credentials")["credential_slug"]) == sorted(CREDENTIALS)
    assert _parquet(out, "rejects").empty and _parquet(out, "conflicts").empty


@pytest.mark.parametrize("table", sorted(CHILDREN))
def test_child_rows_of_the_samples(extracted, table):
    out, _ = extracted
    frame = _parquet(out, table)[CHILD_COLUMNS[table]]
    rows = sorted(tuple(_plain(value) for value in row) for row in frame.itertuples(index=False))
    assert rows == sorted(CHILDREN[table])


def test_a_page_cut_in_its_title_is_unreadable_with_the_fragment(extracted):
    out, stdout = extracted
    cause = (
        "cut inside the title of its first credential ('I-CAR Collision Repair Fundamentals Ba'); no credential block"
    )
    assert f"unreadable: 2025-2026/text/credential_2616_draft.txt: {cause}" in stdout.splitlines()
