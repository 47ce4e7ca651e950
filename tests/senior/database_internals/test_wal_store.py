"""The WAL store's API: writes, reads, batches, checkpoints and bad input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.senior.database_internals import WALStore, decode_records, encode_record

OPS = st.lists(
    st.tuples(st.sampled_from(["a", "b", "ключ", "🔑"]), st.none() | st.text(max_size=5)),
    min_size=1,
    max_size=3,
)


# Checkpoints fsync; tmpfs keeps that cheap. Only ever the parent of a private
# temporary directory, so S108 does not apply.
FAST_TMP = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # noqa: S108


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(OPS, st.booleans()), max_size=15))
def test_reopen_after_any_history_equals_model(
    history: list[tuple[list[tuple[str, str | None]], bool]],
) -> None:
    with tempfile.TemporaryDirectory(dir=FAST_TMP, prefix="wal-test-") as name:
        _check_history(Path(name), history)


def _check_history(
    directory: Path, history: list[tuple[list[tuple[str, str | None]], bool]]
) -> None:
    model: dict[str, str] = {}
    with WALStore(directory, sync=False) as db:
        for ops, checkpoint in history:
            db.write_batch(ops)
            for key, value in ops:
                if value is None:
                    model.pop(key, None)
                else:
                    model[key] = value
            if checkpoint:
                db.checkpoint()
    with WALStore(directory) as db:
        assert dict(db.items()) == model
        assert db.lsn == len(history)


def test_records_round_trip() -> None:
    data = encode_record(1, [("k", "v")]) + encode_record(2, [("k", None), ("é", "ü")])
    assert decode_records(data) == ([(1, [("k", "v")]), (2, [("k", None), ("é", "ü")])], len(data))
    flipped = bytearray(data)
    flipped[-1] ^= 1
    assert decode_records(bytes(flipped))[0] == [(1, [("k", "v")])]


def test_get_and_missing_key(tmp_path: Path) -> None:
    with WALStore(tmp_path) as db:
        db.put("k", "v")
        assert db.get("k") == "v"
        db.delete("k")
        db.delete("never-there")
        with pytest.raises(KeyError, match="'k'"):
            db.get("k")


def test_closed_store_refuses_writes(tmp_path: Path) -> None:
    db = WALStore(tmp_path)
    db.close()
    db.close()
    with pytest.raises(ValueError, match="is closed"):
        db.put("k", "v")
    with pytest.raises(ValueError, match="is closed"):
        db.checkpoint()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda db: db.put(1, "v"), TypeError, "key must be a str, got int: 1"),
        (lambda db: db.put("k", None), TypeError, "value must be a str, got NoneType: None"),
        (lambda db: db.put("k", float("nan")), TypeError, "value must be a str, got float: nan"),
        (lambda db: db.delete(True), TypeError, "key must be a str, got bool: True"),
        (lambda db: db.get(b"k"), TypeError, "key must be a str, got bytes: b'k'"),
        (lambda db: db.write_batch([]), ValueError, r"ops must be a non-empty list.*got \[\]"),
        (lambda db: db.write_batch(("k", "v")), ValueError, "ops must be a non-empty list"),
        (lambda db: db.write_batch([("k", 1)]), TypeError, r"each op must be .*got \('k', 1\)"),
        (lambda db: db.write_batch([["k", "v"]]), TypeError, r"got \['k', 'v'\]"),
    ],
)
def test_bad_input(tmp_path: Path, call: object, error: type[Exception], message: str) -> None:
    with WALStore(tmp_path) as db:
        with pytest.raises(error, match=message):
            call(db)  # type: ignore[operator]
        assert db.lsn == 0  # nothing half-written
    with WALStore(tmp_path) as db:
        assert db.items() == []


def test_bad_directory(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must be an existing directory, got '.*missing'"):
        WALStore(tmp_path / "missing")
    with pytest.raises(TypeError, match="directory must be a str or path, got 3"):
        WALStore(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="sync must be a bool, got 1"):
        WALStore(tmp_path, sync=1)  # type: ignore[arg-type]
