"""Tests that name a rule and kill its semantic mutant (tests/semantic_mutants.py lists rule -> mutant -> test).

Expected values are written by hand from the page text or the contract, never computed by the pipeline.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli, history, refresh
from pipeline.compare import diff
from pipeline.extract import extract
from pipeline.fetch.urls import URLError, normalise
from pipeline.read.documents import decode
from pipeline.read.html import parse_html
from pipeline.read.labels import canonical_label, fold
from pipeline.read.pdf_listing import may_be_listing
from pipeline.read.text import parse_text
from pipeline.site import FIELDS
from pipeline.tables import normalize, validate
from tests import semantic_mutants

HEADING = "2023-2024 Credential Information\n\n"


def _block(name: str, *pairs: str, notes: bool = True) -> str:
    lines = [f"Credential Name{name}", *pairs] + (["Directory NotesNone"] if notes else [])
    return f"{name}\n\n" + "\n".join(lines) + "\n\n"


def _write(raw: Path, rel: str, text: str) -> None:
    path = raw / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _html(name: str, *rows: tuple[str, str], year: str = "2023-2024") -> str:
    cells = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    return (
        f"<html><body><h2>{year} Credential Information</h2><h3>{name}</h3><table>"
        f"<tr><th>Credential Name</th><td>{name}</td></tr>{cells}"
        "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
    )


def test_a_slug_is_trimmed_of_dashes_at_both_ends():
    """CONTRACT 5 Names and keys: every run outside a-z0-9 becomes `-`, then `-` is trimmed."""
    assert normalize.slugify("  (C++) Certified Associate Programmer!  ") == "c-certified-associate-programmer"


# --- CONTRACT 5 "One credential, several sources" -------------------------------------------------------------


def test_child_rows_come_from_a_lower_source_when_the_best_has_none(tmp_path):
    """Child rows come from the best-ranked source that has ANY: the HTML page (best) lists no SOC code, the
    text copy lists one, so the SOC row is the text copy's."""
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/html/credential_1310.html", _html("ServSafe Food Handler"))
    text = _block(
        "ServSafe Food Handler", "SOC (Standard Occupational Classification) Code(s)Chefs and Head Cooks (35-1011)"
    )
    _write(raw, "2023-2024/text/credential_1310.txt", HEADING + text)
    tables = extract(raw, tmp_path / "out").tables
    soc = tables["credential_soc_codes"]
    assert list(zip(soc["soc_code"], soc["soc_title"], soc["source_path"], strict=True)) == [
        ("35-1011", "Chefs and Head Cooks", "2023-2024/text/credential_1310.txt")
    ]
    assert tables["credentials"].loc[0, "source_path"] == "2023-2024/html/credential_1310.html"


def test_a_complete_source_whose_value_starts_the_chosen_one_is_a_conflict(tmp_path):
    """Only a CUT source's value is explained by the cut: two complete copies, one saying `American Culinary`
    and the better one `American Culinary Federation`, are a conflict."""
    raw = tmp_path / "raw"
    _write(
        raw,
        "2023-2024/html/credential_5.html",
        _html("Certified Fundamentals Cook (CFC)", ("Renewal Options", "Every five years and a fee")),
    )
    _write(
        raw,
        "2023-2024/text/credential_5.txt",
        HEADING + _block("Certified Fundamentals Cook (CFC)", "Renewal OptionsEvery five years"),
    )
    conflicts = extract(raw, tmp_path / "out").tables["conflicts"]
    assert list(zip(conflicts["column"], conflicts["chosen"], conflicts["other"], strict=True)) == [
        ("renewal_options", "Every five years and a fee", "Every five years")
    ]


# --- normalizers: which of two forms wins ---------------------------------------------------------------------


def test_the_strongest_training_level_wins_when_it_is_written_first():
    """Instructor training: of the leading requirement words, the strongest wins, wherever it stands."""
    assert normalize.instructor_training("Required; recommended: a two-day workshop") == (
        "required",
        "a two-day workshop",
    )
    assert normalize.instructor_training("Recommended, required for proctors") == ("required", "for proctors")


def test_the_score_form_written_first_wins():
    """Passing score: a percent and a ratio in one value, the first one written is the score."""
    assert normalize.passing_percent("80% on the written test; 7/10 on the practical") == 80.0
    assert normalize.passing_percent("7 out of 10 questions, or 80% overall") == 70.0


# --- CONTRACT 5 "Comparisons": diff ----------------------------------------------------------------------------


