"""Measure this machine: what a Python process can time honestly, and how it was timed.

Published latency tables are someone else's hardware in someone else's
year. This module times the operations a Python program can reach on the
machine it runs on: an interpreter-level function call and dict lookup,
hashing and copying a mebibyte, an ``fsync``, a loopback TCP round trip and
4 KiB file reads. Each :class:`Measurement` says how it was taken (which
clock, how many operations per batch, how many batches, min or median),
because a number without its method cannot be compared with anything.

Two rules from the ``timeit`` documentation guide the statistics: for
CPU-bound code the *minimum* of several batches is the best estimate (higher
values are interference from other processes, not variation in the code);
for operations that wait on a device or the kernel (``fsync``, a round trip)
the *median* is reported, because their spread is real. What Python cannot
show is anything below the interpreter's own cost (tens of nanoseconds per
bytecode), so L1, L2 and branch-miss figures are not measured here.

The file reads are not disk reads: the file was just written, so it sits in
the page cache and a "read" is a system call plus a memory copy. On Linux
``fsync`` on ``tmpfs`` returns without touching a device; the result names the
file system so the reader can tell.

Invariant: every measurement is a positive, finite time per operation in
seconds; every file is created inside a fresh temporary directory that is
removed afterwards, and nothing else is touched.

>>> ticks = iter(range(0, 10**12, 1000))  # a fake clock: each call is 1000 ns later
>>> time_per_op(lambda: None, ops_per_batch=4, repeat=3, clock=lambda: next(ticks))
2.5e-07

Primary sources: Python documentation, ``timeit`` ("the lowest value gives
a lower bound for how fast your machine can run the given code snippet") and
``time.perf_counter_ns``; Linux man-pages ``fsync(2)``, ``pread(2)``,
``tcp(7)`` (``TCP_NODELAY``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import random
import socket
import statistics
import tempfile
import threading
import time
import timeit
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from studybook.fundamentals.latency_numbers.units import format_bytes

__all__ = [
    "Measurement",
    "filesystem_type",
    "machine_summary",
    "measure_machine",
    "time_per_op",
]

_KIB, _MIB = 1024, 1024 * 1024

Clock = Callable[[], int]


@dataclass(frozen=True)
class Measurement:
    """One timed operation on this machine.

    Attributes:
        name: what was timed.
        seconds: time per operation, in seconds.
        method: how: clock, operations per batch, batches, statistic.
        compare: ``(operation, source key)`` of the reference entry it is
            shown next to, or ``None``.
        note: what the number does and does not include.
    """

    name: str
    seconds: float
    method: str
    compare: tuple[str, str] | None = None
    note: str = ""


def time_per_op(
    run_batch: Callable[[], object],
    *,
    ops_per_batch: int,
    repeat: int,
    statistic: Literal["min", "median"] = "min",
    clock: Clock = time.perf_counter_ns,
) -> float:
    """Time ``run_batch`` ``repeat`` times and return seconds per operation.

    Args:
        run_batch: does ``ops_per_batch`` operations per call.
        ops_per_batch: operations per call, >= 1 (batches amortise the
            clock's own cost, about 50-100 ns per read on Linux).
        repeat: how many batches to time, >= 1.
        statistic: ``"min"`` for CPU-bound work, ``"median"`` for waits.
        clock: a monotonic nanosecond clock (injected so tests can fake it).

    Returns:
        The chosen statistic of the per-operation times, in seconds.

    Raises:
        TypeError, ValueError: a count that is not an int >= 1, or an
            unknown statistic.
        RuntimeError: the clock did not advance (too coarse for the batch) or
            went backwards (not monotonic).

    Complexity: O(repeat x ops_per_batch).

    >>> ticks = iter(range(0, 10**9, 500))
    >>> time_per_op(lambda: None, ops_per_batch=1, repeat=2, statistic="median",
    ...             clock=lambda: next(ticks))
    5e-07
    >>> time_per_op(lambda: None, ops_per_batch=0, repeat=1)
    Traceback (most recent call last):
    ValueError: ops_per_batch must be at least 1, got 0
    """
    _check_count(ops_per_batch, "ops_per_batch")
    _check_count(repeat, "repeat")
    if statistic not in ("min", "median"):
        raise ValueError(f"unknown statistic {statistic!r}; expected 'min' or 'median'")
    samples = []
    for _ in range(repeat):
        start = clock()
        run_batch()
        elapsed = clock() - start
        if elapsed < 0:  # a median would hide one step back among good samples
            raise RuntimeError(f"the clock went backwards by {-elapsed!r} ns during a batch")
        samples.append(elapsed / ops_per_batch)
    value = min(samples) if statistic == "min" else statistics.median(samples)
    if not value > 0:
        raise RuntimeError(f"the clock did not advance during a batch; got {value!r} ns per op")
    return value / 1e9


def _check_count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    if value < 1:
        raise ValueError(f"{what} must be at least 1, got {value!r}")
    return value


@dataclass(frozen=True)
class _Plan:
    """How much work each measurement does: the demo's plan, or a tiny one for tests."""

    loops: int  # timeit loops per batch
    batches: int  # batches for CPU-bound measurements
    block: int  # bytes hashed and copied
    big_block: int  # bytes copied to defeat the caches
    copies: int  # copies per batch
    fsyncs: int
    round_trips: int
    file_bytes: int


_FULL = _Plan(
    loops=200_000,
    batches=5,
    block=_MIB,
    big_block=64 * _MIB,
    copies=20,
    fsyncs=10,
    round_trips=300,
    file_bytes=8 * _MIB,
)
_QUICK = _Plan(
    loops=200,
    batches=2,
    block=64 * _KIB,
    big_block=256 * _KIB,
    copies=2,
    fsyncs=2,
    round_trips=5,
    file_bytes=64 * _KIB,
)


def measure_machine(
    directory: str | os.PathLike[str] | None = None,
    *,
    quick: bool = False,
    clock: Clock = time.perf_counter_ns,
) -> list[Measurement]:
    """Time every operation this module knows, in about a second (``quick``: a few ms).

    Args:
        directory: where to create the temporary directory for the file
            measurements (default: the system's temporary directory). Only
            the temporary directory and the files in it are created and
            removed; nothing else in ``directory`` is touched.
        quick: do a tiny amount of work (smaller buffers, fewer repetitions):
            the numbers are noisier, the method is the same. For tests.
        clock: a monotonic nanosecond clock; every measurement uses it.

    Returns:
        The measurements, in a fixed order (see the chapter's demo).

    Raises:
        TypeError: ``quick`` not a bool.
        NotADirectoryError: ``directory`` is not an existing directory.
        OSError: a file or socket operation failed.

    Complexity: O(1) in the inputs: fixed work, bounded by the plan.
    """
    if not isinstance(quick, bool):
        raise TypeError(f"quick must be a bool, got {type(quick).__name__}: {quick!r}")
    if directory is not None and not Path(directory).is_dir():
        raise NotADirectoryError(f"directory must be an existing directory, got {directory!r}")
    plan = _QUICK if quick else _FULL
    results = [
        *_interpreter(plan, clock),
        *_memory(plan, clock),
    ]
    with tempfile.TemporaryDirectory(prefix="studybook-latency-", dir=directory) as tmp:
        results.append(_fsync(Path(tmp), plan, clock))
        results.extend(_file_reads(Path(tmp), plan, clock))
    results.append(_loopback_round_trip(plan, clock))
    return results


def _interpreter(plan: _Plan, clock: Clock) -> list[Measurement]:
    """Function call and dict lookup with ``timeit``, plus the loop they run in."""

    def f() -> None:
        return None

    d = {f"key{i}": i for i in range(1000)}
    namespace = {"f": f, "d": d, "k": "key500"}
    how = f"timeit, {plan.loops:,} loops x {plan.batches} batches, min"

    def per_loop(stmt: str) -> float:
        timer = timeit.Timer(stmt, timer=lambda: clock() / 1e9, globals=namespace)
        best = min(timer.repeat(repeat=plan.batches, number=plan.loops)) / plan.loops
        if not best > 0:
            raise RuntimeError(f"the clock did not advance while timing {stmt!r}")
        return best

    return [
        Measurement(
            'timeit loop, empty statement ("pass")',
            per_loop("pass"),
            how,
            note="the loop's own cost, included in the next two rows",
        ),
        Measurement(
            "Python function call f()",
            per_loop("f()"),
            how,
            ("Execute typical instruction", "norvig2001"),
            "a def with no arguments that returns None",
        ),
        Measurement(
            "dict lookup d[k] (1,000 str keys)",
            per_loop("d[k]"),
            how,
            ("Main memory reference", "dean2009"),
            "the table is in cache: this is interpreter cost, not DRAM",
        ),
    ]


def _memory(plan: _Plan, clock: Clock) -> list[Measurement]:
    """Hash and copy one block; the copy into a preallocated buffer is a memcpy."""
    block = plan.block
    size = format_bytes(block, system="iec")
    src = bytearray(random.Random(0).randbytes(block))  # noqa: S311 - test data, not crypto
    dst = bytearray(block)
    src_view, dst_view = memoryview(src), memoryview(dst)

    def hash_once() -> None:
        hashlib.sha256(src_view).digest()

    def copy_into() -> None:
        for _ in range(plan.copies):
            dst_view[:] = src_view

    def copy_new() -> None:
        for _ in range(plan.copies):
            bytes(src_view)

    cpu = f"perf_counter_ns, {{}} per batch x {plan.batches * 4} batches, min"
    return [
        Measurement(
            f"sha256 of {size}",
            time_per_op(hash_once, ops_per_batch=1, repeat=plan.batches * 4, clock=clock),
            cpu.format(1),
            note="hashlib (OpenSSL); uses SHA extensions where the CPU has them",
        ),
        Measurement(
            f"copy {size} into a preallocated buffer",
            time_per_op(copy_into, ops_per_batch=plan.copies, repeat=plan.batches * 4, clock=clock),
            cpu.format(plan.copies),
            ("Read 1 MB sequentially from memory", "dean2009"),
            "memoryview slice assignment: one memcpy; 1 MiB fits in cache, so not DRAM",
        ),
        Measurement(
            f"bytes(buffer): allocate and copy {size}",
            time_per_op(copy_new, ops_per_batch=plan.copies, repeat=plan.batches * 4, clock=clock),
            cpu.format(plan.copies),
            ("Read 1 MB sequentially from memory", "dean2009"),
            "adds allocating and freeing the result (malloc may reuse the freed block)",
        ),
        _big_copy(plan, clock),
    ]


def _big_copy(plan: _Plan, clock: Clock) -> Measurement:
    """Copy a block larger than most last-level caches, so the bytes come from DRAM."""
    src = bytearray(b"\x5a") * plan.big_block
    dst = bytearray(plan.big_block)
    src_view, dst_view = memoryview(src), memoryview(dst)
    dst_view[:] = src_view  # touch every page once, so page faults are not timed

    def copy_once() -> None:
        dst_view[:] = src_view

    mib = plan.big_block / _MIB
    seconds = time_per_op(copy_once, ops_per_batch=1, repeat=plan.batches, clock=clock) / mib
    size = format_bytes(plan.big_block, system="iec")
    return Measurement(
        f"copy {size}, time per MiB",
        seconds,
        f"perf_counter_ns, 1 copy per batch x {plan.batches} batches, min, ÷ {mib:g}",
        ("Read 1 MB sequentially from memory", "dean2009"),
        "larger than most last-level caches (not in quick runs): DRAM read + write",
    )


def _fsync(tmp: Path, plan: _Plan, clock: Clock) -> Measurement:
    """Write 512 bytes, then time the fsync that makes them durable; median."""
    path = tmp / "fsync.bin"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    payload = b"x" * 512
    samples = []
    try:
        for i in range(plan.fsyncs):
            os.pwrite(fd, payload, (i % 8) * 512)
            start = clock()
            os.fsync(fd)
            samples.append(clock() - start)
    finally:
        os.close(fd)
    seconds = _positive_median(samples, "fsync")
    fs = filesystem_type(tmp)
    return Measurement(
        "fsync after a 512-byte write",
        seconds,
        f"perf_counter_ns around each fsync, {plan.fsyncs} fsyncs, median",
        ("Disk seek", "dean2009"),
        f"on {fs}; waits for the device's cache flush (a virtual disk may fake it)"
        + (" (tmpfs: no device, nearly free)" if fs == "tmpfs" else ""),
    )


def _positive_median(samples_ns: list[int], what: str) -> float:
    value = statistics.median(samples_ns)
    if not value > 0:
        raise RuntimeError(f"the clock did not advance during {what}; median {value!r} ns")
    return value / 1e9


def _file_reads(tmp: Path, plan: _Plan, clock: Clock) -> list[Measurement]:
    """Sequential and random 4 KiB preads of a file that is in the page cache."""
    path = tmp / "reads.bin"
    path.write_bytes(random.Random(1).randbytes(plan.file_bytes))  # noqa: S311
    blocks = plan.file_bytes // (4 * _KIB)
    sequential = [i * 4 * _KIB for i in range(blocks)]
    shuffled = sequential[:]
    random.Random(2).shuffle(shuffled)  # noqa: S311 - a reproducible order
    fd = os.open(path, os.O_RDONLY)
    try:

        def read_all(offsets: list[int]) -> Callable[[], None]:
            def run() -> None:
                for offset in offsets:
                    os.pread(fd, 4 * _KIB, offset)

            return run

        repeat = plan.batches
        how = f"perf_counter_ns, {blocks:,} preads per batch x {repeat} batches, min"
        size = format_bytes(plan.file_bytes, system="iec")
        note = f"{size} file just written, so in the page cache: syscall + memory copy"
        seq = time_per_op(read_all(sequential), ops_per_batch=blocks, repeat=repeat, clock=clock)
        rnd = time_per_op(read_all(shuffled), ops_per_batch=blocks, repeat=repeat, clock=clock)
    finally:
        os.close(fd)
    return [
        Measurement("sequential 4 KiB pread", seq, how, None, note),
        Measurement(
            "random 4 KiB pread", rnd, how, ("Read 4K randomly from SSD", "gist2012"), note
        ),
    ]


def _loopback_round_trip(plan: _Plan, clock: Clock) -> Measurement:
    """One byte there and back over TCP on 127.0.0.1, Nagle off; median of timed trips."""
    with _echo_server() as port, socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(3):  # warm up: first trips pay for page faults and wakeups
            _round_trip(c)
        samples = []
        for _ in range(plan.round_trips):
            start = clock()
            _round_trip(c)
            samples.append(clock() - start)
        c.sendall(b"q")
    return Measurement(
        "loopback TCP round trip, 1 byte",
        _positive_median(samples, "the round trips"),
        f"perf_counter_ns around each trip, {plan.round_trips} trips, median",
        ("Round trip within same datacenter", "dean2009"),
        "no NIC, no wire: kernel TCP stack twice, plus two Python threads",
    )


def _round_trip(c: socket.socket) -> None:
    c.sendall(b"p")
    if c.recv(1) != b"p":
        raise ConnectionError("loopback echo returned the wrong byte")


@contextlib.contextmanager
def _echo_server() -> Iterator[int]:
    """A one-connection echo server on a thread; yields its port, joins it on exit."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    failures: list[BaseException] = []

    def serve() -> None:
        try:
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(5)
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                while (byte := conn.recv(1)) not in (b"", b"q"):
                    conn.sendall(byte)
        except OSError as exc:  # reported by the caller, not lost in the thread
            failures.append(exc)

    thread = threading.Thread(target=serve, name="latency-echo", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        thread.join(timeout=5)
        listener.close()
    if failures:
        raise failures[0]


def filesystem_type(path: str | os.PathLike[str]) -> str:
    """Return the type of the file system holding ``path`` (``"ext4"``), or ``"unknown"``.

    Reads ``/proc/self/mounts`` (Linux) and picks the longest mount point
    that contains ``path``; anywhere else the answer is ``"unknown"``.

    Args:
        path: an existing file or directory.

    Returns:
        The file system type as the kernel names it.

    Raises:
        TypeError: ``path`` is not a string or path-like object.

    Complexity: O(m) for m mounts.

    >>> filesystem_type("/") in {"unknown"} or filesystem_type("/").isprintable()
    True
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}: {path!r}")
    target = os.path.realpath(path)
    best, kind = "", "unknown"
    try:
        with open("/proc/self/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                fields = line.split()
                if len(fields) < 3:
                    continue
                # Spaces in mount points are written as \040 in this file.
                point = fields[1].replace("\\040", " ")
                inside = target == point or target.startswith(point.rstrip("/") + "/")
                if inside and len(point) >= len(best):
                    best, kind = point, fields[2]
    except OSError:
        return "unknown"
    return kind


def machine_summary() -> str:
    """Return one line naming the interpreter, OS, CPU architecture and CPU count.

    >>> machine_summary().startswith(platform.python_implementation())
    True
    """
    cpus = os.cpu_count() or 0
    return (
        f"{platform.python_implementation()} {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {cpus} CPUs"
    )
