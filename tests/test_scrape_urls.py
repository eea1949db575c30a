"""The scraper's one URL normaliser (pipeline/fetch/urls.py): hand-written cases and properties.

The expected values are RFC 3986's own resolution examples (section 5.4) and
URLs written out by hand; the properties check what matters to containment: a
URL the normaliser puts inside the directory stays inside for a server that
decodes and resolves it its own way, and httpx requests exactly that URL.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.fetch.urls import URLError, normalise, same_directory

RFC_BASE = "http://a/b/c/d;p?q"


@pytest.mark.parametrize(
    "reference, expected",
    [  # RFC 3986 5.4.1 and 5.4.2, fragments dropped (never sent), an empty path written `/`
        ("g", "http://a/b/c/g"),
        ("./g", "http://a/b/c/g"),
        ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"),
        ("//g", "http://g/"),
        ("?y", "http://a/b/c/d;p?y"),
        ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q"),
        ("g#s", "http://a/b/c/g"),
        ("g?y#s", "http://a/b/c/g?y"),
        (";x", "http://a/b/c/;x"),
        ("g;x", "http://a/b/c/g;x"),
        ("", "http://a/b/c/d;p?q"),
        (".", "http://a/b/c/"),
        ("./", "http://a/b/c/"),
        ("..", "http://a/b/"),
        ("../", "http://a/b/"),
        ("../g", "http://a/b/g"),
        ("../..", "http://a/"),
        ("../../", "http://a/"),
        ("../../g", "http://a/g"),
        ("../../../g", "http://a/g"),
        ("../../../../g", "http://a/g"),
        ("/./g", "http://a/g"),
        ("/../g", "http://a/g"),
        ("g.", "http://a/b/c/g."),
        (".g", "http://a/b/c/.g"),
        ("g..", "http://a/b/c/g.."),
        ("..g", "http://a/b/c/..g"),
        ("./../g", "http://a/b/g"),
        ("./g/.", "http://a/b/c/g/"),
        ("g/./h", "http://a/b/c/g/h"),
        ("g/../h", "http://a/b/c/h"),
        ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
        ("g;x=1/../y", "http://a/b/c/y"),
    ],
)
def test_references_resolve_as_rfc_3986_says(reference, expected):
    assert normalise(reference, base=RFC_BASE) == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTP://Center.NCSU.EDU/nccte-cms/", "http://center.ncsu.edu/nccte-cms/"),  # case of scheme and host
        ("https://center.ncsu.edu:443/x", "https://center.ncsu.edu/x"),  # default ports
        ("http://center.ncsu.edu:80/x", "http://center.ncsu.edu/x"),
        ("http://center.ncsu.edu:443/x", "http://center.ncsu.edu:443/x"),  # not the default for http
        ("http://h:0080/x", "http://h/x"),
        ("http://center.ncsu.edu./x", "http://center.ncsu.edu/x"),  # the root's dot
        ("http://h", "http://h/"),
        ("http://h/%7Euser/%41%2d%5f%2E", "http://h/~user/A-_."),  # unreserved decoded
        ("http://h/a%2fb/c%3a", None),  # an encoded slash: refused, see below
        ("http://h/x%3a%c3%a9", "http://h/x%3A%C3%A9"),  # other escapes upper-cased, kept
        ("http://h/caf\u00e9 au lait", "http://h/caf%C3%A9%20au%20lait"),  # raw non-ASCII and space encoded
        ("http://h/100%", "http://h/100%25"),  # a lone percent
        ("http://h/x?a=%7e&b=%2F&c=d+e", "http://h/x?a=~&b=%2F&c=d+e"),
        ("http://h/nccte-cms/%2e%2e/admin", "http://h/admin"),  # encoded dot segments are dot segments
        ("http://h/nccte-cms/%2E%2E/admin", "http://h/admin"),
        ("http://h/nccte-cms/.%2E/admin", "http://h/admin"),
        ("http://h/a\\..\\b", "http://h/b"),  # backslashes read as slashes, as browsers do
        ("\\\\evil.example\\x", None),  # no base: not an absolute URL
        ("http://b\u00fccher.DE/", "http://xn--bcher-kva.de/"),  # IDN in its ASCII form
        ("http://\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com/", "http://example.com/"),  # full-width letters
        ("http://[0:0:0:0:0:0:0:1]:8080/x", "http://[::1]:8080/x"),
        ("  http://h/x \n", "http://h/x"),  # surrounding blanks and controls, as browsers strip them
        ("\x00\x1bhttp://h/x\x01", "http://h/x"),  # any C0 control around it (WHATWG), not only blanks
        ("\u00a0http://h/x", None),  # a no-break space is not C0: not stripped, so not an absolute URL
        ("http://h/x?", "http://h/x?"),  # an empty query is kept (RFC 3986 6.2.3: `?` may matter)
        ("http://h/x?#top", "http://h/x?"),  # the same, with a fragment (never sent) after it
        ("http://h/x#top?", "http://h/x"),  # a `?` inside the fragment is no query
        ("http://h/x#a?#b", "http://h/x"),  # nor one between two `#`s: the fragment starts at the first
        ("http://h/x?q=a\\b?c", "http://h/x?q=a%5Cb?c"),  # a backslash after the first `?` is not a slash
        ("http://./x", "http://./x"),  # a host that is only the root's dot keeps it (nothing would be left)
        ("http://h/a//../b", "http://h/a/b"),  # RFC 3986 5.2.4: `..` removes the empty segment before it
    ],
)
def test_urls_are_written_one_way(url, expected):
    if expected is None:
        with pytest.raises(URLError):
            normalise(url)
    else:
        assert normalise(url) == expected


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://good@evil.example/", "a user name or password"),
        ("http://u:p@h/", "a user name or password"),
        ("http://h/nccte-cms/..%2Fadmin", "an encoded slash"),
        ("http://h/nccte-cms/..%5cadmin", "an encoded slash"),
        ("http://h/nccte-cms/..;/admin", "a dot segment with parameters"),
        ("http://h/nccte-cms/.;x/admin", "a dot segment with parameters"),
        ("http://h/a\x00b", "a control character"),
        ("http://h/a\tb", "a control character"),
        ("http://[::1/x", "not a URL"),
        ("http://h:99999/", "not a URL"),
        ("http://h:port/", "not a URL"),
        ("http://%31%32%37.0.0.1/", "a percent-encoded host"),
        ("http://exa<mple/", "not a host name"),
        ("http:///x", "no host"),
        ("ftp://h/x", "not an http(s) URL"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("/relative/only", "not an absolute http(s) URL"),
    ],
)
def test_urls_servers_read_differently_are_refused_with_the_reason(url, reason):
    with pytest.raises(URLError, match=re.escape(reason)):
        normalise(url)


@pytest.mark.parametrize(
    "url, message",
    [  # the whole message the user reads, not only its start
        ("http://h/a\x00b", "a control character in the URL"),
        ("http://u:p@h/", "a user name or password in the URL"),
        ("http:///x", "no host in the URL"),
        ("/relative/only", "not an absolute http(s) URL"),
        ("http://[v7.a:b]/", "not an IPv6 address: 'v7.a:b'"),  # an IPvFuture literal, not IPv6
        ("http://[v1.x]/", "not an IPv6 address: 'v1.x'"),  # one without a colon is not the host name v1.x
        ("http://-\u00e9-/", "not a host name: '-\u00e9-' (Label must not start or end with a hyphen)"),  # IDNA
    ],
)
def test_a_refused_url_says_why_in_full(url, message):
    with pytest.raises(URLError) as refused:
        normalise(url)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    "reference, base, expected",
    [  # a link that is only a query: the `?` is its first character
        ("?q=a\\b", "http://h/x", "http://h/x?q=a%5Cb"),
        ("?a=1&b=c\\d", "http://h/nccte-cms/list.php", "http://h/nccte-cms/list.php?a=1&b=c%5Cd"),
    ],
)
def test_a_backslash_in_a_query_only_reference_stays_in_the_query(reference, base, expected):
    assert normalise(reference, base=base) == expected


@pytest.mark.parametrize(
    "url, inside",
    [
        ("http://h/nccte-cms/credential_info.php", True),
        ("http://h/nccte-cms/", True),
        ("http://h/nccte-cms", False),
        ("http://h/nccte-cms-old/x", False),
        ("http://h:8080/nccte-cms/x", False),
        ("https://h/nccte-cms/x", False),
        ("http://h.evil/nccte-cms/x", False),
    ],
)
def test_same_directory_is_scheme_host_port_and_path_prefix(url, inside):
    assert same_directory(normalise(url), "http://h/nccte-cms/") is inside


# --- properties -------------------------------------------------------------------------------------------

_SEGMENT = st.lists(
    st.sampled_from(
        [".", "..", "%2e", "%2E", "%2e%2E", ".%2e", "a", "b", "%41", "~x", "x;y", "%7E", "\u00e9", "c d", "", "%25"]
    ),
    max_size=8,
).map("/".join)
_REFERENCE = st.tuples(
    st.sampled_from(["", "/", "./", "../", "\\", "/nccte-cms/"]), _SEGMENT, st.sampled_from(["", "?q=1"])
)
BASE = "http://h/nccte-cms/"


def _server_view(path: str) -> str:
    """How a lenient server might read a path: decode everything, `\\` as `/`, `;params` dropped, dots resolved."""
    decoded = unquote(path).replace("\\", "/")
    segments = [segment.split(";", 1)[0] for segment in decoded.split("/")]
    return posixpath.normpath("/".join(segments) or "/")


@given(_REFERENCE)
def test_normalising_twice_changes_nothing(parts):
    try:
        once = normalise("".join(parts), base=BASE)
    except URLError:
        return
    assert normalise(once) == once


@given(_REFERENCE)
def test_a_url_inside_the_directory_stays_inside_for_a_server_that_decodes_it_its_own_way(parts):
    try:
        url = normalise("".join(parts), base=BASE)
    except URLError:
        return
    segments = urlsplit(url).path.split("/")
    assert "." not in segments and ".." not in segments
    if same_directory(url, BASE):
        assert (_server_view(urlsplit(url).path) + "/").startswith("/nccte-cms/")


@given(
    _REFERENCE,
    st.sampled_from(["http://h", "HTTPS://Host.Example:443", "http://127.0.0.1:8080", "http://b\u00fccher.de"]),
)
def test_httpx_requests_exactly_the_normalised_url(parts, origin):
    try:
        url = normalise("".join(parts), base=origin + "/nccte-cms/")
    except URLError:
        return
    assert str(httpx.URL(url)) == url
