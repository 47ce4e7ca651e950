"""The UDP server: its reply logic, then the real thing on loopback against dig and dnspython."""

from __future__ import annotations

import re
import socket
import struct
import subprocess

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.resolver
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybook.networking.dns import (
    DnsServer,
    Message,
    Question,
    Record,
    answer_query,
    decode_message,
    encode_message,
    encode_query,
    example_internet,
)

ZONES = example_internet()["192.0.2.53"]


def reply_to(datagram: bytes) -> Message:
    wire = answer_query(ZONES, datagram)
    assert wire is not None
    return decode_message(wire)


def with_edns(query: bytes, size: int) -> bytes:
    message = decode_message(query)
    opt = Record(".", "OPT", 0, "\\# 0", size)
    return encode_message(
        Message(id=message.id, rd=True, questions=message.questions, additional=(opt,))
    )


# --- the reply logic, no sockets --------------------------------------------------


def test_tc_bit_above_512_bytes_without_edns() -> None:
    reply = reply_to(encode_query("big.example.com", query_id=5))
    assert (reply.id, reply.tc, reply.aa, reply.answers) == (5, True, True, ())
    assert reply.questions == (Question("big.example.com", "A"),)
    small = reply_to(encode_query("www.example.com"))
    assert not small.tc
    assert len(small.answers) == 2


@pytest.mark.parametrize(
    ("size", "truncated"), [(512, True), (600, True), (1232, False), (4096, False)]
)
def test_edns_buffer_size_decides_truncation(size: int, truncated: bool) -> None:
    reply = reply_to(with_edns(encode_query("big.example.com"), size))
    assert reply.tc is truncated
    assert len(reply.answers) == (0 if truncated else 40)
    (opt,) = reply.additional  # RFC 6891 §7: an OPT in the request gets one in the reply
    assert (opt.type, opt.rclass) == ("OPT", 1232)


def test_server_caps_the_edns_size_at_its_own_max_udp() -> None:
    wire = answer_query(ZONES, with_edns(encode_query("big.example.com"), 4096), max_udp=600)
    assert wire is not None
    assert decode_message(wire).tc
    assert len(wire) <= 600


@pytest.mark.parametrize(
    ("datagram", "rcode"),
    [
        (struct.pack("!HHHHHH", 77, 0, 1, 0, 0, 0) + b"\x01", "FORMERR"),  # truncated question
        (
            struct.pack("!HHHHHH", 77, 0, 1, 0, 0, 0) + b"\xc0\x0c\x00\x01\x00\x01",
            "FORMERR",
        ),  # loop
        (struct.pack("!HHHHHH", 77, 0, 0, 0, 0, 0), "FORMERR"),  # no question
        (struct.pack("!HHHHHH", 77, 2 << 11, 0, 0, 0, 0), "NOTIMP"),  # opcode 2, STATUS
        (
            encode_query("www.example.org")[:0] + b"\x00\x4d" + encode_query("www.example.org")[2:],
            "REFUSED",
        ),
    ],
)
def test_bad_requests_get_an_error_with_their_id(datagram: bytes, rcode: str) -> None:
    reply = reply_to(datagram)
    assert (reply.id, reply.qr, reply.rcode_name) == (77, True, rcode)


def test_short_datagrams_and_responses_are_dropped() -> None:
    assert answer_query(ZONES, b"") is None
    assert answer_query(ZONES, bytes(11)) is None
    response = encode_message(Message(id=1, qr=True, questions=(Question("www.example.com", "A"),)))
    assert answer_query(ZONES, response) is None  # never answer an answer: no loops


def test_unknown_query_types_get_nodata() -> None:
    query = bytearray(encode_query("www.example.com"))
    query[-4:-2] = (65).to_bytes(2, "big")  # HTTPS, a type this server does not hold
    reply = reply_to(bytes(query))
    assert (reply.rcode_name, reply.questions[0].type) == ("NOERROR", "TYPE65")
    assert [r.type for r in reply.answers] == ["CNAME"]


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=0, max_size=64))
def test_answer_query_never_raises_on_garbage(datagram: bytes) -> None:
    wire = answer_query(ZONES, datagram)
    if wire is not None:
        assert decode_message(wire).qr


def test_answer_query_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match="datagram must be bytes, got str"):
        answer_query(ZONES, "query")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"max_udp must be in \[512, 65535\], got 100"):
        answer_query(ZONES, encode_query("www.example.com"), max_udp=100)
    with pytest.raises(TypeError, match="max_udp must be an int, got float: nan"):
        answer_query(ZONES, encode_query("www.example.com"), max_udp=float("nan"))  # type: ignore[arg-type]


