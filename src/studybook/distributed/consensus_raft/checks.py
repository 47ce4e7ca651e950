"""The five safety properties of Raft (Figure 3 of the paper), checked after every event.

:class:`RaftSafety` watches every :class:`~.node.RaftNode` in a simulator and
raises :class:`SafetyViolation` the moment one of these fails:

1. **Election safety**: at most one leader is elected in a given term.
2. **Leader append-only**: a leader never overwrites or deletes entries in
   its log; it only appends.
3. **Log matching**: if two logs contain an entry with the same index and
   term, the logs are identical in all entries up to that index.
4. **Leader completeness**: an entry committed in a term is present in the
   logs of the leaders of all later terms.
5. **State machine safety**: no two servers apply different entries at the
   same index.

The checker keeps a history (who led each term, every ``(index, term)`` ever
seen, every committed and applied entry) so that it catches violations
*across time*, not just between the logs that exist at one instant. Log
matching is checked inductively: each ``(index, term)`` must always come with
the same command and the same previous term, which by induction on the index
is the property. It only looks again at a node whose ``version`` changed, so
a check after an event costs O(s) for s servers when nothing happened.

Pass it as ``stop`` to :meth:`~studybook.distributed.simulator.Simulator.run`:
it returns ``False`` so the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from studybook.distributed.consensus_raft.messages import Entry
from studybook.distributed.consensus_raft.node import RaftNode
from studybook.distributed.simulator import Simulator

__all__ = ["PROPERTIES", "RaftSafety", "SafetyViolation"]

#: Figure 3's five properties, in the paper's order.
PROPERTIES = (
    "election safety",
    "leader append-only",
    "log matching",
    "leader completeness",
    "state machine safety",
)


class SafetyViolation(AssertionError):
    """One of Figure 3's properties failed; ``prop`` names it."""

    def __init__(self, prop: str, detail: str) -> None:
        super().__init__(f"{prop} violated: {detail}")
        self.prop = prop


@dataclass
class RaftSafety:
    """History-keeping checker of the five properties; call it after every event.

    >>> from studybook.distributed.simulator import Simulator
    >>> sim = Simulator(seed=3)
    >>> for n in ("a", "b", "c"):
    ...     sim.add(RaftNode(n, ("a", "b", "c")))
    >>> safety = RaftSafety()
    >>> sim.run(until=500, stop=safety)
    55
    >>> safety.leaders, safety.checks
    ({1: 'a'}, 55)
    """

    #: Term -> the server that led it.
    leaders: dict[int, str] = field(default_factory=dict)
    #: Index -> (entry, the committing server's term when it first said so).
    committed: dict[int, tuple[Entry, int]] = field(default_factory=dict)
    #: Index -> the entry applied there.
    applied: dict[int, Entry] = field(default_factory=dict)
    #: How many times the checker ran.
    checks: int = 0
    _entries: dict[tuple[int, int], tuple[object, int]] = field(default_factory=dict)
    _leader_logs: dict[str, tuple[int, tuple[Entry, ...]]] = field(default_factory=dict)
    _seen: dict[str, tuple[int, int]] = field(default_factory=dict)
    _nodes: list[RaftNode] = field(default_factory=list)

    def __call__(self, sim: Simulator) -> bool:
        self.check(sim)
        return False

    def check(self, sim: Simulator) -> None:
        """Check every server that changed since the last call.

        Raises:
            SafetyViolation: a property failed; the message says which and where.

        Complexity: O(s) when nothing changed, plus O(n) per changed server
        with n log entries.
        """
        self.checks += 1
        if len(self._nodes) != len(sim.nodes):
            self._nodes = [n for n in map(sim.node, sim.nodes) if isinstance(n, RaftNode)]
        changed: list[RaftNode] = []
        new_commits: list[int] = []
        for node in self._nodes:
            key = (node.version, node.log.version)
            seen = self._seen.get(node.node_id)
            if seen == key or not sim.is_up(node.node_id):
                continue
            self._seen[node.node_id] = key
            changed.append(node)
            self._check_node(node, seen is None or seen[1] != key[1], new_commits)
        if changed:
            for node in self._nodes:
                if node.role == "leader" and sim.is_up(node.node_id):
                    indexes = self.committed if node in changed else new_commits
                    self._check_leader_completeness(node, indexes)

    def _check_node(self, node: RaftNode, log_changed: bool, new_commits: list[int]) -> None:
        log = tuple(node.log)
        if node.role == "leader":
            leader = self.leaders.setdefault(node.current_term, node.node_id)
            if leader != node.node_id:
                raise SafetyViolation(
                    "election safety",
                    f"{leader} and {node.node_id} both led term {node.current_term}",
                )
            term, before = self._leader_logs.get(node.node_id, (-1, ()))
            if term == node.current_term and log[: len(before)] != before:
                raise SafetyViolation(
                    "leader append-only",
                    f"leader {node.node_id} of term {term} changed its log from {before} to {log}",
                )
            self._leader_logs[node.node_id] = (node.current_term, log)
        if log_changed:
            previous_term = 0
            for index, entry in enumerate(log, start=1):
                seen = self._entries.setdefault((index, entry.term), (entry.command, previous_term))
                if seen != (entry.command, previous_term):
                    raise SafetyViolation(
                        "log matching",
                        f"{node.node_id} has {entry} after term {previous_term} at index {index}; "
                        f"another log had {seen[0]!r} after term {seen[1]} there",
                    )
                previous_term = entry.term
        if node.commit_index > len(log):
            raise SafetyViolation(
                "state machine safety",
                f"{node.node_id} commit index {node.commit_index} is past its log ({len(log)})",
            )
        for index in range(1, node.commit_index + 1):
            entry = log[index - 1]
            known = self.committed.get(index)
            if known is None:
                known = self.committed[index] = (entry, node.current_term)
                new_commits.append(index)
            if known[0] != entry:
                raise SafetyViolation(
                    "state machine safety",
                    f"{node.node_id} committed {entry} at index {index}; "
                    f"{known[0]} was committed there",
                )
        for index, entry in enumerate(node.applied, start=1):
            first = self.applied.setdefault(index, entry)
            if first != entry:
                raise SafetyViolation(
                    "state machine safety",
                    f"{node.node_id} applied {entry} at index {index}; "
                    f"another server applied {first}",
                )

    def _check_leader_completeness(self, node: RaftNode, indexes: Iterable[int]) -> None:
        for index in indexes:
            entry, term = self.committed[index]
            if term > node.current_term:
                continue
            if index > node.log.last_index or node.log[index] != entry:
                raise SafetyViolation(
                    "leader completeness",
                    f"leader {node.node_id} of term {node.current_term} lacks {entry} at index "
                    f"{index}, committed by term {term}",
                )
