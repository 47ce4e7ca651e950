"""Part I's complexity claims, confirmed by measurement with the Big O chapter's estimator.

Each test measures a cost at growing sizes (operation counts wherever possible:
comparisons through :class:`~studybook.dsa.big_o.Counted`, or a structure's own
probe/step/copy counter) and checks it two ways: :func:`classify` must name the
claimed class, and :func:`fit_exponent` must be within 0.25 of the claimed
polynomial exponent (0 for O(1) and O(log n): over these sizes log n has a
log-log slope of about 0.2). Everything is seeded, so the counts are the same
on every run and machine. The one timing test uses the minimum of repeats and a
wider tolerance.
"""

from __future__ import annotations

import bisect
import heapq
import random
from collections.abc import Callable
from typing import Any

from studybook.dsa import advanced_structures, data_structures, sorting_searching
from studybook.dsa.big_o import (
    Counted,
    OpCounter,
    classify,
    count_operations,
    fit_exponent,
    measure,
)

POWERS = [2**k for k in range(5, 13)]  # 32 .. 4096
TOLERANCE = 0.25
EXPONENT = {"O(1)": 0.0, "O(log n)": 0.0, "O(n)": 1.0, "O(n log n)": 1.0, "O(n^2)": 2.0}


def assert_class(sizes: list[int], costs: list[int] | list[float], claimed: str) -> None:
    assert classify(sizes, costs) == claimed, (claimed, costs)
    slope = fit_exponent(sizes, costs)
    # n log n is steeper than n over finite sizes: allow its extra log factor.
    upper = EXPONENT[claimed] + TOLERANCE + (0.15 if claimed in ("O(log n)", "O(n log n)") else 0)
    assert EXPONENT[claimed] - TOLERANCE <= slope <= upper, (claimed, slope)


def shuffled(n: int) -> list[int]:
    return random.Random(n).sample(range(n), n)


def per_op(
    build: Callable[[int, OpCounter], Any], op: Callable[[Any, int, OpCounter], None]
) -> Callable[[int], int]:
    """Cost of ``op`` on a structure of size n built (uncounted) by ``build``."""

    def cost(n: int) -> int:
        counter = OpCounter()
        structure = build(n, counter)
        counter.count = 0  # building is not part of the measured operation
        op(structure, n, counter)
        return counter.count

    return cost


def costs_of(cost: Callable[[int], int], sizes: list[int]) -> list[int]:
    return count_operations(lambda n, counter: counter.tick(cost(n)), lambda n: n, sizes)


# ---------------------------------------------------------------- standard library


def test_heapq_heappush_is_logarithmic_in_comparisons() -> None:
    def build(n: int, counter: OpCounter) -> list[Counted]:
        heap = [Counted(v, counter) for v in range(1, n + 1)]
        heapq.heapify(heap)
        return heap

    def push_new_minimum(heap: list[Counted], n: int, counter: OpCounter) -> None:
        heapq.heappush(heap, Counted(0, counter))  # sifts all the way to the root

    costs = costs_of(per_op(build, push_new_minimum), POWERS)
    assert costs == [n.bit_length() - 1 for n in POWERS]  # floor(log2(n + 1)) - ... exactly
    assert_class(POWERS, costs, "O(log n)")


def test_dict_lookup_is_constant_on_average_and_linear_when_all_hashes_collide() -> None:
    class Colliding:
        __slots__ = ("value",)

        def __init__(self, value: int) -> None:
            self.value = value

        def __hash__(self) -> int:
            return 42

        def __eq__(self, other: object) -> bool:
            COUNTER.tick()
            return isinstance(other, Colliding) and other.value == self.value

    COUNTER = OpCounter()

    def average_equality_checks(n: int, make_key: Callable[[int], Any]) -> float:
        rng = random.Random(n)
        values = rng.sample(range(2**40), n)
        table = {make_key(v): v for v in values}
        COUNTER.count = 0
        for v in values:
            assert table[make_key(v)] == v  # a fresh, equal key: identity cannot short-cut
        return max(COUNTER.count / n, 1e-3)

    def counted_key(v: int) -> Counted:
        return Counted(v, COUNTER)

    sizes = [64, 128, 256, 512, 1024, 2048]
    average = [average_equality_checks(n, counted_key) for n in sizes]
    assert max(average) <= 1.5
    assert_class(sizes, average, "O(1)")

    sizes = [16, 32, 64, 128, 256]
    worst = [average_equality_checks(n, Colliding) for n in sizes]
    assert_class(sizes, worst, "O(n)")


