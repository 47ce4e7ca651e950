"""Who may do what: an RBAC evaluator and a NetworkPolicy matcher, both allow-only.

Both of Kubernetes' access models are *additive*: there is no deny rule, and
the answer is "allowed" as soon as one grant matches.

- **RBAC** (kubernetes.io, "Using RBAC Authorization", v1.3x): a Role (namespaced)
  or ClusterRole lists rules of verbs on resources in API groups; a RoleBinding
  grants a Role *or a ClusterRole* to subjects inside the binding's namespace
  only; a ClusterRoleBinding grants a ClusterRole everywhere. Nothing bound
  means nothing allowed. :func:`rbac_allows` answers what
  ``kubectl auth can-i VERB RESOURCE -n NS --as SUBJECT`` answers, for the
  parts it models: verbs, resources (``"pods/log"`` for a subresource) and API
  groups with the ``"*"`` wildcard, and subjects by exact name. Not modelled:
  ``resourceNames``, ``nonResourceURLs``, group subjects (``system:authenticated``,
  ``system:serviceaccounts:<ns>``) and aggregated ClusterRoles.
- **NetworkPolicy** (kubernetes.io, "Network Policies", v1.3x): a pod no policy
  selects accepts and sends anything. A pod becomes *isolated* for a direction
  once any policy that selects it lists that direction in ``policyTypes``; it
  then accepts only what the union of those policies' rules allows. A
  connection needs the sender's egress *and* the receiver's ingress to allow
  it. The CNI plugin enforces all this; without one that supports it, the
  objects do nothing. The model covers one namespace, pod selectors
  (``matchLabels``) and ports; not namespace selectors, ``ipBlock`` or protocols.

>>> reader = Role("pod-reader", (Rule(("get", "list"), ("pods",)),), namespace="web")
>>> b = Binding(reader, ("system:serviceaccount:web:ci",), namespace="web")
>>> rbac_allows([b], "system:serviceaccount:web:ci", "list", "pods", "web")
True
>>> rbac_allows([b], "system:serviceaccount:web:ci", "delete", "pods", "web")
False

Complexity: :func:`rbac_allows` is O(bindings · rules); :func:`connection_allowed`
is O(policies · rules · peers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from studybook._validate import check_int, check_str

__all__ = [
    "Binding",
    "NetworkPolicy",
    "PolicyRule",
    "Role",
    "Rule",
    "connection_allowed",
    "rbac_allows",
]


@dataclass(frozen=True)
class Rule:
    """One RBAC rule: ``verbs`` on ``resources`` in ``api_groups`` (``"*"`` matches any).

    The core API group is ``""`` (pods, services, secrets); Deployments are in ``"apps"``.

    >>> Rule(("get",), ("pods",)).matches("get", "pods", "")
    True
    >>> Rule((), ("pods",))
    Traceback (most recent call last):
        ...
    ValueError: verbs must be a non-empty sequence of str, got ()
    """

    verbs: tuple[str, ...]
    resources: tuple[str, ...]
    api_groups: tuple[str, ...] = ("",)

    def __post_init__(self) -> None:
        for field in ("verbs", "resources", "api_groups"):
            object.__setattr__(self, field, _names(getattr(self, field), field))

    def matches(self, verb: str, resource: str, api_group: str) -> bool:
        """Return whether this rule grants ``verb`` on ``resource`` in ``api_group``."""
        return (
            _hit(self.verbs, verb)
            and _hit(self.resources, resource)
            and _hit(self.api_groups, api_group)
        )


def _names(value: object, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise ValueError(f"{what} must be a non-empty sequence of str, got {value!r}")
    # API groups may be "" (the core group); a verb, resource or subject may not.
    return tuple(check_str(v, f"{what} item", nonempty=what != "api_groups") for v in value)


def _items(value: object, what: str) -> tuple[object, ...]:
    # A lone object where a sequence is meant (``ingress=PolicyRule(...)``) is a classic slip.
    if isinstance(value, (str, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{what} must be a sequence, got {value!r}")
    return tuple(value)


def _hit(granted: tuple[str, ...], wanted: str) -> bool:
    return "*" in granted or wanted in granted


@dataclass(frozen=True)
class Role:
    """A Role in ``namespace``, or a ClusterRole when ``namespace`` is ``None``."""

    name: str
    rules: tuple[Rule, ...]
    namespace: str | None = None

    def __post_init__(self) -> None:
        check_str(self.name, "name", nonempty=True)
        object.__setattr__(self, "rules", _items(self.rules, "rules"))
        for r in self.rules:
            if not isinstance(r, Rule):
                raise TypeError(f"rules must hold Rule objects, got {r!r}")
        if self.namespace is not None:
            check_str(self.namespace, "namespace", nonempty=True)


@dataclass(frozen=True)
class Binding:
    """A RoleBinding in ``namespace``, or a ClusterRoleBinding when ``namespace`` is ``None``.

    A RoleBinding may reference a Role of its own namespace or a ClusterRole
    (whose rules then apply in the binding's namespace only); a
    ClusterRoleBinding may reference only a ClusterRole.

    >>> Binding(Role("r", (), namespace="a"), ("alice",), namespace="b")
    Traceback (most recent call last):
        ...
    ValueError: a RoleBinding in 'b' cannot reference Role 'r' of namespace 'a'
    """

    role: Role
    subjects: tuple[str, ...]
    namespace: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.role, Role):
            raise TypeError(f"role must be a Role, got {self.role!r}")
        object.__setattr__(self, "subjects", _names(self.subjects, "subjects"))
        if self.namespace is None and self.role.namespace is not None:
            raise ValueError(
                f"a ClusterRoleBinding can reference only a ClusterRole, got Role "
                f"{self.role.name!r} of namespace {self.role.namespace!r}"
            )
        if self.namespace is not None:
            check_str(self.namespace, "namespace", nonempty=True)
            if self.role.namespace not in (None, self.namespace):
                raise ValueError(
                    f"a RoleBinding in {self.namespace!r} cannot reference Role "
                    f"{self.role.name!r} of namespace {self.role.namespace!r}"
                )


def rbac_allows(
    bindings: Iterable[Binding],
    subject: str,
    verb: str,
    resource: str,
    namespace: str | None,
    api_group: str = "",
) -> bool:
    """Return whether any binding grants ``subject`` the ``verb`` on ``resource``.

    Args:
        bindings: every RoleBinding and ClusterRoleBinding of the cluster.
        subject: a user, group or ``system:serviceaccount:<ns>:<name>``.
        verb: ``get``, ``list``, ``watch``, ``create``, ``update``, ``patch``, ``delete`` ...
        resource: the plural resource name (``pods``, ``deployments``, ``pods/log``).
        namespace: the request's namespace; ``None`` for a cluster-scoped
            resource or a request across all namespaces, which only a
            ClusterRoleBinding can grant.
        api_group: the resource's API group, ``""`` for the core group.

    Returns:
        ``True`` if some binding for ``subject`` applies in ``namespace`` and
        one of its role's rules matches; otherwise ``False`` (default deny).

    Raises:
        TypeError: a non-str name or a non-Binding in ``bindings``.
        ValueError: an empty subject, verb, resource or namespace.

    Complexity: O(bindings · rules).

    >>> view = Role("view", (Rule(("get", "list", "watch"), ("*",)),))  # a ClusterRole
    >>> local = Binding(view, ("bob",), namespace="dev")  # RoleBinding -> ClusterRole
    >>> [rbac_allows([local], "bob", "list", "pods", ns) for ns in ("dev", "prod", None)]
    [True, False, False]
    >>> rbac_allows([local], "", "get", "pods", "dev")
    Traceback (most recent call last):
        ...
    ValueError: subject must be a non-empty str, got ''
    """
    who = check_str(subject, "subject", nonempty=True)
    check_str(verb, "verb", nonempty=True)
    check_str(resource, "resource", nonempty=True)
    check_str(api_group, "api_group")
    if namespace is not None:
        check_str(namespace, "namespace", nonempty=True)
    chosen: list[Binding] = []
    for b in _items(bindings, "bindings"):  # check them all, not only those before a match
        if not isinstance(b, Binding):
            raise TypeError(f"bindings must hold Binding objects, got {b!r}")
        chosen.append(b)
    for b in chosen:
        if who not in b.subjects:
            continue
        if b.namespace is not None and b.namespace != namespace:
            continue  # a RoleBinding grants only inside its own namespace
        if any(r.matches(verb, resource, api_group) for r in b.role.rules):
            return True
    return False


@dataclass(frozen=True)
class PolicyRule:
    """One ingress or egress rule: any of ``peers`` (pod label selectors), on any of ``ports``.

    An empty ``peers`` matches every pod and an empty ``ports`` every port,
    as an absent ``from``/``to`` or ``ports`` does in the API.
    """

    peers: tuple[Mapping[str, str], ...] = ()
    ports: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        peers = _items(self.peers, "peers")
        ports = _items(self.ports, "ports")
        object.__setattr__(self, "peers", tuple(_selector(p, "peer") for p in peers))
        object.__setattr__(
            self, "ports", tuple(check_int(p, "port", minimum=1, maximum=65535) for p in ports)
        )

    def matches(self, peer_labels: Mapping[str, str], port: int) -> bool:
        """Return whether a pod with ``peer_labels`` on ``port`` is allowed by this rule."""
        peer_ok = not self.peers or any(_selects(s, peer_labels) for s in self.peers)
        return peer_ok and (not self.ports or port in self.ports)


def _selector(value: object, what: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{what} selector must be a mapping of labels, got {value!r}")
    return {
        check_str(k, f"{what} label key"): check_str(v, f"{what} label value")
        for k, v in value.items()
    }


def _selects(selector: Mapping[str, str], labels: Mapping[str, str]) -> bool:
    # matchLabels: every pair must be present; the empty selector selects every pod.
    return all(labels.get(k) == v for k, v in selector.items())


@dataclass(frozen=True)
class NetworkPolicy:
    """A NetworkPolicy in one namespace.

    ``policy_types`` defaults as the API does: ``Ingress`` always, plus
    ``Egress`` when there are egress rules. ``PolicyRule`` lists are allow
    rules; a type listed with no rules denies that direction to the selected pods.
    """

    name: str
    pod_selector: Mapping[str, str]
    ingress: tuple[PolicyRule, ...] = ()
    egress: tuple[PolicyRule, ...] = ()
    policy_types: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        check_str(self.name, "name", nonempty=True)
        object.__setattr__(self, "pod_selector", _selector(self.pod_selector, "pod"))
        for field in ("ingress", "egress"):
            rules = _items(getattr(self, field), field)
            for r in rules:
                if not isinstance(r, PolicyRule):
                    raise TypeError(f"{field} must hold PolicyRule objects, got {r!r}")
            object.__setattr__(self, field, rules)
        types: object = self.policy_types
        if types is None:
            types = ("Ingress", "Egress") if self.egress else ("Ingress",)
        if (
            isinstance(types, str)
            or not isinstance(types, Sequence)
            or not types
            or any(t not in ("Ingress", "Egress") for t in types)
        ):
            raise ValueError(f"policy_types must be 'Ingress' and/or 'Egress', got {types!r}")
        object.__setattr__(self, "policy_types", tuple(types))


def connection_allowed(
    policies: Iterable[NetworkPolicy],
    src: Mapping[str, str],
    dst: Mapping[str, str],
    port: int,
) -> bool:
    """Return whether a pod labelled ``src`` may open a connection to a pod labelled ``dst``.

    Both ends must agree: the sender's egress and the receiver's ingress are
    each allowed unless some policy selecting that pod isolates it for that
    direction, in which case some rule of those policies must allow the peer
    and port. Replies on an allowed connection are always allowed.

    Raises:
        TypeError: a non-policy, or labels that are not a str-to-str mapping.
        ValueError: a port outside 1..65535.

    Complexity: O(policies · rules · peers).

    >>> db = {"app": "db"}
    >>> deny = NetworkPolicy("deny-db", db)  # selects db, Ingress, no rules
    >>> allow = NetworkPolicy("api-to-db", db, ingress=(PolicyRule(({"app": "api"},), (5432,)),))
    >>> [connection_allowed(p, {"app": "api"}, db, 5432) for p in ([], [deny], [deny, allow])]
    [True, False, True]
    >>> connection_allowed([], {}, db, 0)
    Traceback (most recent call last):
        ...
    ValueError: port must be in [1, 65535], got 0
    """
    src_labels, dst_labels = _selector(src, "src"), _selector(dst, "dst")
    check_int(port, "port", minimum=1, maximum=65535)
    chosen = list(policies)
    for p in chosen:
        if not isinstance(p, NetworkPolicy):
            raise TypeError(f"policies must hold NetworkPolicy objects, got {p!r}")
    return _direction_allows(chosen, "Egress", src_labels, dst_labels, port) and (
        _direction_allows(chosen, "Ingress", dst_labels, src_labels, port)
    )


def _direction_allows(
    policies: Sequence[NetworkPolicy],
    direction: str,
    pod: Mapping[str, str],
    peer: Mapping[str, str],
    port: int,
) -> bool:
    isolating = [
        p for p in policies if direction in (p.policy_types or ()) and _selects(p.pod_selector, pod)
    ]
    if not isolating:
        return True  # no policy selects the pod for this direction: default allow
    return any(
        rule.matches(peer, port)
        for p in isolating
        for rule in (p.ingress if direction == "Ingress" else p.egress)
    )
