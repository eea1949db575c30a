"""Hostile PDFs, written byte by byte here (no PDF library makes them): bombs behind filter chains, page trees
that repeat a page, xrefs that point in circles, object streams that claim too much.

Each builder returns a whole PDF file. The decompression bombs are made without
ever holding their inflated bytes: a deflate block after a full flush starts
afresh, so one compressed megabyte can be repeated; LZW and run-length codes
are written directly.
"""

from __future__ import annotations

import base64
import binascii
import zlib

MB = 2**20
TEXT = b"BT /F1 12 Tf 72 720 Td (Hostile) Tj ET\n"


def pdf(objects: list[bytes], trailer: bytes = b"", xref: bool = True) -> bytes:
    """A PDF of these object bodies (numbered from 1, the first the catalog) with an xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, start)
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), dictionary) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def one_page(content: bytes) -> bytes:
    """A one-page PDF whose content stream object is `content` (a whole stream object body)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
    page += b"/Contents 4 0 R >>"
    return pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, content, FONT]
    )


# --- bombs ------------------------------------------------------------------------------------


def deflate_bomb(megabytes: int, piece: bytes = b"0 0 0 RG ") -> bytes:
    """Raw zlib data that inflates to `megabytes` MB of `piece`, made in time proportional to its size."""
    packer = zlib.compressobj(9)
    chunk = piece * (MB // len(piece))
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + block * (megabytes - 1) + packer.flush()


def flate_twice(megabytes: int) -> bytes:
    """`[/FlateDecode /FlateDecode]`: a deflate bomb deflated again (1 GiB from a few KB)."""
    return zlib.compress(deflate_bomb(megabytes), 9)


def lzw_bomb(megabytes: int, byte: int = 0x20) -> bytes:
    """LZW codes (PDF's, EarlyChange 1) for `byte` repeated: each code one byte longer than the last."""
    codes: list[int] = []
    produced = 0
    while produced < megabytes * MB:
        codes += [256, byte]  # clear table, then the byte
        produced += 1
        for length, code in enumerate(range(258, 4094), start=2):
            codes.append(code)
            produced += length
    codes.append(257)  # end of data
    return _pack_lzw(codes)


def _pack_lzw(codes: list[int]) -> bytes:
    """Codes packed as PDF's LZWDecode reads them: 9 to 12 bits, one bit wider a code early (EarlyChange 1)."""
    bits, count, out = 0, 0, bytearray()
    next_code, width, first = 258, 9, True
    for code in codes:
        bits, count = (bits << width) | code, count + width
        while count >= 8:
            count -= 8
            out.append((bits >> count) & 0xFF)
        bits &= (1 << count) - 1
        if code == 256:
            next_code, width, first = 258, 9, True
            continue
        next_code += 0 if first else 1
        first = False
        width = 9 if next_code + 1 < 512 else 10 if next_code + 1 < 1024 else 11 if next_code + 1 < 2048 else 12
    if count:
        out.append((bits << (8 - count)) & 0xFF)
    return bytes(out)


def run_length_bomb(megabytes: int, byte: int = 0x20) -> bytes:
    """RunLengthDecode: each two bytes (257 - 129 = 128 copies of `byte`) give 128."""
    return bytes([129, byte]) * (megabytes * MB // 128) + b"\x80"


def hex_of(data: bytes) -> bytes:
    return binascii.hexlify(data) + b">"


def ascii85_of(data: bytes) -> bytes:
    return base64.a85encode(data) + b"~>"


def bomb_with_filters(filters: list[bytes], data: bytes, parms: bytes = b"") -> bytes:
    """A one-page PDF whose content stream is `data` under the filter chain `filters` (first applied first)."""
    names = b" ".join(b"/" + name for name in filters)
    return one_page(stream(b"/Filter [%s] %s" % (names, parms), data))


# --- page trees, xrefs, object streams --------------------------------------------------------


def repeated_page(times: int) -> bytes:
    """A page tree whose one Pages node lists the same page `times` times."""
    kids = b" ".join([b"3 0 R"] * times)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
    page += b"/Contents 4 0 R >>"
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, times),
            page,
            stream(b"", TEXT),
            FONT,
        ]
    )