def test_sorted_makes_n_log_n_comparisons_and_n_on_sorted_input() -> None:
    def sort_cost(make: Callable[[int], list[int]]) -> Callable[[int], int]:
        def cost(n: int) -> int:
            counter = OpCounter()
            sorted(make(n), key=lambda v: Counted(v, counter))
            return counter.count

        return cost

    assert_class(POWERS, costs_of(sort_cost(shuffled), POWERS), "O(n log n)")
    assert_class(POWERS, costs_of(sort_cost(lambda n: list(range(n))), POWERS), "O(n)")


def test_bisect_is_logarithmic_in_comparisons() -> None:
    def build(n: int, counter: OpCounter) -> list[Counted]:
        return [Counted(v, counter) for v in range(n)]

    def search_past_the_end(items: list[Counted], n: int, counter: OpCounter) -> None:
        bisect.bisect_left(items, Counted(n, counter))

    assert_class(POWERS, costs_of(per_op(build, search_past_the_end), POWERS), "O(log n)")


# ---------------------------------------------------------------- studybook.dsa.data_structures


def test_min_heap_push_and_pop_are_logarithmic() -> None:
    def build(n: int, counter: OpCounter) -> Any:
        return data_structures.MinHeap.heapify(Counted(v, counter) for v in shuffled(n))

    def push(heap: Any, n: int, counter: OpCounter) -> None:
        heap.push(Counted(-1, counter))

    def pop(heap: Any, n: int, counter: OpCounter) -> None:
        heap.pop()

    assert_class(POWERS, costs_of(per_op(build, push), POWERS), "O(log n)")
    assert_class(POWERS, costs_of(per_op(build, pop), POWERS), "O(log n)")

    def heapify_cost(n: int) -> int:
        counter = OpCounter()
        data_structures.MinHeap.heapify(Counted(v, counter) for v in range(n, 0, -1))
        return counter.count

    assert_class(POWERS, costs_of(heapify_cost, POWERS), "O(n)")


def test_hash_map_get_and_put_average_constant_probes() -> None:
    def probes_per_operation(n: int) -> float:
        table = data_structures.HashMap()
        keys = [f"key-{v}" for v in random.Random(n).sample(range(10**9), n)]
        for k in keys:
            table[k] = k
        for k in keys:
            assert table[k] == k
        return table.probes / (2 * n)

    sizes = [64, 128, 256, 512, 1024, 2048]
    probes = [probes_per_operation(n) for n in sizes]
    assert max(probes) < 3
    assert_class(sizes, probes, "O(1)")


def test_dynamic_array_append_is_amortized_constant() -> None:
    def copies_per_append(n: int) -> float:
        array = data_structures.DynamicArray()
        for i in range(n):
            array.append(i)
        return array.copies / n

    sizes = [2**k + 1 for k in range(5, 15)]  # just past a resize: the worst prefixes
    per_append = [copies_per_append(n) for n in sizes]
    assert max(per_append) < 2
    assert_class(sizes, per_append, "O(1)")


def _search_cost(tree_class: Any, make_keys: Callable[[int], list[int]]) -> Callable[[int], int]:
    """Average comparisons per successful search, over every key (times n, as an int)."""

    def cost(n: int) -> int:
        counter = OpCounter()
        tree = tree_class()
        keys = make_keys(n)
        for k in keys:
            tree.insert(Counted(k, counter))
        counter.count = 0
        for k in keys:
            assert Counted(k, counter) in tree
        return max(1, round(counter.count / n))

    return cost


