"""The field map (site.FIELDS) and its normalizers agree by column name, or the code does not start.

A whole-field normalizer names the columns it fills and returns its values by
those names; rows.py assigns them by name. A field-map entry whose columns are
not the normalizer's (a swap, a typo, one missing or one too many) is refused
when site.py is imported, with a message naming the field and both lists.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import site
from pipeline.tables import normalize as n
from tests.conftest import REPO

# A page whose every value is written by hand, with what each column must read.
PAGE = (
    "<html><body><h2>2024-2025 Credential Information</h2><h3>Welding Level 1</h3><table>"
    "<tr><th>Credential Name</th><td>Welding Level 1</td></tr>"
    "<tr><th>Credential Lifespan</th><td>3 years</td></tr>"
    "<tr><th>Delivery Format</th><td>Paper and pencil</td></tr>"
    "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
)

# Two columns of one field, swapped in the field map. Before names were checked, extract exited 0 with both: the
# lifespan swap left one reject that blamed the page (`3 years` is not a number), the delivery swap nothing at all.
SWAPS = [
    (
        '("lifespan_years", "lifespan_lifetime", "lifespan_text")',
        '("lifespan_text", "lifespan_lifetime", "lifespan_years")',
    ),
    (
        '("delivery_format", "delivery_online", "delivery_paper", "delivery_performance")',
        '("delivery_format", "delivery_paper", "delivery_online", "delivery_performance")',
    ),
]


def _code_copy(tmp_path: Path) -> Path:
    code = tmp_path / "code"
    for package in ("pipeline", "schemas"):
        shutil.copytree(REPO / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    return code


def _extract(code: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    raw = tmp_path / "raw" / "2024-2025" / "html"
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "credential_5.html").write_text(PAGE)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", "--raw", str(tmp_path / "raw"), "--out", str(out), "--no-cache"],
        cwd=code,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done, out


def test_the_page_fills_each_column_by_its_name(tmp_path):
    done, out = _extract(_code_copy(tmp_path), tmp_path)
    assert done.returncode == 0, done.stderr
    row = pd.read_csv(out / "csv" / "credentials.csv").iloc[0]
    assert (row["lifespan_years"], row["lifespan_text"]) == (3.0, "3 years")
    assert (row["delivery_online"], row["delivery_paper"]) == (False, True)


@pytest.mark.parametrize(("columns", "swapped"), SWAPS, ids=["lifespan", "delivery"])
def test_two_columns_swapped_in_the_field_map_stop_the_code_loudly(tmp_path, columns, swapped):
    code = _code_copy(tmp_path)
    site = code / "pipeline" / "site.py"
    source = site.read_text()
    assert source.count(columns) == 1
    site.write_text(source.replace(columns, swapped))
    done, out = _extract(code, tmp_path)
    assert done.returncode != 0
    assert not out.exists()
    names = swapped.strip("()").replace('"', "")
    assert f"lists {names}, but its normalizer fills" in done.stderr.strip().splitlines()[-1]


# --- the same rules, on the field map's own objects ------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "normalizer", "says"),
    [
        (("exam_minutes", "exam_time_text"), n.exam_time, None),
        (("exam_time_text", "exam_minutes"), n.exam_time, "lists exam_time_text, exam_minutes, but its normalizer"),
        (("exam_minutes",), n.exam_time, "lists exam_minutes, but its normalizer fills exam_minutes, exam_time_text"),
        (("exam_minutes", "exam_time_text", "x"), n.exam_time, "but its normalizer fills exam_minutes, exam_time_text"),
        (("proctored", "proctored_note"), n.yes_no, "but normalize.yes_no returns one value"),
        (("proctored",), None, "columns and a normalizer go together"),
        ((), n.yes_no, "columns and a normalizer go together"),
    ],
)
def test_an_entry_lists_exactly_the_columns_its_normalizer_names(columns, normalizer, says):
    if says is None:
        assert site.Field("exam_time", "Exam Time Allotment", columns, normalizer).columns == columns
        return
    with pytest.raises(site.FieldMapError, match=re.escape(says)):
        site.Field("exam_time", "Exam Time Allotment", columns, normalizer)


def test_a_key_label_or_column_given_twice_makes_the_field_map_ambiguous():
    fields = (
        *site.FIELDS,
        site.Field("exam_time_2", "Exam Time Allotment", ("exam_minutes",), n.exam_minutes),
        site.Field("notes", "Notes", ("notes",), n.clean_text, also=("no_such_label",)),
    )
    assert site.map_problems(fields) == [
        "label 'Exam Time Allotment' is given by more than one entry",
        "column 'exam_minutes' is given by more than one entry",
        "'notes' reads 'no_such_label', which is no label",
    ]
    assert site.map_problems(site.FIELDS) == []


WHOLE_FIELDS = [entry for entry in site.FIELDS if n.columns_of(entry.normalize)]


@pytest.mark.parametrize("entry", WHOLE_FIELDS, ids=lambda entry: entry.key)
@given(value=st.one_of(st.none(), st.text(max_size=200)))
@settings(max_examples=60, deadline=None)
def test_a_normalizer_of_several_columns_returns_a_value_for_each_by_name(entry, value):
    values = entry.normalize(value, *(None for _ in entry.also))
    assert list(values) == list(entry.columns)
