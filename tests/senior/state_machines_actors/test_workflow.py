"""Durable workflows in one process: replay, retries, non-determinism, a torn history tail."""

from __future__ import annotations

import contextlib
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from studybook.senior.state_machines_actors import (
    FORMAT,
    ActivityError,
    ActivityInfo,
    EventHistory,
    Ledger,
    NonDeterminismError,
    RetryPolicy,
    WorkflowContext,
    fulfil,
    run_workflow,
)


class Crash(BaseException):
    """A simulated kill: not an Exception, so the engine's retry loop does not catch it."""


def _two_steps(ctx: WorkflowContext, x: int) -> int:
    a = ctx.execute_activity("double", x)
    return int(ctx.execute_activity("double", a))


def _double(info: ActivityInfo, x: int) -> int:
    return 2 * x


def test_replay_returns_recorded_results_without_running_activities(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    calls: list[int] = []

    def double(info: ActivityInfo, x: int) -> int:
        calls.append(info.seq)
        if len(calls) == 2:
            raise Crash
        return 2 * x

    with pytest.raises(Crash):
        run_workflow(_two_steps, 5, history_path=path, activities={"double": double})
    types = [json.loads(line)["type"] for line in path.read_text().splitlines()]
    assert types == [
        "WorkflowExecutionStarted",
        "ActivityTaskScheduled",
        "ActivityTaskCompleted",
        "ActivityTaskScheduled",
    ]
    assert run_workflow(_two_steps, 5, history_path=path, activities={"double": double}) == 20
    assert calls == [1, 2, 2]  # step 1 replayed from history, step 2 re-run (at least once)
    # A completed workflow returns its recorded result and runs nothing.
    assert run_workflow(_two_steps, 5, history_path=path, activities={"double": double}) == 20
    assert calls == [1, 2, 2]


def test_changed_code_raises_non_determinism_error(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"

    def first(info: ActivityInfo, x: int) -> int:
        raise Crash

    with pytest.raises(Crash):
        run_workflow(
            _two_steps, 5, history_path=path, activities={"double": first}, workflow_id="w"
        )

    def reordered(ctx: WorkflowContext, x: int) -> int:
        return int(ctx.execute_activity("triple", x))

    reordered.__name__ = "_two_steps"
    with pytest.raises(
        NonDeterminismError,
        match=r"command 1: the history holds double\(5\) but the code issued triple\(5\)",
    ):
        run_workflow(
            reordered,
            5,
            history_path=path,
            workflow_id="w",
            activities={"double": _double, "triple": _double},
        )


def test_different_arguments_are_non_deterministic_too(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    seen: list[int] = []

    def flaky_order(ctx: WorkflowContext, x: int) -> int:
        seen.append(1)
        return int(ctx.execute_activity("double", x + len(seen)))  # depends on run count

    with pytest.raises(Crash):
        run_workflow(
            flaky_order,
            1,
            history_path=path,
            activities={"double": lambda i, x: (_ for _ in ()).throw(Crash())},
        )
    with pytest.raises(NonDeterminismError, match=r"double\(2\) but the code issued double\(3\)"):
        run_workflow(flaky_order, 1, history_path=path, activities={"double": _double})


def test_fewer_commands_than_history_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    with pytest.raises(Crash):
        run_workflow(
            _two_steps,
            1,
            history_path=path,
            workflow_id="w",
            activities={"double": _double},
            on_event=lambda e: (
                _raise(Crash())
                if e.get("seq") == 2 and e["type"] == "ActivityTaskCompleted"
                else None
            ),
        )

    def shorter(ctx: WorkflowContext, x: int) -> int:
        return int(ctx.execute_activity("double", x))

    shorter.__name__ = "_two_steps"
    with pytest.raises(
        NonDeterminismError, match="finished after 1 commands but the history holds 2"
    ):
        run_workflow(shorter, 1, history_path=path, workflow_id="w", activities={"double": _double})


def _raise(error: BaseException) -> None:
    raise error


def test_history_of_another_workflow_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    run_workflow(_two_steps, 1, history_path=path, activities={"double": _double})
    with pytest.raises(NonDeterminismError, match="belongs to _two_steps"):
        run_workflow(_two_steps, 2, history_path=path, activities={"double": _double})


def test_retries_follow_the_policy_then_fail_for_good(tmp_path: Path) -> None:
    waits: list[float] = []
    attempts: list[int] = []

    def broken(info: ActivityInfo, x: int) -> int:
        attempts.append(info.attempt)
        raise ConnectionError("down")

    policy = RetryPolicy(initial_interval=1.0, maximum_attempts=4)
    path = tmp_path / "h.jsonl"
    with pytest.raises(
        ActivityError, match="activity 1 failed after 4 attempt\\(s\\): ConnectionError: down"
    ):
        run_workflow(
            _two_steps,
            1,
            history_path=path,
            activities={"double": broken},
            retry=policy,
            sleep=waits.append,
        )
    assert attempts == [1, 2, 3, 4]
    assert waits == [1.0, 2.0, 4.0]
    # The failure is in the history: a replay raises it again without running anything.
    with pytest.raises(ActivityError, match="after 4 attempt"):
        run_workflow(
            _two_steps,
            1,
            history_path=path,
            activities={"double": broken},
            retry=policy,
            sleep=waits.append,
        )
    assert attempts == [1, 2, 3, 4]


def test_non_retryable_error_fails_at_once(tmp_path: Path) -> None:
    def invalid(info: ActivityInfo, x: int) -> int:
        raise KeyError("no such card")

    with pytest.raises(ActivityError, match="after 1 attempt"):
        run_workflow(
            _two_steps,
            1,
            history_path=tmp_path / "h",
            activities={"double": invalid},
            retry=RetryPolicy(non_retryable=("KeyError",)),
            sleep=lambda s: None,
        )


def test_retry_then_success(tmp_path: Path) -> None:
    tries: list[int] = []

    def once_flaky(info: ActivityInfo, x: int) -> int:
        tries.append(info.attempt)
        if info.attempt == 1:
            raise TimeoutError
        return 2 * x

    assert (
        run_workflow(
            _two_steps,
            3,
            history_path=tmp_path / "h",
            activities={"double": once_flaky},
            sleep=lambda s: None,
        )
        == 12
    )
    assert tries == [1, 2, 1, 2]


def test_retry_delays_match_temporals_formula() -> None:
    assert [RetryPolicy().delay(n) for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 64, 100, 100]
    policy = RetryPolicy(initial_interval=0.5, backoff_coefficient=3.0, maximum_interval=10.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.5, 4.5, 10.0]
    assert RetryPolicy(backoff_coefficient=1.0).delay(50) == 1.0
    assert RetryPolicy().delay(10**6) == 100.0  # no overflow


def test_torn_tail_is_cut_and_execution_resumes(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    with pytest.raises(Crash):
        run_workflow(
            _two_steps,
            1,
            history_path=path,
            activities={"double": _double},
            on_event=lambda e: _raise(Crash()) if e["type"] == "ActivityTaskCompleted" else None,
        )
    with path.open("ab") as f:
        f.write(b'{"type": "ActivityTaskSched')  # a crash in the middle of a write
    assert run_workflow(_two_steps, 1, history_path=path, activities={"double": _double}) == 4
    events = [json.loads(line) for line in path.read_text().splitlines()]
    assert [e["type"] for e in events][-1] == "WorkflowExecutionCompleted"
    assert events[0]["format"] == FORMAT


def test_a_file_that_is_not_ours_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my shopping list\n")
    with pytest.raises(ValueError, match="not a workflow history written by this engine"):
        EventHistory(path)
    assert path.read_text() == "my shopping list\n"
    with pytest.raises(ValueError, match="not a regular file"):
        EventHistory(tmp_path)


def test_exactly_once_in_effect_with_a_crash_after_every_effect(tmp_path: Path) -> None:
    """In-process version of the kill test: crash after each effect in turn, then resume."""
    for seq in (2, 4):
        directory = tmp_path / f"crash-{seq}"
        directory.mkdir()

        def after_effect(info: ActivityInfo, seq: int = seq) -> None:
            if info.seq == seq and info.attempt == 1:
                raise Crash

        with pytest.raises(Crash):
            fulfil(directory, "o1", after_effect=after_effect)
        # The retry in the same run would also re-run it; a crash means a new process.
        result: Any = fulfil(directory, "o1")
        assert result == {"charge": "ch-order-o1/2", "order": "o1", "tracking": "trk-order-o1/3"}
        ledger = Ledger(directory)
        assert [k for k, _ in ledger.effects()] == [f"order-o1/{i}" for i in (1, 2, 3, 4)]
        assert len(ledger.attempts()) == 5  # the crashed step ran twice, in effect once


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"initial_interval": math.nan},
            ValueError,
            "initial_interval must be a finite number > 0, got nan",
        ),
        (
            {"initial_interval": 0},
            ValueError,
            "initial_interval must be a finite number > 0, got 0",
        ),
        ({"initial_interval": True}, TypeError, "initial_interval must be a number, got bool"),
        (
            {"backoff_coefficient": math.inf},
            ValueError,
            "backoff_coefficient must be a finite number >= 1",
        ),
        ({"maximum_interval": 0.5}, ValueError, "maximum_interval must be a finite number >= 1"),
        ({"maximum_attempts": -1}, ValueError, "maximum_attempts must be >= 0, got -1"),
        ({"maximum_attempts": 2.0}, TypeError, "maximum_attempts must be an int, got float"),
        ({"non_retryable": ["KeyError"]}, TypeError, "non_retryable must be a tuple of str"),
        ({"non_retryable": ("",)}, ValueError, "non_retryable entry must be a non-empty str"),
    ],
)
def test_retry_policy_bad_input(kwargs: dict[str, object], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_run_workflow_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "h"
    acts = {"double": _double}
    with pytest.raises(TypeError, match="workflow must be callable"):
        run_workflow("wf", history_path=path, activities=acts)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="activities must be a mapping"):
        run_workflow(_two_steps, 1, history_path=path, activities=[_double])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="activity 'double' must be callable"):
        run_workflow(_two_steps, 1, history_path=path, activities={"double": 2})
    with pytest.raises(TypeError, match="retry must be a RetryPolicy"):
        run_workflow(_two_steps, 1, history_path=path, activities=acts, retry=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be JSON values, got \\[nan\\]"):
        run_workflow(_two_steps, math.nan, history_path=path, activities=acts)
    with pytest.raises(TypeError, match="must be JSON values"):
        run_workflow(_two_steps, {1, 2}, history_path=path, activities=acts)
    with pytest.raises(ValueError, match="workflow_id must be a non-empty str"):
        run_workflow(_two_steps, 1, history_path=path, activities=acts, workflow_id="")
    with pytest.raises(ValueError, match="no activity registered as 'double'"):
        run_workflow(_two_steps, 1, history_path=path, activities={})
    with pytest.raises(ValueError, match="directory must exist"):
        Ledger(tmp_path / "missing")
    with pytest.raises(ValueError, match="order_id must be a non-empty str"):
        fulfil(tmp_path, "")


@pytest.mark.parametrize("left", [b"", b"{", b'{"format": "studybook-work'])
def test_a_crash_during_the_first_write_does_not_block_the_workflow(
    tmp_path: Path, left: bytes
) -> None:
    # kill -9 between creating the file and finishing its first line: nothing was acknowledged.
    (tmp_path / "history.jsonl").write_bytes(left)
    assert fulfil(tmp_path, "e1")["charge"] == "ch-order-e1/2"
    events = [json.loads(line) for line in (tmp_path / "history.jsonl").read_text().splitlines()]
    assert events[0]["format"] == FORMAT
    assert events[-1]["type"] == "WorkflowExecutionCompleted"


@pytest.mark.parametrize("content", [b"{\n", b"my list", b'{"format": "other/1"}\n'])
def test_a_first_line_that_is_not_ours_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "h.jsonl"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not a workflow history written by this engine"):
        EventHistory(path)
    assert path.read_bytes() == content


def test_short_writes_still_append_whole_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:3])))
    assert (
        run_workflow(_two_steps, 2, history_path=tmp_path / "h", activities={"double": _double})
        == 8
    )
    monkeypatch.undo()
    assert [e["type"] for e in EventHistory(tmp_path / "h").events][-1] == (
        "WorkflowExecutionCompleted"
    )


