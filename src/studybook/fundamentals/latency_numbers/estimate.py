"""Back-of-the-envelope capacity estimates: users and payloads in, QPS, storage and bandwidth out.

The first numbers a system design needs are how many requests per second,
how many bytes kept, and how many bytes per second in and out. They follow
from a few assumptions (daily active users, requests per user, payload sizes,
retention) by multiplication; the skill interviewers test is stating the
assumptions, keeping the units straight and rounding sensibly. :func:`estimate`
does the arithmetic and :meth:`Estimate.report` prints it with its units.

Conventions, stated once: a day is 86,400 s; traffic is spread evenly over
the day for the *average* rate, and the *peak* rate is the average times a
stated peak factor (an assumption to replace with real traffic data when you
have it); sizes are in SI units (1 GB = 10^9 bytes) unless ``system="iec"``
is asked for; network rates are also shown in bits per second, in powers of
ten, as links are sold (1 Gbit/s = 10^9 bit/s).

Invariant: every rate is a non-negative finite number; peak = average x
peak factor exactly; storage = writes per day x bytes per write x retention
days x replicas.

==============  ======================================  ======
function        answers                                 cost
==============  ======================================  ======
estimate        QPS, peak QPS, storage, bandwidth        O(1)
==============  ======================================  ======

>>> e = estimate(daily_active_users=1_000_000, writes_per_user_per_day=1,
...              bytes_per_write=1_000, retention_days=365)
>>> round(e.write_qps, 2), format_bytes(e.storage_bytes)
(11.57, '365 GB')

Primary source: J. Bentley, "Programming Pearls: The Back of the Envelope",
*Communications of the ACM* 27(3), March 1984.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from studybook.fundamentals.latency_numbers.units import (
    SECONDS_PER_DAY,
    check_number,
    format_bytes,
)

__all__ = ["DEFAULT_PEAK_FACTOR", "Estimate", "estimate"]

#: Peak over average traffic when nothing better is known (an assumption, not a law).
DEFAULT_PEAK_FACTOR = 2.0


@dataclass(frozen=True)
class Estimate:
    """The result of :func:`estimate`: the inputs, and what follows from them.

    Rates are per second, sizes in bytes.
    """

    daily_active_users: float
    writes_per_user_per_day: float
    reads_per_user_per_day: float
    bytes_per_write: float
    bytes_per_read: float
    retention_days: float
    replicas: int
    peak_factor: float

    @property
    def write_qps(self) -> float:
        """Average writes per second."""
        return self.daily_active_users * self.writes_per_user_per_day / SECONDS_PER_DAY

    @property
    def read_qps(self) -> float:
        """Average reads per second."""
        return self.daily_active_users * self.reads_per_user_per_day / SECONDS_PER_DAY

    @property
    def peak_write_qps(self) -> float:
        """Writes per second at peak, the average times the peak factor."""
        return self.write_qps * self.peak_factor

    @property
    def peak_read_qps(self) -> float:
        """Reads per second at peak, the average times the peak factor."""
        return self.read_qps * self.peak_factor

    @property
    def storage_per_day_bytes(self) -> float:
        """New bytes stored per day, counting every replica."""
        writes_per_day = self.daily_active_users * self.writes_per_user_per_day
        return writes_per_day * self.bytes_per_write * self.replicas

    @property
    def storage_bytes(self) -> float:
        """Bytes held once the retention period is full, counting every replica."""
        return self.storage_per_day_bytes * self.retention_days

    @property
    def ingress_bytes_per_s(self) -> float:
        """Average bytes per second written by clients (one copy; replication is internal)."""
        return self.write_qps * self.bytes_per_write

    @property
    def egress_bytes_per_s(self) -> float:
        """Average bytes per second served to clients by reads."""
        return self.read_qps * self.bytes_per_read

    def report(self, title: str, *, system: Literal["si", "iec"] = "si") -> str:
        """Return the estimate as a short, unit-labelled text block.

        Args:
            title: the first line, naming what is estimated.
            system: ``"si"`` (kB, MB, GB) or ``"iec"`` (KiB, MiB, GiB) for
                sizes; network rates in bits are always SI.

        Returns:
            Lines ending in a newline.

        Raises:
            ValueError: an unknown ``system``, or a title that is empty or
                not a string.

        Complexity: O(1).

        >>> e = estimate(daily_active_users=86_400, writes_per_user_per_day=1,
        ...              bytes_per_write=125, retention_days=1, peak_factor=3)
        >>> print(e.report("toy", system="iec"), end="")
        toy: peak factor 3, sizes in IEC units (1 KiB = 1024 bytes)
          writes  1/s average, 3/s peak
          reads   0/s average, 0/s peak
          storage 10.3 MiB after 1 day (10.3 MiB/day, 1 replica)
          ingress 125 B/s average, 375 B/s peak = 3 kbit/s peak
          egress  0 B/s average, 0 B/s peak = 0 bit/s peak
        """
        if not isinstance(title, str) or not title:
            raise ValueError(f"title must be a non-empty string, got {title!r}")
        if system not in ("si", "iec"):
            raise ValueError(f"unknown system {system!r}; expected 'si' or 'iec'")
        unit = "1 kB = 1000 bytes" if system == "si" else "1 KiB = 1024 bytes"
        units_name = "SI" if system == "si" else "IEC"
        replicas = f"{self.replicas} replica" + ("s" if self.replicas != 1 else "")
        days = f"{self.retention_days:g} day" + ("s" if self.retention_days != 1 else "")

        def size(n: float) -> str:
            return format_bytes(n, system=system)

        def link(bytes_per_s: float, peak: bool) -> str:
            rate = bytes_per_s * (self.peak_factor if peak else 1)
            return f"{size(bytes_per_s)}/s average, {size(rate)}/s peak = {_bits(rate * 8)} peak"

        return (
            f"{title}: peak factor {self.peak_factor:g}, sizes in {units_name} units ({unit})\n"
            f"  writes  {_qps(self.write_qps)}/s average, {_qps(self.peak_write_qps)}/s peak\n"
            f"  reads   {_qps(self.read_qps)}/s average, {_qps(self.peak_read_qps)}/s peak\n"
            f"  storage {size(self.storage_bytes)} after {days} "
            f"({size(self.storage_per_day_bytes)}/day, {replicas})\n"
            f"  ingress {link(self.ingress_bytes_per_s, True)}\n"
            f"  egress  {link(self.egress_bytes_per_s, True)}\n"
        )


def _qps(x: float) -> str:
    """Rates read best with thousands separators and no false precision."""
    if x < 10:
        return f"{x:.3g}"
    return f"{x:,.0f}"


def _bits(bits_per_s: float) -> str:
    for unit, scale in (("Tbit", 1e12), ("Gbit", 1e9), ("Mbit", 1e6), ("kbit", 1e3)):
        if bits_per_s >= scale:
            return f"{float(f'{bits_per_s / scale:.3g}'):g} {unit}/s"
    return f"{float(f'{bits_per_s:.3g}'):g} bit/s"


def estimate(
    *,
    daily_active_users: float,
    writes_per_user_per_day: float,
    bytes_per_write: float,
    retention_days: float,
    reads_per_user_per_day: float = 0.0,
    bytes_per_read: float | None = None,
    replicas: int = 1,
    peak_factor: float = DEFAULT_PEAK_FACTOR,
) -> Estimate:
    """Turn users, request rates, payload sizes and retention into QPS, storage and bandwidth.

    Args:
        daily_active_users: users active on a typical day, > 0.
        writes_per_user_per_day: writes (creates, sends, uploads) per user per day, >= 0.
        bytes_per_write: bytes stored per write (payload plus metadata), > 0.
        retention_days: how long data is kept, >= 0 (0: nothing is kept).
        reads_per_user_per_day: reads per user per day, >= 0.
        bytes_per_read: bytes returned per read, > 0; defaults to ``bytes_per_write``.
        replicas: copies stored of each byte, an int >= 1.
        peak_factor: peak rate over the daily average, >= 1.

    Returns:
        An :class:`Estimate` whose properties give the derived figures.

    Raises:
        TypeError: a non-number, a ``bool``, or a non-int ``replicas``.
        ValueError: NaN, an infinity, a value out of its range, or no
            reads and no writes at all (nothing to estimate).

    Complexity: O(1).

    >>> e = estimate(daily_active_users=10_000_000, writes_per_user_per_day=2,
    ...              reads_per_user_per_day=20, bytes_per_write=500, retention_days=30)
    >>> round(e.write_qps), round(e.peak_read_qps), format_bytes(e.storage_bytes)
    (231, 4630, '300 GB')
    >>> estimate(daily_active_users=0, writes_per_user_per_day=1, bytes_per_write=1,
    ...          retention_days=1)
    Traceback (most recent call last):
    ValueError: daily_active_users must be greater than 0, got 0
    """
    users = check_number(daily_active_users, "daily_active_users", allow_minimum=False)
    writes = check_number(writes_per_user_per_day, "writes_per_user_per_day")
    reads = check_number(reads_per_user_per_day, "reads_per_user_per_day")
    if writes == 0 and reads == 0:
        raise ValueError("no reads and no writes: at least one per-user rate must be positive")
    write_size = check_number(bytes_per_write, "bytes_per_write", allow_minimum=False)
    read_size = (
        write_size
        if bytes_per_read is None
        else check_number(bytes_per_read, "bytes_per_read", allow_minimum=False)
    )
    retention = check_number(retention_days, "retention_days")
    if isinstance(replicas, bool) or not isinstance(replicas, int):
        raise TypeError(f"replicas must be an int, got {type(replicas).__name__}: {replicas!r}")
    if replicas < 1:
        raise ValueError(f"replicas must be at least 1, got {replicas!r}")
    peak = check_number(peak_factor, "peak_factor", minimum=1.0)
    result = Estimate(users, writes, reads, write_size, read_size, retention, replicas, peak)
    if not math.isfinite(result.storage_bytes * 8 * peak):
        raise ValueError(
            f"inputs overflow a float: storage would be {result.storage_bytes!r} bytes"
        )
    return result