def _output(root: Path, pages: dict[str, str]) -> Path:
    raw = root / "raw"
    for rel, text in pages.items():
        _write(raw, rel, text)
    extract(raw, root / "out")
    return root / "out"


def test_diff_matches_on_cred_id_before_the_slug(tmp_path):
    """Credential 5 renamed, and a new credential 6 took its old name: 5 is renamed and 6 is added, not 6
    matched to the old 5 by its name."""
    old = _output(tmp_path / "old", {"2023-2024/text/credential_5.txt": HEADING + _block("BLS Provider")})
    new = _output(
        tmp_path / "new",
        {
            "2023-2024/text/credential_5.txt": HEADING + _block("Basic Life Support Provider"),
            "2023-2024/text/credential_6.txt": HEADING + _block("BLS Provider"),
        },
    )
    report = diff.diff_outputs(old, new)
    assert [(r["cred_id"], r["old_name"], r["credential_name"]) for r in report["renamed"]] == [
        (5, "BLS Provider", "Basic Life Support Provider")
    ]
    assert [(r["cred_id"], r["credential_name"]) for r in report["added"]] == [(6, "BLS Provider")]
    assert report["removed"] == []


def test_diff_reports_a_draft_turning_final(tmp_path):
    """is_draft is compared: the same page, a draft last year's copy and final now, is a change of is_draft."""
    draft = (
        "2024-2025 Credential Information\n\nWARNING: This information is considered DRAFT until August 22, 2025.\n\n"
    )
    final = "2024-2025 Credential Information\n\n"
    page = _block("BLS Provider", "Credential Lifespan2 years")
    old = _output(tmp_path / "old", {"2024-2025/text/credential_5.txt": draft + page})
    new = _output(tmp_path / "new", {"2024-2025/text/credential_5.txt": final + page})
    report = diff.diff_outputs(old, new)
    assert [change["columns"] for change in report["changed"]] == [[{"column": "is_draft", "old": True, "new": False}]]


def test_an_email_item_carries_no_leading_dots():
    """Items are found by shape and carry no punctuation of the sentence around them (an ellipsis before it)."""
    assert normalize.emails("Vouchers: ...vouchers@nocti.org") == ["vouchers@nocti.org"]


# --- validation: rows of one school year join rows of the same school year ----------------------------------


def test_a_child_row_of_a_credential_known_only_in_another_year_is_an_orphan():
    """Credentials by Course rows and child rows join to credentials on (school_year, credential_slug): a slug
    that exists only in 2023-2024 does not keep a 2024-2025 child row."""
    credentials = pd.DataFrame({"school_year": ["2023-2024"], "credential_slug": ["bls-provider"]})
    children = pd.DataFrame(
        {
            "school_year": ["2023-2024", "2024-2025"],
            "credential_slug": ["bls-provider", "bls-provider"],
            "soc_code": ["29-2042", "29-2042"],
            "source_path": ["2023-2024/text/credential_5.txt", "2024-2025/text/credential_5.txt"],
        }
    )
    kept, rejects = validate.drop_orphans("credential_soc_codes", children, credentials)
    assert list(kept["school_year"]) == ["2023-2024"]
    assert [(r["column"], r["check"], r["source_path"]) for r in rejects] == [
        ("credential_slug", "credential_row_exists", "2024-2025/text/credential_5.txt")
    ]


def test_only_years_with_a_listing_are_cross_checked():
    """A year without a Credentials by Course listing has nothing to cross-check its pages against."""
    listing = pd.DataFrame({"school_year": ["2023-2024"], "course_code": ["IM11"], "credential_slug": ["osha-10"]})
    courses = pd.DataFrame(
        {
            "school_year": ["2023-2024", "2024-2025"],
            "course_code": ["IM11", "IM12"],
            "credential_slug": ["osha-10", "osha-10"],
        }
    )
    assert validate.cross_check_courses(listing, courses) == []
    courses.loc[1, "school_year"] = "2023-2024"
    assert validate.cross_check_courses(listing, courses) == [
        "2023-2024 IM12 / osha-10: on the credential's page, not in Credentials by Course"
    ]


def test_a_pol_flag_is_no_diploma_endorsement():
    """Diploma endorsement is only set from `CODE = Yes/No`; `CODE POL = Yes` is the POL flag, never an
    endorsement (README: course-level diploma endorsement)."""
    assert normalize.diploma_endorsement("IM11 POL = Yes\nFH13 = No") is False
    assert normalize.course_flags("IM11 POL = Yes  FH13 = No", pol=False) == [normalize.CourseFlag("FH13", False, None)]


