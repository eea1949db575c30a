"""The extract job end to end, on real files in temporary raw/ folders."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from pipeline.extract import extract
from pipeline.parse import read_document
from pipeline.read.documents import DocumentRef
from pipeline.tables import export
from tests.conftest import REAL, REPO
from tests.deadline import fails_after
from tools import make_samples
from tools.sample_data import CREDENTIALS_2023

HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified\n"


def _write(raw: Path, rel: str, content: str | bytes) -> None:
    path = raw / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True)


# --- the same page in every rendering -----------------------------------------------------
# Agreement, not correctness: the renderings are written by tools/make_samples.py from one set of values,
# so a mistake shared by every reader passes here. Hand-written answers live in test_answers_from_the_page.py.

# The flattened table loses line breaks and blank lines, and two rules depend on
# them: the vendor's name is its first line, and a cost option opens a line and
# ends at a blank line. Everything else must agree across renderings.
LOSSY_IN_FLATTENED = {"vendor_name", "instructor_training_cost_note", "instructor_training_costs"}


def _typed(tmp_path: Path, name: str, content: str, kind: str) -> tuple[dict, dict]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    ref = DocumentRef(str(path), f"2023-2024/{kind}/{name}", kind, "2023-2024", None, None, None)
    (rows,) = read_document(ref).credentials
    drop = {"source_format", "source_path", "source_sha256"}
    children = {t: [{k: v for k, v in r.items() if k != "source_path"} for r in rs] for t, rs in rows.children.items()}
    return {k: v for k, v in rows.credential.items() if k not in drop}, children


@pytest.mark.parametrize("cred_id", [cred_id for cred_id, _ in CREDENTIALS_2023])
@pytest.mark.agreement
def test_every_rendering_of_a_page_gives_the_same_rows(tmp_path, cred_id):
    values = dict(CREDENTIALS_2023)[cred_id]
    html_row, html_children = _typed(tmp_path, "p.html", make_samples.html_page("2023-2024", [values]), "html")
    glued_row, glued_children = _typed(tmp_path, "g.txt", make_samples.glued_page("2023-2024", [values]), "text")
    flat_row, flat_children = _typed(tmp_path, "f.txt", make_samples.flattened_page("2023-2024", [values]), "text")
    assert glued_row == html_row
    assert glued_children == html_children
    assert {k: v for k, v in flat_row.items() if k not in LOSSY_IN_FLATTENED} == {
        k: v for k, v in html_row.items() if k not in LOSSY_IN_FLATTENED
    }
    assert {k: v for k, v in flat_children.items() if k not in LOSSY_IN_FLATTENED} == {
        k: v for k, v in html_children.items() if k not in LOSSY_IN_FLATTENED
    }


# --- the committed snapshot ---------------------------------------------------------------


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "extracted"
    result = extract(REPO / "raw", out)
    return result, out


def test_snapshot_outputs_match_the_committed_extracted(snapshot):
    """`make run` was run and committed: extracted/ is current."""
    _, out = snapshot
    for committed in sorted((REPO / "extracted" / "csv").glob("*.csv")):
        assert (out / "csv" / committed.name).read_text() == committed.read_text(), committed.name


def test_snapshot_covers_what_the_contract_promises(snapshot):
    result, out = snapshot
    credentials = pd.read_parquet(out / "parquet" / "credentials.parquet")
    per_year = credentials.groupby("school_year").size()
    assert per_year["2023-2024"] >= 20 and per_year["2024-2025"] >= 20
    assert result.summary["unreadable"] == {}
    assert result.summary["rejects"] == 0
    assert set(credentials["source_format"]) == {"html", "text"}


def test_one_credential_from_several_sources_is_one_row(snapshot):
    _, out = snapshot
    credentials = pd.read_parquet(out / "parquet" / "credentials.parquet")
    cpt = credentials[(credentials.school_year == "2023-2024") & (credentials.cred_id == 1118)]
    assert len(cpt) == 1
    assert cpt.iloc[0]["source_format"] == "html"  # html ranks over the seed's text rendering
    cfc = credentials[
        (credentials.school_year == "2024-2025") & (credentials.credential_slug == "certified-fundamentals-cook-cfc")
    ]
    assert cfc.iloc[0]["cred_id"] == 1310  # known from its own page, not the course page


def test_conflicts_are_listed_not_silently_picked(snapshot):
    _, out = snapshot
    conflicts = pd.read_csv(out / "csv" / "conflicts.csv")
    draft = conflicts[conflicts.column == "passing_score_percent"].iloc[0]
    assert (draft.chosen, draft.other) == ("80.0", "75.0")
    assert draft.chosen_source.endswith("credential_2110.html")  # final over draft
    assert draft.other_source.endswith("credential_2110_draft.html")


# --- bad input ----------------------------------------------------------------------------


def test_unreadable_documents_are_reported_and_the_rest_goes_on(tmp_path):
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_1118.txt", (REAL / "seed_credential_1118.txt").read_bytes())
    _write(raw, "2023-2024/text/credential_1.txt", b"")
    _write(raw, "2023-2024/text/credential_2.txt", bytes(range(256)) * 8)
    _write(raw, "2023-2024/html/credential_3.html", "<html><body><h1>404 Not Found</h1></body></html>")
    _write(raw, "2025-2026/text/credential_2616.txt", (REAL / "2025-2026_credential_2616_bp.txt").read_bytes())
    _write(raw, "2023-2024/html/credential_4.html", "<html><body><h2>2023-2024 Credential Information</h2><p>The No")
    result = extract(raw, tmp_path / "out")
    causes = result.summary["unreadable"]
    assert set(causes) == {
        "2023-2024/text/credential_1.txt",
        "2023-2024/text/credential_2.txt",
        "2023-2024/html/credential_3.html",
        "2025-2026/text/credential_2616.txt",
        "2023-2024/html/credential_4.html",
    }
    assert causes["2023-2024/text/credential_1.txt"] == "empty file"
    assert "undecodable" in causes["2023-2024/text/credential_2.txt"]
    assert "no credential block" in causes["2023-2024/html/credential_3.html"]
    assert "I-CAR Collision Repair Fundamentals Ba" in causes["2025-2026/text/credential_2616.txt"]
    assert list(result.tables["credentials"]["cred_id"]) == [1118]


def test_the_library_result_holds_every_table_it_wrote_but_the_streamed_label_values(tmp_path):
    """`extract(...).tables` is read back from the files (each table is let go once written), yet a caller that
    copies or iterates it sees every table, as when they were held: `dict(result.tables)` was empty once."""
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_1118.txt", (REAL / "seed_credential_1118.txt").read_bytes())
    result = extract(raw, tmp_path / "out")
    tables = dict(result.tables)
    assert "label_values" not in tables  # streamed, never held: read only when asked for by name
    assert "Credential Name" in set(result.tables["label_values"]["label"])
    assert {"credentials", "credential_courses", "credential_soc_codes", "rejects"} <= set(tables)
    name = "Certified Production Technician (CPT) - Maintenance Awareness"  # its Credential Name row
    assert list(tables["credentials"]["credential_name"]) == [name]
    assert list(tables["credential_courses"]["course_code"]) == ["IM11"]


def test_near_misses_reach_rejects_visibly(tmp_path):
    raw = tmp_path / "raw"
    page = (
        "2023-2024 Credential Information\n\nDesktop Publishing\n\nCredential NameDesktop Publishing\n"
        "Credential Lead ConsultantEli Hamrick eli.hamrick@dpi\n"
        "SOC (Standard Occupational Classification) Code(s)Desktop Publishers (43-903)\nGraphic Designers (27-1024)\n"
        "Exam Passing Requirement140%\nDirectory NotesNone\n"
    )
    _write(raw, "2023-2024/text/credential_9.txt", page)
    tables = extract(raw, tmp_path / "out").tables
    rejects = tables["rejects"]
    assert set(zip(rejects["table"], rejects["column"], rejects["failure_case"], strict=False)) == {
        ("credentials", "lead_consultant_email", "eli.hamrick@dpi"),
        ("credentials", "passing_score_percent", "140.0"),
        ("credential_soc_codes", "soc_code", "43-903"),
    }
    assert list(tables["credential_soc_codes"]["soc_code"]) == ["27-1024"]
    assert tables["credentials"].iloc[0]["lead_consultant_name"] == "Eli Hamrick"
    assert pd.isna(tables["credentials"].iloc[0]["lead_consultant_email"])


def test_unknown_label_is_drift_kept_in_label_values(tmp_path):
    raw = tmp_path / "raw"
    _write(
        raw,
        "2024-2025/html/credential_7.html",
        "<html><body><h2>2024-2025 Credential Information</h2><h3>X</h3><table>"
        "<tr><td>Credential Name</td><td>X</td></tr><tr><td>Practice Test Provider</td><td>Precision Exams</td></tr>"
        "<tr><td>Directory Notes</td><td>None</td></tr></table></body></html>",
    )
    result = extract(raw, tmp_path / "out")
    assert result.summary["drift_labels"] == {"Practice Test Provider": 1}
    drift = result.tables["label_values"].query("label_raw == 'Practice Test Provider'").iloc[0]
    assert pd.isna(drift["label"]) and drift["value"] == "Precision Exams"


def test_an_unknown_label_longer_than_eighty_characters_is_drift_not_dropped(tmp_path):
    label = "Approved Alternate Assessment Options for Students Who Completed the Course Before Alignment"
    assert len(label) > 80
    raw = tmp_path / "raw"
    _write(
        raw,
        "2024-2025/html/credential_7.html",
        "<html><body><h2>2024-2025 Credential Information</h2><h3>X</h3><table>"
        f"<tr><th>Credential Name</th><td>X</td></tr><tr><th>{label}</th><td>Portfolio review</td></tr>"
        "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>",
    )
    result = extract(raw, tmp_path / "out")
    assert result.summary["drift_labels"] == {label: 1}
    drift = result.tables["label_values"].query("label_raw == @label").iloc[0]
    assert pd.isna(drift["label"]) and drift["value"] == "Portfolio review" and drift["position"] == 2


def test_failed_write_leaves_previous_output_untouched(tmp_path):
    raw = tmp_path / "raw"
    _write(raw, "2023-2024/text/credential_1118.txt", (REAL / "seed_credential_1118.txt").read_bytes())
    out = tmp_path / "out"
    extract(raw, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # The first table is written, the second cannot be (mixed types): the run fails midway.
    tables = {"credentials": pd.DataFrame({"a": [1]}), "broken": pd.DataFrame({"x": [1, "text"]})}
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        export.write_tables(tables, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- command line -------------------------------------------------------------------------


def test_cli_without_raw_folder_fails_with_one_line(tmp_path):
    done = _run("extract", "--raw", str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert done.returncode == 3
    assert done.stderr.strip() == f"error: no raw folder at {tmp_path / 'missing'}"
    assert not (tmp_path / "out").exists()


def test_cli_with_no_documents_fails(tmp_path):
    (tmp_path / "raw" / "2023-2024").mkdir(parents=True)
    done = _run("extract", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out"))
    assert done.returncode == 3 and "no documents under" in done.stderr


def test_cli_prints_summary_and_exits_zero_with_rejects(tmp_path):
    raw = tmp_path / "raw"
    _write(
        raw,
        "2023-2024/text/credential_9.txt",
        "2023-2024 Credential Information\n\nX\n\nCredential NameX\nExam Passing Requirement140%\n",
    )
    done = _run("extract", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "rejects: 1" in done.stdout
    assert "credentials: 1" in done.stdout
    assert (tmp_path / "out" / "parquet" / "credentials.parquet").exists()


def test_the_credential_name_value_is_the_name_and_a_title_that_differs_is_reported(tmp_path):
    raw = tmp_path / "raw"
    _write(
        raw,
        "2023-2024/text/credential_5.txt",
        "2023-2024 Credential Information\n\nBLS Provider\n\nCredential NameBLS Provider (CPR)\nDirectory NotesNone\n",
    )
    result = extract(raw, tmp_path / "out")
    assert list(result.tables["credentials"]["credential_name"]) == ["BLS Provider (CPR)"]
    assert list(result.tables["credentials"]["credential_slug"]) == ["bls-provider-cpr"]
    assert result.summary["notes"] == {
        "2023-2024/text/credential_5.txt": [
            "block 1: title 'BLS Provider' differs from its Credential Name 'BLS Provider (CPR)' (the name)"
        ]
    }


def test_a_block_without_a_credential_name_value_is_named_by_its_title(tmp_path):
    raw = tmp_path / "raw"
    _write(
        raw,
        "2023-2024/text/credential_5.txt",
        "2023-2024 Credential Information\n\nBLS Provider\n\nCredential Name\nDirectory NotesNone\n",
    )
    result = extract(raw, tmp_path / "out")
    assert list(result.tables["credentials"]["credential_name"]) == ["BLS Provider"]
    assert result.summary["notes"] == {}


def test_a_page_cut_inside_the_credential_name_is_named_by_its_whole_title(tmp_path):
    raw = tmp_path / "raw"
    _write(
        raw,
        "2023-2024/text/credential_5.txt",
        "2023-2024 Credential Information\n\nBLS Provider (CPR)\n\nCredential NameBLS Prov",
    )
    result = extract(raw, tmp_path / "out")
    assert list(result.tables["credentials"]["credential_name"]) == ["BLS Provider (CPR)"]


def test_cli_output_that_cannot_be_written_fails_with_one_line(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    done = _run("extract", "--raw", str(REPO / "raw"), "--out", str(tmp_path / "a-file" / "out"), "--no-cache")
    assert done.returncode == 3
    assert done.stderr == f"error: --out {tmp_path / 'a-file' / 'out'}: cannot write in {tmp_path / 'a-file'}\n"
    assert (tmp_path / "a-file").read_text() == "not a folder"


def test_a_bad_school_year_drops_the_credential_its_children_and_its_pairs(tmp_path):
    raw = tmp_path / "raw"
    _write(
        raw,
        "misc/text/credential_9.txt",
        "2023-2025 Credential Information\n\nX\n\nCredential NameX\n"
        "SOC (Standard Occupational Classification) Code(s)Graphic Designers (27-1024)\nDirectory NotesNone\n",
    )
    tables = extract(raw, tmp_path / "out").tables
    assert tables["credentials"].empty and tables["credential_soc_codes"].empty
    assert (
        sorted(zip(tables["rejects"]["table"], tables["rejects"]["check"], strict=False))
        == [
            ("credential_soc_codes", "consecutive_school_year"),
            ("credentials", "consecutive_school_year"),
        ]
        + [("label_values", "consecutive_school_year")] * 3
    )
    # label_values keeps every pair (its school year is not a key): the bad year is nulled, the value kept
    assert tables["label_values"]["school_year"].isna().all() and len(tables["label_values"]) == 3


# --- the job's rules, in process (issue 22: extract.py under mutmut) ---------------------------------------
# Tiny raw/ trees written by hand (pages, manifest.csv as the contract's section 3 describes it), extract called
# in this process with one worker; every expected value below is read off those pages by hand.

YEAR = "2024-2025"
MANIFEST_HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
WELDING = f"{YEAR}/html/credential_101.html"
FORKLIFT = f"{YEAR}/html/credential_102.html"


def _html(name: str, *rows: tuple[str, str]) -> str:
    """A credential page as the directory renders it: the year heading, the title, then label/value rows."""
    pairs = (("Credential Name", name), *rows, ("Directory Notes", "None"))
    cells = "".join(f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in pairs)
    return f"<html><body><h2>{YEAR} Credential Information</h2><h3>{name}</h3><table>{cells}</table></body></html>"


def _manifest(*rows: str) -> str:
    return MANIFEST_HEADER + "".join(f"{row}\n" for row in rows)


def _two_pages(tmp_path: Path) -> Path:
    """raw/2024-2025: Welding Basics (cred 101, 3 years, live) and Forklift Safety (cred 102, 2 years, mirror)."""
    raw = tmp_path / "raw"
    _write(raw, WELDING, _html("Welding Basics", ("Credential Lifespan", "3 years")))
    _write(raw, FORKLIFT, _html("Forklift Safety", ("Credential Lifespan", "2 years")))
    _write(
        raw,
        f"{YEAR}/manifest.csv",
        _manifest(
            "html/credential_101.html,https://example.org/c?cred_id=101,2024-09-01T10:00:00Z,200,text/html,,,,live",
            "html/credential_102.html,https://example.org/c?cred_id=102,2024-09-02T10:00:00Z,200,text/html,,,,mirror",
        ),
    )
    return raw


def _warmed(raw: Path, out: Path, cache: Path) -> None:
    """A cache holding both pages' results, and the welding page changed since (its size too): the plan reads it."""
    extract(raw, out, cache_dir=cache, workers=1)
    _write(raw, WELDING, _html("Welding Basics", ("Credential Lifespan", "10 years")))


