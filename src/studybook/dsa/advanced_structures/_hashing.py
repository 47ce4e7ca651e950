"""Canonical item encoding and seeded 64-bit hashes shared by the structures.

Every probabilistic structure here must give the same answer in every process,
so none of them touches the built-in ``hash()`` (salted per process for ``str``
and ``bytes`` since Python 3.3). Items are first turned into bytes with a type
tag, so ``"1"``, ``b"1"`` and ``1`` are three different items, then hashed with
BLAKE2b from :mod:`hashlib`.
"""

from __future__ import annotations

import hashlib

__all__ = ["Item", "encode_item", "hash64"]

Item = str | bytes | int
"""What the probabilistic structures accept: text, raw bytes or an integer."""


def encode_item(item: object) -> bytes:
    """Return a canonical, type-tagged byte encoding of ``item``.

    Args:
        item: a ``str`` (UTF-8 encoded), ``bytes``/``bytearray`` or ``int``.
            ``bool`` is an ``int``, so ``True`` and ``1`` are one item, as in a set.

    Returns:
        One tag byte (``s``, ``b`` or ``i``) followed by the payload.

    Raises:
        TypeError: for any other type (its hash would not be stable across runs).

    Complexity: O(len(item)).

    >>> encode_item("héllo")
    b's h\\xc3\\xa9llo'
    >>> encode_item(-7), encode_item(b"")
    (b'i -7', b'b ')
    >>> encode_item(1.5)
    Traceback (most recent call last):
    ...
    TypeError: items must be str, bytes or int, got float: 1.5
    """
    if isinstance(item, str):
        return b"s " + item.encode("utf-8")
    if isinstance(item, bytes | bytearray):
        return b"b " + bytes(item)
    if isinstance(item, int):
        return b"i " + str(int(item)).encode("ascii")
    raise TypeError(f"items must be str, bytes or int, got {type(item).__name__}: {item!r}")


def hash64(data: bytes, salt: int = 0) -> int:
    """Return a 64-bit unsigned hash of ``data``; different salts act as independent functions.

    Args:
        data: the bytes to hash.
        salt: selects one member of the hash family (0 <= salt < 2**128).

    Returns:
        An integer in ``[0, 2**64)``.

    Complexity: O(len(data)).

    >>> hash64(b"x") == hash64(b"x"), hash64(b"x") == hash64(b"x", salt=1)
    (True, False)
    """
    digest = hashlib.blake2b(data, digest_size=8, salt=salt.to_bytes(16, "little")).digest()
    return int.from_bytes(digest, "big")
