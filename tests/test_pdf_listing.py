"""The Credentials by Course listing's reader, in process: gutters of an unruled table, print marks, a row's
cells, a row broken by a page, the header's words. Words and cells are written by hand as pdfplumber gives them
(a word: text, x0, x1, top, bottom in points); every expected value is worked out by hand from them."""

from __future__ import annotations

import io
import random

import pdfplumber
import pytest
from fpdf import FPDF

from pipeline.read import pdf_listing


def _word(text: str, x0: float, x1: float, top: float, height: float = 10.0) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + height}


def _line(top: float, *words: tuple[str, float, float]) -> list[dict]:
    return [_word(text, x0, x1, top) for text, x0, x1 in words]


# An unruled listing: a title across the columns, the header (its `Course` reaching into the first gutter), two
# rows, a running footer. Codes end at 36, titles run 100-220 (a word space at 151-153), credentials 250-305.
TITLE = _line(0, ("Credentials", 10, 70), ("by", 73, 85), ("Course", 88, 130), ("2026-27", 133, 180))
HEADER = _line(20, ("Course", 10, 45), ("Title", 100, 125), ("Credential", 250, 300))
ROW_1 = _line(40, ("IM11", 10, 35), ("Advanced", 100, 150), ("Manufacturing", 154, 220), ("CPT", 250, 270))
ROW_2 = _line(60, ("BM10", 10, 36), ("Word", 100, 130), ("MOS", 250, 275), ("Word", 279, 305))
FOOTER = _line(100, ("Page", 10, 35), ("1", 39, 43), ("of", 47, 57), ("1", 61, 65))


@pytest.mark.parametrize(
    "lines, runs",
    [
        ([_line(0, ("a", 10, 30), ("b", 36, 50))], [(31, 36)]),  # white from 31 to 36: five points, half a line
        ([_line(0, ("a", 10, 30), ("b", 35, 50))], []),  # four points: a word space
        ([_line(0, ("a", 10, 30), ("b", 60, 80)), _line(20, ("c", 40, 50))], [(31, 40), (51, 60)]),  # every line
        ([ROW_1, ROW_2], [(37, 100), (221, 250)]),  # the word space inside `Advanced Manufacturing` is no run
    ],
    ids=["half a line", "a word space", "white down every line", "two rows"],
)
def test_a_run_of_white_space_is_at_least_half_a_line_wide_and_white_on_every_line(lines, runs):
    assert pdf_listing._white_runs(lines, 10.0) == runs


@pytest.mark.parametrize(
    "words, mark",
    [
        ([("of", 40), ("Page", 10), ("3", 55), ("2", 30)], True),  # `Page 2 of 3`, words in any order
        ([("11/30/26,", 10), ("9:05", 50), ("AM", 75), ("Credentials", 100), ("by", 160), ("Course", 175)], True),
        ([("Credentials", 10), ("by", 70), ("Course", 85), ("2/3", 500)], True),  # a page number at its end
        ([("©", 10), ("2026", 20), ("NC", 50), ("DPI", 65)], True),
        ([("11/30/26,", 10), ("9:05", 50), ("AM", 75), ("Listing", 100)], True),  # a date and a word
        ([("Page", 10), ("2", 40), ("of", 50), ("3", 65), ("Listing", 100)], True),  # all but its last word
        ([("Credentials", 10), ("by", 70), ("Course", 85), ("Page", 400), ("2", 430), ("of", 445), ("3", 460)], True),
        ([("IM11", 10), ("Manufacturing", 100), ("2", 250)], False),  # a bare number is no page number
        ([("BM10", 10), ("Word", 100), ("2026", 250)], False),
    ],
    ids=[
        "page of pages",
        "print date first",
        "page number last",
        "copyright",
        "date and a word",
        "page of pages first",
        "page of pages last",
        "a number",
        "a year",
    ],
)
def test_a_running_footer_opens_or_ends_with_a_print_mark(words, mark):
    line = [_word(text, x0, x0 + 20, 700) for text, x0 in words]
    assert pdf_listing._is_print_mark(line) is mark


def test_the_gutters_run_down_the_rows_and_the_header_but_not_the_title_or_the_footer():
    """The runs down both rows are 37-100 and 221-250; the title closes the first (its words a word space
    apart) and is left out; the header's `Course` (to 45) narrows it to 46-100; the footer (`Page 1 of 1`,
    10-65) would close it too, and is left out. Edges: the text's left (10), 73, 235.5, the rows' right (305)."""
    words = TITLE + HEADER + ROW_1 + ROW_2 + FOOTER
    assert pdf_listing._gutters(words, 10.0) == [10, 73.0, 235.5, 305]


