"""Real Linux namespaces, entered with ``unshare(1)`` from util-linux.

A namespace gives a process its own view of one global resource: its own
PID numbering (``pid``), hostname (``uts``), network stack (``net``), mount
table (``mnt``), System V IPC (``ipc``), UID/GID mapping (``user``), cgroup
root (``cgroup``) and boot/monotonic clocks (``time``). A container is a
process in a fresh set of them, with a cgroup around it. Nothing is
emulated here: each function starts a real child in new namespaces and
reports what it sees, so it needs Linux, ``unshare`` and privilege (root,
or an unprivileged user namespace). :func:`namespace_support` says whether
this machine allows it and, if not, what is missing.

Python 3.12 added ``os.unshare``; this book supports 3.11, so it runs the
``unshare`` command with an argument list (never a shell string).

>>> unshare_argv(["hostname"], pid=True, uts=True)
['unshare', '--uts', '--pid', '--fork', '--kill-child', '--', 'hostname']

Source: Linux man-pages ``namespaces(7)``, ``pid_namespaces(7)``,
``uts_namespaces(7)``, ``network_namespaces(7)``, ``user_namespaces(7)``;
util-linux ``unshare(1)``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence

__all__ = [
    "NAMESPACE_KINDS",
    "NamespaceError",
    "hostname_in_new_uts_namespace",
    "interfaces_in_new_net_namespace",
    "namespace_ids",
    "namespace_support",
    "pid_in_new_pid_namespace",
    "run_in_namespaces",
    "uid_map_in_new_user_namespace",
    "unshare_argv",
]

#: The namespace types of ``namespaces(7)``, as named under ``/proc/<pid>/ns``.
NAMESPACE_KINDS = ("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts")
_FLAGS = {"mnt": "--mount", "uts": "--uts", "ipc": "--ipc", "net": "--net", "cgroup": "--cgroup"}
_TIMEOUT_S = 20.0
#: RFC 1123 host name labels; the kernel itself allows any bytes up to 64 (HOST_NAME_MAX).
_HOSTNAME = re.compile(
    r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


class NamespaceError(RuntimeError):
    """``unshare`` could not create the namespaces or the child failed."""


def unshare_argv(
    command: Sequence[str],
    *,
    pid: bool = False,
    uts: bool = False,
    net: bool = False,
    mnt: bool = False,
    ipc: bool = False,
    user: bool = False,
) -> list[str]:
    """Build the ``unshare`` argument list that runs ``command`` in new namespaces.

    ``--pid`` needs ``--fork``: the *caller* of ``unshare(CLONE_NEWPID)``
    stays in its namespace and only its next child becomes PID 1 of the new
    one (``pid_namespaces(7)``). ``--user --map-root-user`` maps the caller's
    UID to 0 inside.

    Raises:
        TypeError: ``command`` is not a list of strings, or a flag not a bool.
        ValueError: empty command, or no namespace asked for.

    Complexity: O(len(command)).

    >>> unshare_argv(["true"])
    Traceback (most recent call last):
        ...
    ValueError: ask for at least one namespace (pid, uts, net, mnt, ipc, user), got none
    """
    if isinstance(command, str | bytes) or not all(isinstance(c, str) for c in command):
        raise TypeError(f"command must be a list of str, got {command!r}")
    if not command:
        raise ValueError("command must not be empty")
    flags = {"user": user, "mnt": mnt, "uts": uts, "ipc": ipc, "net": net, "pid": pid}
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be a bool, got {value!r}")
    if not any(flags.values()):
        raise ValueError("ask for at least one namespace (pid, uts, net, mnt, ipc, user), got none")
    argv = ["unshare"]
    if user:
        argv += ["--user", "--map-root-user"]
    argv += [_FLAGS[k] for k in ("mnt", "uts", "ipc", "net") if flags[k]]
    if pid:
        argv += ["--pid", "--fork", "--kill-child"]
    return [*argv, "--", *command]


def namespace_support() -> str | None:
    """Return ``None`` if this machine can create pid, uts and net namespaces, else why not.

    It tries for real (``unshare --uts --net --pid --fork true``), since
    root alone is not enough inside a container without ``CAP_SYS_ADMIN``.
    """
    if not sys.platform.startswith("linux"):
        return f"namespaces are a Linux feature; this is {sys.platform}"
    if shutil.which("unshare") is None:
        return "the unshare command (util-linux) is not installed"
    try:
        run_in_namespaces("pass", pid=True, uts=True, net=True)
    except NamespaceError as exc:
        return f"cannot create namespaces here (need root or CAP_SYS_ADMIN): {exc}"
    return None


def run_in_namespaces(code: str, **namespaces: bool) -> str:
    """Run Python ``code`` in a child in new namespaces; return its stripped stdout.

    Args:
        code: a Python program, run as ``python -c code``.
        namespaces: which to create, as for :func:`unshare_argv`.

    Raises:
        NamespaceError: ``unshare`` is missing, failed (no privilege), or the
            child exited non-zero or hung; the message carries its stderr.
    """
    if not isinstance(code, str):
        raise TypeError(f"code must be a str, got {code!r}")
    argv = unshare_argv([sys.executable, "-c", code], **namespaces)
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, argument list, no shell
            argv, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NamespaceError(f"{argv[0]} failed to run: {exc}") from exc
    if done.returncode != 0:
        raise NamespaceError(f"exit {done.returncode}: {done.stderr.strip()[-300:]}")
    return done.stdout.strip()


def pid_in_new_pid_namespace() -> int:
    """The PID a child sees for itself in a new PID namespace: 1, the namespace's init."""
    return int(run_in_namespaces("import os; print(os.getpid())", pid=True))


