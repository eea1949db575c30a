"""Text renderings read by their converter's marks (pipeline/read/text.py, text_markup.py); values by hand."""

from __future__ import annotations

import pytest

from pipeline.read.text import markdown_events, parse_text
from tests.conftest import FIXTURES

# What html2text prints for two credential blocks in tables (its cell lines end in two spaces; the
# table's last row is followed by a line of two spaces, then the next heading).
TWO_TABLES = (
    "## Alpha Credential\n\n"
    "Credential Name| Alpha Credential  \n"
    "---|---  \n"
    "Directory Notes| Print the certificate:  \n"
    "<https://example.org/login>  \n"
    "  \n"
    "## Beta Credential\n\n"
    "Credential Name| Beta Credential  \n"
    "---|---  \n"
    "Directory Notes| None  \n"
    "  \n"
)


def test_a_markdown_heading_ends_the_table_cell_before_it():
    page = parse_text(TWO_TABLES)
    assert [block.value("credential_name") for block in page.blocks] == ["Alpha Credential", "Beta Credential"]
    assert page.blocks[0].value("directory_notes") == "Print the certificate:\nhttps://example.org/login"
    assert [block.title for block in page.blocks] == ["Alpha Credential", "Beta Credential"]


# html2text at 80 columns: almost every line ends in a hard break, and a link it wrapped runs over three
# lines, cut after a hyphen inside both its text and its (archived) address.
WRAPPED_LINK = (
    "## Alpha Credential\n\n"
    "Credential Name| Alpha Credential  \n"
    "---|---  \n"
    "Student Accommodations| Yes  \n"
    "[https://www.example.org/wp-content/uploads/Candidate-\n"
    "Handbook_v15.pdf](https://web.archive.org/web/20240115083012/https://www.example.org/wp-\n"
    "content/uploads/Candidate-Handbook_v15.pdf)  \n"
    "Directory Notes| None  \n"
    "  \n"
)


def test_a_link_the_converter_wrapped_is_one_address():
    page = parse_text(WRAPPED_LINK)
    expected = "Yes\nhttps://www.example.org/wp-content/uploads/Candidate-Handbook_v15.pdf"
    assert page.blocks[0].value("accommodations") == expected


def test_a_link_whose_text_is_its_escaped_address_is_shown_once():
    markdown = (
        "**Credential Name:** Alpha Credential  \n"
        "**Test Site Options and Requirements:** "
        "[https://example.org/test\\_center.pdf]"
        "(https://web.archive.org/web/20240115083012/https://example.org/test_center.pdf)  \n"
        "Schools must be approved.  \n"
        "**Directory Notes:** None  \n"
    )
    page = parse_text(markdown)
    expected = "https://example.org/test_center.pdf\nSchools must be approved."
    assert page.blocks[0].value("test_site_requirements") == expected


# markdownify on a web archive's copy: the archive's toolbar keeps its capture calendar as a table of
# three columns above the page's own two-column table.
ARCHIVED = (
    "[14 captures](https://web.archive.org/web/20240115083012*/https://example.org/credential_info.php)\n\n"
    "15 Jan 2024 - 02 Mar 2025\n\n"
    "|  |  |  |\n| --- | --- | --- |\n| DEC | JAN | FEB |\n| 14 | 15 | 16 |\n| 2023 | 2024 | 2025 |\n\n"
    "## Alpha Credential\n\n"
    "|  |  |\n| --- | --- |\n"
    "| Credential Name | Alpha Credential |\n"
    "| Credential Vendor Info | Alpha Inc. |\n"
    "| Directory Notes | None |\n"
)


def test_a_row_of_another_tables_shape_is_not_a_pair():
    page = parse_text(ARCHIVED)
    assert [block.value("credential_name") for block in page.blocks] == ["Alpha Credential"]
    assert [pair.label_raw for pair in page.blocks[0].pairs] == [
        "Credential Name",
        "Credential Vendor Info",
        "Directory Notes",
    ]