@pytest.mark.parametrize(
    "words, gutters",
    [
        (TITLE + HEADER + ROW_1 + ROW_2, [10, 73.0, 235.5, 305]),  # no footer: the last row is a row
        (HEADER + ROW_1 + ROW_2 + _line(80, ("Total:", 10, 40), ("2", 100, 105)), [10, 73.0, 235.5, 305]),
        (TITLE + HEADER, []),  # no line opens with a course code: no table
        (_line(20, ("Course", 10, 45)) + _line(40, ("IM11", 10, 35)) + _line(60, ("BM10", 10, 36)), []),  # one column
        (  # a title wider than the rows: the right edge is the widest word's
            _line(0, ("Credentials", 10, 70), ("by", 73, 85), ("Course,", 88, 130), ("schools", 133, 400))
            + ROW_1 + ROW_2,
            [10, 68.5, 235.5, 400],
        ),
        (  # lines 12 points apart, 2 of white between them: still three lines; runs 37-250, 46-250 with the header
            _line(0, ("Course", 10, 45), ("Credential", 250, 300))
            + _line(12, ("IM11", 10, 35), ("CPT", 250, 270))
            + _line(24, ("BM10", 10, 36), ("MOS", 250, 275)),
            [10, 148.0, 300],
        ),
        (  # a third row's credential from 235: the run 221-235; the footer under it is no row
            HEADER + ROW_1 + ROW_2 + _line(80, ("FH13", 10, 36), ("Culinary", 100, 140), ("ServSafe", 235, 280))
            + FOOTER,
            [10, 73.0, 228.0, 305],
        ),
    ],
    ids=["no footer", "a last line of its own", "no row", "one column", "a wide title", "tight lines", "three rows"],
)  # fmt: skip
def test_the_gutters_of_other_unruled_tables(words, gutters):
    assert pdf_listing._gutters(words, 10.0) == gutters


class _WordsPage:
    def __init__(self, words: list[dict]) -> None:
        self.words = words

    def extract_words(self) -> list[dict]:
        return list(self.words)


def test_an_unruled_table_s_rows_are_bands_of_text_and_a_wrapped_cell_stays_in_its_row():
    """`Certified Production` wraps in row 1 (its second line 3 points below the first, 30% of a line): one
    band. Bands: the header -0.5 to 10.5, row 1 19.5 to 43.5, row 2 49.5 to 60.5. Gutters: 73 (the header's
    `Course` narrows 37-100 to 46-100) and 208 (166-250)."""
    words = [
        *_line(0, ("Course", 10, 45), ("Title", 100, 125), ("Credential", 250, 300)),
        *_line(20, ("IM11", 10, 35), ("Manufacturing", 100, 165), ("Certified", 250, 290)),
        _word("Production", 250, 300, 33),  # 3 points below `Certified`: 30% of a line, not more
        *_line(50, ("BM10", 10, 36), ("Word", 100, 130), ("MOS", 250, 275)),
    ]
    random.Random(7).shuffle(words)  # the page's words in content-stream order, not by position
    assert pdf_listing._unruled(_WordsPage(words)) == {
        "horizontal_strategy": "explicit",
        "explicit_horizontal_lines": [-0.5, 10.5, 19.5, 43.5, 49.5, 60.5],
        "vertical_strategy": "explicit",
        "explicit_vertical_lines": [10, 73.0, 208.0, 300],
    }


def test_an_unruled_table_s_bands_and_gutters_are_measured_by_the_median_word_height():
    """Five words 10 high, three 6 high (a caption in small print): the median is 10 (not 6). A wrapped line
    2 points below its row stays in it (gap 3, not 1.8); the caption's 3-point space between `Updated` and
    `list` is a word space (a run is 5 wide, not 3), so the only run is 76-250 and the gutter 163."""
    words = [
        *_line(0, ("Course", 10, 45), ("Credential", 250, 300)),
        *_line(20, ("IM11", 10, 35), ("Certified", 250, 290)),
        _word("Production", 250, 300, 32),
        *[_word(text, x0, x1, 50, 6) for text, x0, x1 in [("Updated", 10, 40), ("list", 44, 60), ("2026", 62, 75)]],
    ]
    assert pdf_listing._unruled(_WordsPage(words)) == {
        "horizontal_strategy": "explicit",
        "explicit_horizontal_lines": [-0.5, 10.5, 19.5, 42.5, 49.5, 56.5],
        "vertical_strategy": "explicit",
        "explicit_vertical_lines": [10, 163.0, 300],
    }


