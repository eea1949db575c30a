"""`report` writes one self-contained page a reviewer can open anywhere (issue 12); checked by parsing it."""

from __future__ import annotations

import fcntl
import locale
import os
import re
import shutil
from pathlib import Path

import lxml.html
import pandas as pd
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


# --- in process: each part of the page from tables and a summary written by hand -----------------------------
#
# Every expected piece of HTML below is written by hand from the rows given: what the page says, in which order,
# escaped, and where it links. `render` gets the tables as `_load` would give them (plain DataFrames).

Y1, Y2 = "2023-2024", "2024-2025"
NW = "<span class=nw>{}</span>".format


def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A table as an output's Parquet file reads back: nullable columns (`<NA>` for a missing value)."""
    rows = [{column: row.get(column) for column in columns} for row in rows]
    return pd.DataFrame(rows, columns=columns).convert_dtypes()


def scroll(anchor: str, header: list[str], rows: list[list[str]]) -> str:
    """A table as the page writes it, cells given as HTML (written by hand)."""
    head = "".join(f"<th>{name}</th>" for name in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<div class=scroll><table class={anchor}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (pd.NA, ""),
        (float("nan"), ""),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (0.0, "0.0"),
        (1.5, "1.5"),
        ("", ""),
        ("a b", "a b"),
    ],
)
def test_a_value_is_shown_as_text_with_nothing_for_a_missing_one_and_booleans_in_words(value, text):
    assert report._text(value) == text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2024-2025", "<span class=nw>2024-2025</span>"),  # a token is never wrapped at its hyphens
        ("x" * 32, f"<span class=nw>{'x' * 32}</span>"),  # up to 32 characters
        ("x" * 33, "x" * 33),
        ("a b", "a b"),  # words wrap at their spaces
        ("a\tb", "a\tb"),
        (7, "<span class=nw>7</span>"),
        (None, ""),
        ("", ""),
        ("<b>&", "<span class=nw>&lt;b&gt;&amp;</span>"),
        ("a \"b\" 'c'", "a &quot;b&quot; &#x27;c&#x27;"),
    ],
)
def test_a_plain_value_is_escaped_and_one_short_token_kept_on_one_line(value, shown):
    assert report._plain(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("900 out of 500", "<code>900 out of 500</code>"),
        ("<i>x</i> & y", "<code>&lt;i&gt;x&lt;/i&gt; &amp; y</code>"),
        (180.0, "<code>180.0</code>"),
        (0, "<code>0</code>"),
        (None, ""),
        ("", ""),
        (float("nan"), ""),
    ],
)
def test_page_text_is_shown_as_code_escaped_and_nothing_when_there_is_none(value, shown):
    assert report._code(value) == shown


@pytest.mark.parametrize(
    ("path", "url", "breakable", "shown"),
    [
        ("2024-2025/html/credential_1.html", None, True, "2024-2025/<wbr>html/<wbr>credential_<wbr>1.<wbr>html"),
        ("a?b&c=d", None, True, "a?<wbr>b&amp;<wbr>c=<wbr>d"),
        ("a<b>.html", "", True, "a&lt;b&gt;.<wbr>html"),
        (None, None, True, ""),
        (
            "x/y.html",
            "https://e.org/a?b=1&c=2",
            True,
            '<a href="https://e.org/a?b=1&amp;c=2" rel="noreferrer">x/<wbr>y.<wbr>html</a>',
        ),
        ("x", "http://e.org/x", True, '<a href="http://e.org/x" rel="noreferrer">x</a>'),
        ("A/B (2024-2025)", "https://e.org/b", False, '<a href="https://e.org/b" rel="noreferrer">A/B (2024-2025)</a>'),
        ("A/B <i>", None, False, "A/B &lt;i&gt;"),
        ("x.html", "javascript:alert(1)", True, "x.<wbr>html"),
        ("x.html", "https://e.org/a b", True, "x.<wbr>html"),  # a space: not a URL
        ("x.html", "ftp://e.org/x", True, "x.<wbr>html"),
        ("x.html", "xhttps://e.org/x", True, "x.<wbr>html"),
    ],
)
def test_a_source_wraps_at_its_separators_and_links_only_to_an_http_url(path, url, breakable, shown):
    assert report._source(path, url, breakable) == shown


def test_a_source_wraps_at_its_separators_by_default():
    assert report._source("a/b", None) == "a/<wbr>b"


def test_a_table_of_cells_shows_at_most_200_rows_and_says_how_many_more():
    assert report._cells_table(["a", "b<"], [["1", "<i>2</i>"]], "x") == (
        "<div class=scroll><table class=x><thead><tr><th>a</th><th>b&lt;</th></tr></thead>"
        "<tbody><tr><td>1</td><td><i>2</i></td></tr></tbody></table></div>"
    )
    assert report._cells_table(["a"], [], "y") == (
        "<div class=scroll><table class=y><thead><tr><th>a</th></tr></thead><tbody></tbody></table></div>"
    )
    rows = [[str(number)] for number in range(203)]
    shown = "".join(f"<tr><td>{number}</td></tr>" for number in range(200))
    assert report._cells_table(["n"], rows, "z") == (
        f"<div class=scroll><table class=z><thead><tr><th>n</th></tr></thead><tbody>{shown}</tbody></table></div>"
        "<p class=more>… and 3 more.</p>"
    )
    assert report._cells_table(["n"], rows[:200], "z") == (
        f"<div class=scroll><table class=z><thead><tr><th>n</th></tr></thead><tbody>{shown}</tbody></table></div>"
    )
    assert report._cells_table(["n"], rows[:201], "z").endswith("</table></div><p class=more>… and 1 more.</p>")


def test_a_table_of_plain_values_escapes_each():
    assert report._table(["n", "v"], [[1, None], ["a b", "<x>"]], "t") == (
        "<div class=scroll><table class=t><thead><tr><th>n</th><th>v</th></tr></thead><tbody>"
        "<tr><td><span class=nw>1</span></td><td></td></tr>"
        "<tr><td>a b</td><td><span class=nw>&lt;x&gt;</span></td></tr></tbody></table></div>"
    )


def test_the_page_is_one_self_contained_document_with_its_style_and_no_network():
    page = report._page("T<", "<p>x</p>")
    assert page == (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>T&lt;</title><style>{report._STYLE}</style></head>\n<body>\n<p>x</p>\n</body></html>\n"
    )
    # the style sheet's rules as written (a rule's selector intact at both ends)
    assert report._STYLE.startswith("\nbody{font:14px/1.45 system-ui")
    assert report._STYLE.endswith("\n.chart .value,.chart .label{text-anchor:middle}.chart .axis{stroke:#9aa5b1}\n")


@pytest.mark.parametrize(
    ("count", "shown"), [(None, ""), (0, " <span class=none>(0)</span>"), (3, " <span class=some>(3)</span>")]
)
def test_a_count_in_the_contents_is_marked_when_there_is_something_to_decide(count, shown):
    assert report._count(count) == shown


def test_the_contents_list_each_part_with_its_count():
    sections = [("a", "A & B", [("p", "P<", 2, "html"), ("q", "Q", None, "")]), ("b", "B", [])]
    assert report._contents(sections) == (
        "<nav class=toc aria-label=Contents><h2>Contents</h2><ol>"
        "<li><a href=#a>A &amp; B</a><ol><li><a href=#p>P&lt;</a> <span class=some>(2)</span></li>"
        "<li><a href=#q>Q</a></li></ol></li><li><a href=#b>B</a></li></ol></nav>"
    )


