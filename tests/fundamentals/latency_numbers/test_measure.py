"""Measurements: exact with a fake clock, positive and finite for real, and tidy on disk."""

from __future__ import annotations

import io
import itertools
import math
import re

import pytest

from studybook.fundamentals.latency_numbers import (
    REFERENCE,
    demo,
    filesystem_type,
    machine_summary,
    measure_machine,
    time_per_op,
)


def fake_clock(step_ns=1000):
    ticks = itertools.count(0, step_ns)
    return lambda: next(ticks)


def test_with_a_fake_clock_every_figure_is_exact(tmp_path):
    got = {m.name: m.seconds for m in measure_machine(tmp_path, quick=True, clock=fake_clock())}
    # Each timed region spans one tick (1 µs), divided by the operations it covered.
    assert got == pytest.approx(
        {
            'timeit loop, empty statement ("pass")': 1e-6 / 200,
            "Python function call f()": 1e-6 / 200,
            "dict lookup d[k] (1,000 str keys)": 1e-6 / 200,
            "sha256 of 64 KiB": 1e-6,
            "copy 64 KiB into a preallocated buffer": 1e-6 / 2,
            "bytes(buffer): allocate and copy 64 KiB": 1e-6 / 2,
            "copy 256 KiB, time per MiB": 1e-6 * 4,
            "fsync after a 512-byte write": 1e-6,
            "sequential 4 KiB pread": 1e-6 / 16,
            "random 4 KiB pread": 1e-6 / 16,
            "loopback TCP round trip, 1 byte": 1e-6,
        }
    )


def test_real_quick_run_gives_positive_finite_times_with_their_method(tmp_path):
    mine = tmp_path / "reader's file.txt"
    mine.write_text("keep me")
    results = measure_machine(tmp_path, quick=True)
    assert len(results) == 11
    known = {(x.operation, x.source) for x in REFERENCE}
    for m in results:
        assert math.isfinite(m.seconds)
        assert m.seconds > 0, m
        assert re.search(r"\b(min|median)\b", m.method), m.method
        assert m.compare is None or m.compare in known
    # Only our temporary directory was created, and it is gone; the reader's file is intact.
    assert list(tmp_path.iterdir()) == [mine]
    assert mine.read_text() == "keep me"


def test_time_per_op_takes_min_or_median_of_the_batches():
    durations = iter([0, 50, 0, 10, 0, 30])  # three batches: 50, 10, 30 ns
    assert time_per_op(
        lambda: None, ops_per_batch=1, repeat=3, clock=lambda: next(durations)
    ) == pytest.approx(10e-9)
    durations = iter([0, 50, 0, 10, 0, 30])
    assert time_per_op(
        lambda: None, ops_per_batch=2, repeat=3, statistic="median", clock=lambda: next(durations)
    ) == pytest.approx(15e-9)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"ops_per_batch": 0, "repeat": 1}, ValueError, "ops_per_batch must be at least 1, got 0"),
        ({"ops_per_batch": 1, "repeat": True}, TypeError, "repeat must be an int, got bool: True"),
        ({"ops_per_batch": 1.5, "repeat": 1}, TypeError, "got float: 1.5"),
        ({"ops_per_batch": 1, "repeat": 1, "statistic": "mean"}, ValueError, "'mean'"),
        ({"ops_per_batch": 1, "repeat": 1, "clock": lambda: 7}, RuntimeError, "did not advance"),
        (
            # Three batches of +10, -5 and +10 ns: the median (10) would hide the step back.
            {
                "ops_per_batch": 1,
                "repeat": 3,
                "statistic": "median",
                "clock": iter([0, 10, 20, 15, 30, 40]).__next__,
            },
            RuntimeError,
            "the clock went backwards by 5 ns",
        ),
    ],
)
def test_time_per_op_refuses_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        time_per_op(lambda: None, **kwargs)


def test_measure_machine_refuses_bad_arguments(tmp_path):
    with pytest.raises(NotADirectoryError, match="got"):
        measure_machine(tmp_path / "missing", quick=True)
    with pytest.raises(TypeError, match=re.escape("quick must be a bool, got int: 1")):
        measure_machine(tmp_path, quick=1)
    with pytest.raises(RuntimeError, match="did not advance"):
        measure_machine(tmp_path, quick=True, clock=lambda: 0)


def test_filesystem_type_and_machine_summary_describe_the_host(tmp_path):
    assert filesystem_type(tmp_path) == filesystem_type(tmp_path / "not-yet-created")
    assert filesystem_type(tmp_path).isprintable()
    assert filesystem_type(tmp_path)
    assert re.fullmatch(r"\S+ \S+ on \S* \S*, \d+ CPUs", machine_summary())
    with pytest.raises(TypeError, match=re.escape("path must be a str or os.PathLike, got int: 5")):
        filesystem_type(5)


def test_demo_prints_every_section_and_every_measurement(tmp_path, monkeypatch):
    import studybook.fundamentals.latency_numbers as pkg

    real = pkg.measure_machine
    monkeypatch.setattr(pkg, "measure_machine", lambda d: real(d, quick=True))
    out = io.StringIO()
    demo(out, directory=tmp_path)
    text = out.getvalue()
    for heading in (
        "as published",
        "What has moved",
        "Measured on this machine",
        "URL shortener",
        "Chat service",
        "Availability",
        "Powers of two",
    ):
        assert heading in text
    assert text.count("how: ") == 11
    assert text.count("published: ") == 11
