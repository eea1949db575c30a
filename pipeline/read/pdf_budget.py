"""What a PDF's streams would inflate to, counted before any library inflates them.

Every `stream` keyword's dictionary is read for its filter chain, and the
stream's bytes are run through every stage of the chain a piece at a time,
counting what each stage produces: `[/FlateDecode /FlateDecode]`,
`/ASCIIHexDecode` then `/FlateDecode`, LZW, run-length and ASCII85 are all
counted, and counting stops at the budget, never holding more than a piece.
Filter names are read as PDFium reads them (`#xx` escapes, the short names of
inline images); a predictor's row buffers count too. The image codecs (DCT,
JPX, JBIG2, CCITT) end the count: reading text never decodes them, and
neither does PDFium's text layer.

One pass over the file: the keywords, object headers and `endstream`s are
found once, and each dictionary is read from the bytes between the previous
keyword and this one, so the work is linear in the file plus the budget. This
is the cheap, early refusal of a bomb with a clear cause; what it cannot see
(an encrypted stream, an inline image inside a content stream) is bounded by
the reader's process limits (`pdf_worker`).
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterable, Iterator

_REGULAR = rb"[^\s()<>\[\]{}/%]"  # PDF's regular characters: a keyword is a run of them
# A stream: a dictionary's end, whitespace or comments, the keyword (possessive: no backtracking, ever).
_STREAM = re.compile(rb">>(?>[\s\x00]|%[^\r\n]*+)*+stream(?!" + _REGULAR + rb")")
_LINE_END = re.compile(rb"\r\n?|\n")
_WHITESPACE = b" \t\r\n\f\x00"
_MAX_DICTIONARY = 256 * 1024  # bytes of a stream's dictionary read (a real one holds a few hundred)
_PIECE = 64 * 1024  # bytes fed to, or taken from, a stage at a time

# PDFium's names for each filter, the short ones of inline images included.
_FILTERS = {
    b"FlateDecode": "flate",
    b"Fl": "flate",
    b"LZWDecode": "lzw",
    b"LZW": "lzw",
    b"ASCIIHexDecode": "hex",
    b"AHx": "hex",
    b"ASCII85Decode": "a85",
    b"A85": "a85",
    b"RunLengthDecode": "rl",
    b"RL": "rl",
    b"Crypt": "crypt",
}
_IMAGE_CODECS = frozenset({b"DCTDecode", b"DCT", b"JPXDecode", b"JBIG2Decode", b"CCITTFaxDecode", b"CCF"})


class OverBudget(Exception):
    """The streams would inflate past the budget, or there are more of them than any printed page has."""


class Name(bytes):
    """A PDF name, its `#xx` escapes decoded."""


class Ref(tuple):
    """An indirect reference `N G R`."""


def check(data: bytes, budget: int, max_streams: int) -> int:
    """The bytes every stream's filter chain would produce, counted stage by stage; raises OverBudget past
    `budget`, or past `max_streams` filtered streams."""
    view = memoryview(data)
    counter = _Counter(budget)
    previous = 0
    line_end = -1
    seen: set[tuple[int, str]] = set()
    for match in _STREAM.finditer(data):
        if line_end <= match.end():
            line_end = _next_line(data, match.end())
        dictionary = _stream_dictionary(data, max(previous, match.start() - _MAX_DICTIONARY), match.start() + 2)
        previous = match.end()
        if dictionary is None or line_end >= len(data):
            continue
        chain = _chain(dictionary)
        if not chain or (line_end, repr(chain)) in seen:
            continue  # two keywords on one line: the same bytes under the same chain
        seen.add((line_end, repr(chain)))
        if len(seen) > max_streams:
            raise OverBudget(f"over {max_streams} compressed streams")
        _count(chain, view[line_end : _stream_end(data, line_end, dictionary.get(b"Length"))], counter)
    return counter.used


def _stream_dictionary(data: bytes, low: int, end: int) -> dict | None:
    """The dictionary whose `>>` ends at `end`: read from the last `obj` (its object's header, or the previous
    one's end) before it, or, when an `obj` inside the dictionary cut it (`/Name /myobj`), from `low`."""
    header = data.rfind(b"obj", low, end) + 3
    dictionary = _last_dictionary(data[header:end]) if header > low else None
    return _last_dictionary(data[low:end]) if dictionary is None else dictionary


def _next_line(data: bytes, start: int) -> int:
    """Where the line after `start` begins (PDFium's ToNextLine: a stream's bytes start there)."""
    match = _LINE_END.search(data, start)
    return match.end() if match else len(data)


def _stream_end(data: bytes, start: int, length: object) -> int:
    """A stream's end: its /Length when `endstream` follows it there, as PDFium reads it; else the end of the
    file, so that each stage stops where its own data ends (a fake `endstream` inside the data cuts nothing)."""
    if type(length) is int and 0 <= length <= len(data) - start:
        after = start + length
        while after < len(data) and data[after] in _WHITESPACE:
            after += 1
        if data.startswith(b"endstream", after):
            return start + length
    return len(data)


def _chain(dictionary: dict) -> list[tuple[str, dict]]:
    """The stages a library would run, in order, each with its parameters; image codecs end the chain."""
    filters, parms = dictionary.get(b"Filter"), dictionary.get(b"DecodeParms")
    if filters is None:
        filters = dictionary.get(b"F")  # an inline image's dictionary
        parms = dictionary.get(b"DP") if parms is None else parms
    filters = filters if isinstance(filters, list) else [filters]
    parms = parms if isinstance(parms, list) else [parms]
    stages = []
    for index, name in enumerate(filters):
        if not isinstance(name, Name) or name in _IMAGE_CODECS or name not in _FILTERS:
            break  # an image codec, an unknown filter or an indirect one: no library decodes past it for text
        parm = parms[index] if index < len(parms) and isinstance(parms[index], dict) else {}
        stages.append((_FILTERS[name], parm))
    return stages


# --- counting ----------------------------------------------------------------------------------


class _Counter:
    def __init__(self, budget: int) -> None:
        self.budget, self.used = budget, 0

    def add(self, count: int) -> None:
        self.used += count
        if self.used > self.budget:
            raise OverBudget(f"compressed streams inflate past {self.budget // 2**20} MB (a zip bomb?)")


def _count(chain: list[tuple[str, dict]], region: memoryview, counter: _Counter) -> None:
    pieces: Iterable[bytes] = _pieces(region)
    for kind, parms in chain:
        if kind == "crypt":
            if parms.get(b"Name", Name(b"Identity")) != Name(b"Identity"):
                return  # encrypted: the reader's limits bound it
            continue
        counter.add(_predictor_rows(parms))
        pieces = _counted(_DECODERS[kind](pieces, parms), counter)
    for _ in pieces:
        pass


def _pieces(region: memoryview) -> Iterator[memoryview]:
    """The region a piece at a time, from 256 bytes doubling to _PIECE: a stream that ends at once costs little."""
    at, size = 0, 256
    while at < len(region):
        yield region[at : at + size]
        at, size = at + size, min(2 * size, _PIECE)


def _counted(pieces: Iterator[bytes], counter: _Counter) -> Iterator[bytes]:
    for piece in pieces:
        counter.add(len(piece))
        yield piece


def _predictor_rows(parms: dict) -> int:
    """A predictor holds two rows of Columns x Colors x BitsPerComponent bits."""
    predictor = parms.get(b"Predictor", 1)
    if not isinstance(predictor, int) or predictor < 2:
        return 0
    numbers = [parms.get(key, default) for key, default in ((b"Columns", 1), (b"Colors", 1), (b"BitsPerComponent", 8))]
    if not all(isinstance(number, int) and number > 0 for number in numbers):
        return 0
    columns, colors, bits = numbers
    return 2 * ((columns * colors * bits + 7) // 8)


def _flate(pieces: Iterable[bytes], parms: dict) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    for piece in pieces:
        data = bytes(piece)
        while data and not inflater.eof:
            saved = inflater.copy()
            try:
                out = inflater.decompress(data, _PIECE)
            except zlib.error:  # broken or not Flate: a library keeps what came before
                yield _inflated_before_break(saved, data)
                return
            yield out
            data = inflater.unconsumed_tail
            if not out:
                break
        if inflater.eof:
            return


def _inflated_before_break(inflater, data: bytes) -> bytes:
    """What `data` inflates to before the byte where it breaks. zlib drops the output of a call that fails, so
    the longest prefix that does not fail is found by halving (once a stream, at its break)."""
    good, bad, out = 0, len(data), b""
    while bad - good > 1:
        middle = (good + bad) // 2
        try:
            attempt = inflater.copy().decompress(data[:middle], _PIECE)
        except zlib.error:
            bad = middle
        else:
            good, out = middle, attempt
    return out


_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
_A85_RUN = re.compile(rb"((?:[!-u]{5})*+)([!-u]{0,4}+)(z*+)")  # whole groups, a cut one, `z`s
_A85_END = re.compile(rb"[^!-uz\s\x00]")  # `~`, or anything else that is not ASCII85: the end
_A85_SPACE = re.compile(rb"[\s\x00]")


def _hex(pieces: Iterable[bytes], parms: dict) -> Iterator[bytes]:
    """Hex digits in pairs until `>`; anything else is skipped, as PDFium does."""
    pending = b""
    for piece in pieces:
        text = bytes(piece)
        end = text.find(b">")
        digits = pending + _NOT_HEX.sub(b"", text if end == -1 else text[:end])
        cut = len(digits) - len(digits) % 2
        digits, pending = digits[:cut], digits[cut:]
        yield bytes.fromhex(digits.decode("ascii"))
        if end != -1:
            break
    if pending:
        yield b"\x00"


def _a85(pieces: Iterable[bytes], parms: dict) -> Iterator[bytes]:
    """ASCII85 as PDFium reads it: five characters give four bytes (a group over 2**32 keeps its low 32 bits),
    `z` four zeros (a `z` inside a group drops the group's characters), `~` or any other character ends."""
    carry = b""
    for piece in pieces:
        text = bytes(piece)
        end = _A85_END.search(text)
        text = carry + _A85_SPACE.sub(b"", text if end is None else text[: end.start()])
        out, at = bytearray(), 0
        while match := _A85_RUN.match(text, at):
            groups, cut, zeros = match.groups()
            out += _a85_groups(groups)
            if not zeros:
                carry = cut
                break
            out += b"\x00" * (4 * len(zeros))
            at = match.end()
        yield bytes(out)
        if end is not None:
            break
    if len(carry) > 1:
        yield b"\x00" * (len(carry) - 1)  # a cut last group gives one byte fewer than its characters


def _a85_groups(text: bytes) -> bytes:
    try:
        return base64.a85decode(text)
    except ValueError:  # a group over 2**32
        return b"".join(_a85_wrapped(text[at : at + 5]) for at in range(0, len(text), 5))


def _a85_wrapped(group: bytes) -> bytes:
    value = 0
    for character in group:
        value = value * 85 + character - 33
    return (value % 2**32).to_bytes(4, "big")


def _run_length(pieces: Iterable[bytes], parms: dict) -> Iterator[bytes]:
    """RunLengthDecode: a length byte below 128 copies that many plus one, above repeats the next 257 - it."""
    carry = b""
    for piece in pieces:
        data, at, out = carry + bytes(piece), 0, bytearray()
        while at < len(data):
            length = data[at]
            if length == 128:
                yield bytes(out)
                return
            need = length + 2 if length < 128 else 2
            if at + need > len(data):
                break
            out += data[at + 1 : at + need] if length < 128 else data[at + 1 : at + 2] * (257 - length)
            at += need
            if len(out) >= _PIECE:
                yield bytes(out)
                out = bytearray()
        carry = data[at:]
        yield bytes(out)


def _lzw(pieces: Iterable[bytes], parms: dict) -> Iterator[bytes]:
    """LZWDecode: 9 to 12 bit codes, a clear code (256) and an end code (257); EarlyChange 1 unless told 0."""
    early = 0 if parms.get(b"EarlyChange", 1) == 0 else 1
    table: list[bytes] = [bytes([n]) for n in range(256)] + [b"", b""]
    width, bits, count, previous = 9, 0, 0, None
    out = bytearray()
    for piece in pieces:
        for byte in bytes(piece):
            bits, count = (bits << 8) | byte, count + 8
            while count >= width:
                count -= width
                code = (bits >> count) & ((1 << width) - 1)
                bits &= (1 << count) - 1
                if code == 256:
                    del table[258:]
                    width, previous = 9, None
                    continue
                if code == 257:
                    yield bytes(out)
                    return
                if code < len(table):
                    entry = table[code]
                elif code == len(table) and previous is not None:
                    entry = previous + previous[:1]
                else:
                    yield bytes(out)
                    return  # a code not yet defined: the data is broken
                if previous is not None and len(table) < 4096:
                    table.append(previous + entry[:1])
                previous = entry
                out += entry
                width = min(12, max(9, (len(table) + early).bit_length()))
                if len(out) >= _PIECE:
                    yield bytes(out)
                    out = bytearray()
        yield bytes(out)
        out = bytearray()


_DECODERS = {"flate": _flate, "hex": _hex, "a85": _a85, "rl": _run_length, "lzw": _lzw}


# --- dictionaries ------------------------------------------------------------------------------

_TOKEN = re.compile(rb"[\s\x00]+|%[^\r\n]*|/(" + _REGULAR + rb"*)|<<|>>|<[^>]*>?|\(|(" + _REGULAR + rb"+)|.", re.S)
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_NUMBER = re.compile(rb"[+-]?[0-9]{1,18}")
_MAX_DEPTH = 32


def _last_dictionary(text: bytes) -> dict | None:
    """The dictionary at the top level of `text` that its last `>>` closes (a stream's, right before its keyword).

    Names, integers, references, arrays and nested dictionaries are read;
    strings and anything else are skipped. No recursion: a stack of open
    dictionaries and arrays, as deep as _MAX_DEPTH.
    """
    stack: list[tuple[bool, list]] = []  # (is a dictionary, items so far)
    last = None
    at = 0
    while at < len(text):
        if text[at] == 0x28:  # (
            at = _string_end(text, at)
            _append(stack, b"")
            continue
        match = _TOKEN.match(text, at)
        at = match.end()
        token = match.group(0)
        if match.group(1) is not None:
            _append(stack, Name(_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), match.group(1))))
        elif match.group(2) is not None:
            _append(stack, int(token) if _NUMBER.fullmatch(token) else token)
        elif token in (b"<<", b"["):
            stack.append((token == b"<<", []))
            if len(stack) > _MAX_DEPTH:
                return None
        elif token in (b">>", b"]") and stack and stack[-1][0] == (token == b">>"):
            is_dictionary, items = stack.pop()
            value = _dictionary_of(items) if is_dictionary else _references(items)
            if stack:
                _append(stack, value)
            elif is_dictionary and at == len(text):
                last = value
        elif token.startswith(b"<"):
            _append(stack, b"")
    return last


def _append(stack: list[tuple[bool, list]], value: object) -> None:
    if stack:
        stack[-1][1].append(value)


def _references(items: list) -> list:
    """`N G R` as one Ref."""
    out: list = []
    for item in items:
        if item == b"R" and len(out) >= 2 and type(out[-1]) is int and type(out[-2]) is int:
            out[-2:] = [Ref((out[-2], out[-1]))]
        else:
            out.append(item)
    return out


def _dictionary_of(items: list) -> dict:
    result: dict = {}
    items = _references(items)
    index = 0
    while index + 1 < len(items):
        if isinstance(items[index], Name):
            result[bytes(items[index])] = items[index + 1]
            index += 2
        else:
            index += 1
    return result


_STRING_STOP = re.compile(rb"[()\\]")


def _string_end(text: bytes, at: int) -> int:
    """After a literal string starting at `at`: balanced parentheses, backslash escapes."""
    depth = 0
    while match := _STRING_STOP.search(text, at):
        at = match.end()
        if match.group(0) == b"\\":
            at += 1
            continue
        depth += 1 if match.group(0) == b"(" else -1
        if depth == 0:
            return at
    return len(text)
