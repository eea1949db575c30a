"""Re-runs are incremental: unchanged documents come from the cache, and the output is identical to a cold run.

Warm == cold proves agreement, not correctness (both runs share the same code);
correctness comes from the hand-written expectations elsewhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cache as cache_module
from pipeline import extract as extract_module
from pipeline import parse as parse_module
from pipeline import rebuild as rebuild_module
from pipeline.compare import changes as changes_module
from pipeline.extract import extract
from pipeline.tables import build
from schemas.tables import CHILD_TABLES, KEYS
from tests.conftest import REPO
from tests.test_bad_input import page


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.agreement
def test_warm_run_parses_nothing_and_writes_the_same_files(tmp_path):
    cold = extract(REPO / "raw", tmp_path / "cold", cache_dir=tmp_path / "cache", workers=1)
    warm = extract(REPO / "raw", tmp_path / "warm", cache_dir=tmp_path / "cache", workers=1)
    assert cold.summary["cached_documents"] == 0
    assert warm.summary["cached_documents"] == warm.summary["documents"]
    cold_files, warm_files = _files(tmp_path / "cold"), _files(tmp_path / "warm")
    assert [name for name in cold_files if name.endswith(".parquet")]
    assert warm_files == cold_files


def test_a_changed_document_is_parsed_again(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "raw", raw)
    extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    page = raw / "2024-2025" / "html" / "credential_1230.html"
    page.write_text(page.read_text().replace("5 years", "7 years"))
    result = extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert result.summary["cached_documents"] == result.summary["documents"] - 1
    servsafe = result.tables["credentials"].query("school_year == '2024-2025' and cred_id == 1230").iloc[0]
    assert servsafe["lifespan_years"] == 7.0


def test_a_change_of_pipeline_code_invalidates_the_cache(tmp_path, monkeypatch):
    extract(REPO / "raw", tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version of the code")
    result = extract(REPO / "raw", tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert result.summary["cached_documents"] == 0


@pytest.mark.agreement
def test_parallel_parsing_gives_the_same_output(tmp_path, monkeypatch):
    monkeypatch.setattr(parse_module, "_PARALLEL_FROM", 1)
    extract(REPO / "raw", tmp_path / "serial", workers=1)
    extract(REPO / "raw", tmp_path / "parallel", workers=2)
    assert _files(tmp_path / "parallel") == _files(tmp_path / "serial")


def test_a_broken_cache_file_only_costs_time(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / cache_module.STATE_FILE).write_bytes(b"not a cache")
    result = extract(REPO / "raw", tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert result.summary["cached_documents"] == 0 and result.summary["credentials"] > 0


@pytest.mark.agreement
@pytest.mark.parametrize("entangled", [False, True], ids=["committed raw", "a renamed slug another's own"])
def test_a_build_a_few_groups_at_a_time_writes_what_one_build_of_everything_writes(tmp_path, monkeypatch, entangled):
    """Agreement: sets of one document and comparisons of one credential at a time against the defaults. With a
    collision's renamed slug that is another credential's own, the two sets meet and everything is built at once."""
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "raw", raw)
    if entangled:
        _entangle(raw)
    extract(raw, tmp_path / "together", workers=1)
    monkeypatch.setattr(rebuild_module, "_SET_DOCUMENTS", 1)
    monkeypatch.setattr(changes_module, "_COMPARED", 1)
    extract(raw, tmp_path / "apart", workers=1)
    assert _files(tmp_path / "apart") == _files(tmp_path / "together")


def test_a_page_edited_between_planning_and_parsing_is_kept_as_parsed_and_read_again_next_time(tmp_path, monkeypatch):
    """The run plans with one reading of a page and parses another (the parent keeps no page's bytes): the output
    holds what was parsed, and the next run reads the page again by its content, not its stamped stat."""
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "raw", raw)
    page = raw / "2024-2025" / "html" / "credential_1230.html"
    planned = extract_module._plan

    def plan_then_edit(*args):
        found = planned(*args)
        page.write_text(page.read_text().replace("5 years", "9 years"))
        return found

    monkeypatch.setattr(extract_module, "_plan", plan_then_edit)
    run = extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    servsafe = run.tables["credentials"].query("school_year == '2024-2025' and cred_id == 1230").iloc[0]
    assert servsafe["lifespan_years"] == 9.0
    monkeypatch.setattr(extract_module, "_plan", planned)
    again = extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    assert again.summary["cached_documents"] == again.summary["documents"]  # its key is that of what was parsed
    extract(raw, tmp_path / "cold", workers=1)
    assert _files(tmp_path / "out") == _files(tmp_path / "cold")


# --- one page changed, one page's work: the incremental build against a whole one -------------------


def _edit(relative: str, old: str, new: str):
    def edit(raw: Path) -> None:
        path = raw / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _write(relative: str, content: bytes):
    def write(raw: Path) -> None:
        (raw / relative).write_bytes(content)

    return write


def _delete(relative: str):
    def delete(raw: Path) -> None:
        (raw / relative).unlink()

    return delete


_TEXT = "2024-2025/text"


def _entangle(raw: Path) -> None:
    """Two credentials share a slug (each becomes <slug>-<cred_id>) and a third one's own slug is one of those."""
    for number, name in ((11, "Entangled Exam"), (12, "Entangled Exam"), (13, "Entangled Exam 11")):
        (raw / _TEXT / f"credential_{number}.txt").write_bytes(page(name, f"Exam Time Allotment{number} minutes"))


_DRIFT = (
    b"<html><body><h2>2024-2025 Credential Information</h2><h3>Drift Credential</h3><table>"
    b"<tr><td>Credential Name</td><td>Drift Credential</td></tr><tr><td>Exam Mascot</td><td>Owl</td></tr>"
    b"<tr><td>Directory Notes</td><td>None</td></tr></table></body></html>"
)
# Each step changes raw/ as a user or the site might; True when an incremental build must serve it.
_STEPS = [
    ("a value on a credential page", _edit("2024-2025/html/credential_1230.html", "5 years", "7 years"), True),
    ("a value another rendering also gives", _edit(f"{_TEXT}/credential_1264.txt", "| 3 years |", "| 4 years |"), True),
    ("a value that is rejected", _edit("2024-2025/html/credential_1230.html", "7 years", "-7 years"), True),
    ("a page with a label no field knows", _write("2024-2025/html/credential_7.html", _DRIFT), True),
    ("a new page", _write(f"{_TEXT}/credential_5.txt", page("C++ Certified Associate Programmer")), True),
    ("a slug collision", _write(f"{_TEXT}/credential_6.txt", page("C Certified Associate Programmer")), True),
    ("the collision undone", _delete(f"{_TEXT}/credential_6.txt"), True),
    ("a renamed credential", _write(f"{_TEXT}/credential_5.txt", page("Rust Certified Programmer")), True),
    ("a page emptied", _write(f"{_TEXT}/credential_1380.txt", b""), True),
    (
        "a course page",
        _edit("2023-2024/text/course_889_archive.txt", "Credential Vendor InfoAm", "Credential Vendor InfoThe Am"),
        True,
    ),
    ("a page deleted", _delete("2024-2025/html/credential_1290.html"), True),
    (
        "a page put back as it was",
        _write(f"{_TEXT}/credential_1380.txt", (REPO / "raw" / _TEXT / "credential_1380.txt").read_bytes()),
        True,
    ),
    ("the listing", _write("2023-2024/pdf/credentials_by_course.pdf", b"%PDF-1.4 cut"), False),
    ("a renamed slug that is another credential's own", _entangle, False),
    ("a value after that", _edit("2024-2025/html/credential_1230.html", "-7 years", "8 years"), False),
    (
        "many pages at once",
        lambda raw: [p.write_text(p.read_text() + " ") for p in (raw / "2024-2025" / "html").glob("*.html")],
        False,
    ),
]


@pytest.mark.agreement
def test_each_change_rebuilds_only_what_it_touches_and_writes_what_a_whole_build_writes(tmp_path):
    """Agreement, not correctness: every step's incremental output against a cold run's, byte for byte.

    The walk is longer than the cache keeps appended result files (8), so later steps read results from a
    compacted file (a row-group mapping bug there once sent the course page step to a whole build).
    """
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "raw", raw)
    extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
    for number, (what, change, incremental) in enumerate(_STEPS):
        change(raw)
        documents = sum(1 for _ in raw.rglob("*.*") if _.name not in ("manifest.csv", "README.md"))
        run = extract(raw, tmp_path / "out", cache_dir=tmp_path / "cache", workers=1)
        cold = extract(raw, tmp_path / f"cold-{number}", workers=1)
        assert _files(tmp_path / "out") == _files(tmp_path / f"cold-{number}"), what
        assert run.summary == {
            **cold.summary,
            "cached_documents": run.summary["cached_documents"],
            "rebuilt": run.summary["rebuilt"],
        }
        assert (run.summary["rebuilt"] != "everything") == incremental, what
        if incremental:
            assert run.summary["cached_documents"] >= documents - 1, what
    assert len(list((tmp_path / "cache").glob("documents-*.parquet"))) <= cache_module._KEEP_FILES


