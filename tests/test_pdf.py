"""pipeline/read/pdf.py in this process: PDFs written here, by hand, content stream by content stream.

The PDFs use the standard Courier font (every glyph 600/1000 of the font size wide, so at 10 pt a character is
6 pt, at 25 pt 15 pt, at 50 pt 30 pt): where each word starts and ends is written by hand from where the text is
set. PDFium's loose character box puts a Courier line's top 0.803 of the font size above its baseline (8.03 pt at
10 pt: a baseline 700 pt above the bottom of a 792 pt page has its top 83.97 pt below the page's top). Words,
lines and pages as plain data where a function takes them. Every expected value is written by hand from the
input; nothing is computed by calling the pipeline.
"""

from __future__ import annotations

import io
import zlib

import pypdfium2 as pdfium
import pytest

from pipeline.read import pdf
from pipeline.read.documents import DocumentError
from pipeline.read.pdf_pages import Word
from tests import hostile_pdfs as hostile
from tests.conftest import FIXTURES, REPO

# Fonts: F1 Courier, F2 Courier with a descriptor saying weight 700 (bold), F3 Helvetica, F4 Courier whose
# ToUnicode maps `A` to U+1F600 (a character outside the Basic Multilingual Plane) and `B` to half of a surrogate
# pair (a broken map).
_FONTS = [
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /FontDescriptor 7 0 R >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /ToUnicode 8 0 R >>",
    b"<< /Type /FontDescriptor /FontName /Courier-Bold /Flags 33 /FontBBox [0 0 600 600] /ItalicAngle 0 "
    b"/Ascent 629 /Descent -157 /CapHeight 562 /StemV 100 /FontWeight 700 >>",
    hostile.stream(
        b"",
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def 1 begincodespacerange "
        b"<00> <FF> endcodespacerange 2 beginbfchar <41> <D83DDE00> <42> <D83D> endbfchar endcmap CMapName currentdict "
        b"/CMap defineresource pop end end",
    ),
]


def _pdf(*pages: bytes, annotations: tuple[list[bytes], ...] = (), flate: bool = False) -> bytes:
    """A PDF of these content streams, one a page (Flate-compressed if asked), with the link annotations given for
    each page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", *_FONTS]
    kids = []
    for number, content in enumerate(pages):
        page_object = len(objects) + 1
        kids.append(b"%d 0 R" % page_object)
        annots = annotations[number] if number < len(annotations) else []
        refs = b" ".join(b"%d 0 R" % (page_object + 2 + index) for index in range(len(annots)))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            + b"/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R /F4 6 0 R >> >> "
            + b"/Contents %d 0 R /Annots [%s] >>" % (page_object + 1, refs)
        )
        objects.append(
            hostile.stream(b"/Filter /FlateDecode", zlib.compress(content)) if flate else hostile.stream(b"", content)
        )
        objects += annots
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(pages))
    return hostile.pdf(objects)


def _text(font: str, size: float, x: float, y: float, text: str) -> bytes:
    return f"BT /{font} {size} Tf {x} {y} Td ({text}) Tj ET\n".encode()


def _page_words(data: bytes) -> list[tuple[str, float, float, float, float, int, int | None]]:
    document = pdfium.PdfDocument(data)
    try:
        words = []
        for number in range(len(document)):
            page = document[number]
            words += pdf._page_words(page, number, page.get_height())
        return [(w.text, w.x0, w.x1, round(w.top, 2), w.size, w.page, w.mcid) for w in words]
    finally:
        document.close()


def _word(text: str, x0: float, top: float, size: float = 10.0, page: int = 0, x1: float | None = None) -> Word:
    return Word(text, x0, x0 + 6 * len(text) if x1 is None else x1, top, size, page)


# --- words: PDFium's characters cut into words --------------------------------------------------------------


def test_words_are_the_characters_between_spaces_with_their_box_size_and_page():
    """Rule: a word is the characters between two spaces, with its left and right edges, its top (from the page's
    top), its printed size and its page number; a page's line ends part words as spaces do."""
    data = _pdf(
        _text("F1", 10, 100, 700, "AB CD") + _text("F1", 10, 100, 650, "E"),
        _text("F1", 10, 300, 500, "Fgh"),
    )
    assert _page_words(data) == [
        ("AB", 100.0, 112.0, 83.97, 10.0, 0, None),
        ("CD", 118.0, 130.0, 83.97, 10.0, 0, None),
        ("E", 100.0, 106.0, 133.97, 10.0, 0, None),  # one character alone
        ("Fgh", 300.0, 318.0, 283.97, 10.0, 1, None),
    ]


