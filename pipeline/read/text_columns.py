"""A text rendering laid out in two columns -> events (a text browser's or inscriptis' table).

A converter that draws a table as text sets each label in a column on the left and its value in a
column on the right, a label wrapped over lines in its cell and set in the middle of its row (or at its
top), a value's lines under an empty label cell. The value column is where the values of the known
labels start; each row's lines are found from where its label sits, the row's height and the rows
around it, never from the order of the lines alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline import patterns
from pipeline.read import text_markup
from pipeline.read.blocks import Event, Line, Pair
from pipeline.read.labels import LABELS, canonical_label, fold, label_prefix_at

_MIN_ROWS = 3  # known labels starting their values at one column before the page counts as two columns
_AGREEING = 0.6  # ... and the share of them that must agree on it
_FOLDED_LABELS = tuple(fold(label.text) for label in LABELS)


def value_column(lines: list[str]) -> int | None:
    """The column the values start at, when the lines are laid out as label and value columns (each table
    may set its own: `column_events` finds it table by table)."""
    found = [found for line in lines if (found := _value_start(line)) is not None]
    counts = Counter(start for start, _ in found)
    shared = sum(count for count in counts.values() if count >= _MIN_ROWS)  # values in a column some rows share
    padded = sum(1 for _, gap in found if gap >= 2)  # a label padded to its column's width, not glued to its value
    if len(found) < _MIN_ROWS or shared < _AGREEING * len(found) or 2 * padded < len(found):
        return None
    return counts.most_common(1)[0][0]


def _value_start(line: str) -> tuple[int, int] | None:
    """(where the value starts, the spaces before it) on a line opened by a known label and set apart from it."""
    hit = label_prefix_at(line)
    if hit is None:
        return None
    written = len(hit[1])
    rest = line[written:]
    spaces = len(rest) - len(rest.lstrip(" "))
    if not spaces or not rest.strip():
        return None
    return written + spaces, spaces


def _local_column(lines: list[str], index: int, default: int) -> int:
    """The value column of the table at or after line `index`: where most of its first labels' values start."""
    starts = []
    for line in lines[index:]:
        found = _value_start(line)
        if found is not None:
            starts.append(found[0])
            if len(starts) == 2 * _MIN_ROWS:
                break
    return Counter(starts).most_common(1)[0][0] if starts else default


@dataclass
class _Row:
    label: str  # the label cell's lines, joined
    first: int  # its first line in the table
    lines: int  # how many lines it spans


def column_events(lines: list[str], column: int, listed: bool) -> list[Event]:
    """Loose lines outside the tables; one pair per row inside them."""
    events: list[Event] = []
    index = 0
    while index < len(lines):
        column = _local_column(lines, index, column)
        start, end = _table_at(lines, index, column)
        if start is None:
            text = lines[index].strip()
            if text:
                events.append(Line(_clean(text, listed)))
            index += 1
            continue
        for line in lines[index:start]:
            if line.strip():
                events.append(Line(_clean(line.strip(), listed)))
        events += _table_pairs(lines[start:end], column, listed)
        index = end
    return events


def _split(line: str, column: int) -> tuple[str, str] | None:
    """(label cell, value cell) of a line of the table, or None for a line across both columns."""
    label = line[:column]
    if len(line) > column and label.strip():
        if line[column - 1 : column] not in (" ", ""):
            return None  # text runs across the column's edge: a paragraph
        if not label.endswith("  ") and not _in_a_label(label.strip()):
            return None  # words one space apart across the edge: a sentence's space, not an unknown label's cell
    return label.strip(), line[column:].strip()


def _table_at(lines: list[str], index: int, column: int) -> tuple[int | None, int]:
    """(start, end) of the table whose first label starts on or after line `index` before any paragraph; the
    value lines right above its first label are its own (its first row's label sits in the row's middle)."""
    probe = index
    while probe < len(lines):
        cells = _split(lines[probe], column)
        if cells is None:
            return None, index
        if cells[0] and _starts_label(cells[0]):
            break
        if not lines[probe].strip() or cells[0]:
            index = probe + 1  # a blank or a loose short line: the table starts after it
        probe += 1
    else:
        return None, index
    start = probe
    while start > index and (cells := _split(lines[start - 1], column)) and not cells[0] and cells[1]:
        start -= 1
    end = probe + 1
    while end < len(lines):
        cells = _split(lines[end], column)
        if cells is None:
            break
        if not lines[end].strip():
            following = next((line for line in lines[end + 1 :] if line.strip()), None)
            after = _split(following, column) if following is not None else None
            if after is None or (after[0] and not _starts_label(after[0])):
                break  # a blank line, then no more of the table
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def _in_a_label(text: str) -> bool:
    """The text is a known label or a piece of one (a line of a wrapped label cell)."""
    folded = fold(text)
    return bool(folded) and any(folded in label for label in _FOLDED_LABELS)


def _starts_label(text: str) -> bool:
    """The text is a known label, or the first words of one (its cell wraps)."""
    folded = fold(text)
    return bool(folded) and any(label.startswith(folded) for label in _FOLDED_LABELS)


def _table_pairs(lines: list[str], column: int, listed: bool) -> list[Event]:
    cells = [_split(line, column) or (line.strip(), "") for line in lines]
    rows = _label_cells(cells)
    if not rows:
        return [Line(_clean(line.strip(), listed)) for line in lines if line.strip()]
    width = text_markup.wrap_width([value for _, value in cells])
    spans = _spans(rows, cells, width)
    events: list[Event] = []
    for row, (first, last) in zip(rows, spans, strict=True):
        values = [value for _, value in cells[first : last + 1]]
        label = _clean(row.label, listed)
        events.append(Pair(label, _value(values, width, listed), canonical_label(label)))
    return events