# --- check: what makes the data invalid, and what makes outputs stale -------------------------------------------


def _checked_repo(tmp_path: Path) -> tuple[Path, Path]:
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("BLS Provider", "Credential Lifespan2 years"))
    assert cli.main(["extract", "--raw", str(raw), "--out", str(tmp_path / "extracted"), "--no-cache"]) == 0
    return raw, tmp_path / "extracted"


def test_check_finds_manifest_problems_invalid(tmp_path, capsys):
    """check exits 1 on manifest problems (README exit codes: `invalid: ... manifest problems`), not 2: the
    outputs are stale too (the summary lists the problem), but invalid input comes first."""
    raw, baseline = _checked_repo(tmp_path)
    (raw / "2023-2024" / "manifest.csv").write_text(
        "path,url,fetched_at,status,content_type,sha256,etag,last_modified\n"
        ",https://center.ncsu.edu/nccte-cms/credential_info.php?cred_id=5,,,,,,\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    code = cli.main(["check", "--raw", str(raw), "--baseline", str(baseline)])
    report = capsys.readouterr().out
    assert code == 1
    assert "- 1 manifest problems" in report and "### Manifest problems (1)" in report


# --- the stamp: nothing changed, nothing done --------------------------------------------------------------------


def test_a_report_written_after_extract_leaves_the_next_extract_nothing_to_do(tmp_path, capsys):
    """README: `report` writes report.html into the output from the outputs; that is not a change of the
    outputs, so the next extract still finds nothing changed."""
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("BLS Provider"))
    args = ["extract", "--raw", str(raw), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache")]
    assert cli.main(args) == 0
    assert cli.main(["report", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "report.html").is_file()
    capsys.readouterr()
    assert cli.main(args) == 0
    assert capsys.readouterr().out.startswith(f"nothing changed since the last run (1 files under {raw}, same code)")


# --- the tables that tie rules to tests ---------------------------------------------------------------------------


def test_every_test_and_mutant_the_promise_table_names_exists():
    """tests/PROMISES.md maps each rule to its tests and semantic mutants: a renamed test or mutant shows here."""
    table = (Path(__file__).parent / "PROMISES.md").read_text(encoding="utf-8")
    named = re.findall(r"\b(test_\w+)::(test_\w+)", table)
    assert len(named) > 60
    missing = [f"{module}::{test}" for module, test in named if f"\ndef {test}(" not in _source(module)]
    assert missing == []
    mutants = {mutant.name for mutant in semantic_mutants.MUTANTS}
    rows = [line.split(" | ")[-1].rstrip(" |") for line in table.splitlines() if line.startswith("| ")]
    listed = {name.strip() for row in rows for name in row.split(",") if name.strip()} - {"semantic mutant", "---"}
    assert sorted(listed - mutants) == []


def test_every_semantic_mutant_names_a_rule_and_tests_that_exist():
    for mutant in semantic_mutants.MUTANTS:
        assert mutant.rule and mutant.tests, mutant.name
        assert all((semantic_mutants.REPO / test.split("::")[0]).is_file() for test in mutant.tests), mutant.name
    assert len({mutant.name for mutant in semantic_mutants.MUTANTS}) == len(semantic_mutants.MUTANTS)
    here = Path(__file__).read_text(encoding="utf-8")
    killers = [test for tests in semantic_mutants.KILLERS.values() for test in tests]
    assert [test for test in killers if f"\ndef {test}(" not in here] == []
    assert set(semantic_mutants.KILLERS) | set(semantic_mutants.FIRST) <= {m.name for m in semantic_mutants.MUTANTS}
    first = [test.split("::") for tests in semantic_mutants.FIRST.values() for test in tests]
    assert [f"{file}::{test}" for file, test in first if f"\ndef {test}(" not in _source(Path(file).stem)] == []


def test_a_mutant_whose_file_no_longer_parses_is_refused_not_counted_as_a_kill(tmp_path):
    """A snippet cut so that the mutated file is not Python fails every test: a kill that proves nothing."""
    (tmp_path / "m.py").write_text("def f(x):\n    if x:\n        return 1\n    return 0\n", encoding="utf-8")
    body_gone = semantic_mutants.Mutant("body gone", "a rule", "m.py", "        return 1\n", "", ("t",))
    swapped = semantic_mutants.Mutant("one is two", "a rule", "m.py", "return 1", "return 2", ("t",))
    missing = semantic_mutants.Mutant("not there", "a rule", "m.py", "return 3", "return 4", ("t",))
    found = semantic_mutants.stale((body_gone, swapped, missing), root=tmp_path)
    assert [line.split(":")[0].split(" (")[0] for line in found] == ["UNPARSEABLE", "STALE"]
    assert found[0].endswith("body gone in m.py") and "line 3" in found[0]
    assert found[1] == "STALE (0 matches): not there in m.py"


def _source(module: str) -> str:
    return (Path(__file__).parent / f"{module}.py").read_text(encoding="utf-8")


# --- the cache: a document's key holds every fact the rows come from; incremental runs by hand-written values ---

_MANIFEST = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
_URL = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id="


def _cached_run(raw: Path, tmp_path: Path) -> dict[str, pd.DataFrame]:
    return extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1).tables


def test_a_manifest_change_alone_reaches_the_rows_of_a_cached_run(tmp_path):
    """The page's bytes are the same; its manifest row now gives another URL and origin: the warm run's row
    says so (the cache key holds the manifest facts, not only the bytes)."""
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("BLS Provider"))
    manifest = raw / "2023-2024" / "manifest.csv"
    manifest.write_text(_MANIFEST + f"text/credential_5.txt,{_URL}5,2024-01-02T00:00:00Z,200,,,,,mirror\n")
    row = _cached_run(raw, tmp_path)["credentials"].iloc[0]
    assert (row["source_url"], row["source_origin"], row["cred_id"]) == (f"{_URL}5", "mirror", 5)
    manifest.write_text(_MANIFEST + f"text/credential_5.txt,{_URL}5&x=1,2024-01-02T00:00:00Z,200,,,,,mirror\n")
    row = _cached_run(raw, tmp_path)["credentials"].iloc[0]
    assert (row["source_url"], row["source_origin"], row["cred_id"]) == (f"{_URL}5&x=1", "mirror", 5)
    manifest.write_text(_MANIFEST + f"text/credential_5.txt,{_URL}5&x=1,2024-01-02T00:00:00Z,200,,,,,live\n")
    row = _cached_run(raw, tmp_path)["credentials"].iloc[0]
    assert (row["source_url"], row["source_origin"], row["cred_id"]) == (f"{_URL}5&x=1", "live", 5)


