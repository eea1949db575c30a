"""Tests written for mutmut survivors (tests/mutants_triage.md): each kills the mutant named in its docstring,
checked with `python -m tools.mutants_module verify MODULE NAME --tests THIS_TEST`. Expected values by hand."""

from __future__ import annotations

import signal
from contextlib import contextmanager

import pandas as pd
import pandera.pandas as pandera
import pytest
from pandera.typing import Series

from pipeline import exits, site
from pipeline.fetch import urls
from pipeline.read import blocks, html, labels, text_columns, text_markup
from pipeline.read.blocks import Line, Pair
from pipeline.read.documents import DocumentError
from pipeline.read.text import parse_text
from pipeline.tables import coverage, merge, validate
from pipeline.tables.rows import (
    CredentialRows,
    Source,
    block_name,
    credential_rows,
    label_value_columns,
    label_value_rows,
    listing_rows,
    title_mismatch,
    title_mismatch_note,
)
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


# --- pipeline/tables/rows.py ---------------------------------------------------------------------------------------

_SOURCE = Source("text/credential_7.txt", None, "0" * 64, "text", "2024-2025", False, 7)


def _block(title, *pairs):
    return blocks.Block(title, [blocks.Pair(label, value, key) for label, value, key in pairs])


def test_the_credential_name_value_is_the_name_with_its_whitespace_collapsed_whatever_the_title_says():
    """x_block_name__mutmut_1, x__stated_name__mutmut_2-5: the name read from the title instead of the value."""
    block = _block(
        "Welding Cert (2024)",
        ("Credential Name", "Welding   Technology\nCertificate", _NAME),
        ("Credential Lifespan", "3 years", "credential_lifespan"),
    )
    assert block_name(block) == "Welding Technology Certificate"
    assert title_mismatch(block) == "Welding Cert (2024)"
    typed = credential_rows(block, _SOURCE, 2)
    assert (typed.credential["credential_name"], typed.credential["credential_slug"]) == (
        "Welding Technology Certificate",
        "welding-technology-certificate",
    )


def test_a_block_without_a_credential_name_value_is_named_by_its_title_with_its_whitespace_collapsed():
    """x_block_name__mutmut_3: the title stands in for a missing Credential Name value."""
    block = _block("  Alpha \n Card ", ("Credential Lifespan", "3 years", "credential_lifespan"))
    assert block_name(block) == "Alpha Card"
    assert title_mismatch(block) is None  # nothing to differ from


def test_a_page_cut_inside_the_credential_name_takes_the_whole_name_from_its_title():
    """x__stated_name__mutmut_6, 7: the cut is seen from the last pair being the name, cut short of the title."""
    cut = _block("Alpha Card Level One", ("Credential Name", "Alpha Card", _NAME))
    assert block_name(cut) == "Alpha Card Level One"
    assert title_mismatch(cut) is None
    # the same short name followed by another label is the name as stated: the page was not cut inside it
    whole = _block(
        "Alpha Card Level One",
        ("Credential Name", "Alpha Card", _NAME),
        ("Credential Lifespan", "3 years", "credential_lifespan"),
    )
    assert block_name(whole) == "Alpha Card"
    assert title_mismatch(whole) == "Alpha Card Level One"


def test_a_title_differing_from_the_name_is_noted_with_the_block_number_the_title_and_the_name():
    """x_title_mismatch_note__mutmut_1, 2: the note is made in parse's worker, where mutmut did not look."""
    block = _block("Alpha Cert", ("Credential Name", "Alpha Card", _NAME))
    typed = credential_rows(block, _SOURCE, 3)
    assert (
        title_mismatch_note(typed)
        == "block 3: title 'Alpha Cert' differs from its Credential Name 'Alpha Card' (the name)"
    )


def test_a_pair_whose_label_is_not_known_has_no_label_in_label_values():
    """x_label_value_columns__mutmut_17: a drift label (key None) is kept by its raw text, its `label` empty."""
    block = _block("Alpha", ("Credential Name", "Alpha", _NAME), ("Shoe Size", "9", None))
    columns = label_value_columns(block, 1, _SOURCE, "alpha")
    assert columns["label"] == ["Credential Name", None]
    assert columns["label_raw"] == ["Credential Name", "Shoe Size"]


def test_label_value_columns_of_different_lengths_are_an_error_not_rows_cut_short():
    """x_label_value_rows__mutmut_11, 13, 14: the outer zip's `strict` dropped."""
    assert label_value_rows({"label": ["A", "B"], "value": ["1", "2"]}) == [
        {"label": "A", "value": "1"},
        {"label": "B", "value": "2"},
    ]
    with pytest.raises(ValueError):
        label_value_rows({"label": ["A", "B"], "value": ["1"]})


def test_a_listing_row_has_its_title_cleaned_and_no_slug_without_a_credential_name():
    """x_listing_rows__mutmut_7-9, 20: the course title's whitespace, and no slug made of an empty name."""
    listing = [
        {"course_code": "BA10", "course_title": "Business\n  Math", "credential_name": "", "federal_reporting": None},
        {"course_code": "IC00", "course_title": "Core", "credential_name": "Alpha  Card", "federal_reporting": "Yes"},
    ]
    assert listing_rows(listing, "2024-2025", "credentials-by-course.pdf") == [
        {
            "school_year": "2024-2025",
            "course_code": "BA10",
            "course_title": "Business Math",
            "credential_name": None,
            "credential_slug": None,
            "federal_reporting": None,
            "source_path": "credentials-by-course.pdf",
        },
        {
            "school_year": "2024-2025",
            "course_code": "IC00",
            "course_title": "Core",
            "credential_name": "Alpha Card",
            "credential_slug": "alpha-card",
            "federal_reporting": "Yes",
            "source_path": "credentials-by-course.pdf",
        },
    ]


# --- pipeline/site.py ----------------------------------------------------------------------------------------------

_BASE = "https://center.ncsu.edu/nccte-cms/"


def test_page_urls_have_the_directorys_query_shapes_and_drafts_use_the_future_script():
    """The URL builders (CONTRACT section 1's table), reached by the scrape tests only through a crawl."""
    assert site.credential_url(_BASE, 1118) == _BASE + "credential_info.php?choice=credential&cred_id=1118"
    assert site.credential_url(_BASE, 1118, draft=True) == (
        _BASE + "future_credential_info.php?choice=credential&cred_id=1118"
    )
    assert (
        site.course_url(_BASE, 62) == _BASE + "credential_info.php?choice=course&course_id=62&cred_id=-1&cluster_id=-1"
    )
    assert site.course_url(_BASE, 62, draft=True) == (
        _BASE + "future_credential_info.php?choice=course&course_id=62&cred_id=-1&cluster_id=-1"
    )


@pytest.mark.parametrize(
    "base, origin",
    [
        (_BASE, "live"),
        ("https://CENTER.ncsu.edu./nccte-cms/", "live"),  # a host is case-blind, and may end in the root's dot
        ("http://center.ncsu.edu:8080/x/", "live"),  # the host decides, not the scheme, port or path
        ("http://127.0.0.1:8000/nccte-cms/", "mirror"),
        ("https://center.ncsu.edu.example.org/nccte-cms/", "mirror"),
        ("file:///srv/copy/", "mirror"),  # no host at all
    ],
)
def test_a_crawl_is_live_only_from_the_directorys_own_host(base, origin):
    assert site.origin_of(base) == origin


def test_a_fetched_page_is_stored_by_its_kind_and_number_a_draft_marked():
    assert site.page_file("credential", 1118) == "html/credential_1118.html"
    assert site.page_file("course", 62, draft=True) == "html/course_62_draft.html"
    assert site.page_file("course", 62, False) == "html/course_62.html"


def test_a_field_with_columns_but_no_normalizer_is_refused_with_the_whole_reason():
    """xǁFieldǁ_problem__mutmut_4: the test of field_map matches a part of the message, which survives `XX...XX`."""
    with pytest.raises(site.FieldMapError) as refused:
        site.Field("exam_time", "Exam Time Allotment", ("exam_minutes",), None)
    assert str(refused.value) == (
        "site.FIELDS, 'exam_time': columns and a normalizer go together (a label that feeds nothing has neither)"
    )


def test_a_key_given_twice_is_named_as_a_key():
    """x_map_problems__mutmut_3, 4: no test gave a key twice."""
    fields = (*site.FIELDS, site.Field("proctored", "Proctored Again"))
    assert site.map_problems(fields) == ["key 'proctored' is given by more than one entry"]