def hostname_in_new_uts_namespace(name: str) -> tuple[str, str]:
    """Set the hostname to ``name`` inside a new UTS namespace.

    Returns:
        ``(hostname seen inside, hostname of this process afterwards)``:
        the first is ``name``, the second is unchanged.

    Raises:
        ValueError: ``name`` is not a valid host name (RFC 1123, at most 64 bytes).
    """
    if not isinstance(name, str) or len(name) > 64 or not _HOSTNAME.fullmatch(name):
        raise ValueError(f"hostname must be RFC 1123 and at most 64 characters, got {name!r}")
    code = f"import socket; socket.sethostname({name!r}); print(socket.gethostname())"
    inside = run_in_namespaces(code, uts=True)
    return inside, os.uname().nodename


def interfaces_in_new_net_namespace() -> list[str]:
    """The network interfaces a child sees in a new network namespace: only ``lo``."""
    code = "import socket; print(' '.join(n for _, n in socket.if_nameindex()))"
    return run_in_namespaces(code, net=True).split()


def uid_map_in_new_user_namespace() -> tuple[int, str]:
    """``(uid inside, /proc/self/uid_map)`` for a child in a new user namespace.

    The child is UID 0 inside, mapped to the caller's UID outside: the basis
    of rootless containers (``user_namespaces(7)``).
    """
    code = "import os; print(os.getuid()); print(open('/proc/self/uid_map').read())"
    uid, _, uid_map = run_in_namespaces(code, user=True).partition("\n")
    return int(uid), " ".join(uid_map.split())


def namespace_ids(pid: int | str = "self") -> dict[str, str]:
    """Read ``/proc/<pid>/ns/*``: each namespace's type and inode, e.g. ``uts:[4026531838]``.

    Two processes are in the same namespace exactly when these links are equal.

    Raises:
        FileNotFoundError: no such process, or no ``/proc`` (not Linux).
    """
    if isinstance(pid, bool) or not ((isinstance(pid, int) and pid > 0) or pid == "self"):
        raise ValueError(f"pid must be a positive int or 'self', got {pid!r}")
    base = f"/proc/{pid}/ns"
    return {
        k: os.readlink(f"{base}/{k}") for k in NAMESPACE_KINDS if os.path.lexists(f"{base}/{k}")
    }
