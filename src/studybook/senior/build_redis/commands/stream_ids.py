"""Stream ids as commands take and give them (Redis' ``streamGenericParseIDOrReply``).

An id is ``<ms>-<seq>``, two unsigned 64-bit numbers; ``<ms>`` alone means
sequence 0 (or the largest sequence at the end of a range), ``-`` and ``+`` the
smallest and largest ids, and ``(`` before an id excludes it from a range
(Redis 6.2+). Numbers are read as Redis' ``string2ull`` reads them, which is
laxer than ``INCR``'s integers: ``012`` and ``+12`` are accepted.
"""

from __future__ import annotations

import re

from studybook.senior.build_redis.commands.core import CommandError, parse_int
from studybook.senior.build_redis.protocol import encode_array, encode_bulk, encode_null_array
from studybook.senior.build_redis.stream import MAX_ID, U64_MAX, StreamId, format_id

__all__ = [
    "ERR_BAD_ID",
    "decr_id",
    "encode_entry",
    "incr_id",
    "parse_end",
    "parse_id",
    "parse_start",
    "parse_xadd_id",
]

ERR_BAD_ID = "ERR Invalid stream ID specified as stream command argument"


def parse_id(raw: bytes, *, missing_seq: int = 0, strict: bool = True) -> StreamId:
    """Parse a stream id; ``strict`` refuses ``-`` and ``+``.

    Complexity: O(len(raw)).

    >>> parse_id(b"5-3"), parse_id(b"5"), parse_id(b"5", missing_seq=9)
    ((5, 3), (5, 0), (5, 9))
    >>> parse_id(b"-", strict=False), parse_id(b"+12"), parse_id(b"012-1")
    ((0, 0), (12, 0), (12, 1))
    >>> try:
    ...     parse_id(b"5-x")
    ... except CommandError as exc:
    ...     print(exc)
    ERR Invalid stream ID specified as stream command argument
    """
    entry_id, _ = _parse_id(raw, missing_seq, strict=strict, seq_star=False)
    return entry_id


def parse_xadd_id(raw: bytes) -> tuple[StreamId, bool]:
    """XADD's explicit id: (id, whether the sequence was given); ``<ms>-*`` leaves it open.

    Complexity: O(len(raw)).

    >>> parse_xadd_id(b"7-*"), parse_xadd_id(b"7")
    (((7, 0), False), ((7, 0), True))
    """
    return _parse_id(raw, 0, strict=True, seq_star=True)


def _parse_id(
    raw: bytes, missing_seq: int, *, strict: bool, seq_star: bool
) -> tuple[StreamId, bool]:
    """(id, whether the sequence was given); ``seq_star`` accepts XADD's ``<ms>-*``."""
    if len(raw) > 127:  # Redis copies the id into a 128-byte buffer first
        raise CommandError(ERR_BAD_ID)
    text = raw.partition(b"\0")[0]  # C string functions stop at a NUL
    if text in (b"-", b"+"):
        if strict:
            raise CommandError(ERR_BAD_ID)
        return ((0, 0) if text == b"-" else MAX_ID), True
    ms_text, dash, seq_text = text.partition(b"-")
    ms = _string2ull(ms_text)
    if dash and seq_star and seq_text == b"*":
        return (ms, 0), False
    seq = _string2ull(seq_text) if dash else missing_seq
    return (ms, seq), True


_STRTOULL = re.compile(rb"[ \t\n\v\f\r]*([+-]?)([0-9]+)")


def _string2ull(text: bytes) -> int:
    """Redis' ``string2ull``: a strict signed parse first, then C's ``strtoull``.

    So ``012`` and ``+12`` pass (``strtoull`` takes them), ``-1`` fails (the
    strict parse reads it and it is negative) and values past 2**64 - 1 fail.
    """
    try:
        value = parse_int(text)
    except CommandError:
        pass
    else:
        if value < 0:
            raise CommandError(ERR_BAD_ID)
        return value
    match = _STRTOULL.fullmatch(text)
    if match is None or int(match.group(2)) > U64_MAX:
        raise CommandError(ERR_BAD_ID)
    value = int(match.group(2))
    return (-value) % 2**64 if match.group(1) == b"-" else value  # strtoull wraps a minus


def incr_id(entry_id: StreamId) -> StreamId | None:
    """The id right after ``entry_id``, None past the largest. O(1)."""
    ms, seq = entry_id
    if seq < U64_MAX:
        return (ms, seq + 1)
    return (ms + 1, 0) if ms < U64_MAX else None


def decr_id(entry_id: StreamId) -> StreamId | None:
    """The id right before ``entry_id``, None before 0-0. O(1)."""
    ms, seq = entry_id
    if seq > 0:
        return (ms, seq - 1)
    return (ms - 1, U64_MAX) if ms > 0 else None


def parse_start(raw: bytes) -> StreamId:
    """A range's start: ``-``, an id (missing sequence = 0), or ``(id`` exclusive.

    >>> parse_start(b"(5-1"), parse_start(b"5")
    ((5, 2), (5, 0))
    """
    exclusive = len(raw) > 1 and raw[:1] == b"("
    start = parse_id(raw[1:] if exclusive else raw, strict=exclusive)
    if exclusive:
        following = incr_id(start)
        if following is None:
            raise CommandError("ERR invalid start ID for the interval")
        start = following
    return start


def parse_end(raw: bytes) -> StreamId:
    """A range's end: ``+``, an id (missing sequence = the largest), or ``(id`` exclusive.

    >>> parse_end(b"(5-1"), parse_end(b"5") == (5, 2**64 - 1)
    ((5, 0), True)
    """
    exclusive = len(raw) > 1 and raw[:1] == b"("
    end = parse_id(raw[1:] if exclusive else raw, missing_seq=U64_MAX, strict=exclusive)
    if exclusive:
        preceding = decr_id(end)
        if preceding is None:
            raise CommandError("ERR invalid end ID for the interval")
        end = preceding
    return end


def encode_entry(entry_id: StreamId, fields: list[bytes] | None, proto: int) -> bytes:
    """One entry as ``[id, [field, value, ...]]``; a deleted one as ``[id, null]``.

    >>> encode_entry((1, 0), [b"f", b"v"], 2)
    b'*2\\r\\n$3\\r\\n1-0\\r\\n*2\\r\\n$1\\r\\nf\\r\\n$1\\r\\nv\\r\\n'
    """
    if fields is None:
        body = encode_null_array(proto)
    else:
        body = encode_array([encode_bulk(f) for f in fields])
    return encode_array([encode_bulk(format_id(entry_id)), body])
