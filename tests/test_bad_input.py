"""One bad input is one reported problem, never a stopped run (issue 9, CONTRACT sections 5 and 6).

Each case feeds a real bad file through `python -m pipeline extract` beside a
good page, and asserts: exit 0, the cause named with its path (and line, for
a manifest), the good page still extracted, and nothing outside the output
folder changed. Expected values are written by hand from the page text.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
import zlib
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from tests.conftest import REPO

HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
URL = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id="


def page(name: str, *pairs: str) -> bytes:
    """A glued-text page as the directory renders it: heading, title line, then label+value lines."""
    body = "".join(f"{pair}\n" for pair in (f"Credential Name{name}", *pairs, "Directory NotesNone"))
    return f"2024-2025 Credential Information\n\n{name}\n\n{body}".encode()


GOOD = page("Certified Production Technician", "Credential Lifespan5 years")


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every path under root but the run's own output and cache, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() and not p.is_symlink() else None
        for p in root.rglob("*")
        if p.relative_to(root).parts[0] not in ("out", "cache")
    }


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw" / "2024-2025" / "text"
    folder.mkdir(parents=True)
    (folder / "credential_1.txt").write_bytes(GOOD)
    return tmp_path / "raw"


def extract(raw: Path, capsys, *extra: str) -> tuple[str, dict]:
    """Run the CLI; assert exit 0, the good page extracted and nothing but out/ touched."""
    before = _tree(raw.parent)
    code = cli.main(
        ["extract", "--raw", str(raw), "--out", str(raw.parent / "out"), *extra]
        + ([] if "--cache" in extra else ["--no-cache"])
    )
    output = capsys.readouterr()
    assert code == 0, output.err
    assert _tree(raw.parent) == before
    credentials = pd.read_csv(raw.parent / "out" / "csv" / "credentials.csv", keep_default_na=False)
    assert "certified-production-technician" in set(credentials["credential_slug"])
    return output.out, json.loads((raw.parent / "out" / "summary.json").read_text())


def table(raw: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(raw.parent / "out" / "parquet" / f"{name}.parquet")


def rejects(raw: Path) -> list[tuple]:
    found = table(raw, "rejects")
    columns = ("table", "column", "check", "failure_case", "source_path")
    return sorted(zip(*(found[column] for column in columns), strict=True))


def reject_keys(raw: Path) -> list[str]:
    return sorted(table(raw, "rejects")["key"])


# --- manifests ----------------------------------------------------------------------------


def _manifest(raw: Path, data: bytes) -> None:
    (raw / "2024-2025" / "manifest.csv").write_bytes(data)
    (raw / "2024-2025" / "text" / "credential_2.txt").write_bytes(page("Second Credential"))


@pytest.mark.parametrize(
    "rows, problems",
    [
        (  # a row whose bytes are not UTF-8 (a windows-1252 `é`)
            f"text/credential_1.txt,{URL}1,,200,,,,,\n".encode() + b"text/credential_2.txt,https://h/caf\xe9,,,,,,,\n",
            ["line 3: bytes that are not UTF-8; row ignored"],
        ),
        (  # a field over 128 KB
            f"text/credential_1.txt,{URL}1,,200,,,,,\ntext/credential_2.txt,{URL}2{'9' * 140_000},,,,,,,\n".encode(),
            ["line 3: a field over 128 KB; row ignored"],
        ),
        (  # one path, two URLs
            f"text/credential_1.txt,{URL}1,,200,,,,,\ntext/credential_1.txt,{URL}9,,200,,,,,\n".encode(),
            [f"line 3: text/credential_1.txt listed again with another URL ('{URL}9'); the first row is used"],
        ),
        (  # a javascript: URL is no source URL
            b"text/credential_1.txt,javascript:alert(document.cookie),,200,,,,,\n",
            ["line 2: url 'javascript:alert(document.cookie)' is not an http(s) URL; not used"],
        ),
    ],
)
def test_a_bad_manifest_row_is_reported_by_line_and_the_rest_goes_on(raw, capsys, rows, problems):
    _manifest(raw, HEADER.encode() + rows)
    out, summary = extract(raw, capsys)
    assert summary["manifest_problems"] == {"2024-2025/manifest.csv": problems}
    assert [f"manifest: 2024-2025/manifest.csv: {problem}" for problem in problems] == [
        line for line in out.splitlines() if line.startswith("manifest:")
    ]
    credentials = table(raw, "credentials").set_index("credential_slug")
    assert set(credentials.index) == {"certified-production-technician", "second-credential"}
    assert credentials.at["second-credential", "cred_id"] == 2  # from its file name
    assert pd.isna(credentials.at["second-credential", "source_url"])


def test_first_url_of_a_path_listed_twice_is_used(raw, capsys):
    _manifest(raw, (HEADER + f"text/credential_1.txt,{URL}1,,,,,,,\ntext/credential_1.txt,{URL}9,,,,,,,\n").encode())
    extract(raw, capsys)
    assert table(raw, "credentials").set_index("credential_slug").at["certified-production-technician", "cred_id"] == 1


def test_a_javascript_url_is_never_a_source_url(raw, capsys):
    _manifest(raw, (HEADER + "text/credential_1.txt,javascript:alert(1),,,,,,,\n").encode())
    extract(raw, capsys)
    assert table(raw, "credentials")["source_url"].isna().all()


def test_unknown_and_missing_manifest_columns_are_named_and_the_known_ones_used(raw, capsys):
    _manifest(raw, f"path,url,colour\ntext/credential_2.txt,{URL}22,red\n".encode())
    _, summary = extract(raw, capsys)
    assert summary["manifest_problems"] == {
        "2024-2025/manifest.csv": [
            "missing columns: fetched_at, status, content_type, sha256",
            "unknown columns (ignored): 'colour'",
        ]
    }
    assert table(raw, "credentials").set_index("credential_slug").at["second-credential", "cred_id"] == 22


def test_a_manifest_without_a_path_column_is_ignored_with_its_reason(raw, capsys):
    _manifest(raw, b"url\nhttps://h/x\n")
    _, summary = extract(raw, capsys)
    assert summary["manifest_problems"]["2024-2025/manifest.csv"][-1] == "no path column; manifest ignored"


# --- file names, links ----------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(raw, capsys):
    bad = os.fsencode(raw / "2024-2025" / "text") + b"/credential_\xff.txt"
    with open(bad, "wb") as handle:
        handle.write(page("Hidden Credential"))
    out, summary = extract(raw, capsys)
    assert summary["skipped"] == {}
    shown = "2024-2025/text/credential_\\xff.txt"  # the byte 0xFF written as four characters
    credentials = table(raw, "credentials").set_index("credential_slug")
    assert credentials.loc["hidden-credential", "source_path"] == shown
    assert set(table(raw, "label_values")["source_path"]) == {shown, "2024-2025/text/credential_1.txt"}


def test_a_link_out_of_raw_is_not_read_anywhere(raw, capsys, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOPSECRET:/root:/bin/bash\n")
    (raw / "2024-2025" / "text" / "credential_3.txt").symlink_to(secret)
    (raw / "2024-2025" / "html").symlink_to(tmp_path, target_is_directory=True)
    out, summary = extract(raw, capsys)
    assert summary["skipped"] == {
        "2024-2025/html": "a link to a folder; not followed",
        "2024-2025/text/credential_3.txt": "a link to a file outside the raw folder; not read",
    }
    written = b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert b"TOPSECRET" not in written and "TOPSECRET" not in out


def test_check_names_the_link_and_never_quotes_what_it_points_to(raw, capsys, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET\n")
    (raw / "2024-2025" / "text" / "credential_3.txt").symlink_to(secret)
    (tmp_path / "baseline").mkdir()
    code = cli.main(["check", "--raw", str(raw), "--baseline", str(tmp_path / "baseline")])
    report = capsys.readouterr().out
    assert code == 1
    assert "| ` 2024-2025/text/credential_3.txt ` | ` a link to a file outside the raw folder; not read ` |" in report
    assert "TOPSECRET" not in report


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, pairs, expected",
    [
        (
            "Huge Exam Time",
            ["Exam Time Allotment99999999999999999999999 minutes"],
            ("credentials", "exam_minutes", "fits_int64", "99999999999999999999999"),
        ),
        (
            "Googol Hours",
            ["Exam Time Allotment1" + "0" * 400 + " hours"],
            ("credentials", "exam_minutes", "fits_int64", "6" + "0" * 39 + "... (402 characters)"),
        ),
        (
            "Negative Lifespan",
            ["Credential Lifespan-5 years"],
            ("credentials", "lifespan_years", "greater_than_or_equal_to(0)", "-5.0"),
        ),
        (
            "Negative Exam Time",
            ["Exam Time Allotment-90 minutes"],
            ("credentials", "exam_minutes", "greater_than_or_equal_to(1)", "-90"),
        ),
        (
            "Endless Dollars",
            ["Cost of Instructor Training$" + "9" * 400 + ".00 per teacher"],
            ("instructor_training_costs", "amount_usd", "finite_number", "inf"),
        ),
    ],
)
def test_a_number_no_column_can_hold_is_a_rejected_value(raw, capsys, name, pairs, expected):
    (raw / "2024-2025" / "text" / "credential_7.txt").write_bytes(page(name, *pairs))
    extract(raw, capsys)
    assert rejects(raw) == [(*expected, "2024-2025/text/credential_7.txt")]
    slug = "-".join(name.lower().split())
    # the reject names its row: credentials by school year and slug, a cost by its option too
    assert reject_keys(raw) == [f"2024-2025/{slug}" + ("/1" if expected[0] == "instructor_training_costs" else "")]
    assert slug in set(table(raw, "credentials")["credential_slug"])  # the value goes, the row stays


@pytest.mark.parametrize("where", ["url", "file name"])
def test_a_24_digit_cred_id_is_a_rejected_value(raw, capsys, where):
    huge = "9" * 24
    name = f"credential_{huge}.txt" if where == "file name" else "credential_8.txt"
    (raw / "2024-2025" / "text" / name).write_bytes(page("Big Id"))
    if where == "url":
        (raw / "2024-2025" / "manifest.csv").write_text(HEADER + f"text/{name},{URL}{huge},,,,,,,\n")
    extract(raw, capsys)
    assert rejects(raw) == [("credentials", "cred_id", "fits_int64", huge, f"2024-2025/text/{name}")]
    assert table(raw, "credentials").set_index("credential_slug")["cred_id"].isna()["big-id"]


# --- the guard and the cache ---------------------------------------------------------------


def test_an_unforeseen_failure_in_one_document_is_its_cause(raw, capsys, monkeypatch):
    from pipeline import parse as job

    real_parse = job.parse_text

    def parse(text):
        if "Second Credential" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real_parse(text)

    monkeypatch.setattr(job, "parse_text", parse)
    (raw / "2024-2025" / "text" / "credential_2.txt").write_bytes(page("Second Credential"))
    out, summary = extract(raw, capsys)
    cause = "cannot be read (RecursionError: maximum recursion depth exceeded)"
    assert summary["unreadable"] == {"2024-2025/text/credential_2.txt": cause}
    assert f"unreadable: 2024-2025/text/credential_2.txt: {cause}" in out.splitlines()


class _RunsCode:
    """A pickle that would create a file when loaded: what a cache must never do."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.touch, (self.target,))


