"""ASCII and UTF-8 by hand: a strict RFC 3629 codec.

UTF-8 encodes a code point in 1 to 4 bytes; the lead byte announces the
length and every continuation byte is ``10xxxxxx``. The decoder accepts exactly
RFC 3629's well-formed sequences (no overlong forms, no surrogates, nothing
above U+10FFFF), and the tests check that it raises exactly when Python's
strict codec does, at the same offset.
"""

from __future__ import annotations

__all__ = ["Utf8Error", "swap_case_ascii", "utf8_decode", "utf8_encode"]


def swap_case_ascii(text: str) -> str:
    """Swap the case of ASCII letters by flipping bit 5 (0x20); leave everything else.

    In ASCII, ``'A'`` is 0x41 and ``'a'`` is 0x61: upper and lower case differ
    only in the 0x20 bit, by design (RFC 20 lays out the table).

    Args:
        text: any string.

    Returns:
        The string with A-Z and a-z swapped.

    Raises:
        TypeError: ``text`` is not a str (bytes included).

    Complexity: O(n).

    >>> swap_case_ascii("Hello, World! 42"), swap_case_ascii("é")
    ('hELLO, wORLD! 42', 'é')
    >>> swap_case_ascii(b"Ab")
    Traceback (most recent call last):
    TypeError: swap_case_ascii needs a str, got b'Ab'
    """
    if not isinstance(text, str):
        raise TypeError(f"swap_case_ascii needs a str, got {text!r}")
    return "".join(chr(ord(c) ^ 0x20) if c.isascii() and c.isalpha() else c for c in text)


class Utf8Error(ValueError):
    """Invalid UTF-8; ``offset`` is the index of the first byte of the bad sequence.

    The offset is the same as ``UnicodeDecodeError.start`` from Python's own
    strict decoder.
    """

    def __init__(self, offset: int, reason: str) -> None:
        self.offset = offset
        self.reason = reason
        super().__init__(f"invalid UTF-8 at byte {offset}: {reason}")


def utf8_encode(text: str) -> bytes:
    """Encode text as UTF-8 by hand (RFC 3629 section 3).

    ==================  ====================================
    Code points         Bytes
    ==================  ====================================
    U+0000..U+007F      0xxxxxxx
    U+0080..U+07FF      110xxxxx 10xxxxxx
    U+0800..U+FFFF      1110xxxx 10xxxxxx 10xxxxxx
    U+10000..U+10FFFF   11110xxx 10xxxxxx 10xxxxxx 10xxxxxx
    ==================  ====================================

    Args:
        text: the string.

    Returns:
        Its UTF-8 bytes, identical to ``text.encode("utf-8")``.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: a lone surrogate (U+D800..U+DFFF), which is not a Unicode
            scalar value and has no UTF-8 form.

    Complexity: O(n).

    >>> utf8_encode("A€😀").hex(" ")
    '41 e2 82 ac f0 9f 98 80'
    >>> utf8_encode("\\ud800")
    Traceback (most recent call last):
    ValueError: cannot encode surrogate U+D800 at index 0
    """
    if not isinstance(text, str):
        raise TypeError(f"utf8_encode needs a str, got {text!r}")
    out = bytearray()
    for i, ch in enumerate(text):
        cp = ord(ch)
        if cp < 0x80:
            out.append(cp)
        elif cp < 0x800:
            out += bytes([0xC0 | cp >> 6, 0x80 | cp & 0x3F])
        elif 0xD800 <= cp <= 0xDFFF:
            raise ValueError(f"cannot encode surrogate U+{cp:04X} at index {i}")
        elif cp < 0x10000:
            out += bytes([0xE0 | cp >> 12, 0x80 | cp >> 6 & 0x3F, 0x80 | cp & 0x3F])
        else:
            out += bytes(
                [0xF0 | cp >> 18, 0x80 | cp >> 12 & 0x3F, 0x80 | cp >> 6 & 0x3F, 0x80 | cp & 0x3F]
            )
    return bytes(out)


