"""Greedy solutions against breadth-first search and direct simulation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.greedy import PROBLEMS, gas_station, jump_game

FAST = settings(max_examples=40, deadline=None, derandomize=True)


def reachable_last(nums: list[int]) -> bool:
    """Explore every jump length from every reached index."""
    seen, frontier = {0}, [0]
    while frontier:
        i = frontier.pop()
        for j in range(i + 1, min(i + nums[i], len(nums) - 1) + 1):
            if j not in seen:
                seen.add(j)
                frontier.append(j)
    return len(nums) - 1 in seen


@FAST
@given(st.lists(st.integers(0, 3), min_size=1, max_size=12))
def test_jump_game_matches_search(nums: list[int]) -> None:
    assert jump_game(nums) is reachable_last(nums)


def completes_loop(gas: list[int], cost: list[int], start: int) -> bool:
    tank = 0
    for step in range(len(gas)):
        i = (start + step) % len(gas)
        tank += gas[i] - cost[i]
        if tank < 0:
            return False
    return True


@FAST
@given(
    st.integers(1, 7).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 6), min_size=n, max_size=n),
            st.lists(st.integers(0, 6), min_size=n, max_size=n),
        )
    )
)
def test_gas_station_matches_simulating_every_start(pair: tuple[list[int], list[int]]) -> None:
    gas, cost = pair
    valid = [s for s in range(len(gas)) if completes_loop(gas, cost, s)]
    assert gas_station(gas, cost) == (valid[0] if valid else -1)


def test_jump_game_validation() -> None:
    with pytest.raises(ValueError, match=r"nums must be non-empty, got \[\]"):
        jump_game([])
    with pytest.raises(ValueError, match=r"nums\[\d+\] must be >= 0, got -2"):
        jump_game([1, -2])


def test_gas_station_validation() -> None:
    with pytest.raises(ValueError, match=r"got \(0, 0\)"):
        gas_station([], [])


def test_problems() -> None:
    assert {"Jump Game": jump_game, "Gas Station": gas_station} == PROBLEMS
