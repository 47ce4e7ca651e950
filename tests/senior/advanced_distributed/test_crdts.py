"""CRDT merge laws under Hypothesis, convergence against simple models, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.advanced_distributed import GCounter, LWWRegister, ORSet, PNCounter

NODES = ("a", "b", "c")
KINDS = ("gcounter", "pncounter", "lww", "orset")
ELEMENTS = ("x", "y", "z")

# one step: (replica index, action, argument); action "merge" takes another replica's index
steps = st.lists(
    st.tuples(
        st.integers(0, len(NODES) - 1),
        st.sampled_from(("up", "down", "merge")),
        st.integers(0, 5),
    ),
    max_size=40,
)


class Model:
    """What each replica has seen, tracked as plain sets of event ids."""

    def __init__(self) -> None:
        self.seen: list[set[int]] = [set() for _ in NODES]
        self.events: dict[int, tuple[str, Any]] = {}  # id -> (kind, payload)

    def record(self, i: int, kind: str, payload: Any) -> None:
        eid = len(self.events)
        self.events[eid] = (kind, payload)
        self.seen[i].add(eid)

    def merge(self, i: int, j: int) -> None:
        self.seen[i] |= self.seen[j]


def play(
    kind: str,
    plan: list[tuple[int, str, int]],
    start: tuple[list[Any], Model] | None = None,
) -> tuple[list[Any], Model]:
    """Run the plan on one replica per node, mirroring every update in the model.

    ``start`` continues from earlier replicas and their model instead of fresh ones.
    """
    make = {"gcounter": GCounter, "pncounter": PNCounter, "lww": LWWRegister, "orset": ORSet}[kind]
    replicas: list[Any]
    if start is None:
        replicas, model = [make(n) for n in NODES], Model()
    else:
        replicas, model = start
    for i, action, arg in plan:
        r = replicas[i]
        if action == "merge":
            j = arg % len(NODES)
            replicas[i] = r.merge(replicas[j])
            model.merge(i, j)
        elif kind == "gcounter" or (kind == "pncounter" and action == "up"):
            r.increment(arg + 1)
            model.record(i, "inc", arg + 1)
        elif kind == "pncounter":
            r.decrement(arg + 1)
            model.record(i, "dec", arg + 1)
        elif kind == "lww":
            value = f"{NODES[i]}{len(model.events)}"
            if r.set(value, arg):
                model.record(i, "set", ((arg, NODES[i]), value))
        elif action == "up":
            r.add(ELEMENTS[arg % 3])
            model.record(i, "add", ELEMENTS[arg % 3])
        elif ELEMENTS[arg % 3] in r:
            # the remove cancels exactly the adds this replica has seen
            x = ELEMENTS[arg % 3]
            seen = {e for e in model.seen[i] if model.events[e] == ("add", x)}
            r.remove(x)
            model.record(i, "remove", (x, frozenset(seen)))
        replicas[i]._check_invariants()
    return replicas, model


@pytest.mark.parametrize("kind", KINDS)
@given(plan=steps)
@settings(max_examples=60, deadline=None)
def test_merge_is_commutative_associative_idempotent(kind: str, plan: list) -> None:
    (x, y, z), _ = play(kind, plan)
    assert x.merge(y) == y.merge(x)
    assert x.merge(y).merge(z) == x.merge(y.merge(z))
    assert x.merge(x) == x
    # merge is the least upper bound: it absorbs what it merged
    assert x.merge(y).merge(y) == x.merge(y)


def expected_value(kind: str, model: Model, seen: set[int]) -> Any:
    events = [model.events[e] for e in sorted(seen)]
    if kind == "gcounter":
        return sum(n for _, n in events)
    if kind == "pncounter":
        return sum(n if k == "inc" else -n for k, n in events)
    if kind == "lww":
        writes = [payload for k, payload in events if k == "set"]
        return max(writes)[1] if writes else None
    adds = {e for e in seen if model.events[e][0] == "add"}
    cancelled = set().union(*(p[1] for k, p in events if k == "remove"))
    return frozenset(model.events[e][1] for e in adds - cancelled)


def observed(kind: str, replica: Any) -> Any:
    if kind == "lww":
        return replica.get() if replica.timestamp is not None else None
    if kind == "orset":
        return replica.elements()
    return replica.value()


@pytest.mark.parametrize("kind", KINDS)
@given(plan=steps, order=st.permutations(range(len(NODES))))
@settings(max_examples=60, deadline=None)
def test_random_replicas_converge_after_random_merges(kind: str, plan: list, order: list) -> None:
    replicas, model = play(kind, plan)
    for i, r in enumerate(replicas):  # every replica agrees with the model before syncing
        assert observed(kind, r) == expected_value(kind, model, model.seen[i])
    # anti-entropy in a random order: fold everyone into one, then everyone pulls it
    full = replicas[order[0]]
    for i in order[1:]:
        full = full.merge(replicas[i])
    synced = [r.merge(full) for r in replicas]
    assert all(s == synced[0] for s in synced)
    everything = set(model.events)
    assert observed(kind, synced[0]) == expected_value(kind, model, everything)


# updates only, no merges: after a full sync, what the replicas do next is pairwise concurrent
diverging = st.lists(
    st.tuples(
        st.integers(0, len(NODES) - 1),
        st.sampled_from(("up", "down")),
        st.integers(0, 5),
    ),
    min_size=2,
    max_size=30,
)


def fork(kind: str, prefix: list, branch: list) -> tuple[list[Any], Model, Any, int]:
    """Play ``prefix``, sync every replica, then let each diverge by ``branch``.

    Returns the replicas, the model, the common state at the fork, and the id of
    the first event after it.
    """
    replicas, model = play(kind, prefix)
    common = replicas[0].merge(replicas[1]).merge(replicas[2])
    replicas = [r.merge(common) for r in replicas]
    for i in range(len(NODES)):
        model.seen[i] = set(model.events)
    first = len(model.events)
    replicas, model = play(kind, branch, (replicas, model))
    return replicas, model, common, first


@pytest.mark.parametrize("kind", KINDS)
@given(prefix=steps, branch=diverging)
@settings(max_examples=60, deadline=None)
def test_merge_laws_hold_on_concurrent_states(kind: str, prefix: list, branch: list) -> None:
    (x, y, z), model, _, first = fork(kind, prefix, branch)
    own = [{e for e in model.seen[i] if e >= first} for i in range(len(NODES))]
    for i in range(len(NODES)):  # no replica has seen another's post-fork update
        for j in range(len(NODES)):
            if i != j:
                assert not own[j] & model.seen[i]
    assert x.merge(y) == y.merge(x)
    assert x.merge(y).merge(z) == x.merge(y.merge(z))
    assert x.merge(x) == x
    assert observed(kind, x.merge(y).merge(z)) == expected_value(kind, model, set(model.events))


@given(prefix=steps, branch=diverging)
@settings(max_examples=100, deadline=None)
def test_or_set_concurrent_adds_win_over_removes(prefix: list, branch: list) -> None:
    """An element is present after the merge iff some replica's last concurrent op on it
    was an add, or it was present at the fork and no replica removed it."""
    replicas, model, common, first = fork("orset", prefix, branch)
    merged = replicas[0].merge(replicas[1]).merge(replicas[2])
    last_op: dict[tuple[int, str], str] = {}
    removed: set[str] = set()
    for i in range(len(NODES)):
        for e in sorted(e for e in model.seen[i] if e >= first):
            op, payload = model.events[e]
            x = payload if op == "add" else payload[0]
            last_op[i, x] = op
            removed |= {x} if op == "remove" else set()
    for x in ELEMENTS:
        added = any(last_op.get((i, x)) == "add" for i in range(len(NODES)))
        kept = x in common and x not in removed
        assert (x in merged) == (added or kept), (x, last_op)


def test_or_set_add_wins_over_a_concurrent_remove() -> None:
    a, b = ORSet[str]("a"), ORSet[str]("b")
    a.add("x")
    b = b.merge(a)
    b.remove("x")  # b removes the x it saw ...
    a.add("x")  # ... while a adds x again, concurrently
    assert "x" in a.merge(b)
    assert "x" in b.merge(a)
    b.add("y")
    b.remove("y")
    assert "y" not in a.merge(b)  # a remove after the add it saw does remove
    assert len(a.merge(b)) == 1


def test_or_set_never_reuses_its_own_tags_after_a_merge() -> None:
    a = ORSet[str]("a")
    a.add("x")
    b = ORSet[str]("b").merge(a)
    fresh = ORSet[str]("a").merge(b)  # a restarted replica of node a learns its old tags
    fresh.add("x")
    b.remove("x")
    assert "x" in fresh.merge(b)  # the new add has a new tag, so the old remove misses it


def test_lww_ties_break_by_node_and_late_writes_lose() -> None:
    a, b = LWWRegister[str]("a"), LWWRegister[str]("b")
    assert a.set("A", 7)
    assert b.set("B", 7)
    assert a.merge(b).get() == b.merge(a).get() == "B"
    assert a.merge(b).timestamp == (7, "b")
    merged = a.merge(b)
    assert not merged.set("late", 6)
    assert merged.get() == "B"
    with pytest.raises(KeyError, match="never written"):
        LWWRegister[int]("c").get()


def test_pn_counter_goes_negative_and_merges_halves() -> None:
    a, b = PNCounter("a"), PNCounter("b")
    a.increment(3)
    b.decrement(5)
    assert a.merge(b).value() == b.merge(a).value() == -2
    assert GCounter("a").value() == 0


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        (lambda: GCounter(""), ValueError, "got ''"),
        (lambda: GCounter(7), TypeError, "got int: 7"),  # type: ignore[arg-type]
        (lambda: GCounter("a").increment(-1), ValueError, "got -1"),
        (lambda: GCounter("a").increment(True), TypeError, "got bool: True"),
        (lambda: GCounter("a").increment(float("nan")), TypeError, "got float: nan"),
        (lambda: PNCounter("a").decrement(0), ValueError, "got 0"),
        (lambda: PNCounter("a").increment(1.0), TypeError, "got float: 1.0"),  # type: ignore[arg-type]
        (lambda: GCounter("a").merge(PNCounter("b")), TypeError, "got PNCounter"),  # type: ignore[arg-type]
        (lambda: PNCounter("a").merge(GCounter("b")), TypeError, "got GCounter"),  # type: ignore[arg-type]
        (lambda: LWWRegister("a").set("v", -1), ValueError, "got -1"),
        (lambda: LWWRegister("a").set("v", float("inf")), TypeError, "got float: inf"),  # type: ignore[arg-type]
        (lambda: LWWRegister("a").merge(ORSet("b")), TypeError, "got ORSet"),  # type: ignore[arg-type]
        (lambda: ORSet("a").add(["list"]), TypeError, "got list"),
        (lambda: ORSet("a").add((1, [2])), TypeError, "unhashable"),
        (lambda: ORSet("a").remove("x"), KeyError, "not in the set"),
        (lambda: ORSet("a").merge(set()), TypeError, "got set"),  # type: ignore[arg-type]
    ],
)
def test_bad_input(call: object, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=text):
        call()  # type: ignore[operator]


def test_huge_counts_are_exact() -> None:
    c = GCounter("a")
    c.increment(10**30)
    c.increment()
    assert c.value() == 10**30 + 1


def test_invariant_checks_catch_corruption() -> None:
    s = ORSet[str]("a")
    s.add("x")
    s._check_invariants()
    s._removed.add(("ghost", 1))
    with pytest.raises(AssertionError, match="unknown tags"):
        s._check_invariants()
    c = GCounter("a")
    c._counts["a"] = 0
    with pytest.raises(AssertionError, match="positive int, got 0"):
        c._check_invariants()