def test_sample_credentials_are_counted_in_a_warning_and_none_says_nothing():
    credentials = frame(
        [{"source_origin": "sample"}, {"source_origin": "page"}, {"source_origin": "sample"}], ["source_origin"]
    )
    assert report._samples_note(credentials) == (
        "<p class=warn>2 of 3 credentials come from <b>sample</b> pages written for this repository "
        "(<code>source_origin = sample</code>); leave them out of any analysis.</p>"
    )
    assert report._samples_note(frame([{"source_origin": "page"}], ["source_origin"])) == ""
    assert report._samples_note(frame([{"school_year": Y1}], ["school_year"])) == ""  # an older output


def test_the_header_gives_the_data_date_the_fetch_dates_and_the_counts(monkeypatch):
    monkeypatch.setattr(report, "__version__", "1.2<3")
    credentials = {"credentials": frame([{"school_year": Y1}] * 3, ["school_year"])}
    summary = {
        "extracted_at": "2026-11-20T12:00:00Z",
        "coverage": {
            Y2: {"fetched_from": "2026-11-02", "fetched_until": "2026-11-20"},
            Y1: {"fetched_from": "2026-10-01", "fetched_until": None},
        },
    }
    assert report._meta(credentials, summary, [Y1, Y2]) == (
        "<p class=meta>Generated by nccte 1.2&lt;3 · data as of <b><span class=nw>2026-11-20T12:00:00Z</span></b> "
        "(the latest fetch; also the report's date) · pages fetched <span class=nw>2026-10-01</span> to "
        "<span class=nw>2026-11-20</span> · 3 credentials in 2 school years</p>"
    )
    assert report._meta(credentials, {"coverage": None}, [Y1]) == (
        "<p class=meta>Generated by nccte 1.2&lt;3 · data date unknown (no manifest gives a fetch date) · "
        "3 credentials in 1 school years</p>"
    )


LINKED = [
    {
        "school_year": Y2,
        "credential_slug": "cna",
        "credential_name": "CNA",
        "source_path": "2024-2025/html/c.html",
        "source_url": "https://e.org/cna",
    },
    {
        "school_year": Y2,
        "credential_slug": "weld",
        "credential_name": "A/B Welding",
        "source_path": "2024-2025/html/w.html",
        "source_url": "javascript:x",
    },
    {
        "school_year": Y2,
        "credential_slug": "osha",
        "credential_name": "OSHA",
        "source_path": "2024-2025/html/o.html",
        "source_url": None,
    },
]
LINK_COLUMNS = ["school_year", "credential_slug", "credential_name", "source_path", "source_url"]
SUMMARY_URLS = {
    "2024-2025/html/o.html": "https://e.org/o",
    "2024-2025/html/c.html": "https://e.org/summary-c",  # the manifest's URL for the file comes first
    "bad.html": "ftp://e.org/bad",
}


def test_sources_are_linked_by_file_and_credentials_by_name_and_year():
    links = report._Links(frame(LINKED, LINK_COLUMNS), SUMMARY_URLS)
    assert links.by_path == {
        "2024-2025/html/o.html": "https://e.org/o",
        "2024-2025/html/c.html": "https://e.org/summary-c",
    }
    assert links.url("2024-2025/html/o.html") == "https://e.org/o"
    assert links.url("2024-2025/html/w.html") is None
    assert links.by_credential == {(Y2, "cna"): "https://e.org/cna"}
    assert links.names == {(Y2, "cna"): "CNA", (Y2, "weld"): "A/B Welding", (Y2, "osha"): "OSHA"}
    assert links.credential(Y2, "cna") == '<a href="https://e.org/cna" rel="noreferrer">CNA (2024-2025)</a>'
    assert links.credential(Y2, "weld") == "A/B Welding (2024-2025)"  # a name is never wrapped at its `/`
    assert links.credential(Y2, "nope") == "nope (2024-2025)"
    assert links.credential(None, None) == "? (?)"
    assert links.credential("", "") == "? (?)"
    only_credentials = report._Links(frame(LINKED, LINK_COLUMNS), {})
    assert only_credentials.by_path == {"2024-2025/html/c.html": "https://e.org/cna"}


REJECT_COLUMNS = ["table", "key", "column", "check", "page_text", "failure_case", "source_path"]
LABEL_COLUMNS = ["school_year", "credential_slug", "label", "label_raw", "value", "source_path"]
CONFLICT_COLUMNS = ["school_year", "credential_slug", "column", "chosen", "other", "chosen_source", "other_source"]


def decision_tables(rejects=(), labels=(), conflicts=()) -> dict[str, pd.DataFrame]:
    return {
        "credentials": frame(LINKED, LINK_COLUMNS),
        "rejects": frame(list(rejects), REJECT_COLUMNS),
        "label_values": frame(list(labels), LABEL_COLUMNS),
        "conflicts": frame(list(conflicts), CONFLICT_COLUMNS),
    }


