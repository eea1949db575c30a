"""pipeline/tables/export.py: validated tables -> CSV, Parquet, summary.json and datapackage.json, in process.

Tables are written by hand here; every expected CSV byte, Parquet column, row group and metadata value is written
from the rules (README "Output tables", "CSV cells a spreadsheet would run"), never from pipeline code.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pytest
from pandera.typing import Series
from pyarrow import parquet

from pipeline.tables import export
from schemas.tables import SCHEMAS

TEXT = pd.StringDtype("pyarrow")  # the product's text columns (large_string in Arrow)
VERSION = version("nccte-credentials")  # the installed package's own version, as pyproject.toml says


def _csv(out: Path, name: str) -> str:
    return (out / "csv" / f"{name}.csv").read_bytes().decode("utf-8")


def _costs() -> pd.DataFrame:
    """Two instructor training costs of one credential: a text, an integer, a float and a null among them."""
    return pd.DataFrame(
        {
            "school_year": pd.array(["2024-2025", "2024-2025"], dtype=TEXT),
            "credential_slug": pd.array(["osha-10", "osha-10"], dtype=TEXT),
            "option": pd.array([1, 2], dtype="Int64"),
            "amount_usd": pd.array([1525.0, 0.5], dtype="Float64"),
            "condition": pd.array(["with an online webinar", None], dtype=TEXT),
            "source_path": pd.array(["2024-2025/html/credential_7.html"] * 2, dtype=TEXT),
        }
    )


# --- CSV: the format the README promises ----------------------------------------------------------------------


def test_csv_quotes_strings_writes_numbers_plain_and_a_null_as_an_empty_field(tmp_path):
    export.write_tables({"instructor_training_costs": _costs()}, tmp_path / "out")
    assert _csv(tmp_path / "out", "instructor_training_costs") == (
        '"school_year","credential_slug","option","amount_usd","condition","source_path"\n'
        '"2024-2025","osha-10",1,1525,"with an online webinar","2024-2025/html/credential_7.html"\n'
        '"2024-2025","osha-10",2,0.5,,"2024-2025/html/credential_7.html"\n'
    )


def test_csv_writes_booleans_as_true_and_false_an_empty_string_as_two_quotes_and_doubles_inner_quotes(tmp_path):
    courses = pd.DataFrame(
        {
            "school_year": pd.array(["2023-2024", "2023-2024", "2023-2024"], dtype=TEXT),
            "credential_slug": pd.array(["a", "a", "a"], dtype=TEXT),
            "course_code": pd.array(["IM11", "IM12", "IM13"], dtype=TEXT),
            "course_title": pd.array(['The "Basics"', "", None], dtype=TEXT),
            "lco": pd.array([True, False, False], dtype="boolean"),
            "credential_as_pol": pd.array([None, True, False], dtype="boolean"),
        }
    )
    export.write_tables({"credential_courses": courses}, tmp_path / "out")
    assert _csv(tmp_path / "out", "credential_courses") == (
        '"school_year","credential_slug","course_code","course_title","lco","credential_as_pol"\n'
        '"2023-2024","a","IM11","The ""Basics""",true,\n'
        '"2023-2024","a","IM12","",false,true\n'
        '"2023-2024","a","IM13",,false,false\n'
    )


# (value, its CSV cell): a cell a spreadsheet would run as a formula gets a leading `'`; a plain number does not
SPREADSHEET_CELLS = [
    ('=HYPERLINK("http://x.example/")', '"\'=HYPERLINK(""http://x.example/"")"'),
    ("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\""),
    ("-5 years", '"\'-5 years"'),
    ("@SUM(A1)", '"\'@SUM(A1)"'),
    ("\tcmd", '"\'\tcmd"'),
    ("\rcmd", '"\'\rcmd"'),
    ("'quoted already", "\"''quoted already\""),
    ("-", '"\'-"'),
    ("--5", '"\'--5"'),
    ("-1e", '"\'-1e"'),
    ("+5%", '"\'+5%"'),
    ("-5", '"-5"'),
    ("+1.5", '"+1.5"'),
    ("-5.", '"-5."'),
    ("-.5", '"-.5"'),
    ("+1e5", '"+1e5"'),
    ("-1.5E-3", '"-1.5E-3"'),
    ("-2e+10", '"-2e+10"'),
    ("a=b", '"a=b"'),
    (" =1", '" =1"'),
    ("", '""'),
    (None, ""),
]


