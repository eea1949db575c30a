"""Text from pages and file names, made safe to print on a terminal."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text (bidi overrides,
# isolates, zero-width joiners, line and paragraph separators): a terminal acts on them instead of showing them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: object) -> str:
    """`text` with every control or invisible format character shown as its escape (`\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(_escaped, str(text))


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")
