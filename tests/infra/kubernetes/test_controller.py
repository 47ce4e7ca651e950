"""The reconcile loop against a counting model; the API store's list/watch against replay."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from studybook.infra.kubernetes import (
    PHASES,
    Actions,
    ApiStore,
    Gone,
    ReplicaSetSimulation,
    reconcile,
)

pod_maps = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=3), st.sampled_from(PHASES), max_size=12
)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 15), pod_maps)
def test_reconcile_is_idempotent_applying_it_then_reconciling_again_does_nothing(
    desired: int, pods: dict[str, str]
) -> None:
    actions = reconcile(desired, pods)
    after = {n: p for n, p in pods.items() if n not in actions.delete}
    after.update({f"new-{i}": "Pending" for i in range(actions.create)})
    assert reconcile(desired, after) == Actions(0, ())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 15), pod_maps, st.randoms(use_true_random=False))
def test_reconcile_is_level_triggered_it_depends_only_on_the_state(
    desired: int, pods: dict[str, str], rnd: object
) -> None:
    # The same state reached through a different history (insertion order) gives the same answer.
    items = list(pods.items())
    rnd.shuffle(items)  # type: ignore[attr-defined]
    assert reconcile(desired, dict(items)) == reconcile(desired, pods)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 15), pod_maps, st.one_of(st.none(), st.integers(1, 5)))
def test_reconcile_moves_toward_desired_without_overshooting(
    desired: int, pods: dict[str, str], burst: int | None
) -> None:
    active = [n for n, p in pods.items() if p in ("Pending", "Running")]
    a = reconcile(desired, pods, burst)
    assert a.create == 0 or not a.delete
    assert set(a.delete) <= set(active)
    after = len(active) + a.create - len(a.delete)
    step = abs(desired - len(active)) if burst is None else min(burst, abs(desired - len(active)))
    assert abs(desired - after) == abs(desired - len(active)) - step
    # Surplus pods go least useful first: a Running pod is deleted only if no Pending one is left.
    if any(pods[n] == "Running" for n in a.delete):
        assert all(pods[n] == "Running" for n in active if n not in a.delete)


class ReplicaSetMachine(RuleBasedStateMachine):
    """Random failures and rescales; the model is just the count of active pods."""

    def __init__(self) -> None:
        super().__init__()
        self.burst = 2
        self.sim = ReplicaSetSimulation(desired=3, burst=self.burst)
        self.model_active = 0

    @rule(desired=st.integers(0, 8))
    def scale(self, desired: int) -> None:
        self.sim.scale(desired)

    @precondition(lambda self: self.model_active > 0)
    @rule(data=st.data())
    def fail_a_pod(self, data: st.DataObject) -> None:
        active = [n for n, p in self.sim.phases().items() if p in ("Pending", "Running")]
        self.sim.fail(data.draw(st.sampled_from(active)))
        self.model_active -= 1

    @rule()
    def step(self) -> None:
        before = self.model_active
        gap = self.sim.desired - before
        self.model_active = before + max(-self.burst, min(self.burst, gap))
        self.sim.step()
        # Never past desired in either direction: no overshoot on the way up or down.
        assert min(before, self.sim.desired) <= self.sim.active() <= max(before, self.sim.desired)

    @rule()
    def converge_without_new_failures(self) -> None:
        gap = abs(self.sim.desired - self.sim.active())
        for _ in range(math.ceil(gap / self.burst) + 1):
            self.sim.step()
        self.model_active = self.sim.desired
        assert self.sim.active() == self.sim.desired
        assert set(self.sim.phases().values()) <= {"Running"}
        assert self.sim.step() == Actions(0, ())  # converged: the loop is a no-op

    @invariant()
    def active_matches_model(self) -> None:
        assert self.sim.active() == self.model_active


TestReplicaSetMachine = ReplicaSetMachine.TestCase
TestReplicaSetMachine.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)


ops = st.lists(
    st.tuples(st.sampled_from(["put", "delete"]), st.sampled_from("abcd"), st.sampled_from("xyz")),
    max_size=25,
)


def apply(store: ApiStore, op: tuple[str, str, str]) -> None:
    kind, name, value = op
    if kind == "put":
        store.put(name, value)
    elif name in store.list_objects()[0]:
        store.delete(name)


@settings(max_examples=40, deadline=None)
@given(ops, ops)
def test_list_then_watch_rebuilds_the_state_an_informer_would_see(
    first: list[tuple[str, str, str]], second: list[tuple[str, str, str]]
) -> None:
    store = ApiStore()
    for op in first:
        apply(store, op)
    cache, version = store.list_objects()
    for op in second:
        apply(store, op)
    for event in store.watch(version):
        assert event.resource_version > version
        if event.type == "DELETED":
            del cache[event.name]
        else:
            assert (event.type == "ADDED") == (event.name not in cache)
            cache[event.name] = event.value or ""
        version = event.resource_version
    assert (cache, version) == store.list_objects()


def test_watch_from_before_compaction_is_gone_and_a_relist_recovers() -> None:
    store = ApiStore()
    for i in range(5):
        store.put(f"p{i}", "Pending")
    store.compact(3)
    with pytest.raises(Gone, match="too old resource version: 2"):
        store.watch(2)
    assert [e.name for e in store.watch(3)] == ["p3", "p4"]
    snapshot, rv = store.list_objects()
    assert rv == 5
    assert len(snapshot) == 5
    assert store.watch(rv) == []


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: reconcile(True, {}), TypeError, "desired must be an int, got bool"),
        (lambda: reconcile(-3, {}), ValueError, "desired must be >= 0, got -3"),
        (lambda: reconcile(2.0, {}), TypeError, "desired must be an int, got float"),  # type: ignore[arg-type]
        (lambda: reconcile(1, {"p": "Crashing"}), ValueError, "unknown phase 'Crashing'"),
        (lambda: reconcile(1, {"": "Running"}), ValueError, "pod name must be a non-empty str"),
        (lambda: reconcile(1, {}, burst=0), ValueError, "burst must be >= 1, got 0"),
        (lambda: ReplicaSetSimulation(-1), ValueError, "desired must be >= 0, got -1"),
        (lambda: ReplicaSetSimulation(2).fail("rs-9"), KeyError, "no active pod named 'rs-9'"),
        (lambda: ApiStore().watch(1), ValueError, r"since must be in \[0, 0\], got 1"),
        (lambda: ApiStore().delete("x"), KeyError, "no object named 'x'"),
        (lambda: ApiStore().put("", "v"), ValueError, "name must be a non-empty str"),
    ],
)
def test_controller_rejects_bad_input(call: object, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


def test_reconcile_rejects_pods_that_are_not_a_mapping() -> None:
    with pytest.raises(TypeError, match="pods must be a mapping name -> phase, got list"):
        reconcile(3, [("a", "Running")])  # type: ignore[arg-type]
