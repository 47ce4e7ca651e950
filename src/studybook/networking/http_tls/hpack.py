"""HPACK (RFC 7541): header compression for HTTP/2, written from the RFC.

A header block is a sequence of representations, each starting with a bit
pattern that says what follows: an index into the static (61 entries) plus
dynamic table (``1xxxxxxx``), a literal that is added to the dynamic table
(``01xxxxxx``), a literal that is not (``0000xxxx``) or must never be
(``0001xxxx``), or a dynamic table size update (``001xxxxx``). Integers use
an N-bit prefix (§5.1); strings are length-prefixed and optionally Huffman
coded with the static code of Appendix B (§5.2).

The encoder and the decoder each keep a dynamic table and must apply the same
insertions and evictions in the same order: the invariant is that after every
header block both tables are equal, and their size (sum of
``len(name) + len(value) + 32`` per entry, §4.1) never exceeds the maximum.

>>> encode_integer(1337, 5).hex(" ")
'1f 9a 0a'
>>> huffman_encode(b"www.example.com").hex(" ")
'f1 e3 c2 e5 f2 3a 6b a0 ab 90 f4 ff'
"""

from __future__ import annotations

from collections import deque

from studybook._validate import check_int

__all__ = [
    "STATIC_TABLE",
    "Decoder",
    "Encoder",
    "HpackError",
    "decode_integer",
    "encode_integer",
    "huffman_decode",
    "huffman_encode",
]

Header = tuple[bytes, bytes]


class HpackError(ValueError):
    """A header block that does not decode (the HTTP/2 COMPRESSION_ERROR)."""


# RFC 7541 Appendix A, index 1..61.
STATIC_TABLE: tuple[Header, ...] = tuple(
    (name.encode(), value.encode())
    for name, value in (
        (":authority", ""),
        (":method", "GET"),
        (":method", "POST"),
        (":path", "/"),
        (":path", "/index.html"),
        (":scheme", "http"),
        (":scheme", "https"),
        (":status", "200"),
        (":status", "204"),
        (":status", "206"),
        (":status", "304"),
        (":status", "400"),
        (":status", "404"),
        (":status", "500"),
        ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"),
        ("accept-language", ""),
        ("accept-ranges", ""),
        ("accept", ""),
        ("access-control-allow-origin", ""),
        ("age", ""),
        ("allow", ""),
        ("authorization", ""),
        ("cache-control", ""),
        ("content-disposition", ""),
        ("content-encoding", ""),
        ("content-language", ""),
        ("content-length", ""),
        ("content-location", ""),
        ("content-range", ""),
        ("content-type", ""),
        ("cookie", ""),
        ("date", ""),
        ("etag", ""),
        ("expect", ""),
        ("expires", ""),
        ("from", ""),
        ("host", ""),
        ("if-match", ""),
        ("if-modified-since", ""),
        ("if-none-match", ""),
        ("if-range", ""),
        ("if-unmodified-since", ""),
        ("last-modified", ""),
        ("link", ""),
        ("location", ""),
        ("max-forwards", ""),
        ("proxy-authenticate", ""),
        ("proxy-authorization", ""),
        ("range", ""),
        ("referer", ""),
        ("refresh", ""),
        ("retry-after", ""),
        ("server", ""),
        ("set-cookie", ""),
        ("strict-transport-security", ""),
        ("transfer-encoding", ""),
        ("user-agent", ""),
        ("vary", ""),
        ("via", ""),
        ("www-authenticate", ""),
    )
)  # fmt: skip

# Integers past 2**32 are refused: no real header needs one, and an unbounded
# run of continuation bytes would otherwise build an arbitrarily large int.
_MAX_INT = 1 << 32
_DEFAULT_TABLE_SIZE = 4096


