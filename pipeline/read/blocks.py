"""documents -> label/value blocks.

Every parser (HTML, text renderings, PDF) turns a document into the same
stream of events: `Line`s of loose text and `Pair`s of label and value.
`assemble` reads that stream into a `Page`: its school year, the draft flag
and one `Block` per credential. A block opens at a Credential Name pair; its
title is the last loose line before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline import patterns, site
from pipeline.read.labels import fold
from pipeline.site import FIRST_LABEL, LAST_LABEL


@dataclass(frozen=True)
class Line:
    text: str


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


def is_page_chrome(line: str) -> bool:
    """Headings, the draft warning and boilerplate: text that is never a title."""
    folded = fold(line)
    return (
        not folded
        or bool(patterns.SCHOOL_YEAR_HEADING.search(line))
        or bool(patterns.DRAFT_WARNING.search(line))
        or folded.startswith(_BOILERPLATE_STARTS)
    )


def assemble(events: list[Event], label_fragment: str | None = None) -> Page:
    """Read a parser's event stream into a Page."""
    blocks: list[Block] = []
    loose: list[str] = []
    header: list[str] = []
    for event in events:
        if isinstance(event, Line):
            if event.text.strip():
                loose.append(event.text.strip())
                if not blocks:
                    header.append(event.text)
        elif event.key == FIRST_LABEL or not blocks:
            blocks.append(Block(_title_from(loose), [event]))
            loose = []
        else:
            blocks[-1].pairs.append(event)
    school_year, is_draft = read_header(header)
    fragment = _title_from(loose) if not blocks else None
    return Page(school_year, is_draft, blocks, fragment, label_fragment)


def _title_from(loose: list[str]) -> str | None:
    """The title is the last loose line before the block, unless that line is page chrome."""
    if not loose or is_page_chrome(loose[-1]):
        return None
    return patterns.WHITESPACE.sub(" ", loose[-1]).strip()


def read_header(lines: list[str]) -> tuple[str | None, bool]:
    """School year and draft flag from the text above the first block."""
    school_year = None
    is_draft = False
    for line in lines:
        match = patterns.SCHOOL_YEAR_HEADING.search(line)
        if match and school_year is None:
            school_year = f"{match.group(1)}-{match.group(2)}"
        if patterns.DRAFT_WARNING.search(line):
            is_draft = True
    return school_year, is_draft
