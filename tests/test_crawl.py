"""pipeline/fetch/crawl.py in-process: discovery, settings, the manifest and the resume state, against small
sites served on 127.0.0.1 (tools/demo_site.py) into raw/ folders in tmp_path. Every expected value is written by
hand from the input (CONTRACT section 3: raw layout and manifest)."""

from __future__ import annotations

import calendar
import csv
import hashlib
import json
import re
import time
from pathlib import Path

import pytest

from pipeline.fetch import crawl
from pipeline.fetch.crawl import PageId
from pipeline.fetch.settings import SettingsError
from tools.demo_site import Site, SiteServer

YEAR = "2024-2025"
BASE = "https://center.ncsu.edu/nccte-cms/"
PAGE = BASE + "credential_info.php"


def _page(name: str, year: str = YEAR, extra: str = "") -> bytes:
    return (
        f"<html><body><h2>{year} Credential Information</h2><h3>{name}</h3>"
        f"<table><tr><th>Credential Name</th><td>{name}</td></tr></table>{extra}</body></html>"
    ).encode()


def _settings(server: SiteServer, raw: Path, **changes) -> crawl.Settings:
    options = dict(year=YEAR, base_url=server.base_url, raw=raw, rate=500.0, timeout=2.0, retries=0, backoff=0.01)
    options.update(changes)
    return crawl.Settings(**options)


def _manifest(raw: Path) -> dict[str, dict[str, str]]:
    with (raw / YEAR / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        return {row["path"]: row for row in csv.DictReader(handle)}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _etag(data: bytes) -> str:  # the demo site's ETag: the first 16 hex digits of the body's sha256, quoted
    return '"' + _sha(data)[:16] + '"'


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1-3", range(1, 4)), (" 7 ", range(7, 8)), ("5-5", range(5, 6)), ("123456789", range(123456789, 123456790))],
)
def test_id_range_is_inclusive(text, expected):
    assert crawl.parse_id_range(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3-1", "--ids range is empty: '3-1'"),
        ("a-3", "--ids must look like 1-3000 (at most 9 digits), not 'a-3'"),
        ("1234567890", "--ids must look like 1-3000 (at most 9 digits), not '1234567890'"),
        ("", "--ids must look like 1-3000 (at most 9 digits), not ''"),
    ],
)
def test_bad_id_range_is_refused_with_its_text(text, message):
    with pytest.raises(SettingsError) as error:
        crawl.parse_id_range(text)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"year": "2024/2025"}, "--year must look like 2024-2025, not '2024/2025'"),
        ({"year": "２０２４-2025"}, "--year must look like 2024-2025, not '２０２４-2025'"),
        ({"year": "2024-2026"}, "--year 2024-2026: the second year must follow the first (2024-2025)"),
        ({"year": "2024-2023"}, "--year 2024-2023: the second year must follow the first (2024-2025)"),
        ({"base_url": "ftp://x.org/"}, "--base-url must be an http(s) URL with a host, not 'ftp://x.org/'"),
        ({"base_url": "https://x.org/a/?q=1"}, "--base-url must be an http(s) URL with a host, not"),
        ({"base_url": "https://x.org/a/#top"}, "--base-url must be an http(s) URL with a host, not"),
        ({"listing_url": "nothing"}, "--listing-url must be an http(s) URL with a host, not 'nothing'"),
        ({"ids": "9-1"}, "--ids range is empty: '9-1'"),
        ({"rate": 0.0}, "--rate"),
    ],
)
def test_checked_settings_refuse_bad_values(changes, message):
    settings = crawl.Settings(**{"year": YEAR, **changes})
    with pytest.raises(SettingsError) as error:
        settings.checked()
    assert str(error.value).startswith(message)


def test_checked_settings_end_the_base_url_with_a_slash_and_keep_the_rest():
    settings = crawl.Settings(
        year="2025-2026",
        base_url="https://Example.org/dir",
        listing_url="https://files.example.org/cbc.pdf",
        raw=Path("r"),
        draft=True,
        ids="1-2",
    ).checked()
    assert settings.base_url == "https://example.org/dir/"
    assert settings.listing_url == "https://files.example.org/cbc.pdf"
    assert (settings.year, settings.raw, settings.draft, settings.ids) == ("2025-2026", Path("r"), True, "1-2")
    assert crawl.Settings(year=YEAR, base_url="https://example.org/dir/").checked().base_url == (
        "https://example.org/dir/"
    )
    assert crawl.Settings(year=YEAR).checked().listing_url is None


# --- discovery ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="credential_info.php?choice=credential&cred_id=12">x</a>', {PageId("credential", 12)}),
        ('<a href="credential_info.php?choice=course&course_id=7&cred_id=-1">x</a>', {PageId("course", 7)}),
        (
            '<a href="credential_info.php?course_id=7&cred_id=8">x</a>',
            {PageId("course", 7), PageId("credential", 8)},
        ),
        ('<a href="https://elsewhere.org/nccte-cms/credential_info.php?cred_id=12">x</a>', set()),
        ('<a href="/other/credential_info.php?cred_id=12">x</a>', set()),
        ('<a href="credential_info.php?cred_id=0">x</a><a href="credential_info.php?cred_id=%C2%B2">y</a>', set()),
        ('<a href="mailto:a@b.org">x</a><a>no href</a>', set()),
        (
            '<select name="cred_id"><option value="-1">C</option><option value="31">a</option></select>',
            {PageId("credential", 31)},
        ),
        (
            '<select id="CourseList"><option value=" 44 ">a</option><option>none</option></select>',
            {PageId("course", 44)},
        ),
        ('<select name="cluster"><option value="5">a</option></select>', set()),
        ('<select><option value="5">a</option></select>', set()),
    ],
)
def test_discover_pages_reads_links_in_the_directory_and_named_selects(html, expected):
    assert crawl.discover_pages(f"<html><body>{html}</body></html>", PAGE, BASE) == expected


def test_discover_pages_of_no_document_is_nothing():
    assert crawl.discover_pages("", PAGE, BASE) == set()
    assert crawl.listing_links("", PAGE, BASE) == ([], [])


def test_listing_links_split_inside_and_outside_the_directory():
    html = (
        '<a href="files/cbc.pdf">Credentials by Course 2024-25</a>'
        '<a href="files/cbc.pdf">again</a><a href="files/Credential_By_Course.pdf">file</a>'
        '<a href="https://dpi.nc.gov/cbc.pdf">Credentials by Course</a>'
        '<a href="javascript:go()">Credentials by course</a>'
        '<a href="files/other.pdf">Other</a><a>Credentials by Course</a>'
    )
    inside, outside = crawl.listing_links(f"<html><body>{html}</body></html>", PAGE, BASE)
    assert inside == [BASE + "files/cbc.pdf", BASE + "files/Credential_By_Course.pdf"]
    assert outside == ["https://dpi.nc.gov/cbc.pdf", "'javascript:go()'"]


