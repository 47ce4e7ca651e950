"""Writer process for test_lsm_crash: apply seeded operations, acknowledge each one, forever.

Run as ``python lsm_crash_writer.py DIRECTORY SYNC STRATEGY SEED START``. Operation
``i`` is a pure function of ``(SEED, i)`` (see :func:`operation`), so the test
can replay exactly what was acknowledged. A line with ``i`` is written and
flushed only after ``put``/``delete`` for operation ``i`` has returned; the
test kills this process with SIGKILL at a moment of its choosing.
"""

from __future__ import annotations

import itertools
import random
import sys

from studybook.dsa.lsm_tree import CompactionStrategy, Leveled, LSMTree, SizeTiered
from studybook.dsa.lsm_tree.files import log_name, table_name
from studybook.dsa.lsm_tree.manifest import read_manifest

MEMTABLE_BYTES = 1024
BLOCK_BYTES = 256


def operation(seed: int, index: int) -> tuple[bytes, bytes | None]:
    """Operation ``index`` of run ``seed``: ``(key, value)``, or ``(key, None)`` to delete."""
    rng = random.Random(f"{seed}:{index}")
    key = b"key%03d" % rng.randrange(150)
    if rng.random() < 0.25:
        return key, None
    return key, rng.randbytes(rng.randrange(48))


def make_strategy(name: str) -> CompactionStrategy:
    """The strategies under test, small enough that compactions happen every few flushes."""
    if name == "leveled":
        return Leveled(l0_trigger=2, level_ratio=3, base_level_bytes=4096, target_file_bytes=1024)
    return SizeTiered(min_threshold=3, max_threshold=8, min_sstable_bytes=0)


def open_tree(directory: str, sync: str, strategy: str) -> LSMTree:
    """Open the tree exactly as the writer does, for the test's checks."""
    assert sync in ("always", "none")
    return LSMTree(
        directory,
        memtable_bytes=MEMTABLE_BYTES,
        sync="always" if sync == "always" else "none",
        compaction=make_strategy(strategy),
        block_bytes=BLOCK_BYTES,
    )


def live_files(directory: str) -> set[str]:
    """The files the committed manifest names, plus MANIFEST and LOCK.

    After recovery a directory that held only the tree must hold exactly
    these: an orphan the tree forgot to record would otherwise survive, since
    recovery deletes only recorded files.
    """
    manifest = read_manifest(directory)
    assert manifest is not None
    tables = {table_name(n) for level in manifest.levels for n in level}
    return tables | {log_name(manifest.wal_number), "MANIFEST", "LOCK"}


def main(argv: list[str]) -> None:
    directory, sync, strategy, seed, start = argv
    with open_tree(directory, sync, strategy) as db:
        sys.stdout.write("open\n")
        sys.stdout.flush()
        for index in itertools.count(int(start)):
            key, value = operation(int(seed), index)
            if value is None:
                db.delete(key)
            else:
                db.put(key, value)
            sys.stdout.write(f"{index}\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
