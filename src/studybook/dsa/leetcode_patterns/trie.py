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

from ._validate import require_char_grid, require_str, require_str_list

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

        A depth-first search over (trie node, pattern position) pairs held on an
        explicit stack: a letter follows one edge, a dot every edge. No recursion,
        so a pattern longer than ``sys.getrecursionlimit()`` works too.

        Args:
            pattern: the query.

        Returns:
            ``True`` if some stored word has the pattern's length and matches it.

        Raises:
            TypeError: ``pattern`` is not a str.

        Complexity: O(len(pattern)) without dots; up to the whole trie, O(total
        characters), with dots (each trie node is reached at one depth only, so
        it is visited at most once).

        >>> wd = WordDictionary(); wd.add_word("ab"); wd.search(".."), wd.search("...")
        (True, False)
        >>> wd.search(["ab"])
        Traceback (most recent call last):
        TypeError: pattern must be a str, got ['ab']
        """
        require_str("pattern", pattern)
        # (node, i): the trie node reached after matching pattern[:i].
        stack = [(self._root, 0)]
        while stack:
            node, i = stack.pop()
            if i == len(pattern):
                if node.word is not None:
                    return True
                continue
            ch = pattern[i]
            if ch == ".":
                stack.extend((child, i + 1) for child in node.children.values())
            elif ch in node.children:
                stack.append((node.children[ch], i + 1))
        return False

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
    branches pruned, so later searches skip them. The DFS keeps its path on
    an explicit stack, so a word longer than ``sys.getrecursionlimit()`` works too.

    Args:
        board: a rectangular grid of single characters.
        words: the candidate words (non-empty).

    Returns:
        The words found, sorted.

    Raises:
        TypeError: ``board`` is not a list of lists of str, or ``words`` not a list of str.
        ValueError: if a word is empty, or a board cell is not exactly one character.

    Complexity: O(R * C * 3^L) time in the worst case for the longest word
    length L; O(total characters in words) space for the trie, plus O(R * C)
    for the marks and the stack.

    >>> board = [["o", "a", "a", "n"], ["e", "t", "a", "e"], ["i", "h", "k", "r"]]
    >>> word_search_ii(board, ["oath", "pea", "eat", "rain"])
    ['eat', 'oath']
    >>> word_search_ii(board, [""])
    Traceback (most recent call last):
    ValueError: word must be non-empty, got ''
    """
    require_char_grid("board", board)
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
    for r in range(rows):
        for c in range(cols):
            _explore(board, used, r, c, root, found)
    return sorted(found)


def _explore(
    board: Sequence[Sequence[str]],
    used: list[list[bool]],
    row: int,
    col: int,
    root: _Node,
    found: list[str],
) -> None:
    """Trace every trie word from cell (row, col); append each one found to ``found``.

    The recursive DFS ``explore(cell, parent)`` with its frames on a stack: a
    frame is (row, col, parent trie node, leaving). Entering a cell marks it
    used and pushes a leaving frame below its neighbours, so the cell is
    unmarked (and its trie branch pruned if emptied) only after all of them
    are done, exactly where the recursive version would return.
    """
    stack = [(row, col, root, False)]
    while stack:
        r, c, parent, leaving = stack.pop()
        ch = board[r][c]
        if leaving:
            used[r][c] = False
            node = parent.children[ch]
            if not node.children and node.word is None:
                del parent.children[ch]  # prune: nothing left to find below
            continue
        # A neighbour pushed earlier may have been used, or pruned, since: check on pop.
        child = parent.children.get(ch)
        if child is None or used[r][c]:
            continue
        if child.word is not None:
            found.append(child.word)
            child.word = None  # report each word once
        used[r][c] = True
        stack.append((r, c, parent, True))
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < len(used) and 0 <= nc < len(used[0]) and not used[nr][nc]:
                stack.append((nr, nc, child, False))


PROBLEMS: dict[str, Callable[..., object] | type] = {
    "Implement Trie (Prefix Tree)": Trie,
    "Design Add and Search Words Data Structure": WordDictionary,
    "Word Search II": word_search_ii,
}
