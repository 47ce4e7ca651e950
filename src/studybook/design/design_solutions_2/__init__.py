"""System design, Python solutions part 2: IDs, short links, trends, feeds, sharding, payments.

The building blocks behind the classic "design X" questions, each small
enough to read in one sitting and each measured rather than asserted:

- :mod:`~.ids`: Snowflake IDs in Twitter's layout (41-bit time, 10-bit
  worker, 12-bit sequence, epoch 1288834974657) and base62;
- :mod:`~.shortener`: a URL shortener on top of them, with custom aliases,
  collision handling, a Bloom filter and a rate limiter reused from earlier
  chapters;
- :mod:`~.trending`: Count-Min trending topics over a sliding window, and an
  autocomplete trie with top-k per prefix;
- :mod:`~.feed`: news-feed fan-out on write, on read and hybrid, on a
  power-law follower graph, with writes and reads per request counted;
- :mod:`~.sharding`: hash, range and geo sharding and their skew under Zipf;
- :mod:`~.payments`: idempotency keys that survive concurrent retries.

Invariants: IDs from one generator strictly increase, whatever the clock
does; a short code maps to one URL forever; a trending estimate never
undercounts the window; every fan-out strategy returns the same feed; a
payment key charges at most once.

=====================  ==================================  =====================
component              answers                             cost
=====================  ==================================  =====================
Snowflake.next_id      a unique, time-ordered 63-bit ID     O(1)
UrlShortener.shorten   a short code (base62 of an ID)       O(1) expected
TrendingTopics.top     top-k of the window, never under     O(B w d + C log C)
AutocompleteTrie.top   top-k completions of a prefix        O(prefix + k)
FeedSystem.feed        newest posts of followees            push O(1) reads
PaymentService.charge  one charge per idempotency key       O(1) + gateway
=====================  ==================================  =====================

>>> snowflake_parts(1 << 22)
(1288834974658, 0, 0)

Primary sources: twitter-archive/snowflake (``IdWorker.scala``, 2010);
Cormode & Muthukrishnan (2005); Stripe API reference, "Idempotent requests";
IETF draft-ietf-httpapi-idempotency-key-header-07.
"""

from __future__ import annotations

from typing import TextIO

from studybook.design.design_solutions_2.feed import (
    STRATEGIES,
    FanoutStats,
    FeedSystem,
    FollowerGraph,
    measure_fanout,
    zipf_follower_graph,
)
from studybook.design.design_solutions_2.ids import (
    BASE62_ALPHABET,
    MAX_SEQUENCE,
    MAX_WORKER_ID,
    TWITTER_EPOCH_MS,
    ClockMovedBackwardsError,
    Snowflake,
    base62_decode,
    base62_encode,
    compose_snowflake,
    snowflake_parts,
)
from studybook.design.design_solutions_2.payments import (
    ChargeResult,
    IdempotencyKeyReuseError,
    PaymentDeclinedError,
    PaymentService,
    RequestInProgressError,
)
from studybook.design.design_solutions_2.sharding import (
    ShardLoad,
    geo_shard,
    hash_shard,
    measure_sharding,
    range_shard,
    zipf_ranks,
)
from studybook.design.design_solutions_2.shortener import (
    AliasTakenError,
    RateLimitedError,
    UrlShortener,
    hash_code,
)
from studybook.design.design_solutions_2.trending import AutocompleteTrie, TrendingTopics

__all__ = [
    "BASE62_ALPHABET",
    "MAX_SEQUENCE",
    "MAX_WORKER_ID",
    "STRATEGIES",
    "TWITTER_EPOCH_MS",
    "AliasTakenError",
    "AutocompleteTrie",
    "ChargeResult",
    "ClockMovedBackwardsError",
    "FanoutStats",
    "FeedSystem",
    "FollowerGraph",
    "IdempotencyKeyReuseError",
    "PaymentDeclinedError",
    "PaymentService",
    "RateLimitedError",
    "RequestInProgressError",
    "ShardLoad",
    "Snowflake",
    "TrendingTopics",
    "UrlShortener",
    "base62_decode",
    "base62_encode",
    "compose_snowflake",
    "demo",
    "geo_shard",
    "hash_code",
    "hash_shard",
    "measure_fanout",
    "measure_sharding",
    "range_shard",
    "snowflake_parts",
    "zipf_follower_graph",
    "zipf_ranks",
]


