"""Measure this machine: sequential vs random reads and row- vs column-major traversal.

The simulator predicts misses; these functions time the real thing from
Python, over buffers of the standard library's ``array`` (eight-byte
``q`` items, contiguous like a C array). Two cautions shape them. First,
every Python-level operation costs tens of nanoseconds of interpreter work,
as much as an L3 hit, so a loop written in Python hides the difference
between cached and uncached reads unless each read misses all the way to
DRAM. The functions therefore time each pattern twice: driven by C
(``operator.itemgetter(*indices)(buf)`` and slicing, where the interpreter
runs once per call, not once per element) and by a plain ``for`` loop. Second,
timings vary from run to run and machine to machine: the chapter prints them
from a fresh run and never asserts on them.

======================  ============================================
function                measures
======================  ============================================
``access_times``        ns per read, sequential vs shuffled order
``traversal_times``     a matrix read by rows vs by columns
``cpu_caches``          the cache geometry Linux reports (sysfs)
======================  ============================================

>>> ticks = iter(range(100))
>>> t = access_times(1 << 16, loop_reads=256, clock=lambda: next(ticks))
>>> t.reads, t.sequential_ns, t.loop_reads, t.loop_random_ns  # one tick per run
(1024, 976562.5, 256, 3906250.0)

Primary sources: U. Drepper, "What Every Programmer Should Know About
Memory", 2007, section 3.3 (working-set measurements) and section 6.2
(row- vs column-major matrix multiplication); Linux
``Documentation/ABI/testing/sysfs-devices-system-cpu`` (the ``cache/index*``
files).
"""

from __future__ import annotations

import operator
import os
import random
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from studybook.fundamentals.memory_hierarchy.cache import check_size

__all__ = [
    "AccessTimes",
    "CpuCache",
    "TraversalTimes",
    "access_times",
    "cpu_caches",
    "traversal_times",
]

Clock = Callable[[], float]
_ITEM = 8  # bytes per array('q') item
_LINE = 64  # bytes per cache line assumed when spacing reads
_MAX_BUFFER = 1 << 32  # 4 GiB: past this the measurement is an out-of-memory test


@dataclass(frozen=True)
class AccessTimes:
    """Nanoseconds per read of one line each, in order and in a shuffled order."""

    buffer_bytes: int
    reads: int
    sequential_ns: float
    random_ns: float
    loop_reads: int
    loop_sequential_ns: float
    loop_random_ns: float

    @property
    def ratio(self) -> float:
        """Random over sequential, C-driven (inf if sequential measured zero)."""
        return self.random_ns / self.sequential_ns if self.sequential_ns else float("inf")


