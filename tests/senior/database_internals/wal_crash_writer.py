"""Writer process for test_wal_crash: apply seeded writes, acknowledge each one, forever.

Run as ``python wal_crash_writer.py DIRECTORY SYNC SEED START``. Operation ``i``
is a pure function of ``(SEED, i)`` (see :func:`operation`), so the test can
replay exactly what was acknowledged. The line ``i`` is written and flushed
only after the store has returned from operation ``i``; every
``CHECKPOINT_EVERY`` operations the writer also checkpoints, so a kill can land
inside a checkpoint too.
"""

from __future__ import annotations

import itertools
import random
import sys

from studybook.senior.database_internals import WALStore

CHECKPOINT_EVERY = 25

Op = list[tuple[str, str | None]]


def operation(seed: int, index: int) -> Op:
    """Operation ``index`` of run ``seed``: a batch of one to three puts or deletes."""
    rng = random.Random(f"{seed}:{index}")
    ops: Op = []
    for _ in range(rng.randint(1, 3)):
        key = f"key{rng.randrange(40):02d}"
        ops.append((key, None if rng.random() < 0.25 else "v" * rng.randrange(30)))
    return ops


def apply(model: dict[str, str], ops: Op) -> dict[str, str]:
    """The model: a dict after the batch ``ops``."""
    result = dict(model)
    for key, value in ops:
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def main(argv: list[str]) -> None:
    directory, sync, seed, start = argv
    with WALStore(directory, sync=sync == "always") as db:
        sys.stdout.write("open\n")
        sys.stdout.flush()
        for index in itertools.count(int(start)):
            db.write_batch(operation(int(seed), index))
            if index % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1:
                db.checkpoint()
            sys.stdout.write(f"{index}\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
