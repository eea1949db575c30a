"""pipeline/read/pdf_pages.py in process: printed words (as plain data) into lines and label/value events.

Words are given as data in Courier's metrics: every glyph is 0.6 of the font size wide, so a word of n
characters at size s spans n * 0.6 * s points (10 pt: 6 pt a character). Every expected value is worked out
by hand from the positions written here.
"""

from __future__ import annotations

import pytest

from pipeline.read import pdf_pages
from pipeline.read.blocks import Pair
from pipeline.read.pdf_pages import Word, _Frame, events, label_starts, labels_spelled, printed_lines


def w(text: str, x0: float, top: float, size: float = 10.0, page: int = 0, mcid: int | None = None) -> Word:
    """A word in Courier: n characters, 0.6 * size each."""
    return Word(text, x0, x0 + len(text) * 0.6 * size, top, size, page, mcid)


def texts(lines: list[list[Word]]) -> list[str]:
    return [" ".join(word.text for word in line) for line in lines]


def shown(found) -> list:
    return [(e.label_raw, e.value, e.key) if isinstance(e, Pair) else e.text for e in found]


# --- Word.same_run: a tagged PDF's text runs ----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (w("a", 0, 0, mcid=3), w("b", 10, 0, mcid=3), True),  # same marked-content id: one run
        (w("a", 0, 0, mcid=3), w("b", 10, 0, mcid=4), False),  # another id: a new run
        (w("a", 0, 0), w("b", 10, 0, mcid=4), None),  # untagged: unknown
        (w("a", 0, 0, mcid=3), w("b", 10, 0), None),
        (w("a", 0, 0, mcid=3), w("b", 10, 0, page=1, mcid=3), None),  # across a page: unknown
    ],
)
def test_same_run_is_known_only_for_tagged_words_on_one_page(a, b, expected):
    assert a.same_run(b) is expected


# --- printed_lines: same page, same height (2 pt), left to right ----------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([w("a", 0, 100), w("b", 20, 102)], ["a b"]),  # 2 pt lower: the same line
        ([w("a", 0, 100), w("b", 20, 102.5)], ["a", "b"]),  # 2.5 pt: the next line
        ([w("a", 0, 100), w("b", 20, 97.5)], ["a", "b"]),  # higher by 2.5 pt: another line
        ([w("a", 0, 100), w("b", 20, 98)], ["a b"]),
        ([w("ab", 0, 100), w("c", 12, 100)], ["ab c"]),  # starts right where `ab` ends (x1 = 12)
        ([w("ab", 0, 100), w("c", 11, 100)], ["ab", "c"]),  # starts left of `ab`'s end: a new line
        ([w("a", 0, 100), w("b", 20, 100, page=1)], ["a", "b"]),  # another page
    ],
)
def test_printed_lines_group_words_the_printer_laid_on_one_line(words, expected):
    assert texts(printed_lines(words)) == expected


# --- page chrome: a print date or page number on a page's first or last line ---------------------------


def test_print_date_and_page_number_on_a_pages_first_and_last_lines_are_chrome():
    """Header: `1/15/2026, 10:42 AM` at 20, the title 100 pt further; footer: `Page 1 of 2` far right."""
    words = [
        w("1/15/2026,", 20, 10),  # x1 80
        w("10:42", 86, 10),  # x1 116
        w("AM", 122, 10),  # x1 134
        w("Report", 200, 10),  # 66 pt after `AM`: more than 40 (4 sizes), a part of its own
        w("Body", 20, 100),
        w("Page", 20, 700),
        w("1", 50, 700),
        w("of", 62, 700),
        w("2", 80, 700),
    ]
    assert shown(events(words, [], 600)) == ["Report", "Body"]


def test_chrome_text_inside_a_page_is_kept():
    """`Page 1 of 2` on a middle line of the page is text, not a footer."""
    words = [w("Title", 20, 10), w("Page", 20, 100), w("1", 50, 100), w("of", 62, 100), w("2", 80, 100)]
    words.append(w("End", 20, 700))
    assert shown(events(words, [], 600)) == ["Title", "Page 1 of 2", "End"]


def test_a_date_close_to_other_words_is_one_part_and_kept():
    """Parts are cut only at a gap over four font sizes: `AM` then `Report` 40 pt after it is one part."""
    words = [w("1/15/2026,", 20, 10), w("10:42", 86, 10), w("AM", 122, 10), w("Report", 174, 10)]
    words.append(w("Body", 20, 100))
    assert shown(events(words, [], 600)) == ["1/15/2026, 10:42 AM Report", "Body"]


def test_chrome_is_found_on_each_pages_edges():
    """Each page has its own first and last line: the page number ends page 0 and page 1."""
    words = [
        w("Alpha", 20, 50, page=0),
        w("1/2", 500, 700, page=0),
        w("Beta", 20, 50, page=1),
        w("2/2", 500, 700, page=1),
    ]
    assert shown(events(words, [], 600)) == ["Alpha", "Beta"]


def test_the_first_line_of_a_page_is_found_by_height_not_stream_order():
    """The footer printed first in the stream is still the page's last line (lowest), the header its first."""
    words = [w("3/9", 500, 700), w("Middle", 20, 300), w("4/9", 500, 10), w("Lower", 20, 400)]
    assert shown(events(words, [], 600)) == ["Middle", "Lower"]


# --- headings and body ------------------------------------------------------------------------------------


def test_text_over_1_1_body_sizes_is_a_heading_read_as_lines_not_a_table():
    """Body 10 pt: a 12 pt `Retakes` is a heading line (no pair); 11 pt (exactly 1.1) is body."""
    words = [w("Retakes", 20, 30, size=12), w("Retakes", 20, 60), w("Yes", 150, 60), w("Sequencing", 20, 80)]
    words += [w("No", 150, 80), w("Small", 20, 100, size=11)]
    found = shown(events(words, [], 600))
    assert found[0] == "Retakes"
    assert found[1:3] == [("Retakes", "Yes", "retakes"), ("Sequencing", "No", "sequencing")]


def test_no_words_no_events():
    assert events([], [], 600) == []


# --- tables: labels left, values in a column --------------------------------------------------------------


def test_two_column_rows_become_pairs():
    words = [
        w("Retakes", 20, 100),
        w("Unlimited", 150, 100),
        w("Delivery", 20, 120),
        w("Format", 74, 120),
        w("Online", 150, 120),
        w("Sequencing", 20, 140),
        w("None", 150, 140),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Unlimited", "retakes"),
        ("Delivery Format", "Online", "delivery_format"),
        ("Sequencing", "None", "sequencing"),
    ]


def test_text_before_the_first_label_is_loose_lines():
    words = [w("Intro", 20, 80), w("text", 56, 80), w("Retakes", 20, 100), w("Yes", 150, 100)]
    words += [w("Sequencing", 20, 120), w("No", 150, 120)]
    assert shown(events(words, [], 600)) == [
        "Intro text",
        ("Retakes", "Yes", "retakes"),
        ("Sequencing", "No", "sequencing"),
    ]


def test_a_value_wrapped_in_its_cell_is_joined_by_a_space():
    """Value column 150..300 (the furthest a value line went: `bbbbbbbbbbbb` 228..300); `ccc` (18 pt) would
    not have fitted after it: wrapped."""
    words = [
        w("Retakes", 20, 100),
        w("a" * 12, 150, 100),
        w("b" * 12, 228, 100),
        w("ccc", 150, 112),
        w("Sequencing", 20, 140),
        w("No", 150, 140),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "a" * 12 + " " + "b" * 12 + " ccc", "retakes"),
        ("Sequencing", "No", "sequencing"),
    ]


