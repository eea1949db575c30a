"""The scraper against a real HTTP server on 127.0.0.1 serving the committed samples, with faults injected."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.extract import extract
from pipeline.fetch import crawl as scrape
from pipeline.fetch import http
from tests.conftest import REPO
from tools.demo_site import Site, SiteServer, soft_404

YEAR = "2024-2025"


@pytest.fixture
def site() -> Site:
    return Site.from_raw(REPO / "raw", YEAR)


def _settings(server: SiteServer, raw: Path, **changes) -> scrape.Settings:
    options = dict(year=YEAR, base_url=server.base_url, raw=raw, rate=200.0, timeout=1.0, retries=3, backoff=0.01)
    options.update(changes)
    return scrape.Settings(**options)


def _manifest(raw: Path) -> dict[str, dict[str, str]]:
    with (raw / YEAR / "manifest.csv").open(newline="") as handle:
        return {row["path"]: row for row in csv.DictReader(handle)}


def _requests_for(site: Site, fragment: str) -> int:
    return sum(1 for path, _ in site.requests if path.endswith(fragment))


def test_crawl_fetches_every_linked_page_with_a_manifest(tmp_path, site):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {}
    stored = sorted(p.name for p in (raw / YEAR / "html").iterdir())
    assert stored == sorted(f"{kind}_{id_}.html" for kind, id_ in site.pages)
    manifest = _manifest(raw)
    row = manifest["html/credential_1118.html"]
    assert row["url"] == f"{server.base_url}credential_info.php?choice=credential&cred_id=1118"
    assert row["sha256"] == hashlib.sha256((raw / YEAR / "html/credential_1118.html").read_bytes()).hexdigest()
    assert row["status"] == "200" and row["etag"].startswith('"') and row["fetched_at"].endswith("Z")
    assert not (raw / YEAR / scrape.STATE_NAME).exists()
    assert all(h.get("user-agent", "").startswith("nccte-credentials-pipeline/") for _, h in site.requests)
    assert site.max_active <= 2
    assert not any("elsewhere.example.org" in path for path, _ in site.requests)


def test_scraped_pages_extract(tmp_path, site):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, raw))
    result = extract(raw, tmp_path / "out")
    assert result.summary["unreadable"] == {}
    assert 1118 in set(result.tables["credentials"]["cred_id"].dropna())


@pytest.mark.parametrize("faults", [["status:500"], ["status:503", "status:502"], ["hang"], ["reset"]])
def test_transient_faults_are_retried(tmp_path, site, faults):
    site.faults[("credential", 1118)] = list(faults)
    site.hang_seconds = 2.0
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {}
    assert _requests_for(site, "cred_id=1118") == len(faults) + 1
    assert (raw / YEAR / "html/credential_1118.html").read_bytes() == site.pages[("credential", 1118)]


def test_429_honours_retry_after(tmp_path, site, monkeypatch):
    slept = []
    real_sleep = http.time.sleep
    monkeypatch.setattr(http.time, "sleep", lambda s: (slept.append(s), real_sleep(min(s, 0.01))))
    site.faults[("credential", 1118)] = ["status:429:7"]
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert summary.errors == {}
    assert 7.0 in slept
    assert (raw / YEAR / "html/credential_1118.html").exists()


def test_persistent_errors_are_reported_and_the_crawl_goes_on(tmp_path, site):
    site.faults[("credential", 1118)] = ["status:500"] * 10
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, retries=2))
        url = f"{server.base_url}credential_info.php?choice=credential&cred_id=1118"
    assert summary.errors == {url: "gave up after 3 attempts: HTTP 500"}
    assert not (raw / YEAR / "html/credential_1118.html").exists()
    assert (raw / YEAR / "html/credential_1117.html").exists()


def test_robots_disallow_is_obeyed(tmp_path, site):
    site.robots = "User-agent: *\nDisallow: /nccte-cms/credential_info.php?choice=credential&cred_id=1118\n"
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw))
    assert _requests_for(site, "cred_id=1118") == 0
    assert list(summary.errors.values()) == ["disallowed by robots.txt"]


@pytest.mark.parametrize(
    "fault, cause",
    [
        ("soft404", "no credential block"),
        ("wrongyear", "shows school year 2099-2100"),
        ("status:404", "HTTP 404"),
    ],
)
def test_bad_pages_never_replace_a_good_copy(tmp_path, site, fault, cause):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, raw))
        good = (raw / YEAR / "html/credential_1118.html").read_bytes()
        row = _manifest(raw)["html/credential_1118.html"]
        site.pages[("credential", 1118)] = site.pages[("credential", 1118)].replace(b"5 years", b"6 years")
        site.faults[("credential", 1118)] = [fault]
        summary = scrape.scrape(_settings(server, raw))
    assert [c for c in summary.errors.values() if cause in c], summary.errors
    assert (raw / YEAR / "html/credential_1118.html").read_bytes() == good
    assert _manifest(raw)["html/credential_1118.html"]["sha256"] == row["sha256"]


def test_refresh_sends_etag_and_304_keeps_the_file(tmp_path, site):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, raw))
        first = _manifest(raw)["html/credential_1118.html"]
        (raw / YEAR / "manifest.csv").write_text(
            (raw / YEAR / "manifest.csv").read_text().replace(first["fetched_at"], "2020-01-01T00:00:00Z")
        )
        site.requests.clear()
        summary = scrape.scrape(_settings(server, raw))
    headers = [h for path, h in site.requests if path.endswith("cred_id=1118")][0]
    assert headers.get("if-none-match") == first["etag"]
    assert summary.unchanged == len(site.pages) and summary.written == 0
    second = _manifest(raw)["html/credential_1118.html"]
    assert second["sha256"] == first["sha256"] and second["fetched_at"] != "2020-01-01T00:00:00Z"


def test_a_saved_page_that_is_gone_is_fetched_whole_not_asked_for_as_unchanged(tmp_path, site):
    """The manifest still holds the page's ETag, but its file was deleted: a conditional request would get 304
    and leave the page missing, so it is asked for whole and written again."""
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, raw))
        saved = raw / YEAR / "html" / "credential_1118.html"
        original = saved.read_bytes()
        saved.unlink()
        site.requests.clear()
        scrape.scrape(_settings(server, raw))
    headers = [h for path, h in site.requests if path.endswith("cred_id=1118")][0]
    assert "if-none-match" not in headers and "if-modified-since" not in headers
    assert saved.read_bytes() == original


def test_interrupted_crawl_resumes_without_refetching(tmp_path, site):
    raw = tmp_path / "raw"

    class Interrupt(Exception):
        pass

    class StopAfterFive(scrape.Reporter):
        def advance(self, done, total, errors):
            if done == 5:
                raise Interrupt

    with SiteServer(site) as server:
        with pytest.raises(Interrupt):
            scrape.scrape(_settings(server, raw), progress=StopAfterFive(lambda message: None))
        assert (raw / YEAR / scrape.STATE_NAME).exists()
        fetched_before = {path for path, _ in site.requests if "_id=" in path}
        site.requests.clear()
        summary = scrape.scrape(_settings(server, raw))
    fetched_after = {path for path, _ in site.requests if "_id=" in path}
    assert len(fetched_before) == 5
    assert fetched_before.isdisjoint(fetched_after)
    assert summary.already_done == 5
    assert len(list((raw / YEAR / "html").iterdir())) == len(site.pages)
    assert not (raw / YEAR / scrape.STATE_NAME).exists()


def test_id_range_walks_cred_ids_without_links(tmp_path, site):
    site.pages = {("credential", 1118): site.pages[("credential", 1118)]}
    site.start_page = lambda: b"<html><body>no links</body></html>"
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, ids="1116-1118"))
    assert sorted(p.name for p in (raw / YEAR / "html").iterdir()) == ["credential_1118.html"]
    assert summary.errors == {} and summary.not_found == 2


def test_response_size_is_capped(tmp_path, site):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, max_bytes=1000))
    assert summary.errors and all("too large" in c for c in summary.errors.values())


def test_discovery_reads_links_options_and_stays_on_site():
    page = (
        '<a href="credential_info.php?choice=credential&amp;cred_id=5">a</a>'
        '<a href="https://evil.example/credential_info.php?cred_id=6">b</a>'
        '<a href="credential_info.php?course_id=62&amp;cred_id=-1">c</a>'
        '<select name="cred_id"><option value="-1">-</option><option value="7">x</option></select>'
        '<select id="course_select"><option value="889">y</option></select>'
    )
    found = scrape.discover_pages(page, "https://h/nccte-cms/credential_info.php", "https://h/nccte-cms/")
    assert found == {
        scrape.PageId("credential", 5),
        scrape.PageId("course", 62),
        scrape.PageId("credential", 7),
        scrape.PageId("course", 889),
    }


def test_soft_404_fixture_really_has_no_block():
    from pipeline.read.html import parse_html

    assert parse_html(soft_404().decode()).blocks == []


def test_cli_rejects_a_bad_year(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "scrape", "--year", "2024", "--raw", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 3 and "--year must look like 2024-2025" in done.stderr


def test_drafts_are_fetched_only_when_asked(tmp_path, site):
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        scrape.scrape(_settings(server, raw))
        assert not any("future_credential_info.php" in path for path, _ in site.requests)
        site.requests.clear()
        summary = scrape.scrape(_settings(server, raw, draft=True))
    assert summary.errors == {}
    assert all("future_credential_info.php" in path for path, _ in site.requests if "_id=" in path)
    assert (raw / YEAR / "html" / "credential_1118_draft.html").exists()
    assert _manifest(raw)["html/credential_1118_draft.html"]["url"].endswith(
        "future_credential_info.php?choice=credential&cred_id=1118"
    )


@pytest.mark.parametrize("status, fetched", [(404, True), (503, False)])
def test_robots_txt_missing_allows_all_unreadable_disallows_all(tmp_path, site, status, fetched):
    site.robots_status = status
    raw = tmp_path / "raw"
    with SiteServer(site) as server:
        summary = scrape.scrape(_settings(server, raw, retries=1))
    pages = [path for path, _ in site.requests if "_id=" in path]
    assert bool(pages) is fetched
    if not fetched:
        assert summary.errors and all("RFC 9309" in cause for cause in summary.errors.values())


@pytest.mark.parametrize(
    "url, page",
    [
        ("https://h/nccte-cms/credential_info.php?choice=credential&cred_id=1118", scrape.PageId("credential", 1118)),
        (
            "https://h/nccte-cms/credential_info.php?choice=course&course_id=62&cred_id=-1&cluster_id=-1",
            scrape.PageId("course", 62),
        ),
        ("https://h/nccte-cms/credential_info.php?course_id=889", scrape.PageId("course", 889)),
        ("https://h/nccte-cms/credential_info.php?course_id=889&cred_id=1338", scrape.PageId("credential", 1338)),
        ("https://h/nccte-cms/credential_info.php", None),
    ],
)
def test_page_named_by_a_directory_url(url, page):
    assert scrape.page_of(url) == page
