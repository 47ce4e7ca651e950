"""Trie against a set of strings."""

from __future__ import annotations

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
TestTrieMachine.settings = settings(max_examples=80, stateful_step_count=60, deadline=None)


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
    assert 5 not in trie
