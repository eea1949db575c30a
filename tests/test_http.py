"""pipeline/fetch/http.py in process: its pure rules (Retry-After, Content-Encoding, the proxy settings, the
User-Agent, one deadline) with hand-written values, and the Fetcher against real HTTP servers on 127.0.0.1.

Every expected value is written from the input by hand (RFC 9110 for Retry-After and Content-Encoding, RFC 9309
for robots.txt); nothing here reaches the internet.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gzip
import select
import socket
import socketserver
import ssl
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import certifi
import httpcore
import httpx
import pytest
import trustme

from pipeline import __version__
from pipeline.fetch import http
from pipeline.fetch.http import (
    Deadline,
    DeadlineTransport,
    Fetcher,
    FetchError,
    HostAsksToStop,
    RateLimiter,
    Redirected,
    decode_body,
    retry_after_seconds,
    user_agent,
)
from pipeline.fetch.settings import Policy, SettingsError
from tests.deadline import fails_after

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_test_hangs() -> Iterator[None]:
    """Each test here ends in seconds; one still running after 20 s fails rather than waiting for mutmut's timeout
    of minutes: a mutant that leaves a connect, a write or a server's shutdown waiting forever is killed in 20 s.
    Set up first, so that it also bounds the other fixtures' teardown."""
    with fails_after(20):
        yield


@pytest.fixture(autouse=True)
def own_resolver(monkeypatch) -> Iterator[None]:
    """A lookup pool of the test's own. mutmut runs each mutant's tests in a process forked from one that has used
    the module's pool; a fork does not copy the pool's threads, so a lookup there would wait for a thread that is
    gone (every test that looks up a name failing at its timeout, whatever the mutant)."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="test-dns")
    monkeypatch.setattr(http, "_RESOLVER", pool)
    yield
    pool.shutdown(wait=False, cancel_futures=True)


# --- the User-Agent ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "contact, comment",
    [
        (None, "(+https://github.com/nc-cte/credential-dataset)"),
        ("data@example.org", "(+https://github.com/nc-cte/credential-dataset; data@example.org)"),
    ],
)
def test_the_user_agent_names_the_tool_its_version_the_project_and_the_contact(contact, comment):
    assert user_agent(contact) == f"nccte-credentials-pipeline/{__version__} {comment}"


# --- Retry-After (RFC 9110 10.2.3) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, seconds",
    [
        ("120", 120.0),  # delay-seconds
        (" 7 ", 7.0),  # blanks around it
        ("007", 7.0),  # leading zeros
        ("0", 0.0),
        ("000", 0.0),
        ("9999999999", 9999999999.0),  # just under the longest pause shown
        ("10000000000", 1e10),  # the longest pause itself
        ("10000000001", 1e10),  # beyond it: shown as the longest
        ("99999999999999999999", 1e10),  # more digits than the longest: never turned into a huge int
        ("Thu, 01 Jan 2026 00:01:00 GMT", 60.0),  # an HTTP-date a minute after NOW
        ("Thu, 01 Jan 2026 00:01:00 -0000", 60.0),  # `-0000`: GMT, as HTTP dates are
        ("Thu, 01 Jan 2026 00:01:00", 60.0),  # no zone at all: GMT too
        ("Thu, 01 Jan 2026 01:00:00 +0100", 0.0),  # midnight UTC written in +01:00: now, no wait
        ("Wed, 31 Dec 2025 23:00:00 GMT", 0.0),  # in the past: no wait, never a negative one
        ("Fri, 31 Dec 9999 23:59:59 GMT", 1e10),  # far away: the longest pause
        ("nan", None),
        ("inf", None),
        ("-5", None),
        ("1e3", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_delay_seconds_or_an_http_date(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


# --- Content-Encoding -----------------------------------------------------------------------------------------

PAGE = b"<html><body>Credential 1</body></html>"


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    "raw, coding",
    [
        (PAGE, ""),
        (PAGE, "identity"),
        (gzip.compress(PAGE), "gzip"),
        (gzip.compress(PAGE), "GZIP"),  # codings are case-insensitive
        (gzip.compress(PAGE), "x-gzip"),
        (gzip.compress(PAGE), " gzip , identity"),
        (zlib.compress(PAGE), "deflate"),  # zlib-wrapped, as RFC 9110 8.4.1.2 says
        (_raw_deflate(PAGE), "deflate"),  # raw, as some servers send it
        (gzip.compress(zlib.compress(PAGE)), "deflate, gzip"),  # applied in order: deflate first, gzip last
        (zlib.compress(gzip.compress(PAGE)), "gzip, deflate"),
    ],
)
def test_a_body_is_decoded_under_each_of_its_codings_in_order(raw, coding):
    assert decode_body(raw, coding, 1000) == PAGE


def test_an_empty_body_naming_an_encoding_is_empty():
    """A 304 or a redirect may say gzip and send nothing."""
    assert decode_body(b"", "gzip", 1000) == b""


@pytest.mark.parametrize(
    "raw, coding, message",
    [
        (PAGE, "br", "bad response: DecodingError: Content-Encoding 'br' was not asked for"),
        (
            gzip.compress(PAGE),
            "gzip, compress",
            "bad response: DecodingError: Content-Encoding 'compress' was not asked for",
        ),
        (b"not gzip at all", "gzip", "bad response: DecodingError: gzip body: Error -3 while decompressing data: "),
        (b"not deflate", "deflate", "bad response: DecodingError: deflate body: Error -3 while decompressing data: "),
        (gzip.compress(PAGE * 40), "gzip", "response too large: over 1000 bytes once decompressed"),
    ],
)
def test_a_body_that_cannot_be_decoded_is_a_fetch_error_with_the_cause(raw, coding, message):
    with pytest.raises(FetchError) as failed:
        decode_body(raw, coding, 1000)
    assert str(failed.value).startswith(message)


def test_a_body_exactly_at_the_cap_is_kept():
    assert decode_body(gzip.compress(b"x" * 1000), "gzip", 1000) == b"x" * 1000


@pytest.mark.parametrize(
    "raw, coding",
    [
        (gzip.compress(PAGE)[:-4], "gzip"),  # the size trailer cut off
        (zlib.compress(PAGE)[:-2], "deflate"),  # the checksum cut off
    ],
)
def test_a_body_that_ends_early_is_a_protocol_error_that_may_be_retried(raw, coding):
    with pytest.raises(
        httpx.RemoteProtocolError, match=f"the {coding} body ends early \\({len(raw)} bytes received\\)"
    ):
        decode_body(raw, coding, 1000)


# --- the rate limiter -------------------------------------------------------------------------------------------


def test_a_host_is_only_ever_slowed_down():
    limiter = RateLimiter(1.0)
    limiter.slow_down_to(5.0)
    assert limiter.interval == 5.0
    limiter.slow_down_to(2.0)
    assert limiter.interval == 5.0


def test_the_next_request_is_due_one_interval_after_the_last():
    limiter = RateLimiter(30.0)
    assert limiter.due_in() == 0.0  # never asked: due now
    limiter.wait()
    assert 29.0 < limiter.due_in() <= 30.0


# --- one deadline for the whole response ----------------------------------------------------------------------


def test_without_a_request_under_way_an_operation_keeps_its_own_timeout():
    assert Deadline(5.0).bounded(lambda left: left, 7.0, httpcore.ReadTimeout) == 7.0


def test_an_operation_may_wait_only_until_the_deadline():
    deadline = Deadline(5.0)
    with deadline.running():
        assert 4.0 < deadline.bounded(lambda left: left, 60.0, httpcore.ReadTimeout) <= 5.0  # cut to what is left
        assert deadline.bounded(lambda left: left, 2.0, httpcore.ReadTimeout) == 2.0  # a shorter one kept
        assert 4.0 < deadline.bounded(lambda left: left, None, httpcore.ReadTimeout) <= 5.0  # none: what is left
    assert deadline.at is None


def test_a_deadline_passed_is_the_late_error_naming_the_timeout():
    deadline = Deadline(0.5)
    with deadline.running():
        deadline.at = time.monotonic() - 1
        with pytest.raises(httpcore.WriteTimeout, match=r"^whole response took over 0\.5 s \(--timeout\)$"):
            deadline.bounded(lambda left: left, 60.0, httpcore.WriteTimeout)


def test_a_timeout_before_the_deadline_is_the_operation_s_own():
    deadline = Deadline(60.0)

    def times_out(left):
        raise httpcore.ReadTimeout("the read's own timeout")

    with deadline.running(), pytest.raises(httpcore.ReadTimeout, match="the read's own timeout"):
        deadline.bounded(times_out, 1.0, httpcore.ConnectTimeout)


# --- proxies from the environment -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "proxies, url, through",
    [
        ({}, "http://h/x", ""),
        ({"http": "http://proxy.example:3128"}, "http://h/x", " through the proxy proxy.example:3128"),
        ({"http": "proxy.example:3128"}, "http://h/x", " through the proxy proxy.example:3128"),  # no scheme: http
        ({"http": "http://u:secret@proxy.example:3128"}, "http://h/x", " through the proxy proxy.example:3128"),
        ({"http": "http://proxy.example:3128"}, "https://h/x", ""),  # only http goes through it
        ({"https": "http://proxy.example:3128"}, "https://h/x", " through the proxy proxy.example:3128"),
        ({"https": "https://proxy.example:3128"}, "https://h/x", " through the proxy proxy.example:3128"),  # TLS to it
        ({"http": "http://proxy.example:3128", "no": "h"}, "http://h/x", ""),  # no_proxy names the host
        ({"http": "http://proxy.example:3128", "no": "other"}, "http://h/x", " through the proxy proxy.example:3128"),
    ],
)
def test_a_url_goes_through_the_environment_s_proxy_for_its_scheme_unless_no_proxy_names_it(proxies, url, through):
    transport = DeadlineTransport(Deadline(5.0), proxies)
    try:
        assert transport.through(httpx.URL(url)) == through
    finally:
        transport.close()


@pytest.mark.parametrize(
    "proxy",
    ["ftp://proxy.example:21", "http://:3128", "http://proxy.example:0", "http://proxy.example:port"],
)
def test_a_proxy_that_is_no_http_url_is_a_settings_error(proxy):
    with pytest.raises(SettingsError) as refused:
        DeadlineTransport(Deadline(5.0), {"http": proxy})
    assert str(refused.value) == (f"the environment's proxy ({proxy!r} in http_proxy or https_proxy) is no http:// URL")


# --- the Fetcher against a real server on 127.0.0.1 -----------------------------------------------------------------


class Site:
    """A server on 127.0.0.1: `pages[path]` is (status, headers, body) or a list of them, one per request in
    turn (the last repeated); every request's path and headers are kept in `seen`."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.pages: dict[str, object] = {}
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.connections: list[socket.socket] = []  # in the order they came
        self.on_request: Callable[[], None] = lambda: None  # called as each request comes, before the answer
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                site.on_request()
                answers = site.pages.get(self.path, (404, {}, b"not here"))
                if isinstance(answers, list):
                    answers = answers.pop(0) if len(answers) > 1 else answers[0]
                status, headers, body = answers
                headers = dict(headers)
                pause = headers.pop("_pause", 0)  # seconds between the headers and the body
                close = headers.pop("_close", False)  # the connection closed after the body, without saying so
                split = headers.pop("_split", False)
                self.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    if value is not None:  # None: the header left out (the body then ends with the connection)
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.flush()
                time.sleep(pause)
                if split:  # in two halves, 50 ms apart: the client reads two chunks
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    time.sleep(0.05)
                    body = body[len(body) // 2 :]
                self.wfile.write(body)
                self.close_connection = self.close_connection or close

            def log_message(self, *args):
                pass

            def setup(self):
                # the TLS handshake here, in the connection's own thread: done in accept() it would hold the
                # server's loop (and its shutdown) on a client that never sends its hello
                self.request.settimeout(10)
                site.connections.append(self.request)
                if isinstance(self.request, ssl.SSLSocket):
                    self.request.do_handshake()
                super().setup()

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.handle_error = lambda request, client_address: None  # a refused handshake: the client's error
        if tls:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True, do_handshake_on_connect=False)
        self.origin = f"{'https' if tls else 'http'}://{host}:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()  # shutdown() waits a poll

    def requests_for(self, path: str) -> int:
        return sum(seen == path for seen, _ in self.seen)

    def still_open(self) -> list[bool]:
        """For each connection that came, whether the client still holds it open (no end of stream from it)."""
        return [_open(connection) for connection in self.connections]


