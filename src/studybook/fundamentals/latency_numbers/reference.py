"""The published latency numbers, each with its source and year, and what has moved since.

Jeff Dean's slide "Numbers Everyone Should Know" (LADIS 2009 keynote) and the
table in Peter Norvig's essay "Teach Yourself Programming in Ten Years" are the
lists interviewers mean by "latency numbers every programmer should know".
They were approximate when published and hardware has moved since, unevenly:
latencies set by physics (DRAM access, a disk's rotation, light in fibre) have
barely changed, while bandwidths (disks, SSDs, network links, memory) have
grown many times. This module keeps every number with where it came from, so
a reader can say "Dean, 2009" instead of "a number I once saw".

Invariant: every :class:`Latency` names a key of :data:`SOURCES`; every value
is positive; derived values (a transfer time from a datasheet's bandwidth)
are computed from the datasheet figure, not typed.

>>> dean = [x for x in REFERENCE if x.source == "dean2009"]
>>> len(dean), dean[0].operation, format_duration(dean[0].seconds), dean[0].year
(12, 'L1 cache reference', '0.50 ns', 2009)

Primary sources: J. Dean, "Designs, Lessons and Advice from Building Large
Distributed Systems", LADIS 2009 keynote slides; P. Norvig, "Teach Yourself
Programming in Ten Years" (norvig.com/21-days.html); C. Scott, "Latency
Numbers Every Programmer Should Know" (interactive, by year); Micron 9200
NVMe SSD product brief; Seagate Exos X18 data sheet.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from studybook.fundamentals.latency_numbers.units import format_duration

__all__ = [
    "CHANGES",
    "REFERENCE",
    "SOURCES",
    "Change",
    "Latency",
    "Source",
    "ladder_mermaid",
    "reference_table",
]


@dataclass(frozen=True)
class Source:
    """Where a number comes from.

    Attributes:
        key: short id used by :class:`Latency`.
        short: how a table cites it ("Dean 2009").
        citation: the full reference, for Further reading.
        year: the year the numbers are for.
        measured: ``False`` for a model or an extrapolation, ``True`` for a
            figure someone measured or a vendor specifies.
    """

    key: str
    short: str
    citation: str
    year: int
    measured: bool


#: Every source the reference table cites, by key.
SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "dean2009",
            "Dean 2009",
            'J. Dean, "Designs, Lessons and Advice from Building Large Distributed '
            'Systems", LADIS 2009 keynote, slide "Numbers Everyone Should Know"',
            2009,
            True,
        ),
        Source(
            "norvig2001",
            "Norvig 2001",
            'P. Norvig, "Teach Yourself Programming in Ten Years" (2001), answers '
            "table for a typical 1 GHz PC of summer 2001 (the longer table online "
            "today matches Dean's list and is later)",
            2001,
            True,
        ),
        Source(
            "gist2012",
            "gist 2012",
            'J. Bonér, GitHub gist "Latency Numbers Every Programmer Should Know" '
            "(2012), Dean's list plus SSD rows",
            2012,
            True,
        ),
        Source(
            "scott2020",
            "Scott model 2020",
            'C. Scott, "Latency Numbers Every Programmer Should Know" (interactive, '
            "by year; trend extrapolations), slider at 2020",
            2020,
            False,
        ),
        Source(
            "micron9200",
            "Micron 9200 (NVMe)",
            "Micron 9200 NVMe SSD product brief (2017): typical QD1 read latency "
            "92-150 µs, sequential 128 KB read up to 3.50 GB/s",
            2017,
            True,
        ),
        Source(
            "exosx18",
            "Seagate Exos X18 (HDD)",
            "Seagate Exos X18 data sheet (2020): 7200 rpm, max sustained transfer "
            "rate 270 MB/s at the outer diameter",
            2020,
            True,
        ),
    )
}


@dataclass(frozen=True)
class Latency:
    """One published latency.

    Attributes:
        operation: what is timed, in the source's words where possible.
        seconds: the time it takes.
        source: a key of :data:`SOURCES`.
        note: how a derived value was computed, or a caveat.
    """

    operation: str
    seconds: float
    source: str
    note: str = ""

    @property
    def year(self) -> int:
        """The year of the source's numbers."""
        return SOURCES[self.source].year


