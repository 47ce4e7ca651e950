"""Key routing: Kafka's murmur2 on its own test vectors, and a topic of replicated partitions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.streaming_systems import (
    NotEnoughReplicasError,
    Topic,
    murmur2,
    partition_for_key,
)

# Apache Kafka, clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, testMurmur2
# (the empty-key value is the Java client's output, as other ports test it).
KAFKA_VECTORS = {
    b"21": -973932308,
    b"foobar": -790332482,
    b"a-little-bit-long-string": -985981536,
    b"a-little-bit-longer-string": -1486304829,
    b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
    b"abc": 479470107,
    b"": 275646681,
}


@pytest.mark.parametrize(("data", "expected"), list(KAFKA_VECTORS.items()))
def test_murmur2_matches_kafka_utils(data, expected):
    assert murmur2(data) == expected
    assert murmur2(bytearray(data)) == expected


def test_partition_is_the_positive_hash_mod_n():
    # toPositive(-790332482) = -790332482 & 0x7fffffff = 1357151166; 1357151166 % 50 = 16
    assert partition_for_key(b"foobar", 50) == 16
    assert partition_for_key("foobar", 50) == 16  # str keys are UTF-8, like StringSerializer
    assert partition_for_key("é", 7) == partition_for_key("é".encode(), 7)


@settings(max_examples=100, deadline=None)
@given(key=st.binary(max_size=40), n=st.integers(1, 1000))
def test_partition_in_range_and_equal_to_the_formula(key, n):
    p = partition_for_key(key, n)
    assert 0 <= p < n
    h = murmur2(key)
    assert -(2**31) <= h < 2**31
    assert p == (h & 0x7FFFFFFF) % n


def test_adding_a_partition_moves_most_keys():
    keys = [f"order-{i}" for i in range(3000)]
    moved = sum(partition_for_key(k, 3) != partition_for_key(k, 4) for k in keys)
    assert 0.70 < moved / len(keys) < 0.80  # about 3/4 of the keys change partition


def test_topic_keeps_per_key_order_and_isolates_partitions():
    t = Topic(3, min_insync_replicas=2)
    for i in range(9):
        t.produce(f"order-{i % 3}", f"v{i}")
    t.replicate()
    where = {k: partition_for_key(k, 3) for k in ("order-0", "order-1", "order-2")}
    assert where == {"order-0": 1, "order-1": 1, "order-2": 0}
    assert t.committed(1) == ["v0", "v1", "v3", "v4", "v6", "v7"]
    assert t.committed(0) == ["v2", "v5", "v8"]
    assert t.committed(2) == []
    # a crash in one partition's replica set leaves the others writable
    t.partitions[0].crash(1)
    t.partitions[0].crash(2)
    with pytest.raises(NotEnoughReplicasError):
        t.produce("order-2", "x")
    assert t.produce("order-0", "y")[0] == 1


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: murmur2("abc"), TypeError),
        (lambda: partition_for_key(1, 3), TypeError),
        (lambda: partition_for_key("k", 0), ValueError),
        (lambda: partition_for_key("k", True), TypeError),
        (lambda: Topic(0), ValueError),
        (lambda: Topic(2, strict_min_isr=1), TypeError),
        (lambda: Topic(2).committed(2), ValueError),
    ],
)
def test_bad_input(call, error):
    with pytest.raises(error, match="got"):
        call()
