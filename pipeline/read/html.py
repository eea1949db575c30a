"""HTML pages -> events.

The live markup is not known offline, so labels are found by their text, never
by CSS classes or positions. Accepted shapes: table rows (`th`/`td` label then
value cells), definition lists, label/value `div` rows, and a bold label
followed by text. Values keep `<br>` and block boundaries as line breaks and
keep link targets.
"""

from __future__ import annotations

from lxml import etree

from pipeline import patterns
from pipeline.read.blocks import Event, Line, Page, Pair, assemble
from pipeline.read.documents import DocumentError
from pipeline.read.labels import canonical_label

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul "
    "caption".split()
)
_LABEL_TAGS = frozenset({"b", "strong", "label", "th", "dt"})
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "head", "template"})
_MAX_LABEL_LENGTH = 80
_ROWS = etree.XPath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
_CELLS = etree.XPath("./td|./th")
_CAPTIONS = etree.XPath("./caption")
_BLOCK_EDGE = "\x1e"  # where a block element starts or ends: at most one line break
# libxml2's HTML parser, as lxml.html uses it, but giving plain elements: lxml.html's element
# classes cost a Python lookup for every element the walk touches.
_PARSER = etree.HTMLParser()


def parse_html(text: str) -> Page:
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError) as error:
        raise DocumentError(f"unparseable HTML: {error}") from error
    if root is None:
        raise DocumentError("unparseable HTML: Document is empty")
    body = root.find("body")
    events: list[Event] = []
    _walk(body if body is not None else root, events)
    return assemble(events)


def _walk(element: etree._Element, events: list[Event]) -> None:
    tag = _tag(element)
    if tag in _SKIPPED_TAGS:
        return
    if tag == "table":
        _table(element, events)
    elif tag == "dl":
        _definition_list(element, events)
    elif _has_block_children(element):
        _container(element, events)
    else:
        _inline(element, events)


def _container(element: etree._Element, events: list[Event]) -> None:
    """Walk block children; loose text between them becomes lines. A child with a
    known label as its first part is a label/value row, and so are its siblings
    shaped the same (schema drift)."""
    children = [child for child in element if isinstance(child.tag, str)]
    known_rows = any(_div_row(child, allow_unknown=False) for child in children)
    _emit_text(element.text, events)
    for child in children:
        row = _div_row(child, allow_unknown=known_rows)
        if row:
            events.append(Pair(row[0], row[1], canonical_label(row[0])))
        else:
            _walk(child, events)
        _emit_text(child.tail, events)


def _div_row(element: etree._Element, allow_unknown: bool) -> tuple[str, str] | None:
    """(label, value) of `<div><div>Label</div><div>value</div></div>`."""
    if _tag(element) in ("table", "dl") or (element.text or "").strip():
        return None
    parts = [child for child in element if isinstance(child.tag, str) and _tag(child) not in _SKIPPED_TAGS]
    if len(parts) < 2 or any((child.tail or "").strip() for child in parts[:1]):
        return None
    label = _text(parts[0])
    if "\n" in label or not _is_label(label, allow_unknown):
        return None
    return label, "\n".join(_text(part) for part in parts[1:]).strip()


def _table(table: etree._Element, events: list[Event]) -> None:
    cells_by_row = [_CELLS(row) for row in _ROWS(table)]
    labels = [_text(cells[0]) if len(cells) >= 2 else None for cells in cells_by_row]
    has_known = any(label and canonical_label(label) for label in labels)
    for caption in _CAPTIONS(table):
        _emit_text(_text(caption), events)
    for cells, label in zip(cells_by_row, labels, strict=False):
        if has_known and label is not None and _is_label(label, allow_unknown=True):
            value = "\n".join(_text(cell) for cell in cells[1:]).strip()
            events.append(Pair(label, value, canonical_label(label)))
        else:
            for cell in cells:
                _walk(cell, events)