def test_a_short_value_line_ends_in_a_real_break():
    """`Yes.` ends at 174 and `Then` (24 pt) fits after it in the column (to 300): a line break."""
    words = [
        w("Retakes", 20, 100),
        w("Yes.", 150, 100),
        w("Then", 150, 112),
        w("b" * 25, 150, 124),
        w("Sequencing", 20, 140),
        w("No", 150, 140),
    ]
    assert shown(events(words, [], 600))[0] == ("Retakes", "Yes.\nThen\n" + "b" * 25, "retakes")


def test_a_paragraph_across_both_columns_ends_the_table():
    """A line with a word over the value column's edge (150) is loose text, and so is all after it."""
    words = [
        w("Retakes", 20, 100),
        w("Yes", 150, 100),
        w("Sequencing", 20, 120),
        w("No", 150, 120),
        w("A", 20, 160),
        w("long", 32, 160),
        w("paragraph", 140, 160),  # 140..194 crosses 148.5
        w("after", 20, 172),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Yes", "retakes"),
        ("Sequencing", "No", "sequencing"),
        "A long paragraph",
        "after",
    ]


def test_a_line_left_of_the_label_column_ends_the_table():
    words = [
        w("Retakes", 20, 100),
        w("Yes", 150, 100),
        w("Sequencing", 20, 120),
        w("No", 150, 120),
        w("Footnote", 10, 160),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Yes", "retakes"),
        ("Sequencing", "No", "sequencing"),
        "Footnote",
    ]


def test_a_label_with_an_empty_value_then_the_next_label():
    """`Retakes` has no value: the next label cell (a whole label, on the next line) opens a new pair."""
    words = [
        w("Retakes", 20, 100),
        w("Sequencing", 20, 120),
        w("No", 150, 120),
        w("Articulation", 20, 140),
        w("Yes", 150, 140),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "", "retakes"),
        ("Sequencing", "No", "sequencing"),
        ("Articulation", "Yes", "articulation"),
    ]


def test_a_label_wrapped_in_its_cell_continues_a_longer_label():
    """`Proctored Environment` then `Required` under it: one label, its value beside its first line."""
    words = [
        w("Proctored", 20, 100),
        w("Environment", 20, 112),
        w("Required", 20, 124),
        w("Yes", 150, 100),
        w("Retakes", 20, 150),
        w("No", 150, 150),
    ]
    assert shown(events(words, [], 600)) == [
        ("Proctored Environment Required", "Yes", "proctored"),
        ("Retakes", "No", "retakes"),
    ]


def test_a_label_inside_a_value_line_is_value_text():
    """`Retakes` printed after `see` on the value's line does not open a pair."""
    words = [
        w("Sequencing", 20, 100),
        w("see", 150, 100),
        w("Retakes", 174, 100),
        w("Articulation", 20, 120),
        w("No", 150, 120),
    ]
    assert shown(events(words, [], 600)) == [
        ("Sequencing", "see Retakes", "sequencing"),
        ("Articulation", "No", "articulation"),
    ]


# --- stacked labels: value under the label (definition list) --------------------------------------------


def test_labels_on_their_own_lines_with_values_below():
    words = [
        w("Retakes", 20, 100),
        w("Unlimited", 20, 112),
        w("Sequencing", 20, 130),
        w("None", 20, 142),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Unlimited", "retakes"),
        ("Sequencing", "None", "sequencing"),
    ]


def test_a_stacked_value_keeps_its_line_break_and_blank_line():
    """`Unlimited` (ends 74) leaves room for `Then`: a break; a 20 pt drop (over 16) is a blank line."""
    words = [
        w("Retakes", 20, 100),
        w("Unlimited", 20, 112),
        w("Then", 20, 124),
        w("More", 20, 144),
        w("Sequencing", 20, 170),
        w("None", 20, 182),
    ]
    assert shown(events(words, [], 600))[0] == ("Retakes", "Unlimited\nThen\n\nMore", "retakes")


def test_a_stacked_value_wrapped_at_the_right_margin_is_joined():
    """Page right 100, frame right 98.5: `Unlimited` ends at 74, `again` (30 pt) past 98.5: wrapped."""
    words = [w("Retakes", 20, 100), w("Unlimited", 20, 112), w("again", 20, 124)]
    assert shown(events(words, [], 100)) == [("Retakes", "Unlimited again", "retakes")]


# --- labels spelled out ---------------------------------------------------------------------------------------


def test_label_starts_and_labels_spelled():
    words = [w("Delivery", 20, 100), w("Format", 74, 100), w("*", 110, 100), w("x", 150, 100)]
    words += [w("Retakes", 20, 120), w("y", 150, 120)]
    # `*` folds to nothing: it belongs to the label (end index 3)
    assert label_starts(words) == [(0, 3), (4, 5)]
    assert labels_spelled(words) == {"delivery_format", "retakes"}


def test_labels_spelled_finds_a_label_wrapped_line_by_line():
    """`Credential` / its value's first line / `Name` under `Credential`: the label's first line ends at 1."""
    words = [w("Credential", 20, 100), w("Acme", 150, 100), w("Name", 20, 112), w("Retakes", 20, 140)]
    assert label_starts(words)[0] == (0, 1)
    assert labels_spelled(words) == {"credential_name", "retakes"}


def test_an_unfinished_label_is_not_spelled():
    words = [w("Delivery", 20, 100), w("Mode", 74, 100)]
    assert labels_spelled(words) == set()
    assert label_starts(words) == []


# --- how two lines of a value join ---------------------------------------------------------------------------

FRAME = _Frame(right=100.0, bottom=700.0)


@pytest.mark.parametrize(
    ("previous", "line", "expected"),
    [
        # `alpha` 50..80; `beta` 24 pt: 80 + 3 (0.3 size) + 24 = 107 > 100: wrapped, a space
        ([w("alpha", 50, 100)], [w("beta", 50, 112)], " "),
        # `be` 12 pt: 80 + 3 + 12 = 95 fits: a real line break
        ([w("alpha", 50, 100)], [w("be", 50, 112)], "\n"),
        # exactly at the edge: 80 + 3 + 17 = 100, not past it: a break
        ([w("alpha", 50, 100)], [Word("be", 50, 67, 112, 10.0, 0)], "\n"),
        # a drop of 17 pt, over 1.6 sizes (16): a blank line
        ([w("alpha", 50, 100)], [w("beta", 50, 117)], "\n\n"),
        # exactly 16 pt: not a blank line (wrapped)
        ([w("alpha", 50, 100)], [w("beta", 50, 116)], " "),
        # wrapped after a hyphen: nothing between
        ([w("long-", 50, 100)], [w("term", 50, 112)], ""),
        # a lone `-` is a dash, not a hyphen: a space
        ([w("ab", 50, 100), w("-", 74, 100)], [w("beta", 50, 112)], " "),
        # an address wrapped in its query: it goes on
        ([w("http://a.b?x=", 20, 100)], [w("beta", 50, 112)], ""),
        ([w("http://a.b?x&", 20, 100)], [w("beta", 50, 112)], ""),
        ([w("http://a.b??", 20, 100)], [w("beta", 50, 112)], ""),
        # ends in `=` but is not an address: a space
        ([w("ab=cd=ef=gh=", 20, 100)], [w("beta", 50, 112)], " "),
        # an address alone on its line is a break even where it would have wrapped
        ([w("alpha", 50, 100)], [w("www.a.org", 50, 112)], "\n"),
        # with more words on its line: the wrap stands
        ([w("alpha", 50, 100)], [w("www.a.org", 50, 112), w("x", 110, 112)], " "),
        # tagged: the same run is a wrap though there was room
        ([w("alpha", 50, 100, mcid=1)], [w("be", 50, 112, mcid=1)], " "),
        # tagged: a new run is a break though it would not have fitted
        ([w("alpha", 50, 100, mcid=1)], [w("beta", 50, 112, mcid=2)], "\n"),
    ],
)
def test_break_between_two_lines_of_a_value(previous, line, expected):
    assert pdf_pages._break_between(previous, line, FRAME) == expected


