"""API objects: toleration matching, QoS classes, and validation at construction."""

from __future__ import annotations

import pytest

from studybook.infra.kubernetes import (
    ContainerResources,
    Node,
    Pod,
    Requirement,
    Resources,
    Taint,
    Toleration,
    qos_class,
)

TAINT = Taint("dedicated", "db", "NoSchedule")


@pytest.mark.parametrize(
    ("toleration", "expected"),
    [
        (Toleration("dedicated", "Equal", "db", "NoSchedule"), True),
        (Toleration("dedicated", "Equal", "db"), True),  # empty effect matches all effects
        (Toleration("dedicated", "Exists"), True),
        (Toleration("", "Exists"), True),  # empty key + Exists tolerates everything
        (Toleration("dedicated", "Equal", "web"), False),
        (Toleration("dedicated", "Equal", ""), False),
        (Toleration("dedicated", "Exists", "", "NoExecute"), False),
        (Toleration("other", "Exists"), False),
        (Toleration("", "Exists", "", "PreferNoSchedule"), False),
    ],
)
def test_toleration_matching(toleration: Toleration, expected: bool) -> None:
    # kubernetes.io "Taints and Tolerations" (v1.3x): key, value per operator, effect.
    assert toleration.tolerates(TAINT) is expected


R = Resources(500, 256)
L = Resources(1000, 512)


@pytest.mark.parametrize(
    ("containers", "expected"),
    [
        ([ContainerResources(L, L)], "Guaranteed"),
        ([ContainerResources(None, L)], "Guaranteed"),  # requests default to limits
        ([ContainerResources(L, L), ContainerResources(None, L)], "Guaranteed"),
        ([ContainerResources(R, L)], "Burstable"),
        ([ContainerResources(R, None)], "Burstable"),
        ([ContainerResources(L, L), ContainerResources()], "Burstable"),
        ([ContainerResources(), ContainerResources()], "BestEffort"),
    ],
)
def test_qos_classes(containers: list[ContainerResources], expected: str) -> None:
    assert qos_class(containers) == expected


def test_requirement_operators() -> None:
    labels = {"zone": "a", "ssd": "yes"}
    assert Requirement("zone", "In", ("a", "b")).matches(labels)
    assert not Requirement("zone", "NotIn", ("a",)).matches(labels)
    assert Requirement("zone", "NotIn", ("a",)).matches({})  # absent key: NotIn holds
    assert Requirement("ssd", "Exists").matches(labels)
    assert Requirement("gpu", "DoesNotExist").matches(labels)


def test_resources_arithmetic_and_fit() -> None:
    assert Resources(1, 2) + Resources(3, 4) == Resources(4, 6)
    assert Resources(4, 6).fits_in(Resources(4, 6))
    assert not Resources(5, 6).fits_in(Resources(4, 6))


def test_node_labels_are_read_only() -> None:
    node = Node("a", Resources(1, 1), labels={"zone": "a"})
    with pytest.raises(TypeError):
        node.labels["zone"] = "b"  # type: ignore[index]


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: Resources(True, 1), TypeError, "cpu_m must be an int, got bool"),
        (lambda: Resources(1, -5), ValueError, "memory_mi must be >= 0, got -5"),
        (lambda: Resources(1.5, 1), TypeError, "cpu_m must be an int, got float"),  # type: ignore[arg-type]
        (lambda: Taint("", "", "NoSchedule"), ValueError, "taint key must be a non-empty str"),
        (lambda: Taint("k", "", "Evict"), ValueError, "effect must be one of"),
        (
            lambda: Toleration("k", "In"),
            ValueError,
            "operator must be 'Equal' or 'Exists', got 'In'",
        ),
        (lambda: Toleration("k", "Exists", "v"), ValueError, "an Exists toleration takes no value"),
        (lambda: Toleration("", "Equal", "v"), ValueError, "an empty key needs operator 'Exists'"),
        (
            lambda: Toleration("k", "Exists", "", "NoSchedule", 30),
            ValueError,
            "needs effect 'NoExecute'",
        ),
        (lambda: Toleration("k", "Exists", "", "NoExecute", True), TypeError, "got bool"),
        (lambda: Requirement("zone", "Gt", ("1",)), ValueError, "operator must be one of"),
        (lambda: Requirement("zone", "Exists", ("a",)), ValueError, "takes no values"),
        (lambda: Requirement("zone", "In", ["a"]), TypeError, "values must be a tuple"),  # type: ignore[arg-type]
        (lambda: Node("", Resources(1, 1)), ValueError, "node name must be a non-empty str"),
        (lambda: Node("a", (1, 1)), TypeError, "allocatable must be Resources"),  # type: ignore[arg-type]
        (
            lambda: Node("a", Resources(1, 1), labels={"k": 1}),  # type: ignore[dict-item]
            TypeError,
            "node labels value must be a str",
        ),
        (
            lambda: Node("a", Resources(1, 1), taints=("gpu",)),  # type: ignore[arg-type]
            TypeError,
            "taints must be a tuple of Taint",
        ),
        (
            lambda: Pod(
                "p", Resources(1, 1), preferred_terms=((0, (Requirement("k", "Exists"),)),)
            ),
            ValueError,
            r"must be in \[1, 100\], got 0",
        ),
        (
            lambda: Pod("p", Resources(1, 1), required_terms=((),)),
            ValueError,
            "a required term is a non-empty tuple",
        ),
        (lambda: Pod("p", {"cpu": 1}), TypeError, "requests must be Resources"),  # type: ignore[arg-type]
        (lambda: qos_class([]), ValueError, "a pod needs at least one container"),
        (lambda: qos_class(["c"]), TypeError, "containers must hold ContainerResources"),  # type: ignore[list-item]
        (
            lambda: ContainerResources(requests=(1, 2)),  # type: ignore[arg-type]
            TypeError,
            "requests must be Resources or None",
        ),
    ],
)
def test_objects_reject_bad_input(call: object, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]
