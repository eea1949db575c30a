"""Containment (issue 18): no page chooses a host, no server stalls the crawl, every URL is checked as requested.

Real servers on 127.0.0.1 and 127.0.0.2 (tools/demo_site.py); each test names the attack, and asserts
what the other hosts saw (nothing), what was kept (the good copy) and what the user is told. Expected
URLs and messages are written by hand.
"""

from __future__ import annotations

import base64
import gzip
import re
import socket
import threading
import time
import zlib
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from pipeline import cli
from pipeline import site as directory
from pipeline.fetch import crawl as scrape
from pipeline.fetch import http
from pipeline.fetch.settings import DEFAULTS
from tests.conftest import REPO
from tests.deadline import fails_after
from tools.demo_site import ROBOTS, START, Site, SiteServer

YEAR = "2024-2025"
LISTING = (REPO / "raw" / "2023-2024" / "pdf" / "credentials_by_course.pdf").read_bytes()
LISTING_FILE = Path("pdf/credentials_by_course.pdf")


@pytest.fixture
def site() -> Site:
    return Site.from_raw(REPO / "raw", YEAR)


@pytest.fixture
def other() -> Site:
    """A second host that must see no request unless a test says so."""
    other = Site({("credential", 1118): b"<html><body>the other host's page</body></html>"})
    other.files["/files/Credentials_by_Course.pdf"] = (200, LISTING, "application/pdf")
    other.files["/admin/x"] = (200, b"<html><body>admin</body></html>", "text/html")
    return other


def _settings(server: SiteServer, raw: Path, **changes) -> scrape.Settings:
    options = dict(
        year=YEAR,
        base_url=server.base_url,
        raw=raw,
        rate=500.0,
        timeout=2.0,
        retries=1,
        backoff=0.01,
        contact="staff@example.org",
    )
    options.update(changes)
    return scrape.Settings(**options)


def _url(server: SiteServer, cred_id: int) -> str:
    return f"{server.base_url}credential_info.php?choice=credential&cred_id={cred_id}"


def _stored(raw: Path, name: str) -> bytes:
    return (raw / YEAR / "html" / name).read_bytes()


def _paths(site: Site) -> list[str]:
    return [path for path, _ in site.requests]


def _outside_prefix(site: Site) -> list[str]:
    return [path for path in _paths(site) if not path.startswith("/nccte-cms/") and path != "/robots.txt"]


def _closed_port(host: str = "127.0.0.2") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


# --- 1. a page never chooses a host: the listing ------------------------------------------------------------


def test_a_listing_link_to_another_host_is_reported_and_never_fetched(tmp_path, site, other, capsys):
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(other, host="127.0.0.2") as elsewhere:
        link = f"{elsewhere.origin}/files/Credentials_by_Course.pdf"
        site.start_extra = f'<p><a href="{link}">Download</a></p>'
        code = cli.main(["scrape", "--year", YEAR, "--base-url", server.base_url, "--raw", str(raw), "--rate", "500"])
    out = capsys.readouterr().out.splitlines()
    assert other.requests == []  # not the file, not even its robots.txt
    assert (
        f"listing link outside the directory, not fetched: {link} "
        f"(if it is the year's Credentials by Course listing, pass it as --listing-url {link})"
    ) in out
    assert code == 0 and not (raw / YEAR / LISTING_FILE).exists()


@pytest.mark.parametrize(
    "href",
    [
        "{other}/files/Credentials_by_Course.pdf",  # another host
        "//127.0.0.2:{other_port}/files/Credentials_by_Course.pdf",  # scheme-relative
        "{origin_other_port}/nccte-cms/Credentials_by_Course.pdf",  # same host, another port
        "https://127.0.0.1:{port}/nccte-cms/Credentials_by_Course.pdf",  # same host and port, another scheme
        "/admin/credentials-by-course.pdf",  # same host, outside the directory
        "/nccte-cms/../admin/credentials-by-course.pdf",  # dot segments
        "/nccte-cms/%2e%2e/admin/credentials-by-course.pdf",  # encoded dot segments
        "/nccte-cms/%2E%2E/admin/credentials-by-course.pdf",
        "/nccte-cms/..%2Fadmin/credentials-by-course.pdf",  # an encoded slash: servers differ
        "/nccte-cms/..;/admin/credentials-by-course.pdf",  # a path parameter on `..` (Tomcat)
        "\\\\127.0.0.2:{other_port}\\files\\Credentials_by_Course.pdf",  # backslashes: a browser's `//host/`
        "http://127.0.0.1:{port}@127.0.0.2:{other_port}/files/Credentials_by_Course.pdf",  # userinfo
        "http://staff@127.0.0.1:{port}/nccte-cms/Credentials_by_Course.pdf",  # userinfo on the right host
    ],
)
def test_no_listing_link_outside_the_directory_is_fetched(tmp_path, site, other, href):
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(other, host="127.0.0.2") as elsewhere:
        port, other_port = server.server.server_address[1], elsewhere.server.server_address[1]
        site.start_extra = '<a href="{}">Credentials by Course</a>'.format(
            href.format(
                other=elsewhere.origin,
                other_port=other_port,
                port=port,
                origin_other_port=f"http://127.0.0.1:{_closed_port('127.0.0.1')}",
            )
        )
        summary = scrape.scrape(_settings(server, raw))
    assert other.requests == []
    assert _outside_prefix(site) == []
    assert len(summary.outside_listings) == 1
    assert summary.errors == {}


