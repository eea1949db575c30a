"""Each real (archive-cut) sample parses: title, school year, draft flag, every whole value, the cut one marked."""

from __future__ import annotations

import pytest

from pipeline.read.documents import decode
from pipeline.read.text import parse_text
from tests.conftest import REAL

SAMPLES = {
    "2023-2024_course_62_bp.txt": (
        "2023-2024",
        False,
        "BLS Provider",
        {
            "credential_name": "BLS Provider",
            "vendor_info": "AHA BLS CPR\nhttps://www.cpr.heart.org/en/cpr",
        },
    ),
    "2023-2024_course_889_bp.txt": (
        "2023-2024",
        False,
        "Certified Fundamentals Cook (CFC)",
        {
            "credential_name": "Certified Fundamentals Cook (CFC)",
            "vendor_info": "Am",  # cut mid-value: kept as found
        },
    ),
    "2023-2024_credential_1264_bp.txt": (
        "2023-2024",
        False,
        "CompTIA Network+",
        {
            "credential_name": "CompTIA Network+",
            "vendor_info": "CompTIA\nJill Thielmann\nSenior Manage",
        },
    ),
    "2024-2025_credential_2109_bp.txt": (
        "2024-2025",
        False,
        "North Carolina Early Childhood Credential",
        {
            "credential_name": "North Carolina Early Childhood Credential",
        },
    ),
    "2025-2026_course_889_credential_1338_acadyear.txt": (
        "2025-2026",
        False,
        "ProStart National Certificate of Achievement (COA)",
        {
            "credential_name": "ProStart National Certificate of Achievement (COA)",
            "vendor_info": "North Carolina Restaurant and Lodging Association\n222 N. Person Street, Suite 210 | "
            "Raleigh, NC 27601\ninfo@ncrla.org\n919.844.0098\nhttps://www.ncrla.org/",
            "implementation_year": "Before 2022-2023",
            "auto_collect": "No",
            "diploma_endorsement": "FH13 = Yes",
            "validation_artifact": "Teacher Log OR Transcript from ProStart registry system",
            "lead_consultant": "Gwen Turner\ngwen.turner@dpi.nc.gov",
            "courses": "FH13 Culinary Arts and Hospitality III",
            "credential_as_pol": "FH13 POL = No",
            "pathways": "Culinary Arts Applications (CULA)\nCulinary Arts Internship (CULI)",
            "instructor_training_cost": "$309.00\nProStart instructor training is specified by the North Carolina "
            "Restaurant Association. For the Foundation curriculum, the Teacher Resource package is $309.00 per level.",
            "instructor_training": "Required\nInstructors must register and take a survey every year.",
            "voucher_expiration": "None",
            "lifespan": "Lifetime",
            "renewal_options": "N/A",
            "soc_codes": "Chefs and Head Cooks (35-1011)\nFood Service Managers (11-9051)",
            "articulation": "Yes\nEffective 2025-26\nSee Statewide Articulation Agreement:\n"
            "https://www.ncperkins.org/course/view.php?id=4",
            "employer_transferability": "Yes",
            "delivery_format": "On-line and Paper/pencil",
            "sequencing": "Yes\nThe Certificate of Achievement requires a Level 1 and Level 2 exam as well as 400 work "
            "hours. The Level 1 exam most closely aligns with the FH10 Culinary Arts and Hospitality I, FH11 Culinary "
            "Arts and Hospitality II Applications, FH12 Culinary Arts and Hospitality II Internship. The level 2 exam "
            "most closely aligns with the FH13 Culinary Arts and Hospitality III course.",
            "proctored": "Yes",
            "test_site_requirements": "N/A",
        },
    ),
    "2025-2026_credential_2313_table.txt": (
        "2025-2026",
        False,
        "CompTIA A+ (Core 1)",
        {
            "credential_name": "CompTIA A+ (Core 1)",
            "vendor_info": "CompTIA Travis Wilde Account Executive, Academic Sales twilde@comptia.org O: 385.233.5328 "
            "C: 801.787.5615 https://www.partners.comptia.org/how-to/purchase-vouchers/us-canada-academy-partners "
            "Pearson VUE Steven Reinke, Channel Sales Manager steven.reinke@pearson.com 612.412.8588 "
            "https://www.partners.comptia.org/how-to/purchase-vouchers/us-canada-academy-partners",
            "renewal_options": "Yes Certification can be renewed by obtaining 20 CEUs with CompTIA's Continuing "
            "Education program OR Can be renewed if student obtains a higher level certification.",
            "soc_codes": "Computer Hardware Engineers (17-2061)Computer Network Architects (15-1241)Computer Systems "
            "Analysts (15-1211)",
            "articulation": "Yes Effective 2025-26 See Statewide Articulation Agreement: "
            "https://www.ncperkins.org/course/view.php?id=4",
            "sequencing": "Yes CompTIA A+ (Core 1) is part one of a two-part process to complete A+ Certification. "
            "Students must pass both CompTIA A+ (Core 1) and (Core 2) to earn A+ Certification.",
            "auto_collect": "No",
            "diploma_endorsement": "CI01 = Yes CL60 = Yes",
            "validation_artifact": "Pearson VUE report OR student certificate",
            "lead_consultant": "Brent Curran brent.curran@dpi.nc.gov",
            "courses": "CI01 Computer Engineering Technology ICL60 Fundamentals of Information Security I (LCO)",
            "credential_as_pol": "CI01 POL = YesCL60 POL = No",
            "pathways": "Computer Engineering (COEN)Information Security (INSE)^",
            "instructor_training_cost": "N/A",
            "instructor_training": "Available Suggested only",
            "voucher_expiration": "1 year",
            "lifespan": "3 years",
            "employer_transferability": "Yes",
            "delivery_format": "On-line",
            "proctored": "Yes",
        },
    ),
    "2025-2026_credential_2316_table.txt": (
        "2025-2026",
        True,
        "Microsoft Office Specialist Excel",
        {
            "credential_name": "Microsoft Office Specialist Excel",
            "vendor_info": "Certiport Christy E Dye Manager; Piedmont-Triad, North Central, Northeast, Sandhills, and "
            "Southeast regions Christy.Dye@pearson.com 801.847.3147 Matt Johnson Manager; Western, Northwest, and "
            "Southwest regions Matt.Johnson1@pearson.com 801.772.3254",
            "lead_consultant": "Elizabeth Matthews elizabeth.matthews@dpi.nc.gov",
            "voucher_expiration": "1 year",
            "lifespan": "5 years Expiration dates will begin appearing on most transcripts on June 18, 2025, with "
            "Cisco following on July 15th, 2025. Test candidates who have earned a certification before this date will "
            "see no change to their current certifications, nor will they expire. After this date, candidates will "
            "start to see expiration information appear on the Certiport website and on their certificates. "
            "https://certiport.pearsonvue.com/Educator-resources/Exam-policies/Certification-expiration",
            "articulation": "Yes Effective 2025-26 See Statewide Articulation Agreement: "
            "https://www.ncperkins.org/course/view.php?id=4",
            "employer_transferability": "Yes",
            "delivery_format": "On-line",
            "proctored": "Yes",
            "auto_collect": "Yes",
            "diploma_endorsement": "CC11 = Yes",
            "validation_artifact": '"Results (264) Plus" report from Certiport OR Copy of certificate',
            "courses": "CC11 Microsoft Excel",
            "credential_as_pol": "CC11 POL = No",
            "pathways": "Data Science (DTSC)Office Administration (OADM)",
            "instructor_training_cost": "N/A Teachers can receive training for free.",
            "instructor_training": "None",
            "renewal_options": "N/A",
            "sequencing": "No",
        },
    ),
}

