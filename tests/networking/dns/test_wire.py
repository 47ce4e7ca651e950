"""The RFC 1035 codec checked both ways against dnspython, and attacked with bad input."""

from __future__ import annotations

import contextlib
import struct

import dns.flags
import dns.message
import dns.name
import dns.rdatatype
import dns.rrset
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.networking.dns import (
    MAX_POINTER_JUMPS,
    QUERY_TYPES,
    Message,
    Question,
    Record,
    decode_message,
    encode_message,
    encode_query,
    parse_name,
)

LABEL = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", min_size=1, max_size=63
)
NAMES = st.lists(LABEL, min_size=1, max_size=5).map(".".join).filter(lambda n: len(n) <= 253)
SUFFIXES = st.sampled_from(["example.com", "Example.COM", "a.b.example.com", "com"])


def _strip(text: str) -> str:
    return text[:-1] if text.endswith(".") and text != "." else text


def from_dnspython(wire: bytes) -> list[tuple[str, str, int, str]]:
    """The answer section as dnspython reads it, in this codec's text form."""
    parsed = dns.message.from_wire(wire)
    rows = []
    for rrset in parsed.answer:
        rtype = dns.rdatatype.to_text(rrset.rdtype)
        for rdata in rrset:
            text = rdata.to_text()
            if rtype != "TXT":
                text = " ".join(_strip(token) for token in text.split())
            rows.append((_strip(rrset.name.to_text()), rtype, rrset.ttl, text))
    return rows


def ours(wire: bytes) -> list[tuple[str, str, int, str]]:
    return [(r.name, r.type, r.ttl, r.data) for r in decode_message(wire).answers]


# --- we encode, dnspython decodes -------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(NAMES, st.sampled_from(QUERY_TYPES), st.integers(0, 0xFFFF))
def test_dnspython_parses_our_query(name: str, qtype: str, query_id: int) -> None:
    parsed = dns.message.from_wire(encode_query(name, qtype, query_id))
    assert parsed.id == query_id
    assert parsed.flags & dns.flags.RD
    assert not parsed.flags & dns.flags.QR
    (question,) = parsed.question
    assert question.name == dns.name.from_text(name)
    assert question.name.to_text() == name + "."  # case is preserved too
    assert dns.rdatatype.to_text(question.rdtype) == qtype


@settings(max_examples=40, deadline=None)
@given(NAMES, NAMES, SUFFIXES, st.integers(0, 0x7FFFFFFF))
def test_dnspython_parses_our_compressed_response(
    left: str, right: str, suffix: str, ttl: int
) -> None:
    owner, target = f"{left}.{suffix}", f"{right}.{suffix}"
    if len(owner) > 253 or len(target) > 253:
        return
    records = (
        Record(owner, "CNAME", ttl, target),
        Record(target, "A", ttl, "192.0.2.1"),
        Record(target, "AAAA", ttl, "2001:db8::1"),
        Record(suffix, "MX", ttl, f"10 {target}"),
        Record(suffix, "NS", ttl, target),
        Record(suffix, "SOA", ttl, f"{target} hostmaster.{suffix} 1 7200 900 1209600 300"),
        Record(owner, "TXT", ttl, '"v=spf1 -all" "two\\"quoted\\\\"'),
    )
    message = Message(id=7, qr=True, aa=True, questions=(Question(owner, "A"),), answers=records)
    wire = encode_message(message)
    assert from_dnspython(wire) == [(r.name, r.type, r.ttl, r.data) for r in records]
    assert decode_message(wire) == message
    # Greedy suffix compression, as dnspython does it: the same size to the byte.
    assert b"\xc0" in wire
    assert len(wire) == len(dns.message.from_wire(wire).to_wire())