def test_a_listing_link_inside_the_directory_is_fetched_after_normalising(tmp_path, site):
    site.files["/nccte-cms/docs/Credentials_by_Course.pdf"] = (200, LISTING, "application/pdf")
    site.start_extra = '<a href="HTTP://127.0.0.1:{port}/nccte-cms/files/./../docs/Credentials%5Fby%5FCourse.pdf">x</a>'
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        site.start_extra = site.start_extra.format(port=server.server.server_address[1])
        summary = scrape.scrape(_settings(server, raw))
    assert summary.listing == "pdf/credentials_by_course.pdf" and summary.outside_listings == []
    assert (raw / YEAR / LISTING_FILE).read_bytes() == LISTING
    assert "/nccte-cms/docs/Credentials_by_Course.pdf" in _paths(site)


# --- 5. one normaliser before every check: redirects -----------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [
        "/nccte-cms/../admin/x",
        "/nccte-cms/%2e%2e/admin/x",
        "/nccte-cms/%2E%2E/admin/x",
        "/nccte-cms/.%2e/admin/x",
        "/nccte-cms/%2e./admin/x",
        "/nccte-cms/..%2Fadmin/x",
        "/nccte-cms/..%5Cadmin/x",
        "/nccte-cms/..;/admin/x",
        "/nccte-cms\\..\\admin\\x",
        "//127.0.0.2:{other_port}/admin/x",
        "\\\\127.0.0.2:{other_port}/admin/x",
        "http://127.0.0.1:{port}@127.0.0.2:{other_port}/admin/x",
        "http://127.0.0.2:{other_port}/admin/x",
        "ftp://127.0.0.1:{port}/nccte-cms/x",
    ],
)
def test_a_redirect_that_leaves_the_directory_is_refused_however_it_is_spelled(tmp_path, site, other, location):
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(other, host="127.0.0.2") as elsewhere:
        scrape.scrape(_settings(server, raw))
        good = _stored(raw, "credential_1117.html")
        ports = dict(port=server.server.server_address[1], other_port=elsewhere.server.server_address[1])
        site.faults[("credential", 1117)] = ["redirect:" + location.format(**ports)]
        site.requests.clear()
        summary = scrape.scrape(_settings(server, raw))
    assert list(summary.errors) == [_url(server, 1117)]
    assert summary.errors[_url(server, 1117)].startswith("redirected to ")
    assert summary.errors[_url(server, 1117)].endswith("not followed")
    assert other.requests == [] and _outside_prefix(site) == []
    assert _stored(raw, "credential_1117.html") == good


@pytest.mark.parametrize(
    "location",
    [
        "HTTP://127.0.0.1:{port}/nccte-cms/./credential_info.php?choice=credential&cred_id=1117&x=1",
        "/nccte-cms/private/../credential_info.php?choice=credential&cred_id=1117&x=2",
        "/nccte-cms/%63redential_info.php?choice=credential&cred_id=1117&x=3",
    ],
)
def test_a_redirect_inside_the_directory_is_followed_after_normalising(tmp_path, site, location):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        site.faults[("credential", 1117)] = ["redirect:" + location.format(port=server.server.server_address[1])]
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {} and summary.stats.redirects == 1
    assert _stored(raw, "credential_1117.html") == site.pages[("credential", 1117)]
    assert not any("/private" in path or "%63" in path or "/./" in path for path in _paths(site))


@pytest.mark.parametrize(
    "location",
    [
        "credential_info.php?choice=credential&cred_id=1118&via=hop",
        "credential_info.php?choice=credential&cred_id=1118&%76ia=hop",
        "credential_info.php?choice=credential&cred_id=1118&v%69a=h%6Fp",
        "/nccte-cms/x/../credential_info.php?choice=credential&cred_id=1118&via=hop",
        "HTTP://127.0.0.1:{port}/nccte-cms/./credential_info.php?choice=credential&cred_id=1118&via=hop",
    ],
)
def test_robots_is_asked_about_the_normalised_url_of_every_hop(tmp_path, site, location):
    site.robots = "User-agent: *\nDisallow: /*via=hop\n"
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        site.faults[("credential", 1118)] = ["redirect:" + location.format(port=server.server.server_address[1])]
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {_url(server, 1118): "disallowed by robots.txt"}
    assert not any("hop" in path or "%6" in path or "%7" in path for path in _paths(site))


