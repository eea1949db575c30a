"""PDFs -> a printed page's events (pdf_pages) or the Credentials by Course rows (pdf_listing).

Words come from PDFium (pypdfium2): in content-stream order, which follows
the HTML a browser printed, with their positions, font sizes and
marked-content ids, at a fraction of pdfminer's cost. The browser's header
and footer (small print in the margins; a URL there names the page) and
chrome printed in body type are set apart. A document that spells few
directory labels and has a short line naming a course column and a credential
column by their words is offered to the listing reader first, which finds the
table with pdfplumber (never opened for a printed page); every other document is
a printed page. OCR is out of scope: a PDF without a text layer is reported,
not read. Before PDFium opens a file, `pdf_budget` counts what its streams
would inflate to, through every filter chain; a document of more than
MAX_PAGES pages is not read. `pdf_worker` runs all of this in a process of its
own, with a memory and a time limit.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline import patterns
from pipeline.read import pdf_budget, pdf_listing, pdf_pages
from pipeline.read.blocks import Page, assemble
from pipeline.read.documents import DocumentError
from pipeline.read.pdf_pages import Word

_CHROME_MARGIN = 36  # points: browser header/footer live in the page margins
_CHROME_SIZE = 0.9  # ... in smaller type than the body (Chromium prints them at about 0.8 of 13 px text)
_WORD_GAP = 3.0  # points: a larger gap between two characters starts a new word (as pdfplumber's x_tolerance)
# of the font size: a word's glyphs touch (kerning only brings them closer); a gap this wide is a space the text
# layer left out (Chromium prints `CompTIA A+` as `CompTIAA+` with a gap where the space was)
_GLYPH_GAP = 0.08
_LINE_GAP = 3.0  # points: a larger vertical step starts a new word
_SOFT_HYPHEN = 0x02  # PDFium's code for a hyphen that ends a line
# Per PDF: a printed page inflates to well under 1 MB; two workers at this cap stay far below the 1 GB budget.
MAX_INFLATED_BYTES = 128 * 2**20
MAX_STREAMS = 20_000  # compressed streams a PDF may hold: a printed page has tens, a long listing thousands
MAX_PAGES = 500  # a printed page is 1 to 3 pages, the Credentials by Course listing tens
_DIGITS = re.compile(r"\d+")


@dataclass
class PdfContent:
    page: Page | None = None  # a printed credential or course page
    listing: list[dict] = field(default_factory=list)  # Credentials by Course rows
    listing_year: str | None = None
    url: str | None = None  # from the printed footer
    pages: int = 0


def parse_pdf(data: bytes) -> PdfContent:
    """Read a PDF here, in this process; raises DocumentError (encrypted, corrupt, a zip bomb, too many pages,
    no text layer). `pdf_worker.read_pdf` runs it in a process of its own."""
    try:
        pdf_budget.check(data, MAX_INFLATED_BYTES, MAX_STREAMS)
    except pdf_budget.OverBudget as refused:
        raise DocumentError(f"{refused}; not read") from None
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower() or b"/Encrypt" in data:
            raise DocumentError("encrypted PDF (a password is required); skipped") from error
        raise DocumentError(f"corrupt PDF: {error}") from error
    try:
        _check_openable(document)
        return _read(document, data)
    finally:
        document.close()


def _check_openable(document: pdfium.PdfDocument) -> None:
    """Refuse what the budget could not count (encrypted streams) and more pages than any directory PDF has."""
    if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
        raise DocumentError(
            "encrypted PDF (no password needed, but its streams cannot be checked before reading); not read"
        )
    if len(document) > MAX_PAGES:
        raise DocumentError(f"{len(document)} pages, over {MAX_PAGES}; not read")


def _read(document: pdfium.PdfDocument, data: bytes) -> PdfContent:
    words, chrome, links, widths = _words(document)
    content = PdfContent(pages=len(document), url=_footer_url(chrome))
    if not words:
        raise DocumentError("PDF has no text layer (a scan?); OCR is out of scope; skipped")
    if pdf_listing.may_be_listing(_line_texts(words), len(pdf_pages.labels_spelled(words))):
        listing = pdf_listing.listing_of(data)  # by its table, before any label search
        if listing is not None:
            content.listing = listing
            content.listing_year = _year_in(words)
            return content
    left = min(word.x0 for word in words)
    content.page = assemble(pdf_pages.events(words, links, widths[0] - left))
    return content


# --- words ---------------------------------------------------------------------------


def _words(document: pdfium.PdfDocument) -> tuple[list[Word], list[Word], list[dict], list[float]]:
    """(body words, header/footer words, links, page widths), words in content-stream order."""
    raw: list[tuple[Word, float]] = []
    links: list[dict] = []
    widths = []
    for number in range(len(document)):
        page = document[number]
        height = page.get_height()
        widths.append(page.get_width())
        raw += [(word, height) for word in _page_words(page, number, height)]
        links += _page_links(document, page, number, height)
    body = _body_size([word for word, _ in raw])
    words, chrome = [], []
    for word, height in raw:
        in_margin = word.top < _CHROME_MARGIN or word.top + word.size > height - _CHROME_MARGIN
        (chrome if in_margin and word.size < body * _CHROME_SIZE else words).append(word)
    return _without_chrome_lines(words, len(document)), chrome, links, widths


def _page_words(page: pdfium.PdfPage, number: int, height: float) -> list[Word]:
    textpage = page.get_textpage()
    text = textpage.raw
    words: list[Word] = []
    current: dict | None = None
    box = pdfium_c.FS_RECTF()
    runs: dict[int, tuple[float, int | None]] = {}  # text object -> (font size, marked-content id)
    for index in range(pdfium_c.FPDFText_CountChars(text)):
        code = pdfium_c.FPDFText_GetUnicode(text, index)
        char = "-" if code == _SOFT_HYPHEN else chr(code)
        if not code or char.isspace():
            current = None
            continue
        pdfium_c.FPDFText_GetLooseCharBox(text, index, ctypes.byref(box))
        run = pdfium_c.FPDFText_GetTextObject(text, index)
        key = ctypes.cast(run, ctypes.c_void_p).value or 0
        if key not in runs:
            runs[key] = _run_style(text, index, run)
        size, mcid = runs[key]
        top = height - box.top
        if (
            current
            and abs(current["top"] - top) <= _LINE_GAP
            and -_WORD_GAP <= box.left - current["x1"] <= min(_WORD_GAP, _GLYPH_GAP * size)
            and (current["size"], current["mcid"]) == (size, mcid)
        ):
            current["text"] += char
            current["x1"] = box.right
        else:
            current = {"text": char, "x0": box.left, "x1": box.right, "top": top, "size": size, "mcid": mcid}
            words.append(current)  # type: ignore[arg-type]
    textpage.close()
    return [Word(w["text"], w["x0"], w["x1"], w["top"], w["size"], number, w["mcid"]) for w in words]  # type: ignore[index]


def _run_style(text, index: int, run) -> tuple[float, int | None]:
    """A text object's font size as printed (its size times the text matrix's scale) and marked-content id."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(text, index, ctypes.byref(matrix))
    size = round(pdfium_c.FPDFText_GetFontSize(text, index) * abs(matrix.d), 1)
    mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(run)
    return size, (mcid if mcid >= 0 else None)


