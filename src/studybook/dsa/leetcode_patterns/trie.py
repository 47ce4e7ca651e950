"""Trie (prefix tree): one node per distinct prefix, so prefix questions cost O(word length).

Tries come up when many strings share prefixes and the question is about
prefixes: autocomplete, wildcard lookups, or searching a grid for many words
at once. The invariant: the path of edge labels from the root to a node spells
a prefix of some inserted word, and a node is marked terminal iff that prefix
was itself inserted.

==============================================  =====================  ========
Problem                                         Time                   Space
==============================================  =====================  ========
Implement Trie (Prefix Tree)                    O(L) per operation     O(total)
Design Add and Search Words Data Structure      O(L), O(26^dots * L)   O(total)
Word Search II                                  O(R*C * 3^L) worst     O(total)
==============================================  =====================  ========

>>> t = Trie(); t.insert("apple"); t.starts_with("app"), t.search("app")
(True, False)

Source: E. Fredkin, "Trie Memory", CACM 3(9), 1960.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._validate import require_grid, require_str, require_str_list

__all__ = ["PROBLEMS", "Trie", "WordDictionary", "word_search_ii"]


class _Node:
    __slots__ = ("children", "word")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        #: The word ending here, or None: storing it saves rebuilding it in Word Search II.
        self.word: str | None = None


def _check_word(word: str) -> None:
    if not require_str("word", word):
        raise ValueError(f"word must be non-empty, got {word!r}")


def _walk(root: _Node, prefix: str) -> _Node | None:
    node = root
    for ch in prefix:
        child = node.children.get(ch)
        if child is None:
            return None
        node = child
    return node


def _check_tree(root: _Node) -> int:
    """Check that every leaf ends a word; return the number of words."""
    words = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.word is not None:
            words += 1
        elif not node.children and node is not root:
            raise AssertionError("a leaf that ends no word: a dead branch")
        stack.extend(node.children.values())
    return words


class Trie:
    """A prefix tree of words (LeetCode 208, "Implement Trie (Prefix Tree)").

    Complexity: each operation O(L) for a word or prefix of length L;
    space O(total characters inserted).

    >>> t = Trie()
    >>> t.insert("apple"); t.search("apple"), t.search("app"), t.starts_with("app")
    (True, False, True)
    >>> t.insert("app"); t.search("app")
    True
    >>> t.insert("")
    Traceback (most recent call last):
    ValueError: word must be non-empty, got ''
    """

    def __init__(self) -> None:
        self._root = _Node()
        self._count = 0

    def insert(self, word: str) -> None:
        """Add ``word``; inserting it twice is a no-op.

        Args:
            word: a non-empty string.

        Raises:
            TypeError: ``word`` is not a str.
            ValueError: if ``word`` is empty.

        Complexity: O(len(word)).

        >>> t = Trie(); t.insert("a"); t.insert("a"); len(t)
        1
        """
        _check_word(word)
        node = self._root
        for ch in word:
            node = node.children.setdefault(ch, _Node())
        if node.word is None:
            node.word = word
            self._count += 1

    def search(self, word: str) -> bool:
        """Return whether ``word`` was inserted.

        Args:
            word: the word to look up.

        Returns:
            ``True`` if it is stored as a whole word (not just a prefix).

        Raises:
            TypeError: ``word`` is not a str.

        Complexity: O(len(word)).

        >>> Trie().search("x")
        False
        """
        require_str("word", word)
        node = _walk(self._root, word)
        return node is not None and node.word is not None

    def starts_with(self, prefix: str) -> bool:
        """Return whether some inserted word starts with ``prefix``.

        Args:
            prefix: the prefix (the empty prefix matches if any word exists).

        Returns:
            ``True`` if a stored word has this prefix.

        Raises:
            TypeError: ``prefix`` is not a str.

        Complexity: O(len(prefix)).

        >>> t = Trie(); t.insert("tea"); t.starts_with("te"), t.starts_with("to")
        (True, False)
        """
        require_str("prefix", prefix)
        return self._count > 0 and _walk(self._root, prefix) is not None

    def __len__(self) -> int:
        return self._count

    def _check_invariants(self) -> None:
        words = _check_tree(self._root)
        if words != self._count:
            raise AssertionError(f"count {self._count} but {words} terminal nodes")


class WordDictionary:
    """Words with ``.`` wildcards in queries (LeetCode 211).

    "Design Add and Search Words Data Structure": ``search`` treats ``.`` as
    any single letter, so at a dot it must try every child.

    Complexity: ``add_word`` O(L); ``search`` O(L) without dots, up to
    O(26^d * L) with d dots.

    >>> wd = WordDictionary()
    >>> for w in ["bad", "dad", "mad"]: wd.add_word(w)
    >>> wd.search("pad"), wd.search(".ad"), wd.search("b.."), wd.search("b.")
    (False, True, True, False)
    >>> wd.add_word("")
    Traceback (most recent call last):
    ValueError: word must be non-empty, got ''
    """

    def __init__(self) -> None:
        self._root = _Node()
        self._count = 0

    def add_word(self, word: str) -> None:
        """Add ``word`` (letters only; ``.`` is reserved for queries).

        Args:
            word: a non-empty string without ``.``.

        Raises:
            TypeError: ``word`` is not a str.
            ValueError: if ``word`` is empty or contains ``.``.

        Complexity: O(len(word)).

        >>> WordDictionary().add_word("a.b")
        Traceback (most recent call last):
        ValueError: word must not contain '.', got 'a.b'
        """
        _check_word(word)
        if "." in word:
            raise ValueError(f"word must not contain '.', got {word!r}")
        node = self._root
        for ch in word:
            node = node.children.setdefault(ch, _Node())
        if node.word is None:
            node.word = word
            self._count += 1

    def search(self, pattern: str) -> bool:
        """Return whether a stored word matches ``pattern`` (``.`` = any letter).

        Args:
            pattern: the query.

        Returns:
            ``True`` if some stored word has the pattern's length and matches it.

        Raises:
            TypeError: ``pattern`` is not a str.

        Complexity: O(len(pattern)) without dots; exponential in the dots.

        >>> wd = WordDictionary(); wd.add_word("ab"); wd.search(".."), wd.search("...")
        (True, False)
        """
        require_str("pattern", pattern)

        def match(node: _Node, i: int) -> bool:
            if i == len(pattern):
                return node.word is not None
            ch = pattern[i]
            if ch == ".":
                return any(match(child, i + 1) for child in node.children.values())
            child = node.children.get(ch)
            return child is not None and match(child, i + 1)

        return match(self._root, 0)

    def __len__(self) -> int:
        return self._count

    def _check_invariants(self) -> None:
        words = _check_tree(self._root)
        if words != self._count:
            raise AssertionError(f"count {self._count} but {words} terminal nodes")


def word_search_ii(board: Sequence[Sequence[str]], words: Sequence[str]) -> list[str]:
    """Return every word of ``words`` that can be traced on ``board``.

    Paths move horizontally or vertically and use each cell at most once per
    word. All words are put in one trie, so a single DFS from each cell
    follows every word sharing the current prefix at once, and stops as soon
    as the prefix leaves the trie. Found words are unmarked and emptied
    branches pruned, so later searches skip them.

    Args:
        board: a rectangular grid of single characters.
        words: the candidate words (non-empty).

    Returns:
        The words found, sorted.

    Raises:
        TypeError: ``board`` is not a list of lists of str, or ``words`` not a list of str.
        ValueError: if a word is empty.

    Complexity: O(R * C * 3^L) time in the worst case for the longest word
    length L; O(total characters in words) space.

    >>> board = [["o", "a", "a", "n"], ["e", "t", "a", "e"], ["i", "h", "k", "r"]]
    >>> word_search_ii(board, ["oath", "pea", "eat", "rain"])
    ['eat', 'oath']
    >>> word_search_ii(board, [""])
    Traceback (most recent call last):
    ValueError: word must be non-empty, got ''
    """
    require_grid("board", board, of=str)
    root = _Node()
    for word in require_str_list("words", words):
        _check_word(word)
        node = root
        for ch in word:
            node = node.children.setdefault(ch, _Node())
        node.word = word
    rows = len(board)
    cols = len(board[0]) if rows else 0
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


PROBLEMS: dict[str, Callable[..., object] | type] = {
    "Implement Trie (Prefix Tree)": Trie,
    "Design Add and Search Words Data Structure": WordDictionary,
    "Word Search II": word_search_ii,
}