def _open(connection: socket.socket) -> bool:
    try:
        if not select.select([connection], [], [], 0)[0]:
            return True  # nothing to read, not even its end
        return connection.recv(1, socket.MSG_PEEK) != b""
    except (OSError, ValueError):  # closed here already, its handler done: the client had closed it
        return False


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    yield served
    served.server.shutdown()
    served.server.server_close()


def _fetcher(**changes) -> tuple[Fetcher, list[str]]:
    said: list[str] = []
    policy = Policy(**{"rate": 1000.0, "timeout": 5.0, "retries": 2, "backoff": 0.01, **changes})
    return Fetcher(policy, said.append), said


def test_a_page_is_fetched_with_the_user_agent_after_robots_txt(site):
    site.pages["/robots.txt"] = (200, {}, b"User-agent: *\nDisallow: /private/\n")
    site.pages["/a/page.php?id=1"] = (200, {"Content-Type": "text/html"}, PAGE)
    fetcher, _ = _fetcher(contact="data@example.org")
    response = fetcher.get(f"{site.origin}/a/./page.php?id=1")
    assert (response.url, response.status, response.content) == (f"{site.origin}/a/page.php?id=1", 200, PAGE)
    assert [path for path, _ in site.seen] == ["/robots.txt", "/a/page.php?id=1"]  # the normalised URL asked for
    headers = site.seen[1][1]
    expected_agent = (
        f"nccte-credentials-pipeline/{__version__} (+https://github.com/nc-cte/credential-dataset; data@example.org)"
    )
    assert (headers["user-agent"], headers["accept-encoding"]) == (expected_agent, "gzip, deflate")
    assert (fetcher.stats.requests, fetcher.stats.statuses, fetcher.stats.bytes) == (2, {200: 2}, 34 + 38)
    with pytest.raises(FetchError, match="^disallowed by robots.txt$"):
        fetcher.get(f"{site.origin}/private/x")
    assert site.requests_for("/robots.txt") == 1  # asked once per host


def test_a_gzip_page_is_decoded(site):
    site.pages["/p"] = (200, {"Content-Encoding": "gzip"}, gzip.compress(PAGE))
    fetcher, _ = _fetcher()
    assert fetcher.get(f"{site.origin}/p").content == PAGE


