"""Every DP and backtracking routine against a brute force on small random inputs."""

from __future__ import annotations

import itertools
import math
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.dynamic_programming import (
    coin_change_min,
    coin_change_min_memo,
    coin_change_ways,
    edit_alignment,
    edit_distance,
    fib_memo,
    fib_table,
    knapsack_01,
    knapsack_01_memo,
    knapsack_01_value,
    lcs,
    lcs_length,
    lcs_length_memo,
    lis,
    matrix_chain_cost_memo,
    matrix_chain_order,
    min_path_sum,
    n_queens,
    n_queens_count,
    naive_fib_calls,
    permutations,
    subsets,
    unique_paths,
    unique_paths_memo,
)

SMALL = settings(max_examples=100, deadline=None)

# ---------------------------------------------------------------- recursion


def test_fibonacci_three_ways_and_the_naive_call_count():
    calls = 0

    def naive(n: int) -> int:
        nonlocal calls
        calls += 1
        return n if n < 2 else naive(n - 1) + naive(n - 2)

    for n in range(21):
        calls = 0
        value = naive(n)
        assert fib_memo(n) == fib_table(n) == value
        assert naive_fib_calls(n) == calls == 2 * fib_table(n + 1) - 1


def _fib_fast_doubling(n: int) -> int:
    """An independent oracle: F(2k) = F(k)(2F(k+1) - F(k)), F(2k+1) = F(k)^2 + F(k+1)^2."""

    def pair(k: int) -> tuple[int, int]:  # (F(k), F(k+1))
        if k == 0:
            return 0, 1
        a, b = pair(k // 2)
        c, d = a * (2 * b - a), a * a + b * b
        return (d, c + d) if k % 2 else (c, d)

    return pair(n)[0]


def test_memoized_recursion_hits_the_recursion_limit_but_the_table_does_not():
    n = sys.getrecursionlimit() + 100
    with pytest.raises(RecursionError):
        fib_memo(n)
    assert fib_table(n) == _fib_fast_doubling(n)  # no depth at all, and the right value


@given(st.integers(0, 5000))
@settings(max_examples=30, deadline=None)
def test_fib_table_matches_fast_doubling(n: int):
    assert fib_table(n) == _fib_fast_doubling(n)


def test_fib_table_at_its_limit_has_binets_size():
    # Binet: F(n) is the integer nearest phi**n / sqrt(5), so it has
    # floor(n log2(phi) - log2(sqrt 5)) + 1 bits: 69,424 for n = 100,000.
    n = 100_000
    phi = (1 + math.sqrt(5)) / 2
    value = fib_table(n)
    assert value.bit_length() == math.floor(n * math.log2(phi) - math.log2(math.sqrt(5))) + 1
    assert value.bit_length() == 69_424
    assert value == _fib_fast_doubling(n)


@pytest.mark.parametrize("f", [fib_memo, fib_table, naive_fib_calls])
def test_negative_n_is_rejected(f):
    with pytest.raises(ValueError, match=r"^n must be a non-negative int, got -3$"):
        f(-3)


# ---------------------------------------------------------------- backtracking


@given(st.integers(0, 7))
@SMALL
def test_subsets_and_permutations_match_itertools(n: int):
    items = list(range(n))
    expected_subsets = sorted(
        list(c) for r in range(n + 1) for c in itertools.combinations(items, r)
    )
    got = subsets(items)
    assert len(got) == 2**n
    assert sorted(got) == expected_subsets
    if n <= 6:
        assert permutations(items) == [list(p) for p in itertools.permutations(items)]


A000170 = [1, 1, 0, 0, 2, 10, 4, 40, 92]  # OEIS A000170, n = 0..8


@pytest.mark.parametrize("n", range(9))
def test_n_queens_counts_match_oeis_a000170(n: int):
    solutions = n_queens(n)
    assert len(solutions) == n_queens_count(n) == A000170[n]
    if n <= 7:  # brute force: every permutation of columns, filtered by diagonals
        brute = [
            list(p)
            for p in itertools.permutations(range(n))
            if len({r - c for r, c in enumerate(p)}) == n
            and len({r + c for r, c in enumerate(p)}) == n
        ]
        assert solutions == brute


def test_n_queens_rejects_negative_board():
    with pytest.raises(ValueError, match=r"^n must be a non-negative int, got -1$"):
        n_queens(-1)
    with pytest.raises(TypeError, match=r"^n must be a non-negative int, got 2\.5$"):
        n_queens_count(2.5)  # type: ignore[arg-type]


# ---------------------------------------------------------------- knapsack and coins

ITEMS = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 30)), max_size=8)


