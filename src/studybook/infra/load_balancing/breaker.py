"""A circuit breaker: stop calling a dependency that keeps failing, and probe it before trusting it.

The pattern comes from Michael Nygard, *Release It!* (2007); Martin Fowler's
"CircuitBreaker" (2014) describes the same three states:

- **closed**: calls pass; consecutive failures are counted and a success resets the count.
  Reaching ``failure_threshold`` opens the breaker.
- **open**: calls fail fast with :class:`CircuitOpenError`, without touching the dependency.
  After ``reset_timeout`` seconds the next request is let through as a trial (half-open).
- **half-open**: at most ``half_open_max_calls`` trial calls are in flight. A success closes
  the breaker; a failure opens it again and restarts the timeout.

The clock is injected, so tests step time by hand.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from typing import TypeVar

from studybook._validate import check_callable, check_int, check_real

__all__ = ["CircuitBreaker", "CircuitOpenError", "State"]

T = TypeVar("T")


class State(enum.Enum):
    """The breaker's three states."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitOpenError(RuntimeError):
    """Raised by :meth:`CircuitBreaker.call` when the breaker refuses a call."""


class CircuitBreaker:
    """A consecutive-failure circuit breaker on an injectable clock.

    Args:
        failure_threshold: consecutive failures that open the breaker (>= 1).
        reset_timeout: seconds the breaker stays open before a trial (> 0, finite).
        half_open_max_calls: trial calls allowed in flight while half-open (>= 1).
        clock: returns the current time in seconds; ``time.monotonic`` by default.

    Raises:
        ValueError, TypeError: for arguments out of range or of the wrong type.

    Complexity: O(1) per operation.

    >>> now = [0.0]
    >>> cb = CircuitBreaker(failure_threshold=2, reset_timeout=10, clock=lambda: now[0])
    >>> cb.record_failure(); cb.record_failure(); cb.state
    <State.OPEN: 'open'>
    >>> cb.allow_request()
    False
    >>> now[0] = 10.0; cb.allow_request(), cb.state
    (True, <State.HALF_OPEN: 'half-open'>)
    >>> cb.record_success(); [(t, a.value, b.value) for t, a, b in cb.transitions]
    [(0.0, 'closed', 'open'), (10.0, 'open', 'half-open'), (10.0, 'half-open', 'closed')]
    >>> CircuitBreaker(reset_timeout=float("inf"))
    Traceback (most recent call last):
        ...
    ValueError: reset_timeout must be a finite number > 0, got inf
    """

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_timeout: float = 30.0,
        half_open_max_calls: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = check_int(failure_threshold, "failure_threshold", minimum=1)
        self.reset_timeout = check_real(reset_timeout, "reset_timeout", positive=True)
        self.half_open_max_calls = check_int(half_open_max_calls, "half_open_max_calls", minimum=1)
        check_callable(clock, "clock")
        self._clock = clock
        self.state = State.CLOSED
        self.failures = 0
        self.opened_at = 0.0
        self.trials_in_flight = 0
        self.transitions: list[tuple[float, State, State]] = []

    def _now(self) -> float:
        return check_real(self._clock(), "clock()")

    def _move(self, to: State, now: float) -> None:
        self.transitions.append((now, self.state, to))
        self.state = to
        if to is State.OPEN:
            self.opened_at = now
            self.trials_in_flight = 0
        elif to is State.CLOSED:
            self.failures = 0
            self.trials_in_flight = 0

    def allow_request(self) -> bool:
        """Return whether a call may go out now; moves open -> half-open once the timeout passes.

        A clock that steps back before ``opened_at`` keeps the breaker open (the
        elapsed time counts as negative), never opens it early.
        """
        now = self._now()
        if self.state is State.OPEN:
            if now - self.opened_at < self.reset_timeout:
                return False
            self._move(State.HALF_OPEN, now)
        if self.state is State.HALF_OPEN:
            if self.trials_in_flight >= self.half_open_max_calls:
                return False
            self.trials_in_flight += 1
        return True

    def record_success(self) -> None:
        """Report a successful call: resets the failure count, or closes a half-open breaker.

        A late success that arrives while the breaker is open is ignored.
        """
        now = self._now()
        if self.state is State.HALF_OPEN:
            self._move(State.CLOSED, now)
        elif self.state is State.CLOSED:
            self.failures = 0

    def record_failure(self) -> None:
        """Report a failed call: may open a closed breaker, and re-opens a half-open one.

        A late failure that arrives while the breaker is open is ignored (the
        timeout is not restarted by calls that left before it opened).
        """
        now = self._now()
        if self.state is State.HALF_OPEN:
            self._move(State.OPEN, now)
        elif self.state is State.CLOSED:
            self.failures += 1
            if self.failures >= self.failure_threshold:
                self._move(State.OPEN, now)

    def call(self, fn: Callable[[], T]) -> T:
        """Call ``fn`` through the breaker; any exception it raises counts as a failure.

        Raises:
            CircuitOpenError: the breaker refused the call.
            Exception: whatever ``fn`` raised, after recording the failure.

        >>> cb = CircuitBreaker(failure_threshold=1, clock=lambda: 0.0)
        >>> cb.call(lambda: 1 / 0)
        Traceback (most recent call last):
            ...
        ZeroDivisionError: division by zero
        >>> cb.call(lambda: "never runs")
        Traceback (most recent call last):
            ...
        studybook.infra.load_balancing.breaker.CircuitOpenError: circuit open since t=0.0
        """
        check_callable(fn, "fn")
        if not self.allow_request():
            raise CircuitOpenError(f"circuit open since t={self.opened_at}")
        try:
            result = fn()
        except Exception:
            self.record_failure()
            raise
        self.record_success()
        return result
