"""Screenshots of report.html in a real browser, for docs/ (Debian's chromium: `apt-get install chromium`).

    python -m tools.screenshot_report [--chromium /usr/bin/chromium]

- docs/report.png: the committed extracted/report.html.
- docs/report-refresh.png: the report after a refresh of 2024-2025 against a local stand-in
  (tools/demo_site.py) in a temporary copy of the repository, where one page fails, ServSafe's exam time
  changed and one page states a passing requirement of `1700/1000`: what needs a decision comes first.
The screenshots are committed; tests never need a browser.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

from pipeline import cli
from tools.demo_site import Site, SiteServer
from tools.make_pdfs import _chromium

REPO = Path(__file__).resolve().parents[1]
YEAR = "2024-2025"


def screenshot(chromium: str, page: Path, target: Path, height: int) -> None:
    _chromium(
        chromium, page.as_uri(), target, f"--screenshot={target}", f"--window-size=1200,{height}", "--hide-scrollbars"
    )


def refresh_scenario(work: Path) -> Path:
    """A refresh of 2024-2025 against a stand-in; returns its extract output."""
    shutil.copytree(REPO / "raw", work / "raw")
    year = work / "raw" / YEAR
    shutil.rmtree(year / "text")  # the stand-in serves HTML pages only: keep the year to what it can serve
    with (year / "manifest.csv").open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["path"].startswith("html/")]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (year / "manifest.csv").write_text(text.getvalue())
    out, cache = work / "extracted", work / "cache"
    cli.main(["extract", "--raw", str(work / "raw"), "--out", str(out), "--cache", str(cache)])
    site = Site.from_raw(work / "raw", YEAR)
    site.pages[("credential", 1230)] = site.pages[("credential", 1230)].replace(b"90 minutes", b"120 minutes")
    site.pages[("credential", 1118)] = site.pages[("credential", 1118)].replace(b"73% or higher", b"1700/1000")
    site.faults[("credential", 1264)] = ["status:503"] * 10
    with SiteServer(site) as server:
        cli.main(
            [
                "refresh",
                "--year",
                YEAR,
                "--base-url",
                server.base_url,
                "--rate",
                "50",
                "--retries",
                "0",
                "--raw",
                str(work / "raw"),
                "--out",
                str(out),
                "--cache",
                str(cache),
                "--reports",
                str(work / "reports"),
                "--keep",
                str(work / "kept"),
            ]
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    screenshot(args.chromium, REPO / "extracted" / "report.html", REPO / "docs" / "report.png", 1800)
    with tempfile.TemporaryDirectory() as temp:
        os.chdir(temp)  # the report names its output as given: `extracted`, as in a checkout
        out = refresh_scenario(Path("."))
        screenshot(args.chromium, out.resolve() / "report.html", REPO / "docs" / "report-refresh.png", 1800)
        os.chdir(REPO)


if __name__ == "__main__":
    main()
