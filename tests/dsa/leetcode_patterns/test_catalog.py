"""The chapter's catalogue: every problem listed once, named by the rule, exported and callable."""

from __future__ import annotations

import inspect
import io
import pkgutil
import re

import pytest

import studybook.dsa.leetcode_patterns as lp

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# Part A's share of the Blind 75 and Grind 75, by module.
PART_A = {
    "two_pointers": [
        "3Sum", "Container With Most Water", "Sort Colors", "Trapping Rain Water",
        "Valid Palindrome",
    ],
    "sliding_window": [
        "Best Time to Buy and Sell Stock", "Find All Anagrams in a String",
        "Longest Repeating Character Replacement", "Longest Substring Without Repeating Characters",
        "Minimum Window Substring",
    ],
    "hashing": [
        "Contains Duplicate", "Encode and Decode Strings", "Group Anagrams",
        "Longest Consecutive Sequence", "Longest Palindrome", "Majority Element",
        "Product of Array Except Self", "Ransom Note", "Two Sum", "Valid Anagram",
    ],
    "stack": [
        "Basic Calculator", "Daily Temperatures", "Evaluate Reverse Polish Notation",
        "Implement Queue using Stacks", "Largest Rectangle in Histogram", "Min Stack",
        "Valid Parentheses",
    ],
    "binary_search": [
        "Binary Search", "Find Minimum in Rotated Sorted Array", "First Bad Version",
        "Search in Rotated Sorted Array", "Time Based Key-Value Store",
    ],
    "linked_list": [
        "LRU Cache", "Linked List Cycle", "Merge Two Sorted Lists", "Middle of the Linked List",
        "Remove Nth Node From End of List", "Reorder List", "Reverse Linked List",
    ],
    "trees": [
        "Balanced Binary Tree", "Binary Tree Level Order Traversal", "Binary Tree Maximum Path Sum",
        "Binary Tree Right Side View", "Construct Binary Tree from Preorder and Inorder Traversal",
        "Diameter of Binary Tree", "Invert Binary Tree", "Kth Smallest Element in a BST",
        "Lowest Common Ancestor of a Binary Search Tree", "Lowest Common Ancestor of a Binary Tree",
        "Maximum Depth of Binary Tree", "Same Tree", "Serialize and Deserialize Binary Tree",
        "Subtree of Another Tree", "Validate Binary Search Tree",
    ],
    "graphs": [
        "01 Matrix", "Alien Dictionary", "Clone Graph", "Course Schedule", "Flood Fill",
        "Minimum Height Trees", "Number of Islands", "Pacific Atlantic Water Flow",
        "Rotting Oranges", "Word Ladder",
    ],
}  # fmt: skip


def snake_case(title: str) -> str:
    """The naming rule: a leading number spelled out digit by digit, then words joined by _."""
    m = re.match(r"(\d+)\s*(.*)", title)
    if m:
        title = " ".join(DIGITS[int(d)] for d in m[1]) + " " + m[2]
    return "_".join(w.lower() for w in re.findall(r"[A-Za-z0-9]+", title))


def module_name(module: object) -> str:
    return str(getattr(module, "__name__", "")).rsplit(".", 1)[-1]


def test_snake_case_rule_examples() -> None:
    assert snake_case("3Sum") == "three_sum"
    assert snake_case("01 Matrix") == "zero_one_matrix"
    assert snake_case("Best Time to Buy and Sell Stock") == "best_time_to_buy_and_sell_stock"
    assert snake_case("String to Integer (atoi)") == "string_to_integer_atoi"


def test_no_title_is_claimed_by_two_modules() -> None:
    owners: dict[str, list[str]] = {}
    for module in lp.PATTERN_MODULES:
        for title in module.PROBLEMS:
            owners.setdefault(title, []).append(module_name(module))
    shared = {t: m for t, m in owners.items() if len(m) > 1}
    assert not shared, f"titles in more than one module: {shared}"
    assert len(lp.PROBLEMS) == sum(len(m.PROBLEMS) for m in lp.PATTERN_MODULES)


