"""A content-addressed blob store and OCI images built on it.

Every blob (layer, config, manifest) is stored under its digest, so storing
the same bytes twice stores them once, and reading checks the bytes against
their name: content addressing *is* the integrity check. An image is three
kinds of blob: layer tars (here gzip-compressed, as registries serve them),
a config JSON listing each layer's DiffID, and a manifest pointing at the
config and layers by descriptor. The manifest's digest names the image.

On disk the store uses the ``blobs/<algorithm>/<hex>`` part of the OCI image
layout; without a directory it keeps blobs in memory.

>>> store = BlobStore()
>>> d = store.put(b"hello", "text/plain")
>>> d.digest == digest_of(b"hello"), store.put(b"hello", "text/plain") == d, len(store)
(True, True, 1)
>>> store.get("sha256:" + "0" * 64)
Traceback (most recent call last):
    ...
KeyError: 'no blob sha256:0000000000000000000000000000000000000000000000000000000000000000'

Source: OCI image-spec v1.1: ``descriptor.md``, ``manifest.md``,
``config.md``, ``image-layout.md``.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studybook._validate import check_int
from studybook.infra.containers.digest import (
    Descriptor,
    DigestMismatch,
    _as_object,
    canonical_json,
    chain_ids,
    digest_of,
    parse_digest,
    verify,
)
from studybook.infra.containers.layers import Layer, Node, layer_tar, read_layer
from studybook.infra.containers.overlay import merge

__all__ = [
    "MEDIA_CONFIG",
    "MEDIA_LAYER",
    "MEDIA_LAYER_GZIP",
    "MEDIA_MANIFEST",
    "BlobStore",
    "ImageIds",
    "image_ids",
    "push_image",
    "unpack_image",
]

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar"
MEDIA_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
#: Refuse a layer that decompresses beyond 256 MiB (a gzip bomb).
MAX_LAYER_BYTES = 256 * 2**20


class BlobStore:
    """Blobs keyed by digest, in memory or under ``root/blobs/<alg>/<hex>``.

    Args:
        root: a directory to keep blobs in (created if missing; files already
            there are read, never deleted), or ``None`` for memory.

    Invariant: every stored blob hashes to the digest it is stored under.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self._memory: dict[str, bytes] | None = None
        self._root: Path | None = None
        if root is None:
            self._memory = {}
        elif isinstance(root, str | os.PathLike):
            self._root = Path(root)
            (self._root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
        else:
            raise TypeError(f"root must be a path or None, got {root!r}")

    def put(self, data: bytes, media_type: str) -> Descriptor:
        """Store ``data`` (once) and return its descriptor. O(len(data)).

        >>> BlobStore().put("text", "text/plain")
        Traceback (most recent call last):
            ...
        TypeError: data must be bytes, got str: 'text'
        """
        if not isinstance(data, bytes):
            raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r:.40}")
        descriptor = Descriptor.of(data, media_type)
        if descriptor.digest in self and self._intact(descriptor.digest):
            return descriptor
        # Absent, or present but corrupt: (re)write it, so pulling again repairs bit rot.
        if self._memory is not None:
            self._memory[descriptor.digest] = data
        else:
            self._write(descriptor.digest, data)
        return descriptor

    def _intact(self, digest: str) -> bool:
        try:
            self.get(digest)
        except DigestMismatch:
            return False
        return True

    def _write(self, digest: str, data: bytes) -> None:
        """Write atomically: a crash leaves either no blob or the whole blob."""
        path = self._path(digest)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _path(self, digest: str) -> Path:
        # parse_digest allows only [a-z0-9] algorithms and hex, so no '/' or '..' reaches the path.
        algorithm, encoded = parse_digest(digest)
        assert self._root is not None  # noqa: S101 - only called for a directory store
        return self._root / "blobs" / algorithm / encoded

    def get(self, ref: Descriptor | str) -> bytes:
        """Return the blob ``ref`` names, after checking its bytes against the digest.

        Args:
            ref: a :class:`~studybook.infra.containers.digest.Descriptor` (its
                size is checked too) or a digest.

        Raises:
            KeyError: no such blob.
            DigestMismatch: the stored bytes are not the ones named (corruption
                or tampering): they are refused, never returned.

        Complexity: O(size).
        """
        if isinstance(ref, Descriptor):
            digest, size = ref.digest, ref.size
        else:
            digest, size = ref, None
            parse_digest(digest)
        if self._memory is not None:
            if digest not in self._memory:
                raise KeyError(f"no blob {digest}")
            data = self._memory[digest]
        else:
            try:
                data = self._path(digest).read_bytes()
            except FileNotFoundError:
                raise KeyError(f"no blob {digest}") from None
        return verify(data, digest, size)

    def __contains__(self, digest: object) -> bool:
        if not isinstance(digest, str):
            return False
        parse_digest(digest)
        if self._memory is not None:
            return digest in self._memory
        return self._path(digest).is_file()

    def digests(self) -> list[str]:
        """Every stored digest, sorted. O(n log n)."""
        if self._memory is not None:
            return sorted(self._memory)
        assert self._root is not None  # noqa: S101
        return sorted(
            f"{d.name}:{f.name}"
            for d in (self._root / "blobs").iterdir()
            if d.is_dir()
            for f in d.iterdir()
            if not f.name.startswith(".")
        )

    def __len__(self) -> int:
        return len(self.digests())

    def _check_invariants(self) -> None:
        for digest in self.digests():
            self.get(digest)  # raises DigestMismatch if a blob does not match its name


