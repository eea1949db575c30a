"""HTML pages in every markup shape give the same label/value pairs as the text renderings."""

from __future__ import annotations

import pytest

from pipeline.read.blocks import Pair
from pipeline.read.html import parse_html
from pipeline.read.text import parse_text

PAIRS = [
    ("Credential Name", "BLS Provider"),
    ("Credential Vendor Info", "AHA BLS CPR\nhttps://www.cpr.heart.org/en/cpr"),
    ("Multilingual Resources*", "Yes\nEnglish and Spanish"),
    ("Directory Notes", "None"),
]
HEAD = "<html><body><h2>2023-2024 Credential Information</h2>"
TAIL = "</body></html>"


def _table(pairs):
    rows = "".join(f"<tr><td>{label}</td><td>{value.replace(chr(10), '<br>')}</td></tr>" for label, value in pairs)
    return f"<h3>BLS Provider</h3><table>{rows}</table>"


def _dl(pairs):
    items = "".join(f"<dt>{label}</dt><dd>{value.replace(chr(10), '<br/>')}</dd>" for label, value in pairs)
    return f"<h3>BLS Provider</h3><dl>{items}</dl>"


def _divs(pairs):
    rows = "".join(
        f"<div class='row'><div class='col'>{label}</div><div class='col'>{value.replace(chr(10), '<br>')}</div></div>"
        for label, value in pairs
    )
    return f"<h3>BLS Provider</h3><div class='grid'>{rows}</div>"


def _bold(pairs):
    body = "<br>".join(f"<strong>{label}</strong> {value.replace(chr(10), '<br>')}" for label, value in pairs)
    return f"<h3>BLS Provider</h3><p>{body}</p>"


@pytest.mark.parametrize("shape", [_table, _dl, _divs, _bold])
def test_every_markup_shape_gives_the_same_pairs(shape):
    page = parse_html(HEAD + shape(PAIRS) + TAIL)
    assert page.school_year == "2023-2024"
    assert [block.title for block in page.blocks] == ["BLS Provider"]
    assert [(p.label_raw, p.value) for p in page.blocks[0].pairs] == PAIRS
    assert page.blocks[0].complete


@pytest.mark.agreement
def test_html_and_glued_text_of_one_page_agree():
    glued = "2023-2024 Credential Information\n\nBLS Provider\n\n" + "\n".join(label + v for label, v in PAIRS)
    html_pairs = [(p.key, p.value) for p in parse_html(HEAD + _table(PAIRS) + TAIL).blocks[0].pairs]
    text_pairs = [(p.key, p.value) for p in parse_text(glued).blocks[0].pairs]
    assert html_pairs == text_pairs


def test_star_in_sup_and_th_labels_match():
    page = parse_html(
        HEAD + "<h3>X</h3><table><tr><th>Credential Name</th><td>X</td></tr>"
        "<tr><th>Multilingual  Resources<sup>*</sup></th><td>No</td></tr></table>" + TAIL
    )
    assert [p.key for p in page.blocks[0].pairs] == ["credential_name", "multilingual"]


def test_unknown_row_in_a_label_table_is_drift_not_dropped():
    page = parse_html(HEAD + _table(PAIRS[:2] + [("Practice Test Provider", "Precision Exams")]) + TAIL)
    assert page.blocks[0].pairs[-1] == Pair("Practice Test Provider", "Precision Exams", None)


def test_link_target_is_kept_when_its_text_hides_it():
    page = parse_html(
        HEAD + "<h3>X</h3><table><tr><td>Credential Name</td><td>X</td></tr><tr>"
        "<td>Student Accommodations</td><td>Yes<br><a href='https://example.org/a.pdf'>Handbook</a>"
        "</td></tr></table>" + TAIL
    )
    assert page.blocks[0].value("accommodations") == "Yes\nHandbook https://example.org/a.pdf"


def test_course_page_gives_one_block_per_credential_with_titles():
    second = [("Credential Name", "CPR"), ("Directory Notes", "None")]
    page = parse_html(HEAD + _table(PAIRS) + _table(second).replace("BLS Provider", "CPR") + TAIL)
    assert [block.title for block in page.blocks] == ["BLS Provider", "CPR"]
    assert all(block.complete for block in page.blocks)


def test_draft_warning_is_found():
    page = parse_html(
        HEAD
        + "<p><b>WARNING: This information is considered DRAFT until August 22, 2025.</b></p>"
        + _table(PAIRS)
        + TAIL
    )
    assert page.is_draft


def test_markup_cut_inside_the_table_keeps_what_is_whole():
    cut = HEAD + _table(PAIRS)[:-40]
    page = parse_html(cut)
    assert page.blocks[0].title == "BLS Provider"
    assert not page.blocks[0].complete
    assert page.blocks[0].value("credential_name") == "BLS Provider"


def test_labels_written_with_a_colon_are_still_labels():
    pairs = [(f"{label}:", value) for label, value in PAIRS]
    page = parse_html(HEAD + _table(pairs) + TAIL)
    assert [(p.key, p.value) for p in page.blocks[0].pairs] == [
        ("credential_name", "BLS Provider"),
        ("vendor_info", "AHA BLS CPR\nhttps://www.cpr.heart.org/en/cpr"),
        ("multilingual", "Yes\nEnglish and Spanish"),
        ("directory_notes", "None"),
    ]
    glued = "2023-2024 Credential Information\n\nBLS Provider\n\nCredential Name: BLS Provider\nRetakes:Yes\n"
    assert [(p.key, p.value) for p in parse_text(glued).blocks[0].pairs] == [
        ("credential_name", "BLS Provider"),
        ("retakes", "Yes"),
    ]