def _label_cells(cells: list[tuple[str, str]]) -> list[_Row]:
    """The label cells: runs of lines with text in the label column, a run cut where a whole known label
    ends and the next line does not go on spelling a longer one."""
    rows: list[_Row] = []
    for index, (label, _) in enumerate(cells):
        if not label:
            continue
        last = rows[-1] if rows else None
        joined = _goes_on(last.label, label) if last and last.first + last.lines == index else None
        if last and joined:
            last.label = joined
            last.lines += 1
        else:
            rows.append(_Row(label, index, 1))
    return rows


def _goes_on(label: str, line: str) -> str | None:
    """The label cell with its next line, when that line goes on with it: still spelling a known label (a
    cell wraps between words, or inside `Code(s)`), or going on with an unknown one."""
    for joined in (f"{label} {line}", f"{label}{line}"):
        if any(known.startswith(fold(joined)) for known in _FOLDED_LABELS):
            return joined
    if canonical_label(label) is None and not _starts_label(line) and not _starts_label(label):
        return f"{label} {line}"
    return None


def _spans(rows: list[_Row], cells: list[tuple[str, str]], width: int | None) -> list[tuple[int, int]]:
    """Each row's (first, last) line. A label set in the middle of its row sits (height - label lines) // 2
    lines below the row's top, and the rows tile the table. A row's value neither starts nor ends with a
    blank line. Of the tilings that fit, the likeliest (`_height_cost`, `_unlikely`). When none fits, each
    label opens its row (set at the top)."""
    count = len(cells)
    tops = [row.first for row in rows]
    values = [value for _, value in cells]
    # For each row, the lines it may start at: line -> (cost so far, the previous row's start).
    reach: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}]
    for index, row in enumerate(rows):
        following: dict[int, tuple[float, int]] = {}
        for start, (cost, _) in reach[index].items():
            above = row.first - start
            if above < 0:
                continue
            for extra in (0, 1):
                end = start + row.lines + 2 * above + extra - 1
                if end >= count or (index + 1 < len(rows) and end >= tops[index + 1]):
                    continue
                if end > row.first + row.lines - 1 and not values[end]:
                    continue  # a value does not end with a blank line
                if above and not values[start]:
                    continue  # ... nor start with one
                total = (
                    cost
                    + _height_cost(end - start + 1 - row.lines)
                    + _unlikely(values[start : end + 1], canonical_label(row.label))
                )
                following_line = values[end + 1] if end + 1 < count else ""
                if width and values[end] and following_line and not patterns.YES_NO.fullmatch(following_line):
                    # a row that ends on a line the converter may have wrapped most likely goes on (a bare Yes/No
                    # opens a value: no wrap runs into one)
                    total += 2.0 if text_markup.wrapped(values[end], following_line, width) else 0.0
                if end + 1 not in following or total < following[end + 1][0]:
                    following[end + 1] = (total, start)
        reach.append(following)
    if count in reach[-1]:
        starts, start = [], count
        for index in range(len(rows), 0, -1):
            start = reach[index][start][1]
            starts.append(start)
        starts.reverse()
        bounds = [*starts[1:], count]
        return [(first, bounds[index] - 1) for index, first in enumerate(starts)]
    bounds = [*tops[1:], count]
    return [(0 if index == 0 else top, bounds[index] - 1) for index, top in enumerate(tops)]


def _height_cost(extra: int) -> float:
    """How unlikely a value is that runs this many lines past its label: most take one line or two."""
    return (0.0, 1.0, 2.5)[extra] if extra < 3 else 2.5 + 0.5 * (extra - 2)


# Labels whose every value line names an item by its shape (CONTRACT section 1): a line without one is
# another row's.
_ITEM_LINES = {
    "courses": patterns.COURSE_START,
    "credential_as_pol": patterns.COURSE_FLAG,
    "pathways": patterns.PATHWAY_CODE,
    "soc_codes": patterns.SOC_CODE,
}


def _unlikely(lines: list[str], key: str | None) -> float:
    """How unlikely these lines are as one row's value: a blank line inside a value is rare, a bare Yes/No
    opens a value rather than going on one, and a line of a list of items (pathways, SOC codes, courses)
    names an item."""
    text = [line for line in lines if line]
    cost = 1.5 * sum(1 for line in lines[1:-1] if not line)
    cost += 2.0 * sum(1 for line in text[1:] if patterns.YES_NO.fullmatch(line))
    item = _ITEM_LINES.get(key or "")
    if item is not None:
        cost += 2.0 * sum(1 for line in text if not item.search(line))
    return cost


def _value(values: list[str], width: int | None, listed: bool) -> str:
    """A row's value lines, the lines the converter wrapped joined."""
    while values and not values[0]:
        values = values[1:]
    while values and not values[-1]:
        values = values[:-1]
    out: list[str] = []
    for index, line in enumerate(values):
        previous = values[index - 1] if index else ""
        if out and line and previous and text_markup.continues_address(previous, line):
            out[-1] += line
        elif out and width and line and previous and text_markup.wrapped(previous, line, width):
            out[-1] = text_markup.join_wrapped(out[-1], line, full=len(previous) >= width, width=width)
        else:
            out.append(line)
    return _clean("\n".join(out), listed)


def _clean(text: str, listed: bool) -> str:
    return text_markup.inline(text_markup.without_link_marks(text, listed)) if text else text
