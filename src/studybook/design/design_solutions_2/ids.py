"""Snowflake IDs (Twitter's 64-bit layout) and base62, the two halves of a short code.

A Snowflake ID is ``time | worker | sequence`` packed into a 63-bit integer:
41 bits of milliseconds since a custom epoch, 10 bits of worker (machine) id
and a 12-bit per-millisecond sequence. IDs from one worker strictly increase;
IDs from different workers never collide; and sorting IDs sorts them by
creation time to the millisecond ("k-sorted"), with no coordination between
workers. Twitter's original ``IdWorker.scala`` (twitter-archive/snowflake,
2010) uses epoch ``1288834974657`` (2010-11-04 01:42:54.657 UTC) and splits
the 10 worker bits into a 5-bit datacenter id and a 5-bit worker id.

Base62 writes an integer with the 62 characters ``0-9A-Za-z`` (GMP's digit
order for bases 37 to 62), so a 64-bit ID needs at most 11 characters and
codes of equal length sort like the numbers they encode.

=====================  ======================  ==========
operation              result                  cost
=====================  ======================  ==========
Snowflake.next_id      a new, larger ID        O(1)
snowflake_parts        (unix_ms, worker, seq)  O(1)
base62_encode/decode   str / int               O(digits)
=====================  ======================  ==========

>>> snowflake_parts(compose_snowflake(TWITTER_EPOCH_MS + 1000, 7, 3))
(1288834975657, 7, 3)
>>> base62_encode(2**63 - 1), base62_decode("AzL8n0Y58m7")
('AzL8n0Y58m7', 9223372036854775807)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from studybook._validate import check_callable, check_int, check_str

__all__ = [
    "BASE62_ALPHABET",
    "MAX_SEQUENCE",
    "MAX_WORKER_ID",
    "TWITTER_EPOCH_MS",
    "ClockMovedBackwardsError",
    "Snowflake",
    "base62_decode",
    "base62_encode",
    "compose_snowflake",
    "snowflake_parts",
]

TWITTER_EPOCH_MS = 1288834974657
"""Twitter's custom epoch (``twepoch`` in ``IdWorker.scala``), 2010-11-04 01:42:54.657 UTC."""
TIMESTAMP_BITS = 41
WORKER_BITS = 10
SEQUENCE_BITS = 12
MAX_WORKER_ID = (1 << WORKER_BITS) - 1
"""The largest worker id, 1023 (ten bits)."""
MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1
"""The largest sequence number, 4095 (twelve bits), so 4096 IDs per worker per millisecond."""
MAX_ID = (1 << (TIMESTAMP_BITS + WORKER_BITS + SEQUENCE_BITS)) - 1
"""The largest ID, 2**63 - 1 (the sign bit stays zero, so an ID fits a signed 64-bit column)."""
_WORKER_SHIFT = SEQUENCE_BITS
_TIME_SHIFT = SEQUENCE_BITS + WORKER_BITS

BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
"""Digits, then upper case, then lower case (ASCII order, as GMP's ``mpz_get_str`` uses)."""
_BASE62_VALUE = {ch: i for i, ch in enumerate(BASE62_ALPHABET)}
MAX_BASE62_LENGTH = 1000
"""Longest string :func:`base62_decode` accepts (decoding is quadratic in the length)."""


class ClockMovedBackwardsError(RuntimeError):
    """The clock stepped back further than the generator is willing to wait out."""


