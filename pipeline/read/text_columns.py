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
    """The column the values start at, when the lines are laid out as label and value columns."""
    starts = []
    for line in lines:
        hit = label_prefix_at(line)
        if hit is None:
            continue
        written = len(hit[1])
        rest = line[written:]
        gap = len(rest) - len(rest.lstrip(" "))
        if gap and rest.strip():
            starts.append(written + gap)
    if len(starts) < _MIN_ROWS:
        return None
    column, count = Counter(starts).most_common(1)[0]
    return column if count >= _MIN_ROWS and count >= _AGREEING * len(starts) else None


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
    if len(line) > column and line[column - 1 : column] not in (" ", "") and line[:column].strip():
        return None  # text runs across the column's edge: a paragraph
    return line[:column].strip(), line[column:].strip()


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
                total = cost + _height_cost(end - start + 1 - row.lines) + _unlikely(values[start : end + 1])
                if width and end + 1 < count and values[end] and values[end + 1]:
                    # a row that ends on a line the converter may have wrapped most likely goes on
                    total += 2.0 if text_markup.wrapped(values[end], values[end + 1], width) else 0.0
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


def _unlikely(lines: list[str]) -> float:
    """How unlikely these lines are as one row's value: a blank line inside a value is rare, and a bare
    Yes/No opens a value rather than going on one."""
    text = [line for line in lines if line]
    cost = 1.5 * sum(1 for line in lines[1:-1] if not line)
    cost += 2.0 * sum(1 for line in text[1:] if patterns.YES_NO.fullmatch(line))
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