def test_a_block_without_pairs_is_named_by_its_title_and_a_title_equal_to_the_name_is_no_mismatch():
    """x__stated_name__mutmut_9 (`pairs[-1]` of no pairs), x_title_mismatch__mutmut_5, 7: a title that spells the
    name (whitespace aside) is not noted."""
    assert block_name(_block("Alpha Card")) == "Alpha Card"
    same = _block("Alpha  Card", ("Credential Name", "Alpha Card", _NAME), ("Credential Lifespan", "3", "lifespan"))
    assert (block_name(same), title_mismatch(same)) == ("Alpha Card", None)
    # the page cut inside a name its title spells whole: the name as stated, nothing to note
    cut_same = _block("Alpha Card", ("Credential Name", "Alpha  Card", _NAME))
    assert (block_name(cut_same), title_mismatch(cut_same)) == ("Alpha Card", None)
    # cut after a name its title does not begin with: the name as stated, the title noted
    cut_other = _block("Bravo Card", ("Credential Name", "Alpha Card", _NAME))
    assert (block_name(cut_other), title_mismatch(cut_other)) == ("Alpha Card", "Bravo Card")


def test_a_blocks_typed_row_carries_its_values_its_provenance_and_its_block_number():
    """x_credential_rows__mutmut_34, 42-47, 51-57: a mapped value, source_url and source_origin, the title noted
    and the block's number kept."""
    url = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id=7"
    source = Source("html/credential_7.html", url, "ab" * 32, "html", "2024-2025", True, 7, "archive")
    block = _block(
        "Alpha Cert",
        ("Credential Name", "Alpha Card", _NAME),
        ("Implementation Year", "Before  2022-2023", "implementation_year"),
        ("Directory Notes", "Call the\nvendor.", "directory_notes"),
    )
    typed = credential_rows(block, source, 4)
    assert (typed.block, typed.title_mismatch, typed.source) == (4, "Alpha Cert", source)
    expected = {
        "school_year": "2024-2025",
        "cred_id": 7,
        "credential_slug": "alpha-card",
        "credential_name": "Alpha Card",
        "is_draft": True,
        "implementation_year": "Before 2022-2023",
        "directory_notes": "Call the vendor.",
        "source_format": "html",
        "complete": True,
        "source_path": "html/credential_7.html",
        "source_url": url,
        "source_sha256": "ab" * 32,
        "source_origin": "archive",
    }
    assert {column: typed.credential.get(column) for column in expected} == expected


# --- pipeline/fetch/urls.py ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://center.ncsu.edu/nccte-cms/credential_info.php?cred_id=1", "https://center.ncsu.edu"),
        ("http://127.0.0.2:8080/a/b", "http://127.0.0.2:8080"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
    ],
)
def test_the_origin_of_a_url_is_its_scheme_host_and_port(url, expected):
    """x_origin__mutmut_1, 2 (no tests: the crawler calls it, outside the selection)."""
    assert urls.origin(url) == expected


# --- pipeline/read/text_markup.py ----------------------------------------------------------------------------------

_P = text_markup.PARAGRAPH


@pytest.mark.parametrize(
    "lines, marked",
    [
        (["Alpha  ", "Bravo"], False),  # one line break marked: not enough to say the others were wrapped
        (["Alpha", "Bravo", "Charlie"], False),  # none marked
        (["Alpha  ", "Bravo  ", "Charlie"], True),  # two marked, each before a line
        (["Alpha\\", "Bravo\\", "Charlie"], True),  # a backslash is Markdown's other line break
        (["Alpha  ", "", "Bravo  ", "", "Charlie"], False),  # a mark before a blank line breaks nothing
    ],
)
def test_lines_are_taken_as_soft_wrapped_when_two_line_breaks_are_marked(lines, marked):
    """x_soft_wraps__mutmut_3, 10, 12, 13, 15, 16; x__hard_break__mutmut_3."""
    assert text_markup.soft_wraps(lines) is marked


def test_a_link_starting_with_an_exclamation_mark_is_a_link_and_an_image_is_its_alternative_text():
    """x__link_text__mutmut_3-6: `![alt](address)` is an image (its text), `[!text](address)` a link."""
    assert text_markup.inline("[!Important](https://x.org/a)") == "!Important https://x.org/a"
    assert text_markup.inline("![Logo](https://x.org/logo.png)") == "Logo"


def test_a_line_that_opens_a_link_takes_the_next_line_the_converter_wrapped_inside_it():
    """x__opens_a_link__mutmut_1: no line break is marked, but the link's text runs on to the next line."""
    lines = ["Website: [NOCTI", "site](https://www.nocti.org)"]
    assert text_markup.markdown_lines(lines) == ["Website: NOCTI site https://www.nocti.org"]


@pytest.mark.parametrize(
    "lines, shown",
    [
        (["Alpha", "", "Bravo"], ["Alpha", _P, "Bravo"]),  # a blank line without a hard break ends a paragraph
        (["Credential Information", "===", "Alpha"], ["Credential Information", "Alpha"]),  # a heading's underline
        (["Alpha", "", "Bravo", "====="], ["Alpha", _P, "Bravo"]),
        (["Alpha", "", "==="], ["Alpha", _P, "==="]),  # no text above it: no underline, text
        # no wrap across a table (its header of labels stays a row; one of no label names columns and goes)
        (["| Retakes | Yes |", "| --- | --- |", "Next"], ["| Retakes | Yes |", "Next"]),
        (["| Label | Value |", "| --- | --- |", "Next"], ["Next"]),
        (["A", "", "B", "# H"], ["A", _P, "B", _P, "H"]),  # a heading ends the paragraph before it
    ],
)
def test_markdown_blocks_underlines_and_table_rules_are_read_as_the_page_shows_them(lines, shown):
    """x_markdown_lines__mutmut_8, 22, 29-31, 33, 52-54."""
    assert text_markup.markdown_lines(lines) == shown


def test_in_wrapped_markdown_a_list_item_table_row_definition_heading_or_code_line_starts_its_own_line():
    """x_markdown_lines__mutmut_35-39, 44-47: with line breaks marked, an unmarked line takes the next one, unless
    that one opens a block; a heading and a code line take nothing."""
    lines = [
        "First line  ",
        "Second line  ",
        "wrapped start",
        "- item",
        "continued",
        "  | cell |",
        "more",
        ": definition",
        "# Heading",
        "after",
        "    code",
    ]
    assert text_markup.markdown_lines(lines) == [
        "First line",
        "Second line",
        "wrapped start",
        "item continued",
        "| cell | more",
        "definition",
        _P,
        "Heading",
        "after",
        "code",
    ]


def test_a_link_to_a_web_address_keeps_its_address_and_a_mail_link_its_text():
    """x__link_text__mutmut_19, 23, 24, 29: an http (not only https) address the text does not show follows it; a
    mailto link is its text."""
    assert text_markup.inline("[NOCTI](http://www.nocti.org)") == "NOCTI http://www.nocti.org"
    assert text_markup.inline("[Email us](mailto:info@x.org)") == "Email us"


def test_each_two_spaces_in_a_markdown_table_cell_are_one_line_break():
    """x_cell_breaks__mutmut_7-12."""
    assert text_markup.cell_breaks(" Line one  Line two    Line four   Line five ") == (
        "Line one\nLine two\n\nLine four\nLine five"
    )


@pytest.mark.parametrize(
    "line, following, was_wrapped",
    [
        ("The credential is offered by the vendor", "through", True),  # 39 + 1 + 7 > 40
        ("Fees are paid to the vendor online", "today", False),  # 34 + 1 + 5 = 40: it fitted, the break is the page's
        ("Fees are paid to the vendor onlines", "today", True),  # 41
        ("abc", "", False),  # nothing follows
        ("a" * 40, "   ", False),
    ],
)
def test_a_line_was_wrapped_only_when_the_next_lines_first_word_would_not_have_fitted(line, following, was_wrapped):
    """x_wrapped__mutmut_3, 5, 20, 21, 23, 24: the boundary at a width of 40."""
    assert text_markup.wrapped(line, following, 40) is was_wrapped


@pytest.mark.parametrize(
    "text, following, options, joined",
    [
        ("Visit https://x.org/", "path/page", {}, "Visit https://x.org/path/page"),  # cut after a slash
        ("the vendor", "through", {"full": True, "width": 5}, "the vendor through"),  # no address: a space
        ("see www.example.com/acc", "essibility", {"width": 10}, "see www.example.com/acc essibility"),  # not full
        ("Alpha  ", "beta", {}, "Alpha beta"),
        ("", "beta", {}, " beta"),
        ("Alpha", "", {}, "Alpha "),
        ("see www.a.org/x", "", {"full": True, "width": 12}, "see www.a.org/x "),
        ("see www.a.org/ab", "cd", {"full": True, "width": 14}, "see www.a.org/ab cd"),  # 12 + 2 is not longer
    ],
)
def test_two_wrapped_lines_are_joined_with_a_space_unless_an_address_was_cut(text, following, options, joined):
    """x_join_wrapped__mutmut_1, 3, 6, 11, 12, 18, 20, 25."""
    assert text_markup.join_wrapped(text, following, **options) == joined


