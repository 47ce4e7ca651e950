"""The package re-exports every public name, and the demo narrates the whole chapter."""

from __future__ import annotations

import importlib
import io

import pytest

import studybook.dsa.number_systems as ns

SUBMODULES = [
    "bases",
    "twos_complement",
    "bits",
    "endianness",
    "utf8",
    "utf16",
    "subnets",
    "floats",
]


def test_every_submodule_name_is_importable_from_the_package() -> None:
    exported = set(ns.__all__)
    for name in SUBMODULES:
        module = importlib.import_module(f"studybook.dsa.number_systems.{name}")
        assert set(module.__all__) <= exported, name
        for public in module.__all__:
            assert getattr(ns, public) is getattr(module, public)
    assert {
        "to_twos_complement",
        "from_twos_complement",
        "utf8_encode",
        "utf8_decode",
        "subnet",
    } <= exported


def test_demo_writes_every_line() -> None:
    buf = io.StringIO()
    ns.demo(buf)
    lines = buf.getvalue().splitlines()
    assert lines[0] == "200 in base 2, 8, 16, 36: 11001000, 310, c8, 5k"
    assert lines[3] == "-7 >> 1 = -4, but C's -7 / 2 = -3 and -7 % 2 = -1"
    assert lines[-1] == "0.1 as binary32: 0x3dcccccd = 0.10000000149011612"
    assert len(lines) == 15


def test_demo_needs_a_stream() -> None:
    with pytest.raises(AttributeError):
        ns.demo(None)  # type: ignore[arg-type]
