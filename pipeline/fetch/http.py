"""HTTP policy for the crawl: rate limit, robots.txt, redirects, retries, a deadline and a size cap.

Every URL is normalised (`fetch.urls`) before any check, and the normalised URL
is the one requested. Every request, redirect hops included, waits for its
host's rate limit and asks robots.txt of its host (RFC 9309, parsed by protego:
longest match wins, `*` and `$` wildcards, a byte order mark ignored, up to five
redirects followed to any host, 4xx allows all, 5xx or no answer disallows all,
a `Crawl-delay` slower than `--rate` is honoured on that host). A redirect is
followed hop by hop only while the caller's rule allows it. `--timeout` is one
deadline for the whole response: connect, headers and body. A body shorter than
it says is an error. A host that asks for a pause longer than we wait (a long
`Retry-After` or `Crawl-delay`), or whose retry pauses add up to more than
`max_host_wait` in one run, is a `HostAsksToStop`: that host is not asked again
in this run. Every other failure of one URL is a `FetchError` with its
cause; only an unreachable host at the very start is a `HostUnreachable`.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ipaddress
import math
import random
import re
import socket
import time
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpcore
import httpx
from protego import Protego

from pipeline import __version__
from pipeline.fetch.settings import Policy, SettingsError
from pipeline.fetch.urls import URLError, normalise, origin

PROJECT_URL = "https://github.com/nc-cte/credential-dataset"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CONNECTIONS = 2
LONGEST_PAUSE = 10**10  # seconds; a Retry-After beyond it is shown as this far away
_DELAY_SECONDS = re.compile(r"[0-9]+")


def user_agent(contact: str | None) -> str:
    """The tool, its version, the project's URL and, when given, a contact for the site's staff."""
    where = f"+{PROJECT_URL}" + (f"; {contact}" if contact else "")
    return f"nccte-credentials-pipeline/{__version__} ({where})"


class FetchError(Exception):
    """A URL that could not be fetched or kept; the message is the cause."""


class HostUnreachable(FetchError):
    """The host does not answer at all (no DNS, refused, no route): nothing can be crawled."""


class Redirected(FetchError):
    """A redirect that was not followed; `target` is where it led, when that was a usable URL."""

    def __init__(self, message: str, target: str | None) -> None:
        super().__init__(message)
        self.target = target


class HostAsksToStop(FetchError):
    """A host asked for a longer pause than this scraper waits: its crawl ends, said, not hung on."""

    def __init__(self, host: str, asked: str, cap: float, resume_at: datetime | None = None) -> None:
        until = f" until {resume_at:%Y-%m-%d %H:%M:%S} UTC" if resume_at else ""
        super().__init__(f"{host} asks for a pause ({asked}){until}, beyond the {cap:g} s this scraper waits")
        self.host = host
        self.resume_at = resume_at


@dataclass
class Response:
    url: str  # the final URL, after redirects, normalised
    status: int
    content: bytes  # decoded (gzip, deflate) and complete
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
    """One host's pace: one request per `interval` seconds."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.next_at = 0.0

    def slow_down_to(self, interval: float) -> None:
        self.interval = max(self.interval, interval)

    def due_in(self) -> float:
        return max(0.0, self.next_at - time.monotonic())

    def wait(self) -> None:
        time.sleep(self.due_in())
        self.next_at = time.monotonic() + self.interval


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """A Retry-After's wait in seconds (RFC 9110 10.2.3: delay-seconds or an HTTP-date), None if unreadable.

    `nan`, `inf`, `-5`, `1e3` and garbage are no delay-seconds: None, and the retry uses the backoff.
    """
    value = (value or "").strip()
    if _DELAY_SECONDS.fullmatch(value):
        digits = value.lstrip("0") or "0"
        return float(LONGEST_PAUSE if len(digits) > len(str(LONGEST_PAUSE)) else min(int(digits), LONGEST_PAUSE))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)  # `-0000`: GMT, as HTTP dates are
    return min(max((when - now).total_seconds(), 0.0), LONGEST_PAUSE)