# --- 7. a redirect to another page is not stored under the first id --------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "credential_info.php?choice=credential&cred_id=1118",  # another credential
        "credential_info.php?choice=credential&cred_id=1117&cred_id=1118",  # PHP reads the last one
        "credential_info.php?choice=credential&cred_id=1117&cred.id=1118",  # PHP reads `cred.id` as cred_id
        "future_credential_info.php?choice=credential&cred_id=1117",  # the draft of it
        "credential_info.php?choice=course&course_id=62&cred_id=-1&cluster_id=-1",  # a course
    ],
)
def test_a_redirect_to_another_page_is_not_stored_under_the_first_id(tmp_path, site, target):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, raw))
        good = _stored(raw, "credential_1117.html")
        site.faults[("credential", 1117)] = [f"redirect:{server.base_url}{target}"]
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors[_url(server, 1117)] == (
        f"redirected to {server.base_url}{target}, which names another page; not followed"
    )
    assert _stored(raw, "credential_1117.html") == good
    assert _stored(raw, "credential_1118.html") == site.pages[("credential", 1118)]


def test_a_credential_that_redirects_to_another_is_an_error_and_the_other_is_fetched_under_its_own_id(tmp_path, site):
    page = site.pages[("credential", 1117)]
    site.start_page = lambda: b'<a href="credential_info.php?choice=credential&amp;cred_id=5">only link</a>'
    site.faults[("credential", 5)] = ["redirect:credential_info.php?choice=credential&cred_id=1117"]
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {
        _url(server, 5): f"redirected to {_url(server, 1117)}, which names another page; not followed"
    }
    assert sorted(p.name for p in (raw / YEAR / "html").iterdir()) == ["credential_1117.html"]
    assert _stored(raw, "credential_1117.html") == page


# --- 6. a body that ends early is an error; the good copy stays -------------------------------------------


@pytest.mark.parametrize(
    "fault, cause",
    [
        ("truncate", "peer closed connection without sending complete message body"),
        ("gzip-truncated", "the gzip body ends early"),
        ("chunked-truncated", "incomplete chunked read"),
    ],
)
def test_a_body_that_ends_early_is_an_error_and_the_good_copy_stays(tmp_path, site, capsys, fault, cause):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, raw))
        good = _stored(raw, "credential_1118.html")
        site.pages[("credential", 1118)] = site.pages[("credential", 1118)].replace(b"5 years", b"6 years")
        site.faults[("credential", 1118)] = [fault] * 3
        args = ["scrape", "--year", YEAR, "--base-url", server.base_url, "--raw", str(raw), "--rate", "500"]
        code = cli.main([*args, "--retries", "1", "--timeout", "2"])
    errors = [line for line in capsys.readouterr().out.splitlines() if line.startswith("error: ")]
    assert code == 1
    assert len(errors) == 1 and errors[0].startswith(f"error: {_url(server, 1118)}: ") and cause in errors[0]
    assert _stored(raw, "credential_1118.html") == good


# --- 2. --timeout bounds the headers too ----------------------------------------------------------------


@pytest.mark.parametrize("key", [("credential", 1118), START])
def test_timeout_bounds_a_server_dripping_its_headers(tmp_path, site, key):
    site.faults[key] = ["dripheaders"] * 5
    site.drip_interval = 0.2  # 250 header bytes: 50 s a response
    raw = tmp_path / "raw"
    started = time.monotonic()
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, timeout=1.0, retries=1))
    assert time.monotonic() - started < 30  # two attempts of about 1 s, not 100 s
    url = _url(server, 1118) if key != START else server.base_url + "credential_info.php"
    assert "whole response took over 1 s (--timeout)" in summary.errors[url]


def test_timeout_bounds_robots_txt_dripping_its_headers_on_the_host_it_redirects_to(tmp_path, site, other):
    other.faults[ROBOTS] = ["dripheaders"] * 5
    other.drip_interval = 0.2
    raw = tmp_path / "raw"
    started = time.monotonic()
    with SiteServer(site) as server, SiteServer(other, host="127.0.0.2") as elsewhere:
        site.files["/robots.txt"] = (302, b"", "text/plain", {"Location": f"{elsewhere.origin}/robots.txt"})
        summary = scrape.scrape(_settings(server, raw, timeout=1.0, retries=1))
    assert time.monotonic() - started < 30
    assert summary.errors and all("RFC 9309 says disallow all" in cause for cause in summary.errors.values())
    assert not any("_id=" in path for path in _paths(site))


# --- 3. a host that asks us to stop -------------------------------------------------------------------------


