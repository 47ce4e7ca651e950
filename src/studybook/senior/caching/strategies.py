"""Five caching strategies over a slow backing store, on a simulated clock.

Every strategy answers two questions: who loads a missing key into the cache
(the application, or the cache itself), and what a write does to the cache and
to the store. All five here share one :class:`Strategy` protocol, one
:class:`TTLCache` (LRU capacity plus a time to live) and one :class:`SlowStore`
whose reads and writes advance a :class:`SimClock`, so a workload's hit ratio,
store traffic, latency and stale reads come out of running it, not out of a
table typed by hand.

==============  ===========================  ==================================  ============
strategy        read miss                    write                               stale reads
==============  ===========================  ==================================  ============
cache-aside     the app loads and fills      store, then delete the cached copy  other writers
read-through    the cache's loader fills     store, then delete the cached copy  other writers
write-through   the cache's loader fills     store and cache, synchronously      other writers
write-behind    the cache's loader fills     cache now, store in a later batch   other writers
write-around    the app loads and fills      store only; the copy lives to TTL   own writes too
==============  ===========================  ==================================  ============

"Other writers" are writes that reach the store without passing through this
cache (another service, a migration): every strategy serves them stale until
the TTL ends, which is why a TTL is the backstop of every invalidation scheme.

>>> clock = SimClock()
>>> store = SlowStore(clock, {"user:1": "Ada"})
>>> aside = CacheAside(TTLCache(clock, capacity=100, ttl=60.0), store)
>>> aside.get("user:1"), aside.get("user:1"), aside.stats.hits, aside.stats.misses
('Ada', 'Ada', 1, 1)

Primary sources: R. Nishtala et al., "Scaling Memcache at Facebook", NSDI 2013
(look-aside caching, delete on write, leases); the AWS whitepaper "Database
Caching Strategies Using Redis" (2017; cache-aside/lazy loading, write-through,
TTLs).
"""

from __future__ import annotations

import math
import random
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from studybook._validate import check_callable, check_int, check_real, check_str

__all__ = [
    "STRATEGIES",
    "CacheAside",
    "CacheStats",
    "Op",
    "ReadThrough",
    "SimClock",
    "SlowStore",
    "Strategy",
    "StrategyBase",
    "TTLCache",
    "WorkloadResult",
    "WriteAround",
    "WriteBehind",
    "WriteThrough",
    "make_workload",
    "run_workload",
]


