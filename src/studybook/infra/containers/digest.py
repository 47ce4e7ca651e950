"""OCI digests and descriptors: naming content by the hash of its exact bytes.

A digest is ``<algorithm>:<encoded>``, here ``sha256:`` followed by 64
lowercase hex digits: the SHA-256 of the blob's bytes, not of a parsed or
re-serialised form. A *descriptor* ``{mediaType, digest, size}`` is how one
OCI object points at another, so an image is a Merkle DAG: the manifest names
its config and layers by digest, and its own digest names the whole image.

The config lists each layer's *DiffID* (the digest of the uncompressed tar),
while the manifest lists the digest of the blob as stored (gzip bytes for a
``+gzip`` layer); a *ChainID* names a stack of layers:
``ChainID(L0) = DiffID(L0)``, ``ChainID(L0..Ln) = SHA256(ChainID(L0..Ln-1) + " " + DiffID(Ln))``.

>>> digest_of(b"")
'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
>>> parse_digest("sha256:E3B0")
Traceback (most recent call last):
    ...
ValueError: sha256 digest must be 64 lowercase hex digits, got 'sha256:E3B0'

Source: OCI image-spec v1.1, ``descriptor.md`` (grammar, registered
algorithms, verification) and ``config.md`` (DiffID, ChainID).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from studybook._validate import check_int, check_str

__all__ = [
    "ALGORITHMS",
    "Descriptor",
    "DigestMismatch",
    "canonical_json",
    "chain_ids",
    "digest_of",
    "parse_digest",
    "verify",
]

#: Registered algorithms (image-spec ``descriptor.md``) and their encoded length.
ALGORITHMS: dict[str, int] = {"sha256": 64, "sha512": 128}
_HEX = re.compile(r"[0-9a-f]+")
_GRAMMAR = re.compile(r"[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")


class DigestMismatch(ValueError):
    """Bytes whose digest or size is not the one they were asked for under."""


def parse_digest(digest: object) -> tuple[str, str]:
    """Split a digest string into ``(algorithm, hex)`` after checking it fully.

    Args:
        digest: a string such as ``"sha256:<64 hex>"``.

    Returns:
        The algorithm and the encoded part.

    Raises:
        TypeError: not a string.
        ValueError: it breaks the image-spec grammar, names an algorithm this
            code cannot verify, or has the wrong length or non-hex digits.

    Complexity: O(len(digest)).

    >>> parse_digest("sha256:" + "ab" * 32)[0]
    'sha256'
    >>> parse_digest("md5:d41d8cd98f00b204e9800998ecf8427e")
    Traceback (most recent call last):
        ...
    ValueError: unsupported digest algorithm 'md5' (supported: sha256, sha512)
    """
    text = check_str(digest, "digest", nonempty=True)
    if not _GRAMMAR.fullmatch(text):
        raise ValueError(f"digest must look like 'sha256:<hex>', got {text!r}")
    algorithm, encoded = text.split(":", 1)
    if algorithm not in ALGORITHMS:
        raise ValueError(
            f"unsupported digest algorithm {algorithm!r} (supported: {', '.join(ALGORITHMS)})"
        )
    length = ALGORITHMS[algorithm]
    if len(encoded) != length or not _HEX.fullmatch(encoded):
        raise ValueError(f"{algorithm} digest must be {length} lowercase hex digits, got {text!r}")
    return algorithm, encoded


def digest_of(data: bytes, algorithm: str = "sha256") -> str:
    """Return the OCI digest of ``data``: ``<algorithm>:<hex of its hash>``.

    Raises:
        TypeError: ``data`` is not ``bytes``.
        ValueError: unknown algorithm.

    Complexity: O(len(data)).

    >>> digest_of(b"abc", "sha512")[:20]
    'sha512:ddaf35a193617'
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r:.40}")
    if algorithm not in ALGORITHMS:
        raise ValueError(
            f"unsupported digest algorithm {algorithm!r} (supported: {', '.join(ALGORITHMS)})"
        )
    return f"{algorithm}:{hashlib.new(algorithm, bytes(data)).hexdigest()}"


