"""The strangler-fig facade: longest prefix wins, shadow never changes the answer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.architectural_patterns.strangler import StranglerFacade


def _facade() -> StranglerFacade[str]:
    return StranglerFacade(lambda path: f"legacy {path}")


def test_routes_move_one_prefix_at_a_time_and_can_roll_back() -> None:
    facade = _facade()
    facade.migrate("/orders", lambda path: f"new {path}")
    facade.migrate("/orders/export/", lambda path: f"export {path}")
    assert facade.handle("/orders") == "new /orders"
    assert facade.handle("/orders/7") == "new /orders/7"
    assert facade.handle("/orders/export/csv") == "export /orders/export/csv"
    assert facade.handle("/ordersx") == "legacy /ordersx"  # a prefix is a path segment
    facade.rollback("/orders/")
    assert facade.served_by("/orders/7") == "legacy"
    assert facade.served_by("/orders/export") == "new"
    with pytest.raises(KeyError, match="no route for prefix '/users'"):
        facade.rollback("/users")


def test_shadow_returns_the_legacy_answer_and_records_mismatches() -> None:
    facade = _facade()

    def new_tax(path: str) -> str:
        if path.endswith("crash"):
            raise RuntimeError("bug in new code")
        return f"legacy {path}" if path.endswith("fr") else "wrong"

    facade.shadow("/tax", new_tax)
    answers = [facade.handle(p) for p in ["/tax/fr", "/tax/de", "/tax/crash"]]
    assert answers == ["legacy /tax/fr", "legacy /tax/de", "legacy /tax/crash"]
    assert facade.mismatches == ["/tax/de", "/tax/crash"]
    assert facade.served_by("/tax/fr") == "shadow"


@settings(max_examples=100, deadline=None)
@given(
    prefixes=st.lists(
        st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3).map(
            lambda parts: "/" + "/".join(parts)
        ),
        max_size=5,
    ),
    path=st.lists(st.sampled_from(["a", "b", "c"]), max_size=4).map(
        lambda parts: "/" + "/".join(parts)
    ),
)
def test_the_longest_matching_prefix_owns_the_path(prefixes: list[str], path: str) -> None:
    facade = _facade()
    for prefix in prefixes:
        facade.migrate(prefix, lambda p, prefix=prefix: prefix)
    segments = path.strip("/").split("/") if path != "/" else []
    # Brute force: the longest prefix whose segments start the path's segments.
    owners = [p for p in set(prefixes) if segments[: len(p.split("/")) - 1] == p.split("/")[1:]]
    expected = max(owners, key=len) if owners else f"legacy {path}"
    assert facade.handle(path) == expected


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda f: StranglerFacade(None), TypeError, "legacy must be callable"),
        (lambda f: f.migrate("orders", str), ValueError, "must start with '/', got 'orders'"),
        (lambda f: f.migrate(7, str), TypeError, "prefix must be a str, got int: 7"),
        (lambda f: f.migrate("/o", 7), TypeError, "handler must be callable"),
        (lambda f: f.handle("orders"), ValueError, "path must start with '/'"),
        (lambda f: f.handle(None), TypeError, "path must be a str"),
        (lambda f: f.rollback(b"/o"), TypeError, "prefix must be a str"),
    ],
)
def test_bad_input(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call(_facade())  # type: ignore[operator]
