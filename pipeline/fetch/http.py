"""HTTP policy for the crawl: rate limit, robots.txt, redirects, retries, a deadline and a size cap.

Every request, redirect hops included, waits for the rate limit and asks
robots.txt of its host (RFC 9309, parsed by protego: longest match wins, `*`
and `$` wildcards, a `Crawl-delay` slower than `--rate` is honoured). A
redirect is followed hop by hop, only while it stays where the caller allows
(the directory's host and path). `--timeout` bounds the whole response, not
each read. Every failure of one URL is a `FetchError` with its cause; only an
unreachable host at the very start is a `HostUnreachable`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from pipeline import __version__

PROJECT_URL = "https://github.com/nc-cte/credential-dataset"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MAX_BYTES = 5_000_000


def user_agent(contact: str | None) -> str:
    """The tool, its version, the project's URL and, when given, a contact for the site's staff."""
    where = f"+{PROJECT_URL}" + (f"; {contact}" if contact else "")
    return f"nccte-credentials-pipeline/{__version__} ({where})"


class FetchError(Exception):
    """A URL that could not be fetched or kept; the message is the cause."""


class HostUnreachable(FetchError):
    """The host does not answer at all (no DNS, refused, no route): nothing can be crawled."""


@dataclass
class Policy:
    rate: float = 1.0  # requests per second
    timeout: float = 30.0  # seconds for a whole response
    retries: int = 4
    backoff: float = 2.0  # first retry delay, doubled each time, with jitter
    max_retry_after: float = 120.0
    max_bytes: int = MAX_BYTES
    contact: str | None = None


@dataclass
class Response:
    url: str  # the final URL, after redirects
    status: int
    content: bytes
    headers: httpx.Headers


@dataclass
class Stats:
    """What the crawl did over HTTP, for the closing summary (like scrapy's stats)."""

    requests: int = 0
    retries: int = 0
    redirects: int = 0
    bytes: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def count(self, status: int, size: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.bytes += size


class RateLimiter:
    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next_at = 0.0

    def slow_down_to(self, interval: float) -> None:
        self.interval = max(self.interval, interval)

    def wait(self) -> None:
        now = time.monotonic()
        if now < self.next_at:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


class Fetcher:
    """GET one URL politely; see the module docstring for the rules."""

    def __init__(
        self, policy: Policy, say: Callable[[str], None] = lambda message: None, client: httpx.Client | None = None
    ) -> None:
        self.policy = policy
        self.say = say
        self.agent = user_agent(policy.contact)
        self.client = client or httpx.Client(
            headers={"User-Agent": self.agent},
            timeout=policy.timeout,
            limits=httpx.Limits(max_connections=2, max_keepalive_connections=2),
            follow_redirects=False,
        )
        self.limiter = RateLimiter(policy.rate)
        self.stats = Stats()
        self._robots: dict[str, tuple[Protego | None, str]] = {}

    # --- robots.txt, per host ----------------------------------------------------------------

    def robots_for(self, url: str) -> tuple[Protego | None, str]:
        """(parser, problem) for the URL's host; a None parser means disallow all (RFC 9309: unreadable)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        return self._robots[origin]

    def _load_robots(self, origin: str) -> tuple[Protego | None, str]:
        """RFC 9309: a 4xx robots.txt allows everything; one that cannot be read (5xx after
        retries, a broken body) disallows everything."""
        try:
            response = self._get_with_retries(f"{origin}/robots.txt", {})
        except HostUnreachable:
            raise
        except FetchError as error:
            return None, f"robots.txt of {origin} could not be read: {error}; RFC 9309 says disallow all"
        if response.status >= 500:
            return None, f"robots.txt of {origin}: HTTP {response.status}; RFC 9309 says disallow all"
        text = response.content.decode("utf-8", "replace") if response.status == 200 else ""
        robots = Protego.parse(text)
        delay = robots.crawl_delay(self.agent)
        if delay and delay > self.limiter.interval:
            self.limiter.slow_down_to(float(delay))
            self.say(
                f"robots.txt of {origin} asks for a Crawl-delay of {delay:g} s: honoured "
                f"(slower than --rate {self.policy.rate:g})"
            )
        return robots, ""

    def check_allowed(self, url: str) -> None:
        robots, problem = self.robots_for(url)
        if robots is None:
            raise FetchError(f"not fetched: {problem}")
        if not robots.can_fetch(url, self.agent):
            raise FetchError("disallowed by robots.txt")

    # --- GET ---------------------------------------------------------------------------------

    def get(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        may_redirect_to: Callable[[str], bool] = lambda url: False,
    ) -> Response:
        """GET `url`, following redirects hop by hop while `may_redirect_to(next_url)` holds."""
        for _ in range(MAX_REDIRECTS + 1):
            self.check_allowed(url)
            response = self._get_with_retries(url, headers or {})
            if response.status not in REDIRECT_STATUSES:
                return response
            target = urljoin(url, response.headers.get("location", ""))
            if not response.headers.get("location"):
                raise FetchError(f"HTTP {response.status} without a Location")
            if not may_redirect_to(target):
                raise FetchError(f"redirected to {target}, outside the directory; not followed")
            self.stats.redirects += 1
            url = target
        raise FetchError(f"more than {MAX_REDIRECTS} redirects (a loop?); gave up at {url}")

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> Response:
        last_cause = "no attempt"
        for attempt in range(self.policy.retries + 1):
            self.limiter.wait()
            self.stats.requests += 1
            try:
                response = self._get_once(url, headers)
            except httpx.ConnectError as error:
                if self.stats.requests == 1:
                    raise HostUnreachable(f"cannot reach {urlsplit(url).netloc}: {_cause(error)}") from error
                last_cause, delay = _cause(error), self._backoff(attempt)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                last_cause, delay = _cause(error), self._backoff(attempt)
            except httpx.HTTPError as error:  # a broken gzip body, a bad header...: not transient
                raise FetchError(f"bad response: {_cause(error)}") from error
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                last_cause = f"HTTP {response.status}"
                delay = self._retry_after(response) or self._backoff(attempt)
            if attempt < self.policy.retries:
                self.stats.retries += 1
                self.say(f"retrying {url} in {delay:.0f} s ({last_cause})")
                time.sleep(delay)
        raise FetchError(f"gave up after {self.policy.retries + 1} attempts: {last_cause}")

    def _get_once(self, url: str, headers: dict[str, str]) -> Response:
        deadline = time.monotonic() + self.policy.timeout
        with self.client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length") or "0"
            if declared.isdigit() and int(declared) > self.policy.max_bytes:
                raise FetchError(f"response too large: {declared} bytes (cap {self.policy.max_bytes})")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise FetchError(f"response too large: over {self.policy.max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout(f"whole response took over {self.policy.timeout:g} s (--timeout)")
                chunks.append(chunk)
            self.stats.count(response.status_code, size)
            return Response(str(response.url), response.status_code, b"".join(chunks), response.headers)

    def _backoff(self, attempt: int) -> float:
        return self.policy.backoff * (2**attempt) * random.uniform(0.5, 1.5)

    def _retry_after(self, response: Response) -> float | None:
        value = response.headers.get("retry-after")
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            try:
                seconds = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
            except (TypeError, ValueError):
                return None
        return min(max(seconds, 0.0), self.policy.max_retry_after)

    def close(self) -> None:
        self.client.close()


def _cause(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