def _resume_time(line: str) -> datetime:
    found = re.search(r"until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", line)
    assert found, line
    return datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


@pytest.mark.parametrize("key", [("credential", 1220), START])
def test_a_host_asking_for_a_days_pause_ends_the_crawl_at_once_and_says_when_to_resume(tmp_path, site, capsys, key):
    site.faults[key] = ["status:503:86400"]
    raw = tmp_path / "raw"
    started = time.monotonic()
    with SiteServer(site) as server:
        args = ["scrape", "--year", YEAR, "--base-url", server.base_url, "--raw", str(raw), "--rate", "500"]
        code = cli.main(args)
        asked = len(site.requests)
    out = capsys.readouterr().out.splitlines()
    assert time.monotonic() - started < 60
    stop = [line for line in out if line.startswith("stopped: ")]
    assert len(stop) == 1 and "Retry-After: 86400" in stop[0] and "run the same command" in stop[0]
    assert abs(_resume_time(stop[0]) - (datetime.now(UTC) + timedelta(days=1))) < timedelta(minutes=5)
    assert code == 1  # pages not fetched: the crawl did not finish
    assert _paths(site)[-1].endswith("cred_id=1220" if key != START else "credential_info.php")  # nothing after
    assert asked == len(site.requests)
    if key != START:  # what came home before stays
        kept = sorted(p.name for p in (raw / YEAR / "html").iterdir())
        assert kept and "credential_1220.html" not in kept
        assert all(_stored(raw, name) == site.pages[("credential", int(name[11:-5]))] for name in kept)


def test_a_resumed_crawl_starts_at_the_page_the_host_refused(tmp_path, site):
    site.faults[("credential", 1220)] = ["status:429:99999"]
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        first = scrape.scrape(_settings(server, raw))
        site.requests.clear()
        second = scrape.scrape(_settings(server, raw))
    assert first.stopped and second.stopped is None and second.errors == {}
    asked = [path for path in _paths(site) if "_id=" in path]
    assert asked[0].endswith("cred_id=1220") and second.already_done == first.written
    assert not (raw / YEAR / scrape.STATE_NAME).exists()


def test_robots_txt_asking_for_a_days_pause_ends_the_crawl_before_any_page(tmp_path, site):
    when = (datetime.now(UTC) + timedelta(days=2)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    site.files["/robots.txt"] = (503, b"busy", "text/plain", {"Retry-After": when})
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert _paths(site) == ["/robots.txt"]
    assert summary.stopped and abs(_resume_time(summary.stopped) - (datetime.now(UTC) + timedelta(days=2))) < timedelta(
        minutes=5
    )
    assert not (raw / YEAR).exists()


@pytest.mark.parametrize(
    "value",
    ["nan", "inf", "-inf", "-5", "garbage", "1e400", "", "3.5", "Wed, 21 Oct 2015 07:28:00 -0000", "Mon, 99 Foo 2099"],
)
@pytest.mark.parametrize("where", ["robots", "start", "page"])
def test_an_odd_retry_after_never_crashes_the_scrape(tmp_path, site, value, where):
    raw = tmp_path / "raw"
    if where == "robots":
        site.files["/robots.txt"] = (503, b"", "text/plain", {"Retry-After": value})
    else:
        site.faults[START if where == "start" else ("credential", 1118)] = [f"status:503:{value}"]
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, retries=1))
    assert summary.stopped is None
    if where == "robots":  # 503 twice: unreachable, RFC 9309 says disallow all
        assert summary.errors and all("RFC 9309" in cause for cause in summary.errors.values())
    else:  # retried at once (backoff), then it came home
        assert summary.errors == {}


def test_a_retry_after_beyond_any_date_stops_the_crawl_and_says_so(tmp_path, site):
    site.faults[("credential", 1118)] = ["status:503:" + "9" * 40]
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert summary.stopped and "Retry-After: " + "9" * 40 in summary.stopped


def test_a_host_that_keeps_asking_for_short_pauses_stops_once_its_pauses_add_up(tmp_path, site):
    """Each Retry-After is short (1 s, obeyed), but a host answering every page that way would hold the run
    for hours: once its pauses in this run pass `max_host_wait`, its crawl stops, said, and what came home stays."""
    pages = sorted(key for key in site.pages if key[0] == "credential")
    first = pages[0]
    for key in pages[1:4]:  # three pages are enough to pass a 2.5 s budget (a slip that drops it fails in ~12 s)
        site.faults[key] = ["status:429:1"] * 10
    raw = tmp_path / "raw"
    started = time.monotonic()
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, retries=4, max_host_wait=2.5))
    assert time.monotonic() - started < 60
    assert summary.stopped and "retry pauses adding up to over 2.5 s" in summary.stopped, summary.stopped
    assert "HTTP 429" in summary.stopped
    asked = [path for path in _paths(site) if "_id=" in path]
    assert len(asked) <= 5  # the first page, then 1 s pauses on the second until the budget is spent
    assert _stored(raw, f"credential_{first[1]}.html") == site.pages[first]