def push_image(
    store: BlobStore,
    layers: Sequence[Layer],
    *,
    compress: bool = True,
    config: Mapping[str, Any] | None = None,
) -> Descriptor:
    """Store ``layers`` as an OCI image and return the manifest's descriptor.

    Args:
        store: where the blobs go.
        layers: the changesets, base first.
        compress: store layers gzip-compressed (``+gzip``), as registries do;
            the DiffIDs in the config are then digests of the *uncompressed*
            tars and differ from the layer digests in the manifest.
        config: the execution parameters (``Entrypoint``, ``Env``...).

    Complexity: O(total layer size).

    >>> from studybook.infra.containers import File
    >>> store = BlobStore()
    >>> m = push_image(store, [Layer.create({"hi": File(b"hi")})])
    >>> m.media_type, len(store)
    ('application/vnd.oci.image.manifest.v1+json', 3)
    """
    if not isinstance(store, BlobStore):
        raise TypeError(f"store must be a BlobStore, got {store!r}")
    if not isinstance(compress, bool):
        raise TypeError(f"compress must be a bool, got {compress!r}")
    if (
        isinstance(_as_object(layers), str | bytes)
        or not isinstance(layers, Sequence)
        or not layers
    ):
        raise ValueError(f"layers must be a non-empty sequence of Layer, got {layers!r}")
    diff_ids, layer_descriptors = [], []
    for i, layer in enumerate(layers):
        if not isinstance(layer, Layer):
            raise TypeError(f"layers[{i}] must be a Layer, got {layer!r}")
        tar = layer_tar(layer)
        diff_ids.append(digest_of(tar))
        blob = gzip.compress(tar, mtime=0) if compress else tar
        layer_descriptors.append(store.put(blob, MEDIA_LAYER_GZIP if compress else MEDIA_LAYER))
    image_config = {
        "architecture": "amd64",
        "os": "linux",
        "config": dict(config or {}),
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }
    config_descriptor = store.put(canonical_json(image_config), MEDIA_CONFIG)
    manifest = {
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": config_descriptor.to_json(),
        "layers": [d.to_json() for d in layer_descriptors],
    }
    return store.put(canonical_json(manifest), MEDIA_MANIFEST)


@dataclass(frozen=True)
class ImageIds:
    """The identifiers of one image, read from its manifest and config."""

    image_id: str  #: digest of the config JSON (what ``docker images`` shows)
    layer_digests: tuple[str, ...]  #: blobs as stored (compressed)
    diff_ids: tuple[str, ...]  #: uncompressed tars
    chain_ids: tuple[str, ...]  #: each stack prefix


