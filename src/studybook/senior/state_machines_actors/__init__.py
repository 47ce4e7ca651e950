"""State machines, actors and durable workflows: three ways to keep state correct under failure.

Interviewers ask about them because every long-running business process (an
order, a payment, a signup) is a state machine whether or not the code says
so, and the hard questions are about failure: what happens to an order when a
process crashes between "charge the card" and "ship"? The three tools here
answer at three scales:

- :mod:`~studybook.senior.state_machines_actors.fsm`: a table-driven finite
  state machine; illegal transitions are rejected, never half-applied;
- :mod:`~studybook.senior.state_machines_actors.actors`: actors with mailboxes
  under supervisors (one-for-one, one-for-all, restart intensity per period,
  escalation), Erlang/OTP's answer to crashes inside one system;
- :mod:`~studybook.senior.state_machines_actors.history`,
  :mod:`~studybook.senior.state_machines_actors.workflow` and
  :mod:`~studybook.senior.state_machines_actors.orders`: durable execution in
  Temporal's style; a workflow's event history is fsync'd, and after
  ``kill -9`` the worker replays it and every step takes effect exactly once.

Invariants: a machine's state is always reachable by legal transitions from
its initial state; a supervisor never restarts more than ``intensity`` times in
``period`` seconds without escalating; a workflow's recorded activity results
are never recomputed, and each activity's effect is applied once per
idempotency key however often the worker crashes.

=============================  =================  ===================================
Operation                      Time               Durable cost
=============================  =================  ===================================
``StateMachine.fire``          O(1)               none (in memory)
actor message delivery         O(1) + handler     none (in memory)
supervisor restart             O(subtree)         none
``execute_activity`` (live)    O(1) + activity    two fsync'd appends
``execute_activity`` (replay)  O(1)               none
resume after a crash           O(history)         one read of the history
=============================  =================  ===================================

>>> from studybook.senior.state_machines_actors import StateMachine, ORDER_LIFECYCLE
>>> StateMachine(ORDER_LIFECYCLE, "created").can("ship")
False

Primary sources: the Erlang/OTP ``supervisor`` reference manual and "Supervisor
Behaviour" design principles; Akka's fault-tolerance documentation; Temporal's
documentation (Workflow Definition, Event History, Retry Policies, Detecting
Activity failures); J. Armstrong, *Making reliable distributed systems in the
presence of software errors*, PhD thesis, KTH, 2003.
"""

from __future__ import annotations

import tempfile
from typing import Any, TextIO

from studybook.senior.state_machines_actors.actors import (
    STRATEGIES,
    Actor,
    ActorSystem,
    Context,
    Strategy,
    SupervisionError,
)
from studybook.senior.state_machines_actors.fsm import (
    ORDER_LIFECYCLE,
    IllegalTransition,
    StateMachine,
    Transition,
    transitions,
)
from studybook.senior.state_machines_actors.history import FORMAT, EventHistory
from studybook.senior.state_machines_actors.orders import Ledger, fulfil, order_workflow
from studybook.senior.state_machines_actors.workflow import (
    ActivityError,
    ActivityInfo,
    NonDeterminismError,
    RetryPolicy,
    WorkflowContext,
    run_workflow,
)

__all__ = [
    "FORMAT",
    "ORDER_LIFECYCLE",
    "STRATEGIES",
    "ActivityError",
    "ActivityInfo",
    "Actor",
    "ActorSystem",
    "Context",
    "EventHistory",
    "IllegalTransition",
    "Ledger",
    "NonDeterminismError",
    "RetryPolicy",
    "StateMachine",
    "Strategy",
    "SupervisionError",
    "Transition",
    "WorkflowContext",
    "demo",
    "fulfil",
    "order_workflow",
    "run_workflow",
    "transitions",
]


class _Crash(BaseException):
    """Stands in for kill -9 in the demo (the tests use a real SIGKILL).

    It is not an ``Exception``, so the engine's retry loop does not catch it.
    """


class _Flaky(Actor):
    def __init__(self) -> None:
        self.seen = 0

    def receive(self, message: object, ctx: Context) -> None:
        if message == "crash":
            raise RuntimeError("crash")
        self.seen += 1


def demo(out: TextIO) -> None:
    """An order's lifecycle, a supervision tree at work, and a workflow resumed after a crash.

    >>> import io
    >>> buf = io.StringIO(); demo(buf)
    >>> print(buf.getvalue(), end="")
    order lifecycle: created -pay-> paid -ship-> shipped -deliver-> delivered
    refund a delivered order: illegal event 'refund' in state 'delivered'; allowed: []
    supervision (one_for_all, intensity 1, period 5 s):
      t=0  worker-a failed on 'crash': RuntimeError('crash')
      t=0  shop restarts worker-a
      t=0  shop restarts worker-b
      t=10 worker-a failed on 'crash': RuntimeError('crash')
      t=10 shop restarts worker-a
      t=10 shop restarts worker-b
      t=12 worker-b failed on 'crash': RuntimeError('crash')
      t=12 shop gives up: 2 restarts within 5 s
      t=12 root restarts shop
    workflow crashed inside activity 2 (its effect committed, its completion not recorded)
    resumed: {'charge': 'ch-order-42/2', 'order': '42', 'tracking': 'trk-order-42/3'}
    activity executions: 5 (activity 2 ran twice)
    effects applied:     4 (one per idempotency key)
    """
    machine = StateMachine(ORDER_LIFECYCLE, "created")
    path = ["created"]
    for event in ("pay", "ship", "deliver"):
        path.append(f"-{event}-> {machine.fire(event)}")
    out.write(f"order lifecycle: {' '.join(path)}\n")
    try:
        machine.fire("refund")
    except IllegalTransition as error:
        out.write(f"refund a delivered order: {error}\n")

    now = [0.0]
    system = ActorSystem(clock=lambda: now[0])
    system.supervisor("root")
    system.supervisor("shop", strategy="one_for_all", parent="root")
    system.spawn("worker-a", _Flaky, supervisor="shop")
    system.spawn("worker-b", _Flaky, supervisor="shop")
    out.write("supervision (one_for_all, intensity 1, period 5 s):\n")
    for t, who in ((0.0, "worker-a"), (10.0, "worker-a"), (12.0, "worker-b")):
        now[0] = t
        seen = len(system.log)
        system.tell(who, "crash")
        system.run()
        for line in system.log[seen:]:
            out.write(f"  t={t:<2g} {line}\n")

    with tempfile.TemporaryDirectory() as directory:
        state = {"armed": True}

        def after_effect(info: ActivityInfo) -> None:
            if info.seq == 2 and state["armed"]:
                state["armed"] = False
                raise _Crash

        try:
            fulfil(directory, "42", after_effect=after_effect)
        except _Crash:
            out.write(
                "workflow crashed inside activity 2 "
                "(its effect committed, its completion not recorded)\n"
            )
        result: Any = fulfil(directory, "42")
        out.write(f"resumed: {result}\n")
        ledger = Ledger(directory)
        out.write(f"activity executions: {len(ledger.attempts())} (activity 2 ran twice)\n")
        out.write(f"effects applied:     {len(ledger.effects())} (one per idempotency key)\n")
