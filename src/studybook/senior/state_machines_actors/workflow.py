"""Durable execution: a workflow that survives ``kill -9`` by replaying its event history.

The model is Temporal's, shrunk to one process and one file. A *workflow* is
ordinary, deterministic code; every side effect goes through an *activity*
(``ctx.execute_activity(name, *args)``). Each activity call is a *command*; the
engine turns it into *events* appended to the workflow's **event history**, a
JSON-lines file that is ``fsync``'d before the engine moves on:

- ``ActivityTaskScheduled`` (seq, activity name, input) before the activity runs,
- ``ActivityTaskCompleted`` (seq, result) or ``ActivityTaskFailed`` after it.

After a crash the worker simply runs the workflow function again from the
top. Each ``execute_activity`` call finds its events in the history: a
completed activity returns its recorded result **without running again**
(replay); the first call with no completion is where the crash happened, and
execution continues live from there. An activity that was scheduled but not
recorded as completed may have run, fully or partly, before the crash, so it
runs again: activities are **at least once**, and are made *exactly once in
effect* with the idempotency key the engine hands them (stable across retries
and crashes: ``"<workflow id>/<seq>"``).

Replay only works if the workflow code issues the same commands in the same
order. If it does not (the code changed, or it branched on the wall clock or a
random number) the engine raises :class:`NonDeterminismError` instead of
silently mixing two histories, as Temporal does.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "wf.jsonl")
>>> def greet(ctx, name):
...     return ctx.execute_activity("shout", name) + "!"
>>> runs = []
>>> def shout(info, text):
...     runs.append(info.idempotency_key)
...     return text.upper()
>>> run_workflow(greet, "ada", history_path=path, activities={"shout": shout})
'ADA!'
>>> run_workflow(greet, "ada", history_path=path, activities={"shout": shout}), runs
('ADA!', ['greet-ada/1'])
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from studybook._validate import check_callable, check_int, check_real, check_str
from studybook.senior.state_machines_actors.history import FORMAT, EventHistory

__all__ = [
    "ActivityError",
    "ActivityInfo",
    "NonDeterminismError",
    "RetryPolicy",
    "WorkflowContext",
    "run_workflow",
]


class NonDeterminismError(RuntimeError):
    """Replayed workflow code issued a different command than the history holds."""


class ActivityError(RuntimeError):
    """An activity failed for good (retries exhausted or a non-retryable error)."""


@dataclass(frozen=True)
class ActivityInfo:
    """What an activity is told about the call it serves."""

    workflow_id: str
    seq: int
    attempt: int

    @property
    def idempotency_key(self) -> str:
        """Stable across retries and crashes, unique per activity call of a workflow."""
        return f"{self.workflow_id}/{self.seq}"


@dataclass(frozen=True)
class RetryPolicy:
    """When to retry a failed activity; the defaults are Temporal's.

    Temporal's documented defaults: initial interval 1 s, backoff coefficient
    2.0, maximum interval 100 times the initial interval, unlimited attempts. The
    wait before retry *n* (1-based) is ``min(initial * coefficient ** (n - 1), maximum)``.
    ``maximum_attempts=0`` means unlimited, as in Temporal.

    >>> [RetryPolicy().delay(n) for n in (1, 2, 3, 8, 9)]
    [1.0, 2.0, 4.0, 100.0, 100.0]
    >>> RetryPolicy(backoff_coefficient=0.5)
    Traceback (most recent call last):
        ...
    ValueError: backoff_coefficient must be a finite number >= 1, got 0.5
    """

    initial_interval: float = 1.0
    backoff_coefficient: float = 2.0
    maximum_interval: float | None = None
    maximum_attempts: int = 0
    non_retryable: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_real(self.initial_interval, "initial_interval", positive=True)
        check_real(self.backoff_coefficient, "backoff_coefficient", low=1)
        if self.maximum_interval is not None:
            check_real(self.maximum_interval, "maximum_interval", low=self.initial_interval)
        check_int(self.maximum_attempts, "maximum_attempts", minimum=0)
        if not isinstance(self.non_retryable, tuple):
            raise TypeError(f"non_retryable must be a tuple of str, got {self.non_retryable!r}")
        for name in self.non_retryable:
            check_str(name, "non_retryable entry", nonempty=True)

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first retry)."""
        check_int(retry, "retry", minimum=1)
        cap = self.maximum_interval or 100 * self.initial_interval
        exponent = min(retry - 1, 1024)  # beyond this the cap has long won
        try:
            raw = self.initial_interval * self.backoff_coefficient**exponent
        except OverflowError:
            raw = math.inf
        return float(min(raw, cap))


