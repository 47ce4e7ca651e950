"""Dynamic programming: name the subproblem, write its recurrence, fill a table in dependency order.

DP problems are the interview's test of problem decomposition: can the
candidate define a state whose answer depends only on smaller states, and then
see how much of the table must be kept? The invariant of every solution here:
when ``dp[i]`` is computed, every state it reads is already final.

====================================  ==================  =========
Problem                               Time                Space
====================================  ==================  =========
Climbing Stairs                       O(n)                O(1)
House Robber / House Robber II        O(n)                O(1)
Coin Change                           O(amount * coins)   O(amount)
Longest Increasing Subsequence        O(n log n)          O(n)
Longest Common Subsequence            O(m * n)            O(n)
Word Break                            O(n * w^2)          O(n)
Combination Sum IV                    O(target * n)       O(target)
Decode Ways                           O(n)                O(1)
Unique Paths                          O(m * n)            O(n)
Maximum Subarray                      O(n)                O(1)
Maximum Product Subarray              O(n)                O(1)
Longest Palindromic Substring         O(n^2)              O(1)
Palindromic Substrings                O(n^2)              O(1)
Partition Equal Subset Sum            O(n * sum)          O(sum)
Maximum Profit in Job Scheduling      O(n log n)          O(n)
====================================  ==================  =========

>>> coin_change([1, 2, 5], 11)
3

Source: R. Bellman, *Dynamic Programming*, Princeton University Press, 1957.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence

from ._validate import require_int, require_int_list, require_str, require_str_list

__all__ = [
    "PROBLEMS",
    "climbing_stairs",
    "coin_change",
    "combination_sum_iv",
    "decode_ways",
    "house_robber",
    "house_robber_ii",
    "longest_common_subsequence",
    "longest_increasing_subsequence",
    "longest_palindromic_substring",
    "maximum_product_subarray",
    "maximum_profit_in_job_scheduling",
    "maximum_subarray",
    "palindromic_substrings",
    "partition_equal_subset_sum",
    "unique_paths",
    "word_break",
]


def climbing_stairs(n: int) -> int:
    """Return how many ways there are to climb ``n`` steps taking 1 or 2 at a time.

    The last move was either a 1-step (from ``n - 1``) or a 2-step (from
    ``n - 2``), so ``ways(n) = ways(n - 1) + ways(n - 2)``: Fibonacci.

    Args:
        n: number of steps.

    Returns:
        The number of distinct step sequences (1 for ``n == 0``).

    Raises:
        TypeError: ``n`` is not an int.
        ValueError: if ``n`` is negative.

    Complexity: O(n) time, O(1) space.

    >>> climbing_stairs(5)
    8
    >>> climbing_stairs(0)
    1
    >>> climbing_stairs(-1)
    Traceback (most recent call last):
    ValueError: n must be >= 0, got -1
    """
    require_int("n", n, minimum=0)
    prev, cur = 1, 1  # ways(i - 1), ways(i), starting at i = 0
    for _ in range(n):
        prev, cur = cur, prev + cur
    return prev


def house_robber(nums: Sequence[int]) -> int:
    """Return the largest sum of ``nums`` with no two adjacent elements taken.

    ``best(i) = max(best(i - 1), best(i - 2) + nums[i])``: either skip house
    ``i`` or rob it and skip its neighbour.

    Args:
        nums: non-negative amounts per house.

    Returns:
        The maximum loot (0 for no houses).

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if an amount is negative.

    Complexity: O(n) time, O(1) space.

    >>> house_robber([2, 7, 9, 3, 1])
    12
    >>> house_robber([])
    0
    >>> house_robber([1, -2])
    Traceback (most recent call last):
    ValueError: nums[1] must be >= 0, got -2
    """
    require_int_list("nums", nums, minimum=0)
    return _rob_line(nums)


def _rob_line(nums: Iterable[int]) -> int:
    skip, take = 0, 0  # best up to the previous house without / with robbing it
    for x in nums:
        skip, take = max(skip, take), skip + x
    return max(skip, take)


def house_robber_ii(nums: Sequence[int]) -> int:
    """Like :func:`house_robber`, but the houses stand in a circle.

    The first and last houses are neighbours, so at most one of them is
    robbed: solve the line without the last house and the line without the
    first, and take the better.

    Args:
        nums: non-negative amounts per house, in circular order.

    Returns:
        The maximum loot.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if an amount is negative.

    Complexity: O(n) time, O(1) space.

    >>> house_robber_ii([2, 3, 2])
    3
    >>> house_robber_ii([5])
    5
    >>> house_robber_ii([-1])
    Traceback (most recent call last):
    ValueError: nums[0] must be >= 0, got -1
    """
    require_int_list("nums", nums, minimum=0)
    if len(nums) == 1:
        return nums[0]
    return max(_rob_line(nums[:-1]), _rob_line(nums[1:]))


def coin_change(coins: Sequence[int], amount: int) -> int:
    """Return the fewest coins that sum to ``amount``, or -1 if impossible.

    ``fewest[a] = 1 + min(fewest[a - c] for each coin c <= a)``, filled for
    ``a = 0 .. amount`` (unbounded knapsack, minimising count).

    Args:
        coins: positive denominations, each usable any number of times.
        amount: the total to make.

    Returns:
        The minimum number of coins, 0 for ``amount == 0``, -1 if no mix works.

    Raises:
        TypeError: ``coins`` is not a list of int or ``amount`` not an int.
        ValueError: if a coin is not positive or ``amount`` is negative.

    Complexity: O(amount * len(coins)) time, O(amount) space.

    >>> coin_change([2], 3)
    -1
    >>> coin_change([1], 0)
    0
    >>> coin_change([0], 3)
    Traceback (most recent call last):
    ValueError: coins[0] must be >= 1, got 0
    """
    require_int_list("coins", coins, minimum=1)
    require_int("amount", amount, minimum=0)
    unreachable = amount + 1  # more coins than any real answer can use
    fewest = [0] + [unreachable] * amount
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a and fewest[a - c] + 1 < fewest[a]:
                fewest[a] = fewest[a - c] + 1
    return fewest[amount] if fewest[amount] != unreachable else -1


def longest_increasing_subsequence(nums: Sequence[int]) -> int:
    """Return the length of the longest strictly increasing subsequence.

    Patience sorting: ``tails[k]`` is the smallest possible last value of an
    increasing subsequence of length ``k + 1``. ``tails`` stays sorted, so each
    value replaces the first tail ``>=`` it (binary search) or extends it.

    Args:
        nums: the sequence.

    Returns:
        The LIS length (0 for an empty sequence).

    Raises:
        TypeError: ``nums`` is not a list of int.

    Complexity: O(n log n) time, O(n) space.

    >>> longest_increasing_subsequence([10, 9, 2, 5, 3, 7, 101, 18])
    4
    >>> longest_increasing_subsequence([7, 7, 7])
    1
    """
    require_int_list("nums", nums)
    tails: list[int] = []
    for x in nums:
        i = bisect.bisect_left(tails, x)  # bisect_left: equal values do not extend
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)


def longest_common_subsequence(text1: str, text2: str) -> int:
    """Return the length of the longest common subsequence of two strings.

    ``L[i][j]`` (prefixes of length i and j) is ``L[i-1][j-1] + 1`` when the
    last characters match, else ``max(L[i-1][j], L[i][j-1])``. Only the
    previous row is needed.

    Args:
        text1: first string.
        text2: second string.

    Returns:
        The LCS length.

    Raises:
        TypeError: ``text1`` or ``text2`` is not a str.

    Complexity: O(m * n) time, O(n) space.

    >>> longest_common_subsequence("abcde", "ace")
    3
    >>> longest_common_subsequence("abc", "")
    0
    """
    require_str("text1", text1)
    require_str("text2", text2)
    prev = [0] * (len(text2) + 1)
    for a in text1:
        cur = [0] * (len(text2) + 1)
        for j, b in enumerate(text2, start=1):
            cur[j] = prev[j - 1] + 1 if a == b else max(prev[j], cur[j - 1])
        prev = cur
    return prev[-1]


def word_break(s: str, word_dict: Sequence[str]) -> bool:
    """Return whether ``s`` splits into a sequence of dictionary words.

    ``ok[i]`` says the prefix ``s[:i]`` splits; it is true if some ``ok[j]`` is
    true and ``s[j:i]`` is a word. Words may be reused.

    Args:
        s: the string to split.
        word_dict: the allowed words.

    Returns:
        ``True`` if a split exists (the empty string always splits).

    Raises:
        TypeError: ``s`` is not a str or ``word_dict`` not a list of str.

    Complexity: O(n * w^2) time for w the longest word length (w cut points per
    position, each slice O(w)), O(n) space besides the word set.

    >>> word_break("applepenapple", ["apple", "pen"])
    True
    >>> word_break("catsandog", ["cats", "dog", "sand", "and", "cat"])
    False
    """
    require_str("s", s)
    require_str_list("word_dict", word_dict)
    words = set(word_dict)
    longest = max((len(w) for w in words), default=0)
    ok = [True] + [False] * len(s)
    for i in range(1, len(s) + 1):
        # Only the last `longest` cut points can end in a dictionary word.
        ok[i] = any(ok[j] and s[j:i] in words for j in range(max(0, i - longest), i))
    return ok[len(s)]


def combination_sum_iv(nums: Sequence[int], target: int) -> int:
    """Return how many ordered sequences of ``nums`` (reuse allowed) sum to ``target``.

    Despite its name this counts *sequences*: ``(1, 2)`` and ``(2, 1)`` are
    different. ``ways[t] = sum(ways[t - x] for x in nums if x <= t)`` picks the
    last element; putting the target loop outside is what counts orders.

    Args:
        nums: distinct positive integers.
        target: the sum to reach.

    Returns:
        The number of sequences (1 for ``target == 0``: the empty sequence).

    Raises:
        TypeError: ``nums`` is not a list of int or ``target`` not an int.
        ValueError: if a number is not positive or ``target`` is negative.

    Complexity: O(target * len(nums)) time, O(target) space.

    >>> combination_sum_iv([1, 2, 3], 4)
    7
    >>> combination_sum_iv([9], 3)
    0
    >>> combination_sum_iv([1], -1)
    Traceback (most recent call last):
    ValueError: target must be >= 0, got -1
    """
    require_int_list("nums", nums, minimum=1)
    require_int("target", target, minimum=0)
    ways = [1] + [0] * target
    for t in range(1, target + 1):
        ways[t] = sum(ways[t - x] for x in nums if x <= t)
    return ways[target]


def decode_ways(s: str) -> int:
    """Return how many letter strings encode to ``s`` under A=1, ..., Z=26.

    The last code is one digit (``'1'``-``'9'``) or two digits (``'10'``-``'26'``),
    so ``ways(i) = [one-digit ok] * ways(i-1) + [two-digit ok] * ways(i-2)``.

    Args:
        s: a string of digits.

    Returns:
        The number of decodings (0 if none; 1 for the empty string).

    Raises:
        TypeError: ``s`` is not a str.
        ValueError: if ``s`` contains a non-digit.

    Complexity: O(n) time, O(1) space.

    >>> decode_ways("226")
    3
    >>> decode_ways("06")
    0
    >>> decode_ways("1a")
    Traceback (most recent call last):
    ValueError: s must contain only digits 0-9, got '1a'
    """
    require_str("s", s)
    if any(ch not in "0123456789" for ch in s):
        raise ValueError(f"s must contain only digits 0-9, got {s!r}")
    prev, cur = 0, 1  # ways(i - 2), ways(i - 1), starting at i = 1
    for i, ch in enumerate(s):
        one = cur if ch != "0" else 0
        two = prev if i > 0 and "10" <= s[i - 1 : i + 1] <= "26" else 0
        prev, cur = cur, one + two
    return cur


def unique_paths(m: int, n: int) -> int:
    """Return how many right/down paths cross an ``m`` by ``n`` grid.

    ``paths[r][c] = paths[r-1][c] + paths[r][c-1]``; one row suffices because
    each row only reads the row above and the cell to its left.

    Args:
        m: number of rows.
        n: number of columns.

    Returns:
        The number of monotone paths from the top-left to the bottom-right cell.

    Raises:
        TypeError: ``m`` or ``n`` is not an int.
        ValueError: if ``m`` or ``n`` is below 1.

    Complexity: O(m * n) time, O(n) space.

    >>> unique_paths(3, 7)
    28
    >>> unique_paths(1, 1)
    1
    >>> unique_paths(0, 2)
    Traceback (most recent call last):
    ValueError: m and n must be >= 1, got (0, 2)
    """
    require_int("m", m)
    require_int("n", n)
    if m < 1 or n < 1:
        raise ValueError(f"m and n must be >= 1, got {(m, n)!r}")
    row = [1] * n
    for _ in range(1, m):
        for c in range(1, n):
            row[c] += row[c - 1]
    return row[-1]


def maximum_subarray(nums: Sequence[int]) -> int:
    """Return the largest sum of a non-empty contiguous subarray (Kadane).

    ``best_ending_here = max(x, best_ending_here + x)``: a negative running
    sum can only hurt what follows, so it is dropped.

    Args:
        nums: a non-empty sequence.

    Returns:
        The maximum subarray sum.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if ``nums`` is empty.

    Complexity: O(n) time, O(1) space.

    >>> maximum_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4])
    6
    >>> maximum_subarray([-3, -1])
    -1
    >>> maximum_subarray([])
    Traceback (most recent call last):
    ValueError: nums must be non-empty, got []
    """
    require_int_list("nums", nums, nonempty=True)
    best = ending_here = nums[0]
    for x in nums[1:]:
        ending_here = max(x, ending_here + x)
        best = max(best, ending_here)
    return best


def maximum_product_subarray(nums: Sequence[int]) -> int:
    """Return the largest product of a non-empty contiguous subarray.

    A negative factor turns the smallest product into the largest, so track
    both the maximum and the minimum product ending at each position.

    Args:
        nums: a non-empty sequence of integers.

    Returns:
        The maximum subarray product.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if ``nums`` is empty.

    Complexity: O(n) time, O(1) space.

    >>> maximum_product_subarray([2, 3, -2, 4])
    6
    >>> maximum_product_subarray([-2, 3, -4])
    24
    >>> maximum_product_subarray([])
    Traceback (most recent call last):
    ValueError: nums must be non-empty, got []
    """
    require_int_list("nums", nums, nonempty=True)
    best = hi = lo = nums[0]
    for x in nums[1:]:
        candidates = (x, hi * x, lo * x)
        hi, lo = max(candidates), min(candidates)
        best = max(best, hi)
    return best


def longest_palindromic_substring(s: str) -> str:
    """Return the longest palindromic substring (the leftmost one on ties).

    Every palindrome has a centre: a character (odd length) or a gap (even
    length). Expanding outward from each of the ``2n - 1`` centres finds the
    longest palindrome around it.

    Args:
        s: the string.

    Returns:
        The longest palindromic substring (``''`` for ``''``).

    Raises:
        TypeError: ``s`` is not a str.

    Complexity: O(n^2) time, O(1) extra space.

    >>> longest_palindromic_substring("babad")
    'bab'
    >>> longest_palindromic_substring("cbbd")
    'bb'
    """
    require_str("s", s)
    start, length = 0, 0
    for centre in range(2 * len(s) - 1):
        lo, hi = centre // 2, (centre + 1) // 2
        while lo >= 0 and hi < len(s) and s[lo] == s[hi]:
            lo, hi = lo - 1, hi + 1
        if hi - lo - 1 > length:  # strictly longer: keep the leftmost on ties
            start, length = lo + 1, hi - lo - 1
    return s[start : start + length]


def palindromic_substrings(s: str) -> int:
    """Return how many substrings (by position) of ``s`` are palindromes.

    Each successful step of a centre expansion is one more palindrome.

    Args:
        s: the string.

    Returns:
        The number of palindromic substrings, counting equal ones at
        different positions separately.

    Raises:
        TypeError: ``s`` is not a str.

    Complexity: O(n^2) time, O(1) extra space.

    >>> palindromic_substrings("aaa")
    6
    >>> palindromic_substrings("")
    0
    """
    require_str("s", s)
    count = 0
    for centre in range(2 * len(s) - 1):
        lo, hi = centre // 2, (centre + 1) // 2
        while lo >= 0 and hi < len(s) and s[lo] == s[hi]:
            count += 1
            lo, hi = lo - 1, hi + 1
    return count


def partition_equal_subset_sum(nums: Sequence[int]) -> bool:
    """Return whether ``nums`` splits into two groups of equal sum.

    That is a subset summing to ``total / 2`` (0/1 knapsack). ``reach`` is the
    set of sums some subset of the numbers seen so far can make, kept as the
    bits of one integer; ``reach | reach << x`` adds number ``x`` once.

    Args:
        nums: non-negative integers.

    Returns:
        ``True`` if an equal split exists.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: if a number is negative.

    Complexity: O(n * sum) bit operations, O(sum) bits of space.

    >>> partition_equal_subset_sum([1, 5, 11, 5])
    True
    >>> partition_equal_subset_sum([1, 2, 3, 5])
    False
    >>> partition_equal_subset_sum([-1, 1])
    Traceback (most recent call last):
    ValueError: nums[0] must be >= 0, got -1
    """
    require_int_list("nums", nums, minimum=0)
    total = sum(nums)
    if total % 2:
        return False
    reach = 1  # bit s set <=> some subset sums to s; the empty subset gives 0
    for x in nums:
        reach |= reach << x
    return bool(reach >> (total // 2) & 1)


def maximum_profit_in_job_scheduling(
    start_time: Sequence[int], end_time: Sequence[int], profit: Sequence[int]
) -> int:
    """Return the largest total profit of pairwise compatible jobs.

    A job ending at ``t`` is compatible with one starting at ``t``. Sort jobs
    by end time; ``best[i]`` (first ``i`` jobs) is the better of skipping job
    ``i`` or taking it plus ``best[j]``, where ``j`` counts the jobs that end
    by its start, found by binary search (weighted interval scheduling).

    Args:
        start_time: job start times.
        end_time: job end times (each after its start).
        profit: job profits.

    Returns:
        The maximum total profit (0 for no jobs).

    Raises:
        TypeError: an argument is not a list of int.
        ValueError: the three sequences differ in length, a job does not end after it
            starts, or a profit is negative.

    Complexity: O(n log n) time, O(n) space.

    >>> maximum_profit_in_job_scheduling([1, 2, 3, 3], [3, 4, 5, 6], [50, 10, 40, 70])
    120
    >>> maximum_profit_in_job_scheduling([], [], [])
    0
    >>> maximum_profit_in_job_scheduling([1], [2], [])
    Traceback (most recent call last):
    ValueError: start_time, end_time and profit must have equal lengths, got (1, 1, 0)
    """
    require_int_list("start_time", start_time)
    require_int_list("end_time", end_time)
    require_int_list("profit", profit, minimum=0)
    lengths = (len(start_time), len(end_time), len(profit))
    if len(set(lengths)) != 1:
        raise ValueError(
            f"start_time, end_time and profit must have equal lengths, got {lengths!r}"
        )
    for i, (s, e) in enumerate(zip(start_time, end_time, strict=True)):
        if e <= s:
            raise ValueError(f"job {i} must end after it starts, got [{s!r}, {e!r}]")
    jobs = sorted(zip(end_time, start_time, profit, strict=True))
    ends = [e for e, _, _ in jobs]
    best = [0] * (len(jobs) + 1)
    for i, (_, s, p) in enumerate(jobs, start=1):
        j = bisect.bisect_right(ends, s, hi=i - 1)  # jobs ending at or before s
        best[i] = max(best[i - 1], best[j] + p)
    return best[-1]


PROBLEMS: dict[str, Callable[..., object] | type] = {
    "Climbing Stairs": climbing_stairs,
    "House Robber": house_robber,
    "House Robber II": house_robber_ii,
    "Coin Change": coin_change,
    "Longest Increasing Subsequence": longest_increasing_subsequence,
    "Longest Common Subsequence": longest_common_subsequence,
    "Word Break": word_break,
    "Combination Sum IV": combination_sum_iv,
    "Decode Ways": decode_ways,
    "Unique Paths": unique_paths,
    "Maximum Subarray": maximum_subarray,
    "Maximum Product Subarray": maximum_product_subarray,
    "Longest Palindromic Substring": longest_palindromic_substring,
    "Palindromic Substrings": palindromic_substrings,
    "Partition Equal Subset Sum": partition_equal_subset_sum,
    "Maximum Profit in Job Scheduling": maximum_profit_in_job_scheduling,
}
