"""A harness over the shared simulator: build a Raft cluster, inject faults, measure elections.

:class:`RaftCluster` wires ``n`` :class:`~.node.RaftNode` servers into a
:class:`~studybook.distributed.simulator.Simulator` with a
:class:`~.checks.RaftSafety` checker run after every event, and gives a
client's view: who leads, submit a command, wait until it is committed.

:func:`random_schedule` is one random fault schedule: message loss,
duplication and delay, crashes and restarts, partitions that heal, client
writes to whoever believes it leads (stale leaders included), and sometimes a
membership change; then the faults stop and the cluster must elect a leader
and commit a fresh command within :data:`LIVENESS_BOUND` of virtual time.
:func:`election_times` repeats the experiment of the paper's Figure 16:
crash the leader of a five-server cluster and time until a new one is elected.

>>> cluster = RaftCluster(3, seed=0)
>>> cluster.run_until_leader(), cluster.submit("x=1")
('n2', 2)
>>> cluster.run_until_committed(2), cluster.applied("n0")
(True, [None, 'x=1'])
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass

from studybook.distributed.consensus_raft.checks import RaftSafety
from studybook.distributed.consensus_raft.node import RaftNode
from studybook.distributed.simulator import Simulator

__all__ = [
    "LIVENESS_BOUND",
    "ElectionTimes",
    "NodeFactory",
    "RaftCluster",
    "ScheduleResult",
    "election_times",
    "random_schedule",
]

#: Builds a server from ``(node_id, servers)``; the mutation tests pass a broken subclass.
NodeFactory = Callable[[str, tuple[str, ...]], RaftNode]
#: Virtual time (ms) after the faults stop by which a leader must have committed a new command.
LIVENESS_BOUND = 3000.0


class RaftCluster:
    """``n`` Raft servers named ``n0``... in one simulator, checked after every event.

    Args:
        n: number of servers, at least 1.
        seed: the simulator's seed.
        delay, loss, duplicate: the network, as for
            :class:`~studybook.distributed.simulator.Simulator`.
        node_factory: builds each server (default :class:`~.node.RaftNode`).

    Raises:
        TypeError, ValueError: a bad ``n`` (not an int, below 1) or network option.

    Complexity: O(n) to create.

    >>> RaftCluster(0)
    Traceback (most recent call last):
    ValueError: n must be an int >= 1, got 0
    """

    def __init__(
        self,
        n: int,
        seed: int = 0,
        *,
        delay: tuple[float, float] = (1.0, 5.0),
        loss: float = 0.0,
        duplicate: float = 0.0,
        node_factory: NodeFactory = RaftNode,
    ) -> None:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be an int >= 1, got {n!r}")
        self.sim = Simulator(seed, delay=delay, loss=loss, duplicate=duplicate)
        self.ids = tuple(f"n{i}" for i in range(n))
        self.node_factory = node_factory
        self.safety = RaftSafety()
        for node_id in self.ids:
            self.sim.add(node_factory(node_id, self.ids))

    def node(self, node_id: str) -> RaftNode:
        """The server with this id."""
        node = self.sim.node(node_id)
        if not isinstance(node, RaftNode):
            raise TypeError(f"node {node_id!r} is not a RaftNode, got {type(node).__name__}")
        return node

    def leaders(self) -> list[str]:
        """Running servers that believe they lead, newest term first (stale ones included)."""
        up = [n for n in self.sim.nodes if self.sim.is_up(n) and self.node(n).role == "leader"]
        return sorted(up, key=lambda n: -self.node(n).current_term)

    def leader(self) -> str | None:
        """The running leader with the highest term, or ``None``."""
        leaders = self.leaders()
        return leaders[0] if leaders else None

    def submit(self, command: object, to: str | None = None) -> int | None:
        """Propose ``command`` to ``to`` (default: the current leader); its index, or ``None``."""
        target = to if to is not None else self.leader()
        if target is None or not self.sim.is_up(target):
            return None
        return self.node(target).propose(self.sim, command)

    def add_server(self, node_id: str) -> None:
        """Start a new, empty server; it waits for :meth:`~.node.RaftNode.change_membership`."""
        self.sim.add(self.node_factory(node_id, ()))

    def run(self, until: float) -> int:
        """Run to virtual time ``until``, checking safety after every event; events run."""
        return self.sim.run(until=until, stop=self.safety)

    def run_until(self, condition: Callable[[], bool], timeout: float = LIVENESS_BOUND) -> bool:
        """Run until ``condition()`` holds or ``timeout`` of virtual time passes; did it hold?"""
        deadline = self.sim.now + timeout

        def stop(sim: Simulator) -> bool:
            self.safety.check(sim)
            return condition()

        if condition():
            return True
        self.sim.run(until=deadline, stop=stop)
        return condition()

    def run_until_leader(self, timeout: float = LIVENESS_BOUND) -> str | None:
        """Run until some server leads; return it (``None`` after ``timeout``)."""
        self.run_until(lambda: self.leader() is not None, timeout)
        return self.leader()

    def run_until_committed(self, index: int, timeout: float = LIVENESS_BOUND) -> bool:
        """Run until a majority of the leader's configuration has applied ``index``."""
        return self.run_until(lambda: self._applied_on_majority(index), timeout)

    def _applied_on_majority(self, index: int) -> bool:
        leader = self.leader()
        if leader is None:
            return False
        servers = self.node(leader).servers
        done = sum(1 for s in servers if self.sim.is_up(s) and self.node(s).last_applied >= index)
        return done > len(servers) // 2

    def applied(self, node_id: str) -> list[object]:
        """The commands the server has applied, in order (``None`` is a leader's no-op)."""
        return [e.command for e in self.node(node_id).applied]


