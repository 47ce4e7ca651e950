"""NAT overload (PAT) as a translation table on a fake clock, and DHCP lease timers.

PAT lets many inside hosts share one public address by rewriting the source
port as well as the source address. The table below models a NAT for UDP
against RFC 4787: *endpoint-independent mapping* (REQ-1, a MUST: one inside
address and port keeps one public port whatever it talks to), no port
overloading (REQ-3), refresh by outbound traffic (REQ-6), and an idle
timeout that REQ-5 says must not be under two minutes and recommends be five
minutes or more. Its filtering is *address-and-port-dependent* (section 5:
a reply is let in only from the exact endpoint the inside host has sent
to), the strictest of the three behaviours; REQ-8 instead recommends
endpoint-independent filtering where application transparency matters and
address-dependent filtering where stricter filtering does, so this choice
is allowed but not the recommended one. TCP mappings get the same timer
here for simplicity; RFC 5382 REQ-5 says an established TCP mapping must
not be dropped in under 2 hours 4 minutes.

Expiry is kept in least-recently-used order, so each packet costs O(1)
amortised however many mappings are live; the clock must not step back.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from studybook._validate import check_callable, check_int, check_real, check_str
from studybook.networking.ip_subnetting.addresses import parse_address

__all__ = ["PatTable", "PortsExhausted", "Translation", "dhcp_timers"]


class PortsExhausted(RuntimeError):
    """Every public port in the pool is mapped."""


@dataclass
class Translation:
    """One PAT mapping, in the columns of Cisco's ``show ip nat translations``."""

    protocol: str
    inside_local: tuple[str, int]
    inside_global: tuple[str, int]
    last_used: float
    remotes: set[tuple[str, int]] = field(default_factory=set)

    def __str__(self) -> str:
        (li, lp), (gi, gp) = self.inside_local, self.inside_global
        return f"{self.protocol} {gi}:{gp} <- {li}:{lp}"


