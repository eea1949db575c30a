"""fetch -> raw: crawl one school year of the directory, politely and resumably.

Pages are discovered from the start page (links and `<option>` values), from
course pages, from the manifest, and optionally from a cred_id range. The
year's Credentials by Course PDF comes from `--listing-url` (the one URL that
may name another host; only it is fetched there) or from a start-page link that
names it and lies inside the directory; a page never chooses a host, so a link
elsewhere is reported for the user to pass as `--listing-url`. A page is
written only when it is a directory page of the requested school year with a
credential block in it, so an error page never replaces a good copy. The
manifest and a resume state are saved after every page. A redirect is followed
only inside the directory and only to the same page (same script, same
`choice`, `cred_id` and `course_id`): a credential that redirects to another is
that page's error, and the other is fetched under its own id. A host that asks
for a longer pause than we wait ends the crawl, keeping what came home and the
resume state. HTTP policy (rate, robots.txt, redirects, retries, deadline) is
`fetch.http`'s, its settings `fetch.settings`'.
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
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

import httpx
import lxml.html

from pipeline import patterns, site
from pipeline.fetch.http import Fetcher, FetchError, HostAsksToStop, HostUnreachable, Redirected, Stats
from pipeline.fetch.settings import Policy, SettingsError
from pipeline.fetch.urls import URLError, normalise, same_directory
from pipeline.files import write_atomic
from pipeline.read.documents import MANIFEST_NAME, DocumentError, decode, ids_from_url, manifest_csv, read_manifest
from pipeline.read.html import parse_html
from pipeline.site import DEFAULT_BASE_URL

STATE_NAME = ".scrape-state.json"
LISTING_FILE = "pdf/credentials_by_course.pdf"
CONTACT_VARIABLE = "NCCTE_CONTACT"
PAGE_PARAMETERS = ("choice", "cred_id", "course_id")  # what names a page in a directory URL


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


@dataclass(kw_only=True)
class Settings(Policy):
    """What to crawl, and how (the HTTP `Policy` it extends)."""

    year: str
    base_url: str = DEFAULT_BASE_URL
    raw: Path = Path("raw")
    ids: str | None = None  # "1-3000": also walk this cred_id range
    draft: bool = False
    listing_url: str | None = None

    def checked(self) -> Settings:
        """These settings with the URLs normalised (the base ending in `/`); SettingsError names the first bad one."""
        if not patterns.SCHOOL_YEAR.fullmatch(self.year) or not self.year.isascii():
            raise SettingsError(f"--year must look like 2024-2025, not {self.year!r}")
        first, second = (int(half) for half in self.year.split("-"))
        if second != first + 1:
            raise SettingsError(f"--year {self.year}: the second year must follow the first ({first}-{first + 1})")
        base_url = _checked_url("--base-url", self.base_url, folder=True)
        listing_url = _checked_url("--listing-url", self.listing_url) if self.listing_url is not None else None
        self.check_policy()
        if self.ids:
            parse_id_range(self.ids)
        return Settings(**{**self.__dict__, "base_url": base_url, "listing_url": listing_url})


def _checked_url(flag: str, url: str, folder: bool = False) -> str:
    try:
        normal = normalise(url)
        if folder and (urlsplit(url).query or urlsplit(url).fragment):
            raise URLError("a folder URL has no ?query or #fragment")
    except URLError as error:
        raise SettingsError(f"{flag} must be an http(s) URL with a host, not {url!r} ({error})") from None
    return normal if not folder or normal.endswith("/") else normal + "/"


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
    outside_listings: list[str] = field(default_factory=list)  # listing links outside the directory: not fetched
    stopped: str | None = None  # why the crawl ended early (a host asked for a long pause)
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
        lines += [
            f"listing link outside the directory, not fetched: {url} "
            f"(if it is the year's Credentials by Course listing, pass it as --listing-url {url})"
            for url in self.outside_listings
        ]
        if self.listing is None:
            lines.append(
                f"no Credentials by Course listing for {year}: give --listing-url URL "
                "(course_credentials and the course cross-check stay empty without it)"
            )
        if self.stopped:
            lines.append(f"stopped: {self.stopped}")
        return lines


# --- discovery ------------------------------------------------------------------------------


def discover_pages(html_text: str, page_url: str, base_url: str) -> set[PageId]:
    """Credential and course pages linked from a page: `<a href>` and `<option value>`."""
    root = _document(html_text)
    if root is None:
        return set()
    found: set[PageId] = set()
    for anchor in root.iter("a"):
        url = _link(anchor.get("href"), page_url)
        if url and same_directory(url, base_url):
            found |= _pages_in_query(urlsplit(url).query)
    for select in root.iter("select"):
        field_name = (select.get("name") or select.get("id") or "").lower()
        kind = "course" if "course" in field_name else "credential" if "cred" in field_name else None
        for option in select.iter("option"):
            number = _directory_id(option.get("value") or "")
            if kind and number:
                found.add(PageId(kind, number))
    return found


def listing_links(html_text: str, page_url: str, base_url: str) -> tuple[list[str], list[str]]:
    """Links whose text or file name names the Credentials by Course listing: (inside the directory, outside)."""
    root = _document(html_text)
    if root is None:
        return [], []
    inside: list[str] = []
    outside: list[str] = []
    for anchor in root.iter("a"):
        href = anchor.get("href") or ""
        target = _link(href, page_url)
        named = patterns.LISTING_NAME.search(anchor.text_content() or "") or patterns.LISTING_NAME.search(
            unquote(urlsplit(target or href).path.rsplit("/", 1)[-1])  # `Credentials%20by%20Course.pdf` names it
        )
        if not (href and named):
            continue
        found = inside if target and same_directory(target, base_url) else outside
        shown = target or repr(href.strip())  # an unusable href is shown escaped: page text reaches the terminal
        if shown not in found:
            found.append(shown)
    return inside, outside


def _link(href: str | None, page_url: str) -> str | None:
    """The normalised URL a link points at, or None for no usable http(s) URL."""
    try:
        return normalise(href, base=page_url) if href else None
    except URLError:
        return None


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


def same_page(url: str, target: str) -> bool:
    """Whether two normalised directory URLs name one page: one script, and the same `choice`, `cred_id` and
    `course_id`, every value, named as PHP reads them (`cred.id`, `cred id`, `cred_id[]` are all `cred_id`)."""
    return urlsplit(url).path == urlsplit(target).path and _page_parameters(url) == _page_parameters(target)


def _page_parameters(url: str) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        key = name.replace(".", "_").replace(" ", "_").lower().split("[", 1)[0]
        if key in PAGE_PARAMETERS:
            params.setdefault(key, []).append(value)
    return params


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
        seen = set(queue) | done
        self.summary.already_done = len(done)
        try:
            if not queue and not done:
                queue, found_listings = self._initial_queue()
                listing_urls += [url for url in found_listings if url not in listing_urls]
                seen = set(queue)
            self._fetch_listing(listing_urls)
            while queue:
                page = queue.pop(0)  # on a stop, the state saved after the last page still lists it
                found = self._visit(page)
                for new in sorted(found - seen, key=lambda p: (p.kind, p.id)):
                    queue.append(new)
                    seen.add(new)
                done.add(page)
                self.state.update(
                    done=sorted((p.kind, p.id) for p in done),
                    pending=[(p.kind, p.id) for p in queue],
                    walked=sorted((p.kind, p.id) for p in self.walked & set(queue)),
                )
                self._save_state()
                self.reporter.advance(len(done), len(done) + len(queue), len(self.summary.errors))
        except HostAsksToStop as stop:
            self.summary.stopped = self._stop_line(stop)
            self.reporter.message(f"stopped: {self.summary.stopped}")
        self.summary.discovered = len(seen)
        if (self.year_dir / LISTING_FILE).exists():
            self.summary.listing = LISTING_FILE
        self._finish()
        return self.summary

    def _stop_line(self, stop: HostAsksToStop) -> str:
        kept = f"the {self.summary.written} pages fetched are kept" if self.summary.written else "nothing was fetched"
        if stop.resume_at:
            return f"{stop}; {kept}; run the same command after that time to resume"
        return f"{stop}; {kept}; ask the site's staff, then run the same command to resume"

    def _finish(self) -> None:
        if not self.summary.stopped:
            (self.year_dir / STATE_NAME).unlink(missing_ok=True)  # a stopped crawl keeps it, to resume
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
                listings, self.summary.outside_listings = listing_links(text, response.url, self.settings.base_url)
            else:
                self.summary.errors[start_url] = f"start page: HTTP {response.status}"
        except (HostUnreachable, HostAsksToStop):
            raise
        except (FetchError, DocumentError) as error:
            self.summary.errors[start_url] = f"start page: {error}"
        if self.settings.ids:
            walked = {PageId("credential", id_) for id_ in parse_id_range(self.settings.ids)}
            self.walked = walked - pages
            pages |= walked
        return sorted(pages, key=lambda p: (p.kind != "course", p.id)), listings

    def _get(self, url: str, headers: dict[str, str] | None = None):
        """GET a directory URL; a redirect is followed only inside the directory and only to the same page."""

        def refusal(target: str) -> str | None:
            if not same_directory(target, self.settings.base_url):
                return "outside the directory"
            return None if same_page(url, target) else "which names another page"

        return self.fetcher.get(url, headers, redirect_refusal=refusal)

    def _visit(self, page: PageId) -> set[PageId]:
        url = page.url(self.settings.base_url, self.settings.draft)
        rel = page.file_name(self.settings.draft)
        found: set[PageId] = set()
        try:
            return self._fetch_page(page, url, rel)
        except (HostUnreachable, HostAsksToStop):
            raise
        except Redirected as error:
            cause = str(error)
            other = (
                page_of(error.target) if error.target and same_directory(error.target, self.settings.base_url) else None
            )
            found = {other} if other else set()  # fetched under its own id, if the directory has it
        except (FetchError, DocumentError) as error:
            cause = str(error)
        except Exception as error:  # noqa: BLE001 - one page's failure is that page's error, never the crawl's
            cause = f"{type(error).__name__}: {error}"
        self.summary.errors[url] = cause
        self.reporter.message(f"error: {url}: {cause}")
        return found

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
                response = self.fetcher.get(
                    url, redirect_refusal=lambda target: "not the listing's own URL (pass it as --listing-url if it is)"
                )
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


def scrape(settings: Settings, progress: Callable[[str], None] | Reporter = lambda message: None) -> Summary:
    """Crawl one school year into raw/<year>/ and its manifest.

    Raises SettingsError for bad arguments and HostUnreachable when the site
    does not answer at all. A host that asks for a longer pause than we wait
    ends the crawl early: `Summary.stopped` says so and when to resume. Every
    other failure is one page's error.
    """
    settings = settings.checked()
    reporter = progress if isinstance(progress, Reporter) else Reporter(progress)
    if not settings.contact:
        reporter.message(
            f"no --contact (or {CONTACT_VARIABLE}) given: the User-Agent names the project's URL "
            "only; give an email so the site's staff can reach you"
        )
    fetcher = Fetcher(settings, reporter.message)
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
