"""Trie against a set of strings."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from studybook.dsa.data_structures import Trie

WORDS = st.text(alphabet="abc", max_size=4)


class TrieMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.trie = Trie()
        self.model: set[str] = set()

    @rule(word=WORDS)
    def insert(self, word: str) -> None:
        assert self.trie.insert(word) is (word not in self.model)
        self.model.add(word)

    @rule(word=WORDS)
    def delete(self, word: str) -> None:
        if word in self.model:
            self.trie.delete(word)
            self.model.remove(word)
        else:
            with pytest.raises(KeyError) as info:
                self.trie.delete(word)
            assert info.value.args == (word,)

    @rule(prefix=WORDS)
    def query(self, prefix: str) -> None:
        expected = sorted(w for w in self.model if w.startswith(prefix))
        assert self.trie.words_with_prefix(prefix) == expected
        assert self.trie.starts_with(prefix) is bool(expected)
        assert (prefix in self.trie) is (prefix in self.model)

    @invariant()
    def agrees(self) -> None:
        self.trie._check_invariants()
        assert len(self.trie) == len(self.model)
        assert list(self.trie) == sorted(self.model)


TestTrieMachine = TrieMachine.TestCase
TestTrieMachine.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)


@given(st.lists(st.text(max_size=6), max_size=30), st.text(max_size=2))
@settings(max_examples=80)
def test_words_with_prefix_matches_filter_on_any_unicode(words: list[str], prefix: str):
    trie = Trie()
    for w in words:
        trie.insert(w)
    assert trie.words_with_prefix(prefix) == sorted({w for w in words if w.startswith(prefix)})


def test_delete_prunes_only_dead_branches():
    trie = Trie()
    for w in ["car", "cart", "care"]:
        trie.insert(w)
    trie.delete("cart")
    trie._check_invariants()
    assert trie.words_with_prefix("car") == ["car", "care"]
    assert not trie.starts_with("cart")
    trie.delete("care")
    trie.delete("car")
    assert not trie.starts_with("c")
    trie._check_invariants()


def test_very_long_word_does_not_hit_recursion_limit():
    trie = Trie()
    word = "a" * 5000
    trie.insert(word)
    assert trie.words_with_prefix("aaa") == [word]
    trie.delete(word)
    assert len(trie) == 0


def test_type_errors_name_the_value():
    trie = Trie()
    with pytest.raises(TypeError, match=r"^Trie words must be str, got bytes: b'x'$"):
        trie.insert(b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Trie words must be str, got NoneType: None$"):
        trie.starts_with(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Trie words must be str, got float: nan$"):
        trie.words_with_prefix(math.nan)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Trie words must be str, got list: \['a'\]$"):
        trie.delete(["a"])  # type: ignore[arg-type]
    assert 5 not in trie
    assert len(trie) == 0


class _CountingChar(str):
    """A stored character that counts the strings built from it other than by ``str.join``.

    Spelling words by ``spelled + ch`` (or ``f"{spelled}{ch}"``, or ``%s``) at
    every node reaches these methods: ``str`` has no ``__radd__``, so Python
    asks the subclass on the right. Each such build copies the whole prefix
    spelled so far, 1 + 2 + ... + L characters for a word of length L. This
    deterministic count replaces a wall-clock ratio that a busy CI box skews.
    """

    builds = 0

    def __add__(self, other: str) -> str:
        _CountingChar.builds += 1
        return str.__str__(self) + other

    def __radd__(self, other: str) -> str:
        _CountingChar.builds += 1
        return other + str.__str__(self)

    def __format__(self, spec: str) -> str:
        _CountingChar.builds += 1
        return format(str.__str__(self), spec)

    def __str__(self) -> str:
        _CountingChar.builds += 1
        return str.__str__(self)


class _CountingWord(str):
    """A word whose characters, as ``Trie.insert`` iterates over it, are counting ones."""

    def __iter__(self) -> Iterator[str]:
        return (_CountingChar(ch) for ch in str.__iter__(self))


def test_the_build_counter_sees_per_node_spelling():
    word = _CountingWord("abc")
    for spell in (
        lambda spelled, ch: spelled + ch,
        lambda spelled, ch: f"{spelled}{ch}",
        lambda spelled, ch: "%s%s" % (spelled, ch),  # noqa: UP031 - the point of the test
    ):
        _CountingChar.builds = 0
        spelled = ""
        for ch in word:
            spelled = spell(spelled, ch)
        assert (spelled, _CountingChar.builds) == ("abc", 3)


@pytest.mark.parametrize("length", [2, 3, 5_000])
def test_words_with_prefix_builds_no_string_per_node(length: int):
    trie = Trie()
    trie.insert(_CountingWord("x" * length))
    trie.insert(_CountingWord("x" * (length // 2) + "y"))  # a branch halfway down
    _CountingChar.builds = 0
    assert trie.words_with_prefix("x") == ["x" * length, "x" * (length // 2) + "y"]
    assert trie.words_with_prefix("") == ["x" * length, "x" * (length // 2) + "y"]
    # The walk appends to one shared list of characters and joins it once per
    # returned word, so the output costs O(total characters returned).
    assert _CountingChar.builds == 0


def test_words_come_out_in_sorted_order_without_a_final_sort():
    trie = Trie()
    words = ["b", "ab", "a", "abc", "B", "é", "e", "", "\U0001f600", "a\U0001f600", "a\x00"]
    for w in words:
        trie.insert(w)
    assert trie.words_with_prefix("") == sorted(words)
    assert trie.words_with_prefix("a") == sorted(w for w in words if w.startswith("a"))