class PatTable:
    """A NAT overload table: inside ``ip:port`` <-> one public ``ip:port``.

    Args:
        public_address: the inside global address every mapping shares.
        ports: the inclusive range of public ports to hand out.
        timeout: idle seconds after which a mapping is forgotten.
        clock: seconds, monotonic; inject a fake one in tests.

    >>> now = [0.0]
    >>> nat = PatTable("203.0.113.5", ports=(1024, 1025), clock=lambda: now[0])
    >>> nat.outbound("udp", ("10.0.0.2", 5000), ("198.51.100.7", 53))
    ('203.0.113.5', 1024)
    >>> nat.inbound("udp", 1024, ("198.51.100.7", 53))
    ('10.0.0.2', 5000)
    >>> now[0] = 301.0
    >>> nat.inbound("udp", 1024, ("198.51.100.7", 53))
    Traceback (most recent call last):
        ...
    KeyError: 'no udp mapping for public port 1024 (dropped)'
    """

    def __init__(
        self,
        public_address: str,
        *,
        ports: tuple[int, int] = (1024, 65535),
        timeout: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.public_address = _ipv4(public_address, "public_address")
        if not isinstance(ports, tuple) or len(ports) != 2:
            raise TypeError(f"ports must be a (low, high) tuple, got {ports!r}")
        low = check_int(ports[0], "lowest port", minimum=1, maximum=65535)
        high = check_int(ports[1], "highest port", minimum=low, maximum=65535)
        self.ports = range(low, high + 1)
        self.timeout = check_real(timeout, "timeout", positive=True)
        check_callable(clock, "clock")
        self._clock = clock
        # Least recently used first: expiry pops from the front (O(1) amortised).
        self._by_inside: OrderedDict[tuple[str, tuple[str, int]], Translation] = OrderedDict()
        self._by_port: dict[tuple[str, int], Translation] = {}
        self._next_port = {"tcp": low, "udp": low}  # where the free-port search resumes

    def outbound(
        self, protocol: str, inside: tuple[str, int], remote: tuple[str, int]
    ) -> tuple[str, int]:
        """Translate an inside source; create or refresh its mapping.

        Args:
            protocol: ``"tcp"`` or ``"udp"``.
            inside: the inside local ``(address, port)``.
            remote: the destination ``(address, port)``.

        Returns:
            The inside global ``(address, port)`` the packet leaves with. The
            inside port is kept when it is free and in the pool (port
            preservation, RFC 4787 section 4.2.1), else the next free port
            after the last one handed out (wrapping round the pool).

        Raises:
            ValueError, TypeError: malformed arguments.
            PortsExhausted: no free public port.

        Complexity: O(1) amortised; a new mapping whose port is taken scans
        from where the last search stopped, O(pool) only when nearly full.
        """
        protocol = _protocol(protocol)
        inside, remote = _endpoint(inside, "inside"), _endpoint(remote, "remote")
        now = self._expire()
        entry = self._by_inside.get((protocol, inside))
        if entry is None:
            port = self._free_port(protocol, inside[1])
            entry = Translation(protocol, inside, (self.public_address, port), now)
            self._by_inside[(protocol, inside)] = entry
            self._by_port[(protocol, port)] = entry
        else:
            self._by_inside.move_to_end((protocol, inside))
        entry.last_used = now
        entry.remotes.add(remote)
        return entry.inside_global

    def inbound(self, protocol: str, public_port: int, remote: tuple[str, int]) -> tuple[str, int]:
        """Translate a reply to the public address back to its inside host.

        Raises:
            KeyError: no live mapping for that port, or the sender is not an
                endpoint the inside host contacted (filtered); the packet is dropped.

        Complexity: O(1) amortised (expiry pops idle mappings from the front).
        """
        protocol = _protocol(protocol)
        check_int(public_port, "public_port", minimum=0, maximum=65535)
        remote = _endpoint(remote, "remote")
        self._expire()
        entry = self._by_port.get((protocol, public_port))
        if entry is None:
            raise KeyError(f"no {protocol} mapping for public port {public_port} (dropped)")
        if remote not in entry.remotes:
            raise KeyError(
                f"{remote[0]}:{remote[1]} was never contacted via public port {public_port}"
                " (filtered)"
            )
        return entry.inside_local

    def translations(self) -> list[Translation]:
        """The live mappings, sorted by public port."""
        self._expire()
        return sorted(self._by_port.values(), key=lambda t: (t.protocol, t.inside_global))

    def _expire(self) -> float:
        now = self._clock()
        while self._by_inside:
            key, entry = next(iter(self._by_inside.items()))
            if not now - entry.last_used >= self.timeout:
                break
            del self._by_inside[key]
            del self._by_port[(entry.protocol, entry.inside_global[1])]
        return now

    def _free_port(self, protocol: str, wanted: int) -> int:
        if wanted in self.ports and (protocol, wanted) not in self._by_port:
            return wanted
        low, size = self.ports.start, len(self.ports)
        start = self._next_port[protocol] - low
        for step in range(size):
            port = low + (start + step) % size
            if (protocol, port) not in self._by_port:
                self._next_port[protocol] = low + (start + step + 1) % size
                return port
        raise PortsExhausted(f"all {len(self.ports)} public {protocol} ports are in use")


def _ipv4(text: object, what: str) -> str:
    version, _ = parse_address(check_str(text, what))
    if version != 4:
        raise ValueError(f"{what} must be an IPv4 address, got {text!r}")
    return str(text)


def _protocol(protocol: object) -> str:
    if protocol not in ("tcp", "udp"):
        raise ValueError(f"protocol must be 'tcp' or 'udp', got {protocol!r}")
    return str(protocol)


def _endpoint(value: object, what: str) -> tuple[str, int]:
    if not isinstance(value, tuple) or len(value) != 2:
        raise TypeError(f"{what} must be an (address, port) tuple, got {value!r}")
    return _ipv4(value[0], f"{what} address"), check_int(
        value[1], f"{what} port", minimum=1, maximum=65535
    )


#: RFC 2131 section 3.3: the time value 0xffffffff means infinity (option 51, RFC 2132 s. 9.2).
INFINITE_LEASE = 0xFFFF_FFFF


def dhcp_timers(lease: int) -> tuple[float, float]:
    """The default renewal (T1) and rebinding (T2) times for a DHCP lease.

    RFC 2131 section 4.4.5: T1 defaults to 0.5 and T2 to 0.875 of the lease.
    At T1 the client unicasts a DHCPREQUEST to the server that granted the
    lease; at T2 it broadcasts one to any server.

    Args:
        lease: the lease time in seconds, 1 to 2**32 - 1 (the last: infinite).

    Returns:
        ``(t1, t2)`` in seconds from when the lease was granted.

    Raises:
        TypeError: not an int (``bool`` included).
        ValueError: out of range.

    Complexity: O(1).

    >>> dhcp_timers(86_400)
    (43200.0, 75600.0)
    >>> dhcp_timers(INFINITE_LEASE)
    (inf, inf)
    >>> dhcp_timers(0)
    Traceback (most recent call last):
        ...
    ValueError: lease must be in [1, 4294967295], got 0
    """
    check_int(lease, "lease", minimum=1, maximum=INFINITE_LEASE)
    if lease == INFINITE_LEASE:
        return float("inf"), float("inf")
    return lease * 0.5, lease * 0.875