def test_what_needs_a_decision_lists_rejects_drift_conflicts_failed_pages_and_unreadable_files_linked():
    tables = decision_tables(
        rejects=[
            {
                "table": "credentials",
                "key": "2024-2025/cna",
                "column": "passing_score_percent",
                "check": "less_than_or_equal_to(100)",
                "page_text": "900 out of 500",
                "failure_case": 180.0,
                "source_path": "2024-2025/html/c.html",
            },
            {
                "table": "label_values",
                "key": "2024-2025/weld/Exam Fee",
                "column": None,
                "check": "x",
                "page_text": None,
                "failure_case": "<b>",
                "source_path": "2024-2025/html/w.html",
            },
        ],
        labels=[
            {
                "school_year": Y2,
                "credential_slug": "osha",
                "label": None,
                "label_raw": "Exam Fee",
                "value": "$5 <b>",
                "source_path": "2024-2025/html/o.html",
            },
            {
                "school_year": Y2,
                "credential_slug": "cna",
                "label": "exam_fee",
                "label_raw": "Fee",
                "value": "$5",
                "source_path": "2024-2025/html/c.html",
            },
        ],
        conflicts=[
            {
                "school_year": Y2,
                "credential_slug": "cna",
                "column": "exam_minutes",
                "chosen": "90",
                "other": "60",
                "chosen_source": "2024-2025/html/c.html",
                "other_source": "2024-2025/html/course_1.html",
            }
        ],
    )
    summary = {
        "coverage": {
            Y2: {"failed_pages": {"https://e.org/x?id=1": "HTTP 503", "https://e.org/y": "timeout"}},
            Y1: {"failed_pages": {"https://e.org/a": "HTTP 404"}},
            "2022-2023": {"failed_pages": None},
        },
        "unreadable": {"2024-2025/html/e.html": "empty file"},
    }
    links = report._Links(tables["credentials"], SUMMARY_URLS)
    cna = '<a href="https://e.org/cna" rel="noreferrer">CNA (2024-2025)</a>'
    c_html = '<a href="https://e.org/summary-c" rel="noreferrer">2024-2025/<wbr>html/<wbr>c.<wbr>html</a>'
    assert report._decisions(tables, summary, links) == [
        (
            "rejects",
            "Rejected values",
            2,
            "<h3 id=rejects>Rejected values: the page&#x27;s text failed a check (nulled, or its row left out) (2)</h3>"
            + scroll(
                "rejects",
                ["credential", "column", "check", "on the page", "read as", "source"],
                [
                    [
                        cna,
                        "credentials.passing_score_percent",  # 33 characters: not one token
                        NW("less_than_or_equal_to(100)"),
                        "<code>900 out of 500</code>",
                        "<code>180.0</code>",
                        c_html,
                    ],
                    [
                        "2024-2025/weld/Exam Fee",  # a label's key is shown as it is
                        NW("label_values."),
                        NW("x"),
                        "",
                        "<code>&lt;b&gt;</code>",
                        "2024-2025/<wbr>html/<wbr>w.<wbr>html",
                    ],
                ],
            ),
        ),
        (
            "drift",
            "Schema drift",
            1,
            "<h3 id=drift>Schema drift: labels not in the contract (map them or list them as known) (1)</h3>"
            + scroll(
                "drift",
                ["label", "value", "credential", "source"],
                [
                    [
                        "<code>Exam Fee</code>",
                        "<code>$5 &lt;b&gt;</code>",
                        "OSHA (2024-2025)",
                        '<a href="https://e.org/o" rel="noreferrer">2024-2025/<wbr>html/<wbr>o.<wbr>html</a>',
                    ]
                ],
            ),
        ),
        (
            "conflicts",
            "Conflicts",
            1,
            "<h3 id=conflicts>Conflicts: copies of a credential disagree (the best-ranked copy is kept) (1)</h3>"
            + scroll(
                "conflicts",
                ["credential", "column", "kept", "other", "kept from", "other from"],
                [
                    [
                        cna,
                        NW("exam_minutes"),
                        "<code>90</code>",
                        "<code>60</code>",
                        c_html,
                        "2024-2025/<wbr>html/<wbr>course_<wbr>1.<wbr>html",
                    ]
                ],
            ),
        ),
        (
            "failed",
            "Pages the last refresh could not fetch",
            3,
            "<h3 id=failed>Pages the last refresh could not fetch (3)</h3>"
            + scroll(
                "failed",
                ["school year", "page", "cause"],
                [
                    [
                        NW(Y1),
                        '<a href="https://e.org/a" rel="noreferrer">https:/<wbr>/<wbr>e.<wbr>org/<wbr>a</a>',
                        "HTTP 404",
                    ],
                    [
                        NW(Y2),
                        '<a href="https://e.org/x?id=1" rel="noreferrer">'
                        "https:/<wbr>/<wbr>e.<wbr>org/<wbr>x?<wbr>id=<wbr>1</a>",
                        "HTTP 503",
                    ],
                    [
                        NW(Y2),
                        '<a href="https://e.org/y" rel="noreferrer">https:/<wbr>/<wbr>e.<wbr>org/<wbr>y</a>',
                        NW("timeout"),
                    ],
                ],
            ),
        ),
        (
            "unreadable",
            "Unreadable documents",
            1,
            "<h3 id=unreadable>Unreadable documents (1)</h3>"
            + scroll("unreadable", ["file", "cause"], [["2024-2025/<wbr>html/<wbr>e.<wbr>html", "empty file"]]),
        ),
    ]


def test_nothing_to_decide_says_none_under_each_heading():
    assert report._decisions(decision_tables(), {}, report._Links(frame(LINKED, LINK_COLUMNS), {})) == [
        (
            "rejects",
            "Rejected values",
            0,
            "<h3 id=rejects>Rejected values: the page&#x27;s text failed a check (nulled, or its row left out) (0)</h3>"
            "<p class=none>None.</p>",
        ),
        (
            "drift",
            "Schema drift",
            0,
            "<h3 id=drift>Schema drift: labels not in the contract (map them or list them as known) (0)</h3>"
            "<p class=none>None.</p>",
        ),
        (
            "conflicts",
            "Conflicts",
            0,
            "<h3 id=conflicts>Conflicts: copies of a credential disagree (the best-ranked copy is kept) (0)</h3>"
            "<p class=none>None.</p>",
        ),
        (
            "failed",
            "Pages the last refresh could not fetch",
            0,
            "<h3 id=failed>Pages the last refresh could not fetch (0)</h3><p class=none>None.</p>",
        ),
        (
            "unreadable",
            "Unreadable documents",
            0,
            "<h3 id=unreadable>Unreadable documents (0)</h3><p class=none>None.</p>",
        ),
    ]


def test_a_reject_of_an_output_without_page_text_shows_what_it_was_read_as():
    columns = [column for column in REJECT_COLUMNS if column != "page_text"]
    tables = decision_tables() | {
        "rejects": frame(
            [
                {
                    "table": "credentials",
                    "key": "2024-2025",
                    "column": "exam_minutes",
                    "check": "c",
                    "failure_case": -1,
                    "source_path": None,
                }
            ],
            columns,
        )
    }
    (rejects, *_) = report._decisions(tables, {}, report._Links(frame(LINKED, LINK_COLUMNS), {}))
    assert rejects[3].endswith(
        "<tbody><tr><td>? (2024-2025)</td><td><span class=nw>credentials.exam_minutes</span></td>"
        "<td><span class=nw>c</span></td>"
        "<td></td><td><code>-1</code></td><td></td></tr></tbody></table></div>"
    )


COVERAGE_COLUMNS = [
    "school_year", "complete", "documents", "credentials", "cut", "listing", "origins",
    "fetched_from", "fetched_until", "refreshed_at", "failed",
]  # fmt: skip


def test_coverage_says_what_each_year_holds_and_why_a_year_is_incomplete():
    coverage = frame(
        [
            {
                "school_year": Y1,
                "complete": True,
                "documents": 3,
                "credentials": 2,
                "cut": 0,
                "listing": True,
                "origins": "page",
                "fetched_from": "2026-10-01",
                "fetched_until": "2026-10-01",
            },
            {
                "school_year": Y2,
                "complete": False,
                "documents": 4,
                "credentials": 3,
                "cut": 1,
                "listing": False,
                "origins": "page, sample",
                "fetched_from": "2026-11-02",
                "fetched_until": "2026-11-20",
                "refreshed_at": "2026-11-21",
                "failed": 2,
            },
            {
                "school_year": "2025-2026",
                "complete": False,
                "documents": 1,
                "credentials": 1,
                "cut": 0,
                "listing": False,
                "origins": "archive",
                "fetched_from": None,
                "fetched_until": "2026-11-22",
                "failed": 0,
            },
        ],
        COVERAGE_COLUMNS,
    )
    summary = {
        "coverage": {
            Y2: {"incomplete_because": ["1 of 3 credentials cut", "2 pages failed in its last refresh"]},
            "2025-2026": {"incomplete_because": None},
        }
    }
    assert report._coverage(coverage, summary) == (
        "<p>A year is <b>incomplete</b> when a credential's best copy is cut or its last refresh could not fetch "
        "a page: a credential missing from it is shown as <i>not in this copy</i>, never as removed.</p>"
        + scroll(
            "coverage",
            [
                "school year",
                "holds",
                "documents",
                "credentials",
                "cut",
                "listing",
                "origins",
                "fetched",
                "last refresh",
            ],
            [
                [NW(Y1), NW("complete"), NW(3), NW(2), NW(0), NW("read"), NW("page"), NW("2026-10-01"), ""],
                [
                    NW(Y2),
                    "incomplete: 1 of 3 credentials cut, 2 pages failed in its last refresh",
                    NW(4),
                    NW(3),
                    NW(1),
                    NW("none"),
                    "page, sample",
                    f"{NW('2026-11-02')} to {NW('2026-11-20')}",
                    f"{NW('2026-11-21')} · 2 failed",
                ],
                [
                    NW("2025-2026"),
                    "incomplete: ",
                    NW(1),
                    NW(1),
                    NW(0),
                    NW("none"),
                    NW("archive"),
                    NW("2026-11-22"),
                    "0 failed",
                ],
            ],
        )
    )
    assert report._coverage(frame([], COVERAGE_COLUMNS), {}).endswith("<tbody></tbody></table></div>")
    assert report._coverage(None, {}) == (
        "<p class=none>This output has no coverage table (written by an earlier version: run extract).</p>"
    )


