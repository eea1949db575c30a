"""Decoding and ids: BOM, charset, UTF-8, windows-1252; URL over file name."""

from __future__ import annotations

import hashlib
import os

import pytest

from pipeline.read import documents
from pipeline.read.documents import DocumentError, decode, discover, ids_from_filename, ids_from_url, scan

TEXT = "Café – “Señor” 2023-2024 Credential Information"


@pytest.mark.parametrize(
    "data, is_html",
    [
        (TEXT.encode("utf-8"), False),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), False),
        (TEXT.encode("utf-16"), False),  # with BOM
        (TEXT.encode("utf-16-le"), False),  # without BOM
        (TEXT.encode("windows-1252"), False),
        (f'<meta charset="windows-1252"><p>{TEXT}</p>'.encode("windows-1252"), True),
    ],
)
def test_decode(data, is_html):
    assert TEXT in decode(data, is_html=is_html)


def test_utf8_cut_inside_its_last_character_is_not_undecodable():
    data = TEXT.encode("utf-8") + "é".encode()[:1]
    assert decode(data) == TEXT


@pytest.mark.parametrize(
    "data, cause",
    [
        (b"\x00\x01\x02\x03\xff\xfe\x00\x81" * 4, "undecodable"),
        (b"\xef\xbb\xbf\xff\xff", "undecodable bytes for utf-8"),
    ],
)
def test_undecodable_bytes_say_so(data, cause):
    with pytest.raises(DocumentError, match=cause):
        decode(data)


@pytest.mark.parametrize(
    "url, ids",
    [
        ("https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id=1118", (1118, None)),
        (
            "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=course&course_id=62&cred_id=-1&cluster_id=-1",
            (None, 62),
        ),
        ("https://center.ncsu.edu/nccte-cms/credential_info.php?course_id=889&cred_id=1338", (1338, 889)),
    ],
)
def test_ids_from_url(url, ids):
    assert ids_from_url(url) == ids


def test_ids_from_filename():
    assert ids_from_filename("course_889_credential_1338.txt") == (1338, 889)
    assert ids_from_filename("credential_1118.html") == (1118, None)


def test_manifest_url_wins_over_file_name(tmp_path):
    year = tmp_path / "2023-2024"
    (year / "text").mkdir(parents=True)
    (year / "text" / "credential_5.txt").write_text("x")
    (year / "text" / "credential_6.txt").write_text("x")
    (year / "manifest.csv").write_text(
        "path,url,fetched_at,status,content_type,sha256,etag,last_modified\n"
        "text/credential_5.txt,https://h/credential_info.php?choice=credential&cred_id=77,,200,,,,\n"
    )
    refs = {ref.rel_path: ref for ref in discover(tmp_path)}
    assert refs["2023-2024/text/credential_5.txt"].cred_id == 77
    assert refs["2023-2024/text/credential_6.txt"].cred_id == 6  # no manifest row: file name
    assert refs["2023-2024/text/credential_6.txt"].folder_year == "2023-2024"


URL = "https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential"