def demo(out: TextIO) -> None:
    """Run every component once on seeded data and print what was measured.

    >>> import sys
    >>> demo(sys.stdout)
    Snowflake worker 7, clock reads 100 100 100 95 95 101 ms after the epoch:
       419459072   SO0Su  ms+100  seq 0
       419459073   SO0Sv  ms+100  seq 1
       419459074   SO0Sw  ms+100  seq 2
       419459075   SO0Sx  ms+100  seq 3
       419459076   SO0Sy  ms+100  seq 4
       423653376   Sfbay  ms+101  seq 0
      strictly increasing: True; clock regressions seen: 2
    Hash shortener, 2-digit codes (3844 possible), 500 URLs: 35 collisions rehashed
      535 codes checked, 35 store lookups: the Bloom filter cleared the other 500
    Feed: 2,000 users following 20 each (Zipf 1.0); most-followed user has 1886 followers
    strategy  writes/post  max  reads/feed  max  one celebrity post
    push             22.5 1887         1.0    1                1887
    pull              1.0    1        20.0   20                   1
    hybrid           11.6   91        10.8   17                   1
    Sharding 50,000 Zipf(1.0) requests over 10,000 keys on 8 shards:
      hash             max/mean  2.03  hottest shard  25.4%
      consistent hash  max/mean  1.83  hottest shard  22.9%
      range            max/mean  6.31  hottest shard  78.9%
      geo              max/mean  2.15  hottest shard  26.9%
    Payments: 16 threads retry one key at once: 1 charge, 1 distinct response, 15 replays
    """
    import itertools
    import random
    import threading

    # IDs: a fake clock that steps back 5 ms halfway through.
    offsets = iter([100, 100, 100, 95, 95, 101])
    gen = Snowflake(7, clock=lambda: TWITTER_EPOCH_MS + next(offsets))
    ids = [gen.next_id() for _ in range(6)]
    out.write("Snowflake worker 7, clock reads 100 100 100 95 95 101 ms after the epoch:\n")
    for i in ids:
        ms, _, seq = snowflake_parts(i)
        out.write(f"  {i:>10}  {base62_encode(i):>6}  ms+{ms - TWITTER_EPOCH_MS:<4} seq {seq}\n")
    increasing = all(a < b for a, b in itertools.pairwise(ids))
    out.write(
        f"  strictly increasing: {increasing}; clock regressions seen: {gen.clock_regressions}\n"
    )

    # Hash-strategy shortener with 2-digit codes: collisions happen and are resolved.
    short = UrlShortener(strategy="hash", code_length=2, capacity=1000)
    for i in range(500):
        short.shorten(f"https://example.com/page/{i}")
    checked = 500 + short.collisions
    out.write(
        f"Hash shortener, 2-digit codes ({62**2} possible), 500 URLs: {short.collisions}"
        f" collisions rehashed\n  {checked} codes checked, {short.store_lookups} store lookups:"
        f" the Bloom filter cleared the other {checked - short.store_lookups}\n"
    )

    # Fan-out on a power-law graph.
    graph = zipf_follower_graph(2000, 20, seed=7)
    rng = random.Random(7)  # noqa: S311 - seeded workload
    authors = [rng.randrange(2000) for _ in range(500)]
    readers = [rng.randrange(2000) for _ in range(500)]
    star = max(range(2000), key=lambda u: len(graph.followers[u]))
    out.write(
        f"Feed: 2,000 users following 20 each (Zipf 1.0); most-followed user has"
        f" {len(graph.followers[star])} followers\n"
    )
    out.write("strategy  writes/post  max  reads/feed  max  one celebrity post\n")
    for s in measure_fanout(graph, authors, readers, celebrity_threshold=100):
        out.write(
            f"{s.strategy:<8}{s.writes_per_post:>13.1f}{s.max_writes_per_post:>5}"
            f"{s.reads_per_feed:>12.1f}{s.max_reads_per_feed:>5}{s.celebrity_post_writes:>20}\n"
        )

    # Sharding skew.
    out.write("Sharding 50,000 Zipf(1.0) requests over 10,000 keys on 8 shards:\n")
    for load in measure_sharding():
        out.write(
            f"  {load.scheme:<16} max/mean {load.skew:5.2f}  hottest shard"
            f" {load.hottest_share:6.1%}\n"
        )

    # Idempotency under concurrent retries.
    svc = PaymentService()
    start = threading.Barrier(16)
    results: list[ChargeResult] = []

    def retry() -> None:
        start.wait()
        results.append(svc.charge("order-1234", 4200, "eur", "cus_7"))

    threads = [threading.Thread(target=retry) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.write(
        f"Payments: 16 threads retry one key at once: {len(svc.charges)} charge,"
        f" {len({r.charge_id for r in results})} distinct response, {svc.replays} replays\n"
    )
