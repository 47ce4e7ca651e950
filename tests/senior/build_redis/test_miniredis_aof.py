"""Durability: acknowledged writes survive kill -9; truncated tails are tolerated."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from studybook.senior.build_redis.commands import Context, run
from studybook.senior.build_redis.persistence import AofCorruptError, AppendOnlyFile
from studybook.senior.build_redis.processes import miniredis_process
from studybook.senior.build_redis.protocol import encode_command


@pytest.mark.parametrize("fsync", ["always", "no"])
def test_acknowledged_writes_survive_sigkill_and_restart(tmp_path, fsync):
    aof = tmp_path / "crash.aof"
    extra = ["--appendonly", str(aof), "--appendfsync", fsync]
    acked: dict[str, int] = {}
    stop = threading.Event()
    with miniredis_process(extra=extra) as (port, proc):

        def writer(n: int) -> None:
            # No retries: a write counts as acknowledged only if its own reply arrived.
            client = redis.Redis(port=port, protocol=2, retry=Retry(NoBackoff(), 0))
            i = 0
            while not stop.is_set():
                try:
                    client.set(f"w{n}:{i}", i)
                    client.incr(f"count{n}")
                except redis.ConnectionError:
                    return
                acked[f"w{n}:{i}"] = i  # recorded only after the reply arrived
                acked[f"count{n}"] = i + 1
                i += 1

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        while len(acked) < 400:
            threading.Event().wait(0.01)
        proc.send_signal(signal.SIGKILL)  # no chance to flush or clean up
        proc.wait()
        stop.set()
        for t in threads:
            t.join()
    with miniredis_process(extra=extra) as (port, _):
        client = redis.Redis(port=port, protocol=2)
        for key, value in list(acked.items()):
            got = client.get(key)
            assert got is not None, f"acknowledged {key} lost"
            # a write may reach the log and be lost in flight before its reply: >= is allowed
            assert int(got) >= value if key.startswith("count") else int(got) == value
        client.close()


def test_ttl_transactions_and_expiry_replay_to_the_same_state(tmp_path):
    aof = tmp_path / "state.aof"
    with miniredis_process(extra=["--appendonly", str(aof)]) as (port, _):
        r = redis.Redis(port=port, protocol=2)
        r.set("ttl", "v", ex=1000)
        r.set("gone", "v", px=1)
        with r.pipeline() as pipe:
            pipe.rpush("l", "a", "b").lpop("l").zadd("z", {"m": 2.5})
            pipe.execute()
        r.set("nx", "1", nx=True)
        r.execute_command("SET", "past", "v", "PXAT", 1)  # deleted at once: logged as DEL
        r.close()
    text = aof.read_bytes()
    assert b"PXAT" in text
    assert b"EXPIRE" not in text
    assert text.count(b"MULTI") == 1
    assert text.count(b"EXEC") == 1
    with miniredis_process(extra=["--appendonly", str(aof)]) as (port, _):
        r = redis.Redis(port=port, protocol=2)
        assert 990 <= r.ttl("ttl") <= 1000
        assert r.get("gone") is None
        assert r.lrange("l", 0, -1) == [b"b"]
        assert r.zscore("z", "m") == 2.5
        assert r.get("nx") == b"1"
        assert r.exists("past") == 0
        r.close()


def test_truncated_tail_and_unfinished_multi_are_dropped(tmp_path):
    path = tmp_path / "torn.aof"
    good = encode_command("SET", "a", "1") + encode_command("INCR", "a")
    torn_multi = encode_command("MULTI") + encode_command("SET", "b", "2")
    path.write_bytes(good + torn_multi + encode_command("SET", "c", "3")[:-4])
    ctx = Context()
    aof = AppendOnlyFile(path)
    assert aof.load(ctx) == 2
    assert run(ctx, "GET", "a") == b"$1\r\n2\r\n"
    assert run(ctx, "EXISTS", "b", "c") == b":0\r\n"
    assert path.read_bytes() == good  # file cut back to the last complete command
    aof.append([[b"SET", b"d", b"4"]])
    aof.close()
    ctx2 = Context()
    assert AppendOnlyFile(path).load(ctx2) == 3


def test_corruption_before_the_tail_refuses_to_start(tmp_path):
    path = tmp_path / "bad.aof"
    path.write_bytes(
        encode_command("SET", "a", "1") + b"*1\r\n+oops\r\n" + encode_command("GET", "a")
    )
    with pytest.raises(AofCorruptError, match="bad AOF format at byte 27"):
        AppendOnlyFile(path).load(Context())
    path.write_bytes(encode_command("INCR", "a") + encode_command("NOSUCH"))
    with pytest.raises(AofCorruptError, match="AOF command \\[b'NOSUCH'\\] failed"):
        AppendOnlyFile(path).load(Context())


@pytest.mark.parametrize(
    "text",
    [b"my shopping list: milk, eggs", b"PING\nSET a 1\nmy diary, no final newline"],
    ids=["no-newline", "inline-commands"],
)
def test_a_file_that_is_not_an_aof_is_refused_and_left_untouched(tmp_path, text):
    # Taken for a torn tail, such a file used to be truncated to nothing. Redis'
    # loader also requires every entry to start with '*'.
    path = tmp_path / "notes.txt"
    path.write_bytes(text)
    with pytest.raises(AofCorruptError, match="bad AOF format at byte 0 .*: not a RESP array"):
        AppendOnlyFile(path).load(Context())
    assert path.read_bytes() == text


def test_cli_refuses_a_corrupt_aof_with_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "bad.aof"
    path.write_bytes(encode_command("SET", "a", "1") + b"*1\r\n+oops\r\n")
    result = subprocess.run(
        [sys.executable, "-m", "studybook.senior.build_redis", "--port", "0", "--appendonly", path],
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert result.stderr.decode().splitlines() == [
        f"miniredis: cannot start: bad AOF format at byte 27 of {path}: expected '$', got '+'"
        " (repair or move the file away)"
    ]
    assert path.read_bytes().endswith(b"+oops\r\n")  # the file is left as it was


def test_cli_shuts_down_cleanly_on_sigterm_and_sigint(tmp_path):
    for sig in (signal.SIGTERM, signal.SIGINT):
        with miniredis_process(extra=["--appendonly", str(tmp_path / "x.aof")]) as (port, proc):
            redis.Redis(port=port, protocol=2).set("k", "v")
            proc.send_signal(sig)
            assert proc.wait(10) == 0
    with miniredis_process(extra=["--appendonly", str(tmp_path / "x.aof")]) as (port, proc):
        assert redis.Redis(port=port, protocol=2).get("k") == b"v"
    result = subprocess.run(
        [proc.args[0], "-m", "studybook.senior.build_redis", "--appendfsync", "sometimes"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 2
    assert b"invalid choice: 'sometimes'" in result.stderr
