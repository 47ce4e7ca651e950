"""Byte-argument checks shared by the codecs (the number checks live in studybook._validate)."""

from __future__ import annotations

__all__ = ["as_bytes", "check_bytes"]


def as_bytes(value: object, what: str) -> bytes:
    """Return a bytes-like ``value`` as ``bytes``; raise ``TypeError`` naming it otherwise."""
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"{what} must be bytes, bytearray or memoryview, got {type(value).__name__}: {value!r}"
        )
    return bytes(value)


def check_bytes(value: object, what: str) -> bytes:
    """Return ``value`` if it is ``bytes`` (a field of a frozen dataclass); raise otherwise."""
    if not isinstance(value, bytes):
        raise TypeError(f"{what} must be bytes, got {type(value).__name__}: {value!r}")
    return value
