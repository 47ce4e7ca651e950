"""DNS: the RFC 1035 wire codec, a caching iterative resolver and a real UDP server.

DNS maps names to records through a tree of zones: the root delegates each
TLD, a TLD delegates each domain, and the domain's *authoritative* servers
hold its records. A recursive resolver walks that tree with iterative
queries and caches every answer for its TTL. Interviewers ask because every
request in a system design starts with a lookup, because DNS is the first
load balancer and failover switch, and because its caching (TTLs you cannot
revoke) is the classic example of eventual consistency by expiry.

The package follows the layers: :mod:`~.names` (labels, limits, compression
pointers), :mod:`~.rdata` (each record type's bytes and text),
:mod:`~.wire` (whole messages: ``encode_query``, ``decode_message``),
:mod:`~.zone` (an authoritative zone), :mod:`~.resolver` (the caching
resolver) and :mod:`~.server` (a UDP server ``dig`` can query).

Invariants: ``decode_message(encode_message(m)) == m`` for every message
built from valid names and data; decoding touches each byte a bounded number
of times (pointers only point backwards); a cached record is never served
with more TTL than it has left.

==============================  ===========================================  ==========
operation                       does                                         cost
==============================  ===========================================  ==========
encode_query / encode_message   build a message, compressing names           O(size)
decode_message                  parse and check a message                    O(size)
Zone.query                      answer, referral, NODATA or NXDOMAIN         O(labels)
Resolver.resolve (cached)       answer from cache with TTL left              O(chain)
Resolver.resolve (cold)         one query per zone level                     O(labels)
answer_query                    the server's reply to one datagram           O(size)
==============================  ===========================================  ==========

>>> query = encode_query("www.example.com", "A", query_id=1)
>>> message = decode_message(query)
>>> message.id, message.rd, message.questions
(1, True, (Question(name='www.example.com', type='A', rclass=1),))

Primary sources: RFC 1034 and RFC 1035 (concepts; implementation and wire
format), RFC 2181 (clarifications: TTLs, RRsets), RFC 2308 (negative
caching), RFC 3596 (AAAA), RFC 3597 (unknown types), RFC 6891 (EDNS(0)).
"""

from __future__ import annotations

import socket
from typing import TextIO

from studybook.networking.dns.names import (
    MAX_LABEL,
    MAX_NAME,
    MAX_POINTER_JUMPS,
    canonical,
    parse_name,
    read_name,
    write_name,
)
from studybook.networking.dns.rdata import TYPES, read_rdata, type_code, type_name, write_rdata
from studybook.networking.dns.resolver import Answer, FakeClock, Resolver
from studybook.networking.dns.server import (
    CLASSIC_UDP_LIMIT,
    DEFAULT_MAX_UDP,
    DnsServer,
    answer_query,
)
from studybook.networking.dns.wire import (
    CLASS_IN,
    MAX_MESSAGE,
    QUERY_TYPES,
    RCODES,
    Message,
    Question,
    Record,
    decode_message,
    encode_message,
    encode_query,
)
from studybook.networking.dns.zone import MAX_CHAIN, Zone, is_subdomain

__all__ = [
    "CLASSIC_UDP_LIMIT",
    "CLASS_IN",
    "DEFAULT_MAX_UDP",
    "MAX_CHAIN",
    "MAX_LABEL",
    "MAX_MESSAGE",
    "MAX_NAME",
    "MAX_POINTER_JUMPS",
    "QUERY_TYPES",
    "RCODES",
    "ROOT_HINT",
    "TYPES",
    "Answer",
    "DnsServer",
    "FakeClock",
    "Message",
    "Question",
    "Record",
    "Resolver",
    "Zone",
    "answer_query",
    "canonical",
    "decode_message",
    "demo",
    "encode_message",
    "encode_query",
    "example_internet",
    "is_subdomain",
    "parse_name",
    "read_name",
    "read_rdata",
    "type_code",
    "type_name",
    "write_name",
    "write_rdata",
]

ROOT_HINT = "198.41.0.4"
"""a.root-servers.net's IPv4 address, the root server of :func:`example_internet`."""