@pytest.mark.parametrize(
    "content, expected",
    [
        # pieces set by separate text objects with no space between: one word while they touch ...
        (_text("F1", 25, 100, 700, "AB") + _text("F1", 25, 130, 700, "CD"), [("ABCD", 100.0, 160.0)]),
        # ... or are apart by at most 0.08 of the font size (2 pt at 25 pt: a space the text layer left out is wider)
        (_text("F1", 25, 100, 700, "AB") + _text("F1", 25, 132, 700, "CD"), [("ABCD", 100.0, 162.0)]),
        (
            _text("F1", 25, 100, 700, "AB") + _text("F1", 25, 132.25, 700, "CD"),
            [("AB", 100.0, 130.0), ("CD", 132.25, 162.25)],
        ),
        # ... and never by more than 3 pt, whatever the size (0.08 of 50 pt is 4 pt)
        (_text("F1", 50, 100, 700, "AB") + _text("F1", 50, 163, 700, "CD"), [("ABCD", 100.0, 223.0)]),
        (
            _text("F1", 50, 100, 700, "AB") + _text("F1", 50, 163.25, 700, "CD"),
            [("AB", 100.0, 160.0), ("CD", 163.25, 223.25)],
        ),
        # an overlap of up to 3 pt (kerning) keeps them one word; a wider one parts them
        (_text("F1", 50, 100, 700, "AB") + _text("F1", 50, 157, 700, "CD"), [("ABCD", 100.0, 217.0)]),
        (
            _text("F1", 50, 100, 700, "AB") + _text("F1", 50, 156.75, 700, "CD"),
            [("AB", 100.0, 160.0), ("CD", 156.75, 216.75)],
        ),
        # two one-character pieces 2.25 pt apart at 25 pt (PDFium's text has no space there): two words
        (
            _text("F1", 25, 100, 700, "A") + _text("F1", 25, 117.25, 700, "B"),
            [("A", 100.0, 115.0), ("B", 117.25, 132.25)],
        ),
        # one text object spacing its letters itself (2 pt of character spacing at 10 pt): one word, even before a
        # word of another object
        (
            b"BT /F1 10 Tf 2 Tc 100 700 Td (ABCD) Tj 0 Tc ET " + _text("F1", 10, 200, 700, "EF"),
            [("ABCD", 100.0, 130.0), ("EF", 200.0, 212.0)],
        ),
        # three pieces: the cut is made where the gap is, the other two joined
        (
            _text("F1", 25, 100, 700, "AB") + _text("F1", 25, 130, 700, "CD") + _text("F1", 25, 170, 700, "EF"),
            [("ABCD", 100.0, 160.0), ("EF", 170.0, 200.0)],
        ),
        (
            _text("F1", 25, 100, 700, "AB") + _text("F1", 25, 140, 700, "CD") + _text("F1", 25, 170, 700, "EF"),
            [("AB", 100.0, 130.0), ("CDEF", 140.0, 200.0)],
        ),
    ],
)
def test_pieces_of_a_word_set_by_several_text_objects_are_joined_while_they_touch(content, expected):
    """Rule: characters with no space between, from several text objects, are one word unless a gap wider than a
    glyph's spacing (0.08 of the size, at most 3 pt) or an overlap of more than 3 pt parts them. The same on a
    second page (each word with its page number)."""
    assert [(text, x0, x1) for text, x0, x1, *_ in _page_words(_pdf(content))] == expected
    assert [(text, x0, x1, page) for text, x0, x1, _, _, page, _ in _page_words(_pdf(b"", content))] == [
        (*word, 1) for word in expected
    ]


@pytest.mark.parametrize(
    "content, expected",
    [
        # a piece 3 pt lower is on the same line (its top is the word's first piece's); 3.25 pt lower, another
        (
            _text("F1", 25, 100, 700, "AB") + _text("F1", 25, 130, 697, "CD"),
            [("ABCD", 100.0, 160.0, 71.92, 25.0, None)],
        ),
        (
            _text("F1", 25, 100, 700, "AB") + _text("F1", 25, 130, 696.75, "CD"),
            [("AB", 100.0, 130.0, 71.92, 25.0, None), ("CD", 130.0, 160.0, 75.17, 25.0, None)],
        ),
        (
            _text("F1", 25, 100, 700, "AB") + _text("F1", 25, 130, 703.25, "CD"),
            [("AB", 100.0, 130.0, 71.92, 25.0, None), ("CD", 130.0, 160.0, 68.67, 25.0, None)],
        ),
        # another weight (a bold label cell touching its value): two words (the bold font's box top is its
        # FontBBox's 600, 0.6 of the size above its baseline)
        (
            _text("F1", 10, 100, 700, "AB") + _text("F2", 10, 112, 700, "CD"),
            [("AB", 100.0, 112.0, 83.97, 10.0, None), ("CD", 112.0, 124.0, 86.0, 10.0, None)],
        ),
        # a one-character bold piece touching a regular one: two words
        (
            _text("F2", 10, 100, 700, "C") + _text("F1", 10, 106, 700, "DE"),
            [("C", 100.0, 106.0, 86.0, 10.0, None), ("DE", 106.0, 118.0, 83.97, 10.0, None)],
        ),
        # another size: two words
        (
            _text("F1", 10, 100, 700, "AB") + _text("F1", 5, 112, 700, "CD"),
            [("AB", 100.0, 112.0, 83.97, 10.0, None), ("CD", 112.0, 118.0, 87.98, 5.0, None)],
        ),
        # another marked-content run (a tagged PDF's cell): two words, each with its run's id (0 is an id)
        (
            b"/P <</MCID 0>> BDC "
            + _text("F1", 10, 100, 700, "AB")
            + b"EMC /P <</MCID 3>> BDC "
            + _text("F1", 10, 112, 700, "CD")
            + b"EMC",
            [("AB", 100.0, 112.0, 83.97, 10.0, 0), ("CD", 112.0, 124.0, 83.97, 10.0, 3)],
        ),
        # a one-character piece of another run
        (
            b"/P <</MCID 0>> BDC "
            + _text("F1", 10, 100, 700, "A")
            + b"EMC /P <</MCID 3>> BDC "
            + _text("F1", 10, 106, 700, "BC")
            + b"EMC",
            [("A", 100.0, 106.0, 83.97, 10.0, 0), ("BC", 106.0, 118.0, 83.97, 10.0, 3)],
        ),
        # the same run's id twice: one word
        (
            b"/P <</MCID 2>> BDC "
            + _text("F1", 10, 100, 700, "AB")
            + _text("F1", 10, 112, 700, "CD")
            + b"EMC"
            + b"/P <</MCID 5>> BDC "
            + _text("F1", 10, 100, 600, "EF")
            + b"EMC",
            [("ABCD", 100.0, 124.0, 83.97, 10.0, 2), ("EF", 100.0, 112.0, 183.97, 10.0, 5)],
        ),
    ],
)
def test_a_word_is_cut_where_its_line_or_its_text_style_changes(content, expected):
    """Rule: a word is one line (its pieces within 3 pt of height) in one text style: size, weight, marked-content
    run."""
    assert [(text, x0, x1, top, size, mcid) for text, x0, x1, top, size, _, mcid in _page_words(_pdf(content))] == (
        expected
    )