def test_a_text_browser_dump_has_its_wrapped_lines_joined_and_its_own_line_breaks_kept():
    """x_unwrapped__mutmut_11-16, 23, 26, 39-49: the selection never unwrapped a dump with a width."""
    lines = [
        "The credential is offered by the vendor",  # 39 characters
        "through its portal to candidates who",
        "register.",
        "Fees are paid to the vendor online",  # 34: `today` would have fitted
        "today and the exam is booked later.",
        "See https://www.nocti.org/credentials/ap",  # 40, full: the address was cut
        "ply-online.html today.",
    ]
    assert text_markup.unwrapped(lines, 40) == [
        "The credential is offered by the vendor through its portal to candidates who register.",
        "Fees are paid to the vendor online",
        "today and the exam is booked later.",
        "See https://www.nocti.org/credentials/apply-online.html today.",
    ]


@pytest.mark.parametrize(
    "lines, kept, listed",
    [
        (["Alpha", "Bravo", ""], ["Alpha", "Bravo", ""], False),  # no list of links
        (["Alpha", "1. https://a.org/"], ["Alpha"], True),  # a list of one
        (["Alpha", "1. https://a.org/", ""], ["Alpha"], True),  # a blank line after it
        (["Alpha", "1. https://a.org/", "", ""], ["Alpha"], True),  # blank lines after it
        (["Alpha", "1. https://a.org/", "2. https://b.org/"], ["Alpha"], True),
        (["Alpha", "", "1. https://a.org/"], ["Alpha", ""], True),  # a blank line before it stays
        (["Alpha", "", "Bravo", "1. https://a.org/"], ["Alpha", "", "Bravo"], True),
        (["Alpha", "", "References:", "[1] https://a.org/", "[2] https://b.org/"], ["Alpha", ""], True),  # its heading
    ],
)
def test_a_text_browsers_list_of_link_addresses_at_the_end_is_taken_away(lines, kept, listed):
    """x_without_references__mutmut_5-41 (but those listed as equivalent)."""
    assert text_markup.without_references(lines) == (kept, listed)


def test_a_bracketed_number_before_a_space_is_text_when_the_dump_lists_no_links():
    """x_without_link_marks__mutmut_6."""
    assert text_markup.without_link_marks("Print it [1] now", False) == "Print it [1] now"
    assert text_markup.without_link_marks("Print it [1] now", True) == "Print it  now"


@pytest.mark.parametrize(
    "lines, markdown",
    [
        (["# Title", "Alpha", "**Bold**"], False),  # two marks
        (["Alpha  ", "Bravo  ", "Charlie"], False),  # two hard breaks
        (["a  ", "b  ", "c  "], True),  # three hard breaks, on the shortest lines that can hold one
        ([": one", ": two", ": three"], True),  # definitions
        (["# A", "# B", "# C"], True),  # headings
    ],
)
def test_three_markdown_marks_make_a_rendering_markdown(lines, markdown):
    """x_is_markdown__mutmut_2, 3, 13, 17, 22."""
    assert text_markup.is_markdown(lines) is markdown


@pytest.mark.parametrize(
    "lines, markdown",
    [
        (["See <https://x.org>", "Go <https://y.org>", "At <https://z.org>"], True),  # autolinks alone
        (["[a](https://x.org)", "[b](https://y.org)", "[c](https://z.org)"], True),  # links alone
        (["**A** x", "**B** y", "**C** z"], True),  # bold written with stars alone
        (["__A__ x", "__B__ y", "__C__ z"], True),  # bold written with underscores alone
        (["a ](b", "c ](d", "e ](f"], False),  # a link's middle without a link
        (["1 < 2", "3 < 4", "5 < 6"], False),  # a less-than sign without an address
        (["2 ** 3", "4 ** 5", "6 ** 7"], False),  # stars without bold text between them
        (["snake__case", "dunder__x", "a__b"], False),  # underscores without bold text between them
    ],
)
def test_each_kind_of_markdown_mark_counts_alone_and_its_characters_alone_do_not(lines, markdown):
    """x__has_mark__mutmut_2, 4, 8-10, 12-17."""
    assert text_markup.is_markdown(lines) is markdown


@pytest.mark.parametrize(
    "line, following, continues",
    [
        ("", "docs", False),
        ("See https://x.org/", "", False),
        ("Site: [3]https://www.x.org/", "docs/page.html", True),  # a link number before the address
        ("Website: https://", "https://www.x.org", False),  # a scheme alone, then a new address
        ("Website: https://", "Visit us", False),  # a scheme alone, then words
        ("See https://x.org/", "apply now", False),  # a word and more words: a sentence
        ("See https://x.org/", "apply", True),  # a path's last word alone on its line
        ("See https://x.org/credential-", "info.html", True),  # cut after a hyphen
    ],
)
def test_an_address_cut_after_a_slash_or_hyphen_continues_only_with_a_piece_of_path(line, following, continues):
    """x_continues_address__mutmut_3, 8, 14, 18, 19, 26, 38."""
    assert text_markup.continues_address(line, following) is continues


def test_an_address_cut_after_a_slash_on_a_line_with_trailing_spaces_is_joined_without_them():
    """A bug found beside x_unwrapped__mutmut_30 (the join of a cut address through join_wrapped, which strips the
    line, differed from the code only here): the spaces after the slash stayed inside the address."""
    lines = ["Details: https://www.example.org/   ", "docs/credentials.html"]
    assert text_markup.unwrapped(lines, None) == ["Details: https://www.example.org/docs/credentials.html"]


def test_a_dump_of_one_word_lines_was_not_wrapped_and_keeps_its_lines():
    """A bug found with x_wrap_width__mutmut_* (the `max` default): no line holds a space, so none could have been
    wrapped, but the width came out 0 and every line was joined to the one before it."""
    lines = ["Welding", "Carpentry", "Masonry", "Plumbing", "Roofing", "Drywall", "Painting", "Flooring", "Glazing"]
    lines.append("Framing")
    assert text_markup.wrap_width(lines) is None
    assert text_markup.unwrapped(lines, text_markup.wrap_width(lines)) == lines


def test_a_scheme_alone_at_a_lines_end_takes_the_address_on_the_next_line():
    """x_unwrapped__mutmut_30: joined as two wrapped words, the scheme and its address came apart with a space."""
    assert text_markup.unwrapped(["Website: https://", "www.nocti.org/apply"], None) == [
        "Website: https://www.nocti.org/apply"
    ]


_NEAR_FULL = [
    "The exam is given online at a test site",
    "Candidates register with the vendor and",
    "Retakes are allowed after fourteen days",
    "Vouchers expire one year after purchase",
    "Scores are reported to the school within",  # 40 characters, the widest
]


def test_a_dump_is_wrapped_at_its_widest_line_when_ten_lines_show_five_full_ones_wrapped():
    """wrap_width at the boundaries: ten lines, five of them within 12 characters of the widest, each
    followed by a line whose first word would not have fitted: the least that shows a width."""
    lines = [line for near in _NEAR_FULL for line in (near, "several more words.")]
    assert text_markup.wrap_width(lines) == 40
    assert text_markup.wrap_width(lines[:-1]) is None  # nine lines
    # the same five lines each followed by a blank line: none was wrapped
    apart = [line for number, near in enumerate(_NEAR_FULL) for line in (near, "", f"short line {number}")]
    assert text_markup.wrap_width(apart) is None


def test_a_width_needs_a_third_of_the_near_full_lines_wrapped_and_few_long_lines_apart_from_them():
    """`near * 4 >= long` and `full * 3 >= near` at their boundaries (widest 40: near-full is 28 or more, long is
    more than 20)."""
    wrapped = [line for near in _NEAR_FULL for line in (near, "several more words.")]  # near 5, full 5, long 5
    medium = [f"a medium line, number {number:02d}." for number in range(16)]  # 25 characters: long, not near
    assert text_markup.wrap_width(wrapped + medium[:15] + ["a line of twenty chr"]) == 40  # long 20 = near * 4
    assert text_markup.wrap_width(wrapped + medium) is None  # long 21
    unwrapped = [line for number in range(11) for line in (_NEAR_FULL[number % 5], "")]  # near, not followed
    assert text_markup.wrap_width(wrapped + unwrapped[:20]) == 40  # near 15 = full * 3
    assert text_markup.wrap_width(wrapped + unwrapped) is None  # near 16


