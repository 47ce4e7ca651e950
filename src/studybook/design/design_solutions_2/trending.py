"""Trending topics over a sliding window, and autocomplete with top-k per prefix.

:class:`TrendingTopics` keeps one Count-Min Sketch (reused from
:mod:`studybook.dsa.advanced_structures`) per time bucket. A query merges the
live buckets' sketches, which gives exactly the sketch of the window's stream
(counters are sums), so every estimate is at least the true count in the
window and at most ``eps * N`` above it with probability ``1 - delta``. A
sketch cannot list its keys, so each bucket also remembers its few heaviest
candidates; the answer ranks their union by the merged estimate.

:class:`AutocompleteTrie` stores phrase counts in a trie whose every node
caches the top ``k`` phrases below it, so a query costs the prefix length plus
``k`` instead of a walk over the whole subtree.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from studybook._validate import check_callable, check_int, check_real, check_str
from studybook.dsa.advanced_structures import CountMinSketch

__all__ = ["AutocompleteTrie", "TrendingTopics"]

# Most counters TrendingTopics keeps over its window (a 10**9-wide sketch would
# try to allocate gigabytes on the first add).
MAX_COUNTERS = 10_000_000


@dataclass
class _Bucket:
    index: int
    sketch: CountMinSketch
    candidates: dict[str, int] = field(default_factory=dict)


class TrendingTopics:
    """Approximate top-k topics of the last ``window`` seconds, in sketch-sized memory.

    The window slides one bucket at a time: a query at time t covers the
    buckets ``floor(t / bucket) - window / bucket + 1`` through ``floor(t / bucket)``.

    Args:
        window: seconds covered by a query (a whole multiple of ``bucket``).
        bucket: seconds per bucket, the window's granularity.
        width, depth: the shape of every bucket's Count-Min Sketch.
        candidates: heaviest topics remembered per bucket.
        clock: returns seconds (``time.monotonic`` by default).

    Raises:
        ValueError, TypeError: bad arguments (NaN, infinities and ``bool`` included).

    Complexity: O(depth + candidates) per add; O(B * width * depth + C log C)
    per query for B buckets and C candidates; memory O(B * (width * depth + candidates)).

    >>> now = [0.0]
    >>> tt = TrendingTopics(window=60, bucket=10, clock=lambda: now[0])
    >>> for tag, n in [("#python", 5), ("#rust", 3), ("#go", 1)]:
    ...     tt.add(tag, n)
    >>> now[0] = 30.0; tt.add("#rust", 4)
    >>> tt.top(2)
    [('#rust', 7), ('#python', 5)]
    >>> now[0] = 65.0; tt.top(2)  # the bucket of t=0..10 has left the window
    [('#rust', 4)]
    """

    def __init__(
        self,
        window: float = 300.0,
        bucket: float = 60.0,
        *,
        width: int = 2719,
        depth: int = 5,
        candidates: int = 64,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = check_real(window, "window", positive=True)
        self.bucket = check_real(bucket, "bucket", positive=True)
        ratio = self.window / self.bucket
        if not math.isfinite(ratio) or ratio > 10_000 or ratio != math.floor(ratio):
            raise ValueError(
                f"window must be a whole multiple (at most 10000) of bucket, got {window!r}"
                f" / {bucket!r}"
            )
        self.buckets = int(ratio)
        self.width = check_int(width, "width", minimum=1)
        self.depth = check_int(depth, "depth", minimum=1)
        if self.width * self.depth * self.buckets > MAX_COUNTERS:
            raise ValueError(
                f"width * depth * buckets must be at most {MAX_COUNTERS:,} counters,"
                f" got {width!r} * {depth!r} * {self.buckets}"
            )
        self.candidates = check_int(candidates, "candidates", minimum=1)
        check_callable(clock, "clock")
        self._clock = clock
        self._live: deque[_Bucket] = deque()

    def add(self, topic: str, count: int = 1) -> None:
        """Count ``count`` mentions of ``topic`` now.

        Raises:
            ValueError: empty topic or negative count.
            TypeError: wrong types.

        Complexity: O(depth + candidates).
        """
        check_str(topic, "topic", nonempty=True)
        check_int(count, "count", minimum=0)
        current = self._advance()
        current.sketch.add(topic, count)
        estimate = current.sketch.estimate(topic)
        kept = current.candidates
        if topic in kept or len(kept) < self.candidates:
            kept[topic] = estimate
            return
        weakest = min(kept, key=lambda t: (kept[t], t))
        if estimate > kept[weakest]:
            del kept[weakest]
            kept[topic] = estimate

    def top(self, k: int) -> list[tuple[str, int]]:
        """Return up to ``k`` ``(topic, estimate)`` pairs, heaviest first (ties by name).

        Raises:
            ValueError: ``k < 1``.
            TypeError: ``k`` not an int.

        Complexity: O(B * width * depth + C log C).
        """
        check_int(k, "k", minimum=1)
        self._advance()
        merged = self.window_sketch()
        names = {t for b in self._live for t in b.candidates}
        ranked = sorted(((merged.estimate(t), t) for t in names), key=lambda p: (-p[0], p[1]))
        return [(t, n) for n, t in ranked[:k] if n > 0]

    def window_sketch(self) -> CountMinSketch:
        """Return the sketch of the current window: the sum of the live buckets' sketches."""
        self._advance()
        merged = CountMinSketch(self.width, self.depth)
        for b in self._live:
            merged.merge(b.sketch)
        return merged

    def _advance(self) -> _Bucket:
        now = check_real(self._clock(), "clock()")
        index = math.floor(now / self.bucket)
        if self._live and index < self._live[-1].index:
            index = self._live[-1].index  # a clock that steps back stays in the newest bucket
        while self._live and self._live[0].index <= index - self.buckets:
            self._live.popleft()
        if not self._live or self._live[-1].index != index:
            self._live.append(_Bucket(index, CountMinSketch(self.width, self.depth)))
        return self._live[-1]


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    top: list[tuple[int, str]] = field(default_factory=list)  # (-count, phrase), sorted