def test_every_pattern_module_of_the_package_is_merged() -> None:
    on_disk = {
        info.name
        for info in pkgutil.iter_modules(lp.__path__)
        if info.name != "nodes" and not info.name.startswith("_")  # helpers, not patterns
    }
    assert on_disk == {module_name(m) for m in lp.PATTERN_MODULES}


def test_the_catalogue_holds_exactly_116_problems() -> None:
    """Blind 75 and Grind 75 merged (111, see below) plus five more; a lost or extra entry fails."""
    assert len(lp.PROBLEMS) == 116
    assert sum(len(titles) for titles in PART_A.values()) == 64
    part_b = set(lp.PROBLEMS) - {t for titles in PART_A.values() for t in titles}
    assert len(part_b) == 116 - 64


def test_package_problems_cover_every_module() -> None:
    merged = {t: s for m in lp.PATTERN_MODULES for t, s in m.PROBLEMS.items()}
    assert merged == lp.PROBLEMS
    assert list(lp.PROBLEMS) == sorted(lp.PROBLEMS)


@pytest.mark.parametrize("title", sorted(lp.PROBLEMS))
def test_each_solution_is_named_by_the_rule_and_exported(title: str) -> None:
    solution = lp.PROBLEMS[title]
    assert callable(solution)
    name = getattr(solution, "__name__", "")
    if inspect.isclass(solution):
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), (
            f"{title!r}: class {name!r} is not CamelCase"
        )
    else:
        assert name == snake_case(title), f"{title!r} should be solved by {snake_case(title)}()"
    assert getattr(lp, name) is solution, f"{name} is not re-exported by the package"
    assert name in lp.__all__
    owner = next(m for m in lp.PATTERN_MODULES if title in m.PROBLEMS)
    assert solution.__module__ == owner.__name__
    assert name in owner.__all__


@pytest.mark.parametrize("module", sorted(PART_A))
def test_part_a_modules_hold_their_problems(module: str) -> None:
    owner = next(m for m in lp.PATTERN_MODULES if module_name(m) == module)
    assert sorted(owner.PROBLEMS) == sorted(PART_A[module])


def test_every_public_solution_has_a_doctest() -> None:
    for title, solution in lp.PROBLEMS.items():
        assert ">>>" in (solution.__doc__ or ""), f"{title!r} has no doctest"


def test_demo_narrates_at_least_five_lines() -> None:
    out = io.StringIO()
    lp.demo(out)
    lines = out.getvalue().splitlines()
    assert len(lines) >= 5
    count, modules = len(lp.PROBLEMS), len(lp.PATTERN_MODULES)
    assert lines[0] == f"LeetCode patterns: {count} problems in {modules} pattern modules"


