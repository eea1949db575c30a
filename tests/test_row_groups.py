"""A worker validates label/value rows several row groups at a time and writes them a row group at a time:
every document must keep its own rows, rejects and drift, wherever it falls among the groups and batches.

The corpus is larger than one check (256 documents) and than one row group (64), so documents sit in the
second and third row group of a batch and in a second batch. Expected values are written from the pages below.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REPO

DOCUMENTS = 300
BAD_YEAR = (100, 270)  # in the second row group of the first check, and in the second check
DRIFT = 140  # a label no field names


def _page(number: int) -> str:
    year = "2023-2025" if number in BAD_YEAR else "2024-2025"
    drift = "<tr><td>Practice Test Provider</td><td>Acme Tests</td></tr>" if number == DRIFT else ""
    return (
        f"<html><body><h2>{year} Credential Information</h2><h3>Cred {number}</h3><table>"
        f"<tr><td>Credential Name</td><td>Cred {number}</td></tr>{drift}"
        f"<tr><td>Directory Notes</td><td>Note {number}</td></tr></table></body></html>"
    )


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("row-groups")
    folder = base / "raw" / "2024-2025" / "html"
    folder.mkdir(parents=True)
    for number in range(1, DOCUMENTS + 1):
        (folder / f"credential_{number}.html").write_text(_page(number), encoding="utf-8")
    done = subprocess.run(
        # one process: a pool would cut 300 documents into parts of 50, each a single row group
        [
            sys.executable,
            "-m",
            "pipeline",
            "extract",
            "--raw",
            str(base / "raw"),
            "--out",
            str(base / "out"),
            "--workers",
            "1",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return base / "out" / "csv"


def _number(source_path: str) -> int:
    return int(source_path.rsplit("_", 1)[1].removesuffix(".html"))


def test_every_document_keeps_its_own_label_rows_in_every_row_group(out):
    pairs = pd.read_csv(out / "label_values.csv", keep_default_na=False)
    notes = pairs[pairs["label_raw"] == "Directory Notes"]
    assert sorted(zip(notes["source_path"].map(_number), notes["value"], strict=True)) == [
        (number, f"Note {number}") for number in range(1, DOCUMENTS + 1)
    ]
    names = pairs[pairs["label_raw"] == "Credential Name"]
    assert sorted(zip(names["source_path"].map(_number), names["value"], strict=True)) == [
        (number, f"Cred {number}") for number in range(1, DOCUMENTS + 1)
    ]


def test_a_documents_rejects_and_drift_stay_with_it_beyond_the_first_row_group(out):
    pairs = pd.read_csv(out / "label_values.csv", keep_default_na=False)
    nulled = pairs[pairs["school_year"] == ""]
    assert sorted(set(nulled["source_path"].map(_number))) == list(BAD_YEAR)
    assert len(nulled) == 2 * len(BAD_YEAR)  # Credential Name and Directory Notes of each
    rejects = pd.read_csv(out / "rejects.csv", keep_default_na=False)
    label_rejects = rejects[rejects["table"] == "label_values"]
    assert sorted(label_rejects["source_path"].map(_number)) == [100, 100, 270, 270]
    assert set(label_rejects["check"]) == {"consecutive_school_year"}
    drift = pairs[pairs["label"] == ""]
    assert list(zip(drift["source_path"].map(_number), drift["label_raw"], drift["value"], strict=True)) == [
        (DRIFT, "Practice Test Provider", "Acme Tests")
    ]
