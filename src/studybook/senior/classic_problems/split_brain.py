"""Split brain: two leaders accept writes during a partition; quorums and fencing stop it.

A five-replica cluster has a leader. A partition cuts the old leader off from
the majority; the majority, hearing nothing, elects a new leader. Now the
outcome depends on the rules (:data:`MODES`):

* ``"naive"``: a leader acknowledges a write once it has stored it, and
  anyone may take over. Both sides accept writes; when the partition heals,
  last-writer-wins by timestamp keeps one value per key and silently drops the
  other side's **acknowledged** writes.
* ``"quorum"``: election and writes need a majority of all five replicas, so
  only one side can make progress. Not enough on its own: if the partition
  *shifts* while the old leader still believes it leads, it can gather a
  majority from replicas that already voted for the new leader, and two
  leaders have each committed writes with a majority.
* ``"quorum+fencing"``: every leader carries an *epoch* (Raft's term,
  ZooKeeper's epoch, a fencing token) that grows with each election; a
  replica that voted in epoch ``e`` refuses anything from an epoch below ``e``.
  The stale leader is refused and learns it was deposed. External resources
  that the leader writes are fenced the same way with
  :class:`~studybook.distributed.coordination_locking.storage.FencedStorage`.

:func:`run_split_brain` plays one fixed script in a given mode and returns a
:class:`SplitBrainRun` with its story and the acknowledged writes that were lost.

Invariant (``"quorum+fencing"``): every acknowledged write survives the heal,
and at most one epoch can commit writes at any time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from studybook._validate import check_real, check_str
from studybook.distributed.coordination_locking import FencedStorage

__all__ = ["MODES", "AckedWrite", "Cluster", "SplitBrainRun", "run_split_brain"]

MODES = ("naive", "quorum", "quorum+fencing")
"""The three rule sets :class:`Cluster` can run, weakest first."""


@dataclass
class _Replica:
    """One replica: the highest epoch it has promised, and key -> (value, time, epoch)."""

    name: str
    epoch: int = 0
    data: dict[str, tuple[tuple[str, ...], float, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class AckedWrite:
    """A write the client was told succeeded."""

    time: float
    leader: str
    epoch: int
    key: str
    value: str


class Cluster:
    """Replicas with a reachability relation, leader elections and writes, under a mode.

    Args:
        names: the replicas, distinct non-empty strs (at least 1).
        mode: one of :data:`MODES`.

    Raises:
        TypeError, ValueError: bad names or mode.

    Complexity: election and write O(n); partition O(n).

    >>> c = Cluster("abcde", mode="quorum+fencing")
    >>> c.elect("a"), c.add("a", "cart", "milk", time=1.0)
    (1, True)
    >>> c.partition("ab", "cde")
    >>> c.elect("a"), c.elect("c"), c.add("a", "cart", "book", time=2.0)
    (None, 2, False)
    >>> c.value("cart")
    ('milk',)
    >>> Cluster("aa", mode="naive")
    Traceback (most recent call last):
        ...
    ValueError: names must be distinct non-empty strs, got ['a', 'a']
    """

    def __init__(self, names: Iterable[str], *, mode: str) -> None:
        if not isinstance(names, Iterable):
            raise TypeError(f"names must be an iterable of strs, got {names!r}")
        listed = list(names)  # "abc" is three one-letter replicas
        if (
            not listed
            or any(not isinstance(n, str) or not n for n in listed)
            or len(set(listed)) != len(listed)
        ):
            raise ValueError(f"names must be distinct non-empty strs, got {listed!r}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES!r}, got {mode!r}")
        self.mode = mode
        self.replicas = {n: _Replica(n) for n in listed}
        self._group = dict.fromkeys(listed, 0)  # same group number: can talk
        self.leader_epoch: dict[str, int] = {}  # who believes it leads, in which epoch
        self.acked: list[AckedWrite] = []
        self._now = 0.0  # the latest write time seen; time must not go back
        self.story: list[str] = []

    @property
    def majority(self) -> int:
        """The number of replicas a quorum needs, more than half of all of them."""
        return len(self.replicas) // 2 + 1

    def partition(self, *groups: Iterable[str]) -> None:
        """Cut the network into ``groups``; replicas not named form one more group.

        Raises:
            TypeError: a group is not an iterable of names.
            ValueError: no group, an unknown replica, or one named twice.
        """
        if not groups:
            raise ValueError("partition needs at least one group; use heal() to reconnect")
        seen: list[str] = []
        for group in groups:
            if not isinstance(group, Iterable):
                raise TypeError(f"each group must be an iterable of names, got {group!r}")
            seen.extend(group)
        if len(set(seen)) != len(seen) or any(n not in self.replicas for n in seen):
            raise ValueError(f"groups must name distinct known replicas, got {seen!r}")
        self._group = dict.fromkeys(self.replicas, len(groups))
        for number, group in enumerate(groups):
            for name in group:
                self._group[name] = number
        self.story.append(f"partition: {' | '.join(''.join(g) for g in groups)}")

    def heal(self) -> None:
        """Reconnect everyone and reconcile: the replicas converge on one value per key.

        Per key, the copy written in the highest epoch wins, the later one
        within an epoch (as Raft prefers the log of the higher term). Without
        fencing, both sides may hold acknowledged writes and one side's are
        dropped; with fencing, the losing side holds none.
        """
        self._group = dict.fromkeys(self.replicas, 0)
        merged: dict[str, tuple[tuple[str, ...], float, int]] = {}
        for replica in self.replicas.values():
            for key, (value, time, epoch) in replica.data.items():
                if key not in merged or (epoch, time) > (merged[key][2], merged[key][1]):
                    merged[key] = (value, time, epoch)
        top = max(r.epoch for r in self.replicas.values())
        for replica in self.replicas.values():
            replica.data = dict(merged)
            replica.epoch = top
        self.leader_epoch = {n: e for n, e in self.leader_epoch.items() if e == top}
        self.story.append("heal: per key, the highest epoch wins")

    def elect(self, candidate: str) -> int | None:
        """``candidate`` tries to become leader; return its new epoch, or ``None`` if it lost.

        Naive: it simply takes over, with whatever its own copy holds. Quorum
        modes: the reachable replicas vote for it (and promise the new epoch),
        it wins with a majority of all replicas, and it adopts, per key, the
        newest copy among its voters (Paxos' phase 1; Raft instead only votes
        for an up-to-date candidate). Any acknowledged write is on a majority,
        and two majorities share a replica, so the new leader has it.

        Raises:
            KeyError: an unknown candidate.
        """
        self._known(candidate)
        reachable = self._reachable(candidate)
        epoch = max(self.replicas[n].epoch for n in reachable) + 1
        if self.mode != "naive" and len(reachable) < self.majority:
            self.story.append(f"{candidate} fails to win an election ({len(reachable)} votes)")
            return None
        for name in reachable:  # naive: an announcement; quorum: votes that promise
            self.replicas[name].epoch = epoch
        if self.mode != "naive":
            mine = self.replicas[candidate].data
            for name in reachable:
                for key, entry in self.replicas[name].data.items():
                    if key not in mine or (entry[2], entry[1]) > (mine[key][2], mine[key][1]):
                        mine[key] = entry
        self.leader_epoch[candidate] = epoch
        self.story.append(f"{candidate} becomes leader, epoch {epoch}")
        return epoch

    def add(self, leader: str, key: str, item: str, *, time: float) -> bool:
        """``leader`` appends ``item`` to the list under ``key``; return whether it was acked.

        The leader reads its own copy, appends, and replicates the whole new
        list (a read-modify-write, like adding to a shopping cart). Naive: the
        reachable replicas store it and the client is told yes. Quorum:
        stored and acknowledged only if a majority is reachable. With fencing,
        a replica that promised a higher epoch refuses, and the leader steps
        down.

        Raises:
            KeyError: ``leader`` is unknown.
            TypeError, ValueError: an empty or non-``str`` key or item; a
                ``leader`` that does not believe it leads; a ``time`` that is
                not finite or earlier than the last write's.
        """
        self._known(leader)
        check_str(key, "key", nonempty=True)
        check_str(item, "item", nonempty=True)
        time = check_real(time, "time", low=self._now)
        self._now = time
        if leader not in self.leader_epoch:
            raise ValueError(f"{leader!r} is not a leader, got a write to {key!r}")
        epoch = self.leader_epoch[leader]
        reachable = self._reachable(leader)
        what = f"t={time:g} {leader} (epoch {epoch}) adds {item!r} to {key}"
        if self.mode == "quorum+fencing":
            stale = [n for n in reachable if self.replicas[n].epoch > epoch]
            if stale:
                del self.leader_epoch[leader]
                promised = max(self.replicas[n].epoch for n in stale)
                self.story.append(
                    f"{what}: REFUSED by {''.join(stale)} (promised epoch {promised}); "
                    f"{leader} steps down"
                )
                return False
        if self.mode != "naive" and len(reachable) < self.majority:
            self.story.append(f"{what}: NOT acknowledged, {len(reachable)} < {self.majority}")
            return False
        mine = self.replicas[leader].data.get(key, ((), 0.0, 0))[0]
        new = (*mine, item)
        for name in reachable:
            self.replicas[name].data[key] = (new, time, epoch)
            self.replicas[name].epoch = max(self.replicas[name].epoch, epoch)
        self.acked.append(AckedWrite(time, leader, epoch, key, item))
        self.story.append(f"{what}: stored on {''.join(reachable)} as {list(new)}, acknowledged")
        return True

    def value(self, key: str) -> tuple[str, ...]:
        """The list the (healed) cluster holds under ``key``, read at the first replica."""
        first = next(iter(self.replicas.values()))
        return first.data.get(key, ((), 0.0, 0))[0]

    def lost_writes(self) -> list[AckedWrite]:
        """Acknowledged additions missing from the final list under their key.

        Counted with multiplicity: if ``"x"`` was acknowledged twice under a
        key and survives once, the later acknowledgement is reported lost.

        Complexity: O(acknowledged writes + total list length).
        """
        left: dict[str, Counter[str]] = {}
        lost = []
        for write in self.acked:
            survivors = left.setdefault(write.key, Counter(self.value(write.key)))
            if survivors[write.value] > 0:
                survivors[write.value] -= 1
            else:
                lost.append(write)
        return lost

    def _known(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"replica name must be a str, got {type(name).__name__}: {name!r}")
        if name not in self.replicas:
            raise KeyError(f"no replica {name!r}")

    def _reachable(self, name: str) -> list[str]:
        return [n for n in self.replicas if self._group[n] == self._group[name]]


@dataclass(frozen=True)
class SplitBrainRun:
    """One scripted run: the story, the final cart, the acknowledged items lost."""

    mode: str
    story: tuple[str, ...]
    cart: tuple[str, ...]
    lost: tuple[AckedWrite, ...]
    backup_owner: str | None


def run_split_brain(mode: str) -> SplitBrainRun:
    """Play the scripted partition in ``mode`` (one of :data:`MODES`).

    Script: replicas a..e; ``a`` leads in epoch 1 and adds ``milk`` to the
    cart. A partition ``ab | cde``; ``c`` is elected; ``c`` adds ``pen`` and
    writes a backup manifest to one external store with its epoch as the
    fencing token. ``a``, which never heard of the election, adds ``book``
    and writes the manifest with its own, older token (the store checks it
    when fencing is on). The partition shifts to ``abd | ce`` and ``a`` adds
    ``lamp``. Then the network heals.

    Raises:
        ValueError: an unknown mode.

    Complexity: O(1) (a fixed script on five replicas).

    >>> [(run.mode, [w.value for w in run.lost], run.backup_owner)
    ...  for run in map(run_split_brain, MODES)]
    [('naive', ['book', 'lamp'], 'a'), ('quorum', ['lamp'], 'a'), ('quorum+fencing', [], 'c')]
    """
    cluster = Cluster("abcde", mode=mode)
    manifest = FencedStorage(fencing=mode == "quorum+fencing")
    cluster.elect("a")
    cluster.add("a", "cart", "milk", time=0.0)
    cluster.partition("ab", "cde")
    cluster.elect("c")
    cluster.add("c", "cart", "pen", time=3.0)
    _write_manifest(cluster, manifest, "c", time=3.0)
    cluster.add("a", "cart", "book", time=4.0)
    _write_manifest(cluster, manifest, "a", time=4.0)  # a still believes it leads
    cluster.partition("abd", "ce")
    cluster.add("a", "cart", "lamp", time=5.0)
    cluster.heal()
    cart = cluster.value("cart")
    cluster.story.append(f"final cart: {list(cart)}")
    return SplitBrainRun(
        mode, tuple(cluster.story), cart, tuple(cluster.lost_writes()), manifest.get("backup")
    )


def _write_manifest(cluster: Cluster, manifest: FencedStorage, leader: str, *, time: float) -> None:
    """``leader`` writes the external backup manifest, its epoch as the fencing token."""
    token = cluster.leader_epoch[leader]
    highest = manifest.highest_token("backup")
    if manifest.write("backup", leader, token=token):
        verdict = "accepted"
    else:
        verdict = f"REFUSED (token {token} < {highest})"
    what = f"t={time:g} {leader} writes the backup manifest with token {token}"
    cluster.story.append(f"{what}: {verdict}")