_SPOILED_CACHE = {
    "state not json": {"state.json": b"\x80\x04 garbage"},
    "state not an object": {"state.json": b'"just a string"'},
    "state of another shape": {"state.json": "files-not-a-list"},
    "state naming a file outside the cache": {"state.json": "outside"},
    "results not parquet": {"documents-1.parquet": b"PAR1 not really"},
    "results cut short": {"documents-1.parquet": "cut"},
    "results of another schema": {"documents-1.parquet": "other schema"},
    "tags not parquet": {"tags.parquet": b"garbage"},
    "tags of another run": {"tags.parquet": "other schema"},
    "a pickle that runs code": {"state.json": "pickle", "documents-1.parquet": "pickle"},
}


@pytest.mark.parametrize("kind", _SPOILED_CACHE)
def test_a_spoiled_cache_only_costs_time_and_never_runs_code(raw, capsys, kind):
    cache = raw.parent / "cache"
    cli.main(["extract", "--raw", str(raw), "--out", str(raw.parent / "out"), "--cache", str(cache)])
    planted = raw.parent / "code-ran"
    state = json.loads((cache / "state.json").read_text())
    for name, spoil in _SPOILED_CACHE[kind].items():
        content = {
            "files-not-a-list": json.dumps({**state, "files": {"a": 1}}).encode(),
            "outside": json.dumps({**state, "files": ["../raw/2024-2025/text/credential_1.txt"]}).encode(),
            "other schema": _parquet_bytes({"key": [1, 2], "extra": ["x", "y"]}),
            "pickle": pickle.dumps(_RunsCode(planted)),
            "cut": (cache / "documents-1.parquet").read_bytes()[:-100],
        }.get(spoil, spoil)
        (cache / name).write_bytes(content)
    (cache / "stamp.json").unlink()  # past the nothing-changed stamp, to the per-document cache
    capsys.readouterr()
    out, summary = extract(raw, capsys, "--cache", str(cache))
    assert "documents read: 1 (0 unreadable, " in out
    assert table(raw, "credentials")["credential_name"].tolist() == ["Certified Production Technician"]
    assert not planted.exists()
    (cache / "stamp.json").unlink()  # the cache this run wrote serves the next one
    again, _ = extract(raw, capsys, "--cache", str(cache))
    assert "documents read: 1 (0 unreadable, 1 unchanged since the last run)" in again


