"""SWIM in the simulator: crash detection, false positives under loss, seeded runs."""

from __future__ import annotations

import math

import pytest

from studybook.distributed.failure_detection_gossip import (
    SwimConfig,
    first_detection_periods,
    run_swim,
    swim_table,
)

SEEDS = 8


def test_crash_is_confirmed_by_every_member_without_loss():
    for seed in range(SEEDS):
        run = run_swim(10, seed=seed)
        assert run.false_suspicions == 0, seed
        assert run.false_positives == 0, seed
        assert run.first_suspect is not None, seed
        assert run.all_confirm is not None, seed
        # a probe reaches n0 within a couple of periods; then 30 of suspicion
        assert run.first_confirm == pytest.approx(run.first_suspect + 30.0), seed
        assert run.all_confirm < 100.0, seed


def test_no_suspicion_confirms_at_the_first_failed_probe():
    run = run_swim(10, seed=2, config=SwimConfig(suspicion_timeout=0))
    assert run.first_confirm == run.first_suspect


def test_indirect_probes_and_suspicion_cut_false_positives_under_loss():
    rows = {name: row for name, *row in swim_table(4, 0.05, n=10)}
    full, no_indirect = rows["k=3, suspicion 30"], rows["k=0, suspicion 30"]
    assert full[3] < no_indirect[3]  # false positives: ping-req saves members from lossy links
    assert no_indirect[2] > full[2]  # and far fewer suspicions
    assert math.isfinite(full[1])  # the real crash is still detected by everyone


def test_a_suspected_member_refutes_with_a_higher_incarnation():
    run = run_swim(12, seed=0, loss=0.1, config=SwimConfig(suspicion_timeout=60))
    suspected = [(t, m) for t, _, m, s in run.log if s == "suspect" and m != "n0"]
    assert suspected, "10% loss should cause at least one false suspicion"
    refuted = {m for t, _, m, s in run.log if s == "alive"}
    assert refuted & {m for _, m in suspected}
    # every live observer that suspected a live member early enough later
    # saw the refutation (alive with a higher incarnation), and nobody died
    for t, obs, member, status in run.log:
        if status == "suspect" and member != "n0" and obs != "n0" and t < 200.0:
            later = [s for u, o, m, s in run.log if o == obs and m == member and u > t]
            assert later, (t, obs, member)
            assert later[0] == "alive", (t, obs, member, later)
    assert run.false_positives == 0


@pytest.mark.parametrize("indirect", [0, 3])
def test_dead_is_final_in_every_view(indirect: int):
    # the invariant of SwimNode._apply, over lossy runs with many false deaths
    for seed in range(6):
        run = run_swim(10, seed=seed, loss=0.1, config=SwimConfig(indirect=indirect))
        history: dict[tuple[str, str], list[str]] = {}
        for _, obs, member, status in run.log:
            history.setdefault((obs, member), []).append(status)
        for pair, statuses in history.items():
            assert "dead" not in statuses[:-1], (seed, pair, statuses)


def test_same_seed_same_run():
    assert run_swim(8, seed=5, loss=0.05) == run_swim(8, seed=5, loss=0.05)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 2}, ValueError, "got 2"),
        ({"n": True}, TypeError, "True"),
        ({"n": 5, "loss": math.nan}, ValueError, "nan"),
        ({"n": 5, "crash_at": 500.0}, ValueError, "500.0"),
        ({"n": 5, "until": -1.0}, ValueError, "-1.0"),
        ({"n": 5, "config": "fast"}, TypeError, "fast"),
        ({"n": 101}, ValueError, "101"),
        ({"n": 10**9}, ValueError, "1000000000"),
        ({"n": 5, "until": 2001.0}, ValueError, "2001.0"),
        ({"n": 5, "until": math.inf}, ValueError, "inf"),
        (
            {"n": 5, "until": 300.0, "config": SwimConfig(period=1.0, ack_timeout=0.5)},
            ValueError,
            "300.0",
        ),
    ],
)
def test_run_swim_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        run_swim(seed=0, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"period": 0}, ValueError, "got 0"),
        ({"ack_timeout": math.inf}, ValueError, "inf"),
        ({"indirect": -1}, ValueError, "-1"),
        ({"indirect": 1.5}, TypeError, "1.5"),
        ({"suspicion_timeout": math.nan}, ValueError, "nan"),
        ({"retransmit": 0}, ValueError, "got 0"),
        ({"period": 5, "ack_timeout": 5}, ValueError, "5 >= 5"),
    ],
)
def test_swim_config_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        SwimConfig(**kwargs)


def test_swim_table_rejects_bad_seeds():
    with pytest.raises(ValueError, match="got 0"):
        swim_table(0, 0.0)


def test_run_swim_caps_allow_the_largest_run():
    # each cap alone is accepted (both at once take about 2 s, too slow for here)
    for run in (run_swim(100, seed=0, until=200.0), run_swim(3, seed=0, until=2000.0)):
        assert run.all_confirm is not None
        assert run.false_positives == 0


@pytest.mark.parametrize("n", [20, 200])
def test_expected_first_detection_is_e_over_e_minus_1_periods(n: int):
    # SWIM paper: E[periods to first detection] = 1 / (1 - (1 - 1/(n-1))^(n-1)),
    # tending to e/(e-1) = 1.582. The count is geometric (sd about 0.95), so the
    # standard error over 3000 seeds is about 0.017; tolerance 0.07 (4 s.e.).
    trials = 3000
    mean = sum(first_detection_periods(n, seed=s) for s in range(trials)) / trials
    exact = 1 / (1 - (1 - 1 / (n - 1)) ** (n - 1))
    assert mean == pytest.approx(exact, abs=0.07), (n, mean, exact)
    assert mean == pytest.approx(math.e / (math.e - 1), abs=0.1), (n, mean)


def test_first_detection_with_round_robin_probing_in_the_simulator():
    # The event simulator's periods are not aligned (random phases), so the
    # first suspicion comes after about one period of waiting for a probe plus
    # the period in which the probe fails: between 1 and 3 periods on average.
    firsts = [run_swim(20, seed=s, until=150.0).first_suspect for s in range(10)]
    assert all(f is not None for f in firsts)
    mean = sum(f for f in firsts if f is not None) / len(firsts) / 10.0
    assert 1.0 < mean < 3.0, mean


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 2}, ValueError, "got 2"),
        ({"n": 10**7}, ValueError, "10000000"),
        ({"n": 3.0}, TypeError, "3.0"),
        ({"n": True}, TypeError, "True"),
        ({"n": 10, "seed": -1}, ValueError, "-1"),
        ({"n": 10, "seed": None}, TypeError, "None"),
    ],
)
def test_first_detection_periods_rejects_bad_input(kwargs, error, match):
    kwargs.setdefault("seed", 0)
    with pytest.raises(error, match=match):
        first_detection_periods(**kwargs)
