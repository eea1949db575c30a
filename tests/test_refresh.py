"""The yearly refresh tells the truth about what changed (issue 20), run against a local stand-in site.

A small repository: 2023-2024 and 2024-2025 with three credentials each, 2025-2026 one cut archive copy
(an incomplete year). The stand-in serves 2024-2025 with one credential's passing requirement changed
and one page failing. Every expected value below is written by hand from the pages.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from tests.conftest import REPO
from tools.demo_site import Site, SiteServer

LIVE = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id="
HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"


def html(year: str, name: str, passing: str = "70% or higher", lifespan: str = "3 years") -> bytes:
    rows = [
        ("Credential Name", name),
        ("Credential Lifespan", lifespan),
        ("Exam Passing Requirement", passing),
        ("Directory Notes", "None"),
    ]
    cells = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    page = f"<html><body><h2>{year} Credential Information</h2><h3>{name}</h3><table>{cells}</table></body></html>"
    return page.encode()


NAMES = {1: "Alpha Welding", 2: "Bravo Nursing", 3: "Charlie Coding"}


def _year(raw: Path, year: str, pages: dict[str, bytes], origin: str = "sample") -> None:
    rows = []
    for rel, data in pages.items():
        (raw / year / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / year / rel).write_bytes(data)
        number = rel.rsplit("_", 1)[1].split(".")[0]
        rows.append(f"{rel},{LIVE}{number},2025-08-01T09:00:00Z,200,text/html,,,,{origin}\n")
    (raw / year / "manifest.csv").write_text(HEADER + "".join(rows))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    for year in ("2023-2024", "2024-2025"):
        _year(raw, year, {f"html/credential_{n}.html": html(year, name) for n, name in NAMES.items()})
    cut = b"2025-2026 Credential Information\n\nAlpha Welding\n\nCredential NameAlpha Welding\nCredential Lifespan3 ye"
    _year(raw, "2025-2026", {"text/credential_1.txt": cut}, origin="archive")
    assert (
        cli.main(["extract", "--raw", str(raw), "--out", str(tmp_path / "extracted"), "--cache", str(tmp_path / "c")])
        == 0
    )
    return tmp_path


def stand_in() -> Site:
    """2024-2025 as the stand-in serves it: Alpha's passing requirement is now 80%; Charlie's page fails."""
    site = Site(
        {
            ("credential", 1): html("2024-2025", "Alpha Welding", passing="80% or higher"),
            ("credential", 2): html("2024-2025", "Bravo Nursing"),
            ("credential", 3): html("2024-2025", "Charlie Coding"),
        }
    )
    site.faults[("credential", 3)] = ["status:500"] * 10
    return site


def _refresh(repo: Path, base_url: str, *extra: str) -> subprocess.CompletedProcess:
    args = ["refresh", "--year", "2024-2025", "--base-url", base_url, "--rate", "200", "--retries", "0"]
    paths = ["--raw", "raw", "--out", "extracted", "--reports", "reports", "--cache", "c", "--keep", "kept"]
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args, *paths, *extra],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.fixture
def refreshed(repo: Path) -> tuple[Path, subprocess.CompletedProcess, str]:
    with SiteServer(stand_in()) as server:
        done = _refresh(repo, server.base_url)
        return repo, done, server.base_url


def _report(repo: Path) -> str:
    (path,) = (repo / "reports").glob("refresh-2024-2025-*.md")
    return path.read_text()


def test_a_refresh_with_a_failed_page_exits_1_and_names_the_page_in_its_last_line(refreshed):
    repo, done, base = refreshed
    failed = f"{base}credential_info.php?choice=credential&cred_id=3"
    assert done.returncode == 1, done.stdout + done.stderr
    last = done.stdout.rstrip().splitlines()[-1]
    assert last.startswith(f"refresh 2024-2025: INCOMPLETE (exit 1): 1 page failed ({failed}); 2024-2025 is incomplete")
    assert _report(repo).rstrip().splitlines()[-1] == last
    assert f"| ` {failed} ` | ` gave up after 1 attempts: HTTP 500 ` |" in _report(repo)


def test_the_report_names_exactly_the_changed_credential_with_its_old_and_new_values(refreshed):
    repo, _, _ = refreshed
    report = _report(repo)
    changed = report[report.index("### What this refresh changed") :]
    assert "0 added, 0 removed, 0 renamed, 1 changed (2 values, 0 child rows)" in changed
    rows = [line for line in changed.splitlines() if line.startswith("| ` ")]
    assert rows == [
        "| ` Alpha Welding (2024-2025) ` | passing_score_percent | ` 70.0 ` | ` 80.0 ` |",
        "| ` Alpha Welding (2024-2025) ` | passing_requirement_text | ` 70% or higher ` | ` 80% or higher ` |",
    ]
    data = json.loads(next((repo / "reports").glob("refresh-2024-2025-*.json")).read_text())
    assert data["pages"]["written"] == 2 and data["exit"] == 1
    assert [change["credential_name"] for change in data["changes"]["changed"]] == ["Alpha Welding"]


def test_the_stand_ins_rows_are_mirror_and_the_failed_pages_old_copy_keeps_its_origin(refreshed):
    repo, _, _ = refreshed
    credentials = pd.read_parquet(repo / "extracted" / "parquet" / "credentials.parquet")
    year = credentials[credentials["school_year"] == "2024-2025"].set_index("credential_slug")
    assert year["source_origin"].to_dict() == {
        "alpha-welding": "mirror",
        "bravo-nursing": "mirror",
        "charlie-coding": "sample",  # its page failed: the old copy stays, and says where it came from
    }
    with (repo / "raw" / "2024-2025" / "manifest.csv").open() as handle:
        origins = {row["path"]: row["origin"] for row in csv.DictReader(handle)}
    assert origins == {
        "html/credential_1.html": "mirror",
        "html/credential_2.html": "mirror",
        "html/credential_3.html": "sample",
    }


def test_a_partial_year_shows_no_removed_credential(refreshed):
    repo, _, _ = refreshed
    out = repo / "extracted"
    coverage = pd.read_parquet(out / "parquet" / "coverage.parquet").set_index("school_year")
    assert coverage["complete"].to_dict() == {"2023-2024": True, "2024-2025": False, "2025-2026": False}
    assert coverage.loc["2024-2025", "failed"] == 1 and coverage.loc["2025-2026", "cut"] == 1
    changes = pd.read_parquet(out / "parquet" / "changes.parquet")
    assert "removed" not in set(changes["kind"])
    gone = changes[changes["kind"] == "not in this copy"]
    assert sorted(zip(gone["school_year"], gone["credential_slug"], strict=True)) == [
        ("2025-2026", "bravo-nursing"),
        ("2025-2026", "charlie-coding"),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "diff", "extracted", "--years", "2024-2025", "2025-2026"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert done.stdout.splitlines()[0] == (
        "**2024-2025 → 2025-2026**: 0 added, 0 removed, 0 renamed, 0 changed (0 values, 0 child rows); "
        "2 not in this copy"
    )
    assert "### Removed" not in done.stdout and "### Not in this copy" in done.stdout
    report = (out / "report.html").read_text()
    assert ">removed<" not in report.split("id=change-2025-2026", 1)[1].split("</table>", 1)[0]


def test_the_refresh_is_recorded_in_raw_and_becomes_rows_of_the_changes_table(refreshed):
    repo, _, base = refreshed
    record = json.loads((repo / "raw" / "2024-2025" / "refreshes.json").read_text())["refreshes"]
    assert len(record) == 1 and record[0]["since"] == "2025-08-01T09:00:00Z" and record[0]["origin"] == "mirror"
    assert list(record[0]["pages"]["failed"]) == [f"{base}credential_info.php?choice=credential&cred_id=3"]
    changes = pd.read_parquet(repo / "extracted" / "parquet" / "changes.parquet")
    mine = changes[changes["between"] == "refreshes"]
    assert mine[["school_year", "credential_slug", "column", "old", "new", "kind"]].values.tolist() == [
        ["2024-2025", "alpha-welding", "passing_requirement_text", "70% or higher", "80% or higher", "changed"],
        ["2024-2025", "alpha-welding", "passing_score_percent", "70.0", "80.0", "changed"],
    ]
    assert set(mine["since"]) == {"2025-08-01T09:00:00Z"} and set(mine["until"]) == {record[0]["refreshed_at"]}


def test_after_a_refresh_check_finds_the_outputs_current(refreshed):
    """The refresh's record lives in raw/, so a fresh extraction gives the outputs the refresh wrote."""
    repo, _, _ = refreshed
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "check", "--raw", "raw", "--baseline", "extracted"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    assert (repo / "kept" / "parquet" / "credentials.parquet").is_file()  # the previous outputs, kept


