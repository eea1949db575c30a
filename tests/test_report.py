"""`report` writes one self-contained page a reviewer can open anywhere (issue 12); checked by parsing it."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from pipeline import cli
from pipeline.compare import report
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
    assert "2 added · 1 removed · 1 renamed · 4 changed (4 values, 5 child rows)" in text
    added_removed = _rows(root, "added-removed")
    assert ["removed", "OSHA 10-Hour General Industry", "1240"] in added_removed
    assert ["1290", "Autodesk Certified User AutoCAD", "Autodesk Certified User: AutoCAD"] in _rows(root, "renamed")
    assert ["ServSafe Food Handler", "lifespan_years", "3.0", "5.0"] in _rows(root, "changed-values")
    # A cost whose amount changed is one change, not one removed and one added.
    assert [
        "Certified Production Technician (CPT) - Maintenance Awareness",
        "instructor_training_costs",
        "changed",
        "amount_usd: 1525.0 → 1575.0 (condition=with an online webinar)",
    ] in _rows(root, "changed-children")


def test_a_partial_year_shows_credentials_not_in_this_copy_never_removed(committed, capsys):
    root = _page(committed, capsys)
    section = root.get_element_by_id("change-2025-2026").getparent()
    text = section.text_content()
    assert "0 added · 0 removed · 0 renamed · 3 changed (12 values, 0 child rows) · 22 not in this copy" in text
    assert "2025-2026 is incomplete (3 of 3 credentials cut)" in text
    rows = [row for row in _rows(root, "added-removed") if row[1] == "BLS Provider"]
    assert rows == [["not in this copy", "BLS Provider", "1301"]]  # in 2024-2025, not in the cut 2025-2026 copy
    assert not [
        row for row in _rows(root, "added-removed") if row[0] == "removed" and row[1] != "OSHA 10-Hour General Industry"
    ]


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
    assert not root.xpath("//script | //link | //img | //iframe | //object | //*[@src] | //form | //style[@src]")
    hrefs = root.xpath("//@href")
    # Links only: to a part of the page, or to a source page's http(s) URL from a manifest, opened by the reader.
    assert hrefs and all(href.startswith("#") or href.startswith("https://center.ncsu.edu/") for href in hrefs)
    assert not [value for value in root.xpath("//@*[name() != 'href']") if "http" in value]
    assert "default-src 'none'" in html  # and the browser is told so


def test_the_page_opens_with_what_needs_a_decision_then_coverage_then_changes(committed, capsys):
    root = _page(committed, capsys)
    headings = [h.get("id") for h in root.iter("h2") if h.get("id")]
    assert headings == ["decide", "coverage", "changes", "charts", "details"]
    contents = root.find_class("toc")[0]
    assert [a.get("href") for a in contents.iter("a")][:6] == [
        "#decide",
        "#rejects",
        "#drift",
        "#conflicts",
        "#failed",
        "#unreadable",
    ]
    assert "Conflicts (4)" in contents.text_content()
    meta = root.find_class("meta")[0].text_content()
    assert (
        "data as of 2026-11-20T12:00:00Z" in meta
        and "pages fetched 2026-11-20T12:00:00Z to 2026-11-20T12:00:00Z" in meta
    )
    coverage = {row[0]: row for row in _rows(root, "coverage")}
    assert coverage["2025-2026"][1:6] == ["incomplete: 3 of 3 credentials cut", "3", "3", "3", "none"]
    assert coverage["2023-2024"][1] == "complete" and coverage["2023-2024"][5] == "read"


def test_conflicts_are_named_by_credential_and_linked_to_their_source_pages(committed, capsys):
    root = _page(committed, capsys)
    (table,) = [t for t in root.find_class("conflicts") if t.tag == "table"]
    first = table.find("tbody").find("tr")
    cells = first.findall("td")
    assert cells[0].text_content() == "Certified EKG Technician (CET) (2023-2024)"
    assert cells[0].find("a").get("href") == (
        "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id=1305"
    )
    assert cells[5].text_content() == "2023-2024/html/course_62.html"
    assert cells[5].find("a").get("href") == (
        "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=course&course_id=62&cred_id=-1&cluster_id=-1"
    )


def test_no_word_is_broken_mid_word():
    """Cells wrap at spaces only; long paths and URLs at their separators (`<wbr>`), never inside a word."""
    from pipeline.compare import report

    assert "overflow-wrap:anywhere" not in report._STYLE and "break-all" not in report._STYLE
    assert "overflow-wrap:normal" in report._STYLE and "word-break:normal" in report._STYLE
    assert report._source("2024-2025/html/credential_1.html", None) == (
        "2024-2025/<wbr>html/<wbr>credential_<wbr>1.<wbr>html"
    )
    assert report._plain("2026-11-20T12:00:00Z") == "<span class=nw>2026-11-20T12:00:00Z</span>"


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
            "Welding (2024-2025)",
            "credentials.passing_score_percent",
            "less_than_or_equal_to(100)",
            "900 out of 500",  # the page's own text, then what it was read as
            "180.0",
            "2024-2025/html/credential_3.html",
        ]
    ]
    assert _rows(root, "drift") == [["Exam Fee", hostile, "Welding (2024-2025)", "2024-2025/html/credential_3.html"]]
    assert _rows(root, "unreadable") == [["2024-2025/html/credential_4.html", "empty file"]]
    assert not root.xpath("//script | //img")
    assert "Only one school year: nothing to compare." in root.text_content()


def test_report_without_an_output_is_a_one_line_error(tmp_path, capsys):
    assert cli.main(["report", "--out", str(tmp_path / "nothing")]) == 3
    assert capsys.readouterr().err == f"error: {tmp_path / 'nothing'}: no parquet/ folder (not an extract output?)\n"


@pytest.mark.parametrize(
    ("cause", "shown"),
    [
        ("<script>alert(1)</script>", "<span class=nw>&lt;script&gt;alert(1)&lt;/script&gt;</span>"),  # one token
        ("the server said <b>gone</b> & closed", "the server said &lt;b&gt;gone&lt;/b&gt; &amp; closed"),
    ],
)
def test_a_plain_value_of_the_report_is_escaped(cause, shown):
    # a cause or a key reaches the report as plain text (a server's reason phrase, a file's error)
    assert report._plain(cause) == shown


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd"])
def test_a_source_is_linked_only_to_an_http_url(url):
    assert "<a " not in report._source("2024-2025/html/credential_3.html", url)
    assert report._source("x.html", "https://center.ncsu.edu/nccte-cms/credential_info.php?cred_id=3").startswith(
        '<a href="https://center.ncsu.edu/nccte-cms/credential_info.php?cred_id=3"'
    )


# --- written for mutmut's survivors in pipeline/compare/report.py (tests/mutants_triage.md) ------------------


def test_a_years_change_section_says_which_side_is_incomplete_and_what_a_missing_credential_is_there():
    counts = {"added": 0, "removed": 0, "renamed": 0, "changed": 0, "values": 0, "child_rows": 0}
    section = report._change_section(
        {
            "old": "2023-2024",
            "new": "2024-2025",
            "counts": {**counts, "not_in_this_copy": 1, "not_in_old_copy": 2, "unseen": 0},
            "incomplete": {"old": {"2023-2024": "1 of 3 credentials cut"}, "new": {"2024-2025": "2 pages failed"}},
            "added": [],
            "removed": [],
            "not_in_this_copy": [],
            "not_in_old_copy": [],
            "renamed": [],
            "changed": [],
        }
    )
    assert (
        "<p class=change-counts>0 added · 0 removed · 0 renamed · 0 changed (0 values, 0 child rows) · "
        "1 not in this copy · 2 not in the old copy</p>"
    ) in section
    assert (
        "<p class=warn>2023-2024 is incomplete (1 of 3 credentials cut): a credential missing from it is "
        "<i>not in the old copy</i>, not added.</p>"
    ) in section
    assert (
        "<p class=warn>2024-2025 is incomplete (2 pages failed): a credential missing from it is "
        "<i>not in this copy</i>, not removed.</p>"
    ) in section
    quiet = report._change_section(
        {
            "old": "2023-2024",
            "new": "2024-2025",
            "counts": {**counts, "not_in_this_copy": 0, "not_in_old_copy": 0, "unseen": 0},
            "incomplete": {"old": {}, "new": {}},
            **{kind: [] for kind in ("added", "removed", "not_in_this_copy", "not_in_old_copy", "renamed", "changed")},
        }
    )
    assert "<p class=change-counts>0 added · 0 removed · 0 renamed · 0 changed (0 values, 0 child rows)</p>" in quiet