@pytest.mark.parametrize(
    "robots, fetched",
    [
        ((404, {}, b""), True),  # RFC 9309: unavailable, allow all
        ((403, {}, b""), True),
        ((200, {}, b"\xef\xbb\xbfUser-agent: *\nDisallow: /p\n"), False),  # a BOM before the first rule
        ((200, {}, b"User-agent: nccte-credentials-pipeline\nDisallow: /p\n"), False),  # our own group
        ((200, {}, b"User-agent: otherbot\nDisallow: /p\n"), True),
    ],
)
def test_robots_txt_is_read_as_rfc_9309_says(site, robots, fetched):
    site.pages["/robots.txt"] = robots
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, _ = _fetcher()
    if fetched:
        assert fetcher.get(f"{site.origin}/p").content == PAGE
    else:
        with pytest.raises(FetchError, match="^disallowed by robots.txt$"):
            fetcher.get(f"{site.origin}/p")


@pytest.mark.parametrize(
    "status, why",
    [
        (501, ": HTTP 501"),  # not retried
        (500, " could not be read: gave up after 1 attempts: HTTP 500"),  # retried (none left here)
    ],
)
def test_robots_txt_answering_5xx_disallows_all(site, status, why):
    site.pages["/robots.txt"] = (status, {}, b"down")
    fetcher, _ = _fetcher(retries=0)
    with pytest.raises(FetchError) as refused:
        fetcher.get(f"{site.origin}/p")
    assert str(refused.value) == f"not fetched: robots.txt of {site.origin}{why}; RFC 9309 says disallow all"
    assert site.requests_for("/p") == 0


def test_robots_txt_redirects_are_followed_to_another_path(site):
    site.pages["/robots.txt"] = (301, {"Location": "/moved/robots.txt"}, b"")
    site.pages["/moved/robots.txt"] = (200, {}, b"User-agent: *\nDisallow: /p\n")
    fetcher, _ = _fetcher()
    with pytest.raises(FetchError, match="^disallowed by robots.txt$"):
        fetcher.get(f"{site.origin}/p")


def test_robots_txt_redirecting_more_than_five_times_is_unavailable_allow_all(site):
    site.pages["/robots.txt"] = (302, {"Location": "/robots.txt"}, b"")
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, said = _fetcher()
    assert fetcher.get(f"{site.origin}/p").content == PAGE
    assert site.requests_for("/robots.txt") == 6  # the first and five redirects
    assert said == [f"robots.txt of {site.origin}: more than 5 redirects; RFC 9309 calls it unavailable: allow all"]


def test_a_crawl_delay_slower_than_the_rate_is_honoured_and_said(site):
    site.pages["/robots.txt"] = (200, {}, b"User-agent: *\nCrawl-delay: 0.5\n")
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, said = _fetcher(rate=10.0)
    fetcher.get(f"{site.origin}/p")
    started = time.monotonic()
    fetcher.get(f"{site.origin}/p")
    assert time.monotonic() - started >= 0.45
    assert said == [f"robots.txt of {site.origin} asks for a Crawl-delay of 0.5 s: honoured (slower than --rate 10)"]


def test_a_redirect_is_followed_only_when_the_caller_allows_it(site):
    site.pages["/old"] = (302, {"Location": "new?x=1"}, b"")
    site.pages["/new?x=1"] = (200, {}, PAGE)
    fetcher, _ = _fetcher()
    with pytest.raises(Redirected) as refused:
        fetcher.get(f"{site.origin}/old")
    assert str(refused.value) == f"redirected to {site.origin}/new?x=1, not the URL asked for; not followed"
    assert refused.value.target == f"{site.origin}/new?x=1"
    response = fetcher.get(f"{site.origin}/old", redirect_refusal=lambda target: None)
    assert (response.url, response.content, fetcher.stats.redirects) == (f"{site.origin}/new?x=1", PAGE, 1)


@pytest.mark.parametrize(
    "answer, message",
    [
        ((301, {}, b""), "HTTP 301 without a Location"),
        (
            (302, {"Location": "http://u:p@h/"}, b""),
            "redirected to 'http://u:p@h/': a user name or password in the URL; not followed",
        ),
    ],
)
def test_a_redirect_without_a_usable_location_is_an_error(site, answer, message):
    site.pages["/old"] = answer
    fetcher, _ = _fetcher()
    with pytest.raises(FetchError) as refused:
        fetcher.get(f"{site.origin}/old", redirect_refusal=lambda target: None)
    assert str(refused.value) == message


def test_a_redirect_loop_gives_up_after_five(site):
    site.pages["/loop"] = (307, {"Location": "/loop"}, b"")
    fetcher, _ = _fetcher()
    with pytest.raises(FetchError) as refused:
        fetcher.get(f"{site.origin}/loop", redirect_refusal=lambda target: None)
    assert str(refused.value) == f"more than 5 redirects (a loop?); gave up at {site.origin}/loop"
    assert site.requests_for("/loop") == 6


def test_a_transient_error_is_retried_and_said(site):
    site.pages["/p"] = [(503, {}, b"busy"), (200, {}, PAGE)]
    fetcher, said = _fetcher()
    assert fetcher.get(f"{site.origin}/p").content == PAGE
    assert (fetcher.stats.retries, site.requests_for("/p")) == (1, 2)
    assert said == [f"retrying {site.origin}/p in 0 s (HTTP 503)"]


def test_an_error_that_outlasts_the_retries_gives_up_with_the_last_cause(site):
    site.pages["/p"] = (502, {}, b"bad gateway")
    fetcher, _ = _fetcher(retries=2)
    with pytest.raises(FetchError) as failed:
        fetcher.get(f"{site.origin}/p")
    assert str(failed.value) == "gave up after 3 attempts: HTTP 502"
    assert site.requests_for("/p") == 3


def test_a_retry_after_is_waited(site):
    site.pages["/p"] = [(429, {"Retry-After": "1"}, b"slow down"), (200, {}, PAGE)]
    fetcher, said = _fetcher()
    started = time.monotonic()
    assert fetcher.get(f"{site.origin}/p").content == PAGE
    assert time.monotonic() - started >= 0.95
    assert said == [f"retrying {site.origin}/p in 1 s (HTTP 429)"]


def test_a_retry_after_longer_than_we_wait_stops_the_host(site):
    site.pages["/p"] = (503, {"Retry-After": "3600"}, b"maintenance")
    fetcher, _ = _fetcher(max_retry_after=120.0)
    with pytest.raises(HostAsksToStop) as stopped:
        fetcher.get(f"{site.origin}/p")
    assert str(stopped.value).startswith(f"{site.origin} asks for a pause (HTTP 503, Retry-After: 3600) until ")
    assert str(stopped.value).endswith(" UTC, beyond the 120 s this scraper waits")
    with pytest.raises(HostAsksToStop):
        fetcher.get(f"{site.origin}/other")
    assert site.requests_for("/other") == 0  # the host is not asked again


def test_retry_pauses_adding_up_beyond_the_host_s_budget_stop_the_host(site):
    site.pages["/p"] = (503, {"Retry-After": "2"}, b"busy")
    fetcher, _ = _fetcher(retries=4, max_host_wait=1.0)
    with pytest.raises(HostAsksToStop) as stopped:
        fetcher.get(f"{site.origin}/p")
    assert str(stopped.value) == (
        f"{site.origin} asks for a pause (retry pauses adding up to over 1 s in this run, the last for HTTP 503), "
        "beyond the 1 s this scraper waits"
    )
    assert site.requests_for("/p") == 1


