"""The replicated log: 1-based entries, the consistency check and conflict truncation.

A Raft log is a list of :class:`~.messages.Entry`, indexed from 1; index 0
is a sentinel with term 0, so "the entry before the first" always exists.
Three operations carry Raft's safety:

* :meth:`RaftLog.matches` is AppendEntries' consistency check: does the
  log hold an entry at ``prev_index`` with term ``prev_term``?
* :meth:`RaftLog.merge` appends a leader's entries after that point,
  deleting an existing entry **only if it conflicts** (same index,
  different term) and everything after it (Figure 2, receiver rule 3).
  Truncating on every request instead would let a delayed, shorter
  AppendEntries erase entries the follower had already acknowledged.
* :meth:`RaftLog.is_up_to_date` is the election restriction (section 5.4.1):
  a voter grants only to a candidate whose last entry has a higher term,
  or the same term and an index at least as large.

Invariant: terms never decrease along the log.

>>> log = RaftLog([Entry(1, "a"), Entry(1, "b"), Entry(2, "c")])
>>> log.last_index, log.last_term, log.matches(2, 1), log.matches(2, 2)
(3, 2, True, False)
>>> log.merge(1, (Entry(1, "b"), Entry(3, "d")))
3
>>> [e.command for e in log]
['a', 'b', 'd']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from studybook.distributed.consensus_raft.messages import Config, Entry

__all__ = ["RaftLog"]


class RaftLog:
    """A Raft log with 1-based indexes.

    Args:
        entries: the initial entries (as reloaded from disk).

    Raises:
        TypeError: an item that is not an :class:`~.messages.Entry`.
        ValueError: terms that decrease along the log, or a term below 1.

    Complexity: O(n) to create.

    >>> len(RaftLog())
    0
    >>> RaftLog([Entry(2, "a"), Entry(1, "b")])
    Traceback (most recent call last):
    ValueError: terms must not decrease along the log, got 1 after 2 at index 2
    """

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries: list[Entry] = []
        #: Bumped on every change, so a caller can tell whether to persist.
        self.version = 0
        for entry in entries:
            self.append(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"RaftLog({self._entries!r})"

    @property
    def last_index(self) -> int:
        """Index of the last entry (0 for an empty log)."""
        return len(self._entries)

    @property
    def last_term(self) -> int:
        """Term of the last entry (0 for an empty log)."""
        return self._entries[-1].term if self._entries else 0

    def term_at(self, index: int) -> int:
        """The term of the entry at ``index``; 0 for index 0.

        Raises:
            IndexError: no entry at ``index``.

        Complexity: O(1).

        >>> RaftLog([Entry(4, "a")]).term_at(1), RaftLog().term_at(0)
        (4, 0)
        >>> RaftLog().term_at(1)
        Traceback (most recent call last):
        IndexError: no entry at index 1 (last index 0)
        """
        if index == 0:
            return 0
        return self[index].term

    def __getitem__(self, index: int) -> Entry:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"index must be an int, got {index!r}")
        if not 1 <= index <= len(self._entries):
            raise IndexError(f"no entry at index {index} (last index {len(self._entries)})")
        return self._entries[index - 1]

    def entries_from(self, index: int, limit: int) -> tuple[Entry, ...]:
        """Up to ``limit`` entries starting at ``index`` (what a leader sends to a follower).

        Complexity: O(limit).
        """
        return tuple(self._entries[index - 1 : index - 1 + limit])

    def append(self, entry: Entry) -> int:
        """Append one entry (a leader's new command); return its index.

        Raises:
            TypeError: not an :class:`~.messages.Entry`.
            ValueError: its term is below 1 or below the last entry's term.

        Complexity: O(1).
        """
        if not isinstance(entry, Entry):
            raise TypeError(f"expected an Entry, got {entry!r}")
        if isinstance(entry.term, bool) or not isinstance(entry.term, int) or entry.term < 1:
            raise ValueError(f"an entry's term must be an int >= 1, got {entry.term!r}")
        if entry.term < self.last_term:
            raise ValueError(
                f"terms must not decrease along the log, got {entry.term} after "
                f"{self.last_term} at index {self.last_index + 1}"
            )
        self._entries.append(entry)
        self.version += 1
        return len(self._entries)

    def matches(self, prev_index: int, prev_term: int) -> bool:
        """AppendEntries' consistency check: an entry at ``prev_index`` with ``prev_term``.

        Complexity: O(1).
        """
        return 0 <= prev_index <= self.last_index and self.term_at(prev_index) == prev_term

    def merge(self, prev_index: int, entries: Iterable[Entry]) -> int:
        """Add a leader's ``entries`` after ``prev_index``; return the last index they cover.

        An existing entry that agrees (same term) is kept; the first one that
        conflicts is deleted together with all that follow it, and the rest
        of ``entries`` is appended. Entries past the request are left alone
        when nothing conflicts: they may come from this same leader.

        Nothing changes unless the whole request is valid.

        Raises:
            ValueError: the consistency check fails at ``prev_index`` (call
                :meth:`matches` first), or an entry's term is below 1 or
                would make terms decrease along the log.
            TypeError: an element of ``entries`` is not an :class:`~.messages.Entry`.

        Complexity: O(k + t) for k entries and t truncated.

        >>> log = RaftLog([Entry(1, "a"), Entry(2, "b"), Entry(2, "c")])
        >>> log.merge(1, [Entry(2, "b")]), log.last_index
        (2, 3)
        >>> log.merge(5, [])
        Traceback (most recent call last):
        ValueError: log does not match at prev_index 5
        >>> log.merge(0, [Entry(1, "a"), Entry(3, "x"), Entry(2, "y")])
        Traceback (most recent call last):
        ValueError: terms must not decrease along the log, got 2 after 3 at index 3
        >>> [e.command for e in log]
        ['a', 'b', 'c']
        """
        if (
            isinstance(prev_index, bool)
            or not isinstance(prev_index, int)
            or not 0 <= prev_index <= self.last_index
        ):
            raise ValueError(f"log does not match at prev_index {prev_index!r}")
        batch = tuple(entries)
        for entry in batch:
            if not isinstance(entry, Entry):
                raise TypeError(f"expected an Entry, got {entry!r}")
        index = prev_index  # skip the prefix this log already holds
        while index - prev_index < len(batch) and index < self.last_index:
            if self[index + 1].term != batch[index - prev_index].term:
                break
            index += 1
        rest = batch[index - prev_index :]
        # Validate everything before changing anything: a bad request must not
        # truncate entries this server has already acknowledged.
        last_term = self.term_at(index)
        for position, entry in enumerate(rest, start=index + 1):
            term = entry.term
            if isinstance(term, bool) or not isinstance(term, int) or term < 1:
                raise ValueError(f"an entry's term must be an int >= 1, got {term!r}")
            if term < last_term:
                raise ValueError(
                    f"terms must not decrease along the log, got {term} after "
                    f"{last_term} at index {position}"
                )
            last_term = term
        if rest and index < self.last_index:
            del self._entries[index:]  # the first conflict and everything after it
            self.version += 1
        for entry in rest:
            self.append(entry)
        return prev_index + len(batch)

    def is_up_to_date(self, last_term: int, last_index: int) -> bool:
        """The election restriction: is a log ending at ``(last_term, last_index)`` as up to date?

        Complexity: O(1).

        >>> log = RaftLog([Entry(1, "a"), Entry(2, "b")])
        >>> log.is_up_to_date(2, 2), log.is_up_to_date(3, 1), log.is_up_to_date(1, 9)
        (True, True, False)
        """
        return (last_term, last_index) >= (self.last_term, self.last_index)

    def config(self, bootstrap: Config | None) -> tuple[Config | None, int]:
        """The latest configuration in the log and its index, or ``(bootstrap, 0)``.

        Complexity: O(n) in the worst case (a backwards scan).
        """
        for index in range(self.last_index, 0, -1):
            command = self._entries[index - 1].command
            if isinstance(command, Config):
                return command, index
        return bootstrap, 0

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` if a term is below 1 or terms decrease along the log."""
        terms = [e.term for e in self._entries]
        if not all(isinstance(t, int) and t >= 1 for t in terms):
            raise AssertionError(f"every term must be an int >= 1, got {terms}")
        if terms != sorted(terms):
            raise AssertionError(f"terms decrease along the log: {terms}")