def test_the_code_version_changes_with_the_schemas(tmp_path):
    """README: any change to a file of `pipeline` or `schemas` makes a new code version (nothing older is used)."""
    for package in ("pipeline", "schemas"):
        shutil.copytree(
            semantic_mutants.REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    program = "from pipeline.cache import code_version; print(code_version())"

    def version() -> str:
        env = {**os.environ, "PYTHONPATH": str(tmp_path)}
        done = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, env=env, capture_output=True, text=True)
        return done.stdout

    before = version()
    with (tmp_path / "schemas" / "tables.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a comment is a change\n")
    assert len(before.strip()) == 64 and version() != before


def test_a_deleted_page_and_a_renamed_credential_leave_the_cached_run_s_outputs(tmp_path):
    """Incremental runs, by hand-written names: a deleted page's credential goes; a renamed one leaves no row
    under its old name; a credential whose text copy changed takes the change though its HTML copy did not."""
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("BLS Provider"))
    _write(raw, "2023-2024/text/credential_6.txt", HEADING + _block("ServSafe Manager"))
    _write(raw, "2023-2024/text/credential_7.txt", HEADING + _block("OSHA 10", "Credential Lifespan2 years"))
    _write(raw, "2023-2024/html/credential_7.html", _html("OSHA 10"))
    _write(raw, "2023-2024/text/credential_8.txt", HEADING + _block("Certified Welder"))
    for number in range(9, 17):  # enough pages that three changes stay incremental
        _write(raw, f"2023-2024/text/credential_{number}.txt", HEADING + _block(f"Credential {number}"))
    names = set(_cached_run(raw, tmp_path)["credentials"]["credential_name"])
    assert {"BLS Provider", "Certified Welder", "OSHA 10", "ServSafe Manager"} <= names and len(names) == 12
    (raw / "2023-2024/text/credential_6.txt").unlink()
    _write(raw, "2023-2024/text/credential_8.txt", HEADING + _block("AWS Certified Welder"))
    _write(raw, "2023-2024/text/credential_7.txt", HEADING + _block("OSHA 10", "Credential Lifespan3 years"))
    run = extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    credentials = run.tables["credentials"]
    assert sorted(credentials["credential_name"]) == sorted(
        ["AWS Certified Welder", "BLS Provider", "OSHA 10", *(f"Credential {n}" for n in range(9, 17))]
    )
    osha = credentials[credentials["credential_name"] == "OSHA 10"].iloc[0]
    assert (osha["lifespan_years"], osha["source_format"]) == (3.0, "html")
    assert run.summary["cached_documents"] > 0