# html2text: every line of a cell ends in a hard break (two spaces), a blank line of a value too; the
# page's footer after the table is a paragraph without one.
TABLE_THEN_FOOTER = (
    "## Alpha Credential\n\n"
    "Credential Name| Alpha Credential  \n"
    "---|---  \n"
    "Cost of Instructor Training| $625.00  \n"
    "  \n"
    "Email the vendor to get started.  \n"
    "Directory Notes| Print the certificate.  \n"
    "  \n"
    "[Accessibility](https://example.org/accessibility) | [Privacy Policy](https://example.org/privacy)\n\n"
    "© 2024 Example University. All rights reserved.\n"
)


def test_a_paragraph_without_hard_breaks_after_an_html2text_table_is_not_its_last_cell():
    page = parse_text(TABLE_THEN_FOOTER)
    assert page.blocks[0].value("directory_notes") == "Print the certificate."
    assert page.blocks[0].value("instructor_training_cost") == "$625.00\n\nEmail the vendor to get started."


# html2text at 40 columns: it marks a cell's line breaks (two trailing spaces) on most lines, and wraps a row's
# line (label included) where the screen ends, with no mark: `North Carolina` / `Restaurant ...` is one line of
# the value, `SOC (Standard Occupational` / `Classification) Code(s)| ...` one row.
WRAPPED_ROWS = (
    "## Alpha Credential\n\n"
    "Credential Name| Alpha Credential  \n"
    "---|---  \n"
    "Credential Vendor Info| North Carolina\n"
    "Restaurant and Lodging Association  \n"
    "info@ncrla.org  \n"
    "Renewal Options| N/A  \n"
    "SOC (Standard Occupational\n"
    "Classification) Code(s)| Chefs and Head\n"
    "Cooks (35-1011)  \n"
    "Food Service Managers (11-9051)  \n"
    "Directory Notes| None  \n"
    "  \n"
)


def test_where_most_lines_mark_their_break_a_line_without_the_mark_was_wrapped():
    block = parse_text(WRAPPED_ROWS).blocks[0]
    assert block.value("vendor_info") == "North Carolina Restaurant and Lodging Association\ninfo@ncrla.org"
    assert block.value("renewal_options") == "N/A"
    assert block.value("soc_codes") == "Chefs and Head Cooks (35-1011)\nFood Service Managers (11-9051)"


# w3m's own dumps (tests/fixtures/renderings, made by tools/make_rendering_fixtures.py), values read by hand from
# the page they were made from (tests/renderings/credentials.py: MOS Excel, CPT Safety, CompTIA A+).
def _w3m(name: str):
    return parse_text((FIXTURES / "renderings" / f"w3m_{name}.txt").read_text(encoding="utf-8")).blocks[0]


def test_an_address_cut_after_its_scheme_goes_on_on_the_next_line():
    """80 columns: `To become an approved test site center: http://` / `www.certiport.com/go`."""
    expected = (
        "To become an approved test site center: http://www.certiport.com/go\n"
        "Most schools are already approved to be a Certiport Testing Center. For verification of testing center "
        "status, call (888) 999-9830."
    )
    assert _w3m("credential_mos_excel_table_w80").value("test_site_requirements") == expected


def test_a_link_number_ending_a_line_goes_with_its_text_on_the_next():
    """80 columns with numbered links: `... Email [25]` / `Info@msscusa.org for instructions ...`, in a row
    whose two-line label sits beside the value's first two lines."""
    block = _w3m("credential_cpt_safety_cards_w80_links")
    assert block.value("instructor_training") == (
        "Required\nCertification and teacher certification. Email Info@msscusa.org for instructions and to get started."
    )
    assert block.value("voucher_expiration") == "Lifetime on vouchers until assigned to a student, and then six months."


def test_a_bare_yes_after_a_full_line_opens_the_next_row():
    """40 columns: `Computer Systems Analysts (15-1211)` fills its line, so `Yes` after it would not have fitted;
    still `Yes` opens the Articulation row (a bare Yes/No opens a value, no wrap runs into one)."""
    block = _w3m("credential_comptia_a_core1_cards_w40_links")
    assert block.value("soc_codes") == (
        "Computer Hardware Engineers (17-2061)\nComputer Network Architects (15-1241)\n"
        "Computer Systems Analysts (15-1211)"
    )
    assert block.value("articulation") == (
        "Yes\nEffective 2025-26\nSee Statewide Articulation Agreement:\nhttps://www.ncperkins.org/course/view.php?id=4"
    )


