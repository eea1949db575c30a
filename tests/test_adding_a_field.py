"""Adding a label with one typed column is one field-map entry and one schema field (README, issue 14).

The test makes exactly the two edits the README shows, in a copy of the code,
and extracts a page through a real process: the new column is filled and the
label is no longer schema drift.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from tests.conftest import REPO

FIELD_ENTRY = '    Field("exam_languages", "Exam Languages Offered", ("exam_languages",), "languages"),\n'
SCHEMA_FIELD = '    exam_languages: Str = opt("Exam Languages Offered, `; `-joined (`English; Spanish`)")\n'
PAGE = (
    "<html><body><h2>2024-2025 Credential Information</h2><h3>Welding Level 1</h3><table>"
    "<tr><th>Credential Name</th><td>Welding Level 1</td></tr>"
    "<tr><th>Exam Languages Offered</th><td>English and Spanish</td></tr>"
    "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
)


def _insert_after(path: Path, anchor: str, text: str) -> None:
    source = path.read_text()
    at = source.index("\n", source.index(anchor)) + 1
    path.write_text(source[:at] + text + source[at:])


def _extract(code: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    raw = tmp_path / "raw" / "2024-2025" / "html"
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "credential_5.html").write_text(PAGE)
    out = tmp_path / f"out-{code.name}"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", "--raw", str(tmp_path / "raw"), "--out", str(out), "--no-cache"],
        cwd=code,
        capture_output=True,
        text=True,
    )
    return done, out


def test_one_field_entry_and_one_schema_field_add_a_typed_column(tmp_path):
    code = tmp_path / "code"
    for package in ("pipeline", "schemas"):
        shutil.copytree(REPO / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    before, _ = _extract(code, tmp_path)
    assert "'Exam Languages Offered' x1" in before.stdout  # drift before the edits

    _insert_after(code / "pipeline" / "site.py", 'Field("directory_notes"', FIELD_ENTRY)
    _insert_after(code / "schemas" / "tables.py", "    languages: Str = opt(", SCHEMA_FIELD)
    after, out = _extract(code, tmp_path)
    assert after.returncode == 0, after.stderr
    assert "schema drift labels: 0" in after.stdout
    credentials = pd.read_csv(out / "csv" / "credentials.csv")
    assert credentials.loc[0, "exam_languages"] == "English; Spanish"
