"""Deadlines: an absolute time after which nobody is waiting, passed down every hop of a call.

A per-hop timeout ignores the time already spent upstream; a deadline does not.
gRPC carries the remaining time in the ``grpc-timeout`` header, and each server
derives the deadlines of its own outgoing calls from it. :meth:`Deadline.child`
is that derivation: a call's deadline is the sooner of the parent's (less a
margin for the work still to do after the call returns) and the call's own
timeout, so no hop ever waits longer than its caller.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from studybook._validate import check_callable, check_real

__all__ = ["Deadline"]


class Deadline:
    """An absolute expiry time on an injectable clock.

    Args:
        timeout: seconds from now (>= 0, finite).
        clock: seconds; ``time.monotonic`` by default.

    Raises:
        ValueError, TypeError: ``timeout`` negative, NaN, infinite or not a number;
            ``clock`` not callable.

    Complexity: O(1) per operation.

    >>> now = [100.0]
    >>> request = Deadline(0.5, clock=lambda: now[0])      # the client allows 500 ms
    >>> now[0] = 100.2                                     # 200 ms spent in the gateway
    >>> db_call = request.child(timeout=1.0, margin=0.05)  # keep 50 ms to reply
    >>> round(db_call.remaining(), 3), round(request.remaining(), 3)
    (0.25, 0.3)
    >>> now[0] = 100.6; request.expired(), request.remaining()
    (True, 0.0)
    >>> Deadline(float("nan"))
    Traceback (most recent call last):
        ...
    ValueError: timeout must be a finite number >= 0, got nan
    """

    def __init__(self, timeout: float, clock: Callable[[], float] = time.monotonic) -> None:
        timeout = check_real(timeout, "timeout", low=0)
        check_callable(clock, "clock")
        self._clock = clock
        self.expires_at = self._now() + timeout

    def _now(self) -> float:
        return check_real(self._clock(), "clock()")

    def remaining(self) -> float:
        """Return the seconds left, never negative (a clock that steps back only adds time)."""
        return max(0.0, self.expires_at - self._now())

    def expired(self) -> bool:
        """Return whether the deadline has passed."""
        return self.remaining() == 0.0

    def child(self, timeout: float | None = None, margin: float = 0.0) -> Deadline:
        """Return the deadline for a downstream call: at most ``timeout`` from now, and at least
        ``margin`` seconds before this deadline.

        Raises:
            ValueError, TypeError: ``timeout`` or ``margin`` negative, NaN, infinite.

        >>> d = Deadline(1.0, clock=lambda: 0.0)
        >>> d.child(timeout=5.0).remaining(), d.child(margin=2.0).remaining()
        (1.0, 0.0)
        """
        margin = check_real(margin, "margin", low=0)
        budget = self.remaining() - margin
        if timeout is not None:
            budget = min(budget, check_real(timeout, "timeout", low=0))
        return Deadline(max(0.0, budget), self._clock)