@given(ITEMS, st.integers(0, 30))
@SMALL
def test_knapsack_matches_brute_force_and_all_versions_agree(items, capacity):
    weights = [w for w, _ in items]
    values = [v for _, v in items]
    brute = max(
        sum(values[i] for i in chosen)
        for r in range(len(items) + 1)
        for chosen in itertools.combinations(range(len(items)), r)
        if sum(weights[i] for i in chosen) <= capacity
    )
    best, chosen = knapsack_01(weights, values, capacity)
    assert best == brute
    assert sum(weights[i] for i in chosen) <= capacity
    assert sum(values[i] for i in chosen) == best
    assert chosen == sorted(set(chosen))
    assert knapsack_01_value(weights, values, capacity) == best
    assert knapsack_01_memo(weights, values, capacity) == best


def test_knapsack_errors():
    with pytest.raises(ValueError, match=r"^weights and values differ in length: 2 != 1$"):
        knapsack_01([1, 2], [3], 4)
    with pytest.raises(ValueError, match=r"^capacity must be a non-negative int, got -1$"):
        knapsack_01_memo([1], [1], -1)
    with pytest.raises(ValueError, match=r"^weights must be non-negative ints, got -2$"):
        knapsack_01_value([-2], [1], 3)
    with pytest.raises(TypeError, match=r"^values must hold ints, got True$"):
        knapsack_01([1], [True], 3)


COINS = st.lists(st.integers(1, 12), min_size=0, max_size=4, unique=True)


def _brute_min_coins(coins: list[int], amount: int) -> int | None:
    best = None
    for count in range(amount + 1):  # fewest first: the first hit is optimal
        if any(
            sum(combo) == amount for combo in itertools.combinations_with_replacement(coins, count)
        ):
            best = count
            break
    return best