class Fetcher:
    """GET one URL politely; see the module docstring for the rules."""

    def __init__(self, policy: Policy, say: Callable[[str], None] = lambda message: None) -> None:
        self.policy = policy
        self.say = say
        self.agent = user_agent(policy.contact)
        self.deadline = Deadline(policy.timeout)
        self.client = httpx.Client(
            headers={"User-Agent": self.agent, "Accept-Encoding": "gzip, deflate"},
            timeout=policy.timeout,
            transport=(transport := DeadlineTransport(self.deadline)),
            follow_redirects=False,
        )
        self.transport = transport
        self.stats = Stats()
        self._limiters: dict[str, RateLimiter] = {}
        self._crawl_delays: dict[str, float] = {}
        self._robots: dict[str, tuple[Protego | None, str]] = {}
        self._stopped: dict[str, HostAsksToStop] = {}
        self._waited: dict[str, float] = {}  # seconds of retry pauses per host in this run

    # --- robots.txt, per host ----------------------------------------------------------------

    def robots_for(self, url: str) -> tuple[Protego | None, str]:
        """(parser, problem) for the URL's host; a None parser means disallow all (RFC 9309: unreachable)."""
        host = origin(url)
        if host not in self._robots:
            try:
                self._robots[host] = self._load_robots(host)
            except HostAsksToStop as stop:
                self._stopped.setdefault(host, stop)
                raise
        return self._robots[host]

    def _load_robots(self, host: str) -> tuple[Protego | None, str]:
        """RFC 9309 2.3.1: up to five redirects, to any host; 2xx is read, 4xx allows all (unavailable),
        5xx or no answer (after retries) disallows all (unreachable); more redirects is unavailable."""
        url = f"{host}/robots.txt"
        try:
            for _ in range(self.policy.max_redirects + 1):
                response = self._get_with_retries(url, {})
                if response.status not in REDIRECT_STATUSES:
                    break
                try:
                    url = normalise(response.headers.get("location") or "", base=url)
                except URLError as error:
                    return self._unavailable(f"robots.txt of {host} redirects to an unusable URL ({error})")
            else:
                return self._unavailable(f"robots.txt of {host}: more than {self.policy.max_redirects} redirects")
        except (HostUnreachable, HostAsksToStop):
            raise
        except FetchError as error:
            return None, f"robots.txt of {host} could not be read: {error}; RFC 9309 says disallow all"
        if 400 <= response.status < 500:
            return Protego.parse(""), ""
        if not 200 <= response.status < 300:
            return None, f"robots.txt of {host}: HTTP {response.status}; RFC 9309 says disallow all"
        robots = Protego.parse(response.content.decode("utf-8-sig", "replace"))
        self._honour_crawl_delay(host, robots.crawl_delay(self.agent))
        return robots, ""

    def _unavailable(self, why: str) -> tuple[Protego, str]:
        self.say(f"{why}; RFC 9309 calls it unavailable: allow all")
        return Protego.parse(""), ""

    def _honour_crawl_delay(self, host: str, delay: float | None) -> None:
        if not delay or not math.isfinite(delay) or delay <= 1 / self.policy.rate:
            return
        self._crawl_delays[host] = delay
        self._limiter(host).slow_down_to(delay)
        if delay <= self.policy.max_crawl_delay:
            self.say(
                f"robots.txt of {host} asks for a Crawl-delay of {delay:g} s: honoured "
                f"(slower than --rate {self.policy.rate:g})"
            )

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
        redirect_refusal: Callable[[str], str | None] = lambda target: "not the URL asked for",
    ) -> Response:
        """GET `url`, following redirects hop by hop while `redirect_refusal(next_url)` is None."""
        try:
            url = normalise(url)
        except URLError as error:
            raise FetchError(f"not fetched: {error}") from None
        for _ in range(self.policy.max_redirects + 1):
            self.check_allowed(url)
            response = self._get_with_retries(url, headers or {})
            if response.status not in REDIRECT_STATUSES:
                return response
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"HTTP {response.status} without a Location")
            try:
                target = normalise(location, base=url)
            except URLError as error:
                raise Redirected(f"redirected to {location!r}: {error}; not followed", None) from None
            refusal = redirect_refusal(target)
            if refusal:
                raise Redirected(f"redirected to {target}, {refusal}; not followed", target)
            self.stats.redirects += 1
            url = target
        raise FetchError(f"more than {self.policy.max_redirects} redirects (a loop?); gave up at {url}")

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> Response:
        last_cause = "no attempt"
        for attempt in range(self.policy.retries + 1):
            self._wait_turn(url)
            self.stats.requests += 1
            try:
                response = self._get_once(url, headers)
            except (httpx.ConnectError, httpx.ProxyError) as error:  # refused, or the proxy refused the tunnel
                if self.stats.requests == 1:
                    where = origin(url).split("//", 1)[1] + self.transport.through(httpx.URL(url))
                    raise HostUnreachable(f"cannot reach {where}: {_cause(error)}{_trust_hint(error)}") from error
                last_cause, delay = _cause(error), self._backoff(attempt)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                last_cause, delay = _cause(error), self._backoff(attempt)
            except httpx.HTTPError as error:  # a bad header...: not transient
                raise FetchError(f"bad response: {_cause(error)}") from error
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                last_cause = f"HTTP {response.status}"
                delay = self._pause_asked(url, response)
                delay = self._backoff(attempt) if delay is None else delay
            if attempt < self.policy.retries:
                self._charge_wait(url, delay, last_cause)
                self.stats.retries += 1
                self.say(f"retrying {url} in {delay:.0f} s ({last_cause})")
                time.sleep(delay)
        raise FetchError(f"gave up after {self.policy.retries + 1} attempts: {last_cause}")

    def _charge_wait(self, url: str, delay: float, cause: str) -> None:
        """Count a retry pause against its host's budget: a host that keeps failing stops, said, not waited on.

        Each pause is bounded (Retry-After, backoff); this bounds their sum, so a host that answers
        every page with 429 and a short Retry-After, or a 503 each time, cannot hold the run for hours.
        """
        host = origin(url)
        waited = self._waited.get(host, 0.0) + delay
        if waited > self.policy.max_host_wait:
            asked = f"retry pauses adding up to over {self.policy.max_host_wait:g} s in this run, the last for {cause}"
            self._stopped[host] = HostAsksToStop(host, asked, self.policy.max_host_wait)
            raise self._stopped[host]
        self._waited[host] = waited

    def _pause_asked(self, url: str, response: Response) -> float | None:
        """The Retry-After to wait; a longer one than we wait stops the host (HostAsksToStop)."""
        value = response.headers.get("retry-after")
        now = datetime.now(UTC)
        wait = retry_after_seconds(value, now)
        if wait is not None and wait > self.policy.max_retry_after:
            host = origin(url)
            shown = value.strip() if value.strip().isprintable() and value.isascii() else ascii(value.strip())
            asked = f"HTTP {response.status}, Retry-After: {shown}"
            self._stopped[host] = HostAsksToStop(
                host, asked, self.policy.max_retry_after, now + timedelta(seconds=wait)
            )
            raise self._stopped[host]
        return wait

    def _wait_turn(self, url: str) -> None:
        """Wait for the host's turn; a host whose pace we will not keep up with is stopped instead."""
        host = origin(url)
        if host in self._stopped:
            raise self._stopped[host]
        limiter = self._limiter(host)
        delay = self._crawl_delays.get(host, 0.0)
        if delay > self.policy.max_crawl_delay and limiter.due_in() > self.policy.max_crawl_delay:
            asked = f"robots.txt Crawl-delay: {delay:g} s between requests"
            self._stopped[host] = HostAsksToStop(host, asked, self.policy.max_crawl_delay)
            raise self._stopped[host]
        limiter.wait()

    def _limiter(self, host: str) -> RateLimiter:
        return self._limiters.setdefault(host, RateLimiter(1.0 / self.policy.rate))

    def _get_once(self, url: str, headers: dict[str, str]) -> Response:
        with self.deadline.running(), self.client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length") or "0"
            if declared.isdigit() and int(declared) > self.policy.max_bytes:
                raise FetchError(f"response too large: {declared} bytes (cap {self.policy.max_bytes})")
            chunks, size = [], 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise FetchError(f"response too large: over {self.policy.max_bytes} bytes")
                chunks.append(chunk)
            self.stats.count(response.status_code, size)
            content = decode_body(b"".join(chunks), response.headers.get("content-encoding", ""), self.policy.max_bytes)
            return Response(url, response.status_code, content, response.headers)

    def _backoff(self, attempt: int) -> float:
        delay = self.policy.backoff * (2 ** min(attempt, 30)) * random.uniform(0.5, 1.5)
        return min(delay, self.policy.max_retry_after)

    def close(self) -> None:
        self.client.close()


