"""Adding a field is one field-map entry, one schema field and `make regen` (README "Adding a field", issue 22).

The test copies the repository, makes the two edits exactly as the README
prints them, runs `make regen` there, and then: a page's row fills the new
column, the committed outputs in the copy carry it, `check` is clean (exit 0),
and the tests that read the generated files pass in the copy. With
NCCTE_ADD_FIELD_SUITE=all the copy runs the whole suite instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REPO

PAGE = (
    "<html><body><h2>2024-2025 Credential Information</h2><h3>Welding Level 1</h3><table>"
    "<tr><th>Credential Name</th><td>Welding Level 1</td></tr>"
    "<tr><th>Exam Languages Offered</th><td>English and Spanish</td></tr>"
    "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
)
# Where the README says each line goes: the file, the line it follows.
ANCHORS = {"pipeline/site.py": '    Field("multilingual",', "schemas/tables.py": "    languages: Str = opt("}
# Tests that read what `make regen` rewrites (README sections, extracted/) or the field map and the schemas.
AFFECTED = [
    "tests/test_readme.py",
    "tests/test_exit_codes.py::test_the_readme_table_is_the_one_the_code_has",
    "tests/test_extract.py",
    "tests/test_parse_html.py",
    "tests/test_dataset.py",
    "tests/test_coverage_changes.py",
    "tests/test_field_map.py",
    "tests/test_table_facts.py",
]
# What a copy leaves out: version control, the environment, caches.
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".*_cache", ".hypothesis", ".cache", "mutants", "*.egg-info"
)


def readme_edits() -> dict[str, str]:
    """The README's two edits, as printed: the code line under each `# FILE, in ...` comment."""
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("### Adding a field") :]
    block = section[
        section.index("```python\n") + len("```python\n") : section.index("```\n", section.index("```python"))
    ]
    edits = dict(re.findall(r"^# (\S+), in [^\n]*\n(    \S[^\n]*\n)", block, flags=re.M))
    assert set(edits) == set(ANCHORS), block
    return edits


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=SKIP, symlinks=True)
    return copy


def _insert_after(path: Path, anchor: str, text: str) -> None:
    source = path.read_text()
    assert source.count(anchor) == 1, anchor
    at = source.index("\n", source.index(anchor)) + 1
    path.write_text(source[:at] + text + source[at:])


def _run(copy: Path, *command: str, timeout: int = 900) -> subprocess.CompletedProcess:
    # the copy's code, also in processes its tests start elsewhere (the installed package is the original's)
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=timeout, env=env)


def _extract_page(copy: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    raw = tmp_path / "page" / "2024-2025" / "html"
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "credential_5.html").write_text(PAGE)
    out = tmp_path / "page-out"
    shutil.rmtree(out, ignore_errors=True)
    return _run(
        copy, sys.executable, "-m", "pipeline", "extract", "--raw", str(raw.parents[1]), "--out", str(out), "--no-cache"
    )


def test_the_readme_shows_one_entry_and_one_schema_field():
    edits = readme_edits()
    assert edits["pipeline/site.py"].strip().startswith('Field("exam_languages", "Exam Languages Offered"')
    assert edits["schemas/tables.py"].strip().startswith("exam_languages: Str = opt(")


@pytest.mark.skipif(shutil.which("make") is None, reason="`make regen` is the step under test")
def test_the_readmes_two_edits_and_make_regen_leave_every_generated_file_current(tmp_path):
    copy = _copy(tmp_path)
    before = _extract_page(copy, tmp_path)
    assert before.returncode == 0, before.stderr
    assert "'Exam Languages Offered' x1" in before.stdout  # drift before the edits

    for name, line in readme_edits().items():
        _insert_after(copy / name, ANCHORS[name], line)
    after = _extract_page(copy, tmp_path)
    assert after.returncode == 0, after.stderr
    assert "schema drift labels: 0" in after.stdout
    assert pd.read_csv(tmp_path / "page-out" / "csv" / "credentials.csv").loc[0, "exam_languages"] == "English; Spanish"

    # `make regen` with this interpreter; `-o` keeps make from building a .venv in the copy
    regen = _run(copy, "make", "-s", "-o", ".venv/.installed", f"PY={sys.executable}", "regen")
    assert regen.returncode == 0, regen.stdout + regen.stderr
    readme = (copy / "README.md").read_text()
    assert "| exam_languages | str |  |  | Exam Languages Offered, `; `-joined (`English; Spanish`) |" in readme
    header = list(pd.read_csv(copy / "extracted" / "csv" / "credentials.csv", nrows=0).columns)
    assert header[header.index("languages") + 1] == "exam_languages"

    check = _run(copy, sys.executable, "-m", "pipeline", "check", "--raw", "raw", "--baseline", "extracted")
    assert check.returncode == 0, check.stdout + check.stderr

    tests = ["tests"] if os.environ.get("NCCTE_ADD_FIELD_SUITE") == "all" else AFFECTED
    suite = _run(
        copy,
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-x",
        "-p",
        "no:cacheprovider",
        f"--ignore=tests/{Path(__file__).name}",
        *tests,
        timeout=3600,
    )
    assert suite.returncode == 0, suite.stdout[-3000:] + suite.stderr[-2000:]