def test_an_unruled_page_without_words_or_without_gutters_falls_back_to_pdfplumber_s_text_strategy():
    assert pdf_listing._unruled(_WordsPage([])) == {"vertical_strategy": "text", "horizontal_strategy": "text"}
    one_column = _line(0, ("Course", 10, 45)) + _line(20, ("IM11", 10, 35)) + [_word("BM10", 10, 36, 40, 30)]
    assert pdf_listing._unruled(_WordsPage(one_column)) == {
        "horizontal_strategy": "explicit",  # heights 10, 10, 30: the middle one, 10, sets the gap (3 points)
        "explicit_horizontal_lines": [-0.5, 10.5, 19.5, 30.5, 39.5, 70.5],
        "vertical_strategy": "text",
    }


COLUMNS = {"course_code": 0, "course_title": 1, "credential_name": 2}


@pytest.mark.parametrize(
    "cells, row, continues",
    [
        (["IM11", "Manufacturing", "CPT"], True, False),
        (["IM11", "Manufacturing", None], False, False),  # no credential
        ([None, "Manufacturing", "CPT"], False, True),  # no course: the rest of the row before it
        ([None, None, "Plus"], False, True),
        (["", " ", None], False, False),  # nothing at all
        (["* Courses marked", "", "see notes"], False, False),  # a footnote under the table
        (["† Pilot", "", "see notes"], False, False),
        (["Note: codes", "", "see notes"], False, False),
        ([None, "Source: NCDPI", None], False, False),  # a note in another cell is no continuation
        ([None, "Advanced", "* marked"], False, False),
        (["IM11"], False, False),  # a short row: the credential cell is missing
    ],
    ids=["row", "no credential", "continues", "one cell", "empty", "star", "dagger", "note", "source", "mark", "short"],
)
def test_a_row_has_a_course_and_a_credential_and_a_row_without_a_course_continues_the_last(cells, row, continues):
    assert pdf_listing._is_row(cells, COLUMNS) is row
    assert pdf_listing._continues(cells, COLUMNS) is continues


@pytest.mark.parametrize(
    "before, after, joined",
    [("CPT", "Plus", "CPT Plus"), (None, "Plus", "Plus"), ("CPT", " ", "CPT"), (None, None, None), (" ", "", None)],
)
def test_a_broken_cell_is_joined_to_its_rest_by_one_space(before, after, joined):
    assert pdf_listing._joined(before, after) == joined


@pytest.mark.parametrize(
    "cells, index, text",
    [(["Certified\n Production  Technician "], 0, "Certified Production Technician"), (["CPT"], 1, None),
     (["CPT"], None, None), ([None], 0, None), (["  \n"], 0, None)],
)  # fmt: skip
def test_a_cell_s_text_has_its_white_space_folded_and_a_missing_cell_is_none(cells, index, text):
    assert pdf_listing._cell(cells, index) == text


@pytest.mark.parametrize(
    "cells, columns, row",
    [
        (  # code and title in one cell, a flag with its reason
            ["IM11 - Advanced Manufacturing I", "CPT", "Yes, Perkins V"],
            {"course_code": 0, "course_title": 0, "credential_name": 1, "federal_reporting": 2},
            ("IM11", "Advanced Manufacturing I", "CPT", True),
        ),
        (  # a title column of its own wins over the words after the code
            ["IM11 Manufacturing", "Advanced Manufacturing I", "CPT", "no."],
            {"course_code": 0, "course_title": 1, "credential_name": 2, "federal_reporting": 3},
            ("IM11", "Advanced Manufacturing I", "CPT", False),
        ),
        (  # an empty title column: the words after the code
            ["IM11: Manufacturing", "", "CPT", "N/A"],
            {"course_code": 0, "course_title": 1, "credential_name": 2, "federal_reporting": 3},
            ("IM11", "Manufacturing", "CPT", None),
        ),
        (["IM11", "CPT"], {"course_code": 0, "credential_name": 1}, ("IM11", None, "CPT", None)),  # code alone
        (  # a code-and-title cell holding no code: the cell as the code (validation rejects it), no title
            ["Welding Technology I", "AWS"],
            {"course_code": 0, "course_title": 0, "credential_name": 1},
            ("Welding Technology I", None, "AWS", None),
        ),
    ],
    ids=["one cell", "title column", "empty title", "code only", "no code"],
)
def test_a_listing_row_s_fields_from_its_cells(cells, columns, row):
    keys = ("course_code", "course_title", "credential_name", "federal_reporting")
    assert pdf_listing._listing_row(cells, columns) == dict(zip(keys, row, strict=True))