def _soa(origin: str, ttl: int = 3600, minimum: int = 300) -> Record:
    primary = "a.root-servers.net" if origin == "." else f"ns1.{origin}"
    contact = "nstld.verisign-grs.com" if origin == "." else f"hostmaster.{origin}"
    return Record(origin, "SOA", ttl, f"{primary} {contact} 2026120601 7200 900 1209600 {minimum}")


def example_internet() -> dict[str, list[Zone]]:
    """A small internet to resolve in: the root, ``com`` and ``net``, two domains.

    Addresses: the root at 198.41.0.4, the ``com``/``net`` servers at
    192.5.6.30 (both as in real life), ``example.com``'s server at
    192.0.2.53 and ``example.net``'s at 192.0.2.54 (RFC 5737 documentation
    addresses). ``www.example.com`` is a CNAME to ``web.example.com``;
    ``shop.example.com`` is a CNAME into ``example.net``; ``big.example.com``
    has 40 A records (too many for 512 bytes).

    >>> sorted(example_internet())
    ['192.0.2.53', '192.0.2.54', '192.5.6.30', '198.41.0.4']
    """
    root = Zone(
        ".",
        [
            _soa(".", 86400, 86400),
            Record(".", "NS", 518400, "a.root-servers.net"),
            Record("a.root-servers.net", "A", 518400, ROOT_HINT),
            Record("com", "NS", 172800, "a.gtld-servers.net"),
            Record("net", "NS", 172800, "a.gtld-servers.net"),
            Record("a.gtld-servers.net", "A", 172800, "192.5.6.30"),
        ],
    )
    com = Zone(
        "com",
        [
            _soa("com", 900, 900),
            Record("example.com", "NS", 172800, "ns1.example.com"),
            Record("ns1.example.com", "A", 172800, "192.0.2.53"),
        ],
    )
    net = Zone(
        "net",
        [
            _soa("net", 900, 900),
            Record("example.net", "NS", 172800, "ns1.example.net"),
            Record("ns1.example.net", "A", 172800, "192.0.2.54"),
        ],
    )
    example_com = Zone(
        "example.com",
        [
            _soa("example.com"),
            Record("example.com", "NS", 86400, "ns1.example.com"),
            Record("example.com", "MX", 3600, "10 mail.example.com"),
            Record("example.com", "TXT", 3600, '"v=spf1 mx -all"'),
            Record("ns1.example.com", "A", 86400, "192.0.2.53"),
            Record("mail.example.com", "A", 3600, "192.0.2.25"),
            Record("www.example.com", "CNAME", 300, "web.example.com"),
            Record("web.example.com", "A", 60, "192.0.2.10"),
            Record("web.example.com", "AAAA", 60, "2001:db8::10"),
            Record("shop.example.com", "CNAME", 300, "shop.example.net"),
            *(Record("big.example.com", "A", 60, f"198.51.100.{i}") for i in range(1, 41)),
        ],
    )
    example_net = Zone(
        "example.net",
        [
            _soa("example.net"),
            Record("example.net", "NS", 86400, "ns1.example.net"),
            Record("ns1.example.net", "A", 86400, "192.0.2.54"),
            Record("shop.example.net", "A", 120, "203.0.113.7"),
        ],
    )
    return {
        ROOT_HINT: [root],
        "192.5.6.30": [com, net],
        "192.0.2.53": [example_com],
        "192.0.2.54": [example_net],
    }


