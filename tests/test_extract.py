"""The extract job end to end, on real files in temporary raw/ folders."""

from __future__ import annotations

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