@pytest.mark.parametrize(
    "cells, columns",
    [
        (["Course Code", "Title", "Credential"], {"course_code": 0, "course_title": 1, "credential_name": 2}),
        (  # a code-and-title header first: a later code header does not move the code
            ["Course Number and Title", "Course Code", "Credential"],
            {"course_code": 0, "course_title": 0, "credential_name": 2},
        ),
        (  # a code header first: the code-and-title header gives only the title
            ["Course Code", "Course Number and Title", "Credential"],
            {"course_code": 0, "course_title": 1, "credential_name": 2},
        ),
        (["Credential", "Course", "Certification", None], {"credential_name": 0, "course_code": 1}),  # first wins
        (["Course", "Credential " + "x" * 69], {"course_code": 0, "credential_name": 1}),  # 80 characters
        (["Course", "Credential " + "x" * 70], None),  # 81: a sentence, no header
        (["Course", "Credential", "Y"], None),  # a bare flag: a data row
    ],
    ids=["plain", "code and title first", "code first", "first wins", "80 characters", "81", "a flag"],
)
def test_a_header_row_names_each_column_once_by_its_first_cell(cells, columns):
    assert pdf_listing._header_columns(cells) == columns


@pytest.mark.parametrize(
    "lines, labels, worth",
    [
        (["Credentials by Course", "Course Code Title Credential"], 0, True),
        (["Course Code Title Credential"], 4, True),
        (["Course Code Title Credential"], 5, False),  # a printed credential page spells its labels
        (["Course Title Description"], 0, False),  # no credential column
        (["Credential Name"], 0, False),  # no course column
        (["", "--"], 0, False),
        (["Course Code Credential " + "word " * 13], 0, True),  # sixteen words
        (["Course Code Credential " + "word " * 14], 0, False),  # seventeen: a sentence
    ],
    ids=["listing", "four labels", "five labels", "no credential", "no course", "no words", "16 words", "17 words"],
)
def test_a_document_may_be_the_listing_when_a_short_line_names_a_course_and_a_credential_column(lines, labels, worth):
    assert pdf_listing.may_be_listing(lines, labels) is worth


@pytest.mark.parametrize("header", ["Pass Rate", "Exam Fee", "Career Cluster", "Grade Level", "Notes"])
def test_a_header_naming_no_listing_column(header):
    """`Rate` holds r, a, t, e in the order of `certificate` and ends as it does, but does not begin as it does:
    no short form of it."""
    assert pdf_listing.header_column(header) is None


class _TwoPassPage:
    """A page whose ruled pass (pdfplumber's default settings, `{}`) and unruled pass give different tables."""

    def __init__(self, ruled: list, unruled: list) -> None:
        self.ruled, self.unruled = ruled, unruled

    def extract_tables(self, settings: dict) -> list:
        return self.ruled if settings == {} else self.unruled

    def extract_words(self) -> list[dict]:
        return []


class _Pdf:
    def __init__(self, *pages) -> None:
        self.pages = list(pages)


WITHOUT_CODES = [[["Course Number and Title", "Credential"], ["Advanced Manufacturing I", "CPT"]]]
WITH_CODES = [[["Course", "Credential"], ["IM11", "CPT"]]]
HEADER_ONLY = [[["Course", "Credential"]]]
IM11 = [{"course_code": "IM11", "course_title": None, "credential_name": "CPT", "federal_reporting": None}]


