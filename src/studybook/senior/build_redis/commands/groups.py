"""Consumer-group commands (Redis' ``t_stream.c``): XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.

A group hands each entry to one consumer (``XREADGROUP ... >``, in
:mod:`.stream_reads`) and keeps it in its pending entries list (PEL) until
``XACK``. A consumer that dies leaves its entries pending; ``XPENDING`` shows
how long each has been idle and how often it was delivered, and ``XCLAIM`` or
``XAUTOCLAIM`` (Redis 6.2+; its third reply element, the ids of pending
entries deleted from the stream, is Redis 7's) hands the idle ones to a live
consumer. Idle times come from the store's clock, so tests can fake it.
"""

from __future__ import annotations

from studybook.senior.build_redis.commands.core import (
    ERR_SYNTAX,
    INT64_MAX,
    CommandError,
    Context,
    c_text,
    get_stream,
    parse_int,
)
from studybook.senior.build_redis.commands.stream_ids import (
    encode_entry,
    parse_end,
    parse_id,
    parse_start,
)
from studybook.senior.build_redis.protocol import (
    OK,
    encode_array,
    encode_bulk,
    encode_integer,
    encode_null,
    encode_null_array,
)
from studybook.senior.build_redis.store import Store
from studybook.senior.build_redis.stream import (
    MAX_ID,
    ConsumerGroup,
    PendingEntry,
    Stream,
    StreamId,
    format_id,
)

__all__ = ["log_claim", "log_effect", "xack", "xautoclaim", "xclaim", "xgroup", "xpending"]

_SUBCOMMANDS = {b"create": -5, b"setid": -5, b"destroy": 4, b"createconsumer": 5, b"delconsumer": 5}
"""XGROUP's subcommands and their arities (counting ``XGROUP`` itself), as Redis 7's table."""


def _no_group(key: bytes, group: bytes) -> CommandError:
    return CommandError(f"NOGROUP No such key '{c_text(key)}' or consumer group '{c_text(group)}'")


def _find_group(ctx: Context, key: bytes, name: bytes) -> tuple[Stream, ConsumerGroup]:
    stream = get_stream(ctx.store, key)
    group = None if stream is None else stream.groups.get(name)
    if stream is None or group is None:
        raise _no_group(key, name)
    return stream, group


def xgroup(ctx: Context, args: list[bytes]) -> bytes:
    """XGROUP CREATE, SETID, DESTROY, CREATECONSUMER or DELCONSUMER ``key group [...]``.

    ``CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]`` starts a group after
    ``id`` (``$``: after the last entry, so only new ones; ``0``: everything);
    ``SETID`` moves it; ``DESTROY`` drops it with its PEL (1 or 0).
    ``ENTRIESREAD`` (Redis 7's lag counter) is checked and ignored.
    """
    store = ctx.store
    sub = args[1].lower()
    arity = _SUBCOMMANDS.get(sub)
    if arity is None:
        raise CommandError(f"ERR unknown subcommand '{c_text(args[1][:128])}'. Try XGROUP HELP.")
    if (len(args) != arity) if arity > 0 else (len(args) < -arity):
        raise CommandError(f"ERR wrong number of arguments for 'xgroup|{sub.decode()}' command")
    key, name = args[2], args[3]
    mkstream = False
    if sub in (b"create", b"setid"):
        i = 5
        while i < len(args):
            opt = args[i].lower()
            if sub == b"create" and opt == b"mkstream":
                mkstream = True
                i += 1
            elif opt == b"entriesread" and i + 1 < len(args):
                if parse_int(args[i + 1]) < -1:
                    raise CommandError("ERR value for ENTRIESREAD must be positive or -1")
                i += 2
            else:
                raise _subcommand_syntax(args[1])
    stream = get_stream(store, key)
    if stream is None and not mkstream:
        raise CommandError(
            "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
            "want to use the MKSTREAM option to create an empty stream automatically."
        )
    group = None if stream is None else stream.groups.get(name)
    if group is None and sub in (b"setid", b"createconsumer", b"delconsumer"):
        raise CommandError(
            f"NOGROUP No such consumer group '{c_text(name)}' for key name '{c_text(key)}'"
        )
    if sub == b"create" and len(args) <= 8:
        start = _group_start(stream, args[4])
        if stream is None:
            stream = Stream()
            store.set(key, stream)
        if name in stream.groups:
            raise CommandError("BUSYGROUP Consumer Group name already exists")
        stream.groups[name] = ConsumerGroup(last_id=start)
        store.touch(key)
        return OK
    if sub == b"setid" and group is not None and len(args) in (5, 7):
        group.last_id = _group_start(stream, args[4])
        store.touch(key)
        return OK
    if sub == b"destroy" and stream is not None:
        if group is None:
            return b":0\r\n"
        del stream.groups[name]
        store.touch(key)
        return b":1\r\n"
    if sub == b"createconsumer" and group is not None:
        created = group.add_consumer(args[4])
        if created:
            store.touch(key)
        return encode_integer(created)
    if sub == b"delconsumer" and group is not None:
        if args[4] not in group.consumers:
            return b":0\r\n"
        store.touch(key)
        return encode_integer(group.delete_consumer(args[4]))
    raise _subcommand_syntax(args[1])


