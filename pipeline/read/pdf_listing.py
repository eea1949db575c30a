"""The Credentials by Course listing: a table whose header names a course column and a credential column.

Columns are found by the words their header contains (`site.LISTING_COLUMNS`), in any case, order and
spelling around them; the header may repeat on every page; a cell may wrap over lines.
"""

from __future__ import annotations

import io
import re
from itertools import zip_longest

from pipeline import patterns, site

# pdfplumber's text strategy: columns and rows found from how the words line up, for tables without rules.
_UNRULED = {"vertical_strategy": "text", "horizontal_strategy": "text"}
_FOOTNOTE_MARKS = ("*", "†", "note", "source")
_HEADER_WORDS = 16  # a header row of four columns; a longer line is a sentence
_PAGE_LABELS = 5  # a document spelling this many directory labels is a printed credential or course page
_ROW_GAP = 0.3  # of a line's height: more space than this between two lines of text parts two rows


def header_column(header: str) -> str | None:
    """The listing column a header cell names by its words, or None. `course` names a course header that holds
    both the code and the title (`Course Number and Title`)."""
    words = set(patterns.HEADER_WORD.findall(header.casefold()))
    for column, names in site.LISTING_COLUMNS.items():
        if any(_names(word, name) for word in words for name in names):
            if column == "course_title" and words & site.COURSE_CODE_WORDS:
                return "course"
            return column
    return None


_SHORTEST_ABBREVIATION = 4  # letters; a shorter word is a word of its own (`can`, `cat`), not a short form


def _names(word: str, name: str) -> bool:
    """The header word is the name or a short form of it: cut after its first letters (`Cred.`, `Desc`) or
    contracted, keeping its first and last letters and some between in order (`Crse`, `Certs`)."""
    if word == name:
        return True
    if len(word) < _SHORTEST_ABBREVIATION or len(word) >= len(name) or word[0] != name[0]:
        return False
    if name.startswith(word):
        return True
    letters = iter(name)
    return word[-1] == name[-1] and all(letter in letters for letter in word)


def may_be_listing(lines: list[str], labels_spelled: int) -> bool:
    """Cheap, from the printed words: is the document worth a table search? Not when it spells the labels of a
    credential page; yes when a short line names a course column and a credential column by their words."""
    if labels_spelled >= _PAGE_LABELS:
        return False
    return any(_names_both(line) for line in lines)


def _names_both(line: str) -> bool:
    words = patterns.HEADER_WORD.findall(line.casefold())
    if not words or len(words) > _HEADER_WORDS:
        return False
    named = {header_column(word) for word in words}
    return "credential_name" in named and bool(named & {"course_code", "course"})


def listing_of(data: bytes) -> list[dict] | None:
    """The listing's rows, found with pdfplumber's table finder; None when no table has its header."""
    import pdfplumber  # only for a document that may be the listing

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return listing(pdf)
    except Exception:  # noqa: BLE001 - pdfminer raises many types; PDFium read the file, so read it as a page
        return None


def listing(pdf) -> list[dict] | None:
    """Rows of the table whose header names a course and a credential column, ruled or not; None if none does, or
    if its rows name no course by a course code (a credential page's `Course Number and Title` row is no header).
    A header row of its own cells and no row under it, in either pass, is a listing with no rows."""
    found = None
    for settings in (lambda page: {}, _unruled):
        rows = _rows(pdf, settings)
        if rows and any(re.fullmatch(patterns.COURSE_CODE, row["course_code"] or "") for row in rows):
            return rows
        if rows == []:
            found = []
    return found