@pytest.mark.parametrize(
    ("url", "target", "same"),
    [
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?cred_id=5&choice=credential", True),
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=credential&cred_id=5&x=1", True),
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=credential&cred.id=5", True),
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=credential&cred%20id=5", True),
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=credential&cred_id%5B%5D=5", True),
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=credential&CRED_ID=5", True),
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=credential&cred_id=6", False),
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=credential&cred_id=5&cred_id=6", False),
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=course&cred_id=5", False),
        (PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=credential&cred_id=5&course_id=", False),
        (PAGE + "?cred_id=5", BASE + "future_credential_info.php?cred_id=5", False),
    ],
)
def test_same_page_means_one_script_and_the_same_page_parameters(url, target, same):
    assert crawl.same_page(url, target) is same


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (PAGE + "?choice=credential&cred_id=12", PageId("credential", 12)),
        (PAGE + "?choice=course&course_id=7&cred_id=-1", PageId("course", 7)),
        (PAGE + "?choice=course&course_id=7&cred_id=9", PageId("credential", 9)),
        (PAGE + "?choice=course&course_id=1234567890", None),
        (PAGE, None),
        ("", None),
    ],
)
def test_page_of_names_the_credential_first_then_the_course(url, expected):
    assert crawl.page_of(url) == expected


def test_pages_in_manifest_are_the_pages_its_urls_name():
    manifest = {
        "html/credential_3.html": {"url": PAGE + "?choice=credential&cred_id=3"},
        "html/course_4.html": {"url": PAGE + "?choice=course&course_id=4&cred_id=-1"},
        "pdf/credentials_by_course.pdf": {"url": "https://dpi.nc.gov/cbc.pdf"},
        "odd": {},
    }
    assert crawl.pages_in_manifest(manifest) == {PageId("credential", 3), PageId("course", 4)}


def test_page_id_file_and_url():
    assert PageId("credential", 3).file_name(False) == "html/credential_3.html"
    assert PageId("course", 4).file_name(True) == "html/course_4_draft.html"
    assert PageId("credential", 3).url(BASE, False) == PAGE + "?choice=credential&cred_id=3"
    assert PageId("course", 4).url(BASE, True) == (
        BASE + "future_credential_info.php?choice=course&course_id=4&cred_id=-1&cluster_id=-1"
    )


# --- summary and progress -------------------------------------------------------------------


def test_summary_lines_say_every_count_and_what_is_missing():
    summary = crawl.Summary(written=3, unchanged=2, not_found=1, already_done=4, discovered=9)
    summary.errors = {"u1": "x", "u2": "y"}
    summary.outside_listings = ["https://dpi.nc.gov/cbc.pdf"]
    summary.stopped = "host asks to stop"
    summary.stats.requests, summary.stats.retries, summary.stats.redirects = 12, 1, 2
    summary.stats.statuses.update({200: 10, 304: 2})
    summary.stats.bytes = 12345
    lines = summary.lines(YEAR)
    assert lines[0] == (
        "scrape 2024-2025: 3 written, 2 unchanged (304), 1 not found, 2 failed, 4 already done before a resume; "
        "9 pages discovered"
    )
    assert re.fullmatch(
        r"requests: 12 \(1 retries, 2 redirects followed\), status codes: 200 x10, 304 x2, 12,345 bytes, "
        r"\d+\.\d s",
        lines[1],
    )
    assert lines[2:] == [
        "listing link outside the directory, not fetched: https://dpi.nc.gov/cbc.pdf "
        "(if it is the year's Credentials by Course listing, pass it as --listing-url https://dpi.nc.gov/cbc.pdf)",
        "no Credentials by Course listing for 2024-2025: give --listing-url URL "
        "(course_credentials and the course cross-check stay empty without it)",
        "stopped: host asks to stop",
    ]


def test_summary_lines_with_a_listing_and_no_requests():
    lines = crawl.Summary(listing="pdf/credentials_by_course.pdf").lines(YEAR)
    assert len(lines) == 2
    assert lines[1].startswith("requests: 0 (0 retries, 0 redirects followed), status codes: none, 0 bytes, ")


def test_reporter_says_messages_and_counts_every_few_seconds_and_at_the_end():
    said: list[str] = []
    reporter = crawl.Reporter(said.append, every=3600.0)
    reporter.message("hello")
    reporter.advance(1, 3, 0)  # the first count: never said before
    reporter.advance(2, 3, 1)  # within the hour: quiet
    reporter.advance(3, 3, 1)  # the last: always
    reporter.close()
    assert said == ["hello", "scrape: 1/3 pages, 0 errors", "scrape: 3/3 pages, 1 errors"]
    assert crawl.Reporter(said.append).every == 5.0


def test_now_iso_is_utc_seconds_with_a_z():
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", crawl.now_iso())


def test_contact_comes_from_the_flag_else_the_environment(monkeypatch):
    monkeypatch.setenv("NCCTE_CONTACT", "env@example.org")
    assert crawl.contact_from_environment("me@example.org") == "me@example.org"
    assert crawl.contact_from_environment(None) == "env@example.org"
    monkeypatch.setenv("NCCTE_CONTACT", "")
    assert crawl.contact_from_environment(None) is None
    monkeypatch.delenv("NCCTE_CONTACT")
    assert crawl.contact_from_environment("") is None


# --- the crawl, against a small site on 127.0.0.1 -------------------------------------------

ONE, TWO, COURSE = _page("One"), _page("Two"), _page("Course Nine")


def _site() -> Site:
    # the demo site's start page: the first half of the credentials as links, the rest as <option>s, courses linked
    return Site({("credential", 1): ONE, ("credential", 2): TWO, ("course", 9): COURSE})


def test_crawl_writes_every_page_and_one_manifest_row_each(tmp_path):
    raw, site = tmp_path / "raw", _site()
    said: list[str] = []
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw, contact="me@example.org"), said.append)
        base = server.base_url
    year = raw / YEAR
    assert sorted(p.relative_to(year).as_posix() for p in year.rglob("*") if p.is_file()) == [
        "html/course_9.html",
        "html/credential_1.html",
        "html/credential_2.html",
        "manifest.csv",
    ]
    assert (year / "html/credential_1.html").read_bytes() == ONE
    manifest = _manifest(raw)
    row = manifest["html/credential_2.html"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row.pop("fetched_at"))
    assert row == {
        "path": "html/credential_2.html",
        "url": base + "credential_info.php?choice=credential&cred_id=2",
        "status": "200",
        "content_type": "text/html; charset=UTF-8",
        "sha256": _sha(TWO),
        "etag": _etag(TWO),
        "last_modified": "Wed, 20 Nov 2024 12:00:00 GMT",
        "origin": "mirror",
    }
    assert (
        manifest["html/course_9.html"]["url"]
        == base + "credential_info.php?choice=course&course_id=9&cred_id=-1&cluster_id=-1"
    )
    assert (summary.written, summary.unchanged, summary.not_found, summary.discovered) == (3, 0, 0, 3)
    assert summary.errors == {}
    assert summary.listing is None
    assert said[-1] == "scrape: 3/3 pages, 0 errors"
    assert not any("no --contact" in line for line in said)
    assert summary.stats.requests == len(site.requests)  # the fetcher's own counts: robots.txt, start page, 3 pages
    assert summary.stats.statuses == {200: 5}
    # the course page first, then credentials by id
    paths = [path for path, _ in site.requests if "cred_id=" in path or "course_id=" in path]
    assert paths == [
        "/nccte-cms/credential_info.php?choice=course&course_id=9&cred_id=-1&cluster_id=-1",
        "/nccte-cms/credential_info.php?choice=credential&cred_id=1",
        "/nccte-cms/credential_info.php?choice=credential&cred_id=2",
    ]


