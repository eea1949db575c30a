"""HTTPS: the scraper verifies certificates, says so in one line when one is not trusted, and trusts the
authority an office names in SSL_CERT_FILE (a TLS-inspecting proxy's, say). A real TLS server on 127.0.0.1
with a throwaway authority (trustme)."""

from __future__ import annotations

import ssl

import pytest
import trustme

from pipeline import cli
from tests.conftest import REPO
from tools.demo_site import Site, SiteServer

YEAR = "2024-2025"


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


def _scrape(server: SiteServer, raw) -> int:
    return cli.main(["scrape", "--year", YEAR, "--base-url", server.base_url, "--raw", str(raw), "--rate", "500"])


def test_a_certificate_from_an_unknown_authority_is_refused_in_one_line(tmp_path, tls, capsys):
    site = Site.from_raw(REPO / "raw", YEAR)
    with SiteServer(site, tls=tls) as server:
        code = _scrape(server, tmp_path / "raw")
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    said = [line for line in err if "CERTIFICATE_VERIFY_FAILED" in line]
    assert len(said) == 1 and said[0].startswith("error: cannot reach 127.0.0.1:") and "SSL_CERT_FILE" in said[0]
    assert all("Traceback" not in line for line in err)
    assert not (tmp_path / "raw" / YEAR / "html").exists()  # nothing read over a connection it could not trust


def test_the_authority_named_in_ssl_cert_file_is_trusted_and_the_pages_come_home(tmp_path, tls, authority, monkeypatch):
    bundle = tmp_path / "office-ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    site = Site.from_raw(REPO / "raw", YEAR)
    with SiteServer(site, tls=tls) as server:
        code = _scrape(server, tmp_path / "raw")
    assert code == 0
    stored = (tmp_path / "raw" / YEAR / "html" / "credential_1118.html").read_bytes()
    assert stored == site.pages[("credential", 1118)]
