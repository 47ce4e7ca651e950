"""An authoritative zone in memory: answers, CNAME chains, referrals and negative answers.

A zone is the part of the name tree one set of servers is authoritative for:
from its *origin* down to the *cuts* where it delegates a child zone with NS
records. For a query it gives one of four answers (RFC 1034 §4.3.2):

- the records asked for (authoritative answer, ``aa`` set), following a
  CNAME chain as far as the zone's own data goes;
- a **referral**: the name lies below a cut, so the answer is the child's NS
  records in the authority section and their addresses (*glue*) in the
  additional section, ``aa`` clear;
- **NODATA**: the name exists but has no record of that type (NOERROR, empty
  answer, the SOA in authority);
- **NXDOMAIN**: the name does not exist (RCODE 3, the SOA in authority).

In the negative answers the SOA's TTL is the smaller of its own TTL and its
MINIMUM field: how long a resolver may cache the negative answer (RFC 2308 §3).

>>> zone = Zone("example.com", [
...     Record("example.com", "SOA", 3600,
...            "ns1.example.com admin.example.com 1 7200 900 1209600 300"),
...     Record("www.example.com", "CNAME", 300, "web.example.com"),
...     Record("web.example.com", "A", 60, "192.0.2.10")])
>>> [(r.name, r.type, r.data) for r in zone.query("www.example.com", "A").answers]
[('www.example.com', 'CNAME', 'web.example.com'), ('web.example.com', 'A', '192.0.2.10')]
>>> nx = zone.query("nope.example.com", "A")
>>> nx.rcode_name, nx.authority[0].ttl
('NXDOMAIN', 300)
"""

from __future__ import annotations

from collections.abc import Iterable

from studybook._validate import check_int, check_str
from studybook.networking.dns.names import canonical, parse_name
from studybook.networking.dns.rdata import type_code, write_rdata
from studybook.networking.dns.wire import Message, Record

__all__ = ["MAX_CHAIN", "Zone", "is_subdomain"]

MAX_CHAIN = 8
"""Longest CNAME chain followed; longer ones (or loops) end the answer."""


def is_subdomain(name: str, origin: str) -> bool:
    """True if canonical ``name`` is ``origin`` or below it (both canonical).

    >>> is_subdomain("a.example.com", "example.com"), is_subdomain("notexample.com", "example.com")
    (True, False)
    """
    return origin == "" or name == origin or name.endswith("." + origin)


class Zone:
    """The records one authoritative server holds for ``origin`` and below.

    Args:
        origin: the zone's apex, ``"."`` for the root zone.
        records: its records; exactly one SOA, at the origin, is required.

    Raises:
        ValueError: a record outside the zone, a bad record, or not exactly
            one SOA at the origin.
    """

    def __init__(self, origin: str, records: Iterable[Record]) -> None:
        self.origin = canonical(origin)
        self._rrsets: dict[tuple[str, str], list[Record]] = {}
        self._names: set[str] = set()
        for record in records:
            if not isinstance(record, Record):
                raise TypeError(f"zone records must be Record, got {type(record).__name__}")
            key = canonical(record.name)
            if not is_subdomain(key, self.origin):
                raise ValueError(f"record {record.name!r} is outside zone {origin!r}")
            type_code(check_str(record.type, "record type"))
            write_rdata(
                bytearray(), record.type, check_str(record.data, "record data"), None
            )  # validates the data
            check_int(record.ttl, f"TTL of {record.name}", minimum=0, maximum=0x7FFFFFFF)
            self._rrsets.setdefault((key, record.type), []).append(record)
            labels = parse_name(record.name)
            for i in range(len(labels) + 1):  # the name and its ancestors exist
                ancestor = ".".join(label.decode().lower() for label in labels[i:])
                if is_subdomain(ancestor, self.origin):
                    self._names.add(ancestor)
        soa = self._rrsets.get((self.origin, "SOA"), [])
        if len(soa) != 1:
            raise ValueError(f"zone {origin!r} must have one SOA at its origin, got {len(soa)}")
        self.soa = soa[0]

    def __repr__(self) -> str:
        return f"Zone({self.origin or '.'!r}, {sum(map(len, self._rrsets.values()))} records)"

    def query(self, name: str, qtype: str) -> Message:
        """Answer ``name``/``qtype`` from this zone alone, as an authoritative server would.

        Returns:
            A response :class:`~.wire.Message` with ``id`` 0 and no
            question (the server fills both in): answer, referral, NODATA,
            NXDOMAIN, or REFUSED for a name outside the zone.

        Complexity: O(labels + chain length) dictionary lookups.
        """
        key = canonical(name)
        type_code(check_str(qtype, "qtype"))
        if not is_subdomain(key, self.origin):
            return Message(id=0, qr=True, rcode=5)
        referral = self._referral(key)
        if referral is not None:
            return referral
        answers: list[Record] = []
        seen = {key}
        while True:
            found = self._rrsets.get((key, qtype))
            if found:
                return Message(id=0, qr=True, aa=True, answers=(*answers, *found))
            cname = self._rrsets.get((key, "CNAME"))
            if not cname or qtype == "CNAME":
                break
            answers.append(cname[0])
            key = canonical(cname[0].data)
            if key in seen or len(answers) >= MAX_CHAIN or not is_subdomain(key, self.origin):
                # Out of zone (the resolver goes on from here), a loop, or too long.
                return Message(id=0, qr=True, aa=True, answers=tuple(answers))
            if self._referral(key) is not None:
                return Message(id=0, qr=True, aa=True, answers=tuple(answers))
            seen.add(key)
        rcode = 0 if key in self._names else 3
        return Message(
            id=0,
            qr=True,
            aa=True,
            rcode=rcode,
            answers=tuple(answers),
            authority=(self._negative_soa(),),
        )

    def _referral(self, key: str) -> Message | None:
        """The delegation covering ``key``, if a cut lies between the origin and it."""
        labels = key.split(".")
        for i in range(len(labels) - 1, -1, -1):  # the highest cut wins
            cut = ".".join(labels[i:])
            if cut == self.origin or not is_subdomain(cut, self.origin):
                continue
            ns = self._rrsets.get((cut, "NS"))
            if ns:
                glue = [
                    glue_record
                    for record in ns
                    for rtype in ("A", "AAAA")
                    for glue_record in self._rrsets.get((canonical(record.data), rtype), [])
                ]
                return Message(id=0, qr=True, authority=tuple(ns), additional=tuple(glue))
        return None

    def _negative_soa(self) -> Record:
        minimum = int(self.soa.data.split()[6])
        return Record(self.soa.name, "SOA", min(self.soa.ttl, minimum), self.soa.data)
