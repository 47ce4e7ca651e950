"""Recursion, backtracking and dynamic programming, each problem solved two ways and proven equal.

Dynamic programming solves a problem whose answer is built from answers to
overlapping subproblems: define the state, write the recurrence, and compute
each state once, either top-down (recursion plus a memo) or bottom-up (a table
filled in dependency order). Interviewers ask for it because it tests the
whole chain of reasoning: recognising overlap, choosing a state small enough
to tabulate, getting base cases and loop order right, and reconstructing the
answer, not just its value. Backtracking is its sibling for problems without
overlap: enumerate choices depth-first and prune.

Invariant of every table: when a cell is computed, every cell its recurrence
reads has already been computed (the loop order is a topological order of the
subproblem graph).

===================  ================  ===========================
problem              state             time / memory (bottom-up)
===================  ================  ===========================
Fibonacci            n                 O(n) / O(1)
0/1 knapsack         item, capacity    O(nW) / O(W) rolling
coin change          amount            O(kA) / O(A)
LCS, edit distance   i, j prefixes     O(mn) / O(min(m, n)) length
LIS                  pile tails        O(n log n) / O(n)
matrix chain         range i..j        O(n^3) / O(n^2)
grid paths           cell              O(rc) / O(c) rolling
===================  ================  ===========================

>>> fib_table(50), edit_distance("sunday", "saturday"), n_queens_count(6)
(12586269025, 3, 4)

Primary sources: R. Bellman, *Dynamic Programming* (Princeton University
Press, 1957); CLRS chapter 15.
"""

from __future__ import annotations

from typing import TextIO

from studybook.dsa.dynamic_programming.backtracking import (
    n_queens,
    n_queens_count,
    permutations,
    subsets,
)
from studybook.dsa.dynamic_programming.grids import min_path_sum, unique_paths, unique_paths_memo
from studybook.dsa.dynamic_programming.intervals import matrix_chain_cost_memo, matrix_chain_order
from studybook.dsa.dynamic_programming.knapsack import (
    coin_change_min,
    coin_change_min_memo,
    coin_change_ways,
    knapsack_01,
    knapsack_01_memo,
    knapsack_01_value,
)
from studybook.dsa.dynamic_programming.recursion import fib_memo, fib_table, naive_fib_calls
from studybook.dsa.dynamic_programming.sequences import (
    edit_alignment,
    edit_distance,
    lcs,
    lcs_length,
    lcs_length_memo,
    lis,
)

__all__ = [
    "coin_change_min",
    "coin_change_min_memo",
    "coin_change_ways",
    "demo",
    "edit_alignment",
    "edit_distance",
    "fib_memo",
    "fib_table",
    "knapsack_01",
    "knapsack_01_memo",
    "knapsack_01_value",
    "lcs",
    "lcs_length",
    "lcs_length_memo",
    "lis",
    "matrix_chain_cost_memo",
    "matrix_chain_order",
    "min_path_sum",
    "n_queens",
    "n_queens_count",
    "naive_fib_calls",
    "permutations",
    "subsets",
    "unique_paths",
    "unique_paths_memo",
]


def demo(out: TextIO) -> None:
    """Narrate one example of each technique to ``out``.

    Args:
        out: a text stream.

    >>> import sys
    >>> demo(sys.stdout)
    fib(30): the naive recursion makes 2692537 calls; memo and table compute 31 values
    8 queens: 92 solutions, the first is [0, 4, 7, 5, 2, 6, 1, 3]
    knapsack, capacity 10: best value 90 with items [1, 3]
    coins [1, 5, 6, 9] for 11: 2 coins (greedy would use 3: 9 + 1 + 1)
    kitten -> sitting: distance 3, script sub keep keep keep sub keep ins
    LCS of ABCBDAB and BDCABA: BCBA
    LIS of [3, 1, 4, 1, 5, 9, 2, 6]: [1, 4, 5, 6]
    matrix chain 40x20x30x10x30: 26000 multiplications as ((A1(A2A3))A4)
    """
    out.write(
        f"fib(30): the naive recursion makes {naive_fib_calls(30)} calls; "
        "memo and table compute 31 values\n"
    )
    out.write(f"8 queens: {n_queens_count(8)} solutions, the first is {n_queens(8)[0]}\n")
    value, items = knapsack_01([5, 4, 6, 3], [10, 40, 30, 50], 10)
    out.write(f"knapsack, capacity 10: best value {value} with items {items}\n")
    out.write(
        f"coins [1, 5, 6, 9] for 11: {coin_change_min([1, 5, 6, 9], 11)} coins "
        "(greedy would use 3: 9 + 1 + 1)\n"
    )
    distance, ops = edit_alignment("kitten", "sitting")
    script = " ".join(kind for kind, _, _ in ops)
    out.write(f"kitten -> sitting: distance {distance}, script {script}\n")
    out.write(f"LCS of ABCBDAB and BDCABA: {lcs('ABCBDAB', 'BDCABA')}\n")
    out.write(f"LIS of [3, 1, 4, 1, 5, 9, 2, 6]: {lis([3, 1, 4, 1, 5, 9, 2, 6])}\n")
    cost, order = matrix_chain_order([40, 20, 30, 10, 30])
    out.write(f"matrix chain 40x20x30x10x30: {cost} multiplications as {order}\n")
