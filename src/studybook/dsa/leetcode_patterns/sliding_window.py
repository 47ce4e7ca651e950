"""Sliding window: a contiguous range ``[left, right]`` grows on the right and shrinks on the left.

Invariant: the window (plus a small summary of it, such as counts or a last-seen
map) is valid after each step, and each index enters and leaves it at most once,
so the whole scan is O(n) even though it inspects every candidate range that matters.

>>> longest_substring_without_repeating_characters("abcabcbb")
3
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ._validate import require_int, require_real_list, require_str

__all__ = [
    "PROBLEMS",
    "best_time_to_buy_and_sell_stock",
    "find_all_anagrams_in_a_string",
    "longest_repeating_character_replacement",
    "longest_substring_without_repeating_characters",
    "minimum_window_substring",
]


def best_time_to_buy_and_sell_stock(prices: list[float]) -> float:
    """Return the best profit from one buy followed by one later sell (0 if none is positive).

    Args:
        prices: the price on each day (ints, or floats such as 2.5).

    Returns:
        The largest ``prices[j] - prices[i]`` with ``i < j``, or 0; an int for int prices.

    Raises:
        TypeError: ``prices`` is not a list of numbers (``bool`` is not a price).
        ValueError: a price is NaN or infinite.

    Complexity: O(n) time, O(1) space.

    >>> best_time_to_buy_and_sell_stock([7, 1, 5, 3, 6, 4])
    5
    >>> best_time_to_buy_and_sell_stock([1.0, 2.5]), best_time_to_buy_and_sell_stock([7, 6, 4])
    (1.5, 0)
    >>> best_time_to_buy_and_sell_stock([1, float("nan")])
    Traceback (most recent call last):
        ...
    ValueError: prices[1] must be finite, got nan
    """
    require_real_list("prices", prices)
    if not prices:
        return 0
    cheapest = prices[0]
    best: float = 0
    for price in prices:
        cheapest = min(cheapest, price)  # the window's left end: the lowest buy so far
        best = max(best, price - cheapest)
    return best


def longest_substring_without_repeating_characters(s: str) -> int:
    """Return the length of the longest substring of ``s`` with no repeated character.

    Args:
        s: the text.

    Returns:
        The length (0 for the empty string).

    Raises:
        TypeError: ``s`` is not a str.

    Complexity: O(n) time, O(k) space for k distinct characters.

    >>> longest_substring_without_repeating_characters("pwwkew")
    3
    >>> longest_substring_without_repeating_characters("")
    0
    """
    require_str("s", s)
    last_seen: dict[str, int] = {}
    left = best = 0
    for right, ch in enumerate(s):
        if last_seen.get(ch, -1) >= left:
            left = last_seen[ch] + 1  # jump past the earlier copy in one step
        last_seen[ch] = right
        best = max(best, right - left + 1)
    return best


def longest_repeating_character_replacement(s: str, k: int) -> int:
    """Return the longest substring that can be made one repeated letter with at most ``k`` edits.

    Args:
        s: the text.
        k: how many characters may be replaced.

    Returns:
        The length of the longest such substring.

    Raises:
        TypeError: ``s`` is not a str or ``k`` not an int.
        ValueError: ``k`` is negative.

    Complexity: O(n) time, O(k) space for k distinct characters.

    >>> longest_repeating_character_replacement("AABABBA", 1)
    4
    >>> longest_repeating_character_replacement("AB", -1)
    Traceback (most recent call last):
        ...
    ValueError: k must be >= 0, got -1
    """
    require_str("s", s)
    require_int("k", k, minimum=0)
    counts: Counter[str] = Counter()
    left = top = 0
    for right, ch in enumerate(s):
        counts[ch] += 1
        top = max(top, counts[ch])
        # The window never shrinks: it only slides once it holds more than top + k.
        # A stale (too high) ``top`` is harmless because only a larger top can beat
        # the best length already seen.
        if right - left + 1 > top + k:
            counts[s[left]] -= 1
            left += 1
    return len(s) - left


def minimum_window_substring(s: str, t: str) -> str:
    """Return the shortest substring of ``s`` containing every character of ``t`` (with counts).

    Args:
        s: the text to search.
        t: the characters needed, duplicates included.

    Returns:
        The leftmost shortest window, or ``""`` if none exists or ``t`` is empty.

    Raises:
        TypeError: ``s`` or ``t`` is not a str.

    Complexity: O(len(s) + len(t)) time, O(k) space for k distinct characters.

    >>> minimum_window_substring("ADOBECODEBANC", "ABC")
    'BANC'
    >>> minimum_window_substring("a", "aa")
    ''
    """
    require_str("s", s)
    require_str("t", t)
    if not t:
        return ""
    need = Counter(t)
    missing = len(t)  # characters of t not yet covered by the window
    left = 0
    best = (0, 0)
    for right, ch in enumerate(s, 1):
        if need[ch] > 0:
            missing -= 1
        need[ch] -= 1  # negative counts mean surplus copies inside the window
        if missing == 0:
            while need[s[left]] < 0:  # drop surplus characters from the left
                need[s[left]] += 1
                left += 1
            if best == (0, 0) or right - left < best[1] - best[0]:
                best = (left, right)
            need[s[left]] += 1  # give up one needed character to look for the next window
            missing += 1
            left += 1
    return s[best[0] : best[1]]


def find_all_anagrams_in_a_string(s: str, p: str) -> list[int]:
    """Return the start indices of the substrings of ``s`` that are anagrams of ``p``.

    Args:
        s: the text to search.
        p: the pattern; its letters may appear in any order.

    Returns:
        Start indices in increasing order.

    Raises:
        TypeError: ``s`` or ``p`` is not a str.

    Complexity: O(len(s) * k + len(p)) time (linear for a fixed alphabet), O(k)
    space for k distinct characters.

    >>> find_all_anagrams_in_a_string("cbaebabacd", "abc")
    [0, 6]
    >>> find_all_anagrams_in_a_string("ab", "")
    []
    """
    require_str("s", s)
    require_str("p", p)
    m = len(p)
    if m == 0 or m > len(s):
        return []
    target = Counter(p)
    window = Counter(s[:m])
    out = [0] if window == target else []
    for right in range(m, len(s)):
        window[s[right]] += 1
        window[s[right - m]] -= 1  # fixed-size window: one in, one out
        if window == target:  # Counter equality ignores zero counts (Python 3.10+)
            out.append(right - m + 1)
    return out


PROBLEMS: dict[str, Callable[..., object]] = {
    "Best Time to Buy and Sell Stock": best_time_to_buy_and_sell_stock,
    "Find All Anagrams in a String": find_all_anagrams_in_a_string,
    "Longest Repeating Character Replacement": longest_repeating_character_replacement,
    "Longest Substring Without Repeating Characters": (
        longest_substring_without_repeating_characters
    ),
    "Minimum Window Substring": minimum_window_substring,
}