def test_a_second_crawl_asks_conditionally_and_keeps_the_unchanged_files(tmp_path):
    raw, site = tmp_path / "raw", _site()
    with SiteServer(site) as server:
        crawl.scrape(_settings(server, raw))
        before = _manifest(raw)
        site.requests.clear()
        time.sleep(1.1)  # fetched_at has seconds: a touched row shows a later time
        said: list[str] = []
        summary = crawl.scrape(_settings(server, raw), said.append)
    assert (summary.written, summary.unchanged, summary.errors) == (0, 3, {})
    headers = dict(site.requests)
    assert headers["/nccte-cms/credential_info.php?choice=credential&cred_id=1"]["if-none-match"] == _etag(ONE)
    assert headers["/nccte-cms/credential_info.php?choice=credential&cred_id=1"]["if-modified-since"] == (
        "Wed, 20 Nov 2024 12:00:00 GMT"
    )
    after = _manifest(raw)
    for path in before:
        assert after[path]["fetched_at"] > before[path]["fetched_at"]
        assert {**after[path], "fetched_at": ""} == {**before[path], "fetched_at": ""}
    assert "no --contact (or NCCTE_CONTACT) given" in said[0]


def test_a_missing_file_is_fetched_again_without_validators(tmp_path):
    raw, site = tmp_path / "raw", _site()
    with SiteServer(site) as server:
        crawl.scrape(_settings(server, raw))
        (raw / YEAR / "html/credential_1.html").unlink()
        site.requests.clear()
        summary = crawl.scrape(_settings(server, raw))
    headers = dict(site.requests)["/nccte-cms/credential_info.php?choice=credential&cred_id=1"]
    assert "if-none-match" not in headers and "if-modified-since" not in headers
    assert (summary.written, summary.unchanged) == (1, 2)
    assert (raw / YEAR / "html/credential_1.html").read_bytes() == ONE


def test_a_manifest_row_without_validators_sends_none(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    (raw / YEAR / "html").mkdir(parents=True)
    (raw / YEAR / "html/credential_1.html").write_bytes(b"old")
    (raw / YEAR / "manifest.csv").write_text(
        "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
        "html/credential_1.html,u,2020-01-01T00:00:00Z,200,text/html,x,,,mirror\n",
        encoding="utf-8",
    )
    with SiteServer(site) as server:
        crawl.scrape(_settings(server, raw))
    headers = dict(site.requests)["/nccte-cms/credential_info.php?choice=credential&cred_id=1"]
    assert "if-none-match" not in headers and "if-modified-since" not in headers
    assert (raw / YEAR / "html/credential_1.html").read_bytes() == ONE


def test_a_304_to_an_unconditional_request_is_that_pages_error(tmp_path):
    raw, site = tmp_path / "raw", _site()
    site.faults[("credential", 2)] = ["304"]
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw))
        url = server.base_url + "credential_info.php?choice=credential&cred_id=2"
    assert summary.errors == {url: "HTTP 304 to a request that asked for no validation; nothing to keep"}
    assert not (raw / YEAR / "html/credential_2.html").exists()
    assert summary.written == 2


@pytest.mark.parametrize(
    ("fault", "cause"),
    [
        ("soft404", "no credential block in the page (soft 404 or error page); existing copy kept"),
        ("wrongyear", "page shows school year 2099-2100, not 2024-2025 (the site moved on?); existing copy kept"),
        ("status:404", "HTTP 404"),
    ],
)
def test_an_error_page_never_replaces_a_good_copy(tmp_path, fault, cause):
    raw, site = tmp_path / "raw", _site()
    with SiteServer(site) as server:
        crawl.scrape(_settings(server, raw))
        before = _manifest(raw)["html/credential_1.html"]
        (raw / YEAR / "html/credential_1.html").unlink()  # unconditional: the fault's body is what comes back
        (raw / YEAR / "html/credential_1.html").write_bytes(b"good copy")
        site.faults[("credential", 1)] = [fault]
        said: list[str] = []
        summary = crawl.scrape(_settings(server, raw), said.append)
        url = server.base_url + "credential_info.php?choice=credential&cred_id=1"
    assert summary.errors == {url: cause}
    assert f"error: {url}: {cause}" in said
    assert (raw / YEAR / "html/credential_1.html").read_bytes() == b"good copy"
    assert _manifest(raw)["html/credential_1.html"] == before


def test_a_page_without_a_year_heading_is_kept():
    page = b"<html><body><h3>N</h3><table><tr><th>Credential Name</th><td>N</td></tr></table></body></html>"
    settings = crawl.Settings(year=YEAR)
    response = type("R", (), {"status": 200, "content": page})()
    assert crawl.Crawl._check(type("C", (), {"settings": settings})(), response) == page.decode()


def test_walked_ids_with_no_credential_are_not_found_not_errors(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    site.faults[("credential", 4)] = ["status:410"]
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw, ids="1-4"))
        base = server.base_url
    # 2 and 3: a soft 404 (no block); 4: 410; 1 is linked from the start page and fetched
    assert (summary.written, summary.not_found, summary.errors) == (1, 3, {})
    assert summary.discovered == 4
    assert sorted(p.name for p in (raw / YEAR / "html").iterdir()) == ["credential_1.html"]
    site2 = Site({("credential", 1): ONE})
    site2.faults[("credential", 1)] = ["soft404"]
    with SiteServer(site2) as server:
        summary = crawl.scrape(_settings(server, tmp_path / "raw2", ids="1"))
    # linked from the start page too: a page the directory names is an error when it has no block
    url = server.base_url + "credential_info.php?choice=credential&cred_id=1"
    assert summary.errors == {url: "no credential block in the page (soft 404 or error page); existing copy kept"}
    assert summary.not_found == 0
    assert base


def test_a_walked_id_answering_a_server_error_is_an_error(tmp_path):
    site = Site({("credential", 1): ONE})
    site.faults[("credential", 3)] = ["status:403"]
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, tmp_path / "raw", ids="3"))
        url = server.base_url + "credential_info.php?choice=credential&cred_id=3"
    assert summary.errors == {url: "HTTP 403"}
    assert summary.not_found == 0


