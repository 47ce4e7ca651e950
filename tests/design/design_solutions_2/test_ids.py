"""Snowflake IDs against Twitter's layout, a clock that steps back, and base62 round trips."""

from __future__ import annotations

import itertools
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.design.design_solutions_2 import (
    BASE62_ALPHABET,
    TWITTER_EPOCH_MS,
    ClockMovedBackwardsError,
    Snowflake,
    base62_decode,
    base62_encode,
    compose_snowflake,
    snowflake_parts,
)


class FakeClock:
    """Milliseconds that move only when told to, or when the generator sleeps."""

    def __init__(self, ms: int) -> None:
        self.ms = ms
        self.slept = 0.0

    def __call__(self) -> int:
        return self.ms

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.ms += max(1, round(seconds * 1000))


def test_layout_is_twitters_41_10_12_with_its_epoch() -> None:
    # IdWorker.scala: twepoch = 1288834974657L; sequenceBits = 12; worker bits 5 + 5.
    assert TWITTER_EPOCH_MS == 1288834974657
    clock = FakeClock(TWITTER_EPOCH_MS + 1)
    gen = Snowflake(0b1010110011, clock=clock)
    snowflake = gen.next_id()
    assert snowflake == (1 << 22) | (0b1010110011 << 12)
    assert snowflake_parts(snowflake) == (TWITTER_EPOCH_MS + 1, 0b1010110011, 0)
    assert compose_snowflake((1 << 41) - 1 + TWITTER_EPOCH_MS, 1023, 4095) == 2**63 - 1


def test_discord_documented_example_decodes_to_its_timestamp() -> None:
    # Discord API reference, "Snowflakes": 175928847299117063 is 2016-04-30 11:18:25.796 UTC,
    # internal worker 1, process 0, increment 7 (Discord epoch 1420070400000).
    unix_ms, machine, sequence = snowflake_parts(175928847299117063, epoch_ms=1420070400000)
    assert unix_ms == 1462015105796
    assert (machine >> 5, machine & 31, sequence) == (1, 0, 7)


def test_clock_stepping_back_holds_the_last_millisecond_and_ids_keep_increasing() -> None:
    clock = FakeClock(TWITTER_EPOCH_MS + 1000)
    gen = Snowflake(3, clock=clock, sleep=clock.sleep)
    ids = [gen.next_id() for _ in range(3)]
    clock.ms -= 500  # NTP steps the clock back half a second
    ids += [gen.next_id() for _ in range(5)]
    assert all(a < b for a, b in itertools.pairwise(ids))
    assert {snowflake_parts(i)[0] for i in ids} == {TWITTER_EPOCH_MS + 1000}
    assert gen.clock_regressions == 5


def test_exhausted_sequence_while_clock_is_behind_sleeps_until_it_catches_up() -> None:
    clock = FakeClock(TWITTER_EPOCH_MS + 1000)
    gen = Snowflake(3, clock=clock, sleep=clock.sleep)
    first = gen.next_id()
    clock.ms -= 50
    ids = [first] + [gen.next_id() for _ in range(4096)]
    assert all(a < b for a, b in itertools.pairwise(ids))
    assert snowflake_parts(ids[-1])[0] == TWITTER_EPOCH_MS + 1001
    assert snowflake_parts(ids[-1])[2] == 0
    assert gen.waits >= 1
    assert clock.slept == pytest.approx(0.051)


def test_clock_far_behind_is_refused_like_twitters_invalid_system_clock() -> None:
    clock = FakeClock(TWITTER_EPOCH_MS + 60_000)
    gen = Snowflake(1, clock=clock, max_backward_ms=1000)
    gen.next_id()
    clock.ms -= 5000
    with pytest.raises(ClockMovedBackwardsError, match="by 5000 ms"):
        gen.next_id()
    clock.ms += 5001
    assert snowflake_parts(gen.next_id())[0] == TWITTER_EPOCH_MS + 60_001


def test_sequence_exhaustion_waits_for_the_next_millisecond() -> None:
    clock = FakeClock(TWITTER_EPOCH_MS)
    gen = Snowflake(9, clock=clock, sleep=clock.sleep)
    ids = [gen.next_id() for _ in range(4096 * 3)]
    assert len(set(ids)) == len(ids) == 4096 * 3
    assert sorted(ids) == ids
    assert [snowflake_parts(i)[0] - TWITTER_EPOCH_MS for i in ids[4095:4097]] == [0, 1]