def encode_integer(value: int, prefix_bits: int, flags: int = 0) -> bytes:
    """Encode ``value`` with an N-bit prefix (RFC 7541 §5.1); ``flags`` fills the high bits.

    >>> encode_integer(10, 5).hex(), encode_integer(42, 8).hex()
    ('0a', '2a')
    >>> encode_integer(-1, 5)
    Traceback (most recent call last):
        ...
    ValueError: value must be in [0, 4294967296], got -1

    Complexity: O(log value).
    """
    check_int(value, "value", minimum=0, maximum=_MAX_INT)
    check_int(prefix_bits, "prefix_bits", minimum=1, maximum=8)
    check_int(flags, "flags", minimum=0, maximum=255)
    limit = (1 << prefix_bits) - 1
    if flags & limit:
        raise ValueError(f"flags must not touch the {prefix_bits}-bit prefix, got {flags:#x}")
    if value < limit:
        return bytes([flags | value])
    out = bytearray([flags | limit])
    value -= limit
    while value >= 128:
        out.append(value % 128 + 128)
        value //= 128
    out.append(value)
    return bytes(out)


def decode_integer(data: bytes, prefix_bits: int, offset: int = 0) -> tuple[int, int]:
    """Decode an N-bit-prefix integer at ``data[offset]``; return it and the next offset.

    >>> decode_integer(bytes.fromhex("1f9a0a"), 5)
    (1337, 3)
    >>> decode_integer(bytes.fromhex("1f9a"), 5)
    Traceback (most recent call last):
        ...
    studybook.networking.http_tls.hpack.HpackError: integer truncated at offset 2

    Complexity: O(bytes read).
    """
    check_int(prefix_bits, "prefix_bits", minimum=1, maximum=8)
    check_int(offset, "offset", minimum=0)
    if offset >= len(data):
        raise HpackError(f"integer truncated at offset {offset}")
    limit = (1 << prefix_bits) - 1
    value = data[offset] & limit
    offset += 1
    if value < limit:
        return value, offset
    shift = 0
    while True:
        if offset >= len(data):
            raise HpackError(f"integer truncated at offset {offset}")
        byte = data[offset]
        offset += 1
        value += (byte & 0x7F) << shift
        shift += 7
        if value > _MAX_INT:
            raise HpackError(f"integer larger than 2**32 at offset {offset}")
        if not byte & 0x80:
            return value, offset


# RFC 7541 Appendix B: code length in bits for symbols 0..255 and EOS (256).
# The code is canonical: sorting symbols by (length, symbol) and counting up
# reproduces every code in the RFC's table, so the lengths are all we store.
_HUFFMAN_LENGTHS = (
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,  # 0-15
    28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,  # 16-31
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,  # 32-47
    5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,  # 48-63
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  # 64-79
    7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,  # 80-95
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,  # 96-111
    6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,  # 112-127
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,  # 128-143
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,  # 144-159
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,  # 160-175
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,  # 176-191
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,  # 192-207
    19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,  # 208-223
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,  # 224-239
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,  # 240-255
    30,  # EOS
)  # fmt: skip
_EOS = 256


def _canonical_codes(lengths: tuple[int, ...]) -> tuple[int, ...]:
    codes = [0] * len(lengths)
    code, previous = -1, 0
    for symbol in sorted(range(len(lengths)), key=lambda s: (lengths[s], s)):
        code = (code + 1) << (lengths[symbol] - previous)
        previous = lengths[symbol]
        codes[symbol] = code
    return tuple(codes)


HUFFMAN_CODES = _canonical_codes(_HUFFMAN_LENGTHS)
_DECODE = {(_HUFFMAN_LENGTHS[s], c): s for s, c in enumerate(HUFFMAN_CODES)}


