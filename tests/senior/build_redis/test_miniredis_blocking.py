"""BLMOVE and XREAD/XREADGROUP BLOCK: the same waits, wake-ups and timeouts on MiniRedis and
a real redis-server."""

from __future__ import annotations

import time

import pytest

from studybook.senior.build_redis.protocol import encode_command


@pytest.fixture(params=["mini", "real"])
def port(request, mini_server, real_redis_port):
    return mini_server.port if request.param == "mini" else real_redis_port


@pytest.fixture
def wait_parked(port, mini_server, raw_client_class):
    """Wait until the server has parked ``n`` clients: no sleep-and-hope in these tests.

    Real Redis reports ``blocked_clients`` in ``INFO clients``; MiniRedis' INFO does
    not, so its server object is asked directly (a read of a dict's length).
    """

    def count() -> int:
        if port == mini_server.port:
            return len(mini_server.server.blocked)
        probe = raw_client_class(port)
        try:
            text = probe.call("INFO", "clients")[0][1].decode()
        finally:
            probe.close()
        return int(text.split("blocked_clients:")[1].split()[0])

    def wait(n: int) -> None:
        deadline = time.monotonic() + 5
        while count() != n:
            assert time.monotonic() < deadline, f"never saw {n} blocked clients"
            time.sleep(0.002)

    return wait


def _pair(raw_client_class, port, proto):
    waiter, pusher = raw_client_class(port, proto), raw_client_class(port, proto)
    waiter.call("FLUSHALL")
    return waiter, pusher


def _blmove(source: str, timeout: str) -> bytes:
    return encode_command("BLMOVE", source, "w", "LEFT", "LEFT", timeout)


@pytest.mark.parametrize("proto", [2, 3], ids=["resp2", "resp3"])
def test_blmove_waits_for_a_push_then_moves_it(raw_client_class, port, proto, wait_parked):
    waiter, pusher = _pair(raw_client_class, port, proto)
    try:
        waiter.sock.sendall(
            b"*6\r\n$6\r\nBLMOVE\r\n$1\r\nq\r\n$1\r\nw\r\n$4\r\nLEFT\r\n$5\r\nRIGHT\r\n$1\r\n0\r\n"
        )
        waiter.sock.sendall(b"*2\r\n$4\r\nLLEN\r\n$1\r\nw\r\n")  # pipelined: runs after the wake-up
        wait_parked(1)
        assert pusher.call("LLEN", "w") == ((b":", 0), b":0\r\n")  # still parked
        assert pusher.call("RPUSH", "q", "job") == ((b":", 1), b":1\r\n")
        assert waiter.read() == ((b"$", b"job"), b"$3\r\njob\r\n")
        assert waiter.read() == ((b":", 1), b":1\r\n")
        assert pusher.call("LRANGE", "w", "0", "-1")[1] == b"*1\r\n$3\r\njob\r\n"
    finally:
        waiter.close()
        pusher.close()


@pytest.mark.parametrize("proto", [2, 3], ids=["resp2", "resp3"])
def test_blmove_times_out_with_a_null_array(raw_client_class, port, proto):
    waiter, pusher = _pair(raw_client_class, port, proto)
    try:
        assert waiter.call("BLMOVE", "empty", "w", "LEFT", "LEFT", "0.05")[1] == (
            b"*-1\r\n" if proto == 2 else b"_\r\n"
        )
        assert waiter.call("PING")[1] == b"+PONG\r\n"
    finally:
        waiter.close()
        pusher.close()


