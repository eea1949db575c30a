"""pandera schemas, one class per output table: the data dictionary's source, and every table fact.

Columns are declared in output order. Each model says what else is known of
its table, once, on the model: its key (`Config.metadata`, `facts(key=...)`),
the columns whose failure drops a row (CONTRACT section 4, rejects; any other
failing value is nulled); a child table of `credentials` is a `_Child`; a
column that says which credential a row is, or which source it came from,
carries its `role`. `KEYS`, `CHILD_TABLES`, `CHILD_MATCH`, `DERIVED`,
`IDENTITY` and `PROVENANCE` below are read from the models.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pandera
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline import patterns

# Whole-value shapes, anchored, composed from the shapes in pipeline/patterns.py.
SCHOOL_YEAR = f"^{patterns.VALID_SCHOOL_YEAR}$"
SLUG = f"^{patterns.VALID_SLUG}$"
EMAIL = f"^{patterns.VALID_EMAIL}$"
EMAILS = f"^{patterns.VALID_EMAIL}(?:; {patterns.VALID_EMAIL})*$"
URL = f"^{patterns.VALID_URL}$"
COURSE_CODE = f"^{patterns.VALID_COURSE_CODE}$"
PATHWAY_CODE = f"^{patterns.VALID_PATHWAY_CODE}$"
SOC_CODE = f"^{patterns.VALID_SOC_CODE}$"
SHA256 = f"^{patterns.VALID_SHA256}$"
TRAINING_LEVELS = ["required", "recommended", "available", "none"]
FORMATS = ["html", "text", "pdf"]
ORIGINS = ["live", "mirror", "archive", "sample"]


class Text(pandas_engine.STRING):
    """pandas' string dtype, as pandera's own, judged once for a column that has it.

    pandera 0.35 answers a column of this very dtype value by value, then builds
    a failure-case frame of none of them and a message printing it: about 1 ms a
    string column on every validation, 40% of validating a small table. Any other
    dtype is judged by pandera as before (after `coerce`, none is left).
    """

    def check(self, pandera_dtype, data_container=None):
        try:
            same = pandas_engine.Engine.dtype(pandera_dtype).type == self.type
        except TypeError:
            same = False
        return True if same else super().check(pandera_dtype, data_container)


Str = Series[Text]
Int = Series[pd.Int64Dtype]
Float = Series[pd.Float64Dtype]
Bool = Series[pd.BooleanDtype]


# Every school_year column: the shape here; the second year = the first + 1 in _Base.
YEAR_CHECKS = {"str_matches": SCHOOL_YEAR}


# A column's role in the credentials table: which credential a row is (matches rows in diff, never compared),
# or which source was chosen (never a conflict in merge). Other columns have none.
IDENTITY_ROLE = "identity"
PROVENANCE_ROLE = "provenance"


def req(description: str, role: str | None = None, **checks) -> pandera.Field:
    return pandera.Field(nullable=False, description=description, metadata=_role(role), **checks)


def opt(description: str, role: str | None = None, **checks) -> pandera.Field:
    return pandera.Field(nullable=True, description=description, metadata=_role(role), **checks)


def _role(role: str | None) -> dict[str, str] | None:
    return {"role": role} if role else None


def facts(key: tuple[str, ...], *, match: tuple[str, ...] | None = None, derived: bool = False) -> dict:
    """A table's facts, for its model's `Config.metadata`.

    key: the columns that say which row it is, in sort and display order (a failure in one drops the row).
    match: how diff pairs two outputs' child rows of one credential; by default their key within the credential.
    derived: made from the other tables and from what raw/ records, not from documents (no rejects).
    """
    return {"key": key, "match": match, "derived": derived}


def _consecutive(year: str) -> bool:
    match = re.fullmatch(SCHOOL_YEAR, year)
    return match is None or int(match.group(2)) - int(match.group(1)) == 1


class _Base(pandera.DataFrameModel):
    class Config:
        strict = True
        coerce = True
        ordered = True

    # A check of the model, not a registered check method: registering one cost 65 ms at import.
    @pandera.check("^school_year$", regex=True, name="consecutive_school_year")
    @classmethod
    def consecutive_school_year(cls, years: pd.Series) -> pd.Series:
        """`2023-2024`: the second year is the first + 1 (the shape is str_matches' job).

        A table holds a handful of distinct years in many rows: each distinct value
        is judged once, and the rows are marked with a vectorised lookup.
        """
        bad = [year for year in years.dropna().unique() if not _consecutive(str(year))]
        return pd.Series(~years.isin(bad).to_numpy(dtype=bool), index=years.index)


class Credentials(_Base):
    """One row per credential per school year, merged from every copy of its page."""

    class Config:
        metadata = facts(("school_year", "credential_slug"))

    school_year: Str = req(
        "School year of the page, `2023-2024`; second year = first + 1", IDENTITY_ROLE, **YEAR_CHECKS
    )
    cred_id: Int = opt("Directory id from the URL (`cred_id=N`); null when unknown", IDENTITY_ROLE, ge=0)
    credential_slug: Str = req(
        "Lowercase ASCII slug of the name; unique per school year", IDENTITY_ROLE, str_matches=SLUG
    )
    credential_name: Str = req("Credential name: the block's title line", IDENTITY_ROLE, str_length={"min_value": 1})
    is_draft: Bool = req("The page carries the DRAFT warning", PROVENANCE_ROLE)
    vendor_name: Str = opt("First line of Credential Vendor Info (`MSSC`)")
    vendor_url: Str = opt("First http(s) URL in Credential Vendor Info", str_matches=URL)
    vendor_emails: Str = opt("Every email in Credential Vendor Info, lowercased, `; `-joined", str_matches=EMAILS)
    vendor_phones: Str = opt("Every phone in Credential Vendor Info as written, `; `-joined")
    implementation_year: Str = opt("Implementation Year as written (`Before 2022-2023`)")
    auto_collect: Bool = opt("Credential Auto Collect: Yes/No")
    diploma_endorsement: Bool = opt("Plain Yes/No, or true when any course reads `= Yes`")
    validation_artifact: Str = opt("Validation Artifact")
    lead_consultant_name: Str = opt("Credential Lead Consultant without the email (`LCO` stays `LCO`)")
    lead_consultant_email: Str = opt("Lead consultant's email, lowercased", str_matches=EMAIL)
    instructor_training: Str = opt("required, recommended, available or none (strongest wins)", isin=TRAINING_LEVELS)
    instructor_training_note: Str = opt("Instructor Training Requirements without the level words")
    instructor_training_cost_note: Str = opt("Text of Cost of Instructor Training tied to no amount")
    voucher_expiration: Str = opt("Exam Voucher Expiration, free text")
    lifespan_years: Float = opt("First duration in Credential Lifespan, in years (`18 months` -> 1.5)", ge=0, le=100)
    lifespan_lifetime: Bool = opt("Lifetime / Does not expire; false for other values; null for N/A or empty")
    lifespan_text: Str = opt("Credential Lifespan as written")
    renewal_options: Str = opt("Renewal Options")
    articulation: Bool = opt("Articulation: leading Yes/No")
    articulation_note: Str = opt("Articulation: the rest of the value")
    sequencing: Bool = opt("Sequencing: leading Yes/No")
    sequencing_note: Str = opt("Sequencing: the rest of the value")
    employer_transferability: Bool = opt("Employer Transferability: leading Yes/No")
    employer_transferability_note: Str = opt("Employer Transferability: the rest of the value")
    delivery_format: Str = opt("Delivery Format as written")
    delivery_online: Bool = opt("Delivery Format mentions on-line / computer-based; null for N/A")
    delivery_paper: Bool = opt("Delivery Format mentions paper; null for N/A")
    delivery_performance: Bool = opt("Delivery Format mentions performance; null for N/A")
    proctored: Bool = opt("Proctored Environment Required: Yes/No")
    test_site_requirements: Str = opt("Test Site Options and Requirements")
    testing_environment_requirements: Str = opt("Testing Environment Requirements")
    proctor_requirements: Str = opt("Proctored Requirements")
    exam_minutes: Int = opt("Exam Time Allotment in minutes (`1 hour 30 minutes` -> 90)", ge=1, le=1440)
    exam_time_text: Str = opt("Exam Time Allotment as written")
    passing_score_percent: Float = opt("Exam Passing Requirement as a percent (`700 out of 1000` -> 70)", ge=0, le=100)
    passing_requirement_text: Str = opt("Exam Passing Requirement as written")
    retakes_allowed: Bool = opt("Retakes: leading Yes/No")
    retake_policy: Str = opt("Retakes: the rest of the value")
    accommodations_available: Bool = opt("Student Accommodations: leading Yes/No")
    accommodations_url: Str = opt("First URL in Student Accommodations", str_matches=URL)
    multilingual: Bool = opt("Multilingual Resources: leading Yes/No")
    languages: Str = opt("Languages listed, `; `-joined (`English; Spanish`)")
    directory_notes: Str = opt("Directory Notes (`None` stays text)")
    source_format: Str = req("Format of the best source: html, text or pdf", PROVENANCE_ROLE, isin=FORMATS)
    complete: Bool = req("The best source's block reaches Directory Notes", PROVENANCE_ROLE)
    source_path: Str = req("Best source file, relative to the raw root", PROVENANCE_ROLE)
    source_url: Str = opt("Best source's URL from the manifest", PROVENANCE_ROLE)
    source_sha256: Str = req("sha256 of the best source file", PROVENANCE_ROLE, str_matches=SHA256)
    source_origin: Str = opt(
        "Where the best source came from: live (fetched from the directory's own host), mirror "
        "(fetched from another base URL: a stand-in or a copy), archive (a web archive copy) or "
        "sample (written for this repository); analysts keep live and archive; null when the "
        "file has no manifest row",
        PROVENANCE_ROLE,
        isin=ORIGINS,
    )


JOIN = ("school_year", "credential_slug")  # a child table's rows join to credentials on these


class _Child(_Base):
    """A child table of `credentials`: its key starts with JOIN."""

    school_year: Str = req("School year; joins to credentials", **YEAR_CHECKS)
    credential_slug: Str = req("Credential slug; joins to credentials", str_matches=SLUG)


class CredentialCourses(_Child):
    """Courses a credential is aligned to, with its POL and diploma-endorsement flags per course."""

    class Config:
        metadata = facts(("school_year", "credential_slug", "course_code"))

    course_code: Str = req("Course code (`IM11`)", str_matches=COURSE_CODE)
    course_title: Str = opt("Course title without the `(LCO)` mark")
    lco: Bool = req("Title ended in `(LCO)`: a Local Course Option")
    credential_as_pol: Bool = opt("Credential as POL for this course (`IM11 POL = Yes`)")
    pol_note: Str = opt("Text after the POL flag")
    diploma_endorsement: Bool = opt("Diploma endorsement for this course (`IM11 = Yes`)")
    source_path: Str = req("Source file of these child rows")


class CredentialPathways(_Child):
    """Career pathways of a credential; `^` marks a Local Course Option pathway."""

    class Config:
        metadata = facts(("school_year", "credential_slug", "pathway_code"))

    pathway_name: Str = opt("Pathway name (`Digital Media`)")
    pathway_code: Str = req("Pathway code (`DIGM`)", str_matches=PATHWAY_CODE)
    lco: Bool = req("Marked `^`: a Local Course Option pathway")
    source_path: Str = req("Source file of these child rows")


class CredentialSocCodes(_Child):
    """Standard Occupational Classification codes of a credential."""

    class Config:
        metadata = facts(("school_year", "credential_slug", "soc_code"))

    soc_code: Str = req("SOC code (`17-3023`)", str_matches=SOC_CODE)
    soc_title: Str = opt("SOC title")
    source_path: Str = req("Source file of these child rows")


class InstructorTrainingCosts(_Child):
    """Cost options of instructor training, in page order."""

    class Config:
        # an option's number shifts when an option is added before it: diff pairs costs on amount and condition
        metadata = facts(("school_year", "credential_slug", "option"), match=("amount_usd", "condition"))

    option: Int = req("Option number, 1, 2, ... in page order", ge=1)
    amount_usd: Float = req("Amount in US dollars (`$1,525.00` -> 1525)", ge=0, le=100_000)  # more is no training cost
    condition: Str = opt("Text tied to the amount (`with an online webinar`)")
    source_path: Str = req("Source file of these child rows")


class CourseCredentials(_Base):
    """Rows of the yearly Credentials by Course PDF listing."""

    class Config:
        metadata = facts(("school_year", "course_code", "credential_slug"))

    school_year: Str = req("School year of the listing", **YEAR_CHECKS)
    course_code: Str = req("Course code", str_matches=COURSE_CODE)
    course_title: Str = opt("Course title")
    credential_name: Str = req("Credential name as listed")
    credential_slug: Str = req("Slug of the credential name", str_matches=SLUG)
    federal_reporting: Bool = opt("Counts for federal reporting")
    source_path: Str = req("Source PDF")


class LabelValues(_Base):
    """Every label/value pair as found on the pages, so nothing is lost (drift labels have no `label`)."""

    class Config:
        metadata = facts(("source_path", "block", "position"))

    school_year: Str = opt("School year of the page", **YEAR_CHECKS)
    source_path: Str = req("Source file, relative to the raw root")
    block: Int = req("Block number on the page, from 1", ge=1)
    credential_slug: Str = opt("Slug of the block's credential; null when the title was cut")
    label: Str = opt("Canonical label; null when unknown (schema drift)")
    label_raw: Str = req("Label as written")
    value: Str = opt("Value as found, line breaks kept as \\n")
    position: Int = req("Position of the pair in its block, from 1", ge=1)


class Rejects(_Base):
    """Values and rows that failed validation, and why; a rejected value is null in its table."""

    class Config:
        metadata = facts(("table", "key", "column", "check", "failure_case", "source_path"))

    table: Str = req("Table the value or row belongs to")
    key: Str = opt("The row's key, `/`-joined")
    column: Str = opt("Column that failed")
    check: Str = req("Check that failed")
    failure_case: Str = opt("The failing value, as read (`170.0`)")
    page_text: Str = opt(
        "The page's own text for the label the value was read from (`1700/1000`); null for a value no label gives"
    )
    source_path: Str = opt("Source file")


class Conflicts(_Base):
    """Different non-null values for one credential from several sources; the best-ranked is kept."""

    class Config:
        metadata = facts(("school_year", "credential_slug", "column", "other_source"))

    school_year: Str = req("School year", **YEAR_CHECKS)
    credential_slug: Str = req("Credential slug", str_matches=SLUG)
    column: Str = req("Column with different values")
    chosen: Str = opt("Value kept (best-ranked source)")
    other: Str = opt("Value from a lower-ranked source")
    chosen_source: Str = req("Source of the chosen value")
    other_source: Str = req("Source of the other value")


class Coverage(_Base):
    """What each school year of the output holds: pages, cut copies, the listing, when it was fetched."""

    class Config:
        metadata = facts(("school_year",), derived=True)

    school_year: Str = req("School year", **YEAR_CHECKS)
    documents: Int = req("Documents read for the year (files under raw/<year>/)", ge=0)
    credentials: Int = req("Credentials of the year", ge=0)
    cut: Int = req("Credentials whose best copy is cut (it stops before Directory Notes)", ge=0)
    listing: Bool = req("A Credentials by Course listing was read for the year")
    origins: Str = opt("Credentials by the origin of their best copy (`live 20; archive 3`)")
    fetched_from: Str = opt("Earliest `fetched_at` in the year's manifest (ISO 8601 UTC); null without one")
    fetched_until: Str = opt("Latest `fetched_at` in the year's manifest (ISO 8601 UTC); null without one")
    refreshed_at: Str = opt("When the year's last refresh ran; null when none is recorded")
    failed: Int = opt("Pages the year's last refresh could not fetch; null when no refresh is recorded", ge=0)
    complete: Bool = req(
        "The year holds the whole directory as far as can be told: no credential cut, no page failed in its last "
        "refresh; when false, a credential missing from it is `not in this copy`, never `removed`"
    )


CHANGE_KINDS = ["added", "removed", "renamed", "changed", "not in this copy", "not in the old copy"]


class Changes(_Base):
    """Typed changes, one a row: between consecutive school years, and what each refresh changed."""

    class Config:
        metadata = facts(
            ("between", "school_year", "until", "credential_slug", "table", "column", "kind", "old", "new"),
            derived=True,
        )

    school_year: Str = req("School year the change is in (the newer side)", **YEAR_CHECKS)
    credential_slug: Str = req(
        "Credential slug (the newer side's; the old one for a credential gone)", str_matches=SLUG
    )
    cred_id: Int = opt("Directory id, when known", ge=0)
    credential_name: Str = opt("Credential name (the newer side's)")
    between: Str = req(
        "`school years` (one year against the year before) or `refreshes` (a refresh's own change)",
        isin=["school years", "refreshes"],
    )
    since: Str = opt("The older side: the school year before, or when the outputs a refresh replaced were fetched")
    until: Str = opt("The newer side: the school year, or when the refresh ran")
    table: Str = req("`credentials` or the child table that changed")
    column: Str = opt("Column whose value changed; null for a whole credential or child row")
    old: Str = opt("Old value (a child row as `column=value, ...`), as the CSV writes it")
    new: Str = opt("New value, as the CSV writes it")
    kind: Str = req("What happened: " + ", ".join(CHANGE_KINDS), isin=CHANGE_KINDS)


SCHEMAS: dict[str, type[_Base]] = {
    "credentials": Credentials,
    "credential_courses": CredentialCourses,
    "credential_pathways": CredentialPathways,
    "credential_soc_codes": CredentialSocCodes,
    "instructor_training_costs": InstructorTrainingCosts,
    "course_credentials": CourseCredentials,
    "label_values": LabelValues,
    "rejects": Rejects,
    "conflicts": Conflicts,
    "coverage": Coverage,
    "changes": Changes,
}
# --- table facts, read from the models above -------------------------------------------------------------


def _facts(model: type[_Base]) -> dict:
    return model.Config.metadata


def _columns_with(model: type[_Base], role: str) -> frozenset[str]:
    return frozenset(
        name for name, (_, field) in model.__fields__.items() if (field.metadata or {}).get("role") == role
    )


def fact_problems(schemas: dict[str, type[_Base]]) -> list[str]:
    """Facts that name no column of their table, or a child table whose key does not start with the join."""
    missing = [name for name, model in schemas.items() if not isinstance(getattr(model.Config, "metadata", None), dict)]
    if missing:
        return [f"{name}: no facts (`class Config: metadata = facts(key=...)`)" for name in missing]
    problems = [
        f"{name}: {fact} names {column!r}, which is no column"
        for name, model in schemas.items()
        for fact in ("key", "match")
        for column in _facts(model)[fact] or ()
        if column not in model.__fields__
    ]
    problems += [
        f"{name}: its key does not start with {', '.join(JOIN)}"
        for name, model in schemas.items()
        if issubclass(model, _Child) and _facts(model)["key"][: len(JOIN)] != JOIN
    ]
    return problems


if _problems := fact_problems(SCHEMAS):
    raise ValueError("schemas/tables.py: " + "; ".join(_problems))


# A failure in one of these columns drops the row; elsewhere the value is nulled.
KEYS: dict[str, tuple[str, ...]] = {name: _facts(model)["key"] for name, model in SCHEMAS.items()}
# Tables made from the others and from what raw/ records about its years, not from documents (no rejects).
DERIVED = tuple(name for name, model in SCHEMAS.items() if _facts(model)["derived"])
# Child tables of `credentials`: they join on (school_year, credential_slug).
CHILD_TABLES = tuple(name for name, model in SCHEMAS.items() if issubclass(model, _Child))
# How two outputs' child rows of one credential are matched (diff).
CHILD_MATCH: dict[str, tuple[str, ...]] = {
    name: _facts(SCHEMAS[name])["match"] or KEYS[name][len(JOIN) :] for name in CHILD_TABLES
}
# Columns of `credentials` that describe the chosen source, not the credential: never a conflict (merge).
PROVENANCE = _columns_with(Credentials, PROVENANCE_ROLE)
# Columns that say which credential a row is: they match rows (diff), they are not compared.
IDENTITY = _columns_with(Credentials, IDENTITY_ROLE)


def columns(table: str) -> list[str]:
    return list(SCHEMAS[table].to_schema().columns)
