"""A converter's marks in a text rendering -> the page's own text (CONTRACT section 5: renderings).

A page may reach raw/ as any text a person can make of it: a text browser's dump (w3m, lynx: lines
wrapped at the screen's width, numbered links and a list of their addresses at the end), an
HTML-to-Markdown conversion (html2text, markdownify: heading marks, bold labels, backslash escapes, link
markup, pipe tables, `Label` / `: value` definitions, a hard line break written as two trailing spaces
and a wrapped line without them), or the site's own renderings. The marks are taken away by what they
are, and lines a converter wrapped are joined where the text shows it, so that the line breaks left are
the page's own.
"""

from __future__ import annotations

import re
from itertools import takewhile

from pipeline import patterns
from pipeline.read.blocks import original_url
from pipeline.read.labels import canonical_label, label_prefix_at

# --- link numbers and reference lists (text browsers) -------------------------------------------------

_REFERENCE = re.compile(r"\s*(?:\[\d{1,5}\]|\d{1,5}\.)\s+(?:[a-z][a-z0-9+.-]*:\S*|\S*/\S*)\s*$", re.I)
_REFERENCES_HEADING = re.compile(r"\s*(?:references|links|visible links|hidden links)\s*:?\s*$", re.I)
_LINK_MARK = re.compile(r"\[\d{1,5}\](?=\S)")
_ANY_LINK_MARK = re.compile(r"\[\d{1,5}\]")
_DANGLING_LINK_MARK = re.compile(r"(?:^|\s)\[\d{1,5}\]\s*$")  # a link number with its link's text on the next line


