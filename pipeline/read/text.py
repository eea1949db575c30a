"""Text renderings -> events.

Two shapes exist (CONTRACT section 1): labels glued to their values with the
value running over lines until the next label, and a flattened table with one
`| Label | value |` row a line.
"""

from __future__ import annotations

from pipeline.read.blocks import Event, Line, Page, Pair, assemble
from pipeline.read.labels import canonical_label, is_label_fragment, label_prefix_at
from pipeline.site import FIRST_LABEL


def parse_text(text: str) -> Page:
    lines = text.splitlines()
    if _is_flattened_table(lines):
        events, fragment = table_events(lines)
    else:
        events, fragment = glued_events(lines)
    return assemble(events, fragment)


def _is_flattened_table(lines: list[str]) -> bool:
    for line in lines:
        row = _split_row(line)
        if row and canonical_label(row[0]) is not None:
            return True
    return False


# --- glued rendering -------------------------------------------------------


class _OpenPair:
    def __init__(self, key: str, label_raw: str, first: str, seen: set[str]) -> None:
        self.key, self.label_raw, self.lines = key, label_raw, [first]
        self.seen = seen | {key}  # labels met so far in this block

    def close(self) -> Pair:
        return Pair(self.label_raw.strip(), "\n".join(self.lines).strip(), self.key)


def glued_events(lines: list[str]) -> tuple[list[Event], str | None]:
    """Events of the glued rendering, and a label fragment cut at the very end."""
    events: list[Event] = []
    current: _OpenPair | None = None
    for line in lines:
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