def test_a_csv_cell_a_spreadsheet_would_run_gets_a_quote_and_its_parquet_value_does_not(tmp_path):
    values = [value for value, _ in SPREADSHEET_CELLS]
    export.write_tables({"cells": pd.DataFrame({"value": pd.array(values, dtype=TEXT)})}, tmp_path / "out")
    assert _csv(tmp_path / "out", "cells") == '"value"\n' + "".join(f"{cell}\n" for _, cell in SPREADSHEET_CELLS)
    assert parquet.read_table(tmp_path / "out" / "parquet" / "cells.parquet")["value"].to_pylist() == values


def test_a_text_column_without_a_formula_and_a_number_column_are_written_as_they_are(tmp_path):
    data = pd.DataFrame(
        {
            "plain": pd.array(["5 years", None], dtype=TEXT),
            "formula": pd.array(["ok", "=1+1"], dtype=TEXT),
            "number": pd.array([-5, 3], dtype="Int64"),
            "empty": pd.array([None, None], dtype=TEXT),
        }
    )
    export.write_tables({"mixed": data}, tmp_path / "out")
    assert _csv(tmp_path / "out", "mixed") == '"plain","formula","number","empty"\n"5 years","ok",-5,\n,"\'=1+1",3,\n'


def test_a_text_column_of_either_arrow_string_type_is_made_inert():
    table = pa.table({"value": pa.array(["=1+1", "-5", "x", None], pa.string())})
    inert = export.inert_in_spreadsheets(table)
    assert inert.schema == table.schema
    assert inert["value"].to_pylist() == ["'=1+1", "-5", "x", None]


# --- Parquet: the values as found, typed and described --------------------------------------------------------


def test_parquet_keeps_types_and_values_and_describes_each_field_and_the_table(tmp_path):
    export.write_tables({"instructor_training_costs": _costs()}, tmp_path / "out")
    table = parquet.read_table(tmp_path / "out" / "parquet" / "instructor_training_costs.parquet")
    assert table.to_pydict() == {
        "school_year": ["2024-2025", "2024-2025"],
        "credential_slug": ["osha-10", "osha-10"],
        "option": [1, 2],
        "amount_usd": [1525.0, 0.5],
        "condition": ["with an online webinar", None],
        "source_path": ["2024-2025/html/credential_7.html"] * 2,
    }
    schema = table.schema
    assert [(f.name, str(f.type), f.nullable) for f in schema] == [
        ("school_year", "large_string", False),
        ("credential_slug", "large_string", False),
        ("option", "int64", False),
        ("amount_usd", "double", False),
        ("condition", "large_string", True),
        ("source_path", "large_string", False),
    ]
    assert schema.field("option").metadata == {b"description": b"Option number, 1, 2, ... in page order"}
    assert schema.field("condition").metadata == {b"description": b"Text tied to the amount (`with an online webinar`)"}
    metadata = schema.metadata
    assert metadata[b"nccte:version"] == VERSION.encode()
    assert metadata[b"nccte:table"] == b"instructor_training_costs"
    assert metadata[b"nccte:description"] == b"Cost options of instructor training, in page order."
    assert len(metadata[b"nccte:schema"]) == 12 and int(metadata[b"nccte:schema"], 16) >= 0  # twelve hex digits
    # pandas' own record stays beside ours: the file reads back into the nullable dtypes it was written from
    assert b"pandas" in metadata
    assert pd.read_parquet(tmp_path / "out" / "parquet" / "instructor_training_costs.parquet").dtypes.map(
        str
    ).to_list() == [
        "string",
        "string",
        "Int64",
        "Float64",
        "string",
        "string",
    ]


def test_every_table_s_parquet_file_names_the_same_schema_version(tmp_path):
    courses = pd.DataFrame({"school_year": pd.array(["2023-2024"], dtype=TEXT)})
    export.write_tables({"instructor_training_costs": _costs(), "credential_courses": courses}, tmp_path / "out")
    versions = {
        parquet.read_schema(tmp_path / "out" / "parquet" / f"{name}.parquet").metadata[b"nccte:schema"]
        for name in ("instructor_training_costs", "credential_courses")
    }
    assert len(versions) == 1


