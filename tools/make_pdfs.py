"""Print the committed HTML samples to PDF with headless Chromium, as staff do from a browser.

    python tools/make_pdfs.py [--chromium /usr/bin/chromium]

Needs Debian's chromium (`apt-get install chromium`); the PDFs are committed,
so tests and `make run` need no browser. Pages are served by tools/demo_site.py
on 127.0.0.1, so each printed footer shows a directory-shaped URL, as a real
print does. Writes:

- raw/2023-2024/pdf/credential_<id>.pdf, course_62.pdf: printed credential and course pages;
- raw/2023-2024/pdf/credentials_by_course.pdf: the yearly "Credentials by Course"
  listing (rendered from tools/sample_data.py, several pages, header repeated);
- tests/fixtures/pdf/: an encrypted PDF, a corrupt one, one without a text layer, and a
  printed page whose link text hides its target (with the HTML it was printed from).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.read.documents import manifest_csv, read_manifest
from pipeline.tables import normalize
from tools.demo_site import Site, SiteServer
from tools.make_samples import FETCHED_AT, course_url, credential_url, html_page
from tools.sample_data import CREDENTIALS_2023

REPO = Path(__file__).resolve().parents[1]
YEAR = "2023-2024"
PRINTED = [("credential", 1118), ("credential", 1264), ("credential", 1220), ("credential", 1310), ("course", 62)]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Pairs the listing has that no credential page states (and the reverse is
# 1240's IC21): the cross-check must report them.
EXTRA_LISTING_ROWS = [("BM20", "Microsoft Excel and Access", "Microsoft Office Specialist Excel", "Yes")]
DROPPED_FROM_LISTING = {("IC21", 1240)}


def print_pdf(chromium: str, url: str, target: Path, *flags: str) -> None:
    _chromium(chromium, url, target, f"--print-to-pdf={target}", *flags)


def _chromium(chromium: str, url: str, target: Path, *flags: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *flags, url],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if done.returncode != 0 or not target.exists():
        raise SystemExit(f"chromium failed on {url}: {done.stderr.strip()[-500:]}")


def listing_rows() -> list[tuple[str, str, str, str]]:
    """(course code, course title, credential, federal reporting) rows of the sample listing."""
    rows = []
    for cred_id, values in CREDENTIALS_2023:
        name = values["Credential Name"]
        federal = "No" if "POL = No" in values.get("Credential as POL", "") else "Yes"
        for course in normalize.courses(values.get("Course Number and Title")):
            if (course.code, cred_id) not in DROPPED_FROM_LISTING:
                rows.append((course.code, course.title, name, federal))
    rows += EXTRA_LISTING_ROWS
    return sorted(rows)


def listing_html() -> str:
    body = "".join(
        f"<tr><td>{html.escape(c)}</td><td>{html.escape(t)}</td><td>{html.escape(n)}</td><td>{f}</td></tr>"
        for c, t, n, f in listing_rows()
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Credentials by Course</title>"
        "<style>table{border-collapse:collapse;width:100%}td,th{border:1px solid #444;padding:6px;"
        "font-size:14px}th{background:#ddd}</style></head><body>"
        f"<h2>{YEAR} Credentials by Course</h2><p>Industry-recognized credentials aligned to CTE courses, and "
        "whether each counts for federal (Perkins) reporting.</p><table><thead><tr><th>Course Code</th>"
        "<th>Course Title</th><th>Credential</th><th>Federal Reporting</th></tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>"
    )


def write_manifest_rows(year_dir: Path, rows: list[dict[str, str]]) -> None:
    manifest = year_dir / "manifest.csv"
    existing = [row for path, row in read_manifest(manifest).items() if not path.startswith("pdf/")]
    manifest.write_bytes(manifest_csv(existing + rows))


def _manifest_row(path: Path, rel: str, url: str) -> dict[str, str]:
    return {
        "path": rel,
        "url": url,
        "fetched_at": FETCHED_AT,
        "status": "200",
        "content_type": "application/pdf",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "etag": "",
        "last_modified": "",
        "origin": "sample",
    }


def link_fixture(chromium: str, fixtures: Path) -> None:
    """A printed page whose link text hides its target."""
    values = {**dict(CREDENTIALS_2023)[1301], "Student Accommodations": "Yes"}
    page = html_page(YEAR, [values]).replace(
        '<th scope="row">Student Accommodations</th><td>Yes</td>',
        '<th scope="row">Student Accommodations</th><td>Yes<br>'
        '<a href="https://cpr.heart.org/en/accommodations.pdf">Accommodations handbook</a></td>',
    )
    with tempfile.TemporaryDirectory() as temp:
        source = Path(temp) / "credential_1301.html"
        source.write_text(page)
        (fixtures / "credential_1301_link.html").write_text(page)
        print_pdf(chromium, source.as_uri(), fixtures / "credential_1301_link.pdf")


def bad_pdfs(chromium: str, fixtures: Path, listing: Path) -> None:
    """An encrypted copy (pypdf-free: qpdf is not assumed), a corrupt cut and a scan without text."""
    fixtures.mkdir(parents=True, exist_ok=True)
    data = listing.read_bytes()
    (fixtures / "corrupt.pdf").write_bytes(data[: len(data) // 3])
    with tempfile.TemporaryDirectory() as temp:
        # A scan: a picture of a printed page, with no text layer.
        picture = Path(temp) / "page.png"
        _chromium(
            chromium,
            (REPO / "raw" / YEAR / "html" / "credential_1264.html").as_uri(),
            picture,
            f"--screenshot={picture}",
            "--window-size=816,1056",
        )
        image_page = Path(temp) / "scan.html"
        image_page.write_text(f"<html><body style='margin:0'><img src='{picture.name}' width='612'></body></html>")
        print_pdf(chromium, image_page.as_uri(), fixtures / "scan.pdf", "--no-pdf-header-footer")
    encrypted = fixtures / "encrypted.pdf"
    done = subprocess.run(
        ["qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--", str(listing), str(encrypted)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"qpdf failed: {done.stderr.strip()} (apt-get install qpdf)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    year_dir = REPO / "raw" / YEAR
    rows = []
    with SiteServer(Site.from_raw(REPO / "raw", YEAR)) as server:
        for kind, id_ in PRINTED:
            rel = f"pdf/{kind}_{id_}.pdf"
            page_url = credential_url(id_) if kind == "credential" else course_url(id_)
            local = page_url.replace("https://center.ncsu.edu/nccte-cms/", server.base_url)
            print_pdf(args.chromium, local, year_dir / rel)
            rows.append(_manifest_row(year_dir / rel, rel, page_url))
    with tempfile.TemporaryDirectory() as temp:
        page = Path(temp) / "listing.html"
        page.write_text(listing_html())
        listing = year_dir / "pdf" / "credentials_by_course.pdf"
        print_pdf(args.chromium, page.as_uri(), listing)
    rows.append(
        _manifest_row(
            listing,
            "pdf/credentials_by_course.pdf",
            "https://center.ncsu.edu/nccte-cms/documents/credentials_by_course_2023-2024.pdf",
        )
    )
    write_manifest_rows(year_dir, rows)
    bad_pdfs(args.chromium, REPO / "tests" / "fixtures" / "pdf", listing)
    link_fixture(args.chromium, REPO / "tests" / "fixtures" / "pdf")


if __name__ == "__main__":
    main()
