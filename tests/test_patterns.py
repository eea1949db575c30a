"""pipeline/patterns.py's one function, `label_prefix`: a label at the start of a line, any case and spacing, a
`*` and a `:` allowed after it. Expected prefixes written by hand. (The parsers reach it only through
read/labels.py's cache of compiled patterns, which mutmut's forked workers inherit filled: these call it.)"""

from __future__ import annotations

import pytest

from pipeline.patterns import label_prefix


@pytest.mark.parametrize(
    "label, line, prefix",
    [
        ("Credential Lifespan", "Credential Lifespan3 years", "Credential Lifespan"),
        ("Credential Lifespan", "  credential   LIFESPAN: 3 years", "  credential   LIFESPAN:"),
        ("Credential Lifespan", "Credential\tLifespan\n3 years", "Credential\tLifespan"),  # spaces after: not taken
        ("Credential Lifespan", "Credential Lifespan *: 3 years", "Credential Lifespan *:"),
        ("Credential Lifespan", "Credential Lifespan^*3 years", "Credential Lifespan^*"),
        ("Credential Lifespan", "Credential Lifespan :3 years", "Credential Lifespan :"),
        # a `*` in the label's own text (a required-field mark) is not part of what is matched
        ("Exam Fee*", "Exam Fee*: $35", "Exam Fee*:"),
        ("Exam Fee*", "exam fee $35", "exam fee"),
        # the label's characters are literal, never pattern syntax
        ("Cost (USD)", "cost (usd) 35", "cost (usd)"),
        ("Cost (USD)", "Cost USD 35", None),
        ("Cost.Fee", "CostXFee 35", None),
        # the words must be there, apart, and first
        ("Credential Lifespan", "CredentialLifespan3 years", None),
        ("Credential Lifespan", "The Credential Lifespan3 years", None),
        ("Credential Lifespan", "Credential 3 years", None),
    ],
)
def test_a_label_prefix_is_the_label_at_the_start_of_the_line_in_any_case_and_spacing(label, line, prefix):
    found = label_prefix(label).match(line)
    assert (found.group() if found else None) == prefix
