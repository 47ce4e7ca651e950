"""Kubernetes architecture: control loops, the scheduler, rolling updates and the HPA, in miniature.

Kubernetes is a set of control loops around one API: every component reads
desired state from kube-apiserver (which alone talks to etcd), compares it
with what it observes, and acts to close the gap. Interviewers ask about it
because "what happens when I run ``kubectl apply``?" touches every piece,
and because its algorithms (level-triggered reconciliation, filter and score,
surge and unavailability bounds, a scaling formula with a tolerance) are
small enough to write down exactly. One submodule per concern:

- :mod:`~.objects`: resources, QoS classes, taints, tolerations, nodes, pods;
- :mod:`~.controller`: an API store with resourceVersions, watches and 410
  Gone, and a level-triggered, idempotent ReplicaSet reconcile loop;
- :mod:`~.scheduler`: filter (fit, taints, selector, affinity) then score
  (the default plugins and weights), with the reason a pod stays Pending;
- :mod:`~.rollout`: ``maxSurge``/``maxUnavailable`` resolved as the API
  defines and a rolling update simulated step by step;
- :mod:`~.autoscaler`: the HPA formula, tolerance and stabilization window;
- :mod:`~.access`: an RBAC evaluator (``kubectl auth can-i``) and a
  NetworkPolicy matcher, both allow-only and additive.

Invariants: after enough reconciles with no new failures, active pods equal
desired and a second reconcile does nothing; a pod is bound only to a node
that passes every filter, and to one with the highest total score; a rollout
never exceeds replicas + surge pods nor drops below replicas - unavailable
available pods.

=========================  ================================  ====================
function                   answers                           cost
=========================  ================================  ====================
reconcile                  pods to create / delete           O(p log p)
schedule                   node, scores, or why Pending      O(n · plugins)
resolve_fenceposts         surge and unavailable counts      O(1)
rolling_update             the rollout, step by step         O(replicas) steps
hpa_desired_replicas       the HPA's recommendation          O(1)
=========================  ================================  ====================

>>> resolve_fenceposts(10, "25%", "25%")
(3, 2)

Primary sources: the Kubernetes documentation and API reference
(kubernetes.io, v1.3x) and source (kubernetes/kubernetes, ``pkg/controller``
and ``pkg/scheduler``); each submodule names the pages it follows.
"""

from __future__ import annotations

from typing import TextIO

from studybook.infra.kubernetes.access import (
    Binding,
    NetworkPolicy,
    PolicyRule,
    Role,
    Rule,
    connection_allowed,
    rbac_allows,
)
from studybook.infra.kubernetes.autoscaler import (
    DEFAULT_DOWNSCALE_WINDOW,
    DEFAULT_TOLERANCE,
    HorizontalPodAutoscaler,
    hpa_desired_replicas,
)
from studybook.infra.kubernetes.controller import (
    PHASES,
    Actions,
    ApiStore,
    Event,
    Gone,
    ReplicaSetSimulation,
    reconcile,
)
from studybook.infra.kubernetes.objects import (
    AFFINITY_OPERATORS,
    TAINT_EFFECTS,
    ContainerResources,
    Node,
    Pod,
    Requirement,
    Resources,
    Taint,
    Toleration,
    qos_class,
)
from studybook.infra.kubernetes.rollout import (
    RolloutStep,
    resolve_fenceposts,
    rolling_update,
    scaled_value,
)
from studybook.infra.kubernetes.scheduler import (
    DEFAULT_WEIGHTS,
    MAX_NODE_SCORE,
    Decision,
    balanced_allocation,
    filter_reasons,
    least_allocated,
    noexecute_delay,
    schedule,
)

__all__ = [
    "AFFINITY_OPERATORS",
    "DEFAULT_DOWNSCALE_WINDOW",
    "DEFAULT_TOLERANCE",
    "DEFAULT_WEIGHTS",
    "MAX_NODE_SCORE",
    "PHASES",
    "TAINT_EFFECTS",
    "Actions",
    "ApiStore",
    "Binding",
    "ContainerResources",
    "Decision",
    "Event",
    "Gone",
    "HorizontalPodAutoscaler",
    "NetworkPolicy",
    "Node",
    "Pod",
    "PolicyRule",
    "ReplicaSetSimulation",
    "Requirement",
    "Resources",
    "Role",
    "RolloutStep",
    "Rule",
    "Taint",
    "Toleration",
    "balanced_allocation",
    "connection_allowed",
    "demo",
    "demo_cluster",
    "filter_reasons",
    "hpa_desired_replicas",
    "least_allocated",
    "noexecute_delay",
    "qos_class",
    "rbac_allows",
    "reconcile",
    "resolve_fenceposts",
    "rolling_update",
    "scaled_value",
    "schedule",
]


