"""documents -> label/value blocks.

Every parser (HTML, text renderings, PDF) turns a document into the same
stream of events: `Line`s of loose text and `Pair`s of label and value.
`assemble` reads that stream into a `Page`: its school year, the draft flag
and one `Block` per credential. A block opens at a Credential Name pair, or at
a label its open block has already met (each label appears once in a block,
so two credentials never merge when one's Credential Name row was not read);
its title is the loose text before it that spells its Credential Name, else
the last loose line.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from pipeline import patterns, site
from pipeline.read.labels import fold
from pipeline.site import FIRST_LABEL, LAST_LABEL


@dataclass(frozen=True)
class Line:
    text: str
    joins: bool = False  # a paragraph after a label's, with no label of its own: the value may go on in it


@dataclass(frozen=True)
class Pair:
    label_raw: str
    value: str  # line breaks kept as \n
    key: str | None  # canonical label key; None for schema drift
    cut: bool = False  # the value visibly stops short (truncated source)


Event = Line | Pair


@dataclass
class Block:
    title: str | None
    pairs: list[Pair] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """The block reaches Directory Notes."""
        return any(pair.key == LAST_LABEL for pair in self.pairs)

    def value(self, key: str) -> str | None:
        for pair in self.pairs:
            if pair.key == key:
                return pair.value
        return None


@dataclass
class Page:
    school_year: str | None
    is_draft: bool
    blocks: list[Block]
    title_fragment: str | None = None  # a title cut before its first label
    label_fragment: str | None = None  # a label cut at the very end


# The fixed introduction of the "YYYY-YYYY Credential Information" pages; its
# lines are never a credential title.
# The fixed introduction and footnotes (site.py); their lines are never a credential title. Matched on
# their first words, so a line cut short in an archive copy is still recognised.
_BOILERPLATE_STARTS = tuple(
    fold(" ".join(line.split()[:4])) for line in (*site.BOILERPLATE, *site.FOOTNOTES, site.HEADING)
)


def original_url(url: str) -> str:
    """A web archive's rewritten address unwrapped to the original (`.../web/<timestamp>/<original>`)."""
    match = patterns.ARCHIVED_URL.search(url)
    return match.group(1) if match else url


def _is_control(line: str) -> bool:
    """A control's text (`Expand | Print`) or separators alone."""
    return not any(character.isalnum() for character in line) or bool(patterns.CONTROL_LINE.match(line))


def is_page_chrome(line: str) -> bool:
    """Headings, the draft warning, boilerplate, controls and separators: text that is never a title."""
    folded = fold(line)
    return (
        _is_control(folded)
        or bool(patterns.SCHOOL_YEAR_HEADING.search(line))
        or bool(patterns.DRAFT_WARNING.search(line))
        or folded.startswith(_BOILERPLATE_STARTS)
    )


def assemble(events: list[Event], label_fragment: str | None = None) -> Page:
    """Read a parser's event stream into a Page.

    A block opens at its Credential Name row or at its title, whichever comes first: pairs read between a
    title that spells the Credential Name and the row itself (a table's header row) belong to the block
    they precede, not to the one before. Paragraphs that may go on a value (`Line.joins`) between two pairs
    of one block are the first pair's value going on (`<p><b>Vendor</b> Certiport</p><p>a@b.org</p>`).
    """
    blocks: list[Block] = []
    loose: list[tuple[str, int]] = []  # loose lines since the open block opened, with its pair count then
    since_pair: list[Line] = []  # the loose lines since the last pair
    header: list[str] = []
    met: set[str] = set()  # known labels of the open block
    for event in _shown(events):
        if isinstance(event, Line):
            if event.text.strip():
                loose.append((event.text.strip(), len(blocks[-1].pairs) if blocks else 0))
                since_pair.append(event)
                if not blocks:
                    header.append(event.text)
            continue
        going_on, since_pair = since_pair, []
        if event.key == FIRST_LABEL or not blocks or event.key in met:
            title, since = _title_from(loose, event)
            moved: list[Pair] = []
            if blocks and since is not None:
                moved, blocks[-1].pairs[since:] = blocks[-1].pairs[since:], []
                if not blocks[-1].pairs:
                    blocks.pop()
            blocks.append(Block(title, [*moved, event]))
            loose, met = [], {pair.key for pair in blocks[-1].pairs if pair.key}
        else:
            if going_on:
                _go_on(blocks[-1], going_on, loose)
            blocks[-1].pairs.append(event)
            if event.key:
                met.add(event.key)
    school_year, is_draft = read_header(header)
    fragment = _title_from(loose)[0] if not blocks else None
    return Page(school_year, is_draft, blocks, fragment, label_fragment)


def _shown(events: list[Event]) -> list[Event]:
    """The events as a person reads them: without what shows nothing (`patterns.INVISIBLE`). One search over
    the page's text first: most pages hold none."""
    texts = [event.text if isinstance(event, Line) else event.label_raw + event.value for event in events]
    if not patterns.INVISIBLE.search("".join(texts)):
        return events
    return [_seen(event) for event in events]


def _seen(event: Event) -> Event:
    if isinstance(event, Line):
        return replace(event, text=patterns.INVISIBLE.sub("", event.text))
    return replace(
        event, label_raw=patterns.INVISIBLE.sub("", event.label_raw), value=patterns.INVISIBLE.sub("", event.value)
    )


def _go_on(block: Block, lines: list[Line], loose: list[tuple[str, int]]) -> None:
    """The paragraphs that may go on a value, from the first of the loose lines after the block's last pair,
    added to that pair's value (and no longer loose: never a title)."""
    joined = list(itertools.takewhile(lambda line: line.joins, lines))
    if not joined or not block.pairs or block.pairs[-1].key == FIRST_LABEL:  # a name is one line: never goes on
        return
    last = block.pairs[-1]
    block.pairs[-1] = replace(
        last, value="\n".join([*([last.value] if last.value else []), *(line.text.strip() for line in joined)])
    )
    del loose[len(loose) - len(lines) : len(loose) - len(lines) + len(joined)]


_TITLE_REACH = 6  # loose lines before a block searched for its title
_TITLE_LINES = 3  # a title wrapped over at most this many lines


def _title_from(loose: list[tuple[str, int]], first: Pair | None = None) -> tuple[str | None, int | None]:
    """The block's title, and how many pairs of the open block came before it when it spells the block's
    Credential Name: the loose lines just before the block that spell it (a title wrapped over lines is one
    title; a control's text beside it is not part of it). Else the last loose line, unless it is page chrome."""
    name = fold(first.value) if first is not None and first.key == FIRST_LABEL else ""
    if name:
        for end in range(len(loose), max(0, len(loose) - _TITLE_REACH), -1):
            for start in range(end - 1, max(-1, end - 1 - _TITLE_LINES), -1):
                text = " ".join(line for line, _ in loose[start:end])
                if fold(text) == name:
                    return _one_line(text), loose[start][1]
    lines = [line for line, _ in loose if not _is_control(line)]
    if not lines or is_page_chrome(lines[-1]):
        return None, None
    return _one_line(lines[-1]), None


def _one_line(text: str) -> str:
    return patterns.WHITESPACE.sub(" ", text).strip()


def read_header(lines: list[str]) -> tuple[str | None, bool]:
    """School year and draft flag from the text above the first block (a heading may wrap over lines)."""
    text = " ".join(line.strip() for line in lines)
    match = patterns.SCHOOL_YEAR_HEADING.search(text)
    school_year = f"{match.group(1)}-{match.group(2)}" if match else None
    return school_year, bool(patterns.DRAFT_WARNING.search(text))
