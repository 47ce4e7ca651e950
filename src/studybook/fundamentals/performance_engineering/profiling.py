"""Measure first: cProfile, timeit and tracemalloc, used on the book's own code.

Three standard-library tools answer the three questions to ask before
optimising anything:

===========  =========================================  ===============================
tool         answers                                    how
===========  =========================================  ===============================
cProfile     where does the time go? (which functions,  deterministic: a hook on every
             how many calls)                            call and return; costs overhead
timeit       how long does this one thing take?         runs it many times, keeps the
                                                        best of several repeats
tracemalloc  how much memory does it allocate, and      hooks Python's allocators;
             where?                                     records peak and current size
===========  =========================================  ===============================

Call counts are exact and repeatable, so they are what the doctests show;
times and sizes vary from run to run and machine to machine, so the doctests
show their shape and the demo prints this machine's figures.

>>> from studybook.dsa.sorting_searching import merge_sort
>>> rows = profile_calls(lambda: merge_sort(list(range(1000))), limit=100)
>>> {r.function: r.calls for r in rows if r.function.endswith("merge_sort")}
{'comparison_sorts.py:merge_sort': 1999}

Primary sources: the Python documentation, "The Python Profilers"
(``cProfile``, ``pstats``), ``timeit`` and ``tracemalloc``.
"""

from __future__ import annotations

import cProfile
import pstats
import timeit
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studybook.fundamentals.performance_engineering._check import check_count

__all__ = ["MemoryUse", "ProfileRow", "memory_use", "profile_calls", "time_per_call"]


@dataclass(frozen=True)
class ProfileRow:
    """One function's line of a profile (times in seconds, including profiler overhead).

    ``calls`` counts every call; ``primitive_calls`` only those that were not
    recursive (pstats prints ``calls/primitive_calls`` when they differ).
    ``own_time`` excludes time in callees; ``cumulative_time`` includes it.
    """

    function: str
    calls: int
    primitive_calls: int
    own_time: float
    cumulative_time: float


def profile_calls(func: Callable[[], object], *, limit: int = 10) -> list[ProfileRow]:
    """Run ``func()`` under cProfile and return its busiest functions by call count.

    Functions are named ``file.py:name`` (no directory and no line number,
    so the names survive edits elsewhere in the file); built-ins keep
    cProfile's own label. Ties in call count are broken by name.

    Args:
        func: a callable taking no arguments (wrap arguments in a lambda).
        limit: how many rows to return, at least 1.

    Returns:
        Up to ``limit`` :class:`ProfileRow`, most calls first.

    Raises:
        TypeError: ``func`` not callable; ``limit`` not an int.
        ValueError: ``limit < 1``.

    Whatever ``func`` raises propagates.

    Complexity: the cost of ``func`` plus the profiler's overhead per call,
    then O(f log f) for f distinct functions.

    Top-down merge sort of n items makes 2n - 1 calls (one per node of the
    recursion tree, only the first of them not recursive) and n - 1 merges:

    >>> from studybook.dsa.sorting_searching import merge_sort
    >>> rows = profile_calls(lambda: merge_sort(list(range(1024))), limit=100)
    >>> [(r.function, r.calls, r.primitive_calls) for r in rows if "merge" in r.function]
    [('comparison_sorts.py:merge_sort', 2047, 1), ('comparison_sorts.py:_merge', 1023, 1023)]
    >>> profile_calls(print, limit=0)
    Traceback (most recent call last):
    ValueError: limit must be at least 1, got 0
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}: {func!r}")
    rows_wanted = check_count(limit, "limit", minimum=1)
    profiler = cProfile.Profile()
    profiler.runcall(func)
    stats = pstats.Stats(profiler)
    rows = [
        ProfileRow(_label(filename, name), calls, primitive, own, cumulative)
        for (filename, _line, name), (primitive, calls, own, cumulative, _callers) in (
            stats.stats.items()  # type: ignore[attr-defined]  # pstats documents it, typeshed omits it
        )
        if name != "<lambda>" and "disable' of '_lsprof" not in name
    ]
    rows.sort(key=lambda r: (-r.calls, r.function))
    return rows[:rows_wanted]


def _label(filename: str, name: str) -> str:
    return name if filename == "~" else f"{Path(filename).name}:{name}"


def time_per_call(
    func: Callable[[], object], *, repeat: int = 5, number: int | None = None
) -> float:
    """Return the best time of one ``func()`` call, in seconds, measured with ``timeit``.

    Each timed loop calls ``func`` ``number`` times; by default
    ``Timer.autorange`` picks a count that takes at least 0.2 s. The loop is
    repeated ``repeat`` times and the fastest is kept: the minimum is the run
    least disturbed by the rest of the machine, which is what the ``timeit``
    documentation recommends reporting.

    Args:
        func: a callable taking no arguments.
        repeat: how many timed loops, at least 1.
        number: calls per loop, at least 1; ``None`` to let ``autorange`` choose.

    Raises:
        TypeError: ``func`` not callable; ``repeat`` or ``number`` not an int.
        ValueError: ``repeat`` or ``number`` below 1.

    Complexity: ``repeat · number`` calls of ``func`` (with ``autorange``,
    about 0.2 s · (repeat + 1) of wall time).

    >>> t = time_per_call(lambda: sum(range(100)), repeat=3, number=1000)
    >>> 0 < t < 0.01
    True
    >>> time_per_call(lambda: None, number=0)
    Traceback (most recent call last):
    ValueError: number must be at least 1, got 0
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}: {func!r}")
    loops = check_count(repeat, "repeat", minimum=1)
    timer = timeit.Timer(func)
    calls = timer.autorange()[0] if number is None else check_count(number, "number", minimum=1)
    return min(timer.repeat(repeat=loops, number=calls)) / calls


@dataclass(frozen=True)
class MemoryUse:
    """Bytes allocated through Python's allocators while a call ran (tracemalloc's view).

    ``retained`` is what was still allocated when the call returned (its
    result, caches it filled); ``peak`` is the highest point during the call.
    """

    retained: int
    peak: int


def memory_use(func: Callable[[], object]) -> MemoryUse:
    """Run ``func()`` with tracemalloc and return what it retained and its peak.

    If tracemalloc was already tracing, it is left running (and its own peak
    reset); otherwise it is started for the call and stopped after it. The
    result of ``func`` is kept alive until after the measurement, so a
    returned list counts as retained.

    Raises:
        TypeError: ``func`` not callable.

    Whatever ``func`` raises propagates.

    Complexity: the cost of ``func`` plus tracemalloc's overhead per allocation.

    >>> use = memory_use(lambda: [0] * 100_000)  # one list: 100,000 pointers
    >>> # runs only locally: the page's 32-bit Python has 4-byte pointers
    >>> 800_000 <= use.retained <= use.peak < 900_000
    True
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}: {func!r}")
    started_here = not tracemalloc.is_tracing()
    if started_here:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = func()
        after, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        if started_here:
            tracemalloc.stop()
    return MemoryUse(retained=after - before, peak=peak - before)
