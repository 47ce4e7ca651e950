"""MerkleTree: RFC 6962 roots and audit paths against a naive recursive model; tampering fails."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.dsa.advanced_structures import MerkleTree

verify = MerkleTree.verify_proof


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def naive_mth(d: list[bytes]) -> bytes:
    """RFC 6962 section 2.1, transcribed: MTH({}), MTH({d0}), and the split at k."""
    n = len(d)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return sha256(b"\x00" + d[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return sha256(b"\x01" + naive_mth(d[:k]) + naive_mth(d[k:]))


def naive_path(m: int, d: list[bytes]) -> list[bytes]:
    """RFC 6962 section 2.1.1: PATH(m, D[n])."""
    n = len(d)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*naive_path(m, d[:k]), naive_mth(d[k:])]
    return [*naive_path(m - k, d[k:]), naive_mth(d[:k])]


def shape(m: int, n: int) -> list[bool]:
    """For PATH(m, D[n]): is each sibling (leaf upward) on the right of the leaf's subtree?"""
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    return [*shape(m, k), True] if m < k else [*shape(m - k, n - k), False]


# The eight leaves used by the Certificate Transparency reference implementation's tests,
# and the roots of their first n leaves (n = 1..8) as published with those tests.
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes(range(0x50, 0x58)),
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


@pytest.mark.parametrize("n", range(1, 9))
def test_known_roots(n: int) -> None:
    assert naive_mth(CT_LEAVES[:n]).hex() == CT_ROOTS[n - 1]
    tree = MerkleTree(CT_LEAVES[:n])
    tree._check_invariants()
    assert tree.root.hex() == CT_ROOTS[n - 1]


def test_empty_tree_root_is_hash_of_empty_string() -> None:
    assert MerkleTree([]).root == sha256(b"")
    assert MerkleTree([]).root.hex().startswith("e3b0c442")
    assert len(MerkleTree([])) == 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=40), st.data())
def test_root_and_proofs_match_the_rfc_definition(leaves: list[bytes], data: st.DataObject) -> None:
    tree = MerkleTree(leaves)
    assert tree.root == naive_mth(leaves)
    index = data.draw(st.integers(0, len(leaves) - 1))
    proof = tree.proof(index)
    assert proof == naive_path(index, leaves)
    assert verify(leaves[index], index, proof, tree.root, len(leaves))


def test_every_proof_verifies_for_all_small_trees() -> None:
    for n in range(1, 70):
        leaves = [f"leaf-{i}".encode() for i in range(n)]
        tree = MerkleTree(leaves)
        for i in range(n):
            proof = tree.proof(i)
            assert len(proof) <= max(0, (n - 1).bit_length())
            assert verify(leaves[i], i, proof, tree.root, n)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 8, 13, 32, 33])
def test_tampering_fails(n: int) -> None:
    leaves = [f"leaf-{i}".encode() for i in range(n)]
    tree = MerkleTree(leaves)
    for i in range(n):
        proof, root = tree.proof(i), tree.root
        assert verify(leaves[i], i, proof, root, n)
        assert not verify(leaves[i] + b"!", i, proof, root, n), "wrong leaf"
        assert not verify(leaves[i], i, proof, root[::-1], n), "wrong root"
        for j in range(n):  # any other index, including past the end
            if j != i:
                assert not verify(leaves[i], j, proof, root, n), ("wrong index", i, j)
        # A wrong size is caught whenever it changes the shape of the path; sizes with the
        # same shape give the same root, which is why CT signs (size, root) together.
        caught = 0
        for wrong in range(1, 2 * n + 3):
            if wrong != n:
                accepted = verify(leaves[i], i, proof, root, wrong)
                assert accepted == (i < wrong and shape(i, wrong) == shape(i, n)), (i, wrong)
                caught += not accepted
        assert caught >= n, "most wrong sizes must be rejected"
        for k in range(len(proof)):
            bad = list(proof)
            bad[k] = bytes([bad[k][0] ^ 1]) + bad[k][1:]
            assert not verify(leaves[i], i, bad, root, n), ("flipped sibling", k)
        assert not verify(leaves[i], i, [*proof, sha256(b"x")], root, n), "extra sibling"
        if proof:
            assert not verify(leaves[i], i, proof[:-1], root, n), "missing sibling"
        assert not verify(leaves[i], i, proof, root, 0), "size 0"
        assert not verify(leaves[i], -1, proof, root, n), "negative index"


def test_no_duplication_mutation_unlike_bitcoin() -> None:
    """CVE-2012-2459: with "duplicate the odd node", [a, b, c] and [a, b, c, c] collide."""

    def bitcoin_style(level: list[bytes]) -> bytes:
        level = [sha256(sha256(x)) for x in level]
        while len(level) > 1:
            if len(level) % 2:
                level.append(level[-1])
            level = [sha256(sha256(level[i] + level[i + 1])) for i in range(0, len(level), 2)]
        return level[0]

    assert bitcoin_style([b"a", b"b", b"c"]) == bitcoin_style([b"a", b"b", b"c", b"c"])
    assert MerkleTree([b"a", b"b", b"c"]).root != MerkleTree([b"a", b"b", b"c", b"c"]).root


def test_leaf_cannot_pose_as_inner_node() -> None:
    """Second preimage: without the 0x00/0x01 prefixes, the two child hashes of a 2-leaf
    tree, concatenated, would be a one-leaf "tree" with the same root."""
    tree = MerkleTree([b"a", b"b"])
    forged = sha256(b"\x00" + b"a") + sha256(b"\x00" + b"b")
    assert MerkleTree([forged]).root != tree.root


def test_errors() -> None:
    tree = MerkleTree([b"a", b"b"])
    message = "^leaf index out of range for a tree of 2 leaves, got -1$"
    with pytest.raises(IndexError, match=message):
        tree.proof(-1)
    with pytest.raises(IndexError, match="got 2$"):
        tree.proof(2)
    with pytest.raises(IndexError, match="leaf index out of range for a tree of 0 leaves"):
        MerkleTree([]).proof(0)
    with pytest.raises(TypeError, match="^leaves must be bytes, got 'b' at index 1$"):
        MerkleTree([b"a", "b"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="leaves must be a list of bytes"):
        MerkleTree(b"ab")  # type: ignore[arg-type]
