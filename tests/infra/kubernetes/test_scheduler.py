"""The filter-and-score scheduler against a brute-force oracle that scores every feasible node."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.kubernetes import (
    DEFAULT_WEIGHTS,
    Node,
    Pod,
    Requirement,
    Resources,
    Taint,
    Toleration,
    filter_reasons,
    noexecute_delay,
    schedule,
)

KEYS = ["gpu", "team", "zone"]
VALUES = ["a", "b"]

taints = st.builds(
    Taint,
    st.sampled_from(KEYS),
    st.sampled_from(VALUES),
    st.sampled_from(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
)
tolerations = st.one_of(
    st.builds(
        Toleration,
        st.sampled_from(KEYS),
        st.just("Equal"),
        st.sampled_from(VALUES),
        st.sampled_from(["", "NoSchedule", "PreferNoSchedule", "NoExecute"]),
    ),
    st.builds(
        Toleration,
        st.sampled_from(["", *KEYS]),
        st.just("Exists"),
        st.just(""),
        st.sampled_from(["", "NoSchedule", "PreferNoSchedule", "NoExecute"]),
    ),
)
requirements = st.one_of(
    st.builds(
        Requirement,
        st.sampled_from(KEYS),
        st.sampled_from(["In", "NotIn"]),
        st.lists(st.sampled_from(VALUES), min_size=1, max_size=2, unique=True).map(tuple),
    ),
    st.builds(Requirement, st.sampled_from(KEYS), st.sampled_from(["Exists", "DoesNotExist"])),
)
terms = st.lists(requirements, min_size=1, max_size=2).map(tuple)
labels = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=3)


@st.composite
def nodes(draw: st.DrawFn) -> list[Node]:
    out = []
    for i in range(draw(st.integers(1, 5))):
        cpu = draw(st.integers(0, 8)) * 500
        mem = draw(st.integers(0, 8)) * 512
        used = Resources(draw(st.integers(0, cpu)), draw(st.integers(0, mem)))
        out.append(
            Node(
                f"n{i}",
                Resources(cpu, mem),
                used,
                draw(labels),
                tuple(draw(st.lists(taints, max_size=2))),
            )
        )
    return out


pods = st.builds(
    Pod,
    st.just("p"),
    st.builds(Resources, st.integers(0, 4000), st.integers(0, 4096)),
    st.sampled_from(["", "web", "db"]),
    st.lists(tolerations, max_size=3).map(tuple),
    st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=1),
    st.lists(terms, max_size=2).map(tuple),
    st.lists(st.tuples(st.integers(1, 100), terms), max_size=2).map(tuple),
)
placements = st.dictionaries(
    st.sampled_from([f"n{i}" for i in range(5)]),
    st.lists(st.sampled_from(["web", "db"]), max_size=3),
)


# --- an independent oracle: plain predicates, every feasible node scored ----------------


def oracle_tolerates(t: Toleration, taint: Taint) -> bool:
    effect_ok = t.effect in ("", taint.effect)
    if t.key == "":
        return effect_ok and t.operator == "Exists"
    value_ok = t.operator == "Exists" or t.value == taint.value
    return effect_ok and t.key == taint.key and value_ok


def oracle_matches(r: Requirement, node_labels: dict[str, str]) -> bool:
    has = r.key in node_labels
    return {
        "In": has and node_labels.get(r.key) in r.values,
        "NotIn": not (has and node_labels.get(r.key) in r.values),
        "Exists": has,
        "DoesNotExist": not has,
    }[r.operator]


def oracle_feasible(pod: Pod, node: Node) -> bool:
    lab = dict(node.labels)
    fits = (
        node.requested.cpu_m + pod.requests.cpu_m <= node.allocatable.cpu_m
        and node.requested.memory_mi + pod.requests.memory_mi <= node.allocatable.memory_mi
    )
    hard = [t for t in node.taints if t.effect in ("NoSchedule", "NoExecute")]
    tolerated = all(any(oracle_tolerates(tol, t) for tol in pod.tolerations) for t in hard)
    selector = all(lab.get(k) == v for k, v in pod.node_selector.items())
    affinity = not pod.required_terms or any(
        all(oracle_matches(r, lab) for r in term) for term in pod.required_terms
    )
    return fits and tolerated and selector and affinity


def normalise(raw: dict[str, int], reverse: bool) -> dict[str, int]:
    top = max(raw.values())
    out = {}
    for k, v in raw.items():
        scaled = 0 if top == 0 else 100 * v // top
        out[k] = 100 - scaled if reverse else scaled
    return out


def oracle_totals(pod: Pod, feasible: list[Node], placed: dict[str, list[str]]) -> dict[str, int]:
    prefer = {
        n.name: len(
            [
                t
                for t in n.taints
                if t.effect == "PreferNoSchedule"
                and not any(oracle_tolerates(x, t) for x in pod.tolerations)
            ]
        )
        for n in feasible
    }
    aff = {
        n.name: sum(
            w
            for w, term in pod.preferred_terms
            if all(oracle_matches(r, dict(n.labels)) for r in term)
        )
        for n in feasible
    }
    spread = {n.name: placed.get(n.name, []).count(pod.app) if pod.app else 0 for n in feasible}
    taint_s, aff_s, spread_s = (
        normalise(prefer, True),
        normalise(aff, False),
        normalise(spread, True),
    )
    totals = {}
    for n in feasible:
        cpu = n.requested.cpu_m + pod.requests.cpu_m
        mem = n.requested.memory_mi + pod.requests.memory_mi
        free = [
            0 if cap == 0 or used > cap else (cap - used) * 100 // cap
            for used, cap in ((cpu, n.allocatable.cpu_m), (mem, n.allocatable.memory_mi))
        ]
        fractions = [
            min(1.0, used / cap)
            for used, cap in ((cpu, n.allocatable.cpu_m), (mem, n.allocatable.memory_mi))
            if cap
        ]
        std = abs(fractions[0] - fractions[1]) / 2 if len(fractions) == 2 else 0.0
        totals[n.name] = (
            3 * taint_s[n.name]
            + 2 * aff_s[n.name]
            + 2 * spread_s[n.name]
            + sum(free) // 2
            + int((1 - std) * 100)
        )
    return totals


@settings(max_examples=60, deadline=None)
@given(pods, nodes(), placements)
def test_schedule_matches_brute_force_oracle(
    pod: Pod, cluster: list[Node], placed: dict[str, list[str]]
) -> None:
    decision = schedule(pod, cluster, placed)
    feasible = [n for n in cluster if oracle_feasible(pod, n)]
    assert set(decision.totals) == {n.name for n in feasible}
    assert set(decision.reasons) == {n.name for n in cluster} - {n.name for n in feasible}
    if not feasible:
        assert decision.node is None
        assert decision.message.startswith(f"0/{len(cluster)} nodes are available: ")
        return
    totals = oracle_totals(pod, feasible, placed)
    assert dict(decision.totals) == totals
    best = max(totals.values())
    assert decision.node == min(name for name, t in totals.items() if t == best)


def test_pod_bigger_than_every_node_is_unschedulable_with_reasons_not_an_exception() -> None:
    cluster = [
        Node("a", Resources(4000, 8192)),
        Node("b", Resources(64000, 1024), taints=(Taint("gpu", "", "NoSchedule"),)),
    ]
    d = schedule(Pod("huge", Resources(32000, 4096)), cluster)
    assert d.node is None
    assert dict(d.reasons) == {"a": "Insufficient cpu", "b": "Insufficient memory"}
    assert d.message == "0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory."


def test_prefer_no_schedule_only_lowers_the_score() -> None:
    soft = Node("a", Resources(4000, 4096), taints=(Taint("spot", "", "PreferNoSchedule"),))
    plain = Node("b", Resources(4000, 4096))
    d = schedule(Pod("p", Resources(100, 100)), [soft, plain])
    assert d.node == "b"
    assert d.scores["a"]["TaintToleration"] == 0
    assert d.scores["b"]["TaintToleration"] == 100
    # Alone, the softly tainted node is still used.
    assert schedule(Pod("p", Resources(100, 100)), [soft]).node == "a"


@pytest.mark.parametrize("effect", ["NoSchedule", "NoExecute"])
def test_hard_taints_filter_unless_tolerated(effect: str) -> None:
    node = Node("a", Resources(1000, 1000), taints=(Taint("team", "x", effect),))
    assert filter_reasons(Pod("p", Resources(1, 1)), node) == (
        f"node(s) had untolerated taint team=x:{effect}"
    )
    for tol in [
        Toleration("team", "Equal", "x"),
        Toleration("", "Exists"),
        Toleration("team", "Exists", "", effect),
    ]:
        assert filter_reasons(Pod("p", Resources(1, 1), tolerations=(tol,)), node) is None
    wrong = Toleration("team", "Equal", "y")
    assert filter_reasons(Pod("p", Resources(1, 1), tolerations=(wrong,)), node) is not None


def test_node_selector_and_required_affinity() -> None:
    a = Node("a", Resources(1000, 1000), labels={"zone": "a"})
    b = Node("b", Resources(1000, 1000), labels={"zone": "b", "ssd": "yes"})
    by_selector = Pod("p", Resources(1, 1), node_selector={"zone": "b"})
    assert schedule(by_selector, [a, b]).node == "b"
    either = Pod(
        "p",
        Resources(1, 1),
        required_terms=((Requirement("zone", "In", ("c",)),), (Requirement("ssd", "Exists"),)),
    )
    assert schedule(either, [a, b]).node == "b"  # terms are ORed
    preferred = Pod(
        "p", Resources(1, 1), preferred_terms=((50, (Requirement("zone", "In", ("a",)),)),)
    )
    d = schedule(preferred, [a, b])
    assert d.node == "a"
    assert (d.scores["a"]["NodeAffinity"], d.scores["b"]["NodeAffinity"]) == (100, 0)


def test_spreading_moves_replicas_apart() -> None:
    cluster = [Node("a", Resources(4000, 4096)), Node("b", Resources(4000, 4096))]
    pod = Pod("web-3", Resources(100, 100), app="web")
    assert schedule(pod, cluster, {"a": ["web", "web"], "b": ["web"]}).node == "b"
    assert schedule(pod, cluster, {"a": ["db"], "b": ["web"]}).node == "a"


def test_noexecute_delay_uses_first_matching_toleration_per_taint() -> None:
    t1 = Taint("node.kubernetes.io/not-ready", "", "NoExecute")
    t2 = Taint("node.kubernetes.io/unreachable", "", "NoExecute")
    tol1 = Toleration(t1.key, "Exists", "", "NoExecute", 300)
    tol2 = Toleration(t2.key, "Exists", "", "NoExecute", 60)
    assert noexecute_delay([t1, t2], [tol1, tol2]) == 60
    assert noexecute_delay([t1], [tol1, Toleration("", "Exists")]) == 300
    assert noexecute_delay([t1], [Toleration("", "Exists"), tol1]) is None
    assert noexecute_delay([t1, t2], [tol1]) == 0
    assert noexecute_delay([Taint("x", "", "NoSchedule")], []) is None
    assert noexecute_delay([t1], [Toleration(t1.key, "Exists", "", "NoExecute", -5)]) == 0


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        (("not a pod", []), {}, TypeError, "pod must be a Pod, got str"),
        ((Pod("p", Resources(1, 1)), ["n"]), {}, TypeError, "nodes must hold Node, got str"),
        (
            (Pod("p", Resources(1, 1)), [Node("a", Resources(1, 1)), Node("a", Resources(2, 2))]),
            {},
            ValueError,
            "duplicate node name 'a'",
        ),
        (
            (Pod("p", Resources(1, 1)), []),
            {"weights": {"Magic": 1}},
            ValueError,
            "unknown score plugin 'Magic'",
        ),
        (
            (Pod("p", Resources(1, 1)), []),
            {"weights": {"NodeAffinity": True}},
            ValueError,
            "got True",
        ),
    ],
)
def test_schedule_rejects_bad_input(
    args: tuple[object, ...], kwargs: dict[str, object], exc: type[Exception], match: str
) -> None:
    with pytest.raises(exc, match=match):
        schedule(*args, **kwargs)  # type: ignore[arg-type]


def test_default_weights_are_kube_schedulers() -> None:
    # pkg/scheduler/apis/config/v1/default_plugins.go, v1.3x.
    assert dict(DEFAULT_WEIGHTS) == {
        "TaintToleration": 3,
        "NodeAffinity": 2,
        "PodTopologySpread": 2,
        "NodeResourcesFit": 1,
        "NodeResourcesBalancedAllocation": 1,
    }


def test_empty_cluster_is_unschedulable() -> None:
    d = schedule(Pod("p", Resources(1, 1)), [])
    assert d.node is None
    assert d.message == "0/0 nodes are available."


def test_ties_go_to_the_first_node_name() -> None:
    # kube-scheduler picks uniformly at random among the best; this model picks by name.
    twins = [Node(name, Resources(2000, 2048)) for name in ("c", "a", "b")]
    d = schedule(Pod("p", Resources(100, 100)), twins)
    assert len(set(d.totals.values())) == 1
    assert d.node == "a"


def test_nodes_may_be_any_iterable() -> None:
    # A generator is consumed by validation; the scheduler must not then see an empty cluster.
    cluster = [Node("a", Resources(1000, 1000)), Node("b", Resources(2000, 2000))]
    pod = Pod("p", Resources(100, 100))
    assert schedule(pod, iter(cluster)) == schedule(pod, cluster)
    assert schedule(pod, iter(cluster)).node == "b"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"placed": {"a": "web"}}, r"placed\['a'\] must be a list of app labels, got 'web'"),
        ({"placed": {"a": [1]}}, r"placed\['a'\] must be a list of app labels"),
        ({"placed": [("a", ["web"])]}, "placed must be a mapping, got list"),
        ({"weights": [("NodeAffinity", 1)]}, "weights must be a mapping, got list"),
    ],
)
def test_schedule_rejects_malformed_placed_and_weights(
    kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(TypeError, match=match):
        schedule(Pod("p", Resources(1, 1), app="web"), [Node("a", Resources(9, 9))], **kwargs)  # type: ignore[arg-type]