@pytest.mark.parametrize(
    "content, size",
    [
        (b"BT /F1 1 Tf 12 0 0 12 100 700 Tm (AB) Tj ET", 12.0),  # 1 pt scaled by the text matrix to 12 pt
        (b"BT /F1 1 Tf 12 0 0 -12 100 700 Tm (AB) Tj ET", 12.0),  # upside down: still 12 pt
        (b"BT /F1 2 Tf 0.5 0 0 7 100 700 Tm (AB) Tj ET", 14.0),  # the height's scale, not the width's
        (_text("F1", 10.04, 100, 700, "AB"), 10.0),  # to a tenth of a point
        (_text("F1", 10.06, 100, 700, "AB"), 10.1),
    ],
)
def test_a_word_s_size_is_its_font_size_as_printed(content, size):
    """Rule: a word's size is the font size times the text matrix's vertical scale, to a tenth of a point."""
    assert [word[4] for word in _page_words(_pdf(content))] == [size]


def test_a_hyphen_that_ends_a_line_is_a_hyphen():
    """Rule: PDFium marks a hyphen ending a line (`Multi-` / `line`) as a soft hyphen; it is read as `-`, and
    the two lines stay two words."""
    content = _text("F3", 10, 100, 700, "Multi-") + _text("F3", 10, 100, 688, "line words")
    assert [word[0] for word in _page_words(_pdf(content))] == ["Multi-", "line", "words"]


def test_a_page_with_a_character_outside_the_basic_plane_reads_every_character():
    """Rule: where PDFium's text holds a character outside the Basic Multilingual Plane (two UTF-16 code units),
    each character is read one by one, the soft hyphen again as `-`, and the character is whole."""
    content = _text("F4", 10, 100, 700, "A Multi-") + _text("F4", 10, 100, 688, "line")
    assert [word[:3] for word in _page_words(_pdf(content))] == [
        ("\U0001f600", 100.0, 106.0),
        ("Multi-", 112.0, 148.0),
        ("line", 100.0, 124.0),
    ]


def test_a_character_mapped_to_half_a_surrogate_pair_is_the_replacement_character():
    """Rule: a font whose ToUnicode map gives half a surrogate pair (a broken map) gives U+FFFD for it, not an
    error and not a character no writer can encode."""
    assert [word[:3] for word in _page_words(_pdf(_text("F4", 10, 100, 700, "xBy z")))] == [
        ("x\ufffdy", 100.0, 118.0),
        ("z", 124.0, 130.0),
    ]


# --- links ---------------------------------------------------------------------------------------------------


def _link(rect: bytes, action: bytes | None) -> bytes:
    return b"<< /Type /Annot /Subtype /Link /Rect [%s] %s>>" % (rect, b"/A " + action + b" " if action else b"")