@pytest.mark.parametrize(("count", "shown"), [(None, ""), (pd.NA, ""), (0, "0 failed"), (3, "3 failed")])
def test_a_years_failed_pages_are_counted_in_words(count, shown):
    assert report._failed(count) == shown


def test_rows_per_school_year_are_counted_per_table_with_the_samples():
    def years(*given):
        return frame([{"school_year": year} for year in given], ["school_year"])

    origins = [(Y1, "sample"), (Y1, "page"), (Y2, "sample"), (Y2, "page"), (Y2, "sample"), ("2022-2023", "sample")]
    tables = {
        "credentials": frame(
            [{"school_year": y, "source_origin": o} for y, o in origins], ["school_year", "source_origin"]
        ),
        "credential_courses": years(Y1),
        "credential_pathways": years(Y2, Y2),
        "credential_soc_codes": years(Y1, Y1, Y1),
        "instructor_training_costs": years(Y2),
        "course_credentials": years(Y1, Y1, Y1, Y1),
        "label_values": years(Y2, Y2, Y2, Y2, Y2),
        "conflicts": years(Y1, "2022-2023"),
    }
    header = ["school year", "credentials", "courses", "pathways", "SOC codes", "training costs", "listing rows"]
    assert report._counts(tables, [Y1, Y2]) == scroll(
        "counts",
        [*header, "pairs", "conflicts", "samples"],
        [
            [NW(value) for value in (Y1, 2, 1, 0, 3, 0, 4, 0, 1, 1)],
            [NW(value) for value in (Y2, 3, 0, 2, 0, 1, 0, 5, 0, 2)],
        ],
    )


def test_a_years_change_section_lists_every_change_in_its_table_with_its_words():
    section = report._change_section(
        {
            "old": Y1,
            "new": Y2,
            "counts": {
                "added": 1,
                "removed": 1,
                "renamed": 1,
                "changed": 2,
                "values": 3,
                "child_rows": 2,
                "not_in_this_copy": 1,
                "not_in_old_copy": 1,
                "unseen": 4,
            },  # fmt: skip
            "incomplete": {"old": {}, "new": {}},
            "added": [{"credential_name": "Welding", "cred_id": 3}],
            "removed": [{"credential_name": "OSHA 10", "cred_id": 1}],
            "not_in_this_copy": [{"credential_name": "BLS", "cred_id": 5}],
            "not_in_old_copy": [{"credential_name": "EKG", "cred_id": None}],
            "renamed": [{"cred_id": 2, "old_name": "C.N.A.", "credential_name": "CNA"}],
            "changed": [
                {
                    "credential_name": "CNA",
                    "columns": [
                        {"column": "exam_minutes", "old": 60, "new": 90},
                        {"column": "retake_policy", "old": None, "new": "<b>once</b>"},
                    ],
                    "children": {
                        "credential_courses": {"added": [{"course_code": "C1", "course_title": "Intro"}]},
                        "instructor_training_costs": {
                            "changed": [
                                {
                                    "old": {"option": 1, "amount_usd": 10.0, "condition": "online"},
                                    "new": {"option": 1, "amount_usd": 12.0, "condition": "online"},
                                }
                            ]
                        },
                    },
                },
                {
                    "credential_name": "Welding 2",
                    "columns": [{"column": "is_draft", "old": True, "new": False}],
                    "children": {},
                },
            ],
        }
    )
    assert section.split("\n") == [
        "<h3 id=change-2024-2025>2023-2024 → 2024-2025</h3>",
        "<p class=change-counts>1 added · 1 removed · 1 renamed · 2 changed (3 values, 2 child rows) · "
        "1 not in this copy · 1 not in the old copy</p>",
        "<p class=meta>4 values or child rows not compared: a cut page does not show them.</p>",
        scroll(
            "added-removed",
            ["change", "credential", "cred_id"],
            [
                [NW("added"), NW("Welding"), NW(3)],
                [NW("removed"), "OSHA 10", NW(1)],
                ["not in this copy", NW("BLS"), NW(5)],
                ["not in the old copy", NW("EKG"), ""],
            ],
        ),
        scroll("renamed", ["cred_id", "old name", "new name"], [[NW(2), NW("C.N.A."), NW("CNA")]]),
        scroll(
            "changed-values",
            ["credential", "column", "old", "new"],
            [
                [NW("CNA"), NW("exam_minutes"), NW(60), NW(90)],
                [NW("CNA"), NW("retake_policy"), "", NW("&lt;b&gt;once&lt;/b&gt;")],
                ["Welding 2", NW("is_draft"), NW("true"), NW("false")],
            ],
        ),
        scroll(
            "changed-children",
            ["credential", "table", "change", "row"],
            [
                [NW("CNA"), NW("credential_courses"), NW("added"), "course_code=C1, course_title=Intro"],
                [
                    NW("CNA"),
                    NW("instructor_training_costs"),
                    NW("changed"),
                    "amount_usd: 10.0 → 12.0 (option=1, condition=online)",
                ],
            ],
        ),
    ]


def test_a_years_change_section_with_no_change_is_its_heading_and_counts_escaped():
    section = report._change_section(
        {
            "old": "a&b",
            "new": "c<d",
            "counts": dict.fromkeys(
                (
                    "added",
                    "removed",
                    "renamed",
                    "changed",
                    "values",
                    "child_rows",
                    "not_in_this_copy",
                    "not_in_old_copy",
                    "unseen",
                ),
                0,
            ),
            "incomplete": {"old": {"x<": "y&"}, "new": {}},
            **{kind: [] for kind in ("added", "removed", "not_in_this_copy", "not_in_old_copy", "renamed", "changed")},
        }
    )
    assert section.split("\n") == [
        "<h3 id=change-c&lt;d>a&amp;b → c&lt;d</h3>",
        "<p class=change-counts>0 added · 0 removed · 0 renamed · 0 changed (0 values, 0 child rows)</p>",
        "<p class=warn>x&lt; is incomplete (y&amp;): a credential missing from it is "
        "<i>not in the old copy</i>, not added.</p>",
    ]


CHANGE_COLUMNS = [
    "between",
    "school_year",
    "until",
    "credential_name",
    "credential_slug",
    "table",
    "column",
    "kind",
    "old",
    "new",
]