def _subcommand_syntax(sub: bytes) -> CommandError:
    return CommandError(
        f"ERR unknown subcommand or wrong number of arguments for '{c_text(sub[:128])}'. "
        "Try XGROUP HELP."
    )


def _group_start(stream: Stream | None, raw: bytes) -> StreamId:
    if raw == b"$":
        return (0, 0) if stream is None else stream.last_id
    return parse_id(raw)


def xack(ctx: Context, args: list[bytes]) -> bytes:
    """XACK key group id [id ...]: how many of the ids were pending (now acknowledged).

    A missing key or group acknowledges nothing (0, not an error); ids are all
    parsed before any is acknowledged.
    """
    stream = get_stream(ctx.store, args[1])
    group = None if stream is None else stream.groups.get(args[2])
    if group is None:
        return b":0\r\n"
    ids = [parse_id(raw) for raw in args[3:]]
    acked = sum(group.ack(entry_id) for entry_id in ids)
    if acked:
        ctx.store.touch(args[1])
    return encode_integer(acked)


def xpending(ctx: Context, args: list[bytes]) -> bytes:
    """XPENDING key group [[IDLE ms] start end count [consumer]].

    The summary form replies ``[count, smallest id, largest id, [[consumer,
    count], ...]]`` (consumers by name, counts as strings, as Redis); the
    extended form one ``[id, consumer, idle ms, delivery count]`` per entry.
    """
    if len(args) != 3 and not 6 <= len(args) <= 9:
        raise CommandError(ERR_SYNTAX)
    min_idle = 0
    count = 0
    start, end = (0, 0), MAX_ID
    consumer: bytes | None = None
    if len(args) >= 6:
        at = 3
        if args[3].lower() == b"idle":
            min_idle = parse_int(args[4])
            if len(args) < 8:
                raise CommandError(ERR_SYNTAX)
            at = 5
        count = max(0, parse_int(args[at + 2]))
        start, end = parse_start(args[at]), parse_end(args[at + 1])
        if at + 3 < len(args):
            consumer = args[at + 3]
    _, group = _find_group(ctx, args[1], args[2])
    proto = ctx.proto
    if len(args) == 3:
        if not group.pel:
            null = encode_null(proto)
            return encode_array([b":0\r\n", null, null, encode_null_array(proto)])
        ids = group.pending_ids((0, 0), MAX_ID)
        owners = [
            encode_array([encode_bulk(name), encode_bulk(b"%d" % len(owned))])
            for name, owned in sorted(group.consumers.items())
            if owned
        ]
        return encode_array(
            [
                encode_integer(len(ids)),
                encode_bulk(format_id(ids[0])),
                encode_bulk(format_id(ids[-1])),
                encode_array(owners),
            ]
        )
    if consumer is not None and consumer not in group.consumers:
        return b"*0\r\n"
    now = ctx.store.now_ms()
    rows: list[bytes] = []
    for entry_id in group.pending_ids(start, end, consumer):
        if len(rows) >= count:
            break
        nack = group.pel[entry_id]
        idle = max(0, now - nack.delivery_time)
        if min_idle and idle < min_idle:
            continue
        rows.append(
            encode_array(
                [
                    encode_bulk(format_id(entry_id)),
                    encode_bulk(nack.consumer),
                    encode_integer(idle),
                    encode_integer(nack.delivery_count),
                ]
            )
        )
    return encode_array(rows)