def test_links_with_a_uri_are_read_with_where_they_sit_and_their_page():
    """Rule: a link annotation with a URI gives its target and its box (top and bottom from the page's top) on
    its page; a link to a place in the document, one with an empty URI or none, is no link to a page."""
    page_1 = [
        _link(b"100 690 200 710", b"<< /S /URI /URI (https://example.org/a) >>"),
        _link(b"100 600 200 620", b"<< /S /GoTo /D [3 0 R /Fit] >>"),  # a place in this document
        _link(b"100 500 200 520", None),  # no action
        _link(b"100 400 200 420", b"<< /S /URI /URI () >>"),  # an empty URI
        _link(b"50 300 60 310", b"<< /S /URI /URI (x) >>"),  # one character
    ]
    page_2 = [_link(b"72.5 100 300 112.25", b"<< /S /URI /URI (https://example.org/caf\xe9) >>")]
    document = pdfium.PdfDocument(_pdf(b"", b"", annotations=(page_1, page_2)))
    try:
        links = [pdf._page_links(document, document[number], number, 792.0) for number in range(2)]
    finally:
        document.close()
    assert links == [
        [
            {"uri": "https://example.org/a", "x0": 100.0, "x1": 200.0, "top": 82.0, "bottom": 102.0, "page": 0},
            {"uri": "x", "x0": 50.0, "x1": 60.0, "top": 482.0, "bottom": 492.0, "page": 0},
        ],
        [
            {
                "uri": "https://example.org/caf\ufffd",  # not UTF-8: replaced, not an error
                "x0": 72.5,
                "x1": 300.0,
                "top": 679.75,
                "bottom": 692.0,
                "page": 1,
            }
        ],
    ]


@pytest.mark.parametrize(
    "rect",
    [
        b"270 676 326 690",  # lower left, upper right (the convention)
        b"326 690 270 676",  # upper right, lower left
        b"270 690 326 676",  # upper left, lower right: any two opposite corners make the rectangle (PDF 7.9.5)
    ],
)
def test_a_link_s_box_is_the_same_whichever_corners_its_rectangle_names(rect):
    """Rule: a link's box is read from any two opposite corners of its rectangle: left edge, right edge, top and
    bottom from the page's top (792 - 690 = 102 and 792 - 676 = 116); the target of a link over a word that does
    not show it is added after the word."""
    document = pdfium.PdfDocument(
        _pdf(b"", annotations=([_link(rect, b"<< /S /URI /URI (https://example.org/handbook.pdf) >>")],))
    )
    try:
        links = pdf._page_links(document, document[0], 0, 792.0)
    finally:
        document.close()
    assert links == [
        {"uri": "https://example.org/handbook.pdf", "x0": 270.0, "x1": 326.0, "top": 102.0, "bottom": 116.0, "page": 0}
    ]
    content = (
        _text("F1", 10, 72, 700, "Credential Name")
        + _text("F1", 10, 250, 700, "Alpha Credential")
        + _text("F1", 10, 72, 680, "Retakes")
        + _text("F1", 10, 250, 680, "Yes handbook")  # `handbook` from 274 pt to 322 pt, its top at 103.97 pt
    )
    printed = pdf.parse_pdf(
        _pdf(content, annotations=([_link(rect, b"<< /S /URI /URI (https://example.org/handbook.pdf) >>")],))
    )
    assert [(pair.label_raw, pair.value) for pair in printed.page.blocks[0].pairs] == [
        ("Credential Name", "Alpha Credential"),
        ("Retakes", "Yes handbook https://example.org/handbook.pdf"),
    ]


# --- the page's body, its chrome and its running lines ---------------------------------------------------------


class _Page:
    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height

    def get_width(self) -> float:
        return self.width

    def get_height(self) -> float:
        return self.height


class _Document:
    def __init__(self, *pages: _Page) -> None:
        self.pages = pages

    def __len__(self) -> int:
        return len(self.pages)

    def __getitem__(self, number: int) -> _Page:
        return self.pages[number]


def _words_of(monkeypatch, pages: list[list[Word]], sizes: list[tuple[float, float]]):
    """pdf._words over pages whose words (and one link a page) are given by hand."""
    document = _Document(*(_Page(*size) for size in sizes))
    seen = []

    def page_words(page, number, height):
        seen.append((number, height))
        return pages[number]

    monkeypatch.setattr(pdf, "_page_words", page_words)
    monkeypatch.setattr(pdf, "_page_links", lambda document, page, number, height: [{"page": number, "height": height}])
    result = pdf._words(document)
    assert seen == [(number, size[1]) for number, size in enumerate(sizes)]
    return result


@pytest.mark.parametrize(
    "word, chrome",
    [
        (_word("small", 100, 35.9, 8.9), True),  # in the top margin, in smaller type than the body's 10 pt
        (_word("small", 100, 36, 8.9), False),  # 36 pt from the top: the body
        (_word("small", 100, 747, 8.9), False),  # its bottom (top + size) at 755.9 on a 792 pt page: the body
        (_word("small", 100, 747.2, 8.9), True),  # its bottom at 756.1, in the bottom 36 pt
        (_word("small", 100, 748, 8.0), False),  # its bottom at 756 exactly: the body
        (_word("small", 100, 20, 9.0), False),  # 0.9 of the body's size: not smaller
        (_word("small", 100, 20, 12.0), False),  # larger type in the margin: a heading, not chrome
        (_word("small", 100, 500, 6.0), False),  # small type in the body
    ],
)
def test_header_and_footer_are_small_type_in_the_page_margins(monkeypatch, word, chrome):
    """Rule: the browser's header and footer are words in the top or bottom 36 pt of the page in type smaller than
    0.9 of the body's (the most common size); all else is body."""
    body = [_word("Body", 100, 300), _word("text", 150, 300), _word("here", 100, 400, 11.0)]
    words, found, links, widths = _words_of(monkeypatch, [[*body, word]], [(612.0, 792.0)])
    assert found == ([word] if chrome else [])
    assert words == ([*body] if chrome else [*body, word])
    assert (links, widths) == ([{"page": 0, "height": 792.0}], [612.0])


