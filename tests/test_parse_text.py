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