def _wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class Snowflake:
    """A Snowflake ID generator for one worker: strictly increasing IDs, no coordination.

    Args:
        worker_id: this generator's id, unique among all live generators, 0..1023.
        clock: returns milliseconds since the Unix epoch as an ``int``.
        epoch_ms: the custom epoch subtracted from the clock (Twitter's by default).
        max_backward_ms: how far back (ms) the clock may step and still be waited
            out; a bigger step raises :class:`ClockMovedBackwardsError`.
        sleep: called with seconds when the generator must wait for the clock.

    Raises:
        ValueError: ``worker_id`` outside 0..1023, negative ``epoch_ms`` or
            ``max_backward_ms``.
        TypeError: a non-int (``bool`` included) or a non-callable ``clock``/``sleep``.

    Complexity: O(1) per ID, except when it waits for the clock.

    Where Twitter's ``IdWorker.nextId`` threw ``InvalidSystemClock`` ("Clock moved
    backwards. Refusing to generate id for N milliseconds") whenever the clock
    read earlier than the last ID's millisecond, this generator keeps issuing
    IDs in the last millisecond it used and, when those 4096 run out, sleeps
    until the clock has passed it. Both keep the IDs increasing.

    >>> now = [TWITTER_EPOCH_MS + 5]
    >>> gen = Snowflake(1, clock=lambda: now[0])
    >>> first, second = gen.next_id(), gen.next_id()
    >>> snowflake_parts(first)[1:], snowflake_parts(second)[1:]
    ((1, 0), (1, 1))
    >>> now[0] -= 3; snowflake_parts(gen.next_id())  # clock stepped back 3 ms
    (1288834974662, 1, 2)
    >>> Snowflake(1024)
    Traceback (most recent call last):
        ...
    ValueError: worker_id must be in [0, 1023], got 1024
    """

    def __init__(
        self,
        worker_id: int,
        clock: Callable[[], int] = _wall_clock_ms,
        *,
        epoch_ms: int = TWITTER_EPOCH_MS,
        max_backward_ms: int = 10_000,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.worker_id = check_int(worker_id, "worker_id", minimum=0, maximum=MAX_WORKER_ID)
        check_callable(clock, "clock")
        check_callable(sleep, "sleep")
        self.epoch_ms = check_int(epoch_ms, "epoch_ms", minimum=0)
        self.max_backward_ms = check_int(max_backward_ms, "max_backward_ms", minimum=0)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last_ms = -1
        self._sequence = 0
        self.clock_regressions = 0
        """How many times the clock read earlier than the last ID's millisecond."""
        self.waits = 0
        """How many times the generator slept for the clock (exhausted sequence or regression)."""

    def next_id(self) -> int:
        """Return a new ID, larger than every ID this generator returned before.

        Raises:
            ClockMovedBackwardsError: the clock reads more than ``max_backward_ms``
                before the last ID's millisecond.
            ValueError: the clock reads before ``epoch_ms`` or past the 41-bit
                range (year 2080 with Twitter's epoch), or not an int.

        Complexity: O(1), or the wait for the next millisecond.

        >>> ticks = iter([TWITTER_EPOCH_MS] * 4098 + [TWITTER_EPOCH_MS + 1])
        >>> gen = Snowflake(0, clock=lambda: next(ticks), sleep=lambda s: None)
        >>> ids = [gen.next_id() for _ in range(4097)]
        >>> snowflake_parts(ids[-2]), snowflake_parts(ids[-1]), gen.waits
        ((1288834974657, 0, 4095), (1288834974658, 0, 0), 1)
        """
        with self._lock:
            now = self._read_clock()
            if now < self._last_ms:
                self.clock_regressions += 1
                behind = self._last_ms - now
                if behind > self.max_backward_ms:
                    raise ClockMovedBackwardsError(
                        f"clock moved backwards by {behind} ms, more than max_backward_ms"
                        f" = {self.max_backward_ms}; refusing to generate IDs"
                    )
                now = self._last_ms  # hold time: never reuse an earlier millisecond
            if now == self._last_ms:
                self._sequence = (self._sequence + 1) & MAX_SEQUENCE
                if self._sequence == 0:  # 4096 IDs this millisecond: wait for the next
                    now = self._wait_past(self._last_ms)
            else:
                self._sequence = 0
            self._last_ms = now
            return (
                ((now - self.epoch_ms) << _TIME_SHIFT)
                | (self.worker_id << _WORKER_SHIFT)
                | self._sequence
            )

    def _read_clock(self) -> int:
        reading = self._clock()
        if isinstance(reading, bool) or not isinstance(reading, int):
            raise TypeError(
                f"clock() must return int milliseconds, got {type(reading).__name__}: {reading!r}"
            )
        if not 0 <= reading - self.epoch_ms < 1 << TIMESTAMP_BITS:
            raise ValueError(
                f"clock() = {reading!r} ms is outside the 41-bit range after epoch_ms"
                f" = {self.epoch_ms}"
            )
        return reading

    def _wait_past(self, last_ms: int) -> int:
        while True:
            now = self._read_clock()
            if now > last_ms:
                return now
            self.waits += 1
            self._sleep((last_ms - now + 1) / 1000)


def compose_snowflake(
    unix_ms: int, worker_id: int = 0, sequence: int = 0, *, epoch_ms: int = TWITTER_EPOCH_MS
) -> int:
    """Pack the three fields into an ID: the inverse of :func:`snowflake_parts`.

    With ``worker_id = sequence = 0`` this is the smallest ID of that millisecond,
    the bound for "IDs created after ``unix_ms``" queries.

    Raises:
        ValueError: a field out of range (time before ``epoch_ms`` included).
        TypeError: a field that is not an int (``bool`` included).

    Complexity: O(1).

    >>> compose_snowflake(TWITTER_EPOCH_MS, 1023, 4095)
    4194303
    >>> compose_snowflake(TWITTER_EPOCH_MS - 1)
    Traceback (most recent call last):
        ...
    ValueError: unix_ms - epoch_ms must be in [0, 2199023255551], got -1
    """
    check_int(unix_ms, "unix_ms")
    check_int(epoch_ms, "epoch_ms", minimum=0)
    elapsed = check_int(unix_ms - epoch_ms, "unix_ms - epoch_ms", minimum=0, maximum=MAX_ID >> 22)
    check_int(worker_id, "worker_id", minimum=0, maximum=MAX_WORKER_ID)
    check_int(sequence, "sequence", minimum=0, maximum=MAX_SEQUENCE)
    return (elapsed << _TIME_SHIFT) | (worker_id << _WORKER_SHIFT) | sequence


def snowflake_parts(id: int, epoch_ms: int = TWITTER_EPOCH_MS) -> tuple[int, int, int]:
    """Split an ID into ``(unix_ms, worker_id, sequence)``.

    Args:
        id: a Snowflake ID, 0..2**63 - 1.
        epoch_ms: the epoch it was made with (Twitter's by default; Discord's
            is 1420070400000).

    Raises:
        ValueError: a negative or over-63-bit ``id``, or a negative ``epoch_ms``.
        TypeError: not an int (``bool`` included).

    Complexity: O(1).

    >>> snowflake_parts(175928847299117063, epoch_ms=1420070400000)  # Discord's example
    (1462015105796, 32, 7)
    >>> snowflake_parts(-1)
    Traceback (most recent call last):
        ...
    ValueError: id must be in [0, 9223372036854775807], got -1
    """
    check_int(id, "id", minimum=0, maximum=MAX_ID)
    check_int(epoch_ms, "epoch_ms", minimum=0)
    return (
        (id >> _TIME_SHIFT) + epoch_ms,
        (id >> _WORKER_SHIFT) & MAX_WORKER_ID,
        id & MAX_SEQUENCE,
    )


def base62_encode(n: int) -> str:
    """Write a non-negative integer in base 62 (``0-9A-Za-z``); ``0`` is ``'0'``.

    Raises:
        ValueError: ``n`` is negative.
        TypeError: ``n`` is not an int (``bool`` included).

    Complexity: O(d^2) for d digits (big-int division); O(d) for 64-bit IDs.

    >>> base62_encode(0), base62_encode(61), base62_encode(62), base62_encode(3844)
    ('0', 'z', '10', '100')
    >>> base62_encode(-5)
    Traceback (most recent call last):
        ...
    ValueError: n must be >= 0, got -5
    """
    check_int(n, "n", minimum=0)
    if n == 0:
        return "0"
    digits = []
    while n:
        n, digit = divmod(n, 62)
        digits.append(BASE62_ALPHABET[digit])
    return "".join(reversed(digits))


def base62_decode(s: str) -> int:
    """Read a base62 string (``0-9A-Za-z``, case-sensitive) back into its integer.

    Leading zeros are allowed, as in ``int('007')``; so ``'007'`` and ``'7'``
    both decode to 7.

    Raises:
        ValueError: empty, longer than ``MAX_BASE62_LENGTH``, or a character
            outside the alphabet (named, with its position).
        TypeError: ``s`` is not a str.

    Complexity: O(d^2) for d characters; O(d) for 64-bit IDs.

    >>> base62_decode("z"), base62_decode("10"), base62_decode("007")
    (61, 62, 7)
    >>> base62_decode("ab-c")
    Traceback (most recent call last):
        ...
    ValueError: invalid base62 character '-' at index 2 in 'ab-c'
    """
    check_str(s, "s", nonempty=True)
    if len(s) > MAX_BASE62_LENGTH:
        raise ValueError(f"base62 string of {len(s)} characters is longer than {MAX_BASE62_LENGTH}")
    n = 0
    for i, ch in enumerate(s):
        value = _BASE62_VALUE.get(ch)
        if value is None:
            raise ValueError(f"invalid base62 character {ch!r} at index {i} in {s!r}")
        n = n * 62 + value
    return n
