"""Merkle tree with inclusion proofs, hashed exactly as RFC 6962 section 2.1 specifies.

The Merkle Tree Hash of a list ``D[n]`` of byte strings is
``SHA-256()`` for ``n = 0``, ``SHA-256(0x00 || d0)`` for one leaf, and otherwise
``SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))`` where ``k`` is the largest power
of two smaller than ``n``. The distinct 0x00/0x01 prefixes keep a leaf from
ever hashing like an inner node (second-preimage resistance), and splitting
at a power of two, instead of duplicating an odd last node as Bitcoin does,
means no two different leaf lists share a root (compare CVE-2012-2459).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["MerkleTree", "leaf_hash", "node_hash"]

_HASH_SIZE = 32  # bytes in a SHA-256 digest
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


class MerkleTree:
    """An immutable RFC 6962 Merkle tree over ``leaves``.

    Args:
        leaves: the leaf data, in order.

    Raises:
        TypeError: if ``leaves`` is not a list/tuple of ``bytes``.

    Complexity: O(n) hashes to build; ``root`` O(1); ``proof`` O(log n);
    ``verify_proof`` O(log n). Memory O(n) (every subtree hash is kept).

    >>> tree = MerkleTree([b"a", b"b", b"c"])
    >>> tree.root.hex(), len(tree)
    ('36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1', 3)
    >>> MerkleTree([]).root.hex()  # SHA-256 of the empty string
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    >>> MerkleTree(["a"])
    Traceback (most recent call last):
    ...
    TypeError: leaves must be bytes, got 'a' at index 0
    """

    def __init__(self, leaves: Sequence[bytes]) -> None:
        if not isinstance(leaves, list | tuple):
            raise TypeError(f"leaves must be a list of bytes, got {leaves!r}")
        for i, leaf in enumerate(leaves):
            if not isinstance(leaf, bytes):
                raise TypeError(f"leaves must be bytes, got {leaf!r} at index {i}")
        self._leaves = tuple(leaves)
        # Hash of every subtree D[lo:hi] that the RFC's recursion visits; proofs reuse them.
        self._hashes: dict[tuple[int, int], bytes] = {}
        self.root = self._subtree(0, len(self._leaves))

    def _subtree(self, lo: int, hi: int) -> bytes:
        if hi - lo == 0:
            digest = hashlib.sha256(b"").digest()
        elif hi - lo == 1:
            digest = leaf_hash(self._leaves[lo])
        else:
            mid = lo + _split(hi - lo)
            digest = node_hash(self._subtree(lo, mid), self._subtree(mid, hi))
        self._hashes[lo, hi] = digest
        return digest

    def __len__(self) -> int:
        """Return the number of leaves."""
        return len(self._leaves)

    def proof(self, index: int) -> list[bytes]:
        """Return the audit path of leaf ``index``: sibling hashes from the leaf up to the root.

        This is ``PATH(m, D[n])`` of RFC 6962 section 2.1.1: at each split the
        hash of the subtree that does *not* contain the leaf, deepest first.

        Args:
            index: the leaf's position, ``0 <= index < len(tree)``.

        Returns:
            ``ceil(log2(n))`` or fewer 32-byte hashes (none for a one-leaf tree).

        Raises:
            IndexError: if ``index`` is out of range.

        Complexity: O(log n).

        >>> tree = MerkleTree([b"a", b"b", b"c"])
        >>> [h.hex() for h in tree.proof(2)]  # one sibling: MTH(a, b)
        ['b137985ff484fb600db93107c77b0365c80d78f5b429ded0fd97361d077999eb']
        >>> tree.proof(3)
        Traceback (most recent call last):
        ...
        IndexError: leaf index out of range for a tree of 3 leaves, got 3
        """
        n = len(self._leaves)
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < n:
            raise IndexError(f"leaf index out of range for a tree of {n} leaves, got {index!r}")
        path: list[bytes] = []
        lo, hi = 0, n
        while hi - lo > 1:
            mid = lo + _split(hi - lo)
            if index < mid:
                path.append(self._hashes[mid, hi])
                hi = mid
            else:
                path.append(self._hashes[lo, mid])
                lo = mid
        path.reverse()  # collected root-down; the RFC lists the deepest sibling first
        return path

    @staticmethod
    def verify_proof(
        leaf_data: bytes, index: int, proof: Sequence[bytes], root: bytes, size: int
    ) -> bool:
        """Check that ``leaf_data`` is leaf ``index`` of a ``size``-leaf tree with root ``root``.

        The algorithm of RFC 9162 section 2.1.3.2: walk up from the leaf,
        using the bits of ``index`` (``fn``) and ``size - 1`` (``sn``) to decide,
        at each level, whether the sibling is on the left or on the right, and
        to skip levels where the leaf's subtree has no right sibling.

        Args:
            leaf_data: the claimed leaf contents (not its hash).
            index: the claimed leaf position.
            proof: the audit path, deepest sibling first.
            root: the trusted root hash.
            size: the trusted number of leaves.

        Returns:
            ``True`` if the proof is valid; ``False`` otherwise (never raises for
            a malformed proof: wrong length, or an entry that is not 32 bytes).

        Raises:
            TypeError: if ``leaf_data`` or ``root`` is not ``bytes``, ``index``
                or ``size`` is not an int (``bool`` included), or ``proof`` is
                not a list or tuple: those come from the caller, not the prover.

        Complexity: O(len(proof)).

        >>> tree = MerkleTree([b"a", b"b", b"c"])
        >>> MerkleTree.verify_proof(b"c", 2, tree.proof(2), tree.root, 3)
        True
        >>> MerkleTree.verify_proof(b"x", 2, tree.proof(2), tree.root, 3)
        False
        >>> MerkleTree.verify_proof(b"c", True, tree.proof(2), tree.root, 3)
        Traceback (most recent call last):
        ...
        TypeError: index must be an int, got True
        """
        for name, value in (("leaf_data", leaf_data), ("root", root)):
            if not isinstance(value, bytes):
                raise TypeError(f"{name} must be bytes, got {value!r}")
        for name, number in (("index", index), ("size", size)):
            if not isinstance(number, int) or isinstance(number, bool):
                raise TypeError(f"{name} must be an int, got {number!r}")
        if not isinstance(proof, list | tuple):
            raise TypeError(f"proof must be a list of hashes, got {proof!r}")
        if not 0 <= index < size:
            return False
        if any(not isinstance(p, bytes) or len(p) != _HASH_SIZE for p in proof):
            return False
        fn, sn = index, size - 1
        r = leaf_hash(leaf_data)
        for p in proof:
            if sn == 0:
                return False  # the path is longer than the tree is tall
            if fn & 1 or fn == sn:
                r = node_hash(p, r)
                # A last node with no right sibling is promoted: skip those levels.
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
            else:
                r = node_hash(r, p)
            fn >>= 1
            sn >>= 1
        return sn == 0 and r == root

    def _check_invariants(self) -> None:
        for (lo, hi), digest in self._hashes.items():
            if hi - lo > 1:
                mid = lo + _split(hi - lo)
                if digest != node_hash(self._hashes[lo, mid], self._hashes[mid, hi]):
                    raise AssertionError(f"subtree [{lo}, {hi}) does not hash its children")
            elif hi - lo == 1 and digest != leaf_hash(self._leaves[lo]):
                raise AssertionError(f"leaf {lo} hash is stale")
        if self.root != self._hashes[0, len(self._leaves)]:
            raise AssertionError("root is not the hash of the whole range")


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (for ``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def leaf_hash(data: bytes) -> bytes:
    """Return ``SHA-256(0x00 || data)``, the RFC 6962 hash of a leaf.

    Raises:
        TypeError: if ``data`` is not ``bytes``.

    Complexity: O(len(data)).

    >>> leaf_hash(b"").hex()
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'
    >>> leaf_hash("a")
    Traceback (most recent call last):
    ...
    TypeError: data must be bytes, got 'a'
    """
    if not isinstance(data, bytes):
        raise TypeError(f"data must be bytes, got {data!r}")
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return ``SHA-256(0x01 || left || right)``, the RFC 6962 hash of an inner node.

    Raises:
        TypeError: if ``left`` or ``right`` is not ``bytes``.

    Complexity: O(1).

    >>> node_hash(leaf_hash(b"a"), leaf_hash(b"b")) == MerkleTree([b"a", b"b"]).root
    True
    """
    for name, value in (("left", left), ("right", right)):
        if not isinstance(value, bytes):
            raise TypeError(f"{name} must be bytes, got {value!r}")
    return hashlib.sha256(NODE_PREFIX + left + right).digest()
