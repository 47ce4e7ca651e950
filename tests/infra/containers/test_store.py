"""The blob store against a dict, on disk and in memory; images end to end; tampering refused."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.containers import (
    MEDIA_CONFIG,
    MEDIA_LAYER,
    MEDIA_MANIFEST,
    BlobStore,
    Descriptor,
    DigestMismatch,
    File,
    Layer,
    canonical_json,
    chain_ids,
    image_ids,
    layer_tar,
    merge,
    push_image,
    unpack_image,
)

BASE = Layer.create({"etc/os-release": File(b"ID=test\n"), "tmp/x": File(b"x")})
APP = Layer.create({"app/run": File(b"#!/bin/sh\n", 0o755)}, whiteouts=["tmp/x"])


@settings(max_examples=30)
@given(st.lists(st.binary(max_size=64), max_size=8))
def test_store_behaves_like_a_dict_keyed_by_sha256(blobs: list[bytes]) -> None:
    store = BlobStore()
    model: dict[str, bytes] = {}
    for blob in blobs:
        d = store.put(blob, "application/octet-stream")
        model["sha256:" + hashlib.sha256(blob).hexdigest()] = blob
        assert d.size == len(blob)
        assert store.get(d) == blob
    assert store.digests() == sorted(model)
    assert len(store) == len(model)  # equal blobs are stored once
    store._check_invariants()


def test_directory_store_persists_writes_atomically_and_refuses_rot(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    d = store.put(b"layer bytes", MEDIA_LAYER)
    path = tmp_path / "blobs" / "sha256" / d.digest.split(":")[1]
    assert path.read_bytes() == b"layer bytes"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left
    again = BlobStore(tmp_path)
    assert again.get(d.digest) == b"layer bytes"
    path.write_bytes(b"layer bytez")  # bit rot, or an attacker with disk access
    with pytest.raises(DigestMismatch, match="content has digest"):
        again.get(d)
    with pytest.raises(DigestMismatch):
        again._check_invariants()


def test_directory_store_leaves_other_files_alone(tmp_path: Path) -> None:
    mine = tmp_path / "notes.txt"
    mine.write_text("the reader's own file")
    store = BlobStore(tmp_path)
    store.put(b"x", "text/plain")
    assert mine.read_text() == "the reader's own file"
    assert store.digests() == [f"sha256:{hashlib.sha256(b'x').hexdigest()}"]


@pytest.mark.parametrize(
    ("ref", "error", "match"),
    [
        ("sha256:../../../etc/passwd", ValueError, "must look like"),
        ("sha256:" + "0" * 64, KeyError, "no blob"),
        ("sha256:abc", ValueError, "64 lowercase hex"),
        (None, TypeError, "digest"),
    ],
)
def test_get_refuses_bad_refs(
    tmp_path: Path, ref: object, error: type[Exception], match: str
) -> None:
    for store in (BlobStore(), BlobStore(tmp_path)):
        with pytest.raises(error, match=match):
            store.get(ref)  # type: ignore[arg-type]


def test_descriptor_size_mismatch_is_refused() -> None:
    store = BlobStore()
    d = store.put(b"abc", "text/plain")
    with pytest.raises(DigestMismatch, match="descriptor says 4"):
        store.get(Descriptor(d.media_type, d.digest, 4))


@pytest.mark.parametrize(("data", "media"), [("text", "text/plain"), (b"x", ""), (b"x", None)])
def test_put_refuses(data: object, media: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        BlobStore().put(data, media)  # type: ignore[arg-type]


def test_store_root_must_be_a_path() -> None:
    with pytest.raises(TypeError, match="root must be a path"):
        BlobStore(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("compress", [True, False])
def test_image_round_trip_and_ids(compress: bool) -> None:
    store = BlobStore()
    manifest = push_image(store, [BASE, APP], compress=compress, config={"Cmd": ["/app/run"]})
    assert unpack_image(store, manifest) == merge([BASE, APP])
    ids = image_ids(store, manifest)
    tars = [layer_tar(BASE), layer_tar(APP)]
    assert ids.diff_ids == tuple("sha256:" + hashlib.sha256(t).hexdigest() for t in tars)
    assert ids.chain_ids == tuple(chain_ids(list(ids.diff_ids)))
    stored = [
        gzip.decompress(store.get(d)) if compress else store.get(d) for d in ids.layer_digests
    ]
    assert stored == tars
    assert (ids.layer_digests == ids.diff_ids) is not compress  # equal only when uncompressed
    doc = json.loads(store.get(manifest))
    assert (doc["schemaVersion"], doc["mediaType"]) == (2, MEDIA_MANIFEST)
    assert doc["config"]["mediaType"] == MEDIA_CONFIG
    assert json.loads(store.get(ids.image_id))["config"] == {"Cmd": ["/app/run"]}


def test_same_layers_same_image_digest_and_shared_blobs() -> None:
    store = BlobStore()
    one = push_image(store, [BASE, APP])
    assert push_image(store, [BASE, APP]) == one
    other = push_image(store, [BASE])
    assert other != one
    assert len(store) == 4 + 2  # the base layer is shared; a new config and manifest


def _image_with(store: BlobStore, layer_blob: bytes, media: str, diff_id: str) -> Descriptor:
    layer = store.put(layer_blob, media)
    config = store.put(
        canonical_json(
            {
                "architecture": "amd64",
                "os": "linux",
                "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            }
        ),
        MEDIA_CONFIG,
    )
    manifest = {
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": config.to_json(),
        "layers": [layer.to_json()],
    }
    return store.put(canonical_json(manifest), MEDIA_MANIFEST)


def test_layer_that_does_not_match_its_diff_id_is_refused() -> None:
    store = BlobStore()
    tar = layer_tar(BASE)
    wrong = "sha256:" + hashlib.sha256(tar + b"!").hexdigest()
    with pytest.raises(DigestMismatch, match="does not match its DiffID"):
        unpack_image(store, _image_with(store, tar, MEDIA_LAYER, wrong))


def test_gzip_bomb_is_refused_early() -> None:
    store = BlobStore()
    bomb = gzip.compress(b"\0" * 5_000_000, mtime=0)  # 5 MB from ~5 kB
    diff_id = "sha256:" + hashlib.sha256(b"\0" * 5_000_000).hexdigest()
    manifest = _image_with(store, bomb, "application/vnd.oci.image.layer.v1.tar+gzip", diff_id)
    with pytest.raises(ValueError, match="decompresses past 1000000 bytes"):
        unpack_image(store, manifest, max_layer_bytes=1_000_000)


@pytest.mark.parametrize(
    ("blob", "media", "match"),
    [
        (b"\x1f\x8b garbage", "application/vnd.oci.image.layer.v1.tar+gzip", "not valid gzip"),
        (b"", "application/vnd.oci.image.layer.v1.tar+zstd", "unsupported layer media type"),
    ],
)
def test_bad_layers_refused(blob: bytes, media: str, match: str) -> None:
    store = BlobStore()
    with pytest.raises(ValueError, match=match):
        unpack_image(store, _image_with(store, blob, media, "sha256:" + "0" * 64))


def test_not_a_manifest_and_bad_arguments() -> None:
    store = BlobStore()
    with pytest.raises(ValueError, match="not an OCI image manifest"):
        image_ids(store, store.put(b'{"schemaVersion": 1}', MEDIA_MANIFEST))
    with pytest.raises(ValueError, match="not JSON"):
        image_ids(store, store.put(b"{", MEDIA_MANIFEST))
    with pytest.raises(ValueError, match="non-empty sequence"):
        push_image(store, [])
    with pytest.raises(TypeError, match=r"layers\[0\] must be a Layer"):
        push_image(store, [{"a": File(b"")}])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="compress must be a bool"):
        push_image(store, [BASE], compress=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="store must be a BlobStore"):
        push_image({}, [BASE])  # type: ignore[arg-type]
    manifest = push_image(store, [BASE])
    for bad in (0, True, float("nan")):
        with pytest.raises((TypeError, ValueError), match="max_layer_bytes"):
            unpack_image(store, manifest, max_layer_bytes=bad)  # type: ignore[arg-type]


def test_put_repairs_a_corrupt_blob_instead_of_trusting_it(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    d = store.put(b"abc", MEDIA_LAYER)
    path = tmp_path / "blobs" / "sha256" / d.digest.split(":")[1]
    path.write_bytes(b"abd")
    assert store.put(b"abc", MEDIA_LAYER) == d  # pulling again repairs it
    assert store.get(d) == b"abc"


@pytest.mark.parametrize(
    ("config", "layers", "match"),
    [
        ({"rootfs": []}, [], "rootfs must be"),
        ({"rootfs": {"type": "layers", "diff_ids": "abc"}}, [], "diff_ids must be a list"),
        ({"rootfs": {"type": "layers", "diff_ids": []}}, {"a": 1}, "layers must be a list"),
    ],
)
def test_malformed_config_or_manifest_is_refused(
    config: dict[str, object], layers: object, match: str
) -> None:
    store = BlobStore()
    c = store.put(canonical_json(config), MEDIA_CONFIG)
    manifest = {"schemaVersion": 2, "mediaType": MEDIA_MANIFEST, "config": c.to_json()}
    m = store.put(canonical_json({**manifest, "layers": layers}), MEDIA_MANIFEST)
    with pytest.raises(ValueError, match=match):
        image_ids(store, m)
