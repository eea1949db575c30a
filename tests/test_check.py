"""pipeline/compare/check.py in process: the verdict on a raw folder and a baseline (exit 0 valid and current, 1
invalid, 2 stale, 3 a usage error), what makes a committed output stale and how the report says what differs, and
the report as Markdown and JSON.

The fresh extraction is a stand-in for extract (extract has its own tests): it writes output files made by hand
into the folder check gives it and returns a summary and tables made by hand. Every output folder, summary, table
and expected verdict and message is written by hand here, from the contract (README "What changed: diff and check").
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as parquet
import pytest

from pipeline.compare import check as checking
from pipeline.compare.check import CheckResult, stale_outputs, to_json, to_markdown
from pipeline.files import UsageError

LABELS = ["school_year", "source_path", "block", "credential_slug", "label", "label_raw", "value", "position"]
REJECTS = ["table", "key", "column", "check", "failure_case", "page_text", "source_path"]
CHILDREN = ["credential_courses", "credential_pathways", "credential_soc_codes", "instructor_training_costs"]
STALE_HINT = "outputs differ from a fresh extraction (run `make regen` and commit what it changed)"
CREDENTIALS_CSV = b"school_year,credential_slug,credential_name\n2024-2025,servsafe,ServSafe\n"
OUTPUTS = {
    ".nccte-extract": b"written by extract\n",
    "csv/credentials.csv": CREDENTIALS_CSV,
    "summary.json": b'{"documents": 2, "extracted_at": "2024-09-01T00:00:00Z"}\n',
}


def _summary(**problems) -> dict:
    return {"unreadable": {}, "skipped": {}, "manifest_problems": {}, **problems}


def _tables(labels: list[dict] = (), rejects: list[dict] = ()) -> dict[str, pd.DataFrame]:
    return {
        "label_values": pd.DataFrame(list(labels), columns=LABELS).astype({"label": "string", "value": "string"}),
        "rejects": pd.DataFrame(list(rejects), columns=REJECTS).astype("string"),
    }


class Extraction:
    """A stand-in for extract: writes `outputs` (path in the output -> bytes) into the folder it is given and
    returns the summary and tables given (or raises `error`); each call is recorded."""

    def __init__(self, outputs: dict[str, bytes], summary=None, tables=None, error: Exception | None = None):
        self.outputs, self.error = outputs, error
        self.summary = summary if summary is not None else _summary()
        self.tables = tables if tables is not None else _tables()
        self.calls: list[SimpleNamespace] = []

    def __call__(self, raw: Path, out: Path, progress=None):
        self.calls.append(SimpleNamespace(raw=raw, out=out, progress=progress, existed=out.exists()))
        if self.error is not None:
            raise self.error
        _write(out, self.outputs)
        return SimpleNamespace(summary=self.summary, tables=self.tables)


def _write(folder: Path, outputs: dict[str, bytes | None]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            path.mkdir()
        else:
            path.write_bytes(data)


def _parquet(columns: dict[str, pa.Array], version: bytes | None = b"aaaaaaaaaaaa", compression="snappy") -> bytes:
    table = pa.table(columns)
    if version is not None:
        table = table.replace_schema_metadata({b"nccte:schema": version})
    sink = pa.BufferOutputStream()
    parquet.write_table(table, sink, compression=compression)
    return sink.getvalue().to_pybytes()


def _credentials(slugs: list[str], version: bytes | None = b"aaaaaaaaaaaa") -> bytes:
    return _parquet(
        {
            "school_year": pa.array(["2024-2025"] * len(slugs)),
            "credential_slug": pa.array(slugs),
            "credential_name": pa.array([slug.title() for slug in slugs]),
        },
        version,
    )


@pytest.fixture
def folders(tmp_path: Path) -> SimpleNamespace:
    raw = tmp_path / "raw"
    (raw / "2024-2025" / "text").mkdir(parents=True)
    return SimpleNamespace(raw=raw, baseline=tmp_path / "extracted")


def _check(monkeypatch, folders, baseline: dict, extraction: Extraction, progress=None) -> CheckResult:
    _write(folders.baseline, baseline)
    monkeypatch.setattr(checking, "extract", extraction)
    return checking.check(folders.raw, folders.baseline, progress)


# --- usage errors: exit 3, the reason is the report ---------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_no_raw_folder_is_a_usage_error_that_names_it_and_extracts_nothing(monkeypatch, folders, kind):
    raw = folders.raw.parent / "raws"
    if kind == "a file":
        raw.write_text("not a folder")
    _write(folders.baseline, OUTPUTS)
    extraction = Extraction(OUTPUTS)
    monkeypatch.setattr(checking, "extract", extraction)
    result = checking.check(raw, folders.baseline)
    assert result == CheckResult(3, usage=f"no raw folder at {raw} (give --raw)")
    assert extraction.calls == []


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_no_baseline_folder_is_a_usage_error_that_names_it_and_extracts_nothing(monkeypatch, folders, kind):
    baseline = folders.raw.parent / "extractd"  # a typo in --baseline
    if kind == "a file":
        baseline.write_text("not a folder")
    extraction = Extraction(OUTPUTS)
    monkeypatch.setattr(checking, "extract", extraction)
    result = checking.check(folders.raw, baseline)
    assert result == CheckResult(
        3, usage=f"no baseline folder at {baseline} (give --baseline, the committed extract output)"
    )
    assert extraction.calls == []


def test_raw_is_checked_before_the_baseline(monkeypatch, tmp_path):
    monkeypatch.setattr(checking, "extract", Extraction(OUTPUTS))
    result = checking.check(tmp_path / "raw", tmp_path / "extracted")
    assert result == CheckResult(3, usage=f"no raw folder at {tmp_path / 'raw'} (give --raw)")


def test_an_extraction_that_refuses_its_input_is_a_usage_error_with_its_reason(monkeypatch, folders):
    extraction = Extraction(OUTPUTS, error=UsageError("no documents under raw"))
    result = _check(monkeypatch, folders, OUTPUTS, extraction)
    assert result == CheckResult(3, usage="no documents under raw")


def test_a_baseline_another_run_is_writing_is_a_usage_error(monkeypatch, folders):
    lock = folders.baseline.parent / ".lock-extract-extracted"  # the writer's lock, beside the output
    handle = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = _check(monkeypatch, folders, OUTPUTS, Extraction(OUTPUTS))
    finally:
        os.close(handle)
    assert result == CheckResult(
        3,
        usage=f"--baseline {folders.baseline} is in use by another nccte run; nothing was done "
        "(run it again when that one ends)",
    )


# --- the fresh extraction ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "error, shown",
    [
        (ValueError("bad value\nTraceback line"), "ValueError: bad value"),  # the first line only
        (RuntimeError(), "RuntimeError: no detail"),
        (OSError("x" * 250), "OSError: " + "x" * 200),  # at most 200 characters of it
        (KeyError("credentials"), "KeyError: 'credentials'"),
    ],
)
def test_an_extraction_that_fails_is_an_invalid_verdict_naming_the_error(monkeypatch, folders, error, shown):
    result = _check(monkeypatch, folders, OUTPUTS, Extraction(OUTPUTS, error=error))
    assert result == CheckResult(1, causes=[f"the fresh extraction of {folders.raw} failed: {shown}"])


def test_the_fresh_extraction_goes_to_a_new_temporary_folder_with_the_progress_callback(monkeypatch, folders):
    def progress(line: str) -> None:
        pass

    extraction = Extraction(OUTPUTS)
    _check(monkeypatch, folders, OUTPUTS, extraction, progress)
    [call] = extraction.calls
    assert call.raw == folders.raw and call.progress is progress
    assert call.out.name == "extracted" and call.out.parent.name.startswith("nccte-check-")
    assert not call.existed  # extract makes its own output folder
    assert not call.out.parent.exists()  # and it is gone once checked


# --- the verdict ---------------------------------------------------------------------------------


def test_valid_and_current_is_exit_0_with_nothing_to_say(monkeypatch, folders):
    result = _check(monkeypatch, folders, OUTPUTS, Extraction(OUTPUTS))
    assert result == CheckResult(0)


def test_the_marker_and_the_report_page_never_make_a_baseline_stale(monkeypatch, folders):
    baseline = {**OUTPUTS, ".nccte-extract": b"an older marker text\n", "report.html": b"<html>report</html>"}
    result = _check(monkeypatch, folders, baseline, Extraction(OUTPUTS))
    assert result == CheckResult(0)


REJECT = {
    "table": "credentials",
    "key": "2024-2025/servsafe",
    "column": "passing_score_percent",
    "check": "less_than_or_equal_to(100)",
    "failure_case": "180.0",
    "page_text": "900 out of 500",
    "source_path": "2024-2025/text/credential_1.txt",
}
ROW_REJECT = {  # a row left out: no column, no value read, no page text
    "table": "credential_soc_codes",
    "key": None,
    "column": None,
    "check": "soc_code",
    "failure_case": None,
    "page_text": None,
    "source_path": "2024-2025/text/credential_2.txt",
}
KNOWN = {
    "school_year": "2024-2025",
    "source_path": "2024-2025/text/credential_1.txt",
    "block": 1,
    "credential_slug": "servsafe",
    "label": "credential_name",
    "label_raw": "Credential Name",
    "value": "ServSafe",
    "position": 1,
}
DRIFT_1 = {**KNOWN, "label": None, "label_raw": "Exam Fee", "value": "$95.00", "position": 2}
DRIFT_2 = {**KNOWN, "source_path": "2024-2025/html/credential_3.html", "label": pd.NA, "label_raw": "Notes"}
DRIFT_2 |= {"value": None, "position": 3}


@pytest.mark.parametrize(
    "summary, tables, expected",
    [
        (
            _summary(),
            _tables([KNOWN], [REJECT, ROW_REJECT]),
            CheckResult(1, causes=["2 rejected values or rows"], rejects=[REJECT, ROW_REJECT]),
        ),
        (
            _summary(unreadable={"2024-2025/pdf/listing.pdf": "not a PDF (no %PDF- header)"}),
            _tables([KNOWN]),
            CheckResult(
                1,
                causes=["1 unreadable documents"],
                unreadable={"2024-2025/pdf/listing.pdf": "not a PDF (no %PDF- header)"},
            ),
        ),
        (
            _summary(),
            _tables([KNOWN, DRIFT_1, DRIFT_2]),
            CheckResult(
                1,
                causes=["2 schema drift labels (map them, or list them as known: see README)"],
                drift=[
                    {"source_path": "2024-2025/text/credential_1.txt", "label_raw": "Exam Fee", "value": "$95.00"},
                    {"source_path": "2024-2025/html/credential_3.html", "label_raw": "Notes", "value": None},
                ],
            ),
        ),
        (
            _summary(skipped={"2024-2025/notes.docx": "not a document kind", "2024-2025/a.txt": "empty"}),
            _tables([KNOWN]),
            CheckResult(
                1,
                causes=["2 skipped files"],
                skipped={"2024-2025/notes.docx": "not a document kind", "2024-2025/a.txt": "empty"},
            ),
        ),
        (
            _summary(
                manifest_problems={
                    "2024-2025/manifest.csv": ["row 2: no path", "row 3: no such file"],
                    "2023-2024/manifest.csv": ["row 4: a bad sha256"],
                }
            ),
            _tables([KNOWN]),
            CheckResult(
                1,
                causes=["3 manifest problems"],  # counted problem by problem, not manifest by manifest
                manifest_problems={
                    "2024-2025/manifest.csv": ["row 2: no path", "row 3: no such file"],
                    "2023-2024/manifest.csv": ["row 4: a bad sha256"],
                },
            ),
        ),
    ],
    ids=["rejects", "unreadable", "drift", "skipped", "manifest"],
)
def test_each_kind_of_problem_alone_makes_the_data_invalid(monkeypatch, folders, summary, tables, expected):
    result = _check(monkeypatch, folders, OUTPUTS, Extraction(OUTPUTS, summary, tables))
    assert result == expected


def test_every_problem_at_once_is_counted_in_the_contracts_order_then_staleness(monkeypatch, folders):
    summary = _summary(
        unreadable={"2024-2025/pdf/a.pdf": "encrypted"},
        skipped={"2024-2025/b.docx": "not a document kind"},
        manifest_problems={"2024-2025/manifest.csv": ["row 2: no path"]},
    )
    extraction = Extraction(OUTPUTS, summary, _tables([DRIFT_1], [REJECT]))
    baseline = {**OUTPUTS, "csv/credentials.csv": b"school_year,credential_slug,credential_name\n"}
    result = _check(monkeypatch, folders, baseline, extraction)
    assert result.code == 1  # invalid wins over stale
    assert result.causes == [
        f"the baseline cannot be compared table by table: {folders.baseline}: no parquet/ folder "
        "(not an extract output?)",
        "1 rejected values or rows",
        "1 unreadable documents",
        "1 schema drift labels (map them, or list them as known: see README)",
        "1 skipped files",
        "1 manifest problems",
        f"{folders.baseline} is stale: 1 {STALE_HINT}",
    ]
    assert result.stale == {"csv/credentials.csv": "1 rows only in the fresh extraction, 0 only in the baseline"}


def test_a_summary_kept_by_the_result_is_a_copy(monkeypatch, folders):
    summary = _summary(unreadable={"a.pdf": "encrypted"}, skipped={"b.docx": "kind"}, manifest_problems={})
    result = _check(monkeypatch, folders, OUTPUTS, Extraction(OUTPUTS, summary, _tables([KNOWN])))
    summary["unreadable"]["c.pdf"] = "later"
    summary["skipped"]["d.docx"] = "later"
    assert result.unreadable == {"a.pdf": "encrypted"} and result.skipped == {"b.docx": "kind"}


def test_valid_but_stale_is_exit_2_and_says_how_many_outputs_differ(monkeypatch, folders):
    fresh = {**OUTPUTS, "csv/credentials.csv": CREDENTIALS_CSV + b"2024-2025,osha-10,OSHA 10\n", "new.txt": b"x"}
    result = _check(monkeypatch, folders, OUTPUTS, Extraction(fresh))
    assert result.code == 2
    assert result.stale == {
        "csv/credentials.csv": "1 rows only in the fresh extraction, 0 only in the baseline",
        "new.txt": "missing from the baseline",
    }
    assert result.causes == [
        f"the baseline cannot be compared table by table: {folders.baseline}: no parquet/ folder "
        "(not an extract output?)",
        f"{folders.baseline} is stale: 2 {STALE_HINT}",
    ]
    assert result.report is None


def test_a_baseline_that_cannot_be_compared_at_all_is_stale_and_says_why(monkeypatch, folders):
    # In the baseline `csv` is a folder; the fresh extraction writes a file of that name.
    baseline = {**OUTPUTS}
    fresh = {**{k: v for k, v in OUTPUTS.items() if not k.startswith("csv/")}, "csv": b"a file"}
    result = _check(monkeypatch, folders, baseline, Extraction(fresh))
    assert result.code == 2
    assert result.stale == {
        str(folders.baseline): f"cannot be compared (IsADirectoryError: [Errno 21] Is a directory: "
        f"'{folders.baseline / 'csv'}')"
    }
    assert result.causes[-1] == f"{folders.baseline} is stale: 1 {STALE_HINT}"


# --- the typed diff of a stale baseline --------------------------------------------------------


def _with_parquet(slugs: list[str], version: bytes | None = b"aaaaaaaaaaaa") -> dict[str, bytes]:
    return {**OUTPUTS, "parquet/credentials.parquet": _credentials(slugs, version)}


def test_a_stale_baseline_of_the_same_schema_gets_the_typed_diff(monkeypatch, folders):
    baseline, fresh = _with_parquet(["osha-10", "servsafe"]), _with_parquet(["osha-10", "servsafe", "welding"])
    result = _check(monkeypatch, folders, baseline, Extraction(fresh))
    assert result.code == 2
    assert result.stale == {
        "parquet/credentials.parquet": "1 rows only in the fresh extraction, 0 only in the baseline"
    }
    # Only credentials.parquet was written: each child table is missing on both sides, listed as not compared.
    assert result.causes == [
        *(f"{name}: not compared ({folders.baseline}: missing {name})" for name in CHILDREN),
        f"{folders.baseline} is stale: 1 {STALE_HINT}",
    ]
    assert result.report["old"] == str(folders.baseline)
    assert result.report["new"] == f"{folders.raw} (fresh extraction)"
    assert [row["credential_slug"] for row in result.report["added"]] == ["welding"]
    assert "schema_version" not in result.report


def test_a_baseline_of_another_schema_version_starts_the_causes_with_both_versions(monkeypatch, folders):
    baseline = _with_parquet(["servsafe"], version=None)  # written before schema versions were recorded
    fresh = _with_parquet(["servsafe"], version=b"bbbbbbbbbbbb")
    result = _check(monkeypatch, folders, baseline, Extraction(fresh))
    assert result.code == 2
    assert result.stale == {
        "parquet/credentials.parquet": "same rows, other metadata (schema version unknown in the baseline, "
        "bbbbbbbbbbbb fresh)"
    }
    assert result.causes[0] == (
        "the baseline is schema version unknown (written before schema versions were recorded), this extraction "
        "is bbbbbbbbbbbb: only tables and columns both sides have, with types that compare, are compared"
    )
    assert result.causes[1:] == [
        *(f"{name}: not compared ({folders.baseline}: missing {name})" for name in CHILDREN),
        f"{folders.baseline} is stale: 1 {STALE_HINT}",
    ]


def test_a_baseline_whose_parquet_cannot_be_read_is_stale_and_not_compared_table_by_table(monkeypatch, folders):
    baseline = {**_with_parquet(["servsafe"]), "parquet/credentials.parquet": b"garbage, not parquet"}
    result = _check(monkeypatch, folders, baseline, Extraction(_with_parquet(["servsafe"])))
    assert result.code == 2
    assert result.stale == {"parquet/credentials.parquet": "cannot be read (ArrowInvalid)"}
    assert len(result.causes) == 2 and result.report is None
    assert result.causes[0].startswith(
        f"the baseline cannot be compared table by table: {folders.baseline / 'parquet' / 'credentials.parquet'} "
        "cannot be read (ArrowInvalid: "
    )


@pytest.mark.parametrize(
    "error, shown",
    [(KeyError("credential_slug"), "KeyError: 'credential_slug'"), (ValueError("a\nb"), "ValueError: a")],
)
def test_a_typed_diff_that_fails_otherwise_leaves_the_verdict_and_says_why(monkeypatch, folders, error, shown):
    def failing(old: Path, new: Path) -> dict:
        raise error

    monkeypatch.setattr(checking.diff, "diff_outputs", failing)
    fresh = {**OUTPUTS, "csv/credentials.csv": b"school_year,credential_slug,credential_name\n"}
    result = _check(monkeypatch, folders, OUTPUTS, Extraction(fresh))
    assert result.code == 2 and result.report is None
    assert result.causes == [
        f"the baseline cannot be compared table by table: {shown}",
        f"{folders.baseline} is stale: 1 {STALE_HINT}",
    ]


# --- stale outputs: every committed file compared with the fresh one ------------------------------


def _stale(tmp_path: Path, baseline: dict, fresh: dict) -> dict[str, str]:
    _write(tmp_path / "baseline", baseline)
    _write(tmp_path / "fresh", fresh)
    return stale_outputs(tmp_path / "baseline", tmp_path / "fresh")


def test_files_on_one_side_only_are_stale_and_listed_in_name_order(tmp_path):
    stale = _stale(
        tmp_path,
        {"b.csv": b"a\n1\n", "csv/gone.csv": b"a\n1\n", "empty": None, "same.txt": b"x"},
        {"b.csv": b"a\n1\n", "a/new.csv": b"a\n1\n", "z.json": b"{}", "same.txt": b"x"},
    )
    assert list(stale.items()) == [
        ("a/new.csv", "missing from the baseline"),
        ("csv/gone.csv", "not an output of extract any more"),
        ("z.json", "missing from the baseline"),
    ]  # an empty folder is no output


@pytest.mark.parametrize("name", [".nccte-extract", "report.html"])
def test_the_marker_and_the_report_page_are_never_compared(tmp_path, name):
    assert _stale(tmp_path, {name: b"old"}, {}) == {}
    assert _stale(tmp_path / "2", {}, {name: b"new"}) == {}
    assert _stale(tmp_path / "3", {name: b"old"}, {name: b"new"}) == {}


def test_a_report_page_in_a_subfolder_is_compared_like_any_file(tmp_path):
    assert _stale(tmp_path, {"csv/report.html": b"old"}, {"csv/report.html": b"new"}) == {
        "csv/report.html": "content differs"
    }


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (b"a,b\n1,x\n", b"a,b\n1,x\n", None),
        (b"a,b\n1,x\n2,y\n", b"a,b\n2,y\n1,x\n", "same rows, different bytes (order or formatting)"),
        (b"a,b\r\n1,x\r\n", b"a,b\n1,x\n", "same rows, different bytes (order or formatting)"),
        (b'a,b\n1,"x"\n', b"a,b\n1,x\n", "same rows, different bytes (order or formatting)"),
        (b"a,b\n1,x\n", b"a,b\n1,x\n2,y\n3,z\n", "2 rows only in the fresh extraction, 0 only in the baseline"),
        (b"a,b\n1,x\n2,y\n", b"a,b\n1,z\n", "1 rows only in the fresh extraction, 2 only in the baseline"),
        (b"a,b\n1,NA\n", b"a,b\n1,\n", "1 rows only in the fresh extraction, 1 only in the baseline"),  # text
        (b"a,b\n1.0,x\n", b"a,b\n1,x\n", "1 rows only in the fresh extraction, 1 only in the baseline"),  # not numbers
        (b"a,b\n01,x\n", b"a,b\n1,x\n", "1 rows only in the fresh extraction, 1 only in the baseline"),  # a code
        (b"a,b,c\n1,x,y\n", b"a,d\n1,x\n", "columns differ (only in baseline: b, c; only in fresh: d)"),
        (b"a\n1\n", b"a,d\n1,x\n", "columns differ (only in baseline: none; only in fresh: d)"),
        (b"a\n1\n", b"a,c,d\n1,x,y\n", "columns differ (only in baseline: none; only in fresh: c, d)"),
        (b"b,a\nx,1\n", b"a,b\n1,x\n", "columns differ (only in baseline: none; only in fresh: none)"),
        (b"a,b\n1,x\n2,y,z,w\n", b"a,b\n1,x\n", "cannot be read as CSV (ParserError)"),
        (b"", b"a,b\n1,x\n", "cannot be read as CSV (EmptyDataError)"),
        (b"a,b\n1,x\n", b"", "cannot be read as CSV (EmptyDataError)"),
    ],
)
def test_a_csv_output_is_compared_row_by_row_as_text(tmp_path, old, new, expected):
    stale = _stale(tmp_path, {"csv/t.csv": old}, {"csv/t.csv": new})
    assert stale == ({} if expected is None else {"csv/t.csv": expected})


ROWS = {"slug": pa.array(["a", "b"]), "n": pa.array([1, 2], pa.int64())}


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (_parquet(ROWS), _parquet(ROWS), None),
        (_parquet(ROWS, compression="snappy"), _parquet(ROWS, compression="none"), None),  # other bytes, same table
        (
            _parquet(ROWS),
            _parquet(ROWS, version=b"bbbbbbbbbbbb"),
            "same rows, other metadata (schema version aaaaaaaaaaaa in the baseline, bbbbbbbbbbbb fresh)",
        ),
        (
            _parquet(ROWS),
            _parquet(ROWS, version=b""),
            "same rows, other metadata (schema version aaaaaaaaaaaa in the baseline, unknown fresh)",
        ),
        (
            _parquet(ROWS, version=None),
            _parquet(ROWS),
            "same rows, other metadata (schema version unknown in the baseline, aaaaaaaaaaaa fresh)",
        ),
        (
            _parquet({"slug": pa.array(["b", "a"]), "n": pa.array([2, 1])}),
            _parquet(ROWS),
            "same rows, different bytes (order or formatting)",
        ),
        (
            _parquet(ROWS),
            _parquet({"slug": pa.array(["a", "b", "c"]), "n": pa.array([1, 3, 4])}, version=b"bbbbbbbbbbbb"),
            "2 rows only in the fresh extraction, 1 only in the baseline",
        ),
        (
            _parquet({**ROWS, "old": pa.array(["x", "y"]), "gone": pa.array([True, False])}),
            _parquet({"slug": ROWS["slug"], "n": pa.array(["1", "2"]), "new": pa.array([1.0, 2.0])}, b"bbbbbbbbbbbb"),
            "columns differ (only in baseline: old, gone; only in fresh: new; type changed: n int64 → string); "
            "schema version aaaaaaaaaaaa in the baseline, bbbbbbbbbbbb fresh",
        ),
        (
            _parquet({**ROWS, "m": pa.array([1, 2])}),
            _parquet(
                {
                    "slug": ROWS["slug"],
                    "n": pa.array([1.0, 2.0]),
                    "m": pa.array(["1", "2"]),
                    "x": ROWS["n"],
                    "y": ROWS["n"],
                }
            ),
            "columns differ (only in baseline: none; only in fresh: x, y; type changed: n int64 → double, m int64 → "
            "string); schema version aaaaaaaaaaaa in the baseline, aaaaaaaaaaaa fresh",
        ),
        (
            _parquet(ROWS, version=None),
            _parquet({**ROWS, "new": pa.array([1.0, 2.0])}, version=None),
            "columns differ (only in baseline: none; only in fresh: new); schema version unknown in the baseline, "
            "unknown fresh",
        ),
        (
            _parquet({"n": ROWS["n"], "slug": ROWS["slug"]}),
            _parquet(ROWS),
            "columns differ (only in baseline: none; only in fresh: none); schema version aaaaaaaaaaaa in the "
            "baseline, aaaaaaaaaaaa fresh",
        ),
        (
            _parquet({"slug": ROWS["slug"], "n": pa.array([1, 2], pa.int32())}),
            _parquet(ROWS),
            "columns differ (only in baseline: none; only in fresh: none; type changed: n int32 → int64); "
            "schema version aaaaaaaaaaaa in the baseline, aaaaaaaaaaaa fresh",
        ),
        (b"garbage, not parquet", _parquet(ROWS), "cannot be read (ArrowInvalid)"),
        (_parquet(ROWS), b"PAR1", "cannot be read (ArrowInvalid)"),
    ],
)
def test_a_parquet_output_is_compared_by_content_with_its_schema_version(tmp_path, old, new, expected):
    stale = _stale(tmp_path, {"parquet/t.parquet": old}, {"parquet/t.parquet": new})
    assert stale == ({} if expected is None else {"parquet/t.parquet": expected})


def test_parquet_rows_are_compared_as_stored_not_through_a_pandas_index(tmp_path):
    # Two files written from pandas with the index kept: the same column values, other index values.
    old = pa.Table.from_pandas(pd.DataFrame({"slug": ["a", "b"]}, index=[10, 11]), preserve_index=True)
    new = pa.Table.from_pandas(pd.DataFrame({"slug": ["a", "b"]}, index=[20, 21]), preserve_index=True)
    sinks = []
    for table in (old, new):
        sink = pa.BufferOutputStream()
        parquet.write_table(table, sink)
        sinks.append(sink.getvalue().to_pybytes())
    stale = _stale(tmp_path, {"parquet/t.parquet": sinks[0]}, {"parquet/t.parquet": sinks[1]})
    assert stale == {"parquet/t.parquet": "2 rows only in the fresh extraction, 2 only in the baseline"}


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (b'{"documents": 2}', b'{\n  "documents": 2\n}\n', None),  # formatting
        (
            b'{"documents": 2, "extracted_at": "2024-09-01T00:00:00Z", "created": "2024-09-01"}',
            b'{"documents": 2, "extracted_at": "2025-01-02T03:04:05Z", "created": "2025-01-02"}',
            None,  # the data's date is not compared
        ),
        (b'{"documents": 2, "extracted_at": "2024"}', b'{"documents": 2}', None),
        (b'{"documents": 2}', b'{"documents": 3}', "content differs"),
        (b'{"documents": 2}', b'{"documents": 2, "rejects": 0}', "content differs"),
        (b'{"extracted_at": "2024"}', b'{"extracted_at": "2025", "created_by": "x"}', "content differs"),
        (b"[1, 2]", b"[1,2]", None),
        (b"[1, 2]", b"[2, 1]", "content differs"),
        (b'{"documents": 2', b'{"documents": 2}', "not valid JSON"),
        (b'{"documents": 2}', b"", "not valid JSON"),
        (b"\xff\xfe{}", b"{}", "not valid JSON"),
    ],
)
def test_a_json_output_is_compared_by_content_without_the_date_of_its_data(tmp_path, old, new, expected):
    stale = _stale(tmp_path, {"summary.json": old}, {"summary.json": new})
    assert stale == ({} if expected is None else {"summary.json": expected})


@pytest.mark.parametrize("name", ["notes.txt", "README", "parquet/t.PARQUET", "csv/t.CSV"])
def test_another_file_is_compared_by_its_bytes(tmp_path, name):
    assert _stale(tmp_path, {name: b"a,b\n1,x\n"}, {name: b"a,b\n1,x\n"}) == {}
    assert _stale(tmp_path / "2", {name: b"a,b\n1,x\n"}, {name: b"a,b\r\n1,x\r\n"}) == {name: "content differs"}


# --- the report ------------------------------------------------------------------------------------


def test_a_usage_error_is_the_whole_report():
    result = CheckResult(3, usage="no baseline folder at extractd (give --baseline, the committed extract output)")
    assert to_markdown(result) == (
        "## Credential data check: usage error (exit 3)\n"
        "\n"
        "- ` no baseline folder at extractd (give --baseline, the committed extract output) `\n"
        "\n"
        "Nothing was checked; fix the command and run it again.\n"
    )


def test_valid_and_current_is_one_line():
    assert to_markdown(CheckResult(0)) == "## Credential data check: valid, and extracted/ is current (exit 0)\n"


def test_an_invalid_report_lists_each_problem_in_a_table_with_page_text_inert():
    result = CheckResult(
        1,
        causes=["2 rejected values or rows", "1 unreadable documents"],
        rejects=[REJECT, {**ROW_REJECT, "page_text": "a | b @octocat"}],
        unreadable={"2024-2025/pdf/a.pdf": "encrypted"},
        drift=[{"source_path": "2024-2025/html/c.html", "label_raw": "Exam Fee", "value": "`$95`"}],
        skipped={"2024-2025/b.docx": "not a document kind"},
        manifest_problems={"2024-2025/manifest.csv": ["row 2: no path", "row 3: no file"], "x.csv": ["row 9"]},
    )
    assert to_markdown(result) == (
        "## Credential data check: INVALID entries (exit 1)\n"
        "\n"
        "- 2 rejected values or rows\n"
        "- 1 unreadable documents\n"
        "\n"
        "### Rejected values (2)\n"
        "\n"
        "| table | credential (key) | column | check | on the page | read as | file |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| ` credentials ` | ` 2024-2025/servsafe ` | ` passing_score_percent ` | ` less_than_or_equal_to(100) ` "
        "| ` 900 out of 500 ` | ` 180.0 ` | ` 2024-2025/text/credential_1.txt ` |\n"
        "| ` credential_soc_codes ` |  |  | ` soc_code ` | ` a \\| b @octocat ` |  "
        "| ` 2024-2025/text/credential_2.txt ` |\n"
        "\n"
        "### Unreadable documents (1)\n"
        "\n"
        "| file | cause |\n"
        "| --- | --- |\n"
        "| ` 2024-2025/pdf/a.pdf ` | ` encrypted ` |\n"
        "\n"
        "### Schema drift (1)\n"
        "\n"
        "| file | label | value |\n"
        "| --- | --- | --- |\n"
        "| ` 2024-2025/html/c.html ` | ` Exam Fee ` | `` `$95` `` |\n"
        "\n"
        "### Skipped files (1)\n"
        "\n"
        "| file | cause |\n"
        "| --- | --- |\n"
        "| ` 2024-2025/b.docx ` | ` not a document kind ` |\n"
        "\n"
        "### Manifest problems (3)\n"
        "\n"
        "| manifest | problem |\n"
        "| --- | --- |\n"
        "| ` 2024-2025/manifest.csv ` | ` row 2: no path ` |\n"
        "| ` 2024-2025/manifest.csv ` | ` row 3: no file ` |\n"
        "| ` x.csv ` | ` row 9 ` |\n"
    )


def test_a_reject_without_page_text_shows_an_empty_cell():
    reject = {key: value for key, value in REJECT.items() if key != "page_text"}  # a reject of an older writer
    report = to_markdown(CheckResult(1, causes=["1 rejected values or rows"], rejects=[reject]))
    assert report.endswith(
        "| ` credentials ` | ` 2024-2025/servsafe ` | ` passing_score_percent ` | ` less_than_or_equal_to(100) ` "
        "|  | ` 180.0 ` | ` 2024-2025/text/credential_1.txt ` |\n"
    )


def test_a_stale_report_without_a_typed_change_says_only_the_listed_outputs_differ():
    result = CheckResult(2, causes=["extracted is stale: 1 " + STALE_HINT], stale={"summary.json": "content differs"})
    assert to_markdown(result) == (
        "## Credential data check: valid, but extracted/ is stale (exit 2)\n"
        "\n"
        "- extracted is stale: 1 " + STALE_HINT + "\n"
        "\n"
        "### Stale outputs (1)\n"
        "\n"
        "| output | what differs |\n"
        "| --- | --- |\n"
        "| ` summary.json ` | ` content differs ` |\n"
        "\n"
        "No typed value or child row changed: only the outputs listed under Stale outputs differ (provenance such "
        "as source_sha256, label_values, the summary).\n"
    )


def test_a_stale_report_with_typed_changes_is_followed_by_the_diff(monkeypatch, folders):
    baseline, fresh = _with_parquet(["servsafe"]), _with_parquet(["servsafe", "welding"])
    result = _check(monkeypatch, folders, baseline, Extraction(fresh))
    report = to_markdown(result)
    stale_table = (
        "### Stale outputs (1)\n\n| output | what differs |\n| --- | --- |\n"
        "| ` parquet/credentials.parquet ` | ` 1 rows only in the fresh extraction, 0 only in the baseline ` |\n\n"
    )
    assert stale_table in report
    after = report.split(stale_table)[1]
    assert after.startswith(f"**{folders.baseline} → {folders.raw} (fresh extraction)**: 1 added, 0 removed")
    assert after.endswith("### Added (1)\n\n| credential | cred_id |\n| --- | --- |\n| ` Welding (2024-2025) ` |  |\n")
    assert "No typed value or child row changed" not in report


def test_a_report_without_changes_and_nothing_stale_adds_nothing():
    unchanged = {"counts": {"added": 0, "removed": 0, "renamed": 0, "changed": 0, "values": 0, "child_rows": 0}}
    result = CheckResult(0, report=unchanged)
    assert to_markdown(result) == "## Credential data check: valid, and extracted/ is current (exit 0)\n"


@pytest.mark.parametrize("count, more", [(100, None), (101, "… and 1 more"), (250, "… and 150 more")])
def test_a_markdown_table_shows_at_most_100_rows_and_points_to_json(count, more):
    unreadable = {f"2024-2025/pdf/{n:03}.pdf": "encrypted" for n in range(count)}
    report = to_markdown(CheckResult(1, causes=[f"{count} unreadable documents"], unreadable=unreadable))
    lines = report.splitlines()
    assert f"### Unreadable documents ({count})" in lines
    rows = [line for line in lines if line.startswith("| ` 2024-2025/pdf/")]
    assert rows[0] == "| ` 2024-2025/pdf/000.pdf ` | ` encrypted ` |"
    assert rows[-1] == "| ` 2024-2025/pdf/099.pdf ` | ` encrypted ` |" and len(rows) == 100
    if more is None:
        assert report.endswith("| ` 2024-2025/pdf/099.pdf ` | ` encrypted ` |\n")
    else:
        assert report.endswith(
            f"| ` 2024-2025/pdf/099.pdf ` | ` encrypted ` |\n\n{more} (`check --format json` lists all)\n"
        )


def test_the_json_report_has_the_exit_code_and_every_field_with_sorted_keys():
    result = CheckResult(2, causes=["extracted is stale"], stale={"csv/a.csv": "content differs"})
    assert to_json(result) == (
        "{\n"
        '  "causes": [\n'
        '    "extracted is stale"\n'
        "  ],\n"
        '  "code": 2,\n'
        '  "drift": [],\n'
        '  "exit": 2,\n'
        '  "manifest_problems": {},\n'
        '  "rejects": [],\n'
        '  "report": null,\n'
        '  "skipped": {},\n'
        '  "stale": {\n'
        '    "csv/a.csv": "content differs"\n'
        "  },\n"
        '  "unreadable": {},\n'
        '  "usage": null\n'
        "}\n"
    )


@pytest.mark.parametrize(
    "row, plain",
    [
        (
            {"key": pd.NA, "column": None, "failure_case": "180.0"},
            {"key": None, "column": None, "failure_case": "180.0"},
        ),
        ({"key": "", "column": 0, "failure_case": False}, {"key": "", "column": 0, "failure_case": False}),
    ],
)
def test_a_missing_value_of_a_reject_or_drift_row_is_null_in_the_report(row, plain):
    # pandas 2.2 (which pyproject allows) gives a StringDtype's missing value as pd.NA in to_dict("records"):
    # the report shows it as null (JSON) or an empty cell (Markdown), never as `<NA>`.
    assert checking._plain(row) == plain
    assert all(value is None for key, value in checking._plain(row).items() if plain[key] is None)


def test_the_json_report_writes_a_value_json_cannot_hold_as_text():
    result = CheckResult(1, rejects=[{**REJECT, "failure_case": pd.Timestamp("2024-09-01")}])
    assert json.loads(to_json(result))["rejects"][0]["failure_case"] == "2024-09-01 00:00:00"