# --- reading: which of two wins -------------------------------------------------------------------------------------


def test_the_first_school_year_heading_is_the_page_s_year():
    """A page's school year is its heading's, the first above the blocks; a later mention of another year's
    heading (a link to next year's directory) does not move it."""
    html = _html("BLS Provider").replace(
        "<h3>", "<p>Next year: <a href='/next'>2024-2025 Credential Information</a></p><h3>"
    )
    assert html.count("Credential Information") == 2
    assert parse_html(html).school_year == "2023-2024"


def test_a_label_met_again_opens_a_new_block_so_two_credentials_never_merge():
    """Each label appears once in a block: a label the open block already met starts the next block (a course
    page whose second Credential Name row was not read), which has no name and so no typed row."""
    html = _html("BLS Provider", ("Credential Lifespan", "2 years"), ("Credential Lifespan", "3 years"))
    blocks = parse_html(html).blocks
    assert [[(pair.key, pair.value) for pair in block.pairs] for block in blocks] == [
        [("credential_name", "BLS Provider"), ("lifespan", "2 years")],
        [("lifespan", "3 years"), ("directory_notes", "None")],
    ]
    assert blocks[0].value("lifespan") == "2 years"


def test_diff_of_two_outputs_matches_credentials_within_a_school_year(tmp_path):
    """Two outputs are compared year by year: credential 5 of 2023-2024 in the old output and credential 5 of
    2024-2025 in the new one are one removed and one added, not one changed."""
    old = _output(tmp_path / "old", {"2023-2024/text/credential_5.txt": HEADING + _block("BLS Provider")})
    page = "2024-2025 Credential Information\n\n" + _block("BLS Provider")
    new = _output(tmp_path / "new", {"2024-2025/text/credential_5.txt": page})
    report = diff.diff_outputs(old, new)
    assert [(r["school_year"], r["cred_id"]) for r in report["removed"]] == [("2023-2024", 5)]
    assert [(r["school_year"], r["cred_id"]) for r in report["added"]] == [("2024-2025", 5)]
    assert report["changed"] == []


def test_check_finds_an_output_missing_from_the_baseline_or_no_longer_written_stale(tmp_path, capsys):
    """check compares every output file: one the baseline lacks, and one extract no longer writes, are stale."""
    raw, baseline = _checked_repo(tmp_path)
    (baseline / "csv" / "conflicts.csv").unlink()
    (baseline / "csv" / "old_table.csv").write_text("a\n1\n", encoding="utf-8")
    capsys.readouterr()
    code = cli.main(["check", "--raw", str(raw), "--baseline", str(baseline), "--format", "json"])
    stale = json.loads(capsys.readouterr().out)["stale"]
    assert code == 2
    assert stale == {
        "csv/conflicts.csv": "missing from the baseline",
        "csv/old_table.csv": "not an output of extract any more",
    }


def test_a_cache_of_another_output_folder_never_serves_rows_to_this_one(tmp_path):
    """An incremental run starts only from the run that wrote this --out: B's rows of an earlier run must not
    be kept because the cache's last run (to A) had them unchanged."""
    raw = tmp_path / "raw"
    for number in range(1, 9):
        _write(raw, f"2023-2024/text/credential_{number}.txt", HEADING + _block(f"Credential {number}"))
    _write(raw, "2023-2024/text/credential_9.txt", HEADING + _block("BLS Provider", "Credential Lifespan2 years"))
    cache = tmp_path / "cache"
    extract(raw, tmp_path / "b", cache_dir=cache, workers=1)
    _write(raw, "2023-2024/text/credential_9.txt", HEADING + _block("BLS Provider", "Credential Lifespan3 years"))
    extract(raw, tmp_path / "a", cache_dir=cache, workers=1)
    _write(raw, "2023-2024/text/credential_1.txt", HEADING + _block("Credential 1", "Credential Lifespan1 years"))
    credentials = extract(raw, tmp_path / "b", cache_dir=cache, workers=1).tables["credentials"]
    bls = credentials[credentials["credential_name"] == "BLS Provider"].iloc[0]
    assert bls["lifespan_years"] == 3.0


