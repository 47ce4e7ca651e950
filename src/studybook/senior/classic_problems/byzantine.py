"""The Byzantine generals: Lamport, Shostak and Pease's oral-messages algorithm OM(m).

A commanding general sends an order to ``n - 1`` lieutenants; up to ``m``
of the ``n`` generals (the commander included) are traitors who may send
anything, or nothing, to anyone. The algorithm must guarantee:

* **IC1**: all loyal lieutenants obey the same order;
* **IC2**: if the commander is loyal, every loyal lieutenant obeys the order
  he sends.

With *oral* messages (a receiver knows who sent a message, but a traitor can
forge what it relays) this is possible if and only if ``n >= 3m + 1``
(Lamport, Shostak, Pease, "The Byzantine Generals Problem", ACM TOPLAS 4(3),
1982: the impossibility in section 2, whose rigorous proof the paper leaves
to Pease, Shostak, Lamport, JACM 27(2), 1980; OM(m) and its Theorem 1 in
section 3). :func:`oral_messages` runs OM(m) recursively:

* OM(0): the commander sends his value to every lieutenant; each uses what it
  received, or :data:`RETREAT` if nothing arrived.
* OM(m), m > 0: the commander sends his value to every lieutenant; each
  lieutenant ``i`` then acts as the commander of OM(m - 1), relaying the value
  it received to the other ``n - 2``; finally ``i`` takes the strict majority
  of the value it got directly and the ``n - 2`` values the sub-runs gave it
  (:data:`RETREAT` when there is no strict majority).

A traitor's behaviour is a :data:`Strategy`, a function of the chain of
senders so far, the receiver and the value it should relay, returning what it
really sends (``None`` sends nothing). Loyal generals always relay truthfully.

Invariant: with ``n >= 3m + 1`` and at most ``m`` traitors, every run meets
IC1 and IC2 whatever the strategy (the tests check this exhaustively for small
``n`` and with Hypothesis for larger). With ``n = 3, m = 1`` a single lying
lieutenant breaks IC2. That is one algorithm failing, not the theorem: the
paper's argument shows that *every* three-general algorithm fails IC1 or IC2.

Cost: OM(m) sends ``(n-1) + (n-1)(n-2) + ... + (n-1)(n-2)...(n-m-1)``
messages in ``m + 1`` rounds, O(n^(m+1)) (the paper quotes the last, largest
term, "up to (n - 1)(n - 2) ... (n - m - 1) messages"): exponential in
``m``, which is why practical Byzantine protocols (PBFT, 1999) use
authenticated messages and views instead.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from studybook._validate import check_callable, check_int

__all__ = [
    "ATTACK",
    "RETREAT",
    "OMRun",
    "Strategy",
    "check_om",
    "liar",
    "majority",
    "message_count",
    "oral_messages",
    "random_strategy",
    "silent",
    "two_faced",
]

ATTACK = "attack"
"""The order to attack."""

RETREAT = "retreat"
"""The order to retreat, also the default when nothing arrives or there is no majority."""

Strategy = Callable[[tuple[int, ...], int, str], str | None]
"""The type of a traitor's behaviour, called as ``strategy(path, receiver, value)``.

