"""Congestion-window simulators: Reno (RFC 5681) and CUBIC (RFC 9438), ACK by ACK.

A sender may have at most ``min(cwnd, rwnd)`` unacknowledged segments in
flight. The receiver's window protects the receiver; the congestion window
protects the network, and a loss-based sender learns it by probing until a
packet is lost. Both senders below share RFC 5681's slow start, fast
retransmit and fast recovery, and differ in how they grow the window in
congestion avoidance and how far they cut it on a loss:

=========  ===================================  ==========================  ==============
sender     growth in congestion avoidance       cut on 3 duplicate ACKs     after a timeout
=========  ===================================  ==========================  ==============
Reno       +1 segment per RTT (1/cwnd per ACK)  to 1/2 (RFC 5681 eq. 4)     cwnd = 1
CUBIC      W(t) = C·(t - K)³ + W_max, in time   to β = 0.7 (RFC 9438 4.6)   cwnd = 1
=========  ===================================  ==========================  ==============

Windows are in segments (floats), times in seconds. :func:`simulate` drives a
sender one round trip at a time over a path that drops a packet whenever more
than ``capacity`` segments are in flight, and returns the window at the start
of every round: the data behind the chapter's cwnd-over-time chart.

>>> round(cubic_window(0.0, 100.0), 6), round(cubic_window(cubic_k(100.0), 100.0), 6)
(70.0, 100.0)
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from studybook._validate import check_int, check_real

__all__ = [
    "CUBIC_BETA",
    "CUBIC_C",
    "CongestionControl",
    "CubicSender",
    "RenoSender",
    "Sample",
    "cubic_k",
    "cubic_window",
    "cwnd_chart",
    "simulate",
]

#: RFC 9438, sections 4.6 (β_cubic) and 5.1 (C), in segments and seconds.
CUBIC_BETA = 0.7
CUBIC_C = 0.4


def cubic_window(t: float, w_max: float, c: float = CUBIC_C, beta: float = CUBIC_BETA) -> float:
    """CUBIC's window ``t`` seconds into congestion avoidance: ``C·(t - K)³ + W_max``.

    This is RFC 9438's equation 1 with K from equation 2 for the usual start
    of the epoch, right after a loss cut the window from ``w_max`` to
    ``beta·w_max`` (so ``W(0) = beta·w_max`` and ``W(K) = w_max``).

    Args:
        t: seconds since the start of congestion avoidance, ``>= 0``.
        w_max: the window (segments) when the last loss happened, ``> 0``.
        c: the scaling constant C, ``> 0`` (0.4 per RFC 9438 section 5.1).
        beta: the multiplicative decrease factor, in (0, 1) (0.7 per section 4.6).

    Raises:
        TypeError: an argument is not a number.
        ValueError: NaN, infinite or out of range, or a window too large
            for a float (a huge ``t`` or a tiny ``c``).

    Complexity: O(1).

    >>> [round(cubic_window(t, 10.0), 3) for t in (0, 1, 2, 3)]
    [7.0, 9.649, 10.0, 10.453]
    >>> cubic_window(1.0, 0.0)
    Traceback (most recent call last):
        ...
    ValueError: w_max must be a finite number > 0, got 0.0
    """
    t = check_real(t, "t", low=0)
    k = cubic_k(w_max, c, beta)
    try:
        window = _w_cubic(t, k, float(w_max), float(c))
    except OverflowError:
        window = math.inf
    if not math.isfinite(window):
        raise ValueError(
            f"window overflows a float at t={t!r}, w_max={w_max!r}, c={c!r}, beta={beta!r}"
        )
    return window


def cubic_k(w_max: float, c: float = CUBIC_C, beta: float = CUBIC_BETA) -> float:
    """K, the seconds CUBIC takes to climb back to ``w_max``: ``cbrt(w_max·(1 - beta)/c)``.

    Raises:
        TypeError, ValueError: as :func:`cubic_window`.

    Complexity: O(1).

    >>> round(cubic_k(100.0), 4)
    4.2172
    >>> cubic_k(100.0, beta=1.0)
    Traceback (most recent call last):
        ...
    ValueError: beta must be strictly between 0 and 1, got 1.0
    """
    w_max = check_real(w_max, "w_max", positive=True)
    c = check_real(c, "c", positive=True)
    beta = check_real(beta, "beta", low=0, high=1)
    if not 0 < beta < 1:
        raise ValueError(f"beta must be strictly between 0 and 1, got {beta!r}")
    k = math.cbrt(w_max * (1 - beta) / c)
    if not math.isfinite(k):
        raise ValueError(f"K overflows a float for w_max={w_max!r} and c={c!r}")
    return k


def _w_cubic(t: float, k: float, w_max: float, c: float) -> float:
    return c * (t - k) ** 3 + w_max


class CongestionControl(Protocol):
    """What :func:`simulate` needs from a sender: its window and three ACK events."""

    name: str
    cwnd: float
    ssthresh: float
    in_recovery: bool

    def on_ack(self, now: float, rtt: float) -> None:
        """One new segment was acknowledged at time ``now``."""

    def on_dup_ack(self, now: float) -> None:
        """A duplicate ACK arrived: a segment after a hole was received."""

    def on_timeout(self, now: float) -> None:
        """The retransmission timer expired."""


class RenoSender:
    """RFC 5681 congestion control: slow start, congestion avoidance, fast retransmit/recovery.

    Args:
        initial_window: IW in segments (RFC 5681 section 3.1 allows 2 to 4;
            RFC 6928 allows 10, Linux's default).
        ssthresh: the initial slow-start threshold; RFC 5681 says "arbitrarily
            high", so the default is infinity.

    Raises:
        TypeError, ValueError: a window below 1 or NaN.

    Complexity: O(1) per event.

    >>> s = RenoSender(initial_window=10)
    >>> for _ in range(10):
    ...     s.on_ack(0.0, 0.1)
    >>> s.cwnd
    20.0
    >>> for _ in range(3):
    ...     s.on_dup_ack(0.1)
    >>> s.ssthresh, s.cwnd, s.in_recovery
    (10.0, 13.0, True)
    >>> s.on_ack(0.2, 0.1); s.cwnd
    10.0
    """

    name = "Reno"

    def __init__(self, initial_window: float = 10.0, ssthresh: float = math.inf) -> None:
        self.cwnd = check_real(initial_window, "initial_window", low=1)
        if isinstance(ssthresh, bool) or not isinstance(ssthresh, int | float):
            raise TypeError(
                f"ssthresh must be a number, got {type(ssthresh).__name__}: {ssthresh!r}"
            )
        if math.isnan(ssthresh) or ssthresh < 2:
            raise ValueError(f"ssthresh must be >= 2 (inf allowed), got {ssthresh!r}")
        self.ssthresh = float(ssthresh)
        self.dup_acks = 0
        self.in_recovery = False

    def on_ack(self, now: float, rtt: float) -> None:
        """A new ACK: leave fast recovery (deflate to ssthresh) or grow the window."""
        self.dup_acks = 0
        if self.in_recovery:
            self.in_recovery = False  # RFC 5681 3.2 step 6: deflate the window
            self.cwnd = self.ssthresh
            return
        if self.cwnd < self.ssthresh:
            self.cwnd += 1.0  # slow start: one segment per ACK, doubling per RTT
        else:
            self._avoid_congestion(now, rtt)

    def _avoid_congestion(self, now: float, rtt: float) -> None:
        self.cwnd += 1.0 / self.cwnd  # RFC 5681 eq. 3: about one segment per RTT

    def on_dup_ack(self, now: float) -> None:
        """Count a duplicate ACK; the third triggers fast retransmit (RFC 5681 3.2)."""
        self.dup_acks += 1
        if self.in_recovery:
            self.cwnd += 1.0  # step 4: each dup ACK means a segment left the network
        elif self.dup_acks == 3:
            self._reduce(now)
            self.cwnd = self.ssthresh + 3.0  # step 3: the three segments that left
            self.in_recovery = True

    def _reduce(self, now: float) -> None:
        # Eq. 4 with FlightSize = cwnd: the simulated sender always fills its window.
        self.ssthresh = max(self.cwnd / 2, 2.0)

    def on_timeout(self, now: float) -> None:
        """RTO expiry: ssthresh from eq. 4, cwnd to the loss window of 1 segment."""
        self._reduce(now)
        self.cwnd = 1.0
        self.dup_acks = 0
        self.in_recovery = False


class CubicSender(RenoSender):
    """RFC 9438 CUBIC: Reno's slow start and recovery, a cubic window in time in between.

    On each ACK in congestion avoidance the window moves towards
    ``target = W_cubic(t + RTT)``, clamped to ``[cwnd, 1.5·cwnd]`` (section
    4.2), unless the Reno-friendly estimate ``W_est`` is larger, in which case
    ``cwnd = W_est`` (section 4.3): on short or slow paths CUBIC is never
    slower than Reno.

    Args:
        initial_window, ssthresh: as :class:`RenoSender`.
        c, beta: RFC 9438's C and β_cubic.
        fast_convergence: shrink W_max further after a loss below the previous
            W_max (section 4.7; "SHOULD" be implemented, on in Linux).

    Complexity: O(1) per event.

    >>> s = CubicSender(initial_window=10)
    >>> for _ in range(3):
    ...     s.on_dup_ack(0.0)
    >>> s.w_max, s.ssthresh
    (10.0, 7.0)
    >>> s.on_ack(0.1, 0.1); s.on_ack(0.2, 0.1)
    >>> round(s.k, 4), round(s.cwnd, 4), round(s.w_est, 4)
    (1.9574, 7.0756, 7.0756)
    """

    name = "CUBIC"

    def __init__(
        self,
        initial_window: float = 10.0,
        ssthresh: float = math.inf,
        c: float = CUBIC_C,
        beta: float = CUBIC_BETA,
        fast_convergence: bool = True,
    ) -> None:
        super().__init__(initial_window, ssthresh)
        cubic_k(1.0, c, beta)  # validates c and beta
        self.c, self.beta = float(c), float(beta)
        self.alpha = 3 * (1 - self.beta) / (1 + self.beta)  # section 4.3
        if not isinstance(fast_convergence, bool):
            raise TypeError(f"fast_convergence must be a bool, got {fast_convergence!r}")
        self.fast_convergence = fast_convergence
        self.w_max: float | None = None
        self.cwnd_prior = self.cwnd
        self._epoch: tuple[float, float, float] | None = None
        self.k = 0.0
        self.w_est = self.cwnd

    def _avoid_congestion(self, now: float, rtt: float) -> None:
        if self._epoch is None:
            self._epoch = self._start_epoch(now)
        start, k, w_max = self._epoch
        t = now - start
        target = min(max(_w_cubic(t + rtt, k, w_max, self.c), self.cwnd), 1.5 * self.cwnd)
        alpha = 1.0 if self.w_est >= self.cwnd_prior else self.alpha
        self.w_est += alpha / self.cwnd  # eq. 4 with segments_acked = 1
        if _w_cubic(t, k, w_max, self.c) < self.w_est:
            self.cwnd = self.w_est  # Reno-friendly region
        else:
            self.cwnd += (target - self.cwnd) / self.cwnd  # concave or convex region

    def _start_epoch(self, now: float) -> tuple[float, float, float]:
        """Begin a congestion-avoidance epoch; return (start time, K, W_max)."""
        self.w_est = self.cwnd
        if self.w_max is None or self.w_max < self.cwnd:
            # After a timeout or a loss-free exit from slow start: K = 0 and
            # W_max = the window at the start of the epoch (sections 4.8, 4.10).
            self.w_max, self.k = self.cwnd, 0.0
        else:
            self.k = math.cbrt((self.w_max - self.cwnd) / self.c)  # eq. 2
        return now, self.k, self.w_max

    def _reduce(self, now: float) -> None:
        self.cwnd_prior = self.cwnd
        if self.fast_convergence and self.w_max is not None and self.cwnd < self.w_max:
            self.w_max = self.cwnd * (1 + self.beta) / 2  # section 4.7
        else:
            self.w_max = self.cwnd
        self.ssthresh = max(self.cwnd * self.beta, 2.0)  # section 4.6
        self._epoch = None

    def on_timeout(self, now: float) -> None:
        """RTO expiry: ssthresh = β·cwnd, cwnd = 1, and the next epoch starts with K = 0."""
        super().on_timeout(now)
        self.w_max = None
        self._epoch = None


@dataclass(frozen=True)
class Sample:
    """The sender's state at the start of one round trip of :func:`simulate`."""

    round: int
    time: float
    cwnd: float
    ssthresh: float
    event: str


def simulate(
    sender: CongestionControl,
    rounds: int,
    capacity: int,
    rtt: float = 0.1,
    timeouts: Collection[int] = (),
) -> list[Sample]:
    """Run ``sender`` for ``rounds`` round trips and sample its window at the start of each.

    Each round the sender sends ``floor(cwnd)`` segments. If that is more
    than ``capacity`` (the path's bandwidth-delay product plus its buffer,
    in segments), one packet is dropped: the receiver answers with three
    duplicate ACKs, the sender fast-retransmits, and the retransmission's
    ACK ends recovery. In a round listed in ``timeouts`` every ACK is lost
    and the retransmission timer fires instead. Otherwise every segment is
    acknowledged, the ACKs spread evenly over the round trip.

    Raises:
        TypeError, ValueError: bad ``rounds``, ``capacity``, ``rtt`` or ``timeouts``.

    Complexity: O(rounds · capacity).

    >>> [s.cwnd for s in simulate(RenoSender(initial_window=2), 5, capacity=10)]
    [2.0, 4.0, 8.0, 16.0, 8.0]
    >>> [s.event for s in simulate(RenoSender(initial_window=2), 5, capacity=10)]
    ['', '', '', '3 dup ACKs', '']
    """
    check_int(rounds, "rounds", minimum=0)
    check_int(capacity, "capacity", minimum=1)
    rtt = check_real(rtt, "rtt", positive=True)
    if not isinstance(timeouts, Collection) or isinstance(timeouts, str | bytes):
        raise TypeError(f"timeouts must be a collection of round numbers, got {timeouts!r}")
    for r in timeouts:
        check_int(r, "timeout round", minimum=0)
    samples = []
    for r in range(rounds):
        now = r * rtt
        window = max(1, math.floor(sender.cwnd))
        if r in timeouts:
            event = "timeout"
        elif window > capacity:
            event = "3 dup ACKs"
        else:
            event = ""
        samples.append(Sample(r, now, sender.cwnd, sender.ssthresh, event))
        if event == "timeout":
            sender.on_timeout(now + rtt)
        elif event:
            for _ in range(3):
                sender.on_dup_ack(now + rtt)
            sender.on_ack(now + rtt, rtt)
        else:
            for i in range(window):
                sender.on_ack(now + rtt * (i + 1) / window, rtt)
    return samples


def cwnd_chart(series: Sequence[tuple[str, Sequence[Sample]]], title: str) -> str:
    """Return a mermaid ``xychart-beta`` with one line per simulated sender.

    The x axis is the round number; each line is the window at the start of
    each round, rounded to one decimal. The chapter's cwnd-over-time chart is
    this function's output on the demo scenario, and a test checks that the
    page and the code agree.

    Raises:
        ValueError: no series, series of different lengths, or a title
            holding a double quote or a line break (mermaid has no escape
            for them inside a quoted title).

    Complexity: O(total samples).

    >>> reno = simulate(RenoSender(initial_window=2), 3, capacity=10)
    >>> print(cwnd_chart([("Reno", reno)], "tiny"))
    xychart-beta
        title "tiny"
        x-axis "round trip" [0, 1, 2]
        y-axis "cwnd (segments)" 0 --> 10
        line [2.0, 4.0, 8.0]
    """
    if not series:
        raise ValueError("series must not be empty")
    if not isinstance(title, str) or any(c in title for c in '"\r\n'):
        raise ValueError(f"title must be a str without quotes or line breaks, got {title!r}")
    lengths = {len(samples) for _, samples in series}
    if len(lengths) != 1:
        raise ValueError(f"every series needs the same number of samples, got {sorted(lengths)}")
    (n,) = lengths
    top = max((s.cwnd for _, samples in series for s in samples), default=0.0)
    lines = [
        "xychart-beta",
        f'    title "{title}"',
        f'    x-axis "round trip" [{", ".join(str(i) for i in range(n))}]',
        f'    y-axis "cwnd (segments)" 0 --> {math.ceil(top / 10) * 10 or 10}',
    ]
    lines += [
        "    line [" + ", ".join(f"{s.cwnd:.1f}" for s in samples) + "]" for _, samples in series
    ]
    return "\n".join(lines)