def _page_links(document: pdfium.PdfDocument, page: pdfium.PdfPage, number: int, height: float) -> list[dict]:
    """Link annotations with a URI: where they sit and where they lead (as pdfplumber's `hyperlinks`)."""
    links = []
    position, link, rect = ctypes.c_int(0), pdfium_c.FPDF_LINK(), pdfium_c.FS_RECTF()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action or not pdfium_c.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            continue
        size = pdfium_c.FPDFAction_GetURIPath(document.raw, action, None, 0)
        if size <= 1:
            continue
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFAction_GetURIPath(document.raw, action, buffer, size)
        uri = buffer.value.decode("utf-8", "replace")
        links.append(
            {
                "uri": uri,
                "x0": rect.left,
                "x1": rect.right,
                "top": height - rect.top,
                "bottom": height - rect.bottom,
                "page": number,
            }
        )
    return links


def _line_texts(words: list[Word]) -> list[str]:
    return [" ".join(word.text for word in line) for line in pdf_pages.printed_lines(words)]


def _without_chrome_lines(words: list[Word], pages: int) -> list[Word]:
    """Drop page chrome printed in body type: copyright, print-date and page-number lines, and lines repeated
    at the same place on every page of a document of several pages (`1/4`, `2/4`: the same line)."""
    lines = pdf_pages.printed_lines(words)
    places = Counter(_place(line) for line in lines)
    kept = []
    for line in lines:
        text = " ".join(word.text for word in line)
        repeated = pages > 1 and places[_place(line)] >= pages
        if not repeated and not patterns.PAGE_CHROME.match(text):
            kept += line
    return kept


def _place(line: list[Word]) -> tuple[str, int]:
    """A line's text, its numbers aside (a running footer's page number changes), and its height on the page."""
    return _DIGITS.sub("#", " ".join(word.text for word in line)), round(line[0].top)


def _body_size(words: list[Word]) -> float:
    sizes = Counter(word.size for word in words)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _footer_url(chrome: list[Word]) -> str | None:
    for word in chrome:
        match = patterns.URL.match(word.text)
        if match:
            return match.group(0)
    return None


def _year_in(words: list[Word]) -> str | None:
    text = " ".join(word.text for word in words[:40])
    match = patterns.SCHOOL_YEAR_IN_TEXT.search(text)
    return f"{match.group(1)}-{match.group(2)}" if match else None
