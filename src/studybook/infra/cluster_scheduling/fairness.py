"""Dominant Resource Fairness: max-min fairness on each user's most-needed resource.

A user's *dominant share* is the largest fraction of any one resource it has
been given. DRF (Ghodsi et al., NSDI 2011) equalises dominant shares by
*progressive filling*: the next task always goes to the user whose dominant
share is lowest. This implementation follows the book's contract exactly:
among the users whose next task still fits in what is left, the one with the
lowest dominant share gets it, ties go to the user listed first, and filling
stops when no user's next task fits.

A simpler loop stops as soon as the lowest-share user's next task does not
fit, as the paper's short pseudocode (Algorithm 1) does in our reading of it;
skipping that user and serving the others, as here, gives the same answer
on the paper's example and never leaves room that some user's task could use.

>>> drf((9, 18), {"A": (1, 4), "B": (3, 1)})
{'A': 3, 'B': 2}
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from studybook._validate import check_int, check_str
from studybook.infra.cluster_scheduling._check import exact_vector

__all__ = ["MAX_TASKS", "DrfStep", "dominant_share", "drf", "drf_trace"]

Number = int | float

#: drf refuses inputs that could hand out more tasks than this (one step per task).
MAX_TASKS = 100_000


@dataclass(frozen=True)
class DrfStep:
    """One launch in progressive filling."""

    user: str
    tasks: int  #: the user's task count after this launch
    dominant_share: Fraction  #: the user's dominant share after this launch
    consumed: tuple[Fraction, ...]  #: the cluster's total allocation after this launch


def drf(capacity: Sequence[Number], demands: Mapping[str, Sequence[Number]]) -> dict[str, int]:
    """Allocate whole tasks to users by Dominant Resource Fairness.

    Args:
        capacity: the cluster's total of each resource, e.g. ``(cpus, gb)``; all > 0.
        demands: user -> the per-task demand, one amount per resource (zeros
            allowed, but not all zeros: a task that needs nothing would be
            launched forever). Users are served in tie order as listed.

    Returns:
        user -> number of tasks, in the order of ``demands``.

    Raises:
        TypeError: ``demands`` not a mapping, a non-str user, a non-number or bool amount.
        ValueError: empty input, a demand of the wrong length, a negative,
            NaN, infinite or all-zero amount, a zero capacity, or more than
            :data:`MAX_TASKS` tasks possible.

    Complexity: O((T + n)·(log n + d)) for T tasks launched, n users and d
    resources: a heap keyed by dominant share picks the next user.

    >>> drf((10, 10), {"cpu-bound": (2, 1), "memory-bound": (1, 2)})
    {'cpu-bound': 3, 'memory-bound': 3}
    >>> drf((9, 18), {"A": (1, 4), "B": (0, 0)})
    Traceback (most recent call last):
        ...
    ValueError: demands['B'] must ask for some resource, got all zeros: (0, 0)
    """
    cap, users = _checked(capacity, demands)
    tasks = dict.fromkeys(users, 0)
    for step in _fill(cap, users):
        tasks[step.user] = step.tasks
    return tasks


def drf_trace(capacity: Sequence[Number], demands: Mapping[str, Sequence[Number]]) -> list[DrfStep]:
    """Every launch of :func:`drf`, in order: who got a task and the state after it.

    Raises and complexity as :func:`drf`.

    >>> for s in drf_trace((9, 18), {"A": (1, 4), "B": (3, 1)}):
    ...     print(s.user, s.tasks, s.dominant_share, [str(x) for x in s.consumed])
    A 1 2/9 ['1', '4']
    B 1 1/3 ['4', '5']
    A 2 4/9 ['5', '9']
    B 2 2/3 ['8', '10']
    A 3 2/3 ['9', '14']
    """
    return _fill(*_checked(capacity, demands))


def _fill(cap: tuple[Fraction, ...], users: dict[str, tuple[Fraction, ...]]) -> list[DrfStep]:
    """Progressive filling over validated, exact inputs, with a heap of dominant shares.

    The heap is keyed by (dominant share, position in the listing), so the
    smallest key is the lowest share with ties to the user listed first. A
    user whose next task does not fit is dropped for good: usage only grows,
    so that task will never fit later. Each pop launches a task or drops a
    user, hence O((T + n) log n) heap work.
    """
    per_task = {u: _per_task_share(d, cap) for u, d in users.items()}
    tasks = dict.fromkeys(users, 0)
    consumed = tuple(Fraction(0) for _ in cap)
    heap = [(Fraction(0), i, u) for i, u in enumerate(users)]  # sorted already: a valid heap
    steps: list[DrfStep] = []
    while heap:
        share, i, user = heapq.heappop(heap)
        demand = users[user]
        if not all(c + x <= total for c, x, total in zip(consumed, demand, cap, strict=True)):
            continue  # this user's next task no longer fits, and never will again
        tasks[user] += 1
        share += per_task[user]
        consumed = tuple(c + x for c, x in zip(consumed, demand, strict=True))
        steps.append(DrfStep(user, tasks[user], share, consumed))
        heapq.heappush(heap, (share, i, user))
    return steps


def dominant_share(
    demand: Sequence[Number], capacity: Sequence[Number], tasks: int = 1
) -> Fraction:
    """The largest fraction of any one resource that ``tasks`` tasks of ``demand`` take.

    Raises:
        TypeError: a non-number or bool amount, ``tasks`` not an int.
        ValueError: as :func:`drf` for the vectors; ``tasks`` below 0.

    Complexity: O(d).

    >>> dominant_share((1, 4), (9, 18)), dominant_share((3, 1), (9, 18), tasks=2)
    (Fraction(2, 9), Fraction(2, 3))
    >>> dominant_share((1, 4), (9, 18), tasks=-1)
    Traceback (most recent call last):
        ...
    ValueError: tasks must be >= 0, got -1
    """
    cap = exact_vector(capacity, "capacity")
    vec = exact_vector(demand, "demand", length=len(cap), positive=False)
    return check_int(tasks, "tasks", minimum=0) * _per_task_share(vec, cap)


def _per_task_share(demand: tuple[Fraction, ...], cap: tuple[Fraction, ...]) -> Fraction:
    return max(x / c for x, c in zip(demand, cap, strict=True))


def _checked(
    capacity: object, demands: object
) -> tuple[tuple[Fraction, ...], dict[str, tuple[Fraction, ...]]]:
    cap = exact_vector(capacity, "capacity")
    if not isinstance(demands, Mapping):
        raise TypeError(
            f"demands must be a mapping user -> demand, got {type(demands).__name__}: {demands!r}"
        )
    if not demands:
        raise ValueError(f"demands must name at least one user, got {demands!r}")
    users: dict[str, tuple[Fraction, ...]] = {}
    bound = 0
    for user, demand in demands.items():
        check_str(user, "user", nonempty=True)
        vec = exact_vector(demand, f"demands[{user!r}]", length=len(cap), positive=False)
        users[user] = vec
        # Alone in the cluster a user could run this many tasks: a bound on the loop.
        bound += min(int(c // x) for x, c in zip(vec, cap, strict=True) if x)
    if bound > MAX_TASKS:
        raise ValueError(
            f"demands could launch up to {bound} tasks, more than MAX_TASKS = {MAX_TASKS}; "
            f"scale the capacity or the demands"
        )
    return cap, users