def test_a_failed_start_page_is_an_error_and_the_manifest_pages_are_still_fetched(tmp_path):
    raw, site = tmp_path / "raw", _site()
    with SiteServer(site) as server:
        crawl.scrape(_settings(server, raw))
        site.faults[("start", 0)] = ["status:404"]
        summary = crawl.scrape(_settings(server, raw))
        start = server.base_url + "credential_info.php"
    assert summary.errors == {start: "start page: HTTP 404"}
    assert (summary.unchanged, summary.discovered) == (3, 3)


def test_nothing_fetched_leaves_no_year_folder(tmp_path):
    raw, site = tmp_path / "raw", Site({})
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw))
    assert summary.written == 0
    assert not (raw / YEAR).exists()
    assert raw.exists() is False or list(raw.iterdir()) == []


def test_the_listing_is_stored_with_its_row(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    pdf = b"%PDF-1.4 listing"
    site.files["/files/cbc.pdf"] = (200, pdf, "application/pdf")
    site.files["/files/bad.pdf"] = (200, b"<html>no</html>", "text/html")
    said: list[str] = []
    with SiteServer(site) as server:
        listing = server.origin + "/files/cbc.pdf"
        bad = server.origin + "/files/bad.pdf"
        site.start_extra = f'<a href="{bad}">Credentials by Course</a>'
        summary = crawl.scrape(_settings(server, raw, listing_url=listing), said.append)
    assert (raw / YEAR / "pdf/credentials_by_course.pdf").read_bytes() == pdf
    row = _manifest(raw)["pdf/credentials_by_course.pdf"]
    assert (row["url"], row["status"], row["content_type"], row["sha256"]) == (
        listing,
        "200",
        "application/pdf",
        _sha(pdf),
    )
    assert summary.listing == "pdf/credentials_by_course.pdf"
    assert f"listing: {listing} -> 2024-2025/pdf/credentials_by_course.pdf" in said
    assert summary.errors == {}  # the first listing stored: the start page's link is never fetched
    assert not any(path == "/files/bad.pdf" for path, _ in site.requests)


@pytest.mark.parametrize(
    ("file", "cause"),
    [
        ((200, b"<html>no</html>", "text/html"), "not a PDF (no %PDF- header); existing copy kept"),
        ((404, b"%PDF-", "application/pdf"), "HTTP 404"),
    ],
)
def test_a_listing_that_is_no_pdf_is_an_error_and_the_next_is_tried(tmp_path, file, cause):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    site.files["/nccte-cms/files/first.pdf"] = file
    site.files["/nccte-cms/files/second.pdf"] = (200, b"%PDF-2", "application/pdf")
    site.start_extra = (
        '<a href="files/first.pdf">Credentials by Course</a><a href="files/second.pdf">Credentials by Course</a>'
    )
    said: list[str] = []
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw), said.append)
        first = server.base_url + "files/first.pdf"
    assert summary.errors == {first: f"Credentials by Course listing: {cause}"}
    assert f"error: {first}: Credentials by Course listing: {cause}" in said
    assert (raw / YEAR / "pdf/credentials_by_course.pdf").read_bytes() == b"%PDF-2"


def test_a_listing_on_an_unreachable_host_is_an_error_not_the_end(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw, listing_url="http://127.0.0.2:9/cbc.pdf"))
    assert list(summary.errors) == ["http://127.0.0.2:9/cbc.pdf"]
    cause = summary.errors["http://127.0.0.2:9/cbc.pdf"]
    assert cause.startswith("Credentials by Course listing: not fetched: robots.txt of http://127.0.0.2:9 could not ")
    assert cause.endswith("Connection refused; RFC 9309 says disallow all")
    assert summary.written == 1


def test_a_redirect_to_another_credential_is_an_error_and_the_other_is_fetched(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE, ("credential", 5): TWO})
    with SiteServer(site) as server:
        site.faults[("credential", 1)] = [f"redirect:{server.base_url}credential_info.php?choice=credential&cred_id=6"]
        site.pages[("credential", 6)] = _page("Six")
        # the start page lists 1, 5 and 6 (6 was added): take 6 off by serving only what the start page showed
        summary = crawl.scrape(_settings(server, raw))
        url = server.base_url + "credential_info.php?choice=credential&cred_id=1"
        six = server.base_url + "credential_info.php?choice=credential&cred_id=6"
    assert list(summary.errors) == [url]
    assert summary.errors[url] == (f"redirected to {six}, which names another page; not followed")
    assert sorted(p.name for p in (raw / YEAR / "html").iterdir()) == ["credential_5.html", "credential_6.html"]


def test_a_redirect_target_not_linked_anywhere_is_fetched_under_its_own_id(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    with SiteServer(site) as server:
        site.faults[("credential", 1)] = [f"redirect:{server.base_url}credential_info.php?choice=credential&cred_id=7"]
        summary = crawl.scrape(_settings(server, raw))
        site7 = server.base_url + "credential_info.php?choice=credential&cred_id=7"
    # 7 has no page: the demo site answers a soft 404, which is 7's own error
    assert summary.errors[site7] == "no credential block in the page (soft 404 or error page); existing copy kept"
    assert summary.discovered == 2
    assert any(path.endswith("cred_id=7") for path, _ in site.requests)


def test_a_redirect_outside_the_directory_finds_nothing(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    with SiteServer(site) as server:
        site.faults[("credential", 1)] = [
            "redirect:https://elsewhere.example.org/nccte-cms/credential_info.php?cred_id=8"
        ]
        summary = crawl.scrape(_settings(server, raw))
        url = server.base_url + "credential_info.php?choice=credential&cred_id=1"
    assert summary.errors[url] == (
        "redirected to https://elsewhere.example.org/nccte-cms/credential_info.php?cred_id=8, outside the directory; "
        "not followed"
    )
    assert summary.discovered == 1


def test_a_host_asking_for_a_long_pause_stops_the_crawl_and_keeps_the_state(tmp_path):
    raw, site = tmp_path / "raw", _site()
    site.faults[("credential", 1)] = ["status:503:3600"]
    said: list[str] = []
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw, retries=2, max_retry_after=1.0), said.append)
        base_url = server.base_url
        assert summary.written == 1  # the course page came first
        assert summary.stopped.endswith(
            "; the 1 pages fetched are kept; run the same command after that time to resume"
        )
        assert f"stopped: {summary.stopped}" in said
        state = json.loads((raw / YEAR / ".scrape-state.json").read_text(encoding="utf-8"))
        assert state["done"] == [["course", 9]]
        assert state["pending"] == [["credential", 1], ["credential", 2]]
        assert state["walked"] == []
        assert (state["draft"], state["base_url"]) == (False, base_url)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", state["started_at"])
        # the resume: only the pending pages (no start page), the done one counted, and the state gone at the end
        site.requests.clear()
        summary = crawl.scrape(_settings(server, raw))
    assert [path for path, _ in site.requests if path != "/robots.txt"] == [
        "/nccte-cms/credential_info.php?choice=credential&cred_id=1",
        "/nccte-cms/credential_info.php?choice=credential&cred_id=2",
    ]
    assert (summary.already_done, summary.written, summary.discovered, summary.stopped) == (1, 2, 3, None)
    assert not (raw / YEAR / ".scrape-state.json").exists()
    assert sorted(_manifest(raw)) == ["html/course_9.html", "html/credential_1.html", "html/credential_2.html"]