_28 = "Fees are set by each vendor."  # 28 characters: 12 short of the widest (40), near-full
_27 = "Fees are set by the vendor."  # 27: not near-full


def test_a_line_twelve_characters_short_of_the_widest_is_near_full_and_thirteen_short_is_not():
    """Near-full is 28 or more when the widest line is 40; `Certifications.` (15) would not have fitted after
    28 characters (28 + 1 + 15 > 40), `and` would have (28 + 1 + 3 <= 40)."""
    assert (len(_28), len(_27), len(_NEAR_FULL[4])) == (28, 27, 40)
    widest = [_NEAR_FULL[4], "Certifications."]
    # five near-full lines (the widest and four of 28), each wrapped: a width
    assert text_markup.wrap_width(widest + [line for _ in range(4) for line in (_28, "Certifications.")]) == 40
    wrapped = [line for near in _NEAR_FULL for line in (near, "several more words.")]  # near 5, full 5
    fifteen = wrapped + [line for _ in range(10) for line in (_28, "")]  # near 15 = full * 3
    assert text_markup.wrap_width(fifteen) == 40
    assert text_markup.wrap_width(fifteen + [_27, ""]) == 40  # 27 is not near-full: still 15
    sixteen = wrapped + [line for _ in range(11) for line in (_28, "and more.")]  # near 16, full 5: no width
    assert text_markup.wrap_width(sixteen) is None
    assert text_markup.wrap_width(sixteen + [_27, "Certifications."]) is None  # wrapped, but not near-full


# --- pipeline/read/text_columns.py ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "column", "cells"),
    [
        ("Retakes", 7, ("Retakes", "")),  # x__split__mutmut_3: a label cell exactly as wide as its column
        ("see the vendor", 20, ("see the vendor", "")),  # x__split__mutmut_2: a short line is a label cell alone
        # x__split__mutmut_12: an unknown label padded to its column is a cell, not a sentence
        ("Practice Test Provider  Acme Tests", 24, ("Practice Test Provider", "Acme Tests")),
    ],
)
def test_a_column_table_line_splits_into_its_label_and_value_cells(line, column, cells):
    assert text_columns._split(line, column) == cells


@pytest.mark.parametrize(
    "lines",
    [
        ["", "Pearson VUE", "testing centers"],  # x__value__mutmut_5: one blank line before the value
        ["Pearson VUE", "testing centers", ""],  # x__value__mutmut_11, 12: one blank line after it
    ],
)
def test_a_rows_value_loses_only_its_blank_lines_at_either_end(lines):
    assert text_columns._value(lines, None, False) == "Pearson VUE\ntesting centers"


# Tables set as text in two columns, the way a text browser (lynx, w3m), inscriptis or a person's plain-text export
# lays them out, read through the public entry. Each expected (label as written, key, value) is read off the
# layout by hand.


def _rows(text: str) -> list[tuple[str | None, list[tuple[str, str | None, str]]]]:
    """Each block's title and its pairs, (label as written, key, value)."""
    page = parse_text(text)
    return [(block.title, [(pair.label_raw, pair.key, pair.value) for pair in block.pairs]) for block in page.blocks]


@contextmanager
def _within_a_minute():
    """A reading that loops forever fails here instead of hanging the run."""

    def stop(*_):
        raise TimeoutError("still reading after 60 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_ALPHA = ("Credential Name", "credential_name", "Alpha Credential")
_ONLINE = ("Delivery Format", "delivery_format", "Online")
_NONE = ("Directory Notes", "directory_notes", "None")


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        pytest.param(  # x_value_column__mutmut_8, 16: three labels open their values at one column: enough
            "Credential Name    Alpha Credential\n"
            "Credential         Alpha Inc.\n"
            "Vendor Info        alpha.example.org\n"
            "Delivery Format    Online\n"
            "Directory Notes    None\n",
            [_ALPHA, ("Credential Vendor Info", "vendor_info", "Alpha Inc.\nalpha.example.org"), _ONLINE, _NONE],
            id="three-labels-share-the-column",
        ),
        pytest.param(  # x_value_column__mutmut_12, 13: two spaces after the widest labels are padding
            "Credential Name  Alpha Credential\n"
            "Credential       Alpha Inc.\n"
            "Vendor Info      alpha.example.org\n"
            "Renewal Options  Retake the exam\n"
            "Delivery Format  Online\n"
            "Directory Notes  None\n",
            [
                _ALPHA,
                ("Credential Vendor Info", "vendor_info", "Alpha Inc.\nalpha.example.org"),
                ("Renewal Options", "renewal_options", "Retake the exam"),
                _ONLINE,
                _NONE,
            ],
            id="padded-by-two-spaces",
        ),
        pytest.param(  # x_value_column__mutmut_17: three of five labels share the column: 60% is enough
            "Credential Name    Alpha Credential\n"
            "Credential         Alpha Inc.\n"
            "Vendor Info        alpha.example.org\n"
            "Delivery Format    Online\n"
            "Directory Notes    None\n"
            "\n"
            "Retakes  Yes\n"
            "Articulation  No\n",
            [
                _ALPHA,
                ("Credential Vendor Info", "vendor_info", "Alpha Inc.\nalpha.example.org"),
                _ONLINE,
                _NONE,
                ("Retakes", "retakes", "Yes"),
                ("Articulation", "articulation", "No"),
            ],
            id="three-of-five-share-the-column",
        ),
        pytest.param(  # x_value_column__mutmut_18: no column shared by 60% of the labels: no columns
            "Credential Name  Alpha Credential\n"
            "Credential Lifespan  5 years\n"
            "Renewal Options  Retake the exam\n"
            "Retakes  Yes, after 24 hours\n"
            "Articulation  No\n"
            "Directory Notes  None\n",
            [
                _ALPHA,
                ("Credential Lifespan", "lifespan", "5 years"),
                ("Renewal Options", "renewal_options", "Retake the exam"),
                ("Retakes", "retakes", "Yes, after 24 hours"),
                ("Articulation", "articulation", "No"),
                _NONE,
            ],
            id="two-spaces-after-each-label-no-shared-column",
        ),
        pytest.param(  # x_value_column__mutmut_11, 20: most labels glued to their values by one space: no columns
            "Credential Name Alpha Credential\n"
            "Retakes  Yes, after 24 hours\n"
            "Delivery Format Online\n"
            "Articulation  No\n"
            "Directory Notes None\n",
            [
                _ALPHA,
                ("Retakes", "retakes", "Yes, after 24 hours"),
                _ONLINE,
                ("Articulation", "articulation", "No"),
                _NONE,
            ],
            id="most-labels-one-space-from-their-values",
        ),
        pytest.param(  # x__value_start__mutmut_8: a label alone on its line, trailing spaces after it, opens no value
            "Credential Name   \nAlpha Credential\nRetakes           \nYes, after 24 hours\nDirectory Notes   \nNone\n",
            [_ALPHA, ("Retakes", "retakes", "Yes, after 24 hours"), _NONE],
            id="labels-on-lines-of-their-own-with-trailing-spaces",
        ),
    ],
)
def test_a_page_is_read_in_columns_when_most_labels_are_padded_to_a_value_column_three_share(text, pairs):
    assert [pair for _, block in _rows(text) for pair in block] == pairs


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        pytest.param(  # x__local_column__mutmut_7: not where the first line opened by a label goes on
            "Retakes are free for students of a public school.\n"
            "Credential Name          Alpha Credential\n"
            "Credential Vendor Info   Alpha Inc.\n"
            "Renewal Options          Retake the exam\n"
            "Delivery Format          Online\n"
            "Directory Notes          None\n",
            [
                (
                    "Retakes are free for students of a public school.",
                    [
                        _ALPHA,
                        ("Credential Vendor Info", "vendor_info", "Alpha Inc."),
                        ("Renewal Options", "renewal_options", "Retake the exam"),
                        _ONLINE,
                        _NONE,
                    ],
                )
            ],
            id="a-sentence-opened-by-a-label-above-the-table",
        ),
        pytest.param(  # x__local_column__mutmut_8, 9: the first table's column, though the second has more rows
            "Alpha Credential\n"
            "Credential Name    Alpha Credential\n"
            "Retakes            Yes\n"
            "Directory Notes    None\n"
            "\n"
            "Beta Credential\n"
            "Credential Name             Beta Credential\n"
            "Credential Vendor Info      Beta Corp.\n"
            "Credential Lifespan         3 years\n"
            "Renewal Options             N/A\n"
            "Delivery Format             Online\n"
            "Retakes                     No\n"
            "Directory Notes             None\n",
            [
                ("Alpha Credential", [_ALPHA, ("Retakes", "retakes", "Yes"), _NONE]),
                (
                    "Beta Credential",
                    [
                        ("Credential Name", "credential_name", "Beta Credential"),
                        ("Credential Vendor Info", "vendor_info", "Beta Corp."),
                        ("Credential Lifespan", "lifespan", "3 years"),
                        ("Renewal Options", "renewal_options", "N/A"),
                        _ONLINE,
                        ("Retakes", "retakes", "No"),
                        _NONE,
                    ],
                ),
            ],
            id="two-tables-two-columns",
        ),
    ],
)
def test_each_table_is_split_at_the_column_most_of_its_own_first_labels_open_their_values_at(text, blocks):
    assert _rows(text) == blocks


