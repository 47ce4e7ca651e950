"""The GC pause corrupts storage without fencing and is refused with it, over many seeds."""

from __future__ import annotations

import io
import math
from typing import Any

import pytest

from studybook.distributed.coordination_locking import (
    DEMO_SEEDS,
    Acquire,
    LockRun,
    LockServer,
    StorageNode,
    Worker,
    demo,
    run_scenario,
)
from studybook.distributed.simulator import BaseNode, Simulator, run_schedules

SEEDS = 300


def test_seed_1_without_fencing_the_stale_write_lands_after_the_new_holders() -> None:
    run = run_scenario(1, fencing=False)
    assert [(c, t) for _, c, t in run.grants] == [("c1", 1), ("c2", 2)]
    assert [(w.client, w.token, w.accepted) for w in run.writes] == [
        ("c2", 2, True),
        ("c1", 1, True),
    ]
    # c1's lease had run out at the server before c2 was granted: 1.76 + 10.
    c2_granted = run.grants[1][0]
    assert run.writes[1].time > run.writes[0].time > c2_granted
    assert run.stale_writes == (run.writes[1],)
    assert run.final == "from c1"


def test_seed_1_with_fencing_the_stale_write_is_refused() -> None:
    run = run_scenario(1, fencing=True)
    assert run.refused == (run.writes[1],)
    assert run.refused[0].client == "c1"
    assert run.refused[0].token == 1
    assert run.stale_writes == ()
    assert run.final == "from c2"


def _outcome(seed: int, fencing: bool, **params: Any) -> LockRun:
    return run_scenario(seed, fencing=fencing, duplicate=0.2, **params)


def test_every_seed_corrupts_without_fencing() -> None:
    def check(seed: int) -> None:
        assert _outcome(seed, False).stale_writes, seed

    assert run_schedules(SEEDS, check) == SEEDS


def test_no_seed_corrupts_with_fencing_and_the_stale_write_is_always_refused() -> None:
    def check(seed: int) -> None:
        run = _outcome(seed, True)
        assert run.stale_writes == ()
        assert [w.client for w in run.refused] == ["c1"] * len(run.refused) != []
        assert run.final == "from c2"
        tokens = [t for _, _, t in run.grants]
        assert tokens == sorted(set(tokens))
        assert tokens[0] == 1

    assert run_schedules(SEEDS, check) == SEEDS


def test_a_short_pause_is_harmless_even_without_fencing() -> None:
    def check(seed: int) -> None:
        run = _outcome(seed, False, gc_pause=1.0)
        assert run.stale_writes == ()
        assert run.final == "from c2"

    assert run_schedules(100, check) == 100


def test_a_slow_clock_breaks_the_lease_and_a_margin_restores_it() -> None:
    drift = {"gc_pause": 0.0, "clock_rate": 0.5, "work_time": 12.0}
    slow = [_outcome(seed, False, **drift) for seed in range(100)]
    assert sum(bool(r.stale_writes) for r in slow) > 80
    # A clock running at rate r under-measures by (1 - r); a margin of
    # ttl * (1 - r) = 5 makes c1 give up before its lease can have run out.
    for seed in range(100):
        run = _outcome(seed, False, **drift, margin=5.0)
        assert run.stale_writes == ()
        assert all(w.client == "c2" for w in run.writes)


def test_same_seed_same_run() -> None:
    assert run_scenario(7, fencing=False) == run_scenario(7, fencing=False)