def _parquet_bytes(columns: dict) -> bytes:
    import pyarrow as pa
    from pyarrow import parquet

    sink = pa.BufferOutputStream()
    parquet.write_table(pa.table(columns), sink)
    return sink.getvalue().to_pybytes()


# --- slugs ------------------------------------------------------------------------------------


def test_two_credentials_with_one_slug_and_two_cred_ids_are_never_merged(raw, capsys):
    text = raw / "2024-2025" / "text"
    (text / "credential_5.txt").write_bytes(page("C++ Certified Associate Programmer", "Exam Time Allotment50 minutes"))
    (text / "credential_6.txt").write_bytes(page("C Certified Associate Programmer", "Exam Time Allotment45 minutes"))
    out, summary = extract(raw, capsys)
    credentials = table(raw, "credentials").set_index("credential_slug")
    assert credentials.loc["c-certified-associate-programmer-5", ["credential_name", "exam_minutes"]].tolist() == [
        "C++ Certified Associate Programmer",
        50,
    ]
    assert credentials.loc["c-certified-associate-programmer-6", ["credential_name", "exam_minutes"]].tolist() == [
        "C Certified Associate Programmer",
        45,
    ]
    note = (
        "2024-2025 c-certified-associate-programmer: credentials with different cred_ids (5, 6) share this slug; "
        "each is written as c-certified-associate-programmer-<cred_id>"
    )
    assert summary["slug_collisions"] == [note]
    assert f"note: slug collision: {note}" in out.splitlines()
    pairs = table(raw, "label_values")
    assert set(pairs.loc[pairs["source_path"] == "2024-2025/text/credential_5.txt", "credential_slug"]) == {
        "c-certified-associate-programmer-5"
    }