_AUTODESK = "Autodesk Certified Professional: AutoCAD for Design and Drafting"
# the name wrapped in its cell over three lines, its label set on the middle one
_NAME_IN_THREE = (
    "                         Autodesk Certified Professional:\n"
    "Credential Name          AutoCAD for Design and\n"
    "                         Drafting\n"
)
_NAME_CELL = (
    "Credential Name",
    "credential_name",
    "Autodesk Certified Professional:\nAutoCAD for Design and\nDrafting",
)
_AUTODESK_INC = ("Credential Vendor Info", "vendor_info", "Autodesk, Inc.")


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        pytest.param(  # x__table_at__mutmut_15, 16, 19, 25, 28 to 36, 38: after a blank line, a line above the label
            f"{_AUTODESK}\n\n{_NAME_IN_THREE}"
            "Credential Vendor Info   Autodesk, Inc.\n"
            "Delivery Format          Online\n"
            "Directory Notes          None\n",
            [(_AUTODESK, [_NAME_CELL, _AUTODESK_INC, _ONLINE, _NONE])],
            id="one-line-above-after-a-blank-line",
        ),
        pytest.param(  # x__table_at__mutmut_32: two lines above the label of a row of five (a narrow value column)
            f"{_AUTODESK}\n\n"
            "                     Autodesk\n"
            "                     Certified\n"
            "Credential Name      Professional:\n"
            "                     AutoCAD for Design\n"
            "                     and Drafting\n"
            "Delivery Format      Online\n"
            "Directory Notes      None\n",
            [
                (
                    _AUTODESK,
                    [
                        (
                            "Credential Name",
                            "credential_name",
                            "Autodesk\nCertified\nProfessional:\nAutoCAD for Design\nand Drafting",
                        ),
                        _ONLINE,
                        _NONE,
                    ],
                )
            ],
            id="two-lines-above",
        ),
        pytest.param(  # x__table_at__mutmut_37, 39: right under the title, no blank line between
            f"2024-2025 Credential Information\n{_AUTODESK}\n{_NAME_IN_THREE}"
            "Credential Vendor Info   Autodesk, Inc.\n"
            "Delivery Format          Online\n"
            "Directory Notes          None\n",
            [(_AUTODESK, [_NAME_CELL, _AUTODESK_INC, _ONLINE, _NONE])],
            id="right-under-the-title",
        ),
        pytest.param(  # x__spans__mutmut_120 to 129: a row of three set at the top: every label opens its row ...
            f"{_AUTODESK}\n\n{_NAME_IN_THREE}"
            "Renewal Options          Retake the exam\n"
            "                         or earn 30 credit hours\n"
            "                         within five years\n"
            "Directory Notes          None\n",
            [
                (
                    _AUTODESK,
                    [  # ... but the first, which takes the line above it
                        _NAME_CELL,
                        (
                            "Renewal Options",
                            "renewal_options",
                            "Retake the exam\nor earn 30 credit hours\nwithin five years",
                        ),
                        _NONE,
                    ],
                )
            ],
            id="rows-set-at-the-top-below-one-set-in-the-middle",
        ),
        pytest.param(  # x__table_at__mutmut_10: a first row whose value cell is empty still opens the table
            "Alpha Credential\n"
            "\n"
            "Credential Name\n"
            "Credential Vendor Info   Alpha Inc.\n"
            "Delivery Format          Online\n"
            "Directory Notes          None\n",
            [
                (
                    "Alpha Credential",
                    [
                        ("Credential Name", "credential_name", ""),
                        ("Credential Vendor Info", "vendor_info", "Alpha Inc."),
                        _ONLINE,
                        _NONE,
                    ],
                )
            ],
            id="an-empty-first-row",
        ),
    ],
)
def test_a_tables_first_row_takes_the_value_lines_above_its_label_up_to_a_blank_or_loose_line(text, blocks):
    with _within_a_minute():
        assert _rows(text) == blocks


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        pytest.param(  # x__table_at__mutmut_42, 57: a row of its own, then a paragraph: the table ends before it
            "Credential Name    Alpha Credential\n"
            "Renewal Options    Retake the exam\n"
            "Delivery Format    Online\n"
            "Directory Notes    None\n"
            "\n"
            "Beta Credential\n"
            "Credential Name    Beta Credential\n"
            "Details for this credential are pending review by the consultant.\n",
            [
                (None, [_ALPHA, ("Renewal Options", "renewal_options", "Retake the exam"), _ONLINE, _NONE]),
                ("Beta Credential", [("Credential Name", "credential_name", "Beta Credential")]),
            ],
            id="a-one-row-table-then-a-paragraph",
        ),
        pytest.param(  # x__table_at__mutmut_26, 27, 57, 81: a blank line inside the last row's value
            "Credential Name    Alpha Credential\n"
            "Renewal Options    Retake the exam\n"
            "Delivery Format    Online\n"
            "Directory Notes    Print the certificate from the portal.\n"
            "\n"
            "                   Call the consultant with questions.\n",
            [
                (
                    None,
                    [
                        _ALPHA,
                        ("Renewal Options", "renewal_options", "Retake the exam"),
                        _ONLINE,
                        (
                            "Directory Notes",
                            "directory_notes",
                            "Print the certificate from the portal.\n\nCall the consultant with questions.",
                        ),
                    ],
                )
            ],
            id="a-blank-line-inside-the-last-value",
        ),
    ],
)
def test_a_table_goes_on_over_a_blank_line_only_to_more_of_its_rows(text, blocks):
    assert _rows(text) == blocks


def test_an_unknown_label_wrapped_in_its_cell_is_one_label_up_to_the_next_known_one():
    """x__goes_on__mutmut_4, 5, 7 to 11."""
    text = (
        "Credential Name          Alpha Credential\n"
        "Practice Test            Acme Practice Tests\n"
        "Provider                 two free attempts\n"
        "Retakes                  Yes\n"
        "Directory Notes          None\n"
    )
    assert _rows(text) == [
        (
            None,
            [
                _ALPHA,
                ("Practice Test Provider", None, "Acme Practice Tests\ntwo free attempts"),
                ("Retakes", "retakes", "Yes"),
                _NONE,
            ],
        )
    ]


_REFERENCES = (
    "\nReferences\n\n   1. https://example.org/list\n   2. https://example.org/print\n   3. https://example.org/help\n"
)


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        pytest.param(  # x_column_events__mutmut_34, x__table_pairs__mutmut_38, 42: a title's and a label's
            "[1]Back to the list\n"
            "\n"
            "Alpha Credential [2]\n"
            "Credential Name              Alpha Credential\n"
            "Multilingual Resources [3]   Spanish\n"
            "Delivery Format              Online\n"
            "Directory Notes              None\n" + _REFERENCES,
            [("Alpha Credential", [_ALPHA, ("Multilingual Resources", "multilingual", "Spanish"), _ONLINE, _NONE])],
            id="in-a-short-line-and-a-label-cell",
        ),
        pytest.param(  # x_column_events__mutmut_20, 24, 29: a paragraph's, across both columns
            "[1]Back to the list\n"
            "\n"
            "Alpha Credential: see the vendor's page [2] for this year's exam fees and retake rules.\n"
            "Credential Name              Alpha Credential\n"
            "Delivery Format              Online\n"
            "Directory Notes              None\n" + _REFERENCES,
            [
                (
                    "Alpha Credential: see the vendor's page for this year's exam fees and retake rules.",
                    [_ALPHA, _ONLINE, _NONE],
                )
            ],
            id="in-a-paragraph",
        ),
    ],
)
def test_a_dump_that_lists_its_links_has_no_link_number_left_around_or_inside_its_table(text, blocks):
    assert _rows(text) == blocks


_RETAKES_AND_FEE = ("Retakes", "retakes", "Yes\n\nEach retake costs $50.")