def test_two_waiters_are_served_oldest_first(raw_client_class, port, wait_parked):
    first, second = raw_client_class(port), raw_client_class(port)
    pusher = raw_client_class(port)
    pusher.call("FLUSHALL")
    try:
        for n, client in enumerate((first, second), start=1):
            client.sock.sendall(_blmove("q", "5"))
            wait_parked(n)  # the server has parked this waiter before the next one asks
        pusher.call("RPUSH", "q", "a")
        assert first.read()[1] == b"$1\r\na\r\n"
        wait_parked(1)  # the second is still waiting
        pusher.call("RPUSH", "q", "b", "c")
        assert second.read()[1] == b"$1\r\nb\r\n"
        assert pusher.call("LRANGE", "q", "0", "-1")[1] == b"*1\r\n$1\r\nc\r\n"
        assert pusher.call("LRANGE", "w", "0", "-1")[1] == b"*2\r\n$1\r\nb\r\n$1\r\na\r\n"
    finally:
        for client in (first, second, pusher):
            client.close()


def test_a_waiter_is_served_before_the_pushers_next_pipelined_command(
    raw_client_class, port, wait_parked
):
    waiter, pusher = _pair(raw_client_class, port, 2)
    try:
        waiter.sock.sendall(_blmove("q", "5"))
        wait_parked(1)
        pusher.sock.sendall(encode_command("RPUSH", "q", "x") + encode_command("LPOP", "q"))
        assert pusher.read()[1] == b":1\r\n"
        assert pusher.read()[1] == b"$-1\r\n"  # the waiter already took x
        assert waiter.read()[1] == b"$1\r\nx\r\n"
        waiter.sock.sendall(_blmove("q", "5"))  # inside MULTI the waiter is served after EXEC
        wait_parked(1)
        for command in (("MULTI",), ("RPUSH", "q", "y"), ("LPOP", "q")):
            pusher.call(*command)
        assert pusher.call("EXEC")[1] == b"*2\r\n:1\r\n$1\r\ny\r\n"
        assert pusher.call("RPUSH", "q", "z")[1] == b":1\r\n"
        assert waiter.read()[1] == b"$1\r\nz\r\n"
    finally:
        waiter.close()
        pusher.close()


def test_a_source_overwritten_by_another_type_keeps_the_waiter_waiting(
    raw_client_class, port, wait_parked
):
    waiter, pusher = _pair(raw_client_class, port, 2)
    try:
        waiter.sock.sendall(_blmove("q", "0.2"))
        wait_parked(1)
        assert pusher.call("SET", "q", "text")[1] == b"+OK\r\n"
        assert waiter.read()[1] == b"*-1\r\n"  # timed out, no WRONGTYPE
        waiter.sock.sendall(_blmove("q2", "5"))
        wait_parked(1)
        pusher.call("SET", "w", "text")  # the destination is now a string
        pusher.call("RPUSH", "q2", "x")
        assert waiter.read()[1].startswith(b"-WRONGTYPE")
        assert pusher.call("LRANGE", "q2", "0", "-1")[1] == b"*1\r\n$1\r\nx\r\n"  # not lost
    finally:
        waiter.close()
        pusher.close()


def test_a_blmove_that_moved_is_logged_for_the_aof_as_lmove():
    from studybook.senior.build_redis.commands import Context, execute

    ctx = Context()
    ctx.can_block = True
    execute(ctx, [b"RPUSH", b"q", b"a"])
    ctx.store.effects.clear()
    assert execute(ctx, [b"BLMOVE", b"q", b"w", b"LEFT", b"RIGHT", b"0"]) == b"$1\r\na\r\n"
    assert ctx.store.effects == [[b"LMOVE", b"q", b"w", b"LEFT", b"RIGHT"]]
    assert execute(ctx, [b"BLMOVE", b"q", b"w", b"LEFT", b"RIGHT", b"0"]) == b""
    assert ctx.block_timeout == 0.0  # parked: the server would wait for a push
    assert ctx.store.effects == [[b"LMOVE", b"q", b"w", b"LEFT", b"RIGHT"]]  # nothing new


