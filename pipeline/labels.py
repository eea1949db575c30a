"""Everything the pipeline knows about the directory's labels, in one place.

Each canonical label has a key (used by the normalizers) and its page text.
Parsers call `canonical_label` to recognise a label and `label_prefix_at` to
find a label glued to its value in the text renderings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Label:
    key: str
    text: str
    mapped: bool = True  # False: a label known to be on the site that deliberately feeds no column


# Page order, as printed on the site (CONTRACT section 2). A label not listed here is schema drift:
# `extract` reports it and `check` fails until it is added, either mapped to a column (an entry here
# and its column in rows.py and schemas/tables.py) or known and unmapped (`Label(key, text, mapped=False)`).
LABELS: tuple[Label, ...] = (
    Label("credential_name", "Credential Name"),
    Label("vendor_info", "Credential Vendor Info"),
    Label("implementation_year", "Implementation Year"),
    Label("auto_collect", "Credential Auto Collect"),
    Label("diploma_endorsement", "Diploma Endorsement"),
    Label("validation_artifact", "Validation Artifact"),
    Label("lead_consultant", "Credential Lead Consultant"),
    Label("courses", "Course Number and Title"),
    Label("credential_as_pol", "Credential as POL"),
    Label("pathways", "Pathway(s)"),
    Label("instructor_training_cost", "Cost of Instructor Training"),
    Label("instructor_training", "Instructor Training Requirements"),
    Label("voucher_expiration", "Exam Voucher Expiration"),
    Label("lifespan", "Credential Lifespan"),
    Label("renewal_options", "Renewal Options"),
    Label("soc_codes", "SOC (Standard Occupational Classification) Code(s)"),
    Label("articulation", "Articulation"),
    Label("sequencing", "Sequencing"),
    Label("employer_transferability", "Employer Transferability"),
    Label("delivery_format", "Delivery Format"),
    Label("proctored", "Proctored Environment Required"),
    Label("test_site_requirements", "Test Site Options and Requirements"),
    Label("testing_environment_requirements", "Testing Environment Requirements"),
    Label("proctor_requirements", "Proctored Requirements"),
    Label("exam_time", "Exam Time Allotment"),
    Label("passing_requirement", "Exam Passing Requirement"),
    Label("retakes", "Retakes"),
    Label("accommodations", "Student Accommodations"),
    Label("multilingual", "Multilingual Resources*"),
    Label("directory_notes", "Directory Notes"),
)

FIRST_LABEL = "credential_name"
LAST_LABEL = "directory_notes"

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Fold whitespace and case, drop the footnote star and a trailing colon: the form labels match in."""
    return _SPACES.sub(" ", text.replace("*", " ")).strip().rstrip(":").rstrip().casefold()


_BY_FOLDED: dict[str, Label] = {fold(label.text): label for label in LABELS}
# Longest first, so "Proctored Environment Required" is tried before shorter labels.
_GLUED_ORDER: tuple[Label, ...] = tuple(sorted(LABELS, key=lambda label: -len(label.text)))
_TEXT_BY_KEY: dict[str, str] = {label.key: label.text for label in LABELS}


@lru_cache(maxsize=8192)
def canonical_label(raw: str) -> str | None:
    """Key of a label written as `raw` (any spacing, case, `*`), or None if unknown."""
    label = _BY_FOLDED.get(fold(raw))
    return label.key if label else None


def label_text(key: str) -> str:
    return _TEXT_BY_KEY[key]


def label_prefix_at(line: str) -> tuple[str, str, str] | None:
    """Split a glued line `LabelValue` into (key, label as written, value).

    Returns None when the line does not start with a known label.
    """
    for label in _GLUED_ORDER:
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
        words = text.replace("*", "").split()
        body = r"\s+".join(re.escape(word) for word in words)
        pattern = re.compile(r"\s*" + body + r"(?:\s*\*)?(?:\s*:)?", re.IGNORECASE)
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
