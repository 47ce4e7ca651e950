"""Crash safety of the WAL store: no acknowledged write is ever lost.

Three kinds of crash. Real: a writer subprocess is killed with SIGKILL at a
seeded random moment, repeatedly, on the same directory (the writer
checkpoints often, so kills land inside checkpoints too). Torn: the log is cut
at every byte of its last record. Injected: each step of a checkpoint fails in
turn.
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

from studybook.senior.database_internals import WALCorruptionError, WALStore, encode_record
from studybook.senior.database_internals import wal as wal_module

WRITER_PATH = Path(__file__).with_name("wal_crash_writer.py")
SRC = Path(__file__).resolve().parents[3] / "src"


def _load_writer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wal_crash_writer", WRITER_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


writer = _load_writer()

# SIGKILL leaves the page cache intact, so the no-fsync runs may use tmpfs:
# they test the recovery logic, not the disk. Only ever the parent of a
# private temporary directory, so S108 does not apply.
FAST_TMP = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108


@pytest.fixture
def fast_path() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(dir=FAST_TMP, prefix="wal-test-") as directory:
        yield Path(directory)


def _run_writer(directory: Path, sync: str, seed: int, start: int, kill_after: int) -> list[int]:
    """Run the writer from op ``start``, SIGKILL it after ``kill_after`` acks; return all acks."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    command = [sys.executable, str(WRITER_PATH), str(directory), sync, str(seed), str(start)]
    acknowledged: list[int] = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        try:
            for line in process.stdout:
                if line != "open\n":
                    acknowledged.append(int(line))
                if len(acknowledged) >= kill_after:
                    break
        finally:
            process.send_signal(signal.SIGKILL)
        # Acknowledgements written before the kill are still in the pipe.
        acknowledged += [int(x) for x in process.stdout.read().split() if x != "open"]
        errors = process.stderr.read()
        assert process.wait(timeout=10) == -signal.SIGKILL, errors
    return acknowledged


def _own_files(directory: Path) -> set[str]:
    return {n for n in os.listdir(directory) if n.startswith(("wal-", "checkpoint"))}


@pytest.mark.parametrize(("sync", "rounds"), [("none", 6), ("always", 2)])
def test_sigkill_loses_no_acknowledged_write(
    tmp_path: Path, fast_path: Path, sync: str, rounds: int
) -> None:
    directory = tmp_path if sync == "always" else fast_path
    (directory / "readers-notes.txt").write_text("not ours")
    seed = 4200 + rounds
    rng = random.Random(seed)
    model: dict[str, str] = {}
    start = 0
    for _ in range(rounds):
        acknowledged = _run_writer(directory, sync, seed, start, rng.randint(1, 120))
        assert acknowledged == list(range(start, start + len(acknowledged)))
        for index in acknowledged:
            model = writer.apply(model, writer.operation(seed, index))
        in_flight = start + len(acknowledged)
        with_in_flight = writer.apply(model, writer.operation(seed, in_flight))
        with WALStore(directory) as db:
            recovered = dict(db.items())
        assert recovered in (model, with_in_flight), f"lost or invented writes after op {in_flight}"
        model = recovered
        start = in_flight + 1  # the next run skips the in-flight op; the model says if it applied
    assert (directory / "readers-notes.txt").read_text() == "not ours"
    segments = [n for n in _own_files(directory) if n.startswith("wal-")]
    assert len(segments) <= 2, f"old log segments pile up: {segments}"


def test_torn_tail_at_every_byte_is_truncated(tmp_path: Path) -> None:
    with WALStore(tmp_path) as db:
        db.put("a", "1")
        db.put("b", "2")
    (segment,) = tmp_path.glob("wal-*.log")
    whole = segment.read_bytes()
    last = len(encode_record(2, [("b", "2")]))
    for cut in range(len(whole) - last, len(whole)):
        segment.write_bytes(whole[:cut])
        with WALStore(tmp_path) as db:
            assert db.items() == [("a", "1")], f"cut at byte {cut}"
            assert db.lsn == 1
        assert segment.stat().st_size == len(whole) - last  # the torn bytes are gone
        with WALStore(tmp_path) as db:
            assert db.put("c", "3") == 2  # appends cleanly after the truncation
        segment.write_bytes(whole)


