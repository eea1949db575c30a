"""read/pdf_budget.py's rules, in process: stream dictionaries and filter chains written here as bytes, and what
each would inflate to counted by hand (zlib.compress of N known bytes inflates to N; `41 42>` to two bytes).

The files are not whole PDFs: the budget reads only `obj` headers, dictionaries, `stream` keywords and the
bytes after them, so that is all a case holds. PDFium's own reading of the cases where the budget follows it
(a broken Flate stream keeps what came before; ASCII85 goes on past a `z` inside a group and past a group over
2**32; a stream whose dictionary holds `obj` is read) is checked in test_pdfium_reads_on_where_the_budget_counts_on.
"""

from __future__ import annotations

import zlib

import pytest

from pipeline.read import pdf_budget
from pipeline.read.pdf_budget import Name, OverBudget, Ref, _last_dictionary

BIG = 2**30
ABCD = b"@:E_W"  # `abcd` in ASCII85 (four bytes, one group)


def obj(dictionary: bytes, data: bytes, number: int = 1) -> bytes:
    return b"%d 0 obj\n<< %s >>\nstream\n%s\nendstream\nendobj\n" % (number, dictionary, data)


def count(dictionary: bytes, data: bytes) -> int:
    """What one stream object counts, its /Length the data's unless the case gives its own."""
    if b"/Length" not in dictionary:
        dictionary += b" /Length %d" % len(data)
    return pdf_budget.check(b"%PDF-1.7\n" + obj(dictionary, data), BIG, 100)


def flushed(text: bytes) -> bytes:
    """Flate data that inflates to `text` and does not end (a sync flush): what follows it is read as more."""
    compressor = zlib.compressobj()
    return compressor.compress(text) + compressor.flush(zlib.Z_SYNC_FLUSH)


def lzw(codes: list[int], early: int = 1) -> bytes:
    """LZW codes packed as the PDF reference says: 9 bits, one more once the next entry would be 512 (1024,
    2048; at most 12), one code sooner with EarlyChange 1; a clear code (256) starts the table again."""
    bits, next_entry, first = "", 258, True
    for code in codes:
        width = 9 if next_entry + early < 512 else 10 if next_entry + early < 1024 else 11
        width = width if next_entry + early < 2048 else 12
        bits += format(code, f"0{width}b")
        if code == 256:
            next_entry, first = 258, True
            continue
        if not first and next_entry < 4096:
            next_entry += 1
        first = False
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def late_flate(text: bytes) -> bytes:
    """Flate data that opens with 300 bytes of empty stored blocks: its first pieces inflate to nothing."""
    deflater = zlib.compressobj(wbits=-15)
    raw = deflater.compress(text) + deflater.flush()
    return b"\x78\x01" + b"\x00\x00\x00\xff\xff" * 60 + raw + zlib.adler32(text).to_bytes(4, "big")


def stored(size: int, tail: bytes = b"") -> bytes:
    """Flate data of one stored block of `size` bytes `a`, not the last block, then `tail`."""
    return b"\x78\x01\x00" + size.to_bytes(2, "little") + (0xFFFF ^ size).to_bytes(2, "little") + b"a" * size + tail


def a85_over(value: int) -> bytes:
    """The five ASCII85 characters of `value` + 2**32: a group over 2**32 whose low 32 bits are `value`."""
    value += 2**32
    digits = []
    for _ in range(5):
        value, digit = divmod(value, 85)
        digits.append(33 + digit)
    return bytes(reversed(digits))


def a85_flate_with_an_overflowing_group() -> bytes:
    """ASCII85 of a zlib stream of a stored block of 1024 bytes, its second group (the block's length, its check
    and the first byte) written over 2**32: read as PDFium reads it, only the low 32 bits give the length."""
    import base64

    zlib_bytes = stored(1024).replace(b"\x78\x01\x00", b"\x78\x01\x01") + zlib.adler32(b"a" * 1024).to_bytes(4, "big")
    zlib_bytes += b"\n"  # 1036 bytes: whole groups
    text = base64.a85encode(zlib_bytes)
    assert zlib_bytes[4:8] == b"\x04\xff\xfb\x61"  # length high byte, its check, the first `a`
    return text[:5] + a85_over(0x04FFFB61) + text[10:] + b"~>"