def test_a_column_no_schema_declares_and_a_table_no_schema_declares_are_written_undescribed(tmp_path):
    costs = _costs().assign(note=pd.array(["x", "y"], dtype=TEXT))
    extra = pd.DataFrame({"value": pd.array(["a"], dtype=TEXT)})
    export.write_tables({"instructor_training_costs": costs, "extra": extra}, tmp_path / "out")
    described = parquet.read_schema(tmp_path / "out" / "parquet" / "instructor_training_costs.parquet")
    assert described.field("note").metadata is None and described.field("note").nullable
    assert described.field("option").metadata == {b"description": b"Option number, 1, 2, ... in page order"}
    assert _csv(tmp_path / "out", "instructor_training_costs").splitlines()[1].endswith(',"x"')
    plain = parquet.read_schema(tmp_path / "out" / "parquet" / "extra.parquet")
    assert plain.field("value").metadata is None and plain.field("value").nullable
    assert not {b"nccte:version", b"nccte:schema", b"nccte:table", b"nccte:description"} & set(plain.metadata)


# --- summary.json and datapackage.json ------------------------------------------------------------------------


def test_the_summary_is_written_sorted_with_two_spaces_and_a_final_newline(tmp_path):
    export.write_tables({}, tmp_path / "out", summary={"rejects": 2, "documents": [1, "b"]})
    assert (tmp_path / "out" / "summary.json").read_text() == (
        '{\n  "documents": [\n    1,\n    "b"\n  ],\n  "rejects": 2\n}\n'
    )


def test_no_summary_no_summary_file_and_a_folder_of_csv_and_parquet_even_without_tables(tmp_path):
    export.write_tables({}, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".nccte-extract", "csv", "parquet"]
    assert list((tmp_path / "out" / "csv").iterdir()) == list((tmp_path / "out" / "parquet").iterdir()) == []


def _all_tables(missing: str | None = None) -> dict[str, pd.DataFrame]:
    """Every declared table, empty (its columns only)."""
    return {name: pd.DataFrame({"school_year": pd.array([], dtype=TEXT)}) for name in SCHEMAS if name != missing}


def _datapackage(out: Path) -> dict | None:
    path = out / "datapackage.json"
    if not path.exists():
        return None
    text = path.read_text()
    assert text.startswith('{\n  "') and text.endswith("\n}\n")  # two spaces, a final newline
    return json.loads(text)


def test_the_data_package_is_written_when_every_declared_table_is_and_says_when_its_data_is_from(tmp_path):
    export.write_tables(_all_tables(), tmp_path / "out", summary={"extracted_at": "2026-01-02T03:04:05Z"})
    package = _datapackage(tmp_path / "out")
    assert package["created"] == "2026-01-02T03:04:05Z"
    assert package["version"] == VERSION
    assert {resource["path"] for resource in package["resources"]} == {
        *(f"csv/{name}.csv" for name in SCHEMAS),
        *(f"parquet/{name}.parquet" for name in SCHEMAS),
    }


def test_the_data_package_without_a_summary_says_no_date(tmp_path):
    export.write_tables(_all_tables(), tmp_path / "out")
    assert "created" not in _datapackage(tmp_path / "out")


def test_a_streamed_table_counts_for_the_data_package(tmp_path):
    export.write_tables(_all_tables(missing="label_values"), tmp_path / "out", streams={"label_values": []})
    assert _datapackage(tmp_path / "out") is not None


@pytest.mark.parametrize(
    "tables",
    [
        _all_tables(missing="changes"),
        {**_all_tables(), "extra": pd.DataFrame({"value": pd.array([], dtype=TEXT)})},
    ],
    ids=["a table missing", "a table no schema declares"],
)
def test_no_data_package_unless_the_tables_are_exactly_the_declared_ones(tmp_path, tables):
    export.write_tables(tables, tmp_path / "out", summary={"extracted_at": "2026-01-02T03:04:05Z"})
    assert _datapackage(tmp_path / "out") is None
    assert (tmp_path / "out" / "summary.json").exists()


# --- release, and a failed write ------------------------------------------------------------------------------