def test_threads_sharing_a_generator_never_get_the_same_id() -> None:
    clock = FakeClock(TWITTER_EPOCH_MS)
    gen = Snowflake(1, clock=clock, sleep=clock.sleep)
    got: list[list[int]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        got[i].extend(gen.next_id() for _ in range(3000))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [x for ids in got for x in ids]
    assert len(set(everything)) == 12_000
    for ids in got:
        assert ids == sorted(ids)


def test_two_workers_in_the_same_millisecond_never_collide() -> None:
    clock = FakeClock(TWITTER_EPOCH_MS + 7)
    a, b = Snowflake(1, clock=clock), Snowflake(2, clock=clock)
    ids_a = {a.next_id() for _ in range(100)}
    ids_b = {b.next_id() for _ in range(100)}
    assert not ids_a & ids_b


@settings(max_examples=200)
@given(
    st.integers(TWITTER_EPOCH_MS, TWITTER_EPOCH_MS + (1 << 41) - 1),
    st.integers(0, 1023),
    st.integers(0, 4095),
)
def test_compose_and_parts_are_inverse(unix_ms: int, worker: int, seq: int) -> None:
    assert snowflake_parts(compose_snowflake(unix_ms, worker, seq)) == (unix_ms, worker, seq)


@settings(max_examples=300)
@given(st.integers(0, 2**200))
def test_base62_round_trips_and_matches_positional_definition(n: int) -> None:
    code = base62_encode(n)
    assert base62_decode(code) == n
    assert sum(BASE62_ALPHABET.index(c) * 62**i for i, c in enumerate(reversed(code))) == n
    assert code == "0" or code[0] != "0"


@settings(max_examples=200)
@given(st.integers(0, 2**63 - 1), st.integers(0, 2**63 - 1))
def test_base62_of_equal_length_sorts_like_the_numbers(a: int, b: int) -> None:
    ea, eb = base62_encode(a), base62_encode(b)
    if len(ea) == len(eb):
        assert (ea < eb) == (a < b)


def test_base62_known_values() -> None:
    assert [base62_encode(n) for n in (0, 9, 10, 35, 36, 61, 62)] == [
        "0", "9", "A", "Z", "a", "z", "10",
    ]  # fmt: skip
    assert len(base62_encode(2**63 - 1)) == 11


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Snowflake(-1), ValueError, "worker_id must be in [0, 1023], got -1"),
        (lambda: Snowflake(1024), ValueError, "got 1024"),
        (lambda: Snowflake(True), TypeError, "got bool: True"),
        (lambda: Snowflake(1.5), TypeError, "got float: 1.5"),  # type: ignore[arg-type]
        (lambda: Snowflake(1, clock=42), TypeError, "clock must be callable"),  # type: ignore[arg-type]
        (lambda: Snowflake(1, clock=lambda: float("nan")).next_id(), TypeError, "got float: nan"),  # type: ignore[arg-type, return-value]
        (lambda: Snowflake(1, clock=lambda: 5).next_id(), ValueError, "clock() = 5 ms"),
        (lambda: snowflake_parts(-1), ValueError, "got -1"),
        (lambda: snowflake_parts(2**63), ValueError, "got 9223372036854775808"),
        (lambda: snowflake_parts(True), TypeError, "got bool"),
        (lambda: snowflake_parts(1.0), TypeError, "got float"),  # type: ignore[arg-type]
        (lambda: base62_encode(-1), ValueError, "got -1"),
        (lambda: base62_encode(float("inf")), TypeError, "got float: inf"),  # type: ignore[arg-type]
        (lambda: base62_encode(False), TypeError, "got bool"),
        (lambda: base62_decode(""), ValueError, "non-empty str, got ''"),
        (lambda: base62_decode("abc!"), ValueError, "'!' at index 3"),
        (lambda: base62_decode("é"), ValueError, "'é' at index 0"),
        (lambda: base62_decode(62), TypeError, "got int: 62"),  # type: ignore[arg-type]
        (lambda: base62_decode("1" * 1001), ValueError, "longer than 1000"),
    ],
)
def test_bad_input_names_the_value(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
