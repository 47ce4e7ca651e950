"""The OCI runtime spec's lifecycle, and the build cache that decides which layers to rebuild.

**Lifecycle.** A low-level runtime such as runc takes a *bundle* (a
``config.json`` plus a root filesystem) and offers five operations:
``state``, ``create``, ``start``, ``kill`` and ``delete``. ``create`` sets
up namespaces, cgroups and mounts and runs the ``createRuntime`` and
``createContainer`` hooks, but not the user's program: the container waits
in ``created``. ``start`` runs it (``running``); when it exits the container
is ``stopped``; ``delete`` frees what ``create`` made and runs ``poststop``.
An operation in the wrong state must fail *and change nothing*.
:class:`Runtime` models exactly those rules.

**Build cache.** A builder caches each step under a key derived from the
previous step's key, the instruction and, for ``COPY``, the bytes copied.
Change one copied file and that step's key changes, and with it every later
key: :func:`rebuilt_steps` counts how many steps a change forces to rerun,
which is why a Dockerfile copies its dependency manifest and installs
dependencies *before* copying the rest of the source.

>>> rt = Runtime()
>>> config = {"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "process": {"args": ["nginx"]}}
>>> rt.create("web", config)
'created'
>>> rt.delete("web")
Traceback (most recent call last):
    ...
ValueError: cannot delete container 'web' in state 'created' (it must be stopped)

Source: OCI runtime-spec v1.2, ``runtime.md`` (state, lifecycle, operations)
and ``config.md`` (``ociVersion``, ``root``, ``process``, hooks); Docker
documentation, "Build cache invalidation".
"""

from __future__ import annotations

import hashlib
import signal
from collections.abc import Mapping, Sequence
from typing import Any

from studybook._validate import check_int, check_str
from studybook.infra.containers.digest import _as_object

__all__ = ["Runtime", "cache_keys", "rebuilt_steps"]


class Runtime:
    """Containers by ID, each moving through ``created -> running -> stopped``.

    ``events`` records each container's hooks and transitions in order.
    Complexity: every operation is O(1).
    """

    def __init__(self) -> None:
        self._status: dict[str, str] = {}
        self._exit: dict[str, int] = {}
        self.events: list[str] = []

    def create(self, container_id: str, config: Mapping[str, Any]) -> str:
        """Create a container from a bundle's ``config.json`` (parsed); return its status.

        Raises:
            ValueError: the ID is taken, or the config lacks ``ociVersion``,
                ``root.path`` or ``process.args`` (a non-empty list).
        """
        check_str(container_id, "container_id", nonempty=True)
        if container_id in self._status:
            raise ValueError(f"container ID {container_id!r} is already in use")
        if not isinstance(config, Mapping):
            raise TypeError(f"config must be a mapping (parsed config.json), got {config!r}")
        root, process = config.get("root"), config.get("process")
        if not isinstance(config.get("ociVersion"), str):
            raise ValueError(f"config.json needs ociVersion, got {dict(config)!r}")
        if not isinstance(root, Mapping) or not isinstance(root.get("path"), str):
            raise ValueError(f"config.json needs root.path, got root={root!r}")
        args = process.get("args") if isinstance(process, Mapping) else None
        if not isinstance(args, list) or not args:
            raise ValueError(f"config.json needs a non-empty process.args, got process={process!r}")
        self.events += [
            f"{container_id}: createRuntime hooks",
            f"{container_id}: createContainer hooks",
        ]
        self._status[container_id] = "created"
        return "created"

    def start(self, container_id: str) -> str:
        """Run the user's program: ``created`` -> ``running``."""
        self._require(container_id, "start", {"created"}, "it must be created")
        self.events += [f"{container_id}: startContainer hooks", f"{container_id}: poststart hooks"]
        self._status[container_id] = "running"
        return "running"

    def kill(self, container_id: str, sig: int = signal.SIGTERM) -> str:
        """Send ``sig``; this model's process has no handlers, so it exits with 128 + sig."""
        check_int(
            int(sig) if isinstance(sig, signal.Signals) else sig, "sig", minimum=1, maximum=64
        )
        self._require(container_id, "kill", {"created", "running"}, "it must be created or running")
        self._status[container_id] = "stopped"
        self._exit[container_id] = 128 + int(sig)
        return "stopped"

    def delete(self, container_id: str) -> None:
        """Free the container's resources; only a stopped container may be deleted."""
        self._require(container_id, "delete", {"stopped"}, "it must be stopped")
        self.events.append(f"{container_id}: poststop hooks")
        del self._status[container_id]

    def state(self, container_id: str) -> dict[str, Any]:
        """The spec's state object (``ociVersion`` omitted): ``id``, ``status`` and exit code."""
        self._require(container_id, "query", {"created", "running", "stopped"}, "")
        out: dict[str, Any] = {"id": container_id, "status": self._status[container_id]}
        if container_id in self._exit:
            out["exitCode"] = self._exit[container_id]
        return out

    def _require(self, container_id: str, op: str, allowed: set[str], why: str) -> None:
        check_str(container_id, "container_id", nonempty=True)
        if container_id not in self._status:
            raise KeyError(f"no container {container_id!r}")
        status = self._status[container_id]
        if status not in allowed:
            raise ValueError(f"cannot {op} container {container_id!r} in state {status!r} ({why})")


Step = tuple[str, Mapping[str, bytes]]


def cache_keys(steps: Sequence[Step]) -> list[str]:
    """The cache key of each build step: a hash chain over instructions and copied bytes.

    Args:
        steps: ``(instruction, files it copies)`` per step; ``RUN`` and
            ``FROM`` copy nothing (their key is their text), ``COPY`` lists
            path -> bytes. As in Docker, file *contents* count, not mtimes.

    Complexity: O(total bytes).

    >>> a = cache_keys([("FROM alpine", {}), ("COPY . /app", {"x": b"1"})])
    >>> b = cache_keys([("FROM alpine", {}), ("COPY . /app", {"x": b"2"})])
    >>> a[0] == b[0], a[1] == b[1]
    (True, False)
    """
    if isinstance(_as_object(steps), str | bytes):
        raise TypeError(f"steps must be a sequence of (instruction, files), got {steps!r}")
    keys: list[str] = []
    previous = ""
    for i, step in enumerate(steps):
        if not (isinstance(step, tuple) and len(step) == 2 and isinstance(step[1], Mapping)):
            raise TypeError(f"steps[{i}] must be (instruction, {{path: bytes}}), got {step!r}")
        instruction, files = step
        check_str(instruction, f"steps[{i}] instruction", nonempty=True)
        h = hashlib.sha256(f"{previous}\n{instruction}\n".encode())
        for path in sorted(files):
            data = files[path]
            if not isinstance(data, bytes):
                raise TypeError(f"steps[{i}] file {path!r} must be bytes, got {data!r}")
            h.update(f"{path}\0{hashlib.sha256(data).hexdigest()}\n".encode())
        previous = h.hexdigest()
        keys.append(previous)
    return keys


def rebuilt_steps(before: Sequence[Step], after: Sequence[Step]) -> int:
    """How many steps of ``after`` miss the cache left by building ``before``.

    Every step from the first changed key onwards reruns, because each key
    includes its predecessor's. Complexity: O(total bytes).

    >>> deps = ("RUN pip install -r requirements.txt", {})
    >>> rebuilt_steps([("COPY . .", {"a.py": b"1"}), deps], [("COPY . .", {"a.py": b"2"}), deps])
    2
    """
    cached = set(cache_keys(before))
    new = cache_keys(after)
    first_miss = next((i for i, k in enumerate(new) if k not in cached), len(new))
    return len(new) - first_miss