def test_a_capitalised_word_after_an_address_that_fills_its_line_begins_a_sentence():
    """40 columns: `pearsonvue_facility_requirements.pdf` is exactly as wide as the dump's widest line, then
    `Schools must be an authorized`: a sentence begins, the address is not cut."""
    value = _w3m("credential_comptia_a_core1_cards_w40_links").value("test_site_requirements")
    # a wrap or a line break there: the dump cannot tell, the words are the same
    assert " ".join(value.split()) == (
        "https://home.pearsonvue.com/Documents/Test-center/pearsonvue_facility_requirements.pdf "
        "Schools must be an authorized Pearson VUE Test Center."
    )


def test_a_path_s_last_word_alone_under_an_address_cut_after_a_slash_is_the_address_s():
    """80 columns, no columns: `.../test-policies/` fills what is left of its line, `accommodations` alone under it."""
    expected = "Yes\nhttps://www.comptia.org/testing/testing-policies-procedures/test-policies/accommodations"
    assert _w3m("credential_comptia_a_core1_aria_w80").value("accommodations") == expected


# --- rules of the text readers, each on a rendering written by hand ----------------------------------------


def _pairs(text: str) -> list[tuple[str | None, str]]:
    return [(pair.key, pair.value) for block in parse_text(text).blocks for pair in block.pairs]


def test_a_markdown_link_whose_text_hides_its_address_keeps_the_address_after_its_text():
    markdown = (
        "**Credential Name:** Alpha Credential  \n"
        "**Credential Vendor Info:** [Certiport](https://certiport.pearsonvue.com/)  \n"
        "**Directory Notes:** None  \n"
    )
    assert _pairs(markdown)[1] == ("vendor_info", "Certiport https://certiport.pearsonvue.com/")


def test_an_email_autolink_is_its_address_without_mailto():
    markdown = (
        "**Credential Name:** Alpha Credential  \n"
        "**Credential Lead Consultant:** Pat Doe  \n"
        "<mailto:pat.doe@dpi.nc.gov>  \n"
        "**Directory Notes:** None  \n"
    )
    assert _pairs(markdown)[1] == ("lead_consultant", "Pat Doe\npat.doe@dpi.nc.gov")


# lynx lists its links at the end; then a bracketed number anywhere in a value is a link's number, also one
# that stands apart from its text (an image link)
LISTED_LINKS = (
    "                        Alpha Credential\n\n"
    "   Credential Name        Alpha Credential\n"
    "   Credential Lifespan    5 years\n"
    "   Renewal Options        N/A\n"
    "   Directory Notes        Print the certificate from the portal. [1]\n"
    "\n"
    "References\n"
    "\n"
    "   1. https://login.msscusa.org/login\n"
    "   2. mailto:info@msscusa.org\n"
)


def test_a_link_number_of_a_dump_that_lists_its_links_is_no_text():
    assert _pairs(LISTED_LINKS)[-1] == ("directory_notes", "Print the certificate from the portal.")


# A table as text, its labels in a column (inscriptis at full width): a label sits in the middle of its row,
# so a row of four SOC codes starts one line above its label, right under the last line of Renewal Options.
SOC_ROW = (
    "Credential Name                                     Alpha Credential\n"
    "Credential Lifespan                                 5 years\n"
    "Renewal Options                                     N/A\n"
    "                                                    Recertification is required (retake test).\n"
    "                                                    Electrical and Electronic Engineering Technologists"
    " and Technicians (17-3023)\n"
    "SOC (Standard Occupational Classification) Code(s)  Engineering Technologists and Technicians, Except"
    " Drafters, All Other (17-3029)\n"
    "                                                    Industrial Engineering Technologists and Technicians"
    " (17-3026)\n"
    "                                                    Mechanical Engineering Technologists and Technicians"
    " (17-3027)\n"
    "Directory Notes                                     None\n"
)