def verify(data: bytes, digest: str, size: int | None = None) -> bytes:
    """Return ``data`` if it has this digest (and size); refuse it otherwise.

    The size is checked first, as the spec advises: it is free and narrows
    what a collision would have to match.

    Raises:
        DigestMismatch: the bytes are not the ones the digest names.

    Complexity: O(len(data)).

    >>> verify(b"ok", digest_of(b"ok"), 2)
    b'ok'
    >>> try:
    ...     verify(b"", "sha256:" + "0" * 64)
    ... except DigestMismatch as exc:
    ...     print(exc)
    content has digest sha256:e3b0c442..., expected sha256:00000000...
    """
    algorithm, _ = parse_digest(digest)
    if size is not None and len(data) != size:
        raise DigestMismatch(f"content is {len(data)} bytes, descriptor says {size}")
    actual = digest_of(data, algorithm)
    if actual != digest:
        raise DigestMismatch(f"content has digest {actual[:15]}..., expected {digest[:15]}...")
    return data


@dataclass(frozen=True)
class Descriptor:
    """A typed, sized, content-addressed pointer to a blob (image-spec ``descriptor.md``).

    >>> d = Descriptor.of(b"{}", "application/vnd.oci.image.config.v1+json")
    >>> d.size, d.digest[:19]
    (2, 'sha256:44136fa355b3')
    >>> Descriptor("text/plain", "sha256:abc", 1)
    Traceback (most recent call last):
        ...
    ValueError: sha256 digest must be 64 lowercase hex digits, got 'sha256:abc'
    """

    media_type: str
    digest: str
    size: int

    def __post_init__(self) -> None:
        check_str(self.media_type, "media_type", nonempty=True)
        parse_digest(self.digest)
        check_int(self.size, "size", minimum=0)

    @classmethod
    def of(cls, data: bytes, media_type: str) -> Descriptor:
        """Describe ``data``: its media type, SHA-256 digest and length. O(len(data))."""
        return cls(media_type, digest_of(data), len(data))

    def to_json(self) -> dict[str, Any]:
        """The descriptor as the JSON object the spec defines (camelCase keys)."""
        return {"mediaType": self.media_type, "digest": self.digest, "size": self.size}

    @classmethod
    def from_json(cls, obj: object) -> Descriptor:
        """Read a descriptor from parsed JSON, refusing missing or mistyped fields."""
        if not isinstance(obj, dict):
            raise TypeError(f"descriptor must be a JSON object, got {obj!r}")
        missing = {"mediaType", "digest", "size"} - obj.keys()
        if missing:
            raise ValueError(f"descriptor lacks {sorted(missing)}, got {obj!r}")
        return cls(obj["mediaType"], obj["digest"], obj["size"])


def chain_ids(diff_ids: Sequence[str]) -> list[str]:
    """Return the ChainID of each prefix of a layer stack, bottom first.

    ``ChainID(L0) = DiffID(L0)``; each next one is the SHA-256 of the string
    ``previous + " " + DiffID``, so a ChainID names a layer *and everything
    under it*: the key a snapshotter stores an unpacked stack under.

    Complexity: O(n) hashes of ~140 bytes.

    >>> a, b = digest_of(b"layer a"), digest_of(b"layer b")
    >>> ids = chain_ids([a, b])
    >>> ids[0] == a, ids[1] == digest_of(f"{a} {b}".encode())
    (True, True)
    >>> chain_ids(["sha256:nope"])
    Traceback (most recent call last):
        ...
    ValueError: sha256 digest must be 64 lowercase hex digits, got 'sha256:nope'
    """
    if isinstance(diff_ids, str | bytes):
        raise TypeError(f"diff_ids must be a sequence of digests, got {diff_ids!r}")
    out: list[str] = []
    for diff_id in diff_ids:
        parse_digest(diff_id)
        out.append(diff_id if not out else digest_of(f"{out[-1]} {diff_id}".encode()))
    return out


def canonical_json(obj: object) -> bytes:
    """Serialise JSON deterministically (sorted keys, no spaces): equal objects, one digest."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _as_object(value: object) -> object:
    """Widen a static type, so a runtime check for a wrong type is not flagged as unreachable."""
    return value