def test_demo_counts_match_a_recount() -> None:
    buf = io.StringIO()
    demo(buf)
    rows = buf.getvalue().splitlines()[-4:]
    drift = {"gc_pause": 0.0, "clock_rate": 0.5, "work_time": 12.0}
    variants: list[tuple[dict[str, float], bool]] = [
        ({}, False),
        ({}, True),
        (drift, False),
        ({**drift, "margin": 5.0}, False),
    ]
    for row, (params, fencing) in zip(rows, variants, strict=True):
        runs = [
            run_scenario(s, fencing=fencing, duplicate=0.1, **params) for s in range(DEMO_SEEDS)
        ]
        stale = sum(bool(r.stale_writes) for r in runs)
        refused = sum(bool(r.refused) for r in runs)
        assert row.split()[-2:] == [str(stale), str(refused)], row


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"seed": True, "fencing": True}, TypeError),
        ({"seed": -1, "fencing": True}, ValueError),
        ({"seed": 0, "fencing": "yes"}, TypeError),
        ({"seed": 0, "fencing": True, "ttl": math.nan}, ValueError),
        ({"seed": 0, "fencing": True, "ttl": 0}, ValueError),
        ({"seed": 0, "fencing": True, "gc_pause": -1}, ValueError),
        ({"seed": 0, "fencing": True, "gc_pause": math.inf}, ValueError),
        ({"seed": 0, "fencing": True, "clock_rate": 0}, ValueError),
        ({"seed": 0, "fencing": True, "margin": "1"}, TypeError),
        ({"seed": 0, "fencing": True, "duplicate": 2}, ValueError),
        ({"seed": 0, "fencing": True, "lock_outage": [1, 2]}, TypeError),
        ({"seed": 0, "fencing": True, "lock_outage": (1,)}, TypeError),
        ({"seed": 0, "fencing": True, "lock_outage": (5, 2)}, ValueError),
        ({"seed": 0, "fencing": True, "lock_outage": (math.nan, 2)}, ValueError),
        ({"seed": 0, "fencing": True, "lock_outage": (1, "2")}, TypeError),
    ],
)
def test_run_scenario_rejects_bad_input(kwargs, error) -> None:
    with pytest.raises(error, match="got"):
        run_scenario(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"lock": ""}, ValueError),
        ({"storage": 3}, TypeError),
        ({"work_time": -1}, ValueError),
        ({"max_delay": math.nan}, ValueError),
        ({"clock_rate": False}, TypeError),
        ({"retry": 0}, ValueError),
        ({"retry": math.inf}, ValueError),
    ],
)
def test_worker_rejects_bad_input(kwargs, error) -> None:
    args = {"lock": "lock", "storage": "storage", **kwargs}
    with pytest.raises(error, match="got"):
        Worker("c", **args)


def test_a_queued_worker_re_sends_its_acquire_after_the_server_forgets_the_queue() -> None:
    # a holds the lock from 1 to 11; worker b queues at 1.5; the server
    # crashes at 3 and forgets the queue. Only b's retry (same request id)
    # tells the restarted server about b; without it b would wait forever.
    sim = Simulator(seed=0, delay=(1.0, 1.0))
    server = LockServer("lock", ttl=10)
    a = BaseNode("a")
    b = Worker("b", lock="lock", storage="storage", start_at=0.5, retry=5.0)
    for node in (server, a, b, StorageNode("storage", fencing=True)):
        sim.add(node)
    sim.at(0, lambda s: s.send("a", "lock", Acquire(1)))
    sim.at(3, lambda s: s.crash("lock"))
    sim.at(4, lambda s: s.restart("lock"))
    sim.run()
    # Retries at 5.5 and 10.5 arrive while b is queued; after the quiet
    # period (4 + 10) the server grants b, which sends no more retries.
    assert server.grants == [(1.0, "a", 1), (14.0, "b", 2)]
    assert b.token == 2
    assert b.result is True
    asks = [text for _, text in b.journal if "asks" in text]
    assert asks == ["b asks for the lock"] + ["b asks again (not granted yet)"] * 2


def test_every_worker_gets_the_lock_across_a_lock_server_crash_and_fencing_holds() -> None:
    def check(seed: int) -> None:
        # The crash at 3.5 comes after c1's grant and c2's Acquire in every
        # schedule: c2 is queued, then forgotten.
        run = _outcome(seed, True, lock_outage=(3.5, 5.0))
        assert [c for _, c, _ in run.grants] == ["c1", "c2"]
        tokens = [t for _, _, t in run.grants]
        assert tokens == [1, 2]
        assert run.grants[1][0] >= 5.0 + 10.0  # the restarted server waits out ttl
        assert run.stale_writes == ()
        assert {w.client for w in run.writes if w.accepted} == {"c1", "c2"}
        assert run.final == "from c2"

    assert run_schedules(100, check) == 100
