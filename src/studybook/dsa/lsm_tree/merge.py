"""K-way merge of sorted runs where the newest run wins: the heart of scans and compaction.

Every read that spans several sources (the memtable and each table) and every
compaction is the same operation: merge sorted runs into one sorted stream and,
when several runs hold the same key, keep only the version from the newest run.
Runs are passed newest first, and each entry is tagged with its run's rank so
that, on equal keys, the heap yields the newest version first; the older
versions of that key are then skipped.

Invariant: the output is strictly increasing by key, and each key's value is
the one from the lowest-ranked (newest) run that holds it.

=====================  ==============================================
operation              cost
=====================  ==============================================
whole merge            O(N log k) for N entries over k runs
memory                 O(k): one pending entry per run (lazy)
=====================  ==============================================

>>> newer = [(b"a", "new a"), (b"c", "c")]
>>> older = [(b"a", "old a"), (b"b", "b")]
>>> list(merge_newest_first([newer, older]))
[(b'a', 'new a'), (b'b', 'b'), (b'c', 'c')]
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import TypeVar

__all__ = ["merge_newest_first"]

V = TypeVar("V")


def merge_newest_first(runs: Sequence[Iterable[tuple[bytes, V]]]) -> Iterator[tuple[bytes, V]]:
    """Merge sorted runs, newest first, into one sorted run without duplicate keys.

    Args:
        runs: iterables of ``(key, value)``, each strictly increasing by key,
            ordered from newest (index 0) to oldest.

    Returns:
        A lazy iterator of ``(key, value)`` in key order; for a key held by
        several runs, the value from the newest one.

    Raises:
        ValueError: (while iterating) if a run is not strictly increasing, since
            a silently mis-sorted merge would return wrong answers.

    Complexity: O(N log k) time, O(k) memory, for N entries over k runs.

    >>> list(merge_newest_first([[(b"k", 2)], [(b"j", 0), (b"k", 1)]]))
    [(b'j', 0), (b'k', 2)]
    >>> list(merge_newest_first([]))
    []
    >>> list(merge_newest_first([[(b"b", 1), (b"a", 2)]]))
    Traceback (most recent call last):
    ValueError: run 0 is not strictly increasing: b'a' after b'b'
    """
    tagged = [_tag(run, rank) for rank, run in enumerate(runs)]
    # (key, rank) is unique per entry, so the heap never compares two values
    # (a value may be a tombstone, which does not order against bytes).
    merged = heapq.merge(*tagged, key=itemgetter(0, 1))
    previous: bytes | None = None
    for key, _rank, value in merged:
        if key == previous:
            continue  # an older version of a key already yielded
        previous = key
        yield key, value


def _tag(run: Iterable[tuple[bytes, V]], rank: int) -> Iterator[tuple[bytes, int, V]]:
    # A generator function, not a generator expression inside the comprehension
    # above: that expression would read ``rank`` lazily and see its last value.
    previous: bytes | None = None
    for key, value in run:
        if previous is not None and key <= previous:
            raise ValueError(f"run {rank} is not strictly increasing: {key!r} after {previous!r}")
        previous = key
        yield key, rank, value
