"""The API objects the scheduler and controllers read: resources, taints, tolerations, nodes, pods.

Only the fields this chapter's algorithms use are modelled, with the
semantics of the Kubernetes API reference (core/v1, Kubernetes v1.3x):
resource requests and limits, the three QoS classes, taints with their three
effects, tolerations with the ``Equal`` and ``Exists`` operators, node
selectors and node-affinity requirements. Every object is a frozen
dataclass that validates itself in ``__post_init__``, so a bad object fails
where it is built, not deep inside the scheduler.

Invariant: quantities are non-negative ints (CPU in millicores, memory in
MiB); a taint's effect is one of :data:`TAINT_EFFECTS`.

>>> Toleration("gpu", "Exists").tolerates(Taint("gpu", "a100", "NoSchedule"))
True
>>> qos_class([ContainerResources(requests=Resources(500, 256))])
'Burstable'

Primary source: the Kubernetes API reference and the concept pages "Taints
and Tolerations", "Assigning Pods to Nodes" and "Pod Quality of Service
Classes" (kubernetes.io, v1.3x).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from studybook._validate import check_int, check_str

__all__ = [
    "AFFINITY_OPERATORS",
    "TAINT_EFFECTS",
    "ContainerResources",
    "Node",
    "Pod",
    "Requirement",
    "Resources",
    "Taint",
    "Toleration",
    "qos_class",
]

#: The three taint effects, in the API's spelling.
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
#: The node-affinity operators this model supports (the API also has Gt and Lt).
AFFINITY_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


@dataclass(frozen=True, order=True)
class Resources:
    """An amount of CPU (millicores: 1000 = one core) and memory (MiB).

    >>> Resources(500, 256) + Resources(250, 256)
    Resources(cpu_m=750, memory_mi=512)
    >>> Resources(-1, 0)
    Traceback (most recent call last):
        ...
    ValueError: cpu_m must be >= 0, got -1
    """

    cpu_m: int
    memory_mi: int

    def __post_init__(self) -> None:
        check_int(self.cpu_m, "cpu_m", minimum=0)
        check_int(self.memory_mi, "memory_mi", minimum=0)

    def __add__(self, other: Resources) -> Resources:
        return Resources(self.cpu_m + other.cpu_m, self.memory_mi + other.memory_mi)

    def fits_in(self, capacity: Resources) -> bool:
        """Return whether every quantity is at most ``capacity``'s."""
        return self.cpu_m <= capacity.cpu_m and self.memory_mi <= capacity.memory_mi


@dataclass(frozen=True)
class ContainerResources:
    """One container's requests and limits; ``None`` means "not set".

    As the API does, a limit set without a request makes the request equal to
    the limit (see :func:`qos_class`).
    """

    requests: Resources | None = None
    limits: Resources | None = None

    def __post_init__(self) -> None:
        for name in ("requests", "limits"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Resources):
                raise TypeError(
                    f"{name} must be Resources or None, got {type(value).__name__}: {value!r}"
                )


def qos_class(containers: Sequence[ContainerResources]) -> str:
    """Return the pod's QoS class: ``'Guaranteed'``, ``'Burstable'`` or ``'BestEffort'``.

    The rules of "Pod Quality of Service Classes" (v1.3x): *Guaranteed* when
    every container has CPU and memory limits and its requests equal them
    (a request left unset defaults to the limit); *BestEffort* when no
    container sets any request or limit; *Burstable* otherwise. Under node
    memory pressure the kubelet evicts pods using more than they requested
    first, so BestEffort pods go early and Guaranteed ones last.

    Args:
        containers: the pod's containers (at least one).

    Returns:
        The class name.

    Raises:
        ValueError: no containers.
        TypeError: an element that is not :class:`ContainerResources`.

    Complexity: O(containers).

    >>> limit = Resources(1000, 512)
    >>> qos_class([ContainerResources(limits=limit)])
    'Guaranteed'
    >>> qos_class([ContainerResources()])
    'BestEffort'
    >>> qos_class([])
    Traceback (most recent call last):
        ...
    ValueError: a pod needs at least one container, got []
    """
    items = list(containers)
    if not items:
        raise ValueError(f"a pod needs at least one container, got {items!r}")
    for c in items:
        if not isinstance(c, ContainerResources):
            raise TypeError(f"containers must hold ContainerResources, got {c!r}")
    if all(c.requests is None and c.limits is None for c in items):
        return "BestEffort"
    guaranteed = all(c.limits is not None and c.requests in (None, c.limits) for c in items)
    return "Guaranteed" if guaranteed else "Burstable"


