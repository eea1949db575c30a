"""PDFs of a page from report generators, run for real: reportlab and fpdf2.

A report-generator layout: the page heading, then per credential its title and a two-column table
(label column, wrapped value column). Pages may be narrow and short, so a long value runs over a page
break inside its row (the row continues on the next page, after the repeated page chrome); print chrome
(a running header, a footer with the print date and "Page N of M") is on or off; the table ruled or not.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from xml.sax.saxutils import escape

from tests.renderings.pages import Page

PRODUCERS = ("reportlab", "fpdf2")
POINT = 1.0
INCH = 72.0
# (width, height) in points: letter, a narrow half-letter, and a short page where long rows must break
PAPERS = {"letter": (612.0, 792.0), "half": (396.0, 612.0), "short": (612.0, 300.0)}
PRINTED_AT = "1/15/2026, 10:42 AM"
RUNNING_HEADER = "NC CTE | Credential Information"


@dataclass(frozen=True)
class PdfLayout:
    producer: str = "reportlab"
    paper: str = "letter"
    chrome: bool = False  # running header, footer with print date and page numbers
    ruled: bool = True
    label_width: float = 1.6 * INCH  # the label column; labels wrap inside it
    font_size: float = 9.0

    @property
    def variant(self) -> str:
        parts = [self.paper, f"label={self.label_width / INCH:.1f}in", f"{self.font_size:g}pt"]
        parts.append("chrome" if self.chrome else "bare")
        parts.append("ruled" if self.ruled else "unruled")
        return "+".join(parts)


def render_pdf(page: Page, layout: PdfLayout) -> bytes:
    if layout.producer == "reportlab":
        return _reportlab(page, layout)
    if layout.producer == "fpdf2":
        return _fpdf2(page, layout)
    raise ValueError(f"unknown PDF producer {layout.producer}")


def _page_url(page: Page) -> str:
    return page.url


def fitting_size(page: Page, layout: PdfLayout, value_width: float, margin: float, width_at_1pt) -> float:
    """The layout's font size, smaller where needed so that the longest word (a URL) fits in its column and the
    right margin: no producer here breaks a word, as a browser does not (a word cut in two is not a wrap)."""
    longest = max(
        (
            width_at_1pt(word)
            for credential in page.credentials
            for _, value in credential.pairs
            for word in value.split()
        ),
        default=0.0,
    )
    return min(layout.font_size, (value_width + 0.8 * margin) / longest) if longest else layout.font_size


def wrap(text: str, width: float, measure) -> list[str]:
    """Greedy word wrap that never breaks a word (a word wider than the column stands alone on its line)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and measure(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else [""]


# --- reportlab: platypus tables whose rows may split across pages -------------------------------------------


def _reportlab(page: Page, layout: PdfLayout) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    width, height = PAPERS[layout.paper]
    margin = 0.5 * INCH if layout.paper != "letter" else 0.75 * INCH
    value_width = width - 2 * margin - layout.label_width
    size = fitting_size(page, layout, value_width - 12, margin, lambda word: stringWidth(word, "Helvetica", 1))
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=size, leading=size * 1.25, splitLongWords=0)
    label = ParagraphStyle("label", parent=body, fontName="Helvetica-Bold")
    h1 = ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=size * 1.8, leading=size * 2.2)
    h2 = ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=size * 1.4, leading=size * 1.8)
    story = []
    for role, text in page.heading_lines():
        story.append(Paragraph(escape(text), h1 if role in ("h1", "h2") else body))
        story.append(Spacer(1, size * 0.4))
    for credential in page.credentials:
        story.append(Spacer(1, size))
        story.append(Paragraph(escape(credential.title), h2))
        rows = [
            [Paragraph(escape(name), label), Paragraph(escape(value).replace("\n", "<br/>"), body)]
            for name, value in credential.pairs
        ]
        style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
        if layout.ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.grey))
        story.append(Table(rows, colWidths=[layout.label_width, value_width], style=TableStyle(style), splitInRow=1))

    def chrome(canvas, document) -> None:
        if not layout.chrome:
            return
        canvas.saveState()
        canvas.setFont("Helvetica", size * 0.8)
        canvas.drawString(margin, height - margin * 0.6, PRINTED_AT)
        canvas.drawRightString(width - margin, height - margin * 0.6, RUNNING_HEADER)
        canvas.drawString(margin, margin * 0.5, _page_url(page)[: int(value_width / (size * 0.4))])
        canvas.drawRightString(width - margin, margin * 0.5, f"Page {document.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title="Credential Information",
        author="",
        creator="reportlab",
    )
    document.build(story, onFirstPage=chrome, onLaterPages=chrome)
    return buffer.getvalue()


