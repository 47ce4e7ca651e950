"""The tree deletes only files it named and recorded; everything else in its directory survives.

A directory handed to the tree may already hold the reader's files, some with
names that look like the tree's own (``notes.tmp``, ``000007.sst``). Opening,
writing, flushing, compacting, crashing and recovering must leave every one of
them byte for byte as it was, and the tree must never pick a number whose name
is taken. Files the tree itself left behind in a crash must still be cleaned.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from studybook.dsa.lsm_tree import CorruptionError, Leveled, LSMTree, SizeTiered
from studybook.dsa.lsm_tree.files import log_name, table_name
from studybook.dsa.lsm_tree.manifest import read_manifest
from studybook.dsa.lsm_tree.sstable import TableWriter, write_table
from studybook.dsa.lsm_tree.storage import FAULT_POINTS

# Logic, not the disk, is under test: tmpfs keeps the many fsyncs cheap.
# Only ever the parent of a private mkdtemp directory, so S108 does not apply.
FAST_TMP = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108


@pytest.fixture
def fast_path() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(dir=FAST_TMP, prefix="lsm-test-") as directory:
        yield Path(directory)


def tree_files(directory: Path) -> set[str]:
    """The names the committed manifest accounts for, plus the fixed names."""
    manifest = read_manifest(directory)
    assert manifest is not None
    assert manifest.pending == (), "a clean close or recovery leaves nothing pending"
    tables = {table_name(n) for level in manifest.levels for n in level}
    return tables | {log_name(manifest.wal_number), "MANIFEST", "LOCK"}


def plant(directory: Path, names: list[str]) -> dict[str, bytes]:
    """Write a file the tree does not own under each name; return name -> content."""
    planted = {}
    for name in names:
        content = f"the reader's own {name}".encode()
        (directory / name).write_bytes(content)
        planted[name] = content
    return planted


def assert_untouched(directory: Path, planted: dict[str, bytes]) -> None:
    for name, content in planted.items():
        assert (directory / name).read_bytes() == content, f"{name} was changed or deleted"


def _open(directory: Path, strategy: str = "leveled") -> LSMTree:
    compaction = (
        Leveled(l0_trigger=2, level_ratio=2, base_level_bytes=600, target_file_bytes=200)
        if strategy == "leveled"
        else SizeTiered(min_threshold=2, min_sstable_bytes=0)
    )
    return LSMTree(
        directory, memtable_bytes=200, block_bytes=64, compaction=compaction, sync="none"
    )


def _write(db: LSMTree, model: dict[bytes, bytes], count: int, seed: int) -> None:
    for i in range(count):
        key = b"key%03d" % ((i * 37 + seed) % 97)
        if i % 7 == 3:
            db.delete(key)
            model.pop(key, None)
        else:
            value = b"v%d-%d" % (seed, i)
            db.put(key, value)
            model[key] = value


@pytest.mark.parametrize("strategy", ["leveled", "size-tiered"])
def test_a_new_tree_leaves_the_readers_files_alone(fast_path: Path, strategy: str) -> None:
    # Names that look like the tree's own: a temporary, a table's temporary,
    # an empty log (which a crash during a first open could also leave).
    planted = plant(fast_path, ["notes.tmp", "000001.sst.tmp", "000002.log", "MANIFEST.bak"])
    (fast_path / "000002.log").write_bytes(b"")
    planted["000002.log"] = b""
    model: dict[bytes, bytes] = {}
    with _open(fast_path, strategy) as db:
        _write(db, model, 400, seed=1)
        assert db.stats().compactions > 0
        db._check_invariants()
    with _open(fast_path, strategy) as db:
        _write(db, model, 100, seed=2)
        db.compact()
        assert dict(db.scan()) == model
    assert_untouched(fast_path, planted)
    assert set(os.listdir(fast_path)) == tree_files(fast_path) | set(planted)


@pytest.mark.parametrize("strategy", ["leveled", "size-tiered"])
def test_files_dropped_into_an_open_tree_survive_recovery_and_compaction(
    fast_path: Path, strategy: str
) -> None:
    model: dict[bytes, bytes] = {}
    with _open(fast_path, strategy) as db:
        _write(db, model, 150, seed=3)
    manifest = read_manifest(fast_path)
    assert manifest is not None
    n = manifest.next_file_number
    # The very numbers the tree would use next, and a real table in our format
    # that the manifest does not name: someone else's, not an orphan.
    planted = plant(fast_path, ["notes.tmp", table_name(n + 1) + ".tmp", log_name(n + 2)])
    write_table(fast_path / table_name(n), n, [(b"key001", b"not the tree's")])
    planted[table_name(n)] = (fast_path / table_name(n)).read_bytes()
    with _open(fast_path, strategy) as db:
        _write(db, model, 300, seed=4)
        db.compact()
        db._check_invariants()
        assert dict(db.scan()) == model, "the planted table must not be read either"
    assert_untouched(fast_path, planted)
    assert set(os.listdir(fast_path)) == tree_files(fast_path) | set(planted)


class InjectedCrash(Exception):
    """Raised by the fault hook to stop the tree at one protocol step."""


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_the_trees_own_crash_leftovers_are_cleaned_and_no_other_file(
    fast_path: Path, point: str
) -> None:
    model: dict[bytes, bytes] = {}
    db = _open(fast_path)  # first, or the planted table would look like a lost tree
    planted = plant(fast_path, ["notes.tmp", "000009.sst", "000010.sst.tmp", "000011.log"])

    def crash(name: str) -> None:
        if name == point:
            raise InjectedCrash(name)

    db._storage.fault_hook = crash
    key, value = _put_until_crash(db, model)
    model[key] = value  # the put that crashed was logged first: it survives
    with _open(fast_path) as db:
        db._check_invariants()
        assert dict(db.scan()) == model
    assert_untouched(fast_path, planted)
    assert set(os.listdir(fast_path)) == tree_files(fast_path) | set(planted)


def _put_until_crash(db: LSMTree, model: dict[bytes, bytes]) -> tuple[bytes, bytes]:
    """Put until the fault hook fires; return the put that crashed."""
    for i in range(1000):
        key, value = b"key%03d" % (i % 50), b"value%d" % i
        try:
            db.put(key, value)
        except InjectedCrash:
            return key, value
        model[key] = value
    pytest.fail("the fault point was never reached")


def test_a_lost_manifest_is_refused_not_replaced(tmp_path: Path) -> None:
    with _open(tmp_path) as db:
        _write(db, {}, 100, seed=5)
    (tmp_path / "MANIFEST").unlink()
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(CorruptionError, match=r"file exists but MANIFEST is missing"):
        _open(tmp_path)
    assert sorted(os.listdir(tmp_path)) == before, "nothing was deleted or created"


@pytest.mark.parametrize("strategy", ["leveled", "size-tiered"])
def test_a_copy_of_the_directory_taken_at_any_step_recovers(
    fast_path: Path, strategy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An injected exception still runs the writer's cleanup (``finally``,
    # ``abandon``); a real crash does not. Copying the directory at each
    # step, and mid-table, is a crash that leaves everything where it was,
    # half-written temporaries included, and recovery must clean those.
    live = fast_path / "live"
    live.mkdir()
    db = _open(live, strategy)  # first, or the planted log would look like a lost tree
    planted = plant(live, ["notes.tmp", "MANIFEST.bak", "000005.sst.tmp", "000006.log"])
    snapshots: list[tuple[str, Path, dict[bytes, bytes], dict[bytes, bytes]]] = []
    model: dict[bytes, bytes] = {}
    after: dict[bytes, bytes] = {}  # the model if the write in flight survived
    taken: Counter[str] = Counter()

    def snapshot(step: str) -> None:
        taken[step] += 1
        if taken[step] <= 3:
            copy = fast_path / f"copy{len(snapshots)}"
            shutil.copytree(live, copy)
            snapshots.append((step, copy, dict(model), dict(after)))

    original_add = TableWriter.add

    def add(writer: TableWriter, key: bytes, value: object) -> None:
        first = writer.estimated_bytes == 0
        original_add(writer, key, value)  # type: ignore[arg-type]
        if first:
            snapshot("mid-table")

    monkeypatch.setattr(TableWriter, "add", add)
    db._storage.fault_hook = snapshot
    for i in range(300):
        key = b"key%03d" % ((i * 37) % 61)
        value = b"v%d" % i
        after = {**model, key: value}
        db.put(key, value)
        model = after
        if i % 100 == 99:
            db.compact()
    db.close()
    monkeypatch.undo()

    assert set(taken) == {*FAULT_POINTS, "mid-table"}
    for step, copy, before, with_in_flight in snapshots:
        with _open(copy, strategy) as db:
            db._check_invariants()
            assert dict(db.scan()) in (before, with_in_flight), step
        assert_untouched(copy, planted)
        assert set(os.listdir(copy)) - {"MANIFEST.tmp"} == tree_files(copy) | set(planted), step


@pytest.mark.parametrize(
    "name", ["0000001.log", "7.sst", "\u0661\u0662\u0663\u0664\u0665\u0666.sst"]
)
def test_names_the_tree_never_spells_are_not_its_own(fast_path: Path, name: str) -> None:
    planted = plant(fast_path, [name])  # not empty, yet no lost tree: the tree never writes it
    with _open(fast_path) as db:
        db.put(b"k", b"v")
    assert_untouched(fast_path, planted)


def test_symlinks_and_directories_under_the_trees_names_are_skipped(fast_path: Path) -> None:
    (fast_path / "000001.log").symlink_to(fast_path / "nowhere")  # dangling
    (fast_path / "000002.sst").mkdir()
    with _open(fast_path) as db:
        db.put(b"k", b"v")
        db.flush()
        db._check_invariants()
    assert (fast_path / "000001.log").is_symlink()
    assert (fast_path / "000002.sst").is_dir()
    manifest = read_manifest(fast_path)
    assert manifest is not None
    assert manifest.wal_number > 2, "the numbers whose names are taken were skipped"


def test_someone_elses_manifest_temp_stops_a_new_tree(fast_path: Path) -> None:
    planted = plant(fast_path, ["MANIFEST.tmp"])
    with pytest.raises(FileExistsError, match=r"MANIFEST\.tmp is not the tree's"):
        _open(fast_path)
    assert_untouched(fast_path, planted)
    assert sorted(os.listdir(fast_path)) == ["LOCK", "MANIFEST.tmp"]
    # The tree's own leftover of a crashed first open, empty, is replaced.
    (fast_path / "MANIFEST.tmp").write_bytes(b"")
    _open(fast_path).close()
    assert "MANIFEST.tmp" not in os.listdir(fast_path)