@pytest.mark.parametrize(
    "headers, body, message",
    [
        ({}, b"x" * 101, "response too large: 101 bytes (cap 100)"),  # said by its Content-Length
        ({"Content-Length": None}, b"x" * 101, "response too large: over 100 bytes"),  # found while reading
    ],
)
def test_a_response_larger_than_the_cap_is_refused(site, headers, body, message):
    site.pages["/big"] = (200, headers, body)
    fetcher, _ = _fetcher(max_bytes=100)
    with pytest.raises(FetchError) as refused:
        fetcher.get(f"{site.origin}/big")
    assert str(refused.value) == message


def test_a_url_that_is_not_fetchable_is_said_before_any_request(site):
    fetcher, _ = _fetcher()
    with pytest.raises(FetchError) as refused:
        fetcher.get("ftp://127.0.0.1/x")
    assert str(refused.value) == "not fetched: not an http(s) URL (scheme 'ftp')"
    assert site.seen == []


@contextlib.contextmanager
def socket_closed_port() -> Iterator[int]:
    """A port of 127.0.0.1 that nothing listens on (bound, then closed)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    yield port


def test_a_host_that_refuses_the_first_connection_is_unreachable():
    with socket_closed_port() as port:
        fetcher, _ = _fetcher()
        with pytest.raises(http.HostUnreachable) as failed:
            fetcher.get(f"http://127.0.0.1:{port}/p")
    assert str(failed.value).startswith(f"cannot reach 127.0.0.1:{port}: ConnectError: ")


@pytest.mark.parametrize(
    "userinfo, authorization",
    [
        ("data:p%40ss@", "Basic ZGF0YTpwQHNz"),  # base64 of data:p@ss: the password unquoted
        ("data@", "Basic ZGF0YTo="),  # a user without a password: data: (an empty password)
        ("data@example.org:secret@", "Basic ZGF0YUBleGFtcGxlLm9yZzpzZWNyZXQ="),  # an @ in the user: the last @ ends it
        ("", None),  # no credentials, none sent
    ],
)
def test_a_request_goes_through_the_environment_s_proxy_with_its_credentials(
    site, monkeypatch, userinfo, authorization
):
    """The proxy here is the local server: it answers for a host that is never looked up or reached."""
    for name in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://{userinfo}127.0.0.1:{site.server.server_port}")
    site.pages["http://credentials.example/p"] = (200, {}, PAGE)
    fetcher, _ = _fetcher()
    assert fetcher.get("http://credentials.example/p").content == PAGE
    assert [path for path, _ in site.seen] == ["http://credentials.example/robots.txt", "http://credentials.example/p"]
    assert site.seen[1][1].get("proxy-authorization") == authorization


def test_an_unreachable_proxy_is_named_without_its_credentials(monkeypatch):
    for name in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with socket_closed_port() as port:
        monkeypatch.setenv("http_proxy", f"http://data:secret@127.0.0.1:{port}")
        fetcher, _ = _fetcher()
        with pytest.raises(http.HostUnreachable) as failed:
            fetcher.get("http://credentials.example/p")
    assert str(failed.value).startswith(f"cannot reach credentials.example through the proxy 127.0.0.1:{port}: ")
    assert "secret" not in str(failed.value)


@pytest.mark.parametrize(
    "error, cause",
    [
        (httpx.ReadTimeout(""), "ReadTimeout"),  # no message: its type alone
        (httpx.ConnectError("refused"), "ConnectError: refused"),
    ],
)
def test_a_cause_is_the_error_s_type_and_message(error, cause):
    assert http._cause(error) == cause


@pytest.mark.parametrize(
    "message, hint",
    [
        (
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
            "; if your network inspects HTTPS, name its certificate authority's file in SSL_CERT_FILE",
        ),
        ("[Errno 111] Connection refused", ""),
    ],
)
def test_a_certificate_failure_hints_at_ssl_cert_file(message, hint):
    assert http._trust_hint(httpx.ConnectError(message)) == hint


def test_localhost_is_looked_up_and_an_address_literal_is_not():
    assert "127.0.0.1" in http._resolve("localhost", 80, 5.0)
    assert http._resolve("127.0.0.2", 80, 5.0) == ["127.0.0.2"]
    assert http._resolve("::1", 80, 5.0) == ["::1"]


@pytest.fixture
def other_site() -> Iterator[Site]:
    """A second host (127.0.0.2): another origin, with its own robots.txt, rate and pauses."""
    served = Site("127.0.0.2")
    yield served
    served.server.shutdown()
    served.server.server_close()


def test_a_host_whose_robots_txt_leads_to_a_host_that_asks_to_stop_is_not_asked_again(site, other_site):
    """RFC 9309: robots.txt may redirect to another host; when that host stops, the first is stopped with it."""
    site.pages["/robots.txt"] = (301, {"Location": f"{other_site.origin}/robots.txt"}, b"")
    other_site.pages["/robots.txt"] = (503, {"Retry-After": "3600"}, b"maintenance")
    fetcher, _ = _fetcher()
    for _ in range(2):
        with pytest.raises(HostAsksToStop):
            fetcher.get(f"{site.origin}/p")
    assert (site.requests_for("/robots.txt"), other_site.requests_for("/robots.txt")) == (1, 1)


def test_a_host_that_asks_to_stop_says_where_and_until_when(site):
    site.pages["/p"] = (503, {"Retry-After": "3600"}, b"maintenance")
    fetcher, _ = _fetcher(max_retry_after=120.0)
    before = datetime.now(UTC)
    with pytest.raises(HostAsksToStop) as stopped:
        fetcher.get(f"{site.origin}/p")
    after = datetime.now(UTC)
    assert stopped.value.host == site.origin
    assert before + timedelta(seconds=3600) <= stopped.value.resume_at <= after + timedelta(seconds=3600)


def test_a_retry_after_that_is_not_plain_ascii_is_shown_escaped(site):
    """A no-break space before the seconds (a byte 0xA0 in the header): still read as 3600, shown as Python writes
    it, so the terminal never gets a raw byte it may misread."""
    site.pages["/p"] = (503, {"Retry-After": "\u00a03600"}, b"maintenance")
    fetcher, _ = _fetcher(max_retry_after=120.0)
    with pytest.raises(HostAsksToStop) as stopped:
        fetcher.get(f"{site.origin}/p")
    assert str(stopped.value).startswith(f"{site.origin} asks for a pause (HTTP 503, Retry-After: '3600') until ")


def test_a_retry_after_as_an_http_date_in_the_past_is_retried_at_once(site):
    site.pages["/p"] = [(503, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, b"busy"), (200, {}, PAGE)]
    fetcher, said = _fetcher()
    assert fetcher.get(f"{site.origin}/p").content == PAGE
    assert said == [f"retrying {site.origin}/p in 0 s (HTTP 503)"]


def test_a_retry_after_equal_to_the_longest_we_wait_is_waited(site):
    site.pages["/p"] = [(429, {"Retry-After": "1"}, b"slow down"), (200, {}, PAGE)]
    fetcher, _ = _fetcher(max_retry_after=1.0)
    assert fetcher.get(f"{site.origin}/p").content == PAGE


def test_retry_pauses_are_added_up_per_host_and_the_budget_may_be_used_to_the_full(site):
    """Pauses of 1 s against a budget of 2 s: the first two are waited (1, then 2 in all), the third would make 3."""
    site.pages["/p"] = (503, {"Retry-After": "1"}, b"busy")
    fetcher, _ = _fetcher(retries=4, max_host_wait=2.0)
    with pytest.raises(HostAsksToStop, match=r"retry pauses adding up to over 2 s in this run"):
        fetcher.get(f"{site.origin}/p")
    assert site.requests_for("/p") == 3


@pytest.mark.parametrize(
    "rate, crawl_delay, max_crawl_delay, said",
    [
        (10.0, "0.05", 60.0, False),  # faster than --rate: nothing to honour
        (2.0, "0.5", 60.0, False),  # the same as --rate
        (10.0, "0.15", 60.0, True),  # slower than --rate
        (10.0, "0.5", 0.5, True),  # exactly the longest obeyed
    ],
)
def test_a_crawl_delay_is_said_only_when_it_slows_the_crawl(site, rate, crawl_delay, max_crawl_delay, said):
    site.pages["/robots.txt"] = (200, {}, f"User-agent: *\nCrawl-delay: {crawl_delay}\n".encode())
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, told = _fetcher(rate=rate, max_crawl_delay=max_crawl_delay)
    fetcher.get(f"{site.origin}/p")
    expected = (
        f"robots.txt of {site.origin} asks for a Crawl-delay of {crawl_delay} s: honoured (slower than --rate {rate:g})"
    )
    assert told == ([expected] if said else [])


@pytest.mark.parametrize(
    "backoff, attempt, jitter, seconds",
    [
        (2.0, 0, "low", 1.0),  # the first retry: backoff, times 0.5 to 1.5
        (2.0, 0, "high", 3.0),
        (2.0, 3, "low", 8.0),  # doubled each attempt: 2 * 2**3 * 0.5
        (2.0, 3, "high", 24.0),
        (2.0, 9, "low", 120.0),  # 512 s: cut to the longest Retry-After obeyed
        (1.0, 40, "low", 2.0**29),  # the doubling stops at 2**30 (times 0.5), whatever the attempt
    ],
)
def test_the_retry_backoff_doubles_with_jitter_and_is_capped(monkeypatch, backoff, attempt, jitter, seconds):
    monkeypatch.setattr(http.random, "uniform", lambda low, high: low if jitter == "low" else high)
    cap = 120.0 if seconds <= 120.0 else 1e12
    fetcher, _ = _fetcher(backoff=backoff, max_retry_after=cap)
    assert fetcher._backoff(attempt) == seconds


def test_a_response_dripping_past_the_timeout_is_a_timeout_naming_it(site):
    """--timeout is one deadline for the whole response: headers at once and a body 2 s later is late at 0.5 s."""
    site.pages["/slow"] = (200, {"_pause": 2}, PAGE)
    fetcher, _ = _fetcher(timeout=0.5, retries=0)
    started = time.monotonic()
    with pytest.raises(FetchError) as late:
        fetcher.get(f"{site.origin}/slow")
    assert str(late.value) == "gave up after 1 attempts: ReadTimeout: whole response took over 0.5 s (--timeout)"
    assert time.monotonic() - started < 1.5


def test_a_retry_after_of_thousands_of_digits_is_the_longest_pause():
    """Python refuses int() of over 4300 digits: the length alone says it is beyond the longest pause."""
    assert retry_after_seconds("9" * 5000, NOW) == 1e10
    assert retry_after_seconds("0" * 14 + "5", NOW) == 5.0  # leading zeros do not make it long


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_site(authority) -> Iterator[Site]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "credentials.example").configure_cert(context)
    served = Site(tls=context)
    yield served
    served.server.shutdown()
    served.server.server_close()


def test_a_certificate_from_an_unknown_authority_is_unreachable_with_the_hint(tls_site):
    fetcher, _ = _fetcher()
    with pytest.raises(http.HostUnreachable) as failed:
        fetcher.get(f"{tls_site.origin}/p")
    message = str(failed.value)
    assert message.startswith(f"cannot reach 127.0.0.1:{tls_site.server.server_port}: ConnectError: ")
    assert "CERTIFICATE_VERIFY_FAILED" in message
    assert message.endswith("; if your network inspects HTTPS, name its certificate authority's file in SSL_CERT_FILE")


def test_a_page_over_https_from_the_authority_in_ssl_cert_file(tls_site, authority, tmp_path, monkeypatch):
    bundle = tmp_path / "office-ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    tls_site.pages["/p"] = (200, {}, PAGE)
    fetcher, _ = _fetcher()
    assert fetcher.get(f"{tls_site.origin}/p").content == PAGE


def test_a_gzip_bomb_is_refused_without_being_inflated_whole():
    """20 MB of zeros in about 20 kB: refused past the cap, with memory for the cap, not for the 20 MB."""
    packer = zlib.compressobj(wbits=zlib.MAX_WBITS | 16)
    bomb = b"".join(packer.compress(bytes(1_000_000)) for _ in range(20)) + packer.flush()
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"^response too large: over 1000 bytes once decompressed$"):
            decode_body(bomb, "gzip", 1000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port of 127.0.0.1 that accepts connections and never says anything (a TLS handshake that never ends)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_a_tls_handshake_that_never_ends_is_late_by_the_deadline():
    with silent_server() as port:
        fetcher, _ = _fetcher(timeout=0.5, retries=0)
        started = time.monotonic()
        with pytest.raises(FetchError) as late:
            fetcher.get(f"https://127.0.0.1:{port}/p")
    assert str(late.value) == (
        f"not fetched: robots.txt of https://127.0.0.1:{port} could not be read: gave up after 1 attempts: "
        "ConnectTimeout: whole response took over 0.5 s (--timeout); RFC 9309 says disallow all"
    )
    assert time.monotonic() - started < 1.5


def test_a_response_dripping_through_the_proxy_is_late_by_the_same_deadline(site, monkeypatch):
    for name in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{site.server.server_port}")
    site.pages["http://credentials.example/robots.txt"] = (404, {}, b"")
    site.pages["http://credentials.example/slow"] = (200, {"_pause": 2}, PAGE)
    fetcher, _ = _fetcher(timeout=0.5, retries=0)
    with pytest.raises(FetchError) as late:
        fetcher.get("http://credentials.example/slow")
    assert str(late.value) == "gave up after 1 attempts: ReadTimeout: whole response took over 0.5 s (--timeout)"


def test_a_kept_connection_the_server_closed_is_not_reused(site):
    """HTTP/1.1 keep-alive: a server that closes an idle connection without saying so. The next request opens a
    new one (httpcore asks the stream whether the idle one is readable: at its end), no failed attempt, no retry."""
    site.server.RequestHandlerClass.protocol_version = "HTTP/1.1"
    site.pages["/robots.txt"] = (404, {}, b"")
    site.pages["/p"] = (200, {"_close": True}, PAGE)
    fetcher, said = _fetcher()
    for _ in range(3):
        assert fetcher.get(f"{site.origin}/p").content == PAGE
        time.sleep(0.05)  # the close reaches the client
    assert (said, fetcher.stats.retries, site.requests_for("/p")) == ([], 0, 3)


def test_a_crawl_delay_longer_than_we_wait_stops_the_host_when_its_turn_is_that_far(site):
    """Crawl-delay 2 s, cap 1 s: the first page is fetched (its turn is near), the next would wait 2 s: stopped."""
    site.pages["/robots.txt"] = (200, {}, b"User-agent: *\nCrawl-delay: 2\n")
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, _ = _fetcher(rate=10.0, max_crawl_delay=1.0)
    assert fetcher.get(f"{site.origin}/p").content == PAGE
    for _ in range(2):
        with pytest.raises(HostAsksToStop) as stopped:
            fetcher.get(f"{site.origin}/p")
        assert str(stopped.value) == (
            f"{site.origin} asks for a pause (robots.txt Crawl-delay: 2 s between requests), "
            "beyond the 1 s this scraper waits"
        )
        assert stopped.value.host == site.origin
    assert site.requests_for("/p") == 1


def test_a_slow_rate_is_no_crawl_delay_and_never_stops_the_host(site):
    """--rate 1.5 (a request every 0.67 s) with a Crawl-delay cap of 0.5 s and no Crawl-delay: just slow."""
    site.pages["/robots.txt"] = (404, {}, b"")
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, _ = _fetcher(rate=1.5, max_crawl_delay=0.5)
    fetcher.get(f"{site.origin}/p")
    assert fetcher.get(f"{site.origin}/p").content == PAGE


def test_each_host_has_its_own_pace(site, other_site):
    site.pages["/p"] = (200, {}, PAGE)
    other_site.pages["/p"] = (200, {}, PAGE)
    fetcher, _ = _fetcher(rate=2.0)
    fetcher.get(f"{site.origin}/p")
    started = time.monotonic()
    fetcher.check_allowed(f"{other_site.origin}/p")  # its first request (robots.txt) need not wait for the first host
    assert time.monotonic() - started < 0.3


@pytest.mark.parametrize(
    "robots, fetched, said",
    [
        ((400, {}, b""), True, []),  # 4xx, 400 included: unavailable, allow all
        ((300, {}, b"User-agent: *\nDisallow:\n"), False, []),  # neither 2xx nor 4xx nor a redirect: disallow all
        ((200, {}, b"User-agent: *\n# caf\xe9 (Latin-1)\nDisallow: /p\n"), False, []),  # bytes not UTF-8: replaced
        (
            (302, {"Location": "http://u:p@h/robots.txt"}, b""),
            True,
            ["robots.txt of {origin} redirects to an unusable URL (a user name or password in the URL)"],
        ),
        ((301, {}, b""), True, ["robots.txt of {origin}: more than 5 redirects"]),  # no Location: itself again
    ],
)
def test_robots_txt_answers_as_rfc_9309_reads_them(site, robots, fetched, said):
    site.pages["/robots.txt"] = robots
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, told = _fetcher()
    if fetched:
        assert fetcher.get(f"{site.origin}/p").content == PAGE
    else:
        with pytest.raises(FetchError):
            fetcher.get(f"{site.origin}/p")
    unavailable = "; RFC 9309 calls it unavailable: allow all"
    assert told == [message.format(origin=site.origin) + unavailable for message in said]


def test_the_caller_s_headers_are_sent(site):
    site.pages["/p"] = (304, {}, b"")
    fetcher, _ = _fetcher()
    assert fetcher.get(f"{site.origin}/p", headers={"If-None-Match": '"v1"'}).status == 304
    assert site.seen[-1][1]["if-none-match"] == '"v1"'


def test_a_host_that_stops_answering_after_the_first_request_is_retried_not_unreachable(site):
    """Only the very first request's refusal means the host cannot be reached at all; later it is transient."""
    site.pages["/robots.txt"] = (404, {}, b"")
    fetcher, said = _fetcher()
    fetcher.check_allowed(f"{site.origin}/p")  # the first request: robots.txt
    site.server.shutdown()
    site.server.server_close()
    with pytest.raises(FetchError) as failed:
        fetcher.get(f"{site.origin}/p")
    assert type(failed.value) is FetchError
    assert str(failed.value).startswith("gave up after 3 attempts: ConnectError: ")
    assert len(said) == 2 and all(line.startswith(f"retrying {site.origin}/p in 0 s (ConnectError: ") for line in said)


