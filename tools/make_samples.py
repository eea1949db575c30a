"""Write the committed sample snapshot under raw/ (see raw/README.md).

    python tools/make_samples.py [--raw raw] [--shared ../shared]

Renders tools/sample_data.py in the three shapes the real site is seen in:
HTML table markup, the glued text rendering and the flattened table
rendering. Real renderings (the seed and the archive's cut samples) are
copied verbatim from ../shared when it is there.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import site
from pipeline.read.documents import manifest_csv, read_manifest
from pipeline.read.labels import LABELS
from tools.sample_data import COMMON, CREDENTIALS_2023, CREDENTIALS_2024

BASE = site.DEFAULT_BASE_URL
FETCHED_AT = "2026-11-20T12:00:00Z"
# The samples print the first and last lines of the introduction and the first three footnotes.
BOILERPLATE = [site.BOILERPLATE[0], site.BOILERPLATE[-1]]
FOOTNOTES = list(site.FOOTNOTES[:3])
DRAFT = site.DRAFT_WARNING
# On the live page these cells hold one item per element, so a flattened
# rendering glues the items with nothing between them.
LIST_LABELS = {
    "Course Number and Title",
    "Credential as POL",
    "Pathway(s)",
    "SOC (Standard Occupational Classification) Code(s)",
    "Diploma Endorsement",
}


def page_values(values: dict[str, str], year: str) -> list[tuple[str, str]]:
    merged = {**COMMON, **values}
    if year >= "2025-2026":
        merged.setdefault("Implementation Year", "Before 2022-2023")
    return [(label.text, merged[label.text]) for label in LABELS if label.text in merged]


# --- renderings ---------------------------------------------------------------


def html_page(year: str, blocks: list[dict[str, str]], draft: bool = False) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        "<title>Credential Information</title>",
        "</head>",
        "<body>",
        '<div class="container">',
        f"<h2>{year} Credential Information</h2>",
    ]
    if draft:
        parts.append(f'<p class="text-danger"><strong>{html.escape(DRAFT)}</strong></p>')
    parts += [f"<p>{html.escape(line)}</p>" for line in BOILERPLATE]
    parts.append("<p>" + "<br>\n".join(html.escape(line) for line in FOOTNOTES) + "</p>")
    for values in blocks:
        pairs = page_values(values, year)
        parts.append(f"<h3>{html.escape(values['Credential Name'])}</h3>")
        parts.append('<table class="table table-bordered cred-table">')
        for label, value in pairs:
            shown = html.escape(label).replace("*", "<sup>*</sup>")
            parts.append(f'<tr><th scope="row">{shown}</th><td>{_html_value(label, value)}</td></tr>')
        parts.append("</table>")
    parts += ["</div>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _html_value(label: str, value: str) -> str:
    if label in LIST_LABELS:
        return "".join(f"<div>{_linked(line)}</div>" for line in value.split("\n"))
    return "<br>".join(_linked(line) for line in value.split("\n"))


def _linked(line: str) -> str:
    words = []
    for word in line.split(" "):
        if word.startswith(("http://", "https://")):
            words.append(f'<a href="{html.escape(word)}" target="_blank">{html.escape(word)}</a>')
        else:
            words.append(html.escape(word))
    return " ".join(words)


def glued_page(year: str, blocks: list[dict[str, str]], draft: bool = False) -> str:
    lines = [f"{year} Credential Information", ""]
    if draft:
        lines += [DRAFT, ""]
    lines += [BOILERPLATE[0], "", BOILERPLATE[1], "", FOOTNOTES[0], FOOTNOTES[1], "", FOOTNOTES[2], "", ""]
    for values in blocks:
        lines += [values["Credential Name"], ""]
        lines += [label + value for label, value in page_values(values, year)]
        lines.append("")
    return "\n".join(lines)


def flattened_page(year: str, blocks: list[dict[str, str]], draft: bool = False) -> str:
    lines = [f"{year} Credential Information"]
    if draft:
        lines.append(DRAFT)
    for values in blocks:
        lines.append(values["Credential Name"])
        for label, value in page_values(values, year):
            glue = "" if label in LIST_LABELS else " "
            flat = glue.join(part for part in value.split("\n") if part)
            lines.append(f"| {label} | {flat} |")
    return "\n".join(lines) + "\n"


# --- the snapshot -------------------------------------------------------------------


def credential_url(cred_id: int, draft: bool = False) -> str:
    return site.credential_url(BASE, cred_id, draft)


def course_url(course_id: int) -> str:
    return site.course_url(BASE, course_id)


class Snapshot:
    def __init__(self, raw: Path) -> None:
        self.raw = raw
        self.manifest: dict[str, list[dict[str, str]]] = {}

    def write(self, year: str, rel: str, content: str | bytes, url: str, origin: str = "sample") -> None:
        path = self.raw / year / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        kind = rel.split("/")[0]
        content_type = {"html": "text/html; charset=UTF-8", "text": "text/plain; charset=UTF-8"}[kind]
        self.manifest.setdefault(year, []).append(
            {
                "path": rel,
                "url": url,
                "fetched_at": FETCHED_AT,
                "status": "200",
                "content_type": content_type,
                "sha256": hashlib.sha256(data).hexdigest(),
                "etag": "",
                "last_modified": "",
                "origin": origin,
            }
        )

    def close(self) -> None:
        for year, rows in self.manifest.items():
            manifest = self.raw / year / "manifest.csv"
            manifest.write_bytes(manifest_csv(rows + _kept_rows(manifest)))


def _kept_rows(manifest: Path) -> list[dict[str, str]]:
    """Rows of the PDFs (printed by tools/make_pdfs.py), which this script does not rebuild."""
    return [row for path, row in read_manifest(manifest).items() if path.startswith("pdf/")]


def build(raw: Path, shared: Path | None) -> None:
    for year in ("2023-2024", "2024-2025", "2025-2026"):
        for kind in ("html", "text"):
            shutil.rmtree(raw / year / kind, ignore_errors=True)
    snap = Snapshot(raw)
    by_year = {"2023-2024": dict(CREDENTIALS_2023), "2024-2025": dict(CREDENTIALS_2024)}
    text_only = {
        "2023-2024": {1380: glued_page, 1350: flattened_page},
        "2024-2025": {1350: flattened_page, 1380: glued_page},
    }
    for year, credentials in by_year.items():
        for cred_id, values in credentials.items():
            render = text_only[year].get(cred_id)
            if render:
                snap.write(year, f"text/credential_{cred_id}.txt", render(year, [values]), credential_url(cred_id))
            else:
                snap.write(year, f"html/credential_{cred_id}.html", html_page(year, [values]), credential_url(cred_id))
    _course_pages(snap, by_year)
    _drafts_and_copies(snap, by_year)
    if shared:
        _real_renderings(snap, shared)
    snap.close()


def _course_pages(snap: Snapshot, by_year: dict[str, dict[int, dict[str, str]]]) -> None:
    y23, y24 = by_year["2023-2024"], by_year["2024-2025"]
    # The course page's copy of the EKG block states the exam time differently: a conflict to report.
    ekg = {**y23[1305], "Exam Time Allotment": "110 minutes"}
    snap.write("2023-2024", "html/course_62.html", html_page("2023-2024", [y23[1301], y23[1260], ekg]), course_url(62))
    snap.write(
        "2023-2024", "html/course_889.html", html_page("2023-2024", [y23[1310], y23[1338], y23[1230]]), course_url(889)
    )
    snap.write(
        "2024-2025", "text/course_889.txt", glued_page("2024-2025", [y24[1310], y24[1338], y24[1230]]), course_url(889)
    )


def _drafts_and_copies(snap: Snapshot, by_year: dict[str, dict[int, dict[str, str]]]) -> None:
    y23, y24 = by_year["2023-2024"], by_year["2024-2025"]
    # Next year's draft, fetched from future_credential_info.php before it became final.
    draft = {**y24[2110], "Exam Passing Requirement": "75% on each graded assessment"}
    snap.write(
        "2024-2025",
        "html/credential_2110_draft.html",
        html_page("2024-2025", [draft], draft=True),
        credential_url(2110, draft=True),
    )
    # Text renderings of pages that also exist as HTML: they merge into one row.
    snap.write("2023-2024", "text/credential_1262.txt", glued_page("2023-2024", [y23[1262]]), credential_url(1262))
    snap.write("2024-2025", "text/credential_1264.txt", flattened_page("2024-2025", [y24[1264]]), credential_url(1264))


# Real renderings copied verbatim: (source under ../shared, year, path in raw, url).
REAL = (
    ("seed/000_31f2b0a93358959e.txt", "2023-2024", "text/credential_1118.txt", credential_url(1118)),
    ("samples/2023-2024_credential_1264_bp.txt", "2023-2024", "text/credential_1264_archive.txt", credential_url(1264)),
    (
        "samples/2023-2024_course_62_bp.txt",
        "2023-2024",
        "text/course_62_archive.txt",
        f"{BASE}credential_info.php?course_id=62&choice=course&cred_id=-1&cluster_id=-1",
    ),
    (
        "samples/2023-2024_course_889_bp.txt",
        "2023-2024",
        "text/course_889_archive.txt",
        f"{BASE}credential_info.php?course_id=889",
    ),
    ("samples/2024-2025_credential_2109_bp.txt", "2024-2025", "text/credential_2109_archive.txt", credential_url(2109)),
    (
        "samples/2025-2026_course_889_credential_1338_acadyear.txt",
        "2025-2026",
        "text/course_889_credential_1338.txt",
        f"{BASE}credential_info.php?course_id=889&cred_id=1338",
    ),
    ("samples/2025-2026_credential_2313_table.txt", "2025-2026", "text/credential_2313.txt", credential_url(2313)),
    (
        "samples/2025-2026_credential_2316_table.txt",
        "2025-2026",
        "text/credential_2316.txt",
        credential_url(2316, draft=True),
    ),
)


def _real_renderings(snap: Snapshot, shared: Path) -> None:
    for source, year, rel, url in REAL:
        snap.write(year, rel, (shared / source).read_bytes(), url, origin="archive")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=Path("raw"))
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    if not args.shared.is_dir():
        # build() replaces raw/<year>/html and text whole: without the real renderings it would delete them.
        parser.error(f"{args.shared} not found: it holds the real renderings raw/ keeps; nothing was changed")
    build(args.raw, args.shared)


if __name__ == "__main__":
    main()
