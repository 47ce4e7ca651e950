"""Shortener, trending, autocomplete, fan-out, sharding and payments against simple models."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.design.design_solutions_2 import (
    TWITTER_EPOCH_MS,
    AliasTakenError,
    AutocompleteTrie,
    FeedSystem,
    IdempotencyKeyReuseError,
    PaymentDeclinedError,
    PaymentService,
    RateLimitedError,
    RequestInProgressError,
    Snowflake,
    TrendingTopics,
    UrlShortener,
    base62_encode,
    geo_shard,
    hash_code,
    hash_shard,
    measure_fanout,
    measure_sharding,
    range_shard,
    zipf_follower_graph,
)
from studybook.senior.rate_limiting.local import TokenBucket


def _ids(ms: list[int]) -> Snowflake:
    return Snowflake(1, clock=lambda: ms[0])


# ---------------------------------------------------------------- shortener


def test_generated_code_that_an_alias_already_took_is_drawn_again() -> None:
    now = [TWITTER_EPOCH_MS + 10]
    short = UrlShortener(_ids(now))
    predicted = base62_encode((10 << 22) | (1 << 12) | 0)  # the first ID this clock will make
    assert short.shorten("https://a.example/", alias=predicted) == predicted
    code = short.shorten("https://b.example/")
    assert code != predicted
    assert short.collisions == 1
    assert short.resolve(predicted) == "https://a.example/"
    assert short.resolve(code) == "https://b.example/"
    short._check_invariants()


def test_hash_codes_use_the_whole_code_space_evenly() -> None:
    # The leading base62 digit of a 256-bit number is never 'z' (2**256 / 62**42 ~ 60.7);
    # the code is the digest mod 62**length, so every digit appears about equally.
    counts = Counter(hash_code(f"https://x.example/{i}", 1) for i in range(31_000))
    assert len(counts) == 62
    chi_square = sum((c - 500) ** 2 / 500 for c in counts.values())
    assert chi_square < 112.3  # the 0.01% critical value for 61 degrees of freedom


def test_hash_strategy_fills_every_code_then_fails_loudly() -> None:
    short = UrlShortener(strategy="hash", code_length=1, capacity=100)
    codes = {short.shorten(f"https://e.example/{i}") for i in range(62)}
    assert len(codes) == 62
    with pytest.raises(RuntimeError, match="code space of 62 is"):
        short.shorten("https://e.example/62")
    short._check_invariants()


def test_hash_strategy_resolves_collisions_and_every_code_resolves() -> None:
    short = UrlShortener(strategy="hash", code_length=1, capacity=100)
    urls = [f"https://example.com/{i}" for i in range(40)]
    codes = [short.shorten(u) for u in urls]
    assert len(set(codes)) == 40  # 62 one-digit codes: collisions were certain
    assert short.collisions > 0
    assert [short.resolve(c) for c in codes] == urls
    assert codes[0] == hash_code(urls[0], 1)  # the first URL got its plain hash
    short._check_invariants()


@settings(max_examples=30)
@given(st.lists(st.tuples(st.integers(0, 30), st.booleans()), max_size=40))
def test_shortener_matches_a_dict_model(ops: list[tuple[int, bool]]) -> None:
    now = [TWITTER_EPOCH_MS]
    short = UrlShortener(_ids(now))
    model: dict[str, str] = {}
    for n, as_alias in ops:
        url = f"https://x.example/{n}"
        now[0] += 1
        if as_alias:
            alias = f"a-{n % 7}"
            if model.get(alias, url) != url:
                with pytest.raises(AliasTakenError):
                    short.shorten(url, alias=alias)
                continue
            model[alias] = short.shorten(url, alias=alias) and url
        else:
            model[short.shorten(url)] = url
        short._check_invariants()
    assert {c: short.resolve(c) for c in model} == model
    assert len(short) == len(model)


def test_rate_limiter_from_the_rate_limiting_chapter_guards_creation() -> None:
    t = [0.0]
    short = UrlShortener(_ids([TWITTER_EPOCH_MS]), limiter=TokenBucket(2, 60.0, clock=lambda: t[0]))
    short.shorten("https://a.example/1", client="bot")
    short.shorten("https://a.example/2", client="bot")
    with pytest.raises(RateLimitedError, match="client 'bot' is rate limited") as info:
        short.shorten("https://a.example/3", client="bot")
    assert info.value.retry_after == pytest.approx(30.0)
    assert short.shorten("https://a.example/1", client="bot")  # existing codes are free
    short.shorten("https://a.example/3", client="human")


# ---------------------------------------------------------------- trending and autocomplete


def test_trending_never_undercounts_and_finds_the_heavy_hitters() -> None:
    now = [0.0]
    tt = TrendingTopics(window=60, bucket=10, width=200, depth=4, clock=lambda: now[0])
    rng = random.Random(3)
    events = []
    for step in range(3000):
        now[0] = step * 0.05  # 150 s of traffic
        rank = min(int(rng.paretovariate(1.0)), 500)
        topic = f"#t{rank}"
        tt.add(topic)
        events.append((now[0], topic))
    start = (int(now[0] // 10) - 5) * 10
    truth = Counter(t for at, t in events if at >= start)
    window = tt.window_sketch()
    n = sum(truth.values())
    assert window.total == n
    for topic, count in truth.items():
        assert count <= window.estimate(topic) <= count + 0.1 * n
    exact_top = [t for t, _ in sorted(truth.items(), key=lambda p: (-p[1], p[0]))[:3]]
    assert [t for t, _ in tt.top(3)] == exact_top


@settings(max_examples=40)
@given(
    st.lists(st.tuples(st.text("abc", min_size=1, max_size=5), st.integers(0, 5)), max_size=60),
    st.text("abc", max_size=3),
)
def test_autocomplete_matches_a_brute_force_sort(adds: list[tuple[str, int]], prefix: str) -> None:
    trie = AutocompleteTrie(k=3)
    counts: Counter[str] = Counter()
    for phrase, n in adds:
        trie.add(phrase, n)
        counts[phrase] += n
        trie._check_invariants()
    brute = sorted(
        ((p, c) for p, c in counts.items() if p.startswith(prefix)), key=lambda x: (-x[1], x[0])
    )
    assert trie.top(prefix) == brute[:3]


# ---------------------------------------------------------------- fan-out


def test_all_strategies_return_the_brute_force_feed() -> None:
    graph = zipf_follower_graph(60, 5, seed=4)
    rng = random.Random(4)
    systems = [FeedSystem(graph, s, celebrity_threshold=8) for s in ("push", "pull", "hybrid")]
    posts: list[tuple[int, int]] = []
    for post_id in range(200):
        author = rng.randrange(60)
        posts.append((author, post_id))
        for system in systems:
            system.post(author, post_id)
    for user in range(60):
        followed = set(graph.following[user])
        brute = sorted((p for a, p in posts if a in followed), reverse=True)[:20]
        assert [s.feed(user) for s in systems] == [brute] * 3


def test_follower_graph_with_a_steep_exponent_and_dense_follows_terminates() -> None:
    # Redrawing duplicates alone never finishes here: user 59 is drawn with probability
    # about 60**-8 per draw. The exact weighted fallback takes over.
    graph = zipf_follower_graph(60, 59, exponent=8, seed=3)
    assert all(f == tuple(v for v in range(60) if v != u) for u, f in enumerate(graph.following))
    steep = zipf_follower_graph(60, 30, exponent=8, seed=3)
    assert all(len(set(f)) == 30 and u not in f for u, f in enumerate(steep.following))
    # weights fall as 1/(r+1)**8: the top 20 are followed by everyone, the bottom 20 by almost
    # no one (seed 3: 59 each, and 21 in all; uniform follows would give about 300)
    assert all(len(steep.followers[v]) == 59 for v in range(20))
    assert sum(len(steep.followers[v]) for v in range(40, 60)) < 30


def test_celebrity_problem_is_measured_not_asserted() -> None:
    graph = zipf_follower_graph(1000, 10, seed=5)
    followers = sorted(len(f) for f in graph.followers)
    assert followers[-1] > 50 * followers[len(followers) // 2]  # power law: star >> median
    rng = random.Random(5)
    authors = [rng.randrange(1000) for _ in range(200)]
    readers = [rng.randrange(1000) for _ in range(200)]
    push, pull, hybrid = measure_fanout(graph, authors, readers, celebrity_threshold=50)
    assert push.celebrity_post_writes == followers[-1] + 1
    assert pull.writes_per_post == 1
    assert pull.reads_per_feed == 10
    assert push.reads_per_feed == 1
    assert hybrid.celebrity_post_writes == 1
    assert hybrid.max_writes_per_post <= 50
    assert 1 < hybrid.reads_per_feed < pull.reads_per_feed


# ---------------------------------------------------------------- sharding


def test_range_sharding_is_hot_and_hash_sharding_is_limited_by_the_hottest_key() -> None:
    loads = {s.scheme: s for s in measure_sharding(n_requests=20_000, shards=8, seed=1)}
    assert all(sum(s.loads) == 20_000 for s in loads.values())
    assert loads["range"].skew > 2 * loads["hash"].skew
    # Zipf(1) over 10,000 keys: key 0 alone is 1/H(10000), about 10% of the traffic.
    assert loads["hash"].hottest_share > 0.1
    assert loads["hash"].skew < loads["range"].skew


def test_shard_functions_on_edges() -> None:
    assert range_shard(-5, [0, 10]) == 0
    assert range_shard(10, [0, 10]) == 2
    assert geo_shard(-90, -180, 4) == 0
    assert geo_shard(90, 180, 4) == 3
    counts = Counter(hash_shard(f"user:{i}", 4) for i in range(40_000))
    chi_square = sum((c - 10_000) ** 2 / 10_000 for c in counts.values())
    assert chi_square < 16.27  # the 0.1% critical value for 3 degrees of freedom


# ---------------------------------------------------------------- payments


def test_threads_hammering_one_key_charge_exactly_once() -> None:
    # The gateway takes 20 ms, so every retry arrives while the first charge is still
    # running: a check-then-charge service calls this gateway 32 times (measured), and
    # with the instant default ledger the same broken service passed 50 runs out of 50.
    calls: list[str] = []

    def slow_gateway(key: str, amount: int, currency: str, customer: str) -> str:
        calls.append(key)
        time.sleep(0.02)
        return f"ch_{len(calls)}"

    svc = PaymentService(slow_gateway)
    barrier = threading.Barrier(32)
    results = []
    lock = threading.Lock()

    def attempt() -> None:
        barrier.wait()
        r = svc.charge("k-1", 500, "usd", "cus_1")
        with lock:
            results.append(r)

    threads = [threading.Thread(target=attempt) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["k-1"]
    assert len(results) == 32
    assert set(results) == {results[0]}
    assert results[0].charge_id == "ch_1"
    assert svc.replays == 31


def test_concurrent_different_keys_each_charge_once_with_distinct_ids() -> None:
    svc = PaymentService()
    barrier = threading.Barrier(8)
    ids: list[str | None] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        barrier.wait()
        for j in range(50):
            r = svc.charge(f"k-{i}-{j}", 100, "usd", "c")
            with lock:
                ids.append(r.charge_id)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(svc.charges) == len(set(ids)) == 400


def test_slow_gateway_concurrent_retry_waits_or_gets_409() -> None:
    release = threading.Event()
    calls = []

    def gateway(key: str, amount: int, currency: str, customer: str) -> str:
        calls.append(key)
        release.wait(5)
        return "ch_slow"

    svc = PaymentService(gateway)
    first = threading.Thread(target=svc.charge, args=("k", 100, "usd", "c"))
    first.start()
    while not calls:
        threading.Event().wait(0.001)
    with pytest.raises(RequestInProgressError, match="'k' is in progress"):
        svc.charge("k", 100, "usd", "c", wait=False)
    release.set()
    first.join()
    assert svc.charge("k", 100, "usd", "c").charge_id == "ch_slow"
    assert calls == ["k"]


def test_decline_is_replayed_and_a_crash_lets_the_retry_run() -> None:
    outcomes = iter([PaymentDeclinedError("card declined"), ConnectionError("reset"), "ch_9"])

    def gateway(key: str, amount: int, currency: str, customer: str) -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return str(outcome)

    svc = PaymentService(gateway)
    declined = svc.charge("a", 100, "usd", "c")
    assert (declined.status, declined.message) == ("declined", "card declined")
    assert svc.charge("a", 100, "usd", "c") == declined
    with pytest.raises(ConnectionError):
        svc.charge("b", 100, "usd", "c")
    assert svc.charge("b", 100, "usd", "c").charge_id == "ch_9"


def test_keys_expire_after_ttl() -> None:
    t = [0.0]
    svc = PaymentService(ttl=86_400, clock=lambda: t[0])
    svc.charge("k", 100, "usd", "c")
    t[0] = 86_399.0
    svc.charge("k", 100, "usd", "c")
    t[0] = 86_400.0
    svc.charge("k", 100, "usd", "c")
    assert len(svc.charges) == 2


def test_expired_records_are_dropped_and_live_ones_kept() -> None:
    t = [0.0]
    svc = PaymentService(ttl=10, clock=lambda: t[0])
    for i in range(100):
        t[0] = float(i)
        svc.charge(f"k{i}", 100, "usd", "c")
    assert sorted(svc._records) == sorted(f"k{i}" for i in range(90, 100))
    t[0] = 95.0
    assert svc.charge("k89", 100, "usd", "c").charge_id == "ch_000101"  # expired: charged again
    assert svc.charge("k95", 100, "usd", "c").charge_id == "ch_000096"  # live: replayed


def test_expiry_looks_at_each_record_a_bounded_number_of_times() -> None:
    # Each request used to scan every record for expiry (8,000 keys took 4.5 s).
    # Counted, not timed: an expiry pass looks at the stale prefix it removes
    # plus the first live record, so n requests look at no more than 2n records;
    # a scan of every record would look at n(n - 1)/2.
    looked = 0

    class CountingDict(dict[str, object]):
        def items(self):  # type: ignore[no-untyped-def]
            nonlocal looked
            for item in super().items():
                looked += 1
                yield item

    now = [0.0]
    for ttl, n in [(1e9, 2_000), (10.0, 2_000)]:  # nothing expires; most expire
        looked = 0
        svc = PaymentService(ttl=ttl, clock=lambda: now[0])
        svc._records = CountingDict()  # type: ignore[assignment]
        for i in range(n):
            now[0] = float(i)
            svc.charge(f"k{i}", 1, "usd", "c")
        assert len(svc.charges) == n
        assert looked <= 2 * n, (ttl, looked)


def test_different_body_with_same_key_is_an_error_naming_the_key() -> None:
    svc = PaymentService()
    svc.charge("order-7", 100, "usd", "c")
    for amount, currency, customer in [(101, "usd", "c"), (100, "eur", "c"), (100, "usd", "d")]:
        with pytest.raises(IdempotencyKeyReuseError, match="'order-7'"):
            svc.charge("order-7", amount, currency, customer)
    assert len(svc.charges) == 1


# ---------------------------------------------------------------- bad input

NAN, INF = float("nan"), float("inf")
_svc = PaymentService()
_short = UrlShortener(Snowflake(0, clock=lambda: TWITTER_EPOCH_MS))
_trie = AutocompleteTrie(2)
_graph = zipf_follower_graph(10, 2)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: _short.shorten(""), ValueError, "got ''"),
        (lambda: _short.shorten("ftp://x.example/"), ValueError, "got 'ftp://x.example/'"),
        (lambda: _short.shorten("https://x.example/" + "a" * 3000), ValueError, "longer than"),
        (lambda: _short.shorten("https://x.example/", alias="a b"), ValueError, "got 'a b'"),
        (lambda: _short.shorten("https://x.example/", alias=""), ValueError, "got ''"),
        (lambda: _short.resolve("nope"), KeyError, "'nope'"),
        (lambda: UrlShortener(None), TypeError, "needs a Snowflake, got None"),
        (lambda: UrlShortener(strategy="md5"), ValueError, "got 'md5'"),  # type: ignore[arg-type]
        (lambda: hash_code("https://x/", True), TypeError, "got bool"),
        (lambda: TrendingTopics(window=NAN), ValueError, "got nan"),
        (lambda: TrendingTopics(window=INF), ValueError, "got inf"),
        (lambda: TrendingTopics(window=65, bucket=10), ValueError, "whole multiple"),
        (lambda: TrendingTopics().add("", 1), ValueError, "got ''"),
        (lambda: TrendingTopics().add("#x", -1), ValueError, "got -1"),
        (lambda: TrendingTopics().top(0), ValueError, "got 0"),
        (lambda: _trie.add("x", True), TypeError, "got bool"),
        (lambda: _trie.top("x", 3), ValueError, "got 3"),
        (lambda: AutocompleteTrie(0), ValueError, "got 0"),
        (lambda: zipf_follower_graph(10, 10), ValueError, "got 10"),
        (lambda: zipf_follower_graph(10, 2, exponent=NAN), ValueError, "got nan"),
        (lambda: zipf_follower_graph(10**6, 11), ValueError, "got 1000000 * 11"),
        (lambda: FeedSystem(_graph, "push").post(10, 1), ValueError, "got 10"),
        (lambda: FeedSystem(_graph, "push").post(1, -1), ValueError, "got -1"),
        (lambda: FeedSystem(_graph, "fanout"), ValueError, "got 'fanout'"),  # type: ignore[arg-type]
        (lambda: measure_fanout(_graph, [], [1]), ValueError, "got [], [1]"),
        (lambda: hash_shard("k", 0), ValueError, "got 0"),
        (lambda: range_shard(1, [5, 5]), ValueError, "got [5, 5]"),
        (lambda: range_shard(1, None), TypeError, "got None"),  # type: ignore[arg-type]
        (lambda: measure_sharding(n_keys=4, shards=8), ValueError, "shards = 8, got 4"),
        (lambda: TrendingTopics(window=1e308, bucket=1e-300), ValueError, "whole multiple"),
        (lambda: geo_shard(NAN, 0, 4), ValueError, "got nan"),
        (lambda: geo_shard(0, 181, 4), ValueError, "got 181"),
        (lambda: _svc.charge("", 100, "usd", "c"), ValueError, "got ''"),
        (lambda: _svc.charge("k" * 256, 100, "usd", "c"), ValueError, "got 256"),
        (lambda: _svc.charge("k", 0, "usd", "c"), ValueError, "got 0"),
        (lambda: _svc.charge("k", 1.5, "usd", "c"), TypeError, "got float: 1.5"),  # type: ignore[arg-type]
        (lambda: _svc.charge("k", True, "usd", "c"), TypeError, "got bool"),
        (lambda: _svc.charge("k", 100, "dollars", "c"), ValueError, "got 'dollars'"),
        (lambda: PaymentService(ttl=NAN), ValueError, "got nan"),
        (lambda: _short.shorten("https://e.com/a b"), ValueError, "spaces or control"),
        (lambda: _short.shorten("https://e.com/a\r\nSet-Cookie: x"), ValueError, "control"),
        (
            lambda: PaymentService(clock=lambda: NAN).charge("k", 100, "usd", "c"),
            ValueError,
            "clock() must be a finite number, got nan",
        ),
        (lambda: TrendingTopics(width=10**9), ValueError, "got 1000000000 * 5 * 5"),
    ],
)
def test_bad_input_names_the_value(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


def test_figures_the_chapter_prose_quotes_are_what_the_code_measures() -> None:
    # docs/design/design-solutions-2.md restates these in words under its two tables.
    graph = zipf_follower_graph(2000, 20, seed=7)
    rng = random.Random(7)
    authors = [rng.randrange(2000) for _ in range(500)]
    readers = [rng.randrange(2000) for _ in range(500)]
    push, pull, hybrid = measure_fanout(graph, authors, readers, celebrity_threshold=100)
    assert (round(push.writes_per_post, 1), push.celebrity_post_writes) == (22.5, 1887)
    assert round(push.celebrity_post_writes / push.writes_per_post) == 84  # "about 84 times"
    assert hybrid.max_writes_per_post == 91
    assert round(hybrid.reads_per_feed) == 11
    assert pull.reads_per_feed == 20
    loads = {s.scheme: s for s in measure_sharding()}
    assert round(loads["hash"].skew) == 2  # "about twice its fair share"
    assert loads["range"].skew > 6  # "more than six times"
    assert 0.75 < loads["range"].hottest_share < 0.8  # "almost four fifths"