``path`` is the chain of generals the value passed through, ending with the
traitor now sending; ``value`` is what it received (or, for a traitor
commander, the order it was given); ``None`` means send nothing.
"""


def liar(path: tuple[int, ...], receiver: int, value: str) -> str | None:
    """Always relay the opposite order.

    >>> liar((0,), 1, ATTACK), liar((0, 2), 1, RETREAT)
    ('retreat', 'attack')
    """
    return RETREAT if value == ATTACK else ATTACK


def two_faced(path: tuple[int, ...], receiver: int, value: str) -> str | None:
    """Tell even-numbered receivers to attack and odd-numbered ones to retreat.

    >>> [two_faced((0,), r, ATTACK) for r in (1, 2, 3)]
    ['retreat', 'attack', 'retreat']
    """
    return ATTACK if receiver % 2 == 0 else RETREAT


def silent(path: tuple[int, ...], receiver: int, value: str) -> str | None:
    """Send nothing at all (a crash is one kind of Byzantine behaviour).

    >>> silent((0,), 1, ATTACK) is None
    True
    """
    return None


def random_strategy(seed: int) -> Strategy:
    """A traitor that sends attack, retreat or nothing, chosen per message by a hash of ``seed``.

    The same seed, path and receiver always give the same choice, so a run
    replays exactly (``hashlib``, not the salted built-in ``hash``).

    Raises:
        TypeError: ``seed`` is not an int.

    >>> lie = random_strategy(7)
    >>> [lie((0,), r, ATTACK) for r in (1, 2, 3, 4)]
    ['attack', None, 'retreat', 'attack']
    """
    check_int(seed, "seed")

    def strategy(path: tuple[int, ...], receiver: int, value: str) -> str | None:
        digest = hashlib.sha256(f"{seed}|{path}|{receiver}".encode()).digest()
        return (ATTACK, RETREAT, None)[digest[0] % 3]

    return strategy


def majority(values: Iterable[str | None]) -> str:
    """The value held by more than half of ``values``, else :data:`RETREAT`.

    ``None`` (nothing received) counts as :data:`RETREAT`, as in the paper.

    Complexity: O(len(values)).

    >>> majority([ATTACK, ATTACK, RETREAT]), majority([ATTACK, RETREAT]), majority([])
    ('attack', 'retreat', 'retreat')
    """
    counts = Counter(RETREAT if v is None else v for v in values)
    total = sum(counts.values())
    for value, count in counts.items():
        if 2 * count > total:
            return value
    return RETREAT


@dataclass(frozen=True)
class OMRun:
    """The outcome of one run of OM(m): who was loyal and what each lieutenant decided."""

    n: int
    m: int
    order: str
    traitors: frozenset[int]
    decisions: dict[int, str]
    messages: int

    @property
    def loyal_decisions(self) -> dict[int, str]:
        """The decisions of the loyal lieutenants only."""
        return {g: d for g, d in self.decisions.items() if g not in self.traitors}

    @property
    def ic1(self) -> bool:
        """Whether IC1 holds, that is all loyal lieutenants decided the same order."""
        return len(set(self.loyal_decisions.values())) <= 1

    @property
    def ic2(self) -> bool:
        """Whether IC2 holds, that is a loyal commander (general 0) is obeyed by all."""
        return 0 in self.traitors or all(d == self.order for d in self.loyal_decisions.values())


def oral_messages(
    n: int,
    m: int,
    *,
    order: str = ATTACK,
    traitors: Iterable[int] = (),
    strategy: Strategy = liar,
) -> OMRun:
    """Run OM(m) with ``n`` generals; general 0 is the commander.

    Args:
        n: number of generals, an int in ``[2, 12]`` (the message count is
            O(n^(m+1))).
        m: the recursion depth, an int in ``[0, n - 2]``.
        order: the commander's order, :data:`ATTACK` or :data:`RETREAT`.
        traitors: the disloyal generals, distinct ints in ``[0, n)``; any
            number (to show what fails beyond ``m``).
        strategy: what every traitor sends (see :data:`Strategy`).

    Returns:
        An :class:`OMRun` with every lieutenant's decision and the number of
        messages sent.

    Raises:
        TypeError, ValueError: any argument out of range.

    Complexity: O(n^(m+1)) time and messages.

    >>> run = oral_messages(4, 1, traitors=[3])
    >>> run.decisions, run.ic1 and run.ic2, run.messages
    ({1: 'attack', 2: 'attack', 3: 'attack'}, True, 9)
    >>> oral_messages(3, 1, traitors=[2]).decisions      # n = 3: IC2 fails
    {1: 'retreat', 2: 'attack'}
    >>> oral_messages(4, 3)
    Traceback (most recent call last):
        ...
    ValueError: m must be in [0, 2], got 3
    """
    n = check_int(n, "n", minimum=2, maximum=12)
    m = check_int(m, "m", minimum=0, maximum=n - 2)
    if order not in (ATTACK, RETREAT):
        raise ValueError(f"order must be {ATTACK!r} or {RETREAT!r}, got {order!r}")
    if isinstance(traitors, str | bytes) or not isinstance(traitors, Iterable):
        raise TypeError(f"traitors must be an iterable of ints, got {traitors!r}")
    chosen = list(traitors)
    bad = [t for t in chosen if isinstance(t, bool) or not isinstance(t, int)]
    if bad or len(set(chosen)) != len(chosen) or any(not 0 <= t < n for t in chosen):
        raise ValueError(f"traitors must be distinct ints in [0, {n}), got {chosen!r}")
    check_callable(strategy, "strategy")
    run = _OM(frozenset(chosen), strategy)
    decisions = run.om(m, 0, tuple(range(1, n)), order, ())
    return OMRun(n, m, order, frozenset(chosen), decisions, run.messages)


class _OM:
    """The recursion of OM(m), with the traitors, their strategy and a message counter."""

    def __init__(self, traitors: frozenset[int], strategy: Strategy) -> None:
        self.traitors = traitors
        self.strategy = strategy
        self.messages = 0

    def om(
        self, m: int, commander: int, lieutenants: Sequence[int], value: str, path: tuple[int, ...]
    ) -> dict[int, str]:
        """What each of ``lieutenants`` takes as ``commander``'s value after OM(m)."""
        path = (*path, commander)
        received = {lt: self.send(path, lt, value) for lt in lieutenants}
        if m == 0:
            return {lt: RETREAT if v is None else v for lt, v in received.items()}
        relayed = {
            j: self.om(
                m - 1, j, [lt for lt in lieutenants if lt != j], received[j] or RETREAT, path
            )
            for j in lieutenants
        }
        return {
            i: majority([received[i], *(relayed[j][i] for j in lieutenants if j != i)])
            for i in lieutenants
        }

    def send(self, path: tuple[int, ...], receiver: int, value: str) -> str | None:
        """One oral message: the truth from a loyal sender, the strategy's choice from a traitor."""
        self.messages += 1
        if path[-1] not in self.traitors:
            return value
        sent = self.strategy(path, receiver, value)
        if sent is not None and sent not in (ATTACK, RETREAT):
            raise ValueError(f"strategy must return {ATTACK!r}, {RETREAT!r} or None, got {sent!r}")
        return sent