# The last value each sample shows, cut by the archive.
CUT_LAST = {
    "2023-2024_course_62_bp.txt": ("vendor_info", False),
    "2023-2024_course_889_bp.txt": ("vendor_info", False),
    "2023-2024_credential_1264_bp.txt": ("vendor_info", False),
    "2024-2025_credential_2109_bp.txt": ("credential_name", False),
    "2025-2026_course_889_credential_1338_acadyear.txt": ("testing_environment_requirements", False),
    "2025-2026_credential_2313_table.txt": ("test_site_requirements", True),
    "2025-2026_credential_2316_table.txt": ("test_site_requirements", True),
}


def _page(name: str):
    return parse_text(decode((REAL / name).read_bytes()))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_heading_title_and_draft(name):
    school_year, is_draft, title, _ = SAMPLES[name]
    page = _page(name)
    assert (page.school_year, page.is_draft) == (school_year, is_draft)
    assert [block.title for block in page.blocks] == [title]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_whole_values(name):
    """Every pair but the cut last one is listed above, written from the page, and reads back as written."""
    expected = SAMPLES[name][3]
    block = _page(name).blocks[0]
    cut_key = CUT_LAST[name][0]
    whole = [pair.key for pair in block.pairs if pair.key != cut_key or cut_key in expected]
    assert sorted(whole) == sorted(expected)
    for key, value in expected.items():
        assert block.value(key) == value, key


