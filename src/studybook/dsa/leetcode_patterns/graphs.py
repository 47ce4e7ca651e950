"""Graphs and grids: BFS, DFS and topological sort over cells or nodes.

Invariant: each vertex is marked the moment it is discovered and never queued
twice, so a traversal costs O(V + E) (O(rows * cols) on a grid, where every
cell has at most four edges). BFS pops vertices in order of distance from its
sources, which is why it answers "fewest steps" questions (Rotting Oranges, 01
Matrix, Word Ladder); with several sources queued at once it computes the
distance to the nearest source. Kahn's algorithm repeatedly removes vertices
with no incoming edges: it orders a DAG, and gets stuck exactly on a cycle.

>>> number_of_islands([["1", "1", "0"], ["0", "0", "0"], ["0", "0", "1"]])
2
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Iterator

from ._validate import (
    require_grid,
    require_int,
    require_int_pairs,
    require_node,
    require_str,
    require_str_list,
)
from .nodes import GraphNode

__all__ = [
    "PROBLEMS",
    "alien_dictionary",
    "clone_graph",
    "course_schedule",
    "flood_fill",
    "minimum_height_trees",
    "number_of_islands",
    "pacific_atlantic_water_flow",
    "rotting_oranges",
    "word_ladder",
    "zero_one_matrix",
]

_STEPS = ((1, 0), (-1, 0), (0, 1), (0, -1))


def _neighbours(r: int, c: int, rows: int, cols: int) -> Iterator[tuple[int, int]]:
    for dr, dc in _STEPS:
        if 0 <= r + dr < rows and 0 <= c + dc < cols:
            yield r + dr, c + dc


def number_of_islands(grid: list[list[str]]) -> int:
    """Count the groups of ``"1"`` cells connected horizontally or vertically.

    Args:
        grid: a rectangular grid of ``"1"`` (land) and ``"0"`` (water); not modified.

    Returns:
        The number of islands.

    Raises:
        TypeError: ``grid`` is not a list of lists of str.
        ValueError: ragged rows, or a cell other than ``'0'`` or ``'1'``.

    Complexity: O(rows * cols) time and space.

    >>> number_of_islands([["1", "0", "1"]])
    2
    >>> number_of_islands([])
    0
    """
    require_grid("grid", grid, of=str, allowed=("0", "1"))
    rows, cols = len(grid), len(grid[0]) if grid else 0
    seen: set[tuple[int, int]] = set()
    islands = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != "1" or (r, c) in seen:
                continue
            islands += 1  # a new island: flood it so none of its cells is counted again
            seen.add((r, c))
            stack = [(r, c)]
            while stack:
                cr, cc = stack.pop()
                for nr, nc in _neighbours(cr, cc, rows, cols):
                    if grid[nr][nc] == "1" and (nr, nc) not in seen:
                        seen.add((nr, nc))
                        stack.append((nr, nc))
    return islands


def clone_graph(node: GraphNode | None) -> GraphNode | None:
    """Return a deep copy of the connected graph containing ``node``.

    Args:
        node: any node, or ``None``.

    Returns:
        The copy of ``node``; no node of the copy is shared with the original.

    Raises:
        TypeError: ``node`` is not a GraphNode or None.

    Complexity: O(V + E) time and space.

    >>> original = GraphNode.from_adjacency([[2, 4], [1, 3], [2, 4], [1, 3]])
    >>> copy = clone_graph(original)
    >>> copy is original, GraphNode.to_adjacency(copy)
    (False, [[2, 4], [1, 3], [2, 4], [1, 3]])
    """
    require_node("node", node, GraphNode)
    if node is None:
        return None
    copies = {node: GraphNode(node.val)}  # original -> copy; also the visited set
    queue = deque([node])
    while queue:
        current = queue.popleft()
        for nb in current.neighbors:
            if nb not in copies:
                copies[nb] = GraphNode(nb.val)
                queue.append(nb)
            copies[current].neighbors.append(copies[nb])
    return copies[node]


def pacific_atlantic_water_flow(heights: list[list[int]]) -> list[list[int]]:
    """Return the cells from which rain can flow to both the Pacific and the Atlantic.

    The Pacific touches the top and left edges, the Atlantic the bottom and right;
    water flows to a neighbour of equal or lower height.

    Args:
        heights: a rectangular grid of heights.

    Returns:
        ``[row, col]`` pairs in row-major order.

    Raises:
        TypeError: ``heights`` is not a list of lists of int.
        ValueError: rows of different lengths.

    Complexity: O(rows * cols) time and space.

    >>> pacific_atlantic_water_flow([[1, 2], [4, 3]])
    [[0, 1], [1, 0], [1, 1]]
    """
    require_grid("heights", heights)
    rows, cols = len(heights), len(heights[0]) if heights else 0

    def uphill_from(sources: list[tuple[int, int]]) -> set[tuple[int, int]]:
        # Walk backwards from the ocean: to equal or higher cells, which drain toward it.
        reached = set(sources)
        stack = list(sources)
        while stack:
            r, c = stack.pop()
            for nr, nc in _neighbours(r, c, rows, cols):
                if (nr, nc) not in reached and heights[nr][nc] >= heights[r][c]:
                    reached.add((nr, nc))
                    stack.append((nr, nc))
        return reached

    pacific = uphill_from([(0, c) for c in range(cols)] + [(r, 0) for r in range(rows)])
    atlantic = uphill_from(
        [(rows - 1, c) for c in range(cols)] + [(r, cols - 1) for r in range(rows)]
    )
    return [[r, c] for r, c in sorted(pacific & atlantic)]


def course_schedule(num_courses: int, prerequisites: list[list[int]]) -> bool:
    """Return whether all courses can be taken, given pairs ``[course, prerequisite]``.

    Args:
        num_courses: courses are ``0..num_courses - 1``.
        prerequisites: ``[a, b]`` means b must be taken before a.

    Returns:
        ``True`` if the prerequisite graph has no cycle.

    Raises:
        TypeError: ``num_courses`` is not an int or ``prerequisites`` not a list of int pairs.
        ValueError: ``num_courses`` is negative or an item is not a pair.
        ValueError: a course number is out of range.

    Complexity: O(V + E) time and space (Kahn's algorithm).

    >>> course_schedule(2, [[1, 0]])
    True
    >>> course_schedule(2, [[1, 0], [0, 1]])
    False
    >>> course_schedule(2, [[2, 0]])
    Traceback (most recent call last):
        ...
    ValueError: course numbers must be in 0..1, got [2, 0]
    """
    require_int("num_courses", num_courses, minimum=0)
    require_int_pairs("prerequisites", prerequisites)
    return len(_topological_order(num_courses, prerequisites)) == num_courses


def _topological_order(n: int, prerequisites: list[list[int]]) -> list[int]:
    """Kahn's algorithm; returns fewer than n vertices exactly when there is a cycle."""
    after: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for pair in prerequisites:
        course, before = pair
        if not (0 <= course < n and 0 <= before < n):
            raise ValueError(f"course numbers must be in 0..{n - 1}, got {pair!r}")
        after[before].append(course)
        indegree[course] += 1
    ready = deque(v for v in range(n) if indegree[v] == 0)
    order: list[int] = []
    while ready:
        v = ready.popleft()
        order.append(v)
        for w in after[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                ready.append(w)
    return order  # vertices on or behind a cycle never reach indegree 0


def rotting_oranges(grid: list[list[int]]) -> int:
    """Return the minutes until no fresh orange is left, or -1 if some never rot.

    Each minute, every fresh orange (1) next to a rotten one (2) rots; 0 is empty.

    Args:
        grid: a rectangular grid of 0, 1 and 2; not modified.

    Returns:
        The minutes needed, 0 if there is no fresh orange, or -1.

    Raises:
        TypeError: ``grid`` is not a list of lists of int.
        ValueError: ragged rows, or a cell other than 0, 1 or 2.

    Complexity: O(rows * cols) time and space.

    >>> rotting_oranges([[2, 1, 1], [1, 1, 0], [0, 1, 1]])
    4
    >>> rotting_oranges([[2, 1, 1], [0, 1, 1], [1, 0, 1]])
    -1
    """
    require_grid("grid", grid, allowed=(0, 1, 2))
    rows, cols = len(grid), len(grid[0]) if grid else 0
    rotten = deque((r, c) for r in range(rows) for c in range(cols) if grid[r][c] == 2)
    fresh = {(r, c) for r in range(rows) for c in range(cols) if grid[r][c] == 1}
    minutes = 0
    while rotten and fresh:  # multi-source BFS: one queue level per minute
        minutes += 1
        for _ in range(len(rotten)):
            r, c = rotten.popleft()
            for cell in _neighbours(r, c, rows, cols):
                if cell in fresh:
                    fresh.remove(cell)
                    rotten.append(cell)
    return -1 if fresh else minutes


def zero_one_matrix(mat: list[list[int]]) -> list[list[int]]:
    """Return, for each cell, the number of steps to the nearest 0 (moving up, down, left, right).

    Args:
        mat: a rectangular grid of 0s and 1s with at least one 0.

    Returns:
        The distance grid.

    Raises:
        TypeError: ``mat`` is not a list of lists of int.
        ValueError: ragged rows, or a cell other than 0 or 1.
        ValueError: the grid is non-empty but has no 0.

    Complexity: O(rows * cols) time and space.

    >>> zero_one_matrix([[0, 0, 0], [0, 1, 0], [1, 1, 1]])
    [[0, 0, 0], [0, 1, 0], [1, 2, 1]]
    >>> zero_one_matrix([[1]])
    Traceback (most recent call last):
        ...
    ValueError: the matrix must contain a 0, got [[1]]
    """
    require_grid("mat", mat, allowed=(0, 1))
    rows, cols = len(mat), len(mat[0]) if mat else 0
    dist = [[-1] * cols for _ in range(rows)]  # -1: not reached yet
    queue = deque((r, c) for r in range(rows) for c in range(cols) if mat[r][c] == 0)
    if rows and cols and not queue:
        raise ValueError(f"the matrix must contain a 0, got {mat!r}")
    for r, c in queue:
        dist[r][c] = 0
    while queue:  # BFS from all zeros at once: the first visit is along a shortest path
        r, c = queue.popleft()
        for nr, nc in _neighbours(r, c, rows, cols):
            if dist[nr][nc] < 0:
                dist[nr][nc] = dist[r][c] + 1
                queue.append((nr, nc))
    return dist


def flood_fill(image: list[list[int]], sr: int, sc: int, color: int) -> list[list[int]]:
    """Recolour the region of same-coloured cells connected to ``(sr, sc)``; return a new image.

    Args:
        image: a rectangular grid of colours; not modified.
        sr: the start row.
        sc: the start column.
        color: the new colour.

    Returns:
        A copy of the image with the region recoloured.

    Raises:
        TypeError: ``image`` is not a list of lists of int, or ``sr``, ``sc`` or
            ``color`` not an int.
        ValueError: ``(sr, sc)`` is outside the image.

    Complexity: O(rows * cols) time and space.

    >>> flood_fill([[1, 1, 1], [1, 1, 0], [1, 0, 1]], 1, 1, 2)
    [[2, 2, 2], [2, 2, 0], [2, 0, 1]]
    >>> flood_fill([[0]], 1, 0, 2)
    Traceback (most recent call last):
        ...
    ValueError: start (1, 0) is outside a 1x1 image
    """
    require_grid("image", image)
    require_int("sr", sr)
    require_int("sc", sc)
    require_int("color", color)
    rows, cols = len(image), len(image[0]) if image else 0
    if not (0 <= sr < rows and 0 <= sc < cols):
        raise ValueError(f"start ({sr}, {sc}) is outside a {rows}x{cols} image")
    out = [row[:] for row in image]
    old = out[sr][sc]
    if old == color:
        return out  # without this check the fill would revisit cells forever
    out[sr][sc] = color
    stack = [(sr, sc)]
    while stack:
        r, c = stack.pop()
        for nr, nc in _neighbours(r, c, rows, cols):
            if out[nr][nc] == old:
                out[nr][nc] = color  # recolouring doubles as the visited mark
                stack.append((nr, nc))
    return out


def alien_dictionary(words: list[str]) -> str:
    """Return an order of the letters consistent with ``words`` sorted in an alien alphabet.

    Args:
        words: words sorted lexicographically by the unknown alphabet.

    Returns:
        Every letter that appears, in an order consistent with the words; among
        valid orders, the alphabetically smallest (so the answer is unique here).
        ``""`` if no order is consistent (a cycle, or a word before its own prefix).

    Raises:
        TypeError: ``words`` is not a list of str.

    Complexity: O(C + U log U) time for C characters in total and U distinct letters.

    >>> alien_dictionary(["wrt", "wrf", "er", "ett", "rftt"])
    'wertf'
    >>> alien_dictionary(["abc", "ab"])
    ''
    """
    require_str_list("words", words)
    letters = sorted({ch for word in words for ch in word})
    after: dict[str, set[str]] = {ch: set() for ch in letters}
    indegree = dict.fromkeys(letters, 0)
    for first, second in itertools.pairwise(words):
        for a, b in zip(first, second, strict=False):
            if a != b:  # only the first difference says anything about the alphabet
                if b not in after[a]:
                    after[a].add(b)
                    indegree[b] += 1
                break
        else:
            if len(first) > len(second):
                return ""  # "abc" before "ab" cannot be sorted in any alphabet
    ready = [ch for ch in letters if indegree[ch] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        ch = heapq.heappop(ready)
        order.append(ch)
        for nxt in after[ch]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                heapq.heappush(ready, nxt)
    return "".join(order) if len(order) == len(letters) else ""


def word_ladder(begin_word: str, end_word: str, word_list: list[str]) -> int:
    """Return the number of words in the shortest chain from ``begin_word`` to ``end_word``.

    Consecutive words differ in exactly one letter and every word after the first
    must be in ``word_list``.

    Args:
        begin_word: the start (need not be in the list).
        end_word: the goal.
        word_list: the allowed words, all of one length.

    Returns:
        The chain length counting both ends, or 0 if there is no chain.

    Raises:
        TypeError: a word is not a str, or ``word_list`` not a list.

    Complexity: O(n * L^2) time for n words of length L (L patterns per word, each hashed in O(L)).

    >>> word_ladder("hit", "cog", ["hot", "dot", "dog", "lot", "log", "cog"])
    5
    >>> word_ladder("hit", "cog", ["hot", "dot", "dog", "lot", "log"])
    0
    """
    require_str("begin_word", begin_word)
    require_str("end_word", end_word)
    require_str_list("word_list", word_list)
    words = set(word_list)
    if end_word not in words:
        return 0
    # Bucket words by wildcard pattern ("h*t"): words sharing a bucket are one letter apart.
    buckets: dict[str, list[str]] = {}
    for word in words | {begin_word}:
        for i in range(len(word)):
            buckets.setdefault(word[:i] + "*" + word[i + 1 :], []).append(word)
    seen = {begin_word}
    queue = deque([(begin_word, 1)])
    while queue:
        word, length = queue.popleft()
        if word == end_word:
            return length
        for i in range(len(word)):
            pattern = word[:i] + "*" + word[i + 1 :]
            for nxt in buckets.pop(pattern, []):  # a bucket is expanded once, then dropped
                if nxt not in seen and nxt in words:
                    seen.add(nxt)
                    queue.append((nxt, length + 1))
    return 0


def minimum_height_trees(n: int, edges: list[list[int]]) -> list[int]:
    """Return the roots that give a tree of ``n`` nodes its minimum height (its centres).

    Args:
        n: nodes are ``0..n - 1``.
        edges: ``n - 1`` undirected edges forming a tree.

    Returns:
        One or two centre nodes, ascending.

    Raises:
        TypeError: ``n`` is not an int or ``edges`` not a list of int pairs.
        ValueError: ``n < 1`` or the edges do not form a tree on ``0..n - 1``.

    Complexity: O(n) time and space.

    >>> minimum_height_trees(6, [[3, 0], [3, 1], [3, 2], [3, 4], [5, 4]])
    [3, 4]
    >>> minimum_height_trees(3, [[0, 1]])
    Traceback (most recent call last):
        ...
    ValueError: a tree on 3 nodes needs 2 edges, got 1
    """
    require_int("n", n, minimum=1)
    require_int_pairs("edges", edges)
    if len(edges) != n - 1:
        raise ValueError(f"a tree on {n} nodes needs {n - 1} edges, got {len(edges)}")
    adjacent: list[set[int]] = [set() for _ in range(n)]
    for a, b in edges:
        if not (0 <= a < n and 0 <= b < n):
            raise ValueError(f"edge {[a, b]!r} has a node outside 0..{n - 1}")
        adjacent[a].add(b)
        adjacent[b].add(a)
    if len(_reachable(0, adjacent)) != n:  # n - 1 edges and connected <=> a tree
        raise ValueError(f"the edges do not connect all {n} nodes: {edges!r}")
    # Peel leaves layer by layer, like burning the tree from its ends; the last one or
    # two nodes standing are the middle of every longest path, hence the best roots.
    remaining = n
    leaves = [v for v in range(n) if len(adjacent[v]) <= 1]
    while remaining > 2:
        remaining -= len(leaves)
        new_leaves = []
        for leaf in leaves:
            nb = adjacent[leaf].pop()
            adjacent[nb].discard(leaf)
            if len(adjacent[nb]) == 1:
                new_leaves.append(nb)
        leaves = new_leaves
    return sorted(leaves)


def _reachable(start: int, adjacent: list[set[int]]) -> set[int]:
    seen = {start}
    stack = [start]
    while stack:
        for nb in adjacent[stack.pop()]:
            if nb not in seen:
                seen.add(nb)
                stack.append(nb)
    return seen


PROBLEMS: dict[str, Callable[..., object]] = {
    "01 Matrix": zero_one_matrix,
    "Alien Dictionary": alien_dictionary,
    "Clone Graph": clone_graph,
    "Course Schedule": course_schedule,
    "Flood Fill": flood_fill,
    "Minimum Height Trees": minimum_height_trees,
    "Number of Islands": number_of_islands,
    "Pacific Atlantic Water Flow": pacific_atlantic_water_flow,
    "Rotting Oranges": rotting_oranges,
    "Word Ladder": word_ladder,
}
