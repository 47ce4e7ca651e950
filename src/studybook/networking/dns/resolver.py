"""A caching, iterative resolver over in-memory zones, on an injected clock.

A *recursive* resolver (your ISP's, 1.1.1.1, systemd-resolved's upstream)
takes one question from a stub and does all the work: it asks a root server,
follows the referral to the TLD's servers, then to the domain's authoritative
servers (*iterative* queries, each answered with "ask them instead" until
one answers), follows CNAMEs, and caches every RRset it learned for its TTL.
Negative answers are cached too, for the SOA's MINIMUM or TTL, whichever is
smaller (RFC 2308 §5). Every answer served from cache carries the TTL it has
*left*, so downstream caches never keep a record longer than its owner allowed.

>>> from studybook.networking.dns import example_internet
>>> clock = FakeClock()
>>> resolver = Resolver(example_internet(), ["198.41.0.4"], clock=clock)
>>> [(r.name, r.type, r.ttl, r.data) for r in resolver.resolve("www.example.com").records]
[('www.example.com', 'CNAME', 300, 'web.example.com'), ('web.example.com', 'A', 60, '192.0.2.10')]
>>> [server for server, name, rtype in resolver.queries]
['198.41.0.4', '192.5.6.30', '192.0.2.53']
>>> clock.advance(45)
>>> [r.ttl for r in resolver.resolve("www.example.com").records], len(resolver.queries)
([255, 15], 3)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from studybook._validate import check_callable, check_int, check_real, check_str
from studybook.networking.dns.names import canonical
from studybook.networking.dns.wire import QUERY_TYPES, RCODES, Message, Record
from studybook.networking.dns.zone import MAX_CHAIN, Zone, is_subdomain

__all__ = ["Answer", "FakeClock", "Resolver"]


class FakeClock:
    """A clock for tests and doctests: starts at ``start``, moves only when told.

    >>> clock = FakeClock(); clock.advance(2.5); clock()
    2.5
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = check_real(start, "start")

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (>= 0)."""
        self.now += check_real(seconds, "seconds", low=0)


@dataclass(frozen=True)
class Answer:
    """What :meth:`Resolver.resolve` returns: the rcode and the answer records (TTLs left)."""

    name: str
    type: str
    rcode: str
    records: tuple[Record, ...]


@dataclass
class _Entry:
    expires: float
    records: tuple[Record, ...]  # empty for a negative entry
    rcode: int = 0


class Resolver:
    """Resolve names iteratively from ``root_hints`` through ``servers``, caching by TTL.

    Args:
        servers: the simulated internet: server address -> the zones it
            serves (authoritative servers answer only for those).
        root_hints: addresses of root servers, asked first (in real life the
            ``named.root`` file lists the 13 root server identities).
        clock: seconds, monotonic; injected so tests control time.
        max_steps: bound on the servers asked for one name (referrals, glue).

    ``queries`` lists every ``(server, name, type)`` sent upstream, in order.
    """

    def __init__(
        self,
        servers: Mapping[str, Sequence[Zone]],
        root_hints: Sequence[str],
        *,
        clock: Callable[[], float] = time.monotonic,
        max_steps: int = 32,
    ) -> None:
        check_callable(clock, "clock")
        if not root_hints or any(address not in servers for address in root_hints):
            raise ValueError(
                f"root_hints must be non-empty addresses of servers, got {root_hints!r}"
            )
        self._servers = {address: list(zones) for address, zones in servers.items()}
        self._roots = list(root_hints)
        self._clock = clock
        self._max_steps = check_int(max_steps, "max_steps", minimum=1)
        self._cache: dict[tuple[str, str], _Entry] = {}
        self._last = -math.inf
        self.queries: list[tuple[str, str, str]] = []

    def resolve(self, name: str, qtype: str = "A") -> Answer:
        """Answer ``name``/``qtype`` from cache or by iterating from the root.

        Returns:
            An :class:`Answer` whose rcode is ``"NOERROR"`` (records may be
            empty: NODATA), ``"NXDOMAIN"`` or ``"SERVFAIL"`` (no server
            answered, a CNAME loop or a chain over 8); its records are the
            CNAME chain then the records of the type asked for.

        Raises:
            TypeError, ValueError: a bad name or a type not in
                :data:`~.wire.QUERY_TYPES`.

        Complexity: O(1) dictionary lookups per chain link when cached;
        otherwise one query per zone level, O(labels).
        """
        key = canonical(name)
        wanted = check_str(qtype, "qtype").upper()
        if wanted not in QUERY_TYPES:
            raise ValueError(f"qtype must be one of {', '.join(QUERY_TYPES)}, got {qtype!r}")
        qtype = wanted
        chain: list[Record] = []
        seen = {key}
        for _ in range(MAX_CHAIN + 1):
            rcode, records = self._lookup(key, qtype)
            progressed = False
            while True:
                hits = [r for r in records if canonical(r.name) == key and r.type == qtype]
                if hits:
                    return Answer(name, qtype, "NOERROR", (*chain, *hits))
                cnames = [r for r in records if canonical(r.name) == key and r.type == "CNAME"]
                if not cnames:
                    break
                chain.append(cnames[0])
                key = canonical(cnames[0].data)
                progressed = True
                if key in seen or len(chain) > MAX_CHAIN:
                    return Answer(name, qtype, "SERVFAIL", tuple(chain))
                seen.add(key)
            if not progressed or rcode != 0:
                return Answer(name, qtype, RCODES[rcode], tuple(chain))
        return Answer(name, qtype, "SERVFAIL", tuple(chain))

    def _now(self) -> float:
        # A clock that steps back must not make expired entries live again.
        self._last = max(self._last, check_real(self._clock(), "clock()"))
        return self._last

    def _cached(self, key: str, rtype: str) -> _Entry | None:
        entry = self._cache.get((key, rtype))
        if entry is None or entry.expires <= self._now():
            return None
        return entry

    def _left(self, entry: _Entry) -> tuple[Record, ...]:
        left = math.floor(entry.expires - self._now())
        return tuple(Record(r.name, r.type, left, r.data, r.rclass) for r in entry.records)

    def _lookup(self, key: str, qtype: str) -> tuple[int, tuple[Record, ...]]:
        """Records for one name from cache, or from the authoritative servers."""
        nx = self._cached(key, "*NXDOMAIN*")
        if nx is not None:
            return 3, ()
        for rtype in (qtype, "CNAME"):
            entry = self._cached(key, rtype)
            if entry is not None:
                return entry.rcode, self._left(entry)
        response = self._iterate(key, qtype)
        return response.rcode, response.answers

    def _iterate(self, key: str, qtype: str) -> Message:
        servers = self._closest_servers(key)
        for _ in range(self._max_steps):
            response = self._ask_any(servers, key, qtype)
            if response is None:
                return Message(id=0, qr=True, rcode=2)
            if response.aa or response.rcode != 0:
                self._store_answer(key, qtype, response)
                return response
            ns = [r for r in response.authority if r.type == "NS"]
            if not ns:
                return Message(id=0, qr=True, rcode=2)  # a lame server: neither answer nor referral
            self._store(ns)
            glue = [r for r in response.additional if r.type == "A"]
            self._store(glue)
            servers = self._addresses(ns)
        return Message(id=0, qr=True, rcode=2)

    def _ask_any(self, servers: list[str], key: str, qtype: str) -> Message | None:
        for address in servers:
            if len(self.queries) > 10_000:
                break  # a hard stop for a misconfigured simulated internet
            self.queries.append((address, key, qtype))
            zones = [z for z in self._servers.get(address, []) if is_subdomain(key, z.origin)]
            if not zones:
                continue  # REFUSED: try the next server
            zone = max(zones, key=lambda z: len(z.origin))
            return zone.query(key, qtype)
        return None

    def _addresses(self, ns: list[Record]) -> list[str]:
        """Addresses of the name servers in a referral, from glue or by resolving them."""
        addresses: list[str] = []
        for record in ns:
            target = canonical(record.data)
            entry = self._cached(target, "A")
            if entry is None and len(self.queries) < 10_000:
                entry_answer = self.resolve(target, "A")  # glueless delegation
                addresses += [r.data for r in entry_answer.records if r.type == "A"]
            elif entry is not None:
                addresses += [r.data for r in entry.records]
        return addresses

    def _closest_servers(self, key: str) -> list[str]:
        labels = key.split(".") if key else []
        for i in range(len(labels) + 1):
            zone = ".".join(labels[i:])
            ns = self._cached(zone, "NS")
            if ns is None:
                continue
            addresses = [
                r.data
                for record in ns.records
                if (glue := self._cached(canonical(record.data), "A")) is not None
                for r in glue.records
            ]
            if addresses:
                return addresses
        return list(self._roots)

    def _store(self, records: Sequence[Record]) -> None:
        groups: dict[tuple[str, str], list[Record]] = {}
        for record in records:
            groups.setdefault((canonical(record.name), record.type), []).append(record)
        now = self._now()
        for key, group in groups.items():
            ttl = min(r.ttl for r in group)  # RFC 2181 §5.2: one TTL per RRset
            self._cache[key] = _Entry(now + ttl, tuple(group))

    def _store_answer(self, key: str, qtype: str, response: Message) -> None:
        self._store(response.answers)
        final = key
        for record in response.answers:
            if record.type == "CNAME" and canonical(record.name) == final:
                final = canonical(record.data)
        answered = any(canonical(r.name) == final and r.type == qtype for r in response.answers)
        soa = [r for r in response.authority if r.type == "SOA"]
        if answered or not soa:
            return  # RFC 2308 §5: no SOA, no negative caching
        negative_ttl = min(soa[0].ttl, int(soa[0].data.split()[6]))
        expires = self._now() + negative_ttl
        if response.rcode == 3:
            self._cache[(final, "*NXDOMAIN*")] = _Entry(expires, (), 3)
        elif response.rcode == 0 and is_subdomain(final, canonical(soa[0].name)):
            self._cache[(final, qtype)] = _Entry(expires, (), 0)