@pytest.mark.parametrize("release, left", [(True, []), (False, ["instructor_training_costs", "extra"])])
def test_with_release_each_table_leaves_the_dict_once_written_and_without_it_every_table_stays(tmp_path, release, left):
    tables = {"instructor_training_costs": _costs(), "extra": pd.DataFrame({"value": pd.array(["a"], dtype=TEXT)})}
    export.write_tables(tables, tmp_path / "out", release=release)
    assert list(tables) == left
    assert _csv(tmp_path / "out", "extra") == '"value"\n"a"\n'


def test_a_file_that_fails_to_write_fails_the_run_and_keeps_the_previous_output(tmp_path, monkeypatch):
    out = tmp_path / "out"
    export.write_tables({"extra": pd.DataFrame({"value": pd.array(["old"], dtype=TEXT)})}, out)
    before = {path.relative_to(out): path.read_bytes() for path in out.rglob("*") if path.is_file()}

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.parquet, "write_table", full_disk)
    with pytest.raises(OSError, match="No space left"):
        export.write_tables({"extra": pd.DataFrame({"value": pd.array(["new"], dtype=TEXT)})}, out)
    assert {path.relative_to(out): path.read_bytes() for path in out.rglob("*") if path.is_file()} == before
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


# --- a streamed table: written as its batches come, in row groups of _ROW_GROUP rows --------------------------


def _labels(*rows: tuple[int, str | None]) -> pa.Table:
    """label_values rows of one page: (position, value); block as int32, as a batch may come."""
    return pa.table(
        {
            "school_year": ["2024-2025"] * len(rows),
            "source_path": ["2024-2025/html/credential_7.html"] * len(rows),
            "block": pa.array([1] * len(rows), pa.int32()),
            "credential_slug": ["osha-10"] * len(rows),
            "label": [None] * len(rows),
            "label_raw": [f"Label {position}" for position, _ in rows],
            "value": [value for _, value in rows],
            "position": pa.array([position for position, _ in rows], pa.int64()),
        }
    )


LABELS_HEADER = '"school_year","source_path","block","credential_slug","label","label_raw","value","position"\n'


def _label_line(position: int, cell: str) -> str:
    return f'"2024-2025","2024-2025/html/credential_7.html",1,"osha-10",,"Label {position}",{cell},{position}\n'


@pytest.mark.parametrize(
    "batches, groups",
    [
        ([[1, 2, 3], [4, 5]], [2, 2, 1]),  # the rows after the last full group are written too
        ([[1, 2], [3, 4]], [2, 2]),  # no empty group after full ones
        ([[1], [2], [3]], [2, 1]),  # a group gathered from several batches
        ([[1, 2, 3, 4, 5]], [2, 2, 1]),  # one batch cut into several groups
        ([[1, 2]], [2]),
        ([], [0]),  # no rows: one empty row group, as write_table writes an empty table
        ([[]], [0]),
    ],
)
def test_a_streamed_table_is_written_whole_in_row_groups_of_the_set_size(tmp_path, monkeypatch, batches, groups):
    monkeypatch.setattr(export, "_ROW_GROUP", 2)
    stream = [_labels(*((position, f"v{position}") for position in batch)) for batch in batches]
    export.write_tables({}, tmp_path / "out", streams={"label_values": stream})
    positions = [position for batch in batches for position in batch]
    assert _csv(tmp_path / "out", "label_values") == LABELS_HEADER + "".join(
        _label_line(position, f'"v{position}"') for position in positions
    )
    file = parquet.ParquetFile(tmp_path / "out" / "parquet" / "label_values.parquet")
    assert [file.metadata.row_group(i).num_rows for i in range(file.metadata.num_row_groups)] == groups
    assert file.read()["position"].to_pylist() == positions


def test_a_streamed_table_is_typed_described_and_its_csv_made_inert(tmp_path):
    stream = [_labels((1, "=1+1"), (2, None)), _labels((3, "-5"))]
    export.write_tables({}, tmp_path / "out", streams={"label_values": stream})
    assert _csv(tmp_path / "out", "label_values") == (
        LABELS_HEADER + _label_line(1, '"\'=1+1"') + _label_line(2, "") + _label_line(3, '"-5"')
    )
    table = parquet.read_table(tmp_path / "out" / "parquet" / "label_values.parquet")
    assert table["value"].to_pylist() == ["=1+1", None, "-5"]
    assert table.schema.field("block").type == pa.int64() and not table.schema.field("block").nullable
    assert table.schema.field("block").metadata == {b"description": b"Block number on the page, from 1"}
    assert table.schema.metadata[b"nccte:table"] == b"label_values"
    file = parquet.ParquetFile(tmp_path / "out" / "parquet" / "label_values.parquet")
    assert file.metadata.num_row_groups == 1  # three rows: below one row group


