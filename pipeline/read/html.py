"""HTML pages -> events.

The live markup is not known offline, so labels are found by their text, never
by CSS classes or positions. Accepted shapes: table rows (`th`/`td` label then
value cells, or ARIA `row`/`rowheader`/`cell`), definition lists, label/value
`div` rows, and a bold label followed by text (in a paragraph, or in loose
inline content between blocks; a colon after it is the label's). A table's rows
are read as a browser shows them: through any element the markup wrapped them
in, cells without a row as one row, a table inside another outside its cells as
the next table. Values keep `<br>` and block boundaries as line breaks and keep
link targets.

Before the walk, page chrome is taken out of the tree by its role, never by a
list of known pages: controls (buttons, inputs, toggles, links that expand,
collapse or print), hidden and screen-reader-only elements, scripts, styles,
templates, site navigation (nav, banner and contentinfo landmarks, breadcrumbs,
search forms, cookie banners) and a web archive's toolbar. A table's header
row names its columns: it is neither a pair nor a title.
"""

from __future__ import annotations

from lxml import etree

from pipeline import patterns
from pipeline.read.blocks import Event, Line, Page, Pair, assemble, original_url
from pipeline.read.documents import DocumentError
from pipeline.read.labels import canonical_label

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul "
    "caption".split()
)
_LABEL_TAGS = frozenset({"b", "strong", "label", "th", "dt"})
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "head", "template"})
# Elements that are never content: code, embedded objects, and controls (their text is a control's).
_NEVER_CONTENT = _SKIPPED_TAGS | frozenset(
    "button input select textarea option optgroup datalist output progress meter iframe object embed canvas "
    "svg math dialog nav search".split()
)
# ARIA roles of controls and of the site around the page (navigation, banner, footer, search).
_CHROME_ROLES = frozenset(
    "button switch checkbox radio tab tablist menu menubar menuitem toolbar slider spinbutton combobox searchbox "
    "textbox navigation banner contentinfo search".split()
)
# Class names that hide an element from sight (screen-reader-only text), and class, id or aria-label words of
# breadcrumbs and cookie banners.
_HIDDEN_CLASSES = frozenset(
    "sr-only visually-hidden visuallyhidden screen-reader-text screen-reader-only sr-text element-invisible".split()
)
_CHROME_WORDS = ("breadcrumb", "cookie", "consent")
_SECTIONING = frozenset({"article", "aside", "main", "nav", "section"})  # a header/footer inside is not the site's
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements judged as possible chrome: these tags, and any element with one of these attributes.
_CANDIDATE_TAGS = _NEVER_CONTENT | {"header", "footer", "form", "label", "a"}  # each judged by what it holds
_CANDIDATE_ATTRIBUTES = frozenset(
    ("hidden", "aria-hidden", "style", "role", "class", "id", "aria-label", "aria-controls")
)
_ARCHIVE_INSERT = ("BEGIN WAYBACK TOOLBAR INSERT", "END WAYBACK TOOLBAR INSERT")
_ARCHIVE_ID = "wm-ipp"  # the Wayback Machine's toolbar: wm-ipp-base, wm-ipp, wm-ipp-print
_CELL_TAGS = ("td", "th")
_BLOCK_EDGE = "\x1e"  # where a block element starts or ends: at most one line break
# libxml2's HTML parser, as lxml.html uses it, but giving plain elements: lxml.html's element
# classes cost a Python lookup for every element the walk touches.
_PARSER = etree.HTMLParser()


def parse_html(text: str) -> Page:
    try:
        root = etree.fromstring(patterns.XML_DECLARATION.sub("", text, count=1), _PARSER)
    except (etree.ParserError, ValueError) as error:
        raise DocumentError(f"unparseable HTML: {error}") from error
    if root is None:
        raise DocumentError("unparseable HTML: Document is empty")
    _drop_chrome(root)
    body = root.find("body")
    events: list[Event] = []
    _walk(body if body is not None else root, events)
    return assemble(events)


# --- chrome, by its role -----------------------------------------------------------------------------


def _drop_chrome(root: etree._Element) -> None:
    """Take page chrome out of the tree, innermost first; the text after a removed element stays."""
    _drop_archive_insert(root)
    candidates = _candidates(root)
    # labels and forms are judged by the controls inside them, so before those are taken out (innermost first)
    by_controls = {id(element) for element in candidates if _tag(element) in ("label", "form") and _is_chrome(element)}
    for element in reversed(candidates):
        if id(element) in by_controls or _is_chrome(element):
            _remove(element, keep_headings=_tag(element) in ("header", "footer") or _has_role(element, "banner"))


