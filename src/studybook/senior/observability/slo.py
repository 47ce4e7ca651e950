"""SLOs, error budgets and multiwindow, multi-burn-rate alerts (Google SRE Workbook, chapter 5).

An SLI is a ratio of good events to valid events; an SLO is a target for it
over a period (99.9 % of requests succeed over 30 days); the *error budget*
is what the SLO allows to fail, ``1 - SLO``. The *burn rate* is how fast the
budget is being spent relative to spending it evenly: an error ratio ``e``
burns at ``e / (1 - SLO)``; at burn rate 1 the budget lasts exactly the
period. An alert that should fire when a fraction ``f`` of the budget is
spent within a window ``w`` therefore uses the threshold
``f * period / w``, which gives the workbook's table (30-day period):

========  ===========  ============  =========  ===============
severity  long window  short window  burn rate  budget consumed
========  ===========  ============  =========  ===============
page      1 h          5 m           14.4       2 %
page      6 h          30 m          6          5 %
ticket    3 d          6 h           1          10 %
========  ===========  ============  =========  ===============

An alert fires when the burn rate exceeds its threshold over *both* its long
window (significance) and its short window, 1/12 of the long one (so the
alert stops soon after the errors do).

>>> [(r.long_window, r.short_window, r.burn_rate) for r in workbook_rules()]
[(60, 5, 14.4), (360, 30, 6.0), (4320, 360, 1.0)]

Primary source: "Alerting on SLOs", chapter 5 of B. Beyer, N. R. Murphy et al.
(eds.), *The Site Reliability Workbook*, O'Reilly 2018 (table 5-8).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from studybook._validate import check_int, check_real, check_str

__all__ = [
    "AlertRule",
    "burn_rate",
    "burn_rate_threshold",
    "detection_minutes",
    "error_budget",
    "evaluate",
    "first_firing",
    "incident",
    "reset_minutes",
    "workbook_rules",
]

MINUTES_PER_DAY = 24 * 60


def error_budget(slo: float) -> float:
    """Return the fraction of events the SLO allows to fail, ``1 - slo``.

    Raises:
        ValueError: ``slo`` not strictly between 0 and 1.

    Complexity: O(1).

    >>> round(error_budget(0.999), 6)
    0.001
    >>> error_budget(1.0)
    Traceback (most recent call last):
        ...
    ValueError: slo must be strictly between 0 and 1, got 1.0
    """
    value = check_real(slo, "slo")
    if not 0 < value < 1:
        raise ValueError(f"slo must be strictly between 0 and 1, got {slo!r}")
    return 1 - value


def burn_rate(error_ratio: float, slo: float) -> float:
    """Return how many times faster than even spending an ``error_ratio`` uses the budget.

    Complexity: O(1).

    >>> round(burn_rate(0.0144, 0.999), 6)
    14.4
    >>> burn_rate(1.5, 0.999)
    Traceback (most recent call last):
        ...
    ValueError: error_ratio must be a finite number in [0, 1], got 1.5
    """
    return check_real(error_ratio, "error_ratio", low=0, high=1) / error_budget(slo)


def burn_rate_threshold(
    budget_fraction: float, window_minutes: int, period_days: int = 30
) -> float:
    """Return the burn rate at which ``budget_fraction`` of the budget goes in ``window_minutes``.

    Complexity: O(1).

    >>> round(burn_rate_threshold(0.02, 60), 6), round(burn_rate_threshold(0.05, 360), 6)
    (14.4, 6.0)
    """
    fraction = check_real(budget_fraction, "budget_fraction", low=0, high=1, positive=True)
    window = check_int(window_minutes, "window_minutes", minimum=1)
    days = check_int(period_days, "period_days", minimum=1)
    return fraction * days * MINUTES_PER_DAY / window


@dataclass(frozen=True)
class AlertRule:
    """One row of the alerting table: windows in minutes and the burn-rate threshold.

    Raises:
        ValueError: a window below 1 minute, a short window longer than the long
            one, a burn rate that is not finite and > 0, or a budget fraction
            outside [0, 1].
        TypeError: windows that are not ints, or numbers that are not numbers.

    >>> AlertRule("page", 5, 60, 14.4, 0.02)
    Traceback (most recent call last):
        ...
    ValueError: short_window must be in [1, 5], got 60
    """

    severity: str
    long_window: int
    short_window: int
    burn_rate: float
    budget_fraction: float

    def __post_init__(self) -> None:
        check_str(self.severity, "severity", nonempty=True)
        long = check_int(self.long_window, "long_window", minimum=1)
        check_int(self.short_window, "short_window", minimum=1, maximum=long)
        check_real(self.burn_rate, "burn_rate", positive=True)
        check_real(self.budget_fraction, "budget_fraction", low=0, high=1)


def workbook_rules(period_days: int = 30) -> list[AlertRule]:
    """Return the workbook's recommended rules, thresholds computed by :func:`burn_rate_threshold`.

    Short windows are 1/12 of the long ones, as the workbook suggests.

    Complexity: O(1).
    """
    rows = (("page", 60, 0.02), ("page", 6 * 60, 0.05), ("ticket", 3 * MINUTES_PER_DAY, 0.10))
    return [
        AlertRule(
            severity,
            long,
            long // 12,
            round(burn_rate_threshold(fraction, long, period_days), 9),
            fraction,
        )
        for severity, long, fraction in rows
    ]


def evaluate(stream: Sequence[tuple[int, int]], slo: float, rule: AlertRule) -> list[bool]:
    """Return, for each minute of ``stream``, whether ``rule`` fires at its end.

    ``stream[i]`` is ``(requests, errors)`` in minute ``i``. A window's error
    ratio is errors over requests in its last ``window`` minutes (fewer at
    the start); a window without requests has ratio 0. The rule fires when
    both windows' burn rates exceed the threshold.

    Raises:
        ValueError: negative counts, or more errors than requests.
        TypeError: counts that are not ints.

    Complexity: O(len(stream)) with prefix sums.

    >>> page = workbook_rules()[0]
    >>> evaluate([(1000, 0)] * 3 + [(1000, 1000)] * 2 + [(1000, 0)] * 6, 0.999, page)
    [False, False, False, True, True, True, True, True, True, False, False]
    """
    budget = error_budget(slo)
    if not isinstance(rule, AlertRule):
        raise TypeError(f"rule must be an AlertRule, got {rule!r}")
    requests = [0]
    errors = [0]
    for minute, pair in enumerate(stream):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"stream[{minute}] must be a (requests, errors) tuple, got {pair!r}")
        total = check_int(pair[0], f"stream[{minute}] requests", minimum=0)
        bad = check_int(pair[1], f"stream[{minute}] errors", minimum=0, maximum=total)
        requests.append(requests[-1] + total)
        errors.append(errors[-1] + bad)

    def rate(end: int, window: int) -> float:
        start = max(0, end - window)
        total = requests[end] - requests[start]
        return 0.0 if total == 0 else (errors[end] - errors[start]) / total / budget

    return [
        rate(end, rule.long_window) > rule.burn_rate
        and rate(end, rule.short_window) > rule.burn_rate
        for end in range(1, len(stream) + 1)
    ]


def first_firing(firing: Sequence[bool], start: int = 0) -> int | None:
    """Return the first minute index >= ``start`` at which ``firing`` is true, or ``None``.

    >>> first_firing([False, True, True], 0), first_firing([False, False], 0)
    (1, None)
    """
    check_int(start, "start", minimum=0)
    return next((i for i in range(start, len(firing)) if firing[i]), None)


def detection_minutes(error_ratio: float, slo: float, rule: AlertRule) -> int | None:
    """Return the whole minutes from the start of a constant ``error_ratio`` until ``rule`` fires.

    From a clean history, after ``k`` minutes the long window's ratio is
    ``k * e / long`` (while ``k <= long``), so it first exceeds
    ``threshold * budget`` at ``k = floor(threshold * budget * long / e) + 1``;
    the short window, being shorter, crosses no later. ``None`` if the error
    ratio itself is not above ``threshold * budget`` (the alert never fires).
    This is the workbook's "time to detect = budget / error ratio * window *
    burn rate", rounded up to the next whole minute.

    Complexity: O(1).

    >>> page = workbook_rules()[0]
    >>> detection_minutes(1.0, 0.999, page), detection_minutes(0.05, 0.999, page)
    (1, 18)
    >>> detection_minutes(0.01, 0.999, page) is None
    True
    """
    ratio = check_real(error_ratio, "error_ratio", low=0, high=1)
    budget = error_budget(slo)
    if not isinstance(rule, AlertRule):
        raise TypeError(f"rule must be an AlertRule, got {rule!r}")
    target = rule.burn_rate * budget
    if ratio <= target:
        return None
    return math.floor(target * rule.long_window / ratio) + 1


def incident(
    minutes_before: int, minutes_bad: int, error_ratio: float, minutes_after: int, rate: int = 1000
) -> list[tuple[int, int]]:
    """Return a synthetic stream: clean, then ``error_ratio`` of ``rate`` failing, then clean.

    Complexity: O(total minutes).

    >>> incident(1, 2, 0.5, 1, rate=10)
    [(10, 0), (10, 5), (10, 5), (10, 0)]
    """
    before = check_int(minutes_before, "minutes_before", minimum=0)
    bad_minutes = check_int(minutes_bad, "minutes_bad", minimum=0)
    after = check_int(minutes_after, "minutes_after", minimum=0)
    per_minute = check_int(rate, "rate", minimum=1)
    bad = round(per_minute * check_real(error_ratio, "error_ratio", low=0, high=1))
    return (
        [(per_minute, 0)] * before + [(per_minute, bad)] * bad_minutes + [(per_minute, 0)] * after
    )


def reset_minutes(firing: Sequence[bool], end: int) -> int | None:
    """Return for how many clean minutes after the errors stop (at ``end``) the alert still fires.

    ``None`` if it never stops within the stream.

    >>> reset_minutes([True, True, True, False], 1)
    2
    """
    stop = first_firing([not f for f in firing], end)
    return None if stop is None else stop - end
