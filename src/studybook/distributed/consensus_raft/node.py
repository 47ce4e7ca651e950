"""A Raft server as the extended paper's Figure 2 specifies it, running in the simulator.

One class, :class:`RaftNode`, plays all three roles. Every rule of Figure 2
appears once, in the handler for the event that triggers it:

* **All servers**: a message with a larger term makes the receiver adopt the
  term, forget its vote and become a follower; committed entries are applied
  in index order.
* **Followers** answer RPCs; if the election timeout (drawn uniformly from
  ``election_timeout`` each time, from ``sim.rng``) passes without a valid
  AppendEntries or a granted vote, they become candidates.
* **Candidates** increment the term, vote for themselves, persist, ask every
  server of their configuration for a vote, and win with a majority.
* **Leaders** append a no-op (section 8), send AppendEntries (heartbeats
  every ``heartbeat``), back ``next_index`` up on a failed consistency check,
  and advance ``commit_index`` to the largest index stored on a majority
  **whose entry is from the current term** (section 5.4.2, Figure 8).

``current_term``, ``voted_for`` and the log are written to ``sim.disk`` before
any message that depends on them is sent, and reloaded on restart; everything
else is volatile and rebuilt.

Membership changes are single-server (Ongaro's thesis, section 4.1): a
:class:`~.messages.Config` entry that adds or removes one server takes
effect on every server as soon as it is in that server's log; the leader
accepts the next change only once the previous one is committed, and only
after it has committed an entry of its own term (the fix Ongaro posted to
raft-dev in 2015 for a bug in the thesis's algorithm).

>>> from studybook.distributed.simulator import Simulator
>>> sim = Simulator(seed=1)
>>> for name in ("n0", "n1", "n2"):
...     sim.add(RaftNode(name, ("n0", "n1", "n2")))
>>> sim.run(until=400)
44
>>> [(sim.node(n).role, sim.node(n).current_term) for n in sim.nodes]
[('leader', 1), ('follower', 1), ('follower', 1)]
"""

from __future__ import annotations

import math
from typing import Literal

from studybook.distributed.consensus_raft.log import RaftLog
from studybook.distributed.consensus_raft.messages import (
    AppendEntries,
    AppendReply,
    Config,
    Entry,
    RequestVote,
    VoteReply,
)
from studybook.distributed.simulator import BaseNode, Simulator

__all__ = ["RaftNode", "Role"]

Role = Literal["follower", "candidate", "leader"]
_ELECTION = "election"
_HEARTBEAT = "heartbeat"