_NS, _US, _MS = 1e-9, 1e-6, 1e-3
_MB = 10**6  # the sources' "1 MB" is taken as 10^6 bytes, as Scott's model does

_DEAN = (
    ("L1 cache reference", 0.5 * _NS),
    ("Branch mispredict", 5 * _NS),
    ("L2 cache reference", 7 * _NS),
    ("Mutex lock/unlock", 25 * _NS),
    ("Main memory reference", 100 * _NS),
    ("Compress 1K bytes with Zippy", 3_000 * _NS),
    ("Send 2K bytes over 1 Gbps network", 20_000 * _NS),
    ("Read 1 MB sequentially from memory", 250_000 * _NS),
    ("Round trip within same datacenter", 500_000 * _NS),
    ("Disk seek", 10_000_000 * _NS),
    ("Read 1 MB sequentially from disk", 20_000_000 * _NS),
    ("Send packet CA->Netherlands->CA", 150_000_000 * _NS),
)

# Seagate Exos X18: 7200 rpm; 270 MB/s sustained at the outer tracks.
_RPM, _HDD_BYTES_PER_S = 7200, 270e6
# Micron 9200: typical QD1 read 92 µs (the brief gives 92-150 µs); 3.50 GB/s sequential.
_NVME_READ, _NVME_BYTES_PER_S = 92 * _US, 3.5e9

#: Every published latency, in source order (Dean 2009 first).
REFERENCE: tuple[Latency, ...] = (
    *(Latency(op, s, "dean2009") for op, s in _DEAN),
    Latency("Execute typical instruction", 1 * _NS, "norvig2001"),
    Latency("Fetch from new disk location (seek)", 8 * _MS, "norvig2001"),
    Latency("Read 4K randomly from SSD", 150 * _US, "gist2012"),
    Latency("Read 1 MB sequentially from SSD", 1 * _MS, "gist2012", "~1 GB/s SSD"),
    Latency("L1 cache reference", 1 * _NS, "scott2020", "3 cycles at 3 GHz"),
    Latency("Branch mispredict", 3 * _NS, "scott2020", "10 cycles at 3 GHz, rounded"),
    Latency("L2 cache reference", 4 * _NS, "scott2020", "13 cycles at 3 GHz, rounded"),
    Latency("Mutex lock/unlock", 17 * _NS, "scott2020", "50 cycles at 3 GHz, rounded"),
    Latency("Main memory reference", 100 * _NS, "scott2020", "held flat since 2000"),
    Latency("SSD random read", 16 * _US, "scott2020", "held flat since 2015"),
    Latency(
        "Read 1 MB sequentially from memory",
        3 * _US,
        "scott2020",
        "DRAM bandwidth doubling every 3 years from 4 GB/s in 2001",
    ),
    Latency("Round trip within same datacenter", 500 * _US, "scott2020", "held constant"),
    Latency("Packet round trip CA to Netherlands", 150 * _MS, "scott2020", "held constant"),
    Latency(
        "Read 4 KB randomly from NVMe SSD (QD1)", _NVME_READ, "micron9200", "typical, 92-150 µs"
    ),
    Latency(
        "Read 1 MB sequentially from NVMe SSD",
        _MB / _NVME_BYTES_PER_S,
        "micron9200",
        "10^6 B at 3.50 GB/s",
    ),
    Latency(
        "Disk rotational latency (average)",
        60 / _RPM / 2,
        "exosx18",
        "half a turn at 7200 rpm",
    ),
    Latency(
        "Read 1 MB sequentially from disk",
        _MB / _HDD_BYTES_PER_S,
        "exosx18",
        "10^6 B at 270 MB/s, outer tracks",
    ),
)


def reference_table(source: str | None = None) -> list[Latency]:
    """Return the reference latencies, fastest first, optionally from one source.

    Args:
        source: a key of :data:`SOURCES`, or ``None`` for all of them.

    Returns:
        The matching entries sorted by time (stable, so equal times keep
        their order in :data:`REFERENCE`).

    Raises:
        ValueError: ``source`` is not a key of :data:`SOURCES`.

    Complexity: O(n log n) for n entries.

    >>> for x in reference_table("exosx18"):
    ...     print(format_duration(x.seconds), x.operation)
    3.70 ms Read 1 MB sequentially from disk
    4.17 ms Disk rotational latency (average)
    >>> reference_table("dean")
    Traceback (most recent call last):
    ValueError: unknown source 'dean'; expected one of 'dean2009', 'norvig2001', ...
    """
    if source is not None and (not isinstance(source, str) or source not in SOURCES):
        expected = ", ".join(repr(k) for k in SOURCES)
        raise ValueError(f"unknown source {source!r}; expected one of {expected}")
    rows = [x for x in REFERENCE if source is None or x.source == source]
    return sorted(rows, key=lambda x: x.seconds)