def _unruled(page) -> dict:
    """pdfplumber's text strategy for the columns of a table without rules; its rows are the bands of text set
    apart by more space than a wrapped cell leaves between its lines, so a cell wrapped over lines (aligned to
    the top or the middle of its row) stays one cell."""
    words = sorted(page.extract_words(), key=lambda word: word["top"])
    if not words:
        return _UNRULED
    heights = sorted(word["bottom"] - word["top"] for word in words)
    gap = _ROW_GAP * heights[len(heights) // 2]
    edges, bottom = [words[0]["top"] - 0.5], words[0]["bottom"]
    for word in words[1:]:
        if word["top"] > bottom + gap:  # each band between two lines of its own (the text's columns start there)
            edges += [bottom + 0.5, word["top"] - 0.5]
        bottom = max(bottom, word["bottom"])
    edges.append(bottom + 0.5)
    settings = {"horizontal_strategy": "explicit", "explicit_horizontal_lines": edges}
    gutters = _gutters(words, heights[len(heights) // 2])
    if not gutters:
        return {**settings, "vertical_strategy": "text"}
    return {**settings, "vertical_strategy": "explicit", "explicit_vertical_lines": gutters}


def _gutters(words: list[dict], height: float) -> list[float]:
    """The columns' edges of a table without rules: the outer edges of the page's text and the middle of each run of
    white space, wider than a word space, that runs down every line of its rows (from the first line that opens
    with a course code; not a running footer) and of its header (the lines above that cross no run whole: a title
    or a caption runs across the columns)."""
    lines: list[list[dict]] = []
    for word in words:  # sorted by top: a word that overlaps the line before goes on it
        if lines and word["top"] < lines[-1][-1]["bottom"] - height / 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    first = next((i for i, line in enumerate(lines) if _opens_with_code(line)), None)
    if first is None:
        return []
    rows = lines[first:-1] if _is_print_mark(lines[-1]) else lines[first:]
    runs = _white_runs(rows, height)
    header = [line for line in lines[:first] if _leaves_open(runs, _white_runs([*rows, line], height))]
    runs = _white_runs(rows + header, height)
    if not runs:
        return []
    right = max(w["x1"] for line in rows for w in line)
    return [
        min(w["x0"] for w in words),
        *((start + end) / 2 for start, end in runs),
        max(right, *(w["x1"] for w in words)),
    ]


def _leaves_open(runs: list[tuple[float, float]], narrowed: list[tuple[float, float]]) -> bool:
    """A line above the rows leaves each run of white space some of its own (a header's words may reach into a
    gutter); a title or a caption, its words a word space apart, closes the runs it runs across."""
    return all(any(start <= left and right <= end for left, right in narrowed) for start, end in runs)


def _white_runs(lines: list[list[dict]], height: float) -> list[tuple[float, float]]:
    """(start, end) of each run of white space between the lines' words, at least half a line's height wide."""
    left = int(min(w["x0"] for line in lines for w in line))
    steps = int(max(w["x1"] for line in lines for w in line)) - left + 2
    covered = [False] * steps
    for word in (w for line in lines for w in line):
        for x in range(int(word["x0"]) - left, int(word["x1"]) - left + 1):
            covered[x] = True
    runs, start = [], None
    for x, filled in enumerate(covered):
        if not filled and start is None:
            start = x
        elif filled and start is not None:
            if x - start >= height / 2:
                runs.append((left + start, left + x))
            start = None
    return runs


def _is_print_mark(line: list[dict]) -> bool:
    """A running footer's line: it opens or ends with a print date or a page number."""
    texts = [word["text"] for word in sorted(line, key=lambda word: word["x0"])]
    pieces = [" ".join(texts[:cut]) for cut in range(1, len(texts) + 1)] + [
        " ".join(texts[cut:]) for cut in range(len(texts))
    ]
    return any(patterns.PAGE_CHROME.fullmatch(piece) for piece in pieces)


def _opens_with_code(line: list[dict]) -> bool:
    first = min(line, key=lambda word: word["x0"])
    return bool(re.fullmatch(patterns.COURSE_CODE, first["text"]))


def _rows(pdf, settings) -> list[dict] | None:
    rows: list[list[str | None]] = []
    columns: dict[str, int] | None = None
    for page in pdf.pages:
        opened = False  # a row of this page has begun: a row without a course before it continues the last one
        for table in page.extract_tables(settings(page)):
            for cells in table:
                found = _header_columns(cells)
                if found:
                    columns = found
                elif columns and _is_row(cells, columns):
                    rows.append(list(cells))
                    opened = True
                elif columns and rows and not opened and _continues(cells, columns):
                    rows[-1] = [_joined(before, after) for before, after in zip_longest(rows[-1], cells)]
                    opened = True
    return [_listing_row(cells, columns) for cells in rows] if columns else None


def _continues(cells: list[str | None], columns: dict[str, int]) -> bool:
    """The rest of a row that broke across a page: no course of its own, text in its other cells."""
    course = _cell(cells, columns["course_code"])
    rest = [_cell(cells, index) for index in columns.values() if index != columns["course_code"]]
    return not course and any(rest) and not any(_is_footnote(text or "") for text in rest)


def _joined(before: str | None, after: str | None) -> str | None:
    return " ".join(text for text in (before, after) if text and text.strip()) or None


def _is_row(cells: list[str | None], columns: dict[str, int]) -> bool:
    """A listing row has a course and a credential; a footnote or a caption under the table is not a row."""
    course, credential = (_cell(cells, columns.get(column)) for column in site.LISTING_REQUIRED)
    return bool(course and credential) and not _is_footnote(course)


def _is_footnote(text: str) -> bool:
    """A note under the table: it opens with a mark (`*`, `†`) or a word (`Note`, `Source`). Not `fold`ed, which
    drops the star."""
    return text.strip().casefold().startswith(_FOOTNOTE_MARKS)


def _cell(cells: list[str | None], index: int | None) -> str | None:
    text = cells[index] if index is not None and index < len(cells) else None
    return patterns.WHITESPACE.sub(" ", text).strip() or None if text else None


def _header_columns(cells: list[str | None]) -> dict[str, int] | None:
    """Column -> cell index when the row's headers name a course and a credential column; else None. A row
    holding a course code or a bare Yes/No is a data row, whatever words its cells contain."""
    if any(_is_data(cell or "") for cell in cells):
        return None
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = header_column(cell or "") if cell and len(cell) <= 80 else None
        if column == "course":
            found.setdefault("course_code", index)
            found.setdefault("course_title", index)
        elif column and column not in found:
            found[column] = index
    return found if set(site.LISTING_REQUIRED) <= found.keys() else None


def _is_data(cell: str) -> bool:
    return bool(patterns.COURSE_AND_TITLE.fullmatch(cell) or patterns.YES_NO.fullmatch(cell))


def _listing_row(cells: list[str | None], columns: dict[str, int]) -> dict:
    def cell(column: str) -> str | None:
        return _cell(cells, columns.get(column))

    code, title = cell("course_code"), cell("course_title")
    one_cell = columns.get("course_title") == columns["course_code"]
    if one_cell:
        title = None
    split = patterns.COURSE_AND_TITLE.fullmatch(code or "")
    if split:  # `IM11 Advanced Manufacturing I` in one cell: the code by its shape, the title after it
        code, rest = split.group(1), split.group(2).strip()
        title = title or rest or None
    federal = cell("federal_reporting")
    flag = patterns.LEADING_YES_NO.match(federal or "")
    return {
        "course_code": code,
        "course_title": title,
        "credential_name": cell("credential_name"),
        "federal_reporting": (flag.group(1).lower() == "yes") if flag else None,
    }