def test_a_stop_before_anything_came_home_says_so_and_leaves_no_folder(tmp_path):
    raw, site = tmp_path / "raw", _site()
    site.faults[("start", 0)] = ["status:503:3600"]
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw, retries=2, max_retry_after=1.0))
    assert "; nothing was fetched; run the same command after that time to resume" in summary.stopped
    assert summary.written == 0


def test_an_unreachable_host_raises_and_leaves_no_folder(tmp_path):
    raw = tmp_path / "raw"
    settings = crawl.Settings(year=YEAR, base_url="http://127.0.0.2:9/d/", raw=raw, retries=0, timeout=1.0, rate=50.0)
    with pytest.raises(crawl.HostUnreachable):
        crawl.scrape(settings)
    assert not (raw / YEAR).exists()


def test_an_unreachable_host_keeps_a_folder_that_was_there(tmp_path):
    raw = tmp_path / "raw"
    (raw / YEAR).mkdir(parents=True)
    settings = crawl.Settings(year=YEAR, base_url="http://127.0.0.2:9/d/", raw=raw, retries=0, timeout=1.0, rate=50.0)
    with pytest.raises(crawl.HostUnreachable):
        crawl.scrape(settings)
    assert (raw / YEAR).is_dir()


def _state(raw: Path, **fields) -> Path:
    path = raw / YEAR / ".scrape-state.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fields), encoding="utf-8")
    return path


def test_a_corrupt_resume_state_is_said_and_the_crawl_starts_afresh(tmp_path):
    raw, site = tmp_path / "raw", _site()
    path = _state(raw)
    path.write_text("{not json", encoding="utf-8")
    said: list[str] = []
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw), said.append)
    assert f"{path}: resume state is corrupt (JSONDecodeError); starting afresh" in said
    assert (summary.written, summary.already_done) == (3, 0)
    assert not path.exists()


@pytest.mark.parametrize(
    ("state", "error"),
    [
        ({"draft": False, "done": [["credential", "x"]], "pending": []}, "ValueError"),
        ({"draft": False, "done": [], "pending": [["credential"]]}, "ValueError"),
        ({"draft": False, "done": [], "pending": 5}, "TypeError"),
        ({"draft": False, "done": []}, "KeyError"),
        ([], "AttributeError"),
    ],
)
def test_a_resume_state_of_the_wrong_shape_is_corrupt(tmp_path, state, error):
    raw, site = tmp_path / "raw", _site()
    path = raw / YEAR / ".scrape-state.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(state), encoding="utf-8")
    said: list[str] = []
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw), said.append)
    assert f"{path}: resume state is corrupt ({error}); starting afresh" in said
    assert summary.written == 3


@pytest.mark.parametrize("other", [{"draft": True}, {"base_url": "https://elsewhere.example.org/nccte-cms/"}])
def test_a_resume_state_of_another_crawl_is_not_resumed(tmp_path, other):
    raw, site = tmp_path / "raw", _site()
    with SiteServer(site) as server:
        state = {"draft": False, "base_url": server.base_url, "done": [["course", 9]], "pending": [], "walked": []}
        _state(raw, **{**state, **other})
        summary = crawl.scrape(_settings(server, raw))
    assert (summary.already_done, summary.written) == (0, 3)


def test_a_resume_keeps_the_walked_ids_not_found(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    with SiteServer(site) as server:
        state = {
            "draft": False,
            "base_url": server.base_url,
            "done": [],
            "pending": [["credential", 1], ["credential", 6]],
            "walked": [["credential", 6]],
        }
        _state(raw, **state)
        summary = crawl.scrape(_settings(server, raw, ids="6"))
    assert (summary.written, summary.not_found, summary.errors) == (1, 1, {})
    assert not any(path == "/nccte-cms/credential_info.php" for path, _ in site.requests)  # no start page


def test_the_state_after_each_page_lists_the_walked_ids_still_pending(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    site.faults[("credential", 3)] = ["status:503:3600"]
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw, ids="2-4", retries=1, max_retry_after=1.0))
    assert summary.stopped
    state = json.loads((raw / YEAR / ".scrape-state.json").read_text(encoding="utf-8"))
    assert state["done"] == [["credential", 1], ["credential", 2]]
    assert state["pending"] == [["credential", 3], ["credential", 4]]
    assert state["walked"] == [["credential", 3], ["credential", 4]]
    assert summary.not_found == 1


def test_a_draft_crawl_fetches_the_draft_script_into_draft_files(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw, draft=True))
        url = server.base_url + "future_credential_info.php?choice=credential&cred_id=1"
    assert summary.written == 1
    assert _manifest(raw)["html/credential_1_draft.html"]["url"] == url
    assert site.requests[1][0] == "/nccte-cms/future_credential_info.php"


def test_an_unchanged_page_still_gives_its_links(tmp_path):
    raw = tmp_path / "raw"
    three = _page("Three")
    site = Site({("credential", 1): _page("One", extra='<a href="credential_info.php?cred_id=3">3</a>')})
    site.files["/nccte-cms/credential_info.php?choice=credential&cred_id=3"] = (200, three, "text/html")
    with SiteServer(site) as server:
        first = crawl.scrape(_settings(server, raw))
        assert (first.written, first.discovered) == (2, 2)  # 3 is found in page 1's relative link
        manifest = (raw / YEAR / "manifest.csv").read_text(encoding="utf-8").splitlines()
        (raw / YEAR / "manifest.csv").write_text(
            "\n".join(line for line in manifest if "credential_3" not in line) + "\n", encoding="utf-8"
        )
        site.requests.clear()
        summary = crawl.scrape(_settings(server, raw))
    assert (summary.unchanged, summary.written, summary.discovered) == (1, 1, 2)
    assert site.requests[-1][0] == "/nccte-cms/credential_info.php?choice=credential&cred_id=3"


def test_a_listing_link_outside_the_directory_is_reported_not_fetched(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    site.start_extra = '<a href="http://127.0.0.2:9/cbc.pdf">Credentials by Course</a>'
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw))
    assert summary.outside_listings == ["http://127.0.0.2:9/cbc.pdf"]
    assert summary.errors == {}
    assert summary.listing is None


def test_the_bar_reporter_shows_done_of_total_and_errors(capsys):
    bar = crawl.BarReporter()
    assert (bar.bar.total, bar.bar.n, bar.bar.unit) == (0, 0, "page")
    assert callable(bar.bar.dynamic_ncols)  # tqdm's width follows the terminal's
    bar.advance(2, 5, 1)
    assert (bar.bar.n, bar.bar.total) == (2, 5)
    assert bar.bar.postfix == "1 errors"
    bar.advance(4, 6, 3)
    assert (bar.bar.n, bar.bar.total, bar.bar.postfix) == (4, 6, "3 errors")
    bar.message("a message above the bar")
    bar.close()
    assert "a message above the bar" in capsys.readouterr().out