@dataclass(frozen=True)
class Change:
    """How one of Dean's 2009 numbers compares with a later figure.

    Attributes:
        then: Dean's entry.
        now: the later entry it is compared with.
        verdict: what moved and why, in a sentence.
    """

    then: Latency
    now: Latency
    verdict: str

    @property
    def speedup(self) -> float:
        """The ratio then / now, above 1 when the operation got faster."""
        return self.then.seconds / self.now.seconds


def _find(operation: str, source: str) -> Latency:
    for x in REFERENCE:
        if x.operation == operation and x.source == source:
            return x
    raise KeyError(f"no reference entry {operation!r} from {source!r}")  # pragma: no cover


#: Dean 2009 and gist 2012 rows paired with a later figure for the same operation.
CHANGES: tuple[Change, ...] = (
    Change(
        _find("Main memory reference", "dean2009"),
        _find("Main memory reference", "scott2020"),
        "unchanged: DRAM latency has stayed near 100 ns for two decades",
    ),
    Change(
        _find("Disk seek", "dean2009"),
        _find("Disk rotational latency (average)", "exosx18"),
        "barely moved: half a turn at 7200 rpm alone is 4.17 ms, before any seek",
    ),
    Change(
        _find("Read 1 MB sequentially from disk", "dean2009"),
        _find("Read 1 MB sequentially from disk", "exosx18"),
        "faster: denser platters stream 270 MB/s at the outer edge (about half inside)",
    ),
    Change(
        _find("Read 4K randomly from SSD", "gist2012"),
        _find("Read 4 KB randomly from NVMe SSD (QD1)", "micron9200"),
        "somewhat faster: NAND read time, not the interface, dominates",
    ),
    Change(
        _find("Read 1 MB sequentially from SSD", "gist2012"),
        _find("Read 1 MB sequentially from NVMe SSD", "micron9200"),
        "faster: NVMe over PCIe replaced SATA's 600 MB/s ceiling",
    ),
    Change(
        _find("Send packet CA->Netherlands->CA", "dean2009"),
        _find("Packet round trip CA to Netherlands", "scott2020"),
        "unchanged: bounded by the speed of light in fibre",
    ),
)


def ladder_mermaid() -> str:
    """Return the latency ladder (Dean's 2009 numbers) as a mermaid flowchart.

    One rung per order-of-magnitude band (ns, µs, ms), each entry labelled
    with its time, so the diagram in the chapter is generated, not typed; a
    test checks that the page contains exactly this text.

    Returns:
        Mermaid source, without the surrounding fence.

    Complexity: O(n) for Dean's n entries.

    >>> print(ladder_mermaid().splitlines()[1])
        subgraph ns["nanoseconds: the CPU and its caches"]
    """
    bands = (
        ("ns", "nanoseconds: the CPU and its caches", 0.0, 1 * _US),
        ("us", "microseconds: memory bulk, compression, the LAN", 1 * _US, 1 * _MS),
        ("ms", "milliseconds: disks and the WAN", 1 * _MS, float("inf")),
    )
    dean = reference_table("dean2009")
    lines = ["flowchart TB"]
    nodes: list[str] = []
    for key, title, low, high in bands:
        lines.append(f'    subgraph {key}["{title}"]')
        for i, x in enumerate(x for x in dean if low <= x.seconds < high):
            nodes.append(f"{key}{i}")
            label = f"{x.operation}<br/>{format_duration(x.seconds)}"
            lines.append(f'        {nodes[-1]}["{label}"]')
        lines.append("    end")
    # Edges after the subgraphs, so no node is pulled into a later band.
    lines += [f"    {a} --> {b}" for a, b in itertools.pairwise(nodes)]
    return "\n".join(lines) + "\n"