def _frames(rows: list[tuple]) -> dict[str, pd.DataFrame]:
    """Every table empty but `credentials`, whose rows are (school_year, credential_slug)."""
    frames = {name: pd.DataFrame({key: pd.Series([], dtype="string") for key in KEYS[name]}) for name in KEYS}
    frames["credentials"] = pd.DataFrame(rows, columns=["school_year", "credential_slug"], dtype="string")
    return frames


@pytest.mark.parametrize(
    ("kept", "built", "expected"),
    [
        # disjoint keys: sorted together, nulls never occur in keys
        (
            [("2024-2025", "b"), ("2024-2025", "d")],
            [("2023-2024", "z"), ("2024-2025", "c")],
            [("2023-2024", "z"), ("2024-2025", "b"), ("2024-2025", "c"), ("2024-2025", "d")],
        ),
        # one key in both: a whole build decides
        ([("2024-2025", "b"), ("2024-2025", "d")], [("2024-2025", "d")], None),
        # equal in one key column only is not a repeat
        (
            [("2024-2025", "b")],
            [("2023-2024", "b"), ("2024-2025", "a")],
            [("2023-2024", "b"), ("2024-2025", "a"), ("2024-2025", "b")],
        ),
    ],
)
def test_kept_and_built_rows_are_sorted_together_unless_a_key_meets(kept, built, expected):
    tables = build.assemble(_frames(kept), _frames(built))
    if expected is None:
        assert tables is None
    else:
        assert list(tables["credentials"].itertuples(index=False, name=None)) == expected


