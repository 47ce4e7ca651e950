"""Reading streams (Redis' ``t_stream.c``): XREAD and XREADGROUP, with BLOCK.

``XREAD`` returns entries after an id; ``XREADGROUP`` reads through a
consumer group, either the entries the group never delivered (``>``), which
join its pending entries list, or the consumer's own pending entries (its
history, with any id). Each delivery is logged for the AOF as the ``XCLAIM``
Redis propagates for it (:func:`~.groups.log_claim`).
"""

from __future__ import annotations

from dataclasses import dataclass

from studybook.senior.build_redis.commands.core import (
    ERR_SYNTAX,
    CommandError,
    Context,
    c_text,
    get_stream,
    parse_int,
)
from studybook.senior.build_redis.commands.groups import log_claim, log_effect
from studybook.senior.build_redis.commands.stream_ids import encode_entry, incr_id, parse_id
from studybook.senior.build_redis.protocol import encode_array, encode_bulk, encode_null_array
from studybook.senior.build_redis.stream import MAX_ID, ConsumerGroup, Stream, StreamId, format_id

__all__ = ["xread", "xreadgroup"]


def xread(ctx: Context, args: list[bytes]) -> bytes:
    """XREAD [COUNT n] [BLOCK ms] STREAMS key [key ...] id [id ...]: entries after each id.

    ``$`` means "after the stream's last id". With nothing to return the reply
    is null, or, with BLOCK, the client waits (see :func:`xreadgroup`).
    """
    return _read(ctx, args, grouped=False)


def xreadgroup(ctx: Context, args: list[bytes]) -> bytes:
    """XREADGROUP GROUP g consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key [...] id [...].

    With ``>``: entries the group never delivered, each added to the group's
    pending entries list (delivery count 1) unless NOACK. With an id: the
    consumer's own pending entries after it (its history), each delivery
    count incremented; an entry deleted since shows as ``[id, null]``.

    With BLOCK and nothing to return, a connection that may block sets
    ``ctx.block_timeout`` and the server retries the command after each write,
    as for BLMOVE; ``$`` ids are pinned to the stream's last id first, so a
    retry waits for entries after the ones that existed when it blocked.
    """
    return _read(ctx, args, grouped=True)


@dataclass
class _Target:
    key: bytes
    stream: Stream | None
    group: ConsumerGroup | None
    after: StreamId | None  # None: ">" (the group's new entries)


def _read(ctx: Context, args: list[bytes], *, grouped: bool) -> bytes:
    store = ctx.store
    timeout_ms: int | None = None
    count = 0
    streams_at = 0
    group_name = consumer = b""
    group_given = noack = False
    i = 1
    while i < len(args):
        more = len(args) - i - 1
        opt = args[i].lower()
        if opt == b"block" and more:
            i += 1
            timeout_ms = _parse_block(args[i])
        elif opt == b"count" and more:
            i += 1
            count = max(0, parse_int(args[i]))
        elif opt == b"streams" and more:
            streams_at = i + 1
            if (len(args) - streams_at) % 2:
                raise CommandError(
                    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' "
                    "must be specified."
                )
            break
        elif opt == b"group" and more >= 2:
            if not grouped:
                raise CommandError(
                    "ERR The GROUP option is only supported by XREADGROUP. "
                    "You called XREAD instead."
                )
            group_name, consumer = args[i + 1], args[i + 2]
            group_given = True
            i += 2
        elif opt == b"noack":
            if not grouped:
                raise CommandError(
                    "ERR The NOACK option is only supported by XREADGROUP. "
                    "You called XREAD instead."
                )
            noack = True
        else:
            raise CommandError(ERR_SYNTAX)
        i += 1
    if not streams_at:
        raise CommandError(ERR_SYNTAX)
    if grouped and not group_given:
        raise CommandError("ERR Missing GROUP option for XREADGROUP")
    half = (len(args) - streams_at) // 2
    targets: list[_Target] = []
    pinned: dict[int, bytes] = {}
    for n in range(half):
        key, raw = args[streams_at + n], args[streams_at + half + n]
        if ctx.waiting:
            stream = _waited_stream(ctx, key, grouped, group_name)
        else:
            stream = get_stream(store, key)
        group = None
        if grouped:
            group = stream.groups.get(group_name) if stream is not None else None
            if group is None:
                raise CommandError(
                    f"NOGROUP No such key '{c_text(key)}' or consumer group '{c_text(group_name)}' "
                    "in XREADGROUP with GROUP option"
                )
        after: StreamId | None
        if raw == b"$":
            if grouped:
                raise CommandError(
                    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read "
                    "the history of this consumer by specifying a proper ID, or use the > ID to "
                    "get new messages. The $ ID would just return an empty result set."
                )
            after = stream.last_id if stream is not None else (0, 0)
            pinned[streams_at + half + n] = format_id(after)
        elif raw == b">":
            if not grouped:
                raise CommandError(
                    "ERR The > ID can be specified only when calling XREADGROUP using the "
                    "GROUP <group> <consumer> option."
                )
            after = None
        else:
            after = parse_id(raw)
            if grouped and after == MAX_ID:  # Redis' own marker for ">"
                after = None
        targets.append(_Target(key, stream, group, after))
    replies = [
        reply
        for target in targets
        if (reply := _serve(ctx, target, consumer, count, noack, group_name)) is not None
    ]
    if replies:
        if ctx.proto == 3:
            return b"%%%d\r\n" % len(replies) + b"".join(replies)
        return encode_array(replies)
    if timeout_ms is not None and (ctx.can_block or ctx.waiting):
        for position, pinned_id in pinned.items():
            args[position] = pinned_id  # the server retries this very argument list
        ctx.block_timeout = timeout_ms / 1000
        return b""
    return encode_null_array(ctx.proto)