def xclaim(ctx: Context, args: list[bytes]) -> bytes:
    """XCLAIM key group consumer min-idle id [id ...] [options]: hand pending entries over.

    Options: IDLE ms, TIME ms, RETRYCOUNT n, FORCE, JUSTID, LASTID id.

    Moves each pending id idle at least ``min-idle`` ms to ``consumer``,
    resetting its idle time and incrementing its delivery count (unless
    JUSTID); FORCE creates a PEL entry for an existing entry nobody holds.
    A pending id whose entry was deleted is dropped from the PEL.
    """
    store = ctx.store
    stream, group = _find_group(ctx, args[1], args[2])
    min_idle = max(0, parse_int(args[4], "ERR Invalid min-idle-time argument for XCLAIM"))
    ids: list[StreamId] = []
    j = 5
    while j < len(args):
        try:
            ids.append(parse_id(args[j]))
        except CommandError:
            break
        j += 1
    now = store.now_ms()
    delivery_time: int | None = None
    retry_count = -1
    force = justid = False
    last_id = (0, 0)
    while j < len(args):
        more = len(args) - 1 - j
        opt = args[j].lower()
        if opt == b"force":
            force = True
        elif opt == b"justid":
            justid = True
        elif opt == b"idle" and more:
            j += 1
            delivery_time = now - parse_int(args[j], "ERR Invalid IDLE option argument for XCLAIM")
        elif opt == b"time" and more:
            j += 1
            delivery_time = parse_int(args[j], "ERR Invalid TIME option argument for XCLAIM")
        elif opt == b"retrycount" and more:
            j += 1
            retry_count = parse_int(args[j], "ERR Invalid RETRYCOUNT option argument for XCLAIM")
        elif opt == b"lastid" and more:
            j += 1
            last_id = parse_id(args[j])
        else:
            raise CommandError(f"ERR Unrecognized XCLAIM option '{c_text(args[j])}'")
        j += 1
    moved_last_id = last_id > group.last_id
    if moved_last_id:
        group.last_id = last_id
    if delivery_time is None or not 0 <= delivery_time <= now:
        delivery_time = now  # Redis' choice for a bogus time: a client's clock may be ahead
    name, key, group_name = args[3], args[1], args[2]
    claimed: list[bytes] = []
    logged = False
    for entry_id in ids:
        nack = group.pel.get(entry_id)
        fields = stream.get(entry_id)
        if fields is None:
            if nack is not None:  # pending, but deleted from the stream: forget it
                log_claim(store, key, group_name, group, entry_id, nack)
                group.ack(entry_id)
                logged = True
            continue
        if nack is None:
            if not force:
                continue
            group.deliver(entry_id, name, now)
            nack = group.pel[entry_id]
        elif min_idle and now - nack.delivery_time < min_idle:
            continue
        else:
            group.claim(entry_id, name)
        nack.delivery_time = delivery_time
        if retry_count >= 0:
            nack.delivery_count = retry_count
        elif not justid:
            nack.delivery_count += 1
        claimed.append(_claimed(entry_id, fields, justid, ctx.proto))
        log_claim(store, key, group_name, group, entry_id, nack)
        logged = True
    if moved_last_id and not logged and store.record_effects:
        store.effects.append([b"XGROUP", b"SETID", key, group_name, format_id(group.last_id)])
    if moved_last_id or logged:
        store.touch(key)
    return encode_array(claimed)