def test_a_raw_folder_as_people_leave_it_is_listed_document_by_document_with_what_was_skipped(tmp_path):
    """A raw folder someone filled by hand and by the scraper: files in kind folders, nested, loose in a year, a
    folder not named as a year, hidden files, notes, a FIFO, links in and out of the folder. Every document and
    every skipped path, with its cause, written by hand."""
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    year, other = raw / "2024-2025", raw / "spring batch"
    for folder in (year / "text", year / "html" / "nested" / "deeper", year / "pdf", other / "text", outside):
        folder.mkdir(parents=True)
    for path in (
        year / "text" / "credential_12.txt",
        year / "text" / ".credential_13.txt.swp",
        year / "html" / "nested" / "deeper" / "course_889_credential_1338.htm",
        year / "pdf" / "listing.pdf",
        year / "notes.md",
        year / "Credential_40.TXT",
        other / "text" / "credential_3.txt",
        outside / "secret.txt",
        raw / "loose.txt",
    ):
        path.write_text("x")
    os.mkfifo(year / "text" / "credential_14.txt")
    (year / "text" / "credential_15.txt").symlink_to(outside / "secret.txt")
    (year / "text" / "credential_16.txt").symlink_to(year / "text" / "missing.txt")
    (year / "text" / "credential_17.txt").symlink_to(year / "text" / "credential_12.txt")
    (year / "html" / "elsewhere").symlink_to(outside)
    (raw / "2025-2026").symlink_to(outside)
    (year / "manifest.csv").write_text(
        "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
        f"text/credential_12.txt,{URL}&cred_id=120,2024-08-01T00:00:00Z,200,text/plain,,,,archive\n"
        f"pdf/listing.pdf,{URL}&course_id=5,2024-08-01T00:00:00Z,200,application/pdf,,,,\n"
    )
    inventory = scan(raw)
    refs = [
        (ref.rel_path, ref.kind, ref.folder_year, ref.url, ref.cred_id, ref.course_id, ref.origin)
        for ref in inventory.refs
    ]
    assert refs == [
        ("2024-2025/Credential_40.TXT", "text", "2024-2025", None, 40, None, None),  # as a Windows user names it
        ("2024-2025/html/nested/deeper/course_889_credential_1338.htm", "html", "2024-2025", None, 1338, 889, None),
        ("2024-2025/pdf/listing.pdf", "pdf", "2024-2025", f"{URL}&course_id=5", None, 5, "live"),
        ("2024-2025/text/credential_12.txt", "text", "2024-2025", f"{URL}&cred_id=120", 120, None, "archive"),
        ("2024-2025/text/credential_17.txt", "text", "2024-2025", None, 17, None, None),
        ("spring batch/text/credential_3.txt", "text", None, None, 3, None, None),
    ]
    assert inventory.skipped == {
        "2025-2026": "a link to a folder; not followed",
        "2024-2025/html/elsewhere": "a link to a folder; not followed",
        "2024-2025/text/credential_14.txt": "a FIFO, not a regular file; not read",
        "2024-2025/text/credential_15.txt": "a link to a file outside the raw folder; not read",
        "2024-2025/text/credential_16.txt": "a link that leads nowhere (a loop, or a missing file); not read",
    }
    assert inventory.manifest_problems == {}


MANIFEST_HEADER = "path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"


def _manifest_problems(tmp_path, data: bytes | None) -> tuple[list, dict]:
    """The documents and manifest problems of a year holding one page and a manifest of `data` (None: a FIFO)."""
    year = tmp_path / "raw" / "2024-2025"
    (year / "text").mkdir(parents=True, exist_ok=True)
    (year / "text" / "credential_12.txt").write_text("x")
    if data is None:
        os.mkfifo(year / "manifest.csv")
    else:
        (year / "manifest.csv").write_bytes(data)
    inventory = scan(tmp_path / "raw")
    return [(ref.rel_path, ref.cred_id, ref.origin) for ref in inventory.refs], inventory.manifest_problems


ROW = f"text/credential_12.txt,{URL}&cred_id=120,2024-08-01T00:00:00Z,200,text/plain,,,,archive\n"


def test_a_manifest_that_cannot_be_read_is_one_problem_and_the_pages_are_read_by_their_file_names(tmp_path):
    refs, found = _manifest_problems(tmp_path, None)
    assert refs == [("2024-2025/text/credential_12.txt", 12, None)]  # no manifest row: the file name's id
    assert found == {"2024-2025/manifest.csv": ["cannot read: a FIFO, not a regular file"]}


