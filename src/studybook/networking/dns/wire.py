"""DNS messages on the wire: header, questions and records (RFC 1035 §4.1).

Every DNS message, query or response, UDP or TCP, has the same layout: a
12-byte header (id, flags, four section counts) then the question, answer,
authority and additional sections. ``encode_message`` compresses names
against everything written before them; ``decode_message`` refuses anything
it cannot fully account for: truncated data, trailing bytes, pointer loops,
messages over 65,535 bytes (the most a TCP length prefix can announce).

>>> query = encode_query("example.com", "MX", query_id=0xBEEF)
>>> query.hex(" ")
'be ef 01 00 00 01 00 00 00 00 00 00 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 0f 00 01'
>>> decode_message(query).questions
(Question(name='example.com', type='MX', rclass=1),)
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from studybook._validate import check_int, check_str
from studybook.networking.dns.names import parse_name, read_name, write_name
from studybook.networking.dns.rdata import read_rdata, type_code, type_name, write_rdata

__all__ = [
    "CLASS_IN",
    "MAX_MESSAGE",
    "QUERY_TYPES",
    "RCODES",
    "Message",
    "Question",
    "Record",
    "decode_message",
    "encode_message",
    "encode_query",
]

CLASS_IN = 1
"""The Internet class; the only one in real use."""

MAX_MESSAGE = 65535
"""The largest DNS message, since TCP frames each one with a 16-bit length (RFC 1035 §4.2.2)."""

QUERY_TYPES = ("A", "AAAA", "CNAME", "MX", "NS", "SOA", "TXT")
"""The types ``encode_query`` asks for."""

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}
"""Response codes of RFC 1035 §4.1.1 by number."""

_HEADER = struct.Struct("!HHHHHH")


@dataclass(frozen=True)
class Question:
    """One entry of the question section: what is asked."""

    name: str
    type: str
    rclass: int = CLASS_IN


@dataclass(frozen=True)
class Record:
    """One resource record: ``data`` is its text form (see :mod:`~.rdata`).

    For the EDNS(0) pseudo-record (type ``OPT``) ``rclass`` carries the
    sender's UDP payload size and ``ttl`` the extended flags (RFC 6891 §6.1.3).
    """

    name: str
    type: str
    ttl: int
    data: str
    rclass: int = CLASS_IN


@dataclass(frozen=True)
class Message:
    """A whole DNS message: header fields and the four sections."""

    id: int
    qr: bool = False
    opcode: int = 0
    aa: bool = False
    tc: bool = False
    rd: bool = False
    ra: bool = False
    rcode: int = 0
    questions: tuple[Question, ...] = ()
    answers: tuple[Record, ...] = ()
    authority: tuple[Record, ...] = ()
    additional: tuple[Record, ...] = field(default=())

    @property
    def rcode_name(self) -> str:
        """``"NXDOMAIN"`` for 3, and so on; ``"RCODE9"`` for codes without a name here."""
        return RCODES.get(self.rcode, f"RCODE{self.rcode}")


def encode_query(name: str, qtype: str = "A", query_id: int = 0) -> bytes:
    """Build a standard query (opcode 0, recursion desired) for ``name``.

    Args:
        name: the domain name asked about, ``"example.com"`` or ``"example.com."``.
        qtype: one of :data:`QUERY_TYPES`, in any case.
        query_id: the 16-bit id the response will echo.

    Returns:
        The message bytes, ready for a UDP datagram.

    Raises:
        TypeError: a wrong type, or ``query_id`` a bool.
        ValueError: a bad name (see :func:`~.names.parse_name`), an unknown
            type or an id outside 0..65535.

    Complexity: O(len(name)).

    >>> len(encode_query("example.com")), encode_query("a.b", "TXT", 7)[:2]
    (29, b'\\x00\\x07')
    >>> encode_query("example.com", "SRV")
    Traceback (most recent call last):
        ...
    ValueError: qtype must be one of A, AAAA, CNAME, MX, NS, SOA, TXT, got 'SRV'
    """
    check_str(qtype, "qtype")
    if qtype.upper() not in QUERY_TYPES:
        raise ValueError(f"qtype must be one of {', '.join(QUERY_TYPES)}, got {qtype!r}")
    check_int(query_id, "query_id", minimum=0, maximum=0xFFFF)
    question = Question(name, qtype.upper())
    return encode_message(Message(id=query_id, rd=True, questions=(question,)))


def encode_message(message: Message) -> bytes:
    """Serialise a whole message, compressing every name it may compress.

    Raises:
        TypeError, ValueError: a field of the wrong type or out of range,
            with the offending value; a message over 65,535 bytes.

    Complexity: O(total size).
    """
    if not isinstance(message, Message):
        raise TypeError(f"message must be a Message, got {type(message).__name__}: {message!r}")
    check_int(message.id, "message id", minimum=0, maximum=0xFFFF)
    check_int(message.opcode, "opcode", minimum=0, maximum=15)
    check_int(message.rcode, "rcode", minimum=0, maximum=15)
    for flag in ("qr", "aa", "tc", "rd", "ra"):
        value = getattr(message, flag)
        if not isinstance(value, bool):  # 2 << 10 would silently set an opcode bit
            raise TypeError(f"{flag} must be a bool, got {type(value).__name__}: {value!r}")
    flags = (
        message.qr << 15
        | message.opcode << 11
        | message.aa << 10
        | message.tc << 9
        | message.rd << 8
        | message.ra << 7
        | message.rcode
    )
    sections = (message.answers, message.authority, message.additional)
    out = bytearray(_HEADER.pack(message.id, flags, len(message.questions), *map(len, sections)))
    table: dict[tuple[bytes, ...], int] = {}
    for question in message.questions:
        write_name(out, parse_name(question.name), table)
        code = type_code(question.type)
        out += struct.pack(
            "!HH", code, check_int(question.rclass, "class", minimum=0, maximum=0xFFFF)
        )
    for section in sections:
        for record in section:
            _write_record(out, record, table)
    if len(out) > MAX_MESSAGE:
        raise ValueError(f"message must be at most {MAX_MESSAGE} bytes, got {len(out)}")
    return bytes(out)


def _write_record(out: bytearray, record: Record, table: dict[tuple[bytes, ...], int]) -> None:
    write_name(out, parse_name(record.name), table)
    code = type_code(record.type)
    ttl_max = 0xFFFFFFFF if record.type == "OPT" else 0x7FFFFFFF  # RFC 2181 §8
    ttl = check_int(record.ttl, f"TTL of {record.name} {record.type}", minimum=0, maximum=ttl_max)
    rclass = check_int(record.rclass, "class", minimum=0, maximum=0xFFFF)
    out += struct.pack("!HHI", code, rclass, ttl)
    length_at = len(out)
    out += b"\0\0"
    check_str(record.data, f"data of {record.name} {record.type}")
    write_rdata(out, record.type, record.data, table)
    rdlength = len(out) - length_at - 2
    if rdlength > 0xFFFF:
        raise ValueError(f"record data must be at most 65535 bytes, got {rdlength}")
    out[length_at : length_at + 2] = rdlength.to_bytes(2, "big")


def decode_message(data: bytes) -> Message:
    """Parse a whole DNS message, checking every length against the data.

    Args:
        data: the message bytes (a UDP payload, or a TCP frame without its
            length prefix).

    Returns:
        A :class:`Message`; each answer has ``name``, ``type`` (``"A"``,
        ``"MX"``, or ``"TYPEnnn"`` for types this codec does not know),
        ``ttl`` and ``data`` (``"192.0.2.1"``, ``"web.example.com"``,
        ``"10 mail.example.com"``, ...).

    Raises:
        TypeError: ``data`` is not bytes.
        ValueError: truncated data, bytes left over, a compression pointer
            that does not point backwards (a loop), a message over 65,535
            bytes or a malformed record; the message says where.

    Complexity: O(len(data)); every name is bounded by 255 octets and 127 jumps.

    >>> reply = decode_message(bytes.fromhex("beef8180000100010000000001610000010001"
    ...                                      "c00c000100010000012c0004c0000201"))
    >>> reply.id, reply.rcode_name, reply.answers
    (48879, 'NOERROR', (Record(name='a', type='A', ttl=300, data='192.0.2.1', rclass=1),))
    >>> decode_message(bytes.fromhex("beef81800001"))
    Traceback (most recent call last):
        ...
    ValueError: truncated header: need 12 bytes, got 6
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}: {data!r}")
    data = bytes(data)
    if len(data) > MAX_MESSAGE:
        raise ValueError(f"message must be at most {MAX_MESSAGE} bytes, got {len(data)}")
    if len(data) < _HEADER.size:
        raise ValueError(f"truncated header: need {_HEADER.size} bytes, got {len(data)}")
    ident, flags, qdcount, ancount, nscount, arcount = _HEADER.unpack_from(data)
    pos = _HEADER.size
    questions = []
    for _ in range(qdcount):
        name, pos = read_name(data, pos)
        code, rclass = _unpack("!HH", data, pos, "question")
        pos += 4
        questions.append(Question(name, type_name(code), rclass))
    sections: list[tuple[Record, ...]] = []
    for count in (ancount, nscount, arcount):
        records = []
        for _ in range(count):
            record, pos = _read_record(data, pos)
            records.append(record)
        sections.append(tuple(records))
    if pos != len(data):
        raise ValueError(f"{len(data) - pos} trailing bytes after the message at offset {pos}")
    return Message(
        id=ident,
        qr=bool(flags & 0x8000),
        opcode=(flags >> 11) & 0xF,
        aa=bool(flags & 0x400),
        tc=bool(flags & 0x200),
        rd=bool(flags & 0x100),
        ra=bool(flags & 0x80),
        rcode=flags & 0xF,
        questions=tuple(questions),
        answers=sections[0],
        authority=sections[1],
        additional=sections[2],
    )


def _unpack(fmt: str, data: bytes, pos: int, what: str) -> tuple[int, ...]:
    size = struct.calcsize(fmt)
    if pos + size > len(data):
        raise ValueError(f"truncated {what} at offset {pos}: need {size} bytes")
    return struct.unpack_from(fmt, data, pos)


def _read_record(data: bytes, pos: int) -> tuple[Record, int]:
    name, pos = read_name(data, pos)
    code, rclass, ttl, rdlength = _unpack("!HHIH", data, pos, "record header")
    pos += 10
    if pos + rdlength > len(data):
        raise ValueError(f"truncated record data at offset {pos}: needs {rdlength} bytes")
    rtype = type_name(code)
    if rtype != "OPT" and ttl > 0x7FFFFFFF:
        ttl = 0  # RFC 2181 §8: a TTL with the top bit set is treated as zero
    record = Record(name, rtype, ttl, read_rdata(data, pos, rdlength, code), rclass)
    return record, pos + rdlength