def test_a_line_naming_a_soc_code_belongs_to_the_soc_row_below_not_to_the_value_above():
    pairs = dict(_pairs(SOC_ROW))
    assert pairs["renewal_options"] == "N/A\nRecertification is required (retake test)."
    assert pairs["soc_codes"].splitlines() == [
        "Electrical and Electronic Engineering Technologists and Technicians (17-3023)",
        "Engineering Technologists and Technicians, Except Drafters, All Other (17-3029)",
        "Industrial Engineering Technologists and Technicians (17-3026)",
        "Mechanical Engineering Technologists and Technicians (17-3027)",
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        # its words run across the value column's edge
        "Questions about this directory go to the Office of Career and Technical Education.",
        # one space at the edge: a sentence's space, not the padding of a label cell
        "This directory is maintained by the Office of CTE; send corrections to the consultant named above.",
        # across the edge, though its first words spell a piece of a label
        "SOC (Standard Occupational Classification) codes follow the federal list of 2018.",
    ],
)
def test_a_paragraph_under_a_table_laid_out_in_columns_is_no_row(paragraph):
    text = (
        "Credential Name                 Alpha Credential\n"
        "Credential Lifespan             5 years\n"
        "Renewal Options                 N/A\n"
        "Directory Notes                 None\n"
        f"{paragraph}\n"
    )
    assert _pairs(text) == [
        ("credential_name", "Alpha Credential"),
        ("lifespan", "5 years"),
        ("renewal_options", "N/A"),
        ("directory_notes", "None"),
    ]


# --- written for mutmut's survivors in pipeline/read/text.py (tests/mutants_triage.md) ---------------------

# A Markdown page: a link back to the list, a heading and a pipe table (three marks of a converter).
MARKDOWN_TABLE = "[Back to the list](https://example.org/list)\n\n## Alpha\n\n| | |\n| --- | --- |\n"


def _labelled(text: str) -> list[tuple[str, str | None, str]]:
    return [(pair.label_raw, pair.key, pair.value) for block in parse_text(text).blocks for pair in block.pairs]


def test_labels_a_converter_ran_together_on_one_line_are_each_a_pair():
    text = (
        "2024-2025 Credential Information\n"
        "Alpha Credential\n"
        "Credential Name Alpha Credential Credential Vendor Info Alpha Inc. Retakes Yes, Retakes are free\n"
        "Directory Notes None, see Retakes\n"  # a label not later in page order than the one before it is text
    )
    assert _labelled(text) == [
        ("Credential Name", "credential_name", "Alpha Credential"),
        ("Credential Vendor Info", "vendor_info", "Alpha Inc."),
        ("Retakes", "retakes", "Yes, Retakes are free"),
        ("Directory Notes", "directory_notes", "None, see Retakes"),
    ]
    assert [block.title for block in parse_text(text).blocks] == ["Alpha Credential"]


def test_a_title_run_together_with_the_labels_after_it_is_cut_before_the_first_label():
    text = (
        "2024-2025 Credential Information\n"
        "Alpha Credential Credential Name Alpha Credential Credential Vendor Info Alpha Inc. Retakes Yes\n"
        "Directory Notes None\n"
    )
    page = parse_text(text)
    assert [block.title for block in page.blocks] == ["Alpha Credential"]
    assert _pairs(text) == [
        ("credential_name", "Alpha Credential"),
        ("vendor_info", "Alpha Inc."),
        ("retakes", "Yes"),
        ("directory_notes", "None"),
    ]


def test_an_unknown_label_in_a_row_shaped_as_the_tables_rows_is_a_pair_of_its_own():
    text = MARKDOWN_TABLE + "| Credential Name | Alpha |\n| Exam Fee | $90 |\n| Directory Notes | None |\n"
    assert _labelled(text) == [
        ("Credential Name", "credential_name", "Alpha"),
        ("Exam Fee", None, "$90"),
        ("Directory Notes", "directory_notes", "None"),
    ]


def test_a_table_of_three_columns_keeps_an_unknown_labels_row_of_three_cells():
    text = (
        MARKDOWN_TABLE.replace("| | |\n| --- | --- |", "| | | |\n| --- | --- | --- |")
        + "| Credential Name | Alpha | a |\n| Exam Fee | $90 | b |\n| Directory Notes | None | c |\n"
    )
    assert _labelled(text) == [
        ("Credential Name", "credential_name", "Alpha | a"),
        ("Exam Fee", None, "$90 | b"),
        ("Directory Notes", "directory_notes", "None | c"),
    ]


