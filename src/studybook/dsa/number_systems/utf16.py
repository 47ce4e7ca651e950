"""UTF-16 by hand: code units, surrogate pairs, and why ``"😀".length == 2`` in Java.

UTF-16 stores a code point below U+10000 as one 16-bit code unit and anything
above as a *surrogate pair*: subtract 0x10000, leaving 20 bits; the high 10
bits go into a high surrogate D800..DBFF and the low 10 into a low surrogate
DC00..DFFF (The Unicode Standard, section 3.9; RFC 2781). Java's ``String``,
JavaScript's strings and Windows' wide strings count these code units, so an
emoji has length 2 there and length 1 in Python, which counts code points.
"""

from __future__ import annotations

from studybook.dsa.number_systems._checks import ByteOrder, check_byteorder

__all__ = ["Utf16Error", "utf16_decode", "utf16_encode"]


class Utf16Error(ValueError):
    """Invalid UTF-16; ``offset`` is the index of the first byte of the bad code unit.

    The offset is the same as ``UnicodeDecodeError.start`` from Python's
    ``utf-16-be``/``utf-16-le`` decoders.
    """

    def __init__(self, offset: int, reason: str) -> None:
        self.offset = offset
        self.reason = reason
        super().__init__(f"invalid UTF-16 at byte {offset}: {reason}")


def utf16_encode(text: str, byteorder: ByteOrder = "big") -> bytes:
    """Encode text as UTF-16 code units by hand, with surrogate pairs above U+FFFF.

    No byte order mark is written, as with Python's ``utf-16-be`` and
    ``utf-16-le`` codecs (plain ``"utf-16"`` prepends one).

    Args:
        text: the string.
        byteorder: ``"big"`` or ``"little"``: the order of the two bytes of each unit.

    Returns:
        The bytes, identical to ``text.encode("utf-16-be")`` (or ``-le``).

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: bad ``byteorder``, or a lone surrogate in ``text``.

    Complexity: O(n).

    >>> utf16_encode("A😀").hex(" "), len(utf16_encode("😀")) // 2
    ('00 41 d8 3d de 00', 2)
    >>> utf16_encode("\\udc00")
    Traceback (most recent call last):
    ValueError: cannot encode surrogate U+DC00 at index 0
    """
    if not isinstance(text, str):
        raise TypeError(f"utf16_encode needs a str, got {text!r}")
    check_byteorder(byteorder)
    units: list[int] = []
    for i, ch in enumerate(text):
        cp = ord(ch)
        if 0xD800 <= cp <= 0xDFFF:
            raise ValueError(f"cannot encode surrogate U+{cp:04X} at index {i}")
        if cp < 0x10000:
            units.append(cp)
        else:
            v = cp - 0x10000  # 20 bits: 10 for each half of the pair
            units += [0xD800 | v >> 10, 0xDC00 | v & 0x3FF]
    return b"".join(u.to_bytes(2, byteorder) for u in units)


def utf16_decode(data: bytes | bytearray | memoryview, byteorder: ByteOrder = "big") -> str:
    """Decode UTF-16 code units by hand, joining surrogate pairs and refusing lone halves.

    Args:
        data: the bytes (``bytes``, ``bytearray`` or ``memoryview``), no byte order mark.
        byteorder: ``"big"`` or ``"little"``.

    Returns:
        The text, identical to ``data.decode("utf-16-be")`` (or ``-le``).

    Raises:
        TypeError: ``data`` is not bytes-like.
        ValueError: bad ``byteorder``.
        Utf16Error: a :class:`ValueError` for an odd trailing byte, a high
            surrogate without its low half, or a low surrogate alone.

    Complexity: O(n).

    >>> utf16_decode(bytes.fromhex("0041 d83d de00")), utf16_decode(b"")
    ('A😀', '')
    >>> utf16_decode(bytes.fromhex("dc00"))
    Traceback (most recent call last):
    studybook.dsa.number_systems.utf16.Utf16Error: invalid UTF-16 at byte 0: lone surrogate 0xdc00
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"utf16_decode needs bytes, got {data!r}")
    check_byteorder(byteorder)
    raw = bytes(data)
    chars: list[str] = []
    i = 0
    while i < len(raw):
        if i + 1 == len(raw):
            raise Utf16Error(i, "odd trailing byte")
        unit = int.from_bytes(raw[i : i + 2], byteorder)
        if 0xDC00 <= unit <= 0xDFFF:
            raise Utf16Error(i, f"lone surrogate 0x{unit:04x}")
        if unit < 0xD800 or unit > 0xDBFF:
            chars.append(chr(unit))
            i += 2
            continue
        if i + 3 >= len(raw):
            raise Utf16Error(i, f"high surrogate 0x{unit:04x} at the end of the data")
        low = int.from_bytes(raw[i + 2 : i + 4], byteorder)
        if not 0xDC00 <= low <= 0xDFFF:
            raise Utf16Error(i, f"high surrogate 0x{unit:04x} followed by 0x{low:04x}")
        chars.append(chr(0x10000 + ((unit - 0xD800) << 10 | (low - 0xDC00))))
        i += 4
    return "".join(chars)