@dataclass(frozen=True)
class ScheduleResult:
    """What one random schedule did: faults injected, leaders seen, liveness time."""

    seed: int
    servers: int
    faults: int
    terms: int
    committed: int
    recovery: float


def random_schedule(
    seed: int,
    *,
    node_factory: NodeFactory = RaftNode,
    faulty_for: float = 600.0,
    liveness: bool = True,
    churn: bool = False,
) -> ScheduleResult:
    """Run one random fault schedule, checking Figure 3's properties after every event.

    The schedule (from ``seed``): 3 or 5 servers; loss up to 20 %,
    duplication up to 10 %, one-way delays up to 30 ms; two to six faults
    (crash, restart, a random partition, isolating the leader, heal) at
    random times in ``[0, faulty_for)``; client writes to every server that
    believes it leads; in a quarter of the schedules a server is added or
    removed. Then every link heals and every server restarts, and (if
    ``liveness``) a leader must commit a fresh command within
    :data:`LIVENESS_BOUND`.

    Raises:
        SafetyViolation: a property of Figure 3 failed.
        AssertionError: liveness failed.

    Complexity: O(events), a few hundred per schedule.

    >>> random_schedule(7)
    ScheduleResult(seed=7, servers=3, faults=2, terms=1, committed=8, recovery=44.689)
    """
    plan = random.Random(seed)  # noqa: S311 - reproducible test schedule
    n = plan.choice((3, 3, 5))
    cluster = RaftCluster(
        n,
        seed,
        delay=(1.0, plan.uniform(2.0, 30.0)),
        loss=plan.choice((0.0, 0.05, 0.2)),
        duplicate=plan.choice((0.0, 0.1)),
        node_factory=node_factory,
    )
    faults = plan.randint(2, 6)
    for _ in range(faults):
        cluster.sim.at(plan.uniform(0, faulty_for), _random_fault(plan, cluster))
    writes = iter(range(10**6))

    def write(sim: Simulator) -> None:
        for leader in cluster.leaders():
            cluster.submit(f"w{next(writes)}", to=leader)

    for _ in range(plan.randint(5, 12)):
        cluster.sim.at(plan.uniform(0, faulty_for), write)
    if plan.random() < 0.25:
        cluster.sim.at(plan.uniform(0, faulty_for), _membership_change(plan, cluster))
    if churn:
        # Figure 8's recipe: write, then crash the leader before the write spreads.
        at = 0.0
        while (at := at + plan.uniform(100, 300)) < faulty_for:
            cluster.sim.at(at, write)
            cluster.sim.at(at + plan.uniform(0, 15), _crash_leader(plan, cluster))
    cluster.run(until=faulty_for)

    cluster.sim.heal()
    for node_id in cluster.sim.nodes:
        cluster.sim.restart(node_id)
    start = cluster.sim.now
    if liveness:
        index: list[int | None] = [None]

        def committed() -> bool:
            if index[0] is None:
                index[0] = cluster.submit("final")
                return False
            leader = cluster.leader()
            if leader is not None and cluster.node(leader).log.last_index < index[0]:
                index[0] = None  # the entry was replaced: submit again
                return False
            return cluster._applied_on_majority(index[0])

        if not cluster.run_until(committed, LIVENESS_BOUND):
            raise AssertionError(
                f"no command committed within {LIVENESS_BOUND} after the faults stopped"
            )
    return ScheduleResult(
        seed=seed,
        servers=n,
        faults=faults,
        terms=len(cluster.safety.leaders),
        committed=len(cluster.safety.committed),
        recovery=round(cluster.sim.now - start, 3),
    )


def _random_fault(plan: random.Random, cluster: RaftCluster) -> Callable[[Simulator], None]:
    kind = plan.choice(("crash", "crash", "restart", "partition", "isolate leader", "heal"))
    victim = plan.choice(cluster.ids)
    side = set(plan.sample(cluster.ids, plan.randint(1, len(cluster.ids) - 1 or 1)))

    def act(sim: Simulator) -> None:
        if kind == "crash":
            sim.crash(victim)
            sim.at(sim.now + plan.uniform(50, 400), lambda s: s.restart(victim))
        elif kind == "restart":
            sim.restart(victim)
        elif kind == "partition":
            sim.partition(side)
        elif kind == "isolate leader":
            leader = cluster.leader()
            if leader is not None:
                sim.partition({leader})
        else:
            sim.heal()

    return act