@pytest.mark.parametrize("proto", [2, 3], ids=["resp2", "resp3"])
def test_xread_block_dollar_waits_for_entries_after_the_ones_it_saw(
    raw_client_class, port, proto, wait_parked
):
    waiter, writer = _pair(raw_client_class, port, proto)
    try:
        writer.call("XADD", "s", "1-1", "old", "1")
        waiter.sock.sendall(encode_command("XREAD", "BLOCK", "5000", "STREAMS", "s", "$"))
        wait_parked(1)
        writer.call("SET", "other", "x")  # a write elsewhere does not wake it with nothing
        writer.call("XADD", "s", "2-1", "new", "2")
        entry = b"*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$3\r\nnew\r\n$1\r\n2\r\n"
        header = b"*1\r\n*2\r\n" if proto == 2 else b"%1\r\n"
        assert waiter.read()[1] == header + b"$1\r\ns\r\n" + entry  # 1-1 was already there
    finally:
        waiter.close()
        writer.close()


@pytest.mark.parametrize("proto", [2, 3], ids=["resp2", "resp3"])
def test_xreadgroup_block_hands_a_new_entry_to_the_waiting_consumer(
    raw_client_class, port, proto, wait_parked
):
    waiter, writer = _pair(raw_client_class, port, proto)
    try:
        writer.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
        waiter.sock.sendall(
            encode_command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">")
        )
        wait_parked(1)
        writer.call("XADD", "s", "7-1", "job", "a")
        got = waiter.read()[1]
        assert got.endswith(b"$3\r\n7-1\r\n*2\r\n$3\r\njob\r\n$1\r\na\r\n")
        assert writer.call("XPENDING", "s", "g")[1] == (
            b"*4\r\n:1\r\n$3\r\n7-1\r\n$3\r\n7-1\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n"
        )
    finally:
        waiter.close()
        writer.close()


@pytest.mark.parametrize("proto", [2, 3], ids=["resp2", "resp3"])
def test_xread_block_times_out_with_a_null_array(raw_client_class, port, proto):
    waiter, writer = _pair(raw_client_class, port, proto)
    try:
        writer.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
        null = b"*-1\r\n" if proto == 2 else b"_\r\n"
        assert waiter.call("XREAD", "BLOCK", "50", "STREAMS", "s", "$")[1] == null
        assert (
            waiter.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "50", "STREAMS", "s", ">")[1]
            == null
        )
        assert waiter.call("PING")[1] == b"+PONG\r\n"
    finally:
        waiter.close()
        writer.close()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (("XGROUP", "DESTROY", "s", "g"), b"-NOGROUP the consumer group this client was blocked"),
        (("DEL", "s"), b"-UNBLOCKED the stream key no longer exists\r\n"),
        (("SET", "s", "text"), b"-UNBLOCKED the stream key no longer exists\r\n"),
    ],
    ids=["group-destroyed", "key-deleted", "key-overwritten"],
)
def test_a_waiting_group_reader_fails_when_its_group_or_stream_goes(
    raw_client_class, port, wait_parked, change, error
):
    waiter, writer = _pair(raw_client_class, port, 2)
    try:
        writer.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
        waiter.sock.sendall(
            encode_command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "5000", "STREAMS", "s", ">")
        )
        wait_parked(1)
        writer.call(*change)
        assert waiter.read()[1].startswith(error)
    finally:
        waiter.close()
        writer.close()


def test_a_waiting_plain_reader_keeps_waiting_when_its_stream_is_deleted(
    raw_client_class, port, wait_parked
):
    waiter, writer = _pair(raw_client_class, port, 2)
    try:
        writer.call("XADD", "s", "1-1", "f", "v")
        waiter.sock.sendall(encode_command("XREAD", "BLOCK", "5000", "STREAMS", "s", "$"))
        wait_parked(1)
        writer.call("DEL", "s")
        writer.call("XADD", "s", "1-2", "f", "w")  # after the pinned 1-1: delivered
        assert waiter.read()[1].endswith(b"$3\r\n1-2\r\n*2\r\n$1\r\nf\r\n$1\r\nw\r\n")
    finally:
        waiter.close()
        writer.close()