@pytest.mark.parametrize(
    ("last_top", "first", "expected"),
    [
        # the page ended 16 pt (1.6 sizes) or more above the lowest line: a blank line at the page's end
        (684, w("Next", 50, 50, page=1), "\n\n"),
        (680, w("Next", 50, 50, page=1), "\n\n"),
        # less room than that: the page was full, `Next` (24 pt after 80 + 3 > 100) wrapped
        (685, w("Next", 50, 50, page=1), " "),
        # the next page goes on in lower case: a line break carried over, read by room (`next` wraps)
        (680, w("next", 50, 50, page=1), " "),
        (680, w("no", 50, 50, page=1), "\n"),
    ],
)
def test_break_over_a_page(last_top, first, expected):
    assert pdf_pages._break_between([w("alpha", 50, last_top)], [first], FRAME) == expected


@pytest.mark.parametrize(
    ("previous", "line", "column", "expected"),
    [
        # a word too wide for its column 50..110, split where the line was full (`abcdefghij` 50..110; the
        # next character would not fit): the word goes on
        ([w("abcdefghij", 50, 100)], [w("klm", 50, 112)], (50, 110), ""),
        # a capitalised piece begins a sentence, not the rest of a word: wrapped (a space)
        ([w("abcdefghij", 50, 100)], [w("Klm", 50, 112)], (50, 110), " "),
        # an address after a full line does not go on the word: it fills its line (54 pt of 60), after a full
        # line: a space
        ([w("abcdefghij", 50, 100)], [w("www.x.org", 50, 112)], (50, 110), " "),
        # the line had two words: not a lone piece; `klm` 18 pt does not fit after 110 (+3): wrapped
        ([w("ab", 50, 100), w("cdefg", 80, 100)], [w("klm", 50, 112)], (50, 110), " "),
        # a piece that fills its own line after a short line: a word too wide began on a line of its own
        ([w("ab", 50, 100)], [w("abcdefghij", 50, 112)], (50, 110), "\n"),
        # after a full line: a space
        ([w("ab", 50, 100), w("cdefg", 80, 100)], [w("abcdefghij", 50, 112)], (50, 110), " "),
    ],
)
def test_break_between_in_a_column_with_words_too_wide(previous, line, column, expected):
    assert pdf_pages._break_between(previous, line, FRAME, column) == expected


def test_an_address_split_where_the_line_was_full_goes_on():
    """`x.org/ab` (8 chars, 50..98) then `cd` (50..62) in a column 20..98: together 60 pt, wider than
    the frame's 50 from the column's left (20) to its right (70): one address split where the line was full."""
    frame = _Frame(right=70.0, bottom=700.0)
    previous = [w("x", 20, 100), w("x.org/ab", 50, 100)]
    assert pdf_pages._break_between(previous, [w("cd", 50, 112)], frame, (20, 98)) == ""


# --- a value's text ---------------------------------------------------------------------------------------------


def test_value_text_joins_lines_and_strips():
    words = [w("one", 50, 100), w("two", 74, 100), w("three", 50, 120)]
    assert pdf_pages._value_text(words, FRAME) == "one two\n\nthree"
    assert pdf_pages._value_text([], FRAME) == ""


def test_label_text_glues_the_footnote_star():
    assert pdf_pages._label_text([w("Multilingual", 0, 0), w("Resources", 80, 0), w("*", 140, 0)]) == (
        "Multilingual Resources*"
    )
    assert pdf_pages._label_text([w("*", 0, 0), w("Retakes", 10, 0)]) == "* Retakes"


# --- links whose text hides their target ------------------------------------------------------------------------


def link(uri: str, x0: float, x1: float, top: float, bottom: float, page: int = 0) -> dict:
    return {"uri": uri, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "page": page}


def test_a_links_target_is_appended_after_text_that_does_not_show_it():
    """`Vendor site` (50..80, 86..110) links to https://v.example/: the address goes after `site`."""
    words = [w("Vendor", 50, 100), w("site", 86, 100), w("More", 50, 200)]
    found = shown(events(words, [link("https://v.example/", 49, 111, 98, 110)], 600))
    assert found == ["Vendor site https://v.example/", "More"]


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("https://v.example/", "https://v.example"),  # the text shows it (trailing `/` aside)
        ("mailto:a@b.c", "https://v.example"),  # not a web address
        ("https://web.archive.org/web/20240101/https://v.example", "https://v.example"),  # archived: unwrapped
    ],
)
def test_a_links_target_is_not_added_when_shown_or_not_web(uri, expected):
    words = [w("https://v.example", 50, 100), w("End", 50, 200)]
    assert shown(events(words, [link(uri, 49, 155, 98, 110)], 600))[0] == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        (w("ab", 40, 100), True),  # middle 46, inside 45..61 (45 - 1 .. 60 + 1)
        (w("ab", 38, 100), False),  # middle 44: left of 45
        (w("ab", 49, 100), True),  # middle 55
        (w("ab", 55, 100), True),  # middle 61: at the right edge + 1
        (w("ab", 56, 100), False),  # middle 62
        (w("ab", 46, 98), True),  # top 98: at link top - 2
        (w("ab", 46, 97), False),
        (w("ab", 46, 110), True),  # at the bottom
        (w("ab", 46, 111), False),
    ],
)
def test_a_word_inside_a_link(word, expected):
    assert pdf_pages._inside(word, link("u", 46, 60, 100, 110)) is expected


def test_a_link_on_another_page_does_not_take_the_word():
    words = [w("Vendor", 50, 100), w("End", 50, 200)]
    assert shown(events(words, [link("https://v.example/", 49, 111, 98, 110, page=1)], 600))[0] == "Vendor"


# --- which labels open a row, and how ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "index", "expected"),
    [
        ([w("a", 20, 100), w("Retakes", 20, 112)], 1, True),  # on the next line (12 pt lower)
        ([w("a", 20, 100), w("Retakes", 40, 102)], 1, False),  # 2 pt lower, to the right: the same line
        ([w("a", 20, 100), w("Retakes", 40, 102.5)], 1, True),  # 2.5 pt lower: the next line
        ([w("a", 20, 100), w("Retakes", 40, 97.5)], 1, True),  # 2.5 pt higher: another line
        ([w("ab", 20, 100), w("Retakes", 31, 100)], 1, True),  # starts left of `ab`'s end (32): a new line
        ([w("ab", 20, 100), w("Retakes", 32, 100)], 1, False),  # right at its end: the same line
        ([w("a", 20, 100), w("Retakes", 40, 100, page=1)], 1, True),  # another page
        ([w("Retakes", 20, 100)], 0, True),  # the first word
    ],
)
def test_a_label_begins_its_line(words, index, expected):
    assert pdf_pages._begins_line(words, index) is expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # `Yes` right of `Retakes` (20..62), on its line
        ([w("Retakes", 20, 100), w("Yes", 150, 100)], True),
        # the value 2 pt lower still on its line; 2.5 pt lower: below it
        ([w("Retakes", 20, 100), w("Yes", 150, 102)], True),
        ([w("Retakes", 20, 100), w("Yes", 150, 102.5)], False),
        # higher is fine (a value cell's text sits higher)
        ([w("Retakes", 20, 100), w("Yes", 150, 80)], True),
        # at the label's left edge, not right of it
        ([w("Retakes", 20, 100), w("Yes", 20, 100)], False),
        ([w("Retakes", 20, 100), w("Yes", 21, 100)], True),
        # on another page
        ([w("Retakes", 20, 100), w("Yes", 150, 100, page=1)], False),
        # nothing after the label
        ([w("Retakes", 20, 100)], False),
    ],
)
def test_a_value_on_its_labels_line(words, expected):
    assert pdf_pages._on_its_line(words, 0, 1) is expected