class AutocompleteTrie:
    """Phrase counts in a trie; each node caches the ``k`` best phrases below it.

    Order: higher count first, then the phrase alphabetically. Counts only
    grow, so when one phrase's count rises, a node's new top-k is the top-k of
    its old top-k plus that phrase: every node on the phrase's path is fixed
    in O(k log k).

    Args:
        k: phrases cached per node (and the most :meth:`top` returns).

    Raises:
        ValueError: ``k < 1``.  TypeError: ``k`` not an int.

    Complexity: add O(L * k log k) for a phrase of length L; top O(P + k) for a
    prefix of length P; memory O(total characters * k).

    >>> trie = AutocompleteTrie(k=3)
    >>> for phrase, n in [("system design", 9), ("system call", 5), ("syntax", 7), ("sql", 2)]:
    ...     trie.add(phrase, n)
    >>> trie.top("sy")
    [('system design', 9), ('syntax', 7), ('system call', 5)]
    >>> trie.top("sys", 1), trie.top("x")
    ([('system design', 9)], [])
    """

    def __init__(self, k: int = 5) -> None:
        self.k = check_int(k, "k", minimum=1)
        self._root = _Node()
        self._counts: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._counts)

    def add(self, phrase: str, count: int = 1) -> None:
        """Add ``count`` searches of ``phrase``.

        Raises:
            ValueError: empty phrase or negative count.
            TypeError: wrong types.

        Complexity: O(L * k log k).
        """
        check_str(phrase, "phrase", nonempty=True)
        check_int(count, "count", minimum=0)
        total = self._counts.get(phrase, 0) + count
        self._counts[phrase] = total
        node = self._root
        self._promote(node, phrase, total)
        for ch in phrase:
            node = node.children.setdefault(ch, _Node())
            self._promote(node, phrase, total)

    def _promote(self, node: _Node, phrase: str, total: int) -> None:
        entries = [e for e in node.top if e[1] != phrase]
        entries.append((-total, phrase))
        entries.sort()
        node.top = entries[: self.k]

    def count(self, phrase: str) -> int:
        """Return how many times ``phrase`` was added (0 if never)."""
        return self._counts.get(check_str(phrase, "phrase"), 0)

    def top(self, prefix: str, k: int | None = None) -> list[tuple[str, int]]:
        """Return the best ``k`` (default: the trie's k) phrases starting with ``prefix``.

        Raises:
            ValueError: ``k`` outside 1..the trie's k.
            TypeError: wrong types.

        Complexity: O(len(prefix) + k).
        """
        check_str(prefix, "prefix")
        limit = self.k if k is None else check_int(k, "k", minimum=1, maximum=self.k)
        node = self._root
        for ch in prefix:
            child = node.children.get(ch)
            if child is None:
                return []
            node = child
        return [(phrase, -neg) for neg, phrase in node.top[:limit]]

    def _check_invariants(self) -> None:
        def walk(node: _Node, prefix: str) -> None:
            expected = sorted((-n, p) for p, n in self._counts.items() if p.startswith(prefix))
            assert node.top == expected[: self.k], prefix  # noqa: S101
            for ch, child in node.children.items():
                walk(child, prefix + ch)

        walk(self._root, "")
