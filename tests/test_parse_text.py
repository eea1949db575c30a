"""Text renderings read by their converter's marks (pipeline/read/text.py, text_markup.py); values by hand."""

from __future__ import annotations

from pipeline.read.text import parse_text

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
