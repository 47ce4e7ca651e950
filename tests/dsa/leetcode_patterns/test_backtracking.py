"""Backtracking problems against itertools enumerations."""

from __future__ import annotations

import itertools
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.backtracking import (
    PROBLEMS,
    combination_sum,
    letter_combinations_of_a_phone_number,
    permutations,
    subsets,
    word_search,
)

FAST = settings(max_examples=25, deadline=None, derandomize=True)
distinct = st.lists(st.integers(-9, 9), max_size=5, unique=True)


@FAST
@given(st.lists(st.integers(1, 8), min_size=1, max_size=4, unique=True), st.integers(0, 14))
def test_combination_sum_matches_multiset_enumeration(candidates: list[int], target: int) -> None:
    expected = {
        combo
        for r in range(target // min(candidates) + 1)
        for combo in itertools.combinations_with_replacement(sorted(candidates), r)
        if sum(combo) == target
    }
    got = combination_sum(candidates, target)
    assert got == sorted(map(list, expected))  # each once, each sorted, lexicographic order
    assert combination_sum(candidates + candidates, target) == got  # repeats are ignored


@FAST
@given(distinct)
def test_permutations_match_itertools(nums: list[int]) -> None:
    got = permutations(nums)
    assert got == [list(p) for p in itertools.permutations(nums)]


@FAST
@given(distinct)
def test_subsets_match_combinations(nums: list[int]) -> None:
    got = subsets(nums)
    expected = {c for r in range(len(nums) + 1) for c in itertools.combinations(nums, r)}
    assert len(got) == 2 ** len(nums)
    assert {tuple(s) for s in got} == expected


@FAST
@given(st.text(alphabet="23456789", max_size=4))
def test_letter_combinations_match_product(digits: str) -> None:
    pad = {"2": "abc", "3": "def", "4": "ghi", "5": "jkl", "6": "mno", "7": "pqrs", "8": "tuv"}
    pad["9"] = "wxyz"
    expected = ["".join(p) for p in itertools.product(*(pad[d] for d in digits))] if digits else []
    assert letter_combinations_of_a_phone_number(digits) == expected


def brute_word_search(board: list[list[str]], word: str) -> bool:
    """Try every sequence of distinct cells of the word's length."""
    cells = [(r, c) for r in range(len(board)) for c in range(len(board[0]))]
    for path in itertools.permutations(cells, len(word)):
        steps_ok = all(
            abs(r1 - r2) + abs(c1 - c2) == 1 for (r1, c1), (r2, c2) in itertools.pairwise(path)
        )
        if steps_ok and all(board[r][c] == ch for (r, c), ch in zip(path, word, strict=True)):
            return True
    return False


boards = st.integers(1, 3).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda cols: st.lists(
            st.lists(st.sampled_from("ab"), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@FAST
@given(boards, st.text(alphabet="ab", min_size=1, max_size=4))
def test_word_search_matches_path_enumeration(board: list[list[str]], word: str) -> None:
    assert word_search(board, word) is brute_word_search(board, word)


def test_validation_messages() -> None:
    with pytest.raises(ValueError, match=r"candidates\[\d+\] must be >= 1, got -3"):
        combination_sum([-3], 3)
    with pytest.raises(ValueError, match=r"nums must be distinct, got \[2, 2\]"):
        permutations([2, 2])
    with pytest.raises(ValueError, match="got '0'"):
        letter_combinations_of_a_phone_number("20")
    assert set(PROBLEMS) >= {"Word Search", "Subsets"}


def test_board_cells_must_be_single_characters() -> None:
    # A cell "ab" can never match one letter, so the search would silently say False.
    with pytest.raises(ValueError, match=r"board\[0\]\[0\] must be a single character, got 'ab'"):
        word_search([["ab"]], "ab")
    with pytest.raises(ValueError, match=r"board\[1\]\[0\] must be a single character, got ''"):
        word_search([["a"], [""]], "a")


def test_the_documented_recursion_bound_holds() -> None:
    """One frame per letter (or chosen candidate): fine below the limit, RecursionError above."""
    limit = sys.getrecursionlimit()
    row = [["a"] * (limit + 200)]
    assert word_search(row, "a" * (limit - 200))
    with pytest.raises(RecursionError):
        word_search(row, "a" * (limit + 100))
    assert combination_sum([1], limit - 200) == [[1] * (limit - 200)]
    with pytest.raises(RecursionError):
        combination_sum([1], limit + 100)
