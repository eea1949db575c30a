"""Tests written for mutmut survivors (tests/mutants_triage.md): each kills the mutant named in its docstring,
checked with `python -m tools.mutants_module verify MODULE NAME --tests THIS_TEST`. Expected values by hand."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pandera
import pytest
from pandera.typing import Series

from pipeline import exits
from pipeline.read import blocks, labels
from pipeline.tables import coverage, merge, validate
from pipeline.tables.rows import CredentialRows
from schemas import datapackage, dictionary
from schemas.tables import CHILD_TABLES, SCHEMAS

# --- pipeline/exits.py ---------------------------------------------------------------------------------------------


def test_a_pipe_inside_an_exit_code_cell_is_escaped_so_the_readme_table_keeps_its_columns(monkeypatch):
    """x_markdown__mutmut_33, 34: the `|` -> `\\|` escape misspelt on either side."""
    monkeypatch.setattr(exits, "WHEN", {"scrape": {exits.OK: "a | b"}})
    assert "| 0 | ok | a \\| b |" in exits.markdown().splitlines()


def test_a_commands_help_lists_every_exit_code_with_what_it_means_for_that_command():
    """x_help_text__mutmut_*: the help is built by the CLI in a subprocess in the other tests, where mutmut does not
    look; here it is read as `report --help` shows it, each line written by hand."""
    assert exits.help_text("report").splitlines() == [
        "exit codes:",
        "  0    ok: wrote report.html",
        "  1    invalid or changed: not used by this command",
        "  2    stale: not used by this command",
        "  3    usage error: no extract output to read, a bad option",
        "  130  interrupted: stopped by Ctrl-C; the command says what it left behind",
    ]


# --- pipeline/read/labels.py ---------------------------------------------------------------------------------------


def test_blank_text_is_not_the_start_of_a_label():
    """x_is_label_fragment__mutmut_4: the guard for text that folds to nothing answers True."""
    assert not labels.is_label_fragment("")
    assert not labels.is_label_fragment("  *: ")


def test_only_the_start_of_a_label_cut_short_is_a_label_fragment():
    """x_is_label_fragment__mutmut_6: `startswith(...) and != ...` -> `or`: any text would be a fragment."""
    assert labels.is_label_fragment("Credenti")
    assert labels.is_label_fragment("credential   lifesp")
    assert not labels.is_label_fragment("Welding Technology")
    assert not labels.is_label_fragment("Credential Name")  # the whole label is not a label cut short
    assert labels.is_label_fragment("Implementation Ye")
    assert not labels.is_label_fragment("Implementation Ye", met={"implementation_year"})  # a label not met yet


def test_a_label_glued_to_its_value_is_found_on_an_indented_line():
    """x_label_prefix_at__mutmut_1: `line.lstrip()` -> `line.rstrip()`: a text browser indents its lines, and the
    first three letters of the label are then read from the indent."""
    assert labels.label_prefix_at("   Credential NameWelding Technology") == (
        "credential_name",
        "   Credential Name",
        "Welding Technology",
    )
    assert labels.label_prefix_at("\tcredential lifespan:3 years") == (
        "lifespan",
        "\tcredential lifespan:",
        "3 years",
    )


# --- schemas/dictionary.py -----------------------------------------------------------------------------------------


class _Made(pandera.DataFrameModel):
    """A table written for the test: a column without a description, a type the dictionary has no short name
    for, a check whose message holds a `|`."""

    when: Series[pd.Timestamp] = pandera.Field(nullable=True)
    code: Series[str] = pandera.Field(nullable=False, description="the code", str_matches=r"^(a|b)$")


def test_the_data_dictionary_shows_a_column_as_its_schema_declares_it(monkeypatch):
    """x_markdown__mutmut_23 (no description -> `XXXX`), x__type__mutmut_4, 6 (a type without a short name -> None),
    x__check_text__mutmut_6, 7 (the `|` of a check not escaped, or escaped wrongly)."""
    monkeypatch.setattr(dictionary, "SCHEMAS", {"made": _Made})
    monkeypatch.setattr(dictionary, "KEYS", {"made": ("code",)})
    rows = dictionary.markdown().splitlines()
    assert "| when | datetime64[ns] |  |  |  |" in rows
    assert "| code | str | yes | `str_matches('^(a\\|b)$')` | the code |" in rows


# --- pipeline/tables/coverage.py -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ({"credentials": 0, "cut": 0, "failed": None}, ["no credential read"]),
        ({"credentials": 12}, []),
        ({"credentials": 12, "cut": 0, "failed": 0}, []),
        ({"credentials": 12, "cut": 2, "failed": 1}, ["2 of 12 credentials cut", "1 page failed in its last refresh"]),
        ({"credentials": 3, "cut": 3, "failed": 4}, ["3 of 3 credentials cut", "4 pages failed in its last refresh"]),
        ({"credentials": None, "failed": 2}, ["no credential read", "2 pages failed in its last refresh"]),
    ],
)
def test_a_year_is_incomplete_for_each_reason_its_coverage_row_gives(row, why):
    """x_incomplete_because__mutmut_*: each reason as the coverage table and `diff` write it."""
    assert coverage.incomplete_because(row) == why


# --- pipeline/tables/validate.py -----------------------------------------------------------------------------------


class _Whole(pandera.DataFrameModel):
    """A table with a check on the whole table, which no row can be blamed for."""

    code: Series[str] = pandera.Field(nullable=False)

    @pandera.dataframe_check(error="at_most_one_row")
    def at_most_one_row(cls, data: pd.DataFrame) -> bool:
        return len(data) <= 1


def test_a_failed_check_on_the_whole_table_stops_with_the_table_and_the_check_named(monkeypatch):
    """x__apply_failures__mutmut_12: the internal error's message dropped. A failure no row can be blamed for is
    not a value to null: it stops, naming the table and the check (pandera gives the model as its column)."""
    monkeypatch.setattr(validate, "SCHEMAS", {"made": _Whole})
    monkeypatch.setattr(validate, "KEYS", {"made": ("code",)})
    data = pd.DataFrame({"code": pd.Series(["a", "b"], dtype="string")})
    with pytest.raises(RuntimeError, match=r"^made: table-level check failed: at_most_one_row on _Whole$"):
        validate.validate("made", data)


# --- pipeline/tables/merge.py --------------------------------------------------------------------------------------


def _credential(year: str, slug: str, cred_id: int | None, name: str) -> CredentialRows:
    row = {"school_year": year, "credential_slug": slug, "cred_id": cred_id, "credential_name": name}
    return CredentialRows(row, {"credential_courses": [{"school_year": year, "credential_slug": slug}]})


def test_a_slug_collision_is_separated_after_a_slug_that_has_none():
    """x_separate_slugs__mutmut_19: `continue` -> `break` past a slug without a collision, so every collision read
    after it stays one slug (CONTRACT section 5: different cred_ids are never merged)."""
    rows = [
        _credential("2024-2025", "welding", 7, "Welding"),
        _credential("2024-2025", "cna", 11, "CNA"),
        _credential("2024-2025", "cna", 12, "C.N.A."),
    ]
    separated, collisions = merge.separate_slugs(rows)
    assert [r.credential["credential_slug"] for r in separated] == ["welding", "cna-11", "cna-12"]
    assert [r.children["credential_courses"][0]["credential_slug"] for r in separated] == [
        "welding",
        "cna-11",
        "cna-12",
    ]
    assert [(c.school_year, c.slug, c.cred_ids) for c in collisions] == [("2024-2025", "cna", (11, 12))]


def test_a_number_no_column_can_hold_is_rejected_with_the_rows_carried_columns():
    """x_screen_numbers__mutmut_44: the reject of a number beyond Int64 takes `carry` from the row (which block of
    which document it came from), not None."""
    row = {"school_year": "2024-2025", "credential_slug": "cna", "cred_id": 10**30, "source_path": "a.html", "block": 3}
    kept, rejects = validate.screen_numbers("credentials", [row], carry=("block",))
    assert rejects == [
        {
            "table": "credentials",
            "key": "2024-2025/cna",
            "column": "cred_id",
            "check": "fits_int64",
            "failure_case": "1000000000000000000000000000000",
            "source_path": "a.html",
            "block": 3,
        }
    ]
    assert [r["cred_id"] for r in kept] == [None]  # an id is not required: the row stays, without it


def test_a_number_too_large_for_a_float_is_rejected_not_kept():
    """x__fits_float64__mutmut_5: `float(10**400)` raises OverflowError, which must mean "does not fit"."""
    row = {"school_year": "2024-2025", "credential_slug": "cna", "lifespan_years": 10**400, "source_path": "a.html"}
    kept, rejects = validate.screen_numbers("credentials", [row])
    assert [(r["column"], r["check"], r["failure_case"]) for r in rejects] == [
        ("lifespan_years", "finite_number", "1" + "0" * 39 + "... (401 characters)")
    ]
    assert [r["lifespan_years"] for r in kept] == [None]


def _source(year: str | None, slug: str, path: str) -> CredentialRows:
    row = {
        "school_year": year,
        "credential_slug": slug,
        "cred_id": None,
        "credential_name": slug.upper(),
        "is_draft": False,
        "complete": True,
        "source_format": "html",
        "source_path": path,
    }
    return CredentialRows(row, {table: [] for table in CHILD_TABLES})


def test_a_credential_whose_year_is_not_known_is_merged_after_the_dated_ones_not_a_crash():
    """x_merge__mutmut_10, 12: the groups sorted by their raw (school_year, slug) keys: a page without a school
    year (None) beside one with a year cannot be ordered, and the whole extraction stops. Sorted as text, "None"
    comes after the years."""
    merged = merge.merge([_source(None, "cna", "b.html"), _source("2024-2025", "welding", "a.html")])
    assert [(row["school_year"], row["credential_slug"]) for row in merged.credentials] == [
        ("2024-2025", "welding"),
        (None, "cna"),
    ]


def test_merged_credentials_come_in_school_year_then_slug_order_whatever_order_they_were_read_in():
    """x_merge__mutmut_14, 15: the school year left out of the order, so credentials of two years interleave by
    slug."""
    read = [_source("2024-2025", "alpha", "b.html"), _source("2023-2024", "zeta", "a.html")]
    merged = merge.merge(read)
    assert [(row["school_year"], row["credential_slug"]) for row in merged.credentials] == [
        ("2023-2024", "zeta"),
        ("2024-2025", "alpha"),
    ]


# --- pipeline/read/blocks.py ---------------------------------------------------------------------------------------

_NAME = "credential_name"


@pytest.mark.parametrize(
    "chrome",
    [
        "Expand All | Print this page",  # a control's text: CONTRACT section 5, chrome by its role
        "[ Show details ]",
        "WARNING: This information is considered DRAFT and subject to change",
    ],
)
def test_a_control_or_the_draft_warning_before_a_credential_is_never_its_title(chrome):
    """x__is_control__mutmut_4 (the control pattern dropped), x_is_page_chrome__mutmut_3, 9 (the draft warning
    no longer chrome): the last loose line before a block whose name no line spells is its title, unless chrome."""
    page = blocks.assemble([blocks.Line(chrome), blocks.Pair("Credential Name", "Gamma Welding", _NAME)])
    assert [block.title for block in page.blocks] == [None]


def test_the_last_loose_line_that_is_not_chrome_is_the_title():
    """The same rule's other side, so that the test above cannot pass by never finding a title."""
    events = [blocks.Line("Gamma Certificate"), blocks.Line("Print"), blocks.Pair("Credential Name", "Gamma", _NAME)]
    assert [block.title for block in blocks.assemble(events).blocks] == ["Gamma Certificate"]


