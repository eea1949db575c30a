"""How labels are recognised: folded text, glued prefixes, fragments. The labels are `site.FIELDS`.

Parsers call `canonical_label` to recognise a label and `label_prefix_at` to
find a label glued to its value in the text renderings.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline import patterns
from pipeline.site import FIELDS, Field

# The labels themselves, in page order, are the field map's: site.FIELDS (one place for both).
LABELS: tuple[Field, ...] = FIELDS


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Fold whitespace and case, drop the footnote star (a text browser writes it `^*`, a superscript), a
    trailing colon and what shows nothing (`patterns.INVISIBLE`): the form labels match in."""
    text = patterns.INVISIBLE.sub("", text.replace("^*", " ").replace("*", " "))
    return patterns.WHITESPACE.sub(" ", text).strip().rstrip(":").rstrip().casefold()


_BY_FOLDED: dict[str, Field] = {fold(label.text): label for label in LABELS}
_TEXT_BY_KEY: dict[str, str] = {label.key: label.text for label in LABELS}


@lru_cache(maxsize=8192)
def canonical_label(raw: str) -> str | None:
    """Key of a label written as `raw` (any spacing, case, `*`), or None if unknown."""
    label = _BY_FOLDED.get(fold(raw))
    return label.key if label else None


def label_text(key: str) -> str:
    return _TEXT_BY_KEY[key]


def _by_head() -> dict[str, tuple[Field, ...]]:
    """The labels by their first three letters (a line that starts otherwise opens none: most lines, cheaply),
    longest first, so "Proctored Environment Required" is tried before shorter labels."""
    found: dict[str, list[Field]] = {}
    for label in sorted(LABELS, key=lambda label: -len(label.text)):
        found.setdefault(fold(label.text)[:3], []).append(label)
    return {head: tuple(labels) for head, labels in found.items()}


_BY_HEAD = _by_head()


def label_prefix_at(line: str) -> tuple[str, str, str] | None:
    """Split a glued line `LabelValue` into (key, label as written, value).

    Returns None when the line does not start with a known label.
    """
    for label in _BY_HEAD.get(line.lstrip()[:3].casefold(), ()):
        written = _match_label_prefix(line, label.text)
        if written is not None:
            return label.key, written, line[len(written) :]
    return None


def _match_label_prefix(line: str, text: str) -> str | None:
    """The prefix of `line` spelling `text` (case- and space-insensitive), if any."""
    pattern = _prefix_pattern(text)
    match = pattern.match(line)
    return match.group(0) if match else None


_PREFIX_PATTERNS: dict[str, re.Pattern[str]] = {}


def _prefix_pattern(text: str) -> re.Pattern[str]:
    pattern = _PREFIX_PATTERNS.get(text)
    if pattern is None:
        pattern = patterns.label_prefix(text)
        _PREFIX_PATTERNS[text] = pattern
    return pattern


def is_label_fragment(text: str, met: frozenset[str] | set[str] = frozenset()) -> bool:
    """True when `text` is the start of a label cut short (`Credenti`), of a label not `met` yet."""
    folded = fold(text)
    if not folded:
        return False
    return any(
        fold(label.text).startswith(folded) and fold(label.text) != folded for label in LABELS if label.key not in met
    )
