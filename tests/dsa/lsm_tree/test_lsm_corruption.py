"""Damaged or missing files raise CorruptionError naming the file; nothing is silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from studybook.dsa.lsm_tree import CorruptionError, LSMTree, SizeTiered
from studybook.dsa.lsm_tree.manifest import Manifest, encode_manifest


def _open(directory: Path) -> LSMTree:
    strategy = SizeTiered(min_sstable_bytes=0)
    return LSMTree(directory, memtable_bytes=128, block_bytes=64, compaction=strategy, sync="none")


def _populated(directory: Path) -> dict[bytes, bytes]:
    """A tree with several tables and a non-empty log; return its contents."""
    with _open(directory) as db:
        for i in range(30):
            db.put(b"key%02d" % i, b"value%02d" % i)
        db.delete(b"key03")
        assert sum(db.stats().tables_per_level) >= 2
        return dict(db.scan())


def test_every_flipped_manifest_byte_is_refused(tmp_path: Path) -> None:
    _populated(tmp_path)
    manifest = tmp_path / "MANIFEST"
    original = manifest.read_bytes()
    for position in range(len(original)):
        damaged = bytearray(original)
        damaged[position] ^= 0x01
        manifest.write_bytes(damaged)
        with pytest.raises(CorruptionError, match=r"MANIFEST: .* at offset \d+"):
            _open(tmp_path)
    manifest.write_bytes(original)
    with _open(tmp_path) as db:  # every refusal released the lock
        db._check_invariants()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"bad manifest header at offset 0"),
        (b"studybook-lsm-manifest v2 crc32=00000000\n{}\n", r"bad manifest header at offset 0"),
        (
            b"studybook-lsm-manifest v1 crc32=00000000\n{}\n",
            r"manifest checksum mismatch at offset 41",
        ),
    ],
)
def test_malformed_manifests_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    with _open(tmp_path):
        pass
    (tmp_path / "MANIFEST").write_bytes(content)
    with pytest.raises(CorruptionError, match=message):
        _open(tmp_path)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (Manifest("leveled", 5, 1, ((2, 2),)), r"a file number is listed twice"),
        (Manifest("leveled", 2, 1, ((3,),)), r"a file number is not below the counter"),
        (Manifest("leveled", -1, 1, ()), r"wrong field types"),
    ],
)
def test_manifests_with_valid_checksums_but_bad_content_are_refused(
    tmp_path: Path, manifest: Manifest, message: str
) -> None:
    with _open(tmp_path):
        pass
    (tmp_path / "MANIFEST").write_bytes(encode_manifest(manifest))
    with pytest.raises(CorruptionError, match=message):
        _open(tmp_path)


def test_missing_files_are_reported(tmp_path: Path) -> None:
    _populated(tmp_path)
    table = min(tmp_path.glob("*.sst"))
    saved = table.read_bytes()
    table.unlink()
    with pytest.raises(CorruptionError, match=rf"{table.name}: table named in MANIFEST is missing"):
        _open(tmp_path)
    table.write_bytes(saved)
    log = next(tmp_path.glob("*.log"))
    log.unlink()
    with pytest.raises(CorruptionError, match=rf"{log.name}: log named in MANIFEST is missing"):
        _open(tmp_path)


def test_tables_without_a_manifest_are_not_mistaken_for_a_new_tree(tmp_path: Path) -> None:
    _populated(tmp_path)
    (tmp_path / "MANIFEST").unlink()
    with pytest.raises(CorruptionError, match=r"000\d+\.(sst|log): file exists but MANIFEST"):
        _open(tmp_path)
    assert list(tmp_path.glob("*.sst")), "nothing was deleted"


def test_a_damaged_block_fails_the_read_that_touches_it(tmp_path: Path) -> None:
    contents = _populated(tmp_path)
    table = min(tmp_path.glob("*.sst"))
    damaged = bytearray(table.read_bytes())
    damaged[5] ^= 0x10  # inside the first data block: open still succeeds
    table.write_bytes(damaged)
    with _open(tmp_path) as db:
        with pytest.raises(
            CorruptionError, match=rf"{table.name}: block checksum mismatch at offset 0"
        ):
            list(db.scan())
        # Other blocks and the memtable are still readable.
        assert db.get(b"key29") == contents[b"key29"]


def test_a_damaged_footer_fails_the_open(tmp_path: Path) -> None:
    _populated(tmp_path)
    table = min(tmp_path.glob("*.sst"))
    damaged = bytearray(table.read_bytes())
    damaged[-1] ^= 0x01
    table.write_bytes(damaged)
    with pytest.raises(CorruptionError, match=rf"{table.name}: footer checksum mismatch at offset"):
        _open(tmp_path)
