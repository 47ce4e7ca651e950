"""The lease core against a model, and the lock server's tokens across a crash."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.distributed.coordination_locking import (
    Acquire,
    Granted,
    Lease,
    LeaseLock,
    LockServer,
    Release,
)
from studybook.distributed.simulator import BaseNode, Simulator

CLIENTS = ("a", "b", "c")

ops = st.lists(
    st.tuples(
        st.sampled_from(["acquire", "renew", "release"]),
        st.sampled_from(CLIENTS),
        st.integers(0, 4),  # token offset from the last issued
        st.floats(0, 8, allow_nan=False),  # time step
    ),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(ops)
def test_lease_lock_matches_a_model(steps: list[tuple[str, str, int, float]]) -> None:
    ttl = 5.0
    lock = LeaseLock(ttl)
    holder: str | None = None
    token, expires, now, issued = 0, 0.0, 0.0, 0
    for op, client, back, step in steps:
        now += step
        live = holder is not None and now < expires
        if not live:
            holder = None
        guess = max(issued - back, 0)
        if op == "acquire":
            got = lock.acquire(client, now)
            if holder is None:
                issued += 1
                holder, token, expires = client, issued, now + ttl
                assert got == Lease(client, issued, now + ttl)
            else:
                assert got == (Lease(holder, token, expires) if holder == client else None)
        elif op == "renew":
            got = lock.renew(client, guess, now)
            if holder == client and token == guess:
                expires = now + ttl
                assert got == Lease(client, token, expires)
            else:
                assert got is None
        else:
            released = lock.release(client, guess, now)
            assert released == (holder == client and token == guess)
            if released:
                holder = None
        assert lock.last_token == issued
        current = lock.current(now)
        assert current == (Lease(holder, token, expires) if holder is not None else None)


def test_tokens_strictly_increase_across_release_and_expiry() -> None:
    lock = LeaseLock(ttl=10)
    first = lock.acquire("a", 0)
    assert first is not None
    assert lock.release("a", first.token, 1)
    second = lock.acquire("a", 2)  # same client, new grant: a new token
    third = lock.acquire("b", 12)  # after expiry
    assert [first.token, second.token if second else 0, third.token if third else 0] == [1, 2, 3]


def test_retried_acquire_by_the_holder_does_not_mint_a_token() -> None:
    lock = LeaseLock(ttl=10)
    assert lock.acquire("a", 0) == lock.acquire("a", 3) == Lease("a", 1, 10.0)
    assert lock.last_token == 1


def test_stale_release_does_not_free_the_new_holders_lock() -> None:
    lock = LeaseLock(ttl=10)
    old = lock.acquire("a", 0)
    new = lock.acquire("b", 10)
    assert old is not None
    assert new is not None
    assert not lock.release("a", old.token, 11)
    assert lock.current(11) == new


class Recorder(BaseNode):
    def __init__(self, node_id: str) -> None:
        super().__init__(node_id)
        self.grants: list[tuple[float, int]] = []
        self.ttls: list[float] = []

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        if isinstance(msg, Granted):
            self.grants.append((sim.now, msg.token))
            self.ttls.append(msg.ttl)


def test_server_restart_keeps_tokens_rising_and_waits_out_old_leases() -> None:
    sim = Simulator(seed=3, delay=(1.0, 1.0))
    server = LockServer("lock", ttl=10)
    a, b = Recorder("a"), Recorder("b")
    for node in (server, a, b):
        sim.add(node)
    sim.at(0, lambda s: s.send("a", "lock", Acquire(1)))
    sim.at(3, lambda s: s.crash("lock"))
    sim.at(4, lambda s: s.restart("lock"))
    sim.at(5, lambda s: s.send("b", "lock", Acquire(1)))
    sim.run()
    assert a.grants == [(2.0, 1)]
    # b asked at 5 and arrived at 6, but the restarted server waits until 4 + 10.
    assert b.grants == [(15.0, 2)]
    assert sim.disk("lock")["last_token"] == 2


def test_queued_clients_are_served_in_order_when_leases_expire() -> None:
    sim = Simulator(seed=0, delay=(1.0, 1.0))
    server = LockServer("lock", ttl=10)
    clients = [Recorder(n) for n in CLIENTS]
    sim.add(server)
    for i, c in enumerate(clients):
        sim.add(c)
        sim.at(i * 0.1, lambda s, n=c.node_id: s.send(n, "lock", Acquire(1)))
    sim.run()
    # Granted at 1, 11 (first lease expires), 21; each grant takes 1 to arrive.
    assert [c.grants for c in clients] == [[(2.0, 1)], [(12.0, 2)], [(22.0, 3)]]
    assert [(c, t) for _, c, t in server.grants] == [("a", 1), ("b", 2), ("c", 3)]


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: LeaseLock(ttl=math.nan), ValueError),
        (lambda: LeaseLock(ttl=math.inf), ValueError),
        (lambda: LeaseLock(ttl=-1), ValueError),
        (lambda: LeaseLock(ttl=10**400), ValueError),
        (lambda: LeaseLock(ttl=True), TypeError),
        (lambda: LeaseLock(ttl="10"), TypeError),
        (lambda: LeaseLock(ttl=1, last_token=-1), ValueError),
        (lambda: LeaseLock(ttl=1, last_token=1.5), TypeError),
        (lambda: LeaseLock(ttl=1).acquire("", 0), ValueError),
        (lambda: LeaseLock(ttl=1).acquire(7, 0), TypeError),
        (lambda: LeaseLock(ttl=1).acquire("a", math.nan), ValueError),
        (lambda: LeaseLock(ttl=1).acquire("a", -1), ValueError),
        (lambda: LeaseLock(ttl=1).renew("a", True, 0), TypeError),
        (lambda: LeaseLock(ttl=1).release("a", -2, 0), ValueError),
        (lambda: LockServer("lock", ttl=0), ValueError),
    ],
)
def test_bad_input_is_rejected(make, error) -> None:
    with pytest.raises(error, match="got"):
        make()


def test_time_must_not_go_back() -> None:
    lock = LeaseLock(ttl=1)
    lock.current(5)
    with pytest.raises(ValueError, match=r"now must not go back \(last 5.0\), got 4"):
        lock.acquire("a", 4)


def test_a_malformed_release_is_dropped_and_a_stale_one_ignored() -> None:
    sim = Simulator(seed=0, delay=(1.0, 1.0))
    server = LockServer("lock", ttl=10)
    a, b = Recorder("a"), Recorder("b")
    for node in (server, a, b):
        sim.add(node)
    sim.at(0, lambda s: s.send("a", "lock", Acquire(1)))
    sim.at(0.5, lambda s: s.send("b", "lock", Acquire(1)))

    def release(token: int) -> Callable[[Simulator], None]:
        return lambda s: s.send("a", "lock", Release(token))

    for t, token in [(2, -1), (2.1, True), (2.2, 7)]:  # bad, bool, someone else's
        sim.at(t, release(token))
    sim.run()
    # None of them freed a's lease: b waits for its expiry at 1 + 10.
    assert a.grants == [(2.0, 1)]
    assert b.grants == [(12.0, 2)]


def test_a_late_duplicate_acquire_after_release_wins_no_phantom_grant() -> None:
    # a acquires at 0 and releases at 3; a duplicate of its Acquire arrives
    # at 4.5, after the release. Served as new, it would grant a token 2 it
    # never uses, and b (asking at 4) would wait for that lease until 14.5.
    sim = Simulator(seed=0, delay=(1.0, 1.0))
    server = LockServer("lock", ttl=10)
    a, b = Recorder("a"), Recorder("b")
    for node in (server, a, b):
        sim.add(node)
    sim.at(0, lambda s: s.send("a", "lock", Acquire(1)))
    sim.at(3, lambda s: s.send("a", "lock", Release(1)))
    sim.at(3.5, lambda s: s.send("a", "lock", Acquire(1)))  # the late duplicate
    sim.at(4, lambda s: s.send("b", "lock", Acquire(1)))
    sim.run()
    assert a.grants == [(2.0, 1)]
    assert b.grants == [(6.0, 2)]  # granted on arrival at 5, not at 14.5
    assert [(c, t) for _, c, t in server.grants] == [("a", 1), ("b", 2)]


def test_a_lost_grant_is_sent_again_to_the_retry_with_the_time_left() -> None:
    # The first Granted (sent at 1) is lost on the wire; a's retry of the same
    # request reaches the server at 5, while the lease (1 to 11) is live: the
    # server answers it again with the same token and the 6 time units left,
    # and mints no new token.
    sim = Simulator(seed=0, delay=(1.0, 1.0))
    server = LockServer("lock", ttl=10)
    a = Recorder("a")
    for node in (server, a):
        sim.add(node)
    sim.at(0, lambda s: s.send("a", "lock", Acquire(1)))
    sim.at(1.5, lambda s: s.partition(["a"], ["lock"]))
    sim.at(2.5, lambda s: s.heal())
    sim.at(4, lambda s: s.send("a", "lock", Acquire(1)))  # the retry
    sim.run()
    assert a.grants == [(6.0, 1)]
    assert a.ttls == [6.0]
    assert [(c, t) for _, c, t in server.grants] == [("a", 1)]


def test_a_retry_of_a_request_that_was_not_granted_yet_is_not_answered_early() -> None:
    # b's retry arrives while a holds the lock: b stays queued once, and is
    # granted once, when a releases.
    sim = Simulator(seed=0, delay=(1.0, 1.0))
    server = LockServer("lock", ttl=10)
    a, b = Recorder("a"), Recorder("b")
    for node in (server, a, b):
        sim.add(node)
    sim.at(0, lambda s: s.send("a", "lock", Acquire(1)))
    sim.at(1, lambda s: s.send("b", "lock", Acquire(1)))
    sim.at(2, lambda s: s.send("b", "lock", Acquire(1)))  # the retry
    sim.at(4, lambda s: s.send("a", "lock", Release(1)))
    sim.run()
    assert b.grants == [(6.0, 2)]
    assert [(c, t) for _, c, t in server.grants] == [("a", 1), ("b", 2)]


def test_served_request_ids_survive_a_restart_and_a_new_id_is_served() -> None:
    sim = Simulator(seed=0, delay=(1.0, 1.0))
    server = LockServer("lock", ttl=10)
    a = Recorder("a")
    for node in (server, a):
        sim.add(node)
    sim.at(0, lambda s: s.send("a", "lock", Acquire(1)))
    sim.at(3, lambda s: s.send("a", "lock", Release(1)))
    sim.at(5, lambda s: s.crash("lock"))
    sim.at(6, lambda s: s.restart("lock"))
    sim.at(7, lambda s: s.send("a", "lock", Acquire(1)))  # old id: dropped
    sim.at(8, lambda s: s.send("a", "lock", Acquire(2)))  # a new request
    sim.run()
    # The restarted server waits out one ttl (6 + 10) before its first grant.
    assert a.grants == [(2.0, 1), (17.0, 2)]
    assert sim.disk("lock")["served"] == {"a": 2}


@pytest.mark.parametrize("request_id", [0, -1, True, 1.0, "1", None])
def test_a_malformed_acquire_is_dropped(request_id: object) -> None:
    sim = Simulator(seed=0, delay=(1.0, 1.0))
    server = LockServer("lock", ttl=10)
    a = Recorder("a")
    for node in (server, a):
        sim.add(node)
    sim.at(0, lambda s: s.send("a", "lock", Acquire(request_id)))  # type: ignore[arg-type]
    sim.run()
    assert a.grants == []
    assert server.grants == []
