"""raw/ -> documents: find the stored files, their manifest rows, ids and text."""

from __future__ import annotations

import codecs
import csv
import errno
import hashlib
import io
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bs4.dammit import UnicodeDammit

from pipeline import files, patterns
from pipeline.terminal import printable

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("path", "url", "fetched_at", "status", "content_type", "sha256", "etag", "last_modified", "origin")
_OPTIONAL_COLUMNS = frozenset({"etag", "last_modified", "origin"})  # may be absent from older manifests
MAX_MANIFEST_FIELD = 128 * 1024
MAX_MANIFEST_BYTES = 64 * 2**20  # a manifest row is about 300 bytes: room for 200,000 of them
KINDS = ("html", "text", "pdf")
_EXTENSION_KIND = {".html": "html", ".htm": "html", ".txt": "text", ".text": "text", ".pdf": "pdf"}


class DocumentError(Exception):
    """A document that cannot be read; the message is its cause."""


@dataclass(frozen=True, slots=True)  # slots: a run holds one for every document
class DocumentRef:
    """A stored file and what the manifest and its name tell about it."""

    path: str  # where to read it: the raw root joined with the path as the file system spells it
    rel_path: str  # relative to the raw root, posix, as `shown_path` shows it
    kind: str  # html | text | pdf
    folder_year: str | None
    url: str | None
    cred_id: int | None
    course_id: int | None
    origin: str | None = None  # live | archive | sample (manifest `origin`; empty means live); None: no row


@dataclass(frozen=True)
class Document:
    ref: DocumentRef
    sha256: str
    text: str | None  # decoded text; None for PDFs
    data: bytes


@dataclass
class Manifest:
    rows: dict[str, dict[str, str]]  # by `path`
    problems: list[str]  # `line N: cause`, one per row or column problem


@dataclass
class Inventory:
    """What raw/ holds: the documents to read, and what was not read and why."""

    refs: list[DocumentRef]
    skipped: dict[str, str]  # path -> cause (links out of raw/, bad file names)
    manifest_problems: dict[str, list[str]]  # manifest path -> its problems


def discover(raw_root: Path) -> list[DocumentRef]:
    """Every readable document under raw_root/<year>/<kind>/, sorted by path."""
    return scan(raw_root).refs


def scan(raw_root: Path) -> Inventory:
    """Every document under raw_root/<year>/<kind>/, sorted by path, and what was skipped and why.

    Nothing reached through a link that leaves raw_root is read, links to
    folders are not followed (a loop cannot hang the run), and what is not a
    regular file (a FIFO, a socket, a device, a broken link) is never opened.
    A folder that cannot be listed is reported; a folder nested any depth is
    walked without recursion. Paths are shown as `shown_path` writes them.
    """
    inventory = Inventory([], {}, {})
    root = raw_root.resolve()
    for year_dir in sorted(p for p in raw_root.iterdir() if p.is_dir()):
        if year_dir.is_symlink():
            inventory.skipped[shown_path(year_dir.name)] = "a link to a folder; not followed"
            continue
        manifest = _year_manifest(year_dir, raw_root, root, inventory)
        folder_year = year_dir.name if patterns.SCHOOL_YEAR.match(year_dir.name) else None
        found = _files_under(year_dir, inventory)
        _rows_without_a_file(year_dir, raw_root, manifest, {in_year for in_year, _ in found}, inventory)
        for in_year, entry in found:
            kind = _kind_of(in_year)
            if kind is None:
                continue
            rel = shown_path(f"{year_dir.name}/{in_year}")
            cause = _not_a_document(entry, root)
            if cause:
                inventory.skipped[rel] = cause
                continue
            row = manifest.get(in_year)
            origin = (row.get("origin") or "live") if row else None
            inventory.refs.append(_make_ref(entry.path, rel, kind, folder_year, (row or {}).get("url") or None, origin))
    return inventory


def _year_manifest(year_dir: Path, raw_root: Path, root: Path, inventory: Inventory) -> dict[str, dict[str, str]]:
    path = year_dir / MANIFEST_NAME
    rel = shown_path(path.relative_to(raw_root).as_posix())
    if not path.exists():
        return {}
    if path.is_symlink() and not path.resolve().is_relative_to(root):
        inventory.skipped[rel] = "a link to a file outside the raw folder; not read"
        return {}
    manifest = load_manifest(path)
    if manifest.problems:
        inventory.manifest_problems[rel] = manifest.problems
    return manifest.rows


