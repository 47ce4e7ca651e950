"""The storage's token check against a model, and its bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.distributed.coordination_locking import FencedStorage

writes = st.lists(
    st.tuples(st.sampled_from(["x", "y"]), st.integers(0, 6)),
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(writes, st.booleans())
def test_fenced_storage_matches_a_model(steps: list[tuple[str, int]], fencing: bool) -> None:
    store = FencedStorage(fencing=fencing)
    accepted: dict[str, list[int]] = {}
    for n, (key, token) in enumerate(steps):
        seen = accepted.get(key, [])
        expect = not fencing or all(token >= t for t in seen)
        assert store.write(key, f"v{n}", token) == expect
        if expect:
            accepted.setdefault(key, []).append(token)
            assert store.get(key) == f"v{n}"
        if fencing and key in accepted:
            # Invariant: the accepted tokens of a key never decrease.
            assert accepted[key] == sorted(accepted[key])
        assert store.highest_token(key) == (max(accepted[key]) if key in accepted else None)


def test_without_fencing_the_last_write_wins_whatever_its_token() -> None:
    store = FencedStorage(fencing=False)
    assert store.write("k", "new", 34)
    assert store.write("k", "stale", 33)
    assert store.get("k") == "stale"


def test_equal_tokens_are_accepted_under_fencing() -> None:
    store = FencedStorage(fencing=True)
    assert store.write("k", "one", 5)
    assert store.write("k", "two", 5)
    assert store.get("k") == "two"
    assert store.get("other") is None


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("", "v", 1), ValueError),
        ((None, "v", 1), TypeError),
        (("k", 3, 1), TypeError),
        (("k", "v", -1), ValueError),
        (("k", "v", True), TypeError),
        (("k", "v", 1.0), TypeError),
        (("k", "v", math.nan), TypeError),
    ],
)
def test_bad_writes_are_rejected(args, error) -> None:
    with pytest.raises(error, match="got"):
        FencedStorage(fencing=True).write(*args)


def test_fencing_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="fencing must be a bool, got 1"):
        FencedStorage(fencing=1)  # type: ignore[arg-type]