def test_every_page_s_words_links_and_width_are_read_and_its_own_height_sets_its_margins(monkeypatch):
    """Rule: every page is read, in order: its words, its links and its width; the bottom margin is measured
    from each page's own height (a word at 700 pt is in the bottom margin of a 720 pt page, not of 792 pt)."""
    pages = [
        [_word("One", 100, 100), _word("two", 100, 700, 7.0)],
        [_word("Three", 100, 100), _word("four", 100, 700, 7.0)],
    ]
    words, chrome, links, widths = _words_of(monkeypatch, pages, [(612.0, 792.0), (500.0, 720.0)])
    assert [word.text for word in words] == ["One", "two", "Three"]
    assert [word.text for word in chrome] == ["four"]
    assert links == [{"page": 0, "height": 792.0}, {"page": 1, "height": 720.0}]
    assert widths == [612.0, 500.0]


def test_running_lines_are_dropped_from_the_body(monkeypatch):
    """Rule: `_words` hands the body to the running-line filter with the document's page count: a line at the
    same place at the top of both pages is dropped."""
    pages = [
        [_word("Report", 100, 50), _word("Alpha", 100, 100), _word("Beta", 100, 120)],
        [_word("Report", 100, 50), _word("Gamma", 100, 100), _word("Delta", 100, 120)],
    ]
    words, *_ = _words_of(monkeypatch, pages, [(612.0, 792.0), (612.0, 792.0)])
    assert [word.text for word in words] == ["Alpha", "Beta", "Gamma", "Delta"]


@pytest.mark.parametrize(
    "pages, words, kept",
    [
        # a copyright line, a print date and a page number line: chrome wherever they are
        (1, [("Alpha", 0, 100), ("© 2024 NCDPI", 0, 200), ("Beta", 0, 300)], ["Alpha", "Beta"]),
        (1, [("Alpha", 0, 100), ("1/15/2026, 10:42 AM", 0, 200), ("Beta", 0, 300)], ["Alpha", "Beta"]),
        (1, [("Alpha", 0, 100), ("Page 2 of 3", 0, 200), ("Beta", 0, 300)], ["Alpha", "Beta"]),
        (1, [("Alpha", 0, 100), ("Page 2 of 3 Listing", 0, 200)], ["Alpha", "Page 2 of 3 Listing"]),
        # one page: a line at its edge is no running line
        (1, [("Header", 0, 50), ("Alpha", 0, 100)], ["Header", "Alpha"]),
        # the same line at the top of both pages (its page number aside): dropped
        (
            2,
            [("Page 1 Report", 0, 50), ("Alpha", 0, 100), ("Page 2 Report", 1, 50), ("Beta", 1, 100)],
            ["Alpha", "Beta"],
        ),
        # at the bottom of both pages: dropped
        (2, [("Alpha", 0, 100), ("Footer", 0, 700), ("Beta", 1, 100), ("Footer", 1, 700)], ["Alpha", "Beta"]),
        # on one page of two only: kept
        (2, [("Report", 0, 50), ("Alpha", 0, 100), ("Beta", 1, 100)], ["Report", "Alpha", "Beta"]),
        # at another height on the second page: kept
        (
            2,
            [("Report", 0, 50), ("Alpha", 0, 100), ("Report", 1, 60), ("Beta", 1, 100)],
            ["Report", "Alpha", "Report", "Beta"],
        ),
        # the same height rounded (50.4 and 49.6 are both 50): dropped
        (2, [("Report", 0, 50.4), ("Alpha", 0, 100), ("Report", 1, 49.6), ("Beta", 1, 100)], ["Alpha", "Beta"]),
        # three pages, the line on two of them: kept
        (
            3,
            [("Top", 0, 50), ("A", 0, 100), ("Top", 1, 50), ("B", 1, 100), ("C", 2, 50), ("D", 2, 100)],
            ["Top", "A", "Top", "B", "C", "D"],
        ),
        # a value at the same height on both pages with lines above and below it (`Yes`): kept
        (
            2,
            [("A", 0, 50), ("Yes", 0, 100), ("B", 0, 150), ("C", 1, 50), ("Yes", 1, 100), ("D", 1, 150)],
            ["A", "Yes", "B", "C", "Yes", "D"],
        ),
    ],
)
def test_page_chrome_in_body_type_is_dropped(pages, words, kept):
    """Rule: copyright, print-date and page-number lines are chrome; so is a line at the same place at the top
    or the bottom of every page of a document of several pages."""
    lines = []
    for text, page, top in words:  # each line's words, 6 pt a character and a space between
        x0 = 100
        for piece in text.split(" "):
            lines.append(Word(piece, x0, x0 + 6 * len(piece), top, 10.0, page))
            x0 += 6 * len(piece) + 6
    assert [" ".join(line) for line in _joined(pdf._without_chrome_lines(lines, pages))] == kept


