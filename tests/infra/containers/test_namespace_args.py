"""Argument checks of the namespace helpers: these run everywhere, no kernel needed."""

from __future__ import annotations

import pytest

from studybook.infra.containers import (
    hostname_in_new_uts_namespace,
    namespace_ids,
    run_in_namespaces,
    unshare_argv,
)


def test_unshare_argv_orders_flags_and_forks_for_pid() -> None:
    argv = unshare_argv(["id"], user=True, net=True, pid=True)
    assert argv == [
        *("unshare", "--user", "--map-root-user", "--net"),
        *("--pid", "--fork", "--kill-child", "--", "id"),
    ]


@pytest.mark.parametrize(
    ("command", "flags", "error", "match"),
    [
        ("hostname", {"uts": True}, TypeError, "list of str"),
        ([], {"uts": True}, ValueError, "must not be empty"),
        (["id", 3], {"uts": True}, TypeError, "list of str"),
        (["id"], {}, ValueError, "at least one namespace"),
        (["id"], {"uts": 1}, TypeError, "uts must be a bool"),
    ],
)
def test_unshare_argv_refuses(
    command: object, flags: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        unshare_argv(command, **flags)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", "-bad", "a" * 65, "has space", "semi;colon", None, 5])
def test_hostname_refused_before_anything_runs(name: object) -> None:
    with pytest.raises(ValueError, match="hostname must be RFC 1123"):
        hostname_in_new_uts_namespace(name)  # type: ignore[arg-type]


@pytest.mark.parametrize("pid", [0, -1, True, "1", 1.5])
def test_namespace_ids_refuses_bad_pids(pid: object) -> None:
    with pytest.raises(ValueError, match="pid must be a positive int"):
        namespace_ids(pid)  # type: ignore[arg-type]


def test_run_in_namespaces_refuses_non_str_code() -> None:
    with pytest.raises(TypeError, match="code must be a str"):
        run_in_namespaces(b"print(1)", uts=True)  # type: ignore[arg-type]
