"""label/value blocks -> typed rows: one credential row and its child rows.

Every column of CONTRACT section 4 is filled here, from the label it comes
from, by the normalizer named for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import normalize as n
from .blocks import Block
from .labels import label_text


@dataclass(frozen=True)
class Source:
    """Where a block came from."""

    path: str
    url: str | None
    sha256: str
    format: str  # html | text | pdf
    school_year: str | None
    is_draft: bool
    cred_id: int | None
    origin: str | None = None  # live | archive | sample


@dataclass
class CredentialRows:
    credential: dict[str, Any]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    source: Source | None = None
    name_mismatch: str | None = None  # the Credential Name value, when it differs from the title


def label_value_rows(block: Block, block_number: int, source: Source, slug: str | None) -> list[dict[str, Any]]:
    return [
        {
            "school_year": source.school_year,
            "source_path": source.path,
            "block": block_number,
            "credential_slug": slug,
            "label": label_text(pair.key) if pair.key else None,
            "label_raw": pair.label_raw,
            "value": pair.value,
            "position": position,
        }
        for position, pair in enumerate(block.pairs, start=1)
    ]


def block_name(block: Block) -> str | None:
    """The title line is the name; without a title, the Credential Name value."""
    return n.clean_text(block.title) or n.clean_text(block.value("credential_name"))


def credential_rows(block: Block, source: Source) -> CredentialRows | None:
    """Typed rows of one block; None when the block has no name (cut in its title)."""
    name = block_name(block)
    if name is None:
        return None
    slug = n.slugify(name)
    value = block.value
    stated_name = n.clean_text(value("credential_name"))
    cost_options, cost_note = n.training_costs(value("instructor_training_cost"))
    row: dict[str, Any] = {
        "school_year": source.school_year,
        "cred_id": source.cred_id,
        "credential_slug": slug,
        "credential_name": name,
        "is_draft": source.is_draft,
        **_vendor(value("vendor_info")),
        "implementation_year": n.clean_text(value("implementation_year")),
        "auto_collect": n.yes_no(value("auto_collect")),
        "diploma_endorsement": _diploma_endorsement(value("diploma_endorsement")),
        "validation_artifact": n.clean_text(value("validation_artifact")),
        **_consultant(value("lead_consultant")),
        **_training(value("instructor_training"), cost_note),
        "voucher_expiration": n.clean_text(value("voucher_expiration")),
        "lifespan_years": n.lifespan_years(value("lifespan")),
        "lifespan_lifetime": n.lifespan_lifetime(value("lifespan")),
        "lifespan_text": n.clean_text(value("lifespan")),
        "renewal_options": n.clean_text(value("renewal_options")),
        **_flag_and_note("articulation", value("articulation")),
        **_flag_and_note("sequencing", value("sequencing")),
        **_flag_and_note("employer_transferability", value("employer_transferability")),
        **_delivery(value("delivery_format")),
        "proctored": n.yes_no(value("proctored")),
        "test_site_requirements": n.clean_text(value("test_site_requirements")),
        "testing_environment_requirements": n.clean_text(value("testing_environment_requirements")),
        "proctor_requirements": n.clean_text(value("proctor_requirements")),
        "exam_minutes": n.exam_minutes(value("exam_time")),
        "exam_time_text": n.clean_text(value("exam_time")),
        "passing_score_percent": n.passing_percent(value("passing_requirement")),
        "passing_requirement_text": n.clean_text(value("passing_requirement")),
        **_retakes(value("retakes")),
        **_accommodations(value("accommodations")),
        **_multilingual(value("multilingual")),
        "directory_notes": n.clean_text(value("directory_notes")),
        "source_format": source.format,
        "complete": block.complete,
        "source_path": source.path,
        "source_url": source.url,
        "source_sha256": source.sha256,
        "source_origin": source.origin,
    }
    keys = {"school_year": source.school_year, "credential_slug": slug, "source_path": source.path}
    children = {
        "credential_courses": _courses(block, keys),
        "credential_pathways": [
            {**keys, "pathway_name": p.name, "pathway_code": p.code, "lco": p.lco}
            for p in n.pathways(value("pathways"))
        ],
        "credential_soc_codes": [
            {**keys, "soc_code": s.code, "soc_title": s.title} for s in n.soc_codes(value("soc_codes"))
        ],
        "instructor_training_costs": [
            {**keys, "option": c.option, "amount_usd": c.amount_usd, "condition": c.condition} for c in cost_options
        ],
    }
    mismatch = stated_name if stated_name and block.title and stated_name != name else None
    return CredentialRows(row, children, source, mismatch)


def _vendor(info: str | None) -> dict[str, Any]:
    return {
        "vendor_name": n.first_line(info),
        "vendor_url": n.first_url(info),
        "vendor_emails": n.joined(n.emails(info)),
        "vendor_phones": n.joined(n.phones(info)),
    }


def _diploma_endorsement(value: str | None) -> bool | None:
    flags = n.course_flags(value, pol=False)
    if flags:
        return any(flag.flag for flag in flags)
    return n.yes_no(value)


def _consultant(value: str | None) -> dict[str, Any]:
    name, email = n.consultant(value)
    return {"lead_consultant_name": name, "lead_consultant_email": email}


def _training(requirement: str | None, cost_note: str | None) -> dict[str, Any]:
    level, note = n.instructor_training(requirement)
    return {"instructor_training": level, "instructor_training_note": note, "instructor_training_cost_note": cost_note}


def _flag_and_note(column: str, value: str | None) -> dict[str, Any]:
    flag, note = n.leading_yes_no(value)
    return {column: flag, f"{column}_note": note}


def _delivery(value: str | None) -> dict[str, Any]:
    online, paper, performance = n.delivery_modes(value)
    return {
        "delivery_format": n.clean_text(value),
        "delivery_online": online,
        "delivery_paper": paper,
        "delivery_performance": performance,
    }


def _retakes(value: str | None) -> dict[str, Any]:
    allowed, policy = n.leading_yes_no(value)
    return {"retakes_allowed": allowed, "retake_policy": policy}


def _accommodations(value: str | None) -> dict[str, Any]:
    return {"accommodations_available": n.yes_no(value), "accommodations_url": n.first_url(value)}


def _multilingual(value: str | None) -> dict[str, Any]:
    flag, rest = n.leading_yes_no(value)
    return {"multilingual": flag, "languages": n.languages(rest)}


def _courses(block: Block, keys: dict[str, Any]) -> list[dict[str, Any]]:
    pol = {flag.code: flag for flag in n.course_flags(block.value("credential_as_pol"), pol=True)}
    endorsed = {flag.code: flag.flag for flag in n.course_flags(block.value("diploma_endorsement"), pol=False)}
    rows = []
    for course in n.courses(block.value("courses")):
        flag = pol.get(course.code)
        rows.append(
            {
                **keys,
                "course_code": course.code,
                "course_title": course.title,
                "lco": course.lco,
                "credential_as_pol": flag.flag if flag else None,
                "pol_note": flag.note if flag else None,
                "diploma_endorsement": endorsed.get(course.code),
            }
        )
    return rows


def listing_rows(listing: list[dict[str, Any]], school_year: str | None, path: str) -> list[dict[str, Any]]:
    """Credentials by Course rows -> course_credentials rows."""
    return [
        {
            "school_year": school_year,
            "course_code": row["course_code"],
            "course_title": n.clean_text(row["course_title"]),
            "credential_name": n.clean_text(row["credential_name"]),
            "credential_slug": n.slugify(row["credential_name"]) if row["credential_name"] else None,
            "federal_reporting": row["federal_reporting"],
            "source_path": path,
        }
        for row in listing
    ]