def _joined(words: list[Word]) -> list[list[str]]:
    """The words kept, line by line (a line is one top on one page)."""
    lines: list[list[str]] = []
    place = None
    for word in words:
        if (word.page, word.top) != place:
            lines.append([])
            place = (word.page, word.top)
        lines[-1].append(word.text)
    return lines


@pytest.mark.parametrize(
    "tops, line, at_edge",
    [
        ([100, 200, 300], 100, True),  # the highest
        ([100, 200, 300], 300, True),  # the lowest
        ([100, 200, 300], 200, False),  # whole lines above and below
        ([100, 109.9, 300], 109.9, True),  # less than a line (10 pt) below the highest
        ([100, 110, 300], 110, False),  # a whole line below it
        ([100, 290.1, 300], 290.1, True),  # less than a line above the lowest
        ([100, 290, 300], 290, False),
    ],
)
def test_a_line_is_at_its_page_s_edge_when_no_line_is_a_whole_line_beyond_it(tops, line, at_edge):
    """Rule: a line is at its page's top (or bottom) edge when no line of its page is printed a whole line (its
    size) above (below) it; the edges are each page's own."""
    lines = [[Word("x", 100, 106, top, 10.0, 0)] for top in tops] + [[Word("y", 100, 106, 500, 10.0, 1)]]
    edges = pdf._page_edges(lines)
    assert edges == {0: (100, 300), 1: (500, 500)}
    assert pdf._at_edge([Word("x", 100, 106, line, 10.0, 0)], edges) is at_edge


def test_a_line_s_place_is_its_text_without_numbers_and_its_rounded_height():
    """Rule: a running line is known by its words with every number as `#` and its top to the point."""
    line = [Word("Page", 0, 24, 700.5, 10.0, 0), Word("12/340", 30, 66, 700.5, 10.0, 0)]
    assert pdf._place(line) == ("Page #/#", 700)
    assert pdf._place([Word("Page", 0, 24, 700.49, 10.0, 1)]) == ("Page", 700)


@pytest.mark.parametrize(
    "sizes, body",
    [([], 0.0), ([10.0], 10.0), ([12.0, 10.0, 10.0, 8.0], 10.0), ([8.0, 8.0, 10.0], 8.0)],
)
def test_the_body_size_is_the_most_common_size(sizes, body):
    """Rule: the body's size is the size most words have; 0 for no words."""
    assert pdf._body_size([Word("w", 0, 6, 100, size, 0) for size in sizes]) == body


@pytest.mark.parametrize(
    "texts, url",
    [
        (
            ["1/15/26,", "https://example.org/credential_info.php?cred_id=5", "https://example.org/b"],
            "https://example.org/credential_info.php?cred_id=5",
        ),
        (["Printed", "http://example.org/a)"], "http://example.org/a"),  # a bracket ends it
        (["see:https://example.org/a"], None),  # a word that only holds a URL later
        (["Printed", "on", "a", "day"], None),
        ([], None),
    ],
)
def test_the_printed_url_is_the_first_header_or_footer_word_that_is_a_url(texts, url):
    """Rule: the page's URL is the first header or footer word that starts with one."""
    assert pdf._footer_url([_word(text, 100, 10, 7.0) for text in texts]) == url


@pytest.mark.parametrize(
    "texts, year",
    [
        (["2023-2024", "Credentials", "by", "Course"], "2023-2024"),
        (["Credentials", "by", "Course", "for", "2024-2025"], "2024-2025"),
        (["x"] * 39 + ["2024-2025"], "2024-2025"),  # the 40th word
        (["x"] * 40 + ["2024-2025"], None),  # the 41st: too far in
        (["20232-2024"], None),
        (["Credentials", "by", "Course"], None),
    ],
)
def test_a_listing_s_year_is_a_school_year_in_its_first_forty_words(texts, year):
    """Rule: the listing's school year is the first `YYYY-YYYY` among its first 40 words."""
    assert pdf._year_in([_word(text, 100, 100) for text in texts]) == year


def test_line_texts_are_each_printed_line_s_words_joined():
    """Rule: the lines offered to the listing test are the printed lines, their words joined by a space."""
    words = [
        _word("Course", 100, 100),
        _word("Code", 150, 100),
        _word("Credential", 100, 120),
        _word("IM11", 100, 140, page=1),
    ]
    assert pdf._line_texts(words) == ["Course Code", "Credential", "IM11"]


# --- a whole PDF ---------------------------------------------------------------------------------------------


