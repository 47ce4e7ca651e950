"""Trie structures against a set of strings; Word Search II against path enumeration."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.dsa.leetcode_patterns.trie import PROBLEMS, Trie, WordDictionary, word_search_ii

words = st.text(alphabet="abc", min_size=1, max_size=4)


class TrieMachine(RuleBasedStateMachine):
    """Trie against a plain set: search is membership, starts_with is any(startswith)."""

    def __init__(self) -> None:
        super().__init__()
        self.trie = Trie()
        self.model: set[str] = set()

    @rule(word=words)
    def insert(self, word: str) -> None:
        self.trie.insert(word)
        self.model.add(word)

    @rule(word=words)
    def search(self, word: str) -> None:
        assert self.trie.search(word) is (word in self.model)

    @rule(prefix=st.text(alphabet="abc", max_size=4))
    def starts_with(self, prefix: str) -> None:
        assert self.trie.starts_with(prefix) is any(w.startswith(prefix) for w in self.model)

    @invariant()
    def consistent(self) -> None:
        self.trie._check_invariants()
        assert len(self.trie) == len(self.model)


class WordDictionaryMachine(RuleBasedStateMachine):
    """WordDictionary against a set and regular expressions ('.' means any letter)."""

    def __init__(self) -> None:
        super().__init__()
        self.wd = WordDictionary()
        self.model: set[str] = set()

    @rule(word=words)
    def add(self, word: str) -> None:
        self.wd.add_word(word)
        self.model.add(word)

    @rule(pattern=st.text(alphabet="ab.", max_size=4))
    def search(self, pattern: str) -> None:
        expected = any(re.fullmatch(pattern, w) for w in self.model)
        assert self.wd.search(pattern) is expected

    @invariant()
    def consistent(self) -> None:
        self.wd._check_invariants()
        assert len(self.wd) == len(self.model)


MACHINE_SETTINGS = settings(
    max_examples=25, stateful_step_count=25, deadline=None, derandomize=True
)
TrieMachine.TestCase.settings = MACHINE_SETTINGS
WordDictionaryMachine.TestCase.settings = MACHINE_SETTINGS
TestTrie = TrieMachine.TestCase
TestWordDictionary = WordDictionaryMachine.TestCase


def traceable(board: list[list[str]], word: str) -> bool:
    cells = [(r, c) for r in range(len(board)) for c in range(len(board[0]))]
    for path in itertools.permutations(cells, len(word)):
        adjacent = all(
            abs(r1 - r2) + abs(c1 - c2) == 1 for (r1, c1), (r2, c2) in itertools.pairwise(path)
        )
        if adjacent and all(board[r][c] == ch for (r, c), ch in zip(path, word, strict=True)):
            return True
    return False


boards = st.integers(1, 3).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda cols: st.lists(
            st.lists(st.sampled_from("abc"), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(boards, st.lists(words, max_size=6))
def test_word_search_ii_matches_path_enumeration(board: list[list[str]], ws: list[str]) -> None:
    expected = sorted({w for w in ws if traceable(board, w)})
    assert word_search_ii(board, ws) == expected


def test_validation_messages() -> None:
    with pytest.raises(ValueError, match="word must be non-empty, got ''"):
        Trie().insert("")
    with pytest.raises(ValueError, match="must not contain '.', got 'a.'"):
        WordDictionary().add_word("a.")
    assert PROBLEMS["Implement Trie (Prefix Tree)"] is Trie


def test_empty_trie_has_no_prefixes() -> None:
    t = Trie()
    assert not t.starts_with("")
    t.insert("z")
    assert t.starts_with("")
    assert not t.search("")