def test_a_wrapped_labels_value_beside_its_first_line_is_on_its_line():
    """`Delivery` (20..68) / `Format` under it (top 112): a value at top 114 is within 2 pt of the lower line and
    right of `Format` (20): on its line; at 114.5, below both."""
    label = [w("Delivery", 20, 100), w("Format", 20, 112)]
    assert pdf_pages._on_its_line([*label, w("x", 150, 114)], 0, 2) is True
    assert pdf_pages._on_its_line([*label, w("x", 150, 114.5)], 0, 2) is False
    # beside `Format` only: right of its x0 (20) though left of `Delivery`'s end
    assert pdf_pages._on_its_line([*label, w("x", 30, 112)], 0, 2) is True


@pytest.mark.parametrize(
    ("values_x", "expected"),
    [
        ([150, 150, 150], [True, True, True]),
        ([150, 152, 150], [True, True, True]),  # 2 pt off the column: still in it
        ([150, 148, 150], [True, True, True]),
        ([150, 152.1, 150], [True, False, True]),  # 2.1 pt off (though it rounds to 152): not in it
        ([150, 147.9, 150], [True, False, True]),
        ([150, 153, 150], [True, False, True]),  # 3 pt off: a bold label's text
        ([150, 90, 200], [False, False, False]),  # no two agree
        ([150, 150, 90, 200], [True, True, False, False]),  # 2 of 4: at least half agree
    ],
)
def test_values_beside_their_labels_share_a_column(values_x, expected):
    words, starts = [], []
    for row, x in enumerate(values_x):
        starts.append((len(words), len(words) + 1))
        words += [w("Retakes", 20, 100 + 20 * row), w("v", x, 100 + 20 * row)]
    assert pdf_pages._beside_flags(words, starts) == expected


def test_a_lone_label_with_its_value_beside_is_a_row():
    words = [w("Retakes", 20, 100), w("v", 150, 100)]
    assert pdf_pages._beside_flags(words, [(0, 1)]) == [True]
    assert pdf_pages._value_column(words, [(0, 1)], [True]) == 150


def test_a_value_below_its_label_is_not_beside():
    words = [w("Retakes", 20, 100), w("v", 20, 112), w("Sequencing", 20, 130), w("v", 20, 142)]
    assert pdf_pages._beside_flags(words, [(0, 1), (2, 3)]) == [False, False]
    assert pdf_pages._value_column(words, [(0, 1), (2, 3)], [False, False]) is None


def test_the_value_column_is_where_most_values_start():
    words = [w("Retakes", 20, 100), w("v", 150.4, 100), w("Sequencing", 20, 120), w("v", 149.6, 120)]
    words += [w("Articulation", 20, 140), w("v", 160, 140)]
    assert pdf_pages._value_column(words, [(0, 1), (2, 3), (4, 5)], [True, True, True]) == 150
    assert pdf_pages._value_column(words, [(0, 1), (2, 3), (4, 5)], [False, False, True]) == 160


def test_a_label_starting_inside_the_value_column_is_a_values_word():
    """`Sequencing` on its own line at 150, the value column, is text of Retakes's value."""
    words = [
        w("Retakes", 20, 100),
        w("See", 150, 100),
        w("Sequencing", 150, 112),
        w("Articulation", 20, 130),
        w("No", 150, 130),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "See\nSequencing", "retakes"),
        ("Articulation", "No", "articulation"),
    ]


def test_a_label_just_left_of_the_value_column_still_opens_a_row():
    """Column at 150: a label at 148 (more than 1.5 pt left of it) is kept as a label, one at 148.6 is not."""
    words = [
        w("Retakes", 20, 100),
        w("Yes", 150, 100),
        w("Articulation", 20, 120),
        w("No", 150, 120),
        w("Sequencing", 148, 140),
    ]
    assert shown(events(words, [], 600))[-1][0] == "Sequencing"
    words[-1] = w("Sequencing", 148.6, 140)
    # 20 pt under `No`: a blank line between (over 16)
    assert shown(events(words, [], 600))[-1] == ("Articulation", "No\n\nSequencing", "articulation")


def test_only_labels_inside_the_value_column_leave_loose_lines():
    words = [w("Intro", 20, 80), w("Retakes", 20, 100, size=10), w("Yes", 150, 100)]
    # one label, beside its value: a row
    assert shown(events(words, [], 600)) == ["Intro", ("Retakes", "Yes", "retakes")]


def test_rows_read_as_columns_then_stacked():
    """Two rows with values beside, then a label with its value below: each run read its own way."""
    words = [
        w("Retakes", 20, 100),
        w("Yes", 150, 100),
        w("Sequencing", 20, 120),
        w("No", 150, 120),
        w("Articulation", 20, 150),
        w("Some", 20, 162),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Yes", "retakes"),
        ("Sequencing", "No", "sequencing"),
        ("Articulation", "Some", "articulation"),
    ]


def test_a_heading_between_two_tables():
    words = [w("Retakes", 20, 100), w("Yes", 150, 100), w("Sequencing", 20, 120), w("No", 150, 120)]
    words += [w("Next", 20, 150, size=14), w("Articulation", 20, 180), w("No", 150, 180)]
    words += [w("Retakes", 20, 200), w("Once", 150, 200)]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Yes", "retakes"),
        ("Sequencing", "No", "sequencing"),
        "Next",
        ("Articulation", "No", "articulation"),
        ("Retakes", "Once", "retakes"),
    ]


def test_the_body_size_is_the_most_common_size():
    """Three 10 pt words and two 14 pt: 10 is the body, 14 (over 11) the heading."""
    words = [w("Big", 20, 50, size=14), w("Title", 70, 50, size=14)]
    words += [w("Retakes", 20, 100), w("Yes", 150, 100), w("a", 150, 130)]
    assert shown(events(words, [], 600)) == ["Big Title", ("Retakes", "Yes\n\na", "retakes")]


# --- a label cell's words -------------------------------------------------------------------------------------


def test_a_label_word_wider_than_its_cell_runs_into_the_value_column():
    """`Accommodations` (14 chars, 20..104) under `Student`, value column at 90: still the label's word."""
    words = [
        w("Retakes", 20, 100),
        w("Yes", 90, 100),
        w("Student", 20, 120),
        w("Yes", 90, 120),
        w("Accommodations", 20, 132),
        w("Sequencing", 20, 150),
        w("No", 90, 150),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Yes", "retakes"),
        ("Student Accommodations", "Yes", "accommodations"),
        ("Sequencing", "No", "sequencing"),
    ]


def test_an_unknown_label_wrapped_after_a_value_line_stays_one_label():
    """A producer writing line by line: `Retakes` row, then the unknown `Foo` / value / `Bar` under `Foo`. The
    values reach 240 (`time`): `one` (to 168) left room for `two`, a line break."""
    words = [
        w("Retakes", 20, 100),
        w("Yes,", 150, 100),
        w("every", 180, 100),
        w("time", 216, 100),
        w("Sequencing", 20, 120),
        w("No", 150, 120),
        w("Foo", 20, 140),
        w("one", 150, 140),
        w("Bar", 20, 152),
        w("two", 150, 152),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Yes, every time", "retakes"),
        ("Sequencing", "No", "sequencing"),
        ("Foo Bar", "one\ntwo", None),
    ]


def test_tagged_label_cells_one_after_another():
    """Tagged: `Retakes` (run 1) then `Sequencing` (run 2) on the next line: two labels, the first empty."""
    words = [
        w("Retakes", 20, 100, mcid=1),
        w("Sequencing", 20, 112, mcid=2),
        w("No", 150, 112, mcid=3),
        w("Articulation", 20, 130, mcid=4),
        w("Yes", 150, 130, mcid=5),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "", "retakes"),
        ("Sequencing", "No", "sequencing"),
        ("Articulation", "Yes", "articulation"),
    ]