def _brute_ways(coins: list[int], amount: int) -> int:
    if amount == 0:
        return 1
    if not coins:
        return 0
    first, rest = coins[0], coins[1:]
    return sum(_brute_ways(rest, amount - k * first) for k in range(amount // first + 1))


@given(COINS, st.integers(0, 25))
@SMALL
def test_coin_change_matches_brute_force(coins, amount):
    fewest = coin_change_min(coins, amount)
    assert fewest == coin_change_min_memo(coins, amount)
    assert fewest == _brute_min_coins(coins, amount)
    assert coin_change_ways(coins, amount) == _brute_ways(coins, amount)


def test_greedy_is_not_optimal_but_dp_is():
    assert coin_change_min([1, 5, 6, 9], 11) == 2  # 5 + 6, not 9 + 1 + 1
    assert coin_change_min([2, 4], 7) is None
    assert coin_change_ways([1, 2], 3) == 2  # {1,1,1}, {1,2}: combinations, not orderings


def test_coin_change_errors():
    with pytest.raises(ValueError, match=r"^coins must be positive ints, got -5$"):
        coin_change_min([1, -5], 3)
    with pytest.raises(ValueError, match=r"^amount must be a non-negative int, got -1$"):
        coin_change_ways([1], -1)


def _brute_ways_by_enumeration(coins: list[int], amount: int) -> int:
    """Count the distinct multisets of *values* summing to ``amount``, by listing them."""
    values = sorted(set(coins))
    found: set[tuple[int, ...]] = set()
    for count in range(amount + 1):
        for combo in itertools.combinations_with_replacement(values, count):
            if sum(combo) == amount:
                found.add(combo)
    return len(found)


@given(st.lists(st.integers(1, 6), max_size=5), st.integers(0, 12))
@SMALL
def test_duplicate_coins_are_refused_and_distinct_ones_match_enumeration(coins, amount):
    if len(set(coins)) < len(coins):
        twice = next(c for c in coins if coins.count(c) > 1)
        for f in (coin_change_ways, coin_change_min, coin_change_min_memo):
            with pytest.raises(ValueError, match="^coins must be distinct denominations, got"):
                f(coins, amount)
        assert coins.count(twice) > 1
    else:
        assert coin_change_ways(coins, amount) == _brute_ways_by_enumeration(coins, amount)


def test_the_reviewers_duplicate_coin_example():
    # Before the fix this returned 3: {1a, 1a}, {1a, 1b}, {1b, 1b}; the right count is 1.
    with pytest.raises(ValueError, match="^coins must be distinct denominations, got 1 twice$"):
        coin_change_ways([1, 1], 2)
    assert coin_change_ways([1], 2) == _brute_ways_by_enumeration([1, 1], 2) == 1


# ---------------------------------------------------------------- sequences

TEXT = st.text(alphabet="abc", max_size=7)


def _is_subsequence(small, big) -> bool:
    it = iter(big)
    return all(x in it for x in small)


@given(TEXT, TEXT)
@SMALL
def test_lcs_matches_brute_force(a: str, b: str):
    brute = max(
        r
        for r in range(len(a) + 1)
        for combo in itertools.combinations(a, r)
        if _is_subsequence(combo, b)
    )
    common = lcs(a, b)
    assert isinstance(common, str)
    assert len(common) == brute == lcs_length(a, b) == lcs_length_memo(a, b)
    assert _is_subsequence(common, a)
    assert _is_subsequence(common, b)


def _naive_levenshtein(a: str, b: str) -> int:
    if not a or not b:
        return len(a) + len(b)
    if a[-1] == b[-1]:
        return _naive_levenshtein(a[:-1], b[:-1])
    return 1 + min(
        _naive_levenshtein(a[:-1], b),
        _naive_levenshtein(a, b[:-1]),
        _naive_levenshtein(a[:-1], b[:-1]),
    )


def _apply(ops, a: str) -> str:
    out, i = [], 0
    for kind, x, y in ops:
        if kind in ("keep", "sub", "del"):
            assert a[i] == x
            i += 1
        if kind in ("keep", "sub", "ins"):
            out.append(y)
        if kind == "keep":
            assert x == y
    assert i == len(a)
    return "".join(out)


@given(st.text(alphabet="ab", max_size=6), st.text(alphabet="ab", max_size=6))
@SMALL
def test_edit_distance_matches_naive_recursion_and_alignment_replays(a: str, b: str):
    distance = edit_distance(a, b)
    assert edit_distance(b, a) == distance  # symmetric, which is what lets it swap
    assert distance == _naive_levenshtein(a, b)
    d, ops = edit_alignment(a, b)
    assert d == distance
    assert _apply(ops, a) == b
    assert sum(kind != "keep" for kind, _, _ in ops) == distance


@given(st.lists(st.integers(0, 9), max_size=10))
@SMALL
def test_lis_matches_brute_force(seq: list[int]):
    brute = max(
        r
        for r in range(len(seq) + 1)
        for combo in itertools.combinations(seq, r)
        if all(x < y for x, y in itertools.pairwise(combo))
    )
    found = lis(seq)
    assert len(found) == brute
    assert all(x < y for x, y in itertools.pairwise(found))
    assert _is_subsequence(found, seq)


def test_lis_is_n_log_n_on_a_long_input():
    seq = [(i * 7919) % 10007 for i in range(20000)]
    found = lis(seq)
    assert all(x < y for x, y in itertools.pairwise(found))
    assert _is_subsequence(found, seq)


# ---------------------------------------------------------------- intervals


def _brute_chain(dims: list[int], i: int, j: int) -> int:
    if i == j:
        return 0
    return min(
        _brute_chain(dims, i, k) + _brute_chain(dims, k + 1, j) + dims[i - 1] * dims[k] * dims[j]
        for k in range(i, j)
    )


def _cost_of(expr: str, dims: list[int]) -> int:
    """Evaluate a parenthesization like '((A1A2)A3)': return its multiplication count."""
    tokens = re.findall(r"\(|\)|A\d+", expr)
    pos = 0

    def parse() -> tuple[int, int, int]:  # (rows, cols, cost)
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok != "(":
            k = int(tok[1:])
            return dims[k - 1], dims[k], 0
        r1, c1, x = parse()
        r2, c2, y = parse()
        assert c1 == r2
        assert tokens[pos] == ")"
        pos += 1
        return r1, c2, x + y + r1 * c1 * c2

    rows, cols, cost = parse()
    assert (rows, cols) == (dims[0], dims[-1])
    assert pos == len(tokens)
    return cost


@given(st.lists(st.integers(1, 20), min_size=2, max_size=7))
@SMALL
def test_matrix_chain_matches_brute_force_and_its_parenthesization(dims: list[int]):
    cost, expr = matrix_chain_order(dims)
    assert cost == _brute_chain(dims, 1, len(dims) - 1) == matrix_chain_cost_memo(dims)
    assert _cost_of(expr, dims) == cost
    assert sorted(map(int, re.findall(r"\d+", expr))) == list(range(1, len(dims)))


def test_matrix_chain_errors():
    with pytest.raises(
        ValueError, match=r"^dims must hold at least 2 positive ints, got \[3, 0\]$"
    ):
        matrix_chain_order([3, 0])


# ---------------------------------------------------------------- grids

GRID = st.integers(1, 4).flatmap(
    lambda cols: st.lists(
        st.lists(st.integers(0, 9), min_size=cols, max_size=cols), min_size=1, max_size=4
    )
)


def _all_paths(rows: int, cols: int):
    moves = rows - 1 + cols - 1
    for downs in itertools.combinations(range(moves), rows - 1):
        r = c = 0
        cells = [(0, 0)]
        for step in range(moves):
            if step in downs:
                r += 1
            else:
                c += 1
            cells.append((r, c))
        yield cells


@given(GRID)
@SMALL
def test_grid_dp_matches_enumerating_every_path(grid: list[list[int]]):
    rows, cols = len(grid), len(grid[0])
    obstacles = [[1 if v >= 7 else 0 for v in row] for row in grid]  # ~30% blocked
    paths = list(_all_paths(rows, cols))
    free = sum(all(not obstacles[r][c] for r, c in p) for p in paths)
    assert unique_paths(obstacles) == unique_paths_memo(obstacles) == free
    best, path = min_path_sum(grid)
    assert best == min(sum(grid[r][c] for r, c in p) for p in paths)
    assert path in paths
    assert sum(grid[r][c] for r, c in path) == best


def test_grid_errors():
    for bad in ([], [[]], [[0, 0], [0]]):
        with pytest.raises(ValueError, match=r"^grid must be a non-empty rectangle"):
            unique_paths(bad)
    with pytest.raises(ValueError, match=r"got row lengths \[1, 2\]$"):
        min_path_sum([[1], [1, 2]])


def test_memoized_coin_change_costs_one_call_per_level_not_several():
    # With min() over a generator each level took about four stack frames, and
    # coin_change_min_memo([1], 250) already raised RecursionError.
    amount = sys.getrecursionlimit() // 3
    assert coin_change_min_memo([1], amount) == coin_change_min([1], amount) == amount
    assert coin_change_min_memo([1, 5, 6, 9], amount) == coin_change_min([1, 5, 6, 9], amount)
