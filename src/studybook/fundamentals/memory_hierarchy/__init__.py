"""Memory hierarchy and caches: a set-associative cache simulator, the three Cs, and measurements.

A CPU core can use a value in a register at once, in its L1 cache within a
few cycles, in DRAM only after a hundred nanoseconds or so: each level of the
hierarchy is larger, slower and cheaper per byte than the one above it, and
caches hide the gap only when programs have *locality*: temporal (reuse the
same data soon) and spatial (use the neighbours of what was just used, which
arrived in the same 64-byte line). This package models the mechanism and
measures the effect, one layer per module: :mod:`~.cache` (a set-associative
LRU cache that counts hits and misses), :mod:`~.misses` (the three Cs:
compulsory, capacity, conflict), :mod:`~.coherence` (false sharing as line
transfers between cores), :mod:`~.measure` (sequential vs random reads and
row- vs column-major traversal timed on this machine) and :mod:`~.objects`
(where the bytes of a CPython object go). Interviewers ask because locality,
not operation counts, decides how fast most real code runs.

Invariants: a set never holds more than ``ways`` lines, evicting its least
recently used one; every miss is exactly one of compulsory, capacity or
conflict; ``size_breakdown(x).total == sys.getsizeof(x)``.

==========================  ====================================  ==========
function                    answers                               cost
==========================  ====================================  ==========
CacheSimulator.access       hit or miss, counted                  O(1)
classify_misses             misses by kind for a trace            O(n)
line_transfers              coherence traffic for a write trace   O(n)
access_times                ns per read, in order vs shuffled     measured
traversal_times             matrix by rows vs by columns          measured
size_breakdown              sys.getsizeof, part by part           O(1)
==========================  ====================================  ==========

>>> cache = CacheSimulator(size_bytes=16, line_bytes=4, ways=2)
>>> [cache.access(a) for a in (0, 32, 0, 64, 32)], cache.hits, cache.misses
([False, False, True, False, False], 1, 4)

Primary sources: R. E. Bryant, D. R. O'Hallaron, *Computer Systems: A
Programmer's Perspective*, 3rd ed., 2016, chapter 6; J. L. Hennessy, D. A.
Patterson, *Computer Architecture: A Quantitative Approach*, appendix B and
chapter 2; U. Drepper, "What Every Programmer Should Know About Memory",
2007; M. D. Hill, A. J. Smith, "Evaluating Associativity in CPU Caches",
*IEEE Transactions on Computers* 38(12), 1989.
"""

from __future__ import annotations

import platform
import sys
from array import array
from typing import TextIO

from studybook.fundamentals.memory_hierarchy.cache import AddressParts, CacheSimulator
from studybook.fundamentals.memory_hierarchy.coherence import counter_writes, line_transfers
from studybook.fundamentals.memory_hierarchy.measure import (
    AccessTimes,
    CpuCache,
    TraversalTimes,
    access_times,
    cpu_caches,
    traversal_times,
)
from studybook.fundamentals.memory_hierarchy.misses import (
    MissBreakdown,
    MissKind,
    classify_misses,
    miss_kinds,
)
from studybook.fundamentals.memory_hierarchy.objects import SizeBreakdown, size_breakdown

__all__ = [
    "COD_DIRECT_MAPPED",
    "CSAPP_DIRECT_MAPPED",
    "AccessTimes",
    "AddressParts",
    "CacheSimulator",
    "CpuCache",
    "MissBreakdown",
    "MissKind",
    "SizeBreakdown",
    "TraversalTimes",
    "access_times",
    "classify_misses",
    "counter_writes",
    "cpu_caches",
    "demo",
    "dotprod_trace",
    "line_transfers",
    "matrix_trace",
    "miss_kinds",
    "size_breakdown",
    "traversal_times",
]

#: Byte addresses read in the direct-mapped example of Bryant and O'Hallaron, 3rd ed., 6.4.2.
CSAPP_DIRECT_MAPPED = (0, 1, 13, 8, 0)
#: Word addresses of the direct-mapped example of Patterson and Hennessy, COD, section 5.3.
COD_DIRECT_MAPPED = (22, 26, 22, 26, 16, 3, 16, 18, 16)