def test_a_script_inside_a_value_is_not_its_text():
    """Page chrome is not data: a script's text never reaches a value."""
    html = _html("BLS Provider", ("Credential Lifespan", "2 years<script>document.write('x')</script>"))
    assert parse_html(html).blocks[0].value("lifespan") == "2 years"


def test_a_broken_refresh_record_is_kept_aside_never_deleted(tmp_path):
    """Nothing the user had is deleted: a refreshes.json that cannot be read is kept beside the new one."""
    (tmp_path / "2024-2025").mkdir()
    (tmp_path / "2024-2025" / "refreshes.json").write_bytes(b"{broken")
    history.append(tmp_path, "2024-2025", {"refreshed_at": "2025-09-01T10:00:00Z"})
    aside = list((tmp_path / "2024-2025").glob("refreshes.json.unreadable-*"))
    assert [path.read_bytes() for path in aside] == [b"{broken"]
    assert json.loads((tmp_path / "2024-2025" / "refreshes.json").read_text()) == {
        "refreshes": [{"refreshed_at": "2025-09-01T10:00:00Z"}]
    }


# --- mutmut survivors of fetch/urls.py (tests/mutants_triage.md) --------------------------------------------------


def test_dot_segments_in_the_middle_of_a_path_are_removed():
    """RFC 3986 5.2.4: `/./` and a final `/.` go, `/../` removes the segment before it."""
    assert normalise("http://h/a/./b/../c") == "http://h/a/c"
    assert normalise("http://h/./x/.") == "http://h/x/"
    assert normalise("http://h/a/b/..") == "http://h/a/"


def test_a_dot_segment_with_several_parameters_is_refused():
    """A `.;x;y` segment is read as `.` by some servers and as a name by others: refused, not guessed at."""
    with pytest.raises(URLError, match="a dot segment with parameters"):
        normalise("http://h/a/.;x;y/b")


def test_a_lone_surrogate_from_a_command_line_byte_is_percent_encoded_not_a_crash():
    """A `--base-url` holding a byte that is not UTF-8 reaches Python as a lone surrogate (surrogateescape): it is
    written as its escapes, as every other character outside URL syntax, never an encoding error."""
    assert normalise("http://h/a\udcff") == "http://h/a%ED%B3%BF"


def test_child_rows_a_cut_page_does_not_show_are_not_removed(tmp_path):
    """A value or child row a cut page does not show is not compared: the new copy stops before the SOC codes,
    so the old copy's SOC row is unseen, not removed."""
    soc = "SOC (Standard Occupational Classification) Code(s)Chefs and Head Cooks (35-1011)"
    old = _output(tmp_path / "old", {"2023-2024/text/credential_5.txt": HEADING + _block("ServSafe Manager", soc)})
    cut = _block("ServSafe Manager", notes=False)
    new = _output(tmp_path / "new", {"2023-2024/text/credential_5.txt": HEADING + cut})
    report = diff.diff_outputs(old, new)
    assert [change["children"] for change in report["changed"]] == []
    assert report["counts"]["unseen"] == 2  # the SOC row, and Directory Notes (None) the cut copy never reached


# --- chrome, decoding, the listing ---------------------------------------------------------------------------------


def test_a_heading_right_above_a_block_is_not_its_title():
    """Page chrome is never a title: with no title line, the heading above the block is not the credential's
    title (the Credential Name value names it)."""
    page = parse_text("2023-2024 Credential Information\n\nCredential NameBLS Provider\nDirectory NotesNone\n")
    assert [(block.title, block.value("credential_name")) for block in page.blocks] == [(None, "BLS Provider")]


def test_an_html_charset_is_read_before_utf8_and_windows_1252():
    """Decoding: a BOM, then an HTML charset, then UTF-8, then windows-1252. A KOI8-R page says so in its meta."""
    data = '<html><head><meta charset="koi8-r"></head><body>Привет</body></html>'.encode("koi8-r")
    assert decode(data, is_html=True).endswith("<body>Привет</body></html>")


def test_a_line_that_opens_with_a_directory_label_does_not_name_the_listing_columns():
    """A header is read by the words it contains, but a printed credential page that spells the directory's
    labels is not the listing, even where a line (`Course Number and Title IM11 ...`) names a course and a
    credential."""
    assert may_be_listing(["Course Code  Course Title  Credential"], labels_spelled=0)
    line = ["Course Number and Title IM11 Industry Credential Prep"]
    assert not may_be_listing(line, labels_spelled=len(FIELDS))