def test_a_known_labels_row_whose_value_holds_a_bar_is_still_its_row():
    text = (
        MARKDOWN_TABLE + "| Credential Name | Alpha |\n| Retakes | Yes | after 30 days |\n| Directory Notes | None |\n"
    )
    assert _pairs(text) == [
        ("credential_name", "Alpha"),
        ("retakes", "Yes | after 30 days"),
        ("directory_notes", "None"),
    ]


def test_a_closed_rows_runs_of_two_spaces_are_its_line_breaks_a_cut_rows_are_not():
    closed = (
        MARKDOWN_TABLE + "| Credential Name | Alpha |\n| Retakes | Yes  After 30 days |\n| Directory Notes | None |\n"
    )
    assert dict(_pairs(closed))["retakes"] == "Yes\nAfter 30 days"
    cut = (
        "## Alpha\n\nCredential Name| Alpha  \n---|---  \nRetakes| Yes  after 30 days  \nDirectory Notes| None  \n  \n"
    )
    assert "\n" not in dict(_pairs(cut))["retakes"]  # html2text marks its breaks at the line ends, not inside


def test_a_paragraph_inside_a_pipe_table_does_not_end_the_reading():
    text = (
        MARKDOWN_TABLE
        + "| Credential Name | Alpha |\n| Retakes | Yes |\n  \n"
        + "A paragraph without a break.\n\n| Directory Notes | None |\n"
    )
    assert _pairs(text) == [("credential_name", "Alpha"), ("retakes", "Yes"), ("directory_notes", "None")]


def test_a_blank_line_held_by_a_hard_break_stays_a_blank_line_of_the_value():
    text = (
        "## Alpha\n\n**Credential Name:** Alpha  \n**Retakes:** Yes  \n  \n"
        "After 30 days.\n\n**Directory Notes:** None  \n"
    )
    assert _pairs(text) == [
        ("credential_name", "Alpha"),
        ("retakes", "Yes\n\nAfter 30 days."),
        ("directory_notes", "None"),
    ]


def test_an_indented_markdown_row_is_shaped_as_the_others():
    events, fragment = markdown_events(
        ["| Credential Name | Alpha |", "  | Exam Fee | $90 |", "| Directory Notes | None |"]
    )
    assert [(event.label_raw, event.key, event.value) for event in events] == [
        ("Credential Name", "credential_name", "Alpha"),
        ("Exam Fee", None, "$90"),
        ("Directory Notes", "directory_notes", "None"),
    ]
    assert fragment is None


PLAIN_TABLE = "2024-2025 Credential Information\nAlpha\n"


def test_a_known_labels_row_without_the_opening_bar_the_others_have_is_still_a_pair():
    text = PLAIN_TABLE + "| Credential Name | Alpha |\n| Credential Vendor Info | Alpha Inc. |\nRetakes | Yes |\n"
    assert _pairs(text) == [("credential_name", "Alpha"), ("vendor_info", "Alpha Inc."), ("retakes", "Yes")]


def test_a_text_dumps_indented_rows_keep_an_unknown_labels_row():
    text = PLAIN_TABLE + "  | Credential Name | Alpha |\n  | Exam Fee | $90 |\n  | Directory Notes | None |\n"
    assert _labelled(text) == [
        ("Credential Name", "credential_name", "Alpha"),
        ("Exam Fee", None, "$90"),
        ("Directory Notes", "directory_notes", "None"),
    ]


def test_rows_open_with_a_bar_only_when_most_of_them_do():
    # one of the two known rows opens with a bar: no majority, so a barred unknown label is not a row
    text = PLAIN_TABLE + "| Credential Name | Alpha |\n| Exam Fee | $90 |\nDirectory Notes | None |\n"
    assert _labelled(text) == [
        ("Credential Name", "credential_name", "Alpha"),
        ("Directory Notes", "directory_notes", "None"),
    ]