def test_compression_uses_pointers_to_earlier_names() -> None:
    message = Message(
        id=1,
        qr=True,
        questions=(Question("www.example.com", "A"),),
        answers=(Record("www.example.com", "CNAME", 60, "web.example.com"),),
    )
    wire = encode_message(message)
    # The answer's owner is a pointer to offset 12; the CNAME target reuses "example.com".
    assert wire[33:35] == b"\xc0\x0c"
    assert wire.endswith(b"\x03web\xc0\x10")
    assert dns.message.from_wire(wire).answer[0][0].target.to_text() == "web.example.com."


# --- dnspython encodes, we decode ---------------------------------------------------


def dnspython_response(owner: str, target: str, ttl: int) -> bytes:
    query = dns.message.make_query(owner, "A", id=4242)
    response = dns.message.make_response(query)
    zone = target.split(".", 1)[-1]
    for rtype, data in [
        ("CNAME", target + "."),
        ("TXT", '"hello world" "\\200 bytes"'),
    ]:
        response.answer.append(dns.rrset.from_text(owner + ".", ttl, "IN", rtype, data))
    for rtype, data in [
        ("A", "192.0.2.7"),
        ("AAAA", "2001:db8::7"),
        ("MX", f"5 mail.{target}."),
        ("NS", f"ns1.{zone}."),
        ("SOA", f"ns1.{zone}. admin.{zone}. 2026 7200 900 1209600 60"),
    ]:
        response.answer.append(dns.rrset.from_text(target + ".", ttl, "IN", rtype, data))
    wire: bytes = response.to_wire()
    return wire


@settings(max_examples=60, deadline=None)
@given(NAMES, NAMES, SUFFIXES, st.integers(0, 0x7FFFFFFF))
def test_we_decode_what_dnspython_encodes(left: str, right: str, suffix: str, ttl: int) -> None:
    owner, target = f"{left}.{suffix}", f"{right}.{suffix}"
    if len(owner) > 240 or len(target) > 240:
        return
    wire = dnspython_response(owner, target, ttl)
    assert b"\xc0" in wire  # dnspython compressed something; we must follow it
    message = decode_message(wire)
    assert message.id == 4242
    assert message.qr
    assert message.questions == (Question(owner, "A"),)
    assert ours(wire) == from_dnspython(wire)


def test_decode_a_known_dnspython_response_exactly() -> None:
    wire = dnspython_response("www.example.com", "web.example.com", 300)
    assert ours(wire) == [
        ("www.example.com", "CNAME", 300, "web.example.com"),
        ("www.example.com", "TXT", 300, '"hello world" "\\200 bytes"'),
        ("web.example.com", "A", 300, "192.0.2.7"),
        ("web.example.com", "AAAA", 300, "2001:db8::7"),
        ("web.example.com", "MX", 300, "5 mail.web.example.com"),
        ("web.example.com", "NS", 300, "ns1.example.com"),
        (
            "web.example.com",
            "SOA",
            300,
            "ns1.example.com admin.example.com 2026 7200 900 1209600 60",
        ),
    ]


def test_unknown_types_decode_in_rfc3597_form() -> None:
    response = dns.message.make_response(dns.message.make_query("x.example", "A"))
    response.answer.append(dns.rrset.from_text("x.example.", 5, "IN", "TYPE65280", "\\# 3 abcdef"))
    assert ours(response.to_wire()) == [("x.example", "TYPE65280", 5, "\\# 3 abcdef")]


@settings(max_examples=30, deadline=None)
@given(NAMES, st.sampled_from(QUERY_TYPES), st.integers(0, 0xFFFF))
def test_round_trip(name: str, qtype: str, query_id: int) -> None:
    message = decode_message(encode_query(name, qtype, query_id))
    assert message == Message(id=query_id, rd=True, questions=(Question(name, qtype),))