def demo(out: TextIO) -> None:
    """Encode a query, resolve through the simulated tree, and query the real server.

    >>> import io
    >>> buf = io.StringIO()
    >>> demo(buf)
    >>> print(buf.getvalue(), end="")
    Query for www.example.com A, id 0x1234 (33 bytes):
      header   12 34 01 00 00 01 00 00 00 00 00 00
      question 03 77 77 77 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01
    <BLANKLINE>
    Cold cache, t=0 s: www.example.com A
      ask 198.41.0.4      www.example.com A
      ask 192.5.6.30      www.example.com A
      ask 192.0.2.53      www.example.com A
      NOERROR www.example.com 300 CNAME web.example.com
      NOERROR web.example.com 60 A 192.0.2.10
    t=45 s: from cache, 0 new queries, TTLs 255 and 15
    t=61 s: the A record expired: 1 new query, to 192.0.2.53
    shop.example.com A: 4 new queries, CNAME into example.net -> 203.0.113.7
    nope.example.com A: NXDOMAIN, cached 300 s (SOA minimum); again at t=62 s: 0 new queries
    <BLANKLINE>
    UDP server on 127.0.0.1 (port picked by the kernel):
      www.example.com A    -> NOERROR aa, 2 answers
      nope.example.com A   -> NXDOMAIN aa, 0 answers
      big.example.com A    -> NOERROR aa tc, 0 answers (40 records need 673 bytes > 512)
      garbage datagram     -> dropped; the server still answers: NOERROR
    """
    query = encode_query("www.example.com", "A", 0x1234)
    out.write(f"Query for www.example.com A, id 0x1234 ({len(query)} bytes):\n")
    out.write(f"  header   {query[:12].hex(' ')}\n  question {query[12:].hex(' ')}\n\n")
    clock = FakeClock()
    internet = example_internet()
    resolver = Resolver(internet, [ROOT_HINT], clock=clock)
    answer = resolver.resolve("www.example.com")
    out.write("Cold cache, t=0 s: www.example.com A\n")
    for address, name, rtype in resolver.queries:
        out.write(f"  ask {address:<15} {name} {rtype}\n")
    for r in answer.records:
        out.write(f"  {answer.rcode} {r.name} {r.ttl} {r.type} {r.data}\n")
    clock.advance(45)
    asked = len(resolver.queries)
    ttls = [r.ttl for r in resolver.resolve("www.example.com").records]
    out.write(
        f"t=45 s: from cache, {len(resolver.queries) - asked} new queries, "
        f"TTLs {ttls[0]} and {ttls[1]}\n"
    )
    clock.advance(16)
    asked = len(resolver.queries)
    resolver.resolve("www.example.com")
    new = resolver.queries[asked:]
    out.write(f"t=61 s: the A record expired: {len(new)} new query, to {new[0][0]}\n")
    asked = len(resolver.queries)
    shop = resolver.resolve("shop.example.com")
    out.write(
        f"shop.example.com A: {len(resolver.queries) - asked} new queries, "
        f"CNAME into example.net -> {shop.records[-1].data}\n"
    )
    nope = resolver.resolve("nope.example.com")
    clock.advance(1)
    asked = len(resolver.queries)
    resolver.resolve("nope.example.com")
    out.write(
        f"nope.example.com A: {nope.rcode}, cached 300 s (SOA minimum); again at t=62 s: "
        f"{len(resolver.queries) - asked} new queries\n"
    )
    out.write("\nUDP server on 127.0.0.1 (port picked by the kernel):\n")
    with DnsServer(internet["192.0.2.53"]) as server:
        for name in ("www.example.com", "nope.example.com", "big.example.com"):
            reply = _ask(server.port, encode_query(name))
            flags = " aa" * reply.aa + " tc" * reply.tc
            line = f"  {name + ' A':<20} -> {reply.rcode_name}{flags}, {len(reply.answers)} answers"
            if reply.tc:
                full = Message(id=0, qr=True, questions=reply.questions, answers=_big())
                line += f" (40 records need {len(encode_message(full))} bytes > 512)"
            out.write(line + "\n")
        with _udp() as sock:
            sock.sendto(b"\xff" * 7, ("127.0.0.1", server.port))
        again = _ask(server.port, encode_query("www.example.com"))
        out.write(
            f"  garbage datagram     -> dropped; the server still answers: {again.rcode_name}\n"
        )


def _big() -> tuple[Record, ...]:
    return tuple(Record("big.example.com", "A", 60, f"198.51.100.{i}") for i in range(1, 41))


def _udp() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2.0)
    return sock


def _ask(port: int, query: bytes) -> Message:
    with _udp() as sock:
        sock.sendto(query, ("127.0.0.1", port))
        data, _ = sock.recvfrom(65535)
    return decode_message(data)
