"""The Credentials by Course listing, written by hand, and its PDFs from report generators.

The rows are the 2023-2024 listing's, as the hand-written credentials state them (a course's POL flag
is its federal reporting) plus other courses of the directory written in its style; the oracle is the
`course_credentials` rows, by hand (the slug by the contract's rule, written here). Headers are spelled
in ways no list in the code holds (`pipeline/site.py` LISTING_COLUMNS has none of the spellings of
HEADERS as a whole): a listing is found by the words its header contains.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from tests.renderings.pdfs import INCH, PAPERS, PRINTED_AT, _vera

SCHOOL_YEAR = "2023-2024"
URL = "https://center.ncsu.edu/nccte-cms/documents/credentials_by_course_2023-2024.pdf"

# (course code, course title, credential, counts for federal reporting)
ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("AU21", "Automotive Service Fundamentals", "ASE Entry-Level Maintenance and Light Repair", "Yes"),
    ("AU22", "Automotive Service I", "ASE Entry-Level Automobile Service Technology", "Yes"),
    ("BM10", "Microsoft Word and PowerPoint", "Microsoft Office Specialist Word", "Yes"),
    ("BM20", "Microsoft Excel and Access", "Microsoft Office Specialist Excel", "Yes"),
    ("BM20", "Microsoft Excel and Access", "Microsoft Office Specialist Access", "No"),
    ("CI01", "Computer Engineering Technology I", "CompTIA A+ (Core 1)", "Yes"),
    ("CL60", "Fundamentals of Information Security I", "CompTIA Security+", "No"),
    ("CS21", "Carpentry I", "NCCER Core Curriculum", "Yes"),
    ("FH10", "Culinary Arts and Hospitality I", "ServSafe Food Handler", "Yes"),
    ("FH13", "Culinary Arts and Hospitality III", "ProStart National Certificate of Achievement (COA)", "No"),
    ("HU40", "Health Science I", "BLS Provider", "No"),
    ("HU42", "Health Science II", "BLS Provider", "Yes"),
    ("HU42", "Health Science II", "Heartsaver First Aid CPR AED", "No"),
    ("IC21", "Drafting I", "Autodesk Certified User AutoCAD", "Yes"),
    ("IM11", "Advanced Manufacturing I", "Certified Production Technician (CPT) - Maintenance Awareness", "Yes"),
    ("IM11", "Advanced Manufacturing I", "Certified Production Technician (CPT) - Safety", "Yes"),
    (
        "IM12",
        "Advanced Manufacturing II",
        "Certified Production Technician (CPT) - Quality Practices and Measurement",
        "Yes",
    ),
    ("IT11", "Introduction to Office Productivity", "Microsoft Office Specialist Word", "Yes"),
    ("IV22", "Electronics I", "ETA Student Electronics Technician", "No"),
    ("MA51", "Entrepreneurship I", "Entrepreneurship and Small Business (ESB)", "Yes"),
    ("MH31", "Masonry I", "NCCER Core Curriculum", "Yes"),
    ("SD51", "Computer Science Principles", "Python Institute PCEP - Certified Entry-Level Python Programmer", "Yes"),
    ("TE11", "Technology Engineering and Design", "Autodesk Certified User Fusion 360", "No"),
    ("TP11", "Agricultural Mechanics I", "OSHA 10-Hour General Industry", "Yes"),
    ("TT11", "Transportation Systems Technology", "ASE Entry-Level Maintenance and Light Repair", "Yes"),
    ("WL11", "Welding Technology I", "NCCER Welding Level 1", "Yes"),
    ("WL12", "Welding Technology II", "AWS SENSE Level I Entry Welder", "Yes"),
    ("WL12", "Welding Technology II", "OSHA 10-Hour Construction", "No"),
)

# Header spellings no list in the code holds (as whole spellings): code, title, credential, federal reporting
HEADERS = {
    "perkins": ("CTE Course #", "Course Description", "Industry-Recognized Credential", "Counts toward Perkins V?"),
    "reversed": ("Course Code (CTE)", "Title of Course", "Credential Earned", "Federal Reporting (Y/N)"),
    "abbreviated": ("Crse #", "Crse Title", "Cred. Title (Industry)", "Perkins V Eligible"),
}


def slug(name: str) -> str:
    """The contract's slug rule (section 5), written here: NFKD to ASCII, lower case, runs outside a-z0-9 -> `-`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def expected_rows() -> list[tuple]:
    """course_credentials rows: (school_year, course_code, course_title, credential_name, credential_slug,
    federal_reporting)."""
    return [(SCHOOL_YEAR, code, title, name, slug(name), federal == "Yes") for code, title, name, federal in ROWS]


