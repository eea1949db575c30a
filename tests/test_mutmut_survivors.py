"""Tests written for mutmut survivors (tests/mutants_triage.md): each kills the mutant named in its docstring,
checked with `python -m tools.mutants_module verify MODULE NAME --tests THIS_TEST`. Expected values by hand."""

from __future__ import annotations

from pipeline import exits
from pipeline.read import labels

# --- pipeline/exits.py ---------------------------------------------------------------------------------------------


def test_a_pipe_inside_an_exit_code_cell_is_escaped_so_the_readme_table_keeps_its_columns(monkeypatch):
    """x_markdown__mutmut_33, 34: the `|` -> `\\|` escape misspelt on either side."""
    monkeypatch.setattr(exits, "WHEN", {"scrape": {exits.OK: "a | b"}})
    assert "| 0 | ok | a \\| b |" in exits.markdown().splitlines()


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