# inscriptis sets each label on the middle line of its row (the upper of the two middle lines of a row of an even
# number of lines), a row's value lines beside it and around it; a text browser sets it on the row's first line.
# Wrapped values are joined back.
@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        # x__height_cost__mutmut_5, 8, 10, 13, x__spans__mutmut_61, 62, 77, 78, 86, x__table_pairs__mutmut_21
        pytest.param(
            "Credential Name          Alpha Credential\n"
            "                         Renew every three years by retaking\n"
            "Renewal Options          the exam or by earning thirty\n"
            "                         continuing education credits\n"
            "Articulation             Yes\n"
            "                         with community colleges\n"
            "                         Online through a secure browser or\n"
            "Delivery Format          in person at an authorized testing\n"
            "                         center near the school\n"
            "                         Extra time and a separate room are\n"
            "Student Accommodations   available on request with\n"
            "                         documentation from the school\n",
            [
                _ALPHA,
                (
                    "Renewal Options",
                    "renewal_options",
                    "Renew every three years by retaking the exam or by earning thirty continuing education credits",
                ),
                ("Articulation", "articulation", "Yes\nwith community colleges"),
                (
                    "Delivery Format",
                    "delivery_format",
                    "Online through a secure browser or in person at an authorized testing center near the school",
                ),
                (
                    "Student Accommodations",
                    "accommodations",
                    "Extra time and a separate room are available on request with documentation from the school",
                ),
            ],
            id="wrapped-values-of-three-lines",
        ),
        pytest.param(  # x__height_cost__mutmut_3, 9, 11, 12, x__spans__mutmut_91, x__unlikely__mutmut_4, 6
            "Credential Name                  Alpha Credential\n"
            "                                 Welding Technology (WELD)\n"
            "Pathway(s)                       Manufacturing Production (MFGP)\n"
            "                                 Engineering Design (ENGD)\n"
            "                                 Automotive Service (AUTO)\n"
            "Credential Lifespan              3 years\n"
            "                                 from the date of the exam\n"
            "Articulation                     No\n"
            "Proctored Environment Required   No\n"
            "                                 Yes\n"
            "Retakes\n"
            "                                 Each retake costs $50.\n",
            [
                _ALPHA,
                (
                    "Pathway(s)",
                    "pathways",
                    "Welding Technology (WELD)\nManufacturing Production (MFGP)\nEngineering Design (ENGD)\n"
                    "Automotive Service (AUTO)",
                ),
                ("Credential Lifespan", "lifespan", "3 years\nfrom the date of the exam"),
                ("Articulation", "articulation", "No"),
                ("Proctored Environment Required", "proctored", "No"),
                _RETAKES_AND_FEE,
            ],
            id="a-list-of-four-and-a-label-beside-a-blank-line",
        ),
        pytest.param(  # x__spans__mutmut_42: a value of four lines, its third blank
            "Credential Name  Alpha Credential\n"
            "Retakes          No\n"
            "                 Print the certificate\n"
            "Directory Notes  from the portal\n"
            "\n"
            "                 Call the consultant with questions.\n",
            [
                _ALPHA,
                ("Retakes", "retakes", "No"),
                (
                    "Directory Notes",
                    "directory_notes",
                    "Print the certificate\nfrom the portal\n\nCall the consultant with questions.",
                ),
            ],
            id="a-blank-line-after-the-label",
        ),
        pytest.param(  # x__spans__mutmut_38: set at the top: rows of three, their middle lines blank
            "Credential Name          Alpha Credential\n"
            "Retakes                  Yes\n"
            "\n"
            "                         Each retake costs $50.\n"
            "Student Accommodations   Extra time on request\n"
            "\n"
            "                         Screen reader on request\n"
            "Directory Notes          None\n",
            [
                _ALPHA,
                _RETAKES_AND_FEE,
                ("Student Accommodations", "accommodations", "Extra time on request\n\nScreen reader on request"),
                _NONE,
            ],
            id="labels-at-the-top-of-rows-of-three",
        ),
        pytest.param(  # x__unlikely__mutmut_24: the line above the SOC label names a code, unlike the lifespan's
            "Credential Name                                     Alpha Credential\n"
            "Course Number and Title                             WE21 Welding Technology I\n"
            "                                                    WE22 Welding Technology II\n"
            "Pathway(s)                                          Welding Technology (WELD)\n"
            "Credential Lifespan                                 3 years\n"
            "                                                    from the date of the exam\n"
            "                                                    Industrial Engineering Technicians (17-3026)\n"
            "SOC (Standard Occupational Classification) Code(s)  Mechanical Engineering Technicians (17-3027)\n"
            "                                                    Electrical Engineering Technicians (17-3023)\n"
            "                                                    Yes\n"
            "Retakes\n"
            "                                                    Each retake costs $50.\n",
            [
                _ALPHA,
                ("Course Number and Title", "courses", "WE21 Welding Technology I\nWE22 Welding Technology II"),
                ("Pathway(s)", "pathways", "Welding Technology (WELD)"),
                ("Credential Lifespan", "lifespan", "3 years\nfrom the date of the exam"),
                (
                    "SOC (Standard Occupational Classification) Code(s)",
                    "soc_codes",
                    "Industrial Engineering Technicians (17-3026)\nMechanical Engineering Technicians (17-3027)\n"
                    "Electrical Engineering Technicians (17-3023)",
                ),
                _RETAKES_AND_FEE,
            ],
            id="a-soc-list-under-a-lifespan-of-two-lines",
        ),
        pytest.param(  # x__unlikely__mutmut_27, 29: a line naming no code goes on the SOC row it is under
            "Credential Name                                     Alpha Credential\n"
            "SOC (Standard Occupational Classification) Code(s)  Industrial Engineering Technicians (17-3026)\n"
            "                                                    and related occupations\n"
            "Articulation                                        Yes\n"
            "                                                    with community colleges\n",
            [
                _ALPHA,
                (
                    "SOC (Standard Occupational Classification) Code(s)",
                    "soc_codes",
                    "Industrial Engineering Technicians (17-3026)\nand related occupations",
                ),
                ("Articulation", "articulation", "Yes\nwith community colleges"),
            ],
            id="a-note-under-a-soc-code",
        ),
        pytest.param(  # x__unlikely__mutmut_14, 16: a cell of answers, each Yes or No under its question
            "Credential Name                 Alpha Credential\n"
            "Course Number and Title         WE21 Welding Technology I\n"
            "                                At the school:\n"
            "Proctored Environment Required  No\n"
            "                                At a testing center:\n"
            "                                Yes\n"
            "Retakes                         Yes\n"
            "                                after 24 hours\n"
            "Student Accommodations          Extra time on request\n"
            "                                Screen reader\n",
            [
                _ALPHA,
                ("Course Number and Title", "courses", "WE21 Welding Technology I"),
                ("Proctored Environment Required", "proctored", "At the school:\nNo\nAt a testing center:\nYes"),
                ("Retakes", "retakes", "Yes\nafter 24 hours"),
                ("Student Accommodations", "accommodations", "Extra time on request\nScreen reader"),
            ],
            id="yes-and-no-answering-the-lines-above-them",
        ),
        pytest.param(  # x__unlikely__mutmut_7: a label wrapped in a narrow column, its second line's value blank
            "Credential Name          Alpha Credential\n"
            "Proctored Environment    Yes\n"
            "Required\n"
            "                         Spanish\n"
            "Multilingual Resources*  French\n"
            "                         German\n"
            "Directory Notes          None\n",
            [
                _ALPHA,
                ("Proctored Environment Required", "proctored", "Yes"),
                ("Multilingual Resources*", "multilingual", "Spanish\nFrench\nGerman"),
                _NONE,
            ],
            id="a-wrapped-label-then-a-row-of-three",
        ),
        pytest.param(  # x__spans__mutmut_79: a SOC line as wide as the wrapped lines, then a row of five
            "Credential Name                                      Alpha Credential\n"
            "Credential Lifespan                                  5 years\n"
            "Retakes                                              Yes\n"
            "Renewal Options                                      Renew every three years by retaking the exam\n"
            "                                                     or by earning thirty credits\n"
            "SOC (Standard Occupational Classification) Code(s)   Industrial Engineering Technicians (17-3026)\n"
            "                                                     Online\n"
            "                                                     or in person at an authorized testing center\n"
            "Delivery Format                                      near the school with a proctor approved by the\n"
            "                                                     vendor for the exam and for each of its\n"
            "                                                     retakes\n",
            [
                _ALPHA,
                ("Credential Lifespan", "lifespan", "5 years"),
                ("Retakes", "retakes", "Yes"),
                (
                    "Renewal Options",
                    "renewal_options",
                    "Renew every three years by retaking the exam or by earning thirty credits",
                ),
                (
                    "SOC (Standard Occupational Classification) Code(s)",
                    "soc_codes",
                    "Industrial Engineering Technicians (17-3026)",
                ),
                (
                    "Delivery Format",
                    "delivery_format",
                    "Online\nor in person at an authorized testing center near the school with a proctor approved"
                    " by the vendor for the exam and for each of its retakes",
                ),
            ],
            id="a-full-soc-line-before-a-wrapped-value",
        ),
    ],
)
def test_a_rows_lines_are_found_around_its_label_set_in_the_middle_or_at_the_top_of_the_row(text, pairs):
    assert [pair for _, block in _rows(text) for pair in block] == pairs