def _three_more_pages(raw: Path) -> None:
    """Three pages the manifest does not list: one changed page of five is under a quarter, merged alone."""
    for number, name in ((103, "Crane Rigging"), (104, "Boat Repair"), (105, "Roof Framing")):
        _write(raw, f"{YEAR}/html/credential_{number}.html", _html(name))


def _files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def steady(monkeypatch):
    """No SOURCE_DATE_EPOCH from the environment; no stat taken as racy (files are written just before a run)."""
    from pipeline import stamp

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(stamp, "racy", lambda info, started_ns: False)


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Every document read from raw/ (by the plan or by the parser), by its path under raw/."""
    from pipeline.read import documents as documents_module

    seen: list[str] = []
    real = documents_module.read_bytes

    def counted(ref):
        seen.append(ref.rel_path)
        return real(ref)

    monkeypatch.setattr(documents_module, "read_bytes", counted)
    return seen


def test_a_run_without_a_cache_reads_every_document_and_reports_what_it_parsed(tmp_path, steady, reads):
    """Rule: every document under raw/<year>/<kind>/ becomes rows; the manifest gives each its URL and origin;
    progress says how many documents, how many cached and how many to parse; no cache, no stamp."""
    raw = _two_pages(tmp_path)
    messages: list[str] = []
    result = extract(raw, tmp_path / "out", progress=messages.append, workers=1)
    assert messages == ["2 documents: 0 unchanged (cached), 2 to parse", "parsed 2/2 documents"]
    assert sorted(reads) == [WELDING, FORKLIFT]  # once each: nothing stored, so nothing planned is read
    credentials = result.tables["credentials"].sort_values("cred_id")
    assert credentials["cred_id"].tolist() == [101, 102]
    assert credentials["credential_name"].tolist() == ["Welding Basics", "Forklift Safety"]
    assert credentials["lifespan_years"].tolist() == [3.0, 2.0]
    assert credentials["source_origin"].tolist() == ["live", "mirror"]
    assert credentials["source_url"].tolist() == [
        "https://example.org/c?cred_id=101",
        "https://example.org/c?cred_id=102",
    ]
    summary = result.summary
    assert (summary["documents"], summary["credentials"], summary["cached_documents"]) == (2, 2, 0)
    assert summary["rebuilt"] == "everything"
    assert summary["skipped"] == {} and summary["manifest_problems"] == {} and summary["unreadable"] == {}
    assert summary["extracted_at"] == "2024-09-02T10:00:00Z"  # the latest fetch in the manifest
    assert summary["origins"] == {"live": 1, "mirror": 1}
    assert summary["source_urls"] == {}  # no reject, drift label, conflict or unreadable document to link
    assert summary["notes"] == {}
    assert summary["rows"]["coverage"] == 1 and summary["rows"]["changes"] == 0
    assert summary["rows"]["label_values"] == 6  # three pairs a page
    assert summary["coverage"][YEAR]["documents"] == 2 and summary["coverage"][YEAR]["credentials"] == 2
    assert len(result.tables["coverage"]) == 1 and result.tables["changes"].empty
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]  # no cache, no lock left beside out
    assert (tmp_path / "out" / "parquet" / "credentials.parquet").is_file()


def test_a_run_without_a_cache_parses_again_each_time_in_a_temporary_folder_it_removes(tmp_path, monkeypatch):
    """Rule: without --cache the parsed results go to a temporary folder of the run's own, removed at its end,
    and a second run parses everything again."""
    import tempfile

    raw = _two_pages(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    during: list[list[str]] = []

    def look(message: str) -> None:
        during.append(sorted(p.name.startswith("nccte-extract-") for p in scratch.iterdir()))

    extract(raw, tmp_path / "out", progress=look, workers=1)
    assert during[0] == [True]  # one folder of the run's, while it runs
    assert list(scratch.iterdir()) == []
    messages: list[str] = []
    extract(raw, tmp_path / "out", progress=messages.append, workers=1)
    assert messages[0] == "2 documents: 0 unchanged (cached), 2 to parse"


def test_the_result_holds_each_table_written_read_back_once_and_label_values_by_name(tmp_path):
    """Rule: `Result.tables` is a mapping over the tables the run wrote (read back from out/ on first use, then
    kept); label_values, streamed, is read only when asked for by name; a name no table has is a KeyError."""
    raw = _two_pages(tmp_path)
    tables = extract(raw, tmp_path / "out", workers=1).tables
    assert list(tables) == [
        "credentials",
        "credential_courses",
        "credential_pathways",
        "credential_soc_codes",
        "instructor_training_costs",
        "course_credentials",
        "rejects",
        "conflicts",
        "coverage",
        "changes",
    ]
    assert len(tables) == 10
    assert tables["credentials"] is tables["credentials"]  # read once
    labels = tables["label_values"]
    assert sorted(zip(labels["source_path"], labels["label"], labels["value"], strict=True)) == [
        (WELDING, "Credential Lifespan", "3 years"),
        (WELDING, "Credential Name", "Welding Basics"),
        (WELDING, "Directory Notes", "None"),
        (FORKLIFT, "Credential Lifespan", "2 years"),
        (FORKLIFT, "Credential Name", "Forklift Safety"),
        (FORKLIFT, "Directory Notes", "None"),
    ]
    with pytest.raises(KeyError) as missing:
        tables["no such table"]
    assert missing.value.args == ("no such table",)
    assert "label_values" not in dict(tables)


def test_the_summary_names_what_was_skipped_unreadable_or_in_conflict_with_the_urls_of_those_files(
    tmp_path, steady, monkeypatch
):
    """Rule: the summary says what raw/ holds besides pages (a link out, a manifest problem, a broken refresh
    record), which documents could not be read, each year's documents (a folder not named for a year is none),
    the credentials by origin ("no manifest row" for a page the manifest does not list), and the URL of every
    file a reject, a drift label, a conflict or an unreadable document names."""
    raw = tmp_path / "raw"
    _write(raw, WELDING, _html("Welding Basics", ("Credential Lifespan", "3 years")))
    _write(
        raw,
        f"{YEAR}/text/credential_101.txt",
        "2024-2025 Credential Information\n\nWelding Basics\n\nCredential NameWelding Basics\n"
        "Credential Lifespan4 years\nDirectory NotesNone\n",
    )
    _write(raw, FORKLIFT, _html("Forklift Safety", ("Exam Passing Requirement", "140%")))
    _write(raw, f"{YEAR}/html/credential_103.html", _html("Crane Rigging", ("Practice Test Provider", "Precision")))
    _write(raw, f"{YEAR}/html/credential_104.html", "")
    _write(raw, f"{YEAR}/html/credential_105.html", "")
    _write(raw, f"{YEAR}/html/credential_106.html", _html("Boat Repair"))
    _write(raw, "misc/html/credential_107.html", _html("Roof Framing"))
    (tmp_path / "outside.html").write_text(_html("Outside"))
    (raw / YEAR / "html" / "credential_108.html").symlink_to(tmp_path / "outside.html")
    _write(raw, f"{YEAR}/refreshes.json", "[1]")
    _write(
        raw,
        f"{YEAR}/manifest.csv",
        _manifest(
            "html/credential_101.html,https://example.org/c?cred_id=101,2024-09-01T10:00:00Z,200,text/html,,,,live",
            "text/credential_101.txt,https://example.org/t?cred_id=101,2024-09-01T10:00:00Z,200,text/plain,,,,archive",
            "html/credential_102.html,https://example.org/c?cred_id=102,2024-09-02T10:00:00Z,200,text/html,,,,mirror",
            "html/credential_103.html,https://example.org/c?cred_id=103,2024-09-02T10:00:00Z,200,text/html,,,,live",
            "html/credential_104.html,https://example.org/c?cred_id=104,2024-09-03T10:00:00Z,200,text/html,,,,live",
            "html/credential_106.html,ftp://example.org/106,2024-09-02T10:00:00Z,200,text/html,,,,sample",
        ),
    )
    result = extract(raw, tmp_path / "out", workers=1)
    summary = result.summary
    assert summary["skipped"] == {
        f"{YEAR}/html/credential_108.html": "a link to a file outside the raw folder; not read"
    }
    assert summary["manifest_problems"] == {
        f"{YEAR}/manifest.csv": ["line 7: url 'ftp://example.org/106' is not an http(s) URL; not used"]
    }
    assert summary["notes"] == {f"{YEAR}/refreshes.json": ["no `refreshes` list; not read"]}
    assert summary["unreadable"] == {
        f"{YEAR}/html/credential_104.html": "empty file",
        f"{YEAR}/html/credential_105.html": "empty file",
    }
    assert summary["drift_labels"] == {"Practice Test Provider": 1}
    assert (summary["rejects"], summary["conflicts"]) == (1, 2)  # 140%; lifespan text and years
    assert summary["origins"] == {"live": 2, "mirror": 1, "no manifest row": 1, "sample": 1}  # 107 is unlisted
    assert summary["source_urls"] == {
        WELDING: "https://example.org/c?cred_id=101",  # conflict, chosen
        f"{YEAR}/html/credential_102.html": "https://example.org/c?cred_id=102",  # reject
        f"{YEAR}/html/credential_103.html": "https://example.org/c?cred_id=103",  # drift label
        f"{YEAR}/html/credential_104.html": "https://example.org/c?cred_id=104",  # unreadable; 105 has no URL
        f"{YEAR}/text/credential_101.txt": "https://example.org/t?cred_id=101",  # conflict, the other
    }
    assert summary["extracted_at"] == "2024-09-03T10:00:00Z"
    assert list(summary["coverage"]) == [YEAR]
    assert summary["coverage"][YEAR]["documents"] == 7  # misc/ is no school year; the link is not a document
    assert summary["documents"] == 8


def test_the_data_is_dated_by_source_date_epoch_when_set(tmp_path, monkeypatch):
    """Rule: the outputs' date comes from SOURCE_DATE_EPOCH when set, else from the manifest's latest fetch."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    result = extract(_two_pages(tmp_path), tmp_path / "out", workers=1)
    assert result.summary["extracted_at"] == "1970-01-02T00:00:00Z"


