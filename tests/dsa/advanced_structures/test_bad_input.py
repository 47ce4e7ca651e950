"""Every public entry point refuses NaN, infinities, bool, wrong types and huge sizes clearly.

Each case names the call, the exception it must raise and a pattern the
message must match; the message must also quote the offending value, as
STYLE.md asks, so that a reader sees what was wrong without a debugger.
"""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Callable
from typing import Any

import pytest

from studybook.dsa.advanced_structures import (
    BloomFilter,
    ConsistentHashRing,
    CountMinSketch,
    HyperLogLog,
    MerkleTree,
    SkipList,
)
from studybook.dsa.advanced_structures import measurements as m
from studybook.dsa.advanced_structures.merkle import leaf_hash, node_hash

NAN = float("nan")
INF = float("inf")

_TREE = MerkleTree([b"a", b"b", b"c"])
_PROOF = _TREE.proof(2)

CASES: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    # BloomFilter(capacity, error_rate)
    ("bloom capacity bool", lambda: BloomFilter(True, 0.01), TypeError, "got True"),
    ("bloom capacity float", lambda: BloomFilter(10.0, 0.01), TypeError, "got 10.0"),
    ("bloom capacity negative", lambda: BloomFilter(-5, 0.01), ValueError, "got -5"),
    ("bloom rate nan", lambda: BloomFilter(10, NAN), ValueError, "got nan"),
    ("bloom rate inf", lambda: BloomFilter(10, INF), ValueError, "got inf"),
    ("bloom rate bool", lambda: BloomFilter(10, False), TypeError, "got False"),
    ("bloom rate str", lambda: BloomFilter(10, "0.01"), TypeError, "got '0.01'"),
    ("bloom huge", lambda: BloomFilter(10**12, 0.01), ValueError, "1000000000000 items"),
    ("bloom add float", lambda: BloomFilter(10, 0.1).add(NAN), TypeError, "got float: nan"),
    ("bloom add None", lambda: None in BloomFilter(10, 0.1), TypeError, "got NoneType: None"),
    ("bloom from str", lambda: BloomFilter.from_bytes("SBBF"), ValueError, "got 4 bytes"),  # type: ignore[arg-type]
    # CountMinSketch(width, depth), from_error, add, merge
    ("cms width bool", lambda: CountMinSketch(True, 3), TypeError, "got True"),
    ("cms depth float", lambda: CountMinSketch(10, 2.0), TypeError, "got 2.0"),
    ("cms width negative", lambda: CountMinSketch(-1, 3), ValueError, "got -1"),
    ("cms huge", lambda: CountMinSketch(10**9, 5), ValueError, "1000000000x5"),
    ("cms eps nan", lambda: CountMinSketch.from_error(NAN, 0.01), ValueError, "got nan"),
    ("cms delta inf", lambda: CountMinSketch.from_error(0.01, INF), ValueError, "got inf"),
    ("cms eps bool", lambda: CountMinSketch.from_error(True, 0.01), TypeError, "got True"),
    ("cms eps str", lambda: CountMinSketch.from_error("x", 0.01), TypeError, "got 'x'"),
    ("cms eps tiny", lambda: CountMinSketch.from_error(1e-12, 0.01), ValueError, "MAX_COUNTERS"),
    ("cms count bool", lambda: CountMinSketch(5, 2).add("a", True), TypeError, "got True"),
    ("cms count float", lambda: CountMinSketch(5, 2).add("a", 1.5), TypeError, "got 1.5"),
    ("cms count negative", lambda: CountMinSketch(5, 2).add("a", -2), ValueError, "got -2"),
    ("cms item float", lambda: CountMinSketch(5, 2).estimate(INF), TypeError, "got float: inf"),
    ("cms merge None", lambda: CountMinSketch(5, 2).merge(None), TypeError, "got None"),  # type: ignore[arg-type]
    # HyperLogLog(precision), add, merge
    ("hll precision bool", lambda: HyperLogLog(True), TypeError, "got True"),
    ("hll precision float", lambda: HyperLogLog(14.0), TypeError, "got 14.0"),
    ("hll precision negative", lambda: HyperLogLog(-1), ValueError, "got -1"),
    ("hll precision huge", lambda: HyperLogLog(64), ValueError, "got 64"),
    ("hll add nan", lambda: HyperLogLog(4).add(NAN), TypeError, "got float: nan"),
    ("hll merge list", lambda: HyperLogLog(4).merge([]), TypeError, r"got \[\]"),  # type: ignore[arg-type]
    # ConsistentHashRing(nodes, vnodes), add_node, node_for
    ("ring nodes str", lambda: ConsistentHashRing("abc"), TypeError, "got 'abc'"),
    ("ring nodes bytes", lambda: ConsistentHashRing(b"ab"), TypeError, "got b'ab'"),  # type: ignore[arg-type]
    ("ring vnodes bool", lambda: ConsistentHashRing(vnodes=True), TypeError, "got True"),
    ("ring vnodes float", lambda: ConsistentHashRing(vnodes=1.5), TypeError, "got 1.5"),  # type: ignore[arg-type]
    ("ring vnodes huge", lambda: ConsistentHashRing(vnodes=10**9), ValueError, "got 1000000000"),
    ("ring node int", lambda: ConsistentHashRing([1]), TypeError, "got 1"),  # type: ignore[list-item]
    ("ring key nan", lambda: ConsistentHashRing(["a"]).node_for(NAN), TypeError, "got float: nan"),
    # MerkleTree(leaves), proof, verify_proof, leaf_hash, node_hash
    ("merkle leaves str", lambda: MerkleTree("ab"), TypeError, "got 'ab'"),  # type: ignore[arg-type]
    ("merkle leaf str", lambda: MerkleTree(["a"]), TypeError, "got 'a' at index 0"),  # type: ignore[list-item]
    ("merkle proof bool", lambda: _TREE.proof(True), IndexError, "got True"),
    ("merkle proof negative", lambda: _TREE.proof(-1), IndexError, "got -1"),
    ("merkle proof float", lambda: _TREE.proof(1.0), IndexError, "got 1.0"),  # type: ignore[arg-type]
    (
        "verify leaf str",
        lambda: MerkleTree.verify_proof("c", 2, _PROOF, _TREE.root, 3),  # type: ignore[arg-type]
        TypeError,
        "leaf_data must be bytes, got 'c'",
    ),
    (
        "verify index bool",
        lambda: MerkleTree.verify_proof(b"c", True, _PROOF, _TREE.root, 3),
        TypeError,
        "index must be an int, got True",
    ),
    (
        "verify size nan",
        lambda: MerkleTree.verify_proof(b"c", 2, _PROOF, _TREE.root, NAN),  # type: ignore[arg-type]
        TypeError,
        "size must be an int, got nan",
    ),
    (
        "verify root str",
        lambda: MerkleTree.verify_proof(b"c", 2, _PROOF, "r", 3),  # type: ignore[arg-type]
        TypeError,
        "root must be bytes, got 'r'",
    ),
    (
        "verify proof bytes",
        lambda: MerkleTree.verify_proof(b"c", 2, b"xx", _TREE.root, 3),  # type: ignore[arg-type]
        TypeError,
        "proof must be a list of hashes, got b'xx'",
    ),
    ("leaf_hash str", lambda: leaf_hash("a"), TypeError, "got 'a'"),  # type: ignore[arg-type]
    ("node_hash None", lambda: node_hash(b"", None), TypeError, "got None"),  # type: ignore[arg-type]
    # SkipList(items, p, max_level), insert
    ("skip nan first", lambda: SkipList([NAN, 1.0]), ValueError, "got nan"),
    ("skip nan insert", lambda: SkipList([1.0]).insert(NAN), ValueError, "got nan"),
    ("skip items str", lambda: SkipList("cab"), TypeError, "got 'cab'"),
    ("skip p nan", lambda: SkipList(p=NAN), ValueError, "got nan"),
    ("skip p bool", lambda: SkipList(p=True), TypeError, "got True"),
    ("skip p str", lambda: SkipList(p="0.5"), TypeError, "got '0.5'"),  # type: ignore[arg-type]
    ("skip level bool", lambda: SkipList(max_level=True), TypeError, "got True"),
    ("skip level float", lambda: SkipList(max_level=4.0), TypeError, "got 4.0"),  # type: ignore[arg-type]
    ("skip level huge", lambda: SkipList(max_level=10**9), ValueError, "got 1000000000"),
    ("skip mixed types", lambda: SkipList([1, "a"]), TypeError, "'<' not supported"),
    # measurements: the experiment runners behind the chapter's tables
    (
        "bloom probes bool",
        lambda: m.bloom_false_positive_rates([], probes=True),
        TypeError,
        "got True",
    ),
    ("cms events zero", lambda: m.count_min_overestimates([], events=0), ValueError, "got 0"),
    ("hll seeds float", lambda: m.hyperloglog_errors([], seeds=2.0), TypeError, "got 2.0"),
    ("ring keys huge", lambda: m.ring_balance([1], keys=10**9), ValueError, "got 1000000000"),
    ("ring trials negative", lambda: m.ring_key_movement(trials=-1), ValueError, "got -1"),
    ("skip sizes zero", lambda: m.skip_list_search_costs([0.5], [0]), ValueError, r"sizes\[0\]"),
    ("skip p nan run", lambda: m.skip_list_search_costs([NAN], [10]), ValueError, "got nan"),
]


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [pytest.param(call, error, pattern, id=name) for name, call, error, pattern in CASES],
)
def test_bad_input_is_refused_with_the_value_in_the_message(
    call: Callable[[], Any], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        call()


def test_a_rejected_nan_leaves_the_skip_list_intact() -> None:
    s = SkipList([3.0, 1.0], rng=random.Random(0))
    with pytest.raises(ValueError, match="got nan"):
        s.insert(NAN)
    for x in (2.0, 0.5, 9.0):
        s.insert(x)
        s._check_invariants()
    assert list(s) == [0.5, 1.0, 2.0, 3.0, 9.0]
    assert NAN not in s
    with pytest.raises(KeyError):
        s.remove(NAN)  # used to remove 0.5: NaN is neither smaller nor larger than it
    assert list(s) == [0.5, 1.0, 2.0, 3.0, 9.0]


def test_a_serialised_filter_claiming_a_huge_capacity_is_refused() -> None:
    good = BloomFilter(10, 0.1).to_bytes()
    # Header: magic, version, m, k, capacity, error_rate, added (big-endian).
    header = struct.Struct(">4sBQIQdQ")
    magic, version, m, k, _, rate, added = header.unpack_from(good)
    forged = header.pack(magic, version, m, k, 10**15, rate, added) + good[header.size :]
    with pytest.raises(ValueError, match="1000000000000000 items"):
        BloomFilter.from_bytes(forged)


def test_infinities_are_ordinary_skip_list_elements() -> None:
    s = SkipList([1.0, -INF, INF, 0.0], rng=random.Random(1))
    s._check_invariants()
    assert list(s) == [-INF, 0.0, 1.0, INF]


def test_the_smallest_error_rate_still_gives_a_small_filter() -> None:
    # -ln(5e-324) is only 744, so even the smallest float rate costs ~1,550 bits per item.
    bf = BloomFilter(10, math.nextafter(0.0, 1.0))
    assert (bf.m, bf.k) == (15495, 1074)
    bf.add("x")
    assert "x" in bf
    assert "y" not in bf


def test_verify_proof_returns_false_for_malformed_proof_entries() -> None:
    good = MerkleTree.verify_proof(b"c", 2, _PROOF, _TREE.root, 3)
    assert good is True
    for bad in ([b"short"], [None], ["x" * 32], [_PROOF[0] + b"!"]):
        assert MerkleTree.verify_proof(b"c", 2, bad, _TREE.root, 3) is False  # type: ignore[arg-type]


def test_the_smallest_delta_is_refused_as_too_large_not_with_an_overflow() -> None:
    # 1 / 5e-324 is inf in floating point; ceil(log(inf)) raised OverflowError.
    sketch = CountMinSketch.from_error(0.5, 5e-324)
    assert (sketch.width, sketch.depth) == (6, 745)
    with pytest.raises(ValueError, match="MAX_COUNTERS"):
        CountMinSketch.from_error(1e-6, 5e-324)


@pytest.mark.parametrize(
    ("first", "second"),
    [({1}, {2}), ((NAN,), (1.0,)), ((1.0,), (NAN,))],
    ids=["sets", "nan-tuple-first", "nan-tuple-second"],
)
def test_incomparable_elements_are_refused_not_dropped(first: Any, second: Any) -> None:
    s = SkipList([first], rng=random.Random(0))
    with pytest.raises(ValueError, match="totally ordered"):
        s.insert(second)
    # The element that was there is untouched, and the refused one is not "in" it.
    assert list(s) == [first]
    assert second not in s
    with pytest.raises(KeyError):
        s.remove(second)
    assert list(s) == [first]
    s._check_invariants()