@pytest.mark.parametrize(("last", "fragment"), [("| Credential", "Credential"), ("| Credential X", None)])
def test_only_the_start_of_a_label_on_the_last_row_is_a_label_fragment(last, fragment):
    page = parse_text(PLAIN_TABLE + f"| Credential Name | Alpha |\n| Retakes | Yes |\n{last}")
    assert page.label_fragment == fragment
    assert [(pair.key, pair.value) for pair in page.blocks[0].pairs] == [
        ("credential_name", "Alpha"),
        ("retakes", "Yes"),
    ]


GLUED = "Alpha Credential\nCredential Name Alpha Credential\n"


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        # the block's last label closes it at a blank line: a page's footer after it is no part of its value
        (
            GLUED + "Directory Notes None\n\nPage 1 of 1\n",
            [("credential_name", "Alpha Credential"), ("directory_notes", "None")],
        ),
        # ... once it has a value: one written after blank lines is still its value
        (GLUED + "Directory Notes\n\n\nNone\n", [("credential_name", "Alpha Credential"), ("directory_notes", "None")]),
        # a label after the closed block opens a pair of its own
        (
            GLUED + "Directory Notes None\n\nRetakes Yes\n",
            [("credential_name", "Alpha Credential"), ("directory_notes", "None"), ("retakes", "Yes")],
        ),
        # a page cut before its Credential Name: its first label opens a pair all the same
        (
            "Credential Vendor Info Alpha Inc.\nDirectory Notes None\n",
            [("vendor_info", "Alpha Inc."), ("directory_notes", "None")],
        ),
    ],
)
def test_a_glued_value_runs_to_the_next_label_and_the_last_label_ends_at_its_paragraph(text, pairs):
    assert _pairs(text) == pairs


def test_a_link_number_of_a_glued_dump_that_lists_its_links_is_no_text():
    text = (
        "Alpha Credential\n"
        "Credential Name Alpha Credential\n"
        "Credential Lifespan 5 years\n"
        "Directory Notes Print the certificate from the portal. [1]\n\n"
        "References\n\n"
        "   1. https://login.msscusa.org/login\n"
    )
    assert _pairs(text)[-1] == ("directory_notes", "Print the certificate from the portal.")


# A text browser's dump at 40 columns: each value wrapped where its next word would not fit.
WRAPPED_AT_40 = (
    "Alpha Credential\n"
    "Credential Name Alpha Credential\n"
    "Renewal Options Candidates renew every\n"
    "three years by passing the current exam\n"
    "or by earning sixty continuing education\n"
    "units through approved providers before\n"
    "the certificate expires on its printed\n"
    "date.\n"
    "Retakes A candidate who fails may retake\n"
    "the exam after a waiting period of\n"
    "thirty days and must pay the full fee\n"
    "again for each new attempt at the exam.\n"
    "Directory Notes None\n"
)


def test_the_lines_a_dump_wrapped_at_its_width_are_one_value():
    assert _pairs(WRAPPED_AT_40) == [
        ("credential_name", "Alpha Credential"),
        (
            "renewal_options",
            "Candidates renew every three years by passing the current exam or by earning sixty continuing "
            "education units through approved providers before the certificate expires on its printed date.",
        ),
        (
            "retakes",
            "A candidate who fails may retake the exam after a waiting period of thirty days and must pay the full "
            "fee again for each new attempt at the exam.",
        ),
        ("directory_notes", "None"),
    ]


MARKDOWN_BROKEN_CELLS = (
    "# 2024-2025 Credential Information\n\n## Microsoft Office Specialist Word Associate\n\n"
    "{header}|:------|:------|\n{name}"
    "| Credential Vendor Info | Certiport<br>support@certiport.com<br/>https://certiport.pearsonvue.com |\n"
    "| Cost of Instructor Training | $150.00<BR>with workshop<br>OR<br>$75.00<br />online only |\n"
    "| Directory Notes | None |\n"
)
NAME_ROW = "| Credential Name | Microsoft Office Specialist Word Associate |\n"


