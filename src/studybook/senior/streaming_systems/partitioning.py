"""A topic of several replicated partitions, with keys routed as Kafka's Java producer routes them.

A record with a key goes to ``toPositive(murmur2(key bytes)) % partitions``,
where ``toPositive(n) = n & 0x7fffffff``: this is
``BuiltInPartitioner.partitionForKey`` in the Java client (Kafka 3.3 and
later; ``DefaultPartitioner`` before). :func:`murmur2` is a port of
``org.apache.kafka.common.utils.Utils.murmur2`` (32-bit MurmurHash2, seed
``0x9747b28c``) and returns the same signed 32-bit int; the tests check it on
the vectors of Kafka's ``UtilsTest``. Other clients differ: librdkafka's
default partitioner is ``consistent_random`` (CRC32), so a key can land in
different partitions from a Java and a C producer unless both are set to
``murmur2_random``.

Keyless records are not modelled (the Java client spreads them with its
sticky partitioner, KIP-480). String keys are encoded as UTF-8, as Kafka's
``StringSerializer`` does.
"""

from __future__ import annotations

from studybook._validate import check_int
from studybook.senior.streaming_systems.replication import (
    Acks,
    ProduceResult,
    ReplicatedPartition,
)

__all__ = ["Topic", "murmur2", "partition_for_key"]

_M = 0x5BD1E995
_MASK = 0xFFFFFFFF


def murmur2(data: bytes) -> int:
    """Kafka's ``Utils.murmur2``: 32-bit MurmurHash2 with seed ``0x9747b28c``, as a signed int.

    Raises:
        TypeError: ``data`` is not bytes.

    Complexity: O(len(data)).

    >>> murmur2(b"21"), murmur2(b"foobar")
    (-973932308, -790332482)
    """
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r}")
    length = len(data)
    h = (0x9747B28C ^ length) & _MASK
    for i in range(0, length - length % 4, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * _M) & _MASK
        k ^= k >> 24
        k = (k * _M) & _MASK
        h = ((h * _M) & _MASK) ^ k
    tail = length - length % 4
    rest = length % 4
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    h ^= h >> 15
    return h - (1 << 32) if h & 0x80000000 else h


def partition_for_key(key: str | bytes, partitions: int) -> int:
    """The partition Kafka's Java producer picks for ``key``: ``(murmur2 & 0x7fffffff) % n``.

    Raises:
        TypeError, ValueError: ``key`` not str or bytes, ``partitions`` not a positive int.

    >>> partition_for_key("foobar", 50)
    16
    >>> [partition_for_key(f"order-{i}", 3) for i in range(6)]
    [1, 1, 0, 0, 2, 2]
    >>> [partition_for_key(f"order-{i}", 4) for i in range(6)]  # one more partition: keys move
    [0, 2, 3, 3, 2, 2]
    >>> partition_for_key(b"k", 0)
    Traceback (most recent call last):
        ...
    ValueError: partitions must be in [1, 1000000], got 0
    """
    check_int(partitions, "partitions", minimum=1, maximum=1_000_000)
    if isinstance(key, str):
        key = key.encode("utf-8")
    elif not isinstance(key, bytes | bytearray):
        raise TypeError(f"key must be str or bytes, got {type(key).__name__}: {key!r}")
    return (murmur2(key) & 0x7FFFFFFF) % partitions


class Topic:
    """``partitions`` independent replicated partitions, keys routed by murmur2.

    Each partition is a
    :class:`~studybook.senior.streaming_systems.replication.ReplicatedPartition`.
    Order holds per partition, hence per key (:func:`partition_for_key`); nothing
    orders two partitions. Keyword arguments (``min_insync_replicas``,
    ``unclean_leader_election``, ...)
    are passed to every partition.

    >>> t = Topic(3)
    >>> [t.produce(k, v)[0] for k, v in [("order-2", "a"), ("order-4", "b"), ("order-2", "c")]]
    [0, 2, 0]
    >>> t.replicate(); [t.committed(p) for p in range(3)]
    [['a', 'c'], [], ['b']]
    """

    def __init__(
        self,
        partitions: int,
        replicas: int = 3,
        *,
        min_insync_replicas: int = 1,
        unclean_leader_election: bool = False,
        replica_lag_max: int = 3,
        strict_min_isr: bool = True,
    ) -> None:
        check_int(partitions, "partitions", minimum=1, maximum=10_000)
        self.partitions = [
            ReplicatedPartition(
                replicas,
                min_insync_replicas=min_insync_replicas,
                unclean_leader_election=unclean_leader_election,
                replica_lag_max=replica_lag_max,
                strict_min_isr=strict_min_isr,
            )
            for _ in range(partitions)
        ]

    def produce(
        self, key: str | bytes, value: str, *, acks: Acks = "all"
    ) -> tuple[int, ProduceResult]:
        """Route ``key`` to its partition and produce there; return (partition, result)."""
        p = partition_for_key(key, len(self.partitions))
        return p, self.partitions[p].produce(value, acks=acks)

    def replicate(self) -> None:
        """Every partition's followers fetch."""
        for partition in self.partitions:
            partition.replicate()

    def committed(self, partition: int) -> list[str]:
        """What a consumer of ``partition`` can read (below its high watermark)."""
        check_int(partition, "partition", minimum=0, maximum=len(self.partitions) - 1)
        return self.partitions[partition].committed()