def many_pages(count: int) -> bytes:
    """`count` real pages, each with its own one-line content."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", FONT]
    kids = []
    for number in range(count):
        page_number, content_number = len(objects) + 1, len(objects) + 2
        kids.append(b"%d 0 R" % page_number)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % content_number
        )
        objects.append(stream(b"", b"BT /F1 12 Tf 72 720 Td (Page %d) Tj ET\n" % number))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), count)
    return pdf(objects)


def xref_in_circles() -> bytes:
    """Two xref sections whose /Prev point at each other, neither at the objects."""
    body = one_page(stream(b"", TEXT))
    cut = body.index(b"xref\n")
    head = bytearray(body[:cut])
    first = len(head)
    second_at = first + 200  # filled in below, padded to this offset
    section = b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\n" % second_at
    head += section.ljust(200, b" ")
    head += b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\n" % first
    head += b"startxref\n%d\n%%%%EOF\n" % first
    return bytes(head)


def object_stream_claiming(count: int) -> bytes:
    """An object stream whose /N claims `count` objects while holding one."""
    inner = b"5 0 " + FONT
    return one_page(stream(b"/Type /ObjStm /N %d /First 4" % count, inner))


def stream_tokens(megabytes: int) -> bytes:
    """Not a PDF at all: `stream` keywords, one a line, after a PDF header."""
    return b"%PDF-1.4\n" + b"stream\n" * (megabytes * MB // 7)


def filtered_stream_tokens(megabytes: int, name: bytes = b"ASCIIHexDecode") -> bytes:
    """Stream dictionaries naming a filter, each followed by a `stream` keyword, and no end anywhere."""
    piece = b"<< /Filter /%s >>\nstream\n" % name
    return b"%PDF-1.4\n" + piece * (megabytes * MB // len(piece))


def text_objects(megabytes: int) -> bytes:
    """A content stream of one tiny text object after another, uncompressed: no bomb, just many objects."""
    ops = b"BT /F1 1 Tf 1 1 Td (a) Tj ET\n"
    return one_page(stream(b"", ops * (megabytes * MB // len(ops))))


# --- encryption that needs no password --------------------------------------------------------

_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def encrypted_one_page(content_dictionary: bytes, content: bytes) -> bytes:
    """A one-page PDF under the standard security handler (RC4, 40 bits, revision 2) with an empty user
    password: any reader opens it without asking, and its streams are ciphertext to anyone who does not
    decrypt them (PDF 1.7, 7.6.3, algorithms 2, 3 and 4)."""
    import hashlib
    import struct

    file_id = b"0123456789abcdef"
    owner = _rc4(hashlib.md5(_PAD).digest()[:5], _PAD)
    permissions = struct.pack("<i", -4)
    key = hashlib.md5(_PAD + owner + permissions + file_id).digest()[:5]
    user = _rc4(key, _PAD)
    object_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
    secret = _rc4(object_key, content)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
    page += b"/Contents 4 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        stream(content_dictionary, secret),
        FONT,
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (owner.hex().encode(), user.hex().encode()),
    ]
    trailer = b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode())
    return pdf(objects, trailer)


def inline_image_bomb(megabytes: int) -> bytes:
    """A content stream, itself not compressed, holding an inline image whose Flate data inflates to
    `megabytes` MB: no stream dictionary names the filter, so no budget read before PDFium sees it."""
    bomb = deflate_bomb(megabytes, b"\x00" * 9)
    content = b"BT /F1 12 Tf 72 720 Td (Inline) Tj ET\nq 100 0 0 100 0 0 cm "
    content += b"BI /W 32768 /H 32768 /BPC 8 /CS /G /F /Fl ID\n" + bomb + b"\nEI Q\n"
    return one_page(stream(b"", content))