def _crash_leader(plan: random.Random, cluster: RaftCluster) -> Callable[[Simulator], None]:
    downtime = plan.uniform(100, 600)

    def act(sim: Simulator) -> None:
        leader = cluster.leader()
        if leader is not None:
            sim.crash(leader)
            sim.at(sim.now + downtime, lambda s: s.restart(leader))

    return act


def _membership_change(plan: random.Random, cluster: RaftCluster) -> Callable[[Simulator], None]:
    add = plan.random() < 0.5

    def act(sim: Simulator) -> None:
        leader = cluster.leader()
        if leader is None:
            return
        servers = set(cluster.node(leader).servers)
        if add:
            new = f"n{len(sim.nodes)}"
            cluster.add_server(new)
            cluster.node(leader).change_membership(sim, tuple(servers | {new}))
        elif len(servers) > 1:
            gone = plan.choice(sorted(servers - {leader}))
            cluster.node(leader).change_membership(sim, tuple(servers - {gone}))

    return act


@dataclass(frozen=True)
class ElectionTimes:
    """Figure 16's measurement for one timeout range: time without a leader after a crash."""

    timeout: tuple[float, float]
    trials: int
    median: float
    p90: float
    worst: float


def election_times(
    timeout: tuple[float, float],
    trials: int = 50,
    *,
    seed: int = 0,
    delay: tuple[float, float] = (2.0, 8.0),
    cap: float = 5000.0,
) -> ElectionTimes:
    """Crash the leader of a 5-server cluster ``trials`` times; time until a new leader is elected.

    Each trial elects a leader, lets it lead for 500 ms, crashes it and
    measures virtual time until another server becomes leader, as Figure 16
    of the paper does (heartbeats every ``timeout[0] / 3``). A trial with no
    leader after ``cap`` counts as ``inf``.

    Raises:
        TypeError: ``cap`` not a number.
        ValueError: ``trials`` below 1, ``cap`` not positive and finite, a bad
            timeout (as for :class:`~.node.RaftNode`), or timeouts so short
            against ``delay`` that no leader survives the 500 ms before the crash.

    Complexity: O(trials * events per election).

    >>> election_times((150, 300), 20)
    ElectionTimes(timeout=(150, 300), trials=20, median=186.7, p90=220.5, worst=267.6)
    >>> election_times((150, 300), 20, cap=0)
    Traceback (most recent call last):
    ValueError: cap must be positive and finite, got 0
    """
    if isinstance(trials, bool) or not isinstance(trials, int) or trials < 1:
        raise ValueError(f"trials must be an int >= 1, got {trials!r}")
    if isinstance(cap, bool) or not isinstance(cap, int | float):
        raise TypeError(f"cap must be a number, got {type(cap).__name__}: {cap!r}")
    if not (math.isfinite(cap) and cap > 0):
        raise ValueError(f"cap must be positive and finite, got {cap!r}")
    heartbeat = timeout[0] / 3 if isinstance(timeout, tuple) and len(timeout) == 2 else 1.0
    RaftNode("check", election_timeout=timeout, heartbeat=heartbeat)  # validates the arguments

    def factory(node_id: str, servers: tuple[str, ...]) -> RaftNode:
        # Servers that all start at 0 with a fixed timeout would tie forever;
        # the paper's servers were not started in lockstep either. So the
        # first election uses the default range, and the range under test
        # applies from the first heartbeat on.
        return RaftNode(node_id, servers, heartbeat=heartbeat)

    gaps = []
    for trial in range(trials):
        cluster = RaftCluster(5, seed * 100_003 + trial, delay=delay, node_factory=factory)
        unstable = (
            f"no stable leader in trial {trial} with election_timeout {timeout!r} and"
            f" delay {delay!r}: the timeouts must be well above the round trip"
        )
        if cluster.run_until_leader() is None:
            raise ValueError(unstable)
        for node_id in cluster.ids:
            cluster.node(node_id).election_timeout = (float(timeout[0]), float(timeout[1]))
        cluster.run(cluster.sim.now + 500)
        old = cluster.leader()
        if old is None:
            raise ValueError(unstable)
        cluster.sim.crash(old)
        crashed_at = cluster.sim.now
        if cluster.run_until_leader(cap) is None:
            gaps.append(math.inf)  # split votes without end: timers in lockstep
        else:
            gaps.append(cluster.sim.now - crashed_at)
    gaps.sort()
    return ElectionTimes(
        timeout=timeout,
        trials=trials,
        median=round(statistics.median(gaps), 1),
        p90=round(gaps[int(0.9 * (len(gaps) - 1))], 1),
        worst=round(gaps[-1], 1),
    )