def test_a_streamed_row_group_holds_128_ki_rows(tmp_path):
    """131,072 rows a group (README: a label_values table of more than 131,072 rows is several row groups)."""
    rows = 131_072 + 1
    batch = pa.table(
        {
            "school_year": ["2024-2025"] * rows,
            "source_path": ["p"] * rows,
            "block": pa.array([1] * rows, pa.int64()),
            "credential_slug": ["s"] * rows,
            "label": pa.nulls(rows, pa.string()),
            "label_raw": ["L"] * rows,
            "value": ["v"] * rows,
            "position": pa.array(range(1, rows + 1), pa.int64()),
        }
    )
    export.write_tables({}, tmp_path / "out", streams={"label_values": [batch]})
    file = parquet.ParquetFile(tmp_path / "out" / "parquet" / "label_values.parquet")
    assert [file.metadata.row_group(i).num_rows for i in range(file.metadata.num_row_groups)] == [131_072, 1]


# --- written for the first mutmut run's survivors (tests/mutants_triage.md) -----------------------------------


def test_a_frame_s_index_is_no_data_and_is_not_written(tmp_path):
    """A validated frame keeps its rows' numbers as its index (rows 3 and 7 of the parsed ones): not a column."""
    costs = _costs().set_axis([3, 7])
    export.write_tables(
        {"instructor_training_costs": costs}, tmp_path / "out", streams={"label_values": [_labels((1, "v"))]}
    )
    assert _csv(tmp_path / "out", "instructor_training_costs").splitlines()[0] == (
        '"school_year","credential_slug","option","amount_usd","condition","source_path"'
    )
    for name in ("instructor_training_costs", "label_values"):
        schema = parquet.read_schema(tmp_path / "out" / "parquet" / f"{name}.parquet")
        assert "__index_level_0__" not in schema.names
        assert schema.pandas_metadata["index_columns"] == []  # pandas reads back a plain 0, 1, ... index


def test_without_release_the_tables_stay_with_the_caller(tmp_path):
    tables = {"extra": pd.DataFrame({"value": pd.array(["a"], dtype=TEXT)})}
    export.write_tables(tables, tmp_path / "out")
    assert list(tables) == ["extra"]


def test_a_full_row_group_is_written_before_the_next_batch_is_read(tmp_path, monkeypatch):
    """One row group's rows are held at most: with groups of 2, the first 2 rows are written as soon as they came."""
    monkeypatch.setattr(export, "_ROW_GROUP", 2)
    events = []

    class Writer(parquet.ParquetWriter):
        def write_table(self, table, *args, **kwargs):
            events.append(f"group of {table.num_rows}")
            super().write_table(table, *args, **kwargs)

    def batches():
        for number, batch in enumerate([[1, 2], [3], [4, 5, 6]], start=1):
            events.append(f"batch {number}")
            yield _labels(*((position, "v") for position in batch))

    monkeypatch.setattr(export.parquet, "ParquetWriter", Writer)
    export.write_tables({}, tmp_path / "out", streams={"label_values": batches()})
    assert events == ["batch 1", "group of 2", "batch 2", "batch 3", "group of 2", "group of 2"]


class Undocumented(pandera.DataFrameModel):
    value: Series[str] = pandera.Field(nullable=True)


def test_a_table_or_column_without_a_description_is_described_as_empty(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "SCHEMAS", {**SCHEMAS, "undocumented": Undocumented})
    export.write_tables({"undocumented": pd.DataFrame({"value": pd.array(["a"], dtype=TEXT)})}, tmp_path / "out")
    schema = parquet.read_schema(tmp_path / "out" / "parquet" / "undocumented.parquet")
    assert schema.field("value").metadata == {b"description": b""}
    assert schema.metadata[b"nccte:description"] == b""
    assert schema.metadata[b"nccte:table"] == b"undocumented"