def _rows_without_a_file(
    year_dir: Path, raw_root: Path, manifest: dict[str, dict[str, str]], there: set[str], inventory: Inventory
) -> None:
    """A manifest row naming no file of its year's folder is a problem: a file lost since it was fetched (or a
    row that names none, `../x`)."""
    missing = [path for path in manifest if path not in there]
    if missing:
        rel = shown_path((year_dir / MANIFEST_NAME).relative_to(raw_root).as_posix())
        problems = inventory.manifest_problems.setdefault(rel, [])
        problems += [f"{_shown(path)}: no such file in {shown_path(year_dir.name)}/; row not used" for path in missing]


def _files_under(folder: Path, inventory: Inventory) -> list[tuple[str, os.DirEntry]]:
    """Every entry under folder but folders: its `/`-joined path relative to it and its directory entry, in
    path order (part by part). Links to folders are not followed but reported; a folder that cannot be listed
    is reported with its documents unread.

    One directory listing per folder, and no recursion, whatever the depth.
    """
    found = []
    pending = [(str(folder), "")]
    top = shown_path(folder.name)
    while pending:
        current, inside = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as error:
            where = f"{top}/{inside}" if inside else top
            inventory.skipped[shown_path(where)] = f"cannot read folder ({error.strerror}); its documents are not read"
            continue
        for entry in entries:
            rel = f"{inside}/{entry.name}" if inside else entry.name
            if _is_folder(entry) and not entry.is_symlink():
                pending.append((entry.path, rel))
            elif _is_folder(entry):
                inventory.skipped[shown_path(f"{top}/{rel}")] = "a link to a folder; not followed"
            else:
                found.append((rel, entry))
    return sorted(found, key=lambda item: item[0].split("/"))


