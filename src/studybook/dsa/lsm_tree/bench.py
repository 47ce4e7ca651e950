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

>>> import io
>>> out = io.StringIO(); run(out, puts=400, synced_puts=5, gets=50)
>>> print(out.getvalue().splitlines()[0])
workload: 400 puts/deletes (10% deletes) over 200 keys, 16-byte keys, 100-byte values, seed 1
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from typing import TextIO

from .compaction import CompactionStrategy
from .leveled import Leveled
from .size_tiered import SizeTiered
from .tree import LSMTree

__all__ = ["run"]


def run(
    out: TextIO,
    *,
    puts: int = 50_000,
    synced_puts: int = 1_000,
    gets: int = 10_000,
    value_bytes: int = 100,
    seed: int = 1,
    clock: Callable[[], float] = time.perf_counter,
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

    Raises:
        ValueError: if a count is not positive.

    Complexity: O(puts x write amplification) disk work, plus the gets and a scan.

    >>> import io
    >>> run(io.StringIO(), puts=0)
    Traceback (most recent call last):
    ValueError: puts, synced_puts and gets must be positive, got 0, 1000, 10000
    """
    if min(puts, synced_puts, gets) < 1:
        raise ValueError(
            f"puts, synced_puts and gets must be positive, got {puts}, {synced_puts}, {gets}"
        )
    key_space = max(1, puts // 2)
    out.write(
        f"workload: {puts} puts/deletes (10% deletes) over {key_space} keys,"
        f" 16-byte keys, {value_bytes}-byte values, seed {seed}\n"
    )
    columns = {"size-tiered": _size_tiered, "leveled": Leveled}
    results = {
        name: _measure(make, puts, synced_puts, gets, key_space, value_bytes, seed, clock)
        for name, make in columns.items()
    }
    out.write(f"{'':34}{'size-tiered':>16}{'leveled':>16}\n")
    for label in next(iter(results.values())):
        cells = "".join(f"{results[name][label]:>16}" for name in columns)
        out.write(f"{label:34}{cells}\n")


def _size_tiered() -> CompactionStrategy:
    return SizeTiered(min_sstable_bytes=64 * 1024)


def _measure(
    make: Callable[[], CompactionStrategy],
    puts: int,
    synced_puts: int,
    gets: int,
    key_space: int,
    value_bytes: int,
    seed: int,
    clock: Callable[[], float],
) -> dict[str, str]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible workload, not a secret
    keys = [b"key-%012d" % i for i in range(key_space)]
    row: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="lsm-bench-") as directory:
        with LSMTree(os.path.join(directory, "loaded"), sync="none", compaction=make()) as db:
            started = clock()
            for _ in range(puts):
                key = rng.choice(keys)
                if rng.random() < 0.1:
                    db.delete(key)
                else:
                    db.put(key, rng.randbytes(value_bytes))
            row["put ops/s (sync=none)"] = _rate(puts, clock() - started)
            loaded = db.stats()
            started = clock()
            for _ in range(gets):
                db.get(rng.choice(keys))
            row["get ops/s"] = _rate(gets, clock() - started)
            started = clock()
            scanned = sum(1 for _ in db.scan())
            row["scan entries/s"] = _rate(scanned, clock() - started)
            after = db.stats()
        with LSMTree(os.path.join(directory, "synced"), sync="always", compaction=make()) as db:
            started = clock()
            for i in range(synced_puts):
                db.put(keys[i % key_space], b"v" * value_bytes)
            row["put ops/s (sync=always)"] = _rate(synced_puts, clock() - started)
    row["write amplification"] = f"{loaded.write_amplification:.2f}"
    row["space amplification"] = f"{loaded.space_amplification:.2f}"
    row["read amplification (blocks/get)"] = f"{after.read_amplification:.2f}"
    row["bloom filter skips per get"] = f"{after.bloom_negatives / after.gets:.2f}"
    row["tables per level"] = "/".join(str(n) for n in loaded.tables_per_level)
    row["compactions"] = str(loaded.compactions)
    return row


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
    >>> out.getvalue().count("amplification")
    3
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
