"""The Bloom filter: no false negatives, and a false-positive rate near the published bound."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.lsm_tree.bloom import BloomFilter, expected_false_positive_rate


@settings(max_examples=100, deadline=None)
@given(keys=st.sets(st.binary(max_size=16), max_size=200), bits_per_key=st.integers(0, 20))
def test_no_false_negatives_and_serialization_round_trip(
    keys: set[bytes], bits_per_key: int
) -> None:
    bloom = BloomFilter.for_key_count(len(keys), bits_per_key)
    for key in keys:
        bloom.add(key)
    copy = BloomFilter.from_bytes(bloom.to_bytes())
    assert all(bloom.might_contain(k) and copy.might_contain(k) for k in keys)
    assert copy.to_bytes() == bloom.to_bytes()


@pytest.mark.parametrize("bits_per_key", [4, 6, 10, 14])
def test_false_positive_rate_matches_the_formula(bits_per_key: int) -> None:
    # Seeded, so the test is deterministic; with 40 000 probes the binomial
    # standard deviation is under 8 % of the expected count for every case,
    # so the band below is more than four standard deviations wide.
    rng = random.Random(bits_per_key)
    count, probes = 4000, 40_000
    keys = {rng.randbytes(12) for _ in range(count)}
    bloom = BloomFilter.for_key_count(len(keys), bits_per_key)
    for key in keys:
        bloom.add(key)
    absent = [rng.randbytes(13) for _ in range(probes)]  # 13 bytes long: never a member
    rate = sum(bloom.might_contain(k) for k in absent) / probes
    expected = expected_false_positive_rate(bits_per_key, bloom.num_hashes)
    assert 0.65 * expected <= rate <= 1.35 * expected, (rate, expected)


def test_ten_bits_per_key_is_about_one_percent() -> None:
    assert BloomFilter.for_key_count(1000, 10).num_hashes == 7
    assert 0.008 < expected_false_positive_rate(10, 7) < 0.0085


def test_hashing_is_stable_across_processes() -> None:
    # The bit pattern is part of the file format: it must not depend on the
    # per-process salt of the built-in hash(). A golden value pins it.
    bloom = BloomFilter(64, 3)
    bloom.add(b"studybook")
    assert bloom.to_bytes().hex() == "03400000000000000000002084"


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"num_hashes must be in 1\.\.30, got 0"):
        BloomFilter(64, 0)
    with pytest.raises(ValueError, match=r"num_bits must be in 0\.\.4294967295, got -1"):
        BloomFilter(-1, 1)
    with pytest.raises(ValueError, match=r"key_count must be >= 0, got -5"):
        BloomFilter.for_key_count(-5, 10)
    with pytest.raises(TypeError, match=r"key must be bytes, got str"):
        BloomFilter(64, 1).add("x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"bloom filter needs at least 5 bytes, got 2"):
        BloomFilter.from_bytes(b"\x01\x02")
