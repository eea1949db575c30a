"""Printed credential and course pages: words with positions -> label/value events.

A browser prints a page's text in document order, so the words in stream
order follow the HTML: a label cell, then its value cell. Labels sit left of
the value column, whose edge is found from the known labels; value lines are
rebuilt from positions: a line the next word would not have fitted on was
wrapped by the printer (joined by a space), a shorter one ends in a real line
break, a taller gap is a blank line. Links whose text does not show their
target keep it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from pipeline import patterns
from pipeline.read.blocks import Event, Line, Pair, original_url
from pipeline.read.labels import LABELS, canonical_label, fold, label_prefix_at
from pipeline.read.text import glued_events

_LINE_TOLERANCE = 2.0  # points: words this close vertically share a line
_BLANK_LINE_FACTOR = 1.6  # a gap taller than this many font sizes is a blank line
_HEADING_FACTOR = 1.1  # text this much larger than the body is a heading
_CELL_PADDING = 1.5  # points between a cell's text and the page's right margin
# points: a value starts this close to its value column (either side); a line that starts further left, with a
# word over that edge, runs across both columns
_COLUMN_SLACK = 2.0
_CHARACTER = 1.0  # a character's width, at most, in font sizes (an em)
_NEXT_CHARACTER = 0.6  # the width of most characters, at most, in font sizes
# A page whose last line sits this many font sizes above the lowest line of the document had room for one more
# line (a line's height, half a pitch to spare): the value went on after a blank line.
_BLANK_AT_PAGE_END = 1.6
_LABEL_WORDS = [(label.text, fold(label.text).split()) for label in LABELS]
_FOLDED_LABELS = tuple(fold(label.text) for label in LABELS)
# Each label's folded words, found by its first word; longest first ("Proctored Environment Required" first).
_LABELS_BY_FIRST_WORD: dict[str, list[list[str]]] = {}
for _, _tokens in sorted(_LABEL_WORDS, key=lambda item: -len(item[1])):
    _LABELS_BY_FIRST_WORD.setdefault(_tokens[0], []).append(_tokens)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    page: int
    mcid: int | None = None  # marked-content id of a tagged PDF: one per text run between breaks

    def same_run(self, other: Word) -> bool | None:
        """Same text run? None when the PDF is untagged or the run crosses a page."""
        if self.mcid is None or other.mcid is None or self.page != other.page:
            return None
        return self.mcid == other.mcid


# --- events ------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """Where body text may go: as far right as a line may reach (the page's right margin, less a cell's
    padding) and as low as a line sits on any page."""

    right: float
    bottom: float


def events(words: list[Word], links: list[dict], page_right: float) -> list[Event]:
    """Loose lines (headings, paragraphs) and one Pair per table row, table by table."""
    words = _with_link_targets(_without_print_marks(words), links)
    if not words:
        return []
    body = Counter(word.size for word in words).most_common(1)[0][0]
    frame = _Frame(page_right - _CELL_PADDING, max(word.top + word.size for word in words))
    events: list[Event] = []
    for heading, segment in _segments(words, body):
        if heading:
            events.extend(_loose_lines(segment))
        else:
            events.extend(_table_events(segment, frame))
    return events


def _without_print_marks(words: list[Word]) -> list[Word]:
    """On a page's first and last line, where a report's running header and footer go, a part set apart by a
    wide gap that is a print date or a page number (`1/15/2026, 10:42 AM` left, `Page 1 of 2` right) is chrome."""
    lines = printed_lines(words)
    edges: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        edges.setdefault(line[0].page, []).append(index)
    ends = {
        index
        for found in edges.values()
        for index in (min(found, key=lambda i: lines[i][0].top), max(found, key=lambda i: lines[i][0].top))
    }
    kept: list[Word] = []
    for index, line in enumerate(lines):
        parts = _parts(line) if index in ends else [line]
        kept += [word for part in parts if not (index in ends and _is_print_mark(part)) for word in part]
    return kept


def _parts(line: list[Word]) -> list[list[Word]]:
    """A line cut where two words are more than four font sizes apart."""
    parts = [[line[0]]]
    for word in line[1:]:
        if word.x0 - parts[-1][-1].x1 > 4 * word.size:
            parts.append([word])
        else:
            parts[-1].append(word)
    return parts


def _is_print_mark(part: list[Word]) -> bool:
    return bool(patterns.PAGE_CHROME.match(" ".join(word.text for word in part)))


def _segments(words: list[Word], body: float) -> list[tuple[bool, list[Word]]]:
    """Runs of heading words and of body words; each table lies in one body run."""
    segments: list[tuple[bool, list[Word]]] = []
    for word in words:
        heading = word.size > body * _HEADING_FACTOR
        if segments and segments[-1][0] == heading:
            segments[-1][1].append(word)
        else:
            segments.append((heading, [word]))
    return segments


def _table_events(words: list[Word], frame: _Frame) -> list[Event]:
    """Label/value events of a body run, deciding label by label how the value is laid out.

    A label whose value starts beside it, a column gap to its right, is a table
    or div row: read as two columns. A label whose value starts below it
    (definition list) or right after it on its line (bold label and text) is
    read from its lines by the glued-text reader, which knows how a label
    opens a pair. Consecutive labels read the same way are read together.
    """
    starts = [(start, end) for start, end in label_starts(words) if _begins_line(words, start)]
    if not starts:
        return _loose_lines(words)
    beside = _beside_flags(words, starts)
    column = _value_column(words, starts, beside)
    if column is not None:  # a label's words that begin a line inside the value column are a value's words
        kept = [index for index, (start, _) in enumerate(starts) if words[start].x0 < column - 1.5]
        starts, beside = [starts[index] for index in kept], [beside[index] for index in kept]
        if not starts:
            return _loose_lines(words)
    events = _loose_lines(words[: starts[0][0]])
    run = 0
    for index in range(1, len(starts) + 1):
        if index < len(starts) and beside[index] == beside[run]:
            continue
        first = starts[run][0]
        stop = starts[index][0] if index < len(starts) else len(words)
        chunk = words[first:stop]
        if beside[run]:
            events += _column_events(chunk, [(a - first, b - first) for a, b in starts[run:index]], column, frame)
        else:
            events += _stacked_events(chunk, frame)
        run = index
    return events


def _begins_line(words: list[Word], index: int) -> bool:
    """A label opens its printed line; the same words inside a value's line are text."""
    if index == 0:
        return True
    previous, word = words[index - 1], words[index]
    return previous.page != word.page or abs(previous.top - word.top) > _LINE_TOLERANCE or previous.x1 > word.x0


