"""ABD is linearizable under every fault schedule tried; without write-back it is not."""

from __future__ import annotations

import math

import pytest

from studybook.distributed.cap_consistency import (
    DEMO_RUNS,
    Client,
    Replica,
    find_counterexample,
    is_linearizable,
    run_register,
    shrink,
)
from studybook.distributed.simulator import Simulator, run_schedules

ABD_SCHEDULES = 300


def test_abd_is_linearizable_under_loss_duplication_crashes_and_partitions():
    def check(seed: int) -> None:
        history = run_register(seed, write_back=True, clients=3, ops_per_client=4)
        assert is_linearizable(history), history

    assert run_schedules(ABD_SCHEDULES, check) == ABD_SCHEDULES


def test_abd_with_five_replicas_and_more_clients():
    def check(seed: int) -> None:
        history = run_register(seed, write_back=True, replicas=5, clients=4, ops_per_client=3)
        assert is_linearizable(history), history

    run_schedules(40, check, first_seed=1000)


def test_without_write_back_the_checker_finds_a_counterexample():
    found = find_counterexample(range(DEMO_RUNS))
    assert found is not None
    seed, history = found
    assert seed == 189  # the seed the chapter shows; the simulator is deterministic
    assert not is_linearizable(history)
    assert history == run_register(seed, write_back=False), "replays from its seed"
    small = [tuple(op) for op in shrink(history)]
    # A new/old inversion: a read sees the unfinished write, a later read does not.
    (w, first, second) = small
    assert w[0] == "write"
    assert first[:2] == ("read", w[1])
    assert second[:2] == ("read", None)
    assert first[3] < second[2], "the stale read began after the fresh one returned"
    assert second[3] < w[3], "... while the write was still running"


def test_without_faults_every_operation_finishes():
    history = run_register(3, write_back=True, clients=3, ops_per_client=5, faults=False)
    assert len(history) == 15
    assert all(math.isfinite(op[3]) for op in history)
    assert is_linearizable(history)
    writes = [op[1] for op in history if op[0] == "write"]
    assert len(writes) == len(set(writes)), "written values are unique"


def test_written_values_are_unique_at_the_largest_run():
    history = run_register(0, write_back=True, clients=9, ops_per_client=9, faults=False)
    writes = [op[1] for op in history if op[0] == "write"]
    assert len(history) == 81
    assert len(writes) == len(set(writes)) > 20


def test_unfinished_writes_are_reported_with_an_infinite_end():
    # Partition the client from every replica: its first write can never finish.
    sim = Simulator(0)
    history: list = []
    names = ["r1", "r2", "r3"]
    for n in names:
        sim.add(Replica(n))
    client = Client("c1", names, 2, write_back=True, script=[("write", 7)], history=history)
    sim.add(client)
    sim.partition({"c1"})
    sim.run(until=200)
    assert history == []
    assert client.unfinished() == [("write", 7, client.started, math.inf)]
    sim.heal()
    sim.run(until=400)  # retries get through once the partition heals
    assert [op[:2] for op in history] == [("write", 7)]
    assert client.unfinished() == []


def test_replicas_keep_their_value_across_a_crash():
    sim = Simulator(0, delay=(1.0, 1.0))
    history: list = []
    names = ["r1", "r2", "r3"]
    replicas = [Replica(n) for n in names]
    for r in replicas:
        sim.add(r)
    script = [("write", 5), ("read", None)]
    sim.add(Client("c1", names, 2, write_back=True, script=script, history=history))
    sim.run(until=10)
    stored = [r for r in replicas if r.value == 5]
    assert len(stored) >= 2
    for r in replicas:
        sim.crash(r.node_id)
        assert r.value is None, "volatile copy gone"
        sim.restart(r.node_id)
    assert [r.value for r in stored] == [5] * len(stored), "reloaded from disk"
    sim.run(until=100)
    assert [op[:2] for op in history] == [("write", 5), ("read", 5)]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"write_back": 1}, TypeError, "write_back must be a bool, got 1"),
        ({"write_back": True, "clients": 0}, ValueError, "clients must be from 1 to 9, got 0"),
        ({"write_back": True, "clients": 10}, ValueError, "clients must be from 1 to 9, got 10"),
        ({"write_back": True, "replicas": True}, TypeError, "replicas must be an int, got bool"),
        ({"write_back": True, "replicas": 2.0}, TypeError, "replicas must be an int, got float"),
        ({"write_back": True, "ops_per_client": -1}, ValueError, "ops_per_client must be from 1"),
        ({"write_back": True, "ops_per_client": 10**9}, ValueError, "got 1000000000"),
        ({"write_back": True, "ops_per_client": 10}, ValueError, "from 1 to 9, got 10"),
    ],
)
def test_run_register_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        run_register(0, **kwargs)


@pytest.mark.parametrize(
    ("replicas", "quorum", "error", "message"),
    [
        ([], 1, ValueError, "replicas must be a non-empty list of ids, got \\[\\]"),
        (["r1"], 2, ValueError, "quorum must be from 1 to 1, got 2"),
        (["r1"], True, TypeError, "quorum must be an int, got bool"),
    ],
)
def test_client_rejects_bad_arguments(replicas, quorum, error, message):
    with pytest.raises(error, match=message):
        Client("c", replicas, quorum, write_back=True, script=[], history=[])


def test_run_register_rejects_a_bad_seed():
    with pytest.raises(TypeError, match="seed must be an int, got float: 0.5"):
        run_register(0.5, write_back=True)  # type: ignore[arg-type]