def without_references(lines: list[str]) -> tuple[list[str], bool]:
    """The dump without the list of link addresses a text browser appends (a run of `N. address` or
    `[N] address` lines at the end, and its heading); whether there was one."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and (_REFERENCE.match(lines[start - 1]) or not lines[start - 1].strip()):
        start -= 1
    while start < end and not lines[start].strip():
        start += 1
    if end - start < 1 or not any(_REFERENCE.match(line) for line in lines[start:end]):
        return lines, False
    if start and _REFERENCES_HEADING.match(lines[start - 1]):
        start -= 1
    return lines[:start], True


def without_link_marks(text: str, listed: bool) -> str:
    """`[12]https://...` -> `https://...`: a text browser's link number (any bracketed number, when the dump
    lists its links)."""
    return (_ANY_LINK_MARK if listed else _LINK_MARK).sub("", text)


# --- tables drawn with borders (text browsers) ------------------------------------------------------------

_CORNERS = "+┌├└╔╠╚╟╞┏┣┗┬┼┴╤╪╧╥╫╨┳╋┻┐┤┘╗╣╝╢╡┓┫┛"
_BORDER = re.compile(rf"\s*[{_CORNERS}](?:[─━═-]{{2,}}[{_CORNERS}])+\s*$")
_BARS = frozenset("│┃║|")
_BORDER_START = re.compile(rf"^\s*[{_CORNERS}][─━═-]", re.M)


def without_borders(lines: list[str]) -> list[str]:
    """A table a text browser drew with borders (w3m, links: box-drawing characters, or `+---+` and `|`) as
    the columns it shows: its border lines gone, and the bars standing where its borders' corners and joints
    are (a bar elsewhere is text: `Certiport | Pearson VUE`)."""
    if not _BORDER_START.search("\n".join(lines)):  # most pages: one search in C
        return lines
    borders = [line for line in lines if _BORDER.match(line)]
    if len(borders) < 2:
        return lines
    edges = {at for line in borders for at, character in enumerate(line) if character in _CORNERS}
    return [
        "".join(" " if at in edges and character in _BARS else character for at, character in enumerate(line))
        for line in lines
        if not _BORDER.match(line)
    ]


# --- a table copied out of a browser -----------------------------------------------------------------------

_TAB_ROWS = 3  # lines of a known label, a tab and its value before a page counts as a copied table


def without_tabs(lines: list[str]) -> list[str]:
    """A table copied out of a browser (a row a line, its cells parted by a tab, a cell's own line breaks as
    lines with no tab) laid out in two columns, as the column reader reads a text browser's dump: the values
    after a width the longest label cell sets, each line of a cell under its first up to the next row (after
    the last row, up to a blank line). Elsewhere a tab is spaces up to the next tab stop."""
    rows = [at for at, line in enumerate(lines) if "\t" in line and canonical_label(line.partition("\t")[0])]
    if len(rows) < _TAB_ROWS:
        return [line.expandtabs() for line in lines]
    width = 2 + max(len(line.partition("\t")[0].strip()) for line in lines[rows[0] :] if "\t" in line)
    out, in_a_cell = lines[: rows[0]], True
    for line in lines[rows[0] :]:
        label, tab, value = line.partition("\t")
        in_a_cell = bool(tab) or (in_a_cell and bool(line.strip()))
        if tab:
            out.append(f"{label.strip():<{width}}{value.replace(chr(9), ' ').strip()}")
        else:
            out.append(" " * width + line.strip() if in_a_cell else line.expandtabs())
    return [line.expandtabs() for line in out]


# --- Markdown ---------------------------------------------------------------------------------------------

_SEPARATOR_ROW = re.compile(r"[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*(?:\|[ \t]*)?$")
_EMPTY_ROW = re.compile(r"\s*\|(?:\s*\|)+\s*$")
_SETEXT = re.compile(r"\s*(?:=+|-{3,})\s*$")
_HEADING = re.compile(r"\s{0,3}#{1,6}\s+")
_LIST_ITEM = re.compile(r"\s*(?:[*+-]|\d{1,3}[.)])\s+")
_DEFINITION = re.compile(r"\s{0,3}:\s{1,4}")
_CODE = re.compile(r"(?: {4}|\t)")
# Bounded, so that a line of a thousand `[` or `<http:` costs no more than linear time.
_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]{0,500})\]\([ ]?<?([^()\s<>]{0,2000})>?(?: \"[^\"\n]{0,200}\")?[ ]?\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]{1,2000})>", re.I)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)  # HTML's line break, written in Markdown where a cell cannot hold one


def soft_wraps(lines: list[str]) -> bool:
    """Line breaks are marked (two trailing spaces), so a line without the mark was wrapped by the converter."""
    marked = sum(
        1
        for line, following in zip(lines, lines[1:], strict=False)
        if _hard_break(line) and line.strip() and following.strip()
    )
    return marked >= 2


def is_markdown(lines: list[str]) -> bool:
    """A Markdown converter's output: table separator rows, link or bold markup, heading marks, or hard
    breaks written as two trailing spaces."""
    found = 0
    for line in lines:
        if _SEPARATOR_ROW.match(line) or _has_mark(line) or _HEADING.match(line) or _DEFINITION.match(line):
            found += 1
        elif len(line) > 2 and line.endswith("  ") and line.strip():
            found += 1
        if found >= 3:
            return True
    return False


def _has_mark(line: str) -> bool:
    """A link, an autolink or bold markup; each searched for only where the text it cannot be without is there
    (a substring test costs a fraction of a search: this ran on every line of every text page)."""
    return bool(
        ("](" in line and _MARKDOWN_LINK.search(line))
        or ("<" in line and _AUTOLINK.search(line))
        or (("**" in line or "__" in line) and _STRONG.search(line))
    )


def markdown_lines(lines: list[str]) -> list[str]:
    """Markdown -> the text it shows, one logical line a line: soft wraps joined (where line breaks are
    marked), marks taken away. A line break the page had (a hard break) stays; a blank line of a value
    stays blank; a paragraph break is written as a line holding `PARAGRAPH` (where a block's last value
    ends)."""
    wraps = soft_wraps(lines)
    out: list[str] = []
    joinable = False  # the last logical line may take the next line (a soft wrap)
    for index, raw in enumerate(lines):
        if not raw.strip():
            if raw.endswith("  ") and out:
                # a hard break alone: a blank line of a value, or the end of a table whose cells end in one
                out.append(BEFORE_PARAGRAPH if _unbroken_paragraph(lines[index + 1 :]) else "")
            else:
                out.append(PARAGRAPH)
            joinable = False
            continue
        if _SEPARATOR_ROW.match(raw) or _EMPTY_ROW.match(raw) or (_SETEXT.match(raw) and out and out[-1] != PARAGRAPH):
            if _SEPARATOR_ROW.match(raw) and out and _is_header_row(out[-1]):
                out.pop()  # the row above a table's separator names its columns: no pair, no title
            joinable = False
            continue
        starts_block = bool(
            _HEADING.match(raw) or _LIST_ITEM.match(raw) or _DEFINITION.match(raw) or raw.lstrip().startswith("|")
        )
        verbatim = bool(_CODE.match(raw))
        if _HEADING.match(raw) and out and out[-1] != PARAGRAPH:
            out.append(PARAGRAPH)  # a heading is a block of its own: it ends the paragraph or table cell before it
        text = _block_text(raw)
        if joinable and not starts_block and not verbatim and label_prefix_at(inline(text)) is None:
            out[-1] = join_wrapped(out[-1], text)
        else:
            out.append(text)
        joinable = (
            (wraps or _opens_a_link(out[-1])) and not _hard_break(raw) and not verbatim and not _HEADING.match(raw)
        )
    shown: list[str] = []
    for line in out:
        text = line if line in (PARAGRAPH, BEFORE_PARAGRAPH) else inline(line)
        shown += [text] if "|" in line else text.split("\n")  # a `<br>` in a table's cell is its value's line break
    return shown


def _is_header_row(line: str) -> bool:
    """A pipe-table row whose first cell is no known label (`| Label | Value |`): a converter makes a table's
    first row its header, which is a pair when it holds one (html2text's first row of a table of labels)."""
    if "|" not in line:
        return False
    first = line.strip().removeprefix("|").partition("|")[0]
    return canonical_label(inline(first).strip()) is None


PARAGRAPH = "\x1d"  # a paragraph break: the end of a block's last value
# A blank line held by a hard break, before a paragraph with no hard break in it: where a table writes each
# cell's lines ending in a hard break (html2text), that paragraph is not a cell's, and the table ended here.
BEFORE_PARAGRAPH = "\x1e"


def _unbroken_paragraph(lines: list[str]) -> bool:
    """The lines open with a paragraph that has no hard break (up to a blank line or the end)."""
    paragraph = list(takewhile(str.strip, lines))
    return bool(paragraph) and not any(_hard_break(line) for line in paragraph)


_OPEN_LINK = re.compile(r"(?:<(?:https?|ftp|mailto):|\[[^\]]*$|\]\()[^\s<>()]*$", re.I)


def _opens_a_link(line: str) -> bool:
    """The line opens a link or an autolink it does not close: the converter wrapped the line inside it (a
    link's text or address runs on until its `]`, `)` or `>`)."""
    return bool(_OPEN_LINK.search(_AUTOLINK.sub("", _MARKDOWN_LINK.sub("", line))))


def _hard_break(line: str) -> bool:
    """Markdown's line break: two trailing spaces or a backslash."""
    return line.endswith(("  ", "\\"))


def _block_text(line: str) -> str:
    """A line without its block mark: heading, list item, definition, code indent."""
    for mark in (_HEADING, _DEFINITION, _LIST_ITEM):
        found = mark.match(line)
        if found and not line.lstrip().startswith("|"):
            return line[found.end() :]
    return line.strip()


def inline(text: str) -> str:
    """Inline Markdown -> its text: a link is its text (its address after it when the text does not show it),
    an autolink its address, bold its words, an escape its character."""
    text = _AUTOLINK.sub(lambda found: _address(found.group(1)), text)
    text = _MARKDOWN_LINK.sub(_link_text, text)
    text = _STRONG.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    return _HTML_BREAK.sub("\n", text).rstrip()


def _link_text(found: re.Match[str]) -> str:
    if found.group(0).startswith("!"):
        return found.group(1)  # an image: its alternative text
    shown, target = found.group(1).strip(), _address(found.group(2))
    plain = _ESCAPE.sub(r"\1", shown)  # the text as shown, to compare with the address
    if target.lower().startswith(("http://", "https://")) and target not in plain and plain not in target:
        return f"{shown} {target}".strip()
    return shown or target


def _address(target: str) -> str:
    target = original_url(target)
    return target[len("mailto:") :] if target.lower().startswith("mailto:") else target


def cell_breaks(value: str) -> str:
    """A Markdown table cell keeps a value's line breaks as runs of two spaces (the source's own spaces
    collapse): each two spaces are one line break."""
    return re.sub(r" {2,}", lambda run: "\n" * (len(run.group()) // 2), value.strip())


# --- lines a text browser wrapped -------------------------------------------------------------------------

_WRAP_SLACK = 1  # a wrapped line ends within this many characters of the screen's width, less its next word
_MIN_WRAPPED_LINES = 10


def wrap_width(lines: list[str]) -> int | None:
    """The width a dump was wrapped at, when its lines show one: many lines end close to the longest, and
    many could not have taken the next line's first word."""
    lengths = [len(line.rstrip()) for line in lines if line.strip()]
    if len(lengths) < _MIN_WRAPPED_LINES:
        return None
    # Only a line with a space could have been wrapped; one long word runs past the width.
    widest = max((len(line.rstrip()) for line in lines if " " in line.strip()), default=0)
    if not widest:
        return None  # no line could have been wrapped
    near = sum(1 for length in lengths if length >= widest - 12)
    long = sum(1 for length in lengths if length > widest // 2)
    if near < 5 or near * 4 < long:
        return None
    following = [(line, after) for line, after in zip(lines, lines[1:], strict=False) if line.strip() and after.strip()]
    full = sum(1 for line, after in following if len(line.rstrip()) >= widest - 12 and wrapped(line, after, widest))
    return widest if full >= 5 and full * 3 >= near else None


def wrapped(line: str, following: str, width: int) -> bool:
    """The line was wrapped by the dump: its next line's first word would not have fitted after it. An
    address or email that opens a line is taken to open it (a directory puts them on lines of their own;
    where it would not have fitted either, which it was cannot be told)."""
    word = following.split()[0] if following.split() else ""
    if word and _DANGLING_LINK_MARK.search(line):
        return True  # a link's number ends the line: its text, the next line's first word, goes with it
    if patterns.CONTACT_ITEM.match(_LINK_MARK.sub("", word)):
        return False
    return bool(word) and len(line.rstrip()) + 1 + len(word) > width + _WRAP_SLACK - 1


_ADDRESS_PIECE = re.compile(r"[\w.~%?=&#+:;@!$*,'()/-]*[/._-][\w.~%?=&#+:;@!$*,'()/-]*")
_PATH_WORD = re.compile(r"[a-z0-9][\w.~%?=&#+-]*")  # a lowercase piece of path: `accommodations`
_BARE_SCHEME = re.compile(r"https?://", re.I)  # an address's scheme with nothing after it: cut there


def continues_address(line: str, following: str) -> bool:
    """The line ends in an address cut after a `/` or a `-` and the next line opens with the rest of it (a
    piece of path, no new word; or a path's last word alone on its line): one address, whatever the line's
    width. A scheme alone (`http://`) is no address: the next line's first word is the rest of it."""
    token = _LINK_MARK.sub("", line.split()[-1]) if line.split() else ""
    first = following.split()[0] if following.split() else ""
    if _BARE_SCHEME.fullmatch(token):
        return bool(first) and not _BARE_SCHEME.match(first) and bool(_ADDRESS_PIECE.fullmatch(first))
    alone = following.strip() == first and bool(_PATH_WORD.fullmatch(first))
    return bool(
        token
        and patterns.CONTACT_ITEM.match(token)
        and token.endswith(("/", "-"))
        and (_ADDRESS_PIECE.fullmatch(first) or alone)
        and not patterns.CONTACT_ITEM.match(first)
    )


def join_wrapped(text: str, following: str, full: bool = False, width: int | None = None) -> str:
    """Two lines of one wrapped paragraph as one: with a space, or with nothing where an address was cut
    (after a `/` or a `-`, or where it filled the line, `full`, being longer than a line of `width`)."""
    last, first = text.rstrip(), following.strip()
    token = last.split()[-1] if last.split() else ""
    cut = token and patterns.SPLIT_WORD.search(token) and not patterns.CONTACT_ITEM.match(first)
    first_token = first.split()[0] if first.split() else ""
    longer = width is not None and len(token) + len(first_token) > width  # a word no line could hold: cut
    longer = longer and not patterns.CAPITALISED_WORD.fullmatch(first_token)  # ... unless a sentence begins
    if cut and (token.endswith(("/", "-")) or (full and longer)):
        return last + first
    if _DANGLING_LINK_MARK.search(last):
        return last + first  # the link's number goes with its text, as on one line
    return f"{last} {first}"


def unwrapped(lines: list[str], width: int | None) -> list[str]:
    """A dump's paragraphs with the lines it wrapped joined; a line that ended short ended in a real break,
    and a line that opens with a directory label opens a pair."""
    out: list[str] = []
    previous: str | None = None
    for line in lines:
        if (
            previous is not None
            and line.strip()
            and previous.strip()
            and ((width is not None and wrapped(previous, line, width)) or continues_address(previous, line))
            and label_prefix_at(line) is None
        ):
            full = width is not None and len(previous.rstrip()) >= width
            out[-1] = (
                out[-1].rstrip() + line.strip()
                if continues_address(previous, line)
                else join_wrapped(out[-1], line, full, width)
            )
            previous = line
            continue
        out.append(line)
        previous = line
    return out