def _beside_flags(words: list[Word], starts: list[tuple[int, int]]) -> list[bool]:
    """Which labels have their value beside them, in a value column shared by the rows of a table.

    A value that starts to the right of its label on the label's line is beside
    it only when it starts where most such values start: table and div rows
    align their values, a bold label's text follows it wherever the label ends.
    """
    starts_x = {
        index: round(words[end].x0) for index, (start, end) in enumerate(starts) if _on_its_line(words, start, end)
    }
    column, count = Counter(starts_x.values()).most_common(1)[0] if starts_x else (None, 0)
    if count < max(2, len(starts_x) // 2) and len(starts) > 1:
        column = None
    return [
        column is not None and index in starts_x and abs(words[starts[index][1]].x0 - column) <= _COLUMN_SLACK
        for index in range(len(starts))
    ]


def _value_column(words: list[Word], starts: list[tuple[int, int]], beside: list[bool]) -> float | None:
    """Where the values of the labels read as two columns start."""
    lefts = [round(words[end].x0) for (_, end), flag in zip(starts, beside, strict=True) if flag]
    return Counter(lefts).most_common(1)[0][0] if lefts else None


def _on_its_line(words: list[Word], start: int, end: int) -> bool:
    """The word after the label starts to its right (of the label's words on its line, which may run under it: a
    label's word wider than its cell), no lower than the label's lines."""
    if end >= len(words):
        return False
    label, value = words[start:end], words[end]
    beside = [word for word in label if word.page == value.page and abs(word.top - value.top) <= _LINE_TOLERANCE]
    return (
        value.page == label[-1].page
        and value.x0 > max(word.x0 for word in beside or label)
        and value.top <= max(word.top for word in label) + _LINE_TOLERANCE
    )


def _column_events(words: list[Word], starts: list[tuple[int, int]], value_x: float, frame: _Frame) -> list[Event]:
    """Two columns: label cells left of the value column (at `value_x`, the column the rows' values were found
    beside), value cells in it, row by row in stream order."""
    label_x = min(words[start].x0 for start, _ in starts)
    events: list[Event] = []
    table = _Table(frame, max((word.x1 for word in words if word.x0 >= value_x - _COLUMN_SLACK), default=frame.right))
    label_indexes = {start for start, _ in starts}
    # A label's word wider than its cell runs over the value column's edge (a producer that does not cut words).
    label_words = {index for start, end in starts for index in range(start, end)}
    ended = False  # a paragraph across both columns, or a line left of the labels, ends the table
    outside = False
    for index, word in enumerate(words):
        if index in label_indexes:
            ended = False
        if index == 0 or not _same_line(words[index - 1], word):
            if table.label and abs(word.x0 - label_x) <= 1.5 and _continues_label(table.label, word):
                label_words.add(index)  # the label's next line, wrapped in its cell, may run over too
            end = _line_end(words, index)
            line = [words[at] for at in range(index, end) if at not in label_words]
            outside = bool(line) and _outside_table(line, label_x, value_x)
            if ended or outside:
                table.flush(events)
                events.extend(_loose_lines(line))
        if ended or outside:
            ended = True
            continue
        if word.x1 <= value_x - 0.5 or index in label_words:
            table.add_label_word(word, events)
        else:
            table.value.append(word)
    table.flush(events)
    return events


def _line_end(words: list[Word], first: int) -> int:
    """The end index of the printed line that starts at `first`, in stream order."""
    end = first + 1
    while end < len(words) and _same_line(words[end - 1], words[end]):
        end += 1
    return end


def _same_line(before: Word, after: Word) -> bool:
    return before.page == after.page and abs(before.top - after.top) <= _LINE_TOLERANCE and before.x1 <= after.x0


def _outside_table(line: list[Word], label_x: float, value_x: float) -> bool:
    """A line across both columns (a word over the value column's edge) or starting left of the label column."""
    return line[0].x0 < label_x - 1.0 or any(word.x0 < value_x - _COLUMN_SLACK < word.x1 for word in line)


def _stacked_events(words: list[Word], frame: _Frame) -> list[Event]:
    """Labels on their own line or inline with their value: the printed lines, through the glued-text reader."""
    lines: list[str] = []
    printed = printed_lines(words)
    for index, line in enumerate(printed):
        text = _label_text(line)
        if index == 0 or label_prefix_at(text):
            lines.append(text)
            continue
        joint = _break_between(printed[index - 1], line, frame)
        if joint in ("\n", "\n\n"):
            lines += [""] * (joint.count("\n") - 1) + [text]
        else:
            lines[-1] += joint + text
    return glued_events(lines)[0]


class _Table:
    """Label words then value words, row by row, in the order the browser printed them."""

    def __init__(self, frame: _Frame, filled: float) -> None:
        self.frame = frame
        self.filled = filled  # the furthest right a value line went
        self.label: list[Word] = []
        self.value: list[Word] = []
        self.value_mark = 0  # how many value words there were when the label's last word came

    def add_label_word(self, word: Word, events: list[Event]) -> None:
        after_value = len(self.value) > self.value_mark  # value words came since the label's last word
        last = self.label[-1] if self.label else None
        if last and not after_value and word.page == last.page and abs(word.top - last.top) <= _LINE_TOLERANCE:
            pass  # the label's own line goes on
        elif last and after_value and self._wraps_label(word):
            pass  # a producer that writes line by line: the label's next line, after a value line
        elif after_value or (last and self._next_label(word)):
            self.flush(events)
        self.label.append(word)
        self.value_mark = len(self.value)

    def _wraps_label(self, word: Word) -> bool:
        """The label cell goes on below its first line: the words so far and this one still spell a longer known
        label, or the label so far is none and this word opens none (an unknown label wrapped in its cell)."""
        last = self.label[-1]
        if word.page == last.page and word.top <= last.top + _LINE_TOLERANCE:
            return False
        if _continues_label(self.label, word):
            return True
        so_far = fold(_label_text(self.label))
        known_start = any(so_far == " ".join(tokens[: len(self.label)]) for _, tokens in _LABEL_WORDS)
        return not known_start and not _is_whole_label(self.label) and fold(word.text) not in _LABELS_BY_FIRST_WORD

    def _next_label(self, word: Word) -> bool:
        """A label cell right after another one (the first had an empty value)."""
        same_run = self.label[-1].same_run(word)
        if same_run is None:
            same_run = word.page == self.label[-1].page and word.top <= self.label[-1].top + _LINE_TOLERANCE
        return not same_run and _is_whole_label(self.label) and not _continues_label(self.label, word)

    def flush(self, events: list[Event]) -> None:
        if self.label:
            text = _label_text(self.label)
            value = _value_text(self.value, self.frame, self.filled)
            events.append(Pair(text, value, canonical_label(text)))
        self.label, self.value, self.value_mark = [], [], 0


def label_starts(words: list[Word]) -> list[tuple[int, int]]:
    """(start, end) word indexes of every known label spelled out in the stream (of a label wrapped line by line,
    its first line)."""
    return [(start, end) for start, end, _ in _labels_found(words)]


def labels_spelled(words: list[Word]) -> set[str]:
    """The directory labels the words spell out, anywhere, whole (also those a producer wrapped line by line): a
    printed credential page spells many."""
    return {canonical_label(" ".join(tokens)) or "" for _, _, tokens in _labels_found(words)} - {""}


def _labels_found(words: list[Word]) -> list[tuple[int, int, list[str]]]:
    """(start, end, the label's folded words) of every known label spelled out in the stream."""
    found = []
    folded = [fold(word.text) for word in words]
    index = 0
    while index < len(words):
        match = _label_end(folded, index) or _wrapped_label_end(words, folded, index)
        if match:
            found.append((index, *match))
            index = match[0]
        else:
            index += 1
    return found


def _label_end(folded: list[str], index: int) -> tuple[int, list[str]] | None:
    for tokens in _LABELS_BY_FIRST_WORD.get(folded[index], ()):
        stop = index + len(tokens)
        if folded[index:stop] == tokens:
            while stop < len(folded) and folded[stop] == "":
                stop += 1  # a lone `*` folds to nothing
            return stop, tokens
    return None


def _wrapped_label_end(words: list[Word], folded: list[str], index: int) -> tuple[int, list[str]] | None:
    """A label wrapped in its cell by a producer that writes line by line (`Credential` + its value's first line,
    then `Name` under `Credential`): the end of the label's first line, when the lines under it finish a label."""
    first = words[index]
    for tokens in _LABELS_BY_FIRST_WORD.get(folded[index], ()):
        matched, position, first_line_end, beside = 1, index + 1, None, False
        last = first
        while matched < len(tokens) and position < len(words):
            word = words[position]
            on_last_line = word.page == last.page and abs(word.top - last.top) <= _LINE_TOLERANCE
            if on_last_line and not beside and folded[position] == tokens[matched]:
                matched, last = matched + 1, word  # the label's line goes on
            elif on_last_line and word.x0 > last.x0:
                beside = True  # the value's words beside the label (a label's word wider than its cell runs under)
                first_line_end = first_line_end or position
            elif (
                first_line_end is not None  # the value beside the label's first line (beside the next, or not)
                and _below(word, last)
                and abs(word.x0 - first.x0) <= 1.5
                and folded[position] == tokens[matched]
            ):
                matched, last, beside = matched + 1, word, False  # the label's next line, under its first
            else:
                break
            position += 1
        if matched == len(tokens) and first_line_end is not None:
            return first_line_end, tokens
    return None


def _below(word: Word, last: Word) -> bool:
    """`word` is on a later line than `last`: lower on its page, or on the next page (a row broken across pages)."""
    return word.page == last.page + 1 or (word.page == last.page and word.top > last.top + _LINE_TOLERANCE)


def _is_whole_label(label: list[Word]) -> bool:
    return canonical_label(_label_text(label)) is not None


def _continues_label(label: list[Word], word: Word) -> bool:
    """`Proctored Environment` + `Required`: the next line still spells a longer label."""
    text = fold(_label_text([*label, word]))
    return any(candidate.startswith(text) for candidate in _FOLDED_LABELS)


def _label_text(words: list[Word]) -> str:
    text = ""
    for word in words:
        text += word.text if word.text == "*" or not text else " " + word.text
    return text


def _value_text(words: list[Word], frame: _Frame, filled: float | None = None) -> str:
    lines = printed_lines(words)
    column = (min((word.x0 for word in words), default=0.0), filled) if filled else None
    text = ""
    for index, line in enumerate(lines):
        if index:
            text += _break_between(lines[index - 1], line, frame, column)
        text += " ".join(word.text for word in line)
    return text.strip()


def printed_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into the lines the printer laid out: same page, same height, left to right."""
    lines: list[list[Word]] = []
    for word in words:
        if (
            lines
            and word.page == lines[-1][-1].page
            and abs(word.top - lines[-1][-1].top) <= _LINE_TOLERANCE
            and word.x0 >= lines[-1][-1].x1
        ):
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _break_between(
    previous: list[Word], line: list[Word], frame: _Frame, column: tuple[float, float] | None = None
) -> str:
    """How two printed lines of a value join: a blank line, a line break, or a wrap.

    A tagged PDF says it: a new text run is a real break. Untagged (or across a
    page), a line the next word would have fitted on ended in a real break; else
    the printer wrapped it (after a hyphen, with no space; inside a word too wide
    for its column, which a report generator splits where the line is full,
    with nothing).
    """
    last, first = previous[-1], line[0]
    right_edge = frame.right
    if first.page == last.page and first.top - last.top > _BLANK_LINE_FACTOR * last.size:
        return "\n\n"
    if (
        first.page != last.page
        and last.top + _BLANK_AT_PAGE_END * last.size <= frame.bottom
        and not patterns.LOWER_CASE_WORD.fullmatch(first.text)
    ):
        # The page ended a line early: the line left empty there was a blank line of the value. Unless the next
        # page goes on in lower case: then the printer carried a line break over the page (reportlab's
        # Paragraph.split does), which leaves the same room and the same empty first line as a blank line.
        return "\n\n"
    same_run = last.same_run(first)
    if same_run is None and column is not None:
        # A word wider than its column (`column`: its left edge and the furthest its lines reach): a generator
        # splits it where the line is full, to the character. A full line and a piece that together are wider
        # than the column were one word; a piece that fills its own line after a line that ended short began
        # on a line of its own.
        left, filled = column

        def spans(word: Word) -> bool:  # a piece of a word too wide for the column: it fills its line
            return word.x0 <= left + _CHARACTER * word.size and word.x1 >= filled - _CHARACTER * word.size

        # full: not even the next piece's first character would have fitted after the line's last word
        full = last.x1 + _NEXT_CHARACTER * first.size > filled + 0.5
        # `Schools` begins a sentence and `https://...` an address, not the rest of a word
        goes_on = not patterns.CAPITALISED_WORD.fullmatch(first.text) and not patterns.CONTACT_ITEM.match(first.text)
        if len(previous) == 1 and spans(last) and full and goes_on:
            return ""  # the word goes on
        joined = last.text + first.text
        if full and not spans(first) and (last.x1 - last.x0) + (first.x1 - first.x0) > right_edge - left:
            if patterns.SPLIT_WORD.search(joined) and goes_on:
                return ""  # an address or email split where the line was full
        if spans(first):
            return " " if full else "\n"  # a word too wide began on a line of its own
    if same_run is None:
        space = last.size * 0.3
        edge = min(right_edge, column[1] + 0.5) if column else right_edge  # as far as the column's lines went
        same_run = last.x1 + space + (first.x1 - first.x0) > edge
        if same_run and patterns.CONTACT_ITEM.fullmatch(first.text) and len(line) == 1:
            same_run = False  # a wrap or a break before an address alone on its line: a directory breaks there
    if not same_run:
        return "\n"
    if last.text.endswith(("?", "&", "=")) and patterns.URL.fullmatch(last.text):
        return ""  # an address wrapped inside its query: it goes on
    return "" if last.text.endswith("-") and len(last.text) > 1 else " "


def _loose_lines(words: list[Word]) -> list[Event]:
    return [Line(" ".join(word.text for word in line)) for line in printed_lines(words)]


def _with_link_targets(words: list[Word], links: list[dict]) -> list[Word]:
    """Append a link's target after its text when the text does not show it (an archived address unwrapped)."""
    result = list(words)
    by_uri: dict[str, list[int]] = {}
    for link in links:
        inside = [i for i, w in enumerate(words) if w.page == link["page"] and _inside(w, link)]
        by_uri.setdefault(link["uri"], []).extend(inside)
    for address, indexes in by_uri.items():
        if not indexes:
            continue
        uri = original_url(address)  # a web archive's copy links through the archive
        shown = "".join(words[i].text for i in sorted(set(indexes)))
        if uri.rstrip("/") not in shown and uri.lower().startswith(("http://", "https://")):
            last = max(indexes)
            result[last] = replace(result[last], text=f"{result[last].text} {uri}")
    return result


def _inside(word: Word, link: dict) -> bool:
    middle_x = (word.x0 + word.x1) / 2
    return link["x0"] - 1 <= middle_x <= link["x1"] + 1 and link["top"] - 2 <= word.top <= link["bottom"]