def test_damage_before_the_tail_is_refused(tmp_path: Path) -> None:
    with WALStore(tmp_path) as db:
        db.put("a", "1")
        db.checkpoint()
        db.put("b", "2")
    # Recreate a state with two segments where the older one is damaged.
    older = tmp_path / "wal-00000000000000000001.log"
    older.write_bytes(encode_record(1, [("a", "1")])[:-1] + b"X")
    (tmp_path / "checkpoint.json").unlink()
    damaged = "damaged record inside wal-00000000000000000001.log"
    with pytest.raises(WALCorruptionError, match=damaged):
        WALStore(tmp_path)


def test_damage_inside_the_last_segment_is_refused_not_truncated(tmp_path: Path) -> None:
    """A flipped byte in any record but the last is corruption: acknowledged records follow."""
    with WALStore(tmp_path) as db:
        for n in range(4):
            db.put(f"k{n}", str(n))
    (segment,) = tmp_path.glob("wal-*.log")
    whole = segment.read_bytes()
    last = len(encode_record(4, [("k3", "3")]))
    for position in range(len(whole) - last):  # crc, length and payload of records 1-3
        damaged = bytearray(whole)
        damaged[position] ^= 0x01
        segment.write_bytes(bytes(damaged))
        with pytest.raises(WALCorruptionError, match="damaged record inside wal-"):
            WALStore(tmp_path)
        assert segment.read_bytes() == bytes(damaged), f"byte {position}: the log was changed"
    segment.write_bytes(whole)
    with WALStore(tmp_path) as db:
        assert db.lsn == 4


def test_zero_filled_tail_is_a_torn_tail(tmp_path: Path) -> None:
    """After a power loss a file can end in zeros the data never reached: not corruption."""
    with WALStore(tmp_path) as db:
        db.put("a", "1")
    (segment,) = tmp_path.glob("wal-*.log")
    whole = segment.read_bytes()
    segment.write_bytes(whole + bytes(4096))
    with WALStore(tmp_path) as db:
        assert (db.items(), db.lsn) == ([("a", "1")], 1)
    assert segment.read_bytes() == whole


def test_failed_fsync_closes_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a failed append or fsync nothing more may be appended behind an unknown tail."""
    db = WALStore(tmp_path)
    db.put("a", "1")

    def failing_fsync(_: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="Input/output error"):
        db.put("b", "2")
    monkeypatch.undo()
    with pytest.raises(ValueError, match="is closed"):
        db.put("c", "3")
    assert db.items() == [("a", "1")]  # the failed write was never applied or acknowledged
    with WALStore(tmp_path) as reopened:  # "b" reached the page cache, so it may come back
        assert reopened.items() in ([("a", "1")], [("a", "1"), ("b", "2")])
        assert reopened.put("d", "4") == reopened.lsn


def test_unreadable_checkpoint_is_refused(tmp_path: Path) -> None:
    (tmp_path / "checkpoint.json").write_text("{not json")
    with pytest.raises(WALCorruptionError, match="unreadable checkpoint"):
        WALStore(tmp_path)


class InjectedCrash(Exception):
    """Raised to stop a checkpoint at one step."""


@pytest.mark.parametrize("step", ["replace", "fsync-1", "fsync-2", "unlink"])
def test_crash_at_each_checkpoint_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    model: dict[str, str] = {}
    db = WALStore(tmp_path, sync=False)
    for index in range(30):
        ops = writer.operation(9, index)
        db.write_batch(ops)
        model = writer.apply(model, ops)
    db.checkpoint()  # so there is an old segment for the next checkpoint to delete
    for index in range(30, 40):
        ops = writer.operation(9, index)
        db.write_batch(ops)
        model = writer.apply(model, ops)
    calls = {"fsync": 0}
    real_fsync_directory = wal_module._fsync_directory

    def crash(*_: object) -> None:
        raise InjectedCrash(step)

    def fsync_then_crash(directory: Path) -> None:
        calls["fsync"] += 1
        if f"fsync-{calls['fsync']}" == step:
            raise InjectedCrash(step)
        real_fsync_directory(directory)

    if step == "replace":
        monkeypatch.setattr(os, "replace", crash)
    elif step == "unlink":
        monkeypatch.setattr(Path, "unlink", crash)
    else:
        monkeypatch.setattr(wal_module, "_fsync_directory", fsync_then_crash)
    with pytest.raises(InjectedCrash):
        db.checkpoint()
    monkeypatch.undo()
    db._log.close()  # the process dies here
    with WALStore(tmp_path) as db:
        assert dict(db.items()) == model
        assert db.lsn == 40
        db.put("after", "crash")
        db.checkpoint()
    with WALStore(tmp_path) as db:
        assert dict(db.items()) == {**model, "after": "crash"}
        assert db.recovered == 0
    assert len(list(tmp_path.glob("wal-*.log"))) == 1