# --- small position rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        (w("b", 20, 50, page=1), True),  # on the next page: a row broken across pages
        (w("b", 20, 50, page=2), False),  # two pages on: not the next line
        (w("b", 20, 102.5), True),  # lower on the page by more than 2 pt
        (w("b", 20, 102), False),  # 2 pt: the same line
        (w("b", 20, 90), False),  # higher
    ],
)
def test_below(word, expected):
    assert pdf_pages._below(word, w("a", 20, 100)) is expected


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (w("b", 32, 100), True),  # `ab` ends at 32: right after it
        (w("b", 31, 100), False),  # overlaps it: another line (a column's next line)
        (w("b", 40, 102), True),
        (w("b", 40, 97.9), False),
        (w("b", 40, 100, page=1), False),
    ],
)
def test_same_line(after, expected):
    assert pdf_pages._same_line(w("ab", 20, 100), after) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ([w("a", 19, 100)], False),  # 1 pt left of the label column (20): inside
        ([w("a", 18.9, 100)], True),  # more: left of the table
        ([w("aaa", 129.9, 100)], False),  # 129.9..147.9: ends before 148
        ([w("aaaaa", 130, 100)], True),  # 130..160: over the value column's edge (148, 2 pt left of it)
        ([w("a", 148, 100)], False),  # starts at the edge: a value word
        ([w("a", 20, 100), w("a", 147.9, 100)], True),  # 147.9..153.9 crosses 148
    ],
)
def test_outside_table(line, expected):
    assert pdf_pages._outside_table(line, 20, 150) is expected


# --- a label wrapped line by line (a producer that writes a row line by line) -------------------------------


def folded(words: list[Word]) -> list[str]:
    return [word.text.lower() for word in words]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # `Credential` / its value's first line / `Name` under `Credential`: the first line ends at 1
        ([w("Credential", 20, 100), w("Acme", 150, 100), w("Name", 20, 112)], (1, ["credential", "name"])),
        # `Name` 1.5 pt right of `Credential`'s left: still under it; 1.6: not
        ([w("Credential", 20, 100), w("Acme", 150, 100), w("Name", 21.5, 112)], (1, ["credential", "name"])),
        ([w("Credential", 20, 100), w("Acme", 150, 100), w("Name", 21.6, 112)], None),
        ([w("Credential", 20, 100), w("Acme", 150, 100), w("Name", 18.5, 112)], (1, ["credential", "name"])),
        ([w("Credential", 20, 100), w("Acme", 150, 100), w("Name", 18.4, 112)], None),
        # on the next page: a row broken across pages
        ([w("Credential", 20, 700), w("Acme", 150, 700), w("Name", 20, 50, page=1)], (1, ["credential", "name"])),
        # no value beside the first line: not this layout
        ([w("Credential", 20, 100), w("Name", 20, 112)], None),
        # the next line is not the label's next word
        ([w("Credential", 20, 100), w("Acme", 150, 100), w("Vendor", 20, 112)], None),
        # a word on the label's line left of it: not a value beside it
        ([w("Credential", 20, 100), w("Acme", 10, 100), w("Name", 20, 112)], None),
        # the label's first line holds two words, the value beside, the third word under
        (
            [w("Proctored", 20, 100), w("Environment", 80, 100), w("Yes", 150, 100), w("Required", 20, 112)],
            (2, ["proctored", "environment", "required"]),
        ),
        # the value beside each line of the label
        (
            [
                w("Proctored", 20, 100),
                w("Yes", 150, 100),
                w("Environment", 20, 112),
                w("more", 150, 112),
                w("Required", 20, 124),
            ],
            (1, ["proctored", "environment", "required"]),
        ),
        # the label's next word on its first line after the value: not the label
        ([w("Credential", 20, 100), w("Acme", 80, 100), w("Name", 120, 100)], None),
    ],
)
def test_wrapped_label_end(words, expected):
    assert pdf_pages._wrapped_label_end(words, folded(words), 0) == expected


def test_a_wrapped_label_read_as_one_label():
    words = [
        w("Delivery", 20, 100),
        w("Online", 150, 100),
        w("Format", 20, 112),
        w("Retakes", 20, 130),
        w("Yes", 150, 130),
    ]
    assert shown(events(words, [], 600)) == [
        ("Delivery Format", "Online", "delivery_format"),
        ("Retakes", "Yes", "retakes"),
    ]


def test_a_word_under_a_whole_label_after_its_value_opens_a_new_row():
    """`Retakes` is a whole label: `Foo` under it after the value is the next (unknown) label, not a wrap."""
    words = [
        w("Retakes", 20, 100),
        w("Yes", 150, 100),
        w("Sequencing", 20, 120),
        w("No", 150, 120),
        w("Foo", 20, 140),
        w("bar", 150, 140),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Yes", "retakes"),
        ("Sequencing", "No", "sequencing"),
        ("Foo", "bar", None),
    ]


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (w("Sequencing", 20, 112, mcid=1), []),  # tagged, one text run: the same cell goes on
        (w("Sequencing", 20, 112, mcid=2), [Pair("Retakes", "", "retakes")]),  # a new run: a new cell
        (w("Sequencing", 20, 112), [Pair("Retakes", "", "retakes")]),  # untagged, on a lower line
        (w("Sequencing", 20, 102), []),  # untagged, 2 pt lower: the label's line
        (w("Sequencing", 20, 102, page=1), [Pair("Retakes", "", "retakes")]),  # on the next page
    ],
)
def test_a_whole_label_cell_then_another_label_cell(second, expected):
    """No value came after `Retakes` (a whole label): the next label word opens a new cell unless it is in the
    same text run (tagged) or on `Retakes`'s line (untagged)."""
    table = pdf_pages._Table(FRAME, 100)
    found: list = []
    table.add_label_word(w("Retakes", 20, 100, mcid=1), found)
    table.add_label_word(second, found)
    assert found == expected


def test_a_label_cell_that_is_no_whole_label_goes_on_below():
    table = pdf_pages._Table(FRAME, 100)
    found: list = []
    table.add_label_word(w("Proctored", 20, 100), found)
    table.add_label_word(w("Foo", 20, 112), found)
    assert found == []
    table.flush(found)
    assert found == [Pair("Proctored Foo", "", None)]


def test_stacked_labels_inline_with_their_value():
    """A bold label and its text on one line (`Retakes Unlimited`): read by the glued-text reader."""
    words = [
        w("Retakes", 20, 100),
        w("Unlimited", 68, 100),
        w("Sequencing", 20, 120),
        w("None", 86, 120),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Unlimited", "retakes"),
        ("Sequencing", "None", "sequencing"),
    ]


def test_two_links_to_one_address_append_it_once_after_the_last_word():
    words = [w("Vendor", 50, 100), w("site", 50, 112), w("End", 50, 200)]
    links = [link("https://v.example/", 49, 90, 98, 108), link("https://v.example/", 49, 90, 110, 120)]
    assert shown(events(words, links, 600)) == ["Vendor", "site https://v.example/", "End"]


def test_a_link_over_no_word_adds_nothing():
    words = [w("Vendor", 50, 100), w("End", 50, 200)]
    assert shown(events(words, [link("https://v.example/", 300, 400, 98, 108)], 600)) == ["Vendor", "End"]


# --- survivors of the first runs: boundaries and paths the tests above missed -----------------------------


def test_a_link_boundary_on_its_left_edge():
    """`ab` at 39..51: its middle 45 is exactly the link's left (46) less 1: inside."""
    assert pdf_pages._inside(w("ab", 39, 100), link("u", 46, 60, 100, 110)) is True


WIDE = _Frame(right=200.0, bottom=700.0)