class WorkflowContext:
    """The handle a workflow function uses to issue commands (run activities)."""

    def __init__(
        self,
        workflow_id: str,
        history: EventHistory,
        activities: Mapping[str, Callable[..., Any]],
        retry: RetryPolicy,
        sleep: Callable[[float], None],
        on_event: Callable[[dict[str, Any]], None] | None,
    ) -> None:
        self.workflow_id = workflow_id
        self._history = history
        self._activities = activities
        self._retry = retry
        self._sleep = sleep
        self._on_event = on_event
        self._seq = 0
        self._scheduled: dict[int, dict[str, Any]] = {}
        self._closed: dict[int, dict[str, Any]] = {}
        for event in history.events:
            if event["type"] == "ActivityTaskScheduled":
                self._scheduled[event["seq"]] = event
            elif event["type"] in ("ActivityTaskCompleted", "ActivityTaskFailed"):
                self._closed[event["seq"]] = event
        self._diverged: NonDeterminismError | None = None
        self.replayed = 0
        """Activity calls answered from the history during this run."""
        self.executed = 0
        """Activity attempts actually run during this run."""

    @property
    def is_replaying(self) -> bool:
        """True while the code is re-issuing commands the history already holds."""
        return self._seq + 1 in self._scheduled

    def execute_activity(self, name: str, *args: Any) -> Any:
        """Run activity ``name`` with ``args`` (JSON values), or replay it; return its result.

        Raises:
            NonDeterminismError: the history holds a different command at this position.
            ActivityError: the activity failed for good (now or, on replay, before).
            ValueError: no activity registered under ``name``.
        """
        check_str(name, "activity name", nonempty=True)
        if self._diverged is not None:  # workflow code that caught the error cannot go on
            raise self._diverged
        self._seq += 1
        seq = self._seq
        command = {"activity": name, "input": _json_roundtrip(list(args))}
        recorded = self._scheduled.get(seq)
        if recorded is not None:
            # Compared as canonical JSON text: Python's == would take True for 1 and 1.0 for 1.
            if _canonical({"activity": recorded["activity"], "input": recorded["input"]}) != (
                _canonical(command)
            ):
                self._diverged = NonDeterminismError(
                    f"workflow {self.workflow_id!r}, command {seq}: the history holds "
                    f"{recorded['activity']}({_args(recorded['input'])}) but the code issued "
                    f"{name}({_args(command['input'])})"
                )
                raise self._diverged
        else:
            if name not in self._activities:
                raise ValueError(f"no activity registered as {name!r}")
            self._record({"type": "ActivityTaskScheduled", "seq": seq, **command})
        closed = self._closed.get(seq)
        if closed is not None:
            self.replayed += 1
            return _outcome(closed)
        return _outcome(self._run_activity(seq, name, command["input"]))

    def _run_activity(self, seq: int, name: str, args: list[Any]) -> dict[str, Any]:
        if name not in self._activities:
            raise ValueError(f"no activity registered as {name!r}")
        function = self._activities[name]
        attempt = 0
        while True:
            attempt += 1
            self.executed += 1
            info = ActivityInfo(self.workflow_id, seq, attempt)
            try:
                result = function(info, *args)
            except Exception as error:
                kind = type(error).__name__
                done = self._retry.maximum_attempts and attempt >= self._retry.maximum_attempts
                if kind in self._retry.non_retryable or done:
                    event = {
                        "type": "ActivityTaskFailed",
                        "seq": seq,
                        "error": f"{kind}: {error}",
                        "attempts": attempt,
                    }
                    self._record(event)
                    return event
                self._sleep(self._retry.delay(attempt))
                continue
            event = {
                "type": "ActivityTaskCompleted",
                "seq": seq,
                "result": _json_roundtrip(result),
                "attempts": attempt,
            }
            self._record(event)
            return event

    def _record(self, event: dict[str, Any]) -> None:
        self._history.append(event)
        if event["type"] == "ActivityTaskScheduled":
            self._scheduled[event["seq"]] = event
        elif "seq" in event:
            self._closed[event["seq"]] = event
        if self._on_event is not None:
            self._on_event(event)

    def _commands_issued(self) -> int:
        return self._seq

    def _commands_in_history(self) -> int:
        return len(self._scheduled)