def _definition_list(dl: etree._Element, events: list[Event]) -> None:
    label: str | None = None
    values: list[str] = []
    for child in dl.iter("dt", "dd"):
        if _tag(child) == "dt":
            if label is not None:
                events.append(Pair(label, "\n".join(values).strip(), canonical_label(label)))
            label, values = _text(child), []
        elif label is not None:
            values.append(_text(child))
        else:
            _emit_text(_text(child), events)
    if label is not None:
        events.append(Pair(label, "\n".join(values).strip(), canonical_label(label)))


def _inline(element: etree._Element, events: list[Event]) -> None:
    """An element of inline content: split at bold labels, else one loose line."""
    label: str | None = None
    pieces: list[str] = []

    def flush() -> None:
        text = _clean("".join(pieces))
        if label is not None:
            events.append(Pair(label, text, canonical_label(label)))
        else:
            _emit_text(text, events)

    pieces.append(_own_text(element.text))
    for child in element:
        if not isinstance(child.tag, str) or _tag(child) in _SKIPPED_TAGS:
            pieces.append(_own_text(child.tail))
            continue
        child_text = _text(child)
        if _tag(child) in _LABEL_TAGS and canonical_label(child_text):
            flush()
            label, pieces = child_text, []
        else:
            pieces.append(child_text if _tag(child) != "br" else "\n")
        pieces.append(_own_text(child.tail))
    flush()


def _emit_text(text: str | None, events: list[Event]) -> None:
    for line in _clean(text or "").split("\n"):
        if line.strip():
            events.append(Line(line.strip()))


def _is_label(text: str, allow_unknown: bool) -> bool:
    if canonical_label(text):
        return True
    return allow_unknown and 0 < len(text) <= _MAX_LABEL_LENGTH and "\n" not in text


def _has_block_children(element: etree._Element) -> bool:
    return any(isinstance(child.tag, str) and _tag(child) in _BLOCK_TAGS for child in element)


def _tag(element: etree._Element) -> str:
    """The tag (the HTML parser gives it in lower case), or "" for a comment or processing instruction."""
    return element.tag if isinstance(element.tag, str) else ""


def _own_text(text: str | None) -> str:
    if not text:
        return ""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\xa0" in text:
        return patterns.WHITESPACE.sub(" ", text)
    return text


def _text(element: etree._Element) -> str:
    """Visible text: source whitespace folds, `<br>` and blocks break lines,
    and a link whose text does not show its target keeps the target."""
    if len(element) == 0 and _tag(element) not in _SKIPPED_TAGS and _tag(element) not in ("br", "a"):
        return _clean(_own_text(element.text))  # a cell of plain text: most of them
    pieces: list[str] = []
    _gather(element, pieces, outermost=True)
    return _clean("".join(pieces))


def _gather(element: etree._Element, pieces: list[str], outermost: bool = False) -> None:
    tag = _tag(element)
    if tag in _SKIPPED_TAGS:
        return
    if tag == "br":
        pieces.append("\n")
        return
    edge = tag in _BLOCK_TAGS and not outermost
    if edge:
        pieces.append(_BLOCK_EDGE)
    pieces.append(_own_text(element.text))
    for child in element:
        if isinstance(child.tag, str):
            _gather(child, pieces)
        pieces.append(_own_text(child.tail))
    if tag == "a":
        href = (element.get("href") or "").strip()
        if href.lower().startswith(("http://", "https://")) and href not in "".join(element.itertext()):
            pieces.append(f" {href}")
    if edge:
        pieces.append(_BLOCK_EDGE)


def _clean(text: str) -> str:
    """Trim each line; block edges break a line once (`<div>a</div><div>b</div>` is
    two lines, not a blank line between), `<br><br>` leaves one blank line."""
    if "\n" not in text and _BLOCK_EDGE not in text:
        return text.replace("\xa0", " ").strip()
    text = patterns.HTML_BREAKS.sub(lambda run: "\n" * max(1, run.group().count("\n")), text)
    lines = [line.strip() for line in text.replace("\xa0", " ").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
