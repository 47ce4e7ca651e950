"""Raft's wire format: log entries, configurations and the two RPCs with their replies.

Raft needs exactly two remote procedure calls (Ongaro & Ousterhout 2014,
Figure 2): **RequestVote**, sent by candidates, and **AppendEntries**, sent by
the leader both to replicate entries and, empty, as a heartbeat. Every
message carries the sender's ``term``; a receiver that sees a larger term
adopts it and becomes a follower, and one that sees a smaller term rejects
the message. That single rule is what retires stale leaders.

The messages are frozen dataclasses, so the simulator can deliver the same
object twice (duplication) without either copy changing under the other.

>>> Entry(2, "x=1")
Entry(term=2, command='x=1')
>>> Config(("n2", "n1")).servers
('n1', 'n2')
>>> RequestVote(term=3, candidate="n1", last_log_index=4, last_log_term=2).term
3
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AppendEntries",
    "AppendReply",
    "Config",
    "Entry",
    "RequestVote",
    "VoteReply",
]


@dataclass(frozen=True)
class Config:
    """A cluster membership: the set of voting servers, kept sorted for stable output.

    A ``Config`` travels *inside* a log entry (``Entry(term, Config(...))``);
    a server uses the latest one in its log, committed or not (the thesis's
    single-server change, section 4.1).

    Raises:
        TypeError: ``servers`` is not a collection of non-empty ``str``.
        ValueError: no servers, or a server named twice.

    Complexity: O(s log s) to create for s servers.

    >>> Config(("b", "a"))
    Config(servers=('a', 'b'))
    >>> Config(("a", "a"))
    Traceback (most recent call last):
    ValueError: servers must be distinct, got ('a', 'a')
    """

    servers: tuple[str, ...]

    def __post_init__(self) -> None:
        servers = self.servers
        if not isinstance(servers, tuple | list | set | frozenset):
            raise TypeError(f"servers must be a collection of str, got {servers!r}")
        if not all(isinstance(s, str) and s for s in servers):
            raise TypeError(f"servers must be non-empty str, got {servers!r}")
        if not servers:
            raise ValueError(f"a configuration needs at least one server, got {servers!r}")
        if len(set(servers)) != len(servers):
            raise ValueError(f"servers must be distinct, got {servers!r}")
        object.__setattr__(self, "servers", tuple(sorted(servers)))

    def majority(self) -> int:
        """The smallest number of servers that is more than half: ``len // 2 + 1``.

        >>> Config(("a", "b", "c", "d")).majority()
        3
        """
        return len(self.servers) // 2 + 1


@dataclass(frozen=True)
class Entry:
    """One log entry: the leader's term when it was created, and a command.

    ``command`` is what the state machine applies; ``None`` is the no-op a
    new leader appends (section 8 of the paper), and a :class:`Config` is a
    membership change.
    """

    term: int
    command: object


@dataclass(frozen=True)
class RequestVote:
    """A candidate asks for a vote in ``term``, describing how up to date its log is."""

    term: int
    candidate: str
    last_log_index: int
    last_log_term: int


@dataclass(frozen=True)
class VoteReply:
    """The answer to :class:`RequestVote`: the voter's term and whether it granted."""

    term: int
    granted: bool


@dataclass(frozen=True, repr=False)
class AppendEntries:
    """The leader's replication RPC (empty ``entries``: a heartbeat).

    ``prev_index``/``prev_term`` name the entry just before ``entries``: the
    follower accepts only if its log holds an entry there with that term (the
    consistency check that, by induction, gives the Log Matching property).
    """

    term: int
    leader: str
    prev_index: int
    prev_term: int
    entries: tuple[Entry, ...]
    leader_commit: int

    def __repr__(self) -> str:
        # Short, because the simulator's trace records every message it delivers.
        return (
            f"AppendEntries(term={self.term}, leader={self.leader!r}, prev={self.prev_index}/"
            f"{self.prev_term}, entries={len(self.entries)}, commit={self.leader_commit})"
        )


@dataclass(frozen=True)
class AppendReply:
    """The answer to :class:`AppendEntries`.

    On success ``match_index`` is the index of the last entry the request
    made sure of (``prev_index + len(entries)``); on failure it is the
    follower's last log index, a hint that lets the leader back up faster
    than one entry per round trip.
    """

    term: int
    success: bool
    match_index: int