def test_binary_search_tree_search_is_logarithmic_on_random_keys_and_linear_on_sorted() -> None:
    sizes = [32, 64, 128, 256, 512, 1024]
    bst = data_structures.BinarySearchTree
    assert_class(sizes, costs_of(_search_cost(bst, shuffled), sizes), "O(log n)")
    sizes = [16, 32, 64, 128, 256]
    assert_class(sizes, costs_of(_search_cost(bst, lambda n: list(range(n))), sizes), "O(n)")


def test_avl_tree_search_is_logarithmic_even_on_sorted_keys() -> None:
    sizes = [32, 64, 128, 256, 512, 1024]
    avl = data_structures.AVLTree
    assert_class(sizes, costs_of(_search_cost(avl, lambda n: list(range(n))), sizes), "O(log n)")


# ---------------------------------------------------------------- studybook.dsa.advanced_structures


def test_skip_list_search_is_logarithmic_in_expectation() -> None:

    def steps_per_search(n: int) -> int:
        skip = advanced_structures.SkipList(shuffled(n), rng=random.Random(n))
        skip.search_steps = 0
        for v in range(n):
            assert v in skip
        return max(1, round(skip.search_steps / n))

    sizes = [64, 128, 256, 512, 1024, 2048, 4096]
    assert_class(sizes, costs_of(steps_per_search, sizes), "O(log n)")


# ---------------------------------------------------------------- studybook.dsa.sorting_searching


def test_sorting_searching_claims() -> None:

    def comparisons(
        sort: Callable[[list[Any]], object], make: Callable[[int], list[int]]
    ) -> Callable[[int], int]:
        return lambda n: sorting_searching.count_comparisons(sort, make(n))

    sizes = [32, 64, 128, 256, 512, 1024]
    rng_quicksort = lambda xs: sorting_searching.quicksort(xs, rng=random.Random(9))  # noqa: E731
    for sort, claimed in [
        (sorting_searching.merge_sort, "O(n log n)"),
        (sorting_searching.heapsort, "O(n log n)"),
        (rng_quicksort, "O(n log n)"),
    ]:
        assert_class(sizes, costs_of(comparisons(sort, shuffled), sizes), claimed)
    fixed_pivot = lambda xs: sorting_searching.quicksort(xs, scheme="lomuto")  # noqa: E731
    ascending = lambda n: list(range(n))  # noqa: E731
    assert_class(sizes[:4], costs_of(comparisons(fixed_pivot, ascending), sizes[:4]), "O(n^2)")

    def lower_bound_cost(n: int) -> int:
        counter = OpCounter()
        items = [Counted(v, counter) for v in range(n)]
        sorting_searching.lower_bound(items, Counted(n, counter))
        return counter.count

    assert_class(POWERS, costs_of(lower_bound_cost, POWERS), "O(log n)")


class _CountedKey(int):
    """An int that counts the digit extractions (``key // place``) made on it."""

    extractions = 0

    def __floordiv__(self, other: Any) -> Any:
        _CountedKey.extractions += 1
        return int(self) // other


def test_radix_sort_work_is_linear_for_fixed_width_keys() -> None:
    # Counted, not timed: a timed slope on a loaded 2-core machine drifted to 1.75
    # (load 9), while the digit extractions are exact: d passes of n keys each.
    sizes = [1000, 2000, 4000, 8000]

    def extractions(n: int) -> int:
        rng = random.Random(n)
        keys = [_CountedKey(rng.randrange(10**5, 10**6)) for _ in range(n)]  # 6 digits
        _CountedKey.extractions = 0
        assert sorting_searching.radix_sort(keys) == sorted(keys)
        return _CountedKey.extractions

    counts = [extractions(n) for n in sizes]
    assert counts == [6 * n for n in sizes]  # 6 passes over n keys, whatever n is
    assert_class(sizes, counts, "O(n)")


# ---------------------------------------------------------------- constant-time operations, timed

# An O(1) operation takes well under a microsecond, so each timing runs a batch
# of them on a structure of size n; the batch's minimum time over repeats must
# not grow with n (a slope under TIMED_FLAT on the log-log plot: an O(n)
# operation would show a slope near 1).
TIMED_SIZES = [1_000, 4_000, 16_000, 64_000]
BATCH = 2_000
TIMED_FLAT = 0.35


