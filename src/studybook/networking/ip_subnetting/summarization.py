"""Route summarisation: the fewest prefixes that cover exactly the same addresses.

Each prefix is an integer interval ``[network, last]``. Sort the intervals,
merge those that overlap or touch, then cut each merged interval back into
CIDR blocks greedily: at the current start, take the largest block that is
aligned there (a block of 2**k addresses must start at a multiple of 2**k)
and does not run past the end. The greedy cut is optimal because every CIDR
cover of an interval must contain a block starting at the interval's first
address, and the largest aligned one that fits dominates every other choice.

:func:`covering_prefix` answers the other question interviewers call
"summarisation": the single shortest route that covers every input, which
usually covers more addresses than the inputs do.
"""

from __future__ import annotations

from collections.abc import Iterable

from studybook._validate import check_str
from studybook.networking.ip_subnetting.addresses import BITS, Prefix, parse_prefix

__all__ = ["covering_prefix", "summarize"]


def summarize(prefixes: list[str]) -> list[str]:
    """Return the smallest set of prefixes covering exactly the same addresses.

    Args:
        prefixes: CIDR prefixes of one IP version, host bits zero; duplicates
            and overlaps are allowed. An empty list summarises to ``[]``.

    Returns:
        Canonical prefixes, sorted by address, pairwise disjoint and not
        adjacent-and-mergeable: the same answer as
        ``ipaddress.collapse_addresses``.

    Raises:
        TypeError: ``prefixes`` is a str or not a list/tuple, or an item is not a str.
        ValueError: a malformed prefix, or IPv4 mixed with IPv6.

    Complexity: O(n log n + n·w) for n prefixes of w-bit addresses.

    >>> summarize(["192.168.0.0/24", "192.168.1.0/24", "192.168.2.0/24"])
    ['192.168.0.0/23', '192.168.2.0/24']
    >>> summarize(["10.0.0.0/8", "10.1.0.0/16"])
    ['10.0.0.0/8']
    >>> summarize(["10.0.0.0/8", "2001:db8::/32"])
    Traceback (most recent call last):
        ...
    ValueError: cannot mix IPv4 and IPv6 prefixes, got '10.0.0.0/8' and '2001:db8::/32'
    """
    parsed = _parse_all(prefixes)
    if not parsed:
        return []
    version = parsed[0].version
    merged: list[list[int]] = []
    for p in sorted(parsed):
        if merged and p.network <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], p.last)
        else:
            merged.append([p.network, p.last])
    return [str(block) for start, end in merged for block in _cut(start, end, version)]


def _parse_all(prefixes: object) -> list[Prefix]:
    if isinstance(prefixes, str) or not isinstance(prefixes, (list, tuple)):
        raise TypeError(
            f"prefixes must be a list of str, got {type(prefixes).__name__}: {prefixes!r}"
        )
    texts = [check_str(p, "each prefix") for p in prefixes]
    parsed = [parse_prefix(t) for t in texts]
    for text, p in zip(texts, parsed, strict=True):
        if p.version != parsed[0].version:
            raise ValueError(f"cannot mix IPv4 and IPv6 prefixes, got {texts[0]!r} and {text!r}")
    return parsed


def _cut(start: int, end: int, version: int) -> Iterable[Prefix]:
    """Split the interval [start, end] into the fewest aligned CIDR blocks."""
    bits = BITS[version]
    while start <= end:
        # The largest block aligned at `start` is its lowest set bit (all of
        # the space when start is 0); halve it until it fits before `end`.
        size = start & -start if start else 1 << bits
        while size > end - start + 1:
            size >>= 1
        yield Prefix(version, start, bits - (size.bit_length() - 1))
        start += size


def covering_prefix(prefixes: list[str]) -> str:
    """Return the longest single prefix that contains every input prefix.

    This is the "summary route" of a router configuration: one line in the
    table, at the price of also covering addresses no input held.

    Args:
        prefixes: at least one CIDR prefix, all of one IP version.

    Returns:
        The covering prefix, for example ``172.16.0.0/22`` for four /24s.

    Raises:
        TypeError: as :func:`summarize`.
        ValueError: an empty list, a malformed prefix, or mixed versions.

    Complexity: O(n) for n prefixes.

    >>> covering_prefix(["172.16.0.0/24", "172.16.1.0/24", "172.16.2.0/24", "172.16.3.0/24"])
    '172.16.0.0/22'
    >>> covering_prefix(["10.0.0.0/24", "10.0.2.0/24"])
    '10.0.0.0/22'
    >>> covering_prefix([])
    Traceback (most recent call last):
        ...
    ValueError: covering_prefix needs at least one prefix, got []
    """
    parsed = _parse_all(prefixes)
    if not parsed:
        raise ValueError(f"covering_prefix needs at least one prefix, got {prefixes!r}")
    version, bits = parsed[0].version, parsed[0].bits
    low = min(p.network for p in parsed)
    high = max(p.last for p in parsed)
    # The bits where the lowest and highest addresses differ must be host bits.
    length = bits - (low ^ high).bit_length()
    shift = bits - length
    return str(Prefix(version, low >> shift << shift, length))