@pytest.mark.parametrize(("before", "after"), [(1, True), (1, 1.0), (0, False), ([1], [True])])
def test_equal_in_python_but_different_json_is_non_deterministic(
    tmp_path: Path, before: object, after: object
) -> None:
    path = tmp_path / "h.jsonl"

    def first(ctx: WorkflowContext, x: int) -> object:
        return ctx.execute_activity("echo", before)

    def second(ctx: WorkflowContext, x: int) -> object:
        return ctx.execute_activity("echo", after)

    second.__name__ = first.__name__

    def crash(info: ActivityInfo, value: object) -> object:
        raise Crash

    with pytest.raises(Crash):
        run_workflow(first, 1, history_path=path, workflow_id="w", activities={"echo": crash})
    with pytest.raises(NonDeterminismError, match="the history holds echo"):
        run_workflow(
            second, 1, history_path=path, workflow_id="w", activities={"echo": lambda i, v: v}
        )
    # The same holds for the workflow's own input.
    with pytest.raises(NonDeterminismError, match="belongs to"):
        run_workflow(first, True, history_path=path, workflow_id="w", activities={"echo": crash})


def test_workflow_code_cannot_swallow_a_non_determinism_error(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"

    def v1(ctx: WorkflowContext, x: int) -> int:
        return int(ctx.execute_activity("add", x))

    def crash(info: ActivityInfo, x: int) -> int:
        raise Crash

    with pytest.raises(Crash):
        run_workflow(v1, 1, history_path=path, workflow_id="w", activities={"add": crash})
    before = path.read_bytes()

    def v2(ctx: WorkflowContext, x: int) -> int:
        with contextlib.suppress(Exception):  # swallows everything, the divergence included
            ctx.execute_activity("charge", x)  # a new "best effort" step
        return int(ctx.execute_activity("add", x))

    def v3(ctx: WorkflowContext, x: int) -> int:
        try:
            ctx.execute_activity("charge", x)
        except Exception:
            return -1
        return 0

    acts = {"add": lambda i, x: x + 1, "charge": lambda i, x: x}
    for code in (v2, v3):
        code.__name__ = "v1"
        with pytest.raises(
            NonDeterminismError, match="holds add\\(1\\) but the code issued charge"
        ):
            run_workflow(code, 1, history_path=path, workflow_id="w", activities=acts)
        assert path.read_bytes() == before  # nothing recorded, nothing completed
