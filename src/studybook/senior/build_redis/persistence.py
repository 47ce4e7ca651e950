"""The append-only file (AOF): every change, logged before it is acknowledged, replayed on start.

The server writes each batch of changes with one ``write(2)`` *before* it
sends the replies for that batch, so a write a client has seen acknowledged is
already in the operating system's page cache. That survives the server being
killed (``kill -9``); surviving a power cut also needs the page cache flushed
to the disk, which is what the fsync policy decides, with Redis' names:

=============  ========================================  ====================================
appendfsync    when ``fsync(2)`` runs                    what a power cut can lose
=============  ========================================  ====================================
``always``     after every batch, before the replies     nothing acknowledged
``everysec``   once a second, from the server's timer    about the last second of writes
``no``         never; the kernel flushes when it likes   whatever the kernel had not flushed
=============  ========================================  ====================================

The file is plain RESP: the same bytes a client would send, so ``redis-cli``
could replay it. Commands are logged in a deterministic form (relative TTLs as
absolute deadlines), a transaction with more than one change is wrapped in
``MULTI``/``EXEC``, and expiry or eviction is logged as ``DEL``. On start the
file is replayed with expiry switched off (Redis' "loading" state: a logged
key whose deadline has passed still exists during replay, so the log replays
to the state it recorded) and keys due then expire normally.

A crash can leave half a command at the end of the file. Like Redis with
``aof-load-truncated yes`` (its default), :meth:`AppendOnlyFile.load` drops an
incomplete tail, and an unfinished ``MULTI`` block, and truncates the file
there; damage anywhere else raises :class:`AofCorruptError`. Every entry
must be a RESP array (``*``), as Redis' loader requires: a file that is not an
AOF at all (a path given by mistake, the reader's own notes) is refused and
left untouched, never taken for a torn tail and truncated.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from studybook.senior.build_redis.commands import Context, execute
from studybook.senior.build_redis.protocol import ProtocolError, RespParser, encode_command

__all__ = ["FSYNC_POLICIES", "AofCorruptError", "AppendOnlyFile", "FsyncPolicy"]

FsyncPolicy = Literal["always", "everysec", "no"]
FSYNC_POLICIES: tuple[FsyncPolicy, ...] = ("always", "everysec", "no")


class AofCorruptError(ValueError):
    """The AOF is damaged before its last command: refuse to start rather than lose data."""


class AppendOnlyFile:
    """An append-only log of write commands.

    Args:
        path: the file; created if missing.
        fsync: ``"always"``, ``"everysec"`` or ``"no"`` (see the module docs).

    Complexity: :meth:`append` is O(bytes written); :meth:`load` O(file size).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.aof"
    >>> aof = AppendOnlyFile(path, fsync="always")
    >>> aof.append([[b"SET", b"k", b"v"]]); aof.close()
    >>> ctx = Context(); AppendOnlyFile(path).load(ctx), ctx.store.get(b"k")
    (1, b'v')
    >>> AppendOnlyFile(path, fsync="sometimes")
    Traceback (most recent call last):
        ...
    ValueError: fsync must be one of ('always', 'everysec', 'no'), got 'sometimes'
    """

    def __init__(self, path: str | os.PathLike[str], fsync: str = "everysec") -> None:
        if fsync not in FSYNC_POLICIES:
            raise ValueError(f"fsync must be one of {FSYNC_POLICIES}, got {fsync!r}")
        self.path = Path(path)
        self.fsync_policy = fsync
        self.pending_fsync = False
        self.truncated_bytes = 0
        """Bytes of incomplete tail dropped by the last :meth:`load`."""
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def append(self, commands: list[list[bytes]]) -> None:
        """Write ``commands`` with one ``write(2)``; fsync now if the policy is ``always``.

        Complexity: O(bytes written), plus an fsync for ``always``.
        """
        if not commands:
            return
        data = b"".join(encode_command(*cmd) for cmd in commands)
        view = memoryview(data)
        while view:  # write(2) may write less than asked (a full disk, a signal)
            written = os.write(self._fd, view)
            view = view[written:]
        if self.fsync_policy == "always":
            os.fsync(self._fd)
        else:
            self.pending_fsync = True

    def fsync(self) -> None:
        """Flush written data to the disk (the ``everysec`` timer calls this). O(dirty pages)."""
        if self.pending_fsync:
            os.fsync(self._fd)
            self.pending_fsync = False

    def load(self, ctx: Context) -> int:
        """Replay the file into ``ctx``; return how many commands were applied.

        Raises:
            AofCorruptError: a command in the middle of the file is malformed or fails,
                or an entry is not a RESP array (the file is not an AOF); the file is
                left as it was.

        Complexity: O(file size) plus the cost of the replayed commands.
        """
        data = self.path.read_bytes()
        parser = RespParser(max_query_buffer=len(data) + 1)
        parser.feed(data)
        store = ctx.store
        store.loading = True
        applied = 0
        good_end = 0  # offset after the last command known to be complete
        pending: list[list[bytes]] | None = None  # commands of an open MULTI block
        try:
            while True:
                start = parser.offset
                if start < len(data) and data[start] != 0x2A:  # not '*': not written by us
                    raise AofCorruptError(
                        f"bad AOF format at byte {start} of {self.path}: not a RESP array"
                    )
                try:
                    command = parser.next_command()
                except ProtocolError as exc:
                    raise AofCorruptError(
                        f"bad AOF format at byte {good_end} of {self.path}: {exc}"
                    ) from None
                if command is None:
                    break
                name = command[0].lower()
                if name == b"multi":
                    pending = []
                    continue
                if pending is not None and name != b"exec":
                    pending.append(command)
                    continue
                for cmd in pending if name == b"exec" and pending is not None else [command]:
                    reply = execute(ctx, cmd)
                    if reply.startswith(b"-"):
                        raise AofCorruptError(f"AOF command {cmd!r} failed: {reply!r}")
                    applied += 1
                pending = None
                good_end = parser.offset
        finally:
            store.loading = False
            store.effects.clear()
        if good_end < len(data):
            self.truncated_bytes = len(data) - good_end
            os.truncate(self.path, good_end)
        return applied

    def close(self) -> None:
        """Fsync (unless the policy is ``no``) and close the file."""
        if self._fd < 0:
            return
        if self.fsync_policy != "no":
            self.fsync()
        os.close(self._fd)
        self._fd = -1
