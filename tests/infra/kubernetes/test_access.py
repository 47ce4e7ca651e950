"""RBAC and NetworkPolicy against set-based oracles: every grant expanded, then unioned."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.kubernetes import (
    Binding,
    NetworkPolicy,
    PolicyRule,
    Role,
    Rule,
    connection_allowed,
    rbac_allows,
)

SUBJECTS = ["alice", "bob", "system:serviceaccount:web:ci"]
VERBS = ["get", "list", "delete"]
RESOURCES = ["pods", "secrets", "nodes"]
GROUPS = ["", "apps"]
NAMESPACES: list[str | None] = ["web", "prod", None]


# --- RBAC -------------------------------------------------------------------------------


def test_kubectl_auth_can_i_examples() -> None:
    # kubernetes.io "Using RBAC Authorization": RoleBinding -> ClusterRole grants in one namespace.
    secret_reader = Role("secret-reader", (Rule(("get", "watch", "list"), ("secrets",)),))
    local = Binding(secret_reader, ("dave",), namespace="development")
    everywhere = Binding(secret_reader, ("manager",))
    bindings = [local, everywhere]
    assert rbac_allows(bindings, "dave", "get", "secrets", "development")
    assert not rbac_allows(bindings, "dave", "get", "secrets", "prod")
    assert not rbac_allows(bindings, "dave", "list", "secrets", None)  # --all-namespaces
    assert rbac_allows(bindings, "manager", "list", "secrets", None)
    assert rbac_allows(bindings, "manager", "get", "secrets", "prod")
    assert not rbac_allows(bindings, "manager", "delete", "secrets", "prod")
    assert not rbac_allows(bindings, "nobody", "get", "secrets", "development")
    assert not rbac_allows([], "dave", "get", "pods", "development")  # default deny


def test_api_group_and_wildcards() -> None:
    deployer = Role("deployer", (Rule(("*",), ("deployments",), ("apps",)),), namespace="web")
    b = Binding(deployer, ("ci",), namespace="web")
    assert rbac_allows([b], "ci", "patch", "deployments", "web", api_group="apps")
    assert not rbac_allows([b], "ci", "patch", "deployments", "web")  # core group: no
    admin = Binding(Role("cluster-admin", (Rule(("*",), ("*",), ("*",)),)), ("root",))
    assert rbac_allows([admin], "root", "delete", "nodes", None, api_group="")


rules_st = st.builds(
    Rule,
    st.lists(st.sampled_from([*VERBS, "*"]), min_size=1, max_size=2).map(tuple),
    st.lists(st.sampled_from([*RESOURCES, "*"]), min_size=1, max_size=2).map(tuple),
    st.lists(st.sampled_from([*GROUPS, "*"]), min_size=1, max_size=2).map(tuple),
)


@st.composite
def bindings_st(draw: st.DrawFn) -> Binding:
    binding_ns = draw(st.sampled_from(NAMESPACES))
    role_ns = draw(st.sampled_from([None, binding_ns])) if binding_ns else None
    role = Role("r", tuple(draw(st.lists(rules_st, max_size=3))), namespace=role_ns)
    subjects = tuple(draw(st.lists(st.sampled_from(SUBJECTS), min_size=1, max_size=2)))
    return Binding(role, subjects, namespace=binding_ns)


def _grants(bindings: list[Binding]) -> set[tuple[str, str, str, str, str | None]]:
    """Expand every binding to the explicit requests it allows, over the finite universe."""
    out = set()
    for b in bindings:
        scopes = [b.namespace] if b.namespace is not None else NAMESPACES
        for rule in b.role.rules:
            verbs = VERBS if "*" in rule.verbs else rule.verbs
            resources = RESOURCES if "*" in rule.resources else rule.resources
            groups = GROUPS if "*" in rule.api_groups else rule.api_groups
            for s, v, r, g, ns in itertools.product(b.subjects, verbs, resources, groups, scopes):
                out.add((s, v, r, g, ns))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(bindings_st(), max_size=4), bindings_st())
def test_rbac_matches_expanded_grants_and_is_additive(
    bindings: list[Binding], extra: Binding
) -> None:
    grants = _grants(bindings)
    for s, v, r, g, ns in itertools.product(SUBJECTS, VERBS, RESOURCES, GROUPS, NAMESPACES):
        got = rbac_allows(bindings, s, v, r, ns, api_group=g)
        assert got == ((s, v, r, g, ns) in grants)
        if got:  # no deny rules: adding a binding never takes a permission away
            assert rbac_allows([*bindings, extra], s, v, r, ns, api_group=g)


# --- NetworkPolicy ----------------------------------------------------------------------

PODS = [{"app": "web"}, {"app": "api"}, {"app": "db"}, {"app": "db", "tier": "cache"}, {}]
PORTS = [80, 5432]


def test_default_allow_then_default_deny_then_additive() -> None:
    web, api, db = {"app": "web"}, {"app": "api"}, {"app": "db"}
    assert connection_allowed([], web, db, 5432)  # no policy: everything allowed
    deny_all_ingress = NetworkPolicy("default-deny-ingress", {})  # empty selector: every pod
    assert not connection_allowed([deny_all_ingress], web, db, 5432)
    assert not connection_allowed([deny_all_ingress], db, web, 80)
    allow_api = NetworkPolicy("api-to-db", db, ingress=(PolicyRule((api,), (5432,)),))
    both = [deny_all_ingress, allow_api]
    assert connection_allowed(both, api, db, 5432)
    assert not connection_allowed(both, api, db, 80)  # port not listed
    assert not connection_allowed(both, web, db, 5432)  # peer not listed
    # The first policy selecting db isolates only db; web stays open.
    assert connection_allowed([allow_api], db, web, 80)
    assert not connection_allowed([allow_api], web, db, 5432)


def test_egress_isolation_needs_egress_in_policy_types() -> None:
    web, db = {"app": "web"}, {"app": "db"}
    # policyTypes defaults to Ingress alone without egress rules (the oracle below relies on it).
    assert NetworkPolicy("p", web).policy_types == ("Ingress",)
    assert NetworkPolicy("p", web, ingress=(PolicyRule(),)).policy_types == ("Ingress",)
    deny_egress = NetworkPolicy("deny-egress", web, policy_types=("Egress",))
    assert not connection_allowed([deny_egress], web, db, 5432)
    assert connection_allowed([deny_egress], db, web, 80)  # web's ingress is untouched
    # Egress rules present: policyTypes defaults to Ingress + Egress.
    only_db = NetworkPolicy("web-egress", web, egress=(PolicyRule((db,)),))
    assert only_db.policy_types == ("Ingress", "Egress")
    assert connection_allowed([only_db], web, db, 5432)
    assert not connection_allowed([only_db], web, {"app": "api"}, 80)
    assert not connection_allowed([only_db], db, web, 80)  # and web's ingress is now isolated


selector_st = st.sampled_from([{}, {"app": "web"}, {"app": "db"}, {"tier": "cache"}])
policy_rule_st = st.builds(
    PolicyRule,
    st.lists(selector_st, max_size=2).map(tuple),
    st.lists(st.sampled_from(PORTS), max_size=1).map(tuple),
)
policy_st = st.builds(
    NetworkPolicy,
    st.just("p"),
    selector_st,
    st.lists(policy_rule_st, max_size=2).map(tuple),
    st.lists(policy_rule_st, max_size=2).map(tuple),
    st.sampled_from([None, ("Ingress",), ("Egress",), ("Ingress", "Egress")]),
)


def _oracle(policies: list[NetworkPolicy]) -> set[tuple[int, int, int]]:
    """Allowed (src, dst, port) indices: isolated pods get the union of their grants."""

    def subset(sel: dict[str, str], labels: dict[str, str]) -> bool:
        return sel.items() <= labels.items()

    def allowed(direction: str) -> set[tuple[int, int, int]]:
        grants: set[tuple[int, int, int]] = set()
        isolated: set[int] = set()
        for pol in policies:
            if direction not in (pol.policy_types or ()):
                continue
            rules = pol.ingress if direction == "Ingress" else pol.egress
            for i, pod in enumerate(PODS):
                if not subset(dict(pol.pod_selector), pod):
                    continue
                isolated.add(i)
                for rule in rules:
                    for j, peer in enumerate(PODS):
                        if rule.peers and not any(subset(dict(s), peer) for s in rule.peers):
                            continue
                        for port in rule.ports or PORTS:
                            grants.add((i, j, port))
        everything = set(itertools.product(range(len(PODS)), range(len(PODS)), PORTS))
        return grants | {t for t in everything if t[0] not in isolated}

    ingress, egress = allowed("Ingress"), allowed("Egress")  # keyed (pod, peer, port)
    return {(s, d, p) for (s, d, p) in egress if (d, s, p) in ingress}


@settings(max_examples=60, deadline=None)
@given(st.lists(policy_st, max_size=4))
def test_network_policy_matches_union_oracle(policies: list[NetworkPolicy]) -> None:
    expected = _oracle(policies)
    for (i, src), (j, dst), port in itertools.product(enumerate(PODS), enumerate(PODS), PORTS):
        assert connection_allowed(policies, src, dst, port) == ((i, j, port) in expected)


@settings(max_examples=40, deadline=None)
@given(st.lists(policy_st, max_size=3), policy_st)
def test_once_isolated_adding_a_policy_only_adds(
    policies: list[NetworkPolicy], extra: NetworkPolicy
) -> None:
    # Additivity: once a pod is isolated for both directions it stays isolated, and
    # everything allowed before stays allowed.
    both = [*policies, NetworkPolicy("iso", {}, policy_types=("Ingress", "Egress"))]
    for src, dst, port in itertools.product(PODS, PODS, PORTS):
        if connection_allowed(both, src, dst, port):
            assert connection_allowed([*both, extra], src, dst, port)


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: Rule((), ("pods",)), ValueError, r"verbs must be a non-empty sequence of str"),
        (lambda: Rule("get", ("pods",)), ValueError, r"got 'get'"),  # type: ignore[arg-type]
        (lambda: Rule(("get", 1), ("pods",)), TypeError, r"verbs item must be a str"),  # type: ignore[arg-type]
        (lambda: Role("", ()), ValueError, r"name must be a non-empty str"),
        (lambda: Role("r", ("x",)), TypeError, r"rules must hold Rule"),  # type: ignore[arg-type]
        (
            lambda: Binding(Role("r", (), namespace="a"), ("u",)),
            ValueError,
            r"ClusterRoleBinding can reference only a ClusterRole",
        ),
        (
            lambda: Binding(Role("r", (), namespace="a"), ("u",), namespace="b"),
            ValueError,
            r"RoleBinding in 'b' cannot reference Role 'r' of namespace 'a'",
        ),
        (lambda: Binding(Role("r", ()), ()), ValueError, r"subjects must be a non-empty"),
        (lambda: Binding("r", ("u",)), TypeError, r"role must be a Role"),  # type: ignore[arg-type]
        (lambda: rbac_allows([], "u", "", "pods", "ns"), ValueError, r"verb must be"),
        (lambda: rbac_allows([], "u", "get", "pods", ""), ValueError, r"namespace must be"),
        (lambda: rbac_allows([], None, "get", "pods", "ns"), TypeError, r"subject must be a str"),  # type: ignore[arg-type]
        (lambda: rbac_allows(["b"], "u", "get", "pods", "ns"), TypeError, r"Binding objects"),  # type: ignore[list-item]
        (lambda: connection_allowed([], {}, {}, 70000), ValueError, r"got 70000"),
        (lambda: connection_allowed([], {}, {}, True), TypeError, r"got bool"),
        (lambda: connection_allowed([], {}, {}, 80.0), TypeError, r"port must be an int"),  # type: ignore[arg-type]
        (lambda: connection_allowed([], ["a"], {}, 80), TypeError, r"src selector must be"),  # type: ignore[arg-type]
        (lambda: connection_allowed([], {"a": 1}, {}, 80), TypeError, r"label value"),  # type: ignore[dict-item]
        (lambda: connection_allowed(["p"], {}, {}, 80), TypeError, r"NetworkPolicy objects"),  # type: ignore[list-item]
        (lambda: PolicyRule((), (0,)), ValueError, r"port must be in \[1, 65535\], got 0"),
        (lambda: NetworkPolicy("p", {}, policy_types=()), ValueError, r"policy_types"),
        (lambda: NetworkPolicy("p", {}, policy_types="Ingress"), ValueError, r"policy_types"),  # type: ignore[arg-type]
        (lambda: NetworkPolicy("p", {}, policy_types=("ingress",)), ValueError, r"policy_types"),
        (lambda: NetworkPolicy("p", {}, ingress=("x",)), TypeError, r"PolicyRule objects"),  # type: ignore[arg-type]
        (lambda: Rule(("",), ("pods",)), ValueError, r"verbs item must be a non-empty str"),
        (lambda: Binding(Role("r", ()), ("",)), ValueError, r"subjects item must be a non-empty"),
        (lambda: Role("r", None), TypeError, r"rules must be a sequence"),  # type: ignore[arg-type]
        (lambda: PolicyRule(ports=80), TypeError, r"ports must be a sequence"),  # type: ignore[arg-type]
        (lambda: PolicyRule(peers={"app": "web"}), TypeError, r"peers must be a sequence"),  # type: ignore[arg-type]
        (
            lambda: NetworkPolicy("p", {}, ingress=PolicyRule()),  # type: ignore[arg-type]
            TypeError,
            r"ingress must be a sequence",
        ),
        # A bad element after a matching binding is still refused, not skipped.
        (
            lambda: rbac_allows(
                [Binding(Role("r", (Rule(("get",), ("pods",)),)), ("u",)), "junk"],  # type: ignore[list-item]
                "u",
                "get",
                "pods",
                None,
            ),
            TypeError,
            r"Binding objects, got 'junk'",
        ),
    ],
)
def test_access_rejects_bad_input(
    call: Callable[[], object], exc: type[Exception], match: str
) -> None:
    with pytest.raises(exc, match=match):
        call()