def test_a_manifest_over_its_size_cap_is_ignored_with_the_cap_in_megabytes(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_MANIFEST_BYTES", 2 * 2**20)  # 64 MB in the product: 2 MB written here
    data = (MANIFEST_HEADER + ROW * (2 * 2**20 // len(ROW) + 1)).encode()
    refs, found = _manifest_problems(tmp_path, data)
    assert refs == [("2024-2025/text/credential_12.txt", 12, None)]
    assert found == {"2024-2025/manifest.csv": ["over 2 MB; ignored"]}


def test_a_manifest_saved_with_a_byte_order_mark_is_read(tmp_path):
    """Excel's "CSV UTF-8" starts the file with a BOM: the first column is still `path`."""
    refs, found = _manifest_problems(tmp_path, ("\ufeff" + MANIFEST_HEADER + ROW).encode("utf-8"))
    assert refs == [("2024-2025/text/credential_12.txt", 120, "archive")]
    assert found == {}


@pytest.mark.parametrize(
    "page_year, folder_year, expected",
    [
        ("2024-2025", "2024-2025", ("2024-2025", None)),
        ("2023-2024", "2024-2025", ("2023-2024", "school year 2023-2024 on the page, folder says 2024-2025")),
        (None, "2024-2025", ("2024-2025", None)),
        ("2023-2024", None, ("2023-2024", None)),
        (None, None, (None, None)),
    ],
)
def test_the_page_s_school_year_wins_over_its_folder_s_and_a_disagreement_is_a_note(page_year, folder_year, expected):
    ref = documents.DocumentRef("p", "p", "text", folder_year, None, None, None)
    assert documents.school_year_of(ref, page_year) == expected


def _ref(path, kind: str = "text") -> documents.DocumentRef:
    return documents.DocumentRef(str(path), path.name, kind, "2024-2025", None, None, None)


@pytest.mark.parametrize(
    "make, cause",
    [
        (lambda path: None, "cannot read file: No such file or directory"),
        (lambda path: os.mkfifo(path), "cannot read file: a FIFO, not a regular file"),
        (lambda path: path.mkdir(), "cannot read file: a folder, not a regular file"),
        (lambda path: path.write_bytes(b" \n\t\r\n"), "empty file"),
        (lambda path: path.write_bytes(b"x" * (3 * 2**20 + 1)), "file over 3 MB; not read"),
    ],
    ids=["gone", "FIFO", "folder", "blank", "over the cap"],
)
def test_a_document_that_cannot_be_loaded_says_why(tmp_path, monkeypatch, make, cause):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 3 * 2**20)  # 50 MB in the product
    path = tmp_path / "credential_1.txt"
    make(path)
    with pytest.raises(DocumentError) as raised:
        documents.load(_ref(path))
    assert str(raised.value) == cause


def test_a_document_at_its_cap_is_read_and_a_pdf_is_kept_as_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 3 * 2**20)
    page = tmp_path / "credential_1.txt"
    page.write_bytes(b"Caf\xc3\xa9 " * (3 * 2**20 // 6))  # 3,145,728 bytes: exactly the cap
    ref = _ref(page)
    loaded = documents.load(ref)
    assert loaded.ref == ref
    assert loaded.text == "Café " * (3 * 2**20 // 6) and loaded.data == page.read_bytes()
    assert loaded.sha256 == hashlib.sha256(page.read_bytes()).hexdigest()
    printed = tmp_path / "credential_2.pdf"
    printed.write_bytes(b"%PDF-1.4 \xff\xfe not text")
    loaded = documents.load(_ref(printed, "pdf"))
    assert loaded.text is None and loaded.data == b"%PDF-1.4 \xff\xfe not text"


def test_a_raw_folder_s_hard_cases_kinds_by_folder_odd_names_links_and_a_folder_that_cannot_be_listed(
    tmp_path, monkeypatch
):
    """A kind folder names the kind over the extension; an unknown folder leaves it to the extension; a folder
    named like an id gives no id; file names that are not plain text are shown escaped; a manifest linked from
    inside the raw folder is read, one linked from outside is not; a folder that cannot be listed is reported and
    its siblings are still read. Every value written by hand."""
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    year, other = raw / "2024-2025", raw / "2023-2024"
    for folder in (year / "pdf", year / "text" / "course_7", year / "misc", year / "text-old", year / "locked"):
        folder.mkdir(parents=True)
    for folder in (year / "text" / "locked", raw / "locked"):  # three folders that cannot be listed
        folder.mkdir()
        (folder / "credential_60.txt").write_text("x")
    (other / "text").mkdir(parents=True)
    outside.mkdir()
    names = {
        year / "pdf" / "notes.txt": "pdf",
        year / "text" / "credential_5": "text",
        year / "text" / "course_7" / "credential_8.txt": "text",
        year / "misc" / "credential_9.txt": "text",
        year / "text-old" / "credential_10.txt": "text",
        year / "text" / "credential_20\\x.txt": "text",
        year / "text" / "credential_21\x1b.txt": "text",
        other / "text" / "credential_30.txt": "text",
    }
    for path in names:
        path.write_text("x")
    (year / "html").write_text("x")  # a file named like a kind folder, with no extension: no document
    (year / "text" / os.fsdecode(b"credential_22\xff.txt")).write_text("x")
    os.mkfifo(outside / "pipe")
    (year / "text" / "credential_23.txt").symlink_to(outside / "pipe")
    (year / "text" / "credential_24.txt").symlink_to(year / "text" / "credential_24.txt")  # a loop
    (year / "manifest.csv").write_text(
        f"{MANIFEST_HEADER}text/credential_5,{URL}&cred_id=55,2024-08-01T00:00:00Z,200,text/plain,,,,\n"
    )
    (other / "manifest.csv").symlink_to(year / "manifest.csv")  # inside the raw folder: read
    (outside / "manifest.csv").write_text(f"{MANIFEST_HEADER}text/credential_30.txt,{URL}&cred_id=99,,200,,,,,\n")
    (raw / "2022-2023" / "text").mkdir(parents=True)
    (raw / "2022-2023" / "text" / "credential_40.txt").write_text("x")
    (raw / "2022-2023" / "manifest.csv").symlink_to(outside / "manifest.csv")  # outside: not read
    listing = os.scandir

    def refuse_locked(path):
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return listing(path)

    monkeypatch.setattr(documents.os, "scandir", refuse_locked)
    inventory = scan(raw)
    refs = [(ref.rel_path, ref.kind, ref.cred_id, ref.course_id, ref.url) for ref in inventory.refs]
    assert refs == [
        ("2022-2023/text/credential_40.txt", "text", 40, None, None),
        ("2023-2024/text/credential_30.txt", "text", 30, None, None),  # the linked manifest has no row for it
        ("2024-2025/misc/credential_9.txt", "text", 9, None, None),
        ("2024-2025/pdf/notes.txt", "pdf", None, None, None),
        ("2024-2025/text/course_7/credential_8.txt", "text", 8, None, None),
        ("2024-2025/text/credential_20\\\\x.txt", "text", 20, None, None),
        ("2024-2025/text/credential_21\\x1b.txt", "text", 21, None, None),
        ("2024-2025/text/credential_22\\xff.txt", "text", 22, None, None),
        ("2024-2025/text/credential_5", "text", 55, None, f"{URL}&cred_id=55"),
        ("2024-2025/text-old/credential_10.txt", "text", 10, None, None),
    ]
    assert [ref.path for ref in inventory.refs][3:5] == [
        str(year / "pdf" / "notes.txt"),
        str(year / "text" / "course_7" / "credential_8.txt"),
    ]
    assert inventory.skipped == {
        "2022-2023/manifest.csv": "a link to a file outside the raw folder; not read",
        "2024-2025/locked": "cannot read folder (Permission denied); its documents are not read",
        "2024-2025/text/locked": "cannot read folder (Permission denied); its documents are not read",
        "locked": "cannot read folder (Permission denied); its documents are not read",
        "2024-2025/text/credential_23.txt": "a link to a FIFO, not a regular file; not read",
        "2024-2025/text/credential_24.txt": "a link that leads nowhere (a loop, or a missing file); not read",
    }


KOI8_R = b"\xf0\xd2\xc9\xd7\xc5\xd4"  # "Привет" in KOI8-R; windows-1252 reads the same bytes as "ðÒÉ×ÅÔ"


@pytest.mark.parametrize(
    "data, kind, text",
    [
        (b"\xff\xfe" + "Café".encode("utf-16-le"), "text", "Café"),  # a BOM: Notepad's "Unicode"
        (b"\xfe\xff" + "Café".encode("utf-16-be"), "text", "Café"),
        ("Credential Name".encode("utf-16-le"), "text", "Credential Name"),  # no BOM: the zeros tell the order
        ("Credential Name".encode("utf-16-be"), "text", "Credential Name"),
        (b"Caf\xc3\xa9 \x93quoted\x94", "text", "Café “quoted”"),  # UTF-8 with Word's curly quotes pasted in
        (b"na\xc3\xafve caf\xe9s", "text", "naïve cafés"),  # UTF-8, and one windows-1252 letter
        (b'<meta charset="koi8-r"><p>' + KOI8_R, "html", "<meta charset=\"koi8-r\"><p>Привет"),
        (b'<meta charset="koi8-r"><p>' + KOI8_R, "text", '<meta charset="koi8-r"><p>ðÒÉ×ÅÔ'),  # text has no meta
        (b" " * 4075 + b'<meta charset="koi8-r"><p>' + KOI8_R, "html", " " * 4075 + '<meta charset="koi8-r"><p>Привет'),
        (b" " * 4076 + b'<meta charset="koi8-r"><p>' + KOI8_R, "html", " " * 4076 + '<meta charset="koi8-r"><p>ðÒÉ×ÅÔ'),
    ],
    ids=["utf-16-le BOM", "utf-16-be BOM", "utf-16-le", "utf-16-be", "curly quotes", "one latin letter",
         "meta charset", "meta in a text file", "charset ends at byte 4,096", "charset cut at byte 4,096"],
)  # fmt: skip
def test_a_document_is_decoded_by_its_evidence(tmp_path, data, kind, text):
    """A BOM, then an HTML page's own charset within its first 4,096 bytes, then UTF-8 and windows-1252 by
    segments. In the last two, the charset's name ends at the 4,096th byte, then one byte past it."""
    path = tmp_path / f"credential_1.{kind}"
    path.write_bytes(data)
    assert documents.load(_ref(path, kind)).text == text


def test_binary_data_with_a_few_nul_bytes_is_not_text(tmp_path):
    path = tmp_path / "credential_1.txt"
    path.write_bytes(b"\x00\x01\x02\x03" + b"abc" * 100)
    with pytest.raises(DocumentError) as raised:
        documents.load(_ref(path))
    assert str(raised.value) == "undecodable bytes: binary data (NUL bytes), not text"


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux's /proc")
def test_a_file_whose_stat_does_not_tell_its_size_is_still_held_to_the_cap(tmp_path, monkeypatch):
    """/proc files say they hold 0 bytes: the cap is checked on what was read, not only on the stat."""
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 10)
    link = tmp_path / "credential_1.txt"
    link.symlink_to("/proc/self/status")
    with pytest.raises(DocumentError) as raised:
        documents.load(_ref(link))
    assert str(raised.value) == "file over 0 MB; not read"


def test_a_manifest_is_written_with_the_contract_s_columns_rows_sorted_by_path_and_unix_line_ends():
    rows = [
        {"path": "text/credential_2.txt", "url": f"{URL}&cred_id=2", "status": "200", "crawl_note": "kept out"},
        {"path": "html/credential_1.html", "url": f"{URL}&cred_id=1", "fetched_at": "2024-08-01T00:00:00Z",
         "status": "200", "content_type": "text/html", "sha256": "ab", "etag": '"x, y"', "origin": "archive"},
    ]  # fmt: skip
    assert documents.manifest_csv(rows) == (
        b"path,url,fetched_at,status,content_type,sha256,etag,last_modified,origin\n"
        b"html/credential_1.html,https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id=1,"
        b'2024-08-01T00:00:00Z,200,text/html,ab,"""x, y""",,archive\n'
        b"text/credential_2.txt,https://center.ncsu.edu/nccte-cms/credential_info.php?choice=credential&cred_id=2,"
        b",200,,,,,\n"
    )


def test_a_bad_manifest_row_costs_that_row_only_and_unknown_columns_are_named_each(tmp_path):
    header = MANIFEST_HEADER.replace("\n", ",colour,size\n")
    bad = b"text/credential_9.txt,https://h/caf\xe9,,,,,,,,,,\n"  # a windows-1252 byte: not UTF-8
    good = ROW.replace("\n", ",red,large\n").encode()
    refs, found = _manifest_problems(tmp_path, header.encode() + bad + good)
    assert refs == [("2024-2025/text/credential_12.txt", 120, "archive")]  # the row after the bad one
    assert found == {
        "2024-2025/manifest.csv": [
            "unknown columns (ignored): 'colour', 'size'",
            "line 2: bytes that are not UTF-8; row ignored",
        ]
    }


def test_a_path_listed_twice_is_a_problem_only_with_another_url_and_a_row_without_a_path_is_ignored(tmp_path):
    same = ROW  # the scraper listing a page again after a resumed crawl: the same URL, no problem
    other = "text/credential_13.txt,,2024-08-01T00:00:00Z,200,text/plain,,,,\n"
    again = f"text/credential_13.txt,{URL}&cred_id=131,2024-08-02T00:00:00Z,200,text/plain,,,,\n"
    pathless = f",{URL}&cred_id=5,2024-08-01T00:00:00Z,200,text/plain,,,,\n"
    data = (MANIFEST_HEADER + ROW + same + pathless + other + again).encode()
    refs, found = _manifest_problems(tmp_path, data)
    assert refs == [("2024-2025/text/credential_12.txt", 120, "archive")]
    assert found == {
        "2024-2025/manifest.csv": [
            "line 4: no path; row ignored",
            f"line 6: text/credential_13.txt listed again with another URL ('{URL}&cred_id=131');"
            " the first row is used",
            "'text/credential_13.txt': no such file in 2024-2025/; row not used",  # only credential_12 is there
        ]
    }


CONTROLS = b"\x01\x02\x03\x04" * 50  # what binary data decodes into: control characters


@pytest.mark.parametrize(
    "data, cause",
    [
        (CONTROLS, "undecodable bytes: binary data, not utf-8 text"),
        (CONTROLS + b"\xe2\x82", "undecodable bytes: binary data, not utf-8 text"),  # cut at its end, still binary
        (b"\xef\xbb\xbf" + CONTROLS, "undecodable bytes: binary data, not utf-8 text"),  # a BOM does not make text
        (b"Caf\xc3\xa9 \x81", "undecodable bytes for utf-8 or windows-1252 at byte 6"),  # 0x81: no windows-1252 byte
        (b"\xc3\xa9\xe9" + CONTROLS, "undecodable bytes: binary data, not utf-8 or windows-1252 text"),
        ("abcd".encode("utf-16-le") + b"efghijklmnop", "undecodable bytes: binary data (NUL bytes), not text"),
    ],
    ids=["controls", "controls cut", "BOM and controls", "unassigned byte", "mixed and controls", "NULs under 1/4"],
)
def test_bytes_that_are_not_text_say_why(tmp_path, data, cause):
    path = tmp_path / "credential_1.txt"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as raised:
        documents.load(_ref(path))
    assert str(raised.value) == cause


@pytest.mark.parametrize(
    "data, text",
    [
        (b"text \xf0\x9f\x98", "text "),  # a four-byte character cut after three bytes by a truncated download
        (b"a" * 198 + b"\x01\x02", "a" * 198 + "\x01\x02"),  # one control character in a hundred is still text
        ("abcd".encode("utf-16-le") + b"efghijkl", "abcd" + b"efghijkl".decode("utf-16-le")),  # NULs: 1/4 of bytes
        ("abcd".encode("utf-16-le") + b"efghijklmn", "abcd" + b"efghijklmn".decode("utf-16-le")),  # 4 NULs in 18
        (b"\x00A\x00BC\x00D\x00", "AB\u4300\u4400"),  # as many NULs on both sides: big-endian
    ],
    ids=["cut emoji", "1 in 100", "a quarter NULs", "4 NULs in 18 bytes", "a tie"],
)
def test_text_at_the_edges_of_the_rules_is_text(tmp_path, data, text):
    path = tmp_path / "credential_1.txt"
    path.write_bytes(data)
    assert documents.load(_ref(path)).text == text


def test_manifest_rows_at_the_edges_a_path_twice_without_a_url_a_field_of_exactly_128_kb_long_column_names(tmp_path):
    long_name, longer_name = "c" * 200, "d" * 201
    header = MANIFEST_HEADER.replace("\n", f",{long_name},{longer_name}\n")
    exact = ROW.replace(",,,,archive\n", f",{'e' * 128 * 1024},,,archive,,\n")  # etag of exactly 128 KB: kept
    twice = "text/credential_13.txt,,2024-08-01T00:00:00Z,200,text/plain,,,,,,\n"  # no URL, twice: no problem
    dropped = f"text/credential_14.txt,{URL}&cred_id=140,,200,,,,,,,\ntext/credential_14.txt,,,200,,,,,,,\n"
    refs, found = _manifest_problems(tmp_path, (header + exact + twice + twice + dropped).encode())
    assert refs == [("2024-2025/text/credential_12.txt", 120, "archive")]
    assert found == {
        "2024-2025/manifest.csv": [
            f"unknown columns (ignored): '{long_name}', '{'d' * 200}...'",
            "line 6: text/credential_14.txt listed again with another URL (''); the first row is used",
            "'text/credential_13.txt': no such file in 2024-2025/; row not used",  # only credential_12 is there
            "'text/credential_14.txt': no such file in 2024-2025/; row not used",
        ]
    }


def test_read_manifest_gives_the_rows_by_path_and_nothing_for_a_year_without_one(tmp_path):
    (tmp_path / "manifest.csv").write_text(MANIFEST_HEADER + ROW)
    rows = documents.read_manifest(tmp_path / "manifest.csv")
    assert list(rows) == ["text/credential_12.txt"]
    assert rows["text/credential_12.txt"]["url"] == f"{URL}&cred_id=120"
    assert rows["text/credential_12.txt"]["origin"] == "archive"
    assert documents.read_manifest(tmp_path / "none.csv") == {}


def test_a_manifest_row_naming_no_file_of_its_folder_is_a_problem_and_a_file_that_is_there_is_not(tmp_path):
    """A file lost since it was fetched, and a row naming a path out of its folder: each a problem, nothing read."""
    fifo = f"text/fifo.txt,{URL}&cred_id=9,2024-08-01T00:00:00Z,200,text/plain,,,,\n"  # there, not a regular file
    lost = f"html/credential_13.html,{URL}&cred_id=13,2024-08-01T00:00:00Z,200,text/html,,,,\n"
    out = f"../../../etc/passwd,{URL}&cred_id=14,2024-08-01T00:00:00Z,200,text/plain,,,,\n"
    year = tmp_path / "raw" / "2024-2025"
    (year / "text").mkdir(parents=True)
    os.mkfifo(year / "text" / "fifo.txt")
    refs, found = _manifest_problems(tmp_path, (MANIFEST_HEADER + ROW + fifo + lost + out).encode())
    assert refs == [("2024-2025/text/credential_12.txt", 120, "archive")]
    assert found == {
        "2024-2025/manifest.csv": [
            "'html/credential_13.html': no such file in 2024-2025/; row not used",
            "'../../../etc/passwd': no such file in 2024-2025/; row not used",
        ]
    }


@pytest.mark.parametrize(
    ("cause", "digest"),
    [
        (OSError(13, "Permission denied"), "unreadable: cannot read file"),  # EACCES: lasts until the file changes
        (OSError(1, "Operation not permitted"), "unreadable: cannot read file"),  # EPERM: the same
        (OSError(2, "No such file or directory"), "unreadable for now: cannot read file"),  # ENOENT: it may come back
        (OSError(5, "Input/output error"), "unreadable for now: cannot read file"),  # EIO
        (OSError("no errno"), "unreadable for now: cannot read file"),  # an OSError of no known lasting cause
        (ValueError("not text"), "unreadable: cannot read file"),  # no OSError: the bytes themselves
        (None, "unreadable: cannot read file"),
    ],
)
def test_a_read_failures_digest_is_its_cause_marked_for_now_when_the_failure_may_pass(cause, digest):
    """Rule: a failed read's digest is "unreadable: " + its cause, or "unreadable for now: " + its cause when it
    failed for an OSError other than the file's permissions (EACCES, EPERM); only the latter may pass."""
    error = DocumentError("cannot read file")
    error.__cause__ = cause
    assert documents.failure_digest(error) == digest
    assert documents.may_pass(digest) == digest.startswith("unreadable for now")


@pytest.mark.parametrize(
    ("digest", "passing"),
    [
        ("unreadable for now: cannot read file", True),
        ("unreadable: cannot read file", False),
        ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", False),  # a sha256: read
        ("x unreadable for now: cannot read file", False),  # the mark only at the start
    ],
)
def test_only_a_digest_marked_for_now_may_pass(digest, passing):
    assert documents.may_pass(digest) is passing