def access_times(
    buffer_bytes: int,
    *,
    stride_bytes: int = _LINE,
    loop_reads: int = 1 << 16,
    repeat: int = 1,
    seed: int = 0,
    clock: Clock = time.perf_counter,
) -> AccessTimes:
    """Time reading one item every ``stride_bytes`` of a buffer, in order and shuffled.

    Both orders read *the same lines*, one eight-byte item from each, so they
    differ only in locality: the hardware prefetcher follows the first and
    cannot follow the second, and once the buffer exceeds the last-level
    cache nearly every shuffled read waits for DRAM. The shuffle is two-level
    (the order of 64-read groups and the read within them both seeded-random),
    which is cheap to build from Python yet has no constant stride. Twice
    ``buffer_bytes`` is allocated and written, and only the first half is
    timed, so the caches start out holding the other half, not the data read.

    Args:
        buffer_bytes: bytes read, a power of two from 64 KiB to 2 GiB.
        stride_bytes: distance between reads, a power of two from 64 (every
            line) to ``buffer_bytes / 64``.
        loop_reads: reads each Python-loop run makes (capped at the line count).
        repeat: runs per pattern, the fastest kept; the first run is the
            coldest, so the default is one.
        seed: for the shuffle.
        clock: seconds, monotonic; injected so tests can fake it.

    Returns:
        Nanoseconds per read for each order, C-driven and Python-loop-driven.

    Raises:
        TypeError: a non-int argument (``bool`` included).
        ValueError: ``buffer_bytes`` out of range or not a power of two, a
            count below 1.

    Complexity: O(repeat x buffer_bytes / stride_bytes) time, O(buffer_bytes) memory.
    """
    check_size(buffer_bytes, "buffer_bytes")
    if not 1 << 16 <= buffer_bytes <= _MAX_BUFFER // 2:
        raise ValueError(
            f"buffer_bytes must be from 65536 to {_MAX_BUFFER // 2}, got {buffer_bytes!r}"
        )
    check_size(stride_bytes, "stride_bytes")
    if not _LINE <= stride_bytes <= buffer_bytes // 64:
        raise ValueError(
            f"stride_bytes must be from {_LINE} to buffer_bytes / 64, got {stride_bytes!r}"
        )
    _check_count(loop_reads, "loop_reads")
    _check_count(repeat, "repeat")
    _check_int(seed, "seed")
    items = buffer_bytes // _ITEM
    buf = array("q", [0]) * (2 * items)  # written, so every page is really backed
    step = stride_bytes // _ITEM
    in_order = list(range(0, items, step))
    shuffled = _scattered(len(in_order), step, seed)
    loop_count = min(loop_reads, len(in_order))

    def c_driven(indices: list[int]) -> Callable[[], object]:
        gather = operator.itemgetter(*indices)  # one C loop over every index
        return lambda: gather(buf)

    def loop_driven(indices: list[int]) -> Callable[[], object]:
        def run() -> int:
            total = 0
            for i in indices:
                total += buf[i]
            return total

        return run

    # Shuffled runs first, while the lines read are least likely to be cached.
    loop_random = _best(loop_driven(shuffled[:loop_count]), repeat, clock)
    c_random = _best(c_driven(shuffled), repeat, clock)
    c_sequential = _best(c_driven(in_order), repeat, clock)
    loop_sequential = _best(loop_driven(in_order[:loop_count]), repeat, clock)
    return AccessTimes(
        buffer_bytes,
        len(in_order),
        c_sequential * 1e9 / len(in_order),
        c_random * 1e9 / len(in_order),
        loop_count,
        loop_sequential * 1e9 / loop_count,
        loop_random * 1e9 / loop_count,
    )


def _scattered(reads: int, step: int, seed: int) -> list[int]:
    """``range(0, reads * step, step)`` in a two-level shuffled order (``reads`` a power of 2)."""
    rng = random.Random(seed)  # noqa: S311 - an access order, not a secret
    group = min(64, reads)
    starts = list(range(0, reads, group))
    offsets = list(range(group))
    rng.shuffle(starts)
    rng.shuffle(offsets)
    order: list[int] = []
    for offset in offsets:  # one line from every group, groups in shuffled order
        order.extend(map(offset.__add__, starts))
    return [k * step for k in order]


def _check_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    return value


def _best(run: Callable[[], object], repeat: int, clock: Clock) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        run()
        best = min(best, clock() - start)
    return best


def _check_count(value: object, what: str) -> int:
    count = _check_int(value, what)
    if count < 1:
        raise ValueError(f"{what} must be at least 1, got {count!r}")
    return count


@dataclass(frozen=True)
class TraversalTimes:
    """Reading a rows x cols matrix of eight-byte items stored row-major."""

    rows: int
    cols: int
    row_major_s: float
    column_major_s: float
    loop_row_ns: float
    loop_column_ns: float

    @property
    def ratio(self) -> float:
        """Column-major over row-major, C-driven (inf if row-major measured zero)."""
        return self.column_major_s / self.row_major_s if self.row_major_s else float("inf")


