"""fetch -> raw: crawl one school year of the directory, politely and resumably.

Pages are discovered from the start page (links and `<option>` values), from
course pages, from the manifest, and optionally from a cred_id range. Each
page is fetched with a rate limit, robots.txt obeyed, retries with backoff and
jitter, conditional requests and a size cap. A page is written only when it
is a directory page of the requested school year with a credential block in
it, so an error page never replaces a good copy. The manifest and a resume
state are saved after every page.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import lxml.html

from . import __version__
from .files import write_atomic
from .documents import MANIFEST_NAME, DocumentError, decode, ids_from_url, manifest_csv, read_manifest
from .parse_html import parse_html

DEFAULT_BASE_URL = "https://center.ncsu.edu/nccte-cms/"
USER_AGENT = (f"nccte-credentials-pipeline/{__version__} "
              "(+https://github.com/nc-cte/credential-dataset; data-team@example.org)")
STATE_NAME = ".scrape-state.json"
MAX_BYTES = 5_000_000
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_ID_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")


@dataclass(frozen=True)
class Page:
    kind: str        # credential | course
    id: int

    def file_name(self, draft: bool) -> str:
        return f"html/{self.kind}_{self.id}{'_draft' if draft else ''}.html"

    def url(self, base_url: str, draft: bool) -> str:
        script = "future_credential_info.php" if draft else "credential_info.php"
        if self.kind == "credential":
            return f"{base_url}{script}?choice=credential&cred_id={self.id}"
        return f"{base_url}{script}?choice=course&course_id={self.id}&cred_id=-1&cluster_id=-1"


@dataclass
class Settings:
    year: str
    base_url: str = DEFAULT_BASE_URL
    raw: Path = Path("raw")
    rate: float = 1.0                 # requests per second
    ids: str | None = None            # "1-3000": also walk this cred_id range
    draft: bool = False
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 2.0              # first retry delay, doubled each time, with jitter
    max_retry_after: float = 120.0
    max_bytes: int = MAX_BYTES


@dataclass
class Summary:
    fetched: int = 0
    unchanged: int = 0
    skipped_done: int = 0
    errors: dict[str, str] = field(default_factory=dict)   # url -> cause
    discovered: int = 0

    def line(self) -> str:
        return (f"scrape: {self.fetched} written, {self.unchanged} unchanged (304), {self.skipped_done} already done "
                f"this run, {len(self.errors)} errors, {self.discovered} pages discovered")


class FetchError(Exception):
    """A page that could not be fetched or kept; the message is the cause."""


class RateLimiter:
    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = 0.0

    def wait(self) -> None:
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


def parse_id_range(text: str) -> range:
    match = _ID_RANGE.match(text.strip())
    if not match:
        raise ValueError(f"--ids must look like 1-3000, not {text!r}")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ValueError(f"--ids range is empty: {text!r}")
    return range(first, last + 1)


# --- discovery ------------------------------------------------------------------------------

def discover_pages(html_text: str, page_url: str, base_url: str) -> set[Page]:
    """Credential and course pages linked from a page: `<a href>` and `<option value>`."""
    try:
        root = lxml.html.document_fromstring(html_text)
    except (ValueError, lxml.etree.ParserError):
        return set()
    found: set[Page] = set()
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if href and same_site(urljoin(page_url, href), base_url):
            found |= _pages_in_query(urlsplit(urljoin(page_url, href)).query)
    for select in root.iter("select"):
        field_name = (select.get("name") or select.get("id") or "").lower()
        kind = "course" if "course" in field_name else "credential" if "cred" in field_name else None
        for option in select.iter("option"):
            value = (option.get("value") or "").strip()
            if kind and value.isdigit() and int(value) > 0:
                found.add(Page(kind, int(value)))
    return found


def _pages_in_query(query: str) -> set[Page]:
    params = parse_qs(query)
    pages = set()
    for name, kind in (("cred_id", "credential"), ("course_id", "course")):
        for value in params.get(name, []):
            if value.isdigit() and int(value) > 0:
                pages.add(Page(kind, int(value)))
    return pages


def same_site(url: str, base_url: str) -> bool:
    target, base = urlsplit(url), urlsplit(base_url)
    return target.scheme in ("http", "https") and target.netloc == base.netloc and target.path.startswith(base.path)


def pages_in_manifest(manifest: dict[str, dict[str, str]]) -> set[Page]:
    pages = set()
    for row in manifest.values():
        page = page_of(row.get("url", ""))
        if page:
            pages.add(page)
    return pages


def page_of(url: str) -> Page | None:
    """The one page a URL names: a credential (also one shown within a course), else a course."""
    cred_id, course_id = ids_from_url(url)
    if cred_id:
        return Page("credential", cred_id)
    return Page("course", course_id) if course_id else None


# --- fetching -------------------------------------------------------------------------------

@dataclass
class Response:
    status: int
    content: bytes
    headers: httpx.Headers


class Fetcher:
    """GET with a rate limit, robots.txt, retries with backoff and jitter, and a size cap."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.client = client or httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=settings.timeout,
            limits=httpx.Limits(max_connections=2, max_keepalive_connections=2),
            follow_redirects=True,
        )
        self.limiter = RateLimiter(settings.rate)
        self.robots = self._load_robots()

    def _load_robots(self) -> urllib.robotparser.RobotFileParser:
        """RFC 9309: a 4xx robots.txt allows everything; one that cannot be read
        (5xx after retries, no connection) disallows everything."""
        parser = urllib.robotparser.RobotFileParser()
        robots_url = urljoin(self.settings.base_url, "/robots.txt")
        self.robots_problem = ""
        try:
            response = self.get(robots_url, check_robots=False)
        except FetchError as error:
            self.robots_problem = f" (robots.txt could not be read: {error}; RFC 9309 says disallow all)"
            parser.disallow_all = True
            return parser
        lines = response.content.decode("utf-8", "replace").splitlines() if response.status == 200 else []
        parser.parse(lines)
        return parser

    def allowed(self, url: str) -> bool:
        return self.robots.can_fetch(USER_AGENT, url)

    def get(self, url: str, headers: dict[str, str] | None = None, check_robots: bool = True) -> Response:
        if check_robots and not self.allowed(url):
            raise FetchError(f"disallowed by robots.txt{self.robots_problem}")
        last_cause = "no attempt"
        for attempt in range(self.settings.retries + 1):
            self.limiter.wait()
            try:
                response = self._get_once(url, headers or {})
            except (httpx.TimeoutException, httpx.TransportError) as error:
                last_cause = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
                delay = self._backoff(attempt)
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                last_cause = f"HTTP {response.status}"
                delay = self._retry_after(response) or self._backoff(attempt)
            if attempt < self.settings.retries:
                time.sleep(delay)
        raise FetchError(f"gave up after {self.settings.retries + 1} attempts: {last_cause}")

    def _get_once(self, url: str, headers: dict[str, str]) -> Response:
        with self.client.stream("GET", url, headers=headers) as response:
            declared = int(response.headers.get("content-length") or 0)
            if declared > self.settings.max_bytes:
                raise FetchError(f"response too large: {declared} bytes (cap {self.settings.max_bytes})")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.settings.max_bytes:
                    raise FetchError(f"response too large: over {self.settings.max_bytes} bytes")
                chunks.append(chunk)
            return Response(response.status_code, b"".join(chunks), response.headers)

    def _backoff(self, attempt: int) -> float:
        base = self.settings.backoff * (2 ** attempt)
        return base * random.uniform(0.5, 1.5)

    def _retry_after(self, response: Response) -> float | None:
        value = response.headers.get("retry-after")
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            try:
                seconds = (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds()
            except (TypeError, ValueError):
                return None
        return min(max(seconds, 0.0), self.settings.max_retry_after)

    def close(self) -> None:
        self.client.close()


# --- the crawl ------------------------------------------------------------------------------

class Crawl:
    def __init__(self, settings: Settings, fetcher: Fetcher, progress: Callable[[str], None]) -> None:
        self.settings = settings
        self.fetcher = fetcher
        self.progress = progress
        self.year_dir = settings.raw / settings.year
        self.manifest = read_manifest(self.year_dir / MANIFEST_NAME)
        self.state = self._load_state()
        self.summary = Summary()

    def _load_state(self) -> dict:
        path = self.year_dir / STATE_NAME
        if path.exists():
            state = json.loads(path.read_text())
            if state.get("draft") == self.settings.draft and state.get("base_url") == self.settings.base_url:
                return state
        return {"started_at": now_iso(), "draft": self.settings.draft, "base_url": self.settings.base_url,
                "done": [], "pending": []}

    def run(self) -> Summary:
        self.year_dir.mkdir(parents=True, exist_ok=True)
        done = {(kind, id_) for kind, id_ in self.state["done"]}
        queue = [Page(kind, id_) for kind, id_ in self.state["pending"]]
        if not queue and not done:
            queue = self._initial_queue()
        seen = set(queue) | {Page(kind, id_) for kind, id_ in done}
        self.summary.skipped_done = len(done)
        while queue:
            page = queue.pop(0)
            new = self._visit(page)
            for found in sorted(new - seen, key=lambda p: (p.kind, p.id)):
                queue.append(found)
                seen.add(found)
            done.add((page.kind, page.id))
            self.state["done"] = sorted(done)
            self.state["pending"] = [(p.kind, p.id) for p in queue]
            self._save_state()
            self.progress(f"scrape: {len(done)} done, {len(queue)} left, {len(self.summary.errors)} errors")
        self.summary.discovered = len(seen)
        (self.year_dir / STATE_NAME).unlink(missing_ok=True)
        return self.summary

    def _initial_queue(self) -> list[Page]:
        pages = pages_in_manifest(self.manifest)
        start_url = f"{self.settings.base_url}{'future_' if self.settings.draft else ''}credential_info.php"
        try:
            response = self.fetcher.get(start_url)
            if response.status == 200:
                pages |= discover_pages(decode(response.content, is_html=True), start_url, self.settings.base_url)
            else:
                self.summary.errors[start_url] = f"start page: HTTP {response.status}"
        except (FetchError, DocumentError) as error:
            self.summary.errors[start_url] = f"start page: {error}"
        if self.settings.ids:
            pages |= {Page("credential", id_) for id_ in parse_id_range(self.settings.ids)}
        return sorted(pages, key=lambda p: (p.kind != "course", p.id))

    def _visit(self, page: Page) -> set[Page]:
        url = page.url(self.settings.base_url, self.settings.draft)
        rel = page.file_name(self.settings.draft)
        try:
            response = self.fetcher.get(url, headers=self._conditional_headers(rel))
            if response.status == 304:
                self._touch(rel)
                self.summary.unchanged += 1
                return self._links_in_stored(rel, url)
            text = self._check(response, url)
        except (FetchError, DocumentError) as error:
            self.summary.errors[url] = str(error)
            self.progress(f"error: {url}: {error}")
            return set()
        self._store(rel, url, response)
        self.summary.fetched += 1
        return discover_pages(text, url, self.settings.base_url)

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

    def _check(self, response: Response, url: str) -> str:
        """The page's text, if it is worth keeping; else FetchError with the reason."""
        if response.status != 200:
            raise FetchError(f"HTTP {response.status}")
        text = decode(response.content, is_html=True)
        page = parse_html(text)
        if not page.blocks:
            raise FetchError("no credential block in the page (soft 404 or error page); existing copy kept")
        if page.school_year and page.school_year != self.settings.year:
            raise FetchError(f"page shows school year {page.school_year}, not {self.settings.year} "
                             "(the site moved on?); existing copy kept")
        return text

    def _store(self, rel: str, url: str, response: Response) -> None:
        write_atomic(self.year_dir / rel, response.content)
        self.manifest[rel] = {
            "path": rel, "url": url, "fetched_at": now_iso(), "status": str(response.status),
            "content_type": response.headers.get("content-type", ""),
            "sha256": hashlib.sha256(response.content).hexdigest(),
            "etag": response.headers.get("etag", ""), "last_modified": response.headers.get("last-modified", ""),
        }
        self._save_manifest()

    def _touch(self, rel: str) -> None:
        self.manifest[rel]["fetched_at"] = now_iso()
        self._save_manifest()

    def _links_in_stored(self, rel: str, url: str) -> set[Page]:
        try:
            return discover_pages(decode((self.year_dir / rel).read_bytes(), is_html=True), url, self.settings.base_url)
        except DocumentError:
            return set()

    def _save_manifest(self) -> None:
        write_atomic(self.year_dir / MANIFEST_NAME, manifest_csv(list(self.manifest.values())))

    def _save_state(self) -> None:
        write_atomic(self.year_dir / STATE_NAME, json.dumps(self.state, indent=1).encode("utf-8"))


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def scrape(settings: Settings, progress: Callable[[str], None] = lambda message: None,
           client: httpx.Client | None = None) -> Summary:
    """Crawl one school year into raw/<year>/html/ and its manifest."""
    if not settings.base_url.endswith("/"):
        settings.base_url += "/"
    fetcher = Fetcher(settings, client)
    try:
        return Crawl(settings, fetcher, progress).run()
    finally:
        fetcher.close()
