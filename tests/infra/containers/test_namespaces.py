"""Real namespaces on this kernel (run in CI as root; skipped with a reason on a laptop)."""

from __future__ import annotations

import os
import socket

import pytest

from studybook.infra.containers import (
    NAMESPACE_KINDS,
    NamespaceError,
    hostname_in_new_uts_namespace,
    interfaces_in_new_net_namespace,
    namespace_ids,
    pid_in_new_pid_namespace,
    run_in_namespaces,
    uid_map_in_new_user_namespace,
)

pytestmark = pytest.mark.usefixtures("namespaces")


def test_child_is_pid_1_in_a_new_pid_namespace() -> None:
    assert os.getpid() != 1
    assert pid_in_new_pid_namespace() == 1


def test_hostname_changes_inside_a_uts_namespace_only() -> None:
    host = socket.gethostname()
    name = "studybook-ctr" if host != "studybook-ctr" else "studybook-ctr2"
    inside, after = hostname_in_new_uts_namespace(name)
    assert inside == name
    assert after == host == socket.gethostname()


def test_new_network_namespace_has_only_loopback() -> None:
    assert interfaces_in_new_net_namespace() == ["lo"]
    assert len(socket.if_nameindex()) >= 1  # the host's view is untouched


def test_child_namespaces_differ_from_ours_only_where_asked() -> None:
    code = "import os; print(os.readlink('/proc/self/ns/uts'), os.readlink('/proc/self/ns/net'))"
    uts, net = run_in_namespaces(code, uts=True).split()
    ours = namespace_ids()
    assert uts != ours["uts"]
    assert net == ours["net"]
    assert set(ours) <= set(NAMESPACE_KINDS)
    assert ours == namespace_ids(os.getpid())


def test_user_namespace_maps_us_to_root_inside() -> None:
    uid, uid_map = uid_map_in_new_user_namespace()
    assert uid == 0
    assert uid_map == f"0 {os.getuid()} 1"


def test_a_failing_child_raises_with_its_stderr() -> None:
    with pytest.raises(NamespaceError, match="ZeroDivisionError"):
        run_in_namespaces("1 / 0", uts=True)
