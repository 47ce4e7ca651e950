"""Argument checks shared by the number-systems modules (private)."""

from __future__ import annotations

from typing import Literal

ByteOrder = Literal["big", "little"]


def check_int(value: object, name: str) -> None:
    """Raise TypeError unless ``value`` is an int; ``bool`` is refused too.

    ``True`` is an ``int`` subclass in Python, but as a width, a shift or a
    value it is almost always a bug.
    """
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {value!r}")


def check_bool(value: object, name: str) -> None:
    """Raise TypeError unless ``value`` is exactly True or False."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {value!r}")


def check_byteorder(byteorder: object) -> None:
    """Raise ValueError unless ``byteorder`` is ``"big"`` or ``"little"``."""
    if byteorder not in ("big", "little"):
        raise ValueError(f"byteorder must be 'big' or 'little', got {byteorder!r}")