# RFC 3629 section 4: for each lead byte, the sequence length and the allowed
# range of the SECOND byte. Narrowing the second byte is what rules out
# overlong forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4);
# every later byte is a plain continuation byte 80..BF.
_LEADS: dict[range, tuple[int, int, int, str]] = {
    range(0xC2, 0xE0): (2, 0x80, 0xBF, ""),
    range(0xE0, 0xE1): (3, 0xA0, 0xBF, "overlong 3-byte form"),
    range(0xE1, 0xED): (3, 0x80, 0xBF, ""),
    range(0xED, 0xEE): (3, 0x80, 0x9F, "surrogate code point"),
    range(0xEE, 0xF0): (3, 0x80, 0xBF, ""),
    range(0xF0, 0xF1): (4, 0x90, 0xBF, "overlong 4-byte form"),
    range(0xF1, 0xF4): (4, 0x80, 0xBF, ""),
    range(0xF4, 0xF5): (4, 0x80, 0x8F, "code point above U+10FFFF"),
}


def utf8_decode(data: bytes | bytearray | memoryview) -> str:
    """Decode UTF-8 by hand, accepting exactly RFC 3629's well-formed sequences.

    Rejects what a naive decoder lets through: stray continuation bytes,
    truncated sequences, overlong forms (``C0 80`` for U+0000), encoded
    surrogates (``ED A0 80``) and code points above U+10FFFF.

    Args:
        data: the bytes (``bytes``, ``bytearray`` or ``memoryview``).

    Returns:
        The text, identical to ``data.decode("utf-8")``.

    Raises:
        TypeError: ``data`` is a str (text is already decoded).
        Utf8Error: a :class:`ValueError` whose ``offset`` is the index of the
            first byte of the first ill-formed sequence.

    Complexity: O(n).

    >>> utf8_decode(b"caf\\xc3\\xa9"), utf8_decode(b"")
    ('café', '')
    >>> utf8_decode(b"ok\\xc0\\x80")
    Traceback (most recent call last):
    studybook.dsa.number_systems.utf8.Utf8Error: invalid UTF-8 at byte 2: overlong lead byte 0xc0
    """
    data = _as_bytes(data)
    chars: list[str] = []
    i = 0
    while i < len(data):
        lead = data[i]
        if lead < 0x80:
            chars.append(chr(lead))
            i += 1
            continue
        length, lo, hi, why = _lead_info(lead, i)
        cp = lead & (0xFF >> (length + 1))  # the payload bits of the lead byte
        for k in range(1, length):
            if i + k >= len(data):
                raise Utf8Error(i, f"truncated {length}-byte sequence")
            byte = data[i + k]
            low, high = (lo, hi) if k == 1 else (0x80, 0xBF)
            if not low <= byte <= high:
                reason = why if 0x80 <= byte <= 0xBF and why else "expected a continuation byte"
                raise Utf8Error(i, f"{reason}, got 0x{byte:02x} at byte {i + k}")
            cp = cp << 6 | byte & 0x3F
        chars.append(chr(cp))
        i += length
    return "".join(chars)


def _as_bytes(data: object) -> bytes:
    # Checked explicitly: bytes("abc") fails with a confusing message and
    # bytes(5) silently makes five zero bytes.
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"utf8_decode needs bytes, got {data!r}")
    return bytes(data)


def _lead_info(lead: int, offset: int) -> tuple[int, int, int, str]:
    for leads, info in _LEADS.items():
        if lead in leads:
            return info
    if lead < 0xC0:
        raise Utf8Error(offset, f"stray continuation byte 0x{lead:02x}")
    if lead < 0xC2:
        raise Utf8Error(offset, f"overlong lead byte 0x{lead:02x}")
    raise Utf8Error(offset, f"byte 0x{lead:02x} never appears in UTF-8")
