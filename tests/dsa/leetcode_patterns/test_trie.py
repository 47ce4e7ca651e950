"""Tries against a set of strings, Word Search II against paths; both against recursion."""

from __future__ import annotations

import itertools
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.dsa.leetcode_patterns.trie import (
    PROBLEMS,
    Trie,
    WordDictionary,
    _Node,
    word_search_ii,
)

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


# The interview answers: the recursive forms the chapter shows next to the library code,
# which runs the same searches with an explicit stack.


def trie_of(words: list[str]) -> _Node:
    root = _Node()
    for word in words:
        node = root
        for ch in word:
            node = node.children.setdefault(ch, _Node())
        node.word = word
    return root


def search_recursive(root: _Node, pattern: str) -> bool:
    def match(node: _Node, i: int) -> bool:
        if i == len(pattern):
            return node.word is not None
        if pattern[i] == ".":  # a dot: try every child
            return any(match(child, i + 1) for child in node.children.values())
        child = node.children.get(pattern[i])
        return child is not None and match(child, i + 1)

    return match(root, 0)


def word_search_ii_recursive(board: list[list[str]], words: list[str]) -> list[str]:
    root = trie_of(words)
    rows, cols = len(board), len(board[0])
    found: list[str] = []
    used = [[False] * cols for _ in range(rows)]

    def explore(r: int, c: int, parent: _Node) -> None:
        ch = board[r][c]
        node = parent.children.get(ch)
        if node is None:
            return
        if node.word is not None:
            found.append(node.word)
            node.word = None  # report each word once
        used[r][c] = True
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < rows and 0 <= nc < cols and not used[nr][nc]:
                explore(nr, nc, node)
        used[r][c] = False
        if not node.children and node.word is None:
            del parent.children[ch]  # prune: nothing left to find below

    for r in range(rows):
        for c in range(cols):
            explore(r, c, root)
    return sorted(found)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(boards, st.lists(words, max_size=6), st.lists(st.text("ab.", max_size=5), max_size=4))
def test_library_matches_the_recursive_answers(
    board: list[list[str]], ws: list[str], patterns: list[str]
) -> None:
    assert word_search_ii(board, ws) == word_search_ii_recursive(board, ws)
    wd = WordDictionary()
    for w in ws:
        wd.add_word(w)
    for pattern in patterns:
        assert wd.search(pattern) is search_recursive(trie_of(ws), pattern)


def test_searches_deeper_than_the_recursion_limit() -> None:
    n = 5000
    assert n > sys.getrecursionlimit()  # the recursive forms raise RecursionError here
    wd = WordDictionary()
    wd.add_word("a" * n)
    wd.add_word("a" * (n - 1) + "b")
    assert wd.search("." * n)
    assert wd.search("." * (n - 1) + "b")
    assert not wd.search("." * (n - 1))
    assert not wd.search("." * (n - 1) + "c")
    # Found words are pruned from the trie, so these long paths are walked only a few times.
    row = ["a"] * 1100 + ["b"]
    long_words = ["a" * 1050 + "b", "a" * 1080, "ba", "c"]
    assert word_search_ii([row], long_words) == sorted(["a" * 1050 + "b", "a" * 1080, "ba"])


def test_word_search_ii_rejects_a_cell_that_is_not_one_character() -> None:
    with pytest.raises(ValueError, match=r"board\[0\]\[1\] must be a single character, got 'bc'"):
        word_search_ii([["a", "bc"]], ["abc"])
