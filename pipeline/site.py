"""What we know of the directory site, in one place: where it lives, how its URLs are shaped, its
boilerplate, the listing's header words, and its labels with the columns each one fills (the field map).

Adding a label with a typed column is one `Field` here, one field in `schemas/tables.py` and `make regen`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pipeline.tables import normalize as n

# --- where the directory lives, and its URL shapes (CONTRACT section 1) -------------------------------

DEFAULT_BASE_URL = "https://center.ncsu.edu/nccte-cms/"
DIRECTORY_HOST = urlsplit(DEFAULT_BASE_URL).hostname  # a page fetched from it is `live`
SCRIPT = "credential_info.php"
DRAFT_SCRIPT = "future_credential_info.php"  # next year's drafts


def credential_url(base_url: str, cred_id: int, draft: bool = False) -> str:
    return f"{base_url}{DRAFT_SCRIPT if draft else SCRIPT}?choice=credential&cred_id={cred_id}"


def course_url(base_url: str, course_id: int, draft: bool = False) -> str:
    return f"{base_url}{DRAFT_SCRIPT if draft else SCRIPT}?choice=course&course_id={course_id}&cred_id=-1&cluster_id=-1"


def origin_of(base_url: str) -> str:
    """A crawl's manifest `origin` (CONTRACT section 3): `live` only from the directory's own host, else `mirror`.

    A local stand-in, a copy or any other base URL is a mirror, whatever its pages say.
    """
    host = (urlsplit(base_url).hostname or "").rstrip(".")
    return "live" if host == DIRECTORY_HOST else "mirror"


def page_file(kind: str, number: int, draft: bool = False) -> str:
    """Where a fetched page is stored in raw/<year>/: `html/credential_1118.html`, `html/course_62_draft.html`."""
    return f"html/{kind}_{number}{'_draft' if draft else ''}.html"


# --- the page's fixed text ------------------------------------------------------------------------

# The introduction under the `YYYY-YYYY Credential Information` heading, as the real pages print it.
BOILERPLATE = (
    "The North Carolina Office of Career and Technical Education provides multiple opportunities for students to "
    "obtain Industry-Recognized Credentials during their high school career.",
    "Industry-recognized credentials hold immense value as they not only validate student skills and knowledge in a "
    "specific field but also serve as a powerful stepping stone toward future careers.",
    "They provide a competitive edge in the job market, making students more attractive to potential employers and "
    "increasing their earning potential.",
    "Moreover, industry-recognized credentials often lead to more job opportunities and pathways for advancement, "
    "helping students embark on successful and fulfilling career journeys.",
    "Beyond the immediate benefits, these credentials instill a sense of accomplishment and confidence, motivating "
    "students to pursue higher education or dive directly into the workforce with the skills and certifications "
    "needed to excel.",
    "Ultimately, industry-recognized credentials empower high school students to bridge the gap between education "
    "and real-world employment, setting them on a path toward a brighter and more prosperous future.",
    "Access the NCDPI Credentials and Reporting website to submit a credential application and to view the latest "
    "Credential Attainment Report.",
)
FOOTNOTES = (
    "Footnotes:",
    "^ Indicates the pathway is an approved Local Course Option (LCO) pathway.",
    "* Where multilingual exams are indicated, please be advised that the state of North Carolina adheres to general "
    "statute as follows:",
    'G.S.§115C-81.45(a) requires classes (silent on exams) to be conducted in English "[e]xcept when a board '
    'authorizes teaching in a foreign language to comply with federal law."',
    "Therefore, NC CTE will abide with the Accountability guidance that LEAs are not required to provide exams in "
    "other languages. If they choose to do so, it will be at local discretion.",
)
HEADING = "Credential Information"
DRAFT_WARNING = "WARNING: This information is considered DRAFT until August 22, 2025."

# --- the Credentials by Course listing: its header words, any of these spellings ----------------------

LISTING_COLUMNS = {
    "course_code": ("course code", "course number", "course #", "course no", "course", "code"),
    "course_title": ("course title", "course name", "title"),
    "credential_name": ("credential", "credential name", "industry credential", "credential title", "certification"),
    "federal_reporting": ("federal reporting", "federal", "counts for federal reporting", "perkins"),
}
LISTING_REQUIRED = ("course_code", "credential_name")  # a table is the listing when its header names both

# --- labels and the field map (CONTRACT sections 2 and 4) ---------------------------------------------


class FieldMapError(ValueError):
    """A field-map entry that disagrees with its normalizer or with the other entries: the code does not start."""


@dataclass(frozen=True)
class Field:
    """One label of the directory and what it feeds.

    `normalize`, a function of `normalize.py`, gets the label's value (then the
    values of the labels in `also`). One that fills several columns names them
    (`@n.fills(...)`) and returns a value for each by name: the entry lists
    exactly those columns, in that order, or the field map is refused at import.
    One that fills one column returns its value. A column named after a child
    table receives that table's rows. A label with no columns is known but feeds
    nothing by itself (read by another field, or deliberately unmapped): it is
    never schema drift.
    """

    key: str
    text: str  # the label as the page prints it
    columns: tuple[str, ...] = ()
    normalize: Callable[..., Any] | None = None
    also: tuple[str, ...] = ()  # keys of other labels the normalizer reads

    def __post_init__(self) -> None:
        if problem := self._problem():
            raise FieldMapError(f"site.FIELDS, {self.key!r}: {problem}")

    def _problem(self) -> str | None:
        if bool(self.columns) != (self.normalize is not None):
            return "columns and a normalizer go together (a label that feeds nothing has neither)"
        if self.normalize is None:
            return None
        named = n.columns_of(self.normalize)
        listed = ", ".join(self.columns)
        if named is None and len(self.columns) != 1:
            return f"lists {listed}, but normalize.{self.normalize.__name__} returns one value (for one column)"
        if named is not None and tuple(self.columns) != named:
            return f"lists {listed}, but its normalizer fills {', '.join(named)} (the same names, in this order)"
        return None


# Page order, as printed on the site. A label not listed here is schema drift: `extract` reports it
# and `check` fails until it gets a Field here, with columns (and their fields in schemas/tables.py)
# or without (known, unmapped).
FIELDS: tuple[Field, ...] = (
    Field("credential_name", "Credential Name"),  # the block's name: rows.block_name
    Field(
        "vendor_info",
        "Credential Vendor Info",
        ("vendor_name", "vendor_url", "vendor_emails", "vendor_phones"),
        n.vendor,
    ),
    Field("implementation_year", "Implementation Year", ("implementation_year",), n.clean_text),
    Field("auto_collect", "Credential Auto Collect", ("auto_collect",), n.yes_no),
    Field("diploma_endorsement", "Diploma Endorsement", ("diploma_endorsement",), n.diploma_endorsement),
    Field("validation_artifact", "Validation Artifact", ("validation_artifact",), n.clean_text),
    Field(
        "lead_consultant",
        "Credential Lead Consultant",
        ("lead_consultant_name", "lead_consultant_email"),
        n.lead_consultant,
    ),
    Field(
        "courses",
        "Course Number and Title",
        ("credential_courses",),
        n.course_rows,
        also=("credential_as_pol", "diploma_endorsement"),
    ),
    Field("credential_as_pol", "Credential as POL"),  # read by the courses field
    Field("pathways", "Pathway(s)", ("credential_pathways",), n.pathway_rows),
    Field(
        "instructor_training_cost",
        "Cost of Instructor Training",
        ("instructor_training_costs", "instructor_training_cost_note"),
        n.training_cost_rows,
    ),
    Field(
        "instructor_training",
        "Instructor Training Requirements",
        ("instructor_training", "instructor_training_note"),
        n.training_requirements,
    ),
    Field("voucher_expiration", "Exam Voucher Expiration", ("voucher_expiration",), n.clean_text),
    Field("lifespan", "Credential Lifespan", ("lifespan_years", "lifespan_lifetime", "lifespan_text"), n.lifespan),
    Field("renewal_options", "Renewal Options", ("renewal_options",), n.clean_text),
    Field("soc_codes", "SOC (Standard Occupational Classification) Code(s)", ("credential_soc_codes",), n.soc_rows),
    Field("articulation", "Articulation", ("articulation", "articulation_note"), n.articulation),
    Field("sequencing", "Sequencing", ("sequencing", "sequencing_note"), n.sequencing),
    Field(
        "employer_transferability",
        "Employer Transferability",
        ("employer_transferability", "employer_transferability_note"),
        n.employer_transferability,
    ),
    Field(
        "delivery_format",
        "Delivery Format",
        ("delivery_format", "delivery_online", "delivery_paper", "delivery_performance"),
        n.delivery,
    ),
    Field("proctored", "Proctored Environment Required", ("proctored",), n.yes_no),
    Field("test_site_requirements", "Test Site Options and Requirements", ("test_site_requirements",), n.clean_text),
    Field(
        "testing_environment_requirements",
        "Testing Environment Requirements",
        ("testing_environment_requirements",),
        n.clean_text,
    ),
    Field("proctor_requirements", "Proctored Requirements", ("proctor_requirements",), n.clean_text),
    Field("exam_time", "Exam Time Allotment", ("exam_minutes", "exam_time_text"), n.exam_time),
    Field(
        "passing_requirement",
        "Exam Passing Requirement",
        ("passing_score_percent", "passing_requirement_text"),
        n.passing_requirement,
    ),
    Field("retakes", "Retakes", ("retakes_allowed", "retake_policy"), n.retakes),
    Field(
        "accommodations", "Student Accommodations", ("accommodations_available", "accommodations_url"), n.accommodations
    ),
    Field("multilingual", "Multilingual Resources*", ("multilingual", "languages"), n.multilingual),
    Field("directory_notes", "Directory Notes", ("directory_notes",), n.clean_text),
)
FIRST_LABEL = "credential_name"  # opens a block
LAST_LABEL = "directory_notes"  # a block that reaches it is complete


def map_problems(fields: tuple[Field, ...]) -> list[str]:
    """What makes a field map ambiguous: a key, label or column given twice, an `also` naming no label."""
    keys = [entry.key for entry in fields]
    problems = [
        f"{what} {name!r} is given by more than one entry"
        for what, names in (
            ("key", keys),
            ("label", [entry.text for entry in fields]),
            ("column", [column for entry in fields for column in entry.columns]),
        )
        for name in sorted({name for name in names if names.count(name) > 1})
    ]
    known = set(keys)
    problems += [
        f"{entry.key!r} reads {key!r}, which is no label" for entry in fields for key in entry.also if key not in known
    ]
    problems += [f"{key!r} is no label" for key in (FIRST_LABEL, LAST_LABEL) if key not in known]
    return problems


if _problems := map_problems(FIELDS):
    raise FieldMapError("site.FIELDS: " + "; ".join(_problems))
