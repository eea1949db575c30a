"""The README shows the real report of the committed data."""

from pipeline.compare.diff import diff_years, to_markdown
from tests.conftest import REPO


def test_readme_year_report_is_current():
    report = to_markdown(diff_years(REPO / "extracted", "2023-2024", "2024-2025"))
    assert report in (REPO / "README.md").read_text()