@pytest.mark.parametrize("name", sorted(CUT_LAST))
def test_sample_is_marked_incomplete_at_its_cut(name):
    key, visibly_cut = CUT_LAST[name]
    block = _page(name).blocks[0]
    assert not block.complete
    assert block.pairs[-1].key == key
    assert block.pairs[-1].cut is visibly_cut


def test_label_cut_at_the_end_is_a_fragment_not_a_value_or_drift():
    page = _page("2024-2025_credential_2109_bp.txt")
    assert page.label_fragment == "Credenti"
    assert [pair.key for pair in page.blocks[0].pairs] == ["credential_name"]


def test_title_cut_gives_no_block_but_keeps_year_draft_and_fragment():
    page = _page("2025-2026_credential_2616_bp.txt")
    assert (page.school_year, page.is_draft) == ("2025-2026", True)
    assert page.blocks == []
    assert page.title_fragment == "I-CAR Collision Repair Fundamentals Ba"


def test_flattened_value_keeps_its_inner_bar():
    text = "2025-2026 Credential Information\nX\n| Credential Name | X |\n| Credential Vendor Info | A | B |\n"
    assert parse_text(text).blocks[0].value("vendor_info") == "A | B"


def test_glued_labels_out_of_page_order_are_still_labels():
    text = (
        "2023-2024 Credential Information\n\nX\n\nCredential NameX\nRetakesYes\nCredential LifespanLifetime\n"
        "Directory NotesNone\n"
    )
    block = parse_text(text).blocks[0]
    assert [(p.key, p.value) for p in block.pairs] == [
        ("credential_name", "X"),
        ("retakes", "Yes"),
        ("lifespan", "Lifetime"),
        ("directory_notes", "None"),
    ]


def test_value_line_that_begins_with_a_label_already_met_stays_in_the_value():
    text = (
        "2023-2024 Credential Information\n\nX\n\nCredential NameX\nArticulationNo\n"
        "SequencingYes\nArticulation agreements are local.\nDirectory NotesNone\n"
    )
    block = parse_text(text).blocks[0]
    assert block.value("sequencing") == "Yes\nArticulation agreements are local."


def test_cut_value_line_that_is_no_label_still_to_come_is_kept():
    text = "2023-2024 Credential Information\n\nX\n\nCredential NameX\nCredential Vendor InfoAcme\nCredential\n"
    assert parse_text(text).blocks[0].value("vendor_info") == "Acme"  # "Credential" may open Auto Collect
    text = "2023-2024 Credential Information\n\nX\n\nCredential NameX\nDirectory NotesSee\nDi\n"
    assert parse_text(text).blocks[0].value("directory_notes") == "See\nDi"  # the block is complete
    text = "2023-2024 Credential Information\n\nX\n\nCredential NameX\nRetakesYes\nRetak\n"
    assert parse_text(text).blocks[0].value("retakes") == "Yes\nRetak"  # Retakes was met: not a fragment


def _flattened_cut_inside_a_label() -> str:
    """Sample 2313 as the archive might have cut it one row later: inside the label `Test Site Options...`."""
    text = (REAL / "2025-2026_credential_2313_table.txt").read_text(encoding="utf-8")
    return text[: text.index("| Test Site Options")] + "| Test Si"


def test_flattened_label_cut_at_the_very_end_is_a_fragment_not_a_line():
    page = parse_text(_flattened_cut_inside_a_label())
    assert page.label_fragment == "Test Si"
    assert page.blocks[0].pairs[-1].key == "proctored"  # the last whole row


def test_flattened_page_without_a_cut_label_has_no_fragment():
    assert parse_text((REAL / "2025-2026_credential_2313_table.txt").read_text(encoding="utf-8")).label_fragment is None


def test_a_label_like_line_inside_a_flattened_page_is_text_not_a_fragment():
    text = _flattened_cut_inside_a_label().replace("| Delivery Format |", "| Test Si\n| Delivery Format |")
    page = parse_text(text + " |\n| Directory Notes | None |")
    assert page.label_fragment is None
