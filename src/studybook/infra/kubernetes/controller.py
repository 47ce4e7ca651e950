"""The control loop: an API store with resourceVersions and watches, and a ReplicaSet controller.

Every Kubernetes controller is the same loop: *observe* the current state,
*diff* it against the desired state, *act* to close the gap, repeat. Two
pieces make it work at scale, and both are modelled here:

- :class:`ApiStore` stands for kube-apiserver in front of etcd. Every write
  gets a new, increasing ``resourceVersion``; ``list_objects`` (a LIST) returns a snapshot
  and the version it is current at; ``watch(since)`` returns every change
  after that version. Old history is compacted, and a watch from before the
  compaction fails with :class:`Gone` (HTTP 410), after which the client
  lists again. That list-then-watch pattern is what client-go's informers do.
- :func:`reconcile` is a ReplicaSet controller's decision, computed from the
  *whole* observed state (level-triggered), never from the events that led
  there. So a missed, duplicated or reordered event cannot leave it wrong,
  and running it on its own output changes nothing (idempotent).

:class:`ReplicaSetSimulation` puts them together with pods that fail.

>>> reconcile(3, {"p1": "Running", "p2": "Failed"})
Actions(create=2, delete=())
>>> reconcile(1, {"p1": "Running", "p2": "Pending"})
Actions(create=0, delete=('p2',))

Primary sources: kubernetes.io, "Controllers", "Kubernetes API Concepts"
(efficient detection of changes, resource versions, 410 Gone);
``pkg/controller/replicaset/replica_set.go`` (v1.3x).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from studybook._validate import check_int, check_str

__all__ = [
    "PHASES",
    "Actions",
    "ApiStore",
    "Event",
    "Gone",
    "ReplicaSetSimulation",
    "reconcile",
]

#: Pod phases this model uses; Failed and Succeeded pods no longer count.
PHASES = ("Pending", "Running", "Failed", "Succeeded")
_ACTIVE = ("Pending", "Running")
# Delete the least useful pods first, as the ReplicaSet controller ranks them.
_DELETE_ORDER = {"Pending": 0, "Running": 1}


@dataclass(frozen=True)
class Event:
    """One change seen by a watch: ``ADDED``, ``MODIFIED`` or ``DELETED``."""

    type: str
    name: str
    value: str | None
    resource_version: int


class Gone(LookupError):
    """The watch asked for history that was compacted away (HTTP 410 Gone): list again."""


class ApiStore:
    """A key-value store with a global, increasing resourceVersion and watchable history.

    >>> api = ApiStore()
    >>> api.put("p1", "Pending"), api.put("p1", "Running"), api.delete("p1")
    (1, 2, 3)
    >>> [(e.type, e.value, e.resource_version) for e in api.watch(1)]
    [('MODIFIED', 'Running', 2), ('DELETED', None, 3)]
    >>> api.compact(2); api.watch(1)
    Traceback (most recent call last):
        ...
    studybook.infra.kubernetes.controller.Gone: too old resource version: 1 (compacted through 2)
    """

    def __init__(self) -> None:
        self._objects: dict[str, str] = {}
        self._log: list[Event] = []
        self._version = 0
        self._compacted = 0

    @property
    def resource_version(self) -> int:
        """The version of the latest write (0 before any)."""
        return self._version

    def put(self, name: str, value: str) -> int:
        """Create or update ``name``; return the new resourceVersion.

        Complexity: O(1).
        """
        check_str(name, "name", nonempty=True)
        check_str(value, "value")
        kind = "MODIFIED" if name in self._objects else "ADDED"
        self._version += 1
        self._objects[name] = value
        self._log.append(Event(kind, name, value, self._version))
        return self._version

    def delete(self, name: str) -> int:
        """Delete ``name``; return the new resourceVersion.

        Raises:
            KeyError: no such object.
        """
        if name not in self._objects:
            raise KeyError(f"no object named {name!r}")
        self._version += 1
        del self._objects[name]
        self._log.append(Event("DELETED", name, None, self._version))
        return self._version

    def list_objects(self) -> tuple[dict[str, str], int]:
        """Return a snapshot of every object and the resourceVersion it is current at."""
        return dict(self._objects), self._version

    def watch(self, since: int) -> list[Event]:
        """Return every event after resourceVersion ``since``, oldest first.

        Raises:
            Gone: ``since`` is older than the compacted history.
            ValueError: ``since`` negative or in the future.

        Complexity: O(events returned) after an O(log n) search; here O(n).
        """
        check_int(since, "since", minimum=0, maximum=self._version)
        if since < self._compacted:
            raise Gone(f"too old resource version: {since} (compacted through {self._compacted})")
        return [e for e in self._log if e.resource_version > since]

    def compact(self, through: int) -> None:
        """Forget history up to and including ``through`` (etcd compaction)."""
        check_int(through, "through", minimum=0, maximum=self._version)
        self._compacted = max(self._compacted, through)
        self._log = [e for e in self._log if e.resource_version > self._compacted]


@dataclass(frozen=True)
class Actions:
    """What one reconcile decided: how many pods to create, which to delete."""

    create: int
    delete: tuple[str, ...]


def reconcile(desired: int, pods: Mapping[str, str], burst: int | None = None) -> Actions:
    """Return the actions that move ``pods`` toward ``desired`` active pods.

    Only ``Pending`` and ``Running`` pods count ("active"); failed ones are
    replaced. Surplus pods are deleted least useful first (``Pending`` before
    ``Running``, then by name), as the ReplicaSet controller prefers
    unready pods. ``burst`` caps the pods created or deleted per pass, like
    the controller's ``burstReplicas`` (500).

    Args:
        desired: ``spec.replicas``, ``>= 0``.
        pods: observed pods, name -> phase (one of :data:`PHASES`).
        burst: at most this many creations or deletions, ``>= 1``; ``None``: no cap.

    Returns:
        :class:`Actions`; empty when the state already matches (idempotent).

    Raises:
        TypeError, ValueError: bool or negative ``desired``, ``pods`` not a mapping,
            unknown phase, bad ``burst``.

    Complexity: O(pods log pods).

    >>> reconcile(-1, {})
    Traceback (most recent call last):
        ...
    ValueError: desired must be >= 0, got -1
    """
    check_int(desired, "desired", minimum=0)
    if burst is not None:
        check_int(burst, "burst", minimum=1)
    if not isinstance(pods, Mapping):
        raise TypeError(f"pods must be a mapping name -> phase, got {type(pods).__name__}")
    for name, phase in pods.items():
        check_str(name, "pod name", nonempty=True)
        if phase not in PHASES:
            raise ValueError(f"pod {name!r} has unknown phase {phase!r}; known: {PHASES}")
    active = sorted(
        (n for n, p in pods.items() if p in _ACTIVE), key=lambda n: (_DELETE_ORDER[pods[n]], n)
    )
    diff = desired - len(active)
    cap = abs(diff) if burst is None else min(abs(diff), burst)
    if diff > 0:
        return Actions(create=cap, delete=())
    return Actions(create=0, delete=tuple(active[:cap]))


class ReplicaSetSimulation:
    """A ReplicaSet controller, a kubelet and failing pods, one reconcile per :meth:`step`.

    Each step: the controller lists the pods, reconciles, creates pods as
    ``Pending`` and deletes surplus ones; then the kubelet starts every pod
    that was already ``Pending`` (it becomes ``Running``). Failed pods are
    garbage-collected when the controller replaces them. Failures are
    injected by name with :meth:`fail`.

    >>> sim = ReplicaSetSimulation(desired=3)
    >>> sim.step(), sim.step()
    (Actions(create=3, delete=()), Actions(create=0, delete=()))
    >>> sim.fail("rs-2"); sim.step(); sim.phases()
    Actions(create=1, delete=())
    {'rs-1': 'Running', 'rs-3': 'Running', 'rs-4': 'Pending'}
    """

    def __init__(self, desired: int, burst: int | None = None) -> None:
        self.desired = check_int(desired, "desired", minimum=0)
        self.burst = burst if burst is None else check_int(burst, "burst", minimum=1)
        self.api = ApiStore()
        self._next = 1

    def phases(self) -> dict[str, str]:
        """The pods as the API server holds them, name -> phase."""
        return dict(
            sorted(self.api.list_objects()[0].items(), key=lambda kv: int(kv[0].split("-")[1]))
        )

    def active(self) -> int:
        """Pods that count toward ``desired`` (Pending or Running)."""
        return sum(1 for p in self.api.list_objects()[0].values() if p in _ACTIVE)

    def scale(self, desired: int) -> None:
        """Change ``spec.replicas`` (what ``kubectl scale`` or the HPA writes)."""
        self.desired = check_int(desired, "desired", minimum=0)

    def fail(self, name: str) -> None:
        """Mark an active pod ``Failed`` (its container crashed, its node died).

        Raises:
            KeyError: no such pod, or it is not active.
        """
        pods = self.api.list_objects()[0]
        if pods.get(name) not in _ACTIVE:
            raise KeyError(f"no active pod named {name!r}")
        self.api.put(name, "Failed")

    def step(self) -> Actions:
        """Run one reconcile and one kubelet pass; return what the controller did."""
        pods, _ = self.api.list_objects()
        actions = reconcile(self.desired, pods, self.burst)
        for name, phase in pods.items():
            if phase == "Pending" and name not in actions.delete:
                self.api.put(name, "Running")
            elif phase == "Failed":
                self.api.delete(name)
        for name in actions.delete:
            self.api.delete(name)
        for _ in range(actions.create):
            self.api.put(f"rs-{self._next}", "Pending")
            self._next += 1
        return actions