def test_every_reject_says_what_it_depends_on_so_a_change_can_replace_it():
    """A reject without its group would outlive the change that fixes its row: every kind carries the tags."""
    from pipeline.tables.rows import CredentialRows, Source
    from tests.test_validate import BASE

    def found(slug: str, **changes) -> CredentialRows:
        soc = {"school_year": "2023-2024", "credential_slug": slug, "soc_code": "27-1024", "soc_title": "Designers",
               "source_path": f"{slug}.txt"}  # fmt: skip
        source = Source(f"{slug}.txt", None, "a" * 64, "text", "2023-2024", False, None)
        credential = {**BASE, "credential_slug": slug, "source_path": f"{slug}.txt", **changes}
        children = {table: [] for table in CHILD_TABLES} | {"credential_soc_codes": [soc]}
        return CredentialRows(credential, children, source, None, 1)

    built = build.build(
        [
            found("huge", exam_minutes=10**30),  # screened: no column holds it
            found("zero", exam_minutes=0),  # failed a schema check
            found("dropped", credential_name=""),  # a required value failed: its row and its SOC row go
        ],
        [],
        lambda: [],  # no label/value rows
    )
    rejects = built.tables["rejects"]
    assert sorted(zip(rejects["check"], rejects[build.GROUP], strict=True)) == [
        ("credential_row_exists", build.group_of("2023-2024", "dropped")),
        ("fits_int64", build.group_of("2023-2024", "huge")),
        ("greater_than_or_equal_to(1)", build.group_of("2023-2024", "zero")),
        ("str_length(1, None)", build.group_of("2023-2024", "dropped")),
    ]