def _is_folder(entry: os.DirEntry) -> bool:
    """A folder, or a link to one; a link that cannot be followed (a loop, a dead end) is not."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _not_a_document(entry: os.DirEntry, root: Path) -> str | None:
    """Why an entry must not be read at all, or None: it is not a regular file, or links out of the raw folder."""
    try:
        mode = entry.stat().st_mode
    except OSError as error:
        if not entry.is_symlink():
            return f"cannot read file ({error.strerror}); not read"
        return "a link that leads nowhere (a loop, or a missing file); not read"
    if not stat.S_ISREG(mode):
        through = "a link to " if entry.is_symlink() else ""
        return f"{through}{files.file_kind(mode)}, not a regular file; not read"
    if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(root):
        return "a link to a file outside the raw folder; not read"
    return None


def shown_path(path: str) -> str:
    """A path as the summary, the tables and `check` show it: one line of printable UTF-8, the same on every
    run, and no two paths alike. A backslash is written `\\\\`, a byte that is not UTF-8 `\\xff`, and a
    control or format character as the terminal shows it (`\\x1b`, `\\n`, `\\u202e`)."""
    if path.isprintable() and "\\" not in path:
        return path
    escaped = _NOT_UTF8.sub(lambda match: f"\\x{ord(match.group()) - 0xDC00:02x}", path.replace("\\", "\\\\"))
    return printable(escaped)


_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as the file system's decoding keeps it


def _kind_of(in_year: str) -> str | None:
    name = in_year.rpartition("/")[2]
    if name == MANIFEST_NAME or name.startswith("."):
        return None
    parts = in_year.split("/")
    if len(parts) > 1 and parts[0] in KINDS:
        return parts[0]
    return _EXTENSION_KIND.get(os.path.splitext(name)[1].lower())


def _make_ref(
    path: str, rel: str, kind: str, folder_year: str | None, url: str | None, origin: str | None = None
) -> DocumentRef:
    cred_id, course_id = ids_from_url(url) if url else (None, None)
    file_cred, file_course = ids_from_filename(rel.rpartition("/")[2])
    # A URL wins over a file name (CONTRACT section 5).
    if not url:
        cred_id, course_id = file_cred, file_course
    return DocumentRef(path, rel, kind, folder_year, url, cred_id, course_id, origin)


def named_by_printed_url(ref: DocumentRef, url: str) -> DocumentRef:
    """A printed PDF names its page in its footer: that URL gives the ids when the manifest gives none. A footer
    may cut a long URL where its room ends: an id the printed URL does not show, or shows cut (its digits the
    start of the file name's, at the URL's end), comes from the file name (`ref`'s ids when it has no URL)."""
    if ref.url:
        return ref
    cred_id, course_id = ids_from_url(url)
    return replace(ref, cred_id=_uncut(cred_id, ref.cred_id, url), course_id=_uncut(course_id, ref.course_id, url))


def _uncut(printed: int | None, named: int | None, url: str) -> int | None:
    if printed is None:
        return named
    if named is not None and str(named).startswith(str(printed)) and url.endswith(f"={printed}"):
        return named
    return printed


def school_year_of(ref: DocumentRef, page_year: str | None) -> tuple[str | None, str | None]:
    """(school year, note): the page's year wins over its folder's; a disagreement is a note."""
    if page_year and ref.folder_year and page_year != ref.folder_year:
        return page_year, f"school year {page_year} on the page, folder says {ref.folder_year}"
    return page_year or ref.folder_year, None


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Manifest rows keyed by their `path` column; empty when there is no manifest."""
    return load_manifest(path).rows if path.exists() else {}


def load_manifest(path: Path) -> Manifest:
    """The manifest's usable rows; every row or column it cannot use is a problem, never an error."""
    try:
        data = _read_regular(path, MAX_MANIFEST_BYTES)
    except OSError as error:
        return Manifest({}, [f"cannot read: {error.strerror}"])
    if data is None:
        return Manifest({}, [f"over {MAX_MANIFEST_BYTES // 2**20} MB; ignored"])
    text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # long fields are reported below, not raised
    try:
        return _manifest_rows(reader)
    except csv.Error as error:
        return Manifest({}, [f"line {reader.line_num}: not a CSV file ({error}); manifest ignored"])
    finally:
        csv.field_size_limit(limit)


def _manifest_rows(reader: csv.DictReader) -> Manifest:
    header = [name for name in (reader.fieldnames or []) if name is not None]
    problems = _column_problems(header)
    if "path" not in header:
        return Manifest({}, problems + ["no path column; manifest ignored"])
    rows: dict[str, dict[str, str]] = {}
    for row in reader:
        cause = _row_problem(row)
        if cause:
            problems.append(f"line {reader.line_num}: {cause}; row ignored")
            continue
        if row.get("url") and not patterns.HTTP_URL.match(row["url"]):
            problems.append(f"line {reader.line_num}: url {_shown(row['url'])} is not an http(s) URL; not used")
            row["url"] = ""
        path = row.get("path") or ""
        if not path:
            problems.append(f"line {reader.line_num}: no path; row ignored")
        elif path not in rows:
            rows[path] = row
        elif (rows[path].get("url") or "") != (row.get("url") or ""):
            problems.append(
                f"line {reader.line_num}: {path} listed again with another URL "
                f"({_shown(row.get('url') or '')}); the first row is used"
            )
    return Manifest(rows, problems)


def _column_problems(header: list[str]) -> list[str]:
    problems = []
    missing = [name for name in MANIFEST_COLUMNS if name not in header and name not in _OPTIONAL_COLUMNS]
    unknown = [name for name in header if name not in MANIFEST_COLUMNS]
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if unknown:
        problems.append("unknown columns (ignored): " + ", ".join(_shown(name) for name in unknown))
    return problems


def _row_problem(row: dict) -> str | None:
    values = [value for value in row.values() if isinstance(value, str)]
    if any(len(value) > MAX_MANIFEST_FIELD for value in values):
        return f"a field over {MAX_MANIFEST_FIELD // 1024} KB"
    if any(_has_bad_bytes(value) for value in [*values, *(row.get(None) or [])]):
        return "bytes that are not UTF-8"
    return None


def _has_bad_bytes(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(text: str, limit: int = 200) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


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
            cred_id = _id(number)
        else:
            course_id = _id(number)
    return cred_id, course_id


def _positive_int(values: list[str] | None) -> int | None:
    return _id(values[0]) if values else None


def _id(text: str) -> int | None:
    """ASCII digits as an int (`-1`, `²` or 41+ digits: none). Too large for Int64 is validation's to reject."""
    return int(text) if patterns.ASCII_ID.fullmatch(text) else None


MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # ten times the scraper's cap; a bigger file is no directory page


def read_bytes(ref: DocumentRef) -> bytes:
    try:
        data = _read_regular(ref.path, MAX_DOCUMENT_BYTES)
    except OSError as error:
        raise DocumentError(f"cannot read file: {error.strerror}") from error
    if data is None:
        raise DocumentError(f"file over {MAX_DOCUMENT_BYTES // 2**20} MB; not read")
    return data


# A read that failed for the file's own permissions lasts until the file changes (making it readable changes its
# ctime). Any other failure (a file gone, too many open files, an I/O error) may pass with no trace in the stat.
_LASTING = frozenset({errno.EACCES, errno.EPERM})
_FAILED, _FAILED_FOR_NOW = "unreadable: ", "unreadable for now: "


def failure_digest(error: DocumentError) -> str:
    """What stands for the sha256 of a document whose read failed: its cause, marked when the failure may pass."""
    cause = error.__cause__
    passing = isinstance(cause, OSError) and cause.errno not in _LASTING
    return (_FAILED_FOR_NOW if passing else _FAILED) + str(error)


def may_pass(digest: str) -> bool:
    """A read failure that may pass with no trace in the file's stat: its stat must not vouch for it."""
    return digest.startswith(_FAILED_FOR_NOW)


def _read_regular(path: str | Path, limit: int) -> bytes | None:
    """A regular file's bytes, None when it holds more than `limit` (even if it grew after a look at its
    size); raises OSError for what cannot be read or is not a regular file (never blocks on a FIFO)."""
    with files.open_regular(path) as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            return None
        data = handle.read(limit + 1)
    return None if len(data) > limit else data


def load(ref: DocumentRef, data: bytes | None = None) -> Document:
    """Decode a document (read it unless its bytes are given); raises DocumentError with the cause."""
    if data is None:
        data = read_bytes(ref)
    if not data.strip():
        raise DocumentError("empty file")
    text = None if ref.kind == "pdf" else decode(data, is_html=ref.kind == "html")
    return Document(ref, hashlib.sha256(data).hexdigest(), text, data)


def decode(data: bytes, is_html: bool = False) -> str:
    """Decode bytes: a BOM wins, then an HTML charset, then UTF-8, then windows-1252.

    UTF-8 and windows-1252 are decided by segments, not for the whole
    document: a UTF-8 page with a stray windows-1252 byte (a curly quote
    pasted from a word processor) keeps its UTF-8 and reads that byte as
    windows-1252. bs4's `UnicodeDammit.detwingle` turns the windows-1252
    characters it recognises into UTF-8; a byte it leaves (`\\xe9` before a
    letter, which it takes for the start of a UTF-8 character) is read as
    windows-1252 where UTF-8 cannot read it. A plain windows-1252 page reads as
    windows-1252 throughout.
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return _decode_strict(data[len(bom) :], codec)
    if b"\x00" in data:
        return _decode_strict(data, _utf16_without_bom(data))
    if is_html:
        declared = patterns.META_CHARSET.search(data[:4096])
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
    return _decode_by_segments(data)


def _decode_by_segments(data: bytes) -> str:
    """UTF-8 where the bytes are UTF-8, windows-1252 where they are not."""
    try:
        if patterns.UTF8_MULTIBYTE.search(data):
            text = UnicodeDammit.detwingle(data).decode("utf-8", _WINDOWS_1252_BYTES)
        else:
            text = data.decode("windows-1252")  # no UTF-8 character at all: the same, at C speed
    except UnicodeDecodeError as error:
        raise DocumentError(f"undecodable bytes for utf-8 or windows-1252 at byte {error.start}") from error
    return _checked(text, "utf-8 or windows-1252")


def _windows_1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """The bytes UTF-8 cannot read, read as windows-1252 (strictly: its five unassigned bytes stay errors)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    try:
        return error.object[error.start : error.end].decode("windows-1252"), error.end
    except UnicodeDecodeError:
        raise error from None


_WINDOWS_1252_BYTES = "nccte-windows-1252-bytes"
codecs.register_error(_WINDOWS_1252_BYTES, _windows_1252_bytes)


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
    return len(patterns.NOT_TEXT.findall(text)) <= len(text) // 100