@pytest.mark.parametrize(
    ("previous", "line", "frame", "column", "expected"),
    [
        # `a-` (2 characters, to 62) wrapped after its hyphen (62 + 3 + 42 > 100): nothing between
        ([w("a-", 50, 100)], [w("betagam", 50, 112)], FRAME, None, ""),
        # `alpha` ends at 80; `bee` 18 pt: 80 + 3 + 18 = 101 > 100: wrapped
        ([w("alpha", 50, 100)], [w("bee", 50, 112)], FRAME, None, " "),
        # in a column whose lines reached 110: the edge is 110.5; `ab cd` ends at 80
        ([w("ab", 50, 100), w("cd", 68, 100)], [Word("xyz", 50, 77.5, 112, 10.0, 0)], WIDE, (50, 110), "\n"),
        ([w("ab", 50, 100), w("cd", 68, 100)], [Word("xyz", 50, 78, 112, 10.0, 0)], WIDE, (50, 110), " "),
        # a lone word reaching 110 in a column filled to 115.5: 110 + 6 = 116, not past 116: not full, wrapped
        ([w("abcdefghij", 50, 100)], [w("klm", 50, 112)], WIDE, (50, 115.5), " "),
        # a lone word ending at 105 in a column filled to 110: 105 + 6 = 111 > 110.5: full, the word goes on
        ([Word("abcdefghij", 50, 105, 100, 10.0, 0)], [w("klm", 50, 112)], WIDE, (50, 110), ""),
        # a piece filling its own line starting exactly one em from the left: a word too wide, on its own line
        ([w("ab", 40, 100)], [Word("abcdefghij", 50, 110, 112, 10.0, 0)], WIDE, (40, 110), "\n"),
        # ... and ending exactly one em short of the column's reach
        ([w("ab", 50, 100)], [Word("abcdefghij", 50, 110, 112, 10.0, 0)], WIDE, (50, 120), "\n"),
        # an address split where the line was full, its piece starting near the left but not filling its line
        ([w("x", 20, 100), w("x.org/ab", 50, 100)], [w("cd", 50, 112)], _Frame(70.0, 700.0), (45, 98), ""),
        # no `/`, `@` or dotted word: not an address, the wrap stands
        ([w("x", 20, 100), w("abcdefgh", 50, 100)], [w("cd", 50, 112)], _Frame(70.0, 700.0), (20, 98), " "),
        # the two pieces together (60 pt) not wider than the frame from the column's left (130): a wrap
        ([w("x", 20, 100), w("x.org/ab", 50, 100)], [w("cd", 50, 112)], _Frame(150.0, 700.0), (20, 98), " "),
        # the line was not full (`x.org/a` ends at 92, + 6 = 98, not past 98.5): a wrap, not a split word
        ([w("x", 20, 100), w("x.org/a", 50, 100)], [w("cd", 50, 112)], _Frame(70.0, 700.0), (20, 98), " "),
        # full, and the next piece fills its line: a word that began on a line of its own, a space
        (
            [w("x", 20, 100), w("x.org/ab", 50, 100)],
            [Word("cdefgh", 50, 98, 112, 10.0, 0)],
            _Frame(70.0, 700.0),
            (45, 98),
            " ",
        ),
    ],
)
def test_break_between_at_its_boundaries(previous, line, frame, column, expected):
    assert pdf_pages._break_between(previous, line, frame, column) == expected


def test_a_stacked_label_after_a_full_value_line_still_opens_its_pair():
    """Page right 100: `Unlimited` (20..74) then `Sequencing` (60 pt) would not have fitted after it, yet a
    label line opens a new pair."""
    words = [w("Retakes", 20, 100), w("Unlimited", 20, 112), w("Sequencing", 20, 124), w("None", 20, 136)]
    assert shown(events(words, [], 100)) == [
        ("Retakes", "Unlimited", "retakes"),
        ("Sequencing", "None", "sequencing"),
    ]


def test_an_inline_labels_value_wrapped_onto_the_next_line():
    """Bold labels, their text after them wherever they end (68, 86: no shared column): `Retakes Unlimited`
    (ends 122) then `again` (30 pt): past the frame's 98.5, wrapped: one line."""
    words = [w("Retakes", 20, 100), w("Unlimited", 68, 100), w("again", 20, 112)]
    words += [w("Sequencing", 20, 130), w("None", 86, 130)]
    assert shown(events(words, [], 100)) == [
        ("Retakes", "Unlimited again", "retakes"),
        ("Sequencing", "None", "sequencing"),
    ]


def test_a_blank_line_after_directory_notes_ends_its_value():
    """The glued reader closes the last label's value at a blank line: what follows is loose text."""
    words = [
        w("Directory", 20, 100),
        w("Notes", 80, 100),
        w("Some", 20, 112),
        w("note", 50, 112),
        w("Footer", 20, 140),
    ]
    assert shown(events(words, [], 600)) == [("Directory Notes", "Some note", "directory_notes"), "Footer"]


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        # tagged, another run, 2 pt lower: still the label's own line (no value came): no new cell
        (w("Foo", 80, 102, mcid=2), []),
        # untagged and higher on the page (a cell beside): the same cell
        (w("Foo", 20, 90), []),
    ],
)
def test_a_label_cells_own_line_goes_on(second, expected):
    table = pdf_pages._Table(FRAME, 100)
    found: list = []
    table.add_label_word(w("Retakes", 20, 100, mcid=1), found)
    table.add_label_word(second, found)
    assert found == expected


@pytest.mark.parametrize(
    ("label", "after", "expected"),
    [
        # a value came, then a word on the label's line (2 pt lower or level): a new cell, not a wrap
        (["Foo"], w("Bar", 20, 100), [Pair("Foo", "x", None)]),
        (["Foo"], w("Bar", 20, 102), [Pair("Foo", "x", None)]),
        # below an unknown label: its next line
        (["Foo"], w("Bar", 20, 112), []),
        # below an unknown label, a word that opens a known label: a new cell
        (["Foo"], w("Retakes", 20, 112), [Pair("Foo", "x", None)]),
        # below the start of a known label that does not go on with it: a new cell
        (["Proctored", "Environment"], w("Foo", 20, 112), [Pair("Proctored Environment", "x", None)]),
        # below, going on with a longer label: the same cell
        (["Proctored", "Environment"], w("Required", 20, 112), []),
    ],
)
def test_a_label_word_after_a_value(label, after, expected):
    table = pdf_pages._Table(FRAME, 100)
    found: list = []
    for index, text in enumerate(label):
        table.add_label_word(w(text, 20 + 80 * index, 100), found)
    table.value.append(w("x", 150, 100))
    table.add_label_word(after, found)
    assert found == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # beside `Student` (x0 20) on its line: right of it, though left of `Accommodations` (x0 30) below
        (w("v", 25, 100), True),
        (w("v", 25, 102), True),  # 2 pt lower: still `Student`'s line
        (w("v", 25, 100, page=1), False),
    ],
)
def test_a_value_beside_the_labels_first_line_only(value, expected):
    words = [w("Student", 20, 100), w("Accommodations", 30, 112), value]
    assert pdf_pages._on_its_line(words, 0, 2) is expected


def test_a_word_ending_exactly_at_the_value_columns_edge_is_inside():
    assert pdf_pages._outside_table([Word("a", 130, 148, 100, 10.0, 0)], 20, 150) is False


def test_a_label_exactly_1_5_pt_left_of_the_value_column_is_a_values_word():
    """Column at 150: `Sequencing` at 148.5 is not more than 1.5 pt left of it: text of the value above."""
    words = [
        w("Retakes", 20, 100),
        w("Yes", 150, 100),
        w("Articulation", 20, 120),
        w("No", 150, 120),
        w("Sequencing", 148.5, 132),
    ]
    assert shown(events(words, [], 600))[-1] == ("Articulation", "No\nSequencing", "articulation")


def test_a_gap_of_four_and_a_half_font_sizes_sets_a_print_date_apart():
    """`Report` 45 pt after `AM` (more than 40): the date is a part of its own, chrome."""
    words = [w("1/15/2026,", 20, 10), w("10:42", 86, 10), w("AM", 122, 10), w("Report", 179, 10)]
    words.append(w("Body", 20, 100))
    assert shown(events(words, [], 600)) == ["Report", "Body"]


