"""Balancing policies: one contract, nginx's smooth WRR, least connections, balls into bins."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.load_balancing import (
    LeastConnections,
    PowerOfTwoChoices,
    RandomChoice,
    RoundRobin,
    SmoothWeightedRoundRobin,
    max_load,
    max_load_table,
)

BACKENDS = ["a", "b", "c", "d"]
FACTORIES: dict[str, Callable[[list[str]], Any]] = {
    "rr": lambda bs: RoundRobin(bs),
    "swrr": lambda bs: SmoothWeightedRoundRobin(dict.fromkeys(bs, 1)),
    "lc": lambda bs: LeastConnections(bs),
    "random": lambda bs: RandomChoice(bs, rng=random.Random(1)),
    "p2c": lambda bs: PowerOfTwoChoices(bs, rng=random.Random(1)),
}


@pytest.mark.parametrize("name", FACTORIES)
def test_contract_picks_members_and_tracks_in_flight(name: str) -> None:
    lb = FACTORIES[name](BACKENDS)
    picks = [lb.pick() for _ in range(400)]
    assert set(picks) <= set(BACKENDS)
    assert sum(lb.active.values()) == 400
    for p in picks:
        lb.done(p)
    assert set(lb.active.values()) == {0}
    with pytest.raises(ValueError, match="no request in flight on 'a'"):
        lb.done("a")
    with pytest.raises(KeyError, match="unknown backend 'zz'"):
        lb.done("zz")


@pytest.mark.parametrize("name", ["rr", "swrr", "lc"])
def test_deterministic_policies_are_exactly_even(name: str) -> None:
    lb = FACTORIES[name](BACKENDS)
    assert Counter(lb.pick() for _ in range(400)) == dict.fromkeys(BACKENDS, 100)


@pytest.mark.parametrize("name", [n for n in FACTORIES if n != "swrr"])
@pytest.mark.parametrize(
    ("backends", "error", "message"),
    [
        ([], ValueError, "must not be empty"),
        (["a", "a"], ValueError, "duplicates ['a']"),
        ("ab", TypeError, "got str: 'ab'"),
        (["a", None], TypeError, "got NoneType: None"),
    ],
)
def test_contract_bad_backends(
    name: str, backends: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as exc:
        FACTORIES[name](backends)
    assert message in str(exc.value)


def test_nginx_commit_example_5_1_1() -> None:
    # nginx "Upstream: smooth weighted round-robin balancing" (2012): { a, a, b, a, c, a, a }.
    lb = SmoothWeightedRoundRobin({"a": 5, "b": 1, "c": 1})
    assert [lb.pick() for _ in range(14)] == list("aabacaa" * 2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 20), min_size=1, max_size=6))
def test_swrr_gives_each_backend_exactly_its_weight_in_every_cycle(weights: list[int]) -> None:
    names = [f"s{i}" for i in range(len(weights))]
    lb = SmoothWeightedRoundRobin(dict(zip(names, weights, strict=True)))
    total = sum(weights)
    for _ in range(3):
        cycle = Counter(lb.pick() for _ in range(total))
        assert cycle == dict(zip(names, weights, strict=True))
        assert set(lb.current.values()) == {0}  # the state returns to zero after each cycle
    # Smooth: the heaviest backend never gets more than weight / total of a prefix, rounded up.
    seq = [lb.pick() for _ in range(total)]
    heavy = max(names, key=lambda n: dict(zip(names, weights, strict=True))[n])
    w = max(weights)
    for k in range(1, total + 1):
        assert seq[:k].count(heavy) <= -(-k * w // total)


@pytest.mark.parametrize(
    ("weight", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (True, TypeError),
        (1.5, TypeError),
        (float("nan"), TypeError),
    ],
)
def test_swrr_bad_weights(weight: Any, error: type[Exception]) -> None:
    with pytest.raises(TypeError, match="must be a mapping"):
        SmoothWeightedRoundRobin(["a"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must not be empty"):
        SmoothWeightedRoundRobin({})
    with pytest.raises(error) as exc:
        SmoothWeightedRoundRobin({"a": 1, "b": weight})
    assert repr(weight) in str(exc.value)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3)), max_size=60))
def test_least_connections_matches_a_brute_force_model(ops: list[tuple[bool, int]]) -> None:
    lb = LeastConnections(BACKENDS)
    model = dict.fromkeys(BACKENDS, 0)
    for is_pick, which in ops:
        if is_pick:
            expected = min(BACKENDS, key=lambda b: (model[b], BACKENDS.index(b)))
            assert lb.pick() == expected
            model[expected] += 1
        elif model[BACKENDS[which]]:
            lb.done(BACKENDS[which])
            model[BACKENDS[which]] -= 1
    assert lb.active == model


def test_power_of_two_choices_keeps_load_tighter_than_random() -> None:
    spread = {}
    for name in ("random", "p2c"):
        lb = FACTORIES[name]([f"b{i}" for i in range(50)])
        for _ in range(1000):
            lb.pick()
        spread[name] = max(lb.active.values()) - min(lb.active.values())
    assert spread["p2c"] < spread["random"] / 2


def test_two_choices_beat_one_and_stay_flat_as_n_grows() -> None:
    # Azar et al.: max load ~ ln n / ln ln n with one choice, ln ln n / ln 2 + O(1) with two.
    rows = max_load_table([1_000, 30_000], trials=2, seed=3)
    for r in rows:
        assert r.two_choices < r.one_choice
    assert rows[1].one_choice - rows[0].one_choice >= 1  # one choice keeps growing
    assert rows[1].two_choices - rows[0].two_choices <= 1  # two choices barely moves
    assert all(max_load(2000, 2, random.Random(s)) <= 4 for s in range(5))


@pytest.mark.parametrize(
    ("args", "error"),
    [((0, 1), ValueError), ((10, 0), ValueError), ((True, 2), TypeError), ((10, 2.0), TypeError)],
)
def test_max_load_bad_input(args: tuple[Any, ...], error: type[Exception]) -> None:
    with pytest.raises(error):
        max_load(args[0], args[1], random.Random(0))


def test_max_load_table_bad_input() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        max_load_table([])
    with pytest.raises(ValueError, match="n must be in \\[3, 10000000\\], got 2"):
        max_load_table([2])
    with pytest.raises(ValueError, match="trials"):
        max_load_table([10], trials=0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: PowerOfTwoChoices(["a", "b"], rng=3),  # type: ignore[arg-type]
        lambda: max_load(10, 1, None),  # type: ignore[arg-type]
    ],
)
def test_a_random_source_that_is_not_a_random_is_refused(call: Callable[[], object]) -> None:
    with pytest.raises(TypeError, match="rng must be a random.Random"):
        call()
