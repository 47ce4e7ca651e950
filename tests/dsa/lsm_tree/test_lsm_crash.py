"""Crash safety: every acknowledged write survives a crash at any moment.

Two kinds of crash. Injected: the storage layer's fault hook raises at each
step of the flush and compaction protocols (``FAULT_POINTS``); the tree must
fail-stop, and a reopen must find exactly the acknowledged writes, possibly
plus the one in flight. Real: a writer subprocess is killed with SIGKILL at a
seeded random moment, repeatedly, on the same directory.
"""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from studybook.dsa.lsm_tree.storage import FAULT_POINTS

WRITER_PATH = Path(__file__).with_name("lsm_crash_writer.py")
SRC = Path(__file__).resolve().parents[3] / "src"


def _load_writer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lsm_crash_writer", WRITER_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


writer = _load_writer()


# SIGKILL and injected crashes leave the page cache intact, so these tests
# check recovery logic, not the disk: on tmpfs an fsync costs about 1 us, on
# this project's ext4 machines 0.2-5 ms. The sync="always" runs stay on disk.
# Only ever the parent of a private mkdtemp directory, so S108 does not apply.
FAST_TMP = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108


@pytest.fixture
def fast_path() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(dir=FAST_TMP, prefix="lsm-test-") as directory:
        yield Path(directory)


class InjectedCrash(Exception):
    """Raised by the fault hook to simulate a crash at one protocol step."""


def _apply(model: dict[bytes, bytes], op: tuple[bytes, bytes | None]) -> dict[bytes, bytes]:
    key, value = op
    result = dict(model)
    if value is None:
        result.pop(key, None)
    else:
        result[key] = value
    return result


@pytest.mark.parametrize("strategy", ["leveled", "size-tiered"])
@pytest.mark.parametrize("point", FAULT_POINTS)
@pytest.mark.parametrize("occurrence", [1, 3])
def test_injected_crash_at_every_protocol_step_loses_nothing(
    fast_path: Path, strategy: str, point: str, occurrence: int
) -> None:
    seen = 0

    def hook(name: str) -> None:
        nonlocal seen
        if name == point:
            seen += 1
            if seen == occurrence:
                raise InjectedCrash(name)

    db = writer.open_tree(str(fast_path), "none", strategy)
    db._storage.fault_hook = hook
    model: dict[bytes, bytes] = {}
    in_flight = None
    for index in range(5000):
        op = writer.operation(7, index)
        try:
            if op[1] is None:
                db.delete(op[0])
            else:
                db.put(op[0], op[1])
        except InjectedCrash:
            in_flight = op
            break
        model = _apply(model, op)
    assert in_flight is not None, f"{point} never happened {occurrence} times"
    with pytest.raises(ValueError, match="LSMTree is closed"):  # fail-stop
        db.get(b"key000")

    with writer.open_tree(str(fast_path), "none", strategy) as db:
        db._check_invariants()
        assert set(os.listdir(fast_path)) == writer.live_files(str(fast_path)), "orphans left"
        recovered = dict(db.scan())
        # The crashed put was logged before the flush it triggered: it survives.
        assert recovered == _apply(model, in_flight)
        db.put(b"after", b"crash")
        db.compact()
        db._check_invariants()


@pytest.mark.parametrize("point", [p for p in FAULT_POINTS if p.startswith("compaction")])
def test_injected_crash_during_explicit_compaction(fast_path: Path, point: str) -> None:
    model: dict[bytes, bytes] = {}
    with writer.open_tree(str(fast_path), "none", "size-tiered") as db:
        for index in range(300):
            op = writer.operation(3, index)
            db.delete(op[0]) if op[1] is None else db.put(op[0], op[1])
            model = _apply(model, op)

        def crash(name: str) -> None:
            if name == point:
                raise InjectedCrash(name)

        db._storage.fault_hook = crash
        with pytest.raises(InjectedCrash):
            db.compact()
    with writer.open_tree(str(fast_path), "none", "size-tiered") as db:
        db._check_invariants()
        assert set(os.listdir(fast_path)) == writer.live_files(str(fast_path)), "orphans left"
        assert dict(db.scan()) == model


def _run_writer(
    directory: Path, sync: str, strategy: str, seed: int, start: int, kill_after: int
) -> list[int]:
    """Run the writer from op ``start``, SIGKILL it after ``kill_after`` acks; return all acks."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    command = [
        sys.executable,
        str(WRITER_PATH),
        str(directory),
        sync,
        strategy,
        str(seed),
        str(start),
    ]
    acknowledged: list[int] = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        for line in process.stdout:
            if line != "open\n":
                acknowledged.append(int(line))
            if len(acknowledged) >= kill_after:
                break
        process.send_signal(signal.SIGKILL)
        # Acknowledgements written before the kill are still in the pipe.
        acknowledged += [int(line) for line in process.stdout.read().split() if line != "open"]
        errors = process.stderr.read()
        assert process.wait() == -signal.SIGKILL, errors
    return acknowledged


@pytest.mark.parametrize(
    ("sync", "strategy", "rounds"),
    [
        ("none", "leveled", 10),
        ("none", "size-tiered", 10),
        ("always", "leveled", 3),
        ("always", "size-tiered", 3),
    ],
)
def test_sigkill_loses_no_acknowledged_write(
    tmp_path: Path, fast_path: Path, sync: str, strategy: str, rounds: int
) -> None:
    directory = tmp_path if sync == "always" else fast_path
    seed = 1000 + rounds + len(strategy) + len(sync)
    rng = random.Random(seed)
    model: dict[bytes, bytes] = {}
    start = 0
    for _ in range(rounds):
        acknowledged = _run_writer(directory, sync, strategy, seed, start, rng.randint(1, 400))
        assert acknowledged == list(range(start, start + len(acknowledged)))
        for index in acknowledged:
            model = _apply(model, writer.operation(seed, index))
        in_flight = start + len(acknowledged)
        with_in_flight = _apply(model, writer.operation(seed, in_flight))
        with writer.open_tree(str(directory), sync, strategy) as db:
            db._check_invariants()
            # A kill inside a manifest write may leave MANIFEST.tmp: the next commit replaces it.
            names = set(os.listdir(directory)) - {"MANIFEST.tmp"}
            assert names == writer.live_files(str(directory)), "orphans left"
            recovered = dict(db.scan())
        assert recovered in (model, with_in_flight), f"lost or invented writes after op {in_flight}"
        model = recovered
        # The next run skips the in-flight op; `model` records whether it applied.
        start = in_flight + 1