def _trust_hint(error: Exception) -> str:
    if "CERTIFICATE_VERIFY_FAILED" not in str(error):
        return ""
    return "; if your network inspects HTTPS, name its certificate authority's file in SSL_CERT_FILE"


def _cause(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


# --- a body as sent: decoded here, so one that ends early is an error ---------------------------------------


def decode_body(raw: bytes, content_encoding: str, max_bytes: int) -> bytes:
    """The body under its Content-Encoding (gzip, deflate; applied in order), each layer complete.

    httpx's decoders accept a gzip stream that stops early; here a stream that
    does not reach its end is `RemoteProtocolError` (a retry may get it whole).
    """
    if not raw:  # a 304 or a redirect may name an encoding and send nothing
        return raw
    codings = [coding.strip().lower() for coding in content_encoding.split(",")]
    for coding in reversed([coding for coding in codings if coding not in ("", "identity")]):
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(f"bad response: DecodingError: Content-Encoding {coding!r} was not asked for")
        raw = _inflate(raw, coding, max_bytes)
    return raw


def _inflate(raw: bytes, coding: str, max_bytes: int) -> bytes:
    # "deflate" is zlib-wrapped (RFC 9110 8.4.1.2), but some servers send it raw
    formats = (zlib.MAX_WBITS, -zlib.MAX_WBITS) if coding == "deflate" else (zlib.MAX_WBITS | 16,)
    problem = None
    for wbits in formats:
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(raw, max_bytes + 1)
        except zlib.error as error:
            problem = error
            continue
        if len(out) > max_bytes:
            raise FetchError(f"response too large: over {max_bytes} bytes once decompressed")
        if not inflater.eof:
            raise httpx.RemoteProtocolError(f"the {coding} body ends early ({len(raw)} bytes received)")
        return out
    raise FetchError(f"bad response: DecodingError: {coding} body: {problem}")


# --- one deadline for connect, headers and body -------------------------------------------------------------


class Deadline:
    """The end of the request under way: every socket operation may wait only until then."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at: float | None = None

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        self.at = time.monotonic() + self.seconds
        try:
            yield
        finally:
            self.at = None

    def bounded(self, operation: Callable, timeout: float | None, late: type[Exception]):
        """`operation(timeout)` with the timeout cut to what is left; `late` when the deadline is what ran out."""
        if self.at is None:
            return operation(timeout)
        left = self.at - time.monotonic()
        if left > 0:
            try:
                return operation(left if timeout is None else min(timeout, left))
            except httpcore.TimeoutException:
                if time.monotonic() < self.at:
                    raise
        raise late(f"whole response took over {self.seconds:g} s (--timeout)")


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._deadline.bounded(lambda left: self._stream.read(max_bytes, left), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._deadline.bounded(lambda left: self._stream.write(buffer, left), timeout, httpcore.WriteTimeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None, timeout: float | None = None):
        secured = self._deadline.bounded(
            lambda left: self._stream.start_tls(ssl_context, server_hostname, left), timeout, httpcore.ConnectTimeout
        )
        return _DeadlineStream(secured, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sockets, each read, write and connect bounded by the request's deadline.

    httpx's timeouts are per operation, so a server dripping one header byte a
    second is never late; the deadline is for the whole response.
    """

    def __init__(self, deadline: Deadline) -> None:
        self._backend = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        """The name looked up and each of its addresses tried (as `socket.create_connection` does), all
        within the deadline: a resolver that hangs is as late as a server that does."""
        bounded = self._deadline.bounded
        addresses = bounded(lambda left: _resolve(host, port, left), timeout, httpcore.ConnectTimeout)
        failure: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                stream = bounded(
                    lambda left, to=address: self._backend.connect_tcp(to, port, left, local_address, socket_options),
                    timeout,
                    httpcore.ConnectTimeout,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
                continue
            return _DeadlineStream(stream, self._deadline)
        raise failure

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="nccte-dns")


def _resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """The addresses of `host`, looked up in a thread so that the lookup can be given up on (getaddrinfo
    itself takes no timeout; a given-up lookup ends in its thread, unwaited)."""
    with contextlib.suppress(ValueError):
        return [str(ipaddress.ip_address(host))]
    lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        found = lookup.result(timeout)
    except concurrent.futures.TimeoutError:
        raise httpcore.ConnectTimeout(f"looking up {host} took over {timeout:g} s") from None
    except OSError as error:  # socket.gaierror: no such name...
        raise httpcore.ConnectError(str(error)) from error
    return list(dict.fromkeys(info[4][0] for info in found))


class DeadlineTransport(httpx.BaseTransport):
    """httpx's transport (httpcore's pools, through their public API) on the deadline's sockets.

    A custom transport makes httpx ignore the environment's proxies, so they are
    read here as curl and urllib read them (`http_proxy`, `https_proxy`,
    `no_proxy`, in either case; user:password in the proxy's URL is sent as Basic
    proxy authentication): data staff behind an office proxy can scrape.
    """

    def __init__(self, deadline: Deadline, proxies: dict[str, str] | None = None) -> None:
        backend = _DeadlineBackend(deadline)
        context = httpx.create_ssl_context()
        self._proxies = dict(urllib.request.getproxies_environment() if proxies is None else proxies)
        self._direct = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=CONNECTIONS,
            max_keepalive_connections=CONNECTIONS,
            network_backend=backend,
        )
        self._proxied = {
            scheme: _proxy_pool(self._proxies[scheme], context, backend)
            for scheme in ("http", "https")
            if self._proxies.get(scheme)
        }

    def _pool_for(self, url: httpx.URL) -> httpcore.ConnectionPool:
        pool = self._proxied.get(url.scheme)
        if pool is None or urllib.request.proxy_bypass_environment(url.host, self._proxies):
            return self._direct
        return pool

    def through(self, url: httpx.URL) -> str:
        """` through the proxy HOST:PORT` when `url` goes through one (its credentials left out), else ``."""
        pool = self._pool_for(url)
        if pool is self._direct:
            return ""
        return f" through the proxy {_proxy_parts(self._proxies[url.scheme]).netloc.rpartition('@')[2]}"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self._pool_for(url).handle_request(core)
        return httpx.Response(
            response.status, headers=response.headers, stream=_Body(response.stream), extensions=response.extensions
        )

    def close(self) -> None:
        for pool in (self._direct, *self._proxied.values()):
            pool.close()


