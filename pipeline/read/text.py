"""Text renderings -> events.

The site's own renderings (CONTRACT section 1): labels glued to their values
with the value running over lines until the next label, and a flattened table
with one `| Label | value |` row a line. Any other rendering a person can make
(CONTRACT section 5) is read by the same readers once its converter's marks are
gone (`text_markup`): a Markdown conversion (its tables' rows, a cell running
over lines), a text browser's dump (its wrapped lines joined, its link numbers
and reference list gone), and a two-column layout (`text_columns`).
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.read import text_columns, text_markup
from pipeline.read.blocks import Event, Line, Page, Pair, assemble
from pipeline.read.labels import LABELS, canonical_label, is_label_fragment, label_prefix_at
from pipeline.site import FIRST_LABEL, LAST_LABEL

PARAGRAPH = text_markup.PARAGRAPH
BEFORE_PARAGRAPH = text_markup.BEFORE_PARAGRAPH


def parse_text(text: str) -> Page:
    lines = text_markup.without_borders(text_markup.without_tabs(text.splitlines()))
    lines, listed = text_markup.without_references(lines)
    column = text_columns.value_column(lines)
    if column is not None:
        return assemble(text_columns.column_events(lines, column, listed))
    if text_markup.is_markdown(lines):
        events, fragment = markdown_events(text_markup.markdown_lines(lines))
        return assemble(events, fragment)
    if _is_flattened_table(lines):
        events, fragment = table_events(lines)
        return assemble(events, fragment)
    lines = text_markup.unwrapped(lines, text_markup.wrap_width(lines))
    lines = [text_markup.without_link_marks(line, listed) for line in lines]
    events, fragment = glued_events(inline_labels(lines))
    return assemble(events, fragment)


def _is_flattened_table(lines: list[str]) -> bool:
    for line in lines:
        row = _split_row(line)
        if row and canonical_label(row[0]) is not None:
            return True
    return False


# --- Markdown: its tables' rows (a cell may run over lines), else labels opening lines ------------------


def markdown_events(lines: list[str]) -> tuple[list[Event], str | None]:
    """A Markdown conversion's logical lines: table rows are pairs (an html2text cell goes on over the lines
    after its row, up to the next row or a paragraph break); the rest is read as labels opening lines."""
    if not _is_flattened_table(lines):
        return glued_events(inline_labels(["" if line == BEFORE_PARAGRAPH else line for line in lines]))
    events: list[Event] = []
    opening = _rows_open_with_a_bar(lines)
    cells = _cells_in_a_row(lines)
    row: list | None = None  # [label, value lines, cut]

    def close() -> None:
        if row is not None:
            value = "\n".join(row[1]).strip()
            events.append(Pair(row[0], text_markup.cell_breaks(value) if row[2] else value, canonical_label(row[0])))

    for line in lines:
        split = _split_row(line) if line != PARAGRAPH else None
        shaped = split and line.lstrip().startswith("|") == opening and _cells(line) == cells
        if split and (canonical_label(split[0]) or shaped):
            close()
            label, value, cut = split
            row = [label, [value], not cut]  # a closed pipe row keeps its breaks as runs of two spaces
        elif line == PARAGRAPH or (line == BEFORE_PARAGRAPH and row is not None and not row[2]):
            close()  # a cut row's cell (html2text) ends its lines with hard breaks: a paragraph without is not its
            row = None
        elif line == BEFORE_PARAGRAPH:
            continue
        elif row is not None and not row[2]:
            row[1].append(line)
        else:
            close()
            row = None
            if line.strip():
                events.append(Line(line.strip()))
    close()
    return events, None


# --- labels run together on a line (a definition list some converters print inline) ----------------------

_ORDER = {label.key: index for index, label in enumerate(LABELS)}
_ANY_LABEL = re.compile(
    r"(?<=\s)(?:"
    + "|".join(
        sorted((r"\s+".join(map(re.escape, label.text.replace("*", "").split())) for label in LABELS), key=len)[::-1]
    )
    + r")(?:\s*\^?\*)?(?:\s*:)?(?=\s|$)"
)


def inline_labels(lines: list[str]) -> list[str]:
    """Lines that run labels together (`Credential Name X Credential Vendor Info Y ...`) cut before each label
    that follows the line's previous one in page order; only where some line holds three labels so."""
    cuts = [_label_cuts(line) for line in lines]
    if not any(len(found) >= 2 for found in cuts):
        return lines
    out: list[str] = []
    for line, found in zip(lines, cuts, strict=True):
        if not found:
            out.append(line)
            continue
        starts = [0, *found, len(line)]
        out += [
            line[start:end].strip() for start, end in zip(starts, starts[1:], strict=False) if line[start:end].strip()
        ]
    return out


def _label_cuts(line: str) -> list[int]:
    """Where labels start inside the line, each later in page order than the one before it."""
    opening = label_prefix_at(line)
    last = _ORDER[opening[0]] if opening else -1
    cuts = []
    for found in _ANY_LABEL.finditer(line):
        key = canonical_label(found.group(0))
        if key is not None and _ORDER[key] > last:
            cuts.append(found.start())
            last = _ORDER[key]
    return cuts


