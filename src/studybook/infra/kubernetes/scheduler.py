"""A filter-and-score scheduler: the two phases of kube-scheduler's scheduling cycle.

For each pod, **filter** drops every node that cannot run it (requests do not
fit, an untolerated ``NoSchedule``/``NoExecute`` taint, ``nodeSelector`` or
required node affinity not met); **score** ranks the rest with weighted
plugins; the pod is bound to the best node. When no node passes, the pod stays
Pending and the result says why, node by node, the way ``kubectl describe
pod`` does ("0/3 nodes are available: ...").

The score plugins and their default weights are those of kube-scheduler's
default profile (``pkg/scheduler/apis/config/v1/default_plugins.go``,
v1.3x): TaintToleration 3, NodeAffinity 2, PodTopologySpread 2,
NodeResourcesFit 1 (``LeastAllocated`` strategy), NodeResourcesBalancedAllocation 1.
Each plugin scores 0..100 (``MaxNodeScore``). The spreading score here is a
simplification: fewer pods of the same app on the node score higher, which is
what the default per-hostname soft constraint aims at.

Ties: the real scheduler picks uniformly at random among the nodes with the
highest total (reservoir sampling in ``selectHost``); this model picks the
first such node in name order, so results are reproducible.

==================  ===============================
step                cost
==================  ===============================
filter              O(nodes · (taints + terms))
score + normalise   O(nodes · plugins)
==================  ===============================

>>> n = [Node("a", Resources(2000, 4096)), Node("b", Resources(4000, 8192))]
>>> schedule(Pod("web-1", Resources(500, 512)), n).node
'b'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from studybook.infra.kubernetes.objects import Node, Pod, Resources, Taint, Toleration

__all__ = [
    "DEFAULT_WEIGHTS",
    "MAX_NODE_SCORE",
    "Decision",
    "balanced_allocation",
    "filter_reasons",
    "least_allocated",
    "noexecute_delay",
    "schedule",
]

#: kube-scheduler's ``framework.MaxNodeScore``.
MAX_NODE_SCORE = 100
#: Default score-plugin weights of kube-scheduler's default profile (v1.3x).
DEFAULT_WEIGHTS: Mapping[str, int] = {
    "TaintToleration": 3,
    "NodeAffinity": 2,
    "PodTopologySpread": 2,
    "NodeResourcesFit": 1,
    "NodeResourcesBalancedAllocation": 1,
}


@dataclass(frozen=True)
class Decision:
    """The outcome of one scheduling cycle.

    ``node`` is the chosen node, or ``None`` when the pod is unschedulable;
    ``reasons`` maps each filtered-out node to why; ``scores`` maps each
    feasible node to its per-plugin scores (0..100, before weighting) and
    ``totals`` to the weighted sum.
    """

    pod: str
    node: str | None
    reasons: Mapping[str, str]
    scores: Mapping[str, Mapping[str, int]]
    totals: Mapping[str, int]

    @property
    def message(self) -> str:
        """A ``kubectl describe``-style summary, e.g. ``'0/2 nodes are available: ...'``."""
        n = len(self.reasons) + len(self.totals)
        if self.node is not None:
            return f"bound {self.pod} to {self.node}"
        counts: dict[str, int] = {}
        for reason in self.reasons.values():
            counts[reason] = counts.get(reason, 0) + 1
        parts = "".join(
            f"{', ' if i else ': '}{c} {r}" for i, (r, c) in enumerate(sorted(counts.items()))
        )
        return f"0/{n} nodes are available{parts}."


def schedule(
    pod: Pod,
    nodes: Iterable[Node],
    placed: Mapping[str, Sequence[str]] | None = None,
    weights: Mapping[str, int] = DEFAULT_WEIGHTS,
) -> Decision:
    """Filter, score and choose a node for ``pod``.

    Args:
        pod: the pod to place.
        nodes: the cluster's nodes (unique names), any iterable.
        placed: for spreading, the ``app`` labels of the pods already on each
            node, by node name (missing nodes hold none).
        weights: score-plugin weights (non-negative ints), default
            :data:`DEFAULT_WEIGHTS`.

    Returns:
        A :class:`Decision`; an unschedulable pod is a normal result with
        ``node=None`` and a reason per node, not an exception.

    Raises:
        TypeError: ``pod`` not a :class:`~studybook.infra.kubernetes.objects.Pod`, a node not a
            :class:`~studybook.infra.kubernetes.objects.Node`, ``placed`` or ``weights``
            not a mapping, a ``placed`` entry not a list of str.
        ValueError: duplicate node names, an unknown or negative weight.

    Complexity: O(nodes · (taints + affinity terms + plugins)).

    >>> big = Pod("batch", Resources(64_000, 1024))
    >>> d = schedule(big, [Node("a", Resources(4000, 8192))])
    >>> d.node, d.message
    (None, '0/1 nodes are available: 1 Insufficient cpu.')
    >>> schedule(big, [Node("a", Resources(4000, 8192))], weights={"NodeAffinity": -1})
    Traceback (most recent call last):
        ...
    ValueError: weight of NodeAffinity must be an int >= 0, got -1
    """
    if not isinstance(pod, Pod):
        raise TypeError(f"pod must be a Pod, got {type(pod).__name__}: {pod!r}")
    nodes = list(nodes)  # an iterator would be used up by the checks below
    seen: set[str] = set()
    for node in nodes:
        if not isinstance(node, Node):
            raise TypeError(f"nodes must hold Node, got {type(node).__name__}: {node!r}")
        if node.name in seen:
            raise ValueError(f"duplicate node name {node.name!r}")
        seen.add(node.name)
    if not isinstance(weights, Mapping):
        raise TypeError(f"weights must be a mapping, got {type(weights).__name__}: {weights!r}")
    for name, w in weights.items():
        if name not in DEFAULT_WEIGHTS:
            known = ", ".join(sorted(DEFAULT_WEIGHTS))
            raise ValueError(f"unknown score plugin {name!r}; known: {known}")
        if isinstance(w, bool) or not isinstance(w, int) or w < 0:
            raise ValueError(f"weight of {name} must be an int >= 0, got {w!r}")
    placed = _check_placed(placed)

    reasons: dict[str, str] = {}
    feasible: list[Node] = []
    for node in sorted(nodes, key=lambda n: n.name):
        reason = filter_reasons(pod, node)
        if reason is None:
            feasible.append(node)
        else:
            reasons[node.name] = reason
    if not feasible:
        return Decision(pod.name, None, reasons, {}, {})

    scores = _score(pod, feasible, placed)
    totals = {
        name: sum(weights.get(plugin, 0) * s for plugin, s in per_plugin.items())
        for name, per_plugin in scores.items()
    }
    # Ties go to the first name: feasible is in name order and max() keeps the first.
    best = max(feasible, key=lambda n: totals[n.name]).name
    return Decision(pod.name, best, reasons, scores, totals)


def _check_placed(placed: Mapping[str, Sequence[str]] | None) -> Mapping[str, Sequence[str]]:
    if placed is None:
        return {}
    if not isinstance(placed, Mapping):
        raise TypeError(f"placed must be a mapping, got {type(placed).__name__}: {placed!r}")
    for name, apps in placed.items():
        # A bare str is a Sequence of characters: "web" would count as 'w', 'e', 'b'.
        if isinstance(apps, str) or not all(isinstance(a, str) for a in apps):
            raise TypeError(f"placed[{name!r}] must be a list of app labels, got {apps!r}")
    return placed


def filter_reasons(pod: Pod, node: Node) -> str | None:
    """Return why ``node`` cannot run ``pod``, or ``None`` if it passes every filter.

    The filters run in the order a reader checks them: resource fit (on
    *requests*), taints (an untolerated ``NoSchedule`` or ``NoExecute`` taint
    excludes; ``PreferNoSchedule`` only lowers the score), ``nodeSelector``,
    then required node affinity.

    Complexity: O(taints · tolerations + affinity terms).

    >>> node = Node("a", Resources(1000, 1024), taints=(Taint("gpu", "", "NoSchedule"),))
    >>> filter_reasons(Pod("p", Resources(100, 100)), node)
    'node(s) had untolerated taint gpu:NoSchedule'
    """
    need = node.requested + pod.requests
    if need.cpu_m > node.allocatable.cpu_m:
        return "Insufficient cpu"
    if need.memory_mi > node.allocatable.memory_mi:
        return "Insufficient memory"
    for taint in node.taints:
        if taint.effect != "PreferNoSchedule" and not _tolerated(taint, pod.tolerations):
            return f"node(s) had untolerated taint {taint}"
    if any(node.labels.get(k) != v for k, v in pod.node_selector.items()):
        return "node(s) didn't match Pod's node affinity/selector"
    if pod.required_terms and not any(
        all(r.matches(node.labels) for r in term) for term in pod.required_terms
    ):
        return "node(s) didn't match Pod's node affinity/selector"
    return None


def _tolerated(taint: Taint, tolerations: Sequence[Toleration]) -> bool:
    return any(t.tolerates(taint) for t in tolerations)


def noexecute_delay(taints: Sequence[Taint], tolerations: Sequence[Toleration]) -> int | None:
    """Return when a pod already running on a node with ``taints`` is evicted.

    ``NoExecute`` is the only effect that touches running pods. As the
    taint-eviction controller does, each ``NoExecute`` taint is matched to the
    first toleration that tolerates it; an untolerated one evicts at once
    (``0``). Otherwise the pod stays for the smallest ``tolerationSeconds``
    among those tolerations (zero or negative: at once), or forever
    (``None``) if none sets it.

    Complexity: O(taints · tolerations).

    >>> t = Taint("node.kubernetes.io/unreachable", "", "NoExecute")
    >>> noexecute_delay([t], [Toleration(t.key, "Exists", "", "NoExecute", 300)])
    300
    >>> noexecute_delay([t], []), noexecute_delay([], [])
    (0, None)
    """
    delay: int | None = None
    for taint in taints:
        if taint.effect != "NoExecute":
            continue
        used = next((t for t in tolerations if t.tolerates(taint)), None)
        if used is None:
            return 0
        if used.toleration_seconds is not None:
            seconds = max(0, used.toleration_seconds)
            delay = seconds if delay is None else min(delay, seconds)
    return delay


def least_allocated(requested: Resources, allocatable: Resources) -> int:
    """NodeResourcesFit's ``LeastAllocated`` score: the mean free fraction, 0..100.

    Per resource ``(allocatable - requested) * 100 // allocatable`` (0 if it
    does not fit or the node has none), then the integer mean over CPU and
    memory with equal weights, as ``leastRequestedScore`` computes it.
    ``requested`` already includes the incoming pod.

    >>> least_allocated(Resources(1000, 2048), Resources(4000, 8192))
    75
    """
    parts = [
        _free_share(requested.cpu_m, allocatable.cpu_m),
        _free_share(requested.memory_mi, allocatable.memory_mi),
    ]
    return sum(parts) // len(parts)


def _free_share(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def balanced_allocation(requested: Resources, allocatable: Resources) -> int:
    """NodeResourcesBalancedAllocation: ``(1 - std) * 100`` of the CPU and memory fractions.

    With two resources the standard deviation is ``|f_cpu - f_mem| / 2``;
    fractions are capped at 1. A node whose CPU and memory fill at the same
    rate scores 100; one that would be all CPU and no memory scores 50.

    >>> balanced_allocation(Resources(2000, 0), Resources(2000, 4096))
    50
    """
    fractions = [
        min(1.0, requested.cpu_m / allocatable.cpu_m) if allocatable.cpu_m else None,
        min(1.0, requested.memory_mi / allocatable.memory_mi) if allocatable.memory_mi else None,
    ]
    present = [f for f in fractions if f is not None]
    std = abs(present[0] - present[1]) / 2 if len(present) == 2 else 0.0
    return int((1 - std) * MAX_NODE_SCORE)


def _score(
    pod: Pod, feasible: Sequence[Node], placed: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, int]]:
    raw_taint = {
        n.name: sum(
            1
            for t in n.taints
            if t.effect == "PreferNoSchedule" and not _tolerated(t, pod.tolerations)
        )
        for n in feasible
    }
    raw_affinity = {
        n.name: sum(w for w, term in pod.preferred_terms if all(r.matches(n.labels) for r in term))
        for n in feasible
    }
    raw_spread = {
        n.name: sum(1 for app in placed.get(n.name, ()) if pod.app and app == pod.app)
        for n in feasible
    }
    taint = _normalise(raw_taint, reverse=True)
    affinity = _normalise(raw_affinity, reverse=False)
    spread = _normalise(raw_spread, reverse=True)
    out: dict[str, dict[str, int]] = {}
    for n in feasible:
        need = n.requested + pod.requests
        out[n.name] = {
            "TaintToleration": taint[n.name],
            "NodeAffinity": affinity[n.name],
            "PodTopologySpread": spread[n.name],
            "NodeResourcesFit": least_allocated(need, n.allocatable),
            "NodeResourcesBalancedAllocation": balanced_allocation(need, n.allocatable),
        }
    return out


def _normalise(raw: Mapping[str, int], *, reverse: bool) -> dict[str, int]:
    """The framework's ``DefaultNormalizeScore``: scale to 0..100, optionally reversed."""
    top = max(raw.values())
    if top == 0:
        return dict.fromkeys(raw, MAX_NODE_SCORE if reverse else 0)
    scaled = {k: MAX_NODE_SCORE * v // top for k, v in raw.items()}
    return {k: MAX_NODE_SCORE - v for k, v in scaled.items()} if reverse else scaled
