"""Sorting and searching: binary search and its variants, the classic sorts, and their limits.

Why interviewers ask: binary search is the most common source of off-by-one
bugs in coding rounds, "search on the answer" turns optimisation problems
into decision problems, and the sorts are where divide and conquer,
partitioning, heaps, stability and lower bounds all meet. You are expected
to write a correct partition or merge from memory and to say why Python's
own sort is fast.

The package has one module per concern, and re-exports every public name:
``binary_search`` (bounds, search on the answer, rotated arrays),
``comparison_sorts`` (insertion, merge, quick, heap), ``linear_sorts``
(counting, radix), ``selection`` (quickselect) and ``measuring`` (the lower
bound, comparison counts, runs).

Invariants: binary search keeps ``items[:lo] < target <= items[hi:]``;
a partition leaves the pivot with nothing greater on its left and nothing
smaller on its right; a merge of two sorted runs is sorted and, taking from
the left run on ties, stable.

=========================================  ===========  ===========  ===========  ========  ======
Algorithm                                  Best         Average      Worst        Space     Stable
=========================================  ===========  ===========  ===========  ========  ======
:func:`~.binary_search.lower_bound`        Θ(log n)     Θ(log n)     Θ(log n)     O(1)      -
:func:`~.comparison_sorts.insertion_sort`  O(n)         O(n^2)       O(n^2)       O(1)      yes
:func:`~.comparison_sorts.merge_sort`      O(n log n)   O(n log n)   O(n log n)   O(n)      yes
:func:`~.comparison_sorts.quicksort`       O(n log n)   O(n log n)   O(n^2)       O(log n)  no
:func:`~.comparison_sorts.heapsort`        O(n)         O(n log n)   O(n log n)   O(1)      no
:func:`~.linear_sorts.counting_sort`       O(n + k)     O(n + k)     O(n + k)     O(n + k)  yes
:func:`~.linear_sorts.radix_sort`          O(d(n + b))  O(d(n + b))  O(d(n + b))  O(n + b)  yes
:func:`~.selection.quickselect`            O(n)         O(n)         O(n^2)       O(n)      -
=========================================  ===========  ===========  ===========  ========  ======

(Quicksort's average is the expectation over its random pivots, on any
input; heapsort's O(n) best case is all keys equal; quickselect's O(n)
space is the copy it partitions, so that the input is left alone.)

>>> data = [5, 2, 9, 1, 5, 6]
>>> merge_sort(data), lower_bound([1, 2, 5, 5, 6, 9], 5), upper_bound([1, 2, 5, 5, 6, 9], 5)
([1, 2, 5, 5, 6, 9], 2, 4)
>>> shuffled = random.Random(7).sample(range(1024), 1024)
>>> comparison_lower_bound(1024), count_comparisons(merge_sort, shuffled)
(8770, 8958)

Primary sources: Hoare, "Quicksort" (The Computer Journal, 1962); Knuth,
The Art of Computer Programming vol. 3, "Sorting and Searching" (1998);
Bentley and McIlroy, "Engineering a Sort Function" (1993); Tim Peters,
``Objects/listsort.txt`` in CPython.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any, TextIO

from studybook.dsa.sorting_searching.binary_search import (
    lower_bound,
    min_ship_capacity,
    search_on_answer,
    search_on_real_answer,
    search_rotated,
    upper_bound,
)
from studybook.dsa.sorting_searching.comparison_sorts import (
    heapsort,
    hoare_partition,
    insertion_sort,
    lomuto_partition,
    merge_sort,
    quicksort,
    three_way_partition,
)
from studybook.dsa.sorting_searching.linear_sorts import counting_sort, radix_sort
from studybook.dsa.sorting_searching.measuring import (
    comparison_lower_bound,
    count_comparisons,
    count_runs,
)
from studybook.dsa.sorting_searching.selection import quickselect

__all__ = [
    "comparison_lower_bound",
    "count_comparisons",
    "count_runs",
    "counting_sort",
    "demo",
    "heapsort",
    "hoare_partition",
    "insertion_sort",
    "lomuto_partition",
    "lower_bound",
    "merge_sort",
    "min_ship_capacity",
    "quickselect",
    "quicksort",
    "radix_sort",
    "search_on_answer",
    "search_on_real_answer",
    "search_rotated",
    "three_way_partition",
    "upper_bound",
]


def demo(out: TextIO) -> None:
    """Narrate the chapter: comparisons of each sort against the lower bound, then the edge cases.

    >>> import sys
    >>> demo(sys.stdout)
    Sorting 1024 shuffled ints; no comparison sort can promise fewer than 8770 comparisons.
      sorted (Timsort)                   ... comparisons = 1.02 x the bound = 0.87 n log2 n
      merge_sort                         8927 comparisons = 1.02 x the bound = 0.87 n log2 n
      quicksort (Hoare, random pivot)   14569 comparisons = 1.66 x the bound = 1.42 n log2 n
      heapsort                          17317 comparisons = 1.97 x the bound = 1.69 n log2 n
    On already sorted input: sorted 1023, fixed-pivot Lomuto quicksort 523776.
    On 1024 equal keys: quicksort Lomuto 523776, Hoare 12286, three-way 2046; heapsort 3066.
    Search on the answer: ship [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] in 5 days needs capacity 15.
    """
    n = 1024
    data = random.Random(2024).sample(range(n), n)  # noqa: S311 - a reproducible shuffle
    bound = comparison_lower_bound(n)
    out.write(f"Sorting {n} shuffled ints; no comparison sort can promise fewer than {bound} ")
    out.write("comparisons.\n")
    sorts: dict[str, Callable[[list[Any]], object]] = {
        "sorted (Timsort)": sorted,
        "merge_sort": merge_sort,
        "quicksort (Hoare, random pivot)": lambda xs: quicksort(xs, rng=random.Random(1)),  # noqa: S311
        "heapsort": heapsort,
    }
    n_log_n = n * math.log2(n)
    for name, sort in sorts.items():
        c = count_comparisons(sort, data)
        out.write(
            f"  {name:32} {c:>6} comparisons = {c / bound:.2f} x the bound "
            f"= {c / n_log_n:.2f} n log2 n\n"
        )
    sorted_input = list(range(n))
    out.write(
        f"On already sorted input: sorted {count_comparisons(sorted, sorted_input)}, "
        f"fixed-pivot Lomuto quicksort "
        f"{count_comparisons(lambda xs: quicksort(xs, scheme='lomuto'), sorted_input)}.\n"
    )
    equal = [7] * n
    counts = {
        scheme: count_comparisons(lambda xs, s=scheme: quicksort(xs, scheme=s), equal)  # type: ignore[misc]
        for scheme in ("lomuto", "hoare", "three-way")
    }
    out.write(
        f"On {n} equal keys: quicksort Lomuto {counts['lomuto']}, Hoare {counts['hoare']}, "
        f"three-way {counts['three-way']}; heapsort {count_comparisons(heapsort, equal)}.\n"
    )
    weights = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    out.write(f"Search on the answer: ship {weights} in 5 days needs capacity ")
    out.write(f"{min_ship_capacity(weights, 5)}.\n")
