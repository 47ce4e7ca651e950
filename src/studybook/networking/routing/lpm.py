"""Longest-prefix match: a routing table stored as a binary trie over the address bits.

A router forwards a packet by the *most specific* route that contains its
destination: ``10.1.2.3`` matches ``10.0.0.0/8``, ``10.1.0.0/16`` and the
default route ``0.0.0.0/0``, and ``10.1.0.0/16`` wins because it fixes the
most leading bits. The trie walks those bits from the most significant one;
a node at depth ``d`` stands for one prefix of length ``d``, so a lookup is
one walk of at most 32 steps (128 for IPv6) that remembers the last route it
passed.

Prefixes are parsed by ``ipaddress`` in strict mode: ``"10.1.2.0/16"``
(host bits set) is refused with :class:`ValueError` rather than masked to
``10.1.0.0/16``, because a silent mask would hide a typo. A bare address is a host route
(``/32`` or ``/128``). IPv4 and IPv6 live in two separate tries.

Invariant: every trie node either holds a route or has a child; the number of
nodes holding a route equals ``len(table)``.

Complexity: add, remove and lookup are O(W) for address width W (32 or 128),
independent of the number of routes; space is O(N * W) nodes in the worst case.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from studybook._validate import check_str

__all__ = ["RoutingTable"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class _Node:
    __slots__ = ("children", "next_hop")

    def __init__(self) -> None:
        self.children: list[_Node | None] = [None, None]
        self.next_hop: str | None = None


class RoutingTable:
    """A longest-prefix-match forwarding table for IPv4 and IPv6.

    >>> table = RoutingTable()
    >>> table.add("0.0.0.0/0", "isp")
    >>> table.add("10.0.0.0/8", "core")
    >>> table.add("10.1.0.0/16", "branch")
    >>> table.lookup("10.1.2.3"), table.lookup("10.9.9.9"), table.lookup("8.8.8.8")
    ('branch', 'core', 'isp')
    >>> table.remove("0.0.0.0/0")
    >>> table.lookup("8.8.8.8")
    Traceback (most recent call last):
        ...
    KeyError: 'no route to 8.8.8.8'
    """

    def __init__(self) -> None:
        self._roots: dict[int, _Node] = {4: _Node(), 6: _Node()}
        self._size = 0

    def add(self, prefix: str, next_hop: str) -> None:
        """Install ``prefix -> next_hop``, replacing the next hop if the prefix exists.

        Args:
            prefix: ``"a.b.c.d/len"`` or an IPv6 prefix; a bare address means a host route.
            next_hop: where to send matching packets (an address or an interface name).

        Raises:
            TypeError: ``prefix`` or ``next_hop`` is not a str.
            ValueError: malformed prefix, host bits set, or an empty ``next_hop``.

        Complexity: O(W), W = 32 or 128.

        >>> table = RoutingTable()
        >>> table.add("192.0.2.0/24", "r1"); table.add("192.0.2.0/24", "r2")
        >>> len(table), table.lookup("192.0.2.7")
        (1, 'r2')
        >>> table.add("192.0.2.1/24", "r3")
        Traceback (most recent call last):
            ...
        ValueError: prefix has host bits set, got '192.0.2.1/24'
        """
        network = _parse_prefix(prefix)
        check_str(next_hop, "next_hop", nonempty=True)
        node = self._roots[network.version]
        for bit in _bits(network):
            child = node.children[bit]
            if child is None:
                child = node.children[bit] = _Node()
            node = child
        if node.next_hop is None:
            self._size += 1
        node.next_hop = next_hop

    def remove(self, prefix: str) -> None:
        """Delete the route for exactly ``prefix`` (not the routes inside it).

        Raises:
            KeyError: no route for this exact prefix (the message names it).
            TypeError, ValueError: as for :meth:`add`.

        Complexity: O(W); nodes left without a route or a child are pruned.

        >>> table = RoutingTable()
        >>> table.add("10.0.0.0/8", "core")
        >>> table.remove("10.0.0.0/16")
        Traceback (most recent call last):
            ...
        KeyError: "no route for prefix '10.0.0.0/16'"
        """
        network = _parse_prefix(prefix)
        path = [self._roots[network.version]]
        for bit in _bits(network):
            child = path[-1].children[bit]
            if child is None:
                raise KeyError(f"no route for prefix {prefix!r}")
            path.append(child)
        if path[-1].next_hop is None:
            raise KeyError(f"no route for prefix {prefix!r}")
        path[-1].next_hop = None
        self._size -= 1
        # Prune from the leaf up, so the trie never keeps a dead branch.
        bits = list(_bits(network))
        for depth in range(len(bits), 0, -1):
            node = path[depth]
            if node.next_hop is not None or node.children != [None, None]:
                break
            path[depth - 1].children[bits[depth - 1]] = None

    def lookup(self, address: str) -> str:
        """Return the next hop of the longest prefix that contains ``address``.

        Raises:
            KeyError: no prefix matches (no default route).
            TypeError: ``address`` is not a str.
            ValueError: ``address`` is not an IPv4 or IPv6 address.

        Complexity: O(W).

        >>> table = RoutingTable()
        >>> table.add("10.0.0.0/8", "core"); table.add("10.0.0.5/32", "server")
        >>> table.lookup("10.0.0.5"), table.lookup("10.0.0.6")
        ('server', 'core')
        >>> table.lookup("10.0.0.256")
        Traceback (most recent call last):
            ...
        ValueError: address must be an IPv4 or IPv6 address, got '10.0.0.256'
        """
        check_str(address, "address")
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            raise ValueError(f"address must be an IPv4 or IPv6 address, got {address!r}") from None
        value, width = int(ip), ip.max_prefixlen
        node: _Node | None = self._roots[ip.version]
        best: str | None = None
        depth = 0
        while node is not None:
            if node.next_hop is not None:
                best = node.next_hop
            if depth == width:
                break
            node = node.children[(value >> (width - 1 - depth)) & 1]
            depth += 1
        if best is None:
            raise KeyError(f"no route to {address}")
        return best

    def routes(self) -> Iterator[tuple[str, str]]:
        """Yield ``(prefix, next_hop)``, IPv4 first, each family in address then length order.

        >>> table = RoutingTable()
        >>> table.add("10.1.0.0/16", "b"); table.add("10.0.0.0/8", "a"); table.add("::/0", "v6")
        >>> list(table.routes())
        [('10.0.0.0/8', 'a'), ('10.1.0.0/16', 'b'), ('::/0', 'v6')]
        """
        for version, root in self._roots.items():
            width = 32 if version == 4 else 128
            stack: list[tuple[_Node, int, int]] = [(root, 0, 0)]
            while stack:
                node, value, depth = stack.pop()
                if node.next_hop is not None:
                    address = ipaddress.ip_address(value << (width - depth) if depth else 0)
                    if address.version != version:  # 0 parses as IPv4; make it ::
                        address = ipaddress.IPv6Address(0)
                    yield f"{address}/{depth}", node.next_hop
                for bit in (1, 0):  # pushed 1 first so 0 pops first: address order
                    child = node.children[bit]
                    if child is not None:
                        stack.append((child, value << 1 | bit, depth + 1))

    def __len__(self) -> int:
        return self._size

    def __contains__(self, prefix: object) -> bool:
        if not isinstance(prefix, str):
            return False
        network = _parse_prefix(prefix)
        node = self._roots[network.version]
        for bit in _bits(network):
            child = node.children[bit]
            if child is None:
                return False
            node = child
        return node.next_hop is not None

    def _check_invariants(self) -> None:
        """Raise ``AssertionError`` if a node is dead or the size is wrong."""
        count = 0
        for root in self._roots.values():
            stack = [root]
            while stack:
                node = stack.pop()
                children = [c for c in node.children if c is not None]
                if node is not root and node.next_hop is None and not children:
                    raise AssertionError("dead trie node")
                count += node.next_hop is not None
                stack.extend(children)
        if count != self._size:
            raise AssertionError(f"size {self._size} but {count} routes")


def _parse_prefix(prefix: object) -> Network:
    text = check_str(prefix, "prefix")
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError as error:
        if "host bits set" in str(error):
            raise ValueError(f"prefix has host bits set, got {text!r}") from None
        raise ValueError(
            f"prefix must look like '10.0.0.0/8' or '2001:db8::/32', got {text!r}"
        ) from None


def _bits(network: Network) -> Iterator[int]:
    value, width = int(network.network_address), network.max_prefixlen
    for i in range(network.prefixlen):
        yield (value >> (width - 1 - i)) & 1
