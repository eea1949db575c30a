"""Property tests (hypothesis): every normalizer and both text parsers, on any value.

On long, random and hostile values (runs of digits, spaces, `@`-less emails,
numbers of hundreds of digits) each function returns without an exception,
and in time linear in the value: a quadratic pattern takes minutes on these
100 KB values, a linear one milliseconds, so the bound below has a margin of
about a hundred and does not measure speed.
"""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import patterns
from pipeline.read.html import parse_html
from pipeline.read.labels import LABELS
from pipeline.read.text import parse_text
from pipeline.tables import normalize as n

SECONDS_PER_CALL = 3.0  # on 100 KB; linear code needs about 0.03 s
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# Pieces that made quadratic patterns slow: one of them repeated fills a value.
PIECES = [
    "9",
    "9.",
    "1-",
    "a",
    "a.",
    " ",
    "\t",
    "\n",
    "(",
    "( ",
    "$",
    "-",
    "%",
    "/",
    "@",
    "x@",
    "AB12 ",
    "http://",
    "OR ",
    "(1-",
    "^(",
    "= ",
    "Yes ",
    "POL ",
    "(LCO) ",
    "99 minutes ",
    "hours ",
]
long_values = st.builds(
    lambda piece, size: (piece * (size // len(piece) + 1))[:size], st.sampled_from(PIECES), st.integers(10_000, 100_000)
)
mixed_values = st.lists(st.sampled_from(PIECES), max_size=400).map("".join)
huge_numbers = st.integers(10**18, 10**600).map(str)
any_value = st.one_of(
    st.text(max_size=3000),
    long_values,
    mixed_values,
    st.builds(
        lambda number, unit: f"{number} {unit}",
        huge_numbers,
        st.sampled_from(["minutes", "hours", "years", "months", "%", "out of 1000"]),
    ),
)

NORMALIZERS = [
    n.clean_text,
    n.is_placeholder,
    n.slugify,
    n.leading_yes_no,
    n.yes_no,
    n.first_line,
    n.first_url,
    n.emails,
    n.phones,
    n.consultant,
    n.instructor_training,
    n.training_costs,
    n.lifespan_years,
    n.lifespan_lifetime,
    n.exam_minutes,
    n.passing_percent,
    n.delivery_modes,
    n.languages,
    n.courses,
    lambda value: n.course_flags(value, pol=True),
    lambda value: n.course_flags(value, pol=False),
    n.pathways,
    n.soc_codes,
]


def _timed(function, value):
    start = time.perf_counter()
    result = function(value)
    assert time.perf_counter() - start < SECONDS_PER_CALL, f"{function} took too long on {len(value)} chars"
    return result


@pytest.mark.parametrize("normalizer", NORMALIZERS, ids=lambda f: getattr(f, "__name__", "flags"))
@PROPERTY
@given(value=any_value)
def test_every_normalizer_takes_any_value_in_linear_time(normalizer, value):
    _timed(normalizer, value)


@PROPERTY
@given(value=any_value, label=st.sampled_from([label.text for label in LABELS]))
def test_both_text_renderings_take_any_value_in_linear_time(value, label):
    glued = f"2024-2025 Credential Information\n\nSome Credential\n\nCredential NameSome Credential\n{label}{value}\n"
    flattened = f"| Credential Name | Some Credential |\n| {label} | {value} |\n"
    for text in (glued, flattened, value):
        _timed(parse_text, text)


@PROPERTY
@given(value=any_value)
def test_html_takes_any_value_in_linear_time(value):
    _timed(
        parse_html,
        f"<h2>2024-2025 Credential Information</h2><h3>X</h3><table>"
        f"<tr><td>Credential Name</td><td>X</td></tr><tr><td>Retakes</td><td>{value}</td></tr></table>",
    )


# --- what the numbers must say, for any size ------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(number=st.integers(0, 10**500))
def test_minutes_are_exact_at_any_size(number):
    assert n.exam_minutes(f"{number} minutes") == number
    assert n.exam_minutes(f"{number} hours") == number * 60


@settings(max_examples=100, deadline=None)
@given(number=st.integers(1, 10**30))
def test_a_sign_is_never_dropped(number):
    assert n.lifespan_years(f"-{number} years") == -float(number)
    assert n.exam_minutes(f"Time: -{number} minutes") == -number
    assert n.passing_percent(f"-{number}%") == -float(number)


@settings(max_examples=100, deadline=None)
@given(low=st.integers(1, 99), high=st.integers(1, 99))
def test_a_hyphenated_range_is_not_a_sign(low, high):
    assert n.lifespan_years(f"{low}-{high} months") == round(high / 12, 4)


@settings(max_examples=100, deadline=None)
@given(digits=st.integers(0, 10**400).map(str))
def test_a_huge_percent_is_a_number_or_infinite_never_an_error(digits):
    percent = n.passing_percent(f"{digits}%")
    assert percent == float(digits) or math.isinf(percent)


@PROPERTY
@given(value=any_value)
def test_a_slug_is_empty_or_matches_the_schema(value):
    slug = n.slugify(value)
    assert slug == "" or patterns.NON_SLUG.search(slug.replace("-", "")) is None
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug


@PROPERTY
@given(value=any_value)
def test_clean_text_is_idempotent_and_has_no_double_space(value):
    cleaned = n.clean_text(value)
    assert n.clean_text(cleaned) == cleaned
    assert cleaned is None or ("  " not in cleaned and cleaned == cleaned.strip())


INVISIBLE = ["\u00ad", "\u200b", "\u2060", "\ufeff"]  # soft hyphen, zero-width space, word joiner, BOM


@given(
    label=st.sampled_from(LABELS),
    marks=st.lists(st.tuples(st.integers(0, 200), st.sampled_from(INVISIBLE)), min_size=1, max_size=4),
)
def test_a_label_keeps_its_key_wherever_characters_that_show_nothing_sit_in_it(label, marks):
    from pipeline.read.labels import canonical_label

    text = label.text
    for at, mark in marks:
        at %= len(text) + 1
        text = text[:at] + mark + text[at:]
    assert canonical_label(text) == label.key


@given(
    local=st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True),
    domain=st.from_regex(r"[a-z0-9]{1,12}(\.[a-z0-9]{1,12}){0,2}\.[a-z]{2,6}", fullmatch=True),
    web=st.sampled_from(["https://", "http://", "www.", "HTTPS://"]),
    rest=st.from_regex(r"[a-z0-9./-]{0,30}", fullmatch=True),
)
def test_an_email_glued_to_a_web_address_ends_where_the_address_begins(local, domain, web, rest):
    glued = f"{local}@{domain}{web}{rest}"
    if "http" in domain or "www." in domain:  # the glue is already in the domain: nothing to tell apart
        return
    assert n.emails(glued) == [f"{local}@{domain}".strip(".")]
