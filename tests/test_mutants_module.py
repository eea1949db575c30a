"""tools/mutants_module.py: `verify` refuses names that switch no mutant on (mutmut's MUTANT_UNDER_TEST naming
no mutant runs the original code, so the tests pass and the mutant would read SURVIVED)."""

from __future__ import annotations

import pytest

from tools import mutants_module

MUTATED = """
def x_read__mutmut_orig(raw):
    pass
def x_read__mutmut_18(raw):
    pass
def xǁStoreǁadd__mutmut_3(self, name):
    pass
"""


@pytest.mark.parametrize(
    "names, unknown",
    [
        (["pipeline.history.x_read__mutmut_18", "pipeline.history.xǁStoreǁadd__mutmut_3"], []),
        (["x_read__mutmut_18"], ["x_read__mutmut_18"]),  # short: no module prefix
        (["pipeline.history.x_read__mutmut_1"], ["pipeline.history.x_read__mutmut_1"]),  # a prefix of _18's name
        (["pipeline.history.x_read__mutmut_19"], ["pipeline.history.x_read__mutmut_19"]),  # none such
        (["pipeline.stamp.x_read__mutmut_18"], ["pipeline.stamp.x_read__mutmut_18"]),  # another module's
    ],
)
def test_only_full_names_of_the_mutated_copys_functions_are_mutants(tmp_path, names, unknown):
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "history.py").write_text(MUTATED, encoding="utf-8")
    assert mutants_module._not_mutants("pipeline/history.py", names, tmp_path) == unknown


def test_without_a_mutated_copy_no_name_is_a_mutant(tmp_path):
    assert mutants_module._not_mutants("pipeline/history.py", ["pipeline.history.x_read__mutmut_18"], tmp_path) == [
        "pipeline.history.x_read__mutmut_18"
    ]