def _flat(operation: Callable[[Any], object], make: Callable[[int], Any]) -> float:
    times = measure(operation, make, TIMED_SIZES, repeats=7)
    return fit_exponent(TIMED_SIZES, times)


def test_stack_push_and_pop_are_constant_time() -> None:
    def make(n: int) -> Any:
        stack = data_structures.Stack()
        for i in range(n):
            stack.push(i)
        return stack

    def push_then_pop(stack: Any) -> None:
        for i in range(BATCH):
            stack.push(i)
        for _ in range(BATCH):
            stack.pop()

    assert _flat(push_then_pop, make) < TIMED_FLAT


def test_ring_buffer_append_and_popleft_are_constant_time() -> None:
    def make(n: int) -> Any:
        ring = data_structures.RingBuffer(n + BATCH)
        for i in range(n):
            ring.append(i)
        return ring

    def append_then_popleft(ring: Any) -> None:
        for i in range(BATCH):
            ring.append(i)
        for _ in range(BATCH):
            ring.popleft()

    assert _flat(append_then_popleft, make) < TIMED_FLAT


def test_trie_lookup_costs_the_word_length_not_the_word_count() -> None:
    def make(n: int) -> Any:
        trie = data_structures.Trie()
        for i in range(n):
            trie.insert(f"w{i:07d}")
        return trie

    def lookups(trie: Any) -> None:
        for i in range(BATCH):
            assert f"w{i % 1000:07d}" in trie  # present at every size

    assert _flat(lookups, make) < TIMED_FLAT


# ---------------------------------------------------------------- studybook.dsa.graph_algorithms


class _CountedNeighbours(list[int]):
    """An adjacency list that counts every neighbour handed out."""

    counter: OpCounter

    def __iter__(self) -> Any:
        for node in super().__iter__():
            self.counter.tick()
            yield node


def _random_connected_graph(n: int, counter: OpCounter) -> dict[int, _CountedNeighbours]:
    rng = random.Random(n)
    edges = {(i, rng.randrange(i)) for i in range(1, n)}  # a spanning tree
    edges |= {(rng.randrange(n), rng.randrange(n)) for _ in range(2 * n)}
    graph: dict[int, _CountedNeighbours] = {}
    for node in range(n):
        graph[node] = _CountedNeighbours()
        graph[node].counter = counter
    for a, b in edges:
        graph[a].append(b)
        graph[b].append(a)
    return graph


def test_bfs_and_dfs_look_at_every_edge_once_so_are_linear_in_v_plus_e() -> None:
    from studybook.dsa import graph_algorithms

    for search in (graph_algorithms.bfs, graph_algorithms.dfs):
        sizes, costs = [], []
        for n in POWERS:
            counter = OpCounter()
            graph = _random_connected_graph(n, counter)
            edges = sum(len(neighbours) for neighbours in graph.values())
            assert len(search(graph, 0)) == n
            assert counter.count == edges  # each adjacency entry read exactly once
            sizes.append(n + edges)
            costs.append(n + counter.count)
        assert_class(sizes, costs, "O(n)")


# ---------------------------------------------------------------- studybook.dsa.lsm_tree


def test_lsm_point_lookups_read_about_one_block_at_any_size(tmp_path: Any) -> None:
    from studybook.dsa.lsm_tree import LSMTree

    sizes = [1_000, 2_000, 4_000, 8_000]
    blocks_per_get = []
    for n in sizes:
        with LSMTree(tmp_path / str(n), sync="none", memtable_bytes=16 * 1024) as db:
            keys = [b"key%08d" % k for k in random.Random(n).sample(range(10 * n), n)]
            for key in keys:
                db.put(key, b"v" * 32)
            db.flush()
            for key in random.Random(-n).sample(keys, 500):
                assert db.get(key) == b"v" * 32
            blocks_per_get.append(db.stats().read_amplification)
    # Bloom filters keep false positives near 1%: one block for the hit, rarely more.
    assert all(1.0 <= blocks <= 1.1 for blocks in blocks_per_get), blocks_per_get
    assert classify(sizes, blocks_per_get) == "O(1)"