def test_scrape_takes_a_reporter_as_it_is(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})

    class Closing(crawl.Reporter):
        closed = False

        def close(self) -> None:
            self.closed = True

    said: list[str] = []
    reporter = Closing(said.append, every=0.0)
    with SiteServer(site) as server:
        crawl.scrape(_settings(server, raw), reporter)
    assert reporter.closed
    assert said[-1] == "scrape: 1/1 pages, 0 errors"


# --- what a page's declared charset, a bad page and a failing disk do ------------------------


def _utf7_page(name: str, link_to: int | None = None) -> bytes:
    """A page whose markup reads only in its declared charset (UTF-7: `<` is `+ADw-`, `>` is `+AD4-`)."""
    link = f'<a href="credential_info.php?choice=credential&cred_id={link_to}">x</a>' if link_to else ""
    body = f"<h3>{name}</h3><table><tr><th>Credential Name</th><td>{name}</td></tr></table>{link}"
    hidden = body.replace("<", "+ADw-").replace(">", "+AD4-")
    return (
        f'<html><head><meta charset="utf-7"></head><body><h2>{YEAR} Credential Information</h2>{hidden}</body></html>'
    ).encode("ascii")


def test_a_page_is_read_in_the_charset_it_declares(tmp_path):
    """The block, the links and a walked id's page are all read in the page's own charset (decode's is_html)."""
    raw = tmp_path / "raw"
    one, four, three = _utf7_page("One", link_to=3), _utf7_page("Four"), _page("Three")
    site = Site({("credential", 1): one})
    site.files["/nccte-cms/credential_info.php?choice=credential&cred_id=3"] = (200, three, "text/html")
    site.files["/nccte-cms/credential_info.php?choice=credential&cred_id=4"] = (200, four, "text/html")
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw, ids="4"))
        assert (summary.written, summary.not_found, summary.errors) == (3, 0, {})
        assert (raw / YEAR / "html/credential_4.html").read_bytes() == four
        # again, with page 1 unchanged (304) and 3 no longer in the manifest: 3 is found in the stored page 1
        lines = (raw / YEAR / "manifest.csv").read_text(encoding="utf-8").splitlines()
        (raw / YEAR / "manifest.csv").write_text(
            "\n".join(line for line in lines if "credential_3" not in line) + "\n", encoding="utf-8"
        )
        site.requests.clear()
        summary = crawl.scrape(_settings(server, raw))
    assert (summary.unchanged, summary.written) == (1, 2)
    assert any(path.endswith("cred_id=3") for path, _ in site.requests)


@pytest.mark.parametrize("status", [404, 410])
def test_a_walked_id_answering_404_or_410_is_not_found(tmp_path, status):
    site = Site({("credential", 1): ONE})
    site.faults[("credential", 8)] = [f"status:{status}"]
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, tmp_path / "raw", ids="8"))
    assert (summary.not_found, summary.errors, summary.written) == (1, {}, 1)


def test_a_walked_id_whose_page_does_not_decode_is_an_error_not_missing(tmp_path):
    site = Site({("credential", 1): ONE})
    site.files["/nccte-cms/credential_info.php?choice=credential&cred_id=5"] = (
        200,
        b"\xef\xbb\xbf\xff\xfe",
        "text/html",
    )
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, tmp_path / "raw", ids="5"))
        url = server.base_url + "credential_info.php?choice=credential&cred_id=5"
    assert summary.errors == {url: "undecodable bytes for utf-8 at byte 0"}
    assert summary.not_found == 0


def test_an_unexpected_failure_is_that_pages_error_named_by_its_type(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    (raw / YEAR).mkdir(parents=True)
    (raw / YEAR / "html").write_bytes(b"a file where the html folder goes")
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw))
        url = server.base_url + "credential_info.php?choice=credential&cred_id=1"
    assert list(summary.errors) == [url]
    assert re.match(r"(NotADirectoryError|FileExistsError): \[Errno \d+\] ", summary.errors[url])


def test_a_stored_row_without_headers_has_empty_columns_and_the_live_origin(tmp_path):
    """CONTRACT 3: etag, last_modified (and a missing content type) empty; `live` from the directory's own host."""
    settings = crawl.Settings(year=YEAR, raw=tmp_path / "raw")  # the default base URL: the directory's own
    fetcher = type("F", (), {"stats": crawl.Stats()})()
    store = crawl.Crawl(settings, fetcher, crawl.Reporter(lambda message: None))
    store._store("html/credential_5.html", PAGE + "?cred_id=5", b"abc", 200, crawl.httpx.Headers({}))
    row = _manifest(tmp_path / "raw")["html/credential_5.html"]
    row.pop("fetched_at")
    assert row == {
        "path": "html/credential_5.html",
        "url": PAGE + "?cred_id=5",
        "status": "200",
        "content_type": "",
        "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "etag": "",
        "last_modified": "",
        "origin": "live",
    }
    assert store.manifest["html/credential_5.html"]["etag"] == ""
    assert store.manifest["html/credential_5.html"]["content_type"] == ""
    assert store.manifest["html/credential_5.html"]["last_modified"] == ""


def test_a_page_parameter_with_brackets_is_the_name_before_the_first_bracket():
    assert crawl.same_page(PAGE + "?choice=credential&cred_id=5", PAGE + "?choice=credential&cred_id%5Ba%5D%5B%5D=5")


def test_summary_lines_say_the_seconds_since_the_start():
    summary = crawl.Summary()
    summary.stats.started = time.monotonic() - 100.0
    assert re.search(r", 0 bytes, 10\d\.\d s$", summary.lines(YEAR)[1])


def test_a_stop_after_unchanged_pages_only_keeps_the_resume_state(tmp_path):
    raw, site = tmp_path / "raw", _site()
    with SiteServer(site) as server:
        crawl.scrape(_settings(server, raw))
        site.faults[("credential", 1)] = ["status:503:3600"]
        summary = crawl.scrape(_settings(server, raw, retries=1, max_retry_after=1.0))
    assert (summary.written, summary.unchanged) == (0, 1)
    assert summary.stopped.endswith("; nothing was fetched; run the same command after that time to resume")
    text = (raw / YEAR / ".scrape-state.json").read_text(encoding="utf-8")
    assert text.startswith('{\n "started_at": "')  # one space a level
    assert '\n "done": [\n  [\n   "course",\n   9\n  ]\n ],\n "pending": [\n  [\n   "credential",\n   1\n  ],' in text


