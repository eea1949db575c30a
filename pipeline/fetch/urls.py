"""One URL normaliser for every check: same directory, robots.txt, redirects, the listing.

Every URL the scraper meets (the flags, links, Location headers) goes through
`normalise` before any check, and the normalised URL is the one requested, so
what was checked is what is fetched. Normalising is RFC 3986 section 6.2.2
(case of scheme and host, percent-decoding of unreserved characters, upper-case
percent hex, dot-segment removal) plus the default port dropped, an IDN host in
its ASCII form, and a backslash read as a slash, as browsers read it (WHATWG URL
standard). A URL that servers would read in different ways is refused, not
guessed at: a user name or password, an encoded slash or backslash in a path
segment, a `..;` segment (Tomcat's `..`), a control character.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urljoin, urlsplit

import idna

WEB_SCHEMES = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ALLOWED = _UNRESERVED | frozenset(":/?#[]@!$&'()*+,;=%")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_REG_NAME = re.compile(r"[a-z0-9._~!$&'()*+,;=-]+")  # RFC 3986 reg-name, lower case
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


class URLError(ValueError):
    """Not a URL the scraper would fetch; the message says why."""


def normalise(url: str, base: str | None = None) -> str:
    """`url`, resolved against `base` when given, in its one normal form; URLError when it is unusable."""
    url = url.strip(_C0_AND_SPACE)  # as browsers do
    if _CONTROL.search(url):
        raise URLError("a control character in the URL")
    head, mark, tail = _split_query(url)
    url = head.replace("\\", "/") + mark + tail
    try:
        parts = urlsplit(urljoin(base, url) if base else url)
        port = parts.port
    except ValueError as error:
        raise URLError(f"not a URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        raise URLError(
            f"not an http(s) URL (scheme {parts.scheme!r})" if parts.scheme else "not an absolute http(s) URL"
        )
    if parts.username is not None or parts.password is not None:
        raise URLError("a user name or password in the URL")
    host = _host(parts.hostname or "", bracketed="[" in parts.netloc)
    netloc = host if port in (None, WEB_SCHEMES[scheme]) else f"{host}:{port}"
    path = _path(parts.path)
    empty_query = mark == "?" and tail[:1] in ("", "#")  # `?` then nothing: kept; a `?` in a fragment is no query
    query = f"?{_percent_normal(parts.query)}" if parts.query or empty_query else ""
    return f"{scheme}://{netloc}{path}{query}"


def same_directory(url: str, base_url: str) -> bool:
    """Whether normalised `url` is `base_url` (normalised, ending in `/`) or under it: same scheme, host, port."""
    return url.startswith(base_url) and base_url.endswith("/")


def origin(url: str) -> str:
    """`scheme://host[:port]` of a normalised URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _split_query(url: str) -> tuple[str, str, str]:
    """(before, separator, after) at the first `?` or `#`: a backslash means `/` only before them."""
    cut = min((index for index in (url.find("?"), url.find("#")) if index >= 0), default=len(url))
    return url[:cut], url[cut : cut + 1], url[cut + 1 :]


def _host(host: str, bracketed: bool) -> str:
    if not host:
        raise URLError("no host in the URL")
    if "%" in host:
        raise URLError(f"a percent-encoded host ({host!r})")
    if bracketed:  # an IPv6 literal, or not one: `[v1.x]` (urlsplit took the brackets off)
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            raise URLError(f"not an IPv6 address: {host!r}") from None
    host = host.rstrip(".") if host != "." else host
    if host.isascii():
        if not _REG_NAME.fullmatch(host):
            raise URLError(f"not a host name: {host!r}")
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise URLError(f"not a host name: {host!r} ({error})") from None


def _path(path: str) -> str:
    segments = _remove_dot_segments(_percent_normal(path or "/")).split("/")
    for segment in segments:
        decoded = _PERCENT.sub(lambda match: chr(int(match.group(1), 16)), segment)
        if "/" in decoded or "\\" in decoded:
            raise URLError(f"an encoded slash in the path segment {segment!r}")
        if decoded.split(";", 1)[0] in (".", ".."):
            raise URLError(f"a dot segment with parameters, {segment!r}")
    return "/".join(segments)


def _percent_normal(text: str) -> str:
    """Unreserved characters decoded, other escapes in upper case, anything else outside URL syntax encoded."""
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        escape = _PERCENT.match(text, index) if char == "%" else None
        if escape:
            decoded = chr(int(escape.group(1), 16))
            out.append(decoded if decoded in _UNRESERVED else escape.group(0).upper())
            index += 3
            continue
        if char == "%":
            out.append("%25")
        elif char in _ALLOWED:
            out.append(char)
        else:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass")))
        index += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on a path whose `%2E`s are already decoded."""
    output: list[str] = []
    rest = path
    while rest:
        if rest.startswith("../"):
            rest = rest[3:]
        elif rest.startswith("./"):
            rest = rest[2:]
        elif rest.startswith("/./") or rest == "/.":
            rest = "/" + rest[3:]
        elif rest.startswith("/../") or rest == "/..":
            rest = "/" + rest[4:]
            if output:
                output.pop()
        elif rest in (".", ".."):
            rest = ""
        else:
            cut = rest.find("/", 1)
            cut = len(rest) if cut < 0 else cut
            output.append(rest[:cut])
            rest = rest[cut:]
    return "".join(output) or "/"