def test_retry_pauses_within_the_budget_are_waited_and_the_page_comes_home(tmp_path, site):
    key = sorted(key for key in site.pages if key[0] == "credential")[0]
    site.faults[key] = ["status:429:1", "status:503:1"]
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, retries=4, max_host_wait=2.5))
    assert summary.stopped is None and summary.errors == {}
    assert _stored(raw, f"credential_{key[1]}.html") == site.pages[key]


@pytest.mark.parametrize("delay", ["86400", "61", "9" * 30])
def test_a_crawl_delay_beyond_the_bound_ends_the_crawl_and_is_said(tmp_path, site, delay):
    site.robots = f"User-agent: *\nCrawl-delay: {delay}\n"
    raw = tmp_path / "raw"
    started = time.monotonic()
    with SiteServer(site) as server, fails_after(60):  # a crawl that keeps the pace waits a day: fail, not hang
        summary = scrape.scrape(_settings(server, raw))
    assert time.monotonic() - started < 60
    assert summary.stopped and "Crawl-delay" in summary.stopped and "beyond the 60 s" in summary.stopped
    assert len([path for path in _paths(site) if "_id=" in path]) <= 1


@pytest.mark.parametrize("delay", ["nan", "inf", "1e400", "-3", "soon"])
def test_a_meaningless_crawl_delay_is_ignored(tmp_path, site, delay):
    site.robots = f"User-agent: *\nCrawl-delay: {delay}\n"
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {} and summary.stopped is None


def test_the_listing_hosts_crawl_delay_does_not_slow_the_directory(tmp_path, site, other):
    other.robots = "User-agent: *\nCrawl-delay: 50\n"
    site.pages = dict(list(site.pages.items())[:4])
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(other, host="127.0.0.2") as elsewhere:
        listing = f"{elsewhere.origin}/files/Credentials_by_Course.pdf"
        started = time.monotonic()
        summary = scrape.scrape(_settings(server, raw, listing_url=listing))
    assert time.monotonic() - started < 30
    assert summary.errors == {} and summary.listing == "pdf/credentials_by_course.pdf"


def test_the_directory_asking_to_stop_on_its_listing_is_not_asked_again(tmp_path, site):
    site.files["/nccte-cms/Credentials_by_Course.pdf"] = (503, b"", "text/plain", {"Retry-After": "86400"})
    site.start_extra = '<a href="Credentials_by_Course.pdf">listing</a>'
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert _paths(site)[-1] == "/nccte-cms/Credentials_by_Course.pdf"  # no page after it
    assert summary.stopped and "Retry-After: 86400" in summary.stopped
    assert "Retry-After: 86400" in summary.errors[f"{server.base_url}Credentials_by_Course.pdf"]


def test_a_listing_host_asking_to_stop_is_that_urls_error_and_the_directory_is_crawled(tmp_path, site, other):
    other.files["/files/Credentials_by_Course.pdf"] = (503, b"", "text/plain", {"Retry-After": "86400"})
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(other, host="127.0.0.2") as elsewhere:
        listing = f"{elsewhere.origin}/files/Credentials_by_Course.pdf"
        summary = scrape.scrape(_settings(server, raw, listing_url=listing))
    assert list(summary.errors) == [listing] and "Retry-After: 86400" in summary.errors[listing]
    assert summary.stopped is None
    assert all(_stored(raw, f"{kind}_{id_}.html") == body for (kind, id_), body in site.pages.items())


# --- 4. robots.txt per RFC 9309 ------------------------------------------------------------------------------

DISALLOW_1118 = "User-agent: *\nDisallow: /*cred_id=1118\n"


def _blocked(summary: scrape.Summary) -> set[str]:
    return {url.rsplit("=", 1)[1] for url, cause in summary.errors.items() if cause == "disallowed by robots.txt"}


def test_robots_txt_with_a_byte_order_mark_is_obeyed(tmp_path, site):
    site.files["/robots.txt"] = (200, b"\xef\xbb\xbf" + DISALLOW_1118.encode(), "text/plain")
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert _blocked(summary) == {"1118"}
    assert not any(path.endswith("cred_id=1118") for path in _paths(site))


@pytest.mark.parametrize("hops", [1, 5])
def test_a_redirected_robots_txt_is_followed_up_to_five_hops_on_the_same_host(tmp_path, site, hops):
    chain = ["/robots.txt"] + [f"/r{hop}/robots.txt" for hop in range(1, hops + 1)]
    for here, there in zip(chain, chain[1:], strict=False):
        site.files[here] = (301, b"", "text/plain", {"Location": there})
    site.files[chain[-1]] = (200, DISALLOW_1118.encode(), "text/plain")
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert _blocked(summary) == {"1118"}