def test_a_title_is_the_loose_lines_that_spell_the_credential_name_even_wrapped_and_not_last():
    """x_assemble__mutmut_18, 20, x__title_from__mutmut_1, 2, 7, 8, 12...: the rule of the module's docstring, "its
    title is the loose text before it that spells its Credential Name, else the last loose line"."""
    name = "Certified Production Technician (CPT)"
    events = [
        blocks.Line("Certified Production"),
        blocks.Line("Technician (CPT)"),
        blocks.Line("Updated for 2024"),
        blocks.Line("Print"),
        blocks.Pair("Credential Name", name, _NAME),
    ]
    assert [block.title for block in blocks.assemble(events).blocks] == [name]


def test_pairs_read_between_a_title_and_its_credential_name_row_belong_to_the_block_they_precede():
    """The other half of the rule (assemble's docstring): a table's header row read before the name row."""
    events = [
        blocks.Line("Alpha"),
        blocks.Pair("Credential Name", "Alpha", _NAME),
        blocks.Pair("Credential Lifespan", "3 years", "lifespan"),
        blocks.Line("Bravo Card"),
        blocks.Pair("Exam Fee", "$35", "exam_fee"),
        blocks.Pair("Credential Name", "Bravo Card", _NAME),
    ]
    page = blocks.assemble(events)
    assert [(block.title, [pair.value for pair in block.pairs]) for block in page.blocks] == [
        ("Alpha", ["Alpha", "3 years"]),
        ("Bravo Card", ["$35", "Bravo Card"]),
    ]


