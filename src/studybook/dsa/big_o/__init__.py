"""Big O time complexity: how the cost of an algorithm grows with its input, shown and measured.

Why interviewers ask: every answer you give in a coding interview ends with
"and that is O(?) time and O(?) space". They want to hear the bound, why it
holds (a loop inside a loop, a halving, a recursion tree) and whether it is a
worst case, an average or an amortized figure. This package gives one
runnable example per class, a dynamic array whose copies you can count, a
solver for the master theorem, and an estimator that recovers the class of a
function from measurements: counted operations (deterministic) or timings.
Its modules are layers: ``counting`` (getting costs), ``estimator`` (reading
them), ``examples``, ``amortized``, ``master``, ``feasibility`` and ``chart``;
every public name is re-exported here.

Invariant: an example's *counted* cost is a fixed function of ``n`` in the
worst case, so ``classify`` recovers the documented class from counts; a
cost outside its vocabulary is reported as a poor fit, never as a wrong class.

================================  ==========  ============  ===========  ===========
Function                          Module      Time (worst)  Extra space  Counts
================================  ==========  ============  ===========  ===========
``get_item``                      examples    O(1)          O(1)         1 step
``binary_search``                 examples    O(log n)      O(1)         probes
``has_duplicate_hashing``         examples    O(n)          O(n)         elements
``has_duplicate_sorting``         examples    O(n log n)    O(n)         comparisons
``has_duplicate_pairwise``        examples    O(n^2)        O(1)         pairs
``subset_sum_brute_force``        examples    O(2^n)        O(n)         subsets
``shortest_tour_brute_force``     examples    O(n!)         O(n)         tours
``DynamicArray.append``           amortized   O(1) amort.   O(n) total   copies
================================  ==========  ============  ===========  ===========

>>> sizes = [2**k for k in range(4, 12)]
>>> costs = count_operations(has_duplicate_pairwise, lambda n: list(range(n)), sizes)
>>> costs[:3]
[120, 496, 2016]
>>> classify(sizes, costs), round(fit_exponent(sizes, costs), 2)
('O(n^2)', 2.01)

Primary sources: Knuth, "Big Omicron and big Omega and big Theta" (SIGACT
News, 1976); Bentley, Haken and Saxe, "A general method for solving
divide-and-conquer recurrences" (SIGACT News, 1980), the master theorem, in
the form of Cormen, Leiserson, Rivest and Stein, *Introduction to
Algorithms* (4th ed., 2022), Theorem 4.1.
"""

from __future__ import annotations

import random
from typing import TextIO

from studybook.dsa.big_o.amortized import (
    DynamicArray,
    amortized_copies_per_append,
    worst_copies_per_append,
)
from studybook.dsa.big_o.chart import growth_chart_svg
from studybook.dsa.big_o.counting import Counted, OpCounter, count_operations, measure
from studybook.dsa.big_o.estimator import (
    CLASSES,
    MAX_DRIFT,
    TIE_TOLERANCE,
    classify,
    fit_exponent,
    fit_residuals,
)
from studybook.dsa.big_o.examples import (
    binary_search,
    get_item,
    has_duplicate_hashing,
    has_duplicate_pairwise,
    has_duplicate_sorting,
    linear_search,
    reverse_in_place,
    reversed_copy,
    search_cost_cases,
    shortest_tour_brute_force,
    subset_sum_brute_force,
)
from studybook.dsa.big_o.feasibility import feasible_n, loop_rate
from studybook.dsa.big_o.master import MasterResult, master_theorem

__all__ = [
    "CLASSES",
    "MAX_DRIFT",
    "TIE_TOLERANCE",
    "Counted",
    "DynamicArray",
    "MasterResult",
    "OpCounter",
    "amortized_copies_per_append",
    "binary_search",
    "classify",
    "count_operations",
    "demo",
    "feasible_n",
    "fit_exponent",
    "fit_residuals",
    "get_item",
    "growth_chart_svg",
    "has_duplicate_hashing",
    "has_duplicate_pairwise",
    "has_duplicate_sorting",
    "linear_search",
    "loop_rate",
    "master_theorem",
    "measure",
    "reverse_in_place",
    "reversed_copy",
    "search_cost_cases",
    "shortest_tour_brute_force",
    "subset_sum_brute_force",
    "worst_copies_per_append",
]


def demo(out: TextIO) -> None:
    """Narrate the chapter: the same question answered in three classes, measured.

    >>> import sys
    >>> demo(sys.stdout)
    Does a list hold a duplicate? Three answers, counted (all-distinct input):
      hash set : n=1024 ->   1024 steps, slope 1.00, class O(n)
      sort+scan: n=1024 ->   ... steps, slope ..., class O(n log n)
      all pairs: n=1024 -> 523776 steps, slope 2.01, class O(n^2)
    Dynamic array, growth x2.0: 1.638 copies per append over 10,000 appends (worst prefix 2.000)
    Dynamic array, growth x1.5: 2.426 copies per append over 10,000 appends (worst prefix 2.998)
    Master theorem, merge sort: case 2, Θ(n log n)
    Master theorem, Karatsuba: case 1, Θ(n^1.585)
    Master theorem, 2T(n/2) + n log n: case 2, Θ(n log^2 n)
    Feasible n at 1e8 steps: n^2 -> 10000, 2^n -> 26, n! -> 11
    """
    sizes = [2**k for k in range(4, 11)]
    out.write("Does a list hold a duplicate? Three answers, counted (all-distinct input):\n")
    # Shuffled, because Timsort needs only n - 1 comparisons on sorted input.
    shuffled = lambda n: random.Random(n).sample(range(n), n)  # noqa: E731, S311
    for name, func in (
        ("hash set ", has_duplicate_hashing),
        ("sort+scan", has_duplicate_sorting),
        ("all pairs", has_duplicate_pairwise),
    ):
        counts = count_operations(func, shuffled, sizes)
        out.write(
            f"  {name}: n={sizes[-1]} -> {counts[-1]:>6} steps, "
            f"slope {fit_exponent(sizes, counts):.2f}, class {classify(sizes, counts)}\n"
        )
    for g in (2.0, 1.5):
        out.write(
            f"Dynamic array, growth x{g}: {amortized_copies_per_append(10_000, g):.3f} copies "
            f"per append over 10,000 appends "
            f"(worst prefix {worst_copies_per_append(10_000, g):.3f})\n"
        )
    recurrences = {
        "merge sort": (2, 2, 1, 0),
        "Karatsuba": (3, 2, 1, 0),
        "2T(n/2) + n log n": (2, 2, 1, 1),
    }
    for name, (a, b, d, k) in recurrences.items():
        result = master_theorem(a, b, d, k)
        out.write(f"Master theorem, {name}: case {result.case}, {result.bound}\n")
    out.write(
        f"Feasible n at 1e8 steps: n^2 -> {feasible_n('O(n^2)')}, "
        f"2^n -> {feasible_n('O(2^n)')}, n! -> {feasible_n('O(n!)')}\n"
    )
