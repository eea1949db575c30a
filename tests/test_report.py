"""`report` writes one self-contained page a reviewer can open anywhere (issue 12); checked by parsing it."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from pipeline import cli
from tests.conftest import REPO


@pytest.fixture
def committed(tmp_path: Path) -> Path:
    out = tmp_path / "extracted"
    shutil.copytree(REPO / "extracted", out)
    return out


def _page(out: Path, capsys) -> lxml.html.HtmlElement:
    assert cli.main(["report", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out / 'report.html'}\n"
    return lxml.html.fromstring((out / "report.html").read_bytes())


def _rows(root, css_class: str) -> list[list[str]]:
    """The cells of every table of that class, in page order."""
    tables = [element for element in root.find_class(css_class) if element.tag == "table"]
    assert tables, css_class
    return [
        [cell.text_content() for cell in row.iter("td")]
        for table in tables
        for row in table.iter("tr")
        if row.find("td") is not None
    ]


def test_counts_per_school_year_match_the_committed_tables(committed, capsys):
    root = _page(committed, capsys)
    # Hand-counted from the committed extracted/ (README: 24 + 25 sample credentials, 3 archive copies).
    counts = {row[0]: row for row in _rows(root, "counts")}
    assert counts["2023-2024"][1] == "24" and counts["2024-2025"][1] == "25" and counts["2025-2026"][1] == "3"
    assert counts["2023-2024"][-1] == "24" and counts["2025-2026"][-1] == "0"  # samples
    assert "49 of 52 credentials come from sample pages" in root.text_content()


def test_year_over_year_changes_are_listed(committed, capsys):
    root = _page(committed, capsys)
    text = root.text_content()
    assert "2023-2024 → 2024-2025" in text
    assert "2 added · 1 removed · 1 renamed · 4 changed (4 values, 7 child rows)" in text
    added_removed = _rows(root, "added-removed")
    assert ["removed", "OSHA 10-Hour General Industry", "1240"] in added_removed
    assert ["1290", "Autodesk Certified User AutoCAD", "Autodesk Certified User: AutoCAD"] in _rows(root, "renamed")
    assert ["ServSafe Food Handler", "lifespan_years", "3.0", "5.0"] in _rows(root, "changed-values")


def test_charts_are_inline_svg_with_the_counts(committed, capsys):
    root = _page(committed, capsys)
    chart = root.get_element_by_id("change-chart")
    bars = [
        (rect.get("data-series"), int(rect.get("data-value")))
        for rect in chart.iter("{*}rect", "rect")
        if rect.get("data-series")
    ]
    assert bars[:5] == [("first year", 24), ("unchanged", 19), ("changed", 4), ("added", 2), ("removed", 1)]
    for anchor in ("score-chart", "cost-chart"):
        assert root.get_element_by_id(anchor) is not None


def test_the_page_needs_no_network_and_runs_no_script(committed, capsys):
    _page(committed, capsys)
    html = (committed / "report.html").read_text()
    root = lxml.html.fromstring(html)
    assert not root.xpath("//script | //link | //img | //iframe | //object | //*[@src] | //*[@href]")
    assert not [value for value in root.xpath("//@*") if "http" in value]  # URLs on pages stay text
    assert "default-src 'none'" in html  # and the browser is told so


def test_problems_are_listed_and_page_text_is_escaped(tmp_path, capsys):
    raw = tmp_path / "raw" / "2024-2025" / "html"
    raw.mkdir(parents=True)
    hostile = "<script>alert(1)</script><img src=https://evil.example/x.png>"
    (raw / "credential_3.html").write_text(
        "<html><body><h2>2024-2025 Credential Information</h2><h3>Welding</h3><table>"
        "<tr><th>Credential Name</th><td>Welding</td></tr>"
        "<tr><th>Exam Passing Requirement</th><td>900 out of 500</td></tr>"
        f"<tr><th>Exam Fee</th><td>{hostile.replace('<', '&lt;')}</td></tr>"
        "<tr><th>Directory Notes</th><td>None</td></tr></table></body></html>"
    )
    (raw / "credential_4.html").write_bytes(b"")
    out = tmp_path / "out"
    cli.main(["extract", "--raw", str(tmp_path / "raw"), "--out", str(out), "--no-cache"])
    capsys.readouterr()
    root = _page(out, capsys)
    assert _rows(root, "rejects") == [
        [
            "credentials",
            "2024-2025/welding",
            "passing_score_percent",
            "less_than_or_equal_to(100)",
            "180.0",
            "2024-2025/html/credential_3.html",
        ]
    ]
    assert _rows(root, "drift") == [["2024-2025/html/credential_3.html", "Exam Fee", hostile]]
    assert _rows(root, "unreadable") == [["2024-2025/html/credential_4.html", "empty file"]]
    assert not root.xpath("//script | //img")
    assert "Only one school year: nothing to compare." in root.text_content()


def test_report_without_an_output_is_a_one_line_error(tmp_path, capsys):
    assert cli.main(["report", "--out", str(tmp_path / "nothing")]) == 3
    assert capsys.readouterr().err == f"error: {tmp_path / 'nothing'}: no parquet/ folder (not an extract output?)\n"