@pytest.mark.parametrize(
    ("words", "links", "expected"),
    [
        # a plain http:// target is appended too
        ([w("Vendor", 50, 100)], [link("http://v.example/", 49, 90, 98, 108)], "Vendor http://v.example/"),
        # a link over no word first does not stop the next
        (
            [w("Vendor", 50, 100)],
            [link("https://a.example/", 300, 400, 98, 108), link("https://v.example/", 49, 90, 98, 108)],
            "Vendor https://v.example/",
        ),
        # the address shown over two words (`https://v.` + `example`, joined with nothing): not appended
        (
            [w("https://v.", 50, 100), w("example", 110, 100)],
            [link("https://v.example", 49, 160, 98, 108)],
            "https://v. example",
        ),
        # only a trailing `/` is set aside: `.../X` is not shown by `https://v.example`
        (
            [w("https://v.example", 50, 100)],
            [link("https://v.example/X", 49, 160, 98, 108)],
            "https://v.example https://v.example/X",
        ),
    ],
)
def test_link_targets_more(words, links, expected):
    assert shown(events([*words, w("End", 50, 200)], links, 600))[0] == expected


def test_address_pieces_exactly_as_wide_as_the_frame_from_the_columns_left_are_a_wrap():
    """`x.org/ab` (48 pt) + `cd` (12 pt) = 60 = 80 - 20: not wider: the wrap stands."""
    previous = [w("x", 20, 100), w("x.org/ab", 50, 100)]
    assert pdf_pages._break_between(previous, [w("cd", 50, 112)], _Frame(80.0, 700.0), (20, 98)) == " "


# --- survivors left by the first run: the frame, the majority rule, the value column's edges ----------------


@pytest.mark.parametrize(
    ("next_word", "expected"),
    [
        # page right 100, frame right 98.5: `Unlimited` ends at 74, `Then` (24 pt): 74 + 3 + 24 = 101 > 98.5: a
        # wrap (the frame stops a cell's padding short of the page's right margin, not past it)
        (w("Then", 20, 124), [("Retakes", "Unlimited Then", "retakes")]),
        # `Th` (12 pt): 74 + 3 + 12 = 89, it would have fitted: a line break
        (w("Th", 20, 124), [("Retakes", "Unlimited\nTh", "retakes")]),
    ],
)
def test_the_frame_ends_a_cells_padding_left_of_the_pages_right_margin(next_word, expected):
    words = [w("Retakes", 20, 100), w("Unlimited", 20, 112), next_word]
    assert shown(events(words, [], 100)) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # `Unlimited` (page 0, top 112) then `Next` on page 1; the lowest line of all is `More` (page 1, top 130:
        # its bottom 140). 112 + 16 = 128 <= 140: the page ended with room for a line: a blank line
        (
            [
                w("Retakes", 20, 100),
                w("Unlimited", 20, 112),
                w("Next", 20, 50, page=1),
                w("More", 20, 130, page=1),
            ],
            [("Retakes", "Unlimited\n\nNext\n\nMore", "retakes")],
        ),
        # no line lower than `Unlimited` (bottom 122): 128 > 122, the page was full; `Next` (24 pt) after 74
        # (+ 3) fits under 598.5: a line break
        (
            [w("Retakes", 20, 100), w("Unlimited", 20, 112), w("Next", 20, 50, page=1)],
            [("Retakes", "Unlimited\nNext", "retakes")],
        ),
    ],
)
def test_a_value_over_a_page_break_is_measured_against_the_lowest_lines_bottom(words, expected):
    """The frame's bottom is the lowest line's top plus its size, over every page."""
    assert shown(events(words, [], 600)) == expected


def test_a_word_exactly_1_1_body_sizes_is_body_text():
    """Body 5 pt (three words); `Yes` at 5.5 pt, exactly 5 * 1.1 (5.5 in floating point too): not larger than
    1.1 body sizes, so not a heading: the rows stay one table. Courier at 5 pt: 3 pt a character."""
    words = [
        w("Retakes", 20, 100, size=5),
        w("Yes", 150, 100, size=5.5),
        w("Sequencing", 20, 110, size=5),
        w("No", 150, 110, size=5),
    ]
    assert shown(events(words, [], 600)) == [("Retakes", "Yes", "retakes"), ("Sequencing", "No", "sequencing")]


def test_labels_all_inside_the_value_column_leave_the_words_as_lines():
    """`Retakes` at 149 with `Yes` 1 pt right of it (on its line, so beside it): the value column is at 150
    and the label starts less than 1.5 pt left of it: no label is left, the words are lines (`Yes` at 150
    starts left of `Retakes`'s end, 191: a line of its own)."""
    words = [w("Retakes", 149, 100), w("Yes", 150, 100)]
    assert shown(events(words, [], 600)) == ["Retakes", "Yes"]


def test_value_text_without_the_columns_reach_measures_against_the_frame():
    """No `filled` given: `one` ends at 68, `two` (18 pt): 68 + 3 + 18 = 89, not past the frame (100): a break."""
    assert pdf_pages._value_text([w("one", 50, 100), w("two", 50, 112)], FRAME) == "one\ntwo"


def test_a_stacked_values_last_line_before_the_next_blocks_credential_name_is_its_title():
    """Definition list: `Retakes` / `Unlimited` / `Welding` / `Credential Name` / `Weld Cert`. Each value line
    is a line of its own (a real break: each would have fitted after the one above), so the glued reader takes
    `Welding`, the last line before the next block's first label, as that block's title."""
    words = [
        w("Retakes", 20, 100),
        w("Unlimited", 20, 112),
        w("Welding", 20, 124),
        w("Credential", 20, 136),
        w("Name", 86, 136),
        w("Weld", 20, 148),
        w("Cert", 50, 148),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Unlimited", "retakes"),
        "Welding",
        ("Credential Name", "Weld Cert", "credential_name"),
    ]


@pytest.mark.parametrize(
    ("values_x", "expected"),
    [
        # two rows, their values 60 pt apart: no column (the rule needs two agreeing, even of two)
        ([150, 90], [False, False]),
        # 5 rows, 2 agree: 2 is not less than max(2, 5 // 2 = 2): a column
        ([150, 150, 90, 200, 250], [True, True, False, False, False]),
        # 6 rows, 2 agree: less than max(2, 6 // 2 = 3): no column
        ([150, 150, 90, 200, 250, 300], [False] * 6),
    ],
)
def test_the_share_of_rows_that_must_agree_on_the_value_column(values_x, expected):
    words, starts = [], []
    for row, x in enumerate(values_x):
        starts.append((len(words), len(words) + 1))
        words += [w("Retakes", 20, 100 + 20 * row), w("v", x, 100 + 20 * row)]
    assert pdf_pages._beside_flags(words, starts) == expected


def test_a_value_below_its_label_is_not_beside_it_though_a_word_before_sat_lower():
    """`Retakes` at the top of page 1 (100), its value 12 pt lower and to the right: below it, not beside.
    `Intro`, earlier in the stream at the bottom of page 0 (700), is not part of the label."""
    words = [w("Intro", 20, 700), w("Retakes", 20, 100, page=1), w("Yes", 150, 112, page=1)]
    assert pdf_pages._beside_flags(words, [(1, 2)]) == [False]