# --- glued rendering -------------------------------------------------------


class _OpenPair:
    def __init__(self, key: str, label_raw: str, first: str, seen: set[str]) -> None:
        self.key, self.label_raw, self.lines = key, label_raw, [first]
        self.seen = seen | {key}  # labels met so far in this block

    def close(self) -> Pair:
        return Pair(self.label_raw.strip(), "\n".join(self.lines).strip(), self.key)


def glued_events(lines: list[str]) -> tuple[list[Event], str | None]:
    """Events of the glued rendering, and a label fragment cut at the very end. A block's last label
    (Directory Notes) closes it: its value ends with its paragraph, and what follows a blank line after it
    is loose text (the next block's title, a page's footer)."""
    events: list[Event] = []
    current: _OpenPair | None = None
    for line in lines:
        if line == PARAGRAPH or not line.strip():
            if current and current.key == LAST_LABEL and "\n".join(current.lines).strip():
                events.append(current.close())
                current = None
            elif current:
                current.lines.append("")
            continue
        hit = label_prefix_at(line)
        if hit and _starts_new_pair(hit[0], current):
            if current:
                title = _pop_title(current) if hit[0] == FIRST_LABEL else None
                events.append(current.close())
                if title:
                    events.append(Line(title))
            current = _OpenPair(*hit, seen=set() if hit[0] == FIRST_LABEL or current is None else current.seen)
        elif current:
            current.lines.append(line)
        else:
            events.append(Line(line))
    fragment = _drop_trailing_label_fragment(current) if current else None
    if current:
        events.append(current.close())
    return events, fragment


def _starts_new_pair(key: str, current: _OpenPair | None) -> bool:
    """Each label appears once in a block: a value line that happens to begin
    with the words of a label already met is text, not a new label."""
    if current is None or key == FIRST_LABEL:
        return True
    return key not in current.seen


def _pop_title(pair: _OpenPair) -> str | None:
    """The next block's title ends the previous value: take it back."""
    while pair.lines and not pair.lines[-1].strip():
        pair.lines.pop()
    if len(pair.lines) > 1:
        return pair.lines.pop().strip()
    return None


def _drop_trailing_label_fragment(pair: _OpenPair) -> str | None:
    if pair.key == "directory_notes" or len(pair.lines) < 2:
        return None
    last = pair.lines[-1]
    if is_label_fragment(last, pair.seen):
        pair.lines.pop()
        return last.strip()
    return None


# --- flattened table rendering -----------------------------------------------


def table_events(lines: list[str]) -> tuple[list[Event], str | None]:
    events: list[Event] = []
    fragment = None
    opening = _rows_open_with_a_bar(lines)
    for index, line in enumerate(lines):
        row = _split_row(line)
        if row and row[2] is False and canonical_label(row[0]) is None and line.lstrip().startswith("|") != opening:
            row = None  # an unknown label counts in a row shaped as the table's rows are
        if row is None:
            is_last = index == len(lines) - 1
            stripped = line.strip().strip("|").strip()
            if is_last and line.lstrip().startswith("|") and is_label_fragment(stripped):
                fragment = stripped
            else:
                events.append(Line(line))
            continue
        label, value, cut = row
        events.append(Pair(label, value, canonical_label(label), cut))
    return events, fragment


def _rows_open_with_a_bar(lines: list[str]) -> bool:
    """Whether the table's rows (those of known labels) open with a bar: `| Label | value |`."""
    opening = [line.lstrip().startswith("|") for line in lines if (row := _split_row(line)) and canonical_label(row[0])]
    return sum(opening) * 2 > len(opening)


_CELL_BAR = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> int:
    """How many cells a pipe-table row has (an escaped bar is text)."""
    return len(_CELL_BAR.split(line.strip().removeprefix("|").removesuffix("|")))


def _cells_in_a_row(lines: list[str]) -> int:
    """The cells of the table's rows (those of known labels): a row of another shape is another table's."""
    counts = Counter(_cells(line) for line in lines if (row := _split_row(line)) and canonical_label(row[0]))
    return counts.most_common(1)[0][0] if counts else 2


def _split_row(line: str) -> tuple[str, str, bool] | None:
    """`| Label | value |` or `Label | value |` -> (label, value, cut).

    Only the first bar splits: a value may itself contain ` | `. A row without
    its closing bar was cut (a known label's row only; an unknown label, of any
    length, is a label by the row's whole shape).
    """
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    label, bar, rest = body.partition("|")
    label = label.strip()
    if not bar or not label:
        return None
    rest = rest.strip()
    closed = rest.endswith("|")
    if not closed and canonical_label(label) is None:
        return None  # an unknown label needs the row's shape, closed by its bar: a sentence with a bar is not a row
    value = rest[:-1].strip() if closed else rest
    return label, value, not closed
