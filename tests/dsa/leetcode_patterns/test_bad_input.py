"""Bad input at every entry point of the catalogue: a clear TypeError or ValueError, value named.

Each problem has one valid sample call and a kind per argument. The test first checks
that the sample works, then swaps one argument at a time for ``None`` and for the bad
values of its kind (``True`` and ``1.5`` for an int, NaN inside a list of numbers, ...)
and expects the error to quote the offending value. A problem missing from the table
fails ``test_every_problem_has_a_sample``, so the sweep cannot silently skip one.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable

import pytest

import studybook.dsa.leetcode_patterns as lp
from studybook.dsa.leetcode_patterns import GraphNode, ListNode, TreeNode

NAN = float("nan")


def tree() -> TreeNode | None:
    return TreeNode.from_level_order([2, 1, 3])


def linked() -> ListNode | None:
    return ListNode.from_list([1, 2, 3])


# Bad values per argument kind: (value, error, text the message must contain): "got " and
# the repr of the offending value (or item), or for ragged grids the two row lengths.
BAD: dict[str, list[tuple[object, type[Exception], str]]] = {
    "int": [(True, TypeError, "got True"), (1.5, TypeError, "got 1.5"), (NAN, TypeError, "got nan"),
            ("3", TypeError, "got '3'")],
    "str": [(1, TypeError, "got 1"), (["a"], TypeError, "got ['a']")],
    "ints": [([1, True], TypeError, "got True"), ([NAN], TypeError, "got nan"),
             ([1.5], TypeError, "got 1.5"), ("12", TypeError, "got '12'")],
    "reals": [([1, NAN], ValueError, "got nan"), ([math.inf], ValueError, "got inf"),
              ([False], TypeError, "got False")],
    "strs": [(["a", None], TypeError, "got None"), ("abc", TypeError, "got 'abc'"),
             ([1], TypeError, "got 1")],
    "pairs": [([[0, True]], TypeError, "got True"), ([[0, 1, 2]], ValueError, "got [0, 1, 2]"),
              ([5], TypeError, "got 5")],
    "grid": [([[1, True]], TypeError, "got True"), ([[1], [1, 2]], ValueError, "row 1 has 2"),
             ([1, 2], TypeError, "got 1")],
    "chars": [([["1", 1]], TypeError, "got 1"), ([["1"], ["0", "1"]], ValueError, "row 1 has 2"),
              (["ab"], TypeError, "got 'ab'"), ([["ab"]], ValueError, "got 'ab'"),
              ([[""]], ValueError, "got ''")],
    "tree": [(5, TypeError, "got 5"), ([2, 1, 3], TypeError, "got [2, 1, 3]")],
    "list": [(5, TypeError, "got 5"), ([1, 2], TypeError, "got [1, 2]")],
    "graph": [(3, TypeError, "got 3")],
    "lists": [([5], TypeError, "got 5"), (5, TypeError, "got 5")],
    "fn": [(3, TypeError, "got 3")],
    "seq": [("12", TypeError, "got '12'"), (5, TypeError, "got 5")],
    "accounts": [([["Ann", None]], TypeError, "got None"), ([5], TypeError, "got 5"),
                 ("abc", TypeError, "got 'abc'")],
}  # fmt: skip

# title -> (sample arguments as a factory, kinds); factories give fresh nodes per call.
SAMPLES: dict[str, tuple[Callable[[], tuple[object, ...]], tuple[str, ...]]] = {
    "01 Matrix": (lambda: ([[0, 1], [1, 1]],), ("grid",)),
    "3Sum": (lambda: ([-1, 0, 1],), ("ints",)),
    "Accounts Merge": (lambda: ([["Ann", "a@x"]],), ("accounts",)),
    "Add Binary": (lambda: ("1", "1"), ("str", "str")),
    "Alien Dictionary": (lambda: (["ab", "b"],), ("strs",)),
    "Balanced Binary Tree": (lambda: (tree(),), ("tree",)),
    "Basic Calculator": (lambda: ("1 + 2",), ("str",)),
    "Best Time to Buy and Sell Stock": (lambda: ([1, 2],), ("reals",)),
    "Binary Search": (lambda: ([1, 2, 3], 2), ("seq", "int")),
    "Binary Tree Level Order Traversal": (lambda: (tree(),), ("tree",)),
    "Binary Tree Maximum Path Sum": (lambda: (tree(),), ("tree",)),
    "Binary Tree Right Side View": (lambda: (tree(),), ("tree",)),
    "Climbing Stairs": (lambda: (3,), ("int",)),
    "Clone Graph": (lambda: (GraphNode.from_adjacency([[2], [1]]),), ("graph",)),
    "Coin Change": (lambda: ([1, 2], 3), ("ints", "int")),
    "Combination Sum": (lambda: ([2, 3], 5), ("ints", "int")),
    "Combination Sum IV": (lambda: ([1, 2], 3), ("ints", "int")),
    "Construct Binary Tree from Preorder and Inorder Traversal": (
        lambda: ([2, 1, 3], [1, 2, 3]),
        ("ints", "ints"),
    ),
    "Container With Most Water": (lambda: ([1, 2],), ("ints",)),
    "Contains Duplicate": (lambda: ([1, 2],), ("ints",)),
    "Counting Bits": (lambda: (3,), ("int",)),
    "Course Schedule": (lambda: (2, [[1, 0]]), ("int", "pairs")),
    "Daily Temperatures": (lambda: ([30, 40],), ("ints",)),
    "Decode Ways": (lambda: ("12",), ("str",)),
    "Diameter of Binary Tree": (lambda: (tree(),), ("tree",)),
    "Evaluate Reverse Polish Notation": (lambda: (["1", "2", "+"],), ("strs",)),
    "Find All Anagrams in a String": (lambda: ("abab", "ab"), ("str", "str")),
    "Find Minimum in Rotated Sorted Array": (lambda: ([3, 1, 2],), ("seq",)),
    "First Bad Version": (lambda: (5, lambda v: v >= 3), ("int", "fn")),
    "Flood Fill": (lambda: ([[1, 1], [0, 1]], 0, 0, 2), ("grid", "int", "int", "int")),
    "Gas Station": (lambda: ([1, 2], [2, 1]), ("ints", "ints")),
    "Graph Valid Tree": (lambda: (2, [[0, 1]]), ("int", "pairs")),
    "Group Anagrams": (lambda: (["ab", "ba"],), ("strs",)),
    "House Robber": (lambda: ([1, 2],), ("ints",)),
    "House Robber II": (lambda: ([1, 2],), ("ints",)),
    "Insert Interval": (lambda: ([[1, 2]], [3, 4]), ("pairs", "ints")),
    "Invert Binary Tree": (lambda: (tree(),), ("tree",)),
    "Jump Game": (lambda: ([1, 0],), ("ints",)),
    "K Closest Points to Origin": (lambda: ([[1, 1], [2, 2]], 1), ("pairs", "int")),
    "Kth Largest Element in an Array": (lambda: ([3, 1, 2], 1), ("ints", "int")),
    "Kth Smallest Element in a BST": (lambda: (tree(), 1), ("tree", "int")),
    "Largest Rectangle in Histogram": (lambda: ([2, 1],), ("ints",)),
    "Letter Combinations of a Phone Number": (lambda: ("23",), ("str",)),
    "Linked List Cycle": (lambda: (linked(),), ("list",)),
    "Longest Common Subsequence": (lambda: ("ab", "b"), ("str", "str")),
    "Longest Consecutive Sequence": (lambda: ([1, 2],), ("ints",)),
    "Longest Increasing Subsequence": (lambda: ([1, 2],), ("ints",)),
    "Longest Palindrome": (lambda: ("aab",), ("str",)),
    "Longest Palindromic Substring": (lambda: ("aba",), ("str",)),
    "Longest Repeating Character Replacement": (lambda: ("AAB", 1), ("str", "int")),
    "Longest Substring Without Repeating Characters": (lambda: ("abc",), ("str",)),
    "Lowest Common Ancestor of a Binary Search Tree": (
        lambda: (tree(), 1, 3),
        ("tree", "int", "int"),
    ),
    "Lowest Common Ancestor of a Binary Tree": (lambda: (tree(), 1, 3), ("tree", "int", "int")),
    "Majority Element": (lambda: ([1, 1, 2],), ("ints",)),
    "Maximum Depth of Binary Tree": (lambda: (tree(),), ("tree",)),
    "Maximum Product Subarray": (lambda: ([2, -1],), ("ints",)),
    "Maximum Profit in Job Scheduling": (lambda: ([1], [2], [5]), ("ints", "ints", "ints")),
    "Maximum Subarray": (lambda: ([2, -1],), ("ints",)),
    "Meeting Rooms": (lambda: ([[1, 2]],), ("pairs",)),
    "Meeting Rooms II": (lambda: ([[1, 2]],), ("pairs",)),
    "Merge Intervals": (lambda: ([[1, 2]],), ("pairs",)),
    "Merge Two Sorted Lists": (lambda: (linked(), linked()), ("list", "list")),
    "Merge k Sorted Lists": (lambda: ([linked(), None],), ("lists",)),
    "Middle of the Linked List": (lambda: (linked(),), ("list",)),
    "Minimum Height Trees": (lambda: (2, [[0, 1]]), ("int", "pairs")),
    "Minimum Window Substring": (lambda: ("abc", "b"), ("str", "str")),
    "Missing Number": (lambda: ([0, 2],), ("ints",)),
    "Non-overlapping Intervals": (lambda: ([[1, 2]],), ("pairs",)),
    "Number of 1 Bits": (lambda: (3,), ("int",)),
    "Number of Connected Components in an Undirected Graph": (
        lambda: (2, [[0, 1]]),
        ("int", "pairs"),
    ),
    "Number of Islands": (lambda: ([["1", "0"]],), ("chars",)),
    "Pacific Atlantic Water Flow": (lambda: ([[1, 2], [2, 1]],), ("grid",)),
    "Palindromic Substrings": (lambda: ("aa",), ("str",)),
    "Partition Equal Subset Sum": (lambda: ([1, 1],), ("ints",)),
    "Permutations": (lambda: ([1, 2],), ("ints",)),
    "Product of Array Except Self": (lambda: ([1, 2],), ("ints",)),
    "Ransom Note": (lambda: ("a", "ab"), ("str", "str")),
    "Redundant Connection": (lambda: ([[1, 2], [1, 3], [2, 3]],), ("pairs",)),
    "Remove Nth Node From End of List": (lambda: (linked(), 1), ("list", "int")),
    "Reorder List": (lambda: (linked(),), ("list",)),
    "Reverse Bits": (lambda: (1,), ("int",)),
    "Reverse Linked List": (lambda: (linked(),), ("list",)),
    "Rotate Image": (lambda: ([[1, 2], [3, 4]],), ("grid",)),
    "Rotting Oranges": (lambda: ([[2, 1]],), ("grid",)),
    "Same Tree": (lambda: (tree(), tree()), ("tree", "tree")),
    "Search in Rotated Sorted Array": (lambda: ([3, 1, 2], 1), ("seq", "int")),
    "Set Matrix Zeroes": (lambda: ([[1, 0], [1, 1]],), ("grid",)),
    "Single Number": (lambda: ([1, 2, 1],), ("ints",)),
    "Sort Colors": (lambda: ([2, 0, 1],), ("ints",)),
    "Spiral Matrix": (lambda: ([[1, 2], [3, 4]],), ("grid",)),
    "String to Integer (atoi)": (lambda: ("42",), ("str",)),
    "Subsets": (lambda: ([1, 2],), ("ints",)),
    "Subtree of Another Tree": (lambda: (tree(), tree()), ("tree", "tree")),
    "Sum of Two Integers": (lambda: (1, 2), ("int", "int")),
    "Task Scheduler": (lambda: (["A", "B"], 1), ("strs", "int")),
    "Top K Frequent Elements": (lambda: ([1, 1, 2], 1), ("ints", "int")),
    "Trapping Rain Water": (lambda: ([1, 0, 1],), ("ints",)),
    "Two Sum": (lambda: ([1, 2], 3), ("ints", "int")),
    "Unique Paths": (lambda: (2, 2), ("int", "int")),
    "Valid Anagram": (lambda: ("ab", "ba"), ("str", "str")),
    "Valid Palindrome": (lambda: ("aba",), ("str",)),
    "Valid Parentheses": (lambda: ("()",), ("str",)),
    "Validate Binary Search Tree": (lambda: (tree(),), ("tree",)),
    "Word Break": (lambda: ("ab", ["a", "b"]), ("str", "strs")),
    "Word Ladder": (lambda: ("hit", "hot", ["hot"]), ("str", "str", "strs")),
    "Word Search": (lambda: ([["a", "b"]], "ab"), ("chars", "str")),
    "Word Search II": (lambda: ([["a", "b"]], ["ab"]), ("chars", "strs")),
}

# Design classes: (label, factory of a ready instance, method name, sample args, kinds).
DESIGN: list[tuple[str, Callable[[], object], str, tuple[object, ...], tuple[str, ...]]] = [
    ("DisjointSet()", lambda: lp.DisjointSet, "__call__", (3,), ("int",)),
    ("DisjointSet.find", lambda: lp.DisjointSet(3), "find", (1,), ("int",)),
    ("DisjointSet.union", lambda: lp.DisjointSet(3), "union", (0, 1), ("int", "int")),
    ("LRUCache()", lambda: lp.LRUCache, "__call__", (2,), ("int",)),
    ("LRUCache.get", lambda: lp.LRUCache(2), "get", (1,), ("int",)),
    ("LRUCache.put", lambda: lp.LRUCache(2), "put", (1, 1), ("int", "int")),
    ("MedianFinder.add_num", lp.MedianFinder, "add_num", (1,), ("int",)),
    ("MinStack.push", lp.MinStack, "push", (1,), ("int",)),
    ("MyQueue.push", lp.MyQueue, "push", (1,), ("int",)),
    ("StringCodec.encode", lp.StringCodec, "encode", (["a"],), ("strs",)),
    ("StringCodec.decode", lp.StringCodec, "decode", ("1#a",), ("str",)),
    ("Codec.serialize", lp.Codec, "serialize", (TreeNode(1),), ("tree",)),
    ("Codec.deserialize", lp.Codec, "deserialize", ("1,#,#",), ("str",)),
    ("TimeMap.set", lp.TimeMap, "set", ("k", "v", 1), ("str", "str", "int")),
    ("TimeMap.get", lp.TimeMap, "get", ("k", 1), ("str", "int")),
    ("Trie.insert", lp.Trie, "insert", ("ab",), ("str",)),
    ("Trie.search", lp.Trie, "search", ("ab",), ("str",)),
    ("Trie.starts_with", lp.Trie, "starts_with", ("a",), ("str",)),
    ("WordDictionary.add_word", lp.WordDictionary, "add_word", ("ab",), ("str",)),
    ("WordDictionary.search", lp.WordDictionary, "search", ("a.",), ("str",)),
    ("TreeNode()", lambda: TreeNode, "__call__", (1, None, None), ("int", "tree", "tree")),
    ("ListNode()", lambda: ListNode, "__call__", (1, None), ("int", "list")),
    ("GraphNode()", lambda: GraphNode, "__call__", (1,), ("int",)),
]


Callee = Callable[[], Callable[..., object]]
Args = Callable[[], tuple[object, ...]]


def _entries() -> list[object]:
    """One pytest.param per entry point: its callee, sample arguments and argument kinds."""
    entries: list[object] = []
    for title, (args, kinds) in SAMPLES.items():
        entries.append(pytest.param(lambda t=title: lp.PROBLEMS[t], args, kinds, id=title))
    for label, make, method, sample, kinds in DESIGN:
        callee = lambda m=make, n=method: getattr(m(), n)  # noqa: E731
        entries.append(pytest.param(callee, lambda s=sample: s, kinds, id=label))
    return entries


def test_every_entry_point_has_a_sample() -> None:
    functions = {title for title, f in lp.PROBLEMS.items() if not inspect.isclass(f)}
    assert set(SAMPLES) == functions
    covered = {label.rstrip("()") for label, *_ in DESIGN}
    for cls in [f for f in lp.PROBLEMS.values() if inspect.isclass(f)] + [lp.DisjointSet]:
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            takes_args = len(inspect.signature(method).parameters) > 1
            if takes_args and not name.startswith("_"):
                assert f"{cls.__name__}.{name}" in covered
        if len(inspect.signature(cls).parameters) > 0:
            assert cls.__name__ in covered


@pytest.mark.parametrize(("callee", "args", "kinds"), _entries())
def test_bad_arguments_are_rejected_with_their_value(
    callee: Callee, args: Args, kinds: tuple[str, ...]
) -> None:
    """Swap each argument in turn for each bad value of its kind (and for None)."""
    callee()(*args())  # the sample itself is valid: each error below comes from the swap
    for index, kind in enumerate(kinds):
        bad_values = list(BAD[kind])
        if kind not in ("tree", "list", "graph"):  # there None is the empty tree or list
            bad_values.append((None, TypeError, "got None"))
        for bad, error, text in bad_values:
            call = list(args())
            call[index] = bad
            with pytest.raises(error, match=re.escape(text)):
                callee()(*call)


@pytest.mark.parametrize(
    ("call", "error", "text"),
    [
        # Domain rules that once hung or answered wrongly instead of raising.
        (
            lambda: lp.reverse_linked_list(ListNode.from_list([1, 2], cycle_to=0)),
            ValueError,
            "cycle",
        ),
        (
            lambda: lp.middle_of_the_linked_list(ListNode.from_list([1], cycle_to=0)),
            ValueError,
            "cycle",
        ),
        (lambda: lp.merge_two_sorted_lists(ListNode.from_list([2, 1]), None), ValueError, "sorted"),
        (lambda: lp.merge_k_sorted_lists([ListNode.from_list([3, 1])]), ValueError, "lists[0]"),
        (lambda: lp.redundant_connection([]), ValueError, "[]"),
        (lambda: lp.number_of_islands([[1, 1]]), TypeError, "1"),
        (lambda: lp.rotting_oranges([[3]]), ValueError, "3"),
        (lambda: lp.evaluate_reverse_polish_notation(["\u0663"]), ValueError, "'\u0663'"),
        (lambda: lp.evaluate_reverse_polish_notation([" 1"]), ValueError, "' 1'"),
        (lambda: lp.Codec().deserialize("1_0,#,#"), ValueError, "1_0"),
        (lambda: lp.Codec().deserialize("1,#,#,#"), ValueError, "'1,#,#,#'"),
        (
            lambda: lp.construct_binary_tree_from_preorder_and_inorder_traversal(
                [1, 2, 3], [3, 1, 2]
            ),
            ValueError,
            "no tree has preorder [1, 2, 3] and inorder [3, 1, 2]",
        ),
        (lambda: lp.meeting_rooms_ii([[5, 5], [5, 5]]), ValueError, "start < end, got [5, 5]"),
        (lambda: lp.meeting_rooms_ii([[1, 3], [2, 2]]), ValueError, "got [2, 2]"),
        (lambda: lp.maximum_profit_in_job_scheduling([2], [1], [5]), ValueError, "[2, 1]"),
        (lambda: lp.gas_station([-1], [0]), ValueError, "-1"),
        (lambda: lp.combination_sum([1], -1), ValueError, "-1"),
        (lambda: TreeNode.from_level_order([1, "x"]), TypeError, "'x'"),
    ],
)
def test_domain_rules(call: Callable[[], object], error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=re.escape(text)):
        call()
