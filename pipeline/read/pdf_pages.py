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

from pipeline.read.blocks import Event, Line, Pair
from pipeline.read.labels import LABELS, canonical_label, fold, label_prefix_at
from pipeline.read.text import glued_events

_LINE_TOLERANCE = 2.0  # points: words this close vertically share a line
_BLANK_LINE_FACTOR = 1.6  # a gap taller than this many font sizes is a blank line
_HEADING_FACTOR = 1.1  # text this much larger than the body is a heading
_CELL_PADDING = 1.5  # points between a cell's text and the page's right margin
_LABEL_WORDS = [(label.text, fold(label.text).split()) for label in LABELS]
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


def events(words: list[Word], links: list[dict], page_right: float) -> list[Event]:
    """Loose lines (headings, paragraphs) and one Pair per table row, table by table."""
    words = _with_link_targets(words, links)
    body = Counter(word.size for word in words).most_common(1)[0][0]
    events: list[Event] = []
    for heading, segment in _segments(words, body):
        if heading:
            events.extend(_loose_lines(segment))
        else:
            events.extend(_table_events(segment, page_right))
    return events


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


def _table_events(words: list[Word], page_right: float) -> list[Event]:
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
    events = _loose_lines(words[: starts[0][0]])
    run = 0
    for index in range(1, len(starts) + 1):
        if index < len(starts) and beside[index] == beside[run]:
            continue
        first = starts[run][0]
        stop = starts[index][0] if index < len(starts) else len(words)
        chunk = words[first:stop]
        if beside[run]:
            events += _column_events(chunk, [(a - first, b - first) for a, b in starts[run:index]], page_right)
        else:
            events += _stacked_events(chunk, page_right)
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
        column is not None and index in starts_x and abs(starts_x[index] - column) <= 2 for index in range(len(starts))
    ]


def _on_its_line(words: list[Word], start: int, end: int) -> bool:
    """The word after the label starts to its right, no lower than the label's lines."""
    if end >= len(words):
        return False
    label, value = words[start:end], words[end]
    return (
        value.page == label[-1].page
        and value.x0 > max(word.x1 for word in label)
        and value.top <= max(word.top for word in label) + _LINE_TOLERANCE
    )


def _column_events(words: list[Word], starts: list[tuple[int, int]], page_right: float) -> list[Event]:
    """Two columns: label cells left of the value column, value cells in it, row by row in stream order."""
    value_x = Counter(round(words[end].x0) for _, end in starts if end < len(words)).most_common(1)[0][0]
    events: list[Event] = []
    table = _Table(page_right)
    for word in words:
        if word.x0 < value_x - 1.5 < word.x1:  # a paragraph across both columns
            table.flush(events)
            events.extend(_loose_lines([word]))
        elif word.x1 <= value_x - 0.5:
            table.add_label_word(word, events)
        else:
            table.value.append(word)
    table.flush(events)
    return events


def _stacked_events(words: list[Word], page_right: float) -> list[Event]:
    """Labels on their own line or inline with their value: the printed lines, through the glued-text reader."""
    right_edge = page_right - _CELL_PADDING
    lines: list[str] = []
    printed = printed_lines(words)
    for index, line in enumerate(printed):
        text = _label_text(line)
        if index == 0 or label_prefix_at(text):
            lines.append(text)
            continue
        joint = _break_between(printed[index - 1], line, right_edge)
        if joint in ("\n", "\n\n"):
            lines += [""] * (joint.count("\n") - 1) + [text]
        else:
            lines[-1] += joint + text
    return glued_events(lines)[0]