def _outcome(event: dict[str, Any]) -> Any:
    if event["type"] == "ActivityTaskFailed":
        raise ActivityError(
            f"activity {event['seq']} failed after {event['attempts']} attempt(s): {event['error']}"
        )
    return event["result"]


def _json_roundtrip(value: Any) -> Any:
    try:
        return json.loads(json.dumps(value, allow_nan=False, sort_keys=True))
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"activity inputs and results must be JSON values, got {value!r}"
        ) from error


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, allow_nan=False)


def _args(values: list[Any]) -> str:
    return ", ".join(json.dumps(v) for v in values)


def run_workflow(
    workflow: Callable[..., Any],
    *args: Any,
    history_path: str | os.PathLike[str],
    activities: Mapping[str, Callable[..., Any]],
    workflow_id: str | None = None,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> Any:
    """Start, or resume after a crash, the workflow whose history is at ``history_path``.

    Args:
        workflow: ``workflow(ctx, *args)``, deterministic; side effects only via
            ``ctx.execute_activity``.
        args: the workflow's input (JSON values), recorded in the first event.
        history_path: the event history file (created on first run).
        activities: activity name -> ``function(info, *args)`` returning a JSON value.
        workflow_id: defaults to ``"<function name>-<args joined by '-'>"``.
        retry: the activity retry policy (Temporal's defaults if None).
        sleep: how to wait between retries (inject a fake in tests).
        on_event: called after each event is durably recorded (tests use it
            to crash the worker at an exact point).

    Returns:
        The workflow's result; for a workflow already completed, its recorded result.

    Raises:
        NonDeterminismError: the code no longer matches the history, including a
            different workflow or input, or fewer commands than the history holds.
        ValueError: a bad argument, or a history file that is not ours.
        TypeError: an argument of the wrong type, or inputs that are not JSON values.

    Complexity: O(events) to load and replay, plus the activities still to run.
    """
    check_callable(workflow, "workflow")
    if not isinstance(activities, Mapping):
        raise TypeError(f"activities must be a mapping of name to function, got {activities!r}")
    for name, function in activities.items():
        check_str(name, "activity name", nonempty=True)
        check_callable(function, f"activity {name!r}")
    check_callable(sleep, "sleep")
    if retry is None:
        retry = RetryPolicy()
    elif not isinstance(retry, RetryPolicy):
        raise TypeError(f"retry must be a RetryPolicy, got {retry!r}")
    name = getattr(workflow, "__name__", "workflow")
    inputs = _json_roundtrip(list(args))
    if workflow_id is None:
        workflow_id = "-".join([name, *(str(a) for a in inputs)])
    check_str(workflow_id, "workflow_id", nonempty=True)

    history = EventHistory(history_path)
    started = {
        "type": "WorkflowExecutionStarted",
        "format": FORMAT,
        "workflow": name,
        "workflow_id": workflow_id,
        "input": inputs,
    }
    if not history.events:
        history.append(started)
        if on_event is not None:
            on_event(started)
    elif _canonical({k: history.events[0].get(k) for k in started}) != _canonical(started):
        first = history.events[0]
        raise NonDeterminismError(
            f"history {history.path!r} belongs to "
            f"{first.get('workflow')}{tuple(first.get('input', []))} "
            f"(id {first.get('workflow_id')!r}), not {name}{tuple(inputs)} (id {workflow_id!r})"
        )
    finished = [e for e in history.events if e["type"] == "WorkflowExecutionCompleted"]
    if finished:
        return finished[0]["result"]

    ctx = WorkflowContext(workflow_id, history, activities, retry, sleep, on_event)
    try:
        result = workflow(ctx, *args)
    except Exception:
        if ctx._diverged is not None:  # the divergence, not what the code made of it
            raise ctx._diverged from None
        raise
    if ctx._diverged is not None:  # the code caught the error: the run still fails
        raise ctx._diverged
    if ctx._commands_issued() < ctx._commands_in_history():
        raise NonDeterminismError(
            f"workflow {workflow_id!r} finished after {ctx._commands_issued()} commands "
            f"but the history holds {ctx._commands_in_history()}"
        )
    completed = {"type": "WorkflowExecutionCompleted", "result": _json_roundtrip(result)}
    history.append(completed)
    if on_event is not None:
        on_event(completed)
    return completed["result"]