THOUSAND = zlib.compress(b"a" * 1000)
INNER = zlib.compress(b"a" * 100_000)


@pytest.mark.parametrize(
    "dictionary, data, inflated",
    [
        # Flate
        (b"/Filter /FlateDecode", zlib.compress(b"BT (x) Tj ET\n" * 100), 1300),
        (b"/Filter /FlateDecode", zlib.compress(b"a" * 1_000_000), 1_000_000),  # many pieces out of one in
        (b"/Filter [/FlateDecode /FlateDecode]", zlib.compress(INNER), len(INNER) + 100_000),
        (b"/Filter /FlateDecode", zlib.compress(b"a" * 10) + zlib.compress(b"b" * 20), 10),  # past its end: no
        (b"/Filter /FlateDecode", flushed(b"a" * 60_000) + b"\xff" * 10, 60_000),  # broken: what came before
        (b"/Filter /FlateDecode", flushed(b"a" * 1_000_000) + b"\xff" * 10, 1_000_000),
        (b"/Filter /FlateDecode", b"not flate at all", 0),
        (b"/Filter /FlateDecode", late_flate(b"a" * 1000), 1000),  # pieces giving nothing do not end it
        (b"/Filter /FlateDecode", stored(249, b"\xff" * 20), 249),  # broken at a piece's first byte
        (b"/Filter /FlateDecode", stored(250, b"\xff" * 20), 250),  # at its second
        (b"/Filter /FlateDecode", stored(251, b"\xff" * 20), 251),  # at its third
        # ASCIIHex: pairs of digits up to `>`, anything else skipped, a last lone digit one byte
        (b"/Filter /ASCIIHexDecode", b"41 42\n43>", 3),
        (b"/Filter /ASCIIHexDecode", b"414>", 2),
        (b"/Filter /ASCIIHexDecode", b"41>4243>", 1),
        (b"/Filter /ASCIIHexDecode", b"4x1zz42>", 2),
        (b"/Filter /ASCIIHexDecode", b" " + b"41" * 1000 + b">", 1000),  # pairs cut between pieces
        (b"/Filter /ASCIIHexDecode /Length 3", b"414", 2),  # no `>`: the data's end ends it
        # ASCII85: five characters four bytes, `z` four zeros, `~` or any other character the end
        (b"/Filter /ASCII85Decode", b"5sdp~>", 3),  # `ABC`: a cut group gives one byte fewer
        (b"/Filter /ASCII85Decode", b"zz~>", 8),
        (b"/Filter /ASCII85Decode", b"@:E\n _W~>", 4),
        (b"/Filter /ASCII85Decode", ABCD * 2 + b"{" + ABCD, 8),
        (b"/Filter /ASCII85Decode", ABCD + b"~>" + ABCD * 200, 4),  # the end ends every piece after it
        (b"/Filter /ASCII85Decode", ABCD + b"z" + ABCD + b"~>", 12),
        (b"/Filter /ASCII85Decode", b"!~>", 0),
        (b"/Filter /ASCII85Decode", b"!!~>", 1),
        (b"/Filter /ASCII85Decode", ABCD * 250 + b"~>", 1000),  # groups cut between pieces
        (b"/Filter /ASCII85Decode", b"z" * 100_000 + b"~>", 400_000),
        (b"/Filter /ASCII85Decode", b"!!z" + ABCD + b"~>", 8),  # PDFium drops the cut group `!!`, goes on
        (b"/Filter /ASCII85Decode", b"!z" + b"z" * 99_999 + b"~>", 400_000),
        (b"/Filter /ASCII85Decode", b"uuuuu" + ABCD + b"~>", 8),  # over 2**32: PDFium keeps 32 bits, goes on
        (b"/Filter /ASCII85Decode", (b"uuuuu" + ABCD) * 100 + b"~>", 800),
        (b"/Filter [/ASCII85Decode /FlateDecode]", a85_flate_with_an_overflowing_group(), 1036 + 1024),
        # RunLength: n < 128 copies n + 1 bytes, n > 128 repeats the next 257 - n times, 128 ends
        (b"/Filter /RunLengthDecode", bytes([2]) + b"abc" + bytes([254]) + b"x" + bytes([128]), 3 + 3),
        (b"/Filter /RunLengthDecode", bytes([0]) + b"a" + bytes([128, 0]) + b"b", 1),
        (b"/Filter /RunLengthDecode", bytes([127]) + b"y" * 128 + bytes([129]) + b"z", 128 + 128),
        (b"/Filter /RunLengthDecode", (bytes([1]) + b"ab") * 1000, 2000),  # runs cut between pieces
        (b"/Filter /RunLengthDecode", (bytes([129]) + b"q") * 500, 500 * 128),
        (b"/Filter /RunLengthDecode", (bytes([129]) + b"q") * 2000, 2000 * 128),  # over 64 KiB out of a piece
        (b"/Filter /RunLengthDecode /Length 3", bytes([5]) + b"ab", 0),  # a cut run gives nothing
        # LZW
        (b"/Filter /LZWDecode", lzw([256, 65, 66, 258, 257]), 4),  # A, B, AB
        (b"/Filter /LZWDecode", lzw([65, 258, 259, 257]), 6),  # A, AA, AAA: a code defined by its own use
        (b"/Filter /LZWDecode", lzw([65, 300, 66]), 1),  # a code not yet defined: the data is broken
        (b"/Filter /LZWDecode", lzw([65, 66, 256, 258, 67]), 2),  # the clear code forgets AB
        (b"/Filter /LZWDecode", lzw([65, 66, 256, 67, 68, 257]), 4),  # and codes are 9 bits again
        (b"/Filter /LZWDecode", lzw([65, 66, 258, 259, 257]), 6),  # A, B, AB, BA
        (b"/Filter /LZWDecode", lzw([65, 66, 67, 68, 69, 70, 71, 72]), 8),  # 72 bits: the last code ends the data
        (b"/Filter /LZWDecode", lzw([65, *range(258, 857), 257]), 600 * 601 // 2),  # over 64 KiB out of a piece
        (b"/Filter /LZWDecode", lzw([65, 66, 257, 67]), 2),  # the end code
        (b"/Filter /LZWDecode", lzw([65, *range(258, 657), 257]), 400 * 401 // 2),  # 1 + 2 + ... + 400 bytes
        # EarlyChange: a chain of codes, each the entry just made, read across the change to 10 bits
        (b"/Filter /LZWDecode", lzw([65, *range(258, 557), 257]), 300 * 301 // 2),
        (b"/Filter /LZWDecode /DecodeParms << /EarlyChange 1 >>", lzw([65, *range(258, 557), 257]), 300 * 301 // 2),
        (b"/Filter /LZWDecode /DecodeParms << /EarlyChange 0 >>", lzw([65, *range(258, 557), 257], 0), 300 * 301 // 2),
        (b"/Filter /LZWDecode", lzw([66 + n % 7 for n in range(5000)]), 5000),  # past a full table
        # predictors: two rows of Columns x Colors x BitsPerComponent bits, rounded up to bytes
        (
            b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 100 /Colors 3 /BitsPerComponent 8 >>",
            THOUSAND,
            1000 + 600,
        ),
        (b"/Filter /FlateDecode /DecodeParms << /Predictor 2 >>", THOUSAND, 1000 + 2),
        (b"/Filter /FlateDecode /DecodeParms << /Predictor 10 /Columns 9 /BitsPerComponent 1 >>", THOUSAND, 1004),
        (b"/Filter /FlateDecode /DecodeParms << /Predictor 1 /Columns 100 >>", THOUSAND, 1000),
        (b"/Filter /FlateDecode /DecodeParms << /Predictor /Up /Columns 100 >>", THOUSAND, 1000),
        (b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 0 >>", THOUSAND, 1000),
        (b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Colors -3 >>", THOUSAND, 1000),
        (b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /BitsPerComponent /Eight >>", THOUSAND, 1000),
        # a chain: each stage's parameters by its place
        (
            b"/Filter [/ASCIIHexDecode /FlateDecode] /DecodeParms [null << /Predictor 12 /Columns 10 >>]",
            THOUSAND.hex().encode() + b">",
            len(THOUSAND) + 1000 + 20,
        ),
        (
            b"/Filter [/FlateDecode /FlateDecode] /DecodeParms [<< /Predictor 12 /Columns 10 >>]",
            zlib.compress(INNER),
            len(INNER) + 20 + 100_000,
        ),
        # the Crypt filter: Identity (the default) counts on, any other is encrypted data
        (b"/Filter [/Crypt /FlateDecode]", THOUSAND, 1000),
        (b"/Filter [/Crypt /FlateDecode] /DecodeParms [<< /Name /Identity >> null]", THOUSAND, 1000),
        (b"/Filter [/Crypt /FlateDecode] /DecodeParms [<< /Name /StdCF >> null]", THOUSAND, 0),
        # image codecs, unknown and indirect filters end the chain
        (b"/Filter [/FlateDecode /DCTDecode]", THOUSAND, 1000),
        (b"/Filter [/DCTDecode /FlateDecode]", THOUSAND, 0),
        (b"/Filter [/JPXDecode /FlateDecode]", THOUSAND, 0),
        (b"/Filter [/JBIG2Decode /FlateDecode]", THOUSAND, 0),
        (b"/Filter [/CCITTFaxDecode /FlateDecode]", THOUSAND, 0),
        (b"/Filter [/CCF /FlateDecode]", THOUSAND, 0),
        (b"/Filter [/FlateDecode /Rot13 /FlateDecode]", zlib.compress(INNER), len(INNER)),
        (b"/Filter 7 0 R", THOUSAND, 0),
        (b"/Filter [7 0 R /FlateDecode]", THOUSAND, 0),
        (b"/Filter (FlateDecode)", THOUSAND, 0),  # a string, not a name
        (b"/Filter FlateDecode", THOUSAND, 0),  # a bare word, not a name
        (b"/Length 1000", b"a" * 1000, 0),  # no filter: nothing inflates
        # names as PDFium reads them: `#xx` escapes, the short names of inline images
        (b"/Filter /Flate#44ecode", THOUSAND, 1000),
        (b"/Filter /#46lat#65Decode", THOUSAND, 1000),
        (b"/Fil#74er /FlateDecode", THOUSAND, 1000),
        (b"/Filter /Flate#4", THOUSAND, 0),  # not an escape: `Flate#4` is no filter
        (b"/Filter /Fl", THOUSAND, 1000),
        (b"/Filter /AHx", b"4142>", 2),
        (b"/Filter /A85", ABCD + b"~>", 4),
        (b"/Filter /RL", bytes([1]) + b"ab" + bytes([128]), 2),
        (b"/Filter /LZW", lzw([65, 66, 257]), 2),
        (b"/Filter /LZWDecode", lzw([65, 66, 257]), 2),
        (b"/Filter /RunLengthDecode", bytes([1]) + b"ab" + bytes([128]), 2),
        (b"/Filter /ASCII85Decode", ABCD + b"~>", 4),
        # an inline image's dictionary: /F and /DP, read only when /Filter and /DecodeParms are not there
        (b"/F /Fl /DP << /Predictor 12 /Columns 10 >>", THOUSAND, 1000 + 20),
        (b"/F [/AHx /Fl]", THOUSAND.hex().encode() + b">", len(THOUSAND) + 1000),
        (b"/F /Fl /DecodeParms << /Predictor 12 /Columns 10 >> /DP << /Predictor 12 /Columns 500 >>", THOUSAND, 1020),
        (b"/Filter /FlateDecode /F /ASCIIHexDecode", THOUSAND, 1000),  # /F of a stream: a file, not a filter
        (
            b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 10 >> /DP << /Predictor 12 /Columns 500 >>",
            THOUSAND,
            1020,
        ),
        (b"/Filter /FlateDecode /DP << /Predictor 12 /Columns 10 >>", THOUSAND, 1000),
    ],
)
def test_a_filter_chain_counts_what_each_stage_produces(dictionary, data, inflated):
    assert count(dictionary, data) == inflated


def test_pdfium_reads_on_where_the_budget_counts_on():
    """The rules the budget follows PDFium in, seen in PDFium: the page's text is read from a Flate stream that
    breaks after it, from ASCII85 after a `z` inside a group or a group over 2**32, and from a stream whose
    dictionary holds `obj` (which the budget once took for its object's header, and so read no dictionary)."""
    import base64

    import pypdfium2 as pdfium

    from tests import hostile_pdfs as hostile

    broken_flate = (b"/Filter /FlateDecode", flushed(hostile.TEXT) + b"\xff" * 10)
    a85 = base64.a85encode(b"\n" + hostile.TEXT)
    for dictionary, data in [
        broken_flate,
        (b"/Filter /ASCII85Decode", b"!!z" + a85 + b"~>"),
        (b"/Filter /ASCII85Decode", b"uuuuu" + a85 + b"~>"),
        (b"/Filter /FlateDecode /Name /myobj", zlib.compress(hostile.TEXT)),
    ]:
        document = pdfium.PdfDocument(hostile.one_page(hostile.stream(dictionary, data)))
        assert document[0].get_textpage().get_text_range() == "Hostile"


# --- where a stream's bytes start and end ----------------------------------------------------------


HEX_4142 = b"<< /Filter /ASCIIHexDecode /Length 4 >>\nstream\n4142\nendstream\nendobj\n"


@pytest.mark.parametrize(
    "data, inflated",
    [
        (b"1 0 obj\n" + HEX_4142, 2),
        # /Length wrong: the stream runs to the file's end, `endstream endobj` read as its digits e d e a e d b
        (b"1 0 obj\n" + HEX_4142.replace(b"/Length 4", b"/Length 3") + b">", 6),
        (b"1 0 obj\n" + HEX_4142.replace(b"/Length 4", b"/Length -1") + b">", 6),
        (b"1 0 obj\n" + HEX_4142.replace(b"/Length 4", b"/Length 9 0 R") + b">", 6),
        (b"1 0 obj\n" + HEX_4142.replace(b"/Length 4", b"/Length 400") + b">", 6),
        (b"1 0 obj\n" + HEX_4142.replace(b"/Length 4", b"/Length 00000000000000000004") + b">", 6),  # 20 digits
        (b"1 0 obj\n" + HEX_4142.replace(b"/Length 4", b"/Length 04"), 2),
        (b"1 0 obj\n" + HEX_4142.replace(b"4142\nendstream", b"4142 \r\n\t\x00\f endstream"), 2),
        (b"1 0 obj\n<< /Filter /ASCIIHexDecode /Length 0 >>\nstream\nendstream 4142>", 0),
        # /Length to the last byte, no `endstream`: the file's end either way
        (b"1 0 obj\n<< /Filter /ASCIIHexDecode /Length 5 >>\nstream\n4142>", 2),
        # the bytes start after the keyword's line end: \r\n, \r or \n
        (b"1 0 obj\n<< /Filter /FlateDecode >>\nstream\r\n" + THOUSAND, 1000),
        (b"1 0 obj\n<< /Filter /FlateDecode >>\nstream\r" + THOUSAND, 1000),
        (b"1 0 obj\n<< /Filter /FlateDecode >>stream  \n" + THOUSAND, 1000),
        (b"1 0 obj\n<< /Filter /FlateDecode >> % a comment\r\n\x00stream\n" + THOUSAND, 1000),
        (b"1 0 obj\n<< /Filter /FlateDecode >>\nstreamer\n" + THOUSAND, 0),  # not the keyword
        (b"1 0 obj\n<< /Filter /FlateDecode >>\nstream1\n" + THOUSAND, 0),
        (b"1 0 obj\n<< /Filter /FlateDecode >>\nstream/\n" + THOUSAND, 1000),  # `/` is a delimiter
        # a keyword at the file's end: no line after it, no bytes (and no predictor rows)
        (b"1 0 obj\n<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 10 >> >>\nstream", 0),
        (b"1 0 obj\n<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 10 >> >>\nstream\n", 0),
        (b"1 0 obj\n<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 10 >> >>\nstream\nx", 20),
        # the dictionary is the stream's own, after its object's header
        (b"1 0 obj << /Filter /FlateDecode >> endobj 2 0 obj << /Length 1000 >>\nstream\n" + b"a" * 1000, 0),
        (b"1 0 obj << /Filter /FlateDecode >> endobj 2 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + THOUSAND, 1000),
        (b"1 0 obj\n<< /Filter /FlateDecode /Pad (" + b"x" * 200_000 + b") >>\nstream\n" + THOUSAND, 1000),
        # a dictionary over 256 KiB is not read (a real one holds a few hundred bytes)
        (b"1 0 obj\n<< /Filter /FlateDecode /Pad (" + b"x" * 300_000 + b") >>\nstream\n" + THOUSAND, 0),
        (b"%PDF-1.7\n<< /Filter /FlateDecode >>\nstream\n" + THOUSAND, 1000),  # no object header at all
        # `obj` inside the dictionary (a name, a string) does not cut it
        (b"1 0 obj\n<< /Filter /FlateDecode /Name /myobj >>\nstream\n" + THOUSAND, 1000),
        (b"1 0 obj\n<< /Filter /FlateDecode /T (an obj) >>\nstream\n" + THOUSAND, 1000),
        (
            b"1 0 obj\n<< /Filter /FlateDecode /T (obj) /DecodeParms << /Predictor 12 /Columns 10 >> >>stream\n"
            + THOUSAND,
            1020,
        ),
        # read from the object's header: a `(` in the data or between objects before it opens no string over it
        (
            b"1 0 obj << /Length 3 >> stream\n(((\nendstream endobj "
            b"2 0 obj<</Filter/AHx>>stream\n4142>\nendstream endobj",
            2,
        ),
        (
            b"1 0 obj << /Length 3 >> stream\nabc\nendstream endobj (\n"
            b"2 0 obj<</Filter/AHx>>stream\n4142>\nendstream endobj",
            2,
        ),
        # a `stream` keyword with no dictionary of its own is no stream, whatever came before it
        (b"1 0 obj << /Filter /AHx >> stream\n4142>\n>> stream\n4344>", 2),
        (b"1 0 obj << /Length 18 >> stream\n<< /Filter /AHx >>\nendstream endobj 2 0 obj >> stream\n4142>", 0),
        (b"1 0 obj\n>>stream\n" + obj(b"/Filter /FlateDecode", THOUSAND, 2), 1000),
        (obj(b"/Length 2", b"ab") + obj(b"/Filter /FlateDecode", THOUSAND, 2), 1000),
    ],
)
def test_a_stream_is_read_from_its_line_to_its_length_or_the_end(data, inflated):
    assert pdf_budget.check(data, BIG, 100) == inflated


def test_every_stream_is_counted():
    data = obj(b"/Filter /FlateDecode", THOUSAND) + obj(b"/Filter /FlateDecode", zlib.compress(b"b" * 2000), 2)
    assert pdf_budget.check(data, BIG, 100) == 3000


def test_two_keywords_on_one_line_under_one_chain_are_one_stream():
    same = b"1 0 obj << /Filter /AHx >> stream << /Filter /AHx >> stream\n4142>"
    assert pdf_budget.check(same, BIG, 1) == 2
    other = b"1 0 obj << /Filter /AHx >> stream << /Filter [/AHx /AHx] >> stream\n34313432>"
    assert pdf_budget.check(other, BIG, 100) == 4 + 4 + 2  # `4142` (4 bytes) read once, then as 2 bytes


def test_more_filtered_streams_than_the_cap_are_refused_and_unfiltered_ones_are_not_counted():
    three = b"".join(obj(b"/Filter /AHx", b"41>", number) for number in (1, 2, 3))
    plain = b"".join(obj(b"/Length 1", b"a", number) for number in (4, 5, 6, 7))
    assert pdf_budget.check(three + plain, BIG, 3) == 3
    with pytest.raises(OverBudget, match=r"^over 2 compressed streams$"):
        pdf_budget.check(three + plain, BIG, 2)


@pytest.mark.parametrize(
    "budget, message",
    [
        (3 * 2**20, None),
        (3 * 2**20 - 1, "compressed streams inflate past 2 MB (a zip bomb?)"),
        (2 * 2**20 + 5, "compressed streams inflate past 2 MB (a zip bomb?)"),
        (2**20 - 1, "compressed streams inflate past 0 MB (a zip bomb?)"),
    ],
)
def test_streams_inflating_past_the_budget_are_refused(budget, message):
    data = obj(b"/Filter /FlateDecode", zlib.compress(b"a" * 3 * 2**20))
    if message is None:
        assert pdf_budget.check(data, budget, 100) == 3 * 2**20
    else:
        with pytest.raises(OverBudget) as refused:
            pdf_budget.check(data, budget, 100)
        assert str(refused.value) == message


def test_a_predictors_rows_count_toward_the_budget():
    data = obj(b"/Filter /AHx /DecodeParms << /Predictor 12 /Columns 500 >>", b"41>")
    assert pdf_budget.check(data, 1001, 100) == 1001
    with pytest.raises(OverBudget):
        pdf_budget.check(data, 1000, 100)


# --- dictionaries ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, dictionary",
    [
        (
            b"<< /A 1 /B /Name /C [1 2 R 3] /D << /E -5 /F +7 >> >>",
            {b"A": 1, b"B": b"Name", b"C": [(1, 2), 3], b"D": {b"E": -5, b"F": 7}},
        ),
        (b"<< /A (a >> (b) \\) c) /B 2 >>", {b"A": b"", b"B": 2}),  # strings skipped, whatever they hold
        (b"<< /A (a \\\\) /B 2 >>", {b"A": b"", b"B": 2}),
        (b"<< /A <3e3e> /B 2 >>", {b"A": b"", b"B": 2}),
        (b"<< /A 1 % /B 2 >>\n/C 3 >>", {b"A": 1, b"C": 3}),
        (b"<< /A 1 >> << /B 2 >>", {b"B": 2}),  # the last one, right before the keyword
        (b"<< /A 1 >> [ << /B 2 >> ]", None),  # the last `]` closes no dictionary
        (
            b"<< /A 1.5 /B 1234567890123456789 /C 123456789012345678 >>",
            {b"A": b"1.5", b"B": b"1234567890123456789", b"C": 123456789012345678},
        ),
        (b"<< /A [1 >> ] >>", {b"A": [1]}),  # `>>` does not close an array
        (b"<< /A << /B ] 1 >> >>", {b"A": {b"B": 1}}),  # nor `]` a dictionary
        (b"<< /Length 5 0 R /Kids [1 0 R 2 0 R] /N 1 R >>", {b"Length": (5, 0), b"Kids": [(1, 0), (2, 0)], b"N": 1}),
        (b"<< /Fil#74er /Flate#44ecode /A#zz 1 >>", {b"Filter": b"FlateDecode", b"A#zz": 1}),
        (b"<< 5 /A 1 /B >>", {b"A": 1}),  # a value without a name, a name without a value
        (b"<</A/B/C<</D 1>>>>", {b"A": b"B", b"C": {b"D": 1}}),
        (b"<< /A 1", None),  # not closed
        (b"( << /A 1 >>", None),  # inside a string that does not end
        (b"<< /A 1 >> )", None),
        (b"(a) << /A 1 >>", {b"A": 1}),
        (b"<< /A (x \\) /B 3) /C 2 >>", {b"A": b"", b"C": 2}),  # `\)` does not end a string
        (b"<< /A [1 /B R] >>", {b"A": [1, b"B", b"R"]}),  # a reference is two integers and R
        (b"<< /A 1 5 /B 2 >>", {b"A": 1, b"B": 2}),
        (b"<<" * 32 + b">>" * 32, {}),
        (b"<<" * 33 + b">>" * 33, None),  # deeper than any real dictionary: not read
    ],
)
def test_a_dictionary_is_read_from_its_tokens(text, dictionary):
    assert _last_dictionary(text) == dictionary


def test_names_references_and_strings_keep_their_kinds():
    read = _last_dictionary(b"<< /F /Fl /S (Fl) /H <466c> /R 4 0 R /L [4 0 R] /I 4 >>")
    assert type(read[b"F"]) is Name and type(read[b"S"]) is bytes and type(read[b"H"]) is bytes
    assert type(read[b"R"]) is Ref and type(read[b"L"][0]) is Ref and type(read[b"I"]) is int
