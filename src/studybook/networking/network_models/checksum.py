"""The Internet checksum of RFC 1071, used by IPv4, UDP, TCP and ICMP.

Add the data as 16-bit big-endian words in ones' complement arithmetic (a
carry out of bit 15 wraps around into bit 0), then complement the sum. A
receiver sums the same words *including* the checksum field: a valid header
sums to 0xFFFF, so the checksum computed over it is 0.

>>> hex(ipv4_checksum(bytes.fromhex("0001f203f4f5f6f7")))
'0x220d'
"""

from __future__ import annotations

from studybook.networking.network_models._wire import as_bytes

__all__ = ["ipv4_checksum", "ones_complement_sum"]


def ipv4_checksum(header: bytes) -> int:
    """Return the RFC 1071 checksum of ``header``: the complement of its ones' complement sum.

    Compute it over a header whose checksum field is zero to get the value to
    store; compute it over a received header to verify it (0 means valid).
    An odd trailing byte is padded with a zero byte, as RFC 1071 says.

    Args:
        header: the bytes to sum (``bytes``, ``bytearray`` or ``memoryview``).

    Returns:
        The checksum, an int in [0, 0xFFFF].

    Raises:
        TypeError: ``header`` is not bytes-like.

    Complexity: O(n) for n bytes.

    >>> hdr = bytes.fromhex("450000730000400040110000c0a80001c0a800c7")
    >>> hex(ipv4_checksum(hdr))
    '0xb861'
    >>> ipv4_checksum(hdr[:10] + bytes.fromhex("b861") + hdr[12:])
    0
    >>> ipv4_checksum("4500")
    Traceback (most recent call last):
    TypeError: header must be bytes, bytearray or memoryview, got str: '4500'
    """
    return ~ones_complement_sum(header, "header") & 0xFFFF


def ones_complement_sum(data: bytes, what: str = "data") -> int:
    """Return the 16-bit ones' complement sum of ``data`` (zero-padded to an even length).

    Args:
        data: the bytes to sum.
        what: the argument's name, for the error message.

    Returns:
        The folded sum in [0, 0xFFFF]; 0 only when every word is zero.

    Raises:
        TypeError: ``data`` is not bytes-like.

    Complexity: O(n) for n bytes.

    >>> hex(ones_complement_sum(bytes.fromhex("0001f203f4f5f6f7")))
    '0xddf2'
    """
    view = as_bytes(data, what)
    total = 0
    for i in range(0, len(view) - 1, 2):
        total += (view[i] << 8) | view[i + 1]
    if len(view) % 2:
        total += view[-1] << 8
    # Fold the carries back in; two folds suffice for any length, the loop says why it ends.
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return total
