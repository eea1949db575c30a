"""Values -> typed fields. Small pure functions, `str -> value`.

They find items by shape (course codes, `= Yes`, `(NN-NNNN)`, `(ABCD)`, `$`
amounts, emails, URLs), never by line breaks, so every rendering of a page
gives the same result. Near misses are passed on as found, for validation to
reject visibly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any, TypeVar

from pipeline import patterns

PLACEHOLDERS = frozenset({"n/a", "na", "none", "varies", "tbd", "-", ""})
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


def clean_text(value: str | None) -> str | None:
    """Free text for a typed table: every whitespace run becomes one space."""
    if value is None:
        return None
    text = patterns.WHITESPACE.sub(" ", value).strip()
    return text or None


def is_placeholder(value: str | None) -> bool:
    return value is None or clean_text(value) is None or clean_text(value).casefold().rstrip(".") in PLACEHOLDERS


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return patterns.NON_SLUG.sub("-", ascii_name.lower()).strip("-")


# --- Yes/No -------------------------------------------------------------------


def leading_yes_no(value: str | None) -> tuple[bool | None, str | None]:
    """`Yes\\nAfter a 15-day waiting period` -> (True, 'After a 15-day waiting period')."""
    if value is None:
        return None, None
    match = patterns.LEADING_YES_NO.match(value)
    if not match:
        return None, clean_text(value)
    return match.group(1).lower() == "yes", clean_text(value[match.end() :])


def yes_no(value: str | None) -> bool | None:
    return leading_yes_no(value)[0]


# --- vendor, consultant ----------------------------------------------------------

_MAX_GUESSED_NAME_WORDS = 4


def first_line(value: str | None) -> str | None:
    """First line of the value.

    Where line breaks were lost (flattened table) the first line is unknowable:
    the text before the first contact item (email, phone, URL) is taken when it
    is short enough to be a name alone (`MSSC`, `AHA BLS CPR`), else null
    rather than a guess (`CompTIA Travis Wilde Account Executive, ...`).
    """
    if value is None:
        return None
    if "\n" in value.strip():
        return clean_text(value.strip().split("\n", 1)[0])
    found = (pattern.search(value) for pattern in (patterns.EMAIL_LIKE, patterns.PHONE, patterns.URL))
    contacts = [match.start() for match in found if match]
    if not contacts:
        return clean_text(value)
    name = clean_text(value[: min(contacts)])
    return name if name and len(name.split()) <= _MAX_GUESSED_NAME_WORDS else None


def first_url(value: str | None) -> str | None:
    match = patterns.URL.search(value or "")
    return match.group(0).rstrip(".,;:") if match else None


def emails(value: str | None) -> list[str]:
    return [email.strip(".").lower() for email in patterns.EMAIL_LIKE.findall(value or "")]


def phones(value: str | None) -> list[str]:
    return [clean_text(match.group(0)) for match in patterns.PHONE.finditer(value or "")]


def joined(items: list[str]) -> str | None:
    unique = list(dict.fromkeys(items))
    return "; ".join(unique) if unique else None


def consultant(value: str | None) -> tuple[str | None, str | None]:
    """`David Barbour david.barbour@dpi.nc.gov` -> ('David Barbour', 'david.barbour@dpi.nc.gov')."""
    if value is None:
        return None, None
    found = emails(value)
    name = clean_text(patterns.EMAIL_LIKE.sub(" ", value))
    return name, found[0] if found else None


# --- instructor training -------------------------------------------------------------

_TRAINING_STRENGTH = {"required": 3, "recommended": 2, "available": 1, "none": 0}
_TRAINING_LEVEL = dict(patterns.TRAINING_WORDS)


def instructor_training(value: str | None) -> tuple[str | None, str | None]:
    """Leading requirement words -> (strongest level, rest of the value)."""
    if value is None:
        return None, None
    levels: list[str] = []
    rest = value
    while match := patterns.TRAINING_WORD.match(rest):
        word = " ".join(match.group(1).lower().split())
        levels.append(_TRAINING_LEVEL[word])
        rest = rest[match.end() :]
    level = max(levels, key=_TRAINING_STRENGTH.__getitem__) if levels else None
    return level, clean_text(rest)


@dataclass(frozen=True)
class CostOption:
    option: int
    amount_usd: float
    condition: str | None


def training_costs(value: str | None) -> tuple[list[CostOption], str | None]:
    """Cost options and the note tied to no amount (CONTRACT: instructor_training_costs)."""
    if value is None:
        return [], None
    starts = [m.end() for m in patterns.OPTION_OPENER.finditer(value) if patterns.MONEY.match(value, m.end())]
    if not starts:
        return [], clean_text(value)
    note_parts = [value[: _opener_start(value, starts[0])]]
    options = []
    for index, start in enumerate(starts):
        end = _opener_start(value, starts[index + 1]) if index + 1 < len(starts) else len(value)
        money = patterns.MONEY.match(value, start)
        condition, _, after_blank = value[money.end() : end].partition("\n\n")
        options.append(CostOption(index + 1, money_amount(money), clean_text(condition)))
        note_parts.append(after_blank)
    return options, clean_text(" ".join(part for part in note_parts if part))


def _opener_start(value: str, amount_start: int) -> int:
    """Where the opener of the amount at `amount_start` begins: before a connector standing alone between two
    options (`OR` on its own line, or between the condition and the amount), which belongs to neither.

    Read in place, backwards from the amount over the whitespace before it:
    no copy of what comes before, so a value of many amounts costs time in
    proportion to its length.
    """
    end = amount_start
    while end and value[end - 1].isspace():
        end -= 1
    for connector in patterns.COST_CONNECTORS:
        before = end - len(connector)
        if value.endswith(connector, 0, end) and (before == 0 or value[before - 1].isspace()):
            return before
    return end


def money_amount(match: re.Match[str]) -> float:
    """`$1,525.00` -> 1525.0; an amount written with an exponent (`$1e30`) is read at its size, for validation
    to reject (infinite when no float holds it)."""
    digits, cents, exponent = match.groups()
    whole = float(digits.replace(",", ""))
    if exponent:
        return float(f"{digits.replace(',', '')}.{cents or 0}{exponent}")
    return whole + (float(cents.ljust(2, "0")) / 100 if cents else 0.0)


# --- durations, scores --------------------------------------------------------------


def lifespan_years(value: str | None) -> float | None:
    match = patterns.DURATION.search(value or "")
    if not match:
        return None
    number = match.group(1).lower()
    amount = float(_WORD_NUMBERS.get(number, number))
    return amount if match.group(2).lower().startswith(("y",)) else round(amount / 12, 4)


def lifespan_lifetime(value: str | None) -> bool | None:
    if is_placeholder(value):
        return None
    return bool(patterns.LIFETIME.search(value))


def exam_minutes(value: str | None) -> int | None:
    """`1 hour 30 minutes` -> 90. Exact for any size: a number too large for its column is validation's
    to reject, never an OverflowError here."""
    match = patterns.HOURS_MINUTES.search(value or "")
    if not match:
        return None
    hours, minutes, minutes_only = match.groups()
    if minutes_only:
        return int(Decimal(minutes_only))
    with localcontext(prec=len(hours) + len(minutes or "") + 4):  # exact, whatever the size
        total = Decimal(hours) * 60 + Decimal(minutes or 0)
        return int(total.to_integral_value(ROUND_HALF_EVEN))


def passing_percent(value: str | None) -> float | None:
    text = value or ""
    percent = patterns.PERCENT.search(text)
    ratio = patterns.SCORE_OUT_OF.search(text)
    if percent and (not ratio or percent.start() < ratio.start()):
        return float(percent.group(1))
    if ratio and float(ratio.group(2)) > 0:
        return round(100 * float(ratio.group(1)) / float(ratio.group(2)), 4)
    return None


# --- delivery, languages --------------------------------------------------------


def delivery_modes(value: str | None) -> tuple[bool | None, bool | None, bool | None]:
    if is_placeholder(value):
        return None, None, None
    return tuple(
        bool(p.search(value))
        for p in (patterns.DELIVERY_ONLINE, patterns.DELIVERY_PAPER, patterns.DELIVERY_PERFORMANCE)
    )  # type: ignore[return-value]


def languages(rest: str | None) -> str | None:
    """`English and Spanish` -> `English; Spanish`."""
    if is_placeholder(rest):
        return None
    parts = [clean_text(part) for part in patterns.LANGUAGE_SEPARATOR.split(rest)]
    return joined([part for part in parts if part])


# --- child items -------------------------------------------------------------------


@dataclass(frozen=True)
class Course:
    code: str
    title: str | None
    lco: bool


def courses(value: str | None) -> list[Course]:
    """`CI01 Computer Engineering Technology ICL60 Fundamentals ... (LCO)` -> courses."""
    text = value or ""
    starts = list(patterns.COURSE_START.finditer(text))
    result = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        title = clean_text(text[match.end() : end]) or ""
        lco = bool(patterns.LCO_MARK.search(title))
        result.append(Course(match.group(1), clean_text(patterns.LCO_MARK.sub("", title)), lco))
    return result


@dataclass(frozen=True)
class CourseFlag:
    code: str
    flag: bool
    note: str | None


def course_flags(value: str | None, pol: bool) -> list[CourseFlag]:
    """`IM11 POL = Yes  Note: ...` (pol) or `FH13 = Yes` (diploma endorsement)."""
    text = value or ""
    found = list(patterns.COURSE_FLAG.finditer(text))
    flags = []
    for index, match in enumerate(found):
        if bool(match.group(2)) != pol:
            continue
        # A note runs to the next flag of either kind: `IM11 POL = Yes  FH13 = No` has no POL note.
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        note = patterns.NOTE_PREFIX.sub("", text[match.end() : end])
        flags.append(CourseFlag(match.group(1), match.group(3).lower() == "yes", clean_text(note)))
    return flags


@dataclass(frozen=True)
class Pathway:
    name: str | None
    code: str
    lco: bool


def pathways(value: str | None) -> list[Pathway]:
    """`^Advanced Manufacturing (ADMA)`, `Information Security (INSE)^`.

    Where line breaks were lost, a `^` between two pathways goes with the one
    after it when the value opens with `^`, else with the one before it. Read
    in place after each code (no copy of the rest of the value per code), so
    the time is linear in the value.
    """
    text = (value or "").strip()
    leading = text.startswith("^") or "\n^" in text
    result: list[Pathway] = []
    position = 0
    for match in patterns.PATHWAY_CODE.finditer(text):
        name = text[position : match.start()]
        caret = match.end()
        while caret < len(text) and text[caret] in " \t":
            caret += 1
        # A caret closes its line when nothing but a line break (or the end) follows it.
        closes = caret + 1 == len(text) or text.startswith("\n", caret + 1)
        trailing = text.startswith("^", caret) and (not leading or closes)
        position = caret + 1 if trailing else match.end()
        result.append(Pathway(clean_text(name.replace("^", "")), match.group(1), "^" in name or trailing))
    return result


@dataclass(frozen=True)
class Soc:
    code: str
    title: str | None


def soc_codes(value: str | None) -> list[Soc]:
    """`Chefs and Head Cooks (35-1011)Food Service Managers (11-9051)` -> SOC items."""
    text = value or ""
    result = []
    position = 0
    for match in patterns.SOC_CODE.finditer(text):
        code = patterns.WHITESPACE.sub("", match.group(1))
        result.append(Soc(code, clean_text(text[position : match.start()])))
        position = match.end()
    return result


# --- whole fields: what the field map (site.FIELDS) calls -------------------------------------------------
# A normalizer that fills several columns names them with `@fills` and returns its values by those names
# ({column: value}); one that fills one column returns its value. site.Field checks each entry's columns
# against these names when the field map is imported, and rows.py assigns the values by name.

F = TypeVar("F", bound=Callable[..., Any])


def fills(*columns: str) -> Callable[[F], F]:
    """Declares the columns a whole-field normalizer fills: it returns a mapping with exactly these keys."""

    def declare(normalizer: F) -> F:
        normalizer.columns = columns  # type: ignore[attr-defined]
        return normalizer

    return declare


def columns_of(normalizer: Callable[..., Any]) -> tuple[str, ...] | None:
    """The columns a normalizer declares with `@fills`; None for one that returns one value."""
    return getattr(normalizer, "columns", None)


@fills("vendor_name", "vendor_url", "vendor_emails", "vendor_phones")
def vendor(info: str | None) -> dict[str, str | None]:
    """Credential Vendor Info: its first line, first URL, every email and every phone."""
    return {
        "vendor_name": first_line(info),
        "vendor_url": first_url(info),
        "vendor_emails": joined(emails(info)),
        "vendor_phones": joined(phones(info)),
    }


@fills("lead_consultant_name", "lead_consultant_email")
def lead_consultant(value: str | None) -> dict[str, str | None]:
    name, email = consultant(value)
    return {"lead_consultant_name": name, "lead_consultant_email": email}


@fills("instructor_training", "instructor_training_note")
def training_requirements(value: str | None) -> dict[str, str | None]:
    level, rest = instructor_training(value)
    return {"instructor_training": level, "instructor_training_note": rest}


def diploma_endorsement(value: str | None) -> bool | None:
    """`FH13 = Yes  FH14 = No` -> True when any course reads `= Yes`; else a plain Yes/No."""
    flags = course_flags(value, pol=False)
    if flags:
        return any(flag.flag for flag in flags)
    return yes_no(value)


@fills("lifespan_years", "lifespan_lifetime", "lifespan_text")
def lifespan(value: str | None) -> dict[str, float | bool | str | None]:
    return {
        "lifespan_years": lifespan_years(value),
        "lifespan_lifetime": lifespan_lifetime(value),
        "lifespan_text": clean_text(value),
    }


def _yes_no_and_rest(flag: str, rest: str) -> Callable[[str | None], dict[str, bool | str | None]]:
    """The normalizer of a `Yes, after ...` field: its leading Yes/No into `flag`, the rest of the value into `rest`."""

    @fills(flag, rest)
    def normalize(value: str | None) -> dict[str, bool | str | None]:
        found, remainder = leading_yes_no(value)
        return {flag: found, rest: remainder}

    return normalize


articulation = _yes_no_and_rest("articulation", "articulation_note")
sequencing = _yes_no_and_rest("sequencing", "sequencing_note")
employer_transferability = _yes_no_and_rest("employer_transferability", "employer_transferability_note")
retakes = _yes_no_and_rest("retakes_allowed", "retake_policy")


@fills("delivery_format", "delivery_online", "delivery_paper", "delivery_performance")
def delivery(value: str | None) -> dict[str, str | bool | None]:
    online, paper, performance = delivery_modes(value)
    return {
        "delivery_format": clean_text(value),
        "delivery_online": online,
        "delivery_paper": paper,
        "delivery_performance": performance,
    }


@fills("exam_minutes", "exam_time_text")
def exam_time(value: str | None) -> dict[str, int | str | None]:
    return {"exam_minutes": exam_minutes(value), "exam_time_text": clean_text(value)}


@fills("passing_score_percent", "passing_requirement_text")
def passing_requirement(value: str | None) -> dict[str, float | str | None]:
    return {"passing_score_percent": passing_percent(value), "passing_requirement_text": clean_text(value)}


@fills("accommodations_available", "accommodations_url")
def accommodations(value: str | None) -> dict[str, bool | str | None]:
    return {"accommodations_available": yes_no(value), "accommodations_url": first_url(value)}


@fills("multilingual", "languages")
def multilingual(value: str | None) -> dict[str, bool | str | None]:
    flag, rest = leading_yes_no(value)
    return {"multilingual": flag, "languages": languages(rest)}


@fills("instructor_training_costs", "instructor_training_cost_note")
def training_cost_rows(value: str | None) -> dict[str, list[dict] | str | None]:
    """Cost of Instructor Training -> the instructor_training_costs rows and the note tied to no amount."""
    options, note = training_costs(value)
    rows = [{"option": c.option, "amount_usd": c.amount_usd, "condition": c.condition} for c in options]
    return {"instructor_training_costs": rows, "instructor_training_cost_note": note}


def course_rows(value: str | None, pol_value: str | None, endorsement_value: str | None) -> list[dict]:
    """Course Number and Title, with Credential as POL and Diploma Endorsement -> credential_courses rows."""
    pol = {flag.code: flag for flag in course_flags(pol_value, pol=True)}
    endorsed = {flag.code: flag.flag for flag in course_flags(endorsement_value, pol=False)}
    rows = []
    for course in courses(value):
        flag = pol.get(course.code)
        rows.append(
            {
                "course_code": course.code,
                "course_title": course.title,
                "lco": course.lco,
                "credential_as_pol": flag.flag if flag else None,
                "pol_note": flag.note if flag else None,
                "diploma_endorsement": endorsed.get(course.code),
            }
        )
    return rows


def pathway_rows(value: str | None) -> list[dict]:
    return [{"pathway_name": p.name, "pathway_code": p.code, "lco": p.lco} for p in pathways(value)]


def soc_rows(value: str | None) -> list[dict]:
    return [{"soc_code": s.code, "soc_title": s.title} for s in soc_codes(value)]