def demo_cluster() -> list[Node]:
    """Three nodes used by the chapter and the demo: a small one, a big one, a GPU one.

    >>> [n.name for n in demo_cluster()]
    ['node-a', 'node-b', 'gpu-1']
    """
    return [
        Node("node-a", Resources(4000, 8192), Resources(3000, 2048), {"zone": "eu-1a"}),
        Node("node-b", Resources(8000, 16384), Resources(1000, 4096), {"zone": "eu-1b"}),
        Node(
            "gpu-1",
            Resources(16000, 65536),
            labels={"zone": "eu-1a", "gpu": "a100"},
            taints=(Taint("nvidia.com/gpu", "", "NoSchedule"),),
        ),
    ]


def demo(out: TextIO) -> None:
    """Run every model once and narrate the results to ``out``.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Scheduling web-7 (requests 500m CPU, 1024Mi) on 3 nodes
      gpu-1   filtered: node(s) had untolerated taint nvidia.com/gpu:NoSchedule
      node        taint x3 affinity x2   spread x2      fit x1  balance x1   total
      node-a           100           0         100          37          75     612
      node-b           100           0           0          74          93     467
      -> bound web-7 to node-a
    Scheduling train (32 CPUs): 0/3 nodes are available: 3 Insufficient cpu.
    <BLANKLINE>
    ReplicaSet of 3, pod rs-2 fails after step 2
      step 1: create 3, delete [], pods {'rs-1': 'Pending', 'rs-2': 'Pending', 'rs-3': 'Pending'}
      step 2: create 0, delete [], pods {'rs-1': 'Running', 'rs-2': 'Running', 'rs-3': 'Running'}
      step 3: create 1, delete [], pods {'rs-1': 'Running', 'rs-3': 'Running', 'rs-4': 'Pending'}
      step 4: create 0, delete [], pods {'rs-1': 'Running', 'rs-3': 'Running', 'rs-4': 'Running'}
      reconcile again: Actions(create=0, delete=())
    <BLANKLINE>
    Rolling update of 10 replicas, maxSurge 25% -> 3, maxUnavailable 25% -> 2
      0: start   old 10  new  0  total 10  available 10
      1: new +3  old 10  new  3  total 13  available 10
      2: old -5  old  5  new  3  total  8  available  8
      3: new +5  old  5  new  8  total 13  available  8
      4: old -5  old  0  new  8  total  8  available  8
      5: new +2  old  0  new 10  total 10  available  8
    <BLANKLINE>
    HPA, target 50% CPU, 4 replicas, min 2, max 10
      t=  0s  metric 90%  4 -> 8
      t= 15s  metric 54%  8 -> 8
      t= 30s  metric 20%  8 -> 8
      t= 60s  metric 20%  8 -> 8
      t=345s  metric 20%  8 -> 4
    """
    nodes = demo_cluster()
    web = Pod("web-7", Resources(500, 1024), app="web")
    decision = schedule(web, nodes, placed={"node-b": ["web", "web"]})
    out.write(f"Scheduling {web.name} (requests 500m CPU, 1024Mi) on {len(nodes)} nodes\n")
    for name, reason in decision.reasons.items():
        out.write(f"  {name:<7} filtered: {reason}\n")
    short = {
        "TaintToleration": "taint x3",
        "NodeAffinity": "affinity x2",
        "PodTopologySpread": "spread x2",
        "NodeResourcesFit": "fit x1",
        "NodeResourcesBalancedAllocation": "balance x1",
    }
    out.write("  node    " + "".join(f"{short[p]:>12}" for p in DEFAULT_WEIGHTS) + "   total\n")
    for name, scores in decision.scores.items():
        row = "".join(f"{scores[p]:>12}" for p in DEFAULT_WEIGHTS)
        out.write(f"  {name:<7} {row} {decision.totals[name]:>7}\n")
    out.write(f"  -> {decision.message}\n")
    huge = schedule(Pod("train", Resources(32000, 1024)), nodes)
    out.write(f"Scheduling train (32 CPUs): {huge.message}\n\n")

    out.write("ReplicaSet of 3, pod rs-2 fails after step 2\n")
    sim = ReplicaSetSimulation(desired=3)
    for i in range(1, 5):
        if i == 3:
            sim.fail("rs-2")
        actions = sim.step()
        out.write(
            f"  step {i}: create {actions.create}, delete {list(actions.delete)}, "
            f"pods {sim.phases()}\n"
        )
    out.write(f"  reconcile again: {reconcile(sim.desired, sim.phases())}\n\n")

    surge, unavailable = resolve_fenceposts(10)
    out.write(
        f"Rolling update of 10 replicas, maxSurge 25% -> {surge}, "
        f"maxUnavailable 25% -> {unavailable}\n"
    )
    for s in rolling_update(10):
        out.write(
            f"  {s.step}: {s.action:<7} old {s.old:>2}  new {s.new:>2}  "
            f"total {s.total:>2}  available {s.available:>2}\n"
        )

    out.write("\nHPA, target 50% CPU, 4 replicas, min 2, max 10\n")
    hpa = HorizontalPodAutoscaler(2, 10, 50)
    replicas = 4
    for t, metric in [(0, 90), (15, 54), (30, 20), (60, 20), (345, 20)]:
        replicas_before = replicas
        replicas = hpa.recommend(t, replicas, metric)
        out.write(f"  t={t:>3}s  metric {metric:>2}%  {replicas_before} -> {replicas}\n")
