"""cgroup v2: file formats everywhere; the real hierarchy where the machine has one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from studybook.infra.containers import (
    CgroupLimits,
    TempCgroup,
    find_cgroup2_mount,
    format_cpu_max,
    parse_cpu_max,
    read_controllers,
)

from .conftest import require

V2_CONTROLLERS = {"cpu", "cpuset", "io", "memory", "hugetlb", "pids", "rdma", "misc", "dmem"}
V1_NAME = {"io": "blkio"}  # the one controller renamed between v1 and v2
LIMITED = ("memory", "cpu", "pids")  # the controllers CgroupLimits writes


def v1_hierarchy() -> dict[str, int]:
    """/proc/cgroups: controller -> its v1 hierarchy ID (0: not bound to v1, so usable by v2)."""
    rows = [line.split() for line in Path("/proc/cgroups").read_text().splitlines()[1:]]
    return {row[0]: int(row[1]) for row in rows if row and row[3] == "1"}


@given(
    st.integers(min_value=1, max_value=64_000), st.integers(min_value=1_000, max_value=1_000_000)
)
def test_cpu_max_round_trips(millicores: int, period: int) -> None:
    quota = round(millicores / 1000 * period)
    assume(quota >= 1000)
    assert parse_cpu_max(format_cpu_max(millicores / 1000, period)) == (quota, period)


@pytest.mark.parametrize(
    ("cpus", "period", "error", "match"),
    [
        (float("nan"), 100_000, ValueError, "cpus"),
        (float("inf"), 100_000, ValueError, "cpus"),
        (0, 100_000, ValueError, "cpus"),
        (-1, 100_000, ValueError, "cpus"),
        (True, 100_000, TypeError, "cpus"),
        ("1", 100_000, TypeError, "cpus"),
        (1, 999, ValueError, "period_us"),
        (1, 1_000_001, ValueError, "period_us"),
        (1, 1e5, TypeError, "period_us"),
        (0.005, 100_000, ValueError, "below the kernel's 1000 us minimum"),
    ],
)
def test_format_cpu_max_refuses(
    cpus: object, period: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        format_cpu_max(cpus, period)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad", ["", "max", "1 2 3", "-1 100000", "max max", "1.5 100000", "\uff15 100000"]
)
def test_parse_cpu_max_refuses(bad: str) -> None:
    with pytest.raises(ValueError, match="cpu.max must be"):
        parse_cpu_max(bad)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"memory_max": 0}, ValueError),
        ({"memory_max": 1.5}, TypeError),
        ({"memory_max": True}, TypeError),
        ({"pids_max": -1}, ValueError),
        ({"cpus": float("nan")}, ValueError),
    ],
)
def test_limits_refuse(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        CgroupLimits(**kwargs)  # type: ignore[arg-type]


def test_limits_files_and_mountinfo_parsing() -> None:
    assert CgroupLimits().files() == {}
    assert CgroupLimits(cpus=2).files() == {"cpu.max": "200000 100000"}
    hybrid = (
        "30 25 0:26 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:4 - cgroup2 cgroup2 rw\n"
    )
    assert find_cgroup2_mount(hybrid) == "/sys/fs/cgroup/unified"
    assert find_cgroup2_mount("") is None
    escaped = "7 1 0:9 / /a\\040b\\011c\\134d rw - cgroup2 cgroup2 rw"  # proc(5) octal escapes
    assert find_cgroup2_mount(escaped) == "/a b\tc\\d"
    with pytest.raises(TypeError, match="mountinfo must be a str"):
        find_cgroup2_mount(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="CgroupLimits"):
        TempCgroup(Path("parent"), {"memory.max": "1"})  # type: ignore[arg-type]


def test_cgroup2_mount_agrees_with_findmnt(cgroup2: Path) -> None:
    if shutil.which("findmnt") is None:
        require("findmnt (util-linux) is not installed")
    found = subprocess.run(
        ["findmnt", "-n", "-t", "cgroup2", "-o", "TARGET"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert str(cgroup2) in found


def test_controllers_are_v2_controllers_not_bound_to_v1(cgroup2: Path) -> None:
    controllers = read_controllers()
    assert controllers == read_controllers(cgroup2)
    assert set(controllers) <= V2_CONTROLLERS
    # /proc/cgroups: a controller bound to a v1 hierarchy has a non-zero hierarchy ID,
    # and a controller can be attached to one hierarchy only.
    hierarchy = v1_hierarchy()
    for c in controllers:
        assert hierarchy.get(V1_NAME.get(c, c), 0) == 0, c
    # Conversely, on a pure v2 host (the CI machine) memory, cpu and pids are enabled and
    # on no v1 hierarchy, so the v2 root must offer them.
    free = [c for c in LIMITED if hierarchy.get(c) == 0]
    if not set(free) <= set(controllers):
        require(f"{cgroup2} lacks {sorted(set(free) - set(controllers))} (a delegated subtree?)")


def test_temp_cgroup_applies_what_is_delegated_and_cleans_up(writable_cgroup: Path) -> None:
    limits = CgroupLimits(memory_max=64 * 2**20, cpus=0.5, pids_max=32)
    delegated = set((writable_cgroup / "cgroup.subtree_control").read_text().split())
    with TempCgroup(writable_cgroup, limits) as group:
        assert group.path.is_dir()
        available = set((group.path / "cgroup.controllers").read_text().split())
        assert available == delegated  # the kernel: a child gets its parent's subtree_control
        assert set(group.unavailable) == set(LIMITED) - available
        expected = {k: v for k, v in limits.files().items() if k.split(".")[0] in available}
        assert group.applied == expected  # 64 MiB is whole pages, so read back exactly
    assert not group.path.exists()
    # A limit may go unchecked only where the kernel binds its controller to cgroup v1
    # (a hybrid host such as this book's sandbox); on a pure v2 host every one is checked.
    hierarchy = v1_hierarchy()
    unchecked = [c for c in group.unavailable if hierarchy.get(c, 0) == 0]
    if unchecked:
        require(f"{writable_cgroup} does not delegate {unchecked} to its children")
    assert set(group.applied) | {f"{c}.max" for c in group.unavailable} == {
        "memory.max",
        "cpu.max",
        "pids.max",
    }


def test_temp_cgroup_is_removed_when_the_block_raises(writable_cgroup: Path) -> None:
    with (
        pytest.raises(RuntimeError, match="boom"),
        TempCgroup(writable_cgroup, CgroupLimits()) as group,
    ):
        raise RuntimeError("boom")
    assert not group.path.exists()
