"""The check: one rendering in a fresh raw/<year>/<kind>/, extracted, compared with the hand-written oracle.

`extract_tables` runs the command line's own code in-process (`cli.main`, writing Parquet that is read
back) or the library call `pipeline.extract.extract` (the tables it returns); `differences` lists every
way the result departs from the oracle: a typed column, a child row, a missing or extra credential, a
drift label. Each difference names the renderer, the credential, the column, what was expected and what
came out.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tests.renderings.credentials import CHILD_COLUMNS, Credential
from tests.renderings.pages import Page

PROVENANCE = ("source_path", "source_url", "source_sha256", "source_origin")
MANIFEST_HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
CONTENT_TYPES = {"html": "text/html", "text": "text/plain", "pdf": "application/pdf"}


@dataclass
class Rendering:
    """One document made from a page: what made it, and its bytes."""

    family: str  # the renderer family: `html/table`, `markdownify`, `w3m`, `reportlab`, ...
    variant: str  # the rest of its choices, for the report
    page: Page
    kind: str  # html | text | pdf: the raw/<year>/<kind>/ folder
    extension: str  # .html, .txt, .md, .pdf
    data: bytes
    manifest: bool = True  # write a manifest row (with the page's URL); else ids come from the file name
    url: str | None = None  # the manifest URL, when not the page's (an archive copy)
    origin: str = "sample"
    dimensions: dict[str, str] = field(default_factory=dict)  # choices for the per-dimension pass rates
    loses_blank_lines: bool = False  # the renderer prints `<br><br>` as one break (lynx)

    @property
    def name(self) -> str:
        return f"{self.family}[{self.variant}]"

    @property
    def rel_path(self) -> str:
        return f"{self.kind}/{self.page.file_stem}{self.extension}"


# What a blank line inside a value decides (CONTRACT: a cost option's condition runs to the next option or a
# blank line; the rest is the note): not asked of a renderer that prints a blank line as a plain break.
BLANK_LINE_COLUMNS = {"instructor_training_cost_note": None, "instructor_training_costs": "condition"}


@dataclass(frozen=True)
class Difference:
    renderer: str
    credential: str
    column: str
    expected: Any
    got: Any

    def __str__(self) -> str:
        return f"{self.renderer}: {self.credential}: {self.column}: expected {self.expected!r}, got {self.got!r}"


def write_raw(rendering: Rendering, raw: Path) -> Path:
    """The rendering as raw/<year>/<kind>/<file>, with its manifest row when it has one."""
    year = raw / rendering.page.school_year
    target = year / rendering.rel_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(rendering.data)
    if rendering.manifest:
        sha = hashlib.sha256(rendering.data).hexdigest()
        url = rendering.url or rendering.page.url
        row = f"{rendering.rel_path},{url},2026-01-15T12:00:00Z,200,{CONTENT_TYPES[rendering.kind]},{sha},,,"
        (year / "manifest.csv").write_text(MANIFEST_HEADER + row + rendering.origin + "\n")
    return target


def extract_tables(rendering: Rendering, through_cli: bool = False) -> dict[str, pd.DataFrame]:
    """Extract one rendering alone; every output table as a DataFrame."""
    with tempfile.TemporaryDirectory(prefix="rendering-") as temp:
        raw, out = Path(temp) / "raw", Path(temp) / "out"
        write_raw(rendering, raw)
        if through_cli:
            from pipeline import cli

            stdout = io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
                code = cli.main(["extract", "--raw", str(raw), "--out", str(out), "--no-cache", "--workers", "1"])
            if code != 0:
                raise AssertionError(f"{rendering.name}: extract exited {code}: {stdout.getvalue()[-500:]}")
            return {path.stem: pd.read_parquet(path) for path in (out / "parquet").glob("*.parquet")}
        from pipeline.extract import extract
        from schemas.tables import SCHEMAS

        with contextlib.redirect_stdout(io.StringIO()):
            tables = extract(raw, out, cache_dir=None, workers=1).tables
        # each table is let go once written and read back from its file when asked for
        return {name: tables[name] for name in SCHEMAS}


def parsed_tables(rendering: Rendering) -> dict[str, pd.DataFrame] | None:
    """The quick look: the rendering parsed and typed by the library's per-document step, before merge and
    validation; None when that cannot stand for the whole run (the document gave two blocks of one name).

    Exact for a pass: one document's rows go through merge unchanged, and validation only nulls values or
    drops rows that fail a check, which no oracle value does. So a rendering that passes here passes the
    whole extract; `fuzz.py` runs the whole extract on every other one, for its exact differences.
    """
    from pipeline.parse import read_document
    from pipeline.read import documents
    from schemas.tables import CHILD_TABLES

    with tempfile.TemporaryDirectory(prefix="rendering-") as temp:
        raw = Path(temp) / "raw"
        write_raw(rendering, raw)
        (ref,) = documents.scan(raw).refs
        result = read_document(ref, documents.read_bytes(ref))
    slugs = [typed.credential["credential_slug"] for typed in result.credentials]
    if len(slugs) != len(set(slugs)):
        return None
    children = {
        table: pd.DataFrame(
            [{**row} for typed in result.credentials for row in typed.children.get(table, [])],
            columns=["credential_slug", *CHILD_COLUMNS[table]],
        )
        for table in CHILD_TABLES
    }
    credentials = pd.DataFrame([typed.credential for typed in result.credentials])
    if credentials.empty:
        credentials = pd.DataFrame(columns=["credential_slug", "credential_name"])
    labels = pd.DataFrame(result.label_values or {"label": [], "label_raw": []})
    listing = pd.DataFrame(result.course_credentials, columns=list(LISTING_COLUMNS))
    return {"credentials": credentials, **children, "label_values": labels, "course_credentials": listing}


def plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def expected_row(rendering: Rendering, credential: Credential) -> dict[str, Any]:
    """The oracle's typed row for this credential in this rendering: the hand-written columns, plus the
    two that depend on the rendering (its format) and the page (one block: the URL's cred_id)."""
    return {
        **credential.expected,
        "source_format": rendering.kind,
        "cred_id": rendering.page.expected_cred_id(credential),
    }


def differences(rendering: Rendering, tables: dict[str, pd.DataFrame]) -> list[Difference]:
    """Every departure from the oracle; empty when the rendering gave exactly the hand-written rows."""
    found: list[Difference] = []
    name = rendering.name
    credentials = tables["credentials"]
    by_slug = {row["credential_slug"]: row for row in credentials.to_dict("records")}
    expected_slugs = {credential.slug for credential in rendering.page.credentials}
    for slug in sorted(set(by_slug) - expected_slugs):
        found.append(
            Difference(name, slug, "(credential)", None, f"extra credential {by_slug[slug]['credential_name']!r}")
        )
    for credential in rendering.page.credentials:
        row = by_slug.get(credential.slug)
        if row is None:
            found.append(Difference(name, credential.slug, "(credential)", "present", "missing"))
            continue
        expected = expected_row(rendering, credential)
        for column in credentials.columns:
            if column in PROVENANCE or (rendering.loses_blank_lines and column in BLANK_LINE_COLUMNS):
                continue
            got, want = plain(row[column]), expected.get(column)
            if got != want:
                found.append(Difference(name, credential.slug, column, want, got))
        found += _child_differences(name, credential, tables, rendering.loses_blank_lines)
    found += _listing_differences(name, getattr(rendering.page, "listing_rows", []), tables["course_credentials"])
    labels = tables["label_values"]
    for raw in labels.loc[labels["label"].isna(), "label_raw"]:
        found.append(Difference(name, "(page)", "label_values.label", "a contract label", f"drift label {raw!r}"))
    return found


def _child_differences(
    name: str, credential: Credential, tables: dict[str, pd.DataFrame], loses_blank_lines: bool = False
) -> list[Difference]:
    found = []
    for table, columns in CHILD_COLUMNS.items():
        frame = tables[table]
        mine = frame[frame["credential_slug"] == credential.slug]
        kept = len(columns)
        if loses_blank_lines and table in BLANK_LINE_COLUMNS:
            kept = columns.index(BLANK_LINE_COLUMNS[table])
        got = sorted(
            (tuple(plain(v) for v in row)[:kept] for row in mine[list(columns)].itertuples(index=False)), key=repr
        )
        want = sorted((row[:kept] for row in credential.children.get(table, [])), key=repr)
        for row in want:
            if row not in got:
                found.append(Difference(name, credential.slug, table, row, "missing"))
        for row in got:
            if row not in want:
                found.append(Difference(name, credential.slug, table, "no such row", row))
    return found


LISTING_COLUMNS = (
    "school_year",
    "course_code",
    "course_title",
    "credential_name",
    "credential_slug",
    "federal_reporting",
)


def _listing_differences(name: str, want: list[tuple], frame: pd.DataFrame) -> list[Difference]:
    """course_credentials rows: exactly the listing's (none for a page that is not the listing)."""
    got = [tuple(plain(v) for v in row) for row in frame[list(LISTING_COLUMNS)].itertuples(index=False)]
    found = [Difference(name, row[4], "course_credentials", row, "missing") for row in want if row not in got]
    found += [Difference(name, str(row[4]), "course_credentials", "no such row", row) for row in got if row not in want]
    return found


def report(found: list[Difference], limit: int = 40) -> str:
    lines = [str(difference) for difference in found[:limit]]
    if len(found) > limit:
        lines.append(f"... and {len(found) - limit} more")
    return "\n".join(lines)
