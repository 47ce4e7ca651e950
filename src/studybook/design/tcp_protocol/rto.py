"""TCP's retransmission timeout, computed exactly as RFC 6298 specifies.

Too short a timeout retransmits segments that were only late and wastes the
path; too long a timeout leaves a lost segment unrepaired. RFC 6298 sets the
timeout from a smoothed round-trip time (SRTT) and a smoothed mean deviation
(RTTVAR), both exponentially weighted moving averages, so that it tracks the
path and widens when RTT samples scatter:

==============================  =====================================================
when                            what changes (section of RFC 6298)
==============================  =====================================================
before any sample               RTO = 1 s (2.1)
first sample R                  SRTT = R, RTTVAR = R/2 (2.2)
later sample R'                 RTTVAR = (1 - 1/4)·RTTVAR + 1/4·abs(SRTT - R'),
                                then SRTT = (1 - 1/8)·SRTT + 1/8·R' (2.3)
after every sample              RTO = SRTT + max(G, 4·RTTVAR), at least 1 s (2.4),
                                at most a cap of 60 s or more (2.5)
the timer expires               RTO = 2·RTO, up to the cap (5.5)
==============================  =====================================================

Karn's rule (section 3) is the caller's job: never sample the RTT of a
retransmitted segment, because its ACK cannot say which copy it answers.

>>> est = RtoEstimator()
>>> est.rto, est.update(0.25), est.update(1.0)
(1.0, 1.0, 1.46875)
"""

from __future__ import annotations

import math

from studybook._validate import check_real

__all__ = ["RtoEstimator"]

#: RFC 6298, section 2.3.
ALPHA = 1 / 8
BETA = 1 / 4
#: RFC 6298, section 2.2: RTO = SRTT + max(G, K * RTTVAR).
K = 4


class RtoEstimator:
    """The RFC 6298 retransmission-timeout estimator for one connection.

    Args:
        granularity: G, the clock granularity in seconds (RFC 6298 section 2:
            RTTVAR is floored at G in the RTO formula). Linux's timer runs in
            jiffies; 0.001 s is a 1000 Hz kernel.
        min_rto: the floor of section 2.4; 1 s is the RFC's value ("SHOULD").
        max_rto: the cap of section 2.5, which must be at least 60 s.
        initial_rto: the timeout before any RTT sample, 1 s per section 2.1.

    Raises:
        TypeError: an argument is not a number.
        ValueError: an argument is NaN, infinite, negative or zero where a
            positive value is needed, or ``max_rto`` is under 60 s or under
            ``min_rto``.

    Complexity: O(1) time and space per sample.

    >>> est = RtoEstimator(granularity=0.001)
    >>> est.update(0.5), est.srtt, est.rttvar
    (1.5, 0.5, 0.25)
    >>> est.on_timeout(), est.on_timeout(), est.backoffs
    (3.0, 6.0, 2)
    >>> est.update(float("nan"))
    Traceback (most recent call last):
        ...
    ValueError: rtt_seconds must be a finite number >= 0, got nan
    """

    def __init__(
        self,
        granularity: float = 0.001,
        min_rto: float = 1.0,
        max_rto: float = 60.0,
        initial_rto: float = 1.0,
    ) -> None:
        self.granularity = check_real(granularity, "granularity", low=0)
        self.min_rto = check_real(min_rto, "min_rto", positive=True)
        self.max_rto = check_real(max_rto, "max_rto", low=60)
        if self.max_rto < self.min_rto:
            raise ValueError(f"max_rto must be >= min_rto ({min_rto!r}), got {max_rto!r}")
        self.initial_rto = check_real(initial_rto, "initial_rto", positive=True)
        self.srtt: float | None = None
        self.rttvar: float | None = None
        self.backoffs = 0
        self._base = self._clamp(self.initial_rto)

    @property
    def rto(self) -> float:
        """The current timeout in seconds, including any backoff."""
        rto = self._clamp(self._base)
        if not self.backoffs:
            return rto
        try:
            # (5.5) doubles the floored RTO; past 1100 doublings every float exceeds the cap.
            doubled = math.ldexp(rto, min(self.backoffs, 1100))
        except OverflowError:
            return self.max_rto
        return min(doubled, self.max_rto)

    def update(self, rtt_seconds: float) -> float:
        """Fold in one RTT sample (seconds) and return the new RTO (seconds).

        A new sample means an ACK for new data arrived, so the backoff of
        earlier timeouts is dropped: RFC 6298 section 5, in the note after
        (5.7), says the section 2 computation then "may result in
        'collapsing' RTO back down after it has been doubled".

        Raises:
            TypeError: not a number.
            ValueError: negative, NaN or infinite.

        Complexity: O(1).
        """
        r = check_real(rtt_seconds, "rtt_seconds", low=0)
        if self.srtt is None or self.rttvar is None:
            self.srtt, self.rttvar = r, r / 2  # (2.2)
        else:
            # (2.3): RTTVAR first, because it uses the SRTT from before this sample.
            self.rttvar = (1 - BETA) * self.rttvar + BETA * abs(self.srtt - r)
            self.srtt = (1 - ALPHA) * self.srtt + ALPHA * r
        self._base = self.srtt + max(self.granularity, K * self.rttvar)
        self.backoffs = 0
        return self.rto

    def on_timeout(self) -> float:
        """Back off after the retransmission timer expires (RFC 6298 (5.5)): RTO doubles.

        The doubling stops at ``max_rto``; the count keeps rising so a caller
        can give up after too many tries (Linux: ``tcp_retries2``).

        Complexity: O(1).
        """
        self.backoffs += 1
        return self.rto

    def _clamp(self, rto: float) -> float:
        # (2.4) the floor, then (2.5) the cap.
        return min(max(rto, self.min_rto), self.max_rto)

    def __repr__(self) -> str:
        return (
            f"RtoEstimator(srtt={self.srtt!r}, rttvar={self.rttvar!r}, "
            f"rto={self.rto!r}, backoffs={self.backoffs})"
        )