# --- pipeline/read/html.py -----------------------------------------------------------------------------------------
# Each test reads a page written by hand and compares what the reader gives the assembler (its lines and label/value
# pairs, in order) with the events written from the page: `assemble` is replaced by a function that returns them.

YEAR = "<html><body><h2>2023-2024 Credential Information</h2>"
ROWS = (
    "<table><tr><th>Credential Name</th><td>BLS Provider</td></tr>"
    "<tr><th>Directory Notes</th><td>None</td></tr></table>"
)
END = "</body></html>"
HEADING = Line("2023-2024 Credential Information")
NAMED = [Pair("Credential Name", "BLS Provider", "credential_name"), Pair("Directory Notes", "None", "directory_notes")]


@pytest.fixture
def events(monkeypatch):
    """parse_html, giving back the events it would assemble."""
    monkeypatch.setattr(html, "assemble", lambda found: found)
    return html.parse_html


@pytest.mark.parametrize(
    "chrome",
    [
        # a Wayback toolbar whose BEGIN/END comments were lost: x__is_chrome__mutmut_39, 40
        "<div id='wm-ipp-base'><div id='wm-ipp'><p>14 captures</p></div></div>",
        # a landmark role, written capitalised: x__is_chrome__mutmut_44, 47, 48, 50
        "<div role='Navigation'><p>Home</p></div>",
        # breadcrumbs and a cookie banner by their id or aria-label: x__is_chrome__mutmut_54, 57, 58, 60, 63, 64, 68
        "<div id='Breadcrumbs'><p>NC CTE</p></div>",
        "<div aria-label='Cookie consent'><p>We use cookies.</p></div>",
        # the site's header, no heading in it: x__is_chrome__mutmut_70, 71
        "<header><p>NC Department of Public Instruction</p></header>",
        # a search form without a role, told by its search field: x__is_chrome__mutmut_79, 80, 82-90, 92, 93
        "<form action='/search'><p>Search the directory</p><input type='Search' name='q'></form>",
        # a label of a control, by `for` or wrapped around it: x__is_chrome__mutmut_99-101, 110, 115, 116
        "<p><label for='q'>Retakes</label></p>",
        "<p><label>Your comments <textarea></textarea></label></p>",
        # links that act, whatever their text says: x__is_chrome__mutmut_118-120, x__is_control_link__mutmut_2, 3,
        # 5, 6, 8, 10, 11, 13, 14, 16, 17, 19, 20, 23, 24, 26
        "<p><a href='JavaScript:void(0)'>Details</a></p>",
        "<p><a href='#c1' aria-expanded='false'>Details</a></p>",
        "<p><a href='#c1' data-toggle='collapse'>Details</a></p>",
        "<p><a data-bs-toggle='collapse' href='#c1'>Details</a></p>",
        # a link whose text, in two pieces, is a control's: x__is_control_link__mutmut_27, 30
        "<p><a href='print.html'>Print<span> this page</span></a></p>",
        # a toggle that says what it controls and whether it is open: x__is_chrome__mutmut_124-130
        "<p><span aria-controls='c1' aria-expanded='false'>Details</span></p>",
        # navigation goes with its heading: x__remove__mutmut_6
        "<nav><h2>Menu</h2><p>Home</p></nav>",
    ],
)
def test_chrome_by_its_role_leaves_nothing_of_itself(events, chrome):
    assert events(YEAR + chrome + ROWS + END) == [HEADING, *NAMED]


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        # an open panel holding the data, and a container naming what it controls: neither is a toggle
        # (x__is_chrome__mutmut_122)
        ("<section aria-expanded='true'>" + ROWS + "</section>", NAMED),
        ("<section aria-controls='c2'>" + ROWS + "</section>", NAMED),
        # a label that labels no control is a bold label (x__is_chrome__mutmut_104, 117; x__drop_chrome__mutmut_6)
        ("<p><label>Retakes</label> Yes</p>" + ROWS, [Pair("Retakes", "Yes", "retakes"), *NAMED]),
        # a footer's and a site banner's headings stay (x__drop_chrome__mutmut_26, 27, 29, 32, 33)
        ("<footer><h4>Questions?</h4><p>Call the CTE office.</p></footer>" + ROWS, [Line("Questions?"), *NAMED]),
        ("<div role='banner'><h4>Questions?</h4><p>NC DPI</p></div>" + ROWS, [Line("Questions?"), *NAMED]),
        # the text after a removed element stays where it was (x__remove__mutmut_12, 17, 19)
        (
            "<div><header><h4>Exam</h4></header>Online only</div>" + ROWS,
            [Line("Exam"), Line("Online only"), *NAMED],
        ),
        (
            "<div><p>Updated weekly.</p><button>Expand</button> Ask the consultant.</div>" + ROWS,
            [Line("Updated weekly."), Line("Ask the consultant."), *NAMED],
        ),
    ],
)
def test_what_is_not_chrome_stays_and_the_text_after_chrome_stays_in_place(events, markup, found):
    assert events(YEAR + markup + END) == [HEADING, *found]


def test_only_a_web_archives_comments_mark_its_toolbar(events):
    """x__drop_archive_insert__mutmut_2, 7: the insert runs from the BEGIN comment to the END comment, past other
    comments inside it, its headings too (x__remove__mutmut_1); a paragraph that names the comment is text."""
    toolbar = (
        "<!-- BEGIN WAYBACK TOOLBAR INSERT --><div><h2>The Wayback Machine</h2></div><!-- playback -->"
        "<div>14 captures</div><!-- END WAYBACK TOOLBAR INSERT -->"
    )
    assert events(YEAR + toolbar + ROWS + END) == [HEADING, *NAMED]
    quoted = "<p>An archived copy carries a BEGIN WAYBACK TOOLBAR INSERT comment.</p>"
    assert events(YEAR + quoted + ROWS + END) == [
        HEADING,
        Line("An archived copy carries a BEGIN WAYBACK TOOLBAR INSERT comment."),
        *NAMED,
    ]


def test_a_page_that_is_empty_or_cannot_be_decoded_by_the_parser_is_unparseable_with_the_cause():
    """x_parse_html__mutmut_14, 16-19: the message names the cause (a second encoding declaration after the first
    one, which lxml refuses in decoded text)."""
    with pytest.raises(DocumentError) as empty:
        html.parse_html("  \n")
    assert str(empty.value) == "unparseable HTML: Document is empty"
    twice = '<?xml version="1.0" encoding="UTF-8"?><?xml version="1.0" encoding="UTF-8"?><html></html>'
    with pytest.raises(DocumentError) as refused:
        html.parse_html(twice)
    assert str(refused.value).startswith("unparseable HTML: Unicode strings with encoding declaration")


def test_a_page_is_its_body_or_nothing_when_it_has_none(events):
    """x_parse_html__mutmut_12 (the XML declaration replaced by text), 21, 24, 25, 31-33 (the whole document walked
    instead of its body, or a missing body walked): a page of headings as labels, its body's first part a label,
    reads each part apart (no pair of its whole body), and a page of a head alone has no events."""
    assert events("<html><head><title>Credentials</title></head></html>") == []
    page = "<html><body><h4>Credential Name</h4><p>BLS Provider</p><h4>Retakes</h4><p>Yes</p></body></html>"
    assert events('<?xml version="1.0" encoding="UTF-8"?>' + page) == [
        Line("Credential Name"),
        Line("BLS Provider"),
        Line("Retakes"),
        Line("Yes"),
    ]