@pytest.mark.parametrize(
    ("header", "name"),
    [
        # the header row names the table's columns: no pair, no title, no second block
        ("| Label | Value |\n", NAME_ROW),
        # a converter's header made of the table's first row (html2text): a row of labels is that row
        (NAME_ROW, ""),
    ],
)
def test_a_markdown_tables_header_row_is_no_pair_and_its_br_tags_are_line_breaks(header, name):
    page = parse_text(MARKDOWN_BROKEN_CELLS.format(header=header, name=name))
    assert [block.title for block in page.blocks] == ["Microsoft Office Specialist Word Associate"]
    assert [(pair.label_raw, pair.value) for pair in page.blocks[0].pairs] == [
        ("Credential Name", "Microsoft Office Specialist Word Associate"),
        ("Credential Vendor Info", "Certiport\nsupport@certiport.com\nhttps://certiport.pearsonvue.com"),
        ("Cost of Instructor Training", "$150.00\nwith workshop\nOR\n$75.00\nonline only"),
        ("Directory Notes", "None"),
    ]


def test_a_br_tag_in_a_markdown_paragraph_is_a_line_break():
    page = parse_text(
        "# 2024-2025 Credential Information\n\n## Welding Basics\n\n"
        "**Credential Name:** Welding Basics  \n**Credential Vendor Info:** AWS<br>info@aws.org  \n"
        "**Directory Notes:** None\n"
    )
    assert [(pair.label_raw, pair.value) for pair in page.blocks[0].pairs] == [
        ("Credential Name:", "Welding Basics"),
        ("Credential Vendor Info:", "AWS\ninfo@aws.org"),
        ("Directory Notes:", "None"),
    ]


BOXED_ROWS = [
    [("Credential Name", "Revit Architecture Certified User")],
    [("Credential Vendor Info", "Autodesk | Pearson VUE"), ("", "https://www.autodesk.com/cert")],
    [
        ("SOC (Standard Occupational", "Drafters, All Other (17-3019)"),
        ("Classification) Code(s)", "Architectural Drafters (17-3011)"),
    ],
    [("Directory Notes", "None")],
]
BOXES = {  # corners and joints, the horizontal and the vertical line
    "box-drawing": ("┌┬┐├┼┤└┴┘", "─", "│"),
    "ascii": ("+++++++++", "-", "|"),
}


def _boxed(style: str) -> str:
    """A page as a text browser dumps a bordered table: cells 29 and 33 wide."""
    corners, across, bar = BOXES[style]

    def border(row: int) -> str:
        left, joint, right = corners[3 * row : 3 * row + 3]
        return f"{left}{across * 29}{joint}{across * 33}{right}"

    lines = [border(0)]
    for number, row in enumerate(BOXED_ROWS):
        lines += [f"{bar}{label:<29}{bar}{value:<33}{bar}" for label, value in row]
        lines.append(border(2 if number == len(BOXED_ROWS) - 1 else 1))
    return "2024-2025 Credential Information\n\nRevit Architecture Certified User\n\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("style", ["box-drawing", "ascii"])
def test_a_table_a_text_browser_drew_with_borders_is_read_by_its_columns(style):
    page = parse_text(_boxed(style))
    assert [(pair.label_raw, pair.value) for pair in page.blocks[0].pairs] == [
        ("Credential Name", "Revit Architecture Certified User"),
        ("Credential Vendor Info", "Autodesk | Pearson VUE\nhttps://www.autodesk.com/cert"),  # a bar in a cell is text
        (
            "SOC (Standard Occupational Classification) Code(s)",
            "Drafters, All Other (17-3019)\nArchitectural Drafters (17-3011)",
        ),
        ("Directory Notes", "None"),
    ]
    assert page.blocks[0].title == "Revit Architecture Certified User"


COPIED = (
    "Here is the page you asked for:\n\n2024-2025 Credential Information\n\nCertified Logistics Associate\n\n"
    "Credential Name\tCertified Logistics Associate\n"
    "Credential Vendor Info\tMSSC\n"
    "info@msscusa.org\n"
    "(703) 739-9000\n"
    "Delivery Format\tComputer-based\n"
    "Proctoring Vendor\tPearson VUE\t(since 2024)\n"
    "Cost of Instructor Training\t$150.00\n"
    "with workshop\n"
    "Directory Notes\tNone\n"
    "\nThanks,\n"
)


