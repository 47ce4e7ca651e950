"""RESP parsing and encoding: split reads, inline commands, limits, round trips."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studybook.senior.build_redis.protocol import (
    MAX_INLINE_LEN,
    ProtocolError,
    RespParser,
    encode_array,
    encode_bulk,
    encode_command,
    encode_error,
    encode_integer,
    encode_simple,
    split_inline,
)


def _drain(parser: RespParser) -> list[list[bytes]]:
    out = []
    while (cmd := parser.next_command()) is not None:
        out.append(cmd)
    return out


# Arguments that take the batch fast path and ones that leave it: CRLF inside, 4 KiB and more.
ARG = st.one_of(
    st.binary(max_size=30),
    st.sampled_from([b"\r\n", b"a\r\nb", b"$3", b"*1", b"x" * 4095, b"y" * 4096]),
)
ARGS = st.lists(ARG, min_size=1, max_size=6)


@given(st.lists(ARGS, min_size=1, max_size=8), st.data())
def test_any_split_of_encoded_commands_parses_back(commands, data):
    encoded = [encode_command(*c) for c in commands]
    wire = b"".join(encoded)
    ends = [sum(map(len, encoded[: i + 1])) for i in range(len(encoded))]
    cuts = sorted(data.draw(st.lists(st.integers(0, len(wire)), max_size=6)))
    parser, got, offsets = RespParser(), [], []
    for lo, hi in zip([0, *cuts], [*cuts, len(wire)], strict=True):
        parser.feed(wire[lo:hi])
        while (cmd := parser.next_command()) is not None:
            got.append(cmd)
            offsets.append(parser.offset)  # the AOF loader relies on this after each command
    assert got == commands
    assert offsets == ends
    assert parser.buffered() == 0
    assert parser.offset == len(wire)


def test_byte_by_byte_feed_parses_pipeline_with_inline_and_empty_requests():
    wire = b"*0\r\n\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n*-1\r\n  SET  k 'v w'\n"
    parser, got = RespParser(), []
    for byte in wire:
        parser.feed(bytes([byte]))
        got += _drain(parser)
    assert got == [[b"PING"], [b"ECHO", b""], [b"SET", b"k", b"v w"]]


@pytest.mark.parametrize(
    ("wire", "message"),
    [
        (b"*x\r\n", "invalid multibulk length"),
        (b"*2\r\n$3\r\nGET\r\n:1\r\n", "expected '$', got ':'"),
        (b"*1\r\n$-5\r\n", "invalid bulk length"),
        (b"*1\r\n$536870913\r\n", "invalid bulk length"),
        (b"*1048577\r\n", "invalid multibulk length"),
        (b"*1\r\n$3\r\nGETXX", "bulk string not terminated by CRLF"),
        (b'GET "k\r\n', "unbalanced quotes in request"),
        (b'GET "k"x\r\n', "unbalanced quotes in request"),
        (b"x" * (MAX_INLINE_LEN + 1), "too big inline request"),
    ],
)
def test_malformed_requests_raise_protocol_errors(wire, message):
    parser = RespParser()
    parser.feed(wire)
    with pytest.raises(ProtocolError, match=f"^{re.escape(message)}$"):
        _drain(parser)


def test_huge_declared_length_allocates_nothing_until_bytes_arrive():
    parser = RespParser()
    parser.feed(b"*1\r\n$500000000\r\nabc")
    assert parser.next_command() is None
    assert parser.buffered() == 3  # nothing preallocated for the declared 500 MB


def test_query_buffer_limit_and_constructor_validation():
    parser = RespParser(max_query_buffer=10)
    with pytest.raises(ProtocolError, match="client query buffer limit exceeded"):
        parser.feed(b"*1\r\n$100\r\n" + b"x" * 20)
    with pytest.raises(ValueError, match="max_bulk_len must be at least 0, got -1"):
        RespParser(max_bulk_len=-1)
    with pytest.raises(ValueError, match="max_query_buffer must be at least 1, got 0"):
        RespParser(max_query_buffer=0)


def test_inline_escapes_match_redis_cli_rules():
    assert split_inline(b'SET k "a\\x41\\t\\"q\\""') == [b"SET", b"k", b'aA\t"q"']
    assert split_inline(b"SET k 'it\\'s'") == [b"SET", b"k", b"it's"]
    assert split_inline(b'ECHO ""') == [b"ECHO", b""]
    # Redis' sdssplitargs: a quote opens mid-word, and \x takes exactly two hex digits
    assert split_inline(b"ECHO a\"b c\" x'y z'") == [b"ECHO", b"ab c", b"xy z"]
    assert split_inline(b'ECHO "\\x4g\\x f\\x+f\\x41"') == [b"ECHO", b"x4gx fx+fA"]
    # \v and \f are skipped between words but do not end one
    assert split_inline(b"\x0bECHO\x0ba\x0c b") == [b"ECHO\x0ba\x0c", b"b"]
    with pytest.raises(ProtocolError, match="unbalanced quotes in request"):
        split_inline(b'ECHO a"b"c')


def test_encoders_produce_the_five_reply_types():
    assert encode_simple("OK") == b"+OK\r\n"
    assert encode_error("ERR x\r\ny") == b"-ERR x  y\r\n"
    assert encode_integer(2**63 - 1) == b":9223372036854775807\r\n"
    assert encode_bulk(b"\r\n") == b"$2\r\n\r\n\r\n"
    assert encode_array([]) == b"*0\r\n"
    with pytest.raises(ValueError, match="simple strings cannot contain CR or LF"):
        encode_simple("x\r")