def _claimed(entry_id: StreamId, fields: list[bytes], justid: bool, proto: int) -> bytes:
    return encode_bulk(format_id(entry_id)) if justid else encode_entry(entry_id, fields, proto)


_ATTEMPTS_FACTOR = 10
"""XAUTOCLAIM looks at most COUNT x 10 PEL entries per call (Redis' ``attempts_factor``)."""


def xautoclaim(ctx: Context, args: list[bytes]) -> bytes:
    """XAUTOCLAIM key group consumer min-idle start [COUNT n] [JUSTID].

    Scans the PEL from ``start`` and claims up to ``n`` (default 100) entries
    idle at least ``min-idle`` ms. Replies ``[next start, claimed entries,
    deleted ids]``: the cursor is ``0-0`` when the scan reached the end, and
    the ids are pending entries found deleted from the stream (now dropped).
    """
    store = ctx.store
    min_idle = max(0, parse_int(args[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM"))
    start = parse_start(args[5])
    count = 100
    justid = False
    j = 6
    while j < len(args):
        opt = args[j].lower()
        if opt == b"count" and j + 1 < len(args):
            count = parse_int(args[j + 1], "ERR COUNT must be > 0")
            if not 1 <= count <= INT64_MAX // 16:
                raise CommandError("ERR COUNT must be > 0")
            j += 1
        elif opt == b"justid":
            justid = True
        else:
            raise CommandError(ERR_SYNTAX)
        j += 1
    stream, group = _find_group(ctx, args[1], args[2])
    key, group_name, name = args[1], args[2], args[3]
    now = store.now_ms()
    attempts = count * _ATTEMPTS_FACTOR
    scan = group.pending_ids(start, MAX_ID)
    claimed: list[bytes] = []
    deleted: list[bytes] = []
    at = 0
    while attempts > 0 and count > 0 and at < len(scan):
        attempts -= 1
        entry_id = scan[at]
        at += 1
        nack = group.pel[entry_id]
        fields = stream.get(entry_id)
        if fields is None:
            log_claim(store, key, group_name, group, entry_id, nack)
            group.ack(entry_id)
            deleted.append(encode_bulk(format_id(entry_id)))
            count -= 1
            continue
        if min_idle and now - nack.delivery_time < min_idle:
            continue
        group.claim(entry_id, name)
        nack.delivery_time = now
        if not justid:
            nack.delivery_count += 1
        claimed.append(_claimed(entry_id, fields, justid, ctx.proto))
        count -= 1
        log_claim(store, key, group_name, group, entry_id, nack)
    if claimed or deleted:
        store.touch(key)
    cursor = scan[at] if at < len(scan) else (0, 0)
    return encode_array(
        [encode_bulk(format_id(cursor)), encode_array(claimed), encode_array(deleted)]
    )


def log_effect(store: Store, command: list[bytes]) -> None:
    """Append ``command`` to the AOF effects if the store records them. O(1)."""
    if store.record_effects:
        store.effects.append(command)


def log_claim(
    store: Store,
    key: bytes,
    group_name: bytes,
    group: ConsumerGroup,
    entry_id: StreamId,
    nack: PendingEntry,
) -> None:
    """Log a pending entry's state as the XCLAIM Redis propagates (``streamPropagateXCLAIM``).

    Replaying it recreates the entry in the PEL with the same owner, delivery
    time and count, and moves the group's last id, whatever the replay's clock.
    Complexity: O(1).
    """
    log_effect(
        store,
        [
            b"XCLAIM",
            key,
            group_name,
            nack.consumer,
            b"0",
            format_id(entry_id),
            b"TIME",
            b"%d" % nack.delivery_time,
            b"RETRYCOUNT",
            b"%d" % nack.delivery_count,
            b"FORCE",
            b"JUSTID",
            b"LASTID",
            format_id(group.last_id),
        ],
    )
