"""SWIM membership: probe, indirect probe through k members, suspicion, infection-style gossip.

Every member, once per protocol period, pings one other member (round-robin
over a shuffled list). No ack within ``ack_timeout``: it asks ``k`` random
members to ping the target for it (``ping-req``), so one lossy link or one
slow path does not condemn a healthy member. Still no ack by the end of the
period: the target is *suspected*, not dead. A suspicion is gossiped; the
suspect, on hearing it, refutes it by bumping its *incarnation number*; if
nobody refutes it within ``suspicion_timeout``, the suspicion becomes a
*confirm* (dead). Updates travel piggybacked on pings and acks, each resent
``retransmit · ceil(log2(n + 1))`` times, so dissemination costs no extra
messages.

Invariant: a member's view of another only moves forward in the order the
paper gives: ``alive(i) < suspect(i) < alive(i + 1)``, and ``dead`` is final.

=====================================  =========================
quantity                               cost
=====================================  =========================
messages per member per period         O(1): 2 + 4k worst case
expected periods to first detection    e / (e - 1) (the paper)
dissemination of an update             O(log n) periods
=====================================  =========================

>>> result = run_swim(8, seed=1)
>>> result.false_positives, result.first_confirm is not None
(0, True)

Primary sources: A. Das, I. Gupta, A. Motivala, "SWIM: Scalable
Weakly-consistent Infection-style Process Group Membership Protocol", DSN
2002; A. Dadgar, J. Phillips, J. Currey, "Lifeguard: Local Health Awareness
for More Accurate Failure Detection", 2018 (arXiv:1707.00788).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from studybook.distributed.simulator import BaseNode, Simulator

__all__ = ["Message", "SwimConfig", "SwimNode", "SwimRun", "first_detection_periods", "run_swim"]

#: Largest group :func:`run_swim` accepts, and the most protocol periods it
#: simulates (``until / period``): together they keep one run near a second.
MAX_SWIM_MEMBERS = 100
MAX_SWIM_PERIODS = 200

ALIVE, SUSPECT, DEAD = "alive", "suspect", "dead"
Update = tuple[str, str, int]  # (member, status, incarnation)


def _check_number(value: object, name: str, *, allow_zero: bool) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}: {value!r}")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "positive"
        raise ValueError(f"{name} must be finite and {bound}, got {value!r}")


def _check_int(value: object, name: str, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r}")
    if value < low:
        raise ValueError(f"{name} must be >= {low}, got {value!r}")


@dataclass(frozen=True)
class SwimConfig:
    """SWIM's knobs, in virtual time units.

    ``ack_timeout`` must exceed a round trip and ``period`` must leave room
    for the indirect path (four hops) after it; ``suspicion_timeout = 0``
    turns suspicion off (the first failed probe declares death, as in
    SWIM's basic protocol); ``indirect = 0`` turns off ``ping-req``.

    >>> SwimConfig(period=10, ack_timeout=12)
    Traceback (most recent call last):
    ValueError: ack_timeout must be < period, got 12 >= 10
    """

    period: float = 10.0
    ack_timeout: float = 3.2
    indirect: int = 3
    suspicion_timeout: float = 30.0
    retransmit: int = 3

    def __post_init__(self) -> None:
        _check_number(self.period, "period", allow_zero=False)
        _check_number(self.ack_timeout, "ack_timeout", allow_zero=False)
        _check_number(self.suspicion_timeout, "suspicion_timeout", allow_zero=True)
        _check_int(self.indirect, "indirect", 0)
        _check_int(self.retransmit, "retransmit", 1)
        if self.ack_timeout >= self.period:
            raise ValueError(
                f"ack_timeout must be < period, got {self.ack_timeout} >= {self.period}"
            )


@dataclass(frozen=True)
class Message:
    """``ping``, ``ack`` or ``ping-req`` (with its ``target``), plus piggybacked updates."""

    kind: str
    seq: int
    target: str = ""
    updates: tuple[Update, ...] = ()

    def __repr__(self) -> str:
        target = f" {self.target}" if self.target else ""
        return f"{self.kind}#{self.seq}{target}{list(self.updates) if self.updates else ''}"


class SwimNode(BaseNode):
    """One SWIM member; ``log`` collects ``(time, observer, member, status)`` view changes."""

    def __init__(
        self,
        node_id: str,
        members: tuple[str, ...],
        config: SwimConfig,
        log: list[tuple[float, str, str, str]],
    ) -> None:
        super().__init__(node_id)
        self.members = tuple(m for m in members if m != node_id)
        self.config = config
        self.log = log
        self._resends = config.retransmit * math.ceil(math.log2(len(members) + 1))
        self.on_crash()

    def on_crash(self) -> None:
        """Forget everything volatile (a crashed member does not come back in these runs)."""
        self.incarnation = 0
        self.view: dict[str, tuple[str, int]] = dict.fromkeys(self.members, (ALIVE, 0))
        self._buffer: dict[str, list[object]] = {}  # member -> [update, sends left]
        self._order: list[str] = []
        self._seq = 0
        self._probe: tuple[str, int] | None = None  # (target, seq) of this period's probe
        self._acked = True
        self._relays: dict[int, tuple[str, int]] = {}  # our seq -> (requester, its seq)

    def on_start(self, sim: Simulator) -> None:
        """Start probing at a random phase, so members do not probe in lockstep."""
        sim.set_timer(self.node_id, "tick", sim.rng.uniform(0.0, self.config.period))

    # -- the protocol period ---------------------------------------------

    def on_timer(self, sim: Simulator, name: str) -> None:
        """``tick``: close the last probe, open the next; ``timeout``: go indirect."""
        if name == "tick":
            if self._probe is not None and not self._acked:
                self._suspect(sim, self._probe[0])
            self._start_probe(sim)
            sim.set_timer(self.node_id, "tick", self.config.period)
        elif name == "timeout":
            if self._probe is not None and not self._acked:
                self._ask_for_help(sim, *self._probe)
        elif name.startswith("suspect:"):
            member = name.removeprefix("suspect:")
            status, inc = self.view[member]
            if status == SUSPECT:
                self._apply(sim, (member, DEAD, inc))

    def _start_probe(self, sim: Simulator) -> None:
        live = [m for m in self.members if self.view[m][0] != DEAD]
        if not live:
            self._probe = None
            return
        if not self._order:
            self._order = live[:]
            sim.rng.shuffle(self._order)
        target = self._order.pop()
        while self.view[target][0] == DEAD and self._order:
            target = self._order.pop()
        if self.view[target][0] == DEAD:
            self._probe = None
            return
        self._seq += 1
        self._probe, self._acked = (target, self._seq), False
        self._send(sim, target, "ping", self._seq)
        sim.set_timer(self.node_id, "timeout", self.config.ack_timeout)

    def _ask_for_help(self, sim: Simulator, target: str, seq: int) -> None:
        helpers = [m for m in self.members if m != target and self.view[m][0] == ALIVE]
        for helper in sim.rng.sample(helpers, min(self.config.indirect, len(helpers))):
            self._send(sim, helper, "ping-req", seq, target)

    def _suspect(self, sim: Simulator, member: str) -> None:
        status, inc = self.view[member]
        if status == ALIVE:
            verdict = SUSPECT if self.config.suspicion_timeout > 0 else DEAD
            self._apply(sim, (member, verdict, inc))

    # -- messages ------------------------------------------------------

    def on_message(self, sim: Simulator, src: str, msg: object) -> None:
        """Apply piggybacked updates, then answer pings, match acks, relay ping-reqs."""
        if not isinstance(msg, Message):
            raise TypeError(f"SWIM expects a Message, got {msg!r}")
        for update in msg.updates:
            self._apply(sim, update)
        if msg.kind == "ping":
            self._send(sim, src, "ack", msg.seq)
        elif msg.kind == "ack":
            if self._probe is not None and msg.seq == self._probe[1]:
                self._acked = True
            elif msg.seq in self._relays:
                requester, their_seq = self._relays.pop(msg.seq)
                self._send(sim, requester, "ack", their_seq)
        elif msg.kind == "ping-req":
            self._seq += 1
            self._relays[self._seq] = (src, msg.seq)
            self._send(sim, msg.target, "ping", self._seq)

    def _send(self, sim: Simulator, dst: str, kind: str, seq: int, target: str = "") -> None:
        updates = []
        for member in list(self._buffer):
            entry = self._buffer[member]
            updates.append(entry[0])
            entry[1] = int(entry[1]) - 1  # type: ignore[call-overload]
            if entry[1] == 0:
                del self._buffer[member]
        sim.send(self.node_id, dst, Message(kind, seq, target, tuple(updates)))  # type: ignore[arg-type]

    def _apply(self, sim: Simulator, update: Update) -> None:
        member, status, inc = update
        if member == self.node_id:
            if status == SUSPECT and inc >= self.incarnation:
                self.incarnation = inc + 1  # refute: a newer alive overrides the suspicion
                self._gossip((self.node_id, ALIVE, self.incarnation))
            return
        old_status, old_inc = self.view[member]
        newer = old_status != DEAD and (
            status == DEAD
            or (status == ALIVE and inc > old_inc)
            or (status == SUSPECT and (inc > old_inc or (inc == old_inc and old_status == ALIVE)))
        )
        if not newer:
            return
        self.view[member] = (status, inc)
        self.log.append((sim.now, self.node_id, member, status))
        self._gossip(update)
        if status == SUSPECT:
            sim.set_timer(self.node_id, f"suspect:{member}", self.config.suspicion_timeout)
        else:
            sim.cancel_timer(self.node_id, f"suspect:{member}")

    def _gossip(self, update: Update) -> None:
        self._buffer[update[0]] = [update, self._resends]


@dataclass(frozen=True)
class SwimRun:
    """What one seeded SWIM run measured (times are from the crash, in virtual time units)."""

    first_suspect: float | None
    first_confirm: float | None
    all_confirm: float | None
    false_suspicions: int
    false_positives: int
    messages: int
    log: list[tuple[float, str, str, str]] = field(repr=False)


def run_swim(
    n: int = 16,
    *,
    seed: int,
    loss: float = 0.0,
    crash_at: float = 50.0,
    until: float = 300.0,
    config: SwimConfig | None = None,
) -> SwimRun:
    """Run ``n`` SWIM members in the simulator; member ``n0`` crashes at ``crash_at``.

    Message delay is uniform in ``[0.5, 1.5]``; each message is lost with
    probability ``loss``. ``false_suspicions`` counts the live members that
    anyone suspected; ``false_positives`` the live members that anyone
    declared dead (a member declared dead counts once, however far the news
    spread).

    Raises:
        TypeError: a non-int ``n``, a config that is not a :class:`SwimConfig`.
        ValueError: ``n`` outside ``[3, 100]``, ``until / config.period``
            over 200 periods, ``crash_at`` outside ``[0, until]``, and what
            :class:`~studybook.distributed.simulator.Simulator` rejects.

    Complexity: O(n · until / period · (1 + k)) messages.

    >>> run_swim(2, seed=0)
    Traceback (most recent call last):
    ValueError: n must be >= 3, got 2
    """
    _check_int(n, "n", 3)
    if n > MAX_SWIM_MEMBERS:
        raise ValueError(f"n must be <= {MAX_SWIM_MEMBERS}, got {n!r}")
    config = SwimConfig() if config is None else config
    if not isinstance(config, SwimConfig):
        raise TypeError(f"config must be a SwimConfig, got {config!r}")
    _check_number(until, "until", allow_zero=False)
    if until / config.period > MAX_SWIM_PERIODS:
        raise ValueError(
            f"until must be <= {MAX_SWIM_PERIODS} periods of {config.period}, got {until!r}"
        )
    _check_number(crash_at, "crash_at", allow_zero=True)
    if crash_at > until:
        raise ValueError(f"crash_at must be <= until {until!r}, got {crash_at!r}")
    sim = Simulator(seed, delay=(0.5, 1.5), loss=loss)
    members = tuple(f"n{i}" for i in range(n))
    log: list[tuple[float, str, str, str]] = []
    for member in members:
        sim.add(SwimNode(member, members, config, log))
    sim.at(crash_at, lambda s: s.crash("n0"))
    sim.run(until=until)

    def first(status: str) -> float | None:
        times = [t for t, _, m, s in log if m == "n0" and s == status and t >= crash_at]
        return min(times) - crash_at if times else None

    confirms = {obs: t for t, obs, m, s in reversed(log) if m == "n0" and s == DEAD}
    all_confirm = max(confirms.values()) - crash_at if len(confirms) == n - 1 else None
    wrong = {(m, s, t) for t, _, m, s in log if m != "n0" or t < crash_at}
    return SwimRun(
        first_suspect=first(SUSPECT) if config.suspicion_timeout > 0 else first(DEAD),
        first_confirm=first(DEAD),
        all_confirm=all_confirm,
        false_suspicions=len({m for m, s, _ in wrong if s == SUSPECT}),
        false_positives=len({m for m, s, _ in wrong if s == DEAD}),
        messages=sum(e.kind in ("deliver", "drop") for e in sim.trace),
        log=log,
    )


def first_detection_periods(n: int, *, seed: int) -> int:
    """Periods until some member first probes a crashed one, in SWIM's synchronous model.

    The model of the paper's analysis: periods are aligned, the member
    crashes at the start of one, and in each period each of the ``n - 1``
    live members pings a target chosen uniformly among its ``n - 1`` peers.
    The result is geometric with success probability
    ``p = 1 - (1 - 1/(n - 1))^(n - 1)``, which tends to ``1 - 1/e``, so the
    mean tends to ``e / (e - 1) = 1.58`` periods whatever n is.

    Raises:
        TypeError: ``n`` or ``seed`` not an int (or a bool).
        ValueError: ``n`` outside ``[3, 1,000,000]``, a negative seed.

    Complexity: O(n) per period, O(n) expected in all.

    >>> [first_detection_periods(100, seed=s) for s in range(8)]
    [1, 1, 2, 2, 1, 1, 1, 2]
    """
    _check_int(n, "n", 3)
    _check_int(seed, "seed", 0)
    if n > 1_000_000:
        raise ValueError(f"n must be <= 1000000, got {n!r}")
    rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not crypto
    periods = 1
    while not any(rng.random() * (n - 1) < 1 for _ in range(n - 1)):
        periods += 1
    return periods