def message_count(n: int, m: int) -> int:
    """Messages OM(m) sends with ``n`` generals: ``sum over k <= m of (n-1)(n-2)...(n-1-k)``.

    Raises:
        TypeError, ValueError: ``n < 2`` or ``m`` outside ``[0, n - 2]``.

    Complexity: O(m).

    >>> message_count(4, 1), message_count(7, 2), message_count(10, 3)
    (9, 156, 3609)
    """
    n = check_int(n, "n", minimum=2)
    m = check_int(m, "m", minimum=0, maximum=n - 2)
    total, product = 0, 1
    for k in range(m + 1):
        product *= n - 1 - k
        total += product
    return total


def check_om(n: int, m: int, traitor_count: int, *, seeds: int = 8) -> tuple[int, int]:
    """Run OM(m) against every set of ``traitor_count`` traitors; count runs and failures.

    Each traitor set is tried with both orders and with the strategies
    :func:`liar`, :func:`two_faced`, :func:`silent` and
    ``random_strategy(s)`` for ``s`` in ``range(seeds)``.

    Args:
        n, m: as for :func:`oral_messages`.
        traitor_count: how many traitors, an int in ``[0, n]``.
        seeds: how many random strategies, an int in ``[0, 1000]``.

    Returns:
        ``(runs, violations)``: violations are runs breaking IC1 or IC2.

    Raises:
        TypeError, ValueError: arguments out of range.

    Complexity: O(C(n, t) * (seeds + 3) * n^(m+1)).

    >>> check_om(3, 1, 1), check_om(4, 1, 1)
    ((66, 16), (88, 0))
    """
    n = check_int(n, "n", minimum=2, maximum=12)
    m = check_int(m, "m", minimum=0, maximum=n - 2)
    traitor_count = check_int(traitor_count, "traitor_count", minimum=0, maximum=n)
    seeds = check_int(seeds, "seeds", minimum=0, maximum=1000)
    strategies = [liar, two_faced, silent, *(random_strategy(s) for s in range(seeds))]
    runs = violations = 0
    for traitors in itertools.combinations(range(n), traitor_count):
        for order in (ATTACK, RETREAT):
            for strategy in strategies:
                run = oral_messages(n, m, order=order, traitors=traitors, strategy=strategy)
                runs += 1
                violations += not (run.ic1 and run.ic2)
    return runs, violations
