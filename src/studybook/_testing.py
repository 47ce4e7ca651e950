"""The book's one rule for tests that need the real machine: run in CI, skip elsewhere.

Some tests talk to the real kernel (namespaces, cgroups, raw sockets) or to
real tools (``dig``, ``curl``, ``openssl``, ``redis-server``). In CI, which
runs as root on Linux and installs every tool (``.ci/run`` exports ``CI``),
such a test must run: a missing capability *fails* with what is missing, so
a broken CI machine cannot pass by skipping. On a reader's laptop (macOS, no
root) the same test is skipped with the reason.

Only the tests import this module; the library never does, so pytest is
imported where it is used rather than made a dependency of the package.

It also starts the real servers some tests need: :func:`postgres_server` runs
a throwaway PostgreSQL on a free loopback port (the ``postgres_dsn`` fixture
in ``tests/conftest.py`` shares one per test session).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def require(reason: str | None) -> None:
    """Fail in CI, skip elsewhere, when ``reason`` says something is missing.

    Args:
        reason: what is missing (``"dig is not installed"``), or ``None`` when
            nothing is, in which case this returns and the test goes on.
    """
    if reason is None:
        return
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test on the real machine, but {reason}")
    pytest.skip(reason)


def postgres_bindir() -> Path | None:
    """Where PostgreSQL's server programs are (``initdb``, ``pg_ctl``), or ``None``.

    Debian keeps them off ``PATH``, in ``/usr/lib/postgresql/<major>/bin``;
    the newest major version found wins.
    """
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return candidates[-1].parent if candidates else None


@contextmanager
def postgres_server(timeout: float = 60.0) -> Iterator[str]:
    """Run a throwaway PostgreSQL server on a free loopback port; yield its DSN.

    The cluster lives in a fresh temporary directory, made by ``initdb`` with
    trust authentication for one superuser, ``studybook``, and is stopped
    (``pg_ctl stop -m immediate``) and deleted on exit. PostgreSQL refuses to
    run as root, so under root (CI) the server runs as ``nobody``. ``fsync``
    is off: the tests need isolation semantics, not durability.

    Raises:
        RuntimeError: the server did not start (the message holds its log).
    """
    bindir = postgres_bindir()
    if bindir is None:
        require("PostgreSQL is not installed (apt-get install postgresql)")
        raise RuntimeError("unreachable: require() has skipped or failed")  # pragma: no cover
    as_root = os.geteuid() == 0
    workdir = Path(tempfile.mkdtemp(prefix="studybook-pg-"))
    data, sockets, log = workdir / "data", workdir / "sockets", workdir / "server.log"
    sockets.mkdir()
    run_as: dict[str, Any] = {}
    if as_root:
        nobody = pwd.getpwnam("nobody")
        for path in (workdir, sockets):
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pg_ctl = str(bindir / "pg_ctl")
    try:
        subprocess.run(  # noqa: S603 - our fixed argv, no shell
            [str(bindir / "initdb"), "-D", str(data), "-U", "studybook", "--auth=trust",
             "-E", "UTF8", "--locale=C", "--no-sync"],
            check=True, capture_output=True, timeout=timeout, cwd=workdir, **run_as,
        )  # fmt: skip
        options = f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off"
        started = subprocess.run(  # noqa: S603 - our fixed argv, no shell
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", str(int(timeout)),
             "start"],
            capture_output=True, timeout=timeout + 5, cwd=workdir, **run_as,
        )  # fmt: skip
        if started.returncode != 0:
            text = log.read_text(errors="replace") if log.exists() else started.stderr.decode()
            raise RuntimeError(f"PostgreSQL did not start on port {port}: {text[-2000:]}")
        yield f"host=127.0.0.1 port={port} user=studybook dbname=postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(  # noqa: S603 - our fixed argv, no shell
                [pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True, timeout=timeout, cwd=workdir, **run_as,
            )  # fmt: skip
        shutil.rmtree(workdir, ignore_errors=True)