# --- the cache and the stamp ---------------------------------------------------------------------------------


def test_a_run_with_a_cache_stamps_every_input_by_its_stat_and_hash_and_every_output(tmp_path, steady):
    """Rule: after a run with a cache, the stamp names every file under raw/ (its stat and sha256) and every
    output, so that the next look finds nothing changed; a run without a cache leaves no stamp."""
    import hashlib
    import json
    import os

    from pipeline import stamp

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    stamped = json.loads((cache / "stamp.json").read_text())
    assert sorted(stamped["inputs"]) == [f"{YEAR}/html/credential_101.html", FORKLIFT, f"{YEAR}/manifest.csv"]
    for rel, (info, digest) in stamped["inputs"].items():
        status = os.lstat(raw / rel)
        assert info[:4] == [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
        assert digest == hashlib.sha256((raw / rel).read_bytes()).hexdigest()
    assert "csv/credentials.csv" in stamped["outputs"] and "parquet/label_values.parquet" in stamped["outputs"]
    assert stamp.unchanged(cache, raw, out) == 3
    assert sorted(p.name for p in cache.iterdir()) == [
        "documents-1.parquet",
        "stamp.json",
        "state.json",
        "tags.parquet",
    ]


def test_a_run_with_nothing_changed_reads_no_document_and_merges_nothing_again(tmp_path, steady, reads):
    """Rule: a file whose stat is as stamped is not read again (its stamped hash names its cached results), and
    with the outputs as the last run wrote them nothing is merged again; the outputs are the same bytes."""
    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    before = _files_of(out)
    reads.clear()
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    assert reads == []
    assert messages == ["2 documents: 2 unchanged (cached), 0 to parse"]
    assert result.summary["cached_documents"] == 2
    assert result.summary["rebuilt"] == "0 documents, 0 credentials"
    assert sorted(result.tables["credentials"]["credential_name"]) == ["Forklift Safety", "Welding Basics"]
    assert _files_of(out) == before


def test_a_file_touched_but_not_changed_is_read_and_found_in_the_cache(tmp_path, steady, reads):
    """Rule: a file whose stat moved is read again; the same bytes are the same cached results (not parsed)."""
    import os

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    os.utime(raw / WELDING, ns=(1_000_000_000, 1_000_000_000))
    reads.clear()
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    assert reads == [WELDING]
    assert messages == ["2 documents: 2 unchanged (cached), 0 to parse"]
    assert result.summary["cached_documents"] == 2


def test_a_changed_document_alone_is_parsed_and_merged_again(tmp_path, steady, reads):
    """Rule: only a changed document is parsed again, and only its credential merged again (the others come from
    the last run's outputs); the new value is in the outputs and the next look finds nothing changed."""
    from pipeline import stamp

    raw = _two_pages(tmp_path)
    _three_more_pages(raw)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    _write(raw, WELDING, _html("Welding Basics", ("Credential Lifespan", "5 years")))
    reads.clear()
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    assert reads == [WELDING, WELDING]  # hashed, then parsed
    assert messages == ["5 documents: 4 unchanged (cached), 1 to parse", "parsed 1/1 documents"]
    assert result.summary["cached_documents"] == 4
    assert result.summary["rebuilt"] == "1 documents, 1 credentials"
    credentials = result.tables["credentials"].sort_values("cred_id")
    assert credentials["cred_id"].tolist() == [101, 102, 103, 104, 105]
    assert credentials["lifespan_years"].tolist()[:2] == [5.0, 2.0]
    labels = result.tables["label_values"]
    assert sorted(labels[labels["source_path"].isin([WELDING, FORKLIFT])]["value"]) == sorted(
        ["Welding Basics", "5 years", "None", "Forklift Safety", "2 years", "None"]
    )
    assert len(labels) == 12  # 3 + 3 + 2 + 2 + 2
    assert stamp.unchanged(cache, raw, out) == 6


def test_outputs_not_as_the_last_run_wrote_them_are_built_again_from_everything(tmp_path, steady):
    """Rule: merging only what changed needs the last run's outputs as it wrote them; one edited or gone, and
    everything is merged again (from the cache: nothing is parsed)."""
    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    (out / "csv" / "conflicts.csv").unlink()
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    assert messages == ["2 documents: 2 unchanged (cached), 0 to parse"]
    assert result.summary["rebuilt"] == "everything"
    assert (out / "csv" / "conflicts.csv").is_file()
    assert sorted(result.tables["credentials"]["credential_name"]) == ["Forklift Safety", "Welding Basics"]


def test_the_command_lines_look_is_used_for_the_stamp_and_the_tree(tmp_path, steady, reads):
    """Rule: `seen` (the command line's look, just made) stands for the stamp and raw/'s walk: its stamp's hashes
    spare the reads, and its tree is what the run stamps."""
    import json

    from pipeline import stamp

    raw = _two_pages(tmp_path)
    _three_more_pages(raw)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    _write(raw, WELDING, _html("Welding Basics", ("Credential Lifespan", "5 years")))
    look = stamp.look(cache, raw, out)
    reads.clear()
    result = extract(raw, out, cache_dir=cache, workers=1, seen=look)
    assert reads == [WELDING, WELDING]
    assert result.summary["rebuilt"] == "1 documents, 1 credentials"
    assert sorted(json.loads((cache / "stamp.json").read_text())["inputs"]) == sorted(look.tree.files)
    # a look that saw no stamp and an empty raw/: every document read, everything built, nothing stamped as input
    reads.clear()
    result = extract(raw, out, cache_dir=cache, workers=1, seen=stamp.Look(None, stamp.Tree({}), None))
    assert len(reads) == 5 and reads[:2] == [WELDING, FORKLIFT]  # in path order; none parsed
    assert result.summary["rebuilt"] == "everything" and result.summary["cached_documents"] == 5
    assert json.loads((cache / "stamp.json").read_text())["inputs"] == {}


def test_a_document_changed_while_it_was_parsed_is_kept_as_parsed_and_read_again_next_time(tmp_path, steady, reads):
    """Rule: a document is read again where it is parsed; one that changed after the plan read it is keyed and
    hashed by what was parsed, and stamped without its stat (the next run reads it again: nothing to parse)."""
    import hashlib
    import json

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    _warmed(raw, out, cache)
    changed = _html("Welding Basics", ("Credential Lifespan", "6 years")).encode()

    def edit(message: str) -> None:
        if message.startswith("2 documents"):  # planned, not yet parsed
            (raw / WELDING).write_bytes(changed)

    reads.clear()
    result = extract(raw, out, progress=edit, cache_dir=cache, workers=1)
    assert reads == [WELDING, WELDING]  # planned (hashed), then parsed
    assert result.tables["credentials"].sort_values("cred_id")["lifespan_years"].tolist() == [6.0, 2.0]
    inputs = json.loads((cache / "stamp.json").read_text())["inputs"]
    assert inputs[WELDING] == [None, hashlib.sha256(changed).hexdigest()]
    assert inputs[FORKLIFT][0] is not None
    reads.clear()
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    assert reads == [WELDING]
    assert messages == ["2 documents: 2 unchanged (cached), 0 to parse"]
    assert result.summary["rebuilt"] == "0 documents, 0 credentials"


def test_a_stamped_hash_whose_results_the_cache_lacks_is_read_and_parsed_again(tmp_path, steady, monkeypatch, reads):
    """Rule: a file whose stat is as stamped is spared its read only when the cache holds its results under the
    key its stamped hash gives: after a change of the pipeline's code (every key new) each document is read and
    parsed again."""
    from pipeline import cache as cache_module

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version of the code")
    reads.clear()
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    assert messages == ["2 documents: 0 unchanged (cached), 2 to parse", "parsed 2/2 documents"]
    assert sorted(reads) == [WELDING, FORKLIFT]  # once each: the cache of another code holds nothing for this one
    assert result.summary["cached_documents"] == 0
    assert sorted(result.tables["credentials"]["credential_name"]) == ["Forklift Safety", "Welding Basics"]


def test_a_document_changed_while_parsed_is_not_vouched_for_by_a_stat_that_did_not_move(tmp_path, steady, monkeypatch):
    """Rule: a document that changed between the plan's read and the parser's is stamped untrusted, even on a file
    system whose stat did not move (a coarse clock, the same size): the next run reads it again."""
    import json

    from pipeline import stamp

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    _warmed(raw, out, cache)  # "10 years": the plan reads it
    real = stamp.seen

    def coarse(path):
        info = real(path)
        return None if info is None else (info[0], 10**18, 10**18, info[3])

    monkeypatch.setattr(stamp, "seen", coarse)

    def edit(message: str) -> None:
        if message.startswith("2 documents"):  # planned, not yet parsed; "16 years" as long as "10 years"
            (raw / WELDING).write_text(_html("Welding Basics", ("Credential Lifespan", "16 years")))

    result = extract(raw, out, progress=edit, cache_dir=cache, workers=1)
    assert result.tables["credentials"].sort_values("cred_id")["lifespan_years"].tolist() == [16.0, 2.0]
    inputs = json.loads((cache / "stamp.json").read_text())["inputs"]
    assert inputs[WELDING][0] is None
    assert inputs[FORKLIFT][0] is not None


@pytest.mark.parametrize(
    ("number", "strerror", "stat_kept"),
    [
        (13, "Permission denied", True),  # EACCES: making it readable changes its ctime
        (1, "Operation not permitted", True),  # EPERM: the same
        (5, "Input/output error", False),  # EIO: may pass with no trace in the stat
        (24, "Too many open files", False),  # EMFILE: the same
    ],
)
@pytest.mark.parametrize("warm", [False, True], ids=["read where parsed", "read when planned"])
def test_a_document_that_cannot_be_read_is_reported_and_stamped_by_its_cause(
    tmp_path, steady, monkeypatch, number, strerror, stat_kept, warm
):
    """Rule: a document whose read fails is reported unreadable with its cause (the rest goes on); the cause is
    its hash, and its stat is stamped only when the failure lasts until the file changes (its permissions).
    In a cold run the read fails where the document is parsed, in a warm one where the plan reads it."""
    import json

    from pipeline.read import documents as documents_module

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    if warm:
        _warmed(raw, out, cache)
    real = documents_module.read_bytes
    attempts: list[str] = []

    def failing(ref):
        if ref.rel_path == WELDING:
            attempts.append(ref.rel_path)
            raise documents_module.DocumentError(f"cannot read file: {strerror}") from OSError(number, strerror)
        return real(ref)

    monkeypatch.setattr(documents_module, "read_bytes", failing)
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    if warm:  # the forklift page's results are in the cache: nothing to parse
        assert messages == ["2 documents: 1 unchanged (cached), 0 to parse"]
    else:
        assert messages == ["2 documents: 0 unchanged (cached), 2 to parse", "parsed 2/2 documents"]
    assert attempts == [WELDING]
    assert result.summary["unreadable"] == {WELDING: f"cannot read file: {strerror}"}
    assert result.tables["credentials"]["credential_name"].tolist() == ["Forklift Safety"]
    assert result.summary["source_urls"] == {WELDING: "https://example.org/c?cred_id=101"}
    info, digest = json.loads((cache / "stamp.json").read_text())["inputs"][WELDING]
    assert digest == ("unreadable: " if stat_kept else "unreadable for now: ") + f"cannot read file: {strerror}"
    assert (info is not None) == stat_kept
    attempts.clear()
    result = extract(raw, out, cache_dir=cache, workers=1)
    assert attempts == ([] if stat_kept else [WELDING])  # read again only when its failure may have passed
    assert result.summary["unreadable"] == {WELDING: f"cannot read file: {strerror}"}
    assert result.summary["cached_documents"] == (2 if stat_kept else 1)  # a failed read's result is written anew


def test_a_document_too_large_to_read_is_unreadable_and_its_stat_stamped(tmp_path, steady, monkeypatch):
    """Rule: a failure with no OS cause (a file over the size cap) lasts until the file changes."""
    import json

    from pipeline.read import documents as documents_module

    raw = _two_pages(tmp_path)
    monkeypatch.setattr(documents_module, "MAX_DOCUMENT_BYTES", 100)  # the pages hold over 200 bytes
    result = extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert result.summary["unreadable"] == {WELDING: "file over 0 MB; not read", FORKLIFT: "file over 0 MB; not read"}
    inputs = json.loads((tmp_path / "cache" / "stamp.json").read_text())["inputs"]
    assert inputs[WELDING][0] is not None and inputs[WELDING][1] == "unreadable: file over 0 MB; not read"


def _damage_label_rows(path: Path) -> None:
    """0xff over the pages of the label/value rows' column alone: the footer, the facts and typed rows intact."""
    _damage_column(path, "labels")


def test_a_cache_file_that_does_not_read_back_costs_only_time(tmp_path, steady, monkeypatch):
    """Rule: a cache file damaged since it was written (cache.BrokenPart) costs only time: its documents are
    parsed again from raw/ (said in the progress), the outputs are whole, and the damaged file is removed."""
    import shutil

    from pipeline import extract as extract_module

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    _damage_label_rows(cache / "documents-1.parquet")
    (cache / "stamp.json").unlink()
    shutil.rmtree(out)
    real, workers = extract_module.parse_all, []

    def parse_all(misses, store, count, report):
        workers.append(count)
        return real(misses, store, count, report)

    monkeypatch.setattr(extract_module, "parse_all", parse_all)
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    assert workers == [1, 1]  # parsed again on the workers the caller gave
    assert messages == [
        "2 documents: 2 unchanged (cached), 0 to parse",
        "cache file documents-1.parquet does not read back: its 2 documents are parsed again",
        "parsed 2/2 documents",
    ]
    assert sorted(result.tables["label_values"]["value"]) == sorted(
        ["Welding Basics", "3 years", "None", "Forklift Safety", "2 years", "None"]
    )
    assert sorted(result.tables["credentials"]["credential_name"]) == ["Forklift Safety", "Welding Basics"]
    assert result.summary["cached_documents"] == 0
    assert not (cache / "documents-1.parquet").exists()
    assert sorted(p.name for p in cache.glob("documents-*.parquet")) == ["documents-2.parquet"]


@pytest.mark.parametrize(("asked", "processes"), [(None, 3), (1, 1)])
def test_a_run_parses_and_builds_on_the_processes_asked_else_one_per_core(tmp_path, monkeypatch, asked, processes):
    """Rule: `workers` sizes the parse and the whole build; not given, one process per core (here 3)."""
    from pipeline import extract as extract_module

    monkeypatch.setattr("loky.backend.context.cpu_count", lambda: 3)
    real_parse, real_whole, given = extract_module.parse_all, extract_module.whole, []

    def parse_all(misses, store, count, report):
        given.append(("parse", count))
        return real_parse(misses, store, count, report)

    def whole(keys, store, count):
        given.append(("build", count))
        return real_whole(keys, store, count)

    monkeypatch.setattr(extract_module, "parse_all", parse_all)
    monkeypatch.setattr(extract_module, "whole", whole)
    result = extract(_two_pages(tmp_path), tmp_path / "out", workers=asked)
    assert given == [("parse", processes), ("build", processes)]
    assert sorted(result.tables["credentials"]["credential_name"]) == ["Forklift Safety", "Welding Basics"]


def _damaging_every_build(monkeypatch, cache: Path) -> None:
    """Every result file of the cache made unreadable just before each build (a folder that does not keep what
    is written to it)."""
    from pipeline import extract as extract_module

    real = extract_module._build

    def build(plan, store, raw_root, out, workers):
        for part in cache.glob("documents-*.parquet"):
            part.write_bytes(b"PAR1 broken PAR1")
        return real(plan, store, raw_root, out, workers)

    monkeypatch.setattr(extract_module, "_build", build)


def test_a_cache_folder_whose_new_files_keep_breaking_stops_the_run_naming_it(tmp_path, steady, monkeypatch):
    """Rule: no file may stall the run. Files this run wrote that break are parsed again 3 times at most; the 4th
    stops the run with the folder named (exit 1 through the command line), the last outputs untouched."""
    from pipeline import cli

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    before = _files_of(out)
    _write(raw, WELDING, _html("Welding Basics", ("Credential Lifespan", "4 years")))
    _damaging_every_build(monkeypatch, cache)
    messages: list[str] = []
    with pytest.raises(OSError) as raised, fails_after(60):  # never parsing the same page for ever
        extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    again = "does not read back: its 1 documents are parsed again"
    assert messages == [  # only the changed page is read (its group alone): the first run's file never is
        "2 documents: 1 unchanged (cached), 1 to parse",
        "parsed 1/1 documents",
        f"cache file documents-2.parquet {again}",
        "parsed 1/1 documents",
        f"cache file documents-3.parquet {again}",
        "parsed 1/1 documents",
        f"cache file documents-4.parquet {again}",
        "parsed 1/1 documents",
    ]
    assert (raised.value.errno, raised.value.filename) == (errno.EIO, str(cache))
    assert raised.value.strerror == (
        "cache file documents-5.parquet does not read back: 4 files this run wrote there broke; "
        "the folder does not keep them"
    )
    assert _files_of(out) == before
    code = cli.main(["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache), "--workers", "1"])
    assert code == 1


def test_a_cache_of_many_older_files_all_broken_is_parsed_again_file_after_file(tmp_path, steady, monkeypatch):
    """Rule: a file an earlier run wrote breaks once at most (it is forgotten), so five of them broken cost five
    rounds of parsing, never a stop."""
    import shutil

    raw = tmp_path / "raw"
    out, cache = tmp_path / "out", tmp_path / "cache"
    names = ["Welding Basics", "Forklift Safety", "Crane Rigging", "Boat Repair", "Roof Framing"]
    for number, name in enumerate(names, start=101):  # one run a page: five result files
        _write(raw, f"{YEAR}/html/credential_{number}.html", _html(name))
        extract(raw, out, cache_dir=cache, workers=1)
    assert len(list(cache.glob("documents-*.parquet"))) == 5
    for part in cache.glob("documents-*.parquet"):
        _damage_column(part, "result")  # the facts intact: the cache is loaded, then its files fail a build
    (cache / "stamp.json").unlink()
    shutil.rmtree(out)  # everything is built: every file is read
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    assert sum("does not read back" in message for message in messages) == 5
    assert sorted(result.tables["credentials"]["credential_name"]) == sorted(names)


def _damage_column(path: Path, name: str) -> None:
    """0xff over the pages of one column: the footer (so the schema and the row counts) intact."""
    from pyarrow import parquet

    metadata = parquet.ParquetFile(path).metadata
    data = bytearray(path.read_bytes())
    for group in range(metadata.num_row_groups):
        for number in range(metadata.num_columns):
            column = metadata.row_group(group).column(number)
            if column.path_in_schema.split(".")[0] == name:
                start = column.dictionary_page_offset or column.data_page_offset
                data[start : start + column.total_compressed_size] = b"\xff" * column.total_compressed_size
    path.write_bytes(bytes(data))


def test_cached_typed_rows_that_do_not_read_back_are_parsed_again_from_raw(tmp_path, steady):
    """Rule: a cached result whose typed rows no longer read back is parsed again from its page in raw/ when
    everything is built: the outputs are whole."""
    import shutil

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    _damage_column(cache / "documents-1.parquet", "result")
    (cache / "stamp.json").unlink()
    shutil.rmtree(out)
    result = extract(raw, out, cache_dir=cache, workers=1)
    credentials = result.tables["credentials"].sort_values("cred_id")
    assert credentials["credential_name"].tolist() == ["Welding Basics", "Forklift Safety"]
    assert credentials["lifespan_years"].tolist() == [3.0, 2.0]


def test_the_summary_is_written_beside_the_tables_without_what_only_this_run_did(tmp_path, steady):
    """Rule: out/summary.json holds the run's summary (so report can read it), but not how many documents came
    from the cache nor what was merged again: a warm run writes the bytes a cold one does."""
    import json

    raw = _two_pages(tmp_path)
    extract(raw, tmp_path / "out", workers=1)
    written = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (written["documents"], written["credentials"], written["rejects"]) == (2, 2, 0)
    assert written["extracted_at"] == "2024-09-02T10:00:00Z"
    assert written["origins"] == {"live": 1, "mirror": 1}
    assert "cached_documents" not in written and "rebuilt" not in written
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    assert "2024-09-02T10:00:00Z" in json.dumps(package)


def test_after_a_run_whose_groups_were_entangled_the_next_run_builds_everything(tmp_path, steady):
    """Rule: two credentials share a slug (each becomes <slug>-<cred_id>) and a third one's own slug is one of
    those: built at once (entangled), and the cache says so, so the next run builds everything again."""
    raw = tmp_path / "raw"
    for number, name in ((11, "Entangled Exam"), (12, "Entangled Exam"), (13, "Entangled Exam 11")):
        _write(raw, f"{YEAR}/html/credential_{number}.html", _html(name))
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = extract(raw, out, cache_dir=cache, workers=1)
    credentials = first.tables["credentials"].sort_values("cred_id")
    # 13's own slug is 11's renamed one: one credential of two sources (their cred_ids and names in conflict)
    assert list(zip(credentials["cred_id"], credentials["credential_slug"], strict=True)) == [
        (11, "entangled-exam-11"),
        (12, "entangled-exam-12"),
    ]
    second = extract(raw, out, cache_dir=cache, workers=1)
    assert second.summary["cached_documents"] == 3
    assert second.summary["rebuilt"] == "everything"


def test_a_broken_part_no_document_of_the_run_is_read_from_is_not_swallowed(tmp_path, monkeypatch):
    """Rule: a BrokenPart naming a file that holds none of this run's documents cannot be cured by parsing
    again: it is raised, not looped on."""
    from pipeline import cache as cache_module
    from pipeline import extract as extract_module

    raw = _two_pages(tmp_path)

    def broken(*args, **kwargs):
        raise cache_module.BrokenPart("documents-9.parquet")

    monkeypatch.setattr(extract_module, "_built_and_written", broken)
    with pytest.raises(cache_module.BrokenPart, match="^cache file documents-9.parquet does not read back$"):
        extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert not (tmp_path / "out").exists()


def test_a_run_cleans_what_a_killed_run_left_in_the_cache(tmp_path):
    """Rule: under the cache's lock, a file a killed run was writing there (`.state.json.k2x9`) is removed."""
    raw = _two_pages(tmp_path)
    cache = tmp_path / "cache"
    _write(cache, ".state.json.k2x9", "half")
    extract(raw, tmp_path / "out", cache_dir=cache, workers=1)
    assert not (cache / ".state.json.k2x9").exists()
    assert not (cache / "extract.lock").exists()


@pytest.mark.parametrize("name", ["state.json", "stamp.json"])
def test_a_folder_where_the_cache_keeps_its_state_or_stamp_is_a_warning_and_the_outputs_are_written(
    tmp_path, steady, name
):
    """Rule: what the cache keeps for the next run (state.json, stamp.json) is written after the outputs; failing
    to write it (here a folder of the user's in its place) is a `warning:` naming the file, and the run goes on:
    the outputs are this run's, the folder and what it holds stay."""
    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    (cache / name).unlink()
    (cache / name).mkdir()
    (cache / name / "notes.txt").write_text("mine")
    _write(raw, WELDING, _html("Welding Basics", ("Credential Lifespan", "9 years")))
    messages: list[str] = []
    result = extract(raw, out, cache_dir=cache, progress=messages.append, workers=1)
    assert [m for m in messages if m.startswith("warning:")] == [
        f"warning: {cache / name}: Is a directory; not kept for the next run, which reads more again"
    ]
    credentials = result.tables["credentials"].sort_values("cred_id")
    assert credentials["lifespan_years"].tolist() == [9.0, 2.0]
    assert pd.read_csv(out / "csv" / "credentials.csv").sort_values("cred_id")["lifespan_years"].tolist() == [9, 2]
    assert (cache / name / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/c/state.json"), "/c/state.json: No space left on device"),
        (OSError("the disk went away"), "the cache: the disk went away"),
    ],
)
def test_a_cache_state_not_written_is_said_naming_the_file_or_the_cache_and_the_cause(
    tmp_path, steady, monkeypatch, error, said
):
    """Rule: the warning names the file the error names, else "the cache"; its cause is the error's text (its
    strerror, else the whole error). The stamp is still written after it, and the result returned."""
    from pipeline import cache as cache_module

    def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr(cache_module.Store, "save", fails)
    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    messages: list[str] = []
    result = extract(raw, out, cache_dir=cache, progress=messages.append, workers=1)
    assert messages[-1] == f"warning: {said}; not kept for the next run, which reads more again"
    assert sorted(result.tables["credentials"]["cred_id"]) == [101, 102]
    assert (cache / "stamp.json").is_file() and not (cache / "state.json").exists()


# --- refusals and failures: nothing the user had is touched ------------------------------------------------


def test_no_raw_folder_is_refused_before_anything_is_written(tmp_path):
    from pipeline.files import UsageError

    with pytest.raises(UsageError) as refused:
        extract(tmp_path / "missing", tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert str(refused.value) == f"no raw folder at {tmp_path / 'missing'}"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_raw_folder_without_documents_is_refused_and_writes_no_output(tmp_path):
    from pipeline.files import UsageError

    raw = tmp_path / "raw"
    _write(raw, f"{YEAR}/manifest.csv", MANIFEST_HEADER)
    with pytest.raises(UsageError) as refused:
        extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert str(refused.value) == f"no documents under {raw} (expected {raw}/<school_year>/<kind>/<file>)"
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "cache" / "stamp.json").exists()


def test_an_output_that_is_a_file_is_refused_and_left_as_it_was(tmp_path):
    from pipeline.files import UsageError

    raw = _two_pages(tmp_path)
    (tmp_path / "out").write_text("the user's notes")
    with pytest.raises(UsageError) as refused:
        extract(raw, tmp_path / "out", workers=1)
    assert str(refused.value) == f"--out {tmp_path / 'out'} is an existing file, not a folder"
    assert (tmp_path / "out").read_text() == "the user's notes"


def test_a_cache_holding_files_extract_did_not_write_is_refused_and_left_as_it_was(tmp_path):
    from pipeline.files import UsageError

    raw = _two_pages(tmp_path)
    _write(tmp_path, "cache/thesis.tex", "chapter one")
    with pytest.raises(UsageError) as refused:
        extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert str(refused.value) == (
        f"--cache {tmp_path / 'cache'} holds files extract did not write (thesis.tex); choose a new or empty folder"
    )
    assert _files_of(tmp_path / "cache") == {"thesis.tex": b"chapter one"}
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("held", ["--out", "--cache"])
def test_an_output_or_cache_another_run_holds_is_refused_at_once(tmp_path, held):
    """Rule: the output's lock, then the cache's: a second run refuses at once, naming the folder and its flag,
    and leaves both as they were."""
    from pipeline import files

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    lock = files.output_lock(out) if held == "--out" else cache / files.CACHE_LOCK
    folder = out if held == "--out" else cache
    with files.locked(lock, "the other run"), pytest.raises(files.Busy) as refused:
        extract(raw, out, cache_dir=cache, workers=1)
    assert str(refused.value).startswith(f"{held} {folder} is in use by another nccte run")
    assert not out.exists()
    assert not (cache / "stamp.json").exists()
    assert not files.output_lock(out).exists()  # the output's lock, taken first, is let go


def test_a_run_that_fails_leaves_the_previous_outputs_and_stamp_as_they_were(tmp_path, steady, monkeypatch):
    """Rule: a run that fails after parsing (here in the tables derived from the others) replaces nothing: the
    previous outputs and the stamp are the same bytes, and the next run finds nothing changed."""
    from pipeline import extract as extract_module
    from pipeline import stamp

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    outputs, stamped = _files_of(out), (cache / "stamp.json").read_bytes()
    _write(raw, WELDING, _html("Welding Basics", ("Credential Lifespan", "9 years")))

    def fails(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(extract_module, "_derive", fails)
    with pytest.raises(RuntimeError, match="a bug"):
        extract(raw, out, cache_dir=cache, workers=1)
    assert _files_of(out) == outputs
    assert (cache / "stamp.json").read_bytes() == stamped
    assert stamp.unchanged(cache, raw, out) is None  # raw/ changed: the next run runs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "out", "raw"]


# --- the run's process settings ----------------------------------------------------------------------------


def test_a_run_collects_garbage_less_often_and_uses_the_system_allocator_then_sets_both_back(tmp_path):
    """Rule: during a run the cyclic collector's threshold is 50,000 and Arrow allocates from the system; the
    settings the caller had are back after the run, and after a refused one."""
    import gc

    from pipeline.files import UsageError

    raw = _two_pages(tmp_path)
    threshold, pool = gc.get_threshold(), pa.default_memory_pool().backend_name
    during: list[tuple] = []

    def look(message: str) -> None:
        during.append((gc.get_threshold(), pa.default_memory_pool().backend_name))

    extract(raw, tmp_path / "out", progress=look, workers=1)
    assert during[0] == ((50_000, 20, 20), "system")
    assert (gc.get_threshold(), pa.default_memory_pool().backend_name) == (threshold, pool)
    with pytest.raises(UsageError):
        extract(tmp_path / "missing", tmp_path / "out", workers=1)
    assert (gc.get_threshold(), pa.default_memory_pool().backend_name) == (threshold, pool)


def test_large_blocks_are_mapped_on_their_own_and_a_libc_without_mallopt_is_no_error(tmp_path, monkeypatch):
    """Rule: glibc is asked (mallopt M_MMAP_THRESHOLD = -3) to map blocks of 256 KB and more on their own; a C
    library without mallopt keeps its own policy and the run goes on."""
    import ctypes

    from pipeline import extract as extract_module

    asked: list[tuple] = []

    class Libc:
        def __init__(self, name):
            asked.append(("CDLL", name))

        def mallopt(self, parameter, value):
            asked.append((parameter, value))
            return 1

        def __getattr__(self, name):
            return lambda *args: 0

    monkeypatch.setattr(ctypes, "CDLL", Libc)
    extract_module._large_blocks_mapped()
    assert asked == [("CDLL", None), (-3, 262_144)]

    class NoMallopt:
        def __init__(self, name):
            pass

    monkeypatch.setattr(ctypes, "CDLL", NoMallopt)
    extract_module._large_blocks_mapped()  # AttributeError: not glibc

    def no_library(name):
        raise OSError("no C library")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    extract_module._large_blocks_mapped()


def test_the_command_line_extracts_then_does_nothing_while_nothing_changed(tmp_path, steady, capsys):
    """Rule (the command line around extract, in process): a run exits 0 with its summary; the next one, with
    nothing changed under raw/ nor in out/, says so and does nothing; a missing raw/ is one line and exit 3."""
    from pipeline import cli

    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    arguments = ["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache), "--workers", "1"]
    assert cli.main(arguments) == 0
    assert "credentials: 2" in capsys.readouterr().out
    outputs = _files_of(out)
    assert cli.main(arguments) == 0
    assert capsys.readouterr().out == (
        f"nothing changed since the last run (3 files under {raw}, same code): {out} is current; "
        "nothing was done (--no-cache runs it all again)\n"
    )
    assert _files_of(out) == outputs
    missing = ["extract", "--raw", str(tmp_path / "missing"), "--out", str(out), "--cache", str(cache)]
    assert cli.main(missing) == 3
    assert capsys.readouterr().err == f"error: no raw folder at {tmp_path / 'missing'}\n"
    assert _files_of(out) == outputs


def test_a_document_whose_manifest_row_changed_is_read_and_parsed_again_beside_the_cached_one(tmp_path, steady, reads):
    """Rule: a file whose stat is as stamped is spared its read only when the cache holds results under the key its
    stamped hash gives; its manifest row (its URL, so its cred_id) is part of that key: a file the manifest now
    names by another URL is read and parsed again, while the cache still holds the other page's results."""
    raw = _two_pages(tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    extract(raw, out, cache_dir=cache, workers=1)
    _write(
        raw,
        f"{YEAR}/manifest.csv",
        _manifest(
            "html/credential_101.html,https://example.org/c?cred_id=111,2024-09-01T10:00:00Z,200,text/html,,,,live",
            "html/credential_102.html,https://example.org/c?cred_id=102,2024-09-02T10:00:00Z,200,text/html,,,,mirror",
        ),
    )
    reads.clear()
    messages: list[str] = []
    result = extract(raw, out, progress=messages.append, cache_dir=cache, workers=1)
    assert messages == ["2 documents: 1 unchanged (cached), 1 to parse", "parsed 1/1 documents"]
    assert reads == [WELDING, WELDING]  # by the plan (its key is not in the cache), then where it is parsed
    credentials = result.tables["credentials"].sort_values("cred_id")
    assert credentials["cred_id"].tolist() == [102, 111]
    assert credentials["credential_name"].tolist() == ["Forklift Safety", "Welding Basics"]