def test_a_listing_that_redirects_is_an_error_and_not_followed(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    with SiteServer(site) as server:
        listing = server.origin + "/files/cbc.pdf"
        other = server.origin + "/files/other.pdf"
        site.files["/files/cbc.pdf"] = (302, b"", "text/html", {"Location": other})
        site.files["/files/other.pdf"] = (200, b"%PDF-1.4", "application/pdf")
        summary = crawl.scrape(_settings(server, raw, listing_url=listing))
    assert list(summary.errors) == [listing]
    assert summary.errors[listing] == (
        f"Credentials by Course listing: redirected to {other}, not the listing's own URL "
        "(pass it as --listing-url if it is); not followed"
    )
    assert not (raw / YEAR / "pdf").exists()
    assert not any(path == "/files/other.pdf" for path, _ in site.requests)


def test_a_count_is_said_when_exactly_every_seconds_passed(monkeypatch):
    clock = iter([100.0, 100.0, 104.0, 105.0, 105.0])
    monkeypatch.setattr(crawl.time, "monotonic", lambda: next(clock))
    said: list[str] = []
    reporter = crawl.Reporter(said.append, every=5.0)
    reporter.advance(1, 9, 0)  # 100 s since 0: said, the last count at 100
    reporter.advance(2, 9, 0)  # 4 s later: quiet
    reporter.advance(3, 9, 0)  # 5 s later: said
    assert said == ["scrape: 1/9 pages, 0 errors", "scrape: 3/9 pages, 0 errors"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<link rel="next" href="credential_info.php?cred_id=4"><area href="credential_info.php?cred_id=5">', set()),
        ('<datalist id="cred_ids"><option value="5"></option></datalist>', set()),
        (
            '<select name="cred_id" value="7"><optgroup label="a" value="8">'
            '<option value="9">a</option></optgroup></select>',
            {PageId("credential", 9)},
        ),
    ],
)
def test_only_links_and_the_options_of_a_select_name_pages(html, expected):
    assert crawl.discover_pages(f"<html><head></head><body>{html}</body></html>", PAGE, BASE) == expected


def test_a_listing_is_named_by_its_links_own_file_name_not_its_folder():
    html = (
        '<link rel="alternate" href="files/credentials_by_course.pdf">'
        '<a href="credentials_by_course/index.html">Home</a><a href="javascript:x">x</a>'
        '<a href="files/Credentials by Course 2024-25.pdf">Download</a>'
    )
    inside, outside = crawl.listing_links(f"<html><head></head><body>{html}</body></html>", PAGE, BASE)
    assert inside == [BASE + "files/Credentials%20by%20Course%202024-25.pdf"]
    assert outside == []


def test_a_credential_id_too_long_leaves_the_course():
    assert crawl.page_of(PAGE + "?choice=course&course_id=7&cred_id=1234567890") == PageId("course", 7)


def test_a_redirect_to_the_same_page_is_followed(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    with SiteServer(site) as server:
        site.faults[("credential", 1)] = [
            f"redirect:{server.base_url}credential_info.php?cred_id=1&choice=credential&x=1"
        ]
        summary = crawl.scrape(_settings(server, raw))
    assert (summary.written, summary.errors, summary.stats.redirects) == (1, {}, 1)
    assert (raw / YEAR / "html/credential_1.html").read_bytes() == ONE


# --- written for the survivors of the run to the end (messages, the queue's order, a resume, Ctrl-C) ----------


@pytest.mark.parametrize("url", ["https://x.org/a/?q=1", "https://x.org/a/#top"])
def test_a_base_url_with_a_query_or_fragment_is_refused_saying_why(url):
    with pytest.raises(SettingsError) as error:
        crawl.Settings(year=YEAR, base_url=url).checked()
    assert str(error.value) == (
        f"--base-url must be an http(s) URL with a host, not {url!r} (a folder URL has no ?query or #fragment)"
    )


def test_scrape_without_a_contact_says_how_to_give_one_and_says_the_fetchers_retries(tmp_path):
    """The first message names NCCTE_CONTACT; the fetcher's own messages (a retry) reach the same callback."""
    site = Site({("credential", 1): ONE})
    site.faults[("credential", 1)] = ["status:503"]
    said: list[str] = []
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, tmp_path / "raw", retries=1), said.append)
        url = server.base_url + "credential_info.php?choice=credential&cred_id=1"
    assert said[0] == (
        "no --contact (or NCCTE_CONTACT) given: the User-Agent names the project's URL only; give an email so the "
        "site's staff can reach you"
    )
    assert f"retrying {url} in 0 s (HTTP 503)" in said
    assert (summary.written, summary.errors) == (1, {})


def test_a_resume_state_that_cannot_be_read_is_raised_as_it_is(tmp_path):
    """A state path that is a folder is no corrupt state (which starts afresh): the OS error reaches the caller."""
    raw = tmp_path / "raw"
    (raw / YEAR / ".scrape-state.json").mkdir(parents=True)
    settings = crawl.Settings(year=YEAR, base_url="http://127.0.0.2:9/d/", raw=raw, retries=0, timeout=1.0)
    with pytest.raises(IsADirectoryError):
        crawl.scrape(settings)
    assert (raw / YEAR / ".scrape-state.json").is_dir()


@pytest.fixture
def kathmandu_clock(monkeypatch):
    """The local clock at UTC+05:45 (POSIX TZ names it with the sign reversed)."""
    monkeypatch.setenv("TZ", "NPT-05:45")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_now_iso_is_utc_whatever_the_local_zone(kathmandu_clock):
    assert time.localtime().tm_gmtoff == 5 * 3600 + 45 * 60
    before = time.time()
    stamp = crawl.now_iso()
    after = time.time()
    seconds = calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))
    assert int(before) - 1 <= seconds <= after + 1


def _start_page(links: str) -> bytes:
    return f"<html><body><h2>Credential Information</h2>{links}</body></html>".encode()


def test_the_start_page_is_read_in_the_charset_it_declares(tmp_path):
    """A UTF-7 start page: its links (`+ADw-a href=...+AD4-`) are links only when read as UTF-7."""
    link = '<a href="credential_info.php?choice=credential&cred_id=4">Four</a>'
    start = (
        '<html><head><meta charset="utf-7"></head><body><h2>Credential Information</h2>'
        + link.replace("<", "+ADw-").replace(">", "+AD4-")
        + "</body></html>"
    ).encode("ascii")
    site = Site({})
    site.files["/nccte-cms/credential_info.php"] = (200, start, "text/html")
    site.files["/nccte-cms/credential_info.php?choice=credential&cred_id=4"] = (200, _page("Four"), "text/html")
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, tmp_path / "raw"))
    assert (summary.written, summary.discovered, summary.errors) == (1, 1, {})
    assert (tmp_path / "raw" / YEAR / "html/credential_4.html").read_bytes() == _page("Four")


def test_a_start_page_that_does_not_decode_is_an_error_named_for_it(tmp_path):
    site = Site({})
    site.files["/nccte-cms/credential_info.php"] = (200, b"\xef\xbb\xbf\xff\xfe", "text/html")
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, tmp_path / "raw"))
        start = server.base_url + "credential_info.php"
    assert summary.errors == {start: "start page: undecodable bytes for utf-8 at byte 0"}


