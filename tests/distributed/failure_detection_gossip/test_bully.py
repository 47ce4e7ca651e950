"""Bully election in the simulator: the highest live id wins, with the textbook message counts."""

from __future__ import annotations

import pytest

from studybook.distributed.failure_detection_gossip import run_bully


@pytest.mark.parametrize("n", [2, 3, 5, 8, 13])
def test_lowest_starter_elects_highest_live_with_n2_minus_n_minus_1_messages(n: int):
    # leader p(n-1) crashed; p0 starts: elections n(n-1)/2 (one to the dead
    # leader from each live member), answers (n-1)(n-2)/2, coordinators n-2
    for seed in range(3):
        run = run_bully(n, seed=seed)
        assert set(run.leaders.values()) == {f"p{n - 2}"}, (seed, run.leaders)
        assert len(run.leaders) == n - 1
        assert run.messages == n * n - n - 1, (seed, run.messages)


@pytest.mark.parametrize("n", [3, 6, 10])
def test_highest_live_starter_needs_n_minus_1_messages(n: int):
    run = run_bully(n, seed=1, starter=n - 2)
    assert set(run.leaders.values()) == {f"p{n - 2}"}
    assert run.messages == n - 1  # one election to the dead leader, n - 2 coordinators


def test_any_starter_and_several_crashes_elect_the_highest_live_member():
    for seed in range(12):
        n, crashed = 4 + seed % 5, 1 + seed % 3
        starter = seed % (n - crashed)
        run = run_bully(n, seed=seed, crashed=crashed, starter=starter)
        expected = f"p{n - crashed - 1}"
        assert run.leaders == {f"p{i}": expected for i in range(n - crashed)}, (seed, run)


def test_same_seed_same_run():
    assert run_bully(7, seed=4, starter=2) == run_bully(7, seed=4, starter=2)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 1}, ValueError, "got 1"),
        ({"n": 201}, ValueError, "201"),
        ({"n": 5.0}, TypeError, "5.0"),
        ({"n": True}, TypeError, "True"),
        ({"n": 5, "crashed": 0}, ValueError, "got 0"),
        ({"n": 5, "crashed": 5}, ValueError, "got 5"),
        ({"n": 5, "crashed": None}, TypeError, "None"),
        ({"n": 5, "starter": 4}, ValueError, "got 4"),
        ({"n": 5, "starter": -1}, ValueError, "-1"),
        ({"n": 5, "seed": -2}, ValueError, "-2"),
    ],
)
def test_run_bully_rejects_bad_input(kwargs, error, match):
    kwargs.setdefault("seed", 0)
    with pytest.raises(error, match=match):
        run_bully(**kwargs)
