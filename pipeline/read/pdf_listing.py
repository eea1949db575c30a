"""The Credentials by Course listing: a table whose header names a course column and a credential column.

Columns are found by header name, in any of the spellings `site.LISTING_COLUMNS`
lists; the header may repeat on every page; a cell may wrap over lines.
"""

from __future__ import annotations

import io

from pipeline import patterns, site
from pipeline.read.labels import fold, label_prefix_at

# --- the Credentials by Course listing ---------------------------------------------------


# pdfplumber's text strategy: columns and rows found from how the words line up, for tables without rules.
_UNRULED = {"vertical_strategy": "text", "horizontal_strategy": "text"}
_FOOTNOTE_MARKS = ("*", "†", "note", "source")


def names_its_columns(lines: list[str]) -> bool:
    """A printed line names a course column and a credential column, and is no directory label: the document
    may be the listing (every credential page also says "Course" and "Credential", but in its labels)."""
    for line in lines:
        folded = f" {fold(line)} "
        named = {
            column
            for column, spellings in site.LISTING_COLUMNS.items()
            if any(f" {spelling} " in folded for spelling in spellings)
        }
        if set(site.LISTING_REQUIRED) <= named and label_prefix_at(line) is None:
            return True
    return False


def listing_of(data: bytes) -> list[dict] | None:
    """The listing's rows, found with pdfplumber's table finder; None when no table has its header."""
    import pdfplumber  # only for a document that may be the listing

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return listing(pdf)
    except Exception:  # noqa: BLE001 - pdfminer raises many types; PDFium read the file, so read it as a page
        return None


def listing(pdf) -> list[dict] | None:
    """Rows of the table whose header names a course and a credential column, ruled or not; None if none does."""
    return _rows(pdf, {}) or _rows(pdf, _UNRULED)


def _rows(pdf, settings: dict) -> list[dict] | None:
    rows: list[dict] = []
    columns: dict[str, int] | None = None
    for page in pdf.pages:
        for table in page.extract_tables(settings):
            for cells in table:
                found = _header_columns(cells)
                if found:
                    columns = found
                elif columns and _is_row(cells, columns):
                    rows.append(_listing_row(cells, columns))
    return rows if columns else None


def _is_row(cells: list[str | None], columns: dict[str, int]) -> bool:
    """A listing row has a course and a credential; a footnote or a caption under the table is not a row."""
    course, credential = (_cell(cells, columns.get(column)) for column in site.LISTING_REQUIRED)
    return bool(course and credential) and not fold(course).startswith(_FOOTNOTE_MARKS)


def _cell(cells: list[str | None], index: int | None) -> str | None:
    text = cells[index] if index is not None and index < len(cells) else None
    return patterns.WHITESPACE.sub(" ", text).strip() or None if text else None


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
        return _cell(cells, columns.get(column))

    federal = cell("federal_reporting")
    flag = patterns.LEADING_YES_NO.match(federal or "")
    return {
        "course_code": cell("course_code"),
        "course_title": cell("course_title"),
        "credential_name": cell("credential_name"),
        "federal_reporting": (flag.group(1).lower() == "yes") if flag else None,
    }