def test_what_each_refresh_changed_is_listed_and_year_over_year_rows_left_out():
    changes = frame(
        [
            {
                "between": "refreshes",
                "school_year": Y2,
                "until": "2026-11-21",
                "credential_name": "CNA",
                "credential_slug": "cna",
                "table": "credentials",
                "column": "exam_minutes",
                "kind": "changed",
                "old": "60",
                "new": "90",
            },
            {
                "between": "years",
                "school_year": Y2,
                "until": "2026-11-21",
                "credential_name": "OSHA",
                "credential_slug": "osha",
                "table": "credentials",
                "column": "x",
                "kind": "removed",
            },
            {
                "between": "refreshes",
                "school_year": Y2,
                "until": "2026-11-21",
                "credential_name": None,
                "credential_slug": "weld",
                "table": "credential_courses",
                "column": None,
                "kind": "added",
                "old": None,
                "new": "C1 Intro",
            },
        ],
        CHANGE_COLUMNS,
    )
    title = "<h3 id=refreshes>What each refresh changed</h3>"
    assert report._refresh_changes(changes) == title + scroll(
        "refresh-changes",
        ["school year", "refresh", "credential", "table", "column", "change", "old", "new"],
        [
            [
                NW(Y2),
                NW("2026-11-21"),
                NW("CNA"),
                NW("credentials"),
                NW("exam_minutes"),
                NW("changed"),
                NW("60"),
                NW("90"),
            ],
            [NW(Y2), NW("2026-11-21"), NW("weld"), NW("credential_courses"), "", NW("added"), "", "C1 Intro"],
        ],
    )
    assert report._refresh_changes(changes[changes["between"] == "years"]) == (
        title + "<p class=none>No refresh has recorded a change.</p>"
    )
    assert report._refresh_changes(None) == (
        title + "<p class=none>This output has no changes table (written by an earlier version).</p>"
    )


def test_other_checks_list_the_course_cross_check_skipped_files_and_manifest_problems():
    summary = {
        "course_cross_check": ["C1 listed for CNA, not on its page"],
        "years_without_listing": ["2025-2026"],
        "skipped": {"raw/x.txt": "not a page"},
        "manifest_problems": {"m.json": ["p1", "bad <url>"], "n.json": []},
    }
    assert report._details(summary).split("\n") == [
        "<h3 id=cross-check>Course cross-check (Credentials by Course vs credential pages) (2)</h3>",
        scroll(
            "cross-check",
            ["difference"],
            [["C1 listed for CNA, not on its page"], ["not checked for 2025-2026: no listing"]],
        ),
        "<h3 id=skipped>Skipped files (1)</h3>",
        scroll("skipped", ["file", "cause"], [[NW("raw/x.txt"), "not a page"]]),
        "<h3 id=manifest>Manifest problems (2)</h3>",
        scroll("manifest", ["manifest", "problem"], [[NW("m.json"), NW("p1")], [NW("m.json"), "bad &lt;url&gt;"]]),
    ]
    assert report._details({}).split("\n") == [
        "<h3 id=cross-check>Course cross-check (Credentials by Course vs credential pages) (0)</h3>",
        "<p class=none>None.</p>",
        "<h3 id=skipped>Skipped files (0)</h3>",
        "<p class=none>None.</p>",
        "<h3 id=manifest>Manifest problems (0)</h3>",
        "<p class=none>None.</p>",
    ]


def test_a_bar_chart_is_inline_svg_with_each_bar_its_count_and_a_legend_as_wide_as_its_words():
    groups = [(Y1, [("first year", 2)]), (Y2, [("unchanged", 1), ("changed", 1), ("added", 0), ("removed", 1)])]
    svg = report._bar_chart('T "1" & <2>', groups, "c")

    def bar(x, y, height, color, series, value, label):
        return (
            f'<rect x="{x}" y="{y}" width="14" height="{height}" fill="{color}" data-series="{series}" '
            f'data-value="{value}"><title>{label}: {series} {value}</title></rect>'
        )

    def legend(x, text_x, color, series):
        return (
            f'<rect x="{x}" y="206" width="10" height="10" fill="{color}"/>'
            f'<text x="{text_x}" y="215" class="legend">{series}</text>'
        )

    # 440 px for 2 groups of 4 bars of 16 px; 140 px of height for the peak, 2
    assert svg == "".join(
        [
            '<svg id=c class=chart viewBox="0 0 460 220" role="img" aria-label="T &quot;1&quot; &amp; &lt;2&gt;">',
            '<text x="10" y="16" class="title">T &quot;1&quot; &amp; &lt;2&gt;</text>',
            '<line x1="10" y1="180" x2="450" y2="180" class="axis"/>',
            bar("88.0", "40.0", "140.0", "#5c7cfa", "first year", 2, Y1),
            '<text x="95.0" y="37.0" class="value">2</text>',
            '<text x="120.0" y="196" class="label">2023-2024</text>',
            bar("308.0", "110.0", "70.0", "#9aa5b1", "unchanged", 1, Y2),
            '<text x="315.0" y="107.0" class="value">1</text>',
            bar("324.0", "110.0", "70.0", "#f0b429", "changed", 1, Y2),
            '<text x="331.0" y="107.0" class="value">1</text>',
            bar("340.0", "180.0", "0.0", "#2f9e44", "added", 0, Y2),
            '<text x="347.0" y="177.0" class="value">0</text>',
            bar("356.0", "110.0", "70.0", "#d64545", "removed", 1, Y2),
            '<text x="363.0" y="107.0" class="value">1</text>',
            '<text x="340.0" y="196" class="label">2024-2025</text>',
            legend("10", "24", "#9aa5b1", "unchanged"),  # 14 + 9 characters of 5.5 px + 12
            legend("86", "100", "#f0b429", "changed"),
            legend("150", "164", "#2f9e44", "added"),
            legend("204", "218", "#d64545", "removed"),
            legend("268", "282", "#5c7cfa", "first year"),
            "</svg>",
        ]
    )


def test_a_bar_chart_of_zeros_and_one_bar_a_group_has_no_legend_and_escapes_its_labels():
    svg = report._bar_chart(
        "T", [("a&b", [("bar", 0)]), ("c", [("bar", 0)]), ("d", [("bar", 0)]), ("e", [("bar", 0)])], "z"
    )
    # a peak of 0 is drawn as 1 (no division by zero): every bar 0 px high on the axis; 110 px a group
    assert svg == "".join(
        [
            '<svg id=z class=chart viewBox="0 0 460 220" role="img" aria-label="T">',
            '<text x="10" y="16" class="title">T</text>',
            '<line x1="10" y1="180" x2="450" y2="180" class="axis"/>',
            *(
                f'<rect x="{left}" y="180.0" width="14" height="0.0" fill="#3b5bdb" data-series="bar" data-value="0">'
                f"<title>{label}: bar 0</title></rect>"
                f'<text x="{value_x}" y="177.0" class="value">0</text>'
                f'<text x="{label_x}" y="196" class="label">{label}</text>'
                for left, value_x, label_x, label in [
                    ("57.0", "64.0", "65.0", "a&amp;b"),
                    ("167.0", "174.0", "175.0", "c"),
                    ("277.0", "284.0", "285.0", "d"),
                    ("387.0", "394.0", "395.0", "e"),
                ]
            ),
            "</svg>",
        ]
    )


def bars(svg: str) -> list[str]:
    """What each bar says (its <title>): `label: series count`."""
    return re.findall(r"<title>([^<]*)</title>", svg)