def _waited_stream(ctx: Context, key: bytes, grouped: bool, group_name: bytes) -> Stream | None:
    """The stream a parked client retries on, as Redis 7.0 wakes it.

    A plain XREAD goes on waiting if the key was deleted or now holds another
    type; an XREADGROUP fails, with the errors Redis 7.0 gives when it
    unblocks such a client.
    """
    value = ctx.store.get(key)
    stream = value if isinstance(value, Stream) else None
    if grouped and stream is None:
        raise CommandError("UNBLOCKED the stream key no longer exists")
    if grouped and stream is not None and group_name not in stream.groups:
        raise CommandError("NOGROUP the consumer group this client was blocked on no longer exists")
    return stream


def _parse_block(raw: bytes) -> int:
    """BLOCK's milliseconds (Redis 7.0 accepts any non-negative 64-bit count)."""
    timeout = parse_int(raw, "ERR timeout is not an integer or out of range")
    if timeout < 0:
        raise CommandError("ERR timeout is negative")
    return timeout


def _serve(
    ctx: Context, target: _Target, consumer: bytes, count: int, noack: bool, group_name: bytes
) -> bytes | None:
    """One stream's ``[key, entries]`` (RESP3: the map's key and value), or None to skip it."""
    stream, group, after = target.stream, target.group, target.after
    if stream is None:
        return None
    if group is None:
        if after is None or stream.last_entry_id() <= after:
            return None
        entries = stream.range(incr_id(after) or MAX_ID, MAX_ID, count)
        body = encode_array([encode_entry(i, f, ctx.proto) for i, f in entries])
        return _stream_reply(target.key, body, ctx.proto)
    store = ctx.store
    if after is None and (not len(stream) or stream.last_entry_id() <= group.last_id):
        return None
    if group.add_consumer(consumer):
        log_effect(store, [b"XGROUP", b"CREATECONSUMER", target.key, group_name, consumer])
    now = store.now_ms()
    items: list[bytes] = []
    if after is None:
        for entry_id, fields in stream.range(incr_id(group.last_id) or MAX_ID, MAX_ID, count):
            group.last_id = entry_id
            items.append(encode_entry(entry_id, fields, ctx.proto))
            if not noack:
                group.deliver(entry_id, consumer, now)
                log_claim(store, target.key, group_name, group, entry_id, group.pel[entry_id])
        if noack and items:
            log_effect(
                store, [b"XGROUP", b"SETID", target.key, group_name, format_id(group.last_id)]
            )
    else:
        start = incr_id(after)
        ids = [] if start is None else group.pending_ids(start, MAX_ID, consumer)
        for entry_id in ids[:count] if count else ids:
            found = stream.get(entry_id)
            items.append(encode_entry(entry_id, found, ctx.proto))
            if found is not None:
                nack = group.pel[entry_id]
                nack.delivery_time = now
                nack.delivery_count += 1
                log_claim(store, target.key, group_name, group, entry_id, nack)
    store.touch(target.key)
    return _stream_reply(target.key, encode_array(items), ctx.proto)


def _stream_reply(key: bytes, body: bytes, proto: int) -> bytes:
    return encode_bulk(key) + body if proto == 3 else encode_array([encode_bulk(key), body])