def test_a_printed_page_gives_its_pairs_its_printed_url_and_its_page_count():
    """Rule: a printed page's body words become label/value pairs; its footer URL (small type in a margin) and its
    page count come with them."""
    labels = [("Credential Name", "Alpha Credential"), ("Articulation", "None"), ("Retakes", "No")]
    content = b"".join(
        _text("F3", 10, 72, 700 - 20 * row, label) + _text("F3", 10, 250, 700 - 20 * row, value)
        for row, (label, value) in enumerate(labels)
    )
    content += _text("F3", 7, 40, 770, "https://example.org/credential_info.php?cred_id=7")
    content += _text("F3", 7, 40, 10, "1/15/26, 10:42 AM")  # chrome without a URL
    second = _text("F3", 10, 72, 700, "Sequencing") + _text("F3", 10, 250, 700, "Yes")
    content_of = pdf.parse_pdf(_pdf(content, second))
    assert content_of.pages == 2
    assert content_of.url == "https://example.org/credential_info.php?cred_id=7"
    assert content_of.listing == [] and content_of.listing_year is None
    [block] = content_of.page.blocks
    assert [(pair.label_raw, pair.value) for pair in block.pairs] == [*labels, ("Sequencing", "Yes")]


def test_a_value_wrapped_over_lines_and_a_page_break_is_joined_back():
    """Rule: a value wrapped to the page's right margin and over a page break is one value (credential 1118's
    `Sequencing`, printed by Chromium over pages 1 and 2; the text as on its page)."""
    content = pdf.parse_pdf((REPO / "raw" / "2023-2024" / "pdf" / "credential_1118.pdf").read_bytes())
    pairs = {pair.label_raw: pair.value for block in content.page.blocks for pair in block.pairs}
    assert pairs["Sequencing"] == (
        "Yes\nThe Manufacturing Skill Standards Council (MSSC) provides training and exams "
        "for stackable certifications and is an integral part of numerous certification "
        "pathways."
    )


@pytest.mark.parametrize(
    "first, joint",
    [
        # 72 characters from 72 pt end at 504 pt: `wraps.` (36 pt) after a space (0.3 of 10 pt) would end at 543 pt,
        # past the right margin (612 pt less the left margin's 72 pt, less 1.5 pt of padding: 538.5 pt): wrapped
        ("A printed value line seventy-two characters long, set in Courier 10 pts.", " "),
        # 71 characters end at 498 pt: `wraps.` would have ended at 537 pt, inside the margin: a line break
        ("A printed value line seventy-one characters long, set in Courier 10 pt.", "\n"),
    ],
)
def test_a_value_line_is_wrapped_when_its_next_word_would_not_fit_before_the_right_margin(first, joint):
    """Rule: on a page printed with its labels above their values, a value's line that the next line's first word
    would not have fitted on before the right margin (as wide as the left one) was wrapped by the printer: joined
    with a space; one it would have fitted on ended in a line break."""
    content = (
        _text("F1", 10, 72, 700, "Credential Name")
        + _text("F1", 10, 72, 688, first)
        + _text("F1", 10, 72, 676, "wraps. Then the value ends")
        + _text("F1", 10, 72, 652, "Articulation")
        + _text("F1", 10, 72, 640, "None")
    )
    [block] = pdf.parse_pdf(_pdf(content)).page.blocks
    assert [(pair.label_raw, pair.value) for pair in block.pairs] == [
        ("Credential Name", first + joint + "wraps. Then the value ends"),
        ("Articulation", "None"),
    ]


def _listing_pdf(rows: list[list[str]], title: str = "2023-2024 Credentials by Course") -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    buffer = io.BytesIO()
    table = Table([["Course Code", "Course Title", "Credential Name", "Federal Reporting?"], *rows])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    SimpleDocTemplate(buffer, pagesize=letter).build([Paragraph(title, getSampleStyleSheet()["Normal"]), table])
    return buffer.getvalue()


def test_the_listing_gives_its_rows_and_its_school_year():
    """Rule: a document whose short line names a course and a credential column and whose table has course
    codes is the listing: its rows, and the school year printed above them."""
    content = pdf.parse_pdf(
        _listing_pdf([["IM11", "Advanced Manufacturing I", "CPT Safety", "Yes"], ["BM20", "Excel", "MOS Excel", "No"]])
    )
    assert content.page is None
    assert content.listing == [
        {
            "course_code": "IM11",
            "course_title": "Advanced Manufacturing I",
            "credential_name": "CPT Safety",
            "federal_reporting": True,
        },
        {"course_code": "BM20", "course_title": "Excel", "credential_name": "MOS Excel", "federal_reporting": False},
    ]
    assert content.listing_year == "2023-2024"
    assert content.pages == 1


def test_a_listing_like_table_without_course_codes_is_read_as_a_page():
    """Rule: a table headed like the listing whose rows hold no course code is not the listing: the document is
    read as a printed page."""
    content = pdf.parse_pdf(_listing_pdf([["Welding", "Advanced Welding", "Alpha Credential", "Yes"]], "A page"))
    assert content.listing == [] and content.listing_year is None
    assert content.page is not None


