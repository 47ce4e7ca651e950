"""The event history: an append-only, fsync'd JSON-lines log, one per workflow execution.

Each line is one event. :meth:`EventHistory.append` returns only after the
line is on disk (``fsync``; for a new file, its directory too), so an event
the engine has acted on survives ``kill -9`` and a power cut. A crash in the
middle of an append leaves a torn last line, which was never acknowledged and
is cut off on the next open.

>>> import os, tempfile
>>> h = EventHistory(os.path.join(tempfile.mkdtemp(), "h.jsonl"))
>>> h.append({"type": "WorkflowExecutionStarted", "format": FORMAT})
>>> EventHistory(h.path).events
[{'format': 'studybook-workflow-history/1', 'type': 'WorkflowExecutionStarted'}]
"""

from __future__ import annotations

import json
import os
from typing import Any

from studybook._validate import check_str

__all__ = ["FORMAT", "EventHistory"]

FORMAT = "studybook-workflow-history/1"
"""The marker in the first event that says a history file is ours."""

_MARKER = b'{"format": ' + json.dumps(FORMAT).encode()
# How every history file we write begins (the first event, keys sorted, starts with "format").


class EventHistory:
    """An append-only, fsync'd JSON-lines event log for one workflow execution.

    Opening an existing file checks that its first event carries :data:`FORMAT`
    (a file we did not write is refused, never modified). A torn last line, left
    by a crash in the middle of a write, was never acknowledged: it is cut off.

    Complexity: ``append`` is O(event size) plus one ``fsync``; opening is O(file).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        check_str(self.path, "history path", nonempty=True)
        self.events: list[dict[str, Any]] = []
        if os.path.exists(self.path):
            self._load()

    def _load(self) -> None:
        if not os.path.isfile(self.path):
            raise ValueError(f"history path is not a regular file, got {self.path!r}")
        with open(self.path, "rb") as f:
            data = f.read()
        good = 0
        for line in data.splitlines(keepends=True):
            if not line.endswith(b"\n"):
                break  # torn tail: the write never completed, so it was never acknowledged
            try:
                event = json.loads(line)
            except ValueError:
                if good == 0:
                    break
                raise ValueError(f"corrupt event at byte {good} of {self.path!r}") from None
            if not isinstance(event, dict):
                raise ValueError(f"not a workflow history: {self.path!r}")
            self.events.append(event)
            good += len(line)
        if not self.events:
            # A crash between creating the file and completing its first line leaves it
            # empty, or holding a torn prefix of our first event: nothing was acknowledged,
            # so the history starts afresh. Anything else is someone else's file.
            if not _MARKER.startswith(data) and not data.startswith(_MARKER):
                raise ValueError(f"not a workflow history written by this engine: {self.path!r}")
            if b"\n" in data:
                raise ValueError(f"not a workflow history written by this engine: {self.path!r}")
        elif self.events[0].get("format") != FORMAT:
            raise ValueError(f"not a workflow history written by this engine: {self.path!r}")
        if good < len(data):
            with open(self.path, "r+b") as f:
                f.truncate(good)
                f.flush()
                os.fsync(f.fileno())

    def append(self, event: dict[str, Any]) -> None:
        """Write one event and ``fsync`` it: when this returns, the event survives a crash."""
        data = (json.dumps(event, sort_keys=True, allow_nan=False) + "\n").encode()
        first = not self.events
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = 0
            while written < len(data):  # os.write may write less than asked
                written += os.write(fd, data[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
        if first:  # a new directory entry is durable only once its directory is synced
            dfd = os.open(os.path.dirname(os.path.abspath(self.path)), os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        self.events.append(json.loads(data))
