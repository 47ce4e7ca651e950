"""A trie (prefix tree): strings stored as root-to-node paths of characters.

A trie answers "is this a word?" and "which words start with this prefix?"
in time proportional to the length of the query, independent of how many
words are stored. Interviewers use it for autocomplete, word search on a
board, longest common prefix and IP routing (longest-prefix match over bits).

Invariant: a node is marked as the end of a word exactly for the stored words,
and every leaf except the root ends a word (deletion prunes dead branches).

==================  =================================
operation           worst case (m = length of input)
==================  =================================
insert / contains   O(m)
starts_with         O(m)
words_with_prefix   O(m + K log s) (K output chars)
delete              O(m)
==================  =================================

>>> t = Trie()
>>> for w in ["car", "cart", "cat"]:
...     _ = t.insert(w)
>>> t.words_with_prefix("car"), "ca" in t
(['car', 'cart'], False)

Primary sources: R. de la Briandais, "File Searching Using Variable Length
Keys" (1959); E. Fredkin, "Trie Memory" (CACM, 1960), which named it.
"""

from __future__ import annotations

from collections.abc import Iterator

from studybook.dsa.data_structures._check import require

__all__ = ["Trie"]


class _Node:
    __slots__ = ("children", "is_word")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.is_word = False


class Trie:
    """A set of strings organised by prefix (one node per distinct prefix).

    Children are kept in a ``dict`` keyed by character: O(1) expected per
    step for any alphabet. A fixed 26-slot array is faster for lowercase
    ASCII but wastes memory on sparse nodes and fails on other characters.
    The empty string is a valid word (it marks the root).

    Complexity: O(m) per operation for a word of length m; memory
    O(total characters) in the worst case, less when words share prefixes.

    >>> t = Trie()
    >>> _ = t.insert("to"); _ = t.insert("tea")
    >>> len(t), t.starts_with("te"), t.starts_with("x")
    (2, True, False)
    """

    def __init__(self) -> None:
        self._root = _Node()
        self._size = 0

    def insert(self, word: str) -> bool:
        """Add ``word``; return True if it was not already present.

        Raises:
            TypeError: if ``word`` is not a str.

        Complexity: O(len(word)).

        >>> t = Trie()
        >>> t.insert("hi"), t.insert("hi")
        (True, False)
        >>> t.insert(7)
        Traceback (most recent call last):
        TypeError: Trie words must be str, got int: 7
        """
        node = self._root
        for ch in _checked(word):
            node = node.children.setdefault(ch, _Node())
        if node.is_word:
            return False
        node.is_word = True
        self._size += 1
        return True

    def __contains__(self, word: object) -> bool:
        """True if ``word`` was inserted as a whole word (a prefix alone is not enough).

        Complexity: O(len(word)).

        >>> t = Trie()
        >>> t.insert("tree")
        True
        >>> "tree" in t, "tr" in t, 3 in t
        (True, False, False)
        """
        if not isinstance(word, str):
            return False
        node = self._walk(word)
        return node is not None and node.is_word

    def _walk(self, prefix: str) -> _Node | None:
        """Return the node that spells ``prefix``, or None if no word starts with it."""
        node = self._root
        for ch in prefix:
            child = node.children.get(ch)
            if child is None:
                return None
            node = child
        return node

    def starts_with(self, prefix: str) -> bool:
        """True if some stored word starts with ``prefix``.

        Raises:
            TypeError: if ``prefix`` is not a str.

        Complexity: O(len(prefix)).

        >>> t = Trie()
        >>> t.insert("trie")
        True
        >>> t.starts_with("tr"), t.starts_with(""), Trie().starts_with("")
        (True, True, False)
        """
        node = self._walk(_checked(prefix))
        # Pruned deletes guarantee a reachable non-root node leads to a word.
        return node is not None and (node.is_word or bool(node.children))

    def words_with_prefix(self, prefix: str) -> list[str]:
        """Return every stored word that starts with ``prefix``, sorted.

        Raises:
            TypeError: if ``prefix`` is not a str.

        The walk below the prefix node visits children in code-point order,
        which is ``sorted`` order for ``str`` (a word precedes its
        extensions), so nothing is sorted afterwards. It keeps the spelled
        path in one list of characters and joins it only at word nodes: a
        ``spelled + ch`` string per node instead would copy 1 + 2 + ... + L
        characters for one word of length L, O(L**2).

        Complexity: O(m + K log s), for K the total length of the words
        returned (every node below the prefix lies on some returned word, so
        the walk is O(K)) and s the largest number of children of one node
        (sorting them).

        >>> t = Trie()
        >>> for w in ["b", "ab", "a"]:
        ...     _ = t.insert(w)
        >>> t.words_with_prefix("a"), t.words_with_prefix("z")
        (['a', 'ab'], [])
        """
        node = self._walk(_checked(prefix))
        if node is None:
            return []
        return _words_below(node, prefix)

    def delete(self, word: str) -> None:
        """Remove ``word`` and prune the nodes that no longer lead to any word.

        Raises:
            KeyError: if ``word`` is not stored (a stored prefix is not enough).
            TypeError: if ``word`` is not a str.

        Complexity: O(len(word)).

        >>> t = Trie()
        >>> _ = t.insert("car"); _ = t.insert("cart")
        >>> t.delete("car"); "car" in t, "cart" in t
        (False, True)
        >>> t.delete("ca")
        Traceback (most recent call last):
        KeyError: 'ca'
        """
        path = [self._root]
        for ch in _checked(word):
            child = path[-1].children.get(ch)
            if child is None:
                raise KeyError(word)
            path.append(child)
        if not path[-1].is_word:
            raise KeyError(word)
        path[-1].is_word = False
        self._size -= 1
        # Walk back up, unlinking nodes that end no word and have no children.
        for depth in range(len(word), 0, -1):
            node = path[depth]
            if node.is_word or node.children:
                break
            del path[depth - 1].children[word[depth - 1]]

    def __len__(self) -> int:
        """Number of stored words."""
        return self._size

    def __iter__(self) -> Iterator[str]:
        """Yield every stored word in sorted order."""
        return iter(self.words_with_prefix(""))

    def _check_invariants(self) -> None:
        """Raise AssertionError if the size is wrong or a dead branch survives."""
        words = 0
        stack = [self._root]
        while stack:
            node = stack.pop()
            words += node.is_word
            if node is not self._root:
                require(node.is_word or bool(node.children), "dead branch left after delete")
            stack.extend(node.children.values())
        require(words == self._size, f"size {self._size} != {words} marked words")


def _checked(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"Trie words must be str, got {type(text).__name__}: {text!r}")
    return text


def _words_below(node: _Node, prefix: str) -> list[str]:
    # Depth-first with an explicit stack of child iterators: a recursive walk
    # would hit Python's recursion limit on a word of about 1000 characters.
    path = list(prefix)
    words = [prefix] if node.is_word else []
    stack = [iter(sorted(node.children.items()))]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            if stack:  # every iterator but the first belongs to a child on the path
                path.pop()
            continue
        ch, child = step
        path.append(ch)
        if child.is_word:
            words.append("".join(path))
        stack.append(iter(sorted(child.children.items())))
    return words