def test_a_refresh_of_an_incomplete_year_is_a_problem_even_when_no_page_failed():
    """refresh exits 1 when the year is incomplete (a credential cut), not only when a page failed."""
    coverage = {"incomplete_because": ["1 of 3 credentials cut"]}
    assert refresh._verdict("2024-2025", {}, coverage) == {
        "problems": ["2024-2025 is incomplete (1 of 3 credentials cut)"]
    }
    assert refresh._verdict("2024-2025", {}, {"incomplete_because": []}) == {"problems": []}


def test_no_label_begins_another_so_a_glued_line_opens_with_one_label_at_most():
    """What makes the order glued labels are tried in decide nothing (semantic mutant `shortest glued label
    first`, equivalent while this holds): no folded label is the start of another."""
    folded = [fold(field.text) for field in FIELDS]
    assert [(a, b) for a in folded for b in folded if a != b and b.startswith(a)] == []


def test_a_label_matches_with_or_without_its_footnote_star():
    """Labels match after folding whitespace, case and the footnote `*`: `Multilingual Resources*` is the same
    label written without its star, or with a star of its own after another label."""
    assert canonical_label("Multilingual Resources") == "multilingual"
    assert canonical_label("MULTILINGUAL  RESOURCES *") == "multilingual"
    assert canonical_label("Exam Time Allotment*") == "exam_time"


def _one_table(kind: type, nullable: bool, description: str) -> dict:
    import pandera.pandas as pandera
    from pandera.typing import Series

    columns = {
        "__annotations__": {"code": Series[kind], "note": Series[pd.StringDtype]},  # objects, not strings
        "code": pandera.Field(nullable=False, description="the row's code"),
        "note": pandera.Field(nullable=nullable, description=description),
    }
    return {"widgets": type("Widgets", (pandera.DataFrameModel,), columns)}


@pytest.mark.parametrize(
    "change, same",
    [
        ({"kind": pd.Int64Dtype}, False),  # a column's type
        ({"nullable": False}, False),  # a column becomes required
        ({"key": ("code", "note")}, False),  # the table's key
        ({"description": "another wording"}, True),  # a description is not the shape of the data
    ],
    ids=["type", "required", "key", "description"],
)
def test_the_schema_version_changes_with_a_column_s_type_required_ness_or_a_key_and_only_then(
    monkeypatch, change, same
):
    """README "Schema versions": the version changes when a table, a column, a column's type or
    required-ness, or a key changes, and only then."""
    from schemas import version

    def version_of(kind=pd.StringDtype, nullable=True, key=("code",), description="free text") -> str:
        monkeypatch.setattr(version, "SCHEMAS", _one_table(kind, nullable, description))
        monkeypatch.setattr(version, "KEYS", {"widgets": key})
        return version.schema_version.__wrapped__()

    before, after = version_of(), version_of(**change)
    assert re.fullmatch("[0-9a-f]{12}", before)
    assert (after == before) is same


def test_a_page_s_cred_id_names_its_credential_only_when_the_page_holds_one_block(tmp_path):
    """credential_5.txt holds two credentials: the page's id 5 cannot say which one it is, so neither gets it
    (two credentials never share a cred_id); credential_6.txt holds one, which is 6."""
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("BLS Provider") + _block("ServSafe Manager"))
    _write(raw, "2023-2024/text/credential_6.txt", HEADING + _block("OSHA 10"))
    credentials = extract(raw, tmp_path / "out").tables["credentials"]
    pairs = zip(credentials["credential_slug"], credentials["cred_id"], strict=True)
    ids = {slug: None if pd.isna(id_) else int(id_) for slug, id_ in pairs}
    assert ids == {"bls-provider": None, "servsafe-manager": None, "osha-10": 6}


def test_a_streamed_table_is_written_whole_past_its_last_full_row_group(tmp_path, monkeypatch):
    """label_values is written a row group at a time: with groups of 2 rows, the page's 3 pairs are a full group
    and 1 row after it, and the Parquet file holds all 3, as the CSV does."""
    from pyarrow import parquet

    from pipeline.tables import export

    monkeypatch.setattr(export, "_ROW_GROUP", 2)
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("BLS Provider", "Credential Lifespan2 years"))
    extract(raw, tmp_path / "out")
    expected = ["BLS Provider", "2 years", "None"]
    assert parquet.read_table(tmp_path / "out" / "parquet" / "label_values.parquet")["value"].to_pylist() == expected
    assert (
        pd.read_csv(tmp_path / "out" / "csv" / "label_values.csv", keep_default_na=False)["value"].to_list() == expected
    )


