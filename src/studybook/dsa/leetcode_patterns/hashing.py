"""Arrays and hashing: trade O(n) memory for O(1) membership, counting and grouping.

Invariant: after processing ``nums[:i]`` the hash map (or set, or counter) holds
exactly what a later element needs to know about the prefix: the index of each
value seen (Two Sum), a count (Valid Anagram), a canonical key (Group Anagrams).
Expected O(1) per operation turns nested loops into one pass.

>>> two_sum([3, 2, 4], 6)
[1, 2]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ._validate import require_int, require_int_list, require_str, require_str_list

__all__ = [
    "PROBLEMS",
    "StringCodec",
    "contains_duplicate",
    "group_anagrams",
    "longest_consecutive_sequence",
    "longest_palindrome",
    "majority_element",
    "product_of_array_except_self",
    "ransom_note",
    "two_sum",
    "valid_anagram",
]


def two_sum(nums: list[int], target: int) -> list[int]:
    """Return indices ``[i, j]``, ``i < j``, of two numbers adding up to ``target``.

    Args:
        nums: the numbers.
        target: the sum to reach.

    Returns:
        The first pair found scanning left to right (smallest ``j``).

    Raises:
        TypeError: ``nums`` is not a list of int or ``target`` not an int.
        ValueError: no two numbers add up to ``target``.

    Complexity: O(n) expected time, O(n) space.

    >>> two_sum([2, 7, 11, 15], 9)
    [0, 1]
    >>> two_sum([1, 2], 7)
    Traceback (most recent call last):
        ...
    ValueError: no two numbers in [1, 2] add up to 7
    """
    require_int_list("nums", nums)
    require_int("target", target)
    index_of: dict[int, int] = {}
    for j, x in enumerate(nums):
        if target - x in index_of:  # look up before inserting: an element cannot pair with itself
            return [index_of[target - x], j]
        index_of.setdefault(x, j)
    raise ValueError(f"no two numbers in {nums!r} add up to {target!r}")


def contains_duplicate(nums: list[int]) -> bool:
    """Return whether some value appears at least twice in ``nums``.

    Args:
        nums: the numbers.

    Returns:
        ``True`` if there is a duplicate.

    Raises:
        TypeError: ``nums`` is not a list of int.

    Complexity: O(n) expected time, O(n) space.

    >>> contains_duplicate([1, 2, 3, 1])
    True
    >>> contains_duplicate([])
    False
    """
    require_int_list("nums", nums)
    seen: set[int] = set()
    for x in nums:
        if x in seen:
            return True
        seen.add(x)
    return False


def valid_anagram(s: str, t: str) -> bool:
    """Return whether ``t`` is a rearrangement of ``s`` (same characters, same counts).

    Args:
        s: the first string.
        t: the second string.

    Returns:
        ``True`` if they are anagrams.

    Raises:
        TypeError: ``s`` or ``t`` is not a str.

    Complexity: O(n) time, O(k) space for k distinct characters.

    >>> valid_anagram("anagram", "nagaram")
    True
    >>> valid_anagram("rat", "car")
    False
    """
    require_str("s", s)
    require_str("t", t)
    return len(s) == len(t) and Counter(s) == Counter(t)


def group_anagrams(strs: list[str]) -> list[list[str]]:
    """Group the strings that are anagrams of each other.

    Args:
        strs: the words.

    Returns:
        The groups, ordered by each group's first word in ``strs``; words keep input order.

    Raises:
        TypeError: ``strs`` is not a list of str.

    Complexity: O(n * L log L) time for n words of length at most L, O(n * L) space.

    >>> group_anagrams(["eat", "tea", "tan", "ate", "nat", "bat"])
    [['eat', 'tea', 'ate'], ['tan', 'nat'], ['bat']]
    >>> group_anagrams([""])
    [['']]
    """
    require_str_list("strs", strs)
    groups: dict[str, list[str]] = {}
    for word in strs:
        # Sorted letters are the same for every anagram and differ otherwise: a canonical key.
        groups.setdefault("".join(sorted(word)), []).append(word)
    return list(groups.values())


def product_of_array_except_self(nums: list[int]) -> list[int]:
    """Return ``out`` with ``out[i]`` the product of every element but ``nums[i]``, no division.

    Args:
        nums: the numbers (zeros allowed).

    Returns:
        The products.

    Raises:
        TypeError: ``nums`` is not a list of int.

    Complexity: O(n) time, O(1) extra space besides the output.

    >>> product_of_array_except_self([1, 2, 3, 4])
    [24, 12, 8, 6]
    >>> product_of_array_except_self([0, 5])
    [5, 0]
    """
    n = len(require_int_list("nums", nums))
    out = [1] * n
    for i in range(1, n):  # out[i] = product of everything left of i
        out[i] = out[i - 1] * nums[i - 1]
    right = 1
    for i in range(n - 1, -1, -1):  # times the product of everything right of i
        out[i] *= right
        right *= nums[i]
    return out


class StringCodec:
    """Encode a list of strings as one string and back (LeetCode's "Codec" for this problem).

    Each string is written as its length, ``#``, then the string itself, so no
    character needs escaping: the decoder always knows how many characters to take.

    >>> codec = StringCodec()
    >>> codec.encode(["lint", "#code", ""])
    '4#lint5##code0#'
    >>> codec.decode(codec.encode(["lint", "#code", ""]))
    ['lint', '#code', '']
    """

    def encode(self, strs: list[str]) -> str:
        """Return one string from which :meth:`decode` recovers ``strs`` exactly.

        Args:
            strs: any strings, including empty ones and ones containing ``#`` or digits.

        Returns:
            The encoding.

        Raises:
            TypeError: ``strs`` is not a list of str.

        Complexity: O(total length) time and space.

        >>> StringCodec().encode([])
        ''
        """
        require_str_list("strs", strs)
        return "".join(f"{len(s)}#{s}" for s in strs)

    def decode(self, s: str) -> list[str]:
        """Invert :meth:`encode`.

        Args:
            s: a string produced by :meth:`encode`.

        Returns:
            The original list.

        Raises:
            TypeError: ``s`` is not a str.
            ValueError: ``s`` is not a valid encoding.

        Complexity: O(len(s)) time and space.

        >>> StringCodec().decode("3#ab")
        Traceback (most recent call last):
            ...
        ValueError: malformed encoding at index 0: '3#ab'
        """
        require_str("s", s)
        out: list[str] = []
        i = 0
        while i < len(s):
            hash_at = s.find("#", i)
            if hash_at <= i or not s[i:hash_at].isdigit():
                raise ValueError(f"malformed encoding at index {i}: {s!r}")
            start = hash_at + 1
            end = start + int(s[i:hash_at])
            if end > len(s):
                raise ValueError(f"malformed encoding at index {i}: {s!r}")
            out.append(s[start:end])
            i = end
        return out


def longest_consecutive_sequence(nums: list[int]) -> int:
    """Return the length of the longest run of consecutive integers among the values of ``nums``.

    Args:
        nums: the numbers, in any order, duplicates allowed.

    Returns:
        The run length (0 for no numbers).

    Raises:
        TypeError: ``nums`` is not a list of int.

    Complexity: O(n) expected time, O(n) space.

    >>> longest_consecutive_sequence([100, 4, 200, 1, 3, 2])
    4
    >>> longest_consecutive_sequence([])
    0
    """
    values = set(require_int_list("nums", nums))
    best = 0
    for x in values:
        if x - 1 in values:
            continue  # not the start of a run: its run is counted from the start
        end = x
        while end + 1 in values:
            end += 1
        best = max(best, end - x + 1)
    return best


def ransom_note(ransom_note: str, magazine: str) -> bool:
    """Return whether ``ransom_note`` can be spelled from ``magazine``, each letter used once.

    Args:
        ransom_note: the letters needed.
        magazine: the letters available.

    Returns:
        ``True`` if every letter is available often enough.

    Raises:
        TypeError: either argument is not a str.

    Complexity: O(m + n) time, O(k) space for k distinct letters.

    >>> ransom_note("aa", "aab")
    True
    >>> ransom_note("aa", "ab")
    False
    >>> ransom_note(None, "a")
    Traceback (most recent call last):
        ...
    TypeError: ransom_note must be a str, got None
    """
    require_str("ransom_note", ransom_note)
    require_str("magazine", magazine)
    available = Counter(magazine)
    return all(available[ch] >= need for ch, need in Counter(ransom_note).items())


def majority_element(nums: list[int]) -> int:
    """Return the value that fills more than half of ``nums`` (Boyer-Moore voting).

    Args:
        nums: the numbers.

    Returns:
        The majority value.

    Raises:
        TypeError: ``nums`` is not a list of int.
        ValueError: no value occurs more than ``len(nums) // 2`` times.

    Complexity: O(n) time, O(1) space.

    >>> majority_element([2, 2, 1, 1, 1, 2, 2])
    2
    >>> majority_element([1, 2])
    Traceback (most recent call last):
        ...
    ValueError: no majority element in [1, 2]
    """
    require_int_list("nums", nums)
    candidate, votes = 0, 0
    for x in nums:
        if votes == 0:
            candidate = x
        votes += 1 if x == candidate else -1
    # Pairing each vote against a different value leaves the majority standing if one
    # exists; a second pass confirms it does.
    if nums.count(candidate) * 2 <= len(nums):
        raise ValueError(f"no majority element in {nums!r}")
    return candidate


def longest_palindrome(s: str) -> int:
    """Return the length of the longest palindrome that can be built from the letters of ``s``.

    Args:
        s: the letters (case-sensitive).

    Returns:
        The length.

    Raises:
        TypeError: ``s`` is not a str.

    Complexity: O(n) time, O(k) space for k distinct letters.

    >>> longest_palindrome("abccccdd")
    7
    >>> longest_palindrome("")
    0
    """
    counts = Counter(require_str("s", s))
    paired = sum(c // 2 * 2 for c in counts.values())
    has_odd = any(c % 2 for c in counts.values())
    return paired + (1 if has_odd else 0)  # one odd letter may sit in the middle


PROBLEMS: dict[str, Callable[..., object]] = {
    "Contains Duplicate": contains_duplicate,
    "Encode and Decode Strings": StringCodec,
    "Group Anagrams": group_anagrams,
    "Longest Consecutive Sequence": longest_consecutive_sequence,
    "Longest Palindrome": longest_palindrome,
    "Majority Element": majority_element,
    "Product of Array Except Self": product_of_array_except_self,
    "Ransom Note": ransom_note,
    "Two Sum": two_sum,
    "Valid Anagram": valid_anagram,
}
