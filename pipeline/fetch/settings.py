"""The scraper's HTTP settings, declared once: defaults, caps and the checks on them.

`Policy` is the one settings object (as Scrapy's settings): `fetch.http` obeys it,
`fetch.crawl.Settings` extends it with what to crawl, and the command line takes
its defaults from `DEFAULTS`. No heavy imports here, so `nccte --help` stays fast.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Printable ASCII but the three characters a User-Agent comment cannot hold as text: ( ) \ (RFC 9110 5.6.5).
_COMMENT_TEXT = re.compile(r"[ !-'*-\[\]-~]*")


class SettingsError(Exception):
    """Arguments the crawl cannot start from; the message says which and why."""


@dataclass(kw_only=True)
class Policy:
    """How to fetch: the politeness, the patience and the limits of every request."""

    rate: float = 1.0  # requests per second, per host (a slower robots.txt Crawl-delay wins)
    timeout: float = 30.0  # seconds for a whole response: connect, headers and body
    retries: int = 4  # per request, for timeouts, resets, 5xx and 429
    backoff: float = 2.0  # the first retry's delay, doubled each time, with jitter
    max_retry_after: float = 120.0  # longest Retry-After obeyed; a longer one stops that host's crawl
    max_crawl_delay: float = 60.0  # longest robots.txt Crawl-delay obeyed; a longer one stops that host's crawl
    max_host_wait: float = 900.0  # seconds of retry pauses one host may cost a run; then its crawl stops, said
    max_bytes: int = 5_000_000  # per response, after decompression
    max_redirects: int = 5  # per request; also robots.txt's (RFC 9309 asks for at least five)
    contact: str | None = None  # an email or URL for the User-Agent

    def check_policy(self) -> None:
        """SettingsError naming the first setting no crawl can run with."""
        for flag, value, unit in (("--rate", self.rate, "requests per second"), ("--timeout", self.timeout, "seconds")):
            if not (math.isfinite(value) and value > 0):
                raise SettingsError(f"{flag} must be a finite number above 0 ({unit}), not {value:g}")
        if self.retries < 0:
            raise SettingsError(f"--retries must be 0 or more, not {self.retries}")
        if self.contact is not None and not _COMMENT_TEXT.fullmatch(self.contact):
            raise SettingsError(
                "--contact (or $NCCTE_CONTACT) must be printable ASCII without ( ) or \\ "
                f"(it goes into the User-Agent header), not {self.contact!r}"
            )


DEFAULTS = Policy()