# The two lists themselves, so a problem dropped from the catalogue or renamed fails by
# name. Grind 75: techinterviewhandbook.org/grind75; Blind 75: the 2018 Blind post, whose
# "Combination Sum" Grind 75 and NeetCode read as LC 39 (its original link points to
# LC 377, Combination Sum IV, which the catalogue also holds).
GRIND_75 = (
    "01 Matrix", "3Sum", "Accounts Merge", "Add Binary", "Balanced Binary Tree",
    "Basic Calculator", "Best Time to Buy and Sell Stock", "Binary Search",
    "Binary Tree Level Order Traversal", "Binary Tree Right Side View", "Climbing Stairs",
    "Clone Graph", "Coin Change", "Combination Sum",
    "Construct Binary Tree from Preorder and Inorder Traversal", "Container With Most Water",
    "Contains Duplicate", "Course Schedule", "Diameter of Binary Tree",
    "Evaluate Reverse Polish Notation", "Find All Anagrams in a String",
    "Find Median from Data Stream", "First Bad Version", "Flood Fill",
    "Implement Queue using Stacks", "Implement Trie (Prefix Tree)", "Insert Interval",
    "Invert Binary Tree", "K Closest Points to Origin", "Kth Smallest Element in a BST",
    "LRU Cache", "Largest Rectangle in Histogram", "Letter Combinations of a Phone Number",
    "Linked List Cycle", "Longest Palindrome", "Longest Palindromic Substring",
    "Longest Substring Without Repeating Characters",
    "Lowest Common Ancestor of a Binary Search Tree", "Lowest Common Ancestor of a Binary Tree",
    "Majority Element", "Maximum Depth of Binary Tree", "Maximum Profit in Job Scheduling",
    "Maximum Subarray", "Merge Intervals", "Merge Two Sorted Lists", "Merge k Sorted Lists",
    "Middle of the Linked List", "Min Stack", "Minimum Height Trees",
    "Minimum Window Substring", "Number of Islands", "Partition Equal Subset Sum",
    "Permutations", "Product of Array Except Self", "Ransom Note", "Reverse Linked List",
    "Rotting Oranges", "Search in Rotated Sorted Array",
    "Serialize and Deserialize Binary Tree", "Sort Colors", "Spiral Matrix",
    "String to Integer (atoi)", "Subsets", "Task Scheduler", "Time Based Key-Value Store",
    "Trapping Rain Water", "Two Sum", "Unique Paths", "Valid Anagram", "Valid Palindrome",
    "Valid Parentheses", "Validate Binary Search Tree", "Word Break", "Word Ladder",
    "Word Search",
)  # fmt: skip
BLIND_75 = (
    "3Sum", "Alien Dictionary", "Best Time to Buy and Sell Stock",
    "Binary Tree Level Order Traversal", "Binary Tree Maximum Path Sum", "Climbing Stairs",
    "Clone Graph", "Coin Change", "Combination Sum",
    "Construct Binary Tree from Preorder and Inorder Traversal", "Container With Most Water",
    "Contains Duplicate", "Counting Bits", "Course Schedule", "Decode Ways",
    "Design Add and Search Words Data Structure", "Encode and Decode Strings",
    "Find Median from Data Stream", "Find Minimum in Rotated Sorted Array", "Graph Valid Tree",
    "Group Anagrams", "House Robber", "House Robber II", "Implement Trie (Prefix Tree)",
    "Insert Interval", "Invert Binary Tree", "Jump Game", "Kth Smallest Element in a BST",
    "Linked List Cycle", "Longest Common Subsequence", "Longest Consecutive Sequence",
    "Longest Increasing Subsequence", "Longest Palindromic Substring",
    "Longest Repeating Character Replacement", "Longest Substring Without Repeating Characters",
    "Lowest Common Ancestor of a Binary Search Tree", "Maximum Depth of Binary Tree",
    "Maximum Product Subarray", "Maximum Subarray", "Meeting Rooms", "Meeting Rooms II",
    "Merge Intervals", "Merge Two Sorted Lists", "Merge k Sorted Lists",
    "Minimum Window Substring", "Missing Number", "Non-overlapping Intervals",
    "Number of 1 Bits", "Number of Connected Components in an Undirected Graph",
    "Number of Islands", "Pacific Atlantic Water Flow", "Palindromic Substrings",
    "Product of Array Except Self", "Remove Nth Node From End of List", "Reorder List",
    "Reverse Bits", "Reverse Linked List", "Rotate Image", "Same Tree",
    "Search in Rotated Sorted Array", "Serialize and Deserialize Binary Tree",
    "Set Matrix Zeroes", "Spiral Matrix", "Subtree of Another Tree", "Sum of Two Integers",
    "Top K Frequent Elements", "Two Sum", "Unique Paths", "Valid Anagram", "Valid Palindrome",
    "Valid Parentheses", "Validate Binary Search Tree", "Word Break", "Word Search",
    "Word Search II",
)  # fmt: skip


def test_every_grind_75_and_blind_75_problem_is_solved() -> None:
    assert len(set(GRIND_75)) == len(set(BLIND_75)) == 75
    missing = (set(GRIND_75) | set(BLIND_75) | {"Combination Sum IV"}) - set(lp.PROBLEMS)
    assert not missing, f"not in the catalogue: {sorted(missing)}"
    extra = set(lp.PROBLEMS) - set(GRIND_75) - set(BLIND_75)
    assert extra == {
        "Combination Sum IV", "Daily Temperatures", "Gas Station",
        "Kth Largest Element in an Array", "Redundant Connection", "Single Number",
    }  # fmt: skip
    assert len(set(GRIND_75) | set(BLIND_75)) + 1 == 111