def test_the_score_chart_counts_scores_in_tens_with_100_in_the_last():
    scores = [70.0, 75.5, 100.0, 90.0, None, 0.0, 9.99, 10.0, 89.99]
    svg = report._score_chart(frame([{"passing_score_percent": s} for s in scores], ["passing_score_percent"]))
    assert svg.startswith(
        '<svg id=score-chart class=chart viewBox="0 0 460 220" role="img" '
        'aria-label="Exam passing scores (8 credentials with a percent)">'
    )
    assert bars(svg) == ["0–9: bar 2", "10–19: bar 1", "70–79: bar 2", "80–89: bar 1", "90–100: bar 2"]
    assert 'class="legend"' not in svg
    empty = report._score_chart(frame([{"passing_score_percent": None}], ["passing_score_percent"]))
    assert bars(empty) == ["none: bar 0"]
    assert 'aria-label="Exam passing scores (0 credentials with a percent)"' in empty


def test_the_cost_chart_counts_training_costs_in_five_ranges():
    amounts = [0.0, 0.01, 99.99, 100.0, 250.0, 499.99, 500.0, 999.99, 1000.0, 1000.0, 1000.0, 25000.0, None]
    svg = report._cost_chart(frame([{"amount_usd": a} for a in amounts], ["amount_usd"]))
    assert svg.startswith(
        '<svg id=cost-chart class=chart viewBox="0 0 460 220" role="img" '
        'aria-label="Instructor training cost options (12)">'
    )
    assert bars(svg) == ["$0: bar 1", "&lt; $100: bar 2", "$100–499: bar 3", "$500–999: bar 2", "$1,000+: bar 4"]


def test_the_change_chart_splits_each_years_credentials_by_what_happened_since_the_year_before():
    credentials = frame([{"school_year": y} for y in (Y1, Y1, Y2, Y2, Y2, "2025-2026")], ["school_year"])
    zero = {"not_in_this_copy": 0, "not_in_old_copy": 0}
    changes = [
        {"counts": {**zero, "added": 1, "changed": 1, "removed": 1}},
        {"counts": {"added": 0, "changed": 0, "removed": 0, "not_in_old_copy": 1, "not_in_this_copy": 2}},
    ]
    svg = report._change_chart({"credentials": credentials}, [Y1, Y2, "2025-2026"], changes)
    assert svg.startswith(
        '<svg id=change-chart class=chart viewBox="0 0 460 220" role="img" '
        'aria-label="Credentials per school year, by change since the year before">'
    )
    assert bars(svg) == [
        "2023-2024: first year 2",
        "2024-2025: unchanged 1",  # 3 - 1 added - 1 changed
        "2024-2025: changed 1",
        "2024-2025: added 1",
        "2024-2025: removed 1",
        "2025-2026: unchanged 0",  # 1 - 1 not in the old copy
        "2025-2026: changed 0",
        "2025-2026: added 0",
        "2025-2026: removed 0",
        "2025-2026: not in this copy 2",
    ]


CREDENTIAL_COLUMNS = [
    "school_year", "cred_id", "credential_slug", "credential_name", "source_path", "source_url", "source_origin",
    "passing_score_percent", "exam_minutes",
]  # fmt: skip
CHILD_COLUMNS = ["school_year", "credential_slug"]


def credential(year, cred_id, slug, name, origin="page", score=None, minutes=60):
    path = f"{year}/html/credential_{cred_id}.html"
    return dict(
        zip(
            CREDENTIAL_COLUMNS,
            (year, cred_id, slug, name, path, f"https://e.org/{cred_id}", origin, score, minutes),
            strict=True,
        )
    )


def output_tables(credentials: list[dict], conflicts=()) -> dict[str, pd.DataFrame | None]:
    """The tables of an output as `_load` gives them: an older output's, without coverage and changes tables."""
    cost = {"credential_slug": "cna", "option": 1, "amount_usd": 150.0}
    return {
        "credentials": frame(credentials, CREDENTIAL_COLUMNS),
        "credential_courses": frame([], CHILD_COLUMNS),
        "credential_pathways": frame([], CHILD_COLUMNS),
        "credential_soc_codes": frame([], CHILD_COLUMNS),
        "instructor_training_costs": frame(
            [
                {**cost, "school_year": year}
                for year in {c["school_year"] for c in credentials if c["credential_slug"] == "cna"}
            ],
            [*CHILD_COLUMNS, "option", "amount_usd", "condition"],
        ),
        "course_credentials": frame([], CHILD_COLUMNS),
        "label_values": frame([], LABEL_COLUMNS),
        "rejects": frame([], REJECT_COLUMNS),
        "conflicts": frame(list(conflicts), CONFLICT_COLUMNS),
        "coverage": None,
        "changes": None,
    }


def body_lines(page: str) -> list[str]:
    head, _, rest = page.partition("\n<body>\n")
    assert (
        head.startswith('<!DOCTYPE html>\n<html lang="en"><head>') and "<title>Credential data review</title>" in head
    )
    body, _, end = rest.partition("\n</body></html>\n")
    assert end == ""
    return body.split("\n")


NONE_DECIDED = {
    "rejects": "Rejected values: the page&#x27;s text failed a check (nulled, or its row left out)",
    "drift": "Schema drift: labels not in the contract (map them or list them as known)",
    "conflicts": "Conflicts: copies of a credential disagree (the best-ranked copy is kept)",
    "failed": "Pages the last refresh could not fetch",
    "unreadable": "Unreadable documents",
}
NO_DETAILS = [
    "<h3 id=cross-check>Course cross-check (Credentials by Course vs credential pages) (0)</h3>",
    "<p class=none>None.</p>",
    "<h3 id=skipped>Skipped files (0)</h3>",
    "<p class=none>None.</p>",
    "<h3 id=manifest>Manifest problems (0)</h3>",
    "<p class=none>None.</p>",
]


