"""fetch -> raw: crawl one school year of the directory, politely and resumably.

Pages are discovered from the start page (links and `<option>` values), from
course pages, from the manifest, and optionally from a cred_id range. The
year's Credentials by Course PDF comes from `--listing-url` or a start-page
link that names it (only that one URL is fetched on its host). A page is
written only when it is a directory page of the requested school year with a
credential block in it, so an error page never replaces a good copy. The
manifest and a resume state are saved after every page. HTTP policy (rate,
robots.txt, redirects, retries, deadline) is `fetch.http`'s.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import lxml.html

from pipeline import patterns, site
from pipeline.fetch.http import Fetcher, FetchError, HostUnreachable, Policy, Stats
from pipeline.files import write_atomic
from pipeline.read.documents import MANIFEST_NAME, DocumentError, decode, ids_from_url, manifest_csv, read_manifest
from pipeline.read.html import parse_html
from pipeline.site import DEFAULT_BASE_URL

STATE_NAME = ".scrape-state.json"
LISTING_FILE = "pdf/credentials_by_course.pdf"
CONTACT_VARIABLE = "NCCTE_CONTACT"


class SettingsError(Exception):
    """Arguments the crawl cannot start from; the message says which and why."""


@dataclass(frozen=True)
class PageId:
    """One directory page, by its kind and id: its URL and its file name derive from it."""

    kind: str  # credential | course
    id: int

    def file_name(self, draft: bool) -> str:
        return site.page_file(self.kind, self.id, draft)

    def url(self, base_url: str, draft: bool) -> str:
        shape = site.credential_url if self.kind == "credential" else site.course_url
        return shape(base_url, self.id, draft)


@dataclass
class Settings:
    year: str
    base_url: str = DEFAULT_BASE_URL
    raw: Path = Path("raw")
    rate: float = 1.0  # requests per second
    ids: str | None = None  # "1-3000": also walk this cred_id range
    draft: bool = False
    timeout: float = 30.0  # seconds for a whole response
    retries: int = 4
    backoff: float = 2.0
    max_retry_after: float = 120.0
    max_bytes: int = 5_000_000
    listing_url: str | None = None
    contact: str | None = None

    def checked(self) -> Settings:
        """These settings with the base URL ending in `/`; SettingsError names the first bad one."""
        if not patterns.SCHOOL_YEAR.match(self.year):
            raise SettingsError(f"--year must look like 2024-2025, not {self.year!r}")
        first, second = (int(half) for half in self.year.split("-"))
        if second != first + 1:
            raise SettingsError(f"--year {self.year}: the second year must follow the first ({first}-{first + 1})")
        for flag, url in (("--base-url", self.base_url), ("--listing-url", self.listing_url)):
            if url is not None and not _is_web_url(url):
                raise SettingsError(f"{flag} must be an http(s) URL with a host, not {url!r}")
        if not self.rate > 0:
            raise SettingsError(f"--rate must be above 0 requests per second, not {self.rate:g}")
        if not self.timeout > 0:
            raise SettingsError(f"--timeout must be above 0 seconds, not {self.timeout:g}")
        if self.retries < 0:
            raise SettingsError(f"--retries must be 0 or more, not {self.retries}")
        if self.ids:
            parse_id_range(self.ids)
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return Settings(**{**self.__dict__, "base_url": base})

    def policy(self) -> Policy:
        return Policy(
            rate=self.rate,
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
            max_retry_after=self.max_retry_after,
            max_bytes=self.max_bytes,
            contact=self.contact,
        )


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def parse_id_range(text: str) -> range:
    match = patterns.ID_RANGE.match(text.strip())
    if not match:
        raise SettingsError(f"--ids must look like 1-3000 (at most {patterns.MAX_ID_DIGITS} digits), not {text!r}")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise SettingsError(f"--ids range is empty: {text!r}")
    return range(first, last + 1)


@dataclass
class Summary:
    written: int = 0
    unchanged: int = 0
    not_found: int = 0  # walked ids (--ids) with no credential: not errors
    already_done: int = 0
    discovered: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # url -> cause
    listing: str | None = None  # the listing's path in raw/<year>, when the year has one
    stats: Stats = field(default_factory=Stats)

    def lines(self, year: str) -> list[str]:
        stats = self.stats
        statuses = ", ".join(f"{status} x{count}" for status, count in sorted(stats.statuses.items())) or "none"
        lines = [
            f"scrape {year}: {self.written} written, {self.unchanged} unchanged (304), {self.not_found} not found, "
            f"{len(self.errors)} failed, {self.already_done} already done before a resume; "
            f"{self.discovered} pages discovered",
            f"requests: {stats.requests} ({stats.retries} retries, {stats.redirects} redirects followed), "
            f"status codes: {statuses}, {stats.bytes:,} bytes, {time.monotonic() - stats.started:.1f} s",
        ]
        if self.listing is None:
            lines.append(
                f"no Credentials by Course listing for {year}: give --listing-url URL "
                "(course_credentials and the course cross-check stay empty without it)"
            )
        return lines


# --- discovery ------------------------------------------------------------------------------


def discover_pages(html_text: str, page_url: str, base_url: str) -> set[PageId]:
    """Credential and course pages linked from a page: `<a href>` and `<option value>`."""
    root = _document(html_text)
    if root is None:
        return set()
    found: set[PageId] = set()
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if href and same_site(urljoin(page_url, href), base_url):
            found |= _pages_in_query(urlsplit(urljoin(page_url, href)).query)
    for select in root.iter("select"):
        field_name = (select.get("name") or select.get("id") or "").lower()
        kind = "course" if "course" in field_name else "credential" if "cred" in field_name else None
        for option in select.iter("option"):
            number = _directory_id(option.get("value") or "")
            if kind and number:
                found.add(PageId(kind, number))
    return found


def listing_links(html_text: str, page_url: str) -> list[str]:
    """Links whose text or file name names the Credentials by Course listing (on any host)."""
    root = _document(html_text)
    if root is None:
        return []
    found = []
    for anchor in root.iter("a"):
        href = anchor.get("href") or ""
        target = urljoin(page_url, href)
        named = patterns.LISTING_NAME.search(anchor.text_content() or "") or patterns.LISTING_NAME.search(
            urlsplit(target).path.rsplit("/", 1)[-1]
        )
        if href and named and _is_web_url(target) and target not in found:
            found.append(target)
    return found


def _document(html_text: str):
    try:
        return lxml.html.document_fromstring(html_text)
    except (ValueError, lxml.etree.ParserError):
        return None


def _pages_in_query(query: str) -> set[PageId]:
    params = parse_qs(query)
    pages = set()
    for name, kind in (("cred_id", "credential"), ("course_id", "course")):
        for value in params.get(name, []):
            number = _directory_id(value)
            if number:
                pages.add(PageId(kind, number))
    return pages


def _directory_id(text: str) -> int | None:
    """A positive id of ASCII digits and sane length (`²`, `-1` and 30 digits are none)."""
    text = text.strip()
    return int(text) if patterns.DIRECTORY_ID.fullmatch(text) and int(text) > 0 else None


def same_site(url: str, base_url: str) -> bool:
    target, base = urlsplit(url), urlsplit(base_url)
    return target.scheme in ("http", "https") and target.netloc == base.netloc and target.path.startswith(base.path)


def pages_in_manifest(manifest: dict[str, dict[str, str]]) -> set[PageId]:
    return {page for page in (page_of(row.get("url", "")) for row in manifest.values()) if page}


def page_of(url: str) -> PageId | None:
    """The one page a URL names: a credential (also one shown within a course), else a course."""
    cred_id, course_id = ids_from_url(url)
    if cred_id and _directory_id(str(cred_id)):
        return PageId("credential", cred_id)
    return PageId("course", course_id) if course_id and _directory_id(str(course_id)) else None


# --- progress -------------------------------------------------------------------------------


class Reporter:
    """Plain progress lines (CI logs): messages as they come, a count every few seconds."""

    def __init__(self, say: Callable[[str], None], every: float = 5.0) -> None:
        self.say = say
        self.every = every
        self.last = 0.0

    def message(self, text: str) -> None:
        self.say(text)

    def advance(self, done: int, total: int, errors: int) -> None:
        if time.monotonic() - self.last >= self.every or done == total:
            self.last = time.monotonic()
            self.say(f"scrape: {done}/{total} pages, {errors} errors")

    def close(self) -> None:
        pass


class BarReporter(Reporter):
    """A progress bar on a terminal: done/total, rate, ETA and errors so far."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=0, unit="page", dynamic_ncols=True)
        super().__init__(self.bar.write)

    def advance(self, done: int, total: int, errors: int) -> None:
        self.bar.total = total
        self.bar.set_postfix_str(f"{errors} errors", refresh=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


# --- the crawl ------------------------------------------------------------------------------


class Crawl:
    def __init__(self, settings: Settings, fetcher: Fetcher, reporter: Reporter) -> None:
        self.settings = settings
        self.fetcher = fetcher
        self.reporter = reporter
        self.year_dir = settings.raw / settings.year
        self.made_year_dir = not self.year_dir.exists()
        self.manifest = read_manifest(self.year_dir / MANIFEST_NAME)
        self.state = self._load_state()
        self.summary = Summary(stats=fetcher.stats)
        self.walked: set[PageId] = set()  # from --ids only: an empty one is "not found", not an error

    def _load_state(self) -> dict:
        path = self.year_dir / STATE_NAME
        fresh = {
            "started_at": now_iso(),
            "draft": self.settings.draft,
            "base_url": self.settings.base_url,
            "done": [],
            "pending": [],
            "walked": [],
        }
        if not path.exists():
            return fresh
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            same = state.get("draft") == self.settings.draft and state.get("base_url") == self.settings.base_url
            [PageId(kind, int(id_)) for kind, id_ in [*state["done"], *state["pending"]]]
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            self.reporter.message(f"{path}: resume state is corrupt ({type(error).__name__}); starting afresh")
            return fresh
        return {**fresh, **state} if same else fresh

    def run(self) -> Summary:
        done = {PageId(kind, id_) for kind, id_ in self.state["done"]}
        queue = [PageId(kind, id_) for kind, id_ in self.state["pending"]]
        self.walked = {PageId(kind, id_) for kind, id_ in self.state["walked"]}
        listing_urls = [self.settings.listing_url] if self.settings.listing_url else []
        if not queue and not done:
            queue, found_listings = self._initial_queue()
            listing_urls += [url for url in found_listings if url not in listing_urls]
        seen = set(queue) | done
        self.summary.already_done = len(done)
        self._fetch_listing(listing_urls)
        while queue:
            page = queue.pop(0)
            for found in sorted(self._visit(page) - seen, key=lambda p: (p.kind, p.id)):
                queue.append(found)
                seen.add(found)
            done.add(page)
            self.state.update(
                done=sorted((p.kind, p.id) for p in done),
                pending=[(p.kind, p.id) for p in queue],
                walked=sorted((p.kind, p.id) for p in self.walked & set(queue)),
            )
            self._save_state()
            self.reporter.advance(len(done), len(done) + len(queue), len(self.summary.errors))
        self.summary.discovered = len(seen)
        if (self.year_dir / LISTING_FILE).exists():
            self.summary.listing = LISTING_FILE
        self._finish()
        return self.summary

    def _finish(self) -> None:
        (self.year_dir / STATE_NAME).unlink(missing_ok=True)
        if self.made_year_dir and self.year_dir.is_dir() and not any(self.year_dir.iterdir()):
            self.year_dir.rmdir()  # nothing came home: leave no empty year folder behind

    def _initial_queue(self) -> tuple[list[PageId], list[str]]:
        pages = pages_in_manifest(self.manifest)
        start_url = f"{self.settings.base_url}{site.DRAFT_SCRIPT if self.settings.draft else site.SCRIPT}"
        listings: list[str] = []
        try:
            response = self._get(start_url)
            if response.status == 200:
                text = decode(response.content, is_html=True)
                pages |= discover_pages(text, response.url, self.settings.base_url)
                listings = listing_links(text, response.url)
            else:
                self.summary.errors[start_url] = f"start page: HTTP {response.status}"
        except (FetchError, DocumentError) as error:
            if isinstance(error, HostUnreachable):
                raise
            self.summary.errors[start_url] = f"start page: {error}"
        if self.settings.ids:
            walked = {PageId("credential", id_) for id_ in parse_id_range(self.settings.ids)}
            self.walked = walked - pages
            pages |= walked
        return sorted(pages, key=lambda p: (p.kind != "course", p.id)), listings

    def _get(self, url: str, headers: dict[str, str] | None = None):
        return self.fetcher.get(url, headers, may_redirect_to=lambda target: same_site(target, self.settings.base_url))

    def _visit(self, page: PageId) -> set[PageId]:
        url = page.url(self.settings.base_url, self.settings.draft)
        rel = page.file_name(self.settings.draft)
        try:
            return self._fetch_page(page, url, rel)
        except HostUnreachable:
            raise
        except (FetchError, DocumentError) as error:
            cause = str(error)
        except Exception as error:  # noqa: BLE001 - one page's failure is that page's error, never the crawl's
            cause = f"{type(error).__name__}: {error}"
        self.summary.errors[url] = cause
        self.reporter.message(f"error: {url}: {cause}")
        return set()

    def _fetch_page(self, page: PageId, url: str, rel: str) -> set[PageId]:
        conditional = self._conditional_headers(rel)
        response = self._get(url, conditional)
        if response.status == 304:
            if not conditional:
                raise FetchError("HTTP 304 to a request that asked for no validation; nothing to keep")
            self._touch(rel)
            self.summary.unchanged += 1
            return self._links_in_stored(rel, url)
        if page in self.walked and self._is_missing(response):
            self.summary.not_found += 1
            return set()
        text = self._check(response)
        self._store(rel, url, response.content, response.status, response.headers)
        self.summary.written += 1
        return discover_pages(text, url, self.settings.base_url)

    def _is_missing(self, response) -> bool:
        if response.status in (404, 410):
            return True
        try:
            return response.status == 200 and not parse_html(decode(response.content, is_html=True)).blocks
        except DocumentError:
            return False

    def _conditional_headers(self, rel: str) -> dict[str, str]:
        row = self.manifest.get(rel)
        if not row or not (self.year_dir / rel).exists():
            return {}
        headers = {}
        if row.get("etag"):
            headers["If-None-Match"] = row["etag"]
        if row.get("last_modified"):
            headers["If-Modified-Since"] = row["last_modified"]
        return headers

    def _check(self, response) -> str:
        """The page's text, if it is worth keeping; else FetchError with the reason."""
        if response.status != 200:
            raise FetchError(f"HTTP {response.status}")
        text = decode(response.content, is_html=True)
        page = parse_html(text)
        if not page.blocks:
            raise FetchError("no credential block in the page (soft 404 or error page); existing copy kept")
        if page.school_year and page.school_year != self.settings.year:
            raise FetchError(
                f"page shows school year {page.school_year}, not {self.settings.year} "
                "(the site moved on?); existing copy kept"
            )
        return text

    def _fetch_listing(self, urls: list[str]) -> None:
        """The year's Credentials by Course PDF: each URL fetched alone on its host, no redirect followed."""
        for url in urls:
            try:
                response = self.fetcher.get(url)
                if response.status != 200:
                    raise FetchError(f"HTTP {response.status}")
                if not response.content.startswith(b"%PDF-"):
                    raise FetchError("not a PDF (no %PDF- header); existing copy kept")
            except HostUnreachable as error:
                cause = str(error)
            except FetchError as error:
                cause = str(error)
            else:
                self._store(LISTING_FILE, url, response.content, response.status, response.headers)
                self.reporter.message(f"listing: {url} -> {self.settings.year}/{LISTING_FILE}")
                return
            self.summary.errors[url] = f"Credentials by Course listing: {cause}"
            self.reporter.message(f"error: {url}: Credentials by Course listing: {cause}")

    def _store(self, rel: str, url: str, content: bytes, status: int, headers: httpx.Headers) -> None:
        write_atomic(self.year_dir / rel, content)
        self.manifest[rel] = {
            "path": rel,
            "url": url,
            "fetched_at": now_iso(),
            "status": str(status),
            "content_type": headers.get("content-type", ""),
            "sha256": hashlib.sha256(content).hexdigest(),
            "etag": headers.get("etag", ""),
            "last_modified": headers.get("last-modified", ""),
            "origin": site.origin_of(self.settings.base_url),
        }
        self._save_manifest()

    def _touch(self, rel: str) -> None:
        self.manifest[rel]["fetched_at"] = now_iso()
        self._save_manifest()

    def _links_in_stored(self, rel: str, url: str) -> set[PageId]:
        try:
            return discover_pages(decode((self.year_dir / rel).read_bytes(), is_html=True), url, self.settings.base_url)
        except DocumentError:
            return set()

    def _save_manifest(self) -> None:
        write_atomic(self.year_dir / MANIFEST_NAME, manifest_csv(list(self.manifest.values())))

    def _save_state(self) -> None:
        if self.year_dir.exists() or self.summary.written:
            write_atomic(self.year_dir / STATE_NAME, json.dumps(self.state, indent=1).encode("utf-8"))


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def contact_from_environment(contact: str | None) -> str | None:
    return contact or os.environ.get(CONTACT_VARIABLE) or None


def scrape(
    settings: Settings,
    progress: Callable[[str], None] | Reporter = lambda message: None,
    client: httpx.Client | None = None,
) -> Summary:
    """Crawl one school year into raw/<year>/ and its manifest.

    Raises SettingsError for bad arguments and HostUnreachable when the site
    does not answer at all; every other failure is one page's error.
    """
    settings = settings.checked()
    reporter = progress if isinstance(progress, Reporter) else Reporter(progress)
    if not settings.contact:
        reporter.message(
            f"no --contact (or {CONTACT_VARIABLE}) given: the User-Agent names the project's URL "
            "only; give an email so the site's staff can reach you"
        )
    fetcher = Fetcher(settings.policy(), reporter.message, client)
    crawl = None
    try:
        crawl = Crawl(settings, fetcher, reporter)
        return crawl.run()
    except BaseException:
        if (
            crawl is not None
            and crawl.made_year_dir
            and crawl.year_dir.is_dir()
            and not any(p.name != STATE_NAME for p in crawl.year_dir.iterdir())
        ):
            (crawl.year_dir / STATE_NAME).unlink(missing_ok=True)
            crawl.year_dir.rmdir()
        raise
    finally:
        reporter.close()
        fetcher.close()
