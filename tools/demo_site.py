"""A local stand-in for the directory site, serving the committed HTML samples.

    python -m tools.demo_site --year 2024-2025 [--raw raw] [--port 8765]

It answers like the live site: a start page linking every credential (links
and a `<select>`), credential and course pages by query string, robots.txt,
ETags with 304. Tests use it on 127.0.0.1 and inject faults per page.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
import socket
import ssl
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from pipeline import site as directory
from pipeline.fetch.crawl import page_of

PREFIX = "/nccte-cms/"
START = ("start", 0)  # the keys of the start page's and robots.txt's faults
ROBOTS = ("robots", 0)
_FILE = re.compile(r"^(credential|course)_(\d+)\.html$")


@dataclass
class Site:
    pages: dict[tuple[str, int], bytes]
    robots: str = "User-agent: *\nAllow: /\n"
    robots_status: int = 200
    faults: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    hang_seconds: float = 3.0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)  # time.monotonic() of each request
    # path (with its query) -> (status, body, type) or (status, body, type, {header: value})
    files: dict[str, tuple] = field(default_factory=dict)
    start_extra: str = ""  # more HTML on the start page (a listing link, odd links)
    drip_interval: float = 0.5  # seconds between bytes of a "drip" fault
    lock: threading.Lock = field(default_factory=threading.Lock)
    active: int = 0
    max_active: int = 0

    @classmethod
    def from_raw(cls, raw: Path, year: str) -> Site:
        pages = {}
        for path in sorted((raw / year / "html").glob("*.html")):
            match = _FILE.match(path.name)
            if match:
                pages[(match.group(1), int(match.group(2)))] = path.read_bytes()
        return cls(pages)

    def start_page(self) -> bytes:
        credentials = sorted(id_ for kind, id_ in self.pages if kind == "credential")
        courses = sorted(id_ for kind, id_ in self.pages if kind == "course")
        half = len(credentials) // 2
        links = "".join(
            f'<li><a href="{escape(directory.credential_url("", id_))}">Credential {id_}</a></li>'
            for id_ in credentials[:half]
        )
        options = "".join(f'<option value="{id_}">Credential {id_}</option>' for id_ in credentials[half:])
        course_links = "".join(
            f'<li><a href="{escape(directory.course_url("", id_))}">Course {id_}</a></li>' for id_ in courses
        )
        body = (
            f"<html><body><h2>Credential Information</h2><ul>{links}</ul>"
            f'<form><select name="cred_id"><option value="-1">Choose</option>{options}</select></form>'
            f'<ul>{course_links}</ul><a href="https://elsewhere.example.org/credential_info.php?cred_id=999">x</a>'
            f"{self.start_extra}</body></html>"
        )
        return body.encode("utf-8")

    def next_fault(self, key: tuple[str, int]) -> str | None:
        with self.lock:
            queue = self.faults.get(key)
            return queue.pop(0) if queue else None


def soft_404() -> bytes:
    return b"<html><body><h1>Page not found</h1><p>The page you requested does not exist.</p></body></html>"


def wrong_year(page: bytes) -> bytes:
    return re.sub(rb"\d{4}-\d{4} Credential Information", b"2099-2100 Credential Information", page, count=1)


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            with site.lock:
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                site.times.append(time.monotonic())
                site.active += 1
                site.max_active = max(site.max_active, site.active)
            try:
                self._answer()
            finally:
                with site.lock:
                    site.active -= 1

        def _answer(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/robots.txt":
                key, body = ROBOTS, site.robots.encode()
            elif self.path in site.files or not url.path.startswith(PREFIX):
                key, body = None, None
            else:
                page = page_of(self.path)
                key = (page.kind, page.id) if page else START
                script = url.path[len(PREFIX) :]
                if key == START:
                    body = site.start_page()
                else:
                    body = site.pages.get(key) if script in (directory.SCRIPT, directory.DRAFT_SCRIPT) else None
            fault = site.next_fault(key) if key else None
            if fault is None and self.path in site.files:
                status, body, content_type, *extra = site.files[self.path]
                return self._send(status, body, content_type, extra=extra[0] if extra else None)
            if fault is None and key == ROBOTS:
                return self._send(site.robots_status, body, "text/plain")
            if key is None:
                return self._send(404, b"not found", "text/plain")
            if fault == "reset":
                return self._reset()
            if fault and fault.startswith("redirect:"):
                return self._send(302, b"", extra={"Location": fault[len("redirect:") :]})
            if fault == "loop":
                site.faults.setdefault(key, []).insert(0, "loop")
                return self._send(302, b"", extra={"Location": self.path})
            if fault == "brokengzip":
                return self._send(200, b"\x1f\x8b\x08\x00garbage, not gzip" * 4, extra={"Content-Encoding": "gzip"})
            if fault == "304":
                return self._send(304, b"")
            if fault == "drip":
                return self._drip(body or b"")
            if fault == "dripheaders":
                return self._drip_headers(body or b"")
            if fault == "truncate":
                return self._truncated(body or b"")
            if fault == "gzip-truncated":
                return self._gzip_truncated(body or b"")
            if fault == "chunked-truncated":
                return self._chunked_truncated(body or b"")
            if fault == "hang":
                time.sleep(site.hang_seconds)
            if fault and fault.startswith("status:"):
                code, _, retry_after = fault[7:].partition(":")
                headers = {"Retry-After": retry_after} if retry_after else {}
                return self._send(int(code), b"<html><body>Server error</body></html>", extra=headers)
            if fault == "soft404" or body is None:
                return self._send(200, soft_404())
            if key == START:
                return self._send(200, body)
            if fault == "wrongyear":
                body = wrong_year(body)
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", extra={"ETag": etag})
            self._send(200, body, extra={"ETag": etag, "Last-Modified": "Wed, 20 Nov 2024 12:00:00 GMT"})

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str = "text/html; charset=UTF-8",
            extra: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def _drip(self, body: bytes) -> None:
            """Headers at once, then one byte every `drip_interval` seconds (a slow-loris server)."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for index in range(len(body)):
                    self.wfile.write(body[index : index + 1])
                    self.wfile.flush()
                    time.sleep(site.drip_interval)
            except OSError:
                pass

        def _drip_headers(self, body: bytes) -> None:
            """The status line and headers one byte every `drip_interval` seconds: never a whole header."""
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n"
                f"X-Padding: {'x' * 200}\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            self.close_connection = True
            try:
                for index in range(len(head)):
                    self.wfile.write(head[index : index + 1])
                    self.wfile.flush()
                    time.sleep(site.drip_interval)
                self.wfile.write(body)
            except OSError:
                pass

        def _truncated(self, body: bytes) -> None:
            """Content-Length of the whole page, then two thirds of it, then the connection closes."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) * 2 // 3])
            self.wfile.flush()
            self.close_connection = True

        def _chunked_truncated(self, body: bytes) -> None:
            """Chunked, and the connection closes after the first half: no last chunk."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            half = body[: len(body) // 2]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(half), half))
            self.wfile.flush()
            self.close_connection = True

        def _gzip_truncated(self, body: bytes) -> None:
            """A gzip body cut short, with no Content-Length: only the gzip stream can tell it ended early."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Connection", "close")
            self.end_headers()
            packed = gzip.compress(body)
            self.wfile.write(packed[: len(packed) * 4 // 5])
            self.wfile.flush()
            self.close_connection = True

        def _reset(self) -> None:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

    return Handler


def _quiet_on_refused_handshakes(handle_error):
    """A client that refuses the certificate is what an HTTPS test wants; socketserver would print its traceback."""

    def handle(request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ssl.SSLError):
            handle_error(request, client_address)

    return handle


class SiteServer:
    """A running site on 127.0.0.1 (port 0: any free port)."""

    def __init__(self, site: Site, port: int = 0, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.site = site
        self.host = host
        self.server = ThreadingHTTPServer((host, port), make_handler(site))
        self.server.daemon_threads = True
        self.scheme = "https" if tls else "http"
        if tls:  # HTTPS: each connection's handshake happens in its own handler thread
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True, do_handshake_on_connect=False)
            self.server.handle_error = _quiet_on_refused_handshakes(self.server.handle_error)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"{self.origin}{PREFIX}"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.server.server_address[1]}"

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", default="2024-2025")
    parser.add_argument("--raw", type=Path, default=Path("raw"))
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    site = Site.from_raw(args.raw, args.year)
    with SiteServer(site, args.port) as server:
        print(f"serving {len(site.pages)} pages of {args.year} at {server.base_url} (Ctrl-C stops)", flush=True)
        try:
            server.thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
