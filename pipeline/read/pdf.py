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

import array
import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field, replace

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
_SOFT_HYPHEN = "\x02"  # PDFium's code for a hyphen that ends a line (one character at a time) ...
_SOFT_HYPHEN_TEXT = "\ufffe"  # ... and in a page's text
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


def _pdfium(function, restype, *argtypes):
    """A PDFium function called with plain addresses: no pointer object made or cast per character."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_CHAR_BOX = _pdfium(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
_TEXT_OBJECT = _pdfium(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_MARKED_CONTENT_ID = _pdfium(pdfium_c.FPDFPageObj_GetMarkedContentID, ctypes.c_int, ctypes.c_void_p)


def _page_words(page: pdfium.PdfPage, number: int, height: float) -> list[Word]:
    """The page's words: characters of one text style (size, weight, marked-content run) on one line, each
    touching the one before (a gap wider than a glyph's spacing is a space the text layer left out).

    The characters between two spaces of the page's text that one text object set are one word: the object
    spaced them itself (where it leaves a space's room between two, PDFium's text has a space). Only where such
    characters come from several objects are they looked at one by one.
    """
    textpage = page.get_textpage()
    try:
        text = textpage.raw
        chars = _page_text(text)
        address = ctypes.cast(text, ctypes.c_void_p).value
        boxes = array.array("f", bytes(16 * len(chars)))  # left, top, right, bottom of each character
        base = boxes.buffer_info()[0]
        styles: dict[int, tuple[float, int | None, int]] = {}  # text object -> its style
        words: list[Word] = []
        for token in _INKED.finditer(chars):
            first, stop = token.span()
            run = _TEXT_OBJECT(address, first) or 0
            if stop - first == 1 or (_TEXT_OBJECT(address, stop - 1) or 0) == run:
                _CHAR_BOX(address, first, base + 16 * first)
                _CHAR_BOX(address, stop - 1, base + 16 * (stop - 1))
                style = styles.get(run) or styles.setdefault(run, _run_style(text, first, run))
                left, top, right = boxes[4 * first], height - boxes[4 * first + 1], boxes[4 * stop - 2]
                words.append(Word(chars[first:stop], left, right, top, style[0], number, style[1]))
                continue
            for index in range(first, stop):
                _CHAR_BOX(address, index, base + 16 * index)
            runs = [_TEXT_OBJECT(address, index) or 0 for index in range(first, stop)]
            words += _token_words(chars, boxes, first, runs, styles, text, (number, height))
    finally:
        textpage.close()
    if _SURROGATE.search(chars):  # a character outside the BMP, read as PDFium's two code units: made whole
        words = [replace(word, text=_whole(word.text)) for word in words]
    return words


_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole(text: str) -> str:
    """Surrogate pairs joined into the characters they encode (a lone half, which no word should hold, as U+FFFD)."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


_INKED = re.compile(r"[^\s\x00]+")  # the characters between spaces, line ends and PDFium's empty characters


def _token_words(
    chars: str,
    boxes: array.array,
    first: int,
    runs: list[int],
    styles: dict[int, tuple[float, int | None, int]],
    text,
    place: tuple[int, float],
) -> list[Word]:
    """The words of characters with no space between, set by several text objects: cut where the style changes,
    where a character sits on another line, or where a gap (or an overlap) wider than a glyph's spacing parts
    two."""
    number, height = place
    words = []
    start = first
    style = styles.get(runs[0]) or styles.setdefault(runs[0], _run_style(text, first, runs[0]))
    top = height - boxes[4 * first + 1]
    for offset in range(1, len(runs)):
        index = first + offset
        run = runs[offset]
        next_style = styles.get(run) or styles.setdefault(run, _run_style(text, index, run))
        next_top = height - boxes[4 * index + 1]
        gap = boxes[4 * index] - boxes[4 * index - 2]
        if (
            next_style != style
            or abs(next_top - top) > _LINE_GAP
            or not -_WORD_GAP <= gap <= min(_WORD_GAP, _GLYPH_GAP * next_style[0])
        ):
            words.append(
                Word(chars[start:index], boxes[4 * start], boxes[4 * index - 2], top, style[0], number, style[1])
            )
            start, style, top = index, next_style, next_top
    stop = first + len(runs)
    words.append(Word(chars[start:stop], boxes[4 * start], boxes[4 * stop - 2], top, style[0], number, style[1]))
    return words


def _page_text(text) -> str:
    """Every character of a text page, in one call (a line-end hyphen as `-`); one call a character where the
    text does not map one code unit to a character."""
    count = pdfium_c.FPDFText_CountChars(text)
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium_c.FPDFText_GetText(text, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    chars = buffer.raw[: 2 * count].decode("utf-16-le", "replace")
    if len(chars) != count:  # a character outside the BMP is two code units
        chars = "".join(chr(pdfium_c.FPDFText_GetUnicode(text, index)) for index in range(count))
    return chars.replace(_SOFT_HYPHEN, "-").replace(_SOFT_HYPHEN_TEXT, "-")


def _run_style(text, index: int, run: int) -> tuple[float, int | None, int]:
    """A text object's font size as printed (its size times the text matrix's scale), marked-content id and font
    weight: a bold label cell and the value set right after it are two words even where no gap parts them."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(text, index, ctypes.byref(matrix))
    size = round(pdfium_c.FPDFText_GetFontSize(text, index) * abs(matrix.d), 1)
    mcid = _MARKED_CONTENT_ID(run) if run else -1
    return size, (mcid if mcid >= 0 else None), pdfium_c.FPDFText_GetFontWeight(text, index)


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
        # any two opposite corners make the rectangle (PDF 32000, 7.9.5): read as its edges
        links.append(
            {
                "uri": uri,
                "x0": min(rect.left, rect.right),
                "x1": max(rect.left, rect.right),
                "top": height - max(rect.top, rect.bottom),
                "bottom": height - min(rect.top, rect.bottom),
                "page": number,
            }
        )
    return links


def _line_texts(words: list[Word]) -> list[str]:
    return [" ".join(word.text for word in line) for line in pdf_pages.printed_lines(words)]


def _without_chrome_lines(words: list[Word], pages: int) -> list[Word]:
    """Drop page chrome printed in body type: copyright, print-date and page-number lines, and lines repeated
    at the same place on every page of a document of several pages (`1/4`, `2/4`: the same line) where a
    running header or footer goes, above or below all else on its page (a short value, `Yes`, can come back at
    the same height on the next page)."""
    lines = pdf_pages.printed_lines(words)
    edges = _page_edges(lines)
    places = Counter(_place(line) for line in lines if _at_edge(line, edges))
    kept = []
    for line in lines:
        text = " ".join(word.text for word in line)
        repeated = pages > 1 and _at_edge(line, edges) and places[_place(line)] >= pages
        if not repeated and not patterns.PAGE_CHROME.match(text):
            kept += line
    return kept


def _page_edges(lines: list[list[Word]]) -> dict[int, tuple[float, float]]:
    """Each page's highest and lowest line top."""
    edges: dict[int, tuple[float, float]] = {}
    for line in lines:
        page, top = line[0].page, line[0].top
        high, low = edges.get(page, (top, top))
        edges[page] = (min(high, top), max(low, top))
    return edges


def _at_edge(line: list[Word], edges: dict[int, tuple[float, float]]) -> bool:
    """No line of its page is printed a whole line above it, or a whole line below it."""
    high, low = edges[line[0].page]
    top, size = line[0].top, line[0].size
    return top - high < size or low - top < size


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
