"""False sharing in a model: count cache-line transfers between cores for a trace of writes.

Caches keep copies of memory coherent line by line, not byte by byte. Under a
write-invalidate protocol such as MESI, a core must hold a line exclusively
(state Modified or Exclusive) to write it, so a write to a line that another
core last modified first invalidates the other copy and moves the line
across: tens of cycles at least, more between sockets. Two threads that
update *different* variables which happen to share one 64-byte line pay this
on nearly every write although they share no data: **false sharing**.
Interviewers ask because the fix (padding or per-thread data) is easy once
you know to look, and the symptom (a parallel loop that gets slower with more
threads) is baffling if you do not.

Invariant: a line has at most one modifying owner; a transfer is counted
exactly when a core writes a line another core owns.

==========================  ==========================
operation                   cost
==========================  ==========================
``line_transfers``          O(n) for n writes
``counter_writes``          O(threads x increments)
==========================  ==========================

>>> line_transfers(counter_writes(threads=2, increments=3, stride_bytes=8))
5
>>> line_transfers(counter_writes(threads=2, increments=3, stride_bytes=64))
0

Primary sources: M. S. Papamarcos, J. H. Patel, "A low-overhead coherence
solution for multiprocessors with private cache memories", ISCA 1984 (the
Illinois protocol, known as MESI); U. Drepper, "What Every Programmer Should
Know About Memory", 2007, section 3.3.4 (MESI) and section 6, "What
Programmers Can Do" (multi-threaded optimizations, false sharing).
"""

from __future__ import annotations

from collections.abc import Iterable

from studybook.fundamentals.memory_hierarchy.cache import check_address, check_size

__all__ = ["counter_writes", "line_transfers"]


def line_transfers(writes: Iterable[tuple[int, int]], line_bytes: int = 64) -> int:
    """Count how often a line must move to a different core for a trace of writes.

    Each write is ``(core, address)``. The first write to a line comes from
    memory and is not a transfer; every later write by a core other than the
    line's current owner is one (the owner's copy is invalidated and the
    line moves, with its data, to the writer).

    Args:
        writes: ``(core, address)`` pairs in the order they happen; ``core``
            and ``address`` are non-negative ints.
        line_bytes: the coherence granule, a power of two (64 on x86-64).

    Returns:
        The number of owner-to-owner transfers.

    Raises:
        TypeError: a write that is not a two-item tuple or list, or a core or
            address that is not an int (``bool`` included).
        ValueError: a negative core or address, a bad ``line_bytes``.

    Complexity: O(n) time, O(distinct lines) memory.

    >>> line_transfers([(0, 0), (1, 8), (0, 16), (1, 64)])
    2
    >>> line_transfers([(0, 0), (True, 8)])
    Traceback (most recent call last):
    TypeError: core must be an int, got bool: True
    >>> line_transfers([(0, 0, 8)])
    Traceback (most recent call last):
    TypeError: each write must be a (core, address) pair, got (0, 0, 8)
    """
    check_size(line_bytes, "line_bytes")
    offset_bits = line_bytes.bit_length() - 1
    owner: dict[int, int] = {}
    transfers = 0
    for write in writes:
        if not isinstance(write, tuple | list) or len(write) != 2:
            raise TypeError(f"each write must be a (core, address) pair, got {write!r}")
        core, address = write
        if isinstance(core, bool) or not isinstance(core, int):
            raise TypeError(f"core must be an int, got {type(core).__name__}: {core!r}")
        if core < 0:
            raise ValueError(f"core must not be negative, got {core!r}")
        line = check_address(address) >> offset_bits
        previous = owner.get(line)
        if previous is not None and previous != core:
            transfers += 1
        owner[line] = core
    return transfers


def counter_writes(
    threads: int, increments: int, stride_bytes: int, base: int = 0
) -> list[tuple[int, int]]:
    """The writes of ``threads`` cores each incrementing its own counter, interleaved.

    Thread ``t`` owns the counter at ``base + t * stride_bytes``; the threads
    take turns, one increment each, which is the worst interleaving and what
    two busy cores approach.

    Raises:
        TypeError: a non-int argument (``bool`` included).
        ValueError: ``threads < 1``, a negative ``increments``,
            ``stride_bytes < 1`` or a negative ``base``.

    Complexity: O(threads x increments).

    >>> counter_writes(2, 2, 8)
    [(0, 0), (1, 8), (0, 0), (1, 8)]
    """
    for value, what, minimum in (
        (threads, "threads", 1),
        (increments, "increments", 0),
        (stride_bytes, "stride_bytes", 1),
        (base, "base", 0),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
        if value < minimum:
            raise ValueError(f"{what} must be at least {minimum}, got {value!r}")
    return [(t, base + t * stride_bytes) for _ in range(increments) for t in range(threads)]
