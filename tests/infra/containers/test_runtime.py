"""The OCI runtime lifecycle's rules, and the build cache's chain of keys."""

from __future__ import annotations

import signal
from typing import Any

import pytest

from studybook.infra.containers import Runtime, cache_keys, rebuilt_steps

CONFIG: dict[str, Any] = {
    "ociVersion": "1.2.0",
    "root": {"path": "rootfs"},
    "process": {"args": ["sh"]},
}


def test_full_lifecycle_and_hook_order() -> None:
    rt = Runtime()
    assert rt.create("c1", CONFIG) == "created"
    assert rt.state("c1") == {"id": "c1", "status": "created"}
    assert rt.start("c1") == "running"
    assert rt.kill("c1", signal.SIGKILL) == "stopped"
    assert rt.state("c1") == {"id": "c1", "status": "stopped", "exitCode": 137}
    rt.delete("c1")
    assert rt.events == [
        "c1: createRuntime hooks",
        "c1: createContainer hooks",
        "c1: startContainer hooks",
        "c1: poststart hooks",
        "c1: poststop hooks",
    ]
    with pytest.raises(KeyError, match="no container 'c1'"):
        rt.state("c1")


@pytest.mark.parametrize(
    ("setup", "op", "match"),
    [
        ([], "start_twice", "cannot start container 'c' in state 'running'"),
        (["kill"], "start", "cannot start container 'c' in state 'stopped'"),
        ([], "delete", "cannot delete container 'c' in state 'running'"),
        (["kill"], "kill", "cannot kill container 'c' in state 'stopped'"),
    ],
)
def test_operations_in_the_wrong_state_fail_and_change_nothing(
    setup: list[str], op: str, match: str
) -> None:
    rt = Runtime()
    rt.create("c", CONFIG)
    rt.start("c")
    for step in setup:
        getattr(rt, step)("c")
    before, events = rt.state("c"), list(rt.events)
    operation = rt.start if op == "start_twice" else getattr(rt, op)
    with pytest.raises(ValueError, match=match):
        operation("c")
    assert rt.state("c") == before
    assert rt.events == events


def test_kill_a_created_container_is_allowed() -> None:
    rt = Runtime()
    rt.create("c", CONFIG)
    assert rt.kill("c") == "stopped"
    assert rt.state("c")["exitCode"] == 128 + signal.SIGTERM


@pytest.mark.parametrize(
    ("cid", "config", "error", "match"),
    [
        ("", CONFIG, ValueError, "container_id"),
        (7, CONFIG, TypeError, "container_id"),
        ("c", {**CONFIG, "ociVersion": None}, ValueError, "ociVersion"),
        ("c", {**CONFIG, "root": {}}, ValueError, "root.path"),
        ("c", {**CONFIG, "process": {"args": []}}, ValueError, "process.args"),
        ("c", "config.json", TypeError, "mapping"),
    ],
)
def test_create_refuses(cid: object, config: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Runtime().create(cid, config)  # type: ignore[arg-type]


def test_ids_are_unique_and_signals_checked() -> None:
    rt = Runtime()
    rt.create("c", CONFIG)
    with pytest.raises(ValueError, match="already in use"):
        rt.create("c", CONFIG)
    for bad in (0, 65, True):
        with pytest.raises((ValueError, TypeError), match="sig"):
            rt.kill("c", bad)


def test_cache_invalidates_every_later_step() -> None:
    base = [("FROM a", {}), ("COPY x /", {"x": b"1"}), ("RUN make", {}), ("CMD go", {})]
    edited = [base[0], ("COPY x /", {"x": b"2"}), *base[2:]]
    old, new = cache_keys(base), cache_keys(edited)
    assert [o == n for o, n in zip(old, new, strict=True)] == [True, False, False, False]
    assert rebuilt_steps(base, edited) == 3
    assert rebuilt_steps(base, base) == 0
    renamed = [base[0], ("COPY x /", {"y": b"1"}), *base[2:]]
    assert rebuilt_steps(base, renamed) == 3  # the path is part of the key, not only bytes


@pytest.mark.parametrize(
    ("steps", "match"),
    [
        ("FROM a", "sequence"),
        ([("FROM a",)], "must be"),
        ([("", {})], "instruction"),
        ([("COPY", {"x": "text"})], "must be bytes"),
    ],
)
def test_cache_keys_refuse(steps: object, match: str) -> None:
    with pytest.raises((TypeError, ValueError), match=match):
        cache_keys(steps)  # type: ignore[arg-type]
