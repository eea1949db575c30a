"""PDFs printed by headless Chromium (tools/make_pdfs.py) read back into the same rows as their HTML.

These prove agreement between two renderings, not correctness: a mistake shared
by the HTML and PDF readers passes here. Correctness comes from the hand-written
expectations in test_answers_from_the_page.py, test_golden_seed.py and test_survivors.py.
"""

from __future__ import annotations

import io
import shutil

import pytest

from pipeline.extract import extract
from pipeline.parse import read_document
from pipeline.read.documents import DocumentError, DocumentRef, discover, named_by_printed_url
from pipeline.read.pdf import _page_words, parse_pdf
from pipeline.read.pdf_listing import listing_of
from pipeline.read.pdf_pages import Word, events, labels_spelled
from pipeline.tables.rows import label_value_rows
from tests.conftest import FIXTURES, REPO
from tools.make_pdfs import PRINTED, listing_rows

YEAR_DIR = REPO / "raw" / "2023-2024"
REFS = {ref.rel_path: ref for ref in discover(REPO / "raw")}
PROVENANCE = {"source_format", "source_path", "source_sha256"}


def _result(rel: str):
    return read_document(REFS[f"2023-2024/{rel}"])


def _without(rows: list[dict], keys=("source_path",)) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in keys} for row in rows]


@pytest.mark.parametrize("kind, id_", PRINTED)
@pytest.mark.agreement
def test_printed_page_gives_the_same_label_values_as_its_html(kind, id_):
    pdf, html = _result(f"pdf/{kind}_{id_}.pdf"), _result(f"html/{kind}_{id_}.html")
    keys = ("source_path",)
    assert _without(label_value_rows(pdf.label_values), keys) == _without(label_value_rows(html.label_values), keys)


@pytest.mark.parametrize("kind, id_", PRINTED)
@pytest.mark.agreement
def test_printed_page_gives_the_same_credentials_column_by_column(kind, id_):
    pdf, html = _result(f"pdf/{kind}_{id_}.pdf"), _result(f"html/{kind}_{id_}.html")
    assert len(pdf.credentials) == len(html.credentials) >= 1
    for printed, source in zip(pdf.credentials, html.credentials, strict=False):
        for column, value in source.credential.items():
            if column not in PROVENANCE:
                assert printed.credential[column] == value, column
        assert printed.credential["source_format"] == "pdf"
        for table, rows in source.children.items():
            assert _without(printed.children[table]) == _without(rows), table


def test_value_wrapped_over_lines_and_a_page_break_is_joined_back():
    pdf = _result("pdf/credential_1118.pdf")
    pairs = {row["label"]: row["value"] for row in label_value_rows(pdf.label_values)}
    # Printed over pages 1 and 2, and wrapped inside the page: one value again.
    assert pairs["Sequencing"] == (
        "Yes\nThe Manufacturing Skill Standards Council (MSSC) provides training and exams "
        "for stackable certifications and is an integral part of numerous certification "
        "pathways."
    )
    assert pairs["Student Accommodations"].endswith("CPT-Candidate-Handbook_v15-Online-12.2020-1.pdf")


def test_credentials_by_course_listing_comes_out_row_for_row():
    content = parse_pdf((YEAR_DIR / "pdf" / "credentials_by_course.pdf").read_bytes())
    expected = [
        {"course_code": c, "course_title": t, "credential_name": n, "federal_reporting": f == "Yes"}
        for c, t, n, f in listing_rows()
    ]
    assert content.pages >= 2 and len(expected) >= 20
    assert content.listing == expected
    assert content.listing_year == "2023-2024"