def test_a_title_fragment_is_only_said_for_a_page_without_any_block():
    """x_assemble__mutmut_48: loose text after the last block is not a title cut short."""
    events = [blocks.Pair("Credential Name", "Alpha", _NAME), blocks.Line("Back to the directory")]
    assert blocks.assemble(events).title_fragment is None
    assert blocks.assemble([blocks.Line("Certified Production Tech")]).title_fragment == "Certified Production Tech"


_ALPHA, _LEVEL = "Alpha Card", "Alpha Card Level One"


@pytest.mark.parametrize(
    "lines, name, title",
    [
        (["Alpha Card", "Revised 2024"], _ALPHA, "Alpha Card"),  # one line, not the last
        (["Alpha Card", "one", "two", "three", "four", "five"], _ALPHA, "Alpha Card"),  # six lines back: searched
        (["Alpha Card", "one", "two", "three", "four", "five", "six"], _ALPHA, "six"),  # seven: out of reach
        (["Alpha", "Card", "Level", "One", "note"], _LEVEL, "note"),  # a title over four lines is not one title
        (["Alpha", "Card Level", "One", "note"], _LEVEL, "Alpha Card Level One"),  # over three lines it is
    ],
)
def test_a_title_spelling_the_name_is_searched_six_lines_back_over_at_most_three_lines(lines, name, title):
    """x__title_from__mutmut_12-38 (the ranges of the search): _TITLE_REACH = 6 lines, _TITLE_LINES = 3."""
    events = [*map(blocks.Line, lines), blocks.Pair("Credential Name", name, _NAME)]
    assert [block.title for block in blocks.assemble(events).blocks] == [title]