def test_the_page_gives_decisions_then_coverage_then_each_years_changes_then_charts_then_other_checks(monkeypatch):
    monkeypatch.setattr(report, "__version__", "9.9")
    tables = output_tables(
        [
            credential(Y1, 1, "osha", "OSHA 10", score=70.0),
            credential(Y1, 2, "cna", "CNA", score=80.0),
            credential(Y2, 2, "cna", "CNA", score=80.0, minutes=90),
            credential(Y2, 3, "weld", "Welding", origin="sample", minutes=30),
            credential(None, 9, "lost", "Lost"),  # a row without a school year is in no year
        ],
        conflicts=[
            {
                "school_year": Y2,
                "credential_slug": "cna",
                "column": "exam_minutes",
                "chosen": "90",
                "other": "60",
                "chosen_source": "2024-2025/html/credential_2.html",
                "other_source": "2024-2025/html/course_9.html",
            }
        ],
    )
    summary = {
        "extracted_at": "2026-11-20",
        "coverage": {Y2: {"fetched_from": "2026-11-19", "fetched_until": "2026-11-20"}},
        "unreadable": {"2024-2025/html/x.pdf": "not a PDF"},
        "source_urls": {"2024-2025/html/x.pdf": "https://e.org/x.pdf"},
    }
    lines = body_lines(report.render(tables, summary, Path("/data/a&b")))
    charts = [line for line in lines if line.startswith("<svg ")]
    assert [chart.partition(" class=chart")[0] for chart in charts] == [
        "<svg id=change-chart",
        "<svg id=score-chart",
        "<svg id=cost-chart",
    ]
    assert [bars(chart) for chart in charts] == [
        [
            "2023-2024: first year 2",
            "2024-2025: unchanged 0",  # 2 credentials: 1 added, 1 changed
            "2024-2025: changed 1",
            "2024-2025: added 1",
            "2024-2025: removed 1",
        ],
        ["70–79: bar 1", "80–89: bar 2"],
        ["$0: bar 0", "&lt; $100: bar 0", "$100–499: bar 2", "$500–999: bar 0", "$1,000+: bar 0"],
    ]
    toc_decide = "".join(
        f"<li><a href=#{anchor}>{title}</a> <span class={'some' if count else 'none'}>({count})</span></li>"
        for anchor, title, count in [
            ("rejects", "Rejected values", 0),
            ("drift", "Schema drift", 0),
            ("conflicts", "Conflicts", 1),
            ("failed", "Pages the last refresh could not fetch", 0),
            ("unreadable", "Unreadable documents", 1),
        ]
    )
    assert lines == [
        "<h1>Credential data: review of <code>/data/a&amp;b</code></h1>",
        "<p class=meta>Generated by nccte 9.9 · data as of <b><span class=nw>2026-11-20</span></b> (the latest fetch; "
        "also the report's date) · pages fetched <span class=nw>2026-11-19</span> to <span class=nw>2026-11-20</span> "
        "· 5 credentials in 2 school years</p>",
        "<p class=warn>1 of 5 credentials come from <b>sample</b> pages written for this repository "
        "(<code>source_origin = sample</code>); leave them out of any analysis.</p>",
        "<nav class=toc aria-label=Contents><h2>Contents</h2><ol>"
        f"<li><a href=#decide>What needs a decision (2)</a><ol>{toc_decide}</ol></li>"
        "<li><a href=#coverage>What each school year holds</a>"
        "<ol><li><a href=#counts>Rows per school year</a></li></ol></li>"
        "<li><a href=#changes>What changed</a><ol><li><a href=#change-2024-2025>2023-2024 → 2024-2025</a></li>"
        "<li><a href=#refreshes>What each refresh changed</a></li></ol></li>"
        "<li><a href=#charts>Charts</a></li><li><a href=#details>Other checks</a></li></ol></nav>",
        "<h2 id=decide>What needs a decision (2)</h2>",
        f"<h3 id=rejects>{NONE_DECIDED['rejects']} (0)</h3><p class=none>None.</p>",
        f"<h3 id=drift>{NONE_DECIDED['drift']} (0)</h3><p class=none>None.</p>",
        f"<h3 id=conflicts>{NONE_DECIDED['conflicts']} (1)</h3>"
        + scroll(
            "conflicts",
            ["credential", "column", "kept", "other", "kept from", "other from"],
            [
                [
                    '<a href="https://e.org/2" rel="noreferrer">CNA (2024-2025)</a>',
                    NW("exam_minutes"),
                    "<code>90</code>",
                    "<code>60</code>",
                    '<a href="https://e.org/2" rel="noreferrer">'
                    "2024-2025/<wbr>html/<wbr>credential_<wbr>2.<wbr>html</a>",
                    "2024-2025/<wbr>html/<wbr>course_<wbr>9.<wbr>html",
                ]
            ],
        ),
        f"<h3 id=failed>{NONE_DECIDED['failed']} (0)</h3><p class=none>None.</p>",
        f"<h3 id=unreadable>{NONE_DECIDED['unreadable']} (1)</h3>"
        + scroll(
            "unreadable",
            ["file", "cause"],
            [['<a href="https://e.org/x.pdf" rel="noreferrer">2024-2025/<wbr>html/<wbr>x.<wbr>pdf</a>', "not a PDF"]],
        ),
        "<h2 id=coverage>What each school year holds</h2>",
        "<p class=none>This output has no coverage table (written by an earlier version: run extract).</p>",
        "<h3 id=counts>Rows per school year</h3>",
        scroll(
            "counts",
            ["school year", "credentials", "courses", "pathways", "SOC codes", "training costs", "listing rows"]
            + ["pairs", "conflicts", "samples"],
            [[NW(v) for v in (Y1, 2, 0, 0, 0, 1, 0, 0, 0, 0)], [NW(v) for v in (Y2, 2, 0, 0, 0, 1, 0, 0, 1, 1)]],
        ),
        "<h2 id=changes>What changed</h2>",
        "<h3 id=change-2024-2025>2023-2024 → 2024-2025</h3>",
        "<p class=change-counts>1 added · 1 removed · 0 renamed · 1 changed (1 values, 0 child rows)</p>",
        scroll(
            "added-removed",
            ["change", "credential", "cred_id"],
            [[NW("added"), NW("Welding"), NW(3)], [NW("removed"), "OSHA 10", NW(1)]],
        ),
        scroll(
            "changed-values", ["credential", "column", "old", "new"], [[NW("CNA"), NW("exam_minutes"), NW(60), NW(90)]]
        ),
        "<h3 id=refreshes>What each refresh changed</h3>"
        "<p class=none>This output has no changes table (written by an earlier version).</p>",
        "<h2 id=charts>Charts</h2>",
        "<div class=charts>",
        *charts,
        "</div>",
        "<h2 id=details>Other checks</h2>",
        *NO_DETAILS,
    ]


def test_a_page_of_one_school_year_has_nothing_to_compare_and_no_sample_warning(monkeypatch):
    monkeypatch.setattr(report, "__version__", "9.9")
    tables = output_tables([credential(Y2, 2, "cna", "CNA", score=80.0)])
    tables["changes"] = frame(
        [{"between": "refreshes", "school_year": Y2, "until": "2026-11-21", "credential_name": "CNA", "kind": "added"}],
        CHANGE_COLUMNS,
    )
    lines = body_lines(report.render(tables, {}, Path("out")))
    assert lines[:3] == [
        "<h1>Credential data: review of <code>out</code></h1>",
        "<p class=meta>Generated by nccte 9.9 · data date unknown (no manifest gives a fetch date) · "
        "1 credentials in 1 school years</p>",
        "<nav class=toc aria-label=Contents><h2>Contents</h2><ol>"
        "<li><a href=#decide>What needs a decision (0)</a><ol>"
        + "".join(
            f"<li><a href=#{anchor}>{title}</a> <span class=none>(0)</span></li>"
            for anchor, title in [
                ("rejects", "Rejected values"),
                ("drift", "Schema drift"),
                ("conflicts", "Conflicts"),
                ("failed", "Pages the last refresh could not fetch"),
                ("unreadable", "Unreadable documents"),
            ]
        )
        + "</ol></li>"
        "<li><a href=#coverage>What each school year holds</a>"
        "<ol><li><a href=#counts>Rows per school year</a></li></ol></li>"
        "<li><a href=#changes>What changed</a><ol><li><a href=#refreshes>What each refresh changed</a></li></ol></li>"
        "<li><a href=#charts>Charts</a></li><li><a href=#details>Other checks</a></li></ol></nav>",
    ]
    changes = lines.index("<h2 id=changes>What changed</h2>")
    assert lines[changes + 1 : changes + 4] == [
        "<p>Only one school year: nothing to compare.</p>",
        "<h3 id=refreshes>What each refresh changed</h3>"
        + scroll(
            "refresh-changes",
            ["school year", "refresh", "credential", "table", "column", "change", "old", "new"],
            [[NW(Y2), NW("2026-11-21"), NW("CNA"), "", "", NW("added"), "", ""]],
        ),
        "<h2 id=charts>Charts</h2>",
    ]


