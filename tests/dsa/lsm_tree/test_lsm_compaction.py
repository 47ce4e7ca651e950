"""Compaction strategies: unit tests on hand-made levels and one contract test for both.

The contract test simulates a tree without any I/O: flushes add tables with
random key ranges, and each planned compaction is "executed" by merging the
inputs' contents, first version wins. Each fake table remembers which write
stored each of its keys, which checks the property reads depend on: for every
key, the first table on the read path that holds it holds its newest write.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.lsm_tree import Compaction, CompactionStrategy, Leveled, SizeTiered
from studybook.dsa.lsm_tree.compaction import apply_compaction, key_range
from studybook.dsa.lsm_tree.sstable import TableMeta


def table(number: int, size: int = 100, smallest: bytes = b"a", largest: bytes = b"z") -> TableMeta:
    return TableMeta(number, size, 1, smallest, largest)


def numbers(tables: tuple[TableMeta, ...] | list[TableMeta]) -> list[int]:
    return [t.number for t in tables]


# -- size-tiered -------------------------------------------------------------


def test_size_tiered_merges_adjacent_similar_tables_only() -> None:
    strategy = SizeTiered(min_threshold=3, min_sstable_bytes=0)
    # Similar sizes 100, 90, 110 are adjacent; 1000 separates them from the last 100.
    level0 = [table(6, 100), table(5, 90), table(4, 110), table(3, 1000), table(2, 100)]
    plan = strategy.pick([level0])
    assert plan is not None
    assert numbers(plan.inputs) == [6, 5, 4]
    assert (plan.output_level, plan.drop_tombstones, plan.max_output_bytes) == (0, False, None)
    # Non-adjacent similar tables are never merged: that would reorder versions.
    assert strategy.pick([[table(3, 100), table(2, 1000), table(1, 100)]]) is None


def test_size_tiered_prefers_the_smallest_bucket_and_caps_the_window() -> None:
    strategy = SizeTiered(min_threshold=2, max_threshold=3, min_sstable_bytes=0)
    level0 = [table(n, 1000) for n in (9, 8)] + [table(n, 10) for n in (7, 6, 5, 4)]
    plan = strategy.pick([level0])
    assert plan is not None
    assert numbers(plan.inputs) == [7, 6, 5]
    assert not plan.drop_tombstones, "table 4 is older and may hold the deleted keys"


def test_size_tiered_drops_tombstones_when_the_window_reaches_the_oldest_table() -> None:
    plan = SizeTiered(min_sstable_bytes=0).pick([[table(n) for n in (4, 3, 2, 1)]])
    assert plan is not None
    assert plan.drop_tombstones


def test_size_tiered_groups_all_tables_below_min_sstable_bytes() -> None:
    level0 = [table(4, 10), table(3, 500), table(2, 40), table(1, 900)]
    assert SizeTiered(min_sstable_bytes=0).pick([level0]) is None
    plan = SizeTiered(min_sstable_bytes=1000).pick([level0])
    assert plan is not None
    assert numbers(plan.inputs) == [4, 3, 2, 1]


def test_apply_keeps_level0_order_for_a_window() -> None:
    level0 = [table(n) for n in (6, 5, 4, 3, 2)]
    plan = Compaction(tuple(level0[1:4]), 0, drop_tombstones=False)
    assert numbers(apply_compaction([level0], plan, [table(7)])[0]) == [6, 7, 2]


# -- leveled -----------------------------------------------------------------


def test_leveled_l0_takes_all_of_level0_and_only_overlapping_level1() -> None:
    strategy = Leveled(l0_trigger=2, base_level_bytes=10_000)
    level0 = [table(9, smallest=b"c", largest=b"e"), table(8, smallest=b"d", largest=b"g")]
    level1 = [table(1, smallest=b"a", largest=b"b"), table(2, smallest=b"f", largest=b"h")]
    plan = strategy.pick([level0, level1])
    assert plan is not None
    assert numbers(plan.inputs) == [9, 8, 2]
    assert (plan.output_level, plan.max_output_bytes) == (1, strategy.target_file_bytes)
    assert plan.drop_tombstones
    assert strategy.pick([level0[:1], level1]) is None


def test_leveled_keeps_tombstones_while_a_deeper_level_overlaps() -> None:
    strategy = Leveled(l0_trigger=1)
    deeper = [table(1, smallest=b"x", largest=b"y")]
    assert strategy.pick([[table(5, smallest=b"a", largest=b"c")], [], deeper]).drop_tombstones  # type: ignore[union-attr]
    plan = strategy.pick([[table(5, smallest=b"a", largest=b"x")], [], deeper])
    assert plan is not None
    assert not plan.drop_tombstones


def test_leveled_pushes_an_oversized_level_down_round_robin() -> None:
    strategy = Leveled(base_level_bytes=250)
    level1 = [table(n, 100, bytes([96 + n]), bytes([96 + n])) for n in (1, 2, 3)]  # 300 > 250
    picked = []
    for _ in range(4):
        plan = strategy.pick([[], level1])
        assert plan is not None
        assert plan.output_level == 2
        picked.append(plan.inputs[0].number)
    assert picked == [1, 2, 3, 1], "the cursor walks the key space, then wraps"
    assert strategy.max_bytes(2) == 2500


def test_leveled_full_compaction_targets_the_deepest_level() -> None:
    plan = Leveled().plan_full([[table(3)], [], [table(1, smallest=b"a", largest=b"b")]])
    assert plan is not None
    assert (numbers(plan.inputs), plan.output_level, plan.drop_tombstones) == ([3, 1], 2, True)


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (lambda: SizeTiered(min_threshold=1), r"min_threshold must be >= 2, got 1"),
        (
            lambda: SizeTiered(max_threshold=3),
            r"max_threshold must be >= min_threshold \(4\), got 3",
        ),
        (lambda: SizeTiered(bucket_low=0), r"need 0 < bucket_low <= 1 <= bucket_high, got 0, 1\.5"),
        (lambda: SizeTiered(min_sstable_bytes=-1), r"min_sstable_bytes must be >= 0, got -1"),
        (lambda: Leveled(l0_trigger=0), r"l0_trigger must be >= 1, got 0"),
        (lambda: Leveled(level_ratio=1), r"level_ratio must be >= 2, got 1"),
        (lambda: Leveled(base_level_bytes=0), r"base_level_bytes must be >= 1, got 0"),
        (lambda: Leveled(target_file_bytes=0), r"target_file_bytes must be >= 1, got 0"),
    ],
)
def test_bad_parameters(factory: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        factory()


# -- the contract both strategies share -----------------------------------------


STRATEGIES: list[Callable[[], CompactionStrategy]] = [
    lambda: SizeTiered(min_threshold=2, max_threshold=4, min_sstable_bytes=0),
    lambda: SizeTiered(min_threshold=3, min_sstable_bytes=300),
    lambda: Leveled(l0_trigger=2, level_ratio=2, base_level_bytes=300, target_file_bytes=100),
    lambda: Leveled(l0_trigger=1, level_ratio=3, base_level_bytes=100, target_file_bytes=1000),
]
FLUSHES = st.lists(
    st.tuples(st.integers(0, 50), st.integers(0, 20), st.integers(1, 200)), min_size=1, max_size=40
)


@pytest.mark.parametrize("make_strategy", STRATEGIES)
@settings(max_examples=60, deadline=None)
@given(flushes=FLUSHES)
def test_contract_newest_version_is_read_first(
    make_strategy: Callable[[], CompactionStrategy], flushes: list[tuple[int, int, int]]
) -> None:
    strategy = make_strategy()
    counter = itertools.count(1)
    contents: dict[int, dict[int, int]] = {}  # table -> {key: the write that stored it}
    levels: list[list[TableMeta]] = []
    latest: dict[int, int] = {}  # the model: key -> its newest write
    for write, (low, span, size) in enumerate(flushes):
        flushed = table(next(counter), size, b"%02d" % low, b"%02d" % (low + span))
        contents[flushed.number] = dict.fromkeys(range(low, low + span + 1), write)
        latest.update(contents[flushed.number])
        levels = [[flushed, *(levels[0] if levels else [])], *levels[1:]]
        for _ in range(1000):
            plan = strategy.pick(levels)
            if plan is None:
                break
            merged: dict[int, int] = {}
            for source in plan.inputs:  # newest first: the first version of a key wins
                for key, version in contents[source.number].items():
                    assert merged.setdefault(key, version) >= version, "inputs out of order"
            smallest, largest = key_range(plan.inputs)
            output = table(next(counter), sum(t.file_bytes for t in plan.inputs), smallest, largest)
            contents[output.number] = merged
            levels = apply_compaction(levels, plan, [output])
        else:
            pytest.fail("compaction did not terminate")
        strategy.check_shape(levels)
        newest_seen: dict[int, int] = {}
        for t in (t for level in levels for t in level):  # the read path's order
            for key, version in contents[t.number].items():
                assert newest_seen.setdefault(key, version) >= version, f"stale read of {key}"
        assert newest_seen == latest, "a write was lost or resurrected"