# --- schemas/datapackage.py ----------------------------------------------------------------------------------------

_DIRECTORY = "https://center.ncsu.edu/nccte-cms/credential_info.php"


def test_the_data_package_names_itself_its_profile_source_and_license_and_its_date_only_when_known():
    """x_descriptor__mutmut_52-72: the package's own keys and values (Frictionless: name, title, profile, version,
    created, sources, licenses), written from the spec and the directory's address."""
    package = datapackage.descriptor("1.2.3", "2025-08-01T11:30:00Z")
    assert [key for key in package if key != "resources"] == [
        "name",
        "title",
        "profile",
        "version",
        "created",
        "sources",
        "licenses",
    ]
    assert package["name"] == "nccte-credentials"
    assert package["title"] == "NC CTE Credential Information directory"
    assert package["profile"] == "tabular-data-package"
    assert (package["version"], package["created"]) == ("1.2.3", "2025-08-01T11:30:00Z")
    assert [source["path"] for source in package["sources"]] == [_DIRECTORY]
    assert [licence["name"] for licence in package["licenses"]] == ["other-open"]
    assert "created" not in datapackage.descriptor("1.2.3")
    assert "created" not in datapackage.descriptor("1.2.3", "")


def test_each_table_is_a_csv_resource_and_a_parquet_resource_with_its_media_type_encoding_and_description():
    """x_descriptor__mutmut_4-49: a resource's profile, format, media type, encoding (CSV only) and description
    (the table's docstring in schemas/tables.py)."""
    about = "One row per credential per school year, merged from every copy of its page."
    resources = {
        resource["name"]: {key: value for key, value in resource.items() if key != "schema"}
        for resource in datapackage.descriptor("1.2.3")["resources"]
    }
    assert resources["credentials"] == {
        "name": "credentials",
        "path": "csv/credentials.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": about,
    }
    assert resources["credentials-parquet"] == {
        "name": "credentials-parquet",
        "path": "parquet/credentials.parquet",
        "profile": "tabular-data-resource",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "description": about,
    }


@pytest.mark.parametrize("doc", [None, "", "  \n  "])
def test_a_table_without_a_docstring_has_no_description(monkeypatch, doc):
    """x_descriptor__mutmut_7: `__doc__ or ""` -> `or "XXXX"`: a table without a docstring got a made-up one."""
    monkeypatch.setattr(SCHEMAS["rejects"], "__doc__", doc)
    resources = {resource["name"]: resource for resource in datapackage.descriptor("1.2.3")["resources"]}
    assert "description" not in resources["rejects"] and "description" not in resources["rejects-parquet"]
    assert "description" in resources["credentials"]


def test_a_field_says_its_description_and_a_boolean_field_how_true_and_false_are_written():
    """x_table_schema__mutmut_10-13, x__field__mutmut_11-25: `missingValues` is the empty cell; a boolean field is
    written `true` / `false` in the CSV (Frictionless' trueValues / falseValues), a text field has neither."""
    schema = datapackage.table_schema("credentials")
    assert schema["missingValues"] == [""]
    fields = {field["name"]: field for field in schema["fields"]}
    assert fields["is_draft"] == {
        "name": "is_draft",
        "type": "boolean",
        "description": "The page carries the DRAFT warning",
        "trueValues": ["true"],
        "falseValues": ["false"],
        "constraints": {"required": True},
    }
    assert fields["credential_name"] == {
        "name": "credential_name",
        "type": "string",
        "description": "Credential name: the block's title line",
        "constraints": {"required": True, "minLength": 1},
    }


def test_a_column_without_a_description_or_a_minimum_length_says_neither():
    """x__field__mutmut_14, 73: a column without a description gets "" (not made up), and a length check with only a
    maximum declares no minLength."""
    column = pandera.Column("string", nullable=True, checks=[pandera.Check.str_length(max_value=5)])
    assert datapackage._field("note", column) == {"name": "note", "type": "string", "description": ""}