def test_each_retry_is_said_and_counted_and_the_last_attempt_is_not_followed_by_a_pause(site):
    site.pages["/p"] = (502, {}, b"bad gateway")
    fetcher, said = _fetcher(retries=2)
    with pytest.raises(FetchError, match="^gave up after 3 attempts: HTTP 502$"):
        fetcher.get(f"{site.origin}/p")
    assert said == [f"retrying {site.origin}/p in 0 s (HTTP 502)"] * 2
    assert fetcher.stats.retries == 2


@pytest.mark.parametrize(
    "headers, body, kept",
    [
        ({}, b"x" * 100, True),  # exactly the cap, said by Content-Length: kept
        ({"Content-Length": None}, b"x" * 100, True),  # exactly the cap, counted while reading: kept
        ({"Content-Length": None, "_split": True}, b"ab" * 40, True),  # two chunks joined as sent
        ({"Content-Length": None, "_split": True}, b"x" * 150, False),  # two chunks of 75: 150 in all, over the cap
    ],
)
def test_the_size_cap_counts_the_whole_body_and_keeps_one_at_the_cap(site, headers, body, kept):
    site.pages["/p"] = (200, headers, body)
    fetcher, _ = _fetcher(max_bytes=100)
    if kept:
        assert fetcher.get(f"{site.origin}/p").content == body
    else:
        with pytest.raises(FetchError, match=r"^response too large: over 100 bytes$"):
            fetcher.get(f"{site.origin}/p")


