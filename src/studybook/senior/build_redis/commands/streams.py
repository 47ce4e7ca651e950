"""Stream commands (Redis' ``t_stream.c``): XADD, XTRIM, XLEN, XRANGE, XREVRANGE, XDEL.

A stream is a log of entries with increasing ids (see :mod:`.stream_ids`).
``XADD *`` takes its id from the store's clock, so the AOF logs it with the id
it got, and with its trim as the length it left (``MAXLEN = n``), which replays
to the same state whatever the clock says then.
"""

from __future__ import annotations

from dataclasses import dataclass

from studybook.senior.build_redis.commands.core import (
    ERR_SYNTAX,
    CommandError,
    Context,
    get_stream,
    parse_int,
)
from studybook.senior.build_redis.commands.stream_ids import (
    encode_entry,
    parse_end,
    parse_id,
    parse_start,
    parse_xadd_id,
)
from studybook.senior.build_redis.protocol import (
    encode_array,
    encode_bulk,
    encode_integer,
    encode_null,
    encode_null_array,
)
from studybook.senior.build_redis.stream import (
    MAX_ID,
    NODE_ENTRIES,
    U64_MAX,
    Stream,
    StreamId,
    format_id,
)

__all__ = ["xadd", "xdel", "xlen", "xrange", "xrevrange", "xtrim"]

_ERR_XADD_ARITY = "ERR wrong number of arguments for 'xadd' command"

# ---------------------------------------------------------------- XADD, XTRIM


@dataclass
class _AddArgs:
    """XADD's and XTRIM's options, as Redis' ``streamAddTrimArgs``."""

    maxlen: int | None = None
    minid: StreamId | None = None
    approx: bool = False
    limit: int = 0
    nomkstream: bool = False
    entry_id: StreamId | None = None  # None: "*", an automatic id
    seq_given: bool = True
    id_pos: int = 0

    def trims(self) -> bool:
        return self.maxlen is not None or self.minid is not None


def _parse_add_or_trim(args: list[bytes], *, xadd: bool) -> _AddArgs:
    parsed = _AddArgs()
    limit_given = False
    i = 2
    while i < len(args):
        more = len(args) - 1 - i
        opt = args[i].lower()
        if xadd and args[i] == b"*":
            break
        if opt in (b"maxlen", b"minid") and more:
            if parsed.trims():
                raise CommandError(
                    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
                )
            parsed.approx = False
            if more >= 2 and args[i + 1] in (b"~", b"="):
                parsed.approx = args[i + 1] == b"~"
                i += 1
            if opt == b"maxlen":
                parsed.maxlen = parse_int(args[i + 1])
                if parsed.maxlen < 0:
                    raise CommandError("ERR The MAXLEN argument must be >= 0.")
            else:
                parsed.minid = parse_id(args[i + 1])
            i += 1
        elif opt == b"limit" and more:
            parsed.limit = parse_int(args[i + 1])
            if parsed.limit < 0:
                raise CommandError("ERR The LIMIT argument must be >= 0.")
            limit_given = True
            i += 1
        elif xadd and opt == b"nomkstream":
            parsed.nomkstream = True
        elif xadd:  # the id, or a syntax error reported as a bad id
            parsed.entry_id, parsed.seq_given = parse_xadd_id(args[i])
            break
        else:
            raise CommandError(ERR_SYNTAX)
        i += 1
    parsed.id_pos = i
    if parsed.limit and not parsed.trims():
        raise CommandError(
            "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
        )
    if not xadd and not parsed.trims():
        raise CommandError("ERR syntax error, XTRIM must be called with a trimming strategy")
    if limit_given and not parsed.approx:
        raise CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option")
    if not limit_given and parsed.approx:
        parsed.limit = 100 * NODE_ENTRIES  # Redis' default cap on one approximate trim
    return parsed