def dotprod_trace(x_floats: int = 8, n: int = 8) -> list[int]:
    """Byte addresses read by CS:APP's ``dotprod``: ``x[i]`` then ``y[i]`` for each ``i``.

    ``float x[x_floats]`` starts at address 0 and ``float y[n]`` right after
    it, four bytes per float; ``x_floats = 12`` is the book's padded layout.

    Raises:
        TypeError: a non-int argument (``bool`` included).
        ValueError: ``n < 0`` or ``x_floats < n``.

    Complexity: O(n).

    >>> dotprod_trace(8, 3)
    [0, 32, 4, 36, 8, 40]
    """
    for value, what in ((x_floats, "x_floats"), (n, "n")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    if n < 0 or x_floats < n:
        raise ValueError(f"need 0 <= n <= x_floats, got n={n!r}, x_floats={x_floats!r}")
    y = 4 * x_floats
    return [a for i in range(n) for a in (4 * i, y + 4 * i)]


def matrix_trace(rows: int, cols: int, *, by_rows: bool, row_items: int | None = None) -> list[int]:
    """Byte addresses of every eight-byte item of a row-major matrix, by rows or by columns.

    ``row_items`` (default ``cols``) is the stored length of a row: set it
    above ``cols`` to model padding each row.

    Raises:
        TypeError: a non-int size (``bool`` included).
        ValueError: a size below 1, or ``row_items < cols``.

    Complexity: O(rows x cols).

    >>> matrix_trace(2, 3, by_rows=False)
    [0, 24, 8, 32, 16, 40]
    """
    stride = cols if row_items is None else row_items
    for value, what in ((rows, "rows"), (cols, "cols"), (stride, "row_items")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
        if value < 1:
            raise ValueError(f"{what} must be at least 1, got {value!r}")
    if stride < cols:
        raise ValueError(f"row_items must be at least cols ({cols}), got {stride!r}")
    if by_rows:
        return [8 * (r * stride + c) for r in range(rows) for c in range(cols)]
    return [8 * (r * stride + c) for c in range(cols) for r in range(rows)]


def demo(out: TextIO) -> None:
    """Run the textbook traces, the three Cs, false sharing, measurements and object sizes.

    The simulated parts are exact; the measured parts vary by machine and run.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)  # runs only locally: sizes differ in the page's 32-bit Python
    >>> print(buf.getvalue(), end="")
    Textbook traces (H hit, m miss)
    CS:APP 6.4.2, 8 B direct-mapped, 2 B lines: 0 1 13 8 0 -> m H m m m
    COD 5.3, eight 4 B lines, direct-mapped: 22 26 22 26 16 3 16 18 16 -> m m H H m m H m H
    COD 5.4, four 4 B lines, blocks 0 8 0 6 8:
    ways  misses  compulsory  capacity  conflict
       1       5           3         0         2
       2       4           3         0         1
       4       3           3         0         0
    <BLANKLINE>
    CS:APP dotprod, float x[8] and y[8], 16 B lines
    cache                           layout  hit rate  conflict misses
    32 B direct-mapped          y after x        0%               12
    32 B direct-mapped       x padded to 12      75%                0
    64 B 2-way                  y after x       75%                0
    <BLANKLINE>
    128 x 128 matrix of 8-byte items in a 32 KiB 8-way cache, 64 B lines
    order                       hit rate  compulsory  capacity  conflict
    row-major                      87.5%        2048         0         0
    column-major                    0.0%        2048         0     14336
    column-major, rows padded      87.5%        2048         0         0
    <BLANKLINE>
    4096 values in the same cache: array 512 misses, linked list (nodes scattered) 4096 misses
    False sharing model, 2 cores x 1000 increments: line transfers
    1999 with counters 8 B apart, 0 with 64 B apart
    <BLANKLINE>
    Measured on this machine (...)
    ...
    ns per 8-byte read, same items read in order and shuffled
    buffer, stride   C-driven: in order  shuffled   ratio  Python loop: in order  shuffled
    256 KiB, 64 B  ...
    64 MiB, 512 B  ...
    2048 x 4096 matrix of 8-byte items (64 MiB), rows vs columns, best of 2
    C slices: rows ... ms, columns ... ms (... x)
    Python loop: rows ... ns/item, columns ... ns/item
    <BLANKLINE>
    sys.getsizeof on CPython ... = header + body + GC header + managed dict
    object()                16 =  16 +   0 +  0 +  0
    1                       28 =  16 +  12 +  0 +  0
    2**30                   32 =  16 +  16 +  0 +  0
    1.0                     24 =  16 +   8 +  0 +  0
    ()                      40 =  16 +   8 + 16 +  0
    (1, 2, 3)               64 =  16 +  32 + 16 +  0
    []                      56 =  16 +  24 + 16 +  0
    [1, 2, 3]               88 =  16 +  56 + 16 +  0
    Point with __slots__    48 =  16 +  16 + 16 +  0
    Point with __dict__     ...
    1000 distinct ints: list 8056 B + int objects 28000 B; array('q') 8080 B
    """
    _textbook(out)
    _dotprod(out)
    _matrices(out)
    _measured(out)
    _objects(out)


def _marks(hits: list[bool]) -> str:
    return " ".join("H" if h else "m" for h in hits)


def _textbook(out: TextIO) -> None:
    out.write("Textbook traces (H hit, m miss)\n")
    csapp = CacheSimulator(8, 2, 1)
    marks = _marks([csapp.access(a) for a in CSAPP_DIRECT_MAPPED])
    trace = " ".join(map(str, CSAPP_DIRECT_MAPPED))
    out.write(f"CS:APP 6.4.2, 8 B direct-mapped, 2 B lines: {trace} -> {marks}\n")
    cod = CacheSimulator(32, 4, 1)
    marks = _marks([cod.access(4 * w) for w in COD_DIRECT_MAPPED])
    trace = " ".join(map(str, COD_DIRECT_MAPPED))
    out.write(f"COD 5.3, eight 4 B lines, direct-mapped: {trace} -> {marks}\n")
    out.write("COD 5.4, four 4 B lines, blocks 0 8 0 6 8:\n")
    out.write("ways  misses  compulsory  capacity  conflict\n")
    for ways in (1, 2, 4):
        b = classify_misses([4 * blk for blk in (0, 8, 0, 6, 8)], 16, 4, ways)
        out.write(f"{ways:>4}{b.misses:>8}{b.compulsory:>12}{b.capacity:>10}{b.conflict:>10}\n")


def _dotprod(out: TextIO) -> None:
    out.write("\nCS:APP dotprod, float x[8] and y[8], 16 B lines\n")
    out.write(f"{'cache':<20}{'layout':>19}{'hit rate':>10}{'conflict misses':>17}\n")
    for cache, size, ways, x_floats, layout in (
        ("32 B direct-mapped", 32, 1, 8, "y after x"),
        ("32 B direct-mapped", 32, 1, 12, "x padded to 12"),
        ("64 B 2-way", 64, 2, 8, "y after x"),
    ):
        b = classify_misses(dotprod_trace(x_floats), size, 16, ways)
        out.write(f"{cache:<20}{layout:>19}{b.hit_rate:>9.0%}{b.conflict:>17}\n")


def _matrices(out: TextIO) -> None:
    n = 128
    out.write(f"\n{n} x {n} matrix of 8-byte items in a 32 KiB 8-way cache, 64 B lines\n")
    out.write(f"{'order':<26}{'hit rate':>10}{'compulsory':>12}{'capacity':>10}{'conflict':>10}\n")
    for label, trace in (
        ("row-major", matrix_trace(n, n, by_rows=True)),
        ("column-major", matrix_trace(n, n, by_rows=False)),
        ("column-major, rows padded", matrix_trace(n, n, by_rows=False, row_items=n + 8)),
    ):
        b = classify_misses(trace, 32 * 1024, 64, 8)
        out.write(
            f"{label:<26}{b.hit_rate:>10.1%}{b.compulsory:>12}{b.capacity:>10}{b.conflict:>10}\n"
        )
    count = 4096
    array_cache = CacheSimulator(32 * 1024, 64, 8)
    for i in range(count):
        array_cache.access(8 * i)
    # A linked list's 16-byte nodes (value, next) land wherever the allocator had
    # room: model that as slots 128 B apart in a 512 KiB heap, visited in a fixed
    # scrambled order (an odd multiplier permutes the slots modulo a power of two).
    list_cache = CacheSimulator(32 * 1024, 64, 8)
    for i in range(count):
        list_cache.access(128 * ((i * 2654435761) % count))
    out.write(
        f"\n{count} values in the same cache: array {array_cache.misses} misses, "
        f"linked list (nodes scattered) {list_cache.misses} misses\n"
    )
    increments = 1000
    near = line_transfers(counter_writes(2, increments, 8))
    far = line_transfers(counter_writes(2, increments, 64))
    out.write(
        f"False sharing model, 2 cores x {increments} increments: line transfers\n"
        f"{near} "
        f"with counters 8 B apart, {far} with 64 B apart\n"
    )


def _measured(out: TextIO) -> None:
    caches = cpu_caches()
    out.write(f"\nMeasured on this machine ({platform.machine()}, {len(caches)} caches reported)\n")
    for cache in caches:
        out.write(f"  {cache}\n")
    out.write("ns per 8-byte read, same items read in order and shuffled\n")
    out.write(
        f"{'buffer, stride':<16}{'C-driven: in order':>19}{'shuffled':>10}{'ratio':>8}"
        f"{'Python loop: in order':>23}{'shuffled':>10}\n"
    )
    # The small buffer is read warm (best of 3); the large one cold, once.
    for label, size, stride, repeat in (
        ("256 KiB, 64 B", 1 << 18, 64, 3),
        ("64 MiB, 512 B", 1 << 26, 512, 1),
    ):
        t = access_times(size, stride_bytes=stride, loop_reads=1 << 15, repeat=repeat)
        out.write(
            f"{label:<16}{t.sequential_ns:>19.1f}{t.random_ns:>10.1f}{t.ratio:>7.1f}x"
            f"{t.loop_sequential_ns:>23.1f}{t.loop_random_ns:>10.1f}\n"
        )
    m = traversal_times(2048, 4096, sample=1 << 16, repeat=2)
    out.write("2048 x 4096 matrix of 8-byte items (64 MiB), rows vs columns, best of 2\n")
    out.write(
        f"C slices: rows {m.row_major_s * 1e3:.1f} ms, columns {m.column_major_s * 1e3:.1f} ms "
        f"({m.ratio:.1f} x)\n"
    )
    out.write(
        f"Python loop: rows {m.loop_row_ns:.1f} ns/item, columns {m.loop_column_ns:.1f} ns/item\n"
    )


class _SlotPoint:
    __slots__ = ("x", "y")

    def __init__(self) -> None:
        self.x, self.y = 1, 2


class _DictPoint:
    def __init__(self) -> None:
        self.x, self.y = 1, 2


def _objects(out: TextIO) -> None:
    version = f"{platform.python_implementation()} {sys.version_info[0]}.{sys.version_info[1]}"
    out.write(f"\nsys.getsizeof on {version} = header + body + GC header + managed dict\n")
    samples: list[tuple[str, object]] = [
        ("object()", object()),
        ("1", 1),
        ("2**30", 2**30),
        ("1.0", 1.0),
        ("()", ()),
        ("(1, 2, 3)", (1, 2, 3)),
        ("[]", []),
        ("[1, 2, 3]", [1, 2, 3]),
        ("Point with __slots__", _SlotPoint()),
        ("Point with __dict__", _DictPoint()),
    ]
    for label, obj in samples:
        b = size_breakdown(obj)
        out.write(
            f"{label:<20}{b.total:>6} = {b.header:>3} + {b.body:>3} + {b.gc_header:>2} + "
            f"{b.managed_dict:>2}\n"
        )
    values = list(range(1000, 2000))
    ints = sum(sys.getsizeof(v) for v in values)
    packed = array("q", values)
    out.write(
        f"1000 distinct ints: list {sys.getsizeof(values)} B + int objects {ints} B; "
        f"array('q') {sys.getsizeof(packed)} B\n"
    )