def test_a_resume_never_fetches_a_page_done_before_it(tmp_path):
    """done [credential 1], pending [credential 2], and 2 links to 1: only 2 is fetched."""
    raw = tmp_path / "raw"
    two = _page("Two", extra='<a href="credential_info.php?choice=credential&cred_id=1">One</a>')
    site = Site({("credential", 1): ONE, ("credential", 2): two})
    with SiteServer(site) as server:
        _state(
            raw,
            started_at="2024-11-20T12:00:00Z",
            draft=False,
            base_url=server.base_url,
            done=[["credential", 1]],
            pending=[["credential", 2]],
            walked=[],
        )
        summary = crawl.scrape(_settings(server, raw))
    assert [path for path, _ in site.requests if path != "/robots.txt"] == [
        "/nccte-cms/credential_info.php?choice=credential&cred_id=2"
    ]
    assert (summary.already_done, summary.written, summary.discovered) == (1, 1, 2)


def test_pages_found_on_one_page_are_queued_courses_first_then_by_id(tmp_path):
    links = "".join(
        f'<a href="credential_info.php?{query}">x</a>'
        for query in (
            "choice=credential&cred_id=30",
            "choice=course&course_id=8&cred_id=-1",
            "choice=credential&cred_id=10",
            "choice=course&course_id=4&cred_id=-1",
            "choice=credential&cred_id=20",
            "choice=course&course_id=6&cred_id=-1",
        )
    )
    site = Site({("credential", 1): _page("One", extra=links)})  # the six pages are not served: soft 404s
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, tmp_path / "raw"))
    assert [path for path, _ in site.requests if path != "/robots.txt"] == [
        "/nccte-cms/credential_info.php",
        "/nccte-cms/credential_info.php?choice=credential&cred_id=1",
        "/nccte-cms/credential_info.php?choice=course&course_id=4&cred_id=-1&cluster_id=-1",
        "/nccte-cms/credential_info.php?choice=course&course_id=6&cred_id=-1&cluster_id=-1",
        "/nccte-cms/credential_info.php?choice=course&course_id=8&cred_id=-1&cluster_id=-1",
        "/nccte-cms/credential_info.php?choice=credential&cred_id=10",
        "/nccte-cms/credential_info.php?choice=credential&cred_id=20",
        "/nccte-cms/credential_info.php?choice=credential&cred_id=30",
    ]
    assert (summary.written, len(summary.errors), summary.discovered) == (1, 6, 7)


def test_a_page_linked_twice_is_fetched_once_and_the_progress_counts_it_once(tmp_path):
    """1 and 2 (the start page's) both link to 3: done/total after each page is 1/3, 2/3, 3/3."""
    link = '<a href="credential_info.php?choice=credential&cred_id=3">Three</a>'
    site = Site({("credential", 1): _page("One", extra=link), ("credential", 2): _page("Two", extra=link)})
    site.files["/nccte-cms/credential_info.php?choice=credential&cred_id=3"] = (200, _page("Three"), "text/html")
    said: list[str] = []
    with SiteServer(site) as server:
        reporter = crawl.Reporter(said.append, every=0.0)
        summary = crawl.scrape(_settings(server, tmp_path / "raw", contact="me@example.org"), reporter)
    assert said == ["scrape: 1/3 pages, 0 errors", "scrape: 2/3 pages, 0 errors", "scrape: 3/3 pages, 0 errors"]
    assert [path for path, _ in site.requests].count("/nccte-cms/credential_info.php?choice=credential&cred_id=3") == 1
    assert (summary.written, summary.discovered) == (3, 3)


def test_a_listing_host_unreachable_on_a_resume_is_the_listings_error(tmp_path):
    """On a resume the listing is the first request: its host refusing the connection is HostUnreachable, which
    is the listing's error, not the end of the crawl."""
    raw = tmp_path / "raw"
    site = Site({("credential", 1): ONE})
    with SiteServer(site) as server:
        _state(raw, draft=False, base_url=server.base_url, done=[], pending=[["credential", 1]], walked=[])
        summary = crawl.scrape(_settings(server, raw, listing_url="http://127.0.0.2:9/cbc.pdf"))
    assert list(summary.errors) == ["http://127.0.0.2:9/cbc.pdf"]
    cause = summary.errors["http://127.0.0.2:9/cbc.pdf"]
    assert cause.startswith("Credentials by Course listing: cannot reach 127.0.0.2:9: ConnectError: ")
    assert cause.endswith("Connection refused")
    assert summary.written == 1


class _FolderAppears(crawl.Reporter):
    """The year folder made by another process while the crawl runs (here when a page's error is said), and a
    Ctrl-C at the error message or at the progress count after it (the resume state saved in between)."""

    def __init__(self, year_dir: Path, interrupt_at: str | None) -> None:
        super().__init__(lambda message: None, every=0.0)
        self.year_dir, self.interrupt_at = year_dir, interrupt_at

    def message(self, text: str) -> None:
        if text.startswith("error: "):
            self.year_dir.mkdir(parents=True, exist_ok=True)
            if self.interrupt_at == "message":
                raise KeyboardInterrupt

    def advance(self, done: int, total: int, errors: int) -> None:
        if self.interrupt_at == "advance":
            assert [p.name for p in self.year_dir.iterdir()] == [".scrape-state.json"]
            raise KeyboardInterrupt


def test_a_crawl_that_brought_nothing_home_leaves_no_year_folder_even_one_made_meanwhile(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    site.faults[("credential", 1)] = ["soft404"]
    with SiteServer(site) as server:
        summary = crawl.scrape(_settings(server, raw), _FolderAppears(raw / YEAR, None))
    assert (summary.written, len(summary.errors)) == (0, 1)
    assert list(raw.iterdir()) == []


@pytest.mark.parametrize("interrupt_at", ["message", "advance"])
def test_a_crawl_interrupted_before_anything_came_home_leaves_no_year_folder(tmp_path, interrupt_at):
    """Ctrl-C: the empty folder, or the one holding only the resume state, is removed and the interrupt raised."""
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE})
    site.faults[("credential", 1)] = ["soft404"]
    with SiteServer(site) as server, pytest.raises(KeyboardInterrupt):
        crawl.scrape(_settings(server, raw), _FolderAppears(raw / YEAR, interrupt_at))
    assert list(raw.iterdir()) == []


def test_a_crawl_interrupted_keeps_a_year_folder_with_a_page_in_it(tmp_path):
    raw, site = tmp_path / "raw", Site({("credential", 1): ONE, ("credential", 2): TWO})
    site.faults[("credential", 2)] = ["soft404"]
    with SiteServer(site) as server, pytest.raises(KeyboardInterrupt):
        crawl.scrape(_settings(server, raw), _FolderAppears(raw / YEAR, "message"))
    assert sorted(p.name for p in (raw / YEAR).iterdir()) == [".scrape-state.json", "html", "manifest.csv"]