def xadd(ctx: Context, args: list[bytes]) -> bytes:
    """``XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] n [LIMIT n]] *|id field value [...]``.

    Replies with the new id, or null with NOMKSTREAM on a missing key. An
    explicit id must exceed the stream's last id (even a deleted one's);
    ``<ms>-*`` takes the next sequence within ``<ms>``; ``*`` takes the clock.
    """
    store = ctx.store
    parsed = _parse_add_or_trim(args, xadd=True)
    fields = args[parsed.id_pos + 1 :]
    if len(fields) < 2 or len(fields) % 2:
        raise CommandError(_ERR_XADD_ARITY)
    if parsed.entry_id == (0, 0) and parsed.seq_given:
        raise CommandError("ERR The ID specified in XADD must be greater than 0-0")
    stream = get_stream(store, args[1])
    if stream is None:
        if parsed.nomkstream:
            return encode_null(ctx.proto)
        stream = Stream()
        store.set(args[1], stream)
    if stream.last_id == MAX_ID:
        raise CommandError(
            "ERR The stream has exhausted the last possible ID, unable to add more items"
        )
    new_id = _new_id(stream, parsed, store.now_ms())
    stream.append(new_id, list(fields))
    store.touch(args[1])
    if parsed.trims():
        stream.trim(
            maxlen=parsed.maxlen, minid=parsed.minid, approx=parsed.approx, limit=parsed.limit
        )
    if store.record_effects:  # the id as given, and the trim as its outcome: replays exactly
        trim = [b"MAXLEN", b"=", b"%d" % len(stream)] if parsed.trims() else []
        store.effects.append([b"XADD", args[1], *trim, format_id(new_id), *fields])
    return encode_bulk(format_id(new_id))


def _new_id(stream: Stream, parsed: _AddArgs, now_ms: int) -> StreamId:
    last = stream.last_id
    if parsed.entry_id is None:
        new_id = stream.next_id(now_ms)
    elif parsed.seq_given:
        new_id = parsed.entry_id
    elif parsed.entry_id[0] == last[0]:  # <ms>-* within the last id's millisecond
        new_id = last if last[1] == U64_MAX else (last[0], last[1] + 1)  # MAX: refused below
    else:
        new_id = (parsed.entry_id[0], 0)
    if new_id <= last:
        raise CommandError(
            "ERR The ID specified in XADD is equal or smaller than the target stream top item"
        )
    return new_id


def xtrim(ctx: Context, args: list[bytes]) -> bytes:
    """``XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT n]``: how many entries were removed."""
    parsed = _parse_add_or_trim(args, xadd=False)
    stream = get_stream(ctx.store, args[1])
    if stream is None:
        return b":0\r\n"
    removed = stream.trim(
        maxlen=parsed.maxlen, minid=parsed.minid, approx=parsed.approx, limit=parsed.limit
    )
    if removed:
        ctx.store.touch(args[1])
    return encode_integer(removed)


# ---------------------------------------------------------------- reading


def xlen(ctx: Context, args: list[bytes]) -> bytes:
    """XLEN key: the number of entries (0 for a missing key)."""
    stream = get_stream(ctx.store, args[1])
    return encode_integer(0 if stream is None else len(stream))


def xrange(ctx: Context, args: list[bytes]) -> bytes:
    """XRANGE key start end [COUNT n]: entries in id order."""
    return _range(ctx, args, reverse=False)


def xrevrange(ctx: Context, args: list[bytes]) -> bytes:
    """XREVRANGE key end start [COUNT n]: entries newest first."""
    return _range(ctx, args, reverse=True)


def _range(ctx: Context, args: list[bytes], *, reverse: bool) -> bytes:
    start = parse_start(args[3] if reverse else args[2])
    end = parse_end(args[2] if reverse else args[3])
    count = -1
    j = 4
    while j < len(args):
        if args[j].lower() == b"count" and j + 1 < len(args):
            count = max(0, parse_int(args[j + 1]))
            j += 2
        else:
            raise CommandError(ERR_SYNTAX)
    stream = get_stream(ctx.store, args[1])
    if stream is None:
        return b"*0\r\n"
    if count == 0:
        return encode_null_array(ctx.proto)
    entries = stream.range(start, end, max(count, 0), reverse=reverse)
    return encode_array([encode_entry(i, f, ctx.proto) for i, f in entries])


def xdel(ctx: Context, args: list[bytes]) -> bytes:
    """XDEL key id [id ...]: how many entries were deleted; the last id stays used."""
    stream = get_stream(ctx.store, args[1])
    if stream is None:
        return b":0\r\n"
    ids = [parse_id(raw) for raw in args[2:]]  # all or nothing: parse every id first
    deleted = sum(stream.delete(entry_id) for entry_id in ids)
    if deleted:
        ctx.store.touch(args[1])
    return encode_integer(deleted)
