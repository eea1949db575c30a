"""The pull-request check shows the change (issue 20): the workflow's own diff step, run locally on two commits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline import cli
from tests.conftest import REPO
from tests.test_refresh import html

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="the step runs git under bash"
)
WORKFLOW = REPO / ".github" / "workflows" / "check-raw.yml"
YEAR = "2024-2025"
HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _write(repo: Path, pages: dict[int, bytes]) -> None:
    rows = []
    for number, data in pages.items():
        path = repo / "raw" / YEAR / "html" / f"credential_{number}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        rows.append(f"html/credential_{number}.html,https://h/credential_info.php?cred_id={number},,,,,,,sample\n")
    (repo / "raw" / YEAR / "manifest.csv").write_text(HEADER + "".join(rows))


def _extract(repo: Path) -> None:
    assert cli.main(["extract", "--raw", str(repo / "raw"), "--out", str(repo / "extracted"), "--no-cache"]) == 0


@pytest.fixture
def commits(tmp_path: Path) -> tuple[Path, str, str]:
    """A repository whose second commit changes one credential's lifespan, raw/ and extracted/ both."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _write(repo, {1: html(YEAR, "Alpha Welding"), 2: html(YEAR, "Bravo Nursing")})
    _extract(repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    base = _git(repo, "rev-parse", "HEAD")
    _write(repo, {1: html(YEAR, "Alpha Welding"), 2: html(YEAR, "Bravo Nursing", lifespan="5 years")})
    _extract(repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "head")
    return repo, base, _git(repo, "rev-parse", "HEAD")


def _diff_step() -> tuple[str, dict[str, str]]:
    """The workflow step that makes the report: its script and its environment, as the workflow has them."""
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["check"]["steps"]
    (step,) = [step for step in steps if step.get("id") == "check"]
    return step["run"], step["env"]


def _run_step(repo: Path, base: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, str, str]:
    script, env = _diff_step()
    assert env["PYTHON"] == ".venv/bin/python" and "pull_request.base.sha" in env["BASE_SHA"]
    output, summary = tmp_path / "output", tmp_path / "summary"
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "PYTHON": sys.executable,  # the workflow's .venv/bin/python, made by `make setup`
            "BASE_SHA": base,
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "PYTHONPATH": str(REPO),  # tools/ of this checkout
        },
    )
    return done, output.read_text(), summary.read_text()


def test_the_workflows_diff_step_on_two_commits_names_the_changed_credential(commits, tmp_path):
    repo, base, _ = commits
    done, output, summary = _run_step(repo, base, tmp_path)
    assert done.returncode == 0, done.stderr
    assert output == "code=0\n"
    report = (repo / "check-report.md").read_text()
    assert summary == report
    assert report.startswith("## Credential data check: valid, and extracted/ is current (exit 0)\n")
    change = report[report.index("## What this pull request changes in extracted/") :]
    assert "**base " + base[:12] + " → this pull request**: 0 added, 0 removed, 0 renamed, 1 changed" in change
    rows = [line for line in change.splitlines() if line.startswith("| ` ")]
    assert rows == [
        "| ` Bravo Nursing (2024-2025) ` | lifespan_years | ` 3.0 ` | ` 5.0 ` |",
        "| ` Bravo Nursing (2024-2025) ` | lifespan_text | ` 3 years ` | ` 5 years ` |",
    ]


def test_a_pull_request_that_changed_raw_but_not_extracted_is_stale_and_says_what_would_change(commits, tmp_path):
    repo, base, _ = commits
    _write(repo, {1: html(YEAR, "Alpha Welding", passing="80% or higher"), 2: html(YEAR, "Bravo Nursing")})
    done, output, _ = _run_step(repo, base, tmp_path)
    assert output == "code=2\n"
    report = (repo / "check-report.md").read_text()
    assert "## Credential data check: valid, but extracted/ is stale (exit 2)" in report
    assert "| ` Alpha Welding (2024-2025) ` | passing_score_percent | ` 70.0 ` | ` 80.0 ` |" in report  # fresh


def test_the_tool_compares_two_given_commits(commits):
    repo, base, head = commits
    done = subprocess.run(
        [sys.executable, "-m", "tools.pr_report", "--repo", str(repo), "--base", base, "--head", head],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert f"**base {base[:12]} → head {head[:12]}**: 0 added, 0 removed, 0 renamed, 1 changed" in done.stdout


def test_an_unknown_base_commit_is_a_usage_error_named_in_the_report(commits):
    repo, _, _ = commits
    done = subprocess.run(
        [sys.executable, "-m", "tools.pr_report", "--repo", str(repo), "--base", "no-such-commit"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 3
    assert done.stdout.startswith("## Credential data check: usage error (exit 3)\n\n- ` git ls-tree: ")


def test_forks_get_the_report_in_the_job_summary_and_only_same_repository_pull_requests_a_comment():
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["check"]["steps"]
    by_name = {step.get("name"): step for step in steps}
    comment = by_name["Post the report on the pull request"]
    assert "head.repo.full_name == github.repository" in comment["if"]
    assert "GITHUB_STEP_SUMMARY" in by_name["Check, and diff extracted/ against the base branch"]["run"]
    workflow = yaml.safe_load(WORKFLOW.read_text())
    paths = workflow[True]["pull_request"]["paths"]  # YAML 1.1 reads the key `on` as True
    assert "raw/**" in paths and "extracted/**" in paths
