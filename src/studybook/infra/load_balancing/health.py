"""Passive health: Envoy-style outlier ejection, and gRPC's retry throttle (a retry budget).

:class:`OutlierDetector` follows Envoy's outlier detection (v3 API,
``config.cluster.v3.OutlierDetection``, defaults and ejection rule as in Envoy 1.31+):
a host is ejected after ``consecutive_5xx`` server errors in a row (default 5), or,
at each sweep, when its success rate falls below ``mean - stdev_factor / 1000 * stdev``
of the non-ejected hosts that saw at least ``success_rate_request_volume`` requests
(default 100), provided at least ``success_rate_minimum_hosts`` (default 5) did. The
standard deviation is the population one, as in Envoy's
``DetectorImpl::successRateEjectionThreshold`` (``variance /= n``). An ejected host
stays out for ``base_ejection_time`` (30 s) times the number of times it has been
ejected, capped at ``max_ejection_time`` (300 s). An ejection happens only if the
ejected share *after* it stays within ``max_ejection_percent`` (10%): since Envoy
1.28 this applies to the first ejection too, so with the default a cluster of fewer
than 10 hosts ejects nothing unless ``always_eject_one_host`` (Envoy 1.31+, default
off) is set. (Before 1.28 the first ejection always went through.) We do not model
Envoy's decay of the ejection multiplier or its ejection-time jitter.

:class:`RetryThrottle` is gRPC's retry throttling (gRFC A6): a per-server token
count that starts at ``max_tokens``, loses 1 per failed call and gains
``token_ratio`` per success; retries stop while it is at or below ``max_tokens / 2``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

from studybook._validate import check_callable, check_int, check_real, check_str

__all__ = ["OutlierDetector", "RetryThrottle"]


class OutlierDetector:
    """Eject hosts that fail in a row or whose success rate is a statistical outlier.

    Args:
        hosts: distinct host names.
        consecutive_5xx: server errors in a row that eject a host (>= 1).
        base_ejection_time, max_ejection_time: seconds (> 0); Envoy rejects a
            ``max_ejection_time`` below ``base_ejection_time``, and so do we.
        max_ejection_percent: in [0, 100].
        always_eject_one_host: allow one ejection even when it exceeds
            ``max_ejection_percent`` (Envoy 1.31+; off by default).
        success_rate_minimum_hosts, success_rate_request_volume: >= 1.
        success_rate_stdev_factor: Envoy's integer factor, divided by 1000 (1900 means 1.9).
        clock: seconds; ``time.monotonic`` by default.

    Raises:
        ValueError, TypeError: bad hosts (empty, duplicate, not ``str``) or parameters.

    Complexity: ``record`` O(1); ``sweep`` O(hosts).

    >>> now = [0.0]
    >>> od = OutlierDetector(["a", "b", "c"], max_ejection_percent=50, clock=lambda: now[0])
    >>> for _ in range(5):
    ...     od.record("b", 503)
    >>> od.healthy(), od.events
    (['a', 'c'], [(0.0, 'b', 'eject: consecutive 5xx')])
    >>> now[0] = 30.0; od.sweep(); od.healthy()
    ['a', 'b', 'c']
    >>> od.record("z", 200)
    Traceback (most recent call last):
        ...
    KeyError: "unknown host 'z'"
    """

    def __init__(
        self,
        hosts: Sequence[str],
        *,
        consecutive_5xx: int = 5,
        base_ejection_time: float = 30.0,
        max_ejection_time: float = 300.0,
        max_ejection_percent: int = 10,
        success_rate_minimum_hosts: int = 5,
        success_rate_request_volume: int = 100,
        success_rate_stdev_factor: int = 1900,
        always_eject_one_host: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(hosts, str | bytes) or not isinstance(hosts, Sequence):
            raise TypeError(f"hosts must be a list of names, got {type(hosts).__name__}: {hosts!r}")
        if not hosts:
            raise ValueError(f"hosts must not be empty, got {hosts!r}")
        for h in hosts:
            check_str(h, "host", nonempty=True)
        if len(set(hosts)) != len(hosts):
            raise ValueError(f"host names must be distinct, got {list(hosts)!r}")
        self.hosts = tuple(hosts)
        self.consecutive_5xx = check_int(consecutive_5xx, "consecutive_5xx", minimum=1)
        self.base_ejection_time = check_real(
            base_ejection_time, "base_ejection_time", positive=True
        )
        self.max_ejection_time = check_real(
            max_ejection_time, "max_ejection_time", low=self.base_ejection_time
        )
        self.max_ejection_percent = check_int(
            max_ejection_percent, "max_ejection_percent", minimum=0, maximum=100
        )
        self.minimum_hosts = check_int(
            success_rate_minimum_hosts, "success_rate_minimum_hosts", minimum=1
        )
        self.request_volume = check_int(
            success_rate_request_volume, "success_rate_request_volume", minimum=1
        )
        self.stdev_factor = check_int(
            success_rate_stdev_factor, "success_rate_stdev_factor", minimum=0
        )
        if not isinstance(always_eject_one_host, bool):
            raise TypeError(
                f"always_eject_one_host must be a bool, got "
                f"{type(always_eject_one_host).__name__}: {always_eject_one_host!r}"
            )
        self.always_eject_one_host = always_eject_one_host
        check_callable(clock, "clock")
        self._clock = clock
        self._streak = dict.fromkeys(self.hosts, 0)
        self._ok = dict.fromkeys(self.hosts, 0)
        self._total = dict.fromkeys(self.hosts, 0)
        self.ejections = dict.fromkeys(self.hosts, 0)
        self.ejected_at: dict[str, float] = {}
        self.events: list[tuple[float, str, str]] = []

    def record(self, host: str, status: int) -> None:
        """Record one response's HTTP status; 5xx counts as a failure.

        Raises:
            KeyError: unknown host.
            ValueError, TypeError: ``status`` not an int in [100, 599].
        """
        if host not in self._streak:
            raise KeyError(f"unknown host {host!r}")
        check_int(status, "status", minimum=100, maximum=599)
        self._total[host] += 1
        if status >= 500:
            self._streak[host] += 1
            if self._streak[host] >= self.consecutive_5xx and host not in self.ejected_at:
                self._eject(host, "consecutive 5xx")
        else:
            self._ok[host] += 1
            self._streak[host] = 0

    def _eject(self, host: str, reason: str) -> None:
        # Envoy's DetectorImpl::ejectHost (1.28+): eject only if the ejected share *after*
        # this ejection is within max_ejection_percent; always_eject_one_host (1.31+)
        # lets the first one through regardless.
        allowed = 100 * (len(self.ejected_at) + 1) / len(self.hosts) <= self.max_ejection_percent
        if not allowed and not (self.always_eject_one_host and not self.ejected_at):
            self.events.append((self._clock(), host, f"not ejected (limit): {reason}"))
            return
        now = check_real(self._clock(), "clock()")
        self.ejections[host] += 1
        self.ejected_at[host] = now
        self._streak[host] = 0
        self.events.append((now, host, f"eject: {reason}"))

    def sweep(self) -> None:
        """Run one interval's analysis: return hosts whose ejection is over, then eject
        success-rate outliers, then start a new interval's counts."""
        now = check_real(self._clock(), "clock()")
        for host, since in list(self.ejected_at.items()):
            duration = min(self.base_ejection_time * self.ejections[host], self.max_ejection_time)
            if now - since >= duration:
                del self.ejected_at[host]
                self.events.append((now, host, "uneject"))
        rates = {
            h: self._ok[h] / self._total[h]
            for h in self.hosts
            if self._total[h] >= self.request_volume and h not in self.ejected_at
        }
        if len(rates) >= self.minimum_hosts:
            mean = statistics.fmean(rates.values())
            threshold = mean - self.stdev_factor / 1000 * statistics.pstdev(rates.values())
            for host, rate in rates.items():
                if rate < threshold and host not in self.ejected_at:
                    self._eject(host, f"success rate {rate:.2f} < {threshold:.2f}")
        self._ok = dict.fromkeys(self.hosts, 0)
        self._total = dict.fromkeys(self.hosts, 0)

    def healthy(self) -> list[str]:
        """Return the hosts not currently ejected, in the order given."""
        return [h for h in self.hosts if h not in self.ejected_at]


