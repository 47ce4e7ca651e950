"""MiniRedis and a message queue: a RESP2/RESP3 server that real Redis clients and tools use.

Interviewers ask candidates to "build Redis" or "design a message queue" because
the answer touches everything at once: a wire protocol, an event loop serving
many clients, data-structure choices, expiry, eviction, atomicity without
locks, durability (what is on disk when the server dies) and delivery
guarantees. This package is a working answer, checked reply for reply against
a real ``redis-server``:

- :mod:`~studybook.senior.build_redis.protocol`: RESP parsing (incremental,
  with limits) and encoding of RESP2 and RESP3 replies;
- :mod:`~studybook.senior.build_redis.store`: the keyspace, TTLs (lazy plus
  sampled active expiry), LRU eviction;
- :mod:`~studybook.senior.build_redis.stream`: the stream type, an append-only
  log with consumer groups and their pending entries lists;
- :mod:`~studybook.senior.build_redis.commands`: the command table and one
  module per data type (strings, lists, hashes, sets, sorted sets, streams and
  consumer groups, keyspace, expiry, pub/sub, transactions, connection), with
  Redis' reply types and error strings;
- :mod:`~studybook.senior.build_redis.server`: asyncio, pipelining,
  back-pressure, pub/sub delivery;
- :mod:`~studybook.senior.build_redis.persistence`: the append-only file;
- :mod:`~studybook.senior.build_redis.queue`: topics, consumer groups, acks,
  retries with exponential backoff, a dead-letter queue.

Invariant: commands run one at a time on one thread, so every command and every
``EXEC`` block is atomic; a write is in the AOF before its reply is sent.

=========================  ========================  ===============================================
Operation                  Cost                      Why
=========================  ========================  ===============================================
GET / SET / INCR / DEL     O(1) average              dict lookup; LRU is an ``OrderedDict`` move
LPUSH / RPUSH / LPOP       O(1) per element          ``collections.deque``
ZADD / ZREM                O(n), O(log n) search     sorted list insert; Redis' skip list: O(log n)
ZRANGE / ZRANGEBYSCORE     O(log n + k)              bisect, then slice
XADD / XRANGE              O(1) / O(log n + k)       append to a sorted id list; bisect, then slice
KEYS pattern               O(n * pattern)            scans every key: SCAN in production
Active expiry round        O(20)                     random sample of keys with a TTL
=========================  ========================  ===============================================

>>> from studybook.senior.build_redis.commands import Context, run
>>> ctx = Context()
>>> run(ctx, "SET", "visits", 41), run(ctx, "INCR", "visits")
(b'+OK\\r\\n', b':42\\r\\n')
>>> run(ctx, "LPUSH", "visits", "x")
b'-WRONGTYPE Operation against a key holding the wrong kind of value\\r\\n'

Run it: ``python -m studybook.senior.build_redis --port 6380`` then
``redis-cli -p 6380`` (or ``redis-cli -3 -p 6380`` for RESP3). Primary source:
the Redis serialization protocol specification, redis.io/docs/reference/protocol-spec,
and the RESP3 specification, github.com/antirez/RESP3.
"""

from __future__ import annotations

import socket
from typing import TextIO

__all__ = ["demo"]


def demo(out: TextIO) -> None:
    """Start MiniRedis on a free port, talk RESP to it over a raw socket, narrate, stop.

    >>> import sys
    >>> demo(sys.stdout)
    MiniRedis is listening on a free loopback port
    -> PING  (inline)   <- b'+PONG\\r\\n'
    -> SET greeting hi  <- b'+OK\\r\\n'
    -> TTL greeting     <- b':60\\r\\n'
    -> INCR greeting    <- b'-ERR value is not an integer or out of range\\r\\n'
    -> MULTI            <- b'+OK\\r\\n'
    -> INCR n           <- b'+QUEUED\\r\\n'
    -> EXEC             <- b'*1\\r\\n:1\\r\\n'
    a bad client gets b'-ERR Protocol error: invalid bulk length\\r\\n' and is closed
    -> PING again       <- b'+PONG\\r\\n'
    -> ZADD z 2.5 m     <- b':1\\r\\n'
    -> ZSCORE z m       <- b'$3\\r\\n2.5\\r\\n'
    -> HELLO 3          <- b'%7\\r\\n$6\\r\\nserver\\r\\n'... a map: now RESP3
    -> ZSCORE z m       <- b',2.5\\r\\n'
    -> GET missing      <- b'_\\r\\n'
    queue: worker-a takes 'order-1' (attempt 1) and crashes
    queue: after the timeout worker-b gets it (attempt 2) and acks
    queue: pending now 0
    """
    from studybook.senior.build_redis.protocol import encode_command
    from studybook.senior.build_redis.queue import MessageQueue
    from studybook.senior.build_redis.server import ServerThread

    with ServerThread() as srv, socket.create_connection(("127.0.0.1", srv.port)) as sock:
        out.write("MiniRedis is listening on a free loopback port\n")

        def send(label: str, wire: bytes) -> None:
            sock.sendall(wire)
            reply = _read_reply(sock)
            out.write(f"-> {label:<16} <- {reply!r}\n")

        send("PING  (inline)", b"PING\r\n")
        send("SET greeting hi", encode_command("SET", "greeting", "hi", "EX", 60))
        send("TTL greeting", encode_command("TTL", "greeting"))
        send("INCR greeting", encode_command("INCR", "greeting"))
        send("MULTI", encode_command("MULTI"))
        send("INCR n", encode_command("INCR", "n"))
        send("EXEC", encode_command("EXEC"))
        with socket.create_connection(("127.0.0.1", srv.port)) as bad:
            bad.sendall(b"*1\r\n$-7\r\n")
            out.write(f"a bad client gets {bad.recv(100)!r} and is closed\n")
        send("PING again", encode_command("PING"))
        send("ZADD z 2.5 m", encode_command("ZADD", "z", "2.5", "m"))
        send("ZSCORE z m", encode_command("ZSCORE", "z", "m"))
        sock.sendall(encode_command("HELLO", "3"))
        hello = _read_reply(sock)
        out.write(f"-> {'HELLO 3':<16} <- {hello[:16]!r}... a map: now RESP3\n")
        send("ZSCORE z m", encode_command("ZSCORE", "z", "m"))
        send("GET missing", encode_command("GET", "missing"))

    now = [0.0]
    q = MessageQueue(clock=lambda: now[0], visibility_timeout=5, max_retries=1)
    q.subscribe("orders", "billing")
    q.publish("orders", "order-1")
    first = q.poll("orders", "billing", "worker-a")
    if first is None:
        raise RuntimeError("the queue lost a message")
    out.write(f"queue: worker-a takes {first.payload!r} (attempt {first.attempt}) and crashes\n")
    now[0] = 6.0
    second = q.poll("orders", "billing", "worker-b")
    if second is None:
        raise RuntimeError("the message was not redelivered after its timeout")
    out.write(f"queue: after the timeout worker-b gets it (attempt {second.attempt}) and acks\n")
    q.ack(second)
    out.write(f"queue: pending now {q.pending('orders', 'billing')}\n")


def _read_reply(sock: socket.socket) -> bytes:
    """Read one small reply (the demo's replies fit in one read)."""
    return sock.recv(4096)