@dataclass(frozen=True)
class Taint:
    """A node's repellent: ``key=value:effect``.

    >>> Taint("dedicated", "db", "NoRun")
    Traceback (most recent call last):
        ...
    ValueError: effect must be one of ('NoSchedule', 'PreferNoSchedule', 'NoExecute'), got 'NoRun'
    """

    key: str
    value: str = ""
    effect: str = "NoSchedule"

    def __post_init__(self) -> None:
        check_str(self.key, "taint key", nonempty=True)
        check_str(self.value, "taint value")
        if self.effect not in TAINT_EFFECTS:
            raise ValueError(f"effect must be one of {TAINT_EFFECTS}, got {self.effect!r}")

    def __str__(self) -> str:
        return (
            f"{self.key}={self.value}:{self.effect}" if self.value else f"{self.key}:{self.effect}"
        )


@dataclass(frozen=True)
class Toleration:
    """A pod's permission to land on (or stay on) a tainted node.

    ``operator`` is ``'Equal'`` (key and value must match) or ``'Exists'``
    (any value). An empty ``key`` with ``Exists`` tolerates every taint; an
    empty ``effect`` matches every effect. ``toleration_seconds`` applies to
    ``NoExecute`` only: how long the pod may stay after the taint appears
    (``None``: forever).
    """

    key: str = ""
    operator: str = "Equal"
    value: str = ""
    effect: str = ""
    toleration_seconds: int | None = None

    def __post_init__(self) -> None:
        check_str(self.key, "toleration key")
        check_str(self.value, "toleration value")
        if self.operator not in ("Equal", "Exists"):
            raise ValueError(f"operator must be 'Equal' or 'Exists', got {self.operator!r}")
        if self.operator == "Exists" and self.value:
            raise ValueError(f"an Exists toleration takes no value, got {self.value!r}")
        if not self.key and self.operator != "Exists":
            raise ValueError(f"an empty key needs operator 'Exists', got {self.operator!r}")
        if self.effect and self.effect not in TAINT_EFFECTS:
            raise ValueError(f"effect must be '' or one of {TAINT_EFFECTS}, got {self.effect!r}")
        if self.toleration_seconds is not None:
            check_int(self.toleration_seconds, "toleration_seconds")
            if self.effect != "NoExecute":
                raise ValueError(
                    f"toleration_seconds needs effect 'NoExecute', got {self.effect!r}"
                )

    def tolerates(self, taint: Taint) -> bool:
        """Return whether this toleration matches ``taint`` (key, value per operator, effect).

        Complexity: O(1).

        >>> Toleration("team", "Equal", "a").tolerates(Taint("team", "b"))
        False
        """
        if self.effect and self.effect != taint.effect:
            return False
        if not self.key:
            return True
        if self.key != taint.key:
            return False
        return self.operator == "Exists" or self.value == taint.value