class RaftNode(BaseNode):
    """One Raft server.

    Args:
        node_id: this server's id.
        servers: the bootstrap configuration (every initial server gets the
            same one); empty for a server that will be added later, which
            waits for the leader to send it the log.
        election_timeout: ``(low, high)`` in virtual time units; each timeout
            is drawn uniformly from it. The paper suggests 150-300 ms.
        heartbeat: the leader's heartbeat interval, below ``low``.
        max_batch: at most this many entries per AppendEntries.
        noop: append a no-op entry on election (section 8), so a new leader
            commits its predecessors' entries without waiting for a client.

    Raises:
        TypeError: a non-numeric timeout or heartbeat, a non-int batch,
            ``servers`` not a tuple or list (a bare string included).
        ValueError: NaN, infinite or non-positive times, ``low > high``,
            ``heartbeat >= low``, ``max_batch < 1``, ``node_id`` missing from
            a non-empty ``servers``.

    Complexity: O(s) to create for s servers.

    >>> RaftNode("n0", ("n0", "n1", "n2")).role
    'follower'
    >>> RaftNode("n0", ("n0",), election_timeout=(100, 200), heartbeat=150)
    Traceback (most recent call last):
    ValueError: heartbeat must be positive and below the election timeout's low end 100.0, got 150
    """

    def __init__(
        self,
        node_id: str,
        servers: tuple[str, ...] | list[str] = (),
        *,
        election_timeout: tuple[float, float] = (150.0, 300.0),
        heartbeat: float = 50.0,
        max_batch: int = 8,
        noop: bool = True,
    ) -> None:
        super().__init__(node_id)
        # tuple("abc") would be three one-letter servers: refuse a bare string.
        self.bootstrap = Config(_servers(servers)) if servers else None
        if self.bootstrap is not None and node_id not in self.bootstrap.servers:
            raise ValueError(f"node {node_id!r} is not in its own configuration {servers!r}")
        if not isinstance(election_timeout, tuple) or len(election_timeout) != 2:
            raise TypeError(
                f"election_timeout must be a (low, high) tuple, got {election_timeout!r}"
            )
        low, high = (_positive(t, "election_timeout") for t in election_timeout)
        if low > high:
            raise ValueError(f"election_timeout must have low <= high, got {election_timeout!r}")
        if _positive(heartbeat, "heartbeat") >= low:
            raise ValueError(
                f"heartbeat must be positive and below the election timeout's low end {low}, "
                f"got {heartbeat!r}"
            )
        if isinstance(max_batch, bool) or not isinstance(max_batch, int):
            raise TypeError(f"max_batch must be an int, got {type(max_batch).__name__}")
        if max_batch < 1:
            raise ValueError(f"max_batch must be an int >= 1, got {max_batch!r}")
        self.election_timeout = (low, high)
        self.heartbeat = float(heartbeat)
        self.max_batch = max_batch
        self.noop = bool(noop)
        #: Bumped on every change a safety checker may want to look at.
        self.version = 0
        self._forget()

    def _forget(self) -> None:
        """Reset every field: what a crash leaves before the disk is read back."""
        # Persistent state (mirrored to sim.disk).
        self.current_term = 0
        self.voted_for: str | None = None
        self.log = RaftLog()
        # Volatile state.
        self.role: Role = "follower"
        self.leader_id: str | None = None
        self.heard_leader_at = -math.inf
        self.commit_index = 0
        self.last_applied = 0
        #: The state machine: the entries applied so far, in index order.
        self.applied: list[Entry] = []
        self.votes: set[str] = set()
        self.next_index: dict[str, int] = {}
        self.match_index: dict[str, int] = {}
        self._config_cache: tuple[tuple[int, int], tuple[Config | None, int]] = ((0, -1), (None, 0))
        self.version += 1

    # -- the simulator's callbacks ----------------------------------------------

    def on_start(self, sim: Simulator) -> None:
        """Reload ``current_term``, ``voted_for`` and the log from disk; start as a follower."""
        disk = sim.disk(self.node_id)
        self.current_term = int(disk.get("current_term", 0))  # type: ignore[call-overload]
        voted = disk.get("voted_for")
        self.voted_for = voted if isinstance(voted, str) else None
        self.log = RaftLog(disk.get("log", ()))  # type: ignore[arg-type]
        self.version += 1
        self._reset_election_timer(sim)

    def on_crash(self) -> None:
        """Forget everything; :meth:`on_start` reloads the durable part."""
        self._forget()

    def on_timer(self, sim: Simulator, name: str) -> None:
        """The election timeout starts an election; the heartbeat timer replicates."""
        if name == _ELECTION:
            self._start_election(sim)
        elif name == _HEARTBEAT and self.role == "leader":
            self._broadcast(sim)
            sim.set_timer(self.node_id, _HEARTBEAT, self.heartbeat)

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Dispatch one RPC or reply, after the rule common to all: a larger term wins."""
        term = getattr(msg, "term", None)
        if not isinstance(term, int):
            return  # not a Raft message: ignore it, as a server ignores garbage
        if isinstance(msg, RequestVote) and term > self.current_term and self._leader_is_alive(sim):
            return  # thesis 4.2.3: a removed or partitioned server must not depose a live leader
        if term > self.current_term:
            self.current_term, self.voted_for = term, None
            self._persist(sim)
            self._become_follower(sim)
        if isinstance(msg, RequestVote):
            self._on_request_vote(sim, src, msg)
        elif isinstance(msg, VoteReply):
            self._on_vote_reply(sim, src, msg)
        elif isinstance(msg, AppendEntries):
            self._on_append_entries(sim, src, msg)
        elif isinstance(msg, AppendReply):
            self._on_append_reply(sim, src, msg)

    def _leader_is_alive(self, sim: Simulator) -> bool:
        if self.role == "leader":
            return True
        return sim.now - self.heard_leader_at < self.election_timeout[0]

    # -- client requests ---------------------------------------------------------

    def propose(self, sim: Simulator, command: object) -> int | None:
        """Append a client command if this server is the leader; return its index, else ``None``.

        The index is only a promise: the entry is committed once
        ``commit_index`` reaches it, and an entry proposed to a leader
        that is then deposed may be replaced.

        Raises:
            TypeError: ``command`` is a :class:`~.messages.Config` (use :meth:`change_membership`).

        Complexity: O(s) messages for s servers.
        """
        if isinstance(command, Config):
            raise TypeError(f"use change_membership for configurations, got {command!r}")
        if self.role != "leader":
            return None
        index = self.log.append(Entry(self.current_term, command))
        self._persist(sim)
        self._advance_commit(sim)  # a one-server configuration is its own majority
        self._broadcast(sim)
        return index

    def change_membership(self, sim: Simulator, servers: tuple[str, ...] | list[str]) -> int | None:
        """Propose a configuration that adds or removes exactly one server.

        Returns the index of the new configuration entry, or ``None`` if this
        server is not the leader, a previous change is not committed yet, or
        no entry of the current term is committed yet.

        Raises:
            TypeError: ``servers`` not a tuple or list of str.
            ValueError: ``servers`` differs from the current configuration by
                anything but exactly one server.

        Complexity: O(n) for a log of n entries.
        """
        new = Config(_servers(servers))
        if self.role != "leader":
            return None
        old, old_index = self.config_with_index()
        current = set(old.servers) if old is not None else set()
        if len(current ^ set(new.servers)) != 1:
            raise ValueError(
                f"a change must add or remove exactly one server, got {new.servers!r} "
                f"from {tuple(sorted(current))!r}"
            )
        if old_index > self.commit_index or not self._committed_own_term():
            return None
        index = self.log.append(Entry(self.current_term, new))
        self._persist(sim)
        self._advance_commit(sim)  # shrinking to one server: the leader alone commits it
        self._broadcast(sim)
        return index

    def _committed_own_term(self) -> bool:
        """The 2015 fix: an entry of the current term is committed; the bug tests override it."""
        return self.commit_index > 0 and self.log.term_at(self.commit_index) == self.current_term

    # -- views -------------------------------------------------------------------

    def config_with_index(self) -> tuple[Config | None, int]:
        """The configuration in force here (the latest in the log) and its log index."""
        if self._config_cache[0] != (id(self.log), self.log.version):
            self._config_cache = ((id(self.log), self.log.version), self.log.config(self.bootstrap))
        return self._config_cache[1]

    @property
    def servers(self) -> tuple[str, ...]:
        """The voting servers of the configuration in force here."""
        config = self.config_with_index()[0]
        return config.servers if config is not None else ()

    # -- elections ---------------------------------------------------------------

    def _reset_election_timer(self, sim: Simulator) -> None:
        sim.set_timer(self.node_id, _ELECTION, sim.rng.uniform(*self.election_timeout))

    def _start_election(self, sim: Simulator) -> None:
        self._reset_election_timer(sim)
        if self.role == "leader" or self.node_id not in self.servers:
            return  # a server outside its configuration never campaigns
        self.current_term += 1
        self.voted_for = self.node_id
        self._persist(sim)
        self.role, self.leader_id, self.votes = "candidate", None, {self.node_id}
        self.version += 1
        request = RequestVote(
            self.current_term, self.node_id, self.log.last_index, self.log.last_term
        )
        for peer in self.servers:
            if peer != self.node_id:
                sim.send(self.node_id, peer, request)
        self._maybe_win(sim)

    def _on_request_vote(self, sim: Simulator, src: str, msg: RequestVote) -> None:
        granted = (
            msg.term == self.current_term
            and self.voted_for in (None, msg.candidate)
            and self._candidate_log_ok(msg)
        )
        if granted:
            self.voted_for = msg.candidate
            self._persist(sim)  # before the reply: a restarted server must not vote twice
            self._reset_election_timer(sim)
        sim.send(self.node_id, src, VoteReply(self.current_term, granted))

    def _candidate_log_ok(self, msg: RequestVote) -> bool:
        """The election restriction (section 5.4.1); the mutation tests override it."""
        return self.log.is_up_to_date(msg.last_log_term, msg.last_log_index)

    def _on_vote_reply(self, sim: Simulator, src: str, msg: VoteReply) -> None:
        if self.role == "candidate" and msg.term == self.current_term and msg.granted:
            self.votes.add(src)
            self._maybe_win(sim)

    def _maybe_win(self, sim: Simulator) -> None:
        config = self.config_with_index()[0]
        if config is None or self.role != "candidate":
            return
        if len(self.votes & set(config.servers)) >= config.majority():
            self._become_leader(sim)

    def _become_leader(self, sim: Simulator) -> None:
        self.role, self.leader_id = "leader", self.node_id
        self.next_index, self.match_index = {}, {}
        self.version += 1
        sim.cancel_timer(self.node_id, _ELECTION)
        if self.noop:
            self.log.append(Entry(self.current_term, None))
            self._persist(sim)
        self._advance_commit(sim)  # a one-server cluster commits on its own
        self._broadcast(sim)
        sim.set_timer(self.node_id, _HEARTBEAT, self.heartbeat)

    def _become_follower(self, sim: Simulator) -> None:
        if self.role != "follower":
            self.role = "follower"
            self.version += 1
            sim.cancel_timer(self.node_id, _HEARTBEAT)
            self._reset_election_timer(sim)

    # -- replication -------------------------------------------------------------

    def _broadcast(self, sim: Simulator) -> None:
        for peer in self.servers:
            if peer != self.node_id:
                self._send_append(sim, peer)

    def _send_append(self, sim: Simulator, peer: str) -> None:
        next_index = self.next_index.setdefault(peer, self.log.last_index + 1)
        self.match_index.setdefault(peer, 0)
        prev = next_index - 1
        request = AppendEntries(
            term=self.current_term,
            leader=self.node_id,
            prev_index=prev,
            prev_term=self.log.term_at(prev),
            entries=self.log.entries_from(next_index, self.max_batch),
            leader_commit=self.commit_index,
        )
        sim.send(self.node_id, peer, request)

    def _on_append_entries(self, sim: Simulator, src: str, msg: AppendEntries) -> None:
        if msg.term < self.current_term:
            sim.send(self.node_id, src, AppendReply(self.current_term, False, self.log.last_index))
            return
        self._become_follower(sim)  # a candidate that hears the new leader steps down
        self.leader_id, self.heard_leader_at = msg.leader, sim.now
        self._reset_election_timer(sim)
        if not self.log.matches(msg.prev_index, msg.prev_term):
            sim.send(self.node_id, src, AppendReply(self.current_term, False, self.log.last_index))
            return
        before = self.log.version
        last_new = self.log.merge(msg.prev_index, msg.entries)
        if self.log.version != before:
            self._persist(sim)  # before the reply: an acknowledged entry survives a crash
        # Only up to the last entry this request vouched for: anything after
        # it may be a stale entry from an older leader.
        self._commit_to(min(msg.leader_commit, last_new))
        sim.send(self.node_id, src, AppendReply(self.current_term, True, last_new))

    def _on_append_reply(self, sim: Simulator, src: str, msg: AppendReply) -> None:
        if self.role != "leader" or msg.term != self.current_term or src not in self.next_index:
            return
        if msg.success:
            self.match_index[src] = max(self.match_index[src], msg.match_index)
            self.next_index[src] = max(self.next_index[src], self.match_index[src] + 1)
            self._advance_commit(sim)
            if self.role == "leader" and self.next_index[src] <= self.log.last_index:
                self._send_append(sim, src)  # keep a lagging follower catching up
        else:
            self.next_index[src] = max(1, min(self.next_index[src] - 1, msg.match_index + 1))
            self._send_append(sim, src)

    def _advance_commit(self, sim: Simulator) -> None:
        config = self.config_with_index()[0]
        if config is None:
            return
        for index in range(self.log.last_index, self.commit_index, -1):
            stored = sum(
                1
                for s in config.servers
                if (self.log.last_index if s == self.node_id else self.match_index.get(s, 0))
                >= index
            )
            if stored >= config.majority() and self._commit_by_counting(index):
                self._commit_to(index)
                break
        config, config_index = self.config_with_index()
        removed = config is not None and self.node_id not in config.servers
        if removed and config_index <= self.commit_index:
            self._become_follower(sim)  # removed, and the removal is committed: step down

    def _commit_by_counting(self, index: int) -> bool:
        """Figure 8's rule: count replicas only for entries of the current term."""
        return self.log.term_at(index) == self.current_term

    def _commit_to(self, index: int) -> None:
        if index <= self.commit_index:
            return
        self.commit_index = index
        while self.last_applied < self.commit_index:
            self.last_applied += 1
            self.applied.append(self.log[self.last_applied])
        self.version += 1

    def _persist(self, sim: Simulator) -> None:
        disk = sim.disk(self.node_id)
        disk["current_term"] = self.current_term
        disk["voted_for"] = self.voted_for
        disk["log"] = tuple(self.log)
        self.version += 1


def _servers(servers: object) -> tuple[str, ...]:
    if isinstance(servers, str | bytes) or not isinstance(servers, tuple | list):
        raise TypeError(f"servers must be a tuple or list of str, got {servers!r}")
    return tuple(servers)


def _positive(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be a number, got {type(value).__name__}: {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be positive and finite, got {value!r}")
    return float(value)