class SimClock:
    """A simulated clock in seconds that only code moves forward.

    >>> clock = SimClock(); clock.advance(0.5); clock()
    0.5
    >>> clock.advance(-1)
    Traceback (most recent call last):
        ...
    ValueError: seconds must be a finite number >= 0, got -1
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = check_real(start, "start")

    def __call__(self) -> float:
        """Return the current simulated time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (>= 0)."""
        self.now += check_real(seconds, "seconds", low=0)


class SlowStore:
    """The backing store (a database): a dict whose every call costs simulated time.

    Args:
        clock: the :class:`SimClock` that each call advances.
        data: the initial rows.
        read_latency: seconds per read.
        write_latency: seconds per write (one call, even for a batch).

    Attributes:
        reads: read calls served.
        writes: write calls served (a batch counts once).
    """

    def __init__(
        self,
        clock: SimClock,
        data: Mapping[str, str] | None = None,
        *,
        read_latency: float = 0.010,
        write_latency: float = 0.010,
    ) -> None:
        if not isinstance(clock, SimClock):
            raise TypeError(f"clock must be a SimClock, got {type(clock).__name__}: {clock!r}")
        self.clock = clock
        self.data: dict[str, str] = dict(data or {})
        self.read_latency = check_real(read_latency, "read_latency", low=0)
        self.write_latency = check_real(write_latency, "write_latency", low=0)
        self.reads = 0
        self.writes = 0

    def read(self, key: str) -> str | None:
        """Return the row for ``key`` (``None`` if there is none), after ``read_latency``."""
        self.clock.advance(self.read_latency)
        self.reads += 1
        return self.data.get(key)

    def write(self, items: Mapping[str, str]) -> None:
        """Write every row of ``items`` in one call, after ``write_latency``."""
        self.clock.advance(self.write_latency)
        self.writes += 1
        self.data.update(items)


class TTLCache:
    """An in-memory cache with a capacity (LRU eviction) and a time to live per entry.

    Expiry is lazy, as in memcached and Redis: an expired entry is dropped when
    it is next looked at. ``jitter`` spreads expiries (each entry lives
    TTL * (1 + u), u uniform in [-jitter, jitter] from the seeded ``rng``) so
    that keys filled together do not expire together.

    Args:
        clock: returns the current time in seconds.
        capacity: the most entries held, >= 1.
        ttl: seconds an entry lives, > 0.
        latency: seconds a lookup costs (advances ``clock`` if it is a :class:`SimClock`).
        jitter: the fraction by which each TTL is randomly shortened or lengthened, in [0, 1).
        rng: the seeded generator for the jitter (required when ``jitter`` > 0).

    Complexity: O(1) per operation.

    >>> clock = SimClock(); c = TTLCache(clock, capacity=2, ttl=10.0)
    >>> c.set("a", "1"); clock.advance(9.9); c.get("a")
    '1'
    >>> clock.advance(0.1); c.get("a") is None
    True
    >>> TTLCache(clock, capacity=2, ttl=float('inf'))
    Traceback (most recent call last):
        ...
    ValueError: ttl must be a finite number > 0, got inf
    """

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        capacity: int = 1024,
        ttl: float = 60.0,
        latency: float = 0.0005,
        jitter: float = 0.0,
        rng: random.Random | None = None,
    ) -> None:
        check_callable(clock, "clock")
        self.clock = clock
        self.capacity = check_int(capacity, "capacity", minimum=1)
        self.ttl = check_real(ttl, "ttl", positive=True)
        self.latency = check_real(latency, "latency", low=0)
        self.jitter = check_real(jitter, "jitter", low=0, high=0.99)
        if self.jitter and not isinstance(rng, random.Random):
            raise TypeError(f"jitter needs rng, a random.Random, got {type(rng).__name__}: {rng!r}")
        self.rng = rng
        self._entries: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def __len__(self) -> int:
        """Return the number of entries, expired ones not yet dropped included."""
        return len(self._entries)

    def get(self, key: str) -> str | None:
        """Return the live value for ``key`` and make it most recent, or ``None``."""
        check_str(key, "key")
        self._pay()
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires = entry
        if self.clock() >= expires:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def set(self, key: str, value: str, ttl: float | None = None) -> None:
        """Store ``value`` for ``ttl`` seconds (default: the cache's TTL); evict the LRU if full.

        Raises:
            TypeError: ``key`` or ``value`` is not a str.
            ValueError: a ``ttl`` that is not a finite number > 0.
        """
        check_str(key, "key")
        check_str(value, "value")
        self._pay()
        life = self.ttl if ttl is None else check_real(ttl, "ttl", positive=True)
        if self.jitter and self.rng is not None:
            life *= 1 + self.rng.uniform(-self.jitter, self.jitter)
        self._entries[key] = (value, self.clock() + life)
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def delete(self, key: str) -> None:
        """Drop ``key`` if present (an invalidation)."""
        check_str(key, "key")
        self._pay()
        self._entries.pop(key, None)

    def expires_at(self, key: str) -> float | None:
        """Return when ``key`` expires, or ``None`` if it is not cached (no latency)."""
        entry = self._entries.get(key)
        return None if entry is None else entry[1]

    def _pay(self) -> None:
        if isinstance(self.clock, SimClock):
            self.clock.advance(self.latency)


@dataclass
class CacheStats:
    """What a strategy did, counted as it ran.

    Attributes:
        hits: reads answered by the cache.
        misses: reads that went to the store.
        stale: reads that returned something other than the latest write.
        read_time: simulated seconds spent in reads.
    """

    hits: int = 0
    misses: int = 0
    stale: int = 0
    read_time: float = 0.0

    @property
    def hit_ratio(self) -> float:
        """Hits over all reads (0.0 before any read)."""
        reads = self.hits + self.misses
        return self.hits / reads if reads else 0.0


class Strategy(Protocol):
    """What every strategy offers the application: read a key, write a key."""

    stats: CacheStats

    def get(self, key: str) -> str | None:
        """Return the value for ``key`` (``None`` if there is none)."""
        ...

    def put(self, key: str, value: str) -> None:
        """Write ``value`` for ``key``."""
        ...


class StrategyBase:
    """The plumbing the five strategies share: cache, store, stats and a timed read path."""

    def __init__(self, cache: TTLCache, store: SlowStore) -> None:
        if not isinstance(cache, TTLCache):
            raise TypeError(f"cache must be a TTLCache, got {type(cache).__name__}: {cache!r}")
        if not isinstance(store, SlowStore):
            raise TypeError(f"store must be a SlowStore, got {type(store).__name__}: {store!r}")
        self.cache = cache
        self.store = store
        self.stats = CacheStats()

    def get(self, key: str) -> str | None:
        """Return the value for ``key``: from the cache, or loaded on a miss."""
        check_str(key, "key")
        start = self.store.clock()
        value = self.cache.get(key)
        if value is not None:
            self.stats.hits += 1
        else:
            self.stats.misses += 1
            value = self._load(key)
        self.stats.read_time += self.store.clock() - start
        return value

    def put(self, key: str, value: str) -> None:
        """Write ``value`` for ``key`` (each strategy decides how)."""
        raise NotImplementedError

    def _load(self, key: str) -> str | None:
        value = self.store.read(key)
        if value is not None:
            self.cache.set(key, value)
        return value


class CacheAside(StrategyBase):
    """Cache-aside (lazy loading): the application checks the cache, loads misses, fills.

    A write updates the store and then *deletes* the cached copy, so the next
    read loads the new value; deleting (rather than setting) is idempotent and
    cannot install an old value when two writers race.

    Complexity: a hit costs one cache call; a miss adds a store read and a cache set.
    """

    def get(self, key: str) -> str | None:
        """Look in the cache; on a miss read the store and fill the cache."""
        check_str(key, "key")
        start = self.store.clock()
        value = self.cache.get(key)  # 1. look aside
        if value is not None:
            self.stats.hits += 1
        else:
            self.stats.misses += 1
            value = self.store.read(key)  # 2. the application loads from the store
            if value is not None:
                self.cache.set(key, value)  # 3. and fills the cache
        self.stats.read_time += self.store.clock() - start
        return value

    def put(self, key: str, value: str) -> None:
        """Write the store, then invalidate the cached copy."""
        check_str(key, "key")
        check_str(value, "value")
        self.store.write({key: value})
        self.cache.delete(key)


class ReadThrough(StrategyBase):
    """Read-through: the cache owns the loader; the application talks only to the cache.

    The read path is cache-aside's moved into the cache library (so every
    caller shares one loader); writes go to the store and invalidate.
    """

    def put(self, key: str, value: str) -> None:
        """Write the store, then invalidate the cached copy."""
        check_str(key, "key")
        check_str(value, "value")
        self.store.write({key: value})
        self.cache.delete(key)


class WriteThrough(StrategyBase):
    """Write-through: a write goes to the store and the cache before it returns.

    Reads after a write hit, at the price of a slower write and of caching
    data that may never be read.
    """

    def put(self, key: str, value: str) -> None:
        """Write the store, then set the cache, synchronously."""
        check_str(key, "key")
        check_str(value, "value")
        self.store.write({key: value})
        self.cache.set(key, value)


class WriteBehind(StrategyBase):
    """Write-behind (write-back): a write lands in the cache now and in the store later.

    Writes are buffered (the latest value per key wins, so repeated writes to
    one key coalesce) and flushed as one batch every ``flush_interval``
    seconds or when ``max_pending`` keys wait. Fast writes and fewer store
    calls; the price is that a crash loses ``pending`` writes, and other
    readers of the store see old data until the flush.

    Args:
        cache: the cache.
        store: the backing store.
        flush_interval: seconds between flushes, > 0.
        max_pending: flush when this many keys are buffered, >= 1.
    """

    def __init__(
        self,
        cache: TTLCache,
        store: SlowStore,
        *,
        flush_interval: float = 1.0,
        max_pending: int = 100,
    ) -> None:
        super().__init__(cache, store)
        self.flush_interval = check_real(flush_interval, "flush_interval", positive=True)
        self.max_pending = check_int(max_pending, "max_pending", minimum=1)
        self.pending: dict[str, str] = {}
        self._next_flush = store.clock() + self.flush_interval

    def get(self, key: str) -> str | None:
        """Read through the cache; a buffered write is the freshest value of all."""
        self._maybe_flush()
        check_str(key, "key")
        if key in self.pending:  # evicted from the cache but not yet in the store
            self.stats.hits += 1
            return self.pending[key]
        return super().get(key)

    def put(self, key: str, value: str) -> None:
        """Set the cache and buffer the write; flush if the batch is due."""
        check_str(key, "key")
        check_str(value, "value")
        self.cache.set(key, value)
        self.pending[key] = value
        self._maybe_flush()

    def flush(self) -> int:
        """Write every buffered write to the store in one call; return how many."""
        count = len(self.pending)
        if count:
            self.store.write(self.pending)
            self.pending = {}
        self._next_flush = self.store.clock() + self.flush_interval
        return count

    def _maybe_flush(self) -> None:
        if len(self.pending) >= self.max_pending or self.store.clock() >= self._next_flush:
            self.flush()


class WriteAround(StrategyBase):
    """Write-around: writes go to the store only; the cache fills on reads.

    Write-once data that is rarely read back never pollutes the cache. The
    cached copy of a key that is written is left to its TTL, so reads can be
    stale for up to one TTL after the application's own write; deleting the
    copy on write turns this into cache-aside.
    """

    def put(self, key: str, value: str) -> None:
        """Write the store only."""
        check_str(key, "key")
        check_str(value, "value")
        self.store.write({key: value})


#: The five strategies by name, in the order the chapter teaches them.
STRATEGIES: dict[str, type[StrategyBase]] = {
    "cache-aside": CacheAside,
    "read-through": ReadThrough,
    "write-through": WriteThrough,
    "write-behind": WriteBehind,
    "write-around": WriteAround,
}


@dataclass(frozen=True)
class Op:
    """One step of a workload: ``get``, ``put`` (through the strategy) or ``external``
    (another writer updates the store directly), then ``pause`` idle seconds."""

    kind: str
    key: str
    value: str = ""
    pause: float = 0.0


@dataclass
class WorkloadResult:
    """The outcome of :func:`run_workload` for one strategy.

    Attributes:
        stats: the strategy's hit, miss and stale counts.
        store_reads: read calls that reached the store.
        store_writes: write calls that reached the store.
        mean_read_ms: mean simulated read latency in milliseconds.
        unflushed: writes still only in the cache at the end (lost if it crashed).
    """

    stats: CacheStats
    store_reads: int
    store_writes: int
    mean_read_ms: float
    unflushed: int = 0


def run_workload(
    name: str,
    ops: Iterable[Op],
    initial: Mapping[str, str],
    *,
    ttl: float = 30.0,
    capacity: int = 1000,
) -> WorkloadResult:
    """Run ``ops`` against a fresh cache and store with strategy ``name``; count everything.

    A read is *stale* when it returns something other than the latest value
    written by anyone (through the strategy or directly to the store).

    Args:
        name: a key of :data:`STRATEGIES`.
        ops: the workload.
        initial: the store's rows at the start.
        ttl: the cache's time to live in seconds.
        capacity: the cache's capacity in entries.

    Raises:
        KeyError: unknown strategy.
        TypeError: an op that is not an :class:`Op`, or a key or value that is not a str.
        ValueError: an op of unknown kind, or a negative pause.

    Complexity: O(len(ops)).

    >>> ops = [Op("get", "k"), Op("external", "k", "v2"), Op("get", "k")]
    >>> r = run_workload("cache-aside", ops, {"k": "v1"})
    >>> r.stats.hits, r.stats.misses, r.stats.stale, r.store_reads
    (1, 1, 1, 1)
    >>> run_workload("write-sideways", ops, {})
    Traceback (most recent call last):
        ...
    KeyError: "unknown strategy 'write-sideways'; choose from cache-aside, ..."
    """
    if check_str(name, "name") not in STRATEGIES:
        raise KeyError(f"unknown strategy {name!r}; choose from {', '.join(STRATEGIES)}")
    clock = SimClock()
    store = SlowStore(clock, initial)
    strategy = STRATEGIES[name](TTLCache(clock, capacity=capacity, ttl=ttl), store)
    truth = dict(initial)
    for op in ops:
        if not isinstance(op, Op):
            raise TypeError(f"ops must hold Op instances, got {type(op).__name__}: {op!r}")
        if op.kind == "get":
            if strategy.get(op.key) != truth.get(op.key):
                strategy.stats.stale += 1
        elif op.kind == "put":
            strategy.put(op.key, op.value)
            truth[op.key] = op.value
        elif op.kind == "external":
            check_str(op.key, "key")
            check_str(op.value, "value")
            store.data[op.key] = op.value  # a writer that bypasses this cache
            truth[op.key] = op.value
        else:
            raise ValueError(f"op kind must be get, put or external, got {op.kind!r}")
        clock.advance(check_real(op.pause, "pause", low=0))
    unflushed = len(strategy.pending) if isinstance(strategy, WriteBehind) else 0
    reads = strategy.stats.hits + strategy.stats.misses
    mean_ms = 1000 * strategy.stats.read_time / reads if reads else 0.0
    return WorkloadResult(strategy.stats, store.reads, store.writes, mean_ms, unflushed)


def make_workload(
    rng: random.Random,
    n_ops: int,
    *,
    n_keys: int = 100,
    read_fraction: float = 0.9,
    external_fraction: float = 0.01,
    skew: float = 1.0,
    pause: float = 0.05,
) -> list[Op]:
    """Return a seeded workload: Zipf-like key popularity, mostly reads, some outside writes.

    Key ``k<i>`` is drawn with weight ``1 / (i + 1) ** skew`` (a few hot keys,
    a long tail, as in most read-heavy services); of the non-read operations,
    ``external_fraction`` (of all operations) bypass the cache.

    Raises:
        TypeError: ``rng`` is not a ``random.Random``.
        ValueError: a count below 1 or a fraction outside [0, 1].

    Complexity: O(n_ops + n_keys).

    >>> [(o.kind, o.key) for o in make_workload(random.Random(1), 3, n_keys=5)]
    [('get', 'k0'), ('get', 'k2'), ('get', 'k1')]
    """
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}: {rng!r}")
    check_int(n_ops, "n_ops", minimum=1)
    check_int(n_keys, "n_keys", minimum=1)
    check_real(read_fraction, "read_fraction", low=0, high=1)
    check_real(external_fraction, "external_fraction", low=0, high=1 - read_fraction)
    check_real(skew, "skew", low=0)
    check_real(pause, "pause", low=0)
    keys = [f"k{i}" for i in range(n_keys)]
    weights = [_zipf_weight(rank, skew) for rank in range(1, n_keys + 1)]
    ops = []
    for n in range(n_ops):
        key = rng.choices(keys, weights)[0]
        roll = rng.random()
        if roll < read_fraction:
            ops.append(Op("get", key, pause=pause))
        elif roll < read_fraction + external_fraction:
            ops.append(Op("external", key, f"x{n}", pause=pause))
        else:
            ops.append(Op("put", key, f"v{n}", pause=pause))
    return ops


def _zipf_weight(rank: int, skew: float) -> float:
    try:
        return 1 / math.pow(rank, skew)
    except OverflowError:  # a huge skew: the tail's weight is 0 to double precision
        return 0.0
