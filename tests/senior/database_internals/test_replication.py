"""Log shipping: replicas converge in order, lag is measured, sync mode loses nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.database_internals import LogShipping, simulate_lag


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(0, 3),
    st.integers(0, 2**32),
    st.lists(st.tuples(st.sampled_from("abcd"), st.text("xyz", max_size=3)), max_size=40),
)
def test_replicas_apply_a_prefix_and_converge(
    replicas: int, sync: int, seed: int, writes: list[tuple[str, str]]
) -> None:
    sync = min(sync, replicas)
    sim = LogShipping(replicas, synchronous=sync, delay=(0, 6), seed=seed)
    model: dict[str, str] = {}
    prefixes: list[dict[str, str]] = [{}]
    for key, value in writes:
        sim.write(key, value)
        model[key] = value
        prefixes.append(dict(model))
        for r in range(replicas):
            # A replica's state is always some prefix of the primary's log.
            applied = sim.primary_lsn - sim.lag()[r]
            assert {k: sim.read(r, k) for k in "abcd" if sim.read(r, k) is not None} == prefixes[
                applied
            ]
        # Synchronous: at least `sync` replicas hold every acknowledged write.
        assert sum(lag == 0 for lag in sim.lag()) >= sync
        _, lost = sim.fail_over()
        if sync:
            assert lost == []
    sim.tick(20)
    assert sim.lag() == [0] * replicas
    assert all(sim.read(r, k) == model.get(k) for r in range(replicas) for k in "abcd")


def test_async_failover_loses_acknowledged_writes_sync_does_not() -> None:
    lost = [simulate_lag(100, synchronous=s, seed=s + 5).lost_on_failover for s in (0, 1, 2)]
    assert lost[0] > 0
    assert lost[1:] == [0, 0]


def test_sync_costs_a_round_trip_per_commit() -> None:
    sim = LogShipping(1, synchronous=1, delay=(3, 3))
    sim.write("k", "v")
    assert sim.commit_waits == [6]  # 3 ticks there, 3 back
    assert sim.now == 6


def test_lag_grows_with_delay() -> None:
    slow = simulate_lag(200, delay=(5, 15), seed=2).mean_lag
    fast = simulate_lag(200, delay=(1, 3), seed=2).mean_lag
    assert slow > fast


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"replicas": 0}, ValueError, "replicas must be >= 1, got 0"),
        ({"replicas": True}, TypeError, "replicas must be an int, got bool: True"),
        ({"synchronous": 2}, ValueError, r"synchronous must be in \[0, 1\], got 2"),
        ({"delay": (5, 1)}, ValueError, "delay high must be >= 5, got 1"),
        ({"delay": (-1, 1)}, ValueError, "delay low must be >= 0, got -1"),
        ({"delay": [1, 2]}, TypeError, r"delay must be a \(low, high\) tuple, got \[1, 2\]"),
        ({"delay": (1.0, 2)}, TypeError, "delay low must be an int, got float: 1.0"),
        ({"seed": float("nan")}, TypeError, "seed must be an int, got float: nan"),
    ],
)
def test_bad_constructor_arguments(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        LogShipping(**kwargs)  # type: ignore[arg-type]


def test_bad_method_arguments() -> None:
    sim = LogShipping(2)
    with pytest.raises(TypeError, match="key must be a str, got int: 1"):
        sim.write(1, "v")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ticks must be >= 0, got -1"):
        sim.tick(-1)
    with pytest.raises(ValueError, match=r"replica must be in \[0, 1\], got 2"):
        sim.read(2, "k")
    with pytest.raises(ValueError, match="writes must be >= 1, got 0"):
        simulate_lag(0)
    with pytest.raises(TypeError, match="writes must be an int, got float: inf"):
        simulate_lag(float("inf"))  # type: ignore[arg-type]