def huffman_encode(data: bytes) -> bytes:
    """Huffman-code ``data`` with the static code, padding with the EOS prefix (1 bits).

    >>> huffman_encode(b"no-cache").hex(" ")
    'a8 eb 10 64 9c bf'
    >>> huffman_encode(b"")
    b''

    Complexity: O(len(data)).
    """
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r}")
    acc, nbits = 0, 0
    for byte in data:
        acc = (acc << _HUFFMAN_LENGTHS[byte]) | HUFFMAN_CODES[byte]
        nbits += _HUFFMAN_LENGTHS[byte]
    pad = -nbits % 8
    acc = (acc << pad) | ((1 << pad) - 1)
    return (acc).to_bytes((nbits + pad) // 8, "big")


def huffman_decode(data: bytes) -> bytes:
    """Decode a Huffman-coded string; padding must be under 8 bits, all ones (§5.2).

    >>> huffman_decode(bytes.fromhex("a8eb10649cbf"))
    b'no-cache'
    >>> huffman_decode(b"\\x00")
    Traceback (most recent call last):
        ...
    studybook.networking.http_tls.hpack.HpackError: Huffman padding must be 1 bits, got 0b000

    Complexity: O(8·len(data)), bit by bit: clear rather than fast.
    """
    out = bytearray()
    code, length = 0, 0
    for byte in data:
        for shift in range(7, -1, -1):
            code = (code << 1) | ((byte >> shift) & 1)
            length += 1
            symbol = _DECODE.get((length, code))
            if symbol is None:
                if length > 30:
                    raise HpackError(f"invalid Huffman code {code:#b}")
                continue
            if symbol == _EOS:
                raise HpackError("EOS symbol inside a Huffman string")
            out.append(symbol)
            code, length = 0, 0
    if length > 7:
        raise HpackError(f"Huffman padding longer than 7 bits ({length})")
    if code != (1 << length) - 1:
        raise HpackError(f"Huffman padding must be 1 bits, got {code:#0{length + 2}b}")
    return bytes(out)


def _encode_string(value: bytes, huffman: bool) -> bytes:
    if huffman:
        coded = huffman_encode(value)
        if len(coded) < len(value):
            return encode_integer(len(coded), 7, 0x80) + coded
    return encode_integer(len(value), 7) + value


class _Table:
    """The static table followed by a FIFO dynamic table (newest entry first, §2.3.3)."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.size = 0
        self.entries: deque[Header] = deque()

    def get(self, index: int) -> Header:
        if 1 <= index <= len(STATIC_TABLE):
            return STATIC_TABLE[index - 1]
        dynamic = index - len(STATIC_TABLE) - 1
        if 0 <= dynamic < len(self.entries):
            return self.entries[dynamic]
        raise HpackError(
            f"index {index} is outside the tables (1..{len(STATIC_TABLE) + len(self.entries)})"
        )

    def add(self, header: Header) -> None:
        self.entries.appendleft(header)
        self.size += _entry_size(header)
        self._evict()

    def resize(self, max_size: int) -> None:
        self.max_size = max_size
        self._evict()

    def _evict(self) -> None:
        while self.size > self.max_size:
            self.size -= _entry_size(self.entries.pop())

    def find(self, header: Header) -> tuple[int, bool]:
        """Best index for ``header``: (index, full match?), index 0 when the name is unknown."""
        name_index = 0
        for index, entry in enumerate((*STATIC_TABLE, *self.entries), start=1):
            if entry == header:
                return index, True
            if not name_index and entry[0] == header[0]:
                name_index = index
        return name_index, False

    def _check_invariants(self) -> None:
        assert self.size == sum(map(_entry_size, self.entries))  # noqa: S101
        assert self.size <= self.max_size  # noqa: S101


def _entry_size(header: Header) -> int:
    return len(header[0]) + len(header[1]) + 32


def _as_bytes(value: object, what: str) -> bytes:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise TypeError(f"{what} must be str or bytes, got {type(value).__name__}: {value!r}")


class Encoder:
    """Encode header lists into header blocks, indexing every literal it sends.

    >>> enc = Encoder()
    >>> enc.encode([(":method", "GET"), ("custom-key", "custom-value")], huffman=False).hex(" ")
    '82 40 0a 63 75 73 74 6f 6d 2d 6b 65 79 0c 63 75 73 74 6f 6d 2d 76 61 6c 75 65'
    >>> enc.encode([("custom-key", "custom-value")]).hex()  # now index 62, one byte
    'be'
    """

    def __init__(self, max_table_size: int = _DEFAULT_TABLE_SIZE) -> None:
        check_int(max_table_size, "max_table_size", minimum=0, maximum=_MAX_INT)
        self.table = _Table(max_table_size)
        # Both ends start at 4096 (RFC 9113 §6.5.2); any other size must be
        # announced by a size update at the start of the next block (§4.2).
        self._announce_size = max_table_size != _DEFAULT_TABLE_SIZE

    def encode(self, headers: list[tuple[str, str]] | list[Header], huffman: bool = True) -> bytes:
        """One header block for ``headers`` (names should be lower-case, as HTTP/2 requires).

        Complexity: O(headers * table entries) for the linear table search.
        """
        if not isinstance(headers, list):
            raise TypeError(f"headers must be a list of pairs, got {headers!r}")
        if not isinstance(huffman, bool):
            raise TypeError(f"huffman must be a bool, got {huffman!r}")
        out = bytearray()
        if self._announce_size:
            out += encode_integer(self.table.max_size, 5, 0x20)
            self._announce_size = False
        for pair in headers:
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise TypeError(f"each header must be a (name, value) pair, got {pair!r}")
            header = (_as_bytes(pair[0], "header name"), _as_bytes(pair[1], "header value"))
            index, full = self.table.find(header)
            if full:
                out += encode_integer(index, 7, 0x80)
                continue
            if index:
                out += encode_integer(index, 6, 0x40)
            else:
                out += b"\x40" + _encode_string(header[0], huffman)
            out += _encode_string(header[1], huffman)
            self.table.add(header)
        return bytes(out)


class Decoder:
    """Decode header blocks, keeping the dynamic table in step with the peer's encoder.

    >>> Decoder().decode(bytes.fromhex("828684410f7777772e6578616d706c652e636f6d"))
    [(b':method', b'GET'), (b':scheme', b'http'), (b':path', b'/'),
     (b':authority', b'www.example.com')]
    >>> Decoder().decode(b"\\xff\\x00")
    Traceback (most recent call last):
        ...
    studybook.networking.http_tls.hpack.HpackError: index 127 is outside the tables (1..61)
    """

    def __init__(
        self, max_table_size: int = _DEFAULT_TABLE_SIZE, max_header_list_size: int = 65536
    ) -> None:
        check_int(max_table_size, "max_table_size", minimum=0, maximum=_MAX_INT)
        check_int(max_header_list_size, "max_header_list_size", minimum=0)
        self.allowed_table_size = max_table_size
        self.max_header_list_size = max_header_list_size
        self.table = _Table(max_table_size)

    def decode(self, block: bytes) -> list[Header]:
        """Decode one complete header block into ``(name, value)`` byte pairs.

        Raises:
            HpackError: a truncated or invalid block, or a list past ``max_header_list_size``.

        Complexity: O(len(block) + decoded size).
        """
        if not isinstance(block, (bytes, bytearray)):
            raise TypeError(f"block must be bytes, got {type(block).__name__}: {block!r}")
        data = bytes(block)
        headers: list[Header] = []
        offset, list_size = 0, 0
        while offset < len(data):
            first = data[offset]
            if first & 0x80:  # indexed field (§6.1)
                index, offset = decode_integer(data, 7, offset)
                if index == 0:
                    raise HpackError("index 0 is not a valid table index")
                header = self.table.get(index)
            elif first & 0xE0 == 0x20:  # dynamic table size update (§6.3)
                if headers:  # §4.2: it MUST come at the beginning of a header block
                    raise HpackError(f"table size update after a field, at offset {offset}")
                size, offset = decode_integer(data, 5, offset)
                if size > self.allowed_table_size:
                    raise HpackError(f"table size update {size} exceeds {self.allowed_table_size}")
                self.table.resize(size)
                continue
            else:  # literal: with (01), without (0000) or never (0001) indexing (§6.2)
                indexing = first & 0xC0 == 0x40
                index, offset = decode_integer(data, 6 if indexing else 4, offset)
                if index:
                    name = self.table.get(index)[0]
                else:
                    name, offset = self._string(data, offset)
                value, offset = self._string(data, offset)
                header = (name, value)
                if indexing:
                    self.table.add(header)
            list_size += _entry_size(header)
            if list_size > self.max_header_list_size:
                raise HpackError(f"header list larger than {self.max_header_list_size} bytes")
            headers.append(header)
        return headers

    def _string(self, data: bytes, offset: int) -> tuple[bytes, int]:
        if offset >= len(data):
            raise HpackError(f"string truncated at offset {offset}")
        huffman = bool(data[offset] & 0x80)
        length, offset = decode_integer(data, 7, offset)
        if offset + length > len(data):
            raise HpackError(f"string of {length} bytes runs past the block end at {len(data)}")
        raw = data[offset : offset + length]
        return (huffman_decode(raw) if huffman else raw), offset + length
