"""Benchmark: size-tiered against leveled compaction on one seeded workload.

Run ``python -m studybook.dsa.lsm_tree.bench`` (``--help`` for the sizes).
For each strategy it loads a fresh tree with random overwrites and deletes,
then reports throughput (puts with ``sync="none"`` and ``sync="always"``,
point gets, a full scan) and the three amplifications from
:meth:`LSMTree.stats() <studybook.dsa.lsm_tree.LSMTree.stats>`. Tree settings
are the library defaults (64 KiB memtable, 4 KiB blocks, 10 Bloom bits per
key, ``Leveled()``); size-tiered uses Cassandra's defaults except
``min_sstable_bytes``, scaled from 50 MiB down to one memtable like the rest.

Throughput depends on the machine and its load (the fsync rate most of all);
the amplifications depend only on the workload and the seed.

Call :func:`amplification` for the machine-independent rows alone; the
chapter's tables are generated that way.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from .checks import require_int
from .compaction import CompactionStrategy
from .leveled import Leveled
from .size_tiered import SizeTiered
from .tree import LSMTree

__all__ = ["amplification", "run"]


def run(
    out: TextIO,
    *,
    puts: int = 50_000,
    synced_puts: int = 1_000,
    gets: int = 10_000,
    value_bytes: int = 100,
    seed: int = 1,
    clock: Callable[[], float] = time.perf_counter,
    directory: str | None = None,
) -> None:
    """Run the benchmark for both strategies and write a table of results to ``out``.

    Args:
        out: where the table goes.
        puts: operations in the main load (10 % of them deletes).
        synced_puts: puts timed with ``sync="always"`` (each one an fsync).
        gets: point lookups, over the whole key space (some keys are absent).
        value_bytes: size of every value.
        seed: seeds the workload.
        clock: the timer (injected so a test can make it deterministic).
        directory: where the temporary trees go (default: the system's
            temporary directory; a tmpfs such as ``/dev/shm`` makes fsync free).

    Raises:
        TypeError: if a count, the size or the seed is not an ``int``, or
            ``out`` has no ``write`` method.
        ValueError: if a count is not positive or ``value_bytes`` is negative.

    Complexity: O(puts x write amplification) disk work, plus the gets and a scan.

    With a clock that ticks one second per call, every rate is a plain count,
    so the whole table is reproducible:

    >>> import itertools, sys
    >>> tick = itertools.count().__next__
    >>> run(sys.stdout, puts=3000, synced_puts=5, gets=300, clock=tick)
    workload: 3000 puts/deletes (10% deletes) over 1500 keys, 16-byte keys, 100-byte values, seed 1
                                           size-tiered         leveled
    put ops/s (sync=none)                        3,000           3,000
    get ops/s                                      300             300
    scan entries/s                               1,172           1,172
    put ops/s (sync=always)                          5               5
    write amplification                           0.69            0.69
    space amplification                           2.12            2.12
    read amplification (blocks/get)               0.52            0.52
    bloom filter skips per get                    0.75            0.75
    tables per level                                 3               3
    compactions                                      0               0
    >>> run(sys.stdout, puts=0)
    Traceback (most recent call last):
    ValueError: puts must be >= 1, got 0
    """
    _check(out, puts=puts, synced_puts=synced_puts, gets=gets, value_bytes=value_bytes, seed=seed)
    _report(out, puts, synced_puts, gets, value_bytes, seed, clock, directory)


def amplification(
    out: TextIO,
    *,
    puts: int = 50_000,
    gets: int = 10_000,
    value_bytes: int = 100,
    seed: int = 1,
    directory: str | None = None,
) -> None:
    """Write only the figures that depend on the workload alone, not on the machine.

    The same load as :func:`run`, without timing anything: the rows are
    exactly reproducible, which is what the chapter's tables are built from.

    Args:
        out: where the table goes.
        puts: operations in the main load (10 % of them deletes).
        gets: point lookups, over the whole key space.
        value_bytes: size of every value.
        seed: seeds the workload.
        directory: where the temporary trees go. By default a tmpfs
            (``/dev/shm``) if there is one: nothing is timed, so the disk
            only slows the run down without changing a figure.

    Raises:
        TypeError: as :func:`run`.
        ValueError: as :func:`run`.

    Complexity: as :func:`run`, without the synced puts.

    >>> import sys
    >>> amplification(sys.stdout, puts=6000, gets=500)
    workload: 6000 puts/deletes (10% deletes) over 3000 keys, 16-byte keys, 100-byte values, seed 1
                                           size-tiered         leveled
    write amplification                           1.58            1.81
    space amplification                           1.74            1.25
    read amplification (blocks/get)               0.72            0.65
    bloom filter skips per get                    0.50            0.22
    tables per level                                 2           0/4/1
    compactions                                      2               3
    >>> amplification(sys.stdout, gets=True)
    Traceback (most recent call last):
    TypeError: gets must be int, got bool True
    """
    _check(out, puts=puts, synced_puts=1, gets=gets, value_bytes=value_bytes, seed=seed)
    if directory is None and os.access(_TMPFS, os.W_OK):
        directory = _TMPFS
    _report(out, puts, 0, gets, value_bytes, seed, None, directory)


_TMPFS = "/dev/shm"  # noqa: S108 - only the parent of a private TemporaryDirectory


def _check(out: object, **counts: object) -> None:
    if not callable(getattr(out, "write", None)):
        raise TypeError(f"out must be a writable text stream, got {type(out).__name__}")
    for name, value in counts.items():
        minimum = {"value_bytes": 0, "seed": -(2**63)}.get(name, 1)
        require_int(name, value, minimum=minimum)


def _report(
    out: TextIO,
    puts: int,
    synced_puts: int,
    gets: int,
    value_bytes: int,
    seed: int,
    clock: Callable[[], float] | None,
    directory: str | None,
) -> None:
    key_space = max(1, puts // 2)
    out.write(
        f"workload: {puts} puts/deletes (10% deletes) over {key_space} keys,"
        f" 16-byte keys, {value_bytes}-byte values, seed {seed}\n"
    )
    columns = {"size-tiered": _size_tiered, "leveled": Leveled}
    workload = _Workload(puts, synced_puts, gets, key_space, value_bytes, seed)
    results = {name: _measure(make, workload, clock, directory) for name, make in columns.items()}
    out.write(f"{'':34}{'size-tiered':>16}{'leveled':>16}\n")
    for label in next(iter(results.values())):
        cells = "".join(f"{results[name][label]:>16}" for name in columns)
        out.write(f"{label:34}{cells}".rstrip() + "\n")


def _size_tiered() -> CompactionStrategy:
    return SizeTiered(min_sstable_bytes=64 * 1024)


@dataclass(frozen=True)
class _Workload:
    puts: int
    synced_puts: int
    gets: int
    key_space: int
    value_bytes: int
    seed: int


def _measure(
    make: Callable[[], CompactionStrategy],
    work: _Workload,
    clock: Callable[[], float] | None,
    directory: str | None,
) -> dict[str, str]:
    rng = random.Random(work.seed)  # noqa: S311 - a reproducible workload, not a secret
    keys = [b"key-%012d" % i for i in range(work.key_space)]
    timer = clock if clock is not None else _no_clock
    row: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="lsm-bench-", dir=directory) as scratch:
        with LSMTree(os.path.join(scratch, "loaded"), sync="none", compaction=make()) as db:
            started = timer()
            for _ in range(work.puts):
                key = rng.choice(keys)
                if rng.random() < 0.1:
                    db.delete(key)
                else:
                    db.put(key, rng.randbytes(work.value_bytes))
            row["put ops/s (sync=none)"] = _rate(work.puts, timer() - started)
            loaded = db.stats()
            started = timer()
            for _ in range(work.gets):
                db.get(rng.choice(keys))
            row["get ops/s"] = _rate(work.gets, timer() - started)
            started = timer()
            scanned = sum(1 for _ in db.scan())
            row["scan entries/s"] = _rate(scanned, timer() - started)
            after = db.stats()
        if clock is not None:
            with LSMTree(os.path.join(scratch, "synced"), sync="always", compaction=make()) as db:
                started = clock()
                for i in range(work.synced_puts):
                    db.put(keys[i % work.key_space], b"v" * work.value_bytes)
                row["put ops/s (sync=always)"] = _rate(work.synced_puts, clock() - started)
        else:
            row.clear()  # nothing was timed: report only what the workload decides
    row["write amplification"] = f"{loaded.write_amplification:.2f}"
    row["space amplification"] = f"{loaded.space_amplification:.2f}"
    row["read amplification (blocks/get)"] = f"{after.read_amplification:.2f}"
    row["bloom filter skips per get"] = f"{after.bloom_negatives / after.gets:.2f}"
    row["tables per level"] = "/".join(str(n) for n in loaded.tables_per_level)
    row["compactions"] = str(loaded.compactions)
    return row


def _no_clock() -> float:
    return 0.0


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "inf"


def main(argv: list[str] | None = None, out: TextIO | None = None) -> None:
    """Parse command-line sizes and run the benchmark, writing to ``out`` (stdout by default).

    Args:
        argv: arguments (default: ``sys.argv[1:]``).
        out: output stream (default: ``sys.stdout``).

    Raises:
        SystemExit: on ``--help`` or bad arguments (from argparse).

    Complexity: as :func:`run`.

    >>> import io
    >>> main(["--puts", "200", "--synced-puts", "2", "--gets", "10"], out := io.StringIO())
    >>> lines = out.getvalue().splitlines()  # the table of run(), whose doctest shows it whole
    >>> print(lines[0], len(lines))
    workload: 200 puts/deletes (10% deletes) over 100 keys, 16-byte keys, 100-byte values, seed 1 12
    >>> main(["--gets", "-1"])
    Traceback (most recent call last):
    ValueError: gets must be >= 1, got -1
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--puts", type=int, default=50_000)
    parser.add_argument("--synced-puts", type=int, default=1_000)
    parser.add_argument("--gets", type=int, default=10_000)
    parser.add_argument("--value-bytes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    run(
        out if out is not None else sys.stdout,
        puts=args.puts,
        synced_puts=args.synced_puts,
        gets=args.gets,
        value_bytes=args.value_bytes,
        seed=args.seed,
    )


if __name__ == "__main__":
    main()