def test_server_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="zones must be a non-empty sequence of Zone"):
        DnsServer([])
    with pytest.raises(ValueError, match=r"port must be in \[0, 65535\], got 70000"):
        DnsServer(ZONES, port=70000)
    with pytest.raises(TypeError, match="port must be an int, got bool"):
        DnsServer(ZONES, port=True)
    with pytest.raises(ValueError, match="max_udp must be in \\[512, 65535\\], got 100"):
        DnsServer(ZONES, max_udp=100)


# --- a real server on loopback ----------------------------------------------------


def ask(port: int, datagram: bytes) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2.0)
        sock.sendto(datagram, ("127.0.0.1", port))
        data, _ = sock.recvfrom(65535)
    return data


def test_dnspython_query_and_resolver(server: DnsServer) -> None:
    query = dns.message.make_query("www.example.com", "A")
    response = dns.query.udp(query, "127.0.0.1", port=server.port, timeout=2)
    assert response.flags & dns.flags.AA
    assert response.rcode() == dns.rcode.NOERROR
    assert [rrset.to_text() for rrset in response.answer] == [
        "www.example.com. 300 IN CNAME web.example.com.",
        "web.example.com. 60 IN A 192.0.2.10",
    ]
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = server.port
    resolver.lifetime = 5
    answer = resolver.resolve("www.example.com", "A")
    assert answer.canonical_name.to_text() == "web.example.com."
    assert [rdata.address for rdata in answer] == ["192.0.2.10"]
    assert [rdata.to_text() for rdata in resolver.resolve("example.com", "MX")] == [
        "10 mail.example.com."
    ]
    with pytest.raises(dns.resolver.NXDOMAIN):
        resolver.resolve("nope.example.com", "A")
    big = dns.message.make_query("big.example.com", "A")
    truncated = dns.query.udp(big, "127.0.0.1", port=server.port, timeout=2)
    assert truncated.flags & dns.flags.TC
    assert not truncated.answer
    with pytest.raises(dns.message.Truncated):
        dns.query.udp(big, "127.0.0.1", port=server.port, timeout=2, raise_on_truncation=True)


def test_garbage_does_not_stop_the_server(server: DnsServer) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for junk in (b"", b"\xff" * 3, b"\x00" * 12, bytes(range(256)), b"\x12\x34" + b"\xc0" * 40):
            sock.sendto(junk, ("127.0.0.1", server.port))
    formerr = decode_message(ask(server.port, b"\x12\x34\x00\x00\x00\x01" + bytes(6) + b"\x05ab"))
    assert (formerr.id, formerr.rcode_name) == (0x1234, "FORMERR")
    reply = decode_message(ask(server.port, encode_query("web.example.com", query_id=99)))
    assert (reply.id, reply.answers[0].data) == (99, "192.0.2.10")
    assert server.dropped >= 2
    assert server.handled >= 2


def run_dig(path: str, port: int, *args: str) -> str:
    result = subprocess.run(
        [path, "@127.0.0.1", "-p", str(port), "+tries=1", "+time=2", *args],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    return result.stdout


def header(output: str) -> tuple[str, set[str], int]:
    status = re.search(r"status: (\w+)", output)
    flags = re.search(r"flags: ([a-z ]+);", output)
    answers = re.search(r"ANSWER: (\d+)", output)
    assert status, output
    assert flags, output
    assert answers, output
    return status.group(1), set(flags.group(1).split()), int(answers.group(1))


def test_dig_follows_the_cname_chain(server: DnsServer, dig: str) -> None:
    assert dig_short(dig, server.port, "www.example.com") == ["web.example.com.", "192.0.2.10"]
    assert dig_short(dig, server.port, "web.example.com", "AAAA") == ["2001:db8::10"]
    assert dig_short(dig, server.port, "example.com", "TXT") == ['"v=spf1 mx -all"']
    status, flags, answers = header(run_dig(dig, server.port, "www.example.com"))
    assert (status, answers) == ("NOERROR", 2)
    assert {"qr", "aa"} <= flags


def dig_short(path: str, port: int, *args: str) -> list[str]:
    return run_dig(path, port, "+short", *args).split("\n")[:-1]


def test_dig_sees_nxdomain_with_the_soa(server: DnsServer, dig: str) -> None:
    output = run_dig(dig, server.port, "nope.example.com", "MX")
    assert header(output) == ("NXDOMAIN", {"qr", "aa", "rd"}, 0)
    assert re.search(r"example\.com\.\s+300\s+IN\s+SOA\s+ns1\.example\.com\.", output)


def test_dig_sees_tc_without_edns_and_the_full_answer_with_it(server: DnsServer, dig: str) -> None:
    status, flags, answers = header(
        run_dig(dig, server.port, "+noedns", "+ignore", "big.example.com")
    )
    assert (status, answers) == ("NOERROR", 0)
    assert "tc" in flags
    status, flags, answers = header(run_dig(dig, server.port, "+bufsize=1232", "big.example.com"))
    assert (status, answers) == ("NOERROR", 40)
    assert "tc" not in flags
