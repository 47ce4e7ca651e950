"""cgroup v2: finding the hierarchy, reading its controllers, and limits on a child.

A control group is a directory in the cgroup2 filesystem; its processes
share the limits written to its files. ``cgroup.controllers`` lists the
controllers available to a group, ``cgroup.subtree_control`` those enabled
for its children; a limit file (``memory.max``, ``cpu.max``, ``pids.max``)
exists in a child only when its controller is enabled in the parent. The
hierarchy is usually mounted at ``/sys/fs/cgroup`` ("unified" mode); on a
"hybrid" host (v1 controllers plus a v2 tree) it is at
``/sys/fs/cgroup/unified``, so :func:`cgroup2_mount` reads the mount table
rather than assuming a path.

CPU weight versus quota, and throttling, are in the operating-systems
chapter; this module is about the files a runtime writes.

>>> format_cpu_max(1.5)
'150000 100000'
>>> parse_cpu_max("max 100000")
(None, 100000)
>>> CgroupLimits(memory_max=256 * 2**20, pids_max=100).files()
{'memory.max': '268435456', 'pids.max': '100'}

Source: Linux ``Documentation/admin-guide/cgroup-v2.rst`` (core interface
files, ``cpu.max``, ``memory.max``, ``pids.max``) and
``Documentation/scheduler/sched-bwc.rst`` (quota and period bounds).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from studybook._validate import check_int, check_real

__all__ = [
    "CPU_PERIOD_US",
    "CgroupLimits",
    "TempCgroup",
    "cgroup2_mount",
    "find_cgroup2_mount",
    "format_cpu_max",
    "parse_cpu_max",
    "read_controllers",
]

#: The default ``cpu.max`` period, 100 ms, in microseconds.
CPU_PERIOD_US = 100_000
#: sched-bwc.rst: the period is between 1 ms and 1 s; the quota is at least 1 ms.
_MIN_US, _MAX_PERIOD_US = 1_000, 1_000_000
_DIGITS, _QUOTA = re.compile(r"[0-9]+"), re.compile(r"max|[0-9]+")


def find_cgroup2_mount(mountinfo: str) -> str | None:
    """Return the mount point of the cgroup2 filesystem in a ``mountinfo`` text, if any.

    Each line of ``/proc/self/mountinfo`` is ``id parent major:minor root
    mountpoint options [optional fields] - fstype source superoptions``
    (``proc(5)``); the filesystem type follows the ``-`` separator.

    Complexity: O(len(mountinfo)).

    >>> find_cgroup2_mount("41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw")
    '/sys/fs/cgroup/unified'
    >>> find_cgroup2_mount("22 1 0:21 / /sys/fs/cgroup rw shared:9 - cgroup2 cgroup2 rw")
    '/sys/fs/cgroup'
    >>> find_cgroup2_mount("30 1 0:26 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu") is None
    True
    """
    if not isinstance(mountinfo, str):
        raise TypeError(f"mountinfo must be a str, got {type(mountinfo).__name__}")
    for line in mountinfo.splitlines():
        fields = line.split()
        if "-" not in fields:
            continue
        sep = fields.index("-")
        if len(fields) > sep + 1 and fields[sep + 1] == "cgroup2" and len(fields) > 4:
            # proc(5): space, tab, newline and backslash are written as octal escapes.
            return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
    return None


def cgroup2_mount() -> Path:
    """Where this machine mounts cgroup v2, from ``/proc/self/mountinfo``.

    Raises:
        FileNotFoundError: no cgroup2 mount (v1-only host, or not Linux).
    """
    try:
        text = Path("/proc/self/mountinfo").read_text()
    except OSError as exc:
        raise FileNotFoundError(f"cannot read /proc/self/mountinfo: {exc}") from exc
    mount = find_cgroup2_mount(text)
    if mount is None:
        raise FileNotFoundError("no cgroup2 filesystem is mounted")
    return Path(mount)


def read_controllers(group: str | os.PathLike[str] | None = None) -> tuple[str, ...]:
    """The controllers available in a cgroup (default: the cgroup2 root), sorted.

    Raises:
        FileNotFoundError: not a cgroup v2 directory.
    """
    base = cgroup2_mount() if group is None else Path(group)
    return tuple(sorted((base / "cgroup.controllers").read_text().split()))


def format_cpu_max(cpus: float | None, period_us: int = CPU_PERIOD_US) -> str:
    """The ``cpu.max`` line for a limit of ``cpus`` CPUs per period (``None``: no limit).

    A Kubernetes limit of ``1500m`` becomes ``150000 100000``: 150 ms of CPU
    time every 100 ms, spread over any number of threads.

    Raises:
        ValueError: NaN, infinite or non-positive ``cpus``; a period outside
            1 ms to 1 s; a quota below 1 ms.

    Complexity: O(1).

    >>> format_cpu_max(None)
    'max 100000'
    >>> format_cpu_max(0.001)
    Traceback (most recent call last):
        ...
    ValueError: quota 100 us is below the kernel's 1000 us minimum (cpus=0.001)
    """
    check_int(period_us, "period_us", minimum=_MIN_US, maximum=_MAX_PERIOD_US)
    if cpus is None:
        return f"max {period_us}"
    quota = round(check_real(cpus, "cpus", positive=True) * period_us)
    if quota < _MIN_US:
        raise ValueError(
            f"quota {quota} us is below the kernel's {_MIN_US} us minimum (cpus={cpus!r})"
        )
    return f"{quota} {period_us}"


def parse_cpu_max(text: str) -> tuple[int | None, int]:
    """Parse a ``cpu.max`` line into ``(quota_us or None for max, period_us)``.

    >>> parse_cpu_max("50000 100000")
    (50000, 100000)
    >>> parse_cpu_max("fifty")
    Traceback (most recent call last):
        ...
    ValueError: cpu.max must be '<quota|max> <period>', got 'fifty'
    """
    if not isinstance(text, str):
        raise TypeError(f"cpu.max must be a str, got {text!r}")
    parts = text.split()
    if len(parts) != 2 or not _DIGITS.fullmatch(parts[1]) or not _QUOTA.fullmatch(parts[0]):
        raise ValueError(f"cpu.max must be '<quota|max> <period>', got {text!r}")
    return (None if parts[0] == "max" else int(parts[0])), int(parts[1])


@dataclass(frozen=True)
class CgroupLimits:
    """Limits for one cgroup; ``None`` leaves the kernel default (``max``).

    Attributes:
        memory_max: bytes; the kernel rounds it down to whole pages.
        cpus: CPUs per period for ``cpu.max`` (1.5 = 150 ms per 100 ms).
        pids_max: most tasks (processes and threads) the group may hold.
    """

    memory_max: int | None = None
    cpus: float | None = None
    pids_max: int | None = None

    def __post_init__(self) -> None:
        if self.memory_max is not None:
            check_int(self.memory_max, "memory_max", minimum=1)
        if self.pids_max is not None:
            check_int(self.pids_max, "pids_max", minimum=1)
        if self.cpus is not None:
            format_cpu_max(self.cpus)

    def files(self) -> dict[str, str]:
        """Interface file -> the line to write, for each limit that is set."""
        out = {}
        if self.memory_max is not None:
            out["memory.max"] = str(self.memory_max)
        if self.cpus is not None:
            out["cpu.max"] = format_cpu_max(self.cpus)
        if self.pids_max is not None:
            out["pids.max"] = str(self.pids_max)
        return out


class TempCgroup:
    """A child cgroup made for the duration of a ``with`` block, then removed.

    It writes each limit whose controller is enabled for the child (listed
    in the child's ``cgroup.controllers``); ``applied`` holds what the
    kernel then reports, ``unavailable`` the controllers the parent does
    not delegate. It never enables controllers in the parent, and removes
    only the directory it created (``rmdir``, which the kernel refuses
    while the group holds processes).
    """

    def __init__(self, parent: str | os.PathLike[str], limits: CgroupLimits) -> None:
        if not isinstance(limits, CgroupLimits):
            raise TypeError(f"limits must be CgroupLimits, got {limits!r}")
        self.parent = Path(parent)
        self.limits = limits
        self.path = self.parent / f"studybook-{secrets.token_hex(4)}"
        self.applied: dict[str, str] = {}
        self.unavailable: list[str] = []
        self._created = False

    def __enter__(self) -> TempCgroup:
        self.path.mkdir()  # FileExistsError rather than adopt someone else's group
        self._created = True
        try:
            available = set((self.path / "cgroup.controllers").read_text().split())
            for name, line in self.limits.files().items():
                if name.split(".")[0] not in available:
                    self.unavailable.append(name.split(".")[0])
                    continue
                (self.path / name).write_text(line)
                self.applied[name] = (self.path / name).read_text().strip()
        except BaseException:
            self._remove()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._remove()

    def _remove(self) -> None:
        if self._created:
            self.path.rmdir()
            self._created = False