def test_the_pace_is_the_rate(site):
    """--rate 4: a request every 0.25 s; robots.txt then the page take one interval, not two."""
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, _ = _fetcher(rate=4.0)
    started = time.monotonic()
    fetcher.get(f"{site.origin}/p")
    assert 0.2 <= time.monotonic() - started < 0.45


@contextlib.contextmanager
def unanswered_port() -> Iterator[int]:
    """A port of 127.0.0.1 whose connections are never answered, as a host that drops them: its listener never
    accepts and its queue is full (one connection held in it), so the kernel drops each new connection's SYN and
    a connect waits until the client gives up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held = []
    try:
        for _ in range(8):  # until one connect is not answered: the queue is full
            filler = socket.socket()
            filler.settimeout(0.2)
            held.append(filler)
            try:
                filler.connect(("127.0.0.1", port))
            except TimeoutError:
                break
        else:
            pytest.fail("the listener's queue never filled")
        yield port
    finally:
        for filler in held:
            filler.close()
        listener.close()


def test_a_connect_that_is_never_answered_is_late_by_the_deadline():
    """--timeout 0.5 s is one deadline for the connect too: a host that drops the connection is late at 0.5 s."""
    with unanswered_port() as port:
        fetcher, _ = _fetcher(timeout=0.5, retries=0)
        started = time.monotonic()
        with pytest.raises(FetchError) as late:
            fetcher.get(f"http://127.0.0.1:{port}/p")
        assert time.monotonic() - started < 1.5
    assert str(late.value) == (
        f"not fetched: robots.txt of http://127.0.0.1:{port} could not be read: gave up after 1 attempts: "
        "ConnectTimeout: whole response took over 0.5 s (--timeout); RFC 9309 says disallow all"
    )


class Names(dict):
    """Made-up names and their addresses; `looked_up` keeps every name asked of getaddrinfo, in turn."""

    def __init__(self) -> None:
        super().__init__()
        self.looked_up: list[str] = []


@pytest.fixture
def names(monkeypatch) -> Iterator[Names]:
    """A resolver for made-up names: `names[host]` is its addresses, ["slow"] makes the lookup hang (3 s),
    ["gone"] makes it fail as for a name that does not exist; any other name is looked up as usual. The hanging
    lookups are let go when the test ends."""
    table = Names()
    looked_up = table.looked_up
    let_go = threading.Event()
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        looked_up.append(host)
        if host not in table:
            return real(host, port, *args, **kwargs)
        if table[host] == ["gone"]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if table[host] == ["slow"]:
            let_go.wait(3)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in table[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield table
    let_go.set()


def test_a_name_whose_lookup_hangs_is_late_by_the_deadline(names):
    """getaddrinfo takes no timeout: the lookup is given up on at the deadline, not waited for."""
    names["slow.test"] = ["slow"]
    with socket_closed_port() as port:
        fetcher, _ = _fetcher(timeout=0.5, retries=0)
        started = time.monotonic()
        with pytest.raises(FetchError) as late:
            fetcher.get(f"http://slow.test:{port}/p")
        assert time.monotonic() - started < 1.5
    assert str(late.value) == (
        f"not fetched: robots.txt of http://slow.test:{port} could not be read: gave up after 1 attempts: "
        "ConnectTimeout: whole response took over 0.5 s (--timeout); RFC 9309 says disallow all"
    )


def test_each_address_of_a_name_is_tried_in_turn(site, names):
    """A name with two addresses: nothing listens on the first (127.0.0.2), the site on the second (127.0.0.1)."""
    names["two.test"] = ["127.0.0.2", "127.0.0.1"]
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, said = _fetcher()
    assert fetcher.get(f"http://two.test:{site.server.server_port}/p").content == PAGE
    assert (said, fetcher.stats.retries, [path for path, _ in site.seen]) == ([], 0, ["/robots.txt", "/p"])


@contextlib.contextmanager
def unread_port() -> Iterator[int]:
    """A port of 127.0.0.1 that takes a connection and never reads from it (a small receive buffer: a request
    of a few MB fills it and the client's send buffer, and the client's write then waits)."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_a_request_the_server_never_reads_is_late_by_the_deadline():
    """The deadline bounds the writes too: 8 MB of headers to a server that reads nothing wait, late at 0.5 s."""
    deadline = Deadline(0.5)
    client = httpx.Client(transport=DeadlineTransport(deadline, {}))
    try:
        with unread_port() as port, deadline.running():
            started = time.monotonic()
            with pytest.raises(httpx.WriteTimeout, match=r"^whole response took over 0\.5 s \(--timeout\)$"):
                client.get(f"http://127.0.0.1:{port}/", headers={"X-Filler": "x" * 8_000_000})
            assert time.monotonic() - started < 1.5
    finally:
        client.close()