class _Table:
    """Label words then value words, row by row, in the order the browser printed them."""

    def __init__(self, page_right: float) -> None:
        # The widest a value line can be: the page's right margin, less the cell padding.
        self.right_edge = page_right - _CELL_PADDING
        self.label: list[Word] = []
        self.value: list[Word] = []

    def add_label_word(self, word: Word, events: list[Event]) -> None:
        if self.value or (self.label and self._next_label(word)):
            self.flush(events)
        self.label.append(word)

    def _next_label(self, word: Word) -> bool:
        """A label cell right after another one (the first had an empty value)."""
        same_run = self.label[-1].same_run(word)
        if same_run is None:
            same_run = word.top <= self.label[-1].top + _LINE_TOLERANCE
        return not same_run and _is_whole_label(self.label) and not _continues_label(self.label, word)

    def flush(self, events: list[Event]) -> None:
        if self.label:
            text = _label_text(self.label)
            value = _value_text(self.value, self.right_edge)
            events.append(Pair(text, value, canonical_label(text)))
        self.label, self.value = [], []


def label_starts(words: list[Word]) -> list[tuple[int, int]]:
    """(start, end) word indexes of every known label spelled out in the stream."""
    starts = []
    folded = [fold(word.text) for word in words]
    index = 0
    while index < len(words):
        end = _label_end(folded, index)
        if end:
            starts.append((index, end))
            index = end
        else:
            index += 1
    return starts


def _label_end(folded: list[str], index: int) -> int | None:
    for tokens in _LABELS_BY_FIRST_WORD.get(folded[index], ()):
        stop = index + len(tokens)
        if folded[index:stop] == tokens:
            while stop < len(folded) and folded[stop] == "":
                stop += 1  # a lone `*` folds to nothing
            return stop
    return None


def _is_whole_label(label: list[Word]) -> bool:
    return canonical_label(_label_text(label)) is not None


def _continues_label(label: list[Word], word: Word) -> bool:
    """`Proctored Environment` + `Required`: the next line still spells a longer label."""
    text = fold(_label_text([*label, word]))
    return any(fold(candidate).startswith(text) for candidate, _ in _LABEL_WORDS)


def _label_text(words: list[Word]) -> str:
    text = ""
    for word in words:
        text += word.text if word.text == "*" or not text else " " + word.text
    return text


def _value_text(words: list[Word], right_edge: float) -> str:
    lines = printed_lines(words)
    text = ""
    for index, line in enumerate(lines):
        if index:
            text += _break_between(lines[index - 1], line, right_edge)
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


def _break_between(previous: list[Word], line: list[Word], right_edge: float) -> str:
    """How two printed lines of a value join: a blank line, a line break, or a wrap.

    A tagged PDF says it: a new text run is a real break. Untagged (or across a
    page), a line the next word would have fitted on ended in a real break; else
    the printer wrapped it (after a hyphen, with no space).
    """
    last, first = previous[-1], line[0]
    if first.page == last.page and first.top - last.top > _BLANK_LINE_FACTOR * last.size:
        return "\n\n"
    same_run = last.same_run(first)
    if same_run is None:
        space = last.size * 0.3
        same_run = last.x1 + space + (first.x1 - first.x0) > right_edge
    if not same_run:
        return "\n"
    return "" if last.text.endswith("-") and len(last.text) > 1 else " "


def _loose_lines(words: list[Word]) -> list[Event]:
    return [Line(" ".join(word.text for word in line)) for line in printed_lines(words)]


def _with_link_targets(words: list[Word], links: list[dict]) -> list[Word]:
    """Append a link's target after its text when the text does not show it."""
    result = list(words)
    by_uri: dict[str, list[int]] = {}
    for link in links:
        inside = [i for i, w in enumerate(words) if w.page == link["page"] and _inside(w, link)]
        by_uri.setdefault(link["uri"], []).extend(inside)
    for uri, indexes in by_uri.items():
        if not indexes:
            continue
        shown = "".join(words[i].text for i in sorted(set(indexes)))
        if uri.rstrip("/") not in shown and uri.lower().startswith(("http://", "https://")):
            last = max(indexes)
            result[last] = replace(result[last], text=f"{result[last].text} {uri}")
    return result


def _inside(word: Word, link: dict) -> bool:
    middle_x = (word.x0 + word.x1) / 2
    return link["x0"] - 1 <= middle_x <= link["x1"] + 1 and link["top"] - 2 <= word.top <= link["bottom"]