def image_ids(store: BlobStore, manifest: Descriptor | str) -> ImageIds:
    """Read and verify an image's manifest and config; return its identifiers.

    Raises:
        KeyError: a blob is missing.
        DigestMismatch: a blob does not match its descriptor.
        ValueError: not an OCI image manifest, or layers and DiffIDs disagree in number.

    Complexity: O(manifest + config size).
    """
    doc = _json_blob(store, manifest, "manifest")
    if doc.get("schemaVersion") != 2 or doc.get("mediaType", MEDIA_MANIFEST) != MEDIA_MANIFEST:
        raise ValueError(f"not an OCI image manifest: {str(doc)[:80]!r}")
    if not isinstance(doc.get("layers"), list):
        raise ValueError(f"manifest layers must be a list, got {doc.get('layers')!r:.60}")
    layers = [Descriptor.from_json(d) for d in doc["layers"]]
    config = _json_blob(store, Descriptor.from_json(doc.get("config")), "config")
    rootfs = config.get("rootfs")
    if not isinstance(rootfs, dict) or rootfs.get("type") != "layers":
        raise ValueError(f"config rootfs must be {{'type': 'layers', ...}}, got {rootfs!r:.60}")
    diff_ids = rootfs.get("diff_ids")
    if not isinstance(diff_ids, list):
        raise ValueError(f"config rootfs.diff_ids must be a list, got {diff_ids!r:.60}")
    if len(diff_ids) != len(layers):
        raise ValueError(f"manifest has {len(layers)} layers but config {len(diff_ids)} diff_ids")
    return ImageIds(
        image_id=Descriptor.from_json(doc["config"]).digest,
        layer_digests=tuple(d.digest for d in layers),
        diff_ids=tuple(diff_ids),
        chain_ids=tuple(chain_ids(diff_ids)),
    )


def _json_blob(store: BlobStore, ref: Descriptor | str, what: str) -> dict[str, Any]:
    try:
        doc = json.loads(store.get(ref))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{what} is not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise ValueError(f"{what} must be a JSON object, got {doc!r:.60}")
    return doc


def unpack_image(
    store: BlobStore, manifest: Descriptor | str, *, max_layer_bytes: int = MAX_LAYER_BYTES
) -> dict[str, Node]:
    """Verify every blob of an image, check each layer against its DiffID, and merge.

    Raises:
        DigestMismatch: a blob, or an uncompressed layer, is not what its
            digest or DiffID names.
        ValueError: a layer is unsafe, malformed, or bigger than ``max_layer_bytes``.

    Complexity: O(total layer size + R·n) for the merge (see
    :func:`~studybook.infra.containers.overlay.merge`).

    >>> from studybook.infra.containers import File
    >>> store = BlobStore()
    >>> base = Layer.create({"etc/os-release": File(b"alpine"), "tmp/junk": File(b"x")})
    >>> app = Layer.create({"app/main.py": File(b"print(1)")}, whiteouts=["tmp/junk"])
    >>> sorted(unpack_image(store, push_image(store, [base, app])))
    ['app', 'app/main.py', 'etc', 'etc/os-release', 'tmp']
    """
    check_int(max_layer_bytes, "max_layer_bytes", minimum=1)
    ids = image_ids(store, manifest)
    doc = json.loads(store.get(manifest))
    layers: list[Layer] = []
    for raw, diff_id in zip(doc["layers"], ids.diff_ids, strict=True):
        descriptor = Descriptor.from_json(raw)
        blob = store.get(descriptor)
        if descriptor.media_type == MEDIA_LAYER_GZIP:
            tar = _gunzip(blob, max_layer_bytes)
        elif descriptor.media_type == MEDIA_LAYER:
            tar = blob
        else:
            raise ValueError(f"unsupported layer media type {descriptor.media_type!r}")
        if len(tar) > max_layer_bytes:
            raise ValueError(f"layer {descriptor.digest[:19]} exceeds {max_layer_bytes} bytes")
        if digest_of(tar) != diff_id:
            raise DigestMismatch(f"layer {descriptor.digest[:19]} does not match its DiffID")
        layers.append(read_layer(tar))
    return merge(layers)


def _gunzip(blob: bytes, limit: int) -> bytes:
    """Decompress one gzip member, stopping once past ``limit`` (a bomb is refused early)."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(blob, limit + 1)
    except zlib.error as exc:
        raise ValueError(f"layer is not valid gzip: {exc}") from exc
    if len(out) > limit:
        raise ValueError(f"layer decompresses past {limit} bytes")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("layer gzip stream is truncated or has trailing data")
    return out