# --- fpdf2: a report written line by line, its header and footer on every page --------------------------------


def _vera() -> tuple[str, str]:
    """A Unicode TrueType font: Bitstream Vera, shipped inside reportlab (no system font needed)."""
    import reportlab

    fonts = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    return os.path.join(fonts, "Vera.ttf"), os.path.join(fonts, "VeraBd.ttf")


def _fpdf2(page: Page, layout: PdfLayout) -> bytes:
    from fpdf import FPDF

    width, height = PAPERS[layout.paper]
    margin = 0.5 * INCH if layout.paper != "letter" else 0.75 * INCH
    value_x = margin + layout.label_width
    value_width = width - margin - value_x

    class Report(FPDF):
        def header(self) -> None:
            if layout.chrome:
                self.set_font("vera", "", size * 0.8)
                self.set_xy(margin, margin * 0.4)
                self.cell(width - 2 * margin, size, RUNNING_HEADER, align="R")
                self.set_xy(margin, margin)

        def footer(self) -> None:
            if layout.chrome:
                self.set_font("vera", "", size * 0.8)
                self.set_xy(margin, height - margin * 0.8)
                self.cell(width / 2, size, PRINTED_AT)
                self.set_xy(margin, height - margin * 0.8)
                self.cell(width - 2 * margin, size, f"Page {self.page_no()} of {{nb}}", align="R")

    pdf = Report(unit="pt", format=(width, height))
    regular, bold = _vera()
    pdf.add_font("vera", "", regular)
    pdf.add_font("vera", "B", bold)
    pdf.set_font("vera", "", 1)
    size = fitting_size(page, layout, value_width - 4, margin, pdf.get_string_width)
    line = size * 1.3

    def lines_of(text: str, width_: float, style: str = "", scale: float = 1.0) -> list[str]:
        pdf.set_font("vera", style, size * scale)
        return wrap(text, width_, pdf.get_string_width)

    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(False)
    pdf.set_title("Credential Information")
    pdf.set_creator("fpdf2")
    pdf.add_page()
    bottom = height - margin

    def room(lines: int = 1) -> None:
        if pdf.get_y() + lines * line > bottom:
            pdf.add_page()

    for role, text in page.heading_lines():
        heading = role in ("h1", "h2")
        pdf.set_font("vera", "B" if heading else "", size * (1.6 if heading else 1))
        for piece in lines_of(text, width - 2 * margin, "B" if heading else "", 1.6 if heading else 1):
            room()
            pdf.set_x(margin)
            pdf.cell(width - 2 * margin, line * (1.3 if heading else 1), piece, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(size * 0.4)
    for credential in page.credentials:
        pdf.ln(size)
        room(3)
        for piece in lines_of(credential.title, width - 2 * margin, "B", 1.3):  # a long title wraps
            pdf.cell(width - 2 * margin, line * 1.4, piece, new_x="LMARGIN", new_y="NEXT")
        for name, value in credential.pairs:
            label_lines = lines_of(name, layout.label_width - 4, "B")
            value_lines = [piece for part in value.split("\n") for piece in lines_of(part, value_width - 4)]
            top = pdf.get_y()
            for index in range(max(len(label_lines), len(value_lines))):
                if pdf.get_y() + line > bottom:  # the row continues on the next page
                    if layout.ruled:
                        pdf.line(margin, pdf.get_y(), width - margin, pdf.get_y())
                    pdf.add_page()
                    top = pdf.get_y()
                y = pdf.get_y()
                if index < len(label_lines):
                    pdf.set_font("vera", "B", size)
                    pdf.set_xy(margin + 2, y)
                    pdf.cell(layout.label_width - 4, line, label_lines[index])
                if index < len(value_lines):
                    pdf.set_font("vera", "", size)
                    pdf.set_xy(value_x + 2, y)
                    pdf.cell(value_width - 4, line, value_lines[index])
                pdf.set_xy(margin, y + line)
            if layout.ruled:
                pdf.line(margin, top, width - margin, top)
                pdf.line(value_x, top, value_x, pdf.get_y())
        if layout.ruled:
            pdf.line(margin, pdf.get_y(), width - margin, pdf.get_y())
    return bytes(pdf.output())