def test_a_table_copied_out_of_a_browser_is_read_by_its_tabs_and_a_cells_lines_stay_its_own():
    """A browser copies a table as a row a line, cells parted by a tab, a cell's line breaks as lines of their own."""
    page = parse_text(COPIED)
    assert [block.title for block in page.blocks] == ["Certified Logistics Associate"]
    assert [(pair.label_raw, pair.value, pair.key) for pair in page.blocks[0].pairs] == [
        ("Credential Name", "Certified Logistics Associate", "credential_name"),
        ("Credential Vendor Info", "MSSC\ninfo@msscusa.org\n(703) 739-9000", "vendor_info"),
        ("Delivery Format", "Computer-based", "delivery_format"),
        ("Proctoring Vendor", "Pearson VUE (since 2024)", None),  # a label no field names: drift, kept
        ("Cost of Instructor Training", "$150.00\nwith workshop", "instructor_training_cost"),
        ("Directory Notes", "None", "directory_notes"),
    ]


def test_two_border_lines_make_a_drawn_table_and_one_does_not():
    """text_markup.without_borders: two border lines are a table (their lines go, the bars at their corners'
    columns become spaces); a page with one such line keeps it and its bars."""
    from pipeline.read.text_markup import without_borders

    assert without_borders(["+---+---+", "|a  |b  |", "+---+---+"]) == [" a   b   "]
    assert without_borders(["+---+", "|a  |"]) == ["+---+", "|a  |"]


def test_three_rows_of_a_known_label_and_a_tab_lay_a_copied_table_out_at_its_longest_labels_width():
    """text_markup.without_tabs: three rows whose first cell (up to the first tab) is a known label make a copied
    table: each row's label is padded to the longest label cell + 2, a value's own tab is a space, a line after a
    row is its cell's (under the values) up to a blank line, and the lines before the first row stay as they are.
    Two such rows are no table: tabs are spaces up to the next tab stop."""
    from pipeline.read.text_markup import without_tabs

    lines = [
        "Copied:",
        "Credential Vendor Info\tAWS",
        "info@aws.org",
        "",
        "Delivery Format\tOnline\tproctored",
        "at a center",
        "Directory Notes\tNone",
        "",
        "Thanks,",
    ]
    assert without_tabs(lines) == [
        "Copied:",
        "Credential Vendor Info  AWS",
        "                        info@aws.org",
        "",
        "Delivery Format         Online proctored",
        "                        at a center",
        "Directory Notes         None",
        "",
        "Thanks,",
    ]
    assert without_tabs(["Credential Name\tX", "Directory Notes\tNone"]) == [
        "Credential Name X",
        "Directory Notes None",
    ]


@pytest.mark.parametrize(
    ("lines", "shown"),
    [
        (["AWS<br>info@aws.org"], ["AWS", "info@aws.org"]),  # a <br> outside a table: two lines
        (["| Credential Name | A<br>B |"], ["| Credential Name | A\nB |"]),  # in a table's row: its cell's break
        (["Welding Basics", "---", "Alpha"], ["Welding Basics", "Alpha"]),  # a heading's underline: no header row
        (["| Credential Name | X |", "| --- | --- |", "Next"], ["| Credential Name | X |", "Next"]),  # no wrap
    ],
)
def test_markdown_line_breaks_underlines_and_a_first_row_of_labels_are_read_as_shown(lines, shown):
    """text_markup.markdown_lines: a `<br>` is a line break (kept inside a table's row, where it is a cell's); a
    line above a `---` underline that is no table row stays; a first row holding a label stays, and the line
    after the table's rule is not joined to it."""
    from pipeline.read.text_markup import markdown_lines

    assert markdown_lines(lines) == shown


def test_a_markdown_page_cut_inside_a_label_keeps_the_cut_label_as_its_fragment():
    """parse_text: a Markdown page whose last line is the start of a label (a page cut off) gives that line as its
    label fragment, not as the last value's line."""
    page = parse_text(
        "# 2023-2024 Credential Information\n\n## ServSafe\n\n**Credential Name:** ServSafe  \n"
        "**Credential Vendor Info:** NRA  \nJill  \nCredential Auto Coll\n"
    )
    assert page.label_fragment == "Credential Auto Coll"
    assert [(pair.label_raw, pair.value) for pair in page.blocks[0].pairs] == [
        ("Credential Name:", "ServSafe"),
        ("Credential Vendor Info:", "NRA\nJill"),
    ]