def traversal_times(
    rows: int = 2048,
    cols: int = 4096,
    *,
    sample: int = 1 << 18,
    repeat: int = 3,
    clock: Clock = time.perf_counter,
) -> TraversalTimes:
    """Time reading every item of a row-major matrix by rows, then by columns.

    C-driven: by rows is ``rows`` contiguous slices ``m[r*cols:(r+1)*cols]``;
    by columns is ``cols`` strided slices ``m[c::cols]``; both copy every
    item once, inside the array module's C code, so the gap is the memory
    system's. Python-loop-driven: a ``for`` loop reads ``sample`` items by
    rows, then ``sample`` items by columns, and the time per item is reported.

    Args:
        rows, cols: the matrix shape; ``rows * cols * 8`` bytes are allocated.
            Each at least 1, the product at most 4 GiB / 8.
        sample: items each Python loop reads, at least 1 (capped at the size).
        repeat: runs per pattern; the fastest is kept.
        clock: seconds, monotonic.

    Raises:
        TypeError: a non-int argument (``bool`` included).
        ValueError: a count below 1 or a matrix over 4 GiB.

    Complexity: O(repeat x rows x cols) time, O(rows x cols) memory.
    """
    for value, what in ((rows, "rows"), (cols, "cols"), (sample, "sample"), (repeat, "repeat")):
        _check_count(value, what)
    if rows * cols * _ITEM > _MAX_BUFFER:
        raise ValueError(f"a {rows} x {cols} matrix needs more than {_MAX_BUFFER} bytes")
    m = array("q", [0]) * (rows * cols)

    def by_rows() -> None:
        for r in range(rows):
            m[r * cols : (r + 1) * cols]

    def by_columns() -> None:
        for c in range(cols):
            m[c::cols]

    row_items = _loop_order(rows, cols, sample, by_rows=True)
    col_items = _loop_order(rows, cols, sample, by_rows=False)

    def loop(indices: Sequence[int]) -> Callable[[], object]:
        def run() -> int:
            total = 0
            for i in indices:
                total += m[i]
            return total

        return run

    return TraversalTimes(
        rows,
        cols,
        _best(by_rows, repeat, clock),
        _best(by_columns, repeat, clock),
        _best(loop(row_items), repeat, clock) * 1e9 / len(row_items),
        _best(loop(col_items), repeat, clock) * 1e9 / len(col_items),
    )


def _loop_order(rows: int, cols: int, sample: int, *, by_rows: bool) -> list[int]:
    count = min(sample, rows * cols)
    if by_rows:
        return list(range(count))
    return [(k % rows) * cols + k // rows for k in range(count)]


@dataclass(frozen=True)
class CpuCache:
    """One cache as Linux describes it in sysfs."""

    level: int
    kind: str
    size_bytes: int
    ways: int | None
    line_bytes: int | None

    def __str__(self) -> str:
        ways = f", {self.ways}-way" if self.ways else ""
        line = f", {self.line_bytes} B lines" if self.line_bytes else ""
        return f"L{self.level} {self.kind}: {_human(self.size_bytes)}{ways}{line}"


def cpu_caches(
    root: str | os.PathLike[str] = "/sys/devices/system/cpu/cpu0/cache",
) -> list[CpuCache]:
    """The caches of CPU 0 as Linux reports them, smallest level first; ``[]`` elsewhere.

    Reads ``index*/{level,type,size,ways_of_associativity,coherency_line_size}``
    under ``root``; entries that cannot be read or parsed are skipped. A
    virtual machine reports what its hypervisor chose to expose.

    Raises:
        TypeError: ``root`` not a string or path.

    Complexity: O(number of caches).

    >>> cpu_caches("/nonexistent")
    []
    """
    if not isinstance(root, str | os.PathLike):
        raise TypeError(f"root must be a path, got {type(root).__name__}: {root!r}")
    caches = []
    for index in sorted(Path(root).glob("index*")):
        try:
            level = int((index / "level").read_text())
            kind = (index / "type").read_text().strip()
            size = _parse_size((index / "size").read_text().strip())
        except (OSError, ValueError):
            continue
        caches.append(
            CpuCache(
                level,
                kind,
                size,
                _read_int(index / "ways_of_associativity"),
                _read_int(index / "coherency_line_size"),
            )
        )
    return sorted(caches, key=lambda c: (c.level, c.kind))


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text()) or None
    except (OSError, ValueError):
        return None


def _parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if text and text[-1] in units:
        return int(text[:-1]) * units[text[-1]]
    return int(text)


def _human(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} B"
