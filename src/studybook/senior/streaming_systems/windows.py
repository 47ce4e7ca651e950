"""Event-time windows with watermarks, allowed lateness and a side output for late data.

Records carry an **event time** (an int, say milliseconds) and arrive out of
order. A **watermark** is the operator's claim "no record older than this is
still coming"; here it is the bounded-out-of-orderness rule: the largest event
time seen minus ``max_delay``. Three window kinds, in the Dataflow model's
terms:

- :class:`Tumbling` windows of ``size``: ``[k*size, (k+1)*size)``, one per record;
- :class:`Hopping` windows of ``size`` every ``slide`` (Flink calls them
  *sliding*): a record belongs to ``size / slide`` of them;
- :class:`Session` windows: a record opens ``[t, t+gap)``, and windows that
  overlap merge, so a session ends after ``gap`` of silence per key.

A window ``[start, end)`` **fires** (emits its count and sum) once the watermark
reaches ``end``. A record for a window that has fired is *late*: within
``allowed_lateness`` of the end it still counts, and the window fires again
with the updated result; past that, the window's state is gone and the record
is **dropped** from that window. A record dropped from every window it belongs
to goes to the side output ``WindowedAggregator.late``, so nothing
vanishes silently.

With Flink's ``forBoundedOutOfOrderness(D)`` (watermark = max - D - 1) and
its event-time trigger (fire at watermark >= end - 1), windows fire and expire
at exactly the same records as here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from studybook._validate import check_int, check_str

__all__ = [
    "Hopping",
    "Session",
    "Tumbling",
    "WindowResult",
    "WindowedAggregator",
    "brute_force_windows",
]


@dataclass(frozen=True)
class Tumbling:
    """Fixed, non-overlapping windows of ``size``."""

    size: int

    def __post_init__(self) -> None:
        check_int(self.size, "size", minimum=1)

    def windows(self, t: int) -> list[tuple[int, int]]:
        """The windows containing event time ``t``."""
        start = t - t % self.size
        return [(start, start + self.size)]


@dataclass(frozen=True)
class Hopping:
    """Windows of ``size`` starting every ``slide`` (``slide`` divides ``size``)."""

    size: int
    slide: int

    def __post_init__(self) -> None:
        check_int(self.size, "size", minimum=1)
        check_int(self.slide, "slide", minimum=1, maximum=self.size)
        if self.size % self.slide:
            raise ValueError(
                f"slide must divide size, got size={self.size!r}, slide={self.slide!r}"
            )

    def windows(self, t: int) -> list[tuple[int, int]]:
        """The windows containing event time ``t``, earliest first."""
        last = t - t % self.slide
        return [
            (s, s + self.size) for s in range(last - self.size + self.slide, last + 1, self.slide)
        ]


@dataclass(frozen=True)
class Session:
    """Per-key windows that close after ``gap`` without records."""

    gap: int

    def __post_init__(self) -> None:
        check_int(self.gap, "gap", minimum=1)

    def windows(self, t: int) -> list[tuple[int, int]]:
        """The proto-window a record opens; overlapping ones merge."""
        return [(t, t + self.gap)]


Assigner = Tumbling | Hopping | Session


@dataclass(frozen=True)
class WindowResult:
    """One firing of a window; ``firing`` is 0 on time, 1, 2, ... for late updates."""

    key: str
    start: int
    end: int
    count: int
    total: int
    firing: int


@dataclass
class _State:
    count: int = 0
    total: int = 0
    firings: int = 0
    dirty: bool = False  # changed since it last fired


class WindowedAggregator:
    """Count and sum per key and window, in event time, firing on the watermark.

    Args:
        assigner: :class:`Tumbling`, :class:`Hopping` or :class:`Session`.
        max_delay: how far behind the largest event time the watermark trails.
        allowed_lateness: how long after its end a fired window still takes records.

    Complexity: process O(W + S) for W windows per record and S open sessions of the key.

    >>> agg = WindowedAggregator(Tumbling(10), max_delay=2)
    >>> [agg.process("k", t, 1) for t in (1, 11, 5)]
    [[], [], []]
    >>> agg.process("k", 13, 1)
    [WindowResult(key='k', start=0, end=10, count=2, total=2, firing=0)]
    >>> agg.process("k", 4, 1), agg.late
    ([], [('k', 4, 1)])
    """

    def __init__(
        self, assigner: Assigner, *, max_delay: int = 0, allowed_lateness: int = 0
    ) -> None:
        if not isinstance(assigner, Tumbling | Hopping | Session):
            raise TypeError(f"assigner must be Tumbling, Hopping or Session, got {assigner!r}")
        self.assigner = assigner
        self.max_delay = check_int(max_delay, "max_delay", minimum=0)
        self.allowed_lateness = check_int(allowed_lateness, "allowed_lateness", minimum=0)
        self.watermark: float = -math.inf
        self.late: list[tuple[str, int, int]] = []
        self._open: dict[tuple[str, int, int], _State] = {}

    def process(self, key: str, timestamp: int, value: int) -> list[WindowResult]:
        """Add one record, advance the watermark, and return the windows that fired.

        Raises:
            TypeError, ValueError: a key that is not a str, a timestamp or value that is not an int.
        """
        check_str(key, "key")
        check_int(timestamp, "timestamp")
        check_int(value, "value")
        taken = False
        for start, end in self._windows_for(key, timestamp):
            if self.watermark >= end + self.allowed_lateness:
                continue  # expired: this window's state is gone
            state = self._open.setdefault((key, start, end), _State())
            state.count += 1
            state.total += value
            state.dirty = True  # if the window already fired, it fires again: a late update
            taken = True
        if not taken:
            self.late.append((key, timestamp, value))
        self.watermark = max(self.watermark, timestamp - self.max_delay)
        return self._advance()

    def close(self) -> list[WindowResult]:
        """End of input: the watermark goes to +infinity; windows with unreported records fire."""
        self.watermark = math.inf
        return self._advance()

    def _windows_for(self, key: str, t: int) -> list[tuple[int, int]]:
        if not isinstance(self.assigner, Session):
            return self.assigner.windows(t)
        start, end = t, t + self.assigner.gap
        merged = _State()
        for k, s, e in sorted(w for w in self._open if w[0] == key):
            if (
                s <= end
                and start <= e
                and not self.watermark >= max(e, end) + self.allowed_lateness
            ):
                old = self._open.pop((k, s, e))
                merged.count += old.count
                merged.total += old.total
                merged.firings = max(merged.firings, old.firings)
                merged.dirty = True
                start, end = min(start, s), max(end, e)
        if merged.count:
            self._open[(key, start, end)] = merged
        return [(start, end)]

    def _advance(self) -> list[WindowResult]:
        fired: list[WindowResult] = []
        for key, start, end in sorted(self._open, key=lambda w: (w[2], w[1], w[0])):
            state = self._open[(key, start, end)]
            if state.dirty and self.watermark >= end:
                fired.append(self._fire(key, start, end))
            if self.watermark >= end + self.allowed_lateness:
                del self._open[(key, start, end)]  # purge: later records for it are dropped
        return fired

    def _fire(self, key: str, start: int, end: int) -> WindowResult:
        state = self._open[(key, start, end)]
        state.firings += 1
        state.dirty = False
        return WindowResult(key, start, end, state.count, state.total, state.firings - 1)


def brute_force_windows(
    assigner: Assigner, records: list[tuple[str, int, int]]
) -> dict[tuple[str, int, int], tuple[int, int]]:
    """Recompute every window from scratch: (key, start, end) -> (count, total).

    The oracle for :class:`WindowedAggregator`: no watermark, no order, no lateness.

    >>> brute_force_windows(Session(5), [("k", 9, 1), ("k", 1, 1), ("k", 4, 1), ("j", 2, 7)])
    {('j', 2, 7): (1, 7), ('k', 1, 14): (3, 3)}
    """
    result: dict[tuple[str, int, int], tuple[int, int]] = {}
    if isinstance(assigner, Session):
        for key in sorted({r[0] for r in records}):
            times = sorted((t, v) for k, t, v in records if k == key)
            group: list[tuple[int, int]] = []
            for t, v in times:
                if group and t > group[-1][0] + assigner.gap:  # touching windows merge, as in Flink
                    _close_session(result, key, group, assigner.gap)
                    group = []
                group.append((t, v))
            _close_session(result, key, group, assigner.gap)
        return dict(sorted(result.items()))
    for key, t, v in records:
        for start, end in assigner.windows(t):
            count, total = result.get((key, start, end), (0, 0))
            result[(key, start, end)] = (count + 1, total + v)
    return dict(sorted(result.items()))


def _close_session(
    result: dict[tuple[str, int, int], tuple[int, int]],
    key: str,
    group: list[tuple[int, int]],
    gap: int,
) -> None:
    if group:
        result[(key, group[0][0], group[-1][0] + gap)] = (len(group), sum(v for _, v in group))