class TunnelProxy:
    """An HTTP proxy on 127.0.0.1 for https targets: each CONNECT, whatever host it names, is tunnelled to
    `port` of 127.0.0.1 (never to the host named: nothing leaves this machine), or answered `refusal` (a status,
    e.g. "407 Proxy Authentication Required") when one is set. `asked` keeps each CONNECT's target."""

    def __init__(self, port: int, refusal: str | None = None) -> None:
        self.asked: list[str] = []
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                head = self.rfile.readline().decode("latin-1").split()
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                proxy.asked.append(head[1])
                if refusal:
                    self.wfile.write(f"HTTP/1.1 {refusal}\r\nContent-Length: 0\r\n\r\n".encode())
                    return
                with socket.create_connection(("127.0.0.1", port), timeout=10) as upstream:
                    self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    ends = [self.connection, upstream]
                    while ready := select.select(ends, [], [], 10)[0]:
                        for end in ready:
                            data = end.recv(65536)
                            if not data:
                                return
                            (upstream if end is self.connection else self.connection).sendall(data)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _only_https_proxy(monkeypatch, url: str) -> None:
    for name in ("no_proxy", "NO_PROXY", "http_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("https_proxy", url)


def test_a_page_over_https_through_the_proxy_trusts_the_authority_in_ssl_cert_file(
    tls_site, authority, tmp_path, monkeypatch
):
    """An office proxy and an office authority together: the tunnelled TLS trusts SSL_CERT_FILE too."""
    bundle = tmp_path / "office-ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    proxy = TunnelProxy(tls_site.server.server_port)
    try:
        _only_https_proxy(monkeypatch, proxy.url)
        tls_site.pages["/p"] = (200, {}, PAGE)
        fetcher, _ = _fetcher()
        assert fetcher.get("https://credentials.example/p").content == PAGE
    finally:
        proxy.close()
    assert set(proxy.asked) == {"credentials.example:443"}
    assert [path for path, _ in tls_site.seen] == ["/robots.txt", "/p"]


@pytest.mark.parametrize("retries", [0, 2])
def test_a_proxy_that_refuses_the_tunnel_at_the_start_makes_the_host_unreachable(monkeypatch, retries):
    """A CONNECT answered 407 (the proxy wants credentials): the host cannot be reached, said with the proxy's
    answer and the proxy named, once, not retried and never an error the crawl does not know."""
    proxy = TunnelProxy(1, refusal="407 Proxy Authentication Required")
    try:
        _only_https_proxy(monkeypatch, proxy.url)
        fetcher, said = _fetcher(retries=retries)
        with pytest.raises(http.HostUnreachable) as failed:
            fetcher.get("https://credentials.example/p")
    finally:
        proxy.close()
    assert str(failed.value) == (
        f"cannot reach credentials.example through the proxy {proxy.url[7:]}: "
        "ProxyError: 407 Proxy Authentication Required"
    )
    assert (proxy.asked, said) == (["credentials.example:443"], [])


def test_a_host_whose_turn_is_now_is_fetched_even_with_no_crawl_delay_obeyed(site):
    """A cap of 0 s on Crawl-delay: a host asking for 2 s is stopped only once its turn is later than now; the page
    right after robots.txt (its turn come: due in 0 s) is fetched, the next (due in 2 s) is not."""
    site.pages["/robots.txt"] = (200, {}, b"User-agent: *\nCrawl-delay: 2\n")
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, _ = _fetcher(rate=1000.0, max_crawl_delay=0.0)
    fetcher.check_allowed(f"{site.origin}/p")
    time.sleep(0.05)  # the 1 ms interval after robots.txt is over: the host's turn is now
    assert fetcher.get(f"{site.origin}/p").content == PAGE
    with pytest.raises(HostAsksToStop):
        fetcher.get(f"{site.origin}/p")
    assert site.requests_for("/p") == 1


@pytest.fixture
def three_sites() -> Iterator[list[Site]]:
    """Three origins on 127.0.0.1 (three ports), each keeping its connections alive (HTTP/1.1)."""
    sites = [Site() for _ in range(3)]
    for served in sites:
        served.server.RequestHandlerClass.protocol_version = "HTTP/1.1"
        served.pages["/robots.txt"] = (404, {}, b"")
        served.pages["/p"] = (200, {}, PAGE)
    yield sites
    for served in sites:
        served.server.shutdown()
        served.server.server_close()


def test_at_most_two_connections_are_kept_open_directly(three_sites):
    """CONNECTIONS = 2: three hosts in turn; the third host's connection is opened only after the oldest idle one
    (the first host's) is closed, so the crawl never holds more than two, not even for a moment."""
    first, _, third = three_sites
    while_third_is_asked: list[list[bool]] = []
    third.on_request = lambda: while_third_is_asked.append(first.still_open())
    fetcher, _ = _fetcher()
    for served in three_sites:
        assert fetcher.get(f"{served.origin}/p").content == PAGE
    assert while_third_is_asked == [[False], [False]]  # robots.txt and the page
    assert [served.still_open() for served in three_sites] == [[False], [True], [True]]


def test_at_most_two_connections_are_kept_open_through_the_proxy(site, monkeypatch):
    """The same through the environment's proxy: one connection to it per host, and never more than two."""
    for name in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{site.server.server_port}")
    site.server.RequestHandlerClass.protocol_version = "HTTP/1.1"
    hosts = ["a.example", "b.example", "c.example"]
    for host in hosts:
        site.pages[f"http://{host}/robots.txt"] = (404, {}, b"")
        site.pages[f"http://{host}/p"] = (200, {}, PAGE)
    open_while_asked: list[list[bool]] = []
    site.on_request = lambda: open_while_asked.append(site.still_open())
    fetcher, _ = _fetcher()
    for host in hosts:
        assert fetcher.get(f"http://{host}/p").content == PAGE
    # robots.txt and the page of each host; the third host's connection came after the first's was closed
    assert open_while_asked == [[True], [True], [True, True], [True, True], [False, True, True], [False, True, True]]
    assert site.still_open() == [False, True, True]


@pytest.fixture
def public_site(tmp_path, monkeypatch) -> Iterator[Site]:
    """A TLS site whose certificate comes from an authority in certifi's bundle (made so here: certifi's bundle is
    this test's own authority) and not in SSL_CERT_FILE (which names another, the office's)."""
    public, office = trustme.CA(), trustme.CA()
    public.cert_pem.write_to_path(str(tmp_path / "certifi.pem"))
    office.cert_pem.write_to_path(str(tmp_path / "office-ca.pem"))
    monkeypatch.setattr(certifi, "where", lambda: str(tmp_path / "certifi.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "office-ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    public.issue_cert("127.0.0.1", "credentials.example").configure_cert(context)
    served = Site(tls=context)
    served.pages["/p"] = (200, {}, PAGE)
    yield served
    served.server.shutdown()
    served.server.server_close()


@pytest.mark.parametrize("proxied", [False, True])
def test_ssl_cert_file_names_the_only_authorities_trusted_directly_and_through_the_proxy(
    public_site, monkeypatch, proxied
):
    """As httpx and curl read it, SSL_CERT_FILE replaces the authorities trusted, for every connection alike: a
    certificate from an authority it does not name is refused, even one in certifi's bundle."""
    for name in ("no_proxy", "NO_PROXY", "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    proxy = TunnelProxy(public_site.server.server_port)
    if proxied:
        monkeypatch.setenv("https_proxy", proxy.url)
    url, where = (
        ("https://credentials.example/p", f"credentials.example through the proxy {proxy.url[7:]}")
        if proxied
        else (f"{public_site.origin}/p", public_site.origin[8:])
    )
    try:
        fetcher, _ = _fetcher()
        with pytest.raises(http.HostUnreachable) as failed:
            fetcher.get(url)
    finally:
        proxy.close()
    assert str(failed.value).startswith(f"cannot reach {where}: ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED]")
    assert public_site.seen == []


def test_the_caller_s_redirect_rule_is_asked_about_the_normalised_target(site):
    """The rule gets the URL the redirect leads to, made absolute and normalised, and decides by it."""
    site.pages["/old"] = (302, {"Location": "./new?x=1"}, b"")
    site.pages["/new?x=1"] = (200, {}, PAGE)
    asked: list[str] = []

    def only_new(target: str) -> str | None:
        asked.append(target)
        return None if target == f"{site.origin}/new?x=1" else "not the new page"

    fetcher, _ = _fetcher()
    assert fetcher.get(f"{site.origin}/old", redirect_refusal=only_new).content == PAGE
    assert asked == [f"{site.origin}/new?x=1"]


def test_an_address_is_used_as_it_is_without_a_lookup(names):
    """An IP address needs no resolver (none is asked, so it works where lookups fail), written as Python does."""
    assert http._resolve("127.0.0.2", 80, 5.0) == ["127.0.0.2"]
    assert http._resolve("0:0:0:0:0:0:0:1", 80, 5.0) == ["::1"]
    assert names.looked_up == []


def test_a_name_that_does_not_exist_makes_the_host_unreachable_with_the_resolver_s_words(names):
    names["gone.test"] = ["gone"]
    fetcher, _ = _fetcher()
    with pytest.raises(http.HostUnreachable) as failed:
        fetcher.get("http://gone.test:8080/p")
    assert str(failed.value) == "cannot reach gone.test:8080: ConnectError: [Errno -2] Name or service not known"
    assert names.looked_up == ["gone.test"]


def test_the_request_headers_are_exactly_these(site):
    """Host, the User-Agent, the encodings we decode, httpx's Accept and Connection: nothing else is sent."""
    site.pages["/robots.txt"] = (404, {}, b"")
    site.pages["/p"] = (200, {}, PAGE)
    fetcher, _ = _fetcher()
    fetcher.get(f"{site.origin}/p")
    assert sorted(site.seen[1][1]) == ["accept", "accept-encoding", "connection", "host", "user-agent"]
    assert site.seen[1][1]["accept-encoding"] == "gzip, deflate"


def test_each_redirect_followed_is_counted(site):
    site.pages["/a"] = (301, {"Location": "/b"}, b"")
    site.pages["/b"] = (302, {"Location": "/c"}, b"")
    site.pages["/c"] = (200, {}, PAGE)
    fetcher, _ = _fetcher()
    assert fetcher.get(f"{site.origin}/a", redirect_refusal=lambda target: None).content == PAGE
    assert fetcher.stats.redirects == 2


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """time.monotonic() made to read `clock[0]` (for the deadline's edges, which a real clock never hits)."""
    now = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    return now


def test_a_deadline_reached_exactly_is_late(clock):
    deadline = Deadline(5.0)
    with deadline.running():
        clock[0] = 105.0  # no time left at all
        with pytest.raises(httpcore.ReadTimeout, match=r"^whole response took over 5 s \(--timeout\)$"):
            deadline.bounded(lambda left: left, 60.0, httpcore.ReadTimeout)


def test_a_timeout_at_the_deadline_itself_is_the_deadline_s(clock):
    deadline = Deadline(5.0)

    def times_out_at_the_deadline(left):
        clock[0] = 105.0
        raise httpcore.ReadTimeout("the read's own timeout")

    with deadline.running(), pytest.raises(httpcore.ConnectTimeout, match=r"^whole response took over 5 s"):
        deadline.bounded(times_out_at_the_deadline, 60.0, httpcore.ConnectTimeout)


def test_a_pause_longer_than_httpx_s_default_timeout_but_within_ours_is_waited(site):
    """--timeout is ours, not httpx's 5 s default: a body 5.5 s after the headers, within --timeout 8, is fetched."""
    site.pages["/robots.txt"] = (404, {}, b"")
    site.pages["/slow"] = (200, {"_pause": 5.5}, PAGE)
    fetcher, _ = _fetcher(timeout=8.0, retries=0)
    assert fetcher.get(f"{site.origin}/slow").content == PAGE