def test_listing_becomes_course_credentials_and_is_cross_checked(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(YEAR_DIR, raw / "2023-2024")
    result = extract(raw, tmp_path / "out")
    listing = result.tables["course_credentials"]
    assert len(listing) == len(listing_rows())
    row = listing[listing.course_code == "IM11"].iloc[0]
    assert (row.credential_slug, row.federal_reporting) == (
        "certified-production-technician-cpt-maintenance-awareness",
        True,
    )
    assert result.summary["course_cross_check"] == [
        "2023-2024 BM20 / microsoft-office-specialist-excel: in Credentials by Course, not on the credential's page",
        "2023-2024 IC21 / osha-10-hour-general-industry: on the credential's page, not in Credentials by Course",
    ]


@pytest.mark.parametrize(
    "name, cause",
    [
        ("encrypted.pdf", "encrypted PDF (a password is required)"),
        ("corrupt.pdf", "corrupt PDF"),
        ("scan.pdf", "no text layer (a scan?); OCR is out of scope"),
    ],
)
def test_unreadable_pdfs_are_reported_by_cause(name, cause):
    with pytest.raises(DocumentError, match=cause.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        parse_pdf((FIXTURES / "pdf" / name).read_bytes())


def test_unreadable_pdf_is_skipped_and_the_run_goes_on(tmp_path):
    raw = tmp_path / "raw" / "2023-2024" / "pdf"
    raw.mkdir(parents=True)
    shutil.copy(FIXTURES / "pdf" / "encrypted.pdf", raw / "listing.pdf")
    shutil.copy(YEAR_DIR / "pdf" / "credential_1264.pdf", raw / "credential_1264.pdf")
    result = extract(tmp_path / "raw", tmp_path / "out")
    assert list(result.summary["unreadable"]) == ["2023-2024/pdf/listing.pdf"]
    assert list(result.tables["credentials"]["credential_name"]) == ["CompTIA Network+"]


def test_printed_footer_url_names_the_credential_without_a_manifest(tmp_path):
    path = tmp_path / "printout.pdf"
    shutil.copy(YEAR_DIR / "pdf" / "credential_1264.pdf", path)
    result = read_document(DocumentRef(str(path), "2023-2024/pdf/printout.pdf", "pdf", "2023-2024", None, None, None))
    assert result.credentials[0].credential["cred_id"] == 1264


@pytest.mark.parametrize("kind, id_", PRINTED)
@pytest.mark.agreement
def test_untagged_print_still_gives_the_same_typed_rows(monkeypatch, kind, id_):
    """Without marked content (other browsers), breaks are told by geometry alone: free text may differ in
    where a line break stands, so typed columns are compared where line breaks do not matter."""
    from pipeline.read import pdf as module

    monkeypatch.setattr(module.Word, "same_run", lambda self, other: None)
    pdf, html = _result(f"pdf/{kind}_{id_}.pdf"), _result(f"html/{kind}_{id_}.html")
    line_break_bound = {"vendor_name"}  # the first line: a break before a word too long to fit is ambiguous
    for printed, source in zip(pdf.credentials, html.credentials, strict=False):
        for column, value in source.credential.items():
            if column not in PROVENANCE | line_break_bound:
                assert printed.credential[column] == value, column
        for table, rows in source.children.items():
            assert _without(printed.children[table]) == _without(rows), table


def test_link_whose_text_hides_its_target_keeps_the_target():
    from pipeline.read.html import parse_html

    printed = parse_pdf((FIXTURES / "pdf" / "credential_1301_link.pdf").read_bytes()).page
    source = parse_html((FIXTURES / "pdf" / "credential_1301_link.html").read_text())
    expected = "Yes\nAccommodations handbook https://cpr.heart.org/en/accommodations.pdf"
    assert printed.blocks[0].value("accommodations") == source.blocks[0].value("accommodations") == expected


# The listing's columns by the words their headers contain, written by hand: any case, order, punctuation and
# extra words; spellings no list in the code holds.
HEADERS = [
    ("Course Number", "course_code"),
    ("Course #", "course_code"),
    ("Crs. No.", "course_code"),
    ("COURSES", "course_code"),
    ("Course Title", "course_title"),
    ("Title of the Course", "course_title"),
    ("Course Description", "course_title"),
    ("Course Number and Title", "course"),
    ("COURSE CODE AND TITLE", "course"),
    ("Industry-Recognized Credential", "credential_name"),
    ("Credential Name", "credential_name"),
    ("Name of Credential", "credential_name"),
    ("Certification Earned", "credential_name"),
    ("CREDENTIAL / LICENSE", "credential_name"),
    ("Perkins V Reportable?", "federal_reporting"),
    ("Counts toward Federal", "federal_reporting"),
    ("Federal Reporting (Y/N)", "federal_reporting"),
    ("Cred. Title (Industry)", "credential_name"),  # short forms: cut after the first letters, or contracted
    ("Crse #", "course_code"),
    ("Desc.", "course_title"),
    ("Certs Offered", "credential_name"),
    ("Can Earn", None),  # a short word is a word of its own, not `certification` cut short
    ("Career Cluster", None),
    ("Notes", None),
]


@pytest.mark.parametrize("header, column", HEADERS)
def test_a_listing_column_is_named_by_the_words_of_its_header(header, column):
    from pipeline.read.pdf_listing import header_column

    assert header_column(header) == column


def test_a_data_row_is_never_a_header_whatever_words_its_cells_hold():
    from pipeline.read.pdf_listing import _header_columns

    assert _header_columns(["Course", "Course Title", "Industry Credential", "Federal"]) == {
        "course_code": 0,
        "course_title": 1,
        "credential_name": 2,
        "federal_reporting": 3,
    }
    assert _header_columns(["FH13", "Culinary Arts", "ProStart National Certificate", "No"]) is None
    assert _header_columns(["Course Code and Title", "Certification", "No"]) is None


def _word(text: str, x0: float, top: float, size: float = 11.0) -> Word:
    return Word(text, x0, x0 + len(text) * size * 0.55, top, size, 0)


def _pairs(words: list[Word]) -> list[tuple[str, str]]:
    """The (label, value) pairs the page reader gives for these words (one page, 560 pt wide)."""
    return [(event.label_raw, event.value) for event in events(words, [], 560) if hasattr(event, "value")]


def test_a_label_word_wider_than_its_cell_stays_in_the_label():
    """A report generator that never cuts a word lets `Accommodations` run past its 1.1 in label cell, under
    the row's value (`Yes`, beside `Student`): positions as reportlab printed them, 11 pt."""
    words = [
        *(_word("Retakes", 60, 240), _word("Yes", 139, 240)),
        *(_word("Student", 60, 272), _word("Accommodations", 60, 286), _word("Yes", 139, 272)),
        *(_word("Multilingual", 60, 306), _word("Resources*", 60, 319), _word("No", 139, 306)),
    ]
    pairs = _pairs(words)
    assert pairs == [("Retakes", "Yes"), ("Student Accommodations", "Yes"), ("Multilingual Resources*", "No")]


def test_a_label_wrapped_in_its_cell_by_a_producer_writing_line_by_line_is_one_label():
    """fpdf2 writes a row line by line: the label's first line, the value's first line, then the label's next
    line under its first (`Credential` / value / `Name`); positions as it printed them, 1.1 in labels, 11 pt."""
    words = [
        *(_word("Credential", 59, 306), _word("Alpha", 138, 306), _word("Credential", 170, 306)),
        _word("Name", 59, 317),
        *(_word("Credential", 59, 329), _word("Alpha", 138, 329), _word("Inc.", 170, 329)),
        *(_word("Vendor", 59, 340), _word("https://alpha.example.org/", 138, 340)),
        _word("Info", 59, 351),
        *(_word("Credential", 59, 363), _word("Yes", 138, 363)),
        *(_word("Auto", 59, 374), _word("Collect", 85, 374)),
    ]
    pairs = _pairs(words)
    assert pairs == [
        ("Credential Name", "Alpha Credential"),
        ("Credential Vendor Info", "Alpha Inc.\nhttps://alpha.example.org/"),
        ("Credential Auto Collect", "Yes"),
    ]


def test_a_wrapped_label_s_next_line_wider_than_its_cell_stays_in_the_label():
    """fpdf2, line by line: `Student` / `Yes` / `Accommodations` under `Student`, running past the 1.1 in cell."""
    words = [
        *(_word("Retakes", 59, 306), _word("Yes", 138, 306)),
        *(_word("Student", 59, 329), _word("Yes", 138, 329)),
        _word("Accommodations", 59, 340),
        *(_word("Multilingual", 59, 363), _word("No", 138, 363)),
        _word("Resources*", 59, 374),
    ]
    pairs = _pairs(words)
    assert pairs == [("Retakes", "Yes"), ("Student Accommodations", "Yes"), ("Multilingual Resources*", "No")]


def test_a_label_wider_than_its_cell_under_its_value_opens_its_row():
    """fpdf2, 1.1 in labels at 11 pt: `Implementation` runs past its cell, under `Before 2022-2023` beside it."""
    words = [
        *(_word("Credential", 41, 113), _word("Alpha", 120, 113), _word("Credential", 152, 113)),
        _word("Name", 41, 127),
        *(_word("Implementation", 41, 142), _word("Before", 120, 142), _word("2022-2023", 155, 142)),
        _word("Year", 41, 156),
        *(_word("Retakes", 41, 170), _word("No", 120, 170)),
    ]
    pairs = _pairs(words)
    assert pairs == [
        ("Credential Name", "Alpha Credential"),
        ("Implementation Year", "Before 2022-2023"),
        ("Retakes", "No"),
    ]


def test_a_label_wrapped_line_by_line_goes_on_after_a_page_break():
    """fpdf2 on a short page: `Credential` and its value `No` end page 1, `Auto` / `Collect` open page 2."""
    words = [
        *(_word("Credential", 41, 113), _word("Alpha", 120, 113), _word("Credential", 152, 113)),
        _word("Name", 41, 127),
        *(_word("Credential", 41, 242), _word("No", 120, 242)),
        Word("Auto", 41, 41 + 4 * 6, 36, 11.0, 1),
        Word("Collect", 41, 41 + 7 * 6, 50, 11.0, 1),
        Word("Retakes", 41, 41 + 7 * 6, 65, 11.0, 1),
        Word("Yes", 120, 120 + 3 * 6, 65, 11.0, 1),
    ]
    pairs = _pairs(words)
    assert pairs == [("Credential Name", "Alpha Credential"), ("Credential Auto Collect", "No"), ("Retakes", "Yes")]


def test_labels_a_producer_wraps_line_by_line_are_counted_whole():
    """The listing check counts the labels a page spells: `Credential` + value / `Name`, `Test Site` + value /
    `Options and` / `Requirements` are two whole labels, not two fragments."""
    words = [
        *(_word("Credential", 59, 306), _word("Alpha", 138, 306)),
        _word("Name", 59, 317),
        *(_word("Test", 59, 329), _word("Site", 85, 329), _word("Schools", 138, 329)),
        *(_word("Options", 59, 340), _word("and", 105, 340)),
        _word("Requirements", 59, 351),
    ]
    assert labels_spelled(words) == {"credential_name", "test_site_requirements"}


def _fpdf2_cells(cells: list[tuple[str, str, float]]) -> bytes:
    """One line of cells written by fpdf2 (Bitstream Vera from reportlab's fonts): (text, style, x) each."""
    from fpdf import FPDF

    from tests.renderings.pdfs import _vera

    pdf = FPDF(unit="pt", format=(612, 792))
    regular, bold = _vera()
    pdf.add_font("vera", "", regular)
    pdf.add_font("vera", "B", bold)
    pdf.add_page()
    for text, style, x in cells:
        pdf.set_font("vera", style, 11)
        pdf.set_xy(x, 100)
        pdf.cell(pdf.get_string_width(text), 14, text)
    return bytes(pdf.output())


def test_a_bold_word_and_a_regular_word_touching_are_two_words():
    """A bold label word wider than its cell ends exactly where its row's value starts (`Environment` then
    `three students.`): no gap parts them, the change of weight does."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    from tests.renderings.pdfs import _vera

    probe = FPDF(unit="pt")
    probe.add_font("vera", "B", _vera()[1])
    probe.set_font("vera", "B", 11)
    end = 59 + probe.get_string_width("Environment")
    document = pdfium.PdfDocument(_fpdf2_cells([("Environment", "B", 59), ("three students.", "", end)]))
    page = document[0]
    assert [word.text for word in _page_words(page, 0, page.get_height())] == ["Environment", "three", "students."]


def test_a_table_whose_rows_name_no_course_code_is_not_the_listing():
    """A credential page's `Course Number and Title` / `Credential as POL` row pair looks like the listing's header
    by its words; its rows hold no course code (`IM11`), so it is no listing. The same table with codes is."""
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import SimpleDocTemplate, Table

    def printed(rows: list[list[str]]) -> bytes:
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, pagesize=letter).build([Table([["Course Number and Title", "Credential"], *rows])])
        return buffer.getvalue()

    assert listing_of(printed([["Advanced Manufacturing I", "Yes"], ["Consultant", "David Barbour"]])) is None
    rows = listing_of(printed([["IM11 Advanced Manufacturing I", "CPT Safety"]]))
    assert rows == [
        {
            "course_code": "IM11",
            "course_title": "Advanced Manufacturing I",
            "credential_name": "CPT Safety",
            "federal_reporting": None,
        }
    ]


@pytest.mark.parametrize(
    "file_ids, printed, ids",
    [
        ((2316, None), "https://example.org/credential_info.php?cred_id=231", (2316, None)),  # cut in its digits
        ((1338, None), "https://example.org/credential_info.php?course_id=889&cred_i", (1338, 889)),  # cut before
        ((99, None), "https://example.org/credential_info.php?cred_id=1264", (1264, None)),  # whole: the URL wins
        ((23, None), "https://example.org/credential_info.php?cred_id=2316", (2316, None)),  # longer: not a cut
        ((2316, None), "https://example.org/credential_info.php?cred_id=231&course_id=62", (231, 62)),  # goes on
        ((1338, 889), "https://example.org/credential_info.php?choice=course&course_id=88", (1338, 889)),  # course cut
    ],
)
def test_an_id_a_printed_footer_cut_short_comes_from_the_file_name(file_ids, printed, ids):
    """A report's footer prints the page's URL cut to its room: an id it shows cut, or not at all, is the
    file name's (`credential_2316.pdf`); one it shows whole wins over the file name."""
    ref = DocumentRef("printout.pdf", "2023-2024/pdf/printout.pdf", "pdf", "2023-2024", None, *file_ids)
    named = named_by_printed_url(ref, printed)
    assert (named.cred_id, named.course_id) == ids


def test_a_short_value_at_the_same_height_on_every_page_is_not_a_running_line():
    """Two report pages whose `Yes` values happen to sit at the same height (reportlab printed MOS Excel's
    `Credential Auto Collect` value 0.8 pt from a `Yes` of page 2, letter, 8 pt, 1.1 in labels): values, not page
    chrome. A line printed below all else on both pages (`Alpha Directory`, in the value column) is."""
    from reportlab.pdfgen.canvas import Canvas

    rows_by_page = [
        [("Credential Name", "Alpha Credential"), ("Credential Auto|Collect", "Yes"), ("Retakes", "No")],
        [("Articulation", "Effective 2025-26"), ("Employer|Transferability", "Yes"), ("Sequencing", "No")],
    ]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(612, 792))
    for rows in rows_by_page:
        canvas.setFont("Helvetica", 8)
        for row, (label, value) in enumerate(rows):
            y = 700 - 30 * row
            for line, text in enumerate(label.split("|")):  # a label wrapped in its cell, then the value
                canvas.drawString(60, y - 10 * line, text)
            canvas.drawString(200, y, value)
        canvas.drawString(200, 600, "Alpha Directory")
        canvas.showPage()
    canvas.save()
    block = parse_pdf(buffer.getvalue()).page.blocks[0]
    assert [(pair.label_raw, pair.value) for pair in block.pairs] == [
        ("Credential Name", "Alpha Credential"),
        ("Credential Auto Collect", "Yes"),
        ("Retakes", "No"),
        ("Articulation", "Effective 2025-26"),
        ("Employer Transferability", "Yes"),
        ("Sequencing", "No"),
    ]


class _TablesPage:
    """A page as pdfplumber's table finder gives it: its tables' rows of cells (None for an empty cell)."""

    def __init__(self, *tables: list[list[str | None]]) -> None:
        self.tables = list(tables)

    def extract_tables(self, settings: dict) -> list[list[list[str | None]]]:
        return self.tables

    def extract_words(self) -> list[dict]:
        return []  # no words for the unruled search: the ruled tables are all there is


class _TablesPdf:
    def __init__(self, *pages: _TablesPage) -> None:
        self.pages = list(pages)


HEADER = ["Course Code", "Course Title", "Credential Name", "Federal Reporting?"]


def test_a_listing_s_rows_from_its_cells_across_pages_footnotes_and_a_row_broken_by_a_page():
    """Two pages of a ruled listing as the table finder cuts them: the header again on page 2, a footnote row
    under page 1's table, the end of page 1's last row at the top of page 2, a stray cell after a row."""
    from pipeline.read.pdf_listing import listing

    page_1 = _TablesPage(
        [
            HEADER,
            ["IM11", "Advanced  Manufacturing I", "Certified Production\nTechnician", "Yes (Perkins V)"],
            ["IM12", "Advanced Manufacturing II", "CPT Safety", "no"],
            ["* Courses marked", None, "see the notes", None],
        ]
    )
    page_2 = _TablesPage(
        [
            HEADER,
            [None, None, "Plus", None],
            ["BM10", "Microsoft Word", "Microsoft Office Specialist Word", ""],
            [None, "", "stray", None],
        ]
    )
    assert listing(_TablesPdf(page_1, page_2)) == [
        {
            "course_code": "IM11",
            "course_title": "Advanced Manufacturing I",
            "credential_name": "Certified Production Technician",
            "federal_reporting": True,
        },
        {
            "course_code": "IM12",
            "course_title": "Advanced Manufacturing II",
            "credential_name": "CPT Safety Plus",
            "federal_reporting": False,
        },
        {
            "course_code": "BM10",
            "course_title": "Microsoft Word",
            "credential_name": "Microsoft Office Specialist Word",
            "federal_reporting": None,
        },
    ]


@pytest.mark.parametrize(
    "rows, expected",
    [
        (  # course code and title in one cell, credential second
            [["Course Number and Title", "Credential"], ["IM11: Advanced Manufacturing I", "CPT"]],
            [{"course_code": "IM11", "course_title": "Advanced Manufacturing I", "credential_name": "CPT",
              "federal_reporting": None}],
        ),
        (  # columns in another order, a title column beside a code-and-title cell
            [["Credential", "Course Title", "Course"], ["CPT", "Manufacturing", "IM11"]],
            [{"course_code": "IM11", "course_title": "Manufacturing", "credential_name": "CPT",
              "federal_reporting": None}],
        ),
        ([["Course Code", "Title"], ["IM11", "Manufacturing"]], None),  # no credential column: no listing
        ([["IM11", "Credential Name"], ["IM12", "CPT"]], None),  # a row with a course code is never a header
        ([HEADER], []),  # a header and no row: a listing with no rows
    ],
    ids=["one cell", "other order", "no credential column", "code in the header row", "no rows"],
)  # fmt: skip
def test_a_listing_s_columns_come_from_its_header_words_and_its_rows_from_their_cells(rows, expected):
    from pipeline.read.pdf_listing import listing

    assert listing(_TablesPdf(_TablesPage(rows))) == expected
