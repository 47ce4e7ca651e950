"""Domain names on the wire: labels, length limits and compression (RFC 1035 §3.1, §4.1.4).

A name is a sequence of labels, each one length octet (at most 63) and that
many bytes, ending with the zero-length root label; the whole encoding is at
most 255 octets. To save space a message may replace the tail of a name by a
two-octet *pointer* (top two bits ``11``, then a 14-bit offset) to the same
tail written earlier in the message. Decoding must follow pointers without
trusting them: each pointer here must point strictly before the place where
the current run of labels began, so every jump goes backwards and a loop is
impossible; the jump count is capped as well.

>>> labels = parse_name("www.example.com")
>>> labels
(b'www', b'example', b'com')
>>> buf = bytearray(12)  # a header comes first in a real message
>>> table: dict[tuple[bytes, ...], int] = {}
>>> write_name(buf, labels, table); write_name(buf, (b"mail", b"example", b"com"), table)
>>> bytes(buf[12:]).hex(" ")
'03 77 77 77 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 04 6d 61 69 6c c0 10'
>>> read_name(bytes(buf), 29)
('mail.example.com', 36)
"""

from __future__ import annotations

from studybook._validate import check_str

__all__ = [
    "MAX_LABEL",
    "MAX_NAME",
    "MAX_POINTER_JUMPS",
    "canonical",
    "parse_name",
    "read_name",
    "write_name",
]

MAX_LABEL = 63
"""Longest label, in octets (RFC 1035 §2.3.4)."""

MAX_NAME = 255
"""Longest name in wire form, length octets and the root label included (RFC 1035 §2.3.4)."""

MAX_POINTER_JUMPS = 127
"""A 255-octet name has at most 127 labels, so a legitimate name never needs more jumps."""

_POINTER = 0xC0


def parse_name(name: str) -> tuple[bytes, ...]:
    """Split a dotted name into its labels, checking every RFC 1035 limit.

    A trailing dot (the absolute form, ``"example.com."``) is accepted and
    means the same name; ``"."`` is the root. Labels are printable ASCII
    without ``\\`` (internationalised names travel as ``xn--`` punycode,
    which the application produces before asking DNS).

    Args:
        name: the domain name.

    Returns:
        The labels, leftmost first, as bytes; ``()`` for the root.

    Raises:
        TypeError: ``name`` is not a str.
        ValueError: empty name, empty label, a label over 63 octets, a name
            over 255 octets, or a character outside printable ASCII.

    Complexity: O(len(name)).

    >>> parse_name("Example.COM."), parse_name(".")
    ((b'Example', b'COM'), ())
    >>> parse_name("a..b")
    Traceback (most recent call last):
        ...
    ValueError: empty label in domain name, got 'a..b'
    """
    check_str(name, "domain name", nonempty=True)
    if name == ".":
        return ()
    body = name[:-1] if name.endswith(".") else name
    labels: list[bytes] = []
    for text in body.split("."):
        if not text:
            raise ValueError(f"empty label in domain name, got {name!r}")
        bad = [c for c in text if not ("!" <= c <= "~") or c == "\\"]
        if bad:
            raise ValueError(
                f"domain name characters must be printable ASCII without '\\\\' "
                f"(use punycode for others), got {bad[0]!r} in {name!r}"
            )
        if len(text) > MAX_LABEL:
            raise ValueError(
                f"label must be at most {MAX_LABEL} octets, got {len(text)} in {name!r}"
            )
        labels.append(text.encode("ascii"))
    wire = sum(len(label) + 1 for label in labels) + 1
    if wire > MAX_NAME:
        raise ValueError(f"name must be at most {MAX_NAME} octets on the wire, got {wire}")
    return tuple(labels)


def canonical(name: str) -> str:
    """The lookup key of a name: validated, lower case, without the trailing dot.

    DNS compares names case-insensitively (RFC 4343); the root's key is ``""``.

    >>> canonical("WWW.Example.com."), canonical(".")
    ('www.example.com', '')
    """
    return ".".join(label.decode("ascii").lower() for label in parse_name(name))


def write_name(
    out: bytearray, labels: tuple[bytes, ...], table: dict[tuple[bytes, ...], int] | None
) -> None:
    """Append a name to a message being built, compressed against ``table``.

    ``table`` maps each name suffix already written to its offset; the first
    suffix found there is replaced by a pointer and new suffixes are added
    (only below offset 0x3FFF, the largest a pointer can hold). Pass
    ``None`` to write the name uncompressed. Suffixes match byte for byte,
    so the case a caller wrote is what the reader gets back.

    Complexity: O(k) dictionary probes for a name of k labels.
    """
    for i in range(len(labels)):
        suffix = labels[i:]
        if table is not None:
            where = table.get(suffix)
            if where is not None:
                out += (0xC000 | where).to_bytes(2, "big")
                return
            if len(out) <= 0x3FFF:
                table[suffix] = len(out)
        out.append(len(labels[i]))
        out += labels[i]
    out.append(0)


def read_name(data: bytes, offset: int) -> tuple[str, int]:
    """Read the name at ``offset`` of a whole message, following compression pointers.

    Returns:
        ``(name, next_offset)``: the name in dotted form without the trailing
        dot (``"."`` for the root; a byte outside ``!``..``~`` or a ``.`` or
        ``\\`` inside a label is escaped as in zone files), and the offset
        just after the name *where it started* (after the first pointer).

    Raises:
        ValueError: the name runs past the end of the data, a pointer does
            not point backwards, too many jumps, a reserved label type
            (``01``/``10``), or a name over 255 octets.

    Complexity: O(255): every step either consumes a label of the bounded
    name or jumps strictly backwards, at most 127 times.

    >>> read_name(b"\\x03abc\\xc0\\x00", 0)
    Traceback (most recent call last):
        ...
    ValueError: compression pointer at offset 4 must point before offset 0, got 0
    """
    labels: list[str] = []
    pos = limit = offset
    end: int | None = None
    jumps = 0
    wire = 1
    while True:
        if pos >= len(data):
            raise ValueError(f"truncated name: offset {pos} is past the end ({len(data)} bytes)")
        length = data[pos]
        kind = length & _POINTER
        if kind == _POINTER:
            if pos + 1 >= len(data):
                raise ValueError(f"truncated compression pointer at offset {pos}")
            target = ((length & 0x3F) << 8) | data[pos + 1]
            if target >= limit:
                raise ValueError(
                    f"compression pointer at offset {pos} must point before offset {limit}, "
                    f"got {target}"
                )
            jumps += 1
            if jumps > MAX_POINTER_JUMPS:
                raise ValueError(f"more than {MAX_POINTER_JUMPS} compression pointers in one name")
            if end is None:
                end = pos + 2
            pos = limit = target
            continue
        if kind:
            raise ValueError(f"reserved label type {length:#04x} at offset {pos}")
        if length == 0:
            break
        if pos + 1 + length > len(data):
            raise ValueError(f"truncated label at offset {pos}: needs {length} bytes")
        wire += length + 1
        if wire > MAX_NAME:
            raise ValueError(f"name must be at most {MAX_NAME} octets on the wire, got {wire}")
        labels.append(_label_text(data[pos + 1 : pos + 1 + length]))
        pos += 1 + length
    return (".".join(labels) or "."), (pos + 1 if end is None else end)


def _label_text(label: bytes) -> str:
    parts = []
    for byte in label:
        if byte in b".\\":
            parts.append("\\" + chr(byte))
        elif 0x21 <= byte <= 0x7E:
            parts.append(chr(byte))
        else:
            parts.append(f"\\{byte:03d}")
    return "".join(parts)
