"""OCI digests against hashlib, the image-spec grammar, and the ChainID formula written out."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.infra.containers import (
    Descriptor,
    DigestMismatch,
    canonical_json,
    chain_ids,
    digest_of,
    parse_digest,
    verify,
)

HEX64 = "ab" * 32


@given(st.binary(max_size=2048))
def test_digest_is_hashlib_sha256_of_the_exact_bytes(data: bytes) -> None:
    assert digest_of(data) == "sha256:" + hashlib.sha256(data).hexdigest()
    assert digest_of(data, "sha512") == "sha512:" + hashlib.sha512(data).hexdigest()
    assert verify(data, digest_of(data), len(data)) == data


@settings(max_examples=40)
@given(st.binary(min_size=1, max_size=256), st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_is_refused(data: bytes, bit: int) -> None:
    tampered = bytes([data[0] ^ (1 << bit)]) + data[1:]
    with pytest.raises(DigestMismatch, match="content has digest"):
        verify(tampered, digest_of(data))


def test_size_is_checked_before_the_hash() -> None:
    with pytest.raises(DigestMismatch, match="content is 2 bytes, descriptor says 3"):
        verify(b"ab", digest_of(b"ab"), 3)


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        ("sha256:" + "AB" * 32, ValueError, "64 lowercase hex"),  # uppercase
        ("sha256:" + "ab" * 31, ValueError, "64 lowercase hex"),  # too short
        ("sha256:" + "ab" * 33, ValueError, "64 lowercase hex"),  # too long
        ("sha256:" + "zz" * 32, ValueError, "64 lowercase hex"),  # not hex
        ("sha256:../../etc/passwd", ValueError, "must look like"),  # path traversal
        ("sha256" + HEX64, ValueError, "must look like"),  # no colon
        ("SHA256:" + HEX64, ValueError, "must look like"),  # algorithm is lowercase
        ("md5:" + "ab" * 16, ValueError, "unsupported digest algorithm 'md5'"),
        ("", ValueError, "non-empty"),
        (None, TypeError, "NoneType"),
        (256, TypeError, "int"),
        (True, TypeError, "bool"),
    ],
)
def test_parse_digest_refuses(bad: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        parse_digest(bad)


def test_parse_digest_accepts_both_registered_algorithms() -> None:
    assert parse_digest("sha256:" + HEX64) == ("sha256", HEX64)
    assert parse_digest("sha512:" + HEX64 * 2) == ("sha512", HEX64 * 2)


@pytest.mark.parametrize("bad", ["text", 3.5, None, ["a"]])
def test_digest_of_refuses_non_bytes(bad: object) -> None:
    with pytest.raises(TypeError, match="data must be bytes"):
        digest_of(bad)  # type: ignore[arg-type]


def test_digest_of_refuses_unknown_algorithm() -> None:
    with pytest.raises(ValueError, match="unsupported digest algorithm 'md5'"):
        digest_of(b"", "md5")


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("", "sha256:" + HEX64, 1), ValueError, "media_type"),
        (("a/b", "sha256:" + HEX64, -1), ValueError, "size must be >= 0"),
        (("a/b", "sha256:" + HEX64, True), TypeError, "size must be an int, got bool"),
        (("a/b", "sha256:" + HEX64, float("nan")), TypeError, "size must be an int"),
        (("a/b", "sha1:" + "ab" * 20, 1), ValueError, "unsupported"),
    ],
)
def test_descriptor_refuses(args: tuple[object, ...], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Descriptor(*args)  # type: ignore[arg-type]


def test_descriptor_json_round_trip_and_missing_fields() -> None:
    d = Descriptor.of(b"{}", "application/vnd.oci.image.config.v1+json")
    assert Descriptor.from_json(json.loads(json.dumps(d.to_json()))) == d
    with pytest.raises(ValueError, match=r"lacks \['size'\]"):
        Descriptor.from_json({"mediaType": "a/b", "digest": d.digest})
    with pytest.raises(TypeError, match="JSON object"):
        Descriptor.from_json([d.digest])


@settings(max_examples=40)
@given(st.lists(st.binary(max_size=32), min_size=1, max_size=6))
def test_chain_ids_match_the_spec_formula_written_out(layers: list[bytes]) -> None:
    diff_ids = ["sha256:" + hashlib.sha256(b).hexdigest() for b in layers]
    expected = [diff_ids[0]]
    for diff_id in diff_ids[1:]:  # config.md: SHA256hex(ChainID(n-1) + " " + DiffID(n))
        expected.append(
            "sha256:" + hashlib.sha256(f"{expected[-1]} {diff_id}".encode()).hexdigest()
        )
    assert chain_ids(diff_ids) == expected


def test_chain_ids_edge_cases() -> None:
    assert chain_ids([]) == []
    with pytest.raises(TypeError, match="sequence of digests"):
        chain_ids("sha256:" + HEX64)


def test_canonical_json_is_order_independent() -> None:
    assert canonical_json({"b": 1, "a": [1, 2]}) == canonical_json({"a": [1, 2], "b": 1})
    assert canonical_json({"a": 1}) == b'{"a":1}'
