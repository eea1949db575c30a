"""The dataset describes itself (issue 12): data package, Parquet metadata, sample rows marked, README examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as parquet
import pytest

from pipeline import __version__, cli
from schemas import datapackage
from tests.conftest import REPO
from tests.test_bad_input import page

EXTRACTED = REPO / "extracted"


def _frictionless(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_committed_data_package_validates():
    done = _frictionless(EXTRACTED / "datapackage.json")
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["valid"], done.stdout[-3000:]
    assert len(report["tasks"]) == 22  # 11 tables, each as CSV and as Parquet


@pytest.mark.parametrize("source", ["committed", "built by the code"])
def test_the_data_package_describes_types_keys_and_constraints_by_hand(source):
    if source == "committed":
        package = json.loads((EXTRACTED / "datapackage.json").read_text())
    else:
        package = datapackage.descriptor(__version__)
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert package["version"] == __version__
    assert resources["credentials"]["path"] == "csv/credentials.csv"
    assert resources["credentials-parquet"]["path"] == "parquet/credentials.parquet"
    fields = {field["name"]: field for field in resources["credentials"]["schema"]["fields"]}
    assert fields["cred_id"]["type"] == "integer" and fields["is_draft"]["type"] == "boolean"
    assert fields["credential_name"]["constraints"] == {"required": True, "minLength": 1}
    assert fields["instructor_training"]["constraints"]["enum"] == ["required", "recommended", "available", "none"]
    assert fields["passing_score_percent"]["constraints"] == {"minimum": 0, "maximum": 100}
    assert fields["school_year"]["constraints"]["pattern"] == r"(\d{4})-(\d{4})"
    assert resources["credentials"]["schema"]["primaryKey"] == ["school_year", "credential_slug"]
    assert resources["credential_soc_codes"]["schema"]["foreignKeys"] == [
        {
            "fields": ["school_year", "credential_slug"],
            "reference": {"resource": "credentials", "fields": ["school_year", "credential_slug"]},
        }
    ]


def test_the_data_package_catches_a_bad_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for item in ("datapackage.json", "csv", "parquet"):
        source = EXTRACTED / item
        target = out / item
        target.write_bytes(source.read_bytes()) if source.is_file() else __import__("shutil").copytree(source, target)
    soc = out / "csv" / "credential_soc_codes.csv"
    lines = soc.read_text().splitlines()
    lines[1] = lines[1].replace('"2023-2024"', '"2019-2020"', 1)  # a child row with no credential row
    soc.write_text("\n".join(lines) + "\n")
    done = _frictionless(out / "datapackage.json")
    assert done.returncode != 0 and "foreign-key" in done.stdout


def test_parquet_carries_descriptions_required_fields_and_the_version():
    schema = parquet.read_schema(EXTRACTED / "parquet" / "credentials.parquet")
    assert schema.field("credential_name").metadata[b"description"] == b"Credential name: the block's title line"
    assert not schema.field("credential_name").nullable and schema.field("vendor_url").nullable
    assert schema.metadata[b"nccte:version"] == __version__.encode()
    assert schema.metadata[b"nccte:table"] == b"credentials"


@pytest.mark.agreement
def test_identical_runs_write_identical_bytes(tmp_path, capsys):
    raw = tmp_path / "raw" / "2024-2025" / "text"
    raw.mkdir(parents=True)
    (raw / "credential_1.txt").write_bytes(page("Certified Production Technician", "Credential Lifespan5 years"))
    outputs = []
    for name in ("a", "b"):
        assert cli.main(["extract", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / name), "--no-cache"]) == 0
        outputs.append(
            {p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()}
        )
    assert outputs[0] == outputs[1]


def test_sample_rows_are_marked_by_their_manifest_origin(tmp_path, capsys):
    year = tmp_path / "raw" / "2024-2025"
    (year / "text").mkdir(parents=True)
    for number, name in (
        (1, "Live One"),
        (2, "Archived Two"),
        (3, "Sample Three"),
        (4, "No Row Four"),
        (5, "Empty Origin Five"),
    ):
        (year / "text" / f"credential_{number}.txt").write_bytes(page(name))
    (year / "manifest.csv").write_text(
        "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
        "text/credential_1.txt,,,,,,,,live\ntext/credential_2.txt,,,,,,,,archive\n"
        "text/credential_3.txt,,,,,,,,sample\ntext/credential_5.txt,,,,,,,,\n"
    )
    cli.main(["extract", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--no-cache"])
    credentials = pd.read_parquet(tmp_path / "out" / "parquet" / "credentials.parquet").set_index("credential_slug")
    assert credentials["source_origin"].to_dict() == {
        "archived-two": "archive",
        "empty-origin-five": "live",
        "live-one": "live",
        "no-row-four": None,
        "sample-three": "sample",
    }


def test_committed_credentials_say_they_are_samples():
    credentials = pd.read_parquet(EXTRACTED / "parquet" / "credentials.parquet")
    assert set(credentials["source_origin"]) == {"sample", "archive"}
    assert (credentials.loc[credentials["school_year"] == "2024-2025", "source_origin"] == "sample").all()


def test_the_readme_loading_example_runs_and_joins_without_suffixes(monkeypatch):
    readme = (REPO / "README.md").read_text()
    block = readme[readme.index("<!-- loading:start -->") : readme.index("<!-- loading:end -->")]
    code = block.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(REPO)
    scope: dict = {}
    exec(compile(code, "README loading example", "exec"), scope)
    assert not [column for column in scope["courses"].columns if column.endswith(("_x", "_y"))]
    assert len(scope["courses"]) == len(scope["courses"].drop_duplicates())
    texts = scope["from_csv"]["exam_time_text"]
    assert "N/A" in set(texts.dropna())  # kept as written, not turned into null


@pytest.mark.parametrize("name", ["credentials", "label_values"])
@pytest.mark.agreement
def test_csv_and_parquet_hold_the_same_rows(name):
    csv = pd.read_csv(EXTRACTED / "csv" / f"{name}.csv", dtype=str, keep_default_na=False)
    frame = pd.read_parquet(EXTRACTED / "parquet" / f"{name}.parquet")
    assert len(csv) == len(frame) and list(csv.columns) == list(frame.columns)
