"""Multi-version concurrency control with snapshot isolation.

A write never overwrites: it adds a new *version* of the row stamped with the
writer's commit timestamp (PostgreSQL's ``xmin``) and closes the previous
version's lifetime (``xmax``). A transaction reads the database as of its
*snapshot*, the last commit timestamp when it began, so readers never block
writers and never see uncommitted data. Two transactions that write the same
key conflict: the first to commit wins and the second aborts
(*first-committer-wins*). What snapshot isolation does **not** prevent is
write skew: two transactions that read overlapping data and write *different*
keys both commit.

Visibility rule: a version is visible to snapshot ``s`` when
``begin <= s < end`` (``end`` is infinity while the version is current); a
transaction also sees its own uncommitted writes. :meth:`MVCCStore.vacuum`
removes versions no running or future transaction can see.

==================  ====================  ================================
operation           cost                  note
==================  ====================  ================================
get                 O(versions of key)    newest first, stops at the first visible
put / delete        O(1)                  buffered in the write set
commit              O(write set)          conflict check, then install
vacuum              O(all versions)       keeps what the oldest snapshot sees
==================  ====================  ================================

>>> db = MVCCStore()
>>> t1 = db.begin(); t1.put("x", "1"); t2 = db.begin()
>>> t2.get("x", None)  # no dirty read: t1 has not committed
>>> _ = t1.commit(); t2.get("x", None), db.begin().get("x")
(None, '1')

Primary source: H. Berenson et al., "A Critique of ANSI SQL Isolation
Levels", SIGMOD 1995 (snapshot isolation, first-committer-wins, write skew).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from studybook._validate import check_str

__all__ = ["MVCCStore", "Transaction", "Version", "WriteConflict"]

_MISSING: Any = object()


class WriteConflict(RuntimeError):
    """Raised by ``commit`` when another transaction committed a write to the same key first."""


@dataclass(frozen=True)
class Version:
    """One version of a key's value.

    Attributes:
        value: the value, or ``None`` for a deletion (a tombstone).
        begin: the commit timestamp of the transaction that wrote it.
        end: the commit timestamp of the transaction that replaced it, or
            ``math.inf`` while it is the current version.
    """

    value: str | None
    begin: int
    end: float


class MVCCStore:
    """A key-value store of versioned strings with snapshot-isolated transactions.

    Complexity: O(1) to create.

    >>> db = MVCCStore(); t = db.begin(); t.put("k", "v"); t.commit()
    1
    >>> db.versions("k")
    [Version(value='v', begin=1, end=inf)]
    """

    def __init__(self) -> None:
        self._versions: dict[str, list[Version]] = {}  # oldest first
        self._clock = 0  # the last commit timestamp handed out
        self._active: dict[int, Transaction] = {}
        self._next_id = 1

    def begin(self) -> Transaction:
        """Start a transaction whose snapshot is every commit so far. Complexity: O(1)."""
        txn = Transaction(self, self._next_id, self._clock)
        self._active[txn.id] = txn
        self._next_id += 1
        return txn

    def versions(self, key: str) -> list[Version]:
        """Every version of ``key`` still stored, oldest first.

        Raises:
            TypeError: ``key`` is not a str.

        Complexity: O(versions of key).
        """
        return list(self._versions.get(check_str(key, "key"), []))

    def _read(self, key: str, snapshot: int) -> str | None:
        for version in reversed(self._versions.get(key, [])):
            if version.begin <= snapshot < version.end:
                return version.value
        return None

    def _commit(self, txn: Transaction) -> int:
        for key in txn._writes:
            chain = self._versions.get(key)
            if chain and chain[-1].begin > txn.snapshot:
                self._active.pop(txn.id, None)
                raise WriteConflict(
                    f"transaction {txn.id} aborted: {key!r} was committed at "
                    f"{chain[-1].begin}, after its snapshot {txn.snapshot}"
                )
        self._clock += 1
        for key, value in txn._writes.items():
            chain = self._versions.setdefault(key, [])
            if chain:
                last = chain[-1]
                chain[-1] = Version(last.value, last.begin, self._clock)
            chain.append(Version(value, self._clock, math.inf))
        self._active.pop(txn.id, None)
        return self._clock

    def vacuum(self) -> int:
        """Delete versions that no running or future transaction can see; return how many.

        The horizon is the oldest running snapshot (or the clock, if none
        runs): a version that ended at or before it is dead, and so is a
        tombstone that is the only version left below it.

        Complexity: O(all versions).

        >>> db = MVCCStore()
        >>> for v in "abc":
        ...     t = db.begin(); t.put("k", v); _ = t.commit()
        >>> reader = db.begin(); t = db.begin(); t.delete("k"); _ = t.commit()
        >>> db.vacuum(), [v.value for v in db.versions("k")]
        (2, ['c', None])
        >>> _ = reader.commit(); db.vacuum(), db.versions("k")
        (2, [])
        """
        horizon = min((t.snapshot for t in self._active.values()), default=self._clock)
        removed = 0
        for key in list(self._versions):
            chain = self._versions[key]
            kept = [v for v in chain if v.end > horizon]
            if len(kept) == 1 and kept[0].value is None and kept[0].begin <= horizon:
                kept = []  # a tombstone every snapshot sees: the key is simply gone
            removed += len(chain) - len(kept)
            if kept:
                self._versions[key] = kept
            else:
                del self._versions[key]
        return removed


class Transaction:
    """A snapshot-isolated transaction; get one from :meth:`MVCCStore.begin`.

    Writes are buffered until :meth:`Transaction.commit`; reads see the snapshot plus the
    transaction's own writes. After commit or abort every method raises
    ``ValueError``.
    """

    def __init__(self, store: MVCCStore, txid: int, snapshot: int) -> None:
        self._store = store
        self.id = txid
        self.snapshot = snapshot
        self._writes: dict[str, str | None] = {}
        self.state = "active"
        """``"active"``, ``"committed"`` or ``"aborted"``."""

    def _check_active(self) -> None:
        if self.state != "active":
            raise ValueError(f"transaction {self.id} is {self.state}")

    def get(self, key: str, default: Any = _MISSING) -> Any:
        """Return ``key``'s value as this transaction sees it.

        Raises:
            KeyError: the key is absent and no ``default`` was given.
            TypeError: ``key`` is not a str.
            ValueError: the transaction has ended.

        Complexity: O(versions of key).

        >>> db = MVCCStore(); t = db.begin()
        >>> t.get("nope")
        Traceback (most recent call last):
            ...
        KeyError: 'nope'
        """
        check_str(key, "key")
        self._check_active()
        value = self._writes[key] if key in self._writes else self._store._read(key, self.snapshot)
        if value is None:
            if default is _MISSING:
                raise KeyError(key)
            return default
        return value

    def put(self, key: str, value: str) -> None:
        """Buffer ``key = value`` until commit.

        Raises:
            TypeError: ``key`` or ``value`` is not a str.
            ValueError: the transaction has ended.

        Complexity: O(1).
        """
        check_str(key, "key")
        check_str(value, "value")
        self._check_active()
        self._writes[key] = value

    def delete(self, key: str) -> None:
        """Buffer the deletion of ``key`` (a tombstone version) until commit.

        Raises:
            TypeError: ``key`` is not a str.
            ValueError: the transaction has ended.

        Complexity: O(1).
        """
        check_str(key, "key")
        self._check_active()
        self._writes[key] = None

    def commit(self) -> int:
        """Install the writes, or abort on a write-write conflict.

        Returns:
            the commit timestamp (the snapshot, for a read-only transaction).

        Raises:
            WriteConflict: a key written here was committed by another
                transaction after this one's snapshot (first committer wins).
            ValueError: the transaction has ended.

        Complexity: O(write set).

        >>> db = MVCCStore(); a = db.begin(); b = db.begin()
        >>> a.put("n", "1"); b.put("n", "2"); a.commit()
        1
        >>> try:
        ...     b.commit()
        ... except WriteConflict as error:
        ...     print(error, "|", b.state)
        transaction 2 aborted: 'n' was committed at 1, after its snapshot 0 | aborted
        """
        self._check_active()
        if not self._writes:
            self._store._active.pop(self.id, None)
            self.state = "committed"
            return self.snapshot
        try:
            timestamp = self._store._commit(self)
        except WriteConflict:
            self.state = "aborted"
            raise
        self.state = "committed"
        return timestamp

    def abort(self) -> None:
        """Discard the writes. Complexity: O(1).

        Raises:
            ValueError: the transaction has ended.
        """
        self._check_active()
        self._store._active.pop(self.id, None)
        self.state = "aborted"