# --- limits and bad input -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("",), ValueError, "non-empty"),
        (("a..b",), ValueError, "empty label.*'a..b'"),
        ((".example",), ValueError, "empty label"),
        (("x" * 64 + ".com",), ValueError, "at most 63 octets, got 64"),
        ((".".join(["a" * 63] * 4),), ValueError, "at most 255 octets on the wire, got 257"),
        (("exa mple.com",), ValueError, "printable ASCII.*' '"),
        (("bücher.de",), ValueError, "punycode.*'ü'"),
        ((b"example.com",), TypeError, "must be a str, got bytes"),
        ((None,), TypeError, "must be a str, got NoneType"),
        (("example.com", "SRV"), ValueError, "qtype must be one of.*'SRV'"),
        (("example.com", "OPT"), ValueError, "'OPT'"),
        (("example.com", 1), TypeError, "qtype must be a str, got int"),
        (("example.com", "A", -1), ValueError, r"query_id must be in \[0, 65535\], got -1"),
        (("example.com", "A", 65536), ValueError, "got 65536"),
        (("example.com", "A", True), TypeError, "query_id must be an int, got bool"),
        (("example.com", "A", float("nan")), TypeError, "got float: nan"),
        (("example.com", "A", 1.0), TypeError, "got float: 1.0"),
    ],
)
def test_encode_query_rejects_bad_input(
    args: tuple[object, ...], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        encode_query(*args)  # type: ignore[arg-type]


def test_name_limits_are_exact() -> None:
    assert len(parse_name("x" * 63 + ".com")[0]) == 63
    longest = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])  # 64+64+64+62+1 = 255
    assert dns.message.from_wire(encode_query(longest)).question[0].name.to_text() == longest + "."
    assert encode_query("example.com.") == encode_query("example.com")
    assert decode_message(encode_query(".", "NS")).questions == (Question(".", "NS"),)


def test_every_truncation_of_a_response_is_rejected() -> None:
    wire = dnspython_response("www.example.com", "web.example.com", 300)
    for cut in range(len(wire)):
        with pytest.raises(ValueError, match="truncated|trailing|length|at most"):
            decode_message(wire[:cut])
    with pytest.raises(ValueError, match="1 trailing bytes"):
        decode_message(wire + b"\0")


def question(name_bytes: bytes, count: int = 1) -> bytes:
    return struct.pack("!HHHHHH", 1, 0, count, 0, 0, 0) + name_bytes + b"\x00\x01\x00\x01"


