"""Behavioral patterns about requests: Chain of Responsibility, Command, Mediator, Observer.

These four decide who handles a request and who hears about an event, and
how much the sender must know about them: nothing beyond the first link
(Chain), nothing but an object to run later (Command), only a hub (Mediator),
or only that someone may be listening (Observer).

>>> approve_expense(default_chain(), 2500)
'manager approved 2500'

Primary source: Gamma et al., *Design Patterns*, 1994, chapter 5.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from studybook._validate import check_callable, check_int, check_str

__all__ = [
    "Approver",
    "ChatRoom",
    "Command",
    "DeleteText",
    "History",
    "InsertText",
    "Member",
    "Subject",
    "TextBuffer",
    "approve_expense",
    "default_chain",
    "first_that_handles",
]


# --- Chain of Responsibility -------------------------------------------------


class Approver:
    """One link of the chain: approve up to ``limit``, else pass to the next link.

    >>> lead = Approver("lead", 1_000, Approver("cfo", 50_000))
    >>> lead.handle(800), lead.handle(20_000), lead.handle(10**6)
    ('lead approved 800', 'cfo approved 20000', None)
    """

    def __init__(self, name: str, limit: int, successor: Approver | None = None) -> None:
        self.name = check_str(name, "name", nonempty=True)
        self.limit = check_int(limit, "limit", minimum=0)
        if successor is not None and not isinstance(successor, Approver):
            raise TypeError(
                f"successor must be an Approver or None, got {type(successor).__name__}: "
                f"{successor!r}"
            )
        self.successor = successor

    def handle(self, amount: int) -> str | None:
        """Approve here, or forward; None when no link can.

        Complexity: O(length of the chain).
        """
        check_int(amount, "amount", minimum=0)
        if amount <= self.limit:
            return f"{self.name} approved {amount}"
        return None if self.successor is None else self.successor.handle(amount)


def default_chain() -> Approver:
    """Team lead (1,000), manager (10,000), director (100,000)."""
    return Approver("lead", 1_000, Approver("manager", 10_000, Approver("director", 100_000)))


def approve_expense(chain: Approver, amount: int) -> str:
    """Send ``amount`` down the chain; raise if nobody can approve it.

    Raises:
        TypeError: ``amount`` is not an int (or is a bool).
        ValueError: ``amount`` is negative, or above every limit.

    Complexity: O(length of the chain).

    >>> approve_expense(default_chain(), 0)
    'lead approved 0'
    >>> approve_expense(default_chain(), 200_000)
    Traceback (most recent call last):
    ValueError: no approver for 200000
    """
    check_int(amount, "amount", minimum=0)
    result = chain.handle(amount)
    if result is None:
        raise ValueError(f"no approver for {amount}")
    return result


R = TypeVar("R")
Q = TypeVar("Q")


def first_that_handles(handlers: list[Callable[[Q], R | None]], request: Q) -> R | None:
    """The Pythonic chain: a list of functions, the first non-None answer wins.

    Complexity: O(len(handlers)).

    >>> small = lambda n: f"small {n}" if n < 10 else None
    >>> big = lambda n: f"big {n}" if n < 100 else None
    >>> first_that_handles([small, big], 42), first_that_handles([small, big], 420)
    ('big 42', None)
    """
    for handler in handlers:
        answer = handler(request)
        if answer is not None:
            return answer
    return None


# --- Command -----------------------------------------------------------------


@dataclass
class TextBuffer:
    """The receiver: a string that commands edit."""

    text: str = ""


class Command(ABC):
    """A request as an object: it can be queued, logged, and undone."""

    @abstractmethod
    def execute(self, buf: TextBuffer) -> None:
        """Apply the change."""

    @abstractmethod
    def undo(self, buf: TextBuffer) -> None:
        """Revert exactly what :meth:`execute` did."""


@dataclass
class InsertText(Command):
    """Insert ``text`` at ``pos``."""

    pos: int
    text: str

    def __post_init__(self) -> None:
        check_int(self.pos, "pos", minimum=0)
        check_str(self.text, "text")

    def execute(self, buf: TextBuffer) -> None:
        """Insert; ``pos`` must be within the buffer."""
        if self.pos > len(buf.text):
            raise ValueError(f"pos must be <= {len(buf.text)}, got {self.pos}")
        buf.text = buf.text[: self.pos] + self.text + buf.text[self.pos :]

    def undo(self, buf: TextBuffer) -> None:
        """Remove what was inserted."""
        buf.text = buf.text[: self.pos] + buf.text[self.pos + len(self.text) :]


@dataclass
class DeleteText(Command):
    """Delete ``length`` characters at ``pos``; remembers them for undo."""

    pos: int
    length: int
    _removed: str = field(default="", init=False, repr=False)

    def __post_init__(self) -> None:
        check_int(self.pos, "pos", minimum=0)
        check_int(self.length, "length", minimum=0)

    def execute(self, buf: TextBuffer) -> None:
        """Delete; the range must be within the buffer."""
        if self.pos + self.length > len(buf.text):
            raise ValueError(
                f"range [{self.pos}, {self.pos + self.length}) is outside a buffer of "
                f"{len(buf.text)} characters"
            )
        self._removed = buf.text[self.pos : self.pos + self.length]
        buf.text = buf.text[: self.pos] + buf.text[self.pos + self.length :]

    def undo(self, buf: TextBuffer) -> None:
        """Put the removed characters back."""
        buf.text = buf.text[: self.pos] + self._removed + buf.text[self.pos :]


class History:
    """The invoker: runs commands and keeps undo and redo stacks.

    >>> h = History(TextBuffer())
    >>> h.run(InsertText(0, "hello world")); h.run(DeleteText(5, 6)); h.buffer.text
    'hello'
    >>> h.undo(); h.buffer.text
    'hello world'
    >>> h.redo(); h.undo(); h.undo(); h.buffer.text
    ''
    >>> h.undo()
    Traceback (most recent call last):
    IndexError: nothing to undo
    """

    def __init__(self, buffer: TextBuffer) -> None:
        self.buffer = buffer
        self._done: list[Command] = []
        self._undone: list[Command] = []

    def run(self, command: Command) -> None:
        """Execute and record a copy of ``command``; a new command clears the redo stack.

        The copy lets one command object be run many times (a toolbar's
        "delete word" button) with each run undone correctly.

        Complexity: that of the command.
        """
        if not isinstance(command, Command):
            raise TypeError(f"command must be a Command, got {type(command).__name__}: {command!r}")
        # GoF (Command, Implementation 2): a command whose state changes when it
        # runs must be copied before it goes on the history list. DeleteText
        # stores what it removed, so running one object twice without the copy
        # would make the first undo restore the second deletion's text.
        command = copy.copy(command)
        command.execute(self.buffer)
        self._done.append(command)
        self._undone.clear()

    def undo(self) -> None:
        """Undo the last command."""
        if not self._done:
            raise IndexError("nothing to undo")
        command = self._done.pop()
        command.undo(self.buffer)
        self._undone.append(command)

    def redo(self) -> None:
        """Re-execute the last undone command."""
        if not self._undone:
            raise IndexError("nothing to redo")
        command = self._undone.pop()
        command.execute(self.buffer)
        self._done.append(command)


# --- Mediator ----------------------------------------------------------------


class Member:
    """A colleague: knows only the room, never the other members."""

    def __init__(self, name: str) -> None:
        self.name = check_str(name, "name", nonempty=True)
        self.inbox: list[str] = []
        self.room: ChatRoom | None = None

    def say(self, text: str, to: str | None = None) -> None:
        """Send through the room: to everyone, or to one member by name."""
        if self.room is None:
            raise RuntimeError(f"{self.name!r} has not joined a room")
        self.room.route(self, check_str(text, "text"), to)


class ChatRoom:
    """Mediator: all interaction among members goes through the room.

    n members talking directly need up to n(n-1)/2 links; with a mediator, n.
    Rules (muting, private messages) live in one place.

    >>> room = ChatRoom(); a, b, c = (room.join(Member(n)) for n in "abc")
    >>> a.say("hi"); b.say("psst", to="c"); room.mute("a"); a.say("ignored")
    >>> a.inbox, b.inbox, c.inbox
    ([], ['a: hi'], ['a: hi', 'b (private): psst'])
    >>> a.say("?", to="zed")
    Traceback (most recent call last):
    KeyError: "no member named 'zed'"
    """

    def __init__(self) -> None:
        self._members: dict[str, Member] = {}
        self._muted: set[str] = set()

    def join(self, member: Member) -> Member:
        """Add a member (names are unique) and return it."""
        if not isinstance(member, Member):
            raise TypeError(f"member must be a Member, got {type(member).__name__}: {member!r}")
        if member.name in self._members:
            raise ValueError(f"a member named {member.name!r} is already in the room")
        member.room = self
        self._members[member.name] = member
        return member

    def mute(self, name: str) -> None:
        """Drop every later message from ``name``."""
        if name not in self._members:
            raise KeyError(f"no member named {name!r}")
        self._muted.add(name)

    def route(self, sender: Member, text: str, to: str | None) -> None:
        """Deliver ``text`` according to the room's rules.

        Complexity: O(members) for a broadcast, O(1) for a private message.
        """
        if to is not None and to not in self._members:
            raise KeyError(f"no member named {to!r}")
        if sender.name in self._muted:
            return
        if to is not None:
            self._members[to].inbox.append(f"{sender.name} (private): {text}")
            return
        for member in self._members.values():
            if member is not sender:
                member.inbox.append(f"{sender.name}: {text}")


# --- Observer ----------------------------------------------------------------

E = TypeVar("E")


class Subject(Generic[E]):
    """Observer: a subject keeps a list of callbacks and calls each on every event.

    ``subscribe`` returns the function that unsubscribes, so the caller keeps
    no handle on the subject's internals. Notification iterates over a snapshot,
    so an observer may unsubscribe itself while being notified.

    >>> prices: Subject[int] = Subject()
    >>> seen: list[str] = []
    >>> stop = prices.subscribe(lambda p: seen.append(f"A {p}"))
    >>> _ = prices.subscribe(lambda p: seen.append(f"B {p}"))
    >>> prices.notify(10), stop(), prices.notify(11), seen
    (2, None, 1, ['A 10', 'B 10', 'B 11'])
    >>> prices.subscribe("not callable")
    Traceback (most recent call last):
    TypeError: observer must be callable, got str: 'not callable'
    """

    def __init__(self) -> None:
        self._observers: list[_Subscription[E]] = []

    def subscribe(self, observer: Callable[[E], object]) -> Callable[[], None]:
        """Register ``observer``; return a function that removes it (idempotent).

        Complexity: O(1); the unsubscribe is O(observers).
        """
        check_callable(observer, "observer")
        # Each subscription is its own entry, removed by identity: subscribing
        # one function twice gives two entries, and each unsubscribe removes
        # exactly its own, however often it is called.
        entry = _Subscription(observer)
        self._observers.append(entry)

        def unsubscribe() -> None:
            for i, e in enumerate(self._observers):
                if e is entry:
                    del self._observers[i]
                    return

        return unsubscribe

    def notify(self, event: E) -> int:
        """Call every observer with ``event``, in subscription order; return how many.

        Complexity: O(observers).
        """
        observers = list(self._observers)
        for entry in observers:
            entry.observer(event)
        return len(observers)


class _Subscription(Generic[E]):
    __slots__ = ("observer",)

    def __init__(self, observer: Callable[[E], object]) -> None:
        self.observer = observer