@dataclass(frozen=True)
class ListingPage:
    """The listing as a page: no credential block, only course_credentials rows."""

    key: str = "credentials_by_course"
    school_year: str = SCHOOL_YEAR
    url: str = URL
    kind: str = "listing"
    credentials: tuple = ()
    file_stem: str = "credentials_by_course"

    def expected_cred_id(self, credential) -> None:
        return None

    @property
    def listing_rows(self) -> list[tuple]:
        return expected_rows()


LISTING_PAGE = ListingPage()


@dataclass(frozen=True)
class ListingLayout:
    producer: str = "reportlab"  # reportlab | fpdf2
    headers: str = "perkins"  # a key of HEADERS
    ruled: bool = True
    paper: str = "letter"  # letter | half | short (more pages, the header repeated on each)
    landscape: bool = False
    chrome: bool = False  # print date and page numbers

    @property
    def variant(self) -> str:
        parts = [
            self.headers,
            self.paper + ("-landscape" if self.landscape else ""),
            "ruled" if self.ruled else "unruled",
        ]
        return "+".join(parts + (["chrome"] if self.chrome else []))


def _size(layout: ListingLayout) -> tuple[float, float]:
    """The page size; landscape turns a portrait paper (the short paper is landscape already)."""
    width, height = PAPERS[layout.paper]
    return (height, width) if layout.landscape and height > width else (width, height)


def _columns(width: float) -> list[float]:
    return [width * share for share in (0.12, 0.3, 0.4, 0.18)]


def render_listing(layout: ListingLayout) -> bytes:
    return _reportlab(layout) if layout.producer == "reportlab" else _fpdf2(layout)


def _reportlab(layout: ListingLayout) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    width, height = _size(layout)
    margin = 0.5 * INCH
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=7, leading=9, splitLongWords=0)
    head = ParagraphStyle("head", parent=body, fontName="Helvetica-Bold")
    title = ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=14, leading=18)
    data = [[Paragraph(escape(text), head) for text in HEADERS[layout.headers]]]
    data += [[Paragraph(escape(cell), body) for cell in row] for row in ROWS]
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black)]
    if layout.ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.grey))
    table = Table(data, colWidths=_columns(width - 2 * margin), repeatRows=1, style=TableStyle(style))
    story = [
        Paragraph(f"{SCHOOL_YEAR} Credentials by Course", title),
        Paragraph("Industry-recognized credentials aligned to CTE courses.", body),
        Spacer(1, 8),
        table,
    ]

    def chrome(canvas, document) -> None:
        if layout.chrome:
            canvas.setFont("Helvetica", 7)
            canvas.drawString(margin, margin / 2, PRINTED_AT)
            canvas.drawRightString(width - margin, margin / 2, f"Page {document.page}")

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=(width, height), leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin
    )
    document.build(story, onFirstPage=chrome, onLaterPages=chrome)
    return buffer.getvalue()


def _fpdf2(layout: ListingLayout) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    width, height = _size(layout)
    margin = 0.5 * INCH

    class Listing(FPDF):
        def footer(self) -> None:
            if layout.chrome:
                self.set_font("vera", "", 7)
                self.set_xy(margin, height - margin * 0.7)
                self.cell(width - 2 * margin, 8, f"{PRINTED_AT}    Page {self.page_no()} of {{nb}}", align="R")

    pdf = Listing(unit="pt", format=(width, height))
    regular, bold = _vera()
    pdf.add_font("vera", "", regular)
    pdf.add_font("vera", "B", bold)
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(True, margin)
    pdf.add_page()
    pdf.set_font("vera", "B", 14)
    pdf.cell(width - 2 * margin, 20, f"{SCHOOL_YEAR} Credentials by Course", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("vera", "", 7)
    pdf.cell(
        width - 2 * margin, 14, "Industry-recognized credentials aligned to CTE courses.", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(6)
    with pdf.table(
        col_widths=_columns(width - 2 * margin),
        borders_layout="ALL" if layout.ruled else "HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD"),
        line_height=10,
        text_align="LEFT",
        repeat_headings=1,
        first_row_as_headings=True,
    ) as table:
        for row in (HEADERS[layout.headers], *ROWS):
            cells = table.row()
            for text in row:
                cells.cell(text)
    return bytes(pdf.output())
