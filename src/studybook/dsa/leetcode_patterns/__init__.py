"""LeetCode patterns: the Blind 75 and Grind 75 problems, solved and grouped by technique.

Interviewers reuse a small set of techniques under many stories; what they test
is whether a candidate recognises which one a statement calls for, states the
invariant that makes it correct, and codes it without off-by-one errors. Each
module here is one pattern; each solution is named after the problem's official
title in snake_case (``two_sum``, ``three_sum``, ``zero_one_matrix``) and design
problems are classes (``LRUCache``, ``MinStack``). :data:`PROBLEMS` maps every
official title to its solution.

Invariant shared by every pattern: each step discards candidates that provably
cannot be the answer (a pointer moves, a window slides, half a range goes, a
subtree returns its finished answer), so no candidate is looked at twice.

=====================  ======================  ==========================
pattern                typical time            what it replaces
=====================  ======================  ==========================
two pointers           O(n) (after O(n log n)  O(n^2) pairs
                       sort if needed)
sliding window         O(n)                    O(n^2) subarrays
hash map / set         O(n) expected           O(n^2) lookups
monotonic stack        O(n)                    O(n^2) "next greater"
binary search          O(log n)                O(n) scan
linked list pointers   O(n), O(1) space        copying to an array
tree recursion         O(n), O(h) stack        recomputing subtrees
BFS / DFS              O(V + E)                repeated searches
heap / top-k           O(n log k)              O(n log n) full sort
=====================  ======================  ==========================

>>> PROBLEMS["Two Sum"]([2, 7, 11, 15], 9)
[0, 1]
>>> PROBLEMS["3Sum"] is three_sum
True

Sources: the problem statements are LeetCode's; the selection is the union of
the Blind 75 list (Yangshun Tay, 2018) and Grind 75 (the same author's 2022
update), plus five problems on neither list. Techniques: Cormen, Leiserson,
Rivest and Stein, *Introduction to Algorithms*, 3rd ed. (2009).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import TextIO

from .backtracking import (
    combination_sum,
    letter_combinations_of_a_phone_number,
    permutations,
    subsets,
    word_search,
)
from .binary_search import (
    TimeMap,
    binary_search,
    find_minimum_in_rotated_sorted_array,
    first_bad_version,
    search_in_rotated_sorted_array,
)
from .bit_manipulation import (
    add_binary,
    counting_bits,
    missing_number,
    number_of_1_bits,
    reverse_bits,
    single_number,
    sum_of_two_integers,
)
from .dynamic_programming import (
    climbing_stairs,
    coin_change,
    combination_sum_iv,
    decode_ways,
    house_robber,
    house_robber_ii,
    longest_common_subsequence,
    longest_increasing_subsequence,
    longest_palindromic_substring,
    maximum_product_subarray,
    maximum_profit_in_job_scheduling,
    maximum_subarray,
    palindromic_substrings,
    partition_equal_subset_sum,
    unique_paths,
    word_break,
)
from .graphs import (
    alien_dictionary,
    clone_graph,
    course_schedule,
    flood_fill,
    minimum_height_trees,
    number_of_islands,
    pacific_atlantic_water_flow,
    rotting_oranges,
    word_ladder,
    zero_one_matrix,
)
from .greedy import (
    gas_station,
    jump_game,
)
from .hashing import (
    StringCodec,
    contains_duplicate,
    group_anagrams,
    longest_consecutive_sequence,
    longest_palindrome,
    majority_element,
    product_of_array_except_self,
    ransom_note,
    two_sum,
    valid_anagram,
)
from .heap import (
    MedianFinder,
    k_closest_points_to_origin,
    kth_largest_element_in_an_array,
    merge_k_sorted_lists,
    task_scheduler,
    top_k_frequent_elements,
)
from .intervals import (
    insert_interval,
    meeting_rooms,
    meeting_rooms_ii,
    merge_intervals,
    non_overlapping_intervals,
)
from .linked_list import (
    LRUCache,
    linked_list_cycle,
    merge_two_sorted_lists,
    middle_of_the_linked_list,
    remove_nth_node_from_end_of_list,
    reorder_list,
    reverse_linked_list,
)
from .math_geometry import (
    rotate_image,
    set_matrix_zeroes,
    spiral_matrix,
    string_to_integer_atoi,
)
from .nodes import GraphNode, ListNode, TreeNode
from .sliding_window import (
    best_time_to_buy_and_sell_stock,
    find_all_anagrams_in_a_string,
    longest_repeating_character_replacement,
    longest_substring_without_repeating_characters,
    minimum_window_substring,
)
from .stack import (
    MinStack,
    MyQueue,
    basic_calculator,
    daily_temperatures,
    evaluate_reverse_polish_notation,
    largest_rectangle_in_histogram,
    valid_parentheses,
)
from .trees import (
    Codec,
    balanced_binary_tree,
    binary_tree_level_order_traversal,
    binary_tree_maximum_path_sum,
    binary_tree_right_side_view,
    construct_binary_tree_from_preorder_and_inorder_traversal,
    diameter_of_binary_tree,
    invert_binary_tree,
    kth_smallest_element_in_a_bst,
    lowest_common_ancestor_of_a_binary_search_tree,
    lowest_common_ancestor_of_a_binary_tree,
    maximum_depth_of_binary_tree,
    same_tree,
    subtree_of_another_tree,
    validate_binary_search_tree,
)
from .trie import (
    Trie,
    WordDictionary,
    word_search_ii,
)
from .two_pointers import (
    container_with_most_water,
    sort_colors,
    three_sum,
    trapping_rain_water,
    valid_palindrome,
)
from .union_find import (
    DisjointSet,
    accounts_merge,
    graph_valid_tree,
    number_of_connected_components_in_an_undirected_graph,
    redundant_connection,
)

__all__ = [
    "PATTERN_MODULES",
    "PROBLEMS",
    "Codec",
    "DisjointSet",
    "GraphNode",
    "LRUCache",
    "ListNode",
    "MedianFinder",
    "MinStack",
    "MyQueue",
    "StringCodec",
    "TimeMap",
    "TreeNode",
    "Trie",
    "WordDictionary",
    "accounts_merge",
    "add_binary",
    "alien_dictionary",
    "balanced_binary_tree",
    "basic_calculator",
    "best_time_to_buy_and_sell_stock",
    "binary_search",
    "binary_tree_level_order_traversal",
    "binary_tree_maximum_path_sum",
    "binary_tree_right_side_view",
    "climbing_stairs",
    "clone_graph",
    "coin_change",
    "combination_sum",
    "combination_sum_iv",
    "construct_binary_tree_from_preorder_and_inorder_traversal",
    "container_with_most_water",
    "contains_duplicate",
    "counting_bits",
    "course_schedule",
    "daily_temperatures",
    "decode_ways",
    "demo",
    "diameter_of_binary_tree",
    "evaluate_reverse_polish_notation",
    "find_all_anagrams_in_a_string",
    "find_minimum_in_rotated_sorted_array",
    "first_bad_version",
    "flood_fill",
    "gas_station",
    "graph_valid_tree",
    "group_anagrams",
    "house_robber",
    "house_robber_ii",
    "insert_interval",
    "invert_binary_tree",
    "jump_game",
    "k_closest_points_to_origin",
    "kth_largest_element_in_an_array",
    "kth_smallest_element_in_a_bst",
    "largest_rectangle_in_histogram",
    "letter_combinations_of_a_phone_number",
    "linked_list_cycle",
    "longest_common_subsequence",
    "longest_consecutive_sequence",
    "longest_increasing_subsequence",
    "longest_palindrome",
    "longest_palindromic_substring",
    "longest_repeating_character_replacement",
    "longest_substring_without_repeating_characters",
    "lowest_common_ancestor_of_a_binary_search_tree",
    "lowest_common_ancestor_of_a_binary_tree",
    "majority_element",
    "maximum_depth_of_binary_tree",
    "maximum_product_subarray",
    "maximum_profit_in_job_scheduling",
    "maximum_subarray",
    "meeting_rooms",
    "meeting_rooms_ii",
    "merge_intervals",
    "merge_k_sorted_lists",
    "merge_two_sorted_lists",
    "middle_of_the_linked_list",
    "minimum_height_trees",
    "minimum_window_substring",
    "missing_number",
    "non_overlapping_intervals",
    "number_of_1_bits",
    "number_of_connected_components_in_an_undirected_graph",
    "number_of_islands",
    "pacific_atlantic_water_flow",
    "palindromic_substrings",
    "partition_equal_subset_sum",
    "permutations",
    "product_of_array_except_self",
    "ransom_note",
    "redundant_connection",
    "remove_nth_node_from_end_of_list",
    "reorder_list",
    "reverse_bits",
    "reverse_linked_list",
    "rotate_image",
    "rotting_oranges",
    "same_tree",
    "search_in_rotated_sorted_array",
    "set_matrix_zeroes",
    "single_number",
    "sort_colors",
    "spiral_matrix",
    "string_to_integer_atoi",
    "subsets",
    "subtree_of_another_tree",
    "sum_of_two_integers",
    "task_scheduler",
    "three_sum",
    "top_k_frequent_elements",
    "trapping_rain_water",
    "two_sum",
    "unique_paths",
    "valid_anagram",
    "valid_palindrome",
    "valid_parentheses",
    "validate_binary_search_tree",
    "word_break",
    "word_ladder",
    "word_search",
    "word_search_ii",
    "zero_one_matrix",
]

# Pattern modules in chapter order (part A's, then part B's). Imported by name: the
# package attribute ``binary_search`` is the function, which shadows its module.
_PATTERN_NAMES = (
    "two_pointers",
    "sliding_window",
    "hashing",
    "stack",
    "binary_search",
    "linked_list",
    "trees",
    "graphs",
    "heap",
    "intervals",
    "backtracking",
    "dynamic_programming",
    "greedy",
    "union_find",
    "trie",
    "bit_manipulation",
    "math_geometry",
)
#: The pattern modules, each with its own ``PROBLEMS`` mapping.
PATTERN_MODULES: tuple[ModuleType, ...] = tuple(
    importlib.import_module(f"{__name__}.{name}") for name in _PATTERN_NAMES
)


def _merge(modules: tuple[ModuleType, ...]) -> dict[str, Callable[..., object]]:
    merged: dict[str, Callable[..., object]] = {}
    for module in modules:
        merged.update(module.PROBLEMS)
    return dict(sorted(merged.items()))


#: Every problem's official title mapped to its solution (a function or a design class).
PROBLEMS: dict[str, Callable[..., object]] = _merge(PATTERN_MODULES)


def demo(out: TextIO) -> None:
    """Narrate a tour of the chapter: the patterns, then one solved problem from several.

    Args:
        out: where to write the narration.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    LeetCode patterns: 116 problems in 17 pattern modules
      two_pointers          5 problems
      sliding_window        5 problems
      hashing              10 problems
      stack                 7 problems
      binary_search         5 problems
      linked_list           7 problems
      trees                15 problems
      graphs               10 problems
      heap                  6 problems
      intervals             5 problems
      backtracking          5 problems
      dynamic_programming  16 problems
      greedy                2 problems
      union_find            4 problems
      trie                  3 problems
      bit_manipulation      7 problems
      math_geometry         4 problems
    hash map: Two Sum([2, 7, 11, 15], 9) -> [0, 1]
    two pointers: Container With Most Water([1, 8, 6, 2, 5, 4, 8, 3, 7]) -> 49
    sliding window: Longest Substring Without Repeating ('abcabcbb') -> 3
    monotonic stack: Daily Temperatures -> [1, 1, 4, 2, 1, 1, 0, 0]
    trees: Validate BST([5, 1, 4, null, null, 3, 6]) -> False
    graphs: Rotting Oranges([[2, 1, 1], [1, 1, 0], [0, 1, 1]]) -> 4 minutes
    """
    count, modules = len(PROBLEMS), len(PATTERN_MODULES)
    out.write(f"LeetCode patterns: {count} problems in {modules} pattern modules\n")
    for module in PATTERN_MODULES:
        name = module.__name__.rsplit(".", 1)[-1]
        out.write(f"  {name:<20} {len(module.PROBLEMS):>2} problems\n")
    out.write(f"hash map: Two Sum([2, 7, 11, 15], 9) -> {two_sum([2, 7, 11, 15], 9)}\n")
    best = container_with_most_water([1, 8, 6, 2, 5, 4, 8, 3, 7])
    out.write(f"two pointers: Container With Most Water([1, 8, 6, 2, 5, 4, 8, 3, 7]) -> {best}\n")
    longest = longest_substring_without_repeating_characters("abcabcbb")
    out.write(f"sliding window: Longest Substring Without Repeating ('abcabcbb') -> {longest}\n")
    warmer = daily_temperatures([73, 74, 75, 71, 69, 72, 76, 73])
    out.write(f"monotonic stack: Daily Temperatures -> {warmer}\n")
    root = TreeNode.from_level_order([5, 1, 4, None, None, 3, 6])
    valid = validate_binary_search_tree(root)
    out.write(f"trees: Validate BST([5, 1, 4, null, null, 3, 6]) -> {valid}\n")
    grid = [[2, 1, 1], [1, 1, 0], [0, 1, 1]]
    out.write(f"graphs: Rotting Oranges({grid}) -> {rotting_oranges(grid)} minutes\n")
