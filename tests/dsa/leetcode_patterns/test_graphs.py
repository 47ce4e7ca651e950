"""Graph and grid solutions against networkx, simulation and exhaustive search."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.leetcode_patterns.graphs import (
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
from studybook.dsa.leetcode_patterns.nodes import GraphNode

FAST = settings(max_examples=40, deadline=None, derandomize=True)


def grids(
    cells: st.SearchStrategy[object], max_side: int = 5
) -> st.SearchStrategy[list[list[object]]]:
    return st.tuples(st.integers(1, max_side), st.integers(1, max_side)).flatmap(
        lambda rc: st.lists(
            st.lists(cells, min_size=rc[1], max_size=rc[1]), min_size=rc[0], max_size=rc[0]
        )
    )


def cells_of(grid: Sequence[Sequence[object]]) -> list[tuple[int, int]]:
    return [(r, c) for r in range(len(grid)) for c in range(len(grid[0]))]


def adjacent(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return abs(a[0] - b[0]) + abs(a[1] - b[1]) == 1


@FAST
@given(grids(st.sampled_from("01")))
def test_islands_match_networkx_components(grid: list[list[str]]) -> None:
    land = [cell for cell in cells_of(grid) if grid[cell[0]][cell[1]] == "1"]
    g: nx.Graph = nx.Graph()
    g.add_nodes_from(land)
    g.add_edges_from((a, b) for a, b in itertools.combinations(land, 2) if adjacent(a, b))
    assert number_of_islands(grid) == nx.number_connected_components(g)


@FAST
@given(st.integers(1, 7), st.data())
def test_clone_graph_copies_structure_not_nodes(n: int, data: st.DataObject) -> None:
    # A connected graph: a random spanning tree plus random extra edges.
    edges = {(data.draw(st.integers(1, v - 1)), v) for v in range(2, n + 1)}
    pairs = [(a, b) for a in range(1, n + 1) for b in range(a + 1, n + 1)]
    if pairs:
        edges |= set(data.draw(st.lists(st.sampled_from(pairs), max_size=4)))
    adjacency = [
        sorted({b for a, b in edges if a == v} | {a for a, b in edges if b == v})
        for v in range(1, n + 1)
    ]
    original = GraphNode.from_adjacency(adjacency)
    copy = clone_graph(original)
    assert GraphNode.to_adjacency(copy) == adjacency

    def all_nodes(node: GraphNode | None) -> set[int]:
        seen: dict[int, GraphNode] = {}
        stack = [node] if node else []
        while stack:
            x = stack.pop()
            if id(x) not in seen:
                seen[id(x)] = x
                stack.extend(x.neighbors)
        return set(seen)

    assert not all_nodes(original) & all_nodes(copy)
    assert clone_graph(None) is None


@FAST
@given(grids(st.integers(0, 3)))
def test_pacific_atlantic_matches_downhill_search(heights: list[list[int]]) -> None:
    rows, cols = len(heights), len(heights[0])

    def reaches(start: tuple[int, int]) -> tuple[bool, bool]:
        seen, stack = {start}, [start]
        pacific = atlantic = False
        while stack:
            r, c = stack.pop()
            pacific |= r == 0 or c == 0
            atlantic |= r == rows - 1 or c == cols - 1
            for cell in cells_of(heights):
                if (
                    cell not in seen
                    and adjacent(cell, (r, c))
                    and heights[cell[0]][cell[1]] <= heights[r][c]
                ):
                    seen.add(cell)
                    stack.append(cell)
        return pacific, atlantic

    expected = [[r, c] for r, c in cells_of(heights) if all(reaches((r, c)))]
    assert pacific_atlantic_water_flow(heights) == expected


@FAST
@given(st.integers(1, 6), st.data())
def test_course_schedule_matches_networkx_dag_check(n: int, data: st.DataObject) -> None:
    pairs = data.draw(st.lists(st.lists(st.integers(0, n - 1), min_size=2, max_size=2), max_size=8))
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((b, a) for a, b in pairs)
    assert course_schedule(n, pairs) == nx.is_directed_acyclic_graph(g)


def test_course_schedule_rejects_unknown_courses() -> None:
    with pytest.raises(ValueError, match=r"0\.\.2, got \[0, -1\]"):
        course_schedule(3, [[0, -1]])


@FAST
@given(grids(st.sampled_from([0, 1, 1, 2])))
def test_rotting_oranges_matches_minute_by_minute_simulation(grid: list[list[int]]) -> None:
    state = [row[:] for row in grid]
    minutes = 0
    while True:
        fresh = [(r, c) for r, c in cells_of(state) if state[r][c] == 1]
        rotten = [(r, c) for r, c in cells_of(state) if state[r][c] == 2]
        catching = [f for f in fresh if any(adjacent(f, x) for x in rotten)]
        if not catching:
            expected = -1 if fresh else minutes
            break
        for r, c in catching:
            state[r][c] = 2
        minutes += 1
    assert rotting_oranges(grid) == expected


@FAST
@given(grids(st.sampled_from([0, 1, 1])).filter(lambda g: any(0 in row for row in g)))
def test_zero_one_matrix_matches_nearest_zero_by_manhattan_distance(mat: list[list[int]]) -> None:
    # With no obstacles, the shortest grid path to a cell is its Manhattan distance.
    zeros = [(r, c) for r, c in cells_of(mat) if mat[r][c] == 0]
    expected = [
        [min(abs(r - zr) + abs(c - zc) for zr, zc in zeros) for c in range(len(mat[0]))]
        for r in range(len(mat))
    ]
    assert zero_one_matrix(mat) == expected


@FAST
@given(grids(st.integers(0, 2)), st.data())
def test_flood_fill_matches_fixed_point_expansion(
    image: list[list[int]], data: st.DataObject
) -> None:
    sr = data.draw(st.integers(0, len(image) - 1))
    sc = data.draw(st.integers(0, len(image[0]) - 1))
    color = data.draw(st.integers(0, 2))
    region = {(sr, sc)}
    grew = True
    while grew:
        more = {
            cell
            for cell in cells_of(image)
            if image[cell[0]][cell[1]] == image[sr][sc] and any(adjacent(cell, x) for x in region)
        }
        grew = not more <= region
        region |= more
    expected = [
        [color if (r, c) in region else v for c, v in enumerate(row)] for r, row in enumerate(image)
    ]
    before = [row[:] for row in image]
    assert flood_fill(image, sr, sc, color) == expected
    assert image == before  # the input is not modified


@FAST
@given(
    st.permutations("abcd"),
    st.lists(st.text(alphabet="abcd", min_size=1, max_size=3), max_size=6),
    st.booleans(),
)
def test_alien_dictionary_matches_smallest_consistent_permutation(
    alphabet: list[str], words: list[str], sort_first: bool
) -> None:
    if sort_first:  # make consistent inputs common, not just possible
        words = sorted(words, key=lambda w: [alphabet.index(ch) for ch in w])
    letters = sorted(set("".join(words)))

    def consistent(order: tuple[str, ...]) -> bool:
        return words == sorted(words, key=lambda w: [order.index(ch) for ch in w])

    valid = ["".join(p) for p in itertools.permutations(letters) if consistent(p)]
    assert alien_dictionary(words) == (min(valid) if valid else "")


@FAST
@given(st.lists(st.text(alphabet="abc", min_size=3, max_size=3), max_size=12), st.data())
def test_word_ladder_matches_networkx_shortest_path(
    word_list: list[str], data: st.DataObject
) -> None:
    begin = data.draw(st.text(alphabet="abc", min_size=3, max_size=3))
    end = data.draw(st.sampled_from(word_list) if word_list else st.just("ccc"))
    nodes = set(word_list) | {begin}
    g: nx.Graph = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(
        (a, b)
        for a, b in itertools.combinations(sorted(nodes), 2)
        if sum(x != y for x, y in zip(a, b, strict=False)) == 1
    )
    if end not in word_list or end not in g or not nx.has_path(g, begin, end):
        expected = 0
    else:
        expected = nx.shortest_path_length(g, begin, end) + 1
    assert word_ladder(begin, end, word_list) == expected


@FAST
@given(st.integers(1, 9), st.data())
def test_minimum_height_trees_match_every_root_height(n: int, data: st.DataObject) -> None:
    labels = data.draw(st.permutations(range(n)))
    edges = [[labels[data.draw(st.integers(0, v - 1))], labels[v]] for v in range(1, n)]
    g: nx.Graph = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    height = {root: max(nx.single_source_shortest_path_length(g, root).values()) for root in g}
    best = min(height.values())
    assert minimum_height_trees(n, edges) == sorted(r for r in g if height[r] == best)


def test_minimum_height_trees_rejects_non_trees() -> None:
    with pytest.raises(ValueError, match="do not connect all 4 nodes"):
        minimum_height_trees(4, [[0, 1], [1, 0], [2, 3]])
    with pytest.raises(ValueError, match="needs 1 edges, got 0"):
        minimum_height_trees(2, [])