def test_a_fresh_output_s_parquet_says_which_columns_are_required(tmp_path):
    """The data dictionary marks credential_name (CONTRACT 4: required) and the key columns required, vendor_url
    not; the Parquet schema this run writes says so (the committed extracted/ cannot show what the code writes)."""
    from pyarrow import parquet

    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("BLS Provider"))
    extract(raw, tmp_path / "out")
    schema = parquet.read_schema(tmp_path / "out" / "parquet" / "credentials.parquet")
    required = {name: not schema.field(name).nullable for name in ("school_year", "credential_name", "vendor_url")}
    assert required == {"school_year": True, "credential_name": True, "vendor_url": False}
    assert not parquet.read_schema(tmp_path / "out" / "parquet" / "label_values.parquet").field("label_raw").nullable


def test_a_document_that_kills_its_process_costs_only_itself_whatever_the_size_of_its_part(tmp_path, monkeypatch):
    """Eleven pages on two processes go in parts of two: the page that kills its process (planted: SIGKILL, as the
    OOM killer sends) is its own unreadable line, and the page it shared a part with is still read."""
    import signal

    from pipeline import parse

    real = parse.parse_text

    def parse_text(text):
        if "Killer Credential" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(text)

    monkeypatch.setattr(parse, "parse_text", parse_text)
    monkeypatch.setattr(parse, "_PARALLEL_FROM", 1)
    raw = tmp_path / "raw"
    names = ["Alpha", "Bravo", "Charlie", "Delta", "Killer", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett"]
    for number, name in enumerate(names, start=10):
        _write(raw, f"2023-2024/text/credential_{number}.txt", HEADING + _block(f"{name} Credential"))
    result = extract(raw, tmp_path / "out", workers=2)
    cause = "the process reading it died (killed, or out of memory); not read"
    assert result.summary["unreadable"] == {"2023-2024/text/credential_14.txt": cause}
    assert sorted(result.tables["credentials"]["credential_slug"]) == [
        "alpha-credential",
        "bravo-credential",
        "charlie-credential",
        "delta-credential",
        "echo-credential",
        "foxtrot-credential",
        "golf-credential",
        "hotel-credential",
        "india-credential",
        "juliett-credential",
    ]


def test_an_output_edited_by_hand_is_never_the_base_of_the_next_cached_run(tmp_path):
    """A cached run builds on its last outputs only when they are as it wrote them: a credential name edited in
    the Parquet file is written again from its page when another page changes, not kept."""
    import pyarrow as pa
    from pyarrow import parquet

    raw, out, cache = tmp_path / "raw", tmp_path / "out", tmp_path / "cache"
    names = ["BLS Provider", "OSHA 10", "ServSafe Manager", "CompTIA A+", "Adobe Photoshop"]
    for number, name in enumerate(names, start=5):
        _write(raw, f"2023-2024/text/credential_{number}.txt", HEADING + _block(name))
    extract(raw, out, cache_dir=cache)
    path = out / "parquet" / "credentials.parquet"
    table = parquet.read_table(path)
    edited = [name.replace("BLS Provider", "Tampered") for name in table["credential_name"].to_pylist()]
    column = table.schema.get_field_index("credential_name")
    field = table.schema.field(column)
    parquet.write_table(table.set_column(column, field, pa.array(edited, field.type)), path)
    _write(raw, "2023-2024/text/credential_9.txt", HEADING + _block("Adobe Photoshop", "Credential Lifespan3 years"))
    credentials = extract(raw, out, cache_dir=cache).tables["credentials"]
    assert sorted(credentials["credential_name"]) == [
        "Adobe Photoshop",
        "BLS Provider",
        "CompTIA A+",
        "OSHA 10",
        "ServSafe Manager",
    ]


def test_extract_called_from_code_refuses_a_cache_folder_holding_the_user_s_files(tmp_path):
    """refresh and library callers reach extract without the command line's checks: extract itself refuses a
    --cache folder holding files it did not write, before anything is written, and the files stay as they were."""
    from pipeline.files import UnsafeOutput

    raw, mine = tmp_path / "raw", tmp_path / "mine"
    _write(raw, "2023-2024/text/credential_5.txt", HEADING + _block("BLS Provider"))
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UnsafeOutput, match=r"holds files extract did not write \(notes.txt\)"):
        extract(raw, tmp_path / "out", cache_dir=mine)
    assert [path.name for path in mine.iterdir()] == ["notes.txt"]
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "out").exists()