def test_a_first_year_refresh_has_nothing_to_compare_and_is_not_an_error(tmp_path):
    site = Site({("credential", n): html("2024-2025", name) for n, name in NAMES.items()})
    with SiteServer(site) as server:
        done = _refresh(tmp_path, server.base_url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().splitlines()[-1] == (
        "refresh 2024-2025: complete (exit 0): every page came home; this refresh: nothing to compare "
        "(no previous outputs)"
    )
    report = _report(tmp_path)
    assert "Nothing to compare: there were no previous outputs (a first refresh)." in report
    assert "Nothing to compare: ` " in report and "no credentials for school year 2023-2024" in report
    assert (tmp_path / "extracted" / "report.html").is_file()


def test_a_host_that_cannot_be_reached_is_a_failed_refresh_with_a_report(tmp_path):
    done = _refresh(tmp_path, "http://127.0.0.1:9/nccte-cms/")
    assert done.returncode == 1
    last = done.stdout.rstrip().splitlines()[-1]
    assert last.startswith("refresh 2024-2025: INCOMPLETE (exit 1): 1 page failed (http://127.0.0.1:9/nccte-cms/)")
    assert "no credential of 2024-2025 was read" in last
    assert not (tmp_path / "raw" / "2024-2025").exists()  # nothing came home: no empty year folder
    assert _report(tmp_path).rstrip().endswith(last)


def test_a_second_refresh_the_same_day_writes_a_second_report(repo):
    with SiteServer(stand_in()) as server:
        _refresh(repo, server.base_url)
        done = _refresh(repo, server.base_url)
    names = sorted(path.name for path in (repo / "reports").iterdir())
    day = names[0][len("refresh-2024-2025-") :][:10]
    assert names == [f"refresh-2024-2025-{day}{suffix}" for suffix in ("-2.json", "-2.md", ".json", ".md")]
    assert "this refresh: 0 added, 0 removed, 0 renamed, 0 changed" in done.stdout.splitlines()[-1]
    record = json.loads((repo / "raw" / "2024-2025" / "refreshes.json").read_text())["refreshes"]
    assert [len(item["changes"]) for item in record] == [2, 0]


def test_a_keep_folder_that_is_not_the_refreshs_is_refused_before_anything_is_fetched(repo):
    (repo / "kept").mkdir()
    (repo / "kept" / "notes.txt").write_text("mine")
    site = stand_in()
    with SiteServer(site) as server:
        done = _refresh(repo, server.base_url)
    assert done.returncode == 3
    assert (
        done.stderr.strip()
        == "error: --keep kept holds files a refresh did not keep there; choose a new or empty folder"
    )
    assert site.requests == [] and (repo / "kept" / "notes.txt").read_text() == "mine"


def test_a_cache_folder_holding_other_files_is_refused_before_anything_is_fetched(repo):
    (repo / "c" / "notes.txt").write_text("mine")  # beside the last extract's cache
    held = sorted((path.name, path.stat().st_mtime_ns) for path in (repo / "c").iterdir())
    site = stand_in()
    with SiteServer(site) as server:
        done = _refresh(repo, server.base_url)
    assert done.returncode == 3
    assert done.stderr.strip().startswith("error: --cache c ")
    assert site.requests == [] and (repo / "c" / "notes.txt").read_text() == "mine"
    assert sorted((path.name, path.stat().st_mtime_ns) for path in (repo / "c").iterdir()) == held


def _make(tmp_path: Path, *variables: str) -> subprocess.CompletedProcess:
    """`make refresh` from the repository's Makefile, in an empty folder, with this Python."""
    command = ["make", "-s", "-f", str(REPO / "Makefile"), "-o", ".venv/.installed", f"PY={sys.executable}"]
    return subprocess.run(
        [*command, "refresh", *variables],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make runs the refresh target")
@pytest.mark.parametrize(
    "variables, refused",
    [
        (["YEAR=x; touch pwned"], "error: --year must look like 2024-2025, not 'x; touch pwned'"),
        (["YEAR=2024-2025", "RATE=`touch pwned`"], "argument --rate: invalid float value: '`touch pwned`'"),
        (
            ["YEAR=2024-2025", 'BASE_URL="; touch pwned; "', "CONTACT=$$(touch pwned)"],
            """error: --base-url must be an http(s) URL with a host, not '"; touch pwned; "'""",
        ),
    ],
)
def test_make_refresh_never_runs_a_value_as_a_command(tmp_path, variables, refused):
    done = _make(tmp_path, *variables)
    assert refused in done.stderr and "Error 3" in done.stderr  # the pipeline's usage error, through make
    assert sorted(path.name for path in tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("make") is None, reason="make runs the refresh target")
def test_make_refresh_without_a_year_is_a_usage_error(tmp_path):
    done = _make(tmp_path)
    assert "usage: make refresh YEAR=2025-2026" in done.stderr and "Error 3" in done.stderr
