"""The protected resource: a key-value store that can check fencing tokens.

:class:`FencedStorage` is the pure core. With ``fencing=True`` it remembers,
per key, the highest token it has accepted and refuses a write that carries
a lower one; with ``fencing=False`` it accepts every write, as a plain
database or file server does. :class:`StorageNode` serves it in the
simulator and answers each :class:`Write` with a :class:`WriteResult`.

Invariant (fencing on): the tokens of the accepted writes to a key never
decrease.
"""

from __future__ import annotations

from dataclasses import dataclass

from studybook.distributed.coordination_locking._validate import check_name, check_token
from studybook.distributed.simulator import BaseNode, Simulator

__all__ = ["AppliedWrite", "FencedStorage", "StorageNode", "Write", "WriteResult"]


@dataclass(frozen=True)
class AppliedWrite:
    """One write the storage saw: when, from whom, what, with which token, and the verdict."""

    time: float
    client: str
    key: str
    value: str
    token: int
    accepted: bool


class FencedStorage:
    """A key -> value store; with ``fencing`` it refuses tokens below the highest seen.

    Equal tokens are accepted: the same holder may write twice under one lease.

    Complexity: O(1) per write.

    >>> store = FencedStorage(fencing=True)
    >>> store.write("file", "from 34", token=34), store.write("file", "from 33", token=33)
    (True, False)
    >>> store.get("file"), store.highest_token("file")
    ('from 34', 34)
    >>> store.write("file", "x", token=-1)
    Traceback (most recent call last):
    ValueError: fencing token must be >= 0, got -1
    """

    def __init__(self, *, fencing: bool) -> None:
        if not isinstance(fencing, bool):
            raise TypeError(f"fencing must be a bool, got {fencing!r}")
        self.fencing = fencing
        self._data: dict[str, str] = {}
        self._highest: dict[str, int] = {}

    def write(self, key: str, value: str, token: int) -> bool:
        """Store ``value`` under ``key`` unless fencing refuses ``token``; return whether it landed.

        Raises:
            TypeError, ValueError: an empty or non-``str`` key, a non-``str``
                value, a token that is not an ``int >= 0``.

        Complexity: O(1).
        """
        check_name(key, "key")
        if not isinstance(value, str):
            raise TypeError(f"value must be a str, got {type(value).__name__}: {value!r}")
        check_token(token)
        if self.fencing and token < self._highest.get(key, -1):
            return False
        self._highest[key] = max(token, self._highest.get(key, -1))
        self._data[key] = value
        return True

    def get(self, key: str) -> str | None:
        """The value stored under ``key``, or ``None`` if it was never written."""
        return self._data.get(key)

    def highest_token(self, key: str) -> int | None:
        """The highest token accepted for ``key``, or ``None`` if it was never written."""
        return self._highest.get(key)


@dataclass(frozen=True)
class Write:
    """Client -> storage: set ``key`` to ``value``, fenced by ``token``."""

    key: str
    value: str
    token: int


@dataclass(frozen=True)
class WriteResult:
    """Storage -> client: whether the write fenced by ``token`` was accepted."""

    token: int
    accepted: bool


class StorageNode(BaseNode):
    """A :class:`FencedStorage` on the network; ``log`` records every write it saw.

    Complexity: O(1) per message.
    """

    def __init__(self, node_id: str, *, fencing: bool) -> None:
        super().__init__(node_id)
        self.store = FencedStorage(fencing=fencing)
        self.log: list[AppliedWrite] = []

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Apply a :class:`Write` and answer it."""
        if isinstance(msg, Write):
            accepted = self.store.write(msg.key, msg.value, msg.token)
            self.log.append(AppliedWrite(sim.now, src, msg.key, msg.value, msg.token, accepted))
            sim.send(self.node_id, src, WriteResult(msg.token, accepted))
