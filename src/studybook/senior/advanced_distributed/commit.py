"""Two-phase commit, and why it blocks when the coordinator crashes between phases.

Two-phase commit (Gray 1978) makes one transaction atomic across several
resource managers. Phase 1: the coordinator asks every participant to
*prepare*; a participant that votes yes force-writes a prepared record and
promises to commit if told to, so it must keep the transaction's locks. Phase
2: the coordinator force-writes the decision (commit only if every vote was
yes) and sends it. A participant that voted yes and has not heard the decision
is *in doubt*: it may neither commit (another may have voted no) nor abort
(the coordinator may have decided commit and told someone). If the coordinator
crashes then, the participants block, locks held, until it recovers, unless a
peer already knows the outcome (the cooperative termination protocol, which
:meth:`Participant.terminate` runs). Three-phase commit (Skeen 1981) and Paxos
Commit (Gray and Lamport 2006) exist to remove that block.

>>> shop, bank = Participant("shop"), Participant("bank")
>>> shop.write("stock:book", 0); bank.write("alice", 400)
>>> outcome = Coordinator([shop, bank]).run(crash="after_votes")
>>> outcome.decision, outcome.in_doubt, outcome.locks
(None, ('bank', 'shop'), {'bank': ('alice',), 'shop': ('stock:book',)})
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from studybook._validate import check_str

__all__ = ["CRASH_POINTS", "Coordinator", "CrashPoint", "Participant", "TwoPCOutcome"]

CrashPoint = Literal["after_votes", "after_decision", "after_first_commit"]
CRASH_POINTS: tuple[CrashPoint, ...] = ("after_votes", "after_decision", "after_first_commit")
State = Literal["working", "prepared", "committed", "aborted"]
Decision = Literal["commit", "abort"]


class Participant:
    """A resource manager: staged writes under locks, a durable log, and a vote.

    Args:
        name: the participant's name.
        vote_yes: ``False`` makes ``prepare`` vote no (a constraint failed, say).

    >>> p = Participant("db"); p.write("k", 1); p.prepare(), p.state, p.locks
    (True, 'prepared', ('k',))
    >>> p.write("j", 2)
    Traceback (most recent call last):
        ...
    ValueError: 'db' cannot write in state 'prepared'
    """

    def __init__(self, name: str, *, vote_yes: bool = True) -> None:
        self.name = check_str(name, "name", nonempty=True)
        if not isinstance(vote_yes, bool):
            raise TypeError(f"vote_yes must be a bool, got {type(vote_yes).__name__}: {vote_yes!r}")
        self.vote_yes = vote_yes
        self.state: State = "working"
        self.data: dict[str, object] = {}
        self.log: list[str] = []
        self._staged: dict[str, object] = {}

    def __repr__(self) -> str:
        return f"Participant({self.name!r}, state={self.state!r}, locks={self.locks!r})"

    @property
    def locks(self) -> tuple[str, ...]:
        """The keys this participant holds locked for the transaction, sorted."""
        return tuple(sorted(self._staged))

    @property
    def in_doubt(self) -> bool:
        """``True`` once it voted yes and until it learns the decision."""
        return self.state == "prepared"

    def write(self, key: str, value: object) -> None:
        """Stage ``value`` under ``key`` and lock the key.

        Raises:
            TypeError: ``key`` is not a str.
            ValueError: the participant has already voted or finished.
        """
        check_str(key, "key", nonempty=True)
        if self.state != "working":
            raise ValueError(f"{self.name!r} cannot write in state {self.state!r}")
        self._staged[key] = value

    def prepare(self) -> bool:
        """Phase 1: vote. A yes is logged first and binds the participant to wait.

        A no aborts at once: a participant that has not voted yes may always
        abort on its own.
        """
        if self.state == "prepared":
            return True
        if self.state != "working":
            return self.state == "committed"
        if not self.vote_yes:
            self.abort()
            return False
        self.log.append("prepared")
        self.state = "prepared"
        return True

    def commit(self) -> None:
        """Phase 2: apply the staged writes and release the locks; idempotent.

        Raises:
            ValueError: it never voted yes, or it already aborted.
        """
        if self.state == "committed":
            return
        if self.state != "prepared":
            raise ValueError(f"{self.name!r} cannot commit in state {self.state!r}")
        self.data.update(self._staged)
        self._staged.clear()
        self.log.append("committed")
        self.state = "committed"

    def abort(self) -> None:
        """Drop the staged writes and release the locks; idempotent.

        Raises:
            ValueError: it already committed.
        """
        if self.state == "aborted":
            return
        if self.state == "committed":
            raise ValueError(f"{self.name!r} cannot abort: already committed")
        self._staged.clear()
        self.log.append("aborted")
        self.state = "aborted"

    def terminate(self, peers: Sequence[Participant]) -> State:
        """The cooperative termination protocol: an in-doubt participant asks its peers.

        If a peer committed, commit; if a peer aborted or has not voted yet (it
        can still abort, and will), abort; if every reachable peer is also in
        doubt, nobody knows, and all of them stay blocked.

        Returns:
            The participant's state afterwards.

        Raises:
            TypeError: ``peers`` holds something that is not a :class:`Participant`.
        """
        for peer in peers:
            if not isinstance(peer, Participant):
                raise TypeError(f"peers must be Participants, got {type(peer).__name__}: {peer!r}")
        if self.state != "prepared":
            return self.state
        states = {peer.state for peer in peers if peer is not self}
        if "committed" in states:
            self.commit()
        elif "aborted" in states or "working" in states:
            for peer in peers:
                if peer.state == "working":
                    peer.abort()
            self.abort()
        return self.state


@dataclass(frozen=True)
class TwoPCOutcome:
    """What a run of the protocol left behind.

    ``decision`` is ``None`` when the coordinator crashed before logging one.
    ``in_doubt`` lists the participants blocked in the prepared state, and
    ``locks`` the keys each participant still holds. ``messages`` is the
    trace, one ``"sender -> receiver: message"`` line per message.
    """

    decision: Decision | None
    crashed: bool
    states: dict[str, State]
    in_doubt: tuple[str, ...]
    locks: dict[str, tuple[str, ...]]
    messages: tuple[str, ...]


class Coordinator:
    """The transaction manager, with a durable decision log and injectable crashes.

    Args:
        participants: the resource managers, with distinct names.

    Raises:
        TypeError: a member is not a :class:`Participant`.
        ValueError: no participants, or two share a name.
    """

    def __init__(self, participants: Sequence[Participant]) -> None:
        members = list(participants)
        for p in members:
            if not isinstance(p, Participant):
                raise TypeError(f"participants must be Participants, got {type(p).__name__}: {p!r}")
        names = [p.name for p in members]
        if not members or len(set(names)) != len(names):
            raise ValueError(f"need participants with distinct names, got {names!r}")
        self.participants = members
        self.log: list[str] = []
        self.messages: list[str] = []

    def _send(self, to: Participant, message: str) -> None:
        self.messages.append(f"coordinator -> {to.name}: {message}")

    def run(self, *, crash: CrashPoint | None = None) -> TwoPCOutcome:
        """Run both phases; crash at ``crash`` if given.

        ``"after_votes"``: every vote is in, no decision logged (the window
        that blocks); ``"after_decision"``: decision logged, nothing sent;
        ``"after_first_commit"``: the decision reached only the first participant.

        Raises:
            ValueError: an unknown crash point, or the coordinator already ran.

        Complexity: O(participants) messages, 4 per participant without a crash.
        """
        if crash is not None and crash not in CRASH_POINTS:
            raise ValueError(f"crash must be one of {CRASH_POINTS!r} or None, got {crash!r}")
        if self.log:
            raise ValueError(f"this coordinator already ran: {self.log!r}")
        self.log.append("begin")
        votes = []
        for p in self.participants:
            self._send(p, "PREPARE")
            vote = p.prepare()
            self.messages.append(f"{p.name} -> coordinator: {'YES' if vote else 'NO'}")
            votes.append(vote)
            if not vote:
                break  # one no decides: skip the remaining prepares
        if crash == "after_votes":
            return self._outcome(crashed=True)
        unanimous = len(votes) == len(self.participants) and all(votes)
        decision: Decision = "commit" if unanimous else "abort"
        self.log.append(decision)  # the commit point: forced to disk before any phase-2 message
        if crash == "after_decision":
            return self._outcome(crashed=True)
        for i, p in enumerate(self.participants):
            self._deliver(p, decision)
            if crash == "after_first_commit" and i == 0:
                return self._outcome(crashed=True)
        self.log.append("end")
        return self._outcome(crashed=False)

    def _deliver(self, p: Participant, decision: Decision) -> None:
        self._send(p, decision.upper())
        if decision == "commit":
            p.commit()
        else:
            p.abort()
        self.messages.append(f"{p.name} -> coordinator: ACK")

    def recover(self) -> TwoPCOutcome:
        """Restart after a crash: finish what the log says, presuming abort if it says nothing.

        A logged decision is sent again to everyone (participants apply it
        idempotently); without one no participant can have been told commit,
        so abort is safe.

        Raises:
            ValueError: the coordinator never ran, so there is nothing to recover.
        """
        if not self.log:
            raise ValueError("nothing to recover: this coordinator never ran")
        decision: Decision = "commit" if "commit" in self.log else "abort"
        if decision not in self.log:
            self.log.append(decision)
        for p in self.participants:
            if p.state != _final(decision):
                self._deliver(p, decision)
        self.log.append("end")
        return self._outcome(crashed=False)

    def _outcome(self, *, crashed: bool) -> TwoPCOutcome:
        decided = [entry for entry in self.log if entry in ("commit", "abort")]
        decision: Decision | None = (
            "commit" if decided == ["commit"] else ("abort" if decided == ["abort"] else None)
        )
        ordered = sorted(self.participants, key=lambda p: p.name)
        return TwoPCOutcome(
            decision=decision,
            crashed=crashed,
            states={p.name: p.state for p in ordered},
            in_doubt=tuple(p.name for p in ordered if p.in_doubt),
            locks={p.name: p.locks for p in ordered if p.locks},
            messages=tuple(self.messages),
        )


def _final(decision: Decision) -> State:
    return "committed" if decision == "commit" else "aborted"
