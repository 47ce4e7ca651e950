"""redis-benchmark, the tool shipped with Redis, runs against MiniRedis without errors."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

from studybook.senior.build_redis.processes import miniredis_process


def test_redis_benchmark_set_get_ping_with_zero_errors():
    exe = shutil.which("redis-benchmark")
    assert exe is not None, "redis-benchmark missing (Debian package redis-tools)"
    with miniredis_process() as (port, proc):
        result = subprocess.run(
            [exe, "-p", str(port), "-t", "set,get,ping", "-n", "2000", "-c", "10", "--csv"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert proc.poll() is None  # the server is still up
    assert result.returncode == 0, result.stderr
    assert b"rror" not in result.stdout + result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    assert {row["test"] for row in rows} == {"PING_INLINE", "PING_MBULK", "SET", "GET"}
    assert all(float(row["rps"]) > 0 for row in rows)
