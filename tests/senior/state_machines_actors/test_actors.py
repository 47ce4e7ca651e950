"""Actors and supervision: one-for-one, one-for-all, restart intensity per period, escalation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.state_machines_actors import (
    Actor,
    ActorSystem,
    Context,
    SupervisionError,
)


class Counter(Actor):
    starts = 0

    def __init__(self) -> None:
        self.count = 0

    def pre_start(self, ctx: Context) -> None:
        Counter.starts += 1

    def receive(self, message: object, ctx: Context) -> None:
        if message == "crash":
            raise RuntimeError("crash")
        if isinstance(message, tuple) and message[0] == "forward":
            ctx.tell(message[1], "inc")
            return
        self.count += 1


def _tree(
    strategy: str, *, intensity: int = 1, period: float = 5.0
) -> tuple[ActorSystem, list[float]]:
    now = [0.0]
    system = ActorSystem(clock=lambda: now[0])
    system.supervisor("root", intensity=10, period=1.0)
    system.supervisor("sup", strategy=strategy, intensity=intensity, period=period, parent="root")  # type: ignore[arg-type]
    for name in ("a", "b", "c"):
        system.spawn(name, Counter, supervisor="sup")
    return system, now


def _counts(system: ActorSystem) -> list[int]:
    return [system.actor(n).count for n in ("a", "b", "c")]  # type: ignore[attr-defined]


def test_one_for_one_restarts_only_the_failed_child() -> None:
    system, _ = _tree("one_for_one")
    for name in ("a", "b", "c"):
        system.tell(name, "inc")
    system.tell("b", "crash")
    system.tell("b", "inc")  # queued behind the crash: survives the restart
    system.run()
    assert _counts(system) == [1, 1, 1]
    assert system.log == ["b failed on 'crash': RuntimeError('crash')", "sup restarts b"]


def test_one_for_all_restarts_every_sibling() -> None:
    system, _ = _tree("one_for_all")
    for name in ("a", "b", "c"):
        system.tell(name, "inc")
    system.run()
    system.tell("b", "crash")
    system.run()
    assert _counts(system) == [0, 0, 0]
    assert system.log[1:] == ["sup restarts a", "sup restarts b", "sup restarts c"]


def test_default_intensity_one_in_five_seconds_then_escalation() -> None:
    system, now = _tree("one_for_one")  # Erlang's defaults: intensity 1, period 5
    system.tell("a", "crash")
    system.run()
    now[0] = 4.9
    system.tell("a", "inc")
    system.tell("c", "inc")
    system.tell("b", "crash")  # second restart within 5 s: sup gives up
    system.run()
    assert "sup gives up: 2 restarts within 5 s" in system.log
    assert system.log[-1] == "root restarts sup"
    # The whole subtree was restarted by root: fresh state everywhere, sup's window cleared.
    assert all(system.is_alive(n) for n in ("sup", "a", "b", "c"))
    assert _counts(system) == [0, 0, 0]
    system.tell("c", "crash")
    system.run()
    assert system.log[-1] == "sup restarts c"


def test_restarts_outside_the_period_do_not_count() -> None:
    system, now = _tree("one_for_one")
    for t in (0.0, 6.0, 12.0, 18.0):
        now[0] = t
        system.tell("a", "crash")
        system.run()
    assert not any("gives up" in line for line in system.log)


def test_a_restart_exactly_period_ago_still_counts_as_in_otp() -> None:
    # OTP's supervisor.erl keeps every restart R with R >= Now - Period: the window is closed.
    system, now = _tree("one_for_one")
    for t in (0.0, 5.0):
        now[0] = t
        system.tell("a", "crash")
        system.run()
    assert "sup gives up: 2 restarts within 5 s" in system.log


def test_a_child_that_keeps_failing_to_start_escalates_instead_of_escaping() -> None:
    starts = [0]

    class Fragile(Actor):
        def __init__(self) -> None:
            starts[0] += 1
            if starts[0] > 1:
                raise OSError("config missing")

        def receive(self, message: object, ctx: Context) -> None:
            raise RuntimeError("crash")

    now = [0.0]
    system = ActorSystem(clock=lambda: now[0])
    system.supervisor("root", intensity=0)
    system.supervisor("sup", intensity=2, parent="root")
    system.spawn("f", Fragile, supervisor="sup")
    system.tell("f", "go")
    with pytest.raises(SupervisionError, match="root supervisor 'root' exceeded 0 restarts"):
        system.run()
    assert system.log == [
        "f failed on 'go': RuntimeError('crash')",
        "sup restarts f",
        "f failed to start: OSError('config missing')",
        "sup restarts f",
        "f failed to start: OSError('config missing')",
        "sup gives up: 3 restarts within 5 s",
        "root gives up: 1 restarts within 5 s",
    ]
    assert starts[0] == 3
    assert not any(system.is_alive(n) for n in ("root", "sup", "f"))


def test_spawn_of_a_factory_that_fails_registers_nothing() -> None:
    system = ActorSystem()
    system.supervisor("root")
    with pytest.raises(TypeError, match="factory of 'x' must return an Actor, got 5"):
        system.spawn("x", lambda: 5, supervisor="root")  # type: ignore[arg-type,return-value]

    class Broken(Actor):
        def pre_start(self, ctx: Context) -> None:
            raise ZeroDivisionError("bad start")

    with pytest.raises(ZeroDivisionError, match="bad start"):
        system.spawn("y", Broken, supervisor="root")
    for name in ("x", "y"):
        with pytest.raises(ValueError, match="no actor or supervisor named"):
            system.is_alive(name)
    assert system.spawn("x", Counter, supervisor="root") == "x"  # the name is free again


def test_root_giving_up_stops_the_system() -> None:
    now = [0.0]
    system = ActorSystem(clock=lambda: now[0])
    system.supervisor("root", intensity=0)
    system.spawn("x", Counter, supervisor="root")
    system.tell("x", "crash")
    with pytest.raises(SupervisionError, match="root supervisor 'root' exceeded 0 restarts in 5 s"):
        system.run()
    assert not system.is_alive("x")
    system.tell("x", "inc")
    assert system.dead_letters == [("x", "inc")]


def test_messages_between_actors_and_mailbox_order() -> None:
    system, _ = _tree("one_for_one")
    for _ in range(3):
        system.tell("a", ("forward", "b"))
    assert system.run() == 6
    assert _counts(system) == [0, 3, 0]


def test_a_message_loop_is_bounded() -> None:
    class PingPong(Actor):
        def receive(self, message: object, ctx: Context) -> None:
            ctx.tell(ctx.name, message)

    system = ActorSystem()
    system.supervisor("root")
    system.spawn("p", PingPong, supervisor="root")
    system.tell("p", "ping")
    with pytest.raises(RuntimeError, match="more than 100 messages"):
        system.run(max_messages=100)


def _model_gives_up(times: list[float], intensity: int, period: float) -> int | None:
    """Brute force: the first failure after which > intensity restarts lie in one window."""
    for i, t in enumerate(times):
        if sum(1 for s in times[: i + 1] if t - s <= period) > intensity:
            return i
    return None


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=1, max_size=12).map(sorted),
    st.integers(0, 3),
    st.integers(1, 10),
)
def test_escalation_point_matches_a_brute_force_window_count(
    times: list[int], intensity: int, period: int
) -> None:
    now = [0.0]
    system = ActorSystem(clock=lambda: now[0])
    system.supervisor("root", intensity=intensity, period=float(period))
    system.spawn("x", Counter, supervisor="root")
    expected = _model_gives_up([float(t) for t in times], intensity, float(period))
    for i, t in enumerate(times):
        now[0] = float(t)
        system.tell("x", "crash")
        if expected == i:
            with pytest.raises(SupervisionError):
                system.run()
            return
        system.run()
    assert expected is None
    assert system.is_alive("x")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"strategy": "rest_for_one"}, ValueError, "strategy must be one of"),
        ({"intensity": -1}, ValueError, "intensity must be >= 0, got -1"),
        ({"intensity": True}, TypeError, "intensity must be an int, got bool"),
        ({"intensity": 1.5}, TypeError, "intensity must be an int, got float"),
        ({"period": math.nan}, ValueError, "period must be a finite number > 0, got nan"),
        ({"period": math.inf}, ValueError, "period must be a finite number > 0, got inf"),
        ({"period": 0}, ValueError, "period must be a finite number > 0, got 0"),
        ({"period": "5"}, TypeError, "period must be a number"),
        ({"parent": "nobody"}, ValueError, "no supervisor named 'nobody'"),
    ],
)
def test_supervisor_bad_input(kwargs: dict[str, object], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        ActorSystem().supervisor("s", **kwargs)  # type: ignore[arg-type]


def test_system_bad_input() -> None:
    with pytest.raises(TypeError, match="clock must be callable, got int: 3"):
        ActorSystem(clock=3)  # type: ignore[arg-type]
    system = ActorSystem()
    system.supervisor("root")
    with pytest.raises(ValueError, match="name already taken, got 'root'"):
        system.supervisor("root")
    with pytest.raises(ValueError, match="name must be a non-empty str, got ''"):
        system.spawn("", Counter, supervisor="root")
    with pytest.raises(TypeError, match="factory must be callable, got str"):
        system.spawn("x", "Counter", supervisor="root")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no supervisor named 'ghost'"):
        system.spawn("x", Counter, supervisor="ghost")
    with pytest.raises(ValueError, match="no actor named 'root'"):
        system.tell("root", "hi")  # a supervisor has no mailbox
    with pytest.raises(TypeError, match="to must be a str, got int: 5"):
        system.tell(5, "hi")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_messages must be >= 1, got 0"):
        system.run(max_messages=0)
    with pytest.raises(ValueError, match="no live actor named 'x'"):
        system.actor("x")
    with pytest.raises(ValueError, match="no actor or supervisor named 'x'"):
        system.is_alive("x")