CN = Pair("Credential Name", "BLS Provider", "credential_name")


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        # a row is shaped like a known one only with the same class (x__shape__mutmut_6, 8, 9) ...
        (
            "<div><div class='row'><div>Credential Name</div><div>BLS Provider</div></div>"
            "<div class='note'><div>Schools test online</div><div>see the handbook</div></div></div>",
            [CN, Line("Schools test online", joins=True), Line("see the handbook", joins=True)],
        ),
        # ... and the same first part's tag (x__shape__mutmut_1, 11)
        (
            "<div><p><strong>Credential Name:</strong> BLS Provider</p><p><b>Important</b> call first</p></div>",
            [Pair("Credential Name:", "BLS Provider", "credential_name"), Line("Important call first", joins=True)],
        ),
        # a comment in a row is not one of its parts (x__div_row__mutmut_11)
        ("<div class='row'><!-- name --><div>Credential Name</div><div>BLS Provider</div></div>", [CN]),
        # a row of three parts: the parts after the label are its value, a line each (x__div_row__mutmut_38)
        (
            "<div class='row'><div>Credential Vendor Info</div><div>AHA</div><div>https://cpr.heart.org/</div></div>",
            [Pair("Credential Vendor Info", "AHA\nhttps://cpr.heart.org/", "vendor_info")],
        ),
        # an unknown first part of two lines, in a row shaped like a known one, is text (x__div_row__mutmut_35)
        (
            "<div><div class='row'><div>Credential Name</div><div>BLS Provider</div></div>"
            "<div class='row'><div>Schools test online<br>or at a center</div><div>see the handbook</div></div></div>",
            [
                CN,
                Line("Schools test online", joins=True),
                Line("or at a center", joins=True),
                Line("see the handbook", joins=True),
            ],
        ),
        # a table of one column is read row by row, never as one row of the whole table (x__div_row__mutmut_4, 5)
        (
            "<table><tr><th>Credential Name</th></tr><tr><td>BLS Provider</td></tr>"
            "<tr><th>Directory Notes</th></tr><tr><td>None</td></tr></table>",
            [Line("Credential Name"), Line("BLS Provider"), Line("Directory Notes"), Line("None")],
        ),
    ],
)
def test_a_div_row_is_a_label_and_its_value_parts_and_its_siblings_shaped_the_same_are_rows(events, markup, found):
    assert events(YEAR + markup + END) == [HEADING, *found]


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        # a caption is the table's line, a line break in it two lines (x__table__mutmut_28-32, x__emit_text__mutmut_5)
        (
            "<table><caption>BLS Provider<br>(American Heart Association)</caption>"
            "<tr><th>Credential Name</th><td>BLS Provider</td></tr></table>",
            [Line("BLS Provider"), Line("(American Heart Association)"), CN],
        ),
        # a row without cells, a note across both columns of a table of labels, a label with two value cells
        # (x__table__mutmut_7, 20, 36)
        (
            "<table><tr></tr><tr><th>Credential Name</th><td>BLS Provider</td></tr>"
            "<tr><td colspan='2'>Fees are per attempt.</td></tr>"
            "<tr><th>Credential Vendor Info</th><td>AHA</td><td>https://cpr.heart.org/</td></tr></table>",
            [
                CN,
                Line("Fees are per attempt."),
                Pair("Credential Vendor Info", "AHA\nhttps://cpr.heart.org/", "vendor_info"),
            ],
        ),
        # a table of two columns without a known label is read cell by cell, and a bold word opening a cell there is
        # no label (x__table__mutmut_25, x__walk__mutmut_1)
        (
            "<table><tr><td>BM10</td><td>Computer Applications I</td></tr>"
            "<tr><td><b>Note</b> Fees are per attempt.</td></tr></table>",
            [Line("BM10"), Line("Computer Applications I"), Line("Note Fees are per attempt.")],
        ),
        # a row in thead names the columns whatever its cells; a row of th cells whose first is scoped to the row is a
        # label row (x__is_header_row__mutmut_7-9, 21, 22)
        (
            "<table><thead><tr><td>Field</td><td>Details</td></tr></thead>"
            "<tr><th>Credential Name</th><td>BLS Provider</td></tr>"
            "<tr><th scope='row'>Practice Test Provider</th><th>Precision Exams</th></tr></table>",
            [CN, Pair("Practice Test Provider", "Precision Exams", None)],
        ),
        # a definition list: a dd before any dt is a line, each dt's dd's its value a line each, every label keyed
        # (x__definition_list__mutmut_19, 24, 31-35, 45)
        (
            "<dl><dd>Read before testing.</dd><dt>Credential Name</dt><dd>BLS Provider</dd>"
            "<dt>Credential Vendor Info</dt><dd>AHA</dd><dd>https://cpr.heart.org/</dd>"
            "<dt>Retakes</dt><dd>Yes</dd><dd>Once</dd></dl>",
            [
                Line("Read before testing."),
                CN,
                Pair("Credential Vendor Info", "AHA\nhttps://cpr.heart.org/", "vendor_info"),
                Pair("Retakes", "Yes\nOnce", "retakes"),
            ],
        ),
    ],
)
def test_tables_and_definition_lists_give_their_labels_values_and_loose_lines(events, markup, found):
    assert events(YEAR + markup + END) == [HEADING, *found]


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        # a comment inside a value is not text and the text after it stays; a comment between a line break and a
        # bold label does not keep the label from opening its line (x__inline__mutmut_3, 37, 41-43)
        (
            "<p><b>Credential Name</b> BLS Provider<br><!-- fee --><b>Retakes</b> Yes<!-- was: No --> once</p>",
            [CN, Pair("Retakes", "Yes once", "retakes")],
        ),
        # a bold run of two lines among bold labels is text (x__inline__mutmut_52)
        (
            "<div><p><strong>Credential Name:</strong> BLS Provider</p>"
            "<p><strong>Call first<br>then book</strong> a seat.</p></div>",
            [
                Pair("Credential Name:", "BLS Provider", "credential_name"),
                Line("Call first", joins=True),
                Line("then book a seat.", joins=True),
            ],
        ),
        # a bold word right after other inline text opens no line (x__line_openers__mutmut_11)
        (
            "<p><b>Directory Notes</b> Schools use <i>Pearson</i><b>VUE</b> centers.</p>",
            [Pair("Directory Notes", "Schools use PearsonVUE centers.", "directory_notes")],
        ),
        # a link that is a value's only markup keeps its target (x__text__mutmut_8, 11, 12)
        (
            "<p><b>Retakes</b> see <a href='https://x.org/retakes.pdf'>the policy</a></p>",
            [Pair("Retakes", "see the policy https://x.org/retakes.pdf", "retakes")],
        ),
        # loose text beside blocks: its no-break spaces are spaces, its source line breaks lines
        # (x__container__mutmut_5, 6; x__clean__mutmut_9, 10, 32, 33)
        (
            "<div>Updated&nbsp;weekly<p>Ask the consultant.</p></div>",
            [Line("Updated weekly"), Line("Ask the consultant.")],
        ),
        (
            "<div>\nUpdated&nbsp;weekly\n<p>Ask the consultant.</p></div>",
            [Line("Updated weekly"), Line("Ask the consultant.")],
        ),
    ],
)
def test_inline_content_splits_at_bold_labels_opening_its_lines_and_loose_text_is_lines(events, markup, found):
    assert events(YEAR + markup + END) == [HEADING, *found]


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("Pearson  VUE", "Pearson VUE"),  # x__own_text__mutmut_7, 8
        ("Pearson\tVUE", "Pearson VUE"),  # x__own_text__mutmut_4, 11, 12
        ("Pearson&#13;VUE", "Pearson VUE"),  # x__own_text__mutmut_13, 14: a carriage return written as a reference
        ("Pearson&nbsp;&nbsp;VUE", "Pearson VUE"),  # x__own_text__mutmut_3, 15, 16
        ("Yes <br>Once", "Yes\nOnce"),  # x__clean__mutmut_34: each line trimmed
        ("Yes<br><br>Once", "Yes\n\nOnce"),  # x__clean__mutmut_25: two line breaks leave a blank line
        # blocks break lines, inline elements do not (x__gather__mutmut_1, 10-13; x__clean__mutmut_4)
        ("<div>Pearson <span>VUE</span></div><div>testing centers</div>", "Pearson VUE\ntesting centers"),
        ("<a href='http://www.aha.org/bls'>AHA</a>", "AHA http://www.aha.org/bls"),  # x__gather__mutmut_36, 37
        # an address broken by `<wbr>` in its text is its target (x__gather__mutmut_42)
        (
            "<a href='https://x.org/a-long-name.pdf'>https://x.org/<wbr>a-long-name.pdf</a>",
            "https://x.org/a-long-name.pdf",
        ),
    ],
)
def test_a_cells_text_folds_source_whitespace_and_breaks_lines_at_br_and_blocks(events, cell, value):
    table = f"<table><tr><th>Credential Name</th><td>BLS Provider</td></tr><tr><th>Exam Fee</th><td>{cell}</td></tr>"
    table += "</table>"
    assert events(YEAR + table + END) == [HEADING, CN, Pair("Exam Fee", value, None)]
