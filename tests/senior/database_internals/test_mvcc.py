"""Snapshot isolation: the anomalies it prevents, the one it allows, and a serial model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.database_internals import MVCCStore, Transaction, WriteConflict


def _committed(store: MVCCStore, **rows: str) -> None:
    txn = store.begin()
    for key, value in rows.items():
        txn.put(key, value)
    txn.commit()


def test_no_dirty_read() -> None:
    store = MVCCStore()
    _committed(store, x="old")
    writer, reader = store.begin(), store.begin()
    writer.put("x", "new")
    assert reader.get("x") == "old"  # uncommitted data is invisible
    writer.abort()
    assert store.begin().get("x") == "old"  # and an abort leaves no trace


def test_repeatable_read_within_a_snapshot() -> None:
    store = MVCCStore()
    _committed(store, x="1")
    reader = store.begin()
    assert reader.get("x") == "1"
    _committed(store, x="2")
    assert reader.get("x") == "1"  # no non-repeatable read
    assert store.begin().get("x") == "2"


def test_no_lost_update_second_committer_aborts() -> None:
    store = MVCCStore()
    _committed(store, counter="0")
    a, b = store.begin(), store.begin()
    for txn in (a, b):
        txn.put("counter", str(int(txn.get("counter")) + 1))
    a.commit()
    with pytest.raises(WriteConflict, match="'counter' was committed at 2, after its snapshot 1"):
        b.commit()
    assert b.state == "aborted"
    assert store.begin().get("counter") == "1"  # b's increment never landed
    retry = store.begin()
    retry.put("counter", str(int(retry.get("counter")) + 1))
    retry.commit()
    assert store.begin().get("counter") == "2"


def test_write_skew_is_possible() -> None:
    store = MVCCStore()
    _committed(store, alice="on", bob="on")
    t1, t2 = store.begin(), store.begin()
    assert t1.get("bob") == "on"
    assert t2.get("alice") == "on"
    t1.put("alice", "off")
    t2.put("bob", "off")
    t1.commit()
    t2.commit()  # different keys: no write-write conflict, both commit
    final = store.begin()
    assert (final.get("alice"), final.get("bob")) == ("off", "off")  # rule broken


def test_own_writes_and_deletes_are_visible() -> None:
    store = MVCCStore()
    _committed(store, k="v")
    txn = store.begin()
    txn.delete("k")
    assert txn.get("k", "gone") == "gone"
    txn.put("k", "w")
    assert txn.get("k") == "w"
    txn.commit()
    assert [v.value for v in store.versions("k")] == ["v", "w"]


def test_long_transaction_holds_back_vacuum() -> None:
    store = MVCCStore()
    _committed(store, k="1")
    reader = store.begin()
    _committed(store, k="2")
    _committed(store, k="3")
    # The horizon is the oldest snapshot: everything that ended after it stays,
    # as in PostgreSQL, where one old transaction holds back VACUUM.
    assert store.vacuum() == 0
    assert reader.get("k") == "1"
    reader.abort()
    assert store.vacuum() == 2
    assert [v.value for v in store.versions("k")] == ["3"]
    assert store.begin().get("k") == "3"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from("abc"), st.sampled_from(["1", "2", None])),
        max_size=30,
    ),
    st.lists(st.integers(0, 3), max_size=8),
)
def test_committed_history_equals_serial_execution_in_commit_order(
    writes: list[tuple[int, str, str | None]], commit_order: list[int]
) -> None:
    """Blind writes by four concurrent transactions, committed in a random order.

    The survivors' effects must equal applying their write sets serially in
    commit order, and each transaction that wrote a key already written by an
    earlier committer (after its snapshot) must have aborted.
    """
    store = MVCCStore()
    txns: list[Transaction] = [store.begin() for _ in range(4)]
    sets: list[dict[str, str | None]] = [{} for _ in range(4)]
    for who, key, value in writes:
        if value is None:
            txns[who].delete(key)
        else:
            txns[who].put(key, value)
        sets[who][key] = value
    model: dict[str, str] = {}
    written: set[str] = set()
    for who in dict.fromkeys([*commit_order, 0, 1, 2, 3]):
        conflict = bool(written & sets[who].keys())
        if conflict:
            with pytest.raises(WriteConflict):
                txns[who].commit()
            continue
        txns[who].commit()
        written |= sets[who].keys()
        for key, value in sets[who].items():
            if value is None:
                model.pop(key, None)
            else:
                model[key] = value
    final = store.begin()
    assert {k: final.get(k) for k in "abc" if final.get(k, None) is not None} == model
    store.vacuum()
    assert {k: final.get(k) for k in "abc" if final.get(k, None) is not None} == model


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda t: t.get(1), TypeError, "key must be a str, got int: 1"),
        (lambda t: t.put("k", 5), TypeError, "value must be a str, got int: 5"),
        (lambda t: t.put(None, "v"), TypeError, "key must be a str, got NoneType: None"),
        (lambda t: t.delete(b"k"), TypeError, "key must be a str, got bytes: b'k'"),
    ],
)
def test_bad_input(call: object, error: type[Exception], message: str) -> None:
    txn = MVCCStore().begin()
    with pytest.raises(error, match=message):
        call(txn)  # type: ignore[operator]


def test_ended_transaction_refuses_everything() -> None:
    store = MVCCStore()
    txn = store.begin()
    txn.commit()
    for call in (lambda: txn.get("k"), lambda: txn.put("k", "v"), txn.commit, txn.abort):
        with pytest.raises(ValueError, match="transaction 1 is committed"):
            call()
    with pytest.raises(TypeError, match="key must be a str, got float: nan"):
        store.versions(float("nan"))  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["begin", "read", "write", "commit", "abort", "vacuum"]),
            st.integers(0, 3),
            st.sampled_from("abc"),
            st.sampled_from(["1", "2", None]),
        ),
        max_size=60,
    )
)
def test_every_read_sees_its_snapshot_under_interleaving_and_vacuum(
    steps: list[tuple[str, int, str, str | None]],
) -> None:
    """Staggered snapshots, interleaved commits and vacuums, against a history of states.

    The model keeps the committed state after every commit timestamp. A read
    must return the transaction's own write, else the state at its snapshot;
    a commit must fail exactly when another transaction committed one of its
    keys after its snapshot (first committer wins); vacuum must never change
    what any live transaction reads.
    """
    store = MVCCStore()
    history: list[dict[str, str]] = [{}]  # history[t]: the state after commit timestamp t
    last_write: dict[str, int] = {}  # key -> timestamp of its last committed write
    live: dict[int, tuple[Transaction, dict[str, str | None]]] = {}
    for action, slot, key, value in steps:
        if action == "begin" or slot not in live:
            if slot not in live:
                live[slot] = (store.begin(), {})
            continue
        txn, writes = live[slot]
        if action == "read":
            expected = writes[key] if key in writes else history[txn.snapshot].get(key)
            assert txn.get(key, None) == expected
        elif action == "write":
            if value is None:
                txn.delete(key)
            else:
                txn.put(key, value)
            writes[key] = value
        elif action == "abort":
            txn.abort()
            del live[slot]
        elif action == "vacuum":
            store.vacuum()
        else:
            del live[slot]
            if any(last_write.get(k, 0) > txn.snapshot for k in writes):
                with pytest.raises(WriteConflict):
                    txn.commit()
                continue
            stamp = txn.commit()
            if writes:
                assert stamp == len(history)
                state = dict(history[-1])
                for k, v in writes.items():
                    if v is None:
                        state.pop(k, None)
                    else:
                        state[k] = v
                    last_write[k] = stamp
                history.append(state)
    store.vacuum()
    for txn, writes in live.values():  # vacuum kept everything a live snapshot needs
        for key in "abc":
            expected = writes[key] if key in writes else history[txn.snapshot].get(key)
            assert txn.get(key, None) == expected
    fresh = store.begin()
    assert {k: fresh.get(k) for k in "abc" if fresh.get(k, None) is not None} == history[-1]
