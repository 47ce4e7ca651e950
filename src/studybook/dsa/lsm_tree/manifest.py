"""The manifest: the one file that says which tables and which log are live.

Flushes and compactions create files first and then *commit* by replacing the
manifest atomically (temporary file, fsync, rename, fsync directory). So after
a crash at any instant the manifest describes a complete, consistent set of
files. LevelDB appends "version edits" to a manifest log instead and points a
``CURRENT`` file at it; rewriting a small file whole is simpler and, at a few
hundred bytes, just as cheap.

The manifest also says which files a crash may have left behind: ``pending``
names every file the tree is about to create (recorded *before* it creates
them) and every file it no longer needs but may not have deleted yet.
Recovery deletes exactly those, so it never touches a file the tree did not
name and record: the directory may hold the reader's own files, even ones
called ``notes.tmp`` or ``000007.sst``.

Format: a header line carrying the CRC-32 of the body, then one JSON line::

    studybook-lsm-manifest v1 crc32=<8 hex digits>
    {"compaction": "leveled", "levels": [[9, 8], [5, 7]], "next_file_number": 12,
     "pending": ["000011.sst"], "wal_number": 10}

``levels[0]`` lists level-0 table numbers newest first; deeper levels list
theirs in key order. ``next_file_number`` is the file-number counter.

>>> m = Manifest("leveled", next_file_number=3, wal_number=2, levels=((1,),))
>>> decode_manifest(encode_manifest(m), "MANIFEST") == m
True
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass

from .errors import CorruptionError
from .files import MANIFEST_NAME, log_name, parse_file_name, table_name, write_atomically

__all__ = ["Manifest", "decode_manifest", "encode_manifest", "read_manifest", "write_manifest"]

_HEADER = re.compile(rb"studybook-lsm-manifest v1 crc32=([0-9a-f]{8})\n")


@dataclass(frozen=True)
class Manifest:
    """The committed state of a tree's directory."""

    compaction: str
    next_file_number: int
    wal_number: int
    levels: tuple[tuple[int, ...], ...]
    pending: tuple[str, ...] = ()
    """Files that recovery must delete if present (see the module docstring), sorted."""


def encode_manifest(manifest: Manifest) -> bytes:
    """Serialize ``manifest`` (format in the module docstring).

    Args:
        manifest: the state to write.

    Returns:
        The file's bytes.

    Complexity: O(tables).

    >>> header, body = encode_manifest(Manifest("leveled", 3, 1, (), ("000002.sst",))).splitlines()
    >>> print(header.decode(), *body.decode().split(", "), sep="\\n")
    studybook-lsm-manifest v1 crc32=a4722e0f
    {"compaction": "leveled"
    "levels": []
    "next_file_number": 3
    "pending": ["000002.sst"]
    "wal_number": 1}
    """
    body = {
        "compaction": manifest.compaction,
        "levels": [list(level) for level in manifest.levels],
        "next_file_number": manifest.next_file_number,
        "pending": sorted(manifest.pending),
        "wal_number": manifest.wal_number,
    }
    payload = json.dumps(body, sort_keys=True).encode() + b"\n"
    return b"studybook-lsm-manifest v1 crc32=%08x\n" % zlib.crc32(payload) + payload


def decode_manifest(data: bytes, path: str | os.PathLike[str]) -> Manifest:
    """Check and parse a manifest.

    Args:
        data: the file's bytes.
        path: the file, for error messages.

    Returns:
        The parsed :class:`Manifest`.

    Raises:
        CorruptionError: on a bad header, checksum, JSON or schema.

    Complexity: O(len(data)).

    >>> good = encode_manifest(Manifest("leveled", 2, 1, ()))
    >>> decode_manifest(good, "MANIFEST").wal_number
    1
    >>> decode_manifest(good.replace(b'"wal_number": 1', b'"wal_number": 7'), "MANIFEST")
    Traceback (most recent call last):
    studybook.dsa.lsm_tree.errors.CorruptionError: MANIFEST: manifest checksum mismatch at offset 41
    """
    header = _HEADER.match(data)
    if header is None:
        raise CorruptionError(path, 0, "bad manifest header")
    payload = data[header.end() :]
    if zlib.crc32(payload) != int(header[1], 16):
        raise CorruptionError(path, header.end(), "manifest checksum mismatch")
    try:
        body = json.loads(payload)
        manifest = Manifest(
            compaction=body["compaction"],
            next_file_number=body["next_file_number"],
            wal_number=body["wal_number"],
            levels=tuple(tuple(level) for level in body["levels"]),
            pending=tuple(body.get("pending", ())),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise CorruptionError(path, header.end(), f"malformed manifest: {error}") from None
    _check_schema(manifest, path, header.end())
    return manifest


def _check_schema(manifest: Manifest, path: str | os.PathLike[str], offset: int) -> None:
    numbers = [n for level in manifest.levels for n in level]
    used = [manifest.wal_number, *numbers]
    if not isinstance(manifest.compaction, str) or not all(
        _is_count(n) for n in (manifest.next_file_number, *used)
    ):
        raise CorruptionError(path, offset, "malformed manifest: wrong field types")
    if len(set(used)) != len(used):
        raise CorruptionError(path, offset, "malformed manifest: a file number is listed twice")
    if max(used) >= manifest.next_file_number:
        raise CorruptionError(
            path, offset, "malformed manifest: a file number is not below the counter"
        )
    live = {table_name(n) for n in numbers} | {log_name(manifest.wal_number)}
    for name in manifest.pending:
        # Recovery deletes these names: only ever the tree's own kind of name.
        parsed = parse_file_name(name) if isinstance(name, str) else None
        if parsed is None or name in live or parsed[0] >= manifest.next_file_number:
            raise CorruptionError(path, offset, f"malformed manifest: bad pending file {name!r}")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def write_manifest(directory: str | os.PathLike[str], manifest: Manifest) -> None:
    """Atomically replace ``directory/MANIFEST``: the commit point of flushes and compactions.

    Args:
        directory: the tree's directory.
        manifest: the new state.

    Raises:
        FileNotFoundError: if ``directory`` does not exist.

    Complexity: O(tables), plus two fsyncs.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_manifest(d, Manifest("leveled", 2, 1, ()))
    ...     read_manifest(d).next_file_number
    2
    """
    write_atomically(os.path.join(directory, MANIFEST_NAME), encode_manifest(manifest))


def read_manifest(directory: str | os.PathLike[str]) -> Manifest | None:
    """Read ``directory/MANIFEST``.

    Args:
        directory: the tree's directory.

    Returns:
        The manifest, or ``None`` if the file does not exist (a new tree).

    Raises:
        CorruptionError: if the file exists but is damaged.

    Complexity: O(file size).

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     missing = read_manifest(d)
    ...     with open(os.path.join(d, "MANIFEST"), "wb") as f: _ = f.write(b"junk")
    ...     read_manifest(d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    studybook.dsa.lsm_tree.errors.CorruptionError: .../MANIFEST: bad manifest header at offset 0
    >>> missing is None
    True
    """
    path = os.path.join(directory, MANIFEST_NAME)
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        return None
    return decode_manifest(data, path)
