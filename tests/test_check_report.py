"""What CI and staff read (issue 12): `check` names every problem, `diff` says what changed, plainly.

A small raw/ of glued-text pages is extracted into a baseline; each test
plants one problem and runs the command line on it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as parquet
import pytest

from pipeline import cli
from tests.test_bad_input import page

YEAR = "2024-2025"
HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"


@pytest.fixture
def repo(tmp_path: Path, capsys) -> Path:
    text = tmp_path / "raw" / YEAR / "text"
    text.mkdir(parents=True)
    (text / "credential_1.txt").write_bytes(
        page(
            "Certified Production Technician",
            "Exam Passing Requirement70%",
            "SOC (Standard Occupational Classification) Code(s)Machinists (51-4041)",
        )
    )
    (text / "credential_2.txt").write_bytes(page("ServSafe Food Handler", "Credential Lifespan3 years"))
    assert (
        _run(capsys, "extract", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "extracted"), "--no-cache")[0]
        == 0
    )
    return tmp_path


def _run(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(list(args))
    return code, capsys.readouterr().out


def _check(repo: Path, capsys, *extra: str) -> tuple[int, str]:
    return _run(capsys, "check", "--raw", str(repo / "raw"), "--baseline", str(repo / "extracted"), *extra)


def _plant(repo: Path, name: str, *pairs: str) -> None:
    (repo / "raw" / YEAR / "text" / "credential_1.txt").write_bytes(page(name, *pairs))


def _outside_code_spans(markdown: str) -> str:
    return re.sub(r"(`+) .*? \1", "", markdown)


def test_valid_and_current_is_exit_0(repo, capsys):
    code, report = _check(repo, capsys)
    assert code == 0 and report == "## Credential data check: valid, and extracted/ is current (exit 0)\n"


def test_a_rejected_value_is_named_with_its_credential_column_check_value_and_file(repo, capsys):
    _plant(repo, "Certified Production Technician", "Exam Passing Requirement900 out of 500")
    code, report = _check(repo, capsys)
    assert code == 1
    assert "- 1 rejected values or rows" in report
    assert (
        "| ` credentials ` | ` 2024-2025/certified-production-technician ` | ` passing_score_percent ` | "
        "` less_than_or_equal_to(100) ` | ` 900 out of 500 ` | ` 180.0 ` | ` 2024-2025/text/credential_1.txt ` |"
    ) in report


def test_schema_drift_fails_the_check_and_names_file_label_and_value(repo, capsys):
    (repo / "raw" / YEAR / "html").mkdir()
    (repo / "raw" / YEAR / "html" / "credential_3.html").write_text(
        "<html><body><h2>2024-2025 Credential Information</h2><h3>Welding</h3><table>"
        "<tr><th>Credential Name</th><td>Welding</td></tr><tr><th>Exam Fee</th><td>$95.00</td></tr>"
        "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
    )
    code, report = _check(repo, capsys)
    assert code == 1
    assert "- 1 schema drift labels (map them, or list them as known: see README)" in report
    assert "| ` 2024-2025/html/credential_3.html ` | ` Exam Fee ` | ` $95.00 ` |" in report


def test_page_text_in_the_report_cannot_become_links_images_tags_or_mentions(repo, capsys):
    (repo / "raw" / YEAR / "html").mkdir()
    hostile = (
        "![x](https://evil.example/p.png) <img src=x onerror=alert(1)> @octocat [click](https://evil.example) `tick`"
    )
    (repo / "raw" / YEAR / "html" / "credential_3.html").write_text(
        "<html><body><h2>2024-2025 Credential Information</h2><h3>Welding</h3><table>"
        "<tr><th>Credential Name</th><td>Welding</td></tr>"
        f"<tr><th>Exam Fee | @octocat</th><td>{hostile.replace('<', '&lt;')}</td></tr>"
        "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
    )
    code, report = _check(repo, capsys)
    assert code == 1
    assert (
        "`` ![x](https://evil.example/p.png) <img src=x onerror=alert(1)> @octocat [click](https://evil.example) "
        "`tick` ``" in report
    )
    rest = _outside_code_spans(report)
    for active in ("octocat", "evil.example", "<img", "!["):
        assert active not in rest


def test_a_stale_baseline_that_differs_only_in_label_values_says_what_differs(repo, capsys):
    _plant(
        repo,
        "Certified Production Technician",
        "Exam Passing Requirement70%",
        "SOC (Standard Occupational Classification) Code(s)Machinists (51-4041)",
        "Renewal Options",
    )
    code, report = _check(repo, capsys)
    assert code == 2
    # The new empty pair is one more label_values row and moves Directory Notes to the next position;
    # the page's bytes changed, so the credential's source_sha256 (provenance) changed too.
    assert "| ` csv/label_values.csv ` | ` 2 rows only in the fresh extraction, 1 only in the baseline ` |" in report
    assert (
        "| ` parquet/label_values.parquet ` | ` 2 rows only in the fresh extraction, 1 only in the baseline ` |"
        in report
    )
    assert "| ` csv/credentials.csv ` | ` 1 rows only in the fresh extraction, 1 only in the baseline ` |" in report
    assert report.rstrip().endswith(
        "No typed value or child row changed: only the outputs listed under Stale "
        "outputs differ (provenance such as source_sha256, label_values, the summary)."
    )


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda path: path.write_bytes(b"garbage, not parquet"), "cannot be read (ArrowInvalid)"),
        (lambda path: path.unlink(), "missing from the baseline"),
        (
            lambda path: parquet.write_table(parquet.read_table(path).slice(0, 1), path),
            "1 rows only in the fresh extraction, 0 only in the baseline",
        ),
    ],
)
def test_every_committed_output_is_compared_parquet_included(repo, capsys, damage, expected):
    damage(repo / "extracted" / "parquet" / "credentials.parquet")
    code, report = _check(repo, capsys)
    assert code == 2
    assert f"| ` parquet/credentials.parquet ` | ` {expected} ` |" in report


def test_a_typo_in_baseline_is_a_usage_error_named_in_the_report(repo, capsys):
    code, report = _check(repo, capsys, "--baseline", str(repo / "extractd"))
    assert code == 3
    assert report.startswith("## Credential data check: usage error (exit 3)\n\n- ` no baseline folder at ")


def test_json_check_lists_every_problem(repo, capsys):
    _plant(repo, "Certified Production Technician", "Exam Passing Requirement900 out of 500")
    code, out = _check(repo, capsys, "--format", "json")
    result = json.loads(out)
    assert code == 1 and result["exit"] == 1
    assert [(r["column"], r["failure_case"]) for r in result["rejects"]] == [("passing_score_percent", "180.0")]


# --- diff ------------------------------------------------------------------------------------


def test_diff_exit_code_is_1_on_changes_and_0_without(repo, capsys):
    other = repo / "other"
    shutil.copytree(repo / "extracted", other)
    assert _run(capsys, "diff", str(repo / "extracted"), str(other), "--exit-code")[0] == 0
    _plant(
        repo,
        "Certified Production Technician",
        "Exam Passing Requirement80%",
        "SOC (Standard Occupational Classification) Code(s)Machinists (51-4041)",
    )
    _run(capsys, "extract", "--raw", str(repo / "raw"), "--out", str(other), "--no-cache")
    code, report = _run(capsys, "diff", str(repo / "extracted"), str(other), "--exit-code")
    assert code == 1
    assert report.splitlines()[0].endswith(": 0 added, 0 removed, 0 renamed, 1 changed (2 values, 0 child rows)")
    assert "### Changed values (2)" in report
    assert _run(capsys, "diff", str(repo / "extracted"), str(other))[0] == 0


def test_diff_shows_child_rows_with_column_names_and_csv_booleans(repo, capsys):
    other = repo / "other"
    _plant(
        repo,
        "Certified Production Technician",
        "Exam Passing Requirement70%",
        "SOC (Standard Occupational Classification) Code(s)Machinists (51-4041)",
        "Course Number and TitleIM11 Advanced Manufacturing I (LCO)",
    )
    _run(capsys, "extract", "--raw", str(repo / "raw"), "--out", str(other), "--no-cache")
    code, report = _run(capsys, "diff", str(repo / "extracted"), str(other))
    assert (
        "| ` Certified Production Technician (2024-2025) ` | credential_courses | added | "
        "` course_code=IM11, course_title=Advanced Manufacturing I, lco=true ` |"
    ) in report


def test_a_column_in_only_one_output_is_a_schema_change_not_every_row(repo, capsys):
    other = repo / "other"
    shutil.copytree(repo / "extracted", other)
    path = other / "parquet" / "credentials.parquet"
    table = parquet.read_table(path)
    parquet.write_table(table.append_column("exam_fee_usd", [[95.0] * table.num_rows]), path)
    code, report = _run(capsys, "diff", str(repo / "extracted"), str(other), "--format", "json")
    result = json.loads(report)
    assert result["schema"] == {"credentials": {"added_columns": ["exam_fee_usd"], "removed_columns": []}}
    assert result["changed"] == [] and result["counts"]["schema"] == 1


def test_diff_of_a_garbage_parquet_is_one_line(repo, capsys):
    other = repo / "other"
    shutil.copytree(repo / "extracted", other)
    (other / "parquet" / "credentials.parquet").write_bytes(b"not parquet at all")
    code = cli.main(["diff", str(repo / "extracted"), str(other)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"error: {other / 'parquet' / 'credentials'}.parquet cannot be read (ArrowInvalid: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--years", "2024-2025", "2023-2024"], "--years 2024-2025 2023-2024: give the older school year first"),
        (["OTHER", "--years", "2023-2024", "2024-2025"], "give NEW_OUT or --years OLD_YEAR NEW_YEAR, not both"),
    ],
)
def test_diff_refuses_arguments_that_cannot_be_right(repo, capsys, args, message):
    args = [str(repo / "extracted") if arg == "OTHER" else arg for arg in args]
    code = cli.main(["diff", str(repo / "extracted"), *args])
    assert code == 3 and capsys.readouterr().err == f"error: {message}\n"


def test_extract_refuses_zero_workers(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["extract", "--workers", "0"])
    assert stopped.value.code == 3 and "must be 1 or more, not 0" in capsys.readouterr().err


# --- the command line explains itself ---------------------------------------------------------


@pytest.mark.parametrize("command", ["extract", "scrape", "diff", "check", "report"])
def test_help_has_a_description_defaults_an_example_and_loads_no_pandas(command):
    import subprocess
    import sys

    program = (
        "import sys; from pipeline import cli\ntry:\n    cli.main([sys.argv[1], '--help'])\n"
        "except SystemExit:\n    pass\nprint('pandas loaded' if 'pandas' in sys.modules else 'no pandas')"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, command],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.stdout.rstrip().endswith("no pandas")
    assert "examples:\n  nccte " + command in done.stdout and "exit codes:\n  0    ok: " in done.stdout
    if command in ("extract", "check", "report"):
        assert "(default: " in done.stdout


def test_version_and_the_installed_command():
    import subprocess
    import sys

    from pipeline import __version__

    nccte = Path(sys.executable).parent / "nccte"
    done = subprocess.run([str(nccte), "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == f"nccte {__version__}\n"