def test_a_label_with_no_value_whose_next_word_is_the_next_label():
    """`Sequencing` has an empty value cell; the next word, `Delivery` (at 148, within 2 pt of the column at 150,
    3 pt higher: a line of its own), opens `Delivery Format`, whose value is under it: that label is read as a
    stacked row after the two-column rows."""
    words = [
        w("Retakes", 20, 100),
        w("Yes", 150, 100),
        w("Articulation", 20, 120),
        w("No", 150, 120),
        w("Sequencing", 20, 140),
        w("Delivery", 148, 137),
        w("Format", 202, 137),
        w("Online", 148, 150),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Yes", "retakes"),
        ("Articulation", "No", "articulation"),
        ("Sequencing", "", "sequencing"),
        ("Delivery Format", "Online", "delivery_format"),
    ]


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        # no other value line: the values reached 174 (`Once`, `Yes.`); `Yes.` filled its line (174 + 6 > 174.5)
        # and `No` (12 pt) would not have fitted after it (174 + 3 + 12 = 189 > 174.5): a wrap
        (None, [("Sequencing", "Yes. No", "sequencing")]),
        # `Footnotes` (54 pt) at 148, 2 pt left of the column: a value line; the values reached 202, so
        # `No` fits after `Yes.` (189): a line break; `Footnotes` 18 pt under `No`: a blank line
        (148, [("Sequencing", "Yes.\nNo\n\nFootnotes", "sequencing")]),
        # at 147.9, over the column's edge (148): a paragraph, which ends the table and is not a value line
        (147.9, [("Sequencing", "Yes. No", "sequencing"), "Footnotes"]),
    ],
)
def test_the_furthest_a_value_line_went_counts_lines_starting_up_to_2_pt_left_of_the_column(last, expected):
    words = [
        w("Retakes", 20, 100),
        w("Once", 150, 100),
        w("Sequencing", 20, 120),
        w("Yes.", 150, 120),
        w("No", 150, 132),
    ]
    if last is not None:
        words.append(w("Footnotes", last, 150))
    assert shown(events(words, [], 600))[1:] == expected


@pytest.mark.parametrize(
    ("retakes_x", "expected"),
    [
        # the label column's left is 18.5 (`Retakes`): `Transferability` (20..110, over the value column at 80)
        # under `Employer` starts 1.5 pt right of it: the label's next line
        (18.5, [("Employer Transferability", "Yes", "employer_transferability")]),
        # 2 pt right of it: not the label's line, a line across the value column's edge: it ends the table
        (18, [("Employer", "Yes", None), "Transferability"]),
    ],
)
def test_a_wrapped_labels_next_line_is_the_labels_within_1_5_pt_of_the_label_column(retakes_x, expected):
    """A producer that writes line by line (fpdf2): `Employer`, its value `Yes`, then `Transferability` under
    `Employer`, wider than the label cell."""
    words = [
        w("Retakes", retakes_x, 100),
        w("Yes", 80, 100),
        w("Employer", 20, 120),
        w("Yes", 80, 120),
        w("Transferability", 20, 132),
    ]
    assert shown(events(words, [], 600))[1:] == expected


@pytest.mark.parametrize(
    ("mark_x1", "expected"),
    [
        # a 0.5 pt mark from 148.5 ends 1 pt left of the value column (150): the label cell's
        (149.0, ("Retakes x", "Yes", None)),
        # ending exactly 0.5 pt left of it: still the label's
        (149.5, ("Retakes x", "Yes", None)),
        # ending at 150.5, past that: the value's first word
        (150.5, ("Retakes", "x Yes", "retakes")),
    ],
)
def test_a_word_ending_half_a_point_left_of_the_value_column_is_a_label_word(mark_x1, expected):
    """A narrow mark between the columns (from 148.5, not over the column's edge at 148.5), then `Yes` at 151."""
    words = [
        w("Retakes", 20, 100),
        Word("x", 148.5, mark_x1, 100, 10.0, 0),
        w("Yes", 151, 100),
        w("Articulation", 20, 120),
        w("Once", 150, 120),
        w("Sequencing", 20, 140),
        w("No", 150, 140),
    ]
    assert shown(events(words, [], 600))[0] == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # the value 2 pt lower than `Credential`: still on its line, beside it
        ([w("Credential", 20, 100), w("Acme", 150, 102), w("Name", 20, 112)], (1, ["credential", "name"])),
        # a word on the label's line at the label's own left edge (20), not right of it: no value beside
        ([w("Credential", 20, 100), w("Acme", 20, 100), w("Name", 20, 112)], None),
        # the label's second line holds two of its words (`Vendor Info`): the line goes on after `Vendor`
        (
            [w("Credential", 20, 100), w("Acme", 150, 100), w("Vendor", 20, 112), w("Info", 62, 112)],
            (1, ["credential", "vendor", "info"]),
        ),
    ],
)
def test_wrapped_label_end_at_its_boundaries(words, expected):
    assert pdf_pages._wrapped_label_end(words, folded(words), 0) == expected


@pytest.mark.parametrize("value_x", [148, 148.4, 152, 147.9, 152.1])
def test_a_row_whose_value_starts_2_pt_off_the_value_column_keeps_its_label(value_x):
    """The value column is at 150 (`Once`, `No`); `Unlimited` starts 2 pt left of it (148), 1.6 pt left (148.4)
    or 2 pt right (152): within the 2 pt that make it a value beside its label, so the row is read as two
    columns, and its label is kept with its value (at 148 the label's word used to be lost: the line was read as
    text across both columns, `Unlimited`, over the 1.5 pt edge the column had there). 2.1 pt off (147.9,
    152.1): not beside, the row is read as a label inline with its value, the same pair."""
    words = [
        w("Retakes", 20, 100),
        w("Unlimited", value_x, 100),
        w("Articulation", 20, 120),
        w("Once", 150, 120),
        w("Sequencing", 20, 140),
        w("No", 150, 140),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Unlimited", "retakes"),
        ("Articulation", "Once", "articulation"),
        ("Sequencing", "No", "sequencing"),
    ]


def test_a_value_2_pt_left_of_the_value_column_wraps_as_its_columns_values_do():
    """`Unlimited` (148..202) `retakes` (208..250), then `allowed` (148..190) under it: a row of the column at 150
    (`Once`, `No`). The values reached 250 (`retakes`); `allowed` (42 pt) after it would end at 250 + 3 + 42 =
    295, past 250.5: the printer wrapped the line, joined by a space (read as text, the row lost its label)."""
    words = [
        w("Retakes", 20, 100),
        w("Unlimited", 148, 100),
        w("retakes", 208, 100),
        w("allowed", 148, 112),
        w("Articulation", 20, 130),
        w("Once", 150, 130),
        w("Sequencing", 20, 150),
        w("No", 150, 150),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Unlimited retakes allowed", "retakes"),
        ("Articulation", "Once", "articulation"),
        ("Sequencing", "No", "sequencing"),
    ]


def test_rows_after_a_stacked_row_are_measured_against_the_columns_own_edge():
    """The value column is at 150 (three values there, against two at 152 and one at 148): every row's value is
    within 2 pt of it, beside its label. `Delivery Format`'s value is below it (a stacked row), which splits the
    two-column rows in two runs; in the second, `Weld` at 148 starts 2 pt left of the column, not over its edge
    (148): its row keeps its label (measured against that run's own most common start, 152, whose edge is 150,
    `Weld` was read as text across both columns and `Credential Name` was lost)."""
    words = [
        w("Retakes", 20, 100),
        w("Yes", 150, 100),
        w("Articulation", 20, 120),
        w("No", 150, 120),
        w("Sequencing", 20, 140),
        w("None", 150, 140),
        w("Delivery", 20, 160),
        w("Format", 74, 160),
        w("Online", 20, 172),
        w("Credential", 20, 190),
        w("Name", 86, 190),
        w("Weld", 148, 190),
        w("Retakes", 20, 210),
        w("Once", 152, 210),
        w("Articulation", 20, 230),
        w("Yes", 152, 230),
    ]
    assert shown(events(words, [], 600)) == [
        ("Retakes", "Yes", "retakes"),
        ("Articulation", "No", "articulation"),
        ("Sequencing", "None", "sequencing"),
        ("Delivery Format", "Online", "delivery_format"),
        ("Credential Name", "Weld", "credential_name"),
        ("Retakes", "Once", "retakes"),
        ("Articulation", "Yes", "articulation"),
    ]
