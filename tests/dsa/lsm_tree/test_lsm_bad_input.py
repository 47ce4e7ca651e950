"""Every public entry point of lsm_tree refuses bad input with a clear TypeError or ValueError.

NaN slips through comparisons (``nan < 2`` and ``nan >= 2`` are both false),
``True`` is an ``int``, and ``inf`` is a float that passes ``x >= 1``. Each
case below names the call, the bad argument and the start of the message,
which must quote the offending value.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from studybook.dsa.lsm_tree import CorruptionError, Leveled, SizeTiered, demo
from studybook.dsa.lsm_tree.bench import amplification, run
from studybook.dsa.lsm_tree.bloom import BloomFilter, expected_false_positive_rate
from studybook.dsa.lsm_tree.checks import require_int, require_real
from studybook.dsa.lsm_tree.files import log_name, parse_file_name, table_name
from studybook.dsa.lsm_tree.memtable import Memtable
from studybook.dsa.lsm_tree.sstable import TableWriter
from studybook.dsa.lsm_tree.sstable_reader import TableReader
from studybook.dsa.lsm_tree.wal import WriteAheadLog, encode_record

NAN, INF = float("nan"), float("inf")

CASES: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    # -- strategies: a NaN threshold used to loop forever or never compact
    (
        "SizeTiered nan",
        lambda: SizeTiered(min_threshold=NAN),
        TypeError,
        "min_threshold must be int, got float nan",
    ),
    (
        "SizeTiered inf",
        lambda: SizeTiered(max_threshold=INF),
        TypeError,
        "max_threshold must be int, got float inf",
    ),
    (
        "SizeTiered bool",
        lambda: SizeTiered(min_threshold=True),
        TypeError,
        "min_threshold must be int, got bool True",
    ),
    (
        "SizeTiered str",
        lambda: SizeTiered(min_sstable_bytes="0"),
        TypeError,
        "min_sstable_bytes must be int, got str '0'",
    ),
    (
        "SizeTiered low nan",
        lambda: SizeTiered(bucket_low=NAN),
        ValueError,
        "bucket_low must be a finite number, got nan",
    ),
    (
        "SizeTiered high inf",
        lambda: SizeTiered(bucket_high=INF),
        ValueError,
        "bucket_high must be a finite number, got inf",
    ),
    (
        "SizeTiered high bool",
        lambda: SizeTiered(bucket_high=True),
        TypeError,
        "bucket_high must be a number, got bool True",
    ),
    (
        "SizeTiered high huge",
        lambda: SizeTiered(bucket_high=10**400),
        ValueError,
        "bucket_high must be a finite number",
    ),
    (
        "SizeTiered low > 1",
        lambda: SizeTiered(bucket_low=1.5),
        ValueError,
        "need 0 < bucket_low <= 1 <= bucket_high, got 1.5, 1.5",
    ),
    (
        "Leveled nan",
        lambda: Leveled(l0_trigger=NAN),
        TypeError,
        "l0_trigger must be int, got float nan",
    ),
    (
        "Leveled inf",
        lambda: Leveled(base_level_bytes=INF),
        TypeError,
        "base_level_bytes must be int, got float inf",
    ),
    (
        "Leveled bool",
        lambda: Leveled(level_ratio=True),
        TypeError,
        "level_ratio must be int, got bool True",
    ),
    (
        "Leveled float",
        lambda: Leveled(target_file_bytes=1.5),
        TypeError,
        "target_file_bytes must be int, got float 1.5",
    ),
    (
        "Leveled negative",
        lambda: Leveled(target_file_bytes=-1),
        ValueError,
        "target_file_bytes must be >= 1, got -1",
    ),
    (
        "max_bytes bool",
        lambda: Leveled().max_bytes(True),
        TypeError,
        "level must be int, got bool True",
    ),
    ("max_bytes zero", lambda: Leveled().max_bytes(0), ValueError, "level must be >= 1, got 0"),
    # -- the demo and the benchmark
    ("demo str", lambda: demo("out"), TypeError, "out must be a writable text stream, got str"),  # type: ignore[arg-type]
    ("run nan", lambda: run(io.StringIO(), puts=NAN), TypeError, "puts must be int, got float nan"),  # type: ignore[arg-type]
    ("run zero gets", lambda: run(io.StringIO(), gets=0), ValueError, "gets must be >= 1, got 0"),
    (
        "run negative value",
        lambda: run(io.StringIO(), value_bytes=-1),
        ValueError,
        "value_bytes must be >= 0, got -1",
    ),
    (
        "run float seed",
        lambda: run(io.StringIO(), seed=1.5),
        TypeError,
        "seed must be int, got float 1.5",
    ),  # type: ignore[arg-type]
    (
        "run no stream",
        lambda: run(None),
        TypeError,
        "out must be a writable text stream, got NoneType",
    ),  # type: ignore[arg-type]
    (
        "amplification bool",
        lambda: amplification(io.StringIO(), puts=True),
        TypeError,
        "puts must be int, got bool True",
    ),
    # -- Bloom filter
    (
        "BloomFilter bool",
        lambda: BloomFilter(True, 1),
        TypeError,
        "num_bits must be int, got bool True",
    ),
    (
        "BloomFilter float k",
        lambda: BloomFilter(64, 1.5),
        TypeError,
        "num_hashes must be int, got float 1.5",
    ),  # type: ignore[arg-type]
    (
        "BloomFilter too big",
        lambda: BloomFilter(2**32, 1),
        ValueError,
        "num_bits must be in 0..4294967295, got 4294967296",
    ),
    (
        "for_key_count nan",
        lambda: BloomFilter.for_key_count(NAN, 10),
        TypeError,
        "key_count must be int, got float nan",
    ),  # type: ignore[arg-type]
    (
        "for_key_count 65 bits",
        lambda: BloomFilter.for_key_count(10, 65),
        ValueError,
        "bits_per_key must be in 0..64, got 65",
    ),
    (
        "fp rate nan",
        lambda: expected_false_positive_rate(NAN, 7),
        ValueError,
        "bits_per_key must be a finite number, got nan",
    ),
    (
        "fp rate inf",
        lambda: expected_false_positive_rate(INF, 7),
        ValueError,
        "bits_per_key must be a finite number, got inf",
    ),
    (
        "fp rate bool k",
        lambda: expected_false_positive_rate(10, True),
        TypeError,
        "num_hashes must be int, got bool True",
    ),
    (
        "fp rate negative",
        lambda: expected_false_positive_rate(-1, 7),
        ValueError,
        "bits_per_key must be > 0, got -1",
    ),
    # -- files, records, tables
    (
        "table_name nan",
        lambda: table_name(NAN),
        TypeError,
        "file number must be int, got float nan",
    ),  # type: ignore[arg-type]
    ("log_name bool", lambda: log_name(True), TypeError, "file number must be int, got bool True"),
    (
        "parse_file_name bytes",
        lambda: parse_file_name(b"000001.sst"),
        TypeError,
        "file name must be str, got bytes",
    ),  # type: ignore[arg-type]
    (
        "encode_record value",
        lambda: encode_record(b"k", "v"),
        TypeError,
        "value must be bytes or TOMBSTONE, got str",
    ),  # type: ignore[arg-type]
    (
        "WriteAheadLog sync",
        lambda: WriteAheadLog("x.log", sync=True),
        ValueError,
        "sync must be 'always' or 'none', got True",
    ),  # type: ignore[arg-type]
    (
        "TableReader number",
        lambda: TableReader("x.sst", -1),
        ValueError,
        "number must be >= 0, got -1",
    ),
    ("Memtable key", lambda: Memtable().put(1, b"v"), TypeError, "key must be bytes, got int"),  # type: ignore[arg-type]
    (
        "CorruptionError nan",
        lambda: CorruptionError("f", NAN, "x"),
        TypeError,
        "offset must be int, got float nan",
    ),  # type: ignore[arg-type]
    (
        "require_int huge max",
        lambda: require_int("n", 10**30, minimum=0, maximum=9),
        ValueError,
        "n must be in 0..9, got 10",
    ),
    (
        "require_real str",
        lambda: require_real("x", "1"),
        TypeError,
        "x must be a number, got str '1'",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_with_the_value_in_the_message(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value).startswith(message), str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"block_bytes": NAN}, TypeError, "block_bytes must be int, got float nan"),
        ({"block_bytes": 0}, ValueError, "block_bytes must be >= 1, got 0"),
        ({"bloom_bits_per_key": 1000}, ValueError, "bloom_bits_per_key must be in 0..64, got 1000"),
        ({"bloom_bits_per_key": True}, TypeError, "bloom_bits_per_key must be int, got bool True"),
    ],
)
def test_table_writer_checks_before_creating_a_file(
    tmp_path: Path, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        TableWriter(tmp_path / "000001.sst", 1, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_table_writer_never_truncates_an_existing_temporary(tmp_path: Path) -> None:
    (tmp_path / "000001.sst.tmp").write_bytes(b"someone else's")
    with pytest.raises(FileExistsError):
        TableWriter(tmp_path / "000001.sst", 1)
    assert (tmp_path / "000001.sst.tmp").read_bytes() == b"someone else's"
