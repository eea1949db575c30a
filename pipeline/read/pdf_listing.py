"""The Credentials by Course listing: a table whose header names a course column and a credential column.

Columns are found by header name, in any of the spellings `site.LISTING_COLUMNS`
lists; the header may repeat on every page; a cell may wrap over lines.
"""

from __future__ import annotations

from pipeline import patterns, site
from pipeline.read.labels import fold

# --- the Credentials by Course listing ---------------------------------------------------


def listing(pdf) -> list[dict] | None:
    """Rows of a ruled table whose header names the listing's columns; None if there is none."""
    rows: list[dict] = []
    columns: dict[str, int] | None = None
    for page in pdf.pages:
        for table in page.extract_tables():
            for cells in table:
                found = _header_columns(cells)
                if found:
                    columns = found
                    continue
                if columns:
                    rows.append(_listing_row(cells, columns))
    return rows if columns else None


def _header_columns(cells: list[str | None]) -> dict[str, int] | None:
    names = [fold(cell or "") for cell in cells]
    found = {}
    for column, spellings in site.LISTING_COLUMNS.items():
        for index, name in enumerate(names):
            if name in spellings and index not in found.values():
                found[column] = index
                break
    return found if set(site.LISTING_REQUIRED) <= found.keys() else None


def _listing_row(cells: list[str | None], columns: dict[str, int]) -> dict:
    def cell(column: str) -> str | None:
        index = columns.get(column)
        text = cells[index] if index is not None and index < len(cells) else None
        return patterns.WHITESPACE.sub(" ", text).strip() if text else None

    federal = cell("federal_reporting")
    flag = patterns.LEADING_YES_NO.match(federal or "")
    return {
        "course_code": cell("course_code"),
        "course_title": cell("course_title"),
        "credential_name": cell("credential_name"),
        "federal_reporting": (flag.group(1).lower() == "yes") if flag else None,
    }
