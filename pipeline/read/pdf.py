"""PDFs -> a printed page's events (pdf_pages) or the Credentials by Course rows (pdf_listing).

This module opens the PDF (pdfplumber, with a budget on inflated bytes),
reads its words in stream order (`use_text_flow`) with sizes and
marked-content ids, drops the browser's header and footer (small print in
the margins; a URL there names the page) and decides which reader a
document is for. OCR is out of scope: a PDF without a text layer is
reported, not read.
"""

from __future__ import annotations

import io
import zlib
from collections import Counter
from dataclasses import dataclass, field

import pdfminer.pdftypes
import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from pipeline import patterns
from pipeline.read import pdf_listing, pdf_pages
from pipeline.read.blocks import Page, assemble
from pipeline.read.documents import DocumentError
from pipeline.read.pdf_pages import Word

_CHROME_MARGIN = 36  # points: browser header/footer live in the page margins
_CHROME_SIZE = 0.9  # ... in smaller type than the body (Chromium prints them at about 0.8 of 13 px text)


@dataclass
class PdfContent:
    page: Page | None = None  # a printed credential or course page
    listing: list[dict] = field(default_factory=list)  # Credentials by Course rows
    listing_year: str | None = None
    url: str | None = None  # from the printed footer
    pages: int = 0


# Per PDF: a printed page inflates to well under 1 MB; two workers at this cap stay far below the 1 GB budget.
MAX_INFLATED_BYTES = 128 * 2**20


class _BoundedZlib:
    """pdfminer's `zlib`, with a budget of inflated bytes per PDF.

    pdfminer inflates each Flate stream whole, so a small zip-bomb stream
    (1 MB that inflates to 1 GB) would take all the memory there is. Installed
    as `pdfminer.pdftypes.zlib`: the one place pdfminer inflates streams.
    """

    error = zlib.error

    def __init__(self) -> None:
        self.left = MAX_INFLATED_BYTES

    def decompress(self, data: bytes) -> bytes:
        inflater = self.decompressobj()
        result = inflater.decompress(data)
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")  # as zlib.decompress says; pdfminer recovers
        return result

    def decompressobj(self) -> _BoundedInflater:
        return _BoundedInflater(self)

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise DocumentError(
                f"compressed streams inflate past {MAX_INFLATED_BYTES // 2**20} MB (a zip bomb?); not read"
            )


class _BoundedInflater:
    def __init__(self, budget: _BoundedZlib) -> None:
        self._budget = budget
        self._inflater = zlib.decompressobj()

    @property
    def eof(self) -> bool:
        return self._inflater.eof

    def decompress(self, data: bytes) -> bytes:
        result = self._inflater.decompress(data, self._budget.left + 1)
        self._budget.spend(len(result))
        return result


def parse_pdf(data: bytes) -> PdfContent:
    """Read a PDF; raises DocumentError (encrypted, corrupt, no text layer, nothing known in it)."""
    pdfminer.pdftypes.zlib = _BoundedZlib()  # a fresh budget for this PDF
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return _read(pdf)
    except PdfminerException as error:
        if error.args and isinstance(error.args[0], DocumentError):
            raise error.args[0] from None
        if b"/Encrypt" in data:
            raise DocumentError("encrypted PDF (a password is required); skipped") from error
        raise DocumentError(f"corrupt PDF: {_cause(error)}") from error
    except Exception as error:  # pdfminer raises many types on broken files
        if isinstance(error, DocumentError):
            raise
        raise DocumentError(f"corrupt PDF: {type(error).__name__}: {error}") from error


def _cause(error: Exception) -> str:
    inner = error.args[0] if error.args else None
    if isinstance(inner, Exception):
        return f"{type(inner).__name__}: {inner}".rstrip(": ")
    return str(error) or type(error).__name__


def _read(pdf) -> PdfContent:
    words, chrome, links = _words(pdf)
    content = PdfContent(pages=len(pdf.pages), url=_footer_url(chrome))
    if not words:
        raise DocumentError("PDF has no text layer (a scan?); OCR is out of scope; skipped")
    listing = pdf_listing.listing(pdf)  # by its table, before any label search ("Credential Name" is a label)
    if listing is not None:
        content.listing = listing
        content.listing_year = _year_in(words)
        return content
    left = min(word.x0 for word in words)
    content.page = assemble(pdf_pages.events(words, links, float(pdf.pages[0].width) - left))
    return content


# --- words ---------------------------------------------------------------------------


def _words(pdf) -> tuple[list[Word], list[Word], list[dict]]:
    raw: list[tuple[dict, int, float]] = []
    links = []
    for number, page in enumerate(pdf.pages):
        for word in page.extract_words(use_text_flow=True, extra_attrs=["size", "mcid"]):
            raw.append((word, number, float(page.height)))
        links += [{**link, "page": number} for link in page.hyperlinks if link.get("uri")]
    body = _body_size([w for w, _, _ in raw])
    words, chrome = [], []
    for word, number, height in raw:
        item = Word(word["text"], word["x0"], word["x1"], word["top"], round(word["size"], 1), number, word.get("mcid"))
        in_margin = word["top"] < _CHROME_MARGIN or word["bottom"] > height - _CHROME_MARGIN
        (chrome if in_margin and item.size < body * _CHROME_SIZE else words).append(item)
    return _without_chrome_lines(words, len(pdf.pages)), chrome, links


def _without_chrome_lines(words: list[Word], pages: int) -> list[Word]:
    """Drop page chrome printed in body type: copyright, print-date and page-number lines, and lines repeated
    at the same place on every page of a document of several pages."""
    lines: list[list[Word]] = []
    for word in words:
        if lines and lines[-1][-1].page == word.page and abs(lines[-1][-1].top - word.top) <= 2.0:
            lines[-1].append(word)
        else:
            lines.append([word])
    places = Counter(_place(line) for line in lines)
    kept = []
    for line in lines:
        text = " ".join(word.text for word in line)
        repeated = pages > 1 and places[_place(line)] >= pages
        if not repeated and not patterns.PAGE_CHROME.match(text):
            kept += line
    return kept


def _place(line: list[Word]) -> tuple[str, int]:
    return " ".join(word.text for word in line), round(line[0].top)


def _body_size(words: list[dict]) -> float:
    sizes = Counter(round(w["size"], 1) for w in words)
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