class RetryThrottle:
    """gRPC's client retry throttle (gRFC A6): stop retrying when too many calls fail.

    Args:
        max_tokens: > 0 and finite; gRFC A6's example uses 10.
        token_ratio: tokens a success earns back, > 0 ("typically ... between 0 and 1");
            the example uses 0.1.

    Complexity: O(1) per call.

    >>> t = RetryThrottle(max_tokens=10, token_ratio=0.1)
    >>> for _ in range(5):
    ...     t.record_failure()
    >>> t.tokens, t.retry_allowed()
    (5.0, False)
    >>> for _ in range(10):
    ...     t.record_success()
    >>> round(t.tokens, 6), t.retry_allowed()
    (6.0, True)
    """

    def __init__(self, max_tokens: float = 10.0, token_ratio: float = 0.1) -> None:
        self.max_tokens = check_real(max_tokens, "max_tokens", positive=True)
        self.token_ratio = check_real(token_ratio, "token_ratio", positive=True)
        self.tokens = self.max_tokens

    def record_failure(self) -> None:
        """A call failed with a retryable status: lose one token (not below 0)."""
        self.tokens = max(0.0, self.tokens - 1)

    def record_success(self) -> None:
        """A call succeeded: earn ``token_ratio`` (not above ``max_tokens``)."""
        self.tokens = min(self.max_tokens, self.tokens + self.token_ratio)

    def retry_allowed(self) -> bool:
        """Return whether a retry may be sent now (tokens above half of ``max_tokens``)."""
        return self.tokens > self.max_tokens / 2
