"""Bully leader election (Garcia-Molina 1982) on the Part III simulator.

Members ``p0 .. p(n-1)`` rank by their number; the highest live one should
lead. A member that notices the leader is gone starts an *election*: it
sends ``election`` to every higher member and waits ``answer_timeout``. A
live higher member replies ``answer`` and starts its own election; a member
that got an answer waits ``coordinator_timeout`` for the winner (and starts
over if none comes). A member that hears no answer has the highest live id:
it sends ``coordinator`` to every lower member and leads.

Invariant: once the run is quiet every live member names the same leader,
the highest live id (given timeouts longer than a round trip and no loss).

=====================================  =================================
case (n members, the leader crashed)   messages sent
=====================================  =================================
the highest live member starts         n - 1
the lowest member starts               n² - n - 1 (O(n²), the worst)
=====================================  =================================

>>> run = run_bully(5, seed=0)
>>> run.leaders, run.messages
({'p0': 'p3', 'p1': 'p3', 'p2': 'p3', 'p3': 'p3'}, 19)

Primary source: H. Garcia-Molina, "Elections in a Distributed Computing
System", IEEE Transactions on Computers C-31(1), 1982.
"""

from __future__ import annotations

from dataclasses import dataclass

from studybook.distributed.simulator import BaseNode, Simulator

__all__ = ["BullyNode", "BullyRun", "run_bully"]

#: Largest cluster :func:`run_bully` accepts (the worst case sends ~n² messages).
MAX_BULLY_MEMBERS = 200


class BullyNode(BaseNode):
    """One member; ``leader`` is whom it currently follows (``None`` during an election)."""

    def __init__(self, node_id: str, members: tuple[str, ...], answer_timeout: float = 4.0) -> None:
        super().__init__(node_id)
        self.rank = members.index(node_id)
        self.higher = members[self.rank + 1 :]
        self.lower = members[: self.rank]
        self.answer_timeout = answer_timeout
        self.coordinator_timeout = 2 * answer_timeout
        self.leader: str | None = members[-1]
        self.electing = False

    def start_election(self, sim: Simulator) -> None:
        """Challenge every higher member; lead at once if there is none."""
        self.electing, self.leader = True, None
        if not self.higher:
            self._win(sim)
            return
        for member in self.higher:
            sim.send(self.node_id, member, ("election",))
        sim.set_timer(self.node_id, "no-answer", self.answer_timeout)

    def _win(self, sim: Simulator) -> None:
        self.electing, self.leader = False, self.node_id
        sim.cancel_timer(self.node_id, "no-answer")
        sim.cancel_timer(self.node_id, "no-coordinator")
        for member in self.lower:
            sim.send(self.node_id, member, ("coordinator", self.node_id))

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """``election``: answer and run our own; ``answer``: wait; ``coordinator``: follow."""
        if not isinstance(msg, tuple) or not msg:
            raise TypeError(f"bully expects a tuple message, got {msg!r}")
        if msg[0] == "election":
            sim.send(self.node_id, src, ("answer",))
            if not self.electing:
                self.start_election(sim)
        elif msg[0] == "answer":
            sim.cancel_timer(self.node_id, "no-answer")
            sim.set_timer(self.node_id, "no-coordinator", self.coordinator_timeout)
        elif msg[0] == "coordinator":
            self.electing, self.leader = False, str(msg[1])
            sim.cancel_timer(self.node_id, "no-answer")
            sim.cancel_timer(self.node_id, "no-coordinator")

    def on_timer(self, sim: Simulator, name: str) -> None:
        """``no-answer``: nobody higher is alive, so win; ``no-coordinator``: start over."""
        if name == "no-answer":
            self._win(sim)
        elif name == "no-coordinator":
            self.start_election(sim)


@dataclass(frozen=True)
class BullyRun:
    """Who each live member follows once the run is quiet, and the messages it took."""

    leaders: dict[str, str | None]
    messages: int
    done_at: float


def run_bully(n: int, *, seed: int, crashed: int = 1, starter: int = 0) -> BullyRun:
    """Crash the top ``crashed`` members at t=0, let ``p{starter}`` notice at t=1; elect.

    Message delay is uniform in ``[0.5, 1.5]``, no loss; ``messages``
    counts every message sent from the moment the election starts
    (including those to crashed members, which are dropped).

    Raises:
        TypeError: ``n``, ``crashed`` or ``starter`` not an int (or a bool).
        ValueError: ``n`` outside ``[2, 200]``, ``crashed`` outside
            ``[1, n - 1]``, ``starter`` not a live member, a negative seed.

    Complexity: O(n²) messages in the worst case.

    >>> run_bully(4, seed=0, crashed=4)
    Traceback (most recent call last):
    ValueError: crashed must be in [1, 3], got 4
    """
    for value, name in ((n, "n"), (crashed, "crashed"), (starter, "starter")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r}")
    if not 2 <= n <= MAX_BULLY_MEMBERS:
        raise ValueError(f"n must be in [2, {MAX_BULLY_MEMBERS}], got {n!r}")
    if not 1 <= crashed <= n - 1:
        raise ValueError(f"crashed must be in [1, {n - 1}], got {crashed!r}")
    if not 0 <= starter < n - crashed:
        raise ValueError(
            f"starter must be a live member in [0, {n - crashed - 1}], got {starter!r}"
        )
    sim = Simulator(seed, delay=(0.5, 1.5))
    members = tuple(f"p{i}" for i in range(n))
    nodes = [BullyNode(m, members) for m in members]
    for node in nodes:
        sim.add(node)

    def crash_top(s: Simulator) -> None:
        for node in nodes[n - crashed :]:
            s.crash(node.node_id)

    sim.at(0.0, crash_top)
    sim.at(1.0, lambda s: nodes[starter].start_election(s))
    sim.run()
    live = nodes[: n - crashed]
    return BullyRun(
        leaders={node.node_id: node.leader for node in live},
        messages=sum(e.kind in ("deliver", "drop") for e in sim.trace),
        done_at=sim.now,
    )
