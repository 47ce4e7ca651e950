"""Helpers shared by the sorting_searching modules: the identity key and an int check."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

Key = Callable[[Any], Any]


def identity(value: Any) -> Any:
    """The default sort key: the value itself."""
    return value


def check_int(name: str, value: object, minimum: int) -> int:
    """Return ``value`` if it is an int (not a bool) >= ``minimum``, else raise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return value


def check_rng(rng: object) -> None:
    """Raise TypeError unless ``rng`` is None or a ``random.Random`` (seeded by the caller)."""
    if rng is not None and not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random or None, got {rng!r}")
