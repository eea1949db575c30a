"""diff and check on two snapshots with known differences."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.compare import check, diff
from pipeline.extract import extract
from tests.conftest import REPO
from tools.make_samples import html_page

YEAR = "2023-2024"


def _credential(name: str, **values: str) -> dict[str, str]:
    return {
        "Credential Name": name,
        "Credential Vendor Info": "Vendor\nhttps://vendor.example.org/",
        "Course Number and Title": "IM11 Advanced Manufacturing I",
        "Credential Lifespan": "3 years",
        "Exam Passing Requirement": "70% or higher",
        "Cost of Instructor Training": "$100.00\nonline",
        "SOC (Standard Occupational Classification) Code(s)": "Machinists (51-4041)",
        **values,
    }


OLD = {
    1: _credential("Alpha"),
    2: _credential("Bravo"),
    3: _credential("Charlie Old Name"),
    4: _credential("Delta"),
    5: _credential("Echo"),
}
NEW = {
    1: _credential(
        "Alpha",
        **{
            "Credential Lifespan": "5 years",
            "Exam Passing Requirement": "80% or higher",
            "Cost of Instructor Training": "$150.00\nonline",
        },
    ),
    2: _credential("Bravo"),
    3: _credential("Charlie New Name"),
    4: _credential("Delta"),
    6: _credential("Foxtrot", **{"SOC (Standard Occupational Classification) Code(s)": "Welders (51-4121)"}),
}


def _snapshot(root: Path, credentials: dict[int, dict[str, str]], markup_change: bool = False) -> Path:
    raw = root / "raw"
    rows = ["path,url,fetched_at,status,content_type,sha256,etag,last_modified"]
    for cred_id, values in credentials.items():
        page = html_page(YEAR, [values])
        if markup_change and cred_id == 4:  # same values, other markup and whitespace
            page = page.replace('<table class="table table-bordered cred-table">', "<table   border=1>\n")
            page = page.replace('<th scope="row">', "<td>\n  <b>").replace("</th>", "</b></td>")
        path = raw / YEAR / "html" / f"credential_{cred_id}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page)
        rows.append(
            f"html/credential_{cred_id}.html,https://h/credential_info.php?choice=credential&cred_id={cred_id},"
            "2026-11-20T12:00:00Z,200,text/html,,,"
        )
    (raw / YEAR / "manifest.csv").write_text("\n".join(rows) + "\n")
    extract(raw, root / "extracted")
    return root


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory):
    old = _snapshot(tmp_path_factory.mktemp("old"), OLD)
    new = _snapshot(tmp_path_factory.mktemp("new"), NEW, markup_change=True)
    return old, new


def _identity(cred_id, name, slug):
    return {"school_year": YEAR, "cred_id": cred_id, "credential_slug": slug, "credential_name": name}


def test_diff_json_report_is_exact(snapshots):
    old, new = snapshots
    report = diff.diff_outputs(old / "extracted", new / "extracted")
    assert report == {
        "old": str(old / "extracted"),
        "new": str(new / "extracted"),
        "counts": {
            "added": 1,
            "removed": 1,
            "renamed": 1,
            "changed": 1,
            "values": 4,
            "child_rows": 1,
            "schema": 0,
            "not_in_this_copy": 0,
            "not_in_old_copy": 0,
            "unseen": 0,
        },
        "schema": {},
        "incomplete": {"old": {}, "new": {}},
        "not_in_this_copy": [],
        "not_in_old_copy": [],
        "added": [_identity(6, "Foxtrot", "foxtrot")],
        "removed": [_identity(5, "Echo", "echo")],
        "renamed": [
            {
                **_identity(3, "Charlie New Name", "charlie-new-name"),
                "old_slug": "charlie-old-name",
                "old_name": "Charlie Old Name",
            }
        ],
        "changed": [
            {
                **_identity(1, "Alpha", "alpha"),
                "columns": [
                    {"column": "lifespan_years", "old": 3.0, "new": 5.0},
                    {"column": "lifespan_text", "old": "3 years", "new": "5 years"},
                    {"column": "passing_score_percent", "old": 70.0, "new": 80.0},
                    {"column": "passing_requirement_text", "old": "70% or higher", "new": "80% or higher"},
                ],
                "children": {  # one cost whose amount changed, not one removed and one added
                    "instructor_training_costs": {
                        "changed": [
                            {
                                "old": {"amount_usd": 100.0, "condition": "online"},
                                "new": {"amount_usd": 150.0, "condition": "online"},
                            }
                        ],
                    }
                },
            }
        ],
    }


def test_markup_only_change_is_not_a_change(snapshots):
    old, new = snapshots
    old_delta = (old / "raw" / YEAR / "html" / "credential_4.html").read_bytes()
    new_delta = (new / "raw" / YEAR / "html" / "credential_4.html").read_bytes()
    assert old_delta != new_delta
    report = diff.diff_outputs(old / "extracted", new / "extracted")
    assert "delta" not in json.dumps(report)


def test_json_is_stable_and_markdown_starts_with_counts(snapshots):
    old, new = snapshots
    report = diff.diff_outputs(old / "extracted", new / "extracted")
    assert diff.to_json(report) == diff.to_json(json.loads(diff.to_json(report)))
    markdown = diff.to_markdown(report)
    assert markdown.splitlines()[0].endswith(": 1 added, 1 removed, 1 renamed, 1 changed (4 values, 1 child rows)")
    assert "| ` Alpha (2023-2024) ` | lifespan_years | ` 3.0 ` | ` 5.0 ` |" in markdown
    assert "| ` 3 ` | ` Charlie Old Name ` | ` Charlie New Name ` |" in markdown


def test_diff_years_inside_the_committed_output():
    report = diff.diff_years(REPO / "extracted", "2023-2024", "2024-2025")
    assert [r["cred_id"] for r in report["removed"]] == [1240]
    assert sorted(r["cred_id"] for r in report["added"]) == [2109, 2110]
    assert [(r["cred_id"], r["old_name"], r["credential_name"]) for r in report["renamed"]] == [
        (1290, "Autodesk Certified User AutoCAD", "Autodesk Certified User: AutoCAD")
    ]


def test_diff_cli_json(snapshots):
    old, new = snapshots
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "diff", str(old / "extracted"), str(new / "extracted"), "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"] == {
        "added": 1,
        "removed": 1,
        "renamed": 1,
        "changed": 1,
        "values": 4,
        "child_rows": 1,
        "schema": 0,
        "not_in_this_copy": 0,
        "not_in_old_copy": 0,
        "unseen": 0,
    }


def test_diff_cli_names_a_missing_output(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "diff", str(tmp_path), str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 3 and "no parquet/ folder" in done.stderr


# --- check ---------------------------------------------------------------------------


def _check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "check", "--raw", str(root / "raw"), "--baseline", str(root / "extracted")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )


def test_check_exit_0_when_valid_and_current(tmp_path, snapshots):
    old, _ = snapshots
    root = tmp_path / "repo"
    shutil.copytree(old, root)
    done = _check(root)
    assert done.returncode == 0, done.stdout
    assert "valid, and extracted/ is current" in done.stdout


def test_check_exit_2_when_raw_changed_and_outputs_were_not_regenerated(tmp_path, snapshots):
    old, new = snapshots
    root = tmp_path / "repo"
    shutil.copytree(old, root)
    shutil.rmtree(root / "raw")
    shutil.copytree(new / "raw", root / "raw")
    done = _check(root)
    assert done.returncode == 2, done.stdout
    assert "credentials.csv" in done.stdout and "make regen" in done.stdout
    assert ": 1 added, 1 removed, 1 renamed, 1 changed" in done.stdout


def test_check_exit_1_on_invalid_entries(tmp_path, snapshots):
    old, _ = snapshots
    root = tmp_path / "repo"
    shutil.copytree(old, root)
    page = root / "raw" / YEAR / "html" / "credential_2.html"
    page.write_text(page.read_text().replace("Machinists (51-4041)", "Machinists (51-404)"))
    (root / "raw" / YEAR / "html" / "credential_7.html").write_bytes(b"")
    done = _check(root)
    assert done.returncode == 1, done.stdout
    assert "| ` 2023-2024/html/credential_7.html ` | ` empty file ` |" in done.stdout
    assert "- 1 rejected values or rows" in done.stdout


def test_check_without_raw_is_invalid_not_stale_and_says_so_in_the_report(tmp_path):
    (tmp_path / "extracted").mkdir()
    done = _check(tmp_path)
    assert done.returncode == 3
    assert done.stdout == (
        f"## Credential data check: usage error (exit 3)\n\n- ` no raw folder at {tmp_path / 'raw'} "
        "(give --raw) `\n\nNothing was checked; fix the command and run it again.\n"
    )


def test_check_result_api(tmp_path, snapshots):
    old, _ = snapshots
    result = check.check(old / "raw", tmp_path / "no-baseline")
    assert result.code == check.USAGE and result.usage.startswith(f"no baseline folder at {tmp_path / 'no-baseline'}")