def _proxy_pool(proxy: str, context, backend: httpcore.NetworkBackend) -> httpcore.ConnectionPool:
    """A pool through `proxy` (an http:// URL; CONNECT for https targets)."""
    parts = _proxy_parts(proxy)
    unquote = urllib.parse.unquote
    auth = (unquote(parts.username), unquote(parts.password or "")) if parts.username else None
    return httpcore.HTTPProxy(
        proxy_url=f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}",
        proxy_auth=auth,
        ssl_context=context,
        max_connections=CONNECTIONS,
        max_keepalive_connections=CONNECTIONS,
        network_backend=backend,
    )


def _proxy_parts(proxy: str) -> urllib.parse.SplitResult:
    """The proxy URL's parts; SettingsError when the environment names no usable proxy."""
    parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    try:
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is no number
        usable = False
    if not usable:
        raise SettingsError(f"the environment's proxy ({proxy!r} in http_proxy or https_proxy) is no http:// URL")
    return parts


class _Body(httpx.SyncByteStream):
    def __init__(self, stream) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._stream

    def close(self) -> None:
        self._stream.close()


_HTTPCORE_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    httpcore.ProxyError,  # a CONNECT the proxy answered with no 2xx (407: it wants credentials)
)


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    """httpcore's errors as httpx's of the same name (ReadTimeout, ConnectError, ...), which the fetcher knows."""
    try:
        yield
    except _HTTPCORE_ERRORS as error:
        raise getattr(httpx, type(error).__name__, httpx.TransportError)(str(error)) from error