# --- write_report and _load: only beside extract's outputs, older outputs still get a page --------------------


def test_report_refuses_a_folder_extract_did_not_write_naming_the_marker(tmp_path):
    (tmp_path / "parquet").mkdir()
    with pytest.raises(report.UsageError) as refused:
        report.write_report(tmp_path)
    assert str(refused.value) == (
        f"--out {tmp_path} is not an extract output (no .nccte-extract in it); "
        "report writes only beside extract's outputs"
    )
    assert not (tmp_path / "report.html").exists()


def test_report_of_a_folder_without_parquet_says_so_whether_or_not_it_is_marked(tmp_path):
    for marked in (False, True):
        if marked:
            (tmp_path / ".nccte-extract").write_text("")
        with pytest.raises(report.UsageError) as refused:
            report.write_report(tmp_path)
        assert str(refused.value) == f"{tmp_path}: no parquet/ folder (not an extract output?)"


def test_report_of_an_output_missing_a_table_names_it(committed):
    (committed / "parquet" / "conflicts.parquet").unlink()
    with pytest.raises(report.UsageError) as refused:
        report.write_report(committed)
    assert str(refused.value) == f"{committed}: missing conflicts"


def test_an_older_output_without_coverage_changes_or_summary_is_read_with_what_it_has(committed):
    (committed / "parquet" / "coverage.parquet").unlink()
    (committed / "parquet" / "changes.parquet").write_bytes(b"not parquet")
    (committed / "summary.json").unlink()
    tables, summary = report._load(committed)
    assert sorted(tables) == [
        "changes", "conflicts", "course_credentials", "coverage", "credential_courses", "credential_pathways",
        "credential_soc_codes", "credentials", "instructor_training_costs", "label_values", "rejects",
    ]  # fmt: skip
    assert tables["coverage"] is None and tables["changes"] is None
    assert len(tables["credentials"]) == 52  # README: 24 + 25 sample credentials, 3 archive copies
    assert summary == {}
    (committed / "summary.json").write_text("{not json")
    assert report._load(committed)[1] == {}
    (committed / "summary.json").write_text(
        '{"extracted_at": "2026-11-20T12:00:00Z", "note": "café"}', encoding="utf-8"
    )
    assert report._load(committed)[1] == {"extracted_at": "2026-11-20T12:00:00Z", "note": "café"}
    path = report.write_report(committed)
    assert path == committed / "report.html"
    page = path.read_text(encoding="utf-8")
    assert f"\n<h1>Credential data: review of <code>{committed}</code></h1>\n" in page
    assert "<p class=none>This output has no coverage table (written by an earlier version: run extract).</p>" in page
    assert "<p class=none>This output has no changes table (written by an earlier version).</p>" in page


def test_the_report_reads_the_coverage_and_changes_tables_and_the_summary(committed):
    tables, summary = report._load(committed)
    assert list(tables["coverage"]["school_year"]) == ["2023-2024", "2024-2025", "2025-2026"]
    assert summary["extracted_at"] == "2026-11-20T12:00:00Z"
    assert list(tables["changes"].columns)[:2] == ["school_year", "credential_slug"]


def test_report_refuses_an_output_another_run_is_writing_naming_its_out(committed):
    lock = committed.parent / ".lock-extract-extracted"  # held by a writer of `committed` (an empty file: no pid)
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(report.UsageError) as refused:
            report.write_report(committed)
    finally:
        os.close(handle)
    assert str(refused.value) == (
        f"--out {committed} is in use by another nccte run; nothing was done (run it again when that one ends)"
    )
    assert (committed / "report.html").read_bytes() == (REPO / "extracted" / "report.html").read_bytes()


# --- written for the survivors of the run of 2026-12-01 (tests/mutants_triage.md) --------------------------


def test_a_child_rows_reject_is_shown_under_its_credential_linked():
    tables = decision_tables(
        rejects=[
            {
                "table": "instructor_training_costs",
                "key": "2024-2025/cna/2",  # school year / credential / option
                "column": "amount_usd",
                "check": "greater_than_or_equal_to(0)",
                "page_text": "-$5.50",
                "failure_case": -5.5,
                "source_path": "2024-2025/html/c.html",
            }
        ]
    )
    (rejects, *_) = report._decisions(tables, {}, report._Links(tables["credentials"], {}))
    assert rejects[3] == (
        "<h3 id=rejects>Rejected values: the page&#x27;s text failed a check (nulled, or its row left out) (1)</h3>"
        + scroll(
            "rejects",
            ["credential", "column", "check", "on the page", "read as", "source"],
            [
                [
                    '<a href="https://e.org/cna" rel="noreferrer">CNA (2024-2025)</a>',
                    "instructor_training_costs.amount_usd",
                    NW("greater_than_or_equal_to(0)"),
                    "<code>-$5.50</code>",
                    "<code>-5.5</code>",
                    '<a href="https://e.org/cna" rel="noreferrer">2024-2025/<wbr>html/<wbr>c.<wbr>html</a>',
                ]
            ],
        )
    )


def test_a_year_the_summary_does_not_explain_is_incomplete_with_no_reason_and_a_refresh_without_failures_its_date():
    coverage = frame(
        [
            {
                "school_year": Y2,
                "complete": False,
                "documents": 2,
                "credentials": 2,
                "cut": 1,
                "listing": True,
                "origins": "page",
                "fetched_from": "2026-11-20",
                "fetched_until": "2026-11-20",
                "refreshed_at": "2026-11-21",
                "failed": None,
            }
        ],
        COVERAGE_COLUMNS,
    )
    assert report._coverage(coverage, {}).endswith(
        "<tbody><tr>"
        + "".join(
            f"<td>{cell}</td>"
            for cell in [
                NW(Y2),
                "incomplete: ",
                NW(2),
                NW(2),
                NW(1),
                NW("read"),
                NW("page"),
                NW("2026-11-20"),
                NW("2026-11-21"),
            ]
        )
        + "</tr></tbody></table></div>"
    )


def test_a_bar_chart_of_one_group_spans_the_width_and_its_one_bar_the_height():
    # the score chart of credentials whose scores all fall in one range: one group of 440 px, a peak of 1
    assert report._bar_chart("S", [("90–100", [("bar", 1)])], "s") == (
        '<svg id=s class=chart viewBox="0 0 460 220" role="img" aria-label="S">'
        '<text x="10" y="16" class="title">S</text>'
        '<line x1="10" y1="180" x2="450" y2="180" class="axis"/>'
        '<rect x="222.0" y="40.0" width="14" height="140.0" fill="#3b5bdb" data-series="bar" data-value="1">'
        "<title>90–100: bar 1</title></rect>"
        '<text x="229.0" y="37.0" class="value">1</text>'
        '<text x="230.0" y="196" class="label">90–100</text>'
        "</svg>"
    )


@pytest.fixture
def ascii_locale():
    """A user whose locale's encoding is ASCII (LC_CTYPE=C, without Python's UTF-8 mode)."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def test_the_summary_is_read_as_utf8_whatever_the_locale(committed, ascii_locale):
    (committed / "summary.json").write_text('{"unreadable": {"café.html": "empty file"}}', encoding="utf-8")
    assert report._load(committed)[1] == {"unreadable": {"café.html": "empty file"}}
