"""Print one credential page in several markups, and listings with other headers, with headless Chromium.

    python -m tools.make_pdf_layouts [--chromium /usr/bin/chromium] [NAME ...]

Writes tests/fixtures/pdf/layouts/: for each markup (a th/td table, a
definition list, label/value div rows, bold labels followed by text) the HTML
and two printouts, with and without the browser's header and footer; and
Credentials by Course listings (other header words and ruled, no ruling
lines, a footnote under the table, and three with header spellings no list in
the code holds, one with its columns in another order and one with code and
title in one column). The pages carry site chrome a real page
has: navigation before the title and a copyright footer in body type. Pages
are served on 127.0.0.1 at directory-shaped URLs, so a printed footer names
the page as a real print does. The values are written here by hand; the tests
state what they must give, by hand too.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.demo_site import Site, SiteServer
from tools.make_pdfs import print_pdf

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pdf" / "layouts"
TITLE = "NCCER Welding Level 1"
PAIRS = [
    ("Credential Name", "NCCER Welding Level 1"),
    (
        "Credential Vendor Info",
        "NCCER\nJane Doe, Program Manager\njane.doe@nccer.org\n888.622.3720\nhttps://www.nccer.org/",
    ),
    ("Credential Auto Collect", "Yes"),
    ("Diploma Endorsement", "IM21 = Yes"),
    ("Course Number and Title", "IM21 Welding Technology I\nIM22 Welding Technology II (LCO)"),
    ("Credential as POL", "IM21 POL = Yes"),
    ("Pathway(s)", "Welding Technology (WELD)\n^Metal Fabrication (MEFA)"),
    ("Cost of Instructor Training", "$150.00\nwith workshop\nOR\n$75.00\nonline only"),
    ("Instructor Training Requirements", "Required"),
    ("Credential Lifespan", "5 years"),
    ("SOC (Standard Occupational Classification) Code(s)", "Welders, Cutters, Solderers, and Brazers (51-4121)"),
    ("Exam Time Allotment", "2 hours"),
    ("Exam Passing Requirement", "70% or higher"),
    ("Directory Notes", "None"),
]
NAV = '<nav class="site">Home | Credentials | Courses | Contact</nav>'
FOOTER = "<footer><p>© 2025 NC State University · NC Career and Technical Education</p></footer>"
STYLE = """
body { font-family: sans-serif; font-size: 13px; margin: 24px; }
nav.site { margin-bottom: 12px; }
table.cred th { text-align: left; vertical-align: top; width: 220px; padding: 4px; }
table.cred td { vertical-align: top; padding: 4px; }
dl.cred dt { font-weight: bold; margin-top: 8px; }
dl.cred dd { margin-left: 32px; }
div.row { display: flex; margin: 4px 0; }
div.label { width: 220px; font-weight: bold; flex: none; }
div.value { flex: 1; }
p.pair { margin: 6px 0; }
"""


def _value(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def markup(kind: str) -> str:
    if kind == "table":
        rows = "".join(f"<tr><th>{html.escape(label)}</th><td>{_value(value)}</td></tr>" for label, value in PAIRS)
        body = f'<table class="cred">{rows}</table>'
    elif kind == "dl":
        items = "".join(f"<dt>{html.escape(label)}</dt><dd>{_value(value)}</dd>" for label, value in PAIRS)
        body = f'<dl class="cred">{items}</dl>'
    elif kind == "divs":
        body = "".join(
            f'<div class="row"><div class="label">{html.escape(label)}</div><div class="value">{_value(value)}</div>'
            "</div>"
            for label, value in PAIRS
        )
    else:  # bold label followed by its text
        body = "".join(f'<p class="pair"><b>{html.escape(label)}:</b> {_value(value)}</p>' for label, value in PAIRS)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Credential Information</title>"
        f"<style>{STYLE}</style></head><body>{NAV}<h2>2024-2025 Credential Information</h2>"
        f"<h3>{html.escape(TITLE)}</h3>{body}{FOOTER}</body></html>"
    )


LISTING_ROWS = [
    ("IM21", "Welding Technology I", "NCCER Welding Level 1", "Yes"),
    ("IM22", "Welding Technology II", "NCCER Welding Level 1", "No"),
    ("BM10", "Microsoft Word and PowerPoint", "Microsoft Office Specialist Word", "Yes"),
    ("CI01", "Computer Engineering Technology I", "CompTIA A+ (Core 1)", "Yes"),
]
LISTINGS = {
    "listing_other_words": (("Course Number", "Course Title", "Credential Name", "Federal Reporting"), True, ""),
    "listing_unruled": (("Course", "Title", "Industry Credential", "Federal"), False, ""),
    "listing_footnote": (
        ("Course Code", "Course Title", "Credential", "Counts for Federal Reporting"),
        True,
        "* Federal reporting follows the Perkins V guidance for the 2024-2025 school year.",
    ),
    # Header spellings that are in no list of the code: columns are read by the words their headers contain.
    "listing_unseen_words": (
        ("NCDPI Course #", "Course Description", "Industry-Recognized Credential (IRC)", "Perkins V Reportable?"),
        True,
        "",
    ),
    "listing_unseen_order": (
        ("Career Cluster", "Certification Earned", "Crs. No.", "Title of the Course", "Counts Toward Federal"),
        False,
        "",
    ),
    "listing_unseen_combined": (("CREDENTIAL / LICENSE", "COURSE CODE AND TITLE", "FEDERAL REPORTING (Y/N)"), True, ""),
}
CLUSTER = {"IM": "Manufacturing", "BM": "Business", "CI": "Information Technology"}


def _cells(header: tuple[str, ...], row: tuple[str, str, str, str]) -> list[str]:
    """One listing row in the order the header names its columns (found here by the header's own words)."""
    code, title, credential, federal = row
    by_header = []
    for name in header:
        words = name.lower()
        if "cluster" in words:
            by_header.append(CLUSTER[code[:2]])
        elif "credential" in words or "certification" in words:
            by_header.append(credential)
        elif "code and title" in words:
            by_header.append(f"{code} {title}")
        elif "federal" in words or "perkins" in words:
            by_header.append(federal)
        elif "title" in words or "description" in words:
            by_header.append(title)
        else:
            by_header.append(code)
    return by_header


def listing(header: tuple[str, ...], ruled: bool, footnote: str) -> str:
    border = "border: 1px solid #000;" if ruled else "border: none;"
    cells = f"th, td {{ {border} padding: 4px 8px; text-align: left; }}"
    head = "".join(f"<th>{html.escape(name)}</th>" for name in header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in _cells(header, row)) + "</tr>"
        for row in LISTING_ROWS
    )
    note = f"<p>{html.escape(footnote)}</p>" if footnote else ""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Credentials by Course</title>"
        f"<style>body {{ font-family: sans-serif; font-size: 12px; }} table {{ border-collapse: collapse; }} {cells}"
        f"</style></head><body><h2>2024-2025 Credentials by Course</h2><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>{note}</body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("names", nargs="*", help="print only these fixtures (default: all)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    site = Site({})
    pages = {}
    for kind in ("table", "dl", "divs", "bold"):
        pages[f"credential_{kind}"] = markup(kind)
        path = f"/nccte-cms/credential_info.php?choice=credential&cred_id=7001&markup={kind}"
        site.files[path] = (200, pages[f"credential_{kind}"].encode(), "text/html; charset=UTF-8")
    pages["not_a_credential"] = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Page not found</title><style>{STYLE}</style></head>"
        f"<body>{NAV}<h2>Page not found</h2><p>The page you requested does not exist.</p>{FOOTER}</body></html>"
    )
    site.files["/nccte-cms/credential_info.php?choice=credential&cred_id=7002"] = (
        200,
        pages["not_a_credential"].encode(),
        "text/html; charset=UTF-8",
    )
    for name, (header, ruled, footnote) in LISTINGS.items():
        pages[name] = listing(header, ruled, footnote)
        site.files[f"/files/{name}.html"] = (200, pages[name].encode(), "text/html; charset=UTF-8")
    with SiteServer(site) as server:
        for name, source in pages.items():
            if args.names and name not in args.names:
                continue
            (OUT / f"{name}.html").write_text(source, encoding="utf-8")
            if name == "not_a_credential":
                print_pdf(
                    args.chromium,
                    f"{server.base_url}credential_info.php?choice=credential&cred_id=7002",
                    OUT / f"{name}.pdf",
                )
            elif name.startswith("credential_"):
                kind = name.split("_", 1)[1]
                url = f"{server.base_url}credential_info.php?choice=credential&cred_id=7001&markup={kind}"
                print_pdf(args.chromium, url, OUT / f"{name}.pdf")  # with the browser's header and footer
                print_pdf(args.chromium, url, OUT / f"{name}_bare.pdf", "--no-pdf-header-footer")
            else:
                print_pdf(
                    args.chromium, f"{server.origin}/files/{name}.html", OUT / f"{name}.pdf", "--no-pdf-header-footer"
                )
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main()
