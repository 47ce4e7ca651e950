"""Availability in nines: allowed downtime per year, month and week, and composition.

An availability target such as "three nines" (99.9 %) is a downtime budget:
the fraction 1 - A of every period. Interviewers ask for the figures (8.77
hours a year at three nines, 52.6 minutes at four) and for the effect of
dependencies: components that must all work (in series) multiply their
availabilities, so a chain is *less* available than its weakest link;
redundant copies of which any one suffices (in parallel) multiply their
*unavailabilities*, so two 99 % replicas give 99.99 %, if they fail
independently, which is the assumption to question.

Period lengths, stated because they change the answer: a year is the Julian
year of 365.25 days (31,557,600 s, the average over leap years), a month is a
twelfth of that (30.4375 days), a week is 7 days and a day 86,400 s. Service
level agreements usually measure per calendar month; a 31-day month allows
2 % more downtime than the average month used here.

Invariant: downtime = (1 - A) x period for every period; series and
parallel results stay in [0, 1].

========================  ==============================  ========
function                  answers                         cost
========================  ==============================  ========
downtime                  budget per year/month/week/day  O(1)
nines                     3 -> 0.999                      O(1)
availability_in_series    all parts needed                O(n)
availability_in_parallel  any one part suffices           O(n)
========================  ==============================  ========

>>> round(downtime(nines(3)).per_year / 3600, 2)  # hours a year at three nines
8.77

Primary source: B. Beyer, C. Jones, J. Petoff, N. R. Murphy (eds.), *Site
Reliability Engineering*, O'Reilly, 2016, chapter 3 "Embracing Risk"
(availability as a budget of unavailability).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from studybook.fundamentals.latency_numbers.units import SECONDS_PER_DAY, check_number

__all__ = [
    "SECONDS_PER_MONTH",
    "SECONDS_PER_WEEK",
    "SECONDS_PER_YEAR",
    "Downtime",
    "availability_in_parallel",
    "availability_in_series",
    "downtime",
    "nines",
]

#: The Julian year of 365.25 days, the average calendar year over a four-year leap cycle.
SECONDS_PER_YEAR = 365.25 * SECONDS_PER_DAY
#: A twelfth of a Julian year, 30.4375 days.
SECONDS_PER_MONTH = SECONDS_PER_YEAR / 12
#: Seven days.
SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY


@dataclass(frozen=True)
class Downtime:
    """The downtime an availability allows, in seconds per period."""

    availability: float
    per_year: float
    per_month: float
    per_week: float
    per_day: float


def downtime(availability: float) -> Downtime:
    """Return the downtime budget of ``availability`` (a fraction, 0.999 for 99.9 %).

    Args:
        availability: the fraction of time up, from 0 to 1 inclusive.

    Returns:
        Allowed downtime per year, month, week and day, in seconds (see the
        module docstring for the period lengths).

    Raises:
        TypeError: not a number, or a ``bool``.
        ValueError: NaN, infinite, or outside [0, 1] (99.9 is a percentage:
            pass 0.999).

    Complexity: O(1).

    >>> d = downtime(0.9999)
    >>> [round(s) for s in (d.per_year, d.per_month, d.per_week, d.per_day)]
    [3156, 263, 60, 9]
    >>> downtime(99.9)
    Traceback (most recent call last):
    ValueError: availability must be a fraction from 0 to 1 (0.999 for 99.9 %), got 99.9
    """
    a = _check_fraction(availability, "availability")
    down = 1.0 - a
    return Downtime(
        a,
        down * SECONDS_PER_YEAR,
        down * SECONDS_PER_MONTH,
        down * SECONDS_PER_WEEK,
        down * SECONDS_PER_DAY,
    )


def _check_fraction(value: object, what: str) -> float:
    number = check_number(value, what, minimum=-math.inf)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{what} must be a fraction from 0 to 1 (0.999 for 99.9 %), got {value!r}")
    return number


def nines(n: float) -> float:
    """Return the availability with ``n`` nines: 1 - 10^-n (``nines(3)`` is 0.999).

    Fractional nines are allowed: "three and a half nines" is 99.95 %
    (1 - 10^-3.5 is 99.968 %, which is why people say 99.95 % instead).

    Args:
        n: the number of nines, from 0 to 15 (float precision ends there).

    Returns:
        The availability as a fraction.

    Raises:
        TypeError, ValueError: not a finite number from 0 to 15.

    Complexity: O(1).

    >>> nines(3), nines(5)
    (0.999, 0.99999)
    >>> nines(-1)
    Traceback (most recent call last):
    ValueError: nines must be at least 0, got -1
    """
    count = check_number(n, "nines")
    if count > 15:
        raise ValueError(f"nines must be at most 15 (float precision), got {n!r}")
    # round() so nines(3) is exactly the float 0.999 rather than 0.9990000000000001.
    return round(1.0 - math.pow(10.0, -count), 15)


def availability_in_series(*parts: float) -> float:
    """Return the availability of a system that needs *every* part up: the product.

    Args:
        *parts: each part's availability, a fraction from 0 to 1; at least one.

    Returns:
        The product of the availabilities (independent failures assumed).

    Raises:
        TypeError, ValueError: no parts, or a part that is not a fraction.

    Complexity: O(n).

    >>> round(availability_in_series(0.999, 0.999), 6)
    0.998001
    >>> availability_in_series()
    Traceback (most recent call last):
    ValueError: need at least one availability, got none
    """
    values = _check_parts(parts)
    return math.prod(values)


def availability_in_parallel(*parts: float) -> float:
    """Return the availability of redundant parts where *any one* up suffices.

    Args:
        *parts: each part's availability, a fraction from 0 to 1; at least one.

    Returns:
        1 - the product of the unavailabilities (independent failures assumed).

    Raises:
        TypeError, ValueError: no parts, or a part that is not a fraction.

    Complexity: O(n).

    >>> round(availability_in_parallel(0.99, 0.99), 6)
    0.9999
    >>> availability_in_parallel(0.9, float("nan"))
    Traceback (most recent call last):
    ValueError: availability must be a finite number, got nan
    """
    values = _check_parts(parts)
    return 1.0 - math.prod(1.0 - a for a in values)


def _check_parts(parts: tuple[float, ...]) -> list[float]:
    if not parts:
        raise ValueError("need at least one availability, got none")
    return [_check_fraction(a, "availability") for a in parts]
