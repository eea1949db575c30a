"""The scraper against misbehaving servers (issue 11): real HTTP servers on 127.0.0.1 and 127.0.0.2.

Each test asserts that the crawl finishes, that every good page is saved byte
for byte, that no other host is contacted, and the exit code or error named.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.fetch import crawl as scrape
from tests.conftest import REPO
from tools.demo_site import Site, SiteServer

YEAR = "2024-2025"
LISTING = (REPO / "raw" / "2023-2024" / "pdf" / "credentials_by_course.pdf").read_bytes()


@pytest.fixture
def site() -> Site:
    return Site.from_raw(REPO / "raw", YEAR)


def _settings(server: SiteServer, raw: Path, **changes) -> scrape.Settings:
    options = dict(
        year=YEAR,
        base_url=server.base_url,
        raw=raw,
        rate=200.0,
        timeout=2.0,
        retries=2,
        backoff=0.01,
        contact="staff@example.org",
    )
    options.update(changes)
    return scrape.Settings(**options)


def _stored(raw: Path, name: str) -> bytes:
    return (raw / YEAR / "html" / name).read_bytes()


def _every_good_page_saved(raw: Path, site: Site, but: set = frozenset()) -> None:
    for (kind, id_), body in site.pages.items():
        if (kind, id_) not in but:
            assert _stored(raw, f"{kind}_{id_}.html") == body, (kind, id_)


def _scrape_cli(server: SiteServer, raw: Path, *extra: str) -> int:
    """`scrape` through the command line, fast, against the local site."""
    return cli.main(
        ["scrape", "--year", YEAR, "--base-url", server.base_url, "--raw", str(raw), "--rate", "500", *extra]
    )


def _url(server: SiteServer, cred_id: int) -> str:
    return f"{server.base_url}credential_info.php?choice=credential&cred_id={cred_id}"


# --- redirects ------------------------------------------------------------------------------


def test_a_redirect_to_another_host_is_not_followed_and_the_good_copy_stays(tmp_path, site):
    other = Site({("credential", 1117): b"<html><body>another host's page</body></html>"})
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(other, host="127.0.0.2") as elsewhere:
        scrape.scrape(_settings(server, raw))
        good = _stored(raw, "credential_1117.html")
        target = f"{elsewhere.base_url}credential_info.php?choice=credential&cred_id=1117"
        site.faults[("credential", 1117)] = [f"redirect:{target}"]
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {_url(server, 1117): f"redirected to {target}, outside the directory; not followed"}
    assert _stored(raw, "credential_1117.html") == good
    assert other.requests == []


def test_a_redirect_inside_the_directory_is_followed(tmp_path, site):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        site.faults[("credential", 1117)] = [f"redirect:{_url(server, 1117)}&via=redirect"]
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {} and summary.stats.redirects == 1
    _every_good_page_saved(raw, site)


def test_a_redirect_loop_is_one_page_error_and_every_hop_waits_for_the_rate(tmp_path, site):
    site.faults[("credential", 1118)] = ["loop"]
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, rate=20.0))
    assert summary.errors == {_url(server, 1118): f"more than 5 redirects (a loop?); gave up at {_url(server, 1118)}"}
    hops = [when for (path, _), when in zip(site.requests, site.times, strict=False) if path.endswith("cred_id=1118")]
    assert len(hops) == 6
    assert hops[-1] - hops[0] >= 5 / 20 * 0.9  # 5 intervals of 1/20 s, not 21 requests in 20 ms
    _every_good_page_saved(raw, site, but={("credential", 1118)})


def test_redirect_hops_obey_robots_txt(tmp_path, site):
    site.robots = "User-agent: *\nDisallow: /*private\n"
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        site.faults[("credential", 1118)] = [f"redirect:{_url(server, 1118)}&private=1"]
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {_url(server, 1118): "disallowed by robots.txt"}
    assert not any("private" in path for path, _ in site.requests)


# --- one page's errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault, cause",
    [
        ("brokengzip", "bad response: DecodingError"),
        ("304", "HTTP 304 to a request that asked for no validation; nothing to keep"),
    ],
)
def test_a_broken_response_is_that_pages_error(tmp_path, site, fault, cause):
    site.faults[("credential", 1118)] = [fault]
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert list(summary.errors) == [_url(server, 1118)]
    assert summary.errors[_url(server, 1118)].startswith(cause)
    _every_good_page_saved(raw, site, but={("credential", 1118)})


def test_odd_ids_in_links_are_not_pages(tmp_path, site):
    site.start_extra = (
        '<a href="credential_info.php?choice=credential&amp;cred_id=%C2%B2">superscript two</a>'
        '<a href="credential_info.php?choice=credential&amp;cred_id=' + "9" * 30 + '">30 digits</a>'
        '<select name="cred_id"><option value="\u00b3">3</option><option value="-5">-</option></select>'
    )
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {}
    assert not any("%C2%B2" in path or "9" * 30 in path for path, _ in site.requests)
    _every_good_page_saved(raw, site)


def test_timeout_bounds_the_whole_response_of_a_dripping_server(tmp_path, site):
    site.faults[("credential", 1118)] = ["drip"] * 10
    site.drip_interval = 0.2
    raw = tmp_path / "raw"
    started = time.monotonic()
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, timeout=1.0, retries=1))
    assert time.monotonic() - started < 10  # 2 attempts of at most ~1 s each, not the 20 s of the page
    assert "whole response took over 1 s (--timeout)" in summary.errors[_url(server, 1118)]
    _every_good_page_saved(raw, site, but={("credential", 1118)})


# --- robots.txt (RFC 9309) --------------------------------------------------------------------


@pytest.mark.parametrize(
    "robots, blocked",
    [
        ("User-agent: *\nDisallow: /nccte-cms/\nAllow: /nccte-cms/credential_info.php\n", set()),  # longest match
        ("User-agent: *\nDisallow: /*cred_id=1118$\n", {1118}),  # `*` and `$`
        ("User-agent: *\nDisallow: /*cred_id=111\n", "ids starting 111"),  # a prefix
    ],
)
def test_robots_txt_longest_match_and_wildcards(tmp_path, site, robots, blocked):
    site.robots = robots
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    if blocked == "ids starting 111":
        blocked = {id_ for _, id_ in site.pages if str(id_).startswith("111")}
        assert blocked and not any("cred_id=111" in path for path, _ in site.requests)
    assert {int(url.rsplit("=", 1)[1]) for url in summary.errors} == blocked
    assert set(summary.errors.values()) <= {"disallowed by robots.txt"}


def test_crawl_delay_slower_than_the_rate_is_honoured(tmp_path, site):
    site.robots = "User-agent: *\nCrawl-delay: 0.3\n"
    site.pages = dict(list(site.pages.items())[:3])
    raw = tmp_path / "raw"
    said = []
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, raw, rate=100.0), progress=said.append)
    gaps = [b - a for a, b in zip(site.times[1:], site.times[2:], strict=False)]
    assert min(gaps) >= 0.3 * 0.9
    assert any("Crawl-delay of 0.3 s: honoured" in line for line in said)


# --- arguments --------------------------------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "scrape", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "2024-2026"], "--year 2024-2026: the second year must follow the first (2024-2025)"),
        (["--year", YEAR, "--rate", "0"], "--rate must be a finite number above 0 (requests per second), not 0"),
        (["--year", YEAR, "--rate", "-1"], "--rate must be a finite number above 0 (requests per second), not -1"),
        (["--year", YEAR, "--retries", "-1"], "--retries must be 0 or more, not -1"),
        (["--year", YEAR, "--timeout", "0"], "--timeout must be a finite number above 0 (seconds), not 0"),
        (
            ["--year", YEAR, "--base-url", "center.ncsu.edu/nccte-cms"],
            "--base-url must be an http(s) URL with a host, not 'center.ncsu.edu/nccte-cms'",
        ),
        (["--year", YEAR, "--ids", "1-" + "9" * 30], "--ids must look like 1-3000 (at most 9 digits)"),
    ],
)
def test_bad_arguments_fail_at_once_and_leave_no_year_folder(tmp_path, args, message):
    started = time.monotonic()
    done = _cli(*args, "--raw", "raw", cwd=tmp_path)
    assert done.returncode == 3
    assert done.stderr.strip().splitlines()[-1].startswith(f"error: {message}")
    assert time.monotonic() - started < 10
    assert not (tmp_path / "raw").exists()


def test_an_unreachable_host_fails_fast_and_plainly(tmp_path):
    started = time.monotonic()
    done = _cli("--year", YEAR, "--raw", "raw", "--base-url", "http://127.0.0.1:9/nccte-cms/", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("error: cannot reach 127.0.0.1:9: ConnectError")
    assert "robots" not in done.stderr
    assert time.monotonic() - started < 10
    assert not (tmp_path / "raw").exists()


def test_a_corrupt_resume_state_is_reported_and_the_crawl_starts_fresh(tmp_path, site):
    raw = tmp_path / "raw"
    (raw / YEAR).mkdir(parents=True)
    (raw / YEAR / scrape.STATE_NAME).write_text('{"done": [["credential", "not a number"]')
    said = []
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw), progress=said.append)
    assert summary.errors == {} and summary.already_done == 0
    assert any("resume state is corrupt" in line and "starting afresh" in line for line in said)
    _every_good_page_saved(raw, site)


# --- what a refresh brings home -----------------------------------------------------------------


def _manifest(raw: Path) -> dict[str, dict[str, str]]:
    with (raw / YEAR / "manifest.csv").open(newline="") as handle:
        return {row["path"]: row for row in csv.DictReader(handle)}


def test_the_listing_comes_home_from_another_host_and_only_that_url_is_asked_there(tmp_path, site):
    state = Site({})
    state.files["/docs/cte/credentials-by-course-2024-25.pdf"] = (200, LISTING, "application/pdf")
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(state, host="127.0.0.2") as state_site:
        listing_url = f"{state_site.origin}/docs/cte/credentials-by-course-2024-25.pdf"
        summary = scrape.scrape(_settings(server, raw, listing_url=listing_url))
    assert summary.errors == {} and summary.listing == "pdf/credentials_by_course.pdf"
    assert (raw / YEAR / "pdf" / "credentials_by_course.pdf").read_bytes() == LISTING
    assert [path for path, _ in state.requests] == ["/robots.txt", "/docs/cte/credentials-by-course-2024-25.pdf"]
    row = _manifest(raw)["pdf/credentials_by_course.pdf"]
    assert row["url"] == listing_url and row["origin"] == "mirror" and row["content_type"] == "application/pdf"
    _every_good_page_saved(raw, site)


def test_a_start_page_link_naming_the_listing_is_followed_inside_the_directory_only(tmp_path, site):
    state = Site({})
    state.files["/files/Credentials_by_Course.pdf"] = (200, LISTING, "application/pdf")
    site.files["/nccte-cms/files/Credentials_by_Course.pdf"] = (200, LISTING, "application/pdf")
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(state, host="127.0.0.2") as state_site:
        site.start_extra = (
            f'<p><a href="{state_site.origin}/files/Credentials_by_Course.pdf">Download</a></p>'
            '<p><a href="files/Credentials_by_Course.pdf">Download</a></p>'
        )
        summary = scrape.scrape(_settings(server, raw))
    assert summary.listing == "pdf/credentials_by_course.pdf"
    assert summary.outside_listings == [f"{state_site.origin}/files/Credentials_by_Course.pdf"]
    assert state.requests == []
    assert "/nccte-cms/files/Credentials_by_Course.pdf" in [path for path, _ in site.requests]


def test_a_listing_url_that_is_not_a_pdf_is_an_error_and_the_summary_says_there_is_none(tmp_path, site):
    state = Site({})
    state.files["/listing.pdf"] = (200, b"<html>Moved</html>", "text/html")
    raw = tmp_path / "raw"
    with SiteServer(site) as server, SiteServer(state, host="127.0.0.2") as state_site:
        summary = scrape.scrape(_settings(server, raw, listing_url=f"{state_site.origin}/listing.pdf"))
    assert summary.errors == {
        f"{state_site.origin}/listing.pdf": (
            "Credentials by Course listing: not a PDF (no %PDF- header); existing copy kept"
        )
    }
    assert summary.listing is None
    assert f"no Credentials by Course listing for {YEAR}: give --listing-url URL" in "\n".join(summary.lines(YEAR))


def test_walking_ids_with_gaps_exits_0_and_counts_not_found(tmp_path, site):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        code = _scrape_cli(server, raw, "--ids", "1100-1130", "--contact", "staff@example.org")
    assert code == 0
    _every_good_page_saved(raw, site)


def test_walking_ids_still_fails_for_a_linked_page_that_breaks(tmp_path, site, capsys):
    site.faults[("credential", 1118)] = ["status:500"] * 10
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        code = _scrape_cli(server, raw, "--ids", "1100-1130", "--retries", "0")
    out = capsys.readouterr().out
    assert code == 1
    assert f"error: {_url(server, 1118)}: gave up after 1 attempts: HTTP 500" in out.splitlines()
    assert out.count("error: ") == 1


@pytest.mark.parametrize(
    "contact, expected", [("staff@dpi.nc.gov", "; staff@dpi.nc.gov)"), (None, "credential-dataset)")]
)
def test_the_user_agent_carries_a_real_contact_or_says_it_has_none(tmp_path, site, monkeypatch, contact, expected):
    monkeypatch.delenv(scrape.CONTACT_VARIABLE, raising=False)
    said = []
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, tmp_path / "raw", contact=contact), progress=said.append)
    agents = {headers["user-agent"] for _, headers in site.requests}
    assert len(agents) == 1 and agents.pop().endswith(expected)
    assert any("no --contact" in line for line in said) is (contact is None)


def test_the_contact_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(scrape.CONTACT_VARIABLE, "team@dpi.nc.gov")
    assert scrape.contact_from_environment(None) == "team@dpi.nc.gov"
    assert scrape.contact_from_environment("me@x.org") == "me@x.org"


def test_the_closing_stats_name_requests_statuses_retries_and_pages(tmp_path, site, capsys):
    site.faults[("credential", 1118)] = ["status:503"]
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        code = _scrape_cli(server, raw, "--contact", "staff@example.org")
    lines = capsys.readouterr().out.splitlines()
    pages = len(site.pages)
    assert code == 0
    assert lines[0] == (
        f"scrape {YEAR}: {pages} written, 0 unchanged (304), 0 not found, 0 failed, 0 already done "
        f"before a resume; {pages} pages discovered"
    )
    assert lines[1].startswith(
        f"requests: {pages + 3} (1 retries, 0 redirects followed), status codes: 200 x{pages + 2}, 503 x1, "
    )
    assert lines[2].startswith(f"no Credentials by Course listing for {YEAR}")


def test_extract_says_the_cross_check_was_not_done_for_a_year_without_listing(tmp_path, site, capsys):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, raw))
    assert cli.main(["extract", "--raw", str(raw), "--out", str(tmp_path / "out"), "--no-cache"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        f"  not checked for {YEAR}: no Credentials by Course listing (raw/<year>/pdf/credentials_by_course.pdf; "
        "scrape --listing-url fetches it)" in out
    )


def test_make_refresh_scrapes_extracts_and_writes_the_year_over_year_report(tmp_path, site):
    raw = tmp_path / "raw"
    raw.mkdir()
    import shutil

    shutil.copytree(REPO / "raw" / "2023-2024", raw / "2023-2024")
    with SiteServer(site) as server:
        done = subprocess.run(
            [
                "make",
                "--no-print-directory",
                "-o",
                ".venv/.installed",
                f"PY={sys.executable}",
                "refresh",
                f"YEAR={YEAR}",
                f"BASE_URL={server.base_url}",
                f"RAW={raw}",
                f"OUT={tmp_path / 'out'}",
                f"REPORTS={tmp_path / 'reports'}",
                "CONTACT=staff@example.org",
                "RATE=200",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == (
        f"refresh {YEAR}: complete (exit 0): every page came home; this refresh: nothing to compare "
        "(no previous outputs)"
    )
    (report,) = (tmp_path / "reports").glob(f"refresh-{YEAR}-*.md")
    assert f"### 2023-2024 → {YEAR}, year over year" in report.read_text()
    _every_good_page_saved(raw, site)
