"""raw/ -> documents: find the stored files, their manifest rows, ids and text."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from . import patterns

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("path", "url", "fetched_at", "status", "content_type", "sha256", "etag", "last_modified")
KINDS = ("html", "text", "pdf")
_EXTENSION_KIND = {".html": "html", ".htm": "html", ".txt": "text", ".text": "text", ".pdf": "pdf"}
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\uf8ff\ufdd0-\ufdef\ufffe\uffff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)


class DocumentError(Exception):
    """A document that cannot be read; the message is its cause."""


@dataclass(frozen=True)
class DocumentRef:
    """A stored file and what the manifest and its name tell about it."""

    path: Path          # absolute
    rel_path: str       # relative to the raw root, posix
    kind: str           # html | text | pdf
    folder_year: str | None
    url: str | None
    cred_id: int | None
    course_id: int | None


@dataclass(frozen=True)
class Document:
    ref: DocumentRef
    sha256: str
    text: str | None    # decoded text; None for PDFs
    data: bytes


def discover(raw_root: Path) -> list[DocumentRef]:
    """Every document under raw_root/<year>/<kind>/, sorted by path."""
    refs: list[DocumentRef] = []
    for year_dir in sorted(p for p in raw_root.iterdir() if p.is_dir()):
        manifest = read_manifest(year_dir / MANIFEST_NAME)
        folder_year = year_dir.name if patterns.SCHOOL_YEAR.match(year_dir.name) else None
        for path in sorted(year_dir.rglob("*")):
            kind = _kind_of(path, year_dir)
            if kind is None:
                continue
            in_year = path.relative_to(year_dir).as_posix()
            url = (manifest.get(in_year) or {}).get("url") or None
            refs.append(_make_ref(path, path.relative_to(raw_root).as_posix(), kind, folder_year, url))
    return refs


def _kind_of(path: Path, year_dir: Path) -> str | None:
    if not path.is_file() or path.name == MANIFEST_NAME or path.name.startswith("."):
        return None
    parts = path.relative_to(year_dir).parts
    if len(parts) > 1 and parts[0] in KINDS:
        return parts[0]
    return _EXTENSION_KIND.get(path.suffix.lower())


def _make_ref(path: Path, rel: str, kind: str, folder_year: str | None, url: str | None) -> DocumentRef:
    cred_id, course_id = ids_from_url(url) if url else (None, None)
    file_cred, file_course = ids_from_filename(path.name)
    # A URL wins over a file name (CONTRACT section 5).
    if not url:
        cred_id, course_id = file_cred, file_course
    return DocumentRef(path, rel, kind, folder_year, url, cred_id, course_id)


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Manifest rows keyed by their `path` column; empty when there is no manifest."""
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["path"]: row for row in csv.DictReader(handle) if row.get("path")}


def manifest_csv(rows: list[dict[str, str]]) -> bytes:
    """A manifest's bytes: the contract's columns, rows sorted by path."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(MANIFEST_COLUMNS), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda row: row["path"]))
    return buffer.getvalue().encode("utf-8")


def ids_from_url(url: str) -> tuple[int | None, int | None]:
    """(cred_id, course_id) from a directory URL; -1 means none."""
    query = parse_qs(urlsplit(url).query)
    return _positive_int(query.get("cred_id")), _positive_int(query.get("course_id"))


def ids_from_filename(name: str) -> tuple[int | None, int | None]:
    cred_id = course_id = None
    for kind, number in patterns.FILE_ID.findall(name):
        if kind.lower() == "credential":
            cred_id = int(number)
        else:
            course_id = int(number)
    return cred_id, course_id


def _positive_int(values: list[str] | None) -> int | None:
    if not values:
        return None
    try:
        number = int(values[0])
    except ValueError:
        return None
    return number if number >= 0 else None


def read_bytes(ref: DocumentRef) -> bytes:
    try:
        return ref.path.read_bytes()
    except OSError as error:
        raise DocumentError(f"cannot read file: {error.strerror}") from error


def load(ref: DocumentRef, data: bytes | None = None) -> Document:
    """Decode a document (read it unless its bytes are given); raises DocumentError with the cause."""
    if data is None:
        data = read_bytes(ref)
    if not data.strip():
        raise DocumentError("empty file")
    text = None if ref.kind == "pdf" else decode(data, is_html=ref.kind == "html")
    return Document(ref, hashlib.sha256(data).hexdigest(), text, data)


def decode(data: bytes, is_html: bool = False) -> str:
    """Decode bytes: a BOM wins, then an HTML charset, then UTF-8, then windows-1252."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return _decode_strict(data[len(bom):], codec)
    if b"\x00" in data:
        return _decode_strict(data, _utf16_without_bom(data))
    if is_html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            codec = declared.group(1).decode("ascii").lower()
            try:
                return _decode_strict(data, codec)
            except (LookupError, DocumentError):
                pass
    try:
        return _decode_utf8_allowing_cut_end(data)
    except UnicodeDecodeError:
        pass
    return _decode_strict(data, "windows-1252")


def _utf16_without_bom(data: bytes) -> str:
    """UTF-16 text without a BOM shows its zero bytes on one side of each pair."""
    odd_zeros = data[1::2].count(0)
    even_zeros = data[0::2].count(0)
    if max(odd_zeros, even_zeros) < len(data) // 4:
        raise DocumentError("undecodable bytes: binary data (NUL bytes), not text")
    return "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"


def _decode_utf8_allowing_cut_end(data: bytes) -> str:
    """UTF-8, forgiving only a character cut by truncation at the very end."""
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            return _checked(data[: error.start].decode("utf-8"), "utf-8")
        raise


def _checked(text: str, codec: str) -> str:
    if not _looks_like_text(text):
        raise DocumentError(f"undecodable bytes: binary data, not {codec} text")
    return text


def _decode_strict(data: bytes, codec: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise DocumentError(f"undecodable bytes for {codec} at byte {error.start}") from error
    return _checked(text, codec)


def _looks_like_text(text: str) -> bool:
    """Binary data decodes into control, private-use and non-characters; text has almost none."""
    return len(_NOT_TEXT.findall(text)) <= len(text) // 100
