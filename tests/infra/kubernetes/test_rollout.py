"""maxSurge/maxUnavailable rounding against exact fractions; rollout bounds on random settings."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.kubernetes import resolve_fenceposts, rolling_update, scaled_value


@pytest.mark.parametrize(
    ("replicas", "surge", "unavailable", "expected"),
    [
        (10, "25%", "25%", (3, 2)),  # 2.5 -> 3 up, 2.5 -> 2 down
        (4, "25%", "25%", (1, 1)),
        (1, "25%", "25%", (1, 0)),
        (1, "0%", "25%", (0, 1)),  # both resolve to 0: the controller uses unavailable 1
        (3, "50%", 0, (2, 0)),
        (3, 0, "50%", (0, 1)),
        (5, "200%", "100%", (10, 5)),  # maxSurge may exceed 100%
        (3, 1, 7, (1, 3)),  # an int unavailable above replicas is capped
        (0, "25%", "25%", (0, 0)),
    ],
)
def test_fenceposts_examples(
    replicas: int, surge: int | str, unavailable: int | str, expected: tuple[int, int]
) -> None:
    assert resolve_fenceposts(replicas, surge, unavailable) == expected


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 500), st.integers(0, 300), st.integers(0, 100))
def test_percentages_round_surge_up_and_unavailable_down(
    replicas: int, surge_pct: int, unavailable_pct: int
) -> None:
    if surge_pct == 0 and unavailable_pct == 0:
        return
    surge, unavailable = resolve_fenceposts(replicas, f"{surge_pct}%", f"{unavailable_pct}%")
    exact_surge = Fraction(surge_pct * replicas, 100)
    exact_unavailable = Fraction(unavailable_pct * replicas, 100)
    assert surge == math.ceil(exact_surge)
    if math.ceil(exact_surge) == 0 and math.floor(exact_unavailable) == 0:
        assert unavailable == min(1, replicas)
    else:
        assert unavailable == min(math.floor(exact_unavailable), replicas)


int_or_pct = st.one_of(st.integers(0, 12), st.integers(0, 100).map(lambda p: f"{p}%"))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 40), int_or_pct, int_or_pct)
def test_rollout_stays_within_surge_and_unavailability_bounds(
    replicas: int, max_surge: int | str, max_unavailable: int | str
) -> None:
    raw = [int(v[:-1]) if isinstance(v, str) else v for v in (max_surge, max_unavailable)]
    if raw == [0, 0]:
        with pytest.raises(ValueError, match="may not both be 0"):
            rolling_update(replicas, max_surge, max_unavailable)
        return
    surge, unavailable = resolve_fenceposts(replicas, max_surge, max_unavailable)
    steps = rolling_update(replicas, max_surge, max_unavailable)
    for s in steps:
        assert s.total <= replicas + surge
        assert s.available >= replicas - unavailable
        assert 0 <= s.old <= replicas
        assert 0 <= s.new <= replicas
    assert (steps[-1].old, steps[-1].new) == (0, replicas)
    # Progress: every sync changes something, and the rollout ends in bounded time.
    assert len(steps) <= 2 * replicas + 2
    assert all(s.action != "start" for s in steps[1:])


def test_default_rollout_of_ten() -> None:
    got = [(s.action, s.old, s.new, s.available) for s in rolling_update(10)]
    assert got == [
        ("start", 10, 0, 10),
        ("new +3", 10, 3, 10),
        ("old -5", 5, 3, 8),
        ("new +5", 5, 8, 8),
        ("old -5", 0, 8, 8),
        ("new +2", 0, 10, 8),
    ]


def test_surge_only_rollout_never_drops_availability() -> None:
    steps = rolling_update(3, 1, 0)
    assert min(s.available for s in steps) == 3
    assert max(s.total for s in steps) == 4


@pytest.mark.parametrize(
    ("args", "exc", "match"),
    [
        ((10, 0, 0), ValueError, "may not both be 0, got 0 and 0"),
        ((10, "0%", "0%"), ValueError, "may not both be 0, got '0%' and '0%'"),
        (
            (10, "25", "25%"),
            ValueError,
            "maxSurge must be an int or a percentage like '25%', got '25'",
        ),
        ((10, "abc%", "25%"), ValueError, "got 'abc%'"),
        ((10, "25%", "-5%"), ValueError, "maxUnavailable must be an int or a percentage"),
        ((10, "2.5%", "25%"), ValueError, "got '2.5%'"),
        ((10, "", "25%"), ValueError, "got ''"),
        ((10, "25%", "150%"), ValueError, "must not be greater than 100%, got '150%'"),
        ((10, -1, "25%"), ValueError, "maxSurge must be >= 0, got -1"),
        ((10, True, "25%"), TypeError, "maxSurge must be an int, got bool"),
        ((10, 1.5, "25%"), TypeError, "maxSurge must be an int, got float"),
        ((10, None, "25%"), TypeError, "maxSurge must be an int, got NoneType"),
        ((-1, "25%", "25%"), ValueError, "replicas must be >= 0, got -1"),
        ((True, "25%", "25%"), TypeError, "replicas must be an int, got bool"),
    ],
)
def test_rollout_rejects_bad_input(
    args: tuple[object, ...], exc: type[Exception], match: str
) -> None:
    with pytest.raises(exc, match=match):
        resolve_fenceposts(*args)  # type: ignore[arg-type]
    with pytest.raises(exc, match=match):
        rolling_update(*args)  # type: ignore[arg-type]


def test_scaled_value_rounds_each_way() -> None:
    assert scaled_value("33%", 10, round_up=True, what="x") == 4
    assert scaled_value("33%", 10, round_up=False, what="x") == 3
    assert scaled_value(7, 10, round_up=False, what="x") == 7