# --- a real process: no traceback, ever ----------------------------------------------------


def test_every_bad_input_at_once_through_a_real_process(raw, tmp_path):
    text = raw / "2024-2025" / "text"
    (text / "credential_7.txt").write_bytes(
        page("Huge Exam Time", "Exam Time Allotment99999999999999999999999 minutes")
    )
    (text / "credential_8.txt").symlink_to("/etc/passwd")
    (text / "credential_9.txt").write_bytes(b"\x00\x01\x02garbage" * 10)
    (text / "credential_999999999999999999999999.txt").write_bytes(page("Big Id"))
    (raw / "2024-2025" / "manifest.csv").write_bytes(HEADER.encode() + b"text/credential_1.txt,https://h/\xff,,,,,,,\n")
    before = _tree(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", "--raw", str(raw), "--out", str(tmp_path / "out"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert _tree(tmp_path) == before
    assert "credentials: 3" in done.stdout and "rejects: 2" in done.stdout
    assert "root:" not in done.stdout + (tmp_path / "out" / "summary.json").read_text()
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o777 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --- a zip-bomb PDF -------------------------------------------------------------------------


def bomb_pdf(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to `megabytes` MB (written here, by hand).

    After a full flush deflate starts afresh, so one compressed megabyte can be
    repeated; the stream has no end (no checksum), which pdfminer forgives.
    """
    packer = zlib.compressobj(9)
    chunk = b"0 0 0 RG " * (2**20 // 9)
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    stream = first + block * (megabytes - 1)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_zip_bomb_pdf_is_unreadable_and_memory_stays_under_1_gb(raw, tmp_path):
    (raw / "2024-2025" / "pdf").mkdir()
    (raw / "2024-2025" / "pdf" / "credential_4.pdf").write_bytes(bomb_pdf(1500))  # 1.5 GB inflated
    program = (
        "import resource, sys; from pipeline import cli; code = cli.main(sys.argv[1:]); "
        "print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, "extract", "--raw", str(raw), "--out", str(tmp_path / "out"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (
        "unreadable: 2024-2025/pdf/credential_4.pdf: compressed streams inflate past 128 MB (a zip bomb?); not read"
    ) in done.stdout.splitlines()
    peak_kb = int(done.stdout.split("peak ")[-1])
    assert peak_kb < 1024 * 1024


def test_an_unforeseen_failure_outside_any_document_is_one_line_and_replaces_nothing(raw, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.delenv("NCCTE_DEBUG", raising=False)
    monkeypatch.setattr("pipeline.tables.merge.merge", broken)
    code = cli.main(["extract", "--raw", str(raw), "--out", str(raw.parent / "out"), "--no-cache"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[-1] == (
        "error: internal error (ZeroDivisionError: division by zero); nothing was replaced. "
        "Please report it; NCCTE_DEBUG=1 shows the traceback"
    )
    assert not (raw.parent / "out").exists()


def _damage_labels(path: Path) -> None:
    """0xff over the pages of the label/value rows' column alone: the footer, the facts and the typed rows intact."""
    from pyarrow import parquet

    metadata = parquet.ParquetFile(path).metadata
    data = bytearray(path.read_bytes())
    for group in range(metadata.num_row_groups):
        for number in range(metadata.num_columns):
            column = metadata.row_group(group).column(number)
            if column.path_in_schema.startswith("labels"):
                start = column.dictionary_page_offset or column.data_page_offset
                data[start : start + column.total_compressed_size] = b"\xff" * column.total_compressed_size
    path.write_bytes(bytes(data))


def test_a_cache_file_damaged_in_its_label_rows_alone_only_costs_time(raw, capsys):
    # found by the cache's mutation tests: the typed rows read back, so nothing was parsed again, and extract
    # stopped with "OSError: Couldn't deserialize thrift" when it came to the label/value rows
    cache, out = raw.parent / "cache", raw.parent / "out"
    arguments = ["extract", "--raw", str(raw), "--out", str(out), "--cache", str(cache)]
    assert cli.main(arguments) == 0
    (result_file,) = cache.glob("documents-*.parquet")
    _damage_labels(result_file)
    (cache / "stamp.json").unlink()  # past the nothing-changed stamp, to the per-document cache
    shutil.rmtree(out)  # no outputs as the last run left them: everything is built from the cache
    capsys.readouterr()
    assert cli.main(arguments) == 0
    err = capsys.readouterr().err
    assert f"cache file {result_file.name} does not read back: its 1 documents are parsed again" in err
    labels = table(raw, "label_values")
    first = labels[labels["position"] == 1]
    assert (first["label"].tolist(), first["value"].tolist()) == (
        ["Credential Name"],
        ["Certified Production Technician"],
    )
    assert table(raw, "credentials")["credential_name"].tolist() == ["Certified Production Technician"]
    assert not result_file.exists()  # ours, no longer listed: removed
    (cache / "stamp.json").unlink()
    capsys.readouterr()
    assert cli.main(arguments) == 0
    assert "documents read: 1 (0 unreadable, 1 unchanged since the last run)" in capsys.readouterr().out