def test_a_robots_txt_redirected_to_another_host_is_read_there_and_only_robots_is_asked(tmp_path, site, other):
    other.files["/robots.txt"] = (200, DISALLOW_1118.encode(), "text/plain")
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(other, host="127.0.0.2") as elsewhere:
        site.files["/robots.txt"] = (302, b"", "text/plain", {"Location": f"{elsewhere.origin}/robots.txt"})
        summary = scrape.scrape(_settings(server, raw))
    assert _blocked(summary) == {"1118"}
    assert _paths(other) == ["/robots.txt"]


def test_more_than_five_robots_redirects_is_unavailable_and_allows_all(tmp_path, site):
    chain = ["/robots.txt"] + [f"/r{hop}/robots.txt" for hop in range(1, 8)]
    for here, there in zip(chain, chain[1:], strict=False):
        site.files[here] = (301, b"", "text/plain", {"Location": there})
    site.files[chain[-1]] = (200, b"User-agent: *\nDisallow: /\n", "text/plain")
    raw = tmp_path / "raw"
    said = []
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw), progress=said.append)
    assert summary.errors == {}
    assert "/r5/robots.txt" in _paths(site) and "/r6/robots.txt" not in _paths(site)  # five redirects, not six
    assert f"robots.txt of {server.origin}: more than 5 redirects; RFC 9309 calls it unavailable: allow all" in said


@pytest.mark.parametrize(
    "status, allowed", [(401, True), (403, True), (404, True), (410, True), (500, False), (501, False), (505, False)]
)
def test_robots_txt_4xx_allows_all_and_5xx_disallows_all(tmp_path, site, status, allowed):
    site.files["/robots.txt"] = (status, b"User-agent: *\nDisallow: /\n", "text/plain")
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert (summary.errors == {}) is allowed
    assert any("_id=" in path for path in _paths(site)) is allowed


def test_a_robots_redirect_to_an_unreachable_host_disallows_all(tmp_path, site):
    site.files["/robots.txt"] = (302, b"", "text/plain", {"Location": f"http://127.0.0.2:{_closed_port()}/robots.txt"})
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors and all("RFC 9309 says disallow all" in cause for cause in summary.errors.values())
    assert not any("_id=" in path for path in _paths(site))