@dataclass(frozen=True)
class Requirement:
    """One node-affinity match expression: ``key operator values``.

    >>> Requirement("zone", "In", ("a", "b")).matches({"zone": "b"})
    True
    >>> Requirement("zone", "In", ())
    Traceback (most recent call last):
        ...
    ValueError: operator 'In' needs at least one value, got ()
    """

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_str(self.key, "requirement key", nonempty=True)
        if self.operator not in AFFINITY_OPERATORS:
            raise ValueError(f"operator must be one of {AFFINITY_OPERATORS}, got {self.operator!r}")
        if not isinstance(self.values, tuple):
            raise TypeError(f"values must be a tuple, got {self.values!r}")
        if self.operator in ("In", "NotIn") and not self.values:
            raise ValueError(f"operator {self.operator!r} needs at least one value, got ()")
        if self.operator in ("Exists", "DoesNotExist") and self.values:
            raise ValueError(f"operator {self.operator!r} takes no values, got {self.values!r}")

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Return whether a node with ``labels`` satisfies this expression."""
        if self.operator == "Exists":
            return self.key in labels
        if self.operator == "DoesNotExist":
            return self.key not in labels
        present = self.key in labels and labels[self.key] in self.values
        return present if self.operator == "In" else not present


def _frozen_labels(labels: Mapping[str, str], what: str) -> Mapping[str, str]:
    if not isinstance(labels, Mapping):
        raise TypeError(f"{what} must be a mapping, got {labels!r}")
    for k, v in labels.items():
        check_str(k, f"{what} key", nonempty=True)
        check_str(v, f"{what} value")
    return MappingProxyType(dict(labels))


@dataclass(frozen=True)
class Node:
    """A node as the scheduler sees it: what it can give, what is already requested.

    ``allocatable`` is capacity minus what the kubelet reserves for the
    system; ``requested`` is the sum of the requests of the pods already
    bound to it. The scheduler compares *requests*, never live usage.
    """

    name: str
    allocatable: Resources
    requested: Resources = Resources(0, 0)
    labels: Mapping[str, str] = field(default_factory=dict)
    taints: tuple[Taint, ...] = ()

    def __post_init__(self) -> None:
        check_str(self.name, "node name", nonempty=True)
        for name in ("allocatable", "requested"):
            if not isinstance(getattr(self, name), Resources):
                raise TypeError(f"{name} must be Resources, got {getattr(self, name)!r}")
        object.__setattr__(self, "labels", _frozen_labels(self.labels, "node labels"))
        if not all(isinstance(t, Taint) for t in self.taints):
            raise TypeError(f"taints must be a tuple of Taint, got {self.taints!r}")


@dataclass(frozen=True)
class Pod:
    """The scheduling-relevant part of a pod spec.

    ``node_selector`` must match exactly; ``required_terms`` are node-affinity
    terms ORed together, each a tuple of requirements ANDed;
    ``preferred_terms`` are ``(weight 1..100, term)`` pairs that only score;
    ``app`` is the label used for spreading replicas apart.
    """

    name: str
    requests: Resources
    app: str = ""
    tolerations: tuple[Toleration, ...] = ()
    node_selector: Mapping[str, str] = field(default_factory=dict)
    required_terms: tuple[tuple[Requirement, ...], ...] = ()
    preferred_terms: tuple[tuple[int, tuple[Requirement, ...]], ...] = ()

    def __post_init__(self) -> None:
        check_str(self.name, "pod name", nonempty=True)
        check_str(self.app, "app")
        if not isinstance(self.requests, Resources):
            raise TypeError(f"requests must be Resources, got {self.requests!r}")
        if not all(isinstance(t, Toleration) for t in self.tolerations):
            raise TypeError(f"tolerations must be a tuple of Toleration, got {self.tolerations!r}")
        object.__setattr__(
            self, "node_selector", _frozen_labels(self.node_selector, "node_selector")
        )
        for term in self.required_terms:
            if not term or not all(isinstance(r, Requirement) for r in term):
                raise ValueError(
                    f"a required term is a non-empty tuple of Requirement, got {term!r}"
                )
        for weight, term in self.preferred_terms:
            check_int(weight, "preferred term weight", minimum=1, maximum=100)
            if not term or not all(isinstance(r, Requirement) for r in term):
                raise ValueError(
                    f"a preferred term is a non-empty tuple of Requirement, got {term!r}"
                )
