"""The README's data dictionary is the one the schemas generate."""

from schemas.dictionary import markdown
from tests.conftest import REPO


def test_readme_dictionary_is_generated_from_the_schemas():
    readme = (REPO / "README.md").read_text()
    start = readme.index("-->", readme.index("<!-- dictionary:start")) + len("-->\n")
    end = readme.index("<!-- dictionary:end -->")
    assert readme[start:end] == markdown(), "run: python -m schemas.dictionary and paste it into README.md"


def test_readme_names_every_table():
    readme = (REPO / "README.md").read_text()
    for table in (
        "credentials",
        "credential_courses",
        "credential_pathways",
        "credential_soc_codes",
        "instructor_training_costs",
        "course_credentials",
        "label_values",
        "rejects",
        "conflicts",
        "coverage",
        "changes",
    ):
        assert f"### {table}\n" in readme
