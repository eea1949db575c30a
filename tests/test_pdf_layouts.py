"""Printouts nobody shaped to the reader (issue 10): four markups, with and without the browser's chrome, and
three Credentials by Course listings, printed by headless Chromium (tools/make_pdf_layouts.py).

Every printout must give the credential written in its HTML, column by column
and child row by child row: the answers below are written by hand from that
page. No credential and no drift label may come from page chrome.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.extract import extract
from tests import test_answers_from_the_page as answers_from_the_page
from tests.conftest import FIXTURES
from tools.make_pdf_layouts import PAIRS

LAYOUTS = FIXTURES / "pdf" / "layouts"
MARKUPS = ("table", "dl", "divs", "bold")

CREDENTIAL = {
    "school_year": "2024-2025",
    "cred_id": 7001,
    "credential_slug": "nccer-welding-level-1",
    "credential_name": "NCCER Welding Level 1",
    "is_draft": False,
    "vendor_name": "NCCER",
    "vendor_url": "https://www.nccer.org/",
    "vendor_emails": "jane.doe@nccer.org",
    "vendor_phones": "888.622.3720",
    "auto_collect": True,
    "diploma_endorsement": True,
    "instructor_training": "required",
    "lifespan_years": 5.0,
    "lifespan_lifetime": False,
    "lifespan_text": "5 years",
    "exam_minutes": 120,
    "exam_time_text": "2 hours",
    "passing_score_percent": 70.0,
    "passing_requirement_text": "70% or higher",
    "directory_notes": "None",
    "complete": True,
}
CHILDREN = {
    "credential_courses": [
        ("IM21", "Welding Technology I", False, True, None, True),
        ("IM22", "Welding Technology II", True, None, None, None),
    ],
    "credential_pathways": [("Welding Technology", "WELD", False), ("Metal Fabrication", "MEFA", True)],
    "credential_soc_codes": [("51-4121", "Welders, Cutters, Solderers, and Brazers")],
    # `OR` on its own line between the options belongs to neither (CONTRACT: instructor_training_costs)
    "instructor_training_costs": [(1, 150.0, "with workshop"), (2, 75.0, "online only")],
}
# The child columns the pages give, as the real samples' test compares them, without the slug (one credential here).
CHILD_COLUMNS = {
    table: [column for column in columns if column != "credential_slug"]
    for table, columns in answers_from_the_page.CHILD_COLUMNS.items()
}
GLUED = (
    "2024-2025 Credential Information\n\nNCCER Welding Level 1\n\n"
    + "\n".join(label + value for label, value in PAIRS)
    + "\n"
)


def _plain(value):
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else value


def _extract_one(tmp_path: Path, source: Path | None, kind: str, text: str | None = None):
    raw = tmp_path / "raw" / "2024-2025" / kind
    raw.mkdir(parents=True)
    target = raw / f"credential_7001.{ {'html': 'html', 'pdf': 'pdf', 'text': 'txt'}[kind] }"
    if text is not None:
        target.write_text(text)
    else:
        shutil.copyfile(source, target)
    return extract(tmp_path / "raw", tmp_path / "out")


DOCUMENTS = [(f"credential_{markup}.html", "html") for markup in MARKUPS] + [
    (f"credential_{markup}{chrome}.pdf", "pdf") for markup in MARKUPS for chrome in ("", "_bare")
]


@pytest.mark.parametrize("name, kind", DOCUMENTS + [("glued", "text")])
def test_every_markup_and_rendering_gives_the_page_s_credential(tmp_path, name, kind):
    result = _extract_one(tmp_path, LAYOUTS / name, kind, GLUED if kind == "text" else None)
    tables = result.tables
    assert result.summary["unreadable"] == {} and result.summary["drift_labels"] == {}
    assert len(tables["credentials"]) == 1  # no credential from chrome
    row = {column: _plain(value) for column, value in tables["credentials"].iloc[0].items()}
    for column, value in row.items():
        if not column.startswith("source_"):
            assert value == CREDENTIAL.get(column), column
    for table, expected in CHILDREN.items():
        frame = tables[table][CHILD_COLUMNS[table]]
        rows = sorted(tuple(_plain(v) for v in r) for r in frame.itertuples(index=False))
        assert rows == sorted(expected), table


@pytest.mark.parametrize("name, kind", DOCUMENTS)
def test_label_values_are_the_pairs_as_written_on_the_page(tmp_path, name, kind):
    tables = _extract_one(tmp_path, LAYOUTS / name, kind).tables
    pairs = tables["label_values"]
    assert list(zip(pairs["label"], pairs["value"], strict=True)) == PAIRS


def test_a_printout_with_no_credential_block_is_unreadable_not_a_credential(tmp_path):
    result = _extract_one(tmp_path, LAYOUTS / "not_a_credential.pdf", "pdf")
    assert result.tables["credentials"].empty and result.tables["label_values"].empty
    assert result.summary["unreadable"] == {
        "2024-2025/pdf/credential_7001.pdf": "no credential block and no school year heading (not a directory page?)"
    }


LISTED = [
    ("2024-2025", "IM21", "Welding Technology I", "NCCER Welding Level 1", "nccer-welding-level-1", True),
    ("2024-2025", "IM22", "Welding Technology II", "NCCER Welding Level 1", "nccer-welding-level-1", False),
    (
        "2024-2025",
        "BM10",
        "Microsoft Word and PowerPoint",
        "Microsoft Office Specialist Word",
        "microsoft-office-specialist-word",
        True,
    ),
    ("2024-2025", "CI01", "Computer Engineering Technology I", "CompTIA A+ (Core 1)", "comptia-a-core-1", True),
]


LISTINGS = [
    "listing_other_words",
    "listing_unruled",
    "listing_footnote",
    # header spellings no list in the code holds: `NCDPI Course #`, `Industry-Recognized Credential (IRC)`,
    # `Perkins V Reportable?`; `Crs. No.`, `Certification Earned`, `Title of the Course`, `Counts Toward Federal`
    # after an unknown `Career Cluster` column; `CREDENTIAL / LICENSE` before `COURSE CODE AND TITLE` in one cell
    "listing_unseen_words",
    "listing_unseen_order",
    "listing_unseen_combined",
]


@pytest.mark.parametrize("variant", LISTINGS)
def test_each_listing_variant_fills_course_credentials_row_for_row(tmp_path, variant):
    raw = tmp_path / "raw" / "2024-2025" / "pdf"
    raw.mkdir(parents=True)
    shutil.copyfile(LAYOUTS / f"{variant}.pdf", raw / "credentials_by_course.pdf")
    result = extract(tmp_path / "raw", tmp_path / "out")
    listing = result.tables["course_credentials"]
    columns = ["school_year", "course_code", "course_title", "credential_name", "credential_slug", "federal_reporting"]
    assert sorted(tuple(_plain(v) for v in row) for row in listing[columns].itertuples(index=False)) == sorted(LISTED)
    assert result.tables["credentials"].empty and result.tables["label_values"].empty
    assert result.summary["unreadable"] == {} and result.summary["drift_labels"] == {}


@pytest.mark.parametrize("name, kind", [(name, kind) for name, kind in DOCUMENTS if kind == "pdf"])
def test_a_printed_credential_page_never_opens_the_table_finder(monkeypatch, name, kind):
    from pipeline.read import pdf, pdf_listing

    def table_finder(data):
        raise AssertionError("pdfplumber opened for a printed credential page")

    monkeypatch.setattr(pdf_listing, "listing_of", table_finder)
    assert pdf.parse_pdf((LAYOUTS / name).read_bytes()).page.blocks
