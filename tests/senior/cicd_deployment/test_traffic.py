"""The weighted splitter: exact shares per cycle, blue-green flips and canary steps."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.senior.cicd_deployment import CANARY_STEPS, TrafficSplitter, canary_weights

weights_st = st.dictionaries(
    st.sampled_from(["blue", "green", "stable", "canary", "shadow"]),
    st.integers(min_value=0, max_value=30),
    min_size=1,
).filter(lambda w: sum(w.values()) > 0)


@given(weights_st, st.integers(min_value=1, max_value=3))
def test_every_cycle_gives_each_pool_exactly_its_weight(
    weights: dict[str, int], cycles: int
) -> None:
    lb = TrafficSplitter(weights)
    total = sum(weights.values())
    for _ in range(cycles):
        counts = Counter(lb.pick() for _ in range(total))
        assert counts == Counter({p: w for p, w in weights.items() if w > 0})


@pytest.mark.parametrize("percent", [0, *CANARY_STEPS])
def test_canary_steps_give_exact_shares_of_100_requests(percent: int) -> None:
    lb = TrafficSplitter(canary_weights(percent))
    counts = Counter(lb.pick() for _ in range(100))
    assert counts["canary"] == percent
    assert counts["stable"] == 100 - percent
    assert lb.share("canary") == percent / 100


def test_blue_green_flip_is_immediate_and_total() -> None:
    lb = TrafficSplitter(canary_weights(0, stable="blue", canary="green"))
    assert {lb.pick() for _ in range(50)} == {"blue"}
    lb.set_weights(canary_weights(100, stable="blue", canary="green"))
    assert {lb.pick() for _ in range(50)} == {"green"}
    lb.set_weights({"blue": 100, "green": 0})  # rollback: the old pool is still deployed
    assert {lb.pick() for _ in range(50)} == {"blue"}


def test_canary_picks_are_spread_not_bunched() -> None:
    lb = TrafficSplitter(canary_weights(25))
    picks = [lb.pick() for _ in range(100)]
    positions = [i for i, p in enumerate(picks) if p == "canary"]
    gaps = {b - a for a, b in itertools.pairwise(positions)}
    assert gaps == {4}


def test_weights_are_a_copy() -> None:
    lb = TrafficSplitter({"a": 1})
    lb.weights["a"] = 5
    assert lb.weights == {"a": 1}


@pytest.mark.parametrize(
    ("weights", "error", "message"),
    [
        ({}, ValueError, "weights must name at least one pool, got {}"),
        ({"a": 0}, ValueError, "at least one weight must be positive, got {'a': 0}"),
        ({"a": -1, "b": 2}, ValueError, "weight of 'a' must be >= 0, got -1"),
        ({"a": True}, TypeError, "weight of 'a' must be an int, got bool: True"),
        ({"a": 1.5}, TypeError, "weight of 'a' must be an int, got float: 1.5"),
        ({"": 1}, ValueError, "pool name must be a non-empty str, got ''"),
        ({3: 1}, TypeError, "pool name must be a str, got int: 3"),
        ([("a", 1)], TypeError, "weights must be a mapping of pool -> weight, got list"),
    ],
)
def test_bad_weights(weights: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        TrafficSplitter(weights)  # type: ignore[arg-type]
    assert message in str(info.value)
    lb = TrafficSplitter({"a": 1})
    with pytest.raises(error):
        lb.set_weights(weights)  # type: ignore[arg-type]
    assert lb.weights == {"a": 1}  # a refused change leaves the old weights in force


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"percent": -1}, ValueError, "percent must be in [0, 100], got -1"),
        ({"percent": True}, TypeError, "percent must be an int, got bool: True"),
        ({"percent": 5.0}, TypeError, "percent must be an int, got float: 5.0"),
        ({"percent": 5, "stable": "x", "canary": "x"}, ValueError, "must differ, got 'x' twice"),
        ({"percent": 5, "canary": ""}, ValueError, "canary must be a non-empty str"),
    ],
)
def test_bad_canary_weights(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        canary_weights(**kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_huge_weights_still_exact() -> None:
    lb = TrafficSplitter({"stable": 20_000 - 1, "canary": 1})
    assert Counter(lb.pick() for _ in range(20_000))["canary"] == 1