@pytest.mark.parametrize(
    ("wire", "match"),
    [
        (question(b"\xc0\x0c"), "pointer at offset 12 must point before offset 12, got 12"),
        (question(b"\x01a\xc0\x0c"), "pointer at offset 14 must point before offset 12, got 12"),
        (question(b"\x01a\xc0\x20"), "must point before offset 12, got 32"),
        (question(b"\x01a\xc0"), "truncated"),
        (question(b"\x41a"), "reserved label type 0x41"),
        (question(b"\x81a"), "reserved label type 0x81"),
        (question(b"\x05ab"), "truncated"),
    ],
)
def test_decode_rejects_pointer_loops_and_bad_labels(wire: bytes, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        decode_message(wire)


def test_pointer_chains_are_bounded() -> None:
    """200 backward pointers, each to the one before: legal one by one, capped in total."""
    header = struct.pack("!HHHHHH", 1, 0x8000, 1, 2, 0, 0)
    wire = bytearray(header + b"\x00\x00\x01\x00\x01")  # question: the root name, A IN
    base = len(wire) + 11  # the first answer's data: after its root owner and fixed part
    chain = b"".join(
        (0xC000 | (12 if i == 0 else base + 2 * (i - 1))).to_bytes(2, "big") for i in range(200)
    )
    wire += b"\x00" + struct.pack("!HHIH", 99, 1, 0, len(chain)) + chain  # opaque TYPE99 data
    wire += (
        (0xC000 | (base + 2 * 199)).to_bytes(2, "big") + struct.pack("!HHIH", 1, 1, 0, 4) + bytes(4)
    )
    with pytest.raises(ValueError, match=f"more than {MAX_POINTER_JUMPS} compression pointers"):
        decode_message(bytes(wire))


def test_names_over_255_octets_via_pointers_are_rejected() -> None:
    """Four questions, each a 63-octet label then a pointer to the previous name."""
    names, previous = bytearray(), 0
    for i, letter in enumerate(b"abcd"):
        start = 12 + len(names)
        names += b"\x3f" + bytes([letter]) * 63
        names += (0xC000 | previous).to_bytes(2, "big") if i else b"\x00"
        names += b"\x00\x01\x00\x01"
        previous = start
    with pytest.raises(ValueError, match="at most 255 octets on the wire, got 257"):
        decode_message(question(bytes(names[:-4]), count=4))


@pytest.mark.parametrize(
    ("data", "error", "match"),
    [
        ("abc", TypeError, "data must be bytes, got str"),
        (None, TypeError, "got NoneType"),
        (b"", ValueError, "need 12 bytes, got 0"),
        (bytes(65536), ValueError, "at most 65535 bytes, got 65536"),
        (struct.pack("!HHHHHH", 1, 0, 1, 0, 0, 0), ValueError, "truncated name"),
    ],
)
def test_decode_message_rejects_bad_input(data: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        decode_message(data)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("record", "match"),
    [
        (Record("a.example", "A", 1, "2001:db8::1"), "IPv4 address, got '2001:db8::1'"),
        (Record("a.example", "AAAA", 1, "192.0.2.1"), "IPv6 address"),
        (Record("a.example", "MX", 1, "mail.example"), "2 fields"),
        (Record("a.example", "MX", 1, "70000 mail.example"), "70000"),
        (Record("a.example", "SOA", 1, "a b 1 2 3 4"), "7 fields"),
        (Record("a.example", "TXT", 1, "unquoted"), "quoted strings"),
        (Record("a.example", "TXT", 1, '"x' + "y" * 300 + '"'), "at most 255 octets, got 301"),
        (Record("a.example", "TXT", 1, '"x' + "y" * 300), "unterminated string"),
        (Record("a.example", "A", 1, "\\# 3 c00002"), "A record data must be 4 bytes, got 3"),
        (Record("a.example", "CNAME", 1, "\\# 2 c00c"), "compression pointer at offset 0"),
        (Record("a.example", "TXT", 1, '"' + "y" * 256 + '"'), "at most 255 octets, got 256"),
        (Record("a.example", "A", -1, "192.0.2.1"), "TTL of a.example A must be in"),
        (Record("a.example", "A", 2**31, "192.0.2.1"), "2147483648"),
        (Record("a.example", "A", True, "192.0.2.1"), "must be an int, got bool"),
        (Record("a.example", "SPF", 1, "x"), "unknown record type, got 'SPF'"),
        (Record("a..example", "A", 1, "192.0.2.1"), "empty label"),
    ],
)
def test_encode_message_rejects_bad_records(record: Record, match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        encode_message(Message(id=1, answers=(record,)))


def test_encode_message_rejects_bad_header_and_oversize() -> None:
    with pytest.raises(ValueError, match="message id must be in"):
        encode_message(Message(id=70000))
    with pytest.raises(TypeError, match="aa must be a bool, got int: 2"):
        encode_message(Message(id=1, aa=2))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="qr must be a bool, got int: 2"):
        encode_message(Message(id=1, qr=2))  # type: ignore[arg-type]
    generic_a = Record("a.example", "A", 1, "\\# 4 c0000201")
    assert decode_message(encode_message(Message(id=1, answers=(generic_a,)))).answers == (
        Record("a.example", "A", 1, "192.0.2.1"),
    )
    with pytest.raises(TypeError, match="message must be a Message, got dict"):
        encode_message({"id": 1})  # type: ignore[arg-type]
    huge = tuple(Record(f"n{i}.example", "TXT", 1, '"' + "x" * 255 + '"') for i in range(260))
    with pytest.raises(ValueError, match="message must be at most 65535 bytes"):
        encode_message(Message(id=1, answers=huge))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80))
def test_random_bytes_decode_or_raise_value_error(data: bytes) -> None:
    with contextlib.suppress(ValueError):
        decode_message(data)