# --- 8. arguments: one line, never "internal error" ---------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--timeout", "inf"], "--timeout must be a finite number above 0 (seconds), not inf"),
        (["--timeout", "nan"], "--timeout must be a finite number above 0 (seconds), not nan"),
        (["--timeout", "1e309"], "--timeout must be a finite number above 0 (seconds), not inf"),
        (["--rate", "inf"], "--rate must be a finite number above 0 (requests per second), not inf"),
        (["--rate", "nan"], "--rate must be a finite number above 0 (requests per second), not nan"),
        (["--base-url", "http://[::1"], "--base-url must be an http(s) URL with a host, not 'http://[::1' ("),
        (
            ["--base-url", "http://h:99999/nccte-cms/"],
            "--base-url must be an http(s) URL with a host, not 'http://h:99999/nccte-cms/' (",
        ),
        (
            ["--base-url", "http://u:p@h/nccte-cms/"],
            "--base-url must be an http(s) URL with a host, not 'http://u:p@h/nccte-cms/' (",
        ),
        (
            ["--base-url", "https://h/nccte-cms/?x=1"],
            "--base-url must be an http(s) URL with a host, not 'https://h/nccte-cms/?x=1' (",
        ),
        (["--listing-url", "http://[::1"], "--listing-url must be an http(s) URL with a host, not 'http://[::1' ("),
        (["--contact", "José@dpi.nc.gov"], "--contact (or $NCCTE_CONTACT) must be printable ASCII"),
        (["--contact", "me@x.org\r\nX-Injected: 1"], "--contact (or $NCCTE_CONTACT) must be printable ASCII"),
        (["--contact", "me@x.org) (evil"], "--contact (or $NCCTE_CONTACT) must be printable ASCII"),
        (["--year", "2024-2025\n"], "--year must look like 2024-2025, not '2024-2025\\n'"),
        (["--year", "２０２４-２０２５"], "--year must look like 2024-2025"),
        (["--ids", "１-３"], "--ids must look like 1-3000"),
    ],
)
def test_a_bad_argument_is_a_one_line_usage_error(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.delenv(scrape.CONTACT_VARIABLE, raising=False)
    raw = tmp_path / "raw"
    base = ["scrape", "--raw", str(raw), "--base-url", "http://127.0.0.1:9/nccte-cms/"]
    usage = cli.main([*base, "--year", YEAR, "--rate", "0"])  # a usage error everyone agrees on
    capsys.readouterr()
    year = [] if "--year" in args else ["--year", YEAR]
    code = cli.main([*base, *year, *args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == usage
    assert len(err) == 1 and err[0].startswith(f"error: {message}") and "internal error" not in err[0]
    assert not raw.exists()


def test_a_non_ascii_contact_from_the_environment_is_a_usage_error_naming_the_variable(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(scrape.CONTACT_VARIABLE, "Zoë <zoe@dpi.nc.gov>")
    code = cli.main(["scrape", "--year", YEAR, "--raw", str(tmp_path / "raw"), "--base-url", "http://127.0.0.1:9/x/"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1
    assert err[0].startswith(f"error: --contact (or ${scrape.CONTACT_VARIABLE}) must be printable ASCII")


# --- an office proxy, from the environment ------------------------------------------------------------------


class _Proxy(ThreadingHTTPServer):
    """A forwarding HTTP proxy on 127.0.0.2: it records each absolute-form request and its Proxy-Authorization."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args) -> None:
                pass

            def do_GET(self) -> None:
                proxy.seen.append((self.path, self.headers.get("Proxy-Authorization")))
                target = urlsplit(self.path)
                upstream = HTTPConnection(target.hostname, target.port, timeout=10)
                headers = {k: v for k, v in self.headers.items() if not k.lower().startswith("proxy-")}
                upstream.request("GET", target.path + (f"?{target.query}" if target.query else ""), headers=headers)
                answer = upstream.getresponse()
                body = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "keep-alive", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                upstream.close()

        super().__init__(("127.0.0.2", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.2:{self.server_address[1]}"


def test_the_scrape_goes_through_the_proxy_the_environment_names_with_its_credentials(tmp_path, site, monkeypatch):
    proxy = _Proxy()
    monkeypatch.setenv("HTTP_PROXY", proxy.url.replace("http://", "http://data-staff:p%40ss@"))
    raw = tmp_path / "raw"
    try:
        with SiteServer(site) as server:
            summary = scrape.scrape(_settings(server, raw))
    finally:
        proxy.shutdown()
    assert summary.errors == {} and summary.written
    paths = [path for path, _ in proxy.seen]
    assert paths[0] == f"{server.base_url.split('/nccte-cms')[0]}/robots.txt"
    assert len([path for path in paths if "cred_id=1118" in path]) == 1
    assert {auth for _, auth in proxy.seen} == {"Basic " + base64.b64encode(b"data-staff:p@ss").decode()}
    assert _stored(raw, "credential_1118.html") == site.pages[("credential", 1118)]


def test_a_host_named_in_no_proxy_is_reached_directly(tmp_path, site, monkeypatch):
    proxy = _Proxy()
    monkeypatch.setenv("http_proxy", proxy.url)
    monkeypatch.setenv("no_proxy", "example.org,127.0.0.1")
    try:
        with SiteServer(site) as server:
            summary = scrape.scrape(_settings(server, tmp_path / "raw"))
    finally:
        proxy.shutdown()
    assert summary.errors == {} and summary.written and proxy.seen == []


def test_a_proxy_that_does_not_answer_is_named_in_the_one_line_error_without_its_password(
    tmp_path, site, monkeypatch, capsys
):
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.2", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("http_proxy", f"http://data-staff:secret@127.0.0.2:{port}")
    with SiteServer(site) as server:
        code = cli.main(["scrape", "--year", YEAR, "--base-url", server.base_url, "--raw", str(tmp_path / "raw")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and site.requests == []
    assert err[-1].startswith(f"error: cannot reach 127.0.0.1:{server.server.server_address[1]} through the proxy ")
    assert f"127.0.0.2:{port}" in err[-1] and "secret" not in err[-1]


@pytest.mark.parametrize("proxy", ["::garbage::", "http://proxy.example:port/", "socks5://127.0.0.2:1080"])
def test_a_proxy_variable_that_is_no_http_url_is_a_usage_error_naming_it(tmp_path, site, monkeypatch, capsys, proxy):
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    with SiteServer(site) as server:
        code = cli.main(["scrape", "--year", YEAR, "--base-url", server.base_url, "--raw", str(tmp_path / "raw")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 3 and site.requests == [] and not (tmp_path / "raw").exists()
    assert err[-1] == f"error: the environment's proxy ({proxy!r} in http_proxy or https_proxy) is no http:// URL"


# --- 9. the HTTP defaults, declared once --------------------------------------------------------------------


def test_the_command_line_and_the_library_share_one_set_of_http_defaults():
    parsed = cli._parser().parse_args(["scrape", "--year", YEAR])
    settings = scrape.Settings(year=YEAR)
    for name in ("rate", "timeout", "retries"):
        assert getattr(parsed, name) == getattr(DEFAULTS, name) == getattr(settings, name), name
    assert parsed.base_url == settings.base_url == directory.DEFAULT_BASE_URL == "https://center.ncsu.edu/nccte-cms/"
    assert (DEFAULTS.rate, DEFAULTS.timeout, DEFAULTS.retries, DEFAULTS.max_retry_after) == (1.0, 30.0, 4, 120.0)


# --- the pieces, by hand -------------------------------------------------------------------------------------

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value, seconds",
    [
        ("120", 120.0),
        ("0120", 120.0),
        ("0", 0.0),
        (" 7 ", 7.0),
        ("Thu, 02 Jan 2025 12:00:00 GMT", 86400.0),
        ("Thu, 02 Jan 2025 12:00:00 -0000", 86400.0),  # a naive date: GMT, as every HTTP date
        ("Tue, 31 Dec 2024 12:00:00 GMT", 0.0),  # past
        ("9" * 5000, float(http.LONGEST_PAUSE)),  # more digits than int() takes
        ("nan", None),
        ("inf", None),
        ("-5", None),
        ("1e3", None),
        ("3.5", None),
        ("soon", None),
        ("", None),
        (None, None),
        ("Mon, 99 Foo 2099 99:99:99 GMT", None),
    ],
)
def test_retry_after_is_delay_seconds_or_an_http_date_and_nothing_else(value, seconds):
    assert http.retry_after_seconds(value, NOW) == seconds


def test_a_name_lookup_that_hangs_is_under_the_deadline_too(monkeypatch):
    """getaddrinfo takes no timeout; a resolver that does not answer must not hold the request past --timeout.
    (The hang is planted in the resolver call: no real DNS server can be made to hang here.)"""
    lookup = socket.getaddrinfo

    def slow(host, *args, **kwargs):
        if host == "slow-dns.example":
            time.sleep(20)
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    fetcher = http.Fetcher(scrape.Settings(year=YEAR, timeout=1.0, retries=0))
    started = time.monotonic()
    try:
        with pytest.raises(http.FetchError, match=r"took over 1 s \(--timeout\)"):
            fetcher.get("http://slow-dns.example/robots.txt")
    finally:
        fetcher.close()
    assert time.monotonic() - started < 10


def test_a_name_that_does_not_exist_is_an_unreachable_host_said_in_one_line(monkeypatch):
    def unknown(host, *args, **kwargs):  # the resolver's answer, planted: no DNS server is asked from a test
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    fetcher = http.Fetcher(scrape.Settings(year=YEAR, timeout=5.0, retries=0))
    try:
        with pytest.raises(http.HostUnreachable, match=r"^cannot reach no-such-host\.invalid: ConnectError: "):
            fetcher.get("http://no-such-host.invalid/robots.txt")
    finally:
        fetcher.close()


def test_the_backoff_never_waits_longer_than_the_retry_after_cap():
    fetcher = http.Fetcher(scrape.Settings(year=YEAR, backoff=2.0, retries=60))
    try:
        assert max(fetcher._backoff(attempt) for attempt in range(60)) <= 120.0
        assert fetcher._backoff(0) <= 3.0  # the first retry is still quick: 2 s, jittered
    finally:
        fetcher.close()


PAGE = b"<html><body>" + b"credential " * 500 + b"</body></html>"


@pytest.mark.parametrize(
    "body, coding",
    [
        (gzip.compress(PAGE), "gzip"),
        (gzip.compress(PAGE), "x-gzip"),
        (zlib.compress(PAGE), "deflate"),
        (zlib.compress(PAGE)[2:-4], "deflate"),  # raw deflate, as some servers send it
        (gzip.compress(zlib.compress(PAGE)), "deflate, gzip"),  # applied in order, undone in reverse
        (PAGE, "identity"),
        (PAGE, ""),
    ],
)
def test_a_whole_body_is_decoded(body, coding):
    assert http.decode_body(body, coding, 10_000) == PAGE


@pytest.mark.parametrize(
    "body, coding, error, message",
    [
        (gzip.compress(PAGE)[:-20], "gzip", httpx.RemoteProtocolError, "the gzip body ends early"),
        (zlib.compress(PAGE)[:-30], "deflate", httpx.RemoteProtocolError, "the deflate body ends early"),
        (b"\x1f\x8b\x08\x00garbage, not gzip" * 4, "gzip", http.FetchError, "bad response: DecodingError: gzip body"),
        (PAGE, "br", http.FetchError, "Content-Encoding 'br' was not asked for"),
        (gzip.compress(b"0" * 20_000), "gzip", http.FetchError, "response too large: over 10000 bytes"),
    ],
)
def test_a_body_that_does_not_decode_whole_is_an_error(body, coding, error, message):
    with pytest.raises(error, match=re.escape(message)):
        http.decode_body(body, coding, 10_000)
