"""The test helpers in studybook._testing: the skip-or-fail rule and the PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from studybook._testing import postgres_server, require


def test_require_passes_when_nothing_is_missing() -> None:
    require(None)


def test_require_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run this test.*no frobnicator"):
        require("no frobnicator")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no frobnicator"):
        require("no frobnicator")


def test_postgres_server_serves_on_loopback_and_leaves_nothing_behind() -> None:
    with postgres_server() as dsn:
        assert "host=127.0.0.1" in dsn
        with psycopg.connect(dsn, autocommit=True) as conn:
            row = conn.execute("SELECT current_user, inet_server_addr()::text").fetchone()
            assert row == ("studybook", "127.0.0.1/32")
            data = Path(conn.execute("SHOW data_directory").fetchone()[0])  # type: ignore[index]
        assert (data / "postmaster.pid").exists()
    assert not data.exists()
    assert not data.parent.exists()


def test_the_session_server_is_shared(postgres_dsn: str) -> None:
    with psycopg.connect(postgres_dsn) as conn:
        assert conn.execute("SELECT 2 + 2").fetchone() == (4,)
        isolation = conn.execute("SHOW default_transaction_isolation").fetchone()
    assert isolation == ("read committed",)  # PostgreSQL's default, which the chapters rely on