@pytest.mark.parametrize(
    "ruled, unruled, rows",
    [
        (WITH_CODES, [], IM11),  # the ruled pass is enough
        (WITHOUT_CODES, WITH_CODES, IM11),  # rows naming no course code: the unruled pass
        (WITHOUT_CODES, WITHOUT_CODES, None),  # a credential page's `Course Number and Title` row is no header
        (HEADER_ONLY, HEADER_ONLY, []),  # the header and no row: a listing with no rows
        (HEADER_ONLY, [], []),  # the ruled pass found the header alone, the unruled pass no table
        (WITHOUT_CODES, HEADER_ONLY, []),
        ([], [], None),  # no table
    ],
    ids=[
        "ruled",
        "unruled",
        "no course codes",
        "no rows",
        "header in the ruled pass",
        "header in the unruled pass",
        "no table",
    ],
)
def test_the_listing_is_the_first_pass_whose_rows_name_a_course_code(ruled, unruled, rows):
    assert pdf_listing.listing(_Pdf(_TwoPassPage(ruled, unruled))) == rows


def _printed(lines: list[tuple[float, list[tuple[float, str]]]]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for y, cells in lines:
        for x, text in cells:
            pdf.text(x, y, text)
    return bytes(pdf.output())


def test_a_header_word_reaching_into_a_gutter_is_not_cut_by_it():
    """Printed without rules: `Credential Name` starts in the white space between the titles (to about 70 mm)
    and the credentials (115 mm). The gutter was once drawn through `Credential` (`Title C` | `redential Name`):
    no column named a credential and the listing was lost."""
    data = _printed(
        [
            (15, [(10, "Credentials by Course, 2026-27 school year, all clusters")]),
            (25, [(10, "Course"), (40, "Title"), (88, "Credential Name")]),
            (32, [(10, "IM11"), (40, "Manufacturing I"), (115, "CPT")]),
            (39, [(10, "BM10"), (40, "Microsoft Word"), (115, "MOS Word")]),
            (46, [(10, "FH13"), (40, "Culinary Arts"), (115, "ServSafe")]),
        ]
    )
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        rows = pdf_listing.listing(pdf)
    assert [(row["course_code"], row["course_title"], row["credential_name"]) for row in rows] == [
        ("IM11", "Manufacturing I", "CPT"),
        ("BM10", "Microsoft Word", "MOS Word"),
        ("FH13", "Culinary Arts", "ServSafe"),
    ]


def _ruled_header_only() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(10, 15, "Credentials by Course, 2026-27")
    pdf.set_xy(10, 25)
    for width, text in [(30, "Course Code"), (60, "Course Title"), (80, "Credential Name")]:
        pdf.cell(width, 8, text, border=1)
    return bytes(pdf.output())


def test_a_ruled_listing_printed_with_its_header_and_no_row_is_a_listing_with_no_rows(tmp_path):
    """The ruled pass finds the header's three cells and no row; the unruled pass finds no table (no line opens
    with a course code). It was read as a printed page and reported cut inside a title."""
    from pipeline.extract import extract

    with pdfplumber.open(io.BytesIO(_ruled_header_only())) as pdf:
        assert pdf_listing.listing(pdf) == []
    folder = tmp_path / "raw" / "2026-2027" / "pdf"
    folder.mkdir(parents=True)
    (folder / "listing.pdf").write_bytes(_ruled_header_only())
    result = extract(tmp_path / "raw", tmp_path / "out")
    assert result.summary["unreadable"] == {"2026-2027/pdf/listing.pdf": "Credentials by Course listing with no rows"}


def test_a_row_broken_by_a_page_is_the_last_row_and_keeps_its_cells_when_its_rest_has_fewer():
    """Page 1 ends with three rows; page 2's table (its last, empty column not found) opens with the rest of
    IM13's credential in three cells: joined to IM13, not to another row, and IM13 keeps its flag."""
    page_1 = [
        ["Course Code", "Course Title", "Credential Name", "Federal Reporting?"],
        ["IM11", "Manufacturing I", "CPT", "Yes"],
        ["IM12", "Manufacturing II", "CPT Safety", "No"],
        ["IM13", "Manufacturing III", "CPT", "Yes"],
    ]
    page_2 = [[None, None, "Maintenance Awareness"], ["BM10", "Microsoft Word", "MOS Word"]]
    pages = [_TwoPassPage([page_1], []), _TwoPassPage([page_2], [])]
    rows = pdf_listing.listing(_Pdf(*pages))
    assert [tuple(row.values()) for row in rows] == [
        ("IM11", "Manufacturing I", "CPT", True),
        ("IM12", "Manufacturing II", "CPT Safety", False),
        ("IM13", "Manufacturing III", "CPT Maintenance Awareness", True),
        ("BM10", "Microsoft Word", "MOS Word", None),
    ]