def _candidates(root: etree._Element) -> list[etree._Element]:
    """Elements that may be chrome, in document order (one pass in Python: an XPath union walked the tree
    once for each of its 21 parts, twice the time)."""
    found = []
    for element in root.iter(etree.Element):
        if element.tag in _CANDIDATE_TAGS:
            found.append(element)
        elif element.attrib and not _CANDIDATE_ATTRIBUTES.isdisjoint(element.keys()):
            found.append(element)
    return found


def _is_chrome(element: etree._Element) -> bool:
    tag = _tag(element)
    if tag in _NEVER_CONTENT or element.get("hidden") is not None:
        return True
    if (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    if patterns.HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    classes = (element.get("class") or "").lower().split()
    if _HIDDEN_CLASSES.intersection(classes) or (element.get("id") or "").startswith(_ARCHIVE_ID):
        return True
    if _CHROME_ROLES.intersection((element.get("role") or "").lower().split()):
        return True
    names = " ".join((*classes, (element.get("id") or "").lower(), (element.get("aria-label") or "").lower()))
    if any(word in names for word in _CHROME_WORDS):
        return True
    if tag in ("header", "footer"):
        return not any(_tag(ancestor) in _SECTIONING for ancestor in element.iterancestors())
    if tag == "form":
        return any((field.get("type") or "").lower() == "search" for field in element.iter("input"))
    if tag == "label":
        return element.get("for") is not None or next(element.iter("input", "select", "textarea"), None) is not None
    if tag == "a":
        return _is_control_link(element)
    return element.get("aria-controls") is not None and element.get("aria-expanded") is not None


def _is_control_link(link: etree._Element) -> bool:
    """A link that acts rather than leads: a script, a toggle, or one whose text is a control's."""
    href = (link.get("href") or "").strip().lower()
    if href.startswith("javascript:") or link.get("aria-expanded") is not None:
        return True
    if link.get("data-toggle") is not None or link.get("data-bs-toggle") is not None:
        return True
    return bool(patterns.CONTROL_LINE.match("".join(link.itertext())))


def _has_role(element: etree._Element, role: str) -> bool:
    return role in (element.get("role") or "").lower().split()


def _remove(element: etree._Element, keep_headings: bool = False) -> None:
    """Remove an element; its tail text stays. A site banner's headings stay (the page's heading may be there)."""
    parent = element.getparent()
    if parent is None:
        return
    headings = [heading for heading in element.iter(*_HEADINGS)] if keep_headings else []
    if headings:
        kept = etree.Element("div")
        kept.extend(headings)
        kept.tail = element.tail
        parent.replace(element, kept)
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _drop_archive_insert(root: etree._Element) -> None:
    """Everything between a web archive's BEGIN ... INSERT and END ... INSERT comments is the archive's."""
    begin, end = _ARCHIVE_INSERT
    for comment in root.iter(etree.Comment):
        if begin in (comment.text or ""):
            doomed = []
            for sibling in comment.itersiblings():
                if isinstance(sibling, etree._Comment) and end in (sibling.text or ""):
                    break
                doomed.append(sibling)
            for sibling in doomed:
                _remove(sibling)
            return


# --- the walk -------------------------------------------------------------------------------------------


def _walk(element: etree._Element, events: list[Event], labels_open_lines: bool = False) -> None:
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
        _inline(element, events, labels_open_lines)


def _container(element: etree._Element, events: list[Event]) -> None:
    """Walk block children; loose text between them becomes lines. A child with a
    known label as its first part is a label/value row, and so are its siblings
    shaped the same (schema drift, whatever the label's length). A stretch of
    inline children whose lines a known bold label opens is read as one paragraph,
    as a browser shows it (`<h3>Title</h3><b>Credential Name</b> X<br><b>Retakes</b> Y`);
    the children of any other stretch are walked alone."""
    children = list(element)  # comments too: each shows nothing, the text after it continues the text before
    shapes = {_shape(child) for child in children if isinstance(child.tag, str) and _opens_with_known_label(child)}
    pending = element.text  # loose text not read yet: the element's own, then each child's tail
    at = 0
    labelled = False  # a child read before gave a pair: a paragraph with none may go on its value
    while at < len(children):
        stretch = _stretch(children, at, shapes)
        first = len(events)
        if any(canonical_label(_text(opener)) for opener in _line_openers(pending, stretch)):
            _inline_run(pending, stretch, events)  # the stretch's tails are its own
            pending, at = None, at + len(stretch)
        else:
            # each alone, the rest of the stretch too: a bold label after inline text on its line opens no line
            for child in stretch or children[at : at + 1]:
                pending = _alone(pending, child, shapes, events, may_go_on=labelled)
            at += max(len(stretch), 1)
        labelled = labelled or any(isinstance(event, Pair) for event in events[first:])
    _emit_text(pending, events)


def _stretch(children: list[etree._Element], at: int, shapes: set[tuple[str, str, str]]) -> list[etree._Element]:
    """The inline children from `at` on, up to the next that is not (none if `at`'s is not)."""
    end = at
    while end < len(children) and _in_a_run(children[end], shapes):
        end += 1
    return children[at:end]


def _alone(
    pending: str | None,
    child: etree._Element,
    shapes: set[tuple[str, str, str]],
    events: list[Event],
    may_go_on: bool = False,
) -> str | None:
    """Walk a child alone after the loose text before it (`pending`); gives its tail, the loose text after it.
    When `may_go_on` (a sibling before gave a pair), a child that is no heading and gives only loose lines
    may be the value before going on (`Line.joins`)."""
    if not isinstance(child.tag, str):  # a comment
        return (pending or "") + (child.tail or "")
    _emit_text(pending, events)
    shaped = _shape(child) in shapes
    row = _div_row(child, allow_unknown=shaped)
    if row:
        events.append(Pair(row[0], row[1], canonical_label(row[0])))
        return child.tail
    first = len(events)
    _walk(child, events, labels_open_lines=shaped)
    if may_go_on and all(isinstance(event, Line) for event in events[first:]) and not _is_heading(child):
        events[first:] = [Line(event.text, joins=True) for event in events[first:]]
    return child.tail


def _is_heading(element: etree._Element) -> bool:
    """A heading, or content no value runs into (a table, a list of terms), or an element that holds one
    (`<div><h4>Exam</h4><p>...</p></div>`: a section of its own)."""
    if _tag(element) in (*_HEADINGS, "table", "dl", "hr") or _has_role(element, "heading"):
        return True
    return next(element.iterdescendants(*_HEADINGS, "table", "dl"), None) is not None


def _in_a_run(child: etree._Element, shapes: set[tuple[str, str, str]]) -> bool:
    """Inline content: no block, no row of its own, no container of blocks."""
    if _tag(child) in _BLOCK_TAGS or _shape(child) in shapes or _has_block_children(child):
        return False
    return _div_row(child, allow_unknown=False) is None


def _shape(element: etree._Element) -> tuple[str, str, str]:
    """A row's shape: its tag and class, and its first part's tag."""
    first = next((child for child in element if isinstance(child.tag, str)), None)
    return _tag(element), element.get("class") or "", _tag(first) if first is not None else ""


def _opens_with_known_label(element: etree._Element) -> bool:
    """A div row with a known label, or a paragraph whose first part is a known bold label."""
    if _div_row(element, allow_unknown=False):
        return True
    before = element.text or ""
    for child in element:
        if isinstance(child.tag, str):
            return not before.strip() and _tag(child) in _LABEL_TAGS and canonical_label(_text(child)) is not None
        before += child.tail or ""  # a comment's tail: text before the first part too
    return False


def _div_row(element: etree._Element, allow_unknown: bool) -> tuple[str, str] | None:
    """(label, value) of `<div><div>Label</div><div>value</div></div>`."""
    if _tag(element) in ("table", "dl") or (element.text or "").strip():
        return None
    parts = [child for child in element if isinstance(child.tag, str) and _tag(child) not in _SKIPPED_TAGS]
    if len(parts) < 2 or any((child.tail or "").strip() for child in element):  # a comment's tail too
        return None  # text between or after the parts: inline content (a bold label and its text)
    if any(_has_role(part, "columnheader") for part in parts):
        return None
    label = _text(parts[0])
    if not (canonical_label(label) or (allow_unknown and label and "\n" not in label)):
        return None  # an unknown label counts in a row shaped like a known one, on one line: not a paragraph
    return label, "\n".join(_text(part) for part in parts[1:]).strip()


Row = tuple[etree._Element, list[etree._Element]]  # the element a row stands in (a row group, a table) and its cells


def _table(table: etree._Element, events: list[Event]) -> None:
    rows: list[Row] = []
    before: list[etree._Element] = []
    nested: list[etree._Element] = []
    _table_parts(table, rows, before, nested)
    for element in before:  # content written between rows, which a browser shows before the table
        _walk(element, events)
    labelled: list[tuple[list[etree._Element], str | None]] = []  # each row's cells and its label (a first cell's)
    for group, cells in rows:
        first = _text(cells[0])
        if not _is_header_row(group, cells, first):
            labelled.append((cells, first if len(cells) >= 2 else None))
    has_known = any(label and canonical_label(label) for _, label in labelled)
    for caption in table.iterchildren("caption"):
        _emit_text(_text(caption), events)
    for cells, label in labelled:
        if has_known and label:  # a label cell and its value in a table of labels, whatever the label's length
            value = "\n".join(_text(cell) for cell in cells[1:]).strip()
            events.append(Pair(label, value, canonical_label(label)))
        else:
            for cell in cells:
                _walk(cell, events)
    for inner in nested:  # a table written inside another outside its cells: a browser ends the first one there
        _table(inner, events)


def _table_parts(element: etree._Element, rows: list[Row], before: list[etree._Element], nested: list[etree._Element]):
    """A table's parts, each in document order: its rows (each `tr`'s cells, and cells standing side by side
    without a row, of which a browser makes one), found through row groups and any wrapper the markup put around
    them (a `form`, a `span`: the HTML parser keeps them inside the table, where a browser moves them out); the
    content between rows that holds no cell (`before`); and the tables written in it outside a cell (`nested`)."""
    alone: list[etree._Element] = []  # cells side by side without a row
    for child in element:
        if isinstance(child.tag, str) and child.tag in _CELL_TAGS:
            alone.append(child)
            continue
        if alone:
            rows.append((element, alone))
            alone = []
        if not isinstance(child.tag, str) or child.tag == "caption":
            continue  # chrome, scripts and styles were taken out before the walk
        if child.tag == "table":
            nested.append(child)
        elif child.tag == "tr":
            cells = [cell for cell in child if cell.tag in _CELL_TAGS]
            if cells:
                rows.append((element, cells))
        elif any(True for _ in child.iterdescendants(*_CELL_TAGS)):
            _table_parts(child, rows, before, nested)
        else:
            before.append(child)
    if alone:
        rows.append((element, alone))


def _is_header_row(group: etree._Element, cells: list[etree._Element], first: str) -> bool:
    """A row naming the table's columns (`cells`, the first's text `first`, standing in `group`): in `thead`, or two
    or more cells that are all column headers."""
    if canonical_label(first):
        return False  # a label row, wherever the markup put it
    if _tag(group) == "thead":
        return True
    return len(cells) >= 2 and all(_tag(cell) == "th" and (cell.get("scope") or "col") == "col" for cell in cells)


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


def _inline(element: etree._Element, events: list[Event], labels_open_lines: bool = False) -> None:
    """An element of inline content: split at bold labels, else one loose line."""
    _inline_run(element.text, list(element), events, labels_open_lines)


def _inline_run(text: str | None, nodes: list, events: list[Event], labels_open_lines: bool = False) -> None:
    """Inline content (`text`, then `nodes` with their tails): split at bold labels, else one loose line. A bold
    run opening a line is a label when it is a known one, or when known labels open the lines of this content or
    of its siblings shaped the same (an unknown label there is schema drift, whatever its length)."""
    openers = _line_openers(text, nodes)
    unknown_ok = labels_open_lines or any(canonical_label(_text(child)) for child in openers)
    label: str | None = None
    pieces: list[str] = []

    def flush() -> None:
        line = _clean("".join(pieces))
        if label is not None:
            line = line[1:].lstrip() if line.startswith(":") else line  # `<b>Retakes</b>: Yes`: the label's colon
            events.append(Pair(label, line, canonical_label(label)))
        else:
            _emit_text(line, events)

    pieces.append(_own_text(text))
    for child in nodes:
        if not isinstance(child.tag, str) or _tag(child) in _SKIPPED_TAGS:
            pieces.append(_own_text(child.tail))
            continue
        child_text = _text(child)
        if child in openers and (canonical_label(child_text) or (unknown_ok and child_text and "\n" not in child_text)):
            flush()
            label, pieces = child_text, []
        else:
            _gather(child, pieces)  # as written: the spaces at its edges stay (`use<b> only </b>approved`)
        pieces.append(_own_text(child.tail))
    flush()


def _line_openers(text: str | None, nodes: list) -> set[etree._Element]:
    """Bold children that open a line of inline content (`text`, then `nodes` with their tails): nothing but
    space before them since its start or a `<br>`."""
    openers = set()
    opens = not (text or "").strip()
    for node in nodes:
        if not isinstance(node.tag, str) or _tag(node) in _SKIPPED_TAGS:  # shows nothing: only its tail tells
            opens = opens and not (node.tail or "").strip()
            continue
        if opens and _tag(node) in _LABEL_TAGS:
            openers.add(node)
        opens = _tag(node) == "br" and not (node.tail or "").strip()
    return openers


def _emit_text(text: str | None, events: list[Event]) -> None:
    for line in _clean(text or "").split("\n"):
        if line.strip():
            events.append(Line(line.strip()))


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
        href = original_url((element.get("href") or "").strip())
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