def test_a_document_spelling_a_credential_page_s_labels_is_never_searched_for_the_listing(monkeypatch):
    """Rule: five directory labels make a printed page: its `Course Code` / `Credential Name` line does not send
    it to the table search; with four labels it is offered to the listing reader first."""
    offered = []
    monkeypatch.setattr(pdf.pdf_listing, "listing_of", lambda data: offered.append(data) or None)
    labels = ["Credential Name", "Articulation", "Sequencing", "Retakes", "Delivery Format"]

    def page(count: int) -> bytes:
        content = _text("F3", 10, 72, 720, "Course Code Credential Name")
        content += b"".join(
            _text("F3", 10, 72, 700 - 20 * row, label) + _text("F3", 10, 250, 700 - 20 * row, "Value")
            for row, label in enumerate(labels[:count])
        )
        return _pdf(content)

    assert pdf.parse_pdf(page(5)).page is not None
    assert offered == []
    data = page(4)
    assert pdf.parse_pdf(data).page is not None
    assert offered == [data]


# --- what is not read ------------------------------------------------------------------------------------------


def test_a_pdf_over_the_inflation_budget_is_not_read():
    """Rule: streams inflating past 128 MB are refused before PDFium opens the file."""
    with pytest.raises(DocumentError, match=r"^compressed streams inflate past 128 MB \(a zip bomb\?\); not read$"):
        pdf.parse_pdf(hostile.bomb_with_filters([b"FlateDecode"], hostile.deflate_bomb(129)))


def test_a_pdf_with_more_compressed_streams_than_allowed_is_not_read(monkeypatch):
    """Rule: more compressed streams than MAX_STREAMS are refused before PDFium opens the file; as many are read."""
    data = _pdf(_text("F1", 10, 100, 700, "Alpha"), b"", b"", flate=True)
    monkeypatch.setattr(pdf, "MAX_STREAMS", 3)
    assert pdf.parse_pdf(data).pages == 3
    monkeypatch.setattr(pdf, "MAX_STREAMS", 2)
    with pytest.raises(DocumentError, match=r"^over 2 compressed streams; not read$"):
        pdf.parse_pdf(data)


def test_a_pdf_inflating_to_exactly_its_budget_is_read(monkeypatch):
    """Rule: the budget is MAX_INFLATED_BYTES: streams inflating to exactly it are read, a byte more is refused."""
    content = _text("F1", 10, 100, 700, "Alpha")  # 38 bytes
    assert len(content) == 38
    data = _pdf(content, flate=True)
    monkeypatch.setattr(pdf, "MAX_INFLATED_BYTES", 38)
    assert pdf.parse_pdf(data).pages == 1
    monkeypatch.setattr(pdf, "MAX_INFLATED_BYTES", 37)
    with pytest.raises(DocumentError, match=r"^compressed streams inflate past 0 MB \(a zip bomb\?\); not read$"):
        pdf.parse_pdf(data)


_ENCRYPTED = (FIXTURES / "pdf" / "encrypted.pdf").read_bytes()


@pytest.mark.parametrize(
    "data, message",
    [
        (_ENCRYPTED, "encrypted PDF (a password is required); skipped"),
        # the same file with its /Encrypt key spelled with an escape (`#79` is `y`): known by PDFium's error alone
        (_ENCRYPTED.replace(b"/Encrypt", b"/Encr#79pt"), "encrypted PDF (a password is required); skipped"),
        # a file PDFium cannot read that names /Encrypt: encrypted
        (b"%PDF-1.7\n<< /Encrypt 5 0 R >>\n", "encrypted PDF (a password is required); skipped"),
        (b"%PDF-1.7\n<< /Type /Catalog >>\n", "corrupt PDF: Failed to load document (PDFium: Data format error)."),
        (b"not a pdf", "corrupt PDF: Failed to load document (PDFium: Data format error)."),
        (
            hostile.encrypted_one_page(b"", hostile.TEXT),
            "encrypted PDF (no password needed, but its streams cannot be checked before reading); not read",
        ),
        ((FIXTURES / "pdf" / "scan.pdf").read_bytes(), "PDF has no text layer (a scan?); OCR is out of scope; skipped"),
        (_pdf(b""), "PDF has no text layer (a scan?); OCR is out of scope; skipped"),
        (hostile.many_pages(501), "501 pages, over 500; not read"),
        # 500 pages are opened (each page's one line repeats at the same place: no body text is left)
        (hostile.many_pages(500), "PDF has no text layer (a scan?); OCR is out of scope; skipped"),
    ],
)
def test_an_unreadable_pdf_is_refused_with_its_cause(data, message):
    """Rule: an encrypted, corrupt, text-less or too long PDF is refused with its cause, not read."""
    with pytest.raises(DocumentError) as refused:
        pdf.parse_pdf(data)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    "text, whole",
    [("\ud83d\ude00", "\U0001f600"), ("a\ud83d\ude00b", "a\U0001f600b"), ("\ud83d", "\ufffd"), ("plain", "plain")],
)
def test_a_surrogate_pair_is_joined_into_its_character(text, whole):
    """Rule: a word's UTF-16 surrogate pair (PDFium's two code units) is the one character it encodes; a lone
    half, which no encoder can write, is the replacement character."""
    assert pdf._whole(text) == whole
