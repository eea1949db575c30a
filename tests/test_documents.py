"""Decoding and ids: BOM, charset, UTF-8, windows-1252; URL over file name."""

from __future__ import annotations

import pytest

from pipeline.read.documents import DocumentError, decode, discover, ids_from_filename, ids_from_url

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
